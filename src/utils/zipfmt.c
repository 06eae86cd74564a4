/* zipfmt.c - reading the central directory and local headers of .zip files,
 * DOS time conversion and the Info-ZIP extra fields (see zipfmt.h). */
#include "zipfmt.h"
#include "common.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void zip_put16(uint8_t *p, unsigned v) {
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}
void zip_put32(uint8_t *p, uint32_t v) {
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}
unsigned zip_get16(const uint8_t *p) { return (unsigned)p[0] | (unsigned)p[1] << 8; }
uint32_t zip_get32(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }

void zip_to_dos(time_t t, uint16_t *dtime, uint16_t *ddate) {
    struct tm tm;
    if (!localtime_r(&t, &tm) || tm.tm_year < 80) {
        *dtime = 0;
        *ddate = (0 << 9) | (1 << 5) | 1;
        return;
    }
    *dtime = (uint16_t)(tm.tm_hour << 11 | tm.tm_min << 5 | tm.tm_sec / 2);
    *ddate = (uint16_t)((tm.tm_year - 80) << 9 | (tm.tm_mon + 1) << 5 | tm.tm_mday);
}

time_t zip_from_dos(uint16_t dtime, uint16_t ddate) {
    struct tm tm = {0};
    tm.tm_year = (ddate >> 9) + 80;
    tm.tm_mon = ((ddate >> 5) & 15) - 1;
    tm.tm_mday = ddate & 31;
    tm.tm_hour = dtime >> 11;
    tm.tm_min = (dtime >> 5) & 63;
    tm.tm_sec = (dtime & 31) * 2;
    tm.tm_isdst = -1;
    return mktime(&tm);
}

int zip_percent(uint64_t n, uint64_t m) {
    if (n > 0xffffff) {
        n = (n + 0x80) >> 8;
        m = (m + 0x80) >> 8;
    }
    if (!n) return 0;
    int64_t p = ((200 * ((int64_t)n - (int64_t)m) / (int64_t)n) + 1) / 2;
    return (int)p;
}

bool zip_is_dir(const ZipEntry *e) {
    size_t n = strlen(e->name);
    return (n && e->name[n - 1] == '/') || ((e->made_by >> 8) == 3 && S_ISDIR(e->external >> 16)) ||
           (e->external & 0x10);
}

bool zip_is_symlink(const ZipEntry *e) { return (e->made_by >> 8) == 3 && S_ISLNK(e->external >> 16); }

unsigned zip_unix_mode(const ZipEntry *e) {
    unsigned m = e->external >> 16;
    if ((e->made_by >> 8) == 3 && (m & 07777)) return m & 07777;
    return zip_is_dir(e) ? 0755 : 0644;
}

static bool pread_all(int fd, void *buf, size_t n, uint64_t off) {
    uint8_t *p = buf;
    while (n) {
        ssize_t k = pread(fd, p, n, (off_t)off);
        if (k <= 0) return false;
        p += k;
        n -= (size_t)k;
        off += (uint64_t)k;
    }
    return true;
}

/* The mtime of an "UT" extra field (flag bit 0), if there is one. */
static bool extra_mtime(const uint8_t *x, size_t n, int64_t *out) {
    for (size_t i = 0; i + 4 <= n;) {
        unsigned id = zip_get16(x + i), len = zip_get16(x + i + 2);
        if (i + 4 + len > n) break;
        if (id == 0x5455 && len >= 5 && (x[i + 4] & 1)) {
            *out = (int32_t)zip_get32(x + i + 5);
            return true;
        }
        i += 4 + len;
    }
    return false;
}

