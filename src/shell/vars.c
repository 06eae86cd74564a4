/* vars.c - variables, arrays, functions and aliases of one shell.
 *
 * Scoping is dynamic as in bash: function scopes stack above the globals and
 * a lookup walks from the innermost scope outwards. Arrays are reference
 * counted and copied on write, so a subshell copy of the state is cheap. */
#include "state.h"
#include "arith.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* bash's hash_string: FNV-1 over the bytes as its (signed) chars, so a
 * byte from 0x80 up is sign-extended; the order of ${!m[@]} depends on it. */
static uint32_t fnv_hash(const char *s) {
    uint32_t h = 2166136261u;
    for (; *s; s++) {
        h *= 16777619u;
        h ^= (uint32_t)(int32_t)(signed char)*s;
    }
    return h;
}

/* ---------- variable tables ---------- */

void vt_init(VarTable *t) {
    t->nb = 0;
    t->n = 0;
    t->b = NULL;
}

static void var_free_value(Var *v) {
    free(v->value);
    v->value = NULL;
    if (v->arr) arr_unref(v->arr);
    if (v->assoc) assoc_unref(v->assoc);
    v->arr = NULL;
    v->assoc = NULL;
}

static void var_free(Var *v) {
    var_free_value(v);
    free(v->name);
    free(v);
}

void vt_free(VarTable *t) {
    for (size_t i = 0; i < t->nb; i++) {
        Var *v = t->b[i];
        while (v) {
            Var *n = v->next;
            var_free(v);
            v = n;
        }
    }
    free(t->b);
    vt_init(t);
}

static Var *vt_find(const VarTable *t, const char *name) {
    if (!t->nb) return NULL;
    for (Var *v = t->b[fnv_hash(name) & (t->nb - 1)]; v; v = v->next)
        if (strcmp(v->name, name) == 0) return v;
    return NULL;
}

static void vt_insert(VarTable *t, Var *v) {
    if (t->n + 1 > t->nb) {
        size_t nb = t->nb ? t->nb * 2 : 16;
        Var **b = xcalloc(nb, sizeof *b);
        for (size_t i = 0; i < t->nb; i++) {
            Var *x = t->b[i];
            while (x) {
                Var *n = x->next;
                size_t k = fnv_hash(x->name) & (nb - 1);
                x->next = b[k];
                b[k] = x;
                x = n;
            }
        }
        free(t->b);
        t->b = b;
        t->nb = nb;
    }
    size_t k = fnv_hash(v->name) & (t->nb - 1);
    v->next = t->b[k];
    t->b[k] = v;
    t->n++;
}

static bool vt_remove(VarTable *t, const char *name) {
    if (!t->nb) return false;
    Var **pp = &t->b[fnv_hash(name) & (t->nb - 1)];
    for (; *pp; pp = &(*pp)->next) {
        if (strcmp((*pp)->name, name) == 0) {
            Var *v = *pp;
            *pp = v->next;
            var_free(v);
            t->n--;
            return true;
        }
    }
    return false;
}

static Var *var_dup(const Var *v) {
    Var *c = xcalloc(1, sizeof *c);
    c->name = xstrdup(v->name);
    c->flags = v->flags;
    c->value = v->value ? xstrdup(v->value) : NULL;
    if (v->arr) { c->arr = v->arr; c->arr->refs++; }
    if (v->assoc) { c->assoc = v->assoc; c->assoc->refs++; }
    return c;
}

void vt_copy(VarTable *dst, const VarTable *src) {
    vt_init(dst);
    for (size_t i = 0; i < src->nb; i++)
        for (Var *v = src->b[i]; v; v = v->next) vt_insert(dst, var_dup(v));
}

/* ---------- lookup ---------- */

Var *var_lookup_raw(Shell *sh, const char *name) {
    for (Scope *s = sh->scope; s; s = s->up) {
        Var *v = vt_find(&s->vars, name);
        if (v) return v;
    }
    return vt_find(&sh->globals, name);
}

Var *var_lookup(Shell *sh, const char *name) {
    Var *v = var_lookup_raw(sh, name);
    for (int i = 0; v && (v->flags & V_NAMEREF) && v->value && i < 16; i++) {
        const char *target = v->value;
        if (!is_name(target, strlen(target))) return v;
        Var *t = var_lookup_raw(sh, target);
        if (!t) return NULL;
        v = t;
    }
    return v;
}

