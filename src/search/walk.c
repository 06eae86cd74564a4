/* walk.c - gitignore rules and the sorted directory walk (search.h). */
#include "search.h"

#include "common.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---------------- globs ---------------- */

static char fold(char ch, bool icase) { return icase && ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch; }

static bool class_match(const char **pp, char ch, bool icase) {
    const char *p = *pp + 1;
    bool neg = *p == '!' || *p == '^';
    if (neg) p++;
    bool hit = false;
    bool first = true;
    while (*p && (*p != ']' || first)) {
        first = false;
        char lo = *p, hi = lo;
        if (p[1] == '-' && p[2] && p[2] != ']') hi = p[2], p += 2;
        if (ch >= lo && ch <= hi) hit = true;
        if (icase && ch >= 'a' && ch <= 'z' && ch - 'a' + 'A' >= lo && ch - 'a' + 'A' <= hi) hit = true;
        if (icase && ch >= 'A' && ch <= 'Z' && ch - 'A' + 'a' >= lo && ch - 'A' + 'a' <= hi) hit = true;
        p++;
    }
    if (*p != ']') return false;
    *pp = p + 1;
    return hit != neg;
}

static bool match_from(const char *p, const char *s, bool icase) {
    while (*p) {
        if (p[0] == '*' && p[1] == '*' && (p[2] == '/' || !p[2])) {
            /* "**": any number of whole components */
            const char *rest = p[2] == '/' ? p + 3 : p + 2;
            if (!*rest) return true;
            for (const char *t = s;; t++) {
                if ((t == s || t[-1] == '/') && match_from(rest, t, icase)) return true;
                if (!*t) return false;
            }
        }
        if (*p == '*') {
            p++;
            for (const char *t = s;; t++) {
                if (match_from(p, t, icase)) return true;
                if (!*t || *t == '/') return false;
            }
        }
        if (!*s) return false;
        if (*p == '?') {
            if (*s == '/') return false;
        } else if (*p == '[') {
            const char *q = p;
            if (*s == '/' || !class_match(&q, *s, icase)) return false;
            p = q;
            s++;
            continue;
        } else if (*p == '\\' && p[1]) {
            p++;
            if (fold(*p, icase) != fold(*s, icase)) return false;
        } else if (fold(*p, icase) != fold(*s, icase)) {
            return false;
        }
        p++, s++;
    }
    return !*s;
}

bool sw_glob_match(const char *glob, const char *path) { return match_from(glob, path, false); }

bool sw_glob_match_case(const char *glob, const char *path, bool icase) { return match_from(glob, path, icase); }

/* ---------------- ignore rules ---------------- */

typedef struct Rule {
    char *glob;   /* anchored to the rule's base unless it has no '/' */
    bool negated, dir_only, anchored;
    size_t base;  /* length of the base prefix of rel paths ("" or "sub/") */
    char *base_path;
} Rule;

typedef struct Rules {
    Rule *v;
    size_t n, cap;
} Rules;

static void rules_add_line(Rules *r, const char *line, const char *base) {
    size_t len = strlen(line);
    while (len && (line[len - 1] == ' ' || line[len - 1] == '\r') && !(len > 1 && line[len - 2] == '\\')) len--;
    if (!len || line[0] == '#') return;
    Rule x = {0};
    const char *p = line;
    if (*p == '!') x.negated = true, p++, len--;
    else if (*p == '\\' && (p[1] == '!' || p[1] == '#')) p++, len--;
    char *g = xstrndup(p, len);
    size_t gl = strlen(g);
    if (gl && g[gl - 1] == '/') x.dir_only = true, g[--gl] = 0;
    if (!gl) {
        free(g);
        return;
    }
    x.anchored = strchr(g, '/') != NULL;
    if (g[0] == '/') memmove(g, g + 1, gl--);
    if (!strncmp(g, "**/", 3)) x.anchored = true;
    x.glob = g;
    x.base_path = xstrdup(base);
    x.base = strlen(base);
    if (r->n == r->cap) r->v = xrealloc(r->v, (r->cap = r->cap * 2 + 8) * sizeof *r->v);
    r->v[r->n++] = x;
}

static void rules_load(Rules *r, const char *file, const char *base) {
    FILE *f = fopen(file, "r");
    if (!f) return;
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        rules_add_line(r, line, base);
    }
    fclose(f);
}

static void rules_truncate(Rules *r, size_t n) {
    while (r->n > n) {
        r->n--;
        free(r->v[r->n].glob);
        free(r->v[r->n].base_path);
    }
}

