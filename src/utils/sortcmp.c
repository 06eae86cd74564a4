/* sortcmp.c - line comparison for sort (see sortcmp.h). */
#include "sortcmp.h"
#include "common.h"

#include <ctype.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* memcmp's order, eight bytes at a time: the wasm libc's memcmp goes
 * byte by byte unless both pointers are aligned, and lines seldom are. */
static int mem_order(const char *a, const char *b, size_t n) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t x, y;
        memcpy(&x, a + i, 8);
        memcpy(&y, b + i, 8);
        if (x != y) {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
            x = __builtin_bswap64(x);
            y = __builtin_bswap64(y);
#endif
            return x < y ? -1 : 1;
        }
    }
    for (; i < n; i++)
        if (a[i] != b[i]) return (unsigned char)a[i] < (unsigned char)b[i] ? -1 : 1;
    return 0;
}

int sort_bytes_cmp(const char *a, size_t al, const char *b, size_t bl) {
    int d = mem_order(a, b, al < bl ? al : bl);
    return d ? d : al < bl ? -1 : al > bl;
}

static bool is_blank(char c) { return c == ' ' || c == '\t'; }

/* Moves past one field starting at p. */
static const char *skip_field(const SortCfg *cfg, const char *p, const char *lim) {
    if (cfg->tab >= 0) {
        while (p < lim && *p != (char)cfg->tab) p++;
        return p < lim ? p + 1 : p;
    }
    while (p < lim && is_blank(*p)) p++;
    while (p < lim && !is_blank(*p)) p++;
    return p;
}

static const char *skip_blanks(const char *p, const char *lim) {
    while (p < lim && is_blank(*p)) p++;
    return p;
}

static const char *key_begin(const SortCfg *cfg, const SortKey *k, const char *p, const char *lim) {
    for (size_t i = 0; i < k->sword && p < lim; i++) p = skip_field(cfg, p, lim);
    if (k->skipsblanks) p = skip_blanks(p, lim);
    return (size_t)(lim - p) < k->schar ? lim : p + k->schar;
}

static const char *key_end(const SortCfg *cfg, const SortKey *k, const char *p, const char *lim) {
    if (k->eword == SIZE_MAX) return lim;
    for (size_t i = 0; i < k->eword && p < lim; i++) p = skip_field(cfg, p, lim);
    if (k->echar == 0) {
        if (cfg->tab >= 0) {
            const char *t = memchr(p, cfg->tab, (size_t)(lim - p));
            return t ? t : lim;
        }
        return skip_field(cfg, p, lim);
    }
    if (k->skipeblanks) p = skip_blanks(p, lim);
    return (size_t)(lim - p) < k->echar ? lim : p + k->echar;
}

/* ---- numbers ---- */
typedef struct Num {
    bool neg, zero;
    const char *ip, *fp; /* integer digits without leading zeros; fraction without trailing zeros */
    size_t il, fl;
    const char *end;
} Num;

static void parse_num(const char *p, const char *lim, Num *n) {
    p = skip_blanks(p, lim);
    n->neg = p < lim && *p == '-';
    if (n->neg) p++;
    while (p < lim && *p == '0') p++;
    n->ip = p;
    while (p < lim && isdigit((unsigned char)*p)) p++;
    n->il = (size_t)(p - n->ip);
    n->fp = p;
    n->fl = 0;
    if (p < lim && *p == '.') {
        n->fp = ++p;
        while (p < lim && isdigit((unsigned char)*p)) p++;
        n->fl = (size_t)(p - n->fp);
        while (n->fl && n->fp[n->fl - 1] == '0') n->fl--;
    }
    n->end = p;
    n->zero = !n->il && !n->fl;
    if (n->zero) n->neg = false;
}

static int num_magnitude(const Num *a, const Num *b) {
    if (a->il != b->il) return a->il < b->il ? -1 : 1;
    int d = mem_order(a->ip, b->ip, a->il);
    if (d) return d;
    size_t m = a->fl < b->fl ? a->fl : b->fl;
    d = mem_order(a->fp, b->fp, m);
    if (d) return d;
    return a->fl < b->fl ? -1 : a->fl > b->fl;
}

static int numeric_cmp(const char *a, const char *al, const char *b, const char *bl) {
    Num x, y;
    parse_num(a, al, &x);
    parse_num(b, bl, &y);
    if (x.neg != y.neg) return x.neg ? -1 : 1;
    int d = num_magnitude(&x, &y);
    return x.neg ? -d : d;
}

static int unit_of(const Num *n, const char *lim, bool fold) {
    static const char units[] = "KMGTPEZY"; /* coreutils 9.1 has no R or Q */
    if (n->end >= lim || !*n->end) return 0;
    char c = *n->end == 'k' || fold ? (char)toupper((unsigned char)*n->end) : *n->end;
    const char *u = strchr(units, c);
    return u ? (int)(u - units) + 1 : 0;
}

