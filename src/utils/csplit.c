/* csplit.c - the csplit utility (GNU coreutils 9.1): csplit [OPTION]... FILE
 * PATTERN... with patterns N (before line N), /RE/[OFFSET], %RE%[OFFSET]
 * (skip), {N} and {*} repetitions; -f PREFIX, -b FORMAT, -n DIGITS, -k,
 * -s, -z, --suppress-matched. Regular expressions are basic ones, matched
 * by wasmsh's engine (src/regex) against each line without its newline.
 *
 * GNU's control flow: a regexp search starts at the line after the last
 * one examined, a line pattern N repeats at multiples of N, sizes are
 * printed as files close, and on an error the current file is finished,
 * then all files are removed (unless -k) and the status is 1. */
#include "mbchar.h"
#include "regex.h"
#include "ucommon.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct Control {
    const char *arg;       /* the pattern as given (for messages) */
    bool regexp, ignore, repeat_forever;
    intmax_t offset;
    uintmax_t lines_required;
    uintmax_t repeat;
    Regex *re;
} Control;

typedef struct Csplit {
    UtilCtx *c;
    const char *prefix, *suffix_fmt;
    bool keep, quiet, elide, suppress;
    bool utf8;
    /* input, all of it */
    StrBuf data;
    size_t *line_start;    /* offsets of the lines; line i (from 1) is [start[i-1], start[i]) */
    size_t nlines;
    size_t next;           /* lines consumed (the next one is next + 1) */
    uintmax_t current_line;/* GNU's current_line */
    /* output */
    UcFile *out;
    UOut o;
    uintmax_t bytes;
    bool out_open;
    uintmax_t files_created;
    StrList created;
    UOut sizes;            /* stdout, written at the end as GNU's buffered stdout */
    Control *ctl;
    size_t nctl;
    bool failed;
} Csplit;

/* ---- output files ---- */

static void file_name(Csplit *s, uintmax_t n, StrBuf *out) {
    sb_clear(out);
    sb_puts(out, s->prefix);
    sb_printf(out, s->suffix_fmt, (unsigned)n);
}

static bool create_output(Csplit *s) {
    StrBuf name;
    sb_init(&name);
    file_name(s, s->files_created, &name);
    errno = 0;
    s->out = uc_open(s->c, sb_cstr(&name), "w");
    if (!s->out) {
        u_err_file(s->c, sb_cstr(&name), errno ? errno : EIO);
        sb_free(&name);
        return false;
    }
    s->files_created++;
    sl_push(&s->created, sb_take(&name));
    uout_init_file(&s->o, s->c, s->out);
    s->bytes = 0;
    s->out_open = true;
    return true;
}

static void close_output(Csplit *s) {
    if (!s->out_open) return;
    s->out_open = false;
    uout_close(&s->o);
    uc_close(s->out);
    s->out = NULL;
    if (s->elide && s->bytes == 0) {
        unlink(s->created.v[s->created.n - 1]);
        free(s->created.v[--s->created.n]);
        s->created.v[s->created.n] = NULL;
        s->files_created--;
        return;
    }
    if (!s->quiet) uout_printf(&s->sizes, "%ju\n", s->bytes);
}

/* Finishes the current file, removes every file (unless -k): status 1. */
static void cleanup_fatal(Csplit *s) {
    close_output(s);
    if (!s->keep)
        for (size_t i = 0; i < s->created.n; i++) unlink(s->created.v[i]);
    s->failed = true;
}

/* ---- lines ---- */

static bool have_line(const Csplit *s, uintmax_t n) { return n >= 1 && n <= s->nlines; }

static void line_span(const Csplit *s, uintmax_t n, size_t *b, size_t *e) {
    *b = n > 1 ? s->line_start[n - 2] : 0;
    *e = s->line_start[n - 1];
}

/* GNU's remove_line: the next unconsumed line into the file (or dropped). */
static bool take_line(Csplit *s, bool save) {
    if (s->next >= s->nlines) return false;
    size_t b, e;
    line_span(s, s->next + 1, &b, &e);
    s->next++;
    if (save && s->out_open) {
        uout_put(&s->o, s->data.s + b, e - b);
        s->bytes += e - b;
    }
    return true;
}

static void dump_rest(Csplit *s) {
    while (take_line(s, true)) continue;
}

/* ---- the patterns ---- */