/* -1 ignored, 1 whitelisted, 0 no rule says. rel is relative to the walk root. */
static int rules_verdict(const Rules *r, const char *rel, bool is_dir) {
    for (size_t i = r->n; i-- > 0;) {
        const Rule *x = &r->v[i];
        if (x->dir_only && !is_dir) continue;
        if (x->base && (strncmp(rel, x->base_path, x->base) || rel[x->base - 1] != '/')) continue;
        const char *sub = rel + x->base;
        const char *name = strrchr(sub, '/') ? strrchr(sub, '/') + 1 : sub;
        if (match_from(x->glob, x->anchored ? sub : name, false)) return x->negated ? 1 : -1;
    }
    return 0;
}

/* ---------------- the walk ---------------- */

typedef struct Walk {
    UtilCtx *c;
    const SwOpts *o;
    SwVisit visit;
    SwError err;
    void *ctx;
    Rules rules;
    bool in_git;
    dev_t root_dev; /* --one-file-system */
} Walk;

static int name_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

typedef struct TimedName {
    char *name;
    struct timespec t;
} TimedName;

static int time_cmp(const void *a, const void *b) {
    const TimedName *x = a, *y = b;
    if (x->t.tv_sec != y->t.tv_sec) return x->t.tv_sec < y->t.tv_sec ? -1 : 1;
    if (x->t.tv_nsec != y->t.tv_nsec) return x->t.tv_nsec < y->t.tv_nsec ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* rg --sort modified/accessed: a time from each entry's lstat, names of
 * entries that cannot be stat'ed sorting first (as Rust's None). */
static void sort_by_time(StrList *names, const char *dir, char key) {
    TimedName *v = xcalloc(names->n, sizeof *v);
    for (size_t i = 0; i < names->n; i++) {
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/%s", dir, names->v[i]);
        struct stat st;
        v[i].name = names->v[i];
        if (lstat(path, &st) == 0) v[i].t = key == 'a' ? st.st_atim : st.st_mtim;
    }
    qsort(v, names->n, sizeof *v, time_cmp);
    for (size_t i = 0; i < names->n; i++) names->v[i] = v[i].name;
    free(v);
}

static void sort_names(const Walk *w, StrList *names, const char *dir) {
    if (!names->n) return;
    if (w->o->sort_key == 'm' || w->o->sort_key == 'a') sort_by_time(names, dir, w->o->sort_key);
    else qsort(names->v, names->n, sizeof *names->v, name_cmp);
    if (!w->o->reverse) return;
    for (size_t i = 0, j = names->n - 1; i < j; i++, j--) {
        char *t = names->v[i];
        names->v[i] = names->v[j];
        names->v[j] = t;
    }
}

static void load_dir_rules(Walk *w, const char *dir, const char *rel) {
    if (w->o->no_ignore) return;
    char base[PATH_MAX];
    snprintf(base, sizeof base, "%s%s", rel, *rel ? "/" : "");
    char file[PATH_MAX];
    if (w->in_git && !w->o->no_vcs) {
        snprintf(file, sizeof file, "%s/.gitignore", dir);
        rules_load(&w->rules, file, base);
    }
    if (!w->o->no_dot) {
        snprintf(file, sizeof file, "%s/.ignore", dir);
        rules_load(&w->rules, file, base);
    }
    if (w->o->tool_ignore) {
        snprintf(file, sizeof file, "%s/%s", dir, w->o->tool_ignore);
        rules_load(&w->rules, file, base);
    }
}

/* -1 excluded by a command-line glob, 1 included, 0 no glob says. */
static int glob_verdict(const Walk *w, const char *rel, bool is_dir) {
    const SwOpts *o = w->o;
    bool any_include = false;
    for (size_t i = 0; i < o->nglobs; i++) any_include |= !o->globs[i].negated && !o->globs_exclude_only;
    for (size_t i = o->nglobs; i-- > 0;) {
        const SwGlob *g = &o->globs[i];
        const char *name = strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel;
        /* as in gitignore: a trailing '/' matches directories only and does
         * not anchor the glob (rg -g '!.git/' skips .git at any depth) */
        size_t len = strlen(g->glob);
        bool dir_only = len > 1 && g->glob[len - 1] == '/';
        if (dir_only && !is_dir) continue;
        char *own = dir_only ? xstrndup(g->glob, len - 1) : NULL;
        const char *pat = own ? own : g->glob;
        bool anchored = strchr(pat, '/') != NULL;
        if (pat[0] == '/') pat++;
        bool hit = match_from(pat, anchored ? rel : name, g->icase);
        free(own);
        if (!hit) continue;
        bool exclude = o->globs_exclude_only || g->negated;
        return exclude ? -1 : 1;
    }
    return any_include && !is_dir ? -1 : 0;
}

