/* tac.c - the tac utility (GNU coreutils 9.1): each file's records in
 * reverse order; -s SEP (an empty SEP is a NUL byte), -b (the separator
 * belongs to the record after it), -r (SEP is a regular expression, in the
 * Emacs syntax GNU's re_compile_pattern uses). Separators are searched
 * backwards from the end, as GNU does.
 * A file is held in memory, then written backwards; with push ops (the input
 * of a pipeline is collected, then reversed). */
#include "mbchar.h"
#include "regex.h"
#include "ucommon.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct Tac {
    UtilCtx *c;
    UOut out;
    const char *sep;
    size_t seplen;
    bool before, regex;
    Regex *re;
    StrBuf data;
    StrList ops;
    int status;
} Tac;

static bool tac_stop(void *ctx) { return uc_should_stop(ctx); }

/* The last separator [*so, *eo) ending at or before limit, searching
 * backwards as GNU does (so "::" in "a:::" is the last two colons, and a
 * regex match is the one starting last, cut off at limit). */
static bool last_separator(Tac *s, const char *d, size_t limit, size_t *so, size_t *eo) {
    if (!s->re) {
        if (limit < s->seplen) return false;
        for (size_t p = limit - s->seplen + 1; p-- > 0;) {
            if (s->seplen == 1) {
                const char *q = memrchr(d, s->sep[0], p + 1);
                if (!q) return false;
                p = (size_t)(q - d);
            } else if (memcmp(d + p, s->sep, s->seplen)) {
                continue;
            }
            *so = p, *eo = p + s->seplen;
            return true;
        }
        return false;
    }
    RxExec ex = {RX_ANCHORED, tac_stop, s->c};
    for (size_t p = limit; p-- > 0;) {
        RxSpan m;
        int r = rx_search(s->re, d, limit, p, &ex, &m, 1);
        if (r < 0) return false;
        if (r == RX_MATCH && m.eo > m.so) {
            *so = (size_t)m.so, *eo = (size_t)m.eo;
            return true;
        }
        if ((p & 4095) == 0 && uc_should_stop(s->c)) return false;
    }
    return false;
}

/* Writes the records of d[0..n) last first: a record ends with its
 * separator (with -b it starts with it); what precedes the first separator
 * (follows the last one) is a record too. */
static void reverse_records(Tac *s, const char *d, size_t n) {
    size_t end = n, limit = n, so, eo;
    while (last_separator(s, d, limit, &so, &eo)) {
        size_t from = s->before ? so : eo;
        uout_put(&s->out, d + from, end - from);
        end = from;
        limit = so;
        if (s->out.err) return;
    }
    uout_put(&s->out, d, end);
}

static const UOptLong tac_longs[] = {
    {"before", UO_NOARG, 'b'}, {"regex", UO_NOARG, 'r'}, {"separator", UO_REQ, 's'}, {NULL, 0, 0},
};

static int tac_free(Tac *s) {
    int status = s->status | uout_close(&s->out);
    if (s->re) rx_free(s->re);
    sb_free(&s->data);
    sl_free(&s->ops);
    free(s);
    return status;
}

static Tac *tac_parse(UtilCtx *c, int argc, char **argv, int *status) {
    Tac *s = xcalloc(1, sizeof *s);
    s->c = c;
    s->sep = "\n";
    sb_init(&s->data);
    uout_init(&s->out, c, 1);
    UOpts o;
    uopt_init(&o, c, argc, argv, "brs:", tac_longs);
    int k, r = -1;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) {
        switch (k) {
        case 'b': s->before = true; break;
        case 'r': s->regex = true; break;
        case 's': s->sep = o.arg; break;
        case UO_HELP: r = u_help(c, "[OPTION]... [FILE]..."); break;
        case UO_VERSION: r = u_version(c); break;
        default: r = 1; break;
        }
    }
    s->ops = o.ops;
    s->seplen = *s->sep ? strlen(s->sep) : 1; /* "" is the NUL byte, as GNU */
    if (r < 0 && s->regex) {
        RxError err;
        /* GNU tac compiles with re_compile_pattern's default (Emacs) syntax */
        s->re = rx_compile(s->sep, strlen(s->sep), RX_EMACS, mb_utf8_locale(c) ? 0 : RX_BYTES, &err);
        if (!s->re) {
            uc_error(c, "%s", err.msg);
            r = 1;
        }
    }
    if (r < 0) return s;
    *status = r;
    tac_free(s);
    return NULL;
}

static int tac_feed(void *st, const char *data, size_t n) {
    Tac *s = st;
    sb_put(&s->data, data, n);
    return uc_should_stop(s->c);
}

static void tac_end_file(Tac *s) {
    if (!uc_should_stop(s->c)) reverse_records(s, s->data.s ? s->data.s : "", s->data.len);
    sb_clear(&s->data);
}

static int tac_finish(void *st) {
    tac_end_file(st);
    return tac_free(st);
}

static void *tac_start(UtilCtx *c, int argc, char **argv, int *status) {
    Tac *s = tac_parse(c, argc, argv, status);
    if (s && !u_push_ok(&s->ops)) {
        *status = -1;
        tac_free(s);
        return NULL;
    }
    return s;
}

int util_tac_main(UtilCtx *c, int argc, char **argv) {
    int status = 0;
    Tac *s = tac_parse(c, argc, argv, &status);
    if (!s) return status;
    if (!s->ops.n) sl_push_copy(&s->ops, "-");
    for (size_t i = 0; i < s->ops.n && !s->out.err; i++) {
        errno = 0;
        UcFile *f = uc_open(c, s->ops.v[i], "r");
        if (!f) {
            int e = errno ? errno : ENOENT;
            char *q = u_quote(s->ops.v[i]);
            uc_error(c, "failed to open %s for reading: %s", q, u_strerror(e));
            free(q);
            s->status = 1;
            continue;
        }
        struct stat st; /* a regular file's size: one allocation, no regrowing */
        if (uc_fstat(f, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) sb_reserve(&s->data, (size_t)st.st_size + 1);
        if (u_pump(c, f, tac_feed, s) < 0) {
            u_err_op(c, "read error", s->ops.v[i], errno);
            s->status = 1;
        }
        uc_close(f);
        tac_end_file(s);
    }
    return tac_free(s);
}

const UtilPushOps util_tac_push = {tac_start, tac_feed, tac_finish};
