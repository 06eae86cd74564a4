/* awkint.h - internals of the awk interpreter, shared by its files.
 *
 * Pipeline: lex.c + parse.c build an AST (Node), compile.c turns it into
 * bytecode (Code) for the stack machine in vm.c. Values (value.c) are
 * numbers, strings and "strnums" (user input that may look numeric), with
 * reference-counted strings. Arrays (array.c) reproduce gawk's three array
 * kinds so `for (k in a)` visits keys in gawk's order. fields.c splits
 * records, io.c reads records and owns redirections, builtins.c and
 * format.c are the built-in functions, main.c the options and the driver.
 *
 * No global mutable state: everything lives in one Awk per run. Errors do
 * not unwind by longjmp: a fatal error sets a->fatal and every loop returns. */
#ifndef WASMSH_AWKINT_H
#define WASMSH_AWKINT_H

#include "awk.h"
#include "common.h"
#include "regex.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

typedef struct Awk Awk;

/* Strings longer than this are refused (a fatal error), so a runaway
 * program stops before it exhausts the sandbox's memory. */
#define AWK_MAX_STRING (64 << 20)
typedef struct Array Array;
typedef struct Var Var;

/* ---------------------------------------------------------------- strings */
typedef struct AwkStr {
    uint32_t refs;
    size_t len;
    char s[]; /* NUL-terminated; may hold NULs inside */
} AwkStr;

AwkStr *astr_new(const char *s, size_t n);
AwkStr *astr_alloc(size_t n); /* s[n] = 0 set, contents undefined */
static inline AwkStr *astr_ref(AwkStr *s) { s->refs++; return s; }
static inline void astr_unref(AwkStr *s) {
    if (s && --s->refs == 0) free(s);
}

/* ---------------------------------------------------------------- values */
enum { V_UNINIT, V_NUM, V_STR, V_STRNUM, V_ARRAY, V_VARREF, V_REGEX /* a constant regex passed to a builtin: str text, num index */ };
enum {
    VF_NUMOK = 1,    /* num holds the numeric value (V_STR/V_STRNUM) */
    VF_STROK = 2,    /* str holds the string value (V_NUM) */
    VF_CHECKED = 4,  /* V_STRNUM: looks-numeric decided */
    VF_LOOKSNUM = 8, /* V_STRNUM: it looks numeric */
    VF_INTSTR = 16,  /* V_NUM: str is an integer's text, valid for any CONVFMT */
    VF_NULLFIELD = 32, /* a field beyond NF */
};

typedef struct Value {
    double num;
    union {
        AwkStr *str;
        Array *arr;  /* V_ARRAY (function arguments only) */
        Var *var;    /* V_VARREF: an untyped variable passed to a function */
    };
    uint8_t type, flags;
    uint32_t gen; /* CONVFMT generation of a cached non-integer string */
} Value;

static inline bool awkv_has_str(const Value *v) {
    return (v->type == V_STR || v->type == V_STRNUM || v->type == V_NUM || v->type == V_REGEX) && v->str;
}
static inline void awkv_free(Value *v) {
    if (awkv_has_str(v)) astr_unref(v->str);
    v->type = V_UNINIT;
    v->str = NULL;
}
static inline Value awkv_copy(const Value *v) {
    Value r = *v;
    if (awkv_has_str(&r)) astr_ref(r.str);
    return r;
}
static inline Value awkv_num(double d) {
    Value r = {.num = d, .type = V_NUM};
    return r;
}
static inline Value awkv_uninit(void) {
    Value r = {.type = V_UNINIT};
    return r;
}
/* Takes over s. */
static inline Value awkv_str(AwkStr *s) {
    Value r = {.str = s, .type = V_STR};
    return r;
}
static inline Value awkv_strnum(AwkStr *s) {
    Value r = {.str = s, .type = V_STRNUM};
    return r;
}

double awkv_tonum(Awk *a, Value *v);
/* A double to a 64-bit integer as gawk's casts to long behave on x86-64
 * (also in wasm32, where long is 32 bits): toward zero, and NaN or values
 * out of range give INT64_MIN (no undefined behaviour). */
