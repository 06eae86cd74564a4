/* ls.c - the ls utility as GNU coreutils 9.1 prints it when stdout is not a
 * terminal: one name per line unless -C, -x or -m asks for columns (GNU's
 * column fitting, tabs every 8 columns, width 80 or $COLUMNS or -w); -l with
 * GNU's column widths, the total line and the six-month date rule, -n -g -o
 * -G, --time-style, --full-time, -u -c; sorting in C-locale byte order by
 * name, -t -S -X -v -U, -r, --group-directories-first; -F -p
 * --indicator-style --file-type; -a -A -B -I --hide; -d -R -L -H -i -s -h -k.
 * Files given as operands come first, then each directory. */
#include "ident.h"
#include "modes.h"
#include "sortcmp.h"
#include "tz.h"
#include "datetime.h"
#include "statfix.h"
#include "ucommon.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

typedef struct Ent {
    char *name;   /* as shown */
    char *path;   /* for stat / readlink */
    struct stat st;
    bool ok;      /* st is valid */
    char *link;   /* symlink target for -l */
    struct stat target;
    bool target_ok;
} Ent;

enum { FMT_ONE, FMT_LONG, FMT_COLS, FMT_ACROSS, FMT_COMMAS };
enum { IND_NONE, IND_SLASH, IND_FILE_TYPE, IND_CLASSIFY };

enum {
    QS_LITERAL, QS_SHELL, QS_SHELL_ALWAYS, QS_SHELL_ESCAPE, QS_SHELL_ESCAPE_ALWAYS, QS_C, QS_C_MAYBE, QS_ESCAPE,
    QS_LOCALE, QS_CLOCALE,
};

typedef struct Ls {
    UtilCtx *c;
    UOut out;
    int all;      /* 0, 'A' or 'a' */
    bool dir_itself, recursive, reverse, numeric, human, si, inode, blocks, ignore_backups;
    bool no_owner, no_group, deref, deref_args, dirs_first;
    int quoting;    /* QS_*: --quoting-style, -b -N -Q, $QUOTING_STYLE */
    bool hide_ctrl; /* -q: '?' for unprintable bytes */
    /* GNU's align_variable_outer_quotes: in long and column formats with
     * the shell, shell-escape and c-maybe styles, when some name of a listing
     * is quoted the others get a space in front */
    bool pad_unquoted;
    bool time_style_given; /* --time-style: GNU checks it only for long listings */
    int format;
    char sort;    /* 'n' name, 't' time, 'S' size, 'U' none, 'v' version, 'X' extension */
    bool sort_set;
    char time_kind; /* 'm', 'a' (-u), 'c' (-c) */
    int indicator;
    const char *time_style; /* NULL: the locale's (C) format */
    StrList hide, ignore;
    size_t width;
    UTz *tz;
    struct timespec now;
    bool printed;  /* something was output (for blank lines between blocks) */
    int status;
} Ls;

/* ---- entries ---- */
static void ent_load(Ls *s, Ent *e, bool follow) {
    e->ok = (follow ? stat(e->path, &e->st) : lstat(e->path, &e->st)) == 0;
    if (!e->ok && follow && errno == ENOENT) e->ok = lstat(e->path, &e->st) == 0;
    if (e->ok) u_stat_fix(e->path, &e->st);
    if (e->ok && S_ISLNK(e->st.st_mode)) {
        if (s->format == FMT_LONG) {
            char buf[4096];
            ssize_t n = readlink(e->path, buf, sizeof buf - 1);
            if (n >= 0) e->link = xstrndup(buf, (size_t)n);
        }
        e->target_ok = stat(e->path, &e->target) == 0;
        if (e->target_ok) u_stat_fix(e->path, &e->target);
    }
}

static void ent_free(Ent *v, size_t n) {
    for (size_t i = 0; i < n; i++) {
        free(v[i].name);
        free(v[i].path);
        free(v[i].link);
    }
    free(v);
}

static const struct timespec *ent_time(const Ls *s, const struct stat *st) {
    return s->time_kind == 'a' ? &st->st_atim : s->time_kind == 'c' ? &st->st_ctim : &st->st_mtim;
}

static const char *extension(const char *name) {
    const char *dot = strrchr(name, '.');
    return dot && dot != name ? dot : "";
}

static bool is_dir_like(const Ent *e) {
    if (!e->ok) return false;
    return S_ISDIR(e->st.st_mode) || (S_ISLNK(e->st.st_mode) && e->target_ok && S_ISDIR(e->target.st_mode));
}

static int ent_cmp(const Ls *s, const Ent *a, const Ent *b) {
    if (s->dirs_first) {
        int d = is_dir_like(b) - is_dir_like(a);
        if (d) return d;
    }
    int d = 0;
    if (s->sort == 't') {
        const struct timespec *x = ent_time(s, &a->st), *y = ent_time(s, &b->st);
        d = x->tv_sec != y->tv_sec ? (x->tv_sec < y->tv_sec ? 1 : -1)
                                   : (x->tv_nsec != y->tv_nsec ? (x->tv_nsec < y->tv_nsec ? 1 : -1) : 0);
    } else if (s->sort == 'S') {
        d = a->st.st_size != b->st.st_size ? (a->st.st_size < b->st.st_size ? 1 : -1) : 0;
    } else if (s->sort == 'v') {
        d = sort_version_cmp(a->name, strlen(a->name), b->name, strlen(b->name));
    } else if (s->sort == 'X') {
        d = strcmp(extension(a->name), extension(b->name));
    }
    if (!d) d = strcmp(a->name, b->name);
    return s->reverse ? -d : d;
}

