/* sed.h - the sed utility's engine: compiled program, input, execution.
 * Shared by compile.c (script text -> program), exec.c (running cycles over
 * input lines) and main.c (options, files, -i, push ops). Nothing outside
 * src/sed/ uses it: util_sed_main and util_sed_push are the utility's API.
 *
 * Execution is resumable: sed_run() returns SR_NEED when the input has no
 * complete line yet (push mode), remembering where it stopped (the start of
 * a cycle, or an n / N command), so a pipeline stage can be fed chunk by
 * chunk and stop its producer as soon as it quits. */
#ifndef WASMSH_SED_H
#define WASMSH_SED_H

#include "regex.h"
#include "ucommon.h"

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

enum { SED_EXIT_BAD_USAGE = 1, SED_EXIT_BAD_INPUT = 2, SED_EXIT_PANIC = 4 };

/* Address kinds. */
enum {
    AD_NONE,
    AD_LINE,  /* n1 */
    AD_LAST,  /* $ */
    AD_RE,    /* re (NULL: the last regex used) */
    AD_STEP,  /* first~step: n1~n2 */
    AD_PLUS,  /* addr1,+N (second address only) */
    AD_MULT,  /* addr1,~N (second address only) */
};

typedef struct SedRe {
    Regex *re;      /* NULL for an empty regex: the last one used at run time */
    int ngroups;
    char *lit;      /* the pattern when it is a plain string (found with memmem) */
    size_t litlen;
} SedRe;

typedef struct SedAddr {
    int kind;
    uintmax_t n1, n2;
    SedRe *re;
} SedAddr;

enum { RANGE_INACTIVE, RANGE_ACTIVE, RANGE_CLOSED };

/* One piece of an s replacement. */
enum { RP_LIT, RP_GROUP, RP_CASE };
enum { CASE_NONE, CASE_UPPER, CASE_LOWER, CASE_END, CASE_UPPER1, CASE_LOWER1 };
typedef struct SedRepl {
    int kind;
    size_t off, len; /* RP_LIT: text[off..off+len) */
    int n;           /* RP_GROUP: group; RP_CASE: CASE_* */
} SedRepl;

/* An output file of w / W / s///w; /dev/stdout is the main output. */
typedef struct SedOut {
    char *name;
    UcFile *f;          /* NULL for /dev/stdout and the main output */
    UOut own;           /* the buffer of f */
    UOut *uo;           /* where the bytes go: own, or the shared stdout buffer */
    bool missing_newline; /* the last line written had no newline (added before more) */
    bool unbuffered;    /* /dev/stderr: written at once, as GNU's stderr */
} SedOut;

/* One -e / -f piece of the script text (for error positions). */
typedef struct SedPiece {
    size_t start, len;
    int expr_no;        /* -e number; unused for a file */
    const char *file;   /* -f name, or NULL */
} SedPiece;

typedef struct SedSubst {
    SedRe *re;
    StrBuf text;        /* literal parts of the replacement */
    SedRepl *parts;
    size_t nparts;
    int max_ref;        /* highest \N used */
    bool global, eval;
    int print;          /* bit 1: p before e, bit 2: p after e */
    uintmax_t numb;     /* replace the numb-th match (1 = first) */
    SedOut *wout;
} SedSubst;

typedef struct SedCmd {
    SedAddr a1, a2;
    bool bang;
    int range;          /* RANGE_* for two-address commands */
    char cmd;
    StrBuf text;        /* a i c e text; r R w W file names; labels */
    long num;           /* q Q exit code, l width; -1 when absent */
    size_t jump;        /* { b t T: index of the target command */
    SedSubst *s;
    SedOut *out;        /* w W */
    UcFile *rfile;      /* R: opened at compile time, NULL if unreadable */
    bool rfile_eof;
    unsigned char *ymap; /* y in byte mode: 256 entries */
    StrList yfrom, yto;  /* y in UTF-8 mode: characters as strings */
    int expr_no, pos;    /* where it was defined (for messages) */
    char *file;          /* -f file name or NULL */
} SedCmd;

