/* compile.c - syntax tree to byte program. Characters become UTF-8 byte
 * sequences (classes become a trie of byte ranges), so every matcher works on
 * bytes and an invalid byte never matches `.`. Loops whose body can match
 * the empty string record where each iteration started (a hidden slot) so
 * that an empty iteration ends the loop (the backtracker needs it to
 * terminate; it also gives glibc's and PCRE's captures for (a*)*). */
#include "rx.h"

#include "common.h"

#include <stdlib.h>
#include <string.h>

#define MAX_INSTS (1 << 20)

typedef struct C {
    RxProg *p;
    const RxTree *t;
    unsigned flags;
    bool bytes;
    bool too_big;
    int *loop_slot;  /* per node: its hidden loop slot, shared by the copies {n,m} makes */
    int *block;      /* per character node: where its first copy's instructions start, or -1 */
    int *block_len;
} C;

static int emit(C *c, RxOp op, int lo, int hi, int x, int y);

/* A character node compiles to a self-contained block (jumps stay inside it
 * or go to its end), so later copies ({n,m}) are the first one moved. */
static bool copy_block(C *c, int node) {
    int from = c->block[node], n = c->block_len[node];
    if (from < 0) return false;
    int delta = c->p->n - from;
    for (int k = 0; k < n && !c->too_big; k++) {
        RxInst in = c->p->insts[from + k];
        if (in.op == I_SPLIT || in.op == I_JMP) in.x += delta;
        if (in.op == I_SPLIT) in.y += delta;
        emit(c, (RxOp)in.op, in.lo, in.hi, in.x, in.y);
    }
    return true;
}

static void remember_block(C *c, int node, int start) {
    if (c->block[node] < 0 && !c->too_big) {
        c->block[node] = start;
        c->block_len[node] = c->p->n - start;
    }
}

static int emit(C *c, RxOp op, int lo, int hi, int x, int y) {
    RxProg *p = c->p;
    if (p->n >= MAX_INSTS) {
        c->too_big = true;
        return p->n ? p->n - 1 : 0;
    }
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 64;
        p->insts = xrealloc(p->insts, (size_t)p->cap * sizeof *p->insts);
    }
    p->insts[p->n] = (RxInst){(uint8_t)op, (uint8_t)lo, (uint8_t)hi, x, y};
    return p->n++;
}

static int new_set(C *c, const uint32_t bits[8]) {
    RxProg *p = c->p;
    for (int i = 0; i < p->nsets; i++)
        if (!memcmp(p->sets[i], bits, sizeof p->sets[i])) return i;
    if (p->nsets == p->setcap) {
        p->setcap = p->setcap ? p->setcap * 2 : 8;
        p->sets = xrealloc(p->sets, (size_t)p->setcap * sizeof *p->sets);
    }
    memcpy(p->sets[p->nsets], bits, sizeof p->sets[0]);
    return p->nsets++;
}

/* ---- UTF-8 sequences of a class ---- */
typedef struct Seq {
    uint8_t n;
    uint8_t lo[4], hi[4];
} Seq;

typedef struct Seqs {
    Seq *v;
    int n, cap;
} Seqs;

static void seq_add(Seqs *s, int n, const uint8_t *lo, const uint8_t *hi) {
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->v = xrealloc(s->v, (size_t)s->cap * sizeof *s->v);
    }
    Seq *q = &s->v[s->n++];
    q->n = (uint8_t)n;
    memcpy(q->lo, lo, (size_t)n);
    memcpy(q->hi, hi, (size_t)n);
}

static int enc_len(uint32_t cp) { return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4; }

/* Splits [lo, hi] (no surrogates) into ranges whose encodings differ only in
 * independent byte ranges. */
