/* unicode.c - character data for the regex engine: UTF-8 coding, simple case
 * mapping and the POSIX classes. The tables cover the scripts agents meet
 * (Latin, Greek, Cyrillic, Armenian, fullwidth forms) and approximate the
 * classes of glibc's C.UTF-8 elsewhere: letters of the big scripts are alpha,
 * digits are ASCII only (as glibc). */
#include "rx.h"

#include "common.h"

#include <stdlib.h>
#include <string.h>

#define MAXCP 0x10FFFFu

int rx_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp) {
    unsigned c = s[0];
    *cp = c;
    if (c < 0x80) return 1;
    int len;
    uint32_t v, min;
    if (c >= 0xC2 && c <= 0xDF) len = 2, v = c & 0x1F, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF) len = 3, v = c & 0x0F, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4) len = 4, v = c & 0x07, min = 0x10000;
    else return 0;
    if ((size_t)len > n) return 0;
    for (int i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > MAXCP || (v >= 0xD800 && v <= 0xDFFF)) return 0;
    *cp = v;
    return len;
}

int rx_utf8_encode(uint32_t cp, unsigned char *o) {
    if (cp < 0x80) return o[0] = (unsigned char)cp, 1;
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* ---- case mapping ---- */
/* Blocks where upper and lower case alternate (even upper, odd lower) or are
 * a fixed distance apart. */
typedef struct CaseBlock {
    uint32_t lo, hi; /* upper-case range */
    int delta;       /* lower = upper + delta; 1 for alternating pairs */
    bool pairs;
} CaseBlock;

static const CaseBlock case_blocks[] = {
    {0x41, 0x5A, 32, false},     {0xC0, 0xD6, 32, false},     {0xD8, 0xDE, 32, false},
    {0x100, 0x12F, 1, true},     {0x132, 0x137, 1, true},     {0x139, 0x148, 1, true},
    {0x14A, 0x177, 1, true},     {0x179, 0x17E, 1, true},     {0x182, 0x185, 1, true},
    {0x1A0, 0x1A5, 1, true},     {0x1CD, 0x1DC, 1, true},     {0x1DE, 0x1EF, 1, true},
    {0x1F8, 0x21F, 1, true},     {0x222, 0x233, 1, true},     {0x246, 0x24F, 1, true},
    {0x370, 0x373, 1, true},     {0x391, 0x3A1, 32, false},   {0x3A3, 0x3AB, 32, false},
    {0x3D8, 0x3EF, 1, true},     {0x400, 0x40F, 80, false},   {0x410, 0x42F, 32, false},
    {0x460, 0x481, 1, true},     {0x48A, 0x4BF, 1, true},     {0x4C1, 0x4CE, 1, true},
    {0x4D0, 0x52F, 1, true},     {0x531, 0x556, 48, false},   {0x10A0, 0x10C5, 7264, false},
    {0x1E00, 0x1E95, 1, true},   {0x1EA0, 0x1EFF, 1, true},   {0x1F08, 0x1F0F, -8, false},
    {0x1F18, 0x1F1D, -8, false}, {0x1F28, 0x1F2F, -8, false}, {0x1F38, 0x1F3F, -8, false},
    {0x1F48, 0x1F4D, -8, false}, {0x1F68, 0x1F6F, -8, false}, {0x2160, 0x216F, 16, false},
    {0x24B6, 0x24CF, 26, false}, {0x2C00, 0x2C2F, 48, false}, {0xFF21, 0xFF3A, 32, false},
};

/* Single mappings outside the blocks: upper, lower. */
static const uint32_t case_pairs[][2] = {
    {0x178, 0xFF}, {0x386, 0x3AC}, {0x388, 0x3AD}, {0x389, 0x3AE}, {0x38A, 0x3AF},
    {0x38C, 0x3CC}, {0x38E, 0x3CD}, {0x38F, 0x3CE}, {0x1E9E, 0xDF},
};

uint32_t rx_lower(uint32_t cp) {
    if (cp < 0x80) return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
    for (size_t i = 0; i < sizeof case_blocks / sizeof *case_blocks; i++) {
        const CaseBlock *b = &case_blocks[i];
        if (cp < b->lo || cp > b->hi) continue;
        if (b->pairs) return ((cp - b->lo) % 2 == 0) ? cp + 1 : cp;
        return (uint32_t)((int32_t)cp + b->delta);
    }
    for (size_t i = 0; i < sizeof case_pairs / sizeof *case_pairs; i++)
        if (case_pairs[i][0] == cp) return case_pairs[i][1];
    return cp;
}

uint32_t rx_upper(uint32_t cp) {
    if (cp < 0x80) return cp >= 'a' && cp <= 'z' ? cp - 32 : cp;
    if (cp == 0xB5) return 0x39C;
    if (cp == 0x3C2) return 0x3A3;
    if (cp == 0x17F) return 'S';
    if (cp == 0xDF) return cp; /* no simple upper case */
    for (size_t i = 0; i < sizeof case_blocks / sizeof *case_blocks; i++) {
        const CaseBlock *b = &case_blocks[i];
        if (b->pairs) {
            if (cp > b->lo && cp <= b->hi + 1 && (cp - b->lo) % 2 == 1) return cp - 1;
            continue;
        }
        int32_t up = (int32_t)cp - b->delta;
        if (up >= (int32_t)b->lo && up <= (int32_t)b->hi) return (uint32_t)up;
    }
    for (size_t i = 0; i < sizeof case_pairs / sizeof *case_pairs; i++)
        if (case_pairs[i][1] == cp) return case_pairs[i][0];
    return cp;
}

/* ---- classes ---- */
void rxc_add(RxClass *c, uint32_t lo, uint32_t hi) {
    if (lo > hi) return;
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 8;
        c->v = xrealloc(c->v, (size_t)c->cap * sizeof *c->v);
    }
    c->v[c->n++] = (RxRange){lo, hi};
}

