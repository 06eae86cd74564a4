/* jq_value.c - value operations of the jq language with jq's error
 * messages: indexing, slicing, paths (get/set/delete), arithmetic. */
#include "jq_int.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int jq_error(Run *r, Jv msg) {
    jv_free(r->err);
    r->err = msg;
    return JQ_ERR;
}

int jq_errorf(Run *r, const char *fmt, ...) {
    StrBuf b;
    sb_init(&b);
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&b, fmt, ap);
    va_end(ap);
    return jq_error(r, jv_str_take(&b));
}

Jv jq_fail(Run *r, Jv msg) {
    jq_error(r, msg);
    return jv_invalid();
}

Jv jq_failf(Run *r, const char *fmt, ...) {
    StrBuf b;
    sb_init(&b);
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&b, fmt, ap);
    va_end(ap);
    jq_error(r, jv_str_take(&b));
    return jv_invalid();
}

void jq_describe(StrBuf *b, Jv v) {
    sb_printf(b, "%s (", jv_kind_name(v.kind));
    jv_dump_trunc(b, v, 30);
    sb_putc(b, ')');
}

/* "KIND (VALUE) and KIND (VALUE) WHAT" */
static Jv type_error2(Run *r, Jv a, Jv b, const char *what) {
    StrBuf m;
    sb_init(&m);
    jq_describe(&m, a);
    sb_puts(&m, " and ");
    jq_describe(&m, b);
    sb_printf(&m, " %s", what);
    jv_free(a);
    jv_free(b);
    return jq_fail(r, jv_str_take(&m));
}

static Jv index_error(Run *r, Jv t, Jv k) {
    StrBuf m;
    sb_init(&m);
    sb_printf(&m, "Cannot index %s with ", jv_kind_name(t.kind));
    jq_describe(&m, k);
    jv_free(t);
    jv_free(k);
    return jq_fail(r, jv_str_take(&m));
}

/* Array index of a number as jq: truncated, negative from the end. */
static bool array_index(Jv k, size_t len, long *out) {
    double d = jv_numval(k);
    if (isnan(d)) return false;
    if (d > 1e15) d = 1e15;
    if (d < -1e15) d = -1e15;
    long i = (long)d;
    if (i < 0) i += (long)len;
    *out = i;
    return i >= 0 && (size_t)i < len;
}

/* Start/end of a slice over len items (or code points). */
static bool slice_bounds(Run *r, Jv from, Jv to, size_t len, size_t *s, size_t *e) {
    if ((from.kind != JV_NULL && from.kind != JV_NUMBER) || (to.kind != JV_NULL && to.kind != JV_NUMBER)) {
        jq_error(r, jv_str_c("Array/string slice indices must be integers"));
        return false;
    }
    double dl = (double)len;
    double a = from.kind == JV_NUMBER ? jv_numval(from) : 0;
    double b = to.kind == JV_NUMBER ? jv_numval(to) : dl;
    if (isnan(a)) a = 0;
    if (isnan(b)) b = dl;
    if (a < 0) a += dl;
    if (b < 0) b += dl;
    a = floor(a);
    b = ceil(b);
    if (a < 0) a = 0;
    if (a > dl) a = dl;
    if (b > dl) b = dl;
    if (b < a) b = a;
    *s = (size_t)a;
    *e = (size_t)b;
    return true;
}

static Jv str_slice_cp(Jv str, size_t s, size_t e) {
    const char *p = jv_strval(str);
    size_t n = jv_strlen(str), i = 0, cp = 0, bs = n, be = n;
    for (; i <= n; i++) {
        if (i == n || ((unsigned char)p[i] & 0xC0) != 0x80) {
            if (cp == s && bs == n) bs = i;
            if (cp == e) {
                be = i;
                break;
            }
            cp++;
        }
    }
    if (bs > be) bs = be;
    return jv_str(p + bs, be - bs);
}

