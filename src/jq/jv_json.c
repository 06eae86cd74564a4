/* jv_json.c - JSON text: number formatting as jq 1.7+ (shortest round-trip
 * doubles, decNumber-style canonical literals), printing (indent, colors,
 * ASCII, sorted keys) and an incremental parser with an explicit stack. */
#include "jv.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- numbers */

/* Significant digits (no leading/trailing zeros) and decimal point position
 * (value = 0.DIGITS * 10^decpt) of the shortest text that reads back as d. */
static int shortest_digits(double d, char *digits, int *decpt) {
    char buf[40];
    /* 15 significant digits are enough to find the shortest form of normal
     * doubles; subnormals have fewer significant bits, so search them all. */
    for (int prec = d < 2.3e-308 ? 0 : 14; prec <= 16; prec++) {
        snprintf(buf, sizeof buf, "%.*e", prec, d);
        if (prec == 16 || strtod(buf, NULL) == d) break;
    }
    /* buf: D.DDDDe[+-]XX */
    int n = 0;
    const char *p = buf;
    for (; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9') digits[n++] = *p;
    int exp = atoi(p + 1);
    while (n > 1 && digits[n - 1] == '0') n--;
    digits[n] = 0;
    *decpt = exp + 1;
    return n;
}

void jv_fmt_double(double d, char out[48]) {
    if (isnan(d)) {
        strcpy(out, "null");
        return;
    }
    if (isinf(d)) d = d > 0 ? DBL_MAX : -DBL_MAX;
    if (d == 0) {
        strcpy(out, signbit(d) ? "-0" : "0");
        return;
    }
    if (fabs(d) < 1e15 && d == (double)(long long)d) {
        snprintf(out, 48, "%lld", (long long)d);
        return;
    }
    char dig[24];
    int decpt;
    int nd = shortest_digits(fabs(d), dig, &decpt);
    char *o = out;
    if (d < 0) *o++ = '-';
    if (decpt <= -4 || decpt > nd + 15) {
        *o++ = dig[0];
        if (nd > 1) {
            *o++ = '.';
            memcpy(o, dig + 1, (size_t)nd - 1);
            o += nd - 1;
        }
        int e = decpt - 1;
        char eb[16];
        snprintf(eb, sizeof eb, "e%c%02d", e < 0 ? '-' : '+', e < 0 ? -e : e);
        memcpy(o, eb, strlen(eb) + 1);
        return;
    }
    if (decpt <= 0) {
        *o++ = '0';
        *o++ = '.';
        for (int i = 0; i < -decpt; i++) *o++ = '0';
        memcpy(o, dig, (size_t)nd);
        o += nd;
    } else if (decpt >= nd) {
        memcpy(o, dig, (size_t)nd);
        o += nd;
        for (int i = nd; i < decpt; i++) *o++ = '0';
    } else {
        memcpy(o, dig, (size_t)decpt);
        o += decpt;
        *o++ = '.';
        memcpy(o, dig + decpt, (size_t)(nd - decpt));
        o += nd - decpt;
    }
    *o = 0;
}

/* decNumber's to-scientific-string of a JSON number literal. */
static void canonical_literal(StrBuf *b, const char *t, size_t len) {
    size_t i = 0;
    if (i < len && (t[i] == '-' || t[i] == '+')) {
        if (t[i] == '-') sb_putc(b, '-');
        i++;
    }
    StrBuf dig;
    sb_init(&dig);
    long exp = 0;
    bool frac = false;
    for (; i < len && t[i] != 'e' && t[i] != 'E'; i++) {
        if (t[i] == '.') {
            frac = true;
            continue;
        }
        if (!(dig.len == 0 && t[i] == '0')) sb_putc(&dig, t[i]);
        else if (frac) sb_putc(&dig, t[i]); /* zeros after the point count */
        if (frac) exp--;
    }
    if (i < len) {
        long e = strtol(t + i + 1, NULL, 10);
        /* decNumber's exponents stay within nine digits; no overflow below */
        if (e > 999999999) e = 999999999;
        if (e < -999999999) e = -999999999;
        exp += e;
    }
    /* strip leading zeros, keep at least one digit */
    size_t z = 0;
    while (z + 1 < dig.len && dig.s[z] == '0') z++;
    const char *c = dig.len ? dig.s + z : "0";
    long nd = dig.len ? (long)(dig.len - z) : 1;
    long ae = exp + nd - 1;
    if (exp <= 0 && ae >= -6) {
        long pos = nd + exp;
        if (exp == 0) sb_put(b, c, (size_t)nd);
        else if (pos > 0) {
            sb_put(b, c, (size_t)pos);
            sb_putc(b, '.');
            sb_put(b, c + pos, (size_t)(nd - pos));
        } else {
            sb_puts(b, "0.");
            for (long k = 0; k < -pos; k++) sb_putc(b, '0');
            sb_put(b, c, (size_t)nd);
        }
    } else {
        sb_putc(b, c[0]);
        if (nd > 1) {
            sb_putc(b, '.');
            sb_put(b, c + 1, (size_t)nd - 1);
        }
        sb_printf(b, "E%c%ld", ae < 0 ? '-' : '+', ae < 0 ? -ae : ae);
    }
    sb_free(&dig);
}

Jv jv_num_literal(const char *text, size_t len) {
    char tmp[64];
    char *heap = NULL;
    const char *z = text;
    if (len < sizeof tmp) {
        memcpy(tmp, text, len);
        tmp[len] = 0;
        z = tmp;
    } else {
        z = heap = xstrndup(text, len);
    }
    double d = strtod(z, NULL);
    /* Fast path: short plain integers print as written. */
    bool plain = len > 0 && len <= 15;
    for (size_t i = 0; plain && i < len; i++)
        plain = (text[i] >= '0' && text[i] <= '9') || (i == 0 && text[i] == '-' && len > 1);
    if (plain && len > 1 && text[text[0] == '-'] == '0') plain = false;
    if (plain && !(len == 2 && text[0] == '-' && text[1] == '0')) {
        free(heap);
        return jv_num(d);
    }
    StrBuf b;
    sb_init(&b);
    canonical_literal(&b, text, len);
    free(heap);
    char f[48];
    jv_fmt_double(d, f);
    if (strcmp(f, sb_cstr(&b)) == 0 && !isinf(d)) {
        sb_free(&b);
        return jv_num(d);
    }
    Jv v = {JV_NUMBER, 1, {0}};
    v.u.l = xmalloc(sizeof *v.u.l + b.len + 1);
    v.u.l->rc = 1;
    v.u.l->d = d;
    memcpy(v.u.l->text, b.s, b.len + 1);
    sb_free(&b);
    return v;
}

const char *jv_num_literal_text(Jv v) { return v.lit ? v.u.l->text : NULL; }

void jv_num_text(StrBuf *b, Jv v) {
    if (v.lit) {
        sb_puts(b, v.u.l->text);
        return;
    }
    char f[48];
    jv_fmt_double(v.u.n, f);
    sb_puts(b, f);
}

/* ---------------------------------------------------------------- printing */

void jv_dump_string(StrBuf *b, const char *s, size_t n, bool ascii) {
    sb_reserve(b, n + 2);
    sb_putc(b, '"');
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *esc = NULL;
        switch (c) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\n': esc = "\\n"; break;
        case '\t': esc = "\\t"; break;
        case '\r': esc = "\\r"; break;
        case '\b': esc = "\\b"; break;
        case '\f': esc = "\\f"; break;
        default:
            if (c >= 0x20 && c != 0x7F && (c < 0x80 || !ascii)) {
                run++;
                continue;
            }
        }
        sb_put(b, s + i - run, run);
        run = 0;
        if (esc) {
            sb_puts(b, esc);
        } else if (c < 0x80) {
            sb_printf(b, "\\u%04x", c);
        } else {
            uint32_t cp;
            int k = jv_utf8_decode(s + i, n - i, &cp);
            if (cp >= 0x10000) {
                cp -= 0x10000;
                sb_printf(b, "\\u%04x\\u%04x", 0xD800 + (cp >> 10), 0xDC00 + (cp & 0x3FF));
            } else {
                sb_printf(b, "\\u%04x", cp);
            }
            i += (size_t)k - 1;
        }
    }
    sb_put(b, s + n - run, run);
    sb_putc(b, '"');
}

