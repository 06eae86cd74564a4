/* bcmath.c - bc -l's math library: e(x) l(x) s(x) c(x) a(x) j(n,x).
 *
 * GNU bc defines these in bc itself; to print the same digits we follow
 * the same computations step by step (argument reduction, series, the
 * working scales, truncation after each operation) using the number
 * operations with bc's scale rules. Each function works at a local scale
 * and returns its result truncated to the caller's scale. */
#include "bcint.h"

#include <stdlib.h>
#include <string.h>

enum { M_E = 1, M_L, M_S, M_C, M_A, M_J };

typedef struct M {
    Bc *b;
    NumCtx *nc;
    bool fail;
} M;

static BcNum *K(const char *s) { return num_from_decimal(s, strlen(s)); }
static BcNum *I(long v) { return num_from_long(v); }

/* Consumes both operands' ownership only where named *_take. */
static BcNum *mul(M *m, const BcNum *a, const BcNum *b, int s) {
    BcNum *r = num_mul(m->nc, a, b, s);
    if (!r) m->fail = true;
    return r ? r : I(0);
}
static BcNum *dv(M *m, const BcNum *a, const BcNum *b, int s) {
    bool dz;
    BcNum *r = num_div(m->nc, a, b, s, &dz);
    if (!r) m->fail = true;
    return r ? r : I(0);
}
static BcNum *add(M *m, const BcNum *a, const BcNum *b) {
    BcNum *r = num_add(m->nc, a, b, 0);
    if (!r) m->fail = true;
    return r ? r : I(0);
}
static BcNum *sub(M *m, const BcNum *a, const BcNum *b) {
    BcNum *r = num_sub(m->nc, a, b, 0);
    if (!r) m->fail = true;
    return r ? r : I(0);
}
static void set(BcNum **dst, BcNum *v) {
    num_free(*dst);
    *dst = v;
}
static bool stop(M *m) {
    if (m->fail) return true;
    if (uc_should_stop(m->b->c)) {
        m->fail = true;
        return true;
    }
    return false;
}
/* scale = v: the integer part (GNU store_var on scale). */
static int as_scale(const BcNum *v) {
    long long s = num_to_long(v);
    if (s < 0) s = 0;
    if (s > 2147483647LL) s = 2147483647;
    return (int)s;
}

static BcNum *m_a(M *m, const BcNum *x0, int S);

static BcNum *m_e(M *m, const BcNum *x0, int S) {
    BcNum *x = num_copy(x0), *zero = I(0), *one = I(1);
    bool neg = false;
    if (num_cmp(x, zero) < 0) {
        neg = true;
        set(&x, num_neg(x));
    }
    int z = S;
    BcNum *k44 = K(".44"), *t = mul(m, k44, x, S), *sz = I(6 + (long)z);
    BcNum *n = add(m, sz, t);
    num_free(k44);
    num_free(t);
    num_free(sz);
    S = x->scale + 1;
    long f = 0;
    BcNum *two = I(2);
    while (!stop(m) && num_cmp(x, one) > 0) {
        f++;
        set(&x, dv(m, x, two, S));
        S++;
    }
    S = as_scale(n);
    BcNum *v = add(m, one, x), *a = num_copy(x), *d = I(1), *r = NULL;
    for (long i = 2; !stop(m); i++) {
        BcNum *iv = I(i);
        set(&a, mul(m, a, x, S));
        set(&d, mul(m, d, iv, S));
        num_free(iv);
        BcNum *e = dv(m, a, d, S);
        if (num_is_zero(e)) {
            num_free(e);
            while (f-- > 0 && !stop(m)) set(&v, mul(m, v, v, S));
            S = z;
            r = neg ? dv(m, one, v, S) : dv(m, v, one, S);
            break;
        }
        set(&v, add(m, v, e));
        num_free(e);
    }
    num_free(x); num_free(zero); num_free(one); num_free(n); num_free(two);
    num_free(v); num_free(a); num_free(d);
    return r;
}

