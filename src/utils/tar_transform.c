/* tar_transform.c - tar --transform: sed-like s commands on member names.
 *
 * EXPR is one or more "s<d>REGEX<d>REPLACEMENT<d>[FLAGS]" separated by ';'.
 * REGEX is a POSIX basic regular expression (with the x flag, extended):
 * literals, '.', bracket expressions with ranges and [:classes:], '*',
 * \{m,n\} (ERE: + ? {m,n}), ^ and $ anchors, \( \) groups (ERE: ( )), and
 * alternation \| (ERE: |). REPLACEMENT may use & and \1..\9. FLAGS: g, a
 * number N (the Nth match), i (ignore case), x (extended), and r s h / R S H
 * to apply (or not) to regular names, symlink targets and hard link targets.
 * A small backtracking matcher: tar names are short, and expressions are
 * written by the user. */
#include "tar.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_GROUPS = 10, MAX_DEPTH = 2000 };

typedef enum NodeKind { N_CHAR, N_ANY, N_SET, N_GROUP, N_BOL, N_EOL } NodeKind;

typedef struct Seq Seq;
typedef struct Node {
    NodeKind kind;
    unsigned char ch;
    uint8_t set[32];    /* N_SET: bitmap */
    Seq *alts;          /* N_GROUP: alternatives */
    size_t nalts;
    int group;          /* capture index, or -1 */
    int min, max;       /* repetition; max -1 = unbounded */
} Node;

struct Seq {
    Node *v;
    size_t n, cap;
};

typedef struct Expr {
    Seq top;            /* alternatives of the whole regex are a group 0 node */
    Node root;
    char *repl;
    bool global, icase;
    int nth;
    bool on_r, on_s, on_h;
    int ngroups;
} Expr;

struct TarXform {
    Expr *v;
    size_t n;
};

/* ---------------------------------------------------------------- parsing */

typedef struct Parser {
    const char *p, *end;
    bool ere;
    int ngroups;
    const char *err;
} Parser;

static void seq_push(Seq *s, Node n) {
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 8;
        s->v = xrealloc(s->v, s->cap * sizeof *s->v);
    }
    s->v[s->n++] = n;
}

static void seq_free(Seq *s);
static void node_free(Node *n) {
    for (size_t i = 0; i < n->nalts; i++) seq_free(&n->alts[i]);
    free(n->alts);
}
static void seq_free(Seq *s) {
    for (size_t i = 0; i < s->n; i++) node_free(&s->v[i]);
    free(s->v);
}

static void set_bit(uint8_t *set, unsigned c) { set[c >> 3] |= (uint8_t)(1u << (c & 7)); }

static bool class_match(const char *name, size_t len, int c) {
    static const struct {
        const char *n;
        int (*f)(int);
    } classes[] = {{"alpha", isalpha}, {"digit", isdigit}, {"alnum", isalnum}, {"upper", isupper},
                   {"lower", islower}, {"space", isspace}, {"punct", ispunct}, {"print", isprint},
                   {"graph", isgraph}, {"cntrl", iscntrl}, {"xdigit", isxdigit}, {"blank", isblank}};
    for (size_t i = 0; i < sizeof classes / sizeof *classes; i++)
        if (strlen(classes[i].n) == len && !strncmp(classes[i].n, name, len)) return classes[i].f(c) != 0;
    return false;
}

