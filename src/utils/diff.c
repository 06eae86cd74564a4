/* diff.c - the diff utility (GNU diffutils 3.8): files, "-" for stdin,
 * directories (-r, -N, "Only in", "Common subdirectories"), binary files,
 * the -i -w -b -E -Z -B -I --strip-trailing-cr comparisons, --from-file /
 * --to-file, and exit statuses 0/1/2. The comparison is diff_algo.c, the
 * formats diff_print.c and (-D, --*-format) diff_ifdef.c. */
#include "diff.h"
#include "pattern.h"
#include "regex.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---------- reading ---------- */

static bool read_all(Diff *d, DFile *f, const char *path) {
    UcFile *in = uc_open(d->c, path, "r");
    if (!in) {
        u_err_file(d->c, f->name, errno);
        return false;
    }
    StrBuf b;
    sb_init(&b);
    char buf[65536];
    ssize_t n;
    while ((n = uc_fread(in, buf, sizeof buf)) > 0) {
        sb_put(&b, buf, (size_t)n);
        if (uc_should_stop(d->c)) break;
    }
    int err = n < 0 ? errno : 0;
    uc_close(in);
    if (err) {
        u_err_file(d->c, f->name, err);
        sb_free(&b);
        return false;
    }
    f->size = b.len;
    f->data = b.s ? sb_take(&b) : xstrdup("");
    return true;
}

/* GNU's prepare_text: with --strip-trailing-cr a CR before each newline
 * goes; a missing last newline is added (and remembered) so both buffers
 * end in one. */
static void prepare_text(const DiffOpts *o, DFile *f) {
    if (o->strip_cr) {
        size_t w = 0;
        for (size_t r = 0; r < f->size; r++)
            if (!(f->data[r] == '\r' && r + 1 < f->size && f->data[r + 1] == '\n')) f->data[w++] = f->data[r];
        f->size = w;
    }
    f->missing_newline = f->size && f->data[f->size - 1] != '\n';
    if (f->missing_newline) {
        f->data = xrealloc(f->data, f->size + 2);
        f->data[f->size++] = '\n';
    }
}

static void split_lines(DFile *f) {
    size_t cap = 64;
    f->lines = xmalloc(cap * sizeof *f->lines);
    f->n = 0;
    for (size_t i = 0; i < f->size;) {
        const char *s = f->data + i;
        const char *nl = memchr(s, '\n', f->size - i);
        size_t len = (size_t)(nl - s);
        if (f->n == cap) f->lines = xrealloc(f->lines, (cap *= 2) * sizeof *f->lines);
        f->lines[f->n++] = (DLine){s, len, true};
        i += len + 1;
    }
    if (f->missing_newline) f->lines[f->n - 1].newline = false;
}

static size_t lines_before(const DFile *f, size_t off) {
    size_t n = 0;
    for (size_t i = 0; i < off; i++) n += f->data[i] == '\n';
    return n;
}

/* GNU's find_identical_ends, bytewise on the prepared buffers: the common
 * prefix less `horizon` lines, then the common suffix (which may take back
 * those lines) less `horizon` lines. Sets the compared line ranges r[0..4). */
static void identical_ends(const Diff *d, const DFile *a, const DFile *b, size_t horizon, size_t r[4]) {
    const char *x = a->data, *y = b->data;
    size_t n0 = a->size, n1 = b->size, p = 0;
    bool robust = !is_ed(d->o.format);
    while (p < n0 && p < n1 && x[p] == y[p]) p++;
    if (robust && ((n0 - a->missing_newline < p) != (n1 - b->missing_newline < p))) p--;
    for (size_t i = horizon; p && (x[p - 1] != '\n' || i-- > 0);) p--;
    size_t s0 = n0, s1 = n1;
    if (!robust || a->missing_newline == b->missing_newline) {
        size_t beg = p + (n0 < n1 ? 0 : n0 - n1), q0 = n0, q1 = n1;
        while (q0 != beg) {
            if (x[--q0] != y[--q1]) {
                q0++, q1++;
                beg = q0;
                break;
            }
        }
        bool at_lines = (q0 == 0 || x[q0 - 1] == '\n') && (q1 == 0 || y[q1 - 1] == '\n');
        for (size_t k = horizon + !at_lines; k-- && q0 != n0;)
            while (x[q0++] != '\n') {}
        q1 += q0 - beg;
        s0 = q0, s1 = q1;
    }
    r[0] = r[2] = lines_before(a, p);
    r[1] = lines_before(a, s0);
    r[3] = lines_before(b, s1);
}

static bool is_binary(const DFile *f) { return memchr(f->data, '\0', f->size) != NULL; }

/* ---------- equivalence classes ---------- */

typedef struct ClassMap {
    char **keys;
    size_t *lens;
    int *ids;
    size_t cap, used;
    int next;
} ClassMap;

