/* zip.c - zip as Info-ZIP zip 3.0: create or update ZIPFILE (".zip" added
 * when the name has no suffix) from files, with -r recursion, -j junk paths,
 * -0..-9, -d delete, -u update, -f freshen, -m move, -y store symlinks,
 * -D no directory entries, -x/-i patterns, -@ names from stdin, -q, -T, "-"
 * for stdin data or stdout output. Messages are Info-ZIP's ("  adding: a
 * (deflated 53%)", "updating:", "deleting:", the name-not-matched warning and
 * "Nothing to do!" with exit status 12), on stdout unless the archive goes
 * there. Entries carry Info-ZIP's "UT" and "ux" extra fields. Members stay
 * stored when deflating would not shrink them (except when streaming to a
 * pipe, where the size is only known afterwards, as Info-ZIP does). An
 * updated archive is written beside the old one and renamed over it. */
#include "deflate.h"
#include "ucommon.h"
#include "zipfmt.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { ZE_OK = 0, ZE_EOF = 2, ZE_FORM = 3, ZE_PARMS = 16, ZE_NONE = 12, ZE_OPEN = 18, ZE_CREAT = 15, ZE_READ = 11 };

typedef struct Member {
    ZipEntry e;                 /* central directory record to write */
    bool from_old;              /* copied from the existing archive */
    uint64_t old_offset;
    int64_t old_span;
    char *path;                 /* new: file to read ("-" = stdin) */
    bool is_dir, is_link;
    struct stat st;
} Member;

typedef struct Zip {
    UtilCtx *c;
    UOut out;                   /* messages */
    char *zipfile;
    bool recurse, quiet, junk, del, update, freshen, move, symlinks, no_dirs, test, names_stdin, no_extra;
    int level;
    StrList names, excludes, includes;
    int status;
    int zfd;                    /* output */
    bool to_stdout, stdout_file;
    uint64_t pos;
    Member *m;
    size_t nm, capm;
    bool failed;
} Zip;

