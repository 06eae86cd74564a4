/* tar_archive.c - the tar format: header blocks (v7, ustar, GNU with
 * ././@LongLink names, pax extended headers), a block writer that pads to
 * records and may gzip its output, and a streaming reader that takes bytes in
 * any chunks, detects or undoes gzip, applies long names and pax records and
 * hands members and their data to callbacks, with GNU tar's messages for bad,
 * truncated and empty archives. Also the message, quoting, name-safety and
 * listing helpers shared by the modes. */
#include "bzip2.h"
#include "tar.h"

#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---------------------------------------------------------------- messages */

static void tar_vmsg(Tar *t, const char *fmt, va_list ap) {
    StrBuf b;
    sb_init(&b);
    sb_puts(&b, "tar: ");
    sb_vprintf(&b, fmt, ap);
    sb_putc(&b, '\n');
    uout_flush(&t->out);
    uc_write(t->c, 2, b.s, b.len);
    sb_free(&b);
}

void tar_msg(Tar *t, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    tar_vmsg(t, fmt, ap);
    va_end(ap);
}

void tar_error(Tar *t, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    tar_vmsg(t, fmt, ap);
    va_end(ap);
    t->status = 2;
}

void tar_error_errno(Tar *t, const char *name, const char *what, int err) {
    char *q = tar_quote(name);
    tar_error(t, "%s: %s: %s", q, what, strerror(err));
    free(q);
}

char *tar_quote(const char *s) {
    StrBuf b;
    sb_init(&b);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '\\': sb_puts(&b, "\\\\"); break;
        case '\a': sb_puts(&b, "\\a"); break;
        case '\b': sb_puts(&b, "\\b"); break;
        case '\f': sb_puts(&b, "\\f"); break;
        case '\n': sb_puts(&b, "\\n"); break;
        case '\r': sb_puts(&b, "\\r"); break;
        case '\t': sb_puts(&b, "\\t"); break;
        case '\v': sb_puts(&b, "\\v"); break;
        default:
            if (*p < 0x20 || *p >= 0x7f) sb_printf(&b, "\\%03o", *p);
            else sb_putc(&b, (char)*p);
        }
    }
    return sb_take(&b);
}

bool tar_has_dotdot(const char *name) {
    for (const char *p = name; *p;) {
        if (p[0] == '.' && p[1] == '.' && (p[2] == '/' || p[2] == 0)) return true;
        p = strchr(p, '/');
        if (!p) break;
        while (*p == '/') p++;
    }
    return false;
}

const char *tar_safer_name(Tar *t, const char *name, bool link_target) {
    if (t->absolute) return name;
    /* the longest prefix made of "/" and components up to a last ".." */
    size_t cut = 0;
    for (size_t i = 0; name[i];) {
        if (name[i] == '/') {
            i++;
            if (cut == i - 1) cut = i;
            continue;
        }
        size_t j = i;
        while (name[j] && name[j] != '/') j++;
        if (j - i == 2 && name[i] == '.' && name[i + 1] == '.') {
            cut = j;
            while (name[cut] == '/') cut++;
        }
        i = j;
    }
    if (!cut) return name;
    char *prefix = xstrndup(name, cut);
    bool seen = false;
    for (size_t i = 0; i < t->warned_prefixes.n; i++)
        if (!strcmp(t->warned_prefixes.v[i] + 1, prefix) && t->warned_prefixes.v[i][0] == (link_target ? 'l' : 'm'))
            seen = true;
    if (!seen) {
        char *q = tar_quote(prefix);
        tar_msg(t, "Removing leading `%s' from %s", q, link_target ? "hard link targets" : "member names");
        free(q);
        StrBuf k;
        sb_init(&k);
        sb_putc(&k, link_target ? 'l' : 'm');
        sb_puts(&k, prefix);
        sl_push(&t->warned_prefixes, sb_take(&k));
    }
    free(prefix);
    return name + cut;
}

/* The last component of name, without trailing slashes, into buf. */
static const char *last_component(const char *name, char *buf, size_t cap) {
    size_t n = strlen(name);
    while (n > 1 && name[n - 1] == '/') n--;
    size_t b = n;
    while (b > 0 && name[b - 1] != '/') b--;
    size_t len = n - b < cap - 1 ? n - b : cap - 1;
    memcpy(buf, name + b, len);
    buf[len] = '\0';
    return buf;
}

bool tar_excluded(const Tar *t, const char *name) {
    if (t->vcs_excludes.n) {
        char buf[256];
        const char *base = last_component(name, buf, sizeof buf);
        for (size_t i = 0; i < t->vcs_excludes.n; i++)
            if (!strcmp(t->vcs_excludes.v[i], base)) return true;
    }
    for (size_t i = 0; i < t->excludes.n; i++) {
        const char *pat = t->excludes.v[i];
        for (const char *p = name; p; p = strchr(p, '/')) {
            while (*p == '/') p++;
            if (!*p) break;
            if (fnmatch(pat, p, FNM_LEADING_DIR) == 0) return true;
        }
    }
    return false;
}

/* ---------------------------------------------------------------- listing */

