/* nl.c - the nl utility: -b/-h/-f STYLE (a t n pBRE), -d CC, -i N, -l N,
 * -n ln|rn|rz, -p, -s SEP, -v N, -w N, with logical pages (\:\:\: \:\: \:)
 * and push ops. */
#include "linebuf.h"
#include "regex.h"
#include "ucommon.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

enum { SEC_HEADER, SEC_BODY, SEC_FOOTER };

typedef struct NlStyle {
    char kind; /* 'a' 't' 'n' 'p' */
    Regex *re;
} NlStyle;

typedef struct Nl {
    UtilCtx *c;
    UOut out;
    LineBuf lb;
    NlStyle style[3];
    int section;
    char delim[3];       /* the two delimiter characters */
    intmax_t start, incr, num;
    uintmax_t join, blanks;
    const char *fmt;     /* "ln" "rn" "rz" */
    const char *sep;
    int width;
    bool renumber;
    StrList ops;
    int status;
} Nl;

/* 0 if the line is not a section delimiter, else 3 (header), 2 (body), 1 (footer). */
static int delim_count(const Nl *s, const char *line, size_t len) {
    if (!len || len % 2 || len > 6) return 0;
    for (size_t i = 0; i < len; i += 2)
        if (line[i] != s->delim[0] || line[i + 1] != s->delim[1]) return 0;
    return (int)(len / 2);
}

static bool wants_number(Nl *s, const char *line, size_t len) {
    NlStyle *st = &s->style[s->section];
    switch (st->kind) {
    case 'a':
        if (len) {
            s->blanks = 0;
            return true;
        }
        if (++s->blanks < s->join) return false;
        s->blanks = 0;
        return true;
    case 't': return len > 0;
    case 'p': {
        return rx_search(st->re, line, len, 0, NULL, NULL, 0) == RX_MATCH;
    }
    default: return false;
    }
}

static void print_number(Nl *s) {
    if (!strcmp(s->fmt, "ln"))
        uout_printf(&s->out, "%-*" PRIdMAX, s->width, s->num);
    else if (!strcmp(s->fmt, "rz"))
        uout_printf(&s->out, "%0*" PRIdMAX, s->width, s->num);
    else
        uout_printf(&s->out, "%*" PRIdMAX, s->width, s->num);
    uout_puts(&s->out, s->sep);
    s->num += s->incr;
}

static int nl_line(void *arg, const char *line, size_t len, bool terminated) {
    Nl *s = arg;
    size_t body = terminated ? len - 1 : len;
    int d = delim_count(s, line, body);
    if (d) {
        s->section = d == 3 ? SEC_HEADER : d == 2 ? SEC_BODY : SEC_FOOTER;
        if (s->renumber) s->num = s->start;
        s->blanks = 0;
        uout_putc(&s->out, '\n');
        return 0;
    }
    if (wants_number(s, line, body))
        print_number(s);
    else
        uout_printf(&s->out, "%*s", s->width + (int)strlen(s->sep), "");
    uout_put(&s->out, line, len);
    if (!terminated) uout_putc(&s->out, '\n');
    return 0;
}

static int nl_feed(void *st, const char *data, size_t n) {
    Nl *s = st;
    lb_feed(&s->lb, data, n, nl_line, s);
    return uout_flush(&s->out) < 0;
}

/* ---- options ---- */
static const UOptLong nl_longs[] = {
    {"body-numbering", UO_REQ, 'b'},   {"section-delimiter", UO_REQ, 'd'}, {"footer-numbering", UO_REQ, 'f'},
    {"header-numbering", UO_REQ, 'h'}, {"line-increment", UO_REQ, 'i'},    {"join-blank-lines", UO_REQ, 'l'},
    {"number-format", UO_REQ, 'n'},    {"no-renumber", UO_NOARG, 'p'},     {"number-separator", UO_REQ, 's'},
    {"starting-line-number", UO_REQ, 'v'}, {"number-width", UO_REQ, 'w'},  {NULL, 0, 0},
};

static bool bad_arg(Nl *s, const char *what, const char *arg, const char *why) {
    char *q = u_quote(arg);
    uc_error(s->c, "invalid %s: %s%s%s", what, q, why && *why ? ": " : "", why ? why : "");
    free(q);
    if (!why) u_try_help(s->c);
    return false;
}

static bool set_style(Nl *s, int sec, const char *arg) {
    static const char *const what[] = {"header numbering style", "body numbering style", "footer numbering style"};
    NlStyle *st = &s->style[sec];
    if (st->kind == 'p') rx_free(st->re);
    st->kind = 'n';
    if (arg[0] == 'p') {
        RxError err;
        st->re = rx_compile(arg + 1, strlen(arg + 1), RX_BRE, u_locale_utf8(s->c) ? 0 : RX_BYTES, &err);
        if (!st->re) {
            uc_error(s->c, "%s", err.msg);
            return false;
        }
        st->kind = 'p';
        return true;
    }
    if (!arg[0] || arg[1] || !strchr("atn", arg[0])) return bad_arg(s, what[sec], arg, NULL);
    st->kind = arg[0];
    return true;
}