static BcNum *m_l(M *m, const BcNum *x0, int S) {
    BcNum *x = num_copy(x0), *zero = I(0), *one = I(1), *r = NULL;
    if (num_cmp(x, zero) <= 0) {
        BcNum *ten = I(10), *sv = I(S);
        int w;
        bool too;
        BcNum *p = num_raise(m->nc, ten, sv, S, &w, &too);
        BcNum *d = p ? sub(m, one, p) : I(0);
        r = dv(m, d, one, S);
        num_free(ten); num_free(sv); num_free(p); num_free(d);
        num_free(x); num_free(zero); num_free(one);
        return r;
    }
    int z = S;
    S = 6 + S;
    BcNum *f = I(2), *two = I(2), *half = K(".5");
    while (!stop(m) && num_cmp(x, two) >= 0) {
        set(&f, mul(m, f, two, S));
        bool neg;
        BcNum *q = num_sqrt(m->nc, x, S, &neg);
        if (!q) { m->fail = true; break; }
        set(&x, q);
    }
    while (!stop(m) && num_cmp(x, half) <= 0) {
        set(&f, mul(m, f, two, S));
        bool neg;
        BcNum *q = num_sqrt(m->nc, x, S, &neg);
        if (!q) { m->fail = true; break; }
        set(&x, q);
    }
    BcNum *xm = sub(m, x, one), *xp = add(m, x, one);
    BcNum *n = dv(m, xm, xp, S);
    BcNum *v = num_copy(n);
    BcNum *mm = mul(m, n, n, S);
    num_free(xm);
    num_free(xp);
    for (long i = 3; !stop(m); i += 2) {
        BcNum *iv = I(i);
        set(&n, mul(m, n, mm, S));
        BcNum *e = dv(m, n, iv, S);
        num_free(iv);
        if (num_is_zero(e)) {
            num_free(e);
            set(&v, mul(m, f, v, S));
            S = z;
            r = dv(m, v, one, S);
            break;
        }
        set(&v, add(m, v, e));
        num_free(e);
    }
    num_free(x); num_free(zero); num_free(one); num_free(f); num_free(two); num_free(half);
    num_free(n); num_free(v); num_free(mm);
    return r;
}

static BcNum *m_s(M *m, const BcNum *x0, int S) {
    BcNum *x = num_copy(x0), *zero = I(0), *one = I(1), *r = NULL;
    int z = S;
    BcNum *k11 = K("1.1"), *zv = I(z), *two = I(2);
    BcNum *t = mul(m, k11, zv, S);
    BcNum *t2 = add(m, t, two);
    S = as_scale(t2);
    num_free(k11); num_free(zv); num_free(t); num_free(t2);
    BcNum *v = m_a(m, one, S);
    if (!v) { num_free(x); num_free(zero); num_free(one); num_free(two); return NULL; }
    bool neg = false;
    if (num_cmp(x, zero) < 0) {
        neg = true;
        set(&x, num_neg(x));
    }
    S = 0;
    BcNum *four = I(4);
    BcNum *q = dv(m, x, v, S);
    BcNum *q2 = add(m, q, two);
    BcNum *n = dv(m, q2, four, S);
    num_free(q);
    num_free(q2);
    BcNum *fn = mul(m, four, n, S);
    BcNum *fnv = mul(m, fn, v, S);
    set(&x, sub(m, x, fnv));
    num_free(fn);
    num_free(fnv);
    bool dz;
    BcNum *par = num_mod(m->nc, n, two, S, &dz);
    if (par && !num_is_zero(par)) set(&x, num_neg(x));
    num_free(par);
    S = z + 2;
    set(&v, num_copy(x));
    BcNum *e = num_copy(x);
    BcNum *nx = num_neg(x);
    BcNum *s = mul(m, nx, x, S);
    num_free(nx);
    for (long i = 3; !stop(m); i += 2) {
        BcNum *iv = I(i), *im = I(i - 1);
        BcNum *den = mul(m, iv, im, S);
        BcNum *fr = dv(m, s, den, S);
        set(&e, mul(m, e, fr, S));
        num_free(iv); num_free(im); num_free(den); num_free(fr);
        if (num_is_zero(e)) {
            S = z;
            if (neg) {
                BcNum *nv = num_neg(v);
                r = dv(m, nv, one, S);
                num_free(nv);
            } else {
                r = dv(m, v, one, S);
            }
            break;
        }
        set(&v, add(m, v, e));
    }
    num_free(x); num_free(zero); num_free(one); num_free(two); num_free(four);
    num_free(v); num_free(n); num_free(e); num_free(s);
    return r;
}