static void mode_string(const TarEntry *e, char *m) {
    switch (e->type) {
    case '1': m[0] = 'h'; break;
    case '2': m[0] = 'l'; break;
    case '3': m[0] = 'c'; break;
    case '4': m[0] = 'b'; break;
    case '5': m[0] = 'd'; break;
    case '6': m[0] = 'p'; break;
    case '7': m[0] = 'C'; break;
    default: m[0] = '-'; break;
    }
    static const char rwx[] = "rwxrwxrwx";
    for (int i = 0; i < 9; i++) m[1 + i] = (e->mode & (0400u >> i)) ? rwx[i] : '-';
    if (e->mode & 04000) m[3] = (e->mode & 0100) ? 's' : 'S';
    if (e->mode & 02000) m[6] = (e->mode & 010) ? 's' : 'S';
    if (e->mode & 01000) m[9] = (e->mode & 01) ? 't' : 'T';
    m[10] = 0;
}

void tar_list_long(Tar *t, UOut *o, const TarEntry *e) {
    char modes[11], user[48], group[48], size[48], when[64];
    mode_string(e, modes);
    if (e->uname[0] && !t->numeric) snprintf(user, sizeof user, "%s", e->uname);
    else snprintf(user, sizeof user, "%ju", e->uid);
    if (e->gname[0] && !t->numeric) snprintf(group, sizeof group, "%s", e->gname);
    else snprintf(group, sizeof group, "%ju", e->gid);
    if (e->type == '3' || e->type == '4') snprintf(size, sizeof size, "%u,%u", e->devmajor, e->devminor);
    else snprintf(size, sizeof size, "%ju", (uintmax_t)((e->type == '1' || e->type == '2' || e->type == '5') ? 0 : e->size));
    time_t tt = (time_t)e->mtime;
    struct tm tm;
    if (localtime_r(&tt, &tm)) strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
    else snprintf(when, sizeof when, "%jd", (intmax_t)e->mtime);
    /* user/group and size share a column of at least 19; GNU widens it for
     * the rest of the run once a line needs more */
    int sizelen = (int)strlen(size);
    int pad = (int)(strlen(user) + 1 + strlen(group) + 1) + sizelen;
    if (pad > t->ugswidth) t->ugswidth = pad;
    char *q = tar_quote(e->name);
    uout_printf(o, "%s %s/%s %*s %s %s", modes, user, group, t->ugswidth - pad + sizelen, size, when, q);
    free(q);
    if (e->type == '1' || e->type == '2') {
        q = tar_quote(e->linkname ? e->linkname : "");
        uout_printf(o, "%s%s", e->type == '1' ? " link to " : " -> ", q);
        free(q);
    }
    uout_putc(o, '\n');
}

/* ---------------------------------------------------------------- headers */

enum {
    H_NAME = 0, H_MODE = 100, H_UID = 108, H_GID = 116, H_SIZE = 124, H_MTIME = 136, H_CHKSUM = 148,
    H_TYPE = 156, H_LINK = 157, H_MAGIC = 257, H_VERSION = 263, H_UNAME = 265, H_GNAME = 297,
    H_DEVMAJOR = 329, H_DEVMINOR = 337, H_PREFIX = 345,
};

static bool put_octal(uint8_t *f, size_t w, uintmax_t v) {
    /* w-1 digits and a NUL, as GNU writes */
    uintmax_t max = ((uintmax_t)1 << (3 * (w - 1))) - 1;
    if (v > max) return false;
    f[w - 1] = 0;
    for (size_t i = w - 1; i-- > 0; v >>= 3) f[i] = (uint8_t)('0' + (v & 7));
    return true;
}

/* GNU's base-256 form for values octal cannot hold. */
static void put_base256(uint8_t *f, size_t w, intmax_t v) {
    uintmax_t u = (uintmax_t)v;
    for (size_t i = w; i-- > 0; u >>= 8) f[i] = (uint8_t)u;
    f[0] = v < 0 ? 0xff : 0x80;
}

static void put_str(uint8_t *f, size_t w, const char *s) {
    size_t n = strlen(s);
    memcpy(f, s, n < w ? n : w);
}

static void put_checksum(uint8_t *h) {
    memset(h + H_CHKSUM, ' ', 8);
    unsigned sum = 0;
    for (int i = 0; i < TAR_BLOCK; i++) sum += h[i];
    snprintf((char *)h + H_CHKSUM, 8, "%06o", sum);
    h[H_CHKSUM + 7] = ' ';
}

static intmax_t get_number(const uint8_t *f, size_t w, bool *ok) {
    *ok = true;
    if (f[0] & 0x80) {
        uintmax_t v = f[0] == 0xff ? (uintmax_t)-1 : 0;
        v = (v << 8) | (uint8_t)(f[0] == 0xff ? 0xff : (f[0] & 0x7f));
        for (size_t i = 1; i < w; i++) v = (v << 8) | f[i];
        return (intmax_t)v;
    }
    size_t i = 0;
    while (i < w && (f[i] == ' ' || f[i] == 0)) {
        if (f[i] == 0 && i == 0) break;
        i++;
    }
    uintmax_t v = 0;
    bool digits = false;
    for (; i < w && f[i] >= '0' && f[i] <= '7'; i++) v = v * 8 + (uintmax_t)(f[i] - '0'), digits = true;
    if (i < w && f[i] != 0 && f[i] != ' ') *ok = false;
    (void)digits;
    return (intmax_t)v;
}

static char *get_str(const uint8_t *f, size_t w) { return xstrndup((const char *)f, strnlen((const char *)f, w)); }

static bool block_is_zero(const uint8_t *b) {
    for (int i = 0; i < TAR_BLOCK; i++)
        if (b[i]) return false;
    return true;
}

