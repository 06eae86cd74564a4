/* parse.c - the lexer and recursive-descent parser for bash's grammar.
 *
 * Words are scanned with full knowledge of quoting and of nested $( ), ${ },
 * $(( )) and backquotes (a nested command substitution is found by parsing
 * it, so `case` patterns and quotes inside it are handled), and stored as raw
 * text for the expander. Keywords are recognised only in command position. */
#include "ast.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef enum {
    T_EOF, T_NEWLINE, T_WORD, T_SEMI, T_AMP, T_PIPE, T_PIPEAMP, T_ANDIF, T_ORIF,
    T_DSEMI, T_SEMIAND, T_DSEMIAND, T_LPAREN, T_RPAREN, T_REDIR,
} TokKind;

typedef struct Token {
    TokKind kind;
    const char *text;  /* T_WORD: raw text (arena) */
    size_t start, end; /* source span */
    int line;
    RedirOp rop;
    int rfd;
    const char *rvar;
    bool strip_tabs; /* <<- */
} Token;

typedef struct PendingHeredoc {
    Redir *r;
    char *delim;
    bool strip_tabs;
    int line;
} PendingHeredoc;

struct Parser {
    Arena *arena;
    const char *src;
    size_t len, pos;
    int line;
    ParserHooks hooks;
    Token tok;
    bool have_tok;
    bool error;
    StrBuf err;
    StrBuf warnings;
    int err_line;
    PendingHeredoc *hd;
    int nhd, hdcap;
    int depth;
    bool cond_mode; /* lexing inside [[ ]] */
    bool scanning;  /* a throwaway parser that only finds where $( ) ends */
    bool cond_error; /* the error is inside [[ ]] */
    bool err_recoverable; /* the error is in an a=(...) list: bash goes on at the next line */
    size_t err_pos;       /* ... and the offset just past the offending token */
    int base_depth;       /* depth at the start of the command parser_next is parsing */
    int alias_depth;
    char *alias_buf; /* source replaced by alias expansion (owned) */
    const char *alias_active[16]; /* aliases expanded at this command position */
    size_t alias_end;             /* end of the latest alias text in src */
    bool alias_next;              /* the latest alias ended in a blank: try the next word too */
};

static Node *parse_list(Parser *p, bool top);
static Node *parse_command(Parser *p);
static bool try_alias(Parser *p);
static bool inner_syntax_error(Parser *p, size_t body);
static void lex(Parser *p, Token *t);
static void unexpected(Parser *p, const Token *t);

/* ---------- helpers ---------- */

bool is_name(const char *s, size_t n) {
    if (n == 0 || !(isalpha((unsigned char)s[0]) || s[0] == '_')) return false;
    for (size_t i = 1; i < n; i++)
        if (!(isalnum((unsigned char)s[i]) || s[i] == '_')) return false;
    return true;
}

size_t assignment_prefix_len(const char *w) {
    size_t i = 0;
    if (!(isalpha((unsigned char)w[0]) || w[0] == '_')) return 0;
    while (isalnum((unsigned char)w[i]) || w[i] == '_') i++;
    if (w[i] == '[') {
        int depth = 0;
        for (; w[i]; i++) {
            if (w[i] == '\\' && w[i + 1]) { i++; continue; }
            if (w[i] == '[') depth++;
            else if (w[i] == ']' && --depth == 0) break;
        }
        if (w[i] != ']') return 0;
        i++;
    }
    if (w[i] == '+' && w[i + 1] == '=') return i + 2;
    if (w[i] == '=') return i + 1;
    return 0;
}

static bool is_meta(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '&' || c == '|' ||
           c == '<' || c == '>' || c == '(' || c == ')';
}

static void set_error(Parser *p, int line, const char *fmt, const char *arg) {
    if (p->error) return;
    p->error = true;
    p->err_line = line;
    sb_printf(&p->err, "line %d: ", line);
    sb_printf(&p->err, fmt, arg);
}

/* The text of the source line containing offset `at`, for bash's second
 * error line. */
static void append_source_line(Parser *p, size_t at, int line) {
    size_t s = at > p->len ? p->len : at, e = s;
    while (s > 0 && p->src[s - 1] != '\n') s--;
    while (e < p->len && p->src[e] != '\n') e++;
    sb_printf(&p->err, "\nline %d: `", line);
    sb_put(&p->err, p->src + s, e - s);
    sb_putc(&p->err, '\'');
}

static const char *tok_text(Parser *p, const Token *t, StrBuf *tmp) {
    sb_clear(tmp);
    switch (t->kind) {
    case T_EOF: return NULL;
    case T_NEWLINE: return "newline";
    default: sb_put(tmp, p->src + t->start, t->end - t->start); return sb_cstr(tmp);
    }
}

static void unexpected(Parser *p, const Token *t) {
    if (p->error) return;
    StrBuf tmp;
    sb_init(&tmp);
    const char *txt = tok_text(p, t, &tmp);
    if (!txt) {
        set_error(p, p->line, "syntax error: unexpected end of file%s", "");
    } else {
        set_error(p, t->line, "syntax error near unexpected token `%s'", txt);
        append_source_line(p, t->start, t->line);
    }
    sb_free(&tmp);
}

/* ---------- scanning nested constructs ---------- */

static long skip_squote(const char *s, size_t len, size_t i) {
    for (i++; i < len; i++)
        if (s[i] == '\'') return (long)i;
    return -1;
}

static long skip_ansi(const char *s, size_t len, size_t i) { /* at the ' of $' */
    for (i++; i < len; i++) {
        if (s[i] == '\\') { i++; continue; }
        if (s[i] == '\'') return (long)i;
    }
    return -1;
}

static long skip_dquote(const char *s, size_t len, size_t i, int depth);
static long scan_brace_param_end_d(const char *s, size_t len, size_t i, int depth);
static long scan_arith_end_d(const char *s, size_t len, size_t i, int depth);
static long scan_cmdsubst_end_d(const char *s, size_t len, size_t i, int depth);

/* Nested $( ${ $(( ".." constructs beyond this depth are refused: the scanners
 * recurse, and a wasm stack is small. */
#define MAX_NESTING 600

/* Skips a $-construct starting at s[i] == '$'; returns index of its last char. */
static long skip_dollar(const char *s, size_t len, size_t i, int depth) {
    if (depth > MAX_NESTING) return -1;
    if (i + 1 >= len) return (long)i;
    char c = s[i + 1];
    if (c == '(') {
        if (i + 2 < len && s[i + 2] == '(') {
            long e = scan_arith_end_d(s, len, i + 3, depth + 1);
            if (e >= 0) return e;
        }
        return scan_cmdsubst_end_d(s, len, i + 2, depth + 1);
    }
    if (c == '{') return scan_brace_param_end_d(s, len, i + 2, depth + 1);
    if (c == '[') {
        int depth = 0;
        for (size_t k = i + 1; k < len; k++) {
            if (s[k] == '[') depth++;
            else if (s[k] == ']' && --depth == 0) return (long)k;
        }
        return (long)i;
    }
    if (c == '\'') return skip_ansi(s, len, i + 1);
    if (c == '"') return skip_dquote(s, len, i + 1, depth + 1);
    return (long)i;
}

