/* util.h - the whole API between the shell and its utilities.
 *
 * A utility is a C function called in-process with argc/argv; it never touches
 * host fds 0/1/2 or the process environment directly, only the command's
 * virtual fds through UtilCtx. Files are opened with plain libc (the shell
 * keeps the process cwd equal to the session's cwd while a command runs), or
 * with uc_open when a path may name one of the shell's fds ("-", /dev/stdin,
 * /dev/fd/N, a process substitution).
 *
 * Streaming: a filter may also provide push operations. When its stdin is a
 * pipe from an earlier stage, the shell calls start(), then feed() with each
 * chunk the producer writes (synchronously, inside the producer's write), then
 * finish(). feed() returning 1 closes the pipe: the producer's next write
 * fails with EPIPE and the producer stops with status 141, as with SIGPIPE.
 * That is what makes `yes | head -n 3` finish at once. */
#ifndef WASMSH_UTIL_H
#define WASMSH_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef struct UtilCtx UtilCtx;

/* ---- I/O on the command's virtual fds ---- */
ssize_t uc_read(UtilCtx *c, int fd, void *buf, size_t n);           /* 0 = EOF, -1 = error */
int uc_write(UtilCtx *c, int fd, const void *buf, size_t n);        /* 0, or -1 (errno EPIPE: stop producing) */
int uc_puts(UtilCtx *c, int fd, const char *s);
int uc_printf(UtilCtx *c, int fd, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* "NAME: message\n" on fd 2, NAME being the utility's argv[0]. */
void uc_error(UtilCtx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *uc_name(UtilCtx *c);

/* ---- files that may be shell fds ---- */
typedef struct UcFile UcFile;
/* mode "r", "w" or "a". "-" is stdin for "r" and stdout otherwise. NULL + errno on failure. */
UcFile *uc_open(UtilCtx *c, const char *path, const char *mode);
ssize_t uc_fread(UcFile *f, void *buf, size_t n);
/* Reads up to and including delim (like getdelim); returns the length, -1 at EOF. NUL-safe. */
ssize_t uc_getdelim(UcFile *f, char **line, size_t *cap, int delim);
int uc_fwrite(UcFile *f, const void *buf, size_t n);
int uc_close(UcFile *f);
/* True when f reads a seekable file: what a reader leaves unread stays for the
 * next command (GNU head seeks back on such input; on a pipe it consumes). */
bool uc_seekable(UcFile *f);
/* fstat of the file behind f. A pipe, here-document or other in-memory
 * stream reports S_IFIFO (size 0), /dev/null-like devices S_IFCHR. */
struct stat;
int uc_fstat(UcFile *f, struct stat *st);
/* stat, except that a path naming one of the shell's fds (/dev/stdin,
 * /dev/fd/N: a process substitution <(...), a here-string) reports that fd
 * as uc_fstat does, and /dev/fd/N of a closed N is ENOENT. "-" is the file
 * named "-" (utilities that read stdin for "-" handle it themselves). */
int uc_stat(UtilCtx *c, const char *path, struct stat *st);

/* ---- environment and control ---- */
const char *uc_getenv(UtilCtx *c, const char *name);  /* exported shell variables */
char *const *uc_environ(UtilCtx *c);                  /* "K=V" list, valid during the call */
/* True when the run must stop (deadline, step budget, cancel). A utility in a
 * long loop checks it and returns promptly; the shell reports the reason. */
bool uc_should_stop(UtilCtx *c);
/* For a utility about to hold or create n bytes in total that no other
 * budget sees, such as the data gunzip, tar or unzip write to files (which
 * live in memory under MEMFS): false, after stopping the run with "memory
 * limit exceeded (WHAT)", when n exceeds the run's memory budget. So a
 * decompression bomb ends with a clear message instead of exhausting memory. */
bool uc_within_memory(UtilCtx *c, uint64_t n, const char *what);
/* The run's memory budget in bytes (0: none): a utility that holds data
 * proportional to its input (sed's pattern space) stops with an error past it. */
uint64_t uc_memory_limit(UtilCtx *c);
/* True inside an `&` job. Such a job runs to completion before the script
 * goes on (no concurrency; only a plain `sleep N &` is deferred, through
 * uc_defer_sleep), so a utility that would wait for something to happen
 * meanwhile (tail -f) must not wait there. */
bool uc_in_background(UtilCtx *c);
/* sleep in a `sleep N &` job: the shell takes the waiting over (the job runs
 * for `seconds`, INFINITY for ever, and wait waits for it, kill ends it) and
 * this returns true; false anywhere else, where the caller sleeps itself. */
bool uc_defer_sleep(UtilCtx *c, double seconds);
/* Hands what was written so far to the host (whose output is buffered):
 * for a utility about to wait (tail -f between polls). */
void uc_flush(UtilCtx *c);
/* Runs argv as a command of the shell (builtin, function or utility) with this
 * command's fds; returns its exit status (127 if not found). For xargs, find -exec, env, timeout. */
int uc_run_argv(UtilCtx *c, char *const *argv);
/* How uc_spawn runs a command. */
typedef struct UcSpawn {
    const char *dir;          /* run in this directory (find -execdir), or NULL */
    bool null_stdin;          /* stdin from /dev/null (xargs, find -ok) */
    const char *const *env;   /* "NAME=VALUE" exported to the command, NULL-terminated, or NULL */
} UcSpawn;
/* Runs argv as a separate program would be run (find -exec, xargs): in a
 * copy of the shell state, so the command cannot change the caller's
 * variables, cwd or fds; shell functions are not seen. how may be NULL.
 * Returns the exit status, or -1 with errno set (ENOENT: no such command,
 * EACCES: not executable, or why dir could not be entered) and nothing
 * printed, so the caller reports it as it must. */
int uc_spawn(UtilCtx *c, char *const *argv, const UcSpawn *how);
/* Whether uc_spawn can run the command name: 0, ENOENT or EACCES. */
int uc_command_lookup(UtilCtx *c, const char *name);
/* For timeout: runs argv in a copy of the state (as a child process would
 * run) with this command's fds, stopping it once ms milliseconds have
 * passed (a deadline nested in any outer one). Returns its status, or 124
 * with *expired set when the deadline stopped it. */
int uc_run_with_deadline(UtilCtx *c, char *const *argv, uint64_t ms, bool *expired);
/* True when name is one of the shell's utilities or an embedder's command
 * (found as if installed in /usr/bin). For which. */
bool uc_is_utility(UtilCtx *c, const char *name);
/* True when stdin is a pipe or a file, not /dev/null or a terminal (rg and
 * fd search it, or the working directory, as the real tools decide). */
bool uc_stdin_has_data(UtilCtx *c);
/* Runs a shell script string in a subshell copy of the state (for awk system(), sh -c). */
int uc_run_script(UtilCtx *c, const char *script);
/* uc_run_script with redirected standard streams, for awk's pipes: stdin
 * reads in[0..in_len) when in is not NULL (print | "cmd", run at close);
 * stdout is captured into *out (malloc'd, *out_len bytes, NUL-terminated)
 * when out is not NULL ("cmd" | getline). Other fds are this command's. */
int uc_run_script_io(UtilCtx *c, const char *script, const char *in, size_t in_len, char **out, size_t *out_len);
/* The same with the script's standard output captured: *out (malloc'd, the
 * caller frees it) and *outlen receive what it wrote (sed's e command). */
int uc_run_script_capture(UtilCtx *c, const char *script, char **out, size_t *outlen);
/* The utility handled a closed pipe itself (said so, chose its exit status, as
 * python3 does with BrokenPipeError): the shell keeps that status instead of
 * reporting 141. */
void uc_keep_status(UtilCtx *c);
/* The `data` given to shell_add_command() for an embedder's command; NULL for
 * the shell's own utilities. */
void *uc_command_data(UtilCtx *c);
/* A random 32-bit value from the session's generator (seedable, no host entropy needed). */
uint32_t uc_random(UtilCtx *c);
/* The session's niceness as nice(1) reports it: nice changes it for the
 * command it runs (subshells inherit it); nothing is scheduled by it. */
int uc_niceness(UtilCtx *c);
void uc_set_niceness(UtilCtx *c, int niceness);

/* ---- the utility table ---- */
typedef struct UtilPushOps {
    /* Parse argv. Return a state to be fed, or NULL with *status set: a status
     * >= 0 means the utility already finished (e.g. a usage error); -1 means
     * "call main instead" (e.g. file operands were given). */
    void *(*start)(UtilCtx *c, int argc, char **argv, int *status);
    int (*feed)(void *state, const char *data, size_t n); /* 0 = more, 1 = done */
    int (*finish)(void *state);                            /* frees state; exit status */
} UtilPushOps;

typedef struct UtilDef {
    const char *name;
    int (*main)(UtilCtx *c, int argc, char **argv);
    const UtilPushOps *push; /* NULL for pull-only utilities */
} UtilDef;

const UtilDef *util_lookup(const char *name);
/* All utilities, terminated by an entry with name == NULL (for `compgen -c`, `help`). */
const UtilDef *util_table(void);

#endif
