/* fuzz_inflate.c - libFuzzer target for the DEFLATE codec and the archive
 * readers: raw, zlib and gzip inflation of arbitrary bytes fed in arbitrary
 * chunks, bzip2 decoding the same way, compress/decompress round trips (both
 * codecs) that must give the input back, and tar (plain, -z, -j) and unzip
 * reading fuzzed archives through the shell.
 *
 * The first byte of an input picks the mode, the second the chunk size (or
 * the level). Decoded output is discarded; a decompression bomb is cut off
 * at 64 MiB. The shell runs are read-only (listing, testing, extracting to
 * stdout) in a private scratch directory. Build and run with
 * `make fuzz-inflate` (FUZZ_SECONDS=N). */
#include "bzip2.h"
#include "deflate.h"
#include "shell.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct Count {
    uint64_t n;
    uint8_t *copy;      /* round trip: the decoded bytes */
    size_t cap;
} Count;

static int count_sink(void *ctx, const uint8_t *p, size_t n) {
    Count *c = ctx;
    if (c->copy) {
        if (c->n + n > c->cap) return 1;
        memcpy(c->copy + c->n, p, n);
    }
    c->n += n;
    return c->n > (64u << 20);
}

static void inflate_chunks(int format, const uint8_t *p, size_t n, size_t step, Count *out) {
    DflInflater *z = dfl_inflate_new(format);
    if (!z) return;
    size_t off = 0;
    while (off < n) {
        size_t k = step < n - off ? step : n - off, used;
        DflStatus st = dfl_inflate(z, p + off, k, &used, count_sink, out);
        if (used > k) abort(); /* never more than it was given */
        off += used;
        if (st == DFL_END && format == DFL_GZIP && off < n) {
            dfl_inflate_reset(z);
            continue;
        }
        if (st != DFL_OK) break;
    }
    (void)dfl_inflate_pending(z);
    dfl_inflate_free(z);
}

static int buf_sink(void *ctx, const uint8_t *p, size_t n) {
    Count *c = ctx;
    if (c->n + n > c->cap) {
        c->cap = (c->n + n) * 2;
        c->copy = realloc(c->copy, c->cap);
        if (!c->copy) abort();
    }
    memcpy(c->copy + c->n, p, n);
    c->n += n;
    return 0;
}

/* Compressing and decompressing must give the input back. */
static void round_trip(const uint8_t *p, size_t n, unsigned param) {
    int level = (int)(param % 10), format = (int)(param / 10 % 3);
    size_t step = 1 + (param * 37) % 5000;
    DflDeflater *d = dfl_deflate_new(format, level, NULL);
    if (!d) return;
    Count c = {0};
    for (size_t off = 0; off < n; off += step) dfl_deflate(d, p + off, n - off < step ? n - off : step, buf_sink, &c);
    dfl_deflate_finish(d, buf_sink, &c);
    dfl_deflate_free(d);
    Count out = {0, malloc(n + 1), n + 1};
    DflInflater *z = dfl_inflate_new(format);
    size_t used;
    DflStatus st = dfl_inflate(z, c.copy, c.n, &used, count_sink, &out);
    if (st != DFL_END || out.n != n || (n && memcmp(out.copy, p, n)) || used != c.n) abort();
    dfl_inflate_free(z);
    free(out.copy);
    free(c.copy);
}

static void bunzip_chunks(const uint8_t *p, size_t n, size_t step) {
    BzDecoder *d = bz_decoder_new();
    if (!d) return;
    Count out = {0};
    size_t off = 0;
    BzStatus st = BZ_OK;
    while (off < n) {
        size_t k = step < n - off ? step : n - off, used;
        st = bz_decode(d, p + off, k, 0, &used, count_sink, &out);
        if (used > k) abort();
        off += used;
        if (st == BZ_END) {
            bz_decoder_reset(d);
            continue;
        }
        if (st != BZ_OK) break;
    }
    size_t used;
    if (st == BZ_OK) bz_decode(d, NULL, 0, 1, &used, count_sink, &out);
    bz_decoder_free(d);
}

