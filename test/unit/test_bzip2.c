/* test_bzip2.c - the bzip2 codec of src/bzip2: streams written by libbzip2
 * 1.0.8 ("hello\n", the empty stream, 1000 'a' through the run-length
 * stage), round trips of many data shapes at levels 1, 5 and 9 with the input
 * cut into pieces of many sizes on both sides, multi-stream input, and the
 * errors a decoder must report (bad magic, a corrupt block, a bad CRC,
 * truncation). */
#include "bzip2.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int pass, fail;

static void check(int ok, const char *what) {
    if (ok) pass++;
    else fail++, printf("FAIL: %s\n", what);
}

typedef struct Buf {
    uint8_t *p;
    size_t n, cap;
} Buf;

static int buf_sink(void *ctx, const uint8_t *d, size_t n) {
    Buf *b = ctx;
    if (b->n + n > b->cap) {
        b->cap = (b->n + n) * 2 + 1024;
        b->p = realloc(b->p, b->cap);
    }
    memcpy(b->p + b->n, d, n);
    b->n += n;
    return 0;
}

/* Decodes all streams of in, fed in pieces of step bytes (0: at once). */
static BzStatus decode_all(const uint8_t *in, size_t n, size_t step, Buf *out) {
    BzDecoder *d = bz_decoder_new();
    BzStatus st = BZ_OK;
    size_t off = 0;
    int streams = 0;
    while (off < n) {
        size_t k = step && step < n - off ? step : n - off, used;
        st = bz_decode(d, in + off, k, 0, &used, buf_sink, out);
        off += used;
        if (st == BZ_END) {
            streams++;
            bz_decoder_reset(d);
            st = BZ_OK;
            continue;
        }
        if (st != BZ_OK) break;
    }
    if (st == BZ_OK) {
        size_t used;
        st = bz_decode(d, NULL, 0, 1, &used, buf_sink, out);
        while (st == BZ_END) {
            streams++;
            bz_decoder_reset(d);
            st = bz_decode(d, NULL, 0, 1, &used, buf_sink, out);
        }
        if (st == BZ_OK && !streams) st = BZ_EMAGIC;
        if (st == BZ_OK && bz_decoder_pending(d)) st = BZ_EDATA;
    }
    bz_decoder_free(d);
    return st;
}

static void encode_all(int level, const uint8_t *in, size_t n, size_t step, Buf *out) {
    BzEncoder *e = bz_encoder_new(level);
    for (size_t off = 0; off < n;) {
        size_t k = step && step < n - off ? step : n - off;
        bz_encode(e, in + off, k, buf_sink, out);
        off += k;
    }
    bz_encode_finish(e, buf_sink, out);
    bz_encoder_free(e);
}

static const uint8_t hello_bz2[] = {
    0x42, 0x5a, 0x68, 0x39, 0x31, 0x41, 0x59, 0x26, 0x53, 0x59, 0xc1, 0xc0, 0x80, 0xe2,
    0x00, 0x00, 0x01, 0x41, 0x00, 0x00, 0x10, 0x02, 0x44, 0xa0, 0x00, 0x30, 0xcd, 0x00,
    0xc3, 0x46, 0x29, 0x97, 0x17, 0x72, 0x45, 0x38, 0x50, 0x90, 0xc1, 0xc0, 0x80, 0xe2};
static const uint8_t empty_bz2[] = {0x42, 0x5a, 0x68, 0x39, 0x17, 0x72, 0x45, 0x38, 0x50, 0x90, 0x00, 0x00, 0x00, 0x00};
static const uint8_t a1000_bz2[] = {
    0x42, 0x5a, 0x68, 0x39, 0x31, 0x41, 0x59, 0x26, 0x53, 0x59, 0x49, 0xdc, 0x4f, 0x63, 0x00,
    0x00, 0x01, 0x81, 0x01, 0xa0, 0x00, 0x00, 0x80, 0x00, 0x08, 0x20, 0x00, 0x20, 0xaa, 0x6d,
    0x41, 0x98, 0xba, 0x83, 0xc5, 0xdc, 0x91, 0x4e, 0x14, 0x24, 0x12, 0x77, 0x13, 0xd8, 0xc0};

static void known_streams(void) {
    static const size_t steps[] = {0, 1, 3, 7};
    char a1000[1000];
    memset(a1000, 'a', sizeof a1000);
    for (size_t s = 0; s < 4; s++) {
        Buf o = {0};
        BzStatus hs = decode_all(hello_bz2, sizeof hello_bz2, steps[s], &o);
        check(hs == BZ_OK && o.n == 6 && !memcmp(o.p, "hello\n", 6), "libbzip2 hello");
        free(o.p);
        o = (Buf){0};
        BzStatus st = decode_all(empty_bz2, sizeof empty_bz2, steps[s], &o);
        check(st == BZ_OK && o.n == 0, "libbzip2 empty stream");
        free(o.p);
        o = (Buf){0};
        st = decode_all(a1000_bz2, sizeof a1000_bz2, steps[s], &o);
        check(st == BZ_OK && o.n == 1000 && !memcmp(o.p, a1000, 1000), "libbzip2 1000 a (run-length stage)");
        free(o.p);
    }
}

