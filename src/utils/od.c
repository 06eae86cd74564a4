/* od.c - the od utility (GNU coreutils 9.1): -A RADIX, -j BYTES, -N BYTES,
 * -t TYPE (a c d[SIZE] f[SIZE] o[SIZE] u[SIZE] x[SIZE], z suffix, several per
 * string), -v, -w[BYTES], --endian, the traditional -a -b -c -d -f -i -l -o
 * -s -x (and -B -D -e -F -h -H -I -L -O -X), and the old "FILE [+]OFFSET"
 * operand form; with push ops. The inputs form one stream cut into lines of
 * bytes_per_block bytes; each line is printed once per type, fields aligned
 * across types exactly as GNU pads them, and a repeated line becomes "*". */
#include "ucommon.h"

#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_SPECS = 64, MAX_BLOCK = 65536 };

typedef struct OdSpec {
    char kind;       /* a c d o u x f */
    int size;        /* bytes per element */
    int width;       /* digits (characters) of one element */
    int pad;         /* extra spaces spread over the line's fields */
    bool trailer;    /* z: ">printable<" after the fields */
} OdSpec;

typedef struct Od {
    UtilCtx *c;
    UOut out;
    OdSpec spec[MAX_SPECS];
    int nspec;
    char radix;            /* d o x n */
    uintmax_t skip, limit; /* -j, -N (UINTMAX_MAX: none) */
    bool verbose, big_endian, width_given, traditional;
    uintmax_t width_arg;
    size_t block;          /* bytes per line */
    unsigned char *cur, *prev;
    size_t have;           /* bytes in cur */
    bool first, prev_equal;
    uintmax_t offset;      /* address of cur */
    uintmax_t skipped, taken;
    StrList ops;
    int status;
} Od;

/* ---- options ---- */

static int int_digits(char kind, int size) {
    static const int oct[] = {0, 3, 6, 0, 11, 0, 0, 0, 22};
    static const int dec[] = {0, 3, 5, 0, 10, 0, 0, 0, 20};
    static const int sdec[] = {0, 4, 6, 0, 11, 0, 0, 0, 20};
    switch (kind) {
    case 'o': return oct[size];
    case 'u': return dec[size];
    case 'd': return sdec[size];
    default: return 2 * size; /* x */
    }
}

static bool add_spec(Od *s, char kind, int size, bool trailer) {
    if (s->nspec == MAX_SPECS) return false;
    OdSpec *p = &s->spec[s->nspec++];
    p->kind = kind;
    p->size = size;
    p->trailer = trailer;
    p->width = kind == 'a' || kind == 'c' ? 3 : kind == 'f' ? (size == 4 ? 15 : size == 8 ? 24 : 29) : int_digits(kind, size);
    return true;
}

static void bad_type(Od *s, const char *spec, const char *why) {
    char *q = u_quote(spec);
    uc_error(s->c, "invalid type string %s%s", q, why);
    free(q);
}

