/* find_parse.c - find's command line: leading options (-H -L -P -D -O),
 * starting points, and the expression, parsed with GNU findutils' rules:
 * options become always-true primaries, an -a is implied between adjacent
 * primaries, precedence is ( ) > ! > -a > -o > ",", and without an action
 * the expression becomes "( EXPR ) -a -print". The messages are GNU's. */
#include "datetime.h"
#include "find.h"
#include "ident.h"
#include "modes.h"
#include "pattern.h"
#include "regex.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum TokType { T_PRIMARY, T_UNI, T_BI, T_OPEN, T_CLOSE };
enum Prec { PREC_NONE, PREC_COMMA, PREC_OR, PREC_AND, PREC_NEGATE };

typedef struct Tok {
    int type, prec;
    FNode *node;
    const char *name;   /* as typed, for messages */
    bool artificial;    /* the "( ) -print" find adds itself */
    bool no_default_print;
} Tok;

/* What a primary's parser reports. */
enum { P_OK, P_MISSING, P_INVALID, P_FATAL };

typedef struct Parser {
    Find *f;
    int argc;
    char **argv;
    int i;                    /* next argument */
    Tok *toks;
    size_t n, cap;
    const char *first_nonoption;
    int fatal;                /* set once a message was printed */
} Parser;

typedef enum EntryType { E_OPTION, E_POSOPT, E_TEST, E_ACTION, E_PUNCT } EntryType;

typedef struct Entry {
    const char *name;
    EntryType type;
    int (*parse)(Parser *p, const struct Entry *e);
    int arg;                  /* parser-specific constant */
} Entry;

/* ---------- nodes and tokens ---------- */

FNode *find_node_new(Find *f, FKind k) {
    FNode *n = xcalloc(1, sizeof *n);
    n->kind = k;
    if (f->nnodes == f->capnodes) {
        f->capnodes = f->capnodes ? f->capnodes * 2 : 16;
        f->nodes = xrealloc(f->nodes, f->capnodes * sizeof *f->nodes);
    }
    f->nodes[f->nnodes++] = n;
    return n;
}

static Tok *tok_push(Parser *p, int type, int prec, FNode *node, const char *name) {
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 16;
        p->toks = xrealloc(p->toks, p->cap * sizeof *p->toks);
    }
    Tok *t = &p->toks[p->n++];
    *t = (Tok){type, prec, node, name, false, false};
    return t;
}

/* Primaries, "!" and "(" right after a primary or ")" get an implied -a. */
static void implied_and(Parser *p) {
    if (!p->n) return;
    int prev = p->toks[p->n - 1].type;
    if (prev == T_PRIMARY || prev == T_CLOSE)
        tok_push(p, T_BI, PREC_AND, find_node_new(p->f, FK_AND), "-a");
}

static FNode *primary(Parser *p, FKind k, const char *name) {
    implied_and(p);
    FNode *n = find_node_new(p->f, k);
    tok_push(p, T_PRIMARY, PREC_NONE, n, name);
    return n;
}

static void fatal(Parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fatal(Parser *p, const char *fmt, ...) {
    StrBuf b;
    sb_init(&b);
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&b, fmt, ap);
    va_end(ap);
    uc_error(p->f->c, "%s", b.s);
    sb_free(&b);
    p->fatal = 1;
}

static char *q(const char *s) { return u_quote(s); }

/* The next argument of the primary being parsed, or NULL. */
static const char *take(Parser *p) { return p->i < p->argc ? p->argv[p->i++] : NULL; }

/* ---------- outputs ---------- */

static FOutput *output_new(Find *f, const char *name, UcFile *file, int fd) {
    FOutput *o = xcalloc(1, sizeof *o);
    o->name = name ? xstrdup(name) : NULL;
    o->f = file;
    if (file) uout_init_file(&o->out, f->c, file);
    else uout_init(&o->out, f->c, fd);
    f->outs = xrealloc(f->outs, (f->nouts + 1) * sizeof *f->outs);
    f->outs[f->nouts++] = o;
    return o;
}

static FOutput *output_stdout(Find *f) { return f->outs[0]; }

/* -fprint FILE and friends: opened (truncated) at parse time, shared by name. */
static FOutput *output_file(Parser *p, const char *name) {
    Find *f = p->f;
    if (!strcmp(name, "/dev/stdout")) return output_stdout(f);
    for (size_t i = 1; i < f->nouts; i++)
        if (f->outs[i]->name && !strcmp(f->outs[i]->name, name)) return f->outs[i];
    if (!strcmp(name, "/dev/stderr")) return output_new(f, name, NULL, 2);
    UcFile *file = uc_open(f->c, name, "w");
    if (!file) {
        char *qn = q(name);
        fatal(p, "%s: %s", qn, strerror(errno));
        free(qn);
        return NULL;
    }
    return output_new(f, name, file, -1);
}

/* ---------- simple primaries ---------- */

/* Options are always-true primaries named as typed. */
static int noop_named(Parser *p, const char *opt) {
    primary(p, FK_TRUE, opt);
    return P_OK;
}

static int parse_noop(Parser *p, const Entry *e) {
    (void)e;
    return noop_named(p, p->argv[p->i - 1]);
}

static int parse_truefalse(Parser *p, const Entry *e) {
    primary(p, e->arg ? FK_TRUE : FK_FALSE, p->argv[p->i - 1]);
    return P_OK;
}

static int parse_depth(Parser *p, const Entry *e) {
    if (!strcmp(e->name, "d") && p->f->warn)
        uc_error(p->f->c, "warning: the -d option is deprecated; please use -depth instead, because the latter is a POSIX-compliant feature.");
    p->f->depth_first = p->f->explicit_depth = true;
    return parse_noop(p, e);
}

static int parse_flag(Parser *p, const Entry *e) {
    Find *f = p->f;
    switch (e->arg) {
    case 'x': f->xdev = true; break;
    case 'w': f->warn = true; break;
    case 'W': f->warn = false; break;
    case 'i': f->ignore_race = true; break;
    case 'I': f->ignore_race = false; break;
    case 'L': f->follow = FOLLOW_ALWAYS; break;
    default: break;
    }
    return parse_noop(p, e);
}

