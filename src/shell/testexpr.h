/* testexpr.h - the `test` / `[` builtin's expression evaluator and the file
 * and string primitives it shares with [[ ]]. */
#ifndef WASMSH_TESTEXPR_H
#define WASMSH_TESTEXPR_H

#include "common.h"

typedef struct TestHooks {
    void *ctx;
    bool (*var_is_set)(void *ctx, const char *name);   /* -v */
    bool (*option_is_on)(void *ctx, const char *name, bool *valid); /* -o */
} TestHooks;

/* Evaluates `test` with argv[0..argc) (without the command name or the closing
 * `]`). Returns 0 true, 1 false, 2 error with a message in err such as
 * `[: too many arguments` or `test: a: integer expression expected` (the
 * caller passes `name` = "test" or "["). POSIX rules by argument count, then
 * precedence ! > -a > -o, parentheses. */
int test_eval(const char *name, int argc, char *const *argv, const TestHooks *h, StrBuf *err);

/* Unary operators: file tests -a -b -c -d -e -f -g -h -k -p -r -s -t -u -w -x
 * -G -L -N -O -S, and -z -n. Returns 1 true, 0 false, -1 unknown operator. */
int test_unary(const char *op, const char *arg);
/* Binary: -nt -ot -ef = == != < > ; integer ops are the caller's (they differ
 * between test and [[ ]]). Returns 1, 0, or -1 unknown operator. */
int test_binary_str_file(const char *a, const char *op, const char *b);
bool test_is_unary_op(const char *op);
bool test_is_binary_op(const char *op);

#endif
