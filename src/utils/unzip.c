/* unzip.c - unzip as Info-ZIP UnZip 6.00: extract (default), -l list, -v
 * verbose list, -t test, -p / -c to stdout, -Z1 names, with -o / -n for
 * existing files (else the "replace ...?" prompt, read from stdin), -d DIR,
 * -j, -q / -qq, and member patterns and -x exclusions (wildcards match '/'
 * too, as UnZip's do). Output lines and messages are UnZip's; so are the exit
 * statuses (1 warning, 2 bad data, 9 no zip file, 11 no matching member).
 *
 * Safety, as UnZip: "../" components and a leading "/" are removed from
 * names (with UnZip's warnings), and symlinks are created only at the end
 * (placeholders until then), so later members cannot be written through
 * them. The bytes written count against the run's memory budget. */
#include "deflate.h"
#include "ucommon.h"
#include "zipfmt.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { UZ_OK = 0, UZ_WARN = 1, UZ_ERR = 2, UZ_NOZIP = 9, UZ_FIND = 11, UZ_UNSUP = 81 };

typedef enum UzMode { U_EXTRACT, U_LIST, U_VERBOSE, U_TEST, U_PIPE, U_CAT, U_NAMES } UzMode;

typedef struct Deferred {
    char *path, *target;
    dev_t dev;
    ino_t ino;
} Deferred;

typedef struct Unzip {
    UtilCtx *c;
    UOut out;
    UzMode mode;
    int quiet;
    bool overwrite, never, junk, all_yes, all_no;
    const char *exdir;
    const char *zipname;
    StrList members, excludes;
    bool *member_hit;
    int status;
    int fd;
    uint64_t written;
    Deferred *links;
    size_t nlinks;
    StrList dirs;        /* directories to give their times */
    StrList dir_times;   /* "mtime mode" per dir */
    bool stop;
} Unzip;

static void uz_status(Unzip *u, int st) {
    if (st > u->status) u->status = st;
}

