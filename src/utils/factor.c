/* factor.c - the factor utility for numbers below 2^64: trial division by
 * small primes, then Miller-Rabin (deterministic bases) and Pollard's rho. */
#include "ucommon.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef unsigned __int128 u128;

static uint64_t mulmod(uint64_t a, uint64_t b, uint64_t m) { return (uint64_t)((u128)a * b % m); }

static uint64_t powmod(uint64_t b, uint64_t e, uint64_t m) {
    uint64_t r = 1;
    for (b %= m; e; e >>= 1, b = mulmod(b, b, m))
        if (e & 1) r = mulmod(r, b, m);
    return r;
}

static bool is_prime(uint64_t n) {
    if (n < 2) return false;
    static const uint64_t bases[] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37};
    for (size_t i = 0; i < 12; i++)
        if (n % bases[i] == 0) return n == bases[i];
    uint64_t d = n - 1;
    int s = 0;
    while (!(d & 1)) d >>= 1, s++;
    for (size_t i = 0; i < 12; i++) {
        uint64_t x = powmod(bases[i], d, n);
        if (x == 1 || x == n - 1) continue;
        bool composite = true;
        for (int j = 1; j < s && composite; j++) {
            x = mulmod(x, x, n);
            if (x == n - 1) composite = false;
        }
        if (composite) return false;
    }
    return true;
}

static uint64_t gcd(uint64_t a, uint64_t b) {
    while (b) {
        uint64_t t = a % b;
        a = b, b = t;
    }
    return a;
}

/* A non-trivial factor of the odd composite n (Brent's variant). */
static uint64_t rho(uint64_t n) {
    for (uint64_t c = 1;; c++) {
        uint64_t y = 2, x = 2, d = 1, q = 1, ys = 2;
        uint64_t r = 1;
        do {
            x = y;
            for (uint64_t i = 0; i < r; i++) y = (mulmod(y, y, n) + c) % n;
            for (uint64_t k = 0; k < r && d == 1; k += 128) {
                ys = y;
                for (uint64_t i = 0; i < 128 && i < r - k; i++) {
                    y = (mulmod(y, y, n) + c) % n;
                    q = mulmod(q, x > y ? x - y : y - x, n);
                }
                d = gcd(q, n);
            }
            r *= 2;
        } while (d == 1);
        if (d == n) {
            do {
                ys = (mulmod(ys, ys, n) + c) % n;
                d = gcd(x > ys ? x - ys : ys - x, n);
            } while (d == 1);
        }
        if (d != n) return d;
    }
}

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static size_t factorize(uint64_t n, uint64_t *out) {
    size_t k = 0;
    for (uint64_t p = 2; p < 1000 && p * p <= n; p += p == 2 ? 1 : 2)
        while (n % p == 0) out[k++] = p, n /= p;
    uint64_t stack[64];
    size_t top = 0;
    if (n > 1) stack[top++] = n;
    while (top) {
        uint64_t m = stack[--top];
        if (is_prime(m)) {
            out[k++] = m;
            continue;
        }
        uint64_t d = rho(m);
        stack[top++] = d;
        stack[top++] = m / d;
    }
    qsort(out, k, sizeof *out, cmp_u64);
    return k;
}

static bool factor_one(UtilCtx *c, UOut *out, const char *text) {
    const char *s = text;
    while (isspace((unsigned char)*s)) s++;
    if (*s == '+') s++;
    size_t len = strlen(s);
    while (len && isspace((unsigned char)s[len - 1])) len--;
    bool digits = len && strspn(s, "0123456789") >= len;
    uint64_t n = 0;
    bool big = false;
    for (size_t i = 0; digits && i < len; i++) {
        if (n > (UINT64_MAX - (uint64_t)(s[i] - '0')) / 10) big = true;
        n = n * 10 + (uint64_t)(s[i] - '0');
    }
    if (!digits || big) {
        char *q = u_quote(text);
        uout_flush(out);
        if (big) uc_error(c, "%s is too large", q);
        else uc_error(c, "%s is not a valid positive integer", q);
        free(q);
        return false;
    }
    uint64_t f[64];
    size_t k = factorize(n, f);
    uout_printf(out, "%ju:", (uintmax_t)n);
    for (size_t i = 0; i < k; i++) uout_printf(out, " %ju", (uintmax_t)f[i]);
    uout_putc(out, '\n');
    return true;
}

int util_factor_main(UtilCtx *c, int argc, char **argv) {
    UOpts o;
    uopt_init(&o, c, argc, argv, "h", NULL);
    o.neg_numbers = true;
    int k, r = -1;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) {
        if (k == 'h') continue; /* --exponents: printed expanded */
        r = k == UO_HELP ? u_help(c, "[OPTION] [NUMBER]...") : k == UO_VERSION ? u_version(c) : 1;
    }
    if (r >= 0) {
        uopt_free(&o);
        return r;
    }
    UOut out;
    uout_init(&out, c, 1);
    int status = 0;
    for (size_t i = 0; i < o.ops.n; i++)
        if (!factor_one(c, &out, o.ops.v[i])) status = 1;
    if (!o.ops.n) {
        UcFile *f = uc_open(c, "-", "r");
        char *line = NULL;
        size_t cap = 0;
        StrBuf tok;
        sb_init(&tok);
        while (f && uc_getdelim(f, &line, &cap, '\n') >= 0 && !uc_should_stop(c)) {
            for (char *p = line; *p;) {
                while (*p && isspace((unsigned char)*p)) p++;
                if (!*p) break;
                sb_clear(&tok);
                while (*p && !isspace((unsigned char)*p)) sb_putc(&tok, *p++);
                if (!factor_one(c, &out, sb_cstr(&tok))) status = 1;
            }
        }
        sb_free(&tok);
        free(line);
        if (f) uc_close(f);
    }
    if (uout_close(&out)) status = 1;
    uopt_free(&o);
    return status;
}
