/* num.c - bc's numbers: a sign, a magnitude of base-10^9 limbs and a
 * decimal scale. Results are exact integers truncated toward zero at the
 * scale GNU bc's rules give, so every digit matches GNU bc's digit-by-digit
 * arithmetic; division is Knuth's algorithm D on the limbs. */
#include "num.h"
#include "common.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BASE 1000000000u

static const uint32_t pow10_u32[10] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000};

static void ensure(BcNum *a, int n) {
    if (a->cap >= n) return;
    int cap = a->cap ? a->cap : 4;
    while (cap < n) cap *= 2;
    a->d = xrealloc(a->d, (size_t)cap * sizeof *a->d);
    a->cap = cap;
}

static void trim(BcNum *a) {
    while (a->n > 0 && a->d[a->n - 1] == 0) a->n--;
    if (a->n == 0) a->neg = false;
}

BcNum *num_new(void) { return xcalloc(1, sizeof(BcNum)); }

BcNum *num_from_long(long long v) {
    BcNum *a = num_new();
    unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
    a->neg = v < 0;
    ensure(a, 3);
    while (u) {
        a->d[a->n++] = (uint32_t)(u % BASE);
        u /= BASE;
    }
    trim(a);
    return a;
}

BcNum *num_copy(const BcNum *a) {
    BcNum *r = num_new();
    num_set(r, a);
    return r;
}

void num_set(BcNum *dst, const BcNum *src) {
    if (dst == src) return;
    ensure(dst, src->n);
    if (src->n) memcpy(dst->d, src->d, (size_t)src->n * sizeof *src->d);
    dst->n = src->n;
    dst->scale = src->scale;
    dst->neg = src->neg;
}

void num_free(BcNum *a) {
    if (!a) return;
    free(a->d);
    free(a);
}

bool num_is_zero(const BcNum *a) { return a->n == 0; }
bool num_is_neg(const BcNum *a) { return a->neg && a->n > 0; }

static int limb_digits(uint32_t v) {
    int k = 1;
    while (k < 9 && v >= pow10_u32[k]) k++;
    return k;
}

/* Decimal digits of the magnitude (0 for zero). */
static long total_digits(const BcNum *a) {
    if (!a->n) return 0;
    return (long)(a->n - 1) * 9 + limb_digits(a->d[a->n - 1]);
}

int num_len(const BcNum *a) {
    long l = total_digits(a) - a->scale;
    return l < 1 ? 1 : (int)l;
}

int num_length(const BcNum *a) {
    /* GNU: for 0.xxx the leading 0 does not count: length = scale; else len + scale */
    long td = total_digits(a);
    if (td <= a->scale) {
        return a->scale ? a->scale : 1;
    }
    return (int)td;
}

/* ---------------------------------------------------------------- magnitudes */

static int mag_cmp(const uint32_t *a, int an, const uint32_t *b, int bn) {
    if (an != bn) return an < bn ? -1 : 1;
    for (int i = an - 1; i >= 0; i--)
        if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
    return 0;
}

/* out = a + b; out has room for max(an, bn) + 1 limbs; returns the length. */
static int mag_add(uint32_t *out, const uint32_t *a, int an, const uint32_t *b, int bn) {
    if (an < bn) {
        const uint32_t *t = a; a = b; b = t;
        int tn = an; an = bn; bn = tn;
    }
    uint32_t carry = 0;
    int i = 0;
    for (; i < bn; i++) {
        uint32_t s = a[i] + b[i] + carry;
        carry = s >= BASE;
        out[i] = carry ? s - BASE : s;
    }
    for (; i < an; i++) {
        uint32_t s = a[i] + carry;
        carry = s >= BASE;
        out[i] = carry ? s - BASE : s;
    }
    if (carry) out[i++] = 1;
    return i;
}

/* out = a - b, a >= b; returns the length. */
static int mag_sub(uint32_t *out, const uint32_t *a, int an, const uint32_t *b, int bn) {
    int64_t borrow = 0;
    for (int i = 0; i < an; i++) {
        int64_t s = (int64_t)a[i] - (i < bn ? b[i] : 0) - borrow;
        borrow = s < 0;
        out[i] = (uint32_t)(s < 0 ? s + BASE : s);
    }
    int n = an;
    while (n > 0 && out[n - 1] == 0) n--;
    return n;
}

