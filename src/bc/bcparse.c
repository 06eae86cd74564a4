/* bcparse.c - bc's lexer and a recursive-descent parser that emits GNU
 * bc's code strings (the same postfix code its yacc grammar generates, in
 * the same order), one input item at a time: a line of statements, or a
 * function definition. Operator precedence follows GNU's grammar, where
 * assignment binds tighter than comparisons and unary minus tighter than
 * ^ (so -2^2 is 4). A syntax error skips to the end of the line. */
#include "bcint.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct BcInput {
    UcFile *f;
    const char *str;  /* or a string */
    size_t slen, spos;
    char *name;       /* for messages: "(standard_in)" or the file */
    char buf[4096];
    size_t blen, bpos;
    bool eof;
    int unget[4];
    int nunget;
};

BcInput *bc_input_file(Bc *b, UcFile *f, const char *name) {
    (void)b;
    BcInput *in = xcalloc(1, sizeof *in);
    in->f = f;
    in->name = xstrdup(name);
    return in;
}

BcInput *bc_input_string(Bc *b, const char *s, const char *name) {
    (void)b;
    BcInput *in = xcalloc(1, sizeof *in);
    in->str = s;
    in->slen = strlen(s);
    in->name = xstrdup(name);
    return in;
}

void bc_input_free(BcInput *in) {
    if (!in) return;
    if (in->f) uc_close(in->f);
    free(in->name);
    free(in);
}

int bc_input_getc(BcInput *in) {
    if (in->nunget) return in->unget[--in->nunget];
    if (in->str) return in->spos < in->slen ? (unsigned char)in->str[in->spos++] : -1;
    if (in->bpos == in->blen) {
        if (in->eof || !in->f) return -1;
        ssize_t n = uc_fread(in->f, in->buf, sizeof in->buf);
        if (n <= 0) {
            in->eof = true;
            return -1;
        }
        in->blen = (size_t)n;
        in->bpos = 0;
    }
    return (unsigned char)in->buf[in->bpos++];
}

static void input_ungetc(BcInput *in, int c) {
    if (c >= 0 && in->nunget < 4) in->unget[in->nunget++] = c;
}

/* ---------------------------------------------------------------- tokens */

enum {
    K_EOF = 256, K_EOL, K_STRING, K_NAME, K_NUMBER, K_AND, K_OR, K_NOT, K_ASSIGN, K_REL, K_INCR,
    K_DEFINE, K_BREAK, K_QUIT, K_LENGTH, K_RETURN, K_FOR, K_IF, K_WHILE, K_SQRT, K_ELSE, K_SCALE,
    K_IBASE, K_OBASE, K_AUTO, K_READ, K_RANDOM, K_HALT, K_LAST, K_VOID, K_HISTORY, K_WARRANTY,
    K_CONTINUE, K_PRINT, K_LIMITS, K_ERROR
};

typedef struct Tok {
    int type;
    char op;       /* K_ASSIGN: = + - * / % ^ ; K_INCR: + - ; single chars */
    char rel[3];   /* K_REL */
    StrBuf text;   /* NAME, NUMBER, STRING */
} Tok;

typedef struct P {
    Bc *b;
    BcInput *in;
    int line;
    Tok la[3];      /* lookahead queue */
    int nla;
    bool err;
    /* code generation state */
    int next_label, break_label, continue_label, if_label;
    int cur_func;
    bool quit;
} P;

static const struct { const char *w; int t; } kw[] = {
    {"auto", K_AUTO}, {"break", K_BREAK}, {"continue", K_CONTINUE}, {"define", K_DEFINE},
    {"else", K_ELSE}, {"for", K_FOR}, {"halt", K_HALT}, {"history", K_HISTORY}, {"ibase", K_IBASE},
    {"if", K_IF}, {"last", K_LAST}, {"length", K_LENGTH}, {"limits", K_LIMITS}, {"obase", K_OBASE},
    {"print", K_PRINT}, {"quit", K_QUIT}, {"random", K_RANDOM}, {"read", K_READ}, {"return", K_RETURN},
    {"scale", K_SCALE}, {"sqrt", K_SQRT}, {"void", K_VOID}, {"warranty", K_WARRANTY}, {"while", K_WHILE},
};