/* Stable merge sort of entries. */
static void ent_sort(const Ls *s, Ent *v, size_t n) {
    if (n < 2 || (s->sort == 'U' && !s->dirs_first)) return;
    Ent *tmp = xmalloc(n * sizeof *tmp);
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi) {
                bool take_j = s->sort == 'U' ? is_dir_like(&v[j]) && !is_dir_like(&v[i]) : ent_cmp(s, &v[j], &v[i]) < 0;
                tmp[k++] = take_j ? v[j++] : v[i++];
            }
            while (i < mid) tmp[k++] = v[i++];
            while (j < hi) tmp[k++] = v[j++];
        }
        memcpy(v, tmp, n * sizeof *v);
    }
    free(tmp);
}

/* ---- sizes ---- */

/* GNU -h (--si with base 1000): one decimal below 10, rounded up. */
static void human_size(uintmax_t v, bool si, char *buf, size_t cap) {
    static const char units[] = "KMGTPEZY";
    double base = si ? 1000 : 1024;
    if ((double)v < base) {
        snprintf(buf, cap, "%ju", v);
        return;
    }
    double x = (double)v;
    int u = -1;
    while (x >= base && u < 7) x /= base, u++;
    char unit = si && units[u] == 'K' ? 'k' : units[u];
    if (x < 10) {
        double t = (double)(uintmax_t)(x * 10);
        if (t < x * 10) t += 1;
        if (t >= 100) snprintf(buf, cap, "%d%c", 10, unit);
        else snprintf(buf, cap, "%.1f%c", t / 10, unit);
    } else {
        uintmax_t t = (uintmax_t)x;
        if ((double)t < x) t++;
        if ((double)t >= base && u < 7) snprintf(buf, cap, "1.0%c", units[u + 1]);
        else snprintf(buf, cap, "%ju%c", t, unit);
    }
}

static uintmax_t kblocks(const struct stat *st) { return ((uintmax_t)st->st_blocks * 512 + 1023) / 1024; }

static void blocks_text(const Ls *s, uintmax_t kb, char *buf, size_t cap) {
    if (s->human) human_size(kb * 1024, s->si, buf, cap);
    else snprintf(buf, cap, "%ju", kb);
}

static void size_text(const Ls *s, const Ent *e, char *buf, size_t cap) {
    if (S_ISCHR(e->st.st_mode) || S_ISBLK(e->st.st_mode))
        snprintf(buf, cap, "%u, %u", major(e->st.st_rdev), minor(e->st.st_rdev));
    else if (s->human)
        human_size((uintmax_t)e->st.st_size, s->si, buf, cap);
    else
        snprintf(buf, cap, "%jd", (intmax_t)e->st.st_size);
}

static int num_width(uintmax_t v) {
    int w = 1;
    while (v >= 10) v /= 10, w++;
    return w;
}

/* The name as shown in the quoting style (GNU quotearg's styles in the C
 * locale). Heap string. */
static bool ls_unprintable(unsigned char ch) { return ch < 0x20 || ch >= 0x7f; }

static bool ls_needs_shell_quotes(const char *name) {
    if (!*name) return true;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if (ls_unprintable(*p) || strchr(" \"'$&()*;<>?[\\`|!^=:{}", *p)) return true;
        if (p == (const unsigned char *)name && (*p == '~' || *p == '#')) return true;
    }
    return false;
}

/* shell and shell-always: '...' (or "..." around a ', when nothing in it is
 * special to double quotes); control characters stay as they are. */
static void ls_quote_shell(StrBuf *b, const char *name) {
    bool squote = strchr(name, '\'') != NULL, dq_special = strpbrk(name, "\"$`\\!") != NULL;
    if (squote && !dq_special) {
        sb_printf(b, "\"%s\"", name);
        return;
    }
    sb_putc(b, '\'');
    for (const char *p = name; *p; p++) {
        if (*p == '\'') sb_puts(b, "'\\''");
        else sb_putc(b, *p);
    }
    sb_putc(b, '\'');
}

/* c and escape: C escapes, with quotes (c) or with blanks escaped (escape). */
static void ls_quote_c(StrBuf *b, const char *name, bool quotes) {
    static const char named_from[] = "\a\b\t\n\v\f\r", named_to[] = "abtnvfr";
    if (quotes) sb_putc(b, '"');
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        const char *k = *p ? strchr(named_from, *p) : NULL;
        if (k) sb_printf(b, "\\%c", named_to[k - named_from]);
        else if (*p == '\\' || (quotes && *p == '"')) sb_printf(b, "\\%c", *p);
        else if (!quotes && *p == ' ') sb_puts(b, "\\ ");
        else if (ls_unprintable(*p)) sb_printf(b, "\\%03o", *p);
        else sb_putc(b, (char)*p);
    }
    if (quotes) sb_putc(b, '"');
}

static bool ls_needs_c_quotes(const char *name) {
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if (ls_unprintable(*p) || *p == '"' || *p == '\\') return true;
    return false;
}

/* True when the style quotes this name (for the alignment of the others). */
static bool ls_gets_quotes(const Ls *s, const char *name) {
    if (s->quoting == QS_C_MAYBE) return ls_needs_c_quotes(name);
    if (s->quoting == QS_SHELL || s->quoting == QS_SHELL_ESCAPE) return ls_needs_shell_quotes(name);
    return false;
}

