/* runcmd.c - utilities that run another command: timeout (a deadline nested
 * in the run's own, see uc_run_with_deadline), nice, nohup, stdbuf (accepted;
 * nothing to adjust in-process), and which, sync, yes-like helpers. */
#include "ucommon.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Programs that are shell builtins here but files in /usr/bin for GNU. */
static bool builtin_program(const char *name) {
    static const char *const names[] = {"echo", "printf", "test", "[", "pwd", "kill", "true", "false", "bash", "sh", NULL};
    for (int i = 0; names[i]; i++)
        if (!strcmp(names[i], name)) return true;
    return false;
}

/* 0 when argv[0] can run as a program, else 127 (missing) or 126 (not
 * executable) after "PREFIX'NAME': error" as GNU words it. */
static int check_program(UtilCtx *c, const char *name, const char *prefix) {
    int err = 0;
    if (strchr(name, '/')) {
        struct stat st;
        if (stat(name, &st) != 0) err = errno;
        else if (S_ISDIR(st.st_mode) || access(name, X_OK) != 0) err = EACCES;
    } else if (!uc_is_utility(c, name) && !builtin_program(name)) {
        err = ENOENT;
    }
    if (!err) return 0;
    char *q = u_quote(name);
    uc_error(c, "%s%s: %s", prefix, q, u_strerror(err));
    free(q);
    return err == ENOENT ? 127 : 126;
}

static int run_program(UtilCtx *c, char **argv, const char *prefix) {
    int r = check_program(c, argv[0], prefix);
    return r ? r : uc_run_argv(c, argv);
}

/* ================= timeout ================= */

static bool parse_duration(const char *s, double *out) {
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || v < 0 || isnan(v)) return false;
    if (*end) {
        if (end[1]) return false;
        switch (*end) {
        case 's': break;
        case 'm': v *= 60; break;
        case 'h': v *= 3600; break;
        case 'd': v *= 86400; break;
        default: return false;
        }
    }
    *out = v;
    return true;
}

static int signal_number(const char *s) {
    static const char *const names[] = {"HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1",
                                        "SEGV", "USR2", "PIPE", "ALRM", "TERM", NULL};
    if (*s && strspn(s, "0123456789") == strlen(s)) {
        long v = strtol(s, NULL, 10);
        return v >= 0 && v < 65 ? (int)v : -1;
    }
    if (!strncmp(s, "SIG", 3)) s += 3;
    for (int i = 0; names[i]; i++)
        if (!strcmp(names[i], s)) return i + 1;
    if (!strcmp(s, "CHLD")) return 17;
    if (!strcmp(s, "CONT")) return 18;
    if (!strcmp(s, "STOP")) return 19;
    return -1;
}

static const UOptLong timeout_longs[] = {
    {"signal", UO_REQ, 's'},       {"kill-after", UO_REQ, 'k'}, {"preserve-status", UO_NOARG, 'p'},
    {"foreground", UO_NOARG, 'f'}, {"verbose", UO_NOARG, 'v'},  {NULL, 0, 0},
};

static bool bad_interval(UtilCtx *c, const char *s) {
    char *q = u_quote(s);
    uc_error(c, "invalid time interval %s", q);
    free(q);
    u_try_help(c);
    return false;
}

int util_timeout_main(UtilCtx *c, int argc, char **argv) {
    UOpts o;
    uopt_init(&o, c, argc, argv, "+s:k:v", timeout_longs);
    int k, r = -1, sig = 15;
    bool preserve = false, verbose = false;
    double kill_after;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) {
        switch (k) {
        case 's':
            if ((sig = signal_number(o.arg)) < 0) {
                char *q = u_quote(o.arg);
                uc_error(c, "%s: invalid signal", q);
                free(q);
                u_try_help(c);
                r = 125;
            }
            break;
        case 'k': if (!parse_duration(o.arg, &kill_after)) bad_interval(c, o.arg), r = 125; break;
        case 'p': preserve = true; break;
        case 'v': verbose = true; break;
        case 'f': break;
        case UO_HELP: r = u_help(c, "[OPTION] DURATION COMMAND [ARG]..."); break;
        case UO_VERSION: r = u_version(c); break;
        default: r = 125; break;
        }
    }
    double secs = 0;
    if (r < 0 && o.ops.n < 2) {
        if (o.ops.n) uc_error(c, "missing operand after %s", o.ops.v[0]), u_try_help(c);
        else u_missing_operand(c, NULL);
        r = 125;
    }
    if (r < 0 && !parse_duration(o.ops.v[0], &secs)) bad_interval(c, o.ops.v[0]), r = 125;
    if (r < 0) r = check_program(c, o.ops.v[1], "failed to run command ");
    if (r == 0) {
        bool expired = false;
        uint64_t ms = secs > 0 ? (uint64_t)ceil(secs * 1000) : 0;
        if (secs == 0) r = uc_run_argv(c, o.ops.v + 1);
        else r = uc_run_with_deadline(c, o.ops.v + 1, ms, &expired);
        if (expired) {
            if (verbose) {
                const char *names[] = {"HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1",
                                       "SEGV", "USR2", "PIPE", "ALRM", "TERM"};
                char *q = u_quote(o.ops.v[1]);
                if (sig >= 1 && sig <= 15) uc_error(c, "sending signal %s to command %s", names[sig - 1], q);
                else uc_error(c, "sending signal %d to command %s", sig, q);
                free(q);
            }
            r = preserve || sig == 9 ? 128 + sig : 124;
        }
    }
    uopt_free(&o);
    return r;
}