static BcNum *m_c(M *m, const BcNum *x, int S) {
    int z = S;
    BcNum *sv = I(S), *k12 = K("1.2");
    BcNum *t = mul(m, sv, k12, S);
    S = as_scale(t);
    num_free(sv); num_free(k12); num_free(t);
    BcNum *one = I(1), *two = I(2);
    BcNum *a1 = m_a(m, one, S);
    BcNum *r = NULL;
    if (a1) {
        BcNum *a2 = mul(m, a1, two, S);
        BcNum *arg = add(m, x, a2);
        BcNum *v = m_s(m, arg, S);
        if (v) {
            S = z;
            r = dv(m, v, one, S);
        }
        num_free(a2); num_free(arg); num_free(v);
    }
    num_free(a1); num_free(one); num_free(two);
    return r;
}

static BcNum *m_a(M *m, const BcNum *x0, int S) {
    static const char *const quarter_pi[3] = {
        ".7853981633974483096156608", ".7853981633974483096156608458198757210492",
        ".785398163397448309615660845819875721049292349843776455243736"};
    static const char *const atan_fifth[3] = {
        ".1973955598498807583700497", ".1973955598498807583700497651947902934475",
        ".197395559849880758370049765194790293447585103787852101517688"};
    BcNum *x = num_copy(x0), *zero = I(0), *one = I(1), *r = NULL;
    BcNum *mv = I(1);
    if (num_cmp(x, zero) < 0) {
        set(&mv, I(-1));
        set(&x, num_neg(x));
    }
    BcNum *fifth = K(".2");
    const char *const *table = NULL;
    if (num_cmp(x, one) == 0) table = quarter_pi;
    else if (num_cmp(x, fifth) == 0) table = atan_fifth;
    if (table) {
        int k = S <= 25 ? 0 : S <= 40 ? 1 : S <= 60 ? 2 : -1;
        if (k >= 0) {
            BcNum *c = K(table[k]);
            r = dv(m, c, mv, S);
            num_free(c);
            num_free(x); num_free(zero); num_free(one); num_free(mv); num_free(fifth);
            return r;
        }
    }
    int z = S;
    BcNum *a = I(0);
    if (num_cmp(x, fifth) > 0) {
        S = z + 5;
        BcNum *t = m_a(m, fifth, S);
        if (t) set(&a, t);
        else m->fail = true;
    }
    S = z + 3;
    long f = 0;
    while (!stop(m) && num_cmp(x, fifth) > 0) {
        f++;
        BcNum *num = sub(m, x, fifth);
        BcNum *xf = mul(m, x, fifth, S);
        BcNum *den = add(m, one, xf);
        set(&x, dv(m, num, den, S));
        num_free(num); num_free(xf); num_free(den);
    }
    BcNum *v = num_copy(x), *n = num_copy(x);
    BcNum *nx = num_neg(x);
    BcNum *s = mul(m, nx, x, S);
    num_free(nx);
    for (long i = 3; !stop(m); i += 2) {
        BcNum *iv = I(i);
        set(&n, mul(m, n, s, S));
        BcNum *e = dv(m, n, iv, S);
        num_free(iv);
        if (num_is_zero(e)) {
            num_free(e);
            S = z;
            BcNum *fv = I(f);
            BcNum *fa = mul(m, fv, a, S);
            BcNum *sum = add(m, fa, v);
            r = dv(m, sum, mv, S);
            num_free(fv); num_free(fa); num_free(sum);
            break;
        }
        set(&v, add(m, v, e));
        num_free(e);
    }
    num_free(x); num_free(zero); num_free(one); num_free(mv); num_free(fifth);
    num_free(a); num_free(v); num_free(n); num_free(s);
    return r;
}

