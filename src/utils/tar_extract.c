/* tar_extract.c - tar -t and -x, fed by the streaming reader (so extraction
 * also works as a pipeline stage: `tar cf - d | tar xf - -C e`).
 *
 * Safety, as GNU tar by default: leading "/" and "../" prefixes are removed
 * from member names and hard link targets (with GNU's warning once per
 * prefix), members whose names contain ".." are refused, and symlinks whose
 * targets are absolute or contain ".." are first created as empty
 * placeholder files and only made symlinks at the end, so a later member
 * cannot be written through them ("a -> /etc" then "a/passwd" fails with
 * "Not a directory"). Directories get their modes and times at the end
 * (deepest first), so read-only directories can still be filled.
 *
 * Hard links fall back to a copy where the filesystem has no link() (the
 * Emscripten MEMFS of the wasm builds fails it with EMLINK). The bytes
 * written count against the run's memory budget. */
#include "tar.h"

#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

typedef struct Delayed {
    char *path;
    char *target;        /* symlinks: the real target */
    unsigned mode;
    int64_t mtime;
    uintmax_t uid, gid;
    char uname[33], gname[33];
    dev_t dev;
    ino_t ino;
} Delayed;

typedef struct DelayList {
    Delayed *v;
    size_t n, cap;
} DelayList;

struct TarExtract {
    Tar *t;
    TarReader *r;
    UOut err;
    UOut *vout;
    bool list;
    /* the member being written */
    int fd;
    char *path;
    bool data_to_stdout;
    bool write_failed;
    bool is_root;
    mode_t umask_bits;
    DelayList dirs, links;
};

static void delay_push(DelayList *l, Delayed d) {
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = d;
}

/* ---------------------------------------------------------------- names */

static bool op_matches(const Tar *t, const char *op, const char *name) {
    size_t ol = strlen(op), nl = strlen(name);
    while (ol > 1 && op[ol - 1] == '/') ol--;
    while (nl > 1 && name[nl - 1] == '/') nl--;
    if (t->wildcards) {
        char *p = xstrndup(op, ol), *n = xstrndup(name, nl);
        bool m = fnmatch(p, n, FNM_LEADING_DIR) == 0;
        free(p);
        free(n);
        return m;
    }
    return nl >= ol && !strncmp(op, name, ol) && (nl == ol || name[ol] == '/');
}

/* gnulib's fnmatch_pattern_has_wildcards without options: * ? [ ] outside
 * backslash escapes. */
static bool has_pattern_chars(const char *s) {
    for (; *s; s++) {
        if (*s == '\\' && s[1]) s++;
        else if (strchr("*?[]", *s)) return true;
    }
    return false;
}

bool tar_selected(Tar *t, const char *name) {
    bool any = false, hit = false;
    for (size_t i = 0; i < t->names.n; i++) {
        const char *op = t->names.v[i];
        if (op[0] == '\1') continue;
        any = true;
        if (op_matches(t, op, name)) { /* only the first operand that matches counts, as GNU */
            t->name_used[i] = true;
            hit = true;
            break;
        }
    }
    return !any || hit;
}

const char *tar_strip_components(const char *name, int n) {
    const char *p = name;
    for (int i = 0; i < n; i++) {
        while (*p == '/') p++;
        const char *s = strchr(p, '/');
        if (!s) return NULL;
        p = s + 1;
    }
    while (*p == '/') p++;
    return *p ? p : NULL;
}

char *tar_join_dir(const Tar *t, const char *name) {
    if (!t->dir || !*t->dir) return xstrdup(name);
    StrBuf b;
    sb_init(&b);
    sb_puts(&b, t->dir);
    if (b.s[b.len - 1] != '/') sb_putc(&b, '/');
    sb_puts(&b, name);
    return sb_take(&b);
}

/* The path a member is written to, after every rewriting; NULL to skip it. */
static char *member_path(TarExtract *x, char kind, const char *name) {
    Tar *t = x->t;
    const char *safe = tar_safer_name(t, name, kind == 'h');
    if (!t->absolute && tar_has_dotdot(name)) {
        char *q = tar_quote(name);
        tar_error(t, "%s: Member name contains '..'", q);
        free(q);
        return NULL;
    }
    const char *stripped = t->strip ? tar_strip_components(safe, t->strip) : safe;
    if (!stripped || !*stripped) return NULL;
    char *xf = t->xform ? tar_xform_apply(t->xform, stripped, kind) : xstrdup(stripped);
    if (!*xf) {
        free(xf);
        return NULL;
    }
    char *path = tar_join_dir(t, xf);
    free(xf);
    return path;
}

