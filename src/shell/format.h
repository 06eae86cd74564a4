/* format.h - text formatting shared by builtins and utilities: printf's
 * format engine, backslash escapes (echo -e, %b, $'..'), and quoting. */
#ifndef WASMSH_FORMAT_H
#define WASMSH_FORMAT_H

#include "common.h"

/* printf FORMAT ARGS... as bash 5.2's builtin (options such as -v and `--`
 * are the caller's). Reuses the format while arguments remain, provided it
 * consumed any (otherwise it runs once); missing arguments are "" or 0.
 * Conversions d i o u x X f F e E g G a A c s b q Q n %% and %(strftime)T, with
 * flags # - + space 0 (' is accepted and ignored), widths and precisions
 * including * and .*, and length modifiers h j l L t z ignored. Escapes in the
 * format: \a \b \e \E \f \n \r \t \v \\ \" \' \? \NNN \xHH \uHHHH \UHHHHHHHH
 * (\c stays literal there).
 * Numeric arguments: C syntax (decimal, 0octal, 0xhex) with leading blanks and
 * a sign, or 'c / "c for the character's code (UTF-8 decoded). Garbage gives
 * `printf: ARG: invalid number` (or `invalid octal number` / `invalid hex
 * number` for 0N... / 0x...), the value parsed so far is used and the final
 * status is 1; overflow clamps with `printf: warning: ARG: Numerical result
 * out of range` (status unaffected).
 * %b expands its argument as echo -e does, plus \NNN; \c there ends ALL
 * output at once and the status is then 0, as in bash (there is no separate
 * stop flag: the output simply ends).
 * %q / %Q quote as quote_backslash (%Q applies the precision before quoting).
 * %(fmt)T: argument seconds since the epoch; none, -1 and -2 mean now (bash's
 * -2 is the shell's start time); empty fmt means %X; localtime() with the
 * process's TZ. %n only validates the variable name (`printf: `1x': not a
 * valid identifier`, status 1): this API cannot assign, the caller may.
 * An unknown conversion stops with `printf: `z': invalid format character`, a
 * format ending inside a spec with `printf: `%5': missing format character`,
 * both status 1 with the earlier output kept.
 * Floats are parsed and printed as double where bash uses x87 long double: the
 * same for most formats, but digits beyond double precision differ (e.g.
 * printf '%.20f' 0.1), values beyond double range become inf/0, and %a, which
 * is emulated in long double layout (0x8p-3 for 1), differs in the last
 * digits of values that are not exact doubles.
 * Writes to out; appends diagnostics (`printf: ...`, one per line, without
 * the shell-name prefix) to err. Returns 0, or 1. */
int format_printf(StrBuf *out, const char *fmt, char *const *args, int nargs, StrBuf *err, bool utf8);

/* printf's "%<flags><width>.<prec>f" of a double, byte for byte as the C
 * library prints it (the exact binary value, rounded half to even), without
 * the C library, whose float printing is slow in the wasm builds. flags: any
 * of "-+ 0#". False, with nothing appended, outside its range (prec over 17,
 * |d| of 2^53 or more, inf, nan): the caller then uses printf. */
bool format_fixed(StrBuf *out, double d, int width, int prec, const char *flags);
/* "%<flags><width>.<prec><conv>" of a double for conv e E f F g G, byte for
 * byte as glibc prints it, for every double: the exact binary value rounded
 * half to even, %g's choice of form and removal of trailing zeros, inf, nan
 * and -nan (space-padded even with '0'), -0, and glibc's "1.e+02" for
 * printf("%#.3g", 99.96). flags: any of "-+ 0#". No C library either (%f
 * takes format_fixed's path when it can). False, with nothing appended, for
 * another conv or a prec outside 0..4096. */
bool format_general(StrBuf *out, double d, int width, int prec, const char *flags, char conv);
/* The same, stopping once out would hold more than max_out bytes (a width of
 * 2^31 must not allocate gigabytes): then returns FORMAT_TOO_LARGE with out
 * cut short, and the caller reports its memory budget. */
enum { FORMAT_TOO_LARGE = 3 };
int format_printf_bounded(StrBuf *out, const char *fmt, char *const *args, int nargs, StrBuf *err,
                          size_t max_out, bool utf8);

/* echo -e escapes: \a \b \e \E \f \n \r \t \v \\, \0NNN (0 and up to three
 * octal digits; \NNN without the 0 stays literal), \xHH, \uHHHH, \UHHHHHHHH
 * (UTF-8, 5/6-byte forms above U+10FFFF, nothing above 0x7FFFFFFF); unknown
 * escapes, \' \" \? and a trailing backslash stay as they are. Returns true
 * if \c was seen: output stops there (echo then prints no newline). */
bool format_echo_escapes(StrBuf *out, const char *s, size_t n);

/* The body of $'...' (without the quotes): as echo -e, but octal is \NNN
 * (one to three digits, leading 0 or not), \x{HHH...} is accepted, \cX is a
 * control character (\c? is DEL; \c\\ is FS), \' \" \? lose the backslash.
 * A NUL produced by an escape ends the string, as in bash. */
void format_ansi_c(StrBuf *out, const char *s, size_t n);

/* Quoting, each exactly as bash prints it. All four switch to $'...'
 * (\n \t \E ..., \' \\, other bytes as \NNN octal; printable UTF-8 kept)
 * when s holds a character that is not printable: a control character, and
 * with utf8 (a UTF-8 locale) invalid UTF-8 or a non-printable code point (C1
 * controls, U+2028/9, noncharacters; unlike glibc, unassigned code points
 * count as printable), without it (the C locale) any byte from 0x80 up.
 *
 * printf %q: backslashes before space ! " $ & ' ( ) * , ; < > ? [ \ ] ^ ` { | },
 * before # at the start and ~ at the start or after = or :. "" gives ''.
 *   a b -> a\ b    it's -> it\'s    ~x -> \~x    a=~ -> a=\~ */
void quote_backslash(StrBuf *out, const char *s, bool utf8);
/* ${v@Q}: 'a b', 'it'\''s', '' for empty, and \' for a lone quote. */
void quote_single(StrBuf *out, const char *s, bool utf8);
/* declare -p scalar values and every array element in declare -p and set
 * (declare -a a=([0]="x" [1]="y z")): "..." with \ " $ ` escaped; "" for
 * empty.   a"b$c -> "a\"b\$c" */
void quote_double(StrBuf *out, const char *s, bool utf8);
/* How `set` lists scalar values: as is unless s holds a space, tab, newline,
 * ' " \ | & ; ( ) < > ! { } * [ ? ] ^ $ `, or # at the start, or ~ at the
 * start or after = or :; then quote_single's form. Empty stays empty (x=). */
void quote_if_needed(StrBuf *out, const char *s, bool utf8);
/* Whether quote_if_needed would quote s (declare -p quotes such keys: ["a b"]). */
bool quote_needed(const char *s, bool utf8);

#endif
