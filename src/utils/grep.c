/* grep.c - grep, egrep and fgrep as GNU grep 3.8: -E -F -G -P, -e -f, -i -y
 * -v -w -x, -c -l -L -o -q -s, -n -b -H -h -Z -T, -z, -r -R with --include
 * --exclude --exclude-dir, context -A -B -C -NUM with group separators, -m,
 * --label, --color, --line-buffered, binary files (NUL bytes; encoding
 * errors in UTF-8 locales) reported as "binary file matches" on stderr.
 *
 * Input is processed in big chunks: the regex engine finds the next selected
 * record in a whole chunk (rx_search_lines), so lines in between cost only a
 * scan. With push ops grep streams inside a pipeline and stops its producer
 * as soon as it is done (-m, -q, -l). */
#include "regex.h"
#include "ucommon.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { BIN_BINARY, BIN_TEXT, BIN_WITHOUT };
enum { DIR_READ, DIR_SKIP, DIR_RECURSE };
enum { READ_CHUNK = 96 * 1024 };

typedef struct Grep {
    UtilCtx *c;
    UOut out;
    Regex *re;          /* NULL: there are no patterns (nothing matches) */
    RxExec ex;
    int mode;           /* 'G' 'E' 'F' 'P' */
    bool icase, invert, words, lines, count, list, list_non, only, quiet, no_msgs;
    bool number, byte_off, initial_tab, null_name, line_buffered, color, deref;
    int with_name;      /* -1: decide from the operands */
    char eol;
    intmax_t max_count; /* -1: no limit */
    long after, before; /* -1: not given */
    int binary_mode, dirs;
    bool skip_devices;
    const char *label;
    const char *group_sep;
    StrList filters;    /* "i"GLOB or "e"GLOB in command-line order */
    StrList exclude_dirs;
    StrList owned;      /* option arguments kept */
    bool utf8;
    StrBuf pats;
    size_t npats;
    bool pat_given;     /* -e or -f was used */
    bool any_selected, error, printed_any, stop_all;
} Grep;

typedef struct Ctx {
    StrBuf text;
    uintmax_t lineno, offset;
} CtxLine;

typedef struct GFile {
    Grep *g;
    const char *name;
    StrBuf pend;         /* a partial record carried to the next chunk */
    StrBuf zap;          /* a chunk with NULs turned into newlines */
    uintmax_t lineno;    /* number of the next record */
    uintmax_t offset;    /* byte offset of the next record */
    uintmax_t nsel;
    long after_left;
    uintmax_t last_out;  /* line number of the last line printed, 0 none */
    bool binary, bin_quiet, done, max_reached;
    CtxLine *ring;       /* the last `before` unselected lines */
    long ring_n, ring_head;
} GFile;

/* "grep: message" on stderr: egrep and fgrep speak as grep (GNU's are
 * scripts that exec grep), and file names are not quoted (as GNU grep). */
