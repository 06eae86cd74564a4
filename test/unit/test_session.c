/* test_session.c - the C API as a host uses it: state that persists across
 * runs, every budget stopping a run with its name and status 124, the session
 * answering normally afterwards, output capture, and isolated sessions. */
#include "shell.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Capture {
    char out[65536];
    size_t n;
    char err[65536];
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

static void check(bool ok, const char *what) {
    if (ok) passed++;
    else {
        failed++;
        printf("FAIL: %s\n", what);
    }
}

static int run(Shell *sh, Capture *c, const char *script) {
    c->n = c->en = 0;
    c->out[0] = c->err[0] = 0;
    return shell_run(sh, script, strlen(script), NULL);
}

static Shell *new_shell(Capture *c) {
    ShellHost h = {0};
    h.ctx = c;
    h.write = cap_write;
    return shell_new(&h, "wasmsh");
}

static void test_persistence(void) {
    Capture c;
    Shell *sh = new_shell(&c);
    run(sh, &c, "x=41; f() { echo \"f:$1\"; }; declare -A m=([k]=v); cd /; alias ll='echo ll'");
    int st = run(sh, &c, "echo $((x+1)) ${m[k]} $PWD; f arg");
    check(st == 0 && !strcmp(c.out, "42 v /\nf:arg\n"), "variables, functions, arrays and cwd persist across runs");
    st = run(sh, &c, "exit 3");
    check(st == 3 && shell_has_exited(sh), "exit ends a run with its status");
    st = run(sh, &c, "echo still here");
    check(st == 0 && !strcmp(c.out, "still here\n"), "the session is usable after exit");
    shell_free(sh);
}

static void test_budget(const char *name, ShellLimits lim, const char *script, const char *reason) {
    Capture c;
    Shell *sh = new_shell(&c);
    shell_set_limits(sh, &lim);
    int st = run(sh, &c, script);
    char what[256];
    snprintf(what, sizeof what, "%s: status 124 (got %d)", name, st);
    check(st == SHELL_STATUS_BUDGET, what);
    snprintf(what, sizeof what, "%s: stop reason %s (got %s)", name, reason, shell_stop_reason(sh) ? shell_stop_reason(sh) : "none");
    check(shell_stop_reason(sh) && !strcmp(shell_stop_reason(sh), reason), what);
    snprintf(what, sizeof what, "%s: stderr names the budget", name);
    char needle[64];
    snprintf(needle, sizeof needle, "(budget: %s)", reason);
    check(strstr(c.err, needle) != NULL, what);
    st = run(sh, &c, "echo next");
    snprintf(what, sizeof what, "%s: the next run works", name);
    check(st == 0 && !strcmp(c.out, "next\n") && shell_stop_reason(sh) == NULL, what);
    shell_free(sh);
}

static void test_budgets(void) {
    ShellLimits l = {0};
    l.max_steps = 10000;
    test_budget("steps", l, "while :; do :; done", "steps");
    memset(&l, 0, sizeof l);
    l.timeout_ms = 200;
    test_budget("time", l, "while :; do :; done", "time");
    memset(&l, 0, sizeof l);
    l.timeout_ms = 200;
    test_budget("time in a utility", l, "sleep 5", "time");
    memset(&l, 0, sizeof l);
    l.max_output = 1000;
    test_budget("output", l, "yes", "output");
    memset(&l, 0, sizeof l);
    l.max_memory = 1 << 20;
    test_budget("memory", l, "x=a; while :; do x=$x$x; done", "memory");
    memset(&l, 0, sizeof l);
    l.max_depth = 50;
    test_budget("depth", l, "f() { f; }; f", "depth");
    memset(&l, 0, sizeof l);
    l.max_expansion = 1000;
    test_budget("expansion", l, "echo {1..100000}", "expansion");
    memset(&l, 0, sizeof l);
    l.max_pipe_buffer = 4096;
    test_budget("pipe buffer", l, "seq 1 100000 | while read -r x; do :; done", "memory");
}

/* A writer stopped at max_pipe_buffer is no error when the reader needs less. */
static void test_pipe_buffer_reader_done(void) {
    Capture c;
    Shell *sh = new_shell(&c);
    ShellLimits l = {0};
    l.max_pipe_buffer = 4096;
    shell_set_limits(sh, &l);
    int st = run(sh, &c, "yes | { read -r a; echo \"$a\"; }; echo \"${PIPESTATUS[*]}\"");
    check(st == 0 && !strcmp(c.out, "y\n141 0\n") && shell_stop_reason(sh) == NULL,
          "pipe buffer: a reader that stops early sees no error");
    shell_free(sh);
}

static void test_truncation_keeps_head(void) {
    Capture c;
    Shell *sh = new_shell(&c);
    ShellLimits l = {0};
    l.max_output = 10;
    shell_set_limits(sh, &l);
    run(sh, &c, "echo 0123456789abcdef");
    check(c.n == 10 && !memcmp(c.out, "0123456789", 10) && shell_output_truncated(sh),
          "output beyond the cap is cut and reported as truncated");
    shell_free(sh);
}

static void test_isolation(void) {
    Capture c1, c2;
    Shell *a = new_shell(&c1), *b = new_shell(&c2);
    run(a, &c1, "secret=1; g() { :; }");
    run(b, &c2, "echo \"[${secret-unset}]\"; type g >/dev/null 2>&1 || echo no-g");
    check(!strcmp(c2.out, "[unset]\nno-g\n"), "sessions do not share variables or functions");
    shell_free(a);
    shell_free(b);
}

static void test_syntax_check(void) {
    Capture c;
    Shell *sh = new_shell(&c);
    check(shell_check_syntax(sh, "if true; then echo; fi", 22) == 0, "check_syntax accepts a valid script");
    c.n = c.en = 0;
    check(shell_check_syntax(sh, "if then", 7) == 2 && strstr(c.err, "syntax error near unexpected token `then'"),
          "check_syntax reports the token");
    shell_free(sh);
}

static void test_streaming(void) {
    Capture c;
    Shell *sh = new_shell(&c);
    ShellLimits l = {0};
    l.timeout_ms = 5000;
    shell_set_limits(sh, &l);
    int st = run(sh, &c, "yes | head -n 3; echo ${PIPESTATUS[*]}; while :; do echo x; done | head -n 2; "
                         "echo ${PIPESTATUS[*]}; cat /dev/zero | head -c 5 | wc -c");
    check(st == 0 && !strcmp(c.out, "y\ny\ny\n141 0\nx\nx\n141 0\n5\n"), "infinite producers stop when head is done");
    shell_free(sh);
}

int main(void) {
    test_persistence();
    test_budgets();
    test_pipe_buffer_reader_done();
    test_truncation_keeps_head();
    test_isolation();
    test_syntax_check();
    test_streaming();
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
