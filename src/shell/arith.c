/* arith.c - bash-compatible shell arithmetic (see arith.h).
 *
 * A recursive-descent parser that evaluates while it parses, reading tokens
 * lazily with one token of lookahead, the way bash's expr.c does. Bash's
 * visible quirks (which token an error names, when `++` is a pre- or
 * post-increment, when an operand is skipped) fall out of that shape, so we
 * keep it. There is no longjmp: an error sets Eval.failed, every step checks
 * it, and the lexer then reports end-of-input so all loops unwind.
 *
 * All arithmetic is done on uint64_t and converted back, so overflow wraps
 * instead of being undefined behaviour. */
#include "arith.h"

#include <stdlib.h>
#include <string.h>

typedef enum {
    T_EOS, T_NUM, T_STR, T_LPAR, T_RPAR, T_COMMA, T_QUES, T_COL,
    T_ASSIGN, T_OPASSIGN,
    T_LOR, T_LAND, T_BOR, T_XOR, T_BAND, T_EQ, T_NE,
    T_LT, T_LE, T_GT, T_GE, T_LSH, T_RSH, T_PLUS, T_MINUS,
    T_MUL, T_DIV, T_MOD, T_POW, T_NOT, T_BNOT,
    T_PREINC, T_PREDEC, T_POSTINC, T_POSTDEC,
} Tok;

/* State shared by every nesting level of one arith_eval call. */
typedef struct Eval {
    const ArithHooks *h;
    StrBuf *err;
    StrBuf scratch;   /* "name\0subscript\0" handed to the hooks */
    int depth;        /* variable-value levels plus syntactic nesting */
    int max_depth;
    int noeval;       /* > 0 while parsing an operand that is skipped */
    bool failed;
} Eval;

/* A variable reference: where its name and subscript sit in the text. */
typedef struct VarRef {
    const char *name, *sub;
    size_t name_len, sub_len;
    bool has_sub;
    int64_t val;      /* its value, read when the token was lexed */
} VarRef;

/* One expression being evaluated: the top level, or a variable's value. */
typedef struct Lexer {
    Eval *ev;
    const char *expr;
    const char *cp;   /* where the next token starts (blanks not yet skipped) */
    const char *tp;   /* start of the latest token other than end-of-input */
    Tok cur, prev;
    Tok assign_op;    /* the operator of a T_OPASSIGN, e.g. T_PLUS for += */
    long ntok;        /* tokens read so far: tells a bare variable before = */
    int64_t num;      /* value of a T_NUM */
    VarRef var;       /* the latest T_STR */
} Lexer;

#define FAILED(lx) ((lx)->ev->failed)

static int64_t parse_comma(Lexer *lx);
static int64_t parse_assign(Lexer *lx);
static int64_t parse_cond(Lexer *lx);
static int64_t eval_text(Eval *ev, const char *text);

/* ---- small helpers ---------------------------------------------------- */

/* Conversion of an out-of-range uint64_t is implementation-defined, not
 * undefined; every compiler we target wraps modulo 2^64. */
static int64_t wrap(uint64_t u) { return (int64_t)u; }

static bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n'; }
/* Bash trims only spaces and tabs when it quotes text in a message. */
static bool is_space_tab(char c) { return c == ' ' || c == '\t'; }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_ident_start(char c) { return is_alpha(c) || c == '_'; }
static bool is_ident_char(char c) { return is_ident_start(c) || is_digit(c); }
/* Characters bash takes into a numeric token before validating it. */
static bool is_number_char(char c) { return is_ident_char(c) || c == '@' || c == '#'; }

static bool all_blank(const char *s) {
    while (is_blank(*s)) s++;
    return *s == 0;
}

/* ---- errors ------------------------------------------------------------ */

/* Appends `EXPR: MSG (error token is "TOK")`. EXPR loses its leading blanks.
 * While bash converts a number it has cut the text at the token's end, so
 * `cut` (NULL: the whole text) ends both EXPR and TOK. */
