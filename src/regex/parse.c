/* parse.c - pattern text to syntax tree, for the BRE, ERE, Emacs and Perl
 * dialects. Error messages are glibc's regerror texts (what GNU grep and sed
 * print) for the POSIX dialects and PCRE2's for Perl. */
#include "rx.h"

#include "common.h"

#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 400
#define DUP_MAX 32767

static const char E_BRACK[] = "Unmatched [, [^, [:, [., or [=";
static const char E_CTYPE[] = "Invalid character class name";
static const char E_RANGE[] = "Invalid range end";
static const char E_ESCAPE[] = "Trailing backslash";
static const char E_SUBREG[] = "Invalid back reference";
static const char E_PAREN[] = "Unmatched ( or \\(";
static const char E_RPAREN[] = "Unmatched ) or \\)";
static const char E_BRACE[] = "Unmatched \\{";
static const char E_BADBR[] = "Invalid content of \\{\\}";
static const char E_SIZE[] = "Regular expression too big";
static const char E_COLLATE[] = "Invalid collation character";
static const char E_CLASS_SYNTAX[] = "character class syntax is [[:space:]], not [:space:]";

typedef struct P {
    RxTree *t;
    const unsigned char *s;
    size_t n, i;
    RxSyntax syn;
    unsigned flags;
    bool bytes;
    bool icase, multiline, dotall, extended; /* current (Perl: scoped) flags */
    int depth;
    int group_base;  /* groups of earlier newline-separated patterns */
    int closed;      /* groups closed so far (POSIX back-reference check) */
    int max_backref;
    bool in_quote;   /* Perl \Q...\E */
    RxError *err;
} P;

static bool fail(P *p, const char *msg) {
    if (!p->err->msg) {
        p->err->msg = msg;
        p->err->offset = (long)p->i;
    }
    return false;
}

static int node_new(P *p, RxNodeKind k) {
    RxTree *t = p->t;
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 32;
        t->nodes = xrealloc(t->nodes, (size_t)t->cap * sizeof *t->nodes);
    }
    RxNode *nd = &t->nodes[t->n];
    memset(nd, 0, sizeof *nd);
    nd->kind = k;
    nd->icase = p->icase;
    nd->multiline = p->multiline;
    return t->n++;
}

static RxNode *N(P *p, int i) { return &p->t->nodes[i]; }

static void add_kid(P *p, int parent, int kid) {
    RxNode *nd = N(p, parent);
    nd->kids = xrealloc(nd->kids, (size_t)(nd->nkids + 1) * sizeof *nd->kids);
    nd->kids[nd->nkids++] = kid;
}

static int node1(P *p, RxNodeKind k, int kid) {
    int n = node_new(p, k);
    add_kid(p, n, kid);
    return n;
}

static void warn(P *p, const char *w) {
    RxTree *t = p->t;
    for (int i = 0; i < t->nwarnings; i++)
        if (t->warnings[i] == w) return;
    if (t->nwarnings < (int)(sizeof t->warnings / sizeof *t->warnings)) t->warnings[t->nwarnings++] = w;
}

static bool at_end(const P *p) { return p->i >= p->n; }
static int peek(const P *p) { return at_end(p) ? -1 : p->s[p->i]; }
static int peek_at(const P *p, size_t k) { return p->i + k < p->n ? p->s[p->i + k] : -1; }

/* Reads one character of the pattern (UTF-8 unless byte mode); an invalid
 * byte becomes RX_RAW. */
static uint32_t read_char(P *p) {
    uint32_t cp;
    if (p->bytes) return p->s[p->i++];
    int k = rx_utf8_decode(p->s + p->i, p->n - p->i, &cp);
    if (k == 0) return RX_RAW(p->s[p->i++]);
    p->i += (size_t)k;
    return cp;
}

static int char_node(P *p, uint32_t cp) {
    int n = node_new(p, N_CHAR);
    N(p, n)->cp = cp;
    return n;
}

static int assert_node(P *p, RxAssert a) {
    int n = node_new(p, N_ASSERT);
    N(p, n)->assert = a;
    return n;
}

static uint32_t maxcp(const P *p) { return p->bytes ? 0xFF : RX_MAXCP; }

/* \w \W \s \S \d \D \h \H: a class node; neg complements. */
static int shorthand_class(P *p, int c) {
    RxClass cls = {0};
    int lc = c | 0x20;
    if (lc == 'w') rxc_add_word(&cls, p->bytes);
    else if (lc == 's') rxc_add_space(&cls, p->bytes);
    else if (lc == 'd') rxc_add_digit(&cls);
    else if (lc == 'h') rxc_add_hspace(&cls);
    else if (lc == 'v') rxc_add_vspace(&cls);
    else if (lc == 'n') rxc_add(&cls, '\n', '\n');
    if (c >= 'A' && c <= 'Z') rxc_negate(&cls, maxcp(p));
    int n = node_new(p, N_CLASS);
    rxc_normalize(&cls);
    N(p, n)->cls = cls;
    return n;
}

/* ---------------------------------------------------------- brackets */

