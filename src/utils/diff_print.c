/* diff_print.c - diff's output formats as GNU diffutils 3.8 writes them:
 * normal, unified (-u), context (-c), side by side (-y, with GNU's column
 * arithmetic and tab handling), ed (-e) and RCS (-n); hunks merge when
 * fewer than 2*context+1 lines separate them; -B/-I changes are skipped. */
#include "datetime.h"
#include "diff.h"
#include "regex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---------- lines ---------- */

void diff_put_text(Diff *d, const DLine *l) {
    if (!d->o.expand_tabs) {
        uout_put(&d->out, l->s, l->len);
        return;
    }
    size_t col = 0;
    for (size_t i = 0; i < l->len; i++) {
        char ch = l->s[i];
        if (ch == '\t') {
            size_t spaces = 8 - col % 8;
            for (size_t k = 0; k < spaces; k++) uout_putc(&d->out, ' ');
            col += spaces;
        } else {
            uout_putc(&d->out, ch);
            col++;
        }
    }
}

/* --color=always: GNU's default palette (headers bold, hunk lines cyan,
 * old lines red, new lines green). */
enum { C_NONE = 0, C_HEADER = 1, C_OLD = 31, C_NEW = 32, C_HUNK = 36 };

static void color_on(Diff *d, int color) {
    if (d->o.color && color) uout_printf(&d->out, "\033[%dm", color);
}

static void color_off(Diff *d, int color) {
    if (d->o.color && color) uout_puts(&d->out, "\033[0m");
}

static void put_line_colored(Diff *d, const char *flag, const DLine *l, int color);

/* A line with its marker ("< ", "-", "! "...), and GNU's note after a last
 * line without a newline. */
static void put_line(Diff *d, const char *flag, const DLine *l) {
    int color = flag[0] == '-' || flag[0] == '<' ? C_OLD : flag[0] == '+' || flag[0] == '>' ? C_NEW : C_NONE;
    put_line_colored(d, flag, l, color);
}

static void put_line_colored(Diff *d, const char *flag, const DLine *l, int color) {
    color_on(d, color);
    size_t fl = strlen(flag);
    if (d->o.initial_tab) {
        /* -T: a tab takes the place of the marker's trailing blank */
        if (fl && flag[fl - 1] == ' ') fl--;
        uout_put(&d->out, flag, fl);
        uout_putc(&d->out, '\t');
    } else {
        uout_put(&d->out, flag, fl);
    }
    diff_put_text(d, l);
    color_off(d, color);
    uout_putc(&d->out, '\n');
    if (!l->newline) uout_puts(&d->out, "\\ No newline at end of file\n");
}

/* ---------- hunks ---------- */

typedef struct Hunk {
    const DiffChange *first;   /* changes [first, last] */
    const DiffChange *last;
    long first0, last0, first1, last1;  /* changed lines (0-based, may be empty) */
    bool old, new_;            /* has deletions / insertions worth showing */
} Hunk;

/* The end of the hunk starting at changes[i]: later changes join while
 * fewer than 2*context+1 (context before an ignorable one) lines separate. */
static size_t hunk_end(const DiffChange *ch, const bool *ignore, size_t i, size_t n, long context) {
    for (;;) {
        size_t top0 = ch[i].line0 + ch[i].deleted;
        if (i + 1 >= n) return i;
        long thresh = ignore[i + 1] ? context : 2 * context + 1;
        if ((long)(ch[i + 1].line0 - top0) >= thresh) return i;
        i++;
    }
}

static void analyze(Hunk *h, const bool *ignore, const DiffChange *base) {
    h->first0 = (long)h->first->line0;
    h->first1 = (long)h->first->line1;
    h->last0 = (long)(h->last->line0 + h->last->deleted) - 1;
    h->last1 = (long)(h->last->line1 + h->last->inserted) - 1;
    h->old = h->new_ = false;
    bool all_ignorable = true;
    for (const DiffChange *c = h->first; c <= h->last; c++) {
        if (c->deleted) h->old = true;
        if (c->inserted) h->new_ = true;
        if (!ignore[c - base]) all_ignorable = false;
    }
    if (all_ignorable) h->old = h->new_ = false;
}

/* ---------- -p / -F: the function line above a hunk ---------- */

typedef struct FuncSearch {
    long last_search, last_match;
} FuncSearch;