static void perr(P *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void perr(P *p, const char *fmt, ...) {
    Bc *b = p->b;
    bc_out_flush(b);
    StrBuf m;
    sb_init(&m);
    sb_printf(&m, "%s %d: ", p->in->name, p->line);
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&m, fmt, ap);
    va_end(ap);
    sb_putc(&m, '\n');
    uc_write(b->c, 2, m.s, m.len);
    sb_free(&m);
    p->err = true;
    b->had_error = true;
}

static int gc(P *p) { return bc_input_getc(p->in); }

static void lex(P *p, Tok *t) {
    sb_clear(&t->text);
    t->op = 0;
    for (;;) {
        int c = gc(p);
        if (c < 0) { t->type = K_EOF; return; }
        if (c == ' ' || c == '\t') continue;
        if (c == '\\') {
            int d = gc(p);
            if (d == '\n') { p->line++; continue; }
            input_ungetc(p->in, d);
            perr(p, "illegal character: \\");
            t->type = K_ERROR;
            return;
        }
        if (c == '#') {
            while ((c = gc(p)) >= 0 && c != '\n') {}
            if (c == '\n') { p->line++; t->type = K_EOL; return; }
            t->type = K_EOF;
            return;
        }
        if (c == '\n') { p->line++; t->type = K_EOL; return; }
        if (c == '/') {
            int d = gc(p);
            if (d == '*') {
                for (;;) {
                    while ((c = gc(p)) >= 0 && c != '*')
                        if (c == '\n') p->line++;
                    if (c == '*') {
                        while ((c = gc(p)) == '*') {}
                        if (c == '/') break;
                        if (c == '\n') p->line++;
                    }
                    if (c < 0) {
                        bc_out_flush(p->b);
                        uc_puts(p->b->c, 2, "EOF encountered in a comment.\n");
                        break;
                    }
                }
                continue;
            }
            if (d == '=') { t->type = K_ASSIGN; t->op = '/'; return; }
            input_ungetc(p->in, d);
            t->type = '/';
            return;
        }
        if (c >= 'a' && c <= 'z') {
            sb_putc(&t->text, (char)c);
            int d;
            while ((d = gc(p)) >= 0 && ((d >= 'a' && d <= 'z') || (d >= '0' && d <= '9') || d == '_')) sb_putc(&t->text, (char)d);
            input_ungetc(p->in, d);
            for (size_t i = 0; i < sizeof kw / sizeof *kw; i++)
                if (!strcmp(kw[i].w, t->text.s)) { t->type = kw[i].t; return; }
            t->type = K_NAME;
            return;
        }
        bool digit = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
        if (digit || c == '.') {
            if (c == '.') {
                int d = gc(p);
                bool ddig = (d >= '0' && d <= '9') || (d >= 'A' && d <= 'Z');
                input_ungetc(p->in, d);
                if (!ddig) { t->type = K_LAST; return; }
            }
            StrBuf raw;
            sb_init(&raw);
            bool dot = false;
            int d = c;
            for (;;) {
                if ((d >= '0' && d <= '9') || (d >= 'A' && d <= 'Z')) sb_putc(&raw, (char)d);
                else if (d == '.' && !dot) { dot = true; sb_putc(&raw, '.'); }
                else if (d == '\\') {
                    int e = gc(p);
                    if (e == '\n') { p->line++; d = gc(p); continue; }
                    input_ungetc(p->in, e);
                    input_ungetc(p->in, d);
                    break;
                } else {
                    input_ungetc(p->in, d);
                    break;
                }
                d = gc(p);
            }
            /* GNU: drop a trailing point and leading zeros */
            char *s = raw.s;
            size_t n = raw.len;
            if (n && s[n - 1] == '.') s[--n] = 0;
            size_t i = 0;
            while (i < n && s[i] == '0') i++;
            if (i == n) i = n - 1;
            sb_put(&t->text, s + i, n - i);
            sb_free(&raw);
            t->type = K_NUMBER;
            return;
        }
        if (c == '"') {
            sb_putc(&t->text, '"');
            int d;
            while ((d = gc(p)) >= 0 && d != '"') {
                if (d == '\n') p->line++;
                sb_putc(&t->text, (char)d);
            }
            sb_putc(&t->text, '"');
            t->type = K_STRING;
            return;
        }
        int d = gc(p);
        switch (c) {
        case '+': case '-':
            if (d == c) { t->type = K_INCR; t->op = (char)c; return; }
            if (d == '=') { t->type = K_ASSIGN; t->op = (char)c; return; }
            input_ungetc(p->in, d);
            t->type = c;
            return;
        case '*': case '%': case '^':
            if (d == '=') { t->type = K_ASSIGN; t->op = (char)c; return; }
            input_ungetc(p->in, d);
            t->type = c;
            return;
        case '=':
            if (d == '=') { t->type = K_REL; strcpy(t->rel, "=="); return; }
            input_ungetc(p->in, d);
            t->type = K_ASSIGN;
            t->op = '=';
            return;
        case '<': case '>':
            if (d == '=') { t->type = K_REL; t->rel[0] = (char)c; t->rel[1] = '='; t->rel[2] = 0; return; }
            input_ungetc(p->in, d);
            t->type = K_REL;
            t->rel[0] = (char)c;
            t->rel[1] = 0;
            return;
        case '!':
            if (d == '=') { t->type = K_REL; strcpy(t->rel, "!="); return; }
            input_ungetc(p->in, d);
            t->type = K_NOT;
            return;
        case '&':
            if (d == '&') { t->type = K_AND; return; }
            input_ungetc(p->in, d);
            t->type = '&';
            return;
        case '|':
            if (d == '|') { t->type = K_OR; return; }
            input_ungetc(p->in, d);
            break;
        case ';': case '(': case ')': case '{': case '}': case '[': case ']': case ',':
            input_ungetc(p->in, d);
            t->type = c;
            return;
        default:
            input_ungetc(p->in, d);
            break;
        }
        if (c < ' ') perr(p, "illegal character: ^%c", c + '@');
        else if (c > '~') perr(p, "illegal character: \\%03o", c);
        else perr(p, "illegal character: %c", c);
        t->type = K_ERROR;
        return;
    }
}

