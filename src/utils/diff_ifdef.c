/* diff_ifdef.c - diff's merged output as GNU diffutils 3.8 writes it: the
 * files walked change by change, each run of lines printed with a group
 * format (%< %> %= %% %c'C' %(A=B?T:E), printf-like numbers of the letters
 * e f l m n for the old file and E F L M N for the new one), each line of a
 * run with a line format (%l %L %% %c'C' and printf-like %dn). -D NAME is
 * a preset of group formats (diff.c). A malformed directive is not an
 * error: like GNU, its '%' is printed as text and the scan goes on after it. */
#include "diff.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Group {
    const DFile *f;
    long from, upto;           /* lines [from, upto), 0-based */
} Group;

/* The printf-like part of a directive, %[-'0]*[0-9]*(.[0-9]*)?C and the
 * character after C (the quote of %c'X', the letter of %dF). */
typedef struct Spec {
    bool minus, zero;
    long width, prec;          /* prec -1: none */
    char conv;
    char arg;
    const char *rest;          /* just after arg */
} Spec;

/* Deeper %( nesting than this is taken as malformed text, so that a
 * hostile format cannot exhaust the (small, under wasm) stack. */
enum { MAX_NEST = 200 };

static long scan_digits(const char **p) {
    long v = 0;
    for (; **p >= '0' && **p <= '9'; (*p)++) v = v > (LONG_MAX - 9) / 10 ? LONG_MAX : v * 10 + (**p - '0');
    return v;
}

/* p is just after the '%'. */
static void scan_spec(const char *p, Spec *s) {
    *s = (Spec){false, false, 0, -1, 0, 0, NULL};
    for (;; p++) {
        if (*p == '-') s->minus = true;
        else if (*p == '0') s->zero = true;
        else if (*p != '\'') break; /* grouping: no separator in the locales diff runs in */
    }
    s->width = scan_digits(&p);
    if (*p == '.') {
        p++;
        s->prec = scan_digits(&p);
    }
    s->conv = *p;
    if (*p) p++;
    s->arg = *p;
    s->rest = *p ? p + 1 : p;
}

/* The literal of %c'X' or %c'\OOO' (1 to 3 octal digits); p is just after
 * the opening quote. Returns the end, after the closing quote, or NULL. */
static const char *scan_char(const char *p, char *out) {
    char c = *p++;
    if (c == '\0' || c == '\'') return NULL;
    if (c != '\\') {
        if (*p != '\'') return NULL;
        *out = c;
        return p + 1;
    }
    unsigned v = 0;
    int digits = 0;
    while ((c = *p++) != '\'') {
        if (c < '0' || c > '7') return NULL;
        v = v * 8 + (unsigned)(c - '0');
        digits++;
    }
    if (digits < 1 || digits > 3) return NULL;
    *out = (char)(v & 0xff);
    return p;
}

static void put_repeat(Diff *d, char c, long n) {
    for (long i = 0; i < n; i++) uout_putc(&d->out, c);
}

/* v as printf would print it with the spec's flags, width and precision. */
static void put_number(Diff *d, const Spec *s, long v) {
    char buf[32];
    unsigned long u = (unsigned long)v;
    switch (s->conv) {
    case 'o': snprintf(buf, sizeof buf, "%lo", u); break;
    case 'x': snprintf(buf, sizeof buf, "%lx", u); break;
    case 'X': snprintf(buf, sizeof buf, "%lX", u); break;
    default: snprintf(buf, sizeof buf, "%ld", v); break;
    }
    /* printf fails on widths past INT_MAX and prints nothing */
    if (s->width > INT_MAX || s->prec > INT_MAX) return;
    long len = s->prec == 0 && v == 0 ? 0 : (long)strlen(buf);
    long digits = s->prec > len ? s->prec : len;
    long pad = s->width > digits ? s->width - digits : 0;
    bool zero_fill = s->zero && !s->minus && s->prec < 0;
    if (!s->minus) put_repeat(d, zero_fill ? '0' : ' ', pad);
    put_repeat(d, '0', digits - len);
    uout_put(&d->out, buf, (size_t)len);
    if (s->minus) put_repeat(d, ' ', pad);
}

/* A group letter's value: e f l m n about the old file's lines, E F L M N
 * about the new file's (the line before, first, last, after, count). */
static bool letter_value(const Group g[2], char letter, long *v) {
    const Group *x = &g[0];
    switch (letter) {
    case 'E': case 'F': case 'L': case 'M': case 'N':
        x = &g[1];
        letter = (char)(letter - 'A' + 'a');
        break;
    default: break;
    }
    switch (letter) {
    case 'e': *v = x->from; return true;
    case 'f': *v = x->from + 1; return true;
    case 'l': *v = x->upto; return true;
    case 'm': *v = x->upto + 1; return true;
    case 'n': *v = x->upto - x->from; return true;
    default: return false;
    }
}

/* %c'X' or a number; f is just after the '%'. In a line format (g NULL)
 * the only number is n, the line's own; in a group format the letters.
 * Returns the end of the directive, or NULL when it is malformed. */