static bool parse_set(Parser *ps, Node *n) {
    bool neg = false;
    if (ps->p < ps->end && *ps->p == '^') neg = true, ps->p++;
    bool first = true;
    while (ps->p < ps->end && (first || *ps->p != ']')) {
        first = false;
        if (*ps->p == '[' && ps->p + 1 < ps->end && ps->p[1] == ':') {
            const char *close = strstr(ps->p + 2, ":]");
            if (!close || close >= ps->end) return false;
            for (int c = 0; c < 256; c++)
                if (class_match(ps->p + 2, (size_t)(close - ps->p - 2), c)) set_bit(n->set, (unsigned)c);
            ps->p = close + 2;
            continue;
        }
        unsigned char lo = (unsigned char)*ps->p++;
        if (ps->p + 1 < ps->end && *ps->p == '-' && ps->p[1] != ']') {
            unsigned char hi = (unsigned char)ps->p[1];
            ps->p += 2;
            for (unsigned c = lo; c <= hi; c++) set_bit(n->set, c);
        } else {
            set_bit(n->set, lo);
        }
    }
    if (ps->p >= ps->end) return false;
    ps->p++; /* ']' */
    if (neg)
        for (int i = 0; i < 32; i++) n->set[i] = (uint8_t)~n->set[i];
    return true;
}

static bool parse_alts(Parser *ps, Node *group, bool inner);

/* A number for {m,n}. */
static int parse_count(Parser *ps) {
    int v = -1;
    while (ps->p < ps->end && isdigit((unsigned char)*ps->p)) v = (v < 0 ? 0 : v) * 10 + (*ps->p++ - '0');
    return v;
}

static bool parse_interval(Parser *ps, Node *n) {
    int lo = parse_count(ps), hi = lo;
    if (lo < 0) return false;
    if (ps->p < ps->end && *ps->p == ',') {
        ps->p++;
        hi = parse_count(ps);
    }
    if (ps->ere) {
        if (ps->p >= ps->end || *ps->p != '}') return false;
        ps->p++;
    } else {
        if (ps->p + 1 >= ps->end || ps->p[0] != '\\' || ps->p[1] != '}') return false;
        ps->p += 2;
    }
    n->min = lo;
    n->max = hi;
    return hi < 0 || hi >= lo;
}

static bool at_alt_end(Parser *ps, bool inner) {
    if (ps->p >= ps->end) return true;
    if (ps->ere) return *ps->p == '|' || (inner && *ps->p == ')');
    return ps->p + 1 < ps->end && ps->p[0] == '\\' && (ps->p[1] == '|' || (inner && ps->p[1] == ')'));
}

static bool parse_seq(Parser *ps, Seq *s, bool inner) {
    while (!at_alt_end(ps, inner)) {
        Node n = {.group = -1, .min = 1, .max = 1};
        char c = *ps->p++;
        if (c == '^' && (s->n == 0)) {
            n.kind = N_BOL;
        } else if (c == '$' && at_alt_end(ps, inner)) {
            n.kind = N_EOL;
        } else if (c == '.') {
            n.kind = N_ANY;
        } else if (c == '[') {
            n.kind = N_SET;
            if (!parse_set(ps, &n)) return ps->err = "unterminated [", false;
        } else if ((ps->ere && c == '(') || (!ps->ere && c == '\\' && ps->p < ps->end && *ps->p == '(')) {
            if (!ps->ere) ps->p++;
            n.kind = N_GROUP;
            n.group = ++ps->ngroups;
            if (!parse_alts(ps, &n, true)) return false;
            if (ps->ere) {
                if (ps->p >= ps->end || *ps->p != ')') return ps->err = "unmatched (", false;
                ps->p++;
            } else {
                if (ps->p + 1 >= ps->end) return ps->err = "unmatched \\(", false;
                ps->p += 2;
            }
        } else if (c == '\\' && ps->p < ps->end) {
            char e = *ps->p++;
            n.kind = N_CHAR;
            n.ch = (unsigned char)(e == 'n' ? '\n' : e == 't' ? '\t' : e);
        } else if (c == '*' && s->n == 0) {
            n.kind = N_CHAR;
            n.ch = '*';
        } else {
            n.kind = N_CHAR;
            n.ch = (unsigned char)c;
        }
        /* repetition operators */
        for (;;) {
            if (ps->p < ps->end && *ps->p == '*') {
                ps->p++;
                n.min = 0, n.max = -1;
            } else if (ps->ere && ps->p < ps->end && (*ps->p == '+' || *ps->p == '?')) {
                char op = *ps->p++;
                n.min = op == '+' ? 1 : 0;
                n.max = op == '+' ? -1 : 1;
            } else if (ps->ere && ps->p < ps->end && *ps->p == '{') {
                ps->p++;
                if (!parse_interval(ps, &n)) return ps->err = "invalid interval", false;
            } else if (!ps->ere && ps->p + 1 < ps->end && ps->p[0] == '\\' && ps->p[1] == '{') {
                ps->p += 2;
                if (!parse_interval(ps, &n)) return ps->err = "invalid interval", false;
            } else {
                break;
            }
        }
        seq_push(s, n);
    }
    return true;
}

