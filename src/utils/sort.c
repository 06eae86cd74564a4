/* sort.c - the sort utility: -b -c -C -d -f -g -h -i -k -m -M -n -o -r -R -s
 * -t -u -V -z, --sort=WORD, --check[=quiet]; -S -T --parallel are accepted
 * and ignored. Reads all input, then a stable merge sort (sortcmp.c compares). */
#include "sortcmp.h"
#include "ucommon.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct Line {
    const char *s;
    size_t len;
    uint64_t pfx;  /* plain sorts: the first 8 bytes, big-endian (orders as memcmp does) */
    size_t kb, ke; /* keyed sorts: the first key's span, computed once */
} Line;

/* How lines compare: the configuration, and whether it is a plain bytewise
 * sort of whole lines (the fast path). */
typedef struct Cmp {
    const SortCfg *cfg;
    bool plain;
    bool text_key;  /* the first key is compared bytewise: its prefix is cached in pfx */
} Cmp;

typedef struct Sort {
    UtilCtx *c;
    SortCfg cfg;
    SortKey global;
    size_t keycap;
    int delim;
    int check; /* 0, 'c' (diagnose) or 'C' (quiet) */
    const char *output;
    const char *random_source; /* --random-source=FILE: -R salt from its bytes */
    bool merge;
    size_t *ends;  /* -m: byte offset where each input ends */
    StrBuf all;    /* every input, each ending with the delimiter */
    StrList ops;
} Sort;

enum { OPT_SORT = 0x100, OPT_IGNORED, OPT_IGNORED_ARG, OPT_FILES0, OPT_PARALLEL, OPT_RANDOM_SOURCE };

static const UOptLong sort_longs[] = {
    {"ignore-leading-blanks", UO_NOARG, 'b'}, {"check", UO_OPT, 'c'},
    {"dictionary-order", UO_NOARG, 'd'},      {"ignore-case", UO_NOARG, 'f'},
    {"general-numeric-sort", UO_NOARG, 'g'},  {"human-numeric-sort", UO_NOARG, 'h'},
    {"ignore-nonprinting", UO_NOARG, 'i'},    {"key", UO_REQ, 'k'},
    {"merge", UO_NOARG, 'm'},                 {"month-sort", UO_NOARG, 'M'},
    {"numeric-sort", UO_NOARG, 'n'},          {"output", UO_REQ, 'o'},
    {"reverse", UO_NOARG, 'r'},               {"random-sort", UO_NOARG, 'R'},
    {"random-source", UO_REQ, OPT_RANDOM_SOURCE}, {"sort", UO_REQ, OPT_SORT},
    {"stable", UO_NOARG, 's'},                {"buffer-size", UO_REQ, 'S'},
    {"field-separator", UO_REQ, 't'},         {"temporary-directory", UO_REQ, 'T'},
    {"unique", UO_NOARG, 'u'},                {"version-sort", UO_NOARG, 'V'},
    {"zero-terminated", UO_NOARG, 'z'},       {"parallel", UO_REQ, OPT_PARALLEL},
    {"debug", UO_NOARG, OPT_IGNORED},         {"compress-program", UO_REQ, OPT_IGNORED_ARG},
    {"batch-size", UO_REQ, OPT_IGNORED_ARG},  {"files0-from", UO_REQ, OPT_FILES0},
    {NULL, 0, 0},
};

/* Applies an ordering letter to a key; false if ch is not one. */
static bool key_flag(SortKey *k, char ch, bool at_end) {
    switch (ch) {
    case 'b': at_end ? (k->skipeblanks = true) : (k->skipsblanks = true); break;
    case 'd': k->dict = true, k->nonprint = false; break; /* -d overrides -i, as in GNU */
    case 'f': k->fold = true; break;
    case 'g': k->general = true; break;
    case 'h': k->human = true; break;
    case 'i': k->nonprint = !k->dict; break;
    case 'M': k->month = true; break;
    case 'n': k->numeric = true; break;
    case 'R': k->random = true; break;
    case 'r': k->reverse = true; break;
    case 'V': k->version = true; break;
    default: return false;
    }
    return true;
}

