/* test_archive_bounds.c - decompression bombs stop cleanly: gunzip, tar and
 * unzip writing a small archive's huge contents to files stop at the run's
 * memory budget with "memory limit exceeded" and status 124, and the session
 * answers normally afterwards; written to stdout, the output budget stops
 * them instead. Also: a stopped run leaves no process state behind (the next
 * gunzip works). Runs in a scratch directory under $TMPDIR. */
#include "shell.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct Capture {
    char out[4096];
    size_t n;
    char err[4096];
    size_t en;
} Capture;

static void cap_write(void *ctx, int fd, const char *d, size_t n) {
    Capture *c = ctx;
    char *buf = fd == 2 ? c->err : c->out;
    size_t *len = fd == 2 ? &c->en : &c->n;
    if (*len + n >= sizeof c->out) n = sizeof c->out - *len - 1;
    memcpy(buf + *len, d, n);
    *len += n;
    buf[*len] = 0;
}

static int passed, failed;

static void check(bool ok, const char *what, const Capture *c) {
    if (ok) {
        passed++;
        return;
    }
    failed++;
    printf("FAIL: %s\n  stdout: %.200s\n  stderr: %.300s\n", what, c->out, c->err);
}

static int run(Shell *sh, Capture *c, const char *script) {
    c->n = c->en = 0;
    c->out[0] = c->err[0] = 0;
    return shell_run(sh, script, strlen(script), NULL);
}

static Shell *new_shell(Capture *c, uint64_t max_memory, uint64_t max_output) {
    ShellHost h = {0};
    h.ctx = c;
    h.write = cap_write;
    Shell *sh = shell_new(&h, "wasmsh");
    ShellLimits lim = {0};
    lim.max_memory = max_memory;
    lim.max_output = max_output;
    lim.timeout_ms = 60000;
    shell_set_limits(sh, &lim);
    return sh;
}

/* 64 MiB of zeros as a gzip file, a tar.gz and a zip, made with a generous budget. */
static void make_bombs(void) {
    Capture c;
    Shell *sh = new_shell(&c, 1u << 30, 0);
    int st = run(sh, &c,
                 "head -c 67108864 /dev/zero | gzip -9 > bomb.gz;"
                 "head -c 67108864 /dev/zero > zeros; tar czf bomb.tgz zeros; zip -q9 bomb.zip zeros; rm zeros;"
                 "wc -c < bomb.gz");
    check(st == 0 && atoi(c.out) > 0 && atoi(c.out) < 200000, "the bombs are small", &c);
    shell_free(sh);
}

static void expect_memory_stop(const char *what, const char *script) {
    Capture c;
    Shell *sh = new_shell(&c, 8u << 20, 0);
    int st = run(sh, &c, script);
    char msg[256];
    snprintf(msg, sizeof msg, "%s: status 124 (got %d)", what, st);
    check(st == SHELL_STATUS_BUDGET, msg, &c);
    snprintf(msg, sizeof msg, "%s: the message names the memory budget", what);
    check(strstr(c.err, "memory limit exceeded") && strstr(c.err, "(budget: memory)"), msg, &c);
    st = run(sh, &c, "echo next");
    snprintf(msg, sizeof msg, "%s: the session answers after the stop", what);
    check(st == 0 && !strcmp(c.out, "next\n"), msg, &c);
    run(sh, &c, "rm -rf out zeros bomb");
    shell_free(sh);
}

static void expect_output_stop(const char *what, const char *script) {
    Capture c;
    Shell *sh = new_shell(&c, 8u << 20, 1u << 20);
    int st = run(sh, &c, script);
    char msg[256];
    snprintf(msg, sizeof msg, "%s: status 124 (got %d)", what, st);
    check(st == SHELL_STATUS_BUDGET && shell_output_truncated(sh), msg, &c);
    shell_free(sh);
}

int main(void) {
    const char *tmp = getenv("TMPDIR");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/wasmsh-bounds-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir) || chdir(dir) != 0) {
        perror("scratch directory");
        return 2;
    }
    make_bombs();
    expect_memory_stop("gunzip to a file", "cp bomb.gz b.gz; gunzip b.gz");
    expect_memory_stop("tar -xzf", "mkdir -p out; tar xzf bomb.tgz -C out");
    expect_memory_stop("unzip", "unzip -q bomb.zip -d out");
    expect_output_stop("zcat to stdout", "zcat bomb.gz");
    expect_output_stop("unzip -p to stdout", "unzip -p bomb.zip");
    Capture c;
    Shell *sh = new_shell(&c, 8u << 20, 0);
    int st = run(sh, &c, "printf 'fine\\n' | gzip | gunzip");
    check(st == 0 && !strcmp(c.out, "fine\n"), "small data still flows", &c);
    st = run(sh, &c, "zcat bomb.gz | wc -c");
    check(st == 0 && !strcmp(c.out, "67108864\n"), "a bomb streamed through a pipe is fine (nothing held)", &c);
    shell_free(sh);
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) { /* best effort */ }
    printf("archive bounds: %d passed, %d failed\n", passed, failed);
    return failed != 0;
}
