/* fileops.c - the mkdir (-p -m -v), rmdir (-p -v --ignore-fail-on-non-empty),
 * rm (-f -r -R -d -v, refuses "/" and "." / "..") and touch (-a -m -c -d -t
 * -r --time) utilities. */
#include "datetime.h"
#include "modes.h"
#include "ucommon.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ================= mkdir ================= */

typedef struct MkdirOpts {
    bool parents, verbose;
    bool have_mode;
    mode_t mode;
} MkdirOpts;

static bool make_one(UtilCtx *c, const char *path, const MkdirOpts *o, bool final) {
    mode_t mode = final && o->have_mode ? o->mode : 0777;
    if (mkdir(path, mode) != 0) {
        struct stat st;
        if (o->parents && errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) return true;
        u_err_op(c, "cannot create directory", path, errno);
        return false;
    }
    if (final && o->have_mode && chmod(path, o->mode) != 0) {
        u_err_op(c, "cannot set permissions of", path, errno);
        return false;
    }
    if (o->verbose) {
        char *q = u_quote(path);
        uc_printf(c, 1, "%s: created directory %s\n", uc_name(c), q);
        free(q);
    }
    return true;
}

static bool make_path(UtilCtx *c, const char *path, const MkdirOpts *o) {
    if (!o->parents) return make_one(c, path, o, true);
    char *p = xstrdup(path);
    bool ok = true;
    for (char *s = p + 1; ok && *s; s++) {
        if (*s != '/' || s[-1] == '/') continue;
        *s = 0;
        struct stat st;
        if (stat(p, &st) != 0) {
            ok = make_one(c, p, o, false);
        } else if (!S_ISDIR(st.st_mode)) {
            /* GNU names the ancestor it could not enter */
            u_err_op(c, "cannot create directory", p, ENOTDIR);
            ok = false;
        }
        *s = '/';
    }
    if (ok) ok = make_one(c, p, o, true);
    free(p);
    return ok;
}

static const UOptLong mkdir_longs[] = {
    {"mode", UO_REQ, 'm'}, {"parents", UO_NOARG, 'p'}, {"verbose", UO_NOARG, 'v'}, {NULL, 0, 0},
};

int util_mkdir_main(UtilCtx *c, int argc, char **argv) {
    MkdirOpts mo = {0};
    UOpts o;
    uopt_init(&o, c, argc, argv, "m:pv", mkdir_longs);
    int k, r = -1;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) {
        switch (k) {
        case 'p': mo.parents = true; break;
        case 'v': mo.verbose = true; break;
        case 'm':
            mo.have_mode = u_mode_parse(o.arg, 0777 & ~u_umask(), true, u_umask(), &mo.mode);
            if (!mo.have_mode) {
                char *q = u_quote(o.arg);
                uc_error(c, "invalid mode %s", q);
                free(q);
                r = 1;
            }
            break;
        case UO_HELP: r = u_help(c, "[OPTION]... DIRECTORY..."); break;
        case UO_VERSION: r = u_version(c); break;
        default: r = 1; break;
        }
    }
    if (r < 0 && !o.ops.n) r = (u_missing_operand(c, NULL), 1);
    for (size_t i = 0; r < 0 && i < o.ops.n; i++)
        if (!make_path(c, o.ops.v[i], &mo)) r = -2;
    uopt_free(&o);
    return r == -1 ? 0 : r == -2 ? 1 : r;
}

/* ================= rmdir ================= */

typedef struct RmdirOpts {
    bool parents, verbose, ignore_nonempty;
} RmdirOpts;

static bool dot_last(const char *path) {
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/') n--;
    return n >= 1 && path[n - 1] == '.' && (n == 1 || path[n - 2] == '/');
}

/* "rmdir link/" where link leads to a directory: GNU says the symbolic link
 * was not followed rather than "Not a directory". */
static bool symlink_with_slash(const char *path) {
    size_t n = strlen(path);
    if (n < 2 || path[n - 1] != '/') return false;
    struct stat st;
    if (stat(path, &st) != 0 ? errno == ENOTDIR : !S_ISDIR(st.st_mode)) return false;
    char *p = xstrdup(path);
    while (n > 1 && p[n - 1] == '/') p[--n] = 0;
    bool link = lstat(p, &st) == 0 && S_ISLNK(st.st_mode);
    free(p);
    return link;
}

