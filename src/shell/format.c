/* format.c - see format.h.
 *
 * Behaviour follows bash 5.2 as observed on glibc (x86-64, C.UTF-8 locale).
 * Nothing here consults the C library's locale: UTF-8 is decoded by hand so
 * the results are the same natively and under WebAssembly. */
#include "format.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---------------------------------------------------------------- UTF-8 */

/* Decodes one UTF-8 character at s (n bytes available). Returns its length, or
 * 0 when s does not start with a valid shortest-form scalar value (this is
 * what makes glibc's mbrtowc fail, e.g. for encoded surrogates). */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp) {
    size_t len;
    uint32_t v, min;
    if (n == 0) return 0;
    if (s[0] < 0x80) { *cp = s[0]; return 1; }
    if ((s[0] & 0xE0) == 0xC0) { len = 2; v = s[0] & 0x1F; min = 0x80; }
    else if ((s[0] & 0xF0) == 0xE0) { len = 3; v = s[0] & 0x0F; min = 0x800; }
    else if ((s[0] & 0xF8) == 0xF0) { len = 4; v = s[0] & 0x07; min = 0x10000; }
    else return 0;
    if (n < len) return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
    *cp = v;
    return len;
}

/* Approximates glibc's iswprint in a UTF-8 locale. glibc also rejects the
 * unassigned code points of its Unicode version; carrying that table is not
 * worth it, so those count as printable here. */
static bool cp_printable(uint32_t cp) {
    if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) return false;
    if (cp == 0x2028 || cp == 0x2029) return false;
    if (cp >= 0xFDD0 && cp <= 0xFDEF) return false;
    if ((cp & 0xFFFE) == 0xFFFE) return false;
    return cp <= 0x10FFFF;
}

/* Length of the printable character at s, or 0 if it is not printable. */
static size_t printable_char_len(const char *s, size_t n) {
    uint32_t cp;
    size_t len = utf8_decode((const unsigned char *)s, n, &cp);
    return (len && cp_printable(cp)) ? len : 0;
}

/* Appends cp in UTF-8. Like bash, values beyond U+10FFFF still get the old
 * 5- and 6-byte forms, and values above 0x7FFFFFFF produce nothing. */
static void utf8_put(StrBuf *out, uint32_t cp) {
    char b[6];
    int len;
    if (cp < 0x80) { sb_putc(out, (char)cp); return; }
    if (cp < 0x800) len = 2;
    else if (cp < 0x10000) len = 3;
    else if (cp < 0x200000) len = 4;
    else if (cp < 0x4000000) len = 5;
    else if (cp <= 0x7FFFFFFF) len = 6;
    else return;
    for (int i = len - 1; i > 0; i--) {
        b[i] = (char)(0x80 | (cp & 0x3F));
        cp >>= 6;
    }
    static const unsigned char lead[7] = {0, 0, 0xC0, 0xE0, 0xF0, 0xF8, 0xFC};
    b[0] = (char)(lead[len] | cp);
    sb_put(out, b, (size_t)len);
}

/* -------------------------------------------------------------- escapes */

/* The four dialects of backslash escapes bash has. They differ in octal
 * syntax, in \' \" \? handling, in \c, and in whether bad \x \u complain. */
typedef enum {
    ESC_FORMAT, /* printf's format string: \NNN, \c literal */
    ESC_B,      /* printf %b: \0NNN and \NNN, \c stops */
    ESC_ECHO,   /* echo -e: only \0NNN, \c stops, silent */
    ESC_ANSIC,  /* $'...': \NNN, \x{...}, \cX, stops at NUL */
} EscMode;

typedef struct EscOut {
    StrBuf *out;
    StrBuf *err;  /* NULL when the dialect never complains */
    bool sawc;    /* \c seen: the caller stops all output */
    bool nul;     /* $'..' produced NUL: the string ends there */
} EscOut;

static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Reads up to max hex digits; returns how many were read. Wraps silently:
 * callers keep only the low bits that bash keeps. */
static size_t read_hex(const char *s, size_t n, size_t max, uint32_t *v) {
    size_t i = 0;
    *v = 0;
    while (i < n && i < max && hexval(s[i]) >= 0) *v = *v * 16 + (uint32_t)hexval(s[i++]);
    return i;
}

static void esc_byte(EscMode m, EscOut *eo, unsigned v) {
    if (m == ESC_ANSIC && (v & 0xFF) == 0) { eo->nul = true; return; }
    sb_putc(eo->out, (char)(v & 0xFF));
}

/* The single-letter escapes all dialects share; -1 if c is not one. */
static int esc_simple(char c) {
    switch (c) {
    case 'a': return '\a';
    case 'b': return '\b';
    case 'e': case 'E': return 033;
    case 'f': return '\f';
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    case 'v': return '\v';
    case '\\': return '\\';
    default: return -1;
    }
}

/* Octal: s[0] is a digit 0-7. Returns bytes used, 0 if not an escape here. */
static size_t esc_octal(EscMode m, const char *s, size_t n, EscOut *eo) {
    size_t more = 2;
    if (m == ESC_ECHO && s[0] != '0') return 0;
    if ((m == ESC_ECHO || m == ESC_B) && s[0] == '0') more = 3;
    unsigned v = (unsigned)(s[0] - '0');
    size_t i = 1;
    while (i < n && i <= more && s[i] >= '0' && s[i] <= '7') v = v * 8 + (unsigned)(s[i++] - '0');
    esc_byte(m, eo, v);
    return i;
}

static void esc_complain(EscOut *eo, const char *what) {
    if (eo->err) sb_printf(eo->err, "printf: missing %s\n", what);
}

/* \xHH, and for $'..' also \x{H...}. s[0] is 'x'. */
static size_t esc_hex(EscMode m, const char *s, size_t n, EscOut *eo) {
    uint32_t v;
    if (m == ESC_ANSIC && n > 1 && s[1] == '{') {
        size_t k = read_hex(s + 2, n - 2, SIZE_MAX, &v);
        size_t used = 2 + k;
        if (used < n && s[used] == '}') used++;
        esc_byte(m, eo, v);
        return used;
    }
    size_t k = read_hex(s + 1, n - 1, 2, &v);
    if (k == 0) {
        esc_complain(eo, "hex digit for \\x");
        return 0;
    }
    esc_byte(m, eo, v);
    return 1 + k;
}

/* \uHHHH and \UHHHHHHHH. s[0] is 'u' or 'U'. */
static size_t esc_unicode(EscMode m, const char *s, size_t n, EscOut *eo) {
    uint32_t v;
    size_t k = read_hex(s + 1, n - 1, s[0] == 'u' ? 4 : 8, &v);
    if (k == 0) {
        esc_complain(eo, s[0] == 'u' ? "unicode digit for \\u" : "unicode digit for \\U");
        return 0;
    }
    if (v < 0x80) esc_byte(m, eo, v);
    else utf8_put(eo->out, v);
    return 1 + k;
}