static void mag_mul(NumCtx *c, uint32_t *out, const uint32_t *a, int an, const uint32_t *b, int bn) {
    memset(out, 0, (size_t)(an + bn) * sizeof *out);
    for (int i = 0; i < an; i++) {
        if ((i & 63) == 63 && c && c->stop && (long)bn * 64 > 100000 && c->stop(c->stop_ctx)) {
            c->stopped = true;
            return;
        }
        uint64_t carry = 0, ai = a[i];
        if (!ai) continue;
        for (int j = 0; j < bn; j++) {
            uint64_t t = ai * b[j] + out[i + j] + carry;
            carry = t / BASE;
            out[i + j] = (uint32_t)(t % BASE);
        }
        int k = i + bn;
        while (carry) {
            uint64_t t = out[k] + carry;
            out[k++] = (uint32_t)(t % BASE);
            carry = t / BASE;
        }
    }
}

/* a /= m in place; returns the remainder. */
static uint32_t mag_div_small(uint32_t *a, int n, uint32_t m) {
    uint64_t r = 0;
    for (int i = n - 1; i >= 0; i--) {
        uint64_t cur = r * BASE + a[i];
        a[i] = (uint32_t)(cur / m);
        r = cur % m;
    }
    return (uint32_t)r;
}

static void num_mul_small(BcNum *a, uint32_t m) {
    uint64_t carry = 0;
    for (int i = 0; i < a->n; i++) {
        uint64_t t = (uint64_t)a->d[i] * m + carry;
        a->d[i] = (uint32_t)(t % BASE);
        carry = t / BASE;
    }
    if (carry) {
        ensure(a, a->n + 1);
        a->d[a->n++] = (uint32_t)carry;
    }
}

/* magnitude *= 10^k */
static void mul_pow10(BcNum *a, long k) {
    if (!a->n || k <= 0) return;
    int limbs = (int)(k / 9);
    if (limbs) {
        ensure(a, a->n + limbs);
        memmove(a->d + limbs, a->d, (size_t)a->n * sizeof *a->d);
        memset(a->d, 0, (size_t)limbs * sizeof *a->d);
        a->n += limbs;
    }
    int r = (int)(k % 9);
    if (r) {
        ensure(a, a->n + 1);
        num_mul_small(a, pow10_u32[r]);
    }
}

/* magnitude /= 10^k, truncating */
static void div_pow10(BcNum *a, long k) {
    if (!a->n || k <= 0) return;
    long limbs = k / 9;
    if (limbs >= a->n) {
        a->n = 0;
        a->neg = false;
        return;
    }
    if (limbs) {
        memmove(a->d, a->d + limbs, (size_t)(a->n - limbs) * sizeof *a->d);
        a->n -= (int)limbs;
    }
    int r = (int)(k % 9);
    if (r) mag_div_small(a->d, a->n, pow10_u32[r]);
    trim(a);
}