static char *ls_shown(const Ls *s, const char *name) {
    StrBuf b;
    sb_init(&b);
    char *plain = NULL;
    if (s->hide_ctrl && s->quoting <= QS_SHELL_ALWAYS) {
        plain = xstrdup(name);
        for (char *p = plain; *p; p++)
            if (ls_unprintable((unsigned char)*p)) *p = '?';
        name = plain;
    }
    switch (s->quoting) {
    case QS_SHELL:
    case QS_SHELL_ALWAYS:
        if (s->quoting == QS_SHELL_ALWAYS || ls_needs_shell_quotes(name)) ls_quote_shell(&b, name);
        else sb_puts(&b, name);
        break;
    case QS_SHELL_ESCAPE: {
        char *q = u_quotef(name);
        sb_puts(&b, q);
        free(q);
        break;
    }
    case QS_SHELL_ESCAPE_ALWAYS: {
        char *q = ls_needs_shell_quotes(name) ? u_quotef(name) : NULL;
        if (q) sb_puts(&b, q);
        else sb_printf(&b, "'%s'", name);
        free(q);
        break;
    }
    case QS_C: ls_quote_c(&b, name, true); break;
    case QS_C_MAYBE: ls_quote_c(&b, name, ls_needs_c_quotes(name)); break;
    case QS_ESCAPE: ls_quote_c(&b, name, false); break;
    case QS_CLOCALE: ls_quote_c(&b, name, true); break; /* the C locale has no quotes of its own */
    case QS_LOCALE: {
        char *q = u_quote(name);
        sb_puts(&b, q);
        free(q);
        break;
    }
    default: sb_puts(&b, name); break;
    }
    free(plain);
    return sb_take(&b);
}

static void put_name(Ls *s, const char *name) {
    if (s->pad_unquoted && !ls_gets_quotes(s, name)) uout_putc(&s->out, ' ');
    if (s->quoting == QS_LITERAL && !s->hide_ctrl) {
        uout_puts(&s->out, name);
        return;
    }
    char *q = ls_shown(s, name);
    uout_puts(&s->out, q);
    free(q);
}

static size_t shown_len(const Ls *s, const char *name) {
    if (s->quoting == QS_LITERAL && !s->hide_ctrl) return strlen(name);
    char *q = ls_shown(s, name);
    size_t n = strlen(q) + (s->pad_unquoted && !ls_gets_quotes(s, name));
    free(q);
    return n;
}

/* --quoting-style's words, in QS_ order. */
static const char *const quoting_words[] = {"literal", "shell",  "shell-always", "shell-escape", "shell-escape-always",
                                            "c",       "c-maybe", "escape",      "locale",       "clocale", NULL};

/* ---- long format ---- */
typedef struct Widths {
    int links, owner, group, size, inode, blocks;
} Widths;

static void owner_text(const Ls *s, uid_t uid, char *buf, size_t cap) {
    if (s->numeric) snprintf(buf, cap, "%u", (unsigned)uid);
    else u_user_name(uid, buf, cap);
}

static void group_text(const Ls *s, gid_t gid, char *buf, size_t cap) {
    if (s->numeric) snprintf(buf, cap, "%u", (unsigned)gid);
    else u_group_name(gid, buf, cap);
}

static void compute_widths(const Ls *s, const Ent *v, size_t n, Widths *w) {
    memset(w, 0, sizeof *w);
    char buf[64];
    for (size_t i = 0; i < n; i++) {
        if (!v[i].ok) continue;
        int lw = num_width((uintmax_t)v[i].st.st_nlink);
        if (lw > w->links) w->links = lw;
        owner_text(s, v[i].st.st_uid, buf, sizeof buf);
        if ((int)strlen(buf) > w->owner) w->owner = (int)strlen(buf);
        group_text(s, v[i].st.st_gid, buf, sizeof buf);
        if ((int)strlen(buf) > w->group) w->group = (int)strlen(buf);
        size_text(s, &v[i], buf, sizeof buf);
        if ((int)strlen(buf) > w->size) w->size = (int)strlen(buf);
        int iw = num_width((uintmax_t)v[i].st.st_ino);
        blocks_text(s, kblocks(&v[i].st), buf, sizeof buf);
        int bw = (int)strlen(buf);
        if (iw > w->inode) w->inode = iw;
        if (bw > w->blocks) w->blocks = bw;
    }
}

/* The date column: the locale's format (six-month rule) or --time-style. */
static void time_text(const Ls *s, const struct timespec *ts, StrBuf *b) {
    const time_t six_months = 31556952 / 2;
    bool recent = ts->tv_sec > s->now.tv_sec - six_months &&
                  (ts->tv_sec < s->now.tv_sec || (ts->tv_sec == s->now.tv_sec && ts->tv_nsec <= s->now.tv_nsec));
    const char *style = s->time_style;
    const char *fmt = recent ? "%b %e %H:%M" : "%b %e  %Y";
    char *own = NULL;
    if (style && style[0] == '+') {
        const char *nl = strchr(style + 1, '\n');
        if (!nl) fmt = style + 1;
        else if (!recent) fmt = own = xstrndup(style + 1, (size_t)(nl - style - 1));
        else fmt = nl + 1;
    } else if (style && !strcmp(style, "full-iso")) {
        fmt = "%Y-%m-%d %H:%M:%S.%N %z";
    } else if (style && !strcmp(style, "long-iso")) {
        fmt = "%Y-%m-%d %H:%M";
    } else if (style && !strcmp(style, "iso")) {
        fmt = recent ? "%m-%d %H:%M" : "%Y-%m-%d ";
    }
    u_format_time_tz(b, fmt, ts, s->tz);
    free(own);
}

