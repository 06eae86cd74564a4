/* fuzz_regex.c - libFuzzer target for the regex engine (src/regex/regex.h).
 *
 * Input: one byte of options (syntax, icase, byte mode, multiline, -w/-x),
 * then the pattern up to the first NUL byte, then the subject (NULs allowed).
 * Each input is compiled; when it compiles, the subject is searched in
 * several ways that must agree: the boolean search (lazy DFA), the search
 * with captures (Pike VM or backtracker), anchored searches from every start
 * (no DFA, no prefilter), and grep's record search. Spans must be inside the
 * subject and nested as groups are. A step budget stops the backtracker. */
#include "regex.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool stop_after(void *ctx) {
    long *n = ctx;
    return ++*n > 200;
}

static void check(bool ok, const char *what) {
    if (!ok) {
        fprintf(stderr, "fuzz_regex: %s\n", what);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1 || size > 4096) return 0;
    uint8_t opt = data[0];
    const char *rest = (const char *)data + 1;
    size_t rlen = size - 1;
    const char *nul = memchr(rest, 0, rlen);
    size_t plen = nul ? (size_t)(nul - rest) : rlen;
    const char *subj = nul ? nul + 1 : "";
    size_t slen = nul ? rlen - plen - 1 : 0;
    static const RxSyntax syns[] = {RX_BRE, RX_ERE, RX_PERL, RX_EMACS};
    RxSyntax syn = syns[opt & 3];
    unsigned flags = 0;
    if (opt & 4) flags |= RX_ICASE;
    if (opt & 8) flags |= RX_BYTES;
    if (opt & 16) flags |= RX_MULTILINE;
    if (opt & 32) flags |= RX_WORDS;
    if (opt & 64) flags |= RX_LINES;
    if (opt & 128) flags |= (syn == RX_PERL ? RX_DOTALL : RX_NL_ALT);
    RxError err;
    Regex *re = rx_compile(rest, plen, syn, flags, &err);
    if (!re) {
        check(err.msg != NULL, "no error message");
        return 0;
    }
    long steps = 0;
    RxExec ex = {.should_stop = stop_after, .stop_ctx = &steps};
    int ng = rx_ngroups(re);
    size_t ncaps = (size_t)ng + 1 > 8 ? 8 : (size_t)ng + 1;
    RxSpan caps[8];
    int full = rx_search(re, subj, slen, 0, &ex, caps, ncaps);
    steps = 0;
    int boolean = rx_search(re, subj, slen, 0, &ex, NULL, 0);
    if (full >= 0 && boolean >= 0) check(full == boolean, "boolean and full searches disagree");
    if (full == RX_MATCH) {
        check(caps[0].so >= 0 && caps[0].so <= caps[0].eo && caps[0].eo <= (long)slen, "span out of range");
        for (size_t i = 1; i < ncaps; i++)
            check(caps[i].so == -1 ? caps[i].eo == -1
                                   : caps[i].so >= 0 && caps[i].so <= caps[i].eo && caps[i].eo <= (long)slen,
                  "group span out of range");
        /* an anchored search at the match start finds a match there */
        steps = 0;
        RxExec an = ex;
        an.flags = RX_ANCHORED;
        RxSpan c2[1];
        int r = rx_search(re, subj, slen, (size_t)caps[0].so, &an, c2, 1);
        if (r >= 0 && !rx_needs_backtracking(re)) check(r == RX_MATCH && c2[0].so == caps[0].so, "anchored search differs");
    }
    if (!rx_needs_backtracking(re) && boolean >= 0 && slen <= 256) {
        /* oracle: anchored searches from every start */
        bool any = false;
        for (size_t st = 0; st <= slen && !any; st++) {
            RxExec an = {.flags = RX_ANCHORED};
            RxSpan c2[1];
            any = rx_search(re, subj, slen, st, &an, c2, 1) == RX_MATCH;
        }
        check(any == (boolean == RX_MATCH), "DFA disagrees with anchored Pike searches");
    }
    if (!memchr(subj, '\n', slen) && !(flags & RX_MULTILINE)) {
        /* one record: the record search agrees */
        size_t so, eo;
        steps = 0;
        int r = rx_search_lines(re, subj, slen, 0, '\n', false, &ex, &so, &eo);
        if (r >= 0 && boolean >= 0 && slen > 0) check((r == RX_MATCH) == (boolean == RX_MATCH), "record search differs");
    }
    rx_free(re);
    return 0;
}
