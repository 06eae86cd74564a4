/* arith.h - shell arithmetic: $(( )), (( )), let, declare -i, array subscripts.
 * 64-bit signed integers with wrap-around, every C operator, ** , comma,
 * assignment operators, pre/post ++/--, ?: , bases 0x 0NNN and N#digits, and
 * variables whose values are themselves expressions (evaluated recursively). */
#ifndef WASMSH_ARITH_H
#define WASMSH_ARITH_H

#include "common.h"

/* How the evaluator reaches shell variables. `subscript` is NULL for a plain
 * name, else the raw text between [ and ] (the host decides whether it is an
 * arithmetic index or an associative key). */
typedef struct ArithHooks {
    void *ctx;
    /* Value of a variable, or NULL when unset. The pointer must stay valid until
     * the next hook call. */
    const char *(*get)(void *ctx, const char *name, const char *subscript);
    /* Assign; returns 0, or -1 after writing a message to err (e.g. readonly). */
    int (*set)(void *ctx, const char *name, const char *subscript, int64_t value, StrBuf *err);
    bool nounset; /* set -u: referencing an unset variable is an error */
    int max_depth; /* recursion limit for variables holding expressions; 0 = 1024 */
} ArithHooks;

/* Evaluates expr. Returns 0 and stores the value, or -1 and appends a bash-style
 * message to err, e.g. `1/0: division by 0 (error token is "0")` or
 * `1 +: syntax error: operand expected (error token is "+")`. The caller
 * prefixes "NAME: line N: ". An empty (all blank) expression evaluates to 0. */
int arith_eval(const ArithHooks *h, const char *expr, int64_t *out, StrBuf *err);

#endif
