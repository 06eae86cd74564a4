/* patch.c - the patch utility (GNU patch 2.7.6): unified (also git-style),
 * context and normal diffs; -p -R -N -f -t -i -o -d -r -b -z -F -l -E -s
 * --dry-run; hunks found with GNU's offset search and fuzz, reversed
 * patches detected, rejects saved as FILE.rej in the input's format, the
 * original kept as FILE.orig when the patch did not match exactly. There
 * is never a terminal to ask: questions take their default answer, as GNU's
 * do without one. Messages are GNU's, on stdout. */
#include "ucommon.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum PFormat { PF_NONE, PF_UNIFIED, PF_CONTEXT, PF_NORMAL };

typedef struct PLine {
    char type;          /* ' ' context, '-' old only, '+' new only */
    const char *s;      /* text without its newline */
    size_t len;
    bool newline;
} PLine;

typedef struct Hunk {
    long old_first, old_count, new_first, new_count; /* as in the patch (first: 1-based) */
    PLine *lines;
    size_t n, cap;
    char *func;         /* text after "@@ ... @@" (with its leading space) */
} Hunk;

typedef struct FilePatch {
    int format;
    char *name[3];      /* old, new, Index: (as written, before -p) */
    char *timestr[2];   /* what follows the name on the --- / +++ lines */
    bool git, git_new, git_delete;
    mode_t git_mode;    /* "new file mode" / "new mode" */
    Hunk *hunks;
    size_t nh;
    size_t text_start, text_end; /* patch lines leading up to the first hunk */
    char *error;                 /* a malformed hunk: GNU's message, reported when reached */
    size_t first_hunk_line;      /* 1-based line number of the first hunk header */
} FilePatch;

typedef struct Patch {
    UtilCtx *c;
    UOut out;
    /* options */
    long strip;         /* -p; -1: not given */
    bool reverse, forward, force, batch, dry_run, silent, backup, backup_if_mismatch, remove_empty;
    bool ignore_ws, verbose;
    int force_format;
    long maxfuzz;
    const char *input, *outfile, *dir, *rejname, *suffix;
    const char *file_arg; /* the file operand */
    /* the patch text */
    char *text;
    size_t size;
    const char **lines;  /* line starts */
    size_t *lens;        /* line lengths, without the newline */
    bool *nl;            /* line ends in a newline */
    size_t nlines;
    bool *cr;            /* line ended in CR LF (the CR is not in lens) */
    bool binary, cr_said;
    int status;          /* 0, 1 or 2 */
    bool fatal;
} Patch;

/* ---------- output ---------- */