static uint64_t hash_bytes(const char *s, size_t n) {
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

static void map_grow(ClassMap *m);

static int map_class(ClassMap *m, const char *key, size_t len) {
    if (m->used * 2 >= m->cap) map_grow(m);
    size_t i = hash_bytes(key, len) & (m->cap - 1);
    while (m->keys[i]) {
        if (m->lens[i] == len && !memcmp(m->keys[i], key, len)) return m->ids[i];
        i = (i + 1) & (m->cap - 1);
    }
    m->keys[i] = xmalloc(len + 1);
    memcpy(m->keys[i], key, len);
    m->lens[i] = len;
    m->ids[i] = ++m->next;
    m->used++;
    return m->ids[i];
}

static void map_grow(ClassMap *m) {
    ClassMap n = {0};
    n.cap = m->cap ? m->cap * 2 : 1024;
    n.keys = xcalloc(n.cap, sizeof *n.keys);
    n.lens = xcalloc(n.cap, sizeof *n.lens);
    n.ids = xcalloc(n.cap, sizeof *n.ids);
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i]) continue;
        size_t j = hash_bytes(m->keys[i], m->lens[i]) & (n.cap - 1);
        while (n.keys[j]) j = (j + 1) & (n.cap - 1);
        n.keys[j] = m->keys[i], n.lens[j] = m->lens[i], n.ids[j] = m->ids[i];
    }
    n.used = m->used;
    n.next = m->next;
    free(m->keys);
    free(m->lens);
    free(m->ids);
    *m = n;
}

static void map_free(ClassMap *m) {
    for (size_t i = 0; i < m->cap; i++) free(m->keys[i]);
    free(m->keys);
    free(m->lens);
    free(m->ids);
}