static bool parse_alts(Parser *ps, Node *group, bool inner) {
    for (;;) {
        group->alts = xrealloc(group->alts, (group->nalts + 1) * sizeof *group->alts);
        Seq *s = &group->alts[group->nalts++];
        memset(s, 0, sizeof *s);
        if (!parse_seq(ps, s, inner)) return false;
        if (ps->p < ps->end && ps->ere && *ps->p == '|') {
            ps->p++;
            continue;
        }
        if (ps->p + 1 < ps->end && !ps->ere && ps->p[0] == '\\' && ps->p[1] == '|') {
            ps->p += 2;
            continue;
        }
        return true;
    }
}

/* ---------------------------------------------------------------- matching */

typedef struct Match {
    const char *s;
    size_t len;
    bool icase;
    long cap[MAX_GROUPS][2];
    int depth;
} Match;

typedef struct Cont Cont;
struct Cont {
    const Seq *seq;
    size_t idx;
    const Cont *next;   /* what follows when seq ends */
    const Node *group;  /* the group node seq belongs to (its end: close capture, maybe repeat) */
    int count;          /* repetitions of that group done */
};

static long match_seq(Match *m, const Seq *s, size_t idx, long pos, const Cont *k);

static bool atom_at(const Match *m, const Node *n, long pos) {
    if ((size_t)pos >= m->len) return false;
    unsigned char c = (unsigned char)m->s[pos];
    switch (n->kind) {
    case N_CHAR: return m->icase ? tolower(c) == tolower(n->ch) : c == n->ch;
    case N_ANY: return true;
    case N_SET:
        if (n->set[c >> 3] & (1u << (c & 7))) return true;
        return m->icase && ((n->set[tolower(c) >> 3] & (1u << (tolower(c) & 7))) ||
                            (n->set[toupper(c) >> 3] & (1u << (toupper(c) & 7))));
    default: return false;
    }
}

/* Continues after the end of a sequence. */
static long match_cont(Match *m, long pos, const Cont *k) {
    if (!k) return pos;
    if (!k->group) return match_seq(m, k->seq, k->idx, pos, k->next);
    /* the end of one repetition of a group */
    const Node *g = k->group;
    long saved[2] = {m->cap[g->group][0], m->cap[g->group][1]};
    if (g->group > 0 && g->group < MAX_GROUPS) m->cap[g->group][1] = pos;
    int count = k->count + 1;
    if (g->max < 0 || count < g->max) {
        /* try one more repetition (not an empty one) */
        Cont again = {NULL, 0, k->next, g, count};
        for (size_t a = 0; a < g->nalts; a++) {
            long start_saved = m->cap[g->group][0];
            if (g->group > 0 && g->group < MAX_GROUPS) m->cap[g->group][0] = pos;
            long r = match_seq(m, &g->alts[a], 0, pos, &again);
            if (r >= 0 && r != pos) return r;
            if (g->group > 0 && g->group < MAX_GROUPS) m->cap[g->group][0] = start_saved;
        }
    }
    if (count >= g->min) {
        long r = match_cont(m, pos, k->next);
        if (r >= 0) return r;
    }
    if (g->group > 0 && g->group < MAX_GROUPS) m->cap[g->group][0] = saved[0], m->cap[g->group][1] = saved[1];
    return -1;
}

