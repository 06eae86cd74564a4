/* cpmv.c - the cp (-r -R -a -p -d -f -i -n -u -v -l -s -L -P -T -t
 * --parents), mv (-f -i -n -u -v -T -t; copies and removes across file
 * systems) and ln (-s -f -n -r -v -T -t) utilities, sharing target resolution
 * and the recursive copy; all three take -b/--backup/-S (backup.h). */
#include "backup.h"
#include "modes.h"
#include "ucommon.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct CpOpts {
    UtilCtx *c;
    bool recursive, force, no_clobber, update, verbose, interactive;
    /* --preserve's attributes (-p: mode, ownership, timestamps; -a: all);
     * ownership is the fixed identity's already */
    bool preserve, preserve_times, preserve_links;
    bool default_mode;   /* --no-preserve=mode: new files get 0666 & ~umask */
    struct LinkMemo *links; /* --preserve=links: sources seen with more than one link */
    bool deref;          /* follow symlinks in sources */
    bool deref_set;
    bool hard_link, sym_link, no_target_dir;
    bool parents;        /* cp --parents */
    bool relative;       /* ln -r */
    const char *target_dir;
    Backup backup;       /* -b --backup -S */
    bool want_backup;    /* -S without -b: backups of $VERSION_CONTROL's kind */
} CpOpts;

/* ================= shared helpers ================= */

static char *join_path(const char *dir, const char *name) {
    StrBuf b;
    sb_init(&b);
    sb_puts(&b, dir);
    if (b.len && b.s[b.len - 1] != '/') sb_putc(&b, '/');
    sb_puts(&b, name);
    return sb_take(&b);
}

/* The last component of path, ignoring trailing slashes (heap string). */
static char *last_component(const char *path) {
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/') n--;
    size_t b = n;
    while (b > 0 && path[b - 1] != '/') b--;
    return xstrndup(path + b, n - b);
}

static void err2(UtilCtx *c, const char *what, const char *a, const char *mid, const char *b, int err) {
    char *qa = u_quote(a), *qb = b ? u_quote(b) : NULL;
    if (b)
        uc_error(c, "%s %s%s%s: %s", what, qa, mid, qb, u_strerror(err));
    else
        uc_error(c, "%s %s: %s", what, qa, u_strerror(err));
    free(qa);
    free(qb);
}

static void same_file(UtilCtx *c, const char *a, const char *b) {
    char *qa = u_quote(a), *qb = u_quote(b);
    uc_error(c, "%s and %s are the same file", qa, qb);
    free(qa);
    free(qb);
}

static void say_backup(UtilCtx *c, const char *prefix, const char *a, const char *arrow, const char *b,
                       const char *backup) {
    char *qa = u_quote(a), *qb = u_quote(b);
    uc_printf(c, 1, "%s%s %s %s", prefix, qa, arrow, qb);
    if (backup) {
        char *q = u_quote(backup);
        uc_printf(c, 1, " (backup: %s)", q);
        free(q);
    }
    uc_printf(c, 1, "\n");
    free(qa);
    free(qb);
}

static void say(UtilCtx *c, const char *prefix, const char *a, const char *arrow, const char *b) {
    say_backup(c, prefix, a, arrow, b, NULL);
}

/* Renames an existing non-directory dst to its backup name when backups were
 * asked for; *made gets that name (or NULL). False after an error. */
static bool backup_dest(const CpOpts *o, const char *dst, char **made) {
    struct stat d;
    *made = NULL;
    if (o->backup.kind == BK_NONE || lstat(dst, &d) != 0 || S_ISDIR(d.st_mode)) return true;
    return u_backup_make(o->c, &o->backup, dst, made);
}

/* Once options are read: -S alone means backups, as in GNU. */
static bool finish_backup(CpOpts *o) {
    if (o->want_backup && o->backup.kind == BK_NONE && !u_backup_parse(o->c, &o->backup, NULL)) return false;
    u_backup_finish(o->c, &o->backup);
    return true;
}

/* True when path b is a or lies below a (lexically, after canonicalising
 * the directories that exist). */
static bool is_inside(const char *a, const char *b) {
    char *ra = realpath(a, NULL);
    char *bdir = xstrdup(b);
    char *slash = strrchr(bdir, '/');
    if (slash) *slash = 0;
    char *rb = realpath(slash ? (bdir[0] ? bdir : "/") : ".", NULL);
    bool inside = false;
    if (ra && rb) {
        size_t n = strlen(ra);
        inside = !strncmp(ra, rb, n) && (rb[n] == '/' || !rb[n] || !strcmp(ra, "/"));
    }
    free(ra);
    free(rb);
    free(bdir);
    return inside;
}

