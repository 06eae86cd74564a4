/* backtrack.c - the backtracking matcher, used only for what a Pike VM
 * cannot do: back-references, lookaround, atomic groups and possessive
 * quantifiers. Its time can be exponential, so it counts its steps and polls
 * the caller's stop hook; a stop returns RX_BUDGET. Choice points live on an
 * explicit stack (no recursion per character); only lookaround and atomic
 * groups recurse, as deep as the pattern nests them. */
#include "rx.h"

#include "common.h"

#include <stdlib.h>
#include <string.h>

typedef struct Ent {
    int pc;    /* >= 0: resume at pc, pos; -1: restore slot */
    int slot;
    long val;  /* pos, or the slot's old value */
} Ent;

typedef struct Bt {
    RxCtx *c;
    const RxProg *p;
    int ns;
} Bt;

typedef struct Stack {
    Ent *v;
    size_t n, cap;
} Stack;

static bool push(Stack *s, int pc, int slot, long val) {
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        if (cap > ((size_t)1 << 26)) return false;
        Ent *v = realloc(s->v, cap * sizeof *v);
        if (!v) return false;
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = (Ent){pc, slot, val};
    return true;
}

static bool byte_ok(const RxProg *p, const RxInst *i, unsigned char b) {
    if (i->op == I_BYTE) return b >= i->lo && b <= i->hi;
    return (p->sets[i->x][b >> 5] >> (b & 31)) & 1;
}

/* Compares the text of group g with the subject at pos; returns the length
 * matched or -1 (an unset group matches nothing). */
static long backref_len(const Bt *b, const long *slots, int g, bool icase, size_t pos) {
    const RxCtx *c = b->c;
    long so = slots[2 * g], eo = slots[2 * g + 1];
    if (so < 0 || eo < 0 || eo < so) return -1;
    size_t n = (size_t)(eo - so);
    if (!icase) {
        if (pos + n > c->len || memcmp(c->s + so, c->s + pos, n)) return -1;
        return (long)n;
    }
    size_t i = (size_t)so, j = pos;
    while (i < (size_t)eo) {
        if (j >= c->len) return -1;
        uint32_t a, d;
        int la = b->p->bytes ? (a = c->s[i], 1) : rx_utf8_decode(c->s + i, (size_t)eo - i, &a);
        int ld = b->p->bytes ? (d = c->s[j], 1) : rx_utf8_decode(c->s + j, c->len - j, &d);
        if (la == 0) la = 1;
        if (ld == 0) ld = 1;
        if (a != d && rx_lower(a) != rx_lower(d)) return -1;
        i += (size_t)la;
        j += (size_t)ld;
    }
    return (long)(j - pos);
}

static int run(Bt *b, int pc, size_t pos, long *slots, long end_at, bool longest, long *best,
               size_t *end, int depth);

/* A lookaround at pc (an I_LOOK); 1 holds, 0 does not, <0 stop. On a
 * positive assertion the captures it set are kept in slots. */
static int look(Bt *b, const RxInst *i, int pc, size_t pos, long *slots, int depth) {
    const struct RxLook *lk = &b->p->looks[i->x];
    long *sub = malloc((size_t)b->ns * sizeof *sub);
    if (!sub) return RX_ENOMEM;
    int r = 0;
    size_t e;
    if (lk->kind & LOOK_BEHIND) {
        long from = (long)pos - lk->maxlen, to = (long)pos - lk->minlen;
        if (from < 0) from = 0;
        for (long st = to; st >= from && r == 0; st--) {
            memcpy(sub, slots, (size_t)b->ns * sizeof *sub);
            r = run(b, pc + 1, (size_t)st, sub, (long)pos, false, NULL, &e, depth + 1);
        }
    } else {
        memcpy(sub, slots, (size_t)b->ns * sizeof *sub);
        r = run(b, pc + 1, pos, sub, -1, false, NULL, &e, depth + 1);
    }
    if (r < 0) {
        free(sub);
        return r;
    }
    bool holds = (r == 1) != ((lk->kind & LOOK_NEG) != 0);
    if (holds && !(lk->kind & LOOK_NEG)) memcpy(slots, sub, (size_t)b->ns * sizeof *slots);
    free(sub);
    return holds;
}

/* Runs the program from pc at pos. Sub-runs (depth > 0) end at their I_MATCH;
 * end_at >= 0 requires the match to end there. In longest mode every path is
 * explored and the longest match's slots are left in best. Returns 1, 0 or
 * RX_BUDGET / RX_ENOMEM; *end is where the (first) match ended. */
