/* find.c - the find utility: walking the starting points in readdir order
 * (as GNU find's fts does, so the output order is the file system's), with
 * -H/-L/-P, -maxdepth/-mindepth, -depth, -prune, -xdev, loop detection and
 * GNU's messages. The expression is parsed by find_parse.c and evaluated by
 * find_eval.c. */
#include "find.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Directories above the one being read, to detect loops under -L. */
typedef struct Ancestor {
    dev_t dev;
    ino_t ino;
    const char *path;
    const struct Ancestor *up;
} Ancestor;

/* Deeper trees than this are reported instead of overflowing the stack. */
enum { FIND_MAX_DEPTH = 4000 };

void find_quote_err(StrBuf *b, const char *s) {
    char *q = u_quote(s);
    sb_puts(b, q);
    free(q);
}

void find_error_file(Find *f, const char *path, int err) {
    char *q = u_quote(path);
    uc_error(f->c, "%s: %s", q, strerror(err));
    free(q);
    f->status = 1;
}

/* stat or lstat as the follow mode says. 0, or an errno. *dangling is set
 * when following a symlink that points nowhere (st then describes the link). */
int find_stat(const Find *f, const char *path, int depth, struct stat *st, bool *dangling) {
    *dangling = false;
    bool follow = f->follow == FOLLOW_ALWAYS || (f->follow == FOLLOW_ARGS && depth == 0);
    if (!follow) return u_lstat(path, st) == 0 ? 0 : errno;
    if (stat(path, st) == 0) return 0;
    int err = errno;
    if (lstat(path, st) != 0 || !S_ISLNK(st->st_mode)) return err;
    if (err == ENOENT) {
        *dangling = true;
        return 0;
    }
    return err;
}

/* Fills ff->st for the walk. False (after the message) when the file must
 * be skipped. Under -L a symlink whose target cannot be reached for another
 * reason than ENOENT is reported, and visited as the link unless it loops. */
static bool walk_stat(Find *f, FFile *ff, int depth) {
    bool dangling;
    int err = find_stat(f, ff->path, depth, &ff->st, &dangling);
    ff->have_st = true;
    ff->is_link_target_missing = dangling;
    if (!err) return true;
    bool follow = f->follow == FOLLOW_ALWAYS || (f->follow == FOLLOW_ARGS && depth == 0);
    if (depth > 0 && err == ENOENT && f->ignore_race) return false;
    find_error_file(f, ff->path, err);
    if (follow && err != ELOOP && lstat(ff->path, &ff->st) == 0 && S_ISLNK(ff->st.st_mode)) {
        ff->is_link_target_missing = true;
        return true;
    }
    return false;
}

/* The component -name matches: the last one, trailing slashes removed ("/" stays). */
static char *name_of(const char *path) {
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/') n--;
    size_t b = n;
    while (b > 0 && path[b - 1] != '/') b--;
    if (b == n) return xstrndup(path, n); /* "/" */
    return xstrndup(path + b, n - b);
}

static bool must_stop(Find *f) {
    if (f->quit || f->stopped) return true;
    if (uc_should_stop(f->c) || (f->nouts && f->outs[0]->out.err == EPIPE)) f->stopped = true;
    return f->stopped;
}

static void evaluate(Find *f, FFile *ff, int depth) {
    if (depth < f->mindepth || must_stop(f)) return;
    f->cur_depth = depth;
    find_eval(f, f->tree, ff);
}

static bool is_loop(Find *f, const FFile *ff, const Ancestor *up) {
    for (const Ancestor *a = up; a; a = a->up) {
        if (a->dev == ff->st.st_dev && a->ino == ff->st.st_ino) {
            StrBuf b;
            sb_init(&b);
            sb_puts(&b, "File system loop detected; ");
            find_quote_err(&b, ff->path);
            sb_puts(&b, " is part of the same file system loop as ");
            find_quote_err(&b, a->path);
            sb_putc(&b, '.');
            uc_error(f->c, "%s", b.s);
            sb_free(&b);
            f->status = 1;
            return true;
        }
    }
    return false;
}

/* Names in a directory, in readdir order; NULL (after the message) if it
 * cannot be read. */
static StrList *read_names(Find *f, const char *path) {
    DIR *d = opendir(path);
    if (!d) {
        find_error_file(f, path, errno);
        return NULL;
    }
    StrList *names = xmalloc(sizeof *names);
    sl_init(names);
    struct dirent *e;
    errno = 0;
    while ((e = readdir(d))) {
        const char *n = e->d_name;
        if (n[0] == '.' && (!n[1] || (n[1] == '.' && !n[2]))) continue;
        sl_push_copy(names, n);
    }
    if (errno) find_error_file(f, path, errno);
    closedir(d);
    return names;
}

