/* pike.c - the Pike VM: all threads advance together over the subject, one
 * byte at a time, so the time is O(subject x program) whatever the pattern.
 * Threads are kept in priority order (backtracking order), which gives
 * leftmost-first matches and, with an imposed end, the captures glibc reports
 * for a POSIX match whose span is already known. */
#include "rx.h"

#include "common.h"

#include <stdlib.h>
#include <string.h>

#define MAX_SLOT_CELLS (16u << 20)

typedef struct List {
    int *pc;
    long *slots;
    int n;
    unsigned *mark; /* per instruction: gen when on this list */
    unsigned gen;
} List;

typedef struct StackEnt {
    int pc;     /* >= 0: visit; -1: restore slot */
    int slot;
    long val;
} StackEnt;

typedef struct Vm {
    RxCtx *c;
    const RxProg *p;
    int ns;
    List a, b;
    StackEnt *stack;
    long *scratch;
} Vm;

static bool list_init(List *l, int ninst, int nthreads, int ns) {
    l->pc = malloc((size_t)nthreads * sizeof *l->pc);
    l->slots = malloc((size_t)nthreads * (size_t)ns * sizeof *l->slots);
    l->mark = calloc((size_t)ninst, sizeof *l->mark);
    l->n = 0;
    l->gen = 1;
    return l->pc && l->slots && l->mark;
}

static void list_free(List *l) {
    free(l->pc);
    free(l->slots);
    free(l->mark);
}

static void list_clear(List *l) {
    l->n = 0;
    if (++l->gen == 0) {
        /* wrapped: start the marks afresh (rare) */
        l->gen = 1;
    }
}

/* Follows the empty transitions from pc at pos; threads that stop at a
 * consuming instruction or at MATCH go on the list in priority order. slots
 * is modified during the walk and restored afterwards. */
static void add_thread(Vm *vm, List *l, int pc0, size_t pos, long *slots) {
    const RxInst *in = vm->p->insts;
    int sp = 0;
    vm->stack[sp++] = (StackEnt){pc0, 0, 0};
    while (sp > 0) {
        StackEnt e = vm->stack[--sp];
        if (e.pc < 0) {
            slots[e.slot] = e.val;
            continue;
        }
        int pc = e.pc;
        if (l->mark[pc] == l->gen) continue;
        l->mark[pc] = l->gen;
        const RxInst *i = &in[pc];
        switch (i->op) {
        case I_JMP: vm->stack[sp++] = (StackEnt){i->x, 0, 0}; break;
        case I_SPLIT:
            vm->stack[sp++] = (StackEnt){i->y, 0, 0};
            vm->stack[sp++] = (StackEnt){i->x, 0, 0};
            break;
        case I_SAVE:
            vm->stack[sp++] = (StackEnt){-1, i->x, slots[i->x]};
            slots[i->x] = (long)pos;
            vm->stack[sp++] = (StackEnt){pc + 1, 0, 0};
            break;
        case I_ASSERT:
            if (rx_assert_at(vm->c, i->x, pos)) vm->stack[sp++] = (StackEnt){pc + 1, 0, 0};
            break;
        case I_LOOP:
            if (slots[i->y] != (long)pos) {
                if (i->lo) {
                    vm->stack[sp++] = (StackEnt){pc + 1, 0, 0};
                    vm->stack[sp++] = (StackEnt){i->x, 0, 0};
                } else {
                    vm->stack[sp++] = (StackEnt){i->x, 0, 0};
                    vm->stack[sp++] = (StackEnt){pc + 1, 0, 0};
                }
            } else {
                vm->stack[sp++] = (StackEnt){pc + 1, 0, 0};
            }
            break;
        case I_FAIL: break;
        case I_BYTE: case I_SET: case I_MATCH:
            l->pc[l->n] = pc;
            memcpy(l->slots + (size_t)l->n * (size_t)vm->ns, slots, (size_t)vm->ns * sizeof *slots);
            l->n++;
            break;
        default: break; /* backtracking-only instructions never reach the VM */
        }
    }
}

static bool byte_ok(const RxProg *p, const RxInst *i, unsigned char b) {
    if (i->op == I_BYTE) return b >= i->lo && b <= i->hi;
    return (p->sets[i->x][b >> 5] >> (b & 31)) & 1;
}

