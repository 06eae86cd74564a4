/* common.c - see common.h */
#include "common.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void out_of_memory(void) {
    fputs("wasmsh: out of memory\n", stderr);
    abort();
}

void *xmalloc(size_t n) {
    void *p = malloc(n ? n : 1);
    if (!p) out_of_memory();
    return p;
}

void *xcalloc(size_t n, size_t size) {
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) out_of_memory();
    return p;
}

void *xrealloc(void *p, size_t n) {
    void *q = realloc(p, n ? n : 1);
    if (!q) out_of_memory();
    return q;
}

char *xstrdup(const char *s) { return xstrndup(s, strlen(s)); }

char *xstrndup(const char *s, size_t n) {
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

void sb_init(StrBuf *b) { b->s = NULL; b->len = b->cap = 0; }
void sb_free(StrBuf *b) { free(b->s); sb_init(b); }
void sb_clear(StrBuf *b) { b->len = 0; if (b->s) b->s[0] = 0; }

void sb_reserve(StrBuf *b, size_t extra) {
    size_t need = b->len + extra + 1;
    if (need <= b->cap) return;
    size_t cap = b->cap ? b->cap * 2 : 32;
    while (cap < need) cap *= 2;
    b->s = xrealloc(b->s, cap);
    b->cap = cap;
}

void sb_putc(StrBuf *b, char c) {
    if (b->len + 2 > b->cap) sb_reserve(b, 1);
    b->s[b->len++] = c;
    b->s[b->len] = 0;
}

void sb_put(StrBuf *b, const char *s, size_t n) {
    sb_reserve(b, n);
    if (n) memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = 0;
}

void sb_puts(StrBuf *b, const char *s) { sb_put(b, s, strlen(s)); }

void sb_vprintf(StrBuf *b, const char *fmt, va_list ap) {
    va_list ap2;
    va_copy(ap2, ap);
    char tmp[256];
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    if (n < 0) { va_end(ap2); return; }
    if ((size_t)n < sizeof tmp) {
        sb_put(b, tmp, (size_t)n);
    } else {
        sb_reserve(b, (size_t)n);
        vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap2);
        b->len += (size_t)n;
    }
    va_end(ap2);
}

void sb_printf(StrBuf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(b, fmt, ap);
    va_end(ap);
}

const char *sb_cstr(StrBuf *b) { return b->s ? b->s : ""; }

char *sb_take(StrBuf *b) {
    char *s = b->s ? b->s : xstrdup("");
    sb_init(b);
    return s;
}

void sl_init(StrList *l) { l->v = NULL; l->n = l->cap = 0; }

void sl_push(StrList *l, char *owned) {
    if (l->n + 2 > l->cap) {
        l->cap = l->cap ? l->cap * 2 : 8;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = owned;
    l->v[l->n] = NULL;
}

void sl_push_copy(StrList *l, const char *s) { sl_push(l, xstrdup(s)); }

void sl_clear(StrList *l) {
    for (size_t i = 0; i < l->n; i++) free(l->v[i]);
    l->n = 0;
    if (l->v) l->v[0] = NULL;
}

void sl_free(StrList *l) {
    sl_clear(l);
    free(l->v);
    sl_init(l);
}

bool parse_int64(const char *s, int64_t *out) {
    while (*s == ' ' || *s == '\t' || *s == '\n') s++;
    if (!*s) return false;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (end == s) return false;
    while (*end == ' ' || *end == '\t' || *end == '\n') end++;
    if (*end) return false;
    *out = (int64_t)v;
    return true;
}

#ifdef __wasm_simd128__
#include <wasm_simd128.h>

const char *mem_find(const char *p, char c, size_t n) {
    const v128_t k = wasm_i8x16_splat(c);
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        uint32_t hits = wasm_i8x16_bitmask(wasm_i8x16_eq(wasm_v128_load(p + i), k));
        if (hits) return p + i + __builtin_ctz(hits);
    }
    for (; i < n; i++)
        if (p[i] == c) return p + i;
    return NULL;
}
#endif

/* Standard base64 with padding (RFC 4648), for HTTP Basic credentials,
 * the fetch broker's bodies and rg --json's non-UTF-8 data. */
void sb_put_base64(StrBuf *b, const char *s, size_t n) {
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    for (; i + 2 < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];
        char q[4] = {tab[v >> 18], tab[(v >> 12) & 63], tab[(v >> 6) & 63], tab[v & 63]};
        sb_put(b, q, 4);
    }
    if (i < n) {
        unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0);
        char q[4] = {tab[v >> 18], tab[(v >> 12) & 63], i + 1 < n ? tab[(v >> 6) & 63] : '=', '='};
        sb_put(b, q, 4);
    }
}
