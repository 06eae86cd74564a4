/* parse.c - the awk lexer and a recursive-descent parser building the AST.
 *
 * The lexer decides between a regex and a division by the previous token
 * (a `/` after an operand divides). Newlines are tokens; the parser skips
 * them where awk allows (after `{ , && || do else` and between statements).
 * In a print statement's top level `>` is a redirection and `|` a pipe, not
 * operators. Syntax errors are reported as gawk does: the source line and a
 * caret under the offending token. */
#include "awkint.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct ArenaBlock {
    struct ArenaBlock *next;
    size_t used, cap;
    char data[];
} ArenaBlock;

typedef struct Parser {
    Awk *a;
    Prog *p;
    const char *src;
    size_t len, pos;
    int line;
    Token la[4];
    int nla;
    int prev;          /* type of the last token lexed */
    bool err;
    int func;          /* index of the function being parsed, or -1 (funcs may move) */
    int loops;         /* loop nesting (break/continue) */
    int switches;
    bool in_print;     /* top level of a print list: > and | redirect */
    const char *rule_kind; /* "BEGIN", "END", "BEGINFILE", "ENDFILE" while parsing one, else NULL */
    int no_in;         /* for (x in a) detection: `in` not an operator */
    Node *pending;     /* a primary already parsed (print's parenthesized list) */
    size_t rparen_pos; /* position of the `)' that ended the last argument list */
    ArenaBlock *arena;
    Node *begin, *end, *main, *bfile, *efile;
    Node *begin_tail, *end_tail, *main_tail, *bfile_tail, *efile_tail;
    /* global names used as variables (for the function-name check) */
    char **used_names;
    int *used_lines;
    size_t nused, cused;
} Parser;

static void *arena_alloc(Parser *ps, size_t n) {
    n = (n + 15) & ~(size_t)15;
    ArenaBlock *b = ps->arena;
    if (!b || b->used + n > b->cap) {
        size_t cap = n > 65536 ? n : 65536;
        b = xmalloc(sizeof *b + cap);
        b->used = 0;
        b->cap = cap;
        b->next = ps->arena;
        ps->arena = b;
    }
    void *r = b->data + b->used;
    b->used += n;
    memset(r, 0, n);
    return r;
}

static char *arena_strndup(Parser *ps, const char *s, size_t n) {
    char *r = arena_alloc(ps, n + 1);
    memcpy(r, s, n);
    r[n] = 0;
    return r;
}

/* ---------------------------------------------------------------- messages */

void awk_prog_where(Awk *a, StrBuf *b, int line) {
    Prog *p = &a->prog;
    const char *name = "cmd. line";
    int rel = line;
    for (int i = p->nsrcs - 1; i >= 0; i--) {
        if (line >= p->srcs[i].first_line) {
            name = p->srcs[i].name;
            rel = line - p->srcs[i].first_line + 1;
            break;
        }
    }
    sb_printf(b, "%s: %s:%d: ", a->name, name, rel);
}

/* The text of source line `line` (1-based in the joined text). */
static void source_line(Parser *ps, int line, size_t *start, size_t *end) {
    size_t i = 0;
    int l = 1;
    while (i < ps->len && l < line) {
        if (ps->src[i] == '\n') l++;
        i++;
    }
    size_t e = i;
    while (e < ps->len && ps->src[e] != '\n') e++;
    *start = i;
    *end = e;
}

/* A syntax error reported at `line` (in the prefix) showing source line `text_line`. */
static void syntax_error_line(Parser *ps, int line, int text_line, size_t pos, const char *msg) {
    if (ps->err) return;
    ps->err = true;
    StrBuf b;
    sb_init(&b);
    size_t s, e;
    source_line(ps, text_line, &s, &e);
    awk_prog_where(ps->a, &b, line);
    size_t prefix = b.len;
    sb_put(&b, ps->src + s, e - s);
    sb_putc(&b, '\n');
    awk_prog_where(ps->a, &b, line);
    size_t col = pos >= s ? pos - s : 0;
    if (col > e - s) col = e - s;
    (void)prefix;
    for (size_t i = 0; i < col; i++) sb_putc(&b, ps->src[s + i] == '\t' ? '\t' : ' ');
    sb_printf(&b, "^ %s\n", msg);
    uc_write(ps->a->c, 2, b.s, b.len);
    sb_free(&b);
}

static void syntax_error_at(Parser *ps, int line, size_t pos, const char *msg) {
    syntax_error_line(ps, line, line, pos, msg);
}

static void perror_plain(Parser *ps, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void perror_plain(Parser *ps, int line, const char *fmt, ...) {
    ps->err = true;
    StrBuf b;
    sb_init(&b);
    awk_prog_where(ps->a, &b, line);
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&b, fmt, ap);
    va_end(ap);
    sb_putc(&b, '\n');
    uc_write(ps->a->c, 2, b.s, b.len);
    sb_free(&b);
}

static void lex_warning(Parser *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void lex_warning(Parser *ps, const char *fmt, ...) {
    StrBuf b;
    sb_init(&b);
    awk_prog_where(ps->a, &b, ps->line);
    sb_puts(&b, "warning: ");
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&b, fmt, ap);
    va_end(ap);
    sb_putc(&b, '\n');
    uc_write(ps->a->c, 2, b.s, b.len);
    sb_free(&b);
}

/* ---------------------------------------------------------------- lexer */

typedef struct Keyword {
    const char *name;
    int type, id;
} Keyword;

static const Keyword keywords[] = {
    {"BEGIN", T_BEGIN, 0}, {"BEGINFILE", T_BEGINFILE, 0}, {"END", T_END, 0},
    {"ENDFILE", T_ENDFILE, 0}, {"and", T_BUILTIN, B_AND}, {"asort", T_BUILTIN, B_ASORT},
    {"asorti", T_BUILTIN, B_ASORTI}, {"atan2", T_BUILTIN, B_ATAN2}, {"break", T_BREAK, 0},
    {"case", T_CASE, 0}, {"close", T_BUILTIN, B_CLOSE}, {"compl", T_BUILTIN, B_COMPL},
    {"continue", T_CONTINUE, 0}, {"cos", T_BUILTIN, B_COS}, {"default", T_DEFAULT, 0},
    {"delete", T_DELETE, 0}, {"do", T_DO, 0}, {"else", T_ELSE, 0}, {"exit", T_EXIT, 0},
    {"exp", T_BUILTIN, B_EXP}, {"fflush", T_BUILTIN, B_FFLUSH}, {"for", T_FOR, 0},
    {"func", T_FUNCTION, 0}, {"function", T_FUNCTION, 0}, {"gensub", T_BUILTIN, B_GENSUB},
    {"getline", T_GETLINE, 0}, {"gsub", T_BUILTIN, B_GSUB}, {"if", T_IF, 0}, {"in", T_IN, 0},
    {"index", T_BUILTIN, B_INDEX}, {"int", T_BUILTIN, B_INT}, {"isarray", T_BUILTIN, B_ISARRAY},
    {"length", T_BUILTIN, B_LENGTH}, {"log", T_BUILTIN, B_LOG}, {"lshift", T_BUILTIN, B_LSHIFT},
    {"match", T_BUILTIN, B_MATCH}, {"mkbool", T_BUILTIN, B_MKBOOL}, {"mktime", T_BUILTIN, B_MKTIME},
    {"next", T_NEXT, 0}, {"nextfile", T_NEXTFILE, 0}, {"or", T_BUILTIN, B_OR},
    {"patsplit", T_BUILTIN, B_PATSPLIT}, {"print", T_PRINT, 0}, {"printf", T_PRINTF, 0},
    {"rand", T_BUILTIN, B_RAND}, {"return", T_RETURN, 0}, {"rshift", T_BUILTIN, B_RSHIFT},
    {"sin", T_BUILTIN, B_SIN}, {"split", T_BUILTIN, B_SPLIT}, {"sprintf", T_BUILTIN, B_SPRINTF},
    {"sqrt", T_BUILTIN, B_SQRT}, {"srand", T_BUILTIN, B_SRAND}, {"strftime", T_BUILTIN, B_STRFTIME},
    {"strtonum", T_BUILTIN, B_STRTONUM}, {"sub", T_BUILTIN, B_SUB}, {"substr", T_BUILTIN, B_SUBSTR},
    {"switch", T_SWITCH, 0}, {"system", T_BUILTIN, B_SYSTEM}, {"systime", T_BUILTIN, B_SYSTIME},
    {"tolower", T_BUILTIN, B_TOLOWER}, {"toupper", T_BUILTIN, B_TOUPPER},
    {"typeof", T_BUILTIN, B_TYPEOF}, {"while", T_WHILE, 0}, {"xor", T_BUILTIN, B_XOR},
};

