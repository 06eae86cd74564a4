/* glob.c - pathname expansion (see pattern.h).
 *
 * The pattern is split into '/'-separated components and walked depth first.
 * Only components with magic characters read directories; literal components
 * are appended as they are and the final path is checked with lstat, which is
 * how bash avoids listing directories it does not need. Only opendir, readdir,
 * stat and lstat are used so the behaviour is the same under Emscripten. */
#include "pattern.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct Comp {
    char *text; /* escaped pattern text of the component */
    bool magic;
    bool globstar;
} Comp;

typedef struct Glob {
    Comp *comps;
    size_t ncomps;
    int pmflags;    /* flags for matching a component against a name */
    bool dotglob;
    size_t limit;
    bool overflow;  /* more than limit results: stop everything */
    StrList found;
    StrBuf path;    /* the result being built, in the pattern's form */
} Glob;

/* Where the walk is: which component comes next and how it joins the path. */
typedef struct Pos {
    size_t i;
    bool sep;       /* a '/' goes before the next component */
    bool derived;   /* some directory was read to get here */
    bool unchecked; /* literal components were appended without a lookup */
} Pos;

static void walk(Glob *g, Pos at);

/* ---- splitting ------------------------------------------------------- */

/* Length of the component starting at p: up to the next '/' that is not
 * inside an extglob group. An escaped slash still separates (bash treats
 * a\/b* like a/b*). */
static size_t comp_len(const char *p, bool ext) {
    int depth = 0;
    size_t i = 0;
    for (; p[i]; i++) {
        if (p[i] == '\\' && p[i + 1] == '/' && depth == 0) return i;
        if (p[i] == '\\' && p[i + 1]) {
            i++;
        } else if (ext && p[i] == '(' && i > 0 && strchr("?*+@!", p[i - 1])) {
            depth++;
        } else if (p[i] == ')' && depth > 0) {
            depth--;
        } else if (p[i] == '/' && depth == 0) {
            return i;
        }
    }
    return i;
}

static void split_pattern(Glob *g, const char *pat, int flags) {
    size_t cap = 4;
    g->comps = xmalloc(cap * sizeof *g->comps);
    g->ncomps = 0;
    for (const char *p = pat;;) {
        size_t n = comp_len(p, (flags & GL_EXTGLOB) != 0);
        if (g->ncomps == cap) g->comps = xrealloc(g->comps, (cap *= 2) * sizeof *g->comps);
        Comp *c = &g->comps[g->ncomps++];
        c->text = xstrndup(p, n);
        c->magic = pattern_has_magic(c->text, g->pmflags);
        c->globstar = (flags & GL_GLOBSTAR) && strcmp(c->text, "**") == 0;
        p += n;
        if (!*p) break;
        p += *p == '\\' ? 2 : 1;
    }
}

static void free_comps(Glob *g) {
    for (size_t i = 0; i < g->ncomps; i++) free(g->comps[i].text);
    free(g->comps);
}

/* ---- results --------------------------------------------------------- */

static bool is_dir(const char *path, bool follow) {
    struct stat st;
    int r = follow ? stat(path, &st) : lstat(path, &st);
    return r == 0 && S_ISDIR(st.st_mode);
}

static void add_result(Glob *g, const char *s) {
    if (g->limit && g->found.n >= g->limit) {
        g->overflow = true;
        return;
    }
    sl_push_copy(&g->found, s);
}

/* The walk consumed every component: the path is a result if it exists. */
static void finish(Glob *g, Pos at) {
    const char *p = g->path.s;
    if (!p || !*p) return; /* zero directories matched by a leading "**" */
    bool trailing = g->comps[g->ncomps - 1].text[0] == 0 && g->ncomps > 1;
    struct stat st;
    if (trailing && !is_dir(p, true)) return;
    if (at.unchecked && !trailing && lstat(p, &st) != 0) return;
    add_result(g, p);
}

/* ---- directory reading ----------------------------------------------- */

static const char *dir_to_read(Glob *g, bool sep) {
    if (g->path.len) return g->path.s;
    return sep ? "/" : ".";
}

/* Reads the names in the current directory that satisfy keep(). The list
 * is complete before anything recurses, so deep walks keep one directory
 * stream open at a time. */
static void read_names(Glob *g, bool sep, const char *pat, StrList *out) {
    DIR *d = opendir(dir_to_read(g, sep));
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        const char *n = e->d_name;
        /* . and .. are never produced (bash's default globskipdots). */
        if (n[0] == '.' && (n[1] == 0 || (n[1] == '.' && n[2] == 0))) continue;
        if (pat ? pattern_match(pat, n, g->pmflags) : (g->dotglob || n[0] != '.'))
            sl_push_copy(out, n);
    }
    closedir(d);
}

/* Appends "/name" (or "name") to the path; returns the old length. */
static size_t push_name(Glob *g, bool sep, const char *name) {
    size_t old = g->path.len;
    if (sep) sb_putc(&g->path, '/');
    sb_puts(&g->path, name);
    return old;
}

