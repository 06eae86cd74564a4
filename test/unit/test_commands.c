/* test_commands.c - shell_add_command: an embedder's commands are found by
 * name (also in pipelines, subshells, bash -c, `type` and `command -v`), get
 * their registration data, stream when they have push ops, and belong to one
 * Shell only. */
#include "shell.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Capture {
    char out[8192];
    size_t n;
} Capture;

static void cap_write(void *ctx, int fd, const char *d, size_t n) {
    Capture *c = ctx;
    if (fd != 1) return;
    if (c->n + n >= sizeof c->out) n = sizeof c->out - c->n - 1;
    memcpy(c->out + c->n, d, n);
    c->n += n;
    c->out[c->n] = 0;
}

static int passed, failed;

static void check(bool ok, const char *what, const Capture *c) {
    if (ok) {
        passed++;
        return;
    }
    failed++;
    printf("FAIL: %s (got \"%s\")\n", what, c ? c->out : "");
}

static int run(Shell *sh, Capture *c, const char *script) {
    c->n = 0;
    c->out[0] = 0;
    return shell_run(sh, script, strlen(script), NULL);
}

/* greet: prints its data and arguments; status 7 with -x */
static int greet_main(UtilCtx *c, int argc, char **argv) {
    const char *who = uc_command_data(c);
    uc_printf(c, 1, "%s", who);
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-x")) return 7;
        uc_printf(c, 1, " %s", argv[i]);
    }
    uc_puts(c, 1, "\n");
    return 0;
}

/* spew: writes lines until the pipe closes; keeps its own status (3) */
static int spew_main(UtilCtx *c, int argc, char **argv) {
    (void)argc;
    (void)argv;
    for (int i = 0; i < 1000000; i++)
        if (uc_puts(c, 1, "line\n") < 0) {
            uc_keep_status(c);
            return 3;
        }
    return 0;
}

static const UtilDef greet = {"greet", greet_main, NULL};
static const UtilDef spew = {"spew", spew_main, NULL};
static const UtilDef bad = {"a/b", greet_main, NULL};

int main(void) {
    Capture c;
    ShellHost h = {0};
    h.ctx = &c;
    h.write = cap_write;
    Shell *sh = shell_new(&h, "wasmsh");
    Shell *other = shell_new(&h, "wasmsh");
    char data[] = "hello";
    check(shell_add_command(sh, &greet, data), "registers", NULL);
    check(!shell_add_command(sh, &bad, data), "refuses a name with /", NULL);
    shell_add_command(sh, &spew, NULL);

    int st = run(sh, &c, "greet a b");
    check(st == 0 && !strcmp(c.out, "hello a b\n"), "runs with its data and arguments", &c);
    st = run(sh, &c, "greet -x; echo $?");
    check(!strcmp(c.out, "hello7\n"), "its exit status is $?", &c);
    run(sh, &c, "greet p | cat; (greet sub); x=$(greet cs); echo \"$x\"; bash -c 'greet child'");
    check(!strcmp(c.out, "hello p\nhello sub\nhello cs\nhello child\n"),
          "found in pipelines, subshells, command substitution and bash -c", &c);
    run(sh, &c, "type greet; command -v greet; /usr/bin/greet path");
    check(!strcmp(c.out, "greet is /usr/bin/greet\n/usr/bin/greet\nhello path\n"), "type, command -v, /usr/bin/NAME", &c);
    run(sh, &c, "spew | head -n 2; echo ${PIPESTATUS[@]}");
    check(!strcmp(c.out, "line\nline\n3 0\n"), "streams into a pipeline; uc_keep_status keeps its status", &c);
    run(sh, &c, "greet() { echo function; }; greet; unset -f greet");
    check(!strcmp(c.out, "function\n"), "a function of the same name comes first", &c);
    st = run(other, &c, "greet 2>/dev/null; echo $?");
    check(!strcmp(c.out, "127\n"), "another Shell does not see it", &c);

    shell_free(sh);
    shell_free(other);
    printf("commands: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