static long skip_dquote(const char *s, size_t len, size_t i, int depth) {
    if (depth > MAX_NESTING) return -1;
    for (i++; i < len; i++) {
        char c = s[i];
        if (c == '\\') { i++; continue; }
        if (c == '"') return (long)i;
        if (c == '$' && i + 1 < len && (s[i + 1] == '(' || s[i + 1] == '{')) {
            long e = skip_dollar(s, len, i, depth + 1);
            if (e < 0) return -1;
            i = (size_t)e;
        } else if (c == '`') {
            long e = scan_backquote_end(s, len, i + 1);
            if (e < 0) return -1;
            i = (size_t)e;
        }
    }
    return -1;
}

long scan_backquote_end(const char *s, size_t len, size_t i) {
    for (; i < len; i++) {
        if (s[i] == '\\') { i++; continue; }
        if (s[i] == '`') return (long)i;
    }
    return -1;
}

long scan_brace_param_end(const char *s, size_t len, size_t i) { return scan_brace_param_end_d(s, len, i, 0); }

static long scan_brace_param_end_d(const char *s, size_t len, size_t i, int nest) {
    if (nest > MAX_NESTING) return -1;
    int depth = 1;
    for (; i < len; i++) {
        char c = s[i];
        long e;
        switch (c) {
        case '\\': i++; break;
        case '\'': e = skip_squote(s, len, i); if (e < 0) return -1; i = (size_t)e; break;
        case '"': e = skip_dquote(s, len, i, nest + 1); if (e < 0) return -1; i = (size_t)e; break;
        case '`': e = scan_backquote_end(s, len, i + 1); if (e < 0) return -1; i = (size_t)e; break;
        case '$': e = skip_dollar(s, len, i, nest + 1); if (e < 0) return -1; i = (size_t)e; break;
        case '{': depth++; break;
        case '}': if (--depth == 0) return (long)i; break;
        default: break;
        }
    }
    return -1;
}

/* $(( ... )): balanced parentheses, closing with "))". Returns the index of
 * the final ')' or -1 when this is not arithmetic (e.g. $((a);(b))). */
long scan_arith_end(const char *s, size_t len, size_t i) { return scan_arith_end_d(s, len, i, 0); }

static long scan_arith_end_d(const char *s, size_t len, size_t i, int nest) {
    if (nest > MAX_NESTING) return -1;
    int depth = 0;
    for (; i < len; i++) {
        char c = s[i];
        long e;
        switch (c) {
        case '\\': i++; break;
        case '\'': e = skip_squote(s, len, i); if (e < 0) return -1; i = (size_t)e; break;
        case '"': e = skip_dquote(s, len, i, nest + 1); if (e < 0) return -1; i = (size_t)e; break;
        case '`': e = scan_backquote_end(s, len, i + 1); if (e < 0) return -1; i = (size_t)e; break;
        case '$': e = skip_dollar(s, len, i, nest + 1); if (e < 0) return -1; i = (size_t)e; break;
        case '(': depth++; break;
        case ')':
            if (depth > 0) { depth--; break; }
            if (i + 1 < len && s[i + 1] == ')') return (long)i + 1;
            return -1;
        default: break;
        }
    }
    return -1;
}

/* $( ... ): parse the inside as a command list ending at ')'. */
long scan_cmdsubst_end(const char *s, size_t len, size_t i) { return scan_cmdsubst_end_d(s, len, i, 0); }

static long scan_cmdsubst_end_d(const char *s, size_t len, size_t i, int nest) {
    if (nest > MAX_NESTING) return -1;
    Arena *a = arena_new();
    Parser *p = parser_new(a, s, len, 1, NULL);
    p->pos = i;
    p->depth = nest + 1;
    p->scanning = true;
    long result = -1;
    parse_list(p, false);
    if (!p->error) {
        /* parse_list stopped at a token it does not take: must be ')' */
        if (p->have_tok && p->tok.kind == T_RPAREN) result = (long)p->tok.start;
    }
    parser_free(p);
    arena_unref(a);
    return result;
}

/* ---------- the lexer ---------- */

static bool at(Parser *p, size_t i, char c) { return i < p->len && p->src[i] == c; }

static void skip_blanks(Parser *p) {
    for (;;) {
        while (p->pos < p->len && (p->src[p->pos] == ' ' || p->src[p->pos] == '\t')) p->pos++;
        if (at(p, p->pos, '\\') && at(p, p->pos + 1, '\n')) {
            p->pos += 2;
            p->line++;
            continue;
        }
        if (at(p, p->pos, '#')) {
            while (p->pos < p->len && p->src[p->pos] != '\n') p->pos++;
        }
        return;
    }
}

static void count_lines(Parser *p, size_t from, size_t to) {
    for (size_t i = from; i < to && i < p->len; i++)
        if (p->src[i] == '\n') p->line++;
}

/* Copies a span of source into a word buffer, dropping backslash-newlines. */
static void put_span(StrBuf *w, const char *s, size_t from, size_t to) {
    for (size_t i = from; i < to; i++) {
        if (s[i] == '\\' && i + 1 < to && s[i + 1] == '\n') { i++; continue; }
        sb_putc(w, s[i]);
    }
}

static bool eof_in(Parser *p, const char *what, int line) {
    if (!p->error) {
        p->error = true;
        p->err_line = line;
        sb_printf(&p->err, "line %d: unexpected EOF while looking for matching `%s'", line, what);
    }
    return false;
}

/* Scans one construct inside a word at p->pos, appending it to w.
 * Returns false on an unterminated construct. */
static bool scan_word_part(Parser *p, StrBuf *w) {
    const char *s = p->src;
    size_t i = p->pos;
    char c = s[i];
    long e;
    if (c == '\\') {
        if (i + 1 >= p->len) { sb_putc(w, c); p->pos++; return true; }
        if (s[i + 1] == '\n') { p->pos += 2; p->line++; return true; }
        sb_put(w, s + i, 2);
        p->pos += 2;
        return true;
    }
    if (c == '\'') {
        e = skip_squote(s, p->len, i);
        if (e < 0) return eof_in(p, "'", p->line);
    } else if (c == '"') {
        e = skip_dquote(s, p->len, i, p->depth);
        if (e < 0) return eof_in(p, "\"", p->line);
    } else if (c == '`') {
        e = scan_backquote_end(s, p->len, i + 1);
        if (e < 0) return eof_in(p, "`", p->line);
    } else if (c == '$') {
        e = skip_dollar(s, p->len, i, p->depth);
        if (e < 0) {
            const char *what = at(p, i + 1, '{') ? "}" : at(p, i + 1, '\'') ? "'" : at(p, i + 1, '"') ? "\"" : ")";
            int line = p->line;
            bool arith = at(p, i + 1, '(') && at(p, i + 2, '(');
            if (what[0] == ')' && !arith && !p->scanning && inner_syntax_error(p, i + 2)) return false;
            count_lines(p, i, p->len);
            return eof_in(p, what, what[0] == ')' && !arith ? p->line : line);
        }
    } else {
        sb_putc(w, c);
        p->pos++;
        return true;
    }
    if (c == '\'' || (c == '$' && s[i + 1] == '\'')) sb_put(w, s + i, (size_t)e + 1 - i);
    else put_span(w, s, i, (size_t)e + 1);
    count_lines(p, i, (size_t)e + 1);
    p->pos = (size_t)e + 1;
    return true;
}

/* $( ... ) that did not close: if its body has a syntax error of its own,
 * report that one (as bash does) instead of a missing `)'. */
