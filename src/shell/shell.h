/* shell.h - the public C API of the wasmsh core. Everything a host (the native
 * CLI, the wasm launchers, the Pyodide bridge, fuzzers) needs, and nothing else.
 *
 * A Shell is one session: variables, functions, cwd, options, traps and fds
 * persist across shell_run calls, as in a terminal. Many Shells may live in one
 * process; they share no mutable state. */
#ifndef WASMSH_SHELL_H
#define WASMSH_SHELL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef struct Shell Shell;

/* What the host provides. Any callback may be NULL:
 * write NULL   -> fds 1 and 2 go to host fds 1 and 2 (native CLI)
 * read NULL    -> fd 0 reads host fd 0
 * now_ms NULL  -> the C library's monotonic clock */
typedef struct ShellHost {
    void *ctx;
    void (*write)(void *ctx, int fd, const char *data, size_t n);
    ssize_t (*read)(void *ctx, char *buf, size_t n);
    uint64_t (*now_ms)(void *ctx);
    /* Polled at step boundaries: a non-zero return is a signal number to deliver
     * (SIGINT/SIGTERM run their trap, else stop the run with 128+sig). */
    int (*poll_signal)(void *ctx);
    /* Runs a command the shell does not know as a host process (native CLI with
     * --host-exec only). NULL means "command not found". */
    int (*host_exec)(void *ctx, Shell *sh, char *const *argv);
} ShellHost;

/* Bounds for every run. 0 means "the default"; see docs/shell.md for defaults. */
typedef struct ShellLimits {
    uint64_t max_steps;       /* commands + loop iterations + function calls */
    uint64_t timeout_ms;      /* wall-clock deadline per run */
    uint64_t max_output;      /* bytes written to the host's fds 1+2 per run */
    uint64_t max_memory;      /* bytes held in variables and pipe buffers */
    uint32_t max_depth;       /* function/source/eval/subshell nesting */
    uint64_t max_expansion;   /* words from one brace/glob expansion; string length */
    bool no_fs_writes;        /* refuse file-writing redirections and utilities (fuzzing) */
    /* Bytes waiting in the pipe before a stage that reads (a `while read`
     * loop): a writer that fills it is stopped as by SIGPIPE, and the run
     * stops with a memory budget error only if the reader wants more. */
    uint64_t max_pipe_buffer;
} ShellLimits;

/* Exit statuses for budget stops (also in docs/shell.md). */
enum {
    SHELL_STATUS_BUDGET = 124,   /* step, time, output or memory budget exhausted */
    SHELL_STATUS_SIGPIPE = 141,
};

Shell *shell_new(const ShellHost *host, const char *argv0);
void shell_free(Shell *sh);
void shell_set_limits(Shell *sh, const ShellLimits *lim);
/* $0 and the positional parameters. */
void shell_set_args(Shell *sh, const char *arg0, int argc, char *const *argv);
/* Imports "K=V" strings as exported variables. */
void shell_import_env(Shell *sh, char *const *envp);
/* `set -o NAME` / `shopt -s NAME` by name; returns false for an unknown name. */
bool shell_set_option(Shell *sh, const char *name, bool on);

/* Runs a script. `source_name` is used in messages ("-c" style when NULL;
 * "-" for a script read from stdin, which bash treats slightly differently).
 * Returns the exit status. After `exit`, shell_has_exited() is true (the state
 * stays valid and usable). */
int shell_run(Shell *sh, const char *script, size_t len, const char *source_name);
bool shell_has_exited(Shell *sh);
/* Why the last run stopped early: NULL, or "steps", "time", "output",
 * "memory", "depth", "expansion", "cancel". */
const char *shell_stop_reason(Shell *sh);
/* Stops the run in progress as a budget stop (status 124, the message
 * "NAME: MESSAGE (budget: REASON)" on stderr, shell_stop_reason() = reason),
 * for budgets the host enforces (a file system quota, a memory ceiling).
 * `reason` and `message` must be static strings. No-op when the run is
 * already stopping; outside a run it only marks the next run's start. */
void shell_budget_stop(Shell *sh, const char *reason, const char *message);
/* Output beyond max_output was dropped in the last run. */
bool shell_output_truncated(Shell *sh);

/* Ends a shell as a process would: runs the EXIT trap. Returns the final status. */
int shell_finish(Shell *sh, int status);

/* Commands the embedder adds (e.g. `python3` in the Pyodide build). A command
 * is a utility (util.h: main, optional push ops) that the shell finds after
 * functions and builtins and before its own utilities of the same name; it
 * reaches its per-registration `data` with uc_command_data(). The table belongs
 * to this shell: subshell copies and child shells (bash -c, scripts run by
 * path) share it, other Shells never see it. `def` and `data` must outlive the
 * shell. Returns false when the name is empty or contains '/' or '='. A second
 * registration of a name replaces the first. */
struct UtilDef;
bool shell_add_command(Shell *sh, const struct UtilDef *def, void *data);

/* Parse only (set -n): 0 if the script parses, 2 on a syntax error (message on fd 2). */
int shell_check_syntax(Shell *sh, const char *script, size_t len);

#endif
