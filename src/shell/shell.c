/* shell.c - the public API (shell.h): creating sessions, limits, running
 * scripts with fresh budgets each time. */
#include "state.h"
#include "util.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifdef WASMSH_JS_UMASK
void wasmsh_js_umask(int m);
#endif

void sh_apply_umask(int m) {
    umask((mode_t)m);
#ifdef WASMSH_JS_UMASK
    wasmsh_js_umask(m);
#endif
}

static const ShellLimits default_limits = {
    .max_steps = 0,           /* unlimited unless the host sets one */
    .timeout_ms = 0,
    .max_output = 0,
    .max_memory = 512u << 20,
    .max_depth = 500, /* deeper recursion can exhaust a browser's native stack in wasm */
    .max_expansion = 1000000,
    .no_fs_writes = false,
    .max_pipe_buffer = 64u << 20,
};

static void init_vars(Shell *sh) {
    char buf[PATH_MAX];
    const char *cwd = getcwd(buf, sizeof buf) ? buf : "/";
    sh->cwd = xstrdup(cwd);
    var_set(sh, "PWD", cwd);
    var_set(sh, "IFS", " \t\n");
    var_set(sh, "PS4", "+ ");
    var_set(sh, "OPTIND", "1");
    var_set(sh, "OPTERR", "1");
    var_set(sh, "BASH_VERSION", "5.2.15(1)-release");
    var_set(sh, "BASH", "/bin/bash");
    var_set(sh, "HOSTNAME", "wasmsh");
    var_set(sh, "HOSTTYPE", "wasm32");
    var_set(sh, "MACHTYPE", "wasm32-unknown-wasmsh");
    var_set(sh, "OSTYPE", "linux-gnu");
    var_set(sh, "SHELL", "/bin/bash");
    var_set(sh, "UID", "1000");
    var_set(sh, "EUID", "1000");
    var_lookup(sh, "EUID")->flags |= V_READONLY | V_INTEGER;
    var_lookup(sh, "UID")->flags |= V_READONLY | V_INTEGER;
    var_set(sh, "PPID", "1");
    var_set(sh, "SHLVL", "1");
    var_lookup(sh, "SHLVL")->flags |= V_EXPORT;
    var_set(sh, "GROUPS", "1000");
    var_make_array(sh, var_lookup(sh, "GROUPS"));
    var_set(sh, "BASH_VERSINFO", "5");
    Var *vi = var_lookup(sh, "BASH_VERSINFO");
    var_make_array(sh, vi);
    const char *parts[] = {"5", "2", "15", "1", "release", "x86_64-pc-linux-gnu"};
    for (int i = 0; i < 6; i++) arr_set(vi->arr, i, parts[i]);
    vi->flags |= V_READONLY;
}

Shell *shell_new(const ShellHost *host, const char *argv0) {
    Shell *sh = xcalloc(1, sizeof *sh);
    if (host) sh->host = *host;
    sh->run = xcalloc(1, sizeof *sh->run);
    sh->owns_run = true;
    sh->run->lim = default_limits;
    sb_init(&sh->run->outbuf);
    sh->run->outfd = 1;
    const char *base = argv0 ? strrchr(argv0, '/') : NULL;
    sh->name = xstrdup(base ? base + 1 : (argv0 ? argv0 : "wasmsh"));
    sh->arg0 = xstrdup(sh->name);
    sh->pos = xmalloc(sizeof *sh->pos);
    vt_init(&sh->globals);
    sl_init(&sh->dirstack);
    sl_init(&sh->hash_names);
    sh->pid = 4242;
    sh->bashpid = 4242;
    sh->next_pid = 4243;
    sh->start_time = (uint64_t)time(NULL);
    sh->rand_state = (uint32_t)time(NULL) ^ 0x5eed;
    sh->opt.braceexpand = true;
    sh->opt.hashall = true;
    sh->opt.interactive_comments = true;
    sh->opt.extquote = true;
    sh->opt.promptvars = true;
    sh->opt.patsub_replacement = true;
    sh->opt.cmdhist = true;
    sh->opt.sourcepath = true;
    sh->opt.globasciiranges = true;
    sh->opt.checkwinsize = true;
    sh->opt.complete_fullquote = sh->opt.force_fignore = sh->opt.globskipdots = true;
    sh->opt.hostcomplete = sh->opt.progcomp = sh->opt.shopt_interactive_comments = true;
    mode_t m = umask(022);
#ifdef __EMSCRIPTEN__
    /* Emscripten's libc starts with 0777, which no real process inherits;
     * bash would have its parent's, usually 022. */
    if (m == 0777) m = 022;
#endif
    sh_apply_umask((int)m);
    sh->umask_value = (int)m;
    Stream *in = stream_new(ST_HOST_IN);
    in->fd = 0;
    in->readable = true;
    Stream *out = stream_new(ST_HOST_OUT);
    out->fd = 1;
    out->writable = true;
    Stream *err = stream_new(ST_HOST_OUT);
    err->fd = 2;
    err->writable = true;
    sh->fds[0] = in;
    sh->fds[1] = out;
    sh->fds[2] = err;
    init_vars(sh);
    return sh;
}

