/* realpath.c - the readlink (-f -e -m -n -q -s -v -z) and realpath (-e -m -s
 * -q -z -L -P --relative-to --relative-base) utilities, with their own path
 * canonicalisation (component by component, following symlinks). */
#include "ucommon.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { CANON_ALL, CANON_BUT_LAST, CANON_MISSING };

static void pop_component(StrBuf *out) {
    while (out->len && out->s[out->len - 1] != '/') out->len--;
    if (out->len) out->len--;
    if (out->s) out->s[out->len] = 0;
}

static bool read_link(const char *path, StrBuf *target) {
    size_t cap = 256;
    for (;;) {
        char *buf = xmalloc(cap);
        ssize_t n = readlink(path, buf, cap);
        if (n < 0) {
            free(buf);
            return false;
        }
        if ((size_t)n < cap) {
            sb_clear(target);
            sb_put(target, buf, (size_t)n);
            free(buf);
            return true;
        }
        free(buf);
        cap *= 2;
    }
}

/* Splices a symlink target in front of the unprocessed rest of the path. */
static void splice_link(StrBuf *rest, size_t pos, const StrBuf *target, StrBuf *out) {
    StrBuf nr;
    sb_init(&nr);
    sb_put(&nr, target->s, target->len);
    sb_putc(&nr, '/');
    sb_put(&nr, rest->s + pos, rest->len - pos);
    sb_free(rest);
    *rest = nr;
    if (target->len && target->s[0] == '/')
        sb_clear(out);
    else
        pop_component(out);
}

/* Checks the component just appended to out; 0, or an errno. A symlink's
 * target is spliced into rest (*pos reset). */
static int check_component(StrBuf *out, StrBuf *rest, size_t *pos, int mode, bool last, int *links) {
    struct stat st;
    if (lstat(out->s, &st) != 0) {
        if (mode == CANON_MISSING && (errno == ENOENT || errno == ENOTDIR)) return 0;
        if (mode == CANON_BUT_LAST && last && errno == ENOENT) return 0;
        return errno;
    }
    if (S_ISLNK(st.st_mode)) {
        if (++*links > 40) return mode == CANON_MISSING ? 0 : ELOOP;
        StrBuf target;
        sb_init(&target);
        bool ok = read_link(out->s, &target);
        int e = errno;
        if (ok) splice_link(rest, *pos, &target, out);
        sb_free(&target);
        if (!ok) return e;
        *pos = 0;
        return 0;
    }
    if (!S_ISDIR(st.st_mode) && !last && mode != CANON_MISSING) return ENOTDIR;
    return 0;
}

/* -s: no symlink resolution, but what exists must be reachable. */
static int check_lexical(const StrBuf *out, int mode) {
    struct stat st;
    if (mode == CANON_MISSING || stat(out->s, &st) == 0) return 0;
    return errno == ENOENT && mode != CANON_ALL ? 0 : errno;
}

/* Makes path absolute and canonical in out ("" stands for "/"). */
static int canonicalize(const char *path, int mode, bool follow, StrBuf *out) {
    if (!*path) return ENOENT;
    StrBuf rest;
    sb_init(&rest);
    sb_puts(&rest, path);
    sb_clear(out);
    if (path[0] != '/') {
        char *cwd = getcwd(NULL, 0);
        if (!cwd) return sb_free(&rest), errno;
        sb_puts(out, strcmp(cwd, "/") ? cwd : "");
        free(cwd);
    }
    int links = 0, err = 0;
    size_t pos = 0;
    while (!err) {
        while (pos < rest.len && rest.s[pos] == '/') pos++;
        if (pos >= rest.len) break;
        size_t end = pos;
        while (end < rest.len && rest.s[end] != '/') end++;
        size_t clen = end - pos;
        const char *comp = rest.s + pos;
        pos = end;
        if (clen == 1 && comp[0] == '.') continue;
        if (clen == 2 && comp[0] == '.' && comp[1] == '.') {
            pop_component(out);
            continue;
        }
        sb_putc(out, '/');
        sb_put(out, comp, clen);
        size_t after = pos;
        while (after < rest.len && rest.s[after] == '/') after++;
        if (follow)
            err = check_component(out, &rest, &pos, mode, after >= rest.len, &links);
        else
            err = check_lexical(out, mode);
    }
    sb_free(&rest);
    return err;
}

