/* pr.c - the pr utility (GNU coreutils 9.1), the commonly used part:
 * pages of -l LINES (default 66) with a 5-line header ("DATE  FILE  Page N",
 * -h HEADER, -D FORMAT) and trailer, -t / -T (none), -F / -f (a form feed
 * ends a page), +FIRST[:LAST] pages, -COLUMN columns filled down (balanced
 * on the last page) or -a across, -m files side by side, -s[CHAR] /
 * -S[STRING] separators, -J, -w / -W widths, -n[SEP[DIGITS]], -N, -d, -o,
 * -e[CHAR[WIDTH]], -c, -v, -r.
 *
 * Output spacing is GNU's: white space before a column is written with tabs
 * where a tab fits; in columns, lines are cut at the column width (not with
 * -s or -J). Form feeds in the input do not start pages here, and -i is not
 * supported. */
#include "datetime.h"
#include "ucommon.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

typedef struct PrIn {
    const char *name;
    UcFile *f;
    bool eof;
    char *line;
    size_t cap;
} PrIn;

typedef struct Pr {
    UtilCtx *c;
    UOut out;
    int pos, pending;        /* output column, spaces not yet written */
    /* options */
    int page_length, page_width;
    bool width_truncates;    /* -W: cut every line */
    bool omit, omit_ff;      /* -t, -T */
    bool formfeed;           /* -F / -f */
    uintmax_t first_page, last_page;
    int columns;
    bool across, merge, join;
    bool sep_char_set;       /* -s: no padding, no truncation */
    const char *sep;
    bool numbers;
    char number_sep;
    int number_digits;
    uintmax_t line_number, first_number;
    bool double_space;
    int margin;
    char in_tab;
    int in_tab_width;
    bool untab;              /* -e */
    bool ctrl_caret, ctrl_octal;
    bool quiet_missing;
    const char *header;
    const char *date_format;
    /* state */
    uintmax_t page;
    char date_text[128];
    const char *file_text;
    StrList ops;
    int status;
} Pr;

/* ---- output with GNU's white space ---- */

static void flush_white(Pr *s) {
    int goal = s->pos + s->pending;
    while (goal - s->pos > 1) {
        int next = (s->pos / 8 + 1) * 8;
        if (next > goal) break;
        uout_putc(&s->out, '\t');
        s->pos = next;
    }
    while (s->pos < goal) uout_putc(&s->out, ' '), s->pos++;
    s->pending = 0;
}

static void pad_to(Pr *s, int col) {
    if (col > s->pos + s->pending) s->pending = col - s->pos;
}

static void put_text(Pr *s, const char *p, size_t n, int width) {
    if (s->pending) flush_white(s);
    uout_put(&s->out, p, n);
    s->pos += width;
}

static void end_line(Pr *s) {
    s->pending = 0;
    s->pos = 0;
    uout_putc(&s->out, '\n');
}

/* ---- cells: one input line laid out for a column ---- */

typedef struct Cell {
    StrBuf text;
    int width;
    int numlen;   /* bytes of text that are the line number part: its blanks are white space */
} Cell;

/* A cell: the blanks of its line number are deferred white space (GNU
 * writes them through its tab logic), the rest is written as it is. */
static void put_cell(Pr *s, const Cell *c) {
    const char *p = c->text.s ? c->text.s : "";
    for (int i = 0; i < c->numlen; i++) {
        if (p[i] == ' ') {
            s->pending++;
            continue;
        }
        if (s->pending) flush_white(s);
        uout_putc(&s->out, p[i]);
        s->pos = p[i] == '\t' ? (s->pos / 8 + 1) * 8 : s->pos + 1;
    }
    int numw = 0; /* the columns the number part took in make_cell */
    for (int i = 0; i < c->numlen; i++) numw = p[i] == '\t' ? (numw / 8 + 1) * 8 : numw + 1;
    put_text(s, p + c->numlen, c->text.len - (size_t)c->numlen, c->width - numw);
}

/* Converts a line into what pr prints: tabs, control characters, the cut
 * at `limit` columns (-1: none), and the line number in front. */