/* One -t string: one or more TYPE[SIZE][z]. */
static bool parse_type(Od *s, const char *t) {
    const char *p = t;
    if (!*p) {
        bad_type(s, t, "");
        return false;
    }
    while (*p) {
        char kind = *p++;
        int size;
        if (kind == 'a' || kind == 'c') {
            size = 1;
        } else if (strchr("doux", kind)) {
            size = 4;
            if (*p == 'C') size = 1, p++;
            else if (*p == 'S') size = 2, p++;
            else if (*p == 'I') size = 4, p++;
            else if (*p == 'L') size = 8, p++;
            else if (isdigit((unsigned char)*p)) {
                size = (int)strtol(p, (char **)&p, 10);
                if (size != 1 && size != 2 && size != 4 && size != 8) {
                    char why[96];
                    snprintf(why, sizeof why, ";\nthis system doesn't provide a %d-byte integral type", size);
                    bad_type(s, t, why);
                    return false;
                }
            }
        } else if (kind == 'f') {
            size = 8;
            if (*p == 'F') size = 4, p++;
            else if (*p == 'D') size = 8, p++;
            else if (*p == 'L') size = 16, p++;
            else if (isdigit((unsigned char)*p)) {
                size = (int)strtol(p, (char **)&p, 10);
                if (size != 4 && size != 8 && size != 16) {
                    char why[96];
                    snprintf(why, sizeof why, ";\nthis system doesn't provide a %d-byte floating point type", size);
                    bad_type(s, t, why);
                    return false;
                }
            }
        } else {
            char *q = u_quote(t);
            uc_error(s->c, "invalid character '%c' in type string %s", kind, q);
            free(q);
            return false;
        }
        if (isdigit((unsigned char)*p)) {
            char *q = u_quote(t);
            uc_error(s->c, "invalid character '%c' in type string %s", *p, q);
            free(q);
            return false;
        }
        bool z = *p == 'z';
        if (z) p++;
        add_spec(s, kind, size, z);
    }
    return true;
}

/* A byte count as GNU's xstrtoumax with base 0 and od's suffixes. */
static bool parse_count(const char *a, uintmax_t *out) {
    if (!*a || *a == '-') return false;
    char *end;
    errno = 0;
    uintmax_t v = strtoumax(a, &end, 0);
    if (end == a || errno) return false;
    uintmax_t mult = 1;
    if (*end) {
        static const char units[] = "KMGTPEZY";
        if (!strcmp(end, "b")) mult = 512;
        else {
            const char *u = strchr(units, *end == 'k' || *end == 'm' ? toupper((unsigned char)*end) : *end);
            if (!u || !*end) return false;
            uintmax_t base = !end[1] ? 1024 : !strcmp(end + 1, "B") ? 1000 : !strcmp(end + 1, "iB") ? 1024 : 0;
            if (!base) return false;
            for (long i = 0; i <= u - units; i++) {
                if (mult > UINTMAX_MAX / base) return false;
                mult *= base;
            }
        }
    }
    if (v && mult > UINTMAX_MAX / v) return false;
    *out = v * mult;
    return true;
}

static bool count_option(Od *s, char opt, const char *arg, uintmax_t *out) {
    if (parse_count(arg, out)) return true;
    char *q = u_quote(arg);
    uc_error(s->c, "invalid -%c argument %s", opt, q);
    free(q);
    return false;
}

enum { OPT_ENDIAN = 0x100, OPT_TRADITIONAL };

static const UOptLong od_longs[] = {
    {"address-radix", UO_REQ, 'A'}, {"skip-bytes", UO_REQ, 'j'}, {"read-bytes", UO_REQ, 'N'},
    {"format", UO_REQ, 't'},        {"output-duplicates", UO_NOARG, 'v'}, {"width", UO_OPT, 'w'},
    {"strings", UO_OPT, 'S'},       {"endian", UO_REQ, OPT_ENDIAN}, {"traditional", UO_NOARG, OPT_TRADITIONAL},
    {NULL, 0, 0},
};

/* The traditional one-letter formats. */
static const char *traditional_type(int k) {
    switch (k) {
    case 'a': return "a";
    case 'b': return "o1";
    case 'c': return "c";
    case 'd': return "u2";
    case 'D': return "u4";
    case 'e': case 'F': return "fD";
    case 'f': return "fF";
    case 'h': case 'x': return "x2";
    case 'H': case 'X': return "x4";
    case 'i': case 'I': case 'L': case 'l': return k == 'i' ? "dI" : "dL";
    case 'o': case 'B': return "o2";
    case 'O': return "o4";
    case 's': return "d2";
    default: return NULL;
    }
}

