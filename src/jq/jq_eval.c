/* jq_eval.c - the evaluator: continuation-passing over the AST.
 *
 * jq_eval(n, env, in, path, k) calls k once per output of n, in order;
 * backtracking is the return from k. A result code other than JQ_OK stops
 * the generator: JQ_ERR (r->err), JQ_BREAK (label r->brk), JQ_HALT, JQ_STOP.
 *
 * Paths: in value mode `path` is invalid. Inside path(f) every value travels
 * with its path (an array); a value not made by a path expression carries a
 * null path, which is an error only if a path operation or path(f) uses it
 * (as jq reports it lazily).
 *
 * Environments are frames on the C stack: nothing outlives the dynamic
 * extent of the construct that bound it, as in jq. */
#include "jq_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline bool pmode(Jv path) { return path.kind != JV_INVALID; }

/* The path of a value made by a non-path expression. */
static inline Jv untracked(Jv path) {
    if (path.kind == JV_INVALID) return path;
    jv_free(path);
    return jv_null();
}

static Jv path_plus(Jv path, Jv key) {
    jv_arr_push(&path, key);
    return path;
}

bool jq_should_stop(Run *r) {
    if ((++r->steps & 1023) != 0) return false;
    return r->s && jq_session_should_stop(r->s);
}

/* "Invalid path expression near attempt to access element K of V" */
static int path_access_error(Run *r, Jv key, Jv v, bool iterate) {
    StrBuf m;
    sb_init(&m);
    if (iterate) {
        sb_puts(&m, "Invalid path expression near attempt to iterate through ");
        jv_dump_trunc(&m, v, 30);
    } else {
        sb_puts(&m, "Invalid path expression near attempt to access element ");
        jv_dump_trunc(&m, key, 30);
        sb_puts(&m, " of ");
        jv_dump_trunc(&m, v, 30);
    }
    jv_free(key);
    jv_free(v);
    return jq_error(r, jv_str_take(&m));
}

int jq_invalid_path(Run *r, Jv v, Jv path) {
    jv_free(path);
    StrBuf m;
    sb_init(&m);
    sb_puts(&m, "Invalid path expression with result ");
    jv_dump_trunc(&m, v, 30);
    jv_free(v);
    return jq_error(r, jv_str_take(&m));
}

/* ---------------------------------------------------------------- index */

/* An indexing step failed: `.a?` produces nothing instead of the error. */
static int optional_failed(Run *r, const Node *n) {
    if (!n->opt) return JQ_ERR;
    jv_free(r->err);
    r->err = jv_invalid();
    return JQ_OK;
}

typedef struct IndexCtx {
    const Node *n;
    Env *env;
    Jv in, inpath;
    Jv key, key2;
    Cont k;
    void *kctx;
} IndexCtx;

/* Applies key to one output of the term. */
static int index_term_k(Run *r, void *vc, Jv t, Jv tpath) {
    IndexCtx *c = vc;
    if (pmode(tpath) && tpath.kind == JV_NULL) {
        jv_free(tpath);
        return path_access_error(r, jv_copy(c->key), t, false) == JQ_ERR ? optional_failed(r, c->n) : JQ_ERR;
    }
    Jv v = jq_index(r, t, jv_copy(c->key));
    if (!jv_valid(v)) {
        jv_free(tpath);
        return optional_failed(r, c->n);
    }
    if (pmode(tpath)) tpath = path_plus(tpath, jv_copy(c->key));
    return c->k(r, c->kctx, v, tpath);
}

static int index_key_k(Run *r, void *vc, Jv key, Jv kpath) {
    IndexCtx *c = vc;
    jv_free(kpath);
    Jv saved = c->key;
    c->key = key;
    int rc = jq_eval(r, c->n->a, c->env, jv_copy(c->in), jv_copy(c->inpath), index_term_k, c);
    jv_free(c->key);
    c->key = saved;
    return rc;
}

static int eval_index(Run *r, const Node *n, Env *env, Jv in, Jv path, Cont k, void *kctx) {
    IndexCtx c = {n, env, in, path, jv_invalid(), jv_invalid(), k, kctx};
    int rc;
    if (n->b->kind == N_LIT) {
        c.key = jv_copy(n->b->val);
        if (n->a->kind == N_IDENT) {
            rc = index_term_k(r, &c, in, path);
            jv_free(c.key);
            return rc;
        }
        rc = jq_eval(r, n->a, env, jv_copy(in), jv_copy(path), index_term_k, &c);
        jv_free(c.key);
    } else {
        rc = jq_eval(r, n->b, env, jv_copy(in), jv_invalid(), index_key_k, &c);
    }
    jv_free(in);
    jv_free(path);
    return rc;
}

/* ---------------------------------------------------------------- slice */

static int slice_term_k(Run *r, void *vc, Jv t, Jv tpath) {
    IndexCtx *c = vc;
    Jv key = jv_obj();
    jv_obj_set(&key, jv_str_c("start"), jv_copy(c->key));
    jv_obj_set(&key, jv_str_c("end"), jv_copy(c->key2));
    if (pmode(tpath) && tpath.kind == JV_NULL) return path_access_error(r, key, t, false);
    Jv v = jq_slice(r, t, jv_copy(c->key), jv_copy(c->key2));
    if (!jv_valid(v)) {
        jv_free(key);
        jv_free(tpath);
        return optional_failed(r, c->n);
    }
    if (pmode(tpath)) tpath = path_plus(tpath, key);
    else jv_free(key);
    return c->k(r, c->kctx, v, tpath);
}

static int slice_to_k(Run *r, void *vc, Jv to, Jv p) {
    IndexCtx *c = vc;
    jv_free(p);
    Jv saved = c->key2;
    c->key2 = to;
    int rc = jq_eval(r, c->n->a, c->env, jv_copy(c->in), jv_copy(c->inpath), slice_term_k, c);
    jv_free(c->key2);
    c->key2 = saved;
    return rc;
}

static int slice_from_k(Run *r, void *vc, Jv from, Jv p) {
    IndexCtx *c = vc;
    jv_free(p);
    Jv saved = c->key;
    c->key = from;
    int rc;
    if (c->n->c) rc = jq_eval(r, c->n->c, c->env, jv_copy(c->in), jv_invalid(), slice_to_k, c);
    else rc = slice_to_k(r, c, jv_null(), jv_invalid());
    jv_free(c->key);
    c->key = saved;
    return rc;
}

static int eval_slice(Run *r, const Node *n, Env *env, Jv in, Jv path, Cont k, void *kctx) {
    IndexCtx c = {n, env, in, path, jv_invalid(), jv_invalid(), k, kctx};
    int rc;
    if (n->b) rc = jq_eval(r, n->b, env, jv_copy(in), jv_invalid(), slice_from_k, &c);
    else rc = slice_from_k(r, &c, jv_null(), jv_invalid());
    jv_free(in);
    jv_free(path);
    return rc;
}

/* ---------------------------------------------------------------- iterate */