static void gerr(UtilCtx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void gerr(UtilCtx *c, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *buf = xmalloc((size_t)(n > 0 ? n : 0) + 8);
    memcpy(buf, "grep: ", 6);
    va_start(ap, fmt);
    vsnprintf(buf + 6, (size_t)(n > 0 ? n : 0) + 1, fmt, ap);
    va_end(ap);
    strcat(buf, "\n");
    uc_puts(c, 2, buf);
    free(buf);
}

/* ---------------------------------------------------------------- output */

static const char SGR_FN[] = "\33[35m\33[K", SGR_LN[] = "\33[32m\33[K", SGR_SE[] = "\33[36m\33[K",
                  SGR_MS[] = "\33[01;31m\33[K", SGR_END[] = "\33[m\33[K";

static void put_sep(Grep *g, char sep) {
    if (g->color) uout_puts(&g->out, SGR_SE);
    uout_putc(&g->out, sep);
    if (g->color) uout_puts(&g->out, SGR_END);
}

static void put_num(Grep *g, uintmax_t v, int width, const char *sgr) {
    if (g->color) uout_puts(&g->out, sgr);
    (void)width;
    uout_printf(&g->out, "%ju", v);
    if (g->color) uout_puts(&g->out, SGR_END);
}

static void put_name(Grep *g, const char *name) {
    if (g->color) uout_puts(&g->out, SGR_FN);
    uout_puts(&g->out, name);
    if (g->color) uout_puts(&g->out, SGR_END);
}

/* The "name:12:345:" prefix of an output line. */
static void put_prefix(GFile *f, char sep, uintmax_t lineno, uintmax_t offset) {
    Grep *g = f->g;
    if (g->with_name > 0) {
        put_name(g, f->name);
        if (g->null_name) uout_putc(&g->out, 0);
        else put_sep(g, sep);
    }
    if (g->number) {
        put_num(g, lineno, 4, SGR_LN);
        put_sep(g, sep);
    }
    if (g->byte_off) {
        put_num(g, offset, 9, SGR_LN);
        put_sep(g, sep);
    }
    if (g->initial_tab && (g->with_name > 0 || g->number || g->byte_off)) uout_putc(&g->out, '\t');
}

static void line_done(Grep *g) {
    if (g->line_buffered) uout_flush(&g->out);
}

/* "--" between groups of context. */
static void group_break(GFile *f, uintmax_t lineno) {
    Grep *g = f->g;
    if (g->before < 0 && g->after < 0) return;
    if (g->group_sep && g->printed_any && (f->last_out == 0 || lineno != f->last_out + 1)) {
        if (g->color) uout_puts(&g->out, SGR_SE);
        uout_puts(&g->out, g->group_sep);
        if (g->color) uout_puts(&g->out, SGR_END);
        uout_putc(&g->out, '\n');
    }
}

static void put_context(GFile *f, const char *line, size_t len, uintmax_t lineno, uintmax_t offset) {
    Grep *g = f->g;
    group_break(f, lineno);
    put_prefix(f, '-', lineno, offset);
    uout_put(&g->out, line, len);
    uout_putc(&g->out, g->eol);
    f->last_out = lineno;
    g->printed_any = true;
    line_done(g);
}

/* Each non-empty match of the line: -o prints them, --color marks them. */
static void put_matches(GFile *f, const char *line, size_t len, uintmax_t lineno, uintmax_t offset) {
    Grep *g = f->g;
    size_t pos = 0, printed = 0;
    while (pos <= len) {
        RxSpan m;
        int r = rx_search(g->re, line, len, pos, &g->ex, &m, 1);
        if (r != RX_MATCH) break;
        size_t so = (size_t)m.so, eo = (size_t)m.eo;
        if (eo == so) {
            pos = so + 1;
            continue;
        }
        if (g->only) {
            put_prefix(f, ':', lineno, offset + so);
            if (g->color) uout_puts(&g->out, SGR_MS);
            uout_put(&g->out, line + so, eo - so);
            if (g->color) uout_puts(&g->out, SGR_END);
            uout_putc(&g->out, g->eol);
            line_done(g);
        } else {
            uout_put(&g->out, line + printed, so - printed);
            uout_puts(&g->out, SGR_MS);
            uout_put(&g->out, line + so, eo - so);
            uout_puts(&g->out, SGR_END);
            printed = eo;
        }
        pos = eo;
    }
    if (!g->only) {
        uout_put(&g->out, line + printed, len - printed);
        uout_putc(&g->out, g->eol);
        line_done(g);
    }
}

static bool valid_utf8(const char *s, size_t n) {
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        unsigned char c = p[i];
        size_t k = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
        if (!k || i + k > n) return false;
        for (size_t j = 1; j < k; j++)
            if ((p[i + j] & 0xC0) != 0x80) return false;
        if (c == 0xE0 && p[i + 1] < 0xA0) return false;
        if (c == 0xED && p[i + 1] > 0x9F) return false;
        if (c == 0xF0 && p[i + 1] < 0x90) return false;
        if (c == 0xF4 && p[i + 1] > 0x8F) return false;
        i += k;
    }
    return true;
}

/* ---------------------------------------------------------------- records */

static void ring_push(GFile *f, const char *line, size_t len, uintmax_t lineno, uintmax_t offset) {
    long cap = f->g->before;
    if (cap <= 0) return;
    CtxLine *e;
    if (f->ring_n < cap) {
        e = &f->ring[(f->ring_head + f->ring_n++) % cap];
    } else {
        e = &f->ring[f->ring_head];
        f->ring_head = (f->ring_head + 1) % cap;
    }
    sb_clear(&e->text);
    sb_put(&e->text, line, len);
    e->lineno = lineno;
    e->offset = offset;
}

static void ring_flush(GFile *f) {
    long cap = f->g->before;
    for (long i = 0; i < f->ring_n; i++) {
        CtxLine *e = &f->ring[(f->ring_head + i) % cap];
        put_context(f, e->text.s ? e->text.s : "", e->text.len, e->lineno, e->offset);
    }
    f->ring_n = f->ring_head = 0;
}

