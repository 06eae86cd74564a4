/* cksum.c - the checksum utilities of coreutils 9.1: md5sum, sha1sum,
 * sha224sum, sha256sum, sha384sum, sha512sum, b2sum, cksum (CRC by default,
 * any digest with -a) and sum (BSD or System V).
 *
 * Output lines, file name escaping (a leading backslash when a name holds a
 * backslash, newline or carriage return), the --check parser (untagged
 * "HEX  NAME" / "HEX *NAME" lines, BSD-style "ALGO (NAME) = HEX" lines,
 * comments, CRLF endings) and its OK/FAILED lines and WARNING summaries are
 * GNU's. Files stream through the digest in fixed-size chunks. */
#include "hash.h"
#include "ucommon.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum Prog { P_DIGEST, P_B2SUM, P_CKSUM, P_SUM } Prog;

typedef struct Algo {
    const char *arg, *tag;
    HashAlg alg;
    unsigned bits;
} Algo;

enum { A_BSD, A_SYSV, A_CRC, A_MD5, A_SHA1, A_SHA224, A_SHA256, A_SHA384, A_SHA512, A_BLAKE2B, A_SM3, A_N };

static const Algo algos[A_N] = {
    {"bsd", "BSD", HASH_BSD, 16},          {"sysv", "SYSV", HASH_SYSV, 16},
    {"crc", "CRC", HASH_CRC, 32},          {"md5", "MD5", HASH_MD5, 128},
    {"sha1", "SHA1", HASH_SHA1, 160},      {"sha224", "SHA224", HASH_SHA224, 224},
    {"sha256", "SHA256", HASH_SHA256, 256}, {"sha384", "SHA384", HASH_SHA384, 384},
    {"sha512", "SHA512", HASH_SHA512, 512}, {"blake2b", "BLAKE2b", HASH_BLAKE2B, 512},
    {"sm3", "SM3", HASH_SM3, 256},
};

typedef struct Sum {
    UtilCtx *c;
    UOut out;
    Prog prog;
    int algo;
    bool algo_given;
    unsigned bits;        /* digest length in bits */
    bool check, status, quiet, warn, strict, ignore_missing, args;
    int binary, tag;      /* -1 = not given */
    char delim;
    int bsd_reversed;     /* --check: -1 unknown, 0 GNU lines, 1 "HEX NAME" lines */
    UOpts o;
    HashCtx h;            /* push mode */
} Sum;

enum { O_IGNORE_MISSING = 0x100, O_STATUS, O_QUIET, O_STRICT, O_TAG, O_UNTAGGED, O_SYSV };

static const UOptLong sum_longs[] = {
    {"check", UO_NOARG, 'c'},       {"ignore-missing", UO_NOARG, O_IGNORE_MISSING},
    {"quiet", UO_NOARG, O_QUIET},    {"status", UO_NOARG, O_STATUS},
    {"warn", UO_NOARG, 'w'},        {"strict", UO_NOARG, O_STRICT},
    {"tag", UO_NOARG, O_TAG},        {"zero", UO_NOARG, 'z'},
    {"binary", UO_NOARG, 'b'},      {"text", UO_NOARG, 't'},
    {"length", UO_REQ, 'l'},        {"algorithm", UO_REQ, 'a'},
    {"untagged", UO_NOARG, O_UNTAGGED}, {"sysv", UO_NOARG, O_SYSV},
    {NULL, 0, 0},
};

/* Whether program p has the long option of this key. */
static bool long_known(Prog p, int key) {
    switch (key) {
    case 'l': return p == P_B2SUM || p == P_CKSUM;
    case 'a': case O_UNTAGGED: return p == P_CKSUM;
    case 'b': case 't': return p == P_DIGEST || p == P_B2SUM;
    case O_SYSV: return p == P_SUM;
    default: return p != P_SUM;
    }
}

/* The long options of program p, into v (NULL-terminated). */
static void program_longs(Prog p, UOptLong *v) {
    size_t n = 0;
    for (const UOptLong *l = sum_longs; l->name; l++)
        if (long_known(p, l->key)) v[n++] = *l;
    v[n] = (UOptLong){NULL, 0, 0};
}

/* ---------------------------------------------------------------- names */

static bool problematic(const char *s) { return s[strcspn(s, "\\\n\r")] != 0; }

