/* head_tail.c - the head and tail utilities, with push ops.
 * head: -n [-]N, -c [-]N, -NUM, -q, -v, -z.  tail: -n [+]N, -c [+]N, -NUM,
 * +NUM, -q, -v, -z, -f / --follow[=name|descriptor], -F, --retry, -s, --pid.
 * Both share one state and one per-chunk function per mode; "keep the last N
 * lines" (tail -n N, head -n -N) uses a line ring.
 *
 * tail -f polls the named files (stat, then read what was appended) every
 * -s seconds (default 0.1) until the run's deadline or a cancel
 * (uc_should_stop), or until its reader goes away. Standard input and pipes
 * are not followed, as GNU ignores pipes. With --pid it stops after one poll:
 * no other process runs in the sandbox. In an `&` job it does not follow at
 * all: the job runs to completion before the script goes on, so nothing
 * could append meanwhile, and waiting would only hold the script up. */
#include "linebuf.h"
#include "ucommon.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- a ring of the last `max` lines ---- */
typedef struct LineRing {
    StrBuf *v;
    size_t cap, first, n;
    uintmax_t max;
} LineRing;

static void ring_grow(LineRing *r) {
    size_t cap = r->cap ? r->cap * 2 : 16;
    if (cap > r->max) cap = (size_t)r->max;
    StrBuf *v = xcalloc(cap, sizeof *v);
    for (size_t i = 0; i < r->n; i++) v[i] = r->v[(r->first + i) % r->cap];
    free(r->v);
    r->v = v;
    r->cap = cap;
    r->first = 0;
}

/* Appends a line; when the ring is full the oldest line is passed to out
 * (if non-NULL) and dropped. */
static void ring_push(LineRing *r, const char *s, size_t len, UOut *out) {
    if (r->max == 0) {
        if (out) uout_put(out, s, len);
        return;
    }
    if (r->n == r->cap && r->cap < r->max) ring_grow(r);
    if (r->n == r->cap) {
        StrBuf *old = &r->v[r->first];
        if (out) uout_put(out, old->s, old->len);
        sb_clear(old);
        r->first = (r->first + 1) % r->cap;
        r->n--;
    }
    StrBuf *slot = &r->v[(r->first + r->n) % r->cap];
    sb_clear(slot);
    sb_put(slot, s, len);
    r->n++;
}

static void ring_drain(LineRing *r, UOut *out) {
    for (size_t i = 0; i < r->n; i++) {
        StrBuf *b = &r->v[(r->first + i) % r->cap];
        if (out) uout_put(out, b->s, b->len);
        sb_clear(b);
    }
    r->n = r->first = 0;
}

static void ring_free(LineRing *r) {
    for (size_t i = 0; i < r->cap; i++) sb_free(&r->v[i]);
    free(r->v);
}

/* ---- shared state ---- */
enum { FOLLOW_NONE, FOLLOW_DESCRIPTOR, FOLLOW_NAME };

/* A file tail -f watches. fd < 0: not open (missing, with --retry). */
typedef struct Followed {
    char *name;
    int fd;
    off_t pos;       /* bytes already printed up to */
    dev_t dev;
    ino_t ino;
} Followed;

typedef struct HT {
    UtilCtx *c;
    UOut out;
    bool tail, bytes;
    bool sign;        /* head: "-N" (all but last N); tail: "+N" (from N) */
    uintmax_t count;
    int delim;
    int verbose;      /* 1 = -v, -1 = -q, 0 = only with several files */
    uintmax_t seen;   /* lines or bytes consumed in the current file */
    bool done;        /* head has output enough of the current file */
    LineBuf lb;
    LineRing ring;
    StrBuf keep;      /* bytes held back (head -c -N, tail -c N) */
    bool any_header;  /* a header was printed already */
    StrList ops;
    int status;
    int follow;          /* FOLLOW_*: tail -f / -F */
    bool retry;
    bool pid_given;
    double interval;     /* -s seconds between polls */
    uintmax_t file_bytes;/* bytes read of the current file (where following starts) */
    Followed *fl;
    size_t nfl;
    const char *last_shown; /* the file whose data was printed last (follow headers) */
} HT;

