/* brace.c - brace expansion (see pattern.h).
 *
 * Follows bash's model: a word is split into preamble, the first valid brace
 * group and postamble. The group's members (comma list or sequence) are each
 * expanded recursively, the postamble is expanded recursively, and the result
 * is the product preamble x members x postamble, in that order. A group is
 * valid only if its matching '}' is preceded by a top-level ',' or "..";
 * quotes, backslashes, ${..}, $(..), $((..)), <(..), >(..) and `..` hide
 * their contents from the scan. */
#include "pattern.h"

#include <limits.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

typedef struct Text {
    const char *t;
    size_t n;
} Text;

/* Expansion fails as a whole once a list would exceed the limit: every
 * partial list is a factor or a part of the final one, so checking early is
 * exact. */
typedef struct Ctx {
    size_t limit; /* 0 = none */
} Ctx;

static bool expand_text(const Ctx *cx, Text w, StrList *out);

static char at(Text w, size_t i) { return i < w.n ? w.t[i] : 0; }

static bool blank(char c) { return c == 0 || c == ' ' || c == '\t' || c == '\n'; }

static bool over(const Ctx *cx, size_t n) { return cx->limit && n > cx->limit; }

/* ---- scanning ---------------------------------------------------------- */

/* i is at the '(' of $(, $((, <( or >(; returns the index of its ')'. */
static size_t skip_parens(Text w, size_t i) {
    int depth = 0;
    char quote = 0;
    for (; i < w.n; i++) {
        char c = w.t[i];
        if (c == '\\' && quote != '\'') {
            i++;
        } else if (quote) {
            if (c == quote) quote = 0;
        } else if (c == '\'' || c == '"' || c == '`') {
            quote = c;
        } else if (c == '(') {
            depth++;
        } else if (c == ')' && --depth == 0) {
            return i;
        }
    }
    return w.n;
}

/* Scanner state while looking for a top-level '{', '}' or ','. */
typedef struct Scan {
    int level;  /* nesting of { } and ${ } */
    char quote; /* closing quote character, 0 outside quotes */
    bool ansi;  /* inside $'..', where backslash escapes the quote */
    int seps;   /* top-level ',' or ".." seen (for '}') */
} Scan;

/* Handles quoting and substitutions at i. Returns the number of bytes to
 * skip, or 0 when w.t[i] is an ordinary unquoted character. */
static size_t skip_special(Scan *sc, Text w, size_t i) {
    char c = w.t[i];
    if (c == '\\' && (sc->quote != '\'' || sc->ansi)) return i + 1 < w.n ? 2 : 1;
    if (c == '$' && at(w, i + 1) == '{' && sc->quote != '\'') {
        if (!sc->quote) sc->level++; /* ${ is never a brace group */
        return 2;
    }
    if (sc->quote) {
        if (sc->quote == '"' && c == '$' && at(w, i + 1) == '(') return skip_parens(w, i + 1) + 1 - i;
        if (c == sc->quote) sc->quote = 0, sc->ansi = false;
        return 1;
    }
    if (c == '$' && at(w, i + 1) == '\'') {
        sc->quote = '\'', sc->ansi = true;
        return 2;
    }
    if (c == '\'' || c == '"' || c == '`') {
        sc->quote = c;
        return 1;
    }
    if ((c == '$' || c == '<' || c == '>') && at(w, i + 1) == '(') return skip_parens(w, i + 1) + 1 - i;
    return 0;
}

/* Advances *idx to the next top-level `want` ('{', '}' or ','). For '}' it
 * must follow a top-level separator, otherwise the braces are not a group. */
static bool find(Text w, size_t *idx, char want) {
    Scan sc = {0, 0, false, want == '}' ? 0 : 1};
    size_t i = *idx;
    while (i < w.n) {
        size_t skip = skip_special(&sc, w, i);
        if (skip) {
            i += skip;
            continue;
        }
        char c = w.t[i];
        if (c == want && sc.level == 0 && sc.seps > 0) {
            /* bash ignores a '{' standing alone or directly before '}' */
            bool lone = c == '{' && (i == 0 || blank(w.t[i - 1])) &&
                        (blank(at(w, i + 1)) || at(w, i + 1) == '}');
            if (!lone) {
                *idx = i;
                return true;
            }
        } else if (c == '{') {
            sc.level++;
        } else if (c == '}' && sc.level) {
            sc.level--;
        } else if (want == '}' && sc.level == 0 &&
                   (c == ',' || (c == '.' && at(w, i + 1) == '.' && at(w, i + 2) != '}'))) {
            sc.seps++;
        }
        i++;
    }
    *idx = w.n;
    return false;
}

/* ---- sequences --------------------------------------------------------- */