int64_t awk_d2l(double d);
/* The string value (borrowed from v, cached there). */
AwkStr *awkv_tostr(Awk *a, Value *v);
/* The string for output (print): numbers use OFMT. New reference. */
AwkStr *awkv_tostr_out(Awk *a, Value *v);
bool awkv_truth(Awk *a, Value *v);
/* Numeric or string comparison per POSIX: <0, 0, >0. */
int awkv_compare(Awk *a, Value *x, Value *y);
bool awkv_looks_numeric(Awk *a, Value *v);
/* Number to string with format fmt (CONVFMT / OFMT rules: integers as %d). */
AwkStr *awk_num_to_str(Awk *a, double d, const char *fmt);
void awk_format_int(StrBuf *b, double d); /* integral d, any magnitude */
/* Awk's string to number: leading blanks, decimal only (gawk), "+inf" etc.
 * *end = bytes consumed (0 when nothing numeric). */
double awk_str_to_num(const char *s, size_t n, size_t *end);
/* True when all of s (blanks around allowed) is a number. */
bool awk_str_is_numeric(const char *s, size_t n, double *out);

/* ---------------------------------------------------------------- arrays */
Array *awka_new(void);
void awka_free(Array *a);
void awka_clear(Array *a);
size_t awka_count(const Array *a);
/* The element for subscript sub (a number or a string); created (uninit)
 * when absent and create is set, else NULL when absent. */
Value *awka_get(Awk *awk, Array *a, Value *sub, bool create);
Value *awka_get_str(Awk *awk, Array *a, const char *s, size_t n, bool create);
bool awka_delete(Awk *awk, Array *a, Value *sub);
typedef struct KeyList {
    AwkStr **v;
    size_t n;
} KeyList;
/* All keys in gawk's unsorted order (new references). */
void awka_keys(Awk *awk, Array *a, KeyList *out);
void awka_keys_free(KeyList *k);

/* ---------------------------------------------------------------- variables */
enum { K_UNTYPED, K_SCALAR, K_ARRAY, K_REF };
struct Var {
    uint8_t kind;
    bool owns;       /* K_ARRAY: arr is freed with the variable */
    bool param;      /* a function's parameter or local */
    Value v;         /* K_SCALAR */
    Array *arr;      /* K_ARRAY */
    Var *ref;        /* K_REF: caller's untyped variable */
    const char *name;
    const char *from; /* array passed in: the caller's name (messages) */
};

/* ---------------------------------------------------------------- tokens, AST */
enum {
    T_EOF, T_NEWLINE, T_LBRACE, T_RBRACE, T_LPAREN, T_RPAREN, T_LBRACKET, T_RBRACKET,
    T_SEMI, T_COMMA, T_PLUS, T_MINUS, T_STAR, T_SLASH, T_PERCENT, T_CARET, T_NOT,
    T_GT, T_LT, T_PIPE, T_PIPEAMP, T_QUESTION, T_COLON, T_TILDE, T_NOMATCH, T_DOLLAR,
    T_ASSIGN, T_ADD_ASSIGN, T_SUB_ASSIGN, T_MUL_ASSIGN, T_DIV_ASSIGN, T_MOD_ASSIGN,
    T_POW_ASSIGN, T_EQ, T_LE, T_GE, T_NE, T_INCR, T_DECR, T_AND, T_OR, T_APPEND,
    T_NUMBER, T_STRING, T_ERE, T_FUNC_NAME, T_NAME, T_BUILTIN,
    T_BEGIN, T_END, T_BEGINFILE, T_ENDFILE, T_FUNCTION, T_IF, T_ELSE, T_WHILE, T_FOR,
    T_DO, T_BREAK, T_CONTINUE, T_NEXT, T_NEXTFILE, T_EXIT, T_RETURN, T_DELETE,
    T_GETLINE, T_PRINT, T_PRINTF, T_IN, T_SWITCH, T_CASE, T_DEFAULT, T_ERROR
};

/* Built-in functions. */
enum {
    B_LENGTH, B_SUBSTR, B_INDEX, B_SPLIT, B_SUB, B_GSUB, B_MATCH, B_SPRINTF, B_SIN, B_COS,
    B_ATAN2, B_EXP, B_LOG, B_SQRT, B_INT, B_RAND, B_SRAND, B_TOLOWER, B_TOUPPER, B_SYSTEM,
    B_CLOSE, B_FFLUSH, B_GENSUB, B_PATSPLIT, B_STRFTIME, B_SYSTIME, B_MKTIME, B_ASORT,
    B_ASORTI, B_AND, B_OR, B_XOR, B_LSHIFT, B_RSHIFT, B_COMPL, B_STRTONUM, B_ISARRAY,
    B_TYPEOF, B_MKBOOL, B_COUNT
};

