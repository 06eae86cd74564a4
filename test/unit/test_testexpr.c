/* test_testexpr.c - unit tests for testexpr.c. Every expectation was produced
 * by bash 5.2.15 running `test ARGS` (or `[ ARGS ]`) with `set -f` (so the -o
 * hook reports noglob on, errexit off) and HOME and PATH set; the file tests
 * ran in a directory built exactly as make_fixture() builds it.
 *
 * Build: gcc -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE -Isrc/shell \
 *        src/shell/common.c src/shell/testexpr.c test/unit/test_testexpr.c */
#include "testexpr.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef struct Counts {
    int pass, fail;
} Counts;

static void check(Counts *c, bool ok, const char *what) {
    if (ok) {
        c->pass++;
    } else {
        c->fail++;
        printf("FAIL %s\n", what);
    }
}

/* The hooks model the shell bash ran in: only HOME and PATH are set; of the
 * options asked about, noglob is on and errexit off. */
static bool var_is_set(void *ctx, const char *name) {
    (void)ctx;
    return !strcmp(name, "HOME") || !strcmp(name, "PATH");
}

static bool option_is_on(void *ctx, const char *name, bool *valid) {
    (void)ctx;
    *valid = !strcmp(name, "noglob") || !strcmp(name, "errexit");
    return !strcmp(name, "noglob");
}

typedef struct EvalCase {
    const char *name;
    const char *argv[12];
    int status;
    const char *err;
} EvalCase;

