/* test_format.c - unit tests for format.c. Every expectation was produced by
 * bash 5.2.15 (glibc, C.UTF-8, TZ=UTC): `printf` for the printf rows, `echo -e`
 * for the echo rows, `printf %s $'...'` for the ANSI-C rows, and
 * printf %q / ${v@Q} / declare -p / set for the quoting rows. Cases where bash's
 * long double gives other digits than our double are left out (see format.h).
 *
 * Build: gcc -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE -Isrc/shell \
 *        src/shell/common.c src/shell/format.c test/unit/test_format.c */
#include "format.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define OUT(s) s, sizeof(s) - 1

typedef struct Counts {
    int pass, fail;
} Counts;

/* Compares n bytes of got with the expectation; prints both on a mismatch. */
static void check_bytes(Counts *c, const char *what, const char *input, const char *got, size_t gotlen,
                        const char *want, size_t wantlen) {
    if (gotlen == wantlen && memcmp(got, want, wantlen) == 0) {
        c->pass++;
        return;
    }
    c->fail++;
    printf("FAIL %s [%s]\n  want (%zu) [%.*s]\n  got  (%zu) [%.*s]\n", what, input, wantlen, (int)wantlen, want,
           gotlen, (int)gotlen, got);
}

static void check_int(Counts *c, const char *what, const char *input, int got, int want) {
    if (got == want) {
        c->pass++;
        return;
    }
    c->fail++;
    printf("FAIL %s [%s]: want %d, got %d\n", what, input, want, got);
}

typedef struct PrintfCase {
    const char *fmt;
    const char *args[20];
    const char *out;
    size_t outlen;
    const char *err;
    int status;
} PrintfCase;

