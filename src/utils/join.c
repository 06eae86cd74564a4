/* join.c - the join utility (GNU coreutils 9.1): -1 F -2 F -j F, -a N, -v N,
 * -e EMPTY, -i, -o LIST|auto, -t CHAR ('' = the whole line, '\0' = NUL),
 * -z, --header, --check-order, --nocheck-order. GNU's algorithm: each input
 * is read a group of equal keys at a time, matching groups print their
 * cross product; unpairable lines print with -a / -v. Keys compare bytewise
 * (or ignoring case), which is the C and C.UTF-8 collation. */
#include "ucommon.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum { ORDER_DEFAULT, ORDER_CHECK, ORDER_NOCHECK };

typedef struct Field {
    size_t beg, len;
} Field;

typedef struct JLine {
    char *buf;         /* the line with its delimiter */
    size_t len, cap;
    Field *f;
    size_t nf, fcap;
} JLine;

/* Lines read from one input with equal keys. */
typedef struct Seq {
    JLine **v;
    size_t count, cap;
} Seq;

typedef struct OutItem {
    int file;          /* 0: the join field, else 1 or 2 */
    size_t field;
} OutItem;

typedef struct Join {
    UtilCtx *c;
    UOut out;
    int tab;           /* -1 blanks, else the separator byte ('\n': none) */
    int delim;
    bool ignore_case, header;
    int order;
    bool print_pairs, unpaired[2];
    const char *empty;
    size_t jf[2];      /* join fields, from 0 */
    OutItem *outl;
    size_t nout;
    bool autoformat;
    size_t autocount[2];
    /* inputs */
    UcFile *in[2];
    const char *names[2];
    uintmax_t lineno[2];
    JLine *prev[2];    /* last line read, for the order check */
    JLine *spare[2];
    bool warned[2];
    bool seen_unpairable;
    bool fatal;
    JLine blank;       /* a line with no fields, for unpairable output */
    JLine **lines;     /* every line buffer allocated, freed at the end */
    size_t nlines;
} Join;

/* ---- lines and fields ---- */

static bool is_sep(char ch) { return ch == ' ' || ch == '\t' || ch == '\n'; }

static void add_field(JLine *l, size_t beg, size_t len) {
    if (l->nf == l->fcap) l->f = xrealloc(l->f, (l->fcap = l->fcap ? l->fcap * 2 : 8) * sizeof *l->f);
    l->f[l->nf++] = (Field){beg, len};
}

/* GNU's xfields: split the line (without its delimiter) into fields. */
static void split_fields(const Join *s, JLine *l) {
    l->nf = 0;
    size_t lim = l->len - 1, p = 0;
    if (lim == 0) return;
    const char *b = l->buf;
    if (s->tab >= 0 && s->tab != '\n') {
        const char *sep;
        while ((sep = memchr(b + p, s->tab, lim - p))) {
            add_field(l, p, (size_t)(sep - b) - p);
            p = (size_t)(sep - b) + 1;
        }
    } else if (s->tab < 0) {
        while (is_sep(b[p]))
            if (++p == lim) return;
        for (;;) {
            size_t e = p + 1;
            while (e != lim && !is_sep(b[e])) e++;
            add_field(l, p, e - p);
            if (e == lim) return;
            for (p = e + 1; p != lim && is_sep(b[p]); p++) continue;
            if (p == lim) return;
        }
    }
    add_field(l, p, lim - p);
}

static int keycmp(const Join *s, const JLine *a, const JLine *b, size_t fa, size_t fb) {
    size_t la = fa < a->nf ? a->f[fa].len : 0, lb = fb < b->nf ? b->f[fb].len : 0;
    if (la == 0) return lb == 0 ? 0 : -1;
    if (lb == 0) return 1;
    const unsigned char *pa = (const unsigned char *)a->buf + a->f[fa].beg;
    const unsigned char *pb = (const unsigned char *)b->buf + b->f[fb].beg;
    size_t m = la < lb ? la : lb;
    int d = 0;
    if (s->ignore_case) {
        for (size_t i = 0; i < m && !d; i++) d = toupper(pa[i]) - toupper(pb[i]);
    } else {
        d = memcmp(pa, pb, m);
    }
    if (d) return d;
    return la < lb ? -1 : la != lb;
}