/* ---- per-chunk processing ---- */
static void head_bytes(HT *s, const char *d, size_t n) {
    uintmax_t left = s->count - s->seen;
    size_t k = left < n ? (size_t)left : n;
    uout_put(&s->out, d, k);
    s->seen += k;
    s->done = s->seen >= s->count;
}

static void head_lines(HT *s, const char *d, size_t n) {
    const char *p = d, *end = d + n;
    while (p < end && s->seen < s->count) {
        const char *nl = mem_find(p, s->delim, (size_t)(end - p));
        if (!nl) {
            p = end;
            break;
        }
        p = nl + 1;
        s->seen++;
    }
    uout_put(&s->out, d, (size_t)(p - d));
    s->done = s->seen >= s->count;
}

/* Keeps the last count bytes in s->keep; what falls out goes to out (head)
 * or is dropped (tail). */
static void keep_last_bytes(HT *s, const char *d, size_t n, UOut *out) {
    sb_put(&s->keep, d, n);
    uintmax_t len = s->keep.len;
    if (len <= s->count || (len < 2 * s->count && len - s->count < 65536)) return;
    size_t drop = (size_t)(len - s->count);
    if (out) uout_put(out, s->keep.s, drop);
    memmove(s->keep.s, s->keep.s + drop, s->keep.len - drop);
    s->keep.len -= drop;
    s->keep.s[s->keep.len] = 0;
}

static int ring_line(void *arg, const char *line, size_t len, bool terminated) {
    (void)terminated;
    HT *s = arg;
    ring_push(&s->ring, line, len, s->tail ? NULL : &s->out);
    return 0;
}

/* tail +N: skips the first N-1 lines or bytes, then copies. */
static void tail_from(HT *s, const char *d, size_t n) {
    uintmax_t skip = s->count ? s->count - 1 : 0;
    const char *p = d, *end = d + n;
    if (s->bytes) {
        uintmax_t left = skip - (s->seen < skip ? s->seen : skip);
        size_t k = left < n ? (size_t)left : n;
        s->seen += k;
        p += k;
    } else {
        while (p < end && s->seen < skip) {
            const char *nl = mem_find(p, s->delim, (size_t)(end - p));
            p = nl ? nl + 1 : end;
            if (nl) s->seen++;
        }
    }
    uout_put(&s->out, p, (size_t)(end - p));
}

static void ht_chunk(HT *s, const char *d, size_t n) {
    if (!s->tail && !s->sign)
        s->bytes ? head_bytes(s, d, n) : head_lines(s, d, n);
    else if (s->tail && s->sign)
        tail_from(s, d, n);
    else if (s->bytes)
        keep_last_bytes(s, d, n, s->tail ? NULL : &s->out);
    else
        lb_feed(&s->lb, d, n, ring_line, s);
}

static int ht_feed(void *st, const char *d, size_t n) {
    HT *s = st;
    s->file_bytes += n;
    if (!s->done) ht_chunk(s, d, n);
    return uout_flush(&s->out) < 0 || s->done;
}

/* End of one input: emit what was held back, reset the per-file state. */
static void ht_end_file(HT *s) {
    bool holds = s->tail ? !s->sign : s->sign; /* tail N and head -N hold data back */
    if (holds && s->bytes && s->keep.len) {
        size_t extra = s->keep.len > s->count ? (size_t)(s->keep.len - s->count) : 0;
        if (s->tail)
            uout_put(&s->out, s->keep.s + extra, s->keep.len - extra);
        else
            uout_put(&s->out, s->keep.s, extra);
    } else if (holds && !s->bytes) {
        lb_flush(&s->lb, ring_line, s);
        ring_drain(&s->ring, s->tail ? &s->out : NULL);
    }
    sb_clear(&s->keep);
    s->seen = 0;
    s->done = false;
    if (!s->tail && !s->sign && s->count == 0) s->done = true;
}

/* ---- option parsing ---- */
static const UOptLong ht_longs[] = {
    {"bytes", UO_REQ, 'c'},  {"lines", UO_REQ, 'n'},   {"quiet", UO_NOARG, 'q'},
    {"silent", UO_NOARG, 'q'}, {"verbose", UO_NOARG, 'v'}, {"zero-terminated", UO_NOARG, 'z'},
    {"follow", UO_OPT, 'f'}, {"retry", UO_NOARG, 'R'},   {"sleep-interval", UO_REQ, 's'},
    {"pid", UO_REQ, 'p'},    {"max-unchanged-stats", UO_REQ, 'M'},
    {NULL, 0, 0},
};