/* Resolves operands into (sources, destination directory or file). Returns
 * the number of sources, or -1 after an error; *dir tells whether dest is a
 * directory that receives the sources. */
static int resolve_target(UtilCtx *c, StrList *ops, const char *target_dir, bool no_target_dir,
                          const char **dest, bool *dir) {
    if (target_dir) {
        struct stat st;
        if (stat(target_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
            char *q = u_quote(target_dir);
            if (errno == ENOENT) uc_error(c, "failed to access %s: %s", q, u_strerror(ENOENT));
            else uc_error(c, "target %s is not a directory", q);
            free(q);
            return -1;
        }
        if (!ops->n) return u_missing_file_operand(c), -1;
        *dest = target_dir;
        *dir = true;
        return (int)ops->n;
    }
    if (!ops->n) return u_missing_file_operand(c), -1;
    if (ops->n == 1) {
        char *q = u_quote(ops->v[0]);
        uc_error(c, "missing destination file operand after %s", q);
        free(q);
        u_try_help(c);
        return -1;
    }
    *dest = ops->v[ops->n - 1];
    struct stat st;
    bool is_dir = stat(*dest, &st) == 0 && S_ISDIR(st.st_mode);
    if (no_target_dir) {
        if (ops->n > 2) return u_extra_operand(c, ops->v[2]), -1;
        *dir = false;
        return 1;
    }
    if (ops->n > 2 && !is_dir) {
        char *q = u_quote(*dest);
        if (errno == ENOENT && stat(*dest, &st) != 0) uc_error(c, "target %s: No such file or directory", q);
        else uc_error(c, "target %s is not a directory", q);
        free(q);
        return -1;
    }
    *dir = is_dir;
    return (int)ops->n - 1;
}

/* ================= copying ================= */

static bool copy_entry(const CpOpts *o, const char *src, const char *dst, bool top);

/* Copies from the fd `in`, or from `in_file` when not NULL (a shell fd). */
static bool copy_data(const CpOpts *o, int in, UcFile *in_file, int out, const char *src, const char *dst) {
    char *buf = xmalloc(65536);
    bool ok = true;
    for (;;) {
        ssize_t n = in_file ? uc_fread(in_file, buf, 65536) : read(in, buf, 65536);
        if (n == 0) break;
        if (n < 0 || uc_should_stop(o->c)) {
            if (n < 0) err2(o->c, "error reading", src, "", NULL, errno);
            ok = false;
            break;
        }
        for (ssize_t off = 0; off < n;) {
            ssize_t w = write(out, buf + off, (size_t)(n - off));
            if (w < 0) {
                err2(o->c, "error writing", dst, "", NULL, errno);
                ok = false;
                break;
            }
            off += w;
        }
        if (!ok) break;
    }
    free(buf);
    return ok;
}

static void preserve_attrs(const CpOpts *o, const char *dst, const struct stat *st) {
    if (o->preserve) chmod(dst, st->st_mode & 07777);
    if (o->preserve_times) {
        struct timespec t[2] = {st->st_atim, st->st_mtim};
        utimensat(AT_FDCWD, dst, t, 0);
    }
}

/* ---- --preserve=links: the copies of a multiply linked source ---- */
typedef struct LinkMemo {
    dev_t *dev;
    ino_t *ino;
    char **copy;
    size_t n, cap;
} LinkMemo;

/* The copy made of an inode already copied, or NULL (and dst remembered). */
static const char *memo_copy(LinkMemo *m, const struct stat *st, const char *dst) {
    for (size_t i = 0; i < m->n; i++)
        if (m->dev[i] == st->st_dev && m->ino[i] == st->st_ino) return m->copy[i];
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 16;
        m->dev = xrealloc(m->dev, m->cap * sizeof *m->dev);
        m->ino = xrealloc(m->ino, m->cap * sizeof *m->ino);
        m->copy = xrealloc(m->copy, m->cap * sizeof *m->copy);
    }
    m->dev[m->n] = st->st_dev, m->ino[m->n] = st->st_ino, m->copy[m->n] = xstrdup(dst);
    m->n++;
    return NULL;
}

static void memo_free(LinkMemo *m) {
    for (size_t i = 0; i < m->n; i++) free(m->copy[i]);
    free(m->dev), free(m->ino), free(m->copy);
}

static bool copy_regular(const CpOpts *o, const char *src, const char *dst, const struct stat *st) {
    int in = open(src, O_RDONLY);
    if (in < 0) return err2(o->c, "cannot open", src, " for reading", NULL, errno), false;
    mode_t mode = o->default_mode ? 0666 : st->st_mode & 0777;
    int out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, mode);
    if (out < 0 && o->force && errno != ENOENT) {
        unlink(dst);
        out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, mode);
    }
    if (out < 0) {
        err2(o->c, "cannot create regular file", dst, "", NULL, errno);
        close(in);
        return false;
    }
    bool ok = copy_data(o, in, NULL, out, src, dst);
    close(in);
    close(out);
    if (ok) preserve_attrs(o, dst, st);
    return ok;
}

