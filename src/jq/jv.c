/* jv.c - JSON values: construction, reference counting, strings, arrays,
 * objects (insertion-ordered, hash-indexed when large), jq's total order. */
#include "jv.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *jv_kind_name(JvKind k) {
    static const char *const names[] = {"<invalid>", "null", "boolean", "boolean",
                                        "number", "string", "array", "object"};
    return names[k];
}

/* ---------------------------------------------------------------- refcounts */

static uint32_t *jv_rc(Jv v) {
    switch (v.kind) {
    case JV_STRING: return &v.u.s->rc;
    case JV_ARRAY: return &v.u.a->rc;
    case JV_OBJECT: return &v.u.o->rc;
    case JV_NUMBER: return v.lit ? &v.u.l->rc : NULL;
    default: return NULL;
    }
}

Jv jv_copy(Jv v) {
    uint32_t *rc = jv_rc(v);
    if (rc) (*rc)++;
    return v;
}

/* Frees without recursion: containers whose count drops to zero push their
 * children on a work list, so deeply nested values cannot exhaust the stack. */
static void jv_release(Jv v, Jv **work, size_t *n, size_t *cap) {
    uint32_t *rc = jv_rc(v);
    if (!rc || --*rc > 0) return;
    if (v.kind == JV_STRING || v.kind == JV_NUMBER) {
        free(v.kind == JV_STRING ? (void *)v.u.s : (void *)v.u.l);
        return;
    }
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        *work = xrealloc(*work, *cap * sizeof **work);
    }
    (*work)[(*n)++] = v;
}

void jv_free(Jv v) {
    uint32_t *rc = jv_rc(v);
    if (!rc) return;
    if (*rc > 1) {
        (*rc)--;
        return;
    }
    Jv *work = NULL;
    size_t n = 0, cap = 0;
    jv_release(v, &work, &n, &cap);
    while (n > 0) {
        Jv c = work[--n];
        if (c.kind == JV_ARRAY) {
            for (size_t i = 0; i < c.u.a->len; i++) jv_release(c.u.a->v[i], &work, &n, &cap);
            free(c.u.a->v);
            free(c.u.a);
        } else {
            for (size_t i = 0; i < c.u.o->len; i++) {
                jv_release(c.u.o->slot[i].key, &work, &n, &cap);
                jv_release(c.u.o->slot[i].val, &work, &n, &cap);
            }
            free(c.u.o->slot);
            free(c.u.o->idx);
            free(c.u.o);
        }
    }
    free(work);
}

/* ---------------------------------------------------------------- strings */

static JvStr *str_alloc(size_t cap) {
    JvStr *s = xmalloc(sizeof *s + cap + 1);
    s->rc = 1;
    s->hash = 0;
    s->len = 0;
    s->cap = cap;
    s->s[0] = 0;
    return s;
}

Jv jv_str(const char *p, size_t len) {
    Jv v = {JV_STRING, 0, {0}};
    v.u.s = str_alloc(len);
    if (len) memcpy(v.u.s->s, p, len);
    v.u.s->s[len] = 0;
    v.u.s->len = len;
    return v;
}

Jv jv_str_c(const char *s) { return jv_str(s, strlen(s)); }

