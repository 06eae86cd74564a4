/* regex.h - wasmsh's regular expression engine: the whole API.
 *
 * Dialects: POSIX BRE and ERE with the GNU extensions (grep -G/-E, sed,
 * expr, [[ =~ ]], awk, find), Emacs syntax (find's default -regextype), and
 * a Perl/PCRE-style dialect (grep -P, jq). Patterns and subjects are
 * (pointer, length) pairs: NUL bytes are ordinary characters.
 *
 * Semantics: BRE/ERE/Emacs find the POSIX leftmost-longest match; capture
 * groups are then filled as glibc reports them (the first alternative and the
 * greediest repetition that still give that overall match; a repeated group
 * holds its last iteration; a group that did not take part is -1). Perl finds
 * the leftmost-first match (backtracking priority order).
 *
 * Characters: UTF-8 by default (`.` is one character, an invalid byte matches
 * only itself or a negated bracket in byte mode); RX_BYTES makes every byte a
 * character (LC_ALL=C).
 *
 * Cost: a pattern without back-references, lookaround or atomic groups /
 * possessive quantifiers is matched in time linear in the subject (lazy DFA
 * and Pike VM; no backtracking). Those features use a backtracking matcher
 * that polls the caller's stop hook and returns RX_BUDGET when told to stop.
 *
 * Threads: there is no global mutable state. A compiled Regex keeps a lazily
 * built DFA cache inside, so one Regex must not be searched by two threads
 * at the same time; its meaning never changes once compiled. */
#ifndef WASMSH_REGEX_H
#define WASMSH_REGEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct Regex Regex;

typedef enum RxSyntax {
    RX_BRE,   /* grep -G, sed, expr: \( \) \{ \} \| \+ \? are operators */
    RX_ERE,   /* grep -E, sed -E, awk, [[ =~ ]]: ( ) { } | + ? */
    RX_PERL,  /* grep -P, jq: PCRE-style, leftmost-first */
    RX_EMACS, /* find -regextype emacs: \( \) \| groups, + ? operators, no intervals */
} RxSyntax;

/* Compile flags. */
enum {
    RX_ICASE = 1u << 0,     /* case-insensitive (grep -i, sed I, (?i)) */
    RX_BYTES = 1u << 1,     /* a byte is a character (C locale); default UTF-8 */
    RX_MULTILINE = 1u << 2, /* ^ and $ also match after / before a newline (sed M, (?m)) */
    RX_NEWLINE = 1u << 3,   /* POSIX REG_NEWLINE: RX_MULTILINE, and . and [^..] do not match newline */
    RX_DOTALL = 1u << 4,    /* Perl (?s): . matches newline (POSIX dialects always do, unless RX_NEWLINE) */
    RX_EXTENDED = 1u << 5,  /* Perl (?x): unescaped whitespace and #-comments ignored */
    RX_LITERAL = 1u << 6,   /* the pattern is a fixed string (grep -F) */
    RX_NL_ALT = 1u << 7,    /* a newline in the pattern separates alternatives (grep -e A -e B) */
    RX_WORDS = 1u << 8,     /* grep -w: a match must be a whole word (see rx_search) */
    RX_LINES = 1u << 9,     /* grep -x: a match must be the whole subject / line */
    RX_REGCOMP = 1u << 10,  /* glibc regcomp quirks instead of GNU grep/sed ones: [:space:] is a
                             * bracket, an unmatched ) in ERE is an error ([[ =~ ]]) */
};

/* Search flags. */
enum {
    RX_NOTBOL = 1u << 0,   /* the subject's start is not a line start: ^ does not match at 0 */
    RX_NOTEOL = 1u << 1,   /* the subject's end is not a line end: $ does not match at len */
    RX_ANCHORED = 1u << 2, /* the match must start at the start offset */
    RX_NOTEMPTY = 1u << 3, /* an empty match is not a match (Perl: look further) */
};

/* Return values of rx_search and rx_search_lines. */
enum {
    RX_MATCH = 1,
    RX_NOMATCH = 0,
    RX_BUDGET = -1, /* the stop hook said stop: the search was abandoned */
    RX_ENOMEM = -2, /* a bounded internal allocation failed */
};