static bool key_has_flags(const SortKey *k) {
    return k->skipsblanks || k->skipeblanks || k->dict || k->fold || k->general || k->human ||
           k->nonprint || k->month || k->numeric || k->random || k->reverse || k->version;
}

/* "options '-XY' are incompatible" when a key mixes orderings. */
static bool key_compatible(UtilCtx *c, const SortKey *k) {
    int kinds = k->numeric + k->general + k->human + k->month + k->random + k->version;
    bool numeric_kind = k->numeric || k->general || k->human || k->month;
    if (kinds <= 1 && !(numeric_kind && (k->dict || k->nonprint))) return true;
    char letters[16];
    size_t n = 0;
    const bool set[] = {k->dict, k->fold, k->general, k->human, k->nonprint,
                        k->month, k->numeric, k->random, k->version};
    for (size_t i = 0; i < sizeof set; i++)
        if (set[i]) letters[n++] = "dfghiMnRV"[i];
    letters[n] = 0;
    uc_error(c, "options '-%s' are incompatible", letters);
    return false;
}

static void key_error(UtilCtx *c, const char *what, const char *spec) {
    char *q = u_quote(spec);
    uc_error(c, "%s: invalid field specification %s", what, q);
    free(q);
}

/* Parses a decimal count at *p; reports GNU's message when there is none. */
static bool key_number(UtilCtx *c, const char **p, const char *after, size_t *out) {
    if (**p < '0' || **p > '9') {
        char *q = u_quote(*p);
        if (after)
            uc_error(c, "invalid number after '%s': invalid count at start of %s", after, q);
        else
            uc_error(c, "invalid number at field start: invalid count at start of %s", q);
        free(q);
        return false;
    }
    size_t v = 0;
    for (; **p >= '0' && **p <= '9'; (*p)++) v = v > SIZE_MAX / 10 - 1 ? SIZE_MAX / 2 : v * 10 + (size_t)(**p - '0');
    *out = v;
    return true;
}

static bool key_flags(UtilCtx *c, SortKey *k, const char **p, bool at_end, const char *spec) {
    for (; **p && **p != ','; (*p)++)
        if (!key_flag(k, **p, at_end)) {
            key_error(c, "stray character in field spec", spec);
            return false;
        }
    return true;
}

static bool parse_key(UtilCtx *c, const char *spec, SortKey *k) {
    const char *p = spec;
    size_t f, ch = 1;
    memset(k, 0, sizeof *k);
    if (!key_number(c, &p, NULL, &f)) return false;
    if (f == 0) return key_error(c, "field number is zero", spec), false;
    if (*p == '.' && (++p, !key_number(c, &p, ".", &ch))) return false;
    if (ch == 0) return key_error(c, "character offset is zero", spec), false;
    k->sword = f - 1;
    k->schar = ch - 1;
    k->eword = SIZE_MAX;
    if (!key_flags(c, k, &p, false, spec)) return false;
    if (*p != ',') return true;
    p++;
    if (!key_number(c, &p, ",", &f)) return false;
    if (f == 0) return key_error(c, "field number is zero", spec), false;
    ch = 0;
    if (*p == '.' && (++p, !key_number(c, &p, ".", &ch))) return false;
    k->eword = f - 1;
    k->echar = ch;
    return key_flags(c, k, &p, true, spec) && (!*p || (key_error(c, "stray character in field spec", spec), false));
}

static bool set_tab(Sort *s, const char *arg) {
    if (!*arg) {
        uc_error(s->c, "empty tab");
        return false;
    }
    if (arg[1] && strcmp(arg, "\\0")) {
        char *q = u_quote(arg);
        uc_error(s->c, "multi-character tab %s", q);
        free(q);
        return false;
    }
    s->cfg.tab = arg[1] ? 0 : (unsigned char)arg[0];
    return true;
}

/* "NAME: invalid argument 'W' for '--OPT'" with the list of valid words, as
 * GNU's argmatch prints it (exit status 1 follows, as in GNU). */