static bool checksum_ok(const uint8_t *h) {
    bool ok;
    intmax_t want = get_number(h + H_CHKSUM, 8, &ok);
    if (!ok && !(h[H_CHKSUM] >= '0' && h[H_CHKSUM] <= '7')) return false;
    long usum = 0, ssum = 0;
    for (int i = 0; i < TAR_BLOCK; i++) {
        uint8_t c = (i >= H_CHKSUM && i < H_CHKSUM + 8) ? ' ' : h[i];
        usum += c;
        ssum += (signed char)c;
    }
    return want == usum || want == ssum;
}

/* ---------------------------------------------------------------- writer */

struct TarWriter {
    Tar *t;
    int fd;
    DflDeflater *z;
    BzEncoder *bz;
    uint8_t *rec;
    size_t rec_size, used;
    uint64_t since_header;
    bool failed;
};

static int raw_out(void *ctx, const uint8_t *p, size_t n) {
    TarWriter *w = ctx;
    if (w->failed) return 1;
    if (w->fd >= 0) {
        while (n) {
            ssize_t k = write(w->fd, p, n);
            if (k < 0) {
                if (errno == EINTR) continue;
                tar_error(w->t, "Cannot write: %s", strerror(errno));
                w->failed = true;
                w->t->fatal = true;
                return 1;
            }
            p += k;
            n -= (size_t)k;
        }
    } else if (uc_write(w->t->c, 1, p, n) < 0) {
        if (errno != EPIPE) tar_error(w->t, "Cannot write: %s", strerror(errno));
        w->failed = true;
        w->t->fatal = true;
        return 1;
    }
    if (uc_should_stop(w->t->c)) {
        w->failed = true;
        w->t->fatal = true;
        return 1;
    }
    return 0;
}

static void send_record(TarWriter *w) {
    if (w->z) {
        if (dfl_deflate(w->z, w->rec, w->used, raw_out, w) != DFL_OK) w->failed = true;
    } else if (w->bz) {
        if (bz_encode(w->bz, w->rec, w->used, raw_out, w) != BZ_OK) w->failed = true;
    } else {
        raw_out(w, w->rec, w->used);
    }
    w->used = 0;
}

static int put_bytes(TarWriter *w, const void *p, size_t n) {
    const uint8_t *s = p;
    while (n && !w->failed) {
        size_t k = w->rec_size - w->used < n ? w->rec_size - w->used : n;
        memcpy(w->rec + w->used, s, k);
        w->used += k;
        s += k;
        n -= k;
        if (w->used == w->rec_size) send_record(w);
    }
    return w->failed ? -1 : 0;
}

TarWriter *tar_writer_new(Tar *t, int fd, TarZip zip) {
    TarWriter *w = xcalloc(1, sizeof *w);
    w->t = t;
    w->fd = fd;
    w->rec_size = (size_t)t->blocking * TAR_BLOCK;
    w->rec = xcalloc(1, w->rec_size);
    if (zip == TZ_GZIP) w->z = dfl_deflate_new(DFL_GZIP, 6, NULL);
    if (zip == TZ_BZIP2) w->bz = bz_encoder_new(9);
    return w;
}

bool tar_writer_failed(const TarWriter *w) { return w->failed; }

void tar_writer_preload(TarWriter *w, const uint8_t *p, size_t n) {
    if (n > w->rec_size) n = w->rec_size;
    memcpy(w->rec, p, n);
    w->used = n;
}

int tar_write_data(TarWriter *w, const void *p, size_t n) {
    w->since_header += n;
    return put_bytes(w, p, n);
}

int tar_write_pad(TarWriter *w) {
    static const uint8_t zeros[TAR_BLOCK];
    size_t r = (size_t)(w->since_header % TAR_BLOCK);
    w->since_header = 0;
    return r ? put_bytes(w, zeros, TAR_BLOCK - r) : 0;
}

int tar_writer_finish(TarWriter *w) {
    static const uint8_t zeros[TAR_BLOCK];
    put_bytes(w, zeros, TAR_BLOCK);
    put_bytes(w, zeros, TAR_BLOCK);
    if (w->used && !w->failed) {
        memset(w->rec + w->used, 0, w->rec_size - w->used);
        w->used = w->rec_size;
        send_record(w);
    }
    if (w->z && !w->failed && dfl_deflate_finish(w->z, raw_out, w) != DFL_OK) w->failed = true;
    if (w->bz && !w->failed && bz_encode_finish(w->bz, raw_out, w) != BZ_OK) w->failed = true;
    return w->failed ? -1 : 0;
}

void tar_writer_free(TarWriter *w) {
    if (!w) return;
    dfl_deflate_free(w->z);
    bz_encoder_free(w->bz);
    free(w->rec);
    free(w);
}

