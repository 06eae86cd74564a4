/* ucommon.c - helpers shared by the utilities (see ucommon.h). */
#include "ucommon.h"

#include <grp.h>
#include <pwd.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ================= option parsing ================= */

static const UOptLong implicit_longs[] = {
    {"help", UO_NOARG, UO_HELP},
    {"version", UO_NOARG, UO_VERSION},
    {NULL, 0, 0},
};

void uopt_init(UOpts *o, UtilCtx *c, int argc, char **argv, const char *shortopts,
               const UOptLong *longopts) {
    memset(o, 0, sizeof *o);
    o->c = c;
    o->argc = argc;
    o->argv = argv;
    o->shortopts = shortopts ? shortopts : "";
    o->longopts = longopts;
    o->i = 1;
    sl_init(&o->ops);
}

void uopt_free(UOpts *o) { sl_free(&o->ops); }

void u_try_help(UtilCtx *c) {
    char buf[160];
    snprintf(buf, sizeof buf, "Try '%s --help' for more information.\n", uc_name(c));
    uc_puts(c, 2, buf);
}

int u_help(UtilCtx *c, const char *usage) {
    uc_printf(c, 1, "Usage: %s %s\n", uc_name(c), usage);
    return 0;
}

int u_version(UtilCtx *c) {
    uc_printf(c, 1, "%s (wasmsh coreutils) 1.0\n", uc_name(c));
    return 0;
}

void u_missing_operand(UtilCtx *c, const char *after) {
    if (after) {
        char *q = u_quote(after);
        uc_error(c, "missing operand after %s", q);
        free(q);
    } else {
        uc_error(c, "missing operand");
    }
    u_try_help(c);
}

void u_missing_file_operand(UtilCtx *c) {
    uc_error(c, "missing file operand");
    u_try_help(c);
}

void u_extra_operand(UtilCtx *c, const char *op) {
    char *q = u_quote(op);
    uc_error(c, "extra operand %s", q);
    free(q);
    u_try_help(c);
}

bool u_confirm(UtilCtx *c, const char *fmt, ...) {
    StrBuf q;
    sb_init(&q);
    sb_printf(&q, "%s: ", uc_name(c));
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&q, fmt, ap);
    va_end(ap);
    uc_write(c, 2, q.s, q.len);
    sb_free(&q);
    char ch, first = 0;
    bool any = false;
    while (uc_read(c, 0, &ch, 1) == 1 && ch != '\n') {
        if (!any && ch != ' ' && ch != '\t') first = ch, any = true;
    }
    return first == 'y' || first == 'Y';
}

static bool is_negnum(const char *a) {
    return a[0] == '-' && ((a[1] >= '0' && a[1] <= '9') || (a[1] == '.' && a[2] >= '0' && a[2] <= '9'));
}

static int opt_error(UOpts *o) {
    if (o->usage_line) uc_puts(o->c, 2, o->usage_line);
    if (o->try_line) uc_puts(o->c, 2, o->try_line);
    else if (!o->own_try_help) u_try_help(o->c);
    return UO_ERR;
}

/* A diagnostic about the options, under msg_name when one is set. */
static void opt_msg(UOpts *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void opt_msg(UOpts *o, const char *fmt, ...) {
    StrBuf b;
    sb_init(&b);
    sb_printf(&b, "%s: ", o->msg_name ? o->msg_name : uc_name(o->c));
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&b, fmt, ap);
    va_end(ap);
    sb_putc(&b, '\n');
    uc_write(o->c, 2, b.s, b.len);
    sb_free(&b);
}

static int short_opt(UOpts *o) {
    char ch = *o->cluster++;
    const char *p = ch == ':' || ch == '+' ? NULL : strchr(o->shortopts, ch);
    o->opt = (unsigned char)ch;
    if (!p || !ch) {
        o->cluster = NULL;
        opt_msg(o, "invalid option -- '%c'", ch);
        return opt_error(o);
    }
    if (p[1] != ':') return (unsigned char)ch;
    if (*o->cluster) {
        o->arg = (char *)o->cluster;
    } else if (p[2] != ':') {
        if (o->i >= o->argc) {
            opt_msg(o, "option requires an argument -- '%c'", ch);
            return opt_error(o);
        }
        o->arg = o->argv[o->i++];
    }
    o->cluster = NULL;
    return (unsigned char)ch;
}

/* Finds the long option named by name[0..len); exact match wins, else a
 * unique prefix (several prefixes mapping to one key are not ambiguous). */