/* Keywords and builtins that --posix turns back into plain names (gawk's
 * GAWKX/NOT_POSIX entries). */
static bool gawk_only_keyword(const char *name) {
    static const char *const names[] = {
        "BEGINFILE", "ENDFILE", "and", "asort", "asorti", "case", "compl", "default", "func",
        "gensub", "isarray", "lshift", "mkbool", "mktime", "or", "patsplit", "rshift", "strftime",
        "strtonum", "switch", "systime", "typeof", "xor",
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!strcmp(names[i], name)) return true;
    return false;
}

static const Keyword *find_keyword(const char *s, size_t n) {
    size_t lo = 0, hi = sizeof keywords / sizeof *keywords;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strncmp(keywords[mid].name, s, n);
        if (c == 0 && keywords[mid].name[n]) c = 1;
        if (c == 0) return &keywords[mid];
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return NULL;
}

static bool is_name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }
static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* A regex may start here: the previous token does not end an operand. */
static bool regex_allowed(int prev) {
    switch (prev) {
    case T_NAME: case T_NUMBER: case T_STRING: case T_ERE: case T_RPAREN: case T_RBRACKET:
    case T_DOLLAR: case T_INCR: case T_DECR: case T_BUILTIN:
        return false;
    default: return true;
    }
}

/* String-literal escapes; warns about unknown ones as gawk does. */
static void unescape_into(Parser *ps, Awk *a, StrBuf *b, const char *s, size_t n, bool warn) {
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c != '\\' || i + 1 >= n) {
            sb_putc(b, c);
            continue;
        }
        c = s[++i];
        switch (c) {
        case 'n': sb_putc(b, '\n'); break;
        case 't': sb_putc(b, '\t'); break;
        case 'r': sb_putc(b, '\r'); break;
        case '\\': sb_putc(b, '\\'); break;
        case '"': sb_putc(b, '"'); break;
        case '/': sb_putc(b, '/'); break;
        case 'a': sb_putc(b, '\a'); break;
        case 'b': sb_putc(b, '\b'); break;
        case 'f': sb_putc(b, '\f'); break;
        case 'v': sb_putc(b, '\v'); break;
        case '\n': break; /* continuation inside a string */
        case 'x': {
            if (a->posix) { /* no \x escapes in POSIX awk: a plain x */
                sb_putc(b, 'x');
                break;
            }
            int v = 0, k = 0;
            while (k < 2 && i + 1 < n && hexval(s[i + 1]) >= 0) {
                v = v * 16 + hexval(s[++i]);
                k++;
            }
            if (k == 0) {
                if (warn && ps) lex_warning(ps, "no hex digits in `\\x' escape sequence");
                sb_putc(b, 'x');
            } else {
                sb_putc(b, (char)v);
            }
            break;
        }
        default:
            if (c >= '0' && c <= '7') {
                int v = c - '0', k = 1;
                while (k < 3 && i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '7') {
                    v = v * 8 + (s[++i] - '0');
                    k++;
                }
                sb_putc(b, (char)v);
            } else {
                if (warn) {
                    if (ps) lex_warning(ps, "escape sequence `\\%c' treated as plain `%c'", c, c);
                    else awk_warning(a, "escape sequence `\\%c' treated as plain `%c'", c, c);
                }
                sb_putc(b, c);
            }
        }
    }
}

AwkStr *awk_unescape(Awk *a, const char *s, size_t n, bool warn) {
    StrBuf b;
    sb_init(&b);
    unescape_into(NULL, a, &b, s, n, warn);
    AwkStr *r = astr_new(b.s ? b.s : "", b.len);
    sb_free(&b);
    return r;
}

static void lex_error(Parser *ps, Token *t, size_t pos, const char *msg) {
    syntax_error_at(ps, ps->line, pos, msg);
    t->type = T_ERROR;
}

static void lex_string(Parser *ps, Token *t) {
    size_t start = ps->pos++;
    StrBuf raw;
    sb_init(&raw);
    for (;;) {
        if (ps->pos >= ps->len || ps->src[ps->pos] == '\n') {
            sb_free(&raw);
            lex_error(ps, t, start, "unterminated string");
            return;
        }
        char c = ps->src[ps->pos];
        if (c == '"') { ps->pos++; break; }
        if (c == '\\' && ps->pos + 1 < ps->len) {
            if (ps->src[ps->pos + 1] == '\n') ps->line++;
            sb_put(&raw, ps->src + ps->pos, 2);
            ps->pos += 2;
            continue;
        }
        sb_putc(&raw, c);
        ps->pos++;
    }
    StrBuf b;
    sb_init(&b);
    unescape_into(ps, ps->a, &b, raw.s ? raw.s : "", raw.len, true);
    t->type = T_STRING;
    t->str = arena_strndup(ps, b.s ? b.s : "", b.len);
    t->len = b.len;
    sb_free(&b);
    sb_free(&raw);
}

static void lex_regex(Parser *ps, Token *t) {
    size_t start = ps->pos++;
    StrBuf b;
    sb_init(&b);
    bool in_bracket = false;
    for (;;) {
        if (ps->pos >= ps->len || ps->src[ps->pos] == '\n') {
            sb_free(&b);
            lex_error(ps, t, start + 1, "unterminated regexp");
            return;
        }
        char c = ps->src[ps->pos];
        if (c == '\\' && ps->pos + 1 < ps->len && ps->src[ps->pos + 1] != '\n') {
            if (ps->src[ps->pos + 1] == '/' && !in_bracket) sb_putc(&b, '/');
            else sb_put(&b, ps->src + ps->pos, 2);
            ps->pos += 2;
            continue;
        }
        if (in_bracket) {
            if (c == '[' && ps->pos + 1 < ps->len && (ps->src[ps->pos + 1] == ':' || ps->src[ps->pos + 1] == '.' || ps->src[ps->pos + 1] == '=')) {
                /* [:class:] inside a bracket */
                char close = ps->src[ps->pos + 1];
                size_t e = ps->pos + 2;
                while (e + 1 < ps->len && ps->src[e] != '\n' && !(ps->src[e] == close && ps->src[e + 1] == ']')) e++;
                if (e + 1 < ps->len && ps->src[e] == close) {
                    sb_put(&b, ps->src + ps->pos, e + 2 - ps->pos);
                    ps->pos = e + 2;
                    continue;
                }
            }
            if (c == ']') in_bracket = false;
            sb_putc(&b, c);
            ps->pos++;
            continue;
        }
        if (c == '/') { ps->pos++; break; }
        if (c == '[') {
            in_bracket = true;
            sb_putc(&b, c);
            ps->pos++;
            if (ps->pos < ps->len && ps->src[ps->pos] == '^') { sb_putc(&b, '^'); ps->pos++; }
            if (ps->pos < ps->len && ps->src[ps->pos] == ']') { sb_putc(&b, ']'); ps->pos++; }
            continue;
        }
        sb_putc(&b, c);
        ps->pos++;
    }
    t->type = T_ERE;
    t->str = arena_strndup(ps, b.s ? b.s : "", b.len);
    t->len = b.len;
    sb_free(&b);
}