/* $'\cX': control character. A doubled backslash after \c counts as one. */
static size_t esc_ctrl(EscOut *eo, const char *s, size_t n) {
    if (n < 2) return 0;
    size_t used = 2;
    unsigned char c = (unsigned char)s[1];
    if (c == '\\' && n > 2 && s[2] == '\\') used = 3;
    unsigned v = c == '?' ? 0x7F : ((c >= 'a' && c <= 'z') ? c - 32u : c) & 0x1F;
    esc_byte(ESC_ANSIC, eo, v);
    return used;
}

/* Handles the escape whose text after the backslash starts at s (n >= 1
 * bytes). Returns the bytes used; 0 means the backslash was emitted as itself
 * and s[0] is to be read as an ordinary character. */
static size_t escape_one(EscMode m, const char *s, size_t n, EscOut *eo) {
    int c = esc_simple(s[0]);
    if (c >= 0) {
        sb_putc(eo->out, (char)c);
        return 1;
    }
    size_t used = 0;
    switch (s[0]) {
    case '0': case '1': case '2': case '3':
    case '4': case '5': case '6': case '7':
        used = esc_octal(m, s, n, eo);
        break;
    case 'x': used = esc_hex(m, s, n, eo); break;
    case 'u': case 'U': used = esc_unicode(m, s, n, eo); break;
    case '\'': case '"': case '?':
        /* only backslash removal, and only where the dialect has it */
        if (m == ESC_FORMAT || m == ESC_ANSIC) { sb_putc(eo->out, s[0]); used = 1; }
        break;
    case 'c':
        if (m == ESC_B || m == ESC_ECHO) { eo->sawc = true; used = 1; }
        else if (m == ESC_ANSIC) used = esc_ctrl(eo, s, n);
        break;
    default: break;
    }
    if (used == 0) sb_putc(eo->out, '\\');
    return used;
}

/* Expands a whole string; a trailing lone backslash is kept. */
static void expand_escapes(EscMode m, const char *s, size_t n, EscOut *eo) {
    size_t i = 0;
    while (i < n && !eo->sawc && !eo->nul) {
        if (s[i] != '\\' || i + 1 >= n) {
            sb_putc(eo->out, s[i++]);
            continue;
        }
        i += 1 + escape_one(m, s + i + 1, n - i - 1, eo);
    }
}

bool format_echo_escapes(StrBuf *out, const char *s, size_t n) {
    EscOut eo = {out, NULL, false, false};
    expand_escapes(ESC_ECHO, s, n, &eo);
    return eo.sawc;
}

void format_ansi_c(StrBuf *out, const char *s, size_t n) {
    EscOut eo = {out, NULL, false, false};
    expand_escapes(ESC_ANSIC, s, n, &eo);
}

/* -------------------------------------------------------------- quoting */

/* bash's test for "needs $'...'": a character that is not printable. */
static bool needs_ansic(const char *s, bool utf8) {
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            if (c < 0x20 || c == 0x7F) return true;
            i++;
            continue;
        }
        size_t len = utf8 ? printable_char_len(s + i, n - i) : 0;
        if (!len) return true;
        i += len;
    }
    return false;
}

static void put_octal(StrBuf *out, unsigned char c) {
    char b[4] = {'\\', (char)('0' + (c >> 6)), (char)('0' + ((c >> 3) & 7)), (char)('0' + (c & 7))};
    sb_put(out, b, 4);
}

/* $'...' with C escapes; printable (multibyte) characters stay as they are
 * in a UTF-8 locale, and are octal bytes in the C locale. */
static void quote_ansic(StrBuf *out, const char *s, bool utf8) {
    static const char named[] = "\aa\bb\tt\nn\vv\ff\rr\033E\\\\''";
    size_t n = strlen(s);
    sb_puts(out, "$'");
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        const char *nm = c ? memchr(named, c, sizeof named - 1) : NULL;
        if (nm && (nm - named) % 2 == 0) {
            sb_putc(out, '\\');
            sb_putc(out, nm[1]);
            i++;
        } else if (c >= 0x20 && c < 0x7F) {
            sb_putc(out, (char)c);
            i++;
        } else {
            size_t len = c >= 0x80 && utf8 ? printable_char_len(s + i, n - i) : 0;
            if (len) sb_put(out, s + i, len);
            else put_octal(out, c);
            i += len ? len : 1;
        }
    }
    sb_putc(out, '\'');
}

/* '...' with each ' written as '\'' ; a lone ' is just \' (bash does this). */
static void quote_squote(StrBuf *out, const char *s) {
    if (s[0] == '\'' && s[1] == 0) {
        sb_puts(out, "\\'");
        return;
    }
    sb_putc(out, '\'');
    for (; *s; s++) {
        if (*s == '\'') sb_puts(out, "'\\''");
        else sb_putc(out, *s);
    }
    sb_putc(out, '\'');
}

/* A tilde is special at the start of a word and after = or : (assignments). */
static bool tilde_special(const char *s, const char *p) {
    return p == s || p[-1] == '=' || p[-1] == ':';
}

void quote_backslash(StrBuf *out, const char *s, bool utf8) {
    if (!*s) { sb_puts(out, "''"); return; }
    if (needs_ansic(s, utf8)) { quote_ansic(out, s, utf8); return; }
    for (const char *p = s; *p; p++) {
        bool esc = strchr(" \t\n!\"$&'()*,;<>?[\\]^`{|}", *p) != NULL;
        if ((*p == '#' && p == s) || (*p == '~' && tilde_special(s, p))) esc = true;
        if (esc) sb_putc(out, '\\');
        sb_putc(out, *p);
    }
}

void quote_single(StrBuf *out, const char *s, bool utf8) {
    if (needs_ansic(s, utf8)) quote_ansic(out, s, utf8);
    else quote_squote(out, s);
}

void quote_double(StrBuf *out, const char *s, bool utf8) {
    if (needs_ansic(s, utf8)) { quote_ansic(out, s, utf8); return; }
    sb_putc(out, '"');
    for (; *s; s++) {
        if (strchr("\\\"$`", *s)) sb_putc(out, '\\');
        sb_putc(out, *s);
    }
    sb_putc(out, '"');
}