static int parse_daystart(Parser *p, const Entry *e) {
    Find *f = p->f;
    if (!f->daystart) {
        time_t t = f->day_start.tv_sec + 86400;
        struct tm tm;
        if (localtime_r(&t, &tm)) t -= tm.tm_sec + tm.tm_min * 60 + tm.tm_hour * 3600;
        else t -= t % 86400;
        f->day_start.tv_sec = t;
        f->day_start.tv_nsec = 0;
        f->daystart = true;
    }
    return parse_noop(p, e);
}

static int parse_depthlimit(Parser *p, const Entry *e) {
    const char *opt = p->argv[p->i - 1];
    const char *a = take(p);
    if (!a) return P_MISSING;
    size_t digits = strspn(a, "0123456789");
    if (!digits || a[digits]) {
        char *qa = q(a);
        fatal(p, "Expected a positive decimal integer argument to %s, but got %s", opt, qa);
        free(qa);
        return P_FATAL;
    }
    errno = 0;
    long lv = strtol(a, NULL, 10);
    if (errno == ERANGE || lv > INT_MAX) {
        fatal(p, "%s: %s", a, strerror(ERANGE));
        return P_FATAL;
    }
    int v = (int)lv;
    if (e->arg == 'x') p->f->maxdepth = v;
    else p->f->mindepth = v;
    primary(p, FK_TRUE, opt);
    return P_OK;
}

/* -files0-from FILE: the starting points are read when the walk begins. */
static int parse_files0_from(Parser *p, const Entry *e) {
    const char *opt = p->argv[p->i - 1];
    const char *a = take(p);
    (void)e;
    if (!a) return P_MISSING;
    p->f->files0_from = a;
    primary(p, FK_TRUE, opt);
    return P_OK;
}

/* ---------- name and path patterns ---------- */

static bool matches_a_start(const Find *f, const char *pat, bool icase) {
    int fl = icase ? PM_NOCASE : 0;
    if (!f->starts.n) return pattern_match(pat, ".", fl);
    for (size_t i = 0; i < f->starts.n; i++)
        if (pattern_match(pat, f->starts.v[i], fl)) return true;
    return false;
}

static int parse_pattern(Parser *p, const Entry *e) {
    const char *opt = p->argv[p->i - 1];
    const char *a = take(p);
    if (!a) return P_MISSING;
    FKind k = e->arg == 'n' ? FK_NAME : e->arg == 'p' ? FK_PATH : FK_LNAME;
    FNode *n = primary(p, k, opt);
    n->arg = a;
    n->icase = strstr(e->name, "iname") || strstr(e->name, "ipath") || strstr(e->name, "iwholename") ||
               strstr(e->name, "ilname");
    if (k == FK_NAME && strchr(a, '/') && p->f->warn && strcmp(a, "/") != 0) {
        char *qo = q(opt), *qa = q("/");
        uc_error(p->f->c, "warning: %s matches against basenames only, but the given pattern contains a directory separator (%s), thus the expression will evaluate to false all the time.  Did you mean %s?",
                 qo, qa, "'-wholename'");
        free(qo);
        free(qa);
    }
    if (k == FK_PATH) {
        const char *last = strrchr(a, '/');
        if (last && !last[1] && !matches_a_start(p->f, a, n->icase))
            uc_error(p->f->c, "warning: %s %s will not match anything because it ends with /.", opt, a);
    }
    return P_OK;
}

/* ---------- numbers ---------- */

static bool get_num(const char *s, int *cmp, uintmax_t *out) {
    *cmp = CMP_EQ;
    if (*s == '+') *cmp = CMP_GT, s++;
    else if (*s == '-') *cmp = CMP_LT, s++;
    return u_parse_uint(s, out);
}

static int parse_num(Parser *p, const Entry *e) {
    const char *opt = p->argv[p->i - 1];
    const char *a = take(p);
    if (!a) return P_MISSING;
    int cmp;
    uintmax_t v;
    if (!get_num(a, &cmp, &v)) {
        p->i--;
        return P_INVALID;
    }
    FNode *n = primary(p, (FKind)e->arg, opt);
    n->num_cmp = cmp;
    n->num = v;
    return P_OK;
}

static int parse_size(Parser *p, const Entry *e) {
    (void)e;
    const char *opt = p->argv[p->i - 1];
    const char *a = take(p);
    if (!a) return P_MISSING;
    size_t len = strlen(a);
    if (!len) {
        fatal(p, "invalid null argument to -size");
        return P_FATAL;
    }
    char suffix = a[len - 1];
    uintmax_t bs = 512;
    switch (suffix) {
    case 'b': bs = 512; break;
    case 'c': bs = 1; break;
    case 'w': bs = 2; break;
    case 'k': bs = 1024; break;
    case 'M': bs = 1024 * 1024; break;
    case 'G': bs = 1024 * 1024 * 1024; break;
    default:
        if (suffix < '0' || suffix > '9') {
            fatal(p, "invalid -size type `%c'", suffix);
            return P_FATAL;
        }
        suffix = 0;
    }
    char *num = xstrndup(a, suffix ? len - 1 : len);
    int cmp;
    uintmax_t v;
    bool ok = get_num(num, &cmp, &v);
    free(num);
    if (!ok) {
        fatal(p, "Invalid argument `%s' to -size", a);
        return P_FATAL;
    }
    FNode *n = primary(p, FK_SIZE, opt);
    n->num_cmp = cmp;
    n->num = v;
    n->blocksize = bs;
    return P_OK;
}

/* ---------- times ---------- */

/* "[+-]N" as a number of units before origin, as GNU's get_relative_timestamp:
 * the comparison is inverted (+N days ago means an earlier time). */