static void check_order(Join *s, const JLine *prev, const JLine *cur, int which) {
    if (s->order == ORDER_NOCHECK || (s->order == ORDER_DEFAULT && !s->seen_unpairable) || s->warned[which])
        return;
    if (keycmp(s, prev, cur, s->jf[which], s->jf[which]) <= 0) return;
    uout_flush(&s->out);
    size_t len = cur->len;
    if (len && cur->buf[len - 1] == '\n') len--;
    uc_error(s->c, "%s:%ju: is not sorted: %.*s", s->names[which], s->lineno[which], (int)len, cur->buf);
    s->warned[which] = true;
    if (s->order == ORDER_CHECK) s->fatal = true;
}

static JLine *new_line(Join *s) {
    JLine *l = xcalloc(1, sizeof *l);
    s->lines = xrealloc(s->lines, (s->nlines + 1) * sizeof *s->lines);
    s->lines[s->nlines++] = l;
    return l;
}

static void free_lines(Join *s) {
    for (size_t i = 0; i < s->nlines; i++) {
        free(s->lines[i]->buf);
        free(s->lines[i]->f);
        free(s->lines[i]);
    }
    free(s->lines);
}

/* Reads the next line of input `which` into *lp (allocated as needed). */
static bool get_line(Join *s, JLine **lp, int which) {
    if (*lp && *lp == s->prev[which]) {
        JLine *t = *lp;
        *lp = s->spare[which];
        s->spare[which] = t;
    }
    if (!*lp) *lp = new_line(s);
    JLine *l = *lp;
    ssize_t n = uc_getdelim(s->in[which], &l->buf, &l->cap, s->delim);
    if (n <= 0) return false;
    l->len = (size_t)n;
    if (l->buf[n - 1] != (char)s->delim) {
        if (l->len + 1 >= l->cap) l->buf = xrealloc(l->buf, l->cap = l->len + 2);
        l->buf[l->len++] = (char)s->delim;
    }
    s->lineno[which]++;
    split_fields(s, l);
    if (s->prev[which]) check_order(s, s->prev[which], l, which);
    s->prev[which] = l;
    return true;
}

static bool advance_seq(Join *s, Seq *q, bool first, int which) {
    if (first) q->count = 0;
    if (q->count == q->cap) {
        q->v = xrealloc(q->v, (q->cap = q->cap ? q->cap * 2 : 4) * sizeof *q->v);
        for (size_t i = q->count; i < q->cap; i++) q->v[i] = NULL;
    }
    if (!get_line(s, &q->v[q->count], which)) return false;
    q->count++;
    return true;
}

/* ---- output ---- */

static void put_field(Join *s, const JLine *l, size_t n) {
    if (n < l->nf && l->f[n].len)
        uout_put(&s->out, l->buf + l->f[n].beg, l->f[n].len);
    else if (s->empty)
        uout_puts(&s->out, s->empty);
}

static char out_sep(const Join *s) { return s->tab < 0 ? ' ' : (char)s->tab; }

static void put_other_fields(Join *s, const JLine *l, size_t jf, size_t autocount) {
    size_t nf = s->autoformat ? autocount : l->nf;
    for (size_t i = 0; i < nf; i++) {
        if (i == jf) continue;
        uout_putc(&s->out, out_sep(s));
        put_field(s, l, i);
    }
}

static void prjoin(Join *s, const JLine *l1, const JLine *l2) {
    if (s->nout) {
        for (size_t i = 0; i < s->nout; i++) {
            const OutItem *o = &s->outl[i];
            const JLine *l;
            size_t field;
            if (o->file == 0) {
                l = l1 == &s->blank ? l2 : l1;
                field = l1 == &s->blank ? s->jf[1] : s->jf[0];
            } else {
                l = o->file == 1 ? l1 : l2;
                field = o->field;
            }
            if (i) uout_putc(&s->out, out_sep(s));
            put_field(s, l, field);
        }
    } else {
        const JLine *l = l1 == &s->blank ? l2 : l1;
        put_field(s, l, l1 == &s->blank ? s->jf[1] : s->jf[0]);
        put_other_fields(s, l1, s->jf[0], s->autocount[0]);
        put_other_fields(s, l2, s->jf[1], s->autocount[1]);
    }
    uout_putc(&s->out, (char)s->delim);
}

/* ---- the join loop (GNU's join()) ---- */

static void swap_first_last(Seq *q) {
    JLine *t = q->v[0];
    q->v[0] = q->v[q->count - 1];
    q->v[q->count - 1] = t;
    q->count = 1;
}

static bool stop(Join *s) { return s->fatal || s->out.err || uc_should_stop(s->c); }

