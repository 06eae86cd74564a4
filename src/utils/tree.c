/* tree.c - the tree utility as Debian's tree 2.1 prints it (UTF-8 line
 * drawing, or --charset=ascii): -a -d -L -I -P -f -i -F -l -r -t
 * --dirsfirst --noreport --filelimit. The report counts the top directory
 * and symlinks to directories as directories, as tree 2 does. */
#include "statfix.h"
#include "ucommon.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct Tree {
    UtilCtx *c;
    UOut out;
    bool all, dirs_only, full_path, no_indent, classify, follow, reverse, by_time, dirs_first, noreport, ascii;
    long max_level; /* 0: no limit */
    StrList ignore, pattern;
    uintmax_t ndirs, nfiles;
    int status;
} Tree;

typedef struct Node {
    char *name;
    char *path;
    struct stat st;  /* lstat */
    bool is_dir;     /* a directory, or a symlink to one */
    char *link;
    struct stat target;
    bool target_ok;
} Node;

/* "a|b" patterns as tree matches them: any alternative matches the name. */
static bool match_any(const StrList *pats, const char *name) {
    for (size_t i = 0; i < pats->n; i++) {
        char *copy = xstrdup(pats->v[i]);
        bool hit = false;
        for (char *tok = copy, *bar; tok && !hit; tok = bar) {
            bar = strchr(tok, '|');
            if (bar) *bar++ = 0;
            hit = !fnmatch(tok, name, 0);
        }
        free(copy);
        if (hit) return true;
    }
    return false;
}

static int node_cmp(const Tree *t, const Node *a, const Node *b) {
    if (t->dirs_first && a->is_dir != b->is_dir) return a->is_dir ? -1 : 1;
    int d;
    if (t->by_time) {
        d = a->st.st_mtime < b->st.st_mtime ? -1 : a->st.st_mtime > b->st.st_mtime;
        if (!d) d = strcmp(a->name, b->name);
    } else {
        d = strcmp(a->name, b->name);
    }
    return t->reverse ? -d : d;
}

static void sort_nodes(const Tree *t, Node *v, size_t n) {
    for (size_t i = 1; i < n; i++) {
        Node x = v[i];
        size_t j = i;
        while (j > 0 && node_cmp(t, &x, &v[j - 1]) < 0) v[j] = v[j - 1], j--;
        v[j] = x;
    }
}

static char type_char(const struct stat *st) {
    if (S_ISDIR(st->st_mode)) return '/';
    if (S_ISLNK(st->st_mode)) return '@';
    if (S_ISFIFO(st->st_mode)) return '|';
    if (S_ISSOCK(st->st_mode)) return '=';
    if (S_ISREG(st->st_mode) && (st->st_mode & 0111)) return '*';
    return 0;
}