/* A source naming one of the shell's fds (cp <(cmd) FILE): its data, as GNU
 * cp copies what it reads from the pipe /dev/fd/N leads to. */
static bool copy_shell_fd(const CpOpts *o, const char *src, const char *dst) {
    UcFile *in = uc_open(o->c, src, "r");
    if (!in) return err2(o->c, "cannot open", src, " for reading", NULL, errno), false;
    int out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (out < 0) {
        err2(o->c, "cannot create regular file", dst, "", NULL, errno);
        uc_close(in);
        return false;
    }
    bool ok = copy_data(o, -1, in, out, src, dst);
    uc_close(in);
    if (close(out) != 0 && ok) ok = (err2(o->c, "error writing", dst, "", NULL, errno), false);
    return ok;
}

static bool copy_symlink(const CpOpts *o, const char *src, const char *dst) {
    char target[4096];
    ssize_t n = readlink(src, target, sizeof target - 1);
    if (n < 0) return err2(o->c, "cannot read symbolic link", src, "", NULL, errno), false;
    target[n] = 0;
    int r = symlink(target, dst);
    if (r != 0 && errno == EEXIST && unlink(dst) == 0) {
        if (o->verbose) {
            char *q = u_quote(dst);
            uc_printf(o->c, 1, "removed %s\n", q);
            free(q);
        }
        r = symlink(target, dst);
    }
    if (r != 0) return err2(o->c, "cannot create symbolic link", dst, "", NULL, errno), false;
    return true;
}

static int name_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The entries of a directory except . and .., sorted; false if unreadable. */
static bool list_dir(const char *path, StrList *names) {
    DIR *d = opendir(path);
    if (!d) return false;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) sl_push_copy(names, e->d_name);
    closedir(d);
    if (names->n) qsort(names->v, names->n, sizeof *names->v, name_cmp);
    return true;
}

static bool copy_dir(const CpOpts *o, const char *src, const char *dst, const struct stat *st, bool dst_exists,
                     bool into_itself) {
    if (!dst_exists && mkdir(dst, (st->st_mode & 0777) | S_IRWXU) != 0)
        return err2(o->c, "cannot create directory", dst, "", NULL, errno), false;
    if (o->verbose && !dst_exists) say(o->c, "", src, "->", dst);
    if (into_itself) {
        char *qs = u_quote(src), *qd = u_quote(dst);
        uc_error(o->c, "cannot copy a directory, %s, into itself, %s", qs, qd);
        free(qs);
        free(qd);
        return false;
    }
    StrList names;
    sl_init(&names);
    if (!list_dir(src, &names)) return err2(o->c, "cannot access", src, "", NULL, errno), false;
    bool ok = true;
    for (size_t i = 0; i < names.n && !uc_should_stop(o->c); i++) {
        char *s = join_path(src, names.v[i]), *t = join_path(dst, names.v[i]);
        ok &= copy_entry(o, s, t, false);
        free(s);
        free(t);
    }
    sl_free(&names);
    if (!dst_exists || o->preserve || o->preserve_times) {
        /* made with u+rwx to fill it; now the mode it should have */
        mode_t mode = o->preserve ? st->st_mode & 07777 : o->default_mode ? 0777 & ~u_umask() : st->st_mode & 0777 & ~u_umask();
        if (!dst_exists || o->preserve) chmod(dst, mode);
        if (o->preserve_times) {
            struct timespec t[2] = {st->st_atim, st->st_mtim};
            utimensat(AT_FDCWD, dst, t, 0);
        }
    }
    return ok;
}

/* Checks an existing destination; returns 1 to copy, 0 to skip, -1 on error. */
static int check_dest(const CpOpts *o, const char *src, const char *dst, const struct stat *s, struct stat *d) {
    if (stat(dst, d) != 0) return 1;
    if (s->st_dev == d->st_dev && s->st_ino == d->st_ino && !o->hard_link && !o->sym_link)
        return same_file(o->c, src, dst), -1;
    if (o->no_clobber) return 0;
    if (o->interactive) {
        char *q = u_quote(dst);
        bool yes = u_confirm(o->c, "overwrite %s? ", q);
        free(q);
        if (!yes) return 0;
    }
    if (o->update && !S_ISDIR(s->st_mode) &&
        (d->st_mtim.tv_sec > s->st_mtim.tv_sec ||
         (d->st_mtim.tv_sec == s->st_mtim.tv_sec && d->st_mtim.tv_nsec >= s->st_mtim.tv_nsec)))
        return 0;
    char *qs = u_quote(src), *qd = u_quote(dst);
    int r = 1;
    if (S_ISDIR(d->st_mode) && !S_ISDIR(s->st_mode)) {
        uc_error(o->c, "cannot overwrite directory %s with non-directory", qd);
        r = -1;
    } else if (!S_ISDIR(d->st_mode) && S_ISDIR(s->st_mode)) {
        uc_error(o->c, "cannot overwrite non-directory %s with directory %s", qd, qs);
        r = -1;
    }
    free(qs);
    free(qd);
    return r;
}