enum { DUMP_MAX_DEPTH = 10000 };

typedef struct Dumper {
    StrBuf *b;
    const JvDumpOpts *o;
} Dumper;

static void put_indent(Dumper *d, int level) {
    sb_putc(d->b, '\n');
    if (d->o->tab) {
        for (int i = 0; i < level; i++) sb_putc(d->b, '\t');
    } else {
        for (int i = 0; i < level * d->o->indent; i++) sb_putc(d->b, ' ');
    }
}

static void col_on(Dumper *d, const char *col) {
    if (col) sb_printf(d->b, "\033[%sm", col);
}
static void col_off(Dumper *d, const char *col) {
    if (col) sb_puts(d->b, "\033[0m");
}

static void punct(Dumper *d, const char *col, const char *s) {
    col_on(d, col);
    sb_puts(d->b, s);
    col_off(d, col);
}

static bool pretty(const Dumper *d) { return d->o->pretty; }

static void dump_value(Dumper *d, Jv v, int level) {
    const char *col = d->o->color ? d->o->colors[v.kind == JV_INVALID ? 0 : v.kind - 1] : NULL;
    if (level > DUMP_MAX_DEPTH) {
        sb_puts(d->b, "<skipped: too deep>");
        return;
    }
    switch (v.kind) {
    case JV_INVALID:
    case JV_NULL: col_on(d, col); sb_puts(d->b, "null"); col_off(d, col); return;
    case JV_FALSE: col_on(d, col); sb_puts(d->b, "false"); col_off(d, col); return;
    case JV_TRUE: col_on(d, col); sb_puts(d->b, "true"); col_off(d, col); return;
    case JV_NUMBER: col_on(d, col); jv_num_text(d->b, v); col_off(d, col); return;
    case JV_STRING:
        col_on(d, col);
        jv_dump_string(d->b, v.u.s->s, v.u.s->len, d->o->ascii);
        col_off(d, col);
        return;
    case JV_ARRAY:
        if (v.u.a->len == 0) {
            punct(d, col, "[]");
            return;
        }
        punct(d, col, "[");
        for (size_t i = 0; i < v.u.a->len; i++) {
            if (i) punct(d, col, ",");
            if (pretty(d)) put_indent(d, level + 1);
            dump_value(d, v.u.a->v[i], level + 1);
        }
        if (pretty(d)) put_indent(d, level);
        punct(d, col, "]");
        return;
    case JV_OBJECT: {
        if (v.u.o->len == 0) {
            punct(d, col, "{}");
            return;
        }
        punct(d, col, "{");
        Jv keys = d->o->sort_keys ? jv_obj_keys_sorted(v) : jv_invalid();
        const char *kcol = d->o->color ? d->o->colors[7] : NULL;
        for (size_t i = 0; i < v.u.o->len; i++) {
            Jv k = d->o->sort_keys ? keys.u.a->v[i] : v.u.o->slot[i].key;
            Jv val = d->o->sort_keys ? *jv_obj_find(v, k) : v.u.o->slot[i].val;
            if (i) punct(d, col, ",");
            if (pretty(d)) put_indent(d, level + 1);
            col_on(d, kcol);
            jv_dump_string(d->b, k.u.s->s, k.u.s->len, d->o->ascii);
            col_off(d, kcol);
            punct(d, col, ":");
            if (pretty(d)) sb_putc(d->b, ' ');
            dump_value(d, val, level + 1);
        }
        jv_free(keys);
        if (pretty(d)) put_indent(d, level);
        punct(d, col, "}");
        return;
    }
    }
}