/* The name a nameref finally points to (for assignments through it). */
static const char *resolve_nameref_name(Shell *sh, const char *name) {
    Var *v = var_lookup_raw(sh, name);
    for (int i = 0; v && (v->flags & V_NAMEREF) && v->value && v->value[0] && i < 16; i++) {
        name = v->value;
        v = var_lookup_raw(sh, name);
    }
    return name;
}

Var *var_create(Shell *sh, const char *name, bool local) {
    VarTable *t = (local && sh->scope) ? &sh->scope->vars : &sh->globals;
    Var *v = vt_find(t, name);
    if (v) return v;
    v = xcalloc(1, sizeof *v);
    v->name = xstrdup(name);
    if (local && sh->scope) v->flags |= V_LOCAL;
    vt_insert(t, v);
    return v;
}

/* ---------- dynamic variables ---------- */

static uint32_t next_random(Shell *sh) {
    /* bash's RANDOM is a 15-bit LCG-derived value; any good generator will do. */
    sh->rand_state = sh->rand_state * 1103515245u + 12345u;
    return (sh->rand_state >> 16) & 0x7fff;
}

bool var_dynamic(Shell *sh, const char *name, StrBuf *out) {
    switch (name[0]) {
    case 'R':
        if (!strcmp(name, "RANDOM")) { sb_printf(out, "%u", next_random(sh)); return true; }
        break;
    case 'L':
        if (!strcmp(name, "LINENO")) { sb_printf(out, "%d", sh->lineno); return true; }
        break;
    case 'S':
        if (!strcmp(name, "SECONDS")) {
            sb_printf(out, "%lld", (long long)(time(NULL) - (time_t)sh->start_time));
            return true;
        }
        if (!strcmp(name, "SHELLOPTS")) { extern void shopt_list_string(Shell *, StrBuf *, bool); shopt_list_string(sh, out, false); return true; }
        if (!strcmp(name, "SRANDOM")) {
            sb_printf(out, "%u", (next_random(sh) << 17) ^ (next_random(sh) << 2) ^ next_random(sh));
            return true;
        }
        break;
    case 'E':
        if (!strcmp(name, "EPOCHSECONDS")) { sb_printf(out, "%lld", (long long)time(NULL)); return true; }
        if (!strcmp(name, "EPOCHREALTIME")) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            sb_printf(out, "%lld.%06ld", (long long)ts.tv_sec, ts.tv_nsec / 1000);
            return true;
        }
        break;
    case 'B':
        if (!strcmp(name, "BASHPID")) { sb_printf(out, "%d", sh->bashpid); return true; }
        if (!strcmp(name, "BASH_ARGV0")) { sb_puts(out, sh->arg0 ? sh->arg0 : ""); return true; }
        if (!strcmp(name, "BASH_COMMAND")) { sb_puts(out, sh->bash_command ? sh->bash_command : ""); return true; }
        if (!strcmp(name, "BASHOPTS")) { extern void shopt_list_string(Shell *, StrBuf *, bool); shopt_list_string(sh, out, true); return true; }
        if (!strcmp(name, "BASH_SUBSHELL")) { sb_printf(out, "%d", sh->subshell_level); return true; }
        break;
    default: break;
    }
    return false;
}

const char *var_get(Shell *sh, const char *name) {
    Var *v = var_lookup(sh, name);
    if (!v) {
        StrBuf tmp;
        sb_init(&tmp);
        if (var_dynamic(sh, name, &tmp)) {
            Var *d = var_create(sh, "\x01dynval", false);
            free(d->value);
            d->value = sb_take(&tmp);
            return d->value;
        }
        sb_free(&tmp);
        return NULL;
    }
    if (v->flags & V_ASSOC) return v->assoc ? assoc_get(v->assoc, "0") : NULL;
    if (v->flags & V_ARRAY) return v->arr ? arr_get(v->arr, 0) : NULL;
    return v->value;
}

