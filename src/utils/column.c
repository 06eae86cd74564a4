/* column.c - the column utility (util-linux 2.38, Debian's bsdextrautils).
 *
 * Fill modes (default: down the columns; -x: across the rows): each
 * non-empty input line is an entry; entries are laid out in columns of the
 * widest entry rounded up to a tab stop, separated by tabs, within -c WIDTH
 * (else $COLUMNS, else 80) as BSD column does.
 *
 * Table mode (-t): lines are split into cells at runs of whitespace, or at
 * each character of -s SEP (empty cells kept); columns are as wide as their
 * widest cell (and header), left-aligned (-R: right), joined by -o STR (two
 * spaces), the last column unpadded. -N names the columns (a header line,
 * unless -d), -l limits their number, -H hides and -O orders them, -L keeps
 * empty lines, -J prints JSON as libsmartcols does (-n names the table).
 * Widths count characters in a UTF-8 locale; a byte that is not a character
 * there (any byte >= 0x80 in the C locale) is shown as \xHH. -T -W -E -e only
 * matter on a terminal narrower than the table and are accepted. */
#include "mbchar.h"
#include "ucommon.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct Cell {
    char *s;      /* as printed (invalid bytes encoded) */
    size_t width;
} Cell;

typedef struct Row {
    Cell *cells;
    size_t n;
    bool empty;   /* an empty input line (kept with -L) */
} Row;

typedef struct Column {
    UtilCtx *c;
    UOut out;
    bool utf8;
    int mode;             /* 'c' fill columns, 'x' fill rows, 't' table */
    size_t termwidth;
    const char *in_sep;   /* -s: separator characters, no merging */
    const char *out_sep;
    StrList names;        /* -N */
    size_t limit;         /* -l: 0 = none */
    const char *right, *hide, *order; /* -R -H -O lists */
    const char *table_name;
    bool json, no_headings, keep_empty;
    StrList lines;
    StrList ops;
    int status;
} Column;

/* ---- text: display form and width ---- */

/* The cell as column shows it: a byte that does not start a character is
 * written \xHH; *width counts columns. */
static char *display(const Column *s, const char *p, size_t n, size_t *width) {
    StrBuf b;
    sb_init(&b);
    size_t w = 0;
    for (size_t i = 0; i < n;) {
        unsigned char ch = (unsigned char)p[i];
        uint32_t cp;
        int len = ch < 0x80 ? 1 : s->utf8 ? mb_decode(p + i, n - i, &cp) : -1;
        if (len <= 0) {
            sb_printf(&b, "\\x%02x", ch);
            w += 4;
            i++;
            continue;
        }
        sb_put(&b, p + i, (size_t)len);
        if (len == 1) w += ch >= 0x20 && ch < 0x7F;
        else {
            int cw = mb_width(cp);
            w += cw > 0 ? (size_t)cw : 0;
        }
        i += (size_t)len;
    }
    *width = w;
    return sb_take(&b);
}

/* Width of a fill-mode entry (printed as it is). */
static size_t entry_width(const Column *s, const char *p) {
    size_t n = strlen(p), w = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        int len = (unsigned char)p[i] < 0x80 || !s->utf8 ? 1 : mb_decode(p + i, n - i, &cp);
        if (len <= 0) len = 1, cp = 0xFFFD;
        else if (len == 1) cp = (unsigned char)p[i];
        int cw = len == 1 && cp < 0x80 ? (cp >= 0x20 && cp < 0x7F) : len == 1 ? 1 : mb_width(cp);
        w += cw > 0 ? (size_t)cw : 0;
        i += (size_t)len;
    }
    return w;
}

/* ---- fill modes (BSD column) ---- */

enum { TAB = 8 };

static void put_tabs(Column *s, size_t *chcnt, size_t endcol) {
    size_t cnt;
    while ((cnt = (*chcnt + TAB) & ~(size_t)(TAB - 1)) <= endcol) {
        uout_putc(&s->out, '\t');
        *chcnt = cnt;
    }
}