static void fail_at(Lexer *lx, const char *msg, const char *tok, const char *cut) {
    Eval *ev = lx->ev;
    if (ev->failed) return;
    ev->failed = true;
    const char *e = lx->expr;
    while (is_space_tab(*e)) e++;
    const char *end = cut ? cut : e + strlen(e);
    if (!tok || tok < e || tok > end) tok = end;
    sb_put(ev->err, e, (size_t)(end - e));
    sb_printf(ev->err, ": %s (error token is \"", msg);
    sb_put(ev->err, tok, (size_t)(end - tok));
    sb_puts(ev->err, "\")");
}

/* Most errors name the latest token and everything after it. */
static void fail(Lexer *lx, const char *msg) { fail_at(lx, msg, lx->tp, NULL); }

/* Syntactic nesting and variable levels share one budget, which bounds the C
 * stack (bash itself only limits variable levels). */
static bool enter(Lexer *lx) {
    if (lx->ev->depth >= lx->ev->max_depth) {
        fail(lx, "expression recursion level exceeded");
        return false;
    }
    lx->ev->depth++;
    return true;
}

static void leave(Lexer *lx) { lx->ev->depth--; }

/* ---- variables through the hooks --------------------------------------- */

/* Fills the scratch buffer with NUL-terminated copies of name and subscript. */
static void ref_strings(Eval *ev, const VarRef *v, const char **name, const char **sub) {
    sb_clear(&ev->scratch);
    sb_put(&ev->scratch, v->name, v->name_len);
    sb_putc(&ev->scratch, 0);
    if (v->has_sub) sb_put(&ev->scratch, v->sub, v->sub_len);
    *name = ev->scratch.s;
    *sub = v->has_sub ? ev->scratch.s + v->name_len + 1 : NULL;
}

static void store(Lexer *lx, const VarRef *v, int64_t val) {
    Eval *ev = lx->ev;
    if (ev->noeval || ev->failed || !ev->h || !ev->h->set) return;
    const char *name, *sub;
    ref_strings(ev, v, &name, &sub);
    if (ev->h->set(ev->h->ctx, name, sub, val, ev->err) != 0) ev->failed = true;
}

/* A plain decimal needs no parse (the common case for counters). */
static bool plain_decimal(const char *s, int64_t *out) {
    size_t n = strspn(s, "0123456789");
    if (n == 0 || n > 18 || s[n] || (s[0] == '0' && n > 1)) return false;
    int64_t v = 0;
    for (size_t i = 0; i < n; i++) v = v * 10 + (s[i] - '0');
    *out = v;
    return true;
}

/* A variable's value is itself an expression, evaluated at a new level whose
 * errors quote that value. The value is copied: nested hook calls may
 * invalidate the pointer get returned. */
static int64_t value_of(Lexer *lx, const char *value) {
    Eval *ev = lx->ev;
    int64_t n;
    if (!enter(lx)) return 0;
    if (plain_decimal(value, &n)) {
        leave(lx);
        return n;
    }
    char *copy = xstrdup(value);
    n = eval_text(ev, copy);
    free(copy);
    leave(lx);
    return n;
}

static int64_t fetch(Lexer *lx) {
    Eval *ev = lx->ev;
    const VarRef *v = &lx->var;
    const char *value = NULL;
    if (ev->h && ev->h->get) {
        const char *name, *sub;
        ref_strings(ev, v, &name, &sub);
        value = ev->h->get(ev->h->ctx, name, sub);
    }
    if (value) return value_of(lx, value);
    /* Bash does not apply set -u to a missing element (a[7]); the hooks cannot
     * tell an unset array from an unset element, so subscripts never fail. */
    if (ev->h && ev->h->nounset && !v->has_sub) {
        sb_put(ev->err, v->name, v->name_len);
        sb_puts(ev->err, ": unbound variable");
        ev->failed = true;
    }
    return 0;
}

/* ---- the lexer ---------------------------------------------------------- */