static bool relative_time(const char *s, struct timespec origin, double unit, FNode *n) {
    int cmp = CMP_EQ;
    if (*s == '+') cmp = CMP_GT, s++;
    else if (*s == '-') cmp = CMP_LT, s++;
    n->num_cmp = cmp == CMP_GT ? CMP_LT : cmp == CMP_LT ? CMP_GT : CMP_EQ;
    char *end;
    errno = 0;
    if (!*s || *s == ' ' || *s == '\t') return false;
    double v = strtod(s, &end);
    if (*end || errno == ERANGE || isnan(v)) return false;
    double secs;
    double frac = modf(v * unit, &secs);
    n->ref.tv_sec = origin.tv_sec - (time_t)secs;
    long ns = (long)(frac * 1e9);
    n->ref.tv_nsec = origin.tv_nsec - ns;
    if (n->ref.tv_nsec < 0) n->ref.tv_nsec += 1000000000L, n->ref.tv_sec--;
    if (n->ref.tv_nsec >= 1000000000L) n->ref.tv_nsec -= 1000000000L, n->ref.tv_sec++;
    return true;
}

static int parse_time(Parser *p, const Entry *e) {
    const char *opt = p->argv[p->i - 1];
    const char *a = take(p);
    if (!a) return P_MISSING;
    bool minutes = strstr(e->name, "min") != NULL;
    struct timespec origin = p->f->day_start;
    if (minutes) origin.tv_sec += 86400;
    else if (*a == '-') origin.tv_sec += 86400 - 1;
    FNode tmp = {0};
    if (!relative_time(a, origin, minutes ? 60 : 86400, &tmp)) {
        p->i--;
        return P_INVALID;
    }
    FNode *n = primary(p, FK_TIME, opt);
    n->num_cmp = tmp.num_cmp;
    n->ref = tmp.ref;
    n->time_of = e->arg;
    n->window = minutes ? 60 : 86400;
    return P_OK;
}

static int parse_used(Parser *p, const Entry *e) {
    (void)e;
    const char *opt = p->argv[p->i - 1];
    const char *a = take(p);
    if (!a) return P_MISSING;
    FNode tmp = {0};
    struct timespec zero = {0, 0};
    if (!relative_time(a, zero, 86400, &tmp)) {
        fatal(p, "Invalid argument %s to -used", a);
        return P_FATAL;
    }
    FNode *n = primary(p, FK_USED, opt);
    n->num_cmp = tmp.num_cmp;
    n->ref = tmp.ref;
    n->window = 86400;
    return P_OK;
}

static struct timespec time_of(const struct stat *st, int which) {
    switch (which) {
    case TIME_A: return st->st_atim;
    case TIME_C: return st->st_ctim;
    default: return st->st_mtim;
    }
}

/* Stats a file named in the expression, as the -H/-L/-P mode says. */
static bool stat_arg(Parser *p, const char *name, struct stat *st) {
    bool dangling;
    int err = find_stat(p->f, name, 0, st, &dangling);
    if (!err) return true;
    char *qn = q(name);
    fatal(p, "%s: %s", qn, strerror(err));
    free(qn);
    return false;
}

static int parse_newer(Parser *p, const Entry *e) {
    const char *opt = p->argv[p->i - 1];
    const char *a = take(p);
    if (!a) return P_MISSING;
    struct stat st;
    if (!stat_arg(p, a, &st)) return P_FATAL;
    FNode *n = primary(p, FK_NEWER, opt);
    n->time_of = e->arg;
    n->ref = st.st_mtim;
    return P_OK;
}

static int time_letter(char ch) {
    switch (ch) {
    case 'a': return TIME_A;
    case 'B': return TIME_B;
    case 'c': return TIME_C;
    case 'm': return TIME_M;
    default: return -1;
    }
}

/* -newerXY: X and Y in a B c m, and Y may be t (a date string). */
static int parse_newerxy(Parser *p, const char *opt) {
    int x = time_letter(opt[6]);
    int y = opt[7] == 't' ? 't' : time_letter(opt[7]);
    if (x < 0 || y < 0) {
        fatal(p, "invalid predicate `%s'", opt);
        return P_FATAL;
    }
    if (x == TIME_B || y == TIME_B) {
        fatal(p, "This system does not provide a way to find the birth time of a file.");
        return P_FATAL;
    }
    const char *a = take(p);
    if (!a) {
        char *qo = q(opt);
        fatal(p, "The %s test needs an argument", qo);
        free(qo);
        return P_FATAL;
    }
    struct timespec ref;
    if (y == 't') {
        if (!u_parse_datetime(a, &p->f->start, false, &ref)) {
            char *qa = q(a);
            fatal(p, "I cannot figure out how to interpret %s as a date or time", qa);
            free(qa);
            return P_FATAL;
        }
    } else {
        struct stat st;
        if (!stat_arg(p, a, &st)) return P_FATAL;
        ref = time_of(&st, y);
    }
    FNode *n = primary(p, FK_NEWER, opt);
    n->time_of = x;
    n->ref = ref;
    return P_OK;
}

/* ---------- type, perm, owners ---------- */

static int type_index(char ch) {
    const char *letters = "bcdpflsD";
    const char *at = ch ? strchr(letters, ch) : NULL;
    return at ? (int)(at - letters) : -1;
}

static int parse_type(Parser *p, const Entry *e) {
    const char *opt = p->argv[p->i - 1];
    const char *a = take(p);
    if (!a) return P_MISSING;
    const char *which = e->arg == FK_XTYPE ? "-xtype" : "-type";
    if (!*a) {
        fatal(p, "Arguments to %s should contain at least one letter", which);
        return P_FATAL;
    }
    FNode *n = primary(p, (FKind)e->arg, opt);
    for (const char *s = a; *s;) {
        int t = type_index(*s);
        if (t < 0) {
            fatal(p, "Unknown argument to %s: %c", which, *s);
            return P_FATAL;
        }
        if (*s == 'D') {
            fatal(p, "%s %c is not supported because Solaris doors are not supported on the platform find was compiled on.", which, *s);
            return P_FATAL;
        }
        if (n->types[t]) {
            fatal(p, "Duplicate file type '%c' in the argument list to %s.", *s, which);
            return P_FATAL;
        }
        n->types[t] = true;
        s++;
        if (!*s) break;
        if (*s != ',') {
            fatal(p, "Must separate multiple arguments to %s using: ','", which);
            return P_FATAL;
        }
        if (!*++s) {
            fatal(p, "Last file type in list argument to %s is missing, i.e., list is ending on: ','", which);
            return P_FATAL;
        }
    }
    return P_OK;
}

