/* mktemp.c - the mktemp utility: create a unique temporary file or (-d)
 * directory from TEMPLATE (default tmp.XXXXXXXXXX in $TMPDIR or /tmp) and
 * print its name; -u only prints a name, -q is quiet, -p DIR / --tmpdir /
 * -t choose the directory, --suffix appends a suffix. Random characters come
 * from the session's generator (uc_random). */
#include "ucommon.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct MkOpts {
    bool dir, dry_run, quiet, tmpdir;
    const char *base;   /* -p / --tmpdir=DIR */
    const char *suffix;
} MkOpts;

/* Builds the full template; *xs and *nx locate the X run. */
static char *full_template(UtilCtx *c, const MkOpts *o, const char *tmpl, size_t *xs, size_t *nx) {
    StrBuf b;
    sb_init(&b);
    if (o->tmpdir || o->base) {
        const char *dir = o->base ? o->base : uc_getenv(c, "TMPDIR");
        if (!dir || !*dir) dir = "/tmp";
        sb_puts(&b, dir);
        if (b.s[b.len - 1] != '/') sb_putc(&b, '/');
    }
    sb_puts(&b, tmpl);
    size_t tail = o->suffix ? b.len : b.len;
    size_t end = tail;
    if (!o->suffix)
        while (end > 0 && b.s[end - 1] != 'X') end--;
    if (!end) end = tail;
    size_t start = end;
    while (start > 0 && b.s[start - 1] == 'X') start--;
    if (o->suffix) sb_puts(&b, o->suffix);
    *xs = start;
    *nx = end - start;
    return sb_take(&b);
}

static void fill_random(UtilCtx *c, char *p, size_t n) {
    static const char chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    for (size_t i = 0; i < n; i++) p[i] = chars[uc_random(c) % 62];
}

/* Tries names until one can be created; 0 or an errno. */
static int create(UtilCtx *c, const MkOpts *o, char *path, size_t xs, size_t nx) {
    for (int attempt = 0; attempt < 1000; attempt++) {
        fill_random(c, path + xs, nx);
        struct stat st;
        if (o->dry_run) {
            if (lstat(path, &st) != 0) return 0;
            continue;
        }
        if (o->dir ? mkdir(path, 0700) == 0 : 0) return 0;
        if (!o->dir) {
            int fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
            if (fd >= 0) return close(fd), 0;
        }
        if (errno != EEXIST) return errno;
    }
    return EEXIST;
}

static const UOptLong mktemp_longs[] = {
    {"directory", UO_NOARG, 'd'}, {"dry-run", UO_NOARG, 'u'}, {"quiet", UO_NOARG, 'q'},
    {"suffix", UO_REQ, 's'},      {"tmpdir", UO_OPT, 'p'},    {NULL, 0, 0},
};

static int mktemp_run(UtilCtx *c, const MkOpts *o, const char *tmpl) {
    size_t xs, nx;
    char *path = full_template(c, o, tmpl, &xs, &nx);
    int status = 0;
    if (nx < 3) {
        char *q = u_quote(tmpl);
        uc_error(c, "too few X's in template %s", q);
        free(q);
        status = 1;
    } else {
        char *shown = xstrdup(path);
        int err = create(c, o, path, xs, nx);
        if (err && !o->quiet) {
            char *q = u_quote(shown);
            uc_error(c, "failed to create %s via template %s: %s", o->dir ? "directory" : "file", q, u_strerror(err));
            free(q);
        }
        if (!err) uc_printf(c, 1, "%s\n", path);
        free(shown);
        status = err ? 1 : 0;
    }
    free(path);
    return status;
}

int util_mktemp_main(UtilCtx *c, int argc, char **argv) {
    MkOpts mo = {0};
    UOpts o;
    uopt_init(&o, c, argc, argv, "dp:qtu", mktemp_longs);
    int k, r = -1;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) {
        switch (k) {
        case 'd': mo.dir = true; break;
        case 'u': mo.dry_run = true; break;
        case 'q': mo.quiet = true; break;
        case 't': mo.tmpdir = true; break;
        case 's': mo.suffix = o.arg; break;
        case 'p': mo.tmpdir = true; mo.base = o.arg && *o.arg ? o.arg : NULL; break;
        case UO_HELP: r = u_help(c, "[OPTION]... [TEMPLATE]"); break;
        case UO_VERSION: r = u_version(c); break;
        default: r = 1; break;
        }
    }
    if (r < 0 && o.ops.n > 1) {
        uc_error(c, "too many templates");
        u_try_help(c);
        r = 1;
    }
    if (r < 0 && !o.ops.n) mo.tmpdir = true;
    if (r < 0) r = mktemp_run(c, &mo, o.ops.n ? o.ops.v[0] : "tmp.XXXXXXXXXX");
    uopt_free(&o);
    return r;
}