/* A span of bytes [so, eo) in the subject; -1, -1 for a group that did not match. */
typedef struct RxSpan {
    long so, eo;
} RxSpan;

/* The stop hook: polled every few thousand steps of the matchers. A utility
 * passes a function that calls uc_should_stop on its UtilCtx. May be NULL. */
typedef bool (*RxStopFn)(void *ctx);

typedef struct RxExec {
    unsigned flags;       /* RX_NOTBOL ... */
    RxStopFn should_stop; /* NULL: never stop */
    void *stop_ctx;
} RxExec;

/* An error from rx_compile: msg is a static string worded as GNU's (glibc's
 * regerror for BRE/ERE, PCRE2's for Perl), offset is where in the pattern it
 * was found (-1 when unknown). */
typedef struct RxError {
    const char *msg;
    long offset;
} RxError;

/* Compiles pat[0..len). Returns NULL and fills *err on a bad pattern. */
Regex *rx_compile(const char *pat, size_t len, RxSyntax syntax, unsigned flags, RxError *err);
void rx_free(Regex *re);

/* Number of capture groups (not counting the whole match, group 0). */
int rx_ngroups(const Regex *re);
/* The group number of a named group ((?<name>...)), or -1. */
int rx_group_index(const Regex *re, const char *name, size_t len);
/* Warnings GNU grep prints for this pattern ("* at start of expression"),
 * one per call with i = 0, 1, ...; NULL after the last. */
const char *rx_warning(const Regex *re, int i);

/* Searches subj[0..len) for the first match starting at or after `start`
 * (bytes before `start` are still seen by \b, \< and lookbehind). Fills
 * caps[0..ncaps) (caps[0] the whole match, caps[i] group i; groups beyond
 * rx_ngroups are set to -1); caps may be NULL when ncaps is 0, which is also
 * the fastest way to ask only whether there is a match.
 * With RX_WORDS / RX_LINES compiled in, the match is the first one (as GNU
 * grep -w / -x find it) that is delimited by non-word characters / spans the
 * whole subject. ex may be NULL. */
int rx_search(Regex *re, const char *subj, size_t len, size_t start, const RxExec *ex,
              RxSpan *caps, size_t ncaps);

/* grep's fast path over a buffer of many records each ended by `eol` ('\n' or
 * '\0'; the last one may be unterminated). Finds the first record at or after
 * offset `start` (a record start) that contains a match; each record is
 * searched as a subject of its own. On RX_MATCH, *rec_so and *rec_eo delimit
 * the record without its eol byte. With invert, finds the first record that
 * does NOT match (grep -v). */
int rx_search_lines(Regex *re, const char *buf, size_t len, size_t start, char eol, bool invert,
                    const RxExec *ex, size_t *rec_so, size_t *rec_eo);

/* ripgrep's questions about newlines. rx_can_match_newline: some match may
 * contain a newline byte (a literal newline, a class holding it, `.` with
 * RX_DOTALL), which is when ripgrep -U searches a whole buffer rather than
 * line by line. rx_has_newline_literal: the pattern holds a literal newline
 * or a class of the newline alone (`\n`, `[\n]`, not `[a\n]` or `\s`), which
 * ripgrep refuses without -U. */
bool rx_can_match_newline(const Regex *re);
bool rx_has_newline_literal(const Regex *re);

/* True when the pattern uses features that need the backtracking matcher
 * (back-references, lookaround, atomic groups, possessive quantifiers). */
bool rx_needs_backtracking(const Regex *re);

/* The engine's character helpers, for utilities that convert case the same
 * way the matcher folds it (sed's \U \L \u \l). Code points in, code points out. */
uint32_t rx_upper(uint32_t cp);
uint32_t rx_lower(uint32_t cp);
/* One UTF-8 character at s (n bytes available): its length (1..4), or 0 when
 * the bytes are not a valid character (then *cp is the first byte). */
int rx_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);
/* Writes cp as UTF-8 to out (room for 4 bytes); returns the length. */
int rx_utf8_encode(uint32_t cp, unsigned char *out);

#endif
