/* printf.c - the printf utility: printf FORMAT [ARGUMENT]..., using the
 * shell's format engine (format_printf), so it formats as the builtin; its
 * diagnostics, which are bash's, are reworded as GNU coreutils printf words
 * them ('X': expected a numeric value, %z: invalid conversion
 * specification, ...), and an out-of-range number is an error, as there. */
#include "format.h"
#include "ucommon.h"

#include <stdlib.h>
#include <string.h>

/* True when FORMAT has a conversion (anything but %%): otherwise arguments
 * are ignored with a warning, as GNU does. */
static bool has_conversion(const char *f) {
    for (const char *p = strchr(f, '%'); p; p = strchr(p + 2, '%')) {
        if (p[1] != '%') return true;
        if (!p[1]) break;
    }
    return false;
}

/* Length of the conversion spec at f ('%' included), 0 if unterminated;
 * *stars counts its '*' widths (each takes an argument). */
static size_t spec_len(const char *f, int *stars) {
    size_t i = 1;
    *stars = 0;
    while (f[i] && strchr("#0- +'", f[i])) i++;
    for (int part = 0; part < 2; part++) {
        if (f[i] == '*') (*stars)++, i++;
        else while (f[i] >= '0' && f[i] <= '9') i++;
        if (part == 0 && f[i] == '.') i++;
        else if (part == 0) break;
    }
    while (f[i] && strchr("hlLjzt", f[i])) i++;
    return f[i] ? i + 1 : 0;
}

/* GNU's %q quotes as its messages do (shell-escape: 'a b', "it's"), not as
 * bash's builtin (a\ b): the arguments %q takes are quoted here and the
 * directives become %s. Walks the format as often as the arguments need it. */
static char *prepare_q(const char *fmt, char **args, int nargs, char ***out_args) {
    char **v = xcalloc((size_t)nargs + 1, sizeof *v);
    for (int i = 0; i < nargs; i++) v[i] = xstrdup(args[i]);
    *out_args = v;
    StrBuf f;
    sb_init(&f);
    sb_puts(&f, fmt);
    bool any_q = false;
    for (size_t i = 0; i + 1 < f.len; i++)
        if (f.s[i] == '%' && f.s[i + 1] == 'q') any_q = true;
        else if (f.s[i] == '%' && f.s[i + 1] == '%') i++;
    if (!any_q) return sb_take(&f);
    int next = 0;
    do {
        int before = next;
        for (size_t i = 0; i < f.len && next < nargs; i++) {
            if (f.s[i] == '\\' && f.s[i + 1]) {
                i++;
                continue;
            }
            if (f.s[i] != '%') continue;
            if (f.s[i + 1] == '%') {
                i++;
                continue;
            }
            int stars;
            size_t n = spec_len(f.s + i, &stars);
            if (!n) break;
            next += stars;
            if (f.s[i + n - 1] == 'q' && n == 2 && next < nargs) {
                char *q = u_quotef(v[next]);
                free(v[next]);
                v[next] = q;
            }
            next++;
            i += n - 1;
        }
        if (next == before) break;
    } while (next < nargs);
    for (size_t i = 0; i + 1 < f.len; i++)
        if (f.s[i] == '%' && f.s[i + 1] == '%') i++;
        else if (f.s[i] == '%' && f.s[i + 1] == 'q') f.s[i + 1] = 's';
    return sb_take(&f);
}

/* An argument that starts as a number but has junk after it. */
static bool numeric_prefix(const char *s) {
    while (*s == ' ' || *s == '\t') s++;
    if (*s == '-' || *s == '+') s++;
    return *s >= '0' && *s <= '9';
}

/* Rewrites one bash-style diagnostic line (without "printf: ") the GNU way;
 * sets *fatal when GNU would fail where bash only warns. */
static void reword(StrBuf *out, const char *line, bool *fatal) {
    static const char *const numbers[] = {": invalid number", ": invalid octal number", ": invalid hex number"};
    size_t len = strlen(line);
    for (int i = 0; i < 3; i++) {
        size_t sl = strlen(numbers[i]);
        if (len > sl && !strcmp(line + len - sl, numbers[i])) {
            char *arg = xstrndup(line, len - sl), *q = u_quote(arg);
            sb_printf(out, "printf: %s: %s\n", q,
                      numeric_prefix(arg) ? "value not completely converted" : "expected a numeric value");
            free(q);
            free(arg);
            return;
        }
    }
    const char *range = ": Numerical result out of range";
    if (!strncmp(line, "warning: ", 9) && len > strlen(range) && !strcmp(line + len - strlen(range), range)) {
        char *arg = xstrndup(line + 9, len - 9 - strlen(range)), *q = u_quote(arg);
        sb_printf(out, "printf: %s%s\n", q, range);
        free(q);
        free(arg);
        *fatal = true;
        return;
    }
    const char *missing = "': missing format character", *badchar = "': invalid format character";
    if (line[0] == '`' && len > strlen(missing) && !strcmp(line + len - strlen(missing), missing)) {
        sb_printf(out, "printf: %.*s: invalid conversion specification\n", (int)(len - 1 - strlen(missing)), line + 1);
        return;
    }
    if (line[0] == '`' && len == 2 + strlen(badchar) && !strcmp(line + 2, badchar)) {
        sb_printf(out, "printf: %%%c: invalid conversion specification\n", line[1]);
        return;
    }
    sb_printf(out, "printf: %s\n", line);
}

static void reword_all(StrBuf *out, const StrBuf *err, bool *fatal) {
    const char *p = err->s, *end = err->s + err->len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl) nl = end;
        char *line = xstrndup(p, (size_t)(nl - p));
        reword(out, !strncmp(line, "printf: ", 8) ? line + 8 : line, fatal);
        free(line);
        p = nl + 1;
    }
}

int util_printf_main(UtilCtx *c, int argc, char **argv) {
    if (argc == 2 && !strcmp(argv[1], "--help")) return u_help(c, "FORMAT [ARGUMENT]...");
    if (argc == 2 && !strcmp(argv[1], "--version")) return u_version(c);
    int first = argc > 1 && !strcmp(argv[1], "--") ? 2 : 1;
    if (argc <= first) {
        u_missing_operand(c, NULL);
        return 1;
    }
    StrBuf out, err, msgs;
    sb_init(&out);
    sb_init(&err);
    sb_init(&msgs);
    int nargs = argc - first - 1;
    bool fatal = false;
    char **args;
    char *fmt = prepare_q(argv[first], argv + first + 1, nargs, &args);
    int status = format_printf(&out, fmt, args, has_conversion(argv[first]) ? nargs : 0, &err, u_locale_utf8(c));
    for (int i = 0; i < nargs; i++) free(args[i]);
    free(args);
    free(fmt);
    reword_all(&msgs, &err, &fatal);
    if (nargs && !has_conversion(argv[first])) {
        char *q = u_quote(argv[first + 1]);
        sb_printf(&msgs, "printf: warning: ignoring excess arguments, starting with %s\n", q);
        free(q);
    }
    if (fatal) status = 1;
    if (out.len && uc_write(c, 1, out.s, out.len) < 0) status = 1;
    if (msgs.len) uc_write(c, 2, msgs.s, msgs.len);
    sb_free(&out);
    sb_free(&err);
    sb_free(&msgs);
    return status;
}
