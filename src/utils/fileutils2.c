/* fileutils2.c - truncate, chown, chgrp, install, pathchk.
 * chown/chgrp accept the fixed identity (ident.h) and a file's current
 * owner; anything else is refused as for an unprivileged user. */
#include "ident.h"
#include "modes.h"
#include "backup.h"
#include "ucommon.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ================= truncate ================= */

static const UOptLong truncate_longs[] = {
    {"no-create", UO_NOARG, 'c'}, {"io-blocks", UO_NOARG, 'o'}, {"reference", UO_REQ, 'r'},
    {"size", UO_REQ, 's'},        {NULL, 0, 0},
};

typedef struct TruncOpts {
    bool no_create, io_blocks, have_size;
    char rel; /* 0, '+', '-', '<', '>', '/', '%' */
    intmax_t size;
    const char *ref;
} TruncOpts;

static bool truncate_size(UtilCtx *c, TruncOpts *t, const char *arg) {
    const char *s = arg;
    while (*s == ' ') s++;
    if (*s && strchr("+-<>/%", *s)) t->rel = *s++;
    while (*s == ' ') s++;
    uintmax_t v;
    int err = u_parse_size(s, &v);
    if (err || v > INTMAX_MAX) {
        char *q = u_quote(s); /* GNU quotes what follows the operator */
        uc_error(c, "Invalid number: %s", q);
        free(q);
        return false;
    }
    if ((t->rel == '/' || t->rel == '%') && v == 0) {
        uc_error(c, "division by zero");
        return false;
    }
    t->size = (intmax_t)v;
    t->have_size = true;
    return true;
}

static bool truncate_one(UtilCtx *c, const TruncOpts *t, const char *path, intmax_t ref_size) {
    struct stat st;
    bool exists = stat(path, &st) == 0;
    if (!exists && t->no_create) return true;
    int fd = open(path, O_WRONLY | (t->no_create ? 0 : O_CREAT) | O_NONBLOCK, 0666);
    if (fd < 0) {
        int err = errno;
        char *q = u_quote(path);
        uc_error(c, "cannot open %s for writing: %s", q, u_strerror(err));
        free(q);
        return false;
    }
    if (fstat(fd, &st) != 0) {
        u_err_op(c, "cannot fstat", path, errno);
        close(fd);
        return false;
    }
    intmax_t cur = st.st_size, size = t->have_size ? t->size : ref_size;
    if (t->io_blocks) size *= st.st_blksize > 0 ? st.st_blksize : 512;
    intmax_t want = size;
    switch (t->rel) {
    case '+': want = (t->ref ? ref_size : cur) + size; break;
    case '-': want = (t->ref ? ref_size : cur) - size; break;
    case '<': want = cur < size ? cur : size; break;
    case '>': want = cur > size ? cur : size; break;
    case '/': want = cur / size * size; break;
    case '%': want = (cur + size - 1) / size * size; break;
    default: break;
    }
    if (want < 0) want = 0;
    bool ok = ftruncate(fd, (off_t)want) == 0;
    if (!ok) u_err_op(c, "failed to truncate", path, errno);
    close(fd);
    return ok;
}

int util_truncate_main(UtilCtx *c, int argc, char **argv) {
    TruncOpts t = {0};
    UOpts o;
    uopt_init(&o, c, argc, argv, "cor:s:", truncate_longs);
    int k, r = -1;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) {
        switch (k) {
        case 'c': t.no_create = true; break;
        case 'o': t.io_blocks = true; break;
        case 'r': t.ref = o.arg; break;
        case 's': if (!truncate_size(c, &t, o.arg)) r = 1; break;
        case UO_HELP: r = u_help(c, "OPTION... FILE..."); break;
        case UO_VERSION: r = u_version(c); break;
        default: r = 1; break;
        }
    }
    intmax_t ref_size = 0;
    if (r < 0 && !t.have_size && !t.ref) {
        uc_error(c, "you must specify either '--size' or '--reference'");
        u_try_help(c);
        r = 1;
    } else if (r < 0 && t.have_size && t.ref && !t.rel) {
        uc_error(c, "you must specify a relative '--size' with '--reference'");
        u_try_help(c);
        r = 1;
    } else if (r < 0 && t.io_blocks && !t.have_size) {
        uc_error(c, "'--io-blocks' was specified but '--size' was not");
        u_try_help(c);
        r = 1;
    }
    if (r < 0 && t.ref) {
        struct stat st;
        if (stat(t.ref, &st) != 0) u_err_op(c, "cannot stat", t.ref, errno), r = 1;
        else ref_size = st.st_size;
    }
    if (r < 0 && !o.ops.n) u_missing_file_operand(c), r = 1;
    int status = 0;
    for (size_t i = 0; r < 0 && i < o.ops.n; i++)
        if (!truncate_one(c, &t, o.ops.v[i], ref_size)) status = 1;
    uopt_free(&o);
    return r >= 0 ? r : status;
}

