/* test_hash.c - the digests of src/hash against published test vectors:
 * RFC 1321 (MD5 test suite), FIPS 180-4 examples (SHA-1, SHA-2: "abc", the
 * 448- and 896-bit messages, one million 'a'), RFC 7693 Appendix A
 * (BLAKE2b-512 "abc") and its reference outputs for other lengths, the SM3
 * examples of GB/T 32905-2016, and the POSIX cksum of "123456789"
 * (930766865). Every vector is also hashed in uneven pieces, to exercise the
 * block buffering. Also the CRC-32 and Adler-32 check values of the DEFLATE
 * codec ("123456789" -> cbf43926, "Wikipedia" -> 11e60398). */
#include "deflate.h"
#include "hash.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MILLION_A NULL

typedef struct Vector {
    HashAlg alg;
    unsigned outlen;
    const char *msg; /* NULL: one million 'a' */
    const char *hex;
} Vector;

static const Vector vectors[] = {
    {HASH_MD5, 0, "", "d41d8cd98f00b204e9800998ecf8427e"},
    {HASH_MD5, 0, "abc", "900150983cd24fb0d6963f7d28e17f72"},
    {HASH_MD5, 0, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "8215ef0796a20bcaaae116d3876c664a"},
    {HASH_MD5, 0, MILLION_A, "7707d6ae4e027c70eea2a935c2296f21"},
    {HASH_SHA1, 0, "", "da39a3ee5e6b4b0d3255bfef95601890afd80709"},
    {HASH_SHA1, 0, "abc", "a9993e364706816aba3e25717850c26c9cd0d89d"},
    {HASH_SHA1, 0, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "84983e441c3bd26ebaae4aa1f95129e5e54670f1"},
    {HASH_SHA1, 0, "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu", "a49b2446a02c645bf419f995b67091253a04a259"},
    {HASH_SHA1, 0, MILLION_A, "34aa973cd4c4daa4f61eeb2bdbad27316534016f"},
    {HASH_SHA224, 0, "", "d14a028c2a3a2bc9476102bb288234c415a2b01f828ea62ac5b3e42f"},
    {HASH_SHA224, 0, "abc", "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7"},
    {HASH_SHA224, 0, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "75388b16512776cc5dba5da1fd890150b0c6455cb4f58b1952522525"},
    {HASH_SHA224, 0, "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu", "c97ca9a559850ce97a04a96def6d99a9e0e0e2ab14e6b8df265fc0b3"},
    {HASH_SHA224, 0, MILLION_A, "20794655980c91d8bbb4c1ea97618a4bf03f42581948b2ee4ee7ad67"},
    {HASH_SHA256, 0, "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {HASH_SHA256, 0, "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
    {HASH_SHA256, 0, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    {HASH_SHA256, 0, "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu", "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
    {HASH_SHA256, 0, MILLION_A, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
    {HASH_SHA384, 0, "", "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b"},
    {HASH_SHA384, 0, "abc", "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"},
    {HASH_SHA384, 0, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "3391fdddfc8dc7393707a65b1b4709397cf8b1d162af05abfe8f450de5f36bc6b0455a8520bc4e6f5fe95b1fe3c8452b"},
    {HASH_SHA384, 0, "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu", "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712fcc7c71a557e2db966c3e9fa91746039"},
    {HASH_SHA384, 0, MILLION_A, "9d0e1809716474cb086e834e310a4a1ced149e9c00f248527972cec5704c2a5b07b8b3dc38ecc4ebae97ddd87f3d8985"},
    {HASH_SHA512, 0, "", "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"},
    {HASH_SHA512, 0, "abc", "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"},
    {HASH_SHA512, 0, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c33596fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71dd70354ec631238ca3445"},
    {HASH_SHA512, 0, "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu", "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909"},
    {HASH_SHA512, 0, MILLION_A, "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973ebde0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b"},
    {HASH_BLAKE2B, 0, "", "786a02f742015903c6c6fd852552d272912f4740e15847618a86e217f71f5419d25e1031afee585313896444934eb04b903a685b1448b755d56f701afe9be2ce"},
    {HASH_BLAKE2B, 0, "abc", "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923"},
    {HASH_BLAKE2B, 0, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "7285ff3e8bd768d69be62b3bf18765a325917fa9744ac2f582a20850bc2b1141ed1b3e4528595acc90772bdf2d37dc8a47130b44f33a02e8730e5ad8e166e888"},
    {HASH_BLAKE2B, 0, "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu", "ce741ac5930fe346811175c5227bb7bfcd47f42612fae46c0809514f9e0e3a11ee1773287147cdeaeedff50709aa716341fe65240f4ad6777d6bfaf9726e5e52"},
    {HASH_BLAKE2B, 0, MILLION_A, "98fb3efb7206fd19ebf69b6f312cf7b64e3b94dbe1a17107913975a793f177e1d077609d7fba363cbba00d05f7aa4e4fa8715d6428104c0a75643b0ff3fd3eaf"},
    {HASH_BLAKE2B, 32, "abc", "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319"},
    {HASH_BLAKE2B, 1, "abc", "6b"},
    {HASH_MD5, 0, "a", "0cc175b9c0f1b6a831c399e269772661"},
    {HASH_MD5, 0, "message digest", "f96b697d7cb7938d525a2f31aaf161d0"},
    {HASH_MD5, 0, "abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"},
    {HASH_MD5, 0, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"},
    {HASH_MD5, 0, "12345678901234567890123456789012345678901234567890123456789012345678901234567890", "57edf4a22be3c955ac49da2e2107b67a"},
    {HASH_SM3, 0, "abc", "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"},
    {HASH_SM3, 0, "abcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcd", "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"},
    {HASH_CRC, 0, "123456789", "377a6011"},
};

static void to_hex(const uint8_t *d, unsigned n, char *out) {
    for (unsigned i = 0; i < n; i++) sprintf(out + 2 * i, "%02x", d[i]);
}

/* Hashes the message whole (step 0) or in pieces of 1, 7, 63, ... bytes. */
static void digest(const Vector *v, size_t step, char *hex) {
    char *million = NULL;
    const char *m = v->msg;
    size_t len;
    if (!m) {
        million = malloc(1000000);
        memset(million, 'a', 1000000);
        m = million;
        len = 1000000;
    } else {
        len = strlen(m);
    }
    HashCtx h;
    hash_init(&h, v->alg, v->outlen);
    if (!step) {
        hash_update(&h, m, len);
    } else {
        for (size_t i = 0; i < len; i += step) hash_update(&h, m + i, len - i < step ? len - i : step);
    }
    uint8_t out[HASH_MAX_SIZE];
    unsigned n = hash_final(&h, out);
    to_hex(out, n, hex);
    free(million);
}

int main(void) {
    static const size_t steps[] = {0, 1, 7, 63, 64, 65, 127, 129, 1000};
    int pass = 0, fail = 0;
    for (size_t i = 0; i < sizeof vectors / sizeof *vectors; i++) {
        for (size_t s = 0; s < sizeof steps / sizeof *steps; s++) {
            if (!vectors[i].msg && steps[s] && steps[s] < 63) continue; /* slow and redundant */
            char hex[2 * HASH_MAX_SIZE + 1];
            digest(&vectors[i], steps[s], hex);
            if (!strcmp(hex, vectors[i].hex)) {
                pass++;
            } else {
                fail++;
                printf("FAIL: alg %d msg %.20s step %zu: %s, want %s\n", (int)vectors[i].alg,
                       vectors[i].msg ? vectors[i].msg : "(million a)", steps[s], hex, vectors[i].hex);
            }
        }
    }
    uint32_t crc = dfl_crc32(0, "123456789", 9), adler = dfl_adler32(1, "Wikipedia", 9);
    uint32_t crc2 = dfl_crc32(dfl_crc32(0, "1234", 4), "56789", 5);
    if (crc == 0xcbf43926u && crc2 == crc && adler == 0x11e60398u) pass++;
    else fail++, printf("FAIL: crc32 %08x / %08x adler32 %08x\n", crc, crc2, adler);
    printf("hash: %d passed, %d failed\n", pass, fail);
    return fail != 0;
}
