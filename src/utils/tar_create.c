/* tar_create.c - tar -c, -r and -u: walking the named files (lstat, or stat
 * with -h), in directory order or --sort=name, and writing their headers and
 * data: regular files, directories (with a trailing '/'), symlinks, hard links
 * (a later name of an inode already archived), FIFOs and devices. --owner,
 * --group, --numeric-owner and --mtime override what is stored; --exclude,
 * --transform, --no-recursion and --remove-files as GNU tar. -C DIR among the
 * names changes the directory the following names are read from (without
 * changing the process's working directory, which belongs to the shell). */
#include "tar.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* Inodes with several links already archived: (dev, ino) -> member name. */
typedef struct LinkEntry {
    dev_t dev;
    ino_t ino;
    char *name;
} LinkEntry;

typedef struct Links {
    LinkEntry *v;
    size_t cap, n;
} Links;

static size_t link_slot(const Links *l, dev_t dev, ino_t ino) {
    size_t h = ((size_t)ino * 2654435761u) ^ (size_t)dev;
    return h & (l->cap - 1);
}

static const char *link_find(const Links *l, dev_t dev, ino_t ino) {
    if (!l->cap) return NULL;
    for (size_t i = link_slot(l, dev, ino);; i = (i + 1) & (l->cap - 1)) {
        if (!l->v[i].name) return NULL;
        if (l->v[i].dev == dev && l->v[i].ino == ino) return l->v[i].name;
    }
}

static void link_add(Links *l, dev_t dev, ino_t ino, const char *name) {
    if ((l->n + 1) * 2 > l->cap) {
        Links bigger = {xcalloc(l->cap ? l->cap * 2 : 64, sizeof(LinkEntry)), l->cap ? l->cap * 2 : 64, 0};
        for (size_t i = 0; i < l->cap; i++)
            if (l->v[i].name) {
                size_t j = link_slot(&bigger, l->v[i].dev, l->v[i].ino);
                while (bigger.v[j].name) j = (j + 1) & (bigger.cap - 1);
                bigger.v[j] = l->v[i];
                bigger.n++;
            }
        free(l->v);
        *l = bigger;
    }
    size_t i = link_slot(l, dev, ino);
    while (l->v[i].name) i = (i + 1) & (l->cap - 1);
    l->v[i] = (LinkEntry){dev, ino, xstrdup(name)};
    l->n++;
}

static void links_free(Links *l) {
    for (size_t i = 0; i < l->cap; i++) free(l->v[i].name);
    free(l->v);
}

/* For -u: the newest mtime archived under each name. */
typedef struct Known {
    char **names;
    int64_t *mtimes;
    size_t n, cap;
} Known;

typedef struct Create {
    Tar *t;
    TarWriter *w;
    Links links;
    Known *known;             /* -u only */
    bool have_archive_id;
    dev_t archive_dev;
    ino_t archive_ino;
    UOut *vout;
} Create;

static void owner_names(const Tar *t, const struct stat *st, TarEntry *e) {
    e->uid = t->owner_set ? t->owner_id : st->st_uid;
    e->gid = t->group_set ? t->group_id : st->st_gid;
    e->uname[0] = e->gname[0] = 0;
    if (t->numeric) return;
    if (t->owner_set && t->owner) {
        snprintf(e->uname, sizeof e->uname, "%s", t->owner);
    } else {
        struct passwd pw, *res;
        char buf[1024];
        if (getpwuid_r((uid_t)e->uid, &pw, buf, sizeof buf, &res) == 0 && res)
            snprintf(e->uname, sizeof e->uname, "%s", pw.pw_name);
        else if (e->uid == 0)
            strcpy(e->uname, "root"); /* a sandbox without a user database (wasm) */
    }
    if (t->group_set && t->group) {
        snprintf(e->gname, sizeof e->gname, "%s", t->group);
    } else {
        struct group gr, *res;
        char buf[1024];
        if (getgrgid_r((gid_t)e->gid, &gr, buf, sizeof buf, &res) == 0 && res)
            snprintf(e->gname, sizeof e->gname, "%s", gr.gr_name);
        else if (e->gid == 0)
            strcpy(e->gname, "root");
    }
}

static char *join(const char *base, const char *name) {
    if (!base || !*base || name[0] == '/') return xstrdup(name);
    StrBuf b;
    sb_init(&b);
    sb_puts(&b, base);
    if (b.s[b.len - 1] != '/') sb_putc(&b, '/');
    sb_puts(&b, name);
    return sb_take(&b);
}

