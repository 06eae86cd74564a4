/* ls.c - the ls utility, one name per line (the output is never a
 * terminal): -1 -a -A -d -F -p -R -r -t -S -U -v -l -n -g -o -G -h -i -s -L
 * -H, --color accepted. Files given as operands come first, then each
 * directory; -l aligns columns per listing as GNU does. */
#include "modes.h"
#include "sortcmp.h"
#include "ucommon.h"

#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

typedef struct Ent {
    char *name;   /* as shown */
    char *path;   /* for stat / readlink */
    struct stat st;
    bool ok;      /* st is valid */
    char *link;   /* symlink target for -l */
    struct stat target;
    bool target_ok;
} Ent;

typedef struct Ls {
    UtilCtx *c;
    UOut out;
    int all;      /* 0, 'A' or 'a' */
    bool dir_itself, recursive, reverse, longfmt, numeric, human, inode, blocks;
    bool no_owner, no_group, deref, deref_args;
    char sort;    /* 'n' name, 't' time, 'S' size, 'U' none, 'v' version */
    char classify; /* 0, 'F' or 'p' */
    time_t now;
    bool printed;  /* something was output (for blank lines between blocks) */
    int status;
} Ls;

/* ---- entries ---- */
static void ent_load(Ls *s, Ent *e, bool follow) {
    e->ok = (follow ? stat(e->path, &e->st) : lstat(e->path, &e->st)) == 0;
    if (!e->ok && follow) e->ok = lstat(e->path, &e->st) == 0;
    if (e->ok && S_ISLNK(e->st.st_mode) && (s->longfmt || s->classify)) {
        char buf[4096];
        ssize_t n = readlink(e->path, buf, sizeof buf - 1);
        if (n >= 0) e->link = xstrndup(buf, (size_t)n);
        e->target_ok = stat(e->path, &e->target) == 0;
    }
}

static void ent_free(Ent *v, size_t n) {
    for (size_t i = 0; i < n; i++) {
        free(v[i].name);
        free(v[i].path);
        free(v[i].link);
    }
    free(v);
}

static int ent_cmp(const Ls *s, const Ent *a, const Ent *b) {
    int d = 0;
    if (s->sort == 't') {
        const struct timespec *x = &a->st.st_mtim, *y = &b->st.st_mtim;
        d = x->tv_sec != y->tv_sec ? (x->tv_sec < y->tv_sec ? 1 : -1)
                                   : (x->tv_nsec != y->tv_nsec ? (x->tv_nsec < y->tv_nsec ? 1 : -1) : 0);
    } else if (s->sort == 'S') {
        d = a->st.st_size != b->st.st_size ? (a->st.st_size < b->st.st_size ? 1 : -1) : 0;
    } else if (s->sort == 'v') {
        d = sort_version_cmp(a->name, strlen(a->name), b->name, strlen(b->name));
    }
    if (!d) d = strcmp(a->name, b->name);
    return s->reverse ? -d : d;
}

/* Stable insertion-merge sort of entries (lists are small). */
static void ent_sort(const Ls *s, Ent *v, size_t n) {
    if (s->sort == 'U' || n < 2) return;
    Ent *tmp = xmalloc(n * sizeof *tmp);
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi) tmp[k++] = ent_cmp(s, &v[j], &v[i]) < 0 ? v[j++] : v[i++];
            while (i < mid) tmp[k++] = v[i++];
            while (j < hi) tmp[k++] = v[j++];
        }
        memcpy(v, tmp, n * sizeof *v);
    }
    free(tmp);
}

/* ---- long format ---- */
typedef struct Widths {
    int links, owner, group, size, inode, blocks;
} Widths;

static void owner_name(const Ls *s, uid_t uid, char *buf, size_t cap) {
    struct passwd pw, *res = NULL;
    char tmp[1024];
    if (!s->numeric && getpwuid_r(uid, &pw, tmp, sizeof tmp, &res) == 0 && res)
        snprintf(buf, cap, "%s", pw.pw_name);
    else
        snprintf(buf, cap, "%u", (unsigned)uid);
}

static void group_name(const Ls *s, gid_t gid, char *buf, size_t cap) {
    struct group gr, *res = NULL;
    char tmp[1024];
    if (!s->numeric && getgrgid_r(gid, &gr, tmp, sizeof tmp, &res) == 0 && res)
        snprintf(buf, cap, "%s", gr.gr_name);
    else
        snprintf(buf, cap, "%u", (unsigned)gid);
}

