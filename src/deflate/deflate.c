/* deflate.c - streaming DEFLATE encoder (LZ77 + Huffman), levels 0-9, with the
 * gzip and zlib wrappers.
 *
 * LZ77: a 64 KiB window holds the last 32 KiB already coded plus the input
 * still to code; strings of 3 bytes are hashed into chains (head/prev) that
 * longest_match walks, bounded per level. Levels 1-3 take the first good
 * match (greedy); 4-9 look one byte ahead and keep the better of two matches
 * (lazy). The per-level bounds are the classic ones: good length (shorten
 * the search when the previous match is already this good), lazy length
 * (don't look ahead beyond it), nice length (stop searching) and the chain
 * length.
 *
 * Blocks: symbols are buffered and, when the buffer is full, coded as a
 * stored, fixed or dynamic Huffman block, whichever is smallest. Dynamic
 * codes are optimal Huffman codes, limited to 15 bits (7 for the code length
 * code) by moving leaves between levels until the code is complete again. */
#include "deflate.h"

#include <stdlib.h>
#include <string.h>

enum {
    WSIZE = 32768,
    WMASK = WSIZE - 1,
    MIN_MATCH = 3,
    MAX_MATCH = 258,
    MIN_LOOKAHEAD = MAX_MATCH + MIN_MATCH + 1,
    MAX_DIST = WSIZE - MIN_LOOKAHEAD,
    HASH_BITS = 15,
    HASH_SIZE = 1 << HASH_BITS,
    SYM_BUF = 1 << 15,
    OUTBUF = 1 << 16,
    TOO_FAR = 4096,
    L_CODES = 286,
    D_CODES = 30,
    BL_CODES = 19,
};

typedef struct Level {
    uint16_t good, lazy, nice, chain;
} Level;

static const Level levels[10] = {
    {0, 0, 0, 0},          {4, 4, 8, 4},       {4, 5, 16, 8},       {4, 6, 32, 32},
    {4, 4, 16, 16},        {8, 16, 32, 32},    {8, 16, 128, 128},   {8, 32, 128, 256},
    {32, 128, 258, 1024},  {32, 258, 258, 4096},
};

static const uint8_t len_extra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                      2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const uint16_t len_base[29] = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                      31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
static const uint8_t dist_extra[30] = {0, 0, 0, 0, 1, 1, 2, 2,  3,  3,  4,  4,  5,  5,  6,
                                       6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};
static const uint16_t dist_base[30] = {1,    2,    3,    4,    5,    7,     9,     13,    17,  25,
                                       33,   49,   65,   97,   129,  193,   257,   385,   513, 769,
                                       1025, 1537, 2049, 3073, 4097, 6145,  8193,  12289, 16385, 24577};
static const uint8_t cl_order[BL_CODES] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};

struct DflDeflater {
    int format, level, stopped, header_done, finished;
    Level cfg;
    uint8_t *win;          /* 2 * WSIZE + slack */
    uint16_t *head, *prev;
    size_t strstart, lookahead;
    long block_start;      /* negative once the block's start slid out */
    unsigned match_len, match_start, prev_len, prev_match;
    int match_avail;
    /* buffered symbols: lc = literal or length - 3, dist = 0 for literals */
    uint8_t *sym_lc;
    uint16_t *sym_dist;
    size_t nsym;
    uint32_t freq_l[L_CODES], freq_d[D_CODES];
    uint8_t len_code[256];   /* length - 3 -> code */
    uint8_t dist_code[512];  /* see dcode() */
    /* output */
    uint64_t bitbuf;
    unsigned bitcnt;
    uint8_t *obuf;
    size_t olen;
    uint32_t crc, adler;
    uint64_t total_in, total_out;
    char *gz_name;
    uint32_t gz_mtime;
};

/* ---------------------------------------------------------------- output */

static void out_flush(DflDeflater *d, DflSink sink, void *ctx) {
    if (d->olen && !d->stopped && sink(ctx, d->obuf, d->olen)) d->stopped = 1;
    d->total_out += d->olen;
    d->olen = 0;
}

static void put_byte(DflDeflater *d, uint8_t b, DflSink sink, void *ctx) {
    if (d->olen == OUTBUF) out_flush(d, sink, ctx);
    d->obuf[d->olen++] = b;
}

