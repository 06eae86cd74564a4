/* hash.c - MD5, SHA-1, SHA-2, BLAKE2b, the POSIX cksum CRC and the sum(1)
 * checksums. The constant tables are generated from their definitions (MD5:
 * floor(|sin(i+1)| * 2^32); SHA-2: fractional parts of square and cube roots
 * of the first primes; cksum: the CRC-32 polynomial 0x04C11DB7, MSB first). */
#include "hash.h"

#include <string.h>

static const uint32_t md5_k[64] = {
    0xd76aa478u, 0xe8c7b756u, 0x242070dbu, 0xc1bdceeeu, 0xf57c0fafu, 0x4787c62au,
    0xa8304613u, 0xfd469501u, 0x698098d8u, 0x8b44f7afu, 0xffff5bb1u, 0x895cd7beu,
    0x6b901122u, 0xfd987193u, 0xa679438eu, 0x49b40821u, 0xf61e2562u, 0xc040b340u,
    0x265e5a51u, 0xe9b6c7aau, 0xd62f105du, 0x02441453u, 0xd8a1e681u, 0xe7d3fbc8u,
    0x21e1cde6u, 0xc33707d6u, 0xf4d50d87u, 0x455a14edu, 0xa9e3e905u, 0xfcefa3f8u,
    0x676f02d9u, 0x8d2a4c8au, 0xfffa3942u, 0x8771f681u, 0x6d9d6122u, 0xfde5380cu,
    0xa4beea44u, 0x4bdecfa9u, 0xf6bb4b60u, 0xbebfbc70u, 0x289b7ec6u, 0xeaa127fau,
    0xd4ef3085u, 0x04881d05u, 0xd9d4d039u, 0xe6db99e5u, 0x1fa27cf8u, 0xc4ac5665u,
    0xf4292244u, 0x432aff97u, 0xab9423a7u, 0xfc93a039u, 0x655b59c3u, 0x8f0ccc92u,
    0xffeff47du, 0x85845dd1u, 0x6fa87e4fu, 0xfe2ce6e0u, 0xa3014314u, 0x4e0811a1u,
    0xf7537e82u, 0xbd3af235u, 0x2ad7d2bbu, 0xeb86d391u,
};
static const uint32_t sha256_k[64] = {
    0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu, 0x59f111f1u,
    0x923f82a4u, 0xab1c5ed5u, 0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u,
    0x72be5d74u, 0x80deb1feu, 0x9bdc06a7u, 0xc19bf174u, 0xe49b69c1u, 0xefbe4786u,
    0x0fc19dc6u, 0x240ca1ccu, 0x2de92c6fu, 0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau,
    0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u, 0xc6e00bf3u, 0xd5a79147u,
    0x06ca6351u, 0x14292967u, 0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu, 0x53380d13u,
    0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u, 0xa2bfe8a1u, 0xa81a664bu,
    0xc24b8b70u, 0xc76c51a3u, 0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u,
    0x19a4c116u, 0x1e376c08u, 0x2748774cu, 0x34b0bcb5u, 0x391c0cb3u, 0x4ed8aa4au,
    0x5b9cca4fu, 0x682e6ff3u, 0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u,
    0x90befffau, 0xa4506cebu, 0xbef9a3f7u, 0xc67178f2u,
};
static const uint64_t sha512_k[80] = {
    0x428a2f98d728ae22ull, 0x7137449123ef65cdull, 0xb5c0fbcfec4d3b2full,
    0xe9b5dba58189dbbcull, 0x3956c25bf348b538ull, 0x59f111f1b605d019ull,
    0x923f82a4af194f9bull, 0xab1c5ed5da6d8118ull, 0xd807aa98a3030242ull,
    0x12835b0145706fbeull, 0x243185be4ee4b28cull, 0x550c7dc3d5ffb4e2ull,
    0x72be5d74f27b896full, 0x80deb1fe3b1696b1ull, 0x9bdc06a725c71235ull,
    0xc19bf174cf692694ull, 0xe49b69c19ef14ad2ull, 0xefbe4786384f25e3ull,
    0x0fc19dc68b8cd5b5ull, 0x240ca1cc77ac9c65ull, 0x2de92c6f592b0275ull,
    0x4a7484aa6ea6e483ull, 0x5cb0a9dcbd41fbd4ull, 0x76f988da831153b5ull,
    0x983e5152ee66dfabull, 0xa831c66d2db43210ull, 0xb00327c898fb213full,
    0xbf597fc7beef0ee4ull, 0xc6e00bf33da88fc2ull, 0xd5a79147930aa725ull,
    0x06ca6351e003826full, 0x142929670a0e6e70ull, 0x27b70a8546d22ffcull,
    0x2e1b21385c26c926ull, 0x4d2c6dfc5ac42aedull, 0x53380d139d95b3dfull,
    0x650a73548baf63deull, 0x766a0abb3c77b2a8ull, 0x81c2c92e47edaee6ull,
    0x92722c851482353bull, 0xa2bfe8a14cf10364ull, 0xa81a664bbc423001ull,
    0xc24b8b70d0f89791ull, 0xc76c51a30654be30ull, 0xd192e819d6ef5218ull,
    0xd69906245565a910ull, 0xf40e35855771202aull, 0x106aa07032bbd1b8ull,
    0x19a4c116b8d2d0c8ull, 0x1e376c085141ab53ull, 0x2748774cdf8eeb99ull,
    0x34b0bcb5e19b48a8ull, 0x391c0cb3c5c95a63ull, 0x4ed8aa4ae3418acbull,
    0x5b9cca4f7763e373ull, 0x682e6ff3d6b2b8a3ull, 0x748f82ee5defb2fcull,
    0x78a5636f43172f60ull, 0x84c87814a1f0ab72ull, 0x8cc702081a6439ecull,
    0x90befffa23631e28ull, 0xa4506cebde82bde9ull, 0xbef9a3f7b2c67915ull,
    0xc67178f2e372532bull, 0xca273eceea26619cull, 0xd186b8c721c0c207ull,
    0xeada7dd6cde0eb1eull, 0xf57d4f7fee6ed178ull, 0x06f067aa72176fbaull,
    0x0a637dc5a2c898a6ull, 0x113f9804bef90daeull, 0x1b710b35131c471bull,
    0x28db77f523047d84ull, 0x32caab7b40c72493ull, 0x3c9ebe0a15c9bebcull,
    0x431d67c49c100d4cull, 0x4cc5d4becb3e42b6ull, 0x597f299cfc657e2aull,
    0x5fcb6fab3ad6faecull, 0x6c44198c4a475817ull,
};
static const uint32_t sha256_iv[8] = {
    0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au,
    0x510e527fu, 0x9b05688cu, 0x1f83d9abu, 0x5be0cd19u,
};
static const uint32_t sha224_iv[8] = {
    0xc1059ed8u, 0x367cd507u, 0x3070dd17u, 0xf70e5939u,
    0xffc00b31u, 0x68581511u, 0x64f98fa7u, 0xbefa4fa4u,
};
static const uint64_t sha512_iv[8] = {
    0x6a09e667f3bcc908ull, 0xbb67ae8584caa73bull,
    0x3c6ef372fe94f82bull, 0xa54ff53a5f1d36f1ull,
    0x510e527fade682d1ull, 0x9b05688c2b3e6c1full,
    0x1f83d9abfb41bd6bull, 0x5be0cd19137e2179ull,
};
static const uint64_t sha384_iv[8] = {
    0xcbbb9d5dc1059ed8ull, 0x629a292a367cd507ull,
    0x9159015a3070dd17ull, 0x152fecd8f70e5939ull,
    0x67332667ffc00b31ull, 0x8eb44a8768581511ull,
    0xdb0c2e0d64f98fa7ull, 0x47b5481dbefa4fa4ull,
};
static const uint32_t crc_posix[256] = {
    0x00000000u, 0x04c11db7u, 0x09823b6eu, 0x0d4326d9u, 0x130476dcu, 0x17c56b6bu,
    0x1a864db2u, 0x1e475005u, 0x2608edb8u, 0x22c9f00fu, 0x2f8ad6d6u, 0x2b4bcb61u,
    0x350c9b64u, 0x31cd86d3u, 0x3c8ea00au, 0x384fbdbdu, 0x4c11db70u, 0x48d0c6c7u,
    0x4593e01eu, 0x4152fda9u, 0x5f15adacu, 0x5bd4b01bu, 0x569796c2u, 0x52568b75u,
    0x6a1936c8u, 0x6ed82b7fu, 0x639b0da6u, 0x675a1011u, 0x791d4014u, 0x7ddc5da3u,
    0x709f7b7au, 0x745e66cdu, 0x9823b6e0u, 0x9ce2ab57u, 0x91a18d8eu, 0x95609039u,
    0x8b27c03cu, 0x8fe6dd8bu, 0x82a5fb52u, 0x8664e6e5u, 0xbe2b5b58u, 0xbaea46efu,
    0xb7a96036u, 0xb3687d81u, 0xad2f2d84u, 0xa9ee3033u, 0xa4ad16eau, 0xa06c0b5du,
    0xd4326d90u, 0xd0f37027u, 0xddb056feu, 0xd9714b49u, 0xc7361b4cu, 0xc3f706fbu,
    0xceb42022u, 0xca753d95u, 0xf23a8028u, 0xf6fb9d9fu, 0xfbb8bb46u, 0xff79a6f1u,
    0xe13ef6f4u, 0xe5ffeb43u, 0xe8bccd9au, 0xec7dd02du, 0x34867077u, 0x30476dc0u,
    0x3d044b19u, 0x39c556aeu, 0x278206abu, 0x23431b1cu, 0x2e003dc5u, 0x2ac12072u,
    0x128e9dcfu, 0x164f8078u, 0x1b0ca6a1u, 0x1fcdbb16u, 0x018aeb13u, 0x054bf6a4u,
    0x0808d07du, 0x0cc9cdcau, 0x7897ab07u, 0x7c56b6b0u, 0x71159069u, 0x75d48ddeu,
    0x6b93dddbu, 0x6f52c06cu, 0x6211e6b5u, 0x66d0fb02u, 0x5e9f46bfu, 0x5a5e5b08u,
    0x571d7dd1u, 0x53dc6066u, 0x4d9b3063u, 0x495a2dd4u, 0x44190b0du, 0x40d816bau,
    0xaca5c697u, 0xa864db20u, 0xa527fdf9u, 0xa1e6e04eu, 0xbfa1b04bu, 0xbb60adfcu,
    0xb6238b25u, 0xb2e29692u, 0x8aad2b2fu, 0x8e6c3698u, 0x832f1041u, 0x87ee0df6u,
    0x99a95df3u, 0x9d684044u, 0x902b669du, 0x94ea7b2au, 0xe0b41de7u, 0xe4750050u,
    0xe9362689u, 0xedf73b3eu, 0xf3b06b3bu, 0xf771768cu, 0xfa325055u, 0xfef34de2u,
    0xc6bcf05fu, 0xc27dede8u, 0xcf3ecb31u, 0xcbffd686u, 0xd5b88683u, 0xd1799b34u,
    0xdc3abdedu, 0xd8fba05au, 0x690ce0eeu, 0x6dcdfd59u, 0x608edb80u, 0x644fc637u,
    0x7a089632u, 0x7ec98b85u, 0x738aad5cu, 0x774bb0ebu, 0x4f040d56u, 0x4bc510e1u,
    0x46863638u, 0x42472b8fu, 0x5c007b8au, 0x58c1663du, 0x558240e4u, 0x51435d53u,
    0x251d3b9eu, 0x21dc2629u, 0x2c9f00f0u, 0x285e1d47u, 0x36194d42u, 0x32d850f5u,
    0x3f9b762cu, 0x3b5a6b9bu, 0x0315d626u, 0x07d4cb91u, 0x0a97ed48u, 0x0e56f0ffu,
    0x1011a0fau, 0x14d0bd4du, 0x19939b94u, 0x1d528623u, 0xf12f560eu, 0xf5ee4bb9u,
    0xf8ad6d60u, 0xfc6c70d7u, 0xe22b20d2u, 0xe6ea3d65u, 0xeba91bbcu, 0xef68060bu,
    0xd727bbb6u, 0xd3e6a601u, 0xdea580d8u, 0xda649d6fu, 0xc423cd6au, 0xc0e2d0ddu,
    0xcda1f604u, 0xc960ebb3u, 0xbd3e8d7eu, 0xb9ff90c9u, 0xb4bcb610u, 0xb07daba7u,
    0xae3afba2u, 0xaafbe615u, 0xa7b8c0ccu, 0xa379dd7bu, 0x9b3660c6u, 0x9ff77d71u,
    0x92b45ba8u, 0x9675461fu, 0x8832161au, 0x8cf30badu, 0x81b02d74u, 0x857130c3u,
    0x5d8a9099u, 0x594b8d2eu, 0x5408abf7u, 0x50c9b640u, 0x4e8ee645u, 0x4a4ffbf2u,
    0x470cdd2bu, 0x43cdc09cu, 0x7b827d21u, 0x7f436096u, 0x7200464fu, 0x76c15bf8u,
    0x68860bfdu, 0x6c47164au, 0x61043093u, 0x65c52d24u, 0x119b4be9u, 0x155a565eu,
    0x18197087u, 0x1cd86d30u, 0x029f3d35u, 0x065e2082u, 0x0b1d065bu, 0x0fdc1becu,
    0x3793a651u, 0x3352bbe6u, 0x3e119d3fu, 0x3ad08088u, 0x2497d08du, 0x2056cd3au,
    0x2d15ebe3u, 0x29d4f654u, 0xc5a92679u, 0xc1683bceu, 0xcc2b1d17u, 0xc8ea00a0u,
    0xd6ad50a5u, 0xd26c4d12u, 0xdf2f6bcbu, 0xdbee767cu, 0xe3a1cbc1u, 0xe760d676u,
    0xea23f0afu, 0xeee2ed18u, 0xf0a5bd1du, 0xf464a0aau, 0xf9278673u, 0xfde69bc4u,
    0x89b8fd09u, 0x8d79e0beu, 0x803ac667u, 0x84fbdbd0u, 0x9abc8bd5u, 0x9e7d9662u,
    0x933eb0bbu, 0x97ffad0cu, 0xafb010b1u, 0xab710d06u, 0xa6322bdfu, 0xa2f33668u,
    0xbcb4666du, 0xb8757bdau, 0xb5365d03u, 0xb1f740b4u,
};