typedef struct KCtx {
    Cont k;
    void *kctx;
} KCtx;

int jq_iterate(Run *r, Jv t, Jv tpath, Cont k, void *kctx) {
    if (pmode(tpath) && tpath.kind == JV_NULL) return path_access_error(r, jv_null(), t, true);
    int rc = JQ_OK;
    if (t.kind == JV_ARRAY) {
        for (size_t i = 0; i < jv_arr_len(t) && rc == JQ_OK; i++) {
            Jv p = pmode(tpath) ? path_plus(jv_copy(tpath), jv_num((double)i)) : jv_invalid();
            rc = k(r, kctx, jv_copy(jv_arr_at(t, i)), p);
        }
    } else if (t.kind == JV_OBJECT) {
        for (size_t i = 0; i < jv_obj_len(t) && rc == JQ_OK; i++) {
            Jv p = pmode(tpath) ? path_plus(jv_copy(tpath), jv_copy(jv_obj_key_at(t, i))) : jv_invalid();
            rc = k(r, kctx, jv_copy(jv_obj_val_at(t, i)), p);
        }
    } else {
        StrBuf m;
        sb_init(&m);
        sb_puts(&m, "Cannot iterate over ");
        jq_describe(&m, t);
        rc = jq_error(r, jv_str_take(&m));
    }
    jv_free(t);
    jv_free(tpath);
    return rc;
}

typedef struct IterCtx {
    Cont k;
    void *kctx;
    const Node *n;
} IterCtx;

/* .[]? : a non-iterable input produces nothing */
static int iterate_opt(Run *r, const Node *n, Jv t, Jv tpath, Cont k, void *kctx) {
    if (n->opt && t.kind != JV_ARRAY && t.kind != JV_OBJECT) {
        jv_free(t);
        jv_free(tpath);
        return JQ_OK;
    }
    return jq_iterate(r, t, tpath, k, kctx);
}

static int iter_k(Run *r, void *vc, Jv t, Jv tpath) {
    IterCtx *c = vc;
    return iterate_opt(r, c->n, t, tpath, c->k, c->kctx);
}

/* ---------------------------------------------------------------- recurse (..) */

/* Depth-first, pre-order over values and their children (.[]?), with an
 * explicit stack so deep values do not deepen the C stack. */
int jq_recurse_default(Run *r, Jv in, Jv path, Cont k, void *kctx) {
    size_t n = 1, cap = 16;
    Jv *vs = xmalloc(cap * sizeof *vs), *ps = xmalloc(cap * sizeof *ps);
    vs[0] = in;
    ps[0] = path;
    int rc = JQ_OK;
    while (n > 0) {
        Jv v = vs[--n], p = ps[n];
        if (rc != JQ_OK) {
            jv_free(v);
            jv_free(p);
            continue;
        }
        if (jq_should_stop(r)) {
            rc = JQ_STOP;
            jv_free(v);
            jv_free(p);
            continue;
        }
        size_t cnt = v.kind == JV_ARRAY ? jv_arr_len(v) : v.kind == JV_OBJECT ? jv_obj_len(v) : 0;
        if (n + cnt >= cap) {
            while (n + cnt >= cap) cap *= 2;
            vs = xrealloc(vs, cap * sizeof *vs);
            ps = xrealloc(ps, cap * sizeof *ps);
        }
        for (size_t i = cnt; i-- > 0;) {
            if (v.kind == JV_ARRAY) {
                vs[n] = jv_copy(jv_arr_at(v, i));
                ps[n] = pmode(p) && p.kind == JV_ARRAY ? path_plus(jv_copy(p), jv_num((double)i)) : jv_copy(p);
            } else {
                vs[n] = jv_copy(jv_obj_val_at(v, i));
                ps[n] = pmode(p) && p.kind == JV_ARRAY ? path_plus(jv_copy(p), jv_copy(jv_obj_key_at(v, i)))
                                                       : jv_copy(p);
            }
            n++;
        }
        rc = k(r, kctx, v, p);
    }
    free(vs);
    free(ps);
    return rc;
}

/* ---------------------------------------------------------------- pipe, comma */

typedef struct PipeCtx {
    const Node *rhs;
    Env *env;
    Cont k;
    void *kctx;
} PipeCtx;

static int pipe_k(Run *r, void *vc, Jv v, Jv p) {
    PipeCtx *c = vc;
    return jq_eval(r, c->rhs, c->env, v, p, c->k, c->kctx);
}

/* ---------------------------------------------------------------- arrays, objects */

typedef struct CollectCtx {
    Jv arr;
} CollectCtx;

static int collect_k(Run *r, void *vc, Jv v, Jv p) {
    (void)r;
    CollectCtx *c = vc;
    jv_free(p);
    jv_arr_push(&c->arr, v);
    return JQ_OK;
}

/* Collects all outputs of n (value mode) into an array; JQ_OK or an error code. */
int jq_collect(Run *r, const Node *n, Env *env, Jv in, Jv *out) {
    CollectCtx c = {jv_arr()};
    int rc = jq_eval(r, n, env, in, jv_invalid(), collect_k, &c);
    if (rc != JQ_OK) {
        jv_free(c.arr);
        return rc;
    }
    *out = c.arr;
    return JQ_OK;
}

typedef struct ObjCtx {
    const Node *n;
    Env *env;
    Jv in;
    int i;       /* entry being evaluated */
    Jv acc;      /* object built so far */
    Jv key;
    bool path;
    Cont k;
    void *kctx;
} ObjCtx;

static int obj_entry(Run *r, ObjCtx *c);

static int obj_val_k(Run *r, void *vc, Jv v, Jv p) {
    ObjCtx *c = vc;
    jv_free(p);
    Jv saved = c->acc;
    c->acc = jv_copy(saved);
    jv_obj_set(&c->acc, jv_copy(c->key), v);
    c->i++;
    int rc = obj_entry(r, c);
    c->i--;
    jv_free(c->acc);
    c->acc = saved;
    return rc;
}

static int obj_key_k(Run *r, void *vc, Jv key, Jv p) {
    ObjCtx *c = vc;
    jv_free(p);
    if (key.kind != JV_STRING) {
        StrBuf m;
        sb_init(&m);
        sb_puts(&m, "Cannot use ");
        jq_describe(&m, key);
        sb_puts(&m, " as object key");
        jv_free(key);
        return jq_error(r, jv_str_take(&m));
    }
    Jv saved = c->key;
    c->key = key;
    const Node *e = c->n->args[c->i];
    int rc = jq_eval(r, e->b, c->env, jv_copy(c->in), jv_invalid(), obj_val_k, c);
    jv_free(c->key);
    c->key = saved;
    return rc;
}

static int obj_entry(Run *r, ObjCtx *c) {
    if (c->i == c->n->nargs) return c->k(r, c->kctx, jv_copy(c->acc), c->path ? jv_null() : jv_invalid());
    const Node *e = c->n->args[c->i];
    if (e->a->kind == N_LIT) return obj_key_k(r, c, jv_copy(e->a->val), jv_invalid());
    return jq_eval(r, e->a, c->env, jv_copy(c->in), jv_invalid(), obj_key_k, c);
}

