/* test_regex.c - unit tests of the regex engine (src/regex/regex.h).
 * Expected spans for BRE/ERE were produced by glibc's regexec (what GNU grep,
 * sed and bash report), those for Perl by PCRE2 (grep -P). */
#include "regex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct Tally {
    int pass, fail;
} Tally;

static void check(Tally *t, bool ok, const char *what, const char *detail) {
    if (ok) {
        t->pass++;
        return;
    }
    t->fail++;
    printf("FAIL: %s%s%s\n", what, detail ? " -> " : "", detail ? detail : "");
}

/* One search case: spans "so,eo so,eo ..." for groups 0..n, "-" for no match,
 * "!" for a compile error. */
typedef struct Case {
    RxSyntax syn;
    unsigned flags;
    const char *pat, *subj, *want;
} Case;

static const Case cases[] = {
    /* leftmost-longest and POSIX captures */
    {RX_ERE, 0, "(a|ab)(c|bcd)(d*)", "abcd", "0,4 0,1 1,4 4,4"},
    {RX_ERE, 0, "(a*)(a*)", "aaa", "0,3 0,3 3,3"},
    {RX_ERE, 0, "(a*)*", "b", "0,0 0,0"},
    {RX_ERE, 0, "((a)|b)*", "ab", "0,2 1,2 0,1"},
    {RX_ERE, 0, "a|ab|abc", "xabcd", "1,4"},
    {RX_ERE, 0, "(a|b)*c", "abac", "0,4 2,3"},
    {RX_ERE, 0, "x(y)?z", "xz", "0,2 -1,-1"},
    {RX_BRE, 0, "\\(a\\)\\1", "xaa", "1,3 1,2"},
    {RX_BRE, 0, "\\(a*\\)b\\1", "aabaa", "0,5 0,2"},
    {RX_BRE, 0, "a\\{2,3\\}", "aaaa", "0,3"},
    {RX_BRE, 0, "a\\+b", "xaab", "1,4"},
    {RX_BRE, 0, "a\\|b", "cb", "1,2"},
    {RX_BRE, 0, "*a", "x*a", "1,3"},
    {RX_BRE, 0, "a*", "baaa", "0,0"},
    {RX_BRE, 0, "^a$", "a", "0,1"},
    {RX_BRE, 0, "a^b", "a^b", "0,3"},
    {RX_BRE, 0, "a$b", "a$b", "0,3"},
    {RX_ERE, 0, "[[:digit:]]+", "ab123c", "2,5"},
    {RX_ERE, 0, "[^[:alpha:]]", "ab1", "2,3"},
    {RX_ERE, 0, "[]a]+", "x]a]", "1,4"},
    {RX_ERE, 0, "[a-c-]+", "x-ab", "1,4"},
    {RX_ERE, 0, "\\bfoo\\b", "afoo foo", "5,8"},
    {RX_ERE, 0, "\\<f", "of f", "3,4"},
    {RX_ERE, 0, "o\\>", "oo o", "1,2"},
    {RX_ERE, 0, "\\w+", "  ab_1 ", "2,6"},
    {RX_ERE, 0, "\\W", "ab c", "2,3"},
    {RX_ERE, 0, "\\s", "ab c", "2,3"},
    {RX_ERE, RX_ICASE, "AbC", "xaBc", "1,4"},
    {RX_ERE, RX_ICASE, "[a-c]+", "xABCd", "1,4"},
    {RX_ERE, 0, "a{,2}", "aaa", "0,2"},
    {RX_ERE, 0, "a{2}{2}", "aaaaa", "0,4"},
    {RX_ERE, 0, "a{", "a{", "0,2"},
    {RX_ERE, 0, "(", "", "!"},
    {RX_BRE, 0, "\\(", "", "!"},
    {RX_BRE, 0, "[a", "", "!"},
    {RX_BRE, 0, "\\1", "", "!"},
    {RX_BRE, 0, "a\\{1", "", "!"},
    {RX_ERE, 0, "a{2,1}", "", "!"},
    {RX_ERE, 0, "[[:nope:]]", "", "!"},
    {RX_ERE, 0, "[:space:]", "", "!"},
    {RX_ERE, RX_REGCOMP, "[:space:]", "xa:", "1,2"},
    {RX_ERE, 0, "x{32768}", "", "!"},
    /* NUL bytes are ordinary */
    {RX_ERE, 0, "a.b", "a\0b", "0,3"},
    /* UTF-8: a dot is a character; byte mode: a byte */
    {RX_ERE, 0, "^.$", "\xc3\xa9", "0,2"},
    {RX_ERE, RX_BYTES, "^..$", "\xc3\xa9", "0,2"},
    {RX_ERE, 0, "^.$", "\xff", "-"},
    {RX_ERE, 0, "[^a]", "\xff", "-"},
    {RX_ERE, RX_BYTES, "[^a]", "\xff", "0,1"},
    {RX_ERE, 0, "[\xc3\xa0-\xc3\xa9]", "", "!"},
    {RX_ERE, RX_ICASE, "\xc3\xa9", "\xc3\x89", "0,2"},
    {RX_ERE, 0, "[[:alpha:]]+", "1\xc3\xa9t\xc3\xa9!", "1,6"},
    {RX_ERE, 0, "\\w+", "\xd0\xbf\xd1\x80\xd0\xb8 x", "0,6"},
    /* multiline and newline handling */
    {RX_ERE, RX_MULTILINE, "^b", "a\nb", "2,3"},
    {RX_ERE, 0, "^b", "a\nb", "-"},
    {RX_ERE, RX_NEWLINE, "a.b", "a\nb", "-"},
    {RX_ERE, 0, "a.b", "a\nb", "0,3"},
    /* grep -w, -x, -F, several patterns */
    {RX_ERE, RX_WORDS, "ab", "abc ab", "4,6"},
    {RX_ERE, RX_WORDS, "a.*", "ab c", "0,4"},
    {RX_ERE, RX_LINES, "ab|abc", "abc", "0,3"},
    {RX_ERE, RX_LITERAL, "a.*b", "xa.*b", "1,5"},
    {RX_BRE, RX_NL_ALT, "x\ny", "aay", "2,3"},
    {RX_BRE, RX_NL_ALT, "\\(a\\)\\1\n\\(b\\)\\1", "bb", "0,2 -1,-1 0,1"},
    /* Perl */
    {RX_PERL, 0, "a|ab", "ab", "0,1"},
    {RX_PERL, 0, "a+?", "aaa", "0,1"},
    {RX_PERL, 0, "(\\d+)-(\\d+)", "x 12-345", "2,8 2,4 5,8"},
    {RX_PERL, 0, "(?i)abc", "ABC", "0,3"},
    {RX_PERL, 0, "a(?=b)", "acab", "2,3"},
    {RX_PERL, 0, "a(?!b)", "abac", "2,3"},
    {RX_PERL, 0, "(?<=x)a", "axa", "2,3"},
    {RX_PERL, 0, "(?<!x)a", "xaa", "2,3"},
    {RX_PERL, 0, "a++a", "aaa", "-"},
    {RX_PERL, 0, "(?>a+)b", "aab", "0,3"},
    {RX_PERL, 0, "(?<y>a)\\k<y>", "aa", "0,2 0,1"},
    {RX_PERL, 0, "\\x{e9}", "\xc3\xa9", "0,2"},
    {RX_PERL, 0, "\\x41", "A", "0,1"},
    {RX_PERL, 0, "(?:ab)+", "ababa", "0,4"},
    {RX_PERL, 0, "\\h+", "a \t b", "1,4"},
    {RX_PERL, 0, "a.c", "a\nc", "-"},
    {RX_PERL, 0, "(?s)a.c", "a\nc", "0,3"},
    {RX_PERL, RX_EXTENDED, "a b # c", "ab", "0,2"},
    {RX_PERL, 0, "\\Qa.b\\E+", "a.bb", "0,4"},
    {RX_PERL, 0, "a{,2}", "a{,2}", "0,5"},
    {RX_PERL, 0, "(a)|(b)", "b", "0,1 -1,-1 0,1"},
    {RX_PERL, 0, "*", "", "!"},
    {RX_PERL, 0, "(?<=a+)b", "", "!"},
    {RX_PERL, 0, "\\p", "", "!"},
    {RX_EMACS, 0, "a+\\(b\\|c\\)", "aac", "0,3 2,3"},
};