static char indicator(const Ls *s, mode_t m) {
    if (s->indicator == IND_NONE) return 0;
    if (S_ISDIR(m)) return '/';
    if (s->indicator == IND_SLASH) return 0;
    if (S_ISLNK(m)) return '@';
    if (S_ISFIFO(m)) return '|';
    if (S_ISSOCK(m)) return '=';
    if (s->indicator == IND_CLASSIFY && S_ISREG(m) && (m & (S_IXUSR | S_IXGRP | S_IXOTH))) return '*';
    return 0;
}

/* The indicator after a name in the short formats. */
static char ent_indicator(const Ls *s, const Ent *e) { return e->ok ? indicator(s, e->st.st_mode) : 0; }

static void print_prefix(Ls *s, const Ent *e, const Widths *w, bool pad) {
    if (s->inode) {
        if (e->ok) uout_printf(&s->out, "%*ju ", pad ? w->inode : 0, (uintmax_t)e->st.st_ino);
        else uout_printf(&s->out, "%*s ", pad ? w->inode : 0, "?");
    }
    if (s->blocks) {
        char buf[32];
        blocks_text(s, e->ok ? kblocks(&e->st) : 0, buf, sizeof buf);
        uout_printf(&s->out, "%*s ", pad ? w->blocks : 0, buf);
    }
}

static void print_long(Ls *s, const Ent *e, const Widths *w) {
    char mode[11], owner[64], group[64], size[64];
    u_mode_string(e->st.st_mode, mode);
    owner_text(s, e->st.st_uid, owner, sizeof owner);
    group_text(s, e->st.st_gid, group, sizeof group);
    size_text(s, e, size, sizeof size);
    StrBuf when;
    sb_init(&when);
    time_text(s, ent_time(s, &e->st), &when);
    uout_printf(&s->out, "%s %*ju ", mode, w->links, (uintmax_t)e->st.st_nlink);
    if (!s->no_owner) uout_printf(&s->out, "%-*s ", w->owner, owner);
    if (!s->no_group) uout_printf(&s->out, "%-*s ", w->group, group);
    uout_printf(&s->out, "%*s %s ", w->size, size, sb_cstr(&when));
    put_name(s, e->name);
    sb_free(&when);
    if (e->link) {
        uout_puts(&s->out, " -> ");
        bool pad = s->pad_unquoted;
        s->pad_unquoted = false; /* only names are aligned */
        put_name(s, e->link);
        s->pad_unquoted = pad;
        char ind = e->target_ok ? indicator(s, e->target.st_mode) : 0;
        if (ind && ind != '@' && s->indicator != IND_SLASH) uout_putc(&s->out, ind);
        else if (ind == '/' && s->indicator == IND_SLASH) uout_putc(&s->out, ind);
    } else {
        char ind = indicator(s, e->st.st_mode);
        if (ind) uout_putc(&s->out, ind);
    }
    uout_putc(&s->out, '\n');
}

/* ---- many per line ---- */

static size_t name_width(const Ls *s, const Ent *e, const Widths *w) {
    size_t n = shown_len(s, e->name) + (ent_indicator(s, e) != 0);
    if (s->inode) n += (size_t)(s->format == FMT_COMMAS ? num_width((uintmax_t)e->st.st_ino) : w->inode) + 1;
    if (s->blocks) {
        char buf[32];
        blocks_text(s, e->ok ? kblocks(&e->st) : 0, buf, sizeof buf);
        n += (s->format == FMT_COMMAS ? strlen(buf) : (size_t)w->blocks) + 1;
    }
    return n;
}

static void print_name(Ls *s, const Ent *e, const Widths *w) {
    print_prefix(s, e, w, s->format != FMT_COMMAS);
    put_name(s, e->name);
    char ind = ent_indicator(s, e);
    if (ind) uout_putc(&s->out, ind);
}

/* Pads from column `from` to `to` with tabs (every 8) and spaces, as GNU. */
static void indent(Ls *s, size_t from, size_t to) {
    while (from < to) {
        if (to / 8 > (from + 1) / 8) {
            uout_putc(&s->out, '\t');
            from += 8 - from % 8;
        } else {
            uout_putc(&s->out, ' ');
            from++;
        }
    }
}

/* GNU's column fitting: the most columns whose widths fit the line. */
static size_t fit_columns(const Ls *s, const size_t *len, size_t n, bool across, size_t **widths_out) {
    size_t max_cols = s->width / 3 ? s->width / 3 : 1;
    if (max_cols > n) max_cols = n;
    size_t *lines = xcalloc(max_cols, sizeof *lines);
    bool *valid = xmalloc(max_cols);
    size_t **cols = xmalloc(max_cols * sizeof *cols);
    for (size_t i = 0; i < max_cols; i++) {
        cols[i] = xcalloc(i + 1, sizeof **cols);
        valid[i] = true;
        lines[i] = (i + 1) * 3;
        for (size_t k = 0; k <= i; k++) cols[i][k] = 3;
    }
    for (size_t f = 0; f < n; f++) {
        for (size_t i = 0; i < max_cols; i++) {
            if (!valid[i]) continue;
            size_t idx = across ? f % (i + 1) : f / ((n + i) / (i + 1));
            size_t real = len[f] + (idx == i ? 0 : 2);
            if (cols[i][idx] < real) {
                lines[i] += real - cols[i][idx];
                cols[i][idx] = real;
                valid[i] = lines[i] < s->width;
            }
        }
    }
    size_t ncols = max_cols;
    while (ncols > 1 && !valid[ncols - 1]) ncols--;
    for (size_t i = 0; i < max_cols; i++)
        if (i != ncols - 1) free(cols[i]);
    *widths_out = cols[ncols - 1];
    free(cols);
    free(valid);
    free(lines);
    return ncols;
}

