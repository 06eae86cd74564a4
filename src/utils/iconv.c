/* iconv.c - the iconv utility (glibc 2.36 as the reference): iconv [-c] [-s]
 * [-f FROM] [-t TO[//TRANSLIT][//IGNORE]] [-o FILE] [FILE...], -l.
 *
 * Encodings: UTF-8, UTF-16 (BOM; little-endian without one, as glibc on
 * x86), UTF-16LE/BE, UTF-32 (BOM), UTF-32LE/BE, UCS-4 (BE), UCS-4LE,
 * ISO-8859-1 (LATIN1), ISO-8859-15, WINDOWS-1252, ASCII; the locale's
 * charset by default (ASCII in C, UTF-8 in C.UTF-8).
 *
 * Errors as glibc's: the output converted so far is written, then "illegal
 * input sequence at position N" (N = the byte offset of the offending input)
 * or "incomplete character or shift sequence at end of buffer", status 1.
 * -c drops what cannot be converted; //IGNORE too but reports at the end;
 * //TRANSLIT uses glibc's transliterations (generated from it: C locale, plus
 * C.UTF-8's) and '?' for the rest. */
#include "mbchar.h"
#include "ucommon.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "translit_table.h"

typedef enum { CS_UTF8, CS_UTF16, CS_UTF16LE, CS_UTF16BE, CS_UTF32, CS_UTF32LE, CS_UTF32BE, CS_LATIN1, CS_LATIN9,
               CS_CP1252, CS_ASCII, CS_NONE } Charset;

typedef struct Alias {
    const char *name;
    Charset cs;
} Alias;

static const Alias aliases[] = {
    {"UTF-8", CS_UTF8},        {"UTF8", CS_UTF8},          {"UTF-16", CS_UTF16},      {"UTF16", CS_UTF16},
    {"UTF-16LE", CS_UTF16LE},  {"UTF16LE", CS_UTF16LE},    {"UTF-16BE", CS_UTF16BE},  {"UTF16BE", CS_UTF16BE},
    {"UTF-32", CS_UTF32},      {"UTF32", CS_UTF32},        {"UTF-32LE", CS_UTF32LE},  {"UTF32LE", CS_UTF32LE},
    {"UTF-32BE", CS_UTF32BE},  {"UTF32BE", CS_UTF32BE},    {"UCS-4", CS_UTF32BE},     {"UCS4", CS_UTF32BE},
    {"UCS-4BE", CS_UTF32BE},   {"UCS-4LE", CS_UTF32LE},    {"ISO-8859-1", CS_LATIN1}, {"ISO8859-1", CS_LATIN1},
    {"ISO_8859-1", CS_LATIN1}, {"LATIN1", CS_LATIN1},      {"L1", CS_LATIN1},         {"CP819", CS_LATIN1},
    {"ISO-8859-15", CS_LATIN9}, {"ISO8859-15", CS_LATIN9}, {"LATIN-9", CS_LATIN9},    {"LATIN9", CS_LATIN9},
    {"WINDOWS-1252", CS_CP1252}, {"CP1252", CS_CP1252},    {"MS-ANSI", CS_CP1252},    {"ASCII", CS_ASCII},
    {"US-ASCII", CS_ASCII},    {"ANSI_X3.4-1968", CS_ASCII}, {"646", CS_ASCII},       {"US", CS_ASCII},
    {NULL, CS_NONE},
};

/* CP1252's 0x80-0x9F (0 = undefined). */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
    0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};
/* ISO-8859-15 differs from Latin-1 in eight places. */
static const uint16_t latin9_from[8] = {0xA4, 0xA6, 0xA8, 0xB4, 0xB8, 0xBC, 0xBD, 0xBE};
static const uint16_t latin9_to[8] = {0x20AC, 0x0160, 0x0161, 0x017D, 0x017E, 0x0152, 0x0153, 0x0178};

typedef struct Iconv {
    UtilCtx *c;
    UOut out;
    UcFile *outf;
    Charset from, to;
    bool translit, ignore, omit, silent, utf8_locale;
    /* decoder state */
    unsigned char pend[8];
    size_t npend;
    int endian;            /* UTF-16/32 input: 0 unknown, 'L', 'B' */
    bool bom_written;
    uintmax_t pos;         /* input bytes consumed so far (start of pend) */
    bool ignored;          /* //IGNORE dropped something */
    bool failed;
    StrList ops;
} Iconv;

static Charset lookup(const char *name, size_t n) {
    char up[64];
    if (n >= sizeof up) return CS_NONE;
    for (size_t i = 0; i < n; i++) up[i] = (char)toupper((unsigned char)name[i]);
    up[n] = 0;
    for (const Alias *a = aliases; a->name; a++)
        if (!strcmp(a->name, up)) return a->cs;
    return CS_NONE;
}