void jv_utf8_encode(StrBuf *b, uint32_t cp) {
    char t[4];
    int n;
    if (cp < 0x80) {
        t[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        t[0] = (char)(0xC0 | (cp >> 6));
        t[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        t[0] = (char)(0xE0 | (cp >> 12));
        t[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        t[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        t[0] = (char)(0xF0 | (cp >> 18));
        t[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        t[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        t[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    sb_put(b, t, (size_t)n);
}

/* Length of the valid UTF-8 sequence at s, or 0 when invalid. */
static int utf8_valid_len(const unsigned char *s, size_t n) {
    unsigned c = s[0];
    if (c < 0x80) return 1;
    int len;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) len = 2, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF) len = 3, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4) len = 4, cp = c & 0x07;
    else return 0;
    if ((size_t)len > n) return 0;
    for (int i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))) return 0;
    if (cp >= 0xD800 && cp <= 0xDFFF) return 0;
    return len;
}

Jv jv_str_utf8(const char *p, size_t len) {
    size_t i = 0;
    while (i < len && (unsigned char)p[i] < 0x80) i++;
    for (size_t j = i; j < len;) {
        int k = utf8_valid_len((const unsigned char *)p + j, len - j);
        if (!k) goto repair;
        j += (size_t)k;
    }
    return jv_str(p, len);
repair:;
    StrBuf b;
    sb_init(&b);
    sb_put(&b, p, i);
    while (i < len) {
        int k = utf8_valid_len((const unsigned char *)p + i, len - i);
        if (k) {
            sb_put(&b, p + i, (size_t)k);
            i += (size_t)k;
        } else {
            sb_put(&b, "\xEF\xBF\xBD", 3);
            i++;
        }
    }
    Jv v = jv_str(b.s ? b.s : "", b.len);
    sb_free(&b);
    return v;
}

Jv jv_str_take(StrBuf *b) {
    Jv v = jv_str_utf8(b->s ? b->s : "", b->len);
    sb_free(b);
    return v;
}

int jv_utf8_decode(const char *s, size_t n, uint32_t *cp) {
    const unsigned char *u = (const unsigned char *)s;
    if (u[0] < 0x80 || n < 2) {
        *cp = u[0];
        return 1;
    }
    int len = u[0] >= 0xF0 ? 4 : u[0] >= 0xE0 ? 3 : 2;
    if ((size_t)len > n) len = (int)n;
    uint32_t c = u[0] & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
    for (int i = 1; i < len; i++) c = (c << 6) | (u[i] & 0x3F);
    *cp = c;
    return len;
}

size_t jv_utf8_count(const char *s, size_t n) {
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) c++;
    return c;
}

/* Appends in place when s is the only owner (the common case in loops). */
void jv_str_append(Jv *s, const char *p, size_t n) {
    JvStr *o = s->u.s;
    if (o->rc == 1) {
        if (o->len + n > o->cap) {
            size_t cap = o->cap * 2 > o->len + n ? o->cap * 2 : o->len + n;
            o = xrealloc(o, sizeof *o + cap + 1);
            o->cap = cap;
        }
        memcpy(o->s + o->len, p, n);
        o->len += n;
        o->s[o->len] = 0;
        o->hash = 0;
        s->u.s = o;
        return;
    }
    JvStr *c = str_alloc(o->len + n);
    memcpy(c->s, o->s, o->len);
    memcpy(c->s + o->len, p, n);
    c->len = o->len + n;
    c->s[c->len] = 0;
    o->rc--;
    s->u.s = c;
}

Jv jv_str_cat(Jv a, Jv b) {
    jv_str_append(&a, b.u.s->s, b.u.s->len);
    jv_free(b);
    return a;
}

uint32_t jv_str_hash(Jv v) {
    JvStr *s = v.u.s;
    if (s->hash) return s->hash;
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < s->len; i++) h = (h ^ (unsigned char)s->s[i]) * 16777619u;
    if (!h) h = 1;
    s->hash = h;
    return h;
}

bool jv_str_eq(Jv a, Jv b) {
    if (a.u.s == b.u.s) return true;
    return a.u.s->len == b.u.s->len && memcmp(a.u.s->s, b.u.s->s, a.u.s->len) == 0;
}

/* ---------------------------------------------------------------- arrays */

Jv jv_arr_sized(size_t cap) {
    Jv v = {JV_ARRAY, 0, {0}};
    v.u.a = xmalloc(sizeof *v.u.a);
    v.u.a->rc = 1;
    v.u.a->len = 0;
    v.u.a->cap = cap;
    v.u.a->v = cap ? xmalloc(cap * sizeof(Jv)) : NULL;
    return v;
}

Jv jv_arr(void) { return jv_arr_sized(0); }

Jv jv_arr_get(Jv a, long i) {
    if (i < 0 || (size_t)i >= a.u.a->len) return jv_null();
    return jv_copy(a.u.a->v[i]);
}

static void arr_reserve(JvArr *a, size_t need) {
    if (need <= a->cap) return;
    size_t cap = a->cap ? a->cap * 2 : 4;
    if (cap < need) cap = need;
    a->v = xrealloc(a->v, cap * sizeof(Jv));
    a->cap = cap;
}

void jv_arr_push(Jv *a, Jv v) {
    jv_unshare(a);
    JvArr *r = a->u.a;
    arr_reserve(r, r->len + 1);
    r->v[r->len++] = v;
}

void jv_arr_set(Jv *a, size_t i, Jv v) {
    jv_unshare(a);
    JvArr *r = a->u.a;
    if (i >= r->len) {
        arr_reserve(r, i + 1);
        while (r->len < i) r->v[r->len++] = jv_null();
        r->v[r->len++] = v;
        return;
    }
    jv_free(r->v[i]);
    r->v[i] = v;
}

Jv jv_arr_slice(Jv a, size_t from, size_t to) {
    Jv r = jv_arr_sized(to > from ? to - from : 0);
    for (size_t i = from; i < to; i++) r.u.a->v[r.u.a->len++] = jv_copy(a.u.a->v[i]);
    return r;
}

Jv jv_arr_concat(Jv a, Jv b) {
    jv_unshare(&a);
    arr_reserve(a.u.a, a.u.a->len + b.u.a->len);
    for (size_t i = 0; i < b.u.a->len; i++) a.u.a->v[a.u.a->len++] = jv_copy(b.u.a->v[i]);
    jv_free(b);
    return a;
}

/* ---------------------------------------------------------------- objects */

Jv jv_obj(void) {
    Jv v = {JV_OBJECT, 0, {0}};
    v.u.o = xcalloc(1, sizeof *v.u.o);
    v.u.o->rc = 1;
    return v;
}

enum { OBJ_LINEAR_MAX = 8 };

static void obj_index_insert(JvObj *o, size_t slot) {
    size_t mask = o->idx_cap - 1;
    size_t h = jv_str_hash(o->slot[slot].key) & mask;
    while (o->idx[h]) h = (h + 1) & mask;
    o->idx[h] = (uint32_t)(slot + 1);
}

static void obj_reindex(JvObj *o) {
    free(o->idx);
    o->idx = NULL;
    o->idx_cap = 0;
    if (o->len <= OBJ_LINEAR_MAX) return;
    size_t cap = 16;
    while (cap < o->len * 2) cap *= 2;
    o->idx = xcalloc(cap, sizeof *o->idx);
    o->idx_cap = cap;
    for (size_t i = 0; i < o->len; i++) obj_index_insert(o, i);
}

static long obj_lookup(const JvObj *o, const char *k, size_t n, uint32_t hash) {
    if (!o->idx_cap) {
        for (size_t i = 0; i < o->len; i++) {
            JvStr *s = o->slot[i].key.u.s;
            if (s->len == n && memcmp(s->s, k, n) == 0) return (long)i;
        }
        return -1;
    }
    size_t mask = o->idx_cap - 1;
    for (size_t h = hash & mask; o->idx[h]; h = (h + 1) & mask) {
        JvStr *s = o->slot[o->idx[h] - 1].key.u.s;
        if (s->len == n && memcmp(s->s, k, n) == 0) return (long)o->idx[h] - 1;
    }
    return -1;
}

static uint32_t hash_bytes(const char *k, size_t n) {
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)k[i]) * 16777619u;
    return h ? h : 1;
}