/* ---------------------------------------------------------------- strings */

typedef struct StrCtx {
    const Node *n;
    Env *env;
    Jv in;
    int i;          /* part index, counting down */
    Jv *vals;       /* evaluated parts */
    bool path;
    Cont k;
    void *kctx;
} StrCtx;

Jv jq_format(Run *r, const char *fmt, Jv v);

static int str_part(Run *r, StrCtx *c);

static int str_part_k(Run *r, void *vc, Jv v, Jv p) {
    StrCtx *c = vc;
    jv_free(p);
    const char *fmt = c->n->name;
    Jv s = fmt ? jq_format(r, fmt, v) : jq_tostring(v);
    if (!jv_valid(s)) return JQ_ERR;
    c->vals[c->i] = s;
    c->i--;
    int rc = str_part(r, c);
    c->i++;
    jv_free(c->vals[c->i]);
    c->vals[c->i] = jv_invalid();
    return rc;
}

/* Later parts are the outer loops, as jq evaluates them. */
static int str_part(Run *r, StrCtx *c) {
    if (c->i < 0) {
        Jv s = jv_str("", 0);
        for (int j = 0; j < c->n->nargs; j++) {
            Jv part = c->vals[j];
            jv_str_append(&s, jv_strval(part), jv_strlen(part));
        }
        return c->k(r, c->kctx, s, c->path ? jv_null() : jv_invalid());
    }
    const Node *part = c->n->args[c->i];
    if (part->kind == N_LIT && part->val.kind == JV_STRING) {
        c->vals[c->i] = jv_copy(part->val);
        c->i--;
        int rc = str_part(r, c);
        c->i++;
        jv_free(c->vals[c->i]);
        c->vals[c->i] = jv_invalid();
        return rc;
    }
    return jq_eval(r, part, c->env, jv_copy(c->in), jv_invalid(), str_part_k, c);
}

/* ---------------------------------------------------------------- operators */

typedef struct BinCtx {
    const Node *n;
    Env *env;
    Jv in;
    Jv rhs;
    bool path;
    Cont k;
    void *kctx;
} BinCtx;

static int bin_lhs_k(Run *r, void *vc, Jv a, Jv p) {
    BinCtx *c = vc;
    jv_free(p);
    Jv v = jq_binop(r, c->n->op, a, jv_copy(c->rhs));
    if (!jv_valid(v)) return JQ_ERR;
    return c->k(r, c->kctx, v, c->path ? jv_null() : jv_invalid());
}

static int bin_rhs_k(Run *r, void *vc, Jv b, Jv p) {
    BinCtx *c = vc;
    jv_free(p);
    Jv saved = c->rhs;
    c->rhs = b;
    int rc = jq_eval(r, c->n->a, c->env, jv_copy(c->in), jv_invalid(), bin_lhs_k, c);
    jv_free(c->rhs);
    c->rhs = saved;
    return rc;
}

static int andor_rhs_k(Run *r, void *vc, Jv b, Jv p) {
    BinCtx *c = vc;
    jv_free(p);
    bool t = jv_truthy(b);
    jv_free(b);
    return c->k(r, c->kctx, jv_bool(t), c->path ? jv_null() : jv_invalid());
}

static int andor_lhs_k(Run *r, void *vc, Jv a, Jv p) {
    BinCtx *c = vc;
    jv_free(p);
    bool t = jv_truthy(a);
    jv_free(a);
    bool is_and = c->n->kind == N_AND;
    if (is_and && !t) return c->k(r, c->kctx, jv_bool(false), c->path ? jv_null() : jv_invalid());
    if (!is_and && t) return c->k(r, c->kctx, jv_bool(true), c->path ? jv_null() : jv_invalid());
    return jq_eval(r, c->n->b, c->env, jv_copy(c->in), jv_invalid(), andor_rhs_k, c);
}

Jv jq_negate(Run *r, Jv v) {
    if (v.kind != JV_NUMBER) {
        StrBuf m;
        sb_init(&m);
        jq_describe(&m, v);
        sb_puts(&m, " cannot be negated");
        jv_free(v);
        return jq_fail(r, jv_str_take(&m));
    }
    const char *lit = jv_num_literal_text(v);
    double d = jv_numval(v);
    if (lit && d != 0) {
        StrBuf b;
        sb_init(&b);
        if (lit[0] == '-') sb_puts(&b, lit + 1);
        else {
            sb_putc(&b, '-');
            sb_puts(&b, lit);
        }
        Jv res = jv_num_literal(b.s, b.len);
        sb_free(&b);
        jv_free(v);
        return res;
    }
    if (lit) {
        /* decNumber negation of a zero literal is a positive zero */
        Jv res = jv_num_literal(lit[0] == '-' ? lit + 1 : lit, strlen(lit[0] == '-' ? lit + 1 : lit));
        jv_free(v);
        return res;
    }
    jv_free(v);
    return jv_num(d == 0 ? 0.0 : -d);
}

typedef struct AltCtx {
    bool any;
    Cont k;
    void *kctx;
} AltCtx;

static int alt_k(Run *r, void *vc, Jv v, Jv p) {
    AltCtx *c = vc;
    if (!jv_truthy(v)) {
        jv_free(v);
        jv_free(p);
        return JQ_OK;
    }
    c->any = true;
    return c->k(r, c->kctx, v, p);
}

/* ---------------------------------------------------------------- if */

typedef struct IfCtx {
    const Node *n;
    Env *env;
    Jv in, path;
    Cont k;
    void *kctx;
} IfCtx;

static int if_cond_k(Run *r, void *vc, Jv cv, Jv p) {
    IfCtx *c = vc;
    jv_free(p);
    bool t = jv_truthy(cv);
    jv_free(cv);
    const Node *br = t ? c->n->b : c->n->c;
    if (!br) return c->k(r, c->kctx, jv_copy(c->in), jv_copy(c->path));
    return jq_eval(r, br, c->env, jv_copy(c->in), jv_copy(c->path), c->k, c->kctx);
}

/* ---------------------------------------------------------------- try */

typedef struct TryCtx {
    Cont k;
    void *kctx;
    bool from_k; /* the error was raised downstream, not by the body */
} TryCtx;

static int try_k(Run *r, void *vc, Jv v, Jv p) {
    TryCtx *c = vc;
    int rc = c->k(r, c->kctx, v, p);
    if (rc == JQ_ERR) c->from_k = true;
    return rc;
}

static int eval_try(Run *r, const Node *n, Env *env, Jv in, Jv path, Cont k, void *kctx) {
    TryCtx c = {k, kctx, false};
    int rc = jq_eval(r, n->a, env, jv_copy(in), path, try_k, &c);
    if (rc != JQ_ERR || c.from_k) {
        jv_free(in);
        return rc;
    }
    jv_free(in);
    Jv err = r->err;
    r->err = jv_invalid();
    /* break out of inputs' repeat: "break" errors stop silently only for try without catch */
    if (!n->b) {
        jv_free(err);
        return JQ_OK;
    }
    Jv ev = err.kind == JV_INVALID ? jv_null() : err;
    return jq_eval(r, n->b, env, ev, pmode(path) ? jv_null() : jv_invalid(), k, kctx);
}