/* ================= chown, chgrp ================= */

typedef struct OwnOpts {
    UtilCtx *c;
    bool recursive, verbose, changes, silent, no_deref;
    bool set_uid, set_gid;
    uid_t uid;
    gid_t gid;
    /* the new owner and group as GNU names them in -v/-c messages: the names
     * given (NULL for numbers), "" for the user of ":GROUP" */
    char *user_name, *group_name;
    bool is_chgrp;
} OwnOpts;

/* Allowed changes: to the fixed identity, or to what the file has. */
static bool own_allowed(const OwnOpts *o, const struct stat *st) {
    bool uid_ok = !o->set_uid || o->uid == st->st_uid || o->uid == U_IDENT_UID;
    bool gid_ok = !o->set_gid || o->gid == st->st_gid || o->gid == U_IDENT_GID;
    return uid_ok && gid_ok;
}

/* "USER:GROUP", "USER", "GROUP" or NULL, as GNU's user_group_str. */
static char *own_spec_str(const char *user, const char *group) {
    StrBuf b;
    sb_init(&b);
    if (!user && !group) return NULL;
    if (user) sb_puts(&b, user);
    if (user && group) sb_putc(&b, ':');
    if (group) sb_puts(&b, group);
    return sb_take(&b);
}

typedef enum { OWN_CHANGED, OWN_FAILED, OWN_RETAINED } OwnChange;

/* GNU's describe_change: st is the file's status before (NULL when it could
 * not be read). */
static void own_report(const OwnOpts *o, const char *path, const struct stat *st, OwnChange ch) {
    char old_u[64], old_g[64], new_u[64], new_g[64];
    const char *nu = o->user_name, *ng = o->group_name;
    if (!nu && o->set_uid) snprintf(new_u, sizeof new_u, "%u", (unsigned)o->uid), nu = new_u;
    if (!ng && o->set_gid) snprintf(new_g, sizeof new_g, "%u", (unsigned)o->gid), ng = new_g;
    if (st) u_user_name(st->st_uid, old_u, sizeof old_u), u_group_name(st->st_gid, old_g, sizeof old_g);
    char *spec = own_spec_str(nu, ng);
    char *old = st ? own_spec_str(nu ? old_u : NULL, ng ? old_g : NULL) : NULL;
    char *q = u_quote(path);
    const char *what = nu ? "ownership" : "group";
    if (!nu && !ng) {
        uc_printf(o->c, 1, ch == OWN_CHANGED ? "no change to ownership of %s\n"
                           : ch == OWN_FAILED ? "failed to change ownership of %s\n" : "ownership of %s retained\n", q);
    } else if (ch == OWN_CHANGED) {
        uc_printf(o->c, 1, "changed %s of %s from %s to %s\n", what, q, old, spec);
    } else if (ch == OWN_FAILED && old) {
        uc_printf(o->c, 1, "failed to change %s of %s from %s to %s\n", what, q, old, spec);
    } else if (ch == OWN_FAILED) {
        uc_printf(o->c, 1, "failed to change %s of %s to %s\n", what, q, spec);
    } else {
        uc_printf(o->c, 1, "%s of %s retained as %s\n", what, q, old);
    }
    free(q), free(spec), free(old);
}

