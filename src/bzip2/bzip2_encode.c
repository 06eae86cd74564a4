/* bzip2_encode.c - bzip2 compression.
 *
 * Input goes through the initial run-length coding (runs of 4 to 255 extra
 * equal bytes become four bytes and a count) into a block of at most level *
 * 100 kB. A full block is sorted by the Burrows-Wheeler transform (all its
 * rotations, by prefix doubling: ranks of 2^k-byte prefixes, radix-sorted, so
 * any input takes O(n log n)), then move-to-front and zero-run (RUNA/RUNB)
 * coded, and written with up to six Huffman tables chosen per 50 symbols by
 * a few rounds of refinement, as bzip2 does. */
#include "bzip2.h"

#include <stdlib.h>
#include <string.h>

enum { GROUP_SIZE = 50, MAX_ALPHA = 258, MAX_LEN = 17, OUTBUF = 1 << 16, ITERS = 4 };

struct BzEncoder {
    int level, header_done, failed;
    uint8_t *block;
    uint32_t n, max;
    int run_char;
    uint32_t run_len;
    uint32_t block_crc, combined;
    uint32_t crc_table[256];
    /* block work arrays */
    uint32_t *sa, *rank, *tmp, *cnt;
    uint16_t *mtfv;
    uint8_t *sel;
    uint32_t arrays_for;   /* the block size the arrays above fit */
    /* output bits, MSB first */
    uint64_t bits;
    unsigned nbits;
    uint8_t out[OUTBUF];
    size_t outn;
};

/* ---------------------------------------------------------------- output */

static void flush_out(BzEncoder *e, BzSink sink, void *ctx) {
    if (e->outn && !e->failed && sink(ctx, e->out, e->outn)) e->failed = 1;
    e->outn = 0;
}

static void put_bits(BzEncoder *e, unsigned n, uint32_t v, BzSink sink, void *ctx) {
    e->bits = e->bits << n | (v & ((1ull << n) - 1));
    e->nbits += n;
    while (e->nbits >= 8) {
        e->nbits -= 8;
        e->out[e->outn++] = (uint8_t)(e->bits >> e->nbits);
        if (e->outn == OUTBUF) flush_out(e, sink, ctx);
    }
}

/* ---------------------------------------------------------------- BWT */

/* Sorts the rotations of block[0..n): sa[j] is the start of the j-th
 * smallest. Prefix doubling over the cyclic string with counting sorts. */
static void sort_rotations(BzEncoder *e, uint32_t n) {
    uint32_t *sa = e->sa, *rank = e->rank, *tmp = e->tmp, *cnt = e->cnt;
    uint32_t classes = 256;
    memset(cnt, 0, 256 * sizeof *cnt);
    for (uint32_t i = 0; i < n; i++) cnt[e->block[i]]++;
    for (uint32_t i = 1; i < 256; i++) cnt[i] += cnt[i - 1];
    for (uint32_t i = n; i-- > 0;) sa[--cnt[e->block[i]]] = i;
    /* ranks = classes of the first byte, numbered in order */
    uint32_t r = 0;
    rank[sa[0]] = 0;
    for (uint32_t j = 1; j < n; j++) {
        if (e->block[sa[j]] != e->block[sa[j - 1]]) r++;
        rank[sa[j]] = r;
    }
    classes = r + 1;
    for (uint32_t k = 1; k < n && classes < n; k <<= 1) {
        /* by the second half: the order of i+k is sa's order, shifted back by k */
        for (uint32_t j = 0; j < n; j++) tmp[j] = sa[j] >= k ? sa[j] - k : sa[j] + n - k;
        /* then stably by the first half */
        memset(cnt, 0, classes * sizeof *cnt);
        for (uint32_t j = 0; j < n; j++) cnt[rank[tmp[j]]]++;
        for (uint32_t c = 1; c < classes; c++) cnt[c] += cnt[c - 1];
        for (uint32_t j = n; j-- > 0;) sa[--cnt[rank[tmp[j]]]] = tmp[j];
        /* new ranks: pairs (rank[i], rank[i+k]) */
        tmp[sa[0]] = 0;
        r = 0;
        for (uint32_t j = 1; j < n; j++) {
            uint32_t a = sa[j], b = sa[j - 1];
            uint32_t a2 = a + k < n ? a + k : a + k - n, b2 = b + k < n ? b + k : b + k - n;
            if (rank[a] != rank[b] || rank[a2] != rank[b2]) r++;
            tmp[a] = r;
        }
        memcpy(rank, tmp, n * sizeof *rank);
        classes = r + 1;
    }
}

