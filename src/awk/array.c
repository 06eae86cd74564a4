/* array.c - awk associative arrays with gawk's iteration order.
 *
 * Agents print `for (k in a)` loops without sorting, so the order must be
 * gawk's. gawk picks an array kind from the first subscript and we mirror
 * its three kinds with the same growth rules, hashes and list order:
 *   CINT  non-negative integers in power-of-two groups of "hashed array
 *         trees" (listed in ascending order); other subscripts, or integers
 *         that would waste too much room, go to an extra INT or STR array
 *         that is listed first;
 *   INT   integers in a chained hash of two-slot buckets, strings in an
 *         extra STR array listed first;
 *   STR   strings in a chained hash (sdbm-style hash, prime table sizes).
 * An integer subscript is a number with an int32 value, or a string that
 * reads as one in canonical form ("12", "-3", not "012" or "+1"). */
#include "awkint.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { AT_NULL, AT_CINT, AT_INT, AT_STR };
enum { NHAT = 10, INT32_BIT = 32, STR_CHAIN_MAX = 2, INT_CHAIN_MAX = 2 }; /* gawk 5.2's values */
#define THRESHOLD (1L << (NHAT + 1))

typedef struct SBucket {
    struct SBucket *next;
    uint32_t code;
    AwkStr *key;
    Value v;
} SBucket;

typedef struct IBucket {
    struct IBucket *next;
    int n;
    long num[2];
    Value *val[2];
} IBucket;

typedef struct CNode {
    bool leaf, half;
    long base, size, count;
    struct CNode **kids; /* tree */
    Value **slots;       /* leaf */
} CNode;

struct Array {
    int type;
    size_t count; /* all elements, the extra array's included */
    SBucket **sb;
    IBucket **ib;
    unsigned long hsize;
    bool maxed;
    CNode *nodes[INT32_BIT];
    long capacity;
    Array *x;
};

typedef struct Key {
    bool isint;
    long k;
    const char *s;
    size_t n;
    AwkStr *str; /* when the subscript already has one */
    char buf[24];
} Key;

static const unsigned long prime_sizes[] = {
    13, 127, 1021, 8191, 16381, 32749, 65497, 131101, 262147, 524309, 1048583, 2097169,
    4194319, 8388617, 16777259, 33554467, 67108879, 134217757, 268435459, 536870923, 1073741827};

Array *awka_new(void) { return xcalloc(1, sizeof(Array)); }

size_t awka_count(const Array *a) { return a->count; }

/* ---------------------------------------------------------------- keys */

static bool canonical_int(const char *s, size_t n, long *out) {
    if (n == 0 || n > 11) return false;
    if (n == 1) {
        if (*s < '0' || *s > '9') return false;
        *out = *s - '0';
        return true;
    }
    size_t i = 0;
    bool neg = false;
    if (s[0] == '-') { neg = true; i = 1; }
    if (s[i] < '1' || s[i] > '9') return false;
    long v = 0;
    for (; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + (s[i] - '0');
    }
    if (neg) v = -v;
    if (v > INT32_MAX || v < INT32_MIN) return false;
    *out = v;
    return true;
}

static void key_from_str(Key *key, const char *s, size_t n, AwkStr *str) {
    key->s = s;
    key->n = n;
    key->str = str;
    key->isint = canonical_int(s, n, &key->k);
}

static void key_make(Awk *awk, Key *key, Value *sub) {
    if (sub->type == V_NUM) {
        double d = sub->num;
        if (d >= INT32_MIN && d <= INT32_MAX && d == (double)(int32_t)d) {
            key->isint = true;
            key->k = (long)(int32_t)d;
            key->n = (size_t)snprintf(key->buf, sizeof key->buf, "%ld", key->k);
            key->s = key->buf;
            key->str = NULL;
            return;
        }
    }
    AwkStr *s = awkv_tostr(awk, sub);
    key_from_str(key, s->s, s->len, s);
}

static AwkStr *key_str(Key *key) {
    return key->str ? astr_ref(key->str) : astr_new(key->s, key->n);
}

/* ---------------------------------------------------------------- STR */

static uint32_t str_hash(const char *s, size_t len) {
    unsigned long h = 0, t;
    while (len--) {
        t = h << 6;
        h = (unsigned long)(long)(signed char)*s++ + t + (t << 10) - h;
        h &= 0xFFFFFFFFul;
    }
    return (uint32_t)h;
}

