/* bzip2.c - bzip2, bunzip2 and bzcat as bzip2 1.0.8, on the codec of
 * src/bzip2: FILE becomes FILE.bz2 (or back: .bz2, .bz, .tbz2, .tbz; other
 * names get ".out"), keeping mode and times, removing the input unless -k or
 * -c; -d -z -c -k -f -t -q -v -1..-9 --fast --best (-s accepted). Messages
 * and exit statuses are bzip2's (1 for a file problem, 2 for bad data).
 * Standard input streams, also as a pipeline stage; the data written to
 * files counts against the run's memory budget. */
#include "bzip2.h"
#include "ucommon.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct Bz {
    UtilCtx *c;
    char prog[32];
    bool decompress, to_stdout, keep, force, test, quiet;
    int verbose, level, status;
    size_t longest;        /* for -v alignment: at least 7, as "(stdin)" */
    uint64_t written;
    bool aborted;
    bool test_failed;      /* -t: bzip2recover's note comes once, at the end */
} Bz;

static void bz_msg(Bz *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void bz_msg(Bz *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    StrBuf s;
    sb_init(&s);
    sb_vprintf(&s, fmt, ap);
    va_end(ap);
    uc_write(b->c, 2, s.s, s.len);
    sb_free(&s);
}

static void set_status(Bz *b, int st) {
    if (st > b->status) b->status = st;
}

typedef struct Out {
    Bz *b;
    int fd;          /* -1 stdout, -2 nowhere (-t) */
    uint64_t n;
    bool failed;
} Out;

static int out_sink(void *ctx, const uint8_t *p, size_t n) {
    Out *o = ctx;
    o->n += n;
    if (uc_should_stop(o->b->c)) return o->failed = true;
    if (o->fd == -2) return 0;
    if (o->fd == -1) {
        if (uc_write(o->b->c, 1, p, n) < 0) return o->failed = true;
        return 0;
    }
    o->b->written += n;
    if (!uc_within_memory(o->b->c, o->b->written, "data written by bzip2")) return o->failed = true;
    while (n) {
        ssize_t k = write(o->fd, p, n);
        if (k < 0) {
            if (errno == EINTR) continue;
            return o->failed = true;
        }
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

static const char corrupt_tail[] =
    "\nIt is possible that the compressed file(s) have become corrupted.\n"
    "You can use the -tvv option to test integrity of such files.\n\n"
    "You can use the `bzip2recover' program to attempt to recover\n"
    "data from undamaged sections of corrupted files.\n\n";

/* ---------------------------------------------------------------- decoding */

typedef struct Dec {
    Bz *b;
    BzDecoder *z;
    Out *out;
    const char *iname, *oname;
    int streams;
    bool failed, garbage, done;
} Dec;

static void dec_error(Dec *d, BzStatus st) {
    Bz *b = d->b;
    d->failed = true;
    if (st == BZ_STOPPED) {
        b->aborted = true;
        return;
    }
    if (b->test) {
        const char *what = st == BZ_EMAGIC ? "bad magic number (file not created by bzip2)"
                         : st == BZ_ECRC ? "data integrity (CRC) error in data" : "file ends unexpectedly";
        if (!b->verbose) bz_msg(b, "%s: %s: ", b->prog, d->iname);
        bz_msg(b, "%s\n", what);
        b->test_failed = true;
    } else if (st == BZ_EMAGIC) {
        bz_msg(b, "%s: %s is not a bzip2 file.\n", b->prog, d->iname);
    } else if (st == BZ_ECRC || st == BZ_EDATA) {
        bz_msg(b, "\n%s: Data integrity error when decompressing.\n\tInput file = %s, output file = %s\n%s",
               b->prog, d->iname, d->oname, corrupt_tail);
    }
    set_status(b, 2);
}

/* Returns false once no more input is wanted. */
static bool dec_feed(Dec *d, const uint8_t *p, size_t n, bool at_end) {
    while (!d->failed && !d->garbage) {
        size_t used;
        BzStatus st = bz_decode(d->z, p, n, at_end, &used, out_sink, d->out);
        if (used) p += used, n -= used; /* p may be NULL at the end */
        if (st == BZ_END) {
            d->streams++;
            bz_decoder_reset(d->z);
            if (!n && !bz_decoder_pending(d->z)) {
                if (at_end) d->done = true;
                return true;
            }
            continue;
        }
        if (st == BZ_EMAGIC && d->streams > 0) {
            /* after a good stream: garbage, as bzip2 warns */
            if (!d->b->quiet) bz_msg(d->b, "\n%s: %s: trailing garbage after EOF ignored\n", d->b->prog, d->iname);
            d->garbage = true;
            return false;
        }
        if (st == BZ_EDATA && at_end && d->streams > 0 && !bz_decoder_pending(d->z)) return true;
        if (st == BZ_EDATA && at_end) {
            if (d->b->test) {
                dec_error(d, st);
                return false;
            }
            bz_msg(d->b, "\n%s: Compressed file ends unexpectedly;\n\tperhaps it is corrupted?  *Possible* reason follows.\n"
                         "%s: Success\n\tInput file = %s, output file = %s\n%s",
                   d->b->prog, d->b->prog, d->iname, d->oname, corrupt_tail);
            set_status(d->b, 2);
            d->failed = true;
            return false;
        }
        if (st != BZ_OK) {
            dec_error(d, st);
            return false;
        }
        return true;
    }
    return false;
}

static bool dec_end(Dec *d) {
    if (d->failed || d->garbage) return !d->failed;
    dec_feed(d, NULL, 0, true);
    if (!d->failed && !d->garbage && d->streams == 0) {
        /* an empty input is not a bzip2 file either */
        dec_error(d, BZ_EMAGIC);
    }
    return !d->failed;
}

/* ---------------------------------------------------------------- files */

static bool read_all(Bz *b, int fd, UcFile *f, bool (*feed)(void *, const uint8_t *, size_t), void *st) {
    uint8_t *buf = xmalloc(1 << 16);
    bool ok = true;
    for (;;) {
        if (uc_should_stop(b->c)) {
            ok = false;
            b->aborted = true;
            break;
        }
        ssize_t n = f ? uc_fread(f, buf, 1 << 16) : read(fd, buf, 1 << 16);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            ok = false;
            break;
        }
        if (n == 0 || !feed(st, buf, (size_t)n)) break;
    }
    free(buf);
    return ok;
}

static bool dec_feed_cb(void *st, const uint8_t *p, size_t n) { return dec_feed(st, p, n, false); }

typedef struct Enc {
    Bz *b;
    BzEncoder *z;
    Out *out;
    uint64_t in;
} Enc;

static bool enc_feed_cb(void *st, const uint8_t *p, size_t n) {
    Enc *e = st;
    e->in += n;
    return bz_encode(e->z, p, n, out_sink, e->out) == BZ_OK;
}

static const char *has_suffix(const char *name, const char *suf) {
    size_t n = strlen(name), s = strlen(suf);
    return n > s && !strcmp(name + n - s, suf) ? name + n - s : NULL;
}

/* The output name for decompressing name; false when guessed (".out"). */
static bool unzipped_name(const char *name, StrBuf *out) {
    static const char *const sufs[][2] = {{".bz2", ""}, {".bz", ""}, {".tbz2", ".tar"}, {".tbz", ".tar"}};
    for (size_t i = 0; i < 4; i++) {
        const char *s = has_suffix(name, sufs[i][0]);
        if (s) {
            sb_put(out, name, (size_t)(s - name));
            sb_puts(out, sufs[i][1]);
            return true;
        }
    }
    sb_printf(out, "%s.out", name);
    return false;
}

static void verbose_ratio(Bz *b, const char *name, uint64_t in, uint64_t out) {
    /* bzip2's line: the compression ratio, bits per byte and the saving */
    size_t pad = b->longest > strlen(name) ? b->longest - strlen(name) : 0;
    uint64_t raw = b->decompress ? out : in, packed = b->decompress ? in : out;
    StrBuf s;
    sb_init(&s);
    if (b->decompress) {
        sb_printf(&s, "  %s: %*sdone\n", name, (int)pad, "");
    } else if (raw == 0) {
        sb_printf(&s, "  %s: %*sno data compressed.\n", name, (int)pad, "");
    } else {
        sb_printf(&s, "  %s: %*s%6.3f:1, %6.3f bits/byte, %5.2f%% saved, %ju in, %ju out.\n", name, (int)pad, "",
                  (double)raw / (double)packed, 8.0 * (double)packed / (double)raw,
                  100.0 * (1.0 - (double)packed / (double)raw), (uintmax_t)raw, (uintmax_t)packed);
    }
    uc_write(b->c, 2, s.s, s.len);
    sb_free(&s);
}

static void copy_times(const char *path, const struct stat *st) {
    if (chmod(path, st->st_mode & 07777) != 0) { /* best effort */ }
    struct timespec ts[2] = {st->st_atim, st->st_mtim};
    if (utimensat(AT_FDCWD, path, ts, 0) != 0) { /* best effort */ }
}

static void one_stream(Bz *b, const char *path);

static void one_file(Bz *b, const char *name) {
    struct stat st;
    if (stat(name, &st) != 0) {
        int err = errno;
        if ((b->to_stdout || b->test) && uc_stat(b->c, name, &st) == 0 && S_ISFIFO(st.st_mode)) {
            one_stream(b, name);
            return;
        }
        bz_msg(b, "%s: Can't open input file %s: %s.\n", b->prog, name, strerror(err));
        set_status(b, 1);
        return;
    }
    if (S_ISDIR(st.st_mode)) {
        bz_msg(b, "%s: Input file %s is a directory.\n", b->prog, name);
        set_status(b, 1);
        return;
    }
    StrBuf oname;
    sb_init(&oname);
    bool to_file = !b->to_stdout && !b->test;
    if (b->decompress) {
        bool guessed = !unzipped_name(name, &oname);
        if (guessed && to_file && !b->quiet)
            bz_msg(b, "%s: Can't guess original name for %s -- using %s\n", b->prog, name, sb_cstr(&oname));
    } else {
        if (to_file && (has_suffix(name, ".bz2") || has_suffix(name, ".bz") || has_suffix(name, ".tbz2") ||
                        has_suffix(name, ".tbz"))) {
            if (!b->quiet) bz_msg(b, "%s: Input file %s already has %s suffix.\n", b->prog, name, strrchr(name, '.'));
            set_status(b, 1);
            sb_free(&oname);
            return;
        }
        sb_printf(&oname, "%s.bz2", name);
    }
    if (to_file && !S_ISREG(st.st_mode)) {
        bz_msg(b, "%s: Input file %s is not a normal file.\n", b->prog, name);
        set_status(b, 1);
        sb_free(&oname);
        return;
    }
    int in = open(name, O_RDONLY);
    if (in < 0) {
        bz_msg(b, "%s: Can't open input file %s: %s.\n", b->prog, name, strerror(errno));
        set_status(b, 1);
        sb_free(&oname);
        return;
    }
    Out out = {.b = b, .fd = b->test ? -2 : -1};
    if (to_file) {
        struct stat ost;
        if (lstat(sb_cstr(&oname), &ost) == 0) {
            if (!b->force) {
                bz_msg(b, "%s: Output file %s already exists.\n", b->prog, sb_cstr(&oname));
                set_status(b, 1);
                close(in);
                sb_free(&oname);
                return;
            }
            unlink(sb_cstr(&oname));
        }
        out.fd = open(sb_cstr(&oname), O_WRONLY | O_CREAT | O_EXCL, 0600);
        if (out.fd < 0) {
            bz_msg(b, "%s: Can't create output file %s: %s.\n", b->prog, sb_cstr(&oname), strerror(errno));
            set_status(b, 1);
            close(in);
            sb_free(&oname);
            return;
        }
    }
    if (b->verbose && !b->decompress) {
        /* printed with the ratio below */
    } else if (b->verbose || b->test) {
        if (b->verbose) {
            size_t pad = b->longest > strlen(name) ? b->longest - strlen(name) : 0;
            bz_msg(b, "  %s: %*s", name, (int)pad, "");
        }
    }
    bool ok;
    uint64_t in_bytes = (uint64_t)st.st_size;
    if (b->decompress) {
        Dec d = {.b = b, .z = bz_decoder_new(), .out = &out, .iname = name,
                 .oname = to_file ? sb_cstr(&oname) : "(stdout)"};
        read_all(b, in, NULL, dec_feed_cb, &d);
        ok = dec_end(&d) && !out.failed;
        bz_decoder_free(d.z);
        if (ok && b->verbose) uc_puts(b->c, 2, b->test ? "ok\n" : "done\n");
    } else {
        Enc e = {.b = b, .z = bz_encoder_new(b->level), .out = &out};
        ok = read_all(b, in, NULL, enc_feed_cb, &e) && bz_encode_finish(e.z, out_sink, &out) == BZ_OK && !out.failed;
        bz_encoder_free(e.z);
        if (ok && b->verbose) verbose_ratio(b, name, in_bytes, out.n);
    }
    close(in);
    if (out.fd >= 0) {
        close(out.fd);
        if (ok) {
            copy_times(sb_cstr(&oname), &st);
            if (!b->keep && unlink(name) != 0) set_status(b, 1);
        } else {
            unlink(sb_cstr(&oname));
        }
    }
    sb_free(&oname);
}

/* Standard input ("-", named "(stdin)"), or a shell fd named by PATH (bzcat <(...)). */
static void one_stream(Bz *b, const char *path) {
    bool std = !strcmp(path, "-");
    const char *iname = std ? "(stdin)" : path;
    UcFile *f = uc_open(b->c, path, "r");
    if (!f) {
        if (!std) bz_msg(b, "%s: Can't open input file %s: %s.\n", b->prog, path, strerror(errno)), set_status(b, 1);
        return;
    }
    Out out = {.b = b, .fd = b->test ? -2 : -1};
    if (b->decompress) {
        Dec d = {.b = b, .z = bz_decoder_new(), .out = &out, .iname = iname, .oname = "(stdout)"};
        read_all(b, -1, f, dec_feed_cb, &d);
        bool ok = dec_end(&d);
        if (ok && b->test && b->verbose) uc_printf(b->c, 2, "  %s: ok\n", iname);
        bz_decoder_free(d.z);
    } else {
        Enc e = {.b = b, .z = bz_encoder_new(b->level), .out = &out};
        if (read_all(b, -1, f, enc_feed_cb, &e)) bz_encode_finish(e.z, out_sink, &out);
        bz_encoder_free(e.z);
    }
    uc_close(f);
}

/* ---------------------------------------------------------------- options */

static const char usage[] =
    "%s, a block-sorting file compressor.  Version 1.0.8, 13-Jul-2019.\n\n"
    "   usage: %s [flags and input files in any order]\n\n"
    "   -h --help           print this message\n"
    "   -d --decompress     force decompression\n"
    "   -z --compress       force compression\n"
    "   -k --keep           keep (don't delete) input files\n"
    "   -f --force          overwrite existing output files\n"
    "   -t --test           test compressed file integrity\n"
    "   -c --stdout         output to standard out\n"
    "   -q --quiet          suppress noncritical error messages\n"
    "   -v --verbose        be verbose (a 2nd -v gives more)\n"
    "   -L --license        display software version & license\n"
    "   -V --version        display software version & license\n"
    "   -s --small          use less memory (at most 2500k)\n"
    "   -1 .. -9            set block size to 100k .. 900k\n"
    "   --fast              alias for -1\n"
    "   --best              alias for -9\n\n"
    "   If invoked as `bzip2', default action is to compress.\n"
    "              as `bunzip2',  default action is to decompress.\n"
    "              as `bzcat', default action is to decompress to stdout.\n\n"
    "   If no file names are given, bzip2 compresses or decompresses\n"
    "   from standard input to standard output.  You can combine\n"
    "   short flags, so `-v -4' means the same as -v4 or -4v, &c.\n\n";

/* bzip2's own option rules: flags anywhere, "--" ends them. Returns -1 to go on. */
static int bz_parse(Bz *b, int argc, char **argv, StrList *files) {
    bool flags_done = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!flags_done && !strcmp(a, "--")) {
            flags_done = true;
            continue;
        }
        if (flags_done || a[0] != '-' || !a[1]) {
            sl_push_copy(files, a);
            continue;
        }
        if (a[1] == '-') {
            const char *l = a + 2;
            if (!strcmp(l, "stdout")) b->to_stdout = true;
            else if (!strcmp(l, "decompress")) b->decompress = true;
            else if (!strcmp(l, "compress")) b->decompress = false;
            else if (!strcmp(l, "force")) b->force = true;
            else if (!strcmp(l, "test")) b->test = true;
            else if (!strcmp(l, "keep")) b->keep = true;
            else if (!strcmp(l, "small") || !strcmp(l, "repetitive-fast") || !strcmp(l, "repetitive-best")) { }
            else if (!strcmp(l, "quiet")) b->quiet = true;
            else if (!strcmp(l, "verbose")) b->verbose++;
            else if (!strcmp(l, "fast")) b->level = 1;
            else if (!strcmp(l, "best")) b->level = 9;
            else if (!strcmp(l, "help") || !strcmp(l, "license") || !strcmp(l, "version")) {
                StrBuf s;
                sb_init(&s);
                sb_printf(&s, usage, b->prog, b->prog);
                uc_write(b->c, 2, s.s, s.len);
                sb_free(&s);
                return 0;
            } else {
                bz_msg(b, "%s: Bad flag `%s'\n", b->prog, a);
                StrBuf s;
                sb_init(&s);
                sb_printf(&s, usage, b->prog, b->prog);
                uc_write(b->c, 2, s.s, s.len);
                sb_free(&s);
                return 1;
            }
            continue;
        }
        for (const char *p = a + 1; *p; p++) {
            switch (*p) {
            case 'c': b->to_stdout = true; break;
            case 'd': b->decompress = true; break;
            case 'z': b->decompress = false; break;
            case 'f': b->force = true; break;
            case 't': b->test = true; break;
            case 'k': b->keep = true; break;
            case 's': break;
            case 'q': b->quiet = true; break;
            case 'v': b->verbose++; break;
            case 'h':
            case 'L':
            case 'V': {
                StrBuf s;
                sb_init(&s);
                sb_printf(&s, usage, b->prog, b->prog);
                uc_write(b->c, 2, s.s, s.len);
                sb_free(&s);
                return 0;
            }
            default:
                if (*p >= '1' && *p <= '9') {
                    b->level = *p - '0';
                    break;
                }
                bz_msg(b, "%s: Bad flag `%s'\n", b->prog, a);
                StrBuf s;
                sb_init(&s);
                sb_printf(&s, usage, b->prog, b->prog);
                uc_write(b->c, 2, s.s, s.len);
                sb_free(&s);
                return 1;
            }
        }
    }
    if (b->test) b->decompress = true;
    return -1;
}