static void print_columns(Ls *s, const Ent *v, size_t n, const Widths *w) {
    if (!n) return;
    size_t *len = xmalloc(n * sizeof *len);
    for (size_t i = 0; i < n; i++) len[i] = name_width(s, &v[i], w);
    bool across = s->format == FMT_ACROSS;
    size_t *colw;
    size_t cols = fit_columns(s, len, n, across, &colw);
    if (across) {
        size_t pos = 0;
        for (size_t f = 0; f < n; f++) {
            size_t col = f % cols;
            if (f && col == 0) uout_putc(&s->out, '\n'), pos = 0;
            else if (f) {
                indent(s, pos + len[f - 1], pos + colw[col - 1]);
                pos += colw[col - 1];
            }
            print_name(s, &v[f], w);
        }
        uout_putc(&s->out, '\n');
    } else {
        size_t rows = n / cols + (n % cols != 0);
        for (size_t row = 0; row < rows; row++) {
            size_t pos = 0, col = 0;
            for (size_t f = row;;) {
                print_name(s, &v[f], w);
                size_t maxw = colw[col++];
                size_t next = f + rows;
                if (next >= n) break;
                indent(s, pos + len[f], pos + maxw);
                pos += maxw;
                f = next;
            }
            uout_putc(&s->out, '\n');
        }
    }
    free(colw);
    free(len);
}

/* -m: "a, b, c" wrapped before the line width. */
static void print_commas(Ls *s, const Ent *v, size_t n, const Widths *w) {
    size_t pos = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len = name_width(s, &v[i], w);
        if (i) {
            if (pos + 2 + len >= s->width) {
                uout_puts(&s->out, ",\n");
                pos = 0;
            } else {
                uout_puts(&s->out, ", ");
                pos += 2;
            }
        }
        print_name(s, &v[i], w);
        pos += len;
    }
    if (n) uout_putc(&s->out, '\n');
}

static void print_entries_w(Ls *s, const Ent *v, size_t n, bool total, const Widths *wp) {
    s->pad_unquoted = false;
    if (s->format == FMT_LONG || s->format == FMT_COLS || s->format == FMT_ACROSS)
        for (size_t i = 0; i < n && !s->pad_unquoted; i++) s->pad_unquoted = ls_gets_quotes(s, v[i].name);
    Widths w;
    if (wp) w = *wp;
    else compute_widths(s, v, n, &w);
    if (total && (s->format == FMT_LONG || s->blocks)) {
        uintmax_t sum = 0;
        for (size_t i = 0; i < n; i++) sum += v[i].ok ? kblocks(&v[i].st) : 0;
        char buf[32];
        blocks_text(s, sum, buf, sizeof buf);
        uout_printf(&s->out, "total %s\n", buf);
    }
    if (s->format == FMT_COLS || s->format == FMT_ACROSS) print_columns(s, v, n, &w);
    else if (s->format == FMT_COMMAS) print_commas(s, v, n, &w);
    else
        for (size_t i = 0; i < n; i++) {
            if (s->format == FMT_LONG && v[i].ok) {
                print_prefix(s, &v[i], &w, true);
                print_long(s, &v[i], &w);
                continue;
            }
            print_name(s, &v[i], &w);
            uout_putc(&s->out, '\n');
        }
    if (n) s->printed = true;
    s->pad_unquoted = false;
}

static void print_entries(Ls *s, const Ent *v, size_t n, bool total) { print_entries_w(s, v, n, total, NULL); }

/* ---- directories ---- */
static char *join(const char *dir, const char *name) {
    StrBuf b;
    sb_init(&b);
    sb_puts(&b, dir);
    if (b.len && b.s[b.len - 1] != '/') sb_putc(&b, '/');
    sb_puts(&b, name);
    return sb_take(&b);
}

static bool matches_any(const StrList *l, const char *name) {
    for (size_t i = 0; i < l->n; i++)
        if (!fnmatch(l->v[i], name, FNM_PERIOD)) return true;
    return false;
}

static bool shown(const Ls *s, const char *name) {
    if (s->ignore_backups && name[0] && name[strlen(name) - 1] == '~') return false;
    if (matches_any(&s->ignore, name)) return false;
    if (name[0] == '.') {
        if (s->all == 'a') return true;
        return s->all == 'A' && strcmp(name, ".") && strcmp(name, "..");
    }
    return s->all || !matches_any(&s->hide, name);
}

static Ent *read_dir(Ls *s, const char *path, size_t *count, bool top) {
    DIR *d = opendir(path);
    if (!d) {
        u_err_op(s->c, "cannot open directory", path, errno);
        s->status = top ? 2 : (s->status ? s->status : 1);
        return NULL;
    }
    size_t n = 0, cap = 16;
    Ent *v = xmalloc(cap * sizeof *v);
    struct dirent *de;
    while ((de = readdir(d))) {
        if (!shown(s, de->d_name)) continue;
        if (n == cap) v = xrealloc(v, (cap *= 2) * sizeof *v);
        memset(&v[n], 0, sizeof v[n]);
        v[n].name = xstrdup(de->d_name);
        v[n].path = join(path, de->d_name);
        ent_load(s, &v[n], s->deref);
        n++;
        if ((n & 1023) == 0 && uc_should_stop(s->c)) break;
    }
    closedir(d);
    ent_sort(s, v, n);
    *count = n;
    return v;
}