Jv jq_slice(Run *r, Jv t, Jv from, Jv to) {
    size_t s, e;
    if (t.kind == JV_NULL) {
        jv_free(from);
        jv_free(to);
        return jv_null();
    }
    if (t.kind == JV_ARRAY || t.kind == JV_STRING) {
        size_t len = t.kind == JV_ARRAY ? jv_arr_len(t) : jv_utf8_count(jv_strval(t), jv_strlen(t));
        bool ok = slice_bounds(r, from, to, len, &s, &e);
        jv_free(from);
        jv_free(to);
        if (!ok) {
            jv_free(t);
            return jv_invalid();
        }
        Jv res = t.kind == JV_ARRAY ? jv_arr_slice(t, s, e) : str_slice_cp(t, s, e);
        jv_free(t);
        return res;
    }
    Jv k = jv_obj();
    jv_obj_set(&k, jv_str_c("start"), from);
    jv_obj_set(&k, jv_str_c("end"), to);
    return index_error(r, t, k);
}

static Jv indices_of(Jv a, Jv b) {
    Jv res = jv_arr();
    size_t n = jv_arr_len(a), m = jv_arr_len(b);
    if (m == 0) return res;
    for (size_t i = 0; i + m <= n; i++) {
        size_t j = 0;
        while (j < m && jv_equal(jv_arr_at(a, i + j), jv_arr_at(b, j))) j++;
        if (j == m) jv_arr_push(&res, jv_num((double)i));
    }
    return res;
}

Jv jq_index(Run *r, Jv t, Jv k) {
    if (t.kind == JV_OBJECT && k.kind == JV_STRING) {
        const Jv *v = jv_obj_find(t, k);
        Jv res = v ? jv_copy(*v) : jv_null();
        jv_free(t);
        jv_free(k);
        return res;
    }
    if (t.kind == JV_ARRAY && k.kind == JV_NUMBER) {
        long i;
        Jv res = array_index(k, jv_arr_len(t), &i) ? jv_copy(jv_arr_at(t, (size_t)i)) : jv_null();
        jv_free(t);
        jv_free(k);
        return res;
    }
    if (t.kind == JV_NULL && (k.kind == JV_STRING || k.kind == JV_NUMBER || k.kind == JV_OBJECT)) {
        jv_free(k);
        return jv_null();
    }
    if (k.kind == JV_OBJECT && (t.kind == JV_ARRAY || t.kind == JV_STRING)) {
        const Jv *s = jv_obj_find_c(k, "start", 5), *e = jv_obj_find_c(k, "end", 3);
        Jv from = s ? jv_copy(*s) : jv_null(), to = e ? jv_copy(*e) : jv_null();
        jv_free(k);
        return jq_slice(r, t, from, to);
    }
    if (t.kind == JV_ARRAY && k.kind == JV_ARRAY) {
        Jv res = indices_of(t, k);
        jv_free(t);
        jv_free(k);
        return res;
    }
    return index_error(r, t, k);
}

/* ---------------------------------------------------------------- paths */

Jv jq_getpath(Run *r, Jv t, Jv path) {
    if (path.kind != JV_ARRAY) {
        jv_free(t);
        return jq_fail(r, jv_str_c("Path must be specified as an array"));
    }
    for (size_t i = 0; i < jv_arr_len(path); i++) {
        if (t.kind == JV_NULL) return t;
        t = jq_index(r, t, jv_copy(jv_arr_at(path, i)));
        if (!jv_valid(t)) return t;
    }
    return t;
}

/* Takes the child at k out of *t when *t is the only owner (so the child can
 * be updated in place), else returns a copy. Errors as jq_index. */
static Jv take_child(Run *r, Jv *t, Jv k) {
    if (t->kind == JV_OBJECT && k.kind == JV_STRING && t->u.o->rc == 1) {
        Jv *v = (Jv *)jv_obj_find(*t, k);
        if (!v) return jv_null();
        Jv c = *v;
        *v = jv_null();
        return c;
    }
    if (t->kind == JV_ARRAY && k.kind == JV_NUMBER && t->u.a->rc == 1) {
        long i;
        if (!array_index(k, jv_arr_len(*t), &i)) return jv_null();
        Jv c = t->u.a->v[i];
        t->u.a->v[i] = jv_null();
        return c;
    }
    return jq_index(r, jv_copy(*t), jv_copy(k));
}

enum { MAX_ARRAY_INDEX = 536870912 };

