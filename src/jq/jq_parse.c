/* jq_parse.c - lexer and recursive-descent parser for the jq language,
 * producing the AST of jq_int.h. Precedence, loosest first, as jq's grammar:
 *   |  (right)   ,  (left)   //  (right)   = |= += -= *= /= %= //=  (none)
 *   or   and   == != < <= > >=  (none)   + -   * / %   unary -   postfix
 * `def`, `label` and `TERM as PATTERNS |` take everything to their right. */
#include "jq_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- arena */

struct JqArena {
    struct JqArenaBlock *blocks;
};

typedef struct JqArenaBlock {
    struct JqArenaBlock *next;
    size_t used, cap;
    max_align_t data[];
} JqArenaBlock;

JqArena *jqa_new(void) { return xcalloc(1, sizeof(JqArena)); }

void jqa_free(JqArena *a) {
    if (!a) return;
    for (JqArenaBlock *b = a->blocks; b;) {
        JqArenaBlock *n = b->next;
        free(b);
        b = n;
    }
    free(a);
}

void *jqa_alloc(JqArena *a, size_t n) {
    n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
    JqArenaBlock *b = a->blocks;
    if (!b || b->cap - b->used < n) {
        size_t cap = n > 16384 ? n : 16384;
        b = xmalloc(sizeof *b + cap);
        b->cap = cap;
        b->used = 0;
        b->next = a->blocks;
        a->blocks = b;
    }
    void *p = (char *)b->data + b->used;
    b->used += n;
    memset(p, 0, n);
    return p;
}

char *jqa_strdup(JqArena *a, const char *s, size_t n) {
    char *p = jqa_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

/* ---------------------------------------------------------------- lexer */

typedef enum Tok {
    T_EOF, T_ERR, T_IDENT, T_FIELD, T_VAR, T_NUM, T_STR, T_FORMAT, T_KEYWORD,
    T_DOT, T_DOTDOT, T_LBRACK, T_RBRACK, T_LBRACE, T_RBRACE, T_LPAREN, T_RPAREN,
    T_PIPE, T_COMMA, T_COLON, T_SEMI, T_ASSIGN, T_EQ, T_NE, T_LT, T_LE, T_GT, T_GE,
    T_PLUS, T_MINUS, T_STAR, T_SLASH, T_PERCENT, T_PLUSEQ, T_MINUSEQ, T_STAREQ,
    T_SLASHEQ, T_PERCENTEQ, T_ALT, T_ALTEQ, T_PIPEEQ, T_QUESTION, T_ALTDESTRUCT,
} Tok;

typedef struct Parser {
    ParseCtx *pc;
    const char *s;
    size_t n;
    size_t pos;      /* scan position */
    Tok tok;         /* current token */
    size_t tpos, tlen;
    char *text;      /* identifier/keyword/var/format/field name (arena) */
    int depth;
    bool failed;
} Parser;

static const char *const keywords[] = {
    "def", "if", "then", "elif", "else", "end", "as", "reduce", "foreach", "try", "catch",
    "label", "import", "include", "and", "or", "__loc__", NULL,
};

static bool is_keyword(const char *w) {
    for (int i = 0; keywords[i]; i++)
        if (!strcmp(keywords[i], w)) return true;
    return false;
}

static bool id_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static bool id_char(char c) { return id_start(c) || (c >= '0' && c <= '9'); }
static bool digit(char c) { return c >= '0' && c <= '9'; }

static size_t scan_ident(const char *s, size_t n, size_t i, bool modules) {
    while (i < n && id_char(s[i])) i++;
    while (modules && i + 2 < n && s[i] == ':' && s[i + 1] == ':' && id_start(s[i + 2])) {
        i += 2;
        while (i < n && id_char(s[i])) i++;
    }
    return i;
}

static void skip_space(Parser *p) {
    for (;;) {
        while (p->pos < p->n && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' ||
                                 p->s[p->pos] == '\n' || p->s[p->pos] == '\r'))
            p->pos++;
        if (p->pos < p->n && p->s[p->pos] == '#') {
            while (p->pos < p->n && p->s[p->pos] != '\n') {
                /* jq 1.7+: a backslash before the newline continues the comment */
                if (p->s[p->pos] == '\\' && p->pos + 1 < p->n && p->s[p->pos + 1] == '\n') p->pos++;
                else if (p->s[p->pos] == '\\' && p->pos + 2 < p->n && p->s[p->pos + 1] == '\r' &&
                         p->s[p->pos + 2] == '\n')
                    p->pos += 2;
                p->pos++;
            }
            continue;
        }
        break;
    }
}

typedef struct Punct {
    const char *s;
    Tok t;
} Punct;

static const Punct puncts[] = {
    {"?//", T_ALTDESTRUCT}, {"//=", T_ALTEQ}, {"..", T_DOTDOT}, {"!=", T_NE}, {"==", T_EQ},
    {"<=", T_LE}, {">=", T_GE}, {"+=", T_PLUSEQ}, {"-=", T_MINUSEQ}, {"*=", T_STAREQ},
    {"/=", T_SLASHEQ}, {"%=", T_PERCENTEQ}, {"//", T_ALT}, {"|=", T_PIPEEQ}, {".", T_DOT},
    {"[", T_LBRACK}, {"]", T_RBRACK}, {"{", T_LBRACE}, {"}", T_RBRACE}, {"(", T_LPAREN},
    {")", T_RPAREN}, {"|", T_PIPE}, {",", T_COMMA}, {":", T_COLON}, {";", T_SEMI},
    {"=", T_ASSIGN}, {"<", T_LT}, {">", T_GT}, {"+", T_PLUS}, {"-", T_MINUS}, {"*", T_STAR},
    {"/", T_SLASH}, {"%", T_PERCENT}, {"?", T_QUESTION}, {NULL, T_EOF},
};

