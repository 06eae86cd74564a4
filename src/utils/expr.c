/* expr.c - the expr utility as GNU coreutils': | & < <= = == != >= > + - * /
 * % : and match, substr, index, length, + TOKEN, ( ). Integers have any
 * size (decimal strings, as GNU's GMP build); `:` anchors a BRE at the
 * start and yields \1 or the length matched. Exit status 0 when the result
 * is neither null nor 0, 1 when it is, 2 for a syntax or usage error (also
 * division by zero, non-integer arguments and bad regexes, as GNU). */
#include "regex.h"
#include "ucommon.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Val {
    char *s;      /* the text; an integer is normalized ("-12", "0") */
    bool is_int;
} Val;

typedef struct Expr {
    UtilCtx *c;
    char **tok;
    int n, i;
    bool utf8;
    bool failed;  /* an error was reported */
} Expr;

static Val vstr(const char *s, size_t n) { return (Val){xstrndup(s, n), false}; }
static Val vint_str(char *s) { return (Val){s, true}; }
static void vfree(Val *v) { free(v->s); v->s = NULL; }

/* ---- decimal integers of any size ---- */

static bool looks_int(const char *s) {
    if (*s == '-') s++;
    if (!*s) return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9') return false;
    return true;
}

/* Normalized copy: no leading zeros, "-0" -> "0". */
static char *norm(const char *s) {
    bool neg = *s == '-';
    if (neg) s++;
    while (*s == '0' && s[1]) s++;
    if (!strcmp(s, "0")) neg = false;
    char *r = xmalloc(strlen(s) + 2);
    sprintf(r, "%s%s", neg ? "-" : "", s);
    return r;
}

static int cmp_abs(const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    if (la != lb) return la < lb ? -1 : 1;
    int r = strcmp(a, b);
    return r < 0 ? -1 : r > 0;
}

static char *add_abs(const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b), n = (la > lb ? la : lb) + 1;
    char *r = xmalloc(n + 1);
    r[n] = 0;
    int carry = 0;
    for (size_t k = 0; k < n; k++) {
        int d = carry + (k < la ? a[la - 1 - k] - '0' : 0) + (k < lb ? b[lb - 1 - k] - '0' : 0);
        r[n - 1 - k] = (char)('0' + d % 10);
        carry = d / 10;
    }
    char *out = norm(r);
    free(r);
    return out;
}

static char *sub_abs(const char *a, const char *b) { /* |a| >= |b| */
    size_t la = strlen(a), lb = strlen(b);
    char *r = xmalloc(la + 1);
    r[la] = 0;
    int borrow = 0;
    for (size_t k = 0; k < la; k++) {
        int d = (a[la - 1 - k] - '0') - borrow - (k < lb ? b[lb - 1 - k] - '0' : 0);
        borrow = d < 0;
        r[la - 1 - k] = (char)('0' + (d + 10) % 10);
    }
    char *out = norm(r);
    free(r);
    return out;
}

static char *with_sign(char *abs, bool neg) {
    if (!neg || !strcmp(abs, "0")) return abs;
    char *r = xmalloc(strlen(abs) + 2);
    sprintf(r, "-%s", abs);
    free(abs);
    return r;
}

static char *big_add(const char *a, const char *b, bool negate_b) {
    bool na = *a == '-', nb = (*b == '-') != negate_b;
    const char *x = a + (*a == '-'), *y = b + (*b == '-');
    if (na == nb) return with_sign(add_abs(x, y), na);
    if (cmp_abs(x, y) >= 0) return with_sign(sub_abs(x, y), na);
    return with_sign(sub_abs(y, x), nb);
}

static char *big_mul(const char *a, const char *b) {
    bool neg = (*a == '-') != (*b == '-');
    const char *x = a + (*a == '-'), *y = b + (*b == '-');
    size_t la = strlen(x), lb = strlen(y);
    int *acc = xcalloc(la + lb, sizeof *acc);
    for (size_t i = 0; i < la; i++)
        for (size_t j = 0; j < lb; j++) acc[i + j + 1] += (x[i] - '0') * (y[j] - '0');
    for (size_t k = la + lb; k-- > 1;) {
        acc[k - 1] += acc[k] / 10;
        acc[k] %= 10;
    }
    char *r = xmalloc(la + lb + 1);
    for (size_t k = 0; k < la + lb; k++) r[k] = (char)('0' + acc[k]);
    r[la + lb] = 0;
    free(acc);
    char *out = norm(r);
    free(r);
    return with_sign(out, neg);
}