static void say(Patch *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(Patch *p, const char *fmt, ...) {
    if (p->silent) return;
    va_list ap;
    va_start(ap, fmt);
    StrBuf b;
    sb_init(&b);
    sb_vprintf(&b, fmt, ap);
    va_end(ap);
    uout_put(&p->out, b.s ? b.s : "", b.len);
    sb_free(&b);
}

/* Messages that -s does not silence (questions). */
static void say_always(Patch *p, const char *s) { uout_puts(&p->out, s); }

static void fatal(Patch *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fatal(Patch *p, const char *fmt, ...) {
    uout_flush(&p->out);
    StrBuf b;
    sb_init(&b);
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&b, fmt, ap);
    va_end(ap);
    uc_error(p->c, "**** %s", b.s ? b.s : "");
    sb_free(&b);
    p->status = 2;
    p->fatal = true;
}

/* ---------- reading the patch ---------- */

static bool read_patch(Patch *p) {
    UcFile *f = uc_open(p->c, p->input ? p->input : "-", "r");
    if (!f) {
        fatal(p, "Can't open patch file %s : %s", p->input, strerror(errno));
        return false;
    }
    StrBuf b;
    sb_init(&b);
    char buf[65536];
    ssize_t n;
    while ((n = uc_fread(f, buf, sizeof buf)) > 0) sb_put(&b, buf, (size_t)n);
    uc_close(f);
    p->size = b.len;
    p->text = b.s ? sb_take(&b) : xstrdup("");
    size_t cap = 64;
    p->lines = xmalloc(cap * sizeof *p->lines);
    p->lens = xmalloc(cap * sizeof *p->lens);
    p->nl = xmalloc(cap * sizeof *p->nl);
    p->cr = xmalloc(cap * sizeof *p->cr);
    for (size_t i = 0; i < p->size;) {
        const char *s = p->text + i, *e = memchr(s, '\n', p->size - i);
        size_t len = e ? (size_t)(e - s) : p->size - i;
        if (p->nlines == cap) {
            cap *= 2;
            p->lines = xrealloc(p->lines, cap * sizeof *p->lines);
            p->lens = xrealloc(p->lens, cap * sizeof *p->lens);
            p->nl = xrealloc(p->nl, cap * sizeof *p->nl);
            p->cr = xrealloc(p->cr, cap * sizeof *p->cr);
        }
        size_t raw = len;
        /* GNU strips a CR before each newline of the patch unless --binary */
        p->cr[p->nlines] = !p->binary && e && len && s[len - 1] == '\r';
        if (p->cr[p->nlines]) len--;
        p->lines[p->nlines] = s;
        p->lens[p->nlines] = len;
        p->nl[p->nlines++] = e != NULL;
        i += raw + (e ? 1 : 0);
    }
    return true;
}

static bool starts(const Patch *p, size_t i, const char *prefix) {
    size_t n = strlen(prefix);
    return i < p->nlines && p->lens[i] >= n && !memcmp(p->lines[i], prefix, n);
}

/* "NAME\tTIME" after a "--- " style prefix: the name up to a tab (or the
 * whole rest), and the rest as GNU keeps it for reject headers. */
static void header_name(const Patch *p, size_t i, size_t skip, char **name, char **timestr) {
    const char *s = p->lines[i] + skip;
    size_t len = p->lens[i] - skip;
    const char *tab = memchr(s, '\t', len);
    size_t nlen = tab ? (size_t)(tab - s) : len;
    while (nlen && s[nlen - 1] == '\r') nlen--;
    free(*name);
    free(*timestr);
    *name = xstrndup(s, nlen);
    *timestr = xstrndup(s + nlen, len - nlen);
}

static void hunk_add(Hunk *h, char type, const char *s, size_t len, bool newline) {
    if (h->n == h->cap) h->lines = xrealloc(h->lines, (h->cap = h->cap ? h->cap * 2 : 16) * sizeof *h->lines);
    h->lines[h->n++] = (PLine){type, s, len, newline};
}

static bool parse_range(const char *s, const char **end, long *first, long *count, bool *have_count) {
    char *e;
    *first = strtol(s, &e, 10);
    if (e == s) return false;
    *have_count = false;
    *count = 1;
    if (*e == ',') {
        const char *c = e + 1;
        *count = strtol(c, &e, 10);
        if (e == c) return false;
        *have_count = true;
    }
    *end = e;
    return true;
}

/* Parse errors are kept in the file patch: GNU reads hunks while applying,
 * so it reports them after "patching file" and the hunks before. */
static char *malformed_text(const Patch *p, size_t i, const char *text) {
    StrBuf b;
    sb_init(&b);
    sb_printf(&b, "malformed patch at line %zu: ", i + 1);
    if (text) sb_puts(&b, text);
    else sb_put(&b, p->lines[i], p->lens[i]);
    return sb_take(&b);
}

static void malformed(Patch *p, size_t i, char **err) {
    if (!*err) *err = malformed_text(p, i < p->nlines ? i : p->nlines - 1, NULL);
}

/* A "\ No newline at end of file" after a hunk line. */
static bool no_newline_marker(const Patch *p, size_t i) { return starts(p, i, "\\"); }

/* @@ -a,b +c,d @@ and its lines; *i is past them afterwards. A hunk cut
 * short by the end of the patch gets blank context lines, as GNU assumes
 * trailing blank lines were chopped, while fewer than 3 lines are missing. */
static bool parse_unified_hunk(Patch *p, size_t *i, Hunk *h, char **err) {
    const char *s = p->lines[*i] + 4, *e;
    bool hc;
    if (!parse_range(s, &e, &h->old_first, &h->old_count, &hc) || strncmp(e, " +", 2) != 0 ||
        !parse_range(e + 2, &e, &h->new_first, &h->new_count, &hc) || strncmp(e, " @@", 3) != 0) {
        malformed(p, *i, err);
        return false;
    }
    size_t fl = p->lens[*i] - (size_t)(e + 3 - p->lines[*i]);
    h->func = fl ? xstrndup(e + 3, fl) : NULL;
    long old = h->old_count, new = h->new_count;
    size_t k = *i + 1;
    while (old > 0 || new > 0) {
        bool eof = k >= p->nlines;
        if (eof && (old > 2 || new > 2)) {
            *err = xstrdup("unexpected end of file in patch");
            return false;
        }
        const char *l = eof ? "" : p->lines[k];
        size_t len = eof ? 0 : p->lens[k];
        char t = len ? l[0] : ' ';
        if ((t == ' ' && old > 0 && new > 0) || (t == '-' && old > 0) || (t == '+' && new > 0)) {
            hunk_add(h, t, len ? l + 1 : l, len ? len - 1 : 0, true);
            if (t != '+') old--;
            if (t != '-') new--;
        } else if (t == '\\' && h->n) {
            h->lines[h->n - 1].newline = false;
        } else {
            if (eof) *err = malformed_text(p, p->nlines ? p->nlines - 1 : 0, " \n");
            else malformed(p, k, err);
            return false;
        }
        if (!eof) k++;
        if (no_newline_marker(p, k) && (old > 0 || new > 0)) h->lines[h->n - 1].newline = false, k++;
    }
    if (no_newline_marker(p, k)) h->lines[h->n - 1].newline = false, k++;
    *i = k;
    return true;
}

/* ---------- context hunks ---------- */

typedef struct Side {
    PLine *v;
    size_t n, cap;
} Side;

static void side_add(Side *s, char t, const char *text, size_t len) {
    if (s->n == s->cap) s->v = xrealloc(s->v, (s->cap = s->cap ? s->cap * 2 : 16) * sizeof *s->v);
    s->v[s->n++] = (PLine){t, text, len, true};
}

/* "*** a,b ****" or "--- a,b ----": the range, and how many lines it spans. */
static bool context_range(const Patch *p, size_t i, const char *lead, long *first, long *count) {
    const char *s = p->lines[i] + strlen(lead), *e;
    long last;
    bool have;
    if (!parse_range(s, &e, first, &last, &have)) return false;
    *count = have ? last - *first + 1 : (*first ? 1 : 0);
    if (!have && *first == 0) *count = 0;
    return true;
}

/* Reads one side's lines ("  x", "- x", "+ x", "! x") until the stop prefix. */
static size_t context_side(Patch *p, size_t k, const char *stop, Side *side) {
    while (k < p->nlines && !starts(p, k, stop) && !starts(p, k, "***************") &&
           (p->lens[k] >= 2 || (p->lens[k] == 1 && strchr(" -+!", p->lines[k][0])) || !p->lens[k])) {
        const char *l = p->lines[k];
        size_t len = p->lens[k];
        if (len && l[0] == '\\') {
            if (side->n) side->v[side->n - 1].newline = false;
            k++;
            continue;
        }
        if (len && !strchr(" -+!", l[0])) break;
        if (len >= 2 && l[1] != ' ' && l[1] != '\t') break;
        side_add(side, len ? l[0] : ' ', len > 2 ? l + 2 : l + len, len > 2 ? len - 2 : 0);
        k++;
    }
    return k;
}

/* Interleaves the two sides of a context hunk into context / - / + lines. */
static void merge_sides(Hunk *h, Side *o, Side *n) {
    size_t i = 0, j = 0;
    while (i < o->n || j < n->n) {
        if (i < o->n && j < n->n && o->v[i].type == ' ' && n->v[j].type == ' ') {
            PLine l = o->v[i];
            hunk_add(h, ' ', l.s, l.len, l.newline);
            i++, j++;
            continue;
        }
        while (i < o->n && o->v[i].type != ' ') hunk_add(h, '-', o->v[i].s, o->v[i].len, o->v[i].newline), i++;
        while (j < n->n && n->v[j].type != ' ') hunk_add(h, '+', n->v[j].s, n->v[j].len, n->v[j].newline), j++;
        if ((i < o->n) != (j < n->n)) {
            /* one side ran out of context: keep what is left as it is */
            while (i < o->n) hunk_add(h, o->v[i].type == ' ' ? ' ' : '-', o->v[i].s, o->v[i].len, o->v[i].newline), i++;
            while (j < n->n) hunk_add(h, n->v[j].type == ' ' ? ' ' : '+', n->v[j].s, n->v[j].len, n->v[j].newline), j++;
        }
    }
}

static void fill_omitted(Side *missing, const Side *from) {
    for (size_t k = 0; k < from->n; k++)
        if (from->v[k].type == ' ') side_add(missing, ' ', from->v[k].s, from->v[k].len);
}

static bool parse_context_hunk(Patch *p, size_t *i, Hunk *h, char **err) {
    size_t k = *i + 1;
    if (p->lens[*i] > 15) h->func = xstrndup(p->lines[*i] + 15, p->lens[*i] - 15);
    if (!starts(p, k, "*** ") || !context_range(p, k, "*** ", &h->old_first, &h->old_count)) {
        malformed(p, k < p->nlines ? k : *i, err);
        return false;
    }
    Side o = {0}, n = {0};
    k = context_side(p, k + 1, "--- ", &o);
    if (!starts(p, k, "--- ") || !context_range(p, k, "--- ", &h->new_first, &h->new_count)) {
        free(o.v);
        malformed(p, k < p->nlines ? k : *i, err);
        return false;
    }
    k = context_side(p, k + 1, "*** ", &n);
    if (!o.n && h->old_count) fill_omitted(&o, &n);
    if (!n.n && h->new_count) fill_omitted(&n, &o);
    merge_sides(h, &o, &n);
    free(o.v);
    free(n.v);
    *i = k;
    return true;
}

/* ---------- normal hunks ---------- */

static bool is_normal_command(const Patch *p, size_t i) {
    const char *s = p->lines[i], *e = s + p->lens[i];
    if (s == e || !isdigit((unsigned char)*s)) return false;
    while (s < e && (isdigit((unsigned char)*s) || *s == ',')) s++;
    if (s == e || !strchr("acd", *s)) return false;
    s++;
    if (s == e || !isdigit((unsigned char)*s)) return false;
    while (s < e && (isdigit((unsigned char)*s) || *s == ',')) s++;
    return s == e;
}

static bool parse_normal_hunk(Patch *p, size_t *i, Hunk *h, char **err) {
    const char *s = p->lines[*i], *e;
    long a, b, c, d;
    bool hb, hd;
    parse_range(s, &e, &a, &b, &hb);
    char cmd = *e;
    parse_range(e + 1, &e, &c, &d, &hd);
    long nold = cmd == 'a' ? 0 : hb ? b - a + 1 : 1, nnew = cmd == 'd' ? 0 : hd ? d - c + 1 : 1;
    h->old_first = a, h->old_count = nold, h->new_first = c, h->new_count = nnew;
    size_t k = *i + 1;
    for (long x = 0; x < nold; x++, k++) {
        if (!starts(p, k, "< ") && !(starts(p, k, "<") && p->lens[k] == 1)) {
            malformed(p, k < p->nlines ? k : *i, err);
            return false;
        }
        hunk_add(h, '-', p->lines[k] + 2 - (p->lens[k] == 1), p->lens[k] > 1 ? p->lens[k] - 2 : 0, true);
        if (no_newline_marker(p, k + 1)) h->lines[h->n - 1].newline = false, k++;
    }
    if (nold && nnew) {
        if (!starts(p, k, "---")) {
            malformed(p, k < p->nlines ? k : *i, err);
            return false;
        }
        k++;
    }
    for (long x = 0; x < nnew; x++, k++) {
        if (!starts(p, k, "> ") && !(starts(p, k, ">") && p->lens[k] == 1)) {
            malformed(p, k < p->nlines ? k : *i, err);
            return false;
        }
        hunk_add(h, '+', p->lines[k] + 2 - (p->lens[k] == 1), p->lens[k] > 1 ? p->lens[k] - 2 : 0, true);
        if (no_newline_marker(p, k + 1)) h->lines[h->n - 1].newline = false, k++;
    }
    *i = k;
    return true;
}

/* ---------- splitting the patch into file patches ---------- */

static void fp_free(FilePatch *f) {
    for (int i = 0; i < 3; i++) free(f->name[i]);
    for (int i = 0; i < 2; i++) free(f->timestr[i]);
    for (size_t i = 0; i < f->nh; i++) {
        free(f->hunks[i].lines);
        free(f->hunks[i].func);
    }
    free(f->hunks);
    free(f->error);
    memset(f, 0, sizeof *f);
}

static Hunk *new_hunk(FilePatch *f) {
    f->hunks = xrealloc(f->hunks, (f->nh + 1) * sizeof *f->hunks);
    Hunk *h = &f->hunks[f->nh++];
    memset(h, 0, sizeof *h);
    return h;
}

static int detect_format(const Patch *p, size_t i) {
    if (starts(p, i, "@@ -")) return PF_UNIFIED;
    if (starts(p, i, "***************")) return PF_CONTEXT;
    if (is_normal_command(p, i)) return PF_NORMAL;
    return PF_NONE;
}

static void git_header(const Patch *p, size_t i, FilePatch *f) {
    f->git = true;
    const char *s = p->lines[i] + 11;
    size_t len = p->lens[i] - 11;
    const char *sp = NULL;
    for (size_t k = 0; k + 3 < len; k++)
        if (!memcmp(s + k, " b/", 3)) sp = s + k;
    if (sp) {
        free(f->name[0]);
        free(f->name[1]);
        f->name[0] = xstrndup(s, (size_t)(sp - s));
        f->name[1] = xstrndup(sp + 1, len - (size_t)(sp + 1 - s));
    }
}

/* Header lines before a hunk: names from ---/+++, ***, Index:, diff --git. */
static void header_line(const Patch *p, size_t i, FilePatch *f) {
    if (starts(p, i, "--- ") && starts(p, i + 1, "+++ ")) {
        header_name(p, i, 4, &f->name[0], &f->timestr[0]);
        header_name(p, i + 1, 4, &f->name[1], &f->timestr[1]);
    } else if (starts(p, i, "+++ ") && !(i > 0 && starts(p, i - 1, "--- "))) {
        header_name(p, i, 4, &f->name[1], &f->timestr[1]);
    } else if (starts(p, i, "--- ") && !(i > 0 && (starts(p, i - 1, "*** ")))) {
        header_name(p, i, 4, &f->name[0], &f->timestr[0]);
    } else if (starts(p, i, "*** ") && starts(p, i + 1, "--- ")) {
        header_name(p, i, 4, &f->name[0], &f->timestr[0]);
        header_name(p, i + 1, 4, &f->name[1], &f->timestr[1]);
    } else if (starts(p, i, "*** ")) {
        header_name(p, i, 4, &f->name[0], &f->timestr[0]);
    } else if (starts(p, i, "Index: ")) {
        free(f->name[2]);
        f->name[2] = xstrndup(p->lines[i] + 7, p->lens[i] - 7);
    } else if (starts(p, i, "diff --git ")) {
        git_header(p, i, f);
    } else if (starts(p, i, "new file mode ")) {
        f->git_new = true;
        f->git_mode = (mode_t)strtol(p->lines[i] + 14, NULL, 8);
    } else if (starts(p, i, "deleted file mode ")) {
        f->git_delete = true;
    } else if (starts(p, i, "new mode ")) {
        f->git_mode = (mode_t)strtol(p->lines[i] + 9, NULL, 8);
    }
}

/* Finds the next file patch at or after *pos. False at the end. */
static bool next_file_patch(Patch *p, size_t *pos, FilePatch *f) {
    memset(f, 0, sizeof *f);
    size_t i = *pos;
    f->text_start = i;
    for (; i < p->nlines; i++) {
        int fmt = detect_format(p, i);
        if (fmt == PF_UNIFIED && p->force_format && p->force_format != PF_UNIFIED) fmt = PF_NONE;
        if (fmt != PF_NONE) {
            f->format = fmt;
            break;
        }
        if (starts(p, i, "diff --git ") && i > f->text_start) {
            /* a git header starts a new file patch: forget what came before */
            fp_free(f);
            f->text_start = i;
        }
        header_line(p, i, f);
    }
    if (i >= p->nlines) {
        *pos = i;
        return false;
    }
    f->text_end = i;
    f->first_hunk_line = i + 1;
    for (size_t k = f->text_start; k < p->nlines && !p->cr_said; k++)
        if (p->cr[k]) {
            say_always(p, "(Stripping trailing CRs from patch; use --binary to disable.)\n");
            p->cr_said = true;
        }
    while (i < p->nlines && !p->fatal && detect_format(p, i) == f->format) {
        Hunk *h = new_hunk(f);
        bool ok = f->format == PF_UNIFIED ? parse_unified_hunk(p, &i, h, &f->error)
                : f->format == PF_CONTEXT ? parse_context_hunk(p, &i, h, &f->error)
                                          : parse_normal_hunk(p, &i, h, &f->error);
        if (!ok) {
            free(h->lines);
            free(h->func);
            f->nh--;
            break;
        }
    }
    *pos = i;
    return !p->fatal;
}

/* ---------- file names ---------- */

static bool dev_null(const char *name) { return name && !strcmp(name, "/dev/null"); }

/* A timestamp of the epoch (in any zone near it) marks a missing file. */
static bool epoch_time(const char *ts) {
    if (!ts) return false;
    while (*ts == '\t' || *ts == ' ') ts++;
    return !strncmp(ts, "1970-01-01 ", 11) || !strncmp(ts, "1969-12-31 ", 11) ||
           !strncmp(ts, "Thu Jan  1 ", 11) || !strncmp(ts, "Wed Dec 31 ", 11);
}

/* GNU's pch_says_nonexistent: 2 when the patch surely says the side's file
 * does not exist (/dev/null, the epoch, git's new/deleted file), 1 when it
 * may not (every hunk is empty on that side), else 0. */
static int says_nonexistent(const FilePatch *f, int side) {
    if (f->git && (side == 0 ? f->git_new : f->git_delete)) return 2;
    if (dev_null(f->name[side]) || epoch_time(f->timestr[side])) return 2;
    /* GNU reads the empty-range hint from unified and context headers only */
    if (!f->nh || f->format == PF_NORMAL) return 0;
    for (size_t i = 0; i < f->nh; i++)
        if ((side == 0 ? f->hunks[i].old_count : f->hunks[i].new_count) != 0) return 0;
    return 1;
}

static char *strip_name(const Patch *p, const char *name) {
    if (!name || dev_null(name)) return NULL;
    const char *s = name;
    if (p->strip < 0) {
        const char *slash = strrchr(s, '/');
        return xstrdup(slash ? slash + 1 : s);
    }
    for (long k = 0; k < p->strip; k++) {
        const char *slash = strchr(s, '/');
        if (!slash) return NULL;
        s = slash + 1;
        while (*s == '/') s++;
    }
    return *s ? xstrdup(s) : NULL;
}

static char *in_dir(const Patch *p, const char *name) {
    if (!p->dir || name[0] == '/') return xstrdup(name);
    char *r = xmalloc(strlen(p->dir) + strlen(name) + 2);
    sprintf(r, "%s/%s", p->dir, name);
    return r;
}

static bool exists(const Patch *p, const char *name) {
    char *path = in_dir(p, name);
    struct stat st;
    bool ok = lstat(path, &st) == 0;
    free(path);
    return ok;
}

static size_t components(const char *s) {
    size_t n = 1;
    for (; *s; s++)
        if (*s == '/' && s[1] && s[1] != '/') n++;
    return n;
}

static const char *basename_of(const char *s) {
    const char *slash = strrchr(s, '/');
    return slash ? slash + 1 : s;
}

/* GNU's best_name: fewest components, then shortest base name, then shortest name. */
static int best_name(char *const names[3], const bool ok[3]) {
    int best = -1;
    for (int i = 0; i < 3; i++) {
        if (!names[i] || !ok[i]) continue;
        if (best < 0) {
            best = i;
            continue;
        }
        size_t ci = components(names[i]), cb = components(names[best]);
        size_t bi = strlen(basename_of(names[i])), bb = strlen(basename_of(names[best]));
        if (ci < cb || (ci == cb && (bi < bb || (bi == bb && strlen(names[i]) < strlen(names[best]))))) best = i;
    }
    return best;
}

/* Directories that would have to be made for path. */
static int missing_dirs(const Patch *p, const char *name) {
    int n = 0;
    char *path = in_dir(p, name);
    for (char *s = strrchr(path, '/'); s && s > path; s = strrchr(path, '/')) {
        *s = '\0';
        struct stat st;
        if (stat(path, &st) == 0) break;
        n++;
    }
    free(path);
    return n;
}

/* The file to patch (relative to -d): the best existing candidate, else,
 * when the patch creates a file, the best one needing the fewest new
 * directories. *first gets the first candidate for the create/delete
 * check when there is none. */
static char *choose_file(const Patch *p, const FilePatch *f, char **first) {
    *first = NULL;
    if (p->file_arg) return xstrdup(p->file_arg);
    char *names[3];
    for (int i = 0; i < 3; i++) names[i] = strip_name(p, f->name[i]);
    bool ok[3];
    for (int i = 0; i < 3; i++) ok[i] = names[i] && exists(p, names[i]);
    int b = best_name(names, ok);
    if (b < 0 && says_nonexistent(f, p->reverse ? 1 : 0)) {
        int fewest = 1 << 30;
        for (int i = 0; i < 3; i++)
            if (names[i] && missing_dirs(p, names[i]) < fewest) fewest = missing_dirs(p, names[i]);
        bool cand[3];
        for (int i = 0; i < 3; i++) cand[i] = names[i] && missing_dirs(p, names[i]) == fewest;
        b = best_name(names, cand);
    }
    for (int i = 0; i < 3 && b < 0 && !*first; i++)
        if (names[i]) *first = xstrdup(names[i]);
    char *r = b >= 0 ? xstrdup(names[b]) : NULL;
    for (int i = 0; i < 3; i++) free(names[i]);
    return r;
}

/* ---------- the input file ---------- */

typedef struct Input {
    char *data;
    size_t size;
    const char **line;
    size_t *len;
    bool *nl;
    size_t n;
} Input;

static void input_free(Input *in) {
    free(in->data);
    free(in->line);
    free(in->len);
    free(in->nl);
    memset(in, 0, sizeof *in);
}

static bool load_input(Patch *p, const char *path, Input *in, struct stat *st, bool *missing) {
    memset(in, 0, sizeof *in);
    *missing = false;
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        if (errno != ENOENT) return false;
        *missing = true;
        in->data = xstrdup("");
        memset(st, 0, sizeof *st);
        st->st_mode = S_IFREG | 0644;
    } else {
        fstat(fd, st);
        StrBuf b;
        sb_init(&b);
        char buf[65536];
        ssize_t r;
        while ((r = read(fd, buf, sizeof buf)) > 0) sb_put(&b, buf, (size_t)r);
        close(fd);
        in->size = b.len;
        in->data = b.s ? sb_take(&b) : xstrdup("");
    }
    size_t cap = 64;
    in->line = xmalloc(cap * sizeof *in->line);
    in->len = xmalloc(cap * sizeof *in->len);
    in->nl = xmalloc(cap * sizeof *in->nl);
    for (size_t i = 0; i < in->size;) {
        const char *s = in->data + i, *e = memchr(s, '\n', in->size - i);
        size_t len = e ? (size_t)(e - s) : in->size - i;
        if (in->n == cap) {
            cap *= 2;
            in->line = xrealloc(in->line, cap * sizeof *in->line);
            in->len = xrealloc(in->len, cap * sizeof *in->len);
            in->nl = xrealloc(in->nl, cap * sizeof *in->nl);
        }
        in->line[in->n] = s, in->len[in->n] = len, in->nl[in->n++] = e != NULL;
        i += len + (e ? 1 : 0);
    }
    (void)p;
    return true;
}