/* ---------------------------------------------------------------- variables, patterns */

static Env *env_up(Env *e, int up) {
    while (up-- > 0) e = e->up;
    return e;
}

typedef struct BindCtx {
    const Node *bind;   /* N_AS / N_REDUCE / N_FOREACH */
    Env *env;           /* outer env */
    Env *frames;        /* one per variable */
    Jv in;              /* input of the binding construct (for key expressions) */
    int (*then)(Run *r, struct BindCtx *b);
    void *user;
} BindCtx;

static int var_index(const Node *bind, const char *name) {
    for (int i = 0; i < bind->nvars; i++)
        if (!strcmp(bind->vars[i], name)) return i;
    return -1;
}

/* Destructuring: a work stack of (pattern, value) pairs, processed without
 * consuming them, so that generators in object key expressions can run the
 * rest of the pattern once per key. Each level owns the values it pushes. */
typedef struct DCtx {
    BindCtx *b;
    const Node **stack;
    Jv *vals;
    int n;
} DCtx;

static int destructure_all(Run *r, DCtx *d);

static void set_var(BindCtx *b, const char *name, Jv v) {
    int i = var_index(b->bind, name);
    jv_free(b->frames[i].val);
    b->frames[i].val = v;
}

static void dpush(DCtx *d, const Node *pat, Jv v) {
    d->stack[d->n] = pat;
    d->vals[d->n] = v;
    d->n++;
}

static void dpop_to(DCtx *d, int base) {
    while (d->n > base) jv_free(d->vals[--d->n]);
}

typedef struct DKeyCtx {
    DCtx *d;
    const Node *entry;
    const Node *rest;
    Jv obj;
} DKeyCtx;

/* Runs the object entry's sub-pattern on x, then the remaining entries. */
static int dobj_continue(Run *r, DCtx *d, const Node *entry, const Node *rest, Jv obj, Jv x) {
    int base = d->n;
    dpush(d, rest, jv_copy(obj));
    if (entry->b) dpush(d, entry->b, x);
    else jv_free(x);
    int rc = destructure_all(r, d);
    dpop_to(d, base);
    return rc;
}

static int dkey_k(Run *r, void *vc, Jv key, Jv p) {
    DKeyCtx *c = vc;
    jv_free(p);
    if (key.kind != JV_STRING) {
        StrBuf m;
        sb_init(&m);
        sb_puts(&m, "Cannot index object with ");
        jq_describe(&m, key);
        jv_free(key);
        return jq_error(r, jv_str_take(&m));
    }
    Jv x = jq_index(r, jv_copy(c->obj), key);
    if (!jv_valid(x)) return JQ_ERR;
    return dobj_continue(r, c->d, c->entry, c->rest, c->obj, x);
}

static int destructure_one(Run *r, DCtx *d, const Node *pat, Jv v) {
    if (pat->kind == P_VAR) {
        set_var(d->b, pat->name, jv_copy(v));
        return destructure_all(r, d);
    }
    if (pat->kind == P_ARR) {
        if (v.kind != JV_ARRAY && v.kind != JV_NULL) {
            Jv e = jq_index(r, jv_copy(v), jv_num(0));
            jv_free(e);
            return JQ_ERR;
        }
        int base = d->n;
        for (int i = pat->nargs; i-- > 0;) dpush(d, pat->args[i], v.kind == JV_NULL ? jv_null() : jv_arr_get(v, i));
        int rc = destructure_all(r, d);
        dpop_to(d, base);
        return rc;
    }
    /* P_OBJ: the first entry here, the others as a smaller pattern */
    if (pat->nargs == 0) return destructure_all(r, d);
    const Node *e = pat->args[0];
    Node rest = *pat;
    rest.args = pat->args + 1;
    rest.nargs = pat->nargs - 1;
    if (!e->a) {
        Jv x = jq_index(r, jv_copy(v), jv_str_c(e->name));
        if (!jv_valid(x)) return JQ_ERR;
        set_var(d->b, e->name, jv_copy(x));
        return dobj_continue(r, d, e, &rest, v, x);
    }
    if (v.kind != JV_OBJECT && v.kind != JV_NULL && e->a->kind == N_LIT) {
        Jv x = jq_index(r, jv_copy(v), jv_copy(e->a->val));
        jv_free(x);
        return JQ_ERR;
    }
    if (e->a->kind == N_LIT) {
        Jv x = jq_index(r, jv_copy(v), jv_copy(e->a->val));
        if (!jv_valid(x)) return JQ_ERR;
        return dobj_continue(r, d, e, &rest, v, x);
    }
    DKeyCtx kc = {d, e, &rest, v};
    return jq_eval(r, e->a, d->b->env, jv_copy(d->b->in), jv_invalid(), dkey_k, &kc);
}

static int destructure_all(Run *r, DCtx *d) {
    if (d->n == 0) return d->b->then(r, d->b);
    int top = d->n - 1;
    const Node *pat = d->stack[top];
    Jv v = d->vals[top];
    d->n = top;
    int rc = destructure_one(r, d, pat, v);
    /* put the pair back for the caller (its slot may have been reused) */
    d->n = top;
    d->stack[top] = pat;
    d->vals[top] = v;
    d->n = top + 1;
    return rc;
}

enum { MAX_PATTERN_DEPTH = 256 };

static int pattern_size(const Node *p) {
    int n = 1;
    if (p->kind == P_ARR || p->kind == P_OBJ)
        for (int i = 0; i < p->nargs; i++) {
            n += 1;
            const Node *e = p->args[i];
            if (p->kind == P_ARR) n += pattern_size(e);
            else if (e->b) n += pattern_size(e->b);
        }
    return n;
}

/* Binds pattern alternative pat to v in b->frames (all reset to null first). */
static int bind_pattern(Run *r, BindCtx *b, const Node *pat, Jv v) {
    for (int i = 0; i < b->bind->nvars; i++) {
        jv_free(b->frames[i].val);
        b->frames[i].val = jv_null();
    }
    int sz = pattern_size(pat) + 4;
    const Node **stack = xmalloc((size_t)sz * sizeof *stack);
    Jv *vals = xmalloc((size_t)sz * sizeof *vals);
    DCtx d = {b, stack, vals, 0};
    stack[0] = pat;
    vals[0] = v;
    d.n = 1;
    int rc = destructure_all(r, &d);
    jv_free(vals[0]);
    free(stack);
    free(vals);
    return rc;
}

