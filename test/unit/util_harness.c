/* util_harness.c - a minimal UtilCtx over the real process fds, for testing
 * utilities outside the shell.
 *
 *   u NAME ARGS...      runs NAME's main
 *   u -p NAME ARGS...   runs NAME push-style when it has push ops: stdin is
 *                       read in small random-size chunks and fed; falls back
 *                       to main when start() says so.
 * UTIL_SEED sets the chunk-size seed. uc_run_script runs `bash -c`. */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

struct UtilCtx {
    const char *name;
    uint32_t rng;
};

struct UcFile {
    int fd;
    bool own;
    char *buf;
    size_t pos, len, cap;
};

static ssize_t read_full(int fd, void *buf, size_t n) {
    for (;;) {
        ssize_t r = read(fd, buf, n);
        if (r < 0 && errno == EINTR) continue;
        return r;
    }
}

static int write_full(int fd, const void *buf, size_t n) {
    const char *p = buf;
    while (n) {
        ssize_t r = write(fd, p, n);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return -1;
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

ssize_t uc_read(UtilCtx *c, int fd, void *buf, size_t n) {
    (void)c;
    return read_full(fd, buf, n);
}

int uc_write(UtilCtx *c, int fd, const void *buf, size_t n) {
    (void)c;
    return write_full(fd, buf, n);
}

int uc_puts(UtilCtx *c, int fd, const char *s) { return uc_write(c, fd, s, strlen(s)); }

int uc_printf(UtilCtx *c, int fd, const char *fmt, ...) {
    char *s = NULL;
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (n < 0) return -1;
    int r = uc_write(c, fd, s, (size_t)n);
    free(s);
    return r;
}

void uc_error(UtilCtx *c, const char *fmt, ...) {
    char *s = NULL;
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    uc_printf(c, 2, "%s: %s\n", c->name, s);
    free(s);
}

const char *uc_name(UtilCtx *c) { return c->name; }

static int path_fd(const char *path, const char *mode) {
    if (!strcmp(path, "-")) return mode[0] == 'r' ? 0 : 1;
    if (!strcmp(path, "/dev/stdin")) return 0;
    if (!strcmp(path, "/dev/stdout")) return 1;
    if (!strcmp(path, "/dev/stderr")) return 2;
    if (!strncmp(path, "/dev/fd/", 8)) return atoi(path + 8);
    return -1;
}

UcFile *uc_open(UtilCtx *c, const char *path, const char *mode) {
    (void)c;
    int fd = path_fd(path, mode);
    bool own = fd < 0;
    if (own) {
        int flags = mode[0] == 'r'   ? O_RDONLY
                    : mode[0] == 'a' ? O_WRONLY | O_CREAT | O_APPEND
                                     : O_WRONLY | O_CREAT | O_TRUNC;
        fd = open(path, flags, 0666);
        if (fd < 0) return NULL;
    }
    UcFile *f = calloc(1, sizeof *f);
    f->fd = fd;
    f->own = own;
    return f;
}

bool uc_seekable(UcFile *f) { return lseek(f->fd, 0, SEEK_CUR) >= 0; }

int uc_fstat(UcFile *f, struct stat *st) { return fstat(f->fd, st); }

/* The harness's fds are the process's own, so /dev/fd/N is the kernel's. */
int uc_stat(UtilCtx *c, const char *path, struct stat *st) {
    (void)c;
    return stat(path, st);
}

ssize_t uc_fread(UcFile *f, void *buf, size_t n) {
    if (f->pos < f->len) {
        size_t k = f->len - f->pos < n ? f->len - f->pos : n;
        memcpy(buf, f->buf + f->pos, k);
        f->pos += k;
        return (ssize_t)k;
    }
    return read_full(f->fd, buf, n);
}

static ssize_t fill(UcFile *f) {
    if (f->pos > 0) {
        memmove(f->buf, f->buf + f->pos, f->len - f->pos);
        f->len -= f->pos;
        f->pos = 0;
    }
    if (f->cap - f->len < 4096) {
        f->cap = f->cap ? f->cap * 2 : 8192;
        f->buf = realloc(f->buf, f->cap);
    }
    ssize_t r = read_full(f->fd, f->buf + f->len, f->cap - f->len);
    if (r > 0) f->len += (size_t)r;
    return r;
}

static ssize_t take_line(UcFile *f, size_t take, char **line, size_t *cap) {
    if (*cap < take + 1) {
        *cap = take + 1;
        *line = realloc(*line, *cap);
    }
    memcpy(*line, f->buf + f->pos, take);
    (*line)[take] = 0;
    f->pos += take;
    return (ssize_t)take;
}

ssize_t uc_getdelim(UcFile *f, char **line, size_t *cap, int delim) {
    size_t scanned = 0;
    for (;;) {
        size_t avail = f->len - f->pos;
        char *start = f->buf + f->pos;
        char *hit = avail > scanned ? memchr(start + scanned, delim, avail - scanned) : NULL;
        if (hit) return take_line(f, (size_t)(hit - start) + 1, line, cap);
        scanned = avail;
        if (fill(f) <= 0) return avail ? take_line(f, avail, line, cap) : -1;
    }
}

int uc_fwrite(UcFile *f, const void *buf, size_t n) { return write_full(f->fd, buf, n); }

int uc_close(UcFile *f) {
    int r = f->own ? close(f->fd) : 0;
    free(f->buf);
    free(f);
    return r;
}

const char *uc_getenv(UtilCtx *c, const char *name) {
    (void)c;
    return getenv(name);
}

char *const *uc_environ(UtilCtx *c) {
    (void)c;
    return environ;
}

void uc_flush(UtilCtx *c) { (void)c; }

bool uc_in_background(UtilCtx *c) {
    (void)c;
    return false;
}

bool uc_defer_sleep(UtilCtx *c, double seconds) {
    (void)c;
    (void)seconds;
    return false;
}

bool uc_should_stop(UtilCtx *c) {
    (void)c;
    return false;
}

bool uc_within_memory(UtilCtx *c, uint64_t n, const char *what) {
    (void)c, (void)n, (void)what;
    return true;
}

int uc_run_argv(UtilCtx *c, char *const *argv) {
    const UtilDef *d = util_lookup(argv[0]);
    if (!d) {
        uc_printf(c, 2, "%s: command not found\n", argv[0]);
        return 127;
    }
    UtilCtx sub = *c;
    sub.name = argv[0];
    int argc = 0;
    while (argv[argc]) argc++;
    return d->main(&sub, argc, (char **)argv);
}

int uc_command_lookup(UtilCtx *c, const char *name) {
    (void)c;
    return util_lookup(name) ? 0 : ENOENT;
}

/* Utilities only: the harness has no shell to run builtins or scripts. */
int uc_spawn(UtilCtx *c, char *const *argv, const UcSpawn *how) {
    (void)how;
    if (!util_lookup(argv[0])) {
        errno = ENOENT;
        return -1;
    }
    return uc_run_argv(c, argv);
}

int uc_run_with_deadline(UtilCtx *c, char *const *argv, uint64_t ms, bool *expired) {
    (void)ms;
    *expired = false;
    return uc_run_argv(c, argv);
}

bool uc_stdin_has_data(UtilCtx *c) {
    (void)c;
    return false;
}

bool uc_is_utility(UtilCtx *c, const char *name) {
    (void)c;
    return util_lookup(name) != NULL;
}

int uc_run_script(UtilCtx *c, const char *script) {
    (void)c;
    pid_t pid = fork();
    if (pid == 0) {
        execlp("bash", "bash", "-c", script, (char *)NULL);
        _exit(127);
    }
    int st = 0;
    if (pid < 0 || waitpid(pid, &st, 0) < 0) return 127;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Through temporary files, so a big input cannot block on a full pipe. */
int uc_run_script_io(UtilCtx *c, const char *script, const char *in, size_t in_len, char **out, size_t *out_len) {
    (void)c;
    char inpath[] = "/tmp/harness-in.XXXXXX", outpath[] = "/tmp/harness-out.XXXXXX";
    int infd = -1, outfd = -1;
    if (in) {
        infd = mkstemp(inpath);
        if (infd < 0) return 127;
        if (in_len && write(infd, in, in_len) != (ssize_t)in_len) { close(infd); unlink(inpath); return 127; }
        lseek(infd, 0, SEEK_SET);
    }
    if (out) {
        outfd = mkstemp(outpath);
        if (outfd < 0) return 127;
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        if (infd >= 0) dup2(infd, 0);
        if (outfd >= 0) dup2(outfd, 1);
        execlp("bash", "bash", "-c", script, (char *)NULL);
        _exit(127);
    }
    int st = 0;
    if (pid < 0 || waitpid(pid, &st, 0) < 0) st = 127 << 8;
    if (infd >= 0) { close(infd); unlink(inpath); }
    if (outfd >= 0) {
        off_t n = lseek(outfd, 0, SEEK_END);
        lseek(outfd, 0, SEEK_SET);
        *out = malloc((size_t)n + 1);
        ssize_t got = n > 0 ? read(outfd, *out, (size_t)n) : 0;
        *out_len = got > 0 ? (size_t)got : 0;
        (*out)[*out_len] = 0;
        close(outfd);
        unlink(outpath);
    }
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int uc_run_script_capture(UtilCtx *c, const char *script, char **out, size_t *outlen) {
    (void)c;
    *out = NULL;
    *outlen = 0;
    FILE *p = popen(script, "r");
    if (!p) return 127;
    size_t cap = 0;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) {
        if (*outlen + n + 1 > cap) {
            cap = (*outlen + n + 1) * 2;
            *out = realloc(*out, cap);
        }
        memcpy(*out + *outlen, buf, n);
        *outlen += n;
    }
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

uint64_t uc_memory_limit(UtilCtx *c) {
    (void)c;
    return 0;
}

/* The harness runs the shell's own utilities: no embedder data, no
 * embedder commands (src/net registers its commands into a shell). */
void *uc_command_data(UtilCtx *c) {
    (void)c;
    return NULL;
}

void uc_keep_status(UtilCtx *c) { (void)c; }

struct Shell;
bool shell_add_command(struct Shell *sh, const struct UtilDef *def, void *data);
bool shell_add_command(struct Shell *sh, const struct UtilDef *def, void *data) {
    (void)sh, (void)def, (void)data;
    return false;
}

int uc_niceness(UtilCtx *c) {
    (void)c;
    return 0;
}

void uc_set_niceness(UtilCtx *c, int niceness) {
    (void)c;
    (void)niceness;
}

uint32_t uc_random(UtilCtx *c) {
    uint32_t x = c->rng ? c->rng : 2463534242u;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    c->rng = x;
    return x;
}

static int run_push(UtilCtx *c, const UtilDef *d, int argc, char **argv) {
    int status = 0;
    void *st = d->push->start(c, argc, argv, &status);
    if (!st) return status >= 0 ? status : d->main(c, argc, argv);
    char buf[512];
    for (;;) {
        size_t want = 1 + uc_random(c) % sizeof buf;
        ssize_t n = read_full(0, buf, want);
        if (n <= 0) break;
        if (d->push->feed(st, buf, (size_t)n)) break;
    }
    return d->push->finish(st);
}

int main(int argc, char **argv) {
    signal(SIGPIPE, SIG_IGN);
    bool push = argc > 1 && !strcmp(argv[1], "-p");
    if (push) {
        argv++;
        argc--;
    }
    if (argc < 2) {
        fprintf(stderr, "usage: u [-p] NAME ARGS...\n");
        return 2;
    }
    const UtilDef *d = util_lookup(argv[1]);
    if (!d) {
        fprintf(stderr, "u: %s: no such utility\n", argv[1]);
        return 127;
    }
    const char *seed = getenv("UTIL_SEED");
    UtilCtx c = {argv[1], seed ? (uint32_t)strtoul(seed, NULL, 10) | 1u : 12345u};
    if (push && d->push) return run_push(&c, d, argc - 1, argv + 1);
    return d->main(&c, argc - 1, argv + 1);
}