/* After the files of -t, as bzip2 does (not with -q). */
static void test_summary(Bz *b) {
    if (b->test_failed && !b->quiet)
        bz_msg(b, "\nYou can use the `bzip2recover' program to attempt to recover\n"
                  "data from undamaged sections of corrupted files.\n\n");
}

typedef enum Flavor { F_BZIP2, F_BUNZIP2, F_BZCAT } Flavor;

static int bz_main(UtilCtx *c, int argc, char **argv, Flavor fl) {
    Bz b = {.c = c, .level = 9, .decompress = fl != F_BZIP2, .to_stdout = fl == F_BZCAT, .longest = 7};
    snprintf(b.prog, sizeof b.prog, "%s", uc_name(c));
    StrList files;
    sl_init(&files);
    int st = bz_parse(&b, argc, argv, &files);
    if (st >= 0) {
        sl_free(&files);
        return st;
    }
    for (size_t i = 0; i < files.n; i++)
        if (strlen(files.v[i]) > b.longest) b.longest = strlen(files.v[i]);
    if (!files.n) one_stream(&b, "-");
    for (size_t i = 0; i < files.n && !b.aborted && !uc_should_stop(c); i++) {
        if (!strcmp(files.v[i], "-")) one_stream(&b, "-");
        else one_file(&b, files.v[i]);
    }
    sl_free(&files);
    test_summary(&b);
    return b.status;
}