static bool inner_syntax_error(Parser *p, size_t body) {
    Arena *a = arena_new();
    Parser *q = parser_new(a, p->src, p->len, p->line, &p->hooks);
    q->pos = body;
    q->depth = p->depth + 1;
    q->scanning = true;
    parse_list(q, false);
    bool own = q->error && !strstr(sb_cstr(&q->err), "end of file") && !strstr(sb_cstr(&q->err), "unexpected EOF");
    if (own && !p->error) {
        p->error = true;
        p->err_line = q->err_line;
        p->err_recoverable = q->err_recoverable;
        p->err_pos = q->err_pos;
        sb_puts(&p->err, sb_cstr(&q->err));
    }
    parser_free(q);
    arena_unref(a);
    return own;
}

/* Whether an unquoted c at the top level of an a=(...) list is an operator
 * bash rejects there: ; & | and redirections, and a ( that does not open a
 * process substitution or (with extglob on) an extglob group. */
static bool array_list_operator(Parser *p, const StrBuf *w, char c) {
    char prev = w->len ? w->s[w->len - 1] : 0;
    if (c == ';' || c == '&' || c == '|') return true;
    if (c == '<' || c == '>') return !at(p, p->pos + 1, '(');
    if (c != '(') return false;
    if (prev == '<' || prev == '>') return false;
    return !(prev && strchr("?*+@!", prev) && p->hooks.extglob && p->hooks.extglob(p->hooks.ctx));
}

/* The operator at p->pos as a syntax error ("near unexpected token `;'").
 * bash reports it from the assignment, not the grammar, so the error only
 * discards the rest of its line (parser_recover). */
static bool unexpected_here(Parser *p) {
    Token t;
    lex(p, &t);
    bool first = !p->error;
    unexpected(p, &t);
    if (first) {
        p->err_recoverable = true;
        p->err_pos = t.end;
    }
    return false;
}

/* A balanced (...) group inside a word: extglob patterns and a=(...) lists
 * (array: the list's own top level holds words only). */
static bool scan_paren_group(Parser *p, StrBuf *w, bool array) {
    int depth = 0;
    while (p->pos < p->len) {
        char c = p->src[p->pos];
        if (array && depth == 1 && array_list_operator(p, w, c)) return unexpected_here(p);
        if (c == '(') { depth++; sb_putc(w, c); p->pos++; continue; }
        if (c == ')') {
            sb_putc(w, c);
            p->pos++;
            if (--depth == 0) return true;
            continue;
        }
        if (c == '\n') p->line++;
        if (c == '#' && depth > 0 && (w->len == 0 || isspace((unsigned char)w->s[w->len - 1]))) {
            while (p->pos < p->len && p->src[p->pos] != '\n') p->pos++;
            continue;
        }
        if (c == '\\' || c == '\'' || c == '"' || c == '`' || c == '$') {
            if (!scan_word_part(p, w)) return false;
            continue;
        }
        sb_putc(w, c);
        p->pos++;
    }
    return eof_in(p, ")", p->line);
}

/* [KEY] at the start of a word in an a=(...) list, through its matching ]
 * (quotes and expansions inside as in any word). False, with w and p->pos
 * to be restored by the caller, when the line ends first. */
static bool scan_list_subscript(Parser *p, StrBuf *w) {
    int depth = 0;
    while (p->pos < p->len && p->src[p->pos] != '\n') {
        char c = p->src[p->pos];
        if (c == '\\' || c == '\'' || c == '"' || c == '`' || c == '$') {
            if (!scan_word_part(p, w)) return false;
            continue;
        }
        sb_putc(w, c);
        p->pos++;
        if (c == '[') depth++;
        else if (c == ']' && --depth == 0) return true;
    }
    return false;
}

static bool scan_word(Parser *p, StrBuf *w) {
    if (p->hooks.array_list && p->pos < p->len && p->src[p->pos] == '[') {
        size_t pos = p->pos;
        int line = p->line;
        if (!scan_list_subscript(p, w) && !p->error) {
            p->pos = pos;
            p->line = line;
            sb_clear(w);
        }
    }
    while (p->pos < p->len) {
        char c = p->src[p->pos];
        if (p->cond_mode && (c == '<' || c == '>') ) {
            if (w->len) break;
            sb_putc(w, c);
            p->pos++;
            return true;
        }
        if (c == '(' && w->len > 0) {
            char prev = w->s[w->len - 1];
            /* [[ ]] always parses extglob groups, as bash does */
            bool extglob = strchr("?*+@!", prev) != NULL &&
                           (p->cond_mode || !p->hooks.extglob || p->hooks.extglob(p->hooks.ctx));
            bool array = (prev == '=' && assignment_prefix_len(sb_cstr(w)) == w->len);
            if (extglob || array) {
                if (!scan_paren_group(p, w, array && !extglob)) return false;
                continue;
            }
        }
        if ((c == '<' || c == '>') && at(p, p->pos + 1, '(') && !p->cond_mode) {
            long e = scan_cmdsubst_end_d(p->src, p->len, p->pos + 2, p->depth);
            if (e < 0) return eof_in(p, ")", p->line);
            put_span(w, p->src, p->pos, (size_t)e + 1);
            count_lines(p, p->pos, (size_t)e + 1);
            p->pos = (size_t)e + 1;
            continue;
        }
        if (is_meta(c)) break;
        if (!scan_word_part(p, w)) return false;
    }
    return true;
}

static bool lex_redirect(Parser *p, Token *t) {
    const char *s = p->src;
    size_t i = p->pos;
    char c = s[i], n1 = i + 1 < p->len ? s[i + 1] : 0, n2 = i + 2 < p->len ? s[i + 2] : 0;
    size_t l = 1;
    if (c == '<') {
        if (n1 == '<' && n2 == '<') { t->rop = R_HERESTR; l = 3; }
        else if (n1 == '<' && n2 == '-') { t->rop = R_HEREDOC; t->strip_tabs = true; l = 3; }
        else if (n1 == '<') { t->rop = R_HEREDOC; l = 2; }
        else if (n1 == '&') { t->rop = R_DUPIN; l = 2; }
        else if (n1 == '>') { t->rop = R_RDWR; l = 2; }
        else if (n1 == '(') return false;
        else t->rop = R_IN;
    } else if (c == '>') {
        if (n1 == '>') { t->rop = R_APPEND; l = 2; }
        else if (n1 == '&') { t->rop = R_DUPOUT; l = 2; }
        else if (n1 == '|') { t->rop = R_CLOBBER; l = 2; }
        else if (n1 == '(') return false;
        else t->rop = R_OUT;
    } else if (c == '&' && n1 == '>') {
        if (n2 == '>') { t->rop = R_ALL_APPEND; l = 3; }
        else { t->rop = R_ALL; l = 2; }
    } else {
        return false;
    }
    t->kind = T_REDIR;
    p->pos += l;
    return true;
}