/* FUNCNAME, BASH_SOURCE and BASH_LINENO are read from the call stack. */
bool var_call_stack(Shell *sh, const char *name, StrList *out) {
    if (!strcmp(name, "PIPESTATUS")) {
        for (int i = 0; i < sh->npipestatus; i++) {
            char buf[16];
            snprintf(buf, sizeof buf, "%d", sh->pipestatus[i]);
            sl_push_copy(out, buf);
        }
        return true;
    }
    if (!strcmp(name, "DIRSTACK")) {
        sl_push_copy(out, sh->cwd);
        for (size_t i = sh->dirstack.n; i-- > 0;) sl_push_copy(out, sh->dirstack.v[i]);
        return true;
    }
    int which = !strcmp(name, "FUNCNAME") ? 0 : !strcmp(name, "BASH_SOURCE") ? 1 : !strcmp(name, "BASH_LINENO") ? 2 : -1;
    if (which < 0) return false;
    for (int i = sh->nframes - 1; i >= 0; i--) {
        const CallFrame *f = &sh->frames[i];
        char buf[32];
        if (which == 0) sl_push_copy(out, f->funcname);
        else if (which == 1) sl_push_copy(out, f->source ? f->source : "main");
        else { snprintf(buf, sizeof buf, "%d", f->call_line); sl_push_copy(out, buf); }
    }
    if (!sh->nframes && which == 1 && !sh->source_is_c_top && sh->script_name) {
        sl_push_copy(out, sh->script_name);
        return true;
    }
    if (sh->nframes && !sh->source_is_c_top) {
        if (which == 0) sl_push_copy(out, "main");
        else if (which == 1) sl_push_copy(out, sh->script_name ? sh->script_name : "main");
        else sl_push_copy(out, "0");
    }
    return true;
}

bool var_is_set(Shell *sh, const char *name) {
    Var *v = var_lookup(sh, name);
    if (!v) {
        StrBuf tmp;
        sb_init(&tmp);
        bool d = var_dynamic(sh, name, &tmp);
        sb_free(&tmp);
        return d;
    }
    if (v->flags & V_ASSOC) return v->assoc && assoc_get(v->assoc, "0") != NULL;
    if (v->flags & V_ARRAY) return v->arr && arr_get(v->arr, 0) != NULL;
    return v->value != NULL;
}

/* ---------- assignment ---------- */

static void readonly_error(Shell *sh, const char *name) {
    shell_errorf(sh, "%s: readonly variable", name);
}

/* Applies -i, -l, -u, -c attributes to a value being assigned. */
static char *transform_value(Shell *sh, Var *v, const char *value, const char *old, bool append) {
    if (v->flags & V_INTEGER) {
        int64_t n = 0, o = 0;
        if (arith_expand_eval(sh, value, &n) != 0) return NULL;
        if (append && old) {
            if (arith_expand_eval(sh, old, &o) != 0) return NULL;
            n = (int64_t)((uint64_t)n + (uint64_t)o);
        }
        char buf[32];
        snprintf(buf, sizeof buf, "%lld", (long long)n);
        return xstrdup(buf);
    }
    StrBuf b;
    sb_init(&b);
    if (append && old) sb_puts(&b, old);
    size_t start = b.len;
    sb_puts(&b, value);
    if (v->flags & (V_LOWER | V_UPPER | V_CAPITAL)) {
        for (size_t i = start; i < b.len; i++) {
            unsigned char c = (unsigned char)b.s[i];
            if (v->flags & V_UPPER) b.s[i] = (char)toupper(c);
            else if (v->flags & V_LOWER) b.s[i] = (char)tolower(c);
            else if (v->flags & V_CAPITAL) b.s[i] = (char)(i == 0 ? toupper(c) : tolower(c));
        }
    }
    return sb_take(&b);
}

int var_assign(Shell *sh, Var *v, const char *value, bool append) {
    if (v->flags & V_READONLY) { readonly_error(sh, v->name); return 1; }
    uint64_t cap = sh->run->lim.max_memory;
    size_t vl = strlen(value) + (append && v->value ? strlen(v->value) : 0);
    if (cap && vl > cap / 4) {
        budget_stop(sh, "memory", "memory limit exceeded (variable too large)");
        return 1;
    }
    if (v->flags & (V_ARRAY | V_ASSOC)) {
        const char *old = (v->flags & V_ASSOC) ? (v->assoc ? assoc_get(v->assoc, "0") : NULL)
                                               : (v->arr ? arr_get(v->arr, 0) : NULL);
        char *nv = transform_value(sh, v, value, old, append);
        if (!nv) return 1;
        if (v->flags & V_ASSOC) assoc_set(assoc_own(v), "0", nv);
        else arr_set(arr_own(v), 0, nv);
        free(nv);
        return 0;
    }
    char *nv = transform_value(sh, v, value, v->value, append);
    if (!nv) {
        if (sh->unwind == UW_NONE) { sh->unwind = UW_EXIT; sh->exit_status = 1; }
        return 1;
    }
    free(v->value);
    v->value = nv;
    if (sh->opt.allexport) v->flags |= V_EXPORT;
    return 0;
}