/* [:name:], [.x.] or [=x=] at p->i (just after the '['); adds to cls. */
static bool bracket_special(P *p, RxClass *cls, uint32_t *single) {
    int kind = p->s[p->i + 1];
    size_t start = p->i + 2, j = start;
    while (j + 1 < p->n && !(p->s[j] == kind && p->s[j + 1] == ']')) j++;
    if (j + 1 >= p->n) return fail(p, E_BRACK);
    p->i = j + 2;
    *single = UINT32_MAX;
    if (kind == ':') {
        if (!rxc_add_named(cls, (const char *)p->s + start, j - start, p->bytes))
            return fail(p, E_CTYPE);
        return true;
    }
    /* collating symbols and equivalence classes: single characters only */
    P sub = *p;
    sub.i = start;
    sub.n = j;
    if (start == j) return fail(p, E_COLLATE);
    uint32_t cp = read_char(&sub);
    if (sub.i != j) return fail(p, E_COLLATE);
    *single = cp;
    return true;
}

/* A Perl escape inside [...]: adds to cls or gives a single character. */
static bool perl_class_escape(P *p, RxClass *cls, uint32_t *single);

static bool bracket(P *p, int *out) {
    RxClass cls = {0};
    bool neg = false;
    bool perl = p->syn == RX_PERL;
    size_t open = p->i - 1;
    if (peek(p) == '^') neg = true, p->i++;
    bool first = true;
    for (;;) {
        if (at_end(p)) {
            rxc_free(&cls);
            p->i = open;
            return fail(p, perl ? "missing terminating ] for character class" : E_BRACK);
        }
        int c = peek(p);
        if (c == ']' && !first) {
            p->i++;
            break;
        }
        first = false;
        uint32_t lo;
        if (c == '[' && (peek_at(p, 1) == ':' || peek_at(p, 1) == '.' || peek_at(p, 1) == '=')) {
            if (!bracket_special(p, &cls, &lo)) return rxc_free(&cls), false;
            if (lo == UINT32_MAX) continue;
        } else if (perl && c == '\\') {
            p->i++;
            if (!perl_class_escape(p, &cls, &lo)) return rxc_free(&cls), false;
            if (lo == UINT32_MAX) continue;
        } else {
            lo = read_char(p);
        }
        /* a range? '-' before ']' is literal */
        if (peek(p) == '-' && peek_at(p, 1) != ']' && peek_at(p, 1) != -1) {
            p->i++;
            uint32_t hi;
            if (peek(p) == '[' && (peek_at(p, 1) == '.' || peek_at(p, 1) == '=')) {
                if (!bracket_special(p, &cls, &hi)) return rxc_free(&cls), false;
            } else if (perl && peek(p) == '\\') {
                p->i++;
                if (!perl_class_escape(p, &cls, &hi)) return rxc_free(&cls), false;
                if (hi == UINT32_MAX) {
                    /* [a-\d]: PCRE2 takes '-' literally */
                    rxc_add(&cls, lo, lo);
                    rxc_add(&cls, '-', '-');
                    continue;
                }
            } else {
                hi = read_char(p);
            }
            /* glibc's C.UTF-8 has no collation order for ranges beyond ASCII */
            if (!perl && !p->bytes && (lo >= 0x80 || hi >= 0x80)) {
                rxc_free(&cls);
                return fail(p, E_COLLATE);
            }
            if (RX_IS_RAW(lo) || RX_IS_RAW(hi) || hi < lo) {
                rxc_free(&cls);
                return fail(p, perl ? "range out of order in character class" : E_RANGE);
            }
            rxc_add(&cls, lo, hi);
            continue;
        }
        rxc_add(&cls, lo, lo);
    }
    /* GNU grep and sed reject [:space:] used without the outer brackets */
    size_t inner = open + 1 + (neg ? 1 : 0);
    if (!perl && !(p->flags & RX_REGCOMP) && p->i - inner >= 3 && p->s[inner] == ':' &&
        p->s[p->i - 2] == ':') {
        rxc_free(&cls);
        return fail(p, E_CLASS_SYNTAX);
    }
    if (p->icase) rxc_fold(&cls, p->bytes);
    /* raw bytes (invalid UTF-8) stay as members above the code point range */
    if (neg) {
        uint32_t top = p->bytes ? 0xFF : RX_MAXCP;
        RxClass raw = {0};
        for (int i = 0; i < cls.n; i++)
            if (RX_IS_RAW(cls.v[i].hi)) rxc_add(&raw, cls.v[i].lo, cls.v[i].hi);
        rxc_negate(&cls, top);
        rxc_free(&raw); /* a negated list matches characters only, never an invalid byte */
        bool nl_special = perl ? false : (p->flags & RX_NEWLINE) != 0;
        if (nl_special) {
            RxClass nl = {0};
            rxc_add(&nl, '\n', '\n');
            rxc_negate(&nl, RX_RAW(0xFF));
            /* intersect: drop '\n' */
            RxClass keep = {0};
            for (int i = 0; i < cls.n; i++) {
                if (cls.v[i].lo <= '\n' && cls.v[i].hi >= '\n') {
                    if (cls.v[i].lo < '\n') rxc_add(&keep, cls.v[i].lo, '\n' - 1);
                    if (cls.v[i].hi > '\n') rxc_add(&keep, '\n' + 1, cls.v[i].hi);
                } else {
                    rxc_add(&keep, cls.v[i].lo, cls.v[i].hi);
                }
            }
            rxc_free(&nl);
            rxc_free(&cls);
            cls = keep;
        }
    }
    int n = node_new(p, N_CLASS);
    rxc_normalize(&cls);
    N(p, n)->cls = cls;
    *out = n;
    return true;
}

