/* jq.h - the jq language interpreter (jq 1.7/1.8 dialect): compile a
 * program once, run it on each input value. Used by the jq and yq utilities.
 *
 * No global state: everything lives in the session. Output values and errors
 * are jv values (jv.h). Evaluation is bounded: nesting depth (a clear error
 * instead of a stack overflow) and the host's stop check. */
#ifndef WASMSH_JQ_H
#define WASMSH_JQ_H

#include "common.h"
#include "jv.h"

#include <stdbool.h>

typedef struct JqSession JqSession;

typedef struct JqConfig {
    const char *file;                   /* name in messages, "<top-level>" when NULL */
    const char *const *libdirs;         /* -L directories for import/include */
    int nlibdirs;
    const char *const *var_names;       /* global $variables (without '$') */
    const Jv *var_values;               /* borrowed; copied by the session */
    int nvars;
    Jv env;                             /* $ENV and env (borrowed; copied) */
    void *ctx;                          /* passed to the hooks */
    /* `input`/`inputs`: 1 with *out, 0 at the end, -1 with *err (message). */
    int (*input)(void *ctx, Jv *out, Jv *err);
    void (*message)(void *ctx, const char *s, size_t n); /* debug, stderr */
    const char *(*filename)(void *ctx);                  /* input_filename */
    bool (*should_stop)(void *ctx);
    int max_depth;                      /* evaluation nesting bound; 0 = default */
    size_t max_stack;                   /* C stack bytes evaluation may use; 0 = default */
    bool yq;                            /* yq's dialect: `E as $x ireduce (init; update)` */
    const char *extra_prelude;          /* more builtins in jq syntax (yq's), or NULL */
} JqConfig;

/* Compiles; NULL on failure with jq's messages appended to errs (including
 * the "jq: N compile error(s)" line). */
JqSession *jq_session_new(const char *prog, size_t len, const JqConfig *cfg, StrBuf *errs);
void jq_session_free(JqSession *s);

/* Output callback: return 0 to go on, 1 to stop the run early. */
typedef int (*JqOut)(void *ctx, Jv v);

enum { JQ_RUN_OK, JQ_RUN_ERROR, JQ_RUN_HALT, JQ_RUN_STOPPED };

typedef struct JqRunResult {
    Jv error;        /* JQ_RUN_ERROR: the error value (message string or any value) */
    int halt_status; /* JQ_RUN_HALT */
    Jv halt_msg;     /* JQ_RUN_HALT: halt_error's value, invalid for halt */
} JqRunResult;

/* Runs the program on one input (consumed). */
int jq_session_run(JqSession *s, Jv input, JqOut out, void *octx, JqRunResult *res);

/* "jq: error (at FILE): MSG" text of an error value (without the prefix):
 * strings as is, other values as "VALUE (not a string)". */
void jq_error_text(StrBuf *b, Jv err);

/* For yq: true when the program's results stand for the input document
 * (identity, assignments, del, ...), so its comments can be written back. */
bool jq_session_preserves_document(const JqSession *s);
/* For yq eval-all: when the program is `. as $x ireduce (...)`, make it
 * reduce over the items of its input (the array of all documents). */
bool jq_session_reduce_all(JqSession *s);

#endif
