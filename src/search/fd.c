/* fd.c - fd 8.6 (Debian's fd-find, installed there as fdfind; both names
 * are registered here): find entries whose name matches a regex (Perl
 * dialect, smart case) or a glob, skipping hidden and ignored entries;
 * directories print with a trailing '/'. -H -I -u -s -i -F -g -p -e -t -E -d
 * --min-depth --exact-depth -a -0 -L -x -X --max-results -1 -q. */
#include "search.h"

#include "regex.h"
#include "ucommon.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct Fd {
    UtilCtx *c;
    UOut out;
    Regex *re;
    const char *pattern;
    bool glob, fixed, full_path, absolute, null, follow, hidden, quiet, any_found, prefix_dot;
    bool implicit; /* walking "." unnamed: paths print without "./" */
    int no_ignore; /* 1: -I */
    int case_mode; /* 'S' smart, 's', 'i' */
    StrList exts, excludes, types, exec, exec_batch;
    SwGlob *ex_globs;
    long max_depth, min_depth;
    uintmax_t max_results, results;
    bool have_max;
    StrList batch; /* -X: collected paths */
    char *cwd;
    int status;
} Fd;

enum {
    OPT_MIN_DEPTH = 0x100, OPT_EXACT_DEPTH, OPT_MAX_RESULTS, OPT_COLOR, OPT_NO_IGNORE_VCS, OPT_STRIP, OPT_PRUNE,
    OPT_ONE, OPT_SHOW_ERRORS, OPT_IGNORE_FILE, OPT_BASE,
};

static const UOptLong fd_longs[] = {
    {"hidden", UO_NOARG, 'H'},        {"no-ignore", UO_NOARG, 'I'},       {"unrestricted", UO_NOARG, 'u'},
    {"case-sensitive", UO_NOARG, 's'}, {"ignore-case", UO_NOARG, 'i'},    {"glob", UO_NOARG, 'g'},
    {"regex", UO_NOARG, 'r' + 0x200}, {"fixed-strings", UO_NOARG, 'F'},  {"full-path", UO_NOARG, 'p'},
    {"absolute-path", UO_NOARG, 'a'}, {"print0", UO_NOARG, '0'},          {"follow", UO_NOARG, 'L'},
    {"extension", UO_REQ, 'e'},       {"type", UO_REQ, 't'},              {"exclude", UO_REQ, 'E'},
    {"max-depth", UO_REQ, 'd'},       {"maxdepth", UO_REQ, 'd'},          {"min-depth", UO_REQ, OPT_MIN_DEPTH},
    {"exact-depth", UO_REQ, OPT_EXACT_DEPTH}, {"max-results", UO_REQ, OPT_MAX_RESULTS}, {"color", UO_REQ, 'c'},
    {"quiet", UO_NOARG, 'q'},         {"exec", UO_REQ, 'x'},              {"exec-batch", UO_REQ, 'X'},
    {"no-ignore-vcs", UO_NOARG, OPT_NO_IGNORE_VCS}, {"strip-cwd-prefix", UO_NOARG, OPT_STRIP},
    {"prune", UO_NOARG, OPT_PRUNE},   {"show-errors", UO_NOARG, OPT_SHOW_ERRORS},
    {"ignore-file", UO_REQ, OPT_IGNORE_FILE}, {"base-directory", UO_REQ, OPT_BASE}, {"threads", UO_REQ, 'j'},
    {NULL, 0, 0},
};

static bool fd_has_upper(const char *p) {
    for (; *p; p++) {
        if (*p == '\\' && p[1]) {
            p++;
            continue;
        }
        if (*p >= 'A' && *p <= 'Z') return true;
    }
    return false;
}

/* A glob matched as fd does with -g: the whole name (or path with -p). */
static bool fd_name_matches(Fd *f, const char *name, const char *full) {
    const char *subject = f->full_path ? full : name;
    if (!f->pattern || !*f->pattern) return true;
    if (f->glob) /* smart case too, as fd's globset */
        return sw_glob_match_case(f->pattern, subject, f->case_mode == 'i' || (f->case_mode == 'S' && !fd_has_upper(f->pattern)));
    RxExec ex = {0, NULL, NULL};
    return rx_search(f->re, subject, strlen(subject), 0, &ex, NULL, 0) == RX_MATCH;
}