static void utf8_split(Seqs *s, uint32_t lo, uint32_t hi) {
    static const uint32_t bounds[] = {0x7F, 0x7FF, 0xFFFF};
    if (lo > hi) return;
    for (int i = 0; i < 3; i++) {
        if (lo <= bounds[i] && hi > bounds[i]) {
            utf8_split(s, lo, bounds[i]);
            utf8_split(s, bounds[i] + 1, hi);
            return;
        }
    }
    int n = enc_len(lo);
    for (int i = 1; i < n; i++) {
        uint32_t m = (1u << (6 * i)) - 1;
        if ((lo & ~m) != (hi & ~m)) {
            if ((lo & m) != 0) {
                utf8_split(s, lo, lo | m);
                utf8_split(s, (lo | m) + 1, hi);
                return;
            }
            if ((hi & m) != m) {
                utf8_split(s, lo, (hi & ~m) - 1);
                utf8_split(s, hi & ~m, hi);
                return;
            }
        }
    }
    uint8_t a[4], b[4];
    rx_utf8_encode(lo, a);
    rx_utf8_encode(hi, b);
    seq_add(s, n, a, b);
}

static int seq_cmp(const void *x, const void *y) {
    const Seq *a = x, *b = y;
    for (int i = 0; i < 4; i++) {
        if (i >= a->n || i >= b->n) return a->n - b->n;
        if (a->lo[i] != b->lo[i]) return a->lo[i] - b->lo[i];
        if (a->hi[i] != b->hi[i]) return a->hi[i] - b->hi[i];
    }
    return 0;
}

static void emit_set_bits(C *c, const uint32_t bits[8]) {
    int lo = -1, hi = -1, ranges = 0;
    for (int b = 0; b < 256; b++) {
        if (bits[b >> 5] & (1u << (b & 31))) {
            if (lo < 0 || hi != b - 1) ranges++, lo = lo < 0 ? b : lo;
            hi = b;
        }
    }
    if (ranges == 1) emit(c, I_BYTE, lo, hi, 0, 0);
    else emit(c, I_SET, 0, 0, new_set(c, bits), 0);
}

/* Emits alternatives for seqs[i..j) from byte position d on, sharing prefixes. */
static void emit_trie(C *c, Seq *v, int i, int j, int d) {
    int jmps[512];
    int nj = 0;
    int k = i;
    while (k < j) {
        int e = k + 1;
        while (e < j && v[e].lo[d] == v[k].lo[d] && v[e].hi[d] == v[k].hi[d]) e++;
        int split = -1;
        if (e < j) split = emit(c, I_SPLIT, 0, 0, 0, 0);
        if (split >= 0) c->p->insts[split].x = c->p->n;
        emit(c, I_BYTE, v[k].lo[d], v[k].hi[d], 0, 0);
        if (v[k].n > d + 1) emit_trie(c, v, k, e, d + 1);
        if (e < j) {
            if (nj < 512) jmps[nj++] = emit(c, I_JMP, 0, 0, 0, 0);
            c->p->insts[split].y = c->p->n;
        }
        k = e;
    }
    for (int q = 0; q < nj; q++) c->p->insts[jmps[q]].x = c->p->n;
}