static void str_grow(Array *a) {
    unsigned long old = a->hsize, nsize = old;
    for (size_t i = 0; i < sizeof prime_sizes / sizeof *prime_sizes; i++)
        if (old < prime_sizes[i]) { nsize = prime_sizes[i]; break; }
    if (nsize == old) { a->maxed = true; return; }
    SBucket **nt = xcalloc(nsize, sizeof *nt);
    SBucket **ot = a->sb;
    a->sb = nt;
    a->hsize = nsize;
    if (!ot) return;
    for (unsigned long k = 0; k < old; k++) {
        SBucket *b = ot[k], *next;
        for (; b; b = next) {
            next = b->next;
            unsigned long h = b->code % nsize;
            b->next = nt[h];
            nt[h] = b;
        }
    }
    free(ot);
}

static SBucket *str_find(Array *a, const Key *key, uint32_t code) {
    if (!a->sb) return NULL;
    for (SBucket *b = a->sb[code % a->hsize]; b; b = b->next)
        if (b->code == code && b->key->len == key->n && (key->n == 0 || !memcmp(b->key->s, key->s, key->n)))
            return b;
    return NULL;
}

static Value *str_lookup(Array *a, Key *key, bool create) {
    uint32_t code = str_hash(key->s, key->n);
    SBucket *b = str_find(a, key, code);
    if (b || !create) return b ? &b->v : NULL;
    if (!a->sb) str_grow(a);
    a->count++;
    if (!a->maxed && a->count / a->hsize > STR_CHAIN_MAX) str_grow(a);
    b = xmalloc(sizeof *b);
    unsigned long h = code % a->hsize;
    b->next = a->sb[h];
    a->sb[h] = b;
    b->code = code;
    b->key = key_str(key);
    b->v = awkv_uninit();
    return &b->v;
}

static bool str_remove(Array *a, Key *key) {
    if (!a->count || !a->sb) return false;
    uint32_t code = str_hash(key->s, key->n);
    SBucket **pp = &a->sb[code % a->hsize];
    for (SBucket *b = *pp; b; pp = &b->next, b = b->next) {
        if (b->key->len != key->n || (key->n && memcmp(b->key->s, key->s, key->n))) continue;
        *pp = b->next;
        astr_unref(b->key);
        awkv_free(&b->v);
        free(b);
        a->count--;
        return true;
    }
    return false;
}

/* ---------------------------------------------------------------- INT */

static uint32_t int_hash(uint32_t k, uint32_t hsize) {
    k ^= k << 3;
    k += k >> 5;
    k ^= k << 4;
    k += k >> 17;
    k ^= k << 25;
    k += k >> 6;
    if (k >= hsize) k %= hsize;
    return k;
}

static Value **int_find(Array *a, long k, uint32_t h) {
    for (IBucket *b = a->ib[h]; b; b = b->next)
        for (int i = 0; i < b->n; i++)
            if (b->num[i] == k) return &b->val[i];
    return NULL;
}

static Value **int_insert(Array *a, long k, uint32_t h, Value *v) {
    IBucket *b = a->ib[h];
    int i;
    if (!b || (i = b->n) == 2) {
        b = xmalloc(sizeof *b);
        b->n = 0;
        b->next = a->ib[h];
        a->ib[h] = b;
        i = 0;
    }
    b->num[i] = k;
    b->val[i] = v;
    b->n++;
    return &b->val[i];
}

static Value *new_elem(void) {
    Value *v = xmalloc(sizeof *v);
    *v = awkv_uninit();
    return v;
}

static void int_grow(Array *a) {
    unsigned long old = a->hsize, nsize = old;
    for (size_t i = 0; i < sizeof prime_sizes / sizeof *prime_sizes; i++)
        if (old < prime_sizes[i]) { nsize = prime_sizes[i]; break; }
    if (nsize == old) { a->maxed = true; return; }
    IBucket **ot = a->ib;
    a->ib = xcalloc(nsize, sizeof *a->ib);
    a->hsize = nsize;
    if (!ot) return;
    for (unsigned long k = 0; k < old; k++) {
        IBucket *b = ot[k], *next;
        for (; b; b = next) {
            for (int i = 0; i < b->n; i++)
                int_insert(a, b->num[i], int_hash((uint32_t)b->num[i], (uint32_t)nsize), b->val[i]);
            next = b->next;
            free(b);
        }
    }
    free(ot);
}

static Value *any_lookup(Awk *awk, Array *a, Key *key, bool create);
static bool any_remove(Array *a, Key *key);

