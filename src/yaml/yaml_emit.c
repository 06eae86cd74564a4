/* yaml_emit.c - writing YAML as yq v4 does (go-yaml v3's emitter: block
 * style, 2-space indent with indented sequences, quoting only when a plain
 * scalar would read back differently), with kept comments and styles; and
 * yq's props / csv / tsv outputs. */
#include "yaml.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- scalars */

static bool resolves_non_string(const char *s, size_t n) {
    if (n == 0) return true;
    /* what the reader would make of it as a plain scalar */
    static const char *const words[] = {"~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False",
                                        "FALSE", ".inf", ".Inf", ".INF", "-.inf", "-.Inf", "-.INF", "+.inf",
                                        ".nan", ".NaN", ".NAN", NULL};
    for (int i = 0; words[i]; i++)
        if (strlen(words[i]) == n && !memcmp(words[i], s, n)) return true;
    size_t i = 0, dig = 0;
    if (s[0] == '-' || s[0] == '+') i++;
    if (n > i + 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'o')) return true;
    while (i < n && s[i] >= '0' && s[i] <= '9') i++, dig++;
    if (i < n && s[i] == '.') {
        i++;
        while (i < n && s[i] >= '0' && s[i] <= '9') i++, dig++;
    }
    if (dig && i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-')) i++;
        size_t e0 = i;
        while (i < n && s[i] >= '0' && s[i] <= '9') i++;
        if (i == e0) return false;
    }
    return dig && i == n;
}

static bool needs_double(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && c != '\n') || c == 0x7F) return true;
    }
    return false;
}

static bool plain_safe(const char *s, size_t n, bool flow) {
    if (n == 0) return false;
    if (strchr("-?:,[]{}#&*!|>'\"%@`", s[0]) && !(s[0] == '-' && n > 1 && s[1] != ' ' && s[1] != '-') &&
        !(s[0] == '?' && n > 1 && s[1] != ' ') && !(s[0] == ':' && n > 1 && s[1] != ' '))
        return false;
    if (s[0] == '-' && n >= 3 && !memcmp(s, "---", 3)) return false;
    if (s[0] == ' ' || s[n - 1] == ' ' || s[n - 1] == ':') return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '\n') return false;
        if (c == ':' && i + 1 < n && s[i + 1] == ' ') return false;
        if (c == '#' && i > 0 && s[i - 1] == ' ') return false;
        if (flow && strchr(",[]{}", c)) return false;
    }
    return true;
}

static void put_double(StrBuf *b, const char *s, size_t n) {
    sb_putc(b, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': sb_puts(b, "\\\""); break;
        case '\\': sb_puts(b, "\\\\"); break;
        case '\n': sb_puts(b, "\\n"); break;
        case '\t': sb_puts(b, "\\t"); break;
        case '\r': sb_puts(b, "\\r"); break;
        case '\0': sb_puts(b, "\\0"); break;
        case 0x1b: sb_puts(b, "\\e"); break;
        default:
            if (c < 0x20 || c == 0x7F) sb_printf(b, "\\x%02X", c);
            else sb_putc(b, (char)c);
        }
    }
    sb_putc(b, '"');
}

static void put_single(StrBuf *b, const char *s, size_t n) {
    sb_putc(b, '\'');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\'') sb_putc(b, '\'');
        sb_putc(b, s[i]);
    }
    sb_putc(b, '\'');
}

static void put_indent(StrBuf *b, int n) {
    for (int i = 0; i < n; i++) sb_putc(b, ' ');
}

/* A literal block scalar: "|" with chomping, then the lines at indent. */
static void put_literal(StrBuf *b, const char *s, size_t n, int indent) {
    size_t trail = 0;
    while (trail < n && s[n - 1 - trail] == '\n') trail++;
    sb_puts(b, trail == 0 ? "|-" : trail == 1 ? "|" : "|+");
    if (n && s[0] == ' ') sb_printf(b, "%d", 2);
    size_t body = n - trail;
    size_t i = 0;
    sb_putc(b, '\n');
    while (i < body) {
        size_t e = i;
        while (e < body && s[e] != '\n') e++;
        if (e > i) put_indent(b, indent);
        sb_put(b, s + i, e - i);
        sb_putc(b, '\n');
        i = e + 1;
    }
    for (size_t k = 1; k < trail; k++) sb_putc(b, '\n');
    /* the caller adds no newline after a block scalar */
}