/* GNU -h: one decimal below 10, rounded up. */
static void human_size(uintmax_t v, char *buf, size_t cap) {
    static const char units[] = "KMGTPEZY";
    if (v < 1024) {
        snprintf(buf, cap, "%ju", v);
        return;
    }
    double x = (double)v;
    int u = -1;
    while (x >= 1024 && u < 7) x /= 1024, u++;
    if (x < 10) {
        double t = (double)(uintmax_t)(x * 10);
        if (t < x * 10) t += 1;
        if (t >= 100) snprintf(buf, cap, "%d%c", 10, units[u]);
        else snprintf(buf, cap, "%.1f%c", t / 10, units[u]);
    } else {
        uintmax_t t = (uintmax_t)x;
        if ((double)t < x) t++;
        if (t >= 1024 && u < 7) snprintf(buf, cap, "1.0%c", units[u + 1]);
        else snprintf(buf, cap, "%ju%c", t, units[u]);
    }
}

static void size_text(const Ls *s, const Ent *e, char *buf, size_t cap) {
    if (S_ISCHR(e->st.st_mode) || S_ISBLK(e->st.st_mode))
        snprintf(buf, cap, "%u, %u", major(e->st.st_rdev), minor(e->st.st_rdev));
    else if (s->human)
        human_size((uintmax_t)e->st.st_size, buf, cap);
    else
        snprintf(buf, cap, "%jd", (intmax_t)e->st.st_size);
}

static uintmax_t kblocks(const struct stat *st) { return ((uintmax_t)st->st_blocks * 512 + 1023) / 1024; }

static int num_width(uintmax_t v) {
    int w = 1;
    while (v >= 10) v /= 10, w++;
    return w;
}

static void compute_widths(const Ls *s, const Ent *v, size_t n, Widths *w) {
    memset(w, 0, sizeof *w);
    char buf[64];
    for (size_t i = 0; i < n; i++) {
        if (!v[i].ok) continue;
        int lw = num_width((uintmax_t)v[i].st.st_nlink);
        if (lw > w->links) w->links = lw;
        owner_name(s, v[i].st.st_uid, buf, sizeof buf);
        if ((int)strlen(buf) > w->owner) w->owner = (int)strlen(buf);
        group_name(s, v[i].st.st_gid, buf, sizeof buf);
        if ((int)strlen(buf) > w->group) w->group = (int)strlen(buf);
        size_text(s, &v[i], buf, sizeof buf);
        if ((int)strlen(buf) > w->size) w->size = (int)strlen(buf);
        int iw = num_width((uintmax_t)v[i].st.st_ino), bw = num_width(kblocks(&v[i].st));
        if (s->human) {
            human_size(kblocks(&v[i].st) * 1024, buf, sizeof buf);
            bw = (int)strlen(buf);
        }
        if (iw > w->inode) w->inode = iw;
        if (bw > w->blocks) w->blocks = bw;
    }
}

static void time_text(const Ls *s, time_t t, char *buf, size_t cap) {
    struct tm tm;
    localtime_r(&t, &tm);
    const time_t six_months = 31556952 / 2;
    bool recent = t <= s->now && s->now - t < six_months;
    strftime(buf, cap, recent ? "%b %e %H:%M" : "%b %e  %Y", &tm);
}

static char indicator(const Ls *s, mode_t m) {
    if (!s->classify) return 0;
    if (S_ISDIR(m)) return '/';
    if (s->classify == 'p') return 0;
    if (S_ISLNK(m)) return '@';
    if (S_ISFIFO(m)) return '|';
    if (S_ISSOCK(m)) return '=';
    if (S_ISREG(m) && (m & (S_IXUSR | S_IXGRP | S_IXOTH))) return '*';
    return 0;
}

static void print_prefix(Ls *s, const Ent *e, const Widths *w) {
    if (s->inode) uout_printf(&s->out, "%*ju ", w->inode, (uintmax_t)e->st.st_ino);
    if (s->blocks) {
        char buf[32];
        if (s->human) human_size(kblocks(&e->st) * 1024, buf, sizeof buf);
        else snprintf(buf, sizeof buf, "%ju", kblocks(&e->st));
        uout_printf(&s->out, "%*s ", w->blocks, buf);
    }
}