/* bash's sh_contains_shell_metas: would the word change meaning unquoted? */
static bool has_shell_metas(const char *s) {
    for (const char *p = s; *p; p++) {
        if (strchr(" \t\n'\"\\|&;()<>!{}*[?]^$`", *p)) return true;
        if (*p == '~' && tilde_special(s, p)) return true;
        if (*p == '#' && p == s) return true;
    }
    return false;
}

bool quote_needed(const char *s, bool utf8) {
    return needs_ansic(s, utf8) || has_shell_metas(s);
}

void quote_if_needed(StrBuf *out, const char *s, bool utf8) {
    if (needs_ansic(s, utf8)) quote_ansic(out, s, utf8);
    else if (has_shell_metas(s)) quote_squote(out, s);
    else sb_puts(out, s);
}

/* --------------------------------------------------------- printf state */

typedef struct Printf {
    StrBuf *out, *err;
    char *const *args;
    int nargs, next;
    bool failed; /* some argument was invalid: status 1 at the end */
    size_t max_out; /* bytes the caller can hold (a huge %*s width stops here) */
    bool over;      /* max_out was reached: the output is cut there */
    bool utf8;      /* the locale's character set: %q quotes other bytes in C */
} Printf;

/* One conversion specification, with '*' arguments already fetched. */
typedef struct Spec {
    const char *start;  /* the '%' */
    char flags[8];      /* for the C library: a subset of "#-+ 0" */
    bool left;          /* '-' flag or negative '*' width */
    int64_t width;      /* 0: none */
    int64_t prec;       /* -1: none */
    char prec_form;     /* how the precision was written: 0 none, 'd' digits, '*', '.' bare dot */
    bool huge;          /* literal width/precision beyond INT_MAX */
    char conv;
} Spec;

/* How a conversion or escape went. */
typedef enum { R_OK, R_FAIL, R_STOP } Result;

static const char *next_arg(Printf *p) {
    return p->next < p->nargs ? p->args[p->next++] : NULL;
}

static void bad_number(Printf *p, const char *s) {
    const char *what = "invalid number";
    if (s[0] == '0' && s[1] >= '0' && s[1] <= '9') what = "invalid octal number";
    else if (s[0] == '0' && s[1] == 'x') what = "invalid hex number";
    sb_printf(p->err, "printf: %s: %s\n", s, what);
    p->failed = true;
}

/* glibc's strerror(ERANGE) text, which bash prints; a warning, status 0. */
static void out_of_range(Printf *p, const char *s) {
    sb_printf(p->err, "printf: warning: %s: Numerical result out of range\n", s);
}

/* The value of 'c or "c: the code of the (UTF-8) character after the quote. */
static uint32_t char_code(const char *s) {
    uint32_t cp;
    size_t n = strlen(s + 1);
    if (utf8_decode((const unsigned char *)s + 1, n, &cp)) return cp;
    return (unsigned char)s[1];
}

static bool is_c_space(char c) {
    return c == ' ' || (c >= '\t' && c <= '\r');
}

/* strtoumax(s, &end, 0) done by hand, so no C library's extensions (such as
 * C23's 0b prefix) leak in. Returns the end; end == s when nothing parsed. */
static const char *scan_cint(const char *s, uintmax_t *mag, bool *neg, bool *ovf) {
    const char *p = s;
    int base = 10;
    *mag = 0;
    *neg = *ovf = false;
    while (is_c_space(*p)) p++;
    if (*p == '+' || *p == '-') *neg = *p++ == '-';
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && hexval(p[2]) >= 0) { base = 16; p += 2; }
    else if (p[0] == '0') base = 8;
    const char *digits = p;
    for (int d; (d = hexval(*p)) >= 0 && d < base; p++) {
        if (*mag > (UINTMAX_MAX - (uintmax_t)d) / (uintmax_t)base) *ovf = true;
        *mag = *mag * (uintmax_t)base + (uintmax_t)d;
    }
    return p == digits ? s : p;
}

/* The argument as bash's getintmax: missing or empty is 0, 'c is a
 * character code, otherwise C integer syntax; garbage is reported and the
 * value parsed so far used. */
static intmax_t arg_int(Printf *p) {
    const char *s = next_arg(p);
    if (!s) return 0;
    if (s[0] == '\'' || s[0] == '"') return (intmax_t)char_code(s);
    uintmax_t mag;
    bool neg, ovf;
    const char *end = scan_cint(s, &mag, &neg, &ovf);
    if (*end) bad_number(p, s);
    if (ovf || mag > (uintmax_t)INTMAX_MAX + neg) {
        if (!*end) out_of_range(p, s);
        return neg ? INTMAX_MIN : INTMAX_MAX;
    }
    return neg ? (intmax_t)(0 - mag) : (intmax_t)mag;
}

/* As arg_int, for o u x X: negative values wrap, as with strtoumax. */
static uintmax_t arg_uint(Printf *p) {
    const char *s = next_arg(p);
    if (!s) return 0;
    if (s[0] == '\'' || s[0] == '"') return char_code(s);
    uintmax_t mag;
    bool neg, ovf;
    const char *end = scan_cint(s, &mag, &neg, &ovf);
    if (*end) bad_number(p, s);
    if (ovf) {
        if (!*end) out_of_range(p, s);
        return UINTMAX_MAX;
    }
    return neg ? 0 - mag : mag;
}

/* Rough decimal exponent of a decimal literal (d.ddd x 10^E). */
static long decimal_exponent(const char *s) {
    long e = 0;
    while (is_c_space(*s) || *s == '+' || *s == '-') s++;
    while (*s == '0') s++;
    if (*s >= '1' && *s <= '9') {
        for (s++; *s >= '0' && *s <= '9'; s++) e++;
        if (*s == '.') for (s++; *s >= '0' && *s <= '9'; s++) {}
    } else if (*s == '.') {
        for (e = -1, s++; *s == '0'; s++) e--;
        while (*s >= '0' && *s <= '9') s++;
    }
    if (*s == 'e' || *s == 'E') {
        long x = strtol(s + 1, NULL, 10);
        e = (x > 100000) ? 100000 : (x < -100000) ? -100000 : e + x;
    }
    return e;
}

/* bash parses with strtold (x86 80-bit long double), which only reports a
 * range error beyond about 1e+-4932; we parse a double, so a double range
 * error is only worth a warning when long double would have failed too. */
static bool long_double_range_error(const char *s) {
    const char *p = s;
    while (is_c_space(*p) || *p == '+' || *p == '-') p++;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) return true;
    long e = decimal_exponent(s);
    return e >= 4932 || e <= -4932;
}

/* The argument as bash's getfloatmax (as a double, see format.h). */
static double arg_float(Printf *p) {
    const char *s = next_arg(p);
    if (!s) return 0;
    if (s[0] == '\'' || s[0] == '"') return (double)char_code(s);
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (*end) bad_number(p, s);
    else if (errno == ERANGE && long_double_range_error(s)) out_of_range(p, s);
    return v;
}