static BcNum *m_j(M *m, const BcNum *n0, const BcNum *x, int S) {
    BcNum *zero = I(0), *one = I(1), *two = I(2), *r = NULL;
    int z = S;
    S = 0;
    BcNum *n = dv(m, n0, one, S);
    bool negm = false;
    if (num_cmp(n, zero) < 0) {
        set(&n, num_neg(n));
        bool dz;
        BcNum *par = num_mod(m->nc, n, two, S, &dz);
        if (par && num_cmp(par, one) == 0) negm = true;
        num_free(par);
    }
    BcNum *f = I(1);
    for (long i = 2; !stop(m); i++) {
        BcNum *iv = I(i);
        if (num_cmp(iv, n) > 0) { num_free(iv); break; }
        set(&f, mul(m, f, iv, S));
        num_free(iv);
    }
    BcNum *k15 = K("1.5"), *zv = I(z);
    BcNum *t = mul(m, k15, zv, S);
    S = as_scale(t);
    num_free(t);
    int w;
    bool too;
    BcNum *xn = num_raise(m->nc, x, n, S, &w, &too);
    BcNum *tn = num_raise(m->nc, two, n, S, &w, &too);
    if (!xn || !tn) {
        m->fail = true;
    } else {
        BcNum *q = dv(m, xn, tn, S);
        set(&f, dv(m, q, f, S));
        num_free(q);
    }
    num_free(xn);
    num_free(tn);
    BcNum *v = I(1), *e = I(1);
    BcNum *nx = num_neg(x);
    BcNum *xx = mul(m, nx, x, S);
    BcNum *four = I(4);
    BcNum *s = dv(m, xx, four, S);
    num_free(nx); num_free(xx); num_free(four);
    t = mul(m, k15, zv, S);
    BcNum *lf = I(num_length(f)), *sf = I(f->scale);
    BcNum *t2 = add(m, t, lf);
    BcNum *t3 = sub(m, t2, sf);
    S = as_scale(t3);
    num_free(t); num_free(lf); num_free(sf); num_free(t2); num_free(t3); num_free(k15); num_free(zv);
    for (long i = 1; !stop(m); i++) {
        BcNum *iv = I(i);
        BcNum *ni = add(m, n, iv);
        BcNum *es = mul(m, e, s, S);
        BcNum *e1 = dv(m, es, iv, S);
        set(&e, dv(m, e1, ni, S));
        num_free(iv); num_free(ni); num_free(es); num_free(e1);
        if (num_is_zero(e)) {
            S = z;
            BcNum *ff = negm ? num_neg(f) : num_copy(f);
            BcNum *fv = mul(m, ff, v, S);
            r = dv(m, fv, one, S);
            num_free(ff);
            num_free(fv);
            break;
        }
        set(&v, add(m, v, e));
    }
    num_free(zero); num_free(one); num_free(two); num_free(n); num_free(f); num_free(v); num_free(e); num_free(s);
    return r;
}

BcNum *bc_native(Bc *b, int id, BcNum **args) {
    M m = {b, &b->nc, false};
    BcNum *r = NULL;
    int S = b->scale;
    switch (id) {
    case M_E: r = m_e(&m, args[0], S); break;
    case M_L: r = m_l(&m, args[0], S); break;
    case M_S: r = m_s(&m, args[0], S); break;
    case M_C: r = m_c(&m, args[0], S); break;
    case M_A: r = m_a(&m, args[0], S); break;
    case M_J: r = m_j(&m, args[0], args[1], S); break;
    default: break;
    }
    if (m.fail) {
        num_free(r);
        return NULL;
    }
    return r;
}

void bc_define_mathlib(Bc *b) {
    static const char *const names[] = {"e", "l", "s", "c", "a", "j"};
    for (int i = 0; i < 6; i++) {
        int fn = bc_lookup(b, names[i], BC_FUNCT);
        BcFunc *f = &b->funcs[fn];
        f->defined = true;
        f->native = i + 1;
        f->nparams = i == 5 ? 2 : 1;
    }
    /* GNU's library names these variables first (and sets scale = 20) */
    static const char *const vars[] = {"x", "a", "b", "d", "e", "f", "i", "m", "n", "v", "z", "s"};
    for (size_t i = 0; i < sizeof vars / sizeof *vars; i++) bc_lookup(b, vars[i], BC_SIMPLE);
    b->scale = 20;
}