static bool remove_dir(UtilCtx *c, const char *path, const RmdirOpts *o, bool parent) {
    if (o->verbose) {
        char *q = u_quote(path);
        uc_printf(c, 1, "%s: removing directory, %s\n", uc_name(c), q);
        free(q);
    }
    /* Linux refuses "." with EINVAL (MEMFS would say ENOENT) */
    int err = dot_last(path) ? EINVAL : rmdir(path) == 0 ? 0 : errno;
    if (!err) return true;
    if (o->ignore_nonempty && (err == ENOTEMPTY || err == EEXIST)) return false;
    if (err == ENOTDIR && symlink_with_slash(path)) {
        char *q = u_quote(path);
        uc_error(c, "failed to remove %s: Symbolic link not followed", q);
        free(q);
    } else {
        u_err_op(c, parent ? "failed to remove directory" : "failed to remove", path, err);
    }
    errno = err;
    return false;
}

/* Returns false on a reported failure. */
static bool rmdir_path(UtilCtx *c, const char *path, const RmdirOpts *o) {
    if (!remove_dir(c, path, o, false)) return o->ignore_nonempty && (errno == ENOTEMPTY || errno == EEXIST);
    if (!o->parents) return true;
    char *p = xstrdup(path);
    bool ok = true;
    for (;;) {
        size_t n = strlen(p);
        while (n > 1 && p[n - 1] == '/') p[--n] = 0;
        char *slash = strrchr(p, '/');
        if (!slash || slash == p) break;
        *slash = 0;
        while (slash > p && slash[-1] == '/') *--slash = 0;
        if (!remove_dir(c, p, o, true)) {
            ok = o->ignore_nonempty && (errno == ENOTEMPTY || errno == EEXIST);
            break;
        }
    }
    free(p);
    return ok;
}

enum { OPT_IGNORE_NONEMPTY = 0x100 };

static const UOptLong rmdir_longs[] = {
    {"parents", UO_NOARG, 'p'}, {"verbose", UO_NOARG, 'v'},
    {"ignore-fail-on-non-empty", UO_NOARG, OPT_IGNORE_NONEMPTY}, {NULL, 0, 0},
};

int util_rmdir_main(UtilCtx *c, int argc, char **argv) {
    RmdirOpts ro = {0};
    UOpts o;
    uopt_init(&o, c, argc, argv, "pv", rmdir_longs);
    int k, r = -1;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) {
        switch (k) {
        case 'p': ro.parents = true; break;
        case 'v': ro.verbose = true; break;
        case OPT_IGNORE_NONEMPTY: ro.ignore_nonempty = true; break;
        case UO_HELP: r = u_help(c, "[OPTION]... DIRECTORY..."); break;
        case UO_VERSION: r = u_version(c); break;
        default: r = 1; break;
        }
    }
    if (r < 0 && !o.ops.n) r = (u_missing_operand(c, NULL), 1);
    int status = 0;
    for (size_t i = 0; r < 0 && i < o.ops.n; i++)
        if (!rmdir_path(c, o.ops.v[i], &ro)) status = 1;
    uopt_free(&o);
    return r >= 0 ? r : status;
}

/* ================= rm ================= */

typedef struct RmOpts {
    UtilCtx *c;
    bool force, recursive, dirs, verbose, preserve_root, interactive;
} RmOpts;

static void rm_verbose(const RmOpts *o, const char *path, bool dir) {
    if (!o->verbose) return;
    char *q = u_quote(path);
    uc_printf(o->c, 1, "removed %s%s\n", dir ? "directory " : "", q);
    free(q);
}

static bool rm_error(const RmOpts *o, const char *path, int err) {
    if (o->force && err == ENOENT) return true;
    u_err_op(o->c, "cannot remove", path, err);
    return false;
}

static bool rm_path(const RmOpts *o, const char *path);

static int name_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static bool rm_contents(const RmOpts *o, const char *path) {
    DIR *d = opendir(path);
    if (!d) return rm_error(o, path, errno);
    StrList names;
    sl_init(&names);
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) sl_push_copy(&names, e->d_name);
    closedir(d);
    if (names.n) qsort(names.v, names.n, sizeof *names.v, name_cmp);
    bool ok = true;
    StrBuf child;
    sb_init(&child);
    for (size_t i = 0; i < names.n && !uc_should_stop(o->c); i++) {
        sb_clear(&child);
        sb_puts(&child, path);
        if (child.len && child.s[child.len - 1] != '/') sb_putc(&child, '/');
        sb_puts(&child, names.v[i]);
        ok &= rm_path(o, child.s);
    }
    sb_free(&child);
    sl_free(&names);
    return ok;
}