/* A '*' width or precision. Quirk kept from bash: the range warning names the
 * argument after the number, and with no argument after it the value is
 * merely truncated to int. */
static int64_t arg_star(Printf *p) {
    intmax_t v = arg_int(p);
    if (p->next >= p->nargs) return (int32_t)(uint32_t)(uintmax_t)v;
    if (v > INT_MAX || v < INT_MIN) {
        out_of_range(p, p->args[p->next]);
        return v > INT_MAX ? INT_MAX : INT_MIN;
    }
    return v;
}

/* ------------------------------------------------------ spec parsing */

static void add_flag(Spec *sp, char c) {
    size_t n = strlen(sp->flags);
    if (c == '\'' || strchr(sp->flags, c) || n + 1 >= sizeof sp->flags) return;
    sp->flags[n] = c;
    sp->flags[n + 1] = 0;
    if (c == '-') sp->left = true;
}

/* Digits of a literal width or precision; sets huge past INT_MAX. */
static const char *read_digits(const char *f, int64_t *v, bool *huge) {
    *v = 0;
    for (; *f >= '0' && *f <= '9'; f++) {
        if (*v > INT_MAX) *huge = true;
        else *v = *v * 10 + (*f - '0');
    }
    if (*v > INT_MAX) *huge = true;
    return f;
}

static const char *parse_width(Printf *p, const char *f, Spec *sp) {
    if (*f != '*') return read_digits(f, &sp->width, &sp->huge);
    int64_t w = arg_star(p);
    if (w < 0) {
        sp->left = true;
        add_flag(sp, '-');
        w = w == INT_MIN ? INT_MAX : -w;
    }
    sp->width = w;
    return f + 1;
}

static const char *parse_precision(Printf *p, const char *f, Spec *sp) {
    if (*f != '.') return f;
    f++;
    if (*f == '*') {
        int64_t v = arg_star(p);
        sp->prec = v < 0 ? -1 : v;
        sp->prec_form = '*';
        return f + 1;
    }
    bool neg = *f == '-';
    if (neg) f++;
    sp->prec_form = (*f >= '0' && *f <= '9') ? 'd' : '.';
    f = read_digits(f, &sp->prec, &sp->huge);
    if (neg) sp->prec = -1; /* a negative precision is as none */
    return f;
}

/* Parses "%[flags][width][.prec][len]conv" at f ('%'); '*' consumes
 * arguments. Returns where the conversion character is, or NULL after
 * reporting a format that ends too early. */
static const char *parse_spec(Printf *p, const char *f, Spec *sp) {
    memset(sp, 0, sizeof *sp);
    sp->start = f;
    sp->prec = -1;
    for (f++; *f && strchr("#'-+ 0", *f); f++) add_flag(sp, *f);
    f = parse_width(p, f, sp);
    f = parse_precision(p, f, sp);
    while (*f && strchr("hjlLtz", *f)) f++; /* length modifiers mean nothing here */
    if (!*f) {
        sb_printf(p->err, "printf: `%s': missing format character\n", sp->start);
        return NULL;
    }
    /* bash clamps these for strings; numbers then print nothing (huge) */
    if (sp->width > INT_MAX) sp->width = INT_MAX;
    if (sp->prec > INT_MAX) sp->prec = INT_MAX;
    sp->conv = *f;
    return f;
}

/* ------------------------------------------------------ conversions */

static void pad(Printf *p, int64_t n) {
    if (n <= 0) return;
    if ((uint64_t)n > p->max_out - p->out->len) {
        p->over = true;
        return;
    }
    sb_reserve(p->out, (size_t)n);
    memset(p->out->s + p->out->len, ' ', (size_t)n);
    p->out->len += (size_t)n;
    p->out->s[p->out->len] = 0;
}

/* Width and precision over bytes, as bash's printstr (used by %s %b %q %c
 * %T); s may hold NUL bytes. */
static void put_field(Printf *p, const Spec *sp, const char *s, size_t len) {
    if (sp->prec >= 0 && (uint64_t)sp->prec < len) len = (size_t)sp->prec;
    int64_t padn = sp->width - (int64_t)len;
    if (!sp->left) pad(p, padn);
    if (p->over) return;
    sb_put(p->out, s, len);
    if (sp->left) pad(p, padn);
}

/* "%<flags>*.*<mod><conv>" for the C library's printf. */
static void c_format(char *buf, const Spec *sp, const char *mod) {
    snprintf(buf, 32, "%%%s*.*%s%c", sp->flags, mod, sp->conv);
}

static void conv_int(Printf *p, const Spec *sp) {
    char cf[32];
    c_format(cf, sp, "j");
    if (sp->conv == 'd' || sp->conv == 'i') {
        intmax_t v = arg_int(p);
        if (!sp->huge) sb_printf(p->out, cf, (int)sp->width, (int)sp->prec, v);
    } else {
        uintmax_t v = arg_uint(p);
        if (!sp->huge) sb_printf(p->out, cf, (int)sp->width, (int)sp->prec, v);
    }
}

/* A double's sign, 64-bit mantissa (top bit set unless zero) and binary
 * exponent, so that |v| = mant * 2^(exp - 63): the layout of an x87 long
 * double, whose %a output bash prints. */
static void split_double(double v, bool *neg, uint64_t *mant, int *exp) {
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    *neg = bits >> 63;
    int e = (int)((bits >> 52) & 0x7FF);
    uint64_t m = bits & ((UINT64_C(1) << 52) - 1);
    *mant = 0;
    *exp = 0;
    if (e == 0 && m == 0) return;
    if (e == 0) e = 1; /* subnormal: no implicit bit */
    else m |= UINT64_C(1) << 52;
    e -= 1023;
    while (!(m & (UINT64_C(1) << 52))) { m <<= 1; e--; }
    *mant = m << 11;
    *exp = e;
}

/* Rounds mant (1 hex digit + 15 fraction digits) to prec fraction digits,
 * ties to even as glibc does. May carry into a 17th digit. */
static uint64_t round_hex(uint64_t mant, int prec, int *carry) {
    *carry = 0;
    if (prec >= 15) return mant;
    int drop = 60 - 4 * prec;
    uint64_t rem = mant & ((UINT64_C(1) << drop) - 1);
    uint64_t half = UINT64_C(1) << (drop - 1);
    uint64_t kept = mant >> drop;
    if (rem > half || (rem == half && (kept & 1))) kept++;
    if (kept >> (4 * prec + 4)) { /* 0xf.ff.. rounded up to 0x10 */
        *carry = 1;
        kept = UINT64_C(1) << (4 * prec);
    }
    return kept << drop;
}