int var_set_flags(Shell *sh, const char *name, const char *value, int flags) {
    name = resolve_nameref_name(sh, name);
    const char *br = strchr(name, '[');
    size_t nl = strlen(name);
    if (br && nl > 2 && name[nl - 1] == ']' && is_name(name, (size_t)(br - name))) {
        char *an = xstrndup(name, (size_t)(br - name));
        char *as = xstrndup(br + 1, nl - (size_t)(br - name) - 2);
        int r = var_set_elem(sh, an, as, value, false);
        free(an);
        free(as);
        return r;
    }
    Var *v = var_lookup_raw(sh, name);
    if (!v) v = var_create(sh, name, false);
    v->flags |= flags;
    return var_assign(sh, v, value, false);
}

int var_set(Shell *sh, const char *name, const char *value) { return var_set_flags(sh, name, value, 0); }

int var_unset(Shell *sh, const char *name) {
    Var *v = var_lookup_raw(sh, name);
    if (v && (v->flags & V_NAMEREF) && v->value && v->value[0]) {
        name = resolve_nameref_name(sh, name);
        v = var_lookup_raw(sh, name);
    }
    if (!v) return 0;
    if (v->flags & V_READONLY) {
        shell_errorf(sh, "unset: %s: cannot unset: readonly variable", name);
        return 1;
    }
    /* A local unset in its own scope stays declared-but-unset in bash only for
     * locals; removing it exposes the outer variable, which is what bash does
     * when unsetting from a nested function. Keep it simple: remove. */
    for (Scope *s = sh->scope; s; s = s->up) {
        if (vt_find(&s->vars, name)) {
            if (s == sh->scope) {
                Var *lv = vt_find(&s->vars, name);
                var_free_value(lv);
                lv->flags &= V_LOCAL;
                return 0;
            }
            vt_remove(&s->vars, name);
            return 0;
        }
    }
    vt_remove(&sh->globals, name);
    return 0;
}

/* ---------- scopes ---------- */

void vars_push_scope(Shell *sh) {
    Scope *s = xcalloc(1, sizeof *s);
    s->up = sh->scope;
    sh->scope = s;
}

void vars_pop_scope(Shell *sh) {
    Scope *s = sh->scope;
    if (!s) return;
    sh->scope = s->up;
    vt_free(&s->vars);
    free(s);
}

/* ---------- indexed arrays ---------- */

IndexedArray *arr_new(void) {
    IndexedArray *a = xcalloc(1, sizeof *a);
    a->refs = 1;
    return a;
}

void arr_unref(IndexedArray *a) {
    if (!a || --a->refs > 0) return;
    for (size_t i = 0; i < a->n; i++) free(a->e[i].val);
    free(a->e);
    free(a);
}

IndexedArray *arr_own(Var *v) {
    if (!v->arr) { v->arr = arr_new(); return v->arr; }
    if (v->arr->refs == 1) return v->arr;
    IndexedArray *c = arr_new();
    c->n = c->cap = v->arr->n;
    c->e = xmalloc((c->cap ? c->cap : 1) * sizeof *c->e);
    for (size_t i = 0; i < c->n; i++) {
        c->e[i].idx = v->arr->e[i].idx;
        c->e[i].val = xstrdup(v->arr->e[i].val);
    }
    v->arr->refs--;
    v->arr = c;
    return c;
}

static size_t arr_find(const IndexedArray *a, int64_t idx, bool *found) {
    /* fast path: appending */
    if (a->n && a->e[a->n - 1].idx < idx) { *found = false; return a->n; }
    size_t lo = 0, hi = a->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (a->e[mid].idx < idx) lo = mid + 1;
        else hi = mid;
    }
    *found = lo < a->n && a->e[lo].idx == idx;
    return lo;
}

const char *arr_get(const IndexedArray *a, int64_t idx) {
    bool f;
    size_t i = arr_find(a, idx, &f);
    return f ? a->e[i].val : NULL;
}