static bool set_follow(HT *s, const char *arg) {
    if (!arg || !strcmp(arg, "descriptor")) {
        s->follow = FOLLOW_DESCRIPTOR;
        return true;
    }
    if (!strcmp(arg, "name")) {
        s->follow = FOLLOW_NAME;
        return true;
    }
    char *q = u_quote(arg);
    uc_error(s->c, "invalid argument %s for '--follow'", q);
    free(q);
    uc_puts(s->c, 2, "Valid arguments are:\n  - 'descriptor'\n  - 'name'\n");
    u_try_help(s->c);
    return false;
}

static bool set_interval(HT *s, const char *arg) {
    char *end;
    errno = 0;
    double v = strtod(arg, &end);
    if (end == arg || *end || v < 0 || isnan(v) || errno) {
        char *q = u_quote(arg);
        uc_error(s->c, "invalid number of seconds: %s", q);
        free(q);
        return false;
    }
    s->interval = v;
    return true;
}

static bool set_pid(HT *s, const char *arg) {
    uintmax_t v;
    if (!u_parse_uint(arg, &v) || v > INT32_MAX) {
        char *q = u_quote(arg);
        uc_error(s->c, "invalid PID: %s", q);
        free(q);
        return false;
    }
    s->pid_given = true;
    return true;
}

static bool set_count(HT *s, int k, const char *arg) {
    const char *orig = arg;
    s->bytes = k == 'c';
    if (!s->tail) s->sign = false; /* GNU tail: once "+N" was seen, it counts from the start */
    if (*arg == '-' || *arg == '+') {
        s->sign = s->tail ? s->sign || *arg == '+' : *arg == '-';
        arg++;
    }
    int err = u_parse_size(arg, &s->count);
    if (err) {
        char *q = u_quote(orig);
        uc_error(s->c, "invalid number of %s: %s%s%s", k == 'c' ? "bytes" : "lines", q,
                 err == EOVERFLOW ? ": " : "", err == EOVERFLOW ? u_strerror(err) : "");
        free(q);
        return false;
    }
    return true;
}

/* The obsolete "-NUM[bclkmqvz]" / "+NUM..." first argument: returns true and
 * sets the count when argv[1] has that form. */
static bool legacy_count(HT *s, const char *a) {
    if (!((a[0] == '-' || (a[0] == '+' && s->tail)) && isdigit((unsigned char)a[1]))) return false;
    const char *p = a + 1;
    uintmax_t v = 0;
    for (; isdigit((unsigned char)*p); p++)
        v = v > UINTMAX_MAX / 10 - 1 ? UINTMAX_MAX : v * 10 + (uintmax_t)(*p - '0');
    if (strspn(p, "bcklmqvfz") != strlen(p)) return false;
    uintmax_t mult = strchr(p, 'b') ? 512 : strchr(p, 'k') ? 1024 : strchr(p, 'm') ? 1048576 : 1;
    s->bytes = strchr(p, 'c') || mult != 1;
    s->count = v > UINTMAX_MAX / mult ? UINTMAX_MAX : v * mult;
    s->sign = s->tail && a[0] == '+';
    if (strchr(p, 'q')) s->verbose = -1;
    if (strchr(p, 'v')) s->verbose = 1;
    if (strchr(p, 'z')) s->delim = 0;
    if (strchr(p, 'f') && s->tail) s->follow = FOLLOW_DESCRIPTOR;
    return true;
}

static int ht_option(HT *s, int k, const char *arg) {
    switch (k) {
    case 'c': case 'n': return set_count(s, k, arg) ? 0 : 1;
    case 'q': s->verbose = -1; return 0;
    case 'v': s->verbose = 1; return 0;
    case 'z': s->delim = 0; return 0;
    case UO_HELP: return u_help(s->c, "[OPTION]... [FILE]...") - 1;
    case UO_VERSION: return u_version(s->c) - 1;
    case UO_ERR: return 1;
    }
    if (!s->tail) return 1;
    switch (k) {
    case 'f': return set_follow(s, arg) ? 0 : 1;
    case 'F': /* -F is --follow=name --retry; --retry alone is 'R' */
        s->follow = FOLLOW_NAME;
        s->retry = true;
        return 0;
    case 'R': s->retry = true; return 0;
    case 's': return set_interval(s, arg) ? 0 : 1;
    case 'p': return set_pid(s, arg) ? 0 : 1;
    default: return 0; /* --max-unchanged-stats: nothing to tune */
    }
}