/* ---------- matching ---------- */

/* Whitespace-insensitive comparison for -l. */
static bool similar(const char *a, size_t al, const char *b, size_t bl) {
    size_t i = 0, j = 0;
    while (i < al || j < bl) {
        bool wa = i < al && isspace((unsigned char)a[i]), wb = j < bl && isspace((unsigned char)b[j]);
        if (wa || wb) {
            if (!(wa && wb) && i < al && j < bl) return false;
            while (i < al && isspace((unsigned char)a[i])) i++;
            while (j < bl && isspace((unsigned char)b[j])) j++;
            continue;
        }
        if (i >= al || j >= bl || a[i] != b[j]) return false;
        i++, j++;
    }
    return true;
}

/* The hunk's old side, with the sides swapped for -R. */
typedef struct Pattern {
    const PLine **v;
    size_t n, prefix, suffix;
} Pattern;

static char eff(const Patch *p, char t) {
    if (!p->reverse || t == ' ') return t;
    return t == '-' ? '+' : '-';
}

static void pattern_of(const Patch *p, const Hunk *h, bool reverse, Pattern *pt) {
    pt->v = xmalloc((h->n + 1) * sizeof *pt->v);
    pt->n = pt->prefix = pt->suffix = 0;
    char old = reverse ? '+' : '-';
    for (size_t i = 0; i < h->n; i++)
        if (h->lines[i].type == ' ' || h->lines[i].type == old) pt->v[pt->n++] = &h->lines[i];
    /* the context before the first and after the last change of either kind */
    while (pt->prefix < h->n && h->lines[pt->prefix].type == ' ') pt->prefix++;
    while (pt->suffix < h->n - pt->prefix && h->lines[h->n - 1 - pt->suffix].type == ' ') pt->suffix++;
    (void)p;
}

