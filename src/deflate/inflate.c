/* inflate.c - streaming DEFLATE decoder with the gzip and zlib wrappers.
 *
 * Input arrives in chunks of any size, so the decoder is a state machine that
 * can stop between any two items and resume with the next chunk. Every item
 * (a header field, a code length, a literal, a length/distance pair) is
 * decoded transactionally from a 64-bit bit buffer: it is only consumed once
 * all of its bits are there, so "need more input" never leaves a half-decoded
 * item behind. While at least 8 input bytes remain, a fast loop refills the
 * bit buffer a word at a time and decodes without those checks.
 *
 * Huffman codes are decoded with two-level tables: a root table indexed by
 * the next ROOT bits, whose entries either give the symbol directly or point
 * at a sub-table for the longer codes sharing that prefix.
 *
 * Output goes into one buffer that keeps the last 32 KiB as history for
 * back-references; when it is nearly full, the new part is handed to the sink
 * and the history moves to the front. */
#include "deflate.h"

#include <stdlib.h>
#include <string.h>

enum {
    HIST = 32768,
    OUTCAP = 1 << 18,           /* output buffer, history included */
    OUTLIMIT = OUTCAP - 258,    /* room for one more match */
    LIT_ROOT = 10,
    DIST_ROOT = 8,
    CL_ROOT = 7,
    LIT_TABLE = (1 << LIT_ROOT) + 2048,
    DIST_TABLE = (1 << DIST_ROOT) + 1024,
    CL_TABLE = 1 << CL_ROOT,
};

/* A table entry: bits 0-7 the code length (or, for a link, the sub-table's
 * index bits), bits 8-15 the kind, bits 16-31 the value. */
enum {
    K_LIT = 0x00,   /* literal byte / plain symbol */
    K_LEN = 0x10,   /* length: K_LEN + extra bits; value = base */
    K_DIST = 0x20,  /* distance: K_DIST + extra bits; value = base */
    K_EOB = 0x40,
    K_LINK = 0x60,  /* value = sub-table offset */
    K_BAD = 0x80,
};
#define E_BITS(e) ((e) & 0xffu)
#define E_KIND(e) (((e) >> 8) & 0xffu)
#define E_VAL(e) ((e) >> 16)
#define ENTRY(bits, kind, val) ((uint32_t)(bits) | (uint32_t)(kind) << 8 | (uint32_t)(val) << 16)

static const uint16_t len_base[29] = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                      31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
static const uint8_t len_extra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                      2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const uint16_t dist_base[30] = {1,    2,    3,    4,    5,    7,     9,     13,    17,  25,
                                       33,   49,   65,   97,   129,  193,   257,   385,   513, 769,
                                       1025, 1537, 2049, 3073, 4097, 6145,  8193,  12289, 16385, 24577};
static const uint8_t dist_extra[30] = {0, 0, 0, 0, 1, 1, 2, 2,  3,  3,  4,  4,  5,  5,  6,
                                       6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};
/* The order in which code length code lengths are sent. */
static const uint8_t cl_order[19] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};

typedef enum State {
    S_GZ_MAGIC, S_GZ_METHOD, S_GZ_FLAGS, S_GZ_MTIME, S_GZ_XFLOS, S_GZ_XLEN, S_GZ_EXTRA, S_GZ_NAME,
    S_GZ_COMMENT, S_GZ_HCRC, S_ZLIB_HEAD,
    S_BLOCK, S_STORED_LEN, S_STORED_COPY, S_DYN_COUNTS, S_DYN_CL, S_DYN_LENS, S_CODES,
    S_TRAILER, S_GZ_ISIZE, S_DONE,
} State;

typedef enum TableKind { T_CL, T_LIT, T_DIST } TableKind;

struct DflInflater {
    int format;
    State state;
    uint64_t bitbuf;
    unsigned bitcnt;
    int final;            /* the current block is the last one */
    int started;          /* some input of this stream was seen */
    uint32_t count;       /* stored bytes left, gzip extra bytes left, ... */
    size_t name_len;
    /* dynamic block header */
    unsigned hlit, hdist, hclen, ncl, nlens;
    uint8_t lens[320];
    uint32_t cl[CL_TABLE];
    uint32_t lit[LIT_TABLE];
    uint32_t dist[DIST_TABLE];
    /* output */
    uint8_t *out;
    size_t pos, flushed;
    uint32_t check;
    uint64_t total_out, total_in;
    DflGzipInfo gz;
};

