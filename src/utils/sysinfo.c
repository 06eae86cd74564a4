/* sysinfo.c - what the sandbox says about itself: uname, arch, hostname,
 * id, whoami, groups, logname, nproc, tty, getconf. All values come from the
 * fixed identity in ident.h, so a session never sees the host's, and nothing
 * here changes anything (hostname NAME is refused as for a non-root user). */
#include "ident.h"
#include "ucommon.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A utility taking no operands: the usual options, then "extra operand". */
static int no_operands(UtilCtx *c, int argc, char **argv, const char *usage) {
    UOpts o;
    uopt_init(&o, c, argc, argv, "", NULL);
    int k, r = -1;
    while (r < 0 && (k = uopt_next(&o)) != UO_END)
        r = k == UO_HELP ? u_help(c, usage) : k == UO_VERSION ? u_version(c) : 1;
    if (r < 0 && o.ops.n) u_extra_operand(c, o.ops.v[0]), r = 1;
    uopt_free(&o);
    return r;
}

/* ================= uname, arch ================= */

enum { UN_S = 1, UN_N = 2, UN_R = 4, UN_V = 8, UN_M = 16, UN_P = 32, UN_I = 64, UN_O = 128 };

static const UOptLong uname_longs[] = {
    {"all", UO_NOARG, 'a'},           {"kernel-name", UO_NOARG, 's'},     {"nodename", UO_NOARG, 'n'},
    {"kernel-release", UO_NOARG, 'r'}, {"kernel-version", UO_NOARG, 'v'}, {"machine", UO_NOARG, 'm'},
    {"processor", UO_NOARG, 'p'},     {"hardware-platform", UO_NOARG, 'i'}, {"operating-system", UO_NOARG, 'o'},
    {NULL, 0, 0},
};

int util_uname_main(UtilCtx *c, int argc, char **argv) {
    UOpts o;
    uopt_init(&o, c, argc, argv, "asnrvmpio", uname_longs);
    int k, r = -1, which = 0;
    bool all = false;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) {
        const char *letters = "snrvmpio";
        const char *at = k > 0 && k < 128 ? strchr(letters, k) : NULL;
        if (k == 'a') all = true, which |= 0xff & ~(UN_P | UN_I);
        else if (at) which |= 1 << (at - letters);
        else r = k == UO_HELP ? u_help(c, "[OPTION]...") : k == UO_VERSION ? u_version(c) : 1;
    }
    if (r < 0 && o.ops.n) u_extra_operand(c, o.ops.v[0]), r = 1;
    uopt_free(&o);
    if (r >= 0) return r;
    if (!which) which = UN_S;
    const char *fields[] = {U_UNAME_SYSNAME, U_IDENT_HOST, U_UNAME_RELEASE, U_UNAME_VERSION,
                            U_UNAME_MACHINE, "unknown",    "unknown",       U_UNAME_OS};
    StrBuf b;
    sb_init(&b);
    for (int i = 0; i < 8; i++) {
        if (!(which & (1 << i))) continue;
        if (all && (i == 5 || i == 6)) continue; /* -a omits unknown -p and -i */
        if (b.len) sb_putc(&b, ' ');
        sb_puts(&b, fields[i]);
    }
    sb_putc(&b, '\n');
    r = uc_write(c, 1, b.s, b.len) < 0;
    sb_free(&b);
    return r;
}

int util_arch_main(UtilCtx *c, int argc, char **argv) {
    int r = no_operands(c, argc, argv, "[OPTION]...");
    if (r >= 0) return r;
    return uc_puts(c, 1, U_UNAME_MACHINE "\n") < 0;
}

/* ================= hostname ================= */

static const UOptLong hostname_longs[] = {
    {"short", UO_NOARG, 's'}, {"fqdn", UO_NOARG, 'f'},    {"long", UO_NOARG, 'f'},
    {"domain", UO_NOARG, 'd'}, {"ip-address", UO_NOARG, 'i'}, {"all-ip-addresses", UO_NOARG, 'I'},
    {"all-fqdns", UO_NOARG, 'A'}, {"alias", UO_NOARG, 'a'}, {NULL, 0, 0},
};