static bool line_eq(const Patch *p, const Input *in, size_t li, const PLine *l) {
    if (p->ignore_ws) return similar(in->line[li], in->len[li], l->s, l->len);
    return in->len[li] == l->len && in->nl[li] == l->newline && !memcmp(in->line[li], l->s, l->len);
}

/* GNU's patch_match: lines [base+offset .. ) against the pattern, the
 * first prefix_fuzz and last suffix_fuzz lines not checked. base is 1-based. */
static bool patch_match(const Patch *p, const Input *in, const Pattern *pt, long base, long offset, long pfz,
                        long sfz) {
    long pat_lines = (long)pt->n - sfz;
    long iline = base + offset + pfz;
    for (long pl = 1 + pfz; pl <= pat_lines; pl++, iline++) {
        if (iline < 1 || iline > (long)in->n) return false;
        if (!line_eq(p, in, (size_t)(iline - 1), pt->v[pl - 1])) return false;
    }
    return true;
}

typedef struct Where {
    long in_offset;        /* accumulated offset between the patch's and the input's numbering */
    long last_frozen;      /* last input line already written */
} Where;

/* GNU patch 2.7's locate_hunk: the hunk's place at this fuzz, searching
 * outwards from where the previous hunks put it (+0, -0, +1, -1, ...),
 * never before the lines already written; 0 when it is nowhere. */