static int od_option(Od *s, int k, const char *arg) {
    const char *trad = traditional_type(k);
    if (trad && k != 'S') return parse_type(s, trad) ? -1 : 1;
    switch (k) {
    case 'A':
        if (strlen(arg) == 1 && strchr("doxn", arg[0])) {
            s->radix = arg[0];
            return -1;
        }
        {
            char *q = u_quote(arg);
            uc_error(s->c, "invalid output address radix %s; it must be one character from [doxn]", q);
            free(q);
        }
        return 1;
    case 'j': return count_option(s, 'j', arg, &s->skip) ? -1 : 1;
    case 'N': return count_option(s, 'N', arg, &s->limit) ? -1 : 1;
    case 't': return parse_type(s, arg) ? -1 : 1;
    case 'v': s->verbose = true; return -1;
    case 'w':
        s->width_given = true;
        s->width_arg = 32;
        return !arg || count_option(s, 'w', arg, &s->width_arg) ? -1 : 1;
    case 'S': uc_error(s->c, "-S (--strings) is not supported; use strings"); return 1;
    case OPT_ENDIAN:
        if (!strcmp(arg, "big") || !strcmp(arg, "little")) {
            s->big_endian = arg[0] == 'b';
            return -1;
        }
        {
            char *q = u_quote(arg);
            uc_error(s->c, "invalid argument %s for '--endian'", q);
            free(q);
            uc_puts(s->c, 2, "Valid arguments are:\n  - 'big'\n  - 'little'\n");
            u_try_help(s->c);
        }
        return 1;
    case OPT_TRADITIONAL: s->traditional = true; return -1;
    case UO_HELP: return u_help(s->c, "[OPTION]... [FILE]...");
    case UO_VERSION: return u_version(s->c);
    default: return 1;
    }
}

/* "[+]OFFSET[.][b]": octal, decimal with a '.', hex with 0x; b = 512 bytes. */
static bool old_offset(const char *a, bool need_plus, uintmax_t *out) {
    if (*a == '+') a++;
    else if (need_plus) return false;
    if (!isdigit((unsigned char)*a)) return false;
    size_t n = strlen(a);
    bool blocks = n && a[n - 1] == 'b';
    char buf[64];
    if (n >= sizeof buf) return false;
    memcpy(buf, a, n + 1);
    if (blocks) buf[--n] = 0;
    bool dot = n && buf[n - 1] == '.';
    if (dot) buf[--n] = 0;
    int base = dot ? 10 : (buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X')) ? 16 : 8;
    char *end;
    errno = 0;
    uintmax_t v = strtoumax(buf, &end, base);
    if (*end || errno) return false;
    *out = blocks ? v * 512 : v;
    return true;
}

static uintmax_t lcm(uintmax_t a, uintmax_t b) {
    uintmax_t x = a, y = b;
    while (y) {
        uintmax_t t = x % y;
        x = y;
        y = t;
    }
    return a / x * b;
}

/* Line width and the padding that aligns the types, as GNU computes them. */
static void layout(Od *s) {
    uintmax_t l = 1;
    for (int i = 0; i < s->nspec; i++) l = lcm(l, (uintmax_t)s->spec[i].size);
    if (s->width_given) {
        if (s->width_arg != 0 && s->width_arg % l == 0 && s->width_arg <= MAX_BLOCK) {
            s->block = (size_t)s->width_arg;
        } else {
            uc_error(s->c, "warning: invalid width %ju; using %ju instead", s->width_arg, l);
            s->block = (size_t)l;
        }
    } else {
        s->block = (size_t)(l < 16 ? l * (16 / l) : l);
    }
    int per_block = 0;
    for (int i = 0; i < s->nspec; i++) {
        int fields = (int)(s->block / (size_t)s->spec[i].size);
        int w = (s->spec[i].width + 1) * fields;
        if (w > per_block) per_block = w;
    }
    for (int i = 0; i < s->nspec; i++) {
        int fields = (int)(s->block / (size_t)s->spec[i].size);
        s->spec[i].pad = per_block - s->spec[i].width * fields;
    }
}

/* Parses argv; -1 to go on, else the exit status. */
static int od_parse(Od *s, UtilCtx *c, int argc, char **argv) {
    memset(s, 0, sizeof *s);
    s->c = c;
    s->radix = 'o';
    s->limit = UINTMAX_MAX;
    s->first = true;
    UOpts o;
    uopt_init(&o, c, argc, argv, "A:j:N:t:vw::S::abcdDefFhHiIlLoOsxXB", od_longs);
    int k, r = -1;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) r = od_option(s, k, o.arg);
    s->ops = o.ops;
    if (r >= 0) return r;
    uintmax_t off;
    bool plus_needed = !s->traditional;
    if (s->ops.n == 1 && old_offset(s->ops.v[0], plus_needed, &off)) {
        s->skip = off;
        free(s->ops.v[0]);
        s->ops.n = 0;
        s->ops.v[0] = NULL;
    } else if (s->ops.n == 2 && old_offset(s->ops.v[1], plus_needed, &off)) {
        s->skip = off;
        free(s->ops.v[1]);
        s->ops.n = 1;
        s->ops.v[1] = NULL;
    }
    if (!s->nspec) add_spec(s, 'o', 2, false);
    layout(s);
    s->cur = xmalloc(s->block);
    s->prev = xmalloc(s->block);
    s->offset = s->skip;
    uout_init(&s->out, c, 1);
    return -1;
}