static void bzip2_round_trip(const uint8_t *p, size_t n, unsigned param) {
    BzEncoder *e = bz_encoder_new(1 + (int)(param % 9));
    if (!e) return;
    Count c = {0};
    size_t step = 1 + (param * 53) % 3000;
    for (size_t off = 0; off < n; off += step) bz_encode(e, p + off, n - off < step ? n - off : step, buf_sink, &c);
    bz_encode_finish(e, buf_sink, &c);
    bz_encoder_free(e);
    Count out = {0, malloc(n + 1), n + 1};
    BzDecoder *d = bz_decoder_new();
    size_t used;
    BzStatus st = bz_decode(d, c.copy, c.n, 1, &used, count_sink, &out);
    if (st != BZ_END || out.n != n || (n && memcmp(out.copy, p, n))) abort();
    bz_decoder_free(d);
    free(out.copy);
    free(c.copy);
}

/* ---------------------------------------------------------------- shell */

typedef struct Input {
    const uint8_t *p;
    size_t n, off;
} Input;

static void discard_write(void *ctx, int fd, const char *data, size_t n) {
    (void)ctx, (void)fd, (void)data, (void)n;
}

static ssize_t input_read(void *ctx, char *buf, size_t n) {
    Input *in = ctx;
    size_t k = in->n - in->off < n ? in->n - in->off : n;
    if (k) memcpy(buf, in->p + in->off, k);
    in->off += k;
    return (ssize_t)k;
}

static void run_script(const char *script, const uint8_t *stdin_data, size_t n) {
    Input in = {stdin_data, n, 0};
    ShellHost host;
    memset(&host, 0, sizeof host);
    host.ctx = &in;
    host.write = discard_write;
    host.read = input_read;
    Shell *sh = shell_new(&host, "wasmsh");
    ShellLimits lim;
    memset(&lim, 0, sizeof lim);
    lim.max_steps = 1000;
    lim.timeout_ms = 2000;
    lim.max_output = 1u << 20;
    lim.max_memory = 64u << 20;
    shell_set_limits(sh, &lim);
    shell_run(sh, script, strlen(script), NULL);
    shell_free(sh);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc, (void)argv;
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp) tmp = "/tmp";
    size_t n = strlen(tmp) + sizeof "/wasmsh-fuzz-inflate-XXXXXX";
    char *dir = malloc(n);
    if (!dir) abort();
    snprintf(dir, n, "%s/wasmsh-fuzz-inflate-XXXXXX", tmp);
    if (!mkdtemp(dir) || chdir(dir) != 0) abort();
    free(dir);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 2) return 0;
    unsigned mode = data[0] % 11, param = data[1];
    const uint8_t *p = data + 2;
    size_t n = size - 2, step = param ? param * 7u : n + 1;
    Count out = {0};
    switch (mode) {
    case 0: inflate_chunks(DFL_RAW, p, n, step, &out); break;
    case 1: inflate_chunks(DFL_ZLIB, p, n, step, &out); break;
    case 2: inflate_chunks(DFL_GZIP, p, n, step, &out); break;
    case 3: round_trip(p, n, param); break;
    case 4: run_script("tar tvf -; tar xOf - > /dev/null", p, n); break;
    case 5: run_script("tar tzvf - --numeric-owner > /dev/null", p, n); break;
    case 6: {
        FILE *f = fopen("f.zip", "wb");
        if (!f) abort();
        fwrite(p, 1, n, f);
        fclose(f);
        run_script("unzip -l f.zip; unzip -v f.zip; unzip -t f.zip; unzip -p f.zip > /dev/null", NULL, 0);
        unlink("f.zip");
        break;
    }
    case 7: run_script("gunzip -c | wc -c; zcat -f > /dev/null", p, n); break;
    case 8: bunzip_chunks(p, n, step); break;
    case 9: bzip2_round_trip(p, n, param); break;
    default: run_script("tar tjvf - --numeric-owner > /dev/null; bzcat > /dev/null", p, n); break;
    }
    return 0;
}
