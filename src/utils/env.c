/* env.c - the env (-i -u NAME -0 -C DIR -S STRING, NAME=VALUE, COMMAND) and
 * printenv (-0, NAME...) utilities. A command with an unchanged environment
 * runs through uc_run_argv; otherwise env builds a small script for
 * uc_run_script (unset / assignments / cd, then `command ...`), since the API
 * has no way to pass an environment to a command. */
#include "ucommon.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct EnvOpts {
    bool ignore, null, verbose; /* verbose: -v/--debug, GNU's trace on stderr */
    const char *chdir;
    StrList unset;
    StrList split;   /* words from -S */
} EnvOpts;

/* Appends s as one single-quoted shell word. */
static void shell_word(StrBuf *b, const char *s) {
    sb_putc(b, '\'');
    for (; *s; s++) {
        if (*s == '\'') sb_puts(b, "'\\''");
        else sb_putc(b, *s);
    }
    sb_putc(b, '\'');
}

static bool name_in(const StrList *l, const char *kv) {
    size_t n = strcspn(kv, "=");
    for (size_t i = 0; i < l->n; i++)
        if (strlen(l->v[i]) == n && !strncmp(l->v[i], kv, n)) return true;
    return false;
}

static bool name_in_assign(char **assign, size_t n, const char *name) {
    size_t len = strlen(name);
    for (size_t i = 0; i < n; i++)
        if (!strncmp(assign[i], name, len) && assign[i][len] == '=') return true;
    return false;
}

/* Replaces the entry with kv's name in place, or appends kv. */
static void set_entry(StrList *l, const char *kv) {
    size_t n = strcspn(kv, "=");
    for (size_t i = 0; i < l->n; i++)
        if (!strncmp(l->v[i], kv, n) && l->v[i][n] == '=') {
            free(l->v[i]);
            l->v[i] = xstrdup(kv);
            return;
        }
    sl_push_copy(l, kv);
}

/* The environment env would give the command: inherited (unless -i) minus
 * the -u names, with the assignments applied. */
static void build_env(UtilCtx *c, const EnvOpts *e, char **assign, size_t nassign, StrList *out) {
    char *const *env = e->ignore ? NULL : uc_environ(c);
    for (size_t i = 0; env && env[i]; i++)
        if (!name_in(&e->unset, env[i])) sl_push_copy(out, env[i]);
    for (size_t i = 0; i < nassign; i++) set_entry(out, assign[i]);
}

/* -v: what GNU's env prints as it changes the environment, in its order. */
static void trace_environment(UtilCtx *c, const EnvOpts *e, char **assign, size_t nassign) {
    if (e->ignore) uc_puts(c, 2, "cleaning environ\n");
    else
        for (size_t i = 0; i < e->unset.n; i++) uc_printf(c, 2, "unset:    %s\n", e->unset.v[i]);
    for (size_t i = 0; i < nassign; i++) uc_printf(c, 2, "setenv:   %s\n", assign[i]);
}

static int print_env(UtilCtx *c, const EnvOpts *e, char **assign, size_t nassign) {
    if (e->verbose) trace_environment(c, e, assign, nassign);
    StrList env;
    sl_init(&env);
    build_env(c, e, assign, nassign, &env);
    UOut out;
    uout_init(&out, c, 1);
    for (size_t i = 0; i < env.n; i++) {
        uout_puts(&out, env.v[i]);
        uout_putc(&out, e->null ? '\0' : '\n');
    }
    sl_free(&env);
    return uout_close(&out);
}

/* The script that gives the command env's environment: cd, unset,
 * assignments; then `tail`. */
static char *env_script(UtilCtx *c, const EnvOpts *e, char **assign, size_t nassign, const char *tail) {
    StrBuf s;
    sb_init(&s);
    if (e->chdir) {
        sb_puts(&s, "cd ");
        shell_word(&s, e->chdir);
        sb_puts(&s, " 2>/dev/null || exit 125; ");
    }
    char *const *env = uc_environ(c);
    for (size_t i = 0; e->ignore && env && env[i]; i++) {
        char *name = xstrndup(env[i], strcspn(env[i], "="));
        sb_puts(&s, "unset -v ");
        shell_word(&s, name);
        sb_puts(&s, " 2>/dev/null; ");
        free(name);
    }
    for (size_t i = 0; i < e->unset.n; i++) {
        sb_puts(&s, "unset -v ");
        shell_word(&s, e->unset.v[i]);
        sb_puts(&s, "; ");
    }
    for (size_t i = 0; i < nassign; i++) {
        size_t n = strcspn(assign[i], "=");
        sb_puts(&s, "export ");
        sb_put(&s, assign[i], n);
        sb_putc(&s, '=');
        shell_word(&s, assign[i] + n + 1);
        sb_puts(&s, "; ");
    }
    sb_puts(&s, tail);
    return sb_take(&s);
}

