/* io.c - virtual file descriptors. Every fd of the shell points at a
 * reference-counted Stream: the host's output (buffered, counted against the
 * output budget), the host's input, a libc file, an in-memory buffer (pipes
 * between stages, here-documents, command substitution), or a push stage (a
 * utility fed synchronously by the producer's writes). Also the UtilCtx
 * functions of util.h, which utilities use to reach these streams. */
#include "state.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct PushStage {
    const UtilDef *def;
    void *state;
    UtilCtx *ctx;
    StrList argv;   /* a copy that lives until finish(): states may point into it */
    bool done;
};

Stream *stream_new(StreamKind k) {
    Stream *s = xcalloc(1, sizeof *s);
    s->refs = 1;
    s->kind = k;
    s->fd = -1;
    sb_init(&s->data);
    return s;
}

Stream *stream_ref(Stream *s) {
    if (s) s->refs++;
    return s;
}

void stream_unref(Shell *sh, Stream *s) {
    if (!s || --s->refs > 0) return;
    if (s->kind == ST_FILE && s->fd >= 0) close(s->fd);
    if (s->kind == ST_BUFFER && s->path && sh) {
        /* >(cmd): the writer is done; run cmd with what it wrote as stdin. */
        Shell *sub = shell_clone(sh);
        Stream *in = stream_new(ST_BUFFER);
        in->readable = true;
        sb_put(&in->data, sb_cstr(&s->data), s->data.len);
        stream_unref(sub, sub->fds[0]);
        sub->fds[0] = in;
        exec_script(sub, s->path, strlen(s->path), NULL, false);
        shell_clone_free(sub, sh);
    }
    sb_free(&s->data);
    free(s->path);
    free(s);
}

/* ---------- host output with budget ---------- */

static void host_emit(Shell *sh, int fd, const char *data, size_t n) {
    if (!n) return;
    if (sh->host.write) {
        sh->host.write(sh->host.ctx, fd, data, n);
        return;
    }
    while (n) {
        ssize_t w = write(fd, data, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            return;
        }
        data += w;
        n -= (size_t)w;
    }
}

void shell_flush(Shell *sh) {
    RunCtx *r = sh->run;
    if (r->outbuf.len) host_emit(sh, r->outfd, r->outbuf.s, r->outbuf.len);
    sb_clear(&r->outbuf);
}

static int host_write(Shell *sh, int fd, const char *data, size_t n) {
    RunCtx *r = sh->run;
    if (r->stop_reason) return -1;
    if (r->lim.max_output && r->out_bytes + n > r->lim.max_output) {
        size_t room = (size_t)(r->lim.max_output - r->out_bytes);
        if (room) host_write(sh, fd, data, room);
        r->truncated = true;
        budget_stop(sh, "output", "output limit exceeded");
        errno = EPIPE;
        return -1;
    }
    r->out_bytes += n;
    if (r->outfd != fd && r->outbuf.len) shell_flush(sh);
    r->outfd = fd;
    sb_put(&r->outbuf, data, n);
    if (r->outbuf.len >= 16384 || fd == 2) shell_flush(sh);
    return 0;
}

/* ---------- reading ---------- */

/* A reader reached the end of a pipe whose writer was stopped at
 * max_pipe_buffer: the data it wants was never produced. */
static ssize_t pipe_underrun(Shell *sh, Stream *s) {
    s->overflowed = false;
    budget_stop(sh, "memory", "pipe buffer limit exceeded (its writer was stopped; the reader wanted more)");
    errno = ENOMEM;
    return -1;
}

static ssize_t fill(Shell *sh, Stream *s) {
    char buf[16384];
    ssize_t r;
    if (s->kind == ST_HOST_IN) {
        shell_flush(sh);
        if (sh->host.read) r = sh->host.read(sh->host.ctx, buf, sizeof buf);
        else {
            do r = read(0, buf, sizeof buf); while (r < 0 && errno == EINTR);
        }
    } else {
        do r = read(s->fd, buf, sizeof buf); while (r < 0 && errno == EINTR);
    }
    if (r > 0) {
        if (s->rpos == s->data.len) { sb_clear(&s->data); s->rpos = 0; }
        sb_put(&s->data, buf, (size_t)r);
    }
    return r;
}