/* Knuth D: q = a / b, r = a % b (b->n >= 2 or any; b nonzero). */
static void mag_divmod(const BcNum *a, const BcNum *b, BcNum *q, NumCtx *c) {
    q->n = 0;
    if (mag_cmp(a->d, a->n, b->d, b->n) < 0) return;
    if (b->n == 1) {
        ensure(q, a->n);
        memcpy(q->d, a->d, (size_t)a->n * sizeof *a->d);
        q->n = a->n;
        mag_div_small(q->d, q->n, b->d[0]);
        trim(q);
        return;
    }
    int n = b->n, m = a->n - b->n;
    uint32_t f = (uint32_t)(BASE / ((uint64_t)b->d[n - 1] + 1));
    uint32_t *u = xcalloc((size_t)a->n + 1, sizeof *u);
    uint32_t *v = xcalloc((size_t)n, sizeof *v);
    uint64_t carry = 0;
    for (int i = 0; i < a->n; i++) {
        uint64_t t = (uint64_t)a->d[i] * f + carry;
        u[i] = (uint32_t)(t % BASE);
        carry = t / BASE;
    }
    u[a->n] = (uint32_t)carry;
    carry = 0;
    for (int i = 0; i < n; i++) {
        uint64_t t = (uint64_t)b->d[i] * f + carry;
        v[i] = (uint32_t)(t % BASE);
        carry = t / BASE;
    }
    ensure(q, m + 1);
    q->n = m + 1;
    for (int j = m; j >= 0; j--) {
        if ((j & 63) == 0 && c && c->stop && c->stop(c->stop_ctx)) {
            c->stopped = true;
            break;
        }
        uint64_t num = (uint64_t)u[j + n] * BASE + u[j + n - 1];
        uint64_t qhat = num / v[n - 1], rhat = num % v[n - 1];
        while (qhat >= BASE || qhat * v[n - 2] > rhat * BASE + u[j + n - 2]) {
            qhat--;
            rhat += v[n - 1];
            if (rhat >= BASE) break;
        }
        /* u[j..j+n] -= qhat * v */
        int64_t borrow = 0;
        uint64_t mc = 0;
        for (int i = 0; i < n; i++) {
            uint64_t p = qhat * v[i] + mc;
            mc = p / BASE;
            int64_t t = (int64_t)u[i + j] - (int64_t)(p % BASE) - borrow;
            borrow = t < 0;
            u[i + j] = (uint32_t)(t < 0 ? t + BASE : t);
        }
        int64_t t = (int64_t)u[j + n] - (int64_t)mc - borrow;
        borrow = t < 0;
        u[j + n] = (uint32_t)(t < 0 ? t + BASE : t);
        if (borrow) {
            qhat--;
            uint32_t cy = 0;
            for (int i = 0; i < n; i++) {
                uint32_t s = u[i + j] + v[i] + cy;
                cy = s >= BASE;
                u[i + j] = cy ? s - BASE : s;
            }
            u[j + n] = (uint32_t)(((uint64_t)u[j + n] + cy) % BASE);
        }
        q->d[j] = (uint32_t)qhat;
    }
    free(u);
    free(v);
    trim(q);
}

/* ---------------------------------------------------------------- helpers */

static bool budget_ok(NumCtx *c, long digits) {
    if (c && c->max_digits && digits > (long)c->max_digits) {
        c->too_big = true;
        return false;
    }
    return true;
}

static BcNum *aligned(const BcNum *a, int s) {
    BcNum *r = num_copy(a);
    if (s > a->scale) mul_pow10(r, s - a->scale);
    r->scale = s;
    return r;
}

long long num_to_long(const BcNum *a) {
    BcNum *t = num_copy(a);
    div_pow10(t, t->scale);
    unsigned long long v = 0;
    bool over = false;
    for (int i = t->n - 1; i >= 0; i--) {
        if (v > (ULLONG_MAX - t->d[i]) / BASE) { over = true; break; }
        v = v * BASE + t->d[i];
    }
    num_free(t);
    if (over || v > (unsigned long long)LLONG_MAX) return 0;
    return a->neg ? -(long long)v : (long long)v;
}

int num_cmp(const BcNum *a, const BcNum *b) {
    bool an = num_is_neg(a), bn = num_is_neg(b);
    if (an != bn) return an ? -1 : 1;
    int s = a->scale > b->scale ? a->scale : b->scale;
    BcNum *x = aligned(a, s), *y = aligned(b, s);
    int r = mag_cmp(x->d, x->n, y->d, y->n);
    num_free(x);
    num_free(y);
    return an ? -r : r;
}

bool num_is_near_zero(const BcNum *a, int scale) {
    if (scale > a->scale) scale = a->scale;
    BcNum *t = num_copy(a);
    div_pow10(t, a->scale - scale);
    bool r = t->n == 0 || (t->n == 1 && t->d[0] == 1);
    num_free(t);
    return r;
}

BcNum *num_neg(const BcNum *a) {
    BcNum *r = num_copy(a);
    r->neg = !r->neg;
    trim(r);
    return r;
}

/* ---------------------------------------------------------------- arithmetic */