static void lex(Parser *p, Token *t) {
    memset(t, 0, sizeof *t);
    t->rfd = -1;
    skip_blanks(p);
    t->start = p->pos;
    t->line = p->line;
    if (p->pos >= p->len) { t->kind = T_EOF; t->end = p->pos; return; }
    const char *s = p->src;
    char c = s[p->pos], n1 = p->pos + 1 < p->len ? s[p->pos + 1] : 0;
    size_t l = 1;
    t->kind = T_EOF;
    switch (c) {
    case '\n': t->kind = T_NEWLINE; break;
    case ';':
        if (n1 == ';') { l = 2; t->kind = T_DSEMI; if (at(p, p->pos + 2, '&')) { l = 3; t->kind = T_DSEMIAND; } }
        else if (n1 == '&') { l = 2; t->kind = T_SEMIAND; }
        else t->kind = T_SEMI;
        break;
    case '&':
        if (n1 == '&') { l = 2; t->kind = T_ANDIF; }
        else if (n1 == '>') { lex_redirect(p, t); t->end = p->pos; return; }
        else t->kind = T_AMP;
        break;
    case '|':
        if (n1 == '|') { l = 2; t->kind = T_ORIF; }
        else if (n1 == '&') { l = 2; t->kind = T_PIPEAMP; }
        else t->kind = T_PIPE;
        break;
    case '(': t->kind = T_LPAREN; break;
    case ')': t->kind = T_RPAREN; break;
    case '<': case '>':
        if (p->cond_mode) break;
        if (lex_redirect(p, t)) { t->end = p->pos; return; }
        break;
    default: break;
    }
    if (t->kind != T_EOF) {
        p->pos += l;
        t->end = p->pos;
        return;
    }
    /* a word, an IO number, or {var} before a redirection */
    StrBuf w;
    sb_init(&w);
    if (!scan_word(p, &w)) { sb_free(&w); t->kind = T_EOF; t->end = p->pos; return; }
    t->end = p->pos;
    if (!p->cond_mode && (at(p, p->pos, '<') || at(p, p->pos, '>')) && w.len > 0) {
        bool digits = w.len < 10;
        for (size_t i = 0; i < w.len && digits; i++) digits = isdigit((unsigned char)w.s[i]);
        bool var = w.len > 2 && w.s[0] == '{' && w.s[w.len - 1] == '}' && is_name(w.s + 1, w.len - 2);
        if ((digits || var) && lex_redirect(p, t)) {
            if (digits) t->rfd = atoi(w.s);
            else t->rvar = arena_strndup(p->arena, w.s + 1, w.len - 2);
            t->end = p->pos;
            sb_free(&w);
            return;
        }
    }
    t->kind = T_WORD;
    t->text = arena_strndup(p->arena, sb_cstr(&w), w.len);
    sb_free(&w);
}

/* ---------- heredocs ---------- */

static char *heredoc_delim(const char *raw, bool *quoted) {
    StrBuf d;
    sb_init(&d);
    *quoted = false;
    for (size_t i = 0; raw[i]; i++) {
        char c = raw[i];
        if (c == '\\' && raw[i + 1]) { *quoted = true; sb_putc(&d, raw[++i]); }
        else if (c == '\'' || c == '"') {
            *quoted = true;
            char q = c;
            if (i > 0 && raw[i - 1] == '$' && d.len && d.s[d.len - 1] == '$') d.s[--d.len] = 0;
            for (i++; raw[i] && raw[i] != q; i++) sb_putc(&d, raw[i]);
            if (!raw[i]) break;
        } else sb_putc(&d, c);
    }
    return sb_take(&d);
}

static void read_heredocs(Parser *p) {
    for (int k = 0; k < p->nhd; k++) {
        PendingHeredoc *h = &p->hd[k];
        StrBuf body;
        sb_init(&body);
        bool found = false;
        while (p->pos < p->len) {
            size_t e = p->pos;
            while (e < p->len && p->src[e] != '\n') e++;
            const char *line = p->src + p->pos;
            size_t n = e - p->pos;
            if (h->strip_tabs)
                while (n > 0 && *line == '\t') { line++; n--; }
            p->pos = e < p->len ? e + 1 : e;
            p->line++;
            if (n == strlen(h->delim) && memcmp(line, h->delim, n) == 0) { found = true; break; }
            sb_put(&body, line, n);
            sb_putc(&body, '\n');
        }
        if (!found && !p->error) {
            /* bash warns and uses what it read */
            sb_printf(&p->warnings, "line %d: warning: here-document at line %d delimited by end-of-file (wanted `%s')\n",
                      p->line - 1 > h->line ? p->line - 1 : h->line, h->line, h->delim);
        }
        h->r->target = arena_strndup(p->arena, sb_cstr(&body), body.len);
        sb_free(&body);
        free(h->delim);
    }
    p->nhd = 0;
}

/* ---------- token stream ---------- */

static Token *peek(Parser *p) {
    if (!p->have_tok) {
        lex(p, &p->tok);
        p->have_tok = true;
    }
    return &p->tok;
}

static void consume(Parser *p) {
    peek(p);
    if (p->tok.kind == T_NEWLINE) {
        p->line++;
        if (p->nhd) read_heredocs(p);
    }
    p->have_tok = false;
}

static bool is_word(Parser *p, const char *kw) {
    Token *t = peek(p);
    return t->kind == T_WORD && strcmp(t->text, kw) == 0;
}

static bool expect_word(Parser *p, const char *kw) {
    if (p->error) return false;
    if (!is_word(p, kw)) { unexpected(p, peek(p)); return false; }
    consume(p);
    return true;
}

static void skip_newlines(Parser *p) {
    while (!p->error && peek(p)->kind == T_NEWLINE) consume(p);
}

static bool is_reserved_stop(const char *w) {
    static const char *const stops[] = {"then", "else", "elif", "fi", "do", "done", "esac", "}", "in", NULL};
    for (int i = 0; stops[i]; i++)
        if (strcmp(w, stops[i]) == 0) return true;
    return false;
}

/* ---------- node construction ---------- */

static Node *new_node(Parser *p, NodeKind k, int line) {
    Node *n = arena_alloc(p->arena, sizeof *n);
    n->kind = k;
    n->line = line;
    return n;
}

typedef struct PtrVec {
    void **v;
    int n, cap;
} PtrVec;

static void pv_push(PtrVec *v, void *x) {
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 8;
        v->v = xrealloc(v->v, (size_t)v->cap * sizeof *v->v);
    }
    v->v[v->n++] = x;
}

static void *pv_finish(Parser *p, PtrVec *v) {
    void **a = arena_alloc(p->arena, (size_t)(v->n ? v->n : 1) * sizeof *a);
    if (v->n) memcpy(a, v->v, (size_t)v->n * sizeof *a);
    free(v->v);
    v->v = NULL;
    return a;
}

/* ---------- redirections ---------- */

static Redir *parse_redirect(Parser *p) {
    Token t = *peek(p);
    consume(p);
    Redir *r = arena_alloc(p->arena, sizeof *r);
    r->op = t.rop;
    r->fd = t.rfd;
    r->fd_var = t.rvar;
    Token *w = peek(p);
    if (w->kind != T_WORD) { unexpected(p, w); return NULL; }
    r->target = w->text;
    consume(p);
    if (r->op == R_HEREDOC) {
        bool quoted;
        char *d = heredoc_delim(r->target, &quoted);
        r->heredoc_expand = !quoted;
        if (p->nhd == p->hdcap) {
            p->hdcap = p->hdcap ? p->hdcap * 2 : 4;
            p->hd = xrealloc(p->hd, (size_t)p->hdcap * sizeof *p->hd);
        }
        p->hd[p->nhd++] = (PendingHeredoc){r, d, t.strip_tabs, t.line};
        r->target = "";
    }
    return r;
}

static bool parse_redirects(Parser *p, Redir **head) {
    Redir **tail = head;
    while (*tail) tail = &(*tail)->next;
    while (!p->error && peek(p)->kind == T_REDIR) {
        Redir *r = parse_redirect(p);
        if (!r) return false;
        *tail = r;
        tail = &r->next;
    }
    return !p->error;
}

/* ---------- compound commands ---------- */

static Node *parse_compound_list(Parser *p) { return parse_list(p, false); }