/* ---- output ---- */

static void put_address(Od *s, uintmax_t a) {
    switch (s->radix) {
    case 'd': uout_printf(&s->out, "%07ju", a); break;
    case 'x': uout_printf(&s->out, "%06jx", a); break;
    case 'o': uout_printf(&s->out, "%07jo", a); break;
    default: break;
    }
}

static int address_width(const Od *s) { return s->radix == 'n' ? 0 : s->radix == 'x' ? 6 : 7; }

static uint64_t element(const Od *s, const unsigned char *p, int size) {
    uint64_t v = 0;
    for (int i = 0; i < size; i++) v |= (uint64_t)p[s->big_endian ? size - 1 - i : i] << (8 * i);
    return v;
}

/* The shortest %g form that reads back as the same value (GNU's ftoastr). */
static void float_text(char *buf, size_t cap, long double v, int size) {
    if (isnan(v)) {
        snprintf(buf, cap, "%s", signbit(v) ? "-nan" : "nan");
        return;
    }
    int dig = size == 4 ? FLT_DIG : size == 8 ? DBL_DIG : LDBL_DIG;
    long double lim = size == 4 ? FLT_MIN : size == 8 ? DBL_MIN : LDBL_MIN;
    for (int prec = fabsl(v) < lim ? 1 : dig; prec <= 40; prec++) {
        snprintf(buf, cap, "%.*Lg", prec, v);
        bool same = size == 4 ? strtof(buf, NULL) == (float)v : size == 8 ? strtod(buf, NULL) == (double)v : strtold(buf, NULL) == v;
        if (same) return;
    }
}

/* x87 80-bit extended precision (od -t fL on x86-64), decoded portably. */
static long double extended_value(const unsigned char *b) {
    uint64_t mant = 0;
    for (int i = 7; i >= 0; i--) mant = mant << 8 | b[i];
    int exp = (b[9] & 0x7F) << 8 | b[8];
    bool neg = b[9] & 0x80;
    long double v;
    if (exp == 0x7FFF) v = (mant << 1) ? NAN : INFINITY;
    else if (exp == 0 && mant == 0) v = 0;
    else v = ldexpl((long double)mant, (exp ? exp : 1) - 16383 - 63);
    return neg ? -v : v;
}