/* ---------------------------------------------------------- intervals */

static bool read_number(P *p, int *v) {
    if (at_end(p) || p->s[p->i] < '0' || p->s[p->i] > '9') return false;
    long x = 0;
    while (!at_end(p) && p->s[p->i] >= '0' && p->s[p->i] <= '9') {
        if (x <= DUP_MAX + 1) x = x * 10 + (p->s[p->i] - '0');
        p->i++;
    }
    *v = x > DUP_MAX + 1 ? DUP_MAX + 1 : (int)x;
    return true;
}

/* After "{" (ERE/Perl) or "\{" (BRE): reads "m,n}" or "m,n\}". Returns 1 on
 * success, 0 when the text is not an interval (ERE/Perl: the brace is a
 * literal; p->i restored), -1 on an error. */
static int interval(P *p, int *min, int *max) {
    size_t save = p->i;
    bool bre = p->syn == RX_BRE;
    bool perl = p->syn == RX_PERL;
    int lo = 0, hi = -1;
    bool have_lo = read_number(p, &lo);
    if (!have_lo && perl) return p->i = save, 0;
    if (peek(p) == ',') {
        p->i++;
        if (!read_number(p, &hi)) hi = -1;
    } else {
        if (!have_lo) goto bad;
        hi = lo;
    }
    if (bre) {
        if (peek(p) != '\\' || peek_at(p, 1) != '}') {
            if (at_end(p) || (peek(p) == '\\' && peek_at(p, 1) == -1)) return fail(p, E_BRACE), -1;
            return fail(p, at_end(p) ? E_BRACE : E_BADBR), -1;
        }
        p->i += 2;
    } else {
        if (peek(p) != '}') goto bad;
        p->i++;
    }
    if (hi != -1 && lo > hi) return fail(p, E_BADBR), -1;
    if (lo > DUP_MAX || hi > DUP_MAX) return fail(p, perl ? "number too big in {} quantifier" : E_SIZE), -1;
    *min = lo;
    *max = hi;
    return 1;
bad:
    if (bre) {
        /* scan for the closing \} to choose the message */
        for (size_t j = p->i; j + 1 < p->n; j++)
            if (p->s[j] == '\\' && p->s[j + 1] == '}') return fail(p, E_BADBR), -1;
        return fail(p, E_BRACE), -1;
    }
    p->i = save;
    return 0;
}

/* ---------------------------------------------------------- the grammar */

static bool parse_alt(P *p, int *out);

static bool is_ere(const P *p) { return p->syn == RX_ERE; }

/* A backslash escape outside brackets in the POSIX dialects. */
static bool posix_escape(P *p, int *out) {
    if (at_end(p)) return fail(p, E_ESCAPE);
    int c = p->s[p->i];
    switch (c) {
    case 'w': case 'W': case 's': case 'S':
        p->i++;
        *out = shorthand_class(p, c);
        return true;
    case 'b': p->i++; *out = assert_node(p, A_WORDB); return true;
    case 'B': p->i++; *out = assert_node(p, A_NWORDB); return true;
    case '<': p->i++; *out = assert_node(p, A_WSTART); return true;
    case '>': p->i++; *out = assert_node(p, A_WEND); return true;
    case '`': p->i++; *out = assert_node(p, A_BOT); return true;
    case '\'': p->i++; *out = assert_node(p, A_EOT); return true;
    default: break;
    }
    if (c >= '1' && c <= '9') {
        p->i++;
        int g = c - '0';
        if (g > p->closed - p->group_base) return fail(p, E_SUBREG);
        int n = node_new(p, N_BACKREF);
        N(p, n)->group = g + p->group_base;
        p->t->needs_bt = true;
        *out = n;
        return true;
    }
    *out = char_node(p, read_char(p));
    return true;
}

static bool perl_escape(P *p, int *out);

/* Parses a group after its opening; `capture` is the group number or -1. */
static bool group_body(P *p, int capture, int *out) {
    if (++p->depth > MAX_DEPTH) return fail(p, p->syn == RX_PERL ? "parentheses are too deeply nested" : E_SIZE);
    int body;
    if (!parse_alt(p, &body)) return false;
    bool bre = p->syn == RX_BRE || p->syn == RX_EMACS;
    if (bre ? !(peek(p) == '\\' && peek_at(p, 1) == ')') : peek(p) != ')')
        return fail(p, p->syn == RX_PERL ? "missing closing parenthesis" : E_PAREN);
    p->i += bre ? 2 : 1;
    p->depth--;
    if (capture >= 0) {
        int g = node1(p, N_GROUP, body);
        N(p, g)->group = capture;
        p->closed++;
        *out = g;
    } else {
        *out = body;
    }
    return true;
}