/* A class of code points (and raw bytes) as byte instructions. */
static void emit_class(C *c, const RxClass *cls) {
    uint32_t bits[8] = {0};
    bool any_single = false;
    Seqs s = {0};
    for (int i = 0; i < cls->n; i++) {
        uint32_t lo = cls->v[i].lo, hi = cls->v[i].hi;
        if (c->bytes || RX_IS_RAW(lo)) {
            uint32_t base = RX_IS_RAW(lo) ? RX_RAW(0) : 0;
            for (uint32_t b = lo - base; b <= hi - base && b < 256; b++) bits[b >> 5] |= 1u << (b & 31), any_single = true;
            continue;
        }
        if (hi > RX_MAXCP) {
            /* a range running into the raw bytes */
            for (uint32_t b = 0x80; b <= 0xFF && RX_RAW(b) <= hi; b++)
                if (RX_RAW(b) >= lo) bits[b >> 5] |= 1u << (b & 31), any_single = true;
            hi = RX_MAXCP;
            if (lo > hi) continue;
        }
        for (uint32_t b = lo; b <= hi && b < 0x80; b++) bits[b >> 5] |= 1u << (b & 31), any_single = true;
        if (hi < 0x80) continue;
        if (lo < 0x80) lo = 0x80;
        if (lo <= 0xDFFF && hi >= 0xD800) {
            utf8_split(&s, lo, 0xD7FF);
            utf8_split(&s, 0xE000, hi);
        } else {
            utf8_split(&s, lo, hi);
        }
    }
    if (s.n == 0) {
        if (any_single) emit_set_bits(c, bits);
        else emit(c, I_FAIL, 0, 0, 0, 0);
        free(s.v);
        return;
    }
    qsort(s.v, (size_t)s.n, sizeof *s.v, seq_cmp);
    int split = -1, jmp = -1;
    if (any_single) {
        split = emit(c, I_SPLIT, 0, 0, 0, 0);
        c->p->insts[split].x = c->p->n;
        emit_set_bits(c, bits);
        jmp = emit(c, I_JMP, 0, 0, 0, 0);
        c->p->insts[split].y = c->p->n;
    }
    emit_trie(c, s.v, 0, s.n, 0);
    if (jmp >= 0) c->p->insts[jmp].x = c->p->n;
    free(s.v);
}

static void emit_char(C *c, const RxNode *nd) {
    uint32_t cp = nd->cp;
    if (RX_IS_RAW(cp)) {
        emit(c, I_BYTE, (int)(cp - RX_RAW(0)), (int)(cp - RX_RAW(0)), 0, 0);
        return;
    }
    if (nd->icase && (rx_lower(cp) != cp || rx_upper(cp) != cp)) {
        RxClass cls = {0};
        rxc_add(&cls, cp, cp);
        rxc_fold(&cls, c->bytes);
        emit_class(c, &cls);
        rxc_free(&cls);
        return;
    }
    if (c->bytes) {
        emit(c, I_BYTE, (int)(cp & 0xFF), (int)(cp & 0xFF), 0, 0);
        return;
    }
    uint8_t b[4];
    int n = rx_utf8_encode(cp, b);
    for (int i = 0; i < n; i++) emit(c, I_BYTE, b[i], b[i], 0, 0);
}

static void emit_any(C *c, bool dotnl) {
    RxClass cls = {0};
    uint32_t top = c->bytes ? 0xFF : RX_MAXCP;
    if (dotnl) {
        rxc_add(&cls, 0, top);
    } else {
        rxc_add(&cls, 0, '\n' - 1);
        rxc_add(&cls, '\n' + 1, top);
    }
    emit_class(c, &cls);
    rxc_free(&cls);
}

static bool nullable(const RxTree *t, int i) {
    const RxNode *nd = &t->nodes[i];
    switch (nd->kind) {
    case N_CHAR: case N_CLASS: case N_ANY: return false;
    case N_CAT:
        for (int k = 0; k < nd->nkids; k++)
            if (!nullable(t, nd->kids[k])) return false;
        return true;
    case N_ALT:
        for (int k = 0; k < nd->nkids; k++)
            if (nullable(t, nd->kids[k])) return true;
        return nd->nkids == 0;
    case N_REP: return nd->min == 0 || nullable(t, nd->kids[0]);
    case N_GROUP: case N_ATOMIC: return nullable(t, nd->kids[0]);
    default: return true;
    }
}

