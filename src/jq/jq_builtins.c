/* jq_builtins.c - builtins written in C: value functions, generators that
 * take closures (select, recurse, limit, range, path, ...), math, dates.
 * The rest of the library is jq code in jq_prelude.c. Messages are jq 1.8's. */
#include "jq_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>
#include <time.h>

/* The path of a generated value in path mode (untracked), or none. */
static Jv pmode_path(Jv path) {
    if (path.kind == JV_INVALID) return path;
    jv_free(path);
    return jv_null();
}

static Jv err_desc(Run *r, Jv v, const char *what) {
    StrBuf m;
    sb_init(&m);
    jq_describe(&m, v);
    sb_printf(&m, " %s", what);
    jv_free(v);
    return jq_fail(r, jv_str_take(&m));
}

static Jv err2_desc(Run *r, Jv a, Jv b, const char *what) {
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

static Jv err_msg(Run *r, Jv in, const char *msg) {
    jv_free(in);
    return jq_fail(r, jv_str_c(msg));
}

/* ---------------------------------------------------------------- basics */

static Jv f_not(Run *r, Jv in, Jv *a) {
    (void)r, (void)a;
    bool t = jv_truthy(in);
    jv_free(in);
    return jv_bool(!t);
}

static Jv f_length(Run *r, Jv in, Jv *a) {
    (void)a;
    switch (in.kind) {
    case JV_NULL: return jv_num(0);
    case JV_NUMBER:
        if (jv_numval(in) < 0) return jq_negate(r, in);
        return in;
    case JV_STRING: {
        size_t n = jv_utf8_count(jv_strval(in), jv_strlen(in));
        jv_free(in);
        return jv_num((double)n);
    }
    case JV_ARRAY: {
        size_t n = jv_arr_len(in);
        jv_free(in);
        return jv_num((double)n);
    }
    case JV_OBJECT: {
        size_t n = jv_obj_len(in);
        jv_free(in);
        return jv_num((double)n);
    }
    default: return err_desc(r, in, "has no length");
    }
}

static Jv f_utf8bytelength(Run *r, Jv in, Jv *a) {
    (void)a;
    if (in.kind != JV_STRING) return err_desc(r, in, "only strings have UTF-8 byte length");
    size_t n = jv_strlen(in);
    jv_free(in);
    return jv_num((double)n);
}

static Jv f_type(Run *r, Jv in, Jv *a) {
    (void)r, (void)a;
    Jv t = jv_str_c(jv_kind_name(in.kind));
    jv_free(in);
    return t;
}

static Jv keys_of(Run *r, Jv in, bool sorted) {
    if (in.kind == JV_OBJECT) {
        Jv k;
        if (sorted) k = jv_obj_keys_sorted(in);
        else {
            k = jv_arr_sized(jv_obj_len(in));
            for (size_t i = 0; i < jv_obj_len(in); i++) jv_arr_push(&k, jv_copy(jv_obj_key_at(in, i)));
        }
        jv_free(in);
        return k;
    }
    if (in.kind == JV_ARRAY) {
        Jv k = jv_arr_sized(jv_arr_len(in));
        for (size_t i = 0; i < jv_arr_len(in); i++) jv_arr_push(&k, jv_num((double)i));
        jv_free(in);
        return k;
    }
    return err_desc(r, in, "has no keys");
}

static Jv f_keys(Run *r, Jv in, Jv *a) {
    (void)a;
    return keys_of(r, in, true);
}
static Jv f_keys_unsorted(Run *r, Jv in, Jv *a) {
    (void)a;
    return keys_of(r, in, false);
}

static Jv f_to_entries(Run *r, Jv in, Jv *a) {
    (void)a;
    if (in.kind != JV_OBJECT && in.kind != JV_ARRAY) return err_desc(r, in, "has no keys");
    size_t n = in.kind == JV_OBJECT ? jv_obj_len(in) : jv_arr_len(in);
    Jv res = jv_arr_sized(n);
    for (size_t i = 0; i < n; i++) {
        Jv e = jv_obj();
        if (in.kind == JV_OBJECT) {
            jv_obj_set(&e, jv_str_c("key"), jv_copy(jv_obj_key_at(in, i)));
            jv_obj_set(&e, jv_str_c("value"), jv_copy(jv_obj_val_at(in, i)));
        } else {
            jv_obj_set(&e, jv_str_c("key"), jv_num((double)i));
            jv_obj_set(&e, jv_str_c("value"), jv_copy(jv_arr_at(in, i)));
        }
        jv_arr_push(&res, e);
    }
    jv_free(in);
    return res;
}

static Jv f_has(Run *r, Jv in, Jv *a) {
    Jv k = a[0];
    if (in.kind == JV_OBJECT && k.kind == JV_STRING) {
        bool h = jv_obj_find(in, k) != NULL;
        jv_free(in);
        return jv_bool(h);
    }
    if (in.kind == JV_ARRAY && k.kind == JV_NUMBER) {
        double d = jv_numval(k);
        bool h = d >= 0 && d < (double)jv_arr_len(in);
        jv_free(in);
        return jv_bool(h);
    }
    if (in.kind == JV_NULL) return jv_bool(false);
    StrBuf m;
    sb_init(&m);
    sb_printf(&m, "Cannot check whether %s has a %s key", jv_kind_name(in.kind), jv_kind_name(k.kind));
    jv_free(in);
    return jq_fail(r, jv_str_take(&m));
}

static Jv f_contains(Run *r, Jv in, Jv *a) {
    Jv b = a[0];
    bool same = in.kind == b.kind || ((in.kind == JV_TRUE || in.kind == JV_FALSE) &&
                                      (b.kind == JV_TRUE || b.kind == JV_FALSE));
    if (!same) return err2_desc(r, in, jv_copy(b), "cannot have their containment checked");
    bool c = jv_contains(in, b);
    jv_free(in);
    return jv_bool(c);
}

static Jv f_add(Run *r, Jv in, Jv *a) {
    (void)a;
    if (in.kind != JV_ARRAY && in.kind != JV_OBJECT) {
        StrBuf m;
        sb_init(&m);
        sb_puts(&m, "Cannot iterate over ");
        jq_describe(&m, in);
        jv_free(in);
        return jq_fail(r, jv_str_take(&m));
    }
    size_t n = in.kind == JV_ARRAY ? jv_arr_len(in) : jv_obj_len(in);
    Jv acc = jv_null();
    for (size_t i = 0; i < n; i++) {
        Jv x = jv_copy(in.kind == JV_ARRAY ? jv_arr_at(in, i) : jv_obj_val_at(in, i));
        /* strings and arrays accumulate in place */
        if (acc.kind == JV_STRING && x.kind == JV_STRING) {
            jv_str_append(&acc, jv_strval(x), jv_strlen(x));
            jv_free(x);
            continue;
        }
        acc = jq_binop(r, OP_ADD, acc, x);
        if (!jv_valid(acc)) break;
    }
    jv_free(in);
    return acc;
}

static Jv f_tostring(Run *r, Jv in, Jv *a) {
    (void)r, (void)a;
    return jq_tostring(in);
}

static Jv f_tojson(Run *r, Jv in, Jv *a) {
    (void)r, (void)a;
    StrBuf b;
    sb_init(&b);
    jv_dump_compact(&b, in);
    jv_free(in);
    return jv_str_take(&b);
}

static Jv f_fromjson(Run *r, Jv in, Jv *a) {
    (void)a;
    if (in.kind != JV_STRING) return err_desc(r, in, "only strings can be parsed");
    char *err = NULL;
    Jv v = jv_parse(jv_strval(in), jv_strlen(in), &err);
    if (!jv_valid(v)) {
        StrBuf m;
        sb_init(&m);
        sb_printf(&m, "%s (while parsing '%s')", err ? err : "error", jv_strval(in));
        free(err);
        jv_free(in);
        return jq_fail(r, jv_str_take(&m));
    }
    jv_free(in);
    return v;
}

static Jv f_tonumber(Run *r, Jv in, Jv *a) {
    (void)a;
    if (in.kind == JV_NUMBER) return in;
    if (in.kind == JV_STRING) {
        const char *s = jv_strval(in);
        size_t n = jv_strlen(in);
        /* JSON number syntax only (no spaces, no trailing text) */
        size_t i = 0;
        if (i < n && s[i] == '-') i++;
        size_t d0 = i;
        while (i < n && s[i] >= '0' && s[i] <= '9') i++;
        bool ok = i > d0;
        if (i < n && s[i] == '.') {
            i++;
            size_t f0 = i;
            while (i < n && s[i] >= '0' && s[i] <= '9') i++;
            ok = ok || i > f0;
        }
        if (ok && i < n && (s[i] == 'e' || s[i] == 'E')) {
            i++;
            if (i < n && (s[i] == '+' || s[i] == '-')) i++;
            size_t e0 = i;
            while (i < n && s[i] >= '0' && s[i] <= '9') i++;
            ok = i > e0;
        }
        if (ok && i == n) {
            Jv v = jv_num_literal(s, n);
            jv_free(in);
            return v;
        }
        if (n == 3 && !memcmp(s, "nan", 3)) {
            jv_free(in);
            return jv_num(NAN);
        }
    }
    return err_desc(r, in, "cannot be parsed as a number");
}

static Jv f_toboolean(Run *r, Jv in, Jv *a) {
    (void)a;
    if (in.kind == JV_TRUE || in.kind == JV_FALSE) return in;
    if (in.kind == JV_STRING) {
        if (!strcmp(jv_strval(in), "true")) {
            jv_free(in);
            return jv_bool(true);
        }
        if (!strcmp(jv_strval(in), "false")) {
            jv_free(in);
            return jv_bool(false);
        }
    }
    return err_desc(r, in, "cannot be parsed as a boolean");
}

static Jv f_error0(Run *r, Jv in, Jv *a) {
    (void)a;
    return jq_fail(r, in);
}

static Jv f_startswith(Run *r, Jv in, Jv *a) {
    if (in.kind != JV_STRING || a[0].kind != JV_STRING) return err_msg(r, in, "startswith() requires string inputs");
    bool b = jv_strlen(in) >= jv_strlen(a[0]) && !memcmp(jv_strval(in), jv_strval(a[0]), jv_strlen(a[0]));
    jv_free(in);
    return jv_bool(b);
}

static Jv f_endswith(Run *r, Jv in, Jv *a) {
    if (in.kind != JV_STRING || a[0].kind != JV_STRING) return err_msg(r, in, "endswith() requires string inputs");
    size_t n = jv_strlen(in), m = jv_strlen(a[0]);
    bool b = n >= m && !memcmp(jv_strval(in) + n - m, jv_strval(a[0]), m);
    jv_free(in);
    return jv_bool(b);
}

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

static Jv trim_impl(Run *r, Jv in, bool left, bool right) {
    if (in.kind != JV_STRING) return err_msg(r, in, "trim input must be a string");
    const char *s = jv_strval(in);
    size_t b = 0, e = jv_strlen(in);
    if (left)
        while (b < e && is_space(s[b])) b++;
    if (right)
        while (e > b && is_space(s[e - 1])) e--;
    Jv res = jv_str(s + b, e - b);
    jv_free(in);
    return res;
}

static Jv f_trim(Run *r, Jv in, Jv *a) {
    (void)a;
    return trim_impl(r, in, true, true);
}
static Jv f_ltrim(Run *r, Jv in, Jv *a) {
    (void)a;
    return trim_impl(r, in, true, false);
}
static Jv f_rtrim(Run *r, Jv in, Jv *a) {
    (void)a;
    return trim_impl(r, in, false, true);
}

static Jv f_split1(Run *r, Jv in, Jv *a) {
    if (in.kind != JV_STRING || a[0].kind != JV_STRING)
        return err_msg(r, in, "split input and separator must be strings");
    return jq_split(in, jv_copy(a[0]));
}

static Jv f_explode(Run *r, Jv in, Jv *a) {
    (void)a;
    if (in.kind != JV_STRING) return err_msg(r, in, "explode input must be a string");
    Jv res = jv_arr();
    const char *s = jv_strval(in);
    size_t n = jv_strlen(in);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        i += (size_t)jv_utf8_decode(s + i, n - i, &cp);
        jv_arr_push(&res, jv_num(cp));
    }
    jv_free(in);
    return res;
}

