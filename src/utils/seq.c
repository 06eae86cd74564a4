/* seq.c - the seq utility: seq [-f FMT] [-s SEP] [-w] [FIRST [INCR]] LAST.
 * Integer operands use exact 64-bit arithmetic; otherwise long double, with
 * the precision GNU derives from FIRST and INCR. Value i is FIRST + i*INCR (no
 * accumulated error). Stops when the reader goes away or the run must stop. */
#include "ucommon.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct SeqNum {
    long double v;
    int prec;     /* digits after the point the operand implies; -1 = unknown */
    bool integer; /* plain decimal integer within int64 */
    int intlen;   /* characters before the point as written (for -w); -1 if not plain decimal */
    long long iv;
} SeqNum;

typedef struct Seq {
    UtilCtx *c;
    UOut out;
    const char *sep;
    const char *user_fmt;
    bool equal_width;
    char fmt[64]; /* C format with L */
    char bare[32]; /* its one directive alone (the number without -f text around it) */
    int prec;     /* for -w with floats */
    int width;
} Seq;

/* Precision implied by a decimal operand: fraction digits minus exponent. */
static int operand_prec(const char *s) {
    if (strpbrk(s, "xX")) return strpbrk(s, ".pP") ? -1 : 0;
    if (strpbrk(s, "iInN")) return -1;
    const char *dot = strchr(s, '.');
    const char *e = strpbrk(s, "eE");
    int frac = 0;
    if (dot) frac = (int)((e ? e : s + strlen(s)) - dot - 1);
    long exp = e ? strtol(e + 1, NULL, 10) : 0;
    long p = frac - exp;
    return p < 0 ? 0 : p > 60 ? 60 : (int)p;
}

static bool parse_operand(UtilCtx *c, const char *s, SeqNum *n) {
    char *end;
    errno = 0;
    n->v = strtold(s, &end);
    if (end == s || *end || !*s) {
        char *q = u_quote(s);
        uc_error(c, "invalid floating point argument: %s", q);
        free(q);
        u_try_help(c);
        return false;
    }
    if (isnan(n->v)) {
        char *q = u_quote(s);
        uc_error(c, "invalid 'not-a-number' argument: %s", q);
        free(q);
        u_try_help(c);
        return false;
    }
    n->prec = operand_prec(s);
    const char *t = s;
    while (isspace((unsigned char)*t)) t++;
    size_t sign = *t == '-' || *t == '+', digits = strcspn(t + sign, ".");
    n->intlen = (int)((*t == '-') + (digits ? digits : 1));
    if (strpbrk(t, "eE")) n->intlen = -1;      /* width of the formatted value */
    if (strpbrk(t, "xXiInN")) n->intlen = -2;  /* no width */
    const char *p = s;
    while (isspace((unsigned char)*p)) p++;
    if (*p == '-' || *p == '+') p++;
    n->integer = *p && strspn(p, "0123456789") == strlen(p) && fabsl(n->v) < 9e18L && !signbit(n->v);
    n->iv = n->integer ? (long long)n->v : 0;
    return true;
}

/* Checks a -f format: exactly one %[flags][width][.prec]{aAeEfFgG}. Builds
 * the same format with an L length modifier into out. */
static bool check_format(UtilCtx *c, const char *f, char *out, size_t cap, char *bare, size_t bare_cap) {
    StrBuf b;
    sb_init(&b);
    int directives = 0;
    const char *err = NULL;
    for (const char *p = f; *p && !err; p++) {
        sb_putc(&b, *p);
        if (*p != '%') continue;
        if (p[1] == '%') {
            sb_putc(&b, *++p);
            continue;
        }
        size_t k = 1 + strspn(p + 1, "'-+ #0");
        k += strspn(p + k, "0123456789");
        if (p[k] == '.') k += 1 + strspn(p + k + 1, "0123456789");
        if (!p[k] || !strchr("aAeEfFgG", p[k])) err = p[k] ? "unknown" : "incomplete";
        else if (++directives > 1) err = "many";
        sb_put(&b, p + 1, k - 1);
        sb_putc(&b, 'L');
        sb_putc(&b, p[k]);
        if (!err) snprintf(bare, bare_cap, "%.*sL%c", (int)k, p, p[k]);
        if (!err) p += k;
        else if (!strcmp(err, "unknown")) {
            char *q = u_quote(f);
            uc_error(c, "format %s has unknown %%%c directive", q, p[k]);
            free(q);
        }
    }
    char *q = u_quote(f);
    if (!err && !directives) uc_error(c, "format %s has no %% directive", q);
    if (err && !strcmp(err, "many")) uc_error(c, "format %s has too many %% directives", q);
    if (err && !strcmp(err, "incomplete")) uc_error(c, "format %s ends in %%", q);
    free(q);
    bool ok = !err && directives == 1 && b.len < cap;
    if (ok) memcpy(out, b.s, b.len + 1);
    sb_free(&b);
    return ok;
}

static void format_value(Seq *s, StrBuf *b, long double v, bool bare) {
    sb_clear(b);
    if (s->equal_width)
        sb_printf(b, "%0*.*Lf", s->width, s->prec, v);
    else
        sb_printf(b, bare ? s->bare : s->fmt, v);
}