static bool blank(char c) { return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r'; }

/* The text a line is compared by under the white space and case options.
 * A missing final newline counts as a difference unless white space is ignored. */
static void line_key(const DiffOpts *o, const DLine *l, StrBuf *k) {
    sb_clear(k);
    size_t len = l->len;
    bool ws = o->ignore_all_space || o->ignore_space_change || o->ignore_trailing_space;
    if (ws)
        while (len && blank(l->s[len - 1])) len--;
    size_t col = 0;
    for (size_t i = 0; i < len; i++) {
        char c = l->s[i];
        if (o->ignore_all_space && blank(c)) continue;
        if (o->ignore_space_change && blank(c)) {
            while (i + 1 < len && blank(l->s[i + 1])) i++;
            sb_putc(k, ' ');
            col++;
            continue;
        }
        if (o->ignore_tab_expansion && c == '\t') {
            do sb_putc(k, ' ');
            while (++col % 8);
            continue;
        }
        sb_putc(k, o->icase ? (char)tolower((unsigned char)c) : c);
        col++;
    }
    /* ed scripts cannot say "no newline": there the last lines compare equal */
    if (!ws && !l->newline && !is_ed(o->format)) sb_put(k, "\0", 1);
}

static void classify(const DiffOpts *o, const DFile *f, ClassMap *map, int *eq) {
    StrBuf k;
    sb_init(&k);
    for (size_t i = 0; i < f->n; i++) {
        line_key(o, &f->lines[i], &k);
        eq[i] = map_class(map, k.s ? k.s : "", k.len);
    }
    sb_free(&k);
}

/* ---------- -B and -I ---------- */

static bool trivial_line(const DiffOpts *o, const DLine *l) {
    if (o->ignore_blank_lines) {
        size_t i = 0;
        if (o->ignore_all_space || o->ignore_space_change)
            while (i < l->len && isspace((unsigned char)l->s[i])) i++;
        if (i == l->len) return true;
    }
    if (o->ignore_re) {
        RxSpan m;
        if (rx_search(o->ignore_re, l->s, l->len, 0, NULL, &m, 1) == RX_MATCH) return true;
    }
    return false;
}

static bool *mark_ignorable(const DiffOpts *o, const DFile *a, const DFile *b, const DiffChange *ch, size_t n) {
    bool *ig = xcalloc(n ? n : 1, sizeof *ig);
    if (!o->ignore_blank_lines && !o->ignore_re) return ig;
    for (size_t i = 0; i < n; i++) {
        bool all = true;
        for (size_t k = 0; all && k < ch[i].deleted; k++) all = trivial_line(o, &a->lines[ch[i].line0 + k]);
        for (size_t k = 0; all && k < ch[i].inserted; k++) all = trivial_line(o, &b->lines[ch[i].line1 + k]);
        ig[i] = all;
    }
    return ig;
}

/* ---------- comparing two files ---------- */

static void print_switches(Diff *d, const char *n0, const char *n1) {
    uout_puts(&d->out, "diff");
    for (size_t i = 0; i < d->o.switches.n; i++) uout_printf(&d->out, " %s", d->o.switches.v[i]);
    uout_printf(&d->out, " %s %s\n", d->o.label[0] ? d->o.label[0] : n0, d->o.label[1] ? d->o.label[1] : n1);
}

static bool any_shown(const bool *ig, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (!ig[i]) return true;
    return false;
}

/* An ed script cannot say "no newline at end of file": after the script GNU
 * warns (its message ends in a newline of its own, so a blank line follows)
 * and reports trouble. */
static void warn_missing_newlines(Diff *d, const DFile *a, const DFile *b) {
    for (int i = 0; i < 2; i++) {
        const DFile *f = i ? b : a;
        if (!f->missing_newline) continue;
        uout_flush(&d->out);
        uc_error(d->c, "%s: No newline at end of file\n", f->name);
        d->status = 2;
    }
}

/* Compares two loaded files; in_dir: print the "diff ..." line first. */
static void compare_loaded(Diff *d, DFile *a, DFile *b, bool in_dir) {
    bool binary = !d->o.text && (is_binary(a) || is_binary(b));
    /* -D and the like print even identical text files in full */
    bool show_same = diff_ifdef_shows_same(&d->o) && !d->o.brief && !binary;
    if (a->size == b->size && !memcmp(a->data, b->data, a->size) && d->o.format != FMT_SIDE && !show_same) {
        if (d->o.report_identical) uout_printf(&d->out, "Files %s and %s are identical\n", a->name, b->name);
        /* GNU does not read a file compared with itself, so only copies warn */
        bool same = !a->missing && !b->missing && a->st.st_dev == b->st.st_dev && a->st.st_ino == b->st.st_ino;
        if (is_ed(d->o.format) && !d->o.brief && !same) {
            prepare_text(&d->o, a);
            prepare_text(&d->o, b);
            warn_missing_newlines(d, a, b);
        }
        return;
    }
    if (binary) {
        uout_printf(&d->out, "Binary files %s and %s differ\n", a->name, b->name);
        if (d->status < 1) d->status = 1;
        return;
    }
    prepare_text(&d->o, a);
    prepare_text(&d->o, b);
    split_lines(a);
    split_lines(b);
    ClassMap map = {0};
    int *eq0 = xmalloc((a->n + 1) * sizeof *eq0), *eq1 = xmalloc((b->n + 1) * sizeof *eq1);
    classify(&d->o, a, &map, eq0);
    classify(&d->o, b, &map, eq1);
    map_free(&map);
    long horizon = d->o.format == FMT_UNIFIED || d->o.format == FMT_CONTEXT ? d->o.context : 0;
    size_t r[4];
    identical_ends(d, a, b, (size_t)horizon, r);
    DiffChange *ch;
    size_t n = diff_compute(eq0, eq1, r[0], r[1], r[2], r[3], d->o.minimal, &ch);
    free(eq0);
    free(eq1);
    bool *ig = mark_ignorable(&d->o, a, b, ch, n);
    if (d->o.format == FMT_SIDE && !any_shown(ig, n)) {
        diff_print(d, a, b, ch, ig, n); /* -y shows the files even when they are the same */
    } else if (any_shown(ig, n)) {
        if (d->status < 1) d->status = 1;
        if (d->o.brief) {
            uout_printf(&d->out, "Files %s and %s differ\n", a->name, b->name);
        } else {
            if (in_dir) print_switches(d, a->name, b->name);
            diff_print(d, a, b, ch, ig, n);
        }
    } else {
        if (show_same) diff_print(d, a, b, ch, ig, n); /* never in a directory: -D refuses them */
        if (d->o.report_identical) uout_printf(&d->out, "Files %s and %s are identical\n", a->name, b->name);
    }
    if (is_ed(d->o.format) && !d->o.brief) warn_missing_newlines(d, a, b);
    free(ig);
    free(ch);
}

static void dfile_free(DFile *f) {
    free(f->data);
    free(f->lines);
    f->data = NULL;
    f->lines = NULL;
}

static bool load(Diff *d, DFile *f, const char *path) {
    if (f->missing) {
        f->data = xstrdup("");
        f->size = 0;
        return true;
    }
    return read_all(d, f, path);
}

static void compare_files(Diff *d, const char *p0, const char *p1, const struct stat *s0, const struct stat *s1,
                          bool missing0, bool missing1, bool in_dir) {
    DFile a = {0}, b = {0};
    a.name = p0, b.name = p1;
    if (s0) a.st = *s0;
    if (s1) b.st = *s1;
    a.missing = missing0, b.missing = missing1;
    if (load(d, &a, p0) && load(d, &b, p1)) compare_loaded(d, &a, &b, in_dir);
    else d->status = 2;
    dfile_free(&a);
    dfile_free(&b);
}

/* ---------- directories ---------- */

static char *join(const char *dir, const char *name) {
    size_t n = strlen(dir);
    char *p = xmalloc(n + strlen(name) + 2);
    sprintf(p, "%s%s%s", dir, n && dir[n - 1] == '/' ? "" : "/", name);
    return p;
}

static bool excluded(const Diff *d, const char *name) {
    for (size_t i = 0; i < d->o.excludes.n; i++)
        if (pattern_match(d->o.excludes.v[i], name, 0)) return true;
    return false;
}

static int name_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static bool list_dir(Diff *d, const char *path, StrList *out) {
    DIR *dir = opendir(path);
    if (!dir) {
        u_err_file(d->c, path, errno);
        d->status = 2;
        return false;
    }
    struct dirent *e;
    while ((e = readdir(dir))) {
        const char *n = e->d_name;
        if (n[0] == '.' && (!n[1] || (n[1] == '.' && !n[2]))) continue;
        if (!excluded(d, n)) sl_push_copy(out, n);
    }
    closedir(dir);
    if (out->n) qsort(out->v, out->n, sizeof *out->v, name_cmp);
    return true;
}

static void compare_paths(Diff *d, const char *p0, const char *p1, bool top);

static void compare_entry(Diff *d, const char *d0, const char *d1, const char *name, bool in0, bool in1) {
    char *p0 = join(d0, name), *p1 = join(d1, name);
    if (in0 && in1) {
        compare_paths(d, p0, p1, false);
    } else if (d->o.new_file) {
        struct stat st;
        const char *present = in0 ? p0 : p1;
        if (stat(present, &st) == 0 && S_ISDIR(st.st_mode)) {
            compare_paths(d, p0, p1, false);
        } else {
            compare_files(d, p0, p1, in0 ? &st : NULL, in1 ? &st : NULL, !in0, !in1, true);
        }
    } else {
        uout_printf(&d->out, "Only in %s: %s\n", in0 ? d0 : d1, name);
        if (d->status < 1) d->status = 1;
    }
    free(p0);
    free(p1);
}

/* A directory missing under -N compares as an empty one. */
static void compare_dirs(Diff *d, const char *d0, const char *d1, bool missing0, bool missing1) {
    StrList a, b;
    sl_init(&a);
    sl_init(&b);
    if ((missing0 || list_dir(d, d0, &a)) && (missing1 || list_dir(d, d1, &b))) {
        size_t i = 0, j = 0;
        const char *start = d->nopen == 1 ? d->o.starting_file : NULL; /* only the operands' own directories */
        while (start && i < a.n && strcmp(a.v[i], start) < 0) i++;
        while (start && j < b.n && strcmp(b.v[j], start) < 0) j++;
        while ((i < a.n || j < b.n) && !uc_should_stop(d->c)) {
            int c = i >= a.n ? 1 : j >= b.n ? -1 : strcmp(a.v[i], b.v[j]);
            if (c == 0) compare_entry(d, d0, d1, a.v[i], true, true), i++, j++;
            else if (c < 0) compare_entry(d, d0, d1, a.v[i++], true, false);
            else compare_entry(d, d0, d1, b.v[j++], false, true);
        }
    }
    sl_free(&a);
    sl_free(&b);
}

static const char *type_name(const struct stat *st) {
    if (S_ISREG(st->st_mode)) return st->st_size ? "regular file" : "regular empty file";
    if (S_ISDIR(st->st_mode)) return "directory";
    if (S_ISLNK(st->st_mode)) return "symbolic link";
    if (S_ISFIFO(st->st_mode)) return "fifo";
    if (S_ISCHR(st->st_mode)) return "character special file";
    if (S_ISBLK(st->st_mode)) return "block special file";
    if (S_ISSOCK(st->st_mode)) return "socket";
    return "weird file";
}

static bool stat_operand(Diff *d, const char *p, struct stat *st, bool *missing) {
    *missing = false;
    if (!strcmp(p, "-")) {
        memset(st, 0, sizeof *st);
        st->st_mode = S_IFIFO;
        clock_gettime(CLOCK_REALTIME, &st->st_mtim);
        return true;
    }
    if (uc_stat(d->c, p, st) == 0) return true;
    if (errno == ENOENT && d->o.new_file) {
        *missing = true;
        memset(st, 0, sizeof *st);
        return true;
    }
    u_err_file(d->c, p, errno);
    d->status = 2;
    return false;
}

static bool in_open_dirs(const Diff *d, int side, const struct stat *st) {
    for (size_t i = 0; i < d->nopen; i++)
        if (d->open_dirs[side][i].dev == st->st_dev && d->open_dirs[side][i].ino == st->st_ino) return true;
    return false;
}

/* Directories inside one another through a symlink are reported, as GNU's
 * "recursive directory loop", instead of being walked forever. */
static void compare_dir_pair(Diff *d, const char *p0, const char *p1, const struct stat *s0, const struct stat *s1,
                             bool m0, bool m1) {
    bool loop0 = !m0 && in_open_dirs(d, 0, s0), loop1 = !m1 && in_open_dirs(d, 1, s1);
    if (loop0 || loop1) {
        uc_error(d->c, "%s: recursive directory loop", loop0 ? p0 : p1);
        d->status = 2;
        return;
    }
    if (d->nopen == d->capopen) {
        d->capopen = d->capopen ? d->capopen * 2 : 16;
        for (int i = 0; i < 2; i++) d->open_dirs[i] = xrealloc(d->open_dirs[i], d->capopen * sizeof *d->open_dirs[i]);
    }
    d->open_dirs[0][d->nopen] = (DirId){m0 ? 0 : s0->st_dev, m0 ? 0 : s0->st_ino};
    d->open_dirs[1][d->nopen] = (DirId){m1 ? 0 : s1->st_dev, m1 ? 0 : s1->st_ino};
    d->nopen++;
    compare_dirs(d, p0, p1, m0, m1);
    d->nopen--;
}

static void compare_paths(Diff *d, const char *p0, const char *p1, bool top) {
    struct stat s0, s1;
    bool m0, m1;
    if (!stat_operand(d, p0, &s0, &m0) || !stat_operand(d, p1, &s1, &m1)) return;
    if (m0 && m1) {
        u_err_file(d->c, p0, ENOENT);
        d->status = 2;
        return;
    }
    if (m0) s0.st_mode = s1.st_mode & S_IFMT;
    if (m1) s1.st_mode = s0.st_mode & S_IFMT;
    bool dir0 = S_ISDIR(s0.st_mode), dir1 = S_ISDIR(s1.st_mode);
    if (dir0 && dir1 && d->o.format == FMT_IFDEF) {
        /* GNU's merged output has no way to show directories, and gives up */
        uout_flush(&d->out);
        uc_error(d->c, "-D option not supported with directories");
        d->status = 2;
        d->fatal = true;
        return;
    }
    if (dir0 && dir1) {
        if (top || d->o.recursive) compare_dir_pair(d, p0, p1, &s0, &s1, m0, m1);
        else uout_printf(&d->out, "Common subdirectories: %s and %s\n", p0, p1);
        return;
    }
    if (dir0 != dir1) {
        if (top) {
            /* a file against a directory: the file of the same name inside */
            const char *file = dir0 ? p1 : p0, *dir = dir0 ? p0 : p1;
            const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
            char *inner = join(dir, base);
            struct stat si;
            bool m;
            if (stat_operand(d, inner, &si, &m) && !S_ISDIR(si.st_mode)) {
                if (dir0) compare_files(d, inner, p1, &si, &s1, m, false, false);
                else compare_files(d, p0, inner, &s0, &si, false, m, false);
            } else if (!d->status) {
                compare_paths(d, dir0 ? inner : p0, dir0 ? p1 : inner, false);
            }
            free(inner);
            return;
        }
        uout_printf(&d->out, "File %s is a %s while file %s is a %s\n", p0, type_name(&s0), p1, type_name(&s1));
        if (d->status < 1) d->status = 1;
        return;
    }
    compare_files(d, p0, p1, &s0, &s1, m0, m1, !top);
}

/* ---------- options ---------- */

enum {
    OPT_NORMAL = 0x100, OPT_LABEL, OPT_LEFT, OPT_SUPPRESS, OPT_STRIP_CR, OPT_COLOR, OPT_HORIZON, OPT_SPEED,
    OPT_NODEREF, OPT_TABSIZE, OPT_NOOP, OPT_PALETTE, OPT_FROM, OPT_TO, OPT_LINE_FMT,
    OPT_LINE_FMT0,                              /* + G_UNCHANGED, G_OLD, G_NEW */
    OPT_GROUP_FMT0 = OPT_LINE_FMT0 + 3,         /* + G_* */
};

static const UOptLong diff_longs[] = {
    {"normal", UO_NOARG, OPT_NORMAL}, {"brief", UO_NOARG, 'q'}, {"report-identical-files", UO_NOARG, 's'},
    {"context", UO_OPT, 'C'}, {"unified", UO_OPT, 'U'}, {"ed", UO_NOARG, 'e'}, {"forward-ed", UO_NOARG, 'f'}, {"rcs", UO_NOARG, 'n'},
    {"side-by-side", UO_NOARG, 'y'}, {"width", UO_REQ, 'W'}, {"left-column", UO_NOARG, OPT_LEFT},
    {"suppress-common-lines", UO_NOARG, OPT_SUPPRESS}, {"show-c-function", UO_NOARG, 'p'},
    {"show-function-line", UO_REQ, 'F'}, {"label", UO_REQ, OPT_LABEL}, {"expand-tabs", UO_NOARG, 't'},
    {"initial-tab", UO_NOARG, 'T'}, {"tabsize", UO_REQ, OPT_TABSIZE}, {"new-file", UO_NOARG, 'N'},
    {"recursive", UO_NOARG, 'r'}, {"no-dereference", UO_NOARG, OPT_NODEREF}, {"exclude", UO_REQ, 'x'}, {"exclude-from", UO_REQ, 'X'}, {"starting-file", UO_REQ, 'S'},
    {"ignore-case", UO_NOARG, 'i'}, {"ignore-tab-expansion", UO_NOARG, 'E'},
    {"ignore-trailing-space", UO_NOARG, 'Z'}, {"ignore-space-change", UO_NOARG, 'b'},
    {"ignore-all-space", UO_NOARG, 'w'}, {"ignore-blank-lines", UO_NOARG, 'B'},
    {"ignore-matching-lines", UO_REQ, 'I'}, {"text", UO_NOARG, 'a'}, {"strip-trailing-cr", UO_NOARG, OPT_STRIP_CR},
    {"minimal", UO_NOARG, 'd'}, {"horizon-lines", UO_REQ, OPT_HORIZON}, {"speed-large-files", UO_NOARG, OPT_SPEED},
    {"color", UO_OPT, OPT_COLOR}, {"palette", UO_REQ, OPT_PALETTE}, {"no-ignore-file-name-case", UO_NOARG, OPT_NOOP},
    {"ignore-file-name-case", UO_NOARG, OPT_NOOP}, {"ifdef", UO_REQ, 'D'}, {"line-format", UO_REQ, OPT_LINE_FMT},
    {"unchanged-line-format", UO_REQ, OPT_LINE_FMT0 + G_UNCHANGED}, {"old-line-format", UO_REQ, OPT_LINE_FMT0 + G_OLD},
    {"new-line-format", UO_REQ, OPT_LINE_FMT0 + G_NEW},
    {"unchanged-group-format", UO_REQ, OPT_GROUP_FMT0 + G_UNCHANGED},
    {"old-group-format", UO_REQ, OPT_GROUP_FMT0 + G_OLD}, {"new-group-format", UO_REQ, OPT_GROUP_FMT0 + G_NEW},
    {"changed-group-format", UO_REQ, OPT_GROUP_FMT0 + G_CHANGED}, {"from-file", UO_REQ, OPT_FROM},
    {"to-file", UO_REQ, OPT_TO},
    {NULL, 0, 0},
};

/* -X FILE: each line of FILE is one more -x pattern. */
static bool read_exclude_file(Diff *d, const char *path) {
    UcFile *f = uc_open(d->c, path, "r");
    if (!f) {
        u_err_file(d->c, path, errno);
        return false;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = uc_getdelim(f, &line, &cap, '\n')) > 0) {
        if (line[n - 1] == '\n') line[--n] = '\0';
        sl_push_copy(&d->o.excludes, line);
    }
    free(line);
    uc_close(f);
    return true;
}