static Jv f_implode(Run *r, Jv in, Jv *a) {
    (void)a;
    if (in.kind != JV_ARRAY) return err_msg(r, in, "implode input must be an array");
    StrBuf b;
    sb_init(&b);
    for (size_t i = 0; i < jv_arr_len(in); i++) {
        Jv x = jv_arr_at(in, i);
        if (x.kind != JV_NUMBER) {
            sb_free(&b);
            Jv bad = jv_copy(x);
            jv_free(in);
            return err_desc(r, bad, "can't be imploded, unicode codepoint needs to be numeric");
        }
        double d = jv_numval(x);
        uint32_t cp = (d < 0 || d > 0x10FFFF || isnan(d) || (d >= 0xD800 && d <= 0xDFFF)) ? 0xFFFD : (uint32_t)d;
        jv_utf8_encode(&b, cp);
    }
    jv_free(in);
    return jv_str_take(&b);
}

static Jv f_ascii_case(Run *r, Jv in, bool up) {
    if (in.kind != JV_STRING) return err_msg(r, in, "explode input must be a string");
    Jv res = jv_str(jv_strval(in), jv_strlen(in));
    char *s = res.u.s->s;
    for (size_t i = 0; i < jv_strlen(res); i++) {
        if (up && s[i] >= 'a' && s[i] <= 'z') s[i] = (char)(s[i] - 32);
        if (!up && s[i] >= 'A' && s[i] <= 'Z') s[i] = (char)(s[i] + 32);
    }
    jv_free(in);
    return res;
}
static Jv f_ascii_downcase(Run *r, Jv in, Jv *a) {
    (void)a;
    return f_ascii_case(r, in, false);
}
static Jv f_ascii_upcase(Run *r, Jv in, Jv *a) {
    (void)a;
    return f_ascii_case(r, in, true);
}

static Jv f_reverse(Run *r, Jv in, Jv *a) {
    (void)a;
    if (in.kind == JV_NULL) return jv_arr();
    if (in.kind == JV_ARRAY) {
        size_t n = jv_arr_len(in);
        Jv res = jv_arr_sized(n);
        for (size_t i = n; i-- > 0;) jv_arr_push(&res, jv_copy(jv_arr_at(in, i)));
        jv_free(in);
        return res;
    }
    /* jq 1.8 defines reverse as [.[length - 1 - range(0; length)]] */
    Jv len = f_length(r, jv_copy(in), NULL);
    if (!jv_valid(len)) {
        jv_free(in);
        return len;
    }
    double n = jv_numval(len);
    jv_free(len);
    if (n <= 0) {
        jv_free(in);
        return jv_arr();
    }
    Jv v = jq_index(r, in, jv_num(n - 1));
    if (!jv_valid(v)) return v;
    jv_free(v);
    return jv_arr();
}

static Jv f_strindices(Run *r, Jv in, Jv *a) {
    if (in.kind != JV_STRING || a[0].kind != JV_STRING) return err_msg(r, in, "_strindices requires strings");
    Jv res = jv_arr();
    const char *s = jv_strval(in), *t = jv_strval(a[0]);
    size_t n = jv_strlen(in), m = jv_strlen(a[0]);
    if (m > 0) {
        /* byte offsets, as jq 1.8 reports them for strings */
        for (size_t i = 0; i + m <= n; i++)
            if (!memcmp(s + i, t, m)) jv_arr_push(&res, jv_num((double)i));
    }
    jv_free(in);
    return res;
}

static Jv f_sort(Run *r, Jv in, Jv *a) {
    (void)a;
    if (in.kind != JV_ARRAY) return err_desc(r, in, "cannot be sorted, as it is not an array");
    jv_unshare(&in);
    jv_sort_values(in.u.a->v, jv_arr_len(in));
    return in;
}

static Jv f_unique(Run *r, Jv in, Jv *a) {
    Jv s = f_sort(r, in, a);
    if (!jv_valid(s)) return s;
    Jv res = jv_arr();
    for (size_t i = 0; i < jv_arr_len(s); i++)
        if (i == 0 || jv_cmp(jv_arr_at(s, i - 1), jv_arr_at(s, i)) != 0) jv_arr_push(&res, jv_copy(jv_arr_at(s, i)));
    jv_free(s);
    return res;
}

static Jv minmax(Run *r, Jv in, bool max) {
    if (in.kind != JV_ARRAY) return err2_desc(r, jv_copy(in), in, "cannot be iterated over");
    if (jv_arr_len(in) == 0) {
        jv_free(in);
        return jv_null();
    }
    size_t best = 0;
    for (size_t i = 1; i < jv_arr_len(in); i++) {
        int c = jv_cmp(jv_arr_at(in, i), jv_arr_at(in, best));
        if (max ? c >= 0 : c < 0) best = i;
    }
    Jv res = jv_copy(jv_arr_at(in, best));
    jv_free(in);
    return res;
}
static Jv f_min(Run *r, Jv in, Jv *a) {
    (void)a;
    return minmax(r, in, false);
}
static Jv f_max(Run *r, Jv in, Jv *a) {
    (void)a;
    return minmax(r, in, true);
}

static bool flatten_into(Run *r, Jv *res, Jv v, double depth) {
    if (v.kind != JV_ARRAY && v.kind != JV_OBJECT) {
        StrBuf m;
        sb_init(&m);
        sb_puts(&m, "Cannot iterate over ");
        jq_describe(&m, v);
        jq_error(r, jv_str_take(&m));
        return false;
    }
    size_t n = v.kind == JV_ARRAY ? jv_arr_len(v) : jv_obj_len(v);
    for (size_t i = 0; i < n; i++) {
        Jv x = v.kind == JV_ARRAY ? jv_arr_at(v, i) : jv_obj_val_at(v, i);
        if (x.kind == JV_ARRAY && depth != 0) {
            if (!flatten_into(r, res, x, depth - 1)) return false;
        } else {
            jv_arr_push(res, jv_copy(x));
        }
    }
    return true;
}

