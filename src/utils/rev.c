/* rev.c - the rev utility (util-linux): reverse the bytes of each line;
 * -0 uses NUL as the line delimiter. With push ops. */
#include "linebuf.h"
#include "ucommon.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct Rev {
    UtilCtx *c;
    UOut out;
    LineBuf lb;
    StrBuf tmp;
    StrList ops;
    int status;
} Rev;

static int rev_line(void *arg, const char *line, size_t len, bool terminated) {
    Rev *s = arg;
    size_t n = terminated ? len - 1 : len;
    sb_clear(&s->tmp);
    sb_reserve(&s->tmp, n);
    for (size_t i = 0; i < n; i++) s->tmp.s[i] = line[n - 1 - i];
    s->tmp.len = n;
    uout_put(&s->out, s->tmp.s, n);
    if (terminated) uout_putc(&s->out, line[len - 1]);
    return 0;
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
    sl_free(&s->ops);
    free(s);
    return status;
}

static const UOptLong rev_longs[] = {{"zero", UO_NOARG, '0'}, {NULL, 0, 0}};

static Rev *rev_parse(UtilCtx *c, int argc, char **argv, int *status) {
    Rev *s = xcalloc(1, sizeof *s);
    s->c = c;
    int delim = '\n';
    UOpts o;
    uopt_init(&o, c, argc, argv, "0hV", rev_longs);
    int k, r = -1;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) {
        if (k == '0') delim = 0;
        else if (k == 'h' || k == UO_HELP) r = u_help(c, "[options] [file ...]");
        else if (k == 'V' || k == UO_VERSION) r = u_version(c);
        else r = 1;
    }
    s->ops = o.ops;
    lb_init(&s->lb, delim);
    sb_init(&s->tmp);
    uout_init(&s->out, c, 1);
    if (r < 0) return s;
    *status = r;
    rev_free(s);
    return NULL;
}

static int rev_finish(void *st) {
    Rev *s = st;
    lb_flush(&s->lb, rev_line, s);
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
            uc_error(c, "cannot open %s: %s", s->ops.v[i], strerror(errno ? errno : ENOENT));
            s->status = 1;
            continue;
        }
        if (u_pump(c, f, rev_feed, s) < 0) {
            uc_error(c, "%s: %s", s->ops.v[i], strerror(errno));
            s->status = 1;
        }
        lb_flush(&s->lb, rev_line, s);
        uc_close(f);
    }
    return rev_free(s);
}

const UtilPushOps util_rev_push = {rev_start, rev_feed, rev_finish};
