/* find_eval.c - evaluating find's expression on one file: the tests, and the
 * actions -print -delete -prune -quit and the -exec family. Commands run
 * in-process through uc_spawn, like separate programs (a copy of the shell
 * state); "{} +" commands collect names up to GNU's 128 KiB command buffer. */
#include "find.h"
#include "ident.h"
#include "pattern.h"
#include "regex.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* GNU's buffer for one command line: the arguments with their NULs. */
enum { EXEC_ARG_MAX = 131072 };

static int type_index_of(mode_t m) {
    switch (m & S_IFMT) {
    case S_IFBLK: return 0;
    case S_IFCHR: return 1;
    case S_IFDIR: return 2;
    case S_IFIFO: return 3;
    case S_IFREG: return 4;
    case S_IFLNK: return 5;
    case S_IFSOCK: return 6;
    default: return -1;
    }
}

static bool cmp_num(int cmp, uintmax_t have, uintmax_t want) {
    switch (cmp) {
    case CMP_GT: return have > want;
    case CMP_LT: return have < want;
    default: return have == want;
    }
}

static int ts_cmp(struct timespec a, struct timespec b) {
    if (a.tv_sec != b.tv_sec) return a.tv_sec < b.tv_sec ? -1 : 1;
    if (a.tv_nsec != b.tv_nsec) return a.tv_nsec < b.tv_nsec ? -1 : 1;
    return 0;
}

static struct timespec file_time(const struct stat *st, int which) {
    switch (which) {
    case TIME_A: return st->st_atim;
    case TIME_C: return st->st_ctim;
    default: return st->st_mtim;
    }
}

/* GNU's pred_timewindow: +N and -N compare with the reference time, N means
 * within [ref, ref + window). */
static bool time_window(struct timespec ts, const FNode *n) {
    switch (n->num_cmp) {
    case CMP_GT: return ts_cmp(ts, n->ref) > 0;
    case CMP_LT: return ts_cmp(ts, n->ref) < 0;
    default: {
        double d = (double)(ts.tv_sec - n->ref.tv_sec) + (ts.tv_nsec - n->ref.tv_nsec) / 1e9;
        return d >= 0.0 && d < n->window;
    }
    }
}

static bool eval_used(const FNode *n, const struct stat *st) {
    struct timespec d;
    d.tv_sec = st->st_atim.tv_sec - st->st_ctim.tv_sec;
    d.tv_nsec = st->st_atim.tv_nsec - st->st_ctim.tv_nsec;
    if (d.tv_nsec < 0) d.tv_nsec += 1000000000L, d.tv_sec--;
    return time_window(d, n);
}

static bool eval_size(const FNode *n, const struct stat *st) {
    uintmax_t size = st->st_size < 0 ? 0 : (uintmax_t)st->st_size;
    uintmax_t units = size / n->blocksize + (size % n->blocksize != 0);
    return cmp_num(n->num_cmp, units, n->num);
}

static bool eval_empty(Find *f, const FFile *ff) {
    if (S_ISREG(ff->st.st_mode)) return ff->st.st_size == 0;
    if (!S_ISDIR(ff->st.st_mode)) return false;
    DIR *d = opendir(ff->path);
    if (!d) {
        find_error_file(f, ff->path, errno);
        return false;
    }
    bool empty = true;
    struct dirent *e;
    while (empty && (e = readdir(d))) {
        const char *s = e->d_name;
        if (!(s[0] == '.' && (!s[1] || (s[1] == '.' && !s[2])))) empty = false;
    }
    closedir(d);
    return empty;
}

static bool eval_perm(const FNode *n, mode_t mode) {
    mode_t want = n->perm[S_ISDIR(mode) ? 1 : 0];
    mode_t have = mode & 07777;
    switch (n->perm_kind) {
    case '-': return (have & want) == want;
    case '/': return want == 0 || (have & want) != 0;
    default: return have == want;
    }
}

static bool following(const Find *f) {
    return f->follow == FOLLOW_ALWAYS || (f->follow == FOLLOW_ARGS && f->cur_depth == 0);
}