static bool own_one(const OwnOpts *o, const char *path, bool top) {
    struct stat st;
    bool follow = top && !o->no_deref;
    if ((follow ? stat(path, &st) : lstat(path, &st)) != 0) {
        if (!o->silent) u_err_op(o->c, "cannot access", path, errno);
        if (o->verbose) own_report(o, path, NULL, OWN_FAILED);
        return false;
    }
    bool ok = true;
    if (!own_allowed(o, &st)) {
        if (!o->silent) {
            char *q = u_quote(path);
            uc_error(o->c, "changing %s of %s: Operation not permitted", o->is_chgrp || !o->set_uid ? "group" : "ownership", q);
            free(q);
        }
        if (o->verbose) own_report(o, path, &st, OWN_FAILED);
        ok = false;
    } else {
        uid_t nu = o->set_uid ? o->uid : (uid_t)-1;
        gid_t ng = o->set_gid ? o->gid : (gid_t)-1;
        bool changed = (o->set_uid && st.st_uid != o->uid) || (o->set_gid && st.st_gid != o->gid);
        int rc = follow ? chown(path, nu, ng) : lchown(path, nu, ng);
        if (rc != 0) {
            if (!o->silent) {
                char *q = u_quote(path);
                uc_error(o->c, "changing %s of %s: %s", o->is_chgrp || !o->set_uid ? "group" : "ownership", q, u_strerror(errno));
                free(q);
            }
            if (o->verbose) own_report(o, path, &st, OWN_FAILED);
            ok = false;
        } else if (changed ? o->verbose || o->changes : o->verbose) {
            own_report(o, path, &st, changed ? OWN_CHANGED : OWN_RETAINED);
        }
    }
    if (o->recursive && S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        if (!d) {
            if (!o->silent) u_err_op(o->c, "cannot read directory", path, errno);
            return false;
        }
        StrList names;
        sl_init(&names);
        struct dirent *de;
        while ((de = readdir(d)))
            if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) sl_push_copy(&names, de->d_name);
        closedir(d);
        for (size_t i = 0; i < names.n && !uc_should_stop(o->c); i++) {
            char *child = xmalloc(strlen(path) + strlen(names.v[i]) + 2);
            sprintf(child, "%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/", names.v[i]);
            ok &= own_one(o, child, false);
            free(child);
        }
        sl_free(&names);
    }
    return ok;
}

static bool all_digits_str(const char *s) {
    if (!*s) return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9') return false;
    return true;
}

static void own_bad(OwnOpts *o, const char *what, const char *s) {
    char *q = u_quote(s);
    uc_error(o->c, "%s: %s", what, q);
    free(q);
}

/* "USER[:GROUP]", "USER:" (the user's login group), ":GROUP", as gnulib's
 * parse_user_spec: names given are kept for messages, numbers are not. */
static bool own_spec(OwnOpts *o, const char *spec) {
    const char *colon = strchr(spec, ':');
    char *user = colon ? xstrndup(spec, (size_t)(colon - spec)) : xstrdup(spec);
    const char *group = colon ? colon + 1 : NULL;
    bool ok = true;
    if (*user) {
        ok = u_user_id(user, &o->uid);
        if (!ok) own_bad(o, "invalid user", spec);
        else if (!all_digits_str(user)) o->user_name = xstrdup(user);
        o->set_uid = true;
    }
    if (ok && group && *group) {
        ok = u_group_id(group, &o->gid);
        if (!ok) own_bad(o, "invalid group", spec);
        else if (!all_digits_str(group)) o->group_name = xstrdup(group);
        o->set_gid = true;
    } else if (ok && group && *user) {
        char g[64];
        if (!o->user_name) {
            own_bad(o, "invalid spec", spec); /* a number has no login group */
            ok = false;
        } else {
            o->gid = o->uid == U_IDENT_UID ? U_IDENT_GID : (gid_t)o->uid;
            u_group_name(o->gid, g, sizeof g);
            o->group_name = xstrdup(g);
            o->set_gid = true;
        }
    }
    if (ok && !o->user_name && o->group_name) o->user_name = xstrdup("");
    free(user);
    return ok;
}

static const UOptLong own_longs[] = {
    {"recursive", UO_NOARG, 'R'}, {"verbose", UO_NOARG, 'v'},  {"changes", UO_NOARG, 'c'},
    {"silent", UO_NOARG, 'f'},    {"quiet", UO_NOARG, 'f'},     {"no-dereference", UO_NOARG, 'h'},
    {"dereference", UO_NOARG, 'D'}, {"reference", UO_REQ, 'r'}, {"from", UO_REQ, 'F'},
    {"preserve-root", UO_NOARG, 'P'}, {"no-preserve-root", UO_NOARG, 'N'}, {NULL, 0, 0},
};

