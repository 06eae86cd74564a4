/* diskutils.c - du, df and dd.
 * du walks directories in readdir order as GNU's fts does, counting hard
 * links once. df describes the session's one file system with fixed sizes
 * (MEMFS has no capacity of its own; the run's memory budget is the real
 * limit). dd copies with GNU's block semantics and prints its records
 * summary on stderr. */
#include "statfix.h"
#include "ucommon.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* GNU human_readable with -h (1024) or --si (1000): one decimal below 10, rounded up. */
static void human(uintmax_t v, bool si, char *buf, size_t cap) {
    static const char units[] = "KMGTPEZY";
    double base = si ? 1000 : 1024;
    if ((double)v < base) {
        snprintf(buf, cap, "%ju", v);
        return;
    }
    double x = (double)v;
    int u = -1;
    while (x >= base && u < 7) x /= base, u++;
    char unit = si && u == 0 ? 'k' : units[u];
    if (x < 10) {
        double t = (double)(uintmax_t)(x * 10);
        if (t < x * 10) t += 1;
        if (t >= 100) snprintf(buf, cap, "10%c", unit);
        else snprintf(buf, cap, "%.1f%c", t / 10, unit);
    } else {
        uintmax_t t = (uintmax_t)x;
        if ((double)t < x) t++;
        if ((double)t >= base && u < 7) snprintf(buf, cap, "1.0%c", si && u + 1 == 0 ? 'k' : units[u + 1]);
        else snprintf(buf, cap, "%ju%c", t, unit);
    }
}

/* ================= du ================= */

typedef struct DevIno {
    dev_t dev;
    ino_t ino;
} DevIno;

typedef struct Du {
    UtilCtx *c;
    UOut out;
    bool all, summarize, total, apparent, human, si, deref, deref_args, separate, null, count_links, one_fs;
    long max_depth; /* -1: none */
    uintmax_t block; /* output unit in bytes; 0 for -h */
    StrList exclude;
    DevIno *seen;
    size_t nseen, capseen;
    int status;
    dev_t top_dev;
} Du;

static bool du_seen(Du *d, const struct stat *st) {
    if (st->st_nlink < 2 || S_ISDIR(st->st_mode) || d->count_links) return false;
    for (size_t i = 0; i < d->nseen; i++)
        if (d->seen[i].dev == st->st_dev && d->seen[i].ino == st->st_ino) return true;
    if (d->nseen == d->capseen) d->seen = xrealloc(d->seen, (d->capseen = d->capseen * 2 + 16) * sizeof *d->seen);
    d->seen[d->nseen++] = (DevIno){st->st_dev, st->st_ino};
    return false;
}

static uintmax_t du_size(const Du *d, const struct stat *st) {
    if (d->apparent) return S_ISREG(st->st_mode) || S_ISLNK(st->st_mode) || S_ISDIR(st->st_mode) ? (uintmax_t)st->st_size : 0;
    return (uintmax_t)st->st_blocks * 512;
}

static void du_print(Du *d, uintmax_t bytes, const char *path) {
    char buf[64];
    if (d->human) human(bytes, d->si, buf, sizeof buf);
    else snprintf(buf, sizeof buf, "%ju", (bytes + d->block - 1) / d->block);
    uout_printf(&d->out, "%s\t%s%c", buf, path, d->null ? '\0' : '\n');
}

static bool du_excluded(const Du *d, const char *name) {
    for (size_t i = 0; i < d->exclude.n; i++)
        if (!fnmatch(d->exclude.v[i], name, 0)) return true;
    return false;
}