static void zmsg(Zip *z, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void zmsg(Zip *z, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    StrBuf b;
    sb_init(&b);
    sb_vprintf(&b, fmt, ap);
    va_end(ap);
    uout_put(&z->out, b.s, b.len);
    uout_flush(&z->out);
    sb_free(&b);
}

static int zip_error(Zip *z, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int zip_error(Zip *z, int code, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    StrBuf b;
    sb_init(&b);
    sb_puts(&b, "\nzip error: ");
    sb_vprintf(&b, fmt, ap);
    sb_putc(&b, '\n');
    va_end(ap);
    uout_put(&z->out, b.s, b.len);
    uout_flush(&z->out);
    sb_free(&b);
    return code;
}

/* ---------------------------------------------------------------- output */

static bool zwrite(Zip *z, const void *p, size_t n) {
    if (z->failed) return false;
    const uint8_t *s = p;
    if (z->to_stdout) {
        if (uc_write(z->c, 1, s, n) < 0) z->failed = true;
    } else {
        while (n) {
            ssize_t k = write(z->zfd, s, n);
            if (k < 0) {
                if (errno == EINTR) continue;
                z->failed = true;
                break;
            }
            s += k;
            n -= (size_t)k;
            z->pos += (uint64_t)k;
        }
        return !z->failed;
    }
    z->pos += n;
    return !z->failed;
}

static int deflate_sink(void *ctx, const uint8_t *p, size_t n) {
    Zip *z = ctx;
    if (!zwrite(z, p, n)) return 1;
    return uc_should_stop(z->c);
}

/* ---------------------------------------------------------------- names */

static bool matches_any(const StrList *pats, const char *name) {
    for (size_t i = 0; i < pats->n; i++)
        if (fnmatch(pats->v[i], name, 0) == 0) return true;
    return false;
}

static bool wanted(const Zip *z, const char *name) {
    if (z->excludes.n && matches_any(&z->excludes, name)) return false;
    if (z->includes.n && !matches_any(&z->includes, name)) return false;
    return true;
}

static Member *find_member(Zip *z, const char *name) {
    for (size_t i = 0; i < z->nm; i++)
        if (!strcmp(z->m[i].e.name, name)) return &z->m[i];
    return NULL;
}

static Member *new_member(Zip *z) {
    if (z->nm == z->capm) {
        z->capm = z->capm ? z->capm * 2 : 16;
        z->m = xrealloc(z->m, z->capm * sizeof *z->m);
    }
    Member *m = &z->m[z->nm++];
    memset(m, 0, sizeof *m);
    return m;
}

/* The name stored for a path: no leading "/" or "./", junked with -j. */
static char *zip_name(const Zip *z, const char *path, bool dir) {
    const char *p = path;
    while (*p == '/') p++;
    while (p[0] == '.' && p[1] == '/') {
        p += 2;
        while (*p == '/') p++;
    }
    if (z->junk) {
        const char *s = strrchr(p, '/');
        if (s && s[1]) p = s + 1;
    }
    StrBuf b;
    sb_init(&b);
    sb_puts(&b, p);
    while (b.len > 1 && b.s[b.len - 1] == '/') b.s[--b.len] = 0;
    if (dir) sb_putc(&b, '/');
    return sb_take(&b);
}

/* Adds (or marks for replacing) the member for one file. */
static void add_file(Zip *z, const char *path, const struct stat *st, bool is_link) {
    bool dir = S_ISDIR(st->st_mode);
    if (dir && (z->no_dirs || z->junk)) return;
    char *name = zip_name(z, path, dir);
    if (!*name || !strcmp(name, "/") || !wanted(z, name)) {
        free(name);
        return;
    }
    Member *m = find_member(z, name);
    if (m && !m->from_old) { /* named twice */
        free(name);
        return;
    }
    if (z->freshen && !m) {
        free(name);
        return;
    }
    if ((z->update || z->freshen) && m && st->st_mtime <= m->e.mtime) {
        free(name);
        return;
    }
    if (!m) {
        m = new_member(z);
    } else {
        free(m->e.name);
        free(m->e.extra);
        memset(&m->e, 0, sizeof m->e);
        m->e.flags = 0xffff; /* marks "updating" */
    }
    m->from_old = false;
    m->e.name = name;
    m->path = xstrdup(path);
    m->is_dir = dir;
    m->is_link = is_link;
    m->st = *st;
}

static void walk(Zip *z, const char *path, bool top);

static void walk_dir(Zip *z, const char *path) {
    DIR *d = opendir(path);
    if (!d) {
        zmsg(z, "\tzip warning: could not open for reading: %s\n", path);
        z->status = ZE_OPEN;
        return;
    }
    StrList names;
    sl_init(&names);
    struct dirent *de;
    while ((de = readdir(d)))
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) sl_push_copy(&names, de->d_name);
    closedir(d);
    /* Info-ZIP keeps the directory's order: no sorting */
    for (size_t i = 0; i < names.n && !uc_should_stop(z->c); i++) {
        StrBuf p;
        sb_init(&p);
        sb_puts(&p, path);
        if (p.s[p.len - 1] != '/') sb_putc(&p, '/');
        sb_puts(&p, names.v[i]);
        walk(z, sb_cstr(&p), false);
        sb_free(&p);
    }
    sl_free(&names);
}

static void walk(Zip *z, const char *path, bool top) {
    struct stat st;
    bool is_link = false;
    if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
        if (z->symlinks) is_link = true;
        else if (stat(path, &st) != 0) {
            zmsg(z, "\tzip warning: name not matched: %s\n", path);
            return;
        }
    } else if (lstat(path, &st) != 0) {
        if (top) zmsg(z, "\tzip warning: name not matched: %s\n", path);
        return;
    }
    add_file(z, path, &st, is_link);
    if (S_ISDIR(st.st_mode) && !is_link && z->recurse) walk_dir(z, path);
}

/* ---------------------------------------------------------------- writing */

static bool is_text(const uint8_t *p, size_t n) {
    for (size_t i = 0; i < n; i++) {
        uint8_t c = p[i];
        if (c < 7 || (c > 13 && c < 26) || (c > 27 && c < 32)) return false;
    }
    return true;
}