/* The current chunk of input. */
typedef struct In {
    const uint8_t *p;
    size_t n, i;
} In;

typedef enum Step { GO, NEED, END, FAIL } Step;

/* ---------------------------------------------------------------- tables */

static uint32_t reverse_bits(uint32_t code, unsigned len) {
    uint32_t r = 0;
    for (unsigned i = 0; i < len; i++, code >>= 1) r = r << 1 | (code & 1);
    return r;
}

static uint32_t sym_entry(TableKind kind, unsigned sym, unsigned len) {
    if (kind == T_CL) return ENTRY(len, K_LIT, sym);
    if (kind == T_DIST)
        return sym < 30 ? ENTRY(len, K_DIST + dist_extra[sym], dist_base[sym]) : ENTRY(len, K_BAD, 0);
    if (sym < 256) return ENTRY(len, K_LIT, sym);
    if (sym == 256) return ENTRY(len, K_EOB, 0);
    if (sym < 286) return ENTRY(len, K_LEN + len_extra[sym - 257], len_base[sym - 257]);
    return ENTRY(len, K_BAD, 0);
}

/* Builds the decoding table of a canonical code from its code lengths.
 * Returns 0, or -1 for an over-subscribed or (beyond what zlib allows, a
 * single code of length 1) incomplete code. */
static int build_table(uint32_t *table, size_t cap, unsigned root, const uint8_t *lens, unsigned nsym,
                       TableKind kind) {
    unsigned count[16] = {0};
    for (unsigned s = 0; s < nsym; s++) count[lens[s]]++;
    count[0] = 0;
    int left = 1;
    unsigned max = 0;
    for (unsigned l = 1; l <= 15; l++) {
        left = left * 2 - (int)count[l];
        if (left < 0) return -1;
        if (count[l]) max = l;
    }
    if (left > 0 && (kind == T_CL || max > 1) && max != 0) return -1;
    for (size_t i = 0; i < cap; i++) table[i] = ENTRY(0, K_BAD, 0);
    if (max == 0) return 0; /* no codes: every lookup is invalid */
    uint32_t next[16];
    uint32_t code = 0;
    for (unsigned l = 1; l <= 15; l++) {
        code = (code + count[l - 1]) << 1;
        next[l] = code;
    }
    unsigned rootsize = 1u << root, rootmask = rootsize - 1;
    uint8_t sublen[1 << LIT_ROOT] = {0};    /* longest code under each root prefix */
    uint16_t suboff[1 << LIT_ROOT];
    uint32_t codes[320];
    for (unsigned s = 0; s < nsym; s++) {
        unsigned l = lens[s];
        if (!l) continue;
        codes[s] = reverse_bits(next[l]++, l);
        if (l > root && l > sublen[codes[s] & rootmask]) sublen[codes[s] & rootmask] = (uint8_t)l;
    }
    size_t used = rootsize;
    for (unsigned p = 0; p < rootsize; p++) {
        if (!sublen[p]) continue;
        unsigned bits = sublen[p] - root;
        if (used + (1u << bits) > cap) return -1;
        suboff[p] = (uint16_t)used;
        table[p] = ENTRY(bits, K_LINK, used);
        used += 1u << bits;
    }
    for (unsigned s = 0; s < nsym; s++) {
        unsigned l = lens[s];
        if (!l) continue;
        uint32_t e = sym_entry(kind, s, l), c = codes[s];
        if (l <= root) {
            for (uint32_t k = c; k < rootsize; k += 1u << l) table[k] = e;
        } else {
            unsigned bits = sublen[c & rootmask] - root, step = 1u << (l - root);
            uint32_t *sub = table + suboff[c & rootmask];
            for (uint32_t k = c >> root; k < (1u << bits); k += step) sub[k] = e;
        }
    }
    return 0;
}

static void build_fixed(DflInflater *z) {
    uint8_t l[320];
    unsigned s = 0;
    for (; s < 144; s++) l[s] = 8;
    for (; s < 256; s++) l[s] = 9;
    for (; s < 280; s++) l[s] = 7;
    for (; s < 288; s++) l[s] = 8;
    build_table(z->lit, LIT_TABLE, LIT_ROOT, l, 288, T_LIT);
    for (s = 0; s < 32; s++) l[s] = 5; /* 30 and 31 are part of the code but invalid */
    build_table(z->dist, DIST_TABLE, DIST_ROOT, l, 32, T_DIST);
}

