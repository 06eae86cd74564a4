/* dfa.c - a lazy DFA over the byte program, for "is there a match?".
 *
 * A state is the set of program positions the NFA can be in (consuming
 * instructions, MATCH, and assertions still waiting for the next byte) plus
 * what is known about the previous byte (a word character? a newline? the
 * subject start?). States and their transitions are built on first use and
 * cached in the (otherwise immutable) Regex, bounded in number: when the
 * cache is full it is emptied and built again. Assertions that look at the
 * next byte are resolved on the transition, so a match is seen one byte late.
 * The DFA gives up ("quit", the caller uses the Pike VM) on a non-ASCII byte
 * when the pattern has word assertions in UTF-8 mode, and on a newline
 * before Perl's $ or \Z. */
#include "rx.h"

#include "common.h"

#include <stdlib.h>
#include <string.h>

#define MAX_STATES 3000
#define MAX_FLUSHES 64

enum { S_UNKNOWN = -1, S_MATCH = -2, S_DEAD = -3, S_QUIT = -4, S_EOL = -5 };
enum { F_WORD = 1, F_NL = 2, F_START = 4 }; /* about the previous byte */
enum { NEXT_EOT = 256 };

typedef struct DState {
    int *pcs;
    int npcs;
    uint8_t flags;
    int8_t eot;       /* match at the end of the subject: -1 unknown, 0, 1 (or S_QUIT as 2) */
    unsigned hash;
    int chain;        /* next state in the hash bucket */
} DState;

struct RxDfa {
    const RxProg *p;
    bool multiline;
    bool quit_nonascii;
    int eol;          /* grep's record end byte (its transitions are S_EOL), or -1 */
    DState *st;
    int32_t *trans;   /* 256 per state: the next state times 256, or a sentinel */
    int n, cap;
    int *buckets;
    int nbuckets;
    int init[8];
    unsigned *mark;
    unsigned gen;
    int *stack;
    int *list;
    int flushes;
    bool failed;      /* the cache thrashed: leave everything to the Pike VM from now on */
    /* The record-start state and the few bytes that leave it: while in it,
     * those bytes are searched for a word at a time. */
    unsigned flag_mask; /* the F_ flags some assertion of the program looks at */
    int accel_state;  /* -1: not computed since the last flush */
    int accel_n;      /* 0: no acceleration (too many bytes leave) */
    unsigned char accel[3];
};

RxDfa *rx_dfa_new(const RxProg *p, bool multiline, int eol) {
    RxDfa *d = xcalloc(1, sizeof *d);
    d->p = p;
    d->eol = eol;
    d->multiline = multiline;
    d->quit_nonascii = p->has_word_assert && !p->bytes;
    d->nbuckets = 4096;
    d->buckets = xmalloc((size_t)d->nbuckets * sizeof *d->buckets);
    for (int i = 0; i < d->nbuckets; i++) d->buckets[i] = -1;
    for (int i = 0; i < 8; i++) d->init[i] = S_UNKNOWN;
    d->accel_state = -1;
    for (int i = 0; i < p->n; i++) {
        if (p->insts[i].op != I_ASSERT) continue;
        switch (p->insts[i].x) {
        case A_BOL: case A_BOT: d->flag_mask |= F_START; break;
        case A_MBOL: d->flag_mask |= F_START | F_NL; break;
        case A_WORDB: case A_NWORDB: case A_WSTART: case A_WEND: case A_NOTWBEF: d->flag_mask |= F_WORD; break;
        default: break;
        }
    }
    d->mark = xcalloc((size_t)p->n, sizeof *d->mark);
    d->stack = xmalloc((size_t)(2 * p->n + 8) * sizeof *d->stack);
    d->list = xmalloc((size_t)(p->n + 8) * sizeof *d->list);
    return d;
}