/* mkdir -p for the directories above path (not path itself). */
static bool make_parents(TarExtract *x, const char *path) {
    char *p = xstrdup(path);
    bool ok = true;
    size_t skip = x->t->dir ? strlen(x->t->dir) : 0;
    for (char *s = p + (skip < strlen(p) ? skip : 0) + 1; (s = strchr(s, '/')); s++) {
        *s = 0;
        if (*p && mkdir(p, 0777) != 0 && errno != EEXIST) {
            tar_error_errno(x->t, p, "Cannot mkdir", errno);
            ok = false;
            *s = '/';
            break;
        }
        *s = '/';
    }
    free(p);
    return ok;
}

static unsigned wanted_mode(const TarExtract *x, unsigned mode) {
    if (x->is_root && !x->t->no_same_perms) return mode & 07777;
    if (x->t->preserve) return mode & 07777;
    return mode & 0777 & ~(unsigned)x->umask_bits;
}

static void set_owner(const TarExtract *x, const char *path, const TarEntry *e, bool symlink) {
    if (!x->is_root) return;
    uid_t uid = (uid_t)e->uid;
    gid_t gid = (gid_t)e->gid;
    if (!x->t->numeric) {
        struct passwd pw, *pr;
        struct group gr, *gres;
        char buf[1024];
        if (e->uname[0] && getpwnam_r(e->uname, &pw, buf, sizeof buf, &pr) == 0 && pr) uid = pw.pw_uid;
        if (e->gname[0] && getgrnam_r(e->gname, &gr, buf, sizeof buf, &gres) == 0 && gres) gid = gr.gr_gid;
    }
    /* best effort, as on a filesystem without owners (MEMFS) */
    if ((symlink ? lchown(path, uid, gid) : chown(path, uid, gid)) != 0) { /* ignored */ }
}

static void set_mtime(const TarExtract *x, const char *path, int64_t mtime, bool symlink) {
    if (x->t->touch) return;
    /* explicit times: MEMFS (wasm) has no UTIME_NOW */
    struct timespec ts[2] = {{(time_t)mtime, 0}, {(time_t)mtime, 0}};
    if (utimensat(AT_FDCWD, path, ts, symlink ? AT_SYMLINK_NOFOLLOW : 0) != 0) { /* best effort */ }
}

/* Removes what is in the way of a new member; false to skip it. */
static bool clear_way(TarExtract *x, const char *path, const char *shown, bool is_dir, const char *what) {
    struct stat st;
    if (lstat(path, &st) != 0) return true;
    Tar *t = x->t;
    if (is_dir && S_ISDIR(st.st_mode)) return true;
    if (t->skip_old) return false;
    if (t->keep_old) {
        if (!is_dir) tar_error_errno(t, shown, what, EEXIST);
        return false;
    }
    if (S_ISDIR(st.st_mode)) {
        if (rmdir(path) == 0) return true;
        if (errno == ENOTEMPTY || errno == EEXIST) {
            tar_error_errno(t, shown, what, EISDIR);
            return false;
        }
    }
    if (unlink(path) != 0 && errno != ENOENT) {
        tar_error_errno(t, shown, "Cannot unlink", errno);
        return false;
    }
    return true;
}

/* ---------------------------------------------------------------- members */

static void extract_dir(TarExtract *x, const TarEntry *e, const char *path, const char *shown) {
    if (!make_parents(x, path)) return;
    if (mkdir(path, 0700) != 0) {
        struct stat st;
        if (errno != EEXIST || lstat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
            if (errno == EEXIST && !clear_way(x, path, shown, true, "Cannot mkdir")) return;
            if (mkdir(path, 0700) != 0) {
                tar_error_errno(x->t, shown, "Cannot mkdir", errno);
                return;
            }
        } else if (x->t->keep_old || x->t->skip_old) {
            return;
        }
    }
    Delayed d = {.path = xstrdup(path), .mode = wanted_mode(x, e->mode), .mtime = e->mtime, .uid = e->uid, .gid = e->gid};
    memcpy(d.uname, e->uname, sizeof d.uname);
    memcpy(d.gname, e->gname, sizeof d.gname);
    delay_push(&x->dirs, d);
}