static void try_help(Diff *d) { uc_error(d->c, "Try '%s --help' for more information.", uc_name(d->c)); }

static int bad(Diff *d, const char *what, const char *arg) {
    char *q = u_quote(arg);
    uc_error(d->c, "invalid %s %s", what, q);
    free(q);
    try_help(d);
    return 2;
}

static bool set_format(Diff *d, int fmt) {
    if (d->o.format_given && d->o.format != fmt) {
        uc_error(d->c, "conflicting output style options");
        try_help(d);
        return false;
    }
    d->o.format = fmt;
    d->o.format_given = true;
    return true;
}

static bool set_context(const char *arg, long *ctx) {
    uintmax_t v;
    if (!arg) return true;
    if (!u_parse_uint(arg, &v) || v > 1000000000) return false;
    *ctx = (long)v;
    return true;
}

static bool compile_re(Diff *d, const char *pat, struct Regex **out) {
    RxError err = {NULL, -1};
    if (*out) rx_free(*out);
    *out = rx_compile(pat, strlen(pat), RX_BRE, u_locale_utf8(d->c) ? 0 : RX_BYTES, &err);
    if (!*out) {
        /* glibc's re_compile_pattern calls a lone trailing "[" an invalid
         * pattern, where the engine (worded as grep) says "Unmatched [" */
        size_t n = strlen(pat);
        bool lone = n && pat[n - 1] == '[' && (n == 1 || pat[n - 2] != '\\');
        uc_error(d->c, "%s: %s", pat, lone ? "Invalid regular expression" : err.msg ? err.msg : "Invalid regular expression");
    }
    return *out != NULL;
}