static void element_text(const Od *s, const OdSpec *sp, const unsigned char *p, char *buf, size_t cap) {
    static const char *const names[] = {"nul", "soh", "stx", "etx", "eot", "enq", "ack", "bel", "bs", "ht", "nl",
                                        "vt", "ff", "cr", "so", "si", "dle", "dc1", "dc2", "dc3", "dc4", "nak",
                                        "syn", "etb", "can", "em", "sub", "esc", "fs", "gs", "rs", "us", "sp"};
    unsigned char b = p[0];
    switch (sp->kind) {
    case 'a': {
        unsigned char ch = b & 0x7F;
        snprintf(buf, cap, "%s", ch <= ' ' ? names[ch] : ch == 0x7F ? "del" : (char[]){(char)ch, 0});
        return;
    }
    case 'c': {
        const char *esc = b == 0 ? "\\0" : b == '\a' ? "\\a" : b == '\b' ? "\\b" : b == '\f' ? "\\f" : b == '\n' ? "\\n"
                        : b == '\r' ? "\\r" : b == '\t' ? "\\t" : b == '\v' ? "\\v" : NULL;
        if (esc) snprintf(buf, cap, "%s", esc);
        else if (b >= 0x20 && b < 0x7F) snprintf(buf, cap, "%c", b);
        else snprintf(buf, cap, "%03o", b);
        return;
    }
    case 'f': {
        long double v;
        if (sp->size == 4) {
            uint32_t u = (uint32_t)element(s, p, 4);
            float f;
            memcpy(&f, &u, 4);
            v = f;
        } else if (sp->size == 8) {
            uint64_t u = element(s, p, 8);
            double d;
            memcpy(&d, &u, 8);
            v = d;
        } else {
            unsigned char e[16];
            for (int i = 0; i < 16; i++) e[i] = p[s->big_endian ? 15 - i : i];
            v = extended_value(e);
        }
        float_text(buf, cap, v, sp->size);
        return;
    }
    default: break;
    }
    uint64_t v = element(s, p, sp->size);
    int bits = 8 * sp->size;
    if (sp->kind == 'd') {
        int64_t sv = bits == 64 ? (int64_t)v : (v & (1ull << (bits - 1))) ? (int64_t)(v - (1ull << bits)) : (int64_t)v;
        snprintf(buf, cap, "%" PRId64, sv);
    } else if (sp->kind == 'u') {
        snprintf(buf, cap, "%" PRIu64, v);
    } else if (sp->kind == 'o') {
        snprintf(buf, cap, "%0*" PRIo64, sp->width, v);
    } else {
        snprintf(buf, cap, "%0*" PRIx64, sp->width, v);
    }
}

/* One type's line for n bytes of the block (the rest of the last element is
 * zero-filled); the padding is spread over the fields as GNU's print_N. */
static void put_spec_line(Od *s, const OdSpec *sp, const unsigned char *blk, size_t n) {
    size_t fields = s->block / (size_t)sp->size;
    size_t used = (n + (size_t)sp->size - 1) / (size_t)sp->size;
    int remaining = sp->pad;
    unsigned char elem[16];
    for (size_t i = 0; i < used; i++) {
        size_t left = fields - i;
        int next_pad = (int)((size_t)sp->pad * (left - 1) / fields);
        int w = remaining - next_pad + sp->width;
        memset(elem, 0, sizeof elem);
        size_t have = n - i * (size_t)sp->size;
        memcpy(elem, blk + i * (size_t)sp->size, have < (size_t)sp->size ? have : (size_t)sp->size);
        char text[96];
        element_text(s, sp, elem, text, sizeof text);
        uout_printf(&s->out, "%*s", w, text);
        remaining = next_pad;
    }
    if (sp->trailer) {
        size_t blank = fields - used;
        size_t fw = (size_t)sp->width + (size_t)sp->pad / fields;
        uout_printf(&s->out, "%*s  >", (int)(blank * fw), "");
        for (size_t i = 0; i < n; i++) uout_putc(&s->out, isprint(blk[i]) ? (char)blk[i] : '.');
        uout_putc(&s->out, '<');
    }
    uout_putc(&s->out, '\n');
}