/* -xtype: the type seen with the opposite of the follow mode. */
static bool eval_xtype(Find *f, const FNode *n, const FFile *ff) {
    struct stat st;
    int r;
    if (following(f)) r = lstat(ff->path, &st);
    else {
        r = stat(ff->path, &st);
        if (r != 0 && (errno == ENOENT || errno == ENOTDIR)) r = lstat(ff->path, &st);
    }
    if (r != 0) {
        if (following(f) && errno == ENOENT) st = ff->st;
        else {
            find_error_file(f, ff->path, errno);
            return false;
        }
    }
    int t = type_index_of(st.st_mode);
    return t >= 0 && n->types[t];
}

static bool eval_lname(Find *f, const FNode *n, const FFile *ff) {
    if (!S_ISLNK(ff->st.st_mode)) return false;
    char buf[4096];
    ssize_t len = readlink(ff->path, buf, sizeof buf - 1);
    if (len < 0) {
        find_error_file(f, ff->path, errno);
        return false;
    }
    buf[len] = '\0';
    return pattern_match(n->arg, buf, n->icase ? PM_NOCASE : 0);
}

/* The file system type of a device, from the mount table ("unknown" when
 * there is none, as in the wasm builds). */
static bool fstype_of(dev_t dev, char *out, size_t cap) {
    FILE *m = fopen("/proc/self/mountinfo", "r");
    bool found = false;
    if (!m) return false;
    char line[4096];
    while (fgets(line, sizeof line, m)) {
        unsigned maj, min;
        if (sscanf(line, "%*s %*s %u:%u", &maj, &min) != 2) continue;
        const char *sep = strstr(line, " - ");
        if (!sep || makedev(maj, min) != dev) continue;
        if (sscanf(sep + 3, "%255s", out) == 1 && strlen(out) < cap) found = true;
    }
    fclose(m);
    return found;
}

const char *find_fstype(dev_t dev, char buf[256]) {
    return fstype_of(dev, buf, 256) ? buf : "unknown";
}

static bool regex_stop(void *c) { return uc_should_stop(c); }

/* -regex matches the whole path. */
static bool eval_regex(Find *f, const FNode *n, const FFile *ff) {
    size_t len = strlen(ff->path);
    RxExec ex = {RX_ANCHORED, regex_stop, f->c};
    RxSpan m;
    int r = rx_search(n->regex, ff->path, len, 0, &ex, &m, 1);
    return r == RX_MATCH && m.so == 0 && (size_t)m.eo == len;
}

/* ---------- -delete ---------- */

static bool eval_delete(Find *f, const FFile *ff) {
    if (f->cur_depth == 0 && !strcmp(ff->path, ".")) return true;
    bool dir = S_ISDIR(ff->st.st_mode);
    int r = dir ? rmdir(ff->path) : unlink(ff->path);
    if (r != 0 && !dir && errno == EISDIR) r = rmdir(ff->path);
    if (r == 0) return true;
    int err = errno;
    char *q = u_quote(ff->path);
    uc_error(f->c, "cannot delete %s: %s", q, strerror(err));
    free(q);
    f->status = 1;
    return false;
}

/* ---------- -exec and friends ---------- */

static void flush_outputs(Find *f) {
    for (size_t i = 0; i < f->nouts; i++) uout_flush(&f->outs[i]->out);
}

/* Runs argv and returns its exit status; 127 when it could not be started
 * (reported here, as GNU find reports a failed exec). */
static int run_command(Find *f, char **argv, const char *dir, bool null_stdin) {
    flush_outputs(f);
    UcSpawn how = {dir, null_stdin, NULL};
    int st = uc_spawn(f->c, argv, &how);
    if (st < 0) {
        int err = errno;
        char *q = u_quote(dir && err != ENOENT && err != EACCES ? dir : argv[0]);
        uc_error(f->c, "%s: %s", q, strerror(err));
        free(q);
        return 127;
    }
    if (st == 128 + 13) {
        char *q = u_quote(argv[0]);
        uc_error(f->c, "%s terminated by signal 13", q);
        free(q);
    }
    return st;
}