/* The digits of %a for a finite value: "0x8.8p-3" style. */
static void hexfloat_body(StrBuf *b, const Spec *sp, uint64_t mant, int exp) {
    bool up = sp->conv == 'A';
    const char *dig = up ? "0123456789ABCDEF" : "0123456789abcdef";
    int carry = 0, e = 0;
    if (mant) {
        mant = round_hex(mant, sp->prec < 0 ? 15 : (int)sp->prec, &carry);
        e = exp - 3 + (carry ? 4 : 0);
    }
    sb_puts(b, up ? "0X" : "0x");
    sb_putc(b, carry ? '1' : dig[mant >> 60]);
    char frac[16];
    int nf = 0;
    for (int i = 0; i < 15; i++) frac[nf++] = dig[(mant >> (56 - 4 * i)) & 0xF];
    if (sp->prec < 0) while (nf > 0 && frac[nf - 1] == '0') nf--;
    else if (sp->prec < nf) nf = (int)sp->prec;
    if (nf > 0 || sp->prec > 0 || strchr(sp->flags, '#')) sb_putc(b, '.');
    sb_put(b, frac, (size_t)nf);
    for (int64_t i = nf; i < sp->prec; i++) sb_putc(b, '0');
    sb_printf(b, "%c%+d", up ? 'P' : 'p', e);
}

/* %a / %A as bash prints a long double on x86 (leading hex digit 8-f). */
static void conv_hexfloat(Printf *p, const Spec *sp, double v) {
    bool neg;
    uint64_t mant;
    int exp;
    split_double(v, &neg, &mant, &exp);
    StrBuf b;
    sb_init(&b);
    if (neg) sb_putc(&b, '-');
    else if (strchr(sp->flags, '+')) sb_putc(&b, '+');
    else if (strchr(sp->flags, ' ')) sb_putc(&b, ' ');
    size_t body = b.len;
    bool finite = v == v && v - v == 0;
    if (finite) hexfloat_body(&b, sp, mant, exp);
    else sb_puts(&b, v != v ? (sp->conv == 'A' ? "NAN" : "nan") : (sp->conv == 'A' ? "INF" : "inf"));
    int64_t padn = sp->width - (int64_t)b.len;
    if (finite && !sp->left && padn > 0 && strchr(sp->flags, '0')) {
        sb_put(p->out, b.s, body + 2); /* sign and 0x, then the zeros */
        for (; padn > 0; padn--) sb_putc(p->out, '0');
        sb_puts(p->out, b.s + body + 2);
    } else {
        Spec plain = *sp;
        plain.prec = -1;
        put_field(p, &plain, b.s, b.len);
    }
    sb_free(&b);
}

/* ---------------------------------------------------------------- %f */

static const uint64_t POW10[18] = {
    1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull, 1000000ull, 10000000ull, 100000000ull,
    1000000000ull, 10000000000ull, 100000000000ull, 1000000000000ull, 10000000000000ull,
    100000000000000ull, 1000000000000000ull, 10000000000000000ull, 100000000000000000ull,
};

/* The digits of d * 10^prec rounded to an integer, into buf (least
 * significant first); returns how many. d = mant * 2^-shift exactly. */
static int scaled_digits(uint64_t mant, int shift, int prec, char *buf) {
    unsigned __int128 v = (unsigned __int128)mant * POW10[prec], q = 0;
    if (shift == 0) q = v;
    else if (shift < 128) {
        unsigned __int128 one = 1, rest = v & ((one << shift) - 1), half = one << (shift - 1);
        q = v >> shift;
        if (rest > half || (rest == half && (q & 1))) q++;
    } /* else d * 10^prec < 2^110 / 2^128: under one half, rounds to 0 */
    int n = 0;
    uint64_t lo = (uint64_t)q, hi = 0;
    if (q >> 64) {
        hi = (uint64_t)(q / 1000000000000000000ull);
        lo = (uint64_t)(q % 1000000000000000000ull);
        for (int i = 0; i < 18; i++, lo /= 10) buf[n++] = (char)('0' + lo % 10);
        lo = hi;
    }
    do buf[n++] = (char)('0' + lo % 10); while (lo /= 10);
    return n;
}

bool format_fixed(StrBuf *out, double d, int width, int prec, const char *flags) {
    if (prec < 0 || prec > 17 || !(d - d == 0)) return false;
    bool neg = signbit(d);
    double a = fabs(d);
    if (a >= 9007199254740992.0) return false;
    int e = 0;
    uint64_t mant = 0;
    if (a != 0) {
        double m = frexp(a, &e); /* a = m * 2^e, m in [0.5, 1) */
        mant = (uint64_t)ldexp(m, 53);
        e -= 53;                 /* a = mant * 2^e, e < 0 */
    }
    char digits[48];
    int n = a != 0 ? scaled_digits(mant, -e, prec, digits) : 1;
    if (a == 0) digits[0] = '0';
    while (n <= prec) digits[n++] = '0'; /* at least one digit before the point */
    bool left = strchr(flags, '-'), zero = strchr(flags, '0') && !left, point = prec > 0 || strchr(flags, '#');
    char sign = neg ? '-' : strchr(flags, '+') ? '+' : strchr(flags, ' ') ? ' ' : 0;
    int len = (sign != 0) + n + point;
    int pad = width > len ? width - len : 0;
    if (!left && !zero)
        for (int i = 0; i < pad; i++) sb_putc(out, ' ');
    if (sign) sb_putc(out, sign);
    if (zero)
        for (int i = 0; i < pad; i++) sb_putc(out, '0');
    for (int i = n - 1; i >= prec; i--) sb_putc(out, digits[i]);
    if (point) sb_putc(out, '.');
    for (int i = prec - 1; i >= 0; i--) sb_putc(out, digits[i]);
    if (left)
        for (int i = 0; i < pad; i++) sb_putc(out, ' ');
    return true;
}

/* ------------------------------------------------------- %e %f %g, exact */

/* The exact decimal value of a double, as far as the format needs it, and
 * rounded as text, half to even on the exact value, as glibc does. A double
 * is m * 2^e with integers m < 2^53 and -1074 <= e <= 971.
 * - e >= 0: the integer m * 2^e (at most 309 digits) is built in base 10^9
 *   limbs by multiplying by 2^30 at a time; all its digits are kept.
 * - e < 0: the integer part m >> -e fits in 64 bits; the fraction, a binary
 *   fraction of -e bits (at most 34 limbs of 32), gives its next 9 digits as
 *   the carry out of multiplying it by 10^9. That stops once the format has
 *   the digits it needs and one more; whether the rest is zero ("sticky") is
 *   all that matters for rounding after that. Each pass shifts 9 zero bits
 *   in at the bottom, which drop off, so the smallest subnormal costs about
 *   35 passes over 34 limbs before its first digit. */