static void next(Parser *p) {
    skip_space(p);
    p->tpos = p->pos;
    p->text = NULL;
    if (p->pos >= p->n) {
        p->tok = T_EOF;
        p->tlen = 0;
        return;
    }
    const char *s = p->s;
    size_t i = p->pos;
    char c = s[i];
    if (id_start(c)) {
        size_t e = scan_ident(s, p->n, i, true);
        p->text = jqa_strdup(p->pc->arena, s + i, e - i);
        p->tok = is_keyword(p->text) ? T_KEYWORD : T_IDENT;
        p->pos = e;
    } else if (c == '$' && i + 1 < p->n && id_start(s[i + 1])) {
        size_t e = scan_ident(s, p->n, i + 1, true);
        p->text = jqa_strdup(p->pc->arena, s + i + 1, e - i - 1);
        p->tok = T_VAR;
        p->pos = e;
    } else if (c == '@' && i + 1 < p->n && id_start(s[i + 1])) {
        size_t e = scan_ident(s, p->n, i + 1, false);
        p->text = jqa_strdup(p->pc->arena, s + i + 1, e - i - 1);
        p->tok = T_FORMAT;
        p->pos = e;
    } else if (c == '.' && i + 1 < p->n && id_start(s[i + 1])) {
        size_t e = scan_ident(s, p->n, i + 1, false);
        p->text = jqa_strdup(p->pc->arena, s + i + 1, e - i - 1);
        p->tok = T_FIELD;
        p->pos = e;
    } else if (digit(c) || (c == '.' && i + 1 < p->n && digit(s[i + 1]))) {
        while (i < p->n && digit(s[i])) i++;
        if (i < p->n && s[i] == '.') {
            i++;
            while (i < p->n && digit(s[i])) i++;
        }
        if (i < p->n && (s[i] == 'e' || s[i] == 'E')) {
            size_t j = i + 1;
            if (j < p->n && (s[j] == '+' || s[j] == '-')) j++;
            if (j < p->n && digit(s[j])) {
                while (j < p->n && digit(s[j])) j++;
                i = j;
            }
        }
        p->tok = T_NUM;
        p->pos = i;
    } else if (c == '"') {
        p->tok = T_STR;
        p->pos = i + 1;
    } else {
        p->tok = T_ERR;
        p->pos = i + 1;
        for (int k = 0; puncts[k].s; k++) {
            size_t l = strlen(puncts[k].s);
            if (i + l <= p->n && !memcmp(s + i, puncts[k].s, l)) {
                p->tok = puncts[k].t;
                p->pos = i + l;
                break;
            }
        }
    }
    p->tlen = p->pos - p->tpos;
}

/* ---------------------------------------------------------------- messages */

void jq_compile_error(ParseCtx *pc, int pos, int len, const char *fmt, ...) {
    pc->nerrs++;
    if (!pc->errs) return;
    /* locate the line holding pos */
    size_t ls = (size_t)pos;
    if (ls > pc->len) ls = pc->len;
    while (ls > 0 && pc->src[ls - 1] != '\n') ls--;
    size_t le = (size_t)pos;
    if (le > pc->len) le = pc->len;
    while (le < pc->len && pc->src[le] != '\n') le++;
    int line = 1;
    for (size_t i = 0; i < ls; i++)
        if (pc->src[i] == '\n') line++;
    va_list ap;
    va_start(ap, fmt);
    sb_puts(pc->errs, "jq: error: ");
    sb_vprintf(pc->errs, fmt, ap);
    va_end(ap);
    sb_printf(pc->errs, " at %s, line %d, column %d:\n    ", pc->file ? pc->file : "<top-level>", line,
              (int)((size_t)pos - ls) + 1);
    sb_put(pc->errs, pc->src + ls, le - ls);
    sb_puts(pc->errs, "\n    ");
    for (size_t i = ls; i < (size_t)pos; i++) sb_putc(pc->errs, pc->src[i] == '\t' ? '\t' : ' ');
    if (len < 1) len = 1;
    for (int i = 0; i < len; i++) sb_putc(pc->errs, '^');
    sb_putc(pc->errs, '\n');
}

static const char *tok_name(Parser *p, char *buf, size_t n) {
    switch (p->tok) {
    case T_EOF: return "end of file";
    case T_IDENT: return "IDENT";
    case T_FIELD: return "FIELD";
    case T_VAR: return "'$'";
    case T_NUM: return "LITERAL";
    case T_STR: return "QQSTRING_START";
    case T_FORMAT: return "FORMAT";
    case T_KEYWORD: snprintf(buf, n, "%s", p->text); return buf;
    case T_ERR: return "INVALID_CHARACTER";
    default: snprintf(buf, n, "'%.*s'", (int)p->tlen, p->s + p->tpos); return buf;
    }
}

static Node *syntax_error(Parser *p) {
    if (p->failed) return NULL;
    p->failed = true;
    char buf[64];
    int pos = (int)p->tpos, len = (int)p->tlen;
    if (p->tok == T_EOF) {
        /* jq points at the last character of the program */
        size_t e = p->n;
        while (e > 0 && (p->s[e - 1] == '\n' || p->s[e - 1] == ' ' || p->s[e - 1] == '\t')) e--;
        pos = e > 0 ? (int)e - 1 : 0;
        len = 1;
    }
    jq_compile_error(p->pc, pos, len, "syntax error, unexpected %s", tok_name(p, buf, sizeof buf));
    return NULL;
}

