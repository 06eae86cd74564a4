/* format.c - printf/sprintf formatting as gawk's format_tree does it:
 * integers of any size print exactly, %x %o %u of a value out of range
 * fall back to %g, infinities and NaNs print as +inf/-nan (no padding),
 * %c takes a number as a character code (UTF-8 encoded in a UTF-8 locale)
 * or a string's first character, widths and precisions of %s and %c count
 * characters, unknown conversions are copied, positional %N$ works, and
 * running out of arguments is fatal with gawk's message. */
#include "awkint.h"
#include "format.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Spec {
    bool minus, plus, space, hash, zero;
    int width;   /* -1 none */
    int prec;    /* -1 none */
    char conv;
} Spec;

size_t awk_strlen(Awk *a, const char *s, size_t n) {
    if (!a->utf8) return n;
    size_t count = 0;
    for (size_t i = 0; i < n;) {
        i += awk_char_offset(a, s + i, n - i, 1);
        count++;
    }
    return count;
}

/* Byte length of the first `chars` characters (clamped to n). Invalid
 * bytes count as one character each. */
size_t awk_char_offset(Awk *a, const char *s, size_t n, size_t chars) {
    if (!a->utf8) return chars < n ? chars : n;
    size_t i = 0;
    while (chars-- > 0 && i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) { i++; continue; }
        size_t k = (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        bool ok = k > 0 && i + k <= n;
        for (size_t j = 1; ok && j < k; j++)
            if (((unsigned char)s[i + j] & 0xC0) != 0x80) ok = false;
        if (!ok) {
            k = 1;
            if (!a->mb_warned) {
                a->mb_warned = true;
                awk_warning(a, "Invalid multibyte data detected. There may be a mismatch between your data and your locale");
            }
        }
        i += k;
    }
    return i;
}

static void pad(StrBuf *out, int n, char c) {
    if (n <= 0) return;
    sb_reserve(out, (size_t)n);
    memset(out->s + out->len, c, (size_t)n);
    out->len += (size_t)n;
    out->s[out->len] = 0;
}

/* Puts s with width (counted in characters) and justification. */
static void put_padded(Awk *a, StrBuf *out, const Spec *sp, const char *s, size_t n) {
    size_t chars = awk_strlen(a, s, n);
    int padn = sp->width > 0 && (size_t)sp->width > chars ? sp->width - (int)chars : 0;
    if (!sp->minus) pad(out, padn, ' ');
    sb_put(out, s, n);
    if (sp->minus) pad(out, padn, ' ');
}

static void put_special(StrBuf *out, double d, bool upper) {
    const char *t;
    if (isnan(d)) t = signbit(d) ? (upper ? "-NAN" : "-nan") : (upper ? "+NAN" : "+nan");
    else t = d < 0 ? (upper ? "-INF" : "-inf") : (upper ? "+INF" : "+inf");
    sb_puts(out, t);
}