/* Replaces every "{}" in s with name. */
static char *replace_braces(const char *s, const char *name) {
    StrBuf b;
    sb_init(&b);
    for (const char *p = s; *p;) {
        const char *at = strstr(p, "{}");
        if (!at) {
            sb_puts(&b, p);
            break;
        }
        sb_put(&b, p, (size_t)(at - p));
        sb_puts(&b, name);
        p = at + 2;
    }
    return sb_take(&b);
}

/* -execdir: the directory holding the file and the name to pass ("./base"). */
static void split_for_execdir(const char *path, char **dir, char **arg) {
    size_t n = strlen(path);
    size_t end = n;
    while (end > 1 && path[end - 1] == '/') end--;
    size_t b = end;
    while (b > 0 && path[b - 1] != '/') b--;
    size_t base_len = end - b + (end < n ? 1 : 0);
    const char *base = path + b;
    if (b == end) { /* only slashes: the root */
        *dir = xstrdup("/");
        *arg = xstrdup("/");
        return;
    }
    StrBuf a;
    sb_init(&a);
    sb_puts(&a, "./");
    sb_put(&a, base, base_len);
    *arg = sb_take(&a);
    size_t d = b;
    while (d > 1 && path[d - 1] == '/') d--;
    *dir = d == 0 ? xstrdup(".") : xstrndup(path, d);
}

/* Reads the answer to an -ok prompt: true when it starts with y or Y. */
static bool read_yes(Find *f) {
    char ch;
    bool first = true, yes = false;
    while (uc_read(f->c, 0, &ch, 1) == 1 && ch != '\n') {
        if (first) yes = ch == 'y' || ch == 'Y';
        first = false;
    }
    return yes;
}

static bool ask(Find *f, const FExec *x, const char *name) {
    flush_outputs(f);
    uc_printf(f->c, 2, "< %s ... %s > ? ", x->argv.v[0], name);
    return read_yes(f);
}

static bool exec_one(Find *f, FExec *x, const FFile *ff) {
    char *dir = NULL, *name = NULL;
    if (x->dir) split_for_execdir(ff->path, &dir, &name);
    const char *shown = name ? name : ff->path;
    if (x->ok && !ask(f, x, shown)) {
        free(dir);
        free(name);
        return false;
    }
    StrList av;
    sl_init(&av);
    for (size_t i = 0; i < x->argv.n; i++) sl_push(&av, replace_braces(x->argv.v[i], shown));
    int st = run_command(f, av.v, dir, x->ok);
    sl_free(&av);
    free(dir);
    free(name);
    return st == 0;
}

static void batch_run(Find *f, FExec *x) {
    if (!x->batch.n) return;
    StrList av;
    sl_init(&av);
    for (size_t i = 0; i < x->argv.n; i++) sl_push_copy(&av, x->argv.v[i]);
    for (size_t i = 0; i < x->batch.n; i++) sl_push_copy(&av, x->batch.v[i]);
    sl_clear(&x->batch);
    x->batch_bytes = 0;
    if (run_command(f, av.v, x->batch_dir, false) != 0) f->status = 1;
    sl_free(&av);
}

static size_t template_bytes(const FExec *x) {
    size_t n = 0;
    for (size_t i = 0; i < x->argv.n; i++) n += strlen(x->argv.v[i]) + 1;
    return n;
}

static bool exec_plus(Find *f, FExec *x, const FFile *ff) {
    char *dir = NULL, *name = NULL;
    if (x->dir) {
        split_for_execdir(ff->path, &dir, &name);
        /* a batch runs in one directory; the starting points form their own */
        char *key = xmalloc(strlen(dir) + 2);
        sprintf(key, "%s%s", dir, f->cur_depth == 0 ? "\1" : "");
        if (x->batch_key && strcmp(x->batch_key, key) != 0) batch_run(f, x);
        free(x->batch_key);
        free(x->batch_dir);
        x->batch_key = key;
        x->batch_dir = dir;
    }
    const char *item = name ? name : ff->path;
    size_t len = strlen(item) + 1;
    if (x->batch.n && template_bytes(x) + x->batch_bytes + len > EXEC_ARG_MAX) batch_run(f, x);
    sl_push_copy(&x->batch, item);
    x->batch_bytes += len;
    free(name);
    return true;
}