static Jv set_key(Run *r, Jv t, Jv k, Jv v) {
    if (t.kind == JV_NULL) {
        if (k.kind == JV_STRING) t = jv_obj();
        else if (k.kind == JV_NUMBER || k.kind == JV_OBJECT) t = jv_arr();
    }
    if (t.kind == JV_OBJECT && k.kind == JV_STRING) {
        jv_obj_set(&t, k, v);
        return t;
    }
    if (t.kind == JV_ARRAY && k.kind == JV_NUMBER) {
        double d = jv_numval(k);
        if (isnan(d)) d = 0;
        if (d >= MAX_ARRAY_INDEX) {
            jv_free(t);
            jv_free(v);
            jv_free(k);
            return jq_fail(r, jv_str_c("Array index too large"));
        }
        long i = (long)d;
        if (i < 0) i += (long)jv_arr_len(t);
        if (i < 0) {
            jv_free(t);
            jv_free(v);
            jv_free(k);
            return jq_fail(r, jv_str_c("Out of bounds negative array index"));
        }
        jv_arr_set(&t, (size_t)i, v);
        jv_free(k);
        return t;
    }
    if (t.kind == JV_ARRAY && k.kind == JV_OBJECT) {
        if (v.kind != JV_ARRAY) {
            jv_free(t);
            jv_free(k);
            jv_free(v);
            return jq_fail(r, jv_str_c("A slice of an array can only be assigned another array"));
        }
        const Jv *sp = jv_obj_find_c(k, "start", 5), *ep = jv_obj_find_c(k, "end", 3);
        size_t s, e;
        bool ok = slice_bounds(r, sp ? *sp : jv_null(), ep ? *ep : jv_null(), jv_arr_len(t), &s, &e);
        jv_free(k);
        if (!ok) {
            jv_free(t);
            jv_free(v);
            return jv_invalid();
        }
        Jv res = jv_arr_slice(t, 0, s);
        res = jv_arr_concat(res, v);
        Jv tail = jv_arr_slice(t, e, jv_arr_len(t));
        res = jv_arr_concat(res, tail);
        jv_free(t);
        return res;
    }
    jv_free(v);
    return index_error(r, t, k);
}

Jv jq_setpath(Run *r, Jv t, Jv path, Jv v, size_t i) {
    if (path.kind != JV_ARRAY) {
        jv_free(t);
        jv_free(v);
        return jq_fail(r, jv_str_c("Path must be specified as an array"));
    }
    if (i >= jv_arr_len(path)) {
        jv_free(t);
        return v;
    }
    Jv k = jv_arr_at(path, i);
    Jv child = t.kind == JV_NULL ? jv_null() : take_child(r, &t, k);
    if (!jv_valid(child)) {
        jv_free(t);
        jv_free(v);
        return child;
    }
    Jv nc = jq_setpath(r, child, path, v, i + 1);
    if (!jv_valid(nc)) {
        jv_free(t);
        return nc;
    }
    return set_key(r, t, jv_copy(k), nc);
}

static Jv del_key(Run *r, Jv t, Jv k) {
    if (t.kind == JV_NULL) {
        jv_free(k);
        return t;
    }
    if (t.kind == JV_OBJECT && k.kind == JV_STRING) {
        jv_obj_del(&t, k);
        jv_free(k);
        return t;
    }
    if (t.kind == JV_ARRAY && k.kind == JV_NUMBER) {
        long i;
        bool in = array_index(k, jv_arr_len(t), &i);
        jv_free(k);
        if (in) {
            Jv res = jv_arr_slice(t, 0, (size_t)i);
            Jv tail = jv_arr_slice(t, (size_t)i + 1, jv_arr_len(t));
            res = jv_arr_concat(res, tail);
            jv_free(t);
            return res;
        }
        return t;
    }
    if (t.kind == JV_ARRAY && k.kind == JV_OBJECT) {
        const Jv *sp = jv_obj_find_c(k, "start", 5), *ep = jv_obj_find_c(k, "end", 3);
        size_t s, e;
        bool ok = slice_bounds(r, sp ? *sp : jv_null(), ep ? *ep : jv_null(), jv_arr_len(t), &s, &e);
        jv_free(k);
        if (!ok) {
            jv_free(t);
            return jv_invalid();
        }
        Jv res = jv_arr_slice(t, 0, s);
        Jv tail = jv_arr_slice(t, e, jv_arr_len(t));
        res = jv_arr_concat(res, tail);
        jv_free(t);
        return res;
    }
    if (k.kind == JV_STRING || k.kind == JV_NUMBER) {
        StrBuf m;
        sb_init(&m);
        sb_printf(&m, "Cannot delete field at %s index of %s", k.kind == JV_STRING ? "object" : "array",
                  jv_kind_name(t.kind));
        jv_free(t);
        jv_free(k);
        return jq_fail(r, jv_str_take(&m));
    }
    return index_error(r, t, k);
}