static int run(Bt *b, int pc, size_t pos, long *slots, long end_at, bool longest, long *best,
               size_t *end, int depth) {
    const RxProg *p = b->p;
    RxCtx *c = b->c;
    Stack st = {0};
    int found = 0;
    if (depth > 500) return 0;
    for (;;) {
        if (++c->steps > 4096) {
            c->steps = 0;
            if (rx_poll_stop(c)) {
                free(st.v);
                return RX_BUDGET;
            }
        }
        const RxInst *i = &p->insts[pc];
        bool ok = true;
        switch (i->op) {
        case I_BYTE: case I_SET:
            if (pos < c->len && byte_ok(p, i, c->s[pos])) pos++, pc++;
            else ok = false;
            break;
        case I_JMP: pc = i->x; break;
        case I_SPLIT:
            if (!push(&st, i->y, 0, (long)pos)) goto nomem;
            pc = i->x;
            break;
        case I_SAVE:
            if (!push(&st, -1, i->x, slots[i->x])) goto nomem;
            slots[i->x] = (long)pos;
            pc++;
            break;
        case I_ASSERT:
            if (rx_assert_at(c, i->x, pos)) pc++;
            else ok = false;
            break;
        case I_LOOP:
            if (slots[i->y] != (long)pos) {
                if (!push(&st, i->lo ? pc + 1 : i->x, 0, (long)pos)) goto nomem;
                pc = i->lo ? i->x : pc + 1;
            } else {
                pc++;
            }
            break;
        case I_BACKREF: {
            long n = backref_len(b, slots, i->x, i->lo, pos);
            if (n < 0) ok = false;
            else pos += (size_t)n, pc++;
            break;
        }
        case I_LOOK: {
            long *before = malloc((size_t)b->ns * sizeof *before);
            if (!before) goto nomem;
            memcpy(before, slots, (size_t)b->ns * sizeof *before);
            int r = look(b, i, pc, pos, slots, depth);
            if (r < 0) {
                free(before);
                free(st.v);
                return r;
            }
            /* record the slots a positive lookaround changed, for backtracking */
            for (int k = 0; k < b->ns; k++)
                if (before[k] != slots[k] && !push(&st, -1, k, before[k])) {
                    free(before);
                    goto nomem;
                }
            free(before);
            if (r) pc = i->y;
            else ok = false;
            break;
        }
        case I_ATOMIC: {
            long *sub = malloc((size_t)b->ns * sizeof *sub);
            if (!sub) goto nomem;
            memcpy(sub, slots, (size_t)b->ns * sizeof *sub);
            size_t e;
            int r = run(b, pc + 1, pos, sub, -1, false, NULL, &e, depth + 1);
            if (r < 0) {
                free(sub);
                free(st.v);
                return r;
            }
            if (r) {
                for (int k = 0; k < b->ns; k++)
                    if (sub[k] != slots[k]) {
                        if (!push(&st, -1, k, slots[k])) {
                            free(sub);
                            goto nomem;
                        }
                        slots[k] = sub[k];
                    }
                pos = e;
                pc = i->y;
            } else {
                ok = false;
            }
            free(sub);
            break;
        }
        case I_MATCH:
            if (end_at >= 0 && (long)pos != end_at) {
                ok = false;
                break;
            }
            if (depth == 0 && (c->eflags & RX_NOTEMPTY) && slots[0] == (long)pos) {
                ok = false;
                break;
            }
            if (depth > 0 || !longest) {
                *end = pos;
                if (best) memcpy(best, slots, (size_t)b->ns * sizeof *best);
                free(st.v);
                return 1;
            }
            if (!found || (long)pos > best[1]) {
                memcpy(best, slots, (size_t)b->ns * sizeof *best);
                best[1] = (long)pos;
                *end = pos;
            }
            found = 1;
            ok = false; /* look for a longer one */
            break;
        case I_FAIL: default: ok = false; break;
        }
        if (ok) continue;
        /* backtrack */
        for (;;) {
            if (st.n == 0) {
                free(st.v);
                return found;
            }
            Ent e = st.v[--st.n];
            if (e.pc < 0) {
                slots[e.slot] = e.val;
                continue;
            }
            pc = e.pc;
            pos = (size_t)e.val;
            break;
        }
    }
nomem:
    free(st.v);
    return RX_ENOMEM;
}

int rx_backtrack(RxCtx *c, size_t start, bool anchored, bool longest, long end_at, long *out) {
    const RxProg *p = c->prog;
    Bt b = {.c = c, .p = p, .ns = p->nslots};
    long *slots = malloc((size_t)b.ns * sizeof *slots);
    if (!slots) return RX_ENOMEM;
    int r = RX_NOMATCH;
    for (size_t pos = start; pos <= c->len; pos++) {
        if (p->prefix_len && !anchored) {
            const unsigned char *f = memmem(c->s + pos, c->len - pos, p->prefix, p->prefix_len);
            if (!f) break;
            pos = (size_t)(f - c->s);
        }
        for (int k = 0; k < b.ns; k++) slots[k] = -1;
        size_t e;
        r = run(&b, p->start, pos, slots, end_at, longest, out, &e, 0);
        if (r != 0 || anchored || p->anchored_start) break;
    }
    free(slots);
    return r;
}