static const char *file_kind(const struct stat *st) {
    if (S_ISREG(st->st_mode)) return st->st_size ? "regular file" : "regular empty file";
    if (S_ISDIR(st->st_mode)) return "directory";
    if (S_ISLNK(st->st_mode)) return "symbolic link";
    if (S_ISFIFO(st->st_mode)) return "fifo";
    if (S_ISSOCK(st->st_mode)) return "socket";
    if (S_ISCHR(st->st_mode)) return "character special file";
    return "block special file";
}

/* -i: asks "QUESTION KIND 'path'?"; true to go on. */
static bool rm_ask(const RmOpts *o, const char *question, const char *kind, const char *path) {
    if (!o->interactive) return true;
    char *q = u_quote(path);
    bool yes = u_confirm(o->c, "%s%s%s %s? ", question, kind ? " " : "", kind ? kind : "", q);
    free(q);
    return yes;
}

static bool dir_is_empty(const char *path) {
    DIR *d = opendir(path);
    if (!d) return false;
    struct dirent *e;
    bool empty = true;
    while (empty && (e = readdir(d))) empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
    closedir(d);
    return empty;
}

static bool rm_path(const RmOpts *o, const char *path) {
    struct stat st;
    if (lstat(path, &st) != 0) return rm_error(o, path, errno);
    if (!S_ISDIR(st.st_mode)) {
        if (!rm_ask(o, "remove", file_kind(&st), path)) return true;
        if (unlink(path) != 0) return rm_error(o, path, errno);
        rm_verbose(o, path, false);
        return true;
    }
    if (!o->recursive && !o->dirs) return rm_error(o, path, EISDIR);
    if (o->recursive && !dir_is_empty(path)) {
        if (!rm_ask(o, "descend into directory", NULL, path)) return true;
        if (!rm_contents(o, path)) return false;
    }
    if (!rm_ask(o, "remove", "directory", path)) return true;
    if (rmdir(path) != 0) return rm_error(o, path, errno);
    rm_verbose(o, path, true);
    return true;
}

/* The checks GNU rm makes on an operand before removing it. */
static bool rm_operand_ok(const RmOpts *o, const char *path) {
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/') n--;
    size_t b = n;
    while (b > 0 && path[b - 1] != '/') b--;
    if ((n - b == 1 && path[b] == '.') || (n - b == 2 && path[b] == '.' && path[b + 1] == '.')) {
        char *q = u_quote(path);
        uc_error(o->c, "refusing to remove '.' or '..' directory: skipping %s", q);
        free(q);
        return false;
    }
    struct stat st, root;
    if (o->recursive && o->preserve_root && lstat(path, &st) == 0 && stat("/", &root) == 0 &&
        st.st_dev == root.st_dev && st.st_ino == root.st_ino) {
        if (!strcmp(path, "/"))
            uc_error(o->c, "it is dangerous to operate recursively on '/'");
        else {
            char *q = u_quote(path);
            uc_error(o->c, "it is dangerous to operate recursively on %s (same as '/')", q);
            free(q);
        }
        uc_error(o->c, "use --no-preserve-root to override this failsafe");
        return false;
    }
    return true;
}

enum { OPT_NO_PRESERVE = 0x100, OPT_PRESERVE, OPT_IGNORED };

static const UOptLong rm_longs[] = {
    {"force", UO_NOARG, 'f'},       {"recursive", UO_NOARG, 'r'}, {"dir", UO_NOARG, 'd'},
    {"verbose", UO_NOARG, 'v'},     {"interactive", UO_OPT, OPT_IGNORED},
    {"no-preserve-root", UO_NOARG, OPT_NO_PRESERVE}, {"preserve-root", UO_OPT, OPT_PRESERVE},
    {"one-file-system", UO_NOARG, OPT_IGNORED}, {NULL, 0, 0},
};