static void verbose_line(Create *cr, const TarEntry *e) {
    Tar *t = cr->t;
    if (!t->verbose) return;
    if (t->verbose > 1) {
        tar_list_long(t, cr->vout, e);
    } else {
        char *q = tar_quote(e->name);
        uout_printf(cr->vout, "%s\n", q);
        free(q);
    }
    uout_flush(cr->vout);
}

static bool is_newer_than_known(Create *cr, const char *name, int64_t mtime) {
    Known *k = cr->known;
    if (!k) return true;
    for (size_t i = 0; i < k->n; i++)
        if (!strcmp(k->names[i], name)) return mtime > k->mtimes[i];
    return true;
}

/* Copies exactly e->size bytes of the file (zeros if it shrank). */
static void write_file_data(Create *cr, int fd, const char *shown, const TarEntry *e) {
    enum { CHUNK = 1 << 16 };
    uint8_t *buf = xmalloc(CHUNK);
    uint64_t left = e->size;
    while (left && !tar_writer_failed(cr->w)) {
        if (uc_should_stop(cr->t->c)) {
            cr->t->fatal = true;
            break;
        }
        size_t want = left < CHUNK ? (size_t)left : CHUNK;
        ssize_t n = read(fd, buf, want);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            if (n < 0) tar_error_errno(cr->t, shown, "Read error", errno);
            else {
                char *q = tar_quote(shown);
                tar_error(cr->t, "%s: File shrank by %ju bytes; padding with zeros", q, (uintmax_t)left);
                free(q);
            }
            memset(buf, 0, CHUNK);
            while (left) {
                size_t k = left < CHUNK ? (size_t)left : CHUNK;
                tar_write_data(cr->w, buf, k);
                left -= k;
            }
            break;
        }
        tar_write_data(cr->w, buf, (size_t)n);
        left -= (uint64_t)n;
    }
    free(buf);
    tar_write_pad(cr->w);
}

static void dump(Create *cr, const char *base, const char *name);

static int cmp_names(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void dump_dir_entries(Create *cr, const char *base, const char *name, const char *path) {
    DIR *d = opendir(path);
    if (!d) {
        tar_error_errno(cr->t, name, "Cannot open", errno);
        return;
    }
    StrList names;
    sl_init(&names);
    struct dirent *de;
    while ((de = readdir(d)))
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) sl_push_copy(&names, de->d_name);
    closedir(d);
    if (cr->t->sort == TS_NAME && names.n) qsort(names.v, names.n, sizeof *names.v, cmp_names);
    for (size_t i = 0; i < names.n && !cr->t->fatal; i++) {
        StrBuf child;
        sb_init(&child);
        sb_puts(&child, name);
        if (child.len && child.s[child.len - 1] != '/') sb_putc(&child, '/');
        sb_puts(&child, names.v[i]);
        dump(cr, base, sb_cstr(&child));
        sb_free(&child);
    }
    sl_free(&names);
}