/* cp -s with a relative source: the link is only right in the current
 * directory, so GNU refuses others. */
static bool relative_symlink_ok(const CpOpts *o, const char *src, const char *dst) {
    if (src[0] == '/') return true;
    char *dir = xstrdup(dst);
    char *slash = strrchr(dir, '/');
    bool ok = !slash;
    if (slash) {
        *slash = 0;
        struct stat a, b;
        ok = stat(".", &a) == 0 && stat(*dir ? dir : "/", &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
    }
    free(dir);
    if (!ok) {
        char *q = u_quotef(dst);
        uc_error(o->c, "%s: can make relative symbolic links only in current directory", q);
        free(q);
    }
    return ok;
}

static bool copy_link_kind(const CpOpts *o, const char *src, const char *dst) {
    if (o->sym_link && !relative_symlink_ok(o, src, dst)) return false;
    int r = o->hard_link ? link(src, dst) : symlink(src, dst);
    if (r != 0 && errno == EEXIST && o->force && unlink(dst) == 0) r = o->hard_link ? link(src, dst) : symlink(src, dst);
    if (r != 0) {
        err2(o->c, o->hard_link ? "cannot create hard link" : "cannot create symbolic link", dst, " to ", src, errno);
        return false;
    }
    return true;
}

static bool copy_entry(const CpOpts *o, const char *src, const char *dst, bool top) {
    struct stat s, d;
    bool follow = o->deref || (!o->deref_set && !o->recursive && top);
    if ((follow ? stat(src, &s) : lstat(src, &s)) != 0) {
        int err = errno;
        if (top && uc_stat(o->c, src, &s) == 0 && S_ISFIFO(s.st_mode)) return copy_shell_fd(o, src, dst);
        return err2(o->c, "cannot stat", src, "", NULL, err), false;
    }
    if (S_ISDIR(s.st_mode) && !o->recursive) {
        char *q = u_quote(src);
        uc_error(o->c, "-r not specified; omitting directory %s", q);
        free(q);
        return false;
    }
    int chk = check_dest(o, src, dst, &s, &d);
    if (chk <= 0) return chk == 0;
    bool exists = lstat(dst, &d) == 0;
    if (S_ISDIR(s.st_mode))
        return copy_dir(o, src, dst, &s, exists && S_ISDIR(d.st_mode), top && is_inside(src, dst));
    char *backup = NULL;
    if (exists && !backup_dest(o, dst, &backup)) return false;
    const char *twin = o->preserve_links && o->links && s.st_nlink > 1 && !o->hard_link && !o->sym_link
                           ? memo_copy(o->links, &s, dst) : NULL;
    bool ok;
    if (twin) {
        /* another name of an inode copied already: link to that copy */
        if (exists && !backup) unlink(dst);
        ok = link(twin, dst) == 0;
        if (!ok) err2(o->c, "cannot create hard link", dst, " to ", twin, errno);
    } else if (o->hard_link || o->sym_link) ok = copy_link_kind(o, src, dst);
    else if (S_ISLNK(s.st_mode)) ok = copy_symlink(o, src, dst);
    else ok = copy_regular(o, src, dst, &s);
    if (ok && o->verbose) say_backup(o->c, "", src, "->", dst, backup);
    free(backup);
    return ok;
}

/* ================= cp ================= */

enum { OPT_PRESERVE = 0x100, OPT_NO_PRESERVE, OPT_REMOVE_DEST, OPT_IGNORED, OPT_PARENTS };

static const UOptLong cp_longs[] = {
    {"archive", UO_NOARG, 'a'}, {"force", UO_NOARG, 'f'}, {"no-clobber", UO_NOARG, 'n'},
    {"recursive", UO_NOARG, 'r'}, {"update", UO_OPT, 'u'}, {"verbose", UO_NOARG, 'v'},
    {"dereference", UO_NOARG, 'L'}, {"no-dereference", UO_NOARG, 'P'}, {"link", UO_NOARG, 'l'},
    {"symbolic-link", UO_NOARG, 's'}, {"target-directory", UO_REQ, 't'},
    {"no-target-directory", UO_NOARG, 'T'}, {"preserve", UO_OPT, OPT_PRESERVE},
    {"no-preserve", UO_REQ, OPT_NO_PRESERVE}, {"remove-destination", UO_NOARG, 'f'},
    {"interactive", UO_NOARG, 'i'}, {"one-file-system", UO_NOARG, OPT_IGNORED},
    {"sparse", UO_REQ, OPT_IGNORED}, {"reflink", UO_OPT, OPT_IGNORED}, {"parents", UO_NOARG, OPT_PARENTS},
    {"backup", UO_OPT, 'b'}, {"suffix", UO_REQ, 'S'}, {NULL, 0, 0},
};

/* --preserve=LIST / --no-preserve=LIST. */
static bool preserve_list(CpOpts *o, const char *list, bool on) {
    static const char *const attrs[] = {"mode", "ownership", "timestamps", "links", "context", "xattr", "all", NULL};
    char *copy = xstrdup(list), *save = NULL;
    bool ok = true;
    for (char *w = strtok_r(copy, ",", &save); ok && w; w = strtok_r(NULL, ",", &save)) {
        int i = 0;
        while (attrs[i] && strcmp(attrs[i], w)) i++;
        if (!attrs[i]) {
            char *q = u_quote(w);
            uc_error(o->c, "invalid argument %s for '--%spreserve'", q, on ? "" : "no-");
            free(q);
            uc_puts(o->c, 2, "Valid arguments are:\n  - 'mode'\n  - 'timestamps'\n  - 'ownership'\n  - 'links'\n"
                             "  - 'context'\n  - 'xattr'\n  - 'all'\n");
            u_try_help(o->c);
            ok = false;
        }
        if (i == 0 || i == 6) o->preserve = on, o->default_mode = !on && i == 0;
        if (i == 2 || i == 6) o->preserve_times = on;
        if (i == 3 || i == 6) o->preserve_links = on;
    }
    free(copy);
    return ok;
}

static int cp_option(CpOpts *o, int k, const char *arg) {
    switch (k) {
    case 'a': o->recursive = o->preserve = o->preserve_times = o->preserve_links = true;
        o->deref = false, o->deref_set = true;
        return -1;
    case 'd': o->preserve_links = true, o->deref = false, o->deref_set = true; return -1; /* -P --preserve=links */
    case 'P': o->deref = false; o->deref_set = true; return -1;
    case 'L': o->deref = o->deref_set = true; return -1;
    case 'H': return -1;
    case 'f': o->force = true; o->no_clobber = false; return -1;
    case 'n': o->no_clobber = true; o->interactive = false; return -1;
    case 'i': o->interactive = true; o->no_clobber = false; return -1;
    case 'x': case OPT_IGNORED: return -1;
    case OPT_NO_PRESERVE: return preserve_list(o, arg, false) ? -1 : 1;
    case 'r': case 'R': o->recursive = true; return -1;
    case 'p': o->preserve = o->preserve_times = true; return -1;
    case OPT_PRESERVE: return preserve_list(o, arg ? arg : "mode,ownership,timestamps", true) ? -1 : 1;
    case 'u': o->update = true; return -1;
    case 'v': o->verbose = true; return -1;
    case 'l': o->hard_link = true; return -1;
    case 's': o->sym_link = true; return -1;
    case 't': o->target_dir = arg; return -1;
    case 'T': o->no_target_dir = true; return -1;
    case OPT_PARENTS: o->parents = true; return -1;
    case 'b': return u_backup_parse(o->c, &o->backup, arg) ? -1 : 1;
    case 'S': o->backup.suffix = arg; o->want_backup = true; return -1;
    case UO_HELP: return u_help(o->c, "[OPTION]... SOURCE... DIRECTORY");
    case UO_VERSION: return u_version(o->c);
    default: return 1;
    }
}

/* --parents: makes dest/DIRS for each directory of src (with the source
 * directory's mode), saying so with -v; returns dest/src, or NULL. */
static char *cp_parent_dirs(const CpOpts *o, const char *dest, const char *src) {
    StrBuf to, from;
    sb_init(&to), sb_init(&from);
    sb_puts(&to, dest);
    const char *p = src;
    while (*p == '/') p++;
    bool ok = true;
    for (;;) {
        size_t n = strcspn(p, "/");
        if (!p[n]) break;
        if (from.len) sb_putc(&from, '/');
        else if (src[0] == '/') sb_putc(&from, '/');
        sb_put(&from, p, n);
        if (to.len && to.s[to.len - 1] != '/') sb_putc(&to, '/');
        sb_put(&to, p, n);
        struct stat st, dt;
        if (stat(to.s, &dt) != 0) {
            if (stat(from.s, &st) != 0 || mkdir(to.s, st.st_mode & 07777) != 0) {
                err2(o->c, "cannot make directory", to.s, "", NULL, errno);
                ok = false;
                break;
            }
            chmod(to.s, st.st_mode & 07777);
            if (o->verbose) uc_printf(o->c, 1, "%s -> %s\n", from.s, to.s);
        }
        p += n;
        while (*p == '/') p++;
    }
    sb_free(&from);
    if (!ok) {
        sb_free(&to);
        return NULL;
    }
    if (to.len && to.s[to.len - 1] != '/') sb_putc(&to, '/');
    sb_puts(&to, p);
    return sb_take(&to);
}

int util_cp_main(UtilCtx *c, int argc, char **argv) {
    CpOpts co = {.c = c};
    UOpts o;
    uopt_init(&o, c, argc, argv, "abdfHilLnpPrRsS:t:Tuvx", cp_longs);
    int k, r = -1;
    LinkMemo links = {0};
    co.links = &links;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) r = cp_option(&co, k, o.arg);
    if (r < 0 && !finish_backup(&co)) r = 1;
    const char *dest = NULL;
    bool dir = false;
    int nsrc = r < 0 ? resolve_target(c, &o.ops, co.target_dir, co.no_target_dir, &dest, &dir) : 0;
    if (r < 0 && nsrc < 0) r = 1;
    if (r < 0 && co.parents && !dir) {
        uc_error(c, "with --parents, the destination must be a directory");
        u_try_help(c);
        r = 1;
    }
    int status = 0;
    for (int i = 0; r < 0 && i < nsrc && !uc_should_stop(c); i++) {
        char *base = last_component(o.ops.v[i]);
        char *to = co.parents ? cp_parent_dirs(&co, dest, o.ops.v[i]) : dir ? join_path(dest, base) : xstrdup(dest);
        if (!to || !copy_entry(&co, o.ops.v[i], to, true)) status = 1;
        free(base);
        free(to);
    }
    memo_free(&links);
    uopt_free(&o);
    return r >= 0 ? r : status;
}

