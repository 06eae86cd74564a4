/* uniq.c - the uniq utility: -c -d -D[=METHOD] --group[=METHOD] -u -i -f N
 * -s N -w N -z, the obsolete -N and +N, uniq [INPUT [OUTPUT]], with push ops. Lines are compared as they arrive;
 * only the first line of the current group is kept. */
#include "linebuf.h"
#include "ucommon.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum { ALL_NONE, ALL_PREPEND, ALL_SEPARATE };
enum { GROUP_NONE, GROUP_SEPARATE, GROUP_PREPEND, GROUP_APPEND, GROUP_BOTH };
enum { OPT_GROUP = 0x100 };

typedef struct Uniq {
    UtilCtx *c;
    UOut out;
    UcFile *outf;
    LineBuf lb;
    int delim;
    bool count, repeated, unique, all, icase;
    int all_method;
    int group;            /* --group: print every line, groups delimited */
    int digits_at;        /* argv index of the last obsolete -N digit */
    uintmax_t skip_fields, skip_chars, check_chars;
    bool any_group;       /* -D: a group was printed */
    StrBuf prev;          /* first line of the current group (no delimiter) */
    StrBuf last;          /* -D -u: the group's latest line */
    uintmax_t n;          /* lines in the current group; 0 = none yet */
    StrList ops;
    int status;
} Uniq;

/* The part of a line that is compared. */
static const char *cmp_part(const Uniq *s, const char *p, size_t len, size_t *outlen) {
    const char *end = p + len;
    for (uintmax_t f = 0; f < s->skip_fields && p < end; f++) {
        while (p < end && (*p == ' ' || *p == '\t')) p++;
        while (p < end && *p != ' ' && *p != '\t') p++;
    }
    p = (uintmax_t)(end - p) < s->skip_chars ? end : p + s->skip_chars;
    size_t n = (size_t)(end - p);
    *outlen = s->check_chars < n ? (size_t)s->check_chars : n;
    return p;
}

static bool same(const Uniq *s, const char *a, size_t al, const char *b, size_t bl) {
    size_t x, y;
    a = cmp_part(s, a, al, &x);
    b = cmp_part(s, b, bl, &y);
    if (x != y) return false;
    if (!s->icase) return !memcmp(a, b, x);
    for (size_t i = 0; i < x; i++)
        if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i])) return false;
    return true;
}

static void put_line(Uniq *s, const char *p, size_t len) {
    uout_put(&s->out, p, len);
    uout_putc(&s->out, (char)s->delim);
}

/* The current group ended: print it as the options say. */
static void end_group(Uniq *s) {
    if (!s->n || s->all || s->group) return;
    if ((s->repeated && s->n < 2) || (s->unique && s->n > 1)) return;
    if (s->count) uout_printf(&s->out, "%7ju ", s->n);
    put_line(s, s->prev.s, s->prev.len);
}

/* -D: lines are printed as soon as a group has two of them. */
/* -D: lines are printed as soon as a group has two of them. With -u, GNU
 * prints each group but its last line, so the output lags one line. */
static void all_repeated(Uniq *s, const char *p, size_t len) {
    if (s->n == 2) {
        if (s->all_method == ALL_PREPEND || (s->all_method == ALL_SEPARATE && s->any_group))
            uout_putc(&s->out, (char)s->delim);
        s->any_group = true;
        if (!s->unique) put_line(s, s->prev.s, s->prev.len);
    }
    if (s->n >= 2) s->unique ? put_line(s, s->last.s, s->last.len) : put_line(s, p, len);
    if (s->unique) {
        sb_clear(&s->last);
        sb_put(&s->last, p, len);
    }
}

/* --group: an empty line before the first group (prepend, both) and between
 * groups; the one after the last group is printed at the end. */
static void group_line(Uniq *s, const char *p, size_t len, bool starts_group) {
    bool before_first = s->group == GROUP_PREPEND || s->group == GROUP_BOTH;
    if (starts_group && (s->n > 0 || before_first)) uout_putc(&s->out, (char)s->delim);
    put_line(s, p, len);
}