static void list_dir(Ls *s, const char *path, bool header, bool top) {
    if (s->out.err || uc_should_stop(s->c)) return;
    if (header) {
        if (s->printed) uout_putc(&s->out, '\n');
        put_name(s, path);
        uout_puts(&s->out, ":\n");
    }
    s->printed = true;
    size_t n;
    Ent *v = read_dir(s, path, &n, top);
    if (!v) return;
    print_entries(s, v, n, true);
    for (size_t i = 0; s->recursive && i < n; i++)
        if (v[i].ok && S_ISDIR(v[i].st.st_mode) && strcmp(v[i].name, ".") && strcmp(v[i].name, ".."))
            list_dir(s, v[i].path, true, false);
    ent_free(v, n);
}

/* ---- options ---- */
enum {
    OPT_COLOR = 0x100, OPT_GDF, OPT_FULL_TIME, OPT_TIME_STYLE, OPT_TIME, OPT_SORT, OPT_FORMAT,
    OPT_INDICATOR, OPT_FILE_TYPE, OPT_HIDE, OPT_SI, OPT_CLASSIFY, OPT_QUOTING, OPT_BLOCK_SIZE, OPT_SHOW_CTRL,
};

static const UOptLong ls_longs[] = {
    {"all", UO_NOARG, 'a'},          {"almost-all", UO_NOARG, 'A'},   {"directory", UO_NOARG, 'd'},
    {"classify", UO_OPT, OPT_CLASSIFY}, {"recursive", UO_NOARG, 'R'}, {"reverse", UO_NOARG, 'r'},
    {"human-readable", UO_NOARG, 'h'}, {"inode", UO_NOARG, 'i'},      {"numeric-uid-gid", UO_NOARG, 'n'},
    {"size", UO_NOARG, 's'},         {"dereference", UO_NOARG, 'L'},  {"no-group", UO_NOARG, 'G'},
    {"color", UO_OPT, OPT_COLOR},    {"escape", UO_NOARG, 'b'},       {"group-directories-first", UO_NOARG, OPT_GDF},
    {"full-time", UO_NOARG, OPT_FULL_TIME}, {"time-style", UO_REQ, OPT_TIME_STYLE}, {"time", UO_REQ, OPT_TIME},
    {"sort", UO_REQ, OPT_SORT},      {"format", UO_REQ, OPT_FORMAT},  {"indicator-style", UO_REQ, OPT_INDICATOR},
    {"file-type", UO_NOARG, OPT_FILE_TYPE}, {"hide", UO_REQ, OPT_HIDE}, {"ignore", UO_REQ, 'I'},
    {"ignore-backups", UO_NOARG, 'B'}, {"width", UO_REQ, 'w'},        {"si", UO_NOARG, OPT_SI},
    {"dereference-command-line", UO_NOARG, 'H'}, {"literal", UO_NOARG, 'N'}, {"hide-control-chars", UO_NOARG, 'q'},
    {"show-control-chars", UO_NOARG, OPT_SHOW_CTRL}, {"quoting-style", UO_REQ, OPT_QUOTING},
    {"tabsize", UO_REQ, 'T'},        {"kibibytes", UO_NOARG, 'k'},    {"block-size", UO_REQ, OPT_BLOCK_SIZE},
    {"context", UO_NOARG, 'Z'},      {"quote-name", UO_NOARG, 'Q'},      {NULL, 0, 0},
};

/* An argument from a list of words (unique prefixes allowed); -1 after the GNU message. */
static int pick_word(Ls *s, const char *opt, const char *arg, const char *const *words, const char *valid) {
    size_t n = strlen(arg);
    int found = -1;
    bool ambiguous = false;
    for (int i = 0; words[i]; i++) {
        if (!strcmp(words[i], arg)) return i;
        if (n && !strncmp(words[i], arg, n)) {
            if (found >= 0) ambiguous = true;
            found = i;
        }
    }
    if (found >= 0 && !ambiguous) return found;
    char *q = u_quote(arg);
    uc_error(s->c, "%s argument %s for '--%s'", ambiguous ? "ambiguous" : "invalid", q, opt);
    free(q);
    uc_puts(s->c, 2, valid);
    u_try_help(s->c);
    return -1;
}

static int ls_long_word(Ls *s, int k, const char *arg) {
    static const char *const sorts[] = {"none", "time", "size", "extension", "version", "width", NULL};
    static const char *const times[] = {"atime", "access", "use", "ctime", "status", "birth", "creation", NULL};
    static const char *const formats[] = {"verbose", "long", "commas", "horizontal", "across", "vertical",
                                          "single-column", NULL};
    static const char *const inds[] = {"none", "slash", "file-type", "classify", NULL};
    int i;
    switch (k) {
    case OPT_SORT:
        if ((i = pick_word(s, "sort", arg, sorts,
                           "Valid arguments are:\n  - 'none'\n  - 'time'\n  - 'size'\n  - 'extension'\n"
                           "  - 'version'\n  - 'width'\n")) < 0) return 1;
        s->sort = "UtSXvn"[i], s->sort_set = true;
        return -1;
    case OPT_TIME:
        if ((i = pick_word(s, "time", arg, times,
                           "Valid arguments are:\n  - 'atime', 'access', 'use'\n  - 'ctime', 'status'\n"
                           "  - 'birth', 'creation'\n")) < 0) return 1;
        s->time_kind = "aaaccmm"[i];
        return -1;
    case OPT_FORMAT:
        if ((i = pick_word(s, "format", arg, formats,
                           "Valid arguments are:\n  - 'verbose', 'long'\n  - 'commas'\n  - 'horizontal', 'across'\n"
                           "  - 'vertical'\n  - 'single-column'\n")) < 0) return 1;
        s->format = (int[]){FMT_LONG, FMT_LONG, FMT_COMMAS, FMT_ACROSS, FMT_ACROSS, FMT_COLS, FMT_ONE}[i];
        return -1;
    case OPT_INDICATOR:
        if ((i = pick_word(s, "indicator-style", arg, inds,
                           "Valid arguments are:\n  - 'none'\n  - 'slash'\n  - 'file-type'\n  - 'classify'\n")) < 0)
            return 1;
        s->indicator = i;
        return -1;
    default: return 2;
    }
}