static void make_cell(Pr *s, Cell *cell, const char *line, size_t len, int limit, uintmax_t number, bool first_col) {
    sb_clear(&cell->text);
    cell->width = 0;
    cell->numlen = 0;
    if (number) {
        uintmax_t mod = 1;
        for (int i = 0; i < s->number_digits; i++) mod *= 10;
        char num[32];
        int n = snprintf(num, sizeof num, "%*ju", s->number_digits, number % mod);
        sb_put(&cell->text, num, (size_t)n);
        cell->width += n;
        if (s->number_sep == '\t') {
            int w = 8 - cell->width % 8;
            if (first_col) sb_putc(&cell->text, '\t');
            else for (int i = 0; i < w; i++) sb_putc(&cell->text, ' ');
            cell->width += w;
        } else {
            sb_putc(&cell->text, s->number_sep);
            cell->width++;
        }
        cell->numlen = (int)cell->text.len;
    }
    int start = cell->width;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)line[i];
        char buf[8];
        int n = 1, w = 1;
        buf[0] = (char)ch;
        if (ch == (unsigned char)s->in_tab) {
            w = s->in_tab_width - (cell->width - start) % s->in_tab_width;
            if (s->untab) {
                n = w;
                memset(buf, ' ', (size_t)w);
            } else {
                buf[0] = '\t';
            }
        } else if (!isprint(ch)) {
            if (s->ctrl_octal) n = w = snprintf(buf, sizeof buf, "\\%03o", ch);
            else if (s->ctrl_caret) n = w = snprintf(buf, sizeof buf, "^%c", ch == 127 ? '?' : ch ^ 0x40);
            else w = ch == '\b' ? -1 : 0;
        }
        if (limit >= 0 && cell->width + w > limit) break;
        sb_put(&cell->text, buf, (size_t)n);
        cell->width += w;
    }
}

/* ---- reading ---- */

static bool read_line(Pr *s, PrIn *in, size_t *len) {
    if (in->eof || !in->f) return false;
    ssize_t n = uc_getdelim(in->f, &in->line, &in->cap, '\n');
    if (n <= 0 || uc_should_stop(s->c)) {
        in->eof = true;
        return false;
    }
    if (in->line[n - 1] == '\n') n--;
    *len = (size_t)n;
    return true;
}

/* ---- pages ---- */

static bool page_wanted(const Pr *s) { return s->page >= s->first_page && s->page <= s->last_page; }

static void put_header(Pr *s) {
    if (s->omit || !page_wanted(s)) return;
    char page_text[64];
    snprintf(page_text, sizeof page_text, "Page %ju", s->page);
    int avail = s->page_width - (int)strlen(s->date_text) - (int)strlen(s->file_text) - (int)strlen(page_text);
    if (avail < 0) avail = 0;
    int lhs = avail >> 1, rhs = avail - lhs;
    uout_printf(&s->out, "\n\n%*s%s%*s%s%*s%s\n\n\n", s->margin, "", s->date_text, lhs, " ", s->file_text, rhs, " ",
                page_text);
}

static void put_trailer(Pr *s, int body_used, int body_lines) {
    if (s->omit || !page_wanted(s)) return;
    if (s->formfeed) {
        uout_putc(&s->out, '\f');
        return;
    }
    for (int i = body_used; i < body_lines + 5; i++) uout_putc(&s->out, '\n');
}

static int body_lines(const Pr *s) {
    return s->omit ? s->page_length : s->page_length - 10;
}

/* Prints one row of cells (NULL: empty) at the column positions. */
static void put_row(Pr *s, Cell **cells, int n, int colwidth) {
    bool wanted = page_wanted(s);
    int last = -1;
    for (int i = 0; i < n; i++)
        if (cells[i]) last = i;
    if (!wanted) return;
    int base = s->margin;
    if (s->margin) pad_to(s, s->margin);
    for (int i = 0; i <= last; i++) {
        bool padded = !s->sep_char_set && !s->join;
        if (i > 0) {
            if (padded) pad_to(s, base + i * (colwidth + (int)strlen(s->sep)) - (int)strlen(s->sep));
            if (padded && !strcmp(s->sep, " ")) s->pending++;
            else put_text(s, s->sep, strlen(s->sep), (int)strlen(s->sep));
        }
        if (i > 0 && s->pending) flush_white(s); /* the padding is written before the column starts */
        if (cells[i]) put_cell(s, cells[i]);
    }
    end_line(s);
    if (s->double_space) end_line(s);
}

