/* bridge.c - the C entry points of the wasmsh side module, called by the JS
 * glue (js/session.mjs) through the module's exports.
 *
 * Every entry point takes and returns plain i32/f64 values: strings are
 * (pointer, length) pairs in Pyodide's wasm memory, allocated with
 * wasmsh_alloc (the main module exports no malloc to JS). Limits are doubles
 * so that JS never has to build BigInts. */
#include "bridge.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define EXPORT __attribute__((used, visibility("default")))

#ifndef WASMSH_STANDALONE
/* The 4.0.9 layout (src/bridge/abi/bits/stat.h) or nothing works. */
_Static_assert(sizeof(struct stat) == 96, "struct stat must have Emscripten 4.0.9's layout");
_Static_assert(offsetof(struct stat, st_size) == 24, "st_size at 24");
_Static_assert(offsetof(struct stat, st_mtim) == 56, "st_mtim at 56");
_Static_assert(offsetof(struct stat, st_ino) == 88, "st_ino at 88");
_Static_assert(sizeof(time_t) == 8, "time_t must be 64-bit");
#endif

EXPORT void *wasmsh_alloc(size_t n) { return malloc(n ? n : 1); }
EXPORT void wasmsh_free(void *p) { free(p); }

static void bridge_write(void *ctx, int fd, const char *data, size_t n) {
    Bridge *b = ctx;
    if (b->write) b->write(fd, data, n);
}

static ssize_t bridge_read(void *ctx, char *buf, size_t n) {
    Bridge *b = ctx;
    size_t left = b->stdin_len - b->stdin_pos;
    if (n > left) n = left;
    memcpy(buf, b->stdin_data + b->stdin_pos, n);
    b->stdin_pos += n;
    return (ssize_t)n;
}

static int bridge_poll_signal(void *ctx) {
    Bridge *b = ctx;
    return b->poll ? b->poll() : 0;
}

/* hooks: function-table indices from addFunction, 0 for none.
 * write: 'viii' (fd, ptr, len); poll: 'i' (signal number or 0);
 * fetch: 'iiii' (req ptr, req len, WasmshBlob *out). */
EXPORT Bridge *wasmsh_new(int write_fn, int poll_fn, int fetch_fn, int python) {
    Bridge *b = calloc(1, sizeof *b);
    if (!b) return NULL;
    b->write = write_fn ? (BridgeWriteFn)(uintptr_t)write_fn : NULL;
    b->poll = poll_fn ? (BridgePollFn)(uintptr_t)poll_fn : NULL;
    b->fetch = fetch_fn ? (BridgeFetchFn)(uintptr_t)fetch_fn : NULL;
    ShellHost host;
    memset(&host, 0, sizeof host);
    host.ctx = b;
    host.write = bridge_write;
    host.read = bridge_read;
    host.poll_signal = bridge_poll_signal;
    b->sh = shell_new(&host, "wasmsh");
    if (!b->sh) {
        free(b);
        return NULL;
    }
    net_register(b->sh, &b->fetch); /* curl, wget (src/net/) */
    /* python: 1 contained (the sandbox), 2 uncontained (a page's own Pyodide) */
    if (python) b->py = pybridge_new(b);
    if (b->py && python == 2) pybridge_uncontained(b->py);
    return b;
}

EXPORT void wasmsh_destroy(Bridge *b) {
    if (!b) return;
    shell_free(b->sh);
    pybridge_free(b->py);
    free(b->stdin_data);
    free(b);
}

static uint64_t limit_of(double v) {
    if (!(v > 0)) return 0;
    if (v >= 1e18) return UINT64_MAX >> 2; /* "unlimited", far from overflowing */
    return (uint64_t)v;
}

/* 0 = the shell's default for each. */
EXPORT void wasmsh_set_limits(Bridge *b, double steps, double ms, double output, double memory) {
    b->limits.max_steps = limit_of(steps);
    b->limits.timeout_ms = limit_of(ms);
    b->limits.max_output = limit_of(output);
    b->limits.max_memory = limit_of(memory);
    shell_set_limits(b->sh, &b->limits);
}

/* NUL-separated "K=V" strings ending with an empty one. */
EXPORT void wasmsh_import_env(Bridge *b, const char *block) {
    size_t n = 0;
    for (const char *p = block; *p; p += strlen(p) + 1) n++;
    char **envp = calloc(n + 1, sizeof *envp);
    if (!envp) return;
    n = 0;
    for (const char *p = block; *p; p += strlen(p) + 1) envp[n++] = (char *)p;
    shell_import_env(b->sh, envp);
    free(envp);
}