static void bad_word(UtilCtx *c, const char *w, const char *opt, const char *valid) {
    char *q = u_quote(w);
    uc_error(c, "invalid argument %s for '--%s'", q, opt);
    free(q);
    uc_printf(c, 2, "Valid arguments are:\n%s", valid);
    u_try_help(c);
}

static bool set_sort_word(Sort *s, const char *w) {
    static const char *const words[] = {"general-numeric", "human-numeric", "month", "numeric", "random", "version"};
    static const char letters[] = "ghMnRV";
    for (size_t i = 0; i < 6; i++)
        if (!strcmp(w, words[i])) return key_flag(&s->global, letters[i], false);
    bad_word(s->c, w, "sort",
             "  - 'general-numeric'\n  - 'human-numeric'\n  - 'month'\n  - 'numeric'\n"
             "  - 'random'\n  - 'version'\n");
    return false;
}

static void push_key(Sort *s, const SortKey *k) {
    if (s->cfg.nkeys == s->keycap) {
        s->keycap = s->keycap ? s->keycap * 2 : 4;
        s->cfg.keys = xrealloc(s->cfg.keys, s->keycap * sizeof *s->cfg.keys);
    }
    s->cfg.keys[s->cfg.nkeys++] = *k;
}

static bool add_key(Sort *s, const char *spec) {
    SortKey k;
    if (!parse_key(s->c, spec, &k)) return false;
    push_key(s, &k);
    return true;
}

/* A decimal count (saturating) of the obsolete +POS syntax. */
static size_t obsolete_count(const char **p) {
    size_t v = 0;
    for (; **p >= '0' && **p <= '9'; (*p)++) v = v > SIZE_MAX / 10 - 1 ? SIZE_MAX / 2 : v * 10 + (size_t)(**p - '0');
    return v;
}

static bool set_check(Sort *s, int k, const char *arg) {
    if (k == 'C' || (arg && (!strcmp(arg, "quiet") || !strcmp(arg, "silent")))) {
        s->check = 'C';
        return true;
    }
    if (arg && strcmp(arg, "diagnose-first")) {
        bad_word(s->c, arg, "check", "  - 'quiet', 'silent'\n  - 'diagnose-first'\n");
        return false;
    }
    s->check = 'c';
    return true;
}

/* -S SIZE: a number with an optional unit (default KiB) or '%'. Only checked. */
static bool check_buffer_size(UtilCtx *c, const char *arg) {
    const char *p = arg;
    while (*p >= '0' && *p <= '9') p++;
    bool digits = p > arg;
    bool unit = *p && strchr("%bKkMGTPEZY", *p) && !p[1];
    if (digits && (!*p || unit)) return true;
    char *q = u_quote(arg);
    uc_error(c, "invalid %s-S argument %s", digits ? "suffix in " : "", q);
    free(q);
    return false;
}

static bool check_parallel(UtilCtx *c, const char *arg) {
    uintmax_t v;
    if (!u_parse_uint(arg, &v)) {
        char *q = u_quote(arg);
        uc_error(c, "invalid --parallel argument %s", q);
        free(q);
        return false;
    }
    if (v == 0) {
        uc_error(c, "number in parallel must be nonzero");
        return false;
    }
    return true;
}

static bool set_output(Sort *s, const char *arg) {
    if (s->output && strcmp(s->output, arg)) {
        uc_error(s->c, "multiple output files specified");
        return false;
    }
    s->output = arg;
    return true;
}