/* Byte-length bounds of a node (for lookbehind); max -1 when unbounded. */
static void len_bounds(const C *c, int i, long *mn, long *mx) {
    const RxNode *nd = &c->t->nodes[i];
    long a, b;
    switch (nd->kind) {
    case N_CHAR:
        if (RX_IS_RAW(nd->cp) || c->bytes) *mn = *mx = 1;
        else {
            *mn = *mx = enc_len(nd->cp);
            if (nd->icase) {
                int l1 = enc_len(rx_lower(nd->cp)), l2 = enc_len(rx_upper(nd->cp));
                *mn = *mn < l1 ? *mn : l1, *mn = *mn < l2 ? *mn : l2;
                *mx = *mx > l1 ? *mx : l1, *mx = *mx > l2 ? *mx : l2;
            }
        }
        return;
    case N_CLASS:
        if (c->bytes || nd->cls.n == 0) { *mn = *mx = 1; return; }
        *mn = 4, *mx = 1;
        for (int k = 0; k < nd->cls.n; k++) {
            uint32_t lo = nd->cls.v[k].lo, hi = nd->cls.v[k].hi;
            int l1 = RX_IS_RAW(lo) ? 1 : enc_len(lo), l2 = hi > RX_MAXCP ? 4 : enc_len(hi);
            if (RX_IS_RAW(lo)) l2 = 1;
            if (l1 < *mn) *mn = l1;
            if (l2 > *mx) *mx = l2;
        }
        return;
    case N_ANY: *mn = 1, *mx = c->bytes ? 1 : 4; return;
    case N_CAT:
        *mn = *mx = 0;
        for (int k = 0; k < nd->nkids; k++) {
            len_bounds(c, nd->kids[k], &a, &b);
            *mn += a;
            *mx = (*mx < 0 || b < 0) ? -1 : *mx + b;
        }
        return;
    case N_ALT:
        *mn = -1, *mx = 0;
        for (int k = 0; k < nd->nkids; k++) {
            len_bounds(c, nd->kids[k], &a, &b);
            if (*mn < 0 || a < *mn) *mn = a;
            *mx = (*mx < 0 || b < 0) ? -1 : (b > *mx ? b : *mx);
        }
        if (*mn < 0) *mn = 0;
        return;
    case N_REP:
        len_bounds(c, nd->kids[0], &a, &b);
        *mn = a * nd->min;
        *mx = (nd->max < 0 || b < 0) ? (b == 0 ? 0 : -1) : b * nd->max;
        return;
    case N_GROUP: case N_ATOMIC: len_bounds(c, nd->kids[0], mn, mx); return;
    case N_BACKREF: *mn = 0, *mx = -1; return;
    default: *mn = *mx = 0; return;
    }
}

static bool emit_node(C *c, int i);

static bool emit_rep(C *c, const RxNode *nd, int self) {
    int body = nd->kids[0];
    bool null = nullable(c->t, body);
    int min = nd->min, max = nd->max;
    if (nd->possessive) {
        RxNode plain = *nd;
        plain.possessive = false;
        int at = emit(c, I_ATOMIC, 0, 0, 0, 0);
        if (!emit_rep(c, &plain, self)) return false;
        emit(c, I_MATCH, 0, 0, 0, 0);
        c->p->insts[at].y = c->p->n;
        return true;
    }
    int fixed = max < 0 ? (min > 0 ? min - 1 : 0) : min;
    for (int k = 0; k < fixed; k++) {
        if (!emit_node(c, body)) return false;
        if (c->too_big) return true;
    }
    if (max < 0) {
        int split = -1;
        if (min == 0) split = emit(c, I_SPLIT, 0, 0, 0, 0);
        int top = c->p->n;
        int slot = -1;
        if (null) {
            /* copies of one loop never nest, so they can share its slot */
            if (c->loop_slot[self] < 0) c->loop_slot[self] = c->p->nslots++;
            slot = c->loop_slot[self];
            emit(c, I_SAVE, 0, 0, slot, 0);
        }
        if (!emit_node(c, body)) return false;
        if (null) {
            emit(c, I_LOOP, nd->greedy, 0, top, slot);
        } else {
            int s = emit(c, I_SPLIT, 0, 0, 0, 0);
            c->p->insts[s].x = nd->greedy ? top : s + 1;
            c->p->insts[s].y = nd->greedy ? s + 1 : top;
        }
        if (split >= 0) {
            c->p->insts[split].x = nd->greedy ? top : c->p->n;
            c->p->insts[split].y = nd->greedy ? c->p->n : top;
        }
        return true;
    }
    int opt = max - min;
    if (opt <= 0) return true;
    int *splits = xmalloc((size_t)opt * sizeof *splits);
    for (int k = 0; k < opt; k++) {
        splits[k] = emit(c, I_SPLIT, 0, 0, 0, 0);
        c->p->insts[splits[k]].x = c->p->n;
        if (!emit_node(c, body)) { free(splits); return false; }
        if (c->too_big) break;
    }
    int end = c->p->n;
    for (int k = 0; k < opt && !c->too_big; k++) {
        RxInst *s = &c->p->insts[splits[k]];
        int body_start = s->x;
        s->x = nd->greedy ? body_start : end;
        s->y = nd->greedy ? end : body_start;
    }
    free(splits);
    return true;
}