static void put_name(UOut *o, const char *s, bool escape) {
    if (!escape) {
        uout_puts(o, s);
        return;
    }
    for (; *s; s++) {
        if (*s == '\n') uout_puts(o, "\\n");
        else if (*s == '\r') uout_puts(o, "\\r");
        else if (*s == '\\') uout_puts(o, "\\\\");
        else uout_putc(o, *s);
    }
}

/* Undoes put_name's escaping in place over s[0..len); NULL if malformed. */
static char *unescape_name(char *s, size_t len) {
    char *d = s;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == 0) return NULL;
        if (s[i] != '\\') {
            *d++ = s[i];
            continue;
        }
        if (++i == len) return NULL;
        if (s[i] == 'n') *d++ = '\n';
        else if (s[i] == 'r') *d++ = '\r';
        else if (s[i] == '\\') *d++ = '\\';
        else return NULL;
    }
    if (d < s + len) *d = 0;
    return s;
}

/* ---------------------------------------------------------------- digests */

/* Hashes a file ("-" is stdin). False after reporting an error; *missing
 * when it does not exist and --ignore-missing is on. */
static bool digest_file(Sum *s, const char *name, int algo, unsigned bits, uint8_t *out,
                        uint64_t *len, bool *missing) {
    *missing = false;
    UcFile *f = uc_open(s->c, name, "r");
    if (!f) {
        int e = errno;
        if (s->ignore_missing && e == ENOENT) {
            *missing = true;
            return true;
        }
        uout_flush(&s->out);
        u_err_file(s->c, name, e);
        return false;
    }
    HashCtx h;
    hash_init(&h, algos[algo].alg, bits / 8);
    enum { CHUNK = 1 << 16 };
    char *buf = xmalloc(CHUNK);
    bool ok = true;
    for (;;) {
        if (uc_should_stop(s->c)) {
            ok = false;
            break;
        }
        errno = 0;
        ssize_t n = uc_fread(f, buf, CHUNK);
        if (n < 0) {
            int e = errno ? errno : EIO;
            uout_flush(&s->out);
            u_err_file(s->c, name, e);
            ok = false;
            break;
        }
        if (n == 0) break;
        hash_update(&h, buf, (size_t)n);
    }
    free(buf);
    uc_close(f);
    hash_final(&h, out);
    *len = h.total;
    return ok;
}

static void output_digest(Sum *s, const char *name, const uint8_t *d) {
    bool esc = s->delim == '\n' && problematic(name);
    UOut *o = &s->out;
    if (esc) uout_putc(o, '\\');
    if (s->tag) {
        uout_puts(o, algos[s->algo].tag);
        if (s->algo == A_BLAKE2B && s->bits < 512) uout_printf(o, "-%u", s->bits);
        uout_puts(o, " (");
        put_name(o, name, esc);
        uout_puts(o, ") = ");
    }
    for (unsigned i = 0; i < s->bits / 8; i++) uout_printf(o, "%02x", d[i]);
    if (!s->tag) {
        uout_putc(o, ' ');
        uout_putc(o, s->binary > 0 ? '*' : ' ');
        put_name(o, name, esc);
    }
    uout_putc(o, s->delim);
}