void arr_set(IndexedArray *a, int64_t idx, const char *val) {
    bool f;
    size_t i = arr_find(a, idx, &f);
    if (f) {
        char *nv = xstrdup(val);
        free(a->e[i].val);
        a->e[i].val = nv;
        return;
    }
    if (a->n == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 8;
        a->e = xrealloc(a->e, a->cap * sizeof *a->e);
    }
    memmove(a->e + i + 1, a->e + i, (a->n - i) * sizeof *a->e);
    a->e[i].idx = idx;
    a->e[i].val = xstrdup(val);
    a->n++;
}

void arr_unset(IndexedArray *a, int64_t idx) {
    bool f;
    size_t i = arr_find(a, idx, &f);
    if (!f) return;
    free(a->e[i].val);
    memmove(a->e + i, a->e + i + 1, (a->n - i - 1) * sizeof *a->e);
    a->n--;
}

void arr_clear(IndexedArray *a) {
    for (size_t i = 0; i < a->n; i++) free(a->e[i].val);
    a->n = 0;
}

int64_t arr_max_index(const IndexedArray *a) { return a->n ? a->e[a->n - 1].idx : -1; }

/* ---------- associative arrays ---------- */

AssocArray *assoc_new(void) {
    AssocArray *a = xcalloc(1, sizeof *a);
    a->refs = 1;
    a->nb = 1024;
    a->b = xcalloc(a->nb, sizeof *a->b);
    return a;
}

void assoc_unref(AssocArray *a) {
    if (!a || --a->refs > 0) return;
    for (size_t i = 0; i < a->nb; i++) {
        AssocEntry *e = a->b[i];
        while (e) {
            AssocEntry *n = e->next;
            free(e->key);
            free(e->val);
            free(e);
            e = n;
        }
    }
    free(a->b);
    free(a);
}

AssocArray *assoc_own(Var *v) {
    if (!v->assoc) { v->assoc = assoc_new(); return v->assoc; }
    if (v->assoc->refs == 1) return v->assoc;
    AssocArray *src = v->assoc, *c = xcalloc(1, sizeof *c);
    c->refs = 1;
    c->nb = src->nb;
    c->n = src->n;
    c->b = xcalloc(c->nb, sizeof *c->b);
    for (size_t i = 0; i < src->nb; i++) {
        AssocEntry **tail = &c->b[i];
        for (AssocEntry *e = src->b[i]; e; e = e->next) {
            AssocEntry *ne = xmalloc(sizeof *ne);
            ne->key = xstrdup(e->key);
            ne->val = xstrdup(e->val);
            ne->hash = e->hash;
            ne->next = NULL;
            *tail = ne;
            tail = &ne->next;
        }
    }
    src->refs--;
    v->assoc = c;
    return c;
}

const char *assoc_get(const AssocArray *a, const char *key) {
    uint32_t h = fnv_hash(key);
    for (AssocEntry *e = a->b[h & (a->nb - 1)]; e; e = e->next)
        if (e->hash == h && strcmp(e->key, key) == 0) return e->val;
    return NULL;
}

/* bash grows its tables 4x once they hold twice as many entries as buckets,
 * re-inserting each chain in order at the head of its new bucket. */
static void assoc_grow(AssocArray *a) {
    size_t nb = a->nb * 4;
    AssocEntry **b = xcalloc(nb, sizeof *b);
    for (size_t i = 0; i < a->nb; i++) {
        AssocEntry *e = a->b[i];
        while (e) {
            AssocEntry *n = e->next;
            size_t k = e->hash & (nb - 1);
            e->next = b[k];
            b[k] = e;
            e = n;
        }
    }
    free(a->b);
    a->b = b;
    a->nb = nb;
}

void assoc_set(AssocArray *a, const char *key, const char *val) {
    uint32_t h = fnv_hash(key);
    for (AssocEntry *e = a->b[h & (a->nb - 1)]; e; e = e->next) {
        if (e->hash == h && strcmp(e->key, key) == 0) {
            char *nv = xstrdup(val);
            free(e->val);
            e->val = nv;
            return;
        }
    }
    AssocEntry *e = xmalloc(sizeof *e);
    e->key = xstrdup(key);
    e->val = xstrdup(val);
    e->hash = h;
    e->next = a->b[h & (a->nb - 1)];
    a->b[h & (a->nb - 1)] = e;
    a->n++;
    if (a->n >= a->nb * 2) assoc_grow(a);
}