/* Returns the bytes under path (counted once); prints as the options ask. */
static uintmax_t du_walk(Du *d, const char *path, long depth, bool top, bool *was_dir) {
    struct stat st;
    bool follow = d->deref || (top && d->deref_args);
    *was_dir = false;
    if ((follow ? stat(path, &st) : lstat(path, &st)) != 0) {
        u_err_op(d->c, "cannot access", path, errno);
        d->status = 1;
        return 0;
    }
    u_stat_fix_blocks(&st);
    if (top) d->top_dev = st.st_dev;
    if (!top && d->one_fs && st.st_dev != d->top_dev) return 0;
    if (du_seen(d, &st)) return 0;
    uintmax_t own = du_size(d, &st), sub = 0, direct = 0;
    if (S_ISDIR(st.st_mode)) {
        *was_dir = true;
        DIR *dir = opendir(path);
        if (!dir) {
            u_err_op(d->c, "cannot read directory", path, errno);
            d->status = 1;
        } else {
            struct dirent *de;
            StrList names;
            sl_init(&names);
            while ((de = readdir(dir)))
                if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") && !du_excluded(d, de->d_name))
                    sl_push_copy(&names, de->d_name);
            closedir(dir);
            for (size_t i = 0; i < names.n && !uc_should_stop(d->c); i++) {
                size_t pl = strlen(path);
                char *child = xmalloc(pl + strlen(names.v[i]) + 2);
                sprintf(child, "%s%s%s", path, pl && path[pl - 1] == '/' ? "" : "/", names.v[i]);
                bool child_dir;
                uintmax_t n = du_walk(d, child, depth + 1, false, &child_dir);
                sub += n;
                if (!child_dir) direct += n;
                free(child);
            }
            sl_free(&names);
        }
        uintmax_t shown = d->separate ? own + direct : own + sub;
        if (!d->summarize || top)
            if (d->max_depth < 0 || depth <= d->max_depth) du_print(d, shown, path);
    } else if ((d->all || top) && (d->max_depth < 0 || depth <= d->max_depth)) {
        du_print(d, own, path);
    }
    return own + sub;
}

static const UOptLong du_longs[] = {
    {"all", UO_NOARG, 'a'},          {"apparent-size", UO_NOARG, 'A'}, {"bytes", UO_NOARG, 'b'},
    {"total", UO_NOARG, 'c'},        {"max-depth", UO_REQ, 'd'},      {"human-readable", UO_NOARG, 'h'},
    {"si", UO_NOARG, 'H' + 0x100},   {"dereference", UO_NOARG, 'L'},  {"dereference-args", UO_NOARG, 'D'},
    {"summarize", UO_NOARG, 's'},    {"separate-dirs", UO_NOARG, 'S'}, {"null", UO_NOARG, '0'},
    {"count-links", UO_NOARG, 'l'},  {"one-file-system", UO_NOARG, 'x'}, {"exclude", UO_REQ, 'X' + 0x100},
    {"block-size", UO_REQ, 'B'},     {"no-dereference", UO_NOARG, 'P'}, {NULL, 0, 0},
};

static int du_option(Du *d, int k, const char *arg) {
    uintmax_t v;
    switch (k) {
    case 'a': d->all = true; return -1;
    case 'A': d->apparent = true; return -1;
    case 'b': d->apparent = true, d->block = 1, d->human = false; return -1;
    case 'c': d->total = true; return -1;
    case 'd':
        if (!u_parse_uint(arg, &v)) {
            char *q = u_quote(arg);
            uc_error(d->c, "invalid maximum depth %s", q);
            free(q);
            u_try_help(d->c);
            return 1;
        }
        d->max_depth = (long)v;
        return -1;
    case 'h': d->human = true, d->si = false; return -1;
    case 'H' + 0x100: d->human = d->si = true; return -1;
    case 'k': d->block = 1024, d->human = false; return -1;
    case 'm': d->block = 1024 * 1024, d->human = false; return -1;
    case 'B':
        if (u_parse_size(arg, &v) || !v) {
            char *q = u_quote(arg);
            uc_error(d->c, "invalid --block-size argument %s", q);
            free(q);
            return 1;
        }
        d->block = v, d->human = false;
        return -1;
    case 'L': d->deref = true; return -1;
    case 'D': case 'H': d->deref_args = true; return -1;
    case 'P': d->deref = false; return -1;
    case 's': d->summarize = true; return -1;
    case 'S': d->separate = true; return -1;
    case '0': d->null = true; return -1;
    case 'l': d->count_links = true; return -1;
    case 'x': d->one_fs = true; return -1;
    case 'X' + 0x100: sl_push_copy(&d->exclude, arg); return -1;
    case UO_HELP: return u_help(d->c, "[OPTION]... [FILE]...");
    case UO_VERSION: return u_version(d->c);
    default: return 1;
    }
}

