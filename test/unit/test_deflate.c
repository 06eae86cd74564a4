/* test_deflate.c - the DEFLATE codec of src/deflate: known streams produced by
 * GNU gzip 1.12 and zlib (stored, fixed and dynamic blocks, gzip and zlib
 * wrappers), round trips of many data shapes at every level in every format
 * with the input cut into pieces of many sizes on both sides, and the errors
 * a decoder must report (bad block type, stored length check, distance too
 * far back, over-subscribed codes, checksums, truncation). */
#include "deflate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Tally {
    int pass, fail;
} Tally;

static void check(Tally *t, int ok, const char *what) {
    if (ok) {
        t->pass++;
        return;
    }
    t->fail++;
    printf("FAIL: %s\n", what);
}

typedef struct Buf {
    uint8_t *p;
    size_t n, cap;
    size_t stop_after; /* the sink asks to stop beyond this many bytes (0: never) */
} Buf;

static int buf_sink(void *ctx, const uint8_t *d, size_t n) {
    Buf *b = ctx;
    if (b->n + n > b->cap) {
        b->cap = (b->n + n) * 2 + 1024;
        b->p = realloc(b->p, b->cap);
    }
    memcpy(b->p + b->n, d, n);
    b->n += n;
    return b->stop_after && b->n > b->stop_after;
}

/* Inflates in pieces of `step` bytes (0: all at once); returns the final status. */
static DflStatus inflate_all(int format, const uint8_t *in, size_t n, size_t step, Buf *out) {
    DflInflater *z = dfl_inflate_new(format);
    DflStatus st = DFL_OK;
    size_t off = 0;
    while (off < n) {
        size_t k = step && step < n - off ? step : n - off, used;
        st = dfl_inflate(z, in + off, k, &used, buf_sink, out);
        off += used;
        if (st != DFL_OK) break;
    }
    if (st == DFL_OK && dfl_inflate_pending(z)) st = DFL_EDATA + 100; /* truncated */
    dfl_inflate_free(z);
    return st;
}

static void deflate_all(int format, int level, const uint8_t *in, size_t n, size_t step, Buf *out) {
    DflDeflater *d = dfl_deflate_new(format, level, NULL);
    for (size_t off = 0; off < n;) {
        size_t k = step && step < n - off ? step : n - off;
        dfl_deflate(d, in + off, k, buf_sink, out);
        off += k;
    }
    dfl_deflate_finish(d, buf_sink, out);
    dfl_deflate_free(d);
}

static void known_stream(Tally *t, const char *what, int format, const uint8_t *in, size_t n, const char *want) {
    static const size_t steps[] = {0, 1, 2, 3, 5};
    for (size_t s = 0; s < sizeof steps / sizeof *steps; s++) {
        Buf out = {0};
        DflStatus st = inflate_all(format, in, n, steps[s], &out);
        char msg[128];
        snprintf(msg, sizeof msg, "%s (pieces of %zu)", what, steps[s]);
        check(t, st == DFL_END && out.n == strlen(want) && !memcmp(out.p, want, out.n), msg);
        free(out.p);
    }
}

static void known_streams(Tally *t) {
    /* gzip -n of "hello\n" (GNU gzip 1.12): one fixed block */
    static const uint8_t hello_gz[] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xcb, 0x48, 0xcd, 0xc9, 0xc9, 0xe7,
                                       0x02, 0x00, 0x20, 0x30, 0x3a, 0x36, 0x06, 0, 0, 0};
    known_stream(t, "gzip hello", DFL_GZIP, hello_gz, sizeof hello_gz, "hello\n");
    /* a raw stored block */
    static const uint8_t stored[] = {0x01, 0x05, 0x00, 0xfa, 0xff, 'h', 'e', 'l', 'l', 'o'};
    known_stream(t, "raw stored", DFL_RAW, stored, sizeof stored, "hello");
    /* zlib (compress2 level 6) of "hello" */
    static const uint8_t hello_z[] = {0x78, 0x9c, 0xcb, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00, 0x06, 0x2c, 0x02, 0x15};
    known_stream(t, "zlib hello", DFL_ZLIB, hello_z, sizeof hello_z, "hello");
    /* gzip -n of 1000 'x': fixed block with length-258 distance-1 matches */
    static const uint8_t x_gz[] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xab, 0xa8, 0x18, 0x05, 0xa3, 0x60,
                                   0x14, 0x0c, 0x77, 0x00, 0x00, 0xe6, 0xc9, 0x41, 0x3b, 0xe8, 0x03, 0, 0};
    char xs[1001];
    memset(xs, 'x', 1000);
    xs[1000] = 0;
    known_stream(t, "gzip 1000 x", DFL_GZIP, x_gz, sizeof x_gz, xs);
    /* gzip with FNAME "a" and FEXTRA, FCOMMENT, FHCRC fields */
    static const uint8_t fields[] = {0x1f, 0x8b, 8, 0x1e, 0, 0, 0, 0, 0, 3, 2, 0, 'x', 'y', 'a', 0, 'c', 0,
                                     0x12, 0x34, 0xcb, 0x48, 0xcd, 0xc9, 0xc9, 0xe7, 0x02, 0x00, 0x20, 0x30,
                                     0x3a, 0x36, 0x06, 0, 0, 0};
    known_stream(t, "gzip header fields", DFL_GZIP, fields, sizeof fields, "hello\n");
    /* the compressor's output for short inputs is what gzip -n writes */
    Buf out = {0};
    deflate_all(DFL_GZIP, 6, (const uint8_t *)"hello\n", 6, 0, &out);
    check(t, out.n == sizeof hello_gz && !memcmp(out.p, hello_gz, out.n), "deflate hello = gzip -n");
    free(out.p);
    out = (Buf){0};
    deflate_all(DFL_GZIP, 6, (const uint8_t *)xs, 1000, 0, &out);
    check(t, out.n == sizeof x_gz && !memcmp(out.p, x_gz, out.n), "deflate 1000 x = gzip -n");
    free(out.p);
}

