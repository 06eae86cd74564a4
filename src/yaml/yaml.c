/* yaml.c - YAML reader (recursive descent over columns) and writer in
 * go-yaml v3's style, for yq. See yaml.h. */
#include "yaml.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- paths */

void yaml_path_key(StrBuf *b, Jv path) {
    for (size_t i = 0; path.kind == JV_ARRAY && i < jv_arr_len(path); i++) {
        Jv k = jv_arr_at(path, i);
        sb_putc(b, '\x1f');
        if (k.kind == JV_STRING) {
            sb_putc(b, 's');
            sb_put(b, jv_strval(k), jv_strlen(k));
        } else {
            sb_printf(b, "i%ld", (long)jv_numval(k));
        }
    }
}

/* ---------------------------------------------------------------- reader */

enum { MAX_NEST = 500 };
/* A map or list used as a flow mapping key becomes its JSON text; nesting
 * such keys doubles the escaping at every level, so the text is capped. */
enum { MAX_KEY_TEXT = 1 << 16 };

typedef struct YP {
    const char *s;
    size_t n, pos;
    Jv anchors;      /* name -> value */
    Jv meta;
    StrBuf pending;  /* comment lines seen before the next node */
    char *err;
    int depth;
    long alias_budget; /* nodes that aliases may still stand for (billion laughs) */
} YP;

enum { ALIAS_BUDGET = 1000000 };

/* Counts v's nodes against the budget; false when it ran out. */
static bool charge_alias(YP *p, Jv v, int depth) {
    if (--p->alias_budget < 0) return false;
    if (depth > 1000) return true;
    size_t n = v.kind == JV_ARRAY ? jv_arr_len(v) : v.kind == JV_OBJECT ? jv_obj_len(v) : 0;
    for (size_t i = 0; i < n; i++)
        if (!charge_alias(p, v.kind == JV_ARRAY ? jv_arr_at(v, i) : jv_obj_val_at(v, i), depth + 1)) return false;
    return true;
}

static long line_of(const YP *p, size_t pos) {
    long l = 1;
    for (size_t i = 0; i < pos && i < p->n; i++)
        if (p->s[i] == '\n') l++;
    return l;
}

static bool fail(YP *p, const char *msg) {
    if (!p->err) {
        StrBuf b;
        sb_init(&b);
        sb_printf(&b, "yaml: line %ld: %s", line_of(p, p->pos), msg);
        p->err = sb_take(&b);
    }
    return false;
}

static char peek(const YP *p, size_t off) { return p->pos + off < p->n ? p->s[p->pos + off] : 0; }
static bool at_end(const YP *p) { return p->pos >= p->n; }

static size_t line_start(const YP *p, size_t pos) {
    while (pos > 0 && p->s[pos - 1] != '\n') pos--;
    return pos;
}

static int column(const YP *p, size_t pos) { return (int)(pos - line_start(p, pos)); }

static bool is_blank(char c) { return c == ' ' || c == '\t'; }
static bool is_break(char c) { return c == '\n' || c == '\r' || c == 0; }

/* Skips spaces and tabs on this line. */
static void skip_blanks(YP *p) {
    while (!at_end(p) && is_blank(p->s[p->pos])) p->pos++;
}

/* A comment at pos ("#" after a blank or at line start): returns its text
 * without '#' and one leading space. */
static bool read_comment(YP *p, StrBuf *out) {
    if (peek(p, 0) != '#') return false;
    size_t s = p->pos;
    while (!at_end(p) && !is_break(p->s[p->pos])) p->pos++;
    if (out) sb_put(out, p->s + s, p->pos - s);
    return true;
}

static void skip_newline(YP *p) {
    if (peek(p, 0) == '\r') p->pos++;
    if (peek(p, 0) == '\n') p->pos++;
}

/* Skips blank lines and comment lines up to the next content; comment text
 * (with "# ", and blank lines between comments) accumulates in pending. */
static void skip_space_lines(YP *p) {
    for (;;) {
        size_t save = p->pos;
        skip_blanks(p);
        if (at_end(p)) return;
        char c = p->s[p->pos];
        if (c == '#') {
            if (p->pending.len && p->pending.s[p->pending.len - 1] != '\n') sb_putc(&p->pending, '\n');
            read_comment(p, &p->pending);
            sb_putc(&p->pending, '\n');
            skip_newline(p);
            continue;
        }
        if (is_break(c)) {
            if (p->pending.len) sb_putc(&p->pending, '\n'); /* a blank line inside a comment block */
            skip_newline(p);
            continue;
        }
        (void)save;
        return;
    }
}