static void fill(Column *s) {
    char **ents = xmalloc((s->lines.n + 1) * sizeof *ents);
    size_t n = 0;
    for (size_t i = 0; i < s->lines.n; i++)
        if (*s->lines.v[i]) ents[n++] = s->lines.v[i];
    if (!n) {
        free(ents);
        return;
    }
    size_t maxlen = 0;
    size_t *w = xmalloc(n * sizeof *w);
    for (size_t i = 0; i < n; i++) {
        w[i] = entry_width(s, ents[i]);
        if (w[i] > maxlen) maxlen = w[i];
    }
    if (maxlen >= s->termwidth) {
        for (size_t i = 0; i < n; i++) {
            uout_puts(&s->out, ents[i]);
            uout_putc(&s->out, '\n');
        }
        free(w);
        free(ents);
        return;
    }
    maxlen = (maxlen + TAB) & ~(size_t)(TAB - 1);
    size_t numcols = s->termwidth / maxlen;
    if (!numcols) numcols = 1;
    if (s->mode == 'x') {
        size_t chcnt = 0, col = 0, endcol = maxlen;
        for (size_t i = 0; i < n; i++) {
            uout_puts(&s->out, ents[i]);
            chcnt += w[i];
            if (i + 1 == n) break;
            if (++col == numcols) {
                chcnt = col = 0;
                endcol = maxlen;
                uout_putc(&s->out, '\n');
            } else {
                put_tabs(s, &chcnt, endcol);
                endcol += maxlen;
            }
        }
        if (chcnt) uout_putc(&s->out, '\n');
    } else {
        size_t numrows = n / numcols + (n % numcols != 0);
        for (size_t row = 0; row < numrows; row++) {
            size_t endcol = maxlen, chcnt = 0;
            for (size_t base = row, col = 0; col < numcols; col++) {
                uout_puts(&s->out, ents[base]);
                chcnt += w[base];
                if ((base += numrows) >= n) break;
                put_tabs(s, &chcnt, endcol);
                endcol += maxlen;
            }
            uout_putc(&s->out, '\n');
        }
    }
    free(w);
    free(ents);
}

/* ---- table mode ---- */

static void add_cell(const Column *s, Row *r, const char *p, size_t n) {
    r->cells = xrealloc(r->cells, (r->n + 1) * sizeof *r->cells);
    Cell *c = &r->cells[r->n++];
    c->s = display(s, p, n, &c->width);
}

static Row split_row(const Column *s, const char *line) {
    Row r = {NULL, 0, false};
    const char *p = line;
    size_t len = strlen(line);
    if (!len) {
        r.empty = true;
        return r;
    }
    const char *end = line + len;
    if (s->in_sep) {
        for (;;) {
            if (s->limit && r.n + 1 == s->limit) {
                add_cell(s, &r, p, (size_t)(end - p));
                break;
            }
            size_t k = strcspn(p, s->in_sep);
            add_cell(s, &r, p, k);
            if (!p[k]) break;
            p += k + 1;
        }
        return r;
    }
    for (;;) {
        while (*p == ' ' || *p == '\t') p++;
        if (!*p) break;
        if (s->limit && r.n + 1 == s->limit) {
            add_cell(s, &r, p, (size_t)(end - p));
            break;
        }
        size_t k = strcspn(p, " \t");
        add_cell(s, &r, p, k);
        p += k;
    }
    return r;
}

/* Index of a column named or numbered (from 1) by item; SIZE_MAX if none. */
static size_t column_index(const Column *s, const char *item, size_t len, size_t ncols) {
    for (size_t i = 0; i < s->names.n; i++)
        if (strlen(s->names.v[i]) == len && !strncmp(s->names.v[i], item, len)) return i;
    size_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (item[i] < '0' || item[i] > '9') return SIZE_MAX;
        v = v * 10 + (size_t)(item[i] - '0');
        if (v > ncols) return SIZE_MAX;
    }
    return len && v >= 1 && v <= ncols ? v - 1 : SIZE_MAX;
}