static bool set_int(Nl *s, const char *arg, intmax_t *out, intmax_t min, const char *what) {
    int64_t v;
    if (!parse_int64(arg, &v)) return bad_arg(s, what, arg, "");
    if (v < min) return bad_arg(s, what, arg, "Numerical result out of range");
    *out = v;
    return true;
}

static int nl_option(Nl *s, int k, const char *arg) {
    intmax_t v;
    switch (k) {
    case 'h': return set_style(s, SEC_HEADER, arg) ? -1 : 1;
    case 'b': return set_style(s, SEC_BODY, arg) ? -1 : 1;
    case 'f': return set_style(s, SEC_FOOTER, arg) ? -1 : 1;
    case 'd':
        s->delim[0] = arg[0];
        s->delim[1] = arg[0] && arg[1] ? arg[1] : ':';
        return -1;
    case 'i': return set_int(s, arg, &s->incr, INTMAX_MIN, "line number increment") ? -1 : 1;
    case 'v': return set_int(s, arg, &s->start, INTMAX_MIN, "starting line number") ? -1 : 1;
    case 'l': if (!set_int(s, arg, &v, 1, "line number of blank lines")) return 1; s->join = (uintmax_t)v; return -1;
    case 'w': if (!set_int(s, arg, &v, 1, "line number field width")) return 1; s->width = v > 1000 ? 1000 : (int)v; return -1;
    case 'n':
        if (strcmp(arg, "ln") && strcmp(arg, "rn") && strcmp(arg, "rz")) return bad_arg(s, "line numbering format", arg, NULL), 1;
        s->fmt = arg;
        return -1;
    case 'p': s->renumber = false; return -1;
    case 's': s->sep = arg; return -1;
    case UO_HELP: return u_help(s->c, "[OPTION]... [FILE]...");
    case UO_VERSION: return u_version(s->c);
    default: return 1;
    }
}

static int nl_free(Nl *s) {
    int status = s->status | uout_close(&s->out);
    for (int i = 0; i < 3; i++)
        if (s->style[i].kind == 'p') rx_free(s->style[i].re);
    lb_free(&s->lb);
    sl_free(&s->ops);
    free(s);
    return status;
}

static Nl *nl_parse(UtilCtx *c, int argc, char **argv, int *status) {
    Nl *s = xcalloc(1, sizeof *s);
    s->c = c;
    s->style[SEC_HEADER].kind = s->style[SEC_FOOTER].kind = 'n';
    s->style[SEC_BODY].kind = 't';
    s->section = SEC_BODY;
    s->delim[0] = '\\';
    s->delim[1] = ':';
    s->start = s->incr = 1;
    s->join = 1;
    s->fmt = "rn";
    s->sep = "\t";
    s->width = 6;
    s->renumber = true;
    UOpts o;
    uopt_init(&o, c, argc, argv, "b:d:f:h:i:l:n:ps:v:w:", nl_longs);
    int k, r = -1;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) r = nl_option(s, k, o.arg);
    s->ops = o.ops;
    s->num = s->start;
    lb_init(&s->lb, '\n');
    uout_init(&s->out, c, 1);
    if (r < 0) return s;
    *status = r;
    nl_free(s);
    return NULL;
}

static int nl_finish(void *st) {
    Nl *s = st;
    lb_flush(&s->lb, nl_line, s);
    return nl_free(s);
}

static void *nl_start(UtilCtx *c, int argc, char **argv, int *status) {
    Nl *s = nl_parse(c, argc, argv, status);
    if (s && !u_push_ok(&s->ops)) {
        *status = -1;
        nl_free(s);
        return NULL;
    }
    return s;
}

int util_nl_main(UtilCtx *c, int argc, char **argv) {
    int status = 0;
    Nl *s = nl_parse(c, argc, argv, &status);
    if (!s) return status;
    if (!s->ops.n) sl_push_copy(&s->ops, "-");
    for (size_t i = 0; i < s->ops.n && !s->out.err; i++) {
        UcFile *f = u_open_in(c, s->ops.v[i]);
        if (!f) {
            s->status = 1;
            continue;
        }
        if (u_pump(c, f, nl_feed, s) < 0) {
            u_err_file(c, s->ops.v[i], errno);
            s->status = 1;
        }
        lb_flush(&s->lb, nl_line, s);
        uc_close(f);
    }
    return nl_finish(s);
}

const UtilPushOps util_nl_push = {nl_start, nl_feed, nl_finish};
