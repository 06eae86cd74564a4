/* value.c - awk values: reference-counted strings, number <-> string
 * conversion as gawk does it (integers print as integers of any size,
 * others through CONVFMT / OFMT; decimal input only; "+inf"/"-nan"), and
 * the POSIX comparison rules (numbers and numeric-looking user input compare
 * numerically, anything else as strings). */
#include "awkint.h"
#include "format.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

AwkStr *astr_alloc(size_t n) {
    AwkStr *s = xmalloc(sizeof *s + n + 1);
    s->refs = 1;
    s->len = n;
    s->s[n] = 0;
    return s;
}

AwkStr *astr_new(const char *p, size_t n) {
    AwkStr *s = astr_alloc(n);
    if (n) memcpy(s->s, p, n);
    return s;
}

/* ---------------------------------------------------------------- numbers to text */

void awk_format_int(StrBuf *b, double d) {
    if (d == 0) {
        sb_putc(b, '0');
        return;
    }
    if (d > -9.2e18 && d < 9.2e18) {
        /* by hand: the C library's printf is slow in the wasm builds */
        long long v = (long long)d;
        unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
        char digits[24];
        int n = 0;
        do digits[n++] = (char)('0' + u % 10); while (u /= 10);
        if (v < 0) sb_putc(b, '-');
        while (n) sb_putc(b, digits[--n]);
        return;
    }
    format_general(b, d, 0, 0, "", 'f');
}

static void format_special(StrBuf *b, double d) {
    if (isnan(d)) sb_puts(b, signbit(d) ? "-nan" : "+nan");
    else sb_puts(b, d < 0 ? "-inf" : "+inf");
}

AwkStr *awk_num_to_str(Awk *a, double d, const char *fmt) {
    StrBuf *b = &a->tmp;
    sb_clear(b);
    if (isnan(d) || isinf(d)) format_special(b, d);
    else if (d == trunc(d)) awk_format_int(b, d);
    else if (!strcmp(fmt, "%.6g")) format_general(b, d, 0, 6, "", 'g'); /* the default, without a parse */
    else {
        Value v = awkv_num(d);
        StrBuf out;
        sb_init(&out);
        awk_format(a, &out, fmt, strlen(fmt), &v, 1, NULL);
        AwkStr *r = astr_new(out.s ? out.s : "", out.len);
        sb_free(&out);
        return r;
    }
    return astr_new(b->s, b->len);
}

/* ---------------------------------------------------------------- text to numbers */