/* ---------------------------------------------------------------- round trips */

static uint32_t next_rand(uint32_t *s) {
    *s = *s * 1103515245u + 12345u;
    return *s >> 8;
}

static uint8_t *make_data(int kind, size_t n) {
    uint8_t *p = malloc(n ? n : 1);
    uint32_t s = 12345u + (uint32_t)kind;
    for (size_t i = 0; i < n; i++) {
        switch (kind) {
        case 0: p[i] = (uint8_t)next_rand(&s); break;                       /* random */
        case 1: p[i] = 'a'; break;                                          /* one byte */
        case 2: p[i] = "the quick brown fox "[i % 20]; break;               /* short period */
        case 3: p[i] = (uint8_t)(next_rand(&s) % 4 + 'a'); break;           /* small alphabet */
        case 4: p[i] = i % 40000 < 20000 ? (uint8_t)next_rand(&s) : p[i - 20000]; break; /* far repeats */
        default: p[i] = (uint8_t)(i * 7 / 300); break;                      /* slow ramp */
        }
    }
    return p;
}

static void round_trips(Tally *t) {
    static const size_t sizes[] = {0, 1, 2, 3, 258, 259, 1000, 32768, 32769, 70000, 300000};
    static const size_t steps[] = {0, 1, 777, 65536};
    int formats[] = {DFL_RAW, DFL_ZLIB, DFL_GZIP};
    for (int kind = 0; kind < 6; kind++)
        for (size_t si = 0; si < sizeof sizes / sizeof *sizes; si++) {
            size_t n = sizes[si];
            uint8_t *data = make_data(kind, n);
            for (int level = 0; level <= 9; level++) {
                int format = formats[(kind + level) % 3];
                size_t dstep = steps[(si + (size_t)level) % 4], istep = steps[(si + (size_t)level + 1) % 4];
                if (n > 70000 && (dstep == 1 || istep == 1)) dstep = istep = 4096; /* keep it quick */
                Buf c = {0}, d = {0};
                deflate_all(format, level, data, n, dstep, &c);
                DflStatus st = inflate_all(format, c.p, c.n, istep, &d);
                char msg[160];
                snprintf(msg, sizeof msg, "round trip kind %d size %zu level %d format %d steps %zu/%zu", kind, n,
                         level, format, dstep, istep);
                int ok = st == DFL_END && d.n == n && (!n || !memcmp(d.p, data, n));
                if (level == 0) ok = ok && c.n <= n + (n / 32768 + 2) * 5 + 18;
                if (kind == 1 && level > 0 && n >= 1000) ok = ok && c.n < n / 20 + 40;
                check(t, ok, msg);
                free(c.p);
                free(d.p);
            }
            free(data);
        }
}

/* ---------------------------------------------------------------- errors */

static void expect_error(Tally *t, const char *what, int format, const uint8_t *in, size_t n, DflStatus want) {
    Buf out = {0};
    DflStatus st = inflate_all(format, in, n, 0, &out);
    char msg[128];
    snprintf(msg, sizeof msg, "%s: status %d, want %d", what, (int)st, (int)want);
    check(t, st == want, msg);
    free(out.p);
}