static void match_groups(Join *s, Seq *q1, Seq *q2) {
    bool eof1 = false, eof2 = false;
    do
        if (!advance_seq(s, q1, false, 0)) {
            eof1 = true;
            q1->count++;
            break;
        }
    while (!keycmp(s, q1->v[q1->count - 1], q2->v[0], s->jf[0], s->jf[1]));
    do
        if (!advance_seq(s, q2, false, 1)) {
            eof2 = true;
            q2->count++;
            break;
        }
    while (!keycmp(s, q1->v[0], q2->v[q2->count - 1], s->jf[0], s->jf[1]));
    if (s->print_pairs && !s->fatal)
        for (size_t i = 0; i + 1 < q1->count && !s->out.err; i++)
            for (size_t j = 0; j + 1 < q2->count; j++) prjoin(s, q1->v[i], q2->v[j]);
    if (!eof1) swap_first_last(q1);
    else q1->count = 0;
    if (!eof2) swap_first_last(q2);
    else q2->count = 0;
}

/* After one input ended: the rest of the other, printed with -a / -v and
 * read anyway to check its order. */
static void drain(Join *s, Seq *q, bool other_left, int which) {
    bool checktail = s->order != ORDER_NOCHECK && !(s->warned[0] && s->warned[1]);
    if (!(s->unpaired[which] || checktail) || !q->count) return;
    if (s->unpaired[which]) which ? prjoin(s, &s->blank, q->v[0]) : prjoin(s, q->v[0], &s->blank);
    if (other_left) s->seen_unpairable = true;
    JLine *line = NULL;
    while (!stop(s) && get_line(s, &line, which)) {
        if (s->unpaired[which] && !s->fatal) which ? prjoin(s, &s->blank, line) : prjoin(s, line, &s->blank);
        if (s->warned[which] && !s->unpaired[which]) break;
    }
}

static void join_run(Join *s) {
    Seq q1 = {0}, q2 = {0};
    advance_seq(s, &q1, true, 0);
    advance_seq(s, &q2, true, 1);
    if (s->autoformat) {
        s->autocount[0] = q1.count ? q1.v[0]->nf : 0;
        s->autocount[1] = q2.count ? q2.v[0]->nf : 0;
    }
    if (s->header && (q1.count || q2.count)) {
        prjoin(s, q1.count ? q1.v[0] : &s->blank, q2.count ? q2.v[0] : &s->blank);
        s->prev[0] = s->prev[1] = NULL;
        if (q1.count) advance_seq(s, &q1, true, 0);
        if (q2.count) advance_seq(s, &q2, true, 1);
    }
    while (q1.count && q2.count && !stop(s)) {
        int d = keycmp(s, q1.v[0], q2.v[0], s->jf[0], s->jf[1]);
        if (d < 0) {
            if (s->unpaired[0] && !s->fatal) prjoin(s, q1.v[0], &s->blank);
            advance_seq(s, &q1, true, 0);
            s->seen_unpairable = true;
        } else if (d > 0) {
            if (s->unpaired[1] && !s->fatal) prjoin(s, &s->blank, q2.v[0]);
            advance_seq(s, &q2, true, 1);
            s->seen_unpairable = true;
        } else {
            match_groups(s, &q1, &q2);
        }
    }
    if (!stop(s)) drain(s, &q1, q2.count != 0, 0);
    if (!stop(s)) drain(s, &q2, q1.count != 0, 1);
    free(q1.v);
    free(q2.v);
    free_lines(s);
}

/* ---- options ---- */

static bool field_number(Join *s, const char *arg, size_t *out) {
    uintmax_t v;
    if (!u_parse_uint(arg, &v) || v == 0 || v > SIZE_MAX / 2) {
        char *q = u_quote(arg);
        uc_error(s->c, "invalid field number: %s", q);
        free(q);
        return false;
    }
    *out = (size_t)(v - 1);
    return true;
}

static bool file_number(Join *s, const char *arg, int *out) {
    if (!strcmp(arg, "1") || !strcmp(arg, "2")) {
        *out = arg[0] - '1';
        return true;
    }
    char *q = u_quote(arg);
    uc_error(s->c, "invalid field number: %s", q);
    free(q);
    return false;
}

/* One -o item: 0 or FILE.FIELD. */
static bool out_item(Join *s, const char *item) {
    OutItem o = {0, 0};
    if (strcmp(item, "0")) {
        if ((item[0] != '1' && item[0] != '2') || item[1] != '.') {
            char *q = u_quote(item);
            uc_error(s->c, "invalid file number in field spec: %s", q);
            free(q);
            return false;
        }
        o.file = item[0] - '0';
        if (!field_number(s, item + 2, &o.field)) return false;
    }
    s->outl = xrealloc(s->outl, (s->nout + 1) * sizeof *s->outl);
    s->outl[s->nout++] = o;
    return true;
}