/* Truncating division; *rem gets the remainder (sign of the dividend). */
static char *big_div(const char *a, const char *b, char **rem) {
    bool na = *a == '-', nb = *b == '-';
    const char *x = a + na, *y = b + nb;
    size_t la = strlen(x);
    char *q = xmalloc(la + 1);
    char *r = xstrdup("0");
    for (size_t k = 0; k < la; k++) {
        /* r = r * 10 + digit */
        char *t = xmalloc(strlen(r) + 2);
        sprintf(t, "%s%c", r, x[k]);
        free(r);
        r = norm(t);
        free(t);
        int d = 0;
        while (cmp_abs(r, y) >= 0) {
            char *s = sub_abs(r, y);
            free(r);
            r = s;
            d++;
        }
        q[k] = (char)('0' + d);
    }
    q[la] = 0;
    char *qn = norm(q);
    free(q);
    *rem = with_sign(r, na);
    return with_sign(qn, na != nb);
}

/* ---- values ---- */

static bool is_null(const Val *v) {
    if (!v->s[0]) return true;
    const char *p = v->s;
    if (*p == '-') p++;
    if (!*p) return false;
    for (; *p; p++)
        if (*p != '0') return false;
    return true;
}

static bool to_int(Expr *e, const Val *v) {
    if (v->is_int || looks_int(v->s)) return true;
    if (!e->failed) uc_error(e->c, "non-integer argument");
    e->failed = true;
    return false;
}

static size_t char_count(const Expr *e, const char *s, size_t n) {
    if (!e->utf8) return n;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) k++;
    return k;
}

/* Byte offset of character ci (0-based) in s. */
static size_t char_off(const Expr *e, const char *s, size_t ci) {
    size_t n = strlen(s);
    if (!e->utf8) return ci < n ? ci : n;
    size_t i = 0;
    for (size_t k = 0; i < n; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80) {
            if (k == ci) return i;
            k++;
        }
    }
    return n;
}

static size_t char_len_at(const Expr *e, const char *s) {
    if (!e->utf8 || (unsigned char)*s < 0x80) return 1;
    size_t k = 1;
    while (s[k] && ((unsigned char)s[k] & 0xC0) == 0x80) k++;
    return k;
}

/* ---- the grammar ---- */

static const char *cur(const Expr *e) { return e->i < e->n ? e->tok[e->i] : NULL; }
static bool next_is(Expr *e, const char *t) {
    if (e->i < e->n && !strcmp(e->tok[e->i], t)) {
        e->i++;
        return true;
    }
    return false;
}

static void syntax(Expr *e, const char *fmt, const char *arg) {
    if (e->failed) return;
    char *q = arg ? u_quote(arg) : NULL;
    StrBuf b;
    sb_init(&b);
    sb_puts(&b, "syntax error: ");
    sb_puts(&b, fmt);
    if (q) sb_puts(&b, q);
    uc_error(e->c, "%s", sb_cstr(&b));
    sb_free(&b);
    free(q);
    e->failed = true;
}

static Val eval_or(Expr *e, bool ev);

static Val match_re(Expr *e, const Val *s, const Val *re, bool ev) {
    if (!ev) return vstr("", 0);
    RxError err;
    Regex *r = rx_compile(re->s, strlen(re->s), RX_BRE, e->utf8 ? 0 : RX_BYTES, &err);
    if (!r) {
        if (!e->failed) uc_error(e->c, "%s", err.msg);
        e->failed = true;
        return vstr("", 0);
    }
    RxSpan m[2];
    RxExec ex = {.flags = RX_ANCHORED};
    int ng = rx_ngroups(r);
    int rc = rx_search(r, s->s, strlen(s->s), 0, &ex, m, 2);
    Val out;
    if (ng > 0) {
        if (rc == RX_MATCH && m[1].so >= 0) out = vstr(s->s + m[1].so, (size_t)(m[1].eo - m[1].so));
        else out = vstr("", 0);
    } else {
        char buf[32];
        size_t k = rc == RX_MATCH ? char_count(e, s->s, (size_t)m[0].eo) : 0;
        snprintf(buf, sizeof buf, "%zu", k);
        out = vint_str(xstrdup(buf));
    }
    rx_free(r);
    return out;
}