/* GNU's errors before exec: -C's directory, then the command itself
 * (127 when it is not found, 126 when it cannot run). -1 when all is well. */
/* -v: the command line, as GNU prints it before the exec. */
static void trace_command_line(UtilCtx *c, char **cmd) {
    uc_printf(c, 2, "executing: %s\n", cmd[0]);
    for (size_t i = 0; cmd[i]; i++) {
        char *q = u_quote(cmd[i]);
        uc_printf(c, 2, "   arg[%zu]= %s\n", i, q);
        free(q);
    }
}

static int env_precheck(UtilCtx *c, const EnvOpts *e, char **assign, size_t nassign, char **cmd, bool path_gone) {
    struct stat st;
    int cd_err = !e->chdir ? 0 : stat(e->chdir, &st) != 0 ? errno : !S_ISDIR(st.st_mode) ? ENOTDIR : 0;
    if (e->verbose && e->chdir) {
        char *q = u_quote_always(e->chdir);
        uc_printf(c, 2, "chdir:    %s\n", q);
        free(q);
    }
    if (cd_err) {
        int err = cd_err;
        char *q = u_quote(e->chdir);
        uc_error(c, "cannot change directory to %s: %s", q, u_strerror(err));
        free(q);
        return 125;
    }
    if (e->verbose) trace_command_line(c, cmd);
    int err = 0;
    if (strchr(cmd[0], '/')) {
        StrBuf p;
        sb_init(&p);
        if (e->chdir && cmd[0][0] != '/') sb_printf(&p, "%s/", e->chdir);
        sb_puts(&p, cmd[0]);
        if (stat(p.s, &st) != 0) err = errno;
        else if (S_ISDIR(st.st_mode) || access(p.s, X_OK) != 0) err = EACCES;
        sb_free(&p);
    } else {
        StrBuf t;
        sb_init(&t);
        sb_puts(&t, path_gone ? "command -pv " : "command -v ");
        shell_word(&t, cmd[0]);
        sb_puts(&t, " >/dev/null 2>&1");
        char *script = env_script(c, e, assign, nassign, t.s), *out = NULL;
        size_t len = 0;
        if (uc_run_script_capture(c, script, &out, &len) != 0) err = ENOENT;
        free(out), free(script);
        sb_free(&t);
    }
    if (!err) return -1;
    char *q = u_quote(cmd[0]);
    uc_error(c, "%s: %s", q, u_strerror(err));
    free(q);
    /* a shebang line "#!/usr/bin/env prog -x" hands env one word "prog -x" */
    if (err == ENOENT && strchr(cmd[0], ' ')) uc_error(c, "use -[v]S to pass options in shebang lines");
    return err == ENOENT ? 127 : 126;
}

static int run_command(UtilCtx *c, const EnvOpts *e, char **assign, size_t nassign, char **cmd) {
    /* Without PATH, look commands up in the default path, as execvp does. */
    bool path_gone = (e->ignore || name_in(&e->unset, "PATH=")) && !name_in_assign(assign, nassign, "PATH");
    if (e->verbose) trace_environment(c, e, assign, nassign);
    int pre = env_precheck(c, e, assign, nassign, cmd, path_gone);
    if (pre >= 0) return pre;
    if (!e->ignore && !e->unset.n && !nassign && !e->chdir) return uc_run_argv(c, cmd);
    StrBuf t;
    sb_init(&t);
    sb_puts(&t, path_gone ? "command -p" : "command");
    for (size_t i = 0; cmd[i]; i++) {
        sb_putc(&t, ' ');
        shell_word(&t, cmd[i]);
    }
    char *script = env_script(c, e, assign, nassign, t.s);
    int status = uc_run_script(c, script);
    free(script);
    sb_free(&t);
    return status;
}

/* -S: GNU's split of a string into words: blanks separate; '...' keeps all
 * but \\ and \'; "..." and bare text know \" \\ \' \$ \# \_ \c \f \n \r \t
 * \v and ${NAME}; # at a word's start begins a comment. False (after GNU's
 * message) on a bad sequence or an open quote. */