int util_hostname_main(UtilCtx *c, int argc, char **argv) {
    UOpts o;
    uopt_init(&o, c, argc, argv, "sfdiIAay", hostname_longs);
    int k, r = -1, what = 's';
    while (r < 0 && (k = uopt_next(&o)) != UO_END) {
        if (k == UO_HELP) r = u_help(c, "[-s|-f|-d|-i|-I|-A] | NAME");
        else if (k == UO_VERSION) r = u_version(c);
        else if (k == UO_ERR) r = 255; /* Debian's hostname exits 255 on usage errors */
        else what = k;
    }
    if (r < 0 && o.ops.n) {
        uc_error(c, "you must be root to change the host name");
        r = 1;
    }
    uopt_free(&o);
    if (r >= 0) return r;
    const char *text = U_IDENT_HOST "\n";
    /* the sandbox has no domain and no network interfaces but loopback */
    if (what == 'd') text = "";
    else if (what == 'y') return uc_puts(c, 1, "hostname: Local domain name not set\n"), 1; /* stdout, as Debian's */
    else if (what == 'i') text = "127.0.1.1\n";
    else if (what == 'I' || what == 'A' || what == 'a') text = "\n";
    return uc_puts(c, 1, text) < 0;
}

/* ================= id, whoami, groups, logname ================= */

typedef struct IdWho {
    uid_t uid;
    gid_t gid;
} IdWho;

/* The user an operand names: the fixed identity, root, or the system's. */
static bool id_lookup(const char *name, IdWho *w) {
    uid_t uid;
    if (!u_user_id(name, &uid)) return false;
    w->uid = uid;
    w->gid = uid == U_IDENT_UID ? U_IDENT_GID : uid == 0 ? 0 : (gid_t)uid;
    if (uid != U_IDENT_UID && uid != 0) {
        /* the system's primary group, when it knows the user */
        gid_t g;
        char buf[64];
        if (u_user_name(uid, buf, sizeof buf) && u_group_id(buf, &g)) w->gid = g;
    }
    return true;
}

static void id_name(StrBuf *b, unsigned v, bool group) {
    char buf[256];
    bool named = group ? u_group_name((gid_t)v, buf, sizeof buf) : u_user_name((uid_t)v, buf, sizeof buf);
    sb_printf(b, "%u", v);
    if (named) sb_printf(b, "(%s)", buf);
}

static void id_full(StrBuf *b, const IdWho *w) {
    sb_puts(b, "uid=");
    id_name(b, (unsigned)w->uid, false);
    sb_puts(b, " gid=");
    id_name(b, (unsigned)w->gid, true);
    sb_puts(b, " groups=");
    id_name(b, (unsigned)w->gid, true);
    sb_putc(b, '\n');
}

static void id_one(StrBuf *b, unsigned v, bool group, bool names) {
    char buf[256];
    if (names) {
        if (group) u_group_name((gid_t)v, buf, sizeof buf);
        else u_user_name((uid_t)v, buf, sizeof buf);
        sb_puts(b, buf);
    } else {
        sb_printf(b, "%u", v);
    }
}

static const UOptLong id_longs[] = {
    {"user", UO_NOARG, 'u'},  {"group", UO_NOARG, 'g'}, {"groups", UO_NOARG, 'G'}, {"name", UO_NOARG, 'n'},
    {"real", UO_NOARG, 'r'},  {"zero", UO_NOARG, 'z'},  {"context", UO_NOARG, 'Z'}, {NULL, 0, 0},
};

static int id_print(UtilCtx *c, const char *user, int only, bool names, bool real, bool zero) {
    IdWho w = {U_IDENT_UID, U_IDENT_GID};
    if (user && !id_lookup(user, &w)) {
        char *q = u_quote(user);
        uc_error(c, "%s: no such user", q);
        free(q);
        return 1;
    }
    StrBuf b;
    sb_init(&b);
    if (!only) {
        if (names || real) {
            uc_error(c, "cannot print only names or real IDs in default format");
            sb_free(&b);
            return 1;
        }
        if (zero) {
            uc_error(c, "option --zero not permitted in default format");
            sb_free(&b);
            return 1;
        }
        id_full(&b, &w);
    } else {
        id_one(&b, only == 'u' ? (unsigned)w.uid : (unsigned)w.gid, only != 'u', names);
        sb_putc(&b, zero ? '\0' : '\n');
    }
    int r = uc_write(c, 1, b.s, b.len) < 0;
    sb_free(&b);
    return r;
}