/* The extra fields: local has mtime+atime, central mtime only; both "ux". */
static size_t build_extra(const Member *m, uint8_t *x, bool local) {
    if (m->e.extra_len == 0xffff) return 0;
    size_t n = 0;
    zip_put16(x, 0x5455);
    zip_put16(x + 2, local ? 9 : 5);
    x[4] = 3;
    zip_put32(x + 5, (uint32_t)m->st.st_mtime);
    n = 9;
    if (local) zip_put32(x + 9, (uint32_t)m->st.st_atime), n = 13;
    zip_put16(x + n, 0x7875);
    zip_put16(x + n + 2, 11);
    x[n + 4] = 1;
    x[n + 5] = 4;
    zip_put32(x + n + 6, (uint32_t)m->st.st_uid);
    x[n + 10] = 4;
    zip_put32(x + n + 11, (uint32_t)m->st.st_gid);
    return n + 15;
}

static void local_header(Zip *z, const Member *m, uint8_t *h, size_t *len) {
    uint8_t x[64];
    size_t xl = z->no_extra ? 0 : build_extra(m, x, true);
    size_t nl = strlen(m->e.name);
    zip_put32(h, ZIP_LOCAL_SIG);
    zip_put16(h + 4, m->e.needed);
    zip_put16(h + 6, m->e.flags);
    zip_put16(h + 8, m->e.method);
    zip_put16(h + 10, m->e.dos_time);
    zip_put16(h + 12, m->e.dos_date);
    bool desc = m->e.flags & 8;
    zip_put32(h + 14, desc ? 0 : m->e.crc);
    zip_put32(h + 18, desc ? 0 : (uint32_t)m->e.csize);
    zip_put32(h + 22, desc ? 0 : (uint32_t)m->e.usize);
    zip_put16(h + 26, (unsigned)nl);
    zip_put16(h + 28, (unsigned)xl);
    memcpy(h + 30, m->e.name, nl);
    memcpy(h + 30 + nl, x, xl);
    *len = 30 + nl + xl;
}

static uint16_t level_flags(int level) { return level >= 8 ? 2 : level <= 2 && level > 0 ? 4 : 0; }

typedef struct Src {
    int fd;
    UcFile *f;
} Src;

static ssize_t src_read(Src *s, void *buf, size_t n) {
    if (s->f) return uc_fread(s->f, buf, n);
    ssize_t r;
    do r = read(s->fd, buf, n);
    while (r < 0 && errno == EINTR);
    return r;
}

/* Writes the member's data; returns false on a read error (reported). */
static bool write_data(Zip *z, Member *m, Src *src, bool store, uint8_t *buf, size_t cap) {
    uint32_t crc = 0;
    uint64_t usize = 0, start = z->pos;
    DflDeflater *d = store ? NULL : dfl_deflate_new(DFL_RAW, z->level, NULL);
    bool text = true, first = true, ok = true;
    for (;;) {
        if (uc_should_stop(z->c)) {
            z->failed = true;
            break;
        }
        ssize_t n = src_read(src, buf, cap);
        if (n < 0) {
            zmsg(z, "\tzip warning: could not read: %s\n", m->path);
            ok = false;
            break;
        }
        if (n == 0) break;
        if (first) text = is_text(buf, (size_t)n), first = false;
        crc = dfl_crc32(crc, buf, (size_t)n);
        usize += (uint64_t)n;
        if (d) dfl_deflate(d, buf, (size_t)n, deflate_sink, z);
        else zwrite(z, buf, (size_t)n);
    }
    if (d) {
        dfl_deflate_finish(d, deflate_sink, z);
        dfl_deflate_free(d);
    }
    m->e.crc = crc;
    m->e.usize = usize;
    m->e.csize = z->pos - start;
    m->e.internal = text ? 1 : 0;
    return ok;
}

static void write_descriptor(Zip *z, const Member *m) {
    uint8_t dd[16];
    zip_put32(dd, ZIP_DESC_SIG);
    zip_put32(dd + 4, m->e.crc);
    zip_put32(dd + 8, (uint32_t)m->e.csize);
    zip_put32(dd + 12, (uint32_t)m->e.usize);
    zwrite(z, dd, 16);
}