/* ---------------------------------------------------------------- Huffman */

/* Code lengths (1..maxlen) for freq[0..n), every symbol gets a code. */
static void make_lengths(const uint32_t *freq, int n, int maxlen, uint8_t *len) {
    /* Huffman by repeated merging of the two lightest (n <= 258: simple arrays) */
    uint32_t w[2 * MAX_ALPHA];
    int parent[2 * MAX_ALPHA], alive[2 * MAX_ALPHA];
    for (int scale = 0;; scale++) {
        int nodes = n;
        for (int i = 0; i < n; i++) {
            uint32_t f = freq[i] ? freq[i] : 1;
            w[i] = scale ? (f >> scale) + 1 : f;
            alive[i] = 1;
            parent[i] = -1;
        }
        for (int left = n; left > 1; left--) {
            int a = -1, b = -1;
            for (int i = 0; i < nodes; i++) {
                if (!alive[i]) continue;
                if (a < 0 || w[i] < w[a]) b = a, a = i;
                else if (b < 0 || w[i] < w[b]) b = i;
            }
            w[nodes] = w[a] + w[b];
            alive[nodes] = 1;
            parent[nodes] = -1;
            alive[a] = alive[b] = 0;
            parent[a] = parent[b] = nodes;
            nodes++;
        }
        int too_long = 0;
        for (int i = 0; i < n; i++) {
            int d = 0;
            for (int p = i; parent[p] >= 0; p = parent[p]) d++;
            if (d == 0) d = 1;
            if (d > maxlen) too_long = 1;
            len[i] = (uint8_t)d;
        }
        if (!too_long) return;
        /* flatten the weights and try again, as bzip2 does */
    }
}

static void assign_codes(const uint8_t *len, int n, uint32_t *code) {
    uint32_t vec = 0;
    for (int l = 1; l <= MAX_LEN; l++) {
        for (int i = 0; i < n; i++)
            if (len[i] == l) code[i] = vec++;
        vec <<= 1;
    }
}

/* ---------------------------------------------------------------- blocks */

/* A run of r zeros (move-to-front index 0) in bijective base 2, least
 * significant digit first: RUNA for a 1, RUNB for a 2. */
static void emit_run(BzEncoder *e, uint32_t r, uint32_t *nm, uint32_t *freq) {
    while (r) {
        uint16_t sym = (r & 1) ? 0 : 1;
        e->mtfv[(*nm)++] = sym;
        freq[sym]++;
        r = (r - 1 - sym) / 2;
    }
}

/* The work arrays, sized to the block (small inputs need little memory). */
static int ensure_arrays(BzEncoder *e, uint32_t n) {
    if (n <= e->arrays_for) return 0;
    size_t m = (size_t)n + 8;
    uint32_t *sa = realloc(e->sa, m * sizeof *sa), *rank = NULL, *tmp = NULL, *cnt = NULL;
    if (sa) e->sa = sa, rank = realloc(e->rank, m * sizeof *rank);
    if (rank) e->rank = rank, tmp = realloc(e->tmp, m * sizeof *tmp);
    if (tmp) e->tmp = tmp, cnt = realloc(e->cnt, (m > 256 ? m : 256) * sizeof *cnt);
    if (!cnt) return -1;
    e->cnt = cnt;
    uint16_t *mtfv = realloc(e->mtfv, (m + 2) * sizeof *mtfv);
    if (!mtfv) return -1;
    e->mtfv = mtfv;
    uint8_t *sel = realloc(e->sel, m / GROUP_SIZE + 2);
    if (!sel) return -1;
    e->sel = sel;
    e->arrays_for = n;
    return 0;
}