static bool split_escape(UtilCtx *c, const char **sp, char q, StrBuf *w, bool *in_word, StrList *out, bool *stop) {
    const char *s = *sp;
    char e = s[1];
    static const char from[] = "\"\\'$#fnrtv", to[] = "\"\\'$#\f\n\r\t\v";
    const char *k = e ? strchr(from, e) : NULL;
    if (k) {
        sb_putc(w, to[k - from]);
        *in_word = true;
    } else if (e == '_') {
        if (q) sb_putc(w, ' ');
        else if (*in_word) sl_push(out, sb_take(w)), *in_word = false;
    } else if (e == 'c' && !q) {
        *stop = true;
    } else if (e == 'c') {
        uc_error(c, "'\\c' must not appear in double-quoted -S string");
        return false;
    } else if (!e) {
        uc_error(c, "invalid backslash at end of string in -S");
        return false;
    } else {
        uc_error(c, "invalid sequence '\\%c' in -S", e);
        return false;
    }
    *sp = s + 1;
    return true;
}

/* ${NAME} at *sp (pointing at '$'): appends NAME's value. */
static bool split_var(UtilCtx *c, const char **sp, StrBuf *w) {
    const char *s = *sp;
    const char *end = s[1] == '{' ? strchr(s + 2, '}') : NULL;
    bool name_ok = end && end > s + 2 && !(s[2] >= '0' && s[2] <= '9');
    for (const char *p = s + 2; name_ok && p < end; p++)
        if (!(*p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9'))) name_ok = false;
    if (!name_ok) {
        uc_error(c, "only ${VARNAME} expansion is supported, error at: %s", s);
        return false;
    }
    char *name = xstrndup(s + 2, (size_t)(end - s - 2));
    const char *v = uc_getenv(c, name);
    if (v) sb_puts(w, v);
    free(name);
    *sp = end;
    return true;
}

static bool split_string(UtilCtx *c, StrList *out, const char *s) {
    StrBuf w;
    sb_init(&w);
    bool in_word = false, stop = false, ok = true;
    char q = 0;
    for (; ok && !stop && *s; s++) {
        if (!q && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\v' || *s == '\f' || *s == '\r')) {
            if (in_word) sl_push(out, sb_take(&w));
            in_word = false;
        } else if (!q && !in_word && *s == '#') {
            break;
        } else if (q == '\'') {
            if (*s == '\'') q = 0;
            else if (*s == '\\' && (s[1] == '\\' || s[1] == '\'')) sb_putc(&w, *++s);
            else sb_putc(&w, *s);
        } else if (*s == q) {
            q = 0;
        } else if (!q && (*s == '\'' || *s == '"')) {
            q = *s, in_word = true;
        } else if (*s == '\\') {
            ok = split_escape(c, &s, q, &w, &in_word, out, &stop);
        } else if (*s == '$') {
            in_word = true;
            ok = split_var(c, &s, &w);
        } else {
            in_word = true;
            sb_putc(&w, *s);
        }
    }
    if (ok && q) {
        uc_error(c, "no terminating quote in -S string");
        ok = false;
    }
    if (ok && in_word) sl_push(out, sb_take(&w));
    sb_free(&w);
    return ok;
}

/* -v -S: the string and the words it became. */
static void trace_split(UtilCtx *c, const char *str, char **words, size_t n) {
    char *q = u_quote(str);
    uc_printf(c, 2, "split -S:  %s\n", q);
    free(q);
    for (size_t i = 0; i < n; i++) {
        q = u_quote(words[i]);
        uc_printf(c, 2, "%s%s\n", i ? "     &    " : " into:    ", q);
        free(q);
    }
}

/* GNU puts -S's words in place of the option, so they may hold options,
 * assignments and the command: argv is rewritten before parsing. */
static bool expand_split_args(UtilCtx *c, int argc, char **argv, StrList *out) {
    bool verbose = false; /* a -v before the -S traces the split, as GNU's option order does */
    sl_push_copy(out, argv[0]);
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || !a[1] || !strcmp(a, "--")) break;
        const char *str = NULL;
        if (!strcmp(a, "--debug")) verbose = true;
        if (!strncmp(a, "--split-string=", 15)) str = a + 15;
        else if (!strcmp(a, "--split-string") && i + 1 < argc) str = argv[++i];
        else if (a[1] != '-') {
            /* a cluster: -iS'...', -S'...', -u NAME, -C DIR */
            const char *p = a + 1;
            while (*p && strchr("i0v", *p)) verbose |= *p++ == 'v';
            if (*p == 'S') {
                if (p > a + 1) sl_push(out, xstrndup(a, (size_t)(p - a)));
                str = p[1] ? p + 1 : i + 1 < argc ? argv[++i] : NULL;
                if (!str) break;
            } else if ((*p == 'u' || *p == 'C') && !p[1] && i + 1 < argc) {
                sl_push_copy(out, a);
                a = argv[++i];
            }
        } else if ((!strcmp(a, "--unset") || !strcmp(a, "--chdir")) && i + 1 < argc) {
            sl_push_copy(out, a);
            a = argv[++i];
        }
        if (str) {
            size_t from = out->n;
            if (!split_string(c, out, str)) return false;
            if (verbose) trace_split(c, str, out->v + from, out->n - from);
        } else {
            sl_push_copy(out, a);
        }
    }
    for (; i < argc; i++) sl_push_copy(out, argv[i]);
    return true;
}