static const EvalCase eval_cases[] = {
    {"test", {NULL}, 1, ""},
    {"test", {"", NULL}, 1, ""},
    {"test", {"x", NULL}, 0, ""},
    {"test", {"-n", NULL}, 0, ""},
    {"test", {"!", NULL}, 0, ""},
    {"test", {"(", NULL}, 0, ""},
    {"test", {"=~", NULL}, 0, ""},
    {"test", {"-t", NULL}, 0, ""},
    {"test", {"-z", NULL}, 0, ""},
    {"test", {"a", "b", NULL}, 2, "test: a: unary operator expected\n"},
    {"test", {"-q", "a", NULL}, 2, "test: -q: unary operator expected\n"},
    {"test", {"!", "", NULL}, 0, ""},
    {"test", {"!", "x", NULL}, 1, ""},
    {"test", {"-n", "", NULL}, 1, ""},
    {"test", {"-z", "", NULL}, 0, ""},
    {"test", {"1", "-eq", NULL}, 2, "test: 1: unary operator expected\n"},
    {"test", {"-t", "99", NULL}, 1, ""},
    {"test", {"-t", "abc", NULL}, 1, ""},
    {"test", {"(", "1", NULL}, 2, "test: (: unary operator expected\n"},
    {"test", {")", "1", NULL}, 2, "test: ): unary operator expected\n"},
    {"test", {"(", ")", NULL}, 2, "test: (: unary operator expected\n"},
    {"test", {"-", "x", NULL}, 2, "test: -: unary operator expected\n"},
    {"test", {"--", "x", NULL}, 2, "test: --: unary operator expected\n"},
    {"test", {"-nt", "x", NULL}, 2, "test: -nt: unary operator expected\n"},
    {"test", {"a", "b", "c", NULL}, 2, "test: b: binary operator expected\n"},
    {"test", {"a", "=", "a", NULL}, 0, ""},
    {"test", {"a", "==", "b", NULL}, 1, ""},
    {"test", {"a", "!=", "b", NULL}, 0, ""},
    {"test", {"a", "<", "b", NULL}, 0, ""},
    {"test", {"b", "<", "a", NULL}, 1, ""},
    {"test", {"a", ">", "b", NULL}, 1, ""},
    {"test", {"a", "=~", "a", NULL}, 2, "test: =~: binary operator expected\n"},
    {"test", {"1", "-a", "", NULL}, 1, ""},
    {"test", {"1", "-o", "", NULL}, 0, ""},
    {"test", {"", "-o", "", NULL}, 1, ""},
    {"test", {"!", "-n", "", NULL}, 0, ""},
    {"test", {"!", "a", "b", NULL}, 2, "test: a: unary operator expected\n"},
    {"test", {"(", "a", ")", NULL}, 0, ""},
    {"test", {"(", "", ")", NULL}, 1, ""},
    {"test", {"(", ")", ")", NULL}, 0, ""},
    {"test", {"(", "a", "b", NULL}, 2, "test: a: binary operator expected\n"},
    {"test", {"!", "=", "a", NULL}, 1, ""},
    {"test", {"=", "=", "=", NULL}, 0, ""},
    {"test", {"-a", "-a", "-a", NULL}, 0, ""},
    {"test", {"-o", "-o", "-o", NULL}, 0, ""},
    {"test", {"(", "-a", ")", NULL}, 0, ""},
    {"test", {"!", "-a", "b", NULL}, 0, ""},
    {"test", {"x", "!", "y", NULL}, 2, "test: !: binary operator expected\n"},
    {"test", {"a", "-b", "c", NULL}, 2, "test: -b: binary operator expected\n"},
    {"test", {"(", "1", "2", NULL}, 2, "test: 1: binary operator expected\n"},
    {"test", {"(", "1", "-a", NULL}, 2, "test: 1: binary operator expected\n"},
    {"test", {"test", "-t", "x", NULL}, 2, "test: -t: binary operator expected\n"},
    {"test", {"5", "-eq", "5", NULL}, 0, ""},
    {"test", {" 5 ", "-eq", "5", NULL}, 0, ""},
    {"test", {"+5", "-eq", "5", NULL}, 0, ""},
    {"test", {"-5", "-lt", "3", NULL}, 0, ""},
    {"test", {"5", "-eq", "05", NULL}, 0, ""},
    {"test", {"0x5", "-eq", "5", NULL}, 2, "test: 0x5: integer expression expected\n"},
    {"test", {"", "-eq", "0", NULL}, 2, "test: : integer expression expected\n"},
    {"test", {"99999999999999999999", "-eq", "1", NULL}, 2, "test: 99999999999999999999: integer expression expected\n"},
    {"test", {"9223372036854775807", "-gt", "-9223372036854775808", NULL}, 0, ""},
    {"test", {"-9223372036854775809", "-lt", "0", NULL}, 2, "test: -9223372036854775809: integer expression expected\n"},
    {"test", {"5\n", "-eq", "5", NULL}, 2, "test: 5\n: integer expression expected\n"},
    {"test", {"\n5", "-eq", "5", NULL}, 0, ""},
    {"test", {"5\t ", "-eq", "5", NULL}, 0, ""},
    {"test", {"x", "-eq", "1", NULL}, 2, "test: x: integer expression expected\n"},
    {"test", {"1", "-eq", "x", NULL}, 2, "test: x: integer expression expected\n"},
    {"test", {"x", "-eq", "y", NULL}, 2, "test: x: integer expression expected\n"},
    {"test", {"1", "-ne", "2", NULL}, 0, ""},
    {"test", {"2", "-le", "2", NULL}, 0, ""},
    {"test", {"3", "-le", "2", NULL}, 1, ""},
    {"test", {"3", "-ge", "3", NULL}, 0, ""},
    {"test", {"2", "-ge", "3", NULL}, 1, ""},
    {"test", {"3", "-gt", "2", NULL}, 0, ""},
    {"test", {"2", "-gt", "2", NULL}, 1, ""},
    {"test", {"1.5", "-lt", "2", NULL}, 2, "test: 1.5: integer expression expected\n"},
    {"test", {"1", "-lt", NULL}, 2, "test: 1: unary operator expected\n"},
    {"test", {"- 1", "-eq", "-1", NULL}, 2, "test: - 1: integer expression expected\n"},
    {"test", {"a", "b", "c", "d", NULL}, 2, "test: too many arguments\n"},
    {"test", {"!", "", "-a", "", NULL}, 0, ""},
    {"test", {"!", "a", "=", "a", NULL}, 1, ""},
    {"test", {"(", "-n", "x", ")", NULL}, 0, ""},
    {"test", {"(", "-z", "x", ")", NULL}, 1, ""},
    {"test", {"(", "1", "2", "3", NULL}, 2, "test: `)' expected, found 2\n"},
    {"test", {"a", "-b", "c", "d", NULL}, 2, "test: syntax error: `-b' unexpected\n"},
    {"test", {"-n", "a", "-a", "-z", NULL}, 0, ""},
    {"test", {"(", "1", ")", "x", NULL}, 2, "test: too many arguments\n"},
    {"test", {"1", "-a", "1", "-a", NULL}, 2, "test: argument expected\n"},
    {"test", {"1", "2", "3", "4", "5", NULL}, 2, "test: too many arguments\n"},
    {"test", {"(", "1", "2", "3", "4", NULL}, 2, "test: `)' expected, found 2\n"},
    {"test", {"(", "(", "1", ")", ")", NULL}, 0, ""},
    {"test", {"(", "", ")", "-o", "1", NULL}, 0, ""},
    {"test", {"!", "!", "", NULL}, 1, ""},
    {"test", {"!", "!", "!", "", NULL}, 0, ""},
    {"test", {"!", "!", "!", "", "-a", "1", NULL}, 0, ""},
    {"test", {"-n", "a", "-a", "-z", "", NULL}, 0, ""},
    {"test", {"", "-o", "", "-o", "1", NULL}, 0, ""},
    {"test", {"1", "-o", "1", "-a", "", NULL}, 0, ""},
    {"test", {"", "-a", "1", "-o", "1", NULL}, 0, ""},
    {"test", {"a", "=", "b", "-o", NULL}, 2, "test: argument expected\n"},
    {"test", {"1", "-eq", "1", "-o", NULL}, 2, "test: argument expected\n"},
    {"test", {"1", "-eq", "1", "x", NULL}, 2, "test: too many arguments\n"},
    {"test", {"1", "-a", "2", "-a", NULL}, 2, "test: argument expected\n"},
    {"test", {"", "-a", "1", "-eq", "x", NULL}, 2, "test: x: integer expression expected\n"},
    {"test", {"1", "-o", "1", "-eq", "x", NULL}, 2, "test: x: integer expression expected\n"},
    {"test", {"(", "1", "-a", "1", NULL}, 2, "test: `)' expected\n"},
    {"test", {"(", "(", "1", ")", NULL}, 2, "test: (: unary operator expected\n"},
    {"test", {"!", "(", "", ")", "-a", "1", NULL}, 0, ""},
    {"test", {"1", "-a", "!", NULL}, 0, ""},
    {"test", {"-t", "abc", "-o", "1", NULL}, 2, "test: too many arguments\n"},
    {"test", {"-t", "-o", "1", NULL}, 0, ""},
    {"test", {"1", "-a", "1", "-a", "-n", NULL}, 0, ""},
    {"test", {"-v", "HOME", NULL}, 0, ""},
    {"test", {"-v", "NO_SUCH_VAR_X", NULL}, 1, ""},
    {"test", {"!", "-v", "NO_SUCH_VAR_X", NULL}, 0, ""},
    {"test", {"-o", "noglob", NULL}, 0, ""},
    {"test", {"-o", "errexit", NULL}, 1, ""},
    {"test", {"-o", "nosuchopt", NULL}, 1, ""},
    {"test", {"-v", "HOME", "-a", "-o", "noglob", NULL}, 0, ""},
    {"test", {"-R", "x", NULL}, 1, ""},
    {"test", {"-v", NULL}, 0, ""},
    {"test", {"-e", "/", NULL}, 0, ""},
    {"test", {"-d", "/", NULL}, 0, ""},
    {"test", {"-f", "/", NULL}, 1, ""},
    {"test", {"-e", "", NULL}, 1, ""},
    {"test", {"-z", "-z", NULL}, 1, ""},
    {"test", {"-n", "-n", "-a", "-n", "-n", NULL}, 0, ""},
    {"test", {"(", "-e", "/", ")", "-a", "(", "-d", "/", ")", NULL}, 0, ""},
    {"test", {"-o", "-lt", "(", ")", " 3 ", "-a", NULL}, 2, "test: -o: integer expression expected\n"},
    {"test", {"(", "02", "=", "(", ")", "-v", NULL}, 2, "test: syntax error: `-v' unexpected\n"},
    {"test", {")", "-eq", ")", " 3 ", "-v", "(", "-a", NULL}, 2, "test: ): integer expression expected\n"},
    {"test", {"(", "-lt", "(", "-eq", "(", NULL}, 2, "test: `)' expected, found (\n"},
    {"test", {"-o", "", "-v", "-o", " 3 ", "-a", "", " 3 ", NULL}, 2, "test: syntax error: `-v' unexpected\n"},
    {"test", {"-a", "=", "-z", "-a", " 3 ", NULL}, 1, ""},
    {"test", {"(", "=", "noglob", " 3 ", NULL}, 2, "test: `)' expected, found noglob\n"},
    {"test", {"x", "HOME", "HOME", "-z", "", "-eq", "-n", NULL}, 2, "test: too many arguments\n"},
    {"test", {")", "", "02", "noglob", "x", NULL}, 2, "test: too many arguments\n"},
    {"test", {"", ")", "-a", "02", "-v", "-n", "x", NULL}, 2, "test: too many arguments\n"},
    {"test", {"noglob", "-v", "(", ")", " 3 ", NULL}, 2, "test: syntax error: `-v' unexpected\n"},
    {"test", {"x", "x", "-z", "noglob", "HOME", ")", ")", "1", NULL}, 2, "test: too many arguments\n"},
    {"test", {")", "(", "", "HOME", "", "-lt", "-z", NULL}, 2, "test: too many arguments\n"},
    {"test", {"HOME", "-z", "-n", "-a", NULL}, 2, "test: syntax error: `-z' unexpected\n"},
    {"test", {"(", "=", "", "-o", "-eq", "-lt", "-lt", NULL}, 2, "test: `)' expected, found \n"},
    {"test", {")", "-n", "HOME", "-lt", " 3 ", "1", "-o", NULL}, 2, "test: syntax error: `-n' unexpected\n"},
    {"test", {" 3 ", "1", "-v", "-z", "-lt", "-eq", "-o", NULL}, 2, "test: too many arguments\n"},
    {"test", {"-n", "-o", "-eq", "-eq", NULL}, 2, "test: syntax error: `-eq' unexpected\n"},
    {"test", {"noglob", "-n", "1", "", NULL}, 2, "test: syntax error: `-n' unexpected\n"},
    {"test", {"-o", "-v", " 3 ", "-z", NULL}, 2, "test: too many arguments\n"},
    {"test", {"x", "-o", "02", "(", "HOME", " 3 ", "-lt", "-lt", NULL}, 2, "test: too many arguments\n"},
    {"test", {"-lt", "-a", "noglob", "-lt", "(", "=", ")", NULL}, 2, "test: noglob: integer expression expected\n"},
    {"test", {"HOME", "-n", "-a", "x", "(", NULL}, 2, "test: syntax error: `-n' unexpected\n"},
    {"test", {"!", "-o", " 3 ", "-a", NULL}, 2, "test:  3 : binary operator expected\n"},
    {"test", {"!", ")", "=", "-lt", "-o", "1", NULL}, 0, ""},
    {"test", {"-z", "noglob", "-a", "-a", "noglob", "HOME", NULL}, 2, "test: too many arguments\n"},
    {"test", {"noglob", "", ")", "-o", "-a", "x", "1", NULL}, 2, "test: too many arguments\n"},
    {"test", {"-n", "02", "!", "=", "02", "-z", "-o", NULL}, 2, "test: too many arguments\n"},
    {"test", {"!", "02", "", ")", "1", "02", "-z", "-n", NULL}, 2, "test: too many arguments\n"},
    {"test", {"-eq", " 3 ", " 3 ", "02", "x", "-eq", NULL}, 2, "test: too many arguments\n"},
    {"test", {"=", "-eq", "-lt", "-eq", "=", "02", "noglob", "-z", NULL}, 2, "test: =: integer expression expected\n"},
    {"test", {"!", "1", "noglob", "1", NULL}, 2, "test: noglob: binary operator expected\n"},
    {"test", {"-z", "HOME", "-z", "-z", ")", NULL}, 2, "test: syntax error: `-z' unexpected\n"},
    {"test", {"-a", "-eq", "noglob", "=", "x", NULL}, 2, "test: -a: integer expression expected\n"},
    {"test", {"noglob", "!", "noglob", "-z", ")", NULL}, 2, "test: too many arguments\n"},
    {"test", {"-lt", "=", "noglob", "-n", NULL}, 2, "test: syntax error: `-n' unexpected\n"},
    {"test", {"x", ")", "-lt", "HOME", "-lt", ")", "-n", NULL}, 2, "test: too many arguments\n"},
    {"test", {"-o", "!", "-o", "HOME", "-o", NULL}, 2, "test: argument expected\n"},
    {"test", {"noglob", "-z", "-o", " 3 ", " 3 ", "-o", "!", "!", NULL}, 2, "test: syntax error: `-z' unexpected\n"},
    {"test", {"02", "-o", "-v", "=", NULL}, 0, ""},
    {"test", {"!", "1", "=", "", "02", NULL}, 2, "test: too many arguments\n"},
    {"test", {"x", "1", " 3 ", "-v", "-o", NULL}, 2, "test: too many arguments\n"},
    {"test", {"-z", "HOME", "02", "-v", NULL}, 2, "test: too many arguments\n"},
    {"test", {"-o", " 3 ", "-o", "02", "02", "!", "HOME", "-n", NULL}, 2, "test: too many arguments\n"},
    {"test", {"!", "-o", "-n", "-o", "noglob", "-a", " 3 ", "(", NULL}, 2, "test: too many arguments\n"},
    {"test", {"02", "02", " 3 ", "noglob", "-a", " 3 ", NULL}, 2, "test: too many arguments\n"},
    {"test", {"-eq", "=", "1", "(", NULL}, 2, "test: too many arguments\n"},
    {"test", {"02", "HOME", " 3 ", "!", NULL}, 2, "test: too many arguments\n"},
    {"test", {"HOME", "x", "02", "02", NULL}, 2, "test: too many arguments\n"},
    {"test", {"1", "HOME", "02", " 3 ", "noglob", NULL}, 2, "test: too many arguments\n"},
    {"test", {"-eq", "02", "1", " 3 ", "=", "HOME", "-o", "-v", NULL}, 2, "test: too many arguments\n"},
    {"test", {"-lt", "HOME", "x", ")", NULL}, 2, "test: too many arguments\n"},
    {"test", {"-v", ")", "=", "", "-a", NULL}, 2, "test: too many arguments\n"},
    {"test", {"-z", "-o", "1", "-o", "HOME", NULL}, 2, "test: too many arguments\n"},
    {"test", {"-a", "-lt", "noglob", "-n", "-eq", NULL}, 2, "test: -a: integer expression expected\n"},
    {"test", {"-v", "02", "-lt", "x", "-v", NULL}, 2, "test: syntax error: `-lt' unexpected\n"},
    {"test", {"-z", "x", ")", "-z", "!", NULL}, 2, "test: too many arguments\n"},
    {"test", {" 3 ", "HOME", "HOME", "!", "-lt", "x", NULL}, 2, "test: too many arguments\n"},
    {"test", {"", "02", ")", "-a", "-eq", "-a", ")", "1", NULL}, 2, "test: too many arguments\n"},
    {"test", {"(", "-n", "1", "-o", "-v", "1", NULL}, 2, "test: `)' expected\n"},
    {"[", {"a", "b", "c", "d", NULL}, 2, "[: too many arguments\n"},
    {"[", {"x", "-eq", "1", NULL}, 2, "[: x: integer expression expected\n"},
    {"[", {"a", "b", NULL}, 2, "[: a: unary operator expected\n"},
    {"[", {"(", "1", "2", "3", "4", NULL}, 2, "[: `)' expected, found 2\n"},
    {"[", {"1", "-a", NULL}, 2, "[: 1: unary operator expected\n"},
    {"[", {"-x", NULL}, 0, ""},
};