static void print_long(Ls *s, const Ent *e, const Widths *w) {
    char mode[11], owner[64], group[64], size[64], when[64];
    u_mode_string(e->st.st_mode, mode);
    owner_name(s, e->st.st_uid, owner, sizeof owner);
    group_name(s, e->st.st_gid, group, sizeof group);
    size_text(s, e, size, sizeof size);
    time_text(s, e->st.st_mtim.tv_sec, when, sizeof when);
    uout_printf(&s->out, "%s %*ju ", mode, w->links, (uintmax_t)e->st.st_nlink);
    if (!s->no_owner) uout_printf(&s->out, "%-*s ", w->owner, owner);
    if (!s->no_group) uout_printf(&s->out, "%-*s ", w->group, group);
    uout_printf(&s->out, "%*s %s %s", w->size, size, when, e->name);
    if (e->link) {
        uout_printf(&s->out, " -> %s", e->link);
        char ind = e->target_ok ? indicator(s, e->target.st_mode) : 0;
        if (ind && ind != '@') uout_putc(&s->out, ind);
    } else {
        char ind = indicator(s, e->st.st_mode);
        if (ind) uout_putc(&s->out, ind);
    }
    uout_putc(&s->out, '\n');
}

static void print_entries(Ls *s, const Ent *v, size_t n, bool total) {
    Widths w;
    compute_widths(s, v, n, &w);
    if (total && (s->longfmt || s->blocks)) {
        uintmax_t sum = 0;
        for (size_t i = 0; i < n; i++) sum += v[i].ok ? kblocks(&v[i].st) : 0;
        char buf[32];
        if (s->human) human_size(sum * 1024, buf, sizeof buf);
        else snprintf(buf, sizeof buf, "%ju", sum);
        uout_printf(&s->out, "total %s\n", buf);
    }
    for (size_t i = 0; i < n; i++) {
        print_prefix(s, &v[i], &w);
        if (s->longfmt) {
            print_long(s, &v[i], &w);
            continue;
        }
        uout_puts(&s->out, v[i].name);
        char ind = v[i].ok ? indicator(s, v[i].st.st_mode) : 0;
        if (ind) uout_putc(&s->out, ind);
        uout_putc(&s->out, '\n');
    }
    if (n) s->printed = true;
}

/* ---- directories ---- */
static char *join(const char *dir, const char *name) {
    StrBuf b;
    sb_init(&b);
    sb_puts(&b, dir);
    if (b.len && b.s[b.len - 1] != '/') sb_putc(&b, '/');
    sb_puts(&b, name);
    return sb_take(&b);
}

static bool shown(const Ls *s, const char *name) {
    if (name[0] != '.') return true;
    if (s->all == 'a') return true;
    return s->all == 'A' && strcmp(name, ".") && strcmp(name, "..");
}

static Ent *read_dir(Ls *s, const char *path, size_t *count) {
    DIR *d = opendir(path);
    if (!d) {
        u_err_op(s->c, "cannot open directory", path, errno);
        s->status = 2;
        return NULL;
    }
    size_t n = 0, cap = 16;
    Ent *v = xmalloc(cap * sizeof *v);
    struct dirent *de;
    while ((de = readdir(d))) {
        if (!shown(s, de->d_name)) continue;
        if (n == cap) v = xrealloc(v, (cap *= 2) * sizeof *v);
        memset(&v[n], 0, sizeof v[n]);
        v[n].name = xstrdup(de->d_name);
        v[n].path = join(path, de->d_name);
        ent_load(s, &v[n], s->deref);
        n++;
    }
    closedir(d);
    ent_sort(s, v, n);
    *count = n;
    return v;
}

static void list_dir(Ls *s, const char *path, bool header) {
    if (s->out.err || uc_should_stop(s->c)) return;
    if (header) uout_printf(&s->out, "%s%s:\n", s->printed ? "\n" : "", path);
    s->printed = true;
    size_t n;
    Ent *v = read_dir(s, path, &n);
    if (!v) return;
    print_entries(s, v, n, true);
    for (size_t i = 0; s->recursive && i < n; i++)
        if (v[i].ok && S_ISDIR(v[i].st.st_mode) && strcmp(v[i].name, ".") && strcmp(v[i].name, ".."))
            list_dir(s, v[i].path, true);
    ent_free(v, n);
}