static const UOptLong env_longs[] = {
    {"ignore-environment", UO_NOARG, 'i'}, {"unset", UO_REQ, 'u'}, {"null", UO_NOARG, '0'},
    {"chdir", UO_REQ, 'C'}, {"split-string", UO_REQ, 'S'}, {"debug", UO_NOARG, 'v'}, {NULL, 0, 0},
};

static int env_option(UtilCtx *c, EnvOpts *e, int k, const char *arg) {
    switch (k) {
    case 'i': e->ignore = true; return -1;
    case 'u': sl_push_copy(&e->unset, arg); return -1;
    case '0': e->null = true; return -1;
    case 'v': e->verbose = true; return -1;
    case 'C': e->chdir = arg; return -1;
    case 'S': return split_string(c, &e->split, arg) ? -1 : 125;
    case UO_HELP: return u_help(c, "[OPTION]... [-] [NAME=VALUE]... [COMMAND [ARG]...]");
    case UO_VERSION: return u_version(c);
    default: return 125;
    }
}

int util_env_main(UtilCtx *c, int argc, char **argv) {
    EnvOpts e = {0};
    sl_init(&e.unset);
    sl_init(&e.split);
    StrList args;
    sl_init(&args);
    int r = expand_split_args(c, argc, argv, &args) ? -1 : 125;
    UOpts o;
    uopt_init(&o, c, (int)args.n, args.v, "+iu:0C:S:v", env_longs);
    int k;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) r = env_option(c, &e, k, o.arg);
    size_t i = 0;
    if (r < 0 && o.ops.n && !strcmp(o.ops.v[0], "-")) e.ignore = true, i = 1;
    size_t first_assign = i;
    while (i < o.ops.n && strchr(o.ops.v[i], '=') && o.ops.v[i][0] != '=') i++;
    StrList cmd;
    sl_init(&cmd);
    for (size_t j = 0; j < e.split.n; j++) sl_push_copy(&cmd, e.split.v[j]);
    for (size_t j = i; j < o.ops.n; j++) sl_push_copy(&cmd, o.ops.v[j]);
    if (r < 0 && cmd.n && e.null) {
        uc_error(c, "cannot specify --null (-0) with command");
        u_try_help(c);
        r = 125;
    }
    if (r < 0 && !cmd.n && e.chdir) {
        uc_error(c, "must specify command with --chdir (-C)");
        u_try_help(c);
        r = 125;
    }
    if (r < 0)
        r = cmd.n ? run_command(c, &e, o.ops.v + first_assign, i - first_assign, cmd.v)
                  : print_env(c, &e, o.ops.v + first_assign, i - first_assign);
    sl_free(&cmd);
    sl_free(&e.unset);
    sl_free(&e.split);
    uopt_free(&o);
    sl_free(&args);
    return r;
}

/* NAME's value in env (the list uc_environ gives, where $_ is set). */
static const char *env_value(char *const *env, const char *name) {
    size_t n = strlen(name);
    for (size_t i = 0; env && env[i]; i++)
        if (!strncmp(env[i], name, n) && env[i][n] == '=') return env[i] + n + 1;
    return NULL;
}

static const UOptLong printenv_longs[] = {{"null", UO_NOARG, '0'}, {NULL, 0, 0}};

int util_printenv_main(UtilCtx *c, int argc, char **argv) {
    UOpts o;
    uopt_init(&o, c, argc, argv, "0", printenv_longs);
    bool null = false;
    int k, r = -1;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) {
        if (k == '0') null = true;
        else if (k == UO_HELP) r = u_help(c, "[OPTION]... [VARIABLE]...");
        else if (k == UO_VERSION) r = u_version(c);
        else r = 2;
    }
    UOut out;
    uout_init(&out, c, 1);
    char *const *env = uc_environ(c);
    int missing = 0;
    for (size_t i = 0; r < 0 && !o.ops.n && env && env[i]; i++) {
        uout_puts(&out, env[i]);
        uout_putc(&out, null ? '\0' : '\n');
    }
    for (size_t i = 0; r < 0 && i < o.ops.n; i++) {
        const char *v = strchr(o.ops.v[i], '=') ? NULL : env_value(env, o.ops.v[i]);
        if (!v) {
            missing = 1;
            continue;
        }
        uout_puts(&out, v);
        uout_putc(&out, null ? '\0' : '\n');
    }
    int w = uout_close(&out);
    uopt_free(&o);
    return r >= 0 ? r : missing | w;
}