/* ================= mv ================= */

static bool remove_tree(const char *path) {
    struct stat st;
    if (lstat(path, &st) != 0) return false;
    if (!S_ISDIR(st.st_mode)) return unlink(path) == 0;
    StrList names;
    sl_init(&names);
    if (!list_dir(path, &names)) return false;
    bool ok = true;
    for (size_t i = 0; i < names.n; i++) {
        char *p = join_path(path, names.v[i]);
        ok &= remove_tree(p);
        free(p);
    }
    sl_free(&names);
    return ok && rmdir(path) == 0;
}

static bool move_across(const CpOpts *o, const char *src, const char *dst) {
    CpOpts copy = *o;
    copy.recursive = copy.preserve = copy.preserve_times = copy.force = true;
    copy.verbose = copy.no_clobber = copy.update = false;
    copy.deref = false;
    copy.deref_set = true;
    struct stat d;
    if (lstat(dst, &d) == 0 && !S_ISDIR(d.st_mode)) unlink(dst);
    if (!copy_entry(&copy, src, dst, true)) return false;
    if (!remove_tree(src)) return err2(o->c, "cannot remove", src, "", NULL, errno), false;
    return true;
}

static bool move_one(const CpOpts *o, const char *src, const char *dst) {
    struct stat s, d;
    if (lstat(src, &s) != 0) return err2(o->c, "cannot stat", src, "", NULL, errno), false;
    if (lstat(dst, &d) == 0) {
        if (s.st_dev == d.st_dev && s.st_ino == d.st_ino) return same_file(o->c, src, dst), false;
        int chk = check_dest(o, src, dst, &s, &d);
        if (chk <= 0) return chk == 0;
    }
    if (S_ISDIR(s.st_mode) && is_inside(src, dst)) {
        char *qs = u_quote(src), *qd = u_quote(dst);
        uc_error(o->c, "cannot move %s to a subdirectory of itself, %s", qs, qd);
        free(qs);
        free(qd);
        return false;
    }
    char *backup = NULL;
    if (!backup_dest(o, dst, &backup)) return false;
    if (rename(src, dst) != 0) {
        if (errno != EXDEV) return free(backup), err2(o->c, "cannot move", src, " to ", dst, errno), false;
        if (!move_across(o, src, dst)) return free(backup), false;
    }
    if (o->verbose) say_backup(o->c, "renamed ", src, "->", dst, backup);
    free(backup);
    return true;
}