enum {
    DEC_LIMBS = 40,       /* 2^1024 < 10^(9 * 35) */
    DEC_FRAC_LIMBS = 34,  /* 1074 bits */
    DEC_DIGITS = 1100,    /* 16 integer digits and 1074 fraction digits, in groups of 9 */
    FORMAT_MAX_PREC = 4096,
};

typedef struct Decimal {
    char dig[DEC_DIGITS]; /* from the first nonzero digit; the last nonzero */
    int n;                /* digits (a zero value is the single digit 0) */
    int x;                /* the value is dig[0].dig[1]dig[2]... * 10^x */
    bool sticky;          /* a nonzero digit follows the stored ones */
} Decimal;

/* limb[0..n) (least significant first) *= f; returns the new length. f is
 * below 2^32, so limb * f + carry stays below 2^64. */
static int big_mul(uint32_t *limb, int n, uint32_t f) {
    uint64_t carry = 0;
    for (int i = 0; i < n; i++) {
        uint64_t v = (uint64_t)limb[i] * f + carry;
        limb[i] = (uint32_t)(v % 1000000000u);
        carry = v / 1000000000u;
    }
    for (; carry; carry /= 1000000000u) limb[n++] = (uint32_t)(carry % 1000000000u);
    return n;
}

/* Appends the w lowest decimal digits of v, leading zeros included. */
static void put_group(Decimal *dec, uint64_t v, int w) {
    for (int j = w - 1; j >= 0; j--, v /= 10) dec->dig[dec->n + j] = (char)('0' + v % 10);
    dec->n += w;
}

static int digit_count(uint64_t v) {
    int w = 1;
    while (v >= 10) { v /= 10; w++; }
    return w;
}

/* The integer m * 2^e, e > 0, in full. */
static void big_integer_digits(Decimal *dec, uint64_t m, int e) {
    uint32_t limb[DEC_LIMBS];
    int n = 0;
    do limb[n++] = (uint32_t)(m % 1000000000u); while (m /= 1000000000u);
    for (; e > 0; e -= 30) n = big_mul(limb, n, UINT32_C(1) << (e < 30 ? e : 30));
    put_group(dec, limb[n - 1], digit_count(limb[n - 1]));
    for (int i = n - 2; i >= 0; i--) put_group(dec, limb[i], 9);
    dec->x = dec->n - 1;
}

/* The digits of the fraction frac / 2^k (0 < frac < 2^k, frac < 2^53) after
 * the integer part's, until dec has sig_want significant digits or the
 * fraction frac_want digits, or the fraction is exhausted. */
static void fraction_digits(Decimal *dec, uint64_t frac, int k, int sig_want, int frac_want) {
    uint32_t f[DEC_FRAC_LIMBS];
    int len = (k + 31) / 32, s = 32 * len - k, lo = 0, fpos = 0;
    memset(f, 0, (size_t)len * sizeof *f);
    /* frac * 2^s / 2^(32 len): the fraction left-aligned in len limbs */
    uint64_t rest = frac >> (32 - s);
    f[0] = (uint32_t)(frac << s);
    if (len > 1) f[1] = (uint32_t)rest;
    if (len > 2) f[2] = (uint32_t)(rest >> 32);
    while (lo < len && dec->n < sig_want && fpos < frac_want) {
        uint64_t carry = 0;
        for (int i = lo; i < len; i++) {
            uint64_t v = (uint64_t)f[i] * 1000000000u + carry;
            f[i] = (uint32_t)v;
            carry = v >> 32;
        }
        while (lo < len && f[lo] == 0) lo++;
        if (dec->n == 0 && carry != 0) { /* the first significant digit */
            int w = digit_count(carry);
            dec->x = -(fpos + 10 - w);
            put_group(dec, carry, w);
        } else if (dec->n > 0) {
            put_group(dec, carry, 9);
        }
        fpos += 9;
    }
    dec->sticky = lo < len;
}

/* dec = |d| (finite) to at least sig_want significant digits or frac_want
 * fraction digits, whichever comes first, then exact or sticky. */
static void exact_decimal(double d, Decimal *dec, int sig_want, int frac_want) {
    bool neg;
    uint64_t m;
    int e;
    split_double(d, &neg, &m, &e);
    dec->n = 0;
    dec->x = 0;
    dec->sticky = false;
    if (m != 0) {
        e -= 63; /* |d| = m * 2^e; an odd m needs the fewest multiplications */
        while (!(m & 1)) { m >>= 1; e++; }
        if (e >= 0) {
            big_integer_digits(dec, m, e);
        } else {
            uint64_t ip = -e < 64 ? m >> -e : 0;
            if (ip) {
                put_group(dec, ip, digit_count(ip));
                dec->x = dec->n - 1;
            }
            fraction_digits(dec, -e < 64 ? m & ((UINT64_C(1) << -e) - 1) : m, -e, sig_want, frac_want);
        }
    }
    while (dec->n > 0 && dec->dig[dec->n - 1] == '0') dec->n--;
    if (dec->n == 0) { /* zero, or below 10^-frac_want: a %f that rounds to 0 */
        dec->dig[dec->n++] = '0';
        dec->x = 0;
        dec->sticky = false;
    }
}

/* Keeps at most p >= 1 significant digits, rounding half to even; a carry out
 * of the first digit (9.99 -> 10) raises x. */
static void round_decimal(Decimal *dec, int p) {
    if (dec->n <= p) return;
    char next = dec->dig[p];
    bool up = next > '5' || (next == '5' && (dec->n > p + 1 || dec->sticky || ((dec->dig[p - 1] - '0') & 1)));
    int n = p;
    if (up) {
        while (n > 0 && dec->dig[n - 1] == '9') n--;
        if (n == 0) {
            dec->dig[n++] = '1';
            dec->x++;
        } else {
            dec->dig[n - 1]++;
        }
    }
    while (n > 1 && dec->dig[n - 1] == '0') n--;
    dec->n = n;
}

/* Rounds to a multiple of 10^-prec (%f). When even the first digit is below
 * that, the value is 0 or 10^-prec (only more than half of it rounds up). */
static void round_fixed(Decimal *dec, int prec) {
    int keep = dec->x + 1 + prec;
    if (keep >= 1) {
        round_decimal(dec, keep);
        return;
    }
    bool up = keep == 0 && (dec->dig[0] > '5' || (dec->dig[0] == '5' && (dec->n > 1 || dec->sticky)));
    dec->dig[0] = up ? '1' : '0';
    dec->n = 1;
    dec->x = up ? -prec : 0;
}