static const UOptLong *find_long(UOpts *o, const char *name, size_t len, bool *ambiguous) {
    const UOptLong *lists[2] = {o->longopts, implicit_longs};
    const UOptLong *found = NULL;
    *ambiguous = false;
    for (int l = 0; l < 2; l++)
        for (const UOptLong *p = lists[l]; p && p->name; p++)
            if (strlen(p->name) == len && !strncmp(p->name, name, len)) return p;
    for (int l = 0; l < 2; l++)
        for (const UOptLong *p = lists[l]; p && p->name; p++) {
            if (strncmp(p->name, name, len)) continue;
            if (found && (found->key != p->key || found->has_arg != p->has_arg)) *ambiguous = true;
            if (!found) found = p;
        }
    return found;
}

static void report_ambiguous(UOpts *o, const char *name, size_t len, const char *full) {
    const UOptLong *lists[2] = {o->longopts, implicit_longs};
    StrBuf b;
    sb_init(&b);
    sb_printf(&b, "option '%s' is ambiguous; possibilities:", full);
    for (int l = 0; l < 2; l++)
        for (const UOptLong *p = lists[l]; p && p->name; p++)
            if (!strncmp(p->name, name, len)) sb_printf(&b, " '--%s'", p->name);
    opt_msg(o, "%s", sb_cstr(&b));
    sb_free(&b);
}

static int long_opt(UOpts *o, char *full) {
    char *name = full + 2;
    char *eq = strchr(name, '=');
    size_t len = eq ? (size_t)(eq - name) : strlen(name);
    bool amb;
    const UOptLong *p = find_long(o, name, len, &amb);
    o->opt = 0;
    if (amb) {
        char *shown = xstrndup(full, len + 2);
        report_ambiguous(o, name, len, shown);
        free(shown);
        return opt_error(o);
    }
    if (!p) {
        opt_msg(o, "unrecognized option '%s'", full);
        return opt_error(o);
    }
    if (p->has_arg == UO_NOARG && eq) {
        opt_msg(o, "option '--%s' doesn't allow an argument", p->name);
        return opt_error(o);
    }
    if (eq) {
        o->arg = eq + 1;
    } else if (p->has_arg == UO_REQ) {
        if (o->i >= o->argc) {
            opt_msg(o, "option '--%s' requires an argument", p->name);
            return opt_error(o);
        }
        o->arg = o->argv[o->i++];
    }
    return p->key;
}

int uopt_next(UOpts *o) {
    o->arg = NULL;
    if (o->cluster && *o->cluster) return short_opt(o);
    while (o->i < o->argc) {
        char *a = o->argv[o->i];
        if (o->done || a[0] != '-' || a[1] == 0 || (o->neg_numbers && is_negnum(a))) {
            if (o->shortopts[0] == '+') o->done = true;
            o->i++;
            if (o->each_operand) {
                o->arg = a;
                return UO_OPERAND;
            }
            sl_push_copy(&o->ops, a);
            continue;
        }
        o->i++;
        if (a[1] == '-' && a[2] == 0) {
            o->done = true;
            continue;
        }
        if (a[1] == '-') return long_opt(o, a);
        o->cluster = a + 1;
        return short_opt(o);
    }
    return UO_END;
}

/* ================= quoting ================= */

static bool shell_special(unsigned char ch, bool first) {
    if (ch < 0x20 || ch >= 0x7f) return true;
    if (first && (ch == '~' || ch == '#')) return true;
    return strchr(" \"'$&()*;<>?[\\`|!^=:", ch) != NULL;
}

static void put_octal_or_named(StrBuf *b, unsigned char ch) {
    static const char named_from[] = "\a\b\f\n\r\t\v";
    static const char named_to[] = "abfnrtv";
    const char *p = ch ? strchr(named_from, ch) : NULL;
    if (p)
        sb_printf(b, "\\%c", named_to[p - named_from]);
    else
        sb_printf(b, "\\%03o", ch);
}

static char *quote_shell_single(const char *s) {
    StrBuf b;
    sb_init(&b);
    bool in_dollar = false;
    sb_putc(&b, '\'');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        bool ctrl = *p < 0x20 || *p >= 0x7f;
        if (ctrl && !in_dollar) sb_puts(&b, "'$'");
        if (!ctrl && in_dollar) sb_puts(&b, "''");
        in_dollar = ctrl;
        if (ctrl)
            put_octal_or_named(&b, *p);
        else if (*p == '\'')
            sb_puts(&b, "'\\''");
        else
            sb_putc(&b, (char)*p);
    }
    sb_putc(&b, '\'');
    return sb_take(&b);
}

