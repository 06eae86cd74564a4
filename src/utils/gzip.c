/* gzip.c - gzip, gunzip and zcat as gzip 1.12 (gunzip is gzip -d, zcat is
 * gzip -cd; all three name themselves "gzip" in messages, as the GNU scripts
 * do), on the codec of src/deflate.
 *
 * Files: FILE becomes FILE.gz (or back), keeping mode and times, and the
 * input is removed unless -k or -c; existing outputs are kept unless -f;
 * links, directories (without -r) and files with or without the suffix are
 * skipped with gzip's warnings (exit status 2). The header stores the base
 * name and mtime (not with -n); gunzip -N restores them. Decompression
 * handles multi-member files, trailing zeros and trailing garbage as gzip
 * does; corrupt data ends the whole command, as in gzip.
 *
 * Standard input streams in both directions, also as a pipeline stage (push
 * operations), with bounded memory. The data written to files counts
 * against the run's memory budget (uc_within_memory), so a decompression
 * bomb ends with a clear message. */
#include "deflate.h"
#include "ucommon.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { GZ_OK = 0, GZ_ERROR = 1, GZ_WARNING = 2 };
enum { CHUNK = 1 << 16 };

typedef struct Gz {
    UtilCtx *c;
    bool to_stdout, decompress, force, keep, list, test, quiet, recursive, aborted;
    int verbose, no_name, no_time, level;
    const char *suffix;
    int exit_code;
    size_t file_count;
    uint64_t written;       /* bytes written to files, for the memory budget */
    /* --list */
    bool list_started;
    int64_t total_in, total_out, header_bytes;
} Gz;

/* Where output goes: stdout, a file, or nowhere (-t, -l). */
typedef struct Out {
    Gz *g;
    int fd;                 /* -1: stdout */
    bool discard;
    uint64_t n;
    int err;                /* errno of a failed write */
    bool stopped;
} Out;

static void gz_warn_status(Gz *g) {
    if (g->exit_code == GZ_OK) g->exit_code = GZ_WARNING;
}

/* "gzip: " + message, on stderr (gzip's name whatever argv[0] was). */
static void gz_msg(Gz *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void gz_msg(Gz *g, const char *fmt, ...) {
    StrBuf b;
    sb_init(&b);
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&b, fmt, ap);
    va_end(ap);
    uc_write(g->c, 2, sb_cstr(&b), b.len);
    sb_free(&b);
}

/* A warning: printed unless -q, and exit status 2 unless already 1. */
#define GZ_WARN(g, ...)                          \
    do {                                         \
        if (!(g)->quiet) gz_msg((g), __VA_ARGS__); \
        gz_warn_status(g);                       \
    } while (0)

static void gz_error_file(Gz *g, const char *name, int err) {
    char *q = u_quotef(name);
    gz_msg(g, "gzip: %s: %s\n", q, strerror(err));
    free(q);
    g->exit_code = GZ_ERROR;
}

static int out_sink(void *ctx, const uint8_t *d, size_t n) {
    Out *o = ctx;
    Gz *g = o->g;
    o->n += n;
    if (o->discard) return uc_should_stop(g->c) ? (o->stopped = true) : 0;
    if (o->fd < 0) {
        if (uc_write(g->c, 1, d, n) < 0) {
            o->err = errno ? errno : EIO;
            return 1;
        }
    } else {
        g->written += n;
        if (!uc_within_memory(g->c, g->written, "data written by gzip")) {
            o->stopped = true;
            return 1;
        }
        while (n) {
            ssize_t w = write(o->fd, d, n);
            if (w < 0) {
                if (errno == EINTR) continue;
                o->err = errno;
                return 1;
            }
            d += w;
            n -= (size_t)w;
        }
    }
    if (uc_should_stop(g->c)) {
        o->stopped = true;
        return 1;
    }
    return 0;
}

/* ---------------------------------------------------------------- decoding */

/* Decompression of one input, fed in chunks: members, trailing zeros or
 * garbage, and (-cf) data that is not gzip at all, copied as is. */
typedef enum DecState { D_HEAD, D_MEMBER, D_ZEROS, D_GARBAGE, D_COPY, D_DONE } DecState;

typedef struct Dec {
    Gz *g;
    Out *out;
    const char *ifname;     /* for messages ("stdin" for standard input) */
    DflInflater *z;
    DecState st;
    uint8_t head[2];
    size_t nhead;
    int part;               /* members seen */
    bool failed;            /* stop feeding: error reported */
    bool zero_seen;
    int64_t header_bytes;   /* first member's header + trailer, for ratios */
    uint32_t last_crc;
    DflGzipInfo info;       /* first member's header */
} Dec;

static void dec_init(Dec *d, Gz *g, Out *out, const char *ifname) {
    memset(d, 0, sizeof *d);
    d->g = g;
    d->out = out;
    d->ifname = ifname;
    d->z = dfl_inflate_new(DFL_GZIP);
}

static void dec_free(Dec *d) { dfl_inflate_free(d->z); }

/* A fatal data error: gzip reports it and exits (remaining files are skipped). */
static void dec_abort(Dec *d, const char *what) {
    gz_msg(d->g, "\ngzip: %s: %s\n", d->ifname, what);
    d->g->exit_code = GZ_ERROR;
    d->g->aborted = true;
    d->failed = true;
}