void jv_dump(StrBuf *b, Jv v, const JvDumpOpts *o) {
    Dumper d = {b, o};
    dump_value(&d, v, 0);
}

void jv_dump_compact(StrBuf *b, Jv v) {
    JvDumpOpts o = {0};
    jv_dump(b, v, &o);
}

/* jq's jv_dump_string_trunc: long strings are first cut to bufsize code
 * points; a dump longer than bufsize-1 bytes keeps its head (at a UTF-8
 * boundary), "..." and the closing delimiter. */
void jv_dump_trunc(StrBuf *b, Jv v, size_t bufsize) {
    StrBuf t;
    sb_init(&t);
    if (v.kind == JV_STRING && v.u.s->len > bufsize) {
        size_t i = 0, cps = 0;
        while (i < v.u.s->len && cps < bufsize) {
            i++;
            while (i < v.u.s->len && ((unsigned char)v.u.s->s[i] & 0xC0) == 0x80) i++;
            cps++;
        }
        jv_dump_string(&t, v.u.s->s, i, false);
    } else {
        jv_dump_compact(&t, v);
    }
    if (t.len > bufsize - 1) {
        char delim = t.s[0] == '"' ? '"' : t.s[0] == '[' ? ']' : t.s[0] == '{' ? '}' : 0;
        size_t l = bufsize - (delim ? 5 : 4);
        while (l > 0 && ((unsigned char)t.s[l] & 0xC0) == 0x80) l--;
        sb_put(b, t.s, l);
        sb_puts(b, "...");
        if (delim) sb_putc(b, delim);
    } else {
        sb_put(b, t.s ? t.s : "", t.len);
    }
    sb_free(&t);
}

