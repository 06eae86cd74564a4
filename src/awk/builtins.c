/* builtins.c - awk's built-in functions (POSIX and the gawk extensions
 * agents use), array sorting for asort/asorti and PROCINFO["sorted_in"],
 * and rand/srand (a BSD random(3) generator seeded as gawk seeds it).
 *
 * Arguments arrive as values on the machine's stack: arrays as V_ARRAY,
 * regex constants as V_REGEX, the sub/gsub target as the top LRef. */
#include "awkint.h"
#include "datetime.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---------------------------------------------------------------- regex arguments */

static Regex *arg_regex(Awk *a, Value *v) {
    if (v->type == V_REGEX) return awk_const_re(a, (int)v->num);
    return awk_dynregex(a, awkv_tostr(a, v));
}

/* ---------------------------------------------------------------- rand */

static uint32_t good_rand(int64_t x) {
    int64_t hi = x / 127773, lo = x % 127773;
    x = 16807 * lo - 2836 * hi;
    if (x <= 0) x += 0x7fffffff;
    return (uint32_t)x;
}

static uint32_t next_random(Awk *a) {
    uint32_t *st = a->rstate;
    st[a->rfptr] += st[a->rrptr];
    uint32_t i = (st[a->rfptr] >> 1) & 0x7fffffff;
    if (++a->rfptr >= 63) {
        a->rfptr = 0;
        ++a->rrptr;
    } else if (++a->rrptr >= 63) {
        a->rrptr = 0;
    }
    return i;
}

static void seed_random(Awk *a, uint32_t seed) {
    a->rstate[0] = seed;
    for (int i = 1; i < 63; i++) a->rstate[i] = good_rand((int64_t)a->rstate[i - 1]);
    a->rfptr = 1;
    a->rrptr = 0;
    for (int i = 0; i < 630; i++) next_random(a);
}

void awk_srand_init(Awk *a) {
    seed_random(a, 1);
    a->seed = 1;
}

static double do_rand(Awk *a) {
    double t;
    do {
        double d1 = next_random(a), d2 = next_random(a);
        t = 0.5 + ((d1 / 2147483648.0 + d2) / 2147483648.0);
        t -= 0.5;
    } while (t == 1.0);
    return t;
}

/* ---------------------------------------------------------------- case mapping */

static unsigned long case_map(unsigned long c, bool upper) {
    if (c < 0x80) {
        if (upper && c >= 'a' && c <= 'z') return c - 32;
        if (!upper && c >= 'A' && c <= 'Z') return c + 32;
        return c;
    }
    if (upper) {
        if ((c >= 0xE0 && c <= 0xFE && c != 0xF7)) return c - 0x20;
        if (c == 0xFF) return 0x178;
        if (c >= 0x100 && c <= 0x17F && c != 0x130 && c != 0x131 && c != 0x138 && c != 0x149 && c != 0x17F) {
            bool odd_upper = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
            if (odd_upper ? (c % 2 == 0) : (c % 2 == 1)) return c - 1;
            return c;
        }
        if (c >= 0x3B1 && c <= 0x3C9 && c != 0x3C2) return c - 0x20;
        if (c == 0x3C2) return 0x3A3;
        if (c >= 0x430 && c <= 0x44F) return c - 0x20;
        if (c >= 0x450 && c <= 0x45F) return c - 0x50;
        return c;
    }
    if ((c >= 0xC0 && c <= 0xDE && c != 0xD7)) return c + 0x20;
    if (c == 0x178) return 0xFF;
    if (c >= 0x100 && c <= 0x17F && c != 0x130 && c != 0x131 && c != 0x138 && c != 0x149 && c != 0x17F) {
        bool odd_upper = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
        if (odd_upper ? (c % 2 == 1) : (c % 2 == 0)) return c + 1;
        return c;
    }
    if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2) return c + 0x20;
    if (c >= 0x410 && c <= 0x42F) return c + 0x20;
    if (c >= 0x400 && c <= 0x40F) return c + 0x50;
    return c;
}

static void put_utf8(StrBuf *b, unsigned long c) {
    if (c < 0x80) sb_putc(b, (char)c);
    else if (c < 0x800) {
        sb_putc(b, (char)(0xC0 | (c >> 6)));
        sb_putc(b, (char)(0x80 | (c & 0x3F)));
    } else {
        sb_putc(b, (char)(0xE0 | (c >> 12)));
        sb_putc(b, (char)(0x80 | ((c >> 6) & 0x3F)));
        sb_putc(b, (char)(0x80 | (c & 0x3F)));
    }
}

static AwkStr *change_case(Awk *a, AwkStr *s, bool upper) {
    if (!a->utf8) {
        AwkStr *r = astr_new(s->s, s->len);
        for (size_t i = 0; i < r->len; i++) {
            char c = r->s[i];
            if (upper && c >= 'a' && c <= 'z') r->s[i] = (char)(c - 32);
            else if (!upper && c >= 'A' && c <= 'Z') r->s[i] = (char)(c + 32);
        }
        return r;
    }
    StrBuf b;
    sb_init(&b);
    for (size_t i = 0; i < s->len;) {
        size_t k = awk_char_offset(a, s->s + i, s->len - i, 1);
        unsigned char c0 = (unsigned char)s->s[i];
        unsigned long cp;
        if (k == 1) cp = c0;
        else if (k == 2) cp = ((c0 & 0x1Fu) << 6) | ((unsigned char)s->s[i + 1] & 0x3Fu);
        else cp = 0x110000;
        if (k <= 2 && (k == 1 ? c0 < 0x80 : true)) put_utf8(&b, case_map(cp, upper));
        else sb_put(&b, s->s + i, k);
        i += k;
    }
    AwkStr *r = astr_new(b.s ? b.s : "", b.len);
    sb_free(&b);
    return r;
}