int util_du_main(UtilCtx *c, int argc, char **argv) {
    Du d = {.c = c, .max_depth = -1, .block = 1024};
    sl_init(&d.exclude);
    UOpts o;
    uopt_init(&o, c, argc, argv, "0abcd:hHklLmsSxB:DP", du_longs);
    int k, r = -1;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) r = du_option(&d, k, o.arg);
    if (r < 0 && d.summarize && d.all) {
        uc_error(c, "cannot both summarize and show all entries");
        u_try_help(c);
        r = 1;
    }
    if (r < 0 && d.summarize && d.max_depth > 0) {
        uc_error(c, "warning: summarizing conflicts with --max-depth=%ld", d.max_depth);
        u_try_help(c);
        r = 1;
    }
    if (r >= 0) {
        uopt_free(&o);
        sl_free(&d.exclude);
        return r;
    }
    if (d.summarize) d.max_depth = 0;
    uout_init(&d.out, c, 1);
    if (!o.ops.n) sl_push_copy(&o.ops, ".");
    uintmax_t total = 0;
    for (size_t i = 0; i < o.ops.n; i++) {
        bool dir;
        total += du_walk(&d, o.ops.v[i], 0, true, &dir);
    }
    if (d.total) du_print(&d, total, "total");
    int w = uout_close(&d.out);
    free(d.seen);
    sl_free(&d.exclude);
    uopt_free(&o);
    return d.status | w;
}

/* ================= df ================= */

/* The file system everything lives on, with fixed figures: 4 GiB, of which
 * what the files below / use is not tracked (MEMFS has no capacity). */
#define DF_TOTAL_K 4194304ULL
#define DF_USED_K 0ULL
#define DF_INODES 1048576ULL

static const UOptLong df_longs[] = {
    {"human-readable", UO_NOARG, 'h'}, {"si", UO_NOARG, 'H'}, {"inodes", UO_NOARG, 'i'},
    {"portability", UO_NOARG, 'P'},    {"print-type", UO_NOARG, 'T'}, {"all", UO_NOARG, 'a'},
    {"local", UO_NOARG, 'l'},          {"total", UO_NOARG, 'c' + 0x100}, {"block-size", UO_REQ, 'B'},
    {"type", UO_REQ, 't'},             {"exclude-type", UO_REQ, 'x'}, {"output", UO_OPT, 'O' + 0x100},
    {"sync", UO_NOARG, 's' + 0x100},   {"no-sync", UO_NOARG, 'n' + 0x100}, {NULL, 0, 0},
};

/* GNU df's fields: name, header, minimum width, left-aligned. */
enum { DF_SOURCE, DF_FSTYPE, DF_ITOTAL, DF_IUSED, DF_IAVAIL, DF_IPCENT, DF_SIZE, DF_USED, DF_AVAIL, DF_PCENT,
       DF_FILE, DF_TARGET, DF_NFIELDS };

static const struct {
    const char *name, *header;
    int min_width;
    bool left;
} df_fields[DF_NFIELDS] = {
    {"source", "Filesystem", 14, true}, {"fstype", "Type", 4, true},  {"itotal", "Inodes", 5, false},
    {"iused", "IUsed", 5, false},       {"iavail", "IFree", 5, false}, {"ipcent", "IUse%", 4, false},
    {"size", "1K-blocks", 5, false},    {"used", "Used", 5, false},    {"avail", "Avail", 5, false},
    {"pcent", "Use%", 4, false},        {"file", "File", 4, true},     {"target", "Mounted on", 0, true},
};