/* Unselected records p[0..n) (complete ones, the last maybe unterminated). */
static void skip_records(GFile *f, const char *p, size_t n) {
    Grep *g = f->g;
    bool need_lines = g->number || g->before >= 0 || g->after >= 0;
    if (!need_lines) {
        f->offset += n;
        return;
    }
    const char *end = p + n;
    /* trailing context first */
    while (p < end && f->after_left > 0) {
        const char *e = memchr(p, g->eol, (size_t)(end - p));
        size_t len = e ? (size_t)(e - p) : (size_t)(end - p);
        put_context(f, p, len, f->lineno, f->offset);
        f->after_left--;
        f->lineno++;
        f->offset += len + (e ? 1 : 0);
        p += len + (e ? 1 : 0);
        if (f->max_reached && f->after_left == 0) f->done = true;
    }
    if (p >= end) return;
    if (f->max_reached) {
        f->done = true;
        return;
    }
    /* count the records; keep the last `before` of them */
    uintmax_t count = 0;
    for (const char *q = p; q < end;) {
        const char *e = memchr(q, g->eol, (size_t)(end - q));
        count++;
        if (!e) break;
        q = e + 1;
    }
    if (g->before > 0) {
        uintmax_t keep = count < (uintmax_t)g->before ? count : (uintmax_t)g->before;
        /* find the start of the last `keep` records */
        const char *q = end;
        if (q > p && q[-1] == g->eol) q--;
        for (uintmax_t k = 0; k < keep; k++) {
            while (q > p && q[-1] != g->eol) q--;
            if (k + 1 < keep && q > p) q--;
        }
        uintmax_t first = f->lineno + count - keep;
        uintmax_t off = f->offset + (uintmax_t)(q - p);
        for (uintmax_t k = 0; k < keep; k++) {
            const char *e = memchr(q, g->eol, (size_t)(end - q));
            size_t len = e ? (size_t)(e - q) : (size_t)(end - q);
            ring_push(f, q, len, first + k, off);
            off += len + (e ? 1 : 0);
            q += len + (e ? 1 : 0);
        }
    }
    f->lineno += count;
    f->offset += (uintmax_t)(end - p);
}

static void selected(GFile *f, const char *line, size_t len) {
    Grep *g = f->g;
    if (f->max_reached) {
        /* after -m NUM, following lines are trailing context only */
        skip_records(f, line, len);
        return;
    }
    f->nsel++;
    g->any_selected = true;
    if (g->quiet) {
        g->stop_all = f->done = true;
        return;
    }
    if (g->list) {
        put_name(g, f->name);
        uout_putc(&g->out, g->null_name ? '\0' : '\n');
        line_done(g);
        f->done = true;
        return;
    }
    if (g->list_non || f->bin_quiet) {
        f->done = true;
        return;
    }
    if (!g->count) {
        if (g->utf8 && g->binary_mode != BIN_TEXT && !valid_utf8(line, len)) {
            f->bin_quiet = f->done = true;
            return;
        }
        if (!g->only) {
            ring_flush(f);
            group_break(f, f->lineno);
            put_prefix(f, ':', f->lineno, f->offset);
            if (g->color && g->re && !g->invert) {
                put_matches(f, line, len, f->lineno, f->offset);
            } else {
                uout_put(&g->out, line, len);
                uout_putc(&g->out, g->eol);
                line_done(g);
            }
            f->last_out = f->lineno;
            g->printed_any = true;
            f->after_left = g->after > 0 ? g->after : 0;
        } else if (!g->invert && g->re) {
            put_matches(f, line, len, f->lineno, f->offset);
        }
    }
    f->ring_n = f->ring_head = 0;
    f->lineno++;
    f->offset += len + 1;
    if (g->max_count >= 0 && f->nsel >= (uintmax_t)g->max_count) {
        f->max_reached = true;
        if (f->after_left == 0 || g->count) f->done = true;
    }
}

static bool grep_stop(void *ctx) { return uc_should_stop(ctx); }

/* Complete records buf[0..len) (the last one unterminated when final). */
static void process(GFile *f, const char *buf, size_t len) {
    Grep *g = f->g;
    size_t pos = 0;
    while (pos < len && !f->done && !g->stop_all) {
        size_t so, eo;
        int r;
        if (!g->re) {
            r = g->invert ? RX_MATCH : RX_NOMATCH;
            so = pos;
            const char *e = memchr(buf + pos, g->eol, len - pos);
            eo = e ? (size_t)(e - buf) : len;
        } else if (f->max_reached) {
            /* only trailing context is left */
            skip_records(f, buf + pos, len - pos);
            return;
        } else {
            r = rx_search_lines(g->re, buf, len, pos, g->eol, g->invert, &g->ex, &so, &eo);
        }
        if (r < 0) {
            if (r == RX_ENOMEM) gerr(g->c, "memory exhausted");
            g->error = g->stop_all = true;
            return;
        }
        if (r == RX_NOMATCH) {
            skip_records(f, buf + pos, len - pos);
            return;
        }
        if (so > pos) skip_records(f, buf + pos, so - pos);
        if (f->done) return;
        selected(f, buf + so, eo - so);
        pos = eo + 1;
    }
}

/* A chunk of input. Returns 1 when this file needs no more input. */
static int file_feed(GFile *f, const char *data, size_t n) {
    Grep *g = f->g;
    if (f->done || g->stop_all) return 1;
    if (g->binary_mode != BIN_TEXT && g->eol == '\n' && (f->binary || memchr(data, 0, n))) {
        if (g->binary_mode == BIN_WITHOUT) {
            f->nsel = 0;
            f->done = true;
            return 1;
        }
        if (!f->binary) {
            f->binary = true;
            if (!g->count) f->bin_quiet = true;
        }
        sb_clear(&f->zap);
        sb_put(&f->zap, data, n);
        for (size_t i = 0; i < n; i++)
            if (f->zap.s[i] == 0) f->zap.s[i] = '\n';
        data = f->zap.s;
    }
    const char *last = memrchr(data, g->eol, n);
    if (!last) {
        sb_put(&f->pend, data, n);
        return 0;
    }
    size_t upto = (size_t)(last - data) + 1;
    if (f->pend.len) {
        /* complete the carried record, then the rest in place */
        const char *first = memchr(data, g->eol, n);
        size_t k = (size_t)(first - data) + 1;
        sb_put(&f->pend, data, k);
        process(f, f->pend.s, f->pend.len);
        sb_clear(&f->pend);
        data += k;
        n -= k;
        upto -= k;
    }
    if (upto) process(f, data, upto);
    if (n > upto) sb_put(&f->pend, data + upto, n - upto);
    if (uout_flush(&g->out) < 0) g->stop_all = true;
    return f->done || g->stop_all;
}