static void lex_number(Parser *ps, Token *t) {
    const char *s = ps->src;
    size_t i = ps->pos, n = ps->len;
    bool posix = ps->a->posix; /* decimal only */
    if (!posix && s[i] == '0' && i + 2 < n && (s[i + 1] == 'x' || s[i + 1] == 'X') && hexval(s[i + 2]) >= 0) {
        double v = 0;
        i += 2;
        while (i < n && hexval(s[i]) >= 0) v = v * 16 + hexval(s[i++]);
        ps->pos = i;
        t->type = T_NUMBER;
        t->num = v;
        return;
    }
    size_t j = i;
    while (j < n && s[j] >= '0' && s[j] <= '9') j++;
    if (!posix && s[i] == '0' && j - i > 1 && (j >= n || (s[j] != '.' && s[j] != 'e' && s[j] != 'E'))) {
        bool octal = true;
        for (size_t k = i; k < j; k++) if (s[k] > '7') octal = false;
        if (octal) {
            double v = 0;
            for (size_t k = i; k < j; k++) v = v * 8 + (s[k] - '0');
            ps->pos = j;
            t->type = T_NUMBER;
            t->num = v;
            return;
        }
    }
    if (j < n && s[j] == '.') {
        j++;
        while (j < n && s[j] >= '0' && s[j] <= '9') j++;
    }
    if (j < n && (s[j] == 'e' || s[j] == 'E')) {
        size_t k = j + 1;
        if (k < n && (s[k] == '+' || s[k] == '-')) k++;
        if (k < n && s[k] >= '0' && s[k] <= '9') {
            while (k < n && s[k] >= '0' && s[k] <= '9') k++;
            j = k;
        }
    }
    char buf[128];
    size_t len = j - i < sizeof buf - 1 ? j - i : sizeof buf - 1;
    memcpy(buf, s + i, len);
    buf[len] = 0;
    t->type = T_NUMBER;
    t->num = strtod(buf, NULL);
    ps->pos = j;
}

static void lex_token(Parser *ps, Token *t) {
    memset(t, 0, sizeof *t);
    const char *s = ps->src;
    for (;;) {
        while (ps->pos < ps->len && (s[ps->pos] == ' ' || s[ps->pos] == '\t' || s[ps->pos] == '\r' || s[ps->pos] == '\f' || s[ps->pos] == '\v')) ps->pos++;
        if (ps->pos < ps->len && s[ps->pos] == '\\' && ps->pos + 1 < ps->len && s[ps->pos + 1] == '\n') {
            ps->pos += 2;
            ps->line++;
            continue;
        }
        if (ps->pos + 2 < ps->len + 1 && ps->pos + 2 <= ps->len && s[ps->pos] == '\\' && ps->pos + 2 < ps->len && s[ps->pos + 1] == '\r' && s[ps->pos + 2] == '\n') {
            ps->pos += 3;
            ps->line++;
            continue;
        }
        if (ps->pos < ps->len && s[ps->pos] == '#') {
            while (ps->pos < ps->len && s[ps->pos] != '\n') ps->pos++;
            continue;
        }
        break;
    }
    t->line = ps->line;
    t->pos = ps->pos;
    if (ps->pos >= ps->len) {
        t->type = T_EOF;
        ps->prev = T_EOF;
        return;
    }
    char c = s[ps->pos];
    char d = ps->pos + 1 < ps->len ? s[ps->pos + 1] : 0;
#define TOK(ty, n) do { t->type = (ty); ps->pos += (n); goto done; } while (0)
    switch (c) {
    case '\n': ps->line++; TOK(T_NEWLINE, 1);
    case '{': TOK(T_LBRACE, 1);
    case '}': TOK(T_RBRACE, 1);
    case '(': TOK(T_LPAREN, 1);
    case ')': TOK(T_RPAREN, 1);
    case '[': TOK(T_LBRACKET, 1);
    case ']': TOK(T_RBRACKET, 1);
    case ';': TOK(T_SEMI, 1);
    case ',': TOK(T_COMMA, 1);
    case '?': TOK(T_QUESTION, 1);
    case ':': TOK(T_COLON, 1);
    case '~': TOK(T_TILDE, 1);
    case '$': TOK(T_DOLLAR, 1);
    case '+':
        if (d == '+') TOK(T_INCR, 2);
        if (d == '=') TOK(T_ADD_ASSIGN, 2);
        TOK(T_PLUS, 1);
    case '-':
        if (d == '-') TOK(T_DECR, 2);
        if (d == '=') TOK(T_SUB_ASSIGN, 2);
        TOK(T_MINUS, 1);
    case '*':
        if (d == '*' && !ps->a->posix) {
            if (ps->pos + 2 < ps->len && s[ps->pos + 2] == '=') TOK(T_POW_ASSIGN, 3);
            TOK(T_CARET, 2);
        }
        if (d == '=') TOK(T_MUL_ASSIGN, 2);
        TOK(T_STAR, 1);
    case '/':
        if (regex_allowed(ps->prev)) {
            lex_regex(ps, t);
            goto done;
        }
        if (d == '=') TOK(T_DIV_ASSIGN, 2);
        TOK(T_SLASH, 1);
    case '%':
        if (d == '=') TOK(T_MOD_ASSIGN, 2);
        TOK(T_PERCENT, 1);
    case '^':
        if (d == '=') TOK(T_POW_ASSIGN, 2);
        TOK(T_CARET, 1);
    case '!':
        if (d == '=') TOK(T_NE, 2);
        if (d == '~') TOK(T_NOMATCH, 2);
        TOK(T_NOT, 1);
    case '=':
        if (d == '=') TOK(T_EQ, 2);
        TOK(T_ASSIGN, 1);
    case '<':
        if (d == '=') TOK(T_LE, 2);
        TOK(T_LT, 1);
    case '>':
        if (d == '=') TOK(T_GE, 2);
        if (d == '>') TOK(T_APPEND, 2);
        TOK(T_GT, 1);
    case '|':
        if (d == '|') TOK(T_OR, 2);
        if (d == '&') TOK(T_PIPEAMP, 2);
        TOK(T_PIPE, 1);
    case '&':
        if (d == '&') TOK(T_AND, 2);
        lex_error(ps, t, ps->pos, "syntax error");
        goto done;
    case '"': lex_string(ps, t); goto done;
    default: break;
    }
    if ((c >= '0' && c <= '9') || (c == '.' && d >= '0' && d <= '9')) {
        lex_number(ps, t);
        goto done;
    }
    if (is_name_start(c)) {
        size_t st = ps->pos;
        while (ps->pos < ps->len && is_name_char(s[ps->pos])) ps->pos++;
        size_t n = ps->pos - st;
        const Keyword *k = find_keyword(s + st, n);
        if (k && ps->a->posix && gawk_only_keyword(k->name)) k = NULL;
        t->str = arena_strndup(ps, s + st, n);
        t->len = n;
        if (k) {
            t->type = k->type;
            t->id = k->id;
        } else if (ps->pos < ps->len && s[ps->pos] == '(') {
            t->type = T_FUNC_NAME;
        } else {
            t->type = T_NAME;
        }
        goto done;
    }
    if (c == '@') {
        lex_error(ps, t, ps->pos, "syntax error");
        goto done;
    }
    lex_error(ps, t, ps->pos, "syntax error");
done:
#undef TOK
    ps->prev = t->type;
}

static Token *peek_n(Parser *ps, int n) {
    while (ps->nla <= n) lex_token(ps, &ps->la[ps->nla++]);
    return &ps->la[n];
}
static Token *peek(Parser *ps) { return peek_n(ps, 0); }
static int peek_type(Parser *ps) { return peek(ps)->type; }

static Token next_tok(Parser *ps) {
    peek(ps);
    Token t = ps->la[0];
    memmove(&ps->la[0], &ps->la[1], (size_t)(ps->nla - 1) * sizeof *ps->la);
    ps->nla--;
    return t;
}

static bool accept(Parser *ps, int type) {
    if (peek_type(ps) != type) return false;
    next_tok(ps);
    return true;
}

static void syntax_error(Parser *ps) {
    Token *t = peek(ps);
    if (t->type == T_ERROR) { ps->err = true; return; }
    if (t->type == T_NEWLINE)
        syntax_error_line(ps, t->line + 1, t->line, t->pos, "unexpected newline or end of string");
    else if (t->type == T_EOF)
        syntax_error_at(ps, t->line, t->pos, "unexpected newline or end of string");
    else
        syntax_error_at(ps, t->line, t->pos, "syntax error");
}

static bool expect(Parser *ps, int type) {
    if (accept(ps, type)) return true;
    syntax_error(ps);
    return false;
}

static void opt_newlines(Parser *ps) {
    while (peek_type(ps) == T_NEWLINE) next_tok(ps);
}

/* ---------------------------------------------------------------- nodes */

static Node *mk(Parser *ps, int kind, int line) {
    Node *n = arena_alloc(ps, sizeof *n);
    n->kind = kind;
    n->line = line;
    n->slot = -1;
    return n;
}