static const UOptLong mv_longs[] = {
    {"force", UO_NOARG, 'f'},          {"no-clobber", UO_NOARG, 'n'}, {"update", UO_OPT, 'u'},
    {"verbose", UO_NOARG, 'v'},        {"interactive", UO_NOARG, 'i'},
    {"target-directory", UO_REQ, 't'}, {"no-target-directory", UO_NOARG, 'T'},
    {"backup", UO_OPT, 'b'},           {"suffix", UO_REQ, 'S'},       {NULL, 0, 0},
};

int util_mv_main(UtilCtx *c, int argc, char **argv) {
    CpOpts mo = {.c = c};
    UOpts o;
    uopt_init(&o, c, argc, argv, "bfinS:t:Tuv", mv_longs);
    int k, r = -1;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) {
        r = cp_option(&mo, k, o.arg);
        if (k == 'f') mo.interactive = false; /* mv: the last of -f -i -n wins */
    }
    if (r < 0 && !finish_backup(&mo)) r = 1;
    const char *dest = NULL;
    bool dir = false;
    int nsrc = r < 0 ? resolve_target(c, &o.ops, mo.target_dir, mo.no_target_dir, &dest, &dir) : 0;
    if (r < 0 && nsrc < 0) r = 1;
    int status = 0;
    for (int i = 0; r < 0 && i < nsrc && !uc_should_stop(c); i++) {
        char *base = last_component(o.ops.v[i]);
        char *to = dir ? join_path(dest, base) : xstrdup(dest);
        if (!move_one(&mo, o.ops.v[i], to)) status = 1;
        free(base);
        free(to);
    }
    uopt_free(&o);
    return r >= 0 ? r : status;
}