static Tok *peek_n(P *p, int k) {
    while (p->nla <= k) {
        Tok *t = &p->la[p->nla];
        lex(p, t);
        p->nla++;
    }
    return &p->la[k];
}
static Tok *peek(P *p) { return peek_n(p, 0); }
static int ptype(P *p) { return peek(p)->type; }

static void advance(P *p) {
    peek(p);
    StrBuf keep = p->la[0].text;
    memmove(&p->la[0], &p->la[1], (size_t)(p->nla - 1) * sizeof *p->la);
    p->nla--;
    p->la[p->nla].text = keep; /* reuse the buffer */
}

static void gen(P *p, const char *s) {
    sb_puts(&p->b->gen, s);
    p->b->did_gen = true;
}

static void genf(P *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void genf(P *p, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&p->b->gen, fmt, ap);
    va_end(ap);
    p->b->did_gen = true;
}

static void syntax_error(P *p) {
    if (p->err) return;
    if (p->nla && p->la[0].type == K_EOF) {
        /* GNU's scanner has moved on to the next input (standard input, line 1) */
        int save = p->line;
        char *save_name = p->in->name;
        p->in->name = "(standard_in)";
        p->line = 1;
        perr(p, "syntax error");
        p->in->name = save_name;
        p->line = save;
        return;
    }
    perr(p, "syntax error");
}

static bool expect(P *p, int type) {
    if (ptype(p) == type) {
        advance(p);
        return true;
    }
    syntax_error(p);
    return false;
}

/* ---------------------------------------------------------------- expressions */

enum { EX_ASSGN = 0, EX_REG = 1, EX_COMP = 2, EX_PAREN = 4, EX_VOID = 8, EX_EMPTY = 16 };

static int expression(P *p);
static int assign_level(P *p);
static int add_level(P *p, int left);

/* Does a named expression start here (a variable, an element, ibase...)? */
static bool at_named(P *p) {
    int t = ptype(p);
    if (t == K_NAME) return peek_n(p, 1)->type != '(';
    if (t == K_SCALE) return peek_n(p, 1)->type != '(';
    return t == K_IBASE || t == K_OBASE || t == K_LAST || t == K_HISTORY;
}

/* Parses a named expression: the variable number (special 0-4, user >= 5,
 * array < 0); an element's subscript code is emitted. */
static bool named_expr(P *p, int *num) {
    Tok *t = peek(p);
    switch (t->type) {
    case K_IBASE: advance(p); *num = 0; return true;
    case K_OBASE: advance(p); *num = 1; return true;
    case K_SCALE: advance(p); *num = 2; return true;
    case K_HISTORY: advance(p); *num = 3; return true;
    case K_LAST: advance(p); *num = 4; return true;
    case K_NAME: {
        char *name = xstrdup(t->text.s);
        advance(p);
        if (ptype(p) == '[') {
            advance(p);
            int f = expression(p);
            if (!p->err && (f & EX_VOID)) perr(p, "void expression as subscript");
            if (p->err || !expect(p, ']')) { free(name); return false; }
            *num = bc_lookup(p->b, name, BC_ARRAY);
        } else {
            *num = bc_lookup(p->b, name, BC_SIMPLE);
        }
        free(name);
        return true;
    }
    default: syntax_error(p); return false;
    }
}