/* Digit value of c, or 99 when it is no digit at all. Up to base 36 letters
 * are case-insensitive; above, A-Z follow a-z, then @ and _. */
static unsigned digit_value(char c, uint64_t base) {
    if (is_digit(c)) return (unsigned)(c - '0');
    if (c >= 'a' && c <= 'z') return (unsigned)(c - 'a' + 10);
    if (c >= 'A' && c <= 'Z') return (unsigned)(c - 'A') + (base <= 36 ? 10u : 36u);
    if (c == '@') return 62;
    if (c == '_') return 63;
    return 99;
}

/* Converts [s, end): decimal, 0x hex, 0 octal or BASE#DIGITS. Returns NULL,
 * or bash's message. Overflow wraps, as in bash. */
static const char *convert_number(const char *s, const char *end, int64_t *out) {
    uint64_t val = 0, base = 10;
    bool have_base = false;
    if (*s == '0') {
        s++;
        if (s < end && (*s == 'x' || *s == 'X')) {
            base = 16;
            s++;
        } else {
            base = 8;
        }
        have_base = true;
    }
    for (; s < end; s++) {
        if (*s == '#') {
            if (have_base) return "invalid number";
            if (val < 2 || val > 64) return "invalid arithmetic base";
            base = val;
            val = 0;
            have_base = true;
            if (s + 1 == end || s[1] == '#') return "invalid integer constant";
            continue;
        }
        unsigned d = digit_value(*s, base);
        if (d >= base) return "value too great for base";
        val = val * base + d;
    }
    *out = wrap(val);
    return NULL;
}

static Tok lex_number(Lexer *lx) {
    const char *start = lx->cp, *end = start;
    while (is_number_char(*end)) end++;
    lx->cp = end;
    const char *msg = convert_number(start, end, &lx->num);
    if (msg) {
        fail_at(lx, msg, start, end);
        return T_EOS;
    }
    return T_NUM;
}

/* The ] matching the [ at p, or NULL. */
static const char *match_bracket(const char *p) {
    int depth = 0;
    for (; *p; p++) {
        if (*p == '[') depth++;
        else if (*p == ']' && --depth == 0) return p;
    }
    return NULL;
}

static void next(Lexer *lx);

/* Bash lexes the token after a name before it reads the variable, to spot
 * `name = ...`; so errors in that token come first (`v @` complains about
 * the @ even when v holds a bad expression). Lexes it as if the name were
 * the current token, reading no variables, then rewinds. */
static Tok peek_after_name(Lexer *lx) {
    if (!enter(lx)) return T_EOS;
    Lexer saved = *lx;
    lx->ev->noeval++;
    lx->cur = T_STR;
    next(lx);
    Tok t = lx->cur;
    lx->ev->noeval--;
    *lx = saved;
    leave(lx);
    return t;
}

/* An identifier, optionally with a [subscript] right after it. Its value is
 * read now, like bash, so errors in it come before those of later tokens;
 * but not when it is about to be assigned with a plain `=` (so set -u does
 * not complain), unless ++ or -- precedes it. */
static Tok lex_ident(Lexer *lx) {
    VarRef *v = &lx->var;
    const char *p = lx->cp;
    while (is_ident_char(*p)) p++;
    v->name = lx->cp;
    v->name_len = (size_t)(p - lx->cp);
    v->has_sub = false;
    if (*p == '[') {
        const char *close = match_bracket(p);
        if (!close) {
            fail(lx, "bad array subscript");
            return T_EOS;
        }
        v->sub = p + 1;
        v->sub_len = (size_t)(close - p - 1);
        v->has_sub = true;
        p = close + 1;
    }
    lx->cp = p;
    v->val = 0;
    Tok before = lx->cur, after = peek_after_name(lx);
    if (lx->ev->failed) return T_EOS;
    bool assigned = after == T_ASSIGN && before != T_PREINC && before != T_PREDEC;
    if (!lx->ev->noeval && !assigned) v->val = fetch(lx);
    return T_STR;
}