typedef struct Token {
    int type;
    int line;
    size_t pos;   /* offset of the token's start in the source */
    double num;
    char *str;    /* T_STRING, T_ERE, names (arena) */
    size_t len;
    int id;       /* T_BUILTIN */
} Token;

enum {
    N_NUM, N_STR, N_REGEX, N_VAR, N_FIELD, N_INDEX, N_GROUP, N_ASSIGN, N_COND, N_AND,
    N_OR, N_NOT, N_NEG, N_UPLUS, N_BINARY, N_CMP, N_MATCH, N_CONCAT, N_IN, N_INCDEC,
    N_CALL, N_BUILTIN, N_GETLINE,
    S_EXPR, S_PRINT, S_PRINTF, S_IF, S_WHILE, S_DO, S_FOR, S_FORIN, S_BLOCK, S_NEXT,
    S_NEXTFILE, S_EXIT, S_RETURN, S_BREAK, S_CONTINUE, S_DELETE, S_SWITCH, S_CASE
};

/* N_BINARY / assignment operators */
enum { OP_NONE, OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD, OP_POW };
/* N_CMP */
enum { CMP_LT, CMP_LE, CMP_GT, CMP_GE, CMP_EQ, CMP_NE };
/* N_GETLINE kinds */
enum { GL_MAIN, GL_FILE, GL_CMD };
/* print redirections */
enum { R_NONE, R_FILE, R_APPEND, R_PIPE };
/* variable scope */
enum { SC_GLOBAL, SC_LOCAL };

typedef struct Node Node;
struct Node {
    int kind;
    int op;       /* operator, builtin id, getline kind, redirection, incdec code */
    int line;
    size_t pos;
    Node *a, *b, *c, *d; /* operands / children */
    Node *next;          /* lists: arguments, statements, subscripts */
    double num;
    char *str;
    size_t len;
    int scope, slot;     /* N_VAR, N_INDEX (array), S_FORIN */
    int func;            /* N_CALL: function index */
    const char *name;
};

/* ---------------------------------------------------------------- bytecode */
enum {
    I_NOP, I_CONST, I_POP, I_DUP,
    I_GETG, I_GETL, I_GETNF, I_FIELD, I_FIELDC, I_FIELDNUMC,
    I_AGETG, I_AGETL, I_ING, I_INL, I_SUBSEP,
    I_STOREG, I_STOREL, I_STOREAG, I_STOREAL, I_STOREF,
    I_INCG, I_INCL, I_INCAG, I_INCAL, I_INCF,
    I_ADD, I_SUB, I_MUL, I_DIV, I_MOD, I_POW, I_NEG, I_UPLUS, I_NOT, I_TOBOOL,
    I_CONCAT, I_CMP, I_MATCH, I_MATCHRE, I_REGEX0,
    I_JMP, I_JFALSE, I_JTRUE,
    I_PRINT, I_PRINTF, I_NEXT, I_NEXTFILE, I_EXIT, I_EXIT0, I_RETURN, I_RETURN0,
    I_CALL, I_BUILTIN, I_PUSHARRG, I_PUSHARRL, I_PUSHNAMEG, I_PUSHNAMEL,
    I_REFG, I_REFL, I_REFAG, I_REFAL, I_REFF,
    I_GETLINE, I_DELG, I_DELL, I_DELALLG, I_DELALLL,
    I_FORIN_START, I_FORIN_NEXT, I_FORIN_POP,
    I_RANGE_CHECK, I_RANGE_SET, I_SWITCH_EQ, I_HALT
};

typedef struct Insn {
    uint8_t op;
    int32_t a, b;
    int32_t line;
} Insn;

typedef struct Code {
    Insn *v;
    size_t n, cap;
} Code;

typedef struct Func {
    char *name;
    int nparams;
    char **pnames;
    Node *body;
    Code code;
    bool defined;
    int line;
    size_t pos;
} Func;

/* A constant regex of the program, or a cached dynamic one. */
typedef struct AwkRegex {
    Regex *re;
    Regex *re_icase; /* compiled when first needed with IGNORECASE set */
    char *src;       /* the awk text (for messages and the cache) */
    size_t srclen;
    bool icase;
} AwkRegex;

typedef struct Source {
    char *name;      /* "cmd. line" or the -f file */
    int first_line;  /* line number in the concatenated text where it starts */
} Source;

