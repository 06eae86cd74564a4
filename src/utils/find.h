/* find.h - the pieces of the find utility (GNU findutils 4.9 semantics):
 * find_parse.c turns the command line into an expression tree,
 * find_eval.c evaluates it on one file (tests and actions), find_printf.c
 * does -printf and -ls, find.c walks the trees. Internal to find. */
#ifndef WASMSH_FIND_H
#define WASMSH_FIND_H

#include "ucommon.h"

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>

enum FindFollow { FOLLOW_NEVER, FOLLOW_ARGS, FOLLOW_ALWAYS }; /* -P, -H, -L */

/* Node kinds: operators first, then every primary. */
typedef enum FKind {
    FK_AND, FK_OR, FK_COMMA, FK_NOT,
    FK_TRUE, FK_FALSE, FK_NAME, FK_PATH, FK_LNAME, FK_REGEX, FK_TYPE, FK_XTYPE,
    FK_SIZE, FK_EMPTY, FK_NEWER, FK_TIME, FK_USED, FK_PERM, FK_UID, FK_GID,
    FK_NOUSER, FK_NOGROUP, FK_LINKS, FK_INUM, FK_SAMEFILE, FK_ACCESS, FK_FSTYPE,
    FK_PRINT, FK_PRINTF, FK_LS, FK_DELETE, FK_EXEC, FK_PRUNE, FK_QUIT,
} FKind;

enum FCmp { CMP_EQ, CMP_GT, CMP_LT };
enum FTimeOf { TIME_A, TIME_C, TIME_M, TIME_B };

/* One -printf directive or literal piece. */
typedef struct FSeg {
    int kind;          /* 0 literal, 1 directive, 2 \c (stop) */
    char *text;        /* literal bytes, or the printf flags/width/precision */
    size_t len;
    char conv, aux;    /* directive letter; its second letter for %A %C %T %B */
} FSeg;

typedef struct FOutput {
    char *name;        /* NULL for stdout */
    UcFile *f;
    UOut out;
} FOutput;

typedef struct FExec FExec;

typedef struct FNode {
    FKind kind;
    struct FNode *l, *r;   /* operands of operators (FK_NOT uses r) */
    const char *arg;       /* the argument as typed (patterns, file names) */
    bool icase;            /* -iname -ipath -ilname -iregex */
    int num_cmp;           /* enum FCmp for numeric tests */
    uintmax_t num;         /* -size count, -links, -inum, -uid, -gid */
    uintmax_t blocksize;   /* -size unit */
    int time_of;           /* enum FTimeOf */
    struct timespec ref;   /* -newer*, time tests */
    int window;            /* seconds: 86400 for -mtime, 60 for -mmin */
    bool types[8];         /* -type/-xtype letters: b c d p f l s D */
    mode_t perm[2];        /* -perm value for non-directories / directories */
    int perm_kind;         /* 0 exact, '-' all bits, '/' any bit */
    dev_t dev;             /* -samefile */
    ino_t ino;
    int access_mode;       /* R_OK W_OK X_OK */
    char term;             /* -print: '\n' or '\0' */
    FOutput *out;          /* -print -printf -ls and their -f forms */
    FSeg *segs;            /* -printf */
    size_t nsegs;
    FExec *exec;           /* -exec -execdir -ok -okdir */
    struct Regex *regex;   /* compiled -regex */
} FNode;

/* A -exec family action. */
struct FExec {
    StrList argv;          /* the command template, "{}" still in place */
    bool plus, dir, ok;    /* "{} +", -execdir/-okdir, -ok/-okdir */
    StrList batch;         /* pending file names of a "+" command */
    size_t batch_bytes;
    char *batch_dir;       /* -execdir +: the directory of the batch */
    char *batch_key;       /* batch_dir, marked for the starting points' own batch */
    const char *name;      /* "-exec", "-execdir", "-ok" or "-okdir" */
};

typedef struct Find {
    UtilCtx *c;
    int follow;                /* enum FindFollow */
    int maxdepth, mindepth;    /* -1 = none */
    bool depth_first;          /* -depth (also implied by -delete) */
    bool explicit_depth;
    bool xdev, warn, ignore_race, daystart;
    int regex_type;            /* index in the find_regex_types table */
    struct timespec start;     /* when find started */
    struct timespec day_start; /* origin of -mtime and friends */
    FNode *tree;
    FNode **nodes;             /* every node, for freeing */
    size_t nnodes, capnodes;
    FExec **execs;             /* every exec action, to flush "+" batches */
    size_t nexecs;
    FOutput **outs;            /* stdout first, then -fprint files */
    size_t nouts;
    StrList starts;            /* starting points */
    const char *files0_from;   /* -files0-from: a file of NUL-ended starting points */
    /* per-file state during the walk */
    const char *start_path;    /* the starting point of the current file */
    size_t start_len;
    int cur_depth;
    bool prune, quit, stopped;
    int status;
    /* -ls column widths grow as wider values appear, as GNU's do */
    int ls_w[9];
    dev_t root_dev;            /* -xdev */
} Find;

/* The file being evaluated. */
typedef struct FFile {
    const char *path;          /* as printed */
    const char *name;          /* its last component (for -name), trailing '/' stripped */
    struct stat st;            /* stat or lstat as the follow mode says */
    bool have_st;
    bool is_link_target_missing; /* -L: a dangling symlink, st is lstat's */
} FFile;

/* find_parse.c */
/* -1 when the walk should run, else the exit status (messages printed). */
int find_parse(Find *f, int argc, char **argv);
FNode *find_node_new(Find *f, FKind k);
void find_free(Find *f);
/* find_eval.c */
bool find_eval(Find *f, FNode *n, FFile *ff);
void find_exec_flush_all(Find *f);
const char *find_fstype(dev_t dev, char buf[256]);
int find_stat(const Find *f, const char *path, int depth, struct stat *st, bool *dangling);
/* find_printf.c */
bool find_printf_parse(Find *f, FNode *n, const char *fmt);
void find_printf_run(Find *f, FNode *n, FFile *ff);
void find_ls(Find *f, FOutput *o, FFile *ff);
/* find.c */
void find_error_file(Find *f, const char *path, int err);
void find_quote_err(StrBuf *b, const char *s);

#endif