static void visit(Find *f, StrBuf *path, int depth, const Ancestor *up);

static void visit_children(Find *f, StrBuf *path, int depth, const Ancestor *self) {
    StrList *names = read_names(f, path->s);
    if (!names) return;
    size_t base = path->len;
    for (size_t i = 0; i < names->n && !must_stop(f); i++) {
        path->len = base;
        if (base && path->s[base - 1] != '/') sb_putc(path, '/');
        sb_puts(path, names->v[i]);
        visit(f, path, depth + 1, self);
    }
    path->len = base;
    path->s[base] = '\0';
    sl_free(names);
    free(names);
}

static void visit(Find *f, StrBuf *path, int depth, const Ancestor *up) {
    FFile ff = {0};
    ff.path = path->s;
    if (!walk_stat(f, &ff, depth)) return;
    bool is_dir = S_ISDIR(ff.st.st_mode);
    if (is_dir && is_loop(f, &ff, up)) return;
    char *name = name_of(path->s);
    ff.name = name;
    if (depth == 0) f->root_dev = ff.st.st_dev;
    bool descend = is_dir && (f->maxdepth < 0 || depth < f->maxdepth) &&
                   !(f->xdev && ff.st.st_dev != f->root_dev);
    if (!f->depth_first) {
        f->prune = false;
        evaluate(f, &ff, depth);
        if (f->prune) descend = false;
    }
    if (descend && depth >= FIND_MAX_DEPTH) {
        uc_error(f->c, "%s: directory tree too deep", path->s);
        f->status = 1;
        descend = false;
    }
    if (descend && !must_stop(f)) {
        Ancestor self = {ff.st.st_dev, ff.st.st_ino, path->s, up};
        char *saved = xstrdup(path->s);
        self.path = saved;
        visit_children(f, path, depth, &self);
        free(saved);
        ff.path = path->s;
    }
    if (f->depth_first) evaluate(f, &ff, depth);
    free(name);
}

static void walk_start(Find *f, const char *start) {
    StrBuf path;
    sb_init(&path);
    sb_puts(&path, start);
    f->start_path = start;
    f->start_len = strlen(start);
    visit(f, &path, 0, NULL);
    sb_free(&path);
}

static bool has_ok_action(const Find *f) {
    for (size_t i = 0; i < f->nexecs; i++)
        if (f->execs[i]->ok) return true;
    return false;
}

/* -files0-from: each NUL-ended name of the file ("-": stdin) is a starting
 * point, walked as it is read; an empty name is an error for that entry only. */
static void walk_files0_from(Find *f) {
    const char *from = f->files0_from;
    bool from_stdin = !strcmp(from, "-");
    if (f->starts.n) {
        char *qs = u_quote(f->starts.v[0]);
        uc_error(f->c, "extra operand %s", qs);
        free(qs);
        uc_error(f->c, "file operands cannot be combined with -files0-from");
        f->status = 1;
        return;
    }
    if (from_stdin && has_ok_action(f)) {
        uc_error(f->c, "option -files0-from reading from standard input cannot be combined with -ok, -okdir\n"); /* GNU ends it with an empty line */
        f->status = 1;
        return;
    }
    UcFile *in = uc_open(f->c, from, "r");
    char *qn = u_quote(from_stdin ? "(standard input)" : from);
    if (!in) {
        uc_error(f->c, "cannot open %s for reading: %s", qn, strerror(errno));
        f->status = 1;
        free(qn);
        return;
    }
    char *name = NULL;
    size_t cap = 0, item = 0;
    ssize_t n;
    while (!must_stop(f) && (n = uc_getdelim(in, &name, &cap, '\0')) > 0) {
        item++;
        if (name[n - 1] == '\0') n--;
        name[n] = '\0';
        if (!n) {
            uc_error(f->c, "%s:%zu: invalid zero-length file name", qn, item);
            f->status = 1;
            continue;
        }
        walk_start(f, name);
    }
    free(name);
    free(qn);
    uc_close(in);
}

int util_find_main(UtilCtx *c, int argc, char **argv) {
    Find *f = xcalloc(1, sizeof *f);
    f->c = c;
    int r = find_parse(f, argc, argv);
    if (r < 0) {
        if (f->files0_from) walk_files0_from(f);
        else {
            if (!f->starts.n) sl_push_copy(&f->starts, ".");
            for (size_t i = 0; i < f->starts.n && !must_stop(f); i++) walk_start(f, f->starts.v[i]);
        }
        find_exec_flush_all(f);
        r = f->status;
    }
    for (size_t i = 0; i < f->nouts; i++) {
        FOutput *o = f->outs[i];
        if (uout_close(&o->out) && r == 0) r = 1;
        if (o->f) uc_close(o->f);
    }
    find_free(f);
    free(f);
    return r;
}