/* The arguments joined for messages. */
static void describe(char *buf, size_t n, const EvalCase *t) {
    size_t len = (size_t)snprintf(buf, n, "%s", t->name);
    for (int i = 0; t->argv[i] && len < n; i++) len += (size_t)snprintf(buf + len, n - len, " '%s'", t->argv[i]);
}

static void test_eval_table(Counts *c) {
    TestHooks h = {NULL, var_is_set, option_is_on};
    for (size_t i = 0; i < sizeof eval_cases / sizeof *eval_cases; i++) {
        const EvalCase *t = &eval_cases[i];
        int argc = 0;
        while (t->argv[argc]) argc++;
        StrBuf err;
        sb_init(&err);
        int st = test_eval(t->name, argc, (char *const *)t->argv, &h, &err);
        char what[512];
        describe(what, sizeof what, t);
        if (st != t->status || strcmp(sb_cstr(&err), t->err) != 0)
            printf("  want %d [%s]\n  got  %d [%s]\n", t->status, t->err, st, sb_cstr(&err));
        check(c, st == t->status && strcmp(sb_cstr(&err), t->err) == 0, what);
        sb_free(&err);
    }
}

/* Hooks may be absent: -v and -o are then simply false. */
static void test_no_hooks(Counts *c) {
    char *v[] = {"-v", "HOME", NULL};
    char *o[] = {"-o", "noglob", NULL};
    StrBuf err;
    sb_init(&err);
    check(c, test_eval("test", 2, v, NULL, &err) == 1, "-v without hooks");
    check(c, test_eval("test", 2, o, NULL, &err) == 1, "-o without hooks");
    check(c, err.len == 0, "no message without hooks");
    sb_free(&err);
}