/* A stored input line of the current page. */
typedef struct Held {
    StrBuf text;
    uintmax_t number; /* 0: none */
    bool present;
} Held;

static void hold(Held *h, const char *p, size_t n, uintmax_t number) {
    sb_clear(&h->text);
    sb_put(&h->text, p, n);
    h->number = number;
    h->present = true;
}

/* Prints a row of held lines as cells of the columns. */
static void print_held_row(Pr *s, Held **held, int cols, int colwidth, int limit, Cell *cells, Cell **row) {
    for (int k = 0; k < cols; k++) {
        if (!held[k] || !held[k]->present) {
            row[k] = NULL;
            continue;
        }
        make_cell(s, &cells[k], held[k]->text.s ? held[k]->text.s : "", held[k]->text.len, limit, held[k]->number,
                  k == 0);
        row[k] = &cells[k];
    }
    put_row(s, row, cols, colwidth);
}

/* One file (or all with -m) as pages. */
static void paginate(Pr *s, PrIn *ins, int nin) {
    int rows_per_page = body_lines(s) / (s->double_space ? 2 : 1);
    if (rows_per_page < 1) rows_per_page = 1;
    int cols = s->merge ? nin : s->columns;
    int seplen = (int)strlen(s->sep);
    int numw = s->numbers ? s->number_digits + (s->number_sep == '\t' ? 8 - s->number_digits % 8 : 1) : 0;
    int colwidth = cols > 1 ? (s->page_width - (s->merge ? numw : 0) - (cols - 1) * seplen) / cols : s->page_width;
    int limit = cols > 1 && !s->sep_char_set && !s->join ? colwidth : s->width_truncates ? s->page_width : -1;
    size_t cap = (size_t)rows_per_page * (size_t)cols;
    Held *held = xcalloc(cap, sizeof *held);
    for (size_t i = 0; i < cap; i++) sb_init(&held[i].text);
    Held **rowheld = xcalloc((size_t)cols, sizeof *rowheld);
    Cell *cells = xcalloc((size_t)cols, sizeof *cells);
    for (int i = 0; i < cols; i++) sb_init(&cells[i].text);
    Cell **row = xcalloc((size_t)cols, sizeof *row);
    s->page = 0;
    uintmax_t pages = 0;
    for (bool more = true; more && !s->out.err;) {
        s->page++;
        int count = 0, rows = 0;
        size_t len;
        for (size_t i = 0; i < cap; i++) held[i].present = false;
        if (s->merge) {
            for (; rows < rows_per_page; rows++) {
                bool any = false;
                for (int k = 0; k < nin; k++)
                    if (read_line(s, &ins[k], &len)) {
                        hold(&held[(size_t)rows * (size_t)cols + (size_t)k], ins[k].line, len, 0);
                        any = true;
                    } else {
                        /* a file that ended still has its (empty) column */
                        hold(&held[(size_t)rows * (size_t)cols + (size_t)k], "", 0, 0);
                    }
                if (!any) break;
            }
            more = false;
            for (int k = 0; k < nin; k++) more |= !ins[k].eof;
            count = rows;
        } else {
            for (; (size_t)count < cap && read_line(s, &ins[0], &len); count++)
                hold(&held[count], ins[0].line, len, s->numbers ? ++s->line_number : 0);
            more = (size_t)count == cap && !ins[0].eof;
        }
        if (!count) break;
        put_header(s);
        int used = 0, nrows;
        int per[512];
        bool balanced = !s->merge && !s->across && cols > 1 && cols <= 512;
        if (s->merge) nrows = rows;
        else if (cols == 1 || s->across) nrows = (count + cols - 1) / cols;
        else if ((size_t)count < cap) {
            /* the last page: columns balanced, the first ones one longer */
            int base = count / cols, extra = count % cols;
            for (int k = 0; k < cols && balanced; k++) per[k] = base + (k < extra);
            nrows = base + (extra > 0);
        } else {
            for (int k = 0; k < cols && balanced; k++) per[k] = rows_per_page;
            nrows = rows_per_page;
        }
        for (int r = 0; r < nrows; r++) {
            if (s->merge) {
                for (int k = 0; k < cols; k++) rowheld[k] = &held[(size_t)r * (size_t)cols + (size_t)k];
                if (s->numbers && page_wanted(s)) {
                    Cell num;
                    sb_init(&num.text);
                    make_cell(s, &num, "", 0, -1, ++s->line_number, true);
                    put_text(s, num.text.s, num.text.len, num.width);
                    sb_free(&num.text);
                }
            } else if (cols == 1 || s->across) {
                for (int k = 0; k < cols; k++) rowheld[k] = r * cols + k < count ? &held[r * cols + k] : NULL;
            } else {
                int idx = 0;
                for (int k = 0; k < cols; k++) {
                    rowheld[k] = balanced && r < per[k] ? &held[idx + r] : NULL;
                    idx += balanced ? per[k] : 0;
                }
            }
            int save = s->margin;
            if (s->merge && s->numbers) s->margin += numw;
            print_held_row(s, rowheld, cols, colwidth, limit, cells, row);
            s->margin = save;
            used += s->double_space ? 2 : 1;
        }
        put_trailer(s, used, rows_per_page * (s->double_space ? 2 : 1));
        pages++;
        if (s->page >= s->last_page || uout_flush(&s->out) < 0) break;
    }
    if (pages < s->first_page && s->first_page > 1) {
        uout_flush(&s->out);
        uc_error(s->c, "starting page number %ju exceeds page count %ju", s->first_page, pages);
    }
    for (size_t i = 0; i < cap; i++) sb_free(&held[i].text);
    for (int i = 0; i < cols; i++) sb_free(&cells[i].text);
    free(held);
    free(rowheld);
    free(cells);
    free(row);
}

