/* bzip2_decode.c - bzip2 decompression.
 *
 * Blocks are not byte-aligned and their length is only known by decoding
 * them, so the decoder keeps the compressed bytes of the current block in a
 * buffer and decodes the block once it is all there: an attempt that runs out
 * of bits is abandoned and retried when the buffer has doubled (or at the end
 * of the input), which keeps the work linear. A block holds at most 900k
 * symbols, so the buffer stays below a few megabytes.
 *
 * Decoding a block: the symbol map, the selectors (move-to-front coded), up
 * to six canonical Huffman tables (delta-coded lengths), the RUNA/RUNB and
 * move-to-front coded BWT output; then the inverse Burrows-Wheeler transform
 * and the initial run-length coding are undone while the output goes to the
 * sink, and the block CRC is checked. */
#include "bzip2.h"

#include <stdlib.h>
#include <string.h>

enum {
    MAX_GROUPS = 6,
    MAX_ALPHA = 258,
    MAX_CODE_LEN = 20,
    MAX_SELECTORS = 18002,
    GROUP_SIZE = 50,
    MAX_BUFFER = 8 << 20,
    OUTBUF = 1 << 16,
};

typedef enum Phase { P_HEADER, P_BLOCKS, P_DONE } Phase;

struct BzDecoder {
    Phase phase;
    int level;
    uint8_t *in;          /* buffered compressed bytes; bit 0 of in[0] is at bit offset `bit` */
    size_t len, cap;
    unsigned bit;         /* bits of in[0] already used */
    size_t retry_at;      /* try again once len reaches this */
    uint32_t combined;
    uint32_t crc_table[256];
    uint32_t *tt;         /* inverse BWT, 100000 * level entries */
    int started;
    uint8_t out[OUTBUF];
    size_t outn;
};

/* ---------------------------------------------------------------- bits */

typedef struct Bits {
    const uint8_t *p;
    size_t len;           /* bytes */
    uint64_t pos;         /* bit position */
    int short_input;
} Bits;

static uint32_t getbits(Bits *b, unsigned n) {
    if (b->pos + n > (uint64_t)b->len * 8) {
        b->short_input = 1;
        b->pos = (uint64_t)b->len * 8;
        return 0;
    }
    uint32_t v = 0;
    for (unsigned i = 0; i < n; i++, b->pos++) v = v << 1 | ((b->p[b->pos >> 3] >> (7 - (b->pos & 7))) & 1);
    return v;
}

/* ---------------------------------------------------------------- tables */

typedef struct Table {
    int32_t limit[MAX_CODE_LEN + 2], base[MAX_CODE_LEN + 2];
    uint16_t perm[MAX_ALPHA];
    int min_len;
} Table;

/* Canonical codes from lengths: shorter first, then by symbol. */
static int make_table(Table *t, const uint8_t *len, int n) {
    int count[MAX_CODE_LEN + 2] = {0};
    int minl = MAX_CODE_LEN, pp = 0;
    for (int i = 0; i < n; i++) {
        if (len[i] < 1 || len[i] > MAX_CODE_LEN) return -1;
        count[len[i]]++;
        if (len[i] < minl) minl = len[i];
    }
    for (int l = 1; l <= MAX_CODE_LEN; l++)
        for (int i = 0; i < n; i++)
            if (len[i] == l) t->perm[pp++] = (uint16_t)i;
    int32_t code = 0;
    int pos = 0;
    for (int l = 1; l <= MAX_CODE_LEN; l++) {
        t->base[l] = code - pos;
        code += count[l];
        pos += count[l];
        t->limit[l] = code - 1;
        code <<= 1;
    }
    t->limit[MAX_CODE_LEN + 1] = 0x7fffffff;
    t->min_len = minl;
    return 0;
}

static int decode_sym(Bits *b, const Table *t, int n) {
    int zn = t->min_len;
    int32_t zvec = (int32_t)getbits(b, (unsigned)zn);
    while (zn <= MAX_CODE_LEN && zvec > t->limit[zn]) {
        zn++;
        zvec = zvec << 1 | (int32_t)getbits(b, 1);
    }
    if (b->short_input) return -2;
    if (zn > MAX_CODE_LEN) return -1;
    int idx = zvec - t->base[zn];
    if (idx < 0 || idx >= n) return -1;
    return t->perm[idx];
}

/* ---------------------------------------------------------------- output */

static int flush(BzDecoder *d, BzSink sink, void *ctx) {
    int r = d->outn ? sink(ctx, d->out, d->outn) : 0;
    d->outn = 0;
    return r;
}

static int put_byte(BzDecoder *d, uint8_t c, uint32_t *crc, BzSink sink, void *ctx) {
    *crc = (*crc << 8) ^ d->crc_table[(*crc >> 24) ^ c];
    d->out[d->outn++] = c;
    return d->outn == OUTBUF ? flush(d, sink, ctx) : 0;
}

/* ---------------------------------------------------------------- blocks */

typedef enum { B_DONE, B_SHORT, B_END, B_BAD, B_CRC, B_STOP } BlockResult;