static void errors(Tally *t) {
    static const uint8_t type3[] = {0x07, 0x00};
    expect_error(t, "block type 3", DFL_RAW, type3, sizeof type3, DFL_EDATA);
    static const uint8_t nlen[] = {0x01, 0x05, 0x00, 0xfa, 0xfe, 'h', 'e', 'l', 'l', 'o'};
    expect_error(t, "stored NLEN", DFL_RAW, nlen, sizeof nlen, DFL_EDATA);
    /* fixed block: literal 'a' then length 3 distance 2 (only 1 byte of history) */
    static const uint8_t far[] = {0x4b, 0x04, 0x42, 0x00};
    expect_error(t, "distance too far", DFL_RAW, far, sizeof far, DFL_EDATA);
    /* dynamic block whose code length code gives 19 lengths of 1: over-subscribed */
    static const uint8_t over[] = {0x05, 0xe0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    expect_error(t, "over-subscribed code", DFL_RAW, over, sizeof over, DFL_EDATA);
    static const uint8_t hello_gz_badcrc[] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xcb, 0x48, 0xcd, 0xc9, 0xc9,
                                              0xe7, 0x02, 0x00, 0x21, 0x30, 0x3a, 0x36, 0x06, 0, 0, 0};
    expect_error(t, "gzip crc", DFL_GZIP, hello_gz_badcrc, sizeof hello_gz_badcrc, DFL_ECRC);
    static const uint8_t hello_gz_badlen[] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xcb, 0x48, 0xcd, 0xc9, 0xc9,
                                              0xe7, 0x02, 0x00, 0x20, 0x30, 0x3a, 0x36, 0x07, 0, 0, 0};
    expect_error(t, "gzip length", DFL_GZIP, hello_gz_badlen, sizeof hello_gz_badlen, DFL_ELENGTH);
    static const uint8_t not_gz[] = {0x1f, 0x8c, 8, 0, 0, 0, 0, 0, 0, 3};
    expect_error(t, "gzip magic", DFL_GZIP, not_gz, sizeof not_gz, DFL_EFORMAT);
    static const uint8_t method[] = {0x1f, 0x8b, 9, 0, 0, 0, 0, 0, 0, 3};
    expect_error(t, "gzip method", DFL_GZIP, method, sizeof method, DFL_EMETHOD);
    static const uint8_t flags[] = {0x1f, 0x8b, 8, 0x40, 0, 0, 0, 0, 0, 3};
    expect_error(t, "gzip flags", DFL_GZIP, flags, sizeof flags, DFL_EFLAGS);
    static const uint8_t hello_z_bad[] = {0x78, 0x9c, 0xcb, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00, 0x06, 0x2c, 0x02, 0x16};
    expect_error(t, "zlib adler", DFL_ZLIB, hello_z_bad, sizeof hello_z_bad, DFL_ECRC);
    static const uint8_t zhead[] = {0x78, 0x9d, 0x03, 0x00};
    expect_error(t, "zlib header check", DFL_ZLIB, zhead, sizeof zhead, DFL_EFORMAT);
    /* truncation: every proper prefix of a valid stream is incomplete, never an end */
    uint8_t *data = make_data(2, 5000);
    Buf c = {0};
    deflate_all(DFL_GZIP, 6, data, 5000, 0, &c);
    int all = 1;
    for (size_t k = 0; k < c.n; k++) {
        Buf out = {0};
        DflStatus st = inflate_all(DFL_GZIP, c.p, k, 0, &out);
        if (st == DFL_END) all = 0;
        free(out.p);
    }
    check(t, all, "truncated streams never end");
    /* a sink that stops ends decoding with DFL_STOPPED */
    Buf big = {0}, out = {.stop_after = 1000};
    uint8_t *zeros = calloc(1, 1 << 20);
    deflate_all(DFL_GZIP, 1, zeros, 1 << 20, 0, &big);
    DflStatus st = inflate_all(DFL_GZIP, big.p, big.n, 0, &out);
    check(t, st == DFL_STOPPED && out.n < (1 << 19), "sink stop");
    free(zeros);
    free(big.p);
    free(out.p);
    free(c.p);
    free(data);
}

/* Multi-member gzip: DFL_END at each member, *used points past it. */
static void members(Tally *t) {
    Buf c = {0};
    deflate_all(DFL_GZIP, 6, (const uint8_t *)"one\n", 4, 0, &c);
    size_t first = c.n;
    deflate_all(DFL_GZIP, 9, (const uint8_t *)"two\n", 4, 0, &c);
    DflInflater *z = dfl_inflate_new(DFL_GZIP);
    Buf out = {0};
    size_t used;
    DflStatus st = dfl_inflate(z, c.p, c.n, &used, buf_sink, &out);
    check(t, st == DFL_END && used == first, "first member ends at its trailer");
    dfl_inflate_reset(z);
    size_t used2;
    st = dfl_inflate(z, c.p + used, c.n - used, &used2, buf_sink, &out);
    check(t, st == DFL_END && used + used2 == c.n && out.n == 8 && !memcmp(out.p, "one\ntwo\n", 8), "second member");
    dfl_inflate_free(z);
    free(c.p);
    free(out.p);
}

int main(void) {
    Tally t = {0, 0};
    known_streams(&t);
    round_trips(&t);
    errors(&t);
    members(&t);
    printf("deflate: %d passed, %d failed\n", t.pass, t.fail);
    return t.fail != 0;
}