static void dec_report(Dec *d, DflStatus st) {
    Gz *g = d->g;
    char *q = u_quotef(d->ifname);
    const DflGzipInfo *info = dfl_inflate_gzip_info(d->z);
    d->failed = true;
    switch (st) {
    case DFL_EMETHOD:
        gz_msg(g, "gzip: %s: unknown method %d -- not supported\n", q, info->method);
        g->exit_code = GZ_ERROR;
        break;
    case DFL_EFLAGS:
        if (info->flags & 0x20) gz_msg(g, "gzip: %s is encrypted -- not supported\n", q);
        else gz_msg(g, "gzip: %s has flags 0x%x -- not supported\n", q, info->flags);
        g->exit_code = GZ_ERROR;
        break;
    case DFL_ECRC:
    case DFL_ELENGTH:
        gz_msg(g, "\ngzip: %s: %s\n", d->ifname, dfl_strerror(st));
        g->exit_code = GZ_ERROR;
        break;
    case DFL_STOPPED:
        if (d->out->err && d->out->err != EPIPE) {
            gz_msg(g, "gzip: %s: %s\n", d->out->fd < 0 ? "stdout" : "output", strerror(d->out->err));
            g->exit_code = GZ_ERROR;
        } else if (d->out->err == EPIPE) {
            g->aborted = true; /* a closed pipe: stop quietly, as SIGPIPE would */
        }
        break;
    default: dec_abort(d, dfl_strerror(st)); break;
    }
    free(q);
}

/* Decides what the two bytes at the start of a member mean. */
static void dec_head(Dec *d) {
    Gz *g = d->g;
    bool magic = d->head[0] == 0x1f && (d->head[1] == 0x8b || d->head[1] == 0x9e);
    d->part++;
    if (magic) {
        if (d->part > 1) dfl_inflate_reset(d->z);
        d->st = D_MEMBER;
        static const uint8_t gz_magic[2] = {0x1f, 0x8b};
        size_t used;
        DflStatus r = dfl_inflate(d->z, gz_magic, 2, &used, out_sink, d->out);
        if (r != DFL_OK) dec_report(d, r);
        return;
    }
    if (d->part == 1) {
        if (g->force && g->to_stdout && !g->list) {
            d->st = D_COPY;
            if (out_sink(d->out, d->head, d->nhead)) dec_report(d, DFL_STOPPED);
            return;
        }
        char *q = u_quotef(d->ifname);
        gz_msg(g, "\ngzip: %s: not in gzip format\n", q);
        free(q);
        g->exit_code = GZ_ERROR;
        d->failed = true;
        return;
    }
    if (d->head[0] == 0 && (d->nhead < 2 || d->head[1] == 0)) {
        d->st = D_ZEROS;
        return;
    }
    d->st = D_GARBAGE;
    char *q = u_quotef(d->ifname);
    GZ_WARN(g, "\ngzip: %s: decompression OK, trailing garbage ignored\n", q);
    free(q);
}

/* Returns false once no more input is wanted. */
static bool dec_feed(Dec *d, const uint8_t *p, size_t n) {
    while (n && !d->failed) {
        switch (d->st) {
        case D_HEAD:
            d->head[d->nhead++] = *p++;
            n--;
            if (d->nhead == 2) dec_head(d);
            break;
        case D_MEMBER: {
            size_t used;
            DflStatus r = dfl_inflate(d->z, p, n, &used, out_sink, d->out);
            p += used;
            n -= used;
            if (r == DFL_END) {
                if (d->part == 1) {
                    d->info = *dfl_inflate_gzip_info(d->z);
                    d->header_bytes = (int64_t)d->info.header_len + 8;
                }
                d->last_crc = dfl_inflate_check(d->z);
                d->st = D_HEAD;
                d->nhead = 0;
            } else if (r != DFL_OK) {
                dec_report(d, r);
            }
            break;
        }
        case D_ZEROS:
            while (n && *p == 0) p++, n--;
            if (n) {
                d->st = D_GARBAGE;
                char *q = u_quotef(d->ifname);
                GZ_WARN(d->g, "\ngzip: %s: decompression OK, trailing garbage ignored\n", q);
                free(q);
            }
            break;
        case D_GARBAGE: return false;
        case D_COPY:
            if (out_sink(d->out, p, n)) dec_report(d, DFL_STOPPED);
            n = 0;
            break;
        case D_DONE: return false;
        }
    }
    return !d->failed && d->st != D_GARBAGE;
}

/* The end of the input: a member cut short, or a lone byte of a header. */
static void dec_end(Dec *d) {
    if (d->failed) return;
    if (d->st == D_MEMBER || (d->st == D_HEAD && (d->part == 0 || d->nhead == 1))) {
        if (d->st == D_HEAD && d->part > 0 && d->head[0] == 0) return; /* one trailing zero */
        if (d->st == D_HEAD && d->part == 0 && d->g->force && d->g->to_stdout && !d->g->list) {
            if (d->nhead && out_sink(d->out, d->head, d->nhead)) dec_report(d, DFL_STOPPED);
            return;
        }
        dec_abort(d, "unexpected end of file");
        return;
    }
    if (d->st == D_ZEROS && d->g->verbose) {
        char *q = u_quotef(d->ifname);
        GZ_WARN(d->g, "\ngzip: %s: decompression OK, trailing zero bytes ignored\n", q);
        free(q);
    }
}