int util_rm_main(UtilCtx *c, int argc, char **argv) {
    RmOpts ro = {.c = c, .preserve_root = true};
    UOpts o;
    uopt_init(&o, c, argc, argv, "fiIrRdv", rm_longs);
    int k, r = -1;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) {
        switch (k) {
        case 'f': ro.force = true; break;
        case 'r': case 'R': ro.recursive = true; break;
        case 'd': ro.dirs = true; break;
        case 'v': ro.verbose = true; break;
        case 'i': ro.interactive = true, ro.force = false; break;
        case 'I': ro.force = false; break;
        case OPT_NO_PRESERVE: ro.preserve_root = false; break;
        case OPT_PRESERVE: ro.preserve_root = true; break;
        case OPT_IGNORED: break;
        case UO_HELP: r = u_help(c, "[OPTION]... [FILE]..."); break;
        case UO_VERSION: r = u_version(c); break;
        default: r = 1; break;
        }
    }
    if (r < 0 && !o.ops.n && !ro.force) r = (u_missing_operand(c, NULL), 1);
    int status = 0;
    for (size_t i = 0; r < 0 && i < o.ops.n && !uc_should_stop(c); i++)
        if (!rm_operand_ok(&ro, o.ops.v[i]) || !rm_path(&ro, o.ops.v[i])) status = 1;
    uopt_free(&o);
    return r >= 0 ? r : status;
}

/* ================= touch ================= */

typedef struct TouchOpts {
    bool no_create, atime, mtime, no_deref;
    bool have_time;
    struct timespec t[2]; /* atime, mtime */
    const char *date, *stamp, *ref; /* -d, -t, -r */
} TouchOpts;

