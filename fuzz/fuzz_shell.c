/* fuzz_shell.c - libFuzzer target for the whole shell: parser, expansions,
 * executor, builtins and utilities, under tight bounds.
 *
 * Each input is a script. It is first only parsed (shell_check_syntax), then
 * run in a fresh Shell with small budgets and no file writes; output is
 * discarded and stdin is empty. A second short run checks that the session is
 * still usable after whatever stopped the first (exit, a budget, an error).
 *
 * LLVMFuzzerInitialize chdirs into a new scratch directory under $TMPDIR (or
 * /tmp), so that globs and reads see an empty, private tree. Build and run with
 * `make fuzz` (FUZZ_SECONDS=N). */
#include "shell.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The environment every run imports: fixed, so runs are reproducible. */
static char *const fuzz_env[] = {
    "PATH=/usr/bin:/bin", "HOME=/nonexistent", "LC_ALL=C", "IFS_TEST=a b", NULL,
};

static char *const fuzz_args[] = {"one", "two words", "", "*", NULL};

/* Run after each input in the same session: it must still work. */
static const char after[] = "echo \"$?\" \"$#\"; x=1; : \"${x:-y}\"";

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
    size_t n = strlen(tmp) + sizeof "/wasmsh-fuzz-XXXXXX";
    char *dir = malloc(n);
    if (!dir) abort();
    snprintf(dir, n, "%s/wasmsh-fuzz-XXXXXX", tmp);
    if (!mkdtemp(dir) || chdir(dir) != 0) {
        perror("fuzz_shell: scratch directory");
        abort();
    }
    free(dir);
    return 0;
}

static Shell *new_fuzz_shell(void) {
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
    lim.no_fs_writes = true;
    shell_set_limits(sh, &lim);
    shell_import_env(sh, fuzz_env);
    shell_set_args(sh, "fuzz", 4, fuzz_args);
    return sh;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    /* A NUL-terminated copy: the script is passed with its length, but no
     * reader may run past it either way. */
    char *script = malloc(size + 1);
    if (!script) return 0;
    if (size) memcpy(script, data, size);
    script[size] = 0;

    Shell *sh = new_fuzz_shell();
    shell_check_syntax(sh, script, size);
    shell_free(sh);

    sh = new_fuzz_shell();
    shell_run(sh, script, size, NULL);
    (void)shell_stop_reason(sh);
    (void)shell_output_truncated(sh);
    shell_run(sh, after, sizeof after - 1, NULL);
    shell_free(sh);

    free(script);
    return 0;
}