ssize_t stream_read(Shell *sh, Stream *s, void *buf, size_t n) {
    if (!s) { errno = EBADF; return -1; }
    switch (s->kind) {
    case ST_NULL: return 0;
    case ST_ZERO: memset(buf, 0, n); return (ssize_t)n;
    case ST_RANDOM:
        for (size_t i = 0; i < n; i++) {
            sh->rand_state = sh->rand_state * 1103515245u + 12345u;
            ((unsigned char *)buf)[i] = (unsigned char)(sh->rand_state >> 16);
        }
        return (ssize_t)n;
    case ST_BUFFER: {
        size_t avail = s->data.len - s->rpos;
        if (!avail && s->overflowed) return pipe_underrun(sh, s);
        if (n > avail) n = avail;
        if (n) memcpy(buf, s->data.s + s->rpos, n);
        s->rpos += n;
        return (ssize_t)n;
    }
    case ST_FILE: case ST_HOST_IN: {
        if (s->rpos == s->data.len) {
            if (s->kind == ST_FILE && s->data.len == 0) {
                ssize_t r;
                do r = read(s->fd, buf, n); while (r < 0 && errno == EINTR);
                return r;
            }
            if (s->kind == ST_HOST_IN && !sh->host.read && n >= 16384) {
                /* a big read of the host's stdin goes straight into the caller's
                 * buffer (utilities read 256 KiB at a time) */
                shell_flush(sh);
                sb_clear(&s->data);
                s->rpos = 0;
                ssize_t r;
                do r = read(0, buf, n); while (r < 0 && errno == EINTR);
                return r;
            }
            ssize_t r = fill(sh, s);
            if (r <= 0) return r;
        }
        size_t avail = s->data.len - s->rpos;
        if (n > avail) n = avail;
        memcpy(buf, s->data.s + s->rpos, n);
        s->rpos += n;
        return (ssize_t)n;
    }
    default: errno = EBADF; return -1;
    }
}

int stream_getc(Shell *sh, Stream *s) {
    if (!s) return -1;
    if ((s->kind == ST_FILE || s->kind == ST_HOST_IN) && s->rpos == s->data.len) {
        if (fill(sh, s) <= 0) return -1;
    }
    if (s->kind == ST_FILE || s->kind == ST_HOST_IN || s->kind == ST_BUFFER) {
        if (s->rpos >= s->data.len) return s->overflowed ? (int)pipe_underrun(sh, s) : -1;
        return (unsigned char)s->data.s[s->rpos++];
    }
    unsigned char c;
    return stream_read(sh, s, &c, 1) == 1 ? c : -1;
}

/* ---------- writing ---------- */

static int push_feed(Stream *s, const char *data, size_t n);

int stream_write(Shell *sh, Stream *s, const void *buf, size_t n) {
    if (!s) { errno = EBADF; return -1; }
    switch (s->kind) {
    case ST_NULL: case ST_ZERO: case ST_RANDOM: return 0;
    case ST_HOST_OUT: return host_write(sh, s->fd, buf, n);
    case ST_BUFFER: {
        RunCtx *r = sh->run;
        if (s->is_pipe && s->data.len + n > r->lim.max_pipe_buffer) {
            /* the reader runs later: stop the writer as a full pipe whose
             * reader went away would (SIGPIPE); if the reader turns out to
             * want more than was kept, pipe_underrun stops the run */
            if (s->data.len < r->lim.max_pipe_buffer) sb_put(&s->data, buf, (size_t)(r->lim.max_pipe_buffer - s->data.len));
            s->overflowed = true;
            errno = EPIPE;
            return -1;
        }
        if (r->lim.max_memory && s->data.len + n > r->lim.max_memory) {
            budget_stop(sh, "memory", "memory limit exceeded (pipe buffer)");
            errno = ENOMEM;
            return -1;
        }
        sb_put(&s->data, buf, n);
        return 0;
    }
    case ST_PUSH:
        if (s->closed) { errno = EPIPE; return -1; }
        if (n == 0) return 0; /* a probe (is the reader still there?), not data */
        if (push_feed(s, buf, n)) s->closed = true;
        return 0;
    case ST_FILE: {
        const char *p = buf;
        if (s->data.len > s->rpos) { /* discard read-ahead so the write lands where expected */
            lseek(s->fd, -(off_t)(s->data.len - s->rpos), SEEK_CUR);
            sb_clear(&s->data);
            s->rpos = 0;
        }
        while (n) {
            ssize_t w = write(s->fd, p, n);
            if (w < 0) {
                if (errno == EINTR) continue;
                return -1;
            }
            p += w;
            n -= (size_t)w;
        }
        return 0;
    }
    default: errno = EBADF; return -1;
    }
}