static bool fd_type_ok(Fd *f, const struct stat *st, const char *path) {
    if (!f->types.n) return true;
    for (size_t i = 0; i < f->types.n; i++) {
        const char *t = f->types.v[i];
        if ((!strcmp(t, "f") || !strcmp(t, "file")) && S_ISREG(st->st_mode)) return true;
        if ((!strcmp(t, "d") || !strcmp(t, "directory")) && S_ISDIR(st->st_mode)) return true;
        if ((!strcmp(t, "l") || !strcmp(t, "symlink")) && S_ISLNK(st->st_mode)) return true;
        if ((!strcmp(t, "x") || !strcmp(t, "executable")) && S_ISREG(st->st_mode) && access(path, X_OK) == 0)
            return true;
        if ((!strcmp(t, "e") || !strcmp(t, "empty")) && ((S_ISREG(st->st_mode) && st->st_size == 0) ||
                                                         (S_ISDIR(st->st_mode) && false)))
            return true;
        if ((!strcmp(t, "p") || !strcmp(t, "pipe")) && S_ISFIFO(st->st_mode)) return true;
        if ((!strcmp(t, "s") || !strcmp(t, "socket")) && S_ISSOCK(st->st_mode)) return true;
    }
    return false;
}

static bool fd_ext_ok(Fd *f, const char *name) {
    if (!f->exts.n) return true;
    for (size_t i = 0; i < f->exts.n; i++) {
        const char *e = f->exts.v[i];
        if (*e == '.') e++;
        size_t nl = strlen(name), el = strlen(e);
        if (nl > el + 1 && name[nl - el - 1] == '.' && !strcasecmp(name + nl - el, e)) return true;
    }
    return false;
}

/* Placeholders of -x/-X: {} {/} {//} {.} {/.}. */
static char *fd_placeholder(const char *arg, const char *path) {
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    char *parent = slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(".");
    const char *dot = strrchr(base, '.');
    StrBuf b;
    sb_init(&b);
    for (const char *p = arg; *p; p++) {
        if (!strncmp(p, "{}", 2)) sb_puts(&b, path), p++;
        else if (!strncmp(p, "{/}", 3)) sb_puts(&b, base), p += 2;
        else if (!strncmp(p, "{//}", 4)) sb_puts(&b, parent), p += 3;
        else if (!strncmp(p, "{.}", 3)) {
            const char *q = !strncmp(path, "./", 2) ? path + 2 : path;
            sb_put(&b, q, dot && dot != base ? (size_t)(dot - q) : strlen(q));
            p += 2;
        }
        else if (!strncmp(p, "{/.}", 4)) sb_put(&b, base, dot && dot != base ? (size_t)(dot - base) : strlen(base)), p += 3;
        else sb_putc(&b, *p);
    }
    free(parent);
    return sb_take(&b);
}

static void fd_exec(Fd *f, const StrList *cmd, const char *const *paths, size_t n) {
    StrList av;
    sl_init(&av);
    bool used = false;
    for (size_t i = 0; i < cmd->n; i++) {
        if (strstr(cmd->v[i], "{")) {
            used = true;
            for (size_t j = 0; j < n; j++) sl_push(&av, fd_placeholder(cmd->v[i], paths[j]));
        } else {
            sl_push_copy(&av, cmd->v[i]);
        }
    }
    if (!used)
        for (size_t j = 0; j < n; j++) sl_push_copy(&av, paths[j]);
    int st = uc_run_argv(f->c, av.v);
    if (st) f->status = 1;
    sl_free(&av);
}

static int fd_visit(void *ctx, const char *path, const char *rel, const struct stat *st, int depth) {
    Fd *f = ctx;
    if (f->implicit && !f->prefix_dot) path = rel;
    if (f->have_max && f->results >= f->max_results) return 1;
    const char *name = strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel;
    if (depth < f->min_depth) return 0;
    StrBuf full;
    sb_init(&full);
    if (f->absolute || f->full_path) {
        if (path[0] != '/') {
            sb_puts(&full, f->cwd);
            if (strcmp(path, ".")) {
                const char *p = path;
                if (!strncmp(p, "./", 2)) p += 2;
                sb_putc(&full, '/');
                sb_puts(&full, p);
            }
        } else {
            sb_puts(&full, path);
        }
    }
    bool ok = fd_name_matches(f, name, sb_cstr(&full)) && fd_type_ok(f, st, path) && fd_ext_ok(f, name);
    if (ok) {
        f->results++;
        f->any_found = true;
        if (f->quiet) {
            sb_free(&full);
            return 1;
        }
        const char *shown = f->absolute ? sb_cstr(&full) : path;
        StrBuf s;
        sb_init(&s);
        if (f->prefix_dot && !f->absolute && shown[0] != '/' && strncmp(shown, "./", 2) && strcmp(shown, "."))
            sb_puts(&s, "./");
        sb_puts(&s, shown);
        if (f->exec.n) {
            const char *one[1] = {s.s};
            fd_exec(f, &f->exec, one, 1);
        } else if (f->exec_batch.n) {
            sl_push_copy(&f->batch, s.s);
        } else {
            uout_puts(&f->out, s.s);
            if (S_ISDIR(st->st_mode) && !f->null) uout_putc(&f->out, '/');
            else if (S_ISDIR(st->st_mode)) uout_putc(&f->out, '/');
            uout_putc(&f->out, f->null ? '\0' : '\n');
        }
        sb_free(&s);
    }
    sb_free(&full);
    return 0;
}