/* A primary: ( EXPR ), + TOKEN, keywords, or a plain argument. */
static Val eval_primary(Expr *e, bool ev) {
    const char *t = cur(e);
    if (!t) {
        syntax(e, "missing argument after ", e->i > 0 ? e->tok[e->i - 1] : "");
        return vstr("", 0);
    }
    if (!strcmp(t, "(")) {
        e->i++;
        Val v = eval_or(e, ev);
        if (e->failed) return v;
        if (!cur(e)) {
            syntax(e, "expecting ')' after ", e->tok[e->i - 1]);
            return v;
        }
        if (!next_is(e, ")")) syntax(e, "expecting ')' instead of ", cur(e));
        return v;
    }
    if (!strcmp(t, "+")) {
        e->i++;
        if (!cur(e)) {
            syntax(e, "missing argument after ", "+");
            return vstr("", 0);
        }
        t = e->tok[e->i++];
        return vstr(t, strlen(t));
    }
    if (!strcmp(t, "length")) {
        e->i++;
        Val s = eval_primary(e, ev);
        char buf[32];
        snprintf(buf, sizeof buf, "%zu", char_count(e, s.s, strlen(s.s)));
        vfree(&s);
        return vint_str(xstrdup(buf));
    }
    if (!strcmp(t, "match")) {
        e->i++;
        Val s = eval_primary(e, ev), r = eval_primary(e, ev);
        Val out = e->failed ? vstr("", 0) : match_re(e, &s, &r, ev);
        vfree(&s), vfree(&r);
        return out;
    }
    if (!strcmp(t, "index")) {
        e->i++;
        Val s = eval_primary(e, ev), set = eval_primary(e, ev);
        size_t pos = 0, k = 0;
        for (const char *p = s.s; *p && !pos; k++) {
            size_t cl = char_len_at(e, p);
            for (const char *q = set.s; *q;) {
                size_t ql = char_len_at(e, q);
                if (ql == cl && !memcmp(p, q, cl)) {
                    pos = k + 1;
                    break;
                }
                q += ql;
            }
            p += cl;
        }
        char buf[32];
        snprintf(buf, sizeof buf, "%zu", pos);
        vfree(&s), vfree(&set);
        return vint_str(xstrdup(buf));
    }
    if (!strcmp(t, "substr")) {
        e->i++;
        Val s = eval_primary(e, ev), p = eval_primary(e, ev), l = eval_primary(e, ev);
        Val out = vstr("", 0);
        if (!e->failed && looks_int(p.s) && looks_int(l.s) && p.s[0] != '-' && l.s[0] != '-') {
            unsigned long long pos = strtoull(p.s, NULL, 10), len = strtoull(l.s, NULL, 10);
            size_t total = char_count(e, s.s, strlen(s.s));
            if (pos >= 1 && len >= 1 && pos <= total) {
                size_t from = char_off(e, s.s, (size_t)pos - 1);
                size_t to = len > total ? strlen(s.s) : char_off(e, s.s, (size_t)(pos - 1 + len));
                vfree(&out);
                out = vstr(s.s + from, to - from);
            }
        }
        vfree(&s), vfree(&p), vfree(&l);
        return out;
    }
    e->i++;
    return vstr(t, strlen(t)); /* kept as written until used as a number */
}

static Val eval_colon(Expr *e, bool ev) {
    Val l = eval_primary(e, ev);
    while (!e->failed && next_is(e, ":")) {
        Val r = eval_primary(e, ev);
        Val m = e->failed ? vstr("", 0) : match_re(e, &l, &r, ev);
        vfree(&l), vfree(&r);
        l = m;
    }
    return l;
}

static Val arith(Expr *e, Val *l, Val *r, char op, bool ev) {
    if (!ev) return vint_str(xstrdup("0"));
    if (!to_int(e, l) || !to_int(e, r)) return vint_str(xstrdup("0"));
    char *a = norm(l->s), *b = norm(r->s), *res = NULL, *rem = NULL;
    if ((op == '/' || op == '%') && !strcmp(b, "0")) {
        if (!e->failed) uc_error(e->c, "division by zero");
        e->failed = true;
        res = xstrdup("0");
    } else if (op == '+' || op == '-') {
        res = big_add(a, b, op == '-');
    } else if (op == '*') {
        res = big_mul(a, b);
    } else {
        res = big_div(a, b, &rem);
        if (op == '%') {
            free(res);
            res = rem;
            rem = NULL;
        }
    }
    free(a), free(b), free(rem);
    return vint_str(res);
}

