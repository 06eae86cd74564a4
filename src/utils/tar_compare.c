/* tar_compare.c - tar -d (--diff, --compare), fed by the streaming reader
 * like -x and -t. Each selected member is compared with the file system as
 * GNU tar 1.34 does: regular files by mode, owner, group, mtime, size and
 * then contents; directories and special files by type and mode; symlinks by
 * target; hard links by whether both names are the same file. Differences go
 * to stdout as "NAME: WHAT" and make the exit status 1; a missing file is
 * only a warning on stderr (also status 1); other failures are errors
 * (status 2).
 *
 * Names are rewritten as for extraction (leading "/" and up to the last
 * ".." removed with GNU's warning, --strip-components, --transform) and
 * looked up under -C DIR. Unlike extraction, GNU does not skip a name that
 * --strip-components leaves empty: it fails to stat "", and so do we. */
#include "tar.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

struct TarCompare {
    Tar *t;
    TarReader *r;
    bool dir_checked;   /* -C DIR is checked once a member needs it, as GNU's chdir */
    /* the regular file whose contents are being compared */
    int fd;
    char *name;         /* as reported */
    uint8_t *buf;
    size_t cap;
};

/* ---------------------------------------------------------------- messages */

/* GNU's quotearg_colon: the escape style, with ':' escaped too. */
static char *quote_colon(const char *s) {
    char *q = tar_quote(s);
    StrBuf b;
    sb_init(&b);
    for (const char *p = q; *p; p++) {
        if (*p == ':') sb_putc(&b, '\\');
        sb_putc(&b, *p);
    }
    free(q);
    if (!b.s) sb_puts(&b, "");
    return sb_take(&b);
}

/* "NAME: WHAT" on stdout, and the status of a difference. */
static void report(Tar *t, const char *name, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void report(Tar *t, const char *name, const char *fmt, ...) {
    char *q = quote_colon(name);
    StrBuf b;
    sb_init(&b);
    sb_printf(&b, "%s: ", q);
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&b, fmt, ap);
    va_end(ap);
    sb_putc(&b, '\n');
    uout_put(&t->out, b.s, b.len);
    sb_free(&b);
    free(q);
    t->differs = true;
}

/* A file that could not be looked at: a warning when it is missing (GNU's
 * stat_warn), else an error; either way the member differs. */
static void report_failure(Tar *t, const char *name, const char *call, int err) {
    char *q = quote_colon(name);
    if (err == ENOENT) tar_msg(t, "%s: Warning: Cannot %s: %s", q, call, strerror(err));
    else tar_error(t, "%s: Cannot %s: %s", q, call, strerror(err));
    free(q);
    t->differs = true;
}

/* ---------------------------------------------------------------- names */

/* The member's name after the rewriting GNU applies; kind as for
 * tar_xform_apply. Never NULL: an empty name is compared (and not found). */
static char *member_name(Tar *t, const char *name, char kind) {
    const char *safe = tar_safer_name(t, name, kind == 'h');
    const char *stripped = t->strip ? tar_strip_components(safe, t->strip) : safe;
    if (!stripped) stripped = "";
    char *n = t->xform ? tar_xform_apply(t->xform, stripped, kind) : xstrdup(stripped);
    /* GNU drops a directory's trailing slashes (it still knows it is one) */
    for (size_t len = strlen(n); len > 1 && n[len - 1] == '/'; len--) n[len - 1] = 0;
    return n;
}

/* Where name is on disk; NULL for "", which GNU cannot stat. */
static char *disk_path(const Tar *t, const char *name) {
    if (!*name) return NULL;
    return name[0] == '/' ? xstrdup(name) : tar_join_dir(t, name);
}

/* stat or, without -h, lstat; false (and reported) when that fails. */
static bool get_stat(Tar *t, const char *name, struct stat *st) {
    char *path = disk_path(t, name);
    int r = path ? (t->dereference ? stat(path, st) : lstat(path, st)) : -1;
    int err = path ? errno : ENOENT;
    free(path);
    if (r == 0) return true;
    report_failure(t, name, "stat", err);
    return false;
}

/* GNU chdirs to -C DIR before the first member it compares and gives up when
 * it cannot. */
static bool check_dir(TarCompare *d) {
    Tar *t = d->t;
    if (d->dir_checked || !t->dir || !*t->dir) return true;
    d->dir_checked = true;
    struct stat st;
    int err = stat(t->dir, &st) != 0 ? errno : S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
    if (!err) return true;
    tar_error_errno(t, t->dir, "Cannot open", err);
    tar_error(t, "Error is not recoverable: exiting now");
    t->fatal = true;
    return false;
}

