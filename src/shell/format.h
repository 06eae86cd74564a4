/* format.h - text formatting shared by builtins and utilities: printf's
 * format engine, backslash escapes (echo -e, %b, $'..'), and quoting. */
#ifndef WASMSH_FORMAT_H
#define WASMSH_FORMAT_H

#include "common.h"

/* printf FORMAT ARGS... as bash's builtin: reuses the format while arguments
 * remain, supports every conversion (d i o u x X f F e E g G a A c s b q Q and
 * %(fmt)T), flags, widths, precision and '*', and the escapes in the format.
 * Numeric arguments accept 'c / "c (the character's code) and C integer syntax.
 * Writes to out; appends diagnostics (e.g. `printf: abc: invalid number`, one
 * per line, without the shell-name prefix) to err. Returns 0, or 1 if an
 * argument was invalid. *stop is set when %b met \c (stop all output). */
int format_printf(StrBuf *out, const char *fmt, char *const *args, int nargs, StrBuf *err);

/* Backslash escapes as echo -e / %b (\a \b \c \e \E \f \n \r \t \v \\ \0nnn
 * \xHH \uHHHH \UHHHHHHHH). Returns true if \c was seen (output stops there). */
bool format_echo_escapes(StrBuf *out, const char *s, size_t n);

/* $'...' escapes (\nnn octal without leading 0, \cX, \', \", \?), appended to out. */
void format_ansi_c(StrBuf *out, const char *s, size_t n);

/* Quoting. printf %q style (backslashes, $'..' for control characters): */
void quote_backslash(StrBuf *out, const char *s);
/* ${v@Q} and declare -p style: '...' with '\'' , or $'..' if s has control chars. */
void quote_single(StrBuf *out, const char *s);
/* declare -p / set style value quoting: as bash prints values in `declare -p`
 * ("..." with \\ \" \$ \` escaped) */
void quote_double(StrBuf *out, const char *s);
/* Quote only if needed, as `set` lists variables and `declare -p` array elements. */
void quote_if_needed(StrBuf *out, const char *s);

#endif