static bool emit(Seq *s, const char *text, bool first) {
    if (!first) uout_puts(&s->out, s->sep);
    uout_puts(&s->out, text);
    return !s->out.err;
}

/* x is just past last: GNU still prints x when the number it prints reads
 * back as exactly last and differs from the previous one (rounding). */
static bool print_past_last(Seq *s, long double x, const StrBuf *xs, const StrBuf *prev, const SeqNum *last) {
    StrBuf num;
    sb_init(&num);
    format_value(s, &num, x, true);
    bool eq = strtold(sb_cstr(&num), NULL) == last->v && strcmp(sb_cstr((StrBuf *)xs), sb_cstr((StrBuf *)prev));
    sb_free(&num);
    return eq;
}

static int seq_float(Seq *s, const SeqNum *a, const SeqNum *step, const SeqNum *last) {
    StrBuf b, prev;
    sb_init(&b);
    sb_init(&prev);
    bool first = true;
    for (uintmax_t i = 0;; i++) {
        long double x = i ? a->v + (long double)i * step->v : a->v; /* keeps -0 */
        bool past = step->v > 0 ? x > last->v : x < last->v;
        if (past && !i) break;
        format_value(s, &b, x, false);
        if (past && !print_past_last(s, x, &b, &prev, last)) break;
        if (!emit(s, b.s, first) || ((i & 1023) == 1023 && uc_should_stop(s->c))) break;
        first = false;
        if (past || (i > 0 && x == a->v + (long double)(i - 1) * step->v)) break; /* or step lost in rounding */
        sb_clear(&prev);
        sb_put(&prev, b.s, b.len);
    }
    if (!first) uout_putc(&s->out, '\n');
    sb_free(&b);
    sb_free(&prev);
    return 0;
}

/* Decimal digits of x, zero-padded to width; faster than snprintf, which
 * dominates `seq N | ...` pipelines. */
static void int_text(char *buf, long long x, int width) {
    char tmp[24];
    int n = 0;
    unsigned long long u = x < 0 ? 0ull - (unsigned long long)x : (unsigned long long)x;
    do { tmp[n++] = (char)('0' + u % 10); u /= 10; } while (u);
    int len = 0;
    if (x < 0) buf[len++] = '-';
    for (int pad = width - n - (x < 0); pad > 0; pad--) buf[len++] = '0';
    while (n) buf[len++] = tmp[--n];
    buf[len] = 0;
}

static int seq_int(Seq *s, long long a, long long step, long long last) {
    char buf[48];
    bool first = true;
    for (long long x = a, i = 0; step > 0 ? x <= last : x >= last; i++) {
        int_text(buf, x, s->equal_width ? s->width : 0);
        if (!emit(s, buf, first) || ((i & 1023) == 1023 && uc_should_stop(s->c))) break;
        first = false;
        if ((step > 0 && x > LLONG_MAX - step) || (step < 0 && x < LLONG_MIN - step)) break;
        x += step;
    }
    if (!first) uout_putc(&s->out, '\n');
    return 0;
}

/* Sets up the output format and width, then prints the sequence. */
/* -w: the width GNU derives for an operand printed with prec decimals. */
static int operand_width(const SeqNum *n, int prec) {
    if (n->intlen == -2) return 0;
    if (n->intlen >= 0) return n->intlen + (prec > 0 ? prec + 1 : 0);
    char buf[128];
    return snprintf(buf, sizeof buf, "%.*Lf", prec, n->v);
}

static int seq_run(Seq *s, SeqNum *a, SeqNum *step, SeqNum *last) {
    if (!s->user_fmt && a->integer && step->integer && last->integer) {
        int wa = operand_width(a, 0), wl = operand_width(last, 0);
        s->width = wa > wl ? wa : wl;
        return seq_int(s, a->iv, step->iv, last->iv);
    }
    if (!s->user_fmt) {
        int prec = a->prec > step->prec ? a->prec : step->prec;
        if (a->prec < 0 || step->prec < 0)
            snprintf(s->fmt, sizeof s->fmt, "%%Lg");
        else
            snprintf(s->fmt, sizeof s->fmt, "%%.%dLf", prec);
        memcpy(s->bare, s->fmt, strlen(s->fmt) + 1);
        if (s->equal_width && prec >= 0) {
            int wa = operand_width(a, prec), wl = operand_width(last, prec);
            s->width = wa > wl ? wa : wl;
            s->prec = prec;
        } else {
            s->equal_width = false;
        }
    }
    return seq_float(s, a, step, last);
}

/* ---- GNU's fast path: non-negative integers of any size, as decimal text ---- */

static bool all_digits(const char *s) { return *s && strspn(s, "0123456789") == strlen(s); }

/* Compares two decimal strings without leading zeros. */
static int dec_cmp(const StrBuf *a, const char *b) {
    size_t bl = strlen(b);
    if (a->len != bl) return a->len < bl ? -1 : 1;
    return memcmp(a->s, b, bl);
}