/* `++` / `--`: post-increment right after a variable; an error right after a
 * pre-incremented one; pre-increment when a name follows; else false, and the
 * caller reads a single + or - (so `--5` is 5 and `5++` lacks an operand). */
static bool lex_incdec(Lexer *lx, Tok *out) {
    const char *s = lx->cp;
    bool inc = s[0] == '+';
    if (lx->cur == T_STR) {
        lx->cp = s + 2;
        *out = inc ? T_POSTINC : T_POSTDEC;
        return true;
    }
    if (lx->cur == T_NUM && (lx->prev == T_PREINC || lx->prev == T_PREDEC)) {
        fail(lx, inc ? "++: assignment requires lvalue" : "--: assignment requires lvalue");
        *out = T_EOS;
        return true;
    }
    const char *q = s + 2;
    while (is_blank(*q)) q++;
    if (!is_ident_start(*q)) return false;
    lx->cp = s + 2;
    *out = inc ? T_PREINC : T_PREDEC;
    return true;
}

static const struct OpText {
    const char *text;
    Tok tok;
    Tok assign_op; /* for T_OPASSIGN */
} op_table[] = {
    /* longest first, so a prefix never shadows a longer operator */
    {"<<=", T_OPASSIGN, T_LSH}, {">>=", T_OPASSIGN, T_RSH},
    {"**", T_POW, T_EOS}, {"==", T_EQ, T_EOS}, {"!=", T_NE, T_EOS},
    {"<=", T_LE, T_EOS}, {">=", T_GE, T_EOS}, {"<<", T_LSH, T_EOS},
    {">>", T_RSH, T_EOS}, {"&&", T_LAND, T_EOS}, {"||", T_LOR, T_EOS},
    {"*=", T_OPASSIGN, T_MUL}, {"/=", T_OPASSIGN, T_DIV}, {"%=", T_OPASSIGN, T_MOD},
    {"+=", T_OPASSIGN, T_PLUS}, {"-=", T_OPASSIGN, T_MINUS}, {"&=", T_OPASSIGN, T_BAND},
    {"^=", T_OPASSIGN, T_XOR}, {"|=", T_OPASSIGN, T_BOR},
    {"=", T_ASSIGN, T_EOS}, {"!", T_NOT, T_EOS}, {"<", T_LT, T_EOS},
    {">", T_GT, T_EOS}, {"&", T_BAND, T_EOS}, {"|", T_BOR, T_EOS},
    {"^", T_XOR, T_EOS}, {"*", T_MUL, T_EOS}, {"/", T_DIV, T_EOS},
    {"%", T_MOD, T_EOS}, {"+", T_PLUS, T_EOS}, {"-", T_MINUS, T_EOS},
    {"~", T_BNOT, T_EOS}, {"?", T_QUES, T_EOS}, {":", T_COL, T_EOS},
    {",", T_COMMA, T_EOS}, {"(", T_LPAR, T_EOS}, {")", T_RPAR, T_EOS},
};

static Tok lex_operator(Lexer *lx) {
    const char *s = lx->cp;
    Tok t;
    if ((s[0] == '+' || s[0] == '-') && s[1] == s[0] && lex_incdec(lx, &t)) return t;
    for (size_t i = 0; i < sizeof op_table / sizeof op_table[0]; i++) {
        const char *op = op_table[i].text;
        if (op[0] != s[0]) continue; /* cheap filter: this loop is hot */
        size_t n = op[1] ? (op[2] ? 3 : 2) : 1;
        if (strncmp(s, op, n) == 0) {
            lx->cp = s + n;
            lx->assign_op = op_table[i].assign_op;
            return op_table[i].tok;
        }
    }
    /* Which complaint depends on whether an operand came just before. */
    bool after_operand = lx->cur == T_NUM || lx->cur == T_STR ||
                         lx->cur == T_POSTINC || lx->cur == T_POSTDEC;
    fail(lx, after_operand ? "syntax error: invalid arithmetic operator"
                           : "syntax error: operand expected");
    return T_EOS;
}