int util_bzip2_main(UtilCtx *c, int argc, char **argv) { return bz_main(c, argc, argv, F_BZIP2); }
int util_bunzip2_main(UtilCtx *c, int argc, char **argv) { return bz_main(c, argc, argv, F_BUNZIP2); }
int util_bzcat_main(UtilCtx *c, int argc, char **argv) { return bz_main(c, argc, argv, F_BZCAT); }

/* ---------------------------------------------------------------- push */

typedef struct BzPush {
    Bz b;
    Out out;
    Dec d;
    Enc e;
} BzPush;

static void *bz_start(UtilCtx *c, int argc, char **argv, int *status, Flavor fl) {
    BzPush *p = xcalloc(1, sizeof *p);
    p->b = (Bz){.c = c, .level = 9, .decompress = fl != F_BZIP2, .to_stdout = fl == F_BZCAT, .longest = 7};
    snprintf(p->b.prog, sizeof p->b.prog, "%s", uc_name(c));
    StrList files;
    sl_init(&files);
    int st = bz_parse(&p->b, argc, argv, &files);
    bool files_given = files.n > 0;
    sl_free(&files);
    if (st >= 0 || files_given) {
        *status = st >= 0 ? st : -1;
        free(p);
        return NULL;
    }
    p->out = (Out){.b = &p->b, .fd = p->b.test ? -2 : -1};
    if (p->b.decompress) p->d = (Dec){.b = &p->b, .z = bz_decoder_new(), .out = &p->out, .iname = "(stdin)", .oname = "(stdout)"};
    else p->e = (Enc){.b = &p->b, .z = bz_encoder_new(p->b.level), .out = &p->out};
    return p;
}