static bool emit_node(C *c, int i) {
    if (c->too_big) return true;
    const RxNode *nd = &c->t->nodes[i];
    switch (nd->kind) {
    case N_EMPTY: return true;
    case N_CHAR: case N_CLASS: case N_ANY: {
        if (copy_block(c, i)) return true;
        int start = c->p->n;
        if (nd->kind == N_CHAR) emit_char(c, nd);
        else if (nd->kind == N_CLASS) emit_class(c, &nd->cls);
        else emit_any(c, nd->dotnl);
        remember_block(c, i, start);
        return true;
    }
    case N_CAT:
        for (int k = 0; k < nd->nkids; k++)
            if (!emit_node(c, nd->kids[k])) return false;
        return true;
    case N_ALT: {
        if (nd->nkids == 0) return true;
        int jmps_n = nd->nkids - 1;
        int *jmps = xmalloc((size_t)(jmps_n ? jmps_n : 1) * sizeof *jmps);
        for (int k = 0; k < nd->nkids; k++) {
            int split = -1;
            if (k < nd->nkids - 1) {
                split = emit(c, I_SPLIT, 0, 0, 0, 0);
                c->p->insts[split].x = c->p->n;
            }
            if (!emit_node(c, nd->kids[k])) { free(jmps); return false; }
            if (k < nd->nkids - 1) {
                jmps[k] = emit(c, I_JMP, 0, 0, 0, 0);
                c->p->insts[split].y = c->p->n;
            }
        }
        for (int k = 0; k < jmps_n; k++) c->p->insts[jmps[k]].x = c->p->n;
        free(jmps);
        return true;
    }
    case N_REP: return emit_rep(c, nd, i);
    case N_GROUP:
        emit(c, I_SAVE, 0, 0, 2 * nd->group, 0);
        if (!emit_node(c, nd->kids[0])) return false;
        emit(c, I_SAVE, 0, 0, 2 * nd->group + 1, 0);
        return true;
    case N_ASSERT:
        if (nd->assert == A_WORDB || nd->assert == A_NWORDB || nd->assert == A_WSTART ||
            nd->assert == A_WEND)
            c->p->has_word_assert = true;
        emit(c, I_ASSERT, 0, 0, (int)nd->assert, 0);
        return true;
    case N_BACKREF:
        emit(c, I_BACKREF, nd->icase, 0, nd->group, 0);
        return true;
    case N_LOOK: {
        long mn = 0, mx = 0;
        if (nd->look & LOOK_BEHIND) {
            len_bounds(c, nd->kids[0], &mn, &mx);
            if (mx < 0) return false;
        }
        RxProg *p = c->p;
        p->looks = xrealloc(p->looks, (size_t)(p->nlooks + 1) * sizeof *p->looks);
        p->looks[p->nlooks] = (struct RxLook){nd->look, (int)mn, (int)mx};
        int at = emit(c, I_LOOK, 0, 0, p->nlooks++, 0);
        if (!emit_node(c, nd->kids[0])) return false;
        emit(c, I_MATCH, 0, 0, 0, 0);
        c->p->insts[at].y = c->p->n;
        return true;
    }
    case N_ATOMIC: {
        int at = emit(c, I_ATOMIC, 0, 0, 0, 0);
        if (!emit_node(c, nd->kids[0])) return false;
        emit(c, I_MATCH, 0, 0, 0, 0);
        c->p->insts[at].y = c->p->n;
        return true;
    }
    }
    return true;
}