/* ---- options ---- */
enum { OPT_COLOR = 0x100, OPT_GDF };

static const UOptLong ls_longs[] = {
    {"all", UO_NOARG, 'a'},          {"almost-all", UO_NOARG, 'A'},   {"directory", UO_NOARG, 'd'},
    {"classify", UO_OPT, 'F'},       {"recursive", UO_NOARG, 'R'},    {"reverse", UO_NOARG, 'r'},
    {"human-readable", UO_NOARG, 'h'}, {"inode", UO_NOARG, 'i'},      {"numeric-uid-gid", UO_NOARG, 'n'},
    {"size", UO_NOARG, 's'},         {"dereference", UO_NOARG, 'L'},  {"no-group", UO_NOARG, 'G'},
    {"color", UO_OPT, OPT_COLOR},    {"group-directories-first", UO_NOARG, OPT_GDF},
    {NULL, 0, 0},
};

static int ls_option(Ls *s, int k) {
    switch (k) {
    case 'a': case 'A': s->all = k; return -1;
    case 'd': s->dir_itself = true; return -1;
    case 'F': case 'p': s->classify = (char)k; return -1;
    case 'R': s->recursive = true; return -1;
    case 'r': s->reverse = true; return -1;
    case 't': case 'S': case 'U': case 'v': s->sort = (char)k; return -1;
    case 'f': s->sort = 'U'; s->all = 'a'; return -1;
    case 'l': s->longfmt = true; return -1;
    case 'n': s->longfmt = s->numeric = true; return -1;
    case 'g': s->longfmt = s->no_owner = true; return -1;
    case 'o': s->longfmt = s->no_group = true; return -1;
    case 'G': s->no_group = true; return -1;
    case 'h': s->human = true; return -1;
    case 'i': s->inode = true; return -1;
    case 's': s->blocks = true; return -1;
    case 'L': s->deref = s->deref_args = true; return -1;
    case 'H': s->deref_args = true; return -1;
    case '1': case 'C': case 'x': case OPT_COLOR: case OPT_GDF: return -1;
    case UO_HELP: return u_help(s->c, "[OPTION]... [FILE]...");
    case UO_VERSION: return u_version(s->c);
    default: return 2;
    }
}

/* Splits operands into plain entries (printed first) and directories. */
static void ls_operands(Ls *s, StrList *ops) {
    size_t n = ops->n, nf = 0, nd = 0;
    Ent *files = xcalloc(n, sizeof *files), *dirs = xcalloc(n, sizeof *dirs);
    bool follow = s->deref_args || !(s->longfmt || s->dir_itself || s->classify == 'F');
    for (size_t i = 0; i < n; i++) {
        Ent e = {.name = xstrdup(ops->v[i]), .path = xstrdup(ops->v[i])};
        ent_load(s, &e, follow);
        if (!e.ok) {
            u_err_op(s->c, "cannot access", ops->v[i], errno);
            s->status = 2;
            free(e.name), free(e.path), free(e.link);
            continue;
        }
        if (S_ISDIR(e.st.st_mode) && !s->dir_itself) dirs[nd++] = e;
        else files[nf++] = e;
    }
    ent_sort(s, files, nf);
    ent_sort(s, dirs, nd);
    print_entries(s, files, nf, false);
    for (size_t i = 0; i < nd; i++) list_dir(s, dirs[i].path, n > 1 || s->recursive);
    ent_free(files, nf);
    ent_free(dirs, nd);
}

int util_ls_main(UtilCtx *c, int argc, char **argv) {
    Ls s = {.c = c, .sort = 'n'};
    UOpts o;
    uopt_init(&o, c, argc, argv, "1aACdfFgGhHilLnoprRsStUvx", ls_longs);
    int k, r = -1;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) r = ls_option(&s, k);
    if (r >= 0) {
        uopt_free(&o);
        return r;
    }
    s.now = time(NULL);
    uout_init(&s.out, c, 1);
    if (!o.ops.n) sl_push_copy(&o.ops, ".");
    ls_operands(&s, &o.ops);
    uopt_free(&o);
    if (uout_close(&s.out)) return s.out.err == EPIPE ? 1 : 2; /* EPIPE: the shell reports 141 */
    return s.status;
}
