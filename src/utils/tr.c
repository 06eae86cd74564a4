/* tr.c - the tr utility: tr [-c|-C] [-d] [-s] [-t] SET1 [SET2], with ranges,
 * [:classes:], [=c=], [c*n] / [c*] repeats and backslash escapes; push ops.
 * The sets are expanded into byte arrays, then into one translation table,
 * a delete mask and a squeeze mask; data is filtered byte by byte. */
#include "ucommon.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { CLS_NONE, CLS_LOWER, CLS_UPPER, CLS_OTHER };

typedef struct TrSet {
    StrBuf v;         /* the expanded characters */
    size_t fill_pos;  /* where [c*] goes; SIZE_MAX if none */
    char fill_char;
    size_t case_pos[8];  /* expanded positions of [:lower:]/[:upper:] */
    int case_cls[8];
    int ncase;
    bool ends_class;  /* the last element is a class */
    bool has_class;
} TrSet;

typedef struct Tr {
    UtilCtx *c;
    UOut out;
    bool complement, del, squeeze, truncate;
    unsigned char map[256];
    bool delset[256], sqset[256];
    int last; /* last byte output, -1 = none (for -s) */
    int status;
} Tr;

static const char *const class_names[] = {"alnum", "alpha", "blank", "cntrl", "digit", "graph",
                                          "lower", "print", "punct", "space", "upper", "xdigit"};

static bool in_class(int cls, int ch) {
    switch (cls) {
    case 0: return isalnum(ch);
    case 1: return isalpha(ch);
    case 2: return isblank(ch);
    case 3: return iscntrl(ch);
    case 4: return isdigit(ch);
    case 5: return isgraph(ch);
    case 6: return islower(ch);
    case 7: return isprint(ch);
    case 8: return ispunct(ch);
    case 9: return isspace(ch);
    case 10: return isupper(ch);
    default: return isxdigit(ch);
    }
}

/* Reads one possibly escaped character at s[*i]. */
static unsigned char read_char(const char *s, size_t *i) {
    static const char from[] = "abfnrtv", to[] = "\a\b\f\n\r\t\v";
    unsigned char ch = (unsigned char)s[(*i)++];
    if (ch != '\\' || !s[*i]) return ch;
    unsigned char e = (unsigned char)s[(*i)++];
    if (e >= '0' && e <= '7') {
        unsigned v = e - '0';
        for (int k = 0; k < 2 && s[*i] >= '0' && s[*i] <= '7' && v * 8 + (unsigned)(s[*i] - '0') < 256; k++)
            v = v * 8 + (unsigned)(s[(*i)++] - '0');
        return (unsigned char)v;
    }
    const char *p = strchr(from, e);
    return p && e ? (unsigned char)to[p - from] : e;
}

/* "[:name:]" at s: returns the class index and advances, or -1. */
static int parse_class(Tr *t, const char *s, size_t *i, bool *bad) {
    if (s[*i] != '[' || s[*i + 1] != ':') return -1;
    const char *end = strstr(s + *i + 2, ":]");
    if (!end) return -1;
    size_t len = (size_t)(end - (s + *i + 2));
    for (int k = 0; k < 12; k++)
        if (strlen(class_names[k]) == len && !strncmp(class_names[k], s + *i + 2, len)) {
            *i = (size_t)(end - s) + 2;
            return k;
        }
    char *name = xstrndup(s + *i + 2, len);
    char *q = u_quote(name);
    uc_error(t->c, "invalid character class %s", q);
    free(q);
    free(name);
    *bad = true;
    return -1;
}

/* "[c*n]" or "[c*]" at s: appends the repeat; returns 1 if one was parsed,
 * 0 if not, -1 on error. */