/* Reads the next token into cur. End-of-input does not move tp, so errors at
 * the end still name the last real token (`1 +` names "+"). */
static void next(Lexer *lx) {
    Tok t = T_EOS;
    if (!lx->ev->failed) {
        while (is_blank(*lx->cp)) lx->cp++;
        char c = *lx->cp;
        if (c) lx->tp = lx->cp;
        if (!c) t = T_EOS;
        else if (is_digit(c)) t = lex_number(lx);
        else if (is_ident_start(c)) t = lex_ident(lx);
        else t = lex_operator(lx);
    }
    lx->prev = lx->cur;
    lx->cur = t;
    lx->ntok++;
}

/* ---- operators ----------------------------------------------------------- */

static int64_t ipow(int64_t base, int64_t exp) {
    uint64_t r = 1, b = (uint64_t)base;
    for (uint64_t e = (uint64_t)exp; e; e >>= 1) {
        if (e & 1) r *= b;
        b *= b;
    }
    return wrap(r);
}

/* Arithmetic shift without relying on implementation-defined >> of negatives. */
static int64_t shift_right(int64_t a, unsigned n) {
    return a >= 0 ? a >> n : ~(~a >> n);
}

/* A skipped operand divides by 1 instead of failing (`0 && 1/0` is fine).
 * INT64_MIN / -1 would trap in C; bash yields INT64_MIN and 0. */
static int64_t divide(Lexer *lx, Tok op, int64_t a, int64_t b, const char *errtok) {
    if (b == 0) {
        if (!lx->ev->noeval) {
            fail_at(lx, "division by 0", errtok, NULL);
            return 0;
        }
        b = 1;
    }
    if (a == INT64_MIN && b == -1) return op == T_DIV ? INT64_MIN : 0;
    return op == T_DIV ? a / b : a % b;
}

/* Shift counts are taken modulo 64, as the x86 bash we mimic does. */
static int64_t binop(Lexer *lx, Tok op, int64_t a, int64_t b, const char *errtok) {
    uint64_t ua = (uint64_t)a, ub = (uint64_t)b;
    switch (op) {
    case T_PLUS: return wrap(ua + ub);
    case T_MINUS: return wrap(ua - ub);
    case T_MUL: return wrap(ua * ub);
    case T_DIV: case T_MOD: return divide(lx, op, a, b, errtok);
    case T_LSH: return wrap(ua << (ub & 63));
    case T_RSH: return shift_right(a, (unsigned)(ub & 63));
    case T_BAND: return a & b;
    case T_BOR: return a | b;
    case T_XOR: return a ^ b;
    case T_EQ: return a == b;
    case T_NE: return a != b;
    case T_LT: return a < b;
    case T_LE: return a <= b;
    case T_GT: return a > b;
    case T_GE: return a >= b;
    case T_LAND: return a && b;
    case T_LOR: return a || b;
    default: return 0;
    }
}

/* Binding strength of a binary operator, or -1. */
static int precedence(Tok t) {
    switch (t) {
    case T_LOR: return 0;
    case T_LAND: return 1;
    case T_BOR: return 2;
    case T_XOR: return 3;
    case T_BAND: return 4;
    case T_EQ: case T_NE: return 5;
    case T_LT: case T_LE: case T_GT: case T_GE: return 6;
    case T_LSH: case T_RSH: return 7;
    case T_PLUS: case T_MINUS: return 8;
    case T_MUL: case T_DIV: case T_MOD: return 9;
    default: return -1;
    }
}

/* ---- the parser, lowest precedence first --------------------------------- */

static int64_t parse_comma(Lexer *lx) {
    int64_t v = parse_assign(lx);
    while (!FAILED(lx) && lx->cur == T_COMMA) {
        next(lx);
        v = parse_assign(lx);
    }
    return v;
}

