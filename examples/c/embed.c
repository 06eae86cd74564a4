/* embed.c - the wasmsh core embedded directly in a C program, through its
 * public API (src/shell/shell.h): make a Shell, run scripts in it, collect
 * their output through a host callback, read the status and why a run was
 * stopped. Build and run: `make example-c` (the binary is
 * build/examples/c/embed; `make test-example-c` checks its output).
 *
 * Note: the native core uses the host's filesystem and clock (it is the same
 * core as the native CLI). The sandbox, with a filesystem of its own, is the
 * WebAssembly builds (Pyodide, browser); see docs/architecture.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shell.h"

/* What the scripts wrote, per stream. */
typedef struct Captured {
    char *data[3];
    size_t len[3];
} Captured;

/* The host's write callback: fd 1 and 2 of the scripts land here. */
static void capture_write(void *ctx, int fd, const char *data, size_t n)
{
    Captured *c = ctx;
    int i = fd == 2 ? 2 : 1;
    char *grown = realloc(c->data[i], c->len[i] + n + 1);
    if (!grown)
        return; /* a real host would report the lost output */
    memcpy(grown + c->len[i], data, n);
    c->len[i] += n;
    grown[c->len[i]] = '\0';
    c->data[i] = grown;
}

static void reset_captured(Captured *c)
{
    for (int i = 1; i <= 2; i++) {
        free(c->data[i]);
        c->data[i] = NULL;
        c->len[i] = 0;
    }
}

/* Runs one script and prints what happened. */
static int run_and_report(Shell *sh, Captured *c, const char *title, const char *script)
{
    reset_captured(c);
    int status = shell_run(sh, script, strlen(script), NULL);
    const char *reason = shell_stop_reason(sh);
    printf("== %s: status %d%s%s\n", title, status, reason ? ", stopped: " : "", reason ? reason : "");
    printf("-- stdout\n%s", c->data[1] ? c->data[1] : "");
    printf("-- stderr\n%s", c->data[2] ? c->data[2] : "");
    return status;
}

static const char FIRST[] =
    "greet() { printf 'hello, %s\\n' \"$1\"; }\n"
    "for name in world wasmsh; do greet \"$name\"; done | tr a-z A-Z\n"
    "answer=$(( 6 * 7 ))\n"
    "printf '%s\\n' banana apple cherry | sort | paste -sd, -\n"
    "echo \"args: $# ${1:-none}\"\n"
    "echo 'a warning' >&2\n"
    "exit 3\n";

/* the state of the first run is still there */
static const char SECOND[] =
    "echo \"answer is still $answer\"; greet again\n"
    "case $answer in 4[0-9]) echo forties;; *) echo other;; esac\n";

static const char RUNAWAY[] = "while :; do :; done\n";

int main(int argc, char **argv)
{
    Captured captured = {0};
    ShellHost host = {.ctx = &captured, .write = capture_write};
    Shell *sh = shell_new(&host, "embed");
    if (!sh) {
        fprintf(stderr, "embed: shell_new failed\n");
        return 1;
    }
    char *args[] = {"first-arg"};
    shell_set_args(sh, "embed", 1, args);

    const char *custom = argc > 1 ? argv[1] : NULL;
    if (custom) {
        run_and_report(sh, &captured, "script", custom);
    } else {
        run_and_report(sh, &captured, "first run", FIRST);
        run_and_report(sh, &captured, "second run", SECOND);
        /* budgets: a step limit stops a runaway loop with status 124 */
        ShellLimits limits = {.max_steps = 10000};
        shell_set_limits(sh, &limits);
        run_and_report(sh, &captured, "runaway", RUNAWAY);
    }
    int status = shell_finish(sh, 0);
    shell_free(sh);
    reset_captured(&captured);
    return status;
}