typedef struct Seq {
    int64_t lo, hi, incr;
    bool chars;
    int width; /* zero padding, 0 = none */
} Seq;

/* Parses an integer like strtoimax at [p, e): optional blanks and sign, at
 * least one digit. Returns the end, or NULL (no digits or overflow). */
static const char *parse_num(const char *p, const char *e, int64_t *v) {
    while (p < e && (*p == ' ' || *p == '\t' || *p == '\n')) p++;
    bool neg = p < e && *p == '-';
    if (p < e && (*p == '-' || *p == '+')) p++;
    if (p >= e || *p < '0' || *p > '9') return NULL;
    uint64_t acc = 0, max = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; p < e && *p >= '0' && *p <= '9'; p++) {
        acc = acc * 10 + (uint64_t)(*p - '0');
        if (acc > max) return NULL;
    }
    *v = neg ? (int64_t)(0 - acc) : (int64_t)acc;
    return p;
}

static bool alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

/* Parses the right-hand side "y" or "y..incr" starting at r. */
static bool parse_rhs(const char *r, const char *e, Seq *sq, size_t *num_len) {
    const char *p;
    if ((*r >= '0' && *r <= '9') ||
        ((*r == '-' || *r == '+') && r + 1 < e && r[1] >= '0' && r[1] <= '9')) {
        p = parse_num(r, e, &sq->hi);
        if (!p || (p < e && *p != '.') || sq->chars) return false;
    } else if (alpha(*r) && (r + 1 == e || r[1] == '.')) {
        if (!sq->chars) return false;
        sq->hi = (unsigned char)*r;
        p = r + 1;
    } else {
        return false;
    }
    *num_len = (size_t)(p - r);
    sq->incr = 1;
    if (e - p > 2 && p[0] == '.' && p[1] == '.') p = parse_num(p + 2, e, &sq->incr);
    return p == e;
}

/* bash pads when either end has a leading zero ("01", "-01"), to the
 * length of the longer end as written. */
static int pad_width(const char *l, size_t ll, const char *r, size_t rl) {
    bool zl = (ll > 1 && l[0] == '0') || (ll > 2 && l[0] == '-' && l[1] == '0');
    bool zr = (rl > 1 && r[0] == '0') || (rl > 2 && r[0] == '-' && r[1] == '0');
    if (!zl && !zr) return 0;
    return (int)(ll > rl ? ll : rl);
}

/* Recognises "x..y" or "x..y..incr" (integers or single letters). */
static bool parse_seq(Text a, Seq *sq) {
    size_t k = 0;
    while (k + 1 < a.n && !(a.t[k] == '.' && a.t[k + 1] == '.')) k++;
    if (k + 1 >= a.n || k == 0 || k + 2 == a.n) return false;
    const char *l = a.t, *r = a.t + k + 2, *e = a.t + a.n;
    const char *le = parse_num(l, l + k, &sq->lo);
    while (le && le < l + k && blank(*le)) le++;
    sq->chars = !(le == l + k);
    if (sq->chars) {
        if (k != 1 || !alpha(*l)) return false;
        sq->lo = (unsigned char)*l;
    }
    size_t rl;
    if (!parse_rhs(r, e, sq, &rl)) return false;
    sq->width = sq->chars ? 0 : pad_width(l, k, r, rl);
    return true;
}

/* Number of terms, or 0 when bash would refuse the sequence (overflowing
 * range, or more terms than an int holds). */
static uint64_t seq_count(Seq *sq) {
    if (sq->incr == 0) sq->incr = 1;
    if ((sq->lo > sq->hi && sq->incr > 0) || (sq->lo < sq->hi && sq->incr < 0)) {
        if (sq->incr == INT64_MIN) return 0;
        sq->incr = -sq->incr;
    }
    int64_t big = sq->lo > sq->hi ? sq->lo : sq->hi, small = sq->lo > sq->hi ? sq->hi : sq->lo;
    uint64_t span = (uint64_t)big - (uint64_t)small;
    if (span > (uint64_t)INT64_MAX - 2) return 0;
    uint64_t step = sq->incr < 0 ? 0 - (uint64_t)sq->incr : (uint64_t)sq->incr;
    if (span / step > (uint64_t)INT_MAX - 3) return 0;
    return span / step + 1;
}

static void push_term(const Seq *sq, int64_t v, StrList *out) {
    char buf[32];
    if (sq->chars) {
        /* the words are expanded again later: a generated backslash acts as a
         * quote of nothing (an empty word, as in bash) and a backquote is literal */
        if (v == '\\') strcpy(buf, "''");
        else if (v == '`' || v == '\'' || v == '"' || v == '$') { buf[0] = '\\'; buf[1] = (char)v; buf[2] = 0; }
        else { buf[0] = (char)v; buf[1] = 0; }
    } else {
        snprintf(buf, sizeof buf, "%0*lld", sq->width, (long long)v);
    }
    sl_push_copy(out, buf);
}