static void gen_load(P *p, int num) {
    if (num < 0) genf(p, "L%d:", -num);
    else genf(p, "l%d:", num);
}

/* After a named expression: a postfix ++/-- or a plain load. */
static int named_value(P *p, int num) {
    if (ptype(p) == K_INCR) {
        char op = peek(p)->op;
        advance(p);
        if (num < 0) {
            genf(p, "DL%d:x", -num);
            genf(p, op == '+' ? "A%d:" : "M%d:", -num);
        } else {
            genf(p, "l%d:", num);
            genf(p, op == '+' ? "i%d:" : "d%d:", num);
        }
        return EX_REG;
    }
    gen_load(p, num);
    return EX_REG;
}

static int call_args(P *p, StrBuf *chars) {
    StrBuf order;
    sb_init(&order);
    int n = 0;
    if (ptype(p) != ')') {
        for (;;) {
            if (ptype(p) == K_NAME && peek_n(p, 1)->type == '[' && peek_n(p, 2)->type == ']') {
                char *name = xstrdup(peek(p)->text.s);
                advance(p);
                advance(p);
                advance(p);
                genf(p, "K%d:", -bc_lookup(p->b, name, BC_ARRAY));
                free(name);
                sb_putc(&order, '1');
            } else {
                int f = expression(p);
                if (p->err) { sb_free(&order); return -1; }
                if (f & EX_VOID) { perr(p, "void argument"); sb_free(&order); return -1; }
                sb_putc(&order, '0');
            }
            n++;
            if (ptype(p) != ',') break;
            advance(p);
        }
    }
    /* GNU lists the arguments last first */
    for (size_t i = order.len; i-- > 0;) sb_putc(chars, order.s[i]);
    sb_free(&order);
    return n;
}

static int builtin1(P *p, const char *code, const char *what) {
    advance(p);
    if (!expect(p, '(')) return EX_REG;
    int f = expression(p);
    if (p->err) return EX_REG;
    if (f & EX_VOID) { perr(p, "void expression in %s()", what); return EX_REG; }
    if (!expect(p, ')')) return EX_REG;
    gen(p, code);
    return EX_REG;
}

static int primary(P *p) {
    Tok *t = peek(p);
    switch (t->type) {
    case K_NUMBER: {
        const char *s = t->text.s;
        if (!strcmp(s, "0")) gen(p, "0");
        else if (!strcmp(s, "1")) gen(p, "1");
        else genf(p, "K%s:", s);
        advance(p);
        return EX_REG;
    }
    case '(': {
        advance(p);
        int f = expression(p);
        if (p->err) return EX_REG;
        if (f & EX_VOID) { perr(p, "void expression in parenthesis"); return EX_REG; }
        if (!expect(p, ')')) return EX_REG;
        return f | EX_REG | EX_PAREN;
    }
    case K_INCR: {
        char op = t->op;
        advance(p);
        int num;
        if (!at_named(p)) { syntax_error(p); return EX_REG; }
        if (!named_expr(p, &num)) return EX_REG;
        if (num < 0) genf(p, op == '+' ? "DA%d:L%d:" : "DM%d:L%d:", -num, -num);
        else genf(p, op == '+' ? "i%d:l%d:" : "d%d:l%d:", num, num);
        return EX_REG;
    }
    case K_LENGTH: return builtin1(p, "cL", "length");
    case K_SQRT: return builtin1(p, "cR", "sqrt");
    case K_SCALE:
        if (peek_n(p, 1)->type == '(') return builtin1(p, "cS", "scale");
        break;
    case K_READ: case K_RANDOM: {
        bool rd = t->type == K_READ;
        advance(p);
        if (!expect(p, '(') || !expect(p, ')')) return EX_REG;
        gen(p, rd ? "cI" : "cX");
        return EX_REG;
    }
    case K_NAME:
        if (peek_n(p, 1)->type == '(') {
            char *name = xstrdup(t->text.s);
            advance(p);
            advance(p);
            int fn = bc_lookup(p->b, name, BC_FUNCT);
            free(name);
            StrBuf chars;
            sb_init(&chars);
            int n = call_args(p, &chars);
            if (n < 0 || !expect(p, ')')) { sb_free(&chars); return EX_REG; }
            if (n) genf(p, "C%d,%s:", fn, chars.s);
            else genf(p, "C%d:", fn);
            sb_free(&chars);
            return p->b->funcs[fn].is_void ? EX_VOID : EX_REG;
        }
        break;
    default: break;
    }
    if (at_named(p)) {
        int num;
        if (!named_expr(p, &num)) return EX_REG;
        return named_value(p, num);
    }
    syntax_error(p);
    return EX_REG;
}