static bool valid_time_style(Ls *s, const char *arg) {
    static const char *const styles[] = {"full-iso", "long-iso", "iso", "locale", NULL};
    const char *a = arg;
    if (!strncmp(a, "posix-", 6)) a += 6;
    if (a[0] == '+') return true;
    for (int i = 0; styles[i]; i++)
        if (!strcmp(a, styles[i])) return true;
    char *q = u_quote(arg);
    uc_error(s->c, "invalid argument %s for 'time style'", q);
    free(q);
    uc_puts(s->c, 2, "Valid arguments are:\n  - [posix-]full-iso\n  - [posix-]long-iso\n  - [posix-]iso\n"
                     "  - [posix-]locale\n  - +FORMAT (e.g., +%H:%M) for a 'date'-style format\n");
    u_try_help(s->c);
    return false;
}

/* --color and --classify's WHEN. */
static const char *const when_words[] = {"always", "yes", "force", "never", "no", "none", "auto", "tty", "if-tty", NULL};
static const char when_valid[] = "Valid arguments are:\n  - 'always', 'yes', 'force'\n  - 'never', 'no', 'none'\n"
                                 "  - 'auto', 'tty', 'if-tty'\n";

static int ls_option(Ls *s, int k, const char *arg) {
    switch (k) {
    case 'a': case 'A': s->all = k; return -1;
    case 'B': s->ignore_backups = true; return -1;
    case 'd': s->dir_itself = true; return -1;
    case 'F': s->indicator = IND_CLASSIFY; return -1;
    case OPT_CLASSIFY: {
        /* "auto" means when writing to a terminal: never here */
        int i = arg ? pick_word(s, "classify", arg, when_words, when_valid) : 0;
        if (i < 0) return 1;
        if (i < 3) s->indicator = IND_CLASSIFY;
        return -1;
    }
    case 'p': s->indicator = IND_SLASH; return -1;
    case OPT_FILE_TYPE: s->indicator = IND_FILE_TYPE; return -1;
    case 'R': s->recursive = true; return -1;
    case 'r': s->reverse = true; return -1;
    case 't': case 'S': case 'U': case 'v': case 'X': s->sort = (char)k, s->sort_set = true; return -1;
    case 'f': s->sort = 'U', s->sort_set = true, s->all = 'a'; return -1;
    case 'u': case 'c': s->time_kind = k == 'u' ? 'a' : 'c'; return -1;
    case 'l': s->format = FMT_LONG; return -1;
    case 'n': s->format = FMT_LONG, s->numeric = true; return -1;
    case 'g': s->format = FMT_LONG, s->no_owner = true; return -1;
    case 'o': s->format = FMT_LONG, s->no_group = true; return -1;
    case 'G': s->no_group = true; return -1;
    case '1': s->format = FMT_ONE; return -1;
    case 'C': s->format = FMT_COLS; return -1;
    case 'x': s->format = FMT_ACROSS; return -1;
    case 'm': s->format = FMT_COMMAS; return -1;
    case 'h': s->human = true; return -1;
    case OPT_SI: s->human = s->si = true; return -1;
    case 'k': s->human = false; return -1;
    case 'i': s->inode = true; return -1;
    case 's': s->blocks = true; return -1;
    case 'L': s->deref = s->deref_args = true; return -1;
    case 'H': s->deref_args = true; return -1;
    case 'I': sl_push_copy(&s->ignore, arg); return -1;
    case OPT_HIDE: sl_push_copy(&s->hide, arg); return -1;
    case 'w': {
        uintmax_t w;
        if (!u_parse_uint(arg, &w)) {
            char *q = u_quote(arg);
            uc_error(s->c, "invalid line width: %s", q);
            free(q);
            return 2;
        }
        s->width = w ? (size_t)w : SIZE_MAX / 4;
        return -1;
    }
    case OPT_FULL_TIME: s->format = FMT_LONG, s->time_style = "full-iso"; return -1;
    case OPT_TIME_STYLE: s->time_style = arg, s->time_style_given = true; return -1; /* checked by ls_defaults */
    case OPT_SORT: case OPT_TIME: case OPT_FORMAT: case OPT_INDICATOR: return ls_long_word(s, k, arg);
    case 'Q': s->quoting = QS_C; return -1;
    case 'N': s->quoting = QS_LITERAL; return -1;
    case 'b': s->quoting = QS_ESCAPE; return -1;
    case 'q': s->hide_ctrl = true; return -1;
    case OPT_SHOW_CTRL: s->hide_ctrl = false; return -1;
    case OPT_QUOTING: {
        int i = pick_word(s, "quoting-style", arg, quoting_words,
                          "Valid arguments are:\n  - 'literal'\n  - 'shell'\n  - 'shell-always'\n  - 'shell-escape'\n"
                          "  - 'shell-escape-always'\n  - 'c'\n  - 'c-maybe'\n  - 'escape'\n  - 'locale'\n"
                          "  - 'clocale'\n");
        if (i < 0) return 1;
        s->quoting = i;
        return -1;
    }
    case OPT_COLOR: /* no colours: wasmsh's output is never a terminal (see docs/utilities.md) */
        return !arg || pick_word(s, "color", arg, when_words, when_valid) >= 0 ? -1 : 1;
    case 'T': case 'Z': case OPT_BLOCK_SIZE:
        return -1;
    case OPT_GDF: s->dirs_first = true; return -1;
    case UO_HELP: return u_help(s->c, "[OPTION]... [FILE]...");
    case UO_VERSION: return u_version(s->c);
    default: return 2;
    }
}