static void flush(RxDfa *d) {
    for (int i = 0; i < d->n; i++) free(d->st[i].pcs);
    d->n = 0;
    for (int i = 0; i < d->nbuckets; i++) d->buckets[i] = -1;
    for (int i = 0; i < 8; i++) d->init[i] = S_UNKNOWN;
    d->accel_state = -1;
    d->flushes++;
}

void rx_dfa_free(RxDfa *d) {
    if (!d) return;
    for (int i = 0; i < d->n; i++) free(d->st[i].pcs);
    free(d->st);
    free(d->trans);
    free(d->buckets);
    free(d->mark);
    free(d->stack);
    free(d->list);
    free(d);
}

/* What the transition knows about the next byte. */
typedef struct Next {
    bool known;
    int b;        /* 0..255 or NEXT_EOT */
} Next;

static bool is_word_byte(int b) {
    return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '_';
}

/* Evaluates an assertion: 1 true, 0 false, -1 needs the next byte. */
static int assert_val(int kind, unsigned flags, Next nx) {
    bool start = flags & F_START;
    bool wb = (flags & F_WORD) != 0;
    switch (kind) {
    case A_BOL: case A_BOT: return start;
    case A_MBOL: return start || (flags & F_NL);
    case A_NOTWBEF: return !wb;
    default: break;
    }
    if (!nx.known) return -1;
    bool end = nx.b == NEXT_EOT;
    bool wa = !end && is_word_byte(nx.b);
    switch (kind) {
    case A_EOL: case A_EOT: return end;
    case A_MEOL: return end || nx.b == '\n';
    case A_PEOL: case A_EOT_NL: return end; /* a newline here makes the caller quit */
    case A_WORDB: return wb != wa;
    case A_NWORDB: return wb == wa;
    case A_WSTART: return !wb && wa;
    case A_WEND: return wb && !wa;
    case A_NOTWAFT: return !wa;
    default: return 0;
    }
}

/* Follows the empty transitions from the seeds; the positions where it stops
 * go to d->list. Returns their number; *has_match when MATCH was reached. */
static int closure(RxDfa *d, const int *seeds, int nseeds, unsigned flags, Next nx, bool *has_match) {
    const RxInst *in = d->p->insts;
    if (++d->gen == 0) {
        memset(d->mark, 0, (size_t)d->p->n * sizeof *d->mark);
        d->gen = 1;
    }
    int sp = 0, n = 0;
    *has_match = false;
    for (int i = nseeds - 1; i >= 0; i--) d->stack[sp++] = seeds[i];
    while (sp > 0) {
        int pc = d->stack[--sp];
        if (d->mark[pc] == d->gen) continue;
        d->mark[pc] = d->gen;
        const RxInst *i = &in[pc];
        switch (i->op) {
        case I_JMP: d->stack[sp++] = i->x; break;
        case I_SPLIT: d->stack[sp++] = i->y; d->stack[sp++] = i->x; break;
        case I_SAVE: d->stack[sp++] = pc + 1; break;
        case I_LOOP: d->stack[sp++] = pc + 1; d->stack[sp++] = i->x; break;
        case I_ASSERT: {
            int v = assert_val(i->x, flags, nx);
            if (v > 0) d->stack[sp++] = pc + 1;
            else if (v < 0) d->list[n++] = pc;
            break;
        }
        case I_MATCH: *has_match = true; d->list[n++] = pc; break;
        case I_BYTE: case I_SET: d->list[n++] = pc; break;
        default: break;
        }
    }
    return n;
}

static int int_cmp(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return x < y ? -1 : x > y;
}