static Node *mk2(Parser *ps, int kind, int op, Node *a, Node *b, int line) {
    Node *n = mk(ps, kind, line);
    n->op = op;
    n->a = a;
    n->b = b;
    return n;
}

static void note_name_use(Parser *ps, const char *name, int line) {
    for (size_t i = 0; i < ps->nused; i++)
        if (!strcmp(ps->used_names[i], name)) return;
    if (ps->nused == ps->cused) {
        ps->cused = ps->cused ? ps->cused * 2 : 32;
        ps->used_names = xrealloc(ps->used_names, ps->cused * sizeof *ps->used_names);
        ps->used_lines = xrealloc(ps->used_lines, ps->cused * sizeof *ps->used_lines);
    }
    ps->used_names[ps->nused] = xstrdup(name);
    ps->used_lines[ps->nused++] = line;
}

/* A variable reference by name: a parameter of the current function or a global. */
static Node *mk_var(Parser *ps, int kind, const char *name, int line) {
    Node *n = mk(ps, kind, line);
    n->name = name;
    if (ps->func >= 0) {
        Func *f = &ps->p->funcs[ps->func];
        for (int i = 0; i < f->nparams; i++) {
            if (!strcmp(f->pnames[i], name)) {
                n->scope = SC_LOCAL;
                n->slot = i;
                return n;
            }
        }
    }
    n->scope = SC_GLOBAL;
    n->slot = awk_prog_global(ps->p, name);
    note_name_use(ps, name, line);
    return n;
}

static int find_func(Prog *p, const char *name) {
    for (int i = 0; i < p->nfuncs; i++)
        if (!strcmp(p->funcs[i].name, name)) return i;
    return -1;
}

static int func_index(Parser *ps, const char *name, int line, size_t pos) {
    int i = find_func(ps->p, name);
    if (i >= 0) return i;
    Prog *p = ps->p;
    p->funcs = xrealloc(p->funcs, (size_t)(p->nfuncs + 1) * sizeof *p->funcs);
    Func *f = &p->funcs[p->nfuncs];
    memset(f, 0, sizeof *f);
    f->name = xstrdup(name);
    f->line = line;
    f->pos = pos;
    return p->nfuncs++;
}

static bool is_lvalue(const Node *n) {
    return n && (n->kind == N_VAR || n->kind == N_INDEX || n->kind == N_FIELD);
}

/* ---------------------------------------------------------------- expressions */

static Node *expr(Parser *ps);
static Node *ternary(Parser *ps);
static Node *unary(Parser *ps);
static Node *primary(Parser *ps);
static Node *concat_level(Parser *ps);
static Node *additive(Parser *ps);

/* expr_list: expr (, opt_nl expr)* */
static Node *expr_list(Parser *ps, int *count) {
    Node *head = expr(ps), *tail = head;
    int n = head ? 1 : 0;
    while (head && !ps->err && peek_type(ps) == T_COMMA) {
        next_tok(ps);
        opt_newlines(ps);
        Node *e = expr(ps);
        if (!e) return NULL;
        tail->next = e;
        tail = e;
        n++;
    }
    if (count) *count = n;
    return ps->err ? NULL : head;
}

static Node *subscript_list(Parser *ps) {
    bool save = ps->in_print;
    int save_in = ps->no_in;
    ps->in_print = false;
    ps->no_in = 0;
    Node *l = expr_list(ps, NULL);
    ps->in_print = save;
    ps->no_in = save_in;
    if (!l) {
        if (!ps->err) syntax_error(ps);
        return NULL;
    }
    if (!expect(ps, T_RBRACKET)) return NULL;
    return l;
}

/* NAME or NAME[...] after the name token. */
static Node *name_ref(Parser *ps, Token *t) {
    if (peek_type(ps) == T_LBRACKET) {
        next_tok(ps);
        Node *subs = subscript_list(ps);
        if (!subs) return NULL;
        Node *n = mk_var(ps, N_INDEX, t->str, t->line);
        n->a = subs;
        return n;
    }
    return mk_var(ps, N_VAR, t->str, t->line);
}

/* The lvalue after getline: NAME, NAME[..] or $expr; NULL when none. */
static Node *opt_getline_var(Parser *ps) {
    int ty = peek_type(ps);
    if (ty == T_NAME) {
        Token t = next_tok(ps);
        return name_ref(ps, &t);
    }
    if (ty == T_DOLLAR) {
        Token t = next_tok(ps);
        Node *e;
        if (peek_type(ps) == T_INCR || peek_type(ps) == T_DECR) e = unary(ps);
        else e = primary(ps);
        if (!e) return NULL;
        return mk2(ps, N_FIELD, 0, e, NULL, t.line);
    }
    return NULL;
}

static Node *call_args(Parser *ps, int *count) {
    bool save = ps->in_print;
    int save_in = ps->no_in;
    ps->in_print = false;
    ps->no_in = 0;
    Node *args = NULL;
    *count = 0;
    opt_newlines(ps);
    if (peek_type(ps) != T_RPAREN) {
        args = expr_list(ps, count);
        if (!args) {
            if (!ps->err) syntax_error(ps);
            ps->in_print = save;
            return NULL;
        }
        opt_newlines(ps);
    }
    ps->in_print = save;
    ps->no_in = save_in;
    ps->rparen_pos = peek(ps)->pos;
    if (!expect(ps, T_RPAREN)) return NULL;
    return args ? args : mk(ps, N_NUM, 0); /* non-NULL marker for "no args" handled by count */
}

static const char *const builtin_names[B_COUNT] = {
    "length", "substr", "index", "split", "sub", "gsub", "match", "sprintf", "sin", "cos", "atan2", "exp", "log",
    "sqrt", "int", "rand", "srand", "tolower", "toupper", "system", "close", "fflush", "gensub", "patsplit",
    "strftime", "systime", "mktime", "asort", "asorti", "and", "or", "xor", "lshift", "rshift", "compl", "strtonum",
    "isarray", "typeof", "mkbool"};

/* Allowed argument counts of each builtin: min, max (-1 = any). */
static void builtin_arity(int id, int *lo, int *hi) {
    static const signed char t[B_COUNT][2] = {
        [B_LENGTH] = {0, 1}, [B_SUBSTR] = {2, 3}, [B_INDEX] = {2, 2}, [B_SPLIT] = {2, 4}, [B_SUB] = {2, 3},
        [B_GSUB] = {2, 3}, [B_MATCH] = {2, 3}, [B_SPRINTF] = {1, -1}, [B_SIN] = {1, 1}, [B_COS] = {1, 1},
        [B_ATAN2] = {2, 2}, [B_EXP] = {1, 1}, [B_LOG] = {1, 1}, [B_SQRT] = {1, 1}, [B_INT] = {1, 1},
        [B_RAND] = {0, 0}, [B_SRAND] = {0, 1}, [B_TOLOWER] = {1, 1}, [B_TOUPPER] = {1, 1}, [B_SYSTEM] = {1, 1},
        [B_CLOSE] = {1, 2}, [B_FFLUSH] = {0, 1}, [B_GENSUB] = {3, 4}, [B_PATSPLIT] = {2, 4},
        [B_STRFTIME] = {0, 3}, [B_SYSTIME] = {0, 0}, [B_MKTIME] = {1, 2}, [B_ASORT] = {1, 3},
        [B_ASORTI] = {1, 3}, [B_AND] = {2, -1}, [B_OR] = {2, -1}, [B_XOR] = {2, -1}, [B_LSHIFT] = {2, 2},
        [B_RSHIFT] = {2, 2}, [B_COMPL] = {1, 1}, [B_STRTONUM] = {1, 1}, [B_ISARRAY] = {1, 1},
        [B_TYPEOF] = {1, 2}, [B_MKBOOL] = {1, 1}};
    *lo = t[id][0];
    *hi = t[id][1];
}