typedef struct DfOpts {
    bool human, si, inodes, posix, type, total, output;
    uintmax_t block;
    int cols[DF_NFIELDS], ncols;
} DfOpts;

/* --output=LIST; false after GNU's message. */
static bool df_output_list(UtilCtx *c, DfOpts *d, const char *list) {
    d->output = true;
    if (!list) {
        for (int i = 0; i < DF_NFIELDS; i++) d->cols[d->ncols++] = i;
        return true;
    }
    char *copy = xstrdup(list), *save = NULL;
    bool ok = true;
    for (char *w = strtok_r(copy, ",", &save); ok && w; w = strtok_r(NULL, ",", &save)) {
        int f = 0;
        while (f < DF_NFIELDS && strcmp(df_fields[f].name, w)) f++;
        for (int j = 0; f < DF_NFIELDS && j < d->ncols; j++)
            if (d->cols[j] == f) {
                char *q = u_quote(w);
                uc_error(c, "option --output: field %s used more than once", q);
                free(q);
                ok = false;
            }
        if (f == DF_NFIELDS) {
            char *q = u_quote(w);
            uc_error(c, "option --output: field %s unknown", q);
            free(q);
            ok = false;
        }
        if (ok) d->cols[d->ncols++] = f;
    }
    free(copy);
    if (!ok) u_try_help(c);
    return ok;
}

static void df_number(const DfOpts *d, uintmax_t v, bool inode, char *buf, size_t cap) {
    if (d->human) human(v * (inode ? 1 : d->block), inode || d->si, buf, cap);
    else snprintf(buf, cap, "%ju", v);
}

/* The cell of field f in the row for operand (NULL: no operand, or total). */
static void df_cell(const DfOpts *d, int f, const char *operand, bool total, char *buf, size_t cap) {
    uintmax_t size = DF_TOTAL_K * 1024 / d->block, used = DF_USED_K * 1024 / d->block;
    switch (f) {
    case DF_SOURCE: snprintf(buf, cap, "%s", total ? "total" : "memfs"); break;
    case DF_FSTYPE: snprintf(buf, cap, "%s", total ? "-" : "memfs"); break;
    case DF_ITOTAL: case DF_IAVAIL: df_number(d, DF_INODES, true, buf, cap); break;
    case DF_IUSED: df_number(d, 0, true, buf, cap); break;
    case DF_SIZE: df_number(d, size, false, buf, cap); break;
    case DF_USED: df_number(d, used, false, buf, cap); break;
    case DF_AVAIL: df_number(d, size - used, false, buf, cap); break;
    case DF_IPCENT: case DF_PCENT: snprintf(buf, cap, "0%%"); break;
    case DF_FILE: snprintf(buf, cap, "%s", operand && !total ? operand : "-"); break;
    default: snprintf(buf, cap, "%s", total ? "-" : "/"); break;
    }
}

static void df_header(const DfOpts *d, int f, char *buf, size_t cap) {
    const char *h = df_fields[f].header;
    if (f == DF_SIZE) {
        if (d->human) h = "Size";
        else if (d->block == 1024) h = d->posix ? "1024-blocks" : "1K-blocks";
        else if (d->block == 1024 * 1024) h = "1M-blocks";
        else {
            snprintf(buf, cap, "%ju-blocks", d->block);
            return;
        }
    } else if (f == DF_AVAIL && !d->output && !d->human) {
        h = "Available";
    } else if (f == DF_PCENT && d->posix) {
        h = "Capacity";
    }
    snprintf(buf, cap, "%s", h);
}

/* Prints the table: widths over all rows, text left and numbers right,
 * the last column unpadded, as GNU's df. */