static void report(Zip *z, const Member *m, bool updating) {
    if (z->quiet) return;
    const char *verb = !updating ? "  adding: " : z->freshen ? "freshening: " : "updating: ";
    if (m->e.method == ZIP_DEFLATED)
        zmsg(z, "%s%s (deflated %d%%)\n", verb, m->e.name, zip_percent(m->e.usize, m->e.csize));
    else
        zmsg(z, "%s%s (stored 0%%)\n", verb, m->e.name);
}

typedef struct MemOut {
    StrBuf b;
} MemOut;

static int mem_sink(void *ctx, const uint8_t *p, size_t n) {
    sb_put(&((MemOut *)ctx)->b, (const char *)p, n);
    return 0;
}

/* Reads the whole (small) file, deflates it in memory, and writes it stored
 * or deflated, whichever is smaller, with the sizes in the local header. */
static void write_buffered(Zip *z, Member *m, Src *src, uint8_t *buf, size_t cap, uint8_t *h, size_t *hl) {
    StrBuf raw;
    sb_init(&raw);
    ssize_t n;
    while ((n = src_read(src, buf, cap)) > 0) sb_put(&raw, (const char *)buf, (size_t)n);
    MemOut mo;
    sb_init(&mo.b);
    DflDeflater *d = dfl_deflate_new(DFL_RAW, z->level, NULL);
    dfl_deflate(d, (const uint8_t *)sb_cstr(&raw), raw.len, mem_sink, &mo);
    dfl_deflate_finish(d, mem_sink, &mo);
    dfl_deflate_free(d);
    bool deflated = mo.b.len < raw.len;
    m->e.crc = dfl_crc32(0, sb_cstr(&raw), raw.len);
    m->e.usize = raw.len;
    m->e.csize = deflated ? mo.b.len : raw.len;
    m->e.internal = is_text((const uint8_t *)sb_cstr(&raw), raw.len < 4096 ? raw.len : 4096) ? 1 : 0;
    m->e.method = deflated ? ZIP_DEFLATED : ZIP_STORED;
    m->e.needed = deflated ? 20 : 10;
    m->e.flags = deflated ? level_flags(z->level) : 0;
    /* write_member only counted the header; the final one is written here */
    z->pos -= *hl;
    local_header(z, m, h, hl);
    zwrite(z, h, *hl);
    zwrite(z, deflated ? sb_cstr(&mo.b) : sb_cstr(&raw), deflated ? mo.b.len : raw.len);
    sb_free(&raw);
    sb_free(&mo.b);
}