static int parse_perm(Parser *p, const Entry *e) {
    (void)e;
    const char *opt = p->argv[p->i - 1];
    const char *a = take(p);
    if (!a) return P_MISSING;
    int kind = 0;
    const char *m = a;
    if (*a == '-' || *a == '/') kind = *a, m = a + 1;
    mode_t v0, v1;
    bool ok = !(*a == '+' && a[1] >= '0' && a[1] < '8') && u_mode_parse(m, 0, false, 0, &v0) &&
              u_mode_parse(m, 0, true, 0, &v1);
    if (!ok) {
        char *qa = q(a);
        fatal(p, "invalid mode %s", qa);
        free(qa);
        return P_FATAL;
    }
    if (kind == '/' && !v0 && !v1) {
        uc_error(p->f->c, "warning: you have specified a mode pattern %s (which is equivalent to /000). The meaning of -perm /000 has now been changed to be consistent with -perm -000; that is, while it used to match no files, it now matches all files.", a);
        kind = '-';
    }
    FNode *n = primary(p, FK_PERM, opt);
    n->perm_kind = kind;
    n->perm[0] = v0 & 07777;
    n->perm[1] = v1 & 07777;
    return P_OK;
}

static int parse_user(Parser *p, const Entry *e) {
    (void)e;
    const char *opt = p->argv[p->i - 1];
    const char *a = take(p);
    if (!a) return P_MISSING;
    uintmax_t id;
    uid_t uid;
    if (*a && u_user_id(a, &uid)) id = uid;
    else if (!u_parse_uint(a, &id)) {
        char *qa = q(a);
        if (*a) fatal(p, "%s is not the name of a known user", qa);
        else fatal(p, "The argument to -user should not be empty");
        free(qa);
        return P_FATAL;
    }
    FNode *n = primary(p, FK_UID, opt);
    n->num = id;
    n->num_cmp = CMP_EQ;
    return P_OK;
}

static int parse_group(Parser *p, const Entry *e) {
    (void)e;
    const char *opt = p->argv[p->i - 1];
    const char *a = take(p);
    if (!a) return P_MISSING;
    uintmax_t id;
    gid_t gid;
    if (*a && u_group_id(a, &gid)) id = gid;
    else if (!u_parse_uint(a, &id)) {
        size_t digits = strspn(a, "0123456789");
        char *qa = q(a), *qs = q(a + digits);
        if (!*a) fatal(p, "argument to -group is empty, but should be a group name");
        else if (digits) fatal(p, "%s is not the name of an existing group and it does not look like a numeric group ID because it has the unexpected suffix %s", qa, qs);
        else fatal(p, "%s is not the name of an existing group", qa);
        free(qa);
        free(qs);
        return P_FATAL;
    }
    FNode *n = primary(p, FK_GID, opt);
    n->num = id;
    n->num_cmp = CMP_EQ;
    return P_OK;
}

static int parse_noarg(Parser *p, const Entry *e) {
    FNode *n = primary(p, (FKind)e->arg, p->argv[p->i - 1]);
    if (e->arg == FK_ACCESS)
        n->access_mode = e->name[0] == 'r' ? R_OK : e->name[0] == 'w' ? W_OK : X_OK;
    return P_OK;
}

static int parse_samefile(Parser *p, const Entry *e) {
    (void)e;
    const char *opt = p->argv[p->i - 1];
    const char *a = take(p);
    if (!a) return P_MISSING;
    struct stat st;
    if (!stat_arg(p, a, &st)) return P_FATAL;
    FNode *n = primary(p, FK_SAMEFILE, opt);
    n->dev = st.st_dev;
    n->ino = st.st_ino;
    return P_OK;
}

static int parse_fstype(Parser *p, const Entry *e) {
    (void)e;
    const char *opt = p->argv[p->i - 1];
    const char *a = take(p);
    if (!a) return P_MISSING;
    primary(p, FK_FSTYPE, opt)->arg = a;
    return P_OK;
}

static int parse_context(Parser *p, const Entry *e) {
    (void)e;
    if (p->i >= p->argc) return P_MISSING;
    fatal(p, "invalid predicate -context: SELinux is not enabled.");
    return P_FATAL;
}

/* ---------- actions ---------- */

static Tok *last_tok(Parser *p) { return &p->toks[p->n - 1]; }

static int parse_print(Parser *p, const Entry *e) {
    const char *opt = p->argv[p->i - 1];
    FOutput *o = output_stdout(p->f);
    if (e->arg == 'f' || e->arg == 'F') {
        const char *a = take(p);
        if (!a) return P_MISSING;
        if (!(o = output_file(p, a))) return P_FATAL;
    }
    FNode *n = primary(p, FK_PRINT, opt);
    n->out = o;
    n->term = e->arg == '0' || e->arg == 'F' ? '\0' : '\n';
    last_tok(p)->no_default_print = true;
    return P_OK;
}

static int parse_printf(Parser *p, const Entry *e) {
    const char *opt = p->argv[p->i - 1];
    FOutput *o = output_stdout(p->f);
    if (e->arg == 'f') {
        const char *a = take(p);
        if (!a) return P_MISSING;
        if (p->i >= p->argc) return P_MISSING;
        if (!(o = output_file(p, a))) return P_FATAL;
    }
    const char *fmt = take(p);
    if (!fmt) return P_MISSING;
    FNode *n = primary(p, FK_PRINTF, opt);
    n->out = o;
    last_tok(p)->no_default_print = true;
    if (!find_printf_parse(p->f, n, fmt)) {
        p->fatal = 1;
        return P_FATAL;
    }
    return P_OK;
}