static HT *ht_parse(UtilCtx *c, int argc, char **argv, bool tail, int *status) {
    HT *s = xcalloc(1, sizeof *s);
    s->c = c;
    s->tail = tail;
    s->count = 10;
    s->delim = '\n';
    s->interval = 0.1;
    int first = 1;
    if (argc > 1 && legacy_count(s, argv[1])) first = 2;
    UOpts o;
    uopt_init(&o, c, argc - first + 1, argv + first - 1, tail ? "c:n:qvzfFs:" : "c:n:qvz", ht_longs);
    int k, r = 0;
    while (!r && (k = uopt_next(&o)) != UO_END) r = ht_option(s, k, o.arg);
    if (r) {
        *status = r < 0 ? 0 : 1;
        uopt_free(&o);
        free(s);
        return NULL;
    }
    s->ops = o.ops;
    lb_init(&s->lb, s->delim);
    sb_init(&s->keep);
    s->ring.max = s->count;
    uout_init(&s->out, c, 1);
    if (!s->tail && !s->sign && s->count == 0) s->done = true;
    return s;
}

static void ht_header(HT *s, const char *name) {
    size_t nfiles = s->ops.n ? s->ops.n : 1;
    if (s->verbose < 0 || (s->verbose == 0 && nfiles < 2)) return;
    uout_printf(&s->out, "%s==> %s <==\n", s->any_header ? "\n" : "",
                strcmp(name, "-") ? name : "standard input");
    s->any_header = true;
}

static void follow_free(HT *s) {
    for (size_t i = 0; i < s->nfl; i++) {
        if (s->fl[i].fd >= 0) close(s->fl[i].fd);
        free(s->fl[i].name);
    }
    free(s->fl);
}

static int ht_free(HT *s) {
    int status = s->status | uout_close(&s->out);
    follow_free(s);
    lb_free(&s->lb);
    ring_free(&s->ring);
    sb_free(&s->keep);
    sl_free(&s->ops);
    free(s);
    return status;
}

static int ht_finish(void *st) {
    ht_end_file(st);
    return ht_free(st);
}

static void *ht_start(UtilCtx *c, int argc, char **argv, int *status, bool tail) {
    HT *s = ht_parse(c, argc, argv, tail, status);
    if (s && !u_push_ok(&s->ops)) {
        *status = -1;
        ht_free(s);
        return NULL;
    }
    if (s) ht_header(s, "-");
    return s;
}