static void file_init(GFile *f, Grep *g, const char *name) {
    memset(f, 0, sizeof *f);
    f->g = g;
    f->name = name;
    f->lineno = 1;
    if (g->before > 0) f->ring = xcalloc((size_t)g->before, sizeof *f->ring);
}

/* End of a file: the last record, then -c, -L and the binary message. */
static void file_end(GFile *f) {
    Grep *g = f->g;
    if (f->pend.len && !f->done && !g->stop_all) process(f, f->pend.s, f->pend.len);
    if (!g->stop_all || g->quiet) {
        if (g->count && !g->quiet) {
            if (g->with_name > 0) {
                put_name(g, f->name);
                if (g->null_name) uout_putc(&g->out, 0);
                else put_sep(g, ':');
            }
            uout_printf(&g->out, "%ju\n", f->nsel);
        }
        if (g->list_non && f->nsel == 0 && !g->quiet) {
            put_name(g, f->name);
            uout_putc(&g->out, g->null_name ? '\0' : '\n');
        }
    }
    uout_flush(&g->out);
    if (f->bin_quiet && f->nsel > 0 && !g->quiet && !g->list && !g->list_non && !g->count)
        uc_printf(g->c, 2, "grep: %s: binary file matches\n", f->name);
    sb_free(&f->pend);
    sb_free(&f->zap);
    if (f->ring) {
        for (long i = 0; i < g->before; i++) sb_free(&f->ring[i].text);
        free(f->ring);
    }
}

/* ---------------------------------------------------------------- files */

static void grep_error(Grep *g, const char *name, int err) {
    g->error = true;
    if (!g->no_msgs) gerr(g->c, "%s: %s", name, strerror(err));
}

static void grep_stream(Grep *g, UcFile *in, const char *name) {
    GFile f;
    file_init(&f, g, name);
    char *buf = xmalloc(READ_CHUNK);
    for (;;) {
        if (uc_should_stop(g->c)) {
            g->stop_all = true;
            break;
        }
        errno = 0;
        ssize_t n = uc_fread(in, buf, READ_CHUNK);
        if (n < 0) {
            if (errno == EISDIR) {
                g->error = true;
                if (!g->no_msgs) gerr(g->c, "%s: Is a directory", name);
            } else {
                grep_error(g, name, errno ? errno : EIO);
            }
            break;
        }
        if (n == 0 || file_feed(&f, buf, (size_t)n)) break;
    }
    free(buf);
    file_end(&f);
}

/* --include / --exclude: the last matching option wins; with none matching,
 * a file is included unless the first option is --include. */
static bool name_matches(const char *glob, const char *name, bool suffixes) {
    if (!fnmatch(glob, name, 0)) return true;
    if (!suffixes) return false;
    for (const char *p = name; *p; p++)
        if (*p == '/' && p[1] && p[1] != '/' && !fnmatch(glob, p + 1, 0)) return true;
    return false;
}

static bool file_included(const Grep *g, const char *name, bool command_line) {
    const char *base = strrchr(name, '/');
    base = base && base[1] ? base + 1 : name;
    for (size_t i = g->filters.n; i-- > 0;) {
        const char *f = g->filters.v[i];
        if (name_matches(f + 1, command_line ? name : base, command_line)) return f[0] == 'i';
    }
    return !(g->filters.n && g->filters.v[0][0] == 'i');
}

static bool dir_excluded(const Grep *g, const char *name, bool command_line) {
    const char *base = strrchr(name, '/');
    base = base && base[1] ? base + 1 : name;
    for (size_t i = 0; i < g->exclude_dirs.n; i++)
        if (name_matches(g->exclude_dirs.v[i], command_line ? name : base, command_line)) return true;
    return false;
}

static void grep_path(Grep *g, const char *path, const char *shown, bool command_line);