/* ---------------------------------------------------------------- strings */

static double do_index(Awk *a, AwkStr *s, AwkStr *t) {
    if (t->len == 0) return 1;
    for (size_t i = 0; i + t->len <= s->len; i++) {
        bool eq;
        if (a->icase) {
            eq = true;
            for (size_t j = 0; j < t->len && eq; j++) {
                int x = (unsigned char)s->s[i + j], y = (unsigned char)t->s[j];
                if (x >= 'A' && x <= 'Z') x += 32;
                if (y >= 'A' && y <= 'Z') y += 32;
                eq = x == y;
            }
        } else {
            eq = s->s[i] == t->s[0] && !memcmp(s->s + i, t->s, t->len);
        }
        if (eq) return (double)awk_strlen(a, s->s, i) + 1;
        if (a->utf8) {
            /* advance by whole characters */
            size_t k = awk_char_offset(a, s->s + i, s->len - i, 1);
            i += k - 1;
        }
    }
    return 0;
}

static AwkStr *do_substr(Awk *a, AwkStr *s, double m, bool has_n, double n) {
    double start = isnan(m) ? 1 : trunc(m);
    if (start < 1) start = 1;
    size_t chars = awk_strlen(a, s->s, s->len);
    if (has_n) {
        if (!(n >= 1)) return astr_ref(a->empty);
        n = trunc(n);
    } else {
        n = (double)chars;
    }
    if (start > (double)chars) return astr_ref(a->empty);
    size_t from = awk_char_offset(a, s->s, s->len, (size_t)start - 1);
    double maxn = (double)chars - (start - 1);
    size_t len = n > maxn ? (size_t)maxn : (size_t)n;
    size_t nb = awk_char_offset(a, s->s + from, s->len - from, len);
    return astr_new(s->s + from, nb);
}

/* ---------------------------------------------------------------- split */

typedef struct SplitCtx {
    Awk *a;
    Array *arr;
    Array *seps;
    size_t n;
    bool pending_sep0;
} SplitCtx;

static void set_elem_num_key(Awk *a, Array *arr, double k, Value v) {
    Value key = awkv_num(k);
    Value *e = awka_get(a, arr, &key, true);
    awkv_free(e);
    *e = v;
}

static void split_emit(void *ctx, const char *p, size_t n, bool is_sep) {
    SplitCtx *c = ctx;
    if (is_sep) {
        if (c->seps) set_elem_num_key(c->a, c->seps, (double)c->n, awkv_strnum(astr_new(p, n)));
        return;
    }
    c->n++;
    set_elem_num_key(c->a, c->arr, (double)c->n, awkv_strnum(astr_new(p, n)));
}

static bool do_split(Awk *a, int nargs, Value *args, Value *ret) {
    AwkStr *s = astr_ref(awkv_tostr(a, &args[0]));
    Array *arr = args[1].arr;
    Array *seps = nargs == 4 ? args[3].arr : NULL;
    FsSpec spec;
    bool ok;
    if (nargs >= 3) {
        Value *sep = &args[2];
        if (sep->type == V_REGEX) {
            memset(&spec, 0, sizeof spec);
            spec.kind = FS_REGEX;
            spec.re = awk_const_re(a, (int)sep->num);
            ok = true;
            if (sep->str->len == 1 && sep->str->s[0] == ' ') spec.kind = FS_CHAR, spec.ch = ' ';
        } else {
            ok = awk_fs_make(a, &spec, awkv_tostr(a, sep), true);
        }
    } else {
        ok = awk_fs_make(a, &spec, awkv_tostr(a, &a->g[G_FS].v), true);
    }
    if (!ok) {
        astr_unref(s);
        return false;
    }
    awka_clear(arr);
    if (seps) awka_clear(seps);
    SplitCtx ctx = {a, arr, seps, 0, false};
    ok = awk_fs_split(a, &spec, s->s, s->len, split_emit, &ctx);
    awk_fs_free(&spec);
    astr_unref(s);
    *ret = awkv_num((double)ctx.n);
    return ok;
}