/* Marks the columns of a comma-separated list. */
static void mark_columns(const Column *s, const char *list, bool *mark, size_t ncols) {
    if (!list) return;
    for (const char *p = list; *p;) {
        size_t k = strcspn(p, ",");
        size_t i = column_index(s, p, k, ncols);
        if (i != SIZE_MAX) mark[i] = true;
        p += k + (p[k] ? 1 : 0);
    }
}

/* The printing order of the columns (-O first, then the others). */
static size_t *column_order(const Column *s, size_t ncols) {
    size_t *order = xmalloc(ncols * sizeof *order), n = 0;
    bool *used = xcalloc(ncols, sizeof *used);
    if (s->order)
        for (const char *p = s->order; *p;) {
            size_t k = strcspn(p, ",");
            size_t i = column_index(s, p, k, ncols);
            if (i != SIZE_MAX && !used[i]) used[i] = true, order[n++] = i;
            p += k + (p[k] ? 1 : 0);
        }
    for (size_t i = 0; i < ncols; i++)
        if (!used[i]) order[n++] = i;
    free(used);
    return order;
}

static void json_string(Column *s, const char *p, bool lower) {
    uout_putc(&s->out, '"');
    for (; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch == '"' || ch == '\\') {
            uout_putc(&s->out, '\\');
            uout_putc(&s->out, (char)ch);
        } else if (ch >= 0x20) {
            uout_putc(&s->out, lower && ch >= 'A' && ch <= 'Z' ? (char)(ch + 32) : (char)ch);
        } else {
            const char *esc = ch == '\b' ? "\\b" : ch == '\t' ? "\\t" : ch == '\n' ? "\\n" : ch == '\f' ? "\\f"
                            : ch == '\r' ? "\\r" : NULL;
            if (esc) uout_puts(&s->out, esc);
            else uout_printf(&s->out, "\\u00%02x", ch);
        }
    }
    uout_putc(&s->out, '"');
}

static void print_json(Column *s, Row *rows, size_t nrows, const size_t *order, size_t ncols, const bool *hidden) {
    uout_puts(&s->out, "{\n   ");
    json_string(s, s->table_name ? s->table_name : "table", false);
    uout_puts(&s->out, ": [\n");
    for (size_t r = 0; r < nrows; r++) {
        uout_puts(&s->out, r ? "},{\n" : "      {\n");
        bool first = true;
        for (size_t k = 0; k < ncols; k++) {
            size_t i = order[k];
            if (hidden[i]) continue;
            uout_puts(&s->out, first ? "         " : ",\n         ");
            first = false;
            json_string(s, s->names.v[i], true);
            uout_puts(&s->out, ": ");
            if (i < rows[r].n && *rows[r].cells[i].s)
                json_string(s, rows[r].cells[i].s, false);
            else
                uout_puts(&s->out, "null");
        }
        uout_puts(&s->out, "\n");
        if (r + 1 < nrows) uout_puts(&s->out, "      ");
    }
    if (nrows) uout_puts(&s->out, "      }\n");
    uout_puts(&s->out, "   ]\n}\n");
}

static void print_row(Column *s, const Cell *cells, size_t n, const size_t *order, size_t ncols, const bool *hidden,
                      const bool *right, const size_t *width) {
    size_t last = ncols;
    for (size_t k = ncols; k-- > 0;)
        if (!hidden[order[k]]) {
            last = k;
            break;
        }
    bool first = true;
    for (size_t k = 0; k <= last && last < ncols; k++) {
        size_t i = order[k];
        if (hidden[i]) continue;
        if (!first) uout_puts(&s->out, s->out_sep);
        first = false;
        const char *text = i < n ? cells[i].s : "";
        size_t w = i < n ? cells[i].width : 0;
        size_t pad = width[i] > w ? width[i] - w : 0;
        if (right[i]) uout_printf(&s->out, "%*s", (int)pad, "");
        uout_puts(&s->out, text);
        if (!right[i] && k != last) uout_printf(&s->out, "%*s", (int)pad, "");
    }
    uout_putc(&s->out, '\n');
}