static bool unsafe_target(const char *target) { return target[0] == '/' || tar_has_dotdot(target); }

static void extract_symlink(TarExtract *x, const TarEntry *e, const char *path, const char *shown) {
    Tar *t = x->t;
    char *target = t->xform ? tar_xform_apply(t->xform, e->linkname ? e->linkname : "", 's')
                            : xstrdup(e->linkname ? e->linkname : "");
    if (!make_parents(x, path)) goto out;
    StrBuf what;
    sb_init(&what);
    char *qt = tar_quote(target);
    sb_printf(&what, "Cannot create symlink to '%s'", qt);
    free(qt);
    bool go = clear_way(x, path, shown, false, sb_cstr(&what));
    if (!go) {
        sb_free(&what);
        goto out;
    }
    if (!t->absolute && unsafe_target(target)) {
        /* a placeholder now; the symlink once nothing can be written through it */
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
        struct stat st;
        if (fd < 0 || fstat(fd, &st) != 0) {
            tar_error_errno(t, shown, "Cannot open", errno);
            if (fd >= 0) close(fd);
        } else {
            close(fd);
            Delayed d = {.path = xstrdup(path), .target = target, .mtime = e->mtime, .uid = e->uid, .gid = e->gid,
                         .dev = st.st_dev, .ino = st.st_ino};
            memcpy(d.uname, e->uname, sizeof d.uname);
            memcpy(d.gname, e->gname, sizeof d.gname);
            delay_push(&x->links, d);
            target = NULL;
        }
    } else if (symlink(target, path) != 0) {
        tar_error_errno(t, shown, sb_cstr(&what), errno);
    } else {
        set_owner(x, path, e, true);
        set_mtime(x, path, e->mtime, true);
    }
    sb_free(&what);
out:
    free(target);
}

/* A copy of the link target, where link() is not available. */
static bool copy_file(const char *from, const char *to, int *err) {
    int in = open(from, O_RDONLY), out = -1;
    struct stat st;
    bool ok = false;
    if (in < 0 || fstat(in, &st) != 0) goto done;
    out = open(to, O_WRONLY | O_CREAT | O_EXCL, st.st_mode & 07777);
    if (out < 0) goto done;
    char buf[16384];
    ssize_t n;
    while ((n = read(in, buf, sizeof buf)) > 0)
        if (write(out, buf, (size_t)n) != n) goto done;
    if (n < 0) goto done;
    struct timespec ts[2] = {st.st_atim, st.st_mtim};
    if (utimensat(AT_FDCWD, to, ts, 0) != 0) { /* best effort */ }
    ok = true;
done:
    *err = errno;
    if (in >= 0) close(in);
    if (out >= 0) close(out);
    return ok;
}

static void extract_hardlink(TarExtract *x, const TarEntry *e, const char *path, const char *shown) {
    Tar *t = x->t;
    char *target = member_path(x, 'h', e->linkname ? e->linkname : "");
    if (!target) return;
    StrBuf what;
    sb_init(&what);
    char *q = tar_quote(e->linkname ? e->linkname : "");
    sb_printf(&what, "Cannot hard link to '%s'", q);
    free(q);
    if (make_parents(x, path) && clear_way(x, path, shown, false, sb_cstr(&what))) {
        if (link(target, path) != 0) {
            int err = errno, cerr = 0;
            bool no_links = err == EMLINK || err == EPERM || err == ENOSYS || err == ENOTSUP || err == EXDEV;
            if (!no_links || !copy_file(target, path, &cerr)) tar_error_errno(t, shown, sb_cstr(&what), no_links ? cerr : err);
        }
    }
    sb_free(&what);
    free(target);
}

static void extract_special(TarExtract *x, const TarEntry *e, const char *path, const char *shown) {
    if (!make_parents(x, path) || !clear_way(x, path, shown, false, "Cannot mknod")) return;
    int r;
    if (e->type == '6') r = mkfifo(path, wanted_mode(x, e->mode));
    else r = mknod(path, wanted_mode(x, e->mode) | (e->type == '3' ? S_IFCHR : S_IFBLK), makedev(e->devmajor, e->devminor));
    if (r != 0) {
        tar_error_errno(x->t, shown, e->type == '6' ? "Cannot mkfifo" : "Cannot mknod", errno);
        return;
    }
    set_owner(x, path, e, false);
    set_mtime(x, path, e->mtime, false);
}