static long locate(const Patch *p, const Input *in, const Pattern *pt, long first, Where *w, long fuzz) {
    long first_guess = first + w->in_offset;
    long pat_lines = (long)pt->n, prefix = (long)pt->prefix, suffix = (long)pt->suffix;
    long context = prefix < suffix ? suffix : prefix;
    long pfz = fuzz + prefix - context, sfz = fuzz + suffix - context;
    long max_where = (long)in->n - (pat_lines - sfz) + 1;
    long min_where = w->last_frozen + 1;
    long max_pos = max_where - first_guess, max_neg = first_guess - min_where;
    long max_offset = max_pos < max_neg ? max_neg : max_pos;
    if (!pat_lines) return first_guess;
    if (first_guess <= max_neg) max_neg = first_guess - 1;
    if (pfz < 0 && first <= 1) {
        /* only the start of the file (or, without suffix context, all of it) */
        if (sfz < 0 && (pat_lines != (long)in->n || prefix < w->last_frozen)) return 0;
        long off = 1 - first_guess;
        if (w->last_frozen <= prefix && off <= max_pos && patch_match(p, in, pt, first_guess, off, 0, sfz)) {
            w->in_offset += off;
            return first_guess + off;
        }
        return 0;
    }
    if (pfz < 0) pfz = 0;
    if (sfz < 0) {
        /* only the end of the file */
        long off = first_guess - ((long)in->n - pat_lines + 1);
        if (off <= max_neg && patch_match(p, in, pt, first_guess, -off, pfz, 0)) {
            w->in_offset -= off;
            return first_guess - off;
        }
        return 0;
    }
    long min_offset = max_pos < 0 ? first_guess - max_where : max_neg < 0 ? first_guess - min_where : 0;
    for (long off = min_offset; off <= max_offset; off++) {
        if (off <= max_pos && patch_match(p, in, pt, first_guess, off, pfz, sfz)) {
            w->in_offset += off;
            return first_guess + off;
        }
        if (off <= max_neg && patch_match(p, in, pt, first_guess, -off, pfz, sfz)) {
            w->in_offset -= off;
            return first_guess - off;
        }
    }
    return 0;
}

/* ---------- applying ---------- */

typedef struct Output {
    StrBuf b;
    long lines;           /* lines written */
} Output;

static void out_line(Output *o, const char *s, size_t len, bool nl) {
    sb_put(&o->b, s, len);
    if (nl) sb_putc(&o->b, '\n');
    o->lines++;
}

static void copy_until(Output *o, const Input *in, Where *w, long upto) {
    while (w->last_frozen < upto && w->last_frozen < (long)in->n) {
        size_t i = (size_t)w->last_frozen++;
        out_line(o, in->line[i], in->len[i], in->nl[i]);
    }
}

static long hunk_first(const Hunk *h, bool reverse) {
    long first = reverse ? h->new_first : h->old_first, count = reverse ? h->new_count : h->old_count;
    return count ? first : first + 1;
}

static long hunk_newfirst(const Hunk *h, bool reverse) {
    long first = reverse ? h->old_first : h->new_first, count = reverse ? h->old_count : h->new_count;
    return count ? first : first + 1;
}

/* Writes the hunk applied at input line `where` (1-based), as GNU's
 * apply_hunk: input lines are copied up to each change, so context comes
 * from the input, and the trailing context stays unfrozen (the next hunk
 * may overlap it). */
static void apply(const Patch *p, const Hunk *h, const Input *in, Output *o, Where *w, long where) {
    long old = 1;
    for (size_t i = 0; i < h->n; i++) {
        const PLine *l = &h->lines[i];
        char t = eff(p, l->type);
        if (t == ' ') {
            old++;
        } else if (t == '-') {
            copy_until(o, in, w, where + old - 2);
            w->last_frozen++;
            old++;
        } else {
            copy_until(o, in, w, where + old - 2);
            out_line(o, l->s, l->len, l->newline);
        }
    }
}

/* ---------- rejects ---------- */

static void rej_range_unified(StrBuf *b, long first, long count) {
    if (count == 1) sb_printf(b, "%ld", first);
    else sb_printf(b, "%ld,%ld", count ? first : first - 1, count);
}

static void rej_line(StrBuf *b, const char *flag, const PLine *l) {
    sb_puts(b, flag);
    sb_put(b, l->s, l->len);
    sb_putc(b, '\n');
    if (!l->newline) sb_puts(b, "\\ No newline at end of file\n");
}

static void reject_header(const Patch *p, const FilePatch *f, StrBuf *b) {
    int o = p->reverse ? 1 : 0;
    if (f->format == PF_UNIFIED) {
        if (f->name[2]) sb_printf(b, "Index: %s\n", f->name[2]);
        sb_printf(b, "--- %s%s\n", f->name[o] ? f->name[o] : "/dev/null", f->timestr[o] ? f->timestr[o] : "");
        sb_printf(b, "+++ %s%s\n", f->name[!o] ? f->name[!o] : "/dev/null", f->timestr[!o] ? f->timestr[!o] : "");
    } else {
        sb_printf(b, "*** %s%s\n", f->name[o] ? f->name[o] : "/dev/null", f->timestr[o] ? f->timestr[o] : "");
        sb_printf(b, "--- %s%s\n", f->name[!o] ? f->name[!o] : "/dev/null", f->timestr[!o] ? f->timestr[!o] : "");
    }
}