/* GNU's specify_value: an option given twice must say the same. */
static bool set_value(Diff *d, const char **var, const char *value, const char *option) {
    if (*var && strcmp(*var, value)) {
        uc_error(d->c, "conflicting %s option value '%s'", option, value);
        try_help(d);
        return false;
    }
    *var = value;
    return true;
}

static const char *const line_fmt_option[3] = {"--unchanged-line-format", "--old-line-format", "--new-line-format"};
static const char *const group_fmt_option[4] = {"--unchanged-group-format", "--old-group-format",
                                                "--new-group-format", "--changed-group-format"};

/* -D NAME: GNU's preset group formats, an #ifndef/#ifdef/#else/#endif
 * block around each change. */
static bool set_ifdef(Diff *d, const char *name) {
    StrBuf b;
    char *fmt[4];
    sb_init(&b);
    fmt[G_UNCHANGED] = xstrdup("%=");
    sb_printf(&b, "#ifndef %s\n%%<#endif /* ! %s */\n", name, name);
    fmt[G_OLD] = sb_take(&b);
    sb_printf(&b, "#ifdef %s\n%%>#endif /* %s */\n", name, name);
    fmt[G_NEW] = sb_take(&b);
    sb_printf(&b, "#ifndef %s\n%%<#else /* %s */\n%%>#endif /* %s */\n", name, name, name);
    fmt[G_CHANGED] = sb_take(&b);
    bool ok = true;
    for (int i = 0; i < 4; i++) {
        sl_push(&d->o.owned_fmts, fmt[i]);
        if (ok) ok = set_value(d, &d->o.group_fmt[i], fmt[i], "-D");
    }
    return ok;
}