static void uz_err(Unzip *u, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void uz_err(Unzip *u, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    StrBuf b;
    sb_init(&b);
    sb_vprintf(&b, fmt, ap);
    va_end(ap);
    uout_flush(&u->out);
    uc_write(u->c, 2, b.s, b.len);
    sb_free(&b);
}

/* ---------------------------------------------------------------- selection */

static bool pattern_hit(const char *pat, const char *name) { return fnmatch(pat, name, 0) == 0; }

static bool selected(Unzip *u, const char *name) {
    for (size_t i = 0; i < u->excludes.n; i++)
        if (pattern_hit(u->excludes.v[i], name)) return false;
    if (!u->members.n) return true;
    bool hit = false;
    for (size_t i = 0; i < u->members.n; i++)
        if (pattern_hit(u->members.v[i], name)) u->member_hit[i] = true, hit = true;
    return hit;
}

/* ---------------------------------------------------------------- listing */

static void date_time(const ZipEntry *e, char *date, char *tm) {
    time_t t = e->has_ut ? (time_t)e->mtime : zip_from_dos(e->dos_time, e->dos_date);
    struct tm lt;
    if (!e->has_ut || !localtime_r(&t, &lt)) {
        /* the DOS fields as they are */
        snprintf(date, 11, "%04u-%02u-%02u", (e->dos_date >> 9) + 1980u, (e->dos_date >> 5) & 15u, e->dos_date & 31u);
        snprintf(tm, 6, "%02u:%02u", e->dos_time >> 11, (e->dos_time >> 5) & 63u);
        return;
    }
    strftime(date, 11, "%Y-%m-%d", &lt);
    strftime(tm, 6, "%H:%M", &lt);
}

/* UnZip's compression ratio: 1 - csize/usize in percent, rounded. */
static int uz_ratio(uint64_t usize, uint64_t csize) {
    if (!usize) return 0;
    if (csize > usize) return -(int)(((csize - usize) * 1000 / usize + 5) / 10);
    return (int)(((usize - csize) * 1000 / usize + 5) / 10);
}

static const char *method_name(const ZipEntry *e, char *buf) {
    if (e->method == ZIP_STORED) return "Stored";
    if (e->method == ZIP_DEFLATED) {
        static const char lv[] = "NXFS";
        snprintf(buf, 8, "Defl:%c", lv[(e->flags >> 1) & 3]);
        return buf;
    }
    snprintf(buf, 8, "Unk:%03u", e->method % 1000u);
    return buf;
}

static void list_archive(Unzip *u, const ZipDir *d) {
    UOut *o = &u->out;
    bool v = u->mode == U_VERBOSE;
    if (v) uout_puts(o, " Length   Method    Size  Cmpr    Date    Time   CRC-32   Name\n"
                        "--------  ------  ------- ---- ---------- ----- --------  ----\n");
    else uout_puts(o, "  Length      Date    Time    Name\n---------  ---------- -----   ----\n");
    uint64_t tu = 0, tc = 0;
    size_t n = 0;
    for (size_t i = 0; i < d->n; i++) {
        const ZipEntry *e = &d->v[i];
        if (!selected(u, e->name)) continue;
        char date[11], tm[6], mb[8];
        date_time(e, date, tm);
        if (v)
            uout_printf(o, "%8ju  %-6s %8ju %3d%% %s %s %08x  %s\n", (uintmax_t)e->usize, method_name(e, mb),
                        (uintmax_t)e->csize, uz_ratio(e->usize, e->csize), date, tm, e->crc, e->name);
        else
            uout_printf(o, "%9ju  %s %s   %s\n", (uintmax_t)e->usize, date, tm, e->name);
        tu += e->usize;
        tc += e->csize;
        n++;
    }
    if (v)
        uout_printf(o, "--------          -------  ---                            -------\n"
                       "%8ju         %8ju %3d%%                            %zu file%s\n",
                    (uintmax_t)tu, (uintmax_t)tc, uz_ratio(tu, tc), n, n == 1 ? "" : "s");
    else
        uout_printf(o, "---------                     -------\n%9ju                     %zu file%s\n",
                    (uintmax_t)tu, n, n == 1 ? "" : "s");
}

/* ---------------------------------------------------------------- data */

typedef struct Sink {
    Unzip *u;
    int fd;              /* -1: stdout; -2: nowhere (-t) */
    uint32_t crc;
    uint64_t n;
    bool failed;
    const char *name;
} Sink;

static int sink_write(void *ctx, const uint8_t *p, size_t n) {
    Sink *s = ctx;
    Unzip *u = s->u;
    s->crc = dfl_crc32(s->crc, p, n);
    s->n += n;
    if (uc_should_stop(u->c)) {
        u->stop = s->failed = true;
        return 1;
    }
    if (s->fd == -2) return 0;
    if (s->fd == -1) {
        uout_put(&u->out, (const char *)p, n);
        return u->out.err ? (s->failed = true) : 0;
    }
    u->written += n;
    if (!uc_within_memory(u->c, u->written, "data extracted by unzip")) {
        u->stop = s->failed = true;
        return 1;
    }
    while (n) {
        ssize_t k = write(s->fd, p, n);
        if (k < 0) {
            if (errno == EINTR) continue;
            uz_err(u, "error:  cannot write %s: %s\n", s->name, strerror(errno));
            s->failed = true;
            return 1;
        }
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

/* Decodes an entry's data into the sink; false (reported) on bad data. */
static bool decode_entry(Unzip *u, const ZipEntry *e, Sink *s) {
    int64_t off = zip_data_offset(u->fd, e);
    if (off < 0) {
        uz_err(u, "error:  invalid zip file with overlapped components (possible zip bomb)\n");
        return false;
    }
    if (e->method != ZIP_STORED && e->method != ZIP_DEFLATED) {
        uz_err(u, "   skipping: %-22s  unsupported compression method %u\n", e->name, e->method);
        uz_status(u, UZ_UNSUP);
        return false;
    }
    if (e->flags & 1) {
        uz_err(u, "   skipping: %-22s  encrypted (not supported)\n", e->name);
        uz_status(u, UZ_UNSUP);
        return false;
    }
    enum { CAP = 1 << 16 };
    uint8_t *buf = xmalloc(CAP);
    DflInflater *z = e->method == ZIP_DEFLATED ? dfl_inflate_new(DFL_RAW) : NULL;
    uint64_t left = e->csize, pos = (uint64_t)off;
    bool ok = true, ended = false;
    while (left && ok && !s->failed) {
        size_t k = left < CAP ? (size_t)left : CAP;
        ssize_t n = pread(u->fd, buf, k, (off_t)pos);
        if (n <= 0) {
            ok = false;
            break;
        }
        pos += (uint64_t)n;
        left -= (uint64_t)n;
        if (!z) {
            sink_write(s, buf, (size_t)n);
            continue;
        }
        size_t used;
        DflStatus st = dfl_inflate(z, buf, (size_t)n, &used, sink_write, s);
        if (st == DFL_END) {
            ended = true;
            break;
        }
        if (st != DFL_OK) ok = false;
    }
    if (z && ok && !ended && !s->failed) ok = false;
    dfl_inflate_free(z);
    free(buf);
    if (s->failed) return false;
    if (!ok) {
        uz_err(u, "  error:  invalid compressed data to %s\n", e->method == ZIP_DEFLATED ? "inflate" : "extract");
        uz_status(u, UZ_ERR);
        return false;
    }
    if (s->crc != e->crc) {
        uz_err(u, " bad CRC %08x  (should be %08x)\n", s->crc, e->crc);
        uz_status(u, UZ_ERR);
        return false;
    }
    return true;
}

/* ---------------------------------------------------------------- paths */

/* The name after UnZip's cleaning: no "../" components, no leading "/". */
static char *clean_name(Unzip *u, const char *name) {
    StrBuf b;
    sb_init(&b);
    const char *p = name;
    bool abs = *p == '/', dots = false;
    while (*p == '/') p++;
    while (*p) {
        const char *s = strchr(p, '/');
        size_t len = s ? (size_t)(s - p) : strlen(p);
        if (len == 2 && p[0] == '.' && p[1] == '.') dots = true;
        else if (!(len == 1 && p[0] == '.') && len) {
            if (u->junk && s) {
                /* -j keeps only the last component */
            } else {
                sb_put(&b, p, len);
                if (s) sb_putc(&b, '/');
            }
        }
        p = s ? s + 1 : p + len;
    }
    if (abs && !u->quiet) uz_err(u, "warning:  stripped absolute path spec from %s\n", name);
    if (dots) {
        uout_printf(&u->out, "warning:  skipped \"../\" path component(s) in %s\n", name);
        uout_flush(&u->out);
    }
    if (dots || abs) uz_status(u, UZ_WARN);
    return sb_take(&b);
}

static char *out_path(const Unzip *u, const char *name) {
    if (!u->exdir) return xstrdup(name);
    StrBuf b;
    sb_init(&b);
    sb_puts(&b, u->exdir);
    if (b.len && b.s[b.len - 1] != '/') sb_putc(&b, '/');
    sb_puts(&b, name);
    return sb_take(&b);
}

/* mkdir -p of path's parents; false (reported) when one is not a directory. */
static bool make_dirs(Unzip *u, const char *path, const char *member) {
    char *p = xstrdup(path);
    bool ok = true;
    for (char *s = p + 1; (s = strchr(s, '/')); s++) {
        *s = 0;
        struct stat st;
        if (lstat(p, &st) == 0) {
            if (!S_ISDIR(st.st_mode)) {
                uz_err(u, "checkdir error:  %s exists but is not directory\n"
                          "                 unable to process %s.\n", p, member);
                uz_status(u, UZ_ERR);
                ok = false;
                *s = '/';
                break;
            }
        } else if (mkdir(p, 0777) != 0) {
            uz_err(u, "checkdir error:  cannot create %s\n                 %s\n"
                      "                 unable to process %s.\n", p, strerror(errno), member);
            uz_status(u, UZ_ERR);
            ok = false;
            *s = '/';
            break;
        }
        *s = '/';
    }
    free(p);
    return ok;
}

/* Asks before replacing a file: y, n, A (all), N (none), r (rename; taken as n). */
static bool may_replace(Unzip *u, const char *path) {
    if (u->overwrite || u->all_yes) return true;
    if (u->never || u->all_no) return false;
    uz_err(u, "replace %s? [y]es, [n]o, [A]ll, [N]one, [r]ename: ", path);
    char line[64];
    size_t n = 0;
    for (;;) {
        char ch;
        ssize_t r = uc_read(u->c, 0, &ch, 1);
        if (r <= 0) {
            if (!n) {
                uz_err(u, " NULL\n(EOF or read error, treating as \"[N]one\" ...)\n");
                u->all_no = true;
                uz_status(u, UZ_WARN);
                return false;
            }
            break;
        }
        if (ch == '\n') break;
        if (n + 1 < sizeof line) line[n++] = ch;
    }
    line[n] = 0;
    if (line[0] == 'A') u->all_yes = true;
    if (line[0] == 'N') u->all_no = true;
    return line[0] == 'y' || line[0] == 'A';
}

static void set_times(const char *path, const ZipEntry *e, bool symlink) {
    time_t t = e->has_ut ? (time_t)e->mtime : zip_from_dos(e->dos_time, e->dos_date);
    struct timespec ts[2] = {{t, 0}, {t, 0}};
    if (utimensat(AT_FDCWD, path, ts, symlink ? AT_SYMLINK_NOFOLLOW : 0) != 0) { /* best effort */ }
}

/* ---------------------------------------------------------------- members */

static int target_sink(void *ctx, const uint8_t *p, size_t n) {
    StrBuf *b = ctx;
    if (b->len + n > 65536) return 1;
    sb_put(b, (const char *)p, n);
    return 0;
}

static void extract_symlink(Unzip *u, const ZipEntry *e, const char *path, const char *shown) {
    /* the target is the entry's data, read into memory (bounded) */
    StrBuf target;
    sb_init(&target);
    int64_t off = zip_data_offset(u->fd, e);
    if (off < 0 || e->csize > 65536 || e->usize > 65536) {
        uz_err(u, "warning:  symbolic link (%s) failed: bad target\n", shown);
        uz_status(u, UZ_WARN);
        return;
    }
    uint8_t *cbuf = xmalloc((size_t)e->csize + 1);
    if (pread(u->fd, cbuf, (size_t)e->csize, (off_t)off) == (ssize_t)e->csize) {
        if (e->method == ZIP_STORED) {
            sb_put(&target, (const char *)cbuf, (size_t)e->csize);
        } else {
            DflInflater *z = dfl_inflate_new(DFL_RAW);
            size_t used;
            dfl_inflate(z, cbuf, (size_t)e->csize, &used, target_sink, &target);
            dfl_inflate_free(z);
        }
    }
    free(cbuf);
    if (!u->quiet) {
        uout_printf(&u->out, "    linking: %-22s  -> %s \n", shown, sb_cstr(&target));
        uout_flush(&u->out);
    }
    struct stat st;
    if (lstat(path, &st) == 0) {
        if (!may_replace(u, shown)) {
            sb_free(&target);
            return;
        }
        unlink(path);
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd >= 0 && fstat(fd, &st) == 0) {
        u->links = xrealloc(u->links, (u->nlinks + 1) * sizeof *u->links);
        u->links[u->nlinks++] = (Deferred){xstrdup(path), sb_take(&target), st.st_dev, st.st_ino};
    }
    if (fd >= 0) close(fd);
    sb_free(&target);
}

static void extract_entry(Unzip *u, const ZipEntry *e) {
    char *clean = clean_name(u, e->name);
    if (!*clean) {
        free(clean);
        return;
    }
    char *path = out_path(u, clean);
    const char *shown = path;
    if (zip_is_dir(e)) {
        if (!u->junk) {
            struct stat st;
            bool created = lstat(path, &st) != 0;
            if (!make_dirs(u, path, e->name)) {
                created = false;
            } else {
                if (mkdir(path, 0777) != 0 && errno != EEXIST) {
                    created = false;
                    uz_err(u, "checkdir error:  cannot create %s\n                 %s\n", path, strerror(errno));
                    uz_status(u, UZ_ERR);
                }
            }
            if (created && !u->quiet) { /* UnZip says nothing of a directory that exists */
                uout_printf(&u->out, "   creating: %s\n", shown);
                uout_flush(&u->out);
            }
            char times[64];
            time_t t = e->has_ut ? (time_t)e->mtime : zip_from_dos(e->dos_time, e->dos_date);
            snprintf(times, sizeof times, "%jd %o", (intmax_t)t, zip_unix_mode(e));
            sl_push_copy(&u->dirs, path);
            sl_push_copy(&u->dir_times, times);
        }
        free(clean);
        free(path);
        return;
    }
    if (!make_dirs(u, path, e->name)) {
        free(clean);
        free(path);
        return;
    }
    if (zip_is_symlink(e)) {
        extract_symlink(u, e, path, shown);
        free(clean);
        free(path);
        return;
    }
    struct stat st;
    if (lstat(path, &st) == 0) {
        if (!may_replace(u, shown)) {
            free(clean);
            free(path);
            return;
        }
        if (unlink(path) != 0) { /* open reports it */ }
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
    if (fd < 0) {
        uz_err(u, "error:  cannot create %s\n        %s\n", shown, strerror(errno));
        uz_status(u, UZ_ERR);
        free(clean);
        free(path);
        return;
    }
    if (!u->quiet) {
        uout_printf(&u->out, "%11s: %-22s  \n", e->method == ZIP_STORED ? "extracting" : "inflating", shown);
        uout_flush(&u->out);
    }
    Sink s = {.u = u, .fd = fd, .name = shown};
    bool ok = decode_entry(u, e, &s);
    if (fchmod(fd, zip_unix_mode(e) & 07777) != 0) { /* best effort */ }
    close(fd);
    if (ok) set_times(path, e, false);
    free(clean);
    free(path);
}

static void finish_links(Unzip *u) {
    if (u->nlinks && !u->quiet) uout_puts(&u->out, "finishing deferred symbolic links:\n");
    for (size_t i = 0; i < u->nlinks; i++) {
        Deferred *d = &u->links[i];
        if (!u->quiet) uout_printf(&u->out, "  %-22s -> %s\n", d->path, d->target);
        struct stat st;
        if (lstat(d->path, &st) == 0 && st.st_ino == d->ino && st.st_dev == d->dev && S_ISREG(st.st_mode)) {
            unlink(d->path);
            if (symlink(d->target, d->path) != 0) {
                uz_err(u, "warning:  symbolic link (%s) failed: %s\n", d->path, strerror(errno));
                uz_status(u, UZ_WARN);
            }
        }
        free(d->path);
        free(d->target);
    }
    free(u->links);
}

static void finish_dirs(Unzip *u) {
    for (size_t i = u->dirs.n; i-- > 0;) {
        intmax_t t = 0;
        unsigned mode = 0755;
        sscanf(u->dir_times.v[i], "%jd %o", &t, &mode);
        if (chmod(u->dirs.v[i], mode & 07777) != 0) { /* best effort */ }
        struct timespec ts[2] = {{(time_t)t, 0}, {(time_t)t, 0}};
        if (utimensat(AT_FDCWD, u->dirs.v[i], ts, 0) != 0) { /* best effort */ }
    }
}

static void test_entry(Unzip *u, const ZipEntry *e, size_t *errors) {
    if (u->quiet < 1) {
        uout_printf(&u->out, "    testing: %-22s ", e->name);
        uout_flush(&u->out);
    }
    Sink s = {.u = u, .fd = -2, .name = e->name};
    bool ok = zip_is_dir(e) || decode_entry(u, e, &s);
    if (!ok) (*errors)++;
    if (u->quiet < 1) uout_puts(&u->out, ok ? "  OK\n" : "\n");
}

/* ---------------------------------------------------------------- main */

static int uz_parse(Unzip *u, int argc, char **argv) {
    StrList *list = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] == '-' && a[1]) {
            list = NULL;
            for (const char *p = a + 1; *p; p++) {
                switch (*p) {
                case 'l': u->mode = u->mode == U_VERBOSE ? U_VERBOSE : U_LIST; break;
                case 'v': u->mode = U_VERBOSE; break;
                case 't': u->mode = U_TEST; break;
                case 'p': u->mode = U_PIPE; break;
                case 'c': u->mode = U_CAT; break;
                case 'Z':
                    u->mode = U_NAMES;
                    if (p[1] == '1') p++;
                    break;
                case 'q': u->quiet++; break;
                case 'o': u->overwrite = true; break;
                case 'n': u->never = true; break;
                case 'j': u->junk = true; break;
                case 'x': /* before the archive name -x is "extract", the default */
                    if (u->zipname) list = &u->excludes;
                    break;
                case 'd':
                    if (p[1]) {
                        u->exdir = p + 1;
                    } else if (i + 1 < argc) {
                        u->exdir = argv[++i];
                    } else {
                        uz_err(u, "error:  must specify directory to which to extract with -d option\n");
                        return 10;
                    }
                    p = " "; /* the rest of the word was the directory */
                    while (p[1]) p++;
                    break;
                case 'a': case 'b': case 'C': case 'D': case 'L': case 'U': case 'X': case 'K': case 'u': case 'f': break;
                case 'h': uc_puts(u->c, 1, "UnZip 6.00 (wasmsh). Usage: unzip [-Z] [-opts[modifiers]] file[.zip] [list] [-x xlist] [-d exdir]\n"); return 0;
                default:
                    uz_err(u, "error:  unknown option -%c\n", *p);
                    return 10;
                }
            }
            continue;
        }
        if (list) sl_push_copy(list, a);
        else if (!u->zipname) u->zipname = a;
        else sl_push_copy(&u->members, a);
    }
    if (!u->zipname) {
        uc_puts(u->c, 1, "UnZip 6.00 (wasmsh). Usage: unzip [-Z] [-opts[modifiers]] file[.zip] [list] [-x xlist] [-d exdir]\n");
        return 0;
    }
    return -1;
}

/* Opens NAME, NAME.zip or NAME.ZIP. */
static int open_zip(Unzip *u, StrBuf *used) {
    static const char *const sufs[] = {"", ".zip", ".ZIP"};
    for (int i = 0; i < 3; i++) {
        sb_clear(used);
        sb_printf(used, "%s%s", u->zipname, sufs[i]);
        int fd = open(sb_cstr(used), O_RDONLY);
        if (fd >= 0) {
            struct stat st;
            if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
                close(fd);
                continue;
            }
            return fd;
        }
    }
    return -1;
}