/* Only a lone variable may be assigned: `(x)=1`, `x++=1` and `1+x=1` are
 * errors in bash, so we require exactly one token (a name) before the =. */
static int64_t parse_assign(Lexer *lx) {
    Tok first = lx->cur;
    long start = lx->ntok;
    int64_t v = parse_cond(lx);
    if (FAILED(lx) || (lx->cur != T_ASSIGN && lx->cur != T_OPASSIGN)) return v;
    if (first != T_STR || lx->ntok != start + 1) {
        fail(lx, "attempted assignment to non-variable");
        return 0;
    }
    VarRef target = lx->var;
    Tok op = lx->cur == T_OPASSIGN ? lx->assign_op : T_EOS;
    next(lx);
    if (!enter(lx)) return 0;
    v = parse_assign(lx);
    leave(lx);
    if (FAILED(lx)) return 0;
    /* an OP= division by zero names the latest token, unlike plain `/` */
    if (op != T_EOS) v = binop(lx, op, target.val, v, lx->tp);
    store(lx, &target, v);
    return FAILED(lx) ? 0 : v;
}

/* The branches of `c ? a : b`; the branch not taken is parsed but skipped.
 * noeval rises before the next token is read, since reading a name reads the
 * variable. */
static int64_t cond_branches(Lexer *lx, int64_t c) {
    Eval *ev = lx->ev;
    int64_t a = 0, b = 0;
    ev->noeval += c == 0;
    next(lx);
    if (lx->cur == T_EOS || lx->cur == T_COL) fail(lx, "expression expected");
    else a = parse_comma(lx);
    ev->noeval -= c == 0;
    if (FAILED(lx)) return 0;
    if (lx->cur != T_COL) {
        fail(lx, "`:' expected for conditional expression");
        return 0;
    }
    ev->noeval += c != 0;
    next(lx);
    if (lx->cur == T_EOS) fail(lx, "expression expected");
    else b = parse_cond(lx);
    ev->noeval -= c != 0;
    return c ? a : b;
}

static int64_t parse_binary(Lexer *lx, int min_prec);

static int64_t parse_cond(Lexer *lx) {
    int64_t c = parse_binary(lx, 0);
    if (FAILED(lx) || lx->cur != T_QUES) return c;
    if (!enter(lx)) return 0;
    int64_t v = cond_branches(lx, c);
    leave(lx);
    return FAILED(lx) ? 0 : v;
}

static int64_t parse_power(Lexer *lx);

/* Precedence climbing over the left-associative binary operators. The right
 * side of && and || is skipped when the left side decides. A division by
 * zero names the text after the operator, as bash does. */
static int64_t parse_binary(Lexer *lx, int min_prec) {
    Eval *ev = lx->ev;
    int64_t a = parse_power(lx);
    for (;;) {
        int prec = precedence(lx->cur);
        if (FAILED(lx) || prec < min_prec) return a;
        Tok op = lx->cur;
        const char *after = lx->cp;
        while (is_space_tab(*after)) after++;
        bool skip = (op == T_LAND && a == 0) || (op == T_LOR && a != 0);
        ev->noeval += skip;
        next(lx);
        int64_t b = parse_binary(lx, prec + 1);
        ev->noeval -= skip;
        if (FAILED(lx)) return 0;
        a = binop(lx, op, a, b, after);
    }
}

static int64_t parse_unary(Lexer *lx);

/* `**` binds tighter than * and looser than unary minus (-2**2 is 4), and is
 * right-associative. A negative exponent fails even in a skipped operand. */
static int64_t parse_power(Lexer *lx) {
    int64_t base = parse_unary(lx);
    if (FAILED(lx) || lx->cur != T_POW) return base;
    next(lx);
    if (!enter(lx)) return 0;
    int64_t e = parse_power(lx);
    leave(lx);
    if (FAILED(lx)) return 0;
    if (e < 0) {
        fail(lx, "exponent less than 0");
        return 0;
    }
    return ipow(base, e);
}

static int64_t parse_primary(Lexer *lx);