static bool out_list(Join *s, const char *arg) {
    if (!strcmp(arg, "auto")) {
        s->autoformat = true;
        return true;
    }
    char *copy = xstrdup(arg);
    bool ok = true;
    for (char *p = copy; ok && *p;) {
        size_t n = strcspn(p, ", \t");
        char save = p[n];
        p[n] = 0;
        if (n) ok = out_item(s, p);
        p += n + (save ? 1 : 0);
    }
    free(copy);
    return ok;
}

static bool set_tab(Join *s, const char *arg) {
    int t;
    if (!*arg) t = '\n';
    else if (!strcmp(arg, "\\0")) t = 0;
    else if (arg[1]) {
        char *q = u_quote(arg);
        uc_error(s->c, "multi-character tab %s", q);
        free(q);
        return false;
    } else t = (unsigned char)arg[0];
    if (s->tab >= 0 && s->tab != t) {
        uc_error(s->c, "incompatible tabs");
        return false;
    }
    s->tab = t;
    return true;
}

enum { OPT_CHECK = 0x100, OPT_NOCHECK, OPT_HEADER };

static const UOptLong join_longs[] = {
    {"ignore-case", UO_NOARG, 'i'}, {"check-order", UO_NOARG, OPT_CHECK},
    {"nocheck-order", UO_NOARG, OPT_NOCHECK}, {"zero-terminated", UO_NOARG, 'z'},
    {"header", UO_NOARG, OPT_HEADER}, {NULL, 0, 0},
};

static int join_option(Join *s, int k, const char *arg) {
    int n;
    switch (k) {
    case 'a': return file_number(s, arg, &n) ? (s->unpaired[n] = true, -1) : 1;
    case 'v':
        if (!file_number(s, arg, &n)) return 1;
        s->unpaired[n] = true;
        s->print_pairs = false;
        return -1;
    case 'e': s->empty = arg; return -1;
    case 'i': s->ignore_case = true; return -1;
    case 'j': return field_number(s, arg, &s->jf[0]) ? (s->jf[1] = s->jf[0], -1) : 1;
    case '1': return field_number(s, arg, &s->jf[0]) ? -1 : 1;
    case '2': return field_number(s, arg, &s->jf[1]) ? -1 : 1;
    case 'o': return out_list(s, arg) ? -1 : 1;
    case 't': return set_tab(s, arg) ? -1 : 1;
    case 'z': s->delim = 0; return -1;
    case OPT_CHECK: s->order = ORDER_CHECK; return -1;
    case OPT_NOCHECK: s->order = ORDER_NOCHECK; return -1;
    case OPT_HEADER: s->header = true; return -1;
    case UO_HELP: return u_help(s->c, "[OPTION]... FILE1 FILE2");
    case UO_VERSION: return u_version(s->c);
    default: return 1;
    }
}

int util_join_main(UtilCtx *c, int argc, char **argv) {
    Join s;
    memset(&s, 0, sizeof s);
    s.c = c;
    s.tab = -1;
    s.delim = '\n';
    s.print_pairs = true;
    UOpts o;
    uopt_init(&o, c, argc, argv, "a:e:ij:o:t:v:z1:2:", join_longs);
    int k, r = -1;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) r = join_option(&s, k, o.arg);
    if (r < 0 && o.ops.n < 2) {
        u_missing_operand(c, o.ops.n ? o.ops.v[0] : NULL);
        r = 1;
    } else if (r < 0 && o.ops.n > 2) {
        u_extra_operand(c, o.ops.v[2]);
        r = 1;
    } else if (r < 0 && !strcmp(o.ops.v[0], "-") && !strcmp(o.ops.v[1], "-")) {
        uc_error(c, "both files cannot be standard input: %s", u_strerror(ENOENT)); /* GNU's stray errno */
        r = 1;
    }
    for (int i = 0; r < 0 && i < 2; i++) {
        s.names[i] = o.ops.v[i];
        s.in[i] = u_open_in(c, o.ops.v[i]);
        if (!s.in[i]) r = 1;
    }
    if (r < 0) {
        uout_init(&s.out, c, 1);
        join_run(&s);
        r = uout_close(&s.out);
        if (!r && (s.warned[0] || s.warned[1])) {
            if (!s.fatal) uc_error(c, "input is not in sorted order");
            r = 1;
        }
    }
    for (int i = 0; i < 2; i++)
        if (s.in[i]) uc_close(s.in[i]);
    free(s.outl);
    uopt_free(&o);
    return r;
}