static BcNum *add_signed(NumCtx *c, const BcNum *a, const BcNum *b, bool negate_b, int scale_min) {
    int s = a->scale > b->scale ? a->scale : b->scale;
    if (scale_min > s) s = scale_min;
    if (!budget_ok(c, total_digits(a) + total_digits(b) + s)) return NULL;
    BcNum *x = aligned(a, s), *y = aligned(b, s);
    bool xn = num_is_neg(x), yn = num_is_neg(y) != negate_b && y->n;
    BcNum *r = num_new();
    ensure(r, (x->n > y->n ? x->n : y->n) + 1);
    r->scale = s;
    if (xn == yn) {
        r->n = mag_add(r->d, x->d, x->n, y->d, y->n);
        r->neg = xn;
    } else if (mag_cmp(x->d, x->n, y->d, y->n) >= 0) {
        r->n = mag_sub(r->d, x->d, x->n, y->d, y->n);
        r->neg = xn;
    } else {
        r->n = mag_sub(r->d, y->d, y->n, x->d, x->n);
        r->neg = yn;
    }
    trim(r);
    num_free(x);
    num_free(y);
    return r;
}

BcNum *num_add(NumCtx *c, const BcNum *a, const BcNum *b, int scale_min) { return add_signed(c, a, b, false, scale_min); }
BcNum *num_sub(NumCtx *c, const BcNum *a, const BcNum *b, int scale_min) { return add_signed(c, a, b, true, scale_min); }

BcNum *num_mul(NumCtx *c, const BcNum *a, const BcNum *b, int scale) {
    int full = a->scale + b->scale;
    int mx = a->scale > b->scale ? a->scale : b->scale;
    if (scale > mx) mx = scale;
    int ps = full < mx ? full : mx;
    if (!budget_ok(c, total_digits(a) + total_digits(b))) return NULL;
    BcNum *r = num_new();
    if (a->n && b->n) {
        ensure(r, a->n + b->n);
        mag_mul(c, r->d, a->d, a->n, b->d, b->n);
        if (c && c->stopped) {
            num_free(r);
            return NULL;
        }
        r->n = a->n + b->n;
        r->neg = num_is_neg(a) != num_is_neg(b);
        trim(r);
    }
    r->scale = full;
    div_pow10(r, full - ps);
    r->scale = ps;
    return r;
}

BcNum *num_div(NumCtx *c, const BcNum *a, const BcNum *b, int scale, bool *divzero) {
    *divzero = false;
    if (num_is_zero(b)) {
        *divzero = true;
        return NULL;
    }
    long e = (long)scale + b->scale - a->scale;
    if (!budget_ok(c, total_digits(a) + (e > 0 ? e : 0))) return NULL;
    BcNum *x = num_copy(a);
    x->neg = false;
    if (e >= 0) mul_pow10(x, e);
    else div_pow10(x, -e);
    BcNum *y = num_copy(b);
    y->neg = false;
    BcNum *q = num_new();
    mag_divmod(x, y, q, c);
    q->scale = scale;
    q->neg = num_is_neg(a) != num_is_neg(b);
    trim(q);
    num_free(x);
    num_free(y);
    if (c && c->stopped) {
        num_free(q);
        return NULL;
    }
    return q;
}

BcNum *num_mod(NumCtx *c, const BcNum *a, const BcNum *b, int scale, bool *divzero) {
    int rscale = b->scale + scale;
    if (a->scale > rscale) rscale = a->scale;
    BcNum *q = num_div(c, a, b, scale, divzero);
    if (!q) return NULL;
    BcNum *t = num_mul(c, q, b, rscale);
    num_free(q);
    if (!t) return NULL;
    BcNum *r = num_sub(c, a, t, rscale);
    num_free(t);
    return r;
}

BcNum *num_trunc(NumCtx *c, const BcNum *a, int scale) {
    (void)c;
    BcNum *r = num_copy(a);
    if (scale < r->scale) {
        div_pow10(r, r->scale - scale);
        r->scale = scale;
    }
    return r;
}