static void df_print(UOut *out, const DfOpts *d, const StrList *rows_ops, size_t nrows) {
    size_t total_rows = 1 + nrows + (d->total ? 1 : 0);
    char (*cells)[48] = xcalloc(total_rows * (size_t)d->ncols, sizeof *cells);
    int width[DF_NFIELDS] = {0};
    for (size_t r = 0; r < total_rows; r++)
        for (int j = 0; j < d->ncols; j++) {
            int f = d->cols[j];
            char *cell = cells[r * (size_t)d->ncols + (size_t)j];
            if (!r) df_header(d, f, cell, 48);
            else df_cell(d, f, r - 1 < rows_ops->n ? rows_ops->v[r - 1] : NULL, r == nrows + 1, cell, 48);
            int len = (int)strlen(cell);
            if (len > width[j]) width[j] = len;
            if (df_fields[f].min_width > width[j]) width[j] = df_fields[f].min_width;
        }
    for (size_t r = 0; r < total_rows; r++) {
        for (int j = 0; j < d->ncols; j++) {
            const char *cell = cells[r * (size_t)d->ncols + (size_t)j];
            bool last = j == d->ncols - 1;
            if (j) uout_putc(out, ' ');
            if (df_fields[d->cols[j]].left && last) uout_puts(out, cell);
            else if (df_fields[d->cols[j]].left) uout_printf(out, "%-*s", width[j], cell);
            else uout_printf(out, "%*s", width[j], cell);
        }
        uout_putc(out, '\n');
    }
    free(cells);
}

int util_df_main(UtilCtx *c, int argc, char **argv) {
    UOpts o;
    uopt_init(&o, c, argc, argv, "aB:hHiklmPTt:vx:", df_longs);
    int k, r = -1;
    DfOpts d = {.block = 1024};
    const char *conflict = NULL;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) {
        switch (k) {
        case 'h': d.human = true, d.si = false; break;
        case 'H': d.human = d.si = true; break;
        case 'i': d.inodes = true, conflict = "-i"; break;
        case 'P': d.posix = true, conflict = "-P"; break;
        case 'T': d.type = true, conflict = "-T"; break;
        case 'k': d.block = 1024; break;
        case 'm': d.block = 1024 * 1024; break;
        case 'B':
            if (u_parse_size(o.arg, &d.block) || !d.block) {
                char *q = u_quote(o.arg);
                uc_error(c, "invalid --block-size argument %s", q);
                free(q);
                r = 1;
            }
            break;
        case 'c' + 0x100: d.total = true; break;
        case 'O' + 0x100: if (!df_output_list(c, &d, o.arg)) r = 1; break;
        case 'a': case 'l': case 't': case 'x': case 'v': case 's' + 0x100: case 'n' + 0x100: break;
        case UO_HELP: r = u_help(c, "[OPTION]... [FILE]..."); break;
        case UO_VERSION: r = u_version(c); break;
        default: r = 1; break;
        }
    }
    if (r < 0 && d.output && conflict) {
        uc_error(c, "options %s and --output are mutually exclusive", conflict);
        u_try_help(c);
        r = 1;
    }
    if (r < 0 && !d.output) {
        d.cols[d.ncols++] = DF_SOURCE;
        if (d.type) d.cols[d.ncols++] = DF_FSTYPE;
        static const int blocks[] = {DF_SIZE, DF_USED, DF_AVAIL, DF_PCENT}, inodes[] = {DF_ITOTAL, DF_IUSED, DF_IAVAIL, DF_IPCENT};
        for (int i = 0; i < 4; i++) d.cols[d.ncols++] = d.inodes ? inodes[i] : blocks[i];
        d.cols[d.ncols++] = DF_TARGET;
    }
    StrList valid;
    sl_init(&valid);
    int status = 0;
    for (size_t i = 0; r < 0 && i < o.ops.n; i++) {
        struct stat st;
        if (stat(o.ops.v[i], &st) != 0) u_err_file(c, o.ops.v[i], errno), status = 1;
        else sl_push_copy(&valid, o.ops.v[i]);
    }
    if (r < 0 && (!o.ops.n || valid.n)) {
        UOut out;
        uout_init(&out, c, 1);
        df_print(&out, &d, &valid, o.ops.n ? valid.n : 1);
        status |= uout_close(&out);
    }
    sl_free(&valid);
    uopt_free(&o);
    return r >= 0 ? r : status;
}