static void reject_unified(const Patch *p, const Hunk *h, long out_offset, StrBuf *b) {
    long of = hunk_first(h, p->reverse) + out_offset, nf = hunk_newfirst(h, p->reverse) + out_offset;
    long oc = p->reverse ? h->new_count : h->old_count, nc = p->reverse ? h->old_count : h->new_count;
    sb_puts(b, "@@ -");
    rej_range_unified(b, of, oc);
    sb_puts(b, " +");
    rej_range_unified(b, nf, nc);
    sb_printf(b, " @@%s\n", h->func ? h->func : "");
    for (size_t i = 0; i < h->n;) {
        if (h->lines[i].type == ' ') {
            rej_line(b, " ", &h->lines[i++]);
            continue;
        }
        /* a block of changes: its deletions first, as GNU writes them */
        size_t j = i;
        while (j < h->n && h->lines[j].type != ' ') j++;
        for (size_t k = i; k < j; k++)
            if (eff(p, h->lines[k].type) == '-') rej_line(b, "-", &h->lines[k]);
        for (size_t k = i; k < j; k++)
            if (eff(p, h->lines[k].type) == '+') rej_line(b, "+", &h->lines[k]);
        i = j;
    }
}

/* A context-format reject: both sides, "!" where lines were replaced. */
static void reject_context_side(const Patch *p, const Hunk *h, StrBuf *b, bool new_side, bool bangs) {
    for (size_t i = 0; i < h->n;) {
        char t = eff(p, h->lines[i].type);
        if (t == ' ') {
            rej_line(b, "  ", &h->lines[i++]);
            continue;
        }
        size_t j = i;
        bool dels = false, adds = false;
        while (j < h->n && eff(p, h->lines[j].type) != ' ') {
            if (eff(p, h->lines[j].type) == '-') dels = true;
            else adds = true;
            j++;
        }
        bool changed = dels && adds && bangs;
        for (; i < j; i++) {
            char ti = eff(p, h->lines[i].type);
            if ((ti == '-') == new_side) continue;
            rej_line(b, changed ? "! " : new_side ? "+ " : "- ", &h->lines[i]);
        }
    }
}

static void reject_context(const Patch *p, const FilePatch *f, const Hunk *h, long out_offset, StrBuf *b) {
    bool normal = f->format == PF_NORMAL;
    const char *stars = normal ? "" : " ****", *minuses = normal ? " -----" : " ----";
    long of = hunk_first(h, p->reverse) + out_offset, nf = hunk_newfirst(h, p->reverse) + out_offset;
    long oc = p->reverse ? h->new_count : h->old_count, nc = p->reverse ? h->old_count : h->new_count;
    long ol = of + oc - 1, nl = nf + nc - 1;
    sb_printf(b, "***************%s\n", h->func ? h->func : "");
    if (ol < of) sb_printf(b, "*** 0%s\n", stars);
    else if (ol == of) sb_printf(b, "*** %ld%s\n", of, stars);
    else sb_printf(b, "*** %ld,%ld%s\n", of, ol, stars);
    reject_context_side(p, h, b, false, !normal);
    if (nl < nf) sb_printf(b, "--- 0%s\n", minuses);
    else if (nl == nf) sb_printf(b, "--- %ld%s\n", nf, minuses);
    else sb_printf(b, "--- %ld,%ld%s\n", nf, nl, minuses);
    reject_context_side(p, h, b, true, !normal);
}

/* ---------- questions without a terminal ---------- */

/* GNU's ok_to_reverse. True when the patch should be applied reversed;
 * *skip is set when the file patch is to be skipped. */
static bool ok_to_reverse(Patch *p, const char *what, bool *skip) {
    say_always(p, what);
    if (p->forward) {
        say_always(p, "  Skipping patch.\n");
        *skip = true;
        return false;
    }
    if (p->force) {
        say(p, "  Applying it anyway.\n");
        return false;
    }
    if (p->batch) {
        say_always(p, p->reverse ? "  Ignoring -R.\n" : "  Assuming -R.\n");
        return true;
    }
    /* no terminal: both questions take their default, no */
    say_always(p, p->reverse ? "  Ignore -R? [n] \n" : "  Assume -R? [n] \n");
    say_always(p, "Apply anyway? [n] \n");
    say(p, "Skipping patch.\n");
    *skip = true;
    return false;
}

/* ---------- one file ---------- */

typedef struct Result {
    int failed, hunks;
    bool mismatch, skipped, named;  /* named: rejects can be saved (a file was chosen) */
    StrBuf rej;
} Result;

static char *path_of(const Patch *p, const char *name) { return in_dir(p, name); }

static void show_leading_text(Patch *p, const FilePatch *f) {
    say_always(p, "The text leading up to this was:\n--------------------------\n");
    for (size_t i = f->text_start; i < f->text_end; i++) {
        uout_putc(&p->out, '|');
        uout_put(&p->out, p->lines[i], p->lens[i]);
        uout_putc(&p->out, '\n');
    }
    say_always(p, "--------------------------\n");
}

static void cant_find(Patch *p, const FilePatch *f, Result *r) {
    uout_printf(&p->out, "can't find file to patch at input line %zu\n", f->first_hunk_line);
    say_always(p, p->strip >= 0 ? "Perhaps you used the wrong -p or --strip option?\n"
                                : "Perhaps you should have used the -p or --strip option?\n");
    show_leading_text(p, f);
    if (p->force || p->batch) {
        say_always(p, "No file to patch.  Skipping patch.\n");
    } else {
        say_always(p, "File to patch: \nSkip this patch? [y] \n");
        say(p, "Skipping patch.\n");
    }
    r->skipped = true;
}

/* GNU's maybe_reverse: a patch that creates a file that exists, deletes
 * one that does not or empties an empty one looks reversed. True when the
 * file patch is to be skipped. */
static bool existence_conflict(Patch *p, const FilePatch *f, const char *name, bool missing, off_t size,
                               Result *r) {
    int old_says = says_nonexistent(f, p->reverse ? 1 : 0), new_says = says_nonexistent(f, p->reverse ? 0 : 1);
    bool empty = missing || size == 0;
    bool looks = (empty ? 0 : 1) < (empty ? new_says : old_says);
    if (empty && (missing ? new_says : old_says) == 1 && (missing ? old_says : new_says) == 2) looks = false;
    if (!looks) return false;
    StrBuf b;
    sb_init(&b);
    sb_printf(&b, "The next patch%s would %s the file %s,\nwhich %s!", p->reverse ? ", when reversed," : "",
              !empty ? "create" : missing ? "delete" : "empty out", name,
              !empty ? "already exists" : missing ? "does not exist" : "is already empty");
    bool skip = false;
    if (ok_to_reverse(p, b.s, &skip)) p->reverse = !p->reverse;
    sb_free(&b);
    if (skip) r->skipped = true;
    return skip;
}

static void reject(Patch *p, const FilePatch *f, const Hunk *h, long out_offset, Result *r) {
    if (!r->rej.len) reject_header(p, f, &r->rej);
    if (f->format == PF_UNIFIED) reject_unified(p, h, out_offset, &r->rej);
    else reject_context(p, f, h, out_offset, &r->rej);
}

/* Finds where hunk h applies, trying fuzz 0..max and, for the first hunk,
 * whether the patch is reversed. 0 when it does not apply. */