static bool do_patsplit(Awk *a, int nargs, Value *args, Value *ret) {
    AwkStr *s = astr_ref(awkv_tostr(a, &args[0]));
    Array *arr = args[1].arr;
    Array *seps = nargs == 4 ? args[3].arr : NULL;
    Regex *re = nargs >= 3 ? arg_regex(a, &args[2]) : a->fpat;
    if (!re) {
        astr_unref(s);
        if (!a->fatal) awk_fatal(a, "patsplit: FPAT is not set");
        return false;
    }
    awka_clear(arr);
    if (seps) awka_clear(seps);
    size_t n = 0, i = 0, prev_end = 0;
    while (i <= s->len) {
        RxSpan m[1];
        int r = awk_search(a, re, s->s, s->len, i, i > 0, m, 1);
        if (r < 0) { astr_unref(s); return false; }
        if (r != RX_MATCH) break;
        if (m[0].eo == m[0].so) {
            i = (size_t)m[0].so + 1;
            continue;
        }
        if (seps && ((size_t)m[0].so > prev_end || n == 0))
            set_elem_num_key(a, seps, (double)n, awkv_strnum(astr_new(s->s + prev_end, (size_t)m[0].so - prev_end)));
        n++;
        set_elem_num_key(a, arr, (double)n, awkv_strnum(astr_new(s->s + m[0].so, (size_t)(m[0].eo - m[0].so))));
        prev_end = (size_t)m[0].eo;
        i = prev_end;
    }
    if (seps && prev_end < s->len) set_elem_num_key(a, seps, (double)n, awkv_strnum(astr_new(s->s + prev_end, s->len - prev_end)));
    astr_unref(s);
    *ret = awkv_num((double)n);
    return true;
}

/* ---------------------------------------------------------------- sub, gsub, gensub */

/* Appends the replacement for one match (sub/gsub rules of gawk). */
static void sub_replacement(StrBuf *out, AwkStr *repl, const char *m, size_t mlen) {
    const char *r = repl->s;
    size_t n = repl->len;
    for (size_t i = 0; i < n; i++) {
        char c = r[i];
        if (c == '&') {
            sb_put(out, m, mlen);
        } else if (c == '\\') {
            if (i + 3 < n + 0 && !strncmp(r + i, "\\\\\\&", 4)) {
                sb_puts(out, "\\&");
                i += 3;
            } else if (i + 3 < n + 0 && !strncmp(r + i, "\\\\\\\\", 4)) {
                sb_puts(out, "\\\\");
                i += 3;
            } else if (i + 2 < n && !strncmp(r + i, "\\\\&", 3)) {
                sb_putc(out, '\\');
                sb_put(out, m, mlen);
                i += 2;
            } else if (i + 1 < n && r[i + 1] == '&') {
                sb_putc(out, '&');
                i++;
            } else {
                sb_putc(out, c);
            }
        } else {
            sb_putc(out, c);
        }
    }
}

static void gensub_replacement(StrBuf *out, AwkStr *repl, const char *s, const RxSpan *caps, int ncaps) {
    const char *r = repl->s;
    size_t n = repl->len;
    for (size_t i = 0; i < n; i++) {
        char c = r[i];
        if (c == '&') {
            sb_put(out, s + caps[0].so, (size_t)(caps[0].eo - caps[0].so));
        } else if (c == '\\' && i + 1 < n) {
            char d = r[++i];
            if (d >= '0' && d <= '9') {
                int g = d - '0';
                if (g < ncaps && caps[g].so >= 0) sb_put(out, s + caps[g].so, (size_t)(caps[g].eo - caps[g].so));
            } else {
                sb_putc(out, d);
            }
        } else {
            sb_putc(out, c);
        }
    }
}

/* The substitution loop shared by sub/gsub/gensub: how_many < 0 = all, else
 * only the how_many-th match (gensub) or the first (sub). */
static bool substitute(Awk *a, Regex *re, AwkStr *repl, AwkStr *text, long how_many, bool gensub, StrBuf *out, long *count) {
    const char *s = text->s;
    size_t n = text->len, pos = 0, copied = 0;
    long current = 0;
    int ng = rx_ngroups(re) + 1;
    if (ng > 10) ng = 10;
    RxSpan caps[10];
    bool last_nonempty = false;
    size_t last_end = (size_t)-1;
    *count = 0;
    unsigned iter = 0;
    while (pos <= n) {
        if ((++iter & 4095) == 0 && awk_should_stop(a)) return false;
        if (out->len > AWK_MAX_STRING) {
            awk_fatal(a, "string too long (the limit is %d bytes)", AWK_MAX_STRING);
            return false;
        }
        int r = awk_search(a, re, s, n, pos, pos > 0, caps, gensub ? (size_t)ng : 1);
        if (r < 0) return false;
        if (r != RX_MATCH) break;
        size_t so = (size_t)caps[0].so, eo = (size_t)caps[0].eo;
        if (so == eo && last_nonempty && so == last_end) {
            /* an empty match right after a non-empty one is skipped */
            last_nonempty = false;
            if (so >= n) break;
            pos = so + 1;
            continue;
        }
        current++;
        bool take = how_many < 0 || current == how_many;
        if (take) {
            sb_put(out, s + copied, so - copied);
            if (gensub) gensub_replacement(out, repl, s, caps, ng);
            else sub_replacement(out, repl, s + so, eo - so);
            copied = eo;
            (*count)++;
        }
        last_nonempty = eo > so;
        last_end = eo;
        if (!take && how_many >= 0 && current > how_many) break;
        if (take && how_many >= 0) break;
        if (eo > so) {
            pos = eo;
        } else {
            if (so >= n) break;
            pos = so + 1; /* gawk steps one byte past an empty match, even in UTF-8 */
        }
    }
    sb_put(out, s + copied, n - copied);
    return true;
}