/* ---------------------------------------------------------------- bits */

static void refill(DflInflater *z, In *in) {
    while (z->bitcnt <= 56 && in->i < in->n) {
        z->bitbuf |= (uint64_t)in->p[in->i++] << z->bitcnt;
        z->bitcnt += 8;
    }
}

/* Takes nbits (<= 32) if they are all there. */
static int take_bits(DflInflater *z, In *in, unsigned nbits, uint32_t *val) {
    refill(z, in);
    if (z->bitcnt < nbits) return 0;
    *val = (uint32_t)(z->bitbuf & ((1ull << nbits) - 1));
    z->bitbuf >>= nbits;
    z->bitcnt -= nbits;
    return 1;
}

static void align_byte(DflInflater *z) {
    z->bitbuf >>= z->bitcnt & 7;
    z->bitcnt &= ~7u;
}

/* Looks a code up in the next bits without consuming them. */
static uint32_t lookup(const uint32_t *table, unsigned root, uint64_t bits) {
    uint32_t e = table[bits & ((1u << root) - 1)];
    if (E_KIND(e) == K_LINK) e = table[E_VAL(e) + ((bits >> root) & ((1u << E_BITS(e)) - 1))];
    return e;
}

/* ---------------------------------------------------------------- output */

/* Hands the new output to the sink and updates the checksum. */
static int flush_out(DflInflater *z, DflSink sink, void *ctx) {
    size_t n = z->pos - z->flushed;
    if (!n) return 0;
    const uint8_t *p = z->out + z->flushed;
    z->check = z->format == DFL_ZLIB ? dfl_adler32(z->check, p, n) : dfl_crc32(z->check, p, n);
    z->total_out += n;
    z->flushed = z->pos;
    return sink(ctx, p, n);
}

/* Makes room for one more match: flushes and keeps only the history. */
static int make_room(DflInflater *z, DflSink sink, void *ctx) {
    if (flush_out(z, sink, ctx)) return 1;
    memmove(z->out, z->out + z->pos - HIST, HIST);
    z->pos = z->flushed = HIST;
    return 0;
}

static void copy_match(uint8_t *out, size_t pos, unsigned dist, unsigned len) {
    uint8_t *d = out + pos;
    const uint8_t *s = d - dist;
    if (dist >= 8) {
        /* 8 bytes at a time; may write up to 7 bytes past the end (slack) */
        for (unsigned k = 0; k < len; k += 8) memcpy(d + k, s + k, 8);
    } else if (dist == 1) {
        memset(d, *s, len);
    } else {
        for (unsigned k = 0; k < len; k++) d[k] = s[k];
    }
}

/* ---------------------------------------------------------------- blocks */

static Step step_block(DflInflater *z, In *in) {
    uint32_t v;
    if (!take_bits(z, in, 3, &v)) return NEED;
    z->final = v & 1;
    switch (v >> 1) {
    case 0: align_byte(z); z->state = S_STORED_LEN; return GO;
    case 1: build_fixed(z); z->state = S_CODES; return GO;
    case 2: z->state = S_DYN_COUNTS; return GO;
    default: return FAIL;
    }
}

static Step step_stored_len(DflInflater *z, In *in) {
    uint32_t v;
    if (!take_bits(z, in, 32, &v)) return NEED;
    if ((v & 0xffff) != (~v >> 16)) return FAIL;
    z->count = v & 0xffff;
    z->state = S_STORED_COPY;
    return GO;
}

static Step step_stored_copy(DflInflater *z, In *in, DflSink sink, void *ctx, int *stopped) {
    while (z->count) {
        if (z->pos >= OUTLIMIT && make_room(z, sink, ctx)) {
            *stopped = 1;
            return FAIL;
        }
        size_t room = OUTLIMIT + 1 - z->pos, k = 0;
        while (z->bitcnt >= 8 && z->count && k < room) {
            z->out[z->pos++] = (uint8_t)z->bitbuf;
            z->bitbuf >>= 8;
            z->bitcnt -= 8;
            z->count--;
            k++;
        }
        size_t avail = in->n - in->i, take = z->count;
        if (take > avail) take = avail;
        if (take > room - k) take = room - k;
        memcpy(z->out + z->pos, in->p + in->i, take);
        z->pos += take;
        in->i += take;
        z->count -= (uint32_t)take;
        if (z->count && in->i == in->n && z->bitcnt < 8) return NEED;
    }
    z->state = z->final ? S_TRAILER : S_BLOCK;
    return GO;
}

