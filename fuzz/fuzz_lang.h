/* fuzz_lang.h - shared harness for the language fuzzers (fuzz_awk.c,
 * fuzz_bc.c): each input is a program, run by the utility inside a fresh
 * Shell with small budgets, no file writes and a fixed input text. The
 * program is passed as a positional parameter, so no quoting is involved. */
#ifndef WASMSH_FUZZ_LANG_H
#define WASMSH_FUZZ_LANG_H

#include "shell.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *const fuzz_lang_env[] = {"PATH=/usr/bin:/bin", "HOME=/nonexistent", "LC_ALL=C", NULL};

static void fuzz_lang_discard(void *ctx, int fd, const char *data, size_t n) {
    (void)ctx;
    (void)fd;
    (void)data;
    (void)n;
}

static ssize_t fuzz_lang_empty(void *ctx, char *buf, size_t n) {
    (void)ctx;
    (void)buf;
    (void)n;
    return 0;
}

static void fuzz_lang_chdir(const char *name) {
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp) tmp = "/tmp";
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/wasmsh-fuzz-%s-XXXXXX", tmp, name);
    if (!mkdtemp(dir) || chdir(dir) != 0) {
        perror("fuzz: scratch directory");
        abort();
    }
}

/* Runs `script` with $1 = the fuzz input (NUL bytes cut it short, as argv would). */
static void fuzz_lang_run(const uint8_t *data, size_t size, const char *script, const char *script2) {
    char *prog = malloc(size + 1);
    if (!prog) return;
    if (size) memcpy(prog, data, size);
    prog[size] = 0;
    ShellHost host;
    memset(&host, 0, sizeof host);
    host.write = fuzz_lang_discard;
    host.read = fuzz_lang_empty;
    Shell *sh = shell_new(&host, "wasmsh");
    ShellLimits lim;
    memset(&lim, 0, sizeof lim);
    lim.max_steps = 5000;
    lim.timeout_ms = 300;
    lim.max_output = 65536;
    lim.max_memory = 16u << 20;
    lim.max_depth = 32;
    lim.max_expansion = 10000;
    lim.no_fs_writes = true;
    shell_set_limits(sh, &lim);
    shell_import_env(sh, fuzz_lang_env);
    char *args[] = {prog, NULL};
    shell_set_args(sh, "fuzz", 1, args);
    shell_run(sh, script, strlen(script), NULL);
    if (script2) shell_run(sh, script2, strlen(script2), NULL);
    shell_free(sh);
    free(prog);
}

#endif