typedef struct UnaryCase {
    const char *op, *arg;
    int want;
} UnaryCase;

static const UnaryCase unary_cases[] = {
    {"-a", "f", 1},
    {"-a", "empty", 1},
    {"-a", "lnk", 1},
    {"-a", "dangling", 0},
    {"-a", "fifo", 1},
    {"-a", "d", 1},
    {"-a", "old", 1},
    {"-a", "noexec", 1},
    {"-a", "nope", 0},
    {"-a", "", 0},
    {"-a", "/dev/null", 1},
    {"-b", "f", 0},
    {"-b", "empty", 0},
    {"-b", "lnk", 0},
    {"-b", "dangling", 0},
    {"-b", "fifo", 0},
    {"-b", "d", 0},
    {"-b", "old", 0},
    {"-b", "noexec", 0},
    {"-b", "nope", 0},
    {"-b", "", 0},
    {"-b", "/dev/null", 0},
    {"-c", "f", 0},
    {"-c", "empty", 0},
    {"-c", "lnk", 0},
    {"-c", "dangling", 0},
    {"-c", "fifo", 0},
    {"-c", "d", 0},
    {"-c", "old", 0},
    {"-c", "noexec", 0},
    {"-c", "nope", 0},
    {"-c", "", 0},
    {"-c", "/dev/null", 1},
    {"-d", "f", 0},
    {"-d", "empty", 0},
    {"-d", "lnk", 0},
    {"-d", "dangling", 0},
    {"-d", "fifo", 0},
    {"-d", "d", 1},
    {"-d", "old", 0},
    {"-d", "noexec", 0},
    {"-d", "nope", 0},
    {"-d", "", 0},
    {"-d", "/dev/null", 0},
    {"-e", "f", 1},
    {"-e", "empty", 1},
    {"-e", "lnk", 1},
    {"-e", "dangling", 0},
    {"-e", "fifo", 1},
    {"-e", "d", 1},
    {"-e", "old", 1},
    {"-e", "noexec", 1},
    {"-e", "nope", 0},
    {"-e", "", 0},
    {"-e", "/dev/null", 1},
    {"-f", "f", 1},
    {"-f", "empty", 1},
    {"-f", "lnk", 1},
    {"-f", "dangling", 0},
    {"-f", "fifo", 0},
    {"-f", "d", 0},
    {"-f", "old", 1},
    {"-f", "noexec", 1},
    {"-f", "nope", 0},
    {"-f", "", 0},
    {"-f", "/dev/null", 0},
    {"-g", "f", 0},
    {"-g", "empty", 1},
    {"-g", "lnk", 0},
    {"-g", "dangling", 0},
    {"-g", "fifo", 0},
    {"-g", "d", 0},
    {"-g", "old", 0},
    {"-g", "noexec", 0},
    {"-g", "nope", 0},
    {"-g", "", 0},
    {"-g", "/dev/null", 0},
    {"-h", "f", 0},
    {"-h", "empty", 0},
    {"-h", "lnk", 1},
    {"-h", "dangling", 1},
    {"-h", "fifo", 0},
    {"-h", "d", 0},
    {"-h", "old", 0},
    {"-h", "noexec", 0},
    {"-h", "nope", 0},
    {"-h", "", 0},
    {"-h", "/dev/null", 0},
    {"-k", "f", 0},
    {"-k", "empty", 0},
    {"-k", "lnk", 0},
    {"-k", "dangling", 0},
    {"-k", "fifo", 0},
    {"-k", "d", 1},
    {"-k", "old", 0},
    {"-k", "noexec", 0},
    {"-k", "nope", 0},
    {"-k", "", 0},
    {"-k", "/dev/null", 0},
    {"-p", "f", 0},
    {"-p", "empty", 0},
    {"-p", "lnk", 0},
    {"-p", "dangling", 0},
    {"-p", "fifo", 1},
    {"-p", "d", 0},
    {"-p", "old", 0},
    {"-p", "noexec", 0},
    {"-p", "nope", 0},
    {"-p", "", 0},
    {"-p", "/dev/null", 0},
    {"-r", "f", 1},
    {"-r", "empty", 1},
    {"-r", "lnk", 1},
    {"-r", "dangling", 0},
    {"-r", "fifo", 1},
    {"-r", "d", 1},
    {"-r", "old", 1},
    {"-r", "noexec", 1},
    {"-r", "nope", 0},
    {"-r", "", 0},
    {"-r", "/dev/null", 1},
    {"-s", "f", 1},
    {"-s", "empty", 0},
    {"-s", "lnk", 1},
    {"-s", "dangling", 0},
    {"-s", "fifo", 0},
    {"-s", "d", 1},
    {"-s", "old", 0},
    {"-s", "noexec", 1},
    {"-s", "nope", 0},
    {"-s", "", 0},
    {"-s", "/dev/null", 0},
    {"-u", "f", 1},
    {"-u", "empty", 0},
    {"-u", "lnk", 1},
    {"-u", "dangling", 0},
    {"-u", "fifo", 0},
    {"-u", "d", 0},
    {"-u", "old", 0},
    {"-u", "noexec", 0},
    {"-u", "nope", 0},
    {"-u", "", 0},
    {"-u", "/dev/null", 0},
    {"-w", "f", 1},
    {"-w", "empty", 1},
    {"-w", "lnk", 1},
    {"-w", "dangling", 0},
    {"-w", "fifo", 1},
    {"-w", "d", 1},
    {"-w", "old", 1},
    {"-w", "noexec", 1},
    {"-w", "nope", 0},
    {"-w", "", 0},
    {"-w", "/dev/null", 1},
    {"-x", "f", 1},
    {"-x", "empty", 1},
    {"-x", "lnk", 1},
    {"-x", "dangling", 0},
    {"-x", "fifo", 0},
    {"-x", "d", 1},
    {"-x", "old", 0},
    {"-x", "noexec", 0},
    {"-x", "nope", 0},
    {"-x", "", 0},
    {"-x", "/dev/null", 0},
    {"-G", "f", 1},
    {"-G", "empty", 1},
    {"-G", "lnk", 1},
    {"-G", "dangling", 0},
    {"-G", "fifo", 1},
    {"-G", "d", 1},
    {"-G", "old", 1},
    {"-G", "noexec", 1},
    {"-G", "nope", 0},
    {"-G", "", 0},
    {"-G", "/dev/null", 1},
    {"-L", "f", 0},
    {"-L", "empty", 0},
    {"-L", "lnk", 1},
    {"-L", "dangling", 1},
    {"-L", "fifo", 0},
    {"-L", "d", 0},
    {"-L", "old", 0},
    {"-L", "noexec", 0},
    {"-L", "nope", 0},
    {"-L", "", 0},
    {"-L", "/dev/null", 0},
    {"-N", "f", 0},
    {"-N", "empty", 1},
    {"-N", "lnk", 0},
    {"-N", "dangling", 0},
    {"-N", "fifo", 0},
    {"-N", "d", 0},
    {"-N", "old", 0},
    {"-N", "noexec", 0},
    {"-N", "nope", 0},
    {"-N", "", 0},
    {"-N", "/dev/null", 0},
    {"-O", "f", 1},
    {"-O", "empty", 1},
    {"-O", "lnk", 1},
    {"-O", "dangling", 0},
    {"-O", "fifo", 1},
    {"-O", "d", 1},
    {"-O", "old", 1},
    {"-O", "noexec", 1},
    {"-O", "nope", 0},
    {"-O", "", 0},
    {"-O", "/dev/null", 1},
    {"-S", "f", 0},
    {"-S", "empty", 0},
    {"-S", "lnk", 0},
    {"-S", "dangling", 0},
    {"-S", "fifo", 0},
    {"-S", "d", 0},
    {"-S", "old", 0},
    {"-S", "noexec", 0},
    {"-S", "nope", 0},
    {"-S", "", 0},
    {"-S", "/dev/null", 0},
    {"-z", "f", 0},
    {"-z", "empty", 0},
    {"-z", "lnk", 0},
    {"-z", "dangling", 0},
    {"-z", "fifo", 0},
    {"-z", "d", 0},
    {"-z", "old", 0},
    {"-z", "noexec", 0},
    {"-z", "nope", 0},
    {"-z", "", 1},
    {"-z", "/dev/null", 0},
    {"-n", "f", 1},
    {"-n", "empty", 1},
    {"-n", "lnk", 1},
    {"-n", "dangling", 1},
    {"-n", "fifo", 1},
    {"-n", "d", 1},
    {"-n", "old", 1},
    {"-n", "noexec", 1},
    {"-n", "nope", 1},
    {"-n", "", 0},
    {"-n", "/dev/null", 1},
};