/* Writes one new member (header, data, maybe a descriptor). */
static void write_member(Zip *z, Member *m, uint8_t *buf, size_t cap) {
    bool updating = m->e.flags == 0xffff;
    m->e.made_by = 0x031e;
    m->e.external = ((uint32_t)(m->is_link ? (S_IFLNK | 0777) : m->st.st_mode) << 16) | (m->is_dir ? 0x10 : 0);
    zip_to_dos(m->st.st_mtime, &m->e.dos_time, &m->e.dos_date);
    m->e.mtime = m->st.st_mtime;
    m->e.offset = z->pos;
    bool empty = m->is_dir || (!m->is_link && S_ISREG(m->st.st_mode) && m->st.st_size == 0);
    bool store = z->level == 0 || empty || m->is_link;
    m->e.method = store ? ZIP_STORED : ZIP_DEFLATED;
    m->e.needed = store ? 10 : 20;
    m->e.flags = store ? 0 : level_flags(z->level);
    if (z->to_stdout) m->e.flags |= 8;
    Src src = {.fd = -1};
    StrBuf link;
    sb_init(&link);
    if (m->is_link) {
        char target[4096];
        ssize_t n = readlink(m->path, target, sizeof target - 1);
        if (n < 0) n = 0;
        sb_put(&link, target, (size_t)n);
    } else if (!m->is_dir) {
        if (!strcmp(m->path, "-")) {
            src.f = uc_open(z->c, "-", "r");
        } else {
            src.fd = open(m->path, O_RDONLY);
            if (src.fd < 0) {
                zmsg(z, "\tzip warning: could not open for reading: %s\n", m->path);
                z->status = ZE_OPEN;
                m->e.name[0] = 0; /* dropped */
                sb_free(&link);
                return;
            }
        }
    }
    uint8_t h[30 + 4096 + 64];
    size_t hl;
    bool buffered = !m->is_link && !m->is_dir && z->to_stdout && z->stdout_file && !store && src.fd >= 0 &&
                    m->st.st_size <= (off_t)(4 << 20);
    local_header(z, m, h, &hl);
    if (!buffered) zwrite(z, h, hl);
    else z->pos += hl; /* write_buffered takes it back and writes the final header */
    if (m->is_link) {
        m->e.method = ZIP_STORED;
        m->e.crc = dfl_crc32(0, link.s ? link.s : "", link.len);
        m->e.usize = m->e.csize = link.len;
        zwrite(z, link.s ? link.s : "", link.len);
    } else if (!m->is_dir && z->to_stdout && z->stdout_file && !store && src.fd >= 0 &&
               m->st.st_size <= (off_t)(4 << 20)) {
        /* stdout is a file: as Info-ZIP, which can seek there, a member that
         * deflating does not shrink is stored; find out in memory first */
        write_buffered(z, m, &src, buf, cap, h, &hl);
    } else if (!m->is_dir) {
        write_data(z, m, &src, store, buf, cap);
        if (!store && m->e.csize >= m->e.usize && !z->to_stdout && src.fd >= 0) {
            /* deflating did not help: store it instead, as Info-ZIP does */
            if (lseek(z->zfd, (off_t)m->e.offset, SEEK_SET) >= 0 && ftruncate(z->zfd, (off_t)m->e.offset) == 0 &&
                lseek(src.fd, 0, SEEK_SET) == 0) {
                z->pos = m->e.offset;
                m->e.method = ZIP_STORED;
                m->e.needed = 10;
                m->e.flags = 0;
                local_header(z, m, h, &hl);
                zwrite(z, h, hl);
                write_data(z, m, &src, true, buf, cap);
            }
        }
    }
    if (src.fd >= 0) close(src.fd);
    if (src.f) uc_close(src.f);
    sb_free(&link);
    if ((m->e.flags & 8) && !buffered) {
        write_descriptor(z, m);
    } else if (!z->to_stdout) {
        /* the sizes and CRC are known now: patch the local header */
        uint64_t end = z->pos;
        uint8_t f[12];
        zip_put32(f, m->e.crc);
        zip_put32(f + 4, (uint32_t)m->e.csize);
        zip_put32(f + 8, (uint32_t)m->e.usize);
        if (pwrite(z->zfd, f, 12, (off_t)(m->e.offset + 14)) != 12) z->failed = true;
        z->pos = end;
    }
    report(z, m, updating);
}

static void copy_old(Zip *z, Member *m, int ofd, uint8_t *buf, size_t cap) {
    uint64_t off = m->old_offset;
    int64_t left = m->old_span;
    m->e.offset = z->pos;
    while (left > 0 && !z->failed) {
        size_t k = (uint64_t)left < cap ? (size_t)left : cap;
        ssize_t n = pread(ofd, buf, k, (off_t)off);
        if (n <= 0) {
            z->failed = true;
            break;
        }
        zwrite(z, buf, (size_t)n);
        off += (uint64_t)n;
        left -= n;
    }
}

