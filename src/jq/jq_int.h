/* jq_int.h - internals of the jq interpreter shared by its parser,
 * evaluator and builtins (not an API: see jq.h). */
#ifndef WASMSH_JQ_INT_H
#define WASMSH_JQ_INT_H

#include "jq.h"
#include "jv.h"

typedef enum NodeKind {
    N_IDENT, N_RECURSE, N_INDEX, N_SLICE, N_ITER, N_LIT, N_STR, N_FORMAT, N_ARRAY,
    N_OBJECT, N_ENTRY, N_NEG, N_PIPE, N_COMMA, N_BIN, N_AND, N_OR, N_ALT, N_ASSIGN,
    N_IF, N_TRY, N_REDUCE, N_FOREACH, N_DEF, N_CALL, N_VAR, N_AS, N_LABEL, N_BREAK,
    N_LOC,
    P_VAR, P_ARR, P_OBJ, P_ENTRY,
} NodeKind;

/* Binary and assignment operators. */
enum { OP_ADD = 1, OP_SUB, OP_MUL, OP_DIV, OP_MOD, OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE,
       OP_SET, OP_UPDATE, OP_ALTSET };

/* How a call or variable was resolved by the binder. */
enum { R_NONE, R_FRAME_FN, R_FRAME_CLOSURE, R_GLOBAL_FN, R_NATIVE, R_FRAME_VAR, R_GLOBAL_VAR,
       R_LABEL };

typedef struct Node Node;
struct Node {
    uint8_t kind;
    uint8_t op;
    uint8_t opt;        /* N_INDEX/N_ITER/N_SLICE: from `?` (errors suppressed) */
    int pos;            /* byte offset in the source, for messages */
    int len;            /* length of the token at pos */
    Node *a, *b, *c, *d;
    Node **args;        /* call arguments, entries, string parts, patterns */
    int nargs;
    Jv val;             /* literals, field names */
    char *name;         /* variables, calls, labels, formats, def names */
    char **params;      /* N_DEF: parameter names ("$x" for value params) */
    int nparams;
    /* binder results */
    uint8_t rkind;
    int up;             /* frames to walk */
    int native;         /* builtin index */
    Node *def;          /* R_GLOBAL_FN target */
    int nvars;          /* N_AS/N_REDUCE/N_FOREACH: variables bound */
    char **vars;        /* their names in frame order */
    int line;           /* N_LOC */
    const char *file;   /* N_LOC: "<top-level>" or module path */
};

/* ---- parsing (jq_parse.c) ---- */
typedef struct JqArena JqArena;
JqArena *jqa_new(void);
void jqa_free(JqArena *a);
void *jqa_alloc(JqArena *a, size_t n);
char *jqa_strdup(JqArena *a, const char *s, size_t n);

typedef struct ParseCtx {
    JqArena *arena;
    const char *src;
    size_t len;
    const char *file;   /* for messages */
    StrBuf *errs;       /* compile messages, jq's format */
    int nerrs;
    Jv *literals;       /* literals to free with the program */
    size_t nlit, caplit;
    StrList imports;    /* "include"/"import" directives: path, alias ("" for include) pairs */
    StrList import_alias;
    StrList import_kind; /* "f" functions (include/import as name), "d" data ($name) */
    bool yq;             /* accept yq's `as $x ireduce (...)` */
} ParseCtx;