/* The line and group format options (all imply FMT_IFDEF). */
static int format_option(Diff *d, int k, const char *arg) {
    if (!set_format(d, FMT_IFDEF)) return 2;
    if (k == 'D') return set_ifdef(d, arg) ? -1 : 2;
    if (k == OPT_LINE_FMT) {
        for (int i = 0; i < 3; i++)
            if (!set_value(d, &d->o.line_fmt[i], arg, "--line-format")) return 2;
        return -1;
    }
    if (k < OPT_GROUP_FMT0) {
        int i = k - OPT_LINE_FMT0;
        return set_value(d, &d->o.line_fmt[i], arg, line_fmt_option[i]) ? -1 : 2;
    }
    int i = k - OPT_GROUP_FMT0;
    return set_value(d, &d->o.group_fmt[i], arg, group_fmt_option[i]) ? -1 : 2;
}

static int diff_option(Diff *d, UOpts *o, int k, long *ctx, int *labels) {
    DiffOpts *op = &d->o;
    switch (k) {
    case 'q': op->brief = true; break;
    case 's': op->report_identical = true; break;
    case OPT_NORMAL: if (!set_format(d, FMT_NORMAL)) return 2; break;
    case 'c': case 'C': case 'u': case 'U': {
        int fmt = k == 'c' || k == 'C' ? FMT_CONTEXT : FMT_UNIFIED;
        if (!set_format(d, fmt)) return 2;
        if (!set_context(o->arg, ctx)) return bad(d, "context length", o->arg);
        break;
    }
    case 'e': if (!set_format(d, FMT_ED)) return 2; break;
    case 'f': if (!set_format(d, FMT_FORWARD_ED)) return 2; break;
    case 'n': if (!set_format(d, FMT_RCS)) return 2; break;
    case 'y': if (!set_format(d, FMT_SIDE)) return 2; break;
    case 'W': {
        uintmax_t v;
        if (!u_parse_uint(o->arg, &v) || v == 0 || v > 100000) return bad(d, "width", o->arg);
        op->width = (long)v;
        break;
    }
    case OPT_LEFT: op->left_column = true; break;
    case OPT_SUPPRESS: op->suppress_common = true; break;
    case 'p': if (!compile_re(d, "^[[:alpha:]$_]", &op->function_re)) return 2; break;
    case 'F': if (!compile_re(d, o->arg, &op->function_re)) return 2; break;
    case OPT_LABEL: case 'L':
        if (*labels < 2) op->label[(*labels)++] = o->arg;
        break;
    case 't': op->expand_tabs = true; break;
    case 'T': op->initial_tab = true; break;
    case 'N': op->new_file = true; break;
    case 'r': op->recursive = true; break;
    case 'x': sl_push_copy(&op->excludes, o->arg); break;
    case 'X': if (!read_exclude_file(d, o->arg)) return 2; break;
    case 'S': op->starting_file = o->arg; break;
    case 'i': op->icase = true; break;
    case 'E': op->ignore_tab_expansion = true; break;
    case 'Z': op->ignore_trailing_space = true; break;
    case 'b': op->ignore_space_change = true; break;
    case 'w': op->ignore_all_space = true; break;
    case 'B': op->ignore_blank_lines = true; break;
    case 'I': if (!compile_re(d, o->arg, &op->ignore_re)) return 2; break;
    case 'a': op->text = true; break;
    case OPT_STRIP_CR: op->strip_cr = true; break;
    case 'd': op->minimal = true; break;
    case OPT_HORIZON: case OPT_SPEED: case OPT_NODEREF: case OPT_TABSIZE: case OPT_NOOP: case 'H': case 'l': break;
    case OPT_COLOR:
        if (o->arg && strcmp(o->arg, "never") && strcmp(o->arg, "auto") && strcmp(o->arg, "always")) {
            char *q = u_quote(o->arg);
            uc_error(d->c, "invalid color %s", q);
            free(q);
            try_help(d);
            return 2;
        }
        op->color = o->arg && !strcmp(o->arg, "always");
        break;
    case OPT_PALETTE: break;
    case 'D': case OPT_LINE_FMT: return format_option(d, k, o->arg);
    case OPT_FROM: if (!set_value(d, &op->from_file, o->arg, "--from-file")) return 2; break;
    case OPT_TO: if (!set_value(d, &op->to_file, o->arg, "--to-file")) return 2; break;
    case UO_HELP: u_help(d->c, "[OPTION]... FILES"); return 0;
    case UO_VERSION: uc_puts(d->c, 1, "diff (GNU diffutils) 3.8 (wasmsh)\n"); return 0;
    default:
        if (k >= OPT_LINE_FMT0 && k < OPT_GROUP_FMT0 + 4) return format_option(d, k, o->arg);
        if (k >= '0' && k <= '9') {
            *ctx = (*ctx > 0 && *ctx < 100000 ? *ctx * 10 : 0) + (k - '0');
            break;
        }
        return -2;
    }
    return -1;
}