static int range_cmp(const void *a, const void *b) {
    const RxRange *x = a, *y = b;
    return x->lo < y->lo ? -1 : x->lo > y->lo;
}

void rxc_normalize(RxClass *c) {
    if (c->n < 2) return;
    qsort(c->v, (size_t)c->n, sizeof *c->v, range_cmp);
    int o = 0;
    for (int i = 1; i < c->n; i++) {
        if (c->v[i].lo <= c->v[o].hi + 1 && c->v[o].hi != UINT32_MAX) {
            if (c->v[i].hi > c->v[o].hi) c->v[o].hi = c->v[i].hi;
        } else {
            c->v[++o] = c->v[i];
        }
    }
    c->n = o + 1;
}

void rxc_negate(RxClass *c, uint32_t maxcp) {
    rxc_normalize(c);
    RxClass out = {0};
    uint32_t next = 0;
    for (int i = 0; i < c->n; i++) {
        if (c->v[i].lo > next) rxc_add(&out, next, c->v[i].lo - 1);
        next = c->v[i].hi + 1;
        if (c->v[i].hi >= maxcp) { next = maxcp + 1; break; }
    }
    if (next <= maxcp) rxc_add(&out, next, maxcp);
    free(c->v);
    *c = out;
}

void rxc_fold(RxClass *c, bool bytes) {
    int n = c->n;
    for (int i = 0; i < n; i++) {
        uint32_t lo = c->v[i].lo, hi = c->v[i].hi;
        uint32_t top = bytes ? 0x7F : 0x2CFF;
        for (uint32_t cp = lo; cp <= hi && cp <= top; cp++) {
            uint32_t l = rx_lower(cp), u = rx_upper(cp);
            if (l != cp) rxc_add(c, l, l);
            if (u != cp) rxc_add(c, u, u);
        }
        if (!bytes && hi >= 0xFF21 && lo <= 0xFF5A) {
            for (uint32_t cp = lo < 0xFF21 ? 0xFF21 : lo; cp <= hi && cp <= 0xFF5A; cp++) {
                uint32_t l = rx_lower(cp), u = rx_upper(cp);
                if (l != cp) rxc_add(c, l, l);
                if (u != cp) rxc_add(c, u, u);
            }
        }
    }
    rxc_normalize(c);
}