/* A new capture group; names[] always has one entry per group. */
static int new_group(P *p) {
    RxTree *t = p->t;
    int g = ++t->ngroups;
    t->names = xrealloc(t->names, (size_t)g * sizeof *t->names);
    t->names[g - 1] = NULL;
    return g;
}

static bool is_name_char(int c, bool first) {
    if (c == '_' || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')) return true;
    return !first && c >= '0' && c <= '9';
}

static bool perl_group(P *p, int *out);

/* One atom; *out = -1 when the text at p->i ends the sequence. */
static bool parse_atom(P *p, int *out, bool at_start) {
    *out = -1;
    int c = peek(p);
    if (c < 0) return true;
    bool bre = p->syn == RX_BRE || p->syn == RX_EMACS;
    if (p->syn == RX_PERL) {
        if (p->in_quote) {
            if (c == '\\' && peek_at(p, 1) == 'E') {
                p->i += 2;
                p->in_quote = false;
                return parse_atom(p, out, at_start);
            } else {
                *out = char_node(p, read_char(p));
            }
            return true;
        }
        if (c == '|' || c == ')') return true;
        if (p->extended) {
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
                p->i++;
                *out = node_new(p, N_EMPTY);
                return true;
            }
            if (c == '#') {
                while (!at_end(p) && p->s[p->i] != '\n') p->i++;
                *out = node_new(p, N_EMPTY);
                return true;
            }
        }
        p->i++;
        switch (c) {
        case '(': return perl_group(p, out);
        case '[': return bracket(p, out);
        case '.': *out = node_new(p, N_ANY); N(p, *out)->dotnl = p->dotall; return true;
        case '^': *out = assert_node(p, p->multiline ? A_MBOL : A_BOL); return true;
        case '$': *out = assert_node(p, p->multiline ? A_MEOL : A_PEOL); return true;
        case '\\': return perl_escape(p, out);
        case '*': case '+': case '?':
            p->i--;
            return fail(p, "quantifier does not follow a repeatable item");
        case '{': {
            int a, b;
            size_t save = p->i;
            int r = interval(p, &a, &b);
            p->i = save;
            if (r == 1) {
                p->i--;
                return fail(p, "quantifier does not follow a repeatable item");
            }
            *out = char_node(p, '{');
            return true;
        }
        default:
            p->i--;
            *out = char_node(p, read_char(p));
            return true;
        }
    }
    if (bre) {
        if (c == '\\' && (peek_at(p, 1) == '|' || peek_at(p, 1) == ')')) return true;
        if (c == '\\' && peek_at(p, 1) == '(') {
            p->i += 2;
            return group_body(p, new_group(p), out);
        }
        if (c == '*' && at_start) {
            p->i++;
            *out = char_node(p, '*');
            return true;
        }
        if (p->syn == RX_EMACS && (c == '+' || c == '?') && at_start) {
            p->i++;
            *out = char_node(p, (uint32_t)c);
            return true;
        }
        if (c == '\\' && (peek_at(p, 1) == '+' || peek_at(p, 1) == '?') && at_start && p->syn == RX_BRE) {
            p->i += 2;
            *out = char_node(p, p->s[p->i - 1]);
            return true;
        }
        if (c == '\\' && peek_at(p, 1) == '{' && at_start && p->syn == RX_BRE) {
            p->i += 2;
            *out = char_node(p, '{');
            return true;
        }
        if (c == '^') {
            p->i++;
            *out = at_start ? assert_node(p, p->multiline ? A_MBOL : A_BOL) : char_node(p, '^');
            return true;
        }
        if (c == '$') {
            p->i++;
            bool end = at_end(p) || (peek(p) == '\\' && (peek_at(p, 1) == ')' || peek_at(p, 1) == '|'));
            *out = end ? assert_node(p, p->multiline ? A_MEOL : A_EOL) : char_node(p, '$');
            return true;
        }
        if (c == '\\' && peek_at(p, 1) == '}' && p->syn == RX_BRE) {
            p->i += 2;
            *out = char_node(p, '}');
            return true;
        }
    } else {
        if (c == '|') return true;
        if (c == ')') {
            if (p->depth > 0) return true;
            if (p->flags & RX_REGCOMP) return fail(p, E_RPAREN);
            p->i++;
            *out = char_node(p, ')');
            return true;
        }
        if (c == '(') {
            p->i++;
            return group_body(p, new_group(p), out);
        }
        if (c == '^') { p->i++; *out = assert_node(p, p->multiline ? A_MBOL : A_BOL); return true; }
        if (c == '$') { p->i++; *out = assert_node(p, p->multiline ? A_MEOL : A_EOL); return true; }
        if ((c == '*' || c == '+' || c == '?' || c == '{') && at_start) {
            if (c == '{') {
                size_t save = ++p->i;
                int a, b, r = interval(p, &a, &b);
                if (r < 0) return false;
                if (r == 0) {
                    p->i = save;
                    *out = char_node(p, '{');
                    return true;
                }
                warn(p, "{...} at start of expression");
            } else {
                p->i++;
                warn(p, c == '*' ? "* at start of expression"
                        : c == '+' ? "+ at start of expression" : "? at start of expression");
            }
            *out = node_new(p, N_EMPTY);
            return true;
        }
    }
    p->i++;
    if (c == '[') return bracket(p, out);
    if (c == '.') {
        *out = node_new(p, N_ANY);
        N(p, *out)->dotnl = !(p->flags & RX_NEWLINE);
        return true;
    }
    if (c == '\\') {
        if (is_ere(p) && at_end(p)) return fail(p, E_ESCAPE);
        return posix_escape(p, out);
    }
    p->i--;
    *out = char_node(p, read_char(p));
    return true;
}

