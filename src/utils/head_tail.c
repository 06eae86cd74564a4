/* head_tail.c - the head and tail utilities, with push ops.
 * head: -n [-]N, -c [-]N, -NUM, -q, -v, -z.  tail: -n [+]N, -c [+]N, -NUM,
 * +NUM, -q, -v, -z (-f and friends are accepted and ignored: no following).
 * Both share one state and one per-chunk function per mode; "keep the last N
 * lines" (tail -n N, head -n -N) uses a line ring. */
#include "linebuf.h"
#include "ucommon.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

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
        const char *nl = memchr(p, s->delim, (size_t)(end - p));
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
            const char *nl = memchr(p, s->delim, (size_t)(end - p));
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
    {"follow", UO_OPT, 'f'}, {"retry", UO_NOARG, 'F'},   {"sleep-interval", UO_REQ, 's'},
    {"pid", UO_REQ, 'p'},    {"max-unchanged-stats", UO_REQ, 'M'},
    {NULL, 0, 0},
};

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
                 err == EOVERFLOW ? ": " : "", err == EOVERFLOW ? strerror(err) : "");
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
    default: return s->tail ? 0 : 1; /* tail's follow options: ignored */
    }
}

static HT *ht_parse(UtilCtx *c, int argc, char **argv, bool tail, int *status) {
    HT *s = xcalloc(1, sizeof *s);
    s->c = c;
    s->tail = tail;
    s->count = 10;
    s->delim = '\n';
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

static int ht_free(HT *s) {
    int status = s->status | uout_close(&s->out);
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

/* Reads one file; false when output failed and everything must stop. */
static bool ht_file(HT *s, const char *name) {
    errno = 0;
    UcFile *f = uc_open(s->c, name, "r");
    if (!f) {
        int e = errno ? errno : ENOENT;
        uout_flush(&s->out);
        char *q = u_quote(name);
        uc_error(s->c, "cannot open %s for reading: %s", q, strerror(e));
        free(q);
        s->status = 1;
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
    uc_close(f);
    ht_end_file(s);
    return !s->out.err && !uc_should_stop(s->c);
}

static int ht_main(UtilCtx *c, int argc, char **argv, bool tail) {
    int status = 0;
    HT *s = ht_parse(c, argc, argv, tail, &status);
    if (!s) return status;
    if (!s->ops.n) sl_push_copy(&s->ops, "-");
    for (size_t i = 0; i < s->ops.n; i++)
        if (!ht_file(s, s->ops.v[i])) break;
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