typedef struct BinaryCase {
    const char *op, *a, *b;
    int want;
} BinaryCase;

static const BinaryCase binary_cases[] = {
    {"-nt", "f", "f", 0},
    {"-nt", "f", "old", 1},
    {"-nt", "f", "hard", 0},
    {"-nt", "f", "nope", 1},
    {"-nt", "f", "lnk", 0},
    {"-nt", "old", "f", 0},
    {"-nt", "old", "old", 0},
    {"-nt", "old", "hard", 0},
    {"-nt", "old", "nope", 1},
    {"-nt", "old", "lnk", 0},
    {"-nt", "hard", "f", 0},
    {"-nt", "hard", "old", 1},
    {"-nt", "hard", "hard", 0},
    {"-nt", "hard", "nope", 1},
    {"-nt", "hard", "lnk", 0},
    {"-nt", "nope", "f", 0},
    {"-nt", "nope", "old", 0},
    {"-nt", "nope", "hard", 0},
    {"-nt", "nope", "nope", 0},
    {"-nt", "nope", "lnk", 0},
    {"-nt", "lnk", "f", 0},
    {"-nt", "lnk", "old", 1},
    {"-nt", "lnk", "hard", 0},
    {"-nt", "lnk", "nope", 1},
    {"-nt", "lnk", "lnk", 0},
    {"-ot", "f", "f", 0},
    {"-ot", "f", "old", 0},
    {"-ot", "f", "hard", 0},
    {"-ot", "f", "nope", 0},
    {"-ot", "f", "lnk", 0},
    {"-ot", "old", "f", 1},
    {"-ot", "old", "old", 0},
    {"-ot", "old", "hard", 1},
    {"-ot", "old", "nope", 0},
    {"-ot", "old", "lnk", 1},
    {"-ot", "hard", "f", 0},
    {"-ot", "hard", "old", 0},
    {"-ot", "hard", "hard", 0},
    {"-ot", "hard", "nope", 0},
    {"-ot", "hard", "lnk", 0},
    {"-ot", "nope", "f", 1},
    {"-ot", "nope", "old", 1},
    {"-ot", "nope", "hard", 1},
    {"-ot", "nope", "nope", 0},
    {"-ot", "nope", "lnk", 1},
    {"-ot", "lnk", "f", 0},
    {"-ot", "lnk", "old", 0},
    {"-ot", "lnk", "hard", 0},
    {"-ot", "lnk", "nope", 0},
    {"-ot", "lnk", "lnk", 0},
    {"-ef", "f", "f", 1},
    {"-ef", "f", "old", 0},
    {"-ef", "f", "hard", 1},
    {"-ef", "f", "nope", 0},
    {"-ef", "f", "lnk", 1},
    {"-ef", "old", "f", 0},
    {"-ef", "old", "old", 1},
    {"-ef", "old", "hard", 0},
    {"-ef", "old", "nope", 0},
    {"-ef", "old", "lnk", 0},
    {"-ef", "hard", "f", 1},
    {"-ef", "hard", "old", 0},
    {"-ef", "hard", "hard", 1},
    {"-ef", "hard", "nope", 0},
    {"-ef", "hard", "lnk", 1},
    {"-ef", "nope", "f", 0},
    {"-ef", "nope", "old", 0},
    {"-ef", "nope", "hard", 0},
    {"-ef", "nope", "nope", 0},
    {"-ef", "nope", "lnk", 0},
    {"-ef", "lnk", "f", 1},
    {"-ef", "lnk", "old", 0},
    {"-ef", "lnk", "hard", 1},
    {"-ef", "lnk", "nope", 0},
    {"-ef", "lnk", "lnk", 1},
};