static Env *make_frames(const Node *bind, Env *env, Env *local, int nlocal) {
    Env *f = bind->nvars <= nlocal ? local : xmalloc((size_t)bind->nvars * sizeof *f);
    for (int i = 0; i < bind->nvars; i++) {
        f[i].up = i == 0 ? env : &f[i - 1];
        f[i].kind = R_FRAME_VAR;
        f[i].val = jv_null();
        f[i].node = NULL;
        f[i].fenv = NULL;
    }
    return f;
}

static void free_frames(const Node *bind, Env *f, Env *local) {
    for (int i = 0; i < bind->nvars; i++) jv_free(f[i].val);
    if (f != local) free(f);
}

static Env *frames_top(const Node *bind, Env *env, Env *f) { return bind->nvars ? &f[bind->nvars - 1] : env; }

/* ---- `as` */

typedef struct AsCtx {
    BindCtx b;
    const Node *n;
    Jv path;
    Cont k;
    void *kctx;
    bool from_k;
} AsCtx;

static int as_k(Run *r, void *vc, Jv v, Jv p) {
    AsCtx *c = vc;
    int rc = c->k(r, c->kctx, v, p);
    if (rc == JQ_ERR) c->from_k = true;
    return rc;
}

static int as_body(Run *r, BindCtx *b) {
    AsCtx *c = (AsCtx *)b;
    return jq_eval(r, c->n->b, frames_top(c->n, b->env, b->frames), jv_copy(b->in), jv_copy(c->path), as_k, c);
}

static int as_src_k(Run *r, void *vc, Jv v, Jv p) {
    AsCtx *c = vc;
    jv_free(p);
    const Node *n = c->n;
    for (int alt = 0; alt < n->nargs; alt++) {
        bool last = alt == n->nargs - 1;
        c->from_k = false;
        int rc = bind_pattern(r, &c->b, n->args[alt], last ? v : jv_copy(v));
        if (rc != JQ_ERR || last || c->from_k) {
            if (!last) jv_free(v);
            return rc;
        }
        /* ?// : an error before any downstream output tries the next alternative */
        jv_free(r->err);
        r->err = jv_invalid();
    }
    return JQ_OK;
}

static int eval_as(Run *r, const Node *n, Env *env, Jv in, Jv path, Cont k, void *kctx) {
    Env local[8];
    AsCtx c;
    c.b.bind = n;
    c.b.env = env;
    c.b.frames = make_frames(n, env, local, 8);
    c.b.in = in;
    c.b.then = as_body;
    c.n = n;
    c.path = path;
    c.k = k;
    c.kctx = kctx;
    c.from_k = false;
    int rc = jq_eval(r, n->a, env, jv_copy(in), jv_invalid(), as_src_k, &c);
    free_frames(n, c.b.frames, local);
    jv_free(in);
    jv_free(path);
    return rc;
}

/* ---- reduce / foreach */

typedef struct RedCtx {
    BindCtx b;
    const Node *n;
    Jv state, spath;    /* current state; spath invalid in value mode */
    bool have;          /* foreach: state still valid */
    Jv last, lastpath;  /* reduce: last output of the update */
    bool got;
    Cont k;
    void *kctx;
} RedCtx;

static int red_update_k(Run *r, void *vc, Jv v, Jv p) {
    (void)r;
    RedCtx *c = vc;
    jv_free(c->last);
    jv_free(c->lastpath);
    c->last = v;
    c->lastpath = p;
    c->got = true;
    return JQ_OK;
}

static int fe_extract_k(Run *r, void *vc, Jv v, Jv p) {
    RedCtx *c = vc;
    return c->k(r, c->kctx, v, p);
}

static int fe_update_k(Run *r, void *vc, Jv v, Jv p) {
    RedCtx *c = vc;
    jv_free(c->state);
    jv_free(c->spath);
    c->state = jv_copy(v);
    c->spath = jv_copy(p);
    if (!c->n->d) return c->k(r, c->kctx, v, p);
    return jq_eval(r, c->n->d, frames_top(c->n, c->b.env, c->b.frames), v, p, fe_extract_k, c);
}

static int red_then(Run *r, BindCtx *b) {
    RedCtx *c = (RedCtx *)b;
    Env *e = frames_top(c->n, b->env, b->frames);
    if (c->n->kind == N_FOREACH)
        return jq_eval(r, c->n->c, e, jv_copy(c->state), jv_copy(c->spath), fe_update_k, c);
    c->got = false;
    Jv st = c->state, sp = c->spath;
    c->state = jv_null();
    c->spath = jv_invalid();
    int rc = jq_eval(r, c->n->c, e, st, sp, red_update_k, c);
    if (rc != JQ_OK) return rc;
    if (c->got) {
        c->state = c->last;
        c->spath = c->lastpath;
        c->last = jv_invalid();
        c->lastpath = jv_invalid();
    } else {
        c->state = jv_null();
        c->spath = pmode(sp) ? jv_null() : jv_invalid();
    }
    return JQ_OK;
}

static int red_src_k(Run *r, void *vc, Jv v, Jv p) {
    RedCtx *c = vc;
    jv_free(p);
    if (jq_should_stop(r)) {
        jv_free(v);
        return JQ_STOP;
    }
    return bind_pattern(r, &c->b, c->n->args[0], v);
}

static int red_init_k(Run *r, void *vc, Jv init, Jv ipath) {
    RedCtx *c = vc;
    RedCtx sub = *c;
    sub.state = init;
    sub.spath = ipath;
    sub.last = jv_invalid();
    sub.lastpath = jv_invalid();
    sub.got = false;
    int rc = jq_eval(r, c->n->a, c->b.env, jv_copy(c->b.in), jv_invalid(), red_src_k, &sub);
    jv_free(sub.last);
    jv_free(sub.lastpath);
    if (rc == JQ_OK && c->n->kind == N_REDUCE) return c->k(r, c->kctx, sub.state, sub.spath);
    jv_free(sub.state);
    jv_free(sub.spath);
    return rc;
}

static int eval_reduce(Run *r, const Node *n, Env *env, Jv in, Jv path, Cont k, void *kctx) {
    Env local[8];
    RedCtx c;
    memset(&c, 0, sizeof c);
    c.b.bind = n;
    c.b.env = env;
    c.b.frames = make_frames(n, env, local, 8);
    c.b.in = in;
    c.b.then = red_then;
    c.n = n;
    c.k = k;
    c.kctx = kctx;
    c.state = c.spath = c.last = c.lastpath = jv_invalid();
    int rc = jq_eval(r, n->b, env, jv_copy(in), path, red_init_k, &c);
    free_frames(n, c.b.frames, local);
    jv_free(in);
    return rc;
}

/* ---------------------------------------------------------------- assignment */

typedef struct PathsCtx {
    Jv paths;
} PathsCtx;

static int paths_k(Run *r, void *vc, Jv v, Jv p) {
    PathsCtx *c = vc;
    if (p.kind != JV_ARRAY) return jq_invalid_path(r, v, p);
    jv_free(v);
    jv_arr_push(&c->paths, p);
    return JQ_OK;
}

