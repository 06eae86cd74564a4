/* mbchar.h - multibyte characters for the utilities that care about the
 * locale (wc -m -L -w, rev, column, ...): UTF-8 decoding as glibc's mbrtowc
 * does it, and character widths and classes as in glibc's C.UTF-8. Other
 * locales are single-byte (C, POSIX). */
#ifndef WASMSH_MBCHAR_H
#define WASMSH_MBCHAR_H

#include "util.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True when the command's locale (LC_ALL, else LC_CTYPE, else LANG, as
 * exported to it) is a UTF-8 one. */
bool mb_utf8_locale(UtilCtx *c);

/* Decodes the character at p (n > 0 bytes available). Returns its length
 * (1..6) and sets *cp; 0 when p[0..n) is an incomplete but so far valid
 * sequence (more bytes may complete it); -1 when p[0] cannot start a valid
 * character here (an invalid byte: skip one). Overlong forms and surrogates
 * are invalid; forms above U+10FFFF up to 0x7FFFFFFF are accepted, as glibc
 * does. */
int mb_decode(const char *p, size_t n, uint32_t *cp);

/* wcwidth: -1 when not printable, else 0, 1 or 2 columns. */
int mb_width(uint32_t cp);
/* iswspace of C.UTF-8 (the ASCII spaces, U+1680, U+2000-2006, U+2008-200A,
 * U+2028, U+2029, U+205F, U+3000). */
bool mb_isspace(uint32_t cp);
/* The no-break spaces U+00A0, U+2007, U+202F, U+2060 (GNU wc counts them as
 * word separators). */
bool mb_isnbspace(uint32_t cp);
/* Appends the UTF-8 encoding of cp (up to 6 bytes) to out; returns its length. */
size_t mb_encode(uint32_t cp, char *out);

#endif