void rxc_free(RxClass *c) {
    free(c->v);
    c->v = NULL;
    c->n = c->cap = 0;
}

/* Letters beyond ASCII, approximating glibc's C.UTF-8 "alpha". */
static const RxRange alpha_ranges[] = {
    {0xAA, 0xAA},     {0xB5, 0xB5},     {0xBA, 0xBA},     {0xC0, 0xD6},     {0xD8, 0xF6},
    {0xF8, 0x2C1},    {0x2C6, 0x2D1},   {0x2E0, 0x2E4},   {0x370, 0x374},   {0x376, 0x377},
    {0x37A, 0x37D},   {0x386, 0x386},   {0x388, 0x3FF},   {0x400, 0x481},   {0x48A, 0x52F},
    {0x531, 0x556},   {0x561, 0x587},   {0x5D0, 0x5EA},   {0x620, 0x64A},   {0x660, 0x669},
    {0x671, 0x6D3},   {0x904, 0x939},   {0x966, 0x96F},   {0xE01, 0xE30},   {0x10A0, 0x10FF},
    {0x1E00, 0x1FBC}, {0x1FC2, 0x1FCC}, {0x1FD0, 0x1FDB}, {0x1FE0, 0x1FEC}, {0x1FF2, 0x1FFC},
    {0x2C00, 0x2CE4}, {0x3041, 0x3096}, {0x30A1, 0x30FA}, {0x3400, 0x4DBF}, {0x4E00, 0x9FFF},
    {0xAC00, 0xD7A3}, {0xF900, 0xFAFF}, {0xFF10, 0xFF19}, {0xFF21, 0xFF3A}, {0xFF41, 0xFF5A},
    {0x20000, 0x2FFFF},
};

static const RxRange space_ranges[] = {
    {0x1680, 0x1680}, {0x2000, 0x2006}, {0x2008, 0x200A},
    {0x2028, 0x2029}, {0x205F, 0x205F}, {0x3000, 0x3000},
};

static void add_table(RxClass *c, const RxRange *t, size_t n) {
    for (size_t i = 0; i < n; i++) rxc_add(c, t[i].lo, t[i].hi);
}

static void add_alpha(RxClass *c, bool bytes) {
    rxc_add(c, 'A', 'Z');
    rxc_add(c, 'a', 'z');
    if (!bytes) add_table(c, alpha_ranges, sizeof alpha_ranges / sizeof *alpha_ranges);
}

/* Lower/upper beyond ASCII: the code points of alpha that have a mapping. */
static void add_case(RxClass *c, bool upper, bool bytes) {
    rxc_add(c, upper ? 'A' : 'a', upper ? 'Z' : 'z');
    if (bytes) return;
    for (uint32_t cp = 0x80; cp <= 0x2CFF; cp++) {
        if (upper ? rx_lower(cp) != cp : rx_upper(cp) != cp) rxc_add(c, cp, cp);
    }
    if (!upper) rxc_add(c, 0xDF, 0xDF);
    rxc_add(c, upper ? 0xFF21 : 0xFF41, upper ? 0xFF3A : 0xFF5A);
}

void rxc_add_word(RxClass *c, bool bytes) {
    add_alpha(c, bytes);
    rxc_add(c, '0', '9');
    rxc_add(c, '_', '_');
}

void rxc_add_space(RxClass *c, bool bytes) {
    rxc_add(c, '\t', '\r');
    rxc_add(c, ' ', ' ');
    if (!bytes) add_table(c, space_ranges, sizeof space_ranges / sizeof *space_ranges);
}

void rxc_add_digit(RxClass *c) { rxc_add(c, '0', '9'); }