static Jv flatten(Run *r, Jv in, double depth) {
    Jv res = jv_arr();
    bool ok = flatten_into(r, &res, in, depth);
    jv_free(in);
    if (!ok) {
        jv_free(res);
        return jv_invalid();
    }
    return res;
}
static Jv f_flatten0(Run *r, Jv in, Jv *a) {
    (void)a;
    return flatten(r, in, -1);
}
static Jv f_flatten1(Run *r, Jv in, Jv *a) {
    if (a[0].kind != JV_NUMBER) return err2_desc(r, in, jv_copy(a[0]), "cannot be compared");
    if (jv_numval(a[0]) < 0) return err_msg(r, in, "flatten depth must not be negative");
    return flatten(r, in, jv_numval(a[0]));
}

static Jv f_setpath(Run *r, Jv in, Jv *a) { return jq_setpath(r, in, a[0], jv_copy(a[1]), 0); }
static Jv f_delpaths(Run *r, Jv in, Jv *a) { return jq_delpaths(r, in, jv_copy(a[0])); }

static Jv f_tojson_tostring_bsearch(Run *r, Jv in, Jv *a) {
    if (in.kind != JV_ARRAY) return err_desc(r, in, "cannot be searched from");
    long lo = 0, hi = (long)jv_arr_len(in) - 1;
    while (lo <= hi) {
        long mid = (lo + hi) / 2;
        int c = jv_cmp(jv_arr_at(in, (size_t)mid), a[0]);
        if (c == 0) {
            jv_free(in);
            return jv_num((double)mid);
        }
        if (c < 0) lo = mid + 1;
        else hi = mid - 1;
    }
    jv_free(in);
    return jv_num(-1.0 - (double)lo);
}

static Jv f_infinite(Run *r, Jv in, Jv *a) {
    (void)r, (void)a;
    jv_free(in);
    return jv_num(INFINITY);
}
static Jv f_nan(Run *r, Jv in, Jv *a) {
    (void)r, (void)a;
    jv_free(in);
    return jv_num(NAN);
}

static Jv num_pred(Run *r, Jv in, int which) {
    if (in.kind != JV_NUMBER) return err_desc(r, in, "number required");
    double d = jv_numval(in);
    jv_free(in);
    bool b = which == 0 ? isinf(d) : which == 1 ? isnan(d) : isnormal(d);
    return jv_bool(b);
}
static Jv f_isinfinite(Run *r, Jv in, Jv *a) {
    (void)a;
    return num_pred(r, in, 0);
}
static Jv f_isnan(Run *r, Jv in, Jv *a) {
    (void)a;
    return num_pred(r, in, 1);
}
static Jv f_isnormal(Run *r, Jv in, Jv *a) {
    (void)a;
    return num_pred(r, in, 2);
}

static Jv f_true(Run *r, Jv in, Jv *a) {
    (void)r, (void)a;
    jv_free(in);
    return jv_bool(true);
}

static Jv f_env(Run *r, Jv in, Jv *a) {
    (void)a;
    jv_free(in);
    return jq_session_env(r->s);
}

static Jv f_input_filename(Run *r, Jv in, Jv *a) {
    (void)a;
    jv_free(in);
    const char *f = jq_session_filename(r->s);
    return f ? jv_str_c(f) : jv_null();
}

static Jv f_zero(Run *r, Jv in, Jv *a) {
    (void)r, (void)a;
    jv_free(in);
    return jv_num(0);
}

static Jv f_search_list(Run *r, Jv in, Jv *a) {
    (void)r, (void)a;
    jv_free(in);
    Jv l = jv_arr();
    jv_arr_push(&l, jv_str_c("~/.jq"));
    jv_arr_push(&l, jv_str_c("$ORIGIN/../lib/jq"));
    jv_arr_push(&l, jv_str_c("$ORIGIN/../lib"));
    return l;
}

static Jv f_now(Run *r, Jv in, Jv *a) {
    (void)r, (void)a;
    jv_free(in);
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return jv_num((double)tv.tv_sec + (double)tv.tv_usec / 1e6);
}

static Jv f_debug(Run *r, Jv in, Jv *a) {
    (void)a;
    StrBuf b;
    sb_init(&b);
    sb_puts(&b, "[\"DEBUG:\",");
    jv_dump_compact(&b, in);
    sb_puts(&b, "]\n");
    jq_session_stderr(r->s, b.s, b.len);
    sb_free(&b);
    return in;
}

static Jv f_stderr(Run *r, Jv in, Jv *a) {
    (void)a;
    StrBuf b;
    sb_init(&b);
    if (in.kind == JV_STRING) sb_put(&b, jv_strval(in), jv_strlen(in));
    else jv_dump_compact(&b, in);
    jq_session_stderr(r->s, b.s, b.len);
    sb_free(&b);
    return in;
}

static Jv f_halt(Run *r, Jv in, Jv *a) {
    (void)a;
    jv_free(in);
    r->halted = true;
    r->halt_status = 0;
    r->halt_msg = jv_invalid();
    return jv_invalid();
}

static Jv f_halt_error(Run *r, Jv in, Jv *a) {
    if (a[0].kind != JV_NUMBER) return err_desc(r, in, "halt_error/1: number required");
    r->halted = true;
    r->halt_status = (int)jv_numval(a[0]);
    jv_free(r->halt_msg);
    r->halt_msg = in;
    return jv_invalid();
}

static Jv f_getpath_v(Run *r, Jv in, Jv *a) { return jq_getpath(r, in, a[0]); }

static Jv f_format(Run *r, Jv in, Jv *a) {
    if (a[0].kind != JV_STRING) return err_desc(r, in, "is not a valid format");
    return jq_format(r, jv_strval(a[0]), in);
}

static Jv f_ltrimstr(Run *r, Jv in, Jv *a) {
    (void)r;
    if (in.kind == JV_STRING && a[0].kind == JV_STRING && jv_strlen(in) >= jv_strlen(a[0]) &&
        !memcmp(jv_strval(in), jv_strval(a[0]), jv_strlen(a[0]))) {
        Jv res = jv_str(jv_strval(in) + jv_strlen(a[0]), jv_strlen(in) - jv_strlen(a[0]));
        jv_free(in);
        return res;
    }
    return in;
}

static Jv f_rtrimstr(Run *r, Jv in, Jv *a) {
    (void)r;
    if (in.kind == JV_STRING && a[0].kind == JV_STRING && jv_strlen(in) >= jv_strlen(a[0]) &&
        !memcmp(jv_strval(in) + jv_strlen(in) - jv_strlen(a[0]), jv_strval(a[0]), jv_strlen(a[0]))) {
        Jv res = jv_str(jv_strval(in), jv_strlen(in) - jv_strlen(a[0]));
        jv_free(in);
        return res;
    }
    return in;
}

/* ---------------------------------------------------------------- math */

typedef double (*Math1)(double);
typedef double (*Math2)(double, double);

static double m_exp10(double x) { return pow(10, x); }
static double m_significand(double x) {
    if (x == 0 || isinf(x) || isnan(x)) return x;
    int e;
    double m = frexp(x, &e);
    return m * 2;
}
static double m_drem(double x, double y) { return remainder(x, y); }
static double m_scalb(double x, double y) { return x * pow(2, y); }
static double m_ldexp(double x, double y) { return ldexp(x, (int)y); }
static double m_scalbln(double x, double y) { return scalbln(x, (long)y); }
static double m_nexttoward(double x, double y) { return nextafter(x, y); }
static double m_gamma(double x) { return lgamma(x); }

static const struct {
    const char *name;
    Math1 f;
} math1[] = {
    {"acos", acos}, {"acosh", acosh}, {"asin", asin}, {"asinh", asinh}, {"atan", atan},
    {"atanh", atanh}, {"cbrt", cbrt}, {"ceil", ceil}, {"cos", cos}, {"cosh", cosh},
    {"erf", erf}, {"erfc", erfc}, {"exp", exp}, {"exp10", m_exp10}, {"exp2", exp2},
    {"expm1", expm1}, {"fabs", fabs}, {"floor", floor}, {"gamma", m_gamma}, {"j0", j0},
    {"j1", j1}, {"lgamma", lgamma}, {"log", log}, {"log10", log10}, {"log1p", log1p},
    {"log2", log2}, {"logb", logb}, {"nearbyint", nearbyint}, {"rint", rint}, {"round", round},
    {"significand", m_significand}, {"sin", sin}, {"sinh", sinh}, {"sqrt", sqrt}, {"tan", tan},
    {"tanh", tanh}, {"tgamma", tgamma}, {"trunc", trunc}, {"y0", y0}, {"y1", y1},
};

static const struct {
    const char *name;
    Math2 f;
} math2[] = {
    {"atan2", atan2}, {"copysign", copysign}, {"drem", m_drem}, {"fdim", fdim}, {"fmax", fmax},
    {"fmin", fmin}, {"fmod", fmod}, {"hypot", hypot}, {"ldexp", m_ldexp}, {"nextafter", nextafter},
    {"nexttoward", m_nexttoward}, {"pow", pow}, {"remainder", remainder}, {"scalb", m_scalb},
    {"scalbln", m_scalbln},
};

/* Math natives carry their table index in the Native entry's position; the
 * generic entry points below look the function up by the call's name. */
static Jv math1_apply(Run *r, Jv in, int idx) {
    if (in.kind != JV_NUMBER) return err_desc(r, in, "number required");
    double d = jv_numval(in);
    jv_free(in);
    return jv_num(math1[idx].f(d));
}