/* left >= 0: the left operand's code is already out (its flags). */
static int unary_level(P *p, int left) {
    if (left >= 0) return left;
    if (ptype(p) == '-') {
        advance(p);
        int f = unary_level(p, -1);
        if (p->err) return f;
        if (f & EX_VOID) perr(p, "void expression with unary -");
        gen(p, "n");
        return f & ~EX_PAREN;
    }
    return primary(p);
}

static int pow_level(P *p, int left) {
    int f = unary_level(p, left);
    if (p->err || ptype(p) != '^') return f;
    advance(p);
    int r = pow_level(p, -1);
    if (p->err) return f;
    if ((f | r) & EX_VOID) perr(p, "void expression with ^");
    gen(p, "^");
    return (f | r) & ~EX_PAREN;
}

static int mul_level(P *p, int left) {
    int f = pow_level(p, left);
    while (!p->err && (ptype(p) == '*' || ptype(p) == '/' || ptype(p) == '%')) {
        char op = (char)ptype(p);
        advance(p);
        int r = pow_level(p, -1);
        if (p->err) break;
        if ((f | r) & EX_VOID) perr(p, "void expression with %c", op);
        char s[2] = {op, 0};
        gen(p, s);
        f = (f | r) & ~EX_PAREN;
    }
    return f;
}

static int add_level(P *p, int left) {
    int f = mul_level(p, left);
    while (!p->err && (ptype(p) == '+' || ptype(p) == '-')) {
        char op = (char)ptype(p);
        advance(p);
        int r = mul_level(p, -1);
        if (p->err) break;
        if ((f | r) & EX_VOID) perr(p, "void expression with %c", op);
        char s[2] = {op, 0};
        gen(p, s);
        f = (f | r) & ~EX_PAREN;
    }
    return f;
}

static int assign_level(P *p) {
    if (!at_named(p)) return add_level(p, -1);
    int num;
    if (!named_expr(p, &num)) return EX_REG;
    if (ptype(p) == K_ASSIGN) {
        char op = peek(p)->op;
        advance(p);
        if (op != '=') {
            if (num < 0) genf(p, "DL%d:", -num);
            else genf(p, "l%d:", num);
        }
        int r = assign_level(p);
        if (p->err) return EX_ASSGN;
        if (r & EX_VOID) { perr(p, "Assignment of a void expression"); return EX_ASSGN; }
        if (op != '=') {
            char s[2] = {op, 0};
            gen(p, s);
        }
        if (num < 0) genf(p, "S%d:", -num);
        else genf(p, "s%d:", num);
        return EX_ASSGN;
    }
    return add_level(p, named_value(p, num));
}

static int rel_level(P *p) {
    int f = assign_level(p);
    while (!p->err && ptype(p) == K_REL) {
        char rel[3];
        memcpy(rel, peek(p)->rel, 3);
        advance(p);
        int r = assign_level(p);
        if (p->err) break;
        if ((f | r) & EX_VOID) perr(p, "void expression with comparison");
        switch (rel[0]) {
        case '=': gen(p, "="); break;
        case '!': gen(p, "#"); break;
        case '<': gen(p, rel[1] == '=' ? "{" : "<"); break;
        default: gen(p, rel[1] == '=' ? "}" : ">"); break;
        }
        f = EX_REG | EX_COMP;
    }
    return f;
}

static int not_level(P *p) {
    if (ptype(p) == K_NOT) {
        advance(p);
        int f = not_level(p);
        if (p->err) return f;
        if (f & EX_VOID) perr(p, "void expression with !");
        gen(p, "!");
        return f & ~EX_PAREN;
    }
    return rel_level(p);
}