static void output_small(Sum *s, const char *name, const uint8_t *d, uint64_t len) {
    UOut *o = &s->out;
    if (s->algo == A_CRC) {
        uint32_t v = (uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 | (uint32_t)d[2] << 8 | d[3];
        uout_printf(o, "%u %ju", v, (uintmax_t)len);
    } else if (s->algo == A_BSD) {
        uout_printf(o, "%05u %5ju", (unsigned)(d[0] << 8 | d[1]), (uintmax_t)((len + 1023) / 1024));
    } else {
        uout_printf(o, "%u %ju", (unsigned)(d[0] << 8 | d[1]), (uintmax_t)((len + 511) / 512));
    }
    if (s->args) uout_printf(o, " %s", name);
    uout_putc(o, s->delim);
}

static bool sum_one(Sum *s, const char *name) {
    uint8_t d[HASH_MAX_SIZE];
    uint64_t len;
    bool missing;
    if (!digest_file(s, name, s->algo, s->bits, d, &len, &missing)) return false;
    if (s->algo <= A_CRC) output_small(s, name, d, len);
    else output_digest(s, name, d);
    return true;
}

/* ---------------------------------------------------------------- --check */

#define ISWHITE(ch) ((ch) == ' ' || (ch) == '\t')

typedef struct Line {
    int algo;
    unsigned bits;
    char *digest;
    char *name;
} Line;

static bool valid_hex(const char *d, size_t len, unsigned bits) {
    if (len != bits / 4) return false;
    for (size_t i = 0; i < len; i++)
        if (!isxdigit((unsigned char)d[i])) return false;
    return d[len] == 0;
}

/* "NAME) = HEX" after "ALGO (". */
static bool split_bsd(char *p, size_t len, Line *l, bool escaped) {
    if (!len) return false;
    size_t i = len - 1;
    while (i && p[i] != ')') i--;
    if (p[i] != ')') return false;
    l->name = p;
    if (escaped && !unescape_name(p, i)) return false;
    p[i++] = 0;
    while (ISWHITE(p[i])) i++;
    if (p[i++] != '=') return false;
    while (ISWHITE(p[i])) i++;
    l->digest = p + i;
    return valid_hex(l->digest, len - i, l->bits);
}

static bool blake_capable(const Sum *s, int algo) {
    return s->prog == P_B2SUM || (s->prog == P_CKSUM && algo == A_BLAKE2B);
}

/* The algorithm named by a tag at p (cksum without -a), or -1. */
static int algo_from_tag(const char *p) {
    size_t n = 0;
    while (n <= 7 && p[n] && !ISWHITE(p[n]) && p[n] != '-' && p[n] != '(') n++;
    if (n > 7) return -1;
    for (int a = 0; a < A_N; a++)
        if (strlen(algos[a].tag) == n && !strncmp(p, algos[a].tag, n)) return a;
    return -1;
}

/* A tagged line after its tag: "[-BITS] (NAME) = HEX". */
static bool split_tagged(Sum *s, char *p, size_t len, size_t i, Line *l, bool escaped) {
    if (blake_capable(s, l->algo)) {
        l->bits = 512;
        if (p[i] == '-') {
            char *end;
            errno = 0;
            unsigned long long v = strtoull(p + i + 1, &end, 0);
            if (errno || end == p + i + 1 || v == 0 || v > 512 || v % 8) return false;
            l->bits = (unsigned)v;
            i = (size_t)(end - p);
        }
    }
    if (p[i] == ' ') i++;
    if (p[i] != '(') return false;
    i++;
    return split_bsd(p + i, len - i, l, escaped);
}

static bool split_line(Sum *s, char *p, size_t len, Line *l) {
    bool escaped = false;
    size_t i = 0;
    while (ISWHITE(p[i])) i++;
    if (p[i] == '\\') {
        i++;
        escaped = true;
    }
    l->algo = s->algo;
    l->bits = s->bits;
    if (s->prog == P_CKSUM && !s->algo_given) {
        int a = algo_from_tag(p + i);
        if (a <= A_CRC) return false; /* no tag, or a format that cannot be checked */
        s->algo = l->algo = a; /* as GNU, it stays the algorithm named in messages */
        l->bits = algos[a].bits;
    }
    const char *tag = algos[l->algo].tag;
    size_t tl = strlen(tag);
    if (!strncmp(p + i, tag, tl)) return split_tagged(s, p, len, i + tl, l, escaped);
    size_t min = (s->prog == P_B2SUM || s->prog == P_CKSUM) ? 3 : l->bits / 4 + 2;
    if (len - i < min + (p[i] == '\\')) return false;
    l->digest = p + i;
    if (blake_capable(s, l->algo)) {
        size_t hex = 0;
        while (isxdigit((unsigned char)p[i + hex])) hex++;
        if (hex < 2 || hex % 2 || hex > 128) return false;
        l->bits = (unsigned)hex * 4;
    }
    while (p[i] && !ISWHITE(p[i])) i++;
    if (i == len) return false;
    size_t dlen = (size_t)(p + i - l->digest);
    p[i++] = 0;
    if (!valid_hex(l->digest, dlen, l->bits)) return false;
    if (len - i == 1 || (p[i] != ' ' && p[i] != '*')) {
        /* "HEX NAME" (BSD reversed); not mixed with GNU lines */
        if (s->bsd_reversed == 0) return false;
        s->bsd_reversed = 1;
    } else if (s->bsd_reversed != 1) {
        s->bsd_reversed = 0;
        i++;
    }
    l->name = p + i;
    return !escaped || unescape_name(p + i, len - i);
}

static bool hex_equal(const char *hex, const uint8_t *d, unsigned bytes) {
    static const char digits[] = "0123456789abcdef";
    for (unsigned i = 0; i < bytes; i++)
        if (tolower((unsigned char)hex[2 * i]) != digits[d[i] >> 4] ||
            tolower((unsigned char)hex[2 * i + 1]) != digits[d[i] & 15])
            return false;
    return true;
}

typedef struct CheckCounts {
    uintmax_t misformatted, mismatched, unreadable;
    bool formatted, matched;
} CheckCounts;

static void check_entry(Sum *s, Line *l, CheckCounts *k) {
    bool esc = !s->status && strchr(l->name, '\n'), missing; /* 9.1 escapes only these here */
    uint8_t d[HASH_MAX_SIZE];
    uint64_t len;
    k->formatted = true;
    bool ok = digest_file(s, l->name, l->algo, l->bits, d, &len, &missing);
    if (!ok) {
        k->unreadable++;
        if (!s->status) {
            if (esc) uout_putc(&s->out, '\\');
            put_name(&s->out, l->name, esc);
            uout_puts(&s->out, ": FAILED open or read\n");
        }
        return;
    }
    if (missing) return;
    bool match = hex_equal(l->digest, d, l->bits / 8);
    if (match) k->matched = true;
    else k->mismatched++;
    if (s->status || (match && s->quiet)) return;
    if (esc) uout_putc(&s->out, '\\');
    put_name(&s->out, l->name, esc);
    uout_puts(&s->out, match ? ": OK\n" : ": FAILED\n");
}

static void warn_count(Sum *s, uintmax_t n, const char *one, const char *many) {
    if (n) uc_error(s->c, "WARNING: %ju %s", n, n == 1 ? one : many);
}

static bool check_file(Sum *s, const char *file) {
    bool is_stdin = !strcmp(file, "-");
    const char *shown = is_stdin ? "standard input" : file;
    UcFile *f = uc_open(s->c, file, "r");
    if (!f) {
        int e = errno;
        uout_flush(&s->out);
        u_err_file(s->c, file, e);
        return false;
    }
    CheckCounts k = {0};
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    uintmax_t lineno = 0;
    while (!uc_should_stop(s->c) && (n = uc_getdelim(f, &line, &cap, '\n')) > 0) {
        lineno++;
        size_t len = (size_t)n;
        if (line[0] == '#') continue;
        if (line[len - 1] == '\n') len--;
        if (len && line[len - 1] == '\r') len--;
        if (!len) continue;
        line[len] = 0;
        Line l;
        if (split_line(s, line, len, &l) && !(is_stdin && !strcmp(l.name, "-"))) {
            check_entry(s, &l, &k);
            continue;
        }
        k.misformatted++;
        if (s->warn) {
            char *q = u_quotef(shown);
            uout_flush(&s->out);
            uc_error(s->c, "%s: %ju: improperly formatted %s checksum line", q, lineno,
                     algos[l.algo].tag);
            free(q);
        }
    }
    free(line);
    uc_close(f);
    uout_flush(&s->out);
    char *q = u_quotef(shown);
    if (!k.formatted) {
        uc_error(s->c, "%s: no properly formatted checksum lines found", q);
    } else if (!s->status) {
        warn_count(s, k.misformatted, "line is improperly formatted", "lines are improperly formatted");
        warn_count(s, k.unreadable, "listed file could not be read", "listed files could not be read");
        warn_count(s, k.mismatched, "computed checksum did NOT match", "computed checksums did NOT match");
        if (s->ignore_missing && !k.matched) uc_error(s->c, "%s: no file was verified", q);
    }
    free(q);
    return k.formatted && k.mismatched == 0 && k.unreadable == 0 && (!s->strict || k.misformatted == 0) &&
           (!s->ignore_missing || k.matched);
}

/* ---------------------------------------------------------------- options */

static int usage_error(Sum *s, const char *msg) {
    if (msg) uc_error(s->c, "%s", msg);
    u_try_help(s->c);
    return 1;
}

static int parse_algorithm(Sum *s, const char *arg) {
    for (int a = 0; a < A_N; a++)
        if (!strcmp(arg, algos[a].arg)) {
            s->algo = a;
            s->algo_given = true;
            return 0;
        }
    char *q = u_quote(arg);
    uc_error(s->c, "invalid argument %s for '--algorithm'", q);
    free(q);
    uc_puts(s->c, 2, "Valid arguments are:\n");
    for (int a = 0; a < A_N; a++) uc_printf(s->c, 2, "  - '%s'\n", algos[a].arg);
    u_try_help(s->c);
    return 1;
}

static int parse_length(Sum *s, const char *arg) {
    uintmax_t v;
    char *q = u_quote(arg);
    int r = 0;
    if (!u_parse_uint(arg, &v) || v > 512) {
        uc_error(s->c, "invalid length: %s", q);
        if (u_parse_uint(arg, &v)) uc_error(s->c, "maximum digest length for 'BLAKE2b' is 512 bits");
        r = 1;
    } else if (v % 8) {
        uc_error(s->c, "invalid length: %s", q);
        uc_error(s->c, "length is not a multiple of 8");
        r = 1;
    } else {
        s->bits = (unsigned)v;
    }
    free(q);
    return r;
}

static const char *shortopts(Prog p) {
    switch (p) {
    case P_SUM: return "rs";
    case P_CKSUM: return "a:l:bctwz";
    case P_B2SUM: return "l:bctwz";
    default: return "bctwz";
    }
}

/* Parses argv into s; returns -1 to go on, or an exit status. */
static int parse_options(Sum *s, UOpts *o) {
    int k;
    bool length_bad = false;
    const char *length_arg = NULL;
    while ((k = uopt_next(o)) != UO_END) {
        switch (k) {
        case 'a': if (parse_algorithm(s, o->arg)) return 1; break;
        case 'l': length_arg = o->arg; break;
        case 'c': s->check = true; break;
        case O_STATUS: s->status = true, s->warn = false, s->quiet = false; break;
        case 'b':
        case 't':
            if (s->prog == P_CKSUM) return usage_error(s, NULL);
            s->binary = k == 'b';
            break;
        case 'w': s->status = false, s->warn = true, s->quiet = false; break;
        case O_IGNORE_MISSING: s->ignore_missing = true; break;
        case O_QUIET: s->status = false, s->warn = false, s->quiet = true; break;
        case O_STRICT: s->strict = true; break;
        case O_UNTAGGED:
            if (s->tag == 1) s->binary = -1;
            s->tag = 0;
            break;
        case O_TAG: s->tag = 1, s->binary = 1; break;
        case 'z': s->delim = 0; break;
        case 'r': s->algo = A_BSD; break;
        case 's':
        case O_SYSV: s->algo = A_SYSV; break;
        case UO_HELP: return u_help(s->c, "[OPTION]... [FILE]...");
        case UO_VERSION: return u_version(s->c);
        default: return 1;
        }
    }
    if (length_arg && parse_length(s, length_arg)) length_bad = true;
    if (length_bad) return 1;
    if (s->prog == P_CKSUM && length_arg && s->bits && s->algo != A_BLAKE2B) {
        uc_error(s->c, "--length is only supported with --algorithm=blake2b");
        return 1;
    }
    if (!s->bits || !length_arg) s->bits = algos[s->algo].bits;
    if (s->prog == P_CKSUM && s->check && s->algo_given && s->algo <= A_CRC) {
        uc_error(s->c, "--check is not supported with --algorithm={bsd,sysv,crc}");
        return 1;
    }
    if (s->prog == P_SUM) return -1;
    if (s->tag == -1) s->tag = s->prog == P_CKSUM;
    if (s->tag && !s->binary)
        return usage_error(s, s->prog == P_CKSUM ? "--text mode is only supported with --untagged"
                                                 : "--tag does not support --text mode");
    if (!s->delim && s->check)
        return usage_error(s, "the --zero option is not supported when verifying checksums");
    if (s->prog != P_CKSUM && s->tag && s->check)
        return usage_error(s, "the --tag option is meaningless when verifying checksums");
    if (s->binary >= 0 && s->check)
        return usage_error(s, "the --binary and --text options are meaningless when verifying checksums");
    static const struct {
        int flag;
        const char *name;
    } only_check[] = {{0, "ignore-missing"}, {1, "status"}, {2, "warn"}, {3, "quiet"}, {4, "strict"}};
    bool set[5] = {s->ignore_missing, s->status, s->warn, s->quiet, s->strict};
    for (int i = 0; i < 5 && !s->check; i++) {
        if (!set[only_check[i].flag]) continue;
        char msg[96];
        snprintf(msg, sizeof msg, "the --%s option is meaningful only when verifying checksums",
                 only_check[i].name);
        return usage_error(s, msg);
    }
    return -1;
}

/* Parses argv; NULL with *status set when the command is already done. */
static Sum *sum_new(UtilCtx *c, int argc, char **argv, Prog prog, int algo, int *status) {
    Sum *s = xcalloc(1, sizeof *s);
    *s = (Sum){.c = c, .prog = prog, .algo = algo, .binary = -1, .tag = -1, .delim = '\n', .bsd_reversed = -1};
    UOptLong longs[sizeof sum_longs / sizeof *sum_longs];
    program_longs(prog, longs);
    uopt_init(&s->o, c, argc, argv, shortopts(prog), longs);
    int st = parse_options(s, &s->o);
    s->o.longopts = NULL; /* longs is gone after this call */
    if (st >= 0) {
        *status = st;
        uopt_free(&s->o);
        free(s);
        return NULL;
    }
    uout_init(&s->out, c, 1);
    s->args = s->o.ops.n > 0;
    return s;
}

static int sum_free(Sum *s, bool ok) {
    int st = uout_close(&s->out) | !ok;
    uopt_free(&s->o);
    free(s);
    return st;
}

static int sum_main(UtilCtx *c, int argc, char **argv, Prog prog, int algo) {
    int st = 0;
    Sum *s = sum_new(c, argc, argv, prog, algo, &st);
    if (!s) return st;
    bool ok = true;
    for (size_t i = 0; i < (s->o.ops.n ? s->o.ops.n : 1) && !s->out.err; i++) {
        const char *file = s->o.ops.n ? s->o.ops.v[i] : "-";
        if (uc_should_stop(c)) break;
        ok &= s->check ? check_file(s, file) : sum_one(s, file);
    }
    return sum_free(s, ok);
}

/* Push mode: digesting stdin as a pipeline stage, chunk by chunk. */
static void *digest_start(UtilCtx *c, int argc, char **argv, int *status, Prog prog, int algo) {
    Sum *s = sum_new(c, argc, argv, prog, algo, status);
    if (s && (s->check || !u_push_ok(&s->o.ops))) {
        *status = -1;
        sum_free(s, true);
        return NULL;
    }
    if (s) hash_init(&s->h, algos[s->algo].alg, s->bits / 8);
    return s;
}

static int sum_feed(void *st, const char *data, size_t n) {
    hash_update(&((Sum *)st)->h, data, n);
    return 0;
}

static int sum_finish(void *st) {
    Sum *s = st;
    uint8_t d[HASH_MAX_SIZE];
    hash_final(&s->h, d);
    if (s->algo <= A_CRC) output_small(s, "-", d, s->h.total);
    else output_digest(s, "-", d);
    return sum_free(s, true);
}

#define SUM_UTIL(name, prog, algo)                                                          \
    int util_##name##_main(UtilCtx *c, int argc, char **argv) {                             \
        return sum_main(c, argc, argv, prog, algo);                                         \
    }                                                                                       \
    static void *name##_start(UtilCtx *c, int argc, char **argv, int *status) {             \
        return digest_start(c, argc, argv, status, prog, algo);                                \
    }                                                                                       \
    const UtilPushOps util_##name##_push = {name##_start, sum_feed, sum_finish};

SUM_UTIL(md5sum, P_DIGEST, A_MD5)
SUM_UTIL(sha1sum, P_DIGEST, A_SHA1)
SUM_UTIL(sha224sum, P_DIGEST, A_SHA224)
SUM_UTIL(sha256sum, P_DIGEST, A_SHA256)
SUM_UTIL(sha384sum, P_DIGEST, A_SHA384)
SUM_UTIL(sha512sum, P_DIGEST, A_SHA512)
SUM_UTIL(b2sum, P_B2SUM, A_BLAKE2B)
SUM_UTIL(cksum, P_CKSUM, A_CRC)
SUM_UTIL(sum, P_SUM, A_BSD)