/* Whether option word a (as typed) takes the next word as its argument. */
static bool takes_next(const char *a) {
    static const char *const long_req[] = {"--width", "--show-function-line", "--label", "--tabsize", "--exclude",
                                           "--ignore-matching-lines", "--horizon-lines", "--exclude-from",
                                           "--starting-file", "--from-file", "--to-file", "--ifdef", "--line-format",
                                           "--unchanged-line-format", "--old-line-format", "--new-line-format",
                                           "--unchanged-group-format", "--old-group-format",
                                           "--new-group-format", "--changed-group-format", NULL};
    if (a[1] == '-') {
        if (strchr(a, '=')) return false;
        for (int i = 0; long_req[i]; i++)
            if (!strncmp(long_req[i], a, strlen(a)) && strlen(a) > 3) return true;
        return false;
    }
    for (const char *p = a + 1; *p; p++)
        if (strchr("CDFILSUWxX", *p)) return !p[1];
    return false;
}

/* The options as typed (arguments shell-quoted), for "diff -r a/x b/x". */
static void record_switches(Diff *d, int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--")) break;
        if (a[0] != '-' || !a[1]) continue;
        sl_push(&d->o.switches, u_quotef(a)); /* GNU quotes "--exclude=x" too */
        if (takes_next(a) && i + 1 < argc) sl_push(&d->o.switches, u_quotef(argv[++i]));
    }
}