static const PrintfCase printf_cases[] = {
    {"%d|", {"5", " 6", "7 ", " 8 ", "0x1f", "010", "'A", "\"B", "", "abc", "12abc", NULL}, OUT("5|6|7|8|31|8|65|66|0|0|12|"), "printf: 7 : invalid number\nprintf:  8 : invalid number\nprintf: abc: invalid number\nprintf: 12abc: invalid number\n", 1},
    {"%d", {"99999999999999999999", NULL}, OUT("9223372036854775807"), "printf: warning: 99999999999999999999: Numerical result out of range\n", 0},
    {"%u|", {"-1", "99999999999999999999", NULL}, OUT("18446744073709551615|18446744073709551615|"), "printf: warning: 99999999999999999999: Numerical result out of range\n", 0},
    {"%x|", {"-1", NULL}, OUT("ffffffffffffffff|"), "", 0},
    {"%z", {"1", NULL}, OUT(""), "printf: `%z': missing format character\n", 1},
    {"ab%", {NULL}, OUT("ab"), "printf: `%': missing format character\n", 1},
    {"%ld %hd %lld %jd %zd %td %Ld|", {"1", "2", "3", "4", "5", "6", "7", NULL}, OUT("1 2 3 4 5 6 7|"), "", 0},
    {"x\\n", {"a", "b", NULL}, OUT("x\n"), "", 0},
    {"%s\\n", {NULL}, OUT("\n"), "", 0},
    {"%s %s\\n", {"a", "b", "c", NULL}, OUT("a b\nc \n"), "", 0},
    {"%d\\n", {"1.5", NULL}, OUT("1\n"), "printf: 1.5: invalid number\n", 1},
    {"%f\\n", {"abc", "1.5x", NULL}, OUT("0.000000\n1.500000\n"), "printf: abc: invalid number\nprintf: 1.5x: invalid number\n", 1},
    {"%Q|", {"a b", NULL}, OUT("a\\ b|"), "", 0},
    {"%.2Q|%.2q|", {"a b", "a b", NULL}, OUT("a\\ |a\\|"), "", 0},
    {"%y|", {"1", NULL}, OUT(""), "printf: `y': invalid format character\n", 1},
    {"a%yb%s|", {"1", "2", NULL}, OUT("a"), "printf: `y': invalid format character\n", 1},
    {"%5.2s|%-5s|%.s|%5s|", {"abcdef", "ab", "abc", "x", NULL}, OUT("   ab|ab   ||    x|"), "", 0},
    {"%*d|%-*d|%.*f|%*.*s|", {"5", "1", "5", "2", "2", "3.14159", "6", "2", "abcdef", NULL}, OUT("    1|2    |3.14|    ab|"), "", 0},
    {"%*d|", {"-5", "1", NULL}, OUT("1    |"), "", 0},
    {"%*d|", {"x", "1", NULL}, OUT("1|"), "printf: x: invalid number\n", 1},
    {"%.*d|", {"-3", "1", NULL}, OUT("1|"), "", 0},
    {"%+d|% d|%05d|%-05d|%#o|%#x|%#X|%+.3d|", {"5", "5", "5", "5", "8", "255", "255", "7", NULL}, OUT("+5| 5|00005|5    |010|0xff|0XFF|+007|"), "", 0},
    {"%c|%c|%c|", {"abc", "", "\303\251", NULL}, OUT("a|\000|\303|"), "", 0},
    {"%b|", {"a\\nb", "\\0101", "\\101", "\\x41", "\\u00e9", "x\\cy", "z", NULL}, OUT("a\nb|A|A|A|\303\251|x"), "", 0},
    {"%s\\n", {"a", "\\cx", NULL}, OUT("a\n\\cx\n"), "", 0},
    {"%b-%s", {"a\\c", "b", NULL}, OUT("a"), "", 0},
    {"\\101\\0101\\x41\\x4g\\u00e9\\U0001F600\\e\\E\\\?\\q|", {NULL}, OUT("A\0101A\004g\303\251\360\237\230\200\033\033\?\\q|"), "", 0},
    {"\\x", {NULL}, OUT("\\x"), "printf: missing hex digit for \\x\n", 0},
    {"\\u|", {NULL}, OUT("\\u|"), "printf: missing unicode digit for \\u\n", 0},
    {"%(%Y-%m-%d)T|", {"0", NULL}, OUT("1970-01-01|"), "", 0},
    {"%(%H)T|", {"", NULL}, OUT("00|"), "", 0},
    {"%(%Y)T|", {"-3", NULL}, OUT("1969|"), "", 0},
    {"%(%%)T|%(a\\nb)T|", {"0", "0", NULL}, OUT("%|a\\nb|"), "", 0},
    {"%b|", {"\\1010", "\\01010", "\\08", "\\0", "\\8", "\\x", "\\xg", "\\u", "\\a\\b\\e\\E\\f\\v\\r\\t", "\\\"\\'\\\?\\\\", "\\q", "a\\", NULL}, OUT("A0|A0|\0008|\000|\\8|\\x|\\xg|\\u|\007\010\033\033\014\013\015\t|\\\"\\'\\\?\\|\\q|a\\|"), "printf: missing hex digit for \\x\nprintf: missing hex digit for \\x\nprintf: missing unicode digit for \\u\n", 0},
    {"\\\"\\'\\\\\\\\|\\0|\\8|\\1|\\18|\\400|\\777|", {NULL}, OUT("\"'\\\\|\000|\\8|\001|\0018|\000|\377|"), "", 0},
    {"%b|", {"\\400", "\\0400", "\\u110000", "\\U110000", "\\uD800", "\\U7FFFFFFF", "\\u0", "\\U00000041", "\\UFFFFFFFF", "\\U80000000", "\\u7f", "\\u80", "\\U0010FFFF", NULL}, OUT("\000|\000|\341\204\20000|\364\220\200\200|\355\240\200|\375\277\277\277\277\277|\000|A|||\177|\302\200|\364\217\277\277|"), "", 0},
    {"%b|", {"\\x{41}", "\\c", NULL}, OUT("\\x{41}|"), "printf: missing hex digit for \\x\n", 0},
    {"\\x{41}|", {NULL}, OUT("\\x{41}|"), "printf: missing hex digit for \\x\n", 0},
    {"%b|", {"a\\0b", "x\\u", NULL}, OUT("a\000b|x\\u|"), "printf: missing unicode digit for \\u\n", 0},
    {"a\\0b|", {NULL}, OUT("a\000b|"), "", 0},
    {"%b", {"\\x41\\x", NULL}, OUT("A\\x"), "printf: missing hex digit for \\x\n", 0},
    {"\\x41\\x\\u", {NULL}, OUT("A\\x\\u"), "printf: missing hex digit for \\x\nprintf: missing unicode digit for \\u\n", 0},
    {"%d|", {"08", "0x", "0xg", " ", "-", "+5", "-0x10", "'", "'ab", "'\303\251", "\"", "0777", "-1 ", "\t5", NULL}, OUT("0|0|0|0|0|5|-16|0|97|233|0|511|-1|5|"), "printf: 08: invalid octal number\nprintf: 0x: invalid hex number\nprintf: 0xg: invalid hex number\nprintf:  : invalid number\nprintf: -: invalid number\nprintf: -1 : invalid number\n", 1},
    {"%f|", {"'A", "inf", "nan", "-inf", "0x1p3", " 1.5", "1e5", "", "1,5", NULL}, OUT("65.000000|inf|nan|-inf|8.000000|1.500000|100000.000000|0.000000|1.000000|"), "printf: 1,5: invalid number\n", 1},
    {"%a|", {"1", "0.5", "255", "0", "-2", "0.75", "-0", NULL}, OUT("0x8p-3|0x8p-4|0xf.fp+4|0x0p+0|-0x8p-2|0xcp-4|-0x0p+0|"), "", 0},
    {"%.0a|%.1a|%.2a|%A|%10.3a|%#a|", {"15.9", "1.99", "3.14159", "255", "1", "1", NULL}, OUT("0x1p+4|0xf.fp-3|0xc.91p-2|0XF.FP+4|0x8.000p-3|0x8.p-3|"), "", 0},
    {"%e|%E|%g|%G|%.3e|%10.2f|%-10.2f|%+.1e|%#g|%g|%g|", {"12345.678", "0.000123", "100000", "1e-5", "1", "3.14159", "2.5", "-3", "1", "1e6", "1e-4", NULL}, OUT("1.234568e+04|1.230000E-04|100000|1E-05|1.000e+00|      3.14|2.50      |-3.0e+00|1.00000|1e+06|0.0001|"), "", 0},
    {"%F|%f|%.0f|%.0f|%#.0f|%010.3f|% f", {"inf", "nan", "2.5", "3.5", "3", "-1.5", "1", NULL}, OUT("INF|nan|2|4|3.|-00001.500| 1.000000"), "", 0},
    {"%5|", {"1", NULL}, OUT(""), "printf: `|': invalid format character\n", 1},
    {"%lz", {"1", NULL}, OUT(""), "printf: `%lz': missing format character\n", 1},
    {"%5%|", {"1", NULL}, OUT(""), "printf: `%': invalid format character\n", 1},
    {"%'d|", {"1234567", NULL}, OUT("1234567|"), "", 0},
    {"%.3d|%.0d|%.0d|%3c|%05s|%#x|%#o|%08.3d|%-+5d|%+u|% x", {"7", "0", "1", "a", "ab", "0", "0", "5", "3", "5", "5", NULL}, OUT("007||1|  a|   ab|0|0|     005|+3   |5|5"), "", 0},
    {"%5b|%-6q|%.1b|%5.3q|", {"a\\n", "a b", "xyz", "a b", NULL}, OUT("   a\n|a\\ b  |x|  a\\ |"), "", 0},
    {"%10(%H)T|%-10(%M)T|%.1(%Y)T|", {"0", "0", "0", NULL}, OUT("        00|00        |1|"), "", 0},
    {"%s %d %s|", {"a", NULL}, OUT("a 0 |"), "", 0},
    {"%d %s|", {"1", "a", "2", NULL}, OUT("1 a|2 |"), "", 0},
    {"%%|%s", {NULL}, OUT("%|"), "", 0},
    {"%(%Y)T|", {"abc", NULL}, OUT("1970|"), "printf: abc: invalid number\n", 1},
    {"%c%c|", {"'x", "\"y", NULL}, OUT("'\"|"), "", 0},
    {"%s|", {"'x", NULL}, OUT("'x|"), "", 0},
    {"%.3s|", {NULL}, OUT("|"), "", 0},
    {"%-5.1f|%5.0e|", {"3.14", "12345", NULL}, OUT("3.1  |1e+04|"), "", 0},
    {"%(%Y)X|", {NULL}, OUT("%("), "printf: warning: `X': invalid time format specification\nprintf: `Y': invalid format character\n", 1},
    {"%-(%Y)T|", {"0", NULL}, OUT("1970|"), "", 0},
    {"%(a(b)c)T|", {"0", NULL}, OUT("a(b)c|"), "", 0},
    {"%d%b", {"x", "\\c", NULL}, OUT("0"), "printf: x: invalid number\n", 0},
    {"%s|", {"a", "b", "c", "d", NULL}, OUT("a|b|c|d|"), "", 0},
    {"a\\", {NULL}, OUT("a\\"), "", 0},
    {"%b", {"a\\", NULL}, OUT("a\\"), "", 0},
    {"%-5c|%05d|%-05d|%0-5d|% 05d|%+ d|%#5x|%#05x|%#.3o|%#o", {"x", "42", "42", "42", "42", "42", "42", "42", "8", "0", NULL}, OUT("x    |00042|42   |42   | 0042|+42| 0x2a|0x02a|010|0"), "", 0},
    {"%-8.3e|%08.2f|%+08.2f|% .3g|%#.3g|%G|%g|%g", {"3.14159", "-3.14159", "3.14159", "2", "1", "1e-10", "123456789", "0.0001234", NULL}, OUT("3.142e+00|-0003.14|+0003.14| 2|1.00|1E-10|1.23457e+08|0.0001234"), "", 0},
    {"%010a|%-12a|%+a|% a|%.3A|%a|%a|%a|%A|%5a|%05a", {"1", "1", "1", "1", "-0.1", "-0", "inf", "nan", "-inf", "inf", "nan", NULL}, OUT("0x00008p-3|0x8p-3      |+0x8p-3| 0x8p-3|-0XC.CCDP-7|-0x0p+0|inf|nan|-INF|  inf|  nan"), "", 0},
    {"%.1a|%.0a|%#.0a|%.2a|%.20a|%a|%.1a|%.0a|%.0a", {"15.97", "1", "1", "1", "1", "0.75", "1.0625", "1.5", "2.5", NULL}, OUT("0x1.0p+4|0x8p-3|0x8.p-3|0x8.00p-3|0x8.00000000000000000000p-3|0xcp-4|0x8.8p-3|0xcp-3|0xap-2"), "", 0},
    {"%.0a|%.0a|%.0a|%.0a", {"1.125", "1.1875", "0x8.8p0", "0x9.8p0", NULL}, OUT("0x9p-3|0xap-3|0x8p+0|0xap+0"), "", 0},
    {"%d|", {"0z", "-08", "0X1g", "09.5", " 08", "1x", "0x1g", NULL}, OUT("0|0|1|0|0|1|1|"), "printf: 0z: invalid number\nprintf: -08: invalid number\nprintf: 0X1g: invalid number\nprintf: 09.5: invalid octal number\nprintf:  08: invalid number\nprintf: 1x: invalid number\nprintf: 0x1g: invalid hex number\n", 1},
    {"%f|", {"0x", "08", "0z", NULL}, OUT("0.000000|8.000000|0.000000|"), "printf: 0x: invalid hex number\nprintf: 0z: invalid number\n", 1},
    {"%.0Q|%.0q|%5.1Q|", {"abc", "abc", "a b", NULL}, OUT("''||    a|"), "", 0},
    {"%u|%o|%x|", {"'\303\251", "abc", "-0", NULL}, OUT("233|0|0|"), "printf: abc: invalid number\n", 1},
    {"%s|%q|", {"\303\251", "\303\251", NULL}, OUT("\303\251|\303\251|"), "", 0},
    {"%d|", {"-0x10", "- 5", "+-5", " -5", NULL}, OUT("-16|0|0|-5|"), "printf: - 5: invalid number\nprintf: +-5: invalid number\n", 1},
    {"%i|%d|", {"0b11", "1_0", NULL}, OUT("0|1|"), "printf: 0b11: invalid number\nprintf: 1_0: invalid number\n", 1},
    {"%5.2(%Y)T|", {"0", NULL}, OUT("   19|"), "", 0},
    {"%d|%d|%x|", {"9223372036854775808", "-9223372036854775809", "0x10000000000000000", NULL}, OUT("9223372036854775807|-9223372036854775808|ffffffffffffffff|"), "printf: warning: 9223372036854775808: Numerical result out of range\nprintf: warning: -9223372036854775809: Numerical result out of range\nprintf: warning: 0x10000000000000000: Numerical result out of range\n", 0},
    {"%q|", {"", "~a", "a~", "a=~", "a:~b", "#a", "a#", "\303\251", "\377", "\303\251\n", "it's\n", "a\\b\tc", "\303", "a b", "\302\205", "\342\200\250", "\357\277\276", NULL}, OUT("''|\\~a|a~|a=\\~|a:\\~b|\\#a|a#|\303\251|$'\\377'|$'\303\251\\n'|$'it\\'s\\n'|$'a\\\\b\\tc'|$'\\303'|a\\ b|$'\\302\\205'|$'\\342\\200\\250'|$'\\357\\277\\276'|"), "", 0},
    {"%.*s|%.*s|", {"2", "abcdef", NULL}, OUT("ab||"), "", 0},
    {"%*s|", {"", "x", NULL}, OUT("x|"), "", 0},
    {"%-*s|", {"3", "x", NULL}, OUT("x  |"), "", 0},
    {"%05c|%-3c|", {"x", "y", NULL}, OUT("    x|y  |"), "", 0},
    {"%s", {"-v", NULL}, OUT("-v"), "", 0},
    {"%05.1f|%-+8.2e|%x|%X|%o", {"2.25", "100", "255", "255", "8", NULL}, OUT("002.2|+1.00e+02|ff|FF|10"), "", 0},
    {"%q %Q|", {"a'b", "$x", NULL}, OUT("a\\'b \\$x|"), "", 0},
    {"[%s]", {NULL}, OUT("[]"), "", 0},
    {"", {NULL}, OUT(""), "", 0},
    {"", {"a", NULL}, OUT(""), "", 0},
    {"%n|", {"v", NULL}, OUT("|"), "", 0},
    {"abc\\c|", {NULL}, OUT("abc\\c|"), "", 0},
    {"%3$s|", {"a", NULL}, OUT(""), "printf: `$': invalid format character\n", 1},
    {"%-#10x|%#-10o|", {"255", "8", NULL}, OUT("0xff      |010       |"), "", 0},
    {"%.3x|%#.3x|", {"10", "10", NULL}, OUT("00a|0x00a|"), "", 0},
    {"%c", {"\001", NULL}, OUT("\001"), "", 0},
    {"%s\\t%s\\v\\f\\r\\a\\b|", {NULL}, OUT("\t\013\014\015\007\010|"), "", 0},
    {"%i", {"'\377", NULL}, OUT("255"), "", 0},
    {"%d", {"'\303\251x", NULL}, OUT("233"), "", 0},
    {"%.Q|%.0Q|%.1Q|%.*Q|%5.Q|%.q|%.*q|%3.*Q|", {"abc", "abc", "a b", "1", "a b", "x", "a b", "2", "a b", "1", "a b", NULL}, OUT("|''|a|a\\ b|     ||a\\|a\\ b|"), "", 0},
    {"ab%n|%s", {"v", "x", NULL}, OUT("ab|x"), "", 0},
    {"ab%n|%s", {"1x", "y", NULL}, OUT("ab"), "printf: `1x': not a valid identifier\n", 1},
    {"ab%n|%s", {"a[1]", "y", NULL}, OUT("ab"), "printf: `a[1]': not a valid identifier\n", 1},
    {"ab%n|", {NULL}, OUT("ab|"), "", 0},
};