void rxc_add_hspace(RxClass *c) {
    rxc_add(c, '\t', '\t');
    rxc_add(c, ' ', ' ');
    rxc_add(c, 0xA0, 0xA0);
    rxc_add(c, 0x1680, 0x1680);
    rxc_add(c, 0x180E, 0x180E);
    rxc_add(c, 0x2000, 0x200A);
    rxc_add(c, 0x202F, 0x202F);
    rxc_add(c, 0x205F, 0x205F);
    rxc_add(c, 0x3000, 0x3000);
}

void rxc_add_vspace(RxClass *c) {
    rxc_add(c, '\n', '\r');
    rxc_add(c, 0x85, 0x85);
    rxc_add(c, 0x2028, 0x2029);
}

static void add_punct(RxClass *c, bool bytes) {
    rxc_add(c, '!', '/');
    rxc_add(c, ':', '@');
    rxc_add(c, '[', '`');
    rxc_add(c, '{', '~');
    if (bytes) return;
    /* glibc: printable non-alphanumeric characters beyond ASCII are punct */
    RxClass other = {0};
    add_alpha(&other, false);
    add_table(&other, space_ranges, sizeof space_ranges / sizeof *space_ranges);
    rxc_add(&other, 0, 0xA0);
    rxc_add(&other, 0xD800, 0xDFFF);
    rxc_negate(&other, MAXCP);
    for (int i = 0; i < other.n; i++) rxc_add(c, other.v[i].lo, other.v[i].hi);
    rxc_free(&other);
}

bool rxc_add_named(RxClass *c, const char *name, size_t n, bool bytes) {
#define IS(s) (n == sizeof(s) - 1 && !memcmp(name, s, n))
    uint32_t top = bytes ? 0xFF : MAXCP;
    if (IS("alpha")) add_alpha(c, bytes);
    else if (IS("digit")) rxc_add_digit(c);
    else if (IS("alnum")) add_alpha(c, bytes), rxc_add_digit(c);
    else if (IS("upper")) add_case(c, true, bytes);
    else if (IS("lower")) add_case(c, false, bytes);
    else if (IS("space")) rxc_add_space(c, bytes);
    else if (IS("blank")) {
        rxc_add(c, '\t', '\t');
        rxc_add(c, ' ', ' ');
        if (!bytes) rxc_add(c, 0x1680, 0x1680), rxc_add(c, 0x2000, 0x2006), rxc_add(c, 0x2008, 0x200A),
            rxc_add(c, 0x205F, 0x205F), rxc_add(c, 0x3000, 0x3000);
    } else if (IS("punct")) add_punct(c, bytes);
    else if (IS("xdigit")) rxc_add(c, '0', '9'), rxc_add(c, 'A', 'F'), rxc_add(c, 'a', 'f');
    else if (IS("cntrl")) {
        rxc_add(c, 0, 31);
        rxc_add(c, 127, 127);
        if (!bytes) rxc_add(c, 0x80, 0x9F), rxc_add(c, 0x2028, 0x2029);
    } else if (IS("print") || IS("graph")) {
        bool graph = IS("graph");
        rxc_add(c, graph ? '!' : ' ', '~');
        if (!bytes) {
            /* everything printable beyond ASCII, less the spaces for graph */
            RxClass no = {0};
            rxc_add(&no, 0, 0x9F);
            rxc_add(&no, 0xD800, 0xDFFF);
            rxc_add(&no, 0x2028, 0x2029);
            if (graph) add_table(&no, space_ranges, sizeof space_ranges / sizeof *space_ranges);
            rxc_negate(&no, top);
            for (int i = 0; i < no.n; i++) rxc_add(c, no.v[i].lo, no.v[i].hi);
            rxc_free(&no);
        }
    } else return false;
    return true;
#undef IS
}

bool rx_is_word_cp(uint32_t cp, bool bytes) {
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') ||
               cp == '_';
    if (bytes) return false;
    size_t lo = 0, hi = sizeof alpha_ranges / sizeof *alpha_ranges;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cp < alpha_ranges[mid].lo) hi = mid;
        else if (cp > alpha_ranges[mid].hi) lo = mid + 1;
        else return true;
    }
    return false;
}
