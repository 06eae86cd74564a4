/* mbchar.c - UTF-8 decoding and C.UTF-8 character classes (see mbchar.h). */
#include "mbchar.h"

#include <ctype.h>
#include <string.h>

#include "mbwidth_table.h"

static bool has_utf8(const char *v) {
    for (; *v; v++)
        if ((v[0] == 'U' || v[0] == 'u') && (v[1] == 'T' || v[1] == 't') && (v[2] == 'F' || v[2] == 'f')) {
            const char *p = v + 3;
            if (*p == '-') p++;
            return p[0] == '8' && (p[1] == 0 || p[1] == '@' || p[1] == '.');
        }
    return false;
}

bool mb_utf8_locale(UtilCtx *c) {
    static const char *const vars[] = {"LC_ALL", "LC_CTYPE", "LANG"};
    for (int i = 0; i < 3; i++) {
        const char *v = uc_getenv(c, vars[i]);
        if (v && *v) return has_utf8(v);
    }
    return false;
}

int mb_decode(const char *p, size_t n, uint32_t *cp) {
    const unsigned char *s = (const unsigned char *)p;
    unsigned char b = s[0];
    if (b < 0x80) {
        *cp = b;
        return 1;
    }
    int len;
    uint32_t v, min;
    if (b < 0xC2) return -1; /* continuation byte, or an overlong 2-byte lead */
    if (b < 0xE0) len = 2, v = b & 0x1F, min = 0x80;
    else if (b < 0xF0) len = 3, v = b & 0x0F, min = 0x800;
    else if (b < 0xF8) len = 4, v = b & 0x07, min = 0x10000;
    else if (b < 0xFC) len = 5, v = b & 0x03, min = 0x200000;
    else if (b < 0xFE) len = 6, v = b & 0x01, min = 0x4000000;
    else return -1;
    for (int i = 1; i < len; i++) {
        if ((size_t)i >= n) {
            /* incomplete: valid so far only if what is there could still be minimal */
            return 0;
        }
        if ((s[i] & 0xC0) != 0x80) return -1;
        v = v << 6 | (s[i] & 0x3F);
        /* reject an overlong form as soon as the second byte shows it */
        if (i == 1 && len > 2 && v < (min >> (6 * (len - 2)))) return -1;
    }
    if (v < min || (v >= 0xD800 && v <= 0xDFFF)) return -1;
    *cp = v;
    return len;
}

int mb_width(uint32_t cp) {
    if (cp > 0x10FFFF) return -1;
    size_t lo = 0, hi = sizeof mb_width_ranges / sizeof mb_width_ranges[0];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cp < mb_width_ranges[mid].lo)
            hi = mid;
        else if (cp > mb_width_ranges[mid].hi)
            lo = mid + 1;
        else
            return mb_width_ranges[mid].width;
    }
    return 1;
}

bool mb_isspace(uint32_t cp) {
    if (cp < 0x80) return isspace((int)cp) != 0;
    return cp == 0x1680 || (cp >= 0x2000 && cp <= 0x2006) || (cp >= 0x2008 && cp <= 0x200A) ||
           cp == 0x2028 || cp == 0x2029 || cp == 0x205F || cp == 0x3000;
}

bool mb_isnbspace(uint32_t cp) { return cp == 0xA0 || cp == 0x2007 || cp == 0x202F || cp == 0x2060; }

size_t mb_encode(uint32_t cp, char *out) {
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    int len = cp < 0x800 ? 2 : cp < 0x10000 ? 3 : cp < 0x200000 ? 4 : cp < 0x4000000 ? 5 : 6;
    static const unsigned char lead[] = {0, 0, 0xC0, 0xE0, 0xF0, 0xF8, 0xFC};
    for (int i = len - 1; i > 0; i--, cp >>= 6) o[i] = (unsigned char)(0x80 | (cp & 0x3F));
    o[0] = (unsigned char)(lead[len] | cp);
    return (size_t)len;
}