static bool table(Column *s) {
    size_t nrows = 0, ncols = s->names.n;
    Row *rows = xcalloc(s->lines.n + 1, sizeof *rows);
    bool ok = true;
    for (size_t i = 0; i < s->lines.n && ok; i++) {
        Row r = split_row(s, s->lines.v[i]);
        if (r.empty && !s->keep_empty) continue;
        rows[nrows++] = r;
        if (r.n > ncols) ncols = r.n;
        if (s->json && r.n > s->names.n) {
            /* util-linux counts the line after the offending one */
            uc_error(s->c, "line %zu: for JSON the name of the column %zu is required", i + 2, s->names.n + 1);
            ok = false;
        }
    }
    if (nrows && ok) {
        bool *hidden = xcalloc(ncols, sizeof *hidden), *right = xcalloc(ncols, sizeof *right);
        size_t *width = xcalloc(ncols, sizeof *width);
        mark_columns(s, s->hide, hidden, ncols);
        mark_columns(s, s->right, right, ncols);
        size_t *order = column_order(s, ncols);
        Cell *head = xcalloc(ncols, sizeof *head);
        bool headings = s->names.n && !s->no_headings;
        for (size_t i = 0; i < ncols; i++) {
            head[i].s = display(s, i < s->names.n ? s->names.v[i] : "", i < s->names.n ? strlen(s->names.v[i]) : 0,
                                &head[i].width);
            if (headings) width[i] = head[i].width;
        }
        for (size_t r = 0; r < nrows; r++)
            for (size_t i = 0; i < rows[r].n; i++)
                if (rows[r].cells[i].width > width[i]) width[i] = rows[r].cells[i].width;
        if (s->json) {
            print_json(s, rows, nrows, order, ncols, hidden);
        } else {
            if (headings) print_row(s, head, ncols, order, ncols, hidden, right, width);
            for (size_t r = 0; r < nrows && !s->out.err; r++)
                print_row(s, rows[r].cells, rows[r].n, order, ncols, hidden, right, width);
        }
        for (size_t i = 0; i < ncols; i++) free(head[i].s);
        free(head);
        free(order);
        free(width);
        free(hidden);
        free(right);
    }
    for (size_t r = 0; r < nrows; r++) {
        for (size_t i = 0; i < rows[r].n; i++) free(rows[r].cells[i].s);
        free(rows[r].cells);
    }
    free(rows);
    return ok;
}

/* ---- options and input ---- */

static const UOptLong column_longs[] = {
    {"columns", UO_REQ, 'c'},        {"output-width", UO_REQ, 'c'},    {"table", UO_NOARG, 't'},
    {"separator", UO_REQ, 's'},      {"output-separator", UO_REQ, 'o'}, {"fillrows", UO_NOARG, 'x'},
    {"table-columns", UO_REQ, 'N'},  {"table-columns-limit", UO_REQ, 'l'}, {"table-right", UO_REQ, 'R'},
    {"table-truncate", UO_REQ, 'T'}, {"table-noextreme", UO_REQ, 'E'},  {"table-wrap", UO_REQ, 'W'},
    {"table-hide", UO_REQ, 'H'},     {"table-order", UO_REQ, 'O'},      {"table-name", UO_REQ, 'n'},
    {"table-noheadings", UO_NOARG, 'd'}, {"table-empty-lines", UO_NOARG, 'L'}, {"json", UO_NOARG, 'J'},
    {"table-header-repeat", UO_NOARG, 'e'}, {"tree", UO_REQ, 'r'},    {"tree-id", UO_REQ, 'i'},
    {"tree-parent", UO_REQ, 'p'},    {NULL, 0, 0},
};

static bool number_arg(Column *s, const char *what, const char *arg, size_t *out) {
    uintmax_t v;
    if (u_parse_uint(arg, &v)) {
        *out = v > SIZE_MAX / 2 ? SIZE_MAX / 2 : (size_t)v;
        return true;
    }
    char *q = u_quote(arg);
    uc_error(s->c, "invalid %s argument: %s", what, q);
    free(q);
    return false;
}