/* Quantifiers after an atom. */
static bool parse_quants(P *p, int *atom) {
    for (;;) {
        if (p->in_quote) {
            /* \Q...\E ending right after this atom: a quantifier binds to it */
            if (!(peek(p) == '\\' && peek_at(p, 1) == 'E')) return true;
            p->i += 2;
            p->in_quote = false;
        }
        int c = peek(p);
        int min, max;
        bool bre = p->syn == RX_BRE;
        if (p->syn == RX_PERL && p->extended) {
            /* whitespace may separate an atom from its quantifier */
            while (c == ' ' || c == '\t' || c == '\n') p->i++, c = peek(p);
        }
        if (c == '*') {
            p->i++, min = 0, max = -1;
        } else if (!bre && (c == '+' || c == '?')) {
            p->i++;
            min = c == '+' ? 1 : 0, max = c == '+' ? -1 : 1;
        } else if (bre && c == '\\' && (peek_at(p, 1) == '+' || peek_at(p, 1) == '?')) {
            min = peek_at(p, 1) == '+' ? 1 : 0, max = peek_at(p, 1) == '+' ? -1 : 1;
            p->i += 2;
        } else if (bre && c == '\\' && peek_at(p, 1) == '{') {
            p->i += 2;
            if (interval(p, &min, &max) < 0) return false;
        } else if ((p->syn == RX_ERE || p->syn == RX_PERL) && c == '{') {
            p->i++;
            int r = interval(p, &min, &max);
            if (r < 0) return false;
            if (r == 0) {
                p->i--;
                return true;
            }
        } else {
            return true;
        }
        bool greedy = true, possessive = false;
        if (p->syn == RX_PERL) {
            if (peek(p) == '?') greedy = false, p->i++;
            else if (peek(p) == '+') possessive = true, p->i++;
        }
        RxNode *a = N(p, *atom);
        if (a->kind == N_ASSERT && p->syn != RX_PERL) {
            /* a repeated anchor is the anchor (glibc) */
            if (min == 0) *atom = node_new(p, N_EMPTY);
            continue;
        }
        int r = node1(p, N_REP, *atom);
        N(p, r)->min = min;
        N(p, r)->max = max;
        N(p, r)->greedy = greedy;
        N(p, r)->possessive = possessive;
        if (possessive) p->t->needs_bt = true;
        *atom = r;
    }
}

static bool parse_cat(P *p, int *out) {
    int cat = node_new(p, N_CAT);
    bool at_start = true;
    for (;;) {
        int atom;
        bool anchor_ok = at_start;
        if (!parse_atom(p, &atom, anchor_ok)) return false;
        if (atom < 0) break;
        RxNode *a = N(p, atom);
        bool was_bol = a->kind == N_ASSERT && (a->assert == A_BOL || a->assert == A_MBOL);
        bool empty_start = a->kind == N_EMPTY && at_start;
        /* after ^ a repetition operator is at the start of the expression:
         * literal in BRE, ignored (with a warning) in ERE */
        if (!(was_bol && p->syn != RX_PERL) && !empty_start) {
            if (!parse_quants(p, &atom)) return false;
        }
        add_kid(p, cat, atom);
        at_start = was_bol && p->syn != RX_PERL;
    }
    *out = cat;
    return true;
}

static bool alt_sep(P *p) {
    if (p->syn == RX_BRE || p->syn == RX_EMACS) {
        if (peek(p) == '\\' && peek_at(p, 1) == '|') return p->i += 2, true;
        return false;
    }
    if (peek(p) == '|') return p->i++, true;
    return false;
}

static bool parse_alt(P *p, int *out) {
    int first;
    if (!parse_cat(p, &first)) return false;
    if (!(peek(p) == '|' || (peek(p) == '\\' && peek_at(p, 1) == '|'))) {
        *out = first;
        return true;
    }
    int alt = node1(p, N_ALT, first);
    while (alt_sep(p)) {
        int next;
        if (!parse_cat(p, &next)) return false;
        add_kid(p, alt, next);
    }
    *out = alt;
    return true;
}

/* ---------------------------------------------------------- Perl */