/* Path of `to` relative to directory `from` (both canonical, "" = "/"). */
static void relative_path(StrBuf *res, const char *from, const char *to) {
    size_t common = 0, i = 0;
    for (;; i++) {
        bool fe = !from[i] || from[i] == '/', te = !to[i] || to[i] == '/';
        if (fe && te) common = i;
        if (!from[i] || !to[i] || from[i] != to[i]) break;
    }
    if (!from[i] && (to[i] == '/' || !to[i])) common = i;
    sb_clear(res);
    for (const char *p = from + common; *p; p++)
        if (*p == '/') sb_puts(res, res->len ? "/.." : "..");
    const char *rest = to + common;
    if (*rest == '/') rest++;
    if (*rest) {
        if (res->len) sb_putc(res, '/');
        sb_puts(res, rest);
    }
    if (!res->len) sb_putc(res, '.');
}

static bool under(const char *base, const char *path) {
    size_t n = strlen(base);
    return !strncmp(base, path, n) && (path[n] == '/' || !path[n]);
}

typedef struct RpOpts {
    int mode;
    bool follow, quiet, verbose, no_newline, canon;
    char eol;
    const char *rel_to, *rel_base;
} RpOpts;

/* Prints one canonicalised operand; false on failure. */
static bool print_canon(UtilCtx *c, StrBuf *out, const char *path, const RpOpts *o, StrBuf *rel_to,
                        StrBuf *rel_base) {
    StrBuf abs;
    sb_init(&abs);
    int err = canonicalize(path, o->mode, o->follow, &abs);
    if (err) {
        if (!o->quiet) u_err_file(c, path, err);
        sb_free(&abs);
        return false;
    }
    const char *p = sb_cstr(&abs);
    StrBuf rel;
    sb_init(&rel);
    const char *base = rel_base ? sb_cstr(rel_base) : NULL;
    if (rel_to && (!base || (under(base, p) && under(base, sb_cstr(rel_to))))) {
        relative_path(&rel, sb_cstr(rel_to), p);
        p = rel.s;
    }
    sb_puts(out, *p ? p : "/");
    if (!o->no_newline) sb_putc(out, o->eol);
    sb_free(&rel);
    sb_free(&abs);
    return true;
}

static int run_operands(UtilCtx *c, StrList *ops, const RpOpts *o) {
    StrBuf out, rt, rb;
    sb_init(&out);
    sb_init(&rt);
    sb_init(&rb);
    int status = 0;
    const char *rel_to = o->rel_to ? o->rel_to : o->rel_base;
    int e;
    if (rel_to && (e = canonicalize(rel_to, o->mode, true, &rt))) status = (u_err_file(c, rel_to, e), 1);
    if (o->rel_base && (e = canonicalize(o->rel_base, o->mode, true, &rb))) status = (u_err_file(c, o->rel_base, e), 1);
    for (size_t i = 0; i < ops->n && !status; i++) {
        if (!o->canon) {
            StrBuf t;
            sb_init(&t);
            if (read_link(ops->v[i], &t)) {
                sb_put(&out, t.s, t.len);
                if (!o->no_newline) sb_putc(&out, o->eol);
            } else {
                if (o->verbose) u_err_file(c, ops->v[i], errno);
                status = 1;
            }
            sb_free(&t);
            continue;
        }
        if (!print_canon(c, &out, ops->v[i], o, rel_to ? &rt : NULL, o->rel_base ? &rb : NULL)) status = 1;
    }
    if (out.len && uc_write(c, 1, out.s, out.len) < 0) status = 1;
    sb_free(&out);
    sb_free(&rt);
    sb_free(&rb);
    return status;
}

