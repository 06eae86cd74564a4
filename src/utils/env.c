/* env.c - the env (-i -u NAME -0 -C DIR -S STRING, NAME=VALUE, COMMAND) and
 * printenv (-0, NAME...) utilities. A command with an unchanged environment
 * runs through uc_run_argv; otherwise env builds a small script for
 * uc_run_script (unset / assignments / cd, then `command ...`), since the API
 * has no way to pass an environment to a command. */
#include "ucommon.h"

#include <stdlib.h>
#include <string.h>

typedef struct EnvOpts {
    bool ignore, null;
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

static int print_env(UtilCtx *c, const EnvOpts *e, char **assign, size_t nassign) {
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

static int run_command(UtilCtx *c, const EnvOpts *e, char **assign, size_t nassign, char **cmd) {
    if (!e->ignore && !e->unset.n && !nassign && !e->chdir) return uc_run_argv(c, cmd);
    StrBuf s;
    sb_init(&s);
    if (e->chdir) {
        sb_puts(&s, "cd ");
        shell_word(&s, e->chdir);
        sb_puts(&s, " || exit 125; ");
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
    /* Without PATH, look commands up in the default path, as execvp does. */
    bool path_gone = (e->ignore || name_in(&e->unset, "PATH=")) && !name_in_assign(assign, nassign, "PATH");
    sb_puts(&s, path_gone ? "command -p" : "command");
    for (size_t i = 0; cmd[i]; i++) {
        sb_putc(&s, ' ');
        shell_word(&s, cmd[i]);
    }
    int status = uc_run_script(c, s.s);
    sb_free(&s);
    return status;
}

/* -S: splits a string into words at blanks, honouring '...' and "..." */
static void split_string(StrList *out, const char *s) {
    StrBuf w;
    sb_init(&w);
    bool in_word = false;
    for (char q = 0; *s; s++) {
        if (!q && (*s == ' ' || *s == '\t')) {
            if (in_word) sl_push(out, sb_take(&w));
            in_word = false;
            continue;
        }
        in_word = true;
        if (!q && (*s == '\'' || *s == '"')) q = *s;
        else if (q && *s == q) q = 0;
        else if (*s == '\\' && q != '\'' && s[1]) sb_putc(&w, *++s);
        else sb_putc(&w, *s);
    }
    if (in_word) sl_push(out, sb_take(&w));
    sb_free(&w);
}

static const UOptLong env_longs[] = {
    {"ignore-environment", UO_NOARG, 'i'}, {"unset", UO_REQ, 'u'}, {"null", UO_NOARG, '0'},
    {"chdir", UO_REQ, 'C'}, {"split-string", UO_REQ, 'S'}, {NULL, 0, 0},
};

static int env_option(UtilCtx *c, EnvOpts *e, int k, const char *arg) {
    switch (k) {
    case 'i': e->ignore = true; return -1;
    case 'u': sl_push_copy(&e->unset, arg); return -1;
    case '0': e->null = true; return -1;
    case 'C': e->chdir = arg; return -1;
    case 'S': split_string(&e->split, arg); return -1;
    case UO_HELP: return u_help(c, "[OPTION]... [-] [NAME=VALUE]... [COMMAND [ARG]...]");
    case UO_VERSION: return u_version(c);
    default: return 125;
    }
}

int util_env_main(UtilCtx *c, int argc, char **argv) {
    EnvOpts e = {0};
    sl_init(&e.unset);
    sl_init(&e.split);
    UOpts o;
    uopt_init(&o, c, argc, argv, "+iu:0C:S:", env_longs);
    int k, r = -1;
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
    return r;
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
        const char *v = strchr(o.ops.v[i], '=') ? NULL : uc_getenv(c, o.ops.v[i]);
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
