/* pattern.c - shell pattern matching (see pattern.h).
 *
 * Plain patterns are matched with the classic "remember the last star"
 * backtracking: on a mismatch only the most recent `*` is extended by one
 * character, which keeps matching of patterns like *a*a*a*b linear-ish instead
 * of exponential. Extglob operators need real backtracking: when one is met,
 * the rest of the match (operator + remaining pattern) is decided by a
 * recursive search over the possible end positions of the operator. */
#include "pattern.h"

#include <stdlib.h>
#include <string.h>

/* State shared by every level of one pattern_match_n call. */
typedef struct MatchCtx {
    const char *s0; /* start of the subject, for the leading-period rule */
    int flags;
} MatchCtx;

static bool match_range(const MatchCtx *cx, const char *p, const char *pe,
                        const char *s, const char *se);

/* ---- characters ------------------------------------------------------- */

static int lower(int c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

/* Length of the character at s: a well-formed UTF-8 sequence counts as one
 * character, anything else (stray continuation bytes, truncation) as a byte,
 * so arbitrary binary strings still match predictably. */
static size_t u8len(const char *s, const char *e) {
    unsigned char c = (unsigned char)*s;
    size_t n = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 1;
    if (c >= 0xF5 || n > (size_t)(e - s)) return 1;
    for (size_t i = 1; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) return 1;
    return n;
}

static uint32_t u8decode(const char *s, size_t n) {
    const unsigned char *u = (const unsigned char *)s;
    if (n == 1) return u[0];
    uint32_t c = u[0] & (0x7F >> n);
    for (size_t i = 1; i < n; i++) c = (c << 6) | (u[i] & 0x3F);
    return c;
}

/* Reads one character at *s (bounded by e) and advances past it. */
static uint32_t take_char(const char **s, const char *e) {
    size_t n = u8len(*s, e);
    uint32_t c = u8decode(*s, n);
    *s += n;
    return c;
}

/* ---- bracket expressions --------------------------------------------- */

/* Finds the "X]" that closes a "[X" term (X is ':', '=' or '.') whose body
 * starts at q, or NULL. */
static const char *term_close(const char *q, const char *pe, char x) {
    for (; q + 1 < pe; q++)
        if (q[0] == x && q[1] == ']') return q;
    return NULL;
}

/* p points at '['. Returns the closing ']' or NULL when the bracket never
 * closes, in which case the '[' is an ordinary character. */
static const char *bracket_end(const char *p, const char *pe) {
    const char *q = p + 1;
    if (q < pe && (*q == '!' || *q == '^')) q++;
    if (q < pe && *q == ']') q++; /* a leading ] is a member, not the end */
    while (q < pe) {
        if (*q == '\\') {
            q += q + 1 < pe ? 2 : 1;
        } else if (*q == '[' && q + 1 < pe && (q[1] == ':' || q[1] == '=' || q[1] == '.')) {
            const char *c = term_close(q + 2, pe, q[1]);
            q = c ? c + 2 : q + 1;
        } else if (*q == ']') {
            return q;
        } else {
            q++;
        }
    }
    return NULL;
}

static bool class_match(const char *name, size_t n, uint32_t c) {
    static const char *const names[] = {"alnum", "alpha", "blank", "cntrl", "digit", "graph",
                                        "lower", "print", "punct", "space", "upper", "xdigit",
                                        "word", "ascii"};
    size_t k = 0;
    while (k < sizeof names / sizeof *names && (strlen(names[k]) != n || memcmp(names[k], name, n)))
        k++;
    if (c >= 128) return false; /* classes are ASCII-only (the C locale) */
    bool up = c >= 'A' && c <= 'Z', lo = c >= 'a' && c <= 'z', dg = c >= '0' && c <= '9';
    bool graph = c > 32 && c < 127;
    switch (k) {
    case 0: return up || lo || dg;
    case 1: return up || lo;
    case 2: return c == ' ' || c == '\t';
    case 3: return c < 32 || c == 127;
    case 4: return dg;
    case 5: return graph;
    case 6: return lo;
    case 7: return graph || c == ' ';
    case 8: return graph && !up && !lo && !dg;
    case 9: return c == ' ' || (c >= '\t' && c <= '\r');
    case 10: return up;
    case 11: return dg || (lower((int)c) >= 'a' && lower((int)c) <= 'f');
    case 12: return up || lo || dg || c == '_';
    case 13: return true;
    default: return false; /* unknown class: the term matches nothing */
    }
}

/* One member of a bracket expression as it is being scanned. */
typedef struct BTerm {
    bool is_class; /* [:name:] */
    bool valid;    /* false for [=xy=] or [.xy.]: such terms match nothing */
    uint32_t ch;
    const char *name;
    size_t name_len;
} BTerm;

/* Reads the term at *q (before qe) and advances past it. */
static void read_term(const char **q, const char *qe, BTerm *t) {
    const char *p = *q;
    t->is_class = false;
    t->valid = true;
    if (*p == '[' && p + 1 < qe && (p[1] == ':' || p[1] == '=' || p[1] == '.')) {
        const char *c = term_close(p + 2, qe + 1, p[1]);
        if (c) {
            const char *body = p + 2;
            *q = c + 2;
            if (p[1] == ':') {
                t->is_class = true;
                t->name = body;
                t->name_len = (size_t)(c - body);
                return;
            }
            /* [=c=] and [.c.]: only single characters are supported */
            t->valid = body < c && u8len(body, c) == (size_t)(c - body);
            t->ch = t->valid ? take_char(&body, c) : 0;
            return;
        }
        /* bash drops the '[' of an unterminated "[:" or "[." */
        if (p[1] != '=') p++;
    }
    if (*p == '\\' && p + 1 < qe) p++;
    t->ch = take_char(&p, qe);
    *q = p;
}

static bool term_equal(uint32_t a, uint32_t b, int flags) {
    if (flags & PM_NOCASE) return a < 128 && b < 128 ? lower((int)a) == lower((int)b) : a == b;
    return a == b;
}

/* With nocase, bash folds both the subject and the range ends to lower case. */
static bool in_range(uint32_t c, uint32_t lo, uint32_t hi, int flags) {
    if (flags & PM_NOCASE) {
        if (c < 128) c = (uint32_t)lower((int)c);
        if (lo < 128) lo = (uint32_t)lower((int)lo);
        if (hi < 128) hi = (uint32_t)lower((int)hi);
    }
    return lo <= c && c <= hi;
}

/* Does character c belong to the bracket whose body is [q, qe) (qe = ']')? */
static bool bracket_match(const char *q, const char *qe, uint32_t c, int flags) {
    bool neg = q < qe && (*q == '!' || *q == '^');
    if (neg) q++;
    bool hit = false;
    while (q < qe && !hit) {
        BTerm lo;
        read_term(&q, qe, &lo);
        if (lo.is_class) {
            hit = class_match(lo.name, lo.name_len, c);
        } else if (q + 1 < qe && *q == '-') { /* a '-' just before ']' is literal */
            BTerm hi;
            q++;
            read_term(&q, qe, &hi);
            hit = lo.valid && hi.valid && !hi.is_class && in_range(c, lo.ch, hi.ch, flags);
        } else {
            hit = lo.valid && term_equal(c, lo.ch, flags);
        }
    }
    return hit != neg;
}

/* ---- extglob ----------------------------------------------------------- */

/* p points at '(' of an extglob operator; returns its matching ')' or NULL.
 * Brackets and escapes are skipped so @([)]) works as in bash. */
static const char *ext_close(const char *p, const char *pe) {
    int depth = 0;
    for (const char *q = p; q < pe; q++) {
        if (*q == '\\') {
            q++;
        } else if (*q == '[') {
            const char *b = bracket_end(q, pe);
            if (b) q = b;
        } else if (*q == '(') {
            depth++;
        } else if (*q == ')' && --depth == 0) {
            return q;
        }
    }
    return NULL;
}

/* If an extglob operator starts at p, returns its closing ')'. */
static const char *ext_at(const char *p, const char *pe, int flags) {
    if (!(flags & PM_EXTGLOB) || p + 1 >= pe || p[1] != '(' || !strchr("?*+@!", *p)) return NULL;
    return ext_close(p + 1, pe);
}

/* Next top-level '|' (or end) of an alternative list starting at q. */
static const char *alt_end(const char *q, const char *qe) {
    int depth = 0;
    for (; q < qe; q++) {
        if (*q == '\\') {
            if (q + 1 < qe) q++;
        } else if (*q == '[') {
            const char *b = bracket_end(q, qe);
            if (b) q = b;
        } else if (*q == '(') {
            depth++;
        } else if (*q == ')') {
            depth--;
        } else if (*q == '|' && depth == 0) {
            return q;
        }
    }
    return qe;
}

/* Does any alternative of the list [a, ae) match exactly [s, e)? */
static bool any_alt(const MatchCtx *cx, const char *a, const char *ae, const char *s, const char *e) {
    for (;;) {
        const char *end = alt_end(a, ae);
        if (match_range(cx, a, end, s, e)) return true;
        if (end >= ae) return false;
        a = end + 1;
    }
}

/* The pieces of an extglob operator application. */
typedef struct Ext {
    char op;
    const char *alts, *alts_end; /* inside the parentheses */
    const char *rest, *pe;       /* the pattern after ')' */
    const char *se;              /* end of subject */
} Ext;

static const char *next_char(const char *s, const char *se) { return s + u8len(s, se); }

/* One or more non-empty repetitions starting at s, then the rest. This is a
 * forward reachability pass over end positions rather than a recursion, so
 * *(a|aa) cannot go exponential and long subjects cannot exhaust the stack
 * (which is small under WebAssembly). */
static bool ext_repeat(const MatchCtx *cx, const Ext *x, const char *s) {
    unsigned char *reach = xcalloc((size_t)(x->se - s) + 1, 1);
    bool ok = false;
    reach[0] = 1;
    for (const char *pos = s; !ok; pos = next_char(pos, x->se)) {
        if (reach[pos - s]) {
            ok = pos > s && match_range(cx, x->rest, x->pe, pos, x->se);
            for (const char *e = pos; !ok && e < x->se;) {
                e = next_char(e, x->se);
                if (!reach[e - s] && any_alt(cx, x->alts, x->alts_end, pos, e)) reach[e - s] = 1;
            }
        }
        if (pos >= x->se) break;
    }
    free(reach);
    return ok;
}

/* Operators that try "alternative matches [s,e), rest matches [e,se)". */
static bool ext_single(const MatchCtx *cx, const Ext *x, const char *s, bool negate) {
    for (const char *e = s;; e = next_char(e, x->se)) {
        if (any_alt(cx, x->alts, x->alts_end, s, e) != negate &&
            match_range(cx, x->rest, x->pe, e, x->se))
            return true;
        if (e >= x->se) return false;
    }
}

static bool ext_match(const MatchCtx *cx, const Ext *x, const char *s) {
    switch (x->op) {
    case '@': return ext_single(cx, x, s, false);
    case '!': return ext_single(cx, x, s, true);
    case '?':
        return match_range(cx, x->rest, x->pe, s, x->se) || ext_single(cx, x, s, false);
    default: break;
    }
    /* * and +: zero repetitions (for + only when an alternative matches the
     * empty string) leave the rest to match at s. */
    if ((x->op == '*' || any_alt(cx, x->alts, x->alts_end, s, s)) &&
        match_range(cx, x->rest, x->pe, s, x->se))
        return true;
    return ext_repeat(cx, x, s);
}

/* ---- the main matcher ------------------------------------------------ */

/* Is s at a position where a '.' needs an explicit match? */
static bool leading_period(const MatchCtx *cx, const char *s, const char *se) {
    if (!(cx->flags & PM_PERIOD) || s >= se || *s != '.') return false;
    return s == cx->s0 || ((cx->flags & PM_PATHNAME) && s[-1] == '/');
}

/* Can a wildcard (? or a bracket) consume the character at s? */
static bool wild_ok(const MatchCtx *cx, const char *s, const char *se) {
    if (s >= se || leading_period(cx, s, se)) return false;
    return !((cx->flags & PM_PATHNAME) && *s == '/');
}

/* Tries to match one non-star element at p against s. On success advances
 * *pp and *sp. */
static bool match_one(const MatchCtx *cx, const char **pp, const char *pe, const char **sp,
                      const char *se) {
    const char *p = *pp, *s = *sp;
    if (*p == '?') {
        if (!wild_ok(cx, s, se)) return false;
        *sp = next_char(s, se);
        *pp = p + 1;
        return true;
    }
    const char *b = *p == '[' ? bracket_end(p, pe) : NULL;
    if (b) {
        if (!wild_ok(cx, s, se)) return false;
        const char *t = s;
        if (!bracket_match(p + 1, b, take_char(&t, se), cx->flags)) return false;
        *sp = t;
        *pp = b + 1;
        return true;
    }
    if (*p == '\\' && p + 1 < pe) p++;
    if (s >= se) return false;
    bool eq = (cx->flags & PM_NOCASE) ? lower((unsigned char)*p) == lower((unsigned char)*s)
                                      : *p == *s;
    if (!eq) return false;
    *pp = p + 1;
    *sp = s + 1;
    return true;
}

/* The star most recently passed, for backtracking. */
typedef struct Star {
    const char *p, *s; /* pattern after the star, subject position it took */
    bool moved;        /* it has taken at least one character */
} Star;

/* Extglob restrictions that mirror bash: !(..) never matches a leading
 * period, and right after a star that has reached the end of the subject
 * only ?(..) is tried, plus !(..) when the star started there (bash's star
 * stops one short of the end, so [[ a == *!(a) ]] is false). */
static bool ext_allowed(const MatchCtx *cx, const char *p, const Star *st, const char *s,
                        const char *se) {
    if (*p == '!' && leading_period(cx, s, se)) return false;
    if (p != st->p || s != se || *p == '?') return true;
    return *p == '!' && !st->moved;
}

static bool match_range(const MatchCtx *cx, const char *p, const char *pe,
                        const char *s, const char *se) {
    Star st = {NULL, NULL, false};
    const char *close;
    for (;;) {
        if (p == pe) {
            if (s == se) return true;
        } else if ((close = ext_at(p, pe, cx->flags)) != NULL) {
            Ext x = {*p, p + 2, close, close + 1, pe, se};
            if (ext_allowed(cx, p, &st, s, se) && ext_match(cx, &x, s)) return true;
        } else if (*p == '*') {
            if (leading_period(cx, s, se)) return false;
            while (p < pe && *p == '*' && !ext_at(p, pe, cx->flags)) p++;
            st = (Star){p, s, false};
            continue;
        } else if (match_one(cx, &p, pe, &s, se)) {
            continue;
        }
        /* Mismatch: let the most recent star swallow one more character. */
        if (!st.p || st.s >= se) return false;
        if ((cx->flags & PM_PATHNAME) && *st.s == '/') return false;
        st.s = next_char(st.s, se);
        st.moved = true;
        p = st.p;
        s = st.s;
    }
}

bool pattern_match_n(const char *pat, const char *s, size_t n, int flags) {
    MatchCtx cx = {s, flags};
    return match_range(&cx, pat, pat + strlen(pat), s, s + n);
}

bool pattern_match(const char *pat, const char *s, int flags) {
    return pattern_match_n(pat, s, strlen(s), flags);
}

bool pattern_has_magic(const char *pat, int flags) {
    const char *pe = pat + strlen(pat);
    for (const char *p = pat; p < pe; p++) {
        if (*p == '\\') {
            if (p + 1 < pe) p++;
        } else if (*p == '*' || *p == '?') {
            return true;
        } else if (*p == '[' && bracket_end(p, pe)) {
            return true;
        } else if (ext_at(p, pe, flags)) {
            return true;
        }
    }
    return false;
}

char *pattern_unescape(const char *pat) {
    StrBuf b;
    sb_init(&b);
    for (const char *p = pat; *p; p++) {
        if (*p == '\\' && p[1]) p++;
        sb_putc(&b, *p);
    }
    return sb_take(&b);
}