void find_exec_flush_all(Find *f) {
    for (size_t i = 0; i < f->nexecs; i++)
        if (f->execs[i]->plus) batch_run(f, f->execs[i]);
}

static bool eval_exec(Find *f, FExec *x, const FFile *ff) {
    if (x->plus) return exec_plus(f, x, ff);
    return exec_one(f, x, ff);
}

/* ---------- the evaluator ---------- */

static bool eval_test(Find *f, FNode *n, FFile *ff) {
    const struct stat *st = &ff->st;
    switch (n->kind) {
    case FK_NAME: return pattern_match(n->arg, ff->name, n->icase ? PM_NOCASE : 0);
    case FK_PATH: return pattern_match(n->arg, ff->path, n->icase ? PM_NOCASE : 0);
    case FK_LNAME: return eval_lname(f, n, ff);
    case FK_TYPE: {
        int t = type_index_of(st->st_mode);
        return t >= 0 && n->types[t];
    }
    case FK_XTYPE: return eval_xtype(f, n, ff);
    case FK_SIZE: return eval_size(n, st);
    case FK_EMPTY: return eval_empty(f, ff);
    case FK_NEWER: return ts_cmp(file_time(st, n->time_of), n->ref) > 0;
    case FK_TIME: return time_window(file_time(st, n->time_of), n);
    case FK_USED: return eval_used(n, st);
    case FK_PERM: return eval_perm(n, st->st_mode);
    case FK_UID: return cmp_num(n->num_cmp, st->st_uid, n->num);
    case FK_GID: return cmp_num(n->num_cmp, st->st_gid, n->num);
    case FK_NOUSER: {
        char buf[64];
        return !u_user_name(st->st_uid, buf, sizeof buf);
    }
    case FK_NOGROUP: {
        char buf[64];
        return !u_group_name(st->st_gid, buf, sizeof buf);
    }
    case FK_LINKS: return cmp_num(n->num_cmp, st->st_nlink, n->num);
    case FK_INUM: return cmp_num(n->num_cmp, st->st_ino, n->num);
    case FK_SAMEFILE: return st->st_dev == n->dev && st->st_ino == n->ino;
    case FK_ACCESS: return access(ff->path, n->access_mode) == 0;
    case FK_FSTYPE: {
        char buf[256];
        return !strcmp(find_fstype(st->st_dev, buf), n->arg);
    }
    default: return false;
    }
}

bool find_eval(Find *f, FNode *n, FFile *ff) {
    if (f->quit) return false;
    switch (n->kind) {
    case FK_AND: return find_eval(f, n->l, ff) && find_eval(f, n->r, ff);
    case FK_OR: return find_eval(f, n->l, ff) || find_eval(f, n->r, ff);
    case FK_COMMA: find_eval(f, n->l, ff); return find_eval(f, n->r, ff);
    case FK_NOT: return !find_eval(f, n->r, ff);
    case FK_TRUE: return true;
    case FK_FALSE: return false;
    case FK_PRINT:
        uout_puts(&n->out->out, ff->path);
        uout_putc(&n->out->out, n->term);
        return true;
    case FK_PRINTF: find_printf_run(f, n, ff); return true;
    case FK_LS: find_ls(f, n->out, ff); return true;
    case FK_DELETE: return eval_delete(f, ff);
    case FK_EXEC: return eval_exec(f, n->exec, ff);
    case FK_PRUNE:
        if (!f->depth_first) f->prune = true;
        return true;
    case FK_QUIT: f->quit = true; return true;
    case FK_REGEX: return eval_regex(f, n, ff);
    default: return eval_test(f, n, ff);
    }
}