static int parse_ls(Parser *p, const Entry *e) {
    const char *opt = p->argv[p->i - 1];
    FOutput *o = output_stdout(p->f);
    if (e->arg == 'f') {
        const char *a = take(p);
        if (!a) return P_MISSING;
        if (!(o = output_file(p, a))) return P_FATAL;
    }
    primary(p, FK_LS, opt)->out = o;
    last_tok(p)->no_default_print = true;
    return P_OK;
}

static int parse_delete(Parser *p, const Entry *e) {
    (void)e;
    primary(p, FK_DELETE, p->argv[p->i - 1]);
    last_tok(p)->no_default_print = true;
    p->f->depth_first = true;
    return P_OK;
}

static int parse_prune_quit(Parser *p, const Entry *e) {
    primary(p, (FKind)e->arg, p->argv[p->i - 1]);
    return P_OK;
}

/* -execdir refuses a PATH naming the current directory or a relative one. */
static bool path_is_safe(Parser *p, const char *action) {
    const char *path = uc_getenv(p->f->c, "PATH");
    if (!path) return true;
    for (const char *s = path;;) {
        const char *e = strchr(s, ':');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        if (!len || (len == 1 && *s == '.')) {
            fatal(p, "The current directory is included in the PATH environment variable, which is insecure in combination with the %s action of find.  Please remove the current directory from your $PATH (that is, remove \".\", doubled colons, or leading or trailing colons)", action);
            return false;
        }
        if (*s != '/') {
            char *rel = xstrndup(s, len), *qr = q(rel);
            fatal(p, "The relative path %s is included in the PATH environment variable, which is insecure in combination with the %s action of find.  Please remove that entry from $PATH", qr, action);
            free(rel);
            free(qr);
            return false;
        }
        if (!e) return true;
        s = e + 1;
    }
}

static int exec_check_plus(Parser *p, FExec *x, int braces, const char *brace_arg) {
    const char *suffix = x->dir ? "dir" : "";
    if (braces > 1) {
        fatal(p, "Only one instance of {} is supported with -exec%s ... +", suffix);
        return P_FATAL;
    }
    if (strcmp(brace_arg, "{}") != 0) {
        char buf[32];
        snprintf(buf, sizeof buf, "-exec%s ... {} +", suffix);
        char *q1 = q(buf), *q2 = q("{}"), *q3 = q(brace_arg);
        fatal(p, "In %s the %s must appear by itself, but you specified %s", q1, q2, q3);
        free(q1);
        free(q2);
        free(q3);
        return P_FATAL;
    }
    return P_OK;
}

static int parse_exec(Parser *p, const Entry *e) {
    const char *opt = p->argv[p->i - 1];
    bool dir = strstr(e->name, "dir") != NULL, ok = e->name[0] == 'o';
    if (p->i >= p->argc) return P_MISSING;
    if (dir && !path_is_safe(p, opt)) return P_FATAL;
    int start = p->i, end = start, braces = 0;
    bool saw_braces = false, plus = false;
    const char *brace_arg = NULL;
    for (; end < p->argc && strcmp(p->argv[end], ";") != 0; end++) {
        if (!ok && saw_braces && !strcmp(p->argv[end], "+")) {
            plus = true;
            break;
        }
        /* GNU 4.9 means to refuse {} in the utility name of -execdir but
         * tests the wrong index, so it never does; neither do we. */
        saw_braces = strstr(p->argv[end], "{}") != NULL;
        if (saw_braces) {
            braces++;
            brace_arg = p->argv[end];
        }
    }
    if (end == start || end >= p->argc) {
        p->i = end;
        return end < p->argc ? P_INVALID : P_MISSING;
    }
    FExec *x = xcalloc(1, sizeof *x);
    x->plus = plus;
    x->dir = dir;
    x->ok = ok;
    x->name = dir ? (ok ? "-okdir" : "-execdir") : (ok ? "-ok" : "-exec");
    sl_init(&x->argv);
    sl_init(&x->batch);
    Find *f = p->f;
    f->execs = xrealloc(f->execs, (f->nexecs + 1) * sizeof *f->execs);
    f->execs[f->nexecs++] = x;
    if (plus && exec_check_plus(p, x, braces, brace_arg) != P_OK) return P_FATAL;
    for (int i = start; i < end - (plus ? 1 : 0); i++) sl_push_copy(&x->argv, p->argv[i]);
    p->i = end + 1;
    primary(p, FK_EXEC, opt)->exec = x;
    last_tok(p)->no_default_print = true;
    return P_OK;
}

static int parse_regextype(Parser *p, const Entry *e);
static int parse_regex(Parser *p, const Entry *e);

/* ---------- help and version ---------- */

static int parse_help(Parser *p, const Entry *e) {
    (void)e;
    uc_puts(p->f->c, 1,
            "Usage: find [-H] [-L] [-P] [-Olevel] [-D debugopts] [path...] [expression]\n\n"
            "default path is the current directory; default expression is -print\n"
            "expression may consist of: operators, options, tests, and actions.\n");
    p->fatal = -1;
    return P_FATAL;
}

static int parse_version(Parser *p, const Entry *e) {
    (void)e;
    uc_puts(p->f->c, 1, "find (GNU findutils) 4.9.0 (wasmsh)\n");
    p->fatal = -1;
    return P_FATAL;
}

/* ---------- the table ---------- */

static int parse_punct(Parser *p, const Entry *e) {
    const char *name = p->argv[p->i - 1];
    switch (e->arg) {
    case '!':
        implied_and(p);
        tok_push(p, T_UNI, PREC_NEGATE, find_node_new(p->f, FK_NOT), name);
        break;
    case '(':
        implied_and(p);
        tok_push(p, T_OPEN, PREC_NONE, NULL, name);
        break;
    case ')': tok_push(p, T_CLOSE, PREC_NONE, NULL, name); break;
    case ',': tok_push(p, T_BI, PREC_COMMA, find_node_new(p->f, FK_COMMA), name); break;
    case 'a': tok_push(p, T_BI, PREC_AND, find_node_new(p->f, FK_AND), name); break;
    case 'o': tok_push(p, T_BI, PREC_OR, find_node_new(p->f, FK_OR), name); break;
    default: break;
    }
    return P_OK;
}