/* ---------------------------------------------------------------- owners */

/* The member's owner as GNU reads it: the named user when the system knows
 * it (unless --numeric-owner), else the number. */
static uintmax_t member_uid(const Tar *t, const TarEntry *e) {
    if (t->numeric || !e->uname[0]) return e->uid;
    struct passwd pw, *r;
    char buf[1024];
    if (getpwnam_r(e->uname, &pw, buf, sizeof buf, &r) == 0 && r) return pw.pw_uid;
    return !strcmp(e->uname, "root") ? 0 : e->uid; /* no user database (wasm) */
}

static uintmax_t member_gid(const Tar *t, const TarEntry *e) {
    if (t->numeric || !e->gname[0]) return e->gid;
    struct group gr, *r;
    char buf[1024];
    if (getgrnam_r(e->gname, &gr, buf, sizeof buf, &r) == 0 && r) return gr.gr_gid;
    return !strcmp(e->gname, "root") ? 0 : e->gid;
}

/* ---------------------------------------------------------------- members */

static void diff_mode(Tar *t, const char *name, const TarEntry *e, const struct stat *st) {
    if ((e->mode & 07777) != ((unsigned)st->st_mode & 07777)) report(t, name, "Mode differs");
}

static void diff_dir(Tar *t, const char *name, const TarEntry *e) {
    struct stat st;
    if (!get_stat(t, name, &st)) return;
    if (!S_ISDIR(st.st_mode)) report(t, name, "File type differs");
    else diff_mode(t, name, e, &st);
}

static void diff_special(Tar *t, const char *name, const TarEntry *e) {
    struct stat st;
    if (!get_stat(t, name, &st)) return;
    bool same_type = e->type == '3' ? S_ISCHR(st.st_mode) : e->type == '4' ? S_ISBLK(st.st_mode) : S_ISFIFO(st.st_mode);
    if (!same_type) {
        report(t, name, "File type differs");
        return;
    }
    if (e->type != '6' && st.st_rdev != makedev(e->devmajor, e->devminor)) {
        report(t, name, "Device number differs");
        return;
    }
    diff_mode(t, name, e, &st);
}

static void diff_symlink(Tar *t, const char *name, const TarEntry *e) {
    char *target = t->xform ? tar_xform_apply(t->xform, e->linkname ? e->linkname : "", 's')
                            : xstrdup(e->linkname ? e->linkname : "");
    size_t len = strlen(target);
    char *buf = xmalloc(len + 2);
    char *path = disk_path(t, name);
    /* one byte more than the target, to tell a longer link apart */
    ssize_t n = path ? readlink(path, buf, len + 1) : -1;
    int err = path ? errno : ENOENT;
    if (n < 0) report_failure(t, name, "readlink", err);
    else if ((size_t)n != len || memcmp(buf, target, len)) report(t, name, "Symlink differs");
    free(path);
    free(buf);
    free(target);
}

static void diff_hardlink(Tar *t, const char *name, const TarEntry *e) {
    char *target = member_name(t, e->linkname ? e->linkname : "", 'h');
    struct stat a, b;
    if (get_stat(t, name, &a) && get_stat(t, target, &b) && (a.st_dev != b.st_dev || a.st_ino != b.st_ino)) {
        char *q = quote_colon(target);
        report(t, name, "Not linked to %s", q);
        free(q);
    }
    free(target);
}

/* Checks what the header tells; TA_DATA when the contents are to be read. */
static TarAction diff_file(TarCompare *d, const char *name, const TarEntry *e) {
    Tar *t = d->t;
    struct stat st;
    if (!get_stat(t, name, &st)) return TA_SKIP;
    if (!S_ISREG(st.st_mode)) {
        report(t, name, "File type differs");
        return TA_SKIP;
    }
    diff_mode(t, name, e, &st);
    if ((uintmax_t)st.st_uid != member_uid(t, e)) report(t, name, "Uid differs");
    if ((uintmax_t)st.st_gid != member_gid(t, e)) report(t, name, "Gid differs");
    if ((int64_t)st.st_mtime != e->mtime) report(t, name, "Mod time differs");
    if ((uint64_t)st.st_size != e->size) {
        report(t, name, "Size differs");
        return TA_SKIP;
    }
    char *path = disk_path(t, name);
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        tar_error_errno(t, name, "Cannot open", errno);
        t->differs = true;
        free(path);
        return TA_SKIP;
    }
    free(path);
    d->fd = fd;
    d->name = xstrdup(name);
    return e->size ? TA_DATA : TA_SKIP;
}