void shell_free_internal(Shell *sh);

/* A new shell, as `bash -c` or a script run by path gets: only exported
 * variables, no functions or aliases, default options; same fds, cwd and
 * budgets as the parent. Free it with shell_clone_free(). */
Shell *shell_new_child(Shell *parent) {
    Shell *c = shell_new(&parent->host, parent->name);
    RunCtx *own = c->run;
    sb_free(&own->outbuf);
    free(own);
    c->run = parent->run;
    c->owns_run = false;
    for (int i = 0; i < SH_MAXFD; i++) {
        stream_unref(c, c->fds[i]);
        c->fds[i] = stream_ref(parent->fds[i]);
    }
    free(c->cwd);
    c->cwd = xstrdup(parent->cwd);
    c->extra = command_table_ref(parent->extra);
    StrList env;
    sl_init(&env);
    vars_environ(parent, &env);
    shell_import_env(c, env.v);
    sl_free(&env);
    /* bash -c runs its command in place of the parent: SHLVL stays */
    const char *lvl = var_get(parent, "SHLVL");
    if (lvl) var_set(c, "SHLVL", lvl);
    FuncDef **fs;
    size_t nf;
    funcs_all(parent, &fs, &nf);
    for (size_t i = 0; i < nf; i++)
        if (fs[i]->exported) {
            func_set(c, fs[i]->name, fs[i]->body, fs[i]->arena, fs[i]->src);
            func_get(c, fs[i]->name)->exported = true;
        }
    free(fs);
    c->pid = parent->next_pid++;
    c->bashpid = c->pid;
    c->next_pid = parent->next_pid;
    c->subshell_level = 0;
    c->umask_value = parent->umask_value;
    return c;
}

bool shell_add_command(Shell *sh, const struct UtilDef *def, void *data) {
    if (!def || !def->name || !def->main || !*def->name || strpbrk(def->name, "/=")) return false;
    if (!sh->extra) {
        sh->extra = xcalloc(1, sizeof *sh->extra);
        sh->extra->refs = 1;
    }
    CommandTable *t = sh->extra;
    for (size_t i = 0; i < t->n; i++) {
        if (strcmp(t->v[i].def->name, def->name) == 0) {
            t->v[i] = (ExtraCommand){def, data};
            return true;
        }
    }
    t->v = xrealloc(t->v, (t->n + 1) * sizeof *t->v);
    t->v[t->n++] = (ExtraCommand){def, data};
    return true;
}

void shell_free(Shell *sh) {
    if (!sh) return;
    shell_flush(sh);
    RunCtx *r = sh->run;
    shell_free_internal(sh);
    sb_free(&r->outbuf);
    free(r);
    free(sh);
}

void shell_set_limits(Shell *sh, const ShellLimits *lim) {
    ShellLimits l = *lim;
    if (!l.max_depth) l.max_depth = default_limits.max_depth;
    if (!l.max_expansion) l.max_expansion = default_limits.max_expansion;
    if (!l.max_memory) l.max_memory = default_limits.max_memory;
    if (!l.max_pipe_buffer) l.max_pipe_buffer = default_limits.max_pipe_buffer;
    if (l.max_pipe_buffer > l.max_memory) l.max_pipe_buffer = l.max_memory;
    sh->run->lim = l;
}

void shell_set_args(Shell *sh, const char *arg0, int argc, char *const *argv) {
    if (arg0) {
        free(sh->arg0);
        sh->arg0 = xstrdup(arg0);
    }
    for (int i = 0; i < sh->npos; i++) free(sh->pos[i]);
    free(sh->pos);
    sh->pos = xmalloc((size_t)(argc + 1) * sizeof *sh->pos);
    for (int i = 0; i < argc; i++) sh->pos[i] = xstrdup(argv[i]);
    sh->npos = argc;
}