/* ================= dd ================= */

typedef struct Dd {
    UtilCtx *c;
    const char *in, *out;
    uintmax_t ibs, obs, count, skip, seek;
    bool have_count;
    bool notrunc, noerror, sync_pad, ucase, lcase, swab, excl, nocreat, fullblock;
    bool skip_bytes, count_bytes, seek_bytes, append;
    int status; /* 0 default, 1 noxfer, 2 none, 3 progress */
} Dd;

static bool dd_flag_list(Dd *d, const char *what, const char *list) {
    char *copy = xstrdup(list);
    bool ok = true;
    for (char *tok = strtok(copy, ","); tok && ok; tok = strtok(NULL, ",")) {
        static const char *const conv[] = {"notrunc", "noerror", "sync", "ucase", "lcase", "swab", "excl", "nocreat",
                                           "fsync", "fdatasync", "block", "unblock", "ascii", "ebcdic", "ibm",
                                           "sparse", NULL};
        static const char *const flags[] = {"skip_bytes", "count_bytes", "seek_bytes", "append", "fullblock",
                                            "direct", "dsync", "sync", "nonblock", "noatime", "nocache", "noctty",
                                            "nofollow", "binary", "text", "directory", NULL};
        const char *const *names = !strcmp(what, "conv") ? conv : flags;
        int i = 0;
        while (names[i] && strcmp(names[i], tok)) i++;
        if (!names[i]) {
            char *q = u_quote(tok);
            uc_error(d->c, "invalid %s: %s", !strcmp(what, "conv") ? "conversion" : "input flag", q);
            free(q);
            u_try_help(d->c);
            ok = false;
            break;
        }
        if (!strcmp(what, "conv")) {
            if (i == 0) d->notrunc = true;
            else if (i == 1) d->noerror = true;
            else if (i == 2) d->sync_pad = true;
            else if (i == 3) d->ucase = true;
            else if (i == 4) d->lcase = true;
            else if (i == 5) d->swab = true;
            else if (i == 6) d->excl = true;
            else if (i == 7) d->nocreat = true;
        } else {
            if (i == 0) d->skip_bytes = true;
            else if (i == 1) d->count_bytes = true;
            else if (i == 2) d->seek_bytes = true;
            else if (i == 3) d->append = true;
            else if (i == 4) d->fullblock = true;
        }
    }
    free(copy);
    return ok;
}

/* dd's numbers: sizes with suffixes, c w b, and products "2x512". */
static bool dd_number(const char *s, uintmax_t *out) {
    uintmax_t total = 1;
    char *copy = xstrdup(s);
    bool ok = true;
    for (char *tok = copy; ok;) {
        char *x = strchr(tok, 'x');
        if (x) *x = 0;
        size_t n = strlen(tok);
        uintmax_t v = 0, mult = 1;
        if (n && tok[n - 1] == 'c') tok[--n] = 0;
        else if (n && tok[n - 1] == 'w') tok[--n] = 0, mult = 2;
        if (!n || u_parse_size(tok, &v)) ok = false;
        total *= v * mult;
        if (!x) break;
        tok = x + 1;
    }
    free(copy);
    *out = total;
    return ok;
}