static const char *printf_directive(Diff *d, bool out, const char *f, long line, const Group *g) {
    Spec s;
    scan_spec(f, &s);
    if (s.conv == 'c') {
        char ch;
        const char *end = s.arg == '\'' ? scan_char(s.rest, &ch) : NULL;
        if (end && out) uout_putc(&d->out, ch);
        return end;
    }
    if (s.conv != 'd' && s.conv != 'o' && s.conv != 'x' && s.conv != 'X') return NULL;
    long v;
    if (!g) {
        if (s.arg != 'n') return NULL;
        v = line + 1;
    } else if (!letter_value(g, s.arg, &v)) {
        return NULL;
    }
    if (out) put_number(d, &s, v);
    return s.rest;
}

/* One line with a line format. */
static void put_line_fmt(Diff *d, const char *f, const DFile *file, long i) {
    const DLine *l = &file->lines[i];
    while (*f) {
        char c = *f++;
        if (c == '%' && (*f == 'l' || *f == 'L')) {
            diff_put_text(d, l);
            if (*f++ == 'L' && l->newline) uout_putc(&d->out, '\n');
            continue;
        }
        if (c == '%' && *f == '%') {
            f++;
        } else if (c == '%') {
            const char *end = printf_directive(d, true, f, i, NULL);
            if (end) {
                f = end;
                continue;
            }
        }
        uout_putc(&d->out, c);
    }
}

static void put_lines(Diff *d, bool out, const char *fmt, const Group *g) {
    if (!out) return;
    for (long i = g->from; i < g->upto; i++) put_line_fmt(d, fmt, g->f, i);
}

static const char *format_group(Diff *d, bool out, const char *f, char end, const Group g[2], int depth);

/* %(A=B?THEN:ELSE), A and B numbers or letters; p is just after "%(".
 * Both branches are scanned, only the chosen one printed. */
static const char *conditional(Diff *d, bool out, const char *p, const Group g[2], int depth) {
    uintmax_t v[2];
    for (int i = 0; i < 2; i++) {
        if (*p >= '0' && *p <= '9') {
            char *end;
            errno = 0;
            v[i] = strtoumax(p, &end, 10);
            if (errno) return NULL;
            p = end;
        } else {
            long x;
            if (!letter_value(g, *p, &x)) return NULL;
            v[i] = (uintmax_t)x;
            p++;
        }
        if (*p != "=?"[i]) return NULL;
        p++;
    }
    bool same = v[0] == v[1];
    p = format_group(d, out && same, p, ':', g, depth);
    if (*p) {
        p = format_group(d, out && !same, p + 1, ')', g, depth);
        if (*p) p++;
    }
    return p;
}

/* A group directive; f is just after the '%'. Returns its end or NULL. */
static const char *group_directive(Diff *d, bool out, const char *f, const Group g[2], int depth) {
    switch (*f) {
    case '%':
        if (out) uout_putc(&d->out, '%');
        return f + 1;
    case '(': return depth < MAX_NEST ? conditional(d, out, f + 1, g, depth + 1) : NULL;
    case '<': put_lines(d, out, d->o.line_fmt[G_OLD], &g[0]); return f + 1;
    case '=': put_lines(d, out, d->o.line_fmt[G_UNCHANGED], &g[0]); return f + 1;
    case '>': put_lines(d, out, d->o.line_fmt[G_NEW], &g[1]); return f + 1;
    default: return printf_directive(d, out, f, 0, g);
    }
}

/* Prints (when out) the format up to the first `end` outside a directive
 * or to its end; returns where it stopped. */
static const char *format_group(Diff *d, bool out, const char *f, char end, const Group g[2], int depth) {
    while (*f && *f != end) {
        char c = *f++;
        if (c == '%') {
            const char *next = group_directive(d, out, f, g, depth);
            if (next) {
                f = next;
                continue;
            }
        }
        if (out) uout_putc(&d->out, c);
    }
    return f;
}

static void put_group(Diff *d, int kind, const DFile *a, long b0, long e0, const DFile *b, long b1, long e1) {
    Group g[2] = {{a, b0, e0}, {b, b1, e1}};
    format_group(d, true, d->o.group_fmt[kind], '\0', g, 0);
}

/* Each change is a group of its own (GNU does not join nearby ones here);
 * the lines between are unchanged groups, -B/-I changes among them. */
void diff_print_ifdef(Diff *d, const DFile *a, const DFile *b, const DiffChange *ch, const bool *ignore, size_t n) {
    long next0 = 0, next1 = 0;
    for (size_t i = 0; i < n; i++) {
        if (ignore[i]) continue;
        const DiffChange *c = &ch[i];
        long l0 = (long)c->line0, l1 = (long)c->line1;
        int kind = c->deleted && c->inserted ? G_CHANGED : c->deleted ? G_OLD : G_NEW;
        if (next0 < l0 || next1 < l1) put_group(d, G_UNCHANGED, a, next0, l0, b, next1, l1);
        next0 = l0 + (long)c->deleted;
        next1 = l1 + (long)c->inserted;
        put_group(d, kind, a, l0, next0, b, l1, next1);
    }
    if (next0 < (long)a->n || next1 < (long)b->n) put_group(d, G_UNCHANGED, a, next0, (long)a->n, b, next1, (long)b->n);
}

bool diff_ifdef_shows_same(const DiffOpts *o) {
    if (o->format != FMT_IFDEF) return false;
    const char *u = o->group_fmt[G_UNCHANGED];
    return *u && !(!strcmp(u, "%=") && !*o->line_fmt[G_UNCHANGED]);
}