/* The pending comment, trimmed of trailing blank lines, as the head of path. */
static void set_meta(YP *p, Jv path, const char *field, const char *text, size_t n) {
    if (!n) return;
    StrBuf k;
    sb_init(&k);
    yaml_path_key(&k, path);
    Jv key = jv_str(k.s ? k.s : "", k.len);
    sb_free(&k);
    Jv m = jv_obj_get(p->meta, key);
    if (!jv_valid(m)) m = jv_obj();
    jv_obj_set(&m, jv_str_c(field), jv_str_utf8(text, n));
    jv_obj_set(&p->meta, key, m);
}

static void take_head(YP *p, Jv path) {
    size_t n = p->pending.len;
    while (n > 0 && p->pending.s[n - 1] == '\n') n--;
    if (n) set_meta(p, path, "h", p->pending.s, n);
    sb_clear(&p->pending);
}

/* A line comment after a node on the same line. */
static void take_line_comment(YP *p, Jv path) {
    size_t save = p->pos;
    skip_blanks(p);
    if (peek(p, 0) == '#' && p->pos > 0 && is_blank(p->s[p->pos - 1])) {
        StrBuf c;
        sb_init(&c);
        read_comment(p, &c);
        set_meta(p, path, "l", c.s, c.len);
        sb_free(&c);
        return;
    }
    if (peek(p, 0) != '#') p->pos = save;
}

/* ---- scalars */

static Jv resolve_plain(const char *s, size_t n) {
    if (n == 0 || (n == 1 && s[0] == '~')) return jv_null();
    if ((n == 4 && (!memcmp(s, "null", 4) || !memcmp(s, "Null", 4) || !memcmp(s, "NULL", 4)))) return jv_null();
    if (n == 4 && (!memcmp(s, "true", 4) || !memcmp(s, "True", 4) || !memcmp(s, "TRUE", 4))) return jv_bool(true);
    if (n == 5 && (!memcmp(s, "false", 5) || !memcmp(s, "False", 5) || !memcmp(s, "FALSE", 5)))
        return jv_bool(false);
    const char *t = s;
    size_t m = n;
    bool neg = false;
    if (m && (t[0] == '-' || t[0] == '+')) {
        neg = t[0] == '-';
        t++, m--;
    }
    if (m == 4 && (!memcmp(t, ".inf", 4) || !memcmp(t, ".Inf", 4) || !memcmp(t, ".INF", 4)))
        return jv_num(neg ? -INFINITY : INFINITY);
    if (n == 4 && (!memcmp(s, ".nan", 4) || !memcmp(s, ".NaN", 4) || !memcmp(s, ".NAN", 4))) return jv_num(NAN);
    if (m > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'o')) {
        int base = t[1] == 'x' ? 16 : 8;
        double v = 0;
        for (size_t i = 2; i < m; i++) {
            char c = t[i];
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : 99;
            if (d >= base) return jv_str(s, n);
            v = v * base + d;
        }
        return jv_num(neg ? -v : v);
    }
    /* decimal int or float: [-+]? (digits [. digits?] | . digits) ([eE][-+]?digits)? */
    size_t i = 0, dig = 0;
    while (i < m && t[i] >= '0' && t[i] <= '9') i++, dig++;
    if (i < m && t[i] == '.') {
        i++;
        while (i < m && t[i] >= '0' && t[i] <= '9') i++, dig++;
    }
    if (dig && i < m && (t[i] == 'e' || t[i] == 'E')) {
        size_t j = i + 1;
        if (j < m && (t[j] == '+' || t[j] == '-')) j++;
        size_t e0 = j;
        while (j < m && t[j] >= '0' && t[j] <= '9') j++;
        if (j > e0) i = j;
    }
    if (dig && i == m) {
        /* JSON number text for the literal: drop a leading '+', add a 0 before '.' */
        StrBuf b;
        sb_init(&b);
        if (neg) sb_putc(&b, '-');
        if (t[0] == '.') sb_putc(&b, '0');
        sb_put(&b, t, m);
        if (b.s[b.len - 1] == '.') sb_putc(&b, '0');
        Jv v = jv_num_literal(b.s, b.len);
        sb_free(&b);
        return v;
    }
    return jv_str_utf8(s, n);
}

static void put_utf8(StrBuf *b, unsigned long cp) { jv_utf8_encode(b, (uint32_t)cp); }

