/* hash.h - the whole API of the message digests used by md5sum, sha*sum,
 * b2sum and cksum: MD5 (RFC 1321), SHA-1/224/256/384/512 (FIPS 180-4),
 * BLAKE2b (RFC 7693, any output length 1..64 bytes), SM3, the POSIX cksum CRC and
 * the BSD and System V sums of sum(1). Incremental: init, any number of
 * updates, final. No global state. */
#ifndef WASMSH_HASH_H
#define WASMSH_HASH_H

#include <stddef.h>
#include <stdint.h>

typedef enum HashAlg {
    HASH_MD5,
    HASH_SHA1,
    HASH_SHA224,
    HASH_SHA256,
    HASH_SHA384,
    HASH_SHA512,
    HASH_BLAKE2B,
    HASH_SM3,      /* GB/T 32905-2016 */
    HASH_CRC,      /* POSIX cksum: 4-byte big-endian CRC (length folded in at the end) */
    HASH_BSD,      /* sum -r: 2-byte rotating checksum */
    HASH_SYSV,     /* sum -s: 2-byte folded byte sum */
} HashAlg;

enum { HASH_MAX_SIZE = 64 };

typedef struct HashCtx {
    HashAlg alg;
    unsigned outlen;     /* digest bytes */
    uint64_t total;      /* bytes hashed */
    union {
        uint32_t s32[8];
        uint64_t s64[8];
    } h;
    uint64_t t[2];       /* BLAKE2b counter */
    uint8_t buf[128];
    unsigned buflen;
} HashCtx;

/* outlen is only used by BLAKE2b (bytes, 1..64; 0 means 64). */
void hash_init(HashCtx *h, HashAlg alg, unsigned outlen);
void hash_update(HashCtx *h, const void *data, size_t n);
/* Writes the digest (big-endian for CRC/BSD/SYSV); returns its length. */
unsigned hash_final(HashCtx *h, uint8_t *out);

#endif