bool awk_sub(Awk *a, bool global, Value *rev, Value *replv, LRef *target, Value *ret) {
    Regex *re = arg_regex(a, rev);
    if (!re) return false;
    AwkStr *repl = astr_ref(awkv_tostr(a, replv));
    Value cur;
    if (!awk_lref_get(a, target, &cur)) {
        astr_unref(repl);
        return false;
    }
    AwkStr *text = astr_ref(awkv_tostr(a, &cur));
    StrBuf out;
    sb_init(&out);
    long count = 0;
    bool ok = substitute(a, re, repl, text, global ? -1 : 1, false, &out, &count);
    if (ok && count > 0) ok = awk_lref_set(a, target, awkv_str(astr_new(out.s ? out.s : "", out.len)));
    sb_free(&out);
    astr_unref(text);
    astr_unref(repl);
    awkv_free(&cur);
    *ret = awkv_num((double)count);
    return ok;
}

static bool do_gensub(Awk *a, Value *args, Value *ret) {
    Regex *re = arg_regex(a, &args[0]);
    if (!re) return false;
    AwkStr *repl = awkv_tostr(a, &args[1]);
    Value *how = &args[2];
    long how_many = 1;
    AwkStr *hs = (how->type == V_STR || how->type == V_STRNUM) ? how->str : NULL;
    if (hs && hs->len > 0 && (hs->s[0] == 'g' || hs->s[0] == 'G')) {
        how_many = -1;
    } else {
        double d = awkv_tonum(a, how);
        if (d < 1) how_many = 1;
        else if (d < 2147483647.0) how_many = (long)d;
        else how_many = 2147483647L;
        if (d <= 0) awk_warning(a, "gensub: third argument `%s' treated as 1", awkv_tostr(a, how)->s);
    }
    AwkStr *text = awkv_tostr(a, &args[3]);
    StrBuf out;
    sb_init(&out);
    long count;
    bool ok = substitute(a, re, repl, text, how_many, true, &out, &count);
    *ret = awkv_str(astr_new(out.s ? out.s : "", out.len));
    sb_free(&out);
    return ok;
}

/* ---------------------------------------------------------------- match */

static void set_match_elem(Awk *a, Array *arr, const char *key, size_t klen, Value v) {
    Value *e = awka_get_str(a, arr, key, klen, true);
    awkv_free(e);
    *e = v;
}

static bool do_match(Awk *a, int nargs, Value *args, Value *ret) {
    Regex *re = arg_regex(a, &args[1]);
    if (!re) return false;
    AwkStr *s = astr_ref(awkv_tostr(a, &args[0]));
    Array *arr = nargs == 3 ? args[2].arr : NULL;
    if (arr) awka_clear(arr);
    int ng = rx_ngroups(re) + 1;
    RxSpan *caps = xmalloc((size_t)ng * sizeof *caps);
    int r = awk_search(a, re, s->s, s->len, 0, false, caps, (size_t)ng);
    double rstart = 0, rlength = -1;
    if (r == RX_MATCH) {
        rstart = (double)awk_strlen(a, s->s, (size_t)caps[0].so) + 1;
        rlength = (double)awk_strlen(a, s->s + caps[0].so, (size_t)(caps[0].eo - caps[0].so));
        if (arr) {
            for (int i = 0; i < ng; i++) {
                if (caps[i].so < 0) continue;
                char key[64];
                set_elem_num_key(a, arr, i, awkv_strnum(astr_new(s->s + caps[i].so, (size_t)(caps[i].eo - caps[i].so))));
                int kl = snprintf(key, sizeof key, "%d%sstart", i, a->subsep->s);
                set_match_elem(a, arr, key, (size_t)kl, awkv_num((double)awk_strlen(a, s->s, (size_t)caps[i].so) + 1));
                kl = snprintf(key, sizeof key, "%d%slength", i, a->subsep->s);
                set_match_elem(a, arr, key, (size_t)kl,
                               awkv_num((double)awk_strlen(a, s->s + caps[i].so, (size_t)(caps[i].eo - caps[i].so))));
            }
        }
    }
    free(caps);
    astr_unref(s);
    if (r < 0) return false;
    awk_set_num(a, G_RSTART, rstart);
    awk_set_num(a, G_RLENGTH, rlength);
    *ret = awkv_num(rstart);
    return true;
}

/* ---------------------------------------------------------------- sorting */

typedef struct SortItem {
    AwkStr *key;
    Value *val;
} SortItem;

typedef int (*SortCmp)(Awk *a, const SortItem *x, const SortItem *y);

static int cmp_strs(Awk *a, const AwkStr *x, const AwkStr *y) {
    if (x->len == 0) return y->len == 0 ? 0 : -1;
    if (y->len == 0) return 1;
    size_t n = x->len < y->len ? x->len : y->len;
    if (a->icase) {
        for (size_t i = 0; i < n; i++) {
            int cx = (unsigned char)x->s[i], cy = (unsigned char)y->s[i];
            if (cx >= 'A' && cx <= 'Z') cx += 32;
            if (cy >= 'A' && cy <= 'Z') cy += 32;
            if (cx != cy) return cx - cy;
        }
    }
    int r = memcmp(x->s, y->s, n);
    if (r || x->len == y->len) return r;
    return x->len < y->len ? -1 : 1;
}

static int cmp_nums(double x, double y) {
    if (isnan(x)) return !isnan(y);
    if (isnan(y)) return -1;
    return x < y ? -1 : x > y;
}