static void test_printf_table(Counts *c) {
    for (size_t i = 0; i < sizeof printf_cases / sizeof *printf_cases; i++) {
        const PrintfCase *t = &printf_cases[i];
        int nargs = 0;
        while (t->args[nargs]) nargs++;
        StrBuf out, err;
        sb_init(&out);
        sb_init(&err);
        int st = format_printf(&out, t->fmt, (char *const *)t->args, nargs, &err, true);
        check_bytes(c, "printf out", t->fmt, sb_cstr(&out), out.len, t->out, t->outlen);
        check_bytes(c, "printf err", t->fmt, sb_cstr(&err), err.len, t->err, strlen(t->err));
        check_int(c, "printf status", t->fmt, st, t->status);
        sb_free(&out);
        sb_free(&err);
    }
}

/* %(fmt)T without an argument, and with -1 and -2, is the current time. */
static void test_printf_now(Counts *c) {
    char year[16];
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(year, sizeof year, "%Y|", &tm);
    const char *cases[][2] = {{"%(%Y)T|", NULL}, {"%(%Y)T|", "-1"}, {"%(%Y)T|", "-2"}};
    for (size_t i = 0; i < 3; i++) {
        StrBuf out, err;
        sb_init(&out);
        sb_init(&err);
        int n = cases[i][1] ? 1 : 0;
        format_printf(&out, cases[i][0], (char *const *)&cases[i][1], n, &err, true);
        check_bytes(c, "printf now", cases[i][1] ? cases[i][1] : "(none)", sb_cstr(&out), out.len, year,
                    strlen(year));
        sb_free(&out);
        sb_free(&err);
    }
}