static const DLine *find_function(Diff *d, const DFile *a, long linenum, FuncSearch *fs) {
    long last = fs->last_search;
    fs->last_search = linenum;
    for (long i = linenum; last <= --i;) {
        RxSpan m;
        const DLine *l = &a->lines[i];
        if (rx_search(d->o.function_re, l->s, l->len, 0, NULL, &m, 1) == RX_MATCH) {
            fs->last_match = i;
            return l;
        }
    }
    return fs->last_match >= 0 ? &a->lines[fs->last_match] : NULL;
}

static void put_function(Diff *d, const DLine *l) {
    size_t i = 0, j;
    while (i < l->len && (l->s[i] == ' ' || (l->s[i] >= '\t' && l->s[i] <= '\r'))) i++;
    for (j = i; j < i + 40 && j < l->len; j++) {}
    while (j > i && (l->s[j - 1] == ' ' || (l->s[j - 1] >= '\t' && l->s[j - 1] <= '\r'))) j--;
    uout_putc(&d->out, ' ');
    uout_put(&d->out, l->s + i, j - i);
}

static void hunk_function(Diff *d, const DFile *a, long first0, FuncSearch *fs) {
    if (!d->o.function_re) return;
    const DLine *l = find_function(d, a, first0, fs);
    if (l) put_function(d, l);
}

/* ---------- normal ---------- */

static void normal_range(Diff *d, long a, long b) {
    if (b > a) uout_printf(&d->out, "%ld,%ld", a + 1, b + 1);
    else uout_printf(&d->out, "%ld", b + 1);
}

static void print_normal(Diff *d, const DFile *a, const DFile *b, const Hunk *h) {
    color_on(d, C_HUNK);
    normal_range(d, h->first0, h->last0);
    uout_putc(&d->out, h->old && h->new_ ? 'c' : h->old ? 'd' : 'a');
    normal_range(d, h->first1, h->last1);
    color_off(d, C_HUNK);
    uout_putc(&d->out, '\n');
    if (h->old)
        for (long i = h->first0; i <= h->last0; i++) put_line(d, "< ", &a->lines[i]);
    if (h->old && h->new_) uout_puts(&d->out, "---\n");
    if (h->new_)
        for (long i = h->first1; i <= h->last1; i++) put_line(d, "> ", &b->lines[i]);
}

/* ---------- unified and context ---------- */

static void widen(const Hunk *h, const DFile *a, const DFile *b, long ctx, long r[4]) {
    r[0] = h->first0 - ctx < 0 ? 0 : h->first0 - ctx;
    r[2] = h->first1 - ctx < 0 ? 0 : h->first1 - ctx;
    r[1] = h->last0 < (long)a->n - ctx ? h->last0 + ctx : (long)a->n - 1;
    r[3] = h->last1 < (long)b->n - ctx ? h->last1 + ctx : (long)b->n - 1;
}

static void unified_range(Diff *d, long a, long b) {
    long ta = a + 1, tb = b + 1;
    if (tb <= ta) uout_printf(&d->out, tb < ta ? "%ld,0" : "%ld", tb);
    else uout_printf(&d->out, "%ld,%ld", ta, tb - ta + 1);
}

static void print_unified(Diff *d, const DFile *a, const DFile *b, const Hunk *h, FuncSearch *fs) {
    long r[4];
    widen(h, a, b, d->o.context, r);
    color_on(d, C_HUNK);
    uout_puts(&d->out, "@@ -");
    unified_range(d, r[0], r[1]);
    uout_puts(&d->out, " +");
    unified_range(d, r[2], r[3]);
    uout_puts(&d->out, " @@");
    hunk_function(d, a, r[0], fs);
    color_off(d, C_HUNK);
    uout_putc(&d->out, '\n');
    const DiffChange *next = h->first;
    long i = r[0], j = r[2];
    while (i <= r[1] || j <= r[3]) {
        if (next > h->last || i < (long)next->line0) {
            put_line(d, " ", &a->lines[i]);
            i++, j++;
        } else {
            for (size_t k = 0; k < next->deleted; k++) put_line(d, "-", &a->lines[i++]);
            for (size_t k = 0; k < next->inserted; k++) put_line(d, "+", &b->lines[j++]);
            next++;
        }
    }
}