static Step step_dyn_counts(DflInflater *z, In *in) {
    uint32_t v;
    if (!take_bits(z, in, 14, &v)) return NEED;
    z->hlit = (v & 31) + 257;
    z->hdist = ((v >> 5) & 31) + 1;
    z->hclen = (v >> 10) + 4;
    if (z->hlit > 286 || z->hdist > 30) return FAIL;
    memset(z->lens, 0, sizeof z->lens);
    z->ncl = 0;
    z->state = S_DYN_CL;
    return GO;
}

static Step step_dyn_cl(DflInflater *z, In *in) {
    uint32_t v;
    while (z->ncl < z->hclen) {
        if (!take_bits(z, in, 3, &v)) return NEED;
        z->lens[cl_order[z->ncl++]] = (uint8_t)v;
    }
    if (build_table(z->cl, CL_TABLE, CL_ROOT, z->lens, 19, T_CL)) return FAIL;
    memset(z->lens, 0, sizeof z->lens);
    z->nlens = 0;
    z->state = S_DYN_LENS;
    return GO;
}

static Step step_dyn_lens(DflInflater *z, In *in) {
    unsigned total = z->hlit + z->hdist;
    while (z->nlens < total) {
        refill(z, in);
        uint32_t e = lookup(z->cl, CL_ROOT, z->bitbuf);
        unsigned n = E_BITS(e), sym = E_VAL(e);
        if (E_KIND(e) == K_BAD) return n <= z->bitcnt ? FAIL : NEED;
        if (n > z->bitcnt) return NEED;
        unsigned extra = sym == 16 ? 2 : sym == 17 ? 3 : sym == 18 ? 7 : 0;
        if (n + extra > z->bitcnt) return NEED;
        uint32_t x = (uint32_t)(z->bitbuf >> n) & ((1u << extra) - 1);
        z->bitbuf >>= n + extra;
        z->bitcnt -= n + extra;
        if (sym < 16) {
            z->lens[z->nlens++] = (uint8_t)sym;
            continue;
        }
        unsigned rep = sym == 16 ? 3 + x : sym == 17 ? 3 + x : 11 + x;
        if (sym == 16 && z->nlens == 0) return FAIL;
        if (z->nlens + rep > total) return FAIL;
        uint8_t val = sym == 16 ? z->lens[z->nlens - 1] : 0;
        while (rep--) z->lens[z->nlens++] = val;
    }
    if (z->lens[256] == 0) return FAIL; /* no end-of-block code */
    if (build_table(z->lit, LIT_TABLE, LIT_ROOT, z->lens, z->hlit, T_LIT)) return FAIL;
    if (build_table(z->dist, DIST_TABLE, DIST_ROOT, z->lens + z->hlit, z->hdist, T_DIST)) return FAIL;
    z->state = S_CODES;
    return GO;
}

static uint64_t load64le(const uint8_t *p) {
    uint64_t v;
    memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    return v;
}

/* Decodes symbols while at least 8 input bytes remain. Returns GO to go on
 * carefully, END at the end of the block, FAIL on bad data or a stop. */
static Step codes_fast(DflInflater *z, In *in, DflSink sink, void *ctx, int *stopped) {
    uint64_t bb = z->bitbuf;
    unsigned bc = z->bitcnt;
    const uint8_t *p = in->p;
    size_t i = in->i, n = in->n;
    uint8_t *out = z->out;
    size_t pos = z->pos;
    Step r = GO;
    while (n - i >= 8) {
        bb |= load64le(p + i) << bc;
        i += (63 - bc) >> 3;
        bc |= 56;
        if (pos >= OUTLIMIT) {
            z->pos = pos;
            if (make_room(z, sink, ctx)) { *stopped = 1; r = FAIL; break; }
            pos = z->pos;
        }
        uint32_t e = lookup(z->lit, LIT_ROOT, bb);
        unsigned kind = E_KIND(e);
        bb >>= E_BITS(e);
        bc -= E_BITS(e);
        if (kind == K_LIT) {
            out[pos++] = (uint8_t)E_VAL(e);
            continue;
        }
        if (kind == K_EOB) { r = END; break; }
        if (kind >= K_DIST) { r = FAIL; break; }
        unsigned ex = kind - K_LEN;
        unsigned len = E_VAL(e) + (unsigned)(bb & ((1u << ex) - 1));
        bb >>= ex;
        bc -= ex;
        uint32_t d = lookup(z->dist, DIST_ROOT, bb);
        if ((E_KIND(d) & 0xf0) != K_DIST) { r = FAIL; break; }
        bb >>= E_BITS(d);
        bc -= E_BITS(d);
        ex = E_KIND(d) - K_DIST;
        unsigned dist = E_VAL(d) + (unsigned)(bb & ((1u << ex) - 1));
        bb >>= ex;
        bc -= ex;
        if (dist > pos) { r = FAIL; break; }
        copy_match(out, pos, dist, len);
        pos += len;
    }
    /* drop the look-ahead bits above bc that belong to unread bytes */
    z->bitbuf = bc < 64 ? bb & ((1ull << bc) - 1) : bb;
    z->bitcnt = bc;
    z->pos = pos;
    in->i = i;
    return r;
}