/* Regular files and the types GNU compares as regular files. */
static TarAction diff_by_type(TarCompare *d, const char *name, const TarEntry *e) {
    Tar *t = d->t;
    size_t n = strlen(e->name);
    bool slash = n && e->name[n - 1] == '/';
    switch (e->type) {
    case '5':
    case 'D': diff_dir(t, name, e); return TA_SKIP;
    case '2': diff_symlink(t, name, e); return TA_SKIP;
    case '1': diff_hardlink(t, name, e); return TA_SKIP;
    case '3':
    case '4':
    case '6': diff_special(t, name, e); return TA_SKIP;
    case '0':
    case 'S': break;
    default: {
        char *q = quote_colon(name);
        tar_error(t, "%s: Unknown file type '%c', diffed as normal file", q, e->type);
        free(q);
        break;
    }
    }
    if (slash) {
        diff_dir(t, name, e);
        return TA_SKIP;
    }
    return diff_file(d, name, e);
}

static void verbose_member(Tar *t, const TarEntry *e) {
    if (!t->verbose) return;
    if (t->verbose > 1) {
        tar_list_long(t, &t->out, e);
        return;
    }
    char *q = tar_quote(e->name);
    uout_printf(&t->out, "%s\n", q);
    free(q);
}

static TarAction on_entry(void *ctx, const TarEntry *e) {
    TarCompare *d = ctx;
    Tar *t = d->t;
    d->fd = -1;
    if (uc_should_stop(t->c)) {
        t->fatal = true;
        return TA_SKIP;
    }
    if (!tar_selected(t, e->name) || tar_excluded(t, e->name)) return TA_SKIP;
    verbose_member(t, e);
    char *name = member_name(t, e->name, 'r');
    TarAction a = check_dir(d) ? diff_by_type(d, name, e) : TA_SKIP;
    free(name);
    return a;
}

/* Reads exactly n bytes of the file (fewer only at its end); -1 on error. */
static ssize_t read_full(int fd, uint8_t *p, size_t n) {
    size_t got = 0;
    while (got < n) {
        ssize_t k = read(fd, p + got, n - got);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) return -1;
        if (k == 0) break;
        got += (size_t)k;
    }
    return (ssize_t)got;
}

/* The next n bytes of the member against the file's; non-zero once they
 * differ, so the rest is skipped. */
static int on_data(void *ctx, const uint8_t *p, size_t n) {
    TarCompare *d = ctx;
    Tar *t = d->t;
    if (d->fd < 0) return 1;
    if (d->cap < n) {
        free(d->buf);
        d->buf = xmalloc(n);
        d->cap = n;
    }
    ssize_t got = read_full(d->fd, d->buf, n);
    if (got < 0) {
        tar_error_errno(t, d->name, "Read error", errno);
        t->differs = true;
        return 1;
    }
    if ((size_t)got != n) {
        report(t, d->name, "Could only read %zd of %zu byte%s", got, n, n == 1 ? "" : "s");
        return 1;
    }
    if (memcmp(p, d->buf, n)) {
        report(t, d->name, "Contents differ");
        return 1;
    }
    return 0;
}

static void close_file(TarCompare *d) {
    if (d->fd < 0) return;
    if (close(d->fd) != 0) tar_error_errno(d->t, d->name, "Cannot close", errno);
    d->fd = -1;
    free(d->name);
    d->name = NULL;
}

static void on_entry_end(void *ctx, const TarEntry *e) {
    (void)e;
    close_file(ctx);
}

/* ---------------------------------------------------------------- driving */

static const TarReadOps compare_ops = {on_entry, on_data, on_entry_end};

TarCompare *tar_compare_begin(Tar *t) {
    TarCompare *d = xcalloc(1, sizeof *d);
    d->t = t;
    d->fd = -1;
    bool from_file = strcmp(t->file, "-") != 0;
    d->r = tar_reader_new(t, t->zip, from_file, &compare_ops, d);
    return d;
}

bool tar_compare_feed(TarCompare *d, const uint8_t *p, size_t n) {
    return tar_reader_feed(d->r, p, n) && !d->t->fatal;
}

int tar_compare_end(TarCompare *d) {
    Tar *t = d->t;
    if (!t->fatal) tar_reader_finish(d->r);
    close_file(d);
    tar_reader_free(d->r);
    free(d->buf);
    uout_flush(&t->out);
    if (!t->fatal) tar_report_unmatched(t);
    free(d);
    return t->status ? t->status : t->differs ? 1 : 0;
}

static bool feed_compare(void *state, const uint8_t *p, size_t n) { return tar_compare_feed(state, p, n); }

int tar_compare_file(Tar *t) {
    TarCompare *d = tar_compare_begin(t);
    tar_feed_file(t, feed_compare, d);
    return tar_compare_end(d);
}
