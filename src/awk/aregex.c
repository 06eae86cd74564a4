/* aregex.c - awk regular expressions on wasmsh's engine (src/regex).
 *
 * awk's syntax is ERE plus its own escapes: \n \t \/ \ooo \xhh are
 * characters, \y is a word boundary (\b is backspace), and a backslash
 * escapes inside brackets ([\]a] holds ']' and 'a'). The text is rewritten
 * into the engine's ERE with POSIX brackets before compiling. Dynamic
 * regexes (strings used as regexes) go through a small cache. */
#include "awkint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is_meta(int c) { return c && strchr(".[]()*+?{}|^$\\", c) != NULL; }

static int hexv(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* A character escape shared by both contexts: \n \t ... \ooo \xhh.
 * Returns the byte (0-255) and advances *i, or -1 when d is not one. */
static int char_escape(const char *s, size_t n, size_t *i) {
    char d = s[*i];
    switch (d) {
    case 'n': (*i)++; return '\n';
    case 't': (*i)++; return '\t';
    case 'r': (*i)++; return '\r';
    case 'f': (*i)++; return '\f';
    case 'v': (*i)++; return '\v';
    case 'a': (*i)++; return '\a';
    case 'b': (*i)++; return '\b';
    case '/': (*i)++; return '/';
    case '"': (*i)++; return '"';
    case 'x': {
        size_t j = *i + 1;
        int v = 0, k = 0;
        while (k < 2 && j < n && hexv(s[j]) >= 0) { v = v * 16 + hexv(s[j++]); k++; }
        if (!k) return -1;
        *i = j;
        return v;
    }
    default:
        if (d >= '0' && d <= '7') {
            size_t j = *i;
            int v = 0, k = 0;
            while (k < 3 && j < n && s[j] >= '0' && s[j] <= '7') { v = v * 8 + (s[j++] - '0'); k++; }
            *i = j;
            return v;
        }
        return -1;
    }
}

typedef struct BItem {
    int kind; /* 0 char, 1 range, 2 class text */
    size_t lo, lon, hi, hin; /* byte spans in the decoded buffer */
} BItem;

/* Length of the (UTF-8) character at s[0..n). */
static size_t char_len(Awk *a, const char *s, size_t n) {
    if (!a->utf8) return 1;
    unsigned char c = (unsigned char)s[0];
    size_t k = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    if (k > n) k = 1;
    for (size_t i = 1; i < k; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) return 1;
    return k;
}

/* One bracket member character (escapes decoded) appended to dec. */
static void bracket_char(Awk *a, const char *s, size_t n, size_t *i, StrBuf *dec, size_t *off, size_t *len) {
    *off = dec->len;
    if (s[*i] == '\\' && *i + 1 < n) {
        (*i)++;
        int c = char_escape(s, n, i);
        if (c >= 0) sb_putc(dec, (char)c);
        else sb_putc(dec, s[(*i)++]);
    } else {
        size_t k = char_len(a, s + *i, n - *i);
        sb_put(dec, s + *i, k);
        *i += k;
    }
    *len = dec->len - *off;
}

/* Rewrites the bracket starting at s[*i] == '['; false when unterminated
 * (the rest is then copied for the engine to report). */
static bool translate_bracket(Awk *a, const char *s, size_t n, size_t *i, StrBuf *out) {
    size_t j = *i + 1;
    bool neg = false;
    if (j < n && s[j] == '^') { neg = true; j++; }
    BItem *items = NULL;
    size_t nitems = 0, cap = 0;
    StrBuf dec;
    sb_init(&dec);
    bool first = true, closed = false;
    while (j < n) {
        if (s[j] == ']' && !first) { closed = true; j++; break; }
        if (nitems == cap) {
            cap = cap ? cap * 2 : 8;
            items = xrealloc(items, cap * sizeof *items);
        }
        BItem *it = &items[nitems];
        memset(it, 0, sizeof *it);
        if (s[j] == '[' && j + 1 < n && (s[j + 1] == ':' || s[j + 1] == '.' || s[j + 1] == '=')) {
            char cl = s[j + 1];
            size_t e = j + 2;
            while (e + 1 < n && !(s[e] == cl && s[e + 1] == ']')) e++;
            if (e + 1 < n) {
                it->kind = 2;
                it->lo = dec.len;
                sb_put(&dec, s + j, e + 2 - j);
                it->lon = dec.len - it->lo;
                j = e + 2;
                nitems++;
                first = false;
                continue;
            }
        }
        bracket_char(a, s, n, &j, &dec, &it->lo, &it->lon);
        if (j + 1 < n && s[j] == '-' && s[j + 1] != ']') {
            j++;
            it->kind = 1;
            bracket_char(a, s, n, &j, &dec, &it->hi, &it->hin);
        }
        nitems++;
        first = false;
    }
    if (!closed) {
        free(items);
        sb_free(&dec);
        return false;
    }
    bool has_rb = false, has_caret = false, has_dash = false;
    size_t others = 0;
    for (size_t k = 0; k < nitems; k++) {
        BItem *it = &items[k];
        if (it->kind == 0 && it->lon == 1) {
            char c = dec.s[it->lo];
            if (c == ']') { has_rb = true; continue; }
            if (c == '^') { has_caret = true; continue; }
            if (c == '-') { has_dash = true; continue; }
        }
        others++;
    }
    if (!neg && has_caret && !has_rb && !others && !has_dash) {
        sb_puts(out, "\\^");
    } else {
        sb_putc(out, '[');
        if (neg) sb_putc(out, '^');
        if (has_rb) sb_putc(out, ']');
        else if (has_caret && !others && !neg) {
            /* only ^ and -: "[-^]" */
            sb_puts(out, "-^]");
            *i = j;
            free(items);
            sb_free(&dec);
            return true;
        }
        for (size_t k = 0; k < nitems; k++) {
            BItem *it = &items[k];
            if (it->kind == 0 && it->lon == 1 && (dec.s[it->lo] == ']' || dec.s[it->lo] == '^' || dec.s[it->lo] == '-')) continue;
            sb_put(out, dec.s + it->lo, it->lon);
            if (it->kind == 1) {
                sb_putc(out, '-');
                sb_put(out, dec.s + it->hi, it->hin);
            }
        }
        if (has_caret) sb_putc(out, '^');
        if (has_dash) sb_putc(out, '-');
        sb_putc(out, ']');
    }
    *i = j;
    free(items);
    sb_free(&dec);
    return true;
}

static void translate(Awk *a, const char *s, size_t n, StrBuf *out, bool warn) {
    size_t i = 0;
    while (i < n) {
        char c = s[i];
        if (c == '\\') {
            if (i + 1 >= n) {
                sb_puts(out, "\\\\");
                i++;
                continue;
            }
            i++;
            char d = s[i];
            int ch = char_escape(s, n, &i);
            if (ch >= 0) {
                if (is_meta(ch)) sb_putc(out, '\\');
                sb_putc(out, (char)ch);
                continue;
            }
            i++;
            switch (d) {
            case 'y': sb_puts(out, "\\b"); break;
            case 'B': case '<': case '>': case 's': case 'S': case 'w': case 'W': case '`': case '\'':
                sb_putc(out, '\\');
                sb_putc(out, d);
                break;
            default:
                if (is_meta(d)) {
                    sb_putc(out, '\\');
                    sb_putc(out, d);
                } else {
                    if (warn) awk_warning(a, "regexp escape sequence `\\%c' is not a known regexp operator", d);
                    sb_putc(out, d);
                }
            }
            continue;
        }
        if (c == '[') {
            if (translate_bracket(a, s, n, &i, out)) continue;
            sb_put(out, s + i, n - i);
            break;
        }
        sb_putc(out, c);
        i++;
    }
}

Regex *awk_regcomp(Awk *a, const char *src, size_t n, bool icase, bool dynamic) {
    StrBuf t;
    sb_init(&t);
    translate(a, src, n, &t, !dynamic);
    RxError err;
    unsigned flags = (a->utf8 ? 0 : RX_BYTES) | (icase ? RX_ICASE : 0);
    Regex *re = rx_compile(t.s ? t.s : "", t.len, RX_ERE, flags, &err);
    sb_free(&t);
    if (!re) {
        if (dynamic) {
            awk_fatal(a, "invalid regexp: %s: /%.*s/", err.msg, (int)n, src);
        } else {
            StrBuf b;
            sb_init(&b);
            awk_prog_where(a, &b, a->cur_line);
            sb_printf(&b, "error: %s: /%.*s/\n", err.msg, (int)n, src);
            uc_write(a->c, 2, b.s, b.len);
            sb_free(&b);
        }
    }
    return re;
}

Regex *awk_const_re(Awk *a, int k) {
    AwkRegex *r = &a->prog.res[k];
    if (!a->icase) return r->re;
    if (!r->re_icase) r->re_icase = awk_regcomp(a, r->src, r->srclen, true, true);
    return r->re_icase ? r->re_icase : r->re;
}

Regex *awk_dynregex(Awk *a, AwkStr *s) {
    RegexCacheEntry *victim = &a->recache[0];
    for (int i = 0; i < AWK_RECACHE; i++) {
        RegexCacheEntry *e = &a->recache[i];
        if (e->key && e->icase == a->icase && e->key->len == s->len && !memcmp(e->key->s, s->s, s->len)) {
            e->used = ++a->recache_tick;
            return e->re;
        }
        if (!e->key) victim = e;
        else if (victim->key && e->used < victim->used) victim = e;
    }
    Regex *re = awk_regcomp(a, s->s, s->len, a->icase, true);
    if (!re) return NULL;
    if (victim->key) {
        astr_unref(victim->key);
        rx_free(victim->re);
    }
    victim->key = astr_ref(s);
    victim->icase = a->icase;
    victim->re = re;
    victim->used = ++a->recache_tick;
    return re;
}

static bool stop_hook(void *ctx) { return awk_should_stop((Awk *)ctx); }

int awk_search(Awk *a, Regex *re, const char *s, size_t n, size_t start, bool notbol, RxSpan *caps, size_t ncaps) {
    RxExec ex = {.flags = notbol ? 0 : 0, .should_stop = stop_hook, .stop_ctx = a};
    (void)notbol;
    int r = rx_search(re, s, n, start, &ex, caps, ncaps);
    if (r == RX_BUDGET || r == RX_ENOMEM) {
        if (!a->fatal) {
            if (r == RX_ENOMEM) awk_fatal(a, "regex match ran out of memory");
            a->fatal = true;
            if (!a->exit_status) a->exit_status = 2;
        }
        return -1;
    }
    return r;
}