BcNum *num_rescale(NumCtx *c, const BcNum *a, int s) {
    if (!budget_ok(c, total_digits(a) + s)) return NULL;
    BcNum *r = num_copy(a);
    if (s > r->scale) mul_pow10(r, s - r->scale);
    else div_pow10(r, r->scale - s);
    r->scale = s;
    trim(r);
    return r;
}

/* ---------------------------------------------------------------- raise, sqrt */

BcNum *num_raise(NumCtx *c, const BcNum *num1, const BcNum *num2, int scale, int *warn, bool *too_large) {
    *warn = 0;
    *too_large = false;
    if (num2->scale != 0) *warn = 1;
    long long exponent = num_to_long(num2);
    if (exponent == 0 && total_digits(num2) > num2->scale) *too_large = true; /* the integer part overflowed */
    if (exponent == 0) return num_from_long(1);
    bool neg = exponent < 0;
    unsigned long long ue = neg ? 0ull - (unsigned long long)exponent : (unsigned long long)exponent;
    long long rscale;
    if (neg) {
        rscale = scale;
    } else {
        unsigned long long mx = (unsigned long long)(scale > num1->scale ? scale : num1->scale);
        unsigned long long prod = (unsigned long long)num1->scale * ue;
        if (num1->scale && prod / (unsigned long long)num1->scale != ue) prod = ULLONG_MAX;
        rscale = (long long)(prod < mx ? prod : mx);
    }
    BcNum *power = num_copy(num1);
    long long pwrscale = num1->scale;
    while ((ue & 1) == 0) {
        pwrscale <<= 1;
        if (pwrscale > INT_MAX) pwrscale = INT_MAX;
        BcNum *t = num_mul(c, power, power, (int)pwrscale);
        num_free(power);
        if (!t || (c && c->stopped)) { num_free(t); return NULL; }
        power = t;
        ue >>= 1;
    }
    BcNum *temp = num_copy(power);
    long long calcscale = pwrscale;
    ue >>= 1;
    while (ue > 0) {
        if (c && c->stop && c->stop(c->stop_ctx)) {
            c->stopped = true;
            break;
        }
        pwrscale <<= 1;
        if (pwrscale > INT_MAX) pwrscale = INT_MAX;
        BcNum *t = num_mul(c, power, power, (int)pwrscale);
        num_free(power);
        if (!t) { num_free(temp); return NULL; }
        power = t;
        if (ue & 1) {
            calcscale = pwrscale + calcscale;
            if (calcscale > INT_MAX) calcscale = INT_MAX;
            t = num_mul(c, temp, power, (int)calcscale);
            num_free(temp);
            if (!t) { num_free(power); return NULL; }
            temp = t;
        }
        ue >>= 1;
    }
    num_free(power);
    if (c && c->stopped) {
        num_free(temp);
        return NULL;
    }
    if (neg) {
        bool dz;
        BcNum *one = num_from_long(1);
        BcNum *r = num_div(c, one, temp, (int)rscale, &dz);
        num_free(one);
        num_free(temp);
        return r; /* NULL with dz when the base is zero */
    }
    if (temp->scale > rscale) {
        BcNum *t = num_trunc(c, temp, (int)rscale);
        num_free(temp);
        temp = t;
    }
    return temp;
}