/* ---- literals for the prefilters ---- */
typedef struct Lit {
    unsigned char *s;
    size_t n, cap;
} Lit;

static void lit_put(Lit *l, const unsigned char *b, size_t n) {
    if (l->n + n > l->cap) {
        l->cap = (l->n + n) * 2 + 16;
        l->s = xrealloc(l->s, l->cap);
    }
    memcpy(l->s + l->n, b, n);
    l->n += n;
}

/* Appends the literal bytes of node i; false when it is not a plain literal
 * (what was appended is still a valid prefix). */
static bool literal_of(const C *c, int i, Lit *l) {
    const RxNode *nd = &c->t->nodes[i];
    switch (nd->kind) {
    case N_CHAR: {
        uint32_t cp = nd->cp;
        if (nd->icase && (rx_lower(cp) != cp || rx_upper(cp) != cp)) return false;
        unsigned char b[4];
        if (RX_IS_RAW(cp)) b[0] = (unsigned char)(cp - RX_RAW(0)), lit_put(l, b, 1);
        else if (c->bytes) b[0] = (unsigned char)cp, lit_put(l, b, 1);
        else lit_put(l, b, (size_t)rx_utf8_encode(cp, b));
        return true;
    }
    case N_CAT:
        for (int k = 0; k < nd->nkids; k++)
            if (!literal_of(c, nd->kids[k], l)) return false;
        return true;
    case N_GROUP: return literal_of(c, nd->kids[0], l);
    case N_EMPTY: return true;
    case N_ALT: return nd->nkids == 1 && literal_of(c, nd->kids[0], l);
    case N_ASSERT: return nd->assert != A_EOT && nd->assert != A_EOL && nd->assert != A_MEOL &&
                          nd->assert != A_PEOL && nd->assert != A_EOT_NL ? true : false;
    default: return false;
    }
}

/* Like literal_of, ignoring ASCII case: appends lower-case bytes; stops at
 * anything that is not one ASCII character. */
static bool fold_literal_of(const C *c, int i, Lit *l) {
    const RxNode *nd = &c->t->nodes[i];
    switch (nd->kind) {
    case N_CHAR: {
        if (nd->cp >= 0x80) return false;
        unsigned char b = (unsigned char)rx_lower(nd->cp);
        lit_put(l, &b, 1);
        return true;
    }
    case N_CAT:
        for (int k = 0; k < nd->nkids; k++)
            if (!fold_literal_of(c, nd->kids[k], l)) return false;
        return true;
    case N_GROUP: return fold_literal_of(c, nd->kids[0], l);
    case N_EMPTY: return true;
    case N_ALT: return nd->nkids == 1 && fold_literal_of(c, nd->kids[0], l);
    default: return false;
    }
}

static int unwrap(const RxTree *t, int i) {
    while ((t->nodes[i].kind == N_ALT || t->nodes[i].kind == N_GROUP) && t->nodes[i].nkids == 1)
        i = t->nodes[i].kids[0];
    return i;
}