/* ---- options ---- */

static void set_date(Pr *s, const char *name) {
    struct timespec ts;
    struct stat st;
    clock_gettime(CLOCK_REALTIME, &ts);
    if (name && strcmp(name, "-") && stat(name, &st) == 0) ts = st.st_mtim;
    const char *tz = uc_getenv(s->c, "TZ");
    bool utc = tz && (!strcmp(tz, "UTC") || !strcmp(tz, "UTC0") || !strcmp(tz, "GMT") || !*tz);
    StrBuf b;
    sb_init(&b);
    u_format_time(&b, s->date_format ? s->date_format : "%Y-%m-%d %H:%M", &ts, utc);
    snprintf(s->date_text, sizeof s->date_text, "%s", sb_cstr(&b));
    sb_free(&b);
}

static bool int_arg(Pr *s, const char *arg, const char *what, int *out, int min) {
    uintmax_t v;
    if (!u_parse_uint(arg, &v) || v < (uintmax_t)min || v > 100000) {
        char *q = u_quote(arg);
        uc_error(s->c, "invalid %s argument %s", what, q);
        free(q);
        return false;
    }
    *out = (int)v;
    return true;
}

/* -e[CHAR[WIDTH]], -n[SEP[DIGITS]]: an optional char then an optional number. */
static bool char_and_number(Pr *s, const char *arg, char *ch, int *num, const char *what) {
    if (!arg) return true;
    if (*arg && !isdigit((unsigned char)*arg)) *ch = *arg++;
    if (*arg) return int_arg(s, arg, what, num, 1);
    return true;
}