/* ---------- UtilCtx ---------- */

struct UtilCtx {
    Shell *sh;
    char *name;       /* a copy: a push stage outlives the argv it was started with */
    Stream *fds[3];   /* snapshot of 0..2 for push stages; NULL = use the shell's */
    StrList env;
    StrList env_overlay; /* NAME=VALUE from a push stage's prefix assignments */
    bool env_built;
    bool sigpipe;
    void *data;       /* shell_add_command registration data */
    bool keep_status; /* uc_keep_status: no 141 after EPIPE */
};

UtilCtx *utilctx_new(Shell *sh, const char *name, bool snapshot) {
    UtilCtx *c = xcalloc(1, sizeof *c);
    c->sh = sh;
    c->name = xstrdup(name);
    sl_init(&c->env);
    sl_init(&c->env_overlay);
    if (snapshot)
        for (int i = 0; i < 3; i++) c->fds[i] = stream_ref(sh->fds[i]);
    return c;
}

void utilctx_set_data(UtilCtx *c, void *data) { c->data = data; }

void *uc_command_data(UtilCtx *c) { return c->data; }

void utilctx_free(UtilCtx *c) {
    for (int i = 0; i < 3; i++) stream_unref(c->sh, c->fds[i]);
    sl_free(&c->env);
    sl_free(&c->env_overlay);
    free(c->name);
    free(c);
}

bool utilctx_sigpipe(UtilCtx *c) { return c->sigpipe && !c->keep_status; }

void uc_keep_status(UtilCtx *c) { c->keep_status = true; }

static Stream *ctx_fd(UtilCtx *c, int fd) {
    if (fd >= 0 && fd < 3 && c->fds[fd]) return c->fds[fd];
    if (fd < 0 || fd >= SH_MAXFD) return NULL;
    return c->sh->fds[fd];
}

ssize_t uc_read(UtilCtx *c, int fd, void *buf, size_t n) {
    Stream *s = ctx_fd(c, fd);
    if (!s) { errno = EBADF; return -1; }
    return stream_read(c->sh, s, buf, n);
}

int uc_write(UtilCtx *c, int fd, const void *buf, size_t n) {
    Stream *s = ctx_fd(c, fd);
    if (!s) { errno = EBADF; return -1; }
    int r = stream_write(c->sh, s, buf, n);
    if (r < 0 && errno == EPIPE) c->sigpipe = true;
    if (r < 0 && c->sh->run->stop_reason) errno = EPIPE;
    return r;
}

int uc_puts(UtilCtx *c, int fd, const char *s) { return uc_write(c, fd, s, strlen(s)); }

int uc_printf(UtilCtx *c, int fd, const char *fmt, ...) {
    StrBuf b;
    sb_init(&b);
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&b, fmt, ap);
    va_end(ap);
    int r = uc_write(c, fd, sb_cstr(&b), b.len);
    sb_free(&b);
    return r;
}

void uc_error(UtilCtx *c, const char *fmt, ...) {
    StrBuf b;
    sb_init(&b);
    sb_printf(&b, "%s: ", c->name);
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&b, fmt, ap);
    va_end(ap);
    sb_putc(&b, '\n');
    uc_write(c, 2, sb_cstr(&b), b.len);
    sb_free(&b);
}

const char *uc_name(UtilCtx *c) { return c->name; }