void assoc_unset(AssocArray *a, const char *key) {
    uint32_t h = fnv_hash(key);
    for (AssocEntry **pp = &a->b[h & (a->nb - 1)]; *pp; pp = &(*pp)->next) {
        AssocEntry *e = *pp;
        if (e->hash == h && strcmp(e->key, key) == 0) {
            *pp = e->next;
            free(e->key);
            free(e->val);
            free(e);
            a->n--;
            return;
        }
    }
}

void assoc_keys(const AssocArray *a, StrList *out) {
    for (size_t i = 0; i < a->nb; i++)
        for (AssocEntry *e = a->b[i]; e; e = e->next) sl_push_copy(out, e->key);
}

static void assoc_values(const AssocArray *a, StrList *out) {
    for (size_t i = 0; i < a->nb; i++)
        for (AssocEntry *e = a->b[i]; e; e = e->next) sl_push_copy(out, e->val);
}

/* ---------- array-level helpers ---------- */

void var_make_array(Shell *sh, Var *v) {
    (void)sh;
    if (v->flags & (V_ARRAY | V_ASSOC)) return;
    v->flags |= V_ARRAY;
    v->arr = arr_new();
    if (v->value) {
        arr_set(v->arr, 0, v->value);
        free(v->value);
        v->value = NULL;
    }
}

void var_make_assoc(Shell *sh, Var *v) {
    (void)sh;
    if (v->flags & V_ASSOC) return;
    v->flags |= V_ASSOC;
    v->assoc = assoc_new();
    if (v->value) {
        assoc_set(v->assoc, "0", v->value);
        free(v->value);
        v->value = NULL;
    }
}

static const char *arith_get_hook(void *ctx, const char *name, const char *sub);
static int arith_set_hook(void *ctx, const char *name, const char *sub, int64_t value, StrBuf *err);

int64_t arith_subscript(Shell *sh, const char *sub, bool *bad) {
    int64_t v = 0;
    *bad = arith_expand_eval(sh, sub, &v) != 0;
    return v;
}

const char *var_get_elem(Shell *sh, Var *v, const char *sub, bool *bad) {
    *bad = false;
    if (v->flags & V_ASSOC) return v->assoc ? assoc_get(v->assoc, sub) : NULL;
    int64_t idx = arith_subscript(sh, sub, bad);
    if (*bad) return NULL;
    if (v->flags & V_ARRAY) {
        if (!v->arr) return NULL;
        if (idx < 0) {
            int64_t max = arr_max_index(v->arr);
            idx += max + 1;
            if (idx < 0) return NULL;
        }
        return arr_get(v->arr, idx);
    }
    return idx == 0 ? v->value : NULL;
}

int var_set_elem(Shell *sh, const char *name, const char *sub, const char *value, bool append) {
    name = resolve_nameref_name(sh, name);
    Var *v = var_lookup_raw(sh, name);
    if (!v) v = var_create(sh, name, false);
    if (v->flags & V_READONLY) { readonly_error(sh, name); return 1; }
    if (v->flags & V_ASSOC) {
        if (!sub[0]) { shell_errorf(sh, "%s[%s]: bad array subscript", name, sub); return 1; }
        AssocArray *a = assoc_own(v);
        char *nv = transform_value(sh, v, value, assoc_get(a, sub), append);
        if (!nv) return 1;
        assoc_set(a, sub, nv);
        free(nv);
        return 0;
    }
    bool bad;
    int64_t idx = arith_subscript(sh, sub, &bad);
    if (bad) return 1;
    var_make_array(sh, v);
    IndexedArray *a = arr_own(v);
    if (idx < 0) {
        int64_t max = arr_max_index(a);
        if (idx + max + 1 < 0) {
            shell_errorf(sh, "%s[%s]: bad array subscript", name, sub);
            return 1;
        }
        idx += max + 1;
    }
    char *nv = transform_value(sh, v, value, arr_get(a, idx), append);
    if (!nv) return 1;
    arr_set(a, idx, nv);
    free(nv);
    return 0;
}

void var_values(Shell *sh, Var *v, StrList *out) {
    (void)sh;
    if (v->flags & V_ASSOC) {
        if (v->assoc) assoc_values(v->assoc, out);
    } else if (v->flags & V_ARRAY) {
        if (v->arr)
            for (size_t i = 0; i < v->arr->n; i++) sl_push_copy(out, v->arr->e[i].val);
    } else if (v->value) {
        sl_push_copy(out, v->value);
    }
}