static Value *int_lookup(Awk *awk, Array *a, Key *key, bool create) {
    if (!key->isint) {
        if (!a->x) {
            if (!create) return NULL;
            a->x = awka_new();
        } else {
            Value *v = any_lookup(awk, a->x, key, false);
            if (v || !create) return v;
        }
        a->count++;
        return any_lookup(awk, a->x, key, true);
    }
    if (a->ib) {
        Value **p = int_find(a, key->k, int_hash((uint32_t)key->k, (uint32_t)a->hsize));
        if (p) return *p;
    }
    if (!create) return NULL;
    if (!a->ib) int_grow(a);
    a->count++;
    size_t size = a->count - (a->x ? a->x->count : 0);
    if (!a->maxed && size / a->hsize > INT_CHAIN_MAX) int_grow(a);
    return *int_insert(a, key->k, int_hash((uint32_t)key->k, (uint32_t)a->hsize), new_elem());
}

static void promote_extra(Array *a);

static bool int_remove(Array *a, Key *key) {
    if (!a->count) return false;
    if (!key->isint) {
        if (!a->x || !any_remove(a->x, key)) return false;
        if (!a->x->count) { awka_free(a->x); a->x = NULL; }
        a->count--;
        return true;
    }
    if (!a->ib) return false;
    uint32_t h = int_hash((uint32_t)key->k, (uint32_t)a->hsize);
    IBucket *b, *prev = NULL;
    int i = 0;
    for (b = a->ib[h]; b; prev = b, b = b->next) {
        for (i = 0; i < b->n; i++)
            if (b->num[i] == key->k) break;
        if (i < b->n) break;
    }
    if (!b) return false;
    awkv_free(b->val[i]);
    free(b->val[i]);
    if (i == 0 && b->n == 2) {
        b->num[0] = b->num[1];
        b->val[0] = b->val[1];
    }
    b->n--;
    if (b->n == 0) {
        if (prev) prev->next = b->next;
        else a->ib[h] = b->next;
        free(b);
    } else if (b != a->ib[h]) {
        IBucket *head = a->ib[h];
        int j = --head->n;
        b->num[1] = head->num[j];
        b->val[1] = head->val[j];
        b->n++;
        if (j == 0) {
            a->ib[h] = head->next;
            free(head);
        }
    }
    a->count--;
    if (a->x && a->count == a->x->count) promote_extra(a);
    return true;
}

/* ---------------------------------------------------------------- CINT */

static int cint_hash(long k) {
    if (k == 0) return NHAT;
    uint32_t num = (uint32_t)k, r, shift;
    r = (uint32_t)(num > 0xFFFF) << 4; num >>= r;
    shift = (uint32_t)(num > 0xFF) << 3; num >>= shift; r |= shift;
    shift = (uint32_t)(num > 0x0F) << 2; num >>= shift; r |= shift;
    shift = (uint32_t)(num > 0x03) << 1; num >>= shift; r |= shift;
    r |= (num >> 1);
    if (r < NHAT) return NHAT;
    return (int)(1 + r);
}

static CNode *cnode_new(bool leaf) {
    CNode *n = xcalloc(1, sizeof *n);
    n->leaf = leaf;
    return n;
}

static long tree_slots(const CNode *t) { return t->half ? t->size / 2 : t->size; }

static Value **tree_exists(CNode *t, long k) {
    for (;;) {
        long i = (k - t->base) / t->size;
        CNode *tn = t->kids[i];
        if (!tn) return NULL;
        if (tn->leaf) {
            Value **p = &tn->slots[k - tn->base];
            return *p ? p : NULL;
        }
        t = tn;
    }
}

static Value **leaf_lookup(Array *a, CNode *leaf, long k, long size, long base) {
    if (!leaf->slots) {
        leaf->count = 0;
        leaf->size = size;
        leaf->base = base;
        leaf->slots = xcalloc((size_t)size, sizeof *leaf->slots);
        a->capacity += size;
    }
    Value **p = &leaf->slots[k - base];
    if (!*p) {
        leaf->count++;
        *p = new_elem();
    }
    return p;
}

static Value **tree_lookup(Array *a, CNode *t, long k, int m, long base) {
    int n = (m + 1) / 2;
    long size;
    if (t->count == 0) {
        size = 1L << n;
        t->base = base;
        t->size = size;
        long actual = size;
        t->half = false;
        if (n > m / 2) {
            actual /= 2;
            t->half = true;
        }
        t->kids = xcalloc((size_t)actual, sizeof *t->kids);
    } else {
        size = t->size;
    }
    long i = (k - t->base) / size;
    CNode *tn = t->kids[i];
    if (tn) {
        Value **p = tn->leaf ? (tn->slots[k - tn->base] ? &tn->slots[k - tn->base] : NULL) : tree_exists(tn, k);
        if (p) return p;
    }
    t->count++;
    base += size * i;
    if (n > NHAT) {
        if (!tn) tn = t->kids[i] = cnode_new(false);
        return tree_lookup(a, tn, k, n, base);
    }
    if (!tn) tn = t->kids[i] = cnode_new(true);
    return leaf_lookup(a, tn, k, size, base);
}