static void dec_add(StrBuf *a, unsigned step) {
    unsigned carry = step;
    for (size_t i = a->len; i-- > 0 && carry;) {
        unsigned d = (unsigned)(a->s[i] - '0') + carry;
        a->s[i] = (char)('0' + d % 10);
        carry = d / 10;
    }
    while (carry) {
        char ch = (char)('0' + carry % 10);
        sb_put(a, " ", 1);
        memmove(a->s + 1, a->s, a->len - 1);
        a->s[0] = ch;
        carry /= 10;
    }
}

/* seq FIRST [STEP<=200] LAST with digits only (LAST may be "inf"), no -f,
 * no -w and a one-character separator: exact at any size, as GNU's seq_fast. */
static bool seq_fast(Seq *s, char **ops, size_t n) {
    const char *first = n > 1 ? ops[0] : "1", *last = ops[n - 1], *step = n == 3 ? ops[1] : "1";
    bool inf = !strcmp(last, "inf");
    if (s->user_fmt || s->equal_width || strlen(s->sep) != 1 || !all_digits(first) || !all_digits(step) ||
        (!inf && !all_digits(last)))
        return false;
    unsigned long st = strtoul(step, NULL, 10);
    if (strlen(step) > 3 || st == 0 || st > 200) return false;
    while (first[0] == '0' && first[1]) first++;
    while (!inf && last[0] == '0' && last[1]) last++;
    StrBuf x;
    sb_init(&x);
    sb_puts(&x, first);
    bool any = false;
    char buf[16384];
    size_t used = 0;
    for (uintmax_t i = 0; inf || dec_cmp(&x, last) <= 0; i++) {
        if (used + x.len + 1 > sizeof buf) {
            uout_put(&s->out, buf, used);
            used = 0;
            if (s->out.err || uc_should_stop(s->c)) break;
        }
        if (any) buf[used++] = s->sep[0];
        if (x.len > sizeof buf - 1) {
            uout_put(&s->out, buf, used);
            uout_put(&s->out, x.s, x.len);
            used = 0;
        } else {
            memcpy(buf + used, x.s, x.len);
            used += x.len;
        }
        any = true;
        dec_add(&x, (unsigned)st);
    }
    uout_put(&s->out, buf, used);
    if (any) uout_putc(&s->out, '\n');
    sb_free(&x);
    return true;
}

static const UOptLong seq_longs[] = {
    {"format", UO_REQ, 'f'}, {"separator", UO_REQ, 's'}, {"equal-width", UO_NOARG, 'w'}, {NULL, 0, 0},
};

static int seq_args(Seq *s, UOpts *o) {
    int k;
    while ((k = uopt_next(o)) != UO_END) {
        switch (k) {
        case 'f': s->user_fmt = o->arg; break;
        case 's': s->sep = o->arg; break;
        case 'w': s->equal_width = true; break;
        case UO_HELP: return u_help(s->c, "[OPTION]... [FIRST [INCREMENT]] LAST") - 1;
        case UO_VERSION: return u_version(s->c) - 1;
        default: return 1;
        }
    }
    if (!o->ops.n) {
        u_missing_operand(s->c, NULL);
        return 1;
    }
    if (o->ops.n > 3) {
        u_extra_operand(s->c, o->ops.v[3]);
        return 1;
    }
    if (s->user_fmt && s->equal_width) {
        uc_error(s->c, "format string may not be specified when printing equal width strings");
        u_try_help(s->c);
        return 1;
    }
    if (s->user_fmt && !check_format(s->c, s->user_fmt, s->fmt, sizeof s->fmt, s->bare, sizeof s->bare)) return 1;
    return 0;
}

int util_seq_main(UtilCtx *c, int argc, char **argv) {
    Seq s = {.c = c, .sep = "\n"};
    UOpts o;
    uopt_init(&o, c, argc, argv, "+f:s:w", seq_longs);
    o.neg_numbers = true;
    int r = seq_args(&s, &o);
    SeqNum n[3] = {{.v = 1, .integer = true, .intlen = 1, .iv = 1},
                   {.v = 1, .integer = true, .intlen = 1, .iv = 1},
                   {.v = 0, .integer = true, .intlen = 1, .iv = 0}};
    size_t k = o.ops.n;
    uout_init(&s.out, c, 1);
    if (r == 0 && seq_fast(&s, o.ops.v, k)) {
        uopt_free(&o);
        return uout_close(&s.out) | (uc_should_stop(c) ? 1 : 0);
    }
    for (size_t i = 0; r == 0 && i < k; i++) {
        SeqNum *dst = &n[k == 1 ? 2 : k == 2 ? (i ? 2 : 0) : i];
        if (!parse_operand(c, o.ops.v[i], dst)) r = 1;
    }
    if (r == 0 && n[1].v == 0) {
        char *q = u_quote(o.ops.v[1]);
        uc_error(c, "invalid Zero increment value: %s", q);
        free(q);
        u_try_help(c);
        r = 1;
    }
    uopt_free(&o);
    if (r) {
        uout_close(&s.out);
        return r < 0 ? 0 : r;
    }
    seq_run(&s, &n[0], &n[1], &n[2]);
    return uout_close(&s.out) | (uc_should_stop(c) ? 1 : 0);
}