int util_id_main(UtilCtx *c, int argc, char **argv) {
    UOpts o;
    uopt_init(&o, c, argc, argv, "ugGnrzZa", id_longs);
    int k, r = -1, only = 0, count = 0;
    bool names = false, real = false, zero = false;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) {
        switch (k) {
        case 'u': case 'g': case 'G': only = k, count++; break;
        case 'n': names = true; break;
        case 'r': real = true; break;
        case 'z': zero = true; break;
        case 'a': break;
        case 'Z': uc_error(c, "--context (-Z) works only on an SELinux-enabled kernel"); r = 1; break;
        case UO_HELP: r = u_help(c, "[OPTION]... [USER]..."); break;
        case UO_VERSION: r = u_version(c); break;
        default: r = 1; break;
        }
    }
    if (r < 0 && count > 1) uc_error(c, "cannot print \"only\" of more than one choice"), r = 1;
    int status = 0;
    if (r < 0 && !o.ops.n) status = id_print(c, NULL, only, names, real, zero);
    for (size_t i = 0; r < 0 && i < o.ops.n; i++) status |= id_print(c, o.ops.v[i], only, names, real, zero);
    uopt_free(&o);
    return r >= 0 ? r : status;
}

int util_whoami_main(UtilCtx *c, int argc, char **argv) {
    int r = no_operands(c, argc, argv, "[OPTION]...");
    if (r >= 0) return r;
    return uc_puts(c, 1, U_IDENT_USER "\n") < 0;
}

/* logname: the sandbox has no login records; the fixed user stands in. */
int util_logname_main(UtilCtx *c, int argc, char **argv) {
    int r = no_operands(c, argc, argv, "[OPTION]");
    if (r >= 0) return r;
    return uc_puts(c, 1, U_IDENT_USER "\n") < 0;
}

int util_groups_main(UtilCtx *c, int argc, char **argv) {
    UOpts o;
    uopt_init(&o, c, argc, argv, "", NULL);
    int k, r = -1;
    while (r < 0 && (k = uopt_next(&o)) != UO_END)
        r = k == UO_HELP ? u_help(c, "[OPTION]... [USERNAME]...") : k == UO_VERSION ? u_version(c) : 1;
    StrBuf b;
    sb_init(&b);
    int status = 0;
    char buf[256];
    if (r < 0 && !o.ops.n) {
        u_group_name(U_IDENT_GID, buf, sizeof buf);
        sb_printf(&b, "%s\n", buf);
    }
    for (size_t i = 0; r < 0 && i < o.ops.n; i++) {
        IdWho w;
        if (!id_lookup(o.ops.v[i], &w)) {
            char *q = u_quote(o.ops.v[i]);
            uc_write(c, 1, b.s, b.len);
            sb_clear(&b);
            uc_error(c, "%s: no such user", q);
            free(q);
            status = 1;
            continue;
        }
        u_group_name(w.gid, buf, sizeof buf);
        sb_printf(&b, "%s : %s\n", o.ops.v[i], buf);
    }
    if (r < 0 && uc_write(c, 1, b.s, b.len) < 0) status = 1;
    sb_free(&b);
    uopt_free(&o);
    return r >= 0 ? r : status;
}

/* ================= nproc ================= */

static const UOptLong nproc_longs[] = {{"all", UO_NOARG, 'A'}, {"ignore", UO_REQ, 'I'}, {NULL, 0, 0}};

/* The leading positive number of an OMP_* variable ("3" or "3,2,1"), else 0. */
static uintmax_t omp_env_value(const char *s) {
    if (!s) return 0;
    while (*s == ' ' || *s == '\t') s++;
    uintmax_t v = 0;
    const char *p = s;
    for (; *p >= '0' && *p <= '9'; p++) v = v * 10 + (uintmax_t)(*p - '0');
    while (*p == ' ' || *p == '\t') p++;
    return p > s && (!*p || *p == ',') ? v : 0;
}