static void cnode_free(CNode *t) {
    if (t->leaf) {
        if (t->slots)
            for (long i = 0; i < t->size; i++)
                if (t->slots[i]) { awkv_free(t->slots[i]); free(t->slots[i]); }
        free(t->slots);
    } else if (t->kids) {
        long n = tree_slots(t);
        for (long i = 0; i < n; i++)
            if (t->kids[i]) cnode_free(t->kids[i]);
        free(t->kids);
    }
    free(t);
}

static bool tree_remove(Array *a, CNode *t, long k) {
    long i = (k - t->base) / t->size;
    CNode *tn = t->kids[i];
    if (!tn) return false;
    if (tn->leaf) {
        Value **p = &tn->slots[k - tn->base];
        if (!*p) return false;
        awkv_free(*p);
        free(*p);
        *p = NULL;
        if (--tn->count == 0) {
            free(tn->slots);
            tn->slots = NULL;
            a->capacity -= tn->size;
            tn->size = 0;
        }
    } else if (!tree_remove(a, tn, k)) {
        return false;
    }
    if (tn->count == 0) {
        if (!tn->leaf) free(tn->kids);
        free(tn);
        t->kids[i] = NULL;
    }
    if (--t->count == 0) {
        free(t->kids);
        t->kids = NULL;
        t->base = t->size = 0;
        t->half = false;
    }
    return true;
}

static Value *cint_lookup(Awk *awk, Array *a, Key *key, bool create) {
    long k = -1;
    int h1 = -1;
    if (key->isint && key->k >= 0) {
        k = key->k;
        h1 = cint_hash(k);
        if (a->nodes[h1]) {
            Value **p = tree_exists(a->nodes[h1], k);
            if (p) return *p;
        }
    }
    Array *xn = a->x;
    if (xn) {
        Value *v = any_lookup(awk, xn, key, false);
        if (v) return v;
    }
    if (!create) return NULL;
    if (k >= 0) {
        int m = h1 - 1;
        int li = m > NHAT ? m : NHAT;
        while (li >= NHAT) li = (li + 1) / 2;
        long capacity = a->capacity + (1L << li);
        long cint_size = (long)(xn ? a->count - xn->count : a->count);
        if (capacity - cint_size <= THRESHOLD) {
            a->count++;
            CNode *tn = a->nodes[h1];
            if (!tn) tn = a->nodes[h1] = cnode_new(false);
            if (m < NHAT) return *tree_lookup(a, tn, k, NHAT, 0);
            return *tree_lookup(a, tn, k, m, 1L << m);
        }
    }
    a->count++;
    if (!xn) {
        xn = a->x = awka_new();
        xn->type = key->isint ? AT_INT : AT_STR;
    }
    return any_lookup(awk, xn, key, true);
}

static bool cint_remove(Array *a, Key *key) {
    if (!a->count) return false;
    if (key->isint && key->k >= 0) {
        long k = key->k;
        int h1 = cint_hash(k);
        CNode *tn = a->nodes[h1];
        if (tn && tree_remove(a, tn, k)) {
            if (tn->count == 0) {
                free(tn->kids);
                free(tn);
                a->nodes[h1] = NULL;
            }
            a->count--;
            if (a->x && a->count == a->x->count) promote_extra(a);
            return true;
        }
    }
    if (!a->x || !any_remove(a->x, key)) return false;
    if (!a->x->count) { awka_free(a->x); a->x = NULL; }
    a->count--;
    return true;
}

/* ---------------------------------------------------------------- dispatch */

static void reset_null(Array *a) {
    free(a->sb);
    for (unsigned long i = 0; a->ib && i < a->hsize; i++) {
        for (IBucket *b = a->ib[i], *n; b; b = n) {
            n = b->next;
            free(b);
        }
    }
    free(a->ib);
    memset(a, 0, sizeof *a);
}

/* The integer part became empty: the extra array takes the array's place. */
static void promote_extra(Array *a) {
    Array *x = a->x;
    a->x = NULL;
    for (int i = 0; i < INT32_BIT; i++)
        if (a->nodes[i]) cnode_free(a->nodes[i]);
    reset_null(a);
    *a = *x;
    free(x);
}

