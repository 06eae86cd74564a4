/* bzip2.h - the whole API of the bzip2 codec (the .bz2 format of bzip2
 * 1.0: run-length coding, the Burrows-Wheeler transform, move-to-front and
 * up to six Huffman tables per block), written for wasmsh so bzip2, bunzip2,
 * bzcat and tar -j work in every build.
 *
 * Both directions take input in chunks of any size and hand output to a
 * sink. Memory is bounded by the block size (at most 900 kB of data per
 * block: the decoder buffers one compressed block, the encoder one block of
 * input and its sort arrays). */
#ifndef WASMSH_BZIP2_H
#define WASMSH_BZIP2_H

#include <stddef.h>
#include <stdint.h>

/* Receives output; non-zero stops the codec (BZ_STOPPED). */
typedef int (*BzSink)(void *ctx, const uint8_t *data, size_t n);

typedef enum BzStatus {
    BZ_OK = 0,      /* all input taken; feed more or finish */
    BZ_END,         /* end of a stream ("BZh" ... end marker); *used says where */
    BZ_STOPPED,     /* the sink asked to stop */
    BZ_EMAGIC,      /* not bzip2 data */
    BZ_EDATA,       /* corrupt data */
    BZ_ECRC,        /* a block or stream CRC does not match */
    BZ_ENOMEM,
} BzStatus;

typedef struct BzDecoder BzDecoder;
BzDecoder *bz_decoder_new(void);
void bz_decoder_free(BzDecoder *d);
/* Ready for the next stream (bzip2 files may be concatenations). */
void bz_decoder_reset(BzDecoder *d);
/* Decodes in[0..n); at_end says no more input follows (so a buffered block
 * must be complete now). */
BzStatus bz_decode(BzDecoder *d, const uint8_t *in, size_t n, int at_end, size_t *used, BzSink sink, void *ctx);
/* True when a stream was started and not ended. */
int bz_decoder_pending(const BzDecoder *d);

typedef struct BzEncoder BzEncoder;
/* level 1..9: blocks of level * 100 kB. */
BzEncoder *bz_encoder_new(int level);
void bz_encoder_free(BzEncoder *e);
BzStatus bz_encode(BzEncoder *e, const uint8_t *in, size_t n, BzSink sink, void *ctx);
BzStatus bz_encode_finish(BzEncoder *e, BzSink sink, void *ctx);

#endif