static Node *builtin_call_node(Parser *ps, Token *t) {
    Node *n = mk(ps, N_BUILTIN, t->line);
    n->op = t->id;
    n->pos = t->pos;
    if (peek_type(ps) != T_LPAREN) {
        if (t->id == B_LENGTH) return n; /* length without parens: length($0) */
        syntax_error(ps);
        return NULL;
    }
    next_tok(ps);
    int count;
    Node *args = call_args(ps, &count);
    if (!args) return NULL;
    n->a = count ? args : NULL;
    n->num = count;
    int lo, hi;
    builtin_arity(t->id, &lo, &hi);
    if (count < lo || (hi >= 0 && count > hi)) {
        char msg[128];
        snprintf(msg, sizeof msg, "%d is invalid as number of arguments for %s", count, builtin_names[t->id]);
        syntax_error_at(ps, t->line, ps->rparen_pos, msg);
        return NULL;
    }
    return n;
}

static Node *grouping(Parser *ps, int line) {
    bool save = ps->in_print;
    int save_in = ps->no_in;
    ps->in_print = false;
    ps->no_in = 0;
    int count;
    Node *l = expr_list(ps, &count);
    ps->in_print = save;
    ps->no_in = save_in;
    if (!l) {
        if (!ps->err) syntax_error(ps);
        return NULL;
    }
    if (!expect(ps, T_RPAREN)) return NULL;
    Node *g = mk(ps, N_GROUP, line);
    g->a = l;
    g->num = count;
    return g;
}

static Node *primary(Parser *ps) {
    if (ps->pending) {
        Node *n = ps->pending;
        ps->pending = NULL;
        return n;
    }
    Token *pk = peek(ps);
    int line = pk->line;
    switch (pk->type) {
    case T_NUMBER: {
        Token t = next_tok(ps);
        Node *n = mk(ps, N_NUM, line);
        n->num = t.num;
        return n;
    }
    case T_STRING: {
        Token t = next_tok(ps);
        Node *n = mk(ps, N_STR, line);
        n->str = t.str;
        n->len = t.len;
        return n;
    }
    case T_ERE: {
        Token t = next_tok(ps);
        Node *n = mk(ps, N_REGEX, line);
        n->str = t.str;
        n->len = t.len;
        n->pos = t.pos;
        return n;
    }
    case T_LPAREN: {
        next_tok(ps);
        return grouping(ps, line);
    }
    case T_DOLLAR: {
        next_tok(ps);
        Node *e;
        int ty = peek_type(ps);
        if (ty == T_INCR || ty == T_DECR || ty == T_MINUS || ty == T_PLUS || ty == T_NOT) e = unary(ps);
        else e = primary(ps);
        if (!e) return NULL;
        return mk2(ps, N_FIELD, 0, e, NULL, line);
    }
    case T_INCR: case T_DECR: {
        Token t = next_tok(ps);
        Node *lv = primary(ps);
        if (!lv) return NULL;
        if (!is_lvalue(lv)) { syntax_error(ps); return NULL; }
        return mk2(ps, N_INCDEC, t.type == T_INCR ? 1 : 2, lv, NULL, line); /* 1 pre++, 2 pre-- */
    }
    case T_NAME: {
        Token t = next_tok(ps);
        return name_ref(ps, &t);
    }
    case T_FUNC_NAME: {
        Token t = next_tok(ps);
        next_tok(ps); /* ( */
        Node *n = mk(ps, N_CALL, line);
        n->name = t.str;
        n->pos = t.pos;
        n->func = func_index(ps, t.str, t.line, t.pos);
        int count;
        Node *args = call_args(ps, &count);
        if (!args) return NULL;
        n->a = count ? args : NULL;
        n->num = count;
        int argno = 1; /* a bare /re/ argument is matched against $0, as gawk warns */
        for (Node *arg = n->a; arg; arg = arg->next, argno++)
            if (arg->kind == N_REGEX) lex_warning(ps, "regexp constant for parameter #%d yields boolean value", argno);
        return n;
    }
    case T_BUILTIN: {
        Token t = next_tok(ps);
        return builtin_call_node(ps, &t);
    }
    case T_GETLINE: {
        next_tok(ps);
        Node *n = mk(ps, N_GETLINE, line);
        n->op = GL_MAIN;
        n->a = opt_getline_var(ps);
        if (ps->err) return NULL;
        if (peek_type(ps) == T_LT) {
            next_tok(ps);
            n->op = GL_FILE;
            n->b = primary(ps);
            /* allow `getline < "a" + 1`-style arithmetic? gawk takes a simple expression */
            if (!n->b) return NULL;
        } else {
            ps->p->reads_main = true;
        }
        return n;
    }
    case T_MINUS: case T_PLUS: case T_NOT:
        return unary(ps);
    default:
        syntax_error(ps);
        return NULL;
    }
}

static Node *postfix(Parser *ps) {
    Node *n = primary(ps);
    if (!n) return NULL;
    if (is_lvalue(n)) {
        int ty = peek_type(ps);
        if (ty == T_INCR || ty == T_DECR) {
            next_tok(ps);
            return mk2(ps, N_INCDEC, ty == T_INCR ? 3 : 4, n, NULL, n->line); /* 3 post++, 4 post-- */
        }
    }
    return n;
}

static Node *power(Parser *ps) {
    Node *base = postfix(ps);
    if (!base) return NULL;
    if (peek_type(ps) == T_CARET) {
        int line = peek(ps)->line;
        next_tok(ps);
        /* right associative; the exponent may carry a unary sign */
        Node *e;
        int ty = peek_type(ps);
        if (ty == T_MINUS || ty == T_PLUS || ty == T_NOT) e = unary(ps);
        else e = power(ps);
        if (!e) return NULL;
        return mk2(ps, N_BINARY, OP_POW, base, e, line);
    }
    return base;
}

static Node *unary(Parser *ps) {
    int ty = peek_type(ps);
    if (ty == T_NOT || ty == T_MINUS || ty == T_PLUS) {
        int line = peek(ps)->line;
        next_tok(ps);
        Node *e = unary(ps);
        if (!e) return NULL;
        return mk2(ps, ty == T_NOT ? N_NOT : ty == T_MINUS ? N_NEG : N_UPLUS, 0, e, NULL, line);
    }
    return power(ps);
}

static Node *multiplicative(Parser *ps) {
    Node *l = unary(ps);
    while (l) {
        int ty = peek_type(ps);
        int op = ty == T_STAR ? OP_MUL : ty == T_SLASH ? OP_DIV : ty == T_PERCENT ? OP_MOD : 0;
        if (!op) break;
        int line = peek(ps)->line;
        next_tok(ps);
        Node *r = unary(ps);
        if (!r) return NULL;
        l = mk2(ps, N_BINARY, op, l, r, line);
    }
    return l;
}

static Node *additive(Parser *ps) {
    Node *l = multiplicative(ps);
    while (l) {
        int ty = peek_type(ps);
        if (ty != T_PLUS && ty != T_MINUS) break;
        int line = peek(ps)->line;
        next_tok(ps);
        Node *r = multiplicative(ps);
        if (!r) return NULL;
        l = mk2(ps, N_BINARY, ty == T_PLUS ? OP_ADD : OP_SUB, l, r, line);
    }
    return l;
}

static bool starts_concat_operand(Parser *ps) {
    switch (peek_type(ps)) {
    case T_NAME: case T_FUNC_NAME: case T_BUILTIN: case T_NUMBER: case T_STRING: case T_ERE:
    case T_DOLLAR: case T_NOT: case T_LPAREN: case T_INCR: case T_DECR: case T_MINUS: case T_PLUS:
        return true;
    case T_IN:
        return false;
    default: return false;
    }
}

static Node *concat_level(Parser *ps) {
    Node *l = additive(ps);
    while (l && !ps->err) {
        int ty = peek_type(ps);
        if (ty == T_PIPE && peek_n(ps, 1)->type == T_GETLINE) {
            /* cmd | getline [var] */
            int line = peek(ps)->line;
            next_tok(ps);
            next_tok(ps);
            Node *g = mk(ps, N_GETLINE, line);
            g->op = GL_CMD;
            g->b = l;
            g->a = opt_getline_var(ps);
            if (ps->err) return NULL;
            l = g;
            continue;
        }
        if (!starts_concat_operand(ps) || ty == T_MINUS || ty == T_PLUS) break;
        if (ty == T_IN) break;
        Node *r = additive(ps);
        if (!r) return NULL;
        l = mk2(ps, N_CONCAT, 0, l, r, l->line);
    }
    return l;
}