static Node *parse_brace_group(Parser *p) {
    int line = peek(p)->line;
    consume(p);
    Node *n = new_node(p, N_GROUP, line);
    n->u.group.body = parse_compound_list(p);
    if (!n->u.group.body && !p->error) unexpected(p, peek(p));
    if (!expect_word(p, "}")) return NULL;
    return n;
}

static Node *parse_subshell(Parser *p) {
    int line = peek(p)->line;
    consume(p);
    Node *n = new_node(p, N_SUBSHELL, line);
    n->u.group.body = parse_compound_list(p);
    if (p->error) return NULL;
    if (!n->u.group.body) { unexpected(p, peek(p)); return NULL; }
    if (peek(p)->kind != T_RPAREN) { unexpected(p, peek(p)); return NULL; }
    consume(p);
    return n;
}

static Node *parse_if(Parser *p) {
    int line = peek(p)->line;
    consume(p);
    Node *n = new_node(p, N_IF, line);
    n->u.ifn.cond = parse_compound_list(p);
    if (!n->u.ifn.cond && !p->error) unexpected(p, peek(p));
    if (!expect_word(p, "then")) return NULL;
    n->u.ifn.then = parse_compound_list(p);
    if (!n->u.ifn.then && !p->error) unexpected(p, peek(p));
    if (p->error) return NULL;
    if (is_word(p, "elif")) {
        n->u.ifn.els = parse_if(p);
        return n->u.ifn.els ? n : NULL;
    }
    if (is_word(p, "else")) {
        consume(p);
        n->u.ifn.els = parse_compound_list(p);
        if (!n->u.ifn.els && !p->error) unexpected(p, peek(p));
    }
    if (!expect_word(p, "fi")) return NULL;
    return n;
}

/* `elif` is parsed as a nested if without its own `fi`. */
static Node *parse_loop(Parser *p, NodeKind k) {
    int line = peek(p)->line;
    consume(p);
    Node *n = new_node(p, k, line);
    n->u.loop.cond = parse_compound_list(p);
    if (!n->u.loop.cond && !p->error) unexpected(p, peek(p));
    if (!expect_word(p, "do")) return NULL;
    n->u.loop.body = parse_compound_list(p);
    if (!n->u.loop.body && !p->error) unexpected(p, peek(p));
    if (!expect_word(p, "done")) return NULL;
    return n;
}

static Node *parse_do_group(Parser *p) {
    Node *body;
    if (is_word(p, "{")) {
        consume(p);
        body = parse_compound_list(p);
        if (!body && !p->error) unexpected(p, peek(p));
        if (!expect_word(p, "}")) return NULL;
        return body;
    }
    if (!expect_word(p, "do")) return NULL;
    body = parse_compound_list(p);
    if (!body && !p->error) unexpected(p, peek(p));
    if (!expect_word(p, "done")) return NULL;
    return body;
}

static Node *parse_arith_for(Parser *p, int line) {
    /* p->pos is just after "((" */
    long e = scan_arith_end(p->src, p->len, p->pos);
    if (e < 0) { eof_in(p, ")", p->line); return NULL; }
    const char *s = p->src + p->pos;
    size_t n = (size_t)e - 1 - p->pos;
    const char *parts[3] = {"", "", ""};
    size_t start = 0;
    int k = 0, depth = 0;
    for (size_t i = 0; i <= n && k < 3; i++) {
        if (i < n && s[i] == '(') depth++;
        if (i < n && s[i] == ')') depth--;
        if (i == n || (s[i] == ';' && depth == 0)) {
            parts[k++] = arena_strndup(p->arena, s + start, i - start);
            start = i + 1;
        }
    }
    if (k != 3) {
        set_error(p, line, "syntax error: arithmetic expression required%s", "");
        return NULL;
    }
    count_lines(p, p->pos, (size_t)e + 1);
    p->pos = (size_t)e + 1;
    p->have_tok = false;
    Node *node = new_node(p, N_ARITH_FOR, line);
    node->u.afor.init = parts[0];
    node->u.afor.cond = parts[1];
    node->u.afor.step = parts[2];
    Token *t = peek(p);
    if (t->kind == T_SEMI) consume(p);
    skip_newlines(p);
    node->u.afor.body = parse_do_group(p);
    return node->u.afor.body ? node : NULL;
}

static Node *parse_for(Parser *p, NodeKind k) {
    int line = peek(p)->line;
    consume(p);
    skip_blanks(p);
    if (k == N_FOR && at(p, p->pos, '(') && at(p, p->pos + 1, '(') && !p->have_tok) {
        p->pos += 2;
        return parse_arith_for(p, line);
    }
    Token *t = peek(p);
    if (t->kind != T_WORD) { unexpected(p, t); return NULL; }

    Node *n = new_node(p, k, line);
    n->u.forn.var = t->text;
    consume(p);
    t = peek(p);
    while (t->kind == T_NEWLINE) { consume(p); t = peek(p); }
    if (is_word(p, "in")) {
        consume(p);
        n->u.forn.has_in = true;
        PtrVec words = {0};
        while (!p->error && peek(p)->kind == T_WORD) {
            pv_push(&words, (void *)peek(p)->text);
            consume(p);
        }
        n->u.forn.nwords = words.n;
        n->u.forn.words = pv_finish(p, &words);
        t = peek(p);
        if (t->kind != T_SEMI && t->kind != T_NEWLINE) { unexpected(p, t); return NULL; }
        consume(p);
    } else if (t->kind == T_SEMI) {
        consume(p);
    }
    skip_newlines(p);
    if (p->error) return NULL;
    n->u.forn.body = parse_do_group(p);
    return n->u.forn.body ? n : NULL;
}

static Node *parse_case(Parser *p) {
    int line = peek(p)->line;
    consume(p);
    Token *t = peek(p);
    if (t->kind != T_WORD) { unexpected(p, t); return NULL; }
    Node *n = new_node(p, N_CASE, line);
    n->u.casen.word = t->text;
    consume(p);
    skip_newlines(p);
    if (!expect_word(p, "in")) return NULL;
    skip_newlines(p);
    CaseItem *items = NULL;
    int nitems = 0, cap = 0;
    while (!p->error && !is_word(p, "esac")) {
        t = peek(p);
        if (t->kind == T_LPAREN) { consume(p); t = peek(p); }
        PtrVec pats = {0};
        for (;;) {
            t = peek(p);
            if (t->kind != T_WORD) { unexpected(p, t); free(pats.v); free(items); return NULL; }
            pv_push(&pats, (void *)t->text);
            consume(p);
            t = peek(p);
            if (t->kind == T_PIPE) { consume(p); continue; }
            if (t->kind == T_RPAREN) { consume(p); break; }
            unexpected(p, t);
            free(pats.v);
            free(items);
            return NULL;
        }
        if (nitems == cap) {
            cap = cap ? cap * 2 : 4;
            items = xrealloc(items, (size_t)cap * sizeof *items);
        }
        CaseItem *it = &items[nitems++];
        it->npatterns = pats.n;
        it->patterns = pv_finish(p, &pats);
        it->body = parse_compound_list(p);
        it->term = 0;
        t = peek(p);
        if (t->kind == T_DSEMI || t->kind == T_SEMIAND || t->kind == T_DSEMIAND) {
            it->term = t->kind == T_DSEMI ? 0 : t->kind == T_SEMIAND ? 1 : 2;
            consume(p);
            skip_newlines(p);
        } else if (!is_word(p, "esac")) {
            unexpected(p, t);
            free(items);
            return NULL;
        }
    }
    if (p->error) { free(items); return NULL; }
    consume(p); /* esac */
    n->u.casen.nitems = nitems;
    n->u.casen.items = arena_alloc(p->arena, (size_t)(nitems ? nitems : 1) * sizeof *items);
    if (nitems) memcpy(n->u.casen.items, items, (size_t)nitems * sizeof *items);
    free(items);
    return n;
}