/* ---------------------------------------------------------------- parsing */

enum { PARSE_MAX_DEPTH = 10000 };

typedef enum PState { PS_VALUE, PS_STRING, PS_TOKEN } PState;

typedef struct PFrame {
    Jv c;      /* array or object under construction */
    Jv key;    /* object: pending key (invalid when none) */
    int want;  /* what comes next, see below */
} PFrame;

/* want: W_FIRST (value or close), W_VALUE (value after ',' or ':'),
 * W_KEY (object key after ','), W_COLON, W_COMMA (',' or close) */
enum { W_FIRST, W_VALUE, W_KEY, W_COLON, W_COMMA };

struct JvParser {
    int flags;
    PState st;
    PFrame *stk;
    size_t depth, cap;
    StrBuf tok;         /* string or bare token being read */
    int esc;            /* in a string: 0, 1 after '\\', 2..5 reading \u digits */
    uint32_t u;         /* \u value being read */
    uint32_t hi_surr;   /* pending high surrogate */
    const char *data;
    size_t n, pos;
    bool at_end;
    Jv done;            /* completed top-level value */
    char *err;
    long line, col;
    bool failed;
    bool need_sep;      /* a bare token just ended a top-level value */
    Jv keys[256];       /* recent object keys: arrays of objects repeat them */
};

/* An object key: shared with an identical recent one (saves an allocation
 * per key in arrays of similar objects, the usual big input). */
static Jv intern_key(JvParser *p, const char *s, size_t n) {
    if (n > 64) return jv_str_utf8(s, n);
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
    Jv *slot = &p->keys[h & 255];
    if (slot->kind == JV_STRING && jv_strlen(*slot) == n && !memcmp(jv_strval(*slot), s, n)) return jv_copy(*slot);
    Jv k = jv_str_utf8(s, n);
    jv_free(*slot);
    *slot = jv_copy(k);
    return k;
}

JvParser *jvp_new(int flags) {
    JvParser *p = xcalloc(1, sizeof *p);
    p->flags = flags;
    p->st = PS_VALUE;
    sb_init(&p->tok);
    p->done = jv_invalid();
    p->line = 1;
    for (int i = 0; i < 256; i++) p->keys[i] = jv_invalid();
    return p;
}

static void reset_stack(JvParser *p) {
    for (size_t i = 0; i < p->depth; i++) {
        jv_free(p->stk[i].c);
        jv_free(p->stk[i].key);
    }
    p->depth = 0;
}

void jvp_free(JvParser *p) {
    if (!p) return;
    reset_stack(p);
    free(p->stk);
    sb_free(&p->tok);
    jv_free(p->done);
    free(p->err);
    for (int i = 0; i < 256; i++) jv_free(p->keys[i]);
    free(p);
}

void jvp_feed(JvParser *p, const char *data, size_t n, bool at_end) {
    p->data = data;
    p->n = n;
    p->pos = 0;
    p->at_end = at_end;
}

static int fail(JvParser *p, const char *msg) {
    StrBuf b;
    sb_init(&b);
    sb_printf(&b, "%s%s at line %ld, column %ld", msg,
              p->pos >= p->n && p->at_end ? " at EOF" : "", p->line, p->col);
    free(p->err);
    p->err = sb_take(&b);
    p->failed = true;
    reset_stack(p);
    p->st = PS_VALUE;
    sb_clear(&p->tok);
    p->esc = 0;
    return -1;
}