static double key_num(const AwkStr *k) {
    size_t end;
    return awk_str_to_num(k->s, k->len, &end);
}

static int ind_str_asc(Awk *a, const SortItem *x, const SortItem *y) { return cmp_strs(a, x->key, y->key); }

static int ind_num_asc(Awk *a, const SortItem *x, const SortItem *y) {
    int r = cmp_nums(key_num(x->key), key_num(y->key));
    return r ? r : cmp_strs(a, x->key, y->key);
}

static int type_rank(Awk *a, Value *v) {
    if (v->type == V_UNINIT) return 4;
    (void)a;
    return 7;
}

static int val_type_asc(Awk *a, const SortItem *x, const SortItem *y) {
    Value *n1 = x->val, *n2 = y->val;
    int r;
    int t1 = type_rank(a, n1), t2 = type_rank(a, n2);
    if (t1 != 7 || t2 != 7) r = t1 - t2;
    else {
        bool num1 = n1->type == V_NUM || (n1->type == V_STRNUM && awkv_looks_numeric(a, n1));
        bool num2 = n2->type == V_NUM || (n2->type == V_STRNUM && awkv_looks_numeric(a, n2));
        if (num1 && num2) r = cmp_nums(awkv_tonum(a, n1), awkv_tonum(a, n2));
        else if (num1) r = -1;
        else if (num2) r = 1;
        else r = cmp_strs(a, awkv_tostr(a, n1), awkv_tostr(a, n2));
    }
    return r ? r : cmp_strs(a, x->key, y->key);
}

static int val_str_asc(Awk *a, const SortItem *x, const SortItem *y) {
    if (x->val->type == V_UNINIT || y->val->type == V_UNINIT) return val_type_asc(a, x, y);
    int r = cmp_strs(a, awkv_tostr(a, x->val), awkv_tostr(a, y->val));
    return r ? r : cmp_strs(a, x->key, y->key);
}

static int val_num_asc(Awk *a, const SortItem *x, const SortItem *y) {
    if (x->val->type == V_UNINIT || y->val->type == V_UNINIT) return val_type_asc(a, x, y);
    int r = cmp_nums(awkv_tonum(a, x->val), awkv_tonum(a, y->val));
    if (r) return r;
    r = cmp_strs(a, awkv_tostr(a, x->val), awkv_tostr(a, y->val));
    return r ? r : cmp_strs(a, x->key, y->key);
}

typedef struct SortDef {
    const char *name;
    SortCmp cmp;
    bool desc;
} SortDef;

static const SortDef sort_defs[] = {
    {"@ind_str_asc", ind_str_asc, false}, {"@ind_num_asc", ind_num_asc, false},
    {"@val_str_asc", val_str_asc, false}, {"@val_num_asc", val_num_asc, false},
    {"@ind_str_desc", ind_str_asc, true}, {"@ind_num_desc", ind_num_asc, true},
    {"@val_str_desc", val_str_asc, true}, {"@val_num_desc", val_num_asc, true},
    {"@val_type_asc", val_type_asc, false}, {"@val_type_desc", val_type_asc, true},
};

typedef struct Sorter {
    Awk *a;
    SortCmp cmp;
    bool desc;
    int user_func; /* >= 0: a user comparison function */
    bool failed;
} Sorter;

static int sorter_cmp(Sorter *s, const SortItem *x, const SortItem *y) {
    if (s->failed) return 0;
    if (s->user_func >= 0) {
        double r = 0;
        if (!awk_vm_call_cmp(s->a, s->user_func, x->key, x->val, y->key, y->val, &r)) {
            s->failed = true;
            return 0;
        }
        return r < 0 ? -1 : r > 0;
    }
    int r = s->cmp(s->a, x, y);
    return s->desc ? -r : r;
}

static void merge_sort(Sorter *s, SortItem *v, SortItem *tmp, size_t n) {
    if (n < 2) return;
    size_t h = n / 2;
    merge_sort(s, v, tmp, h);
    merge_sort(s, v + h, tmp, n - h);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n) tmp[k++] = sorter_cmp(s, &v[j], &v[i]) < 0 ? v[j++] : v[i++];
    while (i < h) tmp[k++] = v[i++];
    while (j < n) tmp[k++] = v[j++];
    memcpy(v, tmp, n * sizeof *v);
}

static bool sorter_init(Awk *a, Sorter *s, const char *how) {
    memset(s, 0, sizeof *s);
    s->a = a;
    s->user_func = -1;
    for (size_t i = 0; i < sizeof sort_defs / sizeof *sort_defs; i++) {
        if (!strcmp(sort_defs[i].name, how)) {
            s->cmp = sort_defs[i].cmp;
            s->desc = sort_defs[i].desc;
            return true;
        }
    }
    const char *sp = how;
    while (*sp && *sp != ' ' && *sp != '\t') sp++;
    if (sp == how || *sp) {
        awk_fatal(a, "`%s' is invalid as a function name", how);
        return false;
    }
    for (int i = 0; i < a->prog.nfuncs; i++) {
        if (!strcmp(a->prog.funcs[i].name, how)) {
            s->user_func = i;
            return true;
        }
    }
    awk_fatal(a, "sort comparison function `%s' is not defined", how);
    return false;
}