static void pop_name(Glob *g, size_t old) {
    g->path.len = old;
    if (g->path.s) g->path.s[old] = 0;
}

/* ---- component handlers ---------------------------------------------- */

static void walk_literal(Glob *g, Pos at) {
    char *lit = pattern_unescape(g->comps[at.i].text);
    size_t old = push_name(g, at.sep, lit);
    free(lit);
    walk(g, (Pos){at.i + 1, true, at.derived, true});
    pop_name(g, old);
}

static void walk_magic(Glob *g, Pos at) {
    StrList names;
    sl_init(&names);
    read_names(g, at.sep, g->comps[at.i].text, &names);
    for (size_t k = 0; k < names.n && !g->overflow; k++) {
        size_t old = push_name(g, at.sep, names.v[k]);
        walk(g, (Pos){at.i + 1, true, true, false});
        pop_name(g, old);
    }
    sl_free(&names);
}

/* ** as the last component: every file and directory below the current one.
 * Symbolic links to directories are listed but not descended into. */
static void globstar_list(Glob *g, bool sep) {
    StrList names;
    sl_init(&names);
    read_names(g, sep, NULL, &names);
    for (size_t k = 0; k < names.n && !g->overflow; k++) {
        size_t old = push_name(g, sep, names.v[k]);
        add_result(g, g->path.s);
        if (is_dir(g->path.s, false)) globstar_list(g, true);
        pop_name(g, old);
    }
    sl_free(&names);
}

/* ** followed by more components: the rest is tried here and in every
 * subdirectory. Symbolic links to directories are never descended into; with
 * `links` they are still places where the rest is tried: bash does that
 * below a directory prefix ("dir" then "**" then "x") and when only a trailing
 * slash follows, but not for a "**" that starts a relative pattern. */
static void globstar_descend(Glob *g, Pos at, bool links) {
    walk(g, (Pos){at.i + 1, at.sep, true, at.unchecked});
    StrList names;
    sl_init(&names);
    read_names(g, at.sep, NULL, &names);
    for (size_t k = 0; k < names.n && !g->overflow; k++) {
        size_t old = push_name(g, at.sep, names.v[k]);
        if (is_dir(g->path.s, false))
            globstar_descend(g, (Pos){at.i, true, true, false}, links);
        else if (links && is_dir(g->path.s, true))
            walk(g, (Pos){at.i + 1, true, true, false});
        pop_name(g, old);
    }
    sl_free(&names);
}

static void walk_globstar(Glob *g, Pos at) {
    if (at.i + 1 < g->ncomps) {
        bool top = g->path.len == 0 && !at.sep;
        bool dirs_only = at.i + 2 == g->ncomps && g->comps[at.i + 1].text[0] == 0;
        globstar_descend(g, at, !top || dirs_only);
        return;
    }
    if (g->path.len || at.sep) {
        /* bash lists the starting directory itself: "dir/" when it was
         * written literally, "dir" when it came from an expansion. */
        if (!is_dir(dir_to_read(g, at.sep), true)) return;
        size_t old = g->path.len;
        if (!at.derived) sb_putc(&g->path, '/');
        add_result(g, g->path.s);
        pop_name(g, old);
    }
    globstar_list(g, at.sep);
}

static void walk(Glob *g, Pos at) {
    if (g->overflow) return;
    if (at.i == g->ncomps) {
        finish(g, at);
    } else if (g->comps[at.i].globstar) {
        walk_globstar(g, at);
    } else if (g->comps[at.i].magic) {
        walk_magic(g, at);
    } else {
        walk_literal(g, at);
    }
}

/* ---- entry point ------------------------------------------------------ */

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorts and drops duplicates (** / ** can reach a path twice). */
static long deliver(Glob *g, StrList *out) {
    if (g->found.n) qsort(g->found.v, g->found.n, sizeof *g->found.v, cmp_str);
    long count = 0;
    for (size_t k = 0; k < g->found.n; k++) {
        if (k > 0 && strcmp(g->found.v[k], g->found.v[k - 1]) == 0) continue;
        sl_push_copy(out, g->found.v[k]);
        count++;
    }
    return count;
}

long glob_expand(const char *pat, int flags, size_t limit, StrList *out) {
    Glob g;
    memset(&g, 0, sizeof g);
    g.pmflags = ((flags & GL_NOCASE) ? PM_NOCASE : 0) | ((flags & GL_EXTGLOB) ? PM_EXTGLOB : 0);
    if (!*pat || !pattern_has_magic(pat, g.pmflags)) return 0;
    g.dotglob = (flags & GL_DOTGLOB) != 0;
    g.limit = limit;
    sl_init(&g.found);
    sb_init(&g.path);
    split_pattern(&g, pat, flags);
    if (!g.dotglob) g.pmflags |= PM_PERIOD;
    walk(&g, (Pos){0, false, false, false});
    long r = g.overflow ? -1 : deliver(&g, out);
    sl_free(&g.found);
    sb_free(&g.path);
    free_comps(&g);
    return r;
}