/* The overlay entry "NAME=..." for name, or NULL. */
static const char *overlay_find(const UtilCtx *c, const char *name, size_t len) {
    for (size_t i = 0; i < c->env_overlay.n; i++) {
        const char *e = c->env_overlay.v[i];
        if (!strncmp(e, name, len) && e[len] == '=') return e;
    }
    return NULL;
}

const char *uc_getenv(UtilCtx *c, const char *name) {
    const char *o = overlay_find(c, name, strlen(name));
    if (o) return o + strlen(name) + 1;
    Var *v = var_lookup(c->sh, name);
    if (!v || !(v->flags & V_EXPORT)) return NULL;
    return v->value;
}

/* The exported variables. $_ is given as bash gives it to a command it
 * runs: the command's path (utilities are found in /usr/bin). */
char *const *uc_environ(UtilCtx *c) {
    static char *const empty[] = {NULL};
    sl_clear(&c->env);
    vars_environ(c->sh, &c->env);
    for (size_t i = 0; i < c->env.n; i++) { /* overridden entries go; the overlay is appended */
        const char *eq = strchr(c->env.v[i], '=');
        if (eq && overlay_find(c, c->env.v[i], (size_t)(eq - c->env.v[i]))) {
            free(c->env.v[i]);
            c->env.v[i--] = c->env.v[--c->env.n];
            c->env.v[c->env.n] = NULL;
        }
    }
    for (size_t i = 0; i < c->env_overlay.n; i++) sl_push_copy(&c->env, c->env_overlay.v[i]);
    for (size_t i = 0; i < c->env.n; i++)
        if (!strncmp(c->env.v[i], "_=", 2)) {
            free(c->env.v[i]);
            StrBuf b;
            sb_init(&b);
            sb_printf(&b, "_=/usr/bin/%s", c->name ? c->name : "");
            c->env.v[i] = sb_take(&b);
        }
    return c->env.v ? c->env.v : empty;
}

bool uc_should_stop(UtilCtx *c) { return !budget_poll(c->sh); }

bool uc_within_memory(UtilCtx *c, uint64_t n, const char *what) {
    RunCtx *r = c->sh->run;
    if (!r->lim.max_memory || n <= r->lim.max_memory) return true;
    char msg[128];
    snprintf(msg, sizeof msg, "memory limit exceeded (%s)", what);
    budget_stop(c->sh, "memory", msg);
    return false;
}
uint64_t uc_memory_limit(UtilCtx *c) { return c->sh->run->lim.max_memory; }

bool uc_in_background(UtilCtx *c) { return c->sh->in_background; }

bool uc_defer_sleep(UtilCtx *c, double seconds) {
    Shell *sh = c->sh;
    if (!sh->bg_sleep_deferrable) return false;
    sh->bg_sleep_deferrable = false;
    uint64_t now = now_ms_of(sh);
    double ms = ceil(seconds * 1000.0); /* INFINITY: never */
    sh->bg_sleep_ends_ms = ms < (double)(UINT64_MAX - now) ? now + (uint64_t)ms : UINT64_MAX;
    return true;
}

void uc_flush(UtilCtx *c) { shell_flush(c->sh); }

int uc_run_argv(UtilCtx *c, char *const *argv) {
    int argc = 0;
    while (argv[argc]) argc++;
    return exec_argv(c->sh, argv, argc);
}

int uc_run_with_deadline(UtilCtx *c, char *const *argv, uint64_t ms, bool *expired) {
    Shell *sh = c->sh;
    RunCtx *r = sh->run;
    uint64_t saved = r->cmd_deadline_ms, mine = now_ms_of(sh) + (ms ? ms : 1);
    if (!saved || mine < saved) r->cmd_deadline_ms = mine;
    int argc = 0;
    while (argv[argc]) argc++;
    Shell *sub = shell_clone(sh);
    for (int i = 0; i < 3; i++) {
        Stream *s = ctx_fd(c, i);
        stream_unref(sub, sub->fds[i]);
        sub->fds[i] = s ? stream_ref(s) : NULL;
    }
    int st = exec_argv(sub, argv, argc);
    if (sub->unwind == UW_EXIT || sub->unwind == UW_ERROR) st = sub->exit_status;
    bool aborted = sub->unwind == UW_ABORT;
    sub->unwind = UW_NONE;
    shell_clone_free(sub, sh);
    *expired = false;
    if (aborted && r->stop_reason && !strcmp(r->stop_reason, "timeout") && r->cmd_deadline_ms == mine) {
        /* our deadline, not the run's: the run goes on */
        r->stop_reason = NULL;
        r->stop_status = 0;
        *expired = true;
        st = 124;
    } else if (aborted) {
        sh->unwind = UW_ABORT;
        st = r->stop_status;
    }
    r->cmd_deadline_ms = saved;
    return st;
}