BcNum *num_sqrt(NumCtx *c, const BcNum *num, int scale, bool *negative) {
    *negative = false;
    BcNum *zero = num_from_long(0), *one = num_from_long(1);
    int cmp = num_cmp(num, zero);
    if (cmp < 0) {
        *negative = true;
        num_free(zero);
        num_free(one);
        return NULL;
    }
    if (cmp == 0 || num_cmp(num, one) == 0) {
        BcNum *r = cmp == 0 ? zero : one;
        num_free(cmp == 0 ? one : zero);
        return r;
    }
    cmp = num_cmp(num, one);
    int rscale = scale > num->scale ? scale : num->scale;
    BcNum *point5 = num_from_long(5);
    point5->scale = 1;
    BcNum *guess, *guess1 = NULL, *diff;
    int cscale;
    if (cmp < 0) {
        guess = num_from_long(1);
        cscale = num->scale;
    } else {
        BcNum *ten = num_from_long(10);
        BcNum *half = num_from_long(num_len(num) / 2);
        int w, tl;
        bool too;
        (void)tl;
        guess = num_raise(c, ten, half, 0, &w, &too);
        num_free(ten);
        num_free(half);
        cscale = 3;
    }
    bool done = false;
    while (!done && guess) {
        if (c && c->stop && c->stop(c->stop_ctx)) {
            c->stopped = true;
            break;
        }
        num_free(guess1);
        guess1 = num_copy(guess);
        bool dz;
        BcNum *t = num_div(c, num, guess, cscale, &dz);
        num_free(guess);
        if (!t) { guess = NULL; break; }
        BcNum *t2 = num_add(c, t, guess1, 0);
        num_free(t);
        if (!t2) { guess = NULL; break; }
        guess = num_mul(c, t2, point5, cscale);
        num_free(t2);
        if (!guess) break;
        diff = num_sub(c, guess, guess1, cscale + 1);
        if (!diff) break;
        if (num_is_near_zero(diff, cscale)) {
            if (cscale < rscale + 1) cscale = (cscale * 3 < rscale + 1) ? cscale * 3 : rscale + 1;
            else done = true;
        }
        num_free(diff);
    }
    BcNum *r = NULL;
    if (guess && done) {
        bool dz;
        r = num_div(c, guess, one, rscale, &dz);
    }
    num_free(guess);
    num_free(guess1);
    num_free(point5);
    num_free(zero);
    num_free(one);
    return r;
}

/* ---------------------------------------------------------------- text */

static char *mag_to_decimal(const BcNum *a) {
    if (!a->n) return xstrdup("0");
    char *s = xmalloc((size_t)a->n * 9 + 1);
    size_t k = (size_t)snprintf(s, 10, "%u", a->d[a->n - 1]);
    for (int i = a->n - 2; i >= 0; i--) k += (size_t)snprintf(s + k, 10, "%09u", a->d[i]);
    s[k] = 0;
    return s;
}

char *num_int_digits(const BcNum *a) {
    BcNum *t = num_copy(a);
    div_pow10(t, t->scale);
    char *s = mag_to_decimal(t);
    num_free(t);
    return s;
}

char *num_frac_digits(const BcNum *a) {
    char *all = mag_to_decimal(a);
    size_t n = strlen(all);
    size_t sc = (size_t)a->scale;
    char *r = xmalloc(sc + 1);
    if (!a->n) {
        memset(r, '0', sc);
    } else if (n >= sc) {
        memcpy(r, all + n - sc, sc);
    } else {
        memset(r, '0', sc - n);
        memcpy(r + sc - n, all, n);
    }
    r[sc] = 0;
    free(all);
    return r;
}

BcNum *num_from_decimal(const char *s, size_t n) {
    BcNum *r = num_new();
    int scale = 0;
    bool in_frac = false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '.') {
            in_frac = true;
            continue;
        }
        if (s[i] < '0' || s[i] > '9') continue;
        if (in_frac) scale++;
    }
    /* accumulate 9 digits at a time from the most significant end */
    uint32_t chunk = 0;
    int cd = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') continue;
        chunk = chunk * 10 + (uint32_t)(s[i] - '0');
        if (++cd == 9) {
            mul_pow10(r, 9);
            if (!r->n && chunk) { ensure(r, 1); r->n = 1; r->d[0] = 0; }
            ensure(r, r->n + 1);
            if (!r->n) { r->n = 1; r->d[0] = 0; }
            uint32_t cy = chunk;
            for (int k = 0; cy && k <= r->n; k++) {
                if (k == r->n) { r->d[r->n++] = 0; }
                uint32_t v = r->d[k] + cy;
                cy = v >= BASE;
                r->d[k] = cy ? v - BASE : v;
            }
            trim(r);
            chunk = 0;
            cd = 0;
        }
    }
    if (cd) {
        if (r->n) {
            ensure(r, r->n + 1);
            num_mul_small(r, pow10_u32[cd]);
        }
        ensure(r, r->n + 1);
        if (!r->n) { r->n = 1; r->d[0] = 0; }
        uint32_t cy = chunk;
        for (int k = 0; cy; k++) {
            if (k == r->n) { ensure(r, r->n + 1); r->d[r->n++] = 0; }
            uint32_t v = r->d[k] + cy;
            cy = v >= BASE;
            r->d[k] = cy ? v - BASE : v;
        }
        trim(r);
    }
    r->scale = scale;
    return r;
}