static Val eval_mul(Expr *e, bool ev) {
    Val l = eval_colon(e, ev);
    for (;;) {
        const char *t = cur(e);
        if (e->failed || !t || strlen(t) != 1 || !strchr("*/%", t[0])) return l;
        e->i++;
        Val r = eval_colon(e, ev);
        Val v = e->failed ? vstr("", 0) : arith(e, &l, &r, t[0], ev);
        vfree(&l), vfree(&r);
        l = v;
    }
}

static Val eval_add(Expr *e, bool ev) {
    Val l = eval_mul(e, ev);
    for (;;) {
        const char *t = cur(e);
        if (e->failed || !t || strlen(t) != 1 || (t[0] != '+' && t[0] != '-')) return l;
        e->i++;
        Val r = eval_mul(e, ev);
        Val v = e->failed ? vstr("", 0) : arith(e, &l, &r, t[0], ev);
        vfree(&l), vfree(&r);
        l = v;
    }
}

static int compare(const Val *l, const Val *r) {
    if ((l->is_int || looks_int(l->s)) && (r->is_int || looks_int(r->s))) {
        char *a = norm(l->s), *b = norm(r->s);
        bool na = *a == '-', nb = *b == '-';
        int c = na != nb ? (na ? -1 : 1) : (na ? -cmp_abs(a + 1, b + 1) : cmp_abs(a, b));
        free(a), free(b);
        return c;
    }
    int c = strcmp(l->s, r->s);
    return c < 0 ? -1 : c > 0;
}

static Val eval_cmp(Expr *e, bool ev) {
    static const char *const ops[] = {"<", "<=", "=", "==", "!=", ">=", ">"};
    Val l = eval_add(e, ev);
    for (;;) {
        const char *t = cur(e);
        int k = -1;
        for (int j = 0; t && j < 7; j++)
            if (!strcmp(t, ops[j])) k = j;
        if (e->failed || k < 0) return l;
        e->i++;
        Val r = eval_add(e, ev);
        int c = compare(&l, &r);
        bool res = k == 0 ? c < 0 : k == 1 ? c <= 0 : k == 2 || k == 3 ? c == 0 : k == 4 ? c != 0 : k == 5 ? c >= 0 : c > 0;
        vfree(&l), vfree(&r);
        l = vint_str(xstrdup(res ? "1" : "0"));
    }
}

static Val eval_and(Expr *e, bool ev) {
    Val l = eval_cmp(e, ev);
    while (!e->failed && next_is(e, "&")) {
        Val r = eval_cmp(e, ev && !is_null(&l));
        if (is_null(&l) || is_null(&r)) {
            vfree(&l);
            l = vint_str(xstrdup("0"));
        }
        vfree(&r);
    }
    return l;
}

static Val eval_or(Expr *e, bool ev) {
    Val l = eval_and(e, ev);
    while (!e->failed && next_is(e, "|")) {
        Val r = eval_and(e, ev && is_null(&l));
        if (is_null(&l)) {
            vfree(&l);
            l = r;
            if (is_null(&l)) {
                vfree(&l);
                l = vint_str(xstrdup("0"));
            }
        } else {
            vfree(&r);
        }
    }
    return l;
}

int util_expr_main(UtilCtx *c, int argc, char **argv) {
    Expr e = {.c = c, .tok = argv + 1, .n = argc - 1, .utf8 = u_locale_utf8(c)};
    if (e.n >= 1 && !strcmp(e.tok[0], "--help")) return u_help(c, "EXPRESSION\n  or:  expr OPTION");
    if (e.n >= 1 && !strcmp(e.tok[0], "--version")) return u_version(c);
    if (e.n >= 1 && !strcmp(e.tok[0], "--")) e.tok++, e.n--;
    if (e.n == 0) {
        uc_error(c, "missing operand");
        u_try_help(c);
        return 2;
    }
    Val v = eval_or(&e, true);
    if (!e.failed && e.i < e.n) syntax(&e, "unexpected argument ", e.tok[e.i]);
    if (e.failed) {
        vfree(&v);
        return 2;
    }
    uc_printf(c, 1, "%s\n", v.s);
    int st = is_null(&v) ? 1 : 0;
    vfree(&v);
    return st;
}
