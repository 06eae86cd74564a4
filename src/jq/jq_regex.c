/* jq_regex.c - _match_impl, the native under jq's regex builtins (test,
 * match, capture, scan, splits, split/2, sub, gsub are jq code in the
 * prelude), on wasmsh's engine in its Perl dialect. Offsets and lengths are
 * in code points, as jq reports them. */
#include "jq_int.h"
#include "regex.h"

#include <stdlib.h>
#include <string.h>

/* Names of the capture groups in order: scans the pattern for "(" that
 * open groups, skipping escapes and bracket expressions. */
static void group_names(const char *p, size_t n, StrList *names) {
    bool in_class = false;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (c == '\\') {
            i++;
            continue;
        }
        if (in_class) {
            if (c == ']') in_class = false;
            continue;
        }
        if (c == '[') {
            in_class = true;
            if (i + 1 < n && p[i + 1] == '^') i++;
            if (i + 1 < n && p[i + 1] == ']') i++;
            continue;
        }
        if (c != '(') continue;
        if (i + 1 < n && p[i + 1] == '*') continue; /* (*VERB) */
        if (i + 1 >= n || p[i + 1] != '?') {
            sl_push_copy(names, "");
            continue;
        }
        /* (?<name>  (?P<name>  (?'name' */
        size_t j = i + 2;
        if (j < n && p[j] == 'P') j++;
        if (j < n && (p[j] == '<' || p[j] == '\'') && j + 1 < n && p[j + 1] != '=' && p[j + 1] != '!') {
            char close = p[j] == '<' ? '>' : '\'';
            size_t s = j + 1, e = s;
            while (e < n && p[e] != close) e++;
            char *nm = xstrndup(p + s, e - s);
            sl_push(names, nm);
        }
    }
}

typedef struct CpCounter {
    const char *s;
    size_t byte; /* position counted so far */
    size_t cps;
} CpCounter;

/* Code points in s[0..b): incremental for increasing b. */
static long cp_at(CpCounter *c, size_t b) {
    if (b < c->byte) {
        c->byte = 0;
        c->cps = 0;
    }
    for (; c->byte < b; c->byte++)
        if (((unsigned char)c->s[c->byte] & 0xC0) != 0x80) c->cps++;
    return (long)c->cps;
}

static Jv capture_obj(const char *s, CpCounter *cc, RxSpan sp, const char *name) {
    Jv o = jv_obj();
    if (sp.so < 0) {
        jv_obj_set(&o, jv_str_c("offset"), jv_num(-1));
        jv_obj_set(&o, jv_str_c("string"), jv_null());
        jv_obj_set(&o, jv_str_c("length"), jv_num(0));
    } else {
        long off = cp_at(cc, (size_t)sp.so);
        long end = cp_at(cc, (size_t)sp.eo);
        jv_obj_set(&o, jv_str_c("offset"), jv_num((double)off));
        jv_obj_set(&o, jv_str_c("length"), jv_num((double)(end - off)));
        jv_obj_set(&o, jv_str_c("string"), jv_str(s + sp.so, (size_t)(sp.eo - sp.so)));
    }
    if (name) jv_obj_set(&o, jv_str_c("name"), name[0] ? jv_str_c(name) : jv_null());
    return o;
}

static bool stop_hook(void *ctx) { return jq_should_stop(ctx); }

/* _match_impl(re; flags; testmode): an array of match objects, or a boolean. */
Jv jq_match_impl(Run *r, Jv in, Jv *a) {
    Jv re = a[0], fl = a[1], testmode = a[2];
    if (in.kind != JV_STRING) {
        StrBuf m;
        sb_init(&m);
        jq_describe(&m, in);
        sb_puts(&m, " cannot be matched, as it is not a string");
        jv_free(in);
        return jq_fail(r, jv_str_take(&m));
    }
    if (re.kind != JV_STRING) {
        StrBuf m;
        sb_init(&m);
        jq_describe(&m, re);
        sb_puts(&m, " is not a string");
        jv_free(in);
        return jq_fail(r, jv_str_take(&m));
    }
    bool global = false, noempty = false;
    unsigned cflags = 0;
    if (fl.kind == JV_STRING) {
        for (const char *f = jv_strval(fl); *f; f++) {
            switch (*f) {
            case 'g': global = true; break;
            case 'i': cflags |= RX_ICASE; break;
            case 'x': cflags |= RX_EXTENDED; break;
            case 'n': noempty = true; break;
            case 'p': cflags |= RX_DOTALL; break;
            case 's': break; /* single line: ^ and $ at the ends only (the default) */
            case 'l': break; /* longest: the leftmost-first match is kept */
            default: {
                StrBuf m;
                sb_init(&m);
                sb_printf(&m, "%s is not a valid modifier string", jv_strval(fl));
                jv_free(in);
                return jq_fail(r, jv_str_take(&m));
            }
            }
        }
    } else if (fl.kind != JV_NULL) {
        StrBuf m;
        sb_init(&m);
        jq_describe(&m, fl);
        sb_puts(&m, " is not a string");
        jv_free(in);
        return jq_fail(r, jv_str_take(&m));
    }
    RxError err;
    Regex *rx = rx_compile(jv_strval(re), jv_strlen(re), RX_PERL, cflags, &err);
    if (!rx) {
        StrBuf m;
        sb_init(&m);
        sb_printf(&m, "%s (at offset %ld) is not a valid regex: %s", jv_strval(re), err.offset < 0 ? 0 : err.offset,
                  err.msg ? err.msg : "error");
        jv_free(in);
        return jq_fail(r, jv_str_take(&m));
    }
    const char *s = jv_strval(in);
    size_t n = jv_strlen(in);
    int ng = rx_ngroups(rx);
    RxSpan *caps = xmalloc((size_t)(ng + 1) * sizeof *caps);
    RxExec ex = {noempty ? RX_NOTEMPTY : 0, stop_hook, r};
    bool test = jv_truthy(testmode);
    StrList names;
    sl_init(&names);
    if (!test) group_names(jv_strval(re), jv_strlen(re), &names);
    Jv result = test ? jv_bool(false) : jv_arr();
    CpCounter cc = {s, 0, 0};
    size_t start = 0;
    for (;;) {
        int m = rx_search(rx, s, n, start, &ex, caps, (size_t)ng + 1);
        if (m == RX_BUDGET || m == RX_ENOMEM) {
            jv_free(result);
            result = jq_fail(r, jv_str_c(m == RX_BUDGET ? "regex search stopped" : "regex: out of memory"));
            break;
        }
        if (m != RX_MATCH) break;
        if (test) {
            jv_free(result);
            result = jv_bool(true);
            break;
        }
        Jv mo = capture_obj(s, &cc, caps[0], NULL);
        Jv cl = jv_arr();
        for (int g = 1; g <= ng; g++)
            jv_arr_push(&cl, capture_obj(s, &cc, caps[g], (size_t)g - 1 < names.n ? names.v[g - 1] : ""));
        jv_obj_set(&mo, jv_str_c("captures"), cl);
        jv_arr_push(&result, mo);
        if (!global) break;
        /* jq 1.8: after an empty match advance one byte; go on up to the end */
        start = caps[0].eo == caps[0].so ? (size_t)caps[0].eo + 1 : (size_t)caps[0].eo;
        if (start > n) break;
    }
    sl_free(&names);
    free(caps);
    rx_free(rx);
    jv_free(in);
    return result;
}