static void write_central(Zip *z) {
    uint64_t start = z->pos;
    size_t count = 0;
    for (size_t i = 0; i < z->nm; i++) {
        Member *m = &z->m[i];
        if (!m->e.name || !m->e.name[0]) continue;
        uint8_t x[64];
        const uint8_t *extra = m->e.extra;
        size_t xl = m->e.extra_len;
        if (!m->from_old) {
            xl = z->no_extra ? 0 : build_extra(m, x, false);
            extra = x;
        }
        size_t nl = strlen(m->e.name);
        uint8_t h[46];
        zip_put32(h, ZIP_CENTRAL_SIG);
        zip_put16(h + 4, m->e.made_by);
        zip_put16(h + 6, m->e.needed);
        zip_put16(h + 8, m->e.flags);
        zip_put16(h + 10, m->e.method);
        zip_put16(h + 12, m->e.dos_time);
        zip_put16(h + 14, m->e.dos_date);
        zip_put32(h + 16, m->e.crc);
        zip_put32(h + 20, (uint32_t)m->e.csize);
        zip_put32(h + 24, (uint32_t)m->e.usize);
        zip_put16(h + 28, (unsigned)nl);
        zip_put16(h + 30, (unsigned)xl);
        zip_put16(h + 32, 0);
        zip_put16(h + 34, 0);
        zip_put16(h + 36, m->e.internal);
        zip_put32(h + 38, m->e.external);
        zip_put32(h + 42, (uint32_t)m->e.offset);
        zwrite(z, h, 46);
        zwrite(z, m->e.name, nl);
        zwrite(z, extra, xl);
        count++;
    }
    uint8_t e[22];
    zip_put32(e, ZIP_END_SIG);
    zip_put16(e + 4, 0);
    zip_put16(e + 6, 0);
    zip_put16(e + 8, (unsigned)count);
    zip_put16(e + 10, (unsigned)count);
    zip_put32(e + 12, (uint32_t)(z->pos - start));
    zip_put32(e + 16, (uint32_t)start);
    zip_put16(e + 20, 0);
    zwrite(z, e, 22);
}

/* ---------------------------------------------------------------- main */

static int zip_usage_error(Zip *z, const char *what) {
    return zip_error(z, ZE_PARMS, "Invalid command arguments (%s)", what);
}

/* Options anywhere; -x and -i take the following words as patterns. */
static int zip_parse(Zip *z, int argc, char **argv) {
    StrList *list = NULL;
    bool opts_done = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!opts_done && !strcmp(a, "--")) {
            opts_done = true;
            continue;
        }
        if (!opts_done && a[0] == '-' && a[1] && strcmp(a, "-")) {
            list = NULL;
            if (a[1] == '-') {
                const char *l = a + 2;
                if (!strcmp(l, "recurse-paths")) z->recurse = true;
                else if (!strcmp(l, "quiet")) z->quiet = true;
                else if (!strcmp(l, "junk-paths")) z->junk = true;
                else if (!strcmp(l, "delete")) z->del = true;
                else if (!strcmp(l, "update")) z->update = true;
                else if (!strcmp(l, "freshen")) z->freshen = true;
                else if (!strcmp(l, "move")) z->move = true;
                else if (!strcmp(l, "symlinks")) z->symlinks = true;
                else if (!strcmp(l, "no-dir-entries")) z->no_dirs = true;
                else if (!strcmp(l, "test")) z->test = true;
                else if (!strcmp(l, "exclude")) list = &z->excludes;
                else if (!strcmp(l, "include")) list = &z->includes;
                else if (!strcmp(l, "help")) {
                    uc_puts(z->c, 1, "Usage: zip [-options] [-b path] [-t mmddyyyy] [-n suffixes] [zipfile list] [-xi list]\n");
                    return 0;
                } else {
                    char msg[128];
                    snprintf(msg, sizeof msg, "long option '%s' not supported", l);
                    return zip_usage_error(z, msg);
                }
                continue;
            }
            for (const char *p = a + 1; *p; p++) {
                switch (*p) {
                case 'r': z->recurse = true; break;
                case 'q': z->quiet = true; break;
                case 'j': z->junk = true; break;
                case 'd': z->del = true; break;
                case 'u': z->update = true; break;
                case 'f': z->freshen = true; break;
                case 'm': z->move = true; break;
                case 'y': z->symlinks = true; break;
                case 'D': z->no_dirs = true; break;
                case 'T': z->test = true; break;
                case 'X': z->no_extra = true; break;
                case '@': z->names_stdin = true; break;
                case 'x': list = &z->excludes; break;
                case 'i': list = &z->includes; break;
                case 'v': case 'o': case 'l': case 'k': case 'A': case 'F': case 'S': case 'R': break;
                default:
                    if (*p >= '0' && *p <= '9') {
                        z->level = *p - '0';
                        break;
                    }
                    char msg[64];
                    snprintf(msg, sizeof msg, "short option '%c' not supported", *p);
                    return zip_usage_error(z, msg);
                }
            }
            continue;
        }
        if (list) sl_push_copy(list, a);
        else if (!z->zipfile) z->zipfile = xstrdup(a);
        else sl_push_copy(&z->names, a);
    }
    return -1;
}