static int parse_repeat(Tr *t, const char *s, size_t *i, TrSet *set, bool is_set2) {
    if (s[*i] != '[' || !s[*i + 1]) return 0;
    size_t j = *i + 1;
    unsigned char ch = read_char(s, &j);
    if (s[j] != '*') return 0;
    const char *close = strchr(s + j + 1, ']');
    if (!close) return 0;
    size_t nlen = (size_t)(close - (s + j + 1));
    char *num = xstrndup(s + j + 1, nlen);
    char *end;
    unsigned long long n = nlen ? strtoull(num, &end, num[0] == '0' ? 8 : 10) : 0;
    bool ok = !nlen || (!*end && isdigit((unsigned char)num[0]));
    if (!ok) {
        char *q = u_quote(num);
        uc_error(t->c, "invalid repeat count %s in [c*n] construct", q);
        free(q);
    }
    free(num);
    if (!ok) return -1;
    if (n == 0 && !is_set2) return uc_error(t->c, "the [c*] repeat construct may not appear in string1"), -1;
    if (n == 0 && set->fill_pos != SIZE_MAX)
        return uc_error(t->c, "only one [c*] repeat construct may appear in string2"), -1;
    if (n == 0) {
        set->fill_pos = set->v.len;
        set->fill_char = (char)ch;
    }
    for (unsigned long long k = 0; k < n && k < 1u << 20; k++) sb_putc(&set->v, (char)ch);
    *i = (size_t)(close - s) + 1;
    return 1;
}

static bool add_range(Tr *t, TrSet *set, unsigned char a, unsigned char b) {
    if (a > b) {
        char r[16];
        snprintf(r, sizeof r, "%c-%c", a, b);
        char *q = u_quote(r);
        uc_error(t->c, "range-endpoints of %s are in reverse collating sequence order", q);
        free(q);
        return false;
    }
    for (int ch = a; ch <= b; ch++) sb_putc(&set->v, (char)ch);
    return true;
}

static void add_class(TrSet *set, int cls) {
    set->has_class = true;
    if ((cls == 6 || cls == 10) && set->ncase < 8) {
        set->case_pos[set->ncase] = set->v.len;
        set->case_cls[set->ncase++] = cls == 6 ? CLS_LOWER : CLS_UPPER;
    }
    for (int ch = 0; ch < 256; ch++)
        if (in_class(cls, ch)) sb_putc(&set->v, (char)ch);
}

/* Expands one SET operand; false after reporting an error. */
static bool parse_set(Tr *t, const char *s, TrSet *set, bool is_set2) {
    sb_init(&set->v);
    set->fill_pos = SIZE_MAX;
    set->ncase = 0;
    set->has_class = false;
    size_t i = 0, n = strlen(s);
    if (n && s[n - 1] == '\\' && (n < 2 || s[n - 2] != '\\'))
        uc_error(t->c, "warning: an unescaped backslash at end of string is not portable");
    while (s[i]) {
        bool bad = false;
        set->ends_class = false;
        int cls = parse_class(t, s, &i, &bad);
        if (bad) return false;
        if (cls >= 0) {
            add_class(set, cls);
            set->ends_class = true;
            continue;
        }
        if (s[i] == '[' && s[i + 1] == '=' && s[i + 2] && s[i + 3] == '=' && s[i + 4] == ']') {
            sb_putc(&set->v, s[i + 2]);
            i += 5;
            continue;
        }
        int r = parse_repeat(t, s, &i, set, is_set2);
        if (r < 0) return false;
        if (r > 0) continue;
        unsigned char a = read_char(s, &i);
        if (s[i] == '-' && s[i + 1]) {
            i++;
            if (!add_range(t, set, a, read_char(s, &i))) return false;
        } else {
            sb_putc(&set->v, (char)a);
        }
    }
    return true;
}

static void complement(TrSet *set) {
    bool in[256] = {false};
    for (size_t i = 0; i < set->v.len; i++) in[(unsigned char)set->v.s[i]] = true;
    sb_clear(&set->v);
    for (int ch = 0; ch < 256; ch++)
        if (!in[ch]) sb_putc(&set->v, (char)ch);
    set->ncase = 0;
}