static Node *relational(Parser *ps) {
    Node *l = concat_level(ps);
    if (!l) return NULL;
    int ty = peek_type(ps);
    int op = -1;
    switch (ty) {
    case T_LT: op = CMP_LT; break;
    case T_LE: op = CMP_LE; break;
    case T_GE: op = CMP_GE; break;
    case T_EQ: op = CMP_EQ; break;
    case T_NE: op = CMP_NE; break;
    case T_GT: if (!ps->in_print) op = CMP_GT; break;
    default: break;
    }
    if (op < 0) return l;
    int line = peek(ps)->line;
    next_tok(ps);
    Node *r = concat_level(ps);
    if (!r) return NULL;
    return mk2(ps, N_CMP, op, l, r, line);
}

static Node *match_level(Parser *ps) {
    Node *l = relational(ps);
    while (l) {
        int ty = peek_type(ps);
        if (ty != T_TILDE && ty != T_NOMATCH) break;
        int line = peek(ps)->line;
        next_tok(ps);
        Node *r = relational(ps);
        if (!r) return NULL;
        l = mk2(ps, N_MATCH, ty == T_NOMATCH, l, r, line);
    }
    return l;
}

static Node *in_level(Parser *ps) {
    Node *l = match_level(ps);
    while (l && !ps->no_in && peek_type(ps) == T_IN) {
        int line = peek(ps)->line;
        next_tok(ps);
        Token *t = peek(ps);
        if (t->type != T_NAME) { syntax_error(ps); return NULL; }
        Token nt = next_tok(ps);
        Node *n = mk_var(ps, N_IN, nt.str, line);
        n->a = l->kind == N_GROUP ? l->a : l;
        l = n;
    }
    if (l && l->kind == N_GROUP && l->num > 1 && !ps->in_print) {
        syntax_error(ps);
        return NULL;
    }
    return l;
}

static Node *and_level(Parser *ps) {
    Node *l = in_level(ps);
    while (l && peek_type(ps) == T_AND) {
        int line = peek(ps)->line;
        next_tok(ps);
        opt_newlines(ps);
        Node *r = in_level(ps);
        if (!r) return NULL;
        l = mk2(ps, N_AND, 0, l, r, line);
    }
    return l;
}

static Node *or_level(Parser *ps) {
    Node *l = and_level(ps);
    while (l && peek_type(ps) == T_OR) {
        int line = peek(ps)->line;
        next_tok(ps);
        opt_newlines(ps);
        Node *r = and_level(ps);
        if (!r) return NULL;
        l = mk2(ps, N_OR, 0, l, r, line);
    }
    return l;
}

static Node *ternary(Parser *ps) {
    Node *c = or_level(ps);
    if (!c || peek_type(ps) != T_QUESTION) return c;
    int line = peek(ps)->line;
    next_tok(ps);
    opt_newlines(ps);
    Node *t = expr(ps);
    if (!t) return NULL;
    opt_newlines(ps);
    if (!expect(ps, T_COLON)) return NULL;
    opt_newlines(ps);
    Node *f = expr(ps);
    if (!f) return NULL;
    Node *n = mk(ps, N_COND, line);
    n->a = c;
    n->b = t;
    n->c = f;
    return n;
}

static int assign_op(int ty) {
    switch (ty) {
    case T_ASSIGN: return OP_NONE;
    case T_ADD_ASSIGN: return OP_ADD;
    case T_SUB_ASSIGN: return OP_SUB;
    case T_MUL_ASSIGN: return OP_MUL;
    case T_DIV_ASSIGN: return OP_DIV;
    case T_MOD_ASSIGN: return OP_MOD;
    case T_POW_ASSIGN: return OP_POW;
    default: return -1;
    }
}

static Node *expr(Parser *ps) {
    Node *l = ternary(ps);
    if (!l) return NULL;
    int op = assign_op(peek_type(ps));
    if (op < 0) return l;
    if (!is_lvalue(l)) {
        if (l->kind == N_GROUP && l->num == 1 && is_lvalue(l->a)) l = l->a;
        else { syntax_error(ps); return NULL; }
    }
    int line = peek(ps)->line;
    next_tok(ps);
    opt_newlines(ps);
    Node *r = expr(ps);
    if (!r) return NULL;
    return mk2(ps, N_ASSIGN, op, l, r, line);
}

/* ---------------------------------------------------------------- statements */

static Node *statement(Parser *ps);
static Node *block(Parser *ps);

static bool at_stmt_end(Parser *ps) {
    int ty = peek_type(ps);
    return ty == T_SEMI || ty == T_NEWLINE || ty == T_RBRACE || ty == T_EOF;
}

/* After a simple statement: ; or newline (consumed), or } / EOF (left). */
static bool end_simple(Parser *ps) {
    int ty = peek_type(ps);
    if (ty == T_SEMI || ty == T_NEWLINE) {
        next_tok(ps);
        return true;
    }
    if (ty == T_RBRACE || ty == T_EOF) return true;
    syntax_error(ps);
    return false;
}

static bool print_list_end(Parser *ps) {
    int ty = peek_type(ps);
    return at_stmt_end(ps) || ty == T_GT || ty == T_APPEND || ty == T_PIPE;
}

static Node *print_stmt(Parser *ps, int kind, int line) {
    Node *n = mk(ps, kind, line);
    Node *args = NULL;
    int count = 0;
    ps->in_print = true;
    if (!print_list_end(ps)) {
        if (peek_type(ps) == T_LPAREN) {
            int gline = peek(ps)->line;
            next_tok(ps);
            Node *g = grouping(ps, gline);
            if (!g) { ps->in_print = false; return NULL; }
            if (print_list_end(ps)) {
                args = g->a;
                count = (int)g->num;
            } else {
                ps->pending = g;
                args = expr_list(ps, &count);
            }
        } else {
            args = expr_list(ps, &count);
        }
        if (!args) {
            ps->in_print = false;
            if (!ps->err) syntax_error(ps);
            return NULL;
        }
    }
    ps->in_print = false;
    n->a = args;
    n->num = count;
    int ty = peek_type(ps);
    if (ty == T_GT || ty == T_APPEND || ty == T_PIPE) {
        next_tok(ps);
        n->op = ty == T_GT ? R_FILE : ty == T_APPEND ? R_APPEND : R_PIPE;
        n->b = concat_level(ps);
        if (!n->b) {
            if (!ps->err) syntax_error(ps);
            return NULL;
        }
    }
    return n;
}

static Node *simple_statement(Parser *ps) {
    Token *t = peek(ps);
    int line = t->line;
    switch (t->type) {
    case T_PRINT: next_tok(ps); return print_stmt(ps, S_PRINT, line);
    case T_PRINTF: next_tok(ps); return print_stmt(ps, S_PRINTF, line);
    case T_NEXT: case T_NEXTFILE: {
        Token k = next_tok(ps);
        if (ps->rule_kind && ps->func < 0 &&
            (k.type == T_NEXT || strcmp(ps->rule_kind, "ENDFILE") != 0)) {
            perror_plain(ps, k.line, "error: `%s' used in %s action", k.type == T_NEXT ? "next" : "nextfile", ps->rule_kind);
            return NULL;
        }
        return mk(ps, k.type == T_NEXT ? S_NEXT : S_NEXTFILE, line);
    }
    case T_EXIT: {
        next_tok(ps);
        Node *n = mk(ps, S_EXIT, line);
        if (!at_stmt_end(ps)) {
            n->a = expr(ps);
            if (!n->a) return NULL;
        }
        return n;
    }
    case T_RETURN: {
        Token k = next_tok(ps);
        if (ps->func < 0) {
            syntax_error_at(ps, k.line, k.pos, "`return' used outside function context");
            return NULL;
        }
        Node *n = mk(ps, S_RETURN, line);
        if (!at_stmt_end(ps)) {
            n->a = expr(ps);
            if (!n->a) return NULL;
        }
        return n;
    }
    case T_BREAK: case T_CONTINUE: {
        Token k = next_tok(ps);
        if (k.type == T_BREAK ? (!ps->loops && !ps->switches) : !ps->loops) {
            /* gawk reports this twice */
            for (int i = 0; i < 2; i++)
                perror_plain(ps, k.line, "error: `%s' is not allowed outside a loop%s", k.type == T_BREAK ? "break" : "continue",
                             k.type == T_BREAK ? " or switch" : "");
            return NULL;
        }
        return mk(ps, k.type == T_BREAK ? S_BREAK : S_CONTINUE, line);
    }
    case T_DELETE: {
        next_tok(ps);
        if (peek_type(ps) == T_LPAREN && peek_n(ps, 1)->type == T_NAME && peek_n(ps, 2)->type == T_RPAREN) {
            next_tok(ps);
            Token nt = next_tok(ps);
            next_tok(ps);
            return mk_var(ps, S_DELETE, nt.str, line);
        }
        if (peek_type(ps) != T_NAME) { syntax_error(ps); return NULL; }
        Token nt = next_tok(ps);
        Node *n = mk_var(ps, S_DELETE, nt.str, line);
        if (peek_type(ps) == T_LBRACKET) {
            next_tok(ps);
            n->a = subscript_list(ps);
            if (!n->a) return NULL;
        }
        return n;
    }
    default: {
        Node *e = expr(ps);
        if (!e) return NULL;
        if (e->kind == N_GROUP && e->num == 1) e = e->a;
        Node *n = mk(ps, S_EXPR, line);
        n->a = e;
        return n;
    }
    }
}

