/* ucommon.h - helpers shared by the utilities: GNU-style option parsing,
 * buffered output, quoting of names in messages, error reporting, number
 * parsing with size suffixes, and pumping an input file into a feed function. */
#ifndef WASMSH_UCOMMON_H
#define WASMSH_UCOMMON_H

#include "common.h"
#include "util.h"

#include <stdint.h>

/* ---- option parsing (getopt_long-like, without global state) ---- */
enum { UO_NOARG, UO_REQ, UO_OPT };
enum { UO_HELP = 0x10000, UO_VERSION = 0x10001, UO_OPERAND = 0x10002, UO_ERR = '?', UO_END = -1 };

typedef struct UOptLong {
    const char *name;
    int has_arg; /* UO_NOARG, UO_REQ, UO_OPT */
    int key;     /* returned by uopt_next */
} UOptLong;

typedef struct UOpts {
    UtilCtx *c;
    int argc;
    char **argv;
    const char *shortopts;     /* getopt syntax; a leading '+' stops at the first operand */
    const UOptLong *longopts;  /* terminated by a NULL name; may be NULL */
    int i;                     /* next argv index */
    const char *cluster;       /* rest of a short-option cluster */
    bool done;                 /* "--" seen or stopped at an operand */
    bool neg_numbers;          /* "-5", "-.5" are operands (seq) */
    bool own_try_help;         /* the caller prints its own "Try ..." line (diffutils word it differently) */
    const char *msg_name;      /* name in diagnostics instead of the command's (gunzip says "gzip") */
    const char *try_line;      /* help hint line instead of "Try 'NAME --help' ..." */
    bool each_operand;         /* return UO_OPERAND (o->arg) for each operand instead of collecting it */
    char *arg;                 /* argument of the option just returned */
    int opt;                   /* the option character (for messages) */
    StrList ops;               /* operands in order (copies) */
    const char *usage_line;    /* printed before the "Try" line on an error (grep's "Usage: ..."), or NULL */
} UOpts;

void uopt_init(UOpts *o, UtilCtx *c, int argc, char **argv, const char *shortopts,
               const UOptLong *longopts);
/* Next option key; UO_END when all of argv was consumed (operands are then in
 * o->ops); UO_ERR after printing a diagnostic and the "Try ... --help" line.
 * --help and --version are recognised for every utility. */
int uopt_next(UOpts *o);
void uopt_free(UOpts *o);

/* "Try 'NAME --help' for more information." on fd 2. */
void u_try_help(UtilCtx *c);
/* Prints usage text for --help; returns 0. */
int u_help(UtilCtx *c, const char *usage);
/* Prints "NAME (wasmsh coreutils) 1.0"; returns 0. */
int u_version(UtilCtx *c);
/* "NAME: missing operand" (+ after 'X' when after != NULL) and the help hint. */
void u_missing_operand(UtilCtx *c, const char *after);
void u_extra_operand(UtilCtx *c, const char *op);
/* "NAME: missing file operand" and the help hint. */
void u_missing_file_operand(UtilCtx *c);

/* Prints "NAME: QUESTION" on fd 2 and reads an answer line from fd 0; true
 * when it starts with y or Y (EOF means no). For -i options. */
bool u_confirm(UtilCtx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- quoting names as GNU does in messages ---- */
/* Shell-escape quoting, only when needed (GNU quotef): a b -> 'a b'. Returns a
 * heap string. */
char *u_quotef(const char *s);
/* Shell-escape quoting, always quoted (GNU quoteaf, stat's %N): 'a', "it's". */
char *u_quote_always(const char *s);
/* Always quoted, C escapes inside (GNU quote): 'x', 'a\'b'. Heap string. */
char *u_quote(const char *s);
/* strerror with glibc's wording where other C libraries differ (Emscripten's
 * musl says "Result not representable" for ERANGE, "Illegal byte sequence"
 * for EILSEQ, ...): messages must read as on the GNU reference system. */
const char *u_strerror(int err);
/* lstat, except that a trailing slash resolves a symlink and requires a
 * directory as Linux does ("link/" is the directory it names, "file/" is
 * ENOTDIR): Emscripten's MEMFS ignores the slash. */
struct stat;
int u_lstat(const char *path, struct stat *st);
/* "NAME: FILE: u_strerror(err)" with FILE quoted as quotef. */
void u_err_file(UtilCtx *c, const char *file, int err);
/* "NAME: cannot open 'FILE' for reading: strerror(err)" (head, tail, split, ...). */
void u_err_open(UtilCtx *c, const char *file, int err);
/* "NAME: PREFIX 'FILE': strerror(err)"; e.g. "cannot stat". */
void u_err_op(UtilCtx *c, const char *what, const char *file, int err);

/* ---- buffered output ---- */
typedef struct UOut {
    UtilCtx *c;
    int fd;       /* used when f is NULL */
    UcFile *f;    /* output file, or NULL */
    StrBuf b;
    int err;      /* 0, or the errno of the first failed write */
} UOut;

void uout_init(UOut *o, UtilCtx *c, int fd);
void uout_init_file(UOut *o, UtilCtx *c, UcFile *f);
void uout_put(UOut *o, const char *s, size_t n);
void uout_putc(UOut *o, char ch);
void uout_puts(UOut *o, const char *s);
void uout_printf(UOut *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* v as printf's %s would print it with spec's flags, width and precision
 * ("-10", ".3"): only '-' of the flags matters; the same on every libc. */
void uout_put_padded(UOut *o, const char *spec, const char *v);
int uout_flush(UOut *o);  /* 0, or -1 once a write failed */
/* Flushes and frees. Reports a non-EPIPE write error as "write error".
 * Returns 0, or 1 when a write failed. Does not close o->f. */
int uout_close(UOut *o);

/* ---- input ---- */
typedef int (*UFeedFn)(void *st, const char *data, size_t n); /* 0 = more, 1 = stop */
/* Reads f in chunks and passes them to feed. Returns 0 at EOF, 1 when feed
 * asked to stop or the run must stop, -1 on a read error (errno set). */
int u_pump(UtilCtx *c, UcFile *f, UFeedFn feed, void *st);
/* uc_open(path, "r"); on failure prints "NAME: path: error" and returns NULL. */
UcFile *u_open_in(UtilCtx *c, const char *path);
/* True when operands allow push mode: none, or only a single "-". */
bool u_push_ok(const StrList *ops);

/* ---- locale ---- */
/* True when LC_ALL / LC_CTYPE / LANG (the first one set and non-empty) names
 * a UTF-8 locale; false for C / POSIX / unset (byte semantics). */
bool u_locale_utf8(UtilCtx *c);

/* users and groups: ident.h */

/* ---- numbers ---- */
/* Unsigned decimal with an optional size suffix (b k K kB KiB M MB MiB ... Y).
 * Returns 0, EINVAL when malformed, or EOVERFLOW when too large. */
int u_parse_size(const char *s, uintmax_t *out);
/* A plain non-negative decimal integer (no sign, no suffix). */
bool u_parse_uint(const char *s, uintmax_t *out);

#endif