static int and_level(P *p) {
    int f = not_level(p);
    while (!p->err && ptype(p) == K_AND) {
        advance(p);
        int lab = p->next_label++;
        genf(p, "DZ%d:p", lab);
        int r = not_level(p);
        if (p->err) break;
        if ((f | r) & EX_VOID) perr(p, "void expression with &&");
        genf(p, "DZ%d:p1N%d:", lab, lab);
        f = (f | r) & ~EX_PAREN;
    }
    return f;
}

static int expression(P *p) {
    int f = and_level(p);
    while (!p->err && ptype(p) == K_OR) {
        advance(p);
        int lab = p->next_label++;
        genf(p, "B%d:", lab);
        int r = and_level(p);
        if (p->err) break;
        if ((f | r) & EX_VOID) perr(p, "void expression with ||");
        int tmp = p->next_label++;
        genf(p, "B%d:0J%d:N%d:1N%d:", lab, tmp, lab, tmp);
        f = (f | r) & ~EX_PAREN;
    }
    return f;
}

/* ---------------------------------------------------------------- statements */

static void statement(P *p);

static bool starts_expression(int t) {
    switch (t) {
    case K_NUMBER: case '(': case '-': case K_INCR: case K_NOT: case K_NAME: case K_LENGTH: case K_SQRT:
    case K_SCALE: case K_READ: case K_RANDOM: case K_IBASE: case K_OBASE: case K_LAST: case K_HISTORY:
        return true;
    default: return false;
    }
}

static void opt_newline(P *p) {
    if (ptype(p) == K_EOL) advance(p);
}

static int opt_expression(P *p) {
    if (!starts_expression(ptype(p))) return EX_EMPTY;
    return expression(p);
}

static void statement_list(P *p, int end) {
    for (;;) {
        while (ptype(p) == K_EOL || ptype(p) == ';') advance(p);
        if (p->err || ptype(p) == end || ptype(p) == K_EOF) return;
        statement(p);
        if (p->err) return;
        int t = ptype(p);
        if (t != K_EOL && t != ';' && t != end) {
            syntax_error(p);
            return;
        }
    }
}

static const char warranty_text[] =
    "\n    This program is free software; you can redistribute it and/or modify\n"
    "    it under the terms of the GNU General Public License as published by\n"
    "    the Free Software Foundation; either version 3 of the License , or\n"
    "    (at your option) any later version.\n\n"
    "    This program is distributed in the hope that it will be useful,\n"
    "    but WITHOUT ANY WARRANTY; without even the implied warranty of\n"
    "    MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the\n"
    "    GNU General Public License for more details.\n\n"
    "    You should have received a copy of the GNU General Public License\n"
    "    along with this program. If not, write to\n\n"
    "       The Free Software Foundation, Inc.\n"
    "       51 Franklin Street, Fifth Floor\n"
    "       Boston, MA 02110-1335  USA\n\n";

static void print_list(P *p) {
    for (;;) {
        if (ptype(p) == K_STRING) {
            gen(p, "O");
            gen(p, peek(p)->text.s);
            advance(p);
        } else {
            int f = expression(p);
            if (p->err) return;
            if (f & EX_VOID) { perr(p, "void expression in print"); return; }
            gen(p, "P");
        }
        if (ptype(p) != ',') return;
        advance(p);
    }
}