static int hexdig(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Folds a line break inside a quoted scalar: one break is a space, more are
 * kept as newlines; leading blanks of the next line are dropped. */
static void fold_break(YP *p, StrBuf *b) {
    /* trailing blanks before the break are not content */
    while (b->len && is_blank(b->s[b->len - 1])) b->len--;
    skip_newline(p);
    int breaks = 0;
    for (;;) {
        skip_blanks(p);
        if (peek(p, 0) == '\n' || peek(p, 0) == '\r') {
            breaks++;
            skip_newline(p);
            continue;
        }
        break;
    }
    if (breaks == 0) sb_putc(b, ' ');
    for (int i = 0; i < breaks; i++) sb_putc(b, '\n');
}

static bool read_double(YP *p, StrBuf *b) {
    p->pos++; /* " */
    for (;;) {
        if (at_end(p)) return fail(p, "found unexpected end of stream");
        char c = p->s[p->pos];
        if (c == '"') {
            p->pos++;
            return true;
        }
        if (c == '\n' || c == '\r') {
            fold_break(p, b);
            continue;
        }
        if (c != '\\') {
            sb_putc(b, c);
            p->pos++;
            continue;
        }
        char e = peek(p, 1);
        p->pos += 2;
        int hexn = 0;
        switch (e) {
        case '0': sb_putc(b, '\0'); break;
        case 'a': sb_putc(b, '\a'); break;
        case 'b': sb_putc(b, '\b'); break;
        case 't':
        case '\t': sb_putc(b, '\t'); break;
        case 'n': sb_putc(b, '\n'); break;
        case 'v': sb_putc(b, '\v'); break;
        case 'f': sb_putc(b, '\f'); break;
        case 'r': sb_putc(b, '\r'); break;
        case 'e': sb_putc(b, '\x1b'); break;
        case ' ': sb_putc(b, ' '); break;
        case '"': sb_putc(b, '"'); break;
        case '/': sb_putc(b, '/'); break;
        case '\\': sb_putc(b, '\\'); break;
        case 'N': put_utf8(b, 0x85); break;
        case '_': put_utf8(b, 0xA0); break;
        case 'L': put_utf8(b, 0x2028); break;
        case 'P': put_utf8(b, 0x2029); break;
        case 'x': hexn = 2; break;
        case 'u': hexn = 4; break;
        case 'U': hexn = 8; break;
        case '\n':
        case '\r':
            p->pos--;
            skip_newline(p);
            skip_blanks(p);
            break;
        default: return fail(p, "found unknown escape character while parsing a quoted scalar");
        }
        if (hexn) {
            unsigned long cp = 0;
            for (int i = 0; i < hexn; i++) {
                int d = hexdig(peek(p, 0));
                if (d < 0) return fail(p, "did not find expected hexdecimal number");
                cp = cp * 16 + (unsigned long)d;
                p->pos++;
            }
            put_utf8(b, cp);
        }
    }
}

static bool read_single(YP *p, StrBuf *b) {
    p->pos++;
    for (;;) {
        if (at_end(p)) return fail(p, "found unexpected end of stream");
        char c = p->s[p->pos];
        if (c == '\'') {
            if (peek(p, 1) == '\'') {
                sb_putc(b, '\'');
                p->pos += 2;
                continue;
            }
            p->pos++;
            return true;
        }
        if (c == '\n' || c == '\r') {
            fold_break(p, b);
            continue;
        }
        sb_putc(b, c);
        p->pos++;
    }
}

/* Block scalar after | or >: header, then lines indented more than parent. */
static bool read_block_scalar(YP *p, int parent_indent, StrBuf *out, Jv path) {
    bool folded = p->s[p->pos] == '>';
    p->pos++;
    int chomp = 0, explicit_indent = 0; /* chomp: 0 clip, -1 strip, 1 keep */
    for (int k = 0; k < 2; k++) {
        char c = peek(p, 0);
        if (c == '-') chomp = -1, p->pos++;
        else if (c == '+') chomp = 1, p->pos++;
        else if (c >= '1' && c <= '9') explicit_indent = c - '0', p->pos++;
    }
    take_line_comment(p, path);
    skip_blanks(p);
    if (!is_break(peek(p, 0))) return fail(p, "did not find expected comment or line break");
    skip_newline(p);
    int indent = explicit_indent ? parent_indent + explicit_indent : -1;
    if (indent < 0) {
        /* the first non-empty line sets the indentation */
        size_t q = p->pos;
        int maxblank = 0;
        for (;;) {
            int c = 0;
            while (q + (size_t)c < p->n && p->s[q + c] == ' ') c++;
            if (q + (size_t)c < p->n && (p->s[q + c] == '\n' || p->s[q + c] == '\r')) {
                if (c > maxblank) maxblank = c;
                q += (size_t)c;
                while (q < p->n && (p->s[q] == '\r' || p->s[q] == '\n')) {
                    if (p->s[q] == '\n') {
                        q++;
                        break;
                    }
                    q++;
                }
                continue;
            }
            indent = q + (size_t)c >= p->n ? parent_indent + 1 : c;
            if (indent <= parent_indent) indent = parent_indent + 1;
            break;
        }
    }
    StrBuf body;
    sb_init(&body);
    bool prev_more = false, first = true;
    size_t trailing = 0; /* newlines after the last content line */
    while (!at_end(p)) {
        size_t ls = p->pos;
        int c = 0;
        while (p->pos < p->n && p->s[p->pos] == ' ' && c < indent) p->pos++, c++;
        if (at_end(p) || is_break(p->s[p->pos])) {
            trailing++;
            skip_newline(p);
            if (at_end(p)) break;
            continue;
        }
        if (c < indent) {
            p->pos = ls;
            break;
        }
        bool more = is_blank(p->s[p->pos]);
        /* line breaks between content lines */
        if (!first) {
            if (folded && trailing == 1 && !more && !prev_more) sb_putc(&body, ' ');
            else if (folded && trailing > 1 && !more && !prev_more)
                for (size_t i = 1; i < trailing; i++) sb_putc(&body, '\n');
            else
                for (size_t i = 0; i < trailing; i++) sb_putc(&body, '\n');
        } else {
            for (size_t i = 0; i < trailing; i++) sb_putc(&body, '\n');
        }
        first = false;
        size_t s = p->pos;
        while (!at_end(p) && !is_break(p->s[p->pos])) p->pos++;
        sb_put(&body, p->s + s, p->pos - s);
        prev_more = more;
        trailing = 0;
        if (!at_end(p)) {
            skip_newline(p);
            trailing = 1;
        }
    }
    sb_put(out, body.s ? body.s : "", body.len);
    if (!first) {
        if (chomp == 0 && trailing) sb_putc(out, '\n');
        if (chomp == 1)
            for (size_t i = 0; i < trailing; i++) sb_putc(out, '\n');
    }
    sb_free(&body);
    return true;
}

/* ---- nodes */

static bool parse_node(YP *p, int parent_indent, Jv path, Jv *out, bool in_seq_value);
static bool parse_flow(YP *p, Jv path, Jv *out);

/* Reads a plain scalar; in flow context stops at ,[]{}; in block context at
 * ": " and " #"; continues onto more-indented lines (folding). */
static void read_plain(YP *p, int parent_indent, bool flow, StrBuf *b) {
    for (;;) {
        size_t s = p->pos;
        while (!at_end(p)) {
            char c = p->s[p->pos];
            if (is_break(c)) break;
            if (c == ':' && (is_blank(peek(p, 1)) || is_break(peek(p, 1)) || (flow && strchr(",[]{}", peek(p, 1)))))
                break;
            if (c == '#' && p->pos > s && is_blank(p->s[p->pos - 1])) break;
            if (flow && strchr(",[]{}", c)) break;
            p->pos++;
        }
        size_t e = p->pos;
        while (e > s && is_blank(p->s[e - 1])) e--;
        sb_put(b, p->s + s, e - s);
        if (at_end(p) || !is_break(p->s[p->pos])) return;
        /* continuation lines: more indented, not a comment, no key */
        size_t save = p->pos;
        int breaks = 0;
        for (;;) {
            skip_newline(p);
            breaks++;
            skip_blanks(p);
            if (!at_end(p) && is_break(p->s[p->pos])) continue;
            break;
        }
        int col = column(p, p->pos);
        char c = peek(p, 0);
        bool docmark = col == 0 && p->pos + 3 <= p->n &&
                       (!memcmp(p->s + p->pos, "---", 3) || !memcmp(p->s + p->pos, "...", 3));
        if (at_end(p) || col <= parent_indent || c == '#' || docmark || (!flow && c == '-' && is_blank(peek(p, 1)))) {
            p->pos = save;
            return;
        }
        /* a "key:" on the continuation line ends the scalar */
        size_t q = p->pos;
        bool key = false;
        while (q < p->n && !is_break(p->s[q])) {
            if (p->s[q] == ':' && (q + 1 >= p->n || is_blank(p->s[q + 1]) || is_break(p->s[q + 1]))) {
                key = true;
                break;
            }
            if (p->s[q] == '#' && q > p->pos && is_blank(p->s[q - 1])) break;
            q++;
        }
        if (key && !flow) {
            p->pos = save;
            return;
        }
        if (breaks == 1) sb_putc(b, ' ');
        else
            for (int i = 1; i < breaks; i++) sb_putc(b, '\n');
    }
}

static void set_style(YP *p, Jv path, const char *style) { set_meta(p, path, "s", style, strlen(style)); }

/* &anchor and !tag before a node. */
static void read_props(YP *p, char **anchor, char **tag) {
    for (;;) {
        char c = peek(p, 0);
        if (c != '&' && c != '!') return;
        size_t s = ++p->pos;
        while (!at_end(p) && !is_blank(p->s[p->pos]) && !is_break(p->s[p->pos]) && !strchr(",[]{}", p->s[p->pos]))
            p->pos++;
        char *v = xstrndup(p->s + s, p->pos - s);
        if (c == '&') {
            free(*anchor);
            *anchor = v;
        } else {
            free(*tag);
            *tag = v;
        }
        skip_blanks(p);
    }
}

static Jv apply_tag(Jv v, const char *tag) {
    if (!tag) return v;
    if (!strcmp(tag, "!str") && v.kind != JV_STRING && v.kind != JV_ARRAY && v.kind != JV_OBJECT) {
        StrBuf b;
        sb_init(&b);
        if (v.kind == JV_NULL) sb_puts(&b, "null");
        else jv_dump_compact(&b, v);
        jv_free(v);
        return jv_str_take(&b);
    }
    if ((!strcmp(tag, "!int") || !strcmp(tag, "!float")) && v.kind == JV_STRING) {
        Jv r = resolve_plain(jv_strval(v), jv_strlen(v));
        if (r.kind == JV_NUMBER) {
            jv_free(v);
            return r;
        }
        jv_free(r);
    }
    return v;
}

static void remember_anchor(YP *p, const char *anchor, Jv v) {
    if (anchor) jv_obj_set(&p->anchors, jv_str_c(anchor), jv_copy(v));
}

/* *alias */
static bool read_alias(YP *p, Jv *out) {
    size_t s = ++p->pos;
    while (!at_end(p) && !is_blank(p->s[p->pos]) && !is_break(p->s[p->pos]) && !strchr(",[]{}", p->s[p->pos]))
        p->pos++;
    Jv name = jv_str(p->s + s, p->pos - s);
    Jv v = jv_obj_get(p->anchors, name);
    jv_free(name);
    if (!jv_valid(v)) return fail(p, "unknown anchor referenced");
    if (!charge_alias(p, v, 0)) {
        jv_free(v);
        return fail(p, "document contains excessive aliasing");
    }
    *out = v;
    return true;
}

static Jv path_plus(Jv path, Jv k) {
    Jv p = jv_copy(path);
    jv_arr_push(&p, k);
    return p;
}

/* Merges << values (a map or a list of maps) under the explicit keys. */
static Jv merge_keys(Jv map, Jv merged) {
    Jv res = jv_obj();
    Jv list = merged.kind == JV_ARRAY ? merged : jv_invalid();
    size_t n = merged.kind == JV_ARRAY ? jv_arr_len(merged) : 1;
    for (size_t i = 0; i < n; i++) {
        Jv m = merged.kind == JV_ARRAY ? jv_arr_at(list, i) : merged;
        if (m.kind != JV_OBJECT) continue;
        for (size_t j = 0; j < jv_obj_len(m); j++)
            if (!jv_obj_find(res, jv_obj_key_at(m, j)))
                jv_obj_set(&res, jv_copy(jv_obj_key_at(m, j)), jv_copy(jv_obj_val_at(m, j)));
    }
    for (size_t j = 0; j < jv_obj_len(map); j++)
        jv_obj_set(&res, jv_copy(jv_obj_key_at(map, j)), jv_copy(jv_obj_val_at(map, j)));
    jv_free(map);
    jv_free(merged);
    return res;
}

/* A key at pos: quoted or plain, followed by ':' and a blank or break. */
static bool looks_like_key(YP *p) {
    size_t q = p->pos;
    char c = p->s[q];
    if (c == '"' || c == '\'') {
        q++;
        while (q < p->n && p->s[q] != c && !is_break(p->s[q])) {
            if (c == '"' && p->s[q] == '\\') q++;
            else if (c == '\'' && p->s[q] == '\'' && q + 1 < p->n && p->s[q + 1] == '\'') q++;
            q++;
        }
        if (q >= p->n || p->s[q] != c) return false;
        q++;
        while (q < p->n && is_blank(p->s[q])) q++;
        return q < p->n && p->s[q] == ':' && (q + 1 >= p->n || is_blank(p->s[q + 1]) || is_break(p->s[q + 1]));
    }
    if (c == '[' || c == '{' || c == '#' || c == '|' || c == '>' || c == '*') return false;
    if (c == '-' && (is_blank(p->s[q + 1 < p->n ? q + 1 : q]) || q + 1 >= p->n)) return false;
    while (q < p->n && !is_break(p->s[q])) {
        if (p->s[q] == ':' && (q + 1 >= p->n || is_blank(p->s[q + 1]) || is_break(p->s[q + 1]))) return true;
        if (p->s[q] == '#' && q > p->pos && is_blank(p->s[q - 1])) return false;
        q++;
    }
    return false;
}

static bool read_key(YP *p, Jv *key) {
    StrBuf b;
    sb_init(&b);
    char c = p->s[p->pos];
    bool ok = true;
    if (c == '"') ok = read_double(p, &b);
    else if (c == '\'') ok = read_single(p, &b);
    else {
        size_t s = p->pos;
        while (!at_end(p) && !(p->s[p->pos] == ':' && (is_blank(peek(p, 1)) || is_break(peek(p, 1))))) p->pos++;
        size_t e = p->pos;
        while (e > s && is_blank(p->s[e - 1])) e--;
        sb_put(&b, p->s + s, e - s);
    }
    skip_blanks(p);
    if (!ok) {
        sb_free(&b);
        return false;
    }
    p->pos++; /* ':' */
    *key = jv_str_take(&b);
    return true;
}

static bool parse_block_map(YP *p, int indent, Jv path, Jv *out) {
    Jv map = jv_obj();
    Jv merged = jv_invalid();
    bool first = true;
    for (;;) {
        if (!first) {
            skip_space_lines(p);
            if (at_end(p) || column(p, p->pos) != indent) break;
            if (column(p, p->pos) == 0 && p->pos + 3 <= p->n &&
                (!memcmp(p->s + p->pos, "---", 3) || !memcmp(p->s + p->pos, "...", 3)))
                break;
            if (!looks_like_key(p)) {
                if (peek(p, 0) == '-' && (is_blank(peek(p, 1)) || is_break(peek(p, 1)))) break;
                jv_free(map);
                jv_free(merged);
                return fail(p, "did not find expected key");
            }
        }
        first = false;
        Jv key;
        if (!read_key(p, &key)) {
            jv_free(map);
            jv_free(merged);
            return false;
        }
        Jv kpath = path_plus(path, jv_copy(key));
        take_head(p, kpath);
        Jv v;
        bool ok = parse_node(p, indent, kpath, &v, false);
        jv_free(kpath);
        if (!ok) {
            jv_free(key);
            jv_free(map);
            jv_free(merged);
            return false;
        }
        if (!strcmp(jv_strval(key), "<<")) {
            jv_free(key);
            jv_free(merged);
            merged = v;
        } else {
            jv_obj_set(&map, key, v);
        }
    }
    if (jv_valid(merged)) map = merge_keys(map, merged);
    *out = map;
    return true;
}

static bool parse_block_seq(YP *p, int indent, Jv path, Jv *out) {
    Jv seq = jv_arr();
    bool first = true;
    for (;;) {
        if (!first) {
            skip_space_lines(p);
            if (at_end(p) || column(p, p->pos) != indent || peek(p, 0) != '-' ||
                !(is_blank(peek(p, 1)) || is_break(peek(p, 1))))
                break;
            if (column(p, p->pos) == 0 && p->pos + 3 <= p->n && !memcmp(p->s + p->pos, "---", 3)) break;
        }
        first = false;
        p->pos++; /* '-' */
        Jv ipath = path_plus(path, jv_num((double)jv_arr_len(seq)));
        take_head(p, ipath);
        Jv v;
        bool ok = parse_node(p, indent, ipath, &v, true);
        jv_free(ipath);
        if (!ok) {
            jv_free(seq);
            return false;
        }
        jv_arr_push(&seq, v);
    }
    *out = seq;
    return true;
}

/* A node whose parent block is at parent_indent. The value may start on
 * this line (after "key:" or "- ") or on a following, more indented line. */
static bool parse_node(YP *p, int parent_indent, Jv path, Jv *out, bool in_seq_value) {
    if (++p->depth > MAX_NEST) return fail(p, "exceeded max depth");
    char *anchor = NULL, *tag = NULL;
    skip_blanks(p);
    read_props(p, &anchor, &tag);
    bool ok = true;
    Jv v = jv_null();
    take_line_comment(p, path);
    bool same_line = !at_end(p) && !is_break(peek(p, 0));
    if (!same_line) {
        /* the value is on the following lines */
        size_t save = p->pos;
        StrBuf saved_pending;
        sb_init(&saved_pending);
        sb_put(&saved_pending, p->pending.s ? p->pending.s : "", p->pending.len);
        skip_space_lines(p);
        int col = at_end(p) ? -1 : column(p, p->pos);
        bool seq_here = !at_end(p) && peek(p, 0) == '-' && (is_blank(peek(p, 1)) || is_break(peek(p, 1)));
        bool docmark = col == 0 && p->pos + 3 <= p->n &&
                       (!memcmp(p->s + p->pos, "---", 3) || !memcmp(p->s + p->pos, "...", 3));
        if (at_end(p) || docmark || col < parent_indent || (col == parent_indent && !(seq_here && !in_seq_value))) {
            /* empty value: give back the comments for the next node */
            p->pos = save;
            sb_clear(&p->pending);
            sb_put(&p->pending, saved_pending.s ? saved_pending.s : "", saved_pending.len);
            sb_free(&saved_pending);
            v = apply_tag(jv_null(), tag);
            goto done;
        }
        sb_free(&saved_pending);
        /* comments before the first entry belong to that entry */
        if (seq_here) {
            ok = parse_block_seq(p, col, path, &v);
            goto done;
        }
    }
    {
        char c = peek(p, 0);
        int col = column(p, p->pos);
        if (c == '*') {
            ok = read_alias(p, &v);
            if (ok) take_line_comment(p, path);
        } else if (c == '[' || c == '{') {
            ok = parse_flow(p, path, &v);
            if (ok) {
                set_style(p, path, "flow");
                take_line_comment(p, path);
            }
        } else if (c == '-' && (is_blank(peek(p, 1)) || is_break(peek(p, 1)))) {
            ok = parse_block_seq(p, col, path, &v);
        } else if (c == '|' || c == '>') {
            StrBuf b;
            sb_init(&b);
            set_style(p, path, c == '|' ? "literal" : "folded");
            ok = read_block_scalar(p, parent_indent < 0 ? -1 : parent_indent, &b, path);
            v = jv_str_take(&b);
        } else if (looks_like_key(p)) {
            ok = parse_block_map(p, col, path, &v);
        } else if (c == '"' || c == '\'') {
            StrBuf b;
            sb_init(&b);
            ok = c == '"' ? read_double(p, &b) : read_single(p, &b);
            v = jv_str_take(&b);
            set_style(p, path, c == '"' ? "double" : "single");
            if (ok) take_line_comment(p, path);
        } else {
            StrBuf b;
            sb_init(&b);
            read_plain(p, parent_indent, false, &b);
            v = tag && !strcmp(tag, "!str") ? jv_str_take(&b) : resolve_plain(b.s ? b.s : "", b.len);
            if (tag && !strcmp(tag, "!str")) {
            } else {
                sb_free(&b);
            }
            take_line_comment(p, path);
        }
        if (ok) v = apply_tag(v, tag);
    }
done:
    if (ok) remember_anchor(p, anchor, v);
    free(anchor);
    free(tag);
    p->depth--;
    if (!ok) {
        jv_free(v);
        return false;
    }
    *out = v;
    return true;
}

static void skip_flow_space(YP *p) {
    for (;;) {
        while (!at_end(p) && (is_blank(p->s[p->pos]) || p->s[p->pos] == '\n' || p->s[p->pos] == '\r')) p->pos++;
        if (peek(p, 0) == '#') {
            read_comment(p, NULL);
            continue;
        }
        return;
    }
}

static bool parse_flow_scalar(YP *p, Jv path, Jv *out) {
    char *anchor = NULL, *tag = NULL;
    read_props(p, &anchor, &tag);
    char c = peek(p, 0);
    bool ok = true;
    Jv v = jv_invalid();
    if (c == '[' || c == '{') {
        ok = parse_flow(p, path, &v);
        if (ok) set_style(p, path, "flow");
    } else if (c == '*') ok = read_alias(p, &v);
    else if (c == '"' || c == '\'') {
        StrBuf b;
        sb_init(&b);
        ok = c == '"' ? read_double(p, &b) : read_single(p, &b);
        v = jv_str_take(&b);
        if (ok) set_style(p, path, c == '"' ? "double" : "single");
    } else {
        StrBuf b;
        sb_init(&b);
        read_plain(p, -1, true, &b);
        v = resolve_plain(b.s ? b.s : "", b.len);
        sb_free(&b);
    }
    if (ok) {
        v = apply_tag(v, tag);
        remember_anchor(p, anchor, v);
    }
    free(anchor);
    free(tag);
    if (!ok) {
        jv_free(v);
        return false;
    }
    *out = v;
    return true;
}

static bool parse_flow(YP *p, Jv path, Jv *out) {
    if (++p->depth > MAX_NEST) return fail(p, "exceeded max depth");
    bool is_map = p->s[p->pos] == '{';
    char close = is_map ? '}' : ']';
    size_t start = p->pos;
    p->pos++;
    Jv res = is_map ? jv_obj() : jv_arr();
    for (;;) {
        skip_flow_space(p);
        if (at_end(p)) {
            jv_free(res);
            p->pos = start;
            return fail(p, "did not find expected node content");
        }
        if (p->s[p->pos] == close) {
            p->pos++;
            break;
        }
        if (is_map) {
            Jv key;
            Jv kp = jv_copy(path);
            if (!parse_flow_scalar(p, kp, &key)) {
                jv_free(kp);
                jv_free(res);
                return false;
            }
            jv_free(kp);
            if (key.kind != JV_STRING) {
                Jv s = key.kind == JV_NULL ? jv_str_c("null") : jv_invalid();
                if (!jv_valid(s)) {
                    StrBuf b;
                    sb_init(&b);
                    jv_dump_compact(&b, key);
                    s = jv_str_take(&b);
                }
                if (jv_strlen(s) > MAX_KEY_TEXT) {
                    jv_free(s);
                    jv_free(key);
                    jv_free(res);
                    return fail(p, "mapping key too large");
                }
                jv_free(key);
                key = s;
            }
            skip_flow_space(p);
            Jv v = jv_null();
            if (peek(p, 0) == ':') {
                p->pos++;
                skip_flow_space(p);
                if (peek(p, 0) != ',' && peek(p, 0) != close) {
                    Jv vp = path_plus(path, jv_copy(key));
                    bool ok = parse_flow_scalar(p, vp, &v);
                    jv_free(vp);
                    if (!ok) {
                        jv_free(key);
                        jv_free(res);
                        return false;
                    }
                }
            }
            jv_obj_set(&res, key, v);
        } else {
            Jv v;
            Jv vp = path_plus(path, jv_num((double)jv_arr_len(res)));
            bool ok = parse_flow_scalar(p, vp, &v);
            jv_free(vp);
            if (!ok) {
                jv_free(res);
                return false;
            }
            jv_arr_push(&res, v);
        }
        skip_flow_space(p);
        if (peek(p, 0) == ',') {
            p->pos++;
            continue;
        }
        if (peek(p, 0) != close) {
            jv_free(res);
            return fail(p, is_map ? "did not find expected ',' or '}'" : "did not find expected ',' or ']'");
        }
    }
    p->depth--;
    *out = res;
    return true;
}

static bool doc_marker(const YP *p, const char *m) {
    return column(p, p->pos) == 0 && p->pos + 3 <= p->n && !memcmp(p->s + p->pos, m, 3) &&
           (p->pos + 3 == p->n || is_blank(p->s[p->pos + 3]) || is_break(p->s[p->pos + 3]));
}

bool yaml_parse(const char *text, size_t len, YamlDocs *out, char **err) {
    YP p = {0};
    p.s = text;
    p.n = len;
    sb_init(&p.pending);
    *err = NULL;
    if (memchr(text, 0, len)) {
        *err = xstrdup("yaml: control characters are not allowed");
        sb_free(&p.pending);
        return false;
    }
    /* a byte order mark */
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) p.pos = 3;
    bool ok = true;
    bool any = false;
    while (ok) {
        skip_space_lines(&p);
        while (!at_end(&p) && p.s[p.pos] == '%') {
            while (!at_end(&p) && !is_break(p.s[p.pos])) p.pos++;
            skip_space_lines(&p);
        }
        bool explicit_start = false;
        if (doc_marker(&p, "---")) {
            p.pos += 3;
            explicit_start = true;
        }
        if (at_end(&p) && !explicit_start) {
            if (!any && p.pending.len) {
                /* a stream of comments only: one null document */
            }
            break;
        }
        p.anchors = jv_obj();
        p.meta = jv_obj();
        p.alias_budget = ALIAS_BUDGET;
        Jv v = jv_null();
        Jv root = jv_arr();
        skip_blanks(&p);
        bool empty = false;
        {
            size_t save = p.pos;
            skip_space_lines(&p);
            empty = at_end(&p) || doc_marker(&p, "---") || doc_marker(&p, "...");
            if (!empty) {
                p.pos = save;
                ok = parse_node(&p, -1, root, &v, false);
            }
        }
        jv_free(root);
        Jv foot = jv_invalid();
        if (ok) {
            skip_space_lines(&p);
            if (!at_end(&p) && !doc_marker(&p, "---") && !doc_marker(&p, "...")) {
                ok = fail(&p, "did not find expected <document start>");
            }
            size_t n = p.pending.len;
            while (n > 0 && p.pending.s[n - 1] == '\n') n--;
            if (n) foot = jv_str_utf8(p.pending.s, n);
            sb_clear(&p.pending);
            if (doc_marker(&p, "...")) {
                p.pos += 3;
                while (!at_end(&p) && !is_break(p.s[p.pos])) p.pos++;
            }
        }
        jv_free(p.anchors);
        if (!ok) {
            jv_free(v);
            jv_free(p.meta);
            jv_free(foot);
            break;
        }
        if (out->n == out->cap) {
            out->cap = out->cap ? out->cap * 2 : 4;
            out->v = xrealloc(out->v, out->cap * sizeof *out->v);
        }
        out->v[out->n++] = (YamlDoc){v, p.meta, foot, false, explicit_start};
        any = true;
        if (at_end(&p)) break;
    }
    if (ok && out->n == 0) {
        /* yq reads an empty stream as one empty document */
        size_t n = p.pending.len;
        while (n > 0 && p.pending.s[n - 1] == '\n') n--;
        out->v = xrealloc(out->v, sizeof *out->v);
        out->cap = out->cap ? out->cap : 1;
        out->v[0] = (YamlDoc){jv_null(), jv_obj(), n ? jv_str_utf8(p.pending.s, n) : jv_invalid(), true, false};
        out->n = 1;
    }
    sb_free(&p.pending);
    if (!ok) {
        *err = p.err ? p.err : xstrdup("yaml: invalid document");
        return false;
    }
    return true;
}

void yaml_docs_free(YamlDocs *d) {
    for (size_t i = 0; i < d->n; i++) {
        jv_free(d->v[i].value);
        jv_free(d->v[i].meta);
        jv_free(d->v[i].foot);
    }
    free(d->v);
    d->v = NULL;
    d->n = d->cap = 0;
}