static char *quote_shell(const char *s, bool always) {
    bool need = always || !*s, squote = false, dq_special = false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (shell_special(*p, p == (const unsigned char *)s)) need = true;
        if (*p == '\'') squote = true;
        if (strchr("\"$`\\!", *p) || *p < 0x20 || *p >= 0x7f) dq_special = true;
    }
    if (!need) return xstrdup(s);
    if (squote && !dq_special) {
        StrBuf b;
        sb_init(&b);
        sb_printf(&b, "\"%s\"", s);
        return sb_take(&b);
    }
    return quote_shell_single(s);
}

char *u_quotef(const char *s) { return quote_shell(s, false); }

char *u_quote_always(const char *s) { return quote_shell(s, true); }

char *u_quote(const char *s) {
    StrBuf b;
    sb_init(&b);
    sb_putc(&b, '\'');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '\\' || *p == '\'')
            sb_printf(&b, "\\%c", *p);
        else if (*p < 0x20 || *p >= 0x7f)
            put_octal_or_named(&b, *p);
        else
            sb_putc(&b, (char)*p);
    }
    sb_putc(&b, '\'');
    return sb_take(&b);
}

const char *u_strerror(int err) {
    switch (err) {
    case ERANGE: return "Numerical result out of range";
    case EOVERFLOW: return "Value too large for defined data type";
    case EILSEQ: return "Invalid or incomplete multibyte or wide character";
    case EIO: return "Input/output error";
    case ENOMEM: return "Cannot allocate memory";
    /* where musl (the wasm builds' libc) words it differently from glibc */
    case ELOOP: return "Too many levels of symbolic links";
    case ENAMETOOLONG: return "File name too long";
    case EXDEV: return "Invalid cross-device link";
    case ENOTSUP: return "Operation not supported";
    case EBUSY: return "Device or resource busy";
    case ESPIPE: return "Illegal seek";
    case ECHILD: return "No child processes";
    case EDOM: return "Numerical argument out of domain";
    case EMFILE: return "Too many open files";
    case ENOTTY: return "Inappropriate ioctl for device";
    case ETIMEDOUT: return "Connection timed out";
    default: return strerror(err);
    }
}

int u_lstat(const char *path, struct stat *st) {
    size_t n = strlen(path);
    if (n < 2 || path[n - 1] != '/') return lstat(path, st);
    if (stat(path, st) != 0) return -1;
    if (!S_ISDIR(st->st_mode)) { /* "file/" (MEMFS finds the file) */
        errno = ENOTDIR;
        return -1;
    }
    return 0;
}

void u_err_file(UtilCtx *c, const char *file, int err) {
    char *q = u_quotef(file);
    uc_error(c, "%s: %s", q, u_strerror(err));
    free(q);
}

void u_err_open(UtilCtx *c, const char *file, int err) {
    char *q = u_quote(file);
    uc_error(c, "cannot open %s for reading: %s", q, u_strerror(err));
    free(q);
}

void u_err_op(UtilCtx *c, const char *what, const char *file, int err) {
    char *q = u_quote(file);
    uc_error(c, "%s %s: %s", what, q, u_strerror(err));
    free(q);
}

/* ================= output ================= */

enum { UOUT_CHUNK = 16384 };

void uout_init(UOut *o, UtilCtx *c, int fd) {
    o->c = c;
    o->fd = fd;
    o->f = NULL;
    sb_init(&o->b);
    o->err = 0;
}

void uout_init_file(UOut *o, UtilCtx *c, UcFile *f) {
    uout_init(o, c, -1);
    o->f = f;
}

int uout_flush(UOut *o) {
    if (o->err) return -1;
    if (!o->b.len) return 0;
    errno = 0;
    int r = o->f ? uc_fwrite(o->f, o->b.s, o->b.len) : uc_write(o->c, o->fd, o->b.s, o->b.len);
    sb_clear(&o->b);
    if (r < 0) {
        o->err = errno ? errno : EIO;
        return -1;
    }
    return 0;
}

void uout_put(UOut *o, const char *s, size_t n) {
    if (o->err) return;
    sb_put(&o->b, s, n);
    if (o->b.len >= UOUT_CHUNK) uout_flush(o);
}

void uout_putc(UOut *o, char ch) {
    if (o->err) return;
    sb_putc(&o->b, ch);
    if (o->b.len >= UOUT_CHUNK) uout_flush(o);
}

void uout_puts(UOut *o, const char *s) { uout_put(o, s, strlen(s)); }

void uout_printf(UOut *o, const char *fmt, ...) {
    if (o->err) return;
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&o->b, fmt, ap);
    va_end(ap);
    if (o->b.len >= UOUT_CHUNK) uout_flush(o);
}