/* The digit of 10^(x - i), '0' outside the stored digits. */
static char dec_digit(const Decimal *dec, int i) {
    return i >= 0 && i < dec->n ? dec->dig[i] : '0';
}

/* %f style: the integer part, then prec fraction digits. */
static char *put_fixed_style(char *p, const Decimal *dec, int prec, bool point) {
    if (dec->x < 0) *p++ = '0';
    for (int i = 0; i <= dec->x; i++) *p++ = dec_digit(dec, i);
    if (point) *p++ = '.';
    for (int j = 1; j <= prec; j++) *p++ = dec_digit(dec, dec->x + j);
    return p;
}

/* %e style: one digit, prec more, and an exponent of at least two digits. */
static char *put_exp_style(char *p, const Decimal *dec, int prec, bool point, char e) {
    *p++ = dec->dig[0];
    if (point) *p++ = '.';
    for (int i = 1; i <= prec; i++) *p++ = dec_digit(dec, i);
    int x = dec->x < 0 ? -dec->x : dec->x;
    *p++ = e;
    *p++ = dec->x < 0 ? '-' : '+';
    if (x >= 100) *p++ = (char)('0' + x / 100);
    *p++ = (char)('0' + x / 10 % 10);
    *p++ = (char)('0' + x % 10);
    return p;
}

/* Rounds dec for conv (f e g, lower case) and writes it at p. %g uses the
 * exponent X of the %e form rounded to P significant digits (P is the
 * precision, at least 1): %f style with P-1-X fraction digits when
 * -4 <= X < P, else %e style with P-1; then, without '#', it drops trailing
 * fraction zeros and a bare point. */
static char *put_decimal(char *p, Decimal *dec, char conv, int prec, bool hash, bool upper) {
    char e = upper ? 'E' : 'e';
    if (conv == 'f') {
        round_fixed(dec, prec);
        return put_fixed_style(p, dec, prec, prec > 0 || hash);
    }
    if (conv == 'e') {
        round_decimal(dec, prec + 1);
        return put_exp_style(p, dec, prec, prec > 0 || hash, e);
    }
    int P = prec == 0 ? 1 : prec, x0 = dec->x;
    round_decimal(dec, P);
    bool fixed = dec->x >= -4 && dec->x < P;
    int frac = fixed ? P - 1 - dec->x : P - 1;
    /* glibc quirk: when rounding carries a %f-style value (99.96 at P 3)
     * over into the %e style, '#' keeps the point but no zeros: "1.e+02" */
    if (hash && x0 < P && dec->x == P) frac = 0;
    if (!hash) {
        int have = fixed ? dec->n - 1 - dec->x : dec->n - 1; /* n <= P, so have <= frac */
        frac = have > 0 ? have : 0;
    }
    if (fixed) return put_fixed_style(p, dec, frac, frac > 0 || hash);
    return put_exp_style(p, dec, frac, frac > 0 || hash, e);
}

/* Pads the field out[start..] to width: spaces before it, zeros after the
 * sign (at body) with '0', spaces after it with '-'. */
static void pad_number(StrBuf *out, size_t start, size_t body, int width, bool left, bool zero) {
    size_t len = out->len - start;
    if (width <= 0 || (size_t)width <= len) return;
    size_t n = (size_t)width - len;
    sb_reserve(out, n);
    size_t at = left ? out->len : zero ? body : start;
    memmove(out->s + at + n, out->s + at, out->len - at);
    memset(out->s + at, zero ? '0' : ' ', n);
    out->len += n;
    out->s[out->len] = 0;
}

/* Appends sign (if any) and the finite d in conv (f e g), upper-case or not. */
static void put_finite(StrBuf *out, double d, int prec, char sign, char conv, bool upper, bool hash) {
    /* the digits to round: prec + 1 significant for %e, P for %g, prec
     * fraction digits for %f; and one more */
    Decimal dec;
    int P = prec == 0 ? 1 : prec;
    if (conv == 'f') exact_decimal(d, &dec, INT_MAX, prec + 1);
    else exact_decimal(d, &dec, (conv == 'e' ? prec + 1 : P) + 1, INT_MAX);
    /* the longest form: sign, x + 1 integer digits (one more after a carry)
     * or "0." before a negative x, the point, prec digits, "e+308" */
    int x = dec.x < 0 ? -dec.x : dec.x;
    sb_reserve(out, (size_t)x + (size_t)prec + 16);
    char *p = out->s + out->len;
    if (sign) *p++ = sign;
    p = put_decimal(p, &dec, conv, prec, hash, upper);
    out->len = (size_t)(p - out->s);
    out->s[out->len] = 0;
}