/* The state for d->list[0..n) with flags, creating it if new. */
static int state_for(RxDfa *d, int n, unsigned flags) {
    flags &= d->flag_mask; /* states differing only in unused flags are one */
    qsort(d->list, (size_t)n, sizeof *d->list, int_cmp);
    unsigned h = 2166136261u ^ flags;
    for (int i = 0; i < n; i++) h = (h ^ (unsigned)d->list[i]) * 16777619u;
    int b = (int)(h & (unsigned)(d->nbuckets - 1));
    for (int s = d->buckets[b]; s >= 0; s = d->st[s].chain) {
        DState *t = &d->st[s];
        if (t->hash == h && t->flags == flags && t->npcs == n && !memcmp(t->pcs, d->list, (size_t)n * sizeof *d->list))
            return s;
    }
    if (d->n >= MAX_STATES) return S_UNKNOWN; /* caller flushes */
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 64;
        d->st = xrealloc(d->st, (size_t)d->cap * sizeof *d->st);
        d->trans = xrealloc(d->trans, (size_t)d->cap * 256 * sizeof *d->trans);
    }
    DState *t = &d->st[d->n];
    t->pcs = xmalloc((size_t)(n ? n : 1) * sizeof *t->pcs);
    memcpy(t->pcs, d->list, (size_t)n * sizeof *t->pcs);
    t->npcs = n;
    t->flags = (uint8_t)flags;
    t->eot = -1;
    t->hash = h;
    t->chain = d->buckets[b];
    int32_t *tr = d->trans + (size_t)d->n * 256;
    for (int i = 0; i < 256; i++) tr[i] = S_UNKNOWN;
    if (d->eol >= 0) tr[d->eol] = S_EOL;
    d->buckets[b] = d->n;
    return d->n++;
}

static bool byte_ok(const RxProg *p, const RxInst *i, int b) {
    if (i->op == I_BYTE) return b >= i->lo && b <= i->hi;
    return (p->sets[i->x][b >> 5] >> (b & 31)) & 1;
}

static int initial(RxDfa *d, unsigned flags) {
    flags &= d->flag_mask;
    if (d->init[flags] != S_UNKNOWN) return d->init[flags];
    bool m;
    int start = d->p->start;
    int n = closure(d, &start, 1, flags, (Next){false, 0}, &m);
    /* an empty set is dead only when no later start can match */
    int s = n == 0 && d->p->anchored_start ? S_DEAD : state_for(d, n, flags);
    if (s == S_UNKNOWN) {
        flush(d);
        n = closure(d, &start, 1, flags, (Next){false, 0}, &m);
        s = state_for(d, n, flags);
    }
    d->init[flags] = s;
    return s;
}

/* Does the state (just before the next byte b, or the end) hold a match? */
static bool resolve(RxDfa *d, int si, Next nx, int *n_out) {
    bool m;
    DState *t = &d->st[si];
    int n = closure(d, t->pcs, t->npcs, t->flags, nx, &m);
    *n_out = n;
    return m;
}

static bool pending_perl_eol(const RxDfa *d, const DState *t) {
    for (int i = 0; i < t->npcs; i++) {
        const RxInst *in = &d->p->insts[t->pcs[i]];
        if (in->op == I_ASSERT && (in->x == A_PEOL || in->x == A_EOT_NL)) return true;
    }
    return false;
}

#define TR(d, si, b) ((d)->trans[((size_t)(si) << 8) | (unsigned)(b)])

/* Computes the transition of state si on byte b. */
static int step(RxDfa *d, int si, int b) {
    DState *t = &d->st[si];
    if (b >= 0x80 && d->quit_nonascii) return TR(d, si, b) = S_QUIT;
    if (b == '\n' && pending_perl_eol(d, t)) return TR(d, si, b) = S_QUIT;
    int n;
    if (resolve(d, si, (Next){true, b}, &n)) return TR(d, si, b) = S_MATCH;
    /* advance the consuming positions over b */
    int *seeds = xmalloc((size_t)(n + 2) * sizeof *seeds);
    int k = 0;
    for (int i = 0; i < n; i++) {
        const RxInst *in = &d->p->insts[d->list[i]];
        if ((in->op == I_BYTE || in->op == I_SET) && byte_ok(d->p, in, b)) seeds[k++] = d->list[i] + 1;
    }
    if (!d->p->anchored_start) seeds[k++] = d->p->start;
    unsigned flags = (is_word_byte(b) ? F_WORD : 0) | (b == '\n' ? F_NL : 0);
    bool m;
    int nn = closure(d, seeds, k, flags, (Next){false, 0}, &m);
    int ns;
    if (nn == 0 && d->p->anchored_start) {
        ns = S_DEAD;
    } else {
        ns = state_for(d, nn, flags);
        if (ns == S_UNKNOWN) {
            /* the cache is full: start afresh (si is gone; the new state is not) */
            flush(d);
            nn = closure(d, seeds, k, flags, (Next){false, 0}, &m);
            ns = state_for(d, nn, flags);
            free(seeds);
            return ns;
        }
    }
    free(seeds);
    TR(d, si, b) = ns;
    return ns;
}

