/* fd.c - fd 8.6 (Debian's fd-find, installed there as fdfind; both names
 * are registered here): find entries whose name matches a regex (Perl
 * dialect, smart case) or a glob, skipping hidden and ignored entries;
 * directories print with a trailing '/'. -H -I -u -s -i -F -g -p -e -t -E -d
 * --min-depth --exact-depth -a -0 -L -x -X --max-results -1 -q --and -S
 * --changed-within --changed-before -o --path-separator -l
 * --one-file-system. */
#include "search.h"

#include "datetime.h"
#include "ident.h"
#include "regex.h"
#include "ucommon.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* One -S: a size in bytes with '+' (at least), '-' (at most) or '=' (exactly). */
typedef struct FdSize {
    uintmax_t bytes;
    char op;
} FdSize;

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
    StrList ands;    /* --and patterns */
    Regex **and_res; /* compiled, unless -g */
    FdSize *sizes; /* -S */
    size_t nsizes;
    /* --changed-within / --changed-before: mtime after / before these */
    bool have_newer, have_older;
    struct timespec newer, older;
    /* -o: 0 no test, '=' must equal, '!' must differ */
    char uid_op, gid_op;
    uid_t uid;
    gid_t gid;
    const char *path_sep; /* --path-separator: replaces every '/' printed */
    const char *color;    /* for -l's ls */
    bool one_fs, list_details;
} Fd;

enum {
    OPT_MIN_DEPTH = 0x100, OPT_EXACT_DEPTH, OPT_MAX_RESULTS, OPT_COLOR, OPT_NO_IGNORE_VCS, OPT_STRIP, OPT_PRUNE,
    OPT_ONE, OPT_SHOW_ERRORS, OPT_IGNORE_FILE, OPT_BASE, OPT_AND, OPT_NEWER, OPT_OLDER, OPT_PATH_SEP, OPT_ONE_FS,
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
    {"and", UO_REQ, OPT_AND},         {"size", UO_REQ, 'S'},              {"changed-within", UO_REQ, OPT_NEWER},
    {"change-newer-than", UO_REQ, OPT_NEWER}, {"newer", UO_REQ, OPT_NEWER}, {"changed-after", UO_REQ, OPT_NEWER},
    {"changed-before", UO_REQ, OPT_OLDER}, {"change-older-than", UO_REQ, OPT_OLDER}, {"older", UO_REQ, OPT_OLDER},
    {"owner", UO_REQ, 'o'},           {"path-separator", UO_REQ, OPT_PATH_SEP}, {"list-details", UO_NOARG, 'l'},
    {"one-file-system", UO_NOARG, OPT_ONE_FS}, {NULL, 0, 0},
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

/* Smart case looks at every pattern: one capital makes all of them case-sensitive. */
static bool fd_icase(const Fd *f) {
    if (f->case_mode != 'S') return f->case_mode == 'i';
    bool upper = f->pattern && fd_has_upper(f->pattern);
    for (size_t i = 0; i < f->ands.n; i++) upper |= fd_has_upper(f->ands.v[i]);
    return !upper;
}

/* One pattern (re compiled from it unless -g) against the name or the path. */
static bool fd_one_matches(Fd *f, const char *pattern, Regex *re, const char *subject) {
    if (!*pattern) return true;
    if (f->glob) return sw_glob_match_case(pattern, subject, fd_icase(f)); /* smart case too, as fd's globset */
    RxExec ex = {0, NULL, NULL};
    return rx_search(re, subject, strlen(subject), 0, &ex, NULL, 0) == RX_MATCH;
}

/* The pattern and every --and pattern: the whole name (or path with -p) for -g. */
static bool fd_name_matches(Fd *f, const char *name, const char *full) {
    const char *subject = f->full_path ? full : name;
    if (f->pattern && !fd_one_matches(f, f->pattern, f->re, subject)) return false;
    for (size_t i = 0; i < f->ands.n; i++)
        if (!fd_one_matches(f, f->ands.v[i], f->and_res ? f->and_res[i] : NULL, subject)) return false;
    return true;
}

/* -S holds for regular files (a link's target counts) only. */
static bool fd_size_ok(const Fd *f, const char *path) {
    if (!f->nsizes) return true;
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) return false;
    uintmax_t n = (uintmax_t)st.st_size;
    for (size_t i = 0; i < f->nsizes; i++) {
        const FdSize *z = &f->sizes[i];
        if (z->op == '+' ? n < z->bytes : z->op == '-' ? n > z->bytes : n != z->bytes) return false;
    }
    return true;
}