const Jv *jv_obj_find_c(Jv o, const char *key, size_t len) {
    JvObj *ob = o.u.o;
    long i = obj_lookup(ob, key, len, ob->idx_cap ? hash_bytes(key, len) : 0);
    return i < 0 ? NULL : &ob->slot[i].val;
}

const Jv *jv_obj_find(Jv o, Jv key) {
    JvObj *ob = o.u.o;
    long i = obj_lookup(ob, key.u.s->s, key.u.s->len, ob->idx_cap ? jv_str_hash(key) : 0);
    return i < 0 ? NULL : &ob->slot[i].val;
}

Jv jv_obj_get(Jv o, Jv key) {
    const Jv *p = jv_obj_find(o, key);
    return p ? jv_copy(*p) : jv_invalid();
}

void jv_obj_set(Jv *o, Jv key, Jv v) {
    jv_unshare(o);
    JvObj *ob = o->u.o;
    long i = obj_lookup(ob, key.u.s->s, key.u.s->len, ob->idx_cap ? jv_str_hash(key) : 0);
    if (i >= 0) {
        jv_free(ob->slot[i].val);
        ob->slot[i].val = v;
        jv_free(key);
        return;
    }
    if (ob->len == ob->cap) {
        ob->cap = ob->cap ? ob->cap * 2 : 4;
        ob->slot = xrealloc(ob->slot, ob->cap * sizeof *ob->slot);
    }
    ob->slot[ob->len].key = key;
    ob->slot[ob->len].val = v;
    ob->len++;
    if (ob->len > OBJ_LINEAR_MAX) {
        if (ob->len * 2 > ob->idx_cap) obj_reindex(ob);
        else obj_index_insert(ob, ob->len - 1);
    }
}

