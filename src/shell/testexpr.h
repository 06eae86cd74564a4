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
 * `]`). Returns 0 true, 1 false, 2 error. POSIX rules by argument count (0-4
 * arguments), then precedence ! > -a > -o with parentheses; both sides of -a
 * and -o are evaluated, as in bash. Messages are appended to err as one line
 * "NAME: MSG" (the caller passes `name` = "test" or "["), exactly bash's:
 *   too many arguments | syntax error: `-x' unexpected | argument expected
 *   X: unary operator expected | X: binary operator expected
 *   `)' expected | `)' expected, found X | X: integer expression expected
 * Integers: optional blanks (C isspace) and sign, decimal digits, then only
 * spaces or tabs; overflow is an error. -v and -o use the hooks (absent
 * hooks or an unknown option mean false); -R is always false (no hook).
 * `missing `]'' is the caller's message. */
int test_eval(const char *name, int argc, char *const *argv, const TestHooks *h, StrBuf *err);

/* Unary operators: file tests -a -b -c -d -e -f -g -h -k -p -r -s -t -u -w -x
 * -G -L -N -O -S, and -z -n. -t takes a decimal fd (isatty). Returns 1 true,
 * 0 false, -1 for anything else, including -v -o -R, which need the shell's
 * state. Paths are used as given (no /dev/fd/N emulation). */
int test_unary(const char *op, const char *arg);
/* Binary: -nt -ot -ef = == != < > (< and > compare bytes: bash's test uses
 * strcmp, and its locale order in C.UTF-8 is the same); integer ops are the
 * caller's (they differ between test and [[ ]]). -nt is true when only the
 * left file exists, -ot when only the right one does. Returns 1, 0, or -1
 * unknown operator. */
int test_binary_str_file(const char *a, const char *op, const char *b);
/* Every operator test accepts: the unary list above plus -o -v -R ... */
bool test_is_unary_op(const char *op);
/* ... and = == != < > -nt -ot -ef -eq -ne -lt -le -gt -ge (not =~). */
bool test_is_binary_op(const char *op);

#endif