/* ================= ln ================= */

static bool link_one_to(const CpOpts *o, const char *target, const char *link_name);

/* An absolute canonical form of path: symlinks resolved where the path
 * exists, the rest taken lexically (as realpath -m). Heap string. */
static char *canon_m(const char *path) {
    StrBuf abs;
    sb_init(&abs);
    if (path[0] != '/') {
        char *cwd = getcwd(NULL, 0);
        sb_puts(&abs, cwd ? cwd : "/");
        free(cwd);
        sb_putc(&abs, '/');
    }
    sb_puts(&abs, path);
    /* the longest existing prefix, resolved by realpath */
    char *s = abs.s;
    size_t cut = abs.len;
    char *real = NULL;
    for (;;) {
        char save = s[cut];
        s[cut] = 0;
        real = realpath(s, NULL);
        s[cut] = save;
        if (real || cut == 0) break;
        while (cut > 0 && s[cut - 1] != '/') cut--;
        while (cut > 1 && s[cut - 1] == '/') cut--;
        if (cut == 1) cut = 0;
    }
    StrBuf out;
    sb_init(&out);
    sb_puts(&out, real && strcmp(real, "/") ? real : "");
    free(real);
    for (const char *p = s + cut; *p;) {
        while (*p == '/') p++;
        size_t n = strcspn(p, "/");
        if (!n) break;
        if (n == 2 && !strncmp(p, "..", 2)) {
            while (out.len && out.s[out.len - 1] != '/') out.len--;
            if (out.len) out.len--;
            out.s[out.len] = 0;
        } else if (!(n == 1 && *p == '.')) {
            sb_putc(&out, '/');
            sb_put(&out, p, n);
        }
        p += n;
    }
    sb_free(&abs);
    if (!out.len) sb_putc(&out, '/');
    return sb_take(&out);
}

/* ln -r: target relative to the directory of link_name. */
static char *relative_target(const char *target, const char *link_name) {
    char *to = canon_m(target);
    char *slash = strrchr(link_name, '/');
    char *dir_rel = slash ? xstrndup(link_name, (size_t)(slash - link_name) + (slash == link_name)) : xstrdup(".");
    char *from = canon_m(dir_rel);
    free(dir_rel);
    size_t common = 0, i = 0;
    for (; from[i] && to[i] && from[i] == to[i]; i++)
        if (from[i] == '/') common = i;
    if (!from[i] && (to[i] == '/' || !to[i])) common = i;
    else if (!to[i] && from[i] == '/') common = i;
    StrBuf b;
    sb_init(&b);
    for (const char *p = from + common; *p; p++)
        if (*p == '/') sb_puts(&b, b.len ? "/.." : "..");
    const char *rest = to + common;
    while (*rest == '/') rest++;
    if (*rest) {
        if (b.len) sb_putc(&b, '/');
        sb_puts(&b, rest);
    }
    if (!b.len) sb_putc(&b, '.');
    free(to), free(from);
    return sb_take(&b);
}

static bool link_one(const CpOpts *o, const char *target, const char *link_name) {
    char *rel = o->relative && o->sym_link ? relative_target(target, link_name) : NULL;
    if (rel) target = rel;
    bool ok = link_one_to(o, target, link_name);
    free(rel);
    return ok;
}