int util_unzip_main(UtilCtx *c, int argc, char **argv) {
    Unzip us = {.c = c, .fd = -1};
    Unzip *u = &us;
    sl_init(&u->members);
    sl_init(&u->excludes);
    sl_init(&u->dirs);
    sl_init(&u->dir_times);
    uout_init(&u->out, c, 1);
    int st = uz_parse(u, argc, argv);
    StrBuf zname;
    sb_init(&zname);
    ZipDir d = {0};
    if (st >= 0) goto done;
    u->member_hit = xcalloc(u->members.n + 1, sizeof *u->member_hit);
    u->fd = open_zip(u, &zname);
    if (u->fd < 0) {
        uz_err(u, "unzip:  cannot find or open %s, %s.zip or %s.ZIP.\n", u->zipname, u->zipname, u->zipname);
        st = UZ_NOZIP;
        goto done;
    }
    const char *zn = sb_cstr(&zname);
    int r = zipdir_read(u->fd, &d);
    if (r != 0) {
        if (u->mode != U_PIPE && u->quiet < 2) uout_printf(&u->out, "Archive:  %s\n", zn);
        uz_err(u, "  End-of-central-directory signature not found.  Either this file is not\n"
                  "  a zipfile, or it constitutes one disk of a multi-part archive.  In the\n"
                  "  latter case the central directory and zipfile comment will be found on\n"
                  "  the last disk(s) of this archive.\n"
                  "unzip:  cannot find zipfile directory in one of %s or\n"
                  "        %s.zip, and cannot find %s.ZIP, period.\n", u->zipname, u->zipname, u->zipname);
        st = UZ_NOZIP;
        goto done;
    }
    if (d.n == 0) {
        if (u->mode != U_PIPE && u->quiet < 2) uout_printf(&u->out, "Archive:  %s\n", zn);
        uz_err(u, "warning [%s]:  zipfile is empty\n", zn);
        st = UZ_WARN;
        goto done;
    }
    bool header = u->mode != U_PIPE && u->mode != U_NAMES && (u->quiet < 1 || u->mode == U_LIST || u->mode == U_VERBOSE);
    if (header && u->quiet < 2) uout_printf(&u->out, "Archive:  %s\n", zn);
    size_t errors = 0;
    if (u->exdir && u->mode == U_EXTRACT) {
        struct stat sst;
        if (stat(u->exdir, &sst) != 0) {
            StrBuf p;
            sb_init(&p);
            sb_printf(&p, "%s/", u->exdir);
            make_dirs(u, sb_cstr(&p), u->exdir);
            if (mkdir(u->exdir, 0777) == 0 && !u->quiet) uout_printf(&u->out, "   creating: %s/\n", u->exdir);
            sb_free(&p);
        }
    }
    if (u->mode == U_LIST || u->mode == U_VERBOSE) {
        list_archive(u, &d);
    } else {
        for (size_t i = 0; i < d.n && !u->stop; i++) {
            const ZipEntry *e = &d.v[i];
            if (!selected(u, e->name)) continue;
            if (uc_should_stop(c)) break;
            switch (u->mode) {
            case U_NAMES: uout_printf(&u->out, "%s\n", e->name); break;
            case U_TEST: test_entry(u, e, &errors); break;
            case U_PIPE:
            case U_CAT: {
                if (zip_is_dir(e)) break;
                if (u->mode == U_CAT && !u->quiet) uout_printf(&u->out, " extracting: %-22s  \n", e->name);
                Sink s = {.u = u, .fd = -1, .name = e->name};
                decode_entry(u, e, &s);
                if (u->mode == U_CAT) uout_putc(&u->out, '\n');
                break;
            }
            default: extract_entry(u, e); break;
            }
        }
        finish_links(u);
        finish_dirs(u);
    }
    if (u->mode == U_TEST && !u->stop) {
        if (errors) uout_printf(&u->out, "At least one error was detected in %s.\n", zn);
        else if (u->quiet < 2) uout_printf(&u->out, "No errors detected in compressed data of %s.\n", zn);
    }
    bool missed = false;
    for (size_t i = 0; i < u->members.n; i++)
        if (!u->member_hit[i]) {
            if (u->mode != U_LIST && u->mode != U_VERBOSE) uz_err(u, "caution: filename not matched:  %s\n", u->members.v[i]);
            missed = true;
        }
    st = u->status;
    if (missed && st < UZ_FIND) st = UZ_FIND;
done:
    if (u->fd >= 0) close(u->fd);
    zipdir_free(&d);
    sb_free(&zname);
    sl_free(&u->members);
    sl_free(&u->excludes);
    sl_free(&u->dirs);
    sl_free(&u->dir_times);
    free(u->member_hit);
    if (uout_close(&u->out) && !st) st = 50;
    return st;
}