static const UOptLong readlink_longs[] = {
    {"canonicalize", UO_NOARG, 'f'}, {"canonicalize-existing", UO_NOARG, 'e'},
    {"canonicalize-missing", UO_NOARG, 'm'}, {"no-newline", UO_NOARG, 'n'},
    {"quiet", UO_NOARG, 'q'}, {"silent", UO_NOARG, 's'}, {"verbose", UO_NOARG, 'v'},
    {"zero", UO_NOARG, 'z'}, {NULL, 0, 0},
};

int util_readlink_main(UtilCtx *c, int argc, char **argv) {
    RpOpts o = {.mode = CANON_BUT_LAST, .follow = true, .quiet = true, .eol = '\n'};
    UOpts op;
    uopt_init(&op, c, argc, argv, "efmnqsvz", readlink_longs);
    int k, r = -1;
    while (r < 0 && (k = uopt_next(&op)) != UO_END) {
        switch (k) {
        case 'f': o.canon = true, o.mode = CANON_BUT_LAST; break;
        case 'e': o.canon = true, o.mode = CANON_ALL; break;
        case 'm': o.canon = true, o.mode = CANON_MISSING; break;
        case 'n': o.no_newline = true; break;
        case 'q': case 's': o.quiet = true, o.verbose = false; break;
        case 'v': o.quiet = false, o.verbose = true; break;
        case 'z': o.eol = 0; break;
        case UO_HELP: r = u_help(c, "[OPTION]... FILE..."); break;
        case UO_VERSION: r = u_version(c); break;
        default: r = 1; break;
        }
    }
    if (r < 0 && !op.ops.n) r = (u_missing_operand(c, NULL), 1);
    if (r < 0 && o.no_newline && op.ops.n > 1) {
        uc_error(c, "ignoring --no-newline with multiple arguments");
        o.no_newline = false;
    }
    if (r < 0) r = run_operands(c, &op.ops, &o);
    uopt_free(&op);
    return r;
}

enum { OPT_REL_TO = 0x100, OPT_REL_BASE };

static const UOptLong realpath_longs[] = {
    {"canonicalize-existing", UO_NOARG, 'e'}, {"canonicalize-missing", UO_NOARG, 'm'},
    {"logical", UO_NOARG, 'L'}, {"physical", UO_NOARG, 'P'}, {"quiet", UO_NOARG, 'q'},
    {"strip", UO_NOARG, 's'}, {"no-symlinks", UO_NOARG, 's'}, {"zero", UO_NOARG, 'z'},
    {"relative-to", UO_REQ, OPT_REL_TO}, {"relative-base", UO_REQ, OPT_REL_BASE}, {NULL, 0, 0},
};

int util_realpath_main(UtilCtx *c, int argc, char **argv) {
    RpOpts o = {.mode = CANON_BUT_LAST, .follow = true, .canon = true, .eol = '\n'};
    UOpts op;
    uopt_init(&op, c, argc, argv, "emLPqsz", realpath_longs);
    int k, r = -1;
    while (r < 0 && (k = uopt_next(&op)) != UO_END) {
        switch (k) {
        case 'e': o.mode = CANON_ALL; break;
        case 'm': o.mode = CANON_MISSING; break;
        case 'L': case 'P': break;
        case 'q': o.quiet = true; break;
        case 's': o.follow = false; break;
        case 'z': o.eol = 0; break;
        case OPT_REL_TO: o.rel_to = op.arg; break;
        case OPT_REL_BASE: o.rel_base = op.arg; break;
        case UO_HELP: r = u_help(c, "[OPTION]... FILE..."); break;
        case UO_VERSION: r = u_version(c); break;
        default: r = 1; break;
        }
    }
    if (r < 0 && !op.ops.n) r = (u_missing_operand(c, NULL), 1);
    if (r < 0) r = run_operands(c, &op.ops, &o);
    uopt_free(&op);
    return r;
}