enum { SEQ_NONE, SEQ_OK, SEQ_OVER };

static int expand_seq(const Ctx *cx, Text a, StrList *out) {
    Seq sq;
    if (!parse_seq(a, &sq)) return SEQ_NONE;
    uint64_t count = seq_count(&sq);
    if (count == 0) return SEQ_NONE;
    if (over(cx, count)) return SEQ_OVER;
    int64_t v = sq.lo;
    for (uint64_t k = 0; k < count; k++) {
        push_term(&sq, v, out);
        if (k + 1 < count) v += sq.incr;
    }
    return SEQ_OK;
}

/* ---- lists and products ------------------------------------------------- */

/* bash decides "list or sequence?" by a plain scan for an unescaped comma. */
static bool has_comma(Text a) {
    for (size_t i = 0; i < a.n; i++) {
        if (a.t[i] == '\\') i++;
        else if (a.t[i] == ',') return true;
    }
    return false;
}

/* Expands each comma-separated member of a list and concatenates them. */
static bool expand_list(const Ctx *cx, Text a, StrList *out) {
    size_t start = 0;
    for (;;) {
        size_t i = start;
        bool more = find(a, &i, ',');
        if (!expand_text(cx, (Text){a.t + start, i - start}, out) || over(cx, out->n)) return false;
        if (!more) return true;
        start = i + 1;
    }
}

/* Appends pre + m + p for every member m and postamble expansion p. */
static bool product(const Ctx *cx, Text pre, const StrList *mid, const StrList *post, StrList *out) {
    if (post->n && mid->n > (SIZE_MAX - out->n) / post->n) return false;
    if (over(cx, out->n + mid->n * post->n)) return false;
    StrBuf b;
    sb_init(&b);
    for (size_t i = 0; i < mid->n; i++) {
        for (size_t j = 0; j < post->n; j++) {
            sb_clear(&b);
            sb_put(&b, pre.t, pre.n);
            sb_puts(&b, mid->v[i]);
            sb_puts(&b, post->v[j]);
            sl_push_copy(out, sb_cstr(&b));
        }
    }
    sb_free(&b);
    return true;
}

/* Locates the first brace group: *open at '{', *close at its '}'. */
static bool find_group(Text w, size_t *open, size_t *close) {
    for (size_t i = 0; find(w, &i, '{'); i++) {
        size_t j = i + 1;
        if (find(w, &j, '}')) {
            *open = i;
            *close = j;
            return true;
        }
    }
    return false;
}

/* Members of the group [open, close]. Returns false only on overflow; an
 * invalid sequence is kept literally, braces included. */
static bool expand_members(const Ctx *cx, Text w, size_t open, size_t close, StrList *mid) {
    Text amble = {w.t + open + 1, close - open - 1};
    if (has_comma(amble)) return expand_list(cx, amble, mid);
    int r = expand_seq(cx, amble, mid);
    if (r == SEQ_NONE) sl_push(mid, xstrndup(w.t + open, close - open + 1));
    return r != SEQ_OVER;
}

static bool expand_text(const Ctx *cx, Text w, StrList *out) {
    size_t open, close;
    bool found = find_group(w, &open, &close);
    /* A lone invalid sequence at the very end leaves the whole word alone. */
    if (found && close + 1 == w.n && !has_comma((Text){w.t + open + 1, close - open - 1})) {
        Seq sq;
        found = parse_seq((Text){w.t + open + 1, close - open - 1}, &sq) && seq_count(&sq);
    }
    if (!found) {
        sl_push(out, xstrndup(w.t, w.n));
        return !over(cx, out->n);
    }
    StrList mid, post;
    sl_init(&mid);
    sl_init(&post);
    bool ok = expand_members(cx, w, open, close, &mid);
    if (ok && close + 1 < w.n) ok = expand_text(cx, (Text){w.t + close + 1, w.n - close - 1}, &post);
    else if (ok) sl_push_copy(&post, "");
    ok = ok && product(cx, (Text){w.t, open}, &mid, &post, out);
    sl_free(&mid);
    sl_free(&post);
    return ok;
}

long brace_expand(const char *word, size_t limit, StrList *out) {
    Ctx cx = {limit};
    StrList res;
    sl_init(&res);
    if (!expand_text(&cx, (Text){word, strlen(word)}, &res)) {
        sl_free(&res);
        return -1;
    }
    long n = (long)res.n;
    for (size_t i = 0; i < res.n; i++) sl_push(out, res.v[i]);
    free(res.v);
    return n;
}
