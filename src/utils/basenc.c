/* basenc.c - base64, base32 and basenc (GNU coreutils 9.1): encode (wrapped
 * at -w COLS, default 76; 0 = no wrapping) or decode (-d, newlines ignored,
 * -i ignores other garbage) --base64 --base64url --base32 --base32hex
 * --base16 --base2msbf --base2lsbf --z85; with push ops.
 *
 * Decoding follows gnulib's decoders group by group (4 characters for
 * base64, 8 for base32, ...): the bytes of a bad group that were decoded
 * before the bad character are still written, then "NAME: invalid input"
 * and status 1, exactly as GNU. z85 encodes input in GNU's 30720-byte
 * blocks, so a length that is not a multiple of 4 fails the same way. */
#include "ucommon.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef enum { E_BASE64, E_BASE64URL, E_BASE32, E_BASE32HEX, E_BASE16, E_BASE2M, E_BASE2L, E_Z85, E_NONE } Enc;

static const char b64_std[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char b64_url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
static const char b32_std[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
static const char b32_hex[] = "0123456789ABCDEFGHIJKLMNOPQRSTUV";
static const char b16[] = "0123456789ABCDEF";
static const char z85[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

enum { Z85_BLOCK = 30720 };

typedef struct Codec {
    UtilCtx *c;
    UOut out;
    Enc enc;
    bool decode, ignore;
    uintmax_t wrap;
    uintmax_t col;
    const char *alpha;
    signed char value[256]; /* alphabet value of each byte, -1 if none */
    unsigned char group[8]; /* pending input: bytes to encode or characters to decode */
    size_t ngroup;
    StrBuf block;           /* z85 encoding: the current GNU input block */
    bool failed;
    StrList ops;
} Codec;

static int group_in(Enc e) {
    switch (e) {
    case E_BASE64: case E_BASE64URL: return 3;
    case E_BASE32: case E_BASE32HEX: return 5;
    case E_Z85: return 4;
    default: return 1;
    }
}

static int group_out(Enc e) {
    switch (e) {
    case E_BASE64: case E_BASE64URL: return 4;
    case E_BASE32: case E_BASE32HEX: return 8;
    case E_BASE16: return 2;
    case E_BASE2M: case E_BASE2L: return 8;
    default: return 5;
    }
}

static const char *alphabet(Enc e) {
    switch (e) {
    case E_BASE64: return b64_std;
    case E_BASE64URL: return b64_url;
    case E_BASE32: return b32_std;
    case E_BASE32HEX: return b32_hex;
    case E_BASE16: return b16;
    case E_BASE2M: case E_BASE2L: return "01";
    default: return z85;
    }
}

/* ---- encoding ---- */

static void put_wrapped(Codec *s, const char *p, size_t n) {
    if (!s->wrap) {
        uout_put(&s->out, p, n);
        return;
    }
    while (n) {
        uintmax_t room = s->wrap - s->col;
        size_t k = room < n ? (size_t)room : n;
        uout_put(&s->out, p, k);
        s->col += k;
        p += k;
        n -= k;
        if (s->col == s->wrap) {
            uout_putc(&s->out, '\n');
            s->col = 0;
        }
    }
}

/* Encodes one group of n input bytes (n < group_in only at the end: padded)
 * into o; returns the characters written. */
static int encode_chars(const Codec *s, const unsigned char *in, size_t n, char *o) {
    const char *a = s->alpha;
    int olen = group_out(s->enc);
    switch (s->enc) {
    case E_BASE64: case E_BASE64URL: {
        unsigned v = (unsigned)in[0] << 16 | (n > 1 ? (unsigned)in[1] << 8 : 0) | (n > 2 ? in[2] : 0);
        for (int i = 0; i < 4; i++) o[i] = a[(v >> (18 - 6 * i)) & 63];
        if (n < 3) o[3] = '=';
        if (n < 2) o[2] = '=';
        break;
    }
    case E_BASE32: case E_BASE32HEX: {
        uint64_t v = 0;
        for (size_t i = 0; i < 5; i++) v = v << 8 | (i < n ? in[i] : 0);
        static const int used[] = {0, 2, 4, 5, 7, 8};
        for (int i = 0; i < 8; i++) o[i] = i < used[n] ? a[(v >> (35 - 5 * i)) & 31] : '=';
        break;
    }
    case E_BASE16:
        o[0] = a[in[0] >> 4];
        o[1] = a[in[0] & 15];
        break;
    case E_BASE2M: case E_BASE2L:
        for (int i = 0; i < 8; i++) o[i] = (char)('0' + ((in[0] >> (s->enc == E_BASE2M ? 7 - i : i)) & 1));
        break;
    default: {
        uint32_t v = (uint32_t)in[0] << 24 | (uint32_t)in[1] << 16 | (uint32_t)in[2] << 8 | in[3];
        for (int i = 4; i >= 0; i--) {
            o[i] = a[v % 85];
            v /= 85;
        }
        break;
    }
    }
    return olen;
}

static void encode_group(Codec *s, const unsigned char *in, size_t n) {
    char o[8];
    int olen = encode_chars(s, in, n, o);
    put_wrapped(s, o, (size_t)olen);
}

static void encode_bytes(Codec *s, const unsigned char *p, size_t n) {
    size_t g = (size_t)group_in(s->enc);
    while (n) {
        if (s->ngroup || n < g) {
            size_t k = g - s->ngroup < n ? g - s->ngroup : n;
            memcpy(s->group + s->ngroup, p, k);
            s->ngroup += k;
            p += k;
            n -= k;
            if (s->ngroup == g) {
                encode_group(s, s->group, g);
                s->ngroup = 0;
            }
            continue;
        }
        /* whole groups: encoded into a block, then wrapped in one go */
        char block[8192];
        size_t whole = n / g * g, per = sizeof block / 8 * g;
        if (whole > per) whole = per;
        size_t used = 0;
        if (s->enc == E_BASE64 || s->enc == E_BASE64URL) {
            const char *a = s->alpha;
            for (size_t i = 0; i < whole; i += 3) {
                unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];
                block[used] = a[v >> 18], block[used + 1] = a[(v >> 12) & 63];
                block[used + 2] = a[(v >> 6) & 63], block[used + 3] = a[v & 63];
                used += 4;
            }
        } else {
            for (size_t i = 0; i < whole; i += g) used += (size_t)encode_chars(s, p + i, g, block + used);
        }
        put_wrapped(s, block, used);
        p += whole;
        n -= whole;
    }
}

static void encode_feed(Codec *s, const char *data, size_t n) {
    if (s->enc != E_Z85) {
        encode_bytes(s, (const unsigned char *)data, n);
        return;
    }
    while (n) {
        size_t k = Z85_BLOCK - s->block.len < n ? Z85_BLOCK - s->block.len : n;
        sb_put(&s->block, data, k);
        data += k;
        n -= k;
        if (s->block.len == Z85_BLOCK) {
            encode_bytes(s, (const unsigned char *)s->block.s, s->block.len);
            sb_clear(&s->block);
        }
    }
}

static void encode_end(Codec *s) {
    if (s->enc == E_Z85) {
        if (s->block.len % 4) {
            uout_flush(&s->out);
            uc_error(s->c, "invalid input (length must be multiple of 4 characters)");
            s->failed = true;
            return;
        }
        encode_bytes(s, (const unsigned char *)s->block.s, s->block.len);
    } else if (s->ngroup) {
        encode_group(s, s->group, s->ngroup);
        s->ngroup = 0;
    }
    if (s->wrap && s->col) uout_putc(&s->out, '\n');
}

/* ---- decoding ---- */

/* gnulib's decode_4: the bytes decoded before a bad character are kept. */
static bool decode_base64(Codec *s, const unsigned char *in, size_t n) {
    const signed char *v = s->value;
    if (n < 2 || v[in[0]] < 0 || v[in[1]] < 0) return false;
    uout_putc(&s->out, (char)(v[in[0]] << 2 | v[in[1]] >> 4));
    if (n == 2) return false;
    if (in[2] == '=') return n == 4 && in[3] == '=';
    if (v[in[2]] < 0) return false;
    uout_putc(&s->out, (char)((v[in[1]] << 4 & 0xF0) | v[in[2]] >> 2));
    if (n == 3) return false;
    if (in[3] == '=') return true;
    if (v[in[3]] < 0) return false;
    uout_putc(&s->out, (char)((v[in[2]] << 6 & 0xC0) | v[in[3]]));
    return true;
}

/* gnulib's decode_8, byte by byte: each output byte needs its characters
 * valid; '=' must run to the end of the group at the allowed places. */
static bool decode_base32(Codec *s, const unsigned char *in, size_t n) {
    const signed char *v = s->value;
    if (n < 8) return false;
    static const int chars_for[] = {2, 4, 5, 7, 8}; /* characters that complete byte i */
    uint64_t bits = 0;
    int nchars = 0;
    for (int byte = 0; byte < 5; byte++) {
        int need = chars_for[byte];
        if (nchars < need && in[nchars] == '=') {
            if (byte == 0) return false;
            /* padding: allowed after 2, 4, 5 or 7 characters, up to the end */
            for (int i = nchars; i < 8; i++)
                if (in[i] != '=') return false;
            return nchars == 2 || nchars == 4 || nchars == 5 || nchars == 7;
        }
        while (nchars < need) {
            if (v[in[nchars]] < 0) return false;
            bits = bits << 5 | (uint64_t)v[in[nchars]];
            nchars++;
        }
        int extra = need * 5 - 8 * (byte + 1);
        uout_putc(&s->out, (char)(bits >> extra & 0xFF));
    }
    return true;
}

static bool decode_other(Codec *s, const unsigned char *in, size_t n) {
    const signed char *v = s->value;
    size_t want = (size_t)group_out(s->enc);
    if (n < want) return false;
    for (size_t i = 0; i < want; i++)
        if (v[in[i]] < 0) return false;
    if (s->enc == E_BASE16) {
        uout_putc(&s->out, (char)(v[in[0]] << 4 | v[in[1]]));
    } else if (s->enc == E_Z85) {
        uint64_t x = 0;
        for (int i = 0; i < 5; i++) x = x * 85 + (uint64_t)v[in[i]];
        if (x > 0xFFFFFFFFull) return false;
        char o[4] = {(char)(x >> 24), (char)(x >> 16), (char)(x >> 8), (char)x};
        uout_put(&s->out, o, 4);
    } else {
        int b = 0;
        for (int i = 0; i < 8; i++) b |= (in[i] - '0') << (s->enc == E_BASE2M ? 7 - i : i);
        uout_putc(&s->out, (char)b);
    }
    return true;
}

static bool decode_group(Codec *s, size_t n) {
    switch (s->enc) {
    case E_BASE64: case E_BASE64URL: return decode_base64(s, s->group, n);
    case E_BASE32: case E_BASE32HEX: return decode_base32(s, s->group, n);
    default: return decode_other(s, s->group, n);
    }
}

static void invalid(Codec *s) {
    uout_flush(&s->out);
    uc_error(s->c, "invalid input");
    s->failed = true;
}

static bool keep_char(const Codec *s, unsigned char ch) {
    if (ch == '\n') return false;
    if (!s->ignore) return true;
    bool padded = s->enc <= E_BASE32HEX;
    return s->value[ch] >= 0 || (padded && ch == '=');
}

static void decode_feed(Codec *s, const char *data, size_t n) {
    size_t g = (size_t)group_out(s->enc);
    for (size_t i = 0; i < n && !s->failed; i++) {
        unsigned char ch = (unsigned char)data[i];
        if (!keep_char(s, ch)) continue;
        s->group[s->ngroup++] = ch;
        if (s->ngroup == g) {
            s->ngroup = 0;
            if (!decode_group(s, g)) invalid(s);
        }
    }
}

static void decode_end(Codec *s) {
    if (s->failed || !s->ngroup) return;
    size_t n = s->ngroup;
    s->ngroup = 0;
    if (!decode_group(s, n)) invalid(s);
}

/* ---- the utilities ---- */

enum { OPT_ENC = 0x100 };

static const UOptLong basenc_longs[] = {
    {"decode", UO_NOARG, 'd'}, {"ignore-garbage", UO_NOARG, 'i'}, {"wrap", UO_REQ, 'w'},
    {"base64", UO_NOARG, OPT_ENC + E_BASE64}, {"base64url", UO_NOARG, OPT_ENC + E_BASE64URL},
    {"base32", UO_NOARG, OPT_ENC + E_BASE32}, {"base32hex", UO_NOARG, OPT_ENC + E_BASE32HEX},
    {"base16", UO_NOARG, OPT_ENC + E_BASE16}, {"base2msbf", UO_NOARG, OPT_ENC + E_BASE2M},
    {"base2lsbf", UO_NOARG, OPT_ENC + E_BASE2L}, {"z85", UO_NOARG, OPT_ENC + E_Z85},
    {NULL, 0, 0},
};

static int codec_option(Codec *s, int k, const char *arg, bool basenc) {
    if (basenc && k >= OPT_ENC && k < OPT_ENC + E_NONE) {
        s->enc = (Enc)(k - OPT_ENC);
        return -1;
    }
    switch (k) {
    case 'd': s->decode = true; return -1;
    case 'i': s->ignore = true; return -1;
    case 'w':
        if (!u_parse_uint(arg, &s->wrap)) {
            char *q = u_quote(arg);
            uc_error(s->c, "invalid wrap size: %s", q);
            free(q);
            return 1;
        }
        return -1;
    case UO_HELP: return u_help(s->c, "[OPTION]... [FILE]");
    case UO_VERSION: return u_version(s->c);
    default: return 1;
    }
}

static int codec_parse(Codec *s, UtilCtx *c, int argc, char **argv, Enc enc) {
    memset(s, 0, sizeof *s);
    s->c = c;
    s->enc = enc;
    s->wrap = 76;
    bool basenc = enc == E_NONE;
    UOpts o;
    /* base64 and base32 know only their own options: the encodings are basenc's */
    static const UOptLong plain_longs[] = {
        {"decode", UO_NOARG, 'd'}, {"ignore-garbage", UO_NOARG, 'i'}, {"wrap", UO_REQ, 'w'}, {NULL, 0, 0}};
    uopt_init(&o, c, argc, argv, "diw:", basenc ? basenc_longs : plain_longs);
    int k, r = -1;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) r = codec_option(s, k, o.arg, basenc);
    s->ops = o.ops;
    if (r < 0 && s->enc == E_NONE) {
        uc_error(c, "missing encoding type");
        u_try_help(c);
        r = 1;
    }
    if (r < 0 && s->ops.n > 1) {
        u_extra_operand(c, s->ops.v[1]);
        r = 1;
    }
    if (r >= 0) {
        sl_free(&s->ops);
        return r;
    }
    s->alpha = alphabet(s->enc);
    memset(s->value, -1, sizeof s->value);
    for (int i = 0; s->alpha[i]; i++) s->value[(unsigned char)s->alpha[i]] = (signed char)i;
    sb_init(&s->block);
    uout_init(&s->out, c, 1);
    return -1;
}

static int codec_feed(void *st, const char *data, size_t n) {
    Codec *s = st;
    if (s->decode) decode_feed(s, data, n);
    else encode_feed(s, data, n);
    return uout_flush(&s->out) < 0 || s->failed;
}

static int codec_end(Codec *s) {
    if (!s->failed) s->decode ? decode_end(s) : encode_end(s);
    int status = uout_close(&s->out) | s->failed;
    sb_free(&s->block);
    sl_free(&s->ops);
    return status;
}

static int codec_main(UtilCtx *c, int argc, char **argv, Enc enc) {
    Codec s;
    int r = codec_parse(&s, c, argc, argv, enc);
    if (r >= 0) return r;
    const char *name = s.ops.n ? s.ops.v[0] : "-";
    UcFile *f = u_open_in(c, name);
    if (!f) {
        s.failed = true;
        uout_close(&s.out);
        sb_free(&s.block);
        sl_free(&s.ops);
        return 1;
    }
    int pr = u_pump(c, f, codec_feed, &s);
    if (pr < 0) {
        u_err_file(c, name, errno);
        s.failed = true;
    }
    uc_close(f);
    return codec_end(&s);
}

static void *codec_start(UtilCtx *c, int argc, char **argv, int *status, Enc enc) {
    Codec *s = xmalloc(sizeof *s);
    int r = codec_parse(s, c, argc, argv, enc);
    if (r < 0 && u_push_ok(&s->ops)) return s;
    if (r < 0) {
        uout_close(&s->out);
        sb_free(&s->block);
        sl_free(&s->ops);
    }
    *status = r;
    free(s);
    return NULL;
}

static int codec_finish(void *st) {
    int r = codec_end(st);
    free(st);
    return r;
}

int util_base64_main(UtilCtx *c, int argc, char **argv) { return codec_main(c, argc, argv, E_BASE64); }
int util_base32_main(UtilCtx *c, int argc, char **argv) { return codec_main(c, argc, argv, E_BASE32); }
int util_basenc_main(UtilCtx *c, int argc, char **argv) { return codec_main(c, argc, argv, E_NONE); }

static void *base64_start(UtilCtx *c, int argc, char **argv, int *status) {
    return codec_start(c, argc, argv, status, E_BASE64);
}
static void *base32_start(UtilCtx *c, int argc, char **argv, int *status) {
    return codec_start(c, argc, argv, status, E_BASE32);
}
static void *basenc_start(UtilCtx *c, int argc, char **argv, int *status) {
    return codec_start(c, argc, argv, status, E_NONE);
}

const UtilPushOps util_base64_push = {base64_start, codec_feed, codec_finish};
const UtilPushOps util_base32_push = {base32_start, codec_feed, codec_finish};
const UtilPushOps util_basenc_push = {basenc_start, codec_feed, codec_finish};