static void grep_dir(Grep *g, const char *path, const char *shown) {
    DIR *d = opendir(path);
    if (!d) {
        grep_error(g, shown, errno);
        return;
    }
    StrList names;
    sl_init(&names);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        sl_push_copy(&names, e->d_name);
    }
    closedir(d);
    for (size_t i = 0; i < names.n && !g->stop_all; i++) {
        StrBuf p, s;
        sb_init(&p);
        sb_init(&s);
        size_t pl = strlen(path), sl = strlen(shown);
        while (pl > 1 && path[pl - 1] == '/') pl--;
        while (sl > 1 && shown[sl - 1] == '/') sl--;
        sb_put(&p, path, pl);
        if (pl && path[pl - 1] != '/') sb_putc(&p, '/');
        sb_puts(&p, names.v[i]);
        if (sl) {
            sb_put(&s, shown, sl);
            if (shown[sl - 1] != '/') sb_putc(&s, '/');
        }
        sb_puts(&s, names.v[i]);
        grep_path(g, sb_cstr(&p), sb_cstr(&s), false);
        sb_free(&p);
        sb_free(&s);
    }
    sl_free(&names);
}

static void grep_path(Grep *g, const char *path, const char *shown, bool command_line) {
    if (!strcmp(path, "-") && command_line) {
        UcFile *in = uc_open(g->c, "-", "r");
        if (!in) {
            grep_error(g, shown, errno ? errno : EBADF);
            return;
        }
        grep_stream(g, in, g->label ? g->label : "(standard input)");
        uc_close(in);
        return;
    }
    struct stat st;
    bool recursing = !command_line;
    int sr = (recursing && !g->deref) ? lstat(path, &st) : uc_stat(g->c, path, &st);
    if (sr != 0) {
        if (recursing && lstat(path, &st) == 0) return; /* dangling symlink under -R */
        grep_error(g, shown, errno);
        return;
    }
    if (recursing && S_ISLNK(st.st_mode)) return; /* -r skips symlinks it meets */
    if (S_ISDIR(st.st_mode)) {
        if (g->dirs == DIR_SKIP) return;
        if (g->dirs == DIR_RECURSE) {
            if (dir_excluded(g, path, command_line)) return;
            grep_dir(g, path, shown);
            return;
        }
        g->error = true;
        if (!g->no_msgs) gerr(g->c, "%s: Is a directory", shown);
        return;
    }
    if (!file_included(g, path, command_line)) return;
    if (!S_ISREG(st.st_mode) && (recursing || g->skip_devices) &&
        (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) || S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)))
        return;
    errno = 0;
    UcFile *in = uc_open(g->c, path, "r");
    if (!in) {
        grep_error(g, shown, errno ? errno : ENOENT);
        return;
    }
    grep_stream(g, in, shown);
    uc_close(in);
}

/* ---------------------------------------------------------------- options */

enum {
    OPT_NO_ICASE = 0x20000, OPT_LABEL, OPT_INCLUDE, OPT_EXCLUDE, OPT_EXCLUDE_DIR, OPT_EXCLUDE_FROM,
    OPT_COLOR, OPT_LINE_BUF, OPT_BINFILES, OPT_GROUP_SEP, OPT_NO_GROUP_SEP, OPT_NULL,
};

static const UOptLong grep_longs[] = {
    {"extended-regexp", UO_NOARG, 'E'}, {"fixed-strings", UO_NOARG, 'F'},
    {"basic-regexp", UO_NOARG, 'G'},    {"perl-regexp", UO_NOARG, 'P'},
    {"regexp", UO_REQ, 'e'},            {"file", UO_REQ, 'f'},
    {"ignore-case", UO_NOARG, 'i'},     {"no-ignore-case", UO_NOARG, OPT_NO_ICASE},
    {"word-regexp", UO_NOARG, 'w'},     {"line-regexp", UO_NOARG, 'x'},
    {"null-data", UO_NOARG, 'z'},       {"no-messages", UO_NOARG, 's'},
    {"invert-match", UO_NOARG, 'v'},    {"max-count", UO_REQ, 'm'},
    {"byte-offset", UO_NOARG, 'b'},     {"line-number", UO_NOARG, 'n'},
    {"line-buffered", UO_NOARG, OPT_LINE_BUF}, {"with-filename", UO_NOARG, 'H'},
    {"no-filename", UO_NOARG, 'h'},     {"label", UO_REQ, OPT_LABEL},
    {"only-matching", UO_NOARG, 'o'},   {"quiet", UO_NOARG, 'q'},
    {"silent", UO_NOARG, 'q'},          {"binary-files", UO_REQ, OPT_BINFILES},
    {"text", UO_NOARG, 'a'},            {"directories", UO_REQ, 'd'},
    {"devices", UO_REQ, 'D'},           {"recursive", UO_NOARG, 'r'},
    {"dereference-recursive", UO_NOARG, 'R'}, {"include", UO_REQ, OPT_INCLUDE},
    {"exclude", UO_REQ, OPT_EXCLUDE},   {"exclude-from", UO_REQ, OPT_EXCLUDE_FROM},
    {"exclude-dir", UO_REQ, OPT_EXCLUDE_DIR}, {"files-without-match", UO_NOARG, 'L'},
    {"files-with-matches", UO_NOARG, 'l'}, {"count", UO_NOARG, 'c'},
    {"initial-tab", UO_NOARG, 'T'},     {"null", UO_NOARG, 'Z'},
    {"before-context", UO_REQ, 'B'},    {"after-context", UO_REQ, 'A'},
    {"context", UO_REQ, 'C'},           {"color", UO_OPT, OPT_COLOR},
    {"colour", UO_OPT, OPT_COLOR},      {"group-separator", UO_REQ, OPT_GROUP_SEP},
    {"no-group-separator", UO_NOARG, OPT_NO_GROUP_SEP}, {"binary", UO_NOARG, 'U'},
    {NULL, 0, 0},
};