/* head -n N / -c N on stdin without reading ahead. Returns 0, or -1 on a read error. */
static int head_exact(HT *s, UcFile *f) {
    if (s->bytes) {
        char buf[8192];
        while (s->seen < s->count) {
            uintmax_t left = s->count - s->seen;
            size_t want = left < sizeof buf ? (size_t)left : sizeof buf;
            ssize_t n = uc_fread(f, buf, want);
            if (n < 0) return -1;
            if (n == 0) break;
            uout_put(&s->out, buf, (size_t)n);
            s->seen += (uintmax_t)n;
            if (uout_flush(&s->out) < 0) break;
        }
        return 0;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while (s->seen < s->count && (n = uc_getdelim(f, &line, &cap, s->delim)) > 0) {
        uout_put(&s->out, line, (size_t)n);
        s->seen++;
        if ((s->seen & 255) == 0 && (uout_flush(&s->out) < 0 || uc_should_stop(s->c))) break;
    }
    free(line);
    return 0;
}

/* ---- tail -f ---- */

/* Starts watching name, of which `pos` bytes were printed (fd -1 and pos 0:
 * missing, to be retried). Pipes are not followed. */
static void follow_add(HT *s, const char *name, bool opened) {
    if (!strcmp(name, "-")) return;
    int fd = opened ? open(name, O_RDONLY) : -1;
    struct stat st = {0};
    if (fd >= 0 && (fstat(fd, &st) < 0 || S_ISFIFO(st.st_mode))) {
        close(fd);
        return;
    }
    if (fd < 0 && !(s->retry && s->follow == FOLLOW_NAME)) return;
    s->fl = xrealloc(s->fl, (s->nfl + 1) * sizeof *s->fl);
    s->fl[s->nfl++] = (Followed){xstrdup(name), fd, fd >= 0 ? (off_t)s->file_bytes : 0, st.st_dev, st.st_ino};
}

static void follow_note(HT *s, const char *name, const char *what) {
    uout_flush(&s->out);
    char *q = u_quote(name);
    uc_error(s->c, "%s %s", q, what);
    free(q);
}

/* --follow=name: notices a file that disappeared, appeared or was replaced. */
static void follow_reopen(HT *s, Followed *f) {
    struct stat st;
    if (stat(f->name, &st) < 0) {
        if (f->fd >= 0) {
            char what[160];
            snprintf(what, sizeof what, "has become inaccessible: %s", strerror(errno));
            follow_note(s, f->name, what);
            close(f->fd);
            f->fd = -1;
        }
        return;
    }
    if (f->fd >= 0 && st.st_dev == f->dev && st.st_ino == f->ino) return;
    int fd = open(f->name, O_RDONLY);
    if (fd < 0) return;
    follow_note(s, f->name, f->fd >= 0 ? "has been replaced;  following new file" : "has appeared;  following new file");
    if (f->fd >= 0) close(f->fd);
    f->fd = fd;
    f->dev = st.st_dev;
    f->ino = st.st_ino;
    f->pos = 0;
}

/* Prints what was appended to f since the last poll. */
static void follow_check(HT *s, Followed *f) {
    if (s->follow == FOLLOW_NAME) follow_reopen(s, f);
    struct stat st;
    if (f->fd < 0 || fstat(f->fd, &st) < 0) return;
    if (S_ISREG(st.st_mode) && st.st_size < f->pos) {
        char *q = u_quotef(f->name);
        uout_flush(&s->out);
        uc_error(s->c, "%s: file truncated", q);
        free(q);
        f->pos = 0;
    }
    if (S_ISREG(st.st_mode) && st.st_size == f->pos) return;
    if (lseek(f->fd, f->pos, SEEK_SET) < 0 && S_ISREG(st.st_mode)) return;
    char buf[65536];
    ssize_t n;
    while ((n = read(f->fd, buf, sizeof buf)) > 0 && !s->out.err) {
        if (s->last_shown != f->name) {
            ht_header(s, f->name);
            s->last_shown = f->name;
        }
        uout_put(&s->out, buf, (size_t)n);
        f->pos += n;
        if (uc_should_stop(s->c)) break;
    }
}

/* Sleeps s->interval seconds in short slices; false when the run must stop. */
static bool follow_sleep(HT *s) {
    double left = s->interval;
    uc_flush(s->c);
    do {
        if (uc_should_stop(s->c)) return false;
        double slice = left < 0.05 ? left : 0.05;
        struct timespec ts = {(time_t)slice, (long)((slice - (double)(time_t)slice) * 1e9)};
        nanosleep(&ts, NULL);
        left -= slice;
    } while (left > 0);
    return !uc_should_stop(s->c);
}

/* The reader of the output went away (GNU 9.1 tail -f polls for that and
 * ends as by SIGPIPE): a zero-length write fails then. */
static bool reader_gone(HT *s) { return uc_write(s->c, 1, "", 0) < 0; }

static void follow_loop(HT *s) {
    if (s->nfl) s->last_shown = s->fl[s->nfl - 1].name;
    for (;;) {
        for (size_t i = 0; i < s->nfl; i++) follow_check(s, &s->fl[i]);
        if (uout_flush(&s->out) < 0 || reader_gone(s) || s->pid_given || !follow_sleep(s)) break;
    }
}

/* Where the last s->count lines of fd (size bytes) start, scanning backwards. */
static off_t last_lines_start(HT *s, int fd, off_t size) {
    char buf[65536];
    uintmax_t found = 0;
    off_t end = size;
    bool skip_last = true; /* a delimiter at the very end terminates the last line */
    while (end > 0) {
        off_t start = end > (off_t)sizeof buf ? end - (off_t)sizeof buf : 0;
        ssize_t n = pread(fd, buf, (size_t)(end - start), start);
        if (n <= 0) return -1;
        for (ssize_t i = n - 1; i >= 0; i--) {
            if (buf[i] != (char)s->delim) continue;
            if (skip_last && start + i == size - 1) continue;
            if (++found == s->count) return start + i + 1;
        }
        skip_last = false;
        end = start;
        if (uc_should_stop(s->c)) return -1;
    }
    return 0;
}

/* tail -n N / -c N of a regular file: reads only its end, as GNU seeks.
 * Returns false when the file is not such (the caller reads it all). */
static bool tail_seek_end(HT *s, const char *name) {
    if (!s->tail || s->sign || !strcmp(name, "-") || !strncmp(name, "/dev/", 5)) return false;
    int fd = open(name, O_RDONLY);
    if (fd < 0) return false;
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size < 65536) {
        close(fd);
        return false;
    }
    off_t size = st.st_size;
    off_t from = s->bytes ? (s->count < (uintmax_t)size ? size - (off_t)s->count : 0)
                          : s->count ? last_lines_start(s, fd, size) : size;
    if (from < 0) {
        close(fd);
        return false;
    }
    ht_header(s, name);
    char buf[65536];
    ssize_t n;
    while (from < size && (n = pread(fd, buf, sizeof buf, from)) > 0 && !s->out.err) {
        uout_put(&s->out, buf, (size_t)n);
        from += n;
    }
    close(fd);
    s->file_bytes = (uintmax_t)from;
    if (s->follow) follow_add(s, name, true);
    return true;
}