/* $0 and the positional parameters: `count` NUL-terminated strings one after
 * another (empty ones allowed); the first is $0. */
EXPORT void wasmsh_set_args(Bridge *b, const char *block, int count) {
    if (count < 1) return;
    char **argv = calloc((size_t)count, sizeof *argv);
    if (!argv) return;
    const char *p = block;
    for (int i = 0; i < count; i++) {
        argv[i] = (char *)p;
        p += strlen(p) + 1;
    }
    shell_set_args(b->sh, argv[0], count - 1, argv + 1);
    free(argv);
}

/* The script runs with `stdin` (may be empty) as its fd 0. */
EXPORT int wasmsh_run(Bridge *b, const char *script, size_t len, const char *stdin_data, size_t stdin_len) {
    free(b->stdin_data);
    b->stdin_data = malloc(stdin_len ? stdin_len : 1);
    if (!b->stdin_data) return 2;
    if (stdin_len) memcpy(b->stdin_data, stdin_data, stdin_len);
    b->stdin_len = stdin_len;
    b->stdin_pos = 0;
    int st = shell_run(b->sh, script, len, NULL);
    free(b->stdin_data);
    b->stdin_data = NULL;
    b->stdin_len = b->stdin_pos = 0;
    return st;
}

/* NULL, or the budget that stopped the last run ("steps", "time", ...). */
EXPORT const char *wasmsh_stop_reason(Bridge *b) { return shell_stop_reason(b->sh); }
EXPORT int wasmsh_truncated(Bridge *b) { return shell_output_truncated(b->sh); }
EXPORT int wasmsh_has_exited(Bridge *b) { return shell_has_exited(b->sh); }

/* For Python's interrupt check (see pybridge_poll). */
EXPORT int wasmsh_py_poll(Bridge *b) { return b && b->py ? pybridge_poll(b->py) : 0; }

/* Python's fds 0/1/2 while python3 runs (see pybridge_fd_io). */
EXPORT long wasmsh_py_fd_write(Bridge *b, int fd, char *data, size_t n) {
    return b && b->py ? pybridge_fd_io(b->py, fd, data, n, 1) : PYBRIDGE_NOT_ROUTED;
}
EXPORT long wasmsh_py_fd_read(Bridge *b, int fd, char *buf, size_t n) {
    return b && b->py ? pybridge_fd_io(b->py, fd, buf, n, 0) : PYBRIDGE_NOT_ROUTED;
}

/* The ABI self-test: stat() (or lstat() when `link`) of `path` as this module
 * sees it, into out[0..7]: size (low, high 32 bits), mode, nlink, mtime
 * seconds (low, high), mtime nanoseconds, inode (low 32 bits). Returns 0 or
 * errno. */
EXPORT int wasmsh_stat_selftest(const char *path, int link, int32_t *out) {
    struct stat st;
    int r = link ? lstat(path, &st) : stat(path, &st);
    if (r != 0) return errno ? errno : -1;
    uint64_t size = (uint64_t)st.st_size;
    uint64_t mtime = (uint64_t)st.st_mtim.tv_sec;
    out[0] = (int32_t)(size & 0xffffffffu);
    out[1] = (int32_t)(size >> 32);
    out[2] = (int32_t)st.st_mode;
    out[3] = (int32_t)st.st_nlink;
    out[4] = (int32_t)(mtime & 0xffffffffu);
    out[5] = (int32_t)(mtime >> 32);
    out[6] = (int32_t)st.st_mtim.tv_nsec;
    out[7] = (int32_t)(st.st_ino & 0xffffffffu);
    return 0;
}

/* Budgets the JS side enforces (js_guard.mjs, fs_quota.mjs) end the run as
 * the shell's own do: which = 0 heap (the wasm memory ceiling), 1 fileSize,
 * 2 disk (all files together), 3 files (how many). */
EXPORT void wasmsh_budget_stop(Bridge *b, int which) {
    static const struct {
        const char *reason, *message;
    } budgets[] = {
        {"heap", "memory limit exceeded (the session's memory cannot grow further)"},
        {"fileSize", "file size limit exceeded"},
        {"disk", "file system size limit exceeded"},
        {"files", "file count limit exceeded"},
    };
    if (!b || which < 0 || which >= (int)(sizeof budgets / sizeof budgets[0])) return;
    shell_budget_stop(b->sh, budgets[which].reason, budgets[which].message);
}

/* 1 when a python3 command damaged the interpreter's shared state beyond
 * repair: the session then moves to a fresh runtime (session_core.mjs). */
EXPORT int wasmsh_py_damaged(Bridge *b) { return b && b->py ? pybridge_damaged(b->py) : 0; }