/* One option; returns -1 to go on, else the exit status. */
static int sort_option(Sort *s, int k, const char *arg) {
    switch (k) {
    case 'c': case 'C': return set_check(s, k, arg) ? -1 : 1;
    case 'k': return add_key(s, arg) ? -1 : 2;
    case 'm': s->merge = true; return -1;
    case 'S': return check_buffer_size(s->c, arg) ? -1 : 2;
    case OPT_PARALLEL: return check_parallel(s->c, arg) ? -1 : 2;
    case 'T': case OPT_IGNORED: case OPT_IGNORED_ARG: return -1;
    case OPT_RANDOM_SOURCE: s->random_source = arg; return -1;
    case 'o': return set_output(s, arg) ? -1 : 2;
    case 's': s->cfg.stable = true; return -1;
    case 't': return set_tab(s, arg) ? -1 : 2;
    case 'u': s->cfg.unique = true; return -1;
    case 'z': s->delim = 0; return -1;
    case OPT_SORT: return set_sort_word(s, arg) ? -1 : 1;
    case OPT_FILES0: uc_error(s->c, "--files0-from is not supported"); return 2;
    case UO_HELP: return u_help(s->c, "[OPTION]... [FILE]...");
    case UO_VERSION: return u_version(s->c);
    case UO_ERR: return 2;
    default: return key_flag(&s->global, (char)k, false) ? -1 : 2;
    }
}

/* The obsolete key syntax "+POS1 [-POS2]" (fields and characters counted
 * from zero), which GNU still accepts: when operand a has that form it
 * becomes a key, with the next argument as its end when that is "-N...".
 * Returns false when a is a plain operand; *status is set (>= 0) on a bad
 * end position. */
static bool obsolete_key(Sort *s, UOpts *o, const char *a, int *status) {
    if (a[0] != '+' || a[1] < '0' || a[1] > '9') return false;
    SortKey k;
    memset(&k, 0, sizeof k);
    const char *p = a + 1;
    k.sword = obsolete_count(&p);
    if (*p == '.') {
        p++;
        if (*p < '0' || *p > '9') return false;
        k.schar = obsolete_count(&p);
    }
    k.eword = SIZE_MAX;
    for (; *p; p++)
        if (!key_flag(&k, *p, false)) return false;
    const char *e = o->i < o->argc ? o->argv[o->i] : "";
    if (e[0] == '-' && e[1] >= '0' && e[1] <= '9') {
        o->i++;
        p = e + 1;
        size_t ew = obsolete_count(&p), ec = 0;
        if (*p == '.') {
            p++;
            if (*p < '0' || *p > '9') {
                char *q = u_quote(p);
                uc_error(s->c, "invalid number after '.': invalid count at start of %s", q);
                free(q);
                *status = 2;
                return true;
            }
            ec = obsolete_count(&p);
        }
        /* +A.x -B.y is -k A+1.x+1,B.y when y = 0, else -k A+1.x+1,B+1.y */
        k.eword = ec == 0 && ew > 0 ? ew - 1 : ew;
        k.echar = ec;
        if (!key_flags(s->c, &k, &p, true, e)) {
            *status = 2;
            return true;
        }
    }
    push_key(s, &k);
    return true;
}

/* Keys without ordering options inherit the global ones. */
static bool finish_keys(Sort *s) {
    SortKey *g = &s->global;
    if (g->skipsblanks) g->skipeblanks = true;
    if (!s->cfg.nkeys) {
        add_key(s, "1");
        s->cfg.keys[0].skipsblanks = s->cfg.keys[0].skipeblanks = false;
    }
    for (size_t i = 0; i < s->cfg.nkeys; i++) {
        SortKey *k = &s->cfg.keys[i];
        if (!key_has_flags(k)) {
            SortKey pos = *k;
            *k = *g;
            k->sword = pos.sword, k->schar = pos.schar, k->eword = pos.eword, k->echar = pos.echar;
        }
        if (!key_compatible(s->c, k)) return false;
    }
    s->cfg.reverse = g->reverse;
    return true;
}