static void write_block(BzEncoder *e, BzSink sink, void *ctx) {
    uint32_t n = e->n;
    if (!n) return;
    if (ensure_arrays(e, n)) {
        e->failed = 1;
        return;
    }
    sort_rotations(e, n);
    uint32_t orig = 0;
    /* the BWT output, move-to-front coded with zero runs as RUNA/RUNB */
    int inuse[256] = {0}, nin = 0;
    uint8_t unseq[256];
    for (uint32_t i = 0; i < n; i++) inuse[e->block[i]] = 1;
    for (int i = 0; i < 256; i++)
        if (inuse[i]) unseq[i] = (uint8_t)nin++;
    int alpha = nin + 2, eob = nin + 1;
    uint8_t mtf[256];
    for (int i = 0; i < nin; i++) mtf[i] = (uint8_t)i;
    uint32_t freq[MAX_ALPHA] = {0}, nm = 0, zrun = 0;
    for (uint32_t j = 0; j < n; j++) {
        uint32_t s = e->sa[j];
        if (s == 0) orig = j;
        uint8_t c = unseq[e->block[s ? s - 1 : n - 1]];
        int idx = 0;
        while (mtf[idx] != c) idx++;
        if (idx == 0) {
            zrun++;
            continue;
        }
        memmove(mtf + 1, mtf, (size_t)idx);
        mtf[0] = c;
        emit_run(e, zrun, &nm, freq);
        zrun = 0;
        e->mtfv[nm++] = (uint16_t)(idx + 1);
        freq[idx + 1]++;
    }
    emit_run(e, zrun, &nm, freq);
    e->mtfv[nm++] = (uint16_t)eob;
    freq[eob]++;
    /* tables: start from slices of the frequency range, then refine */
    int ngroups = nm < 200 ? 2 : nm < 600 ? 3 : nm < 1200 ? 4 : nm < 2400 ? 5 : 6;
    uint8_t len[6][MAX_ALPHA];
    {
        uint32_t rem = nm;
        int lo = 0;
        for (int g = ngroups; g > 0; g--) {
            uint32_t target = rem / (uint32_t)g, acc = 0;
            int hi = lo - 1;
            while (acc < target && hi < alpha - 1) acc += freq[++hi];
            if (hi > lo && g != ngroups && g != 1 && ((ngroups - g) & 1)) acc -= freq[hi--];
            for (int i = 0; i < alpha; i++) len[ngroups - g][i] = (i >= lo && i <= hi) ? 0 : 15;
            lo = hi + 1;
            rem -= acc;
        }
    }
    uint32_t nsel = (nm + GROUP_SIZE - 1) / GROUP_SIZE;
    for (int it = 0; it < ITERS; it++) {
        uint32_t tf[6][MAX_ALPHA];
        memset(tf, 0, sizeof tf);
        for (uint32_t gs = 0, s = 0; gs < nm; gs += GROUP_SIZE, s++) {
            uint32_t ge = gs + GROUP_SIZE < nm ? gs + GROUP_SIZE : nm;
            uint32_t best = UINT32_MAX;
            int bt = 0;
            for (int t = 0; t < ngroups; t++) {
                uint32_t cost = 0;
                for (uint32_t i = gs; i < ge; i++) cost += len[t][e->mtfv[i]];
                if (cost < best) best = cost, bt = t;
            }
            e->sel[s] = (uint8_t)bt;
            for (uint32_t i = gs; i < ge; i++) tf[bt][e->mtfv[i]]++;
        }
        for (int t = 0; t < ngroups; t++) make_lengths(tf[t], alpha, MAX_LEN, len[t]);
    }
    /* the block */
    put_bits(e, 24, 0x314159, sink, ctx);
    put_bits(e, 24, 0x265359, sink, ctx);
    put_bits(e, 32, e->block_crc = ~e->block_crc, sink, ctx);
    put_bits(e, 1, 0, sink, ctx);
    put_bits(e, 24, orig, sink, ctx);
    uint32_t used16 = 0;
    for (int i = 0; i < 16; i++)
        for (int j = 0; j < 16; j++)
            if (inuse[i * 16 + j]) used16 |= 0x8000u >> i;
    put_bits(e, 16, used16, sink, ctx);
    for (int i = 0; i < 16; i++) {
        if (!(used16 & (0x8000u >> i))) continue;
        uint32_t bits = 0;
        for (int j = 0; j < 16; j++)
            if (inuse[i * 16 + j]) bits |= 0x8000u >> j;
        put_bits(e, 16, bits, sink, ctx);
    }
    put_bits(e, 3, (uint32_t)ngroups, sink, ctx);
    put_bits(e, 15, nsel, sink, ctx);
    uint8_t mg[6];
    for (int i = 0; i < ngroups; i++) mg[i] = (uint8_t)i;
    for (uint32_t s = 0; s < nsel; s++) {
        int j = 0;
        while (mg[j] != e->sel[s]) j++;
        memmove(mg + 1, mg, (size_t)j);
        mg[0] = e->sel[s];
        for (int k = 0; k < j; k++) put_bits(e, 1, 1, sink, ctx);
        put_bits(e, 1, 0, sink, ctx);
    }
    for (int t = 0; t < ngroups; t++) {
        int cur = len[t][0];
        put_bits(e, 5, (uint32_t)cur, sink, ctx);
        for (int i = 0; i < alpha; i++) {
            while (cur < len[t][i]) put_bits(e, 2, 2, sink, ctx), cur++;  /* 10: +1 */
            while (cur > len[t][i]) put_bits(e, 2, 3, sink, ctx), cur--;  /* 11: -1 */
            put_bits(e, 1, 0, sink, ctx);
        }
    }
    uint32_t codes[6][MAX_ALPHA];
    for (int t = 0; t < ngroups; t++) assign_codes(len[t], alpha, codes[t]);
    for (uint32_t gs = 0, s = 0; gs < nm; gs += GROUP_SIZE, s++) {
        uint32_t ge = gs + GROUP_SIZE < nm ? gs + GROUP_SIZE : nm;
        int t = e->sel[s];
        for (uint32_t i = gs; i < ge; i++) put_bits(e, len[t][e->mtfv[i]], codes[t][e->mtfv[i]], sink, ctx);
    }
    e->combined = ((e->combined << 1) | (e->combined >> 31)) ^ e->block_crc;
    e->n = 0;
    e->block_crc = 0xffffffffu;
}