/* All paths of f on in (as path(f)). */
int jq_paths_of(Run *r, const Node *f, Env *env, Jv in, Jv *out) {
    PathsCtx c = {jv_arr()};
    int rc = jq_eval(r, f, env, in, jv_arr(), paths_k, &c);
    if (rc != JQ_OK) {
        jv_free(c.paths);
        return rc;
    }
    *out = c.paths;
    return JQ_OK;
}

typedef struct AssignCtx {
    const Node *n;
    Env *env;
    Jv in;
    Jv paths;
    Jv rhs;           /* value of the right side (=, op=) */
    Jv first;         /* |=: first output of the update */
    bool got;
    long first_id;    /* break id that ends the update after its first output */
    bool path;
    Cont k;
    void *kctx;
} AssignCtx;

static int first_k(Run *r, void *vc, Jv v, Jv p) {
    AssignCtx *c = vc;
    jv_free(p);
    c->first = v;
    c->got = true;
    r->brk = c->first_id;
    return JQ_BREAK;
}

/* |= : each path gets the first output of the update; paths where it is
 * empty are deleted at the end (jq 1.8's _modify). */
static int modify_paths(Run *r, AssignCtx *c, const Node *upd, Env *uenv, Jv *res) {
    Jv t = jv_copy(c->in);
    Jv dels = jv_arr();
    for (size_t i = 0; i < jv_arr_len(c->paths); i++) {
        Jv p = jv_arr_at(c->paths, i);
        Jv old = jq_getpath(r, jv_copy(t), p);
        if (!jv_valid(old)) {
            jv_free(t);
            jv_free(dels);
            return JQ_ERR;
        }
        c->got = false;
        c->first = jv_invalid();
        c->first_id = ++r->next_label;
        int rc;
        if (upd) {
            rc = jq_eval(r, upd, uenv, old, jv_invalid(), first_k, c);
        } else {
            /* op= : . OP $rhs, or . // $rhs */
            Jv v;
            if (c->n->op == OP_ALTSET) {
                if (jv_truthy(old)) v = old;
                else {
                    jv_free(old);
                    v = jv_copy(c->rhs);
                }
            } else {
                v = jq_binop(r, c->n->op, old, jv_copy(c->rhs));
            }
            if (!jv_valid(v)) rc = JQ_ERR;
            else {
                c->first = v;
                c->got = true;
                rc = JQ_OK;
            }
        }
        if (rc == JQ_BREAK && r->brk == c->first_id) rc = JQ_OK;
        if (rc != JQ_OK) {
            jv_free(t);
            jv_free(dels);
            return rc;
        }
        if (c->got) {
            t = jq_setpath(r, t, p, c->first, 0);
            c->first = jv_invalid();
            if (!jv_valid(t)) {
                jv_free(dels);
                return JQ_ERR;
            }
        } else {
            jv_arr_push(&dels, jv_copy(p));
        }
    }
    if (jv_arr_len(dels)) {
        t = jq_delpaths(r, t, dels);
        if (!jv_valid(t)) return JQ_ERR;
    } else {
        jv_free(dels);
    }
    *res = t;
    return JQ_OK;
}

static int assign_rhs_k(Run *r, void *vc, Jv v, Jv p) {
    AssignCtx *c = vc;
    jv_free(p);
    Jv saved = c->rhs;
    c->rhs = v;
    Jv res;
    int rc;
    if (c->n->op == OP_SET) {
        res = jv_copy(c->in);
        rc = JQ_OK;
        for (size_t i = 0; i < jv_arr_len(c->paths); i++) {
            res = jq_setpath(r, res, jv_arr_at(c->paths, i), jv_copy(c->rhs), 0);
            if (!jv_valid(res)) {
                rc = JQ_ERR;
                break;
            }
        }
    } else {
        rc = modify_paths(r, c, NULL, NULL, &res);
    }
    jv_free(c->rhs);
    c->rhs = saved;
    if (rc != JQ_OK) return rc;
    return c->k(r, c->kctx, res, c->path ? jv_null() : jv_invalid());
}

static int eval_assign(Run *r, const Node *n, Env *env, Jv in, Jv path, Cont k, void *kctx) {
    AssignCtx c = {n, env, in, jv_invalid(), jv_invalid(), jv_invalid(), false, 0, pmode(path), k, kctx};
    jv_free(path);
    int rc = jq_paths_of(r, n->a, env, jv_copy(in), &c.paths);
    if (rc == JQ_OK) {
        if (n->op == OP_UPDATE) {
            Jv res;
            rc = modify_paths(r, &c, n->b, env, &res);
            if (rc == JQ_OK) rc = k(r, kctx, res, c.path ? jv_null() : jv_invalid());
        } else {
            rc = jq_eval(r, n->b, env, jv_copy(in), jv_invalid(), assign_rhs_k, &c);
        }
    }
    jv_free(c.paths);
    jv_free(in);
    return rc;
}

/* ---------------------------------------------------------------- calls */

static int too_deep(Run *r, Jv in, Jv path);
static size_t stack_used(const Run *r);

typedef struct CallCtx {
    const Node *call;
    const Node *def;
    Env *caller;
    Env *base;
    Env *frames;     /* closures then value params */
    int nclos;
    Jv in, path;
    int vi;          /* next value param to bind */
    Cont k;
    void *kctx;
} CallCtx;

static int call_body(Run *r, CallCtx *c);

static int call_param_k(Run *r, void *vc, Jv v, Jv p) {
    CallCtx *c = vc;
    jv_free(p);
    Env *f = &c->frames[c->nclos + c->vi];
    jv_free(f->val);
    f->val = v;
    c->vi++;
    int rc = call_body(r, c);
    c->vi--;
    return rc;
}

static int value_param_index(const Node *def, int vi) {
    for (int i = 0, seen = 0; i < def->nparams; i++)
        if (def->params[i][0] == '$' && seen++ == vi) return i;
    return -1;
}

static int call_body(Run *r, CallCtx *c) {
    const Node *def = c->def;
    int nvals = def->nvars;
    if (c->vi < nvals) {
        int pi = value_param_index(def, c->vi);
        return jq_eval(r, c->call->args[pi], c->caller, jv_copy(c->in), jv_invalid(), call_param_k, c);
    }
    int nf = c->nclos + nvals;
    Env *top = nf > 0 ? &c->frames[nf - 1] : c->base;
    return jq_eval(r, def->a, top, jv_copy(c->in), jv_copy(c->path), c->k, c->kctx);
}