/* One processor: utilities run in the session's single thread. */
int util_nproc_main(UtilCtx *c, int argc, char **argv) {
    UOpts o;
    uopt_init(&o, c, argc, argv, "", nproc_longs);
    int k, r = -1;
    uintmax_t n = 1, ignore = 0;
    bool all = false;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) {
        if (k == 'A') all = true;
        else if (k == 'I') {
            if (!u_parse_uint(o.arg, &ignore)) {
                char *q = u_quote(o.arg);
                uc_error(c, "invalid number: %s", q);
                free(q);
                r = 1;
            }
        } else r = k == UO_HELP ? u_help(c, "[OPTION]...") : k == UO_VERSION ? u_version(c) : 1;
    }
    if (r < 0 && o.ops.n) u_extra_operand(c, o.ops.v[0]), r = 1;
    uopt_free(&o);
    if (r >= 0) return r;
    if (!all) {
        /* as GNU: OMP_NUM_THREADS's first value, capped by OMP_THREAD_LIMIT */
        uintmax_t threads = omp_env_value(uc_getenv(c, "OMP_NUM_THREADS"));
        uintmax_t limit = omp_env_value(uc_getenv(c, "OMP_THREAD_LIMIT"));
        if (threads) n = threads;
        if (limit && n > limit) n = limit;
    }
    n = ignore < n ? n - ignore : 1;
    return uc_printf(c, 1, "%ju\n", n) < 0;
}

/* ================= tty ================= */

static const UOptLong tty_longs[] = {{"silent", UO_NOARG, 's'}, {"quiet", UO_NOARG, 's'}, {NULL, 0, 0}};

int util_tty_main(UtilCtx *c, int argc, char **argv) {
    UOpts o;
    uopt_init(&o, c, argc, argv, "s", tty_longs);
    int k, r = -1;
    bool silent = false;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) {
        if (k == 's') silent = true;
        else r = k == UO_HELP ? u_help(c, "[OPTION]...") : k == UO_VERSION ? u_version(c) : 2;
    }
    if (r < 0 && o.ops.n) {
        u_extra_operand(c, o.ops.v[0]);
        r = 2;
    }
    uopt_free(&o);
    if (r >= 0) return r;
    /* the session's stdin is never a terminal */
    if (!silent) uc_puts(c, 1, "not a tty\n");
    return 1;
}

/* ================= getconf ================= */

typedef struct ConfVar {
    const char *name;
    long long value;
    const char *text; /* instead of value */
    bool path;        /* takes a path operand */
} ConfVar;