static const Entry entries[] = {
    {"!", E_PUNCT, parse_punct, '!'},
    {"(", E_PUNCT, parse_punct, '('},
    {")", E_PUNCT, parse_punct, ')'},
    {",", E_PUNCT, parse_punct, ','},
    {"-help", E_TEST, parse_help, 0},
    {"-version", E_TEST, parse_version, 0},
    {"a", E_PUNCT, parse_punct, 'a'},
    {"amin", E_TEST, parse_time, TIME_A},
    {"and", E_PUNCT, parse_punct, 'a'},
    {"anewer", E_TEST, parse_newer, TIME_A},
    {"atime", E_TEST, parse_time, TIME_A},
    {"cmin", E_TEST, parse_time, TIME_C},
    {"cnewer", E_TEST, parse_newer, TIME_C},
    {"context", E_TEST, parse_context, 0},
    {"ctime", E_TEST, parse_time, TIME_C},
    {"d", E_OPTION, parse_depth, 0},
    {"daystart", E_POSOPT, parse_daystart, 0},
    {"delete", E_ACTION, parse_delete, 0},
    {"depth", E_OPTION, parse_depth, 0},
    {"empty", E_TEST, parse_noarg, FK_EMPTY},
    {"exec", E_ACTION, parse_exec, 0},
    {"execdir", E_ACTION, parse_exec, 0},
    {"executable", E_TEST, parse_noarg, FK_ACCESS},
    {"false", E_TEST, parse_truefalse, 0},
    {"fls", E_ACTION, parse_ls, 'f'},
    {"files0-from", E_OPTION, parse_files0_from, 0},
    {"follow", E_POSOPT, parse_flag, 'L'},
    {"fprint", E_ACTION, parse_print, 'f'},
    {"fprint0", E_ACTION, parse_print, 'F'},
    {"fprintf", E_ACTION, parse_printf, 'f'},
    {"fstype", E_TEST, parse_fstype, 0},
    {"gid", E_TEST, parse_num, FK_GID},
    {"group", E_TEST, parse_group, 0},
    {"help", E_TEST, parse_help, 0},
    {"ignore_readdir_race", E_OPTION, parse_flag, 'i'},
    {"ilname", E_TEST, parse_pattern, 'l'},
    {"iname", E_TEST, parse_pattern, 'n'},
    {"inum", E_TEST, parse_num, FK_INUM},
    {"ipath", E_TEST, parse_pattern, 'p'},
    {"iregex", E_TEST, parse_regex, 1},
    {"iwholename", E_TEST, parse_pattern, 'p'},
    {"links", E_TEST, parse_num, FK_LINKS},
    {"lname", E_TEST, parse_pattern, 'l'},
    {"ls", E_ACTION, parse_ls, 0},
    {"maxdepth", E_OPTION, parse_depthlimit, 'x'},
    {"mindepth", E_OPTION, parse_depthlimit, 'n'},
    {"mmin", E_TEST, parse_time, TIME_M},
    {"mount", E_OPTION, parse_flag, 'x'},
    {"mtime", E_TEST, parse_time, TIME_M},
    {"name", E_TEST, parse_pattern, 'n'},
    {"newer", E_TEST, parse_newer, TIME_M},
    {"nogroup", E_TEST, parse_noarg, FK_NOGROUP},
    {"noignore_readdir_race", E_OPTION, parse_flag, 'I'},
    {"noleaf", E_OPTION, parse_flag, 0},
    {"not", E_PUNCT, parse_punct, '!'},
    {"nouser", E_TEST, parse_noarg, FK_NOUSER},
    {"nowarn", E_POSOPT, parse_flag, 'W'},
    {"o", E_PUNCT, parse_punct, 'o'},
    {"ok", E_ACTION, parse_exec, 0},
    {"okdir", E_ACTION, parse_exec, 0},
    {"or", E_PUNCT, parse_punct, 'o'},
    {"path", E_TEST, parse_pattern, 'p'},
    {"perm", E_TEST, parse_perm, 0},
    {"print", E_ACTION, parse_print, 'n'},
    {"print0", E_ACTION, parse_print, '0'},
    {"printf", E_ACTION, parse_printf, 0},
    {"prune", E_ACTION, parse_prune_quit, FK_PRUNE},
    {"quit", E_ACTION, parse_prune_quit, FK_QUIT},
    {"readable", E_TEST, parse_noarg, FK_ACCESS},
    {"regex", E_TEST, parse_regex, 0},
    {"regextype", E_POSOPT, parse_regextype, 0},
    {"samefile", E_TEST, parse_samefile, 0},
    {"size", E_TEST, parse_size, 0},
    {"true", E_TEST, parse_truefalse, 1},
    {"type", E_TEST, parse_type, FK_TYPE},
    {"uid", E_TEST, parse_num, FK_UID},
    {"used", E_TEST, parse_used, 0},
    {"user", E_TEST, parse_user, 0},
    {"warn", E_POSOPT, parse_flag, 'w'},
    {"wholename", E_TEST, parse_pattern, 'p'},
    {"writable", E_TEST, parse_noarg, FK_ACCESS},
    {"xdev", E_OPTION, parse_flag, 'x'},
    {"xtype", E_TEST, parse_type, FK_XTYPE},
};

static const Entry *lookup(const char *arg) {
    const char *name = arg[0] == '-' ? arg + 1 : arg;
    for (size_t i = 0; i < sizeof entries / sizeof entries[0]; i++)
        if (!strcmp(entries[i].name, name)) return &entries[i];
    return NULL;
}

/* ---------- regular expressions (-regex, -iregex, -regextype) ---------- */

static const char *const regex_type_names[] = {
    "findutils-default", "ed", "emacs", "gnu-awk", "grep", "posix-awk", "awk",
    "posix-basic", "posix-egrep", "egrep", "posix-extended", "posix-minimal-basic", "sed",
};