/* A complete value v arrived in the current frame (or at top level). */
static int add_value(JvParser *p, Jv v) {
    if (p->depth == 0) {
        p->done = v;
        return 1;
    }
    PFrame *f = &p->stk[p->depth - 1];
    if (f->c.kind == JV_ARRAY) {
        if (f->want != W_FIRST && f->want != W_VALUE) {
            jv_free(v);
            return fail(p, "Expected separator between values");
        }
        jv_arr_push(&f->c, v);
        f->want = W_COMMA;
        return 0;
    }
    if (f->want == W_FIRST || f->want == W_KEY) {
        if (v.kind != JV_STRING) {
            jv_free(v);
            return fail(p, "Object keys must be strings");
        }
        f->key = v;
        f->want = W_COLON;
        return 0;
    }
    if (f->want != W_VALUE) {
        jv_free(v);
        return fail(p, "Expected separator between values");
    }
    jv_obj_set(&f->c, f->key, v);
    f->key = jv_invalid();
    f->want = W_COMMA;
    return 0;
}

static bool token_is_number(const char *s, size_t n) {
    size_t i = 0;
    if (i < n && (s[i] == '-' || s[i] == '+')) i++;
    size_t d = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9') i++, d++;
    if (i < n && s[i] == '.') {
        i++;
        while (i < n && s[i] >= '0' && s[i] <= '9') i++, d++;
    }
    if (!d) return false;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '-' || s[i] == '+')) i++;
        size_t e = 0;
        while (i < n && s[i] >= '0' && s[i] <= '9') i++, e++;
        if (!e) return false;
    }
    return i == n;
}

static int end_token(JvParser *p) {
    const char *s = p->tok.s ? p->tok.s : "";
    size_t n = p->tok.len;
    Jv v;
    if (n == 4 && !memcmp(s, "true", 4)) v = jv_bool(true);
    else if (n == 5 && !memcmp(s, "false", 5)) v = jv_bool(false);
    else if (n == 4 && !memcmp(s, "null", 4)) v = jv_null();
    else if (n == 3 && !memcmp(s, "nan", 3)) v = jv_num(NAN);
    else if (token_is_number(s, n)) v = jv_num_literal(s, n);
    else {
        /* jq calls it a literal when it starts like one of the words */
        bool word = false;
        static const char *const words[] = {"true", "false", "null", "nan"};
        for (int w = 0; w < 4 && !word; w++) {
            size_t wl = strlen(words[w]), m = n < wl ? n : wl;
            word = s[0] == words[w][0] && !memcmp(s, words[w], m);
        }
        sb_clear(&p->tok);
        return fail(p, word ? "Invalid literal" : "Invalid numeric literal");
    }
    sb_clear(&p->tok);
    p->st = PS_VALUE;
    if (p->depth == 0) p->need_sep = true;
    return add_value(p, v);
}

static int open_container(JvParser *p, bool obj) {
    if (p->depth > 0) {
        PFrame *f = &p->stk[p->depth - 1];
        bool ok = f->c.kind == JV_ARRAY ? (f->want == W_FIRST || f->want == W_VALUE)
                                        : f->want == W_VALUE;
        if (!ok) return fail(p, f->c.kind == JV_OBJECT && f->want != W_COMMA
                                    ? "Object keys must be strings"
                                    : "Expected separator between values");
    }
    if (p->depth >= PARSE_MAX_DEPTH) return fail(p, "Exceeds depth limit for parsing");
    if (p->depth == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 16;
        p->stk = xrealloc(p->stk, p->cap * sizeof *p->stk);
    }
    PFrame *f = &p->stk[p->depth++];
    f->c = obj ? jv_obj() : jv_arr();
    f->key = jv_invalid();
    f->want = W_FIRST;
    return 0;
}