static void render(char *out, size_t cap, int r, const RxSpan *m, int n) {
    if (r != RX_MATCH) {
        snprintf(out, cap, "-");
        return;
    }
    size_t len = 0;
    out[0] = 0;
    for (int i = 0; i < n && len + 32 < cap; i++)
        len += (size_t)snprintf(out + len, cap - len, "%s%ld,%ld", i ? " " : "", m[i].so, m[i].eo);
}

static size_t subj_len(const Case *c) {
    /* "a\0b" style subjects: the tests that need a NUL spell it at index 1 */
    if (!strcmp(c->subj, "a") && !strcmp(c->pat, "a.b")) return 3;
    return strlen(c->subj);
}

static void run_cases(Tally *t) {
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        const Case *c = &cases[k];
        RxError err;
        Regex *re = rx_compile(c->pat, strlen(c->pat), c->syn, c->flags, &err);
        char got[256], what[256];
        snprintf(what, sizeof what, "case %zu /%s/ on \"%s\"", k, c->pat, c->subj);
        if (!re) {
            check(t, !strcmp(c->want, "!"), what, err.msg);
            continue;
        }
        int n = rx_ngroups(re) + 1;
        RxSpan m[16];
        int r = rx_search(re, c->subj, subj_len(c), 0, NULL, m, (size_t)(n > 16 ? 16 : n));
        render(got, sizeof got, r, m, n > 16 ? 16 : n);
        check(t, !strcmp(got, c->want), what, got);
        /* the boolean search agrees */
        int b = rx_search(re, c->subj, subj_len(c), 0, NULL, NULL, 0);
        check(t, (b == RX_MATCH) == (r == RX_MATCH), what, "boolean search disagrees");
        rx_free(re);
    }
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* (a*)*b on 100k a's: linear, not exponential. */
static void run_linear(Tally *t) {
    size_t n = 100000;
    char *s = malloc(n);
    memset(s, 'a', n);
    const char *pats[] = {"(a*)*b", "(a|aa)*c", "(a?){50}a{50}x", "(x+x+)+y"};
    for (size_t k = 0; k < sizeof pats / sizeof *pats; k++) {
        Regex *re = rx_compile(pats[k], strlen(pats[k]), RX_ERE, 0, NULL);
        double t0 = now();
        RxSpan m[2];
        int r = rx_search(re, s, n, 0, NULL, m, 2);
        double dt = now() - t0;
        char what[128];
        snprintf(what, sizeof what, "linear time for %s (%.3f s)", pats[k], dt);
        check(t, r == RX_NOMATCH && dt < 2.0, what, NULL);
        rx_free(re);
    }
    free(s);
}

