/* arena.c - bump allocation for syntax trees. An arena is freed as a whole
 * when its last reference (the parse in progress, or a function defined by
 * it) goes away. */
#include "ast.h"

#include <stdlib.h>
#include <string.h>

typedef struct Block {
    struct Block *next;
    size_t used, cap;
    char data[];
} Block;

struct Arena {
    int refs;
    Block *head;
};

Arena *arena_new(void) {
    Arena *a = xcalloc(1, sizeof *a);
    a->refs = 1;
    return a;
}

void *arena_alloc(Arena *a, size_t n) {
    n = (n + 15) & ~(size_t)15;
    Block *b = a->head;
    if (!b || b->used + n > b->cap) {
        size_t cap = n > 8192 ? n : 8192;
        b = xmalloc(sizeof *b + cap);
        b->used = 0;
        b->cap = cap;
        b->next = a->head;
        a->head = b;
    }
    void *p = b->data + b->used;
    b->used += n;
    memset(p, 0, n);
    return p;
}

char *arena_strndup(Arena *a, const char *s, size_t n) {
    char *p = arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

void arena_ref(Arena *a) { a->refs++; }

void arena_unref(Arena *a) {
    if (!a || --a->refs > 0) return;
    Block *b = a->head;
    while (b) {
        Block *n = b->next;
        free(b);
        b = n;
    }
    free(a);
}