bool uc_stdin_has_data(UtilCtx *c) {
    Stream *s = ctx_fd(c, 0);
    if (!s || !s->readable) return false;
    struct stat st;
    switch (s->kind) {
    case ST_BUFFER: case ST_PUSH: return true;
    case ST_FILE: case ST_HOST_IN:
        if (fstat(s->fd, &st) != 0) return false;
        if (S_ISREG(st.st_mode) || S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)) return true;
#ifdef __EMSCRIPTEN__
        /* the wasm launcher's stdin is a device that can tell its position
         * only when the host's stdin is a regular file */
        return s->kind == ST_HOST_IN && S_ISCHR(st.st_mode) && lseek(s->fd, 0, SEEK_CUR) >= 0;
#else
        return false;
#endif
    default: return false;
    }
}

bool uc_is_utility(UtilCtx *c, const char *name) { return sh_util_lookup(c->sh, name, NULL) != NULL; }


int uc_command_lookup(UtilCtx *c, const char *name) { return command_resolve(c->sh, name); }

static void spawn_env(Shell *sub, const char *const *env) {
    for (size_t i = 0; env && env[i]; i++) {
        const char *eq = strchr(env[i], '=');
        if (!eq) continue;
        char *name = xstrndup(env[i], (size_t)(eq - env[i]));
        var_set_flags(sub, name, eq + 1, V_EXPORT);
        free(name);
    }
}

/* The child runs in a copy of the state with the utility's fds, so nothing it
 * does (cd, assignments, exit) reaches the caller, as with a real child process. */
int uc_spawn(UtilCtx *c, char *const *argv, const UcSpawn *how) {
    static const UcSpawn defaults = {NULL, false, NULL};
    if (!how) how = &defaults;
    int err = command_resolve(c->sh, argv[0]);
    if (err) { errno = err; return -1; }
    char *abs = NULL;
    if (how->dir && !(abs = realpath(how->dir, NULL))) return -1;
    if (abs && chdir(abs) != 0) { err = errno; free(abs); errno = err; return -1; }
    Shell *sub = shell_clone(c->sh);
    for (int i = 0; i < 3; i++) {
        Stream *s = ctx_fd(c, i);
        if (how->null_stdin && i == 0) s = stream_new(ST_NULL), s->readable = true;
        else s = s ? stream_ref(s) : NULL;
        stream_unref(sub, sub->fds[i]);
        sub->fds[i] = s;
    }
    if (abs) { free(sub->cwd); sub->cwd = abs; }
    spawn_env(sub, how->env);
    int argc = 0;
    while (argv[argc]) argc++;
    int st = exec_argv_external(sub, argv, argc);
    if (sub->unwind == UW_EXIT || sub->unwind == UW_ERROR) st = sub->exit_status;
    else if (sub->unwind == UW_SIGPIPE) st = SHELL_STATUS_SIGPIPE;
    else if (sub->unwind == UW_ABORT) c->sh->unwind = UW_ABORT;
    sub->unwind = UW_NONE;
    shell_clone_free(sub, c->sh);
    return st;
}

/* A subshell copy whose fds 0-2 are the command's own (a push stage's
 * snapshot, not whatever the producer has set up meanwhile). */
static Shell *script_shell(UtilCtx *c) {
    Shell *sub = shell_clone(c->sh);
    for (int i = 0; i < 3; i++) {
        if (!c->fds[i]) continue;
        stream_unref(sub, sub->fds[i]);
        sub->fds[i] = stream_ref(c->fds[i]);
    }
    return sub;
}