static int count_threads(const RxProg *p) {
    int n = 0;
    for (int k = 0; k < p->n; k++)
        if (p->insts[k].op == I_BYTE || p->insts[k].op == I_SET || p->insts[k].op == I_MATCH) n++;
    return n + 1;
}

/* The next position >= pos where the literal prefix occurs, or len+1. */
static size_t next_prefix(const RxCtx *c, size_t pos) {
    const RxProg *p = c->prog;
    if (pos > c->len) return c->len + 1;
    const unsigned char *f = memmem(c->s + pos, c->len - pos, p->prefix, p->prefix_len);
    return f ? (size_t)(f - c->s) : c->len + 1;
}

int rx_pike(RxCtx *c, size_t start, bool anchored, bool longest, long end_at, long *out) {
    const RxProg *p = c->prog;
    int ns = p->nslots;
    int nthreads = count_threads(p);
    if ((size_t)nthreads * (size_t)ns > MAX_SLOT_CELLS) return RX_ENOMEM;
    Vm vm = {.c = c, .p = p, .ns = ns};
    int rc = RX_NOMATCH;
    bool ok = list_init(&vm.a, p->n, nthreads, ns) && list_init(&vm.b, p->n, nthreads, ns);
    vm.stack = malloc((size_t)(3 * p->n + 8) * sizeof *vm.stack);
    vm.scratch = malloc((size_t)ns * sizeof *vm.scratch);
    long *best = malloc((size_t)ns * sizeof *best);
    if (!ok || !vm.stack || !vm.scratch || !best) {
        rc = RX_ENOMEM;
        goto done;
    }
    List *cl = &vm.a, *nl = &vm.b;
    bool matched = false;
    bool use_prefix = p->prefix_len > 0 && !anchored;
    size_t pos = start;
    if (use_prefix) {
        pos = next_prefix(c, pos);
        if (pos > c->len) goto done;
    }
    for (;;) {
        if (!matched && (!anchored || pos == start)) {
            for (int k = 0; k < ns; k++) vm.scratch[k] = -1;
            add_thread(&vm, cl, p->start, pos, vm.scratch);
        }
        if (cl->n == 0) {
            if (matched || anchored) break;
            if (use_prefix) {
                size_t np = next_prefix(c, pos + 1);
                if (np > c->len) break;
                pos = np;
                list_clear(cl); /* marks left by dead paths belong to the old position */
                continue;
            }
            if (p->anchored_start && pos > 0) break;
        }
        c->steps += (unsigned long)cl->n + 1;
        if (c->steps > 65536) {
            c->steps = 0;
            if (rx_poll_stop(c)) {
                rc = RX_BUDGET;
                goto done;
            }
        }
        list_clear(nl);
        int have_byte = pos < c->len;
        unsigned char b = have_byte ? c->s[pos] : 0;
        for (int t = 0; t < cl->n; t++) {
            const RxInst *i = &p->insts[cl->pc[t]];
            long *sl = cl->slots + (size_t)t * (size_t)ns;
            if (matched && longest && sl[0] > best[0]) continue;
            if (i->op == I_MATCH) {
                if (end_at >= 0 && (long)pos != end_at) continue;
                if ((c->eflags & RX_NOTEMPTY) && sl[0] == (long)pos) continue;
                if (longest) {
                    if (!matched || sl[0] < best[0] || (sl[0] == best[0] && (long)pos > best[1])) {
                        memcpy(best, sl, (size_t)ns * sizeof *best);
                        best[1] = (long)pos;
                    }
                    matched = true;
                    continue;
                }
                memcpy(best, sl, (size_t)ns * sizeof *best);
                matched = true;
                break; /* lower-priority threads lose */
            }
            if (have_byte && byte_ok(p, i, b)) add_thread(&vm, nl, cl->pc[t] + 1, pos + 1, sl);
        }
        List *tmp = cl;
        cl = nl;
        nl = tmp;
        if (!have_byte) break;
        if (end_at >= 0 && (long)pos >= end_at) break;
        pos++;
    }
    if (matched) {
        memcpy(out, best, (size_t)ns * sizeof *out);
        rc = RX_MATCH;
    }
done:
    list_free(&vm.a);
    list_free(&vm.b);
    free(vm.stack);
    free(vm.scratch);
    free(best);
    return rc;
}