/* A header block with the fields every format shares. */
static void base_header(uint8_t *h, const Tar *t, const char *name, unsigned mode, uintmax_t uid, uintmax_t gid,
                        uint64_t size, int64_t mtime, char type, TarFormat fmt) {
    memset(h, 0, TAR_BLOCK);
    put_str(h + H_NAME, 100, name);
    put_octal(h + H_MODE, 8, mode & 07777);
    if (!put_octal(h + H_UID, 8, uid)) put_base256(h + H_UID, 8, (intmax_t)uid);
    if (!put_octal(h + H_GID, 8, gid)) put_base256(h + H_GID, 8, (intmax_t)gid);
    if (!put_octal(h + H_SIZE, 12, size)) put_base256(h + H_SIZE, 12, (intmax_t)size);
    if (mtime < 0 || !put_octal(h + H_MTIME, 12, (uintmax_t)mtime)) put_base256(h + H_MTIME, 12, mtime);
    h[H_TYPE] = (uint8_t)type;
    (void)t;
    if (fmt == TF_GNU || fmt == TF_OLDGNU) {
        memcpy(h + H_MAGIC, "ustar  ", 8);
    } else {
        if (fmt != TF_V7) {
            memcpy(h + H_MAGIC, "ustar", 6);
            memcpy(h + H_VERSION, "00", 2);
        } else if (type == '0') {
            h[H_TYPE] = 0; /* v7's regular file */
        }
        put_octal(h + H_DEVMAJOR, 8, 0);
        put_octal(h + H_DEVMINOR, 8, 0);
    }
}

/* ././@LongLink with the long name or link target as data. */
static int write_long(TarWriter *w, const char *s, char type) {
    uint8_t h[TAR_BLOCK];
    size_t n = strlen(s) + 1;
    base_header(h, w->t, "././@LongLink", 0644, 0, 0, n, 0, type, TF_GNU);
    if (!w->t->numeric) {
        put_str(h + H_UNAME, 32, "root");
        put_str(h + H_GNAME, 32, "root");
    }
    put_checksum(h);
    w->since_header = 0;
    if (put_bytes(w, h, TAR_BLOCK)) return -1;
    tar_write_data(w, s, n);
    return tar_write_pad(w);
}

static void pax_record(StrBuf *b, const char *key, const char *val) {
    size_t body = strlen(key) + strlen(val) + 3, len = body + 1;
    char digits[32];
    for (;;) { /* the length counts its own digits */
        int d = snprintf(digits, sizeof digits, "%zu", len);
        if (body + (size_t)d == len) break;
        len = body + (size_t)d;
    }
    sb_printf(b, "%s %s=%s\n", digits, key, val);
}

static int write_pax(TarWriter *w, const TarEntry *e, const char *path, const char *link, bool big_size,
                     bool big_ids, bool big_time) {
    StrBuf b;
    sb_init(&b);
    char num[64];
    if (path) pax_record(&b, "path", path);
    if (link) pax_record(&b, "linkpath", link);
    if (big_size) snprintf(num, sizeof num, "%ju", (uintmax_t)e->size), pax_record(&b, "size", num);
    if (big_ids) {
        snprintf(num, sizeof num, "%ju", e->uid), pax_record(&b, "uid", num);
        snprintf(num, sizeof num, "%ju", e->gid), pax_record(&b, "gid", num);
    }
    if (big_time) snprintf(num, sizeof num, "%jd", (intmax_t)e->mtime), pax_record(&b, "mtime", num);
    /* the header's name: DIR/PaxHeaders/BASE */
    const char *slash = strrchr(e->name, '/');
    const char *base = e->name;
    StrBuf hn;
    sb_init(&hn);
    if (slash && slash[1]) {
        sb_put(&hn, e->name, (size_t)(slash - e->name));
        base = slash + 1;
    } else if (slash) {
        /* a directory "d/": its base is "d" */
        const char *p = e->name;
        size_t n = (size_t)(slash - p);
        const char *s2 = n ? memrchr(p, '/', n) : NULL;
        if (s2) sb_put(&hn, p, (size_t)(s2 - p)), base = s2 + 1;
        else sb_putc(&hn, '.');
    } else {
        sb_putc(&hn, '.');
    }
    sb_puts(&hn, "/PaxHeaders/");
    size_t bl = strlen(base);
    if (bl && base[bl - 1] == '/') bl--;
    sb_put(&hn, base, bl);
    uint8_t h[TAR_BLOCK];
    base_header(h, w->t, sb_cstr(&hn), 0644, 0, 0, b.len, e->mtime, 'x', TF_PAX);
    put_checksum(h);
    sb_free(&hn);
    w->since_header = 0;
    int r = put_bytes(w, h, TAR_BLOCK);
    if (!r) r = tar_write_data(w, b.s, b.len);
    if (!r) r = tar_write_pad(w);
    sb_free(&b);
    return r;
}

/* ustar's prefix/name split as GNU's split_long_name: at the last '/' that
 * fits the 155-byte prefix (a trailing one does not count), which must leave
 * 1 to 100 bytes for the name. */
static bool ustar_split(const char *name, size_t *cut) {
    size_t len = strlen(name);
    if (len <= 100 || len > 256) return false;
    size_t end = len > 156 ? 156 : name[len - 1] == '/' ? len - 1 : len;
    size_t i = end - 1;
    while (i > 0 && name[i] != '/') i--;
    if (i == 0 || len - i - 1 == 0 || len - i - 1 > 100) return false;
    *cut = i;
    return true;
}