void jv_obj_del(Jv *o, Jv key) {
    if (!jv_obj_find(*o, key)) return;
    jv_unshare(o);
    JvObj *ob = o->u.o;
    long i = obj_lookup(ob, key.u.s->s, key.u.s->len, ob->idx_cap ? jv_str_hash(key) : 0);
    jv_free(ob->slot[i].key);
    jv_free(ob->slot[i].val);
    memmove(ob->slot + i, ob->slot + i + 1, (ob->len - (size_t)i - 1) * sizeof *ob->slot);
    ob->len--;
    obj_reindex(ob);
}

Jv jv_obj_merge(Jv a, Jv b) {
    for (size_t i = 0; i < b.u.o->len; i++)
        jv_obj_set(&a, jv_copy(b.u.o->slot[i].key), jv_copy(b.u.o->slot[i].val));
    jv_free(b);
    return a;
}

static Jv merge_deep(Jv a, Jv b, int depth) {
    for (size_t i = 0; i < b.u.o->len; i++) {
        Jv k = b.u.o->slot[i].key, v = b.u.o->slot[i].val;
        const Jv *old = jv_obj_find(a, k);
        if (old && old->kind == JV_OBJECT && v.kind == JV_OBJECT && depth < JV_MAX_DEPTH)
            jv_obj_set(&a, jv_copy(k), merge_deep(jv_copy(*old), jv_copy(v), depth + 1));
        else
            jv_obj_set(&a, jv_copy(k), jv_copy(v));
    }
    jv_free(b);
    return a;
}

Jv jv_obj_merge_deep(Jv a, Jv b) { return merge_deep(a, b, 0); }

static int str_cmp(Jv a, Jv b) {
    size_t n = a.u.s->len < b.u.s->len ? a.u.s->len : b.u.s->len;
    int r = memcmp(a.u.s->s, b.u.s->s, n);
    if (r) return r;
    return a.u.s->len < b.u.s->len ? -1 : a.u.s->len > b.u.s->len;
}

static int key_cmp(const void *x, const void *y) { return str_cmp(*(const Jv *)x, *(const Jv *)y); }

Jv jv_obj_keys_sorted(Jv o) {
    Jv r = jv_arr_sized(o.u.o->len);
    for (size_t i = 0; i < o.u.o->len; i++) r.u.a->v[i] = jv_copy(o.u.o->slot[i].key);
    r.u.a->len = o.u.o->len;
    qsort(r.u.a->v, r.u.a->len, sizeof(Jv), key_cmp);
    return r;
}