static Jv math2_apply(Run *r, Jv in, Jv *a, int idx) {
    jv_free(in);
    if (a[0].kind != JV_NUMBER) return err_desc(r, jv_copy(a[0]), "number required");
    if (a[1].kind != JV_NUMBER) return err_desc(r, jv_copy(a[1]), "number required");
    return jv_num(math2[idx].f(jv_numval(a[0]), jv_numval(a[1])));
}

#define M1(i) static Jv f_m1_##i(Run *r, Jv in, Jv *a) { (void)a; return math1_apply(r, in, i); }
#define M2(i) static Jv f_m2_##i(Run *r, Jv in, Jv *a) { return math2_apply(r, in, a, i); }
M1(0) M1(1) M1(2) M1(3) M1(4) M1(5) M1(6) M1(7) M1(8) M1(9) M1(10) M1(11) M1(12) M1(13) M1(14)
M1(15) M1(16) M1(17) M1(18) M1(19) M1(20) M1(21) M1(22) M1(23) M1(24) M1(25) M1(26) M1(27)
M1(28) M1(29) M1(30) M1(31) M1(32) M1(33) M1(34) M1(35) M1(36) M1(37) M1(38) M1(39)
M2(0) M2(1) M2(2) M2(3) M2(4) M2(5) M2(6) M2(7) M2(8) M2(9) M2(10) M2(11) M2(12) M2(13) M2(14)

static Jv f_frexp(Run *r, Jv in, Jv *a) {
    (void)a;
    if (in.kind != JV_NUMBER) return err_desc(r, in, "number required");
    int e;
    double m = frexp(jv_numval(in), &e);
    jv_free(in);
    Jv res = jv_arr();
    jv_arr_push(&res, jv_num(m));
    jv_arr_push(&res, jv_num(e));
    return res;
}

static Jv f_modf(Run *r, Jv in, Jv *a) {
    (void)a;
    if (in.kind != JV_NUMBER) return err_desc(r, in, "number required");
    double ip;
    double f = modf(jv_numval(in), &ip);
    jv_free(in);
    Jv res = jv_arr();
    jv_arr_push(&res, jv_num(f));
    jv_arr_push(&res, jv_num(ip));
    return res;
}

static Jv f_lgamma_r(Run *r, Jv in, Jv *a) {
    (void)a;
    if (in.kind != JV_NUMBER) return err_desc(r, in, "number required");
    double x = jv_numval(in);
    jv_free(in);
    double v = lgamma(x);
    double sign = (x > 0 || floor(x) == x || ((long)floor(x) % 2 == 0)) ? 1 : -1;
    if (x < 0 && floor(x) != x) sign = (((long)floor(-x)) % 2 == 0) ? -1 : 1;
    Jv res = jv_arr();
    jv_arr_push(&res, jv_num(v));
    jv_arr_push(&res, jv_num(sign));
    return res;
}

static Jv f_fma(Run *r, Jv in, Jv *a) {
    jv_free(in);
    for (int i = 0; i < 3; i++)
        if (a[i].kind != JV_NUMBER) return err_desc(r, jv_copy(a[i]), "number required");
    return jv_num(fma(jv_numval(a[0]), jv_numval(a[1]), jv_numval(a[2])));
}

static Jv f_jn(Run *r, Jv in, Jv *a, bool y) {
    jv_free(in);
    if (a[0].kind != JV_NUMBER || a[1].kind != JV_NUMBER) return err_desc(r, jv_copy(a[0]), "number required");
    int n = (int)jv_numval(a[0]);
    double x = jv_numval(a[1]);
    return jv_num(y ? yn(n, x) : jn(n, x));
}
static Jv f_jn2(Run *r, Jv in, Jv *a) { return f_jn(r, in, a, false); }
static Jv f_yn2(Run *r, Jv in, Jv *a) { return f_jn(r, in, a, true); }

/* ---------------------------------------------------------------- dates */

static bool tm_from_array(Jv v, struct tm *tm, double *fsec) {
    if (v.kind != JV_ARRAY || jv_arr_len(v) < 6) return false;
    double f[8] = {0};
    for (size_t i = 0; i < 8 && i < jv_arr_len(v); i++) {
        Jv x = jv_arr_at(v, i);
        if (x.kind != JV_NUMBER) return false;
        f[i] = jv_numval(x);
    }
    memset(tm, 0, sizeof *tm);
    tm->tm_year = (int)f[0] - 1900;
    tm->tm_mon = (int)f[1];
    tm->tm_mday = (int)f[2];
    tm->tm_hour = (int)f[3];
    tm->tm_min = (int)f[4];
    tm->tm_sec = (int)f[5];
    tm->tm_wday = (int)f[6];
    tm->tm_yday = (int)f[7];
    if (fsec) *fsec = f[5];
    return true;
}

static Jv tm_to_array(const struct tm *tm, double sec) {
    Jv a = jv_arr();
    jv_arr_push(&a, jv_num(tm->tm_year + 1900.0));
    jv_arr_push(&a, jv_num(tm->tm_mon));
    jv_arr_push(&a, jv_num(tm->tm_mday));
    jv_arr_push(&a, jv_num(tm->tm_hour));
    jv_arr_push(&a, jv_num(tm->tm_min));
    jv_arr_push(&a, jv_num(sec));
    jv_arr_push(&a, jv_num(tm->tm_wday));
    jv_arr_push(&a, jv_num(tm->tm_yday));
    return a;
}