static int own_main(UtilCtx *c, int argc, char **argv, bool is_chgrp) {
    OwnOpts oo = {.c = c, .is_chgrp = is_chgrp};
    UOpts o;
    uopt_init(&o, c, argc, argv, "RvcfhHLP", own_longs);
    const char *ref = NULL;
    int k, r = -1;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) {
        switch (k) {
        case 'R': oo.recursive = true; break;
        case 'v': oo.verbose = true; break;
        case 'c': oo.changes = true; break;
        case 'f': oo.silent = true; break;
        case 'h': oo.no_deref = true; break;
        case 'D': oo.no_deref = false; break;
        case 'r': ref = o.arg; break;
        case 'F': case 'H': case 'L': case 'P': case 'N': break;
        case UO_HELP: r = u_help(c, is_chgrp ? "[OPTION]... GROUP FILE..." : "[OPTION]... [OWNER][:[GROUP]] FILE..."); break;
        case UO_VERSION: r = u_version(c); break;
        default: r = 1; break;
        }
    }
    size_t first = 1;
    if (r < 0 && ref) {
        struct stat st;
        first = 0;
        if (stat(ref, &st) != 0) u_err_op(c, "failed to get attributes of", ref, errno), r = 1;
        else {
            char name[64];
            oo.uid = st.st_uid, oo.gid = st.st_gid, oo.set_gid = true, oo.set_uid = !is_chgrp;
            u_group_name(st.st_gid, name, sizeof name);
            oo.group_name = xstrdup(name);
            if (!is_chgrp) u_user_name(st.st_uid, name, sizeof name), oo.user_name = xstrdup(name);
        }
    }
    if (r < 0 && o.ops.n < first + 1) {
        if (!o.ops.n) u_missing_operand(c, NULL);
        else u_missing_operand(c, o.ops.v[o.ops.n - 1]);
        r = 1;
    }
    if (r < 0 && !ref) {
        if (is_chgrp) {
            oo.set_gid = true;
            if (!u_group_id(o.ops.v[0], &oo.gid)) own_bad(&oo, "invalid group", o.ops.v[0]), r = 1;
            else if (!all_digits_str(o.ops.v[0])) oo.group_name = xstrdup(o.ops.v[0]);
        } else if (!own_spec(&oo, o.ops.v[0])) {
            r = 1;
        }
    }
    int status = 0;
    for (size_t i = first; r < 0 && i < o.ops.n; i++)
        if (!own_one(&oo, o.ops.v[i], true)) status = 1;
    free(oo.user_name), free(oo.group_name);
    uopt_free(&o);
    return r >= 0 ? r : status;
}

int util_chown_main(UtilCtx *c, int argc, char **argv) { return own_main(c, argc, argv, false); }
int util_chgrp_main(UtilCtx *c, int argc, char **argv) { return own_main(c, argc, argv, true); }

/* ================= install ================= */

typedef struct InstOpts {
    UtilCtx *c;
    mode_t mode;
    bool dirs, leading, verbose, no_target, preserve, compare;
    const char *target;
    Backup backup;
} InstOpts;

static void inst_say_dir(const InstOpts *o, const char *dir) {
    if (!o->verbose) return;
    char *q = u_quote(dir);
    uc_printf(o->c, 1, "install: creating directory %s\n", q);
    free(q);
}

/* mkdir -p, reporting each directory made when verbose. */
static bool make_dirs(const InstOpts *o, const char *path, mode_t mode) {
    char *p = xstrdup(path);
    bool ok = true;
    for (char *s = p + 1;; s++) {
        if (*s != '/' && *s) continue;
        char save = *s;
        *s = 0;
        struct stat st;
        if (stat(p, &st) != 0) {
            if (mkdir(p, save ? 0755 : mode) != 0 && errno != EEXIST) {
                u_err_op(o->c, "cannot create directory", p, errno);
                ok = false;
                break;
            }
            inst_say_dir(o, p);
            if (!save) chmod(p, mode);
        } else if (!S_ISDIR(st.st_mode)) {
            u_err_op(o->c, "cannot create directory", p, ENOTDIR);
            ok = false;
            break;
        }
        *s = save;
        if (!save) break;
        while (s[1] == '/') s++;
        if (!s[1]) break;
    }
    free(p);
    return ok;
}