/* NAME[//TRANSLIT][//IGNORE]; "" is the locale's charset. */
static Charset parse_name(Iconv *s, const char *spec, bool target) {
    const char *slash = strstr(spec, "//");
    size_t n = slash ? (size_t)(slash - spec) : strlen(spec);
    for (const char *p = slash; p && *p;) {
        p += 2;
        size_t k = strcspn(p, "/,");
        if (target && k == 8 && !strncasecmp(p, "TRANSLIT", 8)) s->translit = true;
        if (target && k == 6 && !strncasecmp(p, "IGNORE", 6)) s->ignore = true;
        p = strstr(p, "//");
    }
    if (n == 0) return s->utf8_locale ? CS_UTF8 : CS_ASCII;
    return lookup(spec, n);
}

/* ---- encoding ---- */

static void put_unit(Iconv *s, uint32_t v, int bytes, bool little) {
    unsigned char b[4];
    for (int i = 0; i < bytes; i++) b[little ? i : bytes - 1 - i] = (unsigned char)(v >> (8 * i));
    uout_put(&s->out, (const char *)b, (size_t)bytes);
}

/* Writes cp in the target charset; false when it has no encoding there. */
static bool encode_raw(Iconv *s, uint32_t cp) {
    switch (s->to) {
    case CS_UTF8: {
        char buf[8];
        uout_put(&s->out, buf, mb_encode(cp, buf));
        return true;
    }
    case CS_UTF16: case CS_UTF16LE: case CS_UTF16BE: {
        bool little = s->to != CS_UTF16BE;
        if (s->to == CS_UTF16 && !s->bom_written) put_unit(s, 0xFEFF, 2, true), s->bom_written = true;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            put_unit(s, 0xD800 | (cp >> 10), 2, little);
            put_unit(s, 0xDC00 | (cp & 0x3FF), 2, little);
        } else {
            put_unit(s, cp, 2, little);
        }
        return true;
    }
    case CS_UTF32: case CS_UTF32LE: case CS_UTF32BE:
        if (s->to == CS_UTF32 && !s->bom_written) put_unit(s, 0xFEFF, 4, true), s->bom_written = true;
        put_unit(s, cp, 4, s->to != CS_UTF32BE);
        return true;
    case CS_ASCII:
        if (cp >= 0x80) return false;
        uout_putc(&s->out, (char)cp);
        return true;
    case CS_LATIN1:
        if (cp >= 0x100) return false;
        uout_putc(&s->out, (char)cp);
        return true;
    case CS_LATIN9:
        for (int i = 0; i < 8; i++) {
            if (cp == latin9_to[i]) return uout_putc(&s->out, (char)latin9_from[i]), true;
            if (cp == latin9_from[i]) return false;
        }
        if (cp >= 0x100) return false;
        uout_putc(&s->out, (char)cp);
        return true;
    case CS_CP1252:
        if (cp < 0x80 || (cp >= 0xA0 && cp < 0x100)) return uout_putc(&s->out, (char)cp), true;
        for (int i = 0; i < 32; i++)
            if (cp1252_high[i] && cp1252_high[i] == cp) return uout_putc(&s->out, (char)(0x80 + i)), true;
        return false;
    default: return false;
    }
}

static const char *translit_lookup(const struct TranslitEntry *t, size_t n, uint32_t cp) {
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t[mid].cp == cp) return t[mid].ascii;
        if (t[mid].cp < cp) lo = mid + 1;
        else hi = mid;
    }
    return NULL;
}

/* Encodes one character, applying //TRANSLIT, //IGNORE and -c; false on an
 * error that ends the conversion. */
static bool encode(Iconv *s, uint32_t cp, uintmax_t at) {
    if (encode_raw(s, cp)) return true;
    if (s->translit) {
        const char *t = NULL;
        if (s->utf8_locale) t = translit_lookup(translit_utf8, sizeof translit_utf8 / sizeof *translit_utf8, cp);
        if (!t) t = translit_lookup(translit_c, sizeof translit_c / sizeof *translit_c, cp);
        if (!t) t = "?";
        for (const char *p = t; *p; p++) encode_raw(s, (unsigned char)*p);
        return true;
    }
    if (s->omit) return true;
    if (s->ignore) {
        s->ignored = true;
        return true;
    }
    uout_flush(&s->out);
    if (!s->silent) uc_error(s->c, "illegal input sequence at position %ju", at);
    s->failed = true;
    return false;
}

/* ---- decoding ---- */

/* Invalid input at `at`: skipped with -c or //IGNORE, else the end. */
static bool invalid_input(Iconv *s, uintmax_t at) {
    if (s->omit) return true;
    if (s->ignore) {
        s->ignored = true;
        return true;
    }
    uout_flush(&s->out);
    if (!s->silent) uc_error(s->c, "illegal input sequence at position %ju", at);
    s->failed = true;
    return false;
}

