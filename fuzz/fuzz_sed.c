/* fuzz_sed.c - libFuzzer target for sed (src/sed/): the script compiler and
 * the executor, run inside a shell session as an agent would run them.
 *
 * Input: the sed script up to the first NUL byte, then the input text. Each
 * input runs the script on the text in a pipeline (push mode, BRE) and from a
 * here-string file operand (pull mode, -E -n -s), under tight budgets: steps,
 * time, output, memory. --sandbox keeps the fuzzer's scripts from writing
 * files (w, s///w) or running commands (e): sed is a file writer, so the
 * shell's no_fs_writes limit would refuse it altogether. */
#include "shell.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp) tmp = "/tmp";
    size_t n = strlen(tmp) + sizeof "/wasmsh-fuzz-sed-XXXXXX";
    char *dir = malloc(n);
    if (!dir) abort();
    snprintf(dir, n, "%s/wasmsh-fuzz-sed-XXXXXX", tmp);
    if (!mkdtemp(dir) || chdir(dir) != 0) {
        perror("fuzz_sed: scratch directory");
        abort();
    }
    free(dir);
    return 0;
}

static const char script[] =
    "printf %s \"$2\" | sed --sandbox -e \"$1\"; echo \"$?\"\n"
    "sed --sandbox -E -n -s -e \"$1\" - <<<\"$2\"; echo \"$?\"\n"
    "printf %s \"$2\" | sed --sandbox -z \"$1\" | head -c 100\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > 4096) return 0;
    const char *nul = memchr(data, 0, size);
    size_t slen = nul ? (size_t)(nul - (const char *)data) : size;
    char *prog = malloc(slen + 1);
    char *text = malloc(size - slen + 1);
    if (!prog || !text) abort();
    memcpy(prog, data, slen);
    prog[slen] = 0;
    size_t tlen = nul ? size - slen - 1 : 0;
    if (tlen) memcpy(text, nul + 1, tlen);
    text[tlen] = 0;

    ShellHost host;
    memset(&host, 0, sizeof host);
    host.write = discard_write;
    host.read = empty_read;
    Shell *sh = shell_new(&host, "wasmsh");
    ShellLimits lim;
    memset(&lim, 0, sizeof lim);
    lim.max_steps = 2000;
    lim.timeout_ms = 1000;
    lim.max_output = 65536;
    lim.max_memory = 16u << 20;
    lim.max_depth = 64;
    lim.max_expansion = 10000;
    shell_set_limits(sh, &lim);
    char *args[] = {prog, text, NULL};
    shell_set_args(sh, "fuzz", 2, args);
    shell_run(sh, script, sizeof script - 1, NULL);
    shell_free(sh);
    free(prog);
    free(text);
    return 0;
}