static int at_end(RxDfa *d, int si) {
    DState *t = &d->st[si];
    if (t->eot < 0) {
        int n;
        t->eot = resolve(d, si, (Next){true, NEXT_EOT}, &n) ? 1 : 0;
    }
    return d->st[si].eot ? RX_MATCH : RX_NOMATCH;
}

/* Runs s[from..to) from state si; RX_MATCH, RX_NOMATCH or 2 (quit). */
static int run(RxDfa *d, RxCtx *c, int si, size_t from, size_t to) {
    const unsigned char *s = c->s;
    int start_flushes = d->flushes;
    size_t i = from;
    while (i < to) {
        /* the hot loop: known transitions only */
        int nx;
        while ((nx = TR(d, si, s[i])) >= 0) {
            si = nx;
            if (++i == to) return at_end(d, si);
        }
        if (nx == S_UNKNOWN) {
            nx = step(d, si, s[i]);
            if (d->flushes - start_flushes > MAX_FLUSHES) {
                d->failed = true;
                return 2;
            }
        }
        if (nx == S_MATCH) return RX_MATCH;
        if (nx == S_DEAD) return RX_NOMATCH;
        if (nx < 0) return 2;
        si = nx;
        i++;
        if ((i & 0xFFFFF) == 0 && rx_poll_stop(c)) return RX_BUDGET;
    }
    return at_end(d, si);
}

static unsigned start_flags(const RxDfa *d, const RxCtx *c, size_t start, bool *quit) {
    *quit = false;
    if (start == 0) return F_START;
    int b = c->s[start - 1];
    if (b >= 0x80 && d->quit_nonascii) *quit = true;
    return (is_word_byte(b) ? F_WORD : 0) | (b == '\n' ? F_NL : 0);
}

int rx_dfa_match(RxDfa *d, RxCtx *c, size_t start) {
    if (d->failed || (c->eflags & (RX_NOTBOL | RX_NOTEOL))) return 2;
    bool quit;
    unsigned flags = start_flags(d, c, start, &quit);
    if (quit) return 2;
    int si = initial(d, flags);
    if (si == S_DEAD) return RX_NOMATCH;
    return run(d, c, si, start, c->len);
}

/* The Pike VM decides record [so, eo) (the DFA quit on it). */
static int line_by_pike(RxDfa *d, RxCtx *c, size_t so, size_t eo) {
    RxCtx sub = *c;
    sub.s = c->s + so;
    sub.len = eo - so;
    long *slots = malloc((size_t)d->p->nslots * sizeof *slots);
    if (!slots) return RX_ENOMEM;
    int r = rx_pike(&sub, 0, false, false, -1, slots);
    free(slots);
    c->stopped = sub.stopped;
    return r;
}

static size_t line_end(const RxCtx *c, size_t from, unsigned char eol) {
    const unsigned char *e = (const unsigned char *)mem_find((const char *)c->s + from, (char)eol, c->len - from);
    return e ? (size_t)(e - c->s) : c->len;
}

/* Decides whether the state init can be skipped through with a byte search:
 * it can when at most 3 bytes lead out of it. */