static int human_cmp(const char *a, const char *al, const char *b, const char *bl, bool fold) {
    Num x, y;
    parse_num(a, al, &x);
    parse_num(b, bl, &y);
    int sx = x.zero ? 0 : x.neg ? -1 : 1, sy = y.zero ? 0 : y.neg ? -1 : 1;
    if (sx != sy) return sx < sy ? -1 : 1;
    if (!sx) return 0;
    int d = unit_of(&x, al, fold) - unit_of(&y, bl, fold);
    if (!d) d = num_magnitude(&x, &y);
    return x.neg ? -d : d;
}

/* Parses a general number; returns 0 for no number, 1 for NaN, 2 for a number. */
static int parse_general(const char *p, const char *lim, long double *v) {
    char small[64];
    size_t n = (size_t)(lim - p);
    char *buf = n < sizeof small ? small : malloc(n + 1);
    memcpy(buf, p, n);
    buf[n] = 0;
    char *end;
    *v = strtold(buf, &end);
    int kind = end == buf ? 0 : isnan(*v) ? 1 : 2;
    if (buf != small) free(buf);
    return kind;
}

static int general_cmp(const char *a, const char *al, const char *b, const char *bl) {
    long double x, y;
    int kx = parse_general(a, al, &x), ky = parse_general(b, bl, &y);
    if (kx != ky) return kx < ky ? -1 : 1;
    if (kx < 2) return 0;
    return x < y ? -1 : x > y;
}

static int month_of(const char *p, const char *lim) {
    static const char months[] = "JANFEBMARAPRMAYJUNJULAUGSEPOCTNOVDEC";
    p = skip_blanks(p, lim);
    if (lim - p < 3) return 0;
    char m[3] = {(char)toupper((unsigned char)p[0]), (char)toupper((unsigned char)p[1]),
                 (char)toupper((unsigned char)p[2])};
    for (int i = 0; i < 12; i++)
        if (!memcmp(months + 3 * i, m, 3)) return i + 1;
    return 0;
}

/* ---- version order (filevercmp) ---- */
static int ver_order(unsigned char c) {
    if (isdigit(c)) return 0;
    if (isalpha(c)) return c;
    if (c == '~') return -1;
    return c + 256;
}

static int verrevcmp(const char *a, size_t al, const char *b, size_t bl) {
    size_t i = 0, j = 0;
    while (i < al || j < bl) {
        int first_diff = 0;
        while ((i < al && !isdigit((unsigned char)a[i])) || (j < bl && !isdigit((unsigned char)b[j]))) {
            int ac = i < al ? ver_order((unsigned char)a[i]) : 0;
            int bc = j < bl ? ver_order((unsigned char)b[j]) : 0;
            if (ac != bc) return ac - bc;
            i++;
            j++;
        }
        while (i < al && a[i] == '0') i++;
        while (j < bl && b[j] == '0') j++;
        while (i < al && j < bl && isdigit((unsigned char)a[i]) && isdigit((unsigned char)b[j])) {
            if (!first_diff) first_diff = a[i] - b[j];
            i++;
            j++;
        }
        if (i < al && isdigit((unsigned char)a[i])) return 1;
        if (j < bl && isdigit((unsigned char)b[j])) return -1;
        if (first_diff) return first_diff;
    }
    return 0;
}

/* Length of s without its suffix matching (\.[A-Za-z~][A-Za-z0-9~]*)*$ */
static size_t ver_prefixlen(const char *s, size_t n) {
    bool chain = false;
    size_t start = n, i = 0;
    while (i < n) {
        if (s[i] == '.' && i + 1 < n && (isalpha((unsigned char)s[i + 1]) || s[i + 1] == '~')) {
            if (!chain) start = i;
            chain = true;
            for (i++; i < n && (isalnum((unsigned char)s[i]) || s[i] == '~');) i++;
        } else {
            chain = false;
            i++;
        }
    }
    return chain ? start : n;
}


int sort_version_cmp(const char *a, size_t al, const char *b, size_t bl) {
    int simple = sort_bytes_cmp(a, al, b, bl);
    if (!simple) return 0;
    if (!al || !bl) return al ? 1 : -1;
    bool adot = (al == 1 && a[0] == '.') || (al == 2 && !memcmp(a, "..", 2));
    bool bdot = (bl == 1 && b[0] == '.') || (bl == 2 && !memcmp(b, "..", 2));
    if (adot || bdot) return adot && bdot ? simple : adot ? -1 : 1;
    if ((a[0] == '.') != (b[0] == '.')) return a[0] == '.' ? -1 : 1;
    size_t ap = ver_prefixlen(a, al), bp = ver_prefixlen(b, bl);
    int r = ap == bp && !memcmp(a, b, ap) ? 0 : verrevcmp(a, ap, b, bp);
    if (!r) r = verrevcmp(a, al, b, bl);
    return r;
}

/* ---- text ---- */

static bool ignored(const SortKey *k, unsigned char c) {
    return (k->dict && !is_blank((char)c) && !isalnum(c)) || (k->nonprint && !isprint(c));
}

