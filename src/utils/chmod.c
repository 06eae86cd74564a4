/* chmod.c - chmod: change file mode bits (octal or symbolic), GNU style.
 * Options: -R -c -f -v, --reference=RFILE. A mode that looks like an option
 * (chmod -x file) is taken as the mode, as GNU does. */
#include "modes.h"
#include "ucommon.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct Chmod {
    UtilCtx *c;
    bool recursive, changes, quiet, verbose;
    const char *mode;     /* NULL with --reference */
    mode_t ref_mode;
    bool have_ref;
    mode_t umask_bits;
    int status;
} Chmod;

static bool is_mode_arg(const char *a) {
    /* -rwx, -x, -w+r style: a symbolic mode beginning with '-' */
    return a[0] == '-' && a[1] && strspn(a + 1, "rwxXstugoa=+-,0123456789") == strlen(a + 1);
}

static void describe(Chmod *s, const char *path, mode_t from, mode_t to) {
    char a[11], b[11];
    u_mode_string(from, a);
    u_mode_string(to, b);
    char *q = u_quote(path);
    if (from == to) {
        if (s->verbose) uc_printf(s->c, 1, "mode of %s retained as %04o (%s)\n", q, (unsigned)(to & 07777), b + 1);
    } else if (s->verbose || s->changes) {
        uc_printf(s->c, 1, "mode of %s changed from %04o (%s) to %04o (%s)\n", q, (unsigned)(from & 07777), a + 1,
                  (unsigned)(to & 07777), b + 1);
    }
    free(q);
}

static void chmod_one(Chmod *s, const char *path, bool top);

static void chmod_tree(Chmod *s, const char *dir) {
    DIR *d = opendir(dir);
    if (!d) {
        if (!s->quiet) u_err_op(s->c, "cannot read directory", dir, errno);
        s->status = 1;
        return;
    }
    StrList names;
    sl_init(&names);
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) sl_push_copy(&names, e->d_name);
    closedir(d);
    for (size_t i = 0; i < names.n && !uc_should_stop(s->c); i++) {
        StrBuf p;
        sb_init(&p);
        sb_puts(&p, dir);
        if (p.len && p.s[p.len - 1] != '/') sb_putc(&p, '/');
        sb_puts(&p, names.v[i]);
        chmod_one(s, p.s, false);
        sb_free(&p);
    }
    sl_free(&names);
}

static void chmod_one(Chmod *s, const char *path, bool top) {
    struct stat st;
    if (lstat(path, &st) != 0) {
        if (!s->quiet) u_err_op(s->c, "cannot access", path, errno);
        s->status = 1;
        return;
    }
    if (S_ISLNK(st.st_mode)) {
        /* symlinks: followed on the command line, skipped inside -R */
        if (!top) return;
        if (stat(path, &st) != 0) {
            if (!s->quiet) u_err_op(s->c, "cannot operate on dangling symlink", path, errno);
            s->status = 1;
            return;
        }
    }
    mode_t to = st.st_mode & 07777;
    if (s->have_ref) to = s->ref_mode & 07777;
    else if (!u_mode_parse(s->mode, st.st_mode & 07777, S_ISDIR(st.st_mode), s->umask_bits, &to)) {
        char *q = u_quote(s->mode);
        uc_error(s->c, "invalid mode: %s", q);
        free(q);
        s->status = 1;
        return;
    }
    if (chmod(path, to) != 0) {
        if (!s->quiet) u_err_op(s->c, "changing permissions of", path, errno);
        s->status = 1;
        return;
    }
    describe(s, path, st.st_mode, (st.st_mode & ~(mode_t)07777) | to);
    mode_t naive;
    if (!s->have_ref && u_mode_parse(s->mode, st.st_mode & 07777, S_ISDIR(st.st_mode), 0, &naive) && (to & ~naive)) {
        /* a who-less clause the umask narrowed: GNU's "surprise" warning */
        char a[11], b[11];
        u_mode_string(to, a), u_mode_string(naive, b);
        char *q = u_quotef(path);
        uc_error(s->c, "%s: new permissions are %s, not %s", q, a + 1, b + 1);
        free(q);
        s->status = 1;
    }
    if (s->recursive && S_ISDIR(st.st_mode)) chmod_tree(s, path);
}

int util_chmod_main(UtilCtx *c, int argc, char **argv) {
    Chmod s = {.c = c, .umask_bits = u_umask()};
    StrList files;
    sl_init(&files);
    bool opts_done = false;
    const char *ref = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (opts_done || a[0] != '-' || !a[1]) {
            sl_push_copy(&files, a);
            continue;
        }
        if (!strcmp(a, "--")) { opts_done = true; continue; }
        if (!strcmp(a, "--recursive")) { s.recursive = true; continue; }
        if (!strcmp(a, "--changes")) { s.changes = true; continue; }
        if (!strcmp(a, "--silent") || !strcmp(a, "--quiet")) { s.quiet = true; continue; }
        if (!strcmp(a, "--verbose")) { s.verbose = true; continue; }
        if (!strncmp(a, "--reference=", 12)) { ref = a + 12; continue; }
        if (!strcmp(a, "--help")) { sl_free(&files); return u_help(c, "Usage: chmod [OPTION]... MODE[,MODE]... FILE...\n"); }
        if (!strcmp(a, "--version")) { sl_free(&files); return u_version(c); }
        if (strspn(a + 1, "Rcfv") == strlen(a + 1)) {
            for (const char *o = a + 1; *o; o++) {
                if (*o == 'R') s.recursive = true;
                else if (*o == 'c') s.changes = true;
                else if (*o == 'f') s.quiet = true;
                else s.verbose = true;
            }
            continue;
        }
        if (is_mode_arg(a) && !s.mode && files.n == 0) { s.mode = a; continue; }
        uc_error(c, "invalid option -- '%c'", a[1]);
        u_try_help(c);
        sl_free(&files);
        return 1;
    }
    if (ref) {
        struct stat rs;
        if (stat(ref, &rs) != 0) {
            u_err_op(c, "failed to get attributes of", ref, errno);
            sl_free(&files);
            return 1;
        }
        s.ref_mode = rs.st_mode;
        s.have_ref = true;
    }
    size_t first = 0;
    char *mode_copy = NULL;
    if (!s.have_ref && !s.mode && files.n) {
        /* the first operand is the mode */
        mode_copy = xstrdup(files.v[0]);
        s.mode = mode_copy;
        first = 1;
    }
    if (!s.mode && !s.have_ref) {
        u_missing_operand(c, NULL);
        sl_free(&files);
        return 1;
    }
    if (files.n <= first) {
        u_missing_operand(c, s.mode);
        free(mode_copy);
        sl_free(&files);
        return 1;
    }
    if (s.mode) {
        mode_t probe;
        if (!u_mode_parse(s.mode, 0644, false, s.umask_bits, &probe)) {
            char *q = u_quote(s.mode);
            uc_error(c, "invalid mode: %s", q);
            free(q);
            u_try_help(c);
            free(mode_copy);
            sl_free(&files);
            return 1;
        }
    }
    for (size_t i = first; i < files.n && !uc_should_stop(c); i++) chmod_one(&s, files.v[i], true);
    free(mode_copy);
    sl_free(&files);
    return s.status;
}