/* Checks SET2 for translation and makes it as long as SET1. */
static bool fit_set2(Tr *t, TrSet *s1, TrSet *s2) {
    if (s2->fill_pos != SIZE_MAX) {
        size_t need = s1->v.len > s2->v.len ? s1->v.len - s2->v.len : 0;
        StrBuf b;
        sb_init(&b);
        sb_put(&b, s2->v.s, s2->fill_pos);
        for (size_t k = 0; k < need; k++) sb_putc(&b, s2->fill_char);
        sb_put(&b, s2->v.s + s2->fill_pos, s2->v.len - s2->fill_pos);
        sb_free(&s2->v);
        s2->v = b;
    }
    if (t->truncate && s1->v.len > s2->v.len) s1->v.len = s2->v.len;
    if (s1->v.len > s2->v.len && !s2->v.len)
        return uc_error(t->c, "when not truncating set1, string2 must be non-empty"), false;
    if (s1->v.len > s2->v.len && s2->ends_class) {
        uc_error(t->c, "when translating with string1 longer than string2,\nthe latter string must not end with a character class");
        return false;
    }
    for (size_t i = 1; t->complement && s1->has_class && i < s2->v.len; i++)
        if (s2->v.s[i] != s2->v.s[0]) {
            uc_error(t->c, "when translating with complemented character classes,\nstring2 must map all characters in the domain to one");
            return false;
        }
    for (int k = 0; k < s2->ncase; k++) {
        bool aligned = false;
        for (int j = 0; j < s1->ncase; j++) aligned |= s1->case_pos[j] == s2->case_pos[k];
        if (!aligned) return uc_error(t->c, "misaligned [:upper:] and/or [:lower:] construct"), false;
    }
    while (s2->v.len < s1->v.len) sb_putc(&s2->v, s2->v.s[s2->v.len - 1]);
    return true;
}

static bool set2_classes_ok(Tr *t, const char *s2) {
    for (const char *p = s2; (p = strstr(p, "[:")); p += 2) {
        const char *e = strstr(p + 2, ":]");
        if (!e) break;
        size_t len = (size_t)(e - p - 2);
        if ((len == 5 && (!strncmp(p + 2, "lower", 5) || !strncmp(p + 2, "upper", 5)))) continue;
        for (int k = 0; k < 12; k++)
            if (strlen(class_names[k]) == len && !strncmp(class_names[k], p + 2, len)) {
                uc_error(t->c, "when translating, the only character classes that may appear in\nstring2 are 'upper' and 'lower'");
                return false;
            }
    }
    return true;
}

/* Builds the tables from the operands. */
static bool build(Tr *t, const char *a1, const char *a2) {
    TrSet s1, s2;
    sb_init(&s2.v);
    bool ok = parse_set(t, a1, &s1, false);
    bool translate = a2 && !t->del;
    if (ok && a2) ok = (!translate || set2_classes_ok(t, a2)) && parse_set(t, a2, &s2, true);
    if (ok && t->complement) complement(&s1);
    if (ok && translate) ok = fit_set2(t, &s1, &s2);
    for (int ch = 0; ch < 256; ch++) t->map[ch] = (unsigned char)ch;
    if (ok && translate)
        for (size_t i = 0; i < s1.v.len; i++) t->map[(unsigned char)s1.v.s[i]] = (unsigned char)s2.v.s[i];
    if (ok && t->del)
        for (size_t i = 0; i < s1.v.len; i++) t->delset[(unsigned char)s1.v.s[i]] = true;
    const StrBuf *sq = a2 ? &s2.v : &s1.v;
    if (ok && t->squeeze)
        for (size_t i = 0; i < sq->len; i++) t->sqset[(unsigned char)sq->s[i]] = true;
    sb_free(&s1.v);
    sb_free(&s2.v);
    return ok;
}

