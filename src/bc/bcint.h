/* bcint.h - internals of bc, shared by its files.
 *
 * As GNU bc does, the parser emits a textual code string per input item
 * ("K12:" a constant, "l5:" load variable 5, "Z3:" branch if zero to label
 * 3 ...) and a loader turns it into the byte code that runs; the byte
 * offsets therefore match GNU's, which its runtime error messages show
 * ("Runtime error (func=(main), adr=3): Divide by zero"). */
#ifndef WASMSH_BCINT_H
#define WASMSH_BCINT_H

#include "bc.h"
#include "common.h"
#include "num.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct Bc Bc;

typedef struct BcArg {
    int num;      /* variable number, or -array number */
    bool ref;     /* *name[] call by reference */
} BcArg;

typedef struct BcFunc {
    char *name;
    bool defined, is_void;
    int native;            /* > 0: a math library function implemented in C */
    unsigned char *body;
    size_t size, cap;
    long *labels;          /* label -> address */
    size_t nlabels;
    BcArg *params;
    int nparams;
    BcArg *autos;
    int nautos;
} BcFunc;

/* A variable's value stack (autos and parameters shadow outer values). */
typedef struct VarStack {
    BcNum **v;
    size_t n, cap;
} VarStack;

typedef struct BcArray {
    BcNum **v;        /* NULL = 0 */
    size_t n;
    int refs;         /* shared by reference parameters */
} BcArray;

typedef struct ArrStack {
    BcArray **v;
    size_t n, cap;
} ArrStack;

typedef struct BcFrame {
    int func;
    size_t addr;
    int ibase;
} BcFrame;

struct Bc {
    UtilCtx *c;
    NumCtx nc;
    /* names */
    char **vnames; int nv;      /* simple variables (5.. are the user's) */
    char **anames; int na;      /* arrays (1..) */
    BcFunc *funcs; int nf;      /* 0 is main */
    /* storage */
    VarStack *vars;             /* indexed by variable number */
    ArrStack *arrays;           /* indexed by array number */
    int ibase, obase, scale;
    BcNum *last;
    /* machine */
    BcNum **stack; size_t sp, scap;
    BcFrame *frames; size_t nframes, cframes;
    int pc_func;
    size_t pc_addr;
    bool runtime_error;
    bool halted;
    int exit_status;
    /* code generation */
    StrBuf gen;
    bool had_error;
    bool did_gen;
    int cur_func;               /* function being loaded into */
    int load_func;
    size_t load_addr;
    /* output */
    StrBuf out;
    int out_col;
    int line_size;
    bool mathlib;
    bool quiet;
    bool posix;
    /* random(): glibc's random(3) from seed 1, as GNU bc calls it */
    uint32_t rstate[31];
    int rf, rr;
    bool rinit;
    /* input: the source being parsed, and standard input (read() reads it) */
    struct BcInput *in;
    struct BcInput *stdin_in;
};

/* bcexec.c */
void bc_load(Bc *b, const char *code);
void bc_execute(Bc *b);
void bc_reset_main(Bc *b);
void bc_out_flush(Bc *b);
void bc_out_str(Bc *b, const char *s, size_t n);
void bc_rt_error(Bc *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void bc_rt_warn(Bc *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void bc_storage_free(Bc *b);
int bc_lookup(Bc *b, const char *name, int kind); /* kind: 0 simple, 1 array, 2 function */
enum { BC_SIMPLE, BC_ARRAY, BC_FUNCT, BC_FUNCTDEF };

/* read(): a number from the standard input, in ibase. */
BcNum *bc_read_number(Bc *b);
void bc_out_char(Bc *b, char ch);

/* bcmath.c: the -l library functions e l s c a j */
void bc_define_mathlib(Bc *b);
/* Runs native function id with the arguments already bound to its parameters. */
BcNum *bc_native(Bc *b, int id, BcNum **args);

/* bcparse.c */
typedef struct BcInput BcInput;
/* Parses and runs one source (a file or stdin). Returns false on quit. */
bool bc_run_source(Bc *b, BcInput *in);
BcInput *bc_input_file(Bc *b, UcFile *f, const char *name);
BcInput *bc_input_string(Bc *b, const char *s, const char *name);
void bc_input_free(BcInput *in);
int bc_input_getc(BcInput *in);

#endif