int uc_run_script(UtilCtx *c, const char *script) {
    Shell *sub = script_shell(c);
    int st = exec_script(sub, script, strlen(script), NULL, true);
    shell_clone_free(sub, c->sh);
    return st;
}

int uc_run_script_io(UtilCtx *c, const char *script, const char *in, size_t in_len, char **out, size_t *out_len) {
    Shell *sub = script_shell(c);
    if (in) {
        Stream *s = stream_new(ST_BUFFER);
        s->readable = true;
        sb_put(&s->data, in, in_len);
        stream_unref(sub, sub->fds[0]);
        sub->fds[0] = s;
    }
    Stream *cap = NULL;
    if (out) {
        cap = stream_new(ST_BUFFER);
        cap->writable = true;
        cap->is_pipe = true;
        stream_unref(sub, sub->fds[1]);
        sub->fds[1] = stream_ref(cap);
    }
    int st = exec_script(sub, script, strlen(script), NULL, true);
    shell_clone_free(sub, c->sh);
    if (cap) {
        *out_len = cap->data.len;
        sb_putc(&cap->data, 0);
        *out = sb_take(&cap->data);
        stream_unref(c->sh, cap);
    }
    return st;
}

int uc_run_script_capture(UtilCtx *c, const char *script, char **out, size_t *outlen) {
    Shell *sub = shell_clone(c->sh);
    Stream *buf = stream_new(ST_BUFFER);
    buf->writable = true;
    stream_unref(sub, sub->fds[1]);
    sub->fds[1] = stream_ref(buf);
    int st = exec_script(sub, script, strlen(script), NULL, true);
    shell_clone_free(sub, c->sh);
    *outlen = buf->data.len;
    *out = sb_take(&buf->data);
    stream_unref(c->sh, buf);
    return st;
}

int uc_niceness(UtilCtx *c) { return c->sh->niceness; }

void uc_set_niceness(UtilCtx *c, int niceness) { c->sh->niceness = niceness; }

/* splitmix64 over the session's seed, the run's start time and the run's
 * draw count: subshells copy rand_state, but the count is shared. */
uint32_t uc_random(UtilCtx *c) {
    Shell *sh = c->sh;
    uint64_t draw = sh->run ? sh->run->rand_draws++ : 0;
    uint64_t z = ((uint64_t)sh->rand_state << 32) ^ (sh->run ? sh->run->start_ms : 0);
    z += (draw + 1) * 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return (uint32_t)((z ^ (z >> 31)) >> 16);
}

/* ---------- UcFile ---------- */

struct UcFile {
    UtilCtx *c;
    Stream *s;
    bool own;
};

/* The shell fd a path names ("-", /dev/stdin, /dev/fd/N, ...), or -1. */
static int fd_named_by(const char *path, bool rd) {
    if (!strcmp(path, "-")) return rd ? 0 : 1;
    if (!strcmp(path, "/dev/stdin")) return 0;
    if (!strcmp(path, "/dev/stdout")) return 1;
    if (!strcmp(path, "/dev/stderr")) return 2;
    if (!strncmp(path, "/dev/fd/", 8) && path[8] >= '0' && path[8] <= '9') return atoi(path + 8);
    return -1;
}

UcFile *uc_open(UtilCtx *c, const char *path, const char *mode) {
    bool rd = mode[0] == 'r';
    Stream *s = NULL;
    int fd = fd_named_by(path, rd);
    UcFile *f = xcalloc(1, sizeof *f);
    f->c = c;
    if (fd >= 0) {
        s = ctx_fd(c, fd);
        if (!s) { free(f); errno = EBADF; return NULL; }
        f->s = stream_ref(s);
        return f;
    }
    int flags = rd ? O_RDONLY : (O_WRONLY | O_CREAT | (mode[0] == 'a' ? O_APPEND : O_TRUNC));
    int err = 0;
    s = open_path_stream(c->sh, path, flags, 0666, &err);
    if (!s) { free(f); errno = err; return NULL; }
    f->s = s;
    return f;
}