static int uniq_line(void *arg, const char *line, size_t len, bool terminated) {
    Uniq *s = arg;
    if (terminated) len--;
    if (s->n && same(s, s->prev.s, s->prev.len, line, len)) {
        s->n++;
        if (s->group) group_line(s, line, len, false);
    } else {
        end_group(s);
        if (s->group) group_line(s, line, len, true);
        sb_clear(&s->prev);
        sb_put(&s->prev, line, len);
        s->n = 1;
    }
    if (s->all) all_repeated(s, line, len);
    return 0;
}

static int uniq_feed(void *st, const char *data, size_t n) {
    Uniq *s = st;
    lb_feed(&s->lb, data, n, uniq_line, s);
    return uout_flush(&s->out) < 0;
}

static const UOptLong uniq_longs[] = {
    {"count", UO_NOARG, 'c'},       {"repeated", UO_NOARG, 'd'},     {"all-repeated", UO_OPT, 'D'},
    {"unique", UO_NOARG, 'u'},      {"ignore-case", UO_NOARG, 'i'},  {"skip-fields", UO_REQ, 'f'},
    {"skip-chars", UO_REQ, 's'},    {"check-chars", UO_REQ, 'w'},    {"zero-terminated", UO_NOARG, 'z'},
    {"group", UO_OPT, OPT_GROUP},
    {NULL, 0, 0},
};

static bool uniq_number(Uniq *s, const char *arg, uintmax_t *out, const char *what) {
    if (u_parse_uint(arg, out)) return true;
    char *q = u_quotef(arg);
    uc_error(s->c, "%s: invalid number of %s", q, what);
    free(q);
    return false;
}

static bool all_method(Uniq *s, const char *arg) {
    s->all = true;
    if (!arg || !strcmp(arg, "none")) return true;
    if (!strcmp(arg, "prepend")) return (s->all_method = ALL_PREPEND), true;
    if (!strcmp(arg, "separate")) return (s->all_method = ALL_SEPARATE), true;
    char *q = u_quote(arg);
    uc_error(s->c, "invalid argument %s for '--all-repeated'", q);
    free(q);
    uc_puts(s->c, 2, "Valid arguments are:\n  - 'none'\n  - 'prepend'\n  - 'separate'\n");
    u_try_help(s->c);
    return false;
}

static bool group_method(Uniq *s, const char *arg) {
    static const char *const names[] = {"separate", "prepend", "append", "both"};
    s->group = GROUP_SEPARATE;
    if (!arg) return true;
    for (int i = 0; i < 4; i++)
        if (!strcmp(arg, names[i])) return (s->group = GROUP_SEPARATE + i), true;
    char *q = u_quote(arg);
    uc_error(s->c, "invalid argument %s for '--group'", q);
    free(q);
    uc_puts(s->c, 2, "Valid arguments are:\n  - 'prepend'\n  - 'append'\n  - 'separate'\n  - 'both'\n");
    u_try_help(s->c);
    return false;
}

/* The obsolete -N (skip N fields): digits of one argument form one number,
 * a new argument starts a new one. */
static void obsolete_fields(Uniq *s, int k, int argi) {
    if (argi != s->digits_at) s->skip_fields = 0;
    s->digits_at = argi;
    unsigned d = (unsigned)(k - '0');
    s->skip_fields = s->skip_fields > (UINTMAX_MAX - d) / 10 ? UINTMAX_MAX : s->skip_fields * 10 + d;
}

/* An operand "+N" is the obsolete form of -s N. */
static bool obsolete_chars(Uniq *s, const char *a) {
    uintmax_t v;
    if (a[0] != '+' || !u_parse_uint(a + 1, &v)) return false;
    s->skip_chars = v;
    return true;
}

/* One option; -1 to go on, else the exit status. */
static int uniq_option(Uniq *s, int k, const char *arg) {
    switch (k) {
    case OPT_GROUP: return group_method(s, arg) ? -1 : 1;
    case 'c': s->count = true; return -1;
    case 'd': s->repeated = true; return -1;
    case 'D': return all_method(s, arg) ? -1 : 1;
    case 'u': s->unique = true; return -1;
    case 'i': s->icase = true; return -1;
    case 'z': s->delim = 0; return -1;
    case 'f': return uniq_number(s, arg, &s->skip_fields, "fields to skip") ? -1 : 1;
    case 's': return uniq_number(s, arg, &s->skip_chars, "bytes to skip") ? -1 : 1;
    case 'w': return uniq_number(s, arg, &s->check_chars, "bytes to compare") ? -1 : 1;
    case UO_HELP: return u_help(s->c, "[OPTION]... [INPUT [OUTPUT]]");
    case UO_VERSION: return u_version(s->c);
    default: return 1;
    }
}