static int sort_parse(Sort *s, UtilCtx *c, int argc, char **argv) {
    memset(s, 0, sizeof *s);
    s->c = c;
    s->cfg.tab = -1;
    s->delim = '\n';
    s->cfg.salt = uc_random(c);
    UOpts o;
    uopt_init(&o, c, argc, argv, "bcCdfghik:mMno:rRsS:t:T:uVz", sort_longs);
    o.each_operand = true;
    int k, r = -1;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) {
        if (k != UO_OPERAND)
            r = sort_option(s, k, o.arg);
        else if (o.done || !obsolete_key(s, &o, o.arg, &r))
            sl_push_copy(&o.ops, o.arg);
    }
    s->ops = o.ops;
    if (r < 0 && !finish_keys(s)) r = 2;
    if (r < 0 && s->check && s->ops.n > 1) {
        char *q = u_quote(s->ops.v[1]);
        uc_error(c, "extra operand %s not allowed with -%c", q, s->check == 'C' ? 'C' : 'c');
        free(q);
        r = 2;
    }
    if (r < 0 && s->check && s->output) {
        uc_error(c, "options '-%co' are incompatible", s->check == 'C' ? 'C' : 'c');
        r = 2;
    }
    return r;
}

/* ---- input ---- */
static int read_input(Sort *s, const char *name, StrBuf *all) {
    errno = 0;
    UcFile *f = uc_open(s->c, name, "r");
    if (!f) {
        int e = errno ? errno : ENOENT;
        char *q = u_quotef(name);
        uc_error(s->c, "cannot read: %s: %s", q, u_strerror(e));
        free(q);
        return 2;
    }
    char buf[65536];
    ssize_t n;
    size_t start = all->len;
    struct stat st; /* a regular file's size: one allocation, no regrowing */
    if (uc_fstat(f, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) sb_reserve(all, (size_t)st.st_size + 1);
    while ((n = uc_fread(f, buf, sizeof buf)) > 0 && !uc_should_stop(s->c)) sb_put(all, buf, (size_t)n);
    int e = errno;
    uc_close(f);
    if (n < 0) {
        char *q = u_quotef(name);
        uc_error(s->c, "read failed: %s: %s", q, u_strerror(e));
        free(q);
        return 2;
    }
    if (all->len > start && all->s[all->len - 1] != (char)s->delim) sb_putc(all, (char)s->delim);
    return 0;
}

static Line *split_lines(const Cmp *cmp, const StrBuf *all, int delim, size_t *count) {
    size_t n = 0, cap = 64;
    Line *v = xmalloc(cap * sizeof *v);
    const char *p = all->s, *end = all->s ? all->s + all->len : NULL;
    while (p && p < end) {
        const char *e = mem_find(p, delim, (size_t)(end - p));
        if (n == cap) v = xrealloc(v, (cap *= 2) * sizeof *v);
        Line *l = &v[n++];
        l->s = p;
        l->len = (size_t)(e - p);
        l->pfx = 0;
        l->kb = l->ke = 0;
        if (cmp->plain) {
            for (size_t i = 0; i < 8; i++) l->pfx = l->pfx << 8 | (i < l->len ? (unsigned char)p[i] : 0);
        } else {
            sort_key_span(cmp->cfg, &cmp->cfg->keys[0], p, l->len, &l->kb, &l->ke);
            if (cmp->text_key)
                for (size_t i = 0; i < 8; i++) l->pfx = l->pfx << 8 | (l->kb + i < l->ke ? (unsigned char)p[l->kb + i] : 0);
        }
        p = e + 1;
    }
    *count = n;
    return v;
}

static int line_cmp(const Cmp *cmp, const Line *a, const Line *b) {
    const SortCfg *cfg = cmp->cfg;
    int d;
    if (cmp->plain) {
        d = a->pfx != b->pfx ? (a->pfx < b->pfx ? -1 : 1) : sort_bytes_cmp(a->s, a->len, b->s, b->len);
        return cfg->keys[0].reverse ? -d : d;
    }
    if (cmp->text_key && a->pfx != b->pfx)
        d = (a->pfx < b->pfx ? -1 : 1) * (cfg->keys[0].reverse ? -1 : 1);
    else
        d = sort_key_compare(cfg, &cfg->keys[0], a->s + a->kb, a->s + a->ke, b->s + b->kb, b->s + b->ke);
    for (size_t i = 1; !d && i < cfg->nkeys; i++) {
        size_t ab, ae, bb, be;
        sort_key_span(cfg, &cfg->keys[i], a->s, a->len, &ab, &ae);
        sort_key_span(cfg, &cfg->keys[i], b->s, b->len, &bb, &be);
        d = sort_key_compare(cfg, &cfg->keys[i], a->s + ab, a->s + ae, b->s + bb, b->s + be);
    }
    if (d || cfg->stable || cfg->unique) return d;
    d = sort_bytes_cmp(a->s, a->len, b->s, b->len);
    return cfg->reverse ? -d : d;
}

static void merge_sort(const Cmp *cmp, Line *v, Line *tmp, size_t n) {
    if (n < 2) return;
    size_t h = n / 2;
    merge_sort(cmp, v, tmp, h);
    merge_sort(cmp, v + h, tmp, n - h);
    if (line_cmp(cmp, &v[h - 1], &v[h]) <= 0) return;
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n) tmp[k++] = line_cmp(cmp, &v[j], &v[i]) < 0 ? v[j++] : v[i++];
    while (i < h) tmp[k++] = v[i++];
    memcpy(v, tmp, k * sizeof *v);
}