static bool accept(Parser *p, Tok t) {
    if (p->tok != t) return false;
    next(p);
    return true;
}

static bool expect(Parser *p, Tok t) {
    if (accept(p, t)) return true;
    syntax_error(p);
    return false;
}

static bool is_kw(Parser *p, const char *w) { return p->tok == T_KEYWORD && !strcmp(p->text, w); }

static bool expect_kw(Parser *p, const char *w) {
    if (is_kw(p, w)) {
        next(p);
        return true;
    }
    syntax_error(p);
    return false;
}

/* ---------------------------------------------------------------- nodes */

Node *node_new(ParseCtx *pc, NodeKind k, int pos) {
    Node *n = jqa_alloc(pc->arena, sizeof *n);
    n->kind = (uint8_t)k;
    n->pos = pos;
    n->val = jv_invalid();
    return n;
}

static Node *mk(Parser *p, NodeKind k, size_t pos) { return node_new(p->pc, k, (int)pos); }

static Node *mk2(Parser *p, NodeKind k, size_t pos, Node *a, Node *b) {
    Node *n = mk(p, k, pos);
    n->a = a;
    n->b = b;
    return n;
}

static void keep_literal(ParseCtx *pc, Jv v) {
    if (pc->nlit == pc->caplit) {
        pc->caplit = pc->caplit ? pc->caplit * 2 : 32;
        pc->literals = xrealloc(pc->literals, pc->caplit * sizeof(Jv));
    }
    pc->literals[pc->nlit++] = v;
}

static Node *mk_lit(Parser *p, size_t pos, Jv v) {
    Node *n = mk(p, N_LIT, pos);
    n->val = v;
    keep_literal(p->pc, jv_copy(v));
    jv_free(v);
    return n;
}

typedef struct NodeList {
    Node **v;
    int n, cap;
} NodeList;

static void nl_push(Parser *p, NodeList *l, Node *x) {
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 4;
        Node **nv = jqa_alloc(p->pc->arena, (size_t)cap * sizeof *nv);
        if (l->n) memcpy(nv, l->v, (size_t)l->n * sizeof *nv);
        l->v = nv;
        l->cap = cap;
    }
    l->v[l->n++] = x;
}

/* ---------------------------------------------------------------- grammar */

static Node *parse_pipe(Parser *p);
static Node *parse_postfix(Parser *p, bool allow_as);
static Node *parse_string(Parser *p, const char *fmt, size_t pos);

enum { MAX_PARSE_DEPTH = 400 };

static bool enter(Parser *p) {
    if (++p->depth > MAX_PARSE_DEPTH) {
        if (!p->failed) {
            p->failed = true;
            jq_compile_error(p->pc, (int)p->tpos, 1, "program too deeply nested");
        }
        return false;
    }
    return true;
}

static Node *parse_pattern(Parser *p);

static Node *parse_pattern_obj_entry(Parser *p) {
    size_t pos = p->tpos;
    Node *e = mk(p, P_ENTRY, pos);
    if (p->tok == T_VAR) {
        e->name = p->text;
        e->len = (int)p->tlen;
        next(p);
        if (accept(p, T_COLON)) e->b = parse_pattern(p);
        return p->failed ? NULL : e;
    }
    if (p->tok == T_IDENT || p->tok == T_KEYWORD) {
        e->a = mk_lit(p, pos, jv_str_c(p->text));
        next(p);
    } else if (p->tok == T_STR) {
        e->a = parse_string(p, NULL, p->tpos);
    } else if (accept(p, T_LPAREN)) {
        e->a = parse_pipe(p);
        if (!expect(p, T_RPAREN)) return NULL;
    } else {
        return syntax_error(p);
    }
    if (!e->a || !expect(p, T_COLON)) return NULL;
    e->b = parse_pattern(p);
    return p->failed ? NULL : e;
}

static Node *parse_pattern(Parser *p) {
    if (!enter(p)) return NULL;
    Node *r = NULL;
    size_t pos = p->tpos;
    if (p->tok == T_VAR) {
        r = mk(p, P_VAR, pos);
        r->name = p->text;
        r->len = (int)p->tlen;
        next(p);
    } else if (accept(p, T_LBRACK)) {
        NodeList l = {0};
        if (p->tok != T_RBRACK) {
            do {
                Node *x = parse_pattern(p);
                if (!x) return NULL;
                nl_push(p, &l, x);
            } while (accept(p, T_COMMA));
        }
        if (!expect(p, T_RBRACK)) return NULL;
        r = mk(p, P_ARR, pos);
        r->args = l.v;
        r->nargs = l.n;
    } else if (accept(p, T_LBRACE)) {
        NodeList l = {0};
        do {
            Node *x = parse_pattern_obj_entry(p);
            if (!x) return NULL;
            nl_push(p, &l, x);
        } while (accept(p, T_COMMA));
        if (!expect(p, T_RBRACE)) return NULL;
        r = mk(p, P_OBJ, pos);
        r->args = l.v;
        r->nargs = l.n;
    } else {
        syntax_error(p);
    }
    p->depth--;
    return r;
}