bool format_general(StrBuf *out, double d, int width, int prec, const char *flags, char conv) {
    char lower = (char)(conv | 0x20);
    if (prec < 0 || prec > FORMAT_MAX_PREC || !strchr("efg", lower)) return false;
    bool finite = d - d == 0, upper = conv != lower, left = strchr(flags, '-') != NULL;
    if (lower == 'f' && finite && format_fixed(out, d, width, prec, flags)) return true;
    char sign = signbit(d) ? '-' : strchr(flags, '+') ? '+' : strchr(flags, ' ') ? ' ' : 0;
    size_t start = out->len;
    if (!finite) {
        if (sign) sb_putc(out, sign);
        sb_puts(out, d != d ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf"));
        pad_number(out, start, start, width, left, false);
        return true;
    }
    put_finite(out, d, prec, sign, lower, upper, strchr(flags, '#') != NULL);
    pad_number(out, start, start + (sign != 0), width, left, !left && strchr(flags, '0'));
    return true;
}

static void conv_float(Printf *p, const Spec *sp) {
    double v = arg_float(p);
    if (sp->huge) return;
    if (sp->conv == 'a' || sp->conv == 'A') {
        conv_hexfloat(p, sp, v);
        return;
    }
    int prec = sp->prec < 0 ? 6 : (int)sp->prec; /* already clamped to INT_MAX */
    if (format_general(p->out, v, (int)sp->width, prec, sp->flags, sp->conv)) return;
    char cf[32];
    c_format(cf, sp, "");
    sb_printf(p->out, cf, (int)sp->width, (int)sp->prec, v);
}

/* %b: the argument's escapes; \c ends everything (status 0, as bash). */
static Result conv_b(Printf *p, const Spec *sp) {
    const char *s = next_arg(p);
    if (!s) s = "";
    StrBuf b;
    sb_init(&b);
    EscOut eo = {&b, p->err, false, false};
    expand_escapes(ESC_B, s, strlen(s), &eo);
    put_field(p, sp, sb_cstr(&b), b.len);
    sb_free(&b);
    return eo.sawc ? R_STOP : R_OK;
}

/* %q quotes then applies the precision. %Q, as bash 5.2 implements it,
 * applies written digits to the argument before quoting, ignores a '*'
 * precision, and for a bare '.' cuts both the argument and the result. */
static void conv_q(Printf *p, const Spec *sp) {
    const char *s = next_arg(p);
    if (!s) s = "";
    char *cut = NULL;
    Spec use = *sp;
    if (sp->conv == 'Q' && sp->prec_form) {
        if (sp->prec_form != '*' && sp->prec >= 0) {
            cut = xstrndup(s, strnlen(s, (size_t)sp->prec));
            s = cut;
        }
        if (sp->prec_form != '.') use.prec = -1;
    }
    StrBuf b;
    sb_init(&b);
    quote_backslash(&b, s, p->utf8);
    put_field(p, &use, sb_cstr(&b), b.len);
    sb_free(&b);
    free(cut);
}

static void conv_c(Printf *p, const Spec *sp) {
    const char *s = next_arg(p);
    char c = s ? s[0] : 0;
    Spec use = *sp;
    use.prec = -1;
    if (!sp->huge) put_field(p, &use, &c, 1);
}

static void conv_s(Printf *p, const Spec *sp) {
    const char *s = next_arg(p);
    if (!s) s = "";
    put_field(p, sp, s, strlen(s));
}

static bool is_identifier(const char *s) {
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_')) return false;
    for (s++; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return false;
    return true;
}

/* %n: bash stores the byte count so far in the named variable. This API has
 * no hook for assignments, so only the name is checked, as bash does. */
static Result conv_n(Printf *p) {
    const char *name = next_arg(p);
    if (!name || !*name || is_identifier(name)) return R_OK;
    sb_printf(p->err, "printf: `%s': not a valid identifier\n", name);
    return R_FAIL;
}

/* Runs one conversion; %(...)T is handled by the caller. */
static Result convert(Printf *p, const Spec *sp) {
    switch (sp->conv) {
    case 'd': case 'i': case 'o': case 'u': case 'x': case 'X':
        conv_int(p, sp);
        return R_OK;
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case 'a': case 'A':
        conv_float(p, sp);
        return R_OK;
    case 's': conv_s(p, sp); return R_OK;
    case 'c': conv_c(p, sp); return R_OK;
    case 'b': return conv_b(p, sp);
    case 'q': case 'Q': conv_q(p, sp); return R_OK;
    case 'n': return conv_n(p);
    default:
        sb_printf(p->err, "printf: `%c': invalid format character\n", sp->conv);
        return R_FAIL;
    }
}

/* Finds the ')' matching the '(' at f, counting nested parentheses; returns
 * the closing ')' or the end of the string. */
static const char *time_format_end(const char *f) {
    int depth = 1;
    for (f++; *f; f++) {
        if (*f == '(') depth++;
        else if (*f == ')' && --depth == 0) break;
    }
    return f;
}

/* %(fmt)T: strftime of the argument (seconds; -1 or none = now, -2 = shell
 * start, which is also taken as now). bash's buffer is 128 bytes: a longer
 * result prints as empty. */
static void put_time(Printf *p, const Spec *sp, const char *tf, size_t tlen) {
    char *tfmt = tlen ? xstrndup(tf, tlen) : xstrdup("%X");
    intmax_t arg = p->next < p->nargs ? arg_int(p) : -1;
    time_t secs = (arg == -1 || arg == -2) ? time(NULL) : (time_t)arg;
    struct tm tm;
    char buf[128];
    size_t n = 0;
    if (!localtime_r(&secs, &tm)) {
        secs = 0;
        localtime_r(&secs, &tm);
    }
    n = strftime(buf, sizeof buf, tfmt, &tm);
    free(tfmt);
    put_field(p, sp, buf, n);
}

/* The '(' of %(...)T is at f. Returns where scanning continues. A missing T
 * is only a warning: bash then prints the '%' and rescans what follows it. */
static const char *conv_time(Printf *p, const Spec *sp, const char *f) {
    const char *close = time_format_end(f);
    char after = *close ? close[1] : 0;
    if (after != 'T') {
        sb_puts(p->err, "printf: warning: `");
        sb_putc(p->err, after); /* NUL included, as bash prints it */
        sb_puts(p->err, "': invalid time format specification\n");
        sb_putc(p->out, '%');
        return sp->start + 1;
    }
    put_time(p, sp, f + 1, (size_t)(close - f - 1));
    return close + 2;
}

/* A backslash escape in the format (f is just after the backslash). */
static const char *format_escape(Printf *p, const char *f) {
    if (!*f) {
        sb_putc(p->out, '\\');
        return f;
    }
    EscOut eo = {p->out, p->err, false, false};
    return f + escape_one(ESC_FORMAT, f, strnlen(f, 16), &eo);
}

/* One pass over the format. */
static Result run_format(Printf *p, const char *fmt) {
    const char *f = fmt;
    while (*f) {
        if (*f == '\\') { f = format_escape(p, f + 1); continue; }
        if (*f != '%') { sb_putc(p->out, *f++); continue; }
        if (f[1] == '%') { sb_putc(p->out, '%'); f += 2; continue; }
        Spec sp;
        const char *c = parse_spec(p, f, &sp);
        if (!c) return R_FAIL;
        if (sp.conv == '(') {
            f = conv_time(p, &sp, c);
            continue;
        }
        Result r = convert(p, &sp);
        if (r != R_OK) return r;
        if (p->over || p->out->len > p->max_out) {
            p->over = true;
            return R_FAIL;
        }
        f = c + 1;
    }
    return R_OK;
}

int format_printf(StrBuf *out, const char *fmt, char *const *args, int nargs, StrBuf *err, bool utf8) {
    return format_printf_bounded(out, fmt, args, nargs, err, SIZE_MAX, utf8);
}

int format_printf_bounded(StrBuf *out, const char *fmt, char *const *args, int nargs, StrBuf *err,
                          size_t max_out, bool utf8) {
    Printf p = {out, err, args, nargs, 0, false, max_out, false, utf8};
    /* The format is reused while arguments remain, but only if it consumes
     * any: otherwise it is printed once. */
    do {
        Result r = run_format(&p, fmt);
        if (p.over) return FORMAT_TOO_LARGE;
        if (r == R_FAIL) return 1;
        if (r == R_STOP) return 0;
    } while (p.next > 0 && p.next < p.nargs);
    return p.failed ? 1 : 0;
}
