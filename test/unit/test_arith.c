/* test_arith.c - unit tests for the arithmetic evaluator.
 *
 * The expected values and messages in the tables were recorded by running
 * GNU bash 5.2 (`v=$(($E))` with E holding the expression, so no quote removal
 * or $-expansion happens inside it) with the same variables the fake hooks
 * below start from. Messages are bash's minus its "bash: line N: " prefix.
 * A success also checks the variables afterwards ("x=.. y=.. z=.. a1=..").
 */
#include "arith.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- fake variable store ------------------------------------------------- */

#define MAX_VARS 2200

typedef struct Fake {
    char *key[MAX_VARS]; /* "name" or "name[subscript without blanks]" */
    char *val[MAX_VARS];
    int n;
    int gets;             /* get calls, to prove skipped operands read nothing */
    char last_sub[64];    /* the raw subscript text of the latest get/set */
} Fake;

static const char *const initial_vars[][2] = {
    {"x", "3"}, {"y", "4"}, {"a[1]", "7"}, {"v1", "1+"}, {"v2", "08"},
    {"v3", "v3"}, {"v4", "y*2"}, {"v5", " 5 "}, {"v6", "5 5"}, {"v7", "a b"},
    {"v8", ""}, {"v9", "  "}, {"v10", "1+2"}, {"v11", "v4+v1"}, {"v12", "1/0"},
    {"v13", "(1"}, {"v14", "a[1"}, {"rr", "r1"}, {"r1", "r2"}, {"r2", "rr"},
    {"v15", "2#2"}, {"v16", "$x"}, {"v17", "\"3\""}, {"v3b", "v3b+1"},
    {"v3c", "1 + v3c + 1"}, {"big", "9223372036854775807"}, {"neg", "-5"},
    {"hex", "0x1f"}, {"w", " 7 "}, {"ro", "1"}, {"v18", "zz"},
};

static char *make_key(const char *name, const char *sub) {
    StrBuf b;
    sb_init(&b);
    sb_puts(&b, name);
    if (sub) {
        sb_putc(&b, '[');
        for (const char *p = sub; *p; p++)
            if (*p != ' ' && *p != '\t') sb_putc(&b, *p);
        sb_putc(&b, ']');
    }
    return sb_take(&b);
}

static int find(Fake *f, const char *key) {
    for (int i = 0; i < f->n; i++)
        if (strcmp(f->key[i], key) == 0) return i;
    return -1;
}

static void fake_put(Fake *f, const char *key, const char *val) {
    int i = find(f, key);
    if (i < 0) {
        if (f->n == MAX_VARS) abort();
        i = f->n++;
        f->key[i] = xstrdup(key);
    } else {
        free(f->val[i]);
    }
    f->val[i] = xstrdup(val);
}

static void fake_init(Fake *f) {
    memset(f, 0, sizeof *f);
    for (size_t i = 0; i < sizeof initial_vars / sizeof initial_vars[0]; i++)
        fake_put(f, initial_vars[i][0], initial_vars[i][1]);
}

static void fake_free(Fake *f) {
    for (int i = 0; i < f->n; i++) {
        free(f->key[i]);
        free(f->val[i]);
    }
    f->n = 0;
}

static void note_sub(Fake *f, const char *sub) {
    snprintf(f->last_sub, sizeof f->last_sub, "%s", sub ? sub : "(none)");
}

static const char *fake_get(void *ctx, const char *name, const char *sub) {
    Fake *f = ctx;
    f->gets++;
    note_sub(f, sub);
    char *key = make_key(name, sub);
    int i = find(f, key);
    free(key);
    return i < 0 ? NULL : f->val[i];
}

static int fake_set(void *ctx, const char *name, const char *sub, int64_t v, StrBuf *err) {
    Fake *f = ctx;
    note_sub(f, sub);
    if (strcmp(name, "ro") == 0) {
        sb_printf(err, "%s: readonly variable", name);
        return -1;
    }
    char num[32], *key = make_key(name, sub);
    snprintf(num, sizeof num, "%lld", (long long)v);
    fake_put(f, key, num);
    free(key);
    return 0;
}

static const char *fake_value(Fake *f, const char *key) {
    int i = find(f, key);
    return i < 0 ? "unset" : f->val[i];
}

static void fake_state(Fake *f, StrBuf *out) {
    sb_printf(out, "x=%s y=%s z=%s a1=%s", fake_value(f, "x"), fake_value(f, "y"),
              fake_value(f, "z"), fake_value(f, "a[1]"));
}

/* ---- the harness ------------------------------------------------------------ */

typedef struct Case {
    const char *expr;
    long long val;
    const char *err;   /* expected message, or NULL for success */
    const char *state; /* variables afterwards, on success */
} Case;

static int n_pass, n_fail;