/* -C: the bytes of a and b are equal (both regular, same size). */
static bool same_contents(const char *a, const char *b) {
    int fa = open(a, O_RDONLY), fb = open(b, O_RDONLY);
    bool same = fa >= 0 && fb >= 0;
    char x[8192], y[8192];
    while (same) {
        ssize_t n = read(fa, x, sizeof x), m = n > 0 ? read(fb, y, (size_t)n) : 0;
        if (n <= 0 || m != n || memcmp(x, y, (size_t)n)) {
            same = n == 0 && read(fb, y, 1) == 0;
            break;
        }
    }
    if (fa >= 0) close(fa);
    if (fb >= 0) close(fb);
    return same;
}

/* -C: GNU skips the copy when dst already is what it would become. */
static bool up_to_date(const InstOpts *o, const struct stat *st, const char *src, const char *dst) {
    struct stat dt;
    if (lstat(dst, &dt) != 0 || !S_ISREG(dt.st_mode) || !S_ISREG(st->st_mode)) return false;
    if ((o->mode & (S_ISUID | S_ISGID | S_ISVTX)) || (dt.st_mode & 07777) != o->mode) return false;
    return dt.st_size == st->st_size && same_contents(src, dst);
}

static void inst_say_copy(const InstOpts *o, const char *src, const char *dst, const char *backup) {
    char *a = u_quote(src), *b = u_quote(dst);
    uc_printf(o->c, 1, "%s -> %s", a, b);
    if (backup) {
        char *k = u_quote(backup);
        uc_printf(o->c, 1, " (backup: %s)", k);
        free(k);
    }
    uc_printf(o->c, 1, "\n");
    free(a), free(b);
}

static bool inst_copy(const InstOpts *o, const char *src, const char *dst) {
    struct stat st, dt;
    if (stat(src, &st) != 0) return u_err_op(o->c, "cannot stat", src, errno), false;
    if (S_ISDIR(st.st_mode)) {
        char *q = u_quote(src);
        uc_error(o->c, "omitting directory %s", q);
        free(q);
        return false;
    }
    bool dst_exists = stat(dst, &dt) == 0;
    if (dst_exists && dt.st_ino == st.st_ino && dt.st_dev == st.st_dev) {
        char *a = u_quote(src), *b = u_quote(dst);
        uc_error(o->c, "%s and %s are the same file", a, b);
        free(a), free(b);
        return false;
    }
    if (dst_exists && S_ISDIR(dt.st_mode)) {
        char *q = u_quote(dst);
        uc_error(o->c, "cannot overwrite directory %s with non-directory", q);
        free(q);
        return false;
    }
    if (o->compare && up_to_date(o, &st, src, dst)) return true;
    int in = open(src, O_RDONLY);
    if (in < 0) return u_err_op(o->c, "cannot open", src, errno), false;
    char *backup = NULL;
    if (dst_exists && o->backup.kind != BK_NONE) {
        if (!u_backup_make(o->c, &o->backup, dst, &backup)) {
            close(in);
            return false;
        }
    }
    unlink(dst);
    int out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (out < 0) {
        u_err_op(o->c, "cannot create regular file", dst, errno);
        close(in);
        return false;
    }
    char buf[65536];
    ssize_t n;
    bool ok = true;
    while ((n = read(in, buf, sizeof buf)) > 0)
        if (write(out, buf, (size_t)n) != n) {
            u_err_op(o->c, "error writing", dst, errno);
            ok = false;
            break;
        }
    close(in);
    close(out);
    chmod(dst, o->mode);
    if (o->preserve) {
        struct timespec t[2] = {st.st_atim, st.st_mtim};
        utimensat(AT_FDCWD, dst, t, 0);
    }
    if (ok && o->verbose) inst_say_copy(o, src, dst, backup);
    free(backup);
    return ok;
}

static char *parent_of(const char *path) {
    char *p = xstrdup(path);
    char *slash = strrchr(p, '/');
    if (!slash) {
        free(p);
        return NULL;
    }
    while (slash > p && slash[-1] == '/') slash--;
    if (slash == p) slash++;
    *slash = 0;
    return p;
}