static void set_times(const char *path, time_t atime, time_t mtime) {
    struct timespec ts[2] = {{atime, 0}, {mtime, 0}};
    utimensat(AT_FDCWD, path, ts, AT_SYMLINK_NOFOLLOW);
}

static void write_file(const char *path, const char *text, mode_t mode) {
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
    chmod(path, mode);
}

/* The directory the bash run used, built in the current directory. */
static bool make_fixture(void) {
    write_file("f", "hi", 04755);
    write_file("empty", "", 02755);
    write_file("old", "", 0644);
    write_file("noexec", "x", 0644);
    if (symlink("f", "lnk") || symlink("nowhere", "dangling") || mkfifo("fifo", 0644)) return false;
    if (mkdir("d", 0755) || chmod("d", 01777) || link("f", "hard")) return false;
    set_times("f", 1600000000, 1600000000);
    set_times("empty", 946684800, 1600000000);
    set_times("old", 1577836800, 1577836800);
    set_times("noexec", 1600000000, 1600000000);
    return true;
}

static void remove_fixture(const char *dir) {
    const char *names[] = {"f", "empty", "old", "noexec", "lnk", "dangling", "fifo", "hard"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) unlink(names[i]);
    rmdir("d");
    if (chdir("/") == 0) rmdir(dir);
}