static Value *any_lookup(Awk *awk, Array *a, Key *key, bool create) {
    switch (a->type) {
    case AT_NULL:
        if (!create) return NULL;
        a->type = key->isint ? (key->k >= 0 ? AT_CINT : AT_INT) : AT_STR;
        return any_lookup(awk, a, key, true);
    case AT_CINT: return cint_lookup(awk, a, key, create);
    case AT_INT: return int_lookup(awk, a, key, create);
    default: return str_lookup(a, key, create);
    }
}

static bool any_remove(Array *a, Key *key) {
    bool r;
    switch (a->type) {
    case AT_CINT: r = cint_remove(a, key); break;
    case AT_INT: r = int_remove(a, key); break;
    case AT_STR: r = str_remove(a, key); break;
    default: return false;
    }
    if (r && a->count == 0) awka_clear(a);
    return r;
}

Value *awka_get(Awk *awk, Array *a, Value *sub, bool create) {
    Key key;
    key_make(awk, &key, sub);
    return any_lookup(awk, a, &key, create);
}

Value *awka_get_str(Awk *awk, Array *a, const char *s, size_t n, bool create) {
    Key key;
    key_from_str(&key, s, n, NULL);
    return any_lookup(awk, a, &key, create);
}

bool awka_delete(Awk *awk, Array *a, Value *sub) {
    Key key;
    key_make(awk, &key, sub);
    return any_remove(a, &key);
}

void awka_clear(Array *a) {
    if (a->x) awka_free(a->x);
    a->x = NULL;
    for (int i = 0; i < INT32_BIT; i++)
        if (a->nodes[i]) cnode_free(a->nodes[i]);
    if (a->sb)
        for (unsigned long i = 0; i < a->hsize; i++)
            for (SBucket *b = a->sb[i], *n; b; b = n) {
                n = b->next;
                astr_unref(b->key);
                awkv_free(&b->v);
                free(b);
            }
    if (a->ib)
        for (unsigned long i = 0; i < a->hsize; i++)
            for (IBucket *b = a->ib[i]; b; b = b->next)
                for (int j = 0; j < b->n; j++) {
                    awkv_free(b->val[j]);
                    free(b->val[j]);
                }
    reset_null(a);
}

void awka_free(Array *a) {
    if (!a) return;
    awka_clear(a);
    free(a);
}

/* ---------------------------------------------------------------- listing */

static void kl_push(KeyList *k, AwkStr *s, size_t *cap) {
    if (k->n == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        k->v = xrealloc(k->v, *cap * sizeof *k->v);
    }
    k->v[k->n++] = s;
}

static AwkStr *int_text(long n) {
    char buf[24];
    int len = snprintf(buf, sizeof buf, "%ld", n);
    return astr_new(buf, (size_t)len);
}

static void tree_list(CNode *t, KeyList *k, size_t *cap) {
    if (t->leaf) {
        for (long i = 0; i < t->size; i++)
            if (t->slots[i]) kl_push(k, int_text(t->base + i), cap);
        return;
    }
    long n = tree_slots(t);
    for (long i = 0; i < n; i++)
        if (t->kids[i]) tree_list(t->kids[i], k, cap);
}

static void list_any(Array *a, KeyList *k, size_t *cap) {
    switch (a->type) {
    case AT_STR:
        for (unsigned long i = 0; i < a->hsize; i++)
            for (SBucket *b = a->sb[i]; b; b = b->next) kl_push(k, astr_ref(b->key), cap);
        break;
    case AT_INT:
        if (a->x) list_any(a->x, k, cap);
        for (unsigned long i = 0; i < a->hsize; i++)
            for (IBucket *b = a->ib[i]; b; b = b->next)
                for (int j = 0; j < b->n; j++) kl_push(k, int_text(b->num[j]), cap);
        break;
    case AT_CINT:
        if (a->x) list_any(a->x, k, cap);
        for (int j = NHAT; j < INT32_BIT; j++)
            if (a->nodes[j]) tree_list(a->nodes[j], k, cap);
        break;
    default: break;
    }
}

void awka_keys(Awk *awk, Array *a, KeyList *out) {
    (void)awk;
    size_t cap = 0;
    out->v = NULL;
    out->n = 0;
    if (a->count) {
        cap = a->count;
        out->v = xmalloc(cap * sizeof *out->v);
    }
    list_any(a, out, &cap);
}

void awka_keys_free(KeyList *k) {
    for (size_t i = 0; i < k->n; i++) astr_unref(k->v[i]);
    free(k->v);
    k->v = NULL;
    k->n = 0;
}