typedef struct Prog {
    Code begin, main, end, beginfile, endfile;
    Func *funcs;
    int nfuncs;
    Value *consts;
    int nconsts, cconsts;
    AwkRegex *res;
    int nres, cres;
    int nranges;
    char **gnames;
    int nglobals, cglobals;
    bool has_main, has_end, has_beginfile, has_endfile;
    bool reads_main;      /* plain getline (from the main input) appears */
    Source *srcs;
    int nsrcs;
    char *text;           /* all program sources, joined */
    size_t textlen;
} Prog;

/* Special variables: the first global slots, in this order. */
enum {
    G_NF, G_NR, G_FNR, G_FS, G_OFS, G_ORS, G_RS, G_SUBSEP, G_CONVFMT, G_OFMT, G_RSTART,
    G_RLENGTH, G_FILENAME, G_FIELDWIDTHS, G_FPAT, G_IGNORECASE, G_RT, G_ENVIRON, G_ARGV,
    G_ARGC, G_PROCINFO, G_ERRNO, G_BINMODE, G_LINT, G_TEXTDOMAIN, G_NSPECIAL
};

/* ---------------------------------------------------------------- parse/compile */
/* Parses the sources (already joined in p->text) into p; false after
 * printing errors (exit status 1). */
bool awk_parse(Awk *a, Prog *p);
bool awk_compile(Awk *a, Prog *p, Node *begin, Node *main, Node *end, Node *bfile, Node *efile);
void awk_prog_free(Prog *p);
int awk_prog_global(Prog *p, const char *name); /* slot, added when new */
int awk_prog_const(Prog *p, Value v);           /* takes over v */
int awk_prog_regex(Awk *a, Prog *p, const char *src, size_t n, int line, size_t pos, bool *ok);
/* "awk: cmd. line:3: " for a line of the joined text. */
void awk_prog_where(Awk *a, StrBuf *b, int line);

/* ---------------------------------------------------------------- regex */
/* Translates awk regex text to the engine's ERE syntax and compiles it.
 * NULL after reporting an error (fatal for dynamic regexes). */
Regex *awk_regcomp(Awk *a, const char *src, size_t n, bool icase, bool dynamic);
/* Constant regex k of the program, honouring IGNORECASE. */
Regex *awk_const_re(Awk *a, int k);
/* A dynamic regex from a string, through a small cache. */
Regex *awk_dynregex(Awk *a, AwkStr *s);
/* Searches s[start..n); fills caps[0..ncaps). RX_MATCH / RX_NOMATCH, or <0 after a fatal error. */
int awk_search(Awk *a, Regex *re, const char *s, size_t n, size_t start, bool notbol, RxSpan *caps, size_t ncaps);

/* ---------------------------------------------------------------- records, fields */
typedef struct FieldSpan {
    size_t off, len;
} FieldSpan;

typedef struct Fields {
    StrBuf rec;        /* $0's text */
    Value rec_val;     /* $0 as a value (lazily made) */
    bool rec_val_ok;
    bool rec_stale;    /* a field changed: $0 must be rebuilt */
    FieldSpan *spans;  /* parsed field spans into rec */
    Value *vals;       /* fields 1..nf as values (index 0 unused) */
    bool *made;        /* vals[i] is valid */
    size_t nf;         /* fields parsed so far (all when split_done) */
    size_t cap;
    size_t parse_pos;  /* where splitting continues */
    bool split_done;
    bool all_made;     /* spans no longer valid: every field is in vals */
} Fields;

void awk_fields_init(Fields *f);
void awk_fields_free(Fields *f);
/* A new record: text copied. */
void awk_set_record(Awk *a, const char *s, size_t n);
/* Splits as needed; the value of $i (borrowed; may be the shared null field). */
Value *awk_field_get(Awk *a, size_t i);
double awk_field_num(Awk *a, size_t i);
/* Assigns $i (i may exceed NF). Takes over v. false after a fatal error. */
bool awk_field_set(Awk *a, size_t i, Value v);
size_t awk_nf(Awk *a);
bool awk_set_nf(Awk *a, double n);
/* $0 text, rebuilt when stale. */
const StrBuf *awk_record(Awk *a);
Value *awk_record_value(Awk *a);
/* Field splitting of a string into an array (split()); returns the count. */
typedef enum { FS_SPACE, FS_CHAR, FS_REGEX, FS_NULL, FS_TAB } FsKind;
typedef struct FsSpec {
    FsKind kind;
    char ch;
    Regex *re;         /* FS_REGEX (owned when own_re) */
    bool own_re;
    bool newline_too;  /* paragraph mode: newline also separates */
} FsSpec;
void awk_fs_free(FsSpec *s);
bool awk_fs_make(Awk *a, FsSpec *out, AwkStr *fs, bool for_split);
/* Splits s by spec, calling emit for each field and each separator. */
typedef void (*SplitEmit)(void *ctx, const char *p, size_t n, bool is_sep);
bool awk_fs_split(Awk *a, const FsSpec *spec, const char *s, size_t n, SplitEmit emit, void *ctx);