/* One symbol (or length/distance pair), only if all of its bits are there. */
static Step code_careful(DflInflater *z, In *in) {
    refill(z, in);
    uint64_t bb = z->bitbuf;
    unsigned bc = z->bitcnt;
    uint32_t e = lookup(z->lit, LIT_ROOT, bb);
    unsigned kind = E_KIND(e), n = E_BITS(e);
    if (n > bc) return NEED;
    if (kind == K_BAD) return n ? FAIL : (bc >= 15 ? FAIL : NEED);
    if (kind == K_LIT || kind == K_EOB) {
        z->bitbuf >>= n;
        z->bitcnt -= n;
        if (kind == K_EOB) return END;
        z->out[z->pos++] = (uint8_t)E_VAL(e);
        return GO;
    }
    unsigned ex = kind - K_LEN, used = n + ex;
    if (used > bc) return NEED;
    unsigned len = E_VAL(e) + (unsigned)((bb >> n) & ((1u << ex) - 1));
    uint32_t d = lookup(z->dist, DIST_ROOT, bb >> used);
    unsigned dn = E_BITS(d);
    if (used + dn > bc) return NEED;
    if ((E_KIND(d) & 0xf0) != K_DIST) return (dn || bc - used >= 15) ? FAIL : NEED;
    unsigned dex = E_KIND(d) - K_DIST;
    if (used + dn + dex > bc) return NEED;
    unsigned dist = E_VAL(d) + (unsigned)((bb >> (used + dn)) & ((1u << dex) - 1));
    used += dn + dex;
    if (dist > z->pos) return FAIL;
    z->bitbuf >>= used;
    z->bitcnt -= used;
    copy_match(z->out, z->pos, dist, len);
    z->pos += len;
    return GO;
}

static Step step_codes(DflInflater *z, In *in, DflSink sink, void *ctx, int *stopped) {
    for (;;) {
        Step r = codes_fast(z, in, sink, ctx, stopped);
        if (r == GO) {
            if (z->pos >= OUTLIMIT && make_room(z, sink, ctx)) { *stopped = 1; return FAIL; }
            r = code_careful(z, in);
            if (r == GO) continue;
        }
        if (r == END) z->state = z->final ? S_TRAILER : S_BLOCK;
        return r == END ? GO : r;
    }
}

/* ---------------------------------------------------------------- wrappers */

/* take_bits for header fields, counting the header's bytes. */
static int take_header(DflInflater *z, In *in, unsigned nbits, uint32_t *val) {
    if (!take_bits(z, in, nbits, val)) return 0;
    z->gz.header_len += nbits / 8;
    return 1;
}