/* ---------------------------------------------------------------- input */

static void crc_bytes(BzEncoder *e, int c, uint32_t count) {
    for (uint32_t i = 0; i < count; i++) e->block_crc = (e->block_crc << 8) ^ e->crc_table[(e->block_crc >> 24) ^ (uint8_t)c];
}

/* Puts the pending run into the block (4 bytes and a count, at most). */
static void flush_run(BzEncoder *e, BzSink sink, void *ctx) {
    if (!e->run_len) return;
    if (e->n + 5 > e->max) write_block(e, sink, ctx);
    uint32_t k = e->run_len < 4 ? e->run_len : 4;
    for (uint32_t i = 0; i < k; i++) e->block[e->n++] = (uint8_t)e->run_char;
    if (e->run_len >= 4) e->block[e->n++] = (uint8_t)(e->run_len - 4);
    crc_bytes(e, e->run_char, e->run_len);
    e->run_len = 0;
}

static void write_header(BzEncoder *e, BzSink sink, void *ctx) {
    e->header_done = 1;
    put_bits(e, 8, 'B', sink, ctx);
    put_bits(e, 8, 'Z', sink, ctx);
    put_bits(e, 8, 'h', sink, ctx);
    put_bits(e, 8, (uint32_t)('0' + e->level), sink, ctx);
}

BzEncoder *bz_encoder_new(int level) {
    BzEncoder *e = calloc(1, sizeof *e);
    if (!e) return NULL;
    e->level = level < 1 ? 1 : level > 9 ? 9 : level;
    e->max = 100000u * (uint32_t)e->level - 19;
    e->block = malloc(e->max + 8);
    if (!e->block) {
        bz_encoder_free(e);
        return NULL;
    }
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i << 24;
        for (int k = 0; k < 8; k++) c = (c & 0x80000000u) ? (c << 1) ^ 0x04c11db7u : c << 1;
        e->crc_table[i] = c;
    }
    e->run_char = -1;
    e->block_crc = 0xffffffffu;
    return e;
}

void bz_encoder_free(BzEncoder *e) {
    if (!e) return;
    free(e->block);
    free(e->sa);
    free(e->rank);
    free(e->tmp);
    free(e->cnt);
    free(e->mtfv);
    free(e->sel);
    free(e);
}

BzStatus bz_encode(BzEncoder *e, const uint8_t *in, size_t n, BzSink sink, void *ctx) {
    if (!e->header_done) write_header(e, sink, ctx);
    for (size_t i = 0; i < n && !e->failed; i++) {
        if (in[i] == e->run_char && e->run_len < 255 + 4) {
            e->run_len++;
            continue;
        }
        flush_run(e, sink, ctx);
        e->run_char = in[i];
        e->run_len = 1;
    }
    return e->failed ? BZ_STOPPED : BZ_OK;
}

BzStatus bz_encode_finish(BzEncoder *e, BzSink sink, void *ctx) {
    if (!e->header_done) write_header(e, sink, ctx);
    flush_run(e, sink, ctx);
    write_block(e, sink, ctx);
    put_bits(e, 24, 0x177245, sink, ctx);
    put_bits(e, 24, 0x385090, sink, ctx);
    put_bits(e, 32, e->combined, sink, ctx);
    if (e->nbits) put_bits(e, 8 - e->nbits, 0, sink, ctx);
    flush_out(e, sink, ctx);
    return e->failed ? BZ_STOPPED : BZ_OK;
}