/* Parses a whole program or module; NULL on syntax errors (messages in errs). */
Node *jq_parse_program(ParseCtx *pc);
/* Adds a compile message at pos with carets under len bytes. */
void jq_compile_error(ParseCtx *pc, int pos, int len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
Node *node_new(ParseCtx *pc, NodeKind k, int pos);

/* ---- builtins (jq_builtins.c) ---- */
typedef struct Run Run;
typedef struct Env Env;
typedef int (*Cont)(Run *r, void *ctx, Jv v, Jv path);

/* Result codes of evaluation. */
enum { JQ_OK = 0, JQ_ERR, JQ_BREAK, JQ_HALT, JQ_STOP };

typedef struct Native {
    const char *name;
    int arity;
    /* Value function: args are values (cartesian product, last arg outermost).
     * Returns the result, or invalid with r->err set. */
    Jv (*fn)(Run *r, Jv in, Jv *args);
    /* Generator: gets the call node and env to evaluate closure args itself. */
    int (*gen)(Run *r, const Node *call, Env *env, Jv in, Jv path, Cont k, void *kctx);
} Native;

extern const Native jq_natives[];
extern const int jq_native_count;
int jq_native_find(const char *name, int arity);
extern const char jq_prelude[];

/* ---- runtime (jq_eval.c) ---- */
struct Env {
    Env *up;
    uint8_t kind;      /* R_FRAME_FN, R_FRAME_CLOSURE, R_FRAME_VAR, R_LABEL */
    Jv val;            /* variable value; label id as a number */
    const Node *node;  /* function def or closure body */
    Env *fenv;         /* env of the def (includes this frame) or of the closure */
};

struct Run {
    JqSession *s;
    Jv err;            /* error value when JQ_ERR */
    long brk;          /* label id when JQ_BREAK */
    long next_label;
    int depth, max_depth;
    uintptr_t stack_base;  /* address of a local in jq_session_run */
    size_t stack_limit;    /* bytes of C stack evaluation may use */
    int halt_status;
    Jv halt_msg;       /* halt_error message (invalid for halt) */
    Jv *globals;       /* values of global variables, by index */
    bool halted;       /* halt/halt_error was called (with halt_status, halt_msg) */
    long steps;
};

int jq_eval(Run *r, const Node *n, Env *env, Jv in, Jv path, Cont k, void *kctx);
/* Evaluates a closure argument (arg i of call) in env. */
int jq_eval_arg(Run *r, const Node *call, int i, Env *env, Jv in, Jv path, Cont k, void *kctx);
int jq_error(Run *r, Jv msg);              /* sets r->err; returns JQ_ERR */
int jq_errorf(Run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
Jv jq_fail(Run *r, Jv msg);                /* sets r->err; returns invalid */
Jv jq_failf(Run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "number (1)" style description used in type errors. */
void jq_describe(StrBuf *b, Jv v);
/* Shared value operations. */
Jv jq_index(Run *r, Jv t, Jv k);           /* consumes both */
Jv jq_binop(Run *r, int op, Jv a, Jv b);   /* consumes both */
Jv jq_getpath(Run *r, Jv t, Jv path);      /* borrows path; consumes t */
Jv jq_setpath(Run *r, Jv t, Jv path, Jv v, size_t i); /* consumes t, v */
Jv jq_delpaths(Run *r, Jv t, Jv paths);    /* consumes both */
Jv jq_slice(Run *r, Jv t, Jv from, Jv to); /* consumes all */
Jv jq_tostring(Jv v);                      /* consumes */
int jq_output_loc(Run *r);
/* Non-path value produced where a path was expected. */
int jq_invalid_path(Run *r, Jv v, Jv path);
bool jq_should_stop(Run *r);
bool jq_session_should_stop(JqSession *s);
void jq_session_builtin_names(JqSession *s, Jv *list);
int jq_iterate(Run *r, Jv t, Jv tpath, Cont k, void *kctx);
int jq_recurse_default(Run *r, Jv in, Jv path, Cont k, void *kctx);
int jq_collect(Run *r, const Node *n, Env *env, Jv in, Jv *out);
int jq_paths_of(Run *r, const Node *f, Env *env, Jv in, Jv *out);
int jq_eval_path(Run *r, const Node *f, Env *env, Jv in, Jv path, Cont k, void *kctx);
Jv jq_format(Run *r, const char *fmt, Jv v);
Jv jq_negate(Run *r, Jv v);
Jv jq_split(Jv s, Jv sep);
Jv jq_match_impl(Run *r, Jv in, Jv *args);

/* Session hooks used by builtins: the session (jq.h) implements these. */
int jq_session_input(JqSession *s, Jv *out, Jv *err); /* 1 value, 0 none, -1 error */
void jq_session_stderr(JqSession *s, const char *msg, size_t n);
Jv jq_session_env(JqSession *s);
const char *jq_session_filename(JqSession *s);

#endif