static void dump(Create *cr, const char *base, const char *name) {
    Tar *t = cr->t;
    if (uc_should_stop(t->c)) {
        t->fatal = true;
        return;
    }
    char *path = join(base, name);
    struct stat st;
    if ((t->dereference ? stat(path, &st) : lstat(path, &st)) != 0) {
        tar_error_errno(t, name, "Cannot stat", errno);
        free(path);
        return;
    }
    if (tar_excluded(t, name)) {
        free(path);
        return;
    }
    if (cr->have_archive_id && st.st_dev == cr->archive_dev && st.st_ino == cr->archive_ino) {
        char *q = tar_quote(name);
        tar_msg(t, "%s: file is the archive; not dumped", q);
        free(q);
        free(path);
        return;
    }
    const char *stored = tar_safer_name(t, name, false);
    TarEntry e = {0};
    StrBuf mname;
    sb_init(&mname);
    char *xname = t->xform ? tar_xform_apply(t->xform, stored, 'r') : xstrdup(stored);
    sb_puts(&mname, xname);
    free(xname);
    e.mode = st.st_mode & 07777;
    owner_names(t, &st, &e);
    e.mtime = t->mtime_set ? t->mtime : (int64_t)st.st_mtime;
    char *link = NULL;
    int fd = -1;
    bool recurse = false;
    if (S_ISDIR(st.st_mode)) {
        e.type = '5';
        if (!mname.len || mname.s[mname.len - 1] != '/') sb_putc(&mname, '/');
        recurse = !t->no_recursion;
    } else if (S_ISLNK(st.st_mode)) {
        e.type = '2';
        StrBuf lb;
        sb_init(&lb);
        /* st_size is not to be trusted (MEMFS returns longer, resolved targets) */
        size_t cap = (size_t)st.st_size + 64;
        ssize_t n;
        for (;;) {
            sb_reserve(&lb, cap + 1);
            n = readlink(path, lb.s, cap);
            if (n < 0 || (size_t)n < cap || cap > (1u << 20)) break;
            cap *= 2;
        }
        if (n < 0) {
            tar_error_errno(t, name, "Cannot readlink", errno);
            sb_free(&lb);
            goto out;
        }
        lb.len = (size_t)n;
        lb.s[n] = 0;
        link = t->xform ? tar_xform_apply(t->xform, lb.s, 's') : xstrdup(lb.s);
        sb_free(&lb);
    } else if (S_ISREG(st.st_mode)) {
        const char *first = st.st_nlink > 1 ? link_find(&cr->links, st.st_dev, st.st_ino) : NULL;
        if (first) {
            e.type = '1';
            link = xstrdup(first);
        } else {
            e.type = '0';
            e.size = (uint64_t)st.st_size;
            fd = open(path, O_RDONLY | O_NOCTTY);
            if (fd < 0) {
                tar_error_errno(t, name, "Cannot open", errno);
                goto out;
            }
        }
    } else if (S_ISFIFO(st.st_mode)) {
        e.type = '6';
    } else if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
        e.type = S_ISCHR(st.st_mode) ? '3' : '4';
        e.devmajor = major(st.st_rdev);
        e.devminor = minor(st.st_rdev);
    } else {
        char *q = tar_quote(name);
        tar_msg(t, "%s: socket ignored", q);
        free(q);
        goto out;
    }
    e.name = mname.s ? mname.s : (char *)"";
    e.linkname = link;
    if (is_newer_than_known(cr, e.name, e.mtime)) {
        int r = tar_write_header(cr->w, &e);
        if (r == 1) recurse = false; /* a directory not dumped is not descended into, as GNU */
        if (r == 0) {
            verbose_line(cr, &e);
            if (fd >= 0) write_file_data(cr, fd, name, &e);
            if (e.type == '0' && st.st_nlink > 1) link_add(&cr->links, st.st_dev, st.st_ino, e.name);
        }
    }
    if (fd >= 0) close(fd), fd = -1;
    if (recurse) dump_dir_entries(cr, base, name, path);
    if (t->remove_files && !t->fatal) {
        if ((S_ISDIR(st.st_mode) ? rmdir(path) : unlink(path)) != 0)
            tar_error_errno(t, name, S_ISDIR(st.st_mode) ? "Cannot rmdir" : "Cannot unlink", errno);
    }
out:
    if (fd >= 0) close(fd);
    free(link);
    sb_free(&mname);
    free(path);
}

/* Reads -T lists into names (already done by tar.c) and walks them. */
static void dump_names(Create *cr) {
    Tar *t = cr->t;
    const char *base = t->dir;
    char *owned = NULL;
    for (size_t i = 0; i < t->names.n && !t->fatal; i++) {
        const char *n = t->names.v[i];
        if (n[0] == '\1') {
            /* -C is relative to the one before, as chdir would be */
            char *nb = join(base, n + 1);
            free(owned);
            base = owned = nb;
            continue;
        }
        dump(cr, base, n);
    }
    free(owned);
}

static bool any_names(const Tar *t) {
    for (size_t i = 0; i < t->names.n; i++)
        if (t->names.v[i][0] != '\1') return true;
    return false;
}

static void create_init(Create *cr, Tar *t, UOut *vout) {
    memset(cr, 0, sizeof *cr);
    cr->t = t;
    cr->vout = vout;
}

int tar_create(Tar *t) {
    if (!any_names(t)) {
        tar_msg(t, "Cowardly refusing to create an empty archive");
        uc_puts(t->c, 2, "Try 'tar --help' or 'tar --usage' for more information.\n");
        t->fatal = true;
        return 2;
    }
    UOut err;
    uout_init(&err, t->c, 2);
    Create cr;
    create_init(&cr, t, t->listing_to_stderr ? &err : &t->out);
    int fd = -1;
    if (strcmp(t->file, "-")) {
        fd = open(t->file, O_WRONLY | O_CREAT | O_TRUNC, 0666);
        if (fd < 0) {
            tar_error_errno(t, t->file, "Cannot open", errno);
            tar_error(t, "Error is not recoverable: exiting now");
            t->fatal = true;
            uout_close(&err);
            return 2;
        }
        struct stat st;
        if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
            cr.have_archive_id = true;
            cr.archive_dev = st.st_dev;
            cr.archive_ino = st.st_ino;
        }
    }
    cr.w = tar_writer_new(t, fd, t->zip);
    dump_names(&cr);
    if (!t->fatal || !tar_writer_failed(cr.w)) tar_writer_finish(cr.w);
    tar_writer_free(cr.w);
    links_free(&cr.links);
    if (fd >= 0 && close(fd) != 0) tar_error_errno(t, t->file, "Cannot close", errno);
    uout_close(&err);
    return t->status;
}