static void fd_walk_error(void *ctx, const char *path, int err) {
    (void)ctx, (void)path, (void)err; /* fd is silent about unreadable directories unless --show-errors */
}

static bool fd_depth(UtilCtx *c, const char *arg, long *out) {
    uintmax_t v;
    if (!u_parse_uint(arg, &v)) {
        uc_printf(c, 2, "error: Invalid value \"%s\" for '--max-depth <depth>': invalid digit found in string\n\n"
                        "For more information try --help\n", arg);
        return false;
    }
    *out = (long)v;
    return true;
}

static int fd_option(Fd *f, int k, const char *arg, UOpts *o) {
    long v;
    switch (k) {
    case 'H': f->hidden = true; return -1;
    case 'I': f->no_ignore = 1; return -1;
    case 'u': f->hidden = true, f->no_ignore = 1; return -1;
    case 's': f->case_mode = 's'; return -1;
    case 'i': f->case_mode = 'i'; return -1;
    case 'g': f->glob = true; return -1;
    case 'r' + 0x200: f->glob = false; return -1;
    case 'F': f->fixed = true; return -1;
    case 'p': f->full_path = true; return -1;
    case 'a': f->absolute = true; return -1;
    case '0': f->null = true, f->prefix_dot = true; return -1;
    case 'L': f->follow = true; return -1;
    case 'e': sl_push_copy(&f->exts, arg); return -1;
    case 't': sl_push_copy(&f->types, arg); return -1;
    case 'E': sl_push_copy(&f->excludes, arg); return -1;
    case 'd': if (!fd_depth(f->c, arg, &v)) return 1; f->max_depth = v; return -1;
    case OPT_MIN_DEPTH: if (!fd_depth(f->c, arg, &v)) return 1; f->min_depth = v; return -1;
    case OPT_EXACT_DEPTH: if (!fd_depth(f->c, arg, &v)) return 1; f->min_depth = f->max_depth = v; return -1;
    case OPT_MAX_RESULTS: {
        uintmax_t n;
        if (!u_parse_uint(arg, &n)) return 1;
        f->max_results = n, f->have_max = true;
        return -1;
    }
    case '1': f->max_results = 1, f->have_max = true; return -1;
    case 'q': f->quiet = true; return -1;
    case 'x': case 'X': {
        /* the command runs to the end of argv or a ';' */
        StrList *cmd = k == 'x' ? &f->exec : &f->exec_batch;
        sl_push_copy(cmd, arg);
        while (o->i < o->argc && strcmp(o->argv[o->i], ";")) sl_push_copy(cmd, o->argv[o->i++]);
        if (o->i < o->argc) o->i++;
        f->prefix_dot = true;
        return -1;
    }
    case 'c': case 'j': case OPT_NO_IGNORE_VCS: case OPT_STRIP: case OPT_PRUNE: case OPT_SHOW_ERRORS:
    case OPT_IGNORE_FILE: case OPT_BASE: case 'l':
        return -1;
    case UO_HELP: return u_help(f->c, "[OPTIONS] [pattern] [path]...");
    case UO_VERSION: return (uc_printf(f->c, 1, "%s 8.6.0\n", uc_name(f->c)), 0);
    default: return 1;
    }
}