/* GNU's defaults for the formats not given: each line as itself, old and
 * new groups as the changed one (else their lines), changed as old+new. */
static void default_formats(DiffOpts *o) {
    for (int i = 0; i < 3; i++)
        if (!o->line_fmt[i]) o->line_fmt[i] = "%l\n";
    const char *changed = o->group_fmt[G_CHANGED];
    if (!o->group_fmt[G_OLD]) o->group_fmt[G_OLD] = changed ? changed : "%<";
    if (!o->group_fmt[G_NEW]) o->group_fmt[G_NEW] = changed ? changed : "%>";
    if (!o->group_fmt[G_UNCHANGED]) o->group_fmt[G_UNCHANGED] = "%=";
    if (!changed) {
        StrBuf b;
        sb_init(&b);
        sb_puts(&b, o->group_fmt[G_OLD]);
        sb_puts(&b, o->group_fmt[G_NEW]);
        char *s = sb_take(&b);
        sl_push(&o->owned_fmts, s);
        o->group_fmt[G_CHANGED] = s;
    }
}

static int check_operands(Diff *d, const UOpts *o) {
    if (d->o.from_file && d->o.to_file) {
        uc_error(d->c, "--from-file and --to-file both specified");
        return 2;
    }
    if (d->o.from_file || d->o.to_file) return -1; /* any number of operands */
    if (o->ops.n < 2) {
        if (!o->ops.n) uc_error(d->c, "missing operand after '%s'", uc_name(d->c));
        else {
            char *q = u_quote(o->ops.v[0]);
            uc_error(d->c, "missing operand after %s", q);
            free(q);
        }
        try_help(d);
        return 2;
    }
    if (o->ops.n > 2) {
        char *q = u_quote(o->ops.v[2]);
        uc_error(d->c, "extra operand %s", q);
        free(q);
        try_help(d);
        return 2;
    }
    return -1;
}

static int parse(Diff *d, UOpts *o, int argc, char **argv) {
    int k, labels = 0;
    long ctx = -1;
    while ((k = uopt_next(o)) != UO_END) {
        int r = diff_option(d, o, k, &ctx, &labels);
        if (r == -2) {
            try_help(d);
            return 2;
        }
        if (r >= 0) return r;
    }
    d->o.context = ctx >= 0 ? ctx : 3;
    if (d->o.format == FMT_IFDEF) default_formats(&d->o);
    record_switches(d, argc, argv);
    return check_operands(d, o);
}

/* The operands, or with --from-file / --to-file that file against each. */
static void compare_operands(Diff *d, const UOpts *o) {
    const char *from = d->o.from_file, *to = d->o.to_file;
    if (!from && !to) {
        compare_paths(d, o->ops.v[0], o->ops.v[1], true);
        return;
    }
    for (size_t i = 0; i < o->ops.n && !d->fatal && !uc_should_stop(d->c); i++)
        compare_paths(d, from ? from : o->ops.v[i], from ? o->ops.v[i] : to, true);
}

int util_diff_main(UtilCtx *c, int argc, char **argv) {
    Diff *d = xcalloc(1, sizeof *d);
    d->c = c;
    d->o.width = 130;
    sl_init(&d->o.excludes);
    sl_init(&d->o.switches);
    sl_init(&d->o.owned_fmts);
    UOpts o;
    uopt_init(&o, c, argc, argv, "0123456789abBcC:dD:eEfF:hHiI:lL:nNpPqrsS:tTuU:vwW:x:X:yZ", diff_longs);
    o.own_try_help = true;
    int r = parse(d, &o, argc, argv);
    if (r < 0) {
        uout_init(&d->out, c, 1);
        compare_operands(d, &o);
        if (uout_close(&d->out)) d->status = 2;
        r = d->status;
    }
    uopt_free(&o);
    if (d->o.ignore_re) rx_free(d->o.ignore_re);
    if (d->o.function_re) rx_free(d->o.function_re);
    sl_free(&d->o.excludes);
    sl_free(&d->o.switches);
    sl_free(&d->o.owned_fmts);
    free(d->open_dirs[0]);
    free(d->open_dirs[1]);
    free(d);
    return r;
}