static long find_place(Patch *p, const Hunk *h, const Input *in, Where *w, int hunk, bool *apply_anyway,
                       long *fuzz_used, Result *r) {
    Pattern pt;
    pattern_of(p, h, p->reverse, &pt);
    long context = pt.prefix < pt.suffix ? (long)pt.suffix : (long)pt.prefix;
    long maxfuzz = p->maxfuzz < context ? p->maxfuzz : context;
    long where = 0, fuzz = 0;
    do {
        where = locate(p, in, &pt, hunk_first(h, p->reverse), w, fuzz);
        if (!where || fuzz || w->in_offset) r->mismatch = true;
        if (hunk == 1 && !where && !p->force && !*apply_anyway && !r->skipped) {
            Pattern sw;
            pattern_of(p, h, !p->reverse, &sw);
            Where w2 = *w;
            long rw = locate(p, in, &sw, hunk_first(h, !p->reverse), &w2, fuzz);
            free(sw.v);
            if (rw) {
                bool skip = false;
                const char *msg = p->reverse ? "Unreversed patch detected!" : "Reversed (or previously applied) patch detected!";
                if (ok_to_reverse(p, msg, &skip)) {
                    p->reverse = !p->reverse;
                    *w = w2;
                    where = rw;
                    free(pt.v);
                    pattern_of(p, h, p->reverse, &pt);
                } else if (skip) {
                    r->skipped = true;
                } else {
                    *apply_anyway = true;
                }
            }
        }
    } while (!r->skipped && !where && ++fuzz <= maxfuzz);
    free(pt.v);
    *fuzz_used = fuzz;
    return r->skipped ? 0 : where;
}

static void apply_hunks(Patch *p, const FilePatch *f, const Input *in, Output *o, Result *r) {
    Where w = {0, 0};
    bool apply_anyway = false;
    for (size_t k = 0; k < f->nh; k++) {
        const Hunk *h = &f->hunks[k];
        int hunk = (int)k + 1;
        r->hunks++;
        long out_offset = o->lines - w.last_frozen, fuzz = 0;
        long where = r->skipped ? 0 : find_place(p, h, in, &w, hunk, &apply_anyway, &fuzz, r);
        long newwhere = (where ? where : hunk_first(h, p->reverse)) + out_offset;
        bool create_conflict = where == 1 && says_nonexistent(f, p->reverse ? 1 : 0) == 2 && in->size;
        if (r->skipped || !where || create_conflict) {
            if (r->named) reject(p, f, h, out_offset, r);
            r->failed++;
            if (!r->skipped) say(p, "Hunk #%d FAILED at %ld.\n", hunk, newwhere);
            continue;
        }
        apply(p, h, in, o, &w, where);
        if (fuzz || w.in_offset) {
            say(p, "Hunk #%d succeeded at %ld", hunk, newwhere);
            if (fuzz) say(p, " with fuzz %ld", fuzz);
            if (w.in_offset) say(p, " (offset %ld line%s)", w.in_offset, w.in_offset == 1 ? "" : "s");
            say(p, ".\n");
        }
    }
    copy_until(o, in, &w, (long)in->n);
}

static bool make_parents(const char *path) {
    char *d = xstrdup(path);
    for (char *s = d + 1; *s; s++) {
        if (*s != '/') continue;
        *s = '\0';
        if (mkdir(d, 0777) != 0 && errno != EEXIST) {
            free(d);
            return false;
        }
        *s = '/';
    }
    free(d);
    return true;
}

static bool write_file(Patch *p, const char *path, const char *data, size_t len, mode_t mode) {
    make_parents(path);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode & 07777);
    if (fd < 0) {
        fatal(p, "Can't create file %s : %s", path, strerror(errno));
        return false;
    }
    for (size_t off = 0; off < len;) {
        ssize_t n = write(fd, data + off, len - off);
        if (n <= 0) {
            close(fd);
            fatal(p, "write error : %s", strerror(errno));
            return false;
        }
        off += (size_t)n;
    }
    close(fd);
    return true;
}

static void backup_file(Patch *p, const char *path, const Input *in, bool missing, mode_t mode) {
    char *b = xmalloc(strlen(path) + strlen(p->suffix) + 1);
    sprintf(b, "%s%s", path, p->suffix);
    if (missing) {
        int fd = open(b, O_WRONLY | O_CREAT | O_TRUNC, 0666);
        if (fd >= 0) close(fd);
    } else {
        write_file(p, b, in->data, in->size, mode);
    }
    free(b);
}

static void write_result(Patch *p, const FilePatch *f, const char *name, const Input *in, bool missing,
                         const struct stat *st, Output *o, Result *r) {
    char *path = path_of(p, name);
    bool backup = p->backup || (p->backup_if_mismatch && (r->mismatch || r->failed));
    bool zero = o->b.len == 0;
    int delete_side = p->reverse ? 0 : 1;
    mode_t mode = st->st_mode;
    if (f->git_mode && !p->reverse) mode = (mode & ~07777u) | (f->git_mode & 07777);
    if (missing && !f->git_mode) mode = S_IFREG | 0644;
    if (zero && (p->remove_empty || says_nonexistent(f, delete_side) == 2)) {
        if (backup) backup_file(p, path, in, missing, mode);
        if (!missing) unlink(path);
    } else {
        if (!zero && says_nonexistent(f, delete_side) == 2) {
            r->mismatch = true;
            r->failed += 0;
            p->status = p->status < 1 ? 1 : p->status;
            say(p, "Not deleting file %s as content differs from patch\n", name);
        }
        if (backup) backup_file(p, path, in, missing, mode);
        if (r->failed < r->hunks || f->git_mode) write_file(p, path, o->b.s ? o->b.s : "", o->b.len, mode);
    }
    free(path);
}

static void save_rejects(Patch *p, const char *name, Result *r) {
    if (!r->failed) return;
    p->status = p->status < 1 ? 1 : p->status;
    say_always(p, "");
    uout_printf(&p->out, "%d out of %d hunk%s %s", r->failed, r->hunks, r->hunks == 1 ? "" : "s",
                r->skipped ? "ignored" : "FAILED");
    if (!r->named || p->dry_run) {
        uout_putc(&p->out, '\n');
        return;
    }
    char *rej = p->rejname ? xstrdup(p->rejname) : xmalloc(strlen(name) + 5);
    if (!p->rejname) sprintf(rej, "%s.rej", name);
    uout_printf(&p->out, " -- saving rejects to file %s\n", rej);
    char *path = path_of(p, rej);
    write_file(p, path, r->rej.s ? r->rej.s : "", r->rej.len, 0666);
    free(path);
    free(rej);
}

/* -o -: the result goes to stdout, so the messages go to stderr. */
static bool to_stdout(const Patch *p) { return p->outfile && strcmp(p->outfile, "-") == 0; }

static void patch_named(Patch *p, const FilePatch *f, const char *name, Input *in, bool missing,
                        const struct stat *st, Result *r) {
    r->named = true;
    const char *shown = p->outfile ? p->outfile : name;
    if (p->outfile) say(p, "%s file %s (read from %s)\n", p->dry_run ? "checking" : "patching", shown, name);
    else say(p, "%s file %s\n", p->dry_run ? "checking" : "patching", shown);
    Output o = {{0}, 0};
    sb_init(&o.b);
    apply_hunks(p, f, in, &o, r);
    if (f->error) {
        fatal(p, "%s", f->error);
    } else if (!r->skipped && to_stdout(p)) {
        /* GNU writes the result even with --dry-run or failed hunks */
        uout_flush(&p->out);
        if (o.b.len) uc_write(p->c, 1, o.b.s, o.b.len);
    } else if (!p->dry_run && !r->skipped) {
        if (p->outfile) write_file(p, p->outfile, o.b.s ? o.b.s : "", o.b.len, 0666);
        else write_result(p, f, name, in, missing, st, &o, r);
    }
    sb_free(&o.b);
}

