/* pattern.h - shell pattern matching, pathname expansion and brace expansion.
 *
 * Pattern strings use one quoting convention everywhere: a backslash makes the
 * next character literal. The expander turns quoted parts of a word into
 * backslash-escaped text before calling these, so "a*"* matches `a*` followed
 * by anything. */
#ifndef WASMSH_PATTERN_H
#define WASMSH_PATTERN_H

#include "common.h"

enum {
    PM_EXTGLOB = 1,  /* ?(..) *(..) +(..) @(..) !(..) */
    PM_NOCASE = 2,   /* case-insensitive (nocasematch / nocaseglob) */
    PM_PATHNAME = 4, /* wildcards never match '/' */
    PM_PERIOD = 8,   /* a leading '.' must be matched explicitly */
};

/* Whole-string match of s[0..n) against pat. Bracket expressions support
 * ranges, negation with ! and ^, and [:classes:]. Matching is bytewise with
 * UTF-8 awareness for ? and bracket expressions. */
bool pattern_match_n(const char *pat, const char *s, size_t n, int flags);
bool pattern_match(const char *pat, const char *s, int flags);

/* True if pat has an unescaped *, ?, [ (with a closing ]) or, with PM_EXTGLOB,
 * an extglob operator: i.e. pathname expansion should be attempted. */
bool pattern_has_magic(const char *pat, int flags);

/* Removes backslash escapes (for a pattern that matched nothing). */
char *pattern_unescape(const char *pat);

enum {
    GL_DOTGLOB = 1,   /* * matches leading dots (never . and ..) */
    GL_NOCASE = 2,
    GL_EXTGLOB = 4,
    GL_GLOBSTAR = 8,  /* ** matches across directories */
};

/* Pathname expansion of pat (escaped form). Appends the matches, sorted with
 * strcmp (the C locale order), to out. Returns the number of matches, 0 when
 * nothing matched (the caller applies nullglob/failglob/keeping the word), or
 * -1 when more than `limit` results would be produced (limit 0 = no limit). */
long glob_expand(const char *pat, int flags, size_t limit, StrList *out);

/* Brace expansion of a raw shell word (quotes, backslashes, ${..}, $(..),
 * $((..)) and `..` are respected and left intact for later expansion).
 * Appends the resulting words (still raw) to out. Returns the number of words,
 * or -1 if more than `limit` would be produced (limit 0 = no limit).
 * Supports lists {a,b}, nesting, ranges {1..10} {a..e} {01..10..2} {10..1}. */
long brace_expand(const char *word, size_t limit, StrList *out);

#endif