/* ".zip" is added to a name without a suffix. */
static void fix_zipfile_name(Zip *z) {
    if (!strcmp(z->zipfile, "-")) return;
    const char *base = strrchr(z->zipfile, '/');
    base = base ? base + 1 : z->zipfile;
    if (!strchr(base, '.')) {
        StrBuf b;
        sb_init(&b);
        sb_printf(&b, "%s.zip", z->zipfile);
        free(z->zipfile);
        z->zipfile = sb_take(&b);
    }
}

static void read_names_stdin(Zip *z) {
    UcFile *f = uc_open(z->c, "-", "r");
    if (!f) return;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = uc_getdelim(f, &line, &cap, '\n')) > 0) {
        if (line[n - 1] == '\n') line[--n] = 0;
        if (n) sl_push_copy(&z->names, line);
    }
    free(line);
    uc_close(f);
}

static int load_old(Zip *z, int *ofd) {
    *ofd = open(z->zipfile, O_RDONLY);
    if (*ofd < 0) return 0;
    ZipDir d;
    int r = zipdir_read(*ofd, &d);
    struct stat st;
    if (r != 0) {
        if (fstat(*ofd, &st) == 0 && st.st_size == 0) {
            close(*ofd);
            *ofd = -1;
            return 0;
        }
        close(*ofd);
        *ofd = -1;
        if (r == -1)
            uout_puts(&z->out, "\tzip warning: missing end signature--probably not a zip file (did you\n"
                               "\tzip warning: remember to use binary mode when you transferred it?)\n"
                               "\tzip warning: (if you are trying to read a damaged archive try -F)\n");
        uout_puts(&z->out, "\nzip error: Zip file structure invalid (");
        uout_puts(&z->out, z->zipfile);
        uout_puts(&z->out, ")\n");
        return ZE_FORM;
    }
    for (size_t i = 0; i < d.n; i++) {
        Member *m = new_member(z);
        m->e = d.v[i];
        m->from_old = true;
        m->old_offset = d.v[i].offset;
        m->old_span = zip_local_span(*ofd, &d.v[i]);
        d.v[i].name = NULL;
        d.v[i].extra = NULL;
    }
    zipdir_free(&d);
    return 0;
}

static void delete_members(Zip *z) {
    for (size_t i = 0; i < z->names.n; i++) {
        bool hit = false;
        for (size_t j = 0; j < z->nm; j++) {
            Member *m = &z->m[j];
            if (!m->e.name[0] || fnmatch(z->names.v[i], m->e.name, 0)) continue;
            if (!z->quiet) zmsg(z, "deleting: %s\n", m->e.name);
            m->e.name[0] = 0;
            hit = true;
        }
        if (!hit) zmsg(z, "\tzip warning: name not matched: %s\n", z->names.v[i]);
    }
}

static bool any_changes(const Zip *z, size_t old_n, size_t live_before) {
    size_t live = 0;
    for (size_t i = 0; i < z->nm; i++)
        if (z->m[i].e.name && z->m[i].e.name[0]) live++;
    if (live != live_before) return true;
    for (size_t i = 0; i < z->nm; i++)
        if (!z->m[i].from_old && z->m[i].e.name && z->m[i].e.name[0]) return true;
    return z->nm != old_n;
}