static int dd_operand(Dd *d, const char *op) {
    const char *eq = strchr(op, '=');
    if (!eq) {
        char *q = u_quote(op);
        uc_error(d->c, "unrecognized operand %s", q);
        free(q);
        u_try_help(d->c);
        return 1;
    }
    size_t kl = (size_t)(eq - op);
    const char *v = eq + 1;
#define KEY(s) (kl == strlen(s) && !strncmp(op, s, kl))
    if (KEY("if")) d->in = v;
    else if (KEY("of")) d->out = v;
    else if (KEY("conv")) return dd_flag_list(d, "conv", v) ? -1 : 1;
    else if (KEY("iflag") || KEY("oflag")) return dd_flag_list(d, "flag", v) ? -1 : 1;
    else if (KEY("status")) {
        if (!strcmp(v, "none")) d->status = 2;
        else if (!strcmp(v, "noxfer")) d->status = 1;
        else if (!strcmp(v, "progress")) d->status = 0;
        else {
            char *q = u_quote(v);
            uc_error(d->c, "invalid status level: %s", q);
            free(q);
            u_try_help(d->c);
            return 1;
        }
    } else if (KEY("bs") || KEY("ibs") || KEY("obs") || KEY("count") || KEY("skip") || KEY("seek") ||
               KEY("iseek") || KEY("oseek") || KEY("cbs")) {
        uintmax_t n;
        bool block = KEY("bs") || KEY("ibs") || KEY("obs") || KEY("cbs");
        if (!dd_number(v, &n) || (block && n == 0)) {
            char *q = u_quote(v);
            uc_error(d->c, "invalid number: %s", q);
            free(q);
            return 1;
        }
        if (KEY("bs")) d->ibs = d->obs = n;
        else if (KEY("ibs")) d->ibs = n;
        else if (KEY("obs")) d->obs = n;
        else if (KEY("count")) d->count = n, d->have_count = true;
        else if (KEY("skip") || KEY("iseek")) d->skip = n;
        else if (KEY("seek") || KEY("oseek")) d->seek = n;
    } else {
        char *q = u_quote(op);
        uc_error(d->c, "unrecognized operand %s", q);
        free(q);
        u_try_help(d->c);
        return 1;
    }
#undef KEY
    return -1;
}

static void dd_summary(Dd *d, uintmax_t in_full, uintmax_t in_part, uintmax_t out_full, uintmax_t out_part,
                       uintmax_t bytes, double secs) {
    if (d->status == 2) return;
    StrBuf b;
    sb_init(&b);
    sb_printf(&b, "%ju+%ju records in\n%ju+%ju records out\n", in_full, in_part, out_full, out_part);
    if (d->status != 1) {
        char si[32], bi[32];
        if (bytes == 1) sb_puts(&b, "1 byte copied");
        else if (bytes < 1000) sb_printf(&b, "%ju bytes copied", bytes);
        else {
            human(bytes, true, si, sizeof si);
            human(bytes, false, bi, sizeof bi);
            sb_printf(&b, "%ju bytes (%sB, %siB) copied", bytes, si, bi);
        }
        if (secs <= 0) secs = 1e-6;
        char rate[32];
        human((uintmax_t)((double)bytes / secs), true, rate, sizeof rate);
        sb_printf(&b, ", %g s, %sB/s\n", secs, rate);
    }
    uc_write(d->c, 2, b.s, b.len);
    sb_free(&b);
}