/* ---------- [[ ]] ---------- */

static CondNode *cond_or(Parser *p);

static CondNode *new_cond(Parser *p, CondKind k) {
    CondNode *c = arena_alloc(p->arena, sizeof *c);
    c->kind = k;
    return c;
}

static void cond_unexpected(Parser *p, Token *t) {
    StrBuf tmp;
    sb_init(&tmp);
    const char *txt = tok_text(p, t, &tmp);
    if (!txt) set_error(p, p->line, "unexpected EOF while looking for `]]'%s", "");
    else if (t->kind == T_NEWLINE) set_error(p, t->line, "syntax error in conditional expression%s", "");
    else {
        set_error(p, t->line, "syntax error in conditional expression: unexpected token `%s'", txt);
    }
    sb_free(&tmp);
}

/* Reads the right side of =~ : parentheses and | are part of the regex. */
static const char *cond_regex_word(Parser *p) {
    skip_blanks(p);
    StrBuf w;
    sb_init(&w);
    int depth = 0;
    while (p->pos < p->len) {
        char c = p->src[p->pos];
        if (depth == 0 && (c == ' ' || c == '\t' || c == '\n')) break;
        if (depth == 0 && (c == '&' || c == '|') && at(p, p->pos + 1, c)) break;
        if (c == '(') depth++;
        else if (c == ')') {
            if (depth == 0) break;
            depth--;
        }
        if (c == '\\' || c == '\'' || c == '"' || c == '`' || c == '$') {
            if (!scan_word_part(p, &w)) { sb_free(&w); return NULL; }
            continue;
        }
        sb_putc(&w, c);
        p->pos++;
    }
    const char *r = arena_strndup(p->arena, sb_cstr(&w), w.len);
    sb_free(&w);
    return r;
}

static CondNode *cond_primary(Parser *p) {
    Token *t = peek(p);
    while (t->kind == T_NEWLINE) { consume(p); t = peek(p); }
    if (t->kind == T_LPAREN) {
        consume(p);
        CondNode *c = cond_or(p);
        if (!c) return NULL;
        t = peek(p);
        if (t->kind != T_RPAREN) { cond_unexpected(p, t); return NULL; }
        consume(p);
        return c;
    }
    if (t->kind == T_WORD && strcmp(t->text, "!") == 0) {
        consume(p);
        CondNode *c = new_cond(p, C_NOT);
        c->l = cond_primary(p);
        return c->l ? c : NULL;
    }
    if (t->kind != T_WORD || strcmp(t->text, "]]") == 0) { cond_unexpected(p, t); return NULL; }
    const char *w1 = t->text;
    consume(p);
    if (w1[0] == '-' && w1[1] && !w1[2] && strchr("abcdefghknoprstuvwxzGLNORS", w1[1])) {
        Token *a = peek(p);
        if (a->kind == T_WORD && strcmp(a->text, "]]") != 0) {
            CondNode *c = new_cond(p, C_UNARY);
            c->op = w1;
            c->a = a->text;
            consume(p);
            return c;
        }
        if (a->kind != T_WORD) {
            StrBuf tmp; sb_init(&tmp);
            set_error(p, a->line, "unexpected argument `%s' to conditional unary operator", tok_text(p, a, &tmp) ? sb_cstr(&tmp) : "");
            sb_free(&tmp);
            return NULL;
        }
    }
    /* binary? */
    t = peek(p);
    static const char *const binops[] = {"==", "=", "!=", "<", ">", "=~", "-eq", "-ne", "-lt", "-le", "-gt",
                                         "-ge", "-nt", "-ot", "-ef", NULL};
    if (t->kind == T_WORD) {
        for (int i = 0; binops[i]; i++) {
            if (strcmp(t->text, binops[i]) != 0) continue;
            CondNode *c = new_cond(p, C_BINARY);
            c->op = binops[i];
            c->a = w1;
            consume(p);
            if (strcmp(c->op, "=~") == 0) {
                c->b = cond_regex_word(p);
                if (!c->b || !c->b[0]) { set_error(p, p->line, "unexpected argument `%s' to conditional binary operator", "]]"); return NULL; }
                return c;
            }
            Token *b = peek(p);
            if (b->kind != T_WORD || strcmp(b->text, "]]") == 0) {
                StrBuf tmp; sb_init(&tmp);
                const char *bt = tok_text(p, b, &tmp);
                set_error(p, b->line, "unexpected argument `%s' to conditional binary operator", bt ? bt : "");
                sb_free(&tmp);
                return NULL;
            }
            c->b = b->text;
            consume(p);
            return c;
        }
        if (strcmp(t->text, "]]") != 0 && strcmp(t->text, "&&") != 0) {
            set_error(p, t->line, "conditional binary operator expected%s", "");
            return NULL;
        }
    }
    CondNode *c = new_cond(p, C_WORD);
    c->a = w1;
    return c;
}

static CondNode *cond_and(Parser *p) {
    CondNode *l = cond_primary(p);
    while (l && peek(p)->kind == T_ANDIF) {
        consume(p);
        CondNode *c = new_cond(p, C_AND);
        c->l = l;
        c->r = cond_primary(p);
        if (!c->r) return NULL;
        l = c;
    }
    return l;
}

static CondNode *cond_or(Parser *p) {
    CondNode *l = cond_and(p);
    while (l && peek(p)->kind == T_ORIF) {
        consume(p);
        CondNode *c = new_cond(p, C_OR);
        c->l = l;
        c->r = cond_and(p);
        if (!c->r) return NULL;
        l = c;
    }
    return l;
}

static Node *parse_cond(Parser *p) {
    int line = peek(p)->line;
    p->cond_mode = true;
    consume(p);
    bool had_error = p->error;
    CondNode *c = cond_or(p);
    p->cond_mode = false;
    if (!had_error && p->error) p->cond_error = true;
    if (!c) {
        if (!p->error) cond_unexpected(p, peek(p));
        if (!had_error) p->cond_error = true;
        return NULL;
    }
    if (!is_word(p, "]]")) {
        cond_unexpected(p, peek(p));
        if (!had_error) p->cond_error = true;
        return NULL;
    }
    p->cond_mode = false;
    consume(p);
    Node *n = new_node(p, N_COND, line);
    n->u.cond.expr = c;
    return n;
}

/* ---------- functions ---------- */

static Node *parse_function_body(Parser *p, const char *name, int line, size_t src_start) {
    skip_newlines(p);
    Token *t = peek(p);
    Node *body = NULL;
    if (t->kind == T_WORD && strcmp(t->text, "{") == 0) body = parse_brace_group(p);
    else if (t->kind == T_LPAREN) body = parse_subshell(p);
    else if (t->kind == T_WORD && (!strcmp(t->text, "if") || !strcmp(t->text, "while") || !strcmp(t->text, "until") ||
                                   !strcmp(t->text, "for") || !strcmp(t->text, "case") || !strcmp(t->text, "[[") ||
                                   !strcmp(t->text, "select")))
        body = parse_command(p);
    else { unexpected(p, t); return NULL; }
    if (!body) return NULL;
    if (!parse_redirects(p, &body->redirs)) return NULL;
    Node *n = new_node(p, N_FUNCDEF, line);
    n->u.func.name = name;
    n->u.func.body = body;
    n->u.func.arena = p->arena;
    size_t end = p->have_tok ? p->tok.start : p->pos;
    n->u.func.src = arena_strndup(p->arena, p->src + src_start, end - src_start);
    return n;
}