static long match_seq(Match *m, const Seq *s, size_t idx, long pos, const Cont *k) {
    if (++m->depth > MAX_DEPTH) {
        m->depth--;
        return -1;
    }
    long r = -1;
    if (idx == s->n) {
        r = match_cont(m, pos, k);
    } else {
        const Node *n = &s->v[idx];
        Cont rest = {s, idx + 1, k, NULL, 0};
        if (n->kind == N_BOL) {
            r = pos == 0 ? match_seq(m, s, idx + 1, pos, k) : -1;
        } else if (n->kind == N_EOL) {
            r = (size_t)pos == m->len ? match_seq(m, s, idx + 1, pos, k) : -1;
        } else if (n->kind == N_GROUP) {
            Cont end = {NULL, 0, &rest, n, 0};
            for (size_t a = 0; a < n->nalts && r < 0; a++) {
                long saved = n->group < MAX_GROUPS ? m->cap[n->group][0] : 0;
                if (n->group > 0 && n->group < MAX_GROUPS) m->cap[n->group][0] = pos;
                r = match_seq(m, &n->alts[a], 0, pos, &end);
                if (r < 0 && n->group > 0 && n->group < MAX_GROUPS) m->cap[n->group][0] = saved;
            }
            if (r < 0 && n->min == 0) r = match_seq(m, s, idx + 1, pos, k);
        } else {
            /* a single-character atom: count how far it can go, then back off */
            long most = 0;
            while ((n->max < 0 || most < n->max) && atom_at(m, n, pos + most)) most++;
            for (long c = most; c >= n->min && r < 0; c--) r = match_seq(m, s, idx + 1, pos + c, k);
        }
    }
    m->depth--;
    return r;
}

/* ---------------------------------------------------------------- API */

static bool parse_flags(Expr *e, const char **pp, const char *end, Parser *ps) {
    const char *p = *pp;
    while (p < end && *p != ';') {
        char f = *p++;
        switch (f) {
        case 'g': e->global = true; break;
        case 'i': e->icase = true; break;
        case 'x': ps->ere = true; break;
        case 'r': e->on_r = true; break;
        case 'R': e->on_r = false; break;
        case 's': e->on_s = true; break;
        case 'S': e->on_s = false; break;
        case 'h': e->on_h = true; break;
        case 'H': e->on_h = false; break;
        default:
            if (isdigit((unsigned char)f)) {
                e->nth = e->nth * 10 + (f - '0');
                break;
            }
            return false;
        }
    }
    *pp = p;
    return true;
}

/* Finds the end of a delimited part; backslash-delimiter becomes the delimiter. */
static char *take_part(const char **pp, const char *end, char d) {
    StrBuf b;
    sb_init(&b);
    const char *p = *pp;
    while (p < end && *p != d) {
        if (*p == '\\' && p + 1 < end) {
            if (p[1] == d) sb_putc(&b, d);
            else sb_putc(&b, '\\'), sb_putc(&b, p[1]);
            p += 2;
            continue;
        }
        sb_putc(&b, *p++);
    }
    if (p >= end) {
        sb_free(&b);
        return NULL;
    }
    *pp = p + 1;
    return sb_take(&b);
}

