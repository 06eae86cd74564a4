/* common.h - small shared building blocks: growable strings, string lists,
 * checked allocation. Every subsystem uses these instead of rolling its own. */
#ifndef WASMSH_COMMON_H
#define WASMSH_COMMON_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Allocation. Exhaustion of the host allocator is unrecoverable: these print a
 * message and abort. Budget checks (memory caps per run) happen above this
 * layer, before large allocations are attempted. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* A growable byte string, always NUL-terminated (s may be NULL while cap==0). */
typedef struct StrBuf {
    char *s;
    size_t len, cap;
} StrBuf;

void sb_init(StrBuf *b);
void sb_free(StrBuf *b);
void sb_clear(StrBuf *b);
void sb_reserve(StrBuf *b, size_t extra);
void sb_putc(StrBuf *b, char c);
void sb_put(StrBuf *b, const char *s, size_t n);
void sb_puts(StrBuf *b, const char *s);
void sb_printf(StrBuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vprintf(StrBuf *b, const char *fmt, va_list ap);
void sb_put_base64(StrBuf *b, const char *s, size_t n); /* RFC 4648, padded */
const char *sb_cstr(StrBuf *b);      /* never NULL */
char *sb_take(StrBuf *b);            /* caller owns the result; b is reset */

/* A growable list of owned C strings. v[n] is always NULL (argv-compatible). */
typedef struct StrList {
    char **v;
    size_t n, cap;
} StrList;

void sl_init(StrList *l);
void sl_push(StrList *l, char *owned);
void sl_push_copy(StrList *l, const char *s);
void sl_free(StrList *l);
void sl_clear(StrList *l);

/* Integer parsing in the style of bash: optional sign and surrounding blanks. */
bool parse_int64(const char *s, int64_t *out);

/* memchr for the hot line-splitting loops: 16 bytes at a time with SIMD in
 * the wasm builds (their libc's memchr looks at 4), the C library's natively
 * (glibc's is vectorized already). */
#ifdef __wasm_simd128__
const char *mem_find(const char *p, char c, size_t n);
#else
#include <string.h>
static inline const char *mem_find(const char *p, char c, size_t n) { return memchr(p, c, n); }
#endif

#endif