typedef struct Em {
    StrBuf *b;
    const YamlOut *o;
    /* pointers of the source document's containers and their path keys */
    struct PtrPath {
        const void *ptr;
        char *key;
    } *idx;
    size_t nidx;
} Em;

static const Jv *meta_of(const Em *e, const char *key) {
    if (!key || !e->o->keep || !e->o->src || e->o->src->meta.kind != JV_OBJECT) return NULL;
    const Jv *m = jv_obj_find_c(e->o->src->meta, key, strlen(key));
    return m && m->kind == JV_OBJECT ? m : NULL;
}

static const char *meta_str(const Em *e, const char *key, const char *field) {
    const Jv *m = meta_of(e, key);
    if (!m) return NULL;
    const Jv *f = jv_obj_find_c(*m, field, strlen(field));
    return f && f->kind == JV_STRING ? jv_strval(*f) : NULL;
}

static const char *style_of(const Em *e, const char *key) {
    if (e->o->pretty) return NULL;
    return meta_str(e, key, "s");
}

/* Writes a scalar; returns true when it ended with a newline (block scalar). */
static bool put_scalar(Em *e, Jv v, int indent, const char *key, bool flow, bool is_key) {
    StrBuf *b = e->b;
    switch (v.kind) {
    case JV_NULL: sb_puts(b, "null"); return false;
    case JV_TRUE: sb_puts(b, "true"); return false;
    case JV_FALSE: sb_puts(b, "false"); return false;
    case JV_NUMBER: {
        double d = jv_numval(v);
        if (isnan(d)) sb_puts(b, ".nan");
        else if (isinf(d)) sb_puts(b, d > 0 ? ".inf" : "-.inf");
        else jv_num_text(b, v);
        return false;
    }
    case JV_STRING: break;
    default: return false;
    }
    const char *s = jv_strval(v);
    size_t n = jv_strlen(v);
    const char *style = is_key ? NULL : style_of(e, key);
    if (style && !strcmp(style, "double")) {
        put_double(b, s, n);
        return false;
    }
    if (style && !strcmp(style, "single") && !memchr(s, '\n', n) && !needs_double(s, n)) {
        put_single(b, s, n);
        return false;
    }
    if (!is_key && !flow && memchr(s, '\n', n) && !needs_double(s, n)) {
        put_literal(b, s, n, indent);
        return true;
    }
    if (needs_double(s, n) || (memchr(s, '\n', n) && (flow || is_key))) {
        put_double(b, s, n);
        return false;
    }
    if (!is_key && resolves_non_string(s, n)) {
        put_double(b, s, n);
        return false;
    }
    if (n == 0) {
        sb_puts(b, "\"\"");
        return false;
    }
    if (!plain_safe(s, n, flow)) {
        put_single(b, s, n);
        return false;
    }
    sb_put(b, s, n);
    return false;
}

/* ---------------------------------------------------------------- paths */

static char *child_key(const char *parent, Jv k) {
    if (!parent) return NULL;
    StrBuf b;
    sb_init(&b);
    sb_puts(&b, parent);
    Jv p = jv_arr();
    jv_arr_push(&p, jv_copy(k));
    yaml_path_key(&b, p);
    jv_free(p);
    return sb_take(&b);
}

static int ptr_cmp(const void *a, const void *b) {
    const void *x = ((const struct PtrPath *)a)->ptr, *y = ((const struct PtrPath *)b)->ptr;
    return x < y ? -1 : x > y;
}