/* Sorts items (keys with their values) by how. */
static bool sort_items(Awk *a, SortItem *items, size_t n, const char *how) {
    Sorter s;
    if (!sorter_init(a, &s, how)) return false;
    SortItem *tmp = xmalloc((n ? n : 1) * sizeof *tmp);
    merge_sort(&s, items, tmp, n);
    free(tmp);
    return !s.failed && !a->fatal;
}

static SortItem *collect_items(Awk *a, Array *arr, KeyList *keys) {
    SortItem *items = xmalloc((keys->n ? keys->n : 1) * sizeof *items);
    for (size_t i = 0; i < keys->n; i++) {
        items[i].key = keys->v[i];
        items[i].val = awka_get_str(a, arr, keys->v[i]->s, keys->v[i]->len, true);
    }
    return items;
}

bool awk_sort_keys(Awk *a, Array *arr, KeyList *keys) {
    Var *pv = &a->g[G_PROCINFO];
    if (pv->kind != K_ARRAY || keys->n < 2) return true;
    Value *how = awka_get_str(a, pv->arr, "sorted_in", 9, false);
    if (!how) return true;
    AwkStr *hs = astr_ref(awkv_tostr(a, how));
    bool ok = true;
    if (strcmp(hs->s, "@unsorted") != 0) {
        SortItem *items = collect_items(a, arr, keys);
        ok = sort_items(a, items, keys->n, hs->s);
        for (size_t i = 0; i < keys->n; i++) keys->v[i] = items[i].key;
        free(items);
    }
    astr_unref(hs);
    return ok;
}

static bool do_asort(Awk *a, bool by_index, int nargs, Value *args, Value *ret) {
    Array *src = args[0].arr;
    Array *dest = nargs >= 2 ? args[1].arr : NULL;
    const char *how = by_index ? "@ind_str_asc" : "@val_type_asc";
    AwkStr *hs = NULL;
    if (nargs == 3) {
        hs = astr_ref(awkv_tostr(a, &args[2]));
        how = hs->s;
    }
    KeyList keys;
    awka_keys(a, src, &keys);
    SortItem *items = collect_items(a, src, &keys);
    bool ok = sort_items(a, items, keys.n, how);
    if (ok) {
        Value *vals = xmalloc((keys.n ? keys.n : 1) * sizeof *vals);
        for (size_t i = 0; i < keys.n; i++)
            vals[i] = by_index ? awkv_str(astr_ref(items[i].key)) : awkv_copy(items[i].val);
        Array *out = dest && dest != src ? dest : src;
        awka_clear(out);
        for (size_t i = 0; i < keys.n; i++) set_elem_num_key(a, out, (double)(i + 1), vals[i]);
        free(vals);
    }
    free(items);
    *ret = awkv_num((double)keys.n);
    awka_keys_free(&keys);
    if (hs) astr_unref(hs);
    return ok;
}

/* ---------------------------------------------------------------- time */

static bool tz_utc(Awk *a) {
    const char *tz = uc_getenv(a->c, "TZ");
    if (!tz) return false;
    if (*tz == ':') tz++;
    return !*tz || !strcmp(tz, "UTC") || !strcmp(tz, "UTC0") || !strcmp(tz, "GMT") || !strcmp(tz, "GMT0") ||
           !strcmp(tz, "Etc/UTC") || !strcmp(tz, "Z") || !strcmp(tz, "UCT");
}

static bool do_strftime(Awk *a, int nargs, Value *args, Value *ret) {
    const char *fmt = "%a %b %e %H:%M:%S %Z %Y";
    AwkStr *fs = NULL;
    if (nargs >= 1) {
        fs = astr_ref(awkv_tostr(a, &args[0]));
        fmt = fs->s;
    } else {
        Var *pv = &a->g[G_PROCINFO];
        Value *v = pv->kind == K_ARRAY ? awka_get_str(a, pv->arr, "strftime", 8, false) : NULL;
        if (v) {
            fs = astr_ref(awkv_tostr(a, v));
            fmt = fs->s;
        }
    }
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec = 0;
    if (nargs >= 2) {
        double d = awkv_tonum(a, &args[1]);
        if (d < 0 || d > 67767976233316800.0) {
            awk_warning(a, "strftime: second argument less than 0 or too big for time_t");
            if (fs) astr_unref(fs);
            *ret = awkv_str(astr_ref(a->empty));
            return true;
        }
        ts.tv_sec = (time_t)d;
    }
    bool utc = nargs >= 3 ? awkv_truth(a, &args[2]) : tz_utc(a);
    StrBuf b;
    sb_init(&b);
    if (*fmt) u_format_time(&b, fmt, &ts, utc);
    *ret = awkv_str(astr_new(b.s ? b.s : "", b.len));
    sb_free(&b);
    if (fs) astr_unref(fs);
    return true;
}