typedef struct EchoCase {
    const char *in;
    const char *out;
    size_t outlen;
    bool stop;
} EchoCase;

static const EchoCase echo_cases[] = {
    {"a\\nb", OUT("a\nb"), false},
    {"\\1010|\\01010|\\08|\\0|\\8|\\x|\\xg|\\u|\\\"\\\?\\q|a\\", OUT("\\1010|A0|\0008|\000|\\8|\\x|\\xg|\\u|\\\"\\\?\\q|a\\"), false},
    {"a\\cb", OUT("a"), true},
    {"\\x41\\u00e9\\U0001F600", OUT("A\303\251\360\237\230\200"), false},
    {"\\e\\E\\a\\b\\f\\v\\r\\t\\\\", OUT("\033\033\007\010\014\013\015\t\\"), false},
    {"\\0", OUT("\000"), false},
    {"x\\0101y", OUT("xAy"), false},
    {"\\x{41}", OUT("\\x{41}"), false},
    {"\\c", OUT(""), true},
    {"ab\\", OUT("ab\\"), false},
    {"\\u", OUT("\\u"), false},
    {"\\U", OUT("\\U"), false},
    {"\\'", OUT("\\'"), false},
    {"\\0777", OUT("\377"), false},
    {"\\07777", OUT("\3777"), false},
    {"\\xfff", OUT("\377f"), false},
    {"\\UFFFFFFFF|\\U80000000|\\u7f|\\u80", OUT("||\177|\302\200"), false},
    {"plain", OUT("plain"), false},
    {"\\c\\n", OUT(""), true},
    {"a\\tb\\cc\\nd", OUT("a\tb"), true},
};