void shell_import_env(Shell *sh, char *const *envp) {
    for (; envp && *envp; envp++) {
        const char *eq = strchr(*envp, '=');
        if (!eq) continue;
        char *name = xstrndup(*envp, (size_t)(eq - *envp));
        if (is_name(name, strlen(name)) && strcmp(name, "IFS") != 0) {
            Var *v = var_lookup(sh, name);
            if (!v || !(v->flags & V_READONLY)) var_set_flags(sh, name, eq + 1, V_EXPORT);
            if (!strcmp(name, "SHLVL")) {
                char buf[16];
                snprintf(buf, sizeof buf, "%d", atoi(eq + 1) + 1);
                var_set(sh, "SHLVL", buf);
            }
        }
        free(name);
    }
    /* PWD from the environment is kept only if it names the cwd */
    var_set_flags(sh, "PWD", sh->cwd, V_EXPORT);
    Var *lvl = var_lookup(sh, "SHLVL");
    if (lvl) lvl->flags |= V_EXPORT;
    if (!var_lookup(sh, "OLDPWD")) var_create(sh, "OLDPWD", false)->flags |= V_EXPORT;
}

static void begin_run(Shell *sh) {
    RunCtx *r = sh->run;
    r->steps = 0;
    r->out_bytes = 0;
    r->truncated = false;
    r->stop_reason = NULL;
    r->stop_status = 0;
    r->depth = 0;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    r->start_ms = sh->host.now_ms ? sh->host.now_ms(sh->host.ctx)
                                  : (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
    r->deadline_ms = r->lim.timeout_ms ? r->start_ms + r->lim.timeout_ms : 0;
    sh->unwind = UW_NONE;
    sh->exited = false;
    sh_chdir_restore(sh);
}

int shell_run(Shell *sh, const char *script, size_t len, const char *source_name) {
    begin_run(sh);
    /* "-" is a script read from stdin: messages as -c ("NAME: line N:"),
     * fatal errors exit with 1 as for a file, functions report "main:". */
    bool is_stdin = source_name && !strcmp(source_name, "-");
    if (is_stdin) source_name = NULL;
    bool is_c = source_name == NULL || !strcmp(source_name, "-c");
    sh->source_is_c_top = is_c && !is_stdin;
    sh->source_is_stdin_top = is_stdin;
    sh->script_name = is_c ? NULL : source_name;
    int st = exec_script(sh, script, len, is_c ? "-c" : source_name, is_c);
    if (sh->unwind == UW_EXIT) {
        st = sh->exit_status;
        sh->exited = true;
    } else if (sh->unwind == UW_ERROR) {
        st = sh->exit_status ? sh->exit_status : 1;
    } else if (sh->unwind == UW_ABORT) {
        st = sh->run->stop_status ? sh->run->stop_status : SHELL_STATUS_BUDGET;
    } else if (sh->unwind == UW_SIGPIPE) {
        st = SHELL_STATUS_SIGPIPE;
    }
    sh->unwind = UW_NONE;
    if (sh->exited && sh->traps[0]) {
        char *t = sh->traps[0];
        sh->traps[0] = NULL;
        sh->status = st;
        exec_script(sh, t, strlen(t), NULL, false);
        if (sh->unwind == UW_EXIT) st = sh->exit_status;
        free(t);
        sh->unwind = UW_NONE;
    }
    sh->status = st;
    shell_flush(sh);
    return st;
}

/* Runs the EXIT trap as the end of a shell (the CLI calls this once). */
int shell_finish(Shell *sh, int status) {
    if (sh->traps[0]) {
        char *t = sh->traps[0];
        sh->traps[0] = NULL;
        sh->status = status;
        sh->unwind = UW_NONE;
        exec_script(sh, t, strlen(t), NULL, false);
        if (sh->unwind == UW_EXIT) status = sh->exit_status;
        sh->unwind = UW_NONE;
        free(t);
        shell_flush(sh);
    }
    return status;
}

bool shell_has_exited(Shell *sh) { return sh->exited; }
const char *shell_stop_reason(Shell *sh) { return sh->run->stop_reason; }
bool shell_output_truncated(Shell *sh) { return sh->run->truncated; }

int shell_check_syntax(Shell *sh, const char *script, size_t len) {
    bool saved = sh->opt.noexec;
    sh->opt.noexec = true;
    begin_run(sh);
    int st = exec_script(sh, script, len, "-c", true);
    sh->opt.noexec = saved;
    sh->unwind = UW_NONE;
    shell_flush(sh);
    return st == 2 ? 2 : 0;
}