/* The gzip member header, one field at a time. FAIL sets *err. */
static Step step_gzip_header(DflInflater *z, In *in, DflStatus *err) {
    uint32_t v;
    for (;;) {
        switch (z->state) {
        case S_GZ_MAGIC:
            if (!take_header(z, in, 16, &v)) return NEED;
            if (v != 0x8b1f) { *err = DFL_EFORMAT; return FAIL; }
            z->state = S_GZ_METHOD;
            break;
        case S_GZ_METHOD:
            if (!take_header(z, in, 8, &v)) return NEED;
            z->gz.method = (uint8_t)v;
            if (v != 8) { *err = DFL_EMETHOD; return FAIL; }
            z->state = S_GZ_FLAGS;
            break;
        case S_GZ_FLAGS:
            if (!take_header(z, in, 8, &v)) return NEED;
            z->gz.flags = (uint8_t)v;
            if (v & 0xe0) { *err = DFL_EFLAGS; return FAIL; }
            z->state = S_GZ_MTIME;
            break;
        case S_GZ_MTIME:
            if (!take_header(z, in, 32, &v)) return NEED;
            z->gz.mtime = v;
            z->state = S_GZ_XFLOS;
            break;
        case S_GZ_XFLOS:
            if (!take_header(z, in, 16, &v)) return NEED;
            z->gz.xfl = (uint8_t)v;
            z->gz.os = (uint8_t)(v >> 8);
            z->count = 0;
            z->state = (z->gz.flags & 4) ? S_GZ_XLEN : S_GZ_EXTRA;
            break;
        case S_GZ_XLEN:
            if (!take_header(z, in, 16, &v)) return NEED;
            z->count = v;
            z->state = S_GZ_EXTRA;
            break;
        case S_GZ_EXTRA:
            for (; z->count; z->count--)
                if (!take_header(z, in, 8, &v)) return NEED;
            z->name_len = 0;
            z->state = S_GZ_NAME;
            break;
        case S_GZ_NAME:
            if (z->gz.flags & 8) {
                for (;;) {
                    if (!take_header(z, in, 8, &v)) return NEED;
                    if (!v) break;
                    if (z->name_len + 1 < sizeof z->gz.name) z->gz.name[z->name_len++] = (char)v;
                }
                z->gz.name[z->name_len] = 0;
                z->gz.has_name = 1;
            }
            z->state = S_GZ_COMMENT;
            break;
        case S_GZ_COMMENT:
            if (z->gz.flags & 16) {
                do {
                    if (!take_header(z, in, 8, &v)) return NEED;
                } while (v);
            }
            z->state = S_GZ_HCRC;
            break;
        case S_GZ_HCRC:
            if ((z->gz.flags & 2) && !take_header(z, in, 16, &v)) return NEED;
            z->state = S_BLOCK;
            return GO;
        default: return FAIL;
        }
    }
}

static Step step_zlib_header(DflInflater *z, In *in, DflStatus *err) {
    uint32_t v;
    if (!take_bits(z, in, 16, &v)) return NEED;
    unsigned cmf = v & 0xff, flg = v >> 8;
    if ((cmf * 256 + flg) % 31 || (flg & 0x20)) { *err = DFL_EFORMAT; return FAIL; }
    if ((cmf & 15) != 8 || (cmf >> 4) > 7) { *err = DFL_EMETHOD; return FAIL; }
    z->state = S_BLOCK;
    return GO;
}

/* The end of the deflate data: the trailer of the wrapper, if any. */
static Step step_trailer(DflInflater *z, In *in, DflSink sink, void *ctx, DflStatus *err) {
    uint32_t v;
    align_byte(z);
    if (z->format == DFL_RAW) {
        if (flush_out(z, sink, ctx)) { *err = DFL_STOPPED; return FAIL; }
        z->state = S_DONE;
        return END;
    }
    if (z->format == DFL_ZLIB) {
        if (!take_bits(z, in, 32, &v)) return NEED;
        if (flush_out(z, sink, ctx)) { *err = DFL_STOPPED; return FAIL; }
        v = v >> 24 | (v >> 8 & 0xff00) | (v << 8 & 0xff0000) | v << 24;
        if (v != z->check) { *err = DFL_ECRC; return FAIL; }
        z->state = S_DONE;
        return END;
    }
    if (z->state == S_TRAILER) {
        if (!take_bits(z, in, 32, &v)) return NEED;
        if (flush_out(z, sink, ctx)) { *err = DFL_STOPPED; return FAIL; }
        if (v != z->check) { *err = DFL_ECRC; return FAIL; }
        z->state = S_GZ_ISIZE;
    }
    if (!take_bits(z, in, 32, &v)) return NEED;
    if (v != (uint32_t)z->total_out) { *err = DFL_ELENGTH; return FAIL; }
    z->state = S_DONE;
    return END;
}

/* ---------------------------------------------------------------- API */

DflInflater *dfl_inflate_new(int format) {
    DflInflater *z = calloc(1, sizeof *z);
    if (!z) return NULL;
    z->out = malloc(OUTCAP + 64);
    if (!z->out) {
        free(z);
        return NULL;
    }
    z->format = format;
    dfl_inflate_reset(z);
    return z;
}