static TarAction extract_file(TarExtract *x, const char *path, const char *shown) {
    Tar *t = x->t;
    if (t->to_stdout) {
        x->data_to_stdout = true;
        return TA_DATA;
    }
    if (!make_parents(x, path) || !clear_way(x, path, shown, false, "Cannot open")) return TA_SKIP;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
    if (fd < 0) {
        tar_error_errno(t, shown, "Cannot open", errno);
        return TA_SKIP;
    }
    x->fd = fd;
    x->path = xstrdup(path);
    x->write_failed = false;
    return TA_DATA;
}

static void verbose_member(TarExtract *x, const TarEntry *e) {
    Tar *t = x->t;
    if (!t->verbose && !x->list) return;
    if (t->verbose > 1 || (x->list && t->verbose)) {
        tar_list_long(t, x->vout, e);
    } else {
        char *q = tar_quote(e->name);
        uout_printf(x->vout, "%s\n", q);
        free(q);
    }
}

static TarAction on_entry(void *ctx, const TarEntry *e) {
    TarExtract *x = ctx;
    Tar *t = x->t;
    x->fd = -1;
    x->data_to_stdout = false;
    if (uc_should_stop(t->c)) {
        t->fatal = true;
        return TA_SKIP;
    }
    if (!tar_selected(t, e->name) || tar_excluded(t, e->name)) return TA_SKIP;
    if (x->list) {
        tar_safer_name(t, e->name, false); /* GNU warns while listing too */
        verbose_member(x, e);
        return TA_SKIP;
    }
    char *path = member_path(x, 'r', e->name);
    if (!path) return TA_SKIP;
    verbose_member(x, e);
    uout_flush(x->vout);
    const char *shown = e->name;
    TarAction a = TA_SKIP;
    switch (e->type) {
    case '5': if (!t->to_stdout) extract_dir(x, e, path, shown); break;
    case '2': if (!t->to_stdout) extract_symlink(x, e, path, shown); break;
    case '1': if (!t->to_stdout) extract_hardlink(x, e, path, shown); break;
    case '3':
    case '4':
    case '6': if (!t->to_stdout) extract_special(x, e, path, shown); break;
    case 'D': if (!t->to_stdout) extract_dir(x, e, path, shown); break;
    default: a = extract_file(x, path, shown); break;
    }
    free(path);
    return a;
}