static void set_names(Column *s, const char *arg) {
    sl_clear(&s->names);
    for (const char *p = arg;;) {
        size_t k = strcspn(p, ",");
        char *name = xstrndup(p, k);
        sl_push(&s->names, name);
        if (!p[k]) break;
        p += k + 1;
    }
}

static int column_option(Column *s, int k, const char *arg) {
    switch (k) {
    case 'c': return number_arg(s, "columns", arg, &s->termwidth) ? -1 : 1;
    case 't': s->mode = 't'; return -1;
    case 'x': if (s->mode != 't') s->mode = 'x'; return -1;
    case 's': s->in_sep = arg; return -1;
    case 'o': s->out_sep = arg; return -1;
    case 'N': set_names(s, arg); return -1;
    case 'l': return number_arg(s, "columns limit", arg, &s->limit) ? -1 : 1;
    case 'R': s->right = arg; return -1;
    case 'H': s->hide = arg; return -1;
    case 'O': s->order = arg; return -1;
    case 'n': s->table_name = arg; return -1;
    case 'd': s->no_headings = true; return -1;
    case 'L': s->keep_empty = true; return -1;
    case 'J': s->json = true; s->mode = 't'; return -1;
    case 'T': case 'E': case 'W': case 'e': return -1;
    case 'r': case 'i': case 'p': uc_error(s->c, "--tree is not supported"); return 1;
    case 'h': case UO_HELP: return u_help(s->c, "[options] [<file>...]");
    case 'V': case UO_VERSION: return u_version(s->c);
    default: return 1;
    }
}

static void read_lines(Column *s, const char *data, size_t n) {
    const char *p = data, *end = data + n;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end;
        sl_push(&s->lines, xstrndup(p, (size_t)(e - p)));
        p = nl ? nl + 1 : end;
    }
}

int util_column_main(UtilCtx *c, int argc, char **argv) {
    Column s;
    memset(&s, 0, sizeof s);
    s.c = c;
    s.mode = 'c';
    s.out_sep = "  ";
    s.utf8 = mb_utf8_locale(c);
    sl_init(&s.names);
    sl_init(&s.lines);
    const char *cols = uc_getenv(c, "COLUMNS");
    uintmax_t cw;
    s.termwidth = cols && u_parse_uint(cols, &cw) && cw > 0 && cw < 100000 ? (size_t)cw : 80;
    UOpts o;
    uopt_init(&o, c, argc, argv, "c:tXs:o:xN:l:R:T:E:W:H:O:n:dLJer:i:p:hV", column_longs);
    int k, r = -1;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) r = column_option(&s, k, o.arg);
    s.ops = o.ops;
    if (r < 0 && s.json && !s.names.n) {
        uc_error(c, "option --table-columns required for --json");
        r = 1;
    }
    if (r >= 0) {
        sl_free(&s.ops);
        sl_free(&s.names);
        return r;
    }
    uout_init(&s.out, c, 1);
    if (!s.ops.n) sl_push_copy(&s.ops, "-");
    StrBuf all;
    sb_init(&all);
    for (size_t i = 0; i < s.ops.n; i++) {
        UcFile *f = u_open_in(c, s.ops.v[i]);
        if (!f) {
            s.status = 1;
            continue;
        }
        char buf[65536];
        ssize_t n;
        size_t before = all.len;
        while ((n = uc_fread(f, buf, sizeof buf)) > 0 && !uc_should_stop(c)) sb_put(&all, buf, (size_t)n);
        uc_close(f);
        if (all.len > before && all.s[all.len - 1] != '\n') sb_putc(&all, '\n');
    }
    read_lines(&s, all.s ? all.s : "", all.len);
    sb_free(&all);
    if (s.mode == 't') {
        if (!table(&s)) s.status = 1;
    } else {
        fill(&s);
    }
    int st = s.status | uout_close(&s.out);
    sl_free(&s.lines);
    sl_free(&s.names);
    sl_free(&s.ops);
    return st;
}