static bool is_blank_char(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool is_alpha_char(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

static bool ieee_magic(const char *p, double *out) {
    if (p[0] != '+' && p[0] != '-') return false;
    char w[4] = {0};
    for (int i = 0; i < 3; i++) w[i] = (char)(p[1 + i] | 0x20);
    if (!strcmp(w, "inf")) *out = p[0] == '-' ? -INFINITY : INFINITY;
    else if (!strcmp(w, "nan")) *out = p[0] == '-' ? -NAN : NAN;
    else return false;
    return true;
}

static const double pow10_tab[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                   1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* A decimal number at p[0..n): exact for up to 19 significant digits and
 * small exponents (Clinger's fast path), else strtod on a copy. */
static double parse_decimal(const char *p, size_t n, size_t *used) {
    size_t i = 0;
    bool neg = false;
    if (i < n && (p[i] == '+' || p[i] == '-')) neg = p[i++] == '-';
    uint64_t mant = 0;
    int digits = 0, exp10 = 0;
    bool any = false, exact = true;
    while (i < n && p[i] >= '0' && p[i] <= '9') {
        any = true;
        if (digits < 19) {
            mant = mant * 10 + (uint64_t)(p[i] - '0');
            if (mant) digits++;
        } else {
            exact = false;
        }
        i++;
    }
    if (i < n && p[i] == '.') {
        size_t j = i + 1;
        while (j < n && p[j] >= '0' && p[j] <= '9') {
            any = true;
            if (digits < 19) {
                mant = mant * 10 + (uint64_t)(p[j] - '0');
                if (mant) digits++;
                exp10--;
            } else {
                exact = false;
            }
            j++;
        }
        i = j;
    }
    if (!any) {
        *used = 0;
        return 0;
    }
    if (i < n && (p[i] == 'e' || p[i] == 'E')) {
        size_t j = i + 1;
        bool eneg = false;
        if (j < n && (p[j] == '+' || p[j] == '-')) eneg = p[j++] == '-';
        if (j < n && p[j] >= '0' && p[j] <= '9') {
            long e = 0;
            while (j < n && p[j] >= '0' && p[j] <= '9') {
                if (e < 100000) e = e * 10 + (p[j] - '0');
                j++;
            }
            exp10 += (int)(eneg ? -e : e);
            i = j;
        }
    }
    *used = i;
    if (exact && mant < (1ull << 53) && exp10 >= -22 && exp10 <= 22) {
        double d = (double)mant;
        d = exp10 < 0 ? d / pow10_tab[-exp10] : d * pow10_tab[exp10];
        return neg ? -d : d;
    }
    char small[64];
    char *buf = i < sizeof small ? small : xmalloc(i + 1);
    memcpy(buf, p, i);
    buf[i] = 0;
    double d = strtod(buf, NULL);
    if (buf != small) free(buf);
    return d;
}

static bool is_hex_start(const char *p, size_t n) {
    size_t i = 0;
    if (i < n && (p[i] == '+' || p[i] == '-')) i++;
    return i + 1 < n && p[i] == '0' && (p[i + 1] == 'x' || p[i + 1] == 'X');
}

double awk_str_to_num(const char *s, size_t n, size_t *end) {
    size_t i = 0;
    while (i < n && is_blank_char(s[i])) i++;
    size_t e = n;
    while (e > i && is_blank_char(s[e - 1])) e--;
    *end = 0;
    if (i == e || is_alpha_char(s[i]) || is_hex_start(s + i, e - i)) return 0;
    double d;
    if (e - i == 4 && ieee_magic(s + i, &d)) {
        *end = n;
        return d;
    }
    if ((s[i] == '+' || s[i] == '-') && i + 1 < e && is_alpha_char(s[i + 1])) {
        /* strtod would take "+infinity" / "-nan(...)" */
        char buf[32];
        size_t k = e - i < sizeof buf - 1 ? e - i : sizeof buf - 1;
        memcpy(buf, s + i, k);
        buf[k] = 0;
        char *ep;
        d = strtod(buf, &ep);
        if (ep == buf) return 0;
        *end = (size_t)(ep - buf) == e - i ? n : i + (size_t)(ep - buf);
        return d;
    }
    size_t used;
    d = parse_decimal(s + i, e - i, &used);
    if (!used) return 0;
    *end = i + used == e ? n : i + used;
    return d;
}

bool awk_str_is_numeric(const char *s, size_t n, double *out) {
    size_t end;
    *out = awk_str_to_num(s, n, &end);
    return end == n && n > 0;
}

/* ---------------------------------------------------------------- conversions */

bool awkv_looks_numeric(Awk *a, Value *v) {
    (void)a;
    switch (v->type) {
    case V_NUM: case V_UNINIT: return true;
    case V_STRNUM:
        if (!(v->flags & VF_CHECKED)) {
            double d;
            bool ok = awk_str_is_numeric(v->str->s, v->str->len, &d);
            v->num = d;
            v->flags |= VF_CHECKED | VF_NUMOK | (ok ? VF_LOOKSNUM : 0);
        }
        return (v->flags & VF_LOOKSNUM) != 0;
    default: return false;
    }
}

int64_t awk_d2l(double d) {
    return d >= -9223372036854775808.0 && d < 9223372036854775808.0 ? (int64_t)d : INT64_MIN;
}

double awkv_tonum(Awk *a, Value *v) {
    (void)a;
    switch (v->type) {
    case V_NUM: return v->num;
    case V_STR: case V_STRNUM:
        if (!(v->flags & VF_NUMOK)) {
            size_t end;
            v->num = awk_str_to_num(v->str->s, v->str->len, &end);
            v->flags |= VF_NUMOK;
        }
        return v->num;
    default: return 0;
    }
}

AwkStr *awkv_tostr(Awk *a, Value *v) {
    switch (v->type) {
    case V_STR: case V_STRNUM: return v->str;
    case V_NUM:
        if (v->str) {
            if ((v->flags & VF_INTSTR) || v->gen == a->convfmt_gen) return v->str;
            astr_unref(v->str);
            v->str = NULL;
        }
        v->str = awk_num_to_str(a, v->num, a->convfmt);
        v->flags |= VF_STROK;
        if (v->num == trunc(v->num) || isnan(v->num)) v->flags |= VF_INTSTR;
        v->gen = a->convfmt_gen;
        return v->str;
    default: return a->empty;
    }
}

AwkStr *awkv_tostr_out(Awk *a, Value *v) {
    if (v->type == V_NUM) {
        double d = v->num;
        if (isnan(d) || isinf(d) || d == trunc(d)) return astr_ref(awkv_tostr(a, v));
        return awk_num_to_str(a, d, a->ofmt);
    }
    return astr_ref(awkv_tostr(a, v));
}

bool awkv_truth(Awk *a, Value *v) {
    switch (v->type) {
    case V_NUM: return v->num != 0;
    case V_STR: return v->str->len > 0;
    case V_STRNUM:
        if (awkv_looks_numeric(a, v)) return v->num != 0;
        return v->str->len > 0;
    default: return false;
    }
}

static int cmp_doubles(double x, double y) {
    if (isnan(x)) return isnan(y) ? 0 : 1;
    if (isnan(y)) return -1;
    return x < y ? -1 : x > y;
}

static int cmp_bytes(const char *x, size_t xn, const char *y, size_t yn, bool icase) {
    size_t n = xn < yn ? xn : yn;
    if (icase) {
        for (size_t i = 0; i < n; i++) {
            int cx = (unsigned char)x[i], cy = (unsigned char)y[i];
            if (cx >= 'A' && cx <= 'Z') cx += 32;
            if (cy >= 'A' && cy <= 'Z') cy += 32;
            if (cx != cy) return cx < cy ? -1 : 1;
        }
    } else if (n) {
        int r = memcmp(x, y, n);
        if (r) return r < 0 ? -1 : 1;
    }
    return xn < yn ? -1 : xn > yn;
}

int awkv_compare(Awk *a, Value *x, Value *y) {
    if (awkv_looks_numeric(a, x) && awkv_looks_numeric(a, y)) {
        /* uninit vs uninit / number / numeric strnum */
        return cmp_doubles(awkv_tonum(a, x), awkv_tonum(a, y));
    }
    AwkStr *sx = awkv_tostr(a, x), *sy = awkv_tostr(a, y);
    return cmp_bytes(sx->s, sx->len, sy->s, sy->len, a->icase);
}