static Node *simple_or_empty(Parser *ps, int endtok) {
    if (peek_type(ps) == endtok) return NULL;
    return simple_statement(ps);
}

static Node *for_statement(Parser *ps, int line) {
    if (!expect(ps, T_LPAREN)) return NULL;
    /* for (NAME in ARRAY) or for ((NAME) in ARRAY) */
    int off = peek_type(ps) == T_LPAREN ? 1 : 0;
    if (peek_n(ps, off)->type == T_NAME && peek_n(ps, off + 1)->type == (off ? T_RPAREN : T_IN) &&
        (!off || peek_n(ps, 3)->type == T_IN) && peek_n(ps, off ? 4 : 2)->type == T_NAME &&
        peek_n(ps, off ? 5 : 3)->type == T_RPAREN) {
        if (off) next_tok(ps);
        Token var = next_tok(ps);
        if (off) next_tok(ps);
        next_tok(ps); /* in */
        Token arr = next_tok(ps);
        next_tok(ps); /* ) */
        Node *n = mk_var(ps, S_FORIN, arr.str, line);
        Token vt = var;
        n->a = mk_var(ps, N_VAR, vt.str, vt.line);
        opt_newlines(ps);
        ps->loops++;
        n->b = statement(ps);
        ps->loops--;
        if (ps->err) return NULL;
        return n;
    }
    Node *n = mk(ps, S_FOR, line);
    n->a = simple_or_empty(ps, T_SEMI);
    if (ps->err || !expect(ps, T_SEMI)) return NULL;
    opt_newlines(ps);
    if (peek_type(ps) != T_SEMI) {
        n->b = expr(ps);
        if (!n->b) return NULL;
    }
    if (!expect(ps, T_SEMI)) return NULL;
    opt_newlines(ps);
    n->c = simple_or_empty(ps, T_RPAREN);
    if (ps->err || !expect(ps, T_RPAREN)) return NULL;
    opt_newlines(ps);
    ps->loops++;
    n->d = statement(ps);
    ps->loops--;
    return ps->err ? NULL : n;
}

static Node *switch_statement(Parser *ps, int line) {
    if (!expect(ps, T_LPAREN)) return NULL;
    Node *n = mk(ps, S_SWITCH, line);
    n->a = expr(ps);
    if (!n->a || !expect(ps, T_RPAREN)) return NULL;
    opt_newlines(ps);
    if (!expect(ps, T_LBRACE)) return NULL;
    Node *tail = NULL;
    ps->switches++;
    bool have_default = false;
    for (;;) {
        while (peek_type(ps) == T_NEWLINE || peek_type(ps) == T_SEMI) next_tok(ps);
        if (accept(ps, T_RBRACE)) break;
        Token ct = next_tok(ps);
        Node *c = mk(ps, S_CASE, ct.line);
        if (ct.type == T_CASE) {
            int neg = 0;
            if (peek_type(ps) == T_MINUS) { next_tok(ps); neg = 1; }
            Token v = next_tok(ps);
            if (v.type == T_NUMBER) {
                c->a = mk(ps, N_NUM, v.line);
                c->a->num = neg ? -v.num : v.num;
            } else if (v.type == T_STRING && !neg) {
                c->a = mk(ps, N_STR, v.line);
                c->a->str = v.str;
                c->a->len = v.len;
            } else if (v.type == T_ERE && !neg) {
                c->a = mk(ps, N_REGEX, v.line);
                c->a->str = v.str;
                c->a->len = v.len;
                c->a->pos = v.pos;
            } else {
                syntax_error_at(ps, v.line, v.pos, "syntax error");
                ps->switches--;
                return NULL;
            }
        } else if (ct.type == T_DEFAULT) {
            if (have_default) {
                perror_plain(ps, ct.line, "error: duplicate `default' detected in switch body");
                ps->switches--;
                return NULL;
            }
            have_default = true;
        } else {
            syntax_error_at(ps, ct.line, ct.pos, "syntax error");
            ps->switches--;
            return NULL;
        }
        if (!expect(ps, T_COLON)) { ps->switches--; return NULL; }
        Node *stail = NULL;
        for (;;) {
            while (peek_type(ps) == T_NEWLINE || peek_type(ps) == T_SEMI) next_tok(ps);
            int ty = peek_type(ps);
            if (ty == T_CASE || ty == T_DEFAULT || ty == T_RBRACE || ty == T_EOF) break;
            Node *s = statement(ps);
            if (ps->err) { ps->switches--; return NULL; }
            if (!s) continue;
            if (stail) stail->next = s;
            else c->b = s;
            stail = s;
        }
        if (tail) tail->next = c;
        else n->b = c;
        tail = c;
    }
    ps->switches--;
    return n;
}

/* A statement, or NULL for an empty one (check ps->err). */
static Node *statement(Parser *ps) {
    while (peek_type(ps) == T_NEWLINE) next_tok(ps);
    Token *t = peek(ps);
    int line = t->line;
    switch (t->type) {
    case T_LBRACE: return block(ps);
    case T_SEMI: next_tok(ps); return NULL;
    case T_IF: {
        next_tok(ps);
        if (!expect(ps, T_LPAREN)) return NULL;
        Node *n = mk(ps, S_IF, line);
        n->a = expr(ps);
        if (!n->a || !expect(ps, T_RPAREN)) return NULL;
        opt_newlines(ps);
        n->b = statement(ps);
        if (ps->err) return NULL;
        /* else may follow after newlines / a semicolon */
        int k = 0;
        while (peek_n(ps, k)->type == T_NEWLINE || peek_n(ps, k)->type == T_SEMI) {
            if (k >= 2) break;
            k++;
        }
        if (peek_n(ps, k)->type == T_ELSE) {
            while (k-- > 0) next_tok(ps);
            next_tok(ps);
            opt_newlines(ps);
            n->c = statement(ps);
            if (ps->err) return NULL;
        }
        return n;
    }
    case T_WHILE: {
        next_tok(ps);
        if (!expect(ps, T_LPAREN)) return NULL;
        Node *n = mk(ps, S_WHILE, line);
        n->a = expr(ps);
        if (!n->a || !expect(ps, T_RPAREN)) return NULL;
        if (peek_type(ps) == T_SEMI) {
            next_tok(ps);
            return n;
        }
        opt_newlines(ps);
        ps->loops++;
        n->b = statement(ps);
        ps->loops--;
        return ps->err ? NULL : n;
    }
    case T_DO: {
        next_tok(ps);
        opt_newlines(ps);
        Node *n = mk(ps, S_DO, line);
        ps->loops++;
        n->b = statement(ps);
        ps->loops--;
        if (ps->err) return NULL;
        while (peek_type(ps) == T_NEWLINE || peek_type(ps) == T_SEMI) next_tok(ps);
        if (!expect(ps, T_WHILE) || !expect(ps, T_LPAREN)) return NULL;
        n->a = expr(ps);
        if (!n->a || !expect(ps, T_RPAREN)) return NULL;
        if (!end_simple(ps)) return NULL;
        return n;
    }
    case T_FOR: next_tok(ps); return for_statement(ps, line);
    case T_SWITCH: next_tok(ps); return switch_statement(ps, line);
    default: {
        Node *n = simple_statement(ps);
        if (!n || !end_simple(ps)) return NULL;
        return n;
    }
    }
}