/* ---------------------------------------------------------------- output (GNU's bc_out_num) */

static void out_long(NumOut out, void *ctx, long long val, int size, bool space) {
    char digits[40];
    if (space) out(ctx, ' ');
    int len = snprintf(digits, sizeof digits, "%lld", val);
    for (; size > len; size--) out(ctx, '0');
    for (int i = 0; i < len; i++) out(ctx, digits[i]);
}

/* Polled once per output digit: printing a long number in another base is a
 * loop of small operations that never poll themselves. */
static bool print_stop(NumCtx *nc, size_t *count) {
    if ((++*count & 63) != 0 || !nc->stop) return nc->stopped;
    if (nc->stop(nc->stop_ctx)) nc->stopped = true;
    return nc->stopped;
}

void num_print(NumCtx *nc, const BcNum *num, int obase, NumOut out, void *ctx) {
    static const char ref[] = "0123456789ABCDEF";
    if (num_is_neg(num)) out(ctx, '-');
    if (num_is_zero(num)) {
        out(ctx, '0');
        return;
    }
    if (obase == 10) {
        char *ip = num_int_digits(num);
        if (strcmp(ip, "0") != 0) for (const char *q = ip; *q; q++) out(ctx, *q);
        free(ip);
        if (num->scale > 0) {
            char *fp = num_frac_digits(num);
            out(ctx, '.');
            for (const char *q = fp; *q; q++) out(ctx, *q);
            free(fp);
        }
        return;
    }
    BcNum *pos = num_copy(num);
    pos->neg = false;
    BcNum *ip = num_trunc(nc, pos, 0);
    BcNum *fp = num_sub(nc, pos, ip, 0);
    BcNum *base = num_from_long(obase);
    BcNum *maxd = num_from_long(obase - 1);
    int width = num_len(maxd);
    /* the integer part's digits, most significant first */
    long long *dig = NULL;
    size_t nd = 0, cap = 0, polls = 0;
    while (ip && !num_is_zero(ip) && !print_stop(nc, &polls)) {
        bool dz;
        BcNum *q = num_div(nc, ip, base, 0, &dz);
        BcNum *m = q ? num_mul(nc, q, base, 0) : NULL;
        BcNum *r = m ? num_sub(nc, ip, m, 0) : NULL;
        if (!r) { num_free(q); num_free(m); break; }
        if (nd == cap) {
            cap = cap ? cap * 2 : 16;
            dig = xrealloc(dig, cap * sizeof *dig);
        }
        dig[nd++] = num_to_long(r);
        num_free(m);
        num_free(r);
        num_free(ip);
        ip = q;
    }
    for (size_t i = nd; i-- > 0;) {
        if (obase <= 16) out(ctx, ref[dig[i]]);
        else out_long(out, ctx, dig[i], width, true);
    }
    free(dig);
    if (num->scale > 0 && fp) {
        out(ctx, '.');
        bool pre_space = false;
        BcNum *t = num_from_long(1);
        while (num_len(t) <= num->scale && !print_stop(nc, &polls)) {
            BcNum *f2 = num_mul(nc, fp, base, num->scale);
            if (!f2) break;
            long long d = num_to_long(f2);
            BcNum *dn = num_from_long(d);
            num_free(fp);
            fp = num_sub(nc, f2, dn, 0);
            num_free(f2);
            num_free(dn);
            if (obase <= 16) out(ctx, ref[d]);
            else {
                out_long(out, ctx, d, width, pre_space);
                pre_space = true;
            }
            BcNum *t2 = num_mul(nc, t, base, 0);
            num_free(t);
            t = t2;
            if (!t || !fp) break;
        }
        num_free(t);
    }
    num_free(pos);
    num_free(ip);
    num_free(fp);
    num_free(base);
    num_free(maxd);
}