/* Splits operands into plain entries (printed first) and directories. */
static void ls_operands(Ls *s, StrList *ops) {
    size_t n = ops->n, nf = 0, nd = 0;
    Ent *files = xcalloc(n, sizeof *files), *dirs = xcalloc(n, sizeof *dirs);
    bool follow = s->deref_args ||
                  !(s->format == FMT_LONG || s->dir_itself || s->indicator == IND_CLASSIFY ||
                    s->indicator == IND_FILE_TYPE);
    for (size_t i = 0; i < n; i++) {
        Ent e = {.name = xstrdup(ops->v[i]), .path = xstrdup(ops->v[i])};
        ent_load(s, &e, follow);
        if (!e.ok) {
            u_err_op(s->c, "cannot access", ops->v[i], errno);
            s->status = 2;
            free(e.name), free(e.path), free(e.link);
            continue;
        }
        if (S_ISDIR(e.st.st_mode) && !s->dir_itself) dirs[nd++] = e;
        else files[nf++] = e;
    }
    ent_sort(s, files, nf);
    bool dirs_first = s->dirs_first;
    s->dirs_first = false;
    ent_sort(s, dirs, nd);
    s->dirs_first = dirs_first;
    /* GNU sizes the columns of the operand list over all operands, directories included */
    Ent *all = xmalloc((nf + nd + 1) * sizeof *all);
    memcpy(all, files, nf * sizeof *all);
    memcpy(all + nf, dirs, nd * sizeof *all);
    Widths w;
    compute_widths(s, all, nf + nd, &w);
    free(all);
    print_entries_w(s, files, nf, false, &w);
    for (size_t i = 0; i < nd; i++) list_dir(s, dirs[i].path, n > 1 || s->recursive, true);
    ent_free(files, nf);
    ent_free(dirs, nd);
}

static bool ls_defaults(Ls *s) {
    if (s->time_style_given && s->format == FMT_LONG && !valid_time_style(s, s->time_style)) return false;
    /* -u/-c without -l (and without another sort) sort by that time */
    if (s->time_kind != 'm' && s->format != FMT_LONG && !s->sort_set) s->sort = 't';
    if (s->time_style && !strncmp(s->time_style, "posix-", 6)) s->time_style = NULL; /* C locale: the default */
    if (s->time_style && !strcmp(s->time_style, "locale")) s->time_style = NULL;
    if (!s->width) {
        const char *cols = uc_getenv(s->c, "COLUMNS");
        uintmax_t w;
        s->width = cols && u_parse_uint(cols, &w) && w > 0 ? (size_t)w : 80;
    }
    return true;
}

int util_ls_main(UtilCtx *c, int argc, char **argv) {
    Ls s = {.c = c, .sort = 'n', .time_kind = 'm', .format = FMT_ONE};
    sl_init(&s.hide);
    sl_init(&s.ignore);
    UOpts o;
    uopt_init(&o, c, argc, argv, "1aAbBcCdfFgGhHiI:klLmnNopqQrRsStT:uUvw:xXZ", ls_longs);
    int k, r = -1;
    const char *env_quoting = uc_getenv(c, "QUOTING_STYLE");
    for (int i = 0; env_quoting && quoting_words[i]; i++)
        if (!strcmp(env_quoting, quoting_words[i])) s.quoting = i;
    const char *env_style = uc_getenv(c, "TIME_STYLE");
    if (env_style && *env_style && (env_style[0] == '+' || !strncmp(env_style, "posix-", 6) ||
                                    !strcmp(env_style, "full-iso") || !strcmp(env_style, "long-iso") ||
                                    !strcmp(env_style, "iso")))
        s.time_style = env_style;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) r = ls_option(&s, k, o.arg);
    if (r >= 0) {
        uopt_free(&o);
        sl_free(&s.hide), sl_free(&s.ignore);
        return r;
    }
    if (!ls_defaults(&s)) {
        uopt_free(&o);
        sl_free(&s.hide), sl_free(&s.ignore);
        return 2;
    }
    s.tz = u_tz_session(c);
    clock_gettime(CLOCK_REALTIME, &s.now);
    uout_init(&s.out, c, 1);
    if (!o.ops.n) sl_push_copy(&o.ops, ".");
    ls_operands(&s, &o.ops);
    uopt_free(&o);
    sl_free(&s.hide), sl_free(&s.ignore);
    u_tz_free(s.tz);
    if (uout_close(&s.out)) return s.out.err == EPIPE ? 1 : 2; /* EPIPE: the shell reports 141 */
    return s.status;
}