int tar_write_header(TarWriter *w, const TarEntry *e) {
    Tar *t = w->t;
    TarFormat fmt = t->format;
    const char *name = e->name, *link = e->linkname ? e->linkname : "";
    size_t nlen = strlen(name), llen = strlen(link);
    bool gnu = fmt == TF_GNU || fmt == TF_OLDGNU;
    bool big_size = e->size > 077777777777ull, big_ids = e->uid > 07777777 || e->gid > 07777777;
    bool big_time = e->mtime < 0 || e->mtime > 077777777777ll;
    size_t cut = 0;
    bool split = false;
    if (llen > 100) {
        if (gnu) {
            if (write_long(w, link, 'K')) return -1;
        } else if (fmt != TF_PAX) {
            char *q = tar_quote(name);
            tar_error(t, "%s: link name is too long (max 100); not dumped", q);
            free(q);
            return 1;
        }
    }
    if (nlen > 100) {
        if (gnu) {
            if (write_long(w, name, 'L')) return -1;
        } else if (fmt == TF_PAX) {
            /* a "path" record holds it (GNU does not split pax names) */
        } else if (fmt == TF_USTAR) {
            split = ustar_split(name, &cut);
            if (!split) {
                char *q = tar_quote(name);
                if (nlen > 256) tar_error(t, "%s: file name is too long (max 256); not dumped", q);
                else tar_error(t, "%s: file name is too long (cannot be split); not dumped", q);
                free(q);
                return 1;
            }
        } else {
            char *q = tar_quote(name);
            tar_error(t, "%s: file name is too long (max 99); not dumped", q);
            free(q);
            return 1;
        }
    }
    if (fmt == TF_PAX && ((nlen > 100 && !split) || llen > 100 || big_size || big_ids || big_time)) {
        if (write_pax(w, e, (nlen > 100 && !split) ? name : NULL, llen > 100 ? link : NULL, big_size, big_ids,
                      big_time))
            return -1;
    }
    if ((fmt == TF_USTAR || fmt == TF_V7) && (big_size || big_ids || big_time)) {
        char *q = tar_quote(name);
        tar_error(t, "%s: value out of range for the %s format; not dumped", q, fmt == TF_USTAR ? "ustar" : "v7");
        free(q);
        return 1;
    }
    uint8_t h[TAR_BLOCK];
    base_header(h, t, split ? name + cut + 1 : name, e->mode, e->uid, e->gid, e->size, e->mtime, e->type, fmt);
    if (split) memcpy(h + H_PREFIX, name, cut);
    put_str(h + H_LINK, 100, link);
    if (fmt != TF_V7) {
        put_str(h + H_UNAME, 32, e->uname);
        put_str(h + H_GNAME, 32, e->gname);
    }
    if (e->type == '3' || e->type == '4') {
        put_octal(h + H_DEVMAJOR, 8, e->devmajor);
        put_octal(h + H_DEVMINOR, 8, e->devminor);
    }
    put_checksum(h);
    w->since_header = 0;
    return put_bytes(w, h, TAR_BLOCK);
}

/* ---------------------------------------------------------------- reader */

typedef enum RState { R_DETECT, R_HEADER, R_DATA, R_PAD, R_EXT, R_END, R_FATAL } RState;

typedef struct Pax {
    char *path, *linkpath, *uname, *gname;
    bool has_size, has_mtime, has_uid, has_gid;
    uint64_t size;
    int64_t mtime;
    uintmax_t uid, gid;
} Pax;

enum { EXT_MAX = 1 << 20 };

struct TarReader {
    Tar *t;
    const TarReadOps *ops;
    void *ctx;
    TarZip zip;
    bool may_detect;
    uint8_t head[8];
    size_t nhead;
    DflInflater *z;
    BzDecoder *bz;
    bool z_done;
    RState st;
    uint8_t blk[TAR_BLOCK];
    size_t have;
    uint64_t left, pad;
    TarEntry e;
    TarAction act;
    bool in_entry;
    StrBuf ext;
    char ext_type;
    char *long_name, *long_link;
    Pax pax, gpax;
    uint64_t blocks;       /* blocks taken so far */
    uint64_t end_offset;
    bool saw_entries, skipping, zero_pending, any_input;
    uint64_t zero_at;
    int bz_streams;
};

static void pax_clear(Pax *p) {
    free(p->path);
    free(p->linkpath);
    free(p->uname);
    free(p->gname);
    memset(p, 0, sizeof *p);
}

static void entry_clear(TarEntry *e) {
    free(e->name);
    free(e->linkname);
    memset(e, 0, sizeof *e);
}

TarReader *tar_reader_new(Tar *t, TarZip zip, bool may_detect, const TarReadOps *ops, void *ctx) {
    TarReader *r = xcalloc(1, sizeof *r);
    r->t = t;
    r->ops = ops;
    r->ctx = ctx;
    r->zip = zip;
    r->may_detect = may_detect;
    r->st = zip == TZ_NONE ? R_DETECT : R_HEADER;
    sb_init(&r->ext);
    if (zip == TZ_GZIP) r->z = dfl_inflate_new(DFL_GZIP);
    if (zip == TZ_BZIP2) r->bz = bz_decoder_new();
    return r;
}

void tar_reader_free(TarReader *r) {
    if (!r) return;
    dfl_inflate_free(r->z);
    bz_decoder_free(r->bz);
    entry_clear(&r->e);
    pax_clear(&r->pax);
    pax_clear(&r->gpax);
    free(r->long_name);
    free(r->long_link);
    sb_free(&r->ext);
    free(r);
}

uint64_t tar_reader_end_offset(const TarReader *r) {
    return r->end_offset ? r->end_offset : r->blocks * TAR_BLOCK;
}

bool tar_reader_saw_entries(const TarReader *r) { return r->saw_entries; }