static int bz_feed(void *st, const char *data, size_t n) {
    BzPush *p = st;
    if (p->b.decompress) return !dec_feed(&p->d, (const uint8_t *)data, n, false) && !p->d.garbage ? 1 : 0;
    return !enc_feed_cb(&p->e, (const uint8_t *)data, n);
}

static int bz_finish(void *st) {
    BzPush *p = st;
    if (p->b.decompress) {
        bool ok = dec_end(&p->d);
        if (ok && p->b.test && p->b.verbose) uc_puts(p->b.c, 2, "  (stdin): ok\n");
        bz_decoder_free(p->d.z);
        test_summary(&p->b);
    } else {
        bz_encode_finish(p->e.z, out_sink, &p->out);
        bz_encoder_free(p->e.z);
    }
    int status = p->b.status;
    free(p);
    return status;
}

static void *bzip2_start(UtilCtx *c, int argc, char **argv, int *s) { return bz_start(c, argc, argv, s, F_BZIP2); }
static void *bunzip2_start(UtilCtx *c, int argc, char **argv, int *s) { return bz_start(c, argc, argv, s, F_BUNZIP2); }
static void *bzcat_start(UtilCtx *c, int argc, char **argv, int *s) { return bz_start(c, argc, argv, s, F_BZCAT); }

const UtilPushOps util_bzip2_push = {bzip2_start, bz_feed, bz_finish};
const UtilPushOps util_bunzip2_push = {bunzip2_start, bz_feed, bz_finish};
const UtilPushOps util_bzcat_push = {bzcat_start, bz_feed, bz_finish};