static int parse_regextype(Parser *p, const Entry *e) {
    (void)e;
    const char *opt = p->argv[p->i - 1];
    const char *a = take(p);
    if (!a) return P_MISSING;
    size_t n = sizeof regex_type_names / sizeof regex_type_names[0];
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(regex_type_names[i], a)) {
            p->f->regex_type = (int)i;
            return noop_named(p, opt);
        }
    }
    StrBuf b;
    sb_init(&b);
    for (size_t i = 0; i < n; i++) {
        sb_puts(&b, i ? ", " : "");
        find_quote_err(&b, regex_type_names[i]);
    }
    char *qa = q(a);
    fatal(p, "Unknown regular expression type %s; valid types are %s.", qa, b.s);
    free(qa);
    sb_free(&b);
    return P_FATAL;
}

/* GNU's regex types map onto the engine's dialects. */
static RxSyntax regex_syntax(int type) {
    const char *name = regex_type_names[type];
    if (!strcmp(name, "findutils-default") || !strcmp(name, "emacs")) return RX_EMACS;
    if (strstr(name, "extended") || strstr(name, "egrep") || strstr(name, "awk")) return RX_ERE;
    return RX_BRE; /* ed, grep, posix-basic, posix-minimal-basic, sed */
}

static int parse_regex(Parser *p, const Entry *e) {
    const char *opt = p->argv[p->i - 1];
    const char *a = take(p);
    if (!a) return P_MISSING;
    FNode *n = primary(p, FK_REGEX, opt);
    n->arg = a;
    n->icase = e->arg != 0;
    unsigned flags = (n->icase ? RX_ICASE : 0) | (u_locale_utf8(p->f->c) ? 0 : RX_BYTES);
    RxError err = {NULL, -1};
    n->regex = rx_compile(a, strlen(a), regex_syntax(p->f->regex_type), flags, &err);
    if (!n->regex) {
        /* glibc's re_compile_pattern calls a lone trailing "[" an invalid
         * pattern, where the engine (worded as grep) says "Unmatched [" */
        size_t len = strlen(a);
        bool lone = len && a[len - 1] == '[' && (len == 1 || a[len - 2] != '\\');
        fatal(p, "failed to compile regular expression '%s': %s", a,
              lone || !err.msg ? "Invalid regular expression" : err.msg);
        return P_FATAL;
    }
    return P_OK;
}

/* ---------- the expression ---------- */

static bool is_expression_word(const char *a) {
    if (a[0] == '-') return a[1] != '\0';
    return a[0] && strchr("!(),", a[0]) && !a[1];
}

/* One primary, option or operator and its arguments. */
static int parse_one(Parser *p) {
    const char *arg = p->argv[p->i];
    if (!is_expression_word(arg)) {
        uc_error(p->f->c, "paths must precede expression: `%s'", arg);
        if (access(arg, F_OK) == 0 && p->n)
            uc_error(p->f->c, "possible unquoted pattern after predicate `%s'?", p->toks[p->n - 1].name);
        return 1;
    }
    bool newerxy = !strncmp(arg, "-newer", 6) && strlen(arg) == 8;
    const Entry *e = newerxy ? NULL : lookup(arg);
    if (!e && !newerxy) {
        uc_error(p->f->c, "unknown predicate `%s'", arg);
        return 1;
    }
    if (e && e->type == E_OPTION && p->first_nonoption && p->f->warn)
        uc_error(p->f->c, "warning: you have specified the global option %s after the argument %s, but global options are not positional, i.e., %s affects tests specified before it as well as those specified after it.  Please specify global options before other arguments.",
                 arg, p->first_nonoption, arg);
    if ((!e || e->type != E_OPTION) && (!e || e->type != E_POSOPT) && !p->first_nonoption)
        p->first_nonoption = arg;
    p->i++;
    int r = newerxy ? parse_newerxy(p, arg) : e->parse(p, e);
    if (r == P_OK) return 0;
    if (r == P_FATAL) return p->fatal < 0 ? -1 : 1;
    if (r == P_INVALID && p->i < p->argc) uc_error(p->f->c, "invalid argument `%s' to `%s'", p->argv[p->i], arg);
    else uc_error(p->f->c, "missing argument to `%s'", arg);
    return 1;
}

/* fmt names arg with %s when it needs it. */
static void parse_error(Parser *p, const char *fmt, const char *arg) {
    uc_error(p->f->c, fmt, arg ? arg : "");
    p->fatal = 1;
}

static FNode *get_expr(Parser *p, size_t *i, int prev_prec, const Tok *prev);

static FNode *scan_rest(Parser *p, size_t *i, FNode *tree, int prev_prec) {
    while (!p->fatal && *i < p->n && p->toks[*i].prec > prev_prec) {
        Tok *t = &p->toks[*i];
        if (t->type == T_CLOSE) return tree;
        if (t->type != T_BI) {
            parse_error(p, "invalid expression", NULL);
            return NULL;
        }
        (*i)++;
        t->node->l = tree;
        t->node->r = get_expr(p, i, t->prec, t);
        tree = t->node;
    }
    return tree;
}

static FNode *get_paren(Parser *p, size_t *i, const Tok *t) {
    if (*i + 1 >= p->n || p->toks[*i + 1].artificial) {
        parse_error(p, "invalid expression; expected to find a ')' but didn't see one. Perhaps you need an extra predicate after '%s'", t->name);
        return NULL;
    }
    (*i)++;
    if (p->toks[*i].type == T_CLOSE) {
        parse_error(p, "invalid expression; empty parentheses are not allowed.", NULL);
        return NULL;
    }
    FNode *n = get_expr(p, i, PREC_NONE, t);
    if (p->fatal) return NULL;
    if (*i >= p->n || p->toks[*i].type != T_CLOSE) {
        parse_error(p, "invalid expression; I was expecting to find a ')' somewhere but did not see one.", NULL);
        return NULL;
    }
    (*i)++;
    return n;
}

/* GNU's precedence parser: the operand at *i, then the operators binding
 * tighter than prev_prec. */
