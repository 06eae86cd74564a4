/* shuf.c - the shuf utility (GNU coreutils 9.1): shuf [-n COUNT] [-r] [-z]
 * [-o FILE] [--random-source=FILE] [FILE | -e ARG... | -i LO-HI].
 *
 * The random numbers are drawn exactly as GNU's (gnulib randint_genmax over
 * a byte source, randperm_new's swaps, reservoir sampling for -n on a pipe
 * or a big file), so with --random-source the output is GNU's byte for byte.
 * Without it the bytes come from the session's generator (uc_random). */
#include "ucommon.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { RESERVOIR_MIN_INPUT = 8192 * 1024 };

/* ---- GNU's random integers ---- */

typedef struct Rand {
    UtilCtx *c;
    UcFile *src;          /* --random-source, or NULL for uc_random */
    const char *src_name;
    uintmax_t randnum, randmax;
    bool eof;             /* the source ran out: "end of file" */
} Rand;

static bool rand_bytes(Rand *r, unsigned char *buf, size_t n) {
    if (!r->src) {
        for (size_t i = 0; i < n; i++) buf[i] = (unsigned char)(uc_random(r->c) >> 24);
        return true;
    }
    size_t got = 0;
    while (got < n) {
        ssize_t k = uc_fread(r->src, buf + got, n - got);
        if (k <= 0) {
            if (!r->eof) {
                char *q = u_quote(r->src_name);
                uc_error(r->c, "%s: end of file", q);
                free(q);
            }
            r->eof = true;
            return false;
        }
        got += (size_t)k;
    }
    return true;
}

/* gnulib's randint_genmax: a uniform number in 0..genmax, keeping unused
 * randomness for the next call. Returns false when the source ran out. */
static bool genmax(Rand *r, uintmax_t gmax, uintmax_t *out) {
    uintmax_t randnum = r->randnum, randmax = r->randmax, choices = gmax + 1;
    for (;;) {
        if (randmax < gmax) {
            unsigned char buf[sizeof randnum];
            size_t i = 0;
            uintmax_t rmax = randmax;
            do {
                rmax = (rmax << 8) + 0xFF;
                i++;
            } while (rmax < gmax);
            if (!rand_bytes(r, buf, i)) return false;
            i = 0;
            do {
                randnum = (randnum << 8) + buf[i];
                randmax = (randmax << 8) + 0xFF;
                i++;
            } while (randmax < gmax);
        }
        if (randmax == gmax) {
            r->randnum = r->randmax = 0;
            *out = randnum;
            return true;
        }
        uintmax_t excess = randmax - gmax, unusable = excess % choices;
        uintmax_t last_usable = randmax - unusable, reduced = randnum % choices;
        if (randnum <= last_usable) {
            r->randnum = randnum / choices;
            r->randmax = excess / choices;
            *out = reduced;
            return true;
        }
        randnum = reduced;
        randmax = unusable - 1;
    }
}

static bool choose(Rand *r, uintmax_t n, uintmax_t *out) { return genmax(r, n - 1, out); }

/* randperm_new: the first h values of a random permutation of 0..n-1, by
 * swaps; entries that moved are kept in a small open-addressing map, so
 * `shuf -i 1-1000000000 -n 3` needs no big array. */
typedef struct Swaps {
    uintmax_t *key, *val;
    size_t cap, n;
} Swaps;

static size_t swaps_slot(const Swaps *m, uintmax_t k) {
    size_t i = (size_t)(k * 0x9E3779B97F4A7C15ull) & (m->cap - 1);
    while (m->key[i] != UINTMAX_MAX && m->key[i] != k) i = (i + 1) & (m->cap - 1);
    return i;
}

static uintmax_t swaps_get(const Swaps *m, uintmax_t k) {
    if (!m->cap) return k;
    size_t i = swaps_slot(m, k);
    return m->key[i] == k ? m->val[i] : k;
}

static void swaps_set(Swaps *m, uintmax_t k, uintmax_t v) {
    if (2 * (m->n + 1) > m->cap) {
        Swaps b = {NULL, NULL, m->cap ? m->cap * 2 : 64, 0};
        b.key = xmalloc(b.cap * sizeof *b.key);
        b.val = xmalloc(b.cap * sizeof *b.val);
        memset(b.key, 0xFF, b.cap * sizeof *b.key);
        for (size_t i = 0; i < m->cap; i++)
            if (m->key[i] != UINTMAX_MAX) {
                size_t j = swaps_slot(&b, m->key[i]);
                b.key[j] = m->key[i], b.val[j] = m->val[i], b.n++;
            }
        free(m->key);
        free(m->val);
        *m = b;
    }
    size_t i = swaps_slot(m, k);
    if (m->key[i] != k) m->n++;
    m->key[i] = k;
    m->val[i] = v;
}