/* -c / -C: reports the first out-of-order line. */
static int check_order(Sort *s, const Cmp *cmp, const Line *v, size_t n) {
    const char *name = s->ops.n ? s->ops.v[0] : "-";
    for (size_t i = 1; i < n; i++) {
        int d = line_cmp(cmp, &v[i - 1], &v[i]);
        if (d > 0 || (d == 0 && s->cfg.unique)) {
            if (s->check == 'c') {
                StrBuf b;
                sb_init(&b);
                sb_printf(&b, "%s: %s:%zu: disorder: ", uc_name(s->c), name, i + 1);
                sb_put(&b, v[i].s, v[i].len);
                sb_putc(&b, '\n');
                uc_write(s->c, 2, b.s, b.len);
                sb_free(&b);
            }
            return 1;
        }
    }
    return 0;
}

static int write_output(Sort *s, const Cmp *cmp, const Line *v, size_t n) {
    UcFile *f = NULL;
    UOut out;
    if (s->output) {
        errno = 0;
        f = uc_open(s->c, s->output, "w");
        if (!f) {
            char *q = u_quotef(s->output);
            uc_error(s->c, "open failed: %s: %s", q, u_strerror(errno ? errno : ENOENT));
            free(q);
            return 2;
        }
        uout_init_file(&out, s->c, f);
    } else {
        uout_init(&out, s->c, 1);
    }
    for (size_t i = 0; i < n && !out.err; i++) {
        if (s->cfg.unique && i && line_cmp(cmp, &v[i - 1], &v[i]) == 0) continue;
        uout_put(&out, v[i].s, v[i].len);
        uout_putc(&out, (char)s->delim);
    }
    int r = uout_close(&out) ? (out.err == EPIPE ? 1 : 2) : 0;
    if (f) uc_close(f);
    return r;
}

/* -m: merges the already sorted inputs (ties: earlier input first). */
static void merge_inputs(Sort *s, const Cmp *cmp, const StrBuf *all, Line *v, Line *tmp, size_t n) {
    size_t k = s->ops.n, *pos = xcalloc(k + 1, sizeof *pos), *end = xcalloc(k + 1, sizeof *end);
    for (size_t f = 0, i = 0; f < k; f++) {
        pos[f] = i;
        while (i < n && (size_t)(v[i].s - all->s) < s->ends[f]) i++;
        end[f] = i;
    }
    for (size_t out = 0; out < n; out++) {
        size_t best = k;
        for (size_t f = 0; f < k; f++)
            if (pos[f] < end[f] && (best == k || line_cmp(cmp, &v[pos[f]], &v[pos[best]]) < 0)) best = f;
        tmp[out] = v[pos[best]++];
    }
    memcpy(v, tmp, n * sizeof *v);
    free(pos);
    free(end);
}

/* --random-source=FILE: the -R salt comes from the file's first bytes, so the
 * order is reproducible (it is not GNU's order: GNU hashes with MD5). */