static FNode *get_expr(Parser *p, size_t *i, int prev_prec, const Tok *prev) {
    if (p->fatal) return NULL;
    if (*i >= p->n) {
        parse_error(p, "invalid expression", NULL);
        return NULL;
    }
    Tok *t = &p->toks[*i];
    FNode *n = NULL;
    switch (t->type) {
    case T_BI:
        parse_error(p, "invalid expression; you have used a binary operator '%s' with nothing before it.", t->name);
        return NULL;
    case T_CLOSE:
        if (prev && (prev->type == T_UNI || prev->type == T_BI) && !t->artificial)
            parse_error(p, "expected an expression between '%s' and ')'", prev->name);
        else if (t->artificial)
            parse_error(p, "expected an expression after '%s'", prev ? prev->name : "(");
        else
            parse_error(p, "invalid expression; you have too many ')'", NULL);
        return NULL;
    case T_PRIMARY:
        n = t->node;
        (*i)++;
        break;
    case T_UNI:
        n = t->node;
        (*i)++;
        n->r = get_expr(p, i, PREC_NEGATE, t);
        break;
    case T_OPEN: n = get_paren(p, i, t); break;
    }
    if (p->fatal || *i >= p->n) return n;
    if (p->toks[*i].prec > prev_prec) n = scan_rest(p, i, n, prev_prec);
    if (!n && !p->fatal) parse_error(p, "invalid expression", NULL);
    return n;
}

static bool has_action(const Parser *p) {
    for (size_t i = 0; i < p->n; i++)
        if (p->toks[i].no_default_print) return true;
    return false;
}

static bool delete_with_prune(const Parser *p) {
    bool del = false, prune = false;
    for (size_t i = 0; i < p->n; i++) {
        FNode *n = p->toks[i].node;
        if (p->toks[i].type != T_PRIMARY) continue;
        if (n->kind == FK_DELETE) del = true;
        if (n->kind == FK_PRUNE) prune = true;
    }
    return del && prune;
}

/* Wraps the user's tokens as GNU does and builds the tree. */
static int build_tree(Parser *p) {
    Find *f = p->f;
    if (!p->n) {
        FNode *n = find_node_new(f, FK_PRINT);
        n->out = output_stdout(f);
        n->term = '\n';
        f->tree = n;
        return 0;
    }
    if (!has_action(p)) {
        Tok open = {T_OPEN, PREC_NONE, NULL, "(", true, false};
        tok_push(p, T_CLOSE, PREC_NONE, NULL, ")")->artificial = true;
        FNode *n = primary(p, FK_PRINT, "-print");
        n->out = output_stdout(f);
        n->term = '\n';
        last_tok(p)->artificial = true;
        tok_push(p, T_PRIMARY, 0, NULL, NULL);
        memmove(p->toks + 1, p->toks, (p->n - 1) * sizeof *p->toks);
        p->toks[0] = open;
    }
    if (delete_with_prune(p) && !f->explicit_depth) {
        uc_error(f->c, "The -delete action automatically turns on -depth, but -prune does nothing when -depth is in effect.  If you want to carry on anyway, just explicitly use the -depth option.");
        return 1;
    }
    size_t i = 0;
    f->tree = get_expr(p, &i, PREC_NONE, NULL);
    if (p->fatal) return 1;
    if (i < p->n) {
        if (p->toks[i].type == T_CLOSE) uc_error(f->c, "you have too many ')'");
        else uc_error(f->c, "unexpected extra predicate '%s'", p->toks[i].name);
        return 1;
    }
    return 0;
}

/* -H -L -P -D opts -Olevel before the starting points. */
static int leading_options(Parser *p) {
    int i = 1;
    for (; i < p->argc; i++) {
        const char *a = p->argv[i];
        if (!strcmp(a, "-H")) p->f->follow = FOLLOW_ARGS;
        else if (!strcmp(a, "-L")) p->f->follow = FOLLOW_ALWAYS;
        else if (!strcmp(a, "-P")) p->f->follow = FOLLOW_NEVER;
        else if (!strcmp(a, "-D")) {
            if (++i >= p->argc) {
                uc_error(p->f->c, "Missing argument after the -D option.");
                return -1;
            }
        } else if (!strncmp(a, "-O", 2) && a[2]) continue;
        else if (!strcmp(a, "--")) return i + 1;
        else break;
    }
    return i;
}

int find_parse(Find *f, int argc, char **argv) {
    Parser p = {0};
    p.f = f;
    p.argc = argc;
    p.argv = argv;
    f->maxdepth = f->mindepth = -1;
    f->regex_type = 2; /* emacs */
    clock_gettime(CLOCK_REALTIME, &f->start);
    f->day_start = f->start;
    f->day_start.tv_sec -= 86400;
    sl_init(&f->starts);
    output_new(f, NULL, NULL, 1);
    int i = leading_options(&p);
    if (i < 0) return 1;
    for (; i < argc && !is_expression_word(argv[i]); i++) sl_push_copy(&f->starts, argv[i]);
    p.i = i;
    int r = 0;
    while (!r && p.i < argc) r = parse_one(&p);
    if (r == -1) r = 0;            /* --help, --version */
    else if (!r) r = build_tree(&p) ? 1 : -1;
    if (f->mindepth < 0) f->mindepth = 0;
    free(p.toks);
    return r;
}

void find_free(Find *f) {
    for (size_t i = 0; i < f->nnodes; i++) {
        FNode *n = f->nodes[i];
        if (n->regex) rx_free(n->regex);
        for (size_t k = 0; k < n->nsegs; k++) free(n->segs[k].text);
        free(n->segs);
        free(n);
    }
    free(f->nodes);
    for (size_t i = 0; i < f->nexecs; i++) {
        FExec *x = f->execs[i];
        sl_free(&x->argv);
        sl_free(&x->batch);
        free(x->batch_dir);
        free(x->batch_key);
        free(x);
    }
    free(f->execs);
    for (size_t i = 0; i < f->nouts; i++) {
        free(f->outs[i]->name);
        free(f->outs[i]);
    }
    free(f->outs);
    sl_free(&f->starts);
}