static int text_cmp(const SortKey *k, const char *a, size_t al, const char *b, size_t bl) {
    if (!k->dict && !k->nonprint && !k->fold) return sort_bytes_cmp(a, al, b, bl);
    size_t i = 0, j = 0;
    for (;;) {
        while (i < al && ignored(k, (unsigned char)a[i])) i++;
        while (j < bl && ignored(k, (unsigned char)b[j])) j++;
        if (i == al || j == bl) return (i < al) - (j < bl);
        int x = (unsigned char)a[i++], y = (unsigned char)b[j++];
        if (k->fold) x = toupper(x), y = toupper(y);
        if (x != y) return x - y;
    }
}

/* Applies -d / -i / -f to a key (for the orderings that compare a copy). */
static void transform_key(const SortKey *k, const char *p, const char *end, StrBuf *out) {
    sb_init(out);
    sb_reserve(out, (size_t)(end - p));
    for (; p < end; p++)
        if (!ignored(k, (unsigned char)*p)) sb_putc(out, k->fold ? (char)toupper((unsigned char)*p) : *p);
}

static int version_key_cmp(const SortKey *k, const char *ab, const char *ae, const char *bb, const char *be) {
    if (!k->dict && !k->nonprint && !k->fold) return sort_version_cmp(ab, (size_t)(ae - ab), bb, (size_t)(be - bb));
    StrBuf x, y;
    transform_key(k, ab, ae, &x);
    transform_key(k, bb, be, &y);
    int d = sort_version_cmp(sb_cstr(&x), x.len, sb_cstr(&y), y.len);
    sb_free(&x);
    sb_free(&y);
    return d;
}

static uint64_t key_hash(uint32_t salt, const char *p, size_t n) {
    uint64_t h = 1469598103934665603ull ^ salt;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)p[i]) * 1099511628211ull;
    return h ^ (h >> 29);
}

void sort_key_span(const SortCfg *cfg, const SortKey *k, const char *line, size_t len, size_t *b, size_t *e) {
    const char *kb = key_begin(cfg, k, line, line + len), *ke = key_end(cfg, k, line, line + len);
    if (ke < kb) ke = kb;
    *b = (size_t)(kb - line);
    *e = (size_t)(ke - line);
}

int sort_key_compare(const SortCfg *cfg, const SortKey *k, const char *ab, const char *ae, const char *bb,
                     const char *be) {
    int d;
    if (k->numeric) d = numeric_cmp(ab, ae, bb, be);
    else if (k->human) d = human_cmp(ab, ae, bb, be, k->fold);
    else if (k->general) d = general_cmp(ab, ae, bb, be);
    else if (k->month) d = month_of(ab, ae) - month_of(bb, be);
    else if (k->version) d = version_key_cmp(k, ab, ae, bb, be);
    else if (k->random) {
        uint64_t x = key_hash(cfg->salt, ab, (size_t)(ae - ab)), y = key_hash(cfg->salt, bb, (size_t)(be - bb));
        d = x < y ? -1 : x > y ? 1 : text_cmp(k, ab, (size_t)(ae - ab), bb, (size_t)(be - bb));
    } else d = text_cmp(k, ab, (size_t)(ae - ab), bb, (size_t)(be - bb));
    return k->reverse ? -d : d;
}

static int key_cmp(const SortCfg *cfg, const SortKey *k, const char *a, size_t alen, const char *b,
                   size_t blen) {
    size_t ab, ae, bb, be;
    sort_key_span(cfg, k, a, alen, &ab, &ae);
    sort_key_span(cfg, k, b, blen, &bb, &be);
    return sort_key_compare(cfg, k, a + ab, a + ae, b + bb, b + be);
}

/* A key that is the whole line compared bytewise (plain `sort`, `sort -r`). */
bool sort_plain_whole_line(const SortKey *k) {
    return k->sword == 0 && k->schar == 0 && k->eword == SIZE_MAX && !k->skipsblanks && !k->skipeblanks &&
           !k->numeric && !k->general && !k->human && !k->month && !k->random && !k->version && !k->fold &&
           !k->dict && !k->nonprint;
}

int sort_keys_cmp(const SortCfg *cfg, const char *a, size_t alen, const char *b, size_t blen) {
    if (cfg->nkeys == 1 && sort_plain_whole_line(&cfg->keys[0])) {
        int d = sort_bytes_cmp(a, alen, b, blen);
        return cfg->keys[0].reverse ? -d : d;
    }
    for (size_t i = 0; i < cfg->nkeys; i++) {
        int d = key_cmp(cfg, &cfg->keys[i], a, alen, b, blen);
        if (d) return d;
    }
    return 0;
}

int sort_line_cmp(const SortCfg *cfg, const char *a, size_t alen, const char *b, size_t blen) {
    int d = sort_keys_cmp(cfg, a, alen, b, blen);
    if (d || cfg->stable || cfg->unique) return d;
    d = sort_bytes_cmp(a, alen, b, blen);
    return cfg->reverse ? -d : d;
}