static void put_bits(DflDeflater *d, uint32_t val, unsigned n, DflSink sink, void *ctx) {
    d->bitbuf |= (uint64_t)val << d->bitcnt;
    d->bitcnt += n;
    while (d->bitcnt >= 8) {
        put_byte(d, (uint8_t)d->bitbuf, sink, ctx);
        d->bitbuf >>= 8;
        d->bitcnt -= 8;
    }
}

static void align_out(DflDeflater *d, DflSink sink, void *ctx) {
    if (d->bitcnt) put_bits(d, 0, 8 - d->bitcnt, sink, ctx);
}

/* ---------------------------------------------------------------- Huffman */

typedef struct Leaf {
    uint32_t freq;
    uint16_t sym;
} Leaf;

static void sort_leaves(Leaf *v, unsigned n) {
    for (unsigned i = 1; i < n; i++) { /* insertion sort: n <= 286, mostly small */
        Leaf x = v[i];
        unsigned j = i;
        while (j > 0 && (v[j - 1].freq > x.freq || (v[j - 1].freq == x.freq && v[j - 1].sym > x.sym))) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
}

/* Optimal code lengths for freq[0..n), at most maxbits long, forming a
 * complete code (at least two symbols get codes). */
static void build_lengths(const uint32_t *freq, unsigned n, unsigned maxbits, uint8_t *lens) {
    Leaf leaf[L_CODES];
    unsigned nl = 0;
    memset(lens, 0, n);
    for (unsigned s = 0; s < n; s++)
        if (freq[s]) leaf[nl++] = (Leaf){freq[s], (uint16_t)s};
    for (unsigned s = 0; nl < 2 && s < n; s++) {
        if (freq[s]) continue;
        if (nl == 1 && leaf[0].sym == s) continue;
        leaf[nl++] = (Leaf){0, (uint16_t)s};
    }
    sort_leaves(leaf, nl);
    /* two-queue Huffman: leaves in order, internal nodes in creation order */
    uint32_t ifreq[L_CODES];
    uint16_t parent[2 * L_CODES]; /* leaves 0..nl-1, internal nodes nl.. */
    unsigned li = 0, ii = 0;
    for (unsigned k = 0; k + 1 < nl; k++) {
        unsigned pick[2];
        for (int j = 0; j < 2; j++) {
            if (li < nl && (ii >= k || leaf[li].freq <= ifreq[ii])) pick[j] = li++;
            else pick[j] = nl + ii++;
        }
        ifreq[k] = (pick[0] < nl ? leaf[pick[0]].freq : ifreq[pick[0] - nl]) +
                   (pick[1] < nl ? leaf[pick[1]].freq : ifreq[pick[1] - nl]);
        parent[pick[0]] = parent[pick[1]] = (uint16_t)(nl + k);
    }
    uint8_t depth[2 * L_CODES];
    unsigned root = nl + nl - 2;
    depth[root] = 0;
    for (unsigned k = root; k-- > 0;) depth[k] = (uint8_t)(depth[parent[k]] + 1 > 40 ? 40 : depth[parent[k]] + 1);
    unsigned count[41] = {0};
    for (unsigned i = 0; i < nl; i++) count[depth[i] > maxbits ? maxbits : depth[i]]++;
    /* Kraft sum in units of 2^-maxbits */
    uint64_t full = 1ull << maxbits, total = 0;
    for (unsigned l = 1; l <= maxbits; l++) total += (uint64_t)count[l] << (maxbits - l);
    while (total > full) { /* lengthen the deepest leaf above maxbits */
        unsigned l = maxbits - 1;
        while (!count[l]) l--;
        count[l]--;
        count[l + 1]++;
        total -= 1ull << (maxbits - l - 1);
    }
    while (total < full) { /* shorten a leaf where that still fits */
        unsigned l = maxbits;
        while (l > 1 && (!count[l] || total + (1ull << (maxbits - l)) > full)) l--;
        if (l <= 1) break;
        count[l]--;
        count[l - 1]++;
        total += 1ull << (maxbits - l);
    }
    /* the least frequent symbols get the longest codes */
    unsigned i = 0;
    for (unsigned l = maxbits; l >= 1; l--)
        for (unsigned k = 0; k < count[l]; k++) lens[leaf[i++].sym] = (uint8_t)l;
}

static uint32_t reverse_bits(uint32_t code, unsigned len) {
    uint32_t r = 0;
    for (unsigned i = 0; i < len; i++, code >>= 1) r = r << 1 | (code & 1);
    return r;
}

/* Canonical codes, bit-reversed for the LSB-first stream. */
static void build_codes(const uint8_t *lens, unsigned n, uint16_t *codes) {
    unsigned count[16] = {0};
    for (unsigned s = 0; s < n; s++) count[lens[s]]++;
    count[0] = 0;
    uint32_t next[16], code = 0;
    for (unsigned l = 1; l <= 15; l++) {
        code = (code + count[l - 1]) << 1;
        next[l] = code;
    }
    for (unsigned s = 0; s < n; s++) codes[s] = lens[s] ? (uint16_t)reverse_bits(next[lens[s]]++, lens[s]) : 0;
}

/* ---------------------------------------------------------------- blocks */

static unsigned dcode(const DflDeflater *d, unsigned dist) {
    return dist <= 256 ? d->dist_code[dist - 1] : d->dist_code[256 + ((dist - 1) >> 7)];
}

static void init_code_maps(DflDeflater *d) {
    for (unsigned c = 0; c < 28; c++)
        for (unsigned k = 0; k < (1u << len_extra[c]); k++) d->len_code[len_base[c] - 3 + k] = (uint8_t)c;
    d->len_code[255] = 28;
    for (unsigned c = 0; c < 16; c++)
        for (unsigned k = 0; k < (1u << dist_extra[c]); k++) d->dist_code[dist_base[c] - 1 + k] = (uint8_t)c;
    for (unsigned c = 16; c < 30; c++)
        for (unsigned k = 0; k < (1u << (dist_extra[c] - 7)); k++)
            d->dist_code[256 + ((dist_base[c] - 1) >> 7) + k] = (uint8_t)c;
}

/* The code length sequence of a dynamic header, run-length coded. */
typedef struct ClSeq {
    uint8_t sym[L_CODES + D_CODES];
    uint8_t extra[L_CODES + D_CODES];
    unsigned n;
    uint32_t freq[BL_CODES];
} ClSeq;

static void cl_encode(const uint8_t *lens, unsigned n, ClSeq *q) {
    memset(q, 0, sizeof *q);
    for (unsigned i = 0; i < n;) {
        uint8_t v = lens[i];
        unsigned run = 1;
        while (i + run < n && lens[i + run] == v) run++;
        i += run;
        if (v == 0) {
            while (run >= 11) {
                unsigned k = run > 138 ? 138 : run;
                q->sym[q->n] = 18, q->extra[q->n++] = (uint8_t)(k - 11), q->freq[18]++;
                run -= k;
            }
            if (run >= 3) {
                q->sym[q->n] = 17, q->extra[q->n++] = (uint8_t)(run - 3), q->freq[17]++;
                run = 0;
            }
        } else {
            q->sym[q->n] = v, q->extra[q->n++] = 0, q->freq[v]++;
            run--;
            while (run >= 3) {
                unsigned k = run > 6 ? 6 : run;
                q->sym[q->n] = 16, q->extra[q->n++] = (uint8_t)(k - 3), q->freq[16]++;
                run -= k;
            }
        }
        while (run--) q->sym[q->n] = v, q->extra[q->n++] = 0, q->freq[v]++;
    }
}

static uint64_t data_bits(const DflDeflater *d, const uint8_t *ll, const uint8_t *dl) {
    uint64_t bits = 0;
    for (unsigned s = 0; s < L_CODES; s++) {
        bits += (uint64_t)d->freq_l[s] * ll[s];
        if (s >= 257) bits += (uint64_t)d->freq_l[s] * len_extra[s - 257];
    }
    for (unsigned s = 0; s < D_CODES; s++) bits += (uint64_t)d->freq_d[s] * (dl[s] + dist_extra[s]);
    return bits;
}

static void write_symbols(DflDeflater *d, const uint8_t *ll, const uint16_t *lc, const uint8_t *dl,
                          const uint16_t *dc, DflSink sink, void *ctx) {
    for (size_t i = 0; i < d->nsym; i++) {
        unsigned v = d->sym_lc[i], dist = d->sym_dist[i];
        if (!dist) {
            put_bits(d, lc[v], ll[v], sink, ctx);
            continue;
        }
        unsigned c = d->len_code[v];
        put_bits(d, lc[257 + c], ll[257 + c], sink, ctx);
        if (len_extra[c]) put_bits(d, v + 3 - len_base[c], len_extra[c], sink, ctx);
        unsigned dcd = dcode(d, dist);
        put_bits(d, dc[dcd], dl[dcd], sink, ctx);
        if (dist_extra[dcd]) put_bits(d, dist - dist_base[dcd], dist_extra[dcd], sink, ctx);
    }
    put_bits(d, lc[256], ll[256], sink, ctx);
}

static void write_stored(DflDeflater *d, int last, DflSink sink, void *ctx) {
    const uint8_t *p = d->win + d->block_start;
    size_t len = d->strstart - (size_t)d->block_start;
    do {
        size_t k = len > 65535 ? 65535 : len;
        put_bits(d, (last && k == len) ? 1 : 0, 3, sink, ctx);
        align_out(d, sink, ctx);
        put_bits(d, (uint32_t)k, 16, sink, ctx);
        put_bits(d, (uint32_t)k ^ 0xffff, 16, sink, ctx);
        for (size_t i = 0; i < k; i++) put_byte(d, p[i], sink, ctx);
        p += k;
        len -= k;
    } while (len);
}

static void fixed_lengths(uint8_t *ll, uint8_t *dl) {
    unsigned s = 0;
    for (; s < 144; s++) ll[s] = 8;
    for (; s < 256; s++) ll[s] = 9;
    for (; s < 280; s++) ll[s] = 7;
    for (; s < 288; s++) ll[s] = 8;
    for (s = 0; s < D_CODES; s++) dl[s] = 5;
}

/* Codes the buffered symbols (input block_start..strstart) as one block. */
static void flush_block(DflDeflater *d, int last, DflSink sink, void *ctx) {
    if (d->level == 0) {
        write_stored(d, last, sink, ctx);
        d->block_start = (long)d->strstart;
        return;
    }
    d->freq_l[256] = 1;
    /* the fixed code is defined over 288 literal/length symbols (286 and 287 unused) */
    uint8_t ll[L_CODES], dl[D_CODES], cll[BL_CODES], fll[288], fdl[D_CODES];
    build_lengths(d->freq_l, L_CODES, 15, ll);
    build_lengths(d->freq_d, D_CODES, 15, dl);
    unsigned hlit = L_CODES, hdist = D_CODES, hclen = BL_CODES;
    while (hlit > 257 && !ll[hlit - 1]) hlit--;
    while (hdist > 1 && !dl[hdist - 1]) hdist--;
    uint8_t seq[L_CODES + D_CODES];
    memcpy(seq, ll, hlit);
    memcpy(seq + hlit, dl, hdist);
    ClSeq q;
    cl_encode(seq, hlit + hdist, &q);
    build_lengths(q.freq, BL_CODES, 7, cll);
    while (hclen > 4 && !cll[cl_order[hclen - 1]]) hclen--;
    uint64_t dyn = 3 + 14 + 3 * hclen + data_bits(d, ll, dl);
    for (unsigned s = 0; s < BL_CODES; s++) dyn += (uint64_t)q.freq[s] * cll[s];
    dyn += 2 * q.freq[16] + 3 * q.freq[17] + 7 * q.freq[18];
    fixed_lengths(fll, fdl);
    uint64_t fixed = 3 + data_bits(d, fll, fdl);
    uint64_t stored = UINT64_MAX;
    if (d->block_start >= 0) {
        uint64_t len = d->strstart - (uint64_t)d->block_start, nblocks = len / 65535 + 1;
        stored = len * 8 + nblocks * 40 + 8;
    }
    if (stored <= fixed && stored <= dyn) {
        write_stored(d, last, sink, ctx);
    } else if (fixed <= dyn) {
        uint16_t lc[288], dc[D_CODES];
        build_codes(fll, 288, lc);
        build_codes(fdl, D_CODES, dc);
        put_bits(d, 2 | (last ? 1 : 0), 3, sink, ctx);
        write_symbols(d, fll, lc, fdl, dc, sink, ctx);
    } else {
        uint16_t lc[L_CODES], dc[D_CODES], clc[BL_CODES];
        build_codes(ll, L_CODES, lc);
        build_codes(dl, D_CODES, dc);
        build_codes(cll, BL_CODES, clc);
        put_bits(d, 4 | (last ? 1 : 0), 3, sink, ctx);
        put_bits(d, hlit - 257, 5, sink, ctx);
        put_bits(d, hdist - 1, 5, sink, ctx);
        put_bits(d, hclen - 4, 4, sink, ctx);
        for (unsigned i = 0; i < hclen; i++) put_bits(d, cll[cl_order[i]], 3, sink, ctx);
        for (unsigned i = 0; i < q.n; i++) {
            unsigned s = q.sym[i];
            put_bits(d, clc[s], cll[s], sink, ctx);
            if (s >= 16) put_bits(d, q.extra[i], s == 16 ? 2 : s == 17 ? 3 : 7, sink, ctx);
        }
        write_symbols(d, ll, lc, dl, dc, sink, ctx);
    }
    d->nsym = 0;
    memset(d->freq_l, 0, sizeof d->freq_l);
    memset(d->freq_d, 0, sizeof d->freq_d);
    d->block_start = (long)d->strstart;
}

static int tally_lit(DflDeflater *d, uint8_t c) {
    d->sym_lc[d->nsym] = c;
    d->sym_dist[d->nsym++] = 0;
    d->freq_l[c]++;
    return d->nsym == SYM_BUF;
}

static int tally_match(DflDeflater *d, unsigned dist, unsigned len) {
    d->sym_lc[d->nsym] = (uint8_t)(len - MIN_MATCH);
    d->sym_dist[d->nsym++] = (uint16_t)dist;
    d->freq_l[257 + d->len_code[len - MIN_MATCH]]++;
    d->freq_d[dcode(d, dist)]++;
    return d->nsym == SYM_BUF;
}

/* ---------------------------------------------------------------- LZ77 */

static unsigned hash3(const uint8_t *p) {
    uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
    return (v * 2654435761u) >> (32 - HASH_BITS);
}

/* Links position pos into its hash chain; returns the previous head. */
static unsigned insert_string(DflDeflater *d, size_t pos) {
    unsigned h = hash3(d->win + pos);
    unsigned old = d->head[h];
    d->prev[pos & WMASK] = (uint16_t)old;
    d->head[h] = (uint16_t)pos;
    return old;
}

static unsigned match_length(const uint8_t *a, const uint8_t *b, unsigned max) {
    unsigned n = 0;
    while (n + 8 <= max) {
        uint64_t x, y;
        memcpy(&x, a + n, 8);
        memcpy(&y, b + n, 8);
        if (x != y) return n + (unsigned)(__builtin_ctzll(x ^ y) >> 3);
        n += 8;
    }
    while (n < max && a[n] == b[n]) n++;
    return n;
}

/* The longest match at strstart along the chain from cur, longer than
 * best_len; sets match_start. */
static unsigned longest_match(DflDeflater *d, unsigned cur, unsigned best_len) {
    unsigned chain = d->cfg.chain, nice = d->cfg.nice;
    const uint8_t *scan = d->win + d->strstart;
    unsigned limit = d->strstart > MAX_DIST ? (unsigned)(d->strstart - MAX_DIST) : 0;
    unsigned max = d->lookahead < MAX_MATCH ? (unsigned)d->lookahead : MAX_MATCH;
    if (best_len >= d->cfg.good) chain >>= 2;
    if (nice > max) nice = max;
    if (best_len >= max) return best_len;
    do {
        const uint8_t *m = d->win + cur;
        if (m[best_len] != scan[best_len] || m[best_len - 1] != scan[best_len - 1] || m[0] != scan[0] ||
            m[1] != scan[1])
            continue;
        unsigned len = match_length(m, scan, max);
        if (len > best_len) {
            d->match_start = cur;
            best_len = len;
            if (len >= nice) break;
        }
    } while ((cur = d->prev[cur & WMASK]) > limit && --chain);
    return best_len;
}

/* Moves the upper half of the window down, with the hash chains. */
static void slide_window(DflDeflater *d) {
    memmove(d->win, d->win + WSIZE, WSIZE);
    d->strstart -= WSIZE;
    d->match_start = d->match_start >= WSIZE ? d->match_start - WSIZE : 0;
    d->prev_match = d->prev_match >= WSIZE ? d->prev_match - WSIZE : 0;
    d->block_start -= WSIZE;
    for (unsigned i = 0; i < HASH_SIZE; i++) d->head[i] = d->head[i] >= WSIZE ? (uint16_t)(d->head[i] - WSIZE) : 0;
    for (unsigned i = 0; i < WSIZE; i++) d->prev[i] = d->prev[i] >= WSIZE ? (uint16_t)(d->prev[i] - WSIZE) : 0;
}

static int can_go(const DflDeflater *d, int flush) {
    return flush ? d->lookahead > 0 : d->lookahead >= MIN_LOOKAHEAD;
}

/* Levels 1-3: take a match as soon as one is found. */
static void compress_greedy(DflDeflater *d, int flush, DflSink sink, void *ctx) {
    while (can_go(d, flush)) {
        unsigned head = 0, len = 0;
        if (d->lookahead >= MIN_MATCH) head = insert_string(d, d->strstart);
        if (head && d->strstart - head <= MAX_DIST) len = longest_match(d, head, MIN_MATCH - 1);
        int full;
        if (len >= MIN_MATCH) {
            full = tally_match(d, (unsigned)(d->strstart - d->match_start), len);
            d->lookahead -= len;
            if (len <= d->cfg.lazy && d->lookahead >= MIN_MATCH) {
                while (--len) insert_string(d, ++d->strstart);
                d->strstart++;
            } else {
                d->strstart += len;
            }
        } else {
            full = tally_lit(d, d->win[d->strstart]);
            d->lookahead--;
            d->strstart++;
        }
        if (full) flush_block(d, 0, sink, ctx);
    }
}

/* Levels 4-9: a match is kept only if the next position has no better one. */
static void compress_lazy(DflDeflater *d, int flush, DflSink sink, void *ctx) {
    while (can_go(d, flush)) {
        unsigned head = 0;
        if (d->lookahead >= MIN_MATCH) head = insert_string(d, d->strstart);
        d->prev_len = d->match_len;
        d->prev_match = d->match_start;
        d->match_len = MIN_MATCH - 1;
        if (head && d->prev_len < d->cfg.lazy && d->strstart - head <= MAX_DIST) {
            d->match_len = longest_match(d, head, d->prev_len > MIN_MATCH - 1 ? d->prev_len : MIN_MATCH - 1);
            if (d->match_len <= d->prev_len) d->match_len = MIN_MATCH - 1;
            else if (d->match_len == MIN_MATCH && d->strstart - d->match_start > TOO_FAR)
                d->match_len = MIN_MATCH - 1;
        }
        if (d->prev_len >= MIN_MATCH && d->match_len <= d->prev_len) {
            size_t max_insert = d->strstart + d->lookahead - MIN_MATCH;
            int full = tally_match(d, (unsigned)(d->strstart - 1 - d->prev_match), d->prev_len);
            d->lookahead -= d->prev_len - 1;
            for (unsigned k = d->prev_len - 2; k; k--)
                if (++d->strstart <= max_insert) insert_string(d, d->strstart);
            d->match_avail = 0;
            d->match_len = MIN_MATCH - 1;
            d->strstart++;
            if (full) flush_block(d, 0, sink, ctx);
        } else if (d->match_avail) {
            if (tally_lit(d, d->win[d->strstart - 1])) flush_block(d, 0, sink, ctx);
            d->strstart++;
            d->lookahead--;
        } else {
            d->match_avail = 1;
            d->strstart++;
            d->lookahead--;
        }
    }
    if (flush && d->match_avail) {
        tally_lit(d, d->win[d->strstart - 1]);
        d->match_avail = 0;
    }
}

static void compress_stored(DflDeflater *d, int flush, DflSink sink, void *ctx) {
    /* level 0: the window itself is the block; code it before it slides */
    d->strstart += d->lookahead;
    d->lookahead = 0;
    (void)flush; /* the last block is written by dfl_deflate_finish */
    if (d->strstart - (size_t)d->block_start >= WSIZE) flush_block(d, 0, sink, ctx);
}

static void compress(DflDeflater *d, int flush, DflSink sink, void *ctx) {
    if (d->level == 0) compress_stored(d, flush, sink, ctx);
    else if (d->level <= 3) compress_greedy(d, flush, sink, ctx);
    else compress_lazy(d, flush, sink, ctx);
}

/* ---------------------------------------------------------------- wrappers */

static void put32le(DflDeflater *d, uint32_t v, DflSink sink, void *ctx) {
    for (int i = 0; i < 4; i++) put_byte(d, (uint8_t)(v >> (8 * i)), sink, ctx);
}

static void write_header(DflDeflater *d, DflSink sink, void *ctx) {
    d->header_done = 1;
    if (d->format == DFL_ZLIB) {
        unsigned lv = d->level <= 1 ? 0 : d->level <= 5 ? 1 : d->level == 6 ? 2 : 3;
        unsigned cmf = 0x78, flg = lv << 6;
        flg += 31 - (cmf * 256 + flg) % 31;
        put_byte(d, (uint8_t)cmf, sink, ctx);
        put_byte(d, (uint8_t)flg, sink, ctx);
    } else if (d->format == DFL_GZIP) {
        put_byte(d, 0x1f, sink, ctx);
        put_byte(d, 0x8b, sink, ctx);
        put_byte(d, 8, sink, ctx);
        put_byte(d, d->gz_name ? 8 : 0, sink, ctx);
        put32le(d, d->gz_mtime, sink, ctx);
        put_byte(d, d->level == 9 ? 2 : d->level == 1 ? 4 : 0, sink, ctx);
        put_byte(d, 3, sink, ctx); /* OS: Unix */
        if (d->gz_name)
            for (const char *s = d->gz_name;; s++) {
                put_byte(d, (uint8_t)*s, sink, ctx);
                if (!*s) break;
            }
    }
}

DflDeflater *dfl_deflate_new(int format, int level, const DflGzipHeader *h) {
    DflDeflater *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    d->format = format;
    d->level = level < 0 ? 6 : level > 9 ? 9 : level;
    d->cfg = levels[d->level];
    d->win = calloc(2 * WSIZE + MAX_MATCH + 16, 1);
    d->head = calloc(HASH_SIZE, sizeof *d->head);
    d->prev = calloc(WSIZE, sizeof *d->prev);
    d->sym_lc = malloc(SYM_BUF);
    d->sym_dist = malloc(SYM_BUF * sizeof *d->sym_dist);
    d->obuf = malloc(OUTBUF);
    if (h && h->name) d->gz_name = strdup(h->name);
    if (!d->win || !d->head || !d->prev || !d->sym_lc || !d->sym_dist || !d->obuf ||
        (h && h->name && !d->gz_name)) {
        dfl_deflate_free(d);
        return NULL;
    }
    d->gz_mtime = h ? h->mtime : 0;
    d->adler = 1;
    d->match_len = d->prev_len = MIN_MATCH - 1;
    init_code_maps(d);
    return d;
}

void dfl_deflate_free(DflDeflater *d) {
    if (!d) return;
    free(d->win);
    free(d->head);
    free(d->prev);
    free(d->sym_lc);
    free(d->sym_dist);
    free(d->obuf);
    free(d->gz_name);
    free(d);
}

DflStatus dfl_deflate(DflDeflater *d, const uint8_t *in, size_t n, DflSink sink, void *ctx) {
    if (!d->header_done) write_header(d, sink, ctx);
    d->crc = dfl_crc32(d->crc, in, n);
    if (d->format == DFL_ZLIB) d->adler = dfl_adler32(d->adler, in, n);
    d->total_in += n;
    while (n && !d->stopped) {
        if (d->strstart >= WSIZE + MAX_DIST) slide_window(d);
        size_t room = 2 * WSIZE - d->strstart - d->lookahead, k = n < room ? n : room;
        memcpy(d->win + d->strstart + d->lookahead, in, k);
        d->lookahead += k;
        in += k;
        n -= k;
        compress(d, 0, sink, ctx);
    }
    if (d->olen >= OUTBUF / 2) out_flush(d, sink, ctx);
    return d->stopped ? DFL_STOPPED : DFL_OK;
}

DflStatus dfl_deflate_finish(DflDeflater *d, DflSink sink, void *ctx) {
    if (!d->header_done) write_header(d, sink, ctx);
    if (!d->finished) {
        d->finished = 1;
        compress(d, 1, sink, ctx);
        flush_block(d, 1, sink, ctx);
        align_out(d, sink, ctx);
        if (d->format == DFL_GZIP) {
            put32le(d, d->crc, sink, ctx);
            put32le(d, (uint32_t)d->total_in, sink, ctx);
        } else if (d->format == DFL_ZLIB) {
            for (int i = 3; i >= 0; i--) put_byte(d, (uint8_t)(d->adler >> (8 * i)), sink, ctx);
        }
    }
    out_flush(d, sink, ctx);
    return d->stopped ? DFL_STOPPED : DFL_OK;
}

uint64_t dfl_deflate_total_in(const DflDeflater *d) { return d->total_in; }
uint64_t dfl_deflate_total_out(const DflDeflater *d) { return d->total_out + d->olen; }
uint32_t dfl_deflate_crc(const DflDeflater *d) { return d->crc; }