static void write_block(Od *s, size_t n) {
    bool full = n == s->block;
    if (!s->verbose && !s->first && full && !memcmp(s->prev, s->cur, n)) {
        if (!s->prev_equal) uout_puts(&s->out, "*\n");
        s->prev_equal = true;
    } else {
        s->prev_equal = false;
        for (int i = 0; i < s->nspec; i++) {
            if (i == 0) put_address(s, s->offset);
            else uout_printf(&s->out, "%*s", address_width(s), "");
            put_spec_line(s, &s->spec[i], s->cur, n);
        }
    }
    s->first = false;
    unsigned char *t = s->prev;
    s->prev = s->cur;
    s->cur = t;
    s->offset += n;
}

/* ---- input ---- */

static int od_feed(void *st, const char *data, size_t n) {
    Od *s = st;
    if (s->skipped < s->skip) {
        uintmax_t left = s->skip - s->skipped;
        size_t k = left < n ? (size_t)left : n;
        s->skipped += k;
        data += k;
        n -= k;
    }
    while (n && s->taken < s->limit) {
        size_t room = s->block - s->have;
        uintmax_t allowed = s->limit - s->taken;
        size_t k = n < room ? n : room;
        if (k > allowed) k = (size_t)allowed;
        memcpy(s->cur + s->have, data, k);
        s->have += k;
        s->taken += k;
        data += k;
        n -= k;
        if (s->have == s->block) {
            write_block(s, s->block);
            s->have = 0;
        }
    }
    if (uout_flush(&s->out) < 0 || uc_should_stop(s->c)) return 1;
    return s->taken >= s->limit;
}

static int od_free(Od *s) {
    int status = s->status | uout_close(&s->out);
    free(s->cur);
    free(s->prev);
    sl_free(&s->ops);
    return status;
}

static int od_end(Od *s) {
    if (s->skipped < s->skip) {
        uout_flush(&s->out);
        uc_error(s->c, "cannot skip past end of combined input");
        s->status = 1;
        return od_free(s);
    }
    if (s->have) write_block(s, s->have);
    if (s->radix != 'n') {
        put_address(s, s->offset);
        uout_putc(&s->out, '\n');
    }
    return od_free(s);
}

int util_od_main(UtilCtx *c, int argc, char **argv) {
    Od s;
    int r = od_parse(&s, c, argc, argv);
    if (r >= 0) {
        sl_free(&s.ops);
        free(s.cur);
        free(s.prev);
        return r;
    }
    if (!s.ops.n) sl_push_copy(&s.ops, "-");
    bool opened = false;
    for (size_t i = 0; i < s.ops.n && s.taken < s.limit; i++) {
        UcFile *f = u_open_in(c, s.ops.v[i]);
        if (!f) {
            s.status = 1;
            continue;
        }
        opened = true;
        int pr = u_pump(c, f, od_feed, &s);
        if (pr < 0) {
            u_err_file(c, s.ops.v[i], errno);
            s.status = 1;
        }
        uc_close(f);
        if (pr > 0 && (s.out.err || uc_should_stop(c))) break;
    }
    if (!opened) return od_free(&s); /* GNU dumps nothing when no input could be opened */
    return od_end(&s);
}

static void *od_start(UtilCtx *c, int argc, char **argv, int *status) {
    Od *s = xmalloc(sizeof *s);
    int r = od_parse(s, c, argc, argv);
    if (r >= 0 || !u_push_ok(&s->ops)) {
        *status = r;
        if (r < 0) uout_close(&s->out);
        sl_free(&s->ops);
        free(s->cur);
        free(s->prev);
        free(s);
        return NULL;
    }
    return s;
}

static int od_finish(void *st) {
    Od *s = st;
    int r = od_end(s);
    free(s);
    return r;
}

const UtilPushOps util_od_push = {od_start, od_feed, od_finish};