static uintmax_t *randperm(Rand *r, size_t h, uintmax_t n, bool *ok) {
    uintmax_t *v = xmalloc((h ? h : 1) * sizeof *v);
    *ok = true;
    if (h == 1) {
        *ok = choose(r, n, &v[0]);
        return v;
    }
    Swaps m = {NULL, NULL, 0, 0};
    for (size_t i = 0; i < h && *ok; i++) {
        uintmax_t j;
        if (!(*ok = choose(r, n - i, &j))) break;
        j += i;
        uintmax_t vi = swaps_get(&m, i), vj = swaps_get(&m, j);
        swaps_set(&m, i, vj);
        swaps_set(&m, j, vi);
        v[i] = vj;
    }
    free(m.key);
    free(m.val);
    return v;
}

/* ---- the utility ---- */

typedef struct Shuf {
    UtilCtx *c;
    UOut out;
    UcFile *outf;
    int delim;
    bool echo, range, repeat;
    uintmax_t lo, hi;
    size_t head;          /* -n, SIZE_MAX = all */
    const char *output, *source;
    StrList lines;        /* input lines without their delimiter */
    StrList ops;
} Shuf;

static bool parse_range(Shuf *s, const char *arg) {
    const char *dash = strchr(arg, '-');
    char *lo = dash ? xstrndup(arg, (size_t)(dash - arg)) : NULL;
    bool ok = dash && u_parse_uint(lo, &s->lo) && u_parse_uint(dash + 1, &s->hi) && s->lo <= s->hi + 1 &&
              !(s->lo == 0 && s->hi == UINTMAX_MAX);
    free(lo);
    if (!ok) {
        char *q = u_quote(arg);
        uc_error(s->c, "invalid input range: %s", q);
        free(q);
    }
    s->range = true;
    return ok;
}

enum { OPT_RANDOM_SOURCE = 0x100 };

static const UOptLong shuf_longs[] = {
    {"echo", UO_NOARG, 'e'},          {"input-range", UO_REQ, 'i'}, {"head-count", UO_REQ, 'n'},
    {"output", UO_REQ, 'o'},          {"random-source", UO_REQ, OPT_RANDOM_SOURCE},
    {"repeat", UO_NOARG, 'r'},        {"zero-terminated", UO_NOARG, 'z'}, {NULL, 0, 0},
};

static int shuf_option(Shuf *s, int k, const char *arg) {
    switch (k) {
    case 'e': s->echo = true; return -1;
    case 'i':
        if (s->range) {
            uc_error(s->c, "multiple -i options specified");
            return 1;
        }
        return parse_range(s, arg) ? -1 : 1;
    case 'n': {
        uintmax_t v;
        if (!u_parse_uint(arg, &v)) {
            char *q = u_quote(arg);
            uc_error(s->c, "invalid line count: %s", q);
            free(q);
            return 1;
        }
        if (v < s->head) s->head = v > SIZE_MAX - 1 ? SIZE_MAX - 1 : (size_t)v;
        return -1;
    }
    case 'o':
        if (s->output && strcmp(s->output, arg)) {
            uc_error(s->c, "multiple output files specified");
            return 1;
        }
        s->output = arg;
        return -1;
    case OPT_RANDOM_SOURCE:
        if (s->source && strcmp(s->source, arg)) {
            uc_error(s->c, "multiple random sources specified");
            return 1;
        }
        s->source = arg;
        return -1;
    case 'r': s->repeat = true; return -1;
    case 'z': s->delim = 0; return -1;
    case UO_HELP: return u_help(s->c, "[OPTION]... [FILE]\n  or:  shuf -e [OPTION]... [ARG]...\n  or:  shuf -i LO-HI [OPTION]...");
    case UO_VERSION: return u_version(s->c);
    default: return 1;
    }
}

static void put_line(Shuf *s, const char *p) {
    uout_puts(&s->out, p);
    uout_putc(&s->out, (char)s->delim);
}

static void put_number(Shuf *s, uintmax_t v) {
    uout_printf(&s->out, "%ju", v);
    uout_putc(&s->out, (char)s->delim);
}

static bool read_line(Shuf *s, UcFile *f, char **buf, size_t *cap, size_t *len) {
    ssize_t n = uc_getdelim(f, buf, cap, s->delim);
    if (n <= 0) return false;
    if ((*buf)[n - 1] == (char)s->delim) n--;
    (*buf)[n] = 0;
    *len = (size_t)n;
    return true;
}

static void read_all(Shuf *s, UcFile *f) {
    char *buf = NULL;
    size_t cap = 0, len;
    while (read_line(s, f, &buf, &cap, &len) && !uc_should_stop(s->c)) sl_push(&s->lines, xstrndup(buf, len));
    free(buf);
}