static void patch_file(Patch *p, const FilePatch *f) {
    Result r = {0};
    sb_init(&r.rej);
    bool saved_reverse = p->reverse;
    char *first = NULL;
    char *name = choose_file(p, f, &first);
    const char *checked = name ? name : first;
    Input in = {0};
    struct stat st;
    memset(&st, 0, sizeof st);
    bool missing = true;
    char *path = checked ? path_of(p, checked) : NULL;
    if (path && !load_input(p, path, &in, &st, &missing)) {
        fatal(p, "Can't open file %s : %s", checked, strerror(errno));
    } else if (checked && existence_conflict(p, f, checked, missing, st.st_size, &r)) {
        /* skipped: no "patching file", no rejects */
    } else if (!name) {
        cant_find(p, f, &r);
    } else {
        patch_named(p, f, name, &in, missing, &st, &r);
    }
    if (r.skipped && !r.named) r.failed = r.hunks = (int)f->nh;
    if (!p->fatal) save_rejects(p, p->outfile ? p->outfile : name ? name : "", &r);
    if (r.skipped) p->status = p->status < 1 ? 1 : p->status;
    input_free(&in);
    free(path);
    free(name);
    free(first);
    sb_free(&r.rej);
    p->reverse = saved_reverse;
}

/* ---------- options ---------- */

enum { OPT_DRY = 0x100, OPT_NOBACKUP_MISMATCH, OPT_BACKUP_MISMATCH, OPT_POSIX, OPT_VERBOSE, OPT_BINARY, OPT_NOOP };

static const UOptLong patch_longs[] = {
    {"strip", UO_REQ, 'p'}, {"reverse", UO_NOARG, 'R'}, {"forward", UO_NOARG, 'N'}, {"input", UO_REQ, 'i'},
    {"output", UO_REQ, 'o'}, {"directory", UO_REQ, 'd'}, {"dry-run", UO_NOARG, OPT_DRY},
    {"backup", UO_NOARG, 'b'}, {"silent", UO_NOARG, 's'}, {"quiet", UO_NOARG, 's'}, {"force", UO_NOARG, 'f'},
    {"batch", UO_NOARG, 't'}, {"unified", UO_NOARG, 'u'}, {"context", UO_NOARG, 'c'}, {"normal", UO_NOARG, 'n'},
    {"ed", UO_NOARG, 'e'}, {"remove-empty-files", UO_NOARG, 'E'}, {"fuzz", UO_REQ, 'F'},
    {"ignore-whitespace", UO_NOARG, 'l'}, {"reject-file", UO_REQ, 'r'}, {"suffix", UO_REQ, 'z'},
    {"no-backup-if-mismatch", UO_NOARG, OPT_NOBACKUP_MISMATCH}, {"backup-if-mismatch", UO_NOARG, OPT_BACKUP_MISMATCH},
    {"posix", UO_NOARG, OPT_POSIX}, {"verbose", UO_NOARG, OPT_VERBOSE}, {"binary", UO_NOARG, OPT_BINARY},
    {"set-time", UO_NOARG, 'T'}, {"set-utc", UO_NOARG, 'Z'}, {"version-control", UO_REQ, 'V'},
    {"prefix", UO_REQ, 'B'}, {"basename-prefix", UO_REQ, 'Y'}, {"quoting-style", UO_REQ, OPT_NOOP},
    {NULL, 0, 0},
};

static int bad_number(Patch *p, const char *what, const char *arg) {
    uc_error(p->c, "**** %s %s is not a number", what, arg);
    return 2;
}

static int usage_error(Patch *p) {
    uc_error(p->c, "Try '%s --help' for more information.", uc_name(p->c));
    return 2;
}

static int patch_option(Patch *p, UOpts *o, int k) {
    uintmax_t v;
    switch (k) {
    case 'p':
        if (!u_parse_uint(o->arg, &v)) return bad_number(p, "strip count", o->arg);
        p->strip = (long)v;
        break;
    case 'R': p->reverse = true; break;
    case 'N': p->forward = true; break;
    case 'i': p->input = o->arg; break;
    case 'o': p->outfile = o->arg; break;
    case 'd': p->dir = o->arg; break;
    case OPT_DRY: p->dry_run = true; break;
    case 'b': p->backup = true; break;
    case 's': p->silent = true; break;
    case 'f': p->force = true; break;
    case 't': p->batch = true; break;
    case 'u': p->force_format = PF_UNIFIED; break;
    case 'c': p->force_format = PF_CONTEXT; break;
    case 'n': p->force_format = PF_NORMAL; break;
    case 'e':
        uc_error(p->c, "**** ed scripts are not supported");
        return 2;
    case 'E': p->remove_empty = true; break;
    case 'F':
        if (!u_parse_uint(o->arg, &v)) return bad_number(p, "fuzz factor", o->arg);
        p->maxfuzz = (long)v;
        break;
    case 'l': p->ignore_ws = true; break;
    case 'r': p->rejname = o->arg; break;
    case 'z': p->suffix = o->arg; break;
    case OPT_NOBACKUP_MISMATCH: p->backup_if_mismatch = false; break;
    case OPT_BACKUP_MISMATCH: p->backup_if_mismatch = true; break;
    case OPT_POSIX: p->backup_if_mismatch = false; break;
    case OPT_VERBOSE: p->verbose = true; break;
    case OPT_BINARY: p->binary = true; break;
    case 'T': case 'Z': case 'V': case 'B': case 'Y': case OPT_NOOP: break;
    case UO_HELP: u_help(p->c, "[OPTION]... [ORIGFILE [PATCHFILE]]"); return 0;
    case UO_VERSION: uc_puts(p->c, 1, "GNU patch 2.7.6 (wasmsh)\n"); return 0;
    default: return usage_error(p);
    }
    return -1;
}

int util_patch_main(UtilCtx *c, int argc, char **argv) {
    Patch *p = xcalloc(1, sizeof *p);
    p->c = c;
    p->strip = -1;
    p->maxfuzz = 2;
    p->suffix = ".orig";
    p->backup_if_mismatch = !uc_getenv(c, "POSIXLY_CORRECT");
    UOpts o;
    uopt_init(&o, c, argc, argv, "p:RNi:o:d:bsftucneEF:lr:z:TZV:B:Y:", patch_longs);
    o.own_try_help = true;
    int k, r = -1;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) r = patch_option(p, &o, k);
    if (r < 0 && o.ops.n > 2) {
        uc_error(c, "%s: extra operand", o.ops.v[2]);
        r = usage_error(p);
    }
    if (r < 0) {
        if (o.ops.n > 0) p->file_arg = o.ops.v[0];
        if (o.ops.n > 1) p->input = o.ops.v[1];
        uout_init(&p->out, c, to_stdout(p) ? 2 : 1);
        if (read_patch(p)) {
            size_t pos = 0;
            FilePatch f;
            bool any = false;
            while (!p->fatal && next_file_patch(p, &pos, &f)) {
                /* hunks that name no file are garbage unless a file was given */
                if (p->file_arg || f.name[0] || f.name[1] || f.name[2]) {
                    any = true;
                    patch_file(p, &f);
                }
                fp_free(&f);
                if (uc_should_stop(c)) break;
            }
            fp_free(&f);
            if (!any && !p->fatal && p->nlines) fatal(p, "Only garbage was found in the patch input.");
        }
        uout_close(&p->out);
        r = p->status;
    }
    uopt_free(&o);
    free(p->text);
    free(p->lines);
    free(p->lens);
    free(p->nl);
    free(p->cr);
    free(p);
    return r;
}