static bool line_error(Csplit *s, const Control *p, uintmax_t repetition) {
    char *q = u_quote(p->arg);
    StrBuf b;
    sb_init(&b);
    sb_printf(&b, "%s: %s: line number out of range", uc_name(s->c), q);
    if (repetition) sb_printf(&b, " on repetition %ju", repetition);
    sb_putc(&b, '\n');
    uc_write(s->c, 2, b.s, b.len);
    sb_free(&b);
    free(q);
    cleanup_fatal(s);
    return false;
}

static bool process_line_count(Csplit *s, const Control *p, uintmax_t repetition) {
    uintmax_t last = p->lines_required * (repetition + 1);
    if (!create_output(s)) return cleanup_fatal(s), false;
    if (s->next >= s->nlines && s->suppress) return line_error(s, p, repetition);
    uintmax_t linenum = s->next + 1;
    while (linenum++ < last)
        if (!take_line(s, true)) return line_error(s, p, repetition);
    close_output(s);
    if (s->suppress) take_line(s, false);
    if (s->next >= s->nlines && !s->suppress) return line_error(s, p, repetition);
    s->current_line = s->next;
    return true;
}

static bool regexp_error(Csplit *s, const Control *p, uintmax_t repetition) {
    char *q = u_quote(p->arg);
    if (repetition) uc_error(s->c, "%s: match not found on repetition %ju", q, repetition);
    else uc_error(s->c, "%s: match not found", q);
    free(q);
    if (!p->ignore) {
        dump_rest(s);
        close_output(s);
    }
    cleanup_fatal(s);
    return false;
}

static bool stop_fn(void *ctx) { return uc_should_stop(ctx); }

static bool matches(Csplit *s, const Control *p, uintmax_t n) {
    size_t b, e;
    line_span(s, n, &b, &e);
    if (e > b && s->data.s[e - 1] == '\n') e--;
    RxExec ex = {0, stop_fn, s->c};
    return rx_search(p->re, s->data.s + b, e - b, 0, &ex, NULL, 0) == RX_MATCH;
}

/* Writes lines up to (not including) break_line. */
static bool write_to(Csplit *s, const Control *p, intmax_t break_line) {
    uintmax_t first = s->next + 1;
    if (break_line < 0 || first > (uintmax_t)break_line) {
        char *q = u_quote(p->arg);
        uc_error(s->c, "%s: line number out of range", q);
        free(q);
        cleanup_fatal(s);
        return false;
    }
    for (uintmax_t i = first; i < (uintmax_t)break_line; i++)
        if (!take_line(s, !p->ignore)) {
            char *q = u_quote(p->arg);
            uc_error(s->c, "%s: line number out of range", q);
            free(q);
            cleanup_fatal(s);
            return false;
        }
    return true;
}

/* Returns 1 to go on, 0 when {*} ran out of input (done), -1 on an error. */
static int process_regexp(Csplit *s, const Control *p, uintmax_t repetition) {
    if (!p->ignore && !create_output(s)) return cleanup_fatal(s), -1;
    for (;;) {
        uintmax_t n = ++s->current_line;
        if (!have_line(s, n)) {
            if (p->repeat_forever) {
                if (!p->ignore) {
                    dump_rest(s);
                    close_output(s);
                }
                return 0;
            }
            return regexp_error(s, p, repetition) ? 1 : -1;
        }
        if (matches(s, p, n)) break;
        if (p->offset >= 0) take_line(s, !p->ignore); /* no look-back needed: write as we go */
        if (uc_should_stop(s->c)) return cleanup_fatal(s), -1;
    }
    intmax_t break_line = (intmax_t)s->current_line + p->offset;
    if (!write_to(s, p, break_line)) return -1;
    if (!p->ignore) close_output(s);
    if (p->offset > 0) s->current_line = (uintmax_t)break_line;
    if (s->suppress && p->offset == 0) take_line(s, false);
    return 1;
}

/* ---- parsing ---- */

static bool parse_repeat(Csplit *s, Control *p, const char *arg) {
    size_t n = strlen(arg);
    if (arg[n - 1] != '}') {
        char *q = u_quote(arg);
        uc_error(s->c, "%s: '}' is required in repeat count", q);
        free(q);
        return false;
    }
    if (n == 3 && arg[1] == '*') {
        p->repeat_forever = true;
        return true;
    }
    char *num = xstrndup(arg + 1, n - 2);
    bool ok = u_parse_uint(num, &p->repeat);
    free(num);
    if (!ok) {
        char *head = xstrndup(arg, n - 1), *q = u_quote(head);
        uc_error(s->c, "%s}: integer required between '{' and '}'", q);
        free(q);
        free(head);
    }
    return ok;
}