static void reader_fatal(TarReader *r, const char *msg) {
    if (msg) tar_error(r->t, "%s", msg);
    tar_error(r->t, "Error is not recoverable: exiting now");
    r->st = R_FATAL;
    r->t->fatal = true;
}

static void apply_pax(Pax *p, const char *data, size_t n) {
    size_t i = 0;
    while (i < n) {
        size_t len = 0, j = i;
        while (j < n && isdigit((unsigned char)data[j])) len = len * 10 + (size_t)(data[j++] - '0');
        if (j >= n || data[j] != ' ' || len == 0 || i + len > n) break;
        const char *kv = data + j + 1, *end = data + i + len - 1; /* end at the '\n' */
        const char *eq = memchr(kv, '=', (size_t)(end - kv));
        if (eq) {
            size_t kl = (size_t)(eq - kv);
            char *val = xstrndup(eq + 1, (size_t)(end - eq - 1));
#define KEY(s) (kl == sizeof s - 1 && !memcmp(kv, s, kl))
            if (KEY("path")) free(p->path), p->path = val, val = NULL;
            else if (KEY("linkpath")) free(p->linkpath), p->linkpath = val, val = NULL;
            else if (KEY("uname")) free(p->uname), p->uname = val, val = NULL;
            else if (KEY("gname")) free(p->gname), p->gname = val, val = NULL;
            else if (KEY("size")) p->size = strtoull(val, NULL, 10), p->has_size = true;
            else if (KEY("mtime")) p->mtime = strtoll(val, NULL, 10), p->has_mtime = true;
            else if (KEY("uid")) p->uid = strtoull(val, NULL, 10), p->has_uid = true;
            else if (KEY("gid")) p->gid = strtoull(val, NULL, 10), p->has_gid = true;
#undef KEY
            free(val);
        }
        i += len;
    }
}

static void pax_override(TarEntry *e, const Pax *p) {
    if (p->path) free(e->name), e->name = xstrdup(p->path);
    if (p->linkpath) free(e->linkname), e->linkname = xstrdup(p->linkpath);
    if (p->uname) snprintf(e->uname, sizeof e->uname, "%s", p->uname);
    if (p->gname) snprintf(e->gname, sizeof e->gname, "%s", p->gname);
    if (p->has_size) e->size = p->size;
    if (p->has_mtime) e->mtime = p->mtime;
    if (p->has_uid) e->uid = p->uid;
    if (p->has_gid) e->gid = p->gid;
}

static void end_entry(TarReader *r) {
    if (r->in_entry && r->ops->entry_end) r->ops->entry_end(r->ctx, &r->e);
    r->in_entry = false;
    entry_clear(&r->e);
    r->st = R_HEADER;
}

static void finish_ext(TarReader *r) {
    switch (r->ext_type) {
    case 'L': free(r->long_name), r->long_name = xstrndup(r->ext.s ? r->ext.s : "", strnlen(sb_cstr(&r->ext), r->ext.len)); break;
    case 'K': free(r->long_link), r->long_link = xstrndup(r->ext.s ? r->ext.s : "", strnlen(sb_cstr(&r->ext), r->ext.len)); break;
    case 'x': apply_pax(&r->pax, sb_cstr(&r->ext), r->ext.len); break;
    case 'g': apply_pax(&r->gpax, sb_cstr(&r->ext), r->ext.len); break;
    default: break;
    }
    sb_clear(&r->ext);
}

static void header_entry(TarReader *r, const uint8_t *h) {
    bool ok;
    TarEntry *e = &r->e;
    entry_clear(e);
    bool posix = !memcmp(h + H_MAGIC, "ustar", 6);
    char *name = get_str(h + H_NAME, 100);
    if (posix && h[H_PREFIX]) {
        char *prefix = get_str(h + H_PREFIX, 155);
        StrBuf b;
        sb_init(&b);
        sb_printf(&b, "%s/%s", prefix, name);
        free(prefix);
        free(name);
        name = sb_take(&b);
    }
    e->name = name;
    e->linkname = get_str(h + H_LINK, 100);
    e->type = (char)h[H_TYPE];
    e->mode = (unsigned)get_number(h + H_MODE, 8, &ok) & 07777;
    e->uid = (uintmax_t)get_number(h + H_UID, 8, &ok);
    e->gid = (uintmax_t)get_number(h + H_GID, 8, &ok);
    e->size = (uint64_t)get_number(h + H_SIZE, 12, &ok);
    e->mtime = get_number(h + H_MTIME, 12, &ok);
    if (h[H_MAGIC]) {
        char *u = get_str(h + H_UNAME, 32), *g = get_str(h + H_GNAME, 32);
        snprintf(e->uname, sizeof e->uname, "%s", u);
        snprintf(e->gname, sizeof e->gname, "%s", g);
        free(u);
        free(g);
        e->devmajor = (unsigned)get_number(h + H_DEVMAJOR, 8, &ok);
        e->devminor = (unsigned)get_number(h + H_DEVMINOR, 8, &ok);
    }
    if (r->long_name) free(e->name), e->name = r->long_name, r->long_name = NULL;
    if (r->long_link) free(e->linkname), e->linkname = r->long_link, r->long_link = NULL;
    pax_override(e, &r->gpax);
    pax_override(e, &r->pax);
    pax_clear(&r->pax);
    if (e->type == 0 || e->type == '7') {
        size_t n = strlen(e->name);
        e->type = n && e->name[n - 1] == '/' ? '5' : '0';
    }
}