static void setup_accel(RxDfa *d, int init) {
    d->accel_state = init;
    d->accel_n = 0;
    int flushes = d->flushes;
    int n = 0;
    unsigned char out[4];
    for (int b = 0; b < 256; b++) {
        int nx = TR(d, init, b);
        if (nx == S_UNKNOWN) nx = step(d, init, b);
        if (d->flushes != flushes) return; /* the cache filled up: no acceleration */
        if (nx != init) {
            if (n == 3) return;
            out[n++] = (unsigned char)b;
        }
    }
    memcpy(d->accel, out, (size_t)n);
    d->accel_n = n ? n : 1;
    if (!n) d->accel[0] = 0; /* nothing leaves: any byte will do as a stop */
}

/* The first i >= from with s[i] in the accel set, or len. Word at a time:
 * a byte equal to c shows as a zero byte of w ^ (c * 0x01..01). */
static size_t accel_skip(const RxDfa *d, const unsigned char *s, size_t from, size_t len) {
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    uint64_t k[3];
    int n = d->accel_n;
    for (int j = 0; j < n; j++) k[j] = ones * d->accel[j];
    size_t i = from;
    while (i + 8 <= len) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        uint64_t z = 0;
        for (int j = 0; j < n; j++) {
            uint64_t t = w ^ k[j];
            z |= (t - ones) & ~t & highs;
        }
        if (z) return i + (size_t)(__builtin_ctzll(z) >> 3);
        i += 8;
    }
    for (; i < len; i++)
        for (int j = 0; j < n; j++)
            if (s[i] == d->accel[j]) return i;
    return len;
}

/* Scans records from `ls` (a record start) with the DFA over the buffer
 * itself, until a record is selected (returns RX_MATCH with its bounds) or
 * `limit` is passed (RX_NOMATCH; *next is where to go on). */
static int scan(RxDfa *d, RxCtx *c, size_t ls, size_t limit, unsigned char eol, bool invert, size_t *so,
                size_t *eo, size_t *next) {
    const unsigned char *s = c->s;
    size_t len = c->len, i = ls;
    int init = initial(d, F_START);
    int si = init;
    int start_flushes = d->flushes;
    unsigned long lines = 0;
    for (;;) {
        int r;
        if (si == S_DEAD) {
            r = RX_NOMATCH;
            i = line_end(c, i, eol);
        } else {
            int nx = 0;
            if (si == init && d->accel_state != init) {
                int fl = d->flushes;
                setup_accel(d, init);
                if (d->flushes != fl) {
                    /* the cache filled up meanwhile: no acceleration this time */
                    init = si = initial(d, F_START);
                    d->accel_state = init;
                    d->accel_n = 0;
                }
            }
            bool accel = d->accel_n > 0 && d->accel_state == init;
            while (i < len) {
                if (si == init && accel) {
                    i = accel_skip(d, s, i, len);
                    if (i == len) break;
                }
                if ((nx = TR(d, si, s[i])) < 0) break;
                si = nx;
                i++;
            }
            if (i >= len) {
                r = at_end(d, si);
            } else if (nx == S_EOL) {
                r = at_end(d, si);
            } else {
                if (nx == S_UNKNOWN) {
                    nx = step(d, si, s[i]);
                    if (d->flushes - start_flushes > MAX_FLUSHES) {
                        d->failed = true;
                        *next = ls;
                        return 2;
                    }
                    if (nx == S_UNKNOWN) nx = S_QUIT;
                    init = initial(d, F_START); /* a flush renumbers the states */
                    if (nx >= 0) {
                        si = nx;
                        i++;
                        continue;
                    }
                }
                if (nx == S_DEAD) {
                    si = S_DEAD;
                    continue;
                }
                size_t le = line_end(c, i, eol);
                r = nx == S_MATCH ? RX_MATCH : line_by_pike(d, c, ls, le);
                if (r < 0) return r;
                i = le;
            }
        }
        /* record [ls, i) is decided */
        if ((r == RX_MATCH) != invert) {
            *so = ls;
            *eo = i;
            return RX_MATCH;
        }
        if (i + 1 >= len || i + 1 > limit) {
            *next = i + 1;
            return RX_NOMATCH;
        }
        ls = ++i;
        si = init;
        if ((++lines & 0xFFFF) == 0 && rx_poll_stop(c)) return RX_BUDGET;
    }
}

