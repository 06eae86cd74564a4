/* json.c - the JSON of the fetch hook's wire format: a small tree reader
 * (the broker's replies) and string/base64 writers (the requests). The
 * replies come from our own JS side, but they carry what servers sent
 * (header values, URLs), so the reader is strict and bounded: no recursion
 * deeper than JSON_MAX_DEPTH, every length checked. */
#include "net_internal.h"

#include <stdlib.h>
#include <string.h>

enum { JSON_MAX_DEPTH = 32 };

typedef struct JReader {
    const char *p, *end;
} JReader;

static void skip_ws(JReader *r) {
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\r' || *r->p == '\n')) r->p++;
}

static bool take(JReader *r, char ch) {
    skip_ws(r);
    if (r->p < r->end && *r->p == ch) {
        r->p++;
        return true;
    }
    return false;
}

static void put_utf8(StrBuf *b, unsigned cp) {
    if (cp < 0x80) {
        sb_putc(b, (char)cp);
    } else if (cp < 0x800) {
        sb_putc(b, (char)(0xc0 | cp >> 6));
        sb_putc(b, (char)(0x80 | (cp & 63)));
    } else if (cp < 0x10000) {
        sb_putc(b, (char)(0xe0 | cp >> 12));
        sb_putc(b, (char)(0x80 | ((cp >> 6) & 63)));
        sb_putc(b, (char)(0x80 | (cp & 63)));
    } else {
        sb_putc(b, (char)(0xf0 | cp >> 18));
        sb_putc(b, (char)(0x80 | ((cp >> 12) & 63)));
        sb_putc(b, (char)(0x80 | ((cp >> 6) & 63)));
        sb_putc(b, (char)(0x80 | (cp & 63)));
    }
}

static bool hex4(JReader *r, unsigned *out) {
    if (r->end - r->p < 4) return false;
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char ch = r->p[i];
        int d = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
              : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
        if (d < 0) return false;
        v = v << 4 | (unsigned)d;
    }
    r->p += 4;
    *out = v;
    return true;
}

static bool read_escape(JReader *r, StrBuf *out) {
    if (r->p >= r->end) return false;
    char e = *r->p++;
    switch (e) {
    case 'n': sb_putc(out, '\n'); return true;
    case 't': sb_putc(out, '\t'); return true;
    case 'r': sb_putc(out, '\r'); return true;
    case 'b': sb_putc(out, '\b'); return true;
    case 'f': sb_putc(out, '\f'); return true;
    case '"': case '\\': case '/': sb_putc(out, e); return true;
    case 'u': {
        unsigned cp;
        if (!hex4(r, &cp)) return false;
        if (cp >= 0xd800 && cp < 0xdc00 && r->end - r->p >= 6 && r->p[0] == '\\' && r->p[1] == 'u') {
            JReader save = *r;
            unsigned lo;
            r->p += 2;
            if (hex4(r, &lo) && lo >= 0xdc00 && lo < 0xe000) cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            else *r = save;
        }
        put_utf8(out, cp);
        return true;
    }
    default: return false;
    }
}

static bool read_string(JReader *r, StrBuf *out) {
    if (!take(r, '"')) return false;
    while (r->p < r->end && *r->p != '"') {
        char ch = *r->p++;
        if (ch == '\\') {
            if (!read_escape(r, out)) return false;
        } else {
            sb_putc(out, ch);
        }
    }
    if (r->p >= r->end) return false;
    r->p++;
    return true;
}

static bool read_value(JReader *r, JNode *out, int depth);

static bool read_container(JReader *r, JNode *out, int depth, bool object) {
    char close = object ? '}' : ']';
    size_t cap = 0;
    out->type = object ? JN_OBJ : JN_ARR;
    if (take(r, close)) return true;
    do {
        if (out->n == cap) {
            cap = cap ? cap * 2 : 4;
            out->kids = xrealloc(out->kids, cap * sizeof *out->kids);
            if (object) out->keys = xrealloc(out->keys, cap * sizeof *out->keys);
        }
        JNode *kid = &out->kids[out->n];
        memset(kid, 0, sizeof *kid);
        if (object) {
            StrBuf key;
            sb_init(&key);
            bool ok = read_string(r, &key) && take(r, ':');
            out->keys[out->n] = sb_take(&key);
            if (!ok) {
                out->n++;
                return false;
            }
        }
        out->n++;
        if (!read_value(r, kid, depth + 1)) return false;
    } while (take(r, ','));
    return take(r, close);
}

static bool read_value(JReader *r, JNode *out, int depth) {
    memset(out, 0, sizeof *out);
    if (depth > JSON_MAX_DEPTH) return false;
    skip_ws(r);
    if (r->p >= r->end) return false;
    char ch = *r->p;
    if (ch == '{' || ch == '[') {
        r->p++;
        return read_container(r, out, depth, ch == '{');
    }
    if (ch == '"') {
        StrBuf s;
        sb_init(&s);
        bool ok = read_string(r, &s);
        out->type = JN_STR;
        out->len = s.len;
        out->str = sb_take(&s);
        return ok;
    }
    static const struct { const char *word; JNodeType type; double num; } words[] = {
        {"true", JN_BOOL, 1}, {"false", JN_BOOL, 0}, {"null", JN_NULL, 0},
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        size_t n = strlen(words[i].word);
        if ((size_t)(r->end - r->p) >= n && !memcmp(r->p, words[i].word, n)) {
            r->p += n;
            out->type = words[i].type;
            out->num = words[i].num;
            return true;
        }
    }
    char num[64];
    size_t n = 0;
    while (r->p < r->end && n < sizeof num - 1 && strchr("+-0123456789.eE", *r->p)) num[n++] = *r->p++;
    if (!n) return false;
    num[n] = 0;
    out->type = JN_NUM;
    out->num = strtod(num, NULL);
    return true;
}

bool json_parse(const char *data, size_t n, JNode *out) {
    JReader r = {data, data + n};
    if (read_value(&r, out, 0)) {
        skip_ws(&r);
        if (r.p == r.end) return true;
    }
    json_free(out);
    return false;
}

void json_free(JNode *j) {
    for (size_t i = 0; i < j->n; i++) {
        json_free(&j->kids[i]);
        if (j->keys) free(j->keys[i]);
    }
    free(j->kids);
    free(j->keys);
    free(j->str);
    memset(j, 0, sizeof *j);
}

const JNode *json_get(const JNode *obj, const char *key) {
    if (!obj || obj->type != JN_OBJ) return NULL;
    for (size_t i = 0; i < obj->n; i++)
        if (!strcmp(obj->keys[i], key)) return &obj->kids[i];
    return NULL;
}

const char *json_str(const JNode *obj, const char *key) {
    const JNode *v = json_get(obj, key);
    return v && v->type == JN_STR ? v->str : "";
}

double json_num(const JNode *obj, const char *key) {
    const JNode *v = json_get(obj, key);
    return v && (v->type == JN_NUM || v->type == JN_BOOL) ? v->num : 0;
}

void json_put_string(StrBuf *b, const char *s, size_t n) {
    static const char hex[] = "0123456789abcdef";
    sb_putc(b, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '"' || ch == '\\') {
            sb_putc(b, '\\');
            sb_putc(b, (char)ch);
        } else if (ch < 0x20 || ch == 0x7f) {
            sb_puts(b, "\\u00");
            sb_putc(b, hex[ch >> 4]);
            sb_putc(b, hex[ch & 15]);
        } else {
            sb_putc(b, (char)ch);
        }
    }
    sb_putc(b, '"');
}