static bool page_range(Pr *s, const char *arg) {
    char *end;
    errno = 0;
    uintmax_t first = strtoumax(arg, &end, 10), last = UINTMAX_MAX;
    if (end == arg || first == 0 || (*end && *end != ':')) goto bad;
    if (*end == ':') {
        char *e2;
        last = strtoumax(end + 1, &e2, 10);
        if (e2 == end + 1 || *e2 || last < first) goto bad;
    }
    s->first_page = first;
    s->last_page = last;
    return true;
bad:;
    char *q = u_quote(arg);
    uc_error(s->c, "invalid page range %s", q);
    free(q);
    return false;
}

static const UOptLong pr_longs[] = {
    {"pages", UO_REQ, 'P'}, {"columns", UO_REQ, 'C'}, {"across", UO_NOARG, 'a'},
    {"show-control-chars", UO_NOARG, 'c'}, {"double-space", UO_NOARG, 'd'}, {"date-format", UO_REQ, 'D'},
    {"expand-tabs", UO_OPT, 'e'}, {"form-feed", UO_NOARG, 'F'}, {"header", UO_REQ, 'h'},
    {"output-tabs", UO_OPT, 'i'}, {"join-lines", UO_NOARG, 'J'}, {"length", UO_REQ, 'l'},
    {"merge", UO_NOARG, 'm'}, {"number-lines", UO_OPT, 'n'}, {"first-line-number", UO_REQ, 'N'},
    {"indent", UO_REQ, 'o'}, {"no-file-warnings", UO_NOARG, 'r'}, {"separator", UO_OPT, 's'},
    {"sep-string", UO_OPT, 'S'}, {"omit-header", UO_NOARG, 't'}, {"omit-pagination", UO_NOARG, 'T'},
    {"show-nonprinting", UO_NOARG, 'v'}, {"width", UO_REQ, 'w'}, {"page-width", UO_REQ, 'W'},
    {NULL, 0, 0},
};

static int pr_option(Pr *s, int k, const char *arg, bool *sep_given, bool *width_given) {
    switch (k) {
    case 'P': return page_range(s, arg) ? -1 : 1;
    case 'C': return int_arg(s, arg, "number of columns", &s->columns, 1) ? -1 : 1;
    case 'a': s->across = true; return -1;
    case 'c': s->ctrl_caret = true; return -1;
    case 'd': s->double_space = true; return -1;
    case 'D': s->date_format = arg; return -1;
    case 'e': s->untab = true; return char_and_number(s, arg, &s->in_tab, &s->in_tab_width, "-e") ? -1 : 1;
    case 'F': case 'f': s->formfeed = true; return -1;
    case 'h': s->header = arg; return -1;
    case 'i': uc_error(s->c, "-i (output tabs) is not supported"); return 1;
    case 'J': s->join = true; return -1;
    case 'l': return int_arg(s, arg, "page length", &s->page_length, 1) ? -1 : 1;
    case 'm': s->merge = true; return -1;
    case 'n': s->numbers = true; return char_and_number(s, arg, &s->number_sep, &s->number_digits, "-n") ? -1 : 1;
    case 'N': {
        uintmax_t v;
        if (!u_parse_uint(arg, &v)) {
            char *q = u_quote(arg);
            uc_error(s->c, "invalid starting line number: %s", q);
            free(q);
            return 1;
        }
        s->line_number = s->first_number = v ? v - 1 : 0;
        return -1;
    }
    case 'o': return int_arg(s, arg, "line offset", &s->margin, 0) ? -1 : 1;
    case 'r': s->quiet_missing = true; return -1;
    case 's':
        s->sep_char_set = true;
        *sep_given = true;
        s->sep = !arg ? "\t" : arg;
        if (arg && strlen(arg) > 1) {
            char *q = u_quote(arg);
            uc_error(s->c, "'-s' requires a single character: %s", q);
            free(q);
            return 1;
        }
        return -1;
    case 'S': *sep_given = true; s->sep = arg ? arg : ""; return -1;
    case 't': s->omit = true; return -1;
    case 'T': s->omit = s->omit_ff = true; return -1;
    case 'v': s->ctrl_octal = true; return -1;
    case 'w': *width_given = true; return int_arg(s, arg, "page width", &s->page_width, 1) ? -1 : 1;
    case 'W': s->width_truncates = true; return int_arg(s, arg, "page width", &s->page_width, 1) ? -1 : 1;
    case UO_HELP: return u_help(s->c, "[OPTION]... [FILE]...");
    case UO_VERSION: return u_version(s->c);
    default: return k >= '0' && k <= '9' ? -2 : 1; /* digits: -COLUMN, handled by the caller */
    }
}