/* ================= nice, nohup, stdbuf ================= */

static const UOptLong nice_longs[] = {{"adjustment", UO_REQ, 'n'}, {NULL, 0, 0}};

int util_nice_main(UtilCtx *c, int argc, char **argv) {
    /* "nice -5 cmd" is an old form of "-n 5" */
    long adj = 10;
    int first = 1;
    UOpts o;
    char **args = xmalloc(((size_t)argc + 1) * sizeof *args);
    memcpy(args, argv, ((size_t)argc + 1) * sizeof *args);
    if (argc > 1 && argv[1][0] == '-' && argv[1][1] && strspn(argv[1] + 1, "0123456789") == strlen(argv[1] + 1)) {
        adj = strtol(argv[1] + 1, NULL, 10);
        memmove(args + 1, args + 2, (size_t)(argc - 1) * sizeof *args);
        argc--;
        first = 0;
    }
    uopt_init(&o, c, argc, args, "+n:", nice_longs);
    int k, r = -1;
    bool have_adj = !first;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) {
        if (k == 'n') {
            char *end;
            errno = 0;
            adj = strtol(o.arg, &end, 10);
            if (end == o.arg || *end || errno) {
                char *q = u_quote(o.arg);
                uc_error(c, "invalid adjustment %s", q);
                free(q);
                r = 125;
            }
            have_adj = true;
        } else r = k == UO_HELP ? u_help(c, "[OPTION] [COMMAND [ARG]...]") : k == UO_VERSION ? u_version(c) : 125;
    }
    if (r < 0 && !o.ops.n) {
        if (have_adj) {
            uc_error(c, "a command must be given with an adjustment");
            u_try_help(c);
            r = 125;
        } else {
            r = uc_printf(c, 1, "%d\n", uc_niceness(c)) < 0;
        }
    }
    if (r < 0) {
        /* Linux clamps to -20..19; the fixed identity may lower it too (as
         * the reference, run as root, does) */
        int before = uc_niceness(c);
        long want = before + (adj > 40 ? 40 : adj < -40 ? -40 : adj);
        uc_set_niceness(c, want > 19 ? 19 : want < -20 ? -20 : (int)want);
        r = run_program(c, o.ops.v, "");
        uc_set_niceness(c, before);
    }
    uopt_free(&o);
    free(args);
    return r;
}

int util_nohup_main(UtilCtx *c, int argc, char **argv) {
    UOpts o;
    uopt_init(&o, c, argc, argv, "+", NULL);
    int k, r = -1;
    while (r < 0 && (k = uopt_next(&o)) != UO_END)
        r = k == UO_HELP ? u_help(c, "COMMAND [ARG]...") : k == UO_VERSION ? u_version(c) : 125;
    if (r < 0 && !o.ops.n) u_missing_operand(c, NULL), r = 125;
    /* neither stdin nor stdout is a terminal: nothing to redirect */
    if (r < 0) r = run_program(c, o.ops.v, "failed to run command ");
    uopt_free(&o);
    return r;
}

static const UOptLong stdbuf_longs[] = {
    {"input", UO_REQ, 'i'}, {"output", UO_REQ, 'o'}, {"error", UO_REQ, 'e'}, {NULL, 0, 0},
};

static bool stdbuf_mode(UtilCtx *c, int k, const char *arg) {
    uintmax_t v;
    if ((!strcmp(arg, "L") && k != 'i') || u_parse_size(arg, &v) == 0) return true;
    char *q = u_quote(arg);
    if (!strcmp(arg, "L")) uc_error(c, "line buffering stdin is meaningless"), u_try_help(c);
    else uc_error(c, "invalid mode %s", q);
    free(q);
    return false;
}

int util_stdbuf_main(UtilCtx *c, int argc, char **argv) {
    UOpts o;
    uopt_init(&o, c, argc, argv, "+i:o:e:", stdbuf_longs);
    int k, r = -1;
    bool any = false;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) {
        if (k == 'i' || k == 'o' || k == 'e') {
            if (!stdbuf_mode(c, k, o.arg)) r = 125;
            any = true;
        } else r = k == UO_HELP ? u_help(c, "OPTION... COMMAND") : k == UO_VERSION ? u_version(c) : 125;
    }
    if (r < 0 && !o.ops.n) u_missing_operand(c, NULL), r = 125;
    if (r < 0 && !any) {
        uc_error(c, "you must specify a buffering mode option");
        u_try_help(c);
        r = 125;
    }
    if (r < 0) r = run_program(c, o.ops.v, "failed to run command ");
    uopt_free(&o);
    return r;
}