int zipdir_read(int fd, ZipDir *d) {
    memset(d, 0, sizeof *d);
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size < 22) return -1;
    uint64_t size = (uint64_t)st.st_size;
    size_t tail = size < 65557 ? (size_t)size : 65557;
    uint8_t *buf = xmalloc(tail);
    if (!pread_all(fd, buf, tail, size - tail)) {
        free(buf);
        return -1;
    }
    long at = -1;
    for (long i = (long)tail - 22; i >= 0; i--)
        if (zip_get32(buf + i) == ZIP_END_SIG && (size_t)i + 22 + zip_get16(buf + i + 20) <= tail) {
            at = i;
            break;
        }
    if (at < 0) {
        free(buf);
        return -1;
    }
    const uint8_t *e = buf + at;
    size_t count = zip_get16(e + 10);
    d->cd_size = zip_get32(e + 12);
    d->cd_offset = zip_get32(e + 16);
    free(buf);
    if (d->cd_offset + d->cd_size > size) return -2;
    uint8_t *cd = xmalloc(d->cd_size ? (size_t)d->cd_size : 1);
    if (!pread_all(fd, cd, (size_t)d->cd_size, d->cd_offset)) {
        free(cd);
        return -2;
    }
    d->v = xcalloc(count ? count : 1, sizeof *d->v);
    size_t p = 0;
    for (size_t i = 0; i < count; i++) {
        if (p + 46 > d->cd_size || zip_get32(cd + p) != ZIP_CENTRAL_SIG) {
            free(cd);
            zipdir_free(d);
            return -2;
        }
        const uint8_t *h = cd + p;
        ZipEntry *z = &d->v[d->n];
        z->made_by = (uint16_t)zip_get16(h + 4);
        z->needed = (uint16_t)zip_get16(h + 6);
        z->flags = (uint16_t)zip_get16(h + 8);
        z->method = (uint16_t)zip_get16(h + 10);
        z->dos_time = (uint16_t)zip_get16(h + 12);
        z->dos_date = (uint16_t)zip_get16(h + 14);
        z->crc = zip_get32(h + 16);
        z->csize = zip_get32(h + 20);
        z->usize = zip_get32(h + 24);
        size_t nl = zip_get16(h + 28), xl = zip_get16(h + 30), cl = zip_get16(h + 32);
        z->internal = (uint16_t)zip_get16(h + 36);
        z->external = zip_get32(h + 38);
        z->offset = zip_get32(h + 42);
        if (p + 46 + nl + xl + cl > d->cd_size) {
            free(cd);
            zipdir_free(d);
            return -2;
        }
        z->name = xstrndup((const char *)h + 46, nl);
        z->extra_len = (uint16_t)xl;
        z->extra = xmalloc(xl ? xl : 1);
        memcpy(z->extra, h + 46 + nl, xl);
        z->has_ut = extra_mtime(z->extra, xl, &z->mtime);
        if (!z->has_ut) z->mtime = (int64_t)zip_from_dos(z->dos_time, z->dos_date);
        d->n++;
        p += 46 + nl + xl + cl;
    }
    free(cd);
    return 0;
}

void zipdir_free(ZipDir *d) {
    for (size_t i = 0; i < d->n; i++) {
        free(d->v[i].name);
        free(d->v[i].extra);
    }
    free(d->v);
    memset(d, 0, sizeof *d);
}

int64_t zip_data_offset(int fd, const ZipEntry *e) {
    uint8_t h[30];
    if (!pread_all(fd, h, 30, e->offset) || zip_get32(h) != ZIP_LOCAL_SIG) return -1;
    return (int64_t)(e->offset + 30 + zip_get16(h + 26) + zip_get16(h + 28));
}

int64_t zip_local_span(int fd, const ZipEntry *e) {
    int64_t data = zip_data_offset(fd, e);
    if (data < 0) return -1;
    int64_t end = data + (int64_t)e->csize;
    if (e->flags & 8) {
        uint8_t sig[4];
        end += (pread_all(fd, sig, 4, (uint64_t)end) && zip_get32(sig) == ZIP_DESC_SIG) ? 16 : 12;
    }
    return end - (int64_t)e->offset;
}