/* Takes one 512-byte block in header position. */
static void take_header(TarReader *r) {
    const uint8_t *h = r->blk;
    uint64_t blockno = r->blocks++;
    if (r->zero_pending) {
        r->zero_pending = false;
        if (!block_is_zero(h)) tar_msg(r->t, "A lone zero block at %ju", (uintmax_t)r->zero_at + 1);
        r->st = R_END;
        return;
    }
    if (block_is_zero(h)) {
        r->zero_pending = true;
        r->zero_at = blockno;
        r->end_offset = blockno * TAR_BLOCK;
        return;
    }
    if (!checksum_ok(h)) {
        if (!r->skipping) {
            if (!r->saw_entries) tar_error(r->t, "This does not look like a tar archive");
            tar_error(r->t, "Skipping to next header");
        }
        r->skipping = true;
        return;
    }
    r->skipping = false;
    char type = (char)h[H_TYPE];
    bool ok;
    uint64_t size = (uint64_t)get_number(h + H_SIZE, 12, &ok);
    if (type == 'L' || type == 'K' || type == 'x' || type == 'g') {
        r->ext_type = type;
        r->left = size;
        r->pad = (TAR_BLOCK - size % TAR_BLOCK) % TAR_BLOCK;
        sb_clear(&r->ext);
        r->st = R_EXT;
        if (!size) {
            finish_ext(r);
            r->st = R_HEADER;
        }
        return;
    }
    r->saw_entries = true;
    header_entry(r, h);
    uint64_t data = r->e.size;
    if (r->e.type == '1' || r->e.type == '2' || r->e.type == '3' || r->e.type == '4' || r->e.type == '6') data = 0;
    if (type == 'V' || type == 'M') {
        r->act = TA_SKIP;
        r->in_entry = false;
    } else {
        r->act = r->ops->entry(r->ctx, &r->e);
        r->in_entry = true;
    }
    if (r->t->fatal) {
        r->st = R_FATAL;
        return;
    }
    r->left = data;
    r->pad = (TAR_BLOCK - data % TAR_BLOCK) % TAR_BLOCK;
    if (data) r->st = R_DATA;
    else end_entry(r);
}

/* The uncompressed tar stream. */
static void parse(TarReader *r, const uint8_t *p, size_t n) {
    while (n && r->st != R_FATAL) {
        switch (r->st) {
        case R_HEADER: {
            size_t k = TAR_BLOCK - r->have < n ? TAR_BLOCK - r->have : n;
            memcpy(r->blk + r->have, p, k);
            r->have += k;
            p += k;
            n -= k;
            if (r->have == TAR_BLOCK) {
                r->have = 0;
                take_header(r);
                if (uc_should_stop(r->t->c)) r->st = R_FATAL, r->t->fatal = true;
            }
            break;
        }
        case R_DATA:
        case R_EXT: {
            size_t k = r->left < n ? (size_t)r->left : n;
            if (r->st == R_EXT) {
                if (r->ext.len + k > EXT_MAX) {
                    reader_fatal(r, "Extended header too long");
                    return;
                }
                sb_put(&r->ext, (const char *)p, k);
            } else if (r->act == TA_DATA && r->ops->data(r->ctx, p, k)) {
                r->act = TA_SKIP;
            }
            if (r->t->fatal) {
                r->st = R_FATAL;
                return;
            }
            r->left -= k;
            p += k;
            n -= k;
            if (!r->left) {
                r->blocks += (r->st == R_EXT ? r->ext.len : r->e.size) / TAR_BLOCK + (r->pad ? 1 : 0);
                if (r->st == R_EXT) {
                    finish_ext(r);
                    r->st = r->pad ? R_PAD : R_HEADER;
                    r->in_entry = false;
                } else {
                    r->st = R_PAD;
                    if (!r->pad) end_entry(r);
                }
            }
            break;
        }
        case R_PAD: {
            size_t k = r->pad < n ? (size_t)r->pad : n;
            r->pad -= k;
            p += k;
            n -= k;
            if (!r->pad) {
                if (r->in_entry) end_entry(r);
                else r->st = R_HEADER;
            }
            break;
        }
        case R_END:
        case R_FATAL:
        case R_DETECT: return;
        }
    }
}

static int inflate_sink(void *ctx, const uint8_t *p, size_t n) {
    TarReader *r = ctx;
    parse(r, p, n);
    return r->st == R_FATAL;
}

/* What bzip2 reports, then tar's own lines, as when its child fails. */
static void bz_failed(TarReader *r, BzStatus st) {
    StrBuf b;
    sb_init(&b);
    if (st == BZ_EMAGIC) sb_puts(&b, "bzip2: (stdin) is not a bzip2 file.\n");
    else sb_puts(&b, "\nbzip2: Data integrity error when decompressing.\n");
    uc_write(r->t->c, 2, b.s, b.len);
    sb_free(&b);
    if (st != BZ_EMAGIC) tar_error(r->t, "Unexpected EOF in archive");
    tar_error(r->t, "Child returned status 2");
    reader_fatal(r, NULL);
}