static Node *block(Parser *ps) {
    int line = peek(ps)->line;
    if (!expect(ps, T_LBRACE)) return NULL;
    Node *n = mk(ps, S_BLOCK, line);
    Node *tail = NULL;
    for (;;) {
        while (peek_type(ps) == T_NEWLINE || peek_type(ps) == T_SEMI) next_tok(ps);
        if (peek_type(ps) == T_RBRACE) {
            next_tok(ps);
            break;
        }
        if (peek_type(ps) == T_EOF) {
            syntax_error(ps);
            return NULL;
        }
        Node *s = statement(ps);
        if (ps->err) return NULL;
        if (!s) continue;
        if (tail) tail->next = s;
        else n->a = s;
        tail = s;
    }
    return n;
}

/* ---------------------------------------------------------------- program */

static void append_rule(Node **head, Node **tail, Node *rule) {
    if (*tail) (*tail)->next = rule;
    else *head = rule;
    *tail = rule;
}

static bool function_def(Parser *ps) {
    Token ft = next_tok(ps);
    Token nt = next_tok(ps);
    if (nt.type != T_NAME && nt.type != T_FUNC_NAME) {
        if (nt.type == T_BUILTIN) {
            char msg[128];
            snprintf(msg, sizeof msg, "`%s' is a built-in function, it cannot be redefined", nt.str);
            syntax_error_at(ps, nt.line, nt.pos, msg);
        } else
            syntax_error_at(ps, nt.line, nt.pos, "syntax error");
        return false;
    }
    int fi = func_index(ps, nt.str, nt.line, nt.pos);
    Func *f = &ps->p->funcs[fi];
    if (f->defined) {
        perror_plain(ps, nt.line, "error: function name `%s' previously defined", nt.str);
        return false;
    }
    (void)ft;
    if (!expect(ps, T_LPAREN)) return false;
    opt_newlines(ps);
    char **names = NULL;
    int n = 0;
    while (peek_type(ps) == T_NAME) {
        Token pt = next_tok(ps);
        for (int i = 0; i < n; i++) {
            if (!strcmp(names[i], pt.str)) {
                perror_plain(ps, pt.line, "error: function `%s': parameter #%d, `%s', duplicates parameter #%d", nt.str, n + 1, pt.str, i + 1);
                for (int k = 0; k < n; k++) free(names[k]);
                free(names);
                return false;
            }
        }
        if (!strcmp(pt.str, nt.str)) {
            perror_plain(ps, pt.line, "error: function `%s': cannot use function name as parameter name", nt.str);
            for (int k = 0; k < n; k++) free(names[k]);
            free(names);
            return false;
        }
        names = xrealloc(names, (size_t)(n + 1) * sizeof *names);
        names[n++] = xstrdup(pt.str);
        opt_newlines(ps);
        if (!accept(ps, T_COMMA)) break;
        opt_newlines(ps);
    }
    f = &ps->p->funcs[fi];
    f->pnames = names;
    f->nparams = n;
    f->defined = true;
    f->line = nt.line;
    if (!expect(ps, T_RPAREN)) return false;
    opt_newlines(ps);
    ps->func = fi;
    Node *body = block(ps);
    ps->func = -1;
    f = &ps->p->funcs[fi];
    f->body = body;
    return !ps->err;
}

static bool item(Parser *ps) {
    Token *t = peek(ps);
    int line = t->line;
    int ty = t->type;
    if (ty == T_FUNCTION) return function_def(ps);
    if (ty == T_BEGIN || ty == T_END || ty == T_BEGINFILE || ty == T_ENDFILE) {
        Token k = next_tok(ps);
        if (peek_type(ps) != T_LBRACE) {
            const char *nm = ty == T_BEGIN ? "BEGIN" : ty == T_END ? "END" : ty == T_BEGINFILE ? "BEGINFILE" : "ENDFILE";
            perror_plain(ps, k.line, "error: %s blocks must have an action part", nm);
            return false;
        }
        ps->rule_kind = ty == T_BEGIN ? "BEGIN" : ty == T_END ? "END" : ty == T_BEGINFILE ? "BEGINFILE" : "ENDFILE";
        Node *b = block(ps);
        ps->rule_kind = NULL;
        if (!b) return false;
        if (ty == T_BEGIN) append_rule(&ps->begin, &ps->begin_tail, b);
        else if (ty == T_END) append_rule(&ps->end, &ps->end_tail, b);
        else if (ty == T_BEGINFILE) append_rule(&ps->bfile, &ps->bfile_tail, b);
        else append_rule(&ps->efile, &ps->efile_tail, b);
        return true;
    }
    Node *rule = mk(ps, S_BLOCK, line); /* a: pattern, b: range end, c: action */
    rule->op = 0;
    if (ty != T_LBRACE) {
        rule->a = expr(ps);
        if (!rule->a) {
            if (!ps->err) syntax_error(ps);
            return false;
        }
        if (accept(ps, T_COMMA)) {
            opt_newlines(ps);
            rule->b = expr(ps);
            if (!rule->b) return false;
            rule->op = 1;
        }
    }
    if (peek_type(ps) == T_LBRACE) {
        rule->c = block(ps);
        if (!rule->c) return false;
    } else if (!rule->a) {
        syntax_error(ps);
        return false;
    }
    append_rule(&ps->main, &ps->main_tail, rule);
    return true;
}

static void arena_free(ArenaBlock *b) {
    while (b) {
        ArenaBlock *n = b->next;
        free(b);
        b = n;
    }
}

bool awk_parse(Awk *a, Prog *p) {
    Parser ps;
    memset(&ps, 0, sizeof ps);
    ps.a = a;
    ps.p = p;
    ps.src = p->text;
    ps.len = p->textlen;
    ps.line = 1;
    ps.prev = T_NEWLINE;
    ps.func = -1;
    for (;;) {
        while (peek_type(&ps) == T_NEWLINE || peek_type(&ps) == T_SEMI) next_tok(&ps);
        if (ps.err) break;
        if (peek_type(&ps) == T_EOF) break;
        if (!item(&ps)) break;
        if (ps.err) break;
        int ty = peek_type(&ps);
        if (ty != T_NEWLINE && ty != T_SEMI && ty != T_EOF && ty != T_FUNCTION && ty != T_BEGIN && ty != T_END &&
            ty != T_LBRACE && ty != T_BEGINFILE && ty != T_ENDFILE) {
            /* gawk accepts rules on one line without separators only after a } */
            if (!(p->text[ps.la[0].pos > 0 ? ps.la[0].pos - 1 : 0] == '}' || true)) {
                syntax_error(&ps);
                break;
            }
        }
    }
    bool ok = !ps.err;
    if (ok) {
        for (int i = 0; i < p->nfuncs; i++) {
            if (!p->funcs[i].defined) {
                StrBuf b;
                sb_init(&b);
                awk_prog_where(a, &b, p->funcs[i].line);
                sb_printf(&b, "fatal: function `%s' not defined\n", p->funcs[i].name);
                uc_write(a->c, 2, b.s, b.len);
                sb_free(&b);
                ok = false;
                a->exit_status = 2;
                break;
            }
        }
    }
    if (ok) {
        for (size_t i = 0; i < ps.nused; i++) {
            int fi = find_func(p, ps.used_names[i]);
            if (fi >= 0) {
                StrBuf b;
                sb_init(&b);
                awk_prog_where(a, &b, ps.used_lines[i]);
                sb_printf(&b, "error: function `%s' called with space between name and `(',\nor used as a variable or an array\n",
                          ps.used_names[i]);
                uc_write(a->c, 2, b.s, b.len);
                sb_free(&b);
                ok = false;
                break;
            }
        }
    }
    if (ok) ok = awk_compile(a, p, ps.begin, ps.main, ps.end, ps.bfile, ps.efile);
    else if (!a->exit_status) a->exit_status = 1;
    for (size_t i = 0; i < ps.nused; i++) free(ps.used_names[i]);
    free(ps.used_names);
    free(ps.used_lines);
    for (int i = 0; i < p->nfuncs; i++) p->funcs[i].body = NULL;
    arena_free(ps.arena);
    return ok;
}