/* ================= which ================= */

/* Debian's which: each name's first match on PATH (-a: all). wasmsh's
 * utilities are found in /usr/bin and /bin, where the shell says they are;
 * other files count where the shell would run them (outside /usr and /bin). */
/* /usr/bin/NAME or /bin/NAME of a utility: where the shell says it is,
 * whether or not the file system has such a file (MEMFS has none). */
static bool utility_path(UtilCtx *c, const char *path) {
    const char *name = !strncmp(path, "/usr/bin/", 9) ? path + 9 : !strncmp(path, "/bin/", 5) ? path + 5 : NULL;
    return name && *name && !strchr(name, '/') && (uc_is_utility(c, name) || builtin_program(name));
}

int util_which_main(UtilCtx *c, int argc, char **argv) {
    /* Debian's which is a dash script reading options with getopts */
    bool all = false; /* Debian 12's which has only -a */
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (!strcmp(argv[i], "--")) {
            i++;
            break;
        }
        for (const char *p = argv[i] + 1; *p; p++) {
            if (*p == 'a') all = true;
            else {
                uc_printf(c, 2, "Illegal option -%c\n", *p);
                uc_puts(c, 1, "Usage: /usr/bin/which [-a] args\n");
                return 2;
            }
        }
    }
    StrList ops;
    sl_init(&ops);
    for (; i < argc; i++) sl_push_copy(&ops, argv[i]);
    if (!ops.n) return 1;
    const char *path = uc_getenv(c, "PATH");
    if (!path) path = "/usr/local/bin:/usr/bin:/bin";
    UOut out;
    uout_init(&out, c, 1);
    int status = 0;
    for (size_t i = 0; i < ops.n; i++) {
        const char *name = ops.v[i];
        bool found = false;
        if (strchr(name, '/')) {
            struct stat st;
            found = (stat(name, &st) == 0 && S_ISREG(st.st_mode) && access(name, X_OK) == 0) ||
                    utility_path(c, name);
            if (found) uout_printf(&out, "%s\n", name);
        } else {
            bool util = uc_is_utility(c, name) || builtin_program(name);
            for (const char *p = path; !found || all;) {
                size_t n = strcspn(p, ":");
                char *dir = n ? xstrndup(p, n) : xstrdup(".");
                char *full = xmalloc(strlen(dir) + strlen(name) + 2);
                sprintf(full, "%s/%s", dir, name);
                struct stat st;
                bool hit = (util && (!strcmp(dir, "/usr/bin") || !strcmp(dir, "/bin"))) ||
                           (stat(full, &st) == 0 && S_ISREG(st.st_mode) && access(full, X_OK) == 0 &&
                            strncmp(full, "/usr/", 5) && strncmp(full, "/bin/", 5));
                if (hit) uout_printf(&out, "%s\n", full);
                found |= hit;
                free(full);
                free(dir);
                if (!p[n]) break;
                p += n + 1;
            }
            if (!found && util) {
                found = true;
                uout_printf(&out, "/usr/bin/%s\n", name);
            }
        }
        if (!found) status = 1;
    }
    if (uout_close(&out)) status = 1;
    sl_free(&ops);
    return status;
}

/* ================= sync ================= */

static const UOptLong sync_longs[] = {{"data", UO_NOARG, 'd'}, {"file-system", UO_NOARG, 'f'}, {NULL, 0, 0}};

int util_sync_main(UtilCtx *c, int argc, char **argv) {
    UOpts o;
    uopt_init(&o, c, argc, argv, "df", sync_longs);
    int k, r = -1;
    bool data = false, fs = false;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) {
        if (k == 'd') data = true;
        else if (k == 'f') fs = true;
        else r = k == UO_HELP ? u_help(c, "[OPTION] [FILE]...") : k == UO_VERSION ? u_version(c) : 1;
    }
    if (r < 0 && data && fs) {
        uc_error(c, "cannot specify both --data and --file-system");
        r = 1;
    }
    if (r < 0 && data && !o.ops.n) {
        uc_error(c, "--data needs at least one argument");
        r = 1;
    }
    int status = 0;
    for (size_t i = 0; r < 0 && i < o.ops.n; i++) {
        /* MEMFS has nothing to flush; what must exist still must */
        struct stat st;
        if (stat(o.ops.v[i], &st) != 0) {
            u_err_op(c, "error opening", o.ops.v[i], errno);
            status = 1;
        }
    }
    uopt_free(&o);
    return r >= 0 ? r : status;
}