/* How common a byte is in text (higher = more common), to pick the byte of a
 * literal to search for. */
static int byte_rank(unsigned char b) {
    static const char common[] = "etaoinshrdlcumwfgypbvkjxqz";
    if (b >= 'a' && b <= 'z') return 26 - (int)(strchr(common, b) - common);
    if (b == ' ') return 30;
    return 0;
}

/* The first occurrence of the lower-case needle in s[from..len) ignoring
 * ASCII case, or len. It searches for the needle's rarest byte in both cases
 * a word at a time, then compares. */
static size_t fold_find(const unsigned char *s, size_t from, size_t len, const unsigned char *nd, size_t n) {
    size_t r = 0;
    for (size_t k = 1; k < n; k++)
        if (byte_rank(nd[k]) < byte_rank(nd[r])) r = k;
    unsigned char lo = nd[r], up = (unsigned char)(lo >= 'a' && lo <= 'z' ? lo - 32 : lo);
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    uint64_t kl = ones * lo, ku = ones * up;
    size_t i = from + r;
    while (i < len) {
        size_t hit = len;
        while (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            uint64_t t1 = w ^ kl, t2 = w ^ ku;
            uint64_t z = ((t1 - ones) & ~t1 & highs) | ((t2 - ones) & ~t2 & highs);
            if (z) {
                hit = i + (size_t)(__builtin_ctzll(z) >> 3);
                break;
            }
            i += 8;
        }
        if (hit == len)
            for (; i < len; i++)
                if (s[i] == lo || s[i] == up) {
                    hit = i;
                    break;
                }
        if (hit >= len) return len;
        size_t cand = hit - r;
        if (cand + n <= len) {
            size_t k = 0;
            while (k < n && (s[cand + k] | (unsigned char)((s[cand + k] >= 'A' && s[cand + k] <= 'Z') ? 32 : 0)) == nd[k]) k++;
            if (k == n) return cand;
        }
        i = hit + 1;
    }
    return len;
}

int rx_dfa_lines(RxDfa *d, RxCtx *c, size_t start, unsigned char eol, bool invert, size_t *so, size_t *eo) {
    if (d->failed || (c->eflags & (RX_NOTBOL | RX_NOTEOL))) {
        *so = start;
        return 2;
    }
    const RxProg *p = d->p;
    size_t pos = start, len = c->len;
    /* With a literal every match contains, skip to the records holding it,
     * as long as that skips enough to pay (else scan everything). */
    bool prefilter = !invert && (p->req_len > 0 || p->req_fold_len > 0);
    size_t skipped = 0, candidates = 0;
    while (pos < len) {
        size_t ls = pos, limit = len;
        if (prefilter) {
            if (p->req_len) {
                const unsigned char *f = memmem(c->s + pos, len - pos, p->req, p->req_len);
                if (!f) return RX_NOMATCH;
                ls = (size_t)(f - c->s);
            } else {
                ls = fold_find(c->s, pos, len, p->req_fold, p->req_fold_len);
                if (ls >= len) return RX_NOMATCH;
            }
            while (ls > pos && c->s[ls - 1] != eol) ls--;
            skipped += ls - pos;
            limit = ls; /* only this record */
            if (++candidates >= 64 && skipped / candidates < 256) prefilter = false;
        }
        size_t next;
        int r = scan(d, c, ls, limit, eol, invert, so, eo, &next);
        if (r != RX_NOMATCH) {
            if (r == 2) *so = next;
            return r;
        }
        pos = next;
    }
    return RX_NOMATCH;
}