static void utf8_encode(StrBuf *out, unsigned long c) {
    if (c < 0x80) sb_putc(out, (char)c);
    else if (c < 0x800) {
        sb_putc(out, (char)(0xC0 | (c >> 6)));
        sb_putc(out, (char)(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
        sb_putc(out, (char)(0xE0 | (c >> 12)));
        sb_putc(out, (char)(0x80 | ((c >> 6) & 0x3F)));
        sb_putc(out, (char)(0x80 | (c & 0x3F)));
    } else {
        sb_putc(out, (char)(0xF0 | (c >> 18)));
        sb_putc(out, (char)(0x80 | ((c >> 12) & 0x3F)));
        sb_putc(out, (char)(0x80 | ((c >> 6) & 0x3F)));
        sb_putc(out, (char)(0x80 | (c & 0x3F)));
    }
}

static bool is_numeric_arg(Awk *a, Value *v) {
    return v->type == V_NUM || (v->type == V_STRNUM && awkv_looks_numeric(a, v));
}

static void fmt_char(Awk *a, StrBuf *out, const Spec *sp, Value *v) {
    StrBuf t;
    sb_init(&t);
    if (is_numeric_arg(a, v)) {
        double d = awkv_tonum(a, v);
        unsigned long c = (unsigned long)awk_d2l(d);
        if (a->utf8 && d >= 128 && d < 0x110000 && !(d >= 0xD800 && d < 0xE000)) utf8_encode(&t, c);
        else sb_putc(&t, (char)(unsigned char)c);
    } else {
        AwkStr *s = awkv_tostr(a, v);
        if (s->len == 0) sb_putc(&t, 0);
        else sb_put(&t, s->s, awk_char_offset(a, s->s, s->len, 1));
    }
    put_padded(a, out, sp, t.s, t.len);
    sb_free(&t);
}

static void fmt_string(Awk *a, StrBuf *out, const Spec *sp, Value *v) {
    AwkStr *s = awkv_tostr(a, v);
    size_t n = s->len;
    if (sp->prec >= 0) n = awk_char_offset(a, s->s, s->len, (size_t)sp->prec);
    put_padded(a, out, sp, s->s, n);
}

static void fmt_float(StrBuf *out, const Spec *sp, double d) {
    char flags[8];
    int k = 0;
    if (sp->minus) flags[k++] = '-';
    if (sp->plus) flags[k++] = '+';
    if (sp->space) flags[k++] = ' ';
    if (sp->hash) flags[k++] = '#';
    if (sp->zero) flags[k++] = '0';
    flags[k] = 0;
    char f[32];
    int prec = sp->prec >= 0 ? sp->prec : (sp->conv == 'a' || sp->conv == 'A') ? -1 : 6;
    int w = sp->width >= 0 ? sp->width : 0;
    if (prec < 0) {
        /* %a without precision: the shortest exact form */
        snprintf(f, sizeof f, "%%%s*%c", flags, sp->conv);
        sb_printf(out, f, w, d);
        return;
    }
    if (prec > 4096) prec = 4096;
    /* without the C library where possible: its printf is slow under wasm */
    if (format_general(out, d, w, prec, flags, sp->conv)) return;
    snprintf(f, sizeof f, "%%%s*.*%c", flags, sp->conv);
    sb_printf(out, f, w, prec, d);
}

static void fmt_integer(Awk *a, StrBuf *out, Spec *sp, double d) {
    (void)a;
    char conv = sp->conv;
    if (isnan(d) || isinf(d)) {
        put_special(out, d, conv == 'X');
        return;
    }
    d = trunc(d);
    bool signed_conv = conv == 'd' || conv == 'i';
    StrBuf digits;
    sb_init(&digits);
    bool neg = false;
    const char *prefix = "";
    if (signed_conv) {
        neg = d < 0;
        awk_format_int(&digits, fabs(d));
    } else {
        uintmax_t u;
        if (d < 0) {
            if (d < -9223372036854775808.0) goto as_float;
            u = (uintmax_t)(intmax_t)d;
        } else {
            if (d >= 18446744073709551616.0) goto as_float;
            u = (uintmax_t)d;
        }
        if (conv == 'u') sb_printf(&digits, "%ju", u);
        else if (conv == 'o') sb_printf(&digits, "%jo", u);
        else if (conv == 'x') sb_printf(&digits, "%jx", u);
        else sb_printf(&digits, "%jX", u);
        if (sp->hash && u != 0 && (conv == 'x' || conv == 'X')) prefix = conv == 'x' ? "0x" : "0X";
    }
    {
        const char *ds = digits.s;
        size_t dn = digits.len;
        if (sp->prec == 0 && dn == 1 && ds[0] == '0') dn = 0;
        int zeros = sp->prec > (int)dn ? sp->prec - (int)dn : 0;
        if (conv == 'o' && sp->hash && zeros == 0 && (dn == 0 || ds[0] != '0')) zeros = 1;
        char sign = 0;
        if (signed_conv) sign = neg ? '-' : sp->plus ? '+' : sp->space ? ' ' : 0;
        int len = (sign ? 1 : 0) + (int)strlen(prefix) + zeros + (int)dn;
        int padn = sp->width > len ? sp->width - len : 0;
        bool zero_pad = sp->zero && !sp->minus && sp->prec < 0;
        if (!sp->minus && !zero_pad) pad(out, padn, ' ');
        if (sign) sb_putc(out, sign);
        sb_puts(out, prefix);
        if (zero_pad) pad(out, padn, '0');
        pad(out, zeros, '0');
        sb_put(out, ds, dn);
        if (sp->minus) pad(out, padn, ' ');
    }
    sb_free(&digits);
    return;
as_float:
    sb_free(&digits);
    Spec g = *sp;
    g.conv = 'g';
    fmt_float(out, &g, d);
}

static void ran_out(Awk *a, const char *fmt, size_t n, size_t at) {
    StrBuf b;
    sb_init(&b);
    sb_puts(&b, "not enough arguments to satisfy format string\n\t`");
    sb_put(&b, fmt, n);
    sb_puts(&b, "'\n\t");
    for (size_t i = 0; i < at; i++) sb_putc(&b, ' ');
    sb_puts(&b, "^ ran out for this one");
    awk_fatal(a, "%s", b.s);
    sb_free(&b);
}

static bool read_num(const char *f, size_t n, size_t *i, int *out) {
    if (*i >= n || f[*i] < '0' || f[*i] > '9') return false;
    long v = 0;
    while (*i < n && f[*i] >= '0' && f[*i] <= '9') {
        if (v < 4194304) v = v * 10 + (f[*i] - '0');
        if (v > 4194304) v = 4194304; /* widths and precisions are capped at 4 Mi */
        (*i)++;
    }
    *out = (int)v;
    return true;
}

/* strchr(s, c) would do (NUL counts as found in both, as strchr finds the
 * terminator), but it becomes a memchr call per character in the wasm build. */
static bool is_length_modifier(char c) {
    switch (c) {
    case 'h': case 'l': case 'L': case 'q': case 'j': case 'z': case 't': case 0: return true;
    default: return false;
    }
}

static bool is_conversion(char c) {
    switch (c) {
    case 'c': case 'd': case 'i': case 'o': case 'u': case 'x': case 'X': case 'e': case 'E':
    case 'f': case 'F': case 'g': case 'G': case 'a': case 'A': case 's': case 0: return true;
    default: return false;
    }
}

bool awk_format(Awk *a, StrBuf *out, const char *f, size_t n, Value *args, int nargs, const char *who) {
    (void)who;
    int argi = 0;
    for (size_t i = 0; i < n; i++) {
        if (out->len > AWK_MAX_STRING) {
            awk_fatal(a, "string too long (the limit is %d bytes)", AWK_MAX_STRING);
            return false;
        }
        if (f[i] != '%') {
            size_t j = i;
            while (j < n && f[j] != '%') j++;
            sb_put(out, f + i, j - i);
            i = j - 1;
            continue;
        }
        size_t start = i++;
        Spec sp = {.width = -1, .prec = -1};
        int pos = -1;
        /* positional %N$ */
        size_t save = i;
        int pn;
        if (read_num(f, n, &i, &pn) && i < n && f[i] == '$') {
            pos = pn;
            i++;
        } else {
            i = save;
        }
        bool in_prec = false;
        for (; i < n; i++) {
            char c = f[i];
            if (c == '-') sp.minus = true;
            else if (c == '+') sp.plus = true;
            else if (c == ' ') sp.space = true;
            else if (c == '#') sp.hash = true;
            else if (c == '\'') continue;
            else if (c == '0' && !in_prec && sp.width < 0) sp.zero = true;
            else if (c >= '0' && c <= '9') {
                int v;
                read_num(f, n, &i, &v);
                i--;
                if (in_prec) sp.prec = v;
                else sp.width = v;
            } else if (c == '*') {
                if (argi >= nargs) { ran_out(a, f, n, i); return false; }
                double w = awkv_tonum(a, &args[argi++]);
                if (in_prec) sp.prec = w < 0 ? -1 : w > 4194304 ? 4194304 : (int)w;
                else {
                    if (w < 0) { sp.minus = true; w = -w; }
                    sp.width = w > 4194304 ? 4194304 : (int)w;
                }
            } else if (c == '.') {
                in_prec = true;
                sp.prec = 0;
            } else if (is_length_modifier(c)) {
                continue;
            } else {
                break;
            }
        }
        if (i >= n) {
            sb_put(out, f + start, n - start);
            break;
        }
        char conv = f[i];
        sp.conv = conv;
        if (conv == '%') {
            sb_putc(out, '%');
            continue;
        }
        if (!is_conversion(conv)) {
            sb_put(out, f + start, i + 1 - start);
            continue;
        }
        Value *v;
        if (pos > 0) {
            if (pos > nargs) { ran_out(a, f, n, i); return false; }
            v = &args[pos - 1];
        } else {
            if (argi >= nargs) { ran_out(a, f, n, i); return false; }
            v = &args[argi++];
        }
        switch (conv) {
        case 'c': fmt_char(a, out, &sp, v); break;
        case 's': fmt_string(a, out, &sp, v); break;
        case 'd': case 'i': case 'o': case 'u': case 'x': case 'X':
            fmt_integer(a, out, &sp, awkv_tonum(a, v));
            break;
        default: {
            double d = awkv_tonum(a, v);
            if (isnan(d) || isinf(d)) put_special(out, d, conv == 'E' || conv == 'G' || conv == 'F' || conv == 'A');
            else fmt_float(out, &sp, d);
        }
        }
    }
    return true;
}