static void report(bool ok, const char *expr, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void report(bool ok, const char *expr, const char *fmt, ...) {
    if (ok) {
        n_pass++;
        return;
    }
    n_fail++;
    printf("FAIL [%s]: ", expr);
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
}

static void check_case(const Case *c, bool nounset) {
    Fake f;
    fake_init(&f);
    ArithHooks h = {.ctx = &f, .get = fake_get, .set = fake_set, .nounset = nounset};
    int64_t v;
    StrBuf err, state;
    sb_init(&err);
    v = 0;
    int rc = arith_eval(&h, c->expr, &v, &err);
    sb_init(&state);
    fake_state(&f, &state);
    if (c->err) {
        report(rc == -1 && strcmp(sb_cstr(&err), c->err) == 0, c->expr,
               "want error '%s', got rc=%d err='%s' value=%lld", c->err, rc,
               sb_cstr(&err), (long long)v);
    } else {
        report(rc == 0 && v == c->val && strcmp(sb_cstr(&state), c->state) == 0, c->expr,
               "want %lld [%s], got rc=%d value=%lld [%s] err='%s'", c->val, c->state,
               rc, (long long)v, sb_cstr(&state), sb_cstr(&err));
    }
    sb_free(&err);
    sb_free(&state);
    fake_free(&f);
}

static const Case cases[] = {
    {"1+2", 3LL, NULL, "x=3 y=4 z=unset a1=7"},
    {" 42 ", 42LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"  7 * 6", 42LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"1 +", 0, "1 +: syntax error: operand expected (error token is \"+\")", NULL},
    {"1 +  ", 0, "1 +  : syntax error: operand expected (error token is \"+  \")", NULL},
    {"+", 0, "+: syntax error: operand expected (error token is \"+\")", NULL},
    {"()", 0, "(): syntax error: operand expected (error token is \")\")", NULL},
    {"3 4", 0, "3 4: syntax error in expression (error token is \"4\")", NULL},
    {"1 2 3", 0, "1 2 3: syntax error in expression (error token is \"2 3\")", NULL},
    {"a b", 0, "a b: syntax error in expression (error token is \"b\")", NULL},
    {"1=2", 0, "1=2: attempted assignment to non-variable (error token is \"=2\")", NULL},
    {"5++", 0, "5++: syntax error: operand expected (error token is \"+\")", NULL},
    {"++5", 5LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"--5", 5LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"-- 5", 5LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"(x)++", 0, "(x)++: syntax error: operand expected (error token is \"+\")", NULL},
    {"(x)=1", 0, "(x)=1: attempted assignment to non-variable (error token is \"=1\")", NULL},
    {"1/0", 0, "1/0: division by 0 (error token is \"0\")", NULL},
    {"5%0", 0, "5%0: division by 0 (error token is \"0\")", NULL},
    {"1 / 0 + 3", 0, "1 / 0 + 3: division by 0 (error token is \"0 + 3\")", NULL},
    {"1/(2-2)", 0, "1/(2-2): division by 0 (error token is \"(2-2)\")", NULL},
    {"(1/0)", 0, "(1/0): division by 0 (error token is \"0)\")", NULL},
    {"x/0", 0, "x/0: division by 0 (error token is \"0\")", NULL},
    {"x /= 0 + 0 , 1", 0, "x /= 0 + 0 , 1: division by 0 (error token is \", 1\")", NULL},
    {"x%=0", 0, "x%=0: division by 0 (error token is \"0\")", NULL},
    {"2**-1", 0, "2**-1: exponent less than 0 (error token is \"1\")", NULL},
    {"2**-1 + 3", 0, "2**-1 + 3: exponent less than 0 (error token is \"+ 3\")", NULL},
    {"2**-(1)", 0, "2**-(1): exponent less than 0 (error token is \")\")", NULL},
    {"x ** -1", 0, "x ** -1: exponent less than 0 (error token is \"1\")", NULL},
    {"0 && 2**-1", 0, "0 && 2**-1: exponent less than 0 (error token is \"1\")", NULL},
    {"0 ? 2**-1 : 1", 0, "0 ? 2**-1 : 1: exponent less than 0 (error token is \": 1\")", NULL},
    {"08", 0, "08: value too great for base (error token is \"08\")", NULL},
    {"08+1", 0, "08: value too great for base (error token is \"08\")", NULL},
    {"1 + 08 + 2", 0, "1 + 08: value too great for base (error token is \"08\")", NULL},
    {"0x", 0LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"0xg", 0, "0xg: value too great for base (error token is \"0xg\")", NULL},
    {"0x1F", 31LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"0XfF", 255LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"017", 15LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"0", 0LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"00", 0LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"10#", 0, "10#: invalid integer constant (error token is \"10#\")", NULL},
    {"65#1", 0, "65#1: invalid arithmetic base (error token is \"65#1\")", NULL},
    {"1#1", 0, "1#1: invalid arithmetic base (error token is \"1#1\")", NULL},
    {"1#", 0, "1#: invalid arithmetic base (error token is \"1#\")", NULL},
    {"2#12", 0, "2#12: value too great for base (error token is \"2#12\")", NULL},
    {"2#1010", 10LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"1a", 0, "1a: value too great for base (error token is \"1a\")", NULL},
    {"64#_@", 4094LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"64#@", 62LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"64#_", 63LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"64#a", 10LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"64#A", 36LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"64#zZ", 2301LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"36#zZ", 1295LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"36#Z", 35LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"37#Z", 0, "37#Z: value too great for base (error token is \"37#Z\")", NULL},
    {"37#z", 35LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"62#z", 35LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"16#ff", 255LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"16#FF", 255LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"16#g", 0, "16#g: value too great for base (error token is \"16#g\")", NULL},
    {"2#_", 0, "2#_: value too great for base (error token is \"2#_\")", NULL},
    {"16#-1", 0, "16#: invalid integer constant (error token is \"16#\")", NULL},
    {"10#-12", 0, "10#: invalid integer constant (error token is \"10#\")", NULL},
    {"-10#12", -12LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"0#1", 0, "0#1: invalid number (error token is \"0#1\")", NULL},
    {"0#", 0, "0#: invalid number (error token is \"0#\")", NULL},
    {"00#1", 0, "00#1: invalid number (error token is \"00#1\")", NULL},
    {"2##1", 0, "2##1: invalid integer constant (error token is \"2##1\")", NULL},
    {"2#1#", 0, "2#1#: invalid number (error token is \"2#1#\")", NULL},
    {"3#2#1", 0, "3#2#1: invalid number (error token is \"3#2#1\")", NULL},
    {"0x#", 0, "0x#: invalid number (error token is \"0x#\")", NULL},
    {"09#1", 0, "09#1: value too great for base (error token is \"09#1\")", NULL},
    {"1_0", 0, "1_0: value too great for base (error token is \"1_0\")", NULL},
    {"18446744073709551618#11", 3LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"99999999999999999999", 7766279631452241919LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"9223372036854775807+1", INT64_MIN+0LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"9223372036854775808", INT64_MIN+0LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"-9223372036854775807-1", INT64_MIN+0LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"-9223372036854775808/-1", INT64_MIN+0LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"-9223372036854775808%-1", 0LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"-(-9223372036854775807-1)", INT64_MIN+0LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"(-9223372036854775807-1)*-1", INT64_MIN+0LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"9223372036854775807 * 2", -2LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"big+1", INT64_MIN+0LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"1<<64", 1LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"1<<-1", INT64_MIN+0LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"-8>>1", -4LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"-1 >> 63", -1LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"1 << 63 >> 63", -1LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"4 >> 65", 2LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"2**63", INT64_MIN+0LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"2**64", 0LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"0**0", 1LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"3**40", -6289078614652622815LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"2**3**2", 512LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"-2**2", 4LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"5 ** 2 ** 0", 5LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"~0", -1LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"~-1", 0LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"!5", 0LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"!0", 1LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"!!7", 1LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"!-1", 0LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"1 ? 2", 0, "1 ? 2: `:' expected for conditional expression (error token is \"2\")", NULL},
    {"1 ? 2 :", 0, "1 ? 2 :: expression expected (error token is \":\")", NULL},
    {"1 ?", 0, "1 ?: expression expected (error token is \"?\")", NULL},
    {"1 ? : 3", 0, "1 ? : 3: expression expected (error token is \": 3\")", NULL},
    {"1 ? 2 : :", 0, "1 ? 2 : :: syntax error: operand expected (error token is \":\")", NULL},
    {"1 ? 2 : 3 : 4", 0, "1 ? 2 : 3 : 4: syntax error in expression (error token is \": 4\")", NULL},
    {"1 ? 2 3", 0, "1 ? 2 3: `:' expected for conditional expression (error token is \"3\")", NULL},
    {"0 ? 1 : 2 ? 3 : 4", 3LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"1 ? 2 : 3 ? 4 : 5", 2LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"1 ? 2,3 : 4", 3LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"0 ? 2 : 3,4", 4LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"1 ? x=5 : 3", 5LL, NULL, "x=5 y=4 z=unset a1=7"},
    {"0 ? x=5 : 3", 3LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"1 ? 2 : x=5", 0, "1 ? 2 : x=5: attempted assignment to non-variable (error token is \"=5\")", NULL},
    {"1 ? 2 : 3 = 4", 0, "1 ? 2 : 3 = 4: attempted assignment to non-variable (error token is \"= 4\")", NULL},
    {"x ? y : z = 5", 0, "x ? y : z = 5: attempted assignment to non-variable (error token is \"= 5\")", NULL},
    {"0 && x=5", 0, "0 && x=5: attempted assignment to non-variable (error token is \"=5\")", NULL},
    {"0 && x++", 0LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"1 || x++", 1LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"0 || x++", 1LL, NULL, "x=4 y=4 z=unset a1=7"},
    {"1 && 2", 1LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"5 && 0", 0LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"3 || 0", 1LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"0 || 0", 0LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"0 && 1/0", 0LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"1 || 1/0", 1LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"0 ? 1/0 : 2", 2LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"0 && 1 ? 2 : 3", 3LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"0 && 08", 0, "0 && 08: value too great for base (error token is \"08\")", NULL},
    {"0 && a[1", 0, "0 && a[1: bad array subscript (error token is \"a[1\")", NULL},
    {"0 && 7 @ 2", 0, "0 && 7 @ 2: syntax error: invalid arithmetic operator (error token is \"@ 2\")", NULL},
    {"0 && y=", 0, "0 && y=: attempted assignment to non-variable (error token is \"=\")", NULL},
    {"0 ? v1 : 2", 2LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"1 ? 2 : v1", 2LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"0 ? 2 : v1", 0, "1+: syntax error: operand expected (error token is \"+\")", NULL},
    {"0 && v1", 0LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"1 || v1", 1LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"x = ", 0, "x = : syntax error: operand expected (error token is \"= \")", NULL},
    {"x=", 0, "x=: syntax error: operand expected (error token is \"=\")", NULL},
    {"$x", 0, "$x: syntax error: operand expected (error token is \"$x\")", NULL},
    {"'1'", 0, "'1': syntax error: operand expected (error token is \"'1'\")", NULL},
    {"\"1\"", 0, "\"1\": syntax error: operand expected (error token is \"\"1\"\")", NULL},
    {"$", 0, "$: syntax error: operand expected (error token is \"$\")", NULL},
    {"{1}", 0, "{1}: syntax error: operand expected (error token is \"{1}\")", NULL},
    {"[1]", 0, "[1]: syntax error: operand expected (error token is \"[1]\")", NULL},
    {"1 ,", 0, "1 ,: syntax error: operand expected (error token is \",\")", NULL},
    {",1", 0, ",1: syntax error: operand expected (error token is \",1\")", NULL},
    {"x,", 0, "x,: syntax error: operand expected (error token is \",\")", NULL},
    {"x,,", 0, "x,,: syntax error: operand expected (error token is \",\")", NULL},
    {"1,2", 2LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"x=1 , y", 4LL, NULL, "x=1 y=4 z=unset a1=7"},
    {"x=1,y=2,x+y", 3LL, NULL, "x=1 y=2 z=unset a1=7"},
    {"++x++", 0, "++x++: ++: assignment requires lvalue (error token is \"++\")", NULL},
    {"--x++", 0, "--x++: ++: assignment requires lvalue (error token is \"++\")", NULL},
    {"++x --", 0, "++x --: --: assignment requires lvalue (error token is \"--\")", NULL},
    {"++x--", 0, "++x--: --: assignment requires lvalue (error token is \"--\")", NULL},
    {"--x--", 0, "--x--: --: assignment requires lvalue (error token is \"--\")", NULL},
    {"++x - -1", 5LL, NULL, "x=4 y=4 z=unset a1=7"},
    {"x++ ++", 0, "x++ ++: syntax error: operand expected (error token is \"+\")", NULL},
    {"x++y", 0, "x++y: syntax error in expression (error token is \"y\")", NULL},
    {"x+++y", 7LL, NULL, "x=4 y=4 z=unset a1=7"},
    {"x---y", -1LL, NULL, "x=2 y=4 z=unset a1=7"},
    {"x----y", 0, "x----y: syntax error in expression (error token is \"--y\")", NULL},
    {"(x)++y", 0, "(x)++y: syntax error in expression (error token is \"++y\")", NULL},
    {"1++x", 0, "1++x: syntax error in expression (error token is \"++x\")", NULL},
    {"++(x)", 3LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"++ x", 4LL, NULL, "x=4 y=4 z=unset a1=7"},
    {"++1x", 0, "++1x: value too great for base (error token is \"1x\")", NULL},
    {"x ++", 3LL, NULL, "x=4 y=4 z=unset a1=7"},
    {"x++ + 1", 4LL, NULL, "x=4 y=4 z=unset a1=7"},
    {"x++=3", 0, "x++=3: attempted assignment to non-variable (error token is \"=3\")", NULL},
    {"++x=3", 0, "++x=3: attempted assignment to non-variable (error token is \"=3\")", NULL},
    {"-x=5", 0, "-x=5: attempted assignment to non-variable (error token is \"=5\")", NULL},
    {"1+x=5", 0, "1+x=5: attempted assignment to non-variable (error token is \"=5\")", NULL},
    {"x+1=5", 0, "x+1=5: attempted assignment to non-variable (error token is \"=5\")", NULL},
    {"3+=5", 0, "3+=5: attempted assignment to non-variable (error token is \"+=5\")", NULL},
    {"5 >>= 1", 0, "5 >>= 1: attempted assignment to non-variable (error token is \">>= 1\")", NULL},
    {"x**=2", 0, "x**=2: syntax error: operand expected (error token is \"=2\")", NULL},
    {"x <<=", 0, "x <<=: syntax error: operand expected (error token is \"<<=\")", NULL},
    {"1 < < 2", 0, "1 < < 2: syntax error: operand expected (error token is \"< 2\")", NULL},
    {"7 @ 2", 0, "7 @ 2: syntax error: invalid arithmetic operator (error token is \"@ 2\")", NULL},
    {"(1)@2", 0, "(1)@2: syntax error: operand expected (error token is \"@2\")", NULL},
    {"x++ @", 0, "x++ @: syntax error: invalid arithmetic operator (error token is \"@\")", NULL},
    {"1 + @", 0, "1 + @: syntax error: operand expected (error token is \"@\")", NULL},
    {"x@", 0, "x@: syntax error: invalid arithmetic operator (error token is \"@\")", NULL},
    {"++x @", 0, "++x @: syntax error: invalid arithmetic operator (error token is \"@\")", NULL},
    {"x=5 @", 0, "x=5 @: syntax error: invalid arithmetic operator (error token is \"@\")", NULL},
    {"1 ? 2 : 3 @", 0, "1 ? 2 : 3 @: syntax error: invalid arithmetic operator (error token is \"@\")", NULL},
    {"!@", 0, "!@: syntax error: operand expected (error token is \"@\")", NULL},
    {"-@", 0, "-@: syntax error: operand expected (error token is \"@\")", NULL},
    {"a[1]@", 0, "a[1]@: syntax error: invalid arithmetic operator (error token is \"@\")", NULL},
    {"++@", 0, "++@: syntax error: operand expected (error token is \"@\")", NULL},
    {"( 1 ) 2", 0, "( 1 ) 2: syntax error in expression (error token is \"2\")", NULL},
    {"0x1F.5", 0, "0x1F.5: syntax error: invalid arithmetic operator (error token is \".5\")", NULL},
    {"1.5", 0, "1.5: syntax error: invalid arithmetic operator (error token is \".5\")", NULL},
    {"a [1]", 0, "a [1]: syntax error: invalid arithmetic operator (error token is \"[1]\")", NULL},
    {"a[1", 0, "a[1: bad array subscript (error token is \"a[1\")", NULL},
    {"a[1]]", 0, "a[1]]: syntax error: invalid arithmetic operator (error token is \"]\")", NULL},
    {"1 + a[1 + 2", 0, "1 + a[1 + 2: bad array subscript (error token is \"a[1 + 2\")", NULL},
    {"a[1]", 7LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"a[1]+=4", 11LL, NULL, "x=3 y=4 z=unset a1=11"},
    {"a[1]++", 7LL, NULL, "x=3 y=4 z=unset a1=8"},
    {"++a[1]", 8LL, NULL, "x=3 y=4 z=unset a1=8"},
    {"a[ 1 ] + 1", 8LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"z", 0LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"z++", 0LL, NULL, "x=3 y=4 z=1 a1=7"},
    {"z+=2", 2LL, NULL, "x=3 y=4 z=2 a1=7"},
    {"z = 5", 5LL, NULL, "x=3 y=4 z=5 a1=7"},
    {"x=y=z", 0LL, NULL, "x=0 y=0 z=unset a1=7"},
    {"x=(y=9)+1", 10LL, NULL, "x=10 y=9 z=unset a1=7"},
    {"(x=2)", 2LL, NULL, "x=2 y=4 z=unset a1=7"},
    {"x = 4 == 4", 1LL, NULL, "x=1 y=4 z=unset a1=7"},
    {"x <<= 2", 12LL, NULL, "x=12 y=4 z=unset a1=7"},
    {"x += 3, x", 6LL, NULL, "x=6 y=4 z=unset a1=7"},
    {"x = y += 2", 6LL, NULL, "x=6 y=6 z=unset a1=7"},
    {"y -= x -= 1", 2LL, NULL, "x=2 y=2 z=unset a1=7"},
    {"x |= 4", 7LL, NULL, "x=7 y=4 z=unset a1=7"},
    {"x &= 2", 2LL, NULL, "x=2 y=4 z=unset a1=7"},
    {"x ^= 1", 2LL, NULL, "x=2 y=4 z=unset a1=7"},
    {"x >>= 1", 1LL, NULL, "x=1 y=4 z=unset a1=7"},
    {"x %= 2", 1LL, NULL, "x=1 y=4 z=unset a1=7"},
    {"x *= -2", -6LL, NULL, "x=-6 y=4 z=unset a1=7"},
    {"x /= 2", 1LL, NULL, "x=1 y=4 z=unset a1=7"},
    {"x -= 10", -7LL, NULL, "x=-7 y=4 z=unset a1=7"},
    {"-x", -3LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"- -x", 3LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"+-+-1", 1LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"1 - - 1", 2LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"1--1", 2LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"1---1", 0LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"1 -- 1", 2LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"!x", 0LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"!!x", 1LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"x-- - --x", 2LL, NULL, "x=1 y=4 z=unset a1=7"},
    {"x--", 3LL, NULL, "x=2 y=4 z=unset a1=7"},
    {"--x", 2LL, NULL, "x=2 y=4 z=unset a1=7"},
    {"y++ + y", 9LL, NULL, "x=3 y=5 z=unset a1=7"},
    {"y + y++", 8LL, NULL, "x=3 y=5 z=unset a1=7"},
    {"x = x++ + 1", 4LL, NULL, "x=4 y=4 z=unset a1=7"},
    {"x++ + x++", 7LL, NULL, "x=5 y=4 z=unset a1=7"},
    {"2 * (3 + 4)", 14LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"(1 , 2)", 2LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"-3/2", -1LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"-3%2", -1LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"7%-3", 1LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"3 < 5", 1LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"5 <= 5", 1LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"5 > 6", 0LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"5 >= 6", 0LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"5 == 5", 1LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"5 != 5", 0LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"6 & 3", 2LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"6 | 3", 7LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"6 ^ 3", 5LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"1 << 3", 8LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"256 >> 4", 16LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"1 << 2 << 3", 32LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"1 - 2 - 3", -4LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"100 / 10 / 5", 2LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"2 * 3 % 4", 2LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"1 + 2 * 3", 7LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"(1 + 2) * 3", 9LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"1 | 2 ^ 3 & 4", 3LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"1 < 2 == 1", 1LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"-2 >> 1", -1LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"2 + 3 * 4 ** 2 / 8 - 1", 7LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"10 > 5 && 3 < 1 || 7 == 7", 1LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"(((((((((((1)))))))))))", 1LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"v1+1", 0, "1+: syntax error: operand expected (error token is \"+\")", NULL},
    {"v2+1", 0, "08: value too great for base (error token is \"08\")", NULL},
    {"v3", 0, "v3: expression recursion level exceeded (error token is \"v3\")", NULL},
    {"v3b", 0, "v3b+1: expression recursion level exceeded (error token is \"v3b+1\")", NULL},
    {"v3c", 0, "1 + v3c + 1: expression recursion level exceeded (error token is \"v3c + 1\")", NULL},
    {"rr", 0, "rr: expression recursion level exceeded (error token is \"rr\")", NULL},
    {"v4 + 1", 9LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"v5+2", 7LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"v6", 0, "5 5: syntax error in expression (error token is \"5\")", NULL},
    {"v7", 0, "a b: syntax error in expression (error token is \"b\")", NULL},
    {"v8", 0LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"v9", 0LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"v9++", 0LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"v10 * 2", 6LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"v11", 0, "1+: syntax error: operand expected (error token is \"+\")", NULL},
    {"1 + v12 + 2", 0, "1/0: division by 0 (error token is \"0\")", NULL},
    {"v13", 0, "(1: missing `)' (error token is \"1\")", NULL},
    {"v14", 0, "a[1: bad array subscript (error token is \"a[1\")", NULL},
    {"v15", 0, "2#2: value too great for base (error token is \"2#2\")", NULL},
    {"v16", 0, "$x: syntax error: operand expected (error token is \"$x\")", NULL},
    {"v17", 0, "\"3\": syntax error: operand expected (error token is \"\"3\"\")", NULL},
    {"v1 = 2", 2LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"v1 == 2", 0, "1+: syntax error: operand expected (error token is \"+\")", NULL},
    {"neg * 2", -10LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"hex + 1", 32LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"w + w", 14LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"w++", 7LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"ro=2", 0, "ro: readonly variable", NULL},
    {"ro", 1LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"ro+=1", 0, "ro: readonly variable", NULL},
    {"x = ro + 1", 2LL, NULL, "x=2 y=4 z=unset a1=7"},
    {"v1@>>=v4", 0, "v1@>>=v4: syntax error: invalid arithmetic operator (error token is \"@>>=v4\")", NULL},
    {"x y @", 0, "x y @: syntax error: invalid arithmetic operator (error token is \"@\")", NULL},
    {"x 08", 0, "x 08: value too great for base (error token is \"08\")", NULL},
    {"x y 08", 0, "x y 08: value too great for base (error token is \"08\")", NULL},
    {"x y z", 0, "x y z: syntax error in expression (error token is \"y z\")", NULL},
    {"1 + x@", 0, "1 + x@: syntax error: invalid arithmetic operator (error token is \"@\")", NULL},
    {"x 1 @", 0, "x 1 @: syntax error in expression (error token is \"1 @\")", NULL},
    {"x 1a", 0, "x 1a: value too great for base (error token is \"1a\")", NULL},
    {"x[1]@", 0, "x[1]@: syntax error: invalid arithmetic operator (error token is \"@\")", NULL},
    {"0 && x 08", 0, "0 && x 08: value too great for base (error token is \"08\")", NULL},
    {"x ++ @", 0, "x ++ @: syntax error: invalid arithmetic operator (error token is \"@\")", NULL},
    {"v1 =", 0, "v1 =: syntax error: operand expected (error token is \"=\")", NULL},
    {"v1 + 1 @", 0, "1+: syntax error: operand expected (error token is \"+\")", NULL},
};

/* The same store, with set -u in effect. */
static const Case nounset_cases[] = {
    {"zz+1", 0, "zz: unbound variable", NULL},
    {"0 && zz", 0LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"zz=1", 1LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"zz = 1", 1LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"zz+=1", 0, "zz: unbound variable", NULL},
    {"zz++", 0, "zz: unbound variable", NULL},
    {"++zz", 0, "zz: unbound variable", NULL},
    {"0 ? zz : 1", 1LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"1 ? 2 : zz", 2LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"0 && zz++", 0LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"x + v18", 0, "zz: unbound variable", NULL},
    {"a[3]", 0LL, NULL, "x=3 y=4 z=unset a1=7"},
    {"++zz=3", 0, "zz: unbound variable", NULL},
    {"--zz = 3", 0, "zz: unbound variable", NULL},
    {"zz @", 0, "zz @: syntax error: invalid arithmetic operator (error token is \"@\")", NULL},
    {"zz 08", 0, "zz 08: value too great for base (error token is \"08\")", NULL},
};

/* Blanks and control characters (messages checked against bash by hand). */
static const Case blank_cases[] = {
    {"", 0, NULL, "x=3 y=4 z=unset a1=7"},
    {" \t\n ", 0, NULL, "x=3 y=4 z=unset a1=7"},
    {"\n1 +\t\n2", 3, NULL, "x=3 y=4 z=unset a1=7"},
    {"x\n++", 3, NULL, "x=4 y=4 z=unset a1=7"},
    {"1 ?\n2\n:\n3", 2, NULL, "x=3 y=4 z=unset a1=7"},
    {"\n1/\n 0", 0, "\n1/\n 0: division by 0 (error token is \"\n 0\")", NULL},
    {"\n  1/\t\n 0", 0, "\n  1/\t\n 0: division by 0 (error token is \"\n 0\")", NULL},
    {"1 +\r2", 0, "1 +\r2: syntax error: operand expected (error token is \"\r2\")", NULL},
};

static void run_table(const Case *t, size_t n, bool nounset) {
    for (size_t i = 0; i < n; i++) check_case(&t[i], nounset);
}

/* Evaluates expr with fresh fake hooks; returns rc, fills *v and err. */
static int eval_with(Fake *f, ArithHooks *h, const char *expr, int64_t *v, StrBuf *err) {
    h->ctx = f;
    h->get = fake_get;
    h->set = fake_set;
    *v = 0;
    sb_init(err);
    return arith_eval(h, expr, v, err);
}

/* Subscripts reach the hooks as the raw text between the brackets. */
static void test_subscripts(void) {
    Fake f;
    ArithHooks h = {0};
    int64_t v;
    StrBuf err;
    fake_init(&f);
    eval_with(&f, &h, "a[x+1-3]", &v, &err);
    report(strcmp(f.last_sub, "x+1-3") == 0, "a[x+1-3]", "sub '%s'", f.last_sub);
    sb_free(&err);
    eval_with(&f, &h, "b[a[1]] = 2", &v, &err);
    report(strcmp(f.last_sub, "a[1]") == 0 && v == 2, "b[a[1]] = 2", "sub '%s'", f.last_sub);
    sb_free(&err);
    eval_with(&f, &h, "a[ 1 ]++", &v, &err);
    report(strcmp(f.last_sub, " 1 ") == 0 && v == 7, "a[ 1 ]++", "sub '%s' v=%lld",
           f.last_sub, (long long)v);
    sb_free(&err);
    eval_with(&f, &h, "x", &v, &err);
    report(strcmp(f.last_sub, "(none)") == 0, "x", "sub '%s'", f.last_sub);
    sb_free(&err);
    fake_free(&f);
}

/* Skipped operands neither read nor write variables. */
static void test_noeval(void) {
    const char *exprs[] = {"0 && x + y", "1 || (x = 5)", "0 ? x++ : 1", "1 ? 2 : y--"};
    for (size_t i = 0; i < sizeof exprs / sizeof exprs[0]; i++) {
        Fake f;
        ArithHooks h = {0};
        int64_t v;
        StrBuf err;
        fake_init(&f);
        int rc = eval_with(&f, &h, exprs[i], &v, &err);
        bool same = strcmp(fake_value(&f, "x"), "3") == 0 && strcmp(fake_value(&f, "y"), "4") == 0;
        report(rc == 0 && f.gets == 0 && same, exprs[i], "rc=%d gets=%d", rc, f.gets);
        sb_free(&err);
        fake_free(&f);
    }
}

/* Builds c0 -> c1 -> ... -> c{n-1} -> 5 in f. */
static void make_chain(Fake *f, int n) {
    char key[32], val[32];
    for (int i = 0; i < n; i++) {
        snprintf(key, sizeof key, "c%d", i);
        if (i + 1 < n) snprintf(val, sizeof val, "c%d", i + 1);
        else snprintf(val, sizeof val, "5");
        fake_put(f, key, val);
    }
}

static void check_chain(int n, int max_depth, const char *want_err) {
    Fake f;
    ArithHooks h = {.max_depth = max_depth};
    int64_t v;
    StrBuf err;
    char label[64];
    fake_init(&f);
    make_chain(&f, n);
    int rc = eval_with(&f, &h, "c0", &v, &err);
    snprintf(label, sizeof label, "chain of %d, max_depth %d", n, max_depth);
    if (want_err)
        report(rc == -1 && strcmp(sb_cstr(&err), want_err) == 0, label, "rc=%d err='%s'", rc,
               sb_cstr(&err));
    else
        report(rc == 0 && v == 5, label, "rc=%d v=%lld err='%s'", rc, (long long)v, sb_cstr(&err));
    sb_free(&err);
    fake_free(&f);
}

/* Builds n nested parentheses around 1. */
static char *nested_parens(int n) {
    StrBuf b;
    sb_init(&b);
    for (int i = 0; i < n; i++) sb_putc(&b, '(');
    sb_putc(&b, '1');
    for (int i = 0; i < n; i++) sb_putc(&b, ')');
    return sb_take(&b);
}

/* Variable levels and syntactic nesting share max_depth (default 1024). */
static void test_depth(void) {
    /* c0 is level 0 and c{k}'s value level k+1; bash allows levels 0..1023 */
    check_chain(4, 5, NULL);
    check_chain(4, 4, "c3: expression recursion level exceeded (error token is \"c3\")");
    check_chain(1023, 0, NULL);
    check_chain(1024, 0, "c1023: expression recursion level exceeded (error token is \"c1023\")");
    check_chain(1100, 0, "c1023: expression recursion level exceeded (error token is \"c1023\")");
    Fake f;
    ArithHooks h = {0};
    int64_t v;
    StrBuf err;
    fake_init(&f);
    char *ok = nested_parens(500), *deep = nested_parens(1100);
    int rc = eval_with(&f, &h, ok, &v, &err);
    report(rc == 0 && v == 1, "500 nested parens", "rc=%d err='%s'", rc, sb_cstr(&err));
    sb_free(&err);
    rc = eval_with(&f, &h, deep, &v, &err);
    report(rc == -1 && strstr(sb_cstr(&err), "expression recursion level exceeded"),
           "1100 nested parens", "rc=%d", rc);
    sb_free(&err);
    free(ok);
    free(deep);
    fake_free(&f);
}

/* NULL hooks and NULL err are tolerated; messages append to err. */
static void test_api_edges(void) {
    int64_t v = -1;
    int rc = arith_eval(NULL, "x + 2", &v, NULL);
    report(rc == 0 && v == 2, "NULL hooks", "rc=%d v=%lld", rc, (long long)v);
    rc = arith_eval(NULL, "x = 7", &v, NULL);
    report(rc == 0 && v == 7, "NULL hooks assign", "rc=%d v=%lld", rc, (long long)v);
    rc = arith_eval(NULL, "1/0", &v, NULL);
    report(rc == -1, "NULL err", "rc=%d", rc);
    StrBuf err;
    sb_init(&err);
    sb_puts(&err, "pre:");
    rc = arith_eval(NULL, "1/0", &v, &err);
    report(rc == -1 && strcmp(sb_cstr(&err), "pre:1/0: division by 0 (error token is \"0\")") == 0,
           "err appends", "'%s'", sb_cstr(&err));
    sb_free(&err);

    /* a failing set stops evaluation */
    Fake f;
    ArithHooks h = {0};
    fake_init(&f);
    rc = eval_with(&f, &h, "ro = 2, x = 9", &v, &err);
    report(rc == -1 && strcmp(fake_value(&f, "x"), "3") == 0, "ro = 2, x = 9", "rc=%d x=%s", rc,
           fake_value(&f, "x"));
    sb_free(&err);
    fake_free(&f);
}

int main(void) {
    run_table(cases, sizeof cases / sizeof cases[0], false);
    run_table(nounset_cases, sizeof nounset_cases / sizeof nounset_cases[0], true);
    run_table(blank_cases, sizeof blank_cases / sizeof blank_cases[0], false);
    test_subscripts();
    test_noeval();
    test_depth();
    test_api_edges();
    printf("%d passed, %d failed\n", n_pass, n_fail);
    return n_fail ? 1 : 0;
}