/* Decodes one character at p (n bytes); returns its length, 0 when more
 * bytes are needed, -1 when invalid (one byte, or a unit for UTF-16/32). */
static int decode(Iconv *s, const unsigned char *p, size_t n, uint32_t *cp) {
    switch (s->from) {
    case CS_UTF8: {
        if (p[0] >= 0xF8) return -1;
        int len = mb_decode((const char *)p, n, cp);
        if (len > 0 && *cp > 0x10FFFF) return -1;
        return len;
    }
    case CS_UTF16: case CS_UTF16LE: case CS_UTF16BE: {
        if (n < 2) return 0;
        bool little = s->from == CS_UTF16LE || (s->from == CS_UTF16 && s->endian != 'B');
        uint32_t u = little ? (uint32_t)(p[0] | p[1] << 8) : (uint32_t)(p[0] << 8 | p[1]);
        if (u >= 0xDC00 && u < 0xE000) return -1;
        if (u < 0xD800 || u >= 0xDC00) return *cp = u, 2;
        if (n < 4) return 0;
        uint32_t l = little ? (uint32_t)(p[2] | p[3] << 8) : (uint32_t)(p[2] << 8 | p[3]);
        if (l < 0xDC00 || l >= 0xE000) return -1;
        *cp = 0x10000 + ((u - 0xD800) << 10) + (l - 0xDC00);
        return 4;
    }
    case CS_UTF32: case CS_UTF32LE: case CS_UTF32BE: {
        if (n < 4) return 0;
        bool little = s->from == CS_UTF32LE || (s->from == CS_UTF32 && s->endian != 'B');
        uint32_t u = little ? (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24
                            : (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
        if (u > 0x10FFFF || (u >= 0xD800 && u < 0xE000)) return -1;
        return *cp = u, 4;
    }
    case CS_ASCII: if (p[0] >= 0x80) return -1; return *cp = p[0], 1;
    case CS_LATIN1: return *cp = p[0], 1;
    case CS_LATIN9:
        *cp = p[0];
        for (int i = 0; i < 8; i++)
            if (p[0] == latin9_from[i]) *cp = latin9_to[i];
        return 1;
    case CS_CP1252:
        if (p[0] >= 0x80 && p[0] < 0xA0) {
            if (!cp1252_high[p[0] - 0x80]) return -1;
            return *cp = cp1252_high[p[0] - 0x80], 1;
        }
        return *cp = p[0], 1;
    default: return -1;
    }
}

static int unit_size(Charset cs) {
    return cs == CS_UTF16 || cs == CS_UTF16LE || cs == CS_UTF16BE ? 2
         : cs == CS_UTF32 || cs == CS_UTF32LE || cs == CS_UTF32BE ? 4 : 1;
}

/* A byte order mark at the start of UTF-16/UTF-32 input chooses the order. */
static size_t take_bom(Iconv *s, const unsigned char *p, size_t n) {
    if (s->pos != 0 || s->endian) return 0;
    if (s->from == CS_UTF16 && n >= 2) {
        s->endian = p[0] == 0xFE && p[1] == 0xFF ? 'B' : 'L';
        return (p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF) ? 2 : 0;
    }
    if (s->from == CS_UTF32 && n >= 4) {
        bool be = !p[0] && !p[1] && p[2] == 0xFE && p[3] == 0xFF, le = p[0] == 0xFF && p[1] == 0xFE && !p[2] && !p[3];
        s->endian = be ? 'B' : 'L';
        return be || le ? 4 : 0;
    }
    return 0;
}

/* Converts p[0..n) (after the pending bytes); keeps an incomplete tail. */
static bool convert(Iconv *s, const char *data, size_t n) {
    StrBuf b;
    sb_init(&b);
    sb_put(&b, (const char *)s->pend, s->npend);
    sb_put(&b, data, n);
    const unsigned char *p = (const unsigned char *)b.s;
    size_t len = b.len, i = 0;
    if ((s->from == CS_UTF16 && len >= 2) || (s->from == CS_UTF32 && len >= 4)) i = take_bom(s, p, len);
    bool ok = true;
    while (i < len && ok) {
        if ((s->from == CS_UTF16 && len - i < 2 && !s->endian) || (s->from == CS_UTF32 && len - i < 4 && !s->endian))
            break;
        uint32_t cp;
        int k = decode(s, p + i, len - i, &cp);
        if (k == 0) break;
        if (k < 0) {
            ok = invalid_input(s, s->pos + i);
            i += (size_t)unit_size(s->from);
            continue;
        }
        ok = encode(s, cp, s->pos + i);
        i += (size_t)k;
    }
    s->npend = ok && len - i < sizeof s->pend ? len - i : 0;
    if (s->npend) memcpy(s->pend, p + i, s->npend);
    s->pos += i;
    sb_free(&b);
    return ok;
}

static int iconv_feed(void *st, const char *data, size_t n) {
    Iconv *s = st;
    bool ok = convert(s, data, n);
    return uout_flush(&s->out) < 0 || !ok;
}

/* ---- the utility ---- */

static void list(UtilCtx *c) {
    UOut o;
    uout_init(&o, c, 1);
    for (const Alias *a = aliases; a->name; a++) uout_printf(&o, "%s//\n", a->name);
    uout_close(&o);
}

enum { OPT_LIST = 0x100 };

static const UOptLong iconv_longs[] = {
    {"from-code", UO_REQ, 'f'}, {"to-code", UO_REQ, 't'}, {"list", UO_NOARG, 'l'}, {"output", UO_REQ, 'o'},
    {"silent", UO_NOARG, 's'}, {"verbose", UO_NOARG, 'V'}, {NULL, 0, 0},
};

static int iconv_end(Iconv *s) {
    if (!s->failed && s->npend) {
        uout_flush(&s->out);
        if (!s->silent) uc_error(s->c, "incomplete character or shift sequence at end of buffer");
        s->failed = true;
    }
    if (!s->failed && s->ignored) {
        uout_flush(&s->out);
        if (!s->silent) uc_error(s->c, "illegal input sequence at position %ju", s->pos);
        s->failed = true;
    }
    int r = uout_close(&s->out) | s->failed;
    if (s->outf) uc_close(s->outf);
    sl_free(&s->ops);
    return r;
}

static int iconv_parse(Iconv *s, UtilCtx *c, int argc, char **argv) {
    memset(s, 0, sizeof *s);
    s->c = c;
    s->utf8_locale = mb_utf8_locale(c);
    const char *from = "", *to = "", *output = NULL;
    UOpts o;
    uopt_init(&o, c, argc, argv, "f:t:lco:sV", iconv_longs);
    int k, r = -1;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) {
        switch (k) {
        case 'f': from = o.arg; break;
        case 't': to = o.arg; break;
        case 'l': list(c); r = 0; break;
        case 'c': s->omit = true; break;
        case 'o': output = o.arg; break;
        case 's': s->silent = true; break;
        case 'V': break;
        case UO_HELP: r = u_help(c, "[OPTION...] [FILE...]"); break;
        case UO_VERSION: r = u_version(c); break;
        default: r = 1; break;
        }
    }
    s->ops = o.ops;
    if (r >= 0) {
        sl_free(&s->ops);
        return r;
    }
    s->from = parse_name(s, from, false);
    s->to = parse_name(s, to, true);
    if (s->from == CS_NONE || s->to == CS_NONE) {
        uc_error(c, "failed to start conversion processing"); /* glibc's words for an unknown charset */
        sl_free(&s->ops);
        return 1;
    }
    uout_init(&s->out, c, 1);
    if (output) {
        errno = 0;
        s->outf = uc_open(c, output, "w");
        if (!s->outf) {
            uc_error(c, "cannot open output file `%s': %s", output, u_strerror(errno ? errno : EIO));
            uout_close(&s->out);
            sl_free(&s->ops);
            return 1;
        }
        uout_init_file(&s->out, c, s->outf);
    }
    return -1;
}

int util_iconv_main(UtilCtx *c, int argc, char **argv) {
    Iconv s;
    int r = iconv_parse(&s, c, argc, argv);
    if (r >= 0) return r;
    if (!s.ops.n) sl_push_copy(&s.ops, "-");
    for (size_t i = 0; i < s.ops.n && !s.failed; i++) {
        errno = 0;
        UcFile *f = uc_open(c, s.ops.v[i], "r");
        if (!f) {
            uout_flush(&s.out);
            uc_error(c, "cannot open input file `%s': %s", s.ops.v[i], u_strerror(errno ? errno : ENOENT));
            s.failed = true;
            continue;
        }
        u_pump(c, f, iconv_feed, &s);
        uc_close(f);
    }
    return iconv_end(&s);
}

static void *iconv_start(UtilCtx *c, int argc, char **argv, int *status) {
    Iconv *s = xmalloc(sizeof *s);
    int r = iconv_parse(s, c, argc, argv);
    if (r < 0 && u_push_ok(&s->ops)) return s;
    if (r < 0) {
        uout_close(&s->out);
        if (s->outf) uc_close(s->outf);
        sl_free(&s->ops);
    }
    *status = r;
    free(s);
    return NULL;
}

static int iconv_finish(void *st) {
    int r = iconv_end(st);
    free(st);
    return r;
}

const UtilPushOps util_iconv_push = {iconv_start, iconv_feed, iconv_finish};