static void context_range(Diff *d, long a, long b) {
    if (b + 1 <= a + 1) uout_printf(&d->out, "%ld", b + 1);
    else uout_printf(&d->out, "%ld,%ld", a + 1, b + 1);
}

/* One side of a context hunk: which: 0 old file, 1 new file. */
static void context_side(Diff *d, const DFile *f, const Hunk *h, long from, long to, int which) {
    const DiffChange *next = h->first;
    for (long i = from; i <= to; i++) {
        while (next <= h->last && (long)((which ? next->line1 + next->inserted : next->line0 + next->deleted)) <= i)
            next++;
        const char *flag = "  ";
        if (next <= h->last && (long)(which ? next->line1 : next->line0) <= i)
            flag = which ? (next->deleted ? "! " : "+ ") : (next->inserted ? "! " : "- ");
        put_line_colored(d, flag, &f->lines[i], which ? C_NEW : C_OLD);
    }
}

static void print_context(Diff *d, const DFile *a, const DFile *b, const Hunk *h, FuncSearch *fs) {
    long r[4];
    widen(h, a, b, d->o.context, r);
    uout_puts(&d->out, "***************");
    hunk_function(d, a, r[0], fs);
    uout_putc(&d->out, '\n');
    color_on(d, C_HUNK);
    uout_puts(&d->out, "*** ");
    context_range(d, r[0], r[1]);
    uout_puts(&d->out, " ****");
    color_off(d, C_HUNK);
    uout_putc(&d->out, '\n');
    if (h->old) context_side(d, a, h, r[0], r[1], 0);
    color_on(d, C_HUNK);
    uout_puts(&d->out, "--- ");
    context_range(d, r[2], r[3]);
    uout_puts(&d->out, " ----");
    color_off(d, C_HUNK);
    uout_putc(&d->out, '\n');
    if (h->new_) context_side(d, b, h, r[2], r[3], 1);
}

/* ---------- ed and RCS ---------- */

/* An inserted line that is a lone "." would end ed's insert mode: GNU
 * writes "..", ends the insertion and removes the extra dot. */
static void print_ed(Diff *d, const DFile *b, const Hunk *h) {
    normal_range(d, h->first0, h->last0);
    uout_putc(&d->out, h->old && h->new_ ? 'c' : h->old ? 'd' : 'a');
    uout_putc(&d->out, '\n');
    if (!h->new_) return;
    bool inserting = true;
    for (long i = h->first1; i <= h->last1; i++) {
        const DLine *l = &b->lines[i];
        if (l->len == 1 && l->s[0] == '.') {
            uout_puts(&d->out, "..\n.\ns/.//\n");
            inserting = false;
            continue;
        }
        if (!inserting) uout_puts(&d->out, "a\n");
        inserting = true;
        uout_put(&d->out, l->s, l->len);
        uout_putc(&d->out, '\n');
    }
    if (inserting) uout_puts(&d->out, ".\n");
}

/* -f: the commands of an ed script in forward order, the letter first and
 * the range after it ("d1 3"); added lines are not escaped (GNU's
 * pr_forward_ed_hunk). */
static void print_forward_ed(Diff *d, const DFile *b, const Hunk *h) {
    uout_putc(&d->out, h->old && h->new_ ? 'c' : h->old ? 'd' : 'a');
    if (h->last0 > h->first0) uout_printf(&d->out, "%ld %ld", h->first0 + 1, h->last0 + 1);
    else uout_printf(&d->out, "%ld", h->last0 + 1);
    uout_putc(&d->out, '\n');
    if (!h->new_) return;
    for (long i = h->first1; i <= h->last1; i++) {
        const DLine *l = &b->lines[i];
        uout_put(&d->out, l->s, l->len);
        uout_putc(&d->out, '\n');
    }
    uout_puts(&d->out, ".\n");
}

static void print_rcs(Diff *d, const DFile *b, const Hunk *h) {
    if (h->old) uout_printf(&d->out, "d%ld %ld\n", h->first0 + 1, h->last0 - h->first0 + 1);
    if (h->new_) {
        uout_printf(&d->out, "a%ld %ld\n", h->last0 + 1, h->last1 - h->first1 + 1);
        for (long i = h->first1; i <= h->last1; i++) {
            const DLine *l = &b->lines[i];
            uout_put(&d->out, l->s, l->len);
            if (l->newline) uout_putc(&d->out, '\n');
        }
    }
}