static void feed_bzip2(TarReader *r, const uint8_t *p, size_t n, bool at_end) {
    while (!r->z_done && r->st != R_FATAL) {
        size_t used;
        BzStatus st = bz_decode(r->bz, p, n, at_end, &used, inflate_sink, r);
        if (used) p += used, n -= used; /* p may be NULL at the end */
        if (st == BZ_END) {
            r->bz_streams++;
            bz_decoder_reset(r->bz);
            if (!n && !bz_decoder_pending(r->bz)) return;
            continue;
        }
        if (st == BZ_EMAGIC && r->bz_streams) {
            r->z_done = true; /* trailing garbage, ignored */
            return;
        }
        if (st != BZ_OK) {
            if (r->st != R_FATAL) bz_failed(r, st);
            return;
        }
        return;
    }
}

static void feed_decoded(TarReader *r, const uint8_t *p, size_t n) {
    if (r->bz) {
        feed_bzip2(r, p, n, false);
        return;
    }
    if (!r->z) {
        parse(r, p, n);
        return;
    }
    while (n && !r->z_done && r->st != R_FATAL) {
        size_t used;
        DflStatus st = dfl_inflate(r->z, p, n, &used, inflate_sink, r);
        p += used;
        n -= used;
        if (st == DFL_END) {
            /* another member may follow, else the rest is ignored as gzip does */
            if (n >= 2 && p[0] == 0x1f && p[1] == 0x8b) dfl_inflate_reset(r->z);
            else r->z_done = true;
        } else if (st != DFL_OK && r->st != R_FATAL) {
            StrBuf b;
            sb_init(&b);
            sb_printf(&b, "\ngzip: stdin: %s\n", st == DFL_EFORMAT ? "not in gzip format" : dfl_strerror(st));
            uc_write(r->t->c, 2, b.s, b.len);
            sb_free(&b);
            if (st != DFL_EFORMAT) tar_error(r->t, "Unexpected EOF in archive");
            tar_error(r->t, "Child returned status 1");
            reader_fatal(r, NULL);
        }
    }
}

/* Looks at the first bytes for a compression magic. */
static void detect(TarReader *r, bool at_eof) {
    const uint8_t *h = r->head;
    size_t n = r->nhead;
    TarZip found = TZ_NONE;
    if (n >= 2 && h[0] == 0x1f && h[1] == 0x8b) found = TZ_GZIP;
    else if (n >= 3 && !memcmp(h, "BZh", 3)) found = TZ_BZIP2;
    else if (n >= 6 && !memcmp(h, "\xfd" "7zXZ\0", 6)) found = TZ_XZ;
    else if (n >= 4 && !memcmp(h, "\x28\xb5\x2f\xfd", 4)) found = TZ_ZSTD;
    else if (n >= 2 && h[0] == 0x1f && h[1] == 0x9d) found = TZ_COMPRESS;
    if (n < 6 && !at_eof && found == TZ_NONE) return; /* wait for more */
    r->st = R_HEADER;
    if (found != TZ_NONE) {
        if (!r->may_detect) {
            static const char *const opt[] = {"", "-z", "-j", "-J", "--lzma", "--zstd", "-Z"};
            char msg[64];
            snprintf(msg, sizeof msg, "Archive is compressed. Use %s option", opt[found]);
            reader_fatal(r, msg);
            return;
        }
        if (found != TZ_GZIP && found != TZ_BZIP2) {
            static const char *const prog[] = {"", "", "bzip2", "xz", "lzma", "zstd", "compress"};
            StrBuf b;
            sb_init(&b);
            sb_printf(&b, "tar (child): %s: Cannot exec: No such file or directory\n"
                          "tar (child): Error is not recoverable: exiting now\n", prog[found]);
            uc_write(r->t->c, 2, b.s, b.len);
            sb_free(&b);
            tar_error(r->t, "Child returned status 2");
            reader_fatal(r, NULL);
            return;
        }
        r->zip = found;
        if (found == TZ_GZIP) r->z = dfl_inflate_new(DFL_GZIP);
        else r->bz = bz_decoder_new();
    }
    feed_decoded(r, r->head, r->nhead);
}

bool tar_reader_feed(TarReader *r, const uint8_t *p, size_t n) {
    if (n) r->any_input = true;
    while (n && r->st == R_DETECT) {
        r->head[r->nhead++] = *p++;
        n--;
        if (r->nhead == sizeof r->head || r->nhead >= 6) detect(r, false);
    }
    if (n) feed_decoded(r, p, n);
    return r->st != R_FATAL;
}

void tar_reader_finish(TarReader *r) {
    if (r->st == R_DETECT) detect(r, true);
    if (r->st == R_FATAL) return;
    if (r->bz && !r->z_done) {
        feed_bzip2(r, NULL, 0, true);
        if (r->st == R_FATAL) return;
    }
    if (r->z && !r->z_done && dfl_inflate_pending(r->z)) {
        uc_puts(r->t->c, 2, "\ngzip: stdin: unexpected end of file\n");
        tar_error(r->t, "Unexpected EOF in archive");
        tar_error(r->t, "Child returned status 1");
        reader_fatal(r, NULL);
        return;
    }
    if (!r->any_input || (r->blocks == 0 && r->have == 0 && r->st == R_HEADER && !r->zero_pending)) {
        if (!r->saw_entries && !r->skipping) tar_error(r->t, "This does not look like a tar archive");
        return;
    }
    if (r->st == R_DATA || r->st == R_EXT || r->st == R_PAD || (r->st == R_HEADER && r->have && !r->skipping)) {
        reader_fatal(r, "Unexpected EOF in archive");
        return;
    }
    if (r->zero_pending) tar_msg(r->t, "A lone zero block at %ju", (uintmax_t)r->zero_at + 1);
}
