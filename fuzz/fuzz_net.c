/* fuzz_net.c - libFuzzer target for curl and wget (src/net/): what they do
 * with the fetch broker's replies, which carry what servers sent (status
 * lines, header names and values, URLs, bodies).
 *
 * Input: byte 0 picks a command line, byte 1 whether the hook succeeds (0)
 * or fails (-1), the rest is the reply: a JSON header line and a body, or a
 * JSON error (js/fetch_wire.mjs). The hook is a plain function pointer, so
 * the reply of the current input lives in a static here (test code only).
 * Commands that write files run in a scratch directory. */
#include "net.h"
#include "shell.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const uint8_t *reply_data;
static size_t reply_len;
static int reply_rc;

static int fake_fetch(const char *req, size_t n, NetReply *out) {
    (void)req;
    (void)n;
    out->data = malloc(reply_len + 1);
    if (!out->data) abort();
    memcpy(out->data, reply_data, reply_len);
    out->len = reply_len;
    return reply_rc;
}

static NetFetchFn hook = fake_fetch;

static void discard_write(void *ctx, int fd, const char *data, size_t n) {
    (void)ctx;
    (void)fd;
    (void)data;
    (void)n;
}

static ssize_t empty_read(void *ctx, char *buf, size_t n) {
    (void)ctx;
    (void)buf;
    (void)n;
    return 0;
}

static const char *const commands[] = {
    "curl -si -w '%{http_code} %{header_json} %{redirect_url} %{size_header} %header{content-type}\\n' http://a.test/x\n",
    "curl -sSL -v -D - http://a.test/\n",
    "curl -s -O -J --output-dir out --create-dirs http://a.test/dir/name\n",
    "curl -f http://a.test/ -o f.txt; curl --fail-with-body -# http://a.test/\n",
    "wget -S -O - http://a.test/x\n",
    "wget -q --content-disposition -P w http://a.test/x; wget -nv -c http://a.test/x\n",
    "curl -sS --retry 1 --retry-delay 0.001 http://a.test/\n",
    "curl -sI http://a.test/ | head -c 10\n",
};

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp) tmp = "/tmp";
    size_t n = strlen(tmp) + sizeof "/wasmsh-fuzz-net-XXXXXX";
    char *dir = malloc(n);
    if (!dir) abort();
    snprintf(dir, n, "%s/wasmsh-fuzz-net-XXXXXX", tmp);
    if (!mkdtemp(dir) || chdir(dir) != 0) {
        perror("fuzz_net: scratch directory");
        abort();
    }
    free(dir);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 2 || size > 8192) return 0;
    const char *script = commands[data[0] % (sizeof commands / sizeof commands[0])];
    reply_rc = data[1] & 1 ? -1 : 0;
    reply_data = data + 2;
    reply_len = size - 2;
    ShellHost host;
    memset(&host, 0, sizeof host);
    host.write = discard_write;
    host.read = empty_read;
    Shell *sh = shell_new(&host, "wasmsh");
    if (!sh) return 0;
    net_register(sh, &hook);
    ShellLimits lim;
    memset(&lim, 0, sizeof lim);
    lim.max_steps = 10000;
    lim.timeout_ms = 2000;
    lim.max_output = 1 << 20;
    lim.max_memory = 64 << 20;
    shell_set_limits(sh, &lim);
    shell_run(sh, script, strlen(script), NULL);
    shell_free(sh);
    return 0;
}