static int uniq_check(Uniq *s) {
    if (s->ops.n > 2) {
        u_extra_operand(s->c, s->ops.v[2]);
        return 1;
    }
    if (s->group && (s->count || s->repeated || s->all || s->unique)) {
        uc_error(s->c, "--group is mutually exclusive with -c/-d/-D/-u");
        u_try_help(s->c);
        return 1;
    }
    if (s->all && s->count) {
        uc_error(s->c, "printing all duplicated lines and repeat counts is meaningless");
        u_try_help(s->c);
        return 1;
    }
    if (s->ops.n == 2 && strcmp(s->ops.v[1], "-")) {
        errno = 0;
        s->outf = uc_open(s->c, s->ops.v[1], "w");
        if (!s->outf) {
            u_err_file(s->c, s->ops.v[1], errno ? errno : ENOENT);
            return 1;
        }
    }
    return -1;
}

static int uniq_free(Uniq *s) {
    int status = s->status | uout_close(&s->out);
    if (s->outf) uc_close(s->outf);
    lb_free(&s->lb);
    sb_free(&s->prev);
    sb_free(&s->last);
    sl_free(&s->ops);
    free(s);
    return status;
}

static Uniq *uniq_parse(UtilCtx *c, int argc, char **argv, int *status) {
    Uniq *s = xcalloc(1, sizeof *s);
    s->c = c;
    s->delim = '\n';
    s->check_chars = UINTMAX_MAX;
    UOpts o;
    uopt_init(&o, c, argc, argv, "0123456789cdDuif:s:w:z", uniq_longs);
    o.each_operand = true;
    int k, r = -1;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) {
        if (k >= '0' && k <= '9')
            obsolete_fields(s, k, o.cluster ? o.i : o.i - 1);
        else if (k != UO_OPERAND)
            r = uniq_option(s, k, o.arg);
        else if (o.done || !obsolete_chars(s, o.arg))
            sl_push_copy(&o.ops, o.arg);
    }
    s->ops = o.ops;
    lb_init(&s->lb, s->delim);
    uout_init(&s->out, c, 1);
    if (r < 0) r = uniq_check(s);
    if (r < 0) {
        if (s->outf) uout_init_file(&s->out, c, s->outf);
        return s;
    }
    *status = r;
    uniq_free(s);
    return NULL;
}

static int uniq_finish(void *st) {
    Uniq *s = st;
    lb_flush(&s->lb, uniq_line, s);
    end_group(s);
    bool after_last = s->group == GROUP_APPEND || s->group == GROUP_BOTH;
    if (after_last && s->n) uout_putc(&s->out, (char)s->delim);
    return uniq_free(s);
}

static void *uniq_start(UtilCtx *c, int argc, char **argv, int *status) {
    Uniq *s = uniq_parse(c, argc, argv, status);
    if (s && s->ops.n && strcmp(s->ops.v[0], "-")) {
        *status = -1;
        uniq_free(s);
        return NULL;
    }
    return s;
}

int util_uniq_main(UtilCtx *c, int argc, char **argv) {
    int status = 0;
    Uniq *s = uniq_parse(c, argc, argv, &status);
    if (!s) return status;
    const char *name = s->ops.n ? s->ops.v[0] : "-";
    UcFile *f = u_open_in(c, name);
    if (!f) {
        s->status = 1;
        return uniq_free(s);
    }
    if (u_pump(c, f, uniq_feed, s) < 0) {
        u_err_file(c, name, errno);
        s->status = 1;
    }
    uc_close(f);
    return uniq_finish(s);
}

const UtilPushOps util_uniq_push = {uniq_start, uniq_feed, uniq_finish};