/* ---------------------------------------------------------------- reading */

typedef struct In {
    UtilCtx *c;
    int fd;          /* a file, or -1 for stdin */
    UcFile *f;       /* stdin */
    int64_t n;       /* bytes read */
} In;

static ssize_t in_read(In *in, void *buf, size_t n) {
    ssize_t r;
    if (in->fd >= 0) {
        do r = read(in->fd, buf, n);
        while (r < 0 && errno == EINTR);
    } else {
        r = uc_fread(in->f, buf, n);
    }
    if (r > 0) in->n += r;
    return r;
}

/* Decompresses all of in. Returns false on a read error (reported). */
static bool decompress_all(Gz *g, In *in, Dec *d) {
    uint8_t *buf = xmalloc(CHUNK);
    bool ok = true;
    for (;;) {
        if (uc_should_stop(g->c)) {
            d->failed = true;
            break;
        }
        errno = 0;
        ssize_t n = in_read(in, buf, CHUNK);
        if (n < 0) {
            gz_error_file(g, d->ifname, errno ? errno : EIO);
            d->failed = true;
            ok = false;
            break;
        }
        if (n == 0) {
            dec_end(d);
            break;
        }
        if (!dec_feed(d, buf, (size_t)n)) break;
    }
    free(buf);
    return ok;
}

typedef struct Enc {
    DflDeflater *z;
    int64_t header_bytes;
} Enc;

static bool enc_init(Gz *g, Enc *e, const char *name, uint32_t mtime) {
    DflGzipHeader h = {g->no_name ? NULL : name, g->no_time ? 0 : mtime};
    e->z = dfl_deflate_new(DFL_GZIP, g->level, &h);
    e->header_bytes = 10 + (h.name ? (int64_t)strlen(h.name) + 1 : 0) + 8;
    return e->z != NULL;
}

static bool compress_all(Gz *g, In *in, Enc *e, Out *out) {
    uint8_t *buf = xmalloc(CHUNK);
    bool ok = true;
    for (;;) {
        if (uc_should_stop(g->c)) {
            ok = false;
            break;
        }
        errno = 0;
        ssize_t n = in_read(in, buf, CHUNK);
        if (n < 0) {
            gz_error_file(g, in->fd >= 0 ? "input" : "stdin", errno ? errno : EIO);
            ok = false;
            break;
        }
        if (n == 0) break;
        if (dfl_deflate(e->z, buf, (size_t)n, out_sink, out) != DFL_OK) {
            ok = false;
            break;
        }
    }
    if (ok && dfl_deflate_finish(e->z, out_sink, out) != DFL_OK) ok = false;
    free(buf);
    return ok;
}

/* ---------------------------------------------------------------- reports */

static void put_ratio(StrBuf *b, int64_t num, int64_t den) {
    sb_printf(b, "%5.1f%%", den == 0 ? 0.0 : 100.0 * (double)num / (double)den);
}

static void list_line(Gz *g, UOut *o, int64_t in_bytes, int64_t out_bytes, uint32_t crc, int64_t header_bytes,
                      const char *oname, time_t mtime) {
    StrBuf b;
    sb_init(&b);
    if (!g->list_started) {
        g->list_started = true;
        if (g->verbose) sb_puts(&b, "method  crc     date  time  ");
        if (!g->quiet) sb_printf(&b, "%19s %19s  ratio uncompressed_name\n", "compressed", "uncompressed");
    }
    if (g->verbose) {
        static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
        time_t t = mtime;
        struct tm tm;
        sb_printf(&b, "%5s %08lx ", "defla", (unsigned long)crc);
        if (localtime_r(&t, &tm)) sb_printf(&b, "%s%3d %02d:%02d ", months[tm.tm_mon], tm.tm_mday, tm.tm_hour, tm.tm_min);
        else sb_puts(&b, "??? ?? ??:?? ");
    }
    sb_printf(&b, "%19jd %19jd ", (intmax_t)in_bytes, (intmax_t)out_bytes);
    g->total_in += in_bytes;
    g->total_out += out_bytes;
    g->header_bytes = header_bytes;
    put_ratio(&b, out_bytes - (in_bytes - header_bytes), out_bytes);
    char *q = u_quotef(oname);
    sb_printf(&b, " %s\n", q);
    free(q);
    uout_put(o, b.s, b.len);
    sb_free(&b);
}

static void list_totals(Gz *g, UOut *o) {
    if (g->total_in <= 0 || g->total_out <= 0) return;
    StrBuf b;
    sb_init(&b);
    if (g->verbose) sb_puts(&b, "                            ");
    sb_printf(&b, "%19jd %19jd ", (intmax_t)g->total_in, (intmax_t)g->total_out);
    /* as gzip, with the last file's header size */
    put_ratio(&b, g->total_out - (g->total_in - g->header_bytes), g->total_out);
    sb_puts(&b, " (totals)\n");
    uout_put(o, b.s, b.len);
    sb_free(&b);
}

