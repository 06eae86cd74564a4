/* cut.c - the cut utility: -b LIST, -c LIST, -f LIST, -d DELIM, -s, -n,
 * -z, --complement, --output-delimiter=STR, with push ops. The LIST becomes
 * sorted ranges (overlaps merged as GNU does); each line is cut by one
 * function shared by both paths. */
#include "linebuf.h"
#include "ucommon.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct Range {
    uintmax_t lo, hi; /* 1-based, inclusive; hi = UINTMAX_MAX for "N-" */
} Range;

typedef struct Cut {
    UtilCtx *c;
    UOut out;
    LineBuf lb;
    int mode;           /* 'b' (also -c) or 'f' */
    Range *r;
    size_t nr;
    char delim;
    bool delim_set, only_delimited, complement;
    const char *out_delim; /* NULL = default */
    int eol;
    StrList ops;
    int status;
} Cut;

static int range_cmp(const void *a, const void *b) {
    const Range *x = a, *y = b;
    return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static bool list_error(Cut *s, const char *msg, const char *item) {
    if (item) {
        char *q = u_quote(item);
        uc_error(s->c, msg, q);
        free(q);
    } else {
        uc_error(s->c, "%s", msg);
    }
    u_try_help(s->c);
    return false;
}

static bool parse_pos(Cut *s, const char *p, size_t n, uintmax_t *out, bool is_field) {
    char *item = xstrndup(p, n);
    bool ok = u_parse_uint(item, out) && strlen(item) < 20;
    if (!ok && strspn(item, "0123456789") == n)
        list_error(s, is_field ? "field number %s is too large" : "byte/character offset %s is too large", item);
    else if (!ok)
        list_error(s, is_field ? "invalid field value %s" : "invalid byte/character position %s", item);
    else if (*out == 0)
        list_error(s, is_field ? "fields are numbered from 1" : "byte/character positions are numbered from 1", NULL);
    free(item);
    return ok && *out;
}

/* Parses one item "N", "N-M", "N-", "-M". */
static bool parse_item(Cut *s, const char *p, size_t n, Range *r, bool is_field) {
    const char *dash = memchr(p, '-', n);
    if (!dash) {
        if (!parse_pos(s, p, n, &r->lo, is_field)) return false;
        r->hi = r->lo;
        return true;
    }
    size_t a = (size_t)(dash - p), b = n - a - 1;
    if (!a && !b) return list_error(s, "invalid range with no endpoint: -", NULL);
    r->lo = 1;
    r->hi = UINTMAX_MAX;
    if (a && !parse_pos(s, p, a, &r->lo, is_field)) return false;
    if (b && !parse_pos(s, dash + 1, b, &r->hi, is_field)) return false;
    if (r->lo > r->hi) return list_error(s, "invalid decreasing range", NULL);
    return true;
}

/* Sorts, merges overlapping ranges, applies --complement. */
static void normalize(Cut *s) {
    qsort(s->r, s->nr, sizeof *s->r, range_cmp);
    size_t k = 0;
    for (size_t i = 0; i < s->nr; i++) {
        if (k && s->r[i].lo <= s->r[k - 1].hi) {
            if (s->r[i].hi > s->r[k - 1].hi) s->r[k - 1].hi = s->r[i].hi;
        } else {
            s->r[k++] = s->r[i];
        }
    }
    s->nr = k;
    if (!s->complement) return;
    Range *inv = xmalloc((k + 1) * sizeof *inv);
    size_t n = 0;
    uintmax_t next = 1;
    for (size_t i = 0; i < k; i++) {
        if (s->r[i].lo > next) inv[n++] = (Range){next, s->r[i].lo - 1};
        next = s->r[i].hi == UINTMAX_MAX ? UINTMAX_MAX : s->r[i].hi + 1;
    }
    if (next != UINTMAX_MAX) inv[n++] = (Range){next, UINTMAX_MAX};
    free(s->r);
    s->r = inv;
    s->nr = n;
}

static bool parse_list(Cut *s, const char *list) {
    bool is_field = s->mode == 'f';
    size_t cap = 8;
    s->r = xmalloc(cap * sizeof *s->r);
    for (const char *p = list;;) {
        size_t n = strcspn(p, ", \t");
        if (!n) return list_error(s, is_field ? "fields are numbered from 1" : "byte/character positions are numbered from 1", NULL);
        if (s->nr == cap) s->r = xrealloc(s->r, (cap *= 2) * sizeof *s->r);
        if (!parse_item(s, p, n, &s->r[s->nr++], is_field)) return false;
        if (!p[n]) break;
        p += n + 1;
    }
    normalize(s);
    return true;
}

/* ---- cutting ---- */
static void cut_bytes(Cut *s, const char *line, size_t len) {
    bool first = true;
    for (size_t i = 0; i < s->nr && s->r[i].lo <= len; i++) {
        uintmax_t hi = s->r[i].hi < len ? s->r[i].hi : len;
        if (!first && s->out_delim) uout_puts(&s->out, s->out_delim);
        uout_put(&s->out, line + s->r[i].lo - 1, (size_t)(hi - s->r[i].lo + 1));
        first = false;
    }
}

static void cut_fields(Cut *s, const char *line, size_t len) {
    const char *p = line, *end = line + len;
    size_t ri = 0;
    bool first = true;
    for (uintmax_t f = 1; p <= end && ri < s->nr; f++) {
        const char *d = mem_find(p, s->delim, (size_t)(end - p));
        const char *fe = d ? d : end;
        while (ri < s->nr && s->r[ri].hi < f) ri++;
        if (ri < s->nr && s->r[ri].lo <= f) {
            if (!first) {
                if (s->out_delim) uout_puts(&s->out, s->out_delim);
                else uout_putc(&s->out, s->delim);
            }
            uout_put(&s->out, p, (size_t)(fe - p));
            first = false;
        }
        if (!d) break;
        p = d + 1;
    }
}

static int cut_line(void *arg, const char *line, size_t len, bool terminated) {
    Cut *s = arg;
    if (terminated) len--;
    if (s->mode == 'f' && !memchr(line, s->delim, len)) {
        if (s->only_delimited) return 0;
        uout_put(&s->out, line, len);
    } else if (s->mode == 'f') {
        cut_fields(s, line, len);
    } else {
        cut_bytes(s, line, len);
    }
    uout_putc(&s->out, (char)s->eol);
    return 0;
}

static int cut_feed(void *st, const char *data, size_t n) {
    Cut *s = st;
    lb_feed(&s->lb, data, n, cut_line, s);
    return uout_flush(&s->out) < 0;
}

/* ---- options ---- */
enum { OPT_COMPLEMENT = 0x100, OPT_OUTDELIM };

static const UOptLong cut_longs[] = {
    {"bytes", UO_REQ, 'b'},        {"characters", UO_REQ, 'c'},       {"fields", UO_REQ, 'f'},
    {"delimiter", UO_REQ, 'd'},    {"only-delimited", UO_NOARG, 's'}, {"zero-terminated", UO_NOARG, 'z'},
    {"complement", UO_NOARG, OPT_COMPLEMENT}, {"output-delimiter", UO_REQ, OPT_OUTDELIM},
    {NULL, 0, 0},
};

static int cut_option(Cut *s, int k, const char *arg, const char **list) {
    switch (k) {
    case 'b': case 'c': case 'f':
        if (s->mode) return list_error(s, "only one list may be specified", NULL), 1;
        s->mode = k == 'f' ? 'f' : 'b';
        *list = arg;
        return -1;
    case 'd':
        if (arg[0] && arg[1]) return list_error(s, "the delimiter must be a single character", NULL), 1;
        s->delim = arg[0];
        s->delim_set = true;
        return -1;
    case 's': s->only_delimited = true; return -1;
    case 'z': s->eol = 0; return -1;
    case 'n': return -1;
    case OPT_COMPLEMENT: s->complement = true; return -1;
    case OPT_OUTDELIM: s->out_delim = arg; return -1;
    case UO_HELP: return u_help(s->c, "OPTION... [FILE]...");
    case UO_VERSION: return u_version(s->c);
    default: return 1;
    }
}

static int cut_check(Cut *s, const char *list) {
    if (!s->mode) return list_error(s, "you must specify a list of bytes, characters, or fields", NULL), 1;
    if (s->mode != 'f' && s->delim_set)
        return list_error(s, "an input delimiter may be specified only when operating on fields", NULL), 1;
    if (s->mode != 'f' && s->only_delimited)
        return list_error(s, "suppressing non-delimited lines makes sense\n\tonly when operating on fields", NULL), 1;
    return parse_list(s, list) ? -1 : 1;
}

static int cut_free(Cut *s) {
    int status = s->status | uout_close(&s->out);
    lb_free(&s->lb);
    free(s->r);
    sl_free(&s->ops);
    free(s);
    return status;
}

static Cut *cut_parse(UtilCtx *c, int argc, char **argv, int *status) {
    Cut *s = xcalloc(1, sizeof *s);
    s->c = c;
    s->delim = '\t';
    s->eol = '\n';
    const char *list = NULL;
    UOpts o;
    uopt_init(&o, c, argc, argv, "b:c:d:f:nsz", cut_longs);
    int k, r = -1;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) r = cut_option(s, k, o.arg, &list);
    s->ops = o.ops;
    lb_init(&s->lb, s->eol);
    uout_init(&s->out, c, 1);
    if (r < 0) r = cut_check(s, list);
    if (r < 0) return s;
    *status = r;
    cut_free(s);
    return NULL;
}

static int cut_finish(void *st) {
    Cut *s = st;
    lb_flush(&s->lb, cut_line, s);
    return cut_free(s);
}

static void *cut_start(UtilCtx *c, int argc, char **argv, int *status) {
    Cut *s = cut_parse(c, argc, argv, status);
    if (s && !u_push_ok(&s->ops)) {
        *status = -1;
        cut_free(s);
        return NULL;
    }
    return s;
}

int util_cut_main(UtilCtx *c, int argc, char **argv) {
    int status = 0;
    Cut *s = cut_parse(c, argc, argv, &status);
    if (!s) return status;
    if (!s->ops.n) sl_push_copy(&s->ops, "-");
    for (size_t i = 0; i < s->ops.n && !s->out.err; i++) {
        UcFile *f = u_open_in(c, s->ops.v[i]);
        if (!f) {
            s->status = 1;
            continue;
        }
        if (u_pump(c, f, cut_feed, s) < 0) {
            u_err_file(c, s->ops.v[i], errno);
            s->status = 1;
        }
        lb_flush(&s->lb, cut_line, s);
        uc_close(f);
    }
    return cut_free(s);
}

const UtilPushOps util_cut_push = {cut_start, cut_feed, cut_finish};