int util_fd_main(UtilCtx *c, int argc, char **argv) {
    Fd f = {.c = c, .case_mode = 'S', .max_depth = -1};
    sl_init(&f.exts), sl_init(&f.excludes), sl_init(&f.types), sl_init(&f.exec), sl_init(&f.exec_batch);
    sl_init(&f.batch);
    UOpts o;
    uopt_init(&o, c, argc, argv, "HIusigFpa0Le:t:E:d:c:qx:X:j:1l", fd_longs);
    int k, r = -1;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) r = fd_option(&f, k, o.arg, &o);
    StrList roots;
    sl_init(&roots);
    if (r < 0) {
        if (o.ops.n) f.pattern = o.ops.v[0];
        for (size_t i = 1; i < o.ops.n; i++) sl_push_copy(&roots, o.ops.v[i]);
    }
    if (r < 0 && f.pattern && !f.glob) {
        unsigned flags = f.fixed ? RX_LITERAL : 0;
        if (f.case_mode == 'i' || (f.case_mode == 'S' && !fd_has_upper(f.pattern))) flags |= RX_ICASE;
        RxError err;
        f.re = rx_compile(f.pattern, strlen(f.pattern), RX_PERL, flags, &err);
        if (!f.re) {
            StrBuf m;
            sb_init(&m);
            sb_printf(&m, "[fd error]: regex parse error:\n    %s\n    ", f.pattern);
            for (long i = 0; i < err.offset && i < (long)strlen(f.pattern); i++) sb_putc(&m, ' ');
            sb_printf(&m, "^\nerror: %s\n\nNote: You can use the '--fixed-strings' option to search for a literal "
                          "string instead of a regular expression. Alternatively, you can also use the '--glob' "
                          "option to match on a glob pattern.\n", err.msg);
            uc_write(c, 2, m.s, m.len);
            sb_free(&m);
            r = 1;
        }
    }
    struct stat pst;
    if (r < 0 && f.pattern && strchr(f.pattern, '/') && !f.full_path && !f.glob && stat(f.pattern, &pst) == 0 &&
        S_ISDIR(pst.st_mode)) {
        uc_printf(c, 2, "[fd error]: The search pattern '%s' contains a path-separation character ('/') and will "
                        "not lead to any search results.\n\nIf you want to search for all files inside the '%s' "
                        "directory, use a match-all pattern:\n\n  fd . '%s'\n\nInstead, if you want your pattern to "
                        "match the full file path, use:\n\n  fd --full-path '%s'\n", f.pattern, f.pattern, f.pattern, f.pattern);
        r = 1;
    }
    if (r < 0) {
        f.cwd = getcwd(NULL, 0);
        if (!f.cwd) f.cwd = xstrdup(".");
        f.ex_globs = xcalloc(f.excludes.n + 1, sizeof *f.ex_globs);
        for (size_t i = 0; i < f.excludes.n; i++) f.ex_globs[i].glob = f.excludes.v[i];
        SwOpts so = {.hidden = f.hidden, .no_ignore = f.no_ignore > 0, .follow = f.follow, .max_depth = f.max_depth,
                     .tool_ignore = ".fdignore", .globs = f.ex_globs, .nglobs = f.excludes.n, .globs_exclude_only = true};
        uout_init(&f.out, c, 1);
        bool implicit = !roots.n;
        if (implicit) sl_push_copy(&roots, ".");
        size_t valid = 0;
        for (size_t i = 0; i < roots.n; i++) {
            struct stat st;
            if (stat(roots.v[i], &st) != 0 || !S_ISDIR(st.st_mode)) {
                uout_flush(&f.out);
                uc_printf(c, 2, "[fd error]: Search path '%s' is not a directory.\n", roots.v[i]);
                continue;
            }
            valid++;
        }
        if (!valid) {
            uc_puts(c, 2, "[fd error]: No valid search paths given.\n");
            r = 1;
        } else {
            for (size_t i = 0; i < roots.n && !(f.quiet && f.any_found); i++) {
                struct stat st;
                if (stat(roots.v[i], &st) != 0 || !S_ISDIR(st.st_mode)) continue;
                f.implicit = implicit;
                sw_walk(c, &so, roots.v[i], fd_visit, fd_walk_error, &f);
            }
            if (f.exec_batch.n && f.batch.n) fd_exec(&f, &f.exec_batch, (const char *const *)f.batch.v, f.batch.n);
            r = f.quiet ? (f.any_found ? 0 : 1) : f.status;
        }
        if (uout_close(&f.out)) r = 1;
        free(f.cwd);
        free(f.ex_globs);
    }
    if (f.re) rx_free(f.re);
    sl_free(&roots);
    sl_free(&f.exts), sl_free(&f.excludes), sl_free(&f.types), sl_free(&f.exec), sl_free(&f.exec_batch);
    sl_free(&f.batch);
    uopt_free(&o);
    return r;
}

int util_fdfind_main(UtilCtx *c, int argc, char **argv) { return util_fd_main(c, argc, argv); }