static int on_data(void *ctx, const uint8_t *p, size_t n) {
    TarExtract *x = ctx;
    Tar *t = x->t;
    if (x->data_to_stdout) {
        uout_put(&t->out, (const char *)p, n);
        if (t->out.err) t->fatal = true;
        return 0;
    }
    if (x->fd < 0 || x->write_failed) return 0;
    t->extracted += n;
    if (!uc_within_memory(t->c, t->extracted, "data extracted by tar")) {
        t->fatal = true;
        return 1;
    }
    while (n) {
        ssize_t k = write(x->fd, p, n);
        if (k < 0) {
            if (errno == EINTR) continue;
            tar_error_errno(t, x->path, "Cannot write", errno);
            x->write_failed = true;
            return 1;
        }
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

static void on_entry_end(void *ctx, const TarEntry *e) {
    TarExtract *x = ctx;
    if (x->fd < 0) return;
    if (close(x->fd) != 0) tar_error_errno(x->t, x->path, "Cannot close", errno);
    /* by path and in this order: chown clears the set-user-ID bit that chmod
     * sets, and MEMFS has no futimens and one timestamp that chown and chmod
     * also set, so the times come last */
    set_owner(x, x->path, e, false);
    if (chmod(x->path, wanted_mode(x, e->mode)) != 0) { /* best effort */ }
    set_mtime(x, x->path, e->mtime, false);
    x->fd = -1;
    free(x->path);
    x->path = NULL;
}

/* ---------------------------------------------------------------- the end */

void tar_report_unmatched(Tar *t) {
    for (size_t i = 0; i < t->names.n; i++) {
        if (t->names.v[i][0] == '\1' || t->name_used[i]) continue;
        if (!t->wildcards_given && has_pattern_chars(t->names.v[i])) {
            tar_msg(t, "Pattern matching characters used in file names");
            tar_msg(t, "Use --wildcards to enable pattern matching, or --no-wildcards to suppress this warning");
        }
        char *q = tar_quote(t->names.v[i]);
        tar_error(t, "%s: Not found in archive", q);
        free(q);
    }
}

static void finish_links(TarExtract *x) {
    for (size_t i = 0; i < x->links.n; i++) {
        Delayed *d = &x->links.v[i];
        struct stat st;
        if (lstat(d->path, &st) == 0 && st.st_dev == d->dev && st.st_ino == d->ino && S_ISREG(st.st_mode)) {
            if (unlink(d->path) == 0 && symlink(d->target, d->path) == 0) {
                TarEntry e = {.uid = d->uid, .gid = d->gid};
                memcpy(e.uname, d->uname, sizeof e.uname);
                memcpy(e.gname, d->gname, sizeof e.gname);
                set_owner(x, d->path, &e, true);
                set_mtime(x, d->path, d->mtime, true);
            } else {
                char *q = tar_quote(d->target);
                StrBuf w;
                sb_init(&w);
                sb_printf(&w, "Cannot create symlink to '%s'", q);
                tar_error_errno(x->t, d->path, sb_cstr(&w), errno);
                sb_free(&w);
                free(q);
            }
        }
        free(d->path);
        free(d->target);
    }
    free(x->links.v);
}

static void finish_dirs(TarExtract *x) {
    for (size_t i = x->dirs.n; i-- > 0;) {
        Delayed *d = &x->dirs.v[i];
        TarEntry e = {.uid = d->uid, .gid = d->gid};
        memcpy(e.uname, d->uname, sizeof e.uname);
        memcpy(e.gname, d->gname, sizeof e.gname);
        set_owner(x, d->path, &e, false);
        if (chmod(d->path, d->mode) != 0) { /* best effort */ }
        set_mtime(x, d->path, d->mtime, false);
        free(d->path);
    }
    free(x->dirs.v);
}

static const TarReadOps extract_ops = {on_entry, on_data, on_entry_end};

TarExtract *tar_extract_begin(Tar *t) {
    TarExtract *x = xcalloc(1, sizeof *x);
    x->t = t;
    x->fd = -1;
    x->list = t->mode == TM_LIST;
    uout_init(&x->err, t->c, 2);
    x->vout = (t->to_stdout && !x->list) ? &x->err : &t->out;
    x->is_root = geteuid() == 0;
    x->umask_bits = umask(022);
    umask(x->umask_bits);
    bool from_file = strcmp(t->file, "-") != 0;
    x->r = tar_reader_new(t, t->zip, from_file, &extract_ops, x);
    return x;
}

bool tar_extract_feed(TarExtract *x, const uint8_t *p, size_t n) {
    return tar_reader_feed(x->r, p, n) && !x->t->fatal;
}

int tar_extract_end(TarExtract *x) {
    Tar *t = x->t;
    if (!t->fatal) tar_reader_finish(x->r);
    if (x->fd >= 0) {
        close(x->fd);
        free(x->path);
    }
    finish_links(x);
    finish_dirs(x);
    tar_reader_free(x->r);
    uout_flush(x->vout);
    uout_close(&x->err);
    if (!t->fatal) tar_report_unmatched(t);
    free(x);
    return t->status;
}

void tar_feed_file(Tar *t, bool (*feed)(void *state, const uint8_t *p, size_t n), void *state) {
    UcFile *f = uc_open(t->c, t->file, "r");
    if (!f) {
        tar_error_errno(t, t->file, "Cannot open", errno);
        tar_error(t, "Error is not recoverable: exiting now");
        t->fatal = true;
        return;
    }
    enum { CHUNK = 1 << 16 };
    uint8_t *buf = xmalloc(CHUNK);
    for (;;) {
        if (uc_should_stop(t->c)) {
            t->fatal = true;
            break;
        }
        ssize_t n = uc_fread(f, buf, CHUNK);
        if (n < 0) {
            tar_error_errno(t, t->file, "Read error", errno);
            t->fatal = true;
            break;
        }
        if (n == 0 || !feed(state, buf, (size_t)n)) break;
    }
    free(buf);
    uc_close(f);
}

static bool feed_extract(void *state, const uint8_t *p, size_t n) { return tar_extract_feed(state, p, n); }

int tar_extract_file(Tar *t) {
    TarExtract *x = tar_extract_begin(t);
    tar_feed_file(t, feed_extract, x);
    return tar_extract_end(x);
}