static int hexval(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    c |= 0x20;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

/* \x.. \x{..} \0.. \ddd \n \t ...: one character; false if not such an escape. */
static bool perl_char_escape(P *p, int c, uint32_t *cp, bool *ok) {
    *ok = true;
    switch (c) {
    case 'n': *cp = '\n'; return true;
    case 't': *cp = '\t'; return true;
    case 'r': *cp = '\r'; return true;
    case 'f': *cp = '\f'; return true;
    case 'e': *cp = 27; return true;
    case 'a': *cp = 7; return true;
    case 'x': {
        uint32_t v = 0;
        if (peek(p) == '{') {
            size_t j = p->i + 1;
            int digits = 0;
            while (j < p->n && hexval(p->s[j]) >= 0 && digits < 9) v = v * 16 + (uint32_t)hexval(p->s[j++]), digits++;
            if (j >= p->n || p->s[j] != '}' || digits == 0) {
                *ok = false;
                fail(p, "\\x{ is not followed by hex digits and }");
                return true;
            }
            p->i = j + 1;
            if (v > (p->bytes ? 0xFFu : RX_MAXCP)) {
                *ok = false;
                fail(p, "character code point value in \\x{} or \\o{} is too large");
                return true;
            }
        } else {
            for (int k = 0; k < 2 && hexval(peek(p)) >= 0; k++) v = v * 16 + (uint32_t)hexval(p->s[p->i++]);
        }
        *cp = (!p->bytes || v < 0x80) ? v : v; /* byte mode: the byte itself */
        return true;
    }
    case 'c':
        if (at_end(p)) {
            *ok = false;
            fail(p, "\\c at end of pattern");
            return true;
        }
        *cp = (uint32_t)((p->s[p->i++] & ~0x20) ^ 0x40);
        return true;
    case '0': {
        uint32_t v = 0;
        for (int k = 0; k < 2 && peek(p) >= '0' && peek(p) <= '7'; k++) v = v * 8 + (uint32_t)(p->s[p->i++] - '0');
        *cp = v;
        return true;
    }
    default: return false;
    }
}

static bool perl_class_escape(P *p, RxClass *cls, uint32_t *single) {
    *single = UINT32_MAX;
    if (at_end(p)) return fail(p, "\\ at end of pattern");
    int c = p->s[p->i++];
    bool ok;
    if (strchr("dDwWsShHvV", c)) {
        int n = shorthand_class(p, c);
        RxClass *k = &N(p, n)->cls;
        for (int i = 0; i < k->n; i++) rxc_add(cls, k->v[i].lo, k->v[i].hi);
        return true;
    }
    if (c == 'b') return *single = 8, true;
    if (perl_char_escape(p, c, single, &ok)) return ok;
    if (c >= '1' && c <= '7') {
        uint32_t v = (uint32_t)(c - '0');
        for (int k = 0; k < 2 && peek(p) >= '0' && peek(p) <= '7'; k++) v = v * 8 + (uint32_t)(p->s[p->i++] - '0');
        return *single = v, true;
    }
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
        p->i--;
        return fail(p, "unrecognized character follows \\");
    }
    p->i--;
    *single = read_char(p);
    return true;
}

static bool perl_backref(P *p, int g, int *out) {
    int n = node_new(p, N_BACKREF);
    N(p, n)->group = g;
    if (g > p->max_backref) p->max_backref = g;
    p->t->needs_bt = true;
    *out = n;
    return true;
}

/* \k<name> \k{name} \k'name' \g{name}: resolved after parsing, as names may
 * be defined later; stored as a negative group with the name kept aside. */
static bool named_backref(P *p, int open, int *out) {
    int close = open == '<' ? '>' : open == '{' ? '}' : '\'';
    size_t start = p->i, j = start;
    while (j < p->n && p->s[j] != (unsigned)close) j++;
    if (j >= p->n || j == start) return fail(p, "\\k is not followed by a braced, angle-bracketed, or quoted name");
    p->i = j + 1;
    RxTree *t = p->t;
    for (int g = 0; g < t->ngroups; g++)
        if (t->names[g] && strlen(t->names[g]) == j - start && !memcmp(t->names[g], p->s + start, j - start))
            return perl_backref(p, g + 1, out);
    /* all digits: \g{2} */
    int v = 0;
    size_t k = start;
    bool neg = p->s[k] == '-';
    if (neg) k++;
    for (; k < j && p->s[k] >= '0' && p->s[k] <= '9'; k++) v = v * 10 + (p->s[k] - '0');
    if (k == j && v > 0) {
        if (neg) v = t->ngroups - v + 1;
        if (v <= 0) return fail(p, "reference to non-existent subpattern");
        return perl_backref(p, v, out);
    }
    return fail(p, "reference to non-existent subpattern");
}