void uout_put_padded(UOut *o, const char *spec, const char *v) {
    bool left = false;
    const char *p = spec;
    for (; *p && strchr("-+ #0'I", *p); p++)
        if (*p == '-') left = true;
    size_t width = 0;
    for (; *p >= '0' && *p <= '9'; p++) width = width < 100000 ? width * 10 + (size_t)(*p - '0') : width;
    size_t len = strlen(v);
    if (*p == '.') {
        size_t prec = 0;
        for (p++; *p >= '0' && *p <= '9'; p++) prec = prec < 100000 ? prec * 10 + (size_t)(*p - '0') : prec;
        if (prec < len) len = prec;
    }
    size_t pad = width > len ? width - len : 0;
    if (!left)
        for (size_t i = 0; i < pad; i++) uout_putc(o, ' ');
    uout_put(o, v, len);
    if (left)
        for (size_t i = 0; i < pad; i++) uout_putc(o, ' ');
}

int uout_close(UOut *o) {
    uout_flush(o);
    sb_free(&o->b);
    if (!o->err) return 0;
    if (o->err != EPIPE) uc_error(o->c, "write error: %s", u_strerror(o->err));
    return 1;
}

/* ================= input ================= */

enum { PUMP_CHUNK = 262144 };

int u_pump(UtilCtx *c, UcFile *f, UFeedFn feed, void *st) {
    char *buf = xmalloc(PUMP_CHUNK);
    int r = 0;
    for (;;) {
        if (uc_should_stop(c)) {
            r = 1;
            break;
        }
        errno = 0;
        ssize_t n = uc_fread(f, buf, PUMP_CHUNK);
        if (n < 0) {
            if (!errno) errno = EIO;
            r = -1;
            break;
        }
        if (n == 0) break;
        if (feed(st, buf, (size_t)n)) {
            r = 1;
            break;
        }
    }
    int saved = errno;
    free(buf);
    errno = saved;
    return r;
}

UcFile *u_open_in(UtilCtx *c, const char *path) {
    errno = 0;
    UcFile *f = uc_open(c, path, "r");
    if (!f) u_err_file(c, path, errno ? errno : ENOENT);
    return f;
}

bool u_push_ok(const StrList *ops) {
    return ops->n == 0 || (ops->n == 1 && !strcmp(ops->v[0], "-"));
}

/* ================= numbers ================= */

bool u_parse_uint(const char *s, uintmax_t *out) {
    uintmax_t v = 0;
    if (!*s) return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9') return false;
        unsigned d = (unsigned)(*s - '0');
        v = v > (UINTMAX_MAX - d) / 10 ? UINTMAX_MAX : v * 10 + d;
    }
    *out = v;
    return true;
}

/* a * b, or false on overflow. */
static bool mul_ok(uintmax_t a, uintmax_t b, uintmax_t *out) {
    if (a && b > UINTMAX_MAX / a) return false;
    *out = a * b;
    return true;
}

/* Multiplier of a size suffix: 0 if unknown, UINTMAX_MAX if too large. */
static uintmax_t suffix_mult(const char *s) {
    static const char units[] = "KMGTPEZY";
    if (!*s) return 1;
    if (!strcmp(s, "b")) return 512;
    char u = s[0] == 'k' ? 'K' : s[0];
    const char *p = strchr(units, u);
    if (!p || !u) return 0;
    uintmax_t base;
    if (!s[1] || !strcmp(s + 1, "iB"))
        base = 1024;
    else if (!strcmp(s + 1, "B"))
        base = 1000;
    else
        return 0;
    uintmax_t m = 1;
    for (int i = 0; i <= p - units; i++)
        if (!mul_ok(m, base, &m)) return UINTMAX_MAX;
    return m;
}

int u_parse_size(const char *s, uintmax_t *out) {
    const char *p = s;
    uintmax_t v = 0;
    bool overflow = false;
    while (*p == ' ' || *p == '\t') p++;
    if (*p == '+') p++;
    if (*p < '0' || *p > '9') return EINVAL;
    for (; *p >= '0' && *p <= '9'; p++) {
        unsigned d = (unsigned)(*p - '0');
        if (v > (UINTMAX_MAX - d) / 10) overflow = true;
        else v = v * 10 + d;
    }
    uintmax_t m = suffix_mult(p);
    if (!m) return EINVAL;
    if (overflow || m == UINTMAX_MAX || !mul_ok(v, m, out)) return EOVERFLOW;
    return 0;
}

bool u_locale_utf8(UtilCtx *c) {
    static const char *const names[] = {"LC_ALL", "LC_CTYPE", "LANG"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        const char *v = uc_getenv(c, names[i]);
        if (v && *v) return strcasestr(v, "utf-8") || strcasestr(v, "utf8");
    }
    return false;
}