TarXform *tar_xform_parse(const char *expr, char **err) {
    TarXform *x = xcalloc(1, sizeof *x);
    const char *p = expr, *end = expr + strlen(expr);
    *err = NULL;
    while (p < end) {
        if (*p == ';') {
            p++;
            continue;
        }
        if (*p != 's' || p + 1 >= end) {
            *err = xstrdup("Invalid transform expression");
            break;
        }
        char d = p[1];
        p += 2;
        char *re = take_part(&p, end, d);
        char *repl = re ? take_part(&p, end, d) : NULL;
        if (!repl) {
            free(re);
            *err = xstrdup("Invalid transform expression");
            break;
        }
        Expr e = {.repl = repl, .on_r = true, .on_s = true, .on_h = true};
        Parser ps = {0};
        if (!parse_flags(&e, &p, end, &ps)) {
            free(re);
            free(repl);
            *err = xstrdup("Unknown flag in transform expression");
            break;
        }
        ps.p = re;
        ps.end = re + strlen(re);
        e.root = (Node){.kind = N_GROUP, .group = 0, .min = 1, .max = 1};
        bool ok = parse_alts(&ps, &e.root, false) && ps.p == ps.end;
        free(re);
        if (!ok) {
            node_free(&e.root);
            free(repl);
            *err = xstrdup(ps.err ? ps.err : "Invalid regular expression");
            break;
        }
        e.ngroups = ps.ngroups;
        x->v = xrealloc(x->v, (x->n + 1) * sizeof *x->v);
        x->v[x->n++] = e;
    }
    if (*err) {
        tar_xform_free(x);
        return NULL;
    }
    return x;
}

void tar_xform_free(TarXform *x) {
    if (!x) return;
    for (size_t i = 0; i < x->n; i++) {
        node_free(&x->v[i].root);
        free(x->v[i].repl);
    }
    free(x->v);
    free(x);
}

static long search(Match *m, const Expr *e, long from, long *start) {
    for (long s = from; (size_t)s <= m->len; s++) {
        memset(m->cap, -1, sizeof m->cap);
        m->depth = 0;
        m->cap[0][0] = s;
        long r = match_seq(m, &(Seq){(Node *)&e->root, 1, 1}, 0, s, NULL);
        if (r >= 0) {
            *start = s;
            return r;
        }
    }
    return -1;
}

static void put_replacement(StrBuf *b, const Expr *e, const Match *m, long s, long end) {
    for (const char *r = e->repl; *r; r++) {
        if (*r == '&') {
            sb_put(b, m->s + s, (size_t)(end - s));
        } else if (*r == '\\' && r[1]) {
            r++;
            if (*r >= '1' && *r <= '9') {
                int g = *r - '0';
                if (g < MAX_GROUPS && m->cap[g][0] >= 0 && m->cap[g][1] >= m->cap[g][0])
                    sb_put(b, m->s + m->cap[g][0], (size_t)(m->cap[g][1] - m->cap[g][0]));
            } else if (*r == 'n') {
                sb_putc(b, '\n');
            } else {
                sb_putc(b, *r);
            }
        } else {
            sb_putc(b, *r);
        }
    }
}

static char *apply_one(const Expr *e, const char *name) {
    Match m = {.s = name, .len = strlen(name), .icase = e->icase};
    StrBuf b;
    sb_init(&b);
    long pos = 0, copied = 0;
    int nmatch = 0;
    for (;;) {
        long s, end = search(&m, e, pos, &s);
        if (end < 0) break;
        nmatch++;
        bool take = e->nth ? nmatch >= e->nth : true;
        if (take) {
            sb_put(&b, name + copied, (size_t)(s - copied));
            put_replacement(&b, e, &m, s, end);
            copied = end;
        }
        if (take && !e->global) break;
        if (e->nth && nmatch >= e->nth && !e->global) break;
        pos = end > s ? end : s + 1;
        if ((size_t)pos > m.len) break;
    }
    sb_puts(&b, name + copied);
    return sb_take(&b);
}

char *tar_xform_apply(const TarXform *x, const char *name, char kind) {
    char *cur = xstrdup(name);
    for (size_t i = 0; x && i < x->n; i++) {
        const Expr *e = &x->v[i];
        if ((kind == 'r' && !e->on_r) || (kind == 's' && !e->on_s) || (kind == 'h' && !e->on_h)) continue;
        char *next = apply_one(e, cur);
        free(cur);
        cur = next;
    }
    return cur;
}