static const char GREP_USAGE[] = "Usage: grep [OPTION]... PATTERNS [FILE]...\n";

static void add_patterns(Grep *g, const char *p, size_t n) {
    if (g->npats) sb_putc(&g->pats, '\n');
    sb_put(&g->pats, p, n);
    g->npats++;
}

/* -f FILE: one pattern a line; an empty file adds none. */
static bool read_pattern_file(Grep *g, const char *name) {
    errno = 0;
    UcFile *f = uc_open(g->c, name, "r");
    if (!f) {
        gerr(g->c, "%s: %s", name, strerror(errno ? errno : ENOENT));
        return false;
    }
    StrBuf b;
    sb_init(&b);
    char buf[8192];
    ssize_t n;
    while ((n = uc_fread(f, buf, sizeof buf)) > 0) sb_put(&b, buf, (size_t)n);
    uc_close(f);
    if (b.len) {
        size_t len = b.len;
        if (b.s[len - 1] == '\n') len--;
        add_patterns(g, b.s, len);
        /* count the patterns it held */
        for (size_t i = 0; i < len; i++)
            if (b.s[i] == '\n') g->npats++;
    }
    sb_free(&b);
    return true;
}

static bool context_arg(Grep *g, const char *arg, long *out) {
    uintmax_t v;
    if (!u_parse_uint(arg, &v)) {
        gerr(g->c, "%s: invalid context length argument", arg);
        return false;
    }
    *out = v > 1000000000 ? 1000000000 : (long)v;
    return true;
}

/* A copy of an option argument that lives as long as g (push mode outlives argv). */
static const char *keep(Grep *g, const char *arg) {
    sl_push_copy(&g->owned, arg);
    return g->owned.v[g->owned.n - 1];
}