ssize_t uc_fread(UcFile *f, void *buf, size_t n) { return stream_read(f->c->sh, f->s, buf, n); }

ssize_t uc_getdelim(UcFile *f, char **line, size_t *cap, int delim) {
    size_t len = 0;
    for (;;) {
        int ch = stream_getc(f->c->sh, f->s);
        if (ch < 0) break;
        if (len + 2 > *cap) {
            *cap = *cap ? *cap * 2 : 128;
            *line = xrealloc(*line, *cap);
        }
        (*line)[len++] = (char)ch;
        if (ch == delim) break;
    }
    if (len == 0) return -1;
    (*line)[len] = 0;
    return (ssize_t)len;
}

int uc_fwrite(UcFile *f, const void *buf, size_t n) {
    int r = stream_write(f->c->sh, f->s, buf, n);
    if (r < 0 && errno == EPIPE) f->c->sigpipe = true;
    return r;
}

bool uc_seekable(UcFile *f) {
    Stream *s = f->s;
    if (s->kind == ST_FILE) return lseek(s->fd, 0, SEEK_CUR) >= 0;
    if (s->kind == ST_HOST_IN) return f->c->sh->host.read != NULL || lseek(s->fd, 0, SEEK_CUR) >= 0;
    return false;
}

int uc_fstat(UcFile *f, struct stat *st) {
    Stream *s = f->s;
    bool host_pipe = s->kind == ST_HOST_IN && f->c->sh->host.read != NULL;
    if ((s->kind == ST_FILE || s->kind == ST_HOST_IN) && !host_pipe)
        return fstat(s->fd, st);
    memset(st, 0, sizeof *st);
    st->st_mode = S_IFIFO | 0600;
    if (s->kind == ST_NULL || s->kind == ST_ZERO || s->kind == ST_RANDOM) st->st_mode = S_IFCHR | 0666;
    return 0;
}

int uc_stat(UtilCtx *c, const char *path, struct stat *st) {
    if (strcmp(path, "-") == 0) return stat(path, st);
    int fd = fd_named_by(path, true);
    if (fd < 0) return stat(path, st);
    Stream *s = ctx_fd(c, fd);
    if (!s) {
        errno = ENOENT; /* as Linux says of /dev/fd/N for a closed N */
        return -1;
    }
    UcFile f = {.c = c, .s = s, .own = false};
    return uc_fstat(&f, st);
}

int uc_close(UcFile *f) {
    stream_unref(f->c->sh, f->s);
    free(f);
    return 0;
}

/* ---------- push stages ---------- */

Stream *push_stream_new(Shell *sh, const UtilDef *def, void *data, int argc, char **argv,
                        const StrList *env, int *status) {
    UtilCtx *c = utilctx_new(sh, argv[0], true);
    c->data = data;
    for (size_t i = 0; env && i < env->n; i++) sl_push_copy(&c->env_overlay, env->v[i]);
    StrList args;
    sl_init(&args);
    for (int i = 0; i < argc; i++) sl_push_copy(&args, argv[i]);
    void *st = def->push->start(c, argc, args.v, status);
    if (!st) {
        sl_free(&args);
        utilctx_free(c);
        return NULL;
    }
    PushStage *p = xcalloc(1, sizeof *p);
    p->def = def;
    p->state = st;
    p->ctx = c;
    p->argv = args;
    Stream *s = stream_new(ST_PUSH);
    s->push = p;
    s->writable = true;
    return s;
}

static int push_feed(Stream *s, const char *data, size_t n) {
    PushStage *p = s->push;
    if (p->done) return 1;
    if (p->def->push->feed(p->state, data, n)) p->done = true;
    return p->done;
}

/* Ends a push stage: returns its exit status. */
int push_stream_finish(Shell *sh, Stream *s) {
    PushStage *p = s->push;
    int st = p->def->push->finish(p->state);
    if (p->ctx->sigpipe) st = SHELL_STATUS_SIGPIPE;
    utilctx_free(p->ctx);
    sl_free(&p->argv);
    free(p);
    s->push = NULL;
    s->closed = true;
    (void)sh;
    return st;
}