static bool do_mktime(Awk *a, int nargs, Value *args, Value *ret) {
    AwkStr *s = awkv_tostr(a, &args[0]);
    long v[7] = {0, 0, 0, 0, 0, 0, -1};
    int n = 0;
    const char *p = s->s;
    while (n < 7) {
        while (*p == ' ' || *p == '\t' || *p == '\n') p++;
        if (!*p) break;
        char *end;
        long x = strtol(p, &end, 10);
        if (end == p) break;
        v[n++] = x;
        p = end;
    }
    if (n < 6) {
        *ret = awkv_num(-1);
        return true;
    }
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    tm.tm_year = (int)v[0] - 1900;
    tm.tm_mon = (int)v[1] - 1;
    tm.tm_mday = (int)v[2];
    tm.tm_hour = (int)v[3];
    tm.tm_min = (int)v[4];
    tm.tm_sec = (int)v[5];
    tm.tm_isdst = (int)v[6];
    bool utc = nargs == 2 ? awkv_truth(a, &args[1]) : tz_utc(a);
    time_t t = utc ? timegm(&tm) : mktime(&tm);
    *ret = awkv_num((double)t);
    return true;
}

/* ---------------------------------------------------------------- bits */

static bool bit_arg(Awk *a, const char *fn, int i, Value *v, uint64_t *out) {
    double d = awkv_tonum(a, v);
    if (d < 0) {
        awk_fatal(a, "%s: argument %d negative value %g is not allowed", fn, i, d);
        return false;
    }
    *out = (uint64_t)trunc(d);
    return true;
}

static bool do_bits(Awk *a, int id, int nargs, Value *args, Value *ret) {
    static const char *const names[] = {"and", "or", "xor"};
    if (id == B_AND || id == B_OR || id == B_XOR) {
        const char *fn = names[id - B_AND];
        uint64_t r;
        if (!bit_arg(a, fn, 1, &args[0], &r)) return false;
        for (int i = 1; i < nargs; i++) {
            uint64_t x;
            if (!bit_arg(a, fn, i + 1, &args[i], &x)) return false;
            r = id == B_AND ? r & x : id == B_OR ? r | x : r ^ x;
        }
        *ret = awkv_num((double)r);
        return true;
    }
    if (id == B_COMPL) {
        uint64_t x;
        if (!bit_arg(a, "compl", 1, &args[0], &x)) return false;
        *ret = awkv_num((double)(~x & ((1ull << 53) - 1)));
        return true;
    }
    uint64_t x, sh;
    const char *fn = id == B_LSHIFT ? "lshift" : "rshift";
    if (!bit_arg(a, fn, 1, &args[0], &x) || !bit_arg(a, fn, 2, &args[1], &sh)) return false;
    if (sh >= 64) *ret = awkv_num(0);
    else *ret = awkv_num((double)(id == B_LSHIFT ? x << sh : x >> sh));
    return true;
}

static double do_strtonum(Awk *a, Value *v) {
    if (v->type == V_NUM) return v->num;
    AwkStr *s = awkv_tostr(a, v);
    const char *p = s->s;
    while (*p == ' ' || *p == '\t' || *p == '\n') p++;
    bool neg = false;
    const char *q = p;
    if (*q == '-' || *q == '+') neg = *q++ == '-';
    if (q[0] == '0' && (q[1] == 'x' || q[1] == 'X')) {
        double r = 0;
        for (q += 2; *q; q++) {
            int h = (*q >= '0' && *q <= '9') ? *q - '0' : (*q >= 'a' && *q <= 'f') ? *q - 'a' + 10 : (*q >= 'A' && *q <= 'F') ? *q - 'A' + 10 : -1;
            if (h < 0) break;
            r = r * 16 + h;
        }
        return neg ? -r : r;
    }
    if (q[0] == '0' && q[1] >= '0' && q[1] <= '7') {
        double r = 0;
        for (; *q >= '0' && *q <= '7'; q++) r = r * 8 + (*q - '0');
        if (*q != '8' && *q != '9' && *q != '.' && *q != 'e' && *q != 'E') return neg ? -r : r;
    }
    return awkv_tonum(a, v);
}

static const char *type_name(Awk *a, Value *v) {
    switch (v->type) {
    case V_ARRAY: return "array";
    case V_VARREF: return "untyped";
    case V_UNINIT: return "unassigned";
    case V_NUM: return "number";
    case V_STRNUM:
        if (v->flags & VF_NULLFIELD) return "unassigned";
        return awkv_looks_numeric(a, v) ? "strnum" : "string";
    case V_REGEX: return "regexp";
    default: return "string";
    }
}

/* ---------------------------------------------------------------- dispatch */

static bool math1(Awk *a, int id, Value *arg, Value *ret) {
    double x = awkv_tonum(a, arg), r;
    switch (id) {
    case B_SIN: r = sin(x); break;
    case B_COS: r = cos(x); break;
    case B_EXP:
        r = exp(x);
        if (isinf(r) && !isinf(x)) awk_warning(a, "exp: argument %g is out of range", x);
        break;
    case B_LOG:
        if (x < 0) awk_warning(a, "log: received negative argument %g", x);
        r = log(x);
        break;
    case B_SQRT:
        if (x < 0) awk_warning(a, "sqrt: received negative argument %g", x);
        r = sqrt(x);
        break;
    default: r = trunc(x); break;
    }
    *ret = awkv_num(r);
    return true;
}

