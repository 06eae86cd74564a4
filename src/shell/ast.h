/* ast.h - the syntax tree produced by the parser and walked by the executor.
 *
 * Words are kept as raw source text (quotes included); the expander interprets
 * them at run time, as bash does. All nodes and strings of one parse live in
 * an Arena; a function definition keeps its arena alive through a reference. */
#ifndef WASMSH_AST_H
#define WASMSH_AST_H

#include "common.h"

typedef struct Arena Arena;
Arena *arena_new(void);
void *arena_alloc(Arena *a, size_t n);
char *arena_strndup(Arena *a, const char *s, size_t n);
void arena_ref(Arena *a);
void arena_unref(Arena *a);

typedef enum {
    R_IN,        /* <    */
    R_OUT,       /* >    */
    R_APPEND,    /* >>   */
    R_CLOBBER,   /* >|   */
    R_RDWR,      /* <>   */
    R_DUPIN,     /* <&   */
    R_DUPOUT,    /* >&   */
    R_ALL,       /* &>   */
    R_ALL_APPEND,/* &>>  */
    R_HEREDOC,   /* << and <<- */
    R_HERESTR,   /* <<<  */
} RedirOp;

typedef struct Redir {
    RedirOp op;
    int fd;              /* explicit fd, or -1 for the operator's default */
    const char *fd_var;  /* {name}>file: allocate an fd >= 10 into $name */
    const char *target;  /* raw word; for heredocs the body */
    bool heredoc_expand; /* unquoted delimiter: expand $ ` \ in the body */
    struct Redir *next;
} Redir;

typedef enum {
    N_SIMPLE, N_PIPELINE, N_AND, N_OR, N_LIST, N_SUBSHELL, N_GROUP, N_IF,
    N_WHILE, N_UNTIL, N_FOR, N_ARITH_FOR, N_CASE, N_SELECT, N_FUNCDEF,
    N_ARITH, N_COND, N_COPROC,
} NodeKind;

typedef enum {
    C_AND, C_OR, C_NOT, C_UNARY, C_BINARY, C_WORD,
} CondKind;

typedef struct CondNode {
    CondKind kind;
    const char *op;              /* C_UNARY / C_BINARY operator text */
    const char *a, *b;           /* raw words */
    struct CondNode *l, *r;      /* C_AND / C_OR / C_NOT (l) */
} CondNode;

typedef struct CaseItem {
    const char **patterns;  /* raw words */
    int npatterns;
    struct Node *body;      /* may be NULL */
    int term;               /* 0 = ;;  1 = ;&  2 = ;;& */
} CaseItem;

typedef struct Node Node;
struct Node {
    NodeKind kind;
    int line;
    Redir *redirs;
    union {
        struct { const char **assigns; int nassigns; const char **words; int nwords; } simple;
        struct { Node **cmds; bool *stderr_too; int n; bool bang; bool timed; bool timed_posix; } pipe;
        struct { Node *l, *r; } andor;
        struct { Node **items; bool *bg; int n; } list;
        struct { Node *body; } group;  /* N_SUBSHELL, N_GROUP */
        struct { Node *cond, *then, *els; } ifn;
        struct { Node *cond, *body; } loop; /* N_WHILE, N_UNTIL */
        struct { const char *var; const char **words; int nwords; bool has_in; Node *body; } forn; /* N_FOR, N_SELECT */
        struct { const char *init, *cond, *step; Node *body; } afor;
        struct { const char *word; CaseItem *items; int nitems; } casen;
        struct { const char *name; Node *body; Arena *arena; const char *src; } func;
        struct { const char *expr; } arith;
        struct { CondNode *expr; } cond;
        struct { const char *name; Node *body; } coproc;
    } u;
};

/* Parsing. The parser reads one complete command (up to an unescaped newline
 * at top level) per call so that the executor can run it before the next is
 * parsed, as bash does. */
typedef struct Parser Parser;

typedef struct ParserHooks {
    void *ctx;
    /* Alias text for a word in command position, or NULL. */
    const char *(*alias)(void *ctx, const char *name);
    /* Whether extglob is on now: ?( *( +( @( !( are pattern groups only then. */
    bool (*extglob)(void *ctx);
    /* Lexing the words of an a=(...) list: a word that starts with [ runs to
     * the matching ], blanks included ([a b]=1 is one word), as in bash. */
    bool array_list;
} ParserHooks;

Parser *parser_new(Arena *a, const char *src, size_t len, int first_line, const ParserHooks *hooks);
void parser_free(Parser *p);
/* Returns the next command, or NULL at end of input or on error. */
Node *parser_next(Parser *p, bool *error);
/* After an error: a bash-style message without the "NAME: " prefix, e.g.
 * "line 2: syntax error near unexpected token `then'" followed by
 * "\nline 2: `if then'". */
const char *parser_error(Parser *p);
/* After an error bash does not treat as fatal (a ; | & ( or redirection in
 * an a=(...) list): skips to the line after it and returns true, so
 * parser_next goes on from there; false for every other error. */
bool parser_recover(Parser *p);
bool parser_error_recoverable(Parser *p);
/* The error was inside [[ ]]: bash -c then ends with status 0 (a bash quirk kept for compatibility). */
bool parser_error_in_cond(Parser *p);
int parser_error_line(Parser *p);
int parser_line(Parser *p);
/* Warnings (unterminated here-documents) since the last call, appended to out; NULL if none. */
const char *parser_take_warnings(Parser *p, StrBuf *out);
/* Byte offset of the next unread input (for set -v). */
size_t parser_pos(Parser *p);

/* Parses a whole string (for $(..), eval-free internal uses); NULL on error. */
Node *parse_all(Arena *a, const char *src, size_t len, int first_line, const ParserHooks *hooks, StrBuf *err);

/* Finds the end of a $( ... ) / `...` / ${ ... } / $(( )) starting at src[pos]
 * (pos points just after the opening). Returns the index of the closing
 * character, or -1. Used by the expander and the parser's word scanner. */
long scan_cmdsubst_end(const char *src, size_t len, size_t pos);
long scan_brace_param_end(const char *src, size_t len, size_t pos);
long scan_arith_end(const char *src, size_t len, size_t pos);
long scan_backquote_end(const char *src, size_t len, size_t pos);

/* True if s is a valid shell name (identifier). */
bool is_name(const char *s, size_t n);
/* Length of the assignment prefix "name=" / "name+=" / "name[sub]=" at the
 * start of a word, or 0 when the word is not an assignment. */
size_t assignment_prefix_len(const char *w);

/* Pretty-prints a function body as `declare -f` does. */
void ast_print_function(StrBuf *out, const char *name, const Node *body);
/* A command as bash prints it for BASH_COMMAND: ( exit 3 ), [[ -n $x ]], (( i++ )). */
void ast_print_command(StrBuf *out, const Node *n);

#endif