void jv_unshare(Jv *v) {
    if (v->kind == JV_ARRAY && v->u.a->rc > 1) {
        Jv c = jv_arr_slice(*v, 0, v->u.a->len);
        v->u.a->rc--;
        *v = c;
    } else if (v->kind == JV_OBJECT && v->u.o->rc > 1) {
        JvObj *src = v->u.o;
        Jv c = jv_obj();
        JvObj *d = c.u.o;
        d->cap = src->len;
        d->slot = src->len ? xmalloc(src->len * sizeof *d->slot) : NULL;
        for (size_t i = 0; i < src->len; i++) {
            d->slot[i].key = jv_copy(src->slot[i].key);
            d->slot[i].val = jv_copy(src->slot[i].val);
        }
        d->len = src->len;
        obj_reindex(d);
        src->rc--;
        *v = c;
    }
}

/* ---------------------------------------------------------------- ordering */

/* Decimal literal text as sign, digits (no leading zeros) and exponent of
 * the last digit, to compare literals exactly as jq's decNumber does. */
typedef struct Dec {
    bool neg;
    const char *d;
    size_t nd;
    long exp;
} Dec;

static void dec_of(const char *t, Dec *o, char *buf, size_t bufsz) {
    o->neg = *t == '-';
    if (*t == '-' || *t == '+') t++;
    size_t n = 0;
    long exp = 0;
    bool frac = false;
    for (; *t && *t != 'e' && *t != 'E'; t++) {
        if (*t == '.') {
            frac = true;
            continue;
        }
        if (n == 0 && *t == '0') {
            if (frac) exp--;
            continue;
        }
        if (n < bufsz) buf[n++] = *t;
        if (frac) exp--;
    }
    if (*t == 'e' || *t == 'E') {
        long e = strtol(t + 1, NULL, 10);
        if (e > 999999999) e = 999999999;
        if (e < -999999999) e = -999999999;
        exp += e;
    }
    while (n > 0 && buf[n - 1] == '0') n--, exp++;
    o->d = buf;
    o->nd = n;
    o->exp = exp;
}

static int dec_cmp_mag(const Dec *a, const Dec *b) {
    if (!a->nd || !b->nd) return (a->nd > 0) - (b->nd > 0);
    long ea = a->exp + (long)a->nd, eb = b->exp + (long)b->nd;
    if (ea != eb) return ea < eb ? -1 : 1;
    size_t n = a->nd > b->nd ? a->nd : b->nd;
    for (size_t i = 0; i < n; i++) {
        char x = i < a->nd ? a->d[i] : '0', y = i < b->nd ? b->d[i] : '0';
        if (x != y) return x < y ? -1 : 1;
    }
    return 0;
}

static int num_cmp(Jv a, Jv b) {
    if (a.lit && b.lit) {
        char ba[64], bb[64];
        Dec x, y;
        dec_of(a.u.l->text, &x, ba, sizeof ba);
        dec_of(b.u.l->text, &y, bb, sizeof bb);
        if (x.nd <= sizeof ba && y.nd <= sizeof bb) {
            bool xz = x.nd == 0, yz = y.nd == 0;
            if (xz && yz) return 0;
            bool xn = x.neg && !xz, yn = y.neg && !yz;
            if (xn != yn) return xn ? -1 : 1;
            int m = dec_cmp_mag(&x, &y);
            return xn ? -m : m;
        }
    }
    double x = jv_numval(a), y = jv_numval(b);
    if (x < y) return -1;
    if (x == y) return 0;
    if (isnan(x)) return isnan(y) ? 0 : -1; /* jq: nan sorts below every number */
    return 1;
}

static int kind_rank(JvKind k) { return k == JV_INVALID ? 0 : (int)k; }

static int cmp_d(Jv a, Jv b, int depth) {
    if (depth > JV_MAX_DEPTH) return 0; /* deeper values compare equal: no stack overflow */
    if (a.kind != b.kind) return kind_rank(a.kind) < kind_rank(b.kind) ? -1 : 1;
    switch (a.kind) {
    case JV_NUMBER: return num_cmp(a, b);
    case JV_STRING: return str_cmp(a, b);
    case JV_ARRAY: {
        size_t n = a.u.a->len < b.u.a->len ? a.u.a->len : b.u.a->len;
        for (size_t i = 0; i < n; i++) {
            int r = cmp_d(a.u.a->v[i], b.u.a->v[i], depth + 1);
            if (r) return r;
        }
        return a.u.a->len < b.u.a->len ? -1 : a.u.a->len > b.u.a->len;
    }
    case JV_OBJECT: {
        Jv ka = jv_obj_keys_sorted(a), kb = jv_obj_keys_sorted(b);
        int r = cmp_d(ka, kb, depth + 1);
        for (size_t i = 0; !r && i < ka.u.a->len; i++) {
            Jv k = ka.u.a->v[i];
            r = cmp_d(*jv_obj_find(a, k), *jv_obj_find(b, k), depth + 1);
        }
        jv_free(ka);
        jv_free(kb);
        return r;
    }
    default: return 0;
    }
}