static void index_doc(Em *e, Jv v, const char *key, size_t *cap, int depth) {
    if ((v.kind != JV_ARRAY && v.kind != JV_OBJECT) || depth > 200) return;
    if (e->nidx == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        e->idx = xrealloc(e->idx, *cap * sizeof *e->idx);
    }
    e->idx[e->nidx].ptr = v.kind == JV_ARRAY ? (const void *)v.u.a : (const void *)v.u.o;
    e->idx[e->nidx].key = xstrdup(key);
    e->nidx++;
    size_t n = v.kind == JV_ARRAY ? jv_arr_len(v) : jv_obj_len(v);
    for (size_t i = 0; i < n; i++) {
        Jv k = v.kind == JV_ARRAY ? jv_num((double)i) : jv_obj_key_at(v, i);
        char *ck = child_key(key, k);
        index_doc(e, v.kind == JV_ARRAY ? jv_arr_at(v, i) : jv_obj_val_at(v, i), ck, cap, depth + 1);
        free(ck);
    }
}

/* The path key of a container: from the source document when it is one of
 * its nodes (unchanged), else the one derived from its parent. */
static char *node_key(const Em *e, Jv v, const char *derived) {
    if ((v.kind == JV_ARRAY || v.kind == JV_OBJECT) && e->nidx) {
        struct PtrPath k = {v.kind == JV_ARRAY ? (const void *)v.u.a : (const void *)v.u.o, NULL};
        struct PtrPath *f = bsearch(&k, e->idx, e->nidx, sizeof *e->idx, ptr_cmp);
        if (f) return xstrdup(f->key);
    }
    return derived ? xstrdup(derived) : NULL;
}

static void put_head(Em *e, const char *key, int indent) {
    const char *h = meta_str(e, key, "h");
    if (!h) return;
    const char *p = h;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (len) put_indent(e->b, indent);
        sb_put(e->b, p, len);
        sb_putc(e->b, '\n');
        if (!nl) break;
        p = nl + 1;
    }
}

static void put_line_comment(Em *e, const char *key) {
    const char *l = meta_str(e, key, "l");
    if (l) {
        sb_putc(e->b, ' ');
        sb_puts(e->b, l);
    }
}

/* ---------------------------------------------------------------- nodes */

static bool is_empty_coll(Jv v) {
    return (v.kind == JV_ARRAY && jv_arr_len(v) == 0) || (v.kind == JV_OBJECT && jv_obj_len(v) == 0);
}

static void put_flow(Em *e, Jv v, const char *key, int depth) {
    StrBuf *b = e->b;
    if (v.kind == JV_ARRAY) {
        sb_putc(b, '[');
        for (size_t i = 0; i < jv_arr_len(v); i++) {
            if (i) sb_puts(b, ", ");
            char *ck = child_key(key, jv_num((double)i));
            if (depth < 200) put_flow(e, jv_arr_at(v, i), ck, depth + 1);
            free(ck);
        }
        sb_putc(b, ']');
    } else if (v.kind == JV_OBJECT) {
        sb_putc(b, '{');
        for (size_t i = 0; i < jv_obj_len(v); i++) {
            if (i) sb_puts(b, ", ");
            put_scalar(e, jv_obj_key_at(v, i), 0, NULL, true, true);
            sb_puts(b, ": ");
            char *ck = child_key(key, jv_obj_key_at(v, i));
            if (depth < 200) put_flow(e, jv_obj_val_at(v, i), ck, depth + 1);
            free(ck);
        }
        sb_putc(b, '}');
    } else {
        put_scalar(e, v, 0, key, true, false);
    }
}

static bool flow_style(const Em *e, Jv v, const char *key) {
    const char *s = style_of(e, key);
    return s && !strcmp(s, "flow") && (v.kind == JV_ARRAY || v.kind == JV_OBJECT);
}

static void put_block(Em *e, Jv v, int indent, const char *key, int depth);