/* ---------------------------------------------------------------- input */
enum { RS_NEWLINE, RS_CHAR, RS_PARA, RS_REGEX };
typedef struct Reader {
    UcFile *f;        /* NULL: data only (push mode, captured command output) */
    StrBuf buf;
    size_t pos;
    size_t scan;      /* searched up to here without finding RS */
    bool eof;
    bool err;
} Reader;

void awk_reader_init(Reader *r, UcFile *f);
void awk_reader_free(Reader *r);
/* Next record: 1 (rec/len set, RT updated), 0 at EOF, 2 when more data is
 * needed (no file and not at EOF), -1 on error. */
int awk_reader_next(Awk *a, Reader *r, const char **rec, size_t *len);

/* Output streams (print > file etc.). */
typedef struct OutStream OutStream;
typedef struct InStream InStream;

/* ---------------------------------------------------------------- the interpreter */
typedef struct Frame {
    const Code *code;  /* where to return */
    size_t pc;
    Var *ret_locals;   /* the caller's variables */
    Var *locals;       /* the callee's (owned) */
    int nlocals;
    size_t sp_base;
    size_t iter_base;
    size_t ref_base;
    Func *func;
} Frame;

typedef struct ForIter {
    KeyList keys;
    size_t i;
} ForIter;

/* A reference to an lvalue (sub/gsub target, getline var). */
typedef struct LRef {
    int kind;      /* 0 var, 1 array element, 2 field */
    Var *var;
    Array *arr;
    AwkStr *key;
    size_t field;
    int slot;      /* global slot for special-variable hooks, or -1 */
} LRef;

typedef struct RegexCacheEntry {
    AwkStr *key;
    bool icase;
    Regex *re;
    uint32_t used;
} RegexCacheEntry;
#define AWK_RECACHE 32

/* Results of running code. */
enum { RUN_OK, RUN_NEXT, RUN_NEXTFILE, RUN_EXIT, RUN_FATAL, RUN_RETURN };

/* Output buffer of stdout and files: flushed in 4096-byte blocks, as glibc
 * stdio does for a pipe or file, so interleaving with commands matches. */
typedef struct OBuf {
    StrBuf b;
    int fd;         /* >= 0: a command fd (1, 2) */
    UcFile *f;      /* or a file */
    bool unbuffered;
    bool err;
} OBuf;

struct Awk {
    UtilCtx *c;
    char *name;              /* our argv[0] (a copy: push stages outlive argv) */
    Prog prog;
    Var *g;                  /* globals */
    int ng;

    /* machine */
    Value *stack;
    size_t sp, scap;
    Frame *frames;
    size_t nframes, cframes;
    ForIter *iters;
    size_t niters, citers;
    LRef *refs;
    size_t nrefs, crefs;
    bool *ranges;
    int cur_line;            /* for messages */
    bool fatal;
    int exit_status;
    bool exiting;            /* exit was run */
    bool in_end;
    bool in_begin;

    /* settings mirrored from the special variables */
    uint32_t convfmt_gen;
    char *convfmt, *ofmt;
    AwkStr *ofs, *ors, *subsep;
    FsSpec fs;               /* current FS (applies from the next record) */
    FsSpec rec_fs;           /* the FS the current record is split with */
    bool fs_dirty;
    int fw_mode;             /* 0 FS, 1 FIELDWIDTHS, 2 FPAT */
    long *fieldwidths;       /* pairs (skip, width); width -1 = rest */
    size_t nfieldwidths;
    Regex *fpat;
    int rs_mode;
    char rs_char;
    Regex *rs_re;
    bool icase;
    double nr, fnr;

    /* record */
    Fields fl;
    Value nullfield;