/* Decodes one block (or the end-of-stream record) from the buffer. */
static BlockResult decode_block(BzDecoder *d, Bits *b, BzSink sink, void *ctx) {
    uint32_t m1 = getbits(b, 24), m2 = getbits(b, 24);
    if (b->short_input) return B_SHORT;
    if (m1 == 0x177245 && m2 == 0x385090) {
        uint32_t crc = getbits(b, 16) << 16;
        crc |= getbits(b, 16);
        if (b->short_input) return B_SHORT;
        if (crc != d->combined) return B_CRC;
        b->pos = (b->pos + 7) & ~(uint64_t)7; /* a stream ends on a byte */
        return B_END;
    }
    if (m1 != 0x314159 || m2 != 0x265359) return B_BAD;
    uint32_t want_crc = getbits(b, 16) << 16;
    want_crc |= getbits(b, 16);
    uint32_t randomised = getbits(b, 1), orig = getbits(b, 24);
    /* the symbol map */
    uint32_t used16 = getbits(b, 16);
    uint8_t seq[256];
    int ninuse = 0;
    for (int i = 0; i < 16; i++)
        if (used16 & (0x8000u >> i)) {
            uint32_t bits = getbits(b, 16);
            for (int j = 0; j < 16; j++)
                if (bits & (0x8000u >> j)) seq[ninuse++] = (uint8_t)(i * 16 + j);
        }
    if (b->short_input) return B_SHORT;
    if (randomised || ninuse == 0) return B_BAD; /* randomised blocks are obsolete (bzip2 0.9.0) */
    int alpha = ninuse + 2;
    int ngroups = (int)getbits(b, 3), nsel = (int)getbits(b, 15);
    if (b->short_input) return B_SHORT;
    if (ngroups < 2 || ngroups > MAX_GROUPS || nsel < 1) return B_BAD;
    uint8_t *sel = malloc((size_t)nsel);
    if (!sel) return B_BAD;
    uint8_t mtfg[MAX_GROUPS];
    for (int i = 0; i < ngroups; i++) mtfg[i] = (uint8_t)i;
    BlockResult res = B_BAD;
    for (int i = 0; i < nsel; i++) {
        int j = 0;
        for (;;) {
            uint32_t more = getbits(b, 1);
            if (b->short_input) {
                res = B_SHORT;
                goto out;
            }
            if (!more) break;
            if (++j >= ngroups) goto out;
        }
        uint8_t v = mtfg[j];
        memmove(mtfg + 1, mtfg, (size_t)j);
        mtfg[0] = v;
        sel[i] = v;
    }
    if (nsel > MAX_SELECTORS) nsel = MAX_SELECTORS; /* bzip2 ignores the excess */
    Table tables[MAX_GROUPS];
    for (int t = 0; t < ngroups; t++) {
        uint8_t lens[MAX_ALPHA];
        int cur = (int)getbits(b, 5);
        for (int i = 0; i < alpha; i++) {
            for (;;) {
                if (b->short_input) {
                    res = B_SHORT;
                    goto out;
                }
                if (cur < 1 || cur > MAX_CODE_LEN) goto out;
                if (!getbits(b, 1)) break;
                cur += getbits(b, 1) ? -1 : 1;
            }
            if (b->short_input) {
                res = B_SHORT;
                goto out;
            }
            lens[i] = (uint8_t)cur;
        }
        if (make_table(&tables[t], lens, alpha)) goto out;
    }
    /* the symbols: move-to-front indices with zero runs as RUNA/RUNB */
    uint32_t counts[256] = {0};
    uint8_t mtf[256];
    for (int i = 0; i < 256; i++) mtf[i] = (uint8_t)i;
    uint32_t nblock = 0, maxblock = 100000u * (uint32_t)d->level;
    int eob = ninuse + 1, group = -1, left = 0;
    uint32_t run = 0, runw = 1;
    for (;;) {
        if (!left) {
            if (++group >= nsel) goto out;
            left = GROUP_SIZE;
        }
        left--;
        int sym = decode_sym(b, &tables[sel[group]], alpha);
        if (sym == -2) {
            res = B_SHORT;
            goto out;
        }
        if (sym < 0) goto out;
        if (sym <= 1) { /* RUNA / RUNB: bijective base 2 */
            if (runw > (1u << 21)) goto out;
            run += runw << sym;
            runw <<= 1;
            continue;
        }
        if (run) {
            uint8_t c = seq[mtf[0]];
            if (nblock + run > maxblock) goto out;
            counts[c] += run;
            while (run--) d->tt[nblock++] = c;
            run = 0;
        }
        runw = 1;
        if (sym == eob) break;
        int idx = sym - 1;
        if (idx >= ninuse) goto out;
        uint8_t v = mtf[idx];
        memmove(mtf + 1, mtf, (size_t)idx);
        mtf[0] = v;
        uint8_t c = seq[v];
        if (nblock >= maxblock) goto out;
        counts[c]++;
        d->tt[nblock++] = c;
    }
    if (orig >= nblock) goto out;
    /* inverse BWT: tt[i] low byte = L[i]; links in the high bits */
    uint32_t cf[256], sum = 0;
    for (int i = 0; i < 256; i++) cf[i] = sum, sum += counts[i];
    for (uint32_t i = 0; i < nblock; i++) {
        uint8_t c = (uint8_t)d->tt[i];
        d->tt[cf[c]++] |= i << 8;
    }
    uint32_t pos = d->tt[orig] >> 8, crc = 0xffffffffu;
    int last = -1, same = 0;
    for (uint32_t k = 0; k < nblock; k++) {
        pos = d->tt[pos];
        uint8_t c = (uint8_t)pos;
        pos >>= 8;
        if (same == 4) { /* after four equal bytes, a count of more */
            for (unsigned r = 0; r < c; r++)
                if (put_byte(d, (uint8_t)last, &crc, sink, ctx)) {
                    res = B_STOP;
                    goto out;
                }
            same = 0;
            last = -1;
            continue;
        }
        same = c == last ? same + 1 : 1;
        last = c;
        if (put_byte(d, c, &crc, sink, ctx)) {
            res = B_STOP;
            goto out;
        }
    }
    if (flush(d, sink, ctx)) {
        res = B_STOP;
        goto out;
    }
    crc = ~crc;
    if (crc != want_crc) {
        res = B_CRC;
        goto out;
    }
    d->combined = ((d->combined << 1) | (d->combined >> 31)) ^ crc;
    res = B_DONE;
out:
    free(sel);
    return res;
}