/* ---------- simple commands ---------- */

static Node *parse_simple(Parser *p) {
    Token *t = peek(p);
    Node *n = new_node(p, N_SIMPLE, t->line);
    PtrVec assigns = {0}, words = {0};
    Redir *redirs = NULL, **rtail = &redirs;
    for (;;) {
        t = peek(p);
        if (p->error) break;
        if (t->kind == T_REDIR) {
            Redir *r = parse_redirect(p);
            if (!r) break;
            *rtail = r;
            rtail = &r->next;
            continue;
        }
        if (t->kind != T_WORD) break;
        if (words.n > 0 && p->alias_next && t->start >= p->alias_end) {
            p->alias_next = false;
            if (try_alias(p)) continue;
        }
        if (words.n == 0 && assignment_prefix_len(t->text)) pv_push(&assigns, (void *)t->text);
        else pv_push(&words, (void *)t->text);
        consume(p);
        /* f() ... */
        if (words.n == 1 && assigns.n == 0 && peek(p)->kind == T_LPAREN) {
            const char *name = words.v[0];
            size_t src_start = t->start;
            consume(p);
            if (peek(p)->kind != T_RPAREN) { unexpected(p, peek(p)); break; }
            consume(p);
            free(words.v);
            free(assigns.v);
            return parse_function_body(p, name, n->line, src_start);
        }
    }
    if (p->error) { free(words.v); free(assigns.v); return NULL; }
    n->line = p->line;
    n->u.simple.nassigns = assigns.n;
    n->u.simple.assigns = pv_finish(p, &assigns);
    n->u.simple.nwords = words.n;
    n->u.simple.words = pv_finish(p, &words);
    n->redirs = redirs;
    if (n->u.simple.nwords == 0 && n->u.simple.nassigns == 0 && !redirs) {
        unexpected(p, peek(p));
        return NULL;
    }
    return n;
}

/* Alias expansion: the alias text replaces the word in the source. We splice
 * it into a new owned buffer so the lexer simply continues. */
static bool try_alias(Parser *p) {
    if (!p->hooks.alias || p->alias_depth > 16) return false;
    Token *t = peek(p);
    if (t->kind != T_WORD) return false;
    const char *val = p->hooks.alias(p->hooks.ctx, t->text);
    if (!val) return false;
    /* an alias is not expanded again inside its own text */
    if (t->start < p->alias_end)
        for (int i = 0; i < p->alias_depth; i++)
            if (p->alias_active[i] && !strcmp(p->alias_active[i], t->text)) return false;
    if (t->start >= p->alias_end) p->alias_depth = 0;
    if (p->alias_depth < 16) p->alias_active[p->alias_depth] = arena_strndup(p->arena, t->text, strlen(t->text));
    StrBuf nb;
    sb_init(&nb);
    sb_put(&nb, p->src, t->start);
    sb_puts(&nb, val);
    size_t resume = nb.len;
    sb_put(&nb, p->src + t->end, p->len - t->end);
    free(p->alias_buf);
    p->len = nb.len;
    p->alias_buf = sb_take(&nb);
    p->src = p->alias_buf;
    p->pos = t->start;
    p->alias_end = resume;
    size_t vl = strlen(val);
    p->alias_next = vl > 0 && (val[vl - 1] == ' ' || val[vl - 1] == '\t');
    p->have_tok = false;
    p->alias_depth++;
    return true;
}

static Node *parse_command(Parser *p) {
    if (++p->depth > MAX_NESTING) {
        set_error(p, p->line, "syntax error: nesting too deep%s", "");
        return NULL;
    }
    Node *n = NULL;
    Token *t = peek(p);
    if (t->kind == T_WORD) {
        const char *w = t->text;
        if (!strcmp(w, "if")) n = parse_if(p);
        else if (!strcmp(w, "while")) n = parse_loop(p, N_WHILE);
        else if (!strcmp(w, "until")) n = parse_loop(p, N_UNTIL);
        else if (!strcmp(w, "for")) n = parse_for(p, N_FOR);
        else if (!strcmp(w, "select")) n = parse_for(p, N_SELECT);
        else if (!strcmp(w, "case")) n = parse_case(p);
        else if (!strcmp(w, "{")) n = parse_brace_group(p);
        else if (!strcmp(w, "[[")) n = parse_cond(p);
        else if (!strcmp(w, "function")) {
            int line = t->line;
            size_t src_start = t->start;
            consume(p);
            Token *nt = peek(p);
            if (nt->kind != T_WORD) { unexpected(p, nt); p->depth--; return NULL; }
            const char *name = nt->text;
            consume(p);
            if (peek(p)->kind == T_LPAREN) {
                consume(p);
                if (peek(p)->kind != T_RPAREN) { unexpected(p, peek(p)); p->depth--; return NULL; }
                consume(p);
            }
            n = parse_function_body(p, name, line, src_start);
            p->depth--;
            return n;
        } else if (!strcmp(w, "coproc")) {
            int line = t->line;
            consume(p);
            n = new_node(p, N_COPROC, line);
            n->u.coproc.name = "COPROC";
            n->u.coproc.body = parse_command(p);
            if (!n->u.coproc.body) n = NULL;
            p->depth--;
            return n;
        } else if (is_reserved_stop(w) && strcmp(w, "in") != 0) {
            unexpected(p, t);
            p->depth--;
            return NULL;
        } else {
            if (try_alias(p)) { p->depth--; return parse_command(p); }
            n = parse_simple(p);
            p->depth--;
            return n;
        }
    } else if (t->kind == T_LPAREN) {
        if (at(p, t->start + 1, '(')) {
            long e = scan_arith_end(p->src, p->len, t->start + 2);
            if (e >= 0) {
                n = new_node(p, N_ARITH, t->line);
                n->u.arith.expr = arena_strndup(p->arena, p->src + t->start + 2, (size_t)e - 1 - (t->start + 2));
                count_lines(p, t->start, (size_t)e);
                p->pos = (size_t)e + 1;
                p->have_tok = false;
            }
        }
        if (!n) n = parse_subshell(p);
    } else if (t->kind == T_REDIR) {
        n = parse_simple(p);
        p->depth--;
        return n;
    } else {
        unexpected(p, t);
        p->depth--;
        return NULL;
    }
    p->depth--;
    if (!n) return NULL;
    if (!parse_redirects(p, &n->redirs)) return NULL;
    Token *after = peek(p);
    if (after->kind == T_WORD && !is_reserved_stop(after->text) && n->kind != N_SIMPLE) {
        unexpected(p, after);
        return NULL;
    }
    return n;
}