static void test_files(Counts *c) {
    char dir[] = "/tmp/test_testexpr.XXXXXX";
    char what[128];
    if (!mkdtemp(dir) || chdir(dir) != 0 || !make_fixture()) {
        check(c, false, "fixture");
        return;
    }
    for (size_t i = 0; i < sizeof unary_cases / sizeof *unary_cases; i++) {
        const UnaryCase *t = &unary_cases[i];
        snprintf(what, sizeof what, "test_unary %s '%s'", t->op, t->arg);
        check(c, test_unary(t->op, t->arg) == t->want, what);
    }
    for (size_t i = 0; i < sizeof binary_cases / sizeof *binary_cases; i++) {
        const BinaryCase *t = &binary_cases[i];
        snprintf(what, sizeof what, "test_binary_str_file '%s' %s '%s'", t->a, t->op, t->b);
        check(c, test_binary_str_file(t->a, t->op, t->b) == t->want, what);
    }
    remove_fixture(dir);
}

static void test_primitives(Counts *c) {
    check(c, test_unary("-t", "99") == 0, "-t 99");
    check(c, test_unary("-t", "x") == 0, "-t x");
    check(c, test_unary("-v", "x") == -1, "-v is the caller's");
    check(c, test_unary("-o", "x") == -1, "-o is the caller's");
    check(c, test_unary("-q", "x") == -1, "-q unknown");
    check(c, test_unary("-zz", "") == -1, "-zz unknown");
    check(c, test_binary_str_file("a", "=", "a") == 1, "a = a");
    check(c, test_binary_str_file("a", "==", "b") == 0, "a == b");
    check(c, test_binary_str_file("a", "!=", "b") == 1, "a != b");
    check(c, test_binary_str_file("B", "<", "a") == 1, "B < a (byte order)");
    check(c, test_binary_str_file("\xc3\xa9", ">", "z") == 1, "e-acute > z");
    check(c, test_binary_str_file("1", "-eq", "1") == -1, "-eq is the caller's");
    const char *un[] = {"-a", "-b", "-c", "-d", "-e", "-f", "-g", "-h", "-k", "-n", "-o", "-p", "-r", "-s",
                        "-t", "-u", "-v", "-w", "-x", "-z", "-G", "-L", "-N", "-O", "-R", "-S"};
    for (size_t i = 0; i < sizeof un / sizeof *un; i++) check(c, test_is_unary_op(un[i]), un[i]);
    const char *not_un[] = {"-", "--", "-q", "-eq", "a", "", "-y", "-E"};
    for (size_t i = 0; i < sizeof not_un / sizeof *not_un; i++) check(c, !test_is_unary_op(not_un[i]), not_un[i]);
    const char *bin[] = {"=", "==", "!=", "<", ">", "-nt", "-ot", "-ef", "-eq", "-ne", "-lt", "-le", "-gt", "-ge"};
    for (size_t i = 0; i < sizeof bin / sizeof *bin; i++) check(c, test_is_binary_op(bin[i]), bin[i]);
    const char *not_bin[] = {"=~", "-a", "-o", "===", "-e", "!", "<=", "-eqq"};
    for (size_t i = 0; i < sizeof not_bin / sizeof *not_bin; i++) check(c, !test_is_binary_op(not_bin[i]), not_bin[i]);
}

int main(void) {
    Counts c = {0, 0};
    test_eval_table(&c);
    test_no_hooks(&c);
    test_primitives(&c);
    test_files(&c);
    printf("%d passed, %d failed\n", c.pass, c.fail);
    return c.fail ? 1 : 0;
}