/* An item of the append queue (a, r, R), written at the end of the cycle. */
typedef struct SedAppend {
    const char *text;   /* a: the command's text; R: owned */
    size_t len;
    bool owned;
    const char *rname;  /* r: a file to copy */
} SedAppend;

/* The input: the named files in turn (or the pushed stream), with one byte of
 * look-ahead so `$` is known when a line is taken. */
typedef struct SedIn {
    StrBuf buf;
    size_t pos;
    size_t scanned;     /* bytes from pos already searched for a delimiter */
    bool eof;           /* the current file has no more data */
    bool open;          /* a file is current */
    UcFile *f;
    const char *name;   /* current file name ("-" for stdin) */
    char **files;
    size_t nfiles, next;
    bool push;          /* data arrives through sed_feed */
    bool reset_next;    /* reset line numbers etc. at the next file */
    unsigned bad;       /* files that could not be read */
    /* -i */
    char *target;       /* --follow-symlinks: the file a link names */
    char *tmp_name;
    struct stat st;
    UcFile *tmp_f;
} SedIn;

enum { SR_NEED = 0, SR_END = 1, SR_QUIT = 2, SR_STOP = 3 };
enum { PEND_NONE, PEND_CYCLE, PEND_n, PEND_N };

typedef struct Sed {
    UtilCtx *c;
    /* options */
    bool quiet, separate, posix, debug, unbuffered, sandbox, follow, ere, utf8;
    bool inplace;
    char *suffix;       /* -i suffix, NULL for none */
    long line_len;      /* l wrap width */
    char delim;         /* '\n', or '\0' with -z */
    /* script text being compiled */
    StrBuf script;
    SedPiece *pieces;
    size_t npieces;
    StrList owned;      /* option arguments kept alive */
    /* program */
    SedCmd *cmds;
    size_t ncmds, capcmds;
    SedRe **res;
    size_t nres, capres;
    SedOut **outs;
    size_t nouts;
    UOut stdout_uo;     /* fd 1 */
    SedOut main_out;    /* autoprint, p, i, a...: stdout, or the -i temp file */
    UOut tmp_uo;        /* -i: the temp file's buffer */
    bool have_re;       /* a regex was compiled (for "no previous regular expression") */
    /* run-time state */
    SedIn in;
    StrBuf ps, hold, accum, tmp;
    bool ps_chomped, hold_chomped;
    uintmax_t lineno;
    bool replaced;
    Regex *last_re;
    SedAppend *aq;
    size_t naq, capaq;
    int pend;           /* PEND_*: where sed_run resumes */
    size_t pc;
    int status;         /* exit status so far */
    uint64_t mem_limit; /* bytes, 0 none */
    bool fatal;         /* an error that ends the run (GNU's panic, status 4) */
    StrList in_files;
    bool done;          /* push mode: finished early */
    int result;         /* push mode: how it finished (SR_*) */
    int quit_status;
    bool quitting;
    RxSpan *caps;
    size_t ncaps;
    RxExec ex;
} Sed;

/* compile.c */
/* Compiles the script text gathered in s->script (each -e / -f piece was
 * added by sed_add_script). Returns 0, or the exit status after printing the
 * error as GNU sed words it. */
int sed_add_script(Sed *s, const char *text, size_t len, int expr_no, const char *file);
int sed_finish_program(Sed *s);
void sed_free_program(Sed *s);

/* exec.c */
int sed_run(Sed *s);
void sed_init_run(Sed *s);
void sed_free_run(Sed *s);
void sed_end_input(Sed *s);
void sed_output(Sed *s, SedOut *o, const char *text, size_t len, bool nl);
int sed_flush(Sed *s);
bool sed_stop_hook(void *ctx);
bool sed_too_big(Sed *s, size_t extra);

/* main.c (input) */
int sed_in_line(Sed *s, const char **p, size_t *n, bool *chomped);
bool sed_in_fill(Sed *s);
void sed_in_close(Sed *s);
bool sed_in_open_next(Sed *s);
bool sed_in_last(Sed *s);

#endif