/* ---------- side by side ---------- */

typedef struct Side {
    size_t half, col2;         /* column width and the second column's offset */
} Side;

static size_t tab_to(Diff *d, size_t from, size_t to) {
    if (!d->o.expand_tabs)
        for (size_t tab = from + 8 - from % 8; tab <= to; tab += 8) {
            uout_putc(&d->out, '\t');
            from = tab;
        }
    while (from++ < to) uout_putc(&d->out, ' ');
    return to;
}

/* GNU's print_half_line: the line clipped to `bound` columns, tabs kept
 * as tabs unless -t; returns the output column. */
static size_t half_line(Diff *d, const DLine *l, size_t indent, size_t bound) {
    size_t in = 0, out = 0;
    for (size_t k = 0; k < l->len; k++) {
        unsigned char c = (unsigned char)l->s[k];
        if (c == '\t') {
            size_t spaces = 8 - in % 8;
            if (in == out) {
                size_t stop = out + spaces;
                if (d->o.expand_tabs) {
                    if (bound < stop) stop = bound;
                    for (; out < stop; out++) uout_putc(&d->out, ' ');
                } else if (stop < bound) {
                    out = stop;
                    uout_putc(&d->out, '\t');
                }
            }
            in += spaces;
        } else if (c == '\r') {
            uout_putc(&d->out, '\r');
            tab_to(d, 0, indent);
            in = out = 0;
        } else if (c == '\b') {
            if (in != 0 && --in < bound) {
                if (out <= in) {
                    for (; out < in; out++) uout_putc(&d->out, ' ');
                } else {
                    out = in;
                    uout_putc(&d->out, '\b');
                }
            }
        } else if (c >= ' ' && c < 0x7f) {
            if (++in <= bound) {
                out = in;
                uout_putc(&d->out, (char)c);
            }
        } else if (in < bound || (c < ' ' && in <= bound)) {
            /* control characters have no width; other bytes are not characters in C */
            uout_putc(&d->out, (char)c);
        }
    }
    return out;
}

static void side_line(Diff *d, const Side *s, const DLine *left, char sep, const DLine *right) {
    size_t col = 0;
    bool newline = false;
    /* GNU colours only the one-sided lines, and resets after the newline */
    int color = sep == '<' ? C_OLD : sep == '>' ? C_NEW : C_NONE;
    color_on(d, color);
    if (left) {
        newline = left->newline;
        col = half_line(d, left, 0, s->half);
    }
    if (sep != ' ') {
        col = tab_to(d, col, (s->half + s->col2 - 1) / 2) + 1;
        if (sep == '|' && newline != right->newline) sep = newline ? '/' : '\\';
        uout_putc(&d->out, sep);
    }
    if (right) {
        newline |= right->newline;
        if (right->len) {
            col = tab_to(d, col, s->col2);
            half_line(d, right, col, s->half);
        }
    }
    if (newline) uout_putc(&d->out, '\n');
    color_off(d, color);
}

static void side_common(Diff *d, const Side *s, const DFile *a, const DFile *b, long *n0, long *n1, long lim0,
                        long lim1) {
    long i0 = *n0, i1 = *n1;
    if (!d->o.suppress_common && (i0 != lim0 || i1 != lim1)) {
        if (!d->o.left_column) {
            while (i0 != lim0 && i1 != lim1) side_line(d, s, &a->lines[i0++], ' ', &b->lines[i1++]);
            while (i1 != lim1) side_line(d, s, NULL, ')', &b->lines[i1++]);
        }
        while (i0 != lim0) side_line(d, s, &a->lines[i0++], '(', NULL);
    }
    *n0 = lim0;
    *n1 = lim1;
}

static void print_side_hunk(Diff *d, const Side *s, const DFile *a, const DFile *b, const Hunk *h, long *n0,
                            long *n1) {
    side_common(d, s, a, b, n0, n1, h->first0, h->first1);
    if (!h->old && !h->new_) return;
    long i = h->first0, j = h->first1;
    if (h->old && h->new_)
        for (; i <= h->last0 && j <= h->last1; i++, j++) side_line(d, s, &a->lines[i], '|', &b->lines[j]);
    for (; j <= h->last1; j++) side_line(d, s, NULL, '>', &b->lines[j]);
    for (; i <= h->last0; i++) side_line(d, s, &a->lines[i], '<', NULL);
    *n0 = i;
    *n1 = j;
}