/* ---------------------------------------------------------------- API */

BzDecoder *bz_decoder_new(void) {
    BzDecoder *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i << 24;
        for (int k = 0; k < 8; k++) c = (c & 0x80000000u) ? (c << 1) ^ 0x04c11db7u : c << 1;
        d->crc_table[i] = c;
    }
    bz_decoder_reset(d);
    return d;
}

void bz_decoder_free(BzDecoder *d) {
    if (!d) return;
    free(d->in);
    free(d->tt);
    free(d);
}

void bz_decoder_reset(BzDecoder *d) {
    /* bytes buffered past the last stream stay: they start the next one */
    d->phase = P_HEADER;
    d->combined = 0;
    d->started = d->len > 0;
    d->retry_at = 0;
    d->bit = 0;
}

int bz_decoder_pending(const BzDecoder *d) { return d->started && d->phase != P_DONE; }

static int append(BzDecoder *d, const uint8_t *p, size_t n) {
    if (!n) return 0;
    if (d->len + n > d->cap) {
        size_t cap = d->cap ? d->cap : 65536;
        while (cap < d->len + n) cap *= 2;
        uint8_t *q = realloc(d->in, cap);
        if (!q) return -1;
        d->in = q;
        d->cap = cap;
    }
    memcpy(d->in + d->len, p, n);
    d->len += n;
    return 0;
}

/* Drops the bytes before bit position pos. */
static void consume(BzDecoder *d, uint64_t pos) {
    size_t bytes = (size_t)(pos >> 3);
    memmove(d->in, d->in + bytes, d->len - bytes);
    d->len -= bytes;
    d->bit = (unsigned)(pos & 7);
    d->retry_at = 0;
}

BzStatus bz_decode(BzDecoder *d, const uint8_t *in, size_t n, int at_end, size_t *used, BzSink sink, void *ctx) {
    if (n) d->started = 1;
    if (append(d, in, n)) return BZ_ENOMEM;
    *used = n;
    for (;;) {
        if (d->phase == P_DONE) return BZ_END;
        if (d->phase == P_HEADER) {
            if (d->len < 4) return at_end && d->len ? BZ_EMAGIC : BZ_OK;
            if (memcmp(d->in, "BZh", 3) || d->in[3] < '1' || d->in[3] > '9') return BZ_EMAGIC;
            d->level = d->in[3] - '0';
            uint32_t *tt = realloc(d->tt, 100000u * (size_t)d->level * sizeof *tt);
            if (!tt) return BZ_ENOMEM;
            d->tt = tt;
            consume(d, 32);
            d->phase = P_BLOCKS;
            continue;
        }
        if (!at_end && d->len < d->retry_at) return BZ_OK;
        Bits b = {d->in, d->len, d->bit, 0};
        BlockResult r = decode_block(d, &b, sink, ctx);
        switch (r) {
        case B_DONE: consume(d, b.pos); continue;
        case B_SHORT:
            if (at_end) return BZ_EDATA; /* cut short */
            if (d->len > MAX_BUFFER) return BZ_EDATA;
            d->retry_at = d->len * 2;
            return BZ_OK;
        case B_END: {
            consume(d, b.pos);
            d->phase = P_DONE;
            /* give back what this call brought beyond the stream */
            size_t back = d->len < n ? d->len : n;
            *used = n - back;
            d->len -= back;
            return BZ_END;
        }
        case B_CRC: return BZ_ECRC;
        case B_STOP: return BZ_STOPPED;
        default: return BZ_EDATA;
        }
    }
}
