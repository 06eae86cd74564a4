/* fold.c - the fold utility: wrap lines at -w WIDTH columns (default 80),
 * -b counting bytes, -s breaking at blanks; with push ops. Works byte by
 * byte, holding only the current output line. */
#include "ucommon.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct Fold {
    UtilCtx *c;
    UOut out;
    uintmax_t width;
    bool bytes, spaces;
    StrBuf line;   /* the output line being built */
    uintmax_t col;
    StrList ops;
    int status;
} Fold;

static uintmax_t advance(const Fold *s, uintmax_t col, unsigned char ch) {
    if (s->bytes) return col + 1;
    if (ch == '\b') return col ? col - 1 : 0;
    if (ch == '\r') return 0;
    if (ch == '\t') return col + 8 - col % 8;
    return col + 1;
}

static void emit_line(Fold *s, size_t n, bool newline) {
    if (!s->line.len) {
        if (newline) uout_putc(&s->out, '\n');
        s->col = 0;
        return;
    }
    uout_put(&s->out, s->line.s, n);
    if (newline) uout_putc(&s->out, '\n');
    memmove(s->line.s, s->line.s + n, s->line.len - n);
    s->line.len -= n;
    s->col = 0;
    for (size_t i = 0; i < s->line.len; i++) s->col = advance(s, s->col, (unsigned char)s->line.s[i]);
}

/* With -s: breaks after the last blank of the line; false if there is none. */
static bool break_at_blank(Fold *s) {
    for (size_t i = s->line.len; i-- > 0;)
        if (s->line.s[i] == ' ' || s->line.s[i] == '\t') {
            emit_line(s, i + 1, true);
            return true;
        }
    return false;
}

static void fold_byte(Fold *s, unsigned char ch) {
    if (ch == '\n') {
        sb_putc(&s->line, '\n');
        emit_line(s, s->line.len, false);
        return;
    }
    for (;;) {
        uintmax_t col = advance(s, s->col, ch);
        if (col <= s->width || !s->line.len) {
            sb_putc(&s->line, (char)ch);
            s->col = col;
            return;
        }
        if (!(s->spaces && break_at_blank(s))) emit_line(s, s->line.len, true);
    }
}

static int fold_feed(void *st, const char *data, size_t n) {
    Fold *s = st;
    for (size_t i = 0; i < n; i++) fold_byte(s, (unsigned char)data[i]);
    return uout_flush(&s->out) < 0;
}

static const UOptLong fold_longs[] = {
    {"bytes", UO_NOARG, 'b'}, {"spaces", UO_NOARG, 's'}, {"width", UO_REQ, 'w'}, {NULL, 0, 0},
};

static bool set_width(Fold *s, const char *arg) {
    if (u_parse_uint(arg, &s->width) && s->width > 0) return true;
    char *q = u_quote(arg);
    uc_error(s->c, "invalid number of columns: %s%s", q,
             strspn(arg, "0123456789") == strlen(arg) && *arg ? ": Numerical result out of range" : "");
    free(q);
    return false;
}

static int fold_free(Fold *s) {
    int status = s->status | uout_close(&s->out);
    sb_free(&s->line);
    sl_free(&s->ops);
    free(s);
    return status;
}

static Fold *fold_parse(UtilCtx *c, int argc, char **argv, int *status) {
    Fold *s = xcalloc(1, sizeof *s);
    s->c = c;
    s->width = 80;
    StrList args;
    sl_init(&args);
    for (int i = 0; i < argc; i++) /* obsolete -NUM means -w NUM */
        if (i > 0 && argv[i][0] == '-' && argv[i][1] >= '0' && argv[i][1] <= '9') {
            sl_push_copy(&args, "-w");
            sl_push_copy(&args, argv[i] + 1);
        } else {
            sl_push_copy(&args, argv[i]);
        }
    UOpts o;
    uopt_init(&o, c, (int)args.n, args.v, "bsw:", fold_longs);
    int k, r = -1;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) {
        switch (k) {
        case 'b': s->bytes = true; break;
        case 's': s->spaces = true; break;
        case 'w': r = set_width(s, o.arg) ? -1 : 1; break;
        case UO_HELP: r = u_help(c, "[OPTION]... [FILE]..."); break;
        case UO_VERSION: r = u_version(c); break;
        default: r = 1; break;
        }
    }
    s->ops = o.ops;
    sl_free(&args);
    uout_init(&s->out, c, 1);
    if (r < 0) return s;
    *status = r;
    fold_free(s);
    return NULL;
}

static int fold_finish(void *st) {
    Fold *s = st;
    emit_line(s, s->line.len, false);
    return fold_free(s);
}

static void *fold_start(UtilCtx *c, int argc, char **argv, int *status) {
    Fold *s = fold_parse(c, argc, argv, status);
    if (s && !u_push_ok(&s->ops)) {
        *status = -1;
        fold_free(s);
        return NULL;
    }
    return s;
}

int util_fold_main(UtilCtx *c, int argc, char **argv) {
    int status = 0;
    Fold *s = fold_parse(c, argc, argv, &status);
    if (!s) return status;
    if (!s->ops.n) sl_push_copy(&s->ops, "-");
    for (size_t i = 0; i < s->ops.n && !s->out.err; i++) {
        UcFile *f = u_open_in(c, s->ops.v[i]);
        if (!f) {
            s->status = 1;
            continue;
        }
        if (u_pump(c, f, fold_feed, s) < 0) {
            u_err_file(c, s->ops.v[i], errno);
            s->status = 1;
        }
        emit_line(s, s->line.len, false);
        uc_close(f);
    }
    return fold_finish(s);
}

const UtilPushOps util_fold_push = {fold_start, fold_feed, fold_finish};