static int ts_cmp(const struct timespec *a, const struct timespec *b) {
    if (a->tv_sec != b->tv_sec) return a->tv_sec < b->tv_sec ? -1 : 1;
    return a->tv_nsec < b->tv_nsec ? -1 : a->tv_nsec > b->tv_nsec;
}

static bool fd_meta_ok(const Fd *f, const struct stat *st) {
    if (f->have_newer && ts_cmp(&st->st_mtim, &f->newer) <= 0) return false;
    if (f->have_older && ts_cmp(&st->st_mtim, &f->older) >= 0) return false;
    if (f->uid_op && (st->st_uid == f->uid) != (f->uid_op == '=')) return false;
    if (f->gid_op && (st->st_gid == f->gid) != (f->gid_op == '=')) return false;
    return true;
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

static void fd_replace_seps(StrBuf *s, const char *sep) {
    StrBuf out;
    sb_init(&out);
    for (size_t i = 0; i < s->len; i++)
        if (s->s[i] == '/') sb_puts(&out, sep);
        else sb_putc(&out, s->s[i]);
    sb_free(s);
    *s = out;
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
    bool ok = fd_name_matches(f, name, sb_cstr(&full)) && fd_type_ok(f, st, path) && fd_ext_ok(f, name) &&
              fd_size_ok(f, path) && fd_meta_ok(f, st);
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
        if (f->prefix_dot && f->implicit && !f->absolute && shown[0] != '/' && strncmp(shown, "./", 2) && strcmp(shown, "."))
            sb_puts(&s, "./");
        sb_puts(&s, shown);
        if (S_ISDIR(st->st_mode) && !f->exec.n && !f->exec_batch.n) sb_putc(&s, '/');
        if (f->path_sep) fd_replace_seps(&s, f->path_sep);
        if (f->exec.n) {
            const char *one[1] = {sb_cstr(&s)};
            fd_exec(f, &f->exec, one, 1);
        } else if (f->exec_batch.n) {
            sl_push_copy(&f->batch, sb_cstr(&s));
        } else {
            uout_puts(&f->out, sb_cstr(&s));
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

/* clap's report of a bad option value; fd exits 2 for these. */
static int fd_bad_value(Fd *f, const char *arg, const char *opt, const char *why) {
    uc_printf(f->c, 2, "error: Invalid value '%s' for '%s': %s\n\nFor more information try '--help'\n", arg, opt, why);
    return 2;
}

/* -S [+-]NUM UNIT: units b, k m g t (powers of 1000), ki mi gi ti (of
 * 1024), an optional trailing b, in any case. */
static int fd_size(Fd *f, const char *arg) {
    const char *p = arg;
    FdSize z = {0, '='};
    if (*p == '+' || *p == '-') z.op = *p++;
    bool digits = false, overflow = false;
    for (; *p >= '0' && *p <= '9'; p++, digits = true) {
        if (z.bytes > (UINTMAX_MAX - 9) / 10) overflow = true;
        z.bytes = z.bytes * 10 + (uintmax_t)(*p - '0');
    }
    char unit[5] = {0};
    size_t n = strlen(p);
    for (size_t i = 0; i < n && i < 4; i++) unit[i] = (char)(p[i] >= 'A' && p[i] <= 'Z' ? p[i] - 'A' + 'a' : p[i]);
    uintmax_t mult = 0;
    if (n && n <= 3 && (!strcmp(unit, "b")))
        mult = 1;
    else if (n && n <= 3 && strchr("kmgt", unit[0])) {
        bool bi = unit[1] == 'i';
        const char *tail = unit + 1 + bi;
        if (!*tail || !strcmp(tail, "b")) {
            int power = (int)(strchr("kmgt", unit[0]) - "kmgt") + 1;
            mult = 1;
            for (int i = 0; i < power; i++) mult *= bi ? 1024 : 1000;
        }
    }
    if (!digits || !mult || overflow || z.bytes > UINTMAX_MAX / mult) {
        StrBuf why;
        sb_init(&why);
        sb_printf(&why, "'%s' is not a valid size constraint. See 'fd --help'.", arg);
        int st = fd_bad_value(f, arg, "--size <size>", why.s);
        sb_free(&why);
        return st;
    }
    z.bytes *= mult;
    f->sizes = xrealloc(f->sizes, (f->nsizes + 1) * sizeof *f->sizes);
    f->sizes[f->nsizes++] = z;
    return -1;
}

/* A humantime duration ("10h", "1d 2h", "35min", "2weeks") in seconds. */
static bool fd_duration(const char *s, double *out) {
    static const struct {
        const char *names;
        double secs;
    } units[] = {
        {" nanos nsec ns ", 1e-9},           {" usec us ", 1e-6},        {" millis msec ms ", 1e-3},
        {" seconds second secs sec s ", 1},  {" minutes minute min mins m ", 60}, {" hours hour hr hrs h ", 3600},
        {" days day d ", 86400},             {" weeks week w ", 604800}, {" months month M ", 2630016},
        {" years year y ", 31557600},
    };
    double total = 0;
    const char *p = s;
    while (*p == ' ') p++;
    if (!*p) return false;
    while (*p) {
        if (*p < '0' || *p > '9') return false;
        double n = 0;
        for (; (*p >= '0' && *p <= '9') || *p == ' '; p++)
            if (*p != ' ') n = n * 10 + (*p - '0');
        char unit[24];
        size_t len = 0;
        while (((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')) && len < sizeof unit - 3) unit[len++] = *p++;
        if (!len || (*p && *p != ' ' && (*p < '0' || *p > '9'))) return false;
        char key[sizeof unit];
        snprintf(key, sizeof key, " %.*s ", (int)len, unit);
        size_t i = 0;
        while (i < sizeof units / sizeof units[0] && !strstr(units[i].names, key)) i++;
        if (i == sizeof units / sizeof units[0]) return false;
        total += n * units[i].secs;
        while (*p == ' ') p++;
    }
    *out = total;
    return true;
}

/* The length of the start of s shaped like shape ('9' a digit, other
 * characters themselves, ' ' any of "Tt "); 0 when it is not. */
static size_t fd_shaped(const char *s, const char *shape) {
    size_t i = 0;
    for (; shape[i]; i++) {
        char ch = s[i];
        bool ok = shape[i] == '9' ? ch >= '0' && ch <= '9' : shape[i] == ' ' ? ch && strchr("Tt ", ch) : ch == shape[i];
        if (!ok) return 0;
    }
    return i;
}

/* The dates fd takes: RFC 3339, YYYY-MM-DD HH:MM:SS or YYYY-MM-DD (local time). */
static bool fd_date_form(const char *s) {
    size_t n = strlen(s);
    if (n == 10 && fd_shaped(s, "9999-99-99")) return true;
    if (n == 19 && fd_shaped(s, "9999-99-99 99:99:99") && s[10] == ' ') return true;
    size_t i = fd_shaped(s, "9999-99-99 99:99:99");
    if (!i) return false;
    if (s[i] == '.' && s[i + 1] >= '0' && s[i + 1] <= '9')
        for (i++; s[i] >= '0' && s[i] <= '9'; i++) continue;
    if (s[i] == 'Z' || s[i] == 'z') return !s[i + 1];
    return (s[i] == '+' || s[i] == '-') && fd_shaped(s + i + 1, "99:99") && !s[i + 6];
}

/* --changed-within / --changed-before ARG: now minus a duration, or a date. */
static int fd_time(Fd *f, const char *arg, struct timespec *out) {
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    double secs;
    if (fd_duration(arg, &secs)) {
        long long whole = (long long)secs;
        long nsec = (long)((secs - (double)whole) * 1e9);
        out->tv_sec = now.tv_sec - (time_t)whole;
        out->tv_nsec = now.tv_nsec - nsec;
        if (out->tv_nsec < 0) out->tv_nsec += 1000000000L, out->tv_sec--;
        return -1;
    }
    if (fd_date_form(arg)) {
        UTz *z = u_tz_session(f->c);
        bool ok = u_parse_datetime_tz(arg, &now, z, out);
        u_tz_free(z);
        if (ok) return -1;
    }
    uc_printf(f->c, 2, "[fd error]: '%s' is not a valid date or duration. See 'fd --help'.\n", arg);
    return 1;
}

/* One side of -o: "" (no test), [!]name or [!]number. */
static bool fd_owner_side(const char *s, bool group, char *op, unsigned *id) {
    *op = 0;
    if (!*s) return true;
    *op = *s == '!' ? '!' : '=';
    s += *s == '!';
    uintmax_t n;
    if (u_parse_uint(s, &n)) return (*id = (unsigned)n), true;
    if (group) {
        gid_t g;
        return u_group_id(s, &g) ? (*id = (unsigned)g), true : false;
    }
    uid_t u;
    return u_user_id(s, &u) ? (*id = (unsigned)u), true : false;
}

/* -o [(user|uid)][:(group|gid)], either side preceded by '!' to exclude. */
static int fd_owner(Fd *f, const char *arg) {
    const char *colon = strchr(arg, ':');
    StrBuf why;
    sb_init(&why);
    if (colon && strchr(colon + 1, ':')) {
        sb_printf(&why, "more than one ':' present in owner string '%s'. See 'fd --help'.", arg);
    } else {
        char *user = colon ? xstrndup(arg, (size_t)(colon - arg)) : xstrdup(arg);
        const char *group = colon ? colon + 1 : "";
        unsigned uid = 0, gid = 0;
        if (!fd_owner_side(user, false, &f->uid_op, &uid))
            sb_printf(&why, "'%s' is not a recognized user name", user + (user[0] == '!'));
        else if (!fd_owner_side(group, true, &f->gid_op, &gid))
            sb_printf(&why, "'%s' is not a recognized group name", group + (group[0] == '!'));
        f->uid = (uid_t)uid, f->gid = (gid_t)gid;
        free(user);
    }
    int st = why.len ? fd_bad_value(f, arg, "--owner <user:group>", why.s) : -1;
    sb_free(&why);
    return st;
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
    case OPT_AND: sl_push_copy(&f->ands, arg); return -1;
    case 'S': return fd_size(f, arg);
    case OPT_NEWER: f->have_newer = true; return fd_time(f, arg, &f->newer);
    case OPT_OLDER: f->have_older = true; return fd_time(f, arg, &f->older);
    case 'o': return fd_owner(f, arg);
    case OPT_PATH_SEP: f->path_sep = arg; return -1;
    case OPT_ONE_FS: f->one_fs = true; return -1;
    case 'l': f->list_details = true; return -1;
    case 'c': f->color = arg; return -1;
    case 'j': case OPT_NO_IGNORE_VCS: case OPT_STRIP: case OPT_PRUNE: case OPT_SHOW_ERRORS:
    case OPT_IGNORE_FILE: case OPT_BASE:
        return -1;
    case UO_HELP: return u_help(f->c, "[OPTIONS] [pattern] [path]...");
    case UO_VERSION: return (uc_printf(f->c, 1, "%s 8.6.0\n", uc_name(f->c)), 0);
    default: return 1;
    }
}

/* pattern as a regex (fd's flags); NULL after fd's report when invalid. */
static Regex *fd_compile(Fd *f, const char *pattern) {
    unsigned flags = f->fixed ? RX_LITERAL : 0;
    if (fd_icase(f)) flags |= RX_ICASE;
    RxError err;
    Regex *re = rx_compile(pattern, strlen(pattern), RX_PERL, flags, &err);
    if (re) return re;
    StrBuf m;
    sb_init(&m);
    sb_printf(&m, "[fd error]: regex parse error:\n    %s\n    ", pattern);
    for (long i = 0; i < err.offset && i < (long)strlen(pattern); i++) sb_putc(&m, ' ');
    sb_printf(&m, "^\nerror: %s\n\nNote: You can use the '--fixed-strings' option to search for a literal "
                  "string instead of a regular expression. Alternatively, you can also use the '--glob' "
                  "option to match on a glob pattern.\n", err.msg);
    uc_write(f->c, 2, m.s, m.len);
    sb_free(&m);
    return NULL;
}

int util_fd_main(UtilCtx *c, int argc, char **argv) {
    Fd f = {.c = c, .case_mode = 'S', .max_depth = -1};
    sl_init(&f.exts), sl_init(&f.excludes), sl_init(&f.types), sl_init(&f.exec), sl_init(&f.exec_batch);
    sl_init(&f.batch), sl_init(&f.ands);
    UOpts o;
    uopt_init(&o, c, argc, argv, "HIusigFpa0Le:t:E:d:c:qx:X:j:1lS:o:", fd_longs);
    int k, r = -1;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) r = fd_option(&f, k, o.arg, &o);
    StrList roots;
    sl_init(&roots);
    if (r < 0) {
        if (o.ops.n) f.pattern = o.ops.v[0];
        for (size_t i = 1; i < o.ops.n; i++) sl_push_copy(&roots, o.ops.v[i]);
    }
    if (r < 0 && f.pattern && !f.glob && !(f.re = fd_compile(&f, f.pattern))) r = 1;
    if (r < 0 && f.ands.n && !f.glob) {
        f.and_res = xcalloc(f.ands.n, sizeof *f.and_res);
        for (size_t i = 0; i < f.ands.n && r < 0; i++)
            if (!(f.and_res[i] = fd_compile(&f, f.ands.v[i]))) r = 1;
    }
    if (r < 0 && f.list_details && !f.exec.n && !f.exec_batch.n) {
        /* fd runs its batch of results through ls */
        static const char *const ls[] = {"ls", "-l", "-h", "-d"};
        for (size_t i = 0; i < sizeof ls / sizeof ls[0]; i++) sl_push_copy(&f.exec_batch, ls[i]);
        StrBuf col;
        sb_init(&col);
        sb_printf(&col, "--color=%s", f.color ? f.color : "auto");
        sl_push(&f.exec_batch, sb_take(&col));
        f.prefix_dot = true;
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
                     .tool_ignore = ".fdignore", .globs = f.ex_globs, .nglobs = f.excludes.n, .globs_exclude_only = true,
                     .one_file_system = f.one_fs};
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
    for (size_t i = 0; f.and_res && i < f.ands.n; i++)
        if (f.and_res[i]) rx_free(f.and_res[i]);
    free(f.and_res);
    free(f.sizes);
    sl_free(&f.ands);
    sl_free(&roots);
    sl_free(&f.exts), sl_free(&f.excludes), sl_free(&f.types), sl_free(&f.exec), sl_free(&f.exec_batch);
    sl_free(&f.batch);
    uopt_free(&o);
    return r;
}

int util_fdfind_main(UtilCtx *c, int argc, char **argv) { return util_fd_main(c, argc, argv); }