/* The value after "key:" or "- ": inline (scalar, empty, flow) or on the next lines. */
static void put_value(Em *e, Jv v, int indent, const char *key, int depth, bool after_dash) {
    StrBuf *b = e->b;
    char *k = node_key(e, v, key);
    bool coll = v.kind == JV_ARRAY || v.kind == JV_OBJECT;
    if (!coll || is_empty_coll(v) || flow_style(e, v, k)) {
        sb_putc(b, ' ');
        bool block = false;
        if (coll && !is_empty_coll(v)) put_flow(e, v, k, depth);
        else if (coll) sb_puts(b, v.kind == JV_ARRAY ? "[]" : "{}");
        else block = put_scalar(e, v, indent + e->o->indent, k, false, false);
        if (!block) {
            put_line_comment(e, k);
            sb_putc(b, '\n');
        }
        free(k);
        return;
    }
    if (after_dash) {
        /* "- key: v" or "- - x": the first entry on the dash's line */
        sb_putc(b, ' ');
        put_block(e, v, -(indent + 2) - 1, k, depth + 1); /* "- " is two columns whatever the indent */
        free(k);
        return;
    }
    put_line_comment(e, k);
    sb_putc(b, '\n');
    put_block(e, v, indent + e->o->indent, k, depth + 1);
    free(k);
}

/* A block collection at indent; a negative indent -(n)-1 means the first
 * line continues the current one (after "- ") and the rest are at n. */
static void put_block(Em *e, Jv v, int indent, const char *key, int depth) {
    StrBuf *b = e->b;
    bool cont = indent < 0;
    int ind = cont ? -indent - 1 : indent;
    if (depth > 500) {
        sb_puts(b, "null\n");
        return;
    }
    size_t n = v.kind == JV_ARRAY ? jv_arr_len(v) : jv_obj_len(v);
    for (size_t i = 0; i < n; i++) {
        Jv k = v.kind == JV_ARRAY ? jv_num((double)i) : jv_obj_key_at(v, i);
        char *ck = child_key(key, k);
        if (!(cont && i == 0)) {
            put_head(e, ck, ind);
            put_indent(b, ind);
        }
        if (v.kind == JV_ARRAY) {
            sb_putc(b, '-');
            put_value(e, jv_arr_at(v, i), ind, ck, depth, true);
        } else {
            put_scalar(e, k, ind, NULL, false, true);
            sb_putc(b, ':');
            put_value(e, jv_obj_val_at(v, i), ind, ck, depth, false);
        }
        free(ck);
    }
}

void yaml_emit(StrBuf *b, Jv v, const YamlOut *o) {
    Em e = {b, o, NULL, 0};
    size_t cap = 0;
    if (o->src && o->src->empty && o->root_is_doc && v.kind == JV_NULL) {
        /* an empty document stays empty (its comments, if any) */
        if (o->keep && o->src->foot.kind == JV_STRING) sb_puts(b, jv_strval(o->src->foot));
        sb_putc(b, '\n');
        return;
    }
    if (o->keep && o->src) {
        index_doc(&e, o->src->value, "", &cap, 0);
        if (e.nidx) qsort(e.idx, e.nidx, sizeof *e.idx, ptr_cmp);
    }
    char *key = node_key(&e, v, o->root_is_doc ? "" : NULL);
    if (key && !*key) put_head(&e, key, 0); /* a sub-node is written without its own head comment */
    if ((v.kind == JV_ARRAY || v.kind == JV_OBJECT) && !is_empty_coll(v) && !flow_style(&e, v, key)) {
        put_block(&e, v, 0, key, 0);
    } else if (v.kind == JV_ARRAY || v.kind == JV_OBJECT) {
        if (is_empty_coll(v)) sb_puts(b, v.kind == JV_ARRAY ? "[]" : "{}");
        else put_flow(&e, v, key, 0);
        put_line_comment(&e, key);
        sb_putc(b, '\n');
    } else {
        if (!put_scalar(&e, v, 0, key, false, false)) {
            put_line_comment(&e, key);
            sb_putc(b, '\n');
        }
    }
    if (o->keep && o->src && o->root_is_doc && o->src->foot.kind == JV_STRING) {
        sb_puts(b, jv_strval(o->src->foot));
        sb_putc(b, '\n');
    }
    free(key);
    for (size_t i = 0; i < e.nidx; i++) free(e.idx[i].key);
    free(e.idx);
}

void yaml_scalar_text(StrBuf *b, Jv v) {
    if (v.kind == JV_STRING) sb_put(b, jv_strval(v), jv_strlen(v));
    else if (v.kind == JV_NUMBER) jv_num_text(b, v);
    else jv_dump_compact(b, v);
}

/* ---------------------------------------------------------------- props, csv */