static void test_echo(Counts *c) {
    for (size_t i = 0; i < sizeof echo_cases / sizeof *echo_cases; i++) {
        const EchoCase *t = &echo_cases[i];
        StrBuf out;
        sb_init(&out);
        bool stop = format_echo_escapes(&out, t->in, strlen(t->in));
        check_bytes(c, "echo -e", t->in, sb_cstr(&out), out.len, t->out, t->outlen);
        check_int(c, "echo -e \\c", t->in, stop, t->stop);
        sb_free(&out);
    }
}

typedef struct AnsiCase {
    const char *in;
    const char *out;
    size_t outlen;
} AnsiCase;

static const AnsiCase ansic_cases[] = {
    {"\\101\\0101\\1010\\8\\x41\\x4g\\xg\\x|\\u00e9\\u|\\\"\\'\\\?\\\\\\q", OUT("A\0101A0\\8A\004g\\xg\\x|\303\251\\u|\"'\?\\\\q")},
    {"\\cA\\ca\\c\?\\c[\\c\\\\x\\c1", OUT("\001\001\177\033\034x\021")},
    {"\\c@x", OUT("")},
    {"a\\c", OUT("a\\c")},
    {"\\e\\E\\a\\b\\f\\n\\r\\t\\v", OUT("\033\033\007\010\014\n\015\t\013")},
    {"\\x{41}", OUT("A")},
    {"\\x123", OUT("\0223")},
    {"\\0", OUT("")},
    {"a\\0b", OUT("a")},
    {"\\c\\'", OUT("\034'")},
    {"\\uD800|\\U110000|\\u0041|\\x{4g}|\\x{1234}", OUT("\355\240\200|\364\220\200\200|A|\004g}|4")},
    {"\\x{}", OUT("")},
    {"\\x{", OUT("")},
    {"\\U0001F600", OUT("\360\237\230\200")},
    {"\\u0000x", OUT("")},
    {"\\cz\\cZ\\c^\\c_", OUT("\032\032\036\037")},
    {"\\x{41", OUT("A")},
    {"\\777", OUT("\377")},
    {"\\400", OUT("")},
    {"it\\'s", OUT("it's")},
    {"plain text", OUT("plain text")},
};

static void test_ansic(Counts *c) {
    for (size_t i = 0; i < sizeof ansic_cases / sizeof *ansic_cases; i++) {
        const AnsiCase *t = &ansic_cases[i];
        StrBuf out;
        sb_init(&out);
        format_ansi_c(&out, t->in, strlen(t->in));
        check_bytes(c, "$'...'", t->in, sb_cstr(&out), out.len, t->out, t->outlen);
        sb_free(&out);
    }
}