/* -t [[CC]YY]MMDDhhmm[.ss] */
static bool parse_stamp(const char *s, const UTz *z, struct timespec *out) {
    const char *dot = strchr(s, '.');
    size_t n = dot ? (size_t)(dot - s) : strlen(s);
    if ((n != 8 && n != 10 && n != 12) || strspn(s, "0123456789") != n) return false;
    if (dot && (strlen(dot) != 3 || strspn(dot + 1, "0123456789") != 2)) return false;
    int v[6] = {0};
    for (size_t i = 0; i < n / 2; i++) v[i] = (s[2 * i] - '0') * 10 + (s[2 * i + 1] - '0');
    struct tm tm = {0};
    int i = 0;
    if (n == 12) tm.tm_year = v[0] * 100 + v[1] - 1900, i = 2;
    else if (n == 10) tm.tm_year = (v[0] < 69 ? 2000 + v[0] : 1900 + v[0]) - 1900, i = 1;
    else {
        struct tm cur;
        u_tz_local(z, time(NULL), &cur);
        tm.tm_year = cur.tm_year;
    }
    tm.tm_mon = v[i] - 1, tm.tm_mday = v[i + 1], tm.tm_hour = v[i + 2], tm.tm_min = v[i + 3];
    tm.tm_sec = dot ? (dot[1] - '0') * 10 + (dot[2] - '0') : 0;
    if (tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
        return false;
    tm.tm_isdst = -1;
    out->tv_sec = u_tz_mktime(z, &tm);
    out->tv_nsec = 0;
    return true;
}

/* The times to set, all explicit: Emscripten's file systems do not honour
 * UTIME_NOW / UTIME_OMIT, so "now" and "keep" are filled in here. */
static void touch_times(const char *path, const TouchOpts *o, struct timespec t[2]) {
    t[0] = o->t[0];
    t[1] = o->t[1];
    if (!o->have_time) {
        clock_gettime(CLOCK_REALTIME, &t[0]);
        t[1] = t[0];
    }
    struct stat st;
    if ((!o->atime || !o->mtime) && (o->no_deref ? lstat(path, &st) : stat(path, &st)) == 0) {
        if (!o->atime) t[0] = st.st_atim;
        if (!o->mtime) t[1] = st.st_mtim;
    }
}

static bool touch_one(UtilCtx *c, const char *path, const TouchOpts *o) {
    struct stat st;
    if ((o->no_deref ? lstat(path, &st) : stat(path, &st)) != 0) {
        if (errno != ENOENT || o->no_deref) return u_err_op(c, o->no_deref ? "setting times of" : "cannot touch", path, errno), false;
        if (o->no_create) return true;
        int fd = open(path, O_WRONLY | O_CREAT | O_NONBLOCK, 0666);
        if (fd < 0) return u_err_op(c, "cannot touch", path, errno), false;
        close(fd);
    }
    struct timespec t[2];
    touch_times(path, o, t);
    if (utimensat(AT_FDCWD, path, t, o->no_deref ? AT_SYMLINK_NOFOLLOW : 0) != 0)
        return u_err_op(c, "setting times of", path, errno), false;
    return true;
}

enum { OPT_TIME = 0x100 };

static const UOptLong touch_longs[] = {
    {"no-create", UO_NOARG, 'c'}, {"date", UO_REQ, 'd'}, {"reference", UO_REQ, 'r'},
    {"time", UO_REQ, OPT_TIME},   {"no-dereference", UO_NOARG, 'h'}, {NULL, 0, 0},
};

static bool touch_bad_date(UtilCtx *c, const char *arg) {
    char *q = u_quote(arg);
    uc_error(c, "invalid date format %s", q);
    free(q);
    return false;
}

/* The times from -r, -d, -t: -d is relative to -r's times when both are
 * given, as GNU's get_reldate; -t with either is an error. */
static bool touch_resolve_times(UtilCtx *c, TouchOpts *t) {
    if (t->stamp && (t->date || t->ref)) {
        uc_error(c, "cannot specify times from more than one source");
        u_try_help(c);
        return false;
    }
    if (!t->stamp && !t->date && !t->ref) return true;
    t->have_time = true;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    t->t[0] = t->t[1] = now;
    if (t->ref) {
        struct stat st;
        if ((t->no_deref ? lstat(t->ref, &st) : stat(t->ref, &st)) != 0)
            return u_err_op(c, "failed to get attributes of", t->ref, errno), false;
        t->t[0] = st.st_atim, t->t[1] = st.st_mtim;
    }
    UTz *z = u_tz_session(c);
    bool ok = true;
    if (t->stamp) {
        ok = parse_stamp(t->stamp, z, &t->t[0]);
        t->t[1] = t->t[0];
    } else if (t->date) {
        struct timespec base[2] = {t->ref ? t->t[0] : now, t->ref ? t->t[1] : now};
        ok = u_parse_datetime_tz(t->date, &base[0], z, &t->t[0]) && u_parse_datetime_tz(t->date, &base[1], z, &t->t[1]);
    }
    u_tz_free(z);
    return ok || touch_bad_date(c, t->stamp ? t->stamp : t->date);
}

static bool touch_which(UtilCtx *c, TouchOpts *t, const char *arg) {
    if (!strcmp(arg, "atime") || !strcmp(arg, "access") || !strcmp(arg, "use")) return t->atime = true;
    if (!strcmp(arg, "mtime") || !strcmp(arg, "modify")) return t->mtime = true;
    char *q = u_quote(arg);
    uc_error(c, "invalid argument %s for '--time'", q);
    free(q);
    uc_puts(c, 2, "Valid arguments are:\n  - 'atime', 'access', 'use'\n  - 'mtime', 'modify'\n");
    u_try_help(c);
    return false;
}

int util_touch_main(UtilCtx *c, int argc, char **argv) {
    TouchOpts to = {0};
    UOpts o;
    uopt_init(&o, c, argc, argv, "acd:fhmr:t:", touch_longs);
    int k, r = -1;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) {
        switch (k) {
        case 'a': to.atime = true; break;
        case 'm': to.mtime = true; break;
        case 'c': to.no_create = true; break;
        case 'f': break;
        case 'h': to.no_deref = true; break;
        case 'd': to.date = o.arg; break;
        case 'r': to.ref = o.arg; break;
        case 't': to.stamp = o.arg; break;
        case OPT_TIME: if (!touch_which(c, &to, o.arg)) r = 1; break;
        case UO_HELP: r = u_help(c, "[OPTION]... FILE..."); break;
        case UO_VERSION: r = u_version(c); break;
        default: r = 1; break;
        }
    }
    if (!to.atime && !to.mtime) to.atime = to.mtime = true;
    if (r < 0 && !touch_resolve_times(c, &to)) r = 1;
    if (r < 0 && !o.ops.n) r = (u_missing_file_operand(c), 1);
    int status = 0;
    for (size_t i = 0; r < 0 && i < o.ops.n; i++)
        if (!touch_one(c, o.ops.v[i], &to)) status = 1;
    uopt_free(&o);
    return r >= 0 ? r : status;
}