static bool link_one_to(const CpOpts *o, const char *target, const char *link_name) {
    struct stat st, d;
    if (!o->sym_link) {
        if (stat(target, &st) != 0) return err2(o->c, "failed to access", target, "", NULL, errno), false;
        if (S_ISDIR(st.st_mode)) {
            char *q = u_quotef(target);
            uc_error(o->c, "%s: hard link not allowed for directory", q);
            free(q);
            return false;
        }
    }
    bool exists = lstat(link_name, &d) == 0;
    if (exists && o->interactive) {
        char *q = u_quote(link_name);
        bool yes = u_confirm(o->c, "replace %s? ", q);
        free(q);
        if (!yes) return true;
    }
    char *backup = NULL;
    if ((o->force || o->interactive || o->backup.kind != BK_NONE) && exists) {
        if (!o->sym_link && stat(target, &st) == 0 && st.st_dev == d.st_dev && st.st_ino == d.st_ino)
            return same_file(o->c, target, link_name), false;
        if (S_ISDIR(d.st_mode)) {
            char *q = u_quote(link_name);
            uc_error(o->c, "%s: cannot overwrite directory", q);
            free(q);
            return false;
        }
        if (!backup_dest(o, link_name, &backup)) return false;
        if (!backup) unlink(link_name);
    }
    int r = o->sym_link ? symlink(target, link_name) : link(target, link_name);
    int e = errno;
    if (r != 0 && backup) rename(backup, link_name); /* as GNU, put the original back */
    bool ok = r == 0;
    if (!ok && o->sym_link) err2(o->c, "failed to create symbolic link", link_name, "", NULL, e);
    else if (!ok && e == EEXIST) err2(o->c, "failed to create hard link", link_name, "", NULL, e);
    else if (!ok) err2(o->c, "failed to create hard link", link_name, " => ", target, e);
    if (ok && o->verbose && backup) {
        char *qb = u_quote(backup);
        uc_printf(o->c, 1, "%s ~ ", qb);
        free(qb);
    }
    if (ok && o->verbose) say(o->c, "", link_name, o->sym_link ? "->" : "=>", target);
    free(backup);
    return ok;
}

static const UOptLong ln_longs[] = {
    {"symbolic", UO_NOARG, 's'},       {"force", UO_NOARG, 'f'},       {"no-dereference", UO_NOARG, 'n'},
    {"verbose", UO_NOARG, 'v'},        {"target-directory", UO_REQ, 't'},
    {"no-target-directory", UO_NOARG, 'T'}, {"logical", UO_NOARG, 'L'}, {"physical", UO_NOARG, 'P'},
    {"interactive", UO_NOARG, 'i'},    {"relative", UO_NOARG, 'r'},  {"backup", UO_OPT, 'b'},
    {"suffix", UO_REQ, 'S'},           {NULL, 0, 0},
};

/* ln's target resolution: one operand links into ".", -n keeps a symlink
 * to a directory as the link name. */
static int ln_targets(CpOpts *lo, StrList *ops, bool no_deref, const char **dest, bool *dir) {
    if (ops->n == 1 && !lo->target_dir) {
        *dest = ".";
        *dir = true;
        return 1;
    }
    if (no_deref && ops->n == 2 && !lo->target_dir) {
        struct stat st;
        if (lstat(ops->v[1], &st) == 0 && S_ISLNK(st.st_mode)) {
            *dest = ops->v[1];
            *dir = false;
            return 1;
        }
    }
    return resolve_target(lo->c, ops, lo->target_dir, lo->no_target_dir, dest, dir);
}

int util_ln_main(UtilCtx *c, int argc, char **argv) {
    CpOpts lo = {.c = c};
    bool no_deref = false;
    UOpts o;
    uopt_init(&o, c, argc, argv, "bfiLnPrsS:t:Tv", ln_longs);
    int k, r = -1;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) {
        if (k == 'n') no_deref = true;
        else if (k == 'r') lo.relative = true;
        else if (k == 'L' || k == 'P') continue;
        else r = cp_option(&lo, k == 's' ? 's' : k, o.arg);
    }
    if (r < 0 && !finish_backup(&lo)) r = 1;
    const char *dest = NULL;
    bool dir = false;
    int nsrc = r < 0 ? (o.ops.n ? ln_targets(&lo, &o.ops, no_deref, &dest, &dir) : (u_missing_file_operand(c), -1)) : 0;
    if (r < 0 && nsrc < 0) r = 1;
    if (r < 0 && lo.relative && !lo.sym_link) {
        uc_error(c, "cannot do --relative without --symbolic");
        r = 1;
    }
    int status = 0;
    for (int i = 0; r < 0 && i < nsrc; i++) {
        char *base = last_component(o.ops.v[i]);
        char *to = dir ? join_path(dest, base) : xstrdup(dest);
        if (!link_one(&lo, o.ops.v[i], to)) status = 1;
        free(base);
        free(to);
    }
    uopt_free(&o);
    return r >= 0 ? r : status;
}