static const uint8_t blake2b_sigma[10][16] = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
    {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
    {11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4},
    {7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
    {9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13},
    {2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
    {12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11},
    {13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
    {6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5},
    {10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0},
};

static const uint8_t md5_shift[4][4] = {{7, 12, 17, 22}, {5, 9, 14, 20}, {4, 11, 16, 23}, {6, 10, 15, 21}};

static uint32_t rol32(uint32_t x, unsigned n) { return x << (n & 31) | x >> ((32 - n) & 31); }
static uint32_t ror32(uint32_t x, unsigned n) { return x >> n | x << (32 - n); }
static uint64_t ror64(uint64_t x, unsigned n) { return x >> n | x << (64 - n); }

static uint32_t be32(const uint8_t *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static uint32_t le32(const uint8_t *p) {
    return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}
static uint64_t be64(const uint8_t *p) { return (uint64_t)be32(p) << 32 | be32(p + 4); }
static uint64_t le64(const uint8_t *p) { return (uint64_t)le32(p + 4) << 32 | le32(p); }

/* ---------------------------------------------------------------- blocks */

static void md5_block(uint32_t *s, const uint8_t *p) {
    uint32_t m[16], a = s[0], b = s[1], c = s[2], d = s[3];
    for (int i = 0; i < 16; i++) m[i] = le32(p + 4 * i);
    for (int i = 0; i < 64; i++) {
        uint32_t f;
        int g, r = i / 16;
        switch (r) {
        case 0: f = (b & c) | (~b & d); g = i; break;
        case 1: f = (d & b) | (~d & c); g = (5 * i + 1) % 16; break;
        case 2: f = b ^ c ^ d; g = (3 * i + 5) % 16; break;
        default: f = c ^ (b | ~d); g = (7 * i) % 16; break;
        }
        uint32_t t = d;
        d = c;
        c = b;
        b = b + rol32(a + f + md5_k[i] + m[g], md5_shift[r][i % 4]);
        a = t;
    }
    s[0] += a, s[1] += b, s[2] += c, s[3] += d;
}

/* Five rounds with the roles of a..e rotated, so nothing moves between rounds. */
#define SHA1_ROUND(a, b, c, d, e, f, k, i)                   \
    do {                                                     \
        e += rol32(a, 5) + (f) + (k) + w[i];                 \
        b = rol32(b, 30);                                    \
    } while (0)
#define SHA1_FIVE(F, k, i)                                   \
    do {                                                     \
        SHA1_ROUND(a, b, c, d, e, F(b, c, d), k, i);         \
        SHA1_ROUND(e, a, b, c, d, F(a, b, c), k, i + 1);     \
        SHA1_ROUND(d, e, a, b, c, F(e, a, b), k, i + 2);     \
        SHA1_ROUND(c, d, e, a, b, F(d, e, a), k, i + 3);     \
        SHA1_ROUND(b, c, d, e, a, F(c, d, e), k, i + 4);     \
    } while (0)
#define SHA1_CH(x, y, z) (((x) & (y)) | (~(x) & (z)))
#define SHA1_PAR(x, y, z) ((x) ^ (y) ^ (z))
#define SHA1_MAJ(x, y, z) (((x) & (y)) | ((x) & (z)) | ((y) & (z)))

static void sha1_block(uint32_t *s, const uint8_t *p) {
    uint32_t w[80], a = s[0], b = s[1], c = s[2], d = s[3], e = s[4];
    for (int i = 0; i < 16; i++) w[i] = be32(p + 4 * i);
    for (int i = 16; i < 80; i++) w[i] = rol32(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    for (int i = 0; i < 20; i += 5) SHA1_FIVE(SHA1_CH, 0x5a827999u, i);
    for (int i = 20; i < 40; i += 5) SHA1_FIVE(SHA1_PAR, 0x6ed9eba1u, i);
    for (int i = 40; i < 60; i += 5) SHA1_FIVE(SHA1_MAJ, 0x8f1bbcdcu, i);
    for (int i = 60; i < 80; i += 5) SHA1_FIVE(SHA1_PAR, 0xca62c1d6u, i);
    s[0] += a, s[1] += b, s[2] += c, s[3] += d, s[4] += e;
}

/* One SHA-2 round on named variables; eight calls with the roles rotated
 * make a full turn, so nothing is shuffled between rounds. */
#define SHA256_ROUND(a, b, c, d, e, f, g, h, i)                                                   \
    do {                                                                                          \
        uint32_t t1 = h + (ror32(e, 6) ^ ror32(e, 11) ^ ror32(e, 25)) + ((e & f) ^ (~e & g)) +    \
                      sha256_k[i] + w[(i) & 15];                                                  \
        uint32_t t2 = (ror32(a, 2) ^ ror32(a, 13) ^ ror32(a, 22)) + ((a & b) ^ (a & c) ^ (b & c)); \
        d += t1;                                                                                  \
        h = t1 + t2;                                                                              \
    } while (0)

#define SHA512_ROUND(a, b, c, d, e, f, g, h, i)                                                   \
    do {                                                                                          \
        uint64_t t1 = h + (ror64(e, 14) ^ ror64(e, 18) ^ ror64(e, 41)) + ((e & f) ^ (~e & g)) +   \
                      sha512_k[i] + w[(i) & 15];                                                  \
        uint64_t t2 = (ror64(a, 28) ^ ror64(a, 34) ^ ror64(a, 39)) + ((a & b) ^ (a & c) ^ (b & c)); \
        d += t1;                                                                                  \
        h = t1 + t2;                                                                              \
    } while (0)

static void sha256_block(uint32_t *s, const uint8_t *p) {
    uint32_t w[16];
    uint32_t a = s[0], b = s[1], c = s[2], d = s[3], e = s[4], f = s[5], g = s[6], h = s[7];
    for (int i = 0; i < 16; i++) w[i] = be32(p + 4 * i);
    for (int i = 0; i < 64; i += 8) {
        if (i >= 16)
            for (int j = i; j < i + 8; j++) {
                uint32_t x = w[(j - 15) & 15], y = w[(j - 2) & 15];
                w[j & 15] += (ror32(x, 7) ^ ror32(x, 18) ^ (x >> 3)) + w[(j - 7) & 15] +
                             (ror32(y, 17) ^ ror32(y, 19) ^ (y >> 10));
            }
        SHA256_ROUND(a, b, c, d, e, f, g, h, i);
        SHA256_ROUND(h, a, b, c, d, e, f, g, i + 1);
        SHA256_ROUND(g, h, a, b, c, d, e, f, i + 2);
        SHA256_ROUND(f, g, h, a, b, c, d, e, i + 3);
        SHA256_ROUND(e, f, g, h, a, b, c, d, i + 4);
        SHA256_ROUND(d, e, f, g, h, a, b, c, i + 5);
        SHA256_ROUND(c, d, e, f, g, h, a, b, i + 6);
        SHA256_ROUND(b, c, d, e, f, g, h, a, i + 7);
    }
    s[0] += a, s[1] += b, s[2] += c, s[3] += d, s[4] += e, s[5] += f, s[6] += g, s[7] += h;
}

static void sha512_block(uint64_t *s, const uint8_t *p) {
    uint64_t w[16];
    uint64_t a = s[0], b = s[1], c = s[2], d = s[3], e = s[4], f = s[5], g = s[6], h = s[7];
    for (int i = 0; i < 16; i++) w[i] = be64(p + 8 * i);
    for (int i = 0; i < 80; i += 8) {
        if (i >= 16)
            for (int j = i; j < i + 8; j++) {
                uint64_t x = w[(j - 15) & 15], y = w[(j - 2) & 15];
                w[j & 15] += (ror64(x, 1) ^ ror64(x, 8) ^ (x >> 7)) + w[(j - 7) & 15] +
                             (ror64(y, 19) ^ ror64(y, 61) ^ (y >> 6));
            }
        SHA512_ROUND(a, b, c, d, e, f, g, h, i);
        SHA512_ROUND(h, a, b, c, d, e, f, g, i + 1);
        SHA512_ROUND(g, h, a, b, c, d, e, f, i + 2);
        SHA512_ROUND(f, g, h, a, b, c, d, e, i + 3);
        SHA512_ROUND(e, f, g, h, a, b, c, d, i + 4);
        SHA512_ROUND(d, e, f, g, h, a, b, c, i + 5);
        SHA512_ROUND(c, d, e, f, g, h, a, b, i + 6);
        SHA512_ROUND(b, c, d, e, f, g, h, a, i + 7);
    }
    s[0] += a, s[1] += b, s[2] += c, s[3] += d, s[4] += e, s[5] += f, s[6] += g, s[7] += h;
}

/* SM3: like SHA-256 in shape, with its own message expansion and rounds. */
static uint32_t sm3_p0(uint32_t x) { return x ^ rol32(x, 9) ^ rol32(x, 17); }
static uint32_t sm3_p1(uint32_t x) { return x ^ rol32(x, 15) ^ rol32(x, 23); }

static void sm3_block(uint32_t *s, const uint8_t *p) {
    uint32_t w[68], v[8];
    for (int i = 0; i < 16; i++) w[i] = be32(p + 4 * i);
    for (int i = 16; i < 68; i++)
        w[i] = sm3_p1(w[i - 16] ^ w[i - 9] ^ rol32(w[i - 3], 15)) ^ rol32(w[i - 13], 7) ^ w[i - 6];
    memcpy(v, s, sizeof v);
    for (int j = 0; j < 64; j++) {
        uint32_t t = j < 16 ? 0x79cc4519u : 0x7a879d8au;
        uint32_t a12 = rol32(v[0], 12);
        uint32_t ss1 = rol32(a12 + v[4] + rol32(t, (unsigned)j % 32), 7), ss2 = ss1 ^ a12;
        uint32_t ff = j < 16 ? v[0] ^ v[1] ^ v[2] : (v[0] & v[1]) | (v[0] & v[2]) | (v[1] & v[2]);
        uint32_t gg = j < 16 ? v[4] ^ v[5] ^ v[6] : (v[4] & v[5]) | (~v[4] & v[6]);
        uint32_t tt1 = ff + v[3] + ss2 + (w[j] ^ w[j + 4]), tt2 = gg + v[7] + ss1 + w[j];
        v[3] = v[2], v[2] = rol32(v[1], 9), v[1] = v[0], v[0] = tt1;
        v[7] = v[6], v[6] = rol32(v[5], 19), v[5] = v[4], v[4] = sm3_p0(tt2);
    }
    for (int i = 0; i < 8; i++) s[i] ^= v[i];
}

#define B2G(a, b, c, d, x, y)             \
    do {                                  \
        v[a] = v[a] + v[b] + (x);         \
        v[d] = ror64(v[d] ^ v[a], 32);    \
        v[c] = v[c] + v[d];               \
        v[b] = ror64(v[b] ^ v[c], 24);    \
        v[a] = v[a] + v[b] + (y);         \
        v[d] = ror64(v[d] ^ v[a], 16);    \
        v[c] = v[c] + v[d];               \
        v[b] = ror64(v[b] ^ v[c], 63);    \
    } while (0)

static void blake2b_block(HashCtx *h, const uint8_t *p, int last) {
    uint64_t m[16], v[16];
    for (int i = 0; i < 16; i++) m[i] = le64(p + 8 * i);
    for (int i = 0; i < 8; i++) v[i] = h->h.s64[i], v[i + 8] = sha512_iv[i];
    v[12] ^= h->t[0];
    v[13] ^= h->t[1];
    if (last) v[14] = ~v[14];
    for (int r = 0; r < 12; r++) {
        const uint8_t *s = blake2b_sigma[r % 10];
        B2G(0, 4, 8, 12, m[s[0]], m[s[1]]);
        B2G(1, 5, 9, 13, m[s[2]], m[s[3]]);
        B2G(2, 6, 10, 14, m[s[4]], m[s[5]]);
        B2G(3, 7, 11, 15, m[s[6]], m[s[7]]);
        B2G(0, 5, 10, 15, m[s[8]], m[s[9]]);
        B2G(1, 6, 11, 12, m[s[10]], m[s[11]]);
        B2G(2, 7, 8, 13, m[s[12]], m[s[13]]);
        B2G(3, 4, 9, 14, m[s[14]], m[s[15]]);
    }
    for (int i = 0; i < 8; i++) h->h.s64[i] ^= v[i] ^ v[i + 8];
}

static void blake2b_count(HashCtx *h, uint64_t n) {
    h->t[0] += n;
    if (h->t[0] < n) h->t[1]++;
}

/* ---------------------------------------------------------------- API */

static unsigned block_size(HashAlg a) { return a == HASH_SHA384 || a == HASH_SHA512 || a == HASH_BLAKE2B ? 128 : 64; }

static void run_block(HashCtx *h, const uint8_t *p) {
    switch (h->alg) {
    case HASH_MD5: md5_block(h->h.s32, p); break;
    case HASH_SHA1: sha1_block(h->h.s32, p); break;
    case HASH_SHA224:
    case HASH_SHA256: sha256_block(h->h.s32, p); break;
    case HASH_SM3: sm3_block(h->h.s32, p); break;
    case HASH_SHA384:
    case HASH_SHA512: sha512_block(h->h.s64, p); break;
    default: break;
    }
}

void hash_init(HashCtx *h, HashAlg alg, unsigned outlen) {
    static const uint32_t md5_iv[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
    static const uint32_t sm3_iv[8] = {0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600,
                                       0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e};
    static const uint32_t sha1_iv[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};
    memset(h, 0, sizeof *h);
    h->alg = alg;
    switch (alg) {
    case HASH_MD5: memcpy(h->h.s32, md5_iv, sizeof md5_iv); h->outlen = 16; break;
    case HASH_SHA1: memcpy(h->h.s32, sha1_iv, sizeof sha1_iv); h->outlen = 20; break;
    case HASH_SHA224: memcpy(h->h.s32, sha224_iv, sizeof sha224_iv); h->outlen = 28; break;
    case HASH_SHA256: memcpy(h->h.s32, sha256_iv, sizeof sha256_iv); h->outlen = 32; break;
    case HASH_SHA384: memcpy(h->h.s64, sha384_iv, sizeof sha384_iv); h->outlen = 48; break;
    case HASH_SHA512: memcpy(h->h.s64, sha512_iv, sizeof sha512_iv); h->outlen = 64; break;
    case HASH_BLAKE2B:
        h->outlen = outlen && outlen <= 64 ? outlen : 64;
        memcpy(h->h.s64, sha512_iv, sizeof sha512_iv);
        h->h.s64[0] ^= 0x01010000u ^ h->outlen;
        break;
    case HASH_SM3: memcpy(h->h.s32, sm3_iv, sizeof sm3_iv); h->outlen = 32; break;
    case HASH_CRC: h->outlen = 4; break;
    case HASH_BSD:
    case HASH_SYSV: h->outlen = 2; break;
    }
}

static void update_small(HashCtx *h, const uint8_t *p, size_t n) {
    uint32_t v = h->h.s32[0];
    switch (h->alg) {
    case HASH_CRC:
        for (size_t i = 0; i < n; i++) v = v << 8 ^ crc_posix[(v >> 24) ^ p[i]];
        break;
    case HASH_BSD:
        for (size_t i = 0; i < n; i++) v = (((v >> 1) + ((v & 1) << 15)) + p[i]) & 0xffff;
        break;
    default: /* SYSV: the byte sum modulo 2^32 */
        for (size_t i = 0; i < n; i++) v += p[i];
        break;
    }
    h->h.s32[0] = v;
}

void hash_update(HashCtx *h, const void *data, size_t n) {
    const uint8_t *p = data;
    h->total += n;
    if (h->alg >= HASH_CRC) {
        update_small(h, p, n);
        return;
    }
    unsigned bs = block_size(h->alg);
    if (h->alg == HASH_BLAKE2B) {
        /* the last block is compressed differently: keep it until final */
        while (n) {
            if (h->buflen == bs) {
                blake2b_count(h, bs);
                blake2b_block(h, h->buf, 0);
                h->buflen = 0;
            }
            size_t k = bs - h->buflen < n ? bs - h->buflen : n;
            memcpy(h->buf + h->buflen, p, k);
            h->buflen += (unsigned)k;
            p += k;
            n -= k;
        }
        return;
    }
    if (h->buflen) {
        size_t k = bs - h->buflen < n ? bs - h->buflen : n;
        memcpy(h->buf + h->buflen, p, k);
        h->buflen += (unsigned)k;
        p += k;
        n -= k;
        if (h->buflen < bs) return;
        run_block(h, h->buf);
        h->buflen = 0;
    }
    for (; n >= bs; p += bs, n -= bs) run_block(h, p);
    memcpy(h->buf, p, n);
    h->buflen = (unsigned)n;
}

/* Merkle-Damgard padding: 0x80, zeros, then the bit length (big-endian for
 * SHA, little-endian for MD5) in the last 8 or 16 bytes of a block. */
static void md_pad(HashCtx *h) {
    unsigned bs = block_size(h->alg), lenbytes = bs == 128 ? 16 : 8;
    uint64_t bits = h->total * 8;
    uint8_t *b = h->buf;
    b[h->buflen++] = 0x80;
    if (h->buflen > bs - lenbytes) {
        memset(b + h->buflen, 0, bs - h->buflen);
        run_block(h, b);
        h->buflen = 0;
    }
    memset(b + h->buflen, 0, bs - h->buflen);
    for (int i = 0; i < 8; i++) {
        uint8_t byte = (uint8_t)(bits >> (8 * i));
        if (h->alg == HASH_MD5) b[bs - 8 + i] = byte;
        else b[bs - 1 - i] = byte;
    }
    if (bs == 128) b[bs - 9] = (uint8_t)(h->total >> 61); /* the high bits of a 128-bit length */
    run_block(h, b);
}

unsigned hash_final(HashCtx *h, uint8_t *out) {
    switch (h->alg) {
    case HASH_MD5:
        md_pad(h);
        for (int i = 0; i < 16; i++) out[i] = (uint8_t)(h->h.s32[i / 4] >> (8 * (i % 4)));
        break;
    case HASH_SHA1:
    case HASH_SHA224:
    case HASH_SHA256:
    case HASH_SM3:
        md_pad(h);
        for (unsigned i = 0; i < h->outlen; i++) out[i] = (uint8_t)(h->h.s32[i / 4] >> (24 - 8 * (i % 4)));
        break;
    case HASH_SHA384:
    case HASH_SHA512:
        md_pad(h);
        for (unsigned i = 0; i < h->outlen; i++) out[i] = (uint8_t)(h->h.s64[i / 8] >> (56 - 8 * (i % 8)));
        break;
    case HASH_BLAKE2B:
        blake2b_count(h, h->buflen);
        memset(h->buf + h->buflen, 0, 128 - h->buflen);
        blake2b_block(h, h->buf, 1);
        for (unsigned i = 0; i < h->outlen; i++) out[i] = (uint8_t)(h->h.s64[i / 8] >> (8 * (i % 8)));
        break;
    case HASH_CRC: {
        uint32_t v = h->h.s32[0];
        for (uint64_t n = h->total; n; n >>= 8) v = v << 8 ^ crc_posix[(v >> 24) ^ (uint8_t)n];
        v = ~v;
        for (int i = 0; i < 4; i++) out[i] = (uint8_t)(v >> (24 - 8 * i));
        break;
    }
    case HASH_BSD:
        out[0] = (uint8_t)(h->h.s32[0] >> 8);
        out[1] = (uint8_t)h->h.s32[0];
        break;
    case HASH_SYSV: {
        uint32_t s = h->h.s32[0];
        uint32_t r = (s & 0xffff) + (s >> 16);
        r = (r & 0xffff) + (r >> 16);
        out[0] = (uint8_t)(r >> 8);
        out[1] = (uint8_t)r;
        break;
    }
    }
    return h->outlen;
}