static uint8_t *make_data(int kind, size_t n) {
    uint8_t *p = malloc(n ? n : 1);
    uint32_t s = 777u + (uint32_t)kind;
    for (size_t i = 0; i < n; i++) {
        s = s * 1103515245u + 12345u;
        switch (kind) {
        case 0: p[i] = (uint8_t)(s >> 16); break;                        /* random */
        case 1: p[i] = 'z'; break;                                        /* one long run */
        case 2: p[i] = "abab"[i % 2]; break;                             /* period 2: deep sorting */
        case 3: p[i] = (uint8_t)((s >> 16) % 3 + 'a'); break;             /* small alphabet */
        case 4: p[i] = (i / 300) % 2 ? 'x' : (uint8_t)(s >> 20);          /* runs and noise */ break;
        default: p[i] = "the quick brown fox jumps over the lazy dog\n"[i % 44]; break;
        }
    }
    return p;
}

static void round_trips(void) {
    static const size_t sizes[] = {0, 1, 4, 5, 300, 5000, 100000, 250000};
    static const size_t steps[] = {0, 1, 999, 65536};
    static const int levels[] = {1, 5, 9};
    for (int kind = 0; kind < 6; kind++)
        for (size_t si = 0; si < sizeof sizes / sizeof *sizes; si++)
            for (int li = 0; li < 3; li++) {
                size_t n = sizes[si];
                uint8_t *data = make_data(kind, n);
                size_t es = steps[(si + (size_t)li) % 4], ds = steps[(si + (size_t)li + 1) % 4];
                if (n > 5000 && (es == 1 || ds == 1)) es = ds = 4096;
                Buf c = {0}, d = {0};
                encode_all(levels[li], data, n, es, &c);
                BzStatus st = decode_all(c.p, c.n, ds, &d);
                char msg[128];
                snprintf(msg, sizeof msg, "round trip kind %d size %zu level %d", kind, n, levels[li]);
                check(st == BZ_OK && d.n == n && (!n || !memcmp(d.p, data, n)), msg);
                free(c.p);
                free(d.p);
                free(data);
            }
}

static void errors(void) {
    Buf o = {0};
    check(decode_all((const uint8_t *)"BZh0xxxx", 8, 0, &o) == BZ_EMAGIC, "bad level digit");
    check(decode_all((const uint8_t *)"plain text", 10, 0, &o) == BZ_EMAGIC, "not bzip2");
    uint8_t bad[sizeof hello_bz2];
    memcpy(bad, hello_bz2, sizeof bad);
    bad[10] ^= 1; /* the block CRC */
    check(decode_all(bad, sizeof bad, 0, &o) == BZ_ECRC, "block crc");
    memcpy(bad, hello_bz2, sizeof bad);
    bad[sizeof bad - 1] ^= 1; /* the stream CRC */
    check(decode_all(bad, sizeof bad, 0, &o) == BZ_ECRC, "stream crc");
    memcpy(bad, hello_bz2, sizeof bad);
    bad[4] = 0x32; /* block magic */
    check(decode_all(bad, sizeof bad, 0, &o) == BZ_EDATA, "block magic");
    uint8_t *data = make_data(5, 20000);
    Buf c = {0};
    encode_all(9, data, 20000, 0, &c);
    int all = 1;
    for (size_t k = 4; k < c.n; k += 7) {
        Buf t = {0};
        if (decode_all(c.p, k, 0, &t) == BZ_OK) all = 0;
        free(t.p);
    }
    check(all, "truncated streams are errors");
    /* two streams, then garbage after them is a bad magic of a third */
    Buf two = {0};
    encode_all(1, (const uint8_t *)"one\n", 4, 0, &two);
    encode_all(9, (const uint8_t *)"two\n", 4, 0, &two);
    Buf out = {0};
    check(decode_all(two.p, two.n, 3, &out) == BZ_OK && out.n == 8 && !memcmp(out.p, "one\ntwo\n", 8), "two streams");
    free(two.p);
    free(out.p);
    free(c.p);
    free(data);
    free(o.p);
}

int main(void) {
    known_streams();
    round_trips();
    errors();
    printf("bzip2: %d passed, %d failed\n", pass, fail);
    return fail != 0;
}