bool awk_builtin_call(Awk *a, int id, int nargs, Value *args, Value *ret) {
    switch (id) {
    case B_LENGTH: {
        Value *v = &args[0];
        if (v->type == V_ARRAY && a->posix) {
            awk_fatal(a, "length: received array argument");
            return false;
        }
        if (v->type == V_ARRAY) *ret = awkv_num((double)awka_count(v->arr));
        else if (v->type == V_VARREF) {
            awk_var_scalar(a, v->var); /* gawk: length() of an untyped variable makes it a scalar */
            *ret = awkv_num(0);
        }
        else {
            AwkStr *s = awkv_tostr(a, v);
            *ret = awkv_num((double)awk_strlen(a, s->s, s->len));
        }
        return true;
    }
    case B_SUBSTR: {
        AwkStr *s = astr_ref(awkv_tostr(a, &args[0]));
        *ret = awkv_str(do_substr(a, s, awkv_tonum(a, &args[1]), nargs == 3, nargs == 3 ? awkv_tonum(a, &args[2]) : 0));
        astr_unref(s);
        return true;
    }
    case B_INDEX: {
        AwkStr *s = astr_ref(awkv_tostr(a, &args[0]));
        if (args[1].type == V_REGEX) {
            awk_fatal(a, "index: regexp constant as second argument is not allowed");
            astr_unref(s);
            return false;
        }
        AwkStr *t = awkv_tostr(a, &args[1]);
        *ret = awkv_num(do_index(a, s, t));
        astr_unref(s);
        return true;
    }
    case B_SPLIT: return do_split(a, nargs, args, ret);
    case B_PATSPLIT: return do_patsplit(a, nargs, args, ret);
    case B_SUB: case B_GSUB: {
        LRef *t = &a->refs[a->nrefs - 1];
        bool ok = awk_sub(a, id == B_GSUB, &args[0], &args[1], t, ret);
        awk_lref_release(&a->refs[--a->nrefs]);
        return ok;
    }
    case B_GENSUB: return do_gensub(a, args, ret);
    case B_MATCH: return do_match(a, nargs, args, ret);
    case B_SPRINTF: {
        StrBuf out;
        sb_init(&out);
        AwkStr *f = astr_ref(awkv_tostr(a, &args[0]));
        bool ok = awk_format(a, &out, f->s, f->len, args + 1, nargs - 1, "sprintf");
        astr_unref(f);
        *ret = awkv_str(astr_new(out.s ? out.s : "", out.len));
        sb_free(&out);
        return ok;
    }
    case B_SIN: case B_COS: case B_EXP: case B_LOG: case B_SQRT: case B_INT:
        return math1(a, id, &args[0], ret);
    case B_ATAN2: *ret = awkv_num(atan2(awkv_tonum(a, &args[0]), awkv_tonum(a, &args[1]))); return true;
    case B_RAND: *ret = awkv_num(do_rand(a)); return true;
    case B_SRAND: {
        double prev = a->seed;
        double d = nargs ? awkv_tonum(a, &args[0]) : (double)time(NULL);
        int64_t seed = awk_d2l(d); /* gawk keeps the seed as a long */
        a->seed = (double)seed;
        seed_random(a, (uint32_t)(uint64_t)seed);
        *ret = awkv_num(prev);
        return true;
    }
    case B_TOLOWER: case B_TOUPPER:
        *ret = awkv_str(change_case(a, awkv_tostr(a, &args[0]), id == B_TOUPPER));
        return true;
    case B_SYSTEM: {
        AwkStr *cmd = astr_ref(awkv_tostr(a, &args[0]));
        int st = awk_system(a, cmd);
        astr_unref(cmd);
        *ret = awkv_num(st);
        return true;
    }
    case B_CLOSE: {
        AwkStr *name = astr_ref(awkv_tostr(a, &args[0]));
        AwkStr *how = nargs == 2 ? astr_ref(awkv_tostr(a, &args[1])) : NULL;
        *ret = awkv_num(awk_close(a, name, how ? how->s : NULL));
        astr_unref(name);
        if (how) astr_unref(how);
        return true;
    }
    case B_FFLUSH: {
        if (nargs == 0) {
            *ret = awkv_num(awk_fflush(a, NULL, true));
            return true;
        }
        AwkStr *name = astr_ref(awkv_tostr(a, &args[0]));
        *ret = awkv_num(awk_fflush(a, name, name->len == 0));
        astr_unref(name);
        return true;
    }
    case B_STRFTIME: return do_strftime(a, nargs, args, ret);
    case B_SYSTIME: *ret = awkv_num((double)time(NULL)); return true;
    case B_MKTIME: return do_mktime(a, nargs, args, ret);
    case B_ASORT: case B_ASORTI: return do_asort(a, id == B_ASORTI, nargs, args, ret);
    case B_AND: case B_OR: case B_XOR: case B_LSHIFT: case B_RSHIFT: case B_COMPL:
        return do_bits(a, id, nargs, args, ret);
    case B_STRTONUM: *ret = awkv_num(do_strtonum(a, &args[0])); return true;
    case B_ISARRAY: *ret = awkv_num(args[0].type == V_ARRAY); return true;
    case B_TYPEOF: *ret = awkv_str(astr_new(type_name(a, &args[0]), strlen(type_name(a, &args[0])))); return true;
    case B_MKBOOL: *ret = awkv_num(awkv_truth(a, &args[0])); return true;
    default:
        awk_fatal(a, "internal error: unknown builtin %d", id);
        return false;
    }
}