void var_indices(Shell *sh, Var *v, StrList *out) {
    (void)sh;
    if (v->flags & V_ASSOC) {
        if (v->assoc) assoc_keys(v->assoc, out);
    } else if (v->flags & V_ARRAY) {
        if (v->arr)
            for (size_t i = 0; i < v->arr->n; i++) {
                char buf[32];
                snprintf(buf, sizeof buf, "%lld", (long long)v->arr->e[i].idx);
                sl_push_copy(out, buf);
            }
    } else if (v->value) {
        sl_push_copy(out, "0");
    }
}

/* ---------- environment and listings ---------- */

static int cmp_var(const void *a, const void *b) {
    return strcmp((*(Var *const *)a)->name, (*(Var *const *)b)->name);
}

void vars_all(Shell *sh, Var ***out, size_t *n) {
    size_t cap = 64, cnt = 0;
    Var **v = xmalloc(cap * sizeof *v);
    /* innermost definitions shadow outer ones */
    Scope *chain[256];
    int nch = 0;
    for (Scope *s = sh->scope; s && nch < 256; s = s->up) chain[nch++] = s;
    for (int level = 0; level <= nch; level++) {
        const VarTable *t = level < nch ? &chain[level]->vars : &sh->globals;
        for (size_t i = 0; i < t->nb; i++)
            for (Var *x = t->b[i]; x; x = x->next) {
                if (x->name[0] == '\x01') continue;
                bool shadowed = false;
                for (size_t k = 0; k < cnt && !shadowed; k++) shadowed = strcmp(v[k]->name, x->name) == 0;
                if (shadowed) continue;
                if (cnt == cap) v = xrealloc(v, (cap *= 2) * sizeof *v);
                v[cnt++] = x;
            }
    }
    qsort(v, cnt, sizeof *v, cmp_var);
    *out = v;
    *n = cnt;
}

void vars_environ(Shell *sh, StrList *out) {
    Var **all;
    size_t n;
    vars_all(sh, &all, &n);
    for (size_t i = 0; i < n; i++) {
        Var *v = all[i];
        if (!(v->flags & V_EXPORT) || (v->flags & (V_ARRAY | V_ASSOC)) || !v->value) continue;
        StrBuf b;
        sb_init(&b);
        sb_printf(&b, "%s=%s", v->name, v->value);
        sl_push(out, sb_take(&b));
    }
    free(all);
}

/* ---------- arithmetic hooks ---------- */

static const char *arith_get_hook(void *ctx, const char *name, const char *sub) {
    Shell *sh = ctx;
    if (!sub) return var_get(sh, name);
    Var *v = var_lookup(sh, name);
    if (!v) return NULL;
    bool bad;
    const char *r = var_get_elem(sh, v, sub, &bad);
    if (bad) sh->arith_failed = true;
    return r;
}

static int arith_set_hook(void *ctx, const char *name, const char *sub, int64_t value, StrBuf *err) {
    Shell *sh = ctx;
    (void)err;
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", (long long)value);
    if (!sub) {
        Var *v = var_lookup(sh, name);
        if (v && (v->flags & V_READONLY)) { readonly_error(sh, name); return -1; }
        return var_set(sh, name, buf) ? -1 : 0;
    }
    return var_set_elem(sh, name, sub, buf, false) ? -1 : 0;
}

int arith_expand_eval(Shell *sh, const char *expr, int64_t *out) { return arith_eval_prefixed(sh, expr, out, ""); }

int arith_eval_prefixed(Shell *sh, const char *expr, int64_t *out, const char *prefix) {
    ArithHooks h = {sh, arith_get_hook, arith_set_hook, sh->opt.nounset, 0};
    StrBuf err;
    sb_init(&err);
    bool outer_failed = sh->arith_failed;
    sh->arith_failed = false;
    int r = arith_eval(&h, expr, out, &err);
    if (r == 0 && sh->arith_failed) {
        /* a bad subscript was reported by the hook: bash ends the script */
        sb_free(&err);
        if (sh->unwind == UW_NONE) { sh->unwind = UW_EXIT; sh->exit_status = 1; }
        return 1;
    }
    sh->arith_failed = outer_failed;
    if (r != 0) {
        const char *m = sb_cstr(&err);
        /* unbound variables are reported without the command prefix, and are fatal */
        bool unbound = strstr(m, ": unbound variable") != NULL;
        if (err.len) shell_errorf(sh, "%s%s", unbound ? "" : prefix, m);
        if (unbound && sh->unwind == UW_NONE) { sh->unwind = UW_EXIT; sh->exit_status = 127; }
        sb_free(&err);
        return 1;
    }
    sb_free(&err);
    return 0;
}

