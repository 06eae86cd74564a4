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
/* The POSIX CRC sliced eight bytes at a time: row 0 is the byte-wise table,
 * row k advances row k-1 by one more zero byte (MSB first). */
static const uint32_t crc_posix8[8][256] = {
    {
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
    },
    {
        0x00000000u, 0xd219c1dcu, 0xa0f29e0fu, 0x72eb5fd3u, 0x452421a9u, 0x973de075u,
        0xe5d6bfa6u, 0x37cf7e7au, 0x8a484352u, 0x5851828eu, 0x2abadd5du, 0xf8a31c81u,
        0xcf6c62fbu, 0x1d75a327u, 0x6f9efcf4u, 0xbd873d28u, 0x10519b13u, 0xc2485acfu,
        0xb0a3051cu, 0x62bac4c0u, 0x5575babau, 0x876c7b66u, 0xf58724b5u, 0x279ee569u,
        0x9a19d841u, 0x4800199du, 0x3aeb464eu, 0xe8f28792u, 0xdf3df9e8u, 0x0d243834u,
        0x7fcf67e7u, 0xadd6a63bu, 0x20a33626u, 0xf2baf7fau, 0x8051a829u, 0x524869f5u,
        0x6587178fu, 0xb79ed653u, 0xc5758980u, 0x176c485cu, 0xaaeb7574u, 0x78f2b4a8u,
        0x0a19eb7bu, 0xd8002aa7u, 0xefcf54ddu, 0x3dd69501u, 0x4f3dcad2u, 0x9d240b0eu,
        0x30f2ad35u, 0xe2eb6ce9u, 0x9000333au, 0x4219f2e6u, 0x75d68c9cu, 0xa7cf4d40u,
        0xd5241293u, 0x073dd34fu, 0xbabaee67u, 0x68a32fbbu, 0x1a487068u, 0xc851b1b4u,
        0xff9ecfceu, 0x2d870e12u, 0x5f6c51c1u, 0x8d75901du, 0x41466c4cu, 0x935fad90u,
        0xe1b4f243u, 0x33ad339fu, 0x04624de5u, 0xd67b8c39u, 0xa490d3eau, 0x76891236u,
        0xcb0e2f1eu, 0x1917eec2u, 0x6bfcb111u, 0xb9e570cdu, 0x8e2a0eb7u, 0x5c33cf6bu,
        0x2ed890b8u, 0xfcc15164u, 0x5117f75fu, 0x830e3683u, 0xf1e56950u, 0x23fca88cu,
        0x1433d6f6u, 0xc62a172au, 0xb4c148f9u, 0x66d88925u, 0xdb5fb40du, 0x094675d1u,
        0x7bad2a02u, 0xa9b4ebdeu, 0x9e7b95a4u, 0x4c625478u, 0x3e890babu, 0xec90ca77u,
        0x61e55a6au, 0xb3fc9bb6u, 0xc117c465u, 0x130e05b9u, 0x24c17bc3u, 0xf6d8ba1fu,
        0x8433e5ccu, 0x562a2410u, 0xebad1938u, 0x39b4d8e4u, 0x4b5f8737u, 0x994646ebu,
        0xae893891u, 0x7c90f94du, 0x0e7ba69eu, 0xdc626742u, 0x71b4c179u, 0xa3ad00a5u,
        0xd1465f76u, 0x035f9eaau, 0x3490e0d0u, 0xe689210cu, 0x94627edfu, 0x467bbf03u,
        0xfbfc822bu, 0x29e543f7u, 0x5b0e1c24u, 0x8917ddf8u, 0xbed8a382u, 0x6cc1625eu,
        0x1e2a3d8du, 0xcc33fc51u, 0x828cd898u, 0x50951944u, 0x227e4697u, 0xf067874bu,
        0xc7a8f931u, 0x15b138edu, 0x675a673eu, 0xb543a6e2u, 0x08c49bcau, 0xdadd5a16u,
        0xa83605c5u, 0x7a2fc419u, 0x4de0ba63u, 0x9ff97bbfu, 0xed12246cu, 0x3f0be5b0u,
        0x92dd438bu, 0x40c48257u, 0x322fdd84u, 0xe0361c58u, 0xd7f96222u, 0x05e0a3feu,
        0x770bfc2du, 0xa5123df1u, 0x189500d9u, 0xca8cc105u, 0xb8679ed6u, 0x6a7e5f0au,
        0x5db12170u, 0x8fa8e0acu, 0xfd43bf7fu, 0x2f5a7ea3u, 0xa22feebeu, 0x70362f62u,
        0x02dd70b1u, 0xd0c4b16du, 0xe70bcf17u, 0x35120ecbu, 0x47f95118u, 0x95e090c4u,
        0x2867adecu, 0xfa7e6c30u, 0x889533e3u, 0x5a8cf23fu, 0x6d438c45u, 0xbf5a4d99u,
        0xcdb1124au, 0x1fa8d396u, 0xb27e75adu, 0x6067b471u, 0x128ceba2u, 0xc0952a7eu,
        0xf75a5404u, 0x254395d8u, 0x57a8ca0bu, 0x85b10bd7u, 0x383636ffu, 0xea2ff723u,
        0x98c4a8f0u, 0x4add692cu, 0x7d121756u, 0xaf0bd68au, 0xdde08959u, 0x0ff94885u,
        0xc3cab4d4u, 0x11d37508u, 0x63382adbu, 0xb121eb07u, 0x86ee957du, 0x54f754a1u,
        0x261c0b72u, 0xf405caaeu, 0x4982f786u, 0x9b9b365au, 0xe9706989u, 0x3b69a855u,
        0x0ca6d62fu, 0xdebf17f3u, 0xac544820u, 0x7e4d89fcu, 0xd39b2fc7u, 0x0182ee1bu,
        0x7369b1c8u, 0xa1707014u, 0x96bf0e6eu, 0x44a6cfb2u, 0x364d9061u, 0xe45451bdu,
        0x59d36c95u, 0x8bcaad49u, 0xf921f29au, 0x2b383346u, 0x1cf74d3cu, 0xceee8ce0u,
        0xbc05d333u, 0x6e1c12efu, 0xe36982f2u, 0x3170432eu, 0x439b1cfdu, 0x9182dd21u,
        0xa64da35bu, 0x74546287u, 0x06bf3d54u, 0xd4a6fc88u, 0x6921c1a0u, 0xbb38007cu,
        0xc9d35fafu, 0x1bca9e73u, 0x2c05e009u, 0xfe1c21d5u, 0x8cf77e06u, 0x5eeebfdau,
        0xf33819e1u, 0x2121d83du, 0x53ca87eeu, 0x81d34632u, 0xb61c3848u, 0x6405f994u,
        0x16eea647u, 0xc4f7679bu, 0x79705ab3u, 0xab699b6fu, 0xd982c4bcu, 0x0b9b0560u,
        0x3c547b1au, 0xee4dbac6u, 0x9ca6e515u, 0x4ebf24c9u,
    },
    {
        0x00000000u, 0x01d8ac87u, 0x03b1590eu, 0x0269f589u, 0x0762b21cu, 0x06ba1e9bu,
        0x04d3eb12u, 0x050b4795u, 0x0ec56438u, 0x0f1dc8bfu, 0x0d743d36u, 0x0cac91b1u,
        0x09a7d624u, 0x087f7aa3u, 0x0a168f2au, 0x0bce23adu, 0x1d8ac870u, 0x1c5264f7u,
        0x1e3b917eu, 0x1fe33df9u, 0x1ae87a6cu, 0x1b30d6ebu, 0x19592362u, 0x18818fe5u,
        0x134fac48u, 0x129700cfu, 0x10fef546u, 0x112659c1u, 0x142d1e54u, 0x15f5b2d3u,
        0x179c475au, 0x1644ebddu, 0x3b1590e0u, 0x3acd3c67u, 0x38a4c9eeu, 0x397c6569u,
        0x3c7722fcu, 0x3daf8e7bu, 0x3fc67bf2u, 0x3e1ed775u, 0x35d0f4d8u, 0x3408585fu,
        0x3661add6u, 0x37b90151u, 0x32b246c4u, 0x336aea43u, 0x31031fcau, 0x30dbb34du,
        0x269f5890u, 0x2747f417u, 0x252e019eu, 0x24f6ad19u, 0x21fdea8cu, 0x2025460bu,
        0x224cb382u, 0x23941f05u, 0x285a3ca8u, 0x2982902fu, 0x2beb65a6u, 0x2a33c921u,
        0x2f388eb4u, 0x2ee02233u, 0x2c89d7bau, 0x2d517b3du, 0x762b21c0u, 0x77f38d47u,
        0x759a78ceu, 0x7442d449u, 0x714993dcu, 0x70913f5bu, 0x72f8cad2u, 0x73206655u,
        0x78ee45f8u, 0x7936e97fu, 0x7b5f1cf6u, 0x7a87b071u, 0x7f8cf7e4u, 0x7e545b63u,
        0x7c3daeeau, 0x7de5026du, 0x6ba1e9b0u, 0x6a794537u, 0x6810b0beu, 0x69c81c39u,
        0x6cc35bacu, 0x6d1bf72bu, 0x6f7202a2u, 0x6eaaae25u, 0x65648d88u, 0x64bc210fu,
        0x66d5d486u, 0x670d7801u, 0x62063f94u, 0x63de9313u, 0x61b7669au, 0x606fca1du,
        0x4d3eb120u, 0x4ce61da7u, 0x4e8fe82eu, 0x4f5744a9u, 0x4a5c033cu, 0x4b84afbbu,
        0x49ed5a32u, 0x4835f6b5u, 0x43fbd518u, 0x4223799fu, 0x404a8c16u, 0x41922091u,
        0x44996704u, 0x4541cb83u, 0x47283e0au, 0x46f0928du, 0x50b47950u, 0x516cd5d7u,
        0x5305205eu, 0x52dd8cd9u, 0x57d6cb4cu, 0x560e67cbu, 0x54679242u, 0x55bf3ec5u,
        0x5e711d68u, 0x5fa9b1efu, 0x5dc04466u, 0x5c18e8e1u, 0x5913af74u, 0x58cb03f3u,
        0x5aa2f67au, 0x5b7a5afdu, 0xec564380u, 0xed8eef07u, 0xefe71a8eu, 0xee3fb609u,
        0xeb34f19cu, 0xeaec5d1bu, 0xe885a892u, 0xe95d0415u, 0xe29327b8u, 0xe34b8b3fu,
        0xe1227eb6u, 0xe0fad231u, 0xe5f195a4u, 0xe4293923u, 0xe640ccaau, 0xe798602du,
        0xf1dc8bf0u, 0xf0042777u, 0xf26dd2feu, 0xf3b57e79u, 0xf6be39ecu, 0xf766956bu,
        0xf50f60e2u, 0xf4d7cc65u, 0xff19efc8u, 0xfec1434fu, 0xfca8b6c6u, 0xfd701a41u,
        0xf87b5dd4u, 0xf9a3f153u, 0xfbca04dau, 0xfa12a85du, 0xd743d360u, 0xd69b7fe7u,
        0xd4f28a6eu, 0xd52a26e9u, 0xd021617cu, 0xd1f9cdfbu, 0xd3903872u, 0xd24894f5u,
        0xd986b758u, 0xd85e1bdfu, 0xda37ee56u, 0xdbef42d1u, 0xdee40544u, 0xdf3ca9c3u,
        0xdd555c4au, 0xdc8df0cdu, 0xcac91b10u, 0xcb11b797u, 0xc978421eu, 0xc8a0ee99u,
        0xcdaba90cu, 0xcc73058bu, 0xce1af002u, 0xcfc25c85u, 0xc40c7f28u, 0xc5d4d3afu,
        0xc7bd2626u, 0xc6658aa1u, 0xc36ecd34u, 0xc2b661b3u, 0xc0df943au, 0xc10738bdu,
        0x9a7d6240u, 0x9ba5cec7u, 0x99cc3b4eu, 0x981497c9u, 0x9d1fd05cu, 0x9cc77cdbu,
        0x9eae8952u, 0x9f7625d5u, 0x94b80678u, 0x9560aaffu, 0x97095f76u, 0x96d1f3f1u,
        0x93dab464u, 0x920218e3u, 0x906bed6au, 0x91b341edu, 0x87f7aa30u, 0x862f06b7u,
        0x8446f33eu, 0x859e5fb9u, 0x8095182cu, 0x814db4abu, 0x83244122u, 0x82fceda5u,
        0x8932ce08u, 0x88ea628fu, 0x8a839706u, 0x8b5b3b81u, 0x8e507c14u, 0x8f88d093u,
        0x8de1251au, 0x8c39899du, 0xa168f2a0u, 0xa0b05e27u, 0xa2d9abaeu, 0xa3010729u,
        0xa60a40bcu, 0xa7d2ec3bu, 0xa5bb19b2u, 0xa463b535u, 0xafad9698u, 0xae753a1fu,
        0xac1ccf96u, 0xadc46311u, 0xa8cf2484u, 0xa9178803u, 0xab7e7d8au, 0xaaa6d10du,
        0xbce23ad0u, 0xbd3a9657u, 0xbf5363deu, 0xbe8bcf59u, 0xbb8088ccu, 0xba58244bu,
        0xb831d1c2u, 0xb9e97d45u, 0xb2275ee8u, 0xb3fff26fu, 0xb19607e6u, 0xb04eab61u,
        0xb545ecf4u, 0xb49d4073u, 0xb6f4b5fau, 0xb72c197du,
    },
    {
        0x00000000u, 0xdc6d9ab7u, 0xbc1a28d9u, 0x6077b26eu, 0x7cf54c05u, 0xa098d6b2u,
        0xc0ef64dcu, 0x1c82fe6bu, 0xf9ea980au, 0x258702bdu, 0x45f0b0d3u, 0x999d2a64u,
        0x851fd40fu, 0x59724eb8u, 0x3905fcd6u, 0xe5686661u, 0xf7142da3u, 0x2b79b714u,
        0x4b0e057au, 0x97639fcdu, 0x8be161a6u, 0x578cfb11u, 0x37fb497fu, 0xeb96d3c8u,
        0x0efeb5a9u, 0xd2932f1eu, 0xb2e49d70u, 0x6e8907c7u, 0x720bf9acu, 0xae66631bu,
        0xce11d175u, 0x127c4bc2u, 0xeae946f1u, 0x3684dc46u, 0x56f36e28u, 0x8a9ef49fu,
        0x961c0af4u, 0x4a719043u, 0x2a06222du, 0xf66bb89au, 0x1303defbu, 0xcf6e444cu,
        0xaf19f622u, 0x73746c95u, 0x6ff692feu, 0xb39b0849u, 0xd3ecba27u, 0x0f812090u,
        0x1dfd6b52u, 0xc190f1e5u, 0xa1e7438bu, 0x7d8ad93cu, 0x61082757u, 0xbd65bde0u,
        0xdd120f8eu, 0x017f9539u, 0xe417f358u, 0x387a69efu, 0x580ddb81u, 0x84604136u,
        0x98e2bf5du, 0x448f25eau, 0x24f89784u, 0xf8950d33u, 0xd1139055u, 0x0d7e0ae2u,
        0x6d09b88cu, 0xb164223bu, 0xade6dc50u, 0x718b46e7u, 0x11fcf489u, 0xcd916e3eu,
        0x28f9085fu, 0xf49492e8u, 0x94e32086u, 0x488eba31u, 0x540c445au, 0x8861deedu,
        0xe8166c83u, 0x347bf634u, 0x2607bdf6u, 0xfa6a2741u, 0x9a1d952fu, 0x46700f98u,
        0x5af2f1f3u, 0x869f6b44u, 0xe6e8d92au, 0x3a85439du, 0xdfed25fcu, 0x0380bf4bu,
        0x63f70d25u, 0xbf9a9792u, 0xa31869f9u, 0x7f75f34eu, 0x1f024120u, 0xc36fdb97u,
        0x3bfad6a4u, 0xe7974c13u, 0x87e0fe7du, 0x5b8d64cau, 0x470f9aa1u, 0x9b620016u,
        0xfb15b278u, 0x277828cfu, 0xc2104eaeu, 0x1e7dd419u, 0x7e0a6677u, 0xa267fcc0u,
        0xbee502abu, 0x6288981cu, 0x02ff2a72u, 0xde92b0c5u, 0xcceefb07u, 0x108361b0u,
        0x70f4d3deu, 0xac994969u, 0xb01bb702u, 0x6c762db5u, 0x0c019fdbu, 0xd06c056cu,
        0x3504630du, 0xe969f9bau, 0x891e4bd4u, 0x5573d163u, 0x49f12f08u, 0x959cb5bfu,
        0xf5eb07d1u, 0x29869d66u, 0xa6e63d1du, 0x7a8ba7aau, 0x1afc15c4u, 0xc6918f73u,
        0xda137118u, 0x067eebafu, 0x660959c1u, 0xba64c376u, 0x5f0ca517u, 0x83613fa0u,
        0xe3168dceu, 0x3f7b1779u, 0x23f9e912u, 0xff9473a5u, 0x9fe3c1cbu, 0x438e5b7cu,
        0x51f210beu, 0x8d9f8a09u, 0xede83867u, 0x3185a2d0u, 0x2d075cbbu, 0xf16ac60cu,
        0x911d7462u, 0x4d70eed5u, 0xa81888b4u, 0x74751203u, 0x1402a06du, 0xc86f3adau,
        0xd4edc4b1u, 0x08805e06u, 0x68f7ec68u, 0xb49a76dfu, 0x4c0f7becu, 0x9062e15bu,
        0xf0155335u, 0x2c78c982u, 0x30fa37e9u, 0xec97ad5eu, 0x8ce01f30u, 0x508d8587u,
        0xb5e5e3e6u, 0x69887951u, 0x09ffcb3fu, 0xd5925188u, 0xc910afe3u, 0x157d3554u,
        0x750a873au, 0xa9671d8du, 0xbb1b564fu, 0x6776ccf8u, 0x07017e96u, 0xdb6ce421u,
        0xc7ee1a4au, 0x1b8380fdu, 0x7bf43293u, 0xa799a824u, 0x42f1ce45u, 0x9e9c54f2u,
        0xfeebe69cu, 0x22867c2bu, 0x3e048240u, 0xe26918f7u, 0x821eaa99u, 0x5e73302eu,
        0x77f5ad48u, 0xab9837ffu, 0xcbef8591u, 0x17821f26u, 0x0b00e14du, 0xd76d7bfau,
        0xb71ac994u, 0x6b775323u, 0x8e1f3542u, 0x5272aff5u, 0x32051d9bu, 0xee68872cu,
        0xf2ea7947u, 0x2e87e3f0u, 0x4ef0519eu, 0x929dcb29u, 0x80e180ebu, 0x5c8c1a5cu,
        0x3cfba832u, 0xe0963285u, 0xfc14cceeu, 0x20795659u, 0x400ee437u, 0x9c637e80u,
        0x790b18e1u, 0xa5668256u, 0xc5113038u, 0x197caa8fu, 0x05fe54e4u, 0xd993ce53u,
        0xb9e47c3du, 0x6589e68au, 0x9d1cebb9u, 0x4171710eu, 0x2106c360u, 0xfd6b59d7u,
        0xe1e9a7bcu, 0x3d843d0bu, 0x5df38f65u, 0x819e15d2u, 0x64f673b3u, 0xb89be904u,
        0xd8ec5b6au, 0x0481c1ddu, 0x18033fb6u, 0xc46ea501u, 0xa419176fu, 0x78748dd8u,
        0x6a08c61au, 0xb6655cadu, 0xd612eec3u, 0x0a7f7474u, 0x16fd8a1fu, 0xca9010a8u,
        0xaae7a2c6u, 0x768a3871u, 0x93e25e10u, 0x4f8fc4a7u, 0x2ff876c9u, 0xf395ec7eu,
        0xef171215u, 0x337a88a2u, 0x530d3accu, 0x8f60a07bu,
    },
    {
        0x00000000u, 0x490d678du, 0x921acf1au, 0xdb17a897u, 0x20f48383u, 0x69f9e40eu,
        0xb2ee4c99u, 0xfbe32b14u, 0x41e90706u, 0x08e4608bu, 0xd3f3c81cu, 0x9afeaf91u,
        0x611d8485u, 0x2810e308u, 0xf3074b9fu, 0xba0a2c12u, 0x83d20e0cu, 0xcadf6981u,
        0x11c8c116u, 0x58c5a69bu, 0xa3268d8fu, 0xea2bea02u, 0x313c4295u, 0x78312518u,
        0xc23b090au, 0x8b366e87u, 0x5021c610u, 0x192ca19du, 0xe2cf8a89u, 0xabc2ed04u,
        0x70d54593u, 0x39d8221eu, 0x036501afu, 0x4a686622u, 0x917fceb5u, 0xd872a938u,
        0x2391822cu, 0x6a9ce5a1u, 0xb18b4d36u, 0xf8862abbu, 0x428c06a9u, 0x0b816124u,
        0xd096c9b3u, 0x999bae3eu, 0x6278852au, 0x2b75e2a7u, 0xf0624a30u, 0xb96f2dbdu,
        0x80b70fa3u, 0xc9ba682eu, 0x12adc0b9u, 0x5ba0a734u, 0xa0438c20u, 0xe94eebadu,
        0x3259433au, 0x7b5424b7u, 0xc15e08a5u, 0x88536f28u, 0x5344c7bfu, 0x1a49a032u,
        0xe1aa8b26u, 0xa8a7ecabu, 0x73b0443cu, 0x3abd23b1u, 0x06ca035eu, 0x4fc764d3u,
        0x94d0cc44u, 0xddddabc9u, 0x263e80ddu, 0x6f33e750u, 0xb4244fc7u, 0xfd29284au,
        0x47230458u, 0x0e2e63d5u, 0xd539cb42u, 0x9c34accfu, 0x67d787dbu, 0x2edae056u,
        0xf5cd48c1u, 0xbcc02f4cu, 0x85180d52u, 0xcc156adfu, 0x1702c248u, 0x5e0fa5c5u,
        0xa5ec8ed1u, 0xece1e95cu, 0x37f641cbu, 0x7efb2646u, 0xc4f10a54u, 0x8dfc6dd9u,
        0x56ebc54eu, 0x1fe6a2c3u, 0xe40589d7u, 0xad08ee5au, 0x761f46cdu, 0x3f122140u,
        0x05af02f1u, 0x4ca2657cu, 0x97b5cdebu, 0xdeb8aa66u, 0x255b8172u, 0x6c56e6ffu,
        0xb7414e68u, 0xfe4c29e5u, 0x444605f7u, 0x0d4b627au, 0xd65ccaedu, 0x9f51ad60u,
        0x64b28674u, 0x2dbfe1f9u, 0xf6a8496eu, 0xbfa52ee3u, 0x867d0cfdu, 0xcf706b70u,
        0x1467c3e7u, 0x5d6aa46au, 0xa6898f7eu, 0xef84e8f3u, 0x34934064u, 0x7d9e27e9u,
        0xc7940bfbu, 0x8e996c76u, 0x558ec4e1u, 0x1c83a36cu, 0xe7608878u, 0xae6deff5u,
        0x757a4762u, 0x3c7720efu, 0x0d9406bcu, 0x44996131u, 0x9f8ec9a6u, 0xd683ae2bu,
        0x2d60853fu, 0x646de2b2u, 0xbf7a4a25u, 0xf6772da8u, 0x4c7d01bau, 0x05706637u,
        0xde67cea0u, 0x976aa92du, 0x6c898239u, 0x2584e5b4u, 0xfe934d23u, 0xb79e2aaeu,
        0x8e4608b0u, 0xc74b6f3du, 0x1c5cc7aau, 0x5551a027u, 0xaeb28b33u, 0xe7bfecbeu,
        0x3ca84429u, 0x75a523a4u, 0xcfaf0fb6u, 0x86a2683bu, 0x5db5c0acu, 0x14b8a721u,
        0xef5b8c35u, 0xa656ebb8u, 0x7d41432fu, 0x344c24a2u, 0x0ef10713u, 0x47fc609eu,
        0x9cebc809u, 0xd5e6af84u, 0x2e058490u, 0x6708e31du, 0xbc1f4b8au, 0xf5122c07u,
        0x4f180015u, 0x06156798u, 0xdd02cf0fu, 0x940fa882u, 0x6fec8396u, 0x26e1e41bu,
        0xfdf64c8cu, 0xb4fb2b01u, 0x8d23091fu, 0xc42e6e92u, 0x1f39c605u, 0x5634a188u,
        0xadd78a9cu, 0xe4daed11u, 0x3fcd4586u, 0x76c0220bu, 0xccca0e19u, 0x85c76994u,
        0x5ed0c103u, 0x17dda68eu, 0xec3e8d9au, 0xa533ea17u, 0x7e244280u, 0x3729250du,
        0x0b5e05e2u, 0x4253626fu, 0x9944caf8u, 0xd049ad75u, 0x2baa8661u, 0x62a7e1ecu,
        0xb9b0497bu, 0xf0bd2ef6u, 0x4ab702e4u, 0x03ba6569u, 0xd8adcdfeu, 0x91a0aa73u,
        0x6a438167u, 0x234ee6eau, 0xf8594e7du, 0xb15429f0u, 0x888c0beeu, 0xc1816c63u,
        0x1a96c4f4u, 0x539ba379u, 0xa878886du, 0xe175efe0u, 0x3a624777u, 0x736f20fau,
        0xc9650ce8u, 0x80686b65u, 0x5b7fc3f2u, 0x1272a47fu, 0xe9918f6bu, 0xa09ce8e6u,
        0x7b8b4071u, 0x328627fcu, 0x083b044du, 0x413663c0u, 0x9a21cb57u, 0xd32cacdau,
        0x28cf87ceu, 0x61c2e043u, 0xbad548d4u, 0xf3d82f59u, 0x49d2034bu, 0x00df64c6u,
        0xdbc8cc51u, 0x92c5abdcu, 0x692680c8u, 0x202be745u, 0xfb3c4fd2u, 0xb231285fu,
        0x8be90a41u, 0xc2e46dccu, 0x19f3c55bu, 0x50fea2d6u, 0xab1d89c2u, 0xe210ee4fu,
        0x390746d8u, 0x700a2155u, 0xca000d47u, 0x830d6acau, 0x581ac25du, 0x1117a5d0u,
        0xeaf48ec4u, 0xa3f9e949u, 0x78ee41deu, 0x31e32653u,
    },
    {
        0x00000000u, 0x1b280d78u, 0x36501af0u, 0x2d781788u, 0x6ca035e0u, 0x77883898u,
        0x5af02f10u, 0x41d82268u, 0xd9406bc0u, 0xc26866b8u, 0xef107130u, 0xf4387c48u,
        0xb5e05e20u, 0xaec85358u, 0x83b044d0u, 0x989849a8u, 0xb641ca37u, 0xad69c74fu,
        0x8011d0c7u, 0x9b39ddbfu, 0xdae1ffd7u, 0xc1c9f2afu, 0xecb1e527u, 0xf799e85fu,
        0x6f01a1f7u, 0x7429ac8fu, 0x5951bb07u, 0x4279b67fu, 0x03a19417u, 0x1889996fu,
        0x35f18ee7u, 0x2ed9839fu, 0x684289d9u, 0x736a84a1u, 0x5e129329u, 0x453a9e51u,
        0x04e2bc39u, 0x1fcab141u, 0x32b2a6c9u, 0x299aabb1u, 0xb102e219u, 0xaa2aef61u,
        0x8752f8e9u, 0x9c7af591u, 0xdda2d7f9u, 0xc68ada81u, 0xebf2cd09u, 0xf0dac071u,
        0xde0343eeu, 0xc52b4e96u, 0xe853591eu, 0xf37b5466u, 0xb2a3760eu, 0xa98b7b76u,
        0x84f36cfeu, 0x9fdb6186u, 0x0743282eu, 0x1c6b2556u, 0x311332deu, 0x2a3b3fa6u,
        0x6be31dceu, 0x70cb10b6u, 0x5db3073eu, 0x469b0a46u, 0xd08513b2u, 0xcbad1ecau,
        0xe6d50942u, 0xfdfd043au, 0xbc252652u, 0xa70d2b2au, 0x8a753ca2u, 0x915d31dau,
        0x09c57872u, 0x12ed750au, 0x3f956282u, 0x24bd6ffau, 0x65654d92u, 0x7e4d40eau,
        0x53355762u, 0x481d5a1au, 0x66c4d985u, 0x7decd4fdu, 0x5094c375u, 0x4bbcce0du,
        0x0a64ec65u, 0x114ce11du, 0x3c34f695u, 0x271cfbedu, 0xbf84b245u, 0xa4acbf3du,
        0x89d4a8b5u, 0x92fca5cdu, 0xd32487a5u, 0xc80c8addu, 0xe5749d55u, 0xfe5c902du,
        0xb8c79a6bu, 0xa3ef9713u, 0x8e97809bu, 0x95bf8de3u, 0xd467af8bu, 0xcf4fa2f3u,
        0xe237b57bu, 0xf91fb803u, 0x6187f1abu, 0x7aaffcd3u, 0x57d7eb5bu, 0x4cffe623u,
        0x0d27c44bu, 0x160fc933u, 0x3b77debbu, 0x205fd3c3u, 0x0e86505cu, 0x15ae5d24u,
        0x38d64aacu, 0x23fe47d4u, 0x622665bcu, 0x790e68c4u, 0x54767f4cu, 0x4f5e7234u,
        0xd7c63b9cu, 0xccee36e4u, 0xe196216cu, 0xfabe2c14u, 0xbb660e7cu, 0xa04e0304u,
        0x8d36148cu, 0x961e19f4u, 0xa5cb3ad3u, 0xbee337abu, 0x939b2023u, 0x88b32d5bu,
        0xc96b0f33u, 0xd243024bu, 0xff3b15c3u, 0xe41318bbu, 0x7c8b5113u, 0x67a35c6bu,
        0x4adb4be3u, 0x51f3469bu, 0x102b64f3u, 0x0b03698bu, 0x267b7e03u, 0x3d53737bu,
        0x138af0e4u, 0x08a2fd9cu, 0x25daea14u, 0x3ef2e76cu, 0x7f2ac504u, 0x6402c87cu,
        0x497adff4u, 0x5252d28cu, 0xcaca9b24u, 0xd1e2965cu, 0xfc9a81d4u, 0xe7b28cacu,
        0xa66aaec4u, 0xbd42a3bcu, 0x903ab434u, 0x8b12b94cu, 0xcd89b30au, 0xd6a1be72u,
        0xfbd9a9fau, 0xe0f1a482u, 0xa12986eau, 0xba018b92u, 0x97799c1au, 0x8c519162u,
        0x14c9d8cau, 0x0fe1d5b2u, 0x2299c23au, 0x39b1cf42u, 0x7869ed2au, 0x6341e052u,
        0x4e39f7dau, 0x5511faa2u, 0x7bc8793du, 0x60e07445u, 0x4d9863cdu, 0x56b06eb5u,
        0x17684cddu, 0x0c4041a5u, 0x2138562du, 0x3a105b55u, 0xa28812fdu, 0xb9a01f85u,
        0x94d8080du, 0x8ff00575u, 0xce28271du, 0xd5002a65u, 0xf8783dedu, 0xe3503095u,
        0x754e2961u, 0x6e662419u, 0x431e3391u, 0x58363ee9u, 0x19ee1c81u, 0x02c611f9u,
        0x2fbe0671u, 0x34960b09u, 0xac0e42a1u, 0xb7264fd9u, 0x9a5e5851u, 0x81765529u,
        0xc0ae7741u, 0xdb867a39u, 0xf6fe6db1u, 0xedd660c9u, 0xc30fe356u, 0xd827ee2eu,
        0xf55ff9a6u, 0xee77f4deu, 0xafafd6b6u, 0xb487dbceu, 0x99ffcc46u, 0x82d7c13eu,
        0x1a4f8896u, 0x016785eeu, 0x2c1f9266u, 0x37379f1eu, 0x76efbd76u, 0x6dc7b00eu,
        0x40bfa786u, 0x5b97aafeu, 0x1d0ca0b8u, 0x0624adc0u, 0x2b5cba48u, 0x3074b730u,
        0x71ac9558u, 0x6a849820u, 0x47fc8fa8u, 0x5cd482d0u, 0xc44ccb78u, 0xdf64c600u,
        0xf21cd188u, 0xe934dcf0u, 0xa8ecfe98u, 0xb3c4f3e0u, 0x9ebce468u, 0x8594e910u,
        0xab4d6a8fu, 0xb06567f7u, 0x9d1d707fu, 0x86357d07u, 0xc7ed5f6fu, 0xdcc55217u,
        0xf1bd459fu, 0xea9548e7u, 0x720d014fu, 0x69250c37u, 0x445d1bbfu, 0x5f7516c7u,
        0x1ead34afu, 0x058539d7u, 0x28fd2e5fu, 0x33d52327u,
    },
    {
        0x00000000u, 0x4f576811u, 0x9eaed022u, 0xd1f9b833u, 0x399cbdf3u, 0x76cbd5e2u,
        0xa7326dd1u, 0xe86505c0u, 0x73397be6u, 0x3c6e13f7u, 0xed97abc4u, 0xa2c0c3d5u,
        0x4aa5c615u, 0x05f2ae04u, 0xd40b1637u, 0x9b5c7e26u, 0xe672f7ccu, 0xa9259fddu,
        0x78dc27eeu, 0x378b4fffu, 0xdfee4a3fu, 0x90b9222eu, 0x41409a1du, 0x0e17f20cu,
        0x954b8c2au, 0xda1ce43bu, 0x0be55c08u, 0x44b23419u, 0xacd731d9u, 0xe38059c8u,
        0x3279e1fbu, 0x7d2e89eau, 0xc824f22fu, 0x87739a3eu, 0x568a220du, 0x19dd4a1cu,
        0xf1b84fdcu, 0xbeef27cdu, 0x6f169ffeu, 0x2041f7efu, 0xbb1d89c9u, 0xf44ae1d8u,
        0x25b359ebu, 0x6ae431fau, 0x8281343au, 0xcdd65c2bu, 0x1c2fe418u, 0x53788c09u,
        0x2e5605e3u, 0x61016df2u, 0xb0f8d5c1u, 0xffafbdd0u, 0x17cab810u, 0x589dd001u,
        0x89646832u, 0xc6330023u, 0x5d6f7e05u, 0x12381614u, 0xc3c1ae27u, 0x8c96c636u,
        0x64f3c3f6u, 0x2ba4abe7u, 0xfa5d13d4u, 0xb50a7bc5u, 0x9488f9e9u, 0xdbdf91f8u,
        0x0a2629cbu, 0x457141dau, 0xad14441au, 0xe2432c0bu, 0x33ba9438u, 0x7cedfc29u,
        0xe7b1820fu, 0xa8e6ea1eu, 0x791f522du, 0x36483a3cu, 0xde2d3ffcu, 0x917a57edu,
        0x4083efdeu, 0x0fd487cfu, 0x72fa0e25u, 0x3dad6634u, 0xec54de07u, 0xa303b616u,
        0x4b66b3d6u, 0x0431dbc7u, 0xd5c863f4u, 0x9a9f0be5u, 0x01c375c3u, 0x4e941dd2u,
        0x9f6da5e1u, 0xd03acdf0u, 0x385fc830u, 0x7708a021u, 0xa6f11812u, 0xe9a67003u,
        0x5cac0bc6u, 0x13fb63d7u, 0xc202dbe4u, 0x8d55b3f5u, 0x6530b635u, 0x2a67de24u,
        0xfb9e6617u, 0xb4c90e06u, 0x2f957020u, 0x60c21831u, 0xb13ba002u, 0xfe6cc813u,
        0x1609cdd3u, 0x595ea5c2u, 0x88a71df1u, 0xc7f075e0u, 0xbadefc0au, 0xf589941bu,
        0x24702c28u, 0x6b274439u, 0x834241f9u, 0xcc1529e8u, 0x1dec91dbu, 0x52bbf9cau,
        0xc9e787ecu, 0x86b0effdu, 0x574957ceu, 0x181e3fdfu, 0xf07b3a1fu, 0xbf2c520eu,
        0x6ed5ea3du, 0x2182822cu, 0x2dd0ee65u, 0x62878674u, 0xb37e3e47u, 0xfc295656u,
        0x144c5396u, 0x5b1b3b87u, 0x8ae283b4u, 0xc5b5eba5u, 0x5ee99583u, 0x11befd92u,
        0xc04745a1u, 0x8f102db0u, 0x67752870u, 0x28224061u, 0xf9dbf852u, 0xb68c9043u,
        0xcba219a9u, 0x84f571b8u, 0x550cc98bu, 0x1a5ba19au, 0xf23ea45au, 0xbd69cc4bu,
        0x6c907478u, 0x23c71c69u, 0xb89b624fu, 0xf7cc0a5eu, 0x2635b26du, 0x6962da7cu,
        0x8107dfbcu, 0xce50b7adu, 0x1fa90f9eu, 0x50fe678fu, 0xe5f41c4au, 0xaaa3745bu,
        0x7b5acc68u, 0x340da479u, 0xdc68a1b9u, 0x933fc9a8u, 0x42c6719bu, 0x0d91198au,
        0x96cd67acu, 0xd99a0fbdu, 0x0863b78eu, 0x4734df9fu, 0xaf51da5fu, 0xe006b24eu,
        0x31ff0a7du, 0x7ea8626cu, 0x0386eb86u, 0x4cd18397u, 0x9d283ba4u, 0xd27f53b5u,
        0x3a1a5675u, 0x754d3e64u, 0xa4b48657u, 0xebe3ee46u, 0x70bf9060u, 0x3fe8f871u,
        0xee114042u, 0xa1462853u, 0x49232d93u, 0x06744582u, 0xd78dfdb1u, 0x98da95a0u,
        0xb958178cu, 0xf60f7f9du, 0x27f6c7aeu, 0x68a1afbfu, 0x80c4aa7fu, 0xcf93c26eu,
        0x1e6a7a5du, 0x513d124cu, 0xca616c6au, 0x8536047bu, 0x54cfbc48u, 0x1b98d459u,
        0xf3fdd199u, 0xbcaab988u, 0x6d5301bbu, 0x220469aau, 0x5f2ae040u, 0x107d8851u,
        0xc1843062u, 0x8ed35873u, 0x66b65db3u, 0x29e135a2u, 0xf8188d91u, 0xb74fe580u,
        0x2c139ba6u, 0x6344f3b7u, 0xb2bd4b84u, 0xfdea2395u, 0x158f2655u, 0x5ad84e44u,
        0x8b21f677u, 0xc4769e66u, 0x717ce5a3u, 0x3e2b8db2u, 0xefd23581u, 0xa0855d90u,
        0x48e05850u, 0x07b73041u, 0xd64e8872u, 0x9919e063u, 0x02459e45u, 0x4d12f654u,
        0x9ceb4e67u, 0xd3bc2676u, 0x3bd923b6u, 0x748e4ba7u, 0xa577f394u, 0xea209b85u,
        0x970e126fu, 0xd8597a7eu, 0x09a0c24du, 0x46f7aa5cu, 0xae92af9cu, 0xe1c5c78du,
        0x303c7fbeu, 0x7f6b17afu, 0xe4376989u, 0xab600198u, 0x7a99b9abu, 0x35ced1bau,
        0xddabd47au, 0x92fcbc6bu, 0x43050458u, 0x0c526c49u,
    },
    {
        0x00000000u, 0x5ba1dccau, 0xb743b994u, 0xece2655eu, 0x6a466e9fu, 0x31e7b255u,
        0xdd05d70bu, 0x86a40bc1u, 0xd48cdd3eu, 0x8f2d01f4u, 0x63cf64aau, 0x386eb860u,
        0xbecab3a1u, 0xe56b6f6bu, 0x09890a35u, 0x5228d6ffu, 0xadd8a7cbu, 0xf6797b01u,
        0x1a9b1e5fu, 0x413ac295u, 0xc79ec954u, 0x9c3f159eu, 0x70dd70c0u, 0x2b7cac0au,
        0x79547af5u, 0x22f5a63fu, 0xce17c361u, 0x95b61fabu, 0x1312146au, 0x48b3c8a0u,
        0xa451adfeu, 0xfff07134u, 0x5f705221u, 0x04d18eebu, 0xe833ebb5u, 0xb392377fu,
        0x35363cbeu, 0x6e97e074u, 0x8275852au, 0xd9d459e0u, 0x8bfc8f1fu, 0xd05d53d5u,
        0x3cbf368bu, 0x671eea41u, 0xe1bae180u, 0xba1b3d4au, 0x56f95814u, 0x0d5884deu,
        0xf2a8f5eau, 0xa9092920u, 0x45eb4c7eu, 0x1e4a90b4u, 0x98ee9b75u, 0xc34f47bfu,
        0x2fad22e1u, 0x740cfe2bu, 0x262428d4u, 0x7d85f41eu, 0x91679140u, 0xcac64d8au,
        0x4c62464bu, 0x17c39a81u, 0xfb21ffdfu, 0xa0802315u, 0xbee0a442u, 0xe5417888u,
        0x09a31dd6u, 0x5202c11cu, 0xd4a6caddu, 0x8f071617u, 0x63e57349u, 0x3844af83u,
        0x6a6c797cu, 0x31cda5b6u, 0xdd2fc0e8u, 0x868e1c22u, 0x002a17e3u, 0x5b8bcb29u,
        0xb769ae77u, 0xecc872bdu, 0x13380389u, 0x4899df43u, 0xa47bba1du, 0xffda66d7u,
        0x797e6d16u, 0x22dfb1dcu, 0xce3dd482u, 0x959c0848u, 0xc7b4deb7u, 0x9c15027du,
        0x70f76723u, 0x2b56bbe9u, 0xadf2b028u, 0xf6536ce2u, 0x1ab109bcu, 0x4110d576u,
        0xe190f663u, 0xba312aa9u, 0x56d34ff7u, 0x0d72933du, 0x8bd698fcu, 0xd0774436u,
        0x3c952168u, 0x6734fda2u, 0x351c2b5du, 0x6ebdf797u, 0x825f92c9u, 0xd9fe4e03u,
        0x5f5a45c2u, 0x04fb9908u, 0xe819fc56u, 0xb3b8209cu, 0x4c4851a8u, 0x17e98d62u,
        0xfb0be83cu, 0xa0aa34f6u, 0x260e3f37u, 0x7dafe3fdu, 0x914d86a3u, 0xcaec5a69u,
        0x98c48c96u, 0xc365505cu, 0x2f873502u, 0x7426e9c8u, 0xf282e209u, 0xa9233ec3u,
        0x45c15b9du, 0x1e608757u, 0x79005533u, 0x22a189f9u, 0xce43eca7u, 0x95e2306du,
        0x13463bacu, 0x48e7e766u, 0xa4058238u, 0xffa45ef2u, 0xad8c880du, 0xf62d54c7u,
        0x1acf3199u, 0x416eed53u, 0xc7cae692u, 0x9c6b3a58u, 0x70895f06u, 0x2b2883ccu,
        0xd4d8f2f8u, 0x8f792e32u, 0x639b4b6cu, 0x383a97a6u, 0xbe9e9c67u, 0xe53f40adu,
        0x09dd25f3u, 0x527cf939u, 0x00542fc6u, 0x5bf5f30cu, 0xb7179652u, 0xecb64a98u,
        0x6a124159u, 0x31b39d93u, 0xdd51f8cdu, 0x86f02407u, 0x26700712u, 0x7dd1dbd8u,
        0x9133be86u, 0xca92624cu, 0x4c36698du, 0x1797b547u, 0xfb75d019u, 0xa0d40cd3u,
        0xf2fcda2cu, 0xa95d06e6u, 0x45bf63b8u, 0x1e1ebf72u, 0x98bab4b3u, 0xc31b6879u,
        0x2ff90d27u, 0x7458d1edu, 0x8ba8a0d9u, 0xd0097c13u, 0x3ceb194du, 0x674ac587u,
        0xe1eece46u, 0xba4f128cu, 0x56ad77d2u, 0x0d0cab18u, 0x5f247de7u, 0x0485a12du,
        0xe867c473u, 0xb3c618b9u, 0x35621378u, 0x6ec3cfb2u, 0x8221aaecu, 0xd9807626u,
        0xc7e0f171u, 0x9c412dbbu, 0x70a348e5u, 0x2b02942fu, 0xada69feeu, 0xf6074324u,
        0x1ae5267au, 0x4144fab0u, 0x136c2c4fu, 0x48cdf085u, 0xa42f95dbu, 0xff8e4911u,
        0x792a42d0u, 0x228b9e1au, 0xce69fb44u, 0x95c8278eu, 0x6a3856bau, 0x31998a70u,
        0xdd7bef2eu, 0x86da33e4u, 0x007e3825u, 0x5bdfe4efu, 0xb73d81b1u, 0xec9c5d7bu,
        0xbeb48b84u, 0xe515574eu, 0x09f73210u, 0x5256eedau, 0xd4f2e51bu, 0x8f5339d1u,
        0x63b15c8fu, 0x38108045u, 0x9890a350u, 0xc3317f9au, 0x2fd31ac4u, 0x7472c60eu,
        0xf2d6cdcfu, 0xa9771105u, 0x4595745bu, 0x1e34a891u, 0x4c1c7e6eu, 0x17bda2a4u,
        0xfb5fc7fau, 0xa0fe1b30u, 0x265a10f1u, 0x7dfbcc3bu, 0x9119a965u, 0xcab875afu,
        0x3548049bu, 0x6ee9d851u, 0x820bbd0fu, 0xd9aa61c5u, 0x5f0e6a04u, 0x04afb6ceu,
        0xe84dd390u, 0xb3ec0f5au, 0xe1c4d9a5u, 0xba65056fu, 0x56876031u, 0x0d26bcfbu,
        0x8b82b73au, 0xd0236bf0u, 0x3cc10eaeu, 0x6760d264u,
    },
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
    case HASH_CRC: {
        const uint32_t(*t)[256] = crc_posix8;
        size_t i = 0;
        for (; i + 8 <= n; i += 8) {
            uint32_t one = v ^ be32(p + i), two = be32(p + i + 4);
            v = t[7][one >> 24] ^ t[6][(one >> 16) & 0xff] ^ t[5][(one >> 8) & 0xff] ^ t[4][one & 0xff] ^
                t[3][two >> 24] ^ t[2][(two >> 16) & 0xff] ^ t[1][(two >> 8) & 0xff] ^ t[0][two & 0xff];
        }
        for (; i < n; i++) v = v << 8 ^ t[0][(v >> 24) ^ p[i]];
        break;
    }
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
        for (uint64_t n = h->total; n; n >>= 8) v = v << 8 ^ crc_posix8[0][(v >> 24) ^ (uint8_t)n];
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