static bool perl_escape(P *p, int *out) {
    if (at_end(p)) return fail(p, "\\ at end of pattern");
    int c = p->s[p->i++];
    uint32_t cp;
    bool ok;
    switch (c) {
    case 'd': case 'D': case 'w': case 'W': case 's': case 'S': case 'h': case 'H': case 'v': case 'V':
    case 'N':
        *out = shorthand_class(p, c);
        return true;
    case 'b': *out = assert_node(p, A_WORDB); return true;
    case 'B': *out = assert_node(p, A_NWORDB); return true;
    case 'A': *out = assert_node(p, A_BOT); return true;
    case 'z': *out = assert_node(p, A_EOT); return true;
    case 'Z': *out = assert_node(p, A_EOT_NL); return true;
    case 'G': *out = assert_node(p, A_BOT); return true;
    case 'Q':
        p->in_quote = true; /* characters up to \E are literal atoms */
        return parse_atom(p, out, false);
    case 'E': *out = node_new(p, N_EMPTY); return true;
    case 'k':
        if (peek(p) == '<' || peek(p) == '{' || peek(p) == '\'') {
            int open = p->s[p->i++];
            return named_backref(p, open, out);
        }
        return fail(p, "\\k is not followed by a braced, angle-bracketed, or quoted name");
    case 'g': {
        if (peek(p) == '{') {
            p->i++;
            return named_backref(p, '{', out);
        }
        bool neg = peek(p) == '-';
        if (neg) p->i++;
        int v = 0;
        if (!(peek(p) >= '0' && peek(p) <= '9')) return fail(p, "a numbered reference must not be zero");
        while (peek(p) >= '0' && peek(p) <= '9') v = v * 10 + (p->s[p->i++] - '0');
        if (neg) v = p->t->ngroups - v + 1;
        if (v <= 0) return fail(p, "a numbered reference must not be zero");
        return perl_backref(p, v, out);
    }
    default: break;
    }
    if (perl_char_escape(p, c, &cp, &ok)) {
        if (!ok) return false;
        *out = char_node(p, (p->bytes && cp > 0xFF) ? (cp & 0xFF) : cp);
        return true;
    }
    if (c >= '1' && c <= '9') {
        int v = c - '0';
        size_t save = p->i;
        while (peek(p) >= '0' && peek(p) <= '9' && v < 1000) v = v * 10 + (p->s[p->i++] - '0');
        if (v >= 10 && v > p->t->ngroups) {
            /* an octal escape when it cannot be a back-reference */
            p->i = save;
            uint32_t o = (uint32_t)(c - '0');
            if (c <= '7') {
                for (int k = 0; k < 2 && peek(p) >= '0' && peek(p) <= '7'; k++) o = o * 8 + (uint32_t)(p->s[p->i++] - '0');
                *out = char_node(p, o);
                return true;
            }
            v = c - '0';
        }
        return perl_backref(p, v, out);
    }
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
        p->i--;
        return fail(p, "unrecognized character follows \\");
    }
    p->i--;
    *out = char_node(p, read_char(p));
    return true;
}

/* (?imsx-imsx) or (?imsx-imsx: ... ) */
static bool perl_flags(P *p, int *out) {
    bool on = true;
    bool icase = p->icase, ml = p->multiline, dotall = p->dotall, ext = p->extended;
    for (;;) {
        int c = peek(p);
        if (c < 0) return fail(p, "missing closing parenthesis");
        p->i++;
        switch (c) {
        case '-': on = false; continue;
        case 'i': icase = on; continue;
        case 'm': ml = on; continue;
        case 's': dotall = on; continue;
        case 'x': ext = on; continue;
        case 'n': case 'U': case 'J': continue;
        case ')':
            /* applies to the rest of the enclosing group */
            p->icase = icase, p->multiline = ml, p->dotall = dotall, p->extended = ext;
            *out = node_new(p, N_EMPTY);
            return true;
        case ':': {
            bool si = p->icase, sm = p->multiline, sd = p->dotall, sx = p->extended;
            p->icase = icase, p->multiline = ml, p->dotall = dotall, p->extended = ext;
            bool r = group_body(p, -1, out);
            p->icase = si, p->multiline = sm, p->dotall = sd, p->extended = sx;
            return r;
        }
        default:
            p->i--;
            return fail(p, "unrecognized character after (? or (?-");
        }
    }
}

static bool set_name(P *p, int g, size_t start, size_t end) {
    RxTree *t = p->t;
    for (int i = 0; i < t->ngroups - 1; i++)
        if (t->names[i] && strlen(t->names[i]) == end - start && !memcmp(t->names[i], p->s + start, end - start))
            return fail(p, "two named subpatterns have the same name (PCRE2_DUPNAMES not set)");
    char *nm = xmalloc(end - start + 1);
    memcpy(nm, p->s + start, end - start);
    nm[end - start] = 0;
    t->names[g - 1] = nm;
    return true;
}

static bool perl_look(P *p, int kind, int *out) {
    bool si = p->icase, sm = p->multiline, sd = p->dotall, sx = p->extended;
    int body;
    bool r = group_body(p, -1, &body);
    p->icase = si, p->multiline = sm, p->dotall = sd, p->extended = sx;
    if (!r) return false;
    int n = node1(p, N_LOOK, body);
    N(p, n)->look = kind;
    p->t->needs_bt = true;
    *out = n;
    return true;
}