/* Days since the epoch of a proleptic Gregorian date (no libc timezone use). */
static long long days_from_civil(long long y, int m, int d) {
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400;
    long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static double my_timegm(const struct tm *tm) {
    long long y = tm->tm_year + 1900LL;
    long long mon = tm->tm_mon;
    y += mon / 12;
    mon %= 12;
    if (mon < 0) {
        mon += 12;
        y--;
    }
    long long days = days_from_civil(y, (int)mon + 1, 1) + tm->tm_mday - 1;
    return (double)days * 86400 + tm->tm_hour * 3600.0 + tm->tm_min * 60.0 + tm->tm_sec;
}

static bool my_gmtime(double t, struct tm *tm) {
    if (isnan(t) || t > 1e17 || t < -1e17) return false;
    long long s = (long long)floor(t);
    long long days = s / 86400, rem = s % 86400;
    if (rem < 0) {
        rem += 86400;
        days--;
    }
    memset(tm, 0, sizeof *tm);
    tm->tm_hour = (int)(rem / 3600);
    tm->tm_min = (int)(rem % 3600 / 60);
    tm->tm_sec = (int)(rem % 60);
    tm->tm_wday = (int)(((days % 7) + 11) % 7); /* 1970-01-01 was a Thursday */
    long long z = days + 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    long long doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long y = yoe + era * 400;
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153;
    int d = (int)(doy - (153 * mp + 2) / 5 + 1);
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    y += m <= 2;
    tm->tm_year = (int)(y - 1900);
    tm->tm_mon = m - 1;
    tm->tm_mday = d;
    tm->tm_yday = (int)(days - days_from_civil(y, 1, 1));
    return true;
}

static Jv f_mktime(Run *r, Jv in, Jv *a) {
    (void)a;
    if (in.kind != JV_ARRAY) return err_msg(r, in, "mktime requires array inputs");
    struct tm tm;
    if (!tm_from_array(in, &tm, NULL)) return err_msg(r, in, "mktime requires parsed datetime inputs");
    jv_free(in);
    return jv_num(my_timegm(&tm));
}

static Jv f_gmtime(Run *r, Jv in, Jv *a) {
    (void)a;
    if (in.kind != JV_NUMBER) return err_msg(r, in, "gmtime() requires numeric inputs");
    double t = jv_numval(in);
    jv_free(in);
    struct tm tm;
    if (!my_gmtime(t, &tm)) return jq_fail(r, jv_str_c("error converting number of seconds since epoch to datetime"));
    double sec = tm.tm_sec + (t - floor(t));
    /* jq computes the fraction in single precision */
    float frac = (float)(t - floor(t));
    sec = tm.tm_sec + (double)frac;
    return tm_to_array(&tm, sec);
}

static Jv f_localtime(Run *r, Jv in, Jv *a) {
    /* The sandbox runs in UTC: local time is UTC. */
    if (in.kind != JV_NUMBER) return err_msg(r, in, "localtime() requires numeric inputs");
    return f_gmtime(r, in, a);
}

static Jv strftime_impl(Run *r, Jv in, Jv fmt, bool local) {
    const char *who = local ? "strflocaltime/1" : "strftime/1";
    if (in.kind == JV_NUMBER) {
        in = f_gmtime(r, in, NULL);
        if (!jv_valid(in)) return in;
    }
    char msg[64];
    if (fmt.kind != JV_STRING) {
        snprintf(msg, sizeof msg, "%s requires a string format", who);
        return err_msg(r, in, msg);
    }
    struct tm tm;
    if (in.kind != JV_ARRAY || !tm_from_array(in, &tm, NULL)) {
        snprintf(msg, sizeof msg, "%s requires parsed datetime inputs", who);
        return err_msg(r, in, msg);
    }
    jv_free(in);
    /* %Z and %z and %s are expanded here: the tm is UTC. */
    StrBuf f;
    sb_init(&f);
    const char *p = jv_strval(fmt);
    for (; *p; p++) {
        if (p[0] == '%' && p[1] == 'Z') {
            sb_puts(&f, local ? "UTC" : "GMT");
            p++;
        } else if (p[0] == '%' && p[1] == 'z') {
            sb_puts(&f, "+0000");
            p++;
        } else if (p[0] == '%' && p[1] == 's') {
            sb_printf(&f, "%.0f", my_timegm(&tm));
            p++;
        } else if (p[0] == '%' && p[1] == '%') {
            sb_puts(&f, "%%");
            p++;
        } else {
            sb_putc(&f, *p);
        }
    }
    size_t cap = 256 + f.len * 4;
    char *out = xmalloc(cap);
    size_t n = f.len ? strftime(out, cap, sb_cstr(&f), &tm) : 0;
    Jv res = jv_str_utf8(out, n);
    free(out);
    sb_free(&f);
    return res;
}

static Jv f_strftime(Run *r, Jv in, Jv *a) { return strftime_impl(r, in, a[0], false); }
static Jv f_strflocaltime(Run *r, Jv in, Jv *a) { return strftime_impl(r, in, a[0], true); }

/* strptime of its own (the Pyodide main module does not export libc's):
 * the glibc conversions jq programs use, in the C locale. */
static const char *const month_names[12] = {"january", "february", "march", "april", "may", "june",
                                            "july", "august", "september", "october", "november", "december"};
static const char *const day_names[7] = {"sunday", "monday", "tuesday", "wednesday", "thursday", "friday",
                                         "saturday"};

static const char *match_name(const char *s, const char *const *names, int n, int *out) {
    for (int i = 0; i < n; i++) {
        size_t full = strlen(names[i]);
        if (!strncasecmp(s, names[i], full)) {
            *out = i;
            return s + full;
        }
    }
    for (int i = 0; i < n; i++)
        if (!strncasecmp(s, names[i], 3)) {
            *out = i;
            return s + 3;
        }
    return NULL;
}

static const char *read_num(const char *s, int maxd, long lo, long hi, int *out) {
    while (is_space(*s)) s++; /* as glibc, numbers may follow blanks */
    long v = 0;
    int d = 0;
    bool neg = false;
    if (maxd > 4 && (*s == '-' || *s == '+')) neg = *s++ == '-';
    while (d < maxd && *s >= '0' && *s <= '9') v = v * 10 + (*s++ - '0'), d++;
    if (!d) return NULL;
    if (neg) v = -v;
    if (v < lo || v > hi) return NULL;
    *out = (int)v;
    return s;
}

static const char *my_strptime(const char *s, const char *f, struct tm *tm) {
    int pm = -1, hour12 = -1;
    while (*f) {
        if (is_space(*f)) {
            while (is_space(*s)) s++;
            f++;
            continue;
        }
        if (*f != '%') {
            if (*s++ != *f++) return NULL;
            continue;
        }
        f++;
        char c = *f++;
        if (c == 'E' || c == 'O') c = *f++;
        int v;
        switch (c) {
        case 'Y': s = read_num(s, 9, -99999999, 999999999, &v); if (s) tm->tm_year = v - 1900; break;
        case 'm': s = read_num(s, 2, 1, 12, &v); if (s) tm->tm_mon = v - 1; break;
        case 'd':
        case 'e':
            while (*s == ' ') s++;
            s = read_num(s, 2, 1, 31, &v);
            if (s) tm->tm_mday = v;
            break;
        case 'H':
        case 'k': s = read_num(s, 2, 0, 23, &v); if (s) tm->tm_hour = v; break;
        case 'I':
        case 'l': s = read_num(s, 2, 1, 12, &v); if (s) hour12 = v; break;
        case 'M': s = read_num(s, 2, 0, 59, &v); if (s) tm->tm_min = v; break;
        case 'S': s = read_num(s, 2, 0, 61, &v); if (s) tm->tm_sec = v; break;
        case 'j': s = read_num(s, 3, 1, 366, &v); if (s) tm->tm_yday = v - 1; break;
        case 'y':
            s = read_num(s, 2, 0, 99, &v);
            if (s) tm->tm_year = v < 69 ? v + 100 : v;
            break;
        case 'C': s = read_num(s, 2, 0, 99, &v); if (s) tm->tm_year = v * 100 - 1900; break;
        case 'b':
        case 'B':
        case 'h': s = match_name(s, month_names, 12, &v); if (s) tm->tm_mon = v; break;
        case 'a':
        case 'A': s = match_name(s, day_names, 7, &v); if (s) tm->tm_wday = v; break;
        case 'u': s = read_num(s, 1, 1, 7, &v); if (s) tm->tm_wday = v % 7; break;
        case 'w': s = read_num(s, 1, 0, 6, &v); if (s) tm->tm_wday = v; break;
        case 'p':
            if (!strncasecmp(s, "am", 2)) pm = 0, s += 2;
            else if (!strncasecmp(s, "pm", 2)) pm = 1, s += 2;
            else s = NULL;
            break;
        case 'T': s = my_strptime(s, "%H:%M:%S", tm); break;
        case 'R': s = my_strptime(s, "%H:%M", tm); break;
        case 'D': s = my_strptime(s, "%m/%d/%y", tm); break;
        case 'F': s = my_strptime(s, "%Y-%m-%d", tm); break;
        case 'c': s = my_strptime(s, "%a %b %e %H:%M:%S %Y", tm); break;
        case 's': {
            char *end;
            long long t = strtoll(s, &end, 10);
            if (end == s) return NULL;
            s = end;
            struct tm t2;
            if (!my_gmtime((double)t, &t2)) return NULL;
            *tm = t2;
            break;
        }
        case 'z':
            if (*s == 'Z') {
                s++;
                break;
            }
            if (*s != '+' && *s != '-') return NULL;
            s++;
            for (int i = 0; i < 4 && s; i++) {
                if (i == 2 && *s == ':') s++;
                if (*s < '0' || *s > '9') return NULL;
                s++;
            }
            break;
        case 'Z':
            while ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')) s++;
            break;
        case 'n':
        case 't':
            while (is_space(*s)) s++;
            break;
        case '%':
            if (*s++ != '%') return NULL;
            break;
        default: return NULL;
        }
        if (!s) return NULL;
    }
    if (hour12 >= 0) tm->tm_hour = hour12 % 12 + (pm == 1 ? 12 : 0);
    else if (pm == 1 && tm->tm_hour < 12) tm->tm_hour += 12;
    return s;
}

static Jv f_strptime(Run *r, Jv in, Jv *a) {
    if (in.kind != JV_STRING || a[0].kind != JV_STRING)
        return err_msg(r, in, "strptime/1 requires string inputs and arguments");
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    tm.tm_wday = 8;
    tm.tm_yday = 367;
    const char *s = jv_strval(in);
    const char *end = my_strptime(s, jv_strval(a[0]), &tm);
    if (!end || (*end && !is_space(*end))) {
        StrBuf m;
        sb_init(&m);
        sb_printf(&m, "date \"%s\" does not match format \"%s\"", s, jv_strval(a[0]));
        jv_free(in);
        return jq_fail(r, jv_str_take(&m));
    }
    Jv rest = *end ? jv_str_c(end) : jv_invalid(); /* jq 1.8 appends unparsed trailing blanks */
    jv_free(in);
    if (tm.tm_mday == 0 && tm.tm_yday != 367) {
        /* a day of the year gives the month and day (glibc) */
        struct tm t2;
        if (my_gmtime((double)(days_from_civil(tm.tm_year + 1900LL, 1, 1) + tm.tm_yday) * 86400, &t2)) {
            tm.tm_mon = t2.tm_mon;
            tm.tm_mday = t2.tm_mday;
        }
    }
    if (tm.tm_mday != 0 && tm.tm_mon >= 0 && tm.tm_mon <= 11) {
        struct tm t2;
        if (my_gmtime(my_timegm(&tm), &t2)) {
            tm.tm_wday = t2.tm_wday;
            tm.tm_yday = t2.tm_yday;
        }
    }
    Jv res = tm_to_array(&tm, tm.tm_sec);
    if (jv_valid(rest)) jv_arr_push(&res, rest);
    return res;
}

/* ---------------------------------------------------------------- generators */

static int gen_empty(Run *r, const Node *call, Env *env, Jv in, Jv path, Cont k, void *kctx) {
    (void)r, (void)call, (void)env, (void)k, (void)kctx;
    jv_free(in);
    jv_free(path);
    return JQ_OK;
}

static int gen_path(Run *r, const Node *call, Env *env, Jv in, Jv path, Cont k, void *kctx) {
    return jq_eval_path(r, call->args[0], env, in, path, k, kctx);
}

typedef struct GenCtx {
    const Node *call;
    Env *env;
    Jv in, path;
    Cont k;
    void *kctx;
    double n, count;
    long id;
    Jv acc, accpath;
    bool got;
} GenCtx;

static int select_k(Run *r, void *vc, Jv v, Jv p) {
    GenCtx *c = vc;
    jv_free(p);
    bool t = jv_truthy(v);
    jv_free(v);
    if (!t) return JQ_OK;
    return c->k(r, c->kctx, jv_copy(c->in), jv_copy(c->path));
}

static int gen_select(Run *r, const Node *call, Env *env, Jv in, Jv path, Cont k, void *kctx) {
    GenCtx c = {call, env, in, path, k, kctx, 0, 0, 0, jv_invalid(), jv_invalid(), false};
    int rc = jq_eval(r, call->args[0], env, jv_copy(in), jv_invalid(), select_k, &c);
    jv_free(in);
    jv_free(path);
    return rc;
}

static int getpath_k(Run *r, void *vc, Jv p, Jv pp) {
    GenCtx *c = vc;
    jv_free(pp);
    Jv v = jq_getpath(r, jv_copy(c->in), p);
    if (!jv_valid(v)) {
        jv_free(p);
        return JQ_ERR;
    }
    Jv np = jv_invalid();
    if (c->path.kind == JV_ARRAY) np = jv_arr_concat(jv_copy(c->path), p);
    else {
        if (c->path.kind == JV_NULL) np = jv_null();
        jv_free(p);
    }
    return c->k(r, c->kctx, v, np);
}

static int gen_getpath(Run *r, const Node *call, Env *env, Jv in, Jv path, Cont k, void *kctx) {
    GenCtx c = {call, env, in, path, k, kctx, 0, 0, 0, jv_invalid(), jv_invalid(), false};
    int rc = jq_eval(r, call->args[0], env, jv_copy(in), jv_invalid(), getpath_k, &c);
    jv_free(in);
    jv_free(path);
    return rc;
}

/* recurse(f), recurse(f; cond): depth-first pre-order with an explicit
 * stack; each node's children are f's outputs on it. */
typedef struct Pending {
    Jv *v, *p;
    size_t n, cap;
} Pending;

static int pending_k(Run *r, void *vc, Jv v, Jv p) {
    (void)r;
    Pending *q = vc;
    if (q->n == q->cap) {
        q->cap = q->cap ? q->cap * 2 : 16;
        q->v = xrealloc(q->v, q->cap * sizeof *q->v);
        q->p = xrealloc(q->p, q->cap * sizeof *q->p);
    }
    q->v[q->n] = v;
    q->p[q->n] = p;
    q->n++;
    return JQ_OK;
}

typedef struct CondCtx {
    bool t;
} CondCtx;

static int cond_k(Run *r, void *vc, Jv v, Jv p) {
    (void)r;
    CondCtx *c = vc;
    jv_free(p);
    c->t = jv_truthy(v);
    jv_free(v);
    return JQ_BREAK;
}

/* mode 0: recurse(f; cond) (cond may be NULL); mode 1: while(cond; f);
 * mode 2: until(cond; f); mode 3: repeat(f) */
static int dfs(Run *r, const Node *f, const Node *cond, Env *env, Jv in, Jv path, Cont k, void *kctx, int mode) {
    Pending st = {0};
    pending_k(r, &st, in, path);
    int rc = JQ_OK;
    while (st.n > 0) {
        st.n--;
        Jv v = st.v[st.n], p = st.p[st.n];
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
        bool emit = true, expand = true;
        if (mode == 1 || mode == 2) {
            CondCtx cc = {false};
            int crc = jq_eval(r, cond, env, jv_copy(v), jv_invalid(), cond_k, &cc);
            if (crc == JQ_ERR || crc == JQ_HALT || crc == JQ_STOP) {
                rc = crc;
                jv_free(v);
                jv_free(p);
                continue;
            }
            if (mode == 1) emit = expand = cc.t;
            else {
                emit = cc.t;
                expand = !cc.t;
            }
        }
        if (expand) {
            Pending kids = {0};
            rc = jq_eval(r, f, env, jv_copy(v), jv_copy(p), pending_k, &kids);
            for (size_t i = kids.n; i-- > 0;) {
                bool keep = rc == JQ_OK;
                if (keep && mode == 0 && cond) {
                    CondCtx cc = {false};
                    int crc = jq_eval(r, cond, env, jv_copy(kids.v[i]), jv_invalid(), cond_k, &cc);
                    if (crc == JQ_ERR || crc == JQ_HALT || crc == JQ_STOP) rc = crc;
                    keep = rc == JQ_OK && cc.t;
                }
                if (keep) pending_k(r, &st, kids.v[i], kids.p[i]);
                else {
                    jv_free(kids.v[i]);
                    jv_free(kids.p[i]);
                }
            }
            free(kids.v);
            free(kids.p);
        }
        if (rc != JQ_OK) {
            jv_free(v);
            jv_free(p);
            continue;
        }
        if (emit) rc = k(r, kctx, v, p); /* only while/until (modes 1, 2) hold values back */
        else {
            jv_free(v);
            jv_free(p);
        }
    }
    free(st.v);
    free(st.p);
    return rc;
}

static int gen_recurse0(Run *r, const Node *call, Env *env, Jv in, Jv path, Cont k, void *kctx) {
    (void)call, (void)env;
    return jq_recurse_default(r, in, path, k, kctx);
}
static int gen_recurse1(Run *r, const Node *call, Env *env, Jv in, Jv path, Cont k, void *kctx) {
    return dfs(r, call->args[0], NULL, env, in, path, k, kctx, 0);
}
static int gen_recurse2(Run *r, const Node *call, Env *env, Jv in, Jv path, Cont k, void *kctx) {
    return dfs(r, call->args[0], call->args[1], env, in, path, k, kctx, 0);
}
static int gen_while(Run *r, const Node *call, Env *env, Jv in, Jv path, Cont k, void *kctx) {
    return dfs(r, call->args[1], call->args[0], env, in, path, k, kctx, 1);
}
static int gen_until(Run *r, const Node *call, Env *env, Jv in, Jv path, Cont k, void *kctx) {
    return dfs(r, call->args[1], call->args[0], env, in, path, k, kctx, 2);
}

/* repeat(f): jq 1.8.2 defines it as `def _repeat: f, _repeat;` -- f's
 * outputs on the same input, again and again (inputs uses repeat(input)). */
static int gen_repeat(Run *r, const Node *call, Env *env, Jv in, Jv path, Cont k, void *kctx) {
    int rc = JQ_OK;
    for (;;) {
        if (jq_should_stop(r)) {
            rc = JQ_STOP;
            break;
        }
        rc = jq_eval(r, call->args[0], env, jv_copy(in), jv_copy(path), k, kctx);
        if (rc != JQ_OK) break;
    }
    jv_free(in);
    jv_free(path);
    return rc;
}

/* limit($n; f) */
static int limit_k(Run *r, void *vc, Jv v, Jv p) {
    GenCtx *c = vc;
    c->count++;
    int rc = c->k(r, c->kctx, v, p);
    if (rc == JQ_OK && c->count >= c->n) {
        r->brk = c->id;
        return JQ_BREAK;
    }
    return rc;
}

static int limit_n_k(Run *r, void *vc, Jv n, Jv np) {
    GenCtx *c = vc;
    jv_free(np);
    if (n.kind != JV_NUMBER) {
        /* jq compares: non-numbers are greater than any number */
        bool neg = n.kind == JV_NULL || n.kind == JV_FALSE || n.kind == JV_TRUE;
        jv_free(n);
        if (neg) return jq_error(r, jv_str_c("limit doesn't support negative count"));
        return jq_eval(r, c->call->args[1], c->env, jv_copy(c->in), jv_copy(c->path), c->k, c->kctx);
    }
    double d = jv_numval(n);
    jv_free(n);
    if (d < 0) return jq_error(r, jv_str_c("limit doesn't support negative count"));
    if (d == 0 || isnan(d)) return JQ_OK;
    GenCtx sub = *c;
    sub.n = d;
    sub.count = 0;
    sub.id = ++r->next_label;
    int rc = jq_eval(r, c->call->args[1], c->env, jv_copy(c->in), jv_copy(c->path), limit_k, &sub);
    if (rc == JQ_BREAK && r->brk == sub.id) rc = JQ_OK;
    return rc;
}

static int gen_limit(Run *r, const Node *call, Env *env, Jv in, Jv path, Cont k, void *kctx) {
    GenCtx c = {call, env, in, path, k, kctx, 0, 0, 0, jv_invalid(), jv_invalid(), false};
    int rc = jq_eval(r, call->args[0], env, jv_copy(in), jv_invalid(), limit_n_k, &c);
    jv_free(in);
    jv_free(path);
    return rc;
}

static int first_k(Run *r, void *vc, Jv v, Jv p) {
    GenCtx *c = vc;
    int rc = c->k(r, c->kctx, v, p);
    if (rc == JQ_OK) {
        r->brk = c->id;
        return JQ_BREAK;
    }
    return rc;
}

static int gen_first(Run *r, const Node *call, Env *env, Jv in, Jv path, Cont k, void *kctx) {
    GenCtx c = {call, env, in, path, k, kctx, 0, 0, ++r->next_label, jv_invalid(), jv_invalid(), false};
    int rc = jq_eval(r, call->args[0], env, in, path, first_k, &c);
    if (rc == JQ_BREAK && r->brk == c.id) rc = JQ_OK;
    return rc;
}

static int last_k(Run *r, void *vc, Jv v, Jv p) {
    (void)r;
    GenCtx *c = vc;
    jv_free(c->acc);
    jv_free(c->accpath);
    c->acc = v;
    c->accpath = p;
    c->got = true;
    return JQ_OK;
}

static int gen_last(Run *r, const Node *call, Env *env, Jv in, Jv path, Cont k, void *kctx) {
    GenCtx c = {call, env, in, path, k, kctx, 0, 0, 0, jv_invalid(), jv_invalid(), false};
    int rc = jq_eval(r, call->args[0], env, in, path, last_k, &c);
    if (rc != JQ_OK || !c.got) {
        jv_free(c.acc);
        jv_free(c.accpath);
        jv_free(path);
        return rc;
    }
    return k(r, kctx, c.acc, c.accpath);
}

static int isempty_k(Run *r, void *vc, Jv v, Jv p) {
    GenCtx *c = vc;
    jv_free(v);
    jv_free(p);
    c->got = true;
    r->brk = c->id;
    return JQ_BREAK;
}

static int gen_isempty(Run *r, const Node *call, Env *env, Jv in, Jv path, Cont k, void *kctx) {
    GenCtx c = {call, env, in, path, k, kctx, 0, 0, ++r->next_label, jv_invalid(), jv_invalid(), false};
    int rc = jq_eval(r, call->args[0], env, in, jv_invalid(), isempty_k, &c);
    if (rc == JQ_BREAK && r->brk == c.id) rc = JQ_OK;
    if (rc != JQ_OK) {
        jv_free(path);
        return rc;
    }
    return k(r, kctx, jv_bool(!c.got), pmode_path(path));
}

/* any(gen; cond), all(gen; cond) with short-circuit */
typedef struct AnyCtx {
    GenCtx g;
    bool want; /* any: stop at the first true; all: at the first false */
    bool found;
} AnyCtx;

static int anycond_k(Run *r, void *vc, Jv v, Jv p) {
    AnyCtx *c = vc;
    jv_free(p);
    bool t = jv_truthy(v);
    jv_free(v);
    if (t == c->want) {
        c->found = true;
        r->brk = c->g.id;
        return JQ_BREAK;
    }
    return JQ_OK;
}

static int anygen_k(Run *r, void *vc, Jv v, Jv p) {
    AnyCtx *c = vc;
    jv_free(p);
    return jq_eval(r, c->g.call->args[1], c->g.env, v, jv_invalid(), anycond_k, c);
}

static int anyall(Run *r, const Node *call, Env *env, Jv in, Jv path, Cont k, void *kctx, bool any) {
    AnyCtx c = {{call, env, in, path, k, kctx, 0, 0, ++r->next_label, jv_invalid(), jv_invalid(), false}, any, false};
    int rc = jq_eval(r, call->args[0], env, in, jv_invalid(), anygen_k, &c);
    if (rc == JQ_BREAK && r->brk == c.g.id) rc = JQ_OK;
    if (rc != JQ_OK) {
        jv_free(path);
        return rc;
    }
    bool res = any ? c.found : !c.found;
    return k(r, kctx, jv_bool(res), pmode_path(path));
}
static int gen_any2(Run *r, const Node *call, Env *env, Jv in, Jv path, Cont k, void *kctx) {
    return anyall(r, call, env, in, path, k, kctx, true);
}
static int gen_all2(Run *r, const Node *call, Env *env, Jv in, Jv path, Cont k, void *kctx) {
    return anyall(r, call, env, in, path, k, kctx, false);
}

/* range($from; $upto) and range($from; $upto; $by): $from outermost */
typedef struct RangeCtx {
    const Node *call;
    Env *env;
    Jv in;
    Jv from, upto;
    bool path;
    Cont k;
    void *kctx;
} RangeCtx;

static int range_emit(Run *r, RangeCtx *c, Jv by) {
    if (c->from.kind != JV_NUMBER || c->upto.kind != JV_NUMBER)
        return jq_error(r, jv_str_c("Range bounds must be numeric"));
    double a = jv_numval(c->from), b = jv_numval(c->upto);
    double step = by.kind == JV_NUMBER ? jv_numval(by) : 1;
    if (by.kind != JV_NUMBER && by.kind != JV_INVALID) {
        Jv e = jq_binop(r, OP_ADD, jv_copy(c->from), jv_copy(by));
        if (!jv_valid(e)) return JQ_ERR;
        jv_free(e);
        return JQ_OK;
    }
    int rc = JQ_OK;
    if (step > 0) {
        for (double x = a; x < b && rc == JQ_OK; x += step) {
            if (jq_should_stop(r)) return JQ_STOP;
            rc = c->k(r, c->kctx, x == a ? jv_copy(c->from) : jv_num(x), c->path ? jv_null() : jv_invalid());
        }
    } else if (step < 0) {
        for (double x = a; x > b && rc == JQ_OK; x += step) {
            if (jq_should_stop(r)) return JQ_STOP;
            rc = c->k(r, c->kctx, x == a ? jv_copy(c->from) : jv_num(x), c->path ? jv_null() : jv_invalid());
        }
    }
    return rc;
}

static int range_by_k(Run *r, void *vc, Jv by, Jv p) {
    RangeCtx *c = vc;
    jv_free(p);
    int rc = range_emit(r, c, by);
    jv_free(by);
    return rc;
}

static int range_upto_k(Run *r, void *vc, Jv upto, Jv p) {
    RangeCtx *c = vc;
    jv_free(p);
    Jv saved = c->upto;
    c->upto = upto;
    int rc;
    if (c->call->nargs == 3) rc = jq_eval(r, c->call->args[2], c->env, jv_copy(c->in), jv_invalid(), range_by_k, c);
    else rc = range_emit(r, c, jv_invalid());
    jv_free(c->upto);
    c->upto = saved;
    return rc;
}

static int range_from_k(Run *r, void *vc, Jv from, Jv p) {
    RangeCtx *c = vc;
    jv_free(p);
    Jv saved = c->from;
    c->from = from;
    int rc = jq_eval(r, c->call->args[1], c->env, jv_copy(c->in), jv_invalid(), range_upto_k, c);
    jv_free(c->from);
    c->from = saved;
    return rc;
}

static int gen_range(Run *r, const Node *call, Env *env, Jv in, Jv path, Cont k, void *kctx) {
    RangeCtx c = {call, env, in, jv_invalid(), jv_invalid(), path.kind != JV_INVALID, k, kctx};
    jv_free(path);
    int rc = jq_eval(r, call->args[0], env, jv_copy(in), jv_invalid(), range_from_k, &c);
    jv_free(in);
    return rc;
}

/* sort_by(f), group_by(f), unique_by(f), min_by(f), max_by(f): keys are [f]. */
static int by_impl(Run *r, const Node *call, Env *env, Jv in, Jv path, Cont k, void *kctx, int which) {
    if (in.kind != JV_ARRAY && in.kind != JV_OBJECT) {
        jv_free(path);
        StrBuf m;
        sb_init(&m);
        sb_puts(&m, "Cannot iterate over ");
        jq_describe(&m, in);
        jv_free(in);
        return jq_error(r, jv_str_take(&m));
    }
    size_t n = in.kind == JV_ARRAY ? jv_arr_len(in) : jv_obj_len(in);
    Jv pairs = jv_arr_sized(n);
    for (size_t i = 0; i < n; i++) {
        Jv x = jv_copy(in.kind == JV_ARRAY ? jv_arr_at(in, i) : jv_obj_val_at(in, i));
        Jv key;
        int rc = jq_collect(r, call->args[0], env, jv_copy(x), &key);
        if (rc != JQ_OK) {
            jv_free(x);
            jv_free(pairs);
            jv_free(in);
            jv_free(path);
            return rc;
        }
        Jv pr = jv_arr_sized(3);
        jv_arr_push(&pr, key);
        jv_arr_push(&pr, jv_num((double)i));
        jv_arr_push(&pr, x);
        jv_arr_push(&pairs, pr);
    }
    if (in.kind == JV_OBJECT) {
        Jv keys = jv_arr();
        for (size_t i = 0; i < n; i++) jv_arr_push(&keys, jv_copy(jv_arr_at(jv_arr_at(pairs, i), 0)));
        jv_free(pairs);
        jv_free(path);
        Jv e = err2_desc(r, in, keys, "cannot be sorted, as they are not both arrays");
        (void)e;
        return JQ_ERR;
    }
    jv_free(in);
    if (which >= 3) {
        /* min_by / max_by: first minimum, last maximum (as jq) */
        Jv res = jv_null();
        if (n > 0) {
            size_t best = 0;
            for (size_t i = 1; i < n; i++) {
                int c = jv_cmp(jv_arr_at(jv_arr_at(pairs, i), 0), jv_arr_at(jv_arr_at(pairs, best), 0));
                if (which == 3 ? c < 0 : c >= 0) best = i;
            }
            res = jv_copy(jv_arr_at(jv_arr_at(pairs, best), 2));
        }
        jv_free(pairs);
        return k(r, kctx, res, pmode_path(path));
    }
    jv_unshare(&pairs);
    jv_sort_values(pairs.u.a->v, n); /* [key, index, value]: stable by index */
    Jv res = jv_arr();
    if (which == 0) {
        for (size_t i = 0; i < n; i++) jv_arr_push(&res, jv_copy(jv_arr_at(jv_arr_at(pairs, i), 2)));
    } else {
        Jv group = jv_invalid();
        for (size_t i = 0; i < n; i++) {
            Jv pr = jv_arr_at(pairs, i);
            bool same = i > 0 && jv_cmp(jv_arr_at(jv_arr_at(pairs, i - 1), 0), jv_arr_at(pr, 0)) == 0;
            if (which == 1) {
                if (!same) {
                    if (jv_valid(group)) jv_arr_push(&res, group);
                    group = jv_arr();
                }
                jv_arr_push(&group, jv_copy(jv_arr_at(pr, 2)));
            } else if (!same) {
                jv_arr_push(&res, jv_copy(jv_arr_at(pr, 2)));
            }
        }
        if (jv_valid(group)) jv_arr_push(&res, group);
    }
    jv_free(pairs);
    return k(r, kctx, res, pmode_path(path));
}

static int gen_sort_by(Run *r, const Node *c, Env *e, Jv in, Jv p, Cont k, void *x) { return by_impl(r, c, e, in, p, k, x, 0); }
static int gen_group_by(Run *r, const Node *c, Env *e, Jv in, Jv p, Cont k, void *x) { return by_impl(r, c, e, in, p, k, x, 1); }
static int gen_unique_by(Run *r, const Node *c, Env *e, Jv in, Jv p, Cont k, void *x) { return by_impl(r, c, e, in, p, k, x, 2); }
static int gen_min_by(Run *r, const Node *c, Env *e, Jv in, Jv p, Cont k, void *x) { return by_impl(r, c, e, in, p, k, x, 3); }
static int gen_max_by(Run *r, const Node *c, Env *e, Jv in, Jv p, Cont k, void *x) { return by_impl(r, c, e, in, p, k, x, 4); }

static int gen_input(Run *r, const Node *call, Env *env, Jv in, Jv path, Cont k, void *kctx) {
    (void)call, (void)env;
    jv_free(in);
    Jv v, err = jv_invalid();
    int got = jq_session_input(r->s, &v, &err);
    if (got < 0) {
        jv_free(path);
        return jq_error(r, err);
    }
    if (got == 0) {
        jv_free(path);
        return jq_error(r, jv_str_c("No more inputs"));
    }
    return k(r, kctx, v, pmode_path(path));
}

static int gen_inputs(Run *r, const Node *call, Env *env, Jv in, Jv path, Cont k, void *kctx) {
    (void)call, (void)env;
    jv_free(in);
    int rc = JQ_OK;
    while (rc == JQ_OK) {
        Jv v, err = jv_invalid();
        int got = jq_session_input(r->s, &v, &err);
        if (got < 0) {
            rc = jq_error(r, err);
            break;
        }
        if (got == 0) break;
        rc = k(r, kctx, v, pmode_path(path));
    }
    jv_free(path);
    return rc;
}

static int gen_builtins(Run *r, const Node *call, Env *env, Jv in, Jv path, Cont k, void *kctx) {
    (void)call, (void)env;
    jv_free(in);
    Jv list = jv_arr();
    for (int i = 0; i < jq_native_count; i++) {
        if (jq_natives[i].name[0] == '_') continue;
        char buf[64];
        snprintf(buf, sizeof buf, "%s/%d", jq_natives[i].name, jq_natives[i].arity);
        jv_arr_push(&list, jv_str_c(buf));
    }
    jq_session_builtin_names(r->s, &list);
    return k(r, kctx, list, pmode_path(path));
}

/* ---------------------------------------------------------------- the table */

#define V(n, a, f) {n, a, f, NULL}
#define G(n, a, g) {n, a, NULL, g}

const Native jq_natives[] = {
    V("not", 0, f_not), V("length", 0, f_length), V("utf8bytelength", 0, f_utf8bytelength),
    V("type", 0, f_type), V("keys", 0, f_keys), V("keys_unsorted", 0, f_keys_unsorted),
    V("to_entries", 0, f_to_entries), V("has", 1, f_has), V("contains", 1, f_contains),
    V("add", 0, f_add), V("tostring", 0, f_tostring), V("tojson", 0, f_tojson),
    V("fromjson", 0, f_fromjson), V("tonumber", 0, f_tonumber), V("toboolean", 0, f_toboolean),
    V("error", 0, f_error0), V("startswith", 1, f_startswith), V("endswith", 1, f_endswith),
    V("trim", 0, f_trim), V("ltrim", 0, f_ltrim), V("rtrim", 0, f_rtrim), V("split", 1, f_split1),
    V("explode", 0, f_explode), V("implode", 0, f_implode), V("ascii_downcase", 0, f_ascii_downcase),
    V("ascii_upcase", 0, f_ascii_upcase), V("reverse", 0, f_reverse), V("_strindices", 1, f_strindices),
    V("sort", 0, f_sort), V("unique", 0, f_unique), V("min", 0, f_min), V("max", 0, f_max),
    V("flatten", 0, f_flatten0), V("flatten", 1, f_flatten1), V("setpath", 2, f_setpath),
    V("delpaths", 1, f_delpaths), V("bsearch", 1, f_tojson_tostring_bsearch),
    V("infinite", 0, f_infinite), V("nan", 0, f_nan), V("isinfinite", 0, f_isinfinite),
    V("isnan", 0, f_isnan), V("isnormal", 0, f_isnormal), V("have_decnum", 0, f_true),
    V("have_literal_numbers", 0, f_true), V("env", 0, f_env), V("input_filename", 0, f_input_filename),
    V("input_line_number", 0, f_zero), V("get_search_list", 0, f_search_list), V("now", 0, f_now),
    V("debug", 0, f_debug), V("stderr", 0, f_stderr), V("halt", 0, f_halt),
    V("halt_error", 1, f_halt_error), V("_getpath", 1, f_getpath_v), V("format", 1, f_format),
    V("_ltrimstr", 1, f_ltrimstr), V("_rtrimstr", 1, f_rtrimstr),
    V("frexp", 0, f_frexp), V("modf", 0, f_modf), V("lgamma_r", 0, f_lgamma_r), V("fma", 3, f_fma),
    V("jn", 2, f_jn2), V("yn", 2, f_yn2),
    V("mktime", 0, f_mktime), V("gmtime", 0, f_gmtime), V("localtime", 0, f_localtime),
    V("strftime", 1, f_strftime), V("strflocaltime", 1, f_strflocaltime), V("strptime", 1, f_strptime),
    V("acos", 0, f_m1_0), V("acosh", 0, f_m1_1), V("asin", 0, f_m1_2), V("asinh", 0, f_m1_3),
    V("atan", 0, f_m1_4), V("atanh", 0, f_m1_5), V("cbrt", 0, f_m1_6), V("ceil", 0, f_m1_7),
    V("cos", 0, f_m1_8), V("cosh", 0, f_m1_9), V("erf", 0, f_m1_10), V("erfc", 0, f_m1_11),
    V("exp", 0, f_m1_12), V("exp10", 0, f_m1_13), V("exp2", 0, f_m1_14), V("expm1", 0, f_m1_15),
    V("fabs", 0, f_m1_16), V("floor", 0, f_m1_17), V("gamma", 0, f_m1_18), V("j0", 0, f_m1_19),
    V("j1", 0, f_m1_20), V("lgamma", 0, f_m1_21), V("log", 0, f_m1_22), V("log10", 0, f_m1_23),
    V("log1p", 0, f_m1_24), V("log2", 0, f_m1_25), V("logb", 0, f_m1_26), V("nearbyint", 0, f_m1_27),
    V("rint", 0, f_m1_28), V("round", 0, f_m1_29), V("significand", 0, f_m1_30), V("sin", 0, f_m1_31),
    V("sinh", 0, f_m1_32), V("sqrt", 0, f_m1_33), V("tan", 0, f_m1_34), V("tanh", 0, f_m1_35),
    V("tgamma", 0, f_m1_36), V("trunc", 0, f_m1_37), V("y0", 0, f_m1_38), V("y1", 0, f_m1_39),
    V("atan2", 2, f_m2_0), V("copysign", 2, f_m2_1), V("drem", 2, f_m2_2), V("fdim", 2, f_m2_3),
    V("fmax", 2, f_m2_4), V("fmin", 2, f_m2_5), V("fmod", 2, f_m2_6), V("hypot", 2, f_m2_7),
    V("ldexp", 2, f_m2_8), V("nextafter", 2, f_m2_9), V("nexttoward", 2, f_m2_10), V("pow", 2, f_m2_11),
    V("remainder", 2, f_m2_12), V("scalb", 2, f_m2_13), V("scalbln", 2, f_m2_14),
    V("_match_impl", 3, jq_match_impl),
    G("empty", 0, gen_empty), G("path", 1, gen_path), G("select", 1, gen_select),
    G("getpath", 1, gen_getpath), G("recurse", 0, gen_recurse0), G("recurse", 1, gen_recurse1),
    G("recurse", 2, gen_recurse2), G("while", 2, gen_while), G("until", 2, gen_until),
    G("repeat", 1, gen_repeat), G("limit", 2, gen_limit), G("first", 1, gen_first),
    G("last", 1, gen_last), G("isempty", 1, gen_isempty), G("any", 2, gen_any2), G("all", 2, gen_all2),
    G("range", 2, gen_range), G("range", 3, gen_range), G("sort_by", 1, gen_sort_by),
    G("group_by", 1, gen_group_by), G("unique_by", 1, gen_unique_by), G("min_by", 1, gen_min_by),
    G("max_by", 1, gen_max_by), G("input", 0, gen_input), G("inputs", 0, gen_inputs),
    G("builtins", 0, gen_builtins),
};

const int jq_native_count = (int)(sizeof jq_natives / sizeof jq_natives[0]);

int jq_native_find(const char *name, int arity) {
    for (int i = 0; i < jq_native_count; i++)
        if (jq_natives[i].arity == arity && !strcmp(jq_natives[i].name, name)) return i;
    return -1;
}