static int zip_write_all(Zip *z, int ofd) {
    char *tmp = NULL;
    if (!z->to_stdout) {
        StrBuf t;
        sb_init(&t);
        const char *slash = strrchr(z->zipfile, '/');
        if (slash) sb_put(&t, z->zipfile, (size_t)(slash - z->zipfile + 1));
        sb_puts(&t, "ziXXXXXX");
        tmp = sb_take(&t);
        z->zfd = mkstemp(tmp);
        if (z->zfd < 0) {
            int e = errno;
            free(tmp);
            zmsg(z, "\nzip error: Could not create output file (%s: %s)\n", z->zipfile, strerror(e));
            return ZE_CREAT;
        }
    }
    enum { CAP = 1 << 16 };
    uint8_t *buf = xmalloc(CAP);
    for (size_t i = 0; i < z->nm && !z->failed; i++) {
        Member *m = &z->m[i];
        if (!m->e.name[0]) continue;
        if (m->from_old) copy_old(z, m, ofd, buf, CAP);
        else write_member(z, m, buf, CAP);
    }
    if (!z->failed) write_central(z);
    free(buf);
    int st = ZE_OK;
    if (tmp) {
        fchmod(z->zfd, 0644);
        if (close(z->zfd) != 0) z->failed = true;
        if (!z->failed && rename(tmp, z->zipfile) != 0) z->failed = true;
        if (z->failed) {
            unlink(tmp);
            st = uc_should_stop(z->c) ? 1 : zip_error(z, 14, "Output file write failure (write error on zip file)");
        }
        free(tmp);
    }
    return st;
}

int util_zip_main(UtilCtx *c, int argc, char **argv) {
    Zip zs = {.c = c, .level = 6, .zfd = -1};
    Zip *z = &zs;
    sl_init(&z->names);
    sl_init(&z->excludes);
    sl_init(&z->includes);
    uout_init(&z->out, c, 1);
    int st = zip_parse(z, argc, argv);
    int ofd = -1;
    if (st >= 0) goto done;
    if (!z->zipfile) {
        st = zip_error(z, ZE_PARMS, "Invalid command arguments (nothing to select from)");
        goto done;
    }
    fix_zipfile_name(z);
    z->to_stdout = !strcmp(z->zipfile, "-");
    if (z->to_stdout) {
        uout_close(&z->out);
        uout_init(&z->out, c, 2);
        UcFile *so = uc_open(c, "-", "w");
        z->stdout_file = so && uc_seekable(so);
        if (so) uc_close(so);
    }
    if (z->names_stdin) read_names_stdin(z);
    if (!z->to_stdout && (st = load_old(z, &ofd)) != 0) goto done;
    bool refresh = z->update || z->freshen;
    if (refresh && z->nm == 0) zmsg(z, "\tzip warning: %s not found or empty\n", z->zipfile);
    size_t old_n = z->nm, live_before = z->nm;
    if (z->del) {
        delete_members(z);
    } else {
        for (size_t i = 0; i < z->names.n && !uc_should_stop(c); i++) {
            const char *n = z->names.v[i];
            if (!strcmp(n, "-")) {
                struct stat st0 = {.st_mode = S_IFREG | 0600};
                st0.st_mtime = st0.st_atime = time(NULL);
                st0.st_uid = 0;
                add_file(z, "-", &st0, false);
                continue;
            }
            walk(z, n, true);
        }
    }
    if (!any_changes(z, old_n, live_before)) {
        /* Info-ZIP says nothing when -u or -f find nothing newer */
        st = refresh ? ZE_NONE : zip_error(z, ZE_NONE, "Nothing to do! (%s)", z->zipfile);
        goto done;
    }
    st = zip_write_all(z, ofd);
    if (st == ZE_OK && z->status) st = z->status;
    if (z->move && !z->failed)
        for (size_t i = 0; i < z->nm; i++) {
            Member *m = &z->m[i];
            if (m->from_old || !m->path || !m->e.name[0] || !strcmp(m->path, "-")) continue;
            if (!m->is_dir) unlink(m->path);
        }
    if (z->move && !z->failed)
        for (size_t i = z->nm; i-- > 0;)
            if (!z->m[i].from_old && z->m[i].is_dir && z->m[i].path) rmdir(z->m[i].path);
    if (z->test && !z->failed && !z->to_stdout) zmsg(z, "test of %s OK\n", z->zipfile);
done:
    if (ofd >= 0) close(ofd);
    for (size_t i = 0; i < z->nm; i++) {
        free(z->m[i].e.name);
        free(z->m[i].e.extra);
        free(z->m[i].path);
    }
    free(z->m);
    free(z->zipfile);
    sl_free(&z->names);
    sl_free(&z->excludes);
    sl_free(&z->includes);
    if (uout_close(&z->out) && !st) st = ZE_CREAT;
    return st;
}
