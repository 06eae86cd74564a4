/* testexpr.c - see testexpr.h.
 *
 * The parser mirrors bash 5.2's test builtin: the POSIX rules select the
 * meaning by argument count (0-4); longer expressions use a recursive descent
 * where ! binds tighter than -a, and -a tighter than -o. Both sides of -a and
 * -o are always evaluated, so an error on either side is reported, as bash
 * does. The first syntax error wins: it sets `failed`, later ones are
 * ignored, and the result is status 2. */
#include "testexpr.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ------------------------------------------------------- primitives */

/* bash's legal_number: C-locale blanks before (as strtoimax skips), an
 * optional sign, decimal digits, then only spaces or tabs; overflow fails. */
static bool legal_number(const char *s, int64_t *out) {
    while (*s == ' ' || (*s >= '\t' && *s <= '\r')) s++;
    bool neg = *s == '-';
    if (*s == '+' || *s == '-') s++;
    if (*s < '0' || *s > '9') return false;
    uint64_t v = 0;
    uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; *s >= '0' && *s <= '9'; s++) {
        unsigned d = (unsigned)(*s - '0');
        if (v > (limit - d) / 10) return false;
        v = v * 10 + d;
    }
    while (*s == ' ' || *s == '\t') s++;
    if (*s) return false;
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return true;
}

/* WASI has no user or group ids; every file counts as the caller's there. */
static bool owned_by_euid(const struct stat *st) {
#ifdef __wasi__
    (void)st;
    return true;
#else
    return st->st_uid == geteuid();
#endif
}

static bool owned_by_egid(const struct stat *st) {
#ifdef __wasi__
    (void)st;
    return true;
#else
    return st->st_gid == getegid();
#endif
}

/* -1, 0 or 1 as a is older than, as old as, or newer than b. */
static int cmp_time(const struct timespec *a, const struct timespec *b) {
    if (a->tv_sec != b->tv_sec) return a->tv_sec < b->tv_sec ? -1 : 1;
    if (a->tv_nsec != b->tv_nsec) return a->tv_nsec < b->tv_nsec ? -1 : 1;
    return 0;
}

static bool is_tty(const char *arg) {
    int64_t fd;
    if (!legal_number(arg, &fd) || fd < 0 || fd > 0x7FFFFFFF) return false;
    return isatty((int)fd) == 1;
}

/* The tests that need stat(2) of the file; op is known to be one of them. */
static bool stat_test(char op, const char *path) {
    struct stat st;
    if (op == 'h' || op == 'L') return lstat(path, &st) == 0 && S_ISLNK(st.st_mode);
    if (stat(path, &st) != 0) return false;
    switch (op) {
    case 'a': case 'e': return true;
    case 'b': return S_ISBLK(st.st_mode);
    case 'c': return S_ISCHR(st.st_mode);
    case 'd': return S_ISDIR(st.st_mode);
    case 'f': return S_ISREG(st.st_mode) || (st.st_mode & S_IFMT) == 0;
    case 'p': return S_ISFIFO(st.st_mode);
    case 'S': return S_ISSOCK(st.st_mode);
    case 's': return st.st_size > 0;
    case 'g': return (st.st_mode & S_ISGID) != 0;
    case 'u': return (st.st_mode & S_ISUID) != 0;
    case 'k': return (st.st_mode & S_ISVTX) != 0;
    case 'O': return owned_by_euid(&st);
    case 'G': return owned_by_egid(&st);
    case 'N': return cmp_time(&st.st_mtim, &st.st_atim) > 0;
    default: return false;
    }
}

int test_unary(const char *op, const char *arg) {
    if (op[0] != '-' || !op[1] || op[2]) return -1;
    switch (op[1]) {
    case 'z': return arg[0] == 0;
    case 'n': return arg[0] != 0;
    case 't': return is_tty(arg);
    case 'r': return access(arg, R_OK) == 0;
    case 'w': return access(arg, W_OK) == 0;
    case 'x': return access(arg, X_OK) == 0;
    default:
        if (strchr("abcdefghkpsuGLNOS", op[1])) return stat_test(op[1], arg);
        return -1; /* includes -v -o -R, which need the shell's state */
    }
}

/* -nt -ot -ef. A missing file is older than any existing one. */
static int file_compare(const char *a, char op, const char *b) {
    struct stat sa, sb;
    bool ea = stat(a, &sa) == 0, eb = stat(b, &sb) == 0;
    switch (op) {
    case 'n': return (ea && !eb) || (ea && eb && cmp_time(&sa.st_mtim, &sb.st_mtim) > 0);
    case 'o': return (!ea && eb) || (ea && eb && cmp_time(&sa.st_mtim, &sb.st_mtim) < 0);
    default: return ea && eb && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    }
}