static Side side_columns(const DiffOpts *o) {
    long t = o->expand_tabs ? 1 : 8, w = o->width;
    long off = (w + t + 3) / (2 * t) * t;
    long half = off - 3 < w - off ? off - 3 : w - off;
    if (half < 0) half = 0;
    Side s = {(size_t)half, (size_t)(half ? off : w)};
    return s;
}

/* ---------- headers ---------- */

static void header_time(Diff *d, const DFile *f, bool context_style) {
    struct timespec ts = f->missing ? (struct timespec){0, 0} : f->st.st_mtim;
    StrBuf b;
    sb_init(&b);
    if (context_style) {
        struct tm tm;
        char buf[64];
        localtime_r(&ts.tv_sec, &tm);
        strftime(buf, sizeof buf, "%a %b %e %T %Y", &tm);
        sb_puts(&b, buf);
    } else {
        u_format_time(&b, "%Y-%m-%d %H:%M:%S.%N %z", &ts, false);
    }
    uout_puts(&d->out, b.s);
    sb_free(&b);
}

static void header(Diff *d, const char *mark, const DFile *f, int which, bool context_style) {
    color_on(d, C_HEADER);
    uout_printf(&d->out, "%s ", mark);
    if (d->o.label[which]) {
        uout_puts(&d->out, d->o.label[which]);
    } else {
        uout_puts(&d->out, f->name);
        uout_putc(&d->out, '\t');
        header_time(d, f, context_style);
    }
    color_off(d, C_HEADER);
    uout_putc(&d->out, '\n');
}

/* ---------- the script ---------- */

void diff_print(Diff *d, DFile *a, DFile *b, const DiffChange *ch, const bool *ignore, size_t n) {
    int fmt = d->o.format;
    if (fmt == FMT_IFDEF) {
        diff_print_ifdef(d, a, b, ch, ignore, n);
        return;
    }
    long ctx = fmt == FMT_UNIFIED || fmt == FMT_CONTEXT ? d->o.context : 0;
    bool headers_done = false;
    FuncSearch fs = {0, -1};
    Side side = side_columns(&d->o);
    long n0 = 0, n1 = 0;
    Hunk *hunks = xmalloc((n ? n : 1) * sizeof *hunks);
    size_t nh = 0;
    for (size_t i = 0; i < n; i++) {
        size_t e = hunk_end(ch, ignore, i, n, ctx);
        Hunk h = {&ch[i], &ch[e], 0, 0, 0, 0, false, false};
        analyze(&h, ignore, ch);
        i = e;
        if (h.old || h.new_ || fmt == FMT_SIDE) hunks[nh++] = h;
    }
    if (fmt == FMT_ED)
        for (size_t k = nh; k-- > 0;) print_ed(d, b, &hunks[k]);
    for (size_t k = 0; fmt != FMT_ED && k < nh; k++) {
        const Hunk *h = &hunks[k];
        if (!headers_done && (fmt == FMT_UNIFIED || fmt == FMT_CONTEXT)) {
            /* GNU writes -c times the traditional way in the C locale */
            bool traditional = fmt == FMT_CONTEXT && !u_locale_utf8(d->c);
            header(d, fmt == FMT_UNIFIED ? "---" : "***", a, 0, traditional);
            header(d, fmt == FMT_UNIFIED ? "+++" : "---", b, 1, traditional);
        }
        headers_done = true;
        switch (fmt) {
        case FMT_UNIFIED: print_unified(d, a, b, h, &fs); break;
        case FMT_CONTEXT: print_context(d, a, b, h, &fs); break;
        case FMT_SIDE: print_side_hunk(d, &side, a, b, h, &n0, &n1); break;
        case FMT_RCS: print_rcs(d, b, h); break;
        case FMT_FORWARD_ED: print_forward_ed(d, b, h); break;
        default: print_normal(d, a, b, h); break;
        }
    }
    if (fmt == FMT_SIDE) side_common(d, &side, a, b, &n0, &n1, (long)a->n, (long)b->n);
    free(hunks);
}