static bool parse_regexp(Csplit *s, Control *p, const char *arg) {
    char delim = arg[0];
    const char *close = strrchr(arg + 1, delim);
    if (!close) {
        uc_error(s->c, "%s: closing delimiter '%c' missing", arg, delim);
        return false;
    }
    p->regexp = true;
    p->ignore = delim == '%';
    RxError err;
    p->re = rx_compile(arg + 1, (size_t)(close - arg - 1), RX_BRE, s->utf8 ? 0 : RX_BYTES, &err);
    if (!p->re) {
        char *q = u_quote(arg);
        uc_error(s->c, "%s: invalid regular expression: %s", q, err.msg);
        free(q);
        return false;
    }
    const char *off = close + 1;
    if (*off) {
        char *end;
        errno = 0;
        long long v = strtoll(off, &end, 10);
        if (*end || errno || !(isdigit((unsigned char)*off) || *off == '+' || *off == '-')) {
            char *q = u_quote(arg);
            uc_error(s->c, "%s: integer expected after delimiter", q);
            free(q);
            return false;
        }
        p->offset = v;
    }
    return true;
}

static bool parse_patterns(Csplit *s, char **args, size_t n) {
    uintmax_t last_val = 0;
    s->ctl = xcalloc(n + 1, sizeof *s->ctl);
    for (size_t i = 0; i < n; i++) {
        const char *a = args[i];
        if (a[0] == '{' && s->nctl) {
            if (!parse_repeat(s, &s->ctl[s->nctl - 1], a)) return false;
            continue;
        }
        Control *p = &s->ctl[s->nctl++];
        p->arg = a;
        if (a[0] == '/' || a[0] == '%') {
            if (!parse_regexp(s, p, a)) return false;
            continue;
        }
        uintmax_t v;
        if (!u_parse_uint(a, &v)) {
            char *q = u_quote(a);
            uc_error(s->c, "%s: invalid pattern", q);
            free(q);
            return false;
        }
        if (v == 0) {
            uc_error(s->c, "%s: line number must be greater than zero", a);
            return false;
        }
        if (v < last_val) {
            char *q = u_quote(a);
            uc_error(s->c, "line number %s is smaller than preceding line number, %ju", q, last_val);
            free(q);
            return false;
        }
        if (v == last_val) {
            char *q = u_quote(a);
            uc_error(s->c, "warning: line number %s is the same as preceding line number", q);
            free(q);
        }
        last_val = v;
        p->lines_required = v;
    }
    return true;
}

/* -b FORMAT: one %d %i %u %o %x %X conversion with flags and a width. */
static char *check_suffix(Csplit *s, const char *fmt) {
    StrBuf b;
    sb_init(&b);
    int convs = 0;
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            sb_putc(&b, *p);
            continue;
        }
        if (p[1] == '%') {
            sb_puts(&b, "%%");
            p++;
            continue;
        }
        const char *q = p + 1;
        while (*q && strchr("-+ #0'", *q)) q++;
        while (isdigit((unsigned char)*q)) q++;
        if (*q == '.') for (q++; isdigit((unsigned char)*q);) q++;
        if (!*q || !strchr("diuoxX", *q)) {
            uc_error(s->c, "invalid conversion specifier in suffix: %c", *q ? *q : '%');
            sb_free(&b);
            return NULL;
        }
        sb_put(&b, p, (size_t)(q - p));
        sb_putc(&b, *q == 'd' || *q == 'i' ? 'u' : *q);
        convs++;
        p = q;
    }
    if (convs != 1) {
        uc_error(s->c, convs ? "too many %% conversion specifications in suffix"
                             : "missing %% conversion specification in suffix");
        sb_free(&b);
        return NULL;
    }
    return sb_take(&b);
}

static const UOptLong csplit_longs[] = {
    {"suffix-format", UO_REQ, 'b'}, {"prefix", UO_REQ, 'f'}, {"keep-files", UO_NOARG, 'k'},
    {"digits", UO_REQ, 'n'}, {"quiet", UO_NOARG, 's'}, {"silent", UO_NOARG, 's'},
    {"elide-empty-files", UO_NOARG, 'z'}, {"suppress-matched", UO_NOARG, 'S'}, {NULL, 0, 0},
};