static const UOptLong install_longs[] = {
    {"directory", UO_NOARG, 'd'}, {"mode", UO_REQ, 'm'},       {"target-directory", UO_REQ, 't'},
    {"no-target-directory", UO_NOARG, 'T'}, {"verbose", UO_NOARG, 'v'}, {"owner", UO_REQ, 'o'},
    {"group", UO_REQ, 'g'},       {"preserve-timestamps", UO_NOARG, 'p'}, {"strip", UO_NOARG, 's'},
    {"compare", UO_NOARG, 'C'},   {"backup", UO_OPT, 'b'},     {"suffix", UO_REQ, 'S'},
    {NULL, 0, 0},
};

static int install_files(InstOpts *io, StrList *ops) {
    int status = 0;
    if (io->dirs) {
        for (size_t i = 0; i < ops->n; i++)
            if (!make_dirs(io, ops->v[i], io->mode)) status = 1;
        return status;
    }
    const char *dest = io->target;
    size_t nsrc = ops->n;
    if (!dest) {
        if (ops->n < 2) {
            if (ops->n) {
                char *q = u_quote(ops->v[0]);
                uc_error(io->c, "missing destination file operand after %s", q);
                free(q);
            } else {
                u_missing_file_operand(io->c);
                return 1;
            }
            u_try_help(io->c);
            return 1;
        }
        dest = ops->v[--nsrc];
    }
    struct stat st;
    bool into_dir = io->target || (!io->no_target && stat(dest, &st) == 0 && S_ISDIR(st.st_mode));
    if (!into_dir && nsrc > 1) {
        char *q = u_quote(dest);
        if (stat(dest, &st) != 0 && errno == ENOENT) uc_error(io->c, "target %s: No such file or directory", q);
        else uc_error(io->c, "target %s is not a directory", q);
        free(q);
        return 1;
    }
    if (io->leading) {
        char *parent = into_dir ? xstrdup(dest) : parent_of(dest);
        if (parent && !make_dirs(io, parent, 0755)) status = 1;
        free(parent);
        if (status) return status;
    }
    for (size_t i = 0; i < nsrc; i++) {
        if (!into_dir) {
            if (!inst_copy(io, ops->v[i], dest)) status = 1;
            continue;
        }
        const char *base = strrchr(ops->v[i], '/');
        base = base ? base + 1 : ops->v[i];
        char *full = xmalloc(strlen(dest) + strlen(base) + 2);
        sprintf(full, "%s/%s", dest, base);
        if (!inst_copy(io, ops->v[i], full)) status = 1;
        free(full);
    }
    return status;
}

int util_install_main(UtilCtx *c, int argc, char **argv) {
    InstOpts io = {.c = c, .mode = 0755};
    UOpts o;
    uopt_init(&o, c, argc, argv, "cbCdDg:m:o:pst:TvS:", install_longs);
    int k, r = -1;
    bool want_backup = false; /* -S alone implies -b, as in GNU */
    while (r < 0 && (k = uopt_next(&o)) != UO_END) {
        switch (k) {
        case 'd': io.dirs = true; break;
        case 'D': io.leading = true; break;
        case 'm':
            if (!u_mode_parse(o.arg, 0, false, 0, &io.mode)) {
                char *q = u_quote(o.arg);
                uc_error(c, "invalid mode %s", q);
                free(q);
                r = 1;
            }
            break;
        case 't': io.target = o.arg; break;
        case 'T': io.no_target = true; break;
        case 'v': io.verbose = true; break;
        case 'p': io.preserve = true; break;
        case 'o': {
            uid_t u;
            if (!u_user_id(o.arg, &u)) {
                char *q = u_quote(o.arg);
                uc_error(c, "invalid user %s", q);
                free(q);
                r = 1;
            }
            break;
        }
        case 'g': {
            gid_t g;
            if (!u_group_id(o.arg, &g)) {
                char *q = u_quote(o.arg);
                uc_error(c, "invalid group %s", q);
                free(q);
                r = 1;
            }
            break;
        }
        case 'C': io.compare = true; break;
        case 'b': if (!u_backup_parse(c, &io.backup, o.arg)) r = 1; break;
        case 'S': io.backup.suffix = o.arg; if (io.backup.kind == BK_NONE) want_backup = true; break;
        case 'c': case 's': break;
        case UO_HELP: r = u_help(c, "[OPTION]... [-T] SOURCE DEST"); break;
        case UO_VERSION: r = u_version(c); break;
        default: r = 1; break;
        }
    }
    if (r < 0 && want_backup && io.backup.kind == BK_NONE && !u_backup_parse(c, &io.backup, NULL)) r = 1;
    u_backup_finish(c, &io.backup);
    if (r < 0 && io.dirs && !o.ops.n) u_missing_operand(c, NULL), r = 1;
    if (r < 0) r = install_files(&io, &o.ops);
    uopt_free(&o);
    return r;
}