/* One option; -1 to go on, else the exit status. */
static int grep_option(Grep *g, int k, const char *arg, long *digits, int *last_key) {
    int prev = *last_key;
    *last_key = k;
    if (k >= '0' && k <= '9') {
        long d = k - '0';
        *digits = (prev >= '0' && prev <= '9' && *digits < 100000000) ? *digits * 10 + d : d;
        g->before = g->after = *digits;
        return -1;
    }
    switch (k) {
    case 'E': case 'F': case 'G': case 'P': g->mode = k; return -1;
    case 'e': g->pat_given = true; add_patterns(g, arg, strlen(arg)); return -1;
    case 'f': g->pat_given = true; return read_pattern_file(g, arg) ? -1 : 2;
    case 'i': case 'y': g->icase = true; return -1;
    case OPT_NO_ICASE: g->icase = false; return -1;
    case 'w': g->words = true; return -1;
    case 'x': g->lines = true; return -1;
    case 'z': g->eol = '\0'; return -1;
    case 's': g->no_msgs = true; return -1;
    case 'v': g->invert = true; return -1;
    case 'm': {
        intmax_t v;
        char *end;
        errno = 0;
        v = strtoimax(arg, &end, 10);
        if (!*arg || *end || errno) {
            gerr(g->c, "invalid max count");
            return 2;
        }
        g->max_count = v < 0 ? -1 : v;
        return -1;
    }
    case 'b': g->byte_off = true; return -1;
    case 'n': g->number = true; return -1;
    case OPT_LINE_BUF: g->line_buffered = true; return -1;
    case 'H': g->with_name = 1; return -1;
    case 'h': g->with_name = 0; return -1;
    case OPT_LABEL: g->label = keep(g, arg); return -1;
    case 'o': g->only = true; return -1;
    case 'q': g->quiet = true; return -1;
    case 'a': g->binary_mode = BIN_TEXT; return -1;
    case 'I': g->binary_mode = BIN_WITHOUT; return -1;
    case 'U': return -1;
    case OPT_BINFILES:
        if (!strcmp(arg, "binary")) g->binary_mode = BIN_BINARY;
        else if (!strcmp(arg, "text")) g->binary_mode = BIN_TEXT;
        else if (!strcmp(arg, "without-match")) g->binary_mode = BIN_WITHOUT;
        else {
            gerr(g->c, "unknown binary-files type");
            return 2;
        }
        return -1;
    case 'd':
        if (!strcmp(arg, "read")) g->dirs = DIR_READ;
        else if (!strcmp(arg, "skip")) g->dirs = DIR_SKIP;
        else if (!strcmp(arg, "recurse")) g->dirs = DIR_RECURSE;
        else {
            char *q = u_quote(arg);
            gerr(g->c, "invalid argument %s for '--directories'", q);
            free(q);
            uc_puts(g->c, 2, "Valid arguments are:\n  - 'read'\n  - 'recurse'\n  - 'skip'\n");
            uc_puts(g->c, 2, GREP_USAGE);
            u_try_help(g->c);
            return 2;
        }
        return -1;
    case 'D':
        if (!strcmp(arg, "skip")) g->skip_devices = true;
        else if (!strcmp(arg, "read")) g->skip_devices = false;
        else {
            gerr(g->c, "unknown devices method");
            return 2;
        }
        return -1;
    case 'r': g->dirs = DIR_RECURSE; g->deref = false; return -1;
    case 'R': g->dirs = DIR_RECURSE; g->deref = true; return -1;
    case OPT_INCLUDE: case OPT_EXCLUDE: {
        char *s = xmalloc(strlen(arg) + 2);
        s[0] = k == OPT_INCLUDE ? 'i' : 'e';
        strcpy(s + 1, arg);
        sl_push(&g->filters, s);
        return -1;
    }
    case OPT_EXCLUDE_FROM: {
        UcFile *f = u_open_in(g->c, arg);
        if (!f) return 2;
        char *line = NULL;
        size_t cap = 0;
        ssize_t n;
        while ((n = uc_getdelim(f, &line, &cap, '\n')) > 0) {
            if (line[n - 1] == '\n') line[--n] = 0;
            char *s = xmalloc((size_t)n + 2);
            s[0] = 'e';
            memcpy(s + 1, line, (size_t)n + 1);
            sl_push(&g->filters, s);
        }
        free(line);
        uc_close(f);
        return -1;
    }
    case OPT_EXCLUDE_DIR: sl_push_copy(&g->exclude_dirs, arg); return -1;
    case 'L': g->list_non = true; g->list = false; return -1;
    case 'l': g->list = true; g->list_non = false; return -1;
    case 'c': g->count = true; return -1;
    case 'T': g->initial_tab = true; return -1;
    case 'Z': g->null_name = true; return -1;
    case 'A': return context_arg(g, arg, &g->after) ? -1 : 2;
    case 'B': return context_arg(g, arg, &g->before) ? -1 : 2;
    case 'C': return context_arg(g, arg, &g->after) && context_arg(g, arg, &g->before) ? -1 : 2;
    case OPT_COLOR:
        if (!arg || !strcmp(arg, "always") || !strcmp(arg, "yes") || !strcmp(arg, "force")) g->color = arg != NULL;
        else if (!strcmp(arg, "never") || !strcmp(arg, "no") || !strcmp(arg, "none")) g->color = false;
        else if (!strcmp(arg, "auto") || !strcmp(arg, "tty") || !strcmp(arg, "if-tty")) g->color = false;
        else {
            char *q = u_quote(arg);
            gerr(g->c, "invalid argument %s for '--color'", q);
            free(q);
            uc_puts(g->c, 2, "Valid arguments are:\n  - 'always', 'yes', 'force'\n  - 'never', 'no', 'none'\n  - 'auto', 'tty', 'if-tty'\n");
            uc_puts(g->c, 2, GREP_USAGE);
            u_try_help(g->c);
            return 2;
        }
        return -1;
    case OPT_GROUP_SEP: g->group_sep = keep(g, arg); return -1;
    case OPT_NO_GROUP_SEP: g->group_sep = NULL; return -1;
    case OPT_NULL: g->null_name = true; return -1;
    case 'V': case UO_VERSION:
        uc_puts(g->c, 1, "grep (GNU grep) 3.8\n");
        return 0;
    case UO_HELP:
        uc_puts(g->c, 1, GREP_USAGE);
        uc_puts(g->c, 1, "Search for PATTERNS in each FILE.\n");
        return 0;
    default: return 2;
    }
}

static bool compile(Grep *g) {
    if (g->npats == 0) return true; /* nothing matches */
    RxSyntax syn = g->mode == 'E' ? RX_ERE : g->mode == 'P' ? RX_PERL : RX_BRE;
    unsigned flags = (g->icase ? RX_ICASE : 0) | (g->utf8 ? 0 : RX_BYTES) | (g->words ? RX_WORDS : 0) |
                     (g->lines ? RX_LINES : 0) | (g->mode == 'F' ? RX_LITERAL : 0);
    const char *pat = g->pats.s ? g->pats.s : "";
    size_t len = g->pats.len;
    if (g->mode == 'P') {
        if (memchr(pat, '\n', len)) {
            gerr(g->c, "the -P option only supports a single pattern");
            return false;
        }
    } else if (memchr(pat, '\n', len)) {
        flags |= RX_NL_ALT;
    }
    RxError err;
    g->re = rx_compile(pat, len, syn, flags, &err);
    if (!g->re) {
        gerr(g->c, "%s", err.msg);
        return false;
    }
    for (int i = 0; rx_warning(g->re, i); i++) gerr(g->c, "warning: %s", rx_warning(g->re, i));
    return true;
}

static void grep_free(Grep *g) {
    rx_free(g->re);
    sb_free(&g->pats);
    sl_free(&g->filters);
    sl_free(&g->exclude_dirs);
    sl_free(&g->owned);
}