static int dd_run(Dd *d) {
    UcFile *in = d->in ? uc_open(d->c, d->in, "r") : uc_open(d->c, "-", "r");
    if (!in) {
        u_err_op(d->c, "failed to open", d->in, errno);
        return 1;
    }
    int outfd = -1;
    UcFile *outf = NULL;
    if (d->out) {
        int flags = O_WRONLY | (d->nocreat ? 0 : O_CREAT) | (d->excl ? O_EXCL : 0) | (d->append ? O_APPEND : 0);
        outfd = open(d->out, flags, 0666);
        if (outfd < 0) {
            u_err_op(d->c, "failed to open", d->out, errno);
            uc_close(in);
            return 1;
        }
        off_t at = (off_t)(d->seek_bytes ? d->seek : d->seek * d->obs);
        if (!d->notrunc && !d->append) {
            struct stat st;
            if (fstat(outfd, &st) == 0 && S_ISREG(st.st_mode)) ftruncate(outfd, at);
        }
        if (at) lseek(outfd, at, SEEK_SET);
    } else {
        outf = uc_open(d->c, "-", "w");
    }
    /* skip input: read and drop */
    uintmax_t skip = d->skip_bytes ? d->skip : d->skip * d->ibs;
    char *buf = xmalloc(d->ibs > d->obs ? d->ibs : d->obs);
    while (skip) {
        ssize_t n = uc_fread(in, buf, skip < d->ibs ? (size_t)skip : (size_t)d->ibs);
        if (n <= 0) break;
        skip -= (uintmax_t)n;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    uintmax_t in_full = 0, in_part = 0, out_full = 0, out_part = 0, bytes = 0;
    uintmax_t left = d->count_bytes ? d->count : 0;
    StrBuf pend;
    sb_init(&pend);
    int status = 0;
    for (uintmax_t rec = 0; !d->have_count || (d->count_bytes ? left > 0 : rec < d->count); rec++) {
        if (uc_should_stop(d->c)) break;
        size_t want = (size_t)d->ibs;
        if (d->count_bytes && left < want) want = (size_t)left;
        size_t got = 0;
        ssize_t n;
        do {
            n = uc_fread(in, buf + got, want - got);
            if (n > 0) got += (size_t)n;
        } while (n > 0 && d->fullblock && got < want);
        if (n < 0 && !got) {
            u_err_op(d->c, "error reading", d->in ? d->in : "standard input", errno);
            status = 1;
            break;
        }
        if (!got) break;
        if (got == d->ibs) in_full++;
        else in_part++;
        if (d->count_bytes) left -= got;
        if (d->sync_pad && got < d->ibs) memset(buf + got, 0, (size_t)d->ibs - got), got = (size_t)d->ibs;
        for (size_t i = 0; i < got; i++) {
            if (d->ucase && buf[i] >= 'a' && buf[i] <= 'z') buf[i] = (char)(buf[i] - 32);
            if (d->lcase && buf[i] >= 'A' && buf[i] <= 'Z') buf[i] = (char)(buf[i] + 32);
        }
        if (d->swab)
            for (size_t i = 0; i + 1 < got; i += 2) {
                char t = buf[i];
                buf[i] = buf[i + 1], buf[i + 1] = t;
            }
        sb_put(&pend, buf, got);
        while (pend.len >= d->obs) {
            int w = outf ? uc_fwrite(outf, pend.s, (size_t)d->obs) : (write(outfd, pend.s, (size_t)d->obs) == (ssize_t)d->obs ? 0 : -1);
            if (w < 0) {
                status = 1;
                break;
            }
            out_full++, bytes += d->obs;
            memmove(pend.s, pend.s + d->obs, pend.len - (size_t)d->obs);
            pend.len -= (size_t)d->obs;
        }
        if (status) break;
    }
    if (!status && pend.len) {
        int w = outf ? uc_fwrite(outf, pend.s, pend.len) : (write(outfd, pend.s, pend.len) == (ssize_t)pend.len ? 0 : -1);
        if (w == 0) out_part++, bytes += pend.len;
        else status = 1;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    sb_free(&pend);
    free(buf);
    uc_close(in);
    if (outf) uc_close(outf);
    if (outfd >= 0) close(outfd);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    dd_summary(d, in_full, in_part, out_full, out_part, bytes, secs);
    return status;
}

int util_dd_main(UtilCtx *c, int argc, char **argv) {
    Dd d = {.c = c, .ibs = 512, .obs = 512};
    int r = -1;
    for (int i = 1; r < 0 && i < argc; i++) {
        if (!strcmp(argv[i], "--help")) r = u_help(c, "[OPERAND]...");
        else if (!strcmp(argv[i], "--version")) r = u_version(c);
        else if (!strcmp(argv[i], "--")) continue;
        else r = dd_operand(&d, argv[i]);
    }
    if (r >= 0) return r;
    return dd_run(&d);
}