static int close_container(JvParser *p, char ch) {
    if (p->depth == 0) return fail(p, ch == ']' ? "Unmatched ']'" : "Unmatched '}'");
    PFrame *f = &p->stk[p->depth - 1];
    bool is_obj = f->c.kind == JV_OBJECT;
    if (is_obj != (ch == '}')) return fail(p, is_obj ? "Unmatched ']' in the middle of an object"
                                                     : "Unmatched '}' in the middle of an array");
    if (f->want == W_VALUE || f->want == W_KEY || f->want == W_COLON) {
        if (is_obj && f->want == W_COLON) return fail(p, "Objects must consist of key:value pairs");
        if (is_obj && f->want == W_VALUE) return fail(p, "Unmatched '}'");
        return fail(p, is_obj ? "Expected another key-value pair" : "Expected another array element");
    }
    Jv v = f->c;
    p->depth--;
    return add_value(p, v);
}

static int punct_comma(JvParser *p) {
    if (p->depth == 0) return fail(p, "Expected value before ','");
    PFrame *f = &p->stk[p->depth - 1];
    if (f->want != W_COMMA) return fail(p, "Expected value before ','");
    f->want = f->c.kind == JV_ARRAY ? W_VALUE : W_KEY;
    return 0;
}

static int punct_colon(JvParser *p) {
    if (p->depth == 0) return fail(p, "Expected string key before ':'");
    if (p->stk[p->depth - 1].c.kind != JV_OBJECT) return fail(p, "':' not as part of an object");
    PFrame *f = &p->stk[p->depth - 1];
    if (f->want == W_FIRST || f->want == W_KEY) return fail(p, "Expected string key before ':'");
    if (f->want != W_COLON) return fail(p, "':' not as part of an object");
    f->want = W_VALUE;
    return 0;
}

static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static void put_cp(JvParser *p, uint32_t cp) {
    if (p->hi_surr) {
        uint32_t hi = p->hi_surr;
        p->hi_surr = 0;
        if (cp >= 0xDC00 && cp <= 0xDFFF) {
            jv_utf8_encode(&p->tok, 0x10000 + ((hi - 0xD800) << 10) + (cp - 0xDC00));
            return;
        }
        jv_utf8_encode(&p->tok, 0xFFFD);
    }
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        p->hi_surr = cp;
        return;
    }
    if (cp >= 0xDC00 && cp <= 0xDFFF) cp = 0xFFFD;
    jv_utf8_encode(&p->tok, cp);
}

/* Reads string bytes from the current position; returns 1 when the closing
 * quote was consumed, 0 when more input is needed, -1 on error. */
static int scan_string(JvParser *p) {
    while (p->pos < p->n) {
        if (p->esc == 0) {
            const char *s = p->data + p->pos;
            size_t k = 0, lim = p->n - p->pos;
            while (k < lim && s[k] != '"' && s[k] != '\\' && s[k] != '\n') k++;
            if (k) {
                if (p->hi_surr) {
                    p->hi_surr = 0;
                    jv_utf8_encode(&p->tok, 0xFFFD);
                }
                sb_put(&p->tok, s, k);
                p->pos += k;
                p->col += (long)k;
                continue;
            }
            char c = s[0];
            p->pos++;
            p->col++;
            if (c == '"') {
                if (p->hi_surr) {
                    p->hi_surr = 0;
                    jv_utf8_encode(&p->tok, 0xFFFD);
                }
                return 1;
            }
            if (c == '\n') {
                sb_putc(&p->tok, c);
                p->line++;
                p->col = 0;
                continue;
            }
            p->esc = 1;
            continue;
        }
        char c = p->data[p->pos++];
        p->col++;
        if (p->esc == 1) {
            const char *m = NULL;
            switch (c) {
            case '"': m = "\""; break;
            case '\\': m = "\\"; break;
            case '/': m = "/"; break;
            case 'b': m = "\b"; break;
            case 'f': m = "\f"; break;
            case 'n': m = "\n"; break;
            case 'r': m = "\r"; break;
            case 't': m = "\t"; break;
            case 'u': p->esc = 2; p->u = 0; continue;
            default:
                p->col++; /* jq's column is one past the escape */
                return fail(p, "Invalid escape");
            }
            if (p->hi_surr) {
                p->hi_surr = 0;
                jv_utf8_encode(&p->tok, 0xFFFD);
            }
            sb_puts(&p->tok, m);
            p->esc = 0;
            continue;
        }
        int h = hexval(c);
        if (h < 0) return fail(p, "Invalid \\uXXXX escape");
        p->u = p->u * 16 + (uint32_t)h;
        if (++p->esc == 6) {
            p->esc = 0;
            put_cp(p, p->u);
        }
    }
    return 0;
}

static bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
static bool is_delim(char c) {
    return is_ws(c) || c == '[' || c == ']' || c == '{' || c == '}' || c == ',' || c == ':' || c == '"';
}

int jvp_next(JvParser *p, Jv *out, char **err) {
    *err = NULL;
    if (p->failed) {
        p->failed = false;
    }
    for (;;) {
        if (p->done.kind != JV_INVALID) {
            *out = p->done;
            p->done = jv_invalid();
            return 1;
        }
        if (p->pos >= p->n) {
            if (!p->at_end) return 0;
            if (p->st == PS_TOKEN) {
                int r = end_token(p);
                if (r < 0) goto error;
                continue;
            }
            if (p->st == PS_STRING) {
                fail(p, "Unfinished string");
                p->at_end = false;
                goto error;
            }
            if (p->depth > 0) {
                fail(p, "Unfinished JSON term");
                goto error;
            }
            return 0;
        }
        int r = 0;
        if (p->st == PS_STRING) {
            r = scan_string(p);
            if (r == 1) {
                p->st = PS_VALUE;
                p->need_sep = false;
                bool is_key = p->depth > 0 && p->stk[p->depth - 1].c.kind == JV_OBJECT &&
                              (p->stk[p->depth - 1].want == W_FIRST || p->stk[p->depth - 1].want == W_KEY);
                Jv s = is_key ? intern_key(p, p->tok.s ? p->tok.s : "", p->tok.len)
                              : jv_str_utf8(p->tok.s ? p->tok.s : "", p->tok.len);
                sb_clear(&p->tok);
                r = add_value(p, s);
            }
            if (r < 0) goto error;
            continue;
        }
        char c = p->data[p->pos];
        if (p->st == PS_TOKEN) {
            if (!is_delim(c)) {
                sb_putc(&p->tok, c);
                p->pos++;
                p->col++;
                continue;
            }
            p->pos++; /* jq reports positions after the delimiter */
            long saved_line = p->line, saved_col = p->col;
            if (c == '\n') p->line++, p->col = 0;
            else p->col++;
            r = end_token(p);
            p->pos--;
            p->line = saved_line;
            p->col = saved_col;
            if (r < 0) {
                p->pos++;
                goto error;
            }
            continue;
        }
        p->pos++;
        p->col++;
        if (c == '\n') {
            p->line++;
            p->col = 0;
        }
        if (is_ws(c)) continue;
        switch (c) {
        case '[': r = open_container(p, false); break;
        case '{': r = open_container(p, true); break;
        case ']':
        case '}': r = close_container(p, c); break;
        case ',': r = punct_comma(p); break;
        case ':': r = punct_colon(p); break;
        case '"': p->st = PS_STRING; p->esc = 0; p->hi_surr = 0; sb_clear(&p->tok); break;
        default:
            if (p->depth == 0 && p->need_sep && false) break;
            p->st = PS_TOKEN;
            sb_clear(&p->tok);
            sb_putc(&p->tok, c);
            break;
        }
        if (r < 0) goto error;
        if (r == 1) {
            p->need_sep = false;
            continue;
        }
    }
error:
    *err = p->err;
    p->err = NULL;
    return -1;
}

Jv jv_parse(const char *s, size_t n, char **err) {
    JvParser *p = jvp_new(0);
    jvp_feed(p, s, n, true);
    Jv v, extra;
    *err = NULL;
    int r = jvp_next(p, &v, err);
    if (r <= 0) {
        if (r == 0) *err = xstrdup("Expected JSON value");
        jvp_free(p);
        return jv_invalid();
    }
    char *e2 = NULL;
    int r2 = jvp_next(p, &extra, &e2);
    if (r2 != 0) {
        jv_free(v);
        if (r2 == 1) {
            jv_free(extra);
            *err = xstrdup("Unexpected extra JSON values");
        } else {
            *err = e2;
        }
        jvp_free(p);
        return jv_invalid();
    }
    jvp_free(p);
    return v;
}