void dfl_inflate_free(DflInflater *z) {
    if (!z) return;
    free(z->out);
    free(z);
}

void dfl_inflate_reset(DflInflater *z) {
    z->state = z->format == DFL_GZIP ? S_GZ_MAGIC : z->format == DFL_ZLIB ? S_ZLIB_HEAD : S_BLOCK;
    z->bitbuf = 0;
    z->bitcnt = 0;
    z->final = 0;
    z->started = 0;
    z->pos = z->flushed = 0;
    z->check = z->format == DFL_ZLIB ? 1 : 0;
    z->total_out = z->total_in = 0;
    memset(&z->gz, 0, sizeof z->gz);
}

int dfl_inflate_pending(const DflInflater *z) { return z->started && z->state != S_DONE; }
const DflGzipInfo *dfl_inflate_gzip_info(const DflInflater *z) { return &z->gz; }
int dfl_inflate_in_header(const DflInflater *z) { return z->state < S_BLOCK; }
uint64_t dfl_inflate_total_out(const DflInflater *z) { return z->total_out + (z->pos - z->flushed); }
uint64_t dfl_inflate_total_in(const DflInflater *z) { return z->total_in; }
uint32_t dfl_inflate_check(const DflInflater *z) { return z->check; }

static Step run_state(DflInflater *z, In *in, DflSink sink, void *ctx, DflStatus *err) {
    int stopped = 0;
    Step r;
    switch (z->state) {
    case S_GZ_MAGIC: case S_GZ_METHOD: case S_GZ_FLAGS: case S_GZ_MTIME: case S_GZ_XFLOS:
    case S_GZ_XLEN: case S_GZ_EXTRA: case S_GZ_NAME: case S_GZ_COMMENT: case S_GZ_HCRC:
        return step_gzip_header(z, in, err);
    case S_ZLIB_HEAD: return step_zlib_header(z, in, err);
    case S_BLOCK: r = step_block(z, in); break;
    case S_STORED_LEN: r = step_stored_len(z, in); break;
    case S_STORED_COPY: r = step_stored_copy(z, in, sink, ctx, &stopped); break;
    case S_DYN_COUNTS: r = step_dyn_counts(z, in); break;
    case S_DYN_CL: r = step_dyn_cl(z, in); break;
    case S_DYN_LENS: r = step_dyn_lens(z, in); break;
    case S_CODES: r = step_codes(z, in, sink, ctx, &stopped); break;
    case S_TRAILER:
    case S_GZ_ISIZE: return step_trailer(z, in, sink, ctx, err);
    case S_DONE: return END;
    default: r = FAIL; break;
    }
    if (r == FAIL) *err = stopped ? DFL_STOPPED : DFL_EDATA;
    return r;
}

DflStatus dfl_inflate(DflInflater *z, const uint8_t *data, size_t n, size_t *used, DflSink sink,
                      void *ctx) {
    In in = {data, n, 0};
    DflStatus err = DFL_EDATA;
    if (n) z->started = 1;
    Step r;
    do {
        r = run_state(z, &in, sink, ctx, &err);
    } while (r == GO);
    DflStatus st = DFL_OK;
    if (r == FAIL) {
        st = err;
    } else if (r == NEED) {
        if (flush_out(z, sink, ctx)) st = DFL_STOPPED;
    } else {
        /* END: whole bytes left in the bit buffer were read past the end */
        size_t back = z->bitcnt / 8;
        if (back > in.i) back = in.i;
        in.i -= back;
        z->bitbuf = 0;
        z->bitcnt = 0;
        st = DFL_END;
    }
    z->total_in += in.i;
    if (used) *used = in.i;
    return st;
}

const char *dfl_strerror(DflStatus st) {
    switch (st) {
    case DFL_OK: return "ok";
    case DFL_END: return "end of stream";
    case DFL_STOPPED: return "stopped";
    case DFL_EFORMAT: return "not in gzip format";
    case DFL_EMETHOD: return "unknown compression method";
    case DFL_EFLAGS: return "unknown flags";
    case DFL_EDATA: return "invalid compressed data--format violated";
    case DFL_ECRC: return "invalid compressed data--crc error";
    case DFL_ELENGTH: return "invalid compressed data--length error";
    case DFL_ENOMEM: return "memory exhausted";
    }
    return "error";
}