static Jv delpath(Run *r, Jv t, Jv path, size_t i) {
    size_t n = jv_arr_len(path);
    if (n == 0) {
        jv_free(t);
        return jv_null();
    }
    Jv k = jv_arr_at(path, i);
    if (i + 1 == n) return del_key(r, t, jv_copy(k));
    if (t.kind == JV_NULL) return t;
    Jv child = take_child(r, &t, k);
    if (!jv_valid(child)) {
        jv_free(t);
        return child;
    }
    if (child.kind == JV_NULL) return t; /* nothing below: unchanged */
    Jv nc = delpath(r, child, path, i + 1);
    if (!jv_valid(nc)) {
        jv_free(t);
        return nc;
    }
    return set_key(r, t, jv_copy(k), nc);
}

Jv jq_delpaths(Run *r, Jv t, Jv paths) {
    if (paths.kind != JV_ARRAY) {
        jv_free(t);
        jv_free(paths);
        return jq_fail(r, jv_str_c("Paths must be specified as an array"));
    }
    jv_unshare(&paths);
    for (size_t i = 0; i < jv_arr_len(paths); i++) {
        Jv p = jv_arr_at(paths, i);
        if (p.kind != JV_ARRAY) {
            StrBuf m;
            sb_init(&m);
            sb_printf(&m, "Path must be specified as array, not %s", jv_kind_name(p.kind));
            jv_free(t);
            jv_free(paths);
            return jq_fail(r, jv_str_take(&m));
        }
    }
    jv_sort_values(paths.u.a->v, jv_arr_len(paths));
    for (size_t i = jv_arr_len(paths); i-- > 0;) {
        t = delpath(r, t, jv_arr_at(paths, i), 0);
        if (!jv_valid(t)) break;
    }
    jv_free(paths);
    return t;
}

/* ---------------------------------------------------------------- arithmetic */

static Jv repeat_string(Jv s, double d) {
    if (isnan(d) || d < 0) {
        jv_free(s);
        return jv_null();
    }
    size_t n = d > 1e9 ? (size_t)1e9 : (size_t)d;
    if (n > 1 && jv_strlen(s) * n > ((size_t)1 << 28)) {
        jv_free(s);
        return jv_invalid(); /* reported as too long by the caller */
    }
    Jv res = jv_str("", 0);
    for (size_t i = 0; i < n; i++) jv_str_append(&res, jv_strval(s), jv_strlen(s));
    jv_free(s);
    return res;
}

static Jv split_string(Jv s, Jv sep) {
    Jv res = jv_arr();
    const char *p = jv_strval(s), *q = jv_strval(sep);
    size_t n = jv_strlen(s), m = jv_strlen(sep);
    if (n == 0) {
        /* "" / x is [] */
    } else if (m == 0) {
        for (size_t i = 0; i < n;) {
            uint32_t cp;
            int k = jv_utf8_decode(p + i, n - i, &cp);
            jv_arr_push(&res, jv_str(p + i, (size_t)k));
            i += (size_t)k;
        }
    } else {
        size_t start = 0;
        for (size_t i = 0; i + m <= n;) {
            if (!memcmp(p + i, q, m)) {
                jv_arr_push(&res, jv_str(p + start, i - start));
                i += m;
                start = i;
            } else {
                i++;
            }
        }
        jv_arr_push(&res, jv_str(p + start, n - start));
    }
    jv_free(s);
    jv_free(sep);
    return res;
}

Jv jq_split(Jv s, Jv sep) { return split_string(s, sep); }