static Node *read_nodes(Tree *t, const char *dir, size_t *count, bool *ok) {
    DIR *d = opendir(dir);
    *count = 0;
    *ok = d != NULL;
    if (!d) return NULL;
    size_t n = 0, cap = 16;
    Node *v = xmalloc(cap * sizeof *v);
    struct dirent *de;
    while ((de = readdir(d))) {
        const char *nm = de->d_name;
        if (!strcmp(nm, ".") || !strcmp(nm, "..")) continue;
        if (nm[0] == '.' && !t->all) continue;
        Node x = {0};
        x.name = xstrdup(nm);
        x.path = xmalloc(strlen(dir) + strlen(nm) + 2);
        sprintf(x.path, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", nm);
        if (lstat(x.path, &x.st) != 0) memset(&x.st, 0, sizeof x.st);
        else u_stat_fix_blocks(&x.st);
        x.is_dir = S_ISDIR(x.st.st_mode);
        if (S_ISLNK(x.st.st_mode)) {
            char buf[4096];
            ssize_t l = readlink(x.path, buf, sizeof buf - 1);
            x.link = xstrndup(buf, l > 0 ? (size_t)l : 0);
            x.target_ok = stat(x.path, &x.target) == 0;
            x.is_dir = x.target_ok && S_ISDIR(x.target.st_mode);
        }
        bool hidden = match_any(&t->ignore, nm) || (t->dirs_only && !x.is_dir) ||
                      (t->pattern.n && !(x.is_dir && !x.link) && !match_any(&t->pattern, nm));
        if (hidden) {
            free(x.name), free(x.path), free(x.link);
            continue;
        }
        if (n == cap) v = xrealloc(v, (cap *= 2) * sizeof *v);
        v[n++] = x;
    }
    closedir(d);
    sort_nodes(t, v, n);
    *count = n;
    return v;
}

static void print_node_name(Tree *t, const Node *x) {
    uout_puts(&t->out, t->full_path ? x->path : x->name);
    if (t->classify && !x->link) {
        char ch = type_char(&x->st);
        if (ch) uout_putc(&t->out, ch);
    }
    if (x->link) {
        uout_printf(&t->out, " -> %s", x->link);
        if (t->classify && x->target_ok) {
            char ch = type_char(&x->target);
            if (ch) uout_putc(&t->out, ch);
        }
    }
    uout_putc(&t->out, '\n');
}

/* Lists dir's entries below prefix; returns how many were shown. */
static size_t walk(Tree *t, const char *dir, StrBuf *prefix, long level) {
    if (uc_should_stop(t->c) || t->out.err) return 0;
    size_t n;
    bool ok;
    Node *v = read_nodes(t, dir, &n, &ok);
    if (!ok) return 0;
    const char *tee = t->ascii ? "|-- " : "\xe2\x94\x9c\xe2\x94\x80\xe2\x94\x80 ";
    const char *last = t->ascii ? "`-- " : "\xe2\x94\x94\xe2\x94\x80\xe2\x94\x80 ";
    const char *bar = t->ascii ? "|   " : "\xe2\x94\x82\xc2\xa0\xc2\xa0 ";
    for (size_t i = 0; i < n; i++) {
        Node *x = &v[i];
        bool is_last = i + 1 == n;
        if (!t->no_indent) {
            uout_put(&t->out, prefix->s, prefix->len);
            uout_puts(&t->out, is_last ? last : tee);
        }
        print_node_name(t, x);
        if (x->is_dir) t->ndirs++;
        else t->nfiles++;
        bool descend = x->is_dir && (!x->link || t->follow) && (!t->max_level || level < t->max_level);
        if (descend) {
            size_t keep = prefix->len;
            sb_puts(prefix, is_last ? "    " : bar);
            walk(t, x->path, prefix, level + 1);
            prefix->len = keep;
            prefix->s[keep] = 0;
        }
    }
    for (size_t i = 0; i < n; i++) free(v[i].name), free(v[i].path), free(v[i].link);
    free(v);
    return n;
}

enum { OPT_NOREPORT = 0x100, OPT_DIRSFIRST, OPT_CHARSET, OPT_FILELIMIT, OPT_SORT };

static const UOptLong tree_longs[] = {
    {"noreport", UO_NOARG, OPT_NOREPORT}, {"dirsfirst", UO_NOARG, OPT_DIRSFIRST},
    {"charset", UO_REQ, OPT_CHARSET},     {"filelimit", UO_REQ, OPT_FILELIMIT},
    {"sort", UO_REQ, OPT_SORT},           {NULL, 0, 0},
};

static int tree_option(Tree *t, int k, const char *arg) {
    uintmax_t v;
    switch (k) {
    case 'a': t->all = true; return -1;
    case 'd': t->dirs_only = true; return -1;
    case 'f': t->full_path = true; return -1;
    case 'i': t->no_indent = true; return -1;
    case 'F': t->classify = true; return -1;
    case 'l': t->follow = true; return -1;
    case 'r': t->reverse = true; return -1;
    case 't': t->by_time = true; return -1;
    case 'L':
        if (!u_parse_uint(arg, &v) || v < 1) {
            uc_puts(t->c, 2, "tree: Invalid level, must be greater than 0.\n");
            return 1;
        }
        t->max_level = (long)v;
        return -1;
    case 'I': sl_push_copy(&t->ignore, arg); return -1;
    case 'P': sl_push_copy(&t->pattern, arg); return -1;
    case OPT_NOREPORT: t->noreport = true; return -1;
    case OPT_DIRSFIRST: t->dirs_first = true; return -1;
    case OPT_CHARSET: t->ascii = strcasecmp(arg, "utf-8") && strcasecmp(arg, "utf8"); return -1;
    case OPT_FILELIMIT: case OPT_SORT: case 'n': case 'C': case 'N': case 'q': case 'x': return -1;
    case UO_HELP: return u_help(t->c, "[-adfFilrt] [-L level [-R]] [-P pattern] [-I pattern] [--noreport] [<directory list>]");
    case UO_VERSION: return (uc_puts(t->c, 1, "tree v2.1.0 (c) 1996 - 2022 by Steve Baker, Thomas Moore, Francesc Rocher, Florian Sesser, Kyosuke Tokoro\n"), 0);
    default: return 1;
    }
}

int util_tree_main(UtilCtx *c, int argc, char **argv) {
    Tree t = {.c = c, .ascii = !u_locale_utf8(c)};
    sl_init(&t.ignore);
    sl_init(&t.pattern);
    UOpts o;
    uopt_init(&o, c, argc, argv, "adfiFlrtL:I:P:nCNqx", tree_longs);
    int k, r = -1;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) r = tree_option(&t, k, o.arg);
    if (r < 0) {
        uout_init(&t.out, c, 1);
        if (!o.ops.n) sl_push_copy(&o.ops, ".");
        StrBuf prefix;
        sb_init(&prefix);
        int status = 0;
        for (size_t i = 0; i < o.ops.n; i++) {
            const char *dir = o.ops.v[i];
            struct stat st;
            if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
                bool exists = lstat(dir, &st) == 0;
                uout_printf(&t.out, "%s  [error opening dir]\n", dir);
                if (exists) t.nfiles++;
                else status = 2;
                continue;
            }
            uout_puts(&t.out, dir);
            if (t.classify && dir[strlen(dir) - 1] != '/') uout_putc(&t.out, '/');
            uout_putc(&t.out, '\n');
            sb_clear(&prefix);
            /* tree 2 counts a top directory when it lists something */
            if (walk(&t, dir, &prefix, 1)) t.ndirs++;
        }
        sb_free(&prefix);
        if (!t.noreport) {
            uout_printf(&t.out, "\n%ju director%s", t.ndirs, t.ndirs == 1 ? "y" : "ies");
            if (!t.dirs_only) uout_printf(&t.out, ", %ju file%s", t.nfiles, t.nfiles == 1 ? "" : "s");
            uout_putc(&t.out, '\n');
        }
        r = uout_close(&t.out) ? 1 : status;
    }
    sl_free(&t.ignore);
    sl_free(&t.pattern);
    uopt_free(&o);
    return r;
}