int test_binary_str_file(const char *a, const char *op, const char *b) {
    if (!strcmp(op, "=") || !strcmp(op, "==")) return strcmp(a, b) == 0;
    if (!strcmp(op, "!=")) return strcmp(a, b) != 0;
    /* byte order: bash's test uses strcmp, and in a UTF-8 locale strcoll
     * orders by code point, which is the same thing */
    if (!strcmp(op, "<")) return strcmp(a, b) < 0;
    if (!strcmp(op, ">")) return strcmp(a, b) > 0;
    if (!strcmp(op, "-nt")) return file_compare(a, 'n', b);
    if (!strcmp(op, "-ot")) return file_compare(a, 'o', b);
    if (!strcmp(op, "-ef")) return file_compare(a, 'e', b);
    return -1;
}

bool test_is_unary_op(const char *op) {
    return op[0] == '-' && op[1] && !op[2] && strchr("abcdefghknoprstuvwxzGLNORS", op[1]);
}

static bool is_int_op(const char *op) {
    static const char *const ops[] = {"-eq", "-ne", "-lt", "-le", "-gt", "-ge"};
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
        if (!strcmp(op, ops[i])) return true;
    return false;
}

bool test_is_binary_op(const char *op) {
    static const char *const ops[] = {"=", "==", "!=", "<", ">", "-nt", "-ot", "-ef"};
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
        if (!strcmp(op, ops[i])) return true;
    return is_int_op(op);
}

/* ------------------------------------------------------- the parser */

typedef struct Test {
    const char *name;
    int argc;
    char *const *argv;
    int pos;
    const TestHooks *h;
    StrBuf *err;
    bool failed;
} Test;

/* Reports a syntax error (only the first one) as "NAME: MSG". */
static bool syntax_error(Test *t, const char *msg, const char *arg) {
    if (t->failed) return false;
    t->failed = true;
    sb_printf(t->err, "%s: ", t->name);
    if (arg) sb_printf(t->err, "%s: ", arg);
    sb_printf(t->err, "%s\n", msg);
    return false;
}

static bool is(const char *s, const char *lit) { return strcmp(s, lit) == 0; }

/* The current word, or "" past the end (only reached after an error). */
static const char *cur(const Test *t, int off) {
    int i = t->pos + off;
    return i < t->argc ? t->argv[i] : "";
}

/* Moves on; `need` demands that an argument follow. */
static void advance(Test *t, bool need) {
    t->pos++;
    if (need && t->pos >= t->argc) syntax_error(t, "argument expected", NULL);
}

static bool int_compare(Test *t, const char *a, const char *op, const char *b) {
    int64_t x, y;
    if (!legal_number(a, &x)) return syntax_error(t, "integer expression expected", a);
    if (!legal_number(b, &y)) return syntax_error(t, "integer expression expected", b);
    switch (op[1]) {
    case 'e': return x == y;
    case 'n': return x != y;
    case 'l': return op[2] == 't' ? x < y : x <= y;
    default: return op[2] == 't' ? x > y : x >= y;
    }
}

/* A binary operator at pos+1, known to exist; consumes three words. */
static bool binary_operator(Test *t) {
    const char *a = cur(t, 0), *op = cur(t, 1), *b = cur(t, 2);
    if (!test_is_binary_op(op)) return syntax_error(t, "binary operator expected", op);
    t->pos += 3;
    if (is_int_op(op)) return int_compare(t, a, op, b);
    return test_binary_str_file(a, op, b) == 1;
}

static bool unary_test(Test *t, const char *op, const char *arg) {
    if (op[1] == 'v') return t->h && t->h->var_is_set && t->h->var_is_set(t->h->ctx, arg);
    if (op[1] == 'o') {
        bool valid = false;
        bool on = t->h && t->h->option_is_on && t->h->option_is_on(t->h->ctx, arg, &valid);
        return valid && on;
    }
    /* -R (nameref) would need the variable table; no hook, so false */
    return test_unary(op, arg) == 1;
}

/* A unary operator at pos. -t takes its argument only if it is a number;
 * alone it means -t 1. */