/* ---------------------------------------------------------------- names */

static const char *base_name(const char *path) {
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* The gzip suffix of name, or NULL: -S's, .gz, .z, .taz, .tgz, -gz, -z, _z
 * (case-insensitive, not the whole last component). */
static const char *get_suffix(const Gz *g, const char *name) {
    const char *known[] = {g->suffix, ".gz", ".z", ".taz", ".tgz", "-gz", "-z", "_z", NULL};
    size_t nlen = strlen(name);
    for (int i = 0; known[i]; i++) {
        size_t s = strlen(known[i]);
        if (nlen > s && name[nlen - s - 1] != '/' && !strcasecmp(name + nlen - s, known[i])) return name + nlen - s;
    }
    return NULL;
}

/* ---------------------------------------------------------------- files */

/* Mode and times of the input onto the output (by path: MEMFS has no futimens). */
static void copy_stat(Gz *g, const char *opath, const struct stat *st, const Dec *d) {
    struct timespec ts[2] = {st->st_atim, st->st_mtim};
    if (d && !g->no_time && d->info.mtime) {
        ts[1].tv_sec = (time_t)d->info.mtime;
        ts[1].tv_nsec = 0;
    }
    /* the mode first: MEMFS keeps one timestamp, which chmod also sets */
    if (chmod(opath, st->st_mode & 07777) != 0) { /* best effort, as gzip */ }
    if (utimensat(AT_FDCWD, opath, ts, 0) != 0) { /* as above */ }
}

static int open_output(Gz *g, const char *oname) {
    for (;;) {
        int fd = open(oname, O_WRONLY | O_CREAT | O_EXCL, S_IRUSR | S_IWUSR);
        if (fd >= 0) return fd;
        if (errno != EEXIST) {
            gz_error_file(g, oname, errno);
            return -1;
        }
        char *q = u_quotef(oname);
        if (!g->force) {
            gz_msg(g, "gzip: %s already exists;\tnot overwritten\n", q);
            free(q);
            gz_warn_status(g);
            return -1;
        }
        free(q);
        if (unlink(oname) != 0) {
            gz_error_file(g, oname, errno);
            return -1;
        }
    }
}

static void verbose_done(Gz *g, const char *oname, int64_t in, int64_t out, int64_t header) {
    StrBuf b;
    sb_init(&b);
    if (g->test) {
        sb_puts(&b, " OK");
    } else {
        if (g->decompress) put_ratio(&b, out - (in - header), out);
        else put_ratio(&b, in - (out - header), in);
        char *q = u_quotef(oname);
        sb_printf(&b, " -- %s %s", g->keep ? "created" : "replaced with", q);
        free(q);
    }
    sb_putc(&b, '\n');
    uc_write(g->c, 2, b.s, b.len);
    sb_free(&b);
}

static void treat_file(Gz *g, UOut *lo, const char *iname);

static void treat_dir(Gz *g, UOut *lo, const char *dir) {
    DIR *dp = opendir(dir);
    if (!dp) {
        gz_error_file(g, dir, errno);
        return;
    }
    StrList names;
    sl_init(&names);
    struct dirent *e;
    while ((e = readdir(dp)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) sl_push_copy(&names, e->d_name);
    closedir(dp);
    for (size_t i = 0; i < names.n && !g->aborted && !uc_should_stop(g->c); i++) {
        StrBuf p;
        sb_init(&p);
        sb_puts(&p, dir);
        if (p.len && p.s[p.len - 1] != '/') sb_putc(&p, '/');
        sb_puts(&p, names.v[i]);
        treat_file(g, lo, sb_cstr(&p));
        sb_free(&p);
    }
    sl_free(&names);
}

/* Opens the input as gzip does: no symlinks unless -c or -f; when
 * decompressing a name that does not exist, tries the suffixes. */
static int open_input(Gz *g, const char *iname, StrBuf *ifname, struct stat *st) {
    int flags = O_RDONLY | O_NOCTTY | ((g->to_stdout || g->force) ? 0 : O_NOFOLLOW);
    sb_clear(ifname);
    sb_puts(ifname, iname);
    int fd = open(iname, flags);
    if (fd < 0 && errno == ENOENT && g->decompress && !get_suffix(g, iname)) {
        const char *sufs[] = {g->suffix, ".gz", ".z", "-z", ".Z", NULL};
        for (int i = strcmp(g->suffix, ".gz") ? 0 : 1; sufs[i] && fd < 0; i++) {
            sb_clear(ifname);
            sb_printf(ifname, "%s%s", iname, sufs[i]);
            fd = open(sb_cstr(ifname), flags);
            if (fd < 0 && errno != ENOENT) break;
        }
        if (fd < 0 && errno == ENOENT) {
            sb_clear(ifname);
            sb_printf(ifname, "%s%s", iname, g->suffix);
        }
    }
    if (fd < 0) {
        gz_error_file(g, sb_cstr(ifname), errno);
        return -1;
    }
    if (fstat(fd, st) != 0) {
        gz_error_file(g, sb_cstr(ifname), errno);
        close(fd);
        return -1;
    }
    return fd;
}

/* Checks a regular file may be replaced (gzip's list of refusals). */
static bool file_acceptable(Gz *g, const char *name, const struct stat *st) {
    char *q = u_quotef(name);
    bool ok = false;
    if (!S_ISREG(st->st_mode)) GZ_WARN(g, "gzip: %s is not a directory or a regular file - ignored\n", q);
    else if (st->st_mode & S_ISUID) GZ_WARN(g, "gzip: %s is set-user-ID on execution - ignored\n", q);
    else if (st->st_mode & S_ISGID) GZ_WARN(g, "gzip: %s is set-group-ID on execution - ignored\n", q);
    else if (!g->force && (st->st_mode & S_ISVTX)) GZ_WARN(g, "gzip: %s has the sticky bit set - file ignored\n", q);
    else if (!g->force && st->st_nlink >= 2)
        GZ_WARN(g, "gzip: %s has %ju other link%s -- file ignored\n", q, (uintmax_t)st->st_nlink - 1,
                st->st_nlink == 2 ? "" : "s");
    else ok = true;
    free(q);
    return ok;
}

/* The output name, or false to skip the file (message given). */
static bool make_ofname(Gz *g, const char *ifname, StrBuf *ofname) {
    const char *suf = get_suffix(g, ifname);
    sb_clear(ofname);
    char *q = u_quotef(ifname);
    bool ok = true;
    if (g->decompress) {
        if (!suf) {
            if (!g->recursive && g->test) goto done;
            if (g->verbose || (!g->recursive && !g->quiet)) gz_msg(g, "gzip: %s: unknown suffix -- ignored\n", q);
            gz_warn_status(g);
            ok = false;
            goto done;
        }
        sb_put(ofname, ifname, (size_t)(suf - ifname));
        if (!strcasecmp(suf, ".tgz") || !strcasecmp(suf, ".taz")) sb_puts(ofname, ".tar");
    } else if (suf && !g->force) {
        if (g->verbose || (!g->recursive && !g->quiet)) {
            char *qs = u_quotef(suf);
            gz_msg(g, "gzip: %s already has %s suffix -- unchanged\n", q, qs);
            free(qs);
        }
        ok = false;
    } else {
        sb_printf(ofname, "%s%s", ifname, g->suffix);
    }
done:
    free(q);
    return ok;
}

/* With -N, the name stored in the header replaces the output's base name. */
static void use_stored_name(Gz *g, Dec *d, StrBuf *ofname) {
    const DflGzipInfo *info = dfl_inflate_gzip_info(d->z);
    if (g->no_name || !info->has_name) return;
    const char *stored = base_name(info->name);
    if (!*stored) return;
    size_t dirlen = (size_t)(base_name(sb_cstr(ofname)) - ofname->s);
    ofname->len = dirlen;
    sb_puts(ofname, stored);
}

/* Feeds the start of the input a byte at a time until the first member's
 * header is complete (so -N knows the name before any output). Returns the
 * bytes taken. */
static size_t dec_feed_header(Dec *d, const uint8_t *p, size_t n) {
    size_t i = 0;
    while (i < n && !d->failed && (d->st == D_HEAD || (d->st == D_MEMBER && dfl_inflate_in_header(d->z))))
        dec_feed(d, p + i++, 1);
    return i;
}

static void decompress_file(Gz *g, UOut *lo, int ifd, const char *ifname, const struct stat *st, StrBuf *ofname) {
    Out out = {.g = g, .fd = -1, .discard = g->test};
    Dec d;
    dec_init(&d, g, &out, ifname);
    In in = {.c = g->c, .fd = ifd};
    uint8_t *buf = xmalloc(CHUNK);
    size_t n = 0, used = 0;
    bool eof = false;
    while (!d.failed && !eof && (d.st == D_HEAD || (d.st == D_MEMBER && dfl_inflate_in_header(d.z)))) {
        ssize_t r = in_read(&in, buf, CHUNK);
        if (r < 0) {
            gz_error_file(g, ifname, errno);
            d.failed = true;
            break;
        }
        n = (size_t)r;
        eof = r == 0;
        used = dec_feed_header(&d, buf, n);
    }
    if (!d.failed && !g->no_name && (!g->to_stdout || g->list)) use_stored_name(g, &d, ofname);
    if (g->list) {
        /* as gzip 1.12: the data is checked, the sizes and CRC shown are the
         * last trailer's, and the header size counts only for one member */
        if (!d.failed) {
            if (used < n) dec_feed(&d, buf + used, n - used);
            if (eof) dec_end(&d);
            else if (!d.failed && d.st != D_GARBAGE) decompress_all(g, &in, &d);
        }
        uint8_t t[8];
        if (!d.failed && st->st_size >= 8 && pread(ifd, t, 8, st->st_size - 8) == 8) {
            uint32_t crc = (uint32_t)t[0] | (uint32_t)t[1] << 8 | (uint32_t)t[2] << 16 | (uint32_t)t[3] << 24;
            uint32_t isize = (uint32_t)t[4] | (uint32_t)t[5] << 8 | (uint32_t)t[6] << 16 | (uint32_t)t[7] << 24;
            time_t mt = !g->no_time && d.info.mtime ? (time_t)d.info.mtime : st->st_mtime;
            list_line(g, lo, st->st_size, isize, crc, d.part > 1 ? 0 : d.header_bytes, sb_cstr(ofname), mt);
        }
        free(buf);
        dec_free(&d);
        return;
    }
    int ofd = -1;
    if (!d.failed && !g->to_stdout) {
        ofd = open_output(g, sb_cstr(ofname));
        if (ofd < 0) d.failed = true;
        out.fd = ofd;
    }
    if (!d.failed && g->verbose && !g->list) {
        char *q = u_quotef(ifname);
        gz_msg(g, "%s:\t", q);
        free(q);
    }
    if (!d.failed) {
        if (used < n) dec_feed(&d, buf + used, n - used);
        if (eof) dec_end(&d);
        else if (!d.failed && d.st != D_GARBAGE) decompress_all(g, &in, &d);
    }
    free(buf);
    bool ok = !d.failed;
    if (ofd >= 0) {
        close(ofd);
        copy_stat(g, sb_cstr(ofname), st, ok ? &d : NULL);
        if (!ok) unlink(sb_cstr(ofname));
        else if (!g->keep && unlink(ifname) != 0) GZ_WARN(g, "gzip: %s: %s\n", ifname, strerror(errno));
    }
    if (ok && g->verbose && !g->list) verbose_done(g, sb_cstr(ofname), in.n, (int64_t)out.n, d.header_bytes);
    dec_free(&d);
}

static void compress_file(Gz *g, int ifd, const char *ifname, const struct stat *st, StrBuf *ofname) {
    Out out = {.g = g, .fd = -1};
    int ofd = -1;
    if (!g->to_stdout) {
        ofd = open_output(g, sb_cstr(ofname));
        if (ofd < 0) return;
        out.fd = ofd;
    }
    if (g->verbose) {
        char *q = u_quotef(ifname);
        gz_msg(g, "%s:\t", q);
        free(q);
    }
    Enc e;
    In in = {.c = g->c, .fd = ifd};
    bool ok = enc_init(g, &e, base_name(ifname), (uint32_t)st->st_mtime) && compress_all(g, &in, &e, &out);
    if (out.err) {
        gz_msg(g, "gzip: %s: %s\n", ofd >= 0 ? sb_cstr(ofname) : "stdout", strerror(out.err));
        g->exit_code = GZ_ERROR;
    }
    if (ofd >= 0) {
        close(ofd);
        copy_stat(g, sb_cstr(ofname), st, NULL);
        if (!ok) unlink(sb_cstr(ofname));
        else if (!g->keep && unlink(ifname) != 0) GZ_WARN(g, "gzip: %s: %s\n", ifname, strerror(errno));
    }
    if (ok && g->verbose) verbose_done(g, sb_cstr(ofname), in.n, (int64_t)dfl_deflate_total_out(e.z), e.header_bytes);
    dfl_deflate_free(e.z);
}

/* Standard input, or a shell fd named by PATH (zcat <(...)): LABEL in messages. */
static void treat_stream(Gz *g, UOut *lo, const char *path, const char *label);

static void treat_file(Gz *g, UOut *lo, const char *iname) {
    if (!strcmp(iname, "-")) {
        bool saved = g->to_stdout;
        treat_stream(g, lo, "-", "stdin");
        g->to_stdout = saved;
        return;
    }
    struct stat fst;
    if (g->to_stdout && stat(iname, &fst) != 0 && uc_stat(g->c, iname, &fst) == 0 && S_ISFIFO(fst.st_mode)) {
        treat_stream(g, lo, iname, iname);
        return;
    }
    StrBuf ifname, ofname;
    sb_init(&ifname);
    sb_init(&ofname);
    struct stat st;
    int fd = open_input(g, iname, &ifname, &st);
    if (fd < 0) goto out;
    const char *name = sb_cstr(&ifname);
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        fd = -1;
        if (g->recursive) {
            treat_dir(g, lo, name);
        } else {
            char *q = u_quotef(name);
            GZ_WARN(g, "gzip: %s is a directory -- ignored\n", q);
            free(q);
        }
        goto out;
    }
    if (!g->to_stdout && !file_acceptable(g, name, &st)) goto out;
    if (g->to_stdout && !g->test) {
        sb_puts(&ofname, "stdout");
    } else if (!make_ofname(g, name, &ofname)) {
        goto out;
    }
    if (g->test && !ofname.len) {
        /* -t/-l of a file without a suffix: the listed name is the file's */
        sb_puts(&ofname, name);
    }
    if (g->decompress) decompress_file(g, lo, fd, name, &st, &ofname);
    else compress_file(g, fd, name, &st, &ofname);
out:
    if (fd >= 0) close(fd);
    sb_free(&ifname);
    sb_free(&ofname);
}

static void treat_stream(Gz *g, UOut *lo, const char *path, const char *label) {
    UcFile *f = uc_open(g->c, path, "r");
    if (!f) {
        gz_error_file(g, label, errno);
        return;
    }
    In in = {.c = g->c, .fd = -1, .f = f};
    Out out = {.g = g, .fd = -1, .discard = g->test};
    if (g->decompress) {
        Dec d;
        dec_init(&d, g, &out, label);
        decompress_all(g, &in, &d);
        if (g->list && !d.failed)
            list_line(g, lo, in.n, (int64_t)out.n, d.last_crc, d.header_bytes, "stdout",
                      d.info.mtime ? (time_t)d.info.mtime : time(NULL));
        else if (g->verbose && g->test && !d.failed) uc_puts(g->c, 2, " OK\n");
        dec_free(&d);
    } else {
        Enc e;
        /* a regular file on stdin gives its mtime, as GNU's fstat does */
        struct stat st;
        uint32_t mtime = uc_fstat(f, &st) == 0 && S_ISREG(st.st_mode) ? (uint32_t)st.st_mtime : 0;
        bool ok = enc_init(g, &e, NULL, mtime) && compress_all(g, &in, &e, &out);
        if (ok && g->verbose) {
            StrBuf b;
            sb_init(&b);
            put_ratio(&b, in.n - ((int64_t)dfl_deflate_total_out(e.z) - e.header_bytes), in.n);
            sb_putc(&b, '\n');
            uc_write(g->c, 2, b.s, b.len);
            sb_free(&b);
        }
        dfl_deflate_free(e.z);
    }
    uc_close(f);
}

/* ---------------------------------------------------------------- options */

enum { O_RSYNCABLE = 0x100, O_SYNCHRONOUS, O_LICENSE };

static const UOptLong gz_longs[] = {
    {"stdout", UO_NOARG, 'c'},      {"to-stdout", UO_NOARG, 'c'},  {"decompress", UO_NOARG, 'd'},
    {"uncompress", UO_NOARG, 'd'},  {"force", UO_NOARG, 'f'},      {"keep", UO_NOARG, 'k'},
    {"list", UO_NOARG, 'l'},        {"license", UO_NOARG, 'L'},    {"no-name", UO_NOARG, 'n'},
    {"name", UO_NOARG, 'N'},        {"quiet", UO_NOARG, 'q'},      {"silent", UO_NOARG, 'q'},
    {"recursive", UO_NOARG, 'r'},   {"suffix", UO_REQ, 'S'},       {"test", UO_NOARG, 't'},
    {"verbose", UO_NOARG, 'v'},     {"fast", UO_NOARG, '1'},       {"best", UO_NOARG, '9'},
    {"rsyncable", UO_NOARG, O_RSYNCABLE}, {"synchronous", UO_NOARG, O_SYNCHRONOUS},
    {NULL, 0, 0},
};

static const char gz_usage[] =
    "Usage: gzip [OPTION]... [FILE]...\n"
    "Compress or uncompress FILEs (by default, compress FILES in-place).\n\n"
    "Mandatory arguments to long options are mandatory for short options too.\n\n"
    "  -c, --stdout      write on standard output, keep original files unchanged\n"
    "  -d, --decompress  decompress\n"
    "  -f, --force       force overwrite of output file and compress links\n"
    "  -h, --help        give this help\n"
    "  -k, --keep        keep (don't delete) input files\n"
    "  -l, --list        list compressed file contents\n"
    "  -L, --license     display software license\n"
    "  -n, --no-name     do not save or restore the original name and timestamp\n"
    "  -N, --name        save or restore the original name and timestamp\n"
    "  -q, --quiet       suppress all warnings\n"
    "  -r, --recursive   operate recursively on directories\n"
    "      --rsyncable   make rsync-friendly archive\n"
    "  -S, --suffix=SUF  use suffix SUF on compressed files\n"
    "      --synchronous synchronous output (safer if system crashes, but slower)\n"
    "  -t, --test        test compressed file integrity\n"
    "  -v, --verbose     verbose mode\n"
    "  -V, --version     display version number\n"
    "  -1, --fast        compress faster\n"
    "  -9, --best        compress better\n\n"
    "With no FILE, or when FILE is -, read standard input.\n\n"
    "Report bugs to <bug-gzip@gnu.org>.\n";

/* Returns -1 to go on, or an exit status. */
static int gz_parse(Gz *g, UOpts *o) {
    int k;
    while ((k = uopt_next(o)) != UO_END) {
        switch (k) {
        case 'c': g->to_stdout = true; break;
        case 'd': g->decompress = true; break;
        case 'f': g->force = true; break;
        case 'h':
        case UO_HELP: uc_puts(g->c, 1, gz_usage); return 0;
        case 'k': g->keep = true; break;
        case 'l': g->list = g->decompress = g->test = g->to_stdout = true; break;
        case 'L':
        case 'V':
        case UO_VERSION: uc_puts(g->c, 1, "gzip 1.12 (wasmsh)\n"); return 0;
        case 'm': g->no_time = 1; break;
        case 'M': g->no_time = 0; break;
        case 'n': g->no_name = g->no_time = 1; break;
        case 'N': g->no_name = g->no_time = 0; break;
        case 'q': g->quiet = true, g->verbose = 0; break;
        case 'r': g->recursive = true; break;
        case 'S': g->suffix = o->arg; break;
        case 't': g->test = g->decompress = g->to_stdout = true; break;
        case 'v': g->verbose++, g->quiet = false; break;
        case O_RSYNCABLE:
        case O_SYNCHRONOUS: break;
        default:
            if (k >= '1' && k <= '9') {
                g->level = k - '0';
                break;
            }
            return 1;
        }
    }
    if (g->no_time < 0) g->no_time = g->decompress;
    if (g->no_name < 0) g->no_name = g->decompress;
    if (!*g->suffix || strlen(g->suffix) > 30) {
        gz_msg(g, "gzip: invalid suffix '%s'\n", g->suffix);
        return 1;
    }
    return -1;
}

typedef enum Flavor { F_GZIP, F_GUNZIP, F_ZCAT } Flavor;

static Gz *gz_new(UtilCtx *c, int argc, char **argv, Flavor fl, UOpts *o, int *status) {
    Gz *g = xcalloc(1, sizeof *g);
    g->c = c;
    g->level = 6;
    g->no_name = g->no_time = -1;
    g->suffix = ".gz";
    g->decompress = fl != F_GZIP;
    g->to_stdout = fl == F_ZCAT;
    uopt_init(o, c, argc, argv, "123456789cdfhklLmMnNqrS:tvV", gz_longs);
    o->msg_name = "gzip";
    o->try_line = "Try `gzip --help' for more information.\n";
    int st = gz_parse(g, o);
    if (st >= 0) {
        *status = st;
        uopt_free(o);
        free(g);
        return NULL;
    }
    g->file_count = o->ops.n;
    return g;
}

static int gz_main(UtilCtx *c, int argc, char **argv, Flavor fl) {
    UOpts o;
    int st = 0;
    Gz *g = gz_new(c, argc, argv, fl, &o, &st);
    if (!g) return st;
    UOut lo;
    uout_init(&lo, c, 1);
    if (!o.ops.n) treat_stream(g, &lo, "-", "stdin");
    for (size_t i = 0; i < o.ops.n && !g->aborted && !uc_should_stop(c); i++) treat_file(g, &lo, o.ops.v[i]);
    if (g->list && !g->quiet && g->file_count > 1 && !g->aborted) list_totals(g, &lo);
    if (uout_close(&lo)) g->exit_code = GZ_ERROR;
    st = g->exit_code;
    uopt_free(&o);
    free(g);
    return st;
}

int util_gzip_main(UtilCtx *c, int argc, char **argv) { return gz_main(c, argc, argv, F_GZIP); }
int util_gunzip_main(UtilCtx *c, int argc, char **argv) { return gz_main(c, argc, argv, F_GUNZIP); }
int util_zcat_main(UtilCtx *c, int argc, char **argv) { return gz_main(c, argc, argv, F_ZCAT); }

/* ---------------------------------------------------------------- push */

/* As a pipeline stage reading stdin: the same coders, fed chunk by chunk. */
typedef struct GzPush {
    Gz *g;
    UOpts o;
    Out out;
    Dec d;
    Enc e;
    int64_t in_n;
    bool enc_ok;
} GzPush;

static void *gz_start(UtilCtx *c, int argc, char **argv, int *status, Flavor fl) {
    GzPush *p = xcalloc(1, sizeof *p);
    p->g = gz_new(c, argc, argv, fl, &p->o, status);
    if (!p->g) {
        free(p);
        return NULL;
    }
    if (!u_push_ok(&p->o.ops) || p->g->list || (p->g->verbose && !p->g->decompress)) {
        *status = -1;
        uopt_free(&p->o);
        free(p->g);
        free(p);
        return NULL;
    }
    p->out = (Out){.g = p->g, .fd = -1, .discard = p->g->test};
    if (p->g->decompress) dec_init(&p->d, p->g, &p->out, "stdin");
    else p->enc_ok = enc_init(p->g, &p->e, NULL, 0);
    return p;
}

static int gz_feed(void *st, const char *data, size_t n) {
    GzPush *p = st;
    p->in_n += (int64_t)n;
    if (p->g->decompress) return !dec_feed(&p->d, (const uint8_t *)data, n);
    if (!p->enc_ok || dfl_deflate(p->e.z, (const uint8_t *)data, n, out_sink, &p->out) != DFL_OK) {
        p->enc_ok = false;
        return 1;
    }
    return 0;
}

static int gz_finish(void *st) {
    GzPush *p = st;
    Gz *g = p->g;
    if (g->decompress) {
        if (!p->d.failed && p->d.st != D_GARBAGE) dec_end(&p->d);
        if (g->verbose && g->test && !p->d.failed) uc_puts(g->c, 2, " OK\n");
        dec_free(&p->d);
    } else {
        if (p->enc_ok) dfl_deflate_finish(p->e.z, out_sink, &p->out);
        dfl_deflate_free(p->e.z);
    }
    int status = g->exit_code;
    uopt_free(&p->o);
    free(g);
    free(p);
    return status;
}

static void *gzip_start(UtilCtx *c, int argc, char **argv, int *status) { return gz_start(c, argc, argv, status, F_GZIP); }
static void *gunzip_start(UtilCtx *c, int argc, char **argv, int *status) { return gz_start(c, argc, argv, status, F_GUNZIP); }
static void *zcat_start(UtilCtx *c, int argc, char **argv, int *status) { return gz_start(c, argc, argv, status, F_ZCAT); }

const UtilPushOps util_gzip_push = {gzip_start, gz_feed, gz_finish};
const UtilPushOps util_gunzip_push = {gunzip_start, gz_feed, gz_finish};
const UtilPushOps util_zcat_push = {zcat_start, gz_feed, gz_finish};