int jv_cmp(Jv a, Jv b) { return cmp_d(a, b, 0); }

static bool equal_d(Jv a, Jv b, int depth) {
    if (depth > JV_MAX_DEPTH) return true;
    if (a.kind != b.kind) return false;
    if (a.kind == JV_NUMBER) return num_cmp(a, b) == 0 && !isnan(jv_numval(a));
    if (a.kind == JV_STRING) return jv_str_eq(a, b);
    if (a.kind == JV_OBJECT) {
        if (a.u.o->len != b.u.o->len) return false;
        for (size_t i = 0; i < a.u.o->len; i++) {
            const Jv *v = jv_obj_find(b, a.u.o->slot[i].key);
            if (!v || !equal_d(a.u.o->slot[i].val, *v, depth + 1)) return false;
        }
        return true;
    }
    if (a.kind == JV_ARRAY) {
        if (a.u.a->len != b.u.a->len) return false;
        for (size_t i = 0; i < a.u.a->len; i++)
            if (!equal_d(a.u.a->v[i], b.u.a->v[i], depth + 1)) return false;
        return true;
    }
    return true;
}

/* Merge sort: stable, as jq's sort (which sorts (value, index) pairs). */
static void msort(Jv *v, Jv *tmp, size_t n) {
    if (n < 2) return;
    if (n <= 8) {
        for (size_t i = 1; i < n; i++) {
            Jv x = v[i];
            size_t j = i;
            while (j > 0 && jv_cmp(v[j - 1], x) > 0) {
                v[j] = v[j - 1];
                j--;
            }
            v[j] = x;
        }
        return;
    }
    size_t h = n / 2;
    msort(v, tmp, h);
    msort(v + h, tmp, n - h);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n) tmp[k++] = jv_cmp(v[j], v[i]) < 0 ? v[j++] : v[i++];
    while (i < h) tmp[k++] = v[i++];
    while (j < n) tmp[k++] = v[j++];
    memcpy(v, tmp, n * sizeof *v);
}

void jv_sort_values(Jv *vals, size_t n) {
    if (n < 2) return;
    Jv *tmp = xmalloc(n * sizeof *tmp);
    msort(vals, tmp, n);
    free(tmp);
}

bool jv_equal(Jv a, Jv b) { return equal_d(a, b, 0); }

static bool contains_d(Jv a, Jv b, int depth) {
    if (depth > JV_MAX_DEPTH) return true;
    if (a.kind == JV_OBJECT && b.kind == JV_OBJECT) {
        for (size_t i = 0; i < b.u.o->len; i++) {
            const Jv *v = jv_obj_find(a, b.u.o->slot[i].key);
            if (!v || !contains_d(*v, b.u.o->slot[i].val, depth + 1)) return false;
        }
        return true;
    }
    if (a.kind == JV_ARRAY && b.kind == JV_ARRAY) {
        for (size_t i = 0; i < b.u.a->len; i++) {
            bool found = false;
            for (size_t j = 0; j < a.u.a->len && !found; j++)
                found = contains_d(a.u.a->v[j], b.u.a->v[i], depth + 1);
            if (!found) return false;
        }
        return true;
    }
    if (a.kind == JV_STRING && b.kind == JV_STRING)
        return memmem(a.u.s->s, a.u.s->len, b.u.s->s, b.u.s->len) != NULL;
    return jv_equal(a, b);
}

bool jv_contains(Jv a, Jv b) { return contains_d(a, b, 0); }