/* GNU's read_input_reservoir_sampling: keeps k random lines of the input. */
static bool reservoir(Shuf *s, UcFile *f, size_t k, Rand *r) {
    char *buf = NULL;
    size_t cap = 0, len;
    bool more = true;
    while (s->lines.n < k && (more = read_line(s, f, &buf, &cap, &len))) sl_push(&s->lines, xstrndup(buf, len));
    uintmax_t n = s->lines.n;
    bool ok = true;
    while (more && ok && !uc_should_stop(s->c)) {
        uintmax_t j;
        if (!(ok = choose(r, n + 1, &j))) break;
        if (!(more = read_line(s, f, &buf, &cap, &len))) break;
        if (j < k) {
            free(s->lines.v[j]);
            s->lines.v[j] = xstrndup(buf, len);
        }
        n++;
    }
    free(buf);
    return ok;
}

/* Writes the output; false when the random source ran out. */
static bool shuf_output(Shuf *s, Rand *r, UcFile *in) {
    bool ok = true;
    uintmax_t n = s->range ? s->hi - s->lo + 1 : s->lines.n;
    if (s->repeat) {
        if (s->head == 0) return true;
        if (n == 0) {
            uc_error(s->c, "no lines to repeat");
            return false;
        }
        if (!s->range) n = s->lines.n;
        for (size_t i = 0; i < s->head && ok && !s->out.err; i++) {
            uintmax_t j;
            if (!(ok = choose(r, n, &j))) break;
            s->range ? put_number(s, s->lo + j) : put_line(s, s->lines.v[j]);
            if ((i & 1023) == 1023 && (uout_flush(&s->out) < 0 || uc_should_stop(s->c))) break;
        }
        return ok;
    }
    if (in) {
        if (!reservoir(s, in, s->head, r)) return false;
        n = s->lines.n;
    }
    size_t h = s->head < n ? s->head : (size_t)n;
    uintmax_t *perm = randperm(r, h, n, &ok);
    for (size_t i = 0; ok && i < h && !s->out.err; i++)
        s->range ? put_number(s, s->lo + perm[i]) : put_line(s, s->lines.v[perm[i]]);
    free(perm);
    return ok;
}

/* True when the input is read through reservoir sampling, as GNU decides:
 * -n given, no -r, and the input is not a regular file of at most 8 MiB. */
static bool use_reservoir(const Shuf *s, UcFile *f) {
    if (s->repeat || s->head == SIZE_MAX) return false;
    struct stat st;
    return !(uc_fstat(f, &st) == 0 && S_ISREG(st.st_mode) && st.st_size <= RESERVOIR_MIN_INPUT);
}

static int shuf_run(Shuf *s) {
    UcFile *in = NULL;
    if (s->echo) {
        for (size_t i = 0; i < s->ops.n; i++) sl_push_copy(&s->lines, s->ops.v[i]);
    } else if (!s->range) {
        in = u_open_in(s->c, s->ops.n ? s->ops.v[0] : "-");
        if (!in) return 1;
        if (!use_reservoir(s, in) && !(s->repeat && s->head == 0)) {
            read_all(s, in);
            uc_close(in);
            in = NULL;
        }
    }
    Rand r = {s->c, NULL, s->source, 0, 0, false};
    if (s->source) {
        errno = 0;
        r.src = uc_open(s->c, s->source, "r");
        if (!r.src) {
            u_err_file(s->c, s->source, errno ? errno : ENOENT);
            if (in) uc_close(in);
            return 1;
        }
    }
    if (s->output) {
        errno = 0;
        s->outf = uc_open(s->c, s->output, "w");
        if (!s->outf) {
            u_err_file(s->c, s->output, errno ? errno : ENOENT);
            if (in) uc_close(in);
            if (r.src) uc_close(r.src);
            return 1;
        }
        uout_init_file(&s->out, s->c, s->outf);
    }
    bool ok = s->head == 0 || shuf_output(s, &r, in);
    if (in) uc_close(in);
    if (r.src) uc_close(r.src);
    return ok ? 0 : 1;
}

int util_shuf_main(UtilCtx *c, int argc, char **argv) {
    Shuf s;
    memset(&s, 0, sizeof s);
    s.c = c;
    s.delim = '\n';
    s.head = SIZE_MAX;
    sl_init(&s.lines);
    UOpts o;
    uopt_init(&o, c, argc, argv, "ei:n:o:rz", shuf_longs);
    int k, r = -1;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) r = shuf_option(&s, k, o.arg);
    s.ops = o.ops;
    if (r < 0 && s.echo && s.range) {
        uc_error(c, "cannot combine -e and -i options");
        u_try_help(c);
        r = 1;
    }
    if (r < 0 && !s.echo && s.ops.n > (s.range ? 0 : 1)) {
        u_extra_operand(c, s.ops.v[s.range ? 0 : 1]);
        r = 1;
    }
    if (r < 0) {
        uout_init(&s.out, c, 1);
        r = shuf_run(&s);
        r |= uout_close(&s.out);
        if (s.outf) uc_close(s.outf);
    }
    sl_free(&s.lines);
    sl_free(&s.ops);
    return r;
}