/* ================= pathchk ================= */

static const UOptLong pathchk_longs[] = {{"portability", UO_NOARG, 'X'}, {NULL, 0, 0}};

/* True when a component of path is longer than max. */
static bool long_component(const char *path, size_t max, size_t *at, size_t *n) {
    for (const char *p = path; *p;) {
        size_t len = strcspn(p, "/");
        if (len > max) {
            *at = (size_t)(p - path), *n = len;
            return true;
        }
        p += len;
        while (*p == '/') p++;
    }
    return false;
}

/* -P: no component starts with '-'. */
static bool pathchk_extra(UtilCtx *c, const char *path, const char *q) {
    for (const char *p = path; *p; p++)
        if (*p == '-' && (p == path || p[-1] == '/')) {
            uc_error(c, "leading '-' in a component of file name %s", q);
            return false;
        }
    return true;
}

/* -p: only the POSIX portable file name characters, and POSIX's minimum
 * limits (255 bytes a name, 14 a component). */
static bool pathchk_posix(UtilCtx *c, const char *path, const char *q) {
    for (const unsigned char *p = (const unsigned char *)path; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' || *p == '-' || *p == '/')) {
            char ch[2] = {(char)*p, 0};
            char *cq = u_quote(ch);
            uc_error(c, "nonportable character %s in file name %s", cq, q);
            free(cq);
            return false;
        }
    size_t len = strlen(path), at, n;
    if (len >= 256) {
        uc_error(c, "limit %d exceeded by length %zu of file name %s", 255, len, q);
        return false;
    }
    if (long_component(path, 14, &at, &n)) {
        char *comp = xstrndup(path + at, n);
        char *cq = u_quote(comp);
        uc_error(c, "limit %d exceeded by length %zu of file name component %s", 14, n, cq);
        free(cq), free(comp);
        return false;
    }
    return true;
}

/* Without -p, GNU asks lstat, which reports the problems of this system
 * (ENOTDIR, EACCES, ENAMETOOLONG); a name that does not exist is fine. The
 * limits of Linux (4096 a name, 255 a component) are checked here as well,
 * so MEMFS, which has none, answers as Linux does. */
static bool pathchk_system(UtilCtx *c, const char *path) {
    struct stat st;
    size_t at, n;
    int err = 0;
    if (lstat(path, &st) != 0) err = errno;
    if (err == ENOENT && *path && (strlen(path) >= PATH_MAX || long_component(path, 255, &at, &n)))
        err = ENAMETOOLONG;
    if (!err || (err == ENOENT && *path)) return true;
    char *q = u_quotef(path);
    uc_error(c, "%s: %s", q, u_strerror(err));
    free(q);
    return false;
}

static bool pathchk_one(UtilCtx *c, const char *path, bool posix, bool extra) {
    char *q = u_quote(path);
    bool ok = !extra || pathchk_extra(c, path, q);
    if (ok && (posix || extra) && !*path) {
        uc_error(c, "empty file name");
        ok = false;
    }
    ok = ok && (posix ? pathchk_posix(c, path, q) : pathchk_system(c, path));
    free(q);
    return ok;
}

int util_pathchk_main(UtilCtx *c, int argc, char **argv) {
    UOpts o;
    uopt_init(&o, c, argc, argv, "pP", pathchk_longs);
    int k, r = -1;
    bool posix = false, extra = false;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) {
        if (k == 'p') posix = true;
        else if (k == 'P') extra = true;
        else if (k == 'X') posix = extra = true;
        else r = k == UO_HELP ? u_help(c, "[OPTION]... NAME...") : k == UO_VERSION ? u_version(c) : 1;
    }
    if (r < 0 && !o.ops.n) u_missing_operand(c, NULL), r = 1;
    int status = 0;
    for (size_t i = 0; r < 0 && i < o.ops.n; i++)
        if (!pathchk_one(c, o.ops.v[i], posix, extra)) status = 1;
    uopt_free(&o);
    return r >= 0 ? r : status;
}