/* PATTERNS: pattern (?// pattern)* ; stored as args of the binding node. */
static bool parse_patterns(Parser *p, Node *bind) {
    NodeList l = {0};
    do {
        Node *x = parse_pattern(p);
        if (!x) return false;
        nl_push(p, &l, x);
    } while (accept(p, T_ALTDESTRUCT));
    bind->args = l.v;
    bind->nargs = l.n;
    return true;
}

static int hexv(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* The string body after the opening quote (p->pos is just past it). */
static Node *parse_string(Parser *p, const char *fmt, size_t pos) {
    NodeList parts = {0};
    StrBuf lit;
    sb_init(&lit);
    bool interp = false;
    size_t i = pos + 1;
    for (;;) {
        if (i >= p->n) {
            sb_free(&lit);
            p->pos = p->n;
            p->failed = true;
            jq_compile_error(p->pc, (int)pos + 1, (int)(p->n - pos - 1),
                             "syntax error, unexpected end of file, expecting QQSTRING_TEXT or "
                             "QQSTRING_INTERP_START or QQSTRING_END");
            return NULL;
        }
        char c = p->s[i];
        if (c == '"') {
            i++;
            break;
        }
        if (c != '\\') {
            sb_putc(&lit, c);
            i++;
            continue;
        }
        if (i + 1 >= p->n) {
            i++;
            continue;
        }
        char e = p->s[i + 1];
        i += 2;
        switch (e) {
        case 'n': sb_putc(&lit, '\n'); break;
        case 't': sb_putc(&lit, '\t'); break;
        case 'r': sb_putc(&lit, '\r'); break;
        case 'b': sb_putc(&lit, '\b'); break;
        case 'f': sb_putc(&lit, '\f'); break;
        case '\\': sb_putc(&lit, '\\'); break;
        case '/': sb_putc(&lit, '/'); break;
        case '"': sb_putc(&lit, '"'); break;
        case 'u': {
            uint32_t cp = 0;
            int k = 0;
            for (; k < 4 && i < p->n && hexv(p->s[i]) >= 0; k++, i++) cp = cp * 16 + (uint32_t)hexv(p->s[i]);
            if (k < 4) goto bad_escape;
            if (cp >= 0xD800 && cp <= 0xDBFF && i + 5 < p->n && p->s[i] == '\\' && p->s[i + 1] == 'u') {
                uint32_t lo = 0;
                int m = 0;
                for (; m < 4 && hexv(p->s[i + 2 + m]) >= 0; m++) lo = lo * 16 + (uint32_t)hexv(p->s[i + 2 + m]);
                if (m == 4 && lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    i += 6;
                }
            }
            if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
            jv_utf8_encode(&lit, cp);
            break;
        }
        case '(': {
            if (lit.len || !parts.n) nl_push(p, &parts, mk_lit(p, pos, jv_str_take(&lit)));
            sb_init(&lit);
            interp = true;
            p->pos = i;
            next(p);
            Node *x = parse_pipe(p);
            if (!x) {
                sb_free(&lit);
                return NULL;
            }
            if (p->tok != T_RPAREN) {
                sb_free(&lit);
                return syntax_error(p);
            }
            nl_push(p, &parts, x);
            i = p->pos;
            break;
        }
        default:
        bad_escape:
            sb_free(&lit);
            p->failed = true;
            jq_compile_error(p->pc, (int)i - 2, 2, "Invalid escape at line 1, column %d (while parsing '\"%.*s\"')",
                             (int)i, (int)(i - pos), p->s + pos);
            return NULL;
        }
    }
    p->pos = i;
    next(p);
    if (!interp && !fmt) return mk_lit(p, pos, jv_str_take(&lit));
    if (lit.len) nl_push(p, &parts, mk_lit(p, pos, jv_str_take(&lit)));
    else sb_free(&lit);
    Node *n = mk(p, N_STR, pos);
    n->args = parts.v;
    n->nargs = parts.n;
    n->name = fmt ? jqa_strdup(p->pc->arena, fmt, strlen(fmt)) : NULL;
    return n;
}

static Node *parse_alt(Parser *p);

/* An object value: expressions without ',' joined by '|' (jq 1.8). */
static Node *parse_objval(Parser *p) {
    Node *l = parse_alt(p);
    if (!l) return NULL;
    if (p->tok == T_PIPE) {
        size_t pp = p->tpos;
        next(p);
        Node *r = parse_objval(p);
        if (!r) return NULL;
        return mk2(p, N_PIPE, pp, l, r);
    }
    return l;
}

static Node *field_of(Parser *p, size_t pos, Node *term, Jv key) {
    Node *n = mk(p, N_INDEX, pos);
    n->a = term;
    n->b = mk_lit(p, pos, key);
    return n;
}

static Node *parse_object(Parser *p, size_t pos) {
    NodeList l = {0};
    if (p->tok != T_RBRACE) {
        do {
            size_t ep = p->tpos;
            Node *e = mk(p, N_ENTRY, ep);
            if (p->tok == T_VAR) {
                /* {$x} is {"x": $x}; {$__loc__} too */
                Node *v = mk(p, N_VAR, ep);
                v->name = p->text;
                v->len = (int)p->tlen;
                if (!strcmp(p->text, "__loc__")) {
                    v->kind = N_LOC;
                }
                e->a = mk_lit(p, ep, jv_str_c(p->text));
                e->b = v;
                next(p);
                if (p->tok == T_COLON) return syntax_error(p);
            } else if (p->tok == T_IDENT || p->tok == T_KEYWORD) {
                Jv key = jv_str_c(p->text);
                e->a = mk_lit(p, ep, jv_copy(key));
                next(p);
                if (accept(p, T_COLON)) e->b = parse_objval(p);
                else e->b = field_of(p, ep, mk(p, N_IDENT, ep), key), key = jv_invalid();
                jv_free(key);
            } else if (p->tok == T_STR || p->tok == T_FORMAT) {
                const char *fmt = NULL;
                if (p->tok == T_FORMAT) {
                    fmt = p->text;
                    next(p);
                    if (p->tok != T_STR) return syntax_error(p);
                }
                size_t sp = p->tpos;
                e->a = parse_string(p, fmt, sp);
                if (!e->a) return NULL;
                if (accept(p, T_COLON)) {
                    e->b = parse_objval(p);
                } else {
                    Node *ix = mk(p, N_INDEX, ep);
                    ix->a = mk(p, N_IDENT, ep);
                    ix->b = e->a;
                    e->b = ix;
                }
            } else if (p->tok == T_NUM) {
                return syntax_error(p);
            } else if (accept(p, T_LPAREN)) {
                e->a = parse_pipe(p);
                if (!e->a || !expect(p, T_RPAREN) || !expect(p, T_COLON)) return NULL;
                e->b = parse_objval(p);
            } else {
                return syntax_error(p);
            }
            if (!e->a || !e->b) return NULL;
            nl_push(p, &l, e);
        } while (accept(p, T_COMMA) && p->tok != T_RBRACE);
    }
    if (!expect(p, T_RBRACE)) return NULL;
    Node *o = mk(p, N_OBJECT, pos);
    o->args = l.v;
    o->nargs = l.n;
    return o;
}

/* After '[' of a suffix: index, slice or iteration of term. */
static Node *parse_bracket_suffix(Parser *p, size_t pos, Node *term, bool allow_slice) {
    if (accept(p, T_RBRACK)) {
        Node *n = mk(p, N_ITER, pos);
        n->a = term;
        return n;
    }
    Node *from = NULL, *to = NULL;
    if (p->tok != T_COLON) {
        from = parse_pipe(p);
        if (!from) return NULL;
    }
    if (p->tok == T_COLON && !allow_slice) return syntax_error(p); /* jq 1.8: no `.a.[1:]` */
    if (accept(p, T_COLON)) {
        if (p->tok != T_RBRACK) {
            to = parse_pipe(p);
            if (!to) return NULL;
        }
        if (!expect(p, T_RBRACK)) return NULL;
        Node *n = mk(p, N_SLICE, pos);
        n->a = term;
        n->b = from;
        n->c = to;
        return n;
    }
    if (!expect(p, T_RBRACK)) return NULL;
    Node *n = mk(p, N_INDEX, pos);
    n->a = term;
    n->b = from;
    return n;
}

static Node *parse_call(Parser *p) {
    size_t pos = p->tpos;
    bool is_t = !strcmp(p->text, "true"), is_f = !strcmp(p->text, "false"), is_n = !strcmp(p->text, "null");
    if ((is_t || is_f || is_n) && !(p->pos < p->n && p->s[p->pos] == '(')) {
        next(p);
        return mk_lit(p, pos, is_n ? jv_null() : jv_bool(is_t));
    }
    Node *n = mk(p, N_CALL, pos);
    n->name = p->text;
    n->len = (int)p->tlen;
    next(p);
    if (accept(p, T_LPAREN)) {
        NodeList l = {0};
        do {
            Node *x = parse_pipe(p);
            if (!x) return NULL;
            nl_push(p, &l, x);
        } while (accept(p, T_SEMI));
        if (!expect(p, T_RPAREN)) return NULL;
        n->args = l.v;
        n->nargs = l.n;
    }
    return n;
}

static Node *parse_if(Parser *p, size_t pos) {
    Node *n = mk(p, N_IF, pos);
    n->a = parse_pipe(p);
    if (!n->a || !expect_kw(p, "then")) return NULL;
    n->b = parse_pipe(p);
    if (!n->b) return NULL;
    if (is_kw(p, "elif")) {
        size_t ep = p->tpos;
        next(p);
        n->c = parse_if(p, ep);
        return n->c ? n : NULL;
    }
    if (is_kw(p, "else")) {
        next(p);
        n->c = parse_pipe(p);
        if (!n->c) return NULL;
    }
    if (!expect_kw(p, "end")) return NULL;
    return n;
}

static Node *parse_reduce(Parser *p, size_t pos, bool foreach) {
    Node *n = mk(p, foreach ? N_FOREACH : N_REDUCE, pos);
    n->a = parse_postfix(p, false);
    if (!n->a || !expect_kw(p, "as") || !parse_patterns(p, n) || !expect(p, T_LPAREN)) return NULL;
    n->b = parse_pipe(p);
    if (!n->b || !expect(p, T_SEMI)) return NULL;
    n->c = parse_pipe(p);
    if (!n->c) return NULL;
    if (foreach && accept(p, T_SEMI)) {
        n->d = parse_pipe(p);
        if (!n->d) return NULL;
    }
    if (!expect(p, T_RPAREN)) return NULL;
    return n;
}

static Node *parse_primary(Parser *p) {
    size_t pos = p->tpos;
    switch (p->tok) {
    case T_DOT: {
        next(p);
        if (p->tok == T_STR) {
            Node *k = parse_string(p, NULL, p->tpos);
            if (!k) return NULL;
            Node *n = mk(p, N_INDEX, pos);
            n->a = mk(p, N_IDENT, pos);
            n->b = k;
            return n;
        }
        if (p->tok == T_LBRACK && p->tpos == pos + 1) {
            next(p);
            return parse_bracket_suffix(p, pos, mk(p, N_IDENT, pos), true);
        }
        return mk(p, N_IDENT, pos);
    }
    case T_DOTDOT: next(p); return mk(p, N_RECURSE, pos);
    case T_FIELD: {
        Jv k = jv_str_c(p->text);
        next(p);
        return field_of(p, pos, mk(p, N_IDENT, pos), k);
    }
    case T_NUM: {
        Jv v = jv_num_literal(p->s + p->tpos, p->tlen);
        next(p);
        return mk_lit(p, pos, v);
    }
    case T_STR: return parse_string(p, NULL, pos);
    case T_FORMAT: {
        char *fmt = p->text;
        next(p);
        if (p->tok == T_STR) return parse_string(p, fmt, p->tpos);
        Node *n = mk(p, N_FORMAT, pos);
        n->name = fmt;
        n->len = (int)strlen(fmt) + 1;
        return n;
    }
    case T_VAR: {
        Node *n = mk(p, !strcmp(p->text, "__loc__") ? N_LOC : N_VAR, pos);
        n->name = p->text;
        n->len = (int)p->tlen;
        next(p);
        return n;
    }
    case T_LPAREN: {
        next(p);
        Node *n = parse_pipe(p);
        if (!n || !expect(p, T_RPAREN)) return NULL;
        return n;
    }
    case T_LBRACK: {
        next(p);
        Node *n = mk(p, N_ARRAY, pos);
        if (accept(p, T_RBRACK)) return n;
        n->a = parse_pipe(p);
        if (!n->a || !expect(p, T_RBRACK)) return NULL;
        return n;
    }
    case T_LBRACE: next(p); return parse_object(p, pos);
    case T_IDENT: return parse_call(p);
    case T_KEYWORD:
        if (is_kw(p, "if")) {
            next(p);
            return parse_if(p, pos);
        }
        if (is_kw(p, "try")) {
            next(p);
            Node *n = mk(p, N_TRY, pos);
            n->a = parse_postfix(p, false);
            if (!n->a) return NULL;
            if (is_kw(p, "catch")) {
                next(p);
                n->b = parse_postfix(p, false);
                if (!n->b) return NULL;
            }
            return n;
        }
        if (is_kw(p, "reduce") || is_kw(p, "foreach")) {
            bool fe = is_kw(p, "foreach");
            next(p);
            return parse_reduce(p, pos, fe);
        }
        if (is_kw(p, "label")) {
            next(p);
            if (p->tok != T_VAR) return syntax_error(p);
            Node *n = mk(p, N_LABEL, pos);
            n->name = p->text;
            next(p);
            if (!expect(p, T_PIPE)) return NULL;
            n->a = parse_pipe(p);
            return n->a ? n : NULL;
        }
        if (is_kw(p, "def")) return parse_pipe(p);
        return syntax_error(p);
    default:
        if (p->tok == T_IDENT) return parse_call(p);
        return syntax_error(p);
    }
}

static Node *parse_postfix(Parser *p, bool allow_as) {
    if (!enter(p)) return NULL;
    Node *t;
    if (p->tok == T_IDENT && !strcmp(p->text, "break")) {
        size_t pos = p->tpos;
        next(p);
        if (p->tok != T_VAR) return syntax_error(p);
        t = mk(p, N_BREAK, pos);
        t->name = p->text;
        t->len = (int)(p->pos - pos);
        next(p);
    } else {
        t = parse_primary(p);
    }
    while (t) {
        size_t pos = p->tpos;
        if (p->tok == T_FIELD) {
            Jv k = jv_str_c(p->text);
            next(p);
            t = field_of(p, pos, t, k);
        } else if (p->tok == T_DOT && p->pos < p->n && p->s[p->pos] == '"') {
            next(p);
            Node *k = parse_string(p, NULL, p->tpos);
            if (!k) return NULL;
            Node *n = mk(p, N_INDEX, pos);
            n->a = t;
            n->b = k;
            t = n;
        } else if (p->tok == T_DOT && p->pos < p->n && p->s[p->pos] == '[') {
            next(p);
            next(p);
            t = parse_bracket_suffix(p, pos, t, false);
        } else if (p->tok == T_LBRACK) {
            next(p);
            t = parse_bracket_suffix(p, pos, t, true);
        } else if (p->tok == T_QUESTION) {
            next(p);
            /* `.a?`, `.[]?`, `.[i]?`, `.[a:b]?` make only that step optional
             * (errors of the term before it still propagate), as jq's grammar. */
            if ((t->kind == N_INDEX || t->kind == N_ITER || t->kind == N_SLICE) && !t->opt) {
                t->opt = 1;
            } else {
                Node *n = mk(p, N_TRY, pos);
                n->a = t;
                t = n;
            }
        } else if (allow_as && is_kw(p, "as")) {
            next(p);
            Node *n = mk(p, N_AS, pos);
            n->a = t;
            if (!parse_patterns(p, n)) return NULL;
            if (p->pc->yq && p->tok == T_IDENT && !strcmp(p->text, "ireduce")) {
                /* yq: SOURCE as $x ireduce (INIT; UPDATE) */
                next(p);
                n->kind = N_REDUCE;
                if (!expect(p, T_LPAREN)) return NULL;
                n->b = parse_pipe(p);
                if (!n->b || !expect(p, T_SEMI)) return NULL;
                n->c = parse_pipe(p);
                if (!n->c || !expect(p, T_RPAREN)) return NULL;
                t = n;
                continue;
            }
            if (!expect(p, T_PIPE)) return NULL;
            n->b = parse_pipe(p);
            if (!n->b) return NULL;
            t = n;
            break;
        } else {
            break;
        }
    }
    p->depth--;
    return t;
}

static Node *parse_unary(Parser *p) {
    if (p->tok == T_MINUS) {
        size_t pos = p->tpos;
        next(p);
        if (!enter(p)) return NULL;
        Node *n = mk(p, N_NEG, pos);
        n->a = parse_unary(p);
        p->depth--;
        return n->a ? n : NULL;
    }
    return parse_postfix(p, true);
}

static int binop_of(Tok t) {
    switch (t) {
    case T_PLUS: return OP_ADD;
    case T_MINUS: return OP_SUB;
    case T_STAR: return OP_MUL;
    case T_SLASH: return OP_DIV;
    case T_PERCENT: return OP_MOD;
    case T_EQ: return OP_EQ;
    case T_NE: return OP_NE;
    case T_LT: return OP_LT;
    case T_LE: return OP_LE;
    case T_GT: return OP_GT;
    case T_GE: return OP_GE;
    default: return 0;
    }
}

static Node *parse_mul(Parser *p) {
    Node *l = parse_unary(p);
    while (l && (p->tok == T_STAR || p->tok == T_SLASH || p->tok == T_PERCENT)) {
        Node *n = mk(p, N_BIN, p->tpos);
        n->op = (uint8_t)binop_of(p->tok);
        next(p);
        n->a = l;
        n->b = parse_unary(p);
        l = n->b ? n : NULL;
    }
    return l;
}

static Node *parse_add(Parser *p) {
    Node *l = parse_mul(p);
    while (l && (p->tok == T_PLUS || p->tok == T_MINUS)) {
        Node *n = mk(p, N_BIN, p->tpos);
        n->op = (uint8_t)binop_of(p->tok);
        next(p);
        n->a = l;
        n->b = parse_mul(p);
        l = n->b ? n : NULL;
    }
    return l;
}

static Node *parse_cmp(Parser *p) {
    Node *l = parse_add(p);
    if (l && p->tok >= T_EQ && p->tok <= T_GE) {
        Node *n = mk(p, N_BIN, p->tpos);
        n->op = (uint8_t)binop_of(p->tok);
        next(p);
        n->a = l;
        n->b = parse_add(p);
        if (!n->b) return NULL;
        if (p->tok >= T_EQ && p->tok <= T_GE) return syntax_error(p);
        return n;
    }
    return l;
}

static Node *parse_and(Parser *p) {
    Node *l = parse_cmp(p);
    while (l && is_kw(p, "and")) {
        size_t pos = p->tpos;
        next(p);
        Node *r = parse_cmp(p);
        l = r ? mk2(p, N_AND, pos, l, r) : NULL;
    }
    return l;
}

static Node *parse_or(Parser *p) {
    Node *l = parse_and(p);
    while (l && is_kw(p, "or")) {
        size_t pos = p->tpos;
        next(p);
        Node *r = parse_and(p);
        l = r ? mk2(p, N_OR, pos, l, r) : NULL;
    }
    return l;
}

static int assign_op(Tok t) {
    switch (t) {
    case T_ASSIGN: return OP_SET;
    case T_PIPEEQ: return OP_UPDATE;
    case T_PLUSEQ: return OP_ADD;
    case T_MINUSEQ: return OP_SUB;
    case T_STAREQ: return OP_MUL;
    case T_SLASHEQ: return OP_DIV;
    case T_PERCENTEQ: return OP_MOD;
    case T_ALTEQ: return OP_ALTSET;
    default: return 0;
    }
}

static Node *parse_assign(Parser *p) {
    Node *l = parse_or(p);
    int op;
    if (l && (op = assign_op(p->tok)) != 0) {
        Node *n = mk(p, N_ASSIGN, p->tpos);
        n->op = (uint8_t)op;
        next(p);
        n->a = l;
        /* The right side is at the level above: `.a = 1 // 2` is (.a = 1) // 2. */
        n->b = parse_or(p);
        if (!n->b) return NULL;
        if (assign_op(p->tok)) return syntax_error(p);
        return n;
    }
    return l;
}

static Node *parse_alt(Parser *p) {
    Node *l = parse_assign(p);
    if (l && p->tok == T_ALT) {
        size_t pos = p->tpos;
        next(p);
        if (!enter(p)) return NULL;
        Node *r = parse_alt(p);
        p->depth--;
        return r ? mk2(p, N_ALT, pos, l, r) : NULL;
    }
    return l;
}

static Node *parse_comma(Parser *p) {
    Node *l = parse_alt(p);
    while (l && p->tok == T_COMMA) {
        size_t pos = p->tpos;
        next(p);
        Node *r = parse_alt(p);
        l = r ? mk2(p, N_COMMA, pos, l, r) : NULL;
    }
    return l;
}

/* yq's pipe level: alternatives joined by '|', below ','. */
static Node *parse_yq_pipe(Parser *p) {
    if (!enter(p)) return NULL;
    Node *l = parse_alt(p);
    if (l && p->tok == T_PIPE) {
        size_t pos = p->tpos;
        next(p);
        Node *rr = parse_yq_pipe(p);
        l = rr ? mk2(p, N_PIPE, pos, l, rr) : NULL;
    }
    p->depth--;
    return l;
}

static Node *parse_def(Parser *p) {
    size_t pos = p->tpos;
    next(p); /* def */
    if (p->tok != T_IDENT && p->tok != T_KEYWORD) return syntax_error(p);
    Node *d = mk(p, N_DEF, pos);
    d->name = p->text;
    d->len = (int)p->tlen;
    next(p);
    if (accept(p, T_LPAREN)) {
        StrList names;
        sl_init(&names);
        do {
            if (p->tok == T_VAR) {
                size_t l = strlen(p->text);
                char *s = jqa_alloc(p->pc->arena, l + 2);
                s[0] = '$';
                memcpy(s + 1, p->text, l + 1);
                sl_push_copy(&names, s);
            } else if (p->tok == T_IDENT || p->tok == T_KEYWORD) {
                sl_push_copy(&names, p->text);
            } else {
                sl_free(&names);
                return syntax_error(p);
            }
            next(p);
        } while (accept(p, T_SEMI));
        if (!expect(p, T_RPAREN)) {
            sl_free(&names);
            return NULL;
        }
        d->nparams = (int)names.n;
        d->params = jqa_alloc(p->pc->arena, names.n * sizeof(char *));
        for (size_t i = 0; i < names.n; i++) d->params[i] = jqa_strdup(p->pc->arena, names.v[i], strlen(names.v[i]));
        sl_free(&names);
    }
    if (!expect(p, T_COLON)) return NULL;
    d->a = parse_pipe(p);
    if (!d->a || !expect(p, T_SEMI)) return NULL;
    return d;
}

static Node *parse_pipe(Parser *p) {
    if (!enter(p)) return NULL;
    Node *r;
    if (is_kw(p, "def")) {
        Node *d = parse_def(p);
        if (!d) return NULL;
        /* A program or module may end with definitions only. */
        if (p->tok == T_EOF) {
            d->b = mk(p, N_IDENT, p->tpos);
            d->b->opt = 2; /* no top-level program */
        } else {
            d->b = parse_pipe(p);
        }
        r = d->b ? d : NULL;
    } else if (is_kw(p, "label")) {
        size_t pos = p->tpos;
        next(p);
        if (p->tok != T_VAR) return syntax_error(p);
        Node *n = mk(p, N_LABEL, pos);
        n->name = p->text;
        next(p);
        if (!expect(p, T_PIPE)) return NULL;
        n->a = parse_pipe(p);
        r = n->a ? n : NULL;
    } else if (p->pc->yq) {
        /* yq: `a | b, c` is `(a | b), c` */
        Node *l = parse_yq_pipe(p);
        while (l && p->tok == T_COMMA) {
            size_t pos = p->tpos;
            next(p);
            Node *rr = parse_yq_pipe(p);
            l = rr ? mk2(p, N_COMMA, pos, l, rr) : NULL;
        }
        r = l;
    } else {
        Node *l = parse_comma(p);
        r = l;
        if (l && p->tok == T_PIPE) {
            size_t pos = p->tpos;
            next(p);
            Node *rr = parse_pipe(p);
            r = rr ? mk2(p, N_PIPE, pos, l, rr) : NULL;
        }
    }
    p->depth--;
    return r;
}

/* import "path" as name;  import "path" as $name;  include "path"; */
static bool parse_directives(Parser *p) {
    if (is_kw(p, "module")) {
        /* not a keyword in our table; handled as ident below */
    }
    if (p->tok == T_IDENT && !strcmp(p->text, "module")) {
        next(p);
        if (p->tok != T_LBRACE) return syntax_error(p), false;
        next(p);
        Node *o = parse_object(p, p->tpos);
        if (!o || !expect(p, T_SEMI)) return false;
    }
    while (is_kw(p, "import") || is_kw(p, "include")) {
        bool inc = is_kw(p, "include");
        next(p);
        if (p->tok != T_STR) return syntax_error(p), false;
        size_t sp = p->tpos;
        Node *s = parse_string(p, NULL, sp);
        if (!s) return false;
        if (s->kind != N_LIT) {
            jq_compile_error(p->pc, (int)sp, 1, "Import path must be constant");
            return false;
        }
        const char *alias = "";
        const char *kind = "f";
        if (!inc) {
            if (!expect_kw(p, "as")) return false;
            if (p->tok == T_VAR) kind = "d";
            else if (p->tok != T_IDENT) return syntax_error(p), false;
            alias = p->text;
            next(p);
        }
        if (p->tok == T_LBRACE) {
            next(p);
            if (!parse_object(p, p->tpos)) return false;
        }
        if (!expect(p, T_SEMI)) return false;
        sl_push_copy(&p->pc->imports, jv_strval(s->val));
        sl_push_copy(&p->pc->import_alias, alias);
        sl_push_copy(&p->pc->import_kind, kind);
    }
    return true;
}

Node *jq_parse_program(ParseCtx *pc) {
    Parser p = {0};
    p.pc = pc;
    p.s = pc->src;
    p.n = pc->len;
    next(&p);
    if (!parse_directives(&p)) return NULL;
    Node *r;
    if (p.tok == T_EOF) {
        r = mk(&p, N_IDENT, 0);
    } else {
        r = parse_pipe(&p);
        if (r && p.tok != T_EOF) r = syntax_error(&p);
    }
    if (p.failed) return NULL;
    return r;
}