/* Parses argv into g; returns -1 to go on, else an exit status. */
static int grep_parse(Grep *g, UtilCtx *c, int argc, char **argv, StrList *ops) {
    memset(g, 0, sizeof *g);
    g->c = c;
    g->with_name = -1;
    g->eol = '\n';
    g->max_count = -1;
    g->after = g->before = -1;
    g->group_sep = "--";
    g->mode = 'G';
    const char *name = uc_name(c);
    if (!strcmp(name, "egrep")) g->mode = 'E';
    if (!strcmp(name, "fgrep")) g->mode = 'F';
    sb_init(&g->pats);
    sl_init(&g->filters);
    sl_init(&g->exclude_dirs);
    sl_init(&g->owned);
    g->utf8 = u_locale_utf8(c);
    UOpts o;
    uopt_init(&o, c, argc, argv, "0123456789A:B:C:D:EFGHILPRTUVZabcd:e:f:hilm:noqrsuvwxyz", grep_longs);
    o.usage_line = GREP_USAGE;
    int k, r = -1, last = 0;
    long digits = 0;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) r = k == UO_ERR ? 2 : grep_option(g, k, o.arg, &digits, &last);
    *ops = o.ops;
    if (r >= 0) return r;
    if (!g->pat_given) {
        /* no -e / -f: the first operand is the pattern */
        if (ops->n == 0) {
            uc_puts(c, 2, GREP_USAGE);
            u_try_help(c);
            return 2;
        }
        add_patterns(g, ops->v[0], strlen(ops->v[0]));
        free(ops->v[0]);
        memmove(ops->v, ops->v + 1, ops->n * sizeof *ops->v);
        ops->n--;
    }
    if (g->list || g->list_non) g->count = false; /* -l and -L win over -c */
    if (g->max_count == 0) return 1;
    if (!compile(g)) return 2;
    g->ex.should_stop = grep_stop;
    g->ex.stop_ctx = c;
    uout_init(&g->out, c, 1);
    return -1;
}

static int grep_status(Grep *g) {
    if (g->quiet && g->any_selected) return 0;
    if (g->error) return 2;
    return g->any_selected ? 0 : 1;
}

int util_grep_main(UtilCtx *c, int argc, char **argv) {
    Grep g;
    StrList ops;
    int r = grep_parse(&g, c, argc, argv, &ops);
    if (r >= 0) {
        grep_free(&g);
        sl_free(&ops);
        return r;
    }
    bool recursive = g.dirs == DIR_RECURSE;
    if (g.with_name < 0) {
        struct stat st;
        g.with_name = ops.n > 1 || (recursive && (ops.n == 0 || (stat(ops.v[0], &st) == 0 && S_ISDIR(st.st_mode))));
    }
    if (ops.n == 0) {
        if (recursive) grep_dir(&g, ".", "");
        else grep_path(&g, "-", "-", true);
    }
    for (size_t i = 0; i < ops.n && !g.stop_all; i++) grep_path(&g, ops.v[i], ops.v[i], true);
    int err = uout_close(&g.out);
    int st = grep_status(&g);
    if (err && st != 0) st = 2;
    grep_free(&g);
    sl_free(&ops);
    return st;
}

/* ---------------------------------------------------------------- push ops */

typedef struct GrepPush {
    Grep g;
    GFile f;
    StrList ops;
} GrepPush;

static void *grep_start(UtilCtx *c, int argc, char **argv, int *status) {
    GrepPush *s = xcalloc(1, sizeof *s);
    int r = grep_parse(&s->g, c, argc, argv, &s->ops);
    if (r >= 0 || s->g.dirs == DIR_RECURSE || !u_push_ok(&s->ops)) {
        *status = r >= 0 ? r : -1;
        grep_free(&s->g);
        sl_free(&s->ops);
        free(s);
        return NULL;
    }
    if (s->g.with_name < 0) s->g.with_name = 0;
    file_init(&s->f, &s->g, s->g.label ? s->g.label : "(standard input)");
    return s;
}

static int grep_feed(void *st, const char *data, size_t n) {
    GrepPush *s = st;
    if (uc_should_stop(s->g.c)) return 1;
    return file_feed(&s->f, data, n);
}

static int grep_finish(void *st) {
    GrepPush *s = st;
    file_end(&s->f);
    int err = uout_close(&s->g.out);
    int status = grep_status(&s->g);
    if (err && status != 0) status = 2;
    grep_free(&s->g);
    sl_free(&s->ops);
    free(s);
    return status;
}

const UtilPushOps util_grep_push = {grep_start, grep_feed, grep_finish};
int util_egrep_main(UtilCtx *c, int argc, char **argv) { return util_grep_main(c, argc, argv); }
int util_fgrep_main(UtilCtx *c, int argc, char **argv) { return util_grep_main(c, argc, argv); }
const UtilPushOps util_egrep_push = {grep_start, grep_feed, grep_finish};
const UtilPushOps util_fgrep_push = {grep_start, grep_feed, grep_finish};