/* value, printf %q, ${v@Q}, declare -p value, set value; utf8 false: as
 * in the C locale (bytes from 0x80 up are not printable there) */
typedef struct QuoteCase {
    const char *in, *q, *at_q, *declare, *set;
    bool c_locale;
} QuoteCase;

static const QuoteCase quote_cases[] = {
    {"", "''", "''", "\"\"", "", false},
    {"a b", "a\\ b", "'a b'", "\"a b\"", "'a b'", false},
    {"it's", "it\\'s", "'it'\\''s'", "\"it's\"", "'it'\\''s'", false},
    {"'", "\\'", "\\'", "\"'\"", "\\'", false},
    {"''", "\\'\\'", "''\\'''\\'''", "\"''\"", "''\\'''\\'''", false},
    {"'a", "\\'a", "''\\''a'", "\"'a\"", "''\\''a'", false},
    {"a'", "a\\'", "'a'\\'''", "\"a'\"", "'a'\\'''", false},
    {"\303\251", "\303\251", "'\303\251'", "\"\303\251\"", "\303\251", false},
    {"\377", "$'\\377'", "$'\\377'", "$'\\377'", "$'\\377'", false},
    {"a\tb\\'", "$'a\\tb\\\\\\''", "$'a\\tb\\\\\\''", "$'a\\tb\\\\\\''", "$'a\\tb\\\\\\''", false},
    {"~", "\\~", "'~'", "\"~\"", "'~'", false},
    {"~a", "\\~a", "'~a'", "\"~a\"", "'~a'", false},
    {"a~", "a~", "'a~'", "\"a~\"", "a~", false},
    {"a=~", "a=\\~", "'a=~'", "\"a=~\"", "'a=~'", false},
    {"a:~", "a:\\~", "'a:~'", "\"a:~\"", "'a:~'", false},
    {"#", "\\#", "'#'", "\"#\"", "'#'", false},
    {"a#", "a#", "'a#'", "\"a#\"", "a#", false},
    {"x=1", "x=1", "'x=1'", "\"x=1\"", "x=1", false},
    {"$HOME", "\\$HOME", "'$HOME'", "\"\\$HOME\"", "'$HOME'", false},
    {"a\"b$c`d\\e", "a\\\"b\\$c\\`d\\\\e", "'a\"b$c`d\\e'", "\"a\\\"b\\$c\\`d\\\\e\"", "'a\"b$c`d\\e'", false},
    {"a!b", "a\\!b", "'a!b'", "\"a!b\"", "'a!b'", false},
    {"\001", "$'\\001'", "$'\\001'", "$'\\001'", "$'\\001'", false},
    {"\177", "$'\\177'", "$'\\177'", "$'\\177'", "$'\\177'", false},
    {"a\nb", "$'a\\nb'", "$'a\\nb'", "$'a\\nb'", "$'a\\nb'", false},
    {"\033[0m", "$'\\E[0m'", "$'\\E[0m'", "$'\\E[0m'", "$'\\E[0m'", false},
    {"\303\251\001", "$'\303\251\\001'", "$'\303\251\\001'", "$'\303\251\\001'", "$'\303\251\\001'", false},
    {"\302\205", "$'\\302\\205'", "$'\\302\\205'", "$'\\302\\205'", "$'\\302\\205'", false},
    {"\342\200\213", "\342\200\213", "'\342\200\213'", "\"\342\200\213\"", "\342\200\213", false},
    {"\342\200\250", "$'\\342\\200\\250'", "$'\\342\\200\\250'", "$'\\342\\200\\250'", "$'\\342\\200\\250'", false},
    {"\356\200\200", "\356\200\200", "'\356\200\200'", "\"\356\200\200\"", "\356\200\200", false},
    {"\357\277\276", "$'\\357\\277\\276'", "$'\\357\\277\\276'", "$'\\357\\277\\276'", "$'\\357\\277\\276'", false},
    {"\302\240", "\302\240", "'\302\240'", "\"\302\240\"", "\302\240", false},
    {"\355\240\200", "$'\\355\\240\\200'", "$'\\355\\240\\200'", "$'\\355\\240\\200'", "$'\\355\\240\\200'", false},
    {"\364\217\277\277", "$'\\364\\217\\277\\277'", "$'\\364\\217\\277\\277'", "$'\\364\\217\\277\\277'", "$'\\364\\217\\277\\277'", false},
    {"\360\237\230\200", "\360\237\230\200", "'\360\237\230\200'", "\"\360\237\230\200\"", "\360\237\230\200", false},
    {"{a,b}", "\\{a\\,b\\}", "'{a,b}'", "\"{a,b}\"", "'{a,b}'", false},
    {"*\?[]", "\\*\\\?\\[\\]", "'*\?[]'", "\"*\?[]\"", "'*\?[]'", false},
    {"%+,-./:=@_", "%+\\,-./:=@_", "'%+,-./:=@_'", "\"%+,-./:=@_\"", "%+,-./:=@_", false},
    {"a b'c\"d", "a\\ b\\'c\\\"d", "'a b'\\''c\"d'", "\"a b'c\\\"d\"", "'a b'\\''c\"d'", false},
    {" ", "\\ ", "' '", "\" \"", "' '", false},
    {"x\\", "x\\\\", "'x\\'", "\"x\\\\\"", "'x\\'", false},
    {"\\", "\\\\", "'\\'", "\"\\\\\"", "'\\'", false},
    {"-n", "-n", "'-n'", "\"-n\"", "-n", false},
    {"a;b", "a\\;b", "'a;b'", "\"a;b\"", "'a;b'", false},
    {"(x)", "\\(x\\)", "'(x)'", "\"(x)\"", "'(x)'", false},
    {"<>", "\\<\\>", "'<>'", "\"<>\"", "'<>'", false},
    {"&|", "\\&\\|", "'&|'", "\"&|\"", "'&|'", false},
    {"a,b", "a\\,b", "'a,b'", "\"a,b\"", "a,b", false},
    {"^", "\\^", "'^'", "\"^\"", "'^'", false},
    {"h\303\251", "$'h\\303\\251'", "$'h\\303\\251'", "$'h\\303\\251'", "$'h\\303\\251'", true},
    {"a b", "a\\ b", "'a b'", "\"a b\"", "'a b'", true},
};