static const ConfVar conf_vars[] = {
    {"AIO_LISTIO_MAX", -1, "undefined", false}, {"ARG_MAX", 2097152, NULL, false},
    {"ATEXIT_MAX", 2147483647, NULL, false},   {"BC_BASE_MAX", 99, NULL, false},
    {"BC_DIM_MAX", 2048, NULL, false},         {"BC_SCALE_MAX", 99, NULL, false},
    {"BC_STRING_MAX", 1000, NULL, false},      {"CHAR_BIT", CHAR_BIT, NULL, false},
    {"CHAR_MAX", CHAR_MAX, NULL, false},       {"CHAR_MIN", CHAR_MIN, NULL, false},
    {"CHILD_MAX", 63704, NULL, false},         {"CLK_TCK", 100, NULL, false},
    {"COLL_WEIGHTS_MAX", 255, NULL, false},    {"CS_PATH", 0, "/bin:/usr/bin", false},
    {"EXPR_NEST_MAX", 32, NULL, false},        {"FILESIZEBITS", 64, NULL, true},
    {"GNU_LIBC_VERSION", 0, "glibc 2.36", false}, {"GNU_LIBPTHREAD_VERSION", 0, "NPTL 2.36", false},
    {"HOST_NAME_MAX", 64, NULL, false},        {"INT_MAX", INT_MAX, NULL, false},
    {"INT_MIN", INT_MIN, NULL, false},         {"IOV_MAX", 1024, NULL, false},
    {"LINE_MAX", 2048, NULL, false},           {"LINK_MAX", 127, NULL, true},
    {"LOGIN_NAME_MAX", 256, NULL, false},      {"LONG_BIT", (long long)(sizeof(long) * CHAR_BIT), NULL, false},
    {"LONG_MAX", LONG_MAX, NULL, false},       {"LONG_MIN", LONG_MIN, NULL, false},
    {"MAX_CANON", 255, NULL, true},            {"MAX_INPUT", 255, NULL, true},
    {"MB_LEN_MAX", 16, NULL, false},           {"NAME_MAX", 255, NULL, true},
    {"NGROUPS_MAX", 65536, NULL, false},       {"NL_ARGMAX", 4096, NULL, false},
    {"NZERO", 20, NULL, false},                {"OPEN_MAX", 1024, NULL, false},
    {"PAGESIZE", 4096, NULL, false},           {"PAGE_SIZE", 4096, NULL, false},
    {"PATH", 0, "/bin:/usr/bin", false},       {"PATH_MAX", 4096, NULL, true},
    {"PIPE_BUF", 4096, NULL, true},
    {"RE_DUP_MAX", 32767, NULL, false},        {"SCHAR_MAX", SCHAR_MAX, NULL, false},
    {"SCHAR_MIN", SCHAR_MIN, NULL, false},     {"SHRT_MAX", SHRT_MAX, NULL, false},
    {"SHRT_MIN", SHRT_MIN, NULL, false},       {"SSIZE_MAX", (long long)(SIZE_MAX >> 1), NULL, false},
    {"STREAM_MAX", 16, NULL, false},           {"SYMLINK_MAX", -1, "undefined", true},
    {"TZNAME_MAX", -1, "undefined", false},    {"UCHAR_MAX", UCHAR_MAX, NULL, false},
    {"UINT_MAX", UINT_MAX, NULL, false},       {"ULONG_MAX", 0, NULL, false},
    {"USHRT_MAX", USHRT_MAX, NULL, false},     {"WORD_BIT", 32, NULL, false},
    {"_AVPHYS_PAGES", 262144, NULL, false},    {"_NPROCESSORS_CONF", 1, NULL, false},
    {"_NPROCESSORS_ONLN", 1, NULL, false},     {"_PHYS_PAGES", 524288, NULL, false},
    {"_POSIX_ARG_MAX", 2097152, NULL, false},  {"_POSIX_VERSION", 200809, NULL, false},
    {NULL, 0, NULL, false},
};

static void conf_print(StrBuf *b, const ConfVar *v) {
    if (v->text) sb_puts(b, v->text);
    else if (!strcmp(v->name, "ULONG_MAX")) sb_printf(b, "%lu", ULONG_MAX);
    else sb_printf(b, "%lld", v->value);
}

static int getconf_usage(UtilCtx *c) {
    uc_puts(c, 2, "Usage: getconf [-v specification] variable_name [pathname]\n       getconf -a [pathname]\n");
    return 2;
}

int util_getconf_main(UtilCtx *c, int argc, char **argv) {
    UOpts o;
    uopt_init(&o, c, argc, argv, "+av:", NULL);
    int k, r = -1;
    bool all = false;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) {
        if (k == 'a') all = true;
        else if (k == 'v') continue;
        else r = k == UO_HELP ? u_help(c, "[-v specification] variable_name [pathname]") : k == UO_VERSION ? u_version(c) : 1;
    }
    StrBuf b;
    sb_init(&b);
    if (r < 0 && all) {
        for (const ConfVar *v = conf_vars; v->name; v++) {
            sb_printf(&b, "%-35s", v->name);
            conf_print(&b, v);
            sb_putc(&b, '\n');
        }
        r = 0;
    } else if (r < 0 && (o.ops.n < 1 || o.ops.n > 2)) {
        r = getconf_usage(c);
    } else if (r < 0) {
        const ConfVar *v = conf_vars;
        while (v->name && strcmp(v->name, o.ops.v[0])) v++;
        if (!v->name) {
            uc_printf(c, 2, "getconf: Unrecognized variable `%s'\n", o.ops.v[0]);
            r = 2;
        } else if (v->path != (o.ops.n == 2)) {
            r = getconf_usage(c); /* path variables need a pathname, the others take none */
        } else {
            conf_print(&b, v);
            sb_putc(&b, '\n');
            r = 0;
        }
    }
    if (b.len && uc_write(c, 1, b.s, b.len) < 0) r = 1;
    sb_free(&b);
    uopt_free(&o);
    return r;
}