static bool stop_after(void *ctx) {
    int *n = ctx;
    return ++*n > 20;
}

/* A catastrophic back-reference pattern stops cleanly at the budget. */
static void run_budget(Tally *t) {
    const char *pat = "\\(a*\\)*\\1b";
    Regex *re = rx_compile(pat, strlen(pat), RX_BRE, 0, NULL);
    char s[64];
    memset(s, 'a', sizeof s);
    int calls = 0;
    RxExec ex = {.should_stop = stop_after, .stop_ctx = &calls};
    int r = rx_search(re, s, sizeof s, 0, &ex, NULL, 0);
    check(t, r == RX_BUDGET, "backtracking stops at the budget", NULL);
    rx_free(re);
}

static void run_api(Tally *t) {
    Regex *re = rx_compile("(?<year>\\d{4})-(?<m>\\d\\d)", 25, RX_PERL, 0, NULL);
    check(t, re && rx_ngroups(re) == 2, "perl groups", NULL);
    check(t, re && rx_group_index(re, "m", 1) == 2, "named group lookup", NULL);
    check(t, re && rx_group_index(re, "x", 1) == -1, "unknown name", NULL);
    rx_free(re);
    re = rx_compile("*a", 2, RX_ERE, 0, NULL);
    check(t, re && rx_warning(re, 0) && !strcmp(rx_warning(re, 0), "* at start of expression"), "warning", NULL);
    rx_free(re);
    /* NOTBOL, start offsets and \b looking behind the start */
    re = rx_compile("^a", 2, RX_ERE, 0, NULL);
    RxExec ex = {.flags = RX_NOTBOL};
    check(t, rx_search(re, "a", 1, 0, &ex, NULL, 0) == RX_NOMATCH, "NOTBOL", NULL);
    rx_free(re);
    re = rx_compile("\\bb", 3, RX_ERE, 0, NULL);
    check(t, rx_search(re, "ab", 2, 1, NULL, NULL, 0) == RX_NOMATCH, "\\b sees before start", NULL);
    rx_free(re);
    /* record search */
    re = rx_compile("b+", 2, RX_ERE, 0, NULL);
    size_t so, eo;
    const char *buf = "aa\nxbbx\nc\n";
    int r = rx_search_lines(re, buf, strlen(buf), 0, '\n', false, NULL, &so, &eo);
    check(t, r == RX_MATCH && so == 3 && eo == 7, "search_lines", NULL);
    r = rx_search_lines(re, buf, strlen(buf), 3, '\n', true, NULL, &so, &eo);
    check(t, r == RX_MATCH && so == 8 && eo == 9, "search_lines invert", NULL);
    rx_free(re);
}

int main(void) {
    Tally t = {0, 0};
    run_cases(&t);
    run_linear(&t);
    run_budget(&t);
    run_api(&t);
    printf("test_regex: %d passed, %d failed\n", t.pass, t.fail);
    return t.fail ? 1 : 0;
}