/* pipeline: [time [-p]] [!] command [| command]... */
static Node *parse_pipeline(Parser *p) {
    bool bang = false, timed = false, timed_posix = false;
    int line = peek(p)->line;
    for (;;) {
        if (is_word(p, "!")) { consume(p); bang = !bang; continue; }
        if (is_word(p, "time")) {
            consume(p);
            timed = true;
            if (is_word(p, "-p")) { consume(p); timed_posix = true; }
            continue;
        }
        break;
    }
    Token *t = peek(p);
    if ((bang || timed) && (t->kind == T_NEWLINE || t->kind == T_SEMI || t->kind == T_EOF)) {
        Node *n = new_node(p, N_PIPELINE, line);
        n->u.pipe.n = 0;
        n->u.pipe.bang = bang;
        n->u.pipe.timed = timed;
        return n;
    }
    PtrVec cmds = {0}, flags = {0};
    Node *c = parse_command(p);
    if (!c) return NULL;
    pv_push(&cmds, c);
    for (;;) {
        t = peek(p);
        if (t->kind != T_PIPE && t->kind != T_PIPEAMP) break;
        pv_push(&flags, (void *)(intptr_t)(t->kind == T_PIPEAMP));
        consume(p);
        skip_newlines(p);
        c = parse_command(p);
        if (!c) break;
        pv_push(&cmds, c);
    }
    if (p->error) { free(cmds.v); free(flags.v); return NULL; }
    if (cmds.n == 1 && !bang && !timed) {
        Node *only = cmds.v[0];
        free(cmds.v);
        free(flags.v);
        return only;
    }
    Node *n = new_node(p, N_PIPELINE, line);
    n->u.pipe.n = cmds.n;
    n->u.pipe.bang = bang;
    n->u.pipe.timed = timed;
    n->u.pipe.timed_posix = timed_posix;
    n->u.pipe.stderr_too = arena_alloc(p->arena, (size_t)cmds.n * sizeof(bool));
    for (int i = 0; i + 1 < cmds.n; i++) n->u.pipe.stderr_too[i] = (bool)(intptr_t)flags.v[i];
    free(flags.v);
    n->u.pipe.cmds = pv_finish(p, &cmds);
    return n;
}

static Node *parse_and_or(Parser *p) {
    Node *l = parse_pipeline(p);
    while (l) {
        Token *t = peek(p);
        if (t->kind != T_ANDIF && t->kind != T_ORIF) break;
        NodeKind k = t->kind == T_ANDIF ? N_AND : N_OR;
        consume(p);
        skip_newlines(p);
        Node *r = parse_pipeline(p);
        if (!r) return NULL;
        Node *n = new_node(p, k, l->line);
        n->u.andor.l = l;
        n->u.andor.r = r;
        l = n;
    }
    return l;
}

static bool starts_command(Parser *p) {
    Token *t = peek(p);
    if (t->kind == T_WORD) return !is_reserved_stop(t->text);
    return t->kind == T_LPAREN || t->kind == T_REDIR;
}

/* A list of and-or lists separated by ; & or newlines. At top level, stops
 * after the first newline so the caller can execute before parsing on. */
static Node *parse_list(Parser *p, bool top) {
    PtrVec items = {0}, bgs = {0};
    int line = peek(p)->line;
    if (!top) skip_newlines(p);
    while (!p->error) {
        if (!starts_command(p)) break;
        Node *n = parse_and_or(p);
        if (!n) break;
        pv_push(&items, n);
        pv_push(&bgs, NULL);
        Token *t = peek(p);
        bool separated = false;
        if (t->kind == T_AMP || t->kind == T_SEMI) {
            bgs.v[items.n - 1] = (void *)(intptr_t)(t->kind == T_AMP);
            consume(p);
            t = peek(p);
            separated = true;
        }
        if (t->kind == T_NEWLINE) {
            if (top) { consume(p); break; }
            skip_newlines(p);
            continue;
        }
        /* two commands need a separator between them: `echo @(a)` without extglob */
        if (!separated && starts_command(p)) { unexpected(p, t); break; }
        if (top && t->kind != T_EOF && !starts_command(p)) { unexpected(p, t); break; }
    }
    if (p->error || items.n == 0) { free(items.v); free(bgs.v); return NULL; }
    if (items.n == 1 && !bgs.v[0]) {
        Node *only = items.v[0];
        free(items.v);
        free(bgs.v);
        return only;
    }
    Node *l = new_node(p, N_LIST, line);
    l->u.list.n = items.n;
    l->u.list.bg = arena_alloc(p->arena, (size_t)items.n * sizeof(bool));
    for (int i = 0; i < items.n; i++) l->u.list.bg[i] = (bool)(intptr_t)bgs.v[i];
    free(bgs.v);
    l->u.list.items = pv_finish(p, &items);
    return l;
}

/* ---------- public entry points ---------- */

Parser *parser_new(Arena *a, const char *src, size_t len, int first_line, const ParserHooks *hooks) {
    Parser *p = xcalloc(1, sizeof *p);
    p->arena = a;
    p->src = src;
    p->len = len;
    p->line = first_line;
    if (hooks) p->hooks = *hooks;
    sb_init(&p->err);
    sb_init(&p->warnings);
    return p;
}

const char *parser_take_warnings(Parser *p, StrBuf *out) {
    if (!p->warnings.len) return NULL;
    sb_put(out, p->warnings.s, p->warnings.len);
    sb_clear(&p->warnings);
    return sb_cstr(out);
}

size_t parser_pos(Parser *p) { return p->have_tok ? p->tok.start : p->pos; }

void parser_free(Parser *p) {
    for (int i = 0; i < p->nhd; i++) free(p->hd[i].delim);
    free(p->hd);
    sb_free(&p->err);
    sb_free(&p->warnings);
    free(p->alias_buf);
    free(p);
}

Node *parser_next(Parser *p, bool *error) {
    *error = false;
    p->alias_depth = 0;
    p->base_depth = p->depth;
    for (;;) {
        Token *t = peek(p);
        if (t->kind == T_NEWLINE) { consume(p); continue; }
        if (t->kind == T_EOF) {
            if (p->error) { *error = true; }
            return NULL;
        }
        break;
    }
    Node *n = parse_list(p, true);
    if (!n || p->error) {
        if (!p->error) unexpected(p, peek(p));
        *error = true;
        return NULL;
    }
    if (p->nhd) read_heredocs(p);
    return n;
}

const char *parser_error(Parser *p) { return sb_cstr(&p->err); }

bool parser_error_recoverable(Parser *p) {
    return p->error && p->err_recoverable && p->err_pos <= p->len;
}

bool parser_recover(Parser *p) {
    if (!parser_error_recoverable(p)) return false;
    size_t i = p->err_pos;
    while (i < p->len && p->src[i] != '\n') i++;
    p->pos = i < p->len ? i + 1 : i;
    p->line = p->err_line + 1;
    p->error = p->err_recoverable = p->cond_error = p->cond_mode = false;
    p->have_tok = false;
    p->nhd = 0;
    p->depth = p->base_depth;
    sb_clear(&p->err);
    return true;
}
bool parser_error_in_cond(Parser *p) { return p->cond_error; }
int parser_error_line(Parser *p) { return p->err_line; }
int parser_line(Parser *p) { return p->line; }

Node *parse_all(Arena *a, const char *src, size_t len, int first_line, const ParserHooks *hooks, StrBuf *err) {
    Parser *p = parser_new(a, src, len, first_line, hooks);
    PtrVec items = {0};
    bool error = false;
    Node *n;
    while ((n = parser_next(p, &error)) != NULL) pv_push(&items, n);
    Node *result = NULL;
    if (error) {
        if (err) sb_puts(err, parser_error(p));
        free(items.v);
    } else if (items.n == 1) {
        result = items.v[0];
        free(items.v);
    } else {
        result = new_node(p, N_LIST, first_line);
        result->u.list.n = items.n;
        result->u.list.bg = arena_alloc(a, (size_t)(items.n ? items.n : 1) * sizeof(bool));
        result->u.list.items = pv_finish(p, &items);
    }
    parser_free(p);
    return result;
}