static void check_quote(Counts *c, const char *what, void (*fn)(StrBuf *, const char *, bool),
                        const char *in, bool utf8, const char *want) {
    StrBuf out;
    sb_init(&out);
    fn(&out, in, utf8);
    check_bytes(c, what, in, sb_cstr(&out), out.len, want, strlen(want));
    sb_free(&out);
}

static void test_quote(Counts *c) {
    for (size_t i = 0; i < sizeof quote_cases / sizeof *quote_cases; i++) {
        const QuoteCase *t = &quote_cases[i];
        bool utf8 = !t->c_locale;
        check_quote(c, "quote_backslash", quote_backslash, t->in, utf8, t->q);
        check_quote(c, "quote_single", quote_single, t->in, utf8, t->at_q);
        check_quote(c, "quote_double", quote_double, t->in, utf8, t->declare);
        check_quote(c, "quote_if_needed", quote_if_needed, t->in, utf8, t->set);
    }
}

/* format_fixed against the C library's %f: random doubles (raw bit
 * patterns, decimals, exact ties such as 0.0005 or 2.5), precisions 0..18,
 * widths and flags; the fast path must print the same bytes or decline. */
static uint64_t xorshift(uint64_t *s) {
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static double random_double(uint64_t *s, long i) {
    double d;
    uint64_t bits = xorshift(s);
    switch (i % 5) {
    case 0: memcpy(&d, &bits, sizeof d); return d;
    case 1: return (double)(bits % 2000000) / 1000.0 - 1000;
    case 2: return ldexp((double)(bits >> 11), (int)(xorshift(s) % 120) - 110);
    case 3: return (double)(int64_t)(bits % 100000) * 0.0005;
    default: return ((bits & 1) ? -1 : 1) * ((double)(bits % 1000) / 8.0 + ((bits & 2) ? 0.5 : 0));
    }
}

static void test_format_fixed(Counts *c) {
    static const char *const flagsets[] = {"", "-", "+", " ", "0", "#", "-+", "0+", " #", "0#"};
    uint64_t seed = 88172645463325252ull;
    int fast = 0, wrong = 0;
    for (long i = 0; i < 400000; i++) {
        double d = random_double(&seed, i);
        int prec = (int)(xorshift(&seed) % 19), width = (int)(xorshift(&seed) % 30);
        const char *fl = flagsets[xorshift(&seed) % 10];
        StrBuf got;
        sb_init(&got);
        if (format_fixed(&got, d, width, prec, fl)) {
            char fmt[16], want[512];
            snprintf(fmt, sizeof fmt, "%%%s*.*f", fl);
            snprintf(want, sizeof want, fmt, width, prec, d);
            fast++;
            if (got.len != strlen(want) || memcmp(got.s, want, got.len)) {
                if (wrong++ < 5) check_bytes(c, "format_fixed", fmt, got.s, got.len, want, strlen(want));
            }
        }
        sb_free(&got);
    }
    if (!wrong) c->pass++;
    else c->fail++;
    /* the fast path covers the ordinary values */
    check_int(c, "format_fixed takes most values", "fast > 300000", fast > 300000, 1);
    StrBuf b;
    sb_init(&b);
    check_int(c, "format_fixed declines inf", "inf", format_fixed(&b, 1.0 / 0.0, 0, 2, ""), 0);
    check_int(c, "format_fixed declines 2^53", "2^53", format_fixed(&b, 9007199254740992.0, 0, 2, ""), 0);
    check_int(c, "format_fixed declines precision 18", "%.18f", format_fixed(&b, 1.5, 0, 18, ""), 0);
    check_int(c, "nothing appended when declined", "", (int)b.len, 0);
    sb_free(&b);
}

/* format_general against the C library for every conversion it takes: the
 * random doubles above plus ones spread over all exponents (subnormals
 * included), precisions 0..17 and some far longer ones, widths and flags. */
static double random_any_magnitude(uint64_t *s) {
    uint64_t bits = xorshift(s);
    int e = (int)(xorshift(s) % 2100) - 1075; /* ldexp makes subnormals, inf */
    return ldexp((double)(bits >> 11) / 9007199254740992.0, e) * ((bits & 1) ? -1 : 1);
}

/* Compares one value in one format; counts and shows the first mismatches. */
static void check_general(Counts *c, int *wrong, double d, int width, int prec, const char *fl, char conv) {
    char fmt[16];
    static char want[8192];
    snprintf(fmt, sizeof fmt, "%%%s*.*%c", fl, conv);
    snprintf(want, sizeof want, fmt, width, prec, d);
    StrBuf got;
    sb_init(&got);
    bool took = format_general(&got, d, width, prec, fl, conv);
    if (!took || got.len != strlen(want) || memcmp(got.s, want, got.len)) {
        if ((*wrong)++ < 8) {
            char in[64];
            snprintf(in, sizeof in, "%s of %a width %d prec %d", fmt, d, width, prec);
            check_bytes(c, "format_general", in, got.s ? got.s : "", got.len, want, strlen(want));
        }
    }
    sb_free(&got);
}

static void test_format_general_random(Counts *c, int *wrong) {
    static const char *const flagsets[] = {"", "-", "+", " ", "0", "#", "-+", "0+", " #", "0#", "#-", "+0#"};
    static const char convs[] = "eEfFgG";
    uint64_t seed = 0x9E3779B97F4A7C15ull;
    for (long i = 0; i < 600000; i++) {
        double d = (i & 1) ? random_any_magnitude(&seed) : random_double(&seed, i / 2);
        uint64_t r = xorshift(&seed);
        int prec = (int)(r % 18), width = (int)((r >> 8) % 24);
        if ((r >> 16) % 50 == 0) prec = (int)((r >> 24) % 800); /* long: all the exact digits */
        char conv = convs[(r >> 40) % 6];
        if (i % 3 == 0) conv = (r >> 44) & 1 ? 'g' : 'e'; /* %f is checked above too */
        check_general(c, wrong, d, width, prec, flagsets[(r >> 32) % 12], conv);
    }
}

static void test_format_general(Counts *c) {
    static const double edges[] = {
        0.0, -0.0, 0.5, 1.5, 2.5, -2.5, 0.125, 0.375, 1e-320, -4.9e-324, 2.2250738585072014e-308,
        2.2250738585072009e-308, 1.7976931348623157e308, -1.7976931348623157e308, 9.9999995,
        9.9999994999999, 99999.95, 999999.5, 9999995, 0.00001, 0.0001, 0.000099999995, 123456789012345678.0,
        1e15, 1e16, 1e17, 1e21, 1e22, 1e23, 5e-5, 0.1, 0.2, 0.3, 1.0 / 3, 2.0 / 3, 100, 1e100, 1e-100,
        9.5, 10.5, 0.05, 0.15, 0.25, 0.35, 1e-5, 123456.5, 1234567.5, 4503599627370496.5,
        9007199254740993.0, 18014398509481984.0, 5e-19, 5e-20, 5.000000000000001e-21, 4.999999999999999e-21,
        5.0000000000000001e-21, 1.0 / 0.0, -1.0 / 0.0, NAN, -NAN,
    };
    static const char *const flagsets[] = {"", "-", "+", " ", "0", "#", "0#", "-#+"};
    static const char convs[] = "eEfFgG";
    int wrong = 0;
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++)
        for (int prec = 0; prec <= 20; prec++)
            for (int k = 0; k < 6; k++)
                for (int f = 0; f < 8; f++) check_general(c, &wrong, edges[i], f * 3, prec, flagsets[f], convs[k]);
    for (int prec = 0; prec <= 1100; prec += 7) /* every digit of the extremes */
        for (int k = 0; k < 6; k++) {
            check_general(c, &wrong, 4.9e-324, 0, prec, "", convs[k]);
            check_general(c, &wrong, 1.7976931348623157e308, 0, prec, "#", convs[k]);
        }
    /* values next to where rounding carries into a new digit (9.95 -> 10) */
    for (int k = -9; k <= 23; k++)
        for (int p = 1; p <= 17; p++) {
            double v = pow(10, k) * (1 - 0.5 * pow(10, -p));
            for (int u = 0; u < 3; u++) v = nextafter(v, 0);
            for (int u = 0; u < 6; u++, v = nextafter(v, 1e300))
                for (int q = p - 1; q <= p + 1; q++)
                    for (int f = 0; f < 8; f++) check_general(c, &wrong, v, 0, q, flagsets[f], convs[(u + f + q) % 6]);
        }
    test_format_general_random(c, &wrong);
    if (!wrong) c->pass++;
    else c->fail++;
    StrBuf b;
    sb_init(&b);
    check_int(c, "format_general declines %a", "a", format_general(&b, 1.5, 0, 2, "", 'a'), 0);
    check_int(c, "format_general declines precision 4097", "%.4097g", format_general(&b, 1.5, 0, 4097, "", 'g'), 0);
    check_int(c, "nothing appended when declined", "", (int)b.len, 0);
    sb_free(&b);
}

int main(void) {
    Counts c = {0, 0};
    setenv("TZ", "UTC", 1);
    tzset();
    test_printf_table(&c);
    test_printf_now(&c);
    test_echo(&c);
    test_ansic(&c);
    test_quote(&c);
    test_format_fixed(&c);
    test_format_general(&c);
    printf("%d passed, %d failed\n", c.pass, c.fail);
    return c.fail ? 1 : 0;
}