static int64_t parse_unary(Lexer *lx) {
    Tok op = lx->cur;
    if (op != T_NOT && op != T_BNOT && op != T_MINUS && op != T_PLUS) return parse_primary(lx);
    next(lx);
    if (!enter(lx)) return 0;
    int64_t v = parse_unary(lx);
    leave(lx);
    if (FAILED(lx)) return 0;
    switch (op) {
    case T_NOT: return !v;
    case T_BNOT: return ~v;
    case T_MINUS: return wrap(0 - (uint64_t)v);
    default: return v;
    }
}

/* ++x / --x. The lexer only produces these when a name follows. */
static int64_t parse_preincdec(Lexer *lx) {
    int64_t delta = lx->cur == T_PREINC ? 1 : -1;
    next(lx);
    if (FAILED(lx)) return 0;
    if (lx->cur != T_STR) {
        fail(lx, "identifier expected after pre-increment or pre-decrement");
        return 0;
    }
    VarRef target = lx->var;
    int64_t v = wrap((uint64_t)target.val + (uint64_t)delta);
    store(lx, &target, v);
    /* Pretend a number was read, so a following ++ is the lvalue error. */
    lx->cur = T_NUM;
    next(lx);
    return FAILED(lx) ? 0 : v;
}

/* A variable (already read by the lexer), maybe with ++ or -- after it. */
static int64_t parse_variable(Lexer *lx) {
    VarRef target = lx->var;
    next(lx);
    if (lx->cur != T_POSTINC && lx->cur != T_POSTDEC) return target.val;
    int64_t delta = lx->cur == T_POSTINC ? 1 : -1;
    store(lx, &target, wrap((uint64_t)target.val + (uint64_t)delta));
    next(lx);
    return FAILED(lx) ? 0 : target.val;
}

static int64_t parse_group(Lexer *lx) {
    next(lx);
    if (!enter(lx)) return 0;
    int64_t v = parse_comma(lx);
    leave(lx);
    if (FAILED(lx)) return 0;
    if (lx->cur != T_RPAR) {
        fail(lx, "missing `)'");
        return 0;
    }
    next(lx);
    return v;
}

static int64_t parse_primary(Lexer *lx) {
    int64_t v;
    if (FAILED(lx)) return 0;
    switch (lx->cur) {
    case T_NUM:
        v = lx->num;
        next(lx);
        return v;
    case T_STR: return parse_variable(lx);
    case T_PREINC: case T_PREDEC: return parse_preincdec(lx);
    case T_LPAR: return parse_group(lx);
    default:
        fail(lx, "syntax error: operand expected");
        return 0;
    }
}

/* ---- entry points ---------------------------------------------------------- */

/* Evaluates one level: the whole expression, or a variable's value. */
static int64_t eval_text(Eval *ev, const char *text) {
    if (all_blank(text)) return 0;
    Lexer lx;
    memset(&lx, 0, sizeof lx);
    lx.ev = ev;
    lx.expr = lx.cp = text;
    lx.cur = lx.prev = T_EOS; /* "nothing yet": an operand is expected */
    next(&lx);
    int64_t v = parse_comma(&lx);
    if (!ev->failed && lx.cur != T_EOS) fail(&lx, "syntax error in expression");
    return ev->failed ? 0 : v;
}

int arith_eval(const ArithHooks *h, const char *expr, int64_t *out, StrBuf *err) {
    StrBuf spare;
    sb_init(&spare);
    Eval ev;
    memset(&ev, 0, sizeof ev);
    ev.h = h;
    ev.err = err ? err : &spare;
    ev.max_depth = h && h->max_depth > 0 ? h->max_depth : 1024;
    ev.depth = 1; /* the expression itself is a level, as in bash */
    sb_init(&ev.scratch);
    int64_t v = eval_text(&ev, expr ? expr : "");
    sb_free(&ev.scratch);
    sb_free(&spare);
    if (ev.failed) return -1;
    if (out) *out = v;
    return 0;
}
