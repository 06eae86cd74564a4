/* deflate.h - the whole API of the DEFLATE codec (RFC 1951), with the zlib
 * (RFC 1950) and gzip (RFC 1952) wrappers, CRC-32 and Adler-32.
 *
 * Written for wasmsh so that every build, including the standalone wasm one
 * without zlib, can read and write .gz, .tgz and .zip files. Both directions
 * stream: input is pushed in chunks of any size, output goes to a sink
 * callback in chunks, and memory stays bounded (the inflater keeps a 32 KiB
 * history plus a fixed output buffer; the deflater a 64 KiB window and its
 * hash chains). No global state: every object is independent.
 *
 * Inflating a gzip stream stops at the end of each member (DFL_END); the
 * caller decides whether what follows is another member (dfl_inflate_reset
 * and go on) or trailing data. *used says how much of the last chunk the
 * stream took, so the rest can be looked at. */
#ifndef WASMSH_DEFLATE_H
#define WASMSH_DEFLATE_H

#include <stddef.h>
#include <stdint.h>

/* Running checksums: start with crc = 0 and adler = 1. */
uint32_t dfl_crc32(uint32_t crc, const void *data, size_t n);
uint32_t dfl_adler32(uint32_t adler, const void *data, size_t n);

enum { DFL_RAW, DFL_ZLIB, DFL_GZIP };

/* Receives output. Returns 0 to go on, non-zero to stop the codec (the
 * current call then returns DFL_STOPPED). */
typedef int (*DflSink)(void *ctx, const uint8_t *data, size_t n);

typedef enum DflStatus {
    DFL_OK = 0,      /* all input taken; feed more or finish */
    DFL_END,         /* end of the stream (gzip: of one member) */
    DFL_STOPPED,     /* the sink asked to stop */
    DFL_EFORMAT,     /* gzip/zlib: not that format (bad magic / header check) */
    DFL_EMETHOD,     /* gzip/zlib: compression method is not deflate */
    DFL_EFLAGS,      /* gzip: reserved flag bits set */
    DFL_EDATA,       /* invalid deflate data */
    DFL_ECRC,        /* gzip/zlib: checksum mismatch */
    DFL_ELENGTH,     /* gzip: length mismatch */
    DFL_ENOMEM,
} DflStatus;

/* A short description of a status, e.g. "invalid compressed data--format violated". */
const char *dfl_strerror(DflStatus st);

/* ---- decompression ---- */
typedef struct DflInflater DflInflater;

/* What a gzip member header said (valid once its deflate data started). */
typedef struct DflGzipInfo {
    uint32_t mtime;
    uint8_t method, flags, xfl, os;
    char name[1024];     /* FNAME, truncated to fit; "" when absent */
    int has_name;
    uint32_t header_len; /* bytes of the header */
} DflGzipInfo;

DflInflater *dfl_inflate_new(int format);
void dfl_inflate_free(DflInflater *z);
/* Ready for the next stream (gzip: member) of the same format. */
void dfl_inflate_reset(DflInflater *z);
/* Decodes in[0..n). *used is set to the bytes taken (all of them unless the
 * result is DFL_END or an error). */
DflStatus dfl_inflate(DflInflater *z, const uint8_t *in, size_t n, size_t *used, DflSink sink,
                      void *ctx);
/* True when a stream was started but not ended (input was truncated). */
int dfl_inflate_pending(const DflInflater *z);
const DflGzipInfo *dfl_inflate_gzip_info(const DflInflater *z);
/* True while the gzip/zlib header is still being read (no output yet). */
int dfl_inflate_in_header(const DflInflater *z);
/* Bytes of output and of input of the current stream so far. */
uint64_t dfl_inflate_total_out(const DflInflater *z);
uint64_t dfl_inflate_total_in(const DflInflater *z);
/* The raw checksum of the output so far (CRC-32 for gzip/raw, Adler-32 for zlib). */
uint32_t dfl_inflate_check(const DflInflater *z);

/* ---- compression ---- */
typedef struct DflDeflater DflDeflater;

/* The gzip header to write (format DFL_GZIP); NULL means no name, mtime 0. */
typedef struct DflGzipHeader {
    const char *name;    /* FNAME or NULL */
    uint32_t mtime;
} DflGzipHeader;

/* level 0 (stored) to 9. */
DflDeflater *dfl_deflate_new(int format, int level, const DflGzipHeader *h);
void dfl_deflate_free(DflDeflater *d);
DflStatus dfl_deflate(DflDeflater *d, const uint8_t *in, size_t n, DflSink sink, void *ctx);
/* Writes the rest of the stream and its trailer. */
DflStatus dfl_deflate_finish(DflDeflater *d, DflSink sink, void *ctx);
uint64_t dfl_deflate_total_in(const DflDeflater *d);
uint64_t dfl_deflate_total_out(const DflDeflater *d);
/* CRC-32 of the input so far (any format). */
uint32_t dfl_deflate_crc(const DflDeflater *d);

#endif