int util_pr_main(UtilCtx *c, int argc, char **argv) {
    Pr s;
    memset(&s, 0, sizeof s);
    s.c = c;
    s.page_length = 66;
    s.page_width = 72;
    s.last_page = UINTMAX_MAX;
    s.first_page = 1;
    s.columns = 1;
    s.sep = " ";
    s.number_sep = '\t';
    s.number_digits = 5;
    s.in_tab = '\t';
    s.in_tab_width = 8;
    bool sep_given = false, width_given = false;
    UOpts o;
    uopt_init(&o, c, argc, argv, "0123456789aD:cde::Ffh:i::Jl:mn::N:o:rs::S::tTvw:W:", pr_longs);
    o.each_operand = true;
    int k, r = -1, digits_at = -1;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) {
        if (k == UO_OPERAND) {
            if (!o.done && o.arg[0] == '+' && o.arg[1]) r = page_range(&s, o.arg + 1) ? -1 : 1;
            else sl_push_copy(&o.ops, o.arg);
            continue;
        }
        r = pr_option(&s, k, o.arg, &sep_given, &width_given);
        if (r == -2) {
            int argi = o.cluster ? o.i : o.i - 1;
            if (digits_at != argi) s.columns = 0;
            digits_at = argi;
            s.columns = s.columns * 10 + (k - '0');
            r = -1;
        }
    }
    s.ops = o.ops;
    if (r < 0 && s.columns < 1) s.columns = 1;
    if (r < 0 && s.merge && s.columns > 1) {
        uc_error(c, "cannot specify number of columns when printing in parallel");
        r = 1;
    }
    if (r < 0 && s.across && s.merge) {
        uc_error(c, "cannot specify both printing across and printing in parallel");
        r = 1;
    }
    if (r >= 0) {
        sl_free(&s.ops);
        return r;
    }
    if (s.join && !sep_given) s.sep = "\t";
    if (s.page_length <= 10) s.omit = true;
    uout_init(&s.out, c, 1);
    if (!s.ops.n) sl_push_copy(&s.ops, "-");
    if (s.merge) {
        PrIn *ins = xcalloc(s.ops.n, sizeof *ins);
        int nin = 0;
        for (size_t i = 0; i < s.ops.n; i++) {
            ins[nin].name = s.ops.v[i];
            ins[nin].f = uc_open(c, s.ops.v[i], "r");
            if (!ins[nin].f) {
                if (!s.quiet_missing) u_err_file(c, s.ops.v[i], errno ? errno : ENOENT);
                s.status = 1;
                continue;
            }
            nin++;
        }
        set_date(&s, NULL);
        s.file_text = s.header ? s.header : "";
        if (nin) paginate(&s, ins, nin);
        for (int i = 0; i < nin; i++) {
            uc_close(ins[i].f);
            free(ins[i].line);
        }
        free(ins);
    } else {
        for (size_t i = 0; i < s.ops.n && !s.out.err; i++) {
            PrIn in = {s.ops.v[i], NULL, false, NULL, 0};
            errno = 0;
            in.f = uc_open(c, in.name, "r");
            if (!in.f) {
                if (!s.quiet_missing) u_err_file(c, in.name, errno ? errno : ENOENT);
                s.status = 1;
                continue;
            }
            set_date(&s, in.name);
            s.line_number = s.first_number; /* each file is numbered from the start */
            s.file_text = s.header ? s.header : strcmp(in.name, "-") ? in.name : "";
            paginate(&s, &in, 1);
            uc_close(in.f);
            free(in.line);
        }
    }
    int st = s.status | uout_close(&s.out);
    sl_free(&s.ops);
    return st;
}