/* Calls a jq-defined function; base is the env the body closes over. */
static int call_def(Run *r, const Node *call, const Node *def, Env *base, Env *caller, Jv in, Jv path,
                    Cont k, void *kctx) {
    int nf = def->nparams + def->nvars;
    /* Function calls bound the recursion: in wasm the engine's own stack
     * (not measurable from C) runs out long before the C stack does. */
    if (r->depth >= r->max_depth) return too_deep(r, in, path);
    if (nf == 0) {
        r->depth++;
        int rc = jq_eval(r, def->a, base, in, path, k, kctx);
        r->depth--;
        return rc;
    }
    r->depth++;
    if (jq_should_stop(r)) {
        r->depth--;
        jv_free(in);
        jv_free(path);
        return JQ_STOP;
    }
    Env local[8];
    Env *frames = nf <= 8 ? local : xmalloc((size_t)nf * sizeof *frames);
    for (int i = 0; i < nf; i++) {
        frames[i].up = i == 0 ? base : &frames[i - 1];
        if (i < def->nparams) {
            frames[i].kind = R_FRAME_CLOSURE;
            frames[i].node = call->args[i];
            frames[i].fenv = caller;
        } else {
            frames[i].kind = R_FRAME_VAR;
            frames[i].node = NULL;
            frames[i].fenv = NULL;
        }
        frames[i].val = jv_null();
    }
    CallCtx c = {call, def, caller, base, frames, def->nparams, in, path, 0, k, kctx};
    int rc = call_body(r, &c);
    r->depth--;
    jv_free(in);
    jv_free(path);
    for (int i = 0; i < nf; i++) jv_free(frames[i].val);
    if (frames != local) free(frames);
    return rc;
}

/* Native value functions: arguments as a cartesian product, the last one outermost. */
typedef struct NatCtx {
    const Node *call;
    const Native *nat;
    Env *env;
    Jv in;
    Jv args[4];
    int i;
    bool path;
    Cont k;
    void *kctx;
} NatCtx;

static int nat_args(Run *r, NatCtx *c);

static int nat_arg_k(Run *r, void *vc, Jv v, Jv p) {
    NatCtx *c = vc;
    jv_free(p);
    c->args[c->i] = v;
    c->i--;
    int rc = nat_args(r, c);
    c->i++;
    jv_free(c->args[c->i]);
    c->args[c->i] = jv_invalid();
    return rc;
}

static int nat_args(Run *r, NatCtx *c) {
    if (c->i < 0) {
        Jv v = c->nat->fn(r, jv_copy(c->in), c->args);
        if (!jv_valid(v)) return r->halted ? JQ_HALT : JQ_ERR;
        return c->k(r, c->kctx, v, c->path ? jv_null() : jv_invalid());
    }
    const Node *a = c->call->args[c->i];
    if (a->kind == N_LIT) return nat_arg_k(r, c, jv_copy(a->val), jv_invalid());
    return jq_eval(r, a, c->env, jv_copy(c->in), jv_invalid(), nat_arg_k, c);
}

static int eval_call(Run *r, const Node *n, Env *env, Jv in, Jv path, Cont k, void *kctx) {
    switch (n->rkind) {
    case R_NATIVE: {
        const Native *nat = &jq_natives[n->native];
        if (nat->gen) return nat->gen(r, n, env, in, path, k, kctx);
        NatCtx c = {n, nat, env, in, {jv_invalid(), jv_invalid(), jv_invalid(), jv_invalid()},
                    n->nargs - 1, pmode(path), k, kctx};
        jv_free(path);
        int rc = nat_args(r, &c);
        jv_free(in);
        return rc;
    }
    case R_GLOBAL_FN: return call_def(r, n, n->def, NULL, env, in, path, k, kctx);
    case R_FRAME_FN: {
        Env *f = env_up(env, n->up);
        return call_def(r, n, f->node, f, env, in, path, k, kctx);
    }
    case R_FRAME_CLOSURE: {
        Env *f = env_up(env, n->up);
        return jq_eval(r, f->node, f->fenv, in, path, k, kctx);
    }
    default:
        jv_free(in);
        jv_free(path);
        return jq_errorf(r, "%s/%d is not defined", n->name, n->nargs);
    }
}

int jq_eval_arg(Run *r, const Node *call, int i, Env *env, Jv in, Jv path, Cont k, void *kctx) {
    return jq_eval(r, call->args[i], env, in, path, k, kctx);
}

/* ---------------------------------------------------------------- labels */

static int eval_label(Run *r, const Node *n, Env *env, Jv in, Jv path, Cont k, void *kctx) {
    Env f = {env, R_LABEL, jv_num((double)++r->next_label), NULL, NULL};
    long id = r->next_label;
    int rc = jq_eval(r, n->a, &f, in, path, k, kctx);
    if (rc == JQ_BREAK && r->brk == id) rc = JQ_OK;
    return rc;
}

/* ---------------------------------------------------------------- eval */

static Jv loc_object(const Node *n) {
    Jv o = jv_obj();
    jv_obj_set(&o, jv_str_c("file"), jv_str_c(n->file ? n->file : "<top-level>"));
    jv_obj_set(&o, jv_str_c("line"), jv_num(n->line));
    return o;
}

typedef struct PathOutCtx {
    Cont k;
    void *kctx;
    bool outer_path;
} PathOutCtx;

static int path_out_k(Run *r, void *vc, Jv v, Jv p) {
    PathOutCtx *c = vc;
    if (p.kind != JV_ARRAY) return jq_invalid_path(r, v, p);
    jv_free(v);
    return c->k(r, c->kctx, p, c->outer_path ? jv_null() : jv_invalid());
}

int jq_eval_path(Run *r, const Node *f, Env *env, Jv in, Jv path, Cont k, void *kctx) {
    PathOutCtx c = {k, kctx, pmode(path)};
    jv_free(path);
    return jq_eval(r, f, env, in, jv_arr(), path_out_k, &c);
}

#define NOINLINE __attribute__((noinline))
#define EVAL_ARGS Run *r, const Node *n, Env *env, Jv in, Jv path, Cont k, void *kctx

/* The cases of eval_node live in their own functions so that its frame,
 * paid once per nesting level, stays small. */
static NOINLINE int eval_iter(EVAL_ARGS) {
    if (n->a->kind == N_IDENT) return iterate_opt(r, n, in, path, k, kctx);
    IterCtx c = {k, kctx, n};
    return jq_eval(r, n->a, env, in, path, iter_k, &c);
}

static NOINLINE int eval_str(EVAL_ARGS) {
    Jv local[8];
    Jv *vals = n->nargs <= 8 ? local : xmalloc((size_t)n->nargs * sizeof *vals);
    for (int i = 0; i < n->nargs; i++) vals[i] = jv_invalid();
    StrCtx c = {n, env, in, n->nargs - 1, vals, pmode(path), k, kctx};
    jv_free(path);
    int rc = str_part(r, &c);
    if (vals != local) free(vals);
    jv_free(in);
    return rc;
}

static NOINLINE int eval_format(EVAL_ARGS) {
    (void)env;
    Jv v = jq_format(r, n->name, in);
    if (!jv_valid(v)) {
        jv_free(path);
        return JQ_ERR;
    }
    return k(r, kctx, v, untracked(path));
}

static NOINLINE int eval_array(EVAL_ARGS) {
    Jv arr;
    if (!n->a) {
        jv_free(in);
        return k(r, kctx, jv_arr(), untracked(path));
    }
    int rc = jq_collect(r, n->a, env, in, &arr);
    if (rc != JQ_OK) {
        jv_free(path);
        return rc;
    }
    return k(r, kctx, arr, untracked(path));
}