static int tr_feed(void *st, const char *data, size_t n) {
    Tr *t = st;
    char buf[16384];
    while (n) {
        size_t k = n < sizeof buf ? n : sizeof buf, used = 0;
        for (size_t i = 0; i < k; i++) {
            unsigned char ch = (unsigned char)data[i];
            if (t->delset[ch]) continue;
            ch = t->map[ch];
            if (t->sqset[ch] && t->last == ch) continue;
            t->last = ch;
            buf[used++] = (char)ch;
        }
        uout_put(&t->out, buf, used);
        data += k;
        n -= k;
    }
    return uout_flush(&t->out) < 0;
}

static int tr_finish(void *st) {
    Tr *t = st;
    int status = t->status | uout_close(&t->out);
    free(t);
    return status;
}

static const UOptLong tr_longs[] = {
    {"complement", UO_NOARG, 'c'}, {"delete", UO_NOARG, 'd'},       {"squeeze-repeats", UO_NOARG, 's'},
    {"truncate-set1", UO_NOARG, 't'}, {NULL, 0, 0},
};

/* Operand count checks; -1 = fine, else the exit status. */
static int tr_operands(Tr *t, const StrList *ops) {
    size_t want_max = t->del ? (t->squeeze ? 2 : 1) : 2;
    size_t want_min = t->del != t->squeeze ? 1 : 2;
    if (ops->n < want_min && !ops->n) {
        u_missing_operand(t->c, NULL);
        return 1;
    }
    if (ops->n < want_min) {
        char *q = u_quote(ops->v[0]);
        uc_error(t->c, "missing operand after %s", q);
        free(q);
        uc_printf(t->c, 2, "Two strings must be given when %s.\n",
                  t->squeeze ? "both deleting and squeezing repeats" : "translating");
        u_try_help(t->c);
        return 1;
    }
    if (ops->n > want_max) {
        char *q = u_quote(ops->v[want_max]);
        uc_error(t->c, "extra operand %s", q);
        free(q);
        if (t->del && want_max == 1)
            uc_puts(t->c, 2, "Only one string may be given when deleting without squeezing repeats.\n");
        u_try_help(t->c);
        return 1;
    }
    return -1;
}

static Tr *tr_parse(UtilCtx *c, int argc, char **argv, int *status) {
    Tr *t = xcalloc(1, sizeof *t);
    t->c = c;
    t->last = -1;
    UOpts o;
    uopt_init(&o, c, argc, argv, "+cCdst", tr_longs);
    int k, r = -1;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) {
        switch (k) {
        case 'c': case 'C': t->complement = true; break;
        case 'd': t->del = true; break;
        case 's': t->squeeze = true; break;
        case 't': t->truncate = true; break;
        case UO_HELP: r = u_help(c, "[OPTION]... SET1 [SET2]"); break;
        case UO_VERSION: r = u_version(c); break;
        default: r = 1; break;
        }
    }
    if (r < 0) r = tr_operands(t, &o.ops);
    if (r < 0 && !build(t, o.ops.v[0], o.ops.n > 1 ? o.ops.v[1] : NULL)) r = 1;
    uopt_free(&o);
    if (r >= 0) {
        *status = r;
        free(t);
        return NULL;
    }
    uout_init(&t->out, c, 1);
    return t;
}

static void *tr_start(UtilCtx *c, int argc, char **argv, int *status) {
    return tr_parse(c, argc, argv, status);
}

int util_tr_main(UtilCtx *c, int argc, char **argv) {
    int status = 0;
    Tr *t = tr_parse(c, argc, argv, &status);
    if (!t) return status;
    UcFile *f = uc_open(c, "-", "r");
    if (f && u_pump(c, f, tr_feed, t) < 0) {
        uc_error(c, "read error: %s", strerror(errno));
        t->status = 1;
    }
    if (f) uc_close(f);
    return tr_finish(t);
}

const UtilPushOps util_tr_push = {tr_start, tr_feed, tr_finish};