static bool unary_operator(Test *t) {
    const char *op = cur(t, 0);
    if (op[1] == 't') {
        advance(t, false);
        if (t->pos >= t->argc) return is_tty("1");
        int64_t fd;
        if (!legal_number(cur(t, 0), &fd)) return false;
        advance(t, false);
        return unary_test(t, op, t->argv[t->pos - 1]);
    }
    advance(t, true);
    if (t->failed) return false;
    bool v = unary_test(t, op, cur(t, 0));
    advance(t, false);
    return v;
}

static bool one_arg(const char *s) { return s[0] != 0; }

static bool two_args(Test *t) {
    const char *a = cur(t, 0);
    if (is(a, "!")) return !one_arg(cur(t, 1));
    if (a[0] == '-' && a[1] && !a[2] && test_is_unary_op(a)) return unary_operator(t);
    return syntax_error(t, "unary operator expected", a);
}

static bool three_args(Test *t) {
    const char *a = cur(t, 0), *op = cur(t, 1), *b = cur(t, 2);
    bool v;
    if (test_is_binary_op(op)) return binary_operator(t);
    if (is(op, "-a")) v = one_arg(a) && one_arg(b);
    else if (is(op, "-o")) v = one_arg(a) || one_arg(b);
    else if (is(a, "!")) {
        advance(t, true);
        v = !two_args(t);
    } else if (is(a, "(") && is(b, ")")) v = one_arg(op);
    else return syntax_error(t, "binary operator expected", op);
    t->pos = t->argc;
    return v;
}

static bool expr(Test *t);

/* ( expr ) */
static bool paren(Test *t) {
    advance(t, true);
    if (t->failed) return false;
    bool v = expr(t);
    if (t->pos >= t->argc) return syntax_error(t, "`)' expected", NULL);
    if (!is(cur(t, 0), ")")) {
        if (!t->failed) {
            t->failed = true;
            sb_printf(t->err, "%s: `)' expected, found %s\n", t->name, cur(t, 0));
        }
        return false;
    }
    advance(t, false);
    return v;
}

static bool term(Test *t) {
    if (t->failed) return false;
    if (t->pos >= t->argc) return syntax_error(t, "argument expected", NULL);
    if (is(cur(t, 0), "!")) {
        bool negate = false;
        while (t->pos < t->argc && is(cur(t, 0), "!")) {
            advance(t, true);
            negate = !negate;
        }
        bool v = term(t);
        return negate ? !v : v;
    }
    if (is(cur(t, 0), "(")) return paren(t);
    if (t->pos + 3 <= t->argc && test_is_binary_op(cur(t, 1))) return binary_operator(t);
    if (t->pos + 2 <= t->argc && test_is_unary_op(cur(t, 0))) return unary_operator(t);
    bool v = one_arg(cur(t, 0));
    advance(t, false);
    return v;
}

static bool and_expr(Test *t) {
    bool v = term(t);
    while (!t->failed && t->pos < t->argc && is(cur(t, 0), "-a")) {
        advance(t, false);
        bool w = term(t);
        v = v && w;
    }
    return v;
}

static bool expr(Test *t) {
    if (t->pos >= t->argc) return syntax_error(t, "argument expected", NULL);
    bool v = and_expr(t);
    while (!t->failed && t->pos < t->argc && is(cur(t, 0), "-o")) {
        advance(t, false);
        bool w = and_expr(t);
        v = v || w;
    }
    return v;
}

/* The POSIX rules by argument count. */
static bool posix_test(Test *t) {
    bool v;
    switch (t->argc) {
    case 1: v = one_arg(cur(t, 0)); break;
    case 2: v = two_args(t); break;
    case 3: return three_args(t);
    case 4:
        if (is(cur(t, 0), "!")) {
            advance(t, true);
            v = !three_args(t);
            break;
        }
        if (is(cur(t, 0), "(") && is(cur(t, 3), ")")) {
            advance(t, true);
            v = two_args(t);
            break;
        }
        return expr(t);
    default: return expr(t);
    }
    t->pos = t->argc;
    return v;
}

int test_eval(const char *name, int argc, char *const *argv, const TestHooks *h, StrBuf *err) {
    if (argc <= 0) return 1;
    Test t = {name, argc, argv, 0, h, err, false};
    bool v = posix_test(&t);
    if (!t.failed && t.pos < t.argc) {
        if (cur(&t, 0)[0] == '-') {
            sb_printf(err, "%s: syntax error: `%s' unexpected\n", name, cur(&t, 0));
        } else {
            syntax_error(&t, "too many arguments", NULL);
        }
        return 2;
    }
    if (t.failed) return 2;
    return v ? 0 : 1;
}