static void props_rec(StrBuf *b, Jv v, StrBuf *path, int depth) {
    if ((v.kind == JV_ARRAY || v.kind == JV_OBJECT) && depth < 500) {
        size_t n = v.kind == JV_ARRAY ? jv_arr_len(v) : jv_obj_len(v);
        for (size_t i = 0; i < n; i++) {
            size_t save = path->len;
            if (path->len) sb_putc(path, '.');
            if (v.kind == JV_ARRAY) sb_printf(path, "%zu", i);
            else sb_put(path, jv_strval(jv_obj_key_at(v, i)), jv_strlen(jv_obj_key_at(v, i)));
            props_rec(b, v.kind == JV_ARRAY ? jv_arr_at(v, i) : jv_obj_val_at(v, i), path, depth + 1);
            path->len = save;
            if (path->s) path->s[save] = 0;
        }
        return;
    }
    sb_put(b, path->s ? path->s : "", path->len);
    sb_puts(b, " = ");
    yaml_scalar_text(b, v);
    sb_putc(b, '\n');
}

void yaml_emit_props(StrBuf *b, Jv v) {
    StrBuf path;
    sb_init(&path);
    props_rec(b, v, &path, 0);
    sb_free(&path);
}

static void csv_cell(StrBuf *b, Jv x, char sep) {
    StrBuf t;
    sb_init(&t);
    if (x.kind == JV_ARRAY || x.kind == JV_OBJECT) jv_dump_compact(&t, x);
    else if (x.kind != JV_NULL) yaml_scalar_text(&t, x);
    bool quote = false;
    for (size_t i = 0; i < t.len; i++)
        if (t.s[i] == sep || t.s[i] == '"' || t.s[i] == '\n' || t.s[i] == '\r') quote = true;
    if (t.len && t.s[0] == ' ') quote = true;
    if (quote) {
        sb_putc(b, '"');
        for (size_t i = 0; i < t.len; i++) {
            if (t.s[i] == '"') sb_putc(b, '"');
            sb_putc(b, t.s[i]);
        }
        sb_putc(b, '"');
    } else {
        sb_put(b, t.s ? t.s : "", t.len);
    }
    sb_free(&t);
}

bool yaml_emit_csv(StrBuf *b, Jv v, char sep, char **err) {
    if (v.kind != JV_ARRAY) {
        *err = xstrdup("csv encoding only works for arrays");
        return false;
    }
    bool objects = jv_arr_len(v) > 0 && jv_arr_at(v, 0).kind == JV_OBJECT;
    if (objects) {
        Jv first = jv_arr_at(v, 0);
        for (size_t i = 0; i < jv_obj_len(first); i++) {
            if (i) sb_putc(b, sep);
            csv_cell(b, jv_obj_key_at(first, i), sep);
        }
        sb_putc(b, '\n');
        for (size_t r = 0; r < jv_arr_len(v); r++) {
            Jv row = jv_arr_at(v, r);
            for (size_t i = 0; i < jv_obj_len(first); i++) {
                if (i) sb_putc(b, sep);
                const Jv *x = row.kind == JV_OBJECT ? jv_obj_find(row, jv_obj_key_at(first, i)) : NULL;
                csv_cell(b, x ? *x : jv_null(), sep);
            }
            sb_putc(b, '\n');
        }
        return true;
    }
    bool rows = jv_arr_len(v) > 0 && jv_arr_at(v, 0).kind == JV_ARRAY;
    if (!rows) {
        for (size_t i = 0; i < jv_arr_len(v); i++) {
            if (i) sb_putc(b, sep);
            csv_cell(b, jv_arr_at(v, i), sep);
        }
        sb_putc(b, '\n');
        return true;
    }
    for (size_t r = 0; r < jv_arr_len(v); r++) {
        Jv row = jv_arr_at(v, r);
        if (row.kind != JV_ARRAY) {
            csv_cell(b, row, sep);
        } else {
            for (size_t i = 0; i < jv_arr_len(row); i++) {
                if (i) sb_putc(b, sep);
                csv_cell(b, jv_arr_at(row, i), sep);
            }
        }
        sb_putc(b, '\n');
    }
    return true;
}