static bool perl_group(P *p, int *out) {
    bool si = p->icase, sm = p->multiline, sd = p->dotall, sx = p->extended;
    bool r;
    if (peek(p) != '?' && !(peek(p) == '*')) {
        int g = new_group(p);
        r = group_body(p, g, out);
        p->icase = si, p->multiline = sm, p->dotall = sd, p->extended = sx;
        return r;
    }
    if (peek(p) == '*') return fail(p, "(*VERB) not recognized or malformed");
    p->i++;
    int c = peek(p);
    if (c < 0) return fail(p, "missing closing parenthesis");
    if (c == '#') {
        while (!at_end(p) && p->s[p->i] != ')') p->i++;
        if (at_end(p)) return fail(p, "missing ) after (?# comment");
        p->i++;
        *out = node_new(p, N_EMPTY);
        return true;
    }
    if (c == ':') { p->i++; r = group_body(p, -1, out); goto restore; }
    if (c == '>') {
        p->i++;
        int body;
        r = group_body(p, -1, &body);
        if (r) {
            *out = node1(p, N_ATOMIC, body);
            p->t->needs_bt = true;
        }
        goto restore;
    }
    if (c == '=') { p->i++; return perl_look(p, LOOK_AHEAD, out); }
    if (c == '!') { p->i++; return perl_look(p, LOOK_AHEAD | LOOK_NEG, out); }
    if (c == '<' && peek_at(p, 1) == '=') { p->i += 2; return perl_look(p, LOOK_BEHIND, out); }
    if (c == '<' && peek_at(p, 1) == '!') { p->i += 2; return perl_look(p, LOOK_BEHIND | LOOK_NEG, out); }
    if (c == '<' || c == '\'' || (c == 'P' && peek_at(p, 1) == '<')) {
        if (c == 'P') p->i++;
        int close = p->s[p->i++] == '<' ? '>' : '\'';
        size_t start = p->i;
        while (!at_end(p) && is_name_char(p->s[p->i], p->i == start)) p->i++;
        if (at_end(p) || p->s[p->i] != (unsigned)close || p->i == start)
            return fail(p, "syntax error in subpattern name (missing terminator?)");
        size_t end = p->i++;
        int g = new_group(p);
        if (!set_name(p, g, start, end)) return false;
        r = group_body(p, g, out);
        goto restore;
    }
    return perl_flags(p, out);
restore:
    p->icase = si, p->multiline = sm, p->dotall = sd, p->extended = sx;
    return r;
}

/* ---------------------------------------------------------- entry */

static int literal_tree(P *p) {
    int cat = node_new(p, N_CAT);
    while (!at_end(p)) add_kid(p, cat, char_node(p, read_char(p)));
    return cat;
}

/* One newline-free pattern (or the whole pattern). */
static bool parse_one(P *p, int *out) {
    if (p->flags & RX_LITERAL) {
        *out = literal_tree(p);
        return true;
    }
    if (!parse_alt(p, out)) return false;
    if (!at_end(p)) {
        /* only a stray close paren can stop the top level */
        if (p->syn == RX_PERL) return fail(p, "unmatched closing parenthesis");
        return fail(p, E_RPAREN);
    }
    return true;
}

bool rx_parse(RxTree *t, const char *pat, size_t len, RxSyntax syn, unsigned flags, RxError *err) {
    memset(t, 0, sizeof *t);
    err->msg = NULL;
    err->offset = -1;
    P p = {.t = t, .s = (const unsigned char *)pat, .n = len, .syn = syn, .flags = flags, .err = err};
    p.bytes = (flags & RX_BYTES) != 0;
    p.icase = (flags & RX_ICASE) != 0;
    p.multiline = (flags & (RX_MULTILINE | RX_NEWLINE)) != 0;
    p.dotall = (flags & RX_DOTALL) != 0;
    p.extended = (flags & RX_EXTENDED) != 0;
    int root;
    if (flags & RX_NL_ALT) {
        root = node_new(&p, N_ALT);
        size_t from = 0;
        for (;;) {
            const unsigned char *nl = memchr(p.s + from, '\n', len - from);
            size_t to = nl ? (size_t)(nl - p.s) : len;
            P sub = p;
            sub.i = from;
            sub.n = to;
            sub.group_base = t->ngroups;
            sub.closed = t->ngroups;
            int piece;
            if (!parse_one(&sub, &piece)) return false;
            add_kid(&p, root, piece);
            if (!nl) break;
            from = to + 1;
        }
    } else if (!parse_one(&p, &root)) {
        return false;
    }
    if (p.max_backref > t->ngroups) {
        err->msg = "reference to non-existent subpattern";
        err->offset = (long)len;
        return false;
    }
    t->root = root;
    return true;
}

void rx_tree_free(RxTree *t) {
    for (int i = 0; i < t->n; i++) {
        free(t->nodes[i].kids);
        rxc_free(&t->nodes[i].cls);
    }
    free(t->nodes);
    if (t->names) {
        for (int i = 0; i < t->ngroups; i++) free(t->names[i]);
        free(t->names);
    }
    memset(t, 0, sizeof *t);
}