static int walk_dir(Walk *w, const char *dir, const char *rel, int depth) {
    if (uc_should_stop(w->c)) return 1;
    DIR *d = opendir(dir);
    if (!d) {
        if (w->err) w->err(w->ctx, dir, errno);
        return 0;
    }
    StrList names;
    sl_init(&names);
    struct dirent *de;
    while ((de = readdir(d)))
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) sl_push_copy(&names, de->d_name);
    closedir(d);
    sort_names(w, &names, dir);
    size_t keep = w->rules.n;
    load_dir_rules(w, dir, rel);
    int stop = 0;
    for (size_t i = 0; i < names.n && !stop; i++) {
        const char *nm = names.v[i];
        if (nm[0] == '.' && !w->o->hidden) continue;
        StrBuf path, r;
        sb_init(&path), sb_init(&r);
        sb_puts(&path, dir);
        if (path.len && path.s[path.len - 1] != '/') sb_putc(&path, '/');
        sb_puts(&path, nm);
        if (*rel) sb_puts(&r, rel), sb_putc(&r, '/');
        sb_puts(&r, nm);
        struct stat st;
        bool ok = lstat(path.s, &st) == 0;
        bool is_link = ok && S_ISLNK(st.st_mode);
        struct stat tst;
        if (is_link && w->o->follow && stat(path.s, &tst) == 0) st = tst, is_link = false;
        bool is_dir = ok && S_ISDIR(st.st_mode);
        int verdict = rules_verdict(&w->rules, r.s, is_dir);
        int gv = glob_verdict(w, r.s, is_dir);
        bool skip = !ok || (verdict < 0) || gv < 0;
        if (!skip) {
            int v = w->visit(w->ctx, path.s, r.s, &st, depth);
            if (v == 1) stop = 1;
            else if (v != 2 && is_dir && (w->o->max_depth < 0 || depth < w->o->max_depth) &&
                     (!w->o->one_file_system || st.st_dev == w->root_dev))
                stop = walk_dir(w, path.s, r.s, depth + 1);
        }
        sb_free(&path), sb_free(&r);
    }
    rules_truncate(&w->rules, keep);
    sl_free(&names);
    return stop;
}

/* A .git in dir or one of its parents. */
static bool inside_git(const char *dir) {
    char *abs = realpath(dir, NULL);
    if (!abs) return false;
    bool found = false;
    for (;;) {
        char probe[PATH_MAX];
        snprintf(probe, sizeof probe, "%s/.git", strcmp(abs, "/") ? abs : "");
        if (access(probe, F_OK) == 0) {
            found = true;
            break;
        }
        char *slash = strrchr(abs, '/');
        if (!slash || slash == abs) {
            if (slash && abs[1]) abs[1] = 0;
            else break;
            snprintf(probe, sizeof probe, "/.git");
            found = access(probe, F_OK) == 0;
            break;
        }
        *slash = 0;
    }
    free(abs);
    return found;
}

int sw_walk(UtilCtx *c, const SwOpts *o, const char *root, SwVisit visit, SwError err, void *ctx) {
    Walk w = {.c = c, .o = o, .visit = visit, .err = err, .ctx = ctx};
    w.in_git = !o->no_ignore && !o->no_vcs && inside_git(root);
    struct stat rst;
    if (o->one_file_system && stat(root, &rst) == 0) w.root_dev = rst.st_dev;
    /* loaded first, so every later rule overrides them; --no-ignore keeps
     * them, since they were named on the command line */
    for (size_t i = 0; i < o->nignore_files; i++) rules_load(&w.rules, o->ignore_files[i], "");
    if (w.in_git) {
        char file[PATH_MAX];
        snprintf(file, sizeof file, "%s/.git/info/exclude", root);
        rules_load(&w.rules, file, "");
    }
    int r = o->max_depth == 0 ? 0 : walk_dir(&w, root, "", 1);
    rules_truncate(&w.rules, 0);
    free(w.rules.v);
    return r;
}

int sw_linux_errno(int err) {
#ifdef __EMSCRIPTEN__
    static const struct {
        int ours, linux_no;
    } map[] = {
        {EPERM, 1},   {ENOENT, 2},   {EIO, 5},     {EBADF, 9},        {ENOMEM, 12}, {EACCES, 13},
        {EEXIST, 17}, {ENOTDIR, 20}, {EISDIR, 21}, {EINVAL, 22},      {EMFILE, 24}, {EFBIG, 27},
        {ENOSPC, 28}, {EROFS, 30},   {EPIPE, 32},  {ENAMETOOLONG, 36}, {ELOOP, 40},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (map[i].ours == err) return map[i].linux_no;
#endif
    return err;
}