Jv jq_binop(Run *r, int op, Jv a, Jv b) {
    JvKind ka = a.kind, kb = b.kind;
    switch (op) {
    case OP_ADD:
        if (ka == JV_NULL) return b;
        if (kb == JV_NULL) return a;
        if (ka == JV_NUMBER && kb == JV_NUMBER) {
            Jv res = jv_num(jv_numval(a) + jv_numval(b));
            jv_free(a);
            jv_free(b);
            return res;
        }
        if (ka == JV_STRING && kb == JV_STRING) return jv_str_cat(a, b);
        if (ka == JV_ARRAY && kb == JV_ARRAY) return jv_arr_concat(a, b);
        if (ka == JV_OBJECT && kb == JV_OBJECT) return jv_obj_merge(a, b);
        return type_error2(r, a, b, "cannot be added");
    case OP_SUB:
        if (ka == JV_NUMBER && kb == JV_NUMBER) {
            Jv res = jv_num(jv_numval(a) - jv_numval(b));
            jv_free(a);
            jv_free(b);
            return res;
        }
        if (ka == JV_ARRAY && kb == JV_ARRAY) {
            Jv res = jv_arr();
            for (size_t i = 0; i < jv_arr_len(a); i++) {
                bool found = false;
                for (size_t j = 0; j < jv_arr_len(b) && !found; j++)
                    found = jv_equal(jv_arr_at(a, i), jv_arr_at(b, j));
                if (!found) jv_arr_push(&res, jv_copy(jv_arr_at(a, i)));
            }
            jv_free(a);
            jv_free(b);
            return res;
        }
        return type_error2(r, a, b, "cannot be subtracted");
    case OP_MUL:
        if (ka == JV_NUMBER && kb == JV_NUMBER) {
            Jv res = jv_num(jv_numval(a) * jv_numval(b));
            jv_free(a);
            jv_free(b);
            return res;
        }
        if ((ka == JV_STRING && kb == JV_NUMBER) || (ka == JV_NUMBER && kb == JV_STRING)) {
            Jv str = ka == JV_STRING ? a : b, num = ka == JV_STRING ? b : a;
            double d = jv_numval(num);
            jv_free(num);
            Jv res = repeat_string(str, d);
            if (!jv_valid(res)) return jq_fail(r, jv_str_c("Repeat string result too long"));
            return res;
        }
        if (ka == JV_OBJECT && kb == JV_OBJECT) return jv_obj_merge_deep(a, b);
        return type_error2(r, a, b, "cannot be multiplied");
    case OP_DIV:
        if (ka == JV_NUMBER && kb == JV_NUMBER) {
            if (jv_numval(b) == 0) return type_error2(r, a, b, "cannot be divided because the divisor is zero");
            Jv res = jv_num(jv_numval(a) / jv_numval(b));
            jv_free(a);
            jv_free(b);
            return res;
        }
        if (ka == JV_STRING && kb == JV_STRING) return split_string(a, b);
        return type_error2(r, a, b, "cannot be divided");
    case OP_MOD:
        if (ka == JV_NUMBER && kb == JV_NUMBER) {
            double x = jv_numval(a), y = jv_numval(b);
            if (isnan(x) || isnan(y)) {
                jv_free(a);
                jv_free(b);
                return jv_num(NAN);
            }
            intmax_t bi = y >= 9.2e18 ? INTMAX_MAX : y <= -9.2e18 ? INTMAX_MIN : (intmax_t)y;
            intmax_t ai = x >= 9.2e18 ? INTMAX_MAX : x <= -9.2e18 ? INTMAX_MIN : (intmax_t)x;
            if (bi == 0) return type_error2(r, a, b, "cannot be divided (remainder) because the divisor is zero");
            intmax_t res = (bi == -1) ? 0 : ai % (bi < 0 ? -bi : bi);
            jv_free(a);
            jv_free(b);
            return jv_num((double)res);
        }
        return type_error2(r, a, b, "cannot be divided (remainder)");
    case OP_EQ: {
        bool e = jv_equal(a, b);
        jv_free(a);
        jv_free(b);
        return jv_bool(e);
    }
    case OP_NE: {
        bool e = jv_equal(a, b);
        jv_free(a);
        jv_free(b);
        return jv_bool(!e);
    }
    default: {
        int c = jv_cmp(a, b);
        jv_free(a);
        jv_free(b);
        bool res = op == OP_LT ? c < 0 : op == OP_LE ? c <= 0 : op == OP_GT ? c > 0 : c >= 0;
        return jv_bool(res);
    }
    }
}

Jv jq_tostring(Jv v) {
    if (v.kind == JV_STRING) return v;
    StrBuf b;
    sb_init(&b);
    jv_dump_compact(&b, v);
    jv_free(v);
    return jv_str_take(&b);
}

void jq_error_text(StrBuf *b, Jv err) {
    if (err.kind == JV_STRING) {
        sb_put(b, jv_strval(err), jv_strlen(err));
        return;
    }
    jv_dump_compact(b, err);
}