static void find_literals(C *c) {
    RxProg *p = c->p;
    const RxTree *t = c->t;
    int root = unwrap(t, t->root);
    Lit pre = {0};
    literal_of(c, root, &pre);
    if (pre.n) p->prefix = pre.s, p->prefix_len = pre.n;
    else free(pre.s);
    /* the longest run of literal kids in the top-level sequence */
    const RxNode *nd = &t->nodes[root];
    if (nd->kind != N_CAT) {
        if (p->prefix) {
            p->req = xmalloc(p->prefix_len);
            memcpy(p->req, p->prefix, p->prefix_len);
            p->req_len = p->prefix_len;
        }
    } else {
        Lit best = {0}, cur = {0};
        for (int k = 0; k <= nd->nkids; k++) {
            size_t before = cur.n;
            bool ok = k < nd->nkids && t->nodes[nd->kids[k]].kind != N_ASSERT && literal_of(c, nd->kids[k], &cur);
            if (!ok) {
                if (k < nd->nkids && t->nodes[nd->kids[k]].kind == N_ASSERT) continue;
                cur.n = before > cur.n ? cur.n : cur.n; /* keep what a partial literal added */
                if (cur.n > best.n) {
                    free(best.s);
                    best = cur;
                    cur = (Lit){0};
                }
                cur.n = 0;
            }
        }
        free(cur.s);
        if (best.n) p->req = best.s, p->req_len = best.n;
        else free(best.s);
    }
    if (!p->req) {
        /* a case-insensitive literal run (grep -i word) */
        Lit best = {0}, cur = {0};
        int nk = nd->kind == N_CAT ? nd->nkids : 1;
        for (int k = 0; k <= nk; k++) {
            int kid = nd->kind == N_CAT ? (k < nk ? nd->kids[k] : -1) : (k == 0 ? root : -1);
            bool ok = kid >= 0 && fold_literal_of(c, kid, &cur);
            if (!ok) {
                if (cur.n > best.n) {
                    free(best.s);
                    best = cur;
                    cur = (Lit){0};
                }
                cur.n = 0;
            }
        }
        free(cur.s);
        if (best.n >= 2) p->req_fold = best.s, p->req_fold_len = best.n;
        else free(best.s);
    }
    /* anchored at the subject start? */
    const RxNode *first = nd;
    while (first->kind == N_CAT && first->nkids > 0) first = &t->nodes[unwrap(t, first->kids[0])];
    if (first->kind == N_ASSERT && (first->assert == A_BOT || first->assert == A_BOL)) p->anchored_start = true;
}

bool rx_compile_prog(RxProg *p, const RxTree *t, unsigned flags, RxError *err) {
    memset(p, 0, sizeof *p);
    C c = {.p = p, .t = t, .flags = flags, .bytes = (flags & RX_BYTES) != 0};
    c.loop_slot = xmalloc((size_t)(t->n ? t->n : 1) * sizeof *c.loop_slot);
    c.block = xmalloc((size_t)(t->n ? t->n : 1) * sizeof *c.block);
    c.block_len = xmalloc((size_t)(t->n ? t->n : 1) * sizeof *c.block_len);
    for (int i = 0; i < t->n; i++) c.loop_slot[i] = c.block[i] = -1;
    p->ngroups = t->ngroups;
    p->nslots = 2 * (t->ngroups + 1);
    p->bytes = c.bytes;
    p->needs_bt = t->needs_bt;
    p->start = emit(&c, I_SAVE, 0, 0, 0, 0);
    if (flags & RX_LINES) emit(&c, I_ASSERT, 0, 0, A_BOT, 0);
    else if (flags & RX_WORDS) emit(&c, I_ASSERT, 0, 0, A_NOTWBEF, 0), p->has_word_assert = true;
    bool ok = emit_node(&c, t->root);
    free(c.loop_slot);
    free(c.block);
    free(c.block_len);
    if (!ok) {
        err->msg = "lookbehind assertion is not fixed length";
        err->offset = -1;
        return false;
    }
    if (flags & RX_LINES) emit(&c, I_ASSERT, 0, 0, A_EOT, 0);
    else if (flags & RX_WORDS) emit(&c, I_ASSERT, 0, 0, A_NOTWAFT, 0);
    emit(&c, I_SAVE, 0, 0, 1, 0);
    emit(&c, I_MATCH, 0, 0, 0, 0);
    if (c.too_big) {
        err->msg = "Regular expression too big";
        err->offset = -1;
        return false;
    }
    find_literals(&c);
    return true;
}

void rx_prog_free(RxProg *p) {
    free(p->insts);
    free(p->sets);
    free(p->looks);
    free(p->prefix);
    free(p->req);
    free(p->req_fold);
    memset(p, 0, sizeof *p);
}
