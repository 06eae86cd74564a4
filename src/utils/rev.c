/* rev.c - the rev utility (util-linux 2.38): reverse the characters of each
 * line, with push ops. In a UTF-8 locale characters are UTF-8 sequences,
 * otherwise single ASCII bytes; as util-linux (which reads wide characters)
 * a byte that is not a character ends the file with "FILE: N: Invalid or
 * incomplete multibyte or wide character" (N counts lines from 0), and a NUL
 * ends the line's text, which then continues with the next line. */
#include "linebuf.h"
#include "mbchar.h"
#include "ucommon.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct Rev {
    UtilCtx *c;
    UOut out;
    LineBuf lb;
    bool utf8;
    StrBuf pending;    /* text before a NUL, continued by the next line */
    StrBuf tmp;
    const char *name;  /* the current file, for messages */
    size_t lineno;
    bool failed;       /* the current file had an invalid character: skip the rest */
    StrList ops;
    int status;
} Rev;

/* Reverses p[0..n) character by character into out; false on an invalid one. */
static bool reverse_chars(const Rev *s, const char *p, size_t n, char *out) {
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        int len = 1;
        if ((unsigned char)p[i] >= 0x80) {
            if (!s->utf8) return false;
            len = mb_decode(p + i, n - i, &cp);
            if (len <= 0) return false;
        }
        memcpy(out + n - i - (size_t)len, p + i, (size_t)len);
        i += (size_t)len;
    }
    return true;
}

static int rev_line(void *arg, const char *line, size_t len, bool terminated) {
    Rev *s = arg;
    if (s->failed) return 0;
    size_t n = terminated ? len - 1 : len;
    const char *nul = memchr(line, 0, n);
    if (nul) {
        sb_put(&s->pending, line, (size_t)(nul - line));
        return 0;
    }
    if (s->pending.len) {
        sb_put(&s->pending, line, n);
        line = s->pending.s;
        n = s->pending.len;
    }
    sb_clear(&s->tmp);
    sb_reserve(&s->tmp, n + 1);
    if (!reverse_chars(s, line, n, s->tmp.s)) {
        uout_flush(&s->out);
        uc_error(s->c, "%s: %zu: %s", s->name, s->lineno, u_strerror(EILSEQ));
        s->failed = true;
        s->status = 1;
        sb_clear(&s->pending);
        return 0;
    }
    uout_put(&s->out, s->tmp.s, n);
    if (terminated) uout_putc(&s->out, '\n');
    sb_clear(&s->pending);
    s->lineno++;
    return 0;
}

/* End of a file: the unterminated last line (and text before a NUL). */
static void rev_end_file(Rev *s) {
    lb_flush(&s->lb, rev_line, s);
    if (s->pending.len && !s->failed) {
        StrBuf rest = s->pending;
        sb_init(&s->pending);
        rev_line(s, rest.s, rest.len, false);
        sb_free(&rest);
    }
    sb_clear(&s->pending);
    s->failed = false;
    s->lineno = 0;
}

static int rev_feed(void *st, const char *data, size_t n) {
    Rev *s = st;
    lb_feed(&s->lb, data, n, rev_line, s);
    return uout_flush(&s->out) < 0;
}

static int rev_free(Rev *s) {
    int status = s->status | uout_close(&s->out);
    lb_free(&s->lb);
    sb_free(&s->tmp);
    sb_free(&s->pending);
    sl_free(&s->ops);
    free(s);
    return status;
}


static Rev *rev_parse(UtilCtx *c, int argc, char **argv, int *status) {
    Rev *s = xcalloc(1, sizeof *s);
    s->c = c;
    UOpts o;
    uopt_init(&o, c, argc, argv, "hV", NULL);
    int k, r = -1;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) {
        if (k == 'h' || k == UO_HELP) r = u_help(c, "[options] [file ...]");
        else if (k == 'V' || k == UO_VERSION) r = u_version(c);
        else r = 1;
    }
    s->ops = o.ops;
    lb_init(&s->lb, '\n');
    sb_init(&s->tmp);
    sb_init(&s->pending);
    s->utf8 = mb_utf8_locale(c);
    s->name = "stdin";
    uout_init(&s->out, c, 1);
    if (r < 0) return s;
    *status = r;
    rev_free(s);
    return NULL;
}

static int rev_finish(void *st) {
    Rev *s = st;
    rev_end_file(s);
    return rev_free(s);
}

static void *rev_start(UtilCtx *c, int argc, char **argv, int *status) {
    Rev *s = rev_parse(c, argc, argv, status);
    if (s && !u_push_ok(&s->ops)) {
        *status = -1;
        rev_free(s);
        return NULL;
    }
    return s;
}

int util_rev_main(UtilCtx *c, int argc, char **argv) {
    int status = 0;
    Rev *s = rev_parse(c, argc, argv, &status);
    if (!s) return status;
    if (!s->ops.n) sl_push_copy(&s->ops, "-");
    for (size_t i = 0; i < s->ops.n && !s->out.err; i++) {
        errno = 0;
        UcFile *f = uc_open(c, s->ops.v[i], "r");
        if (!f) {
            uc_error(c, "cannot open %s: %s", s->ops.v[i], u_strerror(errno ? errno : ENOENT));
            s->status = 1;
            continue;
        }
        s->name = strcmp(s->ops.v[i], "-") ? s->ops.v[i] : "stdin";
        if (u_pump(c, f, rev_feed, s) < 0) {
            uc_error(c, "%s: %s", s->ops.v[i], u_strerror(errno));
            s->status = 1;
        }
        rev_end_file(s);
        uc_close(f);
    }
    return rev_free(s);
}

const UtilPushOps util_rev_push = {rev_start, rev_feed, rev_finish};