static NOINLINE int eval_object(EVAL_ARGS) {
    ObjCtx c = {n, env, in, 0, jv_obj(), jv_invalid(), pmode(path), k, kctx};
    jv_free(path);
    int rc = obj_entry(r, &c);
    jv_free(c.acc);
    jv_free(in);
    return rc;
}

static NOINLINE int eval_neg(EVAL_ARGS) {
    bool pm = pmode(path);
    jv_free(path);
    Jv vals;
    int rc = jq_collect(r, n->a, env, in, &vals);
    if (rc != JQ_OK) return rc;
    for (size_t i = 0; i < jv_arr_len(vals) && rc == JQ_OK; i++) {
        Jv v = jq_negate(r, jv_copy(jv_arr_at(vals, i)));
        if (!jv_valid(v)) rc = JQ_ERR;
        else rc = k(r, kctx, v, pm ? jv_null() : jv_invalid());
    }
    jv_free(vals);
    return rc;
}

static NOINLINE int eval_pipe(EVAL_ARGS) {
    PipeCtx c = {n->b, env, k, kctx};
    return jq_eval(r, n->a, env, in, path, pipe_k, &c);
}

static NOINLINE int eval_comma(EVAL_ARGS) {
    int rc = jq_eval(r, n->a, env, jv_copy(in), jv_copy(path), k, kctx);
    if (rc != JQ_OK) {
        jv_free(in);
        jv_free(path);
        return rc;
    }
    return jq_eval(r, n->b, env, in, path, k, kctx);
}

static NOINLINE int eval_bin(EVAL_ARGS) {
    BinCtx c = {n, env, in, jv_invalid(), pmode(path), k, kctx};
    jv_free(path);
    int rc;
    if (n->b->kind == N_LIT) rc = bin_rhs_k(r, &c, jv_copy(n->b->val), jv_invalid());
    else rc = jq_eval(r, n->b, env, jv_copy(in), jv_invalid(), bin_rhs_k, &c);
    jv_free(in);
    return rc;
}

static NOINLINE int eval_andor(EVAL_ARGS) {
    BinCtx c = {n, env, in, jv_invalid(), pmode(path), k, kctx};
    jv_free(path);
    int rc = jq_eval(r, n->a, env, jv_copy(in), jv_invalid(), andor_lhs_k, &c);
    jv_free(in);
    return rc;
}

static NOINLINE int eval_alt(EVAL_ARGS) {
    AltCtx c = {false, k, kctx};
    int rc = jq_eval(r, n->a, env, jv_copy(in), jv_copy(path), alt_k, &c);
    if (rc != JQ_OK || c.any) {
        jv_free(in);
        jv_free(path);
        return rc;
    }
    return jq_eval(r, n->b, env, in, path, k, kctx);
}

static NOINLINE int eval_if(EVAL_ARGS) {
    IfCtx c = {n, env, in, path, k, kctx};
    int rc = jq_eval(r, n->a, env, jv_copy(in), jv_invalid(), if_cond_k, &c);
    jv_free(in);
    jv_free(path);
    return rc;
}

static NOINLINE int eval_def(EVAL_ARGS) {
    if (n->rkind == R_GLOBAL_FN) return jq_eval(r, n->b, env, in, path, k, kctx);
    Env f = {env, R_FRAME_FN, jv_null(), n, NULL};
    f.fenv = &f;
    return jq_eval(r, n->b, &f, in, path, k, kctx);
}

static int eval_node(EVAL_ARGS) {
    switch ((NodeKind)n->kind) {
    case N_IDENT: return k(r, kctx, in, path);
    case N_RECURSE: return jq_recurse_default(r, in, path, k, kctx);
    case N_INDEX: return eval_index(r, n, env, in, path, k, kctx);
    case N_SLICE: return eval_slice(r, n, env, in, path, k, kctx);
    case N_ITER: return eval_iter(r, n, env, in, path, k, kctx);
    case N_LIT:
        jv_free(in);
        return k(r, kctx, jv_copy(n->val), untracked(path));
    case N_LOC:
        jv_free(in);
        return k(r, kctx, loc_object(n), untracked(path));
    case N_STR: return eval_str(r, n, env, in, path, k, kctx);
    case N_FORMAT: return eval_format(r, n, env, in, path, k, kctx);
    case N_ARRAY: return eval_array(r, n, env, in, path, k, kctx);
    case N_OBJECT: return eval_object(r, n, env, in, path, k, kctx);
    case N_NEG: return eval_neg(r, n, env, in, path, k, kctx);
    case N_PIPE: return eval_pipe(r, n, env, in, path, k, kctx);
    case N_COMMA: return eval_comma(r, n, env, in, path, k, kctx);
    case N_BIN: return eval_bin(r, n, env, in, path, k, kctx);
    case N_AND:
    case N_OR: return eval_andor(r, n, env, in, path, k, kctx);
    case N_ALT: return eval_alt(r, n, env, in, path, k, kctx);
    case N_ASSIGN: return eval_assign(r, n, env, in, path, k, kctx);
    case N_IF: return eval_if(r, n, env, in, path, k, kctx);
    case N_TRY: return eval_try(r, n, env, in, path, k, kctx);
    case N_REDUCE:
    case N_FOREACH: return eval_reduce(r, n, env, in, path, k, kctx);
    case N_DEF: return eval_def(r, n, env, in, path, k, kctx);
    case N_CALL: return eval_call(r, n, env, in, path, k, kctx);
    case N_VAR: {
        jv_free(in);
        Jv v = n->rkind == R_GLOBAL_VAR ? jv_copy(r->globals[n->native]) : jv_copy(env_up(env, n->up)->val);
        return k(r, kctx, v, untracked(path));
    }
    case N_AS: return eval_as(r, n, env, in, path, k, kctx);
    case N_LABEL: return eval_label(r, n, env, in, path, k, kctx);
    case N_BREAK: {
        jv_free(in);
        jv_free(path);
        Env *f = env_up(env, n->up);
        r->brk = (long)jv_numval(f->val);
        return JQ_BREAK;
    }
    default:
        jv_free(in);
        jv_free(path);
        return jq_errorf(r, "internal error: unexpected node %d", n->kind);
    }
}

/* Bytes of C stack in use since the run started (the stack grows down on
 * every target we build for, but measure both ways). */
static size_t stack_used(const Run *r) {
    char probe;
    uintptr_t here = (uintptr_t)&probe;
    return here < r->stack_base ? r->stack_base - here : here - r->stack_base;
}

static int too_deep(Run *r, Jv in, Jv path) {
    jv_free(in);
    jv_free(path);
    return jq_error(r, jv_str_c("Evaluation nested too deeply (recursion limit reached)"));
}

int jq_eval(Run *r, const Node *n, Env *env, Jv in, Jv path, Cont k, void *kctx) {
    if (stack_used(r) > r->stack_limit) return too_deep(r, in, path);
    return eval_node(r, n, env, in, path, k, kctx);
}