static void statement(P *p) {
    Tok *t = peek(p);
    switch (t->type) {
    case K_WARRANTY:
        advance(p);
        bc_out_str(p->b, "bc 1.07.1\nCopyright 1991-1994, 1997, 1998, 2000, 2004, 2006, 2008, 2012-2017 Free Software Foundation, Inc.\n", 104);
        bc_out_str(p->b, warranty_text, strlen(warranty_text));
        bc_out_flush(p->b);
        return;
    case K_LIMITS:
        advance(p);
        {
            const char *l = "BC_BASE_MAX     = 2147483647\nBC_DIM_MAX      = 16777215\nBC_SCALE_MAX    = 2147483647\n"
                            "BC_STRING_MAX   = 2147483647\nMAX Exponent    = 9223372036854775807\nNumber of vars  = 32767\n";
            bc_out_str(p->b, l, strlen(l));
            bc_out_flush(p->b);
        }
        return;
    case K_STRING:
        gen(p, "w");
        gen(p, t->text.s);
        advance(p);
        return;
    case K_BREAK: case K_CONTINUE: {
        bool brk = t->type == K_BREAK;
        advance(p);
        int lab = brk ? p->break_label : p->continue_label;
        if (lab == 0) perr(p, brk ? "Break outside a for/while" : "Continue outside a for");
        else genf(p, "J%d:", lab);
        return;
    }
    case K_QUIT:
        advance(p);
        p->quit = true;
        return;
    case K_HALT:
        advance(p);
        gen(p, "h");
        return;
    case K_RETURN: {
        advance(p);
        if (starts_expression(ptype(p))) {
            int f = expression(p);
            if (p->err) return;
            if (f & EX_VOID) perr(p, "return requires non-void expression");
            else if (p->cur_func == -1) perr(p, "Return outside of a function.");
            else if (p->b->funcs[p->cur_func].is_void) perr(p, "Return expression in a void function.");
        } else {
            gen(p, "0");
            if (p->cur_func == -1) perr(p, "Return outside of a function.");
        }
        gen(p, "R");
        return;
    }
    case K_FOR: {
        advance(p);
        int save_brk = p->break_label;
        p->break_label = p->next_label++;
        if (!expect(p, '(')) return;
        int f1 = opt_expression(p);
        if (p->err || !expect(p, ';')) return;
        if (f1 & EX_VOID) { perr(p, "first expression is void"); return; }
        if (!(f1 & EX_EMPTY)) gen(p, "p");
        int l4 = p->next_label++;
        genf(p, "N%d:", l4);
        int f2 = opt_expression(p);
        if (p->err || !expect(p, ';')) return;
        if (f2 & EX_VOID) { perr(p, "second expression is void"); return; }
        if (f2 & EX_EMPTY) gen(p, "1");
        int l7 = p->next_label++;
        genf(p, "B%d:J%d:", l7, p->break_label);
        int save_cont = p->continue_label;
        p->continue_label = p->next_label++;
        genf(p, "N%d:", p->continue_label);
        int f3 = opt_expression(p);
        if (p->err || !expect(p, ')')) return;
        if (f3 & EX_VOID) { perr(p, "third expression is void"); return; }
        if (f3 & EX_EMPTY) genf(p, "J%d:N%d:", l4, l7);
        else genf(p, "pJ%d:N%d:", l4, l7);
        opt_newline(p);
        statement(p);
        if (p->err) return;
        genf(p, "J%d:N%d:", p->continue_label, p->break_label);
        p->break_label = save_brk;
        p->continue_label = save_cont;
        return;
    }
    case K_IF: {
        advance(p);
        if (!expect(p, '(')) return;
        int f = expression(p);
        if (p->err || !expect(p, ')')) return;
        if (f & EX_VOID) { perr(p, "void expression"); return; }
        int save = p->if_label;
        p->if_label = p->next_label++;
        genf(p, "Z%d:", p->if_label);
        opt_newline(p);
        statement(p);
        if (p->err) return;
        if (ptype(p) == K_ELSE) {
            advance(p);
            int lab = p->next_label++;
            genf(p, "J%d:N%d:", lab, p->if_label);
            p->if_label = lab;
            opt_newline(p);
            statement(p);
            if (p->err) return;
        }
        genf(p, "N%d:", p->if_label);
        p->if_label = save;
        return;
    }
    case K_WHILE: {
        advance(p);
        int save_cont = p->continue_label;
        p->continue_label = p->next_label++;
        genf(p, "N%d:", p->continue_label);
        if (!expect(p, '(')) return;
        int f = expression(p);
        if (p->err) return;
        if (f & EX_VOID) { perr(p, "void expression"); return; }
        int save_brk = p->break_label;
        p->break_label = p->next_label++;
        genf(p, "Z%d:", p->break_label);
        if (!expect(p, ')')) return;
        opt_newline(p);
        statement(p);
        if (p->err) return;
        genf(p, "J%d:N%d:", p->continue_label, p->break_label);
        p->break_label = save_brk;
        p->continue_label = save_cont;
        return;
    }
    case '{':
        advance(p);
        statement_list(p, '}');
        if (p->err) return;
        expect(p, '}');
        return;
    case K_PRINT:
        advance(p);
        print_list(p);
        return;
    default: {
        if (!starts_expression(t->type)) {
            syntax_error(p);
            return;
        }
        int f = expression(p);
        if (p->err) return;
        gen(p, (f & EX_REG) ? "W" : "p");
        return;
    }
    }
}

/* ---------------------------------------------------------------- definitions */