/* Reads one file; false when output failed and everything must stop. */
static bool ht_file(HT *s, const char *name) {
    if (tail_seek_end(s, name)) return !s->out.err && !uc_should_stop(s->c);
    errno = 0;
    s->file_bytes = 0;
    UcFile *f = uc_open(s->c, name, "r");
    if (!f) {
        int e = errno ? errno : ENOENT;
        uout_flush(&s->out);
        char *q = u_quote(name);
        uc_error(s->c, "cannot open %s for reading: %s", q, strerror(e));
        free(q);
        s->status = 1;
        if (s->follow) follow_add(s, name, false);
        return true;
    }
    ht_header(s, name);
    if (!s->tail && !s->sign && !strcmp(name, "-") && uc_seekable(f)) {
        /* head of stdin reads exactly what it prints: the rest of the input
         * stays for the next command (x=$(head -n 1); rest=$(cat)), as GNU
         * head leaves a seekable stdin positioned after its output */
        int r = head_exact(s, f);
        uc_close(f);
        ht_end_file(s);
        return r == 0 && !s->out.err && !uc_should_stop(s->c);
    }
    int r = s->done ? 0 : u_pump(s->c, f, ht_feed, s);
    if (r < 0) {
        int e = errno;
        uout_flush(&s->out);
        u_err_op(s->c, "error reading", name, e);
        s->status = 1;
    }
    struct stat st;
    bool pipe = uc_fstat(f, &st) == 0 && S_ISFIFO(st.st_mode);
    uc_close(f);
    ht_end_file(s);
    if (s->follow && !pipe) follow_add(s, name, true);
    return !s->out.err && !uc_should_stop(s->c);
}

static int ht_main(UtilCtx *c, int argc, char **argv, bool tail) {
    int status = 0;
    HT *s = ht_parse(c, argc, argv, tail, &status);
    if (!s) return status;
    if (!s->ops.n) sl_push_copy(&s->ops, "-");
    bool ok = true;
    for (size_t i = 0; i < s->ops.n && ok; i++) ok = ht_file(s, s->ops.v[i]);
    if (ok && s->follow && !s->nfl && s->status) {
        uout_flush(&s->out);
        uc_error(c, "no files remaining");
    } else if (ok && s->follow && !uc_in_background(c)) {
        follow_loop(s);
    }
    return ht_free(s);
}

static void *head_start(UtilCtx *c, int argc, char **argv, int *status) {
    return ht_start(c, argc, argv, status, false);
}
static void *tail_start(UtilCtx *c, int argc, char **argv, int *status) {
    return ht_start(c, argc, argv, status, true);
}

int util_head_main(UtilCtx *c, int argc, char **argv) { return ht_main(c, argc, argv, false); }
int util_tail_main(UtilCtx *c, int argc, char **argv) { return ht_main(c, argc, argv, true); }

const UtilPushOps util_head_push = {head_start, ht_feed, ht_finish};
const UtilPushOps util_tail_push = {tail_start, ht_feed, ht_finish};