static int seed_from_file(Sort *s) {
    errno = 0;
    UcFile *f = uc_open(s->c, s->random_source, "r");
    if (!f) {
        char *q = u_quotef(s->random_source);
        uc_error(s->c, "open failed: %s: %s", q, u_strerror(errno ? errno : ENOENT));
        free(q);
        return 2;
    }
    unsigned char buf[64];
    ssize_t n = uc_fread(f, buf, sizeof buf);
    uc_close(f);
    uint32_t h = 2166136261u;
    for (ssize_t i = 0; i < n; i++) h = (h ^ buf[i]) * 16777619u;
    s->cfg.salt = h;
    return 0;
}

/* Sorts (or checks, or merges) what was read into s->all and writes it. */
static int sort_all(Sort *s) {
    size_t n = 0;
    const SortKey *k0 = &s->cfg.keys[0];
    bool text_key = !k0->numeric && !k0->general && !k0->human && !k0->month && !k0->random && !k0->version &&
                    !k0->fold && !k0->dict && !k0->nonprint;
    Cmp cmp = {&s->cfg, s->cfg.nkeys == 1 && sort_plain_whole_line(k0), text_key};
    Line *v = split_lines(&cmp, &s->all, s->delim, &n);
    int r;
    if (s->check) {
        r = check_order(s, &cmp, v, n);
    } else {
        Line *tmp = xmalloc((n ? n : 1) * sizeof *tmp);
        s->merge && s->ops.n > 1 ? merge_inputs(s, &cmp, &s->all, v, tmp, n) : merge_sort(&cmp, v, tmp, n);
        free(tmp);
        r = write_output(s, &cmp, v, n);
    }
    free(v);
    return r;
}

static void sort_free(Sort *s) {
    free(s->cfg.keys);
    free(s->ends);
    sb_free(&s->all);
    sl_free(&s->ops);
}

/* Parses argv into a fresh state; -1 to go on, else the exit status. */
static int sort_setup(Sort *s, UtilCtx *c, int argc, char **argv) {
    int r = sort_parse(s, c, argc, argv);
    sb_init(&s->all);
    if (r < 0 && s->random_source && seed_from_file(s)) r = 2;
    if (r < 0 && !s->ops.n) sl_push_copy(&s->ops, "-");
    if (r < 0) s->ends = xcalloc(s->ops.n, sizeof *s->ends);
    return r;
}

int util_sort_main(UtilCtx *c, int argc, char **argv) {
    Sort s;
    int r = sort_setup(&s, c, argc, argv);
    for (size_t i = 0; r < 0 && i < s.ops.n; i++) {
        if (read_input(&s, s.ops.v[i], &s.all)) r = 2;
        s.ends[i] = s.all.len;
    }
    if (r < 0) r = uc_should_stop(c) ? 1 : sort_all(&s);
    sort_free(&s);
    return r;
}

/* ---- push ops: the input is collected chunk by chunk, sorted at the end ---- */
static void *sort_start(UtilCtx *c, int argc, char **argv, int *status) {
    Sort *s = xmalloc(sizeof *s);
    int r = sort_setup(s, c, argc, argv);
    if (r >= 0 || !u_push_ok(&s->ops)) {
        *status = r; /* -1 with file operands: main reads them */
        sort_free(s);
        free(s);
        return NULL;
    }
    return s;
}

static int sort_feed(void *st, const char *data, size_t n) {
    Sort *s = st;
    sb_put(&s->all, data, n);
    return uc_should_stop(s->c);
}

static int sort_finish(void *st) {
    Sort *s = st;
    if (s->all.len && s->all.s[s->all.len - 1] != (char)s->delim) sb_putc(&s->all, (char)s->delim);
    s->ends[0] = s->all.len;
    int r = uc_should_stop(s->c) ? 1 : sort_all(s);
    sort_free(s);
    free(s);
    return r;
}

const UtilPushOps util_sort_push = {sort_start, sort_feed, sort_finish};