static bool read_all(Csplit *s, const char *name) {
    errno = 0;
    UcFile *f = uc_open(s->c, name, "r");
    if (!f) {
        u_err_open(s->c, name, errno ? errno : ENOENT);
        return false;
    }
    char buf[65536];
    ssize_t n;
    while ((n = uc_fread(f, buf, sizeof buf)) > 0 && !uc_should_stop(s->c)) sb_put(&s->data, buf, (size_t)n);
    uc_close(f);
    size_t cap = 64;
    s->line_start = xmalloc(cap * sizeof *s->line_start);
    for (size_t i = 0; i < s->data.len;) {
        const char *nl = memchr(s->data.s + i, '\n', s->data.len - i);
        size_t e = nl ? (size_t)(nl - s->data.s) + 1 : s->data.len;
        if (s->nlines == cap) s->line_start = xrealloc(s->line_start, (cap *= 2) * sizeof *s->line_start);
        s->line_start[s->nlines++] = e;
        i = e;
    }
    return true;
}

static void csplit_free(Csplit *s, char *suffix) {
    for (size_t i = 0; i < s->nctl; i++)
        if (s->ctl[i].re) rx_free(s->ctl[i].re);
    free(s->ctl);
    free(s->line_start);
    sb_free(&s->data);
    sl_free(&s->created);
    free(suffix);
}

int util_csplit_main(UtilCtx *c, int argc, char **argv) {
    Csplit s;
    memset(&s, 0, sizeof s);
    s.c = c;
    s.prefix = "xx";
    s.utf8 = mb_utf8_locale(c);
    sb_init(&s.data);
    sl_init(&s.created);
    uout_init(&s.sizes, c, 1);
    const char *suffix_opt = NULL;
    uintmax_t digits = 2;
    UOpts o;
    uopt_init(&o, c, argc, argv, "+b:f:kn:sz", csplit_longs);
    int k, r = -1;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) {
        switch (k) {
        case 'b': suffix_opt = o.arg; break;
        case 'f': s.prefix = o.arg; break;
        case 'k': s.keep = true; break;
        case 'n':
            if (!u_parse_uint(o.arg, &digits) || digits > 100) {
                char *q = u_quote(o.arg);
                uc_error(c, "invalid number: %s", q);
                free(q);
                r = 1;
            }
            break;
        case 's': s.quiet = true; break;
        case 'z': s.elide = true; break;
        case 'S': s.suppress = true; break;
        case UO_HELP: r = u_help(c, "[OPTION]... FILE PATTERN..."); break;
        case UO_VERSION: r = u_version(c); break;
        default: r = 1; break;
        }
    }
    /* options may also follow the file operand (GNU permutes) */
    char *suffix = NULL;
    if (r < 0 && o.ops.n < 2) {
        u_missing_operand(c, o.ops.n ? o.ops.v[0] : NULL);
        r = 1;
    }
    if (r < 0) {
        char fmt[32];
        snprintf(fmt, sizeof fmt, "%%0%juu", digits);
        suffix = suffix_opt ? check_suffix(&s, suffix_opt) : xstrdup(fmt);
        if (!suffix) r = 1;
    }
    if (r < 0 && !parse_patterns(&s, o.ops.v + 1, o.ops.n - 1)) r = 1;
    if (r < 0 && !read_all(&s, o.ops.v[0])) r = 1;
    if (r < 0) {
        s.suffix_fmt = suffix;
        bool done = false;
        for (size_t i = 0; i < s.nctl && !s.failed && !done; i++) {
            Control *p = &s.ctl[i];
            for (uintmax_t j = 0; !s.failed && !done && (p->repeat_forever || j <= p->repeat); j++) {
                if (p->regexp) {
                    int res = process_regexp(&s, p, j);
                    if (res == 0) done = true;
                } else {
                    process_line_count(&s, p, j);
                }
            }
        }
        if (!s.failed && !done) {
            if (create_output(&s)) {
                dump_rest(&s);
                close_output(&s);
            } else {
                cleanup_fatal(&s);
            }
        }
        r = s.failed ? 1 : 0;
    }
    r |= uout_close(&s.sizes);
    csplit_free(&s, suffix);
    uopt_free(&o);
    return r;
}