/* ---------------------------------------------------------------- -r, -u */

static TarAction known_entry(void *ctx, const TarEntry *e) {
    Known *k = ctx;
    if (k->n == k->cap) {
        k->cap = k->cap ? k->cap * 2 : 64;
        k->names = xrealloc(k->names, k->cap * sizeof *k->names);
        k->mtimes = xrealloc(k->mtimes, k->cap * sizeof *k->mtimes);
    }
    for (size_t i = 0; i < k->n; i++)
        if (!strcmp(k->names[i], e->name)) {
            if (e->mtime > k->mtimes[i]) k->mtimes[i] = e->mtime;
            return TA_SKIP;
        }
    k->names[k->n] = xstrdup(e->name);
    k->mtimes[k->n++] = e->mtime;
    return TA_SKIP;
}

static int no_data(void *ctx, const uint8_t *p, size_t n) {
    (void)ctx, (void)p, (void)n;
    return 0;
}

int tar_append(Tar *t) {
    if (!strcmp(t->file, "-")) {
        tar_error(t, "Options '-Aru' are incompatible with '-f -'");
        uc_puts(t->c, 2, "Try 'tar --help' or 'tar --usage' for more information.\n");
        t->fatal = true;
        return 2;
    }
    if (t->zip != TZ_NONE) {
        tar_error(t, "Cannot update compressed archives");
        uc_puts(t->c, 2, "Try 'tar --help' or 'tar --usage' for more information.\n");
        t->fatal = true;
        return 2;
    }
    int fd = open(t->file, O_RDWR | O_CREAT, 0666);
    if (fd < 0) {
        tar_error_errno(t, t->file, "Cannot open", errno);
        tar_error(t, "Error is not recoverable: exiting now");
        t->fatal = true;
        return 2;
    }
    Known known = {0};
    static const TarReadOps ops = {known_entry, no_data, NULL};
    TarReader *r = tar_reader_new(t, TZ_NONE, false, &ops, &known);
    uint8_t *buf = xmalloc(1 << 16);
    ssize_t n;
    bool empty = true;
    while ((n = read(fd, buf, 1 << 16)) > 0 && !t->fatal) {
        empty = false;
        if (!tar_reader_feed(r, buf, (size_t)n)) break;
        if (uc_should_stop(t->c)) t->fatal = true;
    }
    if (!empty && !t->fatal) tar_reader_finish(r);
    uint64_t end = empty ? 0 : tar_reader_end_offset(r);
    tar_reader_free(r);
    if (!t->fatal) {
        UOut err;
        uout_init(&err, t->c, 2);
        Create cr;
        create_init(&cr, t, &t->out);
        if (t->mode == TM_UPDATE) cr.known = &known;
        struct stat st;
        if (fstat(fd, &st) == 0) {
            cr.have_archive_id = true;
            cr.archive_dev = st.st_dev;
            cr.archive_ino = st.st_ino;
        }
        cr.w = tar_writer_new(t, fd, TZ_NONE);
        size_t rec = (size_t)t->blocking * TAR_BLOCK;
        uint64_t rec_start = end - end % rec;
        size_t partial = (size_t)(end - rec_start);
        if (partial && pread(fd, buf, partial, (off_t)rec_start) == (ssize_t)partial) tar_writer_preload(cr.w, buf, partial);
        if (lseek(fd, (off_t)rec_start, SEEK_SET) < 0 || ftruncate(fd, (off_t)rec_start) != 0)
            tar_error_errno(t, t->file, "Cannot seek", errno);
        dump_names(&cr);
        tar_writer_finish(cr.w);
        tar_writer_free(cr.w);
        links_free(&cr.links);
        uout_close(&err);
    }
    for (size_t i = 0; i < known.n; i++) free(known.names[i]);
    free(known.names);
    free(known.mtimes);
    free(buf);
    close(fd);
    return t->status;
}