static bool define_list(P *p, StrBuf *out) {
    bool first = true;
    for (;;) {
        bool ref = false;
        if (ptype(p) == '*' || ptype(p) == '&') {
            advance(p);
            ref = true;
        }
        if (ptype(p) != K_NAME) { syntax_error(p); return false; }
        char *name = xstrdup(peek(p)->text.s);
        advance(p);
        int num;
        if (ptype(p) == '[') {
            advance(p);
            if (!expect(p, ']')) { free(name); return false; }
            num = bc_lookup(p->b, name, BC_ARRAY);
        } else {
            if (ref) { free(name); syntax_error(p); return false; }
            num = bc_lookup(p->b, name, BC_SIMPLE);
        }
        free(name);
        sb_printf(out, "%s%s%d", first ? "" : ",", ref ? "*" : "", num);
        first = false;
        if (ptype(p) != ',') return true;
        advance(p);
    }
}

static void function_def(P *p) {
    advance(p); /* define */
    bool is_void = false;
    if (ptype(p) == K_VOID) {
        advance(p);
        is_void = true;
    }
    if (ptype(p) != K_NAME) { syntax_error(p); return; }
    char *name = xstrdup(peek(p)->text.s);
    advance(p);
    StrBuf params, autos;
    sb_init(&params);
    sb_init(&autos);
    if (!expect(p, '(')) goto out;
    if (ptype(p) != ')' && !define_list(p, &params)) goto out;
    if (!expect(p, ')')) goto out;
    opt_newline(p);
    if (!expect(p, '{')) goto out;
    while (ptype(p) == K_EOL) advance(p);
    if (ptype(p) == K_AUTO) {
        advance(p);
        if (!define_list(p, &autos)) goto out;
        if (ptype(p) != K_EOL && ptype(p) != ';') { syntax_error(p); goto out; }
        advance(p);
    }
    {
        int fn = bc_lookup(p->b, name, BC_FUNCT);
        genf(p, "F%d,%s.%s[", fn, params.s ? params.s : "", autos.s ? autos.s : "");
        p->b->funcs[fn].is_void = is_void;
        int save_label = p->next_label, save_func = p->cur_func;
        p->next_label = 1;
        p->cur_func = fn;
        statement_list(p, '}');
        if (!p->err) expect(p, '}');
        gen(p, "0R]");
        p->next_label = save_label;
        p->cur_func = save_func;
    }
out:
    free(name);
    sb_free(&params);
    sb_free(&autos);
}

/* ---------------------------------------------------------------- driver */

static void run_code(P *p) {
    Bc *b = p->b;
    if (!b->had_error && b->did_gen) {
        bc_reset_main(b);
        bc_load(b, b->gen.s ? b->gen.s : "");
        bc_execute(b);
    }
    sb_clear(&b->gen);
    b->did_gen = false;
    b->had_error = false;
    p->err = false;
    p->next_label = 1;
    p->break_label = p->continue_label = p->if_label = 0;
}

static void skip_line(P *p) {
    while (ptype(p) != K_EOL && ptype(p) != K_EOF) advance(p);
    if (ptype(p) == K_EOL) advance(p);
}

bool bc_run_source(Bc *b, BcInput *in) {
    P ps;
    memset(&ps, 0, sizeof ps);
    P *p = &ps;
    p->b = b;
    p->in = in;
    p->line = 1;
    p->next_label = 1;
    p->cur_func = -1;
    for (int i = 0; i < 3; i++) sb_init(&p->la[i].text);
    b->in = in;
    while (!b->halted) {
        if (ptype(p) == K_EOF) break;
        if (ptype(p) == K_DEFINE) {
            function_def(p);
            if (p->quit) break;
            if (p->err) skip_line(p);
            run_code(p);
            continue;
        }
        /* semicolon_list ENDOFLINE */
        for (;;) {
            while (ptype(p) == ';') advance(p);
            int t = ptype(p);
            if (t == K_EOL || t == K_EOF) break;
            statement(p);
            if (p->err || p->quit) break;
            t = ptype(p);
            if (t == ';') continue;
            if (t != K_EOL && t != K_EOF) syntax_error(p);
            break;
        }
        if (p->quit) break;
        if (p->err) skip_line(p);
        else if (ptype(p) == K_EOL) advance(p);
        run_code(p);
        if (uc_should_stop(b->c)) break;
    }
    for (int i = 0; i < 3; i++) sb_free(&p->la[i].text);
    b->in = NULL;
    return !p->quit && !b->halted;
}