    /* i/o */
    OBuf out;                /* stdout */
    OutStream *outs;         /* redirections, in opening order */
    InStream *ins;
    Reader *main_rd;         /* current main input */
    UcFile *main_file;
    int argi;                /* next ARGV index */
    bool main_started, main_done, main_stdin_used, main_named;
    bool push_mode;
    bool nextfile_pending;

    /* regex */
    RegexCacheEntry recache[AWK_RECACHE];
    uint32_t recache_tick;
    bool utf8;
    bool mb_warned;
    bool posix;
    bool traditional;
    bool nondec;             /* --non-decimal-data */
    bool sandbox;

    /* rand */
    uint32_t rstate[64];
    int rfptr, rrptr;
    double seed, prev_seed;

    AwkStr *empty;
    StrBuf tmp;
    int steps;
};

/* vm.c */
int awk_vm_run(Awk *a, const Code *code);
bool awk_vm_call_cmp(Awk *a, int fidx, AwkStr *k1, Value *v1, AwkStr *k2, Value *v2, double *out);
bool awk_vm_init(Awk *a);
void awk_vm_free(Awk *a);
/* A fatal runtime error: "awk: cmd. line:N: (FILENAME=x FNR=n) fatal: MSG". */
void awk_fatal(Awk *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void awk_warning(Awk *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A parse-time error: "awk: cmd. line:N: error: MSG" (no caret). */
void awk_error_at(Awk *a, int line, const char *kind, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Special-variable hooks after a store to slot. */
void awk_special_set(Awk *a, int slot);
Var *awk_var_resolve(Var *v);
Array *awk_var_array(Awk *a, Var *v);
Value *awk_var_scalar(Awk *a, Var *v);
bool awk_lref_get(Awk *a, LRef *r, Value *out);
bool awk_lref_set(Awk *a, LRef *r, Value v);
void awk_lref_release(LRef *r);
bool awk_should_stop(Awk *a);

/* builtins.c */
/* Orders for-in keys by PROCINFO["sorted_in"] when set; false after a fatal error. */
bool awk_sort_keys(Awk *a, Array *arr, KeyList *keys);
bool awk_builtin_call(Awk *a, int id, int nargs, Value *args, Value *ret);
bool awk_sub(Awk *a, bool global, Value *re, Value *repl, LRef *target, Value *ret);
void awk_srand_init(Awk *a);
/* format.c: printf-style formatting of awk values. */
bool awk_format(Awk *a, StrBuf *out, const char *fmt, size_t fmtlen, Value *args, int nargs, const char *who);
/* strings of the current locale (UTF-8 or bytes) */
size_t awk_strlen(Awk *a, const char *s, size_t n);
size_t awk_char_offset(Awk *a, const char *s, size_t n, size_t chars); /* byte offset of char index */

/* io.c */
bool awk_print_to(Awk *a, int redir, AwkStr *target, const char *data, size_t n);
int awk_close(Awk *a, AwkStr *name, const char *how);
int awk_fflush(Awk *a, AwkStr *name, bool all);
void awk_flush_all(Awk *a);
void awk_close_all(Awk *a);
int awk_system(Awk *a, AwkStr *cmd);
/* getline: kind GL_*, src file/cmd (or NULL), target ref (or NULL). Returns 1, 0, -1 (pushes
 * nothing); -2 after a fatal error. */
int awk_getline(Awk *a, int kind, AwkStr *src, LRef *target);
/* Main input: the next record of the ARGV files / stdin; 1, 0 EOF, -1 error. */
int awk_main_next(Awk *a, const char **rec, size_t *len);
bool awk_main_open(Awk *a);
void awk_main_close(Awk *a);
void awk_obuf_put(Awk *a, OBuf *o, const char *s, size_t n);
bool awk_obuf_flush(Awk *a, OBuf *o);
void awk_io_free(Awk *a);
void awk_set_rs(Awk *a);
void awk_set_rt(Awk *a, const char *s, size_t n);

/* main.c */
void awk_apply_assignment(Awk *a, const char *arg); /* var=value operand or -v */
bool awk_is_assignment(const char *arg);
AwkStr *awk_unescape(Awk *a, const char *s, size_t n, bool warn); /* string-literal escapes */

/* helpers */
static inline Var *awk_gvar(Awk *a, int slot) { return &a->g[slot]; }
void awk_set_num(Awk *a, int slot, double d);
void awk_set_strv(Awk *a, int slot, const char *s, size_t n);

#endif