/* ---------- functions ---------- */

static size_t func_bucket(Shell *sh, const char *name) { return fnv_hash(name) & (sh->nfuncs_b - 1); }

FuncDef *func_get(Shell *sh, const char *name) {
    if (!sh->nfuncs_b) return NULL;
    for (FuncDef *f = sh->funcs[func_bucket(sh, name)]; f; f = f->next)
        if (strcmp(f->name, name) == 0) return f;
    return NULL;
}

void func_unref(FuncDef *f) { func_release_impl(f); }

static void func_release(FuncDef *f) { func_release_impl(f); }

void func_release_impl(FuncDef *f) {
    if (--f->refs > 0) return;
    arena_unref(f->arena);
    free(f->name);
    free(f->src);
    free(f);
}

void func_set(Shell *sh, const char *name, Node *body, Arena *arena, const char *src) {
    if (!sh->nfuncs_b) {
        sh->nfuncs_b = 64;
        sh->funcs = xcalloc(sh->nfuncs_b, sizeof *sh->funcs);
    }
    func_unset(sh, name);
    FuncDef *f = xcalloc(1, sizeof *f);
    f->refs = 1;
    f->name = xstrdup(name);
    f->body = body;
    f->arena = arena;
    arena_ref(arena);
    f->src = xstrdup(src ? src : "");
    size_t k = func_bucket(sh, name);
    f->next = sh->funcs[k];
    sh->funcs[k] = f;
}

bool func_unset(Shell *sh, const char *name) {
    if (!sh->nfuncs_b) return false;
    for (FuncDef **pp = &sh->funcs[func_bucket(sh, name)]; *pp; pp = &(*pp)->next) {
        if (strcmp((*pp)->name, name) == 0) {
            FuncDef *f = *pp;
            *pp = f->next;
            func_release(f);
            return true;
        }
    }
    return false;
}

static int cmp_func(const void *a, const void *b) {
    return strcmp((*(FuncDef *const *)a)->name, (*(FuncDef *const *)b)->name);
}

void funcs_all(Shell *sh, FuncDef ***out, size_t *n) {
    size_t cnt = 0, cap = 16;
    FuncDef **v = xmalloc(cap * sizeof *v);
    for (size_t i = 0; i < sh->nfuncs_b; i++)
        for (FuncDef *f = sh->funcs[i]; f; f = f->next) {
            if (cnt == cap) v = xrealloc(v, (cap *= 2) * sizeof *v);
            v[cnt++] = f;
        }
    qsort(v, cnt, sizeof *v, cmp_func);
    *out = v;
    *n = cnt;
}

/* ---------- aliases ---------- */

const char *alias_get(Shell *sh, const char *name) {
    for (Alias *a = sh->aliases; a; a = a->next)
        if (strcmp(a->name, name) == 0) return a->value;
    return NULL;
}

void alias_set(Shell *sh, const char *name, const char *value) {
    for (Alias *a = sh->aliases; a; a = a->next)
        if (strcmp(a->name, name) == 0) {
            free(a->value);
            a->value = xstrdup(value);
            return;
        }
    Alias *a = xcalloc(1, sizeof *a);
    a->name = xstrdup(name);
    a->value = xstrdup(value);
    /* keep sorted for `alias` listings */
    Alias **pp = &sh->aliases;
    while (*pp && strcmp((*pp)->name, name) < 0) pp = &(*pp)->next;
    a->next = *pp;
    *pp = a;
}

bool alias_unset(Shell *sh, const char *name) {
    for (Alias **pp = &sh->aliases; *pp; pp = &(*pp)->next)
        if (strcmp((*pp)->name, name) == 0) {
            Alias *a = *pp;
            *pp = a->next;
            free(a->name);
            free(a->value);
            free(a);
            return true;
        }
    return false;
}
