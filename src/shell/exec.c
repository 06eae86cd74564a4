/* exec.c - the executor: walks the syntax tree, runs simple commands
 * (functions, builtins, utilities), compound commands and lists, and unwinds
 * exit/return/break/continue/budget stops by returned status and sh->unwind
 * (never longjmp). Also subshell copies, budgets, errors and traps. */
#include "state.h"
#include "format.h"
#include "arith.h"
#include "pattern.h"
#include "testexpr.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include "regex.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---------- messages and output ---------- */

int sh_write(Shell *sh, int fd, const void *buf, size_t n) {
    Stream *s = (fd >= 0 && fd < SH_MAXFD) ? sh->fds[fd] : NULL;
    if (!s) { errno = EBADF; return -1; }
    int r = stream_write(sh, s, buf, n);
    if (r < 0 && errno == EPIPE && sh->unwind == UW_NONE && !sh->run->stop_reason) sh->unwind = UW_SIGPIPE;
    return r;
}

int sh_puts(Shell *sh, int fd, const char *s) { return sh_write(sh, fd, s, strlen(s)); }

int sh_printf(Shell *sh, int fd, const char *fmt, ...) {
    StrBuf b;
    sb_init(&b);
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&b, fmt, ap);
    va_end(ap);
    int r = sh_write(sh, fd, sb_cstr(&b), b.len);
    sb_free(&b);
    return r;
}

static void error_prefix(Shell *sh, StrBuf *b, int line) {
    /* a -c script names itself by $0, as bash does (`bash -c 'x' myname`) */
    if (sh->func_depth > 0 && sh->source_is_c_top && sh->source_is_c) sb_puts(b, "environment: ");
    else if (sh->func_depth > 0 && sh->source_is_stdin_top && sh->source_is_c) sb_puts(b, "main: ");
    else if (sh->source_is_c || !sh->source_name) sb_printf(b, "%s: ", sh->arg0 && sh->arg0[0] ? sh->arg0 : sh->name);
    else sb_printf(b, "%s: ", sh->source_name);
    if (line > 0) sb_printf(b, "line %d: ", line);
}

static void error_v(Shell *sh, int line, const char *fmt, va_list ap) {
    StrBuf b;
    sb_init(&b);
    error_prefix(sh, &b, line);
    sb_vprintf(&b, fmt, ap);
    sb_putc(&b, '\n');
    Stream *s = sh->fds[2];
    if (s) stream_write(sh, s, b.s, b.len);
    sb_free(&b);
}

void shell_errorf(Shell *sh, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    error_v(sh, sh->lineno, fmt, ap);
    va_end(ap);
}

void shell_error_line(Shell *sh, int line, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    error_v(sh, line, fmt, ap);
    va_end(ap);
}

/* ---------- budgets ---------- */

uint64_t now_ms_of(Shell *sh);

static uint64_t now_ms(Shell *sh) { return now_ms_of(sh); }

uint64_t now_ms_of(Shell *sh) {
    if (sh->host.now_ms) return sh->host.now_ms(sh->host.ctx);
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void budget_stop(Shell *sh, const char *reason, const char *message) {
    RunCtx *r = sh->run;
    if (!r->stop_reason) {
        r->stop_reason = reason;
        r->stop_status = SHELL_STATUS_BUDGET;
        StrBuf b;
        sb_init(&b);
        sb_printf(&b, "%s: %s (budget: %s)\n", sh->name, message, reason);
        shell_flush(sh);
        /* bypass the output budget for this one message */
        if (sh->host.write) sh->host.write(sh->host.ctx, 2, b.s, b.len);
        else if (write(2, b.s, b.len) < 0) { /* nothing more to do */ }
        sb_free(&b);
    }
    sh->unwind = UW_ABORT;
}

void shell_budget_stop(Shell *sh, const char *reason, const char *message) {
    if (sh->run->stop_reason) return;
    budget_stop(sh, reason, message);
}

/* For utilities' long loops: the deadline and cancellation, checked every
 * call (no step is counted). */
/* A signal from the host (cancel): run its trap if there is one, else stop. */
static bool deliver_signal(Shell *sh, int sig) {
    RunCtx *r = sh->run;
    if (sig > 0 && sig < 65 && sh->traps[sig] && !sh->in_trap) {
        if (sh->traps[sig][0]) run_trap(sh, sig);
        return sh->unwind == UW_NONE;
    }
    budget_stop(sh, "cancel", "cancelled");
    r->stop_status = 128 + sig;
    return false;
}

/* timeout(1)'s deadline: stops the run without a message (see RunCtx). */
static bool cmd_deadline_passed(Shell *sh, uint64_t now) {
    RunCtx *r = sh->run;
    if (!r->cmd_deadline_ms || now <= r->cmd_deadline_ms) return false;
    r->stop_reason = "timeout";
    r->stop_status = 124;
    sh->unwind = UW_ABORT;
    return true;
}

bool budget_poll(Shell *sh) {
    RunCtx *r = sh->run;
    if (r->stop_reason) { sh->unwind = UW_ABORT; return false; }
    uint64_t now = r->deadline_ms || r->cmd_deadline_ms ? now_ms(sh) : 0;
    if (r->deadline_ms && now > r->deadline_ms) {
        budget_stop(sh, "time", "time limit exceeded");
        return false;
    }
    if (cmd_deadline_passed(sh, now)) return false;
    if (sh->host.poll_signal) {
        int sig = sh->host.poll_signal(sh->host.ctx);
        if (sig) return deliver_signal(sh, sig);
    }
    return true;
}

bool budget_check(Shell *sh) {
    RunCtx *r = sh->run;
    if (r->stop_reason) { sh->unwind = UW_ABORT; return false; }
    r->steps++;
    if (r->lim.max_steps && r->steps > r->lim.max_steps) {
        budget_stop(sh, "steps", "step limit exceeded");
        return false;
    }
    /* the first step too: a cancel that arrived before the run stops it
     * before its first command */
    if ((r->steps & 255) == 0 || r->steps == 1) {
        /* long-running loops: let their output reach the host as it goes */
        if (r->outbuf.len) shell_flush(sh);
        uint64_t now = r->deadline_ms || r->cmd_deadline_ms ? now_ms(sh) : 0;
        if (r->deadline_ms && now > r->deadline_ms) {
            budget_stop(sh, "time", "time limit exceeded");
            return false;
        }
        if (cmd_deadline_passed(sh, now)) return false;
        if (sh->host.poll_signal) {
            int sig = sh->host.poll_signal(sh->host.ctx);
            if (sig) return deliver_signal(sh, sig);
        }
    }
    return true;
}

/* ---------- subshell copies ---------- */

Shell *shell_clone(Shell *sh) {
    Shell *c = xmalloc(sizeof *c);
    *c = *sh;
    c->owns_run = false;
    vt_copy(&c->globals, &sh->globals);
    /* function scopes: flatten into copies, keeping the chain */
    c->scope = NULL;
    Scope *chain[512];
    int n = 0;
    for (Scope *s = sh->scope; s && n < 512; s = s->up) chain[n++] = s;
    for (int i = n - 1; i >= 0; i--) {
        Scope *ns = xcalloc(1, sizeof *ns);
        vt_copy(&ns->vars, &chain[i]->vars);
        ns->up = c->scope;
        c->scope = ns;
    }
    if (sh->nfuncs_b) {
        c->funcs = xcalloc(sh->nfuncs_b, sizeof *c->funcs);
        for (size_t i = 0; i < sh->nfuncs_b; i++) {
            FuncDef **tail = &c->funcs[i];
            for (FuncDef *f = sh->funcs[i]; f; f = f->next) {
                FuncDef *nf = xmalloc(sizeof *nf);
                *nf = *f;
                nf->refs = 1;
                nf->name = xstrdup(f->name);
                nf->src = xstrdup(f->src);
                arena_ref(f->arena);
                nf->next = NULL;
                *tail = nf;
                tail = &nf->next;
            }
        }
    }
    c->aliases = NULL;
    for (Alias *a = sh->aliases; a; a = a->next) alias_set(c, a->name, a->value);
    c->pos = xmalloc((size_t)(sh->npos + 1) * sizeof *c->pos);
    for (int i = 0; i < sh->npos; i++) c->pos[i] = xstrdup(sh->pos[i]);
    c->arg0 = xstrdup(sh->arg0 ? sh->arg0 : "");
    c->name = xstrdup(sh->name);
    command_table_ref(c->extra);
    /* subshells keep signal traps; EXIT is their own; ERR needs set -E, DEBUG
     * and RETURN need set -T (as bash) */
    for (int i = 0; i < 70; i++) {
        bool keep = sh->traps[i] && i != 0 && !(i == 65 && !sh->opt.errtrace) &&
                    !((i == 66 || i == 67) && !sh->opt.functrace);
        c->traps[i] = keep ? xstrdup(sh->traps[i]) : NULL;
    }
    for (int i = 0; i < SH_MAXFD; i++) c->fds[i] = stream_ref(sh->fds[i]);
    c->cwd = xstrdup(sh->cwd);
    c->frames = xmalloc((size_t)(sh->frames_cap ? sh->frames_cap : 1) * sizeof *c->frames);
    if (sh->nframes) memcpy(c->frames, sh->frames, (size_t)sh->nframes * sizeof *c->frames);
    sl_init(&c->dirstack);
    for (size_t i = 0; i < sh->dirstack.n; i++) sl_push_copy(&c->dirstack, sh->dirstack.v[i]);
    c->jobs = NULL;
    c->njobs = 0;
    c->last_arg = sh->last_arg ? xstrdup(sh->last_arg) : NULL;
    sl_init(&c->hash_names);
    for (size_t i = 0; i < sh->hash_names.n; i++) sl_push_copy(&c->hash_names, sh->hash_names.v[i]);
    sl_init(&c->disabled);
    for (size_t i = 0; i < sh->disabled.n; i++) sl_push_copy(&c->disabled, sh->disabled.v[i]);
    c->bash_command = sh->bash_command ? xstrdup(sh->bash_command) : NULL;
    c->subshell_level = sh->subshell_level + 1;
    c->bashpid = sh->next_pid++;
    c->next_pid = sh->next_pid; /* handed back by shell_clone_free: each subshell its own $BASHPID */
    c->unwind = UW_NONE;
    c->exited = false;
    c->in_trap = false;
    c->nprocsubst = 0;
    return c;
}

/* Frees everything a Shell owns except the RunCtx (when shared). */
static void shell_state_free(Shell *sh) {
    for (int i = 0; i < SH_MAXFD; i++) {
        Stream *s = sh->fds[i];
        sh->fds[i] = NULL;
        stream_unref(sh, s);
    }
    vt_free(&sh->globals);
    while (sh->scope) vars_pop_scope(sh);
    for (size_t i = 0; i < sh->nfuncs_b; i++) {
        FuncDef *f = sh->funcs[i];
        while (f) {
            FuncDef *n = f->next;
            func_unset(sh, f->name);
            f = n;
        }
    }
    free(sh->funcs);
    while (sh->aliases) alias_unset(sh, sh->aliases->name);
    for (int i = 0; i < sh->npos; i++) free(sh->pos[i]);
    free(sh->pos);
    free(sh->arg0);
    free(sh->name);
    for (int i = 0; i < 70; i++) free(sh->traps[i]);
    free(sh->cwd);
    free(sh->frames);
    sl_free(&sh->dirstack);
    free(sh->jobs);
    free(sh->last_arg);
    sl_free(&sh->hash_names);
    sl_free(&sh->disabled);
    free(sh->bash_command);
    command_table_unref(sh->extra);
    sh->extra = NULL;
}

void sh_chdir_restore(Shell *sh) {
    if (sh->cwd && chdir(sh->cwd) != 0) { /* the directory may be gone; keep going */ }
}

void shell_clone_free(Shell *sub, Shell *parent) {
    if (sub->traps[0] && !sub->in_trap) {
        char *t = sub->traps[0];
        sub->traps[0] = NULL;
        sub->unwind = UW_NONE;
        exec_script(sub, t, strlen(t), NULL, false);
        free(t);
    }
    bool moved = strcmp(sub->cwd, parent->cwd) != 0;
    parent->next_pid = sub->next_pid;
    shell_state_free(sub);
    free(sub);
    if (moved) sh_chdir_restore(parent);
}

void shell_free_internal(Shell *sh) { shell_state_free(sh); }

/* ---------- traps ---------- */

void run_trap(Shell *sh, int which) {
    if (!sh->traps[which] || sh->in_trap || !sh->traps[which][0]) return;
    int saved_status = sh->status;
    int saved_unwind = sh->unwind;
    sh->unwind = UW_NONE;
    sh->in_trap = true;
    char *t = xstrdup(sh->traps[which]);
    int line = sh->lineno;
    sh->first_line = line;
    exec_script(sh, t, strlen(t), NULL, false);
    sh->lineno = line;
    free(t);
    sh->in_trap = false;
    if (sh->unwind == UW_NONE || sh->unwind == UW_RETURN) {
        sh->unwind = saved_unwind;
        sh->status = saved_status;
    }
}

bool errexit_active(Shell *sh) { return sh->opt.errexit && sh->errexit_off == 0; }

/* After a command failed: ERR trap and set -e. */
static void check_errexit(Shell *sh, int status) {
    if (status == 0 || sh->errexit_off > 0 || sh->unwind != UW_NONE) return;
    if (sh->traps[65] && (sh->func_depth == 0 || sh->opt.errtrace)) run_trap(sh, 65);
    if (sh->opt.errexit && sh->unwind == UW_NONE) {
        sh->unwind = UW_EXIT;
        sh->exit_status = status;
    }
}

/* ---------- xtrace ---------- */

/* xtrace quotes like bash: '...' with '\'' when a word has special characters
 * (for and case words are always quoted so). */
static void xtrace_quote_plain(StrBuf *b, const char *w) {
    bool plain = w[0] != 0;
    for (const char *c = w; *c && plain; c++) plain = !strchr(" \t\n'\"\\$`|&;<>()*?[]{}~#!", *c);
    if (plain) { sb_puts(b, w); return; }
    sb_putc(b, '\'');
    for (const char *c = w; *c; c++) {
        if (*c == '\'') sb_puts(b, "'\\''");
        else sb_putc(b, *c);
    }
    sb_putc(b, '\'');
}

/* ... and a command's words in the C locale as $'...' with octal bytes when
 * they hold a byte from 0x80 up. */
static void xtrace_quote(Shell *sh, StrBuf *b, const char *w) {
    for (const char *c = w; *c; c++)
        if ((unsigned char)*c >= 0x80) {
            if (!locale_utf8(sh)) { quote_single(b, w, false); return; }
            break;
        }
    xtrace_quote_plain(b, w);
}

static void xtrace_begin(Shell *sh, StrBuf *b) {
    const char *ps4 = var_get(sh, "PS4");
    char *p = expand_prompt(sh, ps4 ? ps4 : "+ ");
    /* the first character repeats once per level of command substitution */
    for (int i = 0; i < sh->in_cmdsubst && p[0]; i++) sb_putc(b, p[0]);
    sb_puts(b, p);
    free(p);
}

static void xtrace_emit(Shell *sh, StrBuf *b) {
    const char *fdv = var_get(sh, "BASH_XTRACEFD");
    int fd = fdv && *fdv ? atoi(fdv) : 2;
    if (fd < 0 || fd >= SH_MAXFD || !sh->fds[fd]) fd = 2;
    if (sh->fds[fd]) stream_write(sh, sh->fds[fd], b->s, b->len);
}

void xtrace_line(Shell *sh, const char *text) {
    if (!sh->opt.xtrace) return;
    StrBuf b;
    sb_init(&b);
    xtrace_begin(sh, &b);
    sb_puts(&b, text);
    sb_putc(&b, '\n');
    xtrace_emit(sh, &b);
    sb_free(&b);
}

static void xtrace_words(Shell *sh, char *const *argv, int argc, const char *const *assigns, int nassigns) {
    StrBuf b;
    sb_init(&b);
    xtrace_begin(sh, &b);
    bool first = true;
    for (int i = 0; i < nassigns; i++) {
        if (!first) sb_putc(&b, ' ');
        sb_puts(&b, assigns[i]);
        first = false;
    }
    for (int i = 0; i < argc; i++) {
        if (!first) sb_putc(&b, ' ');
        first = false;
        xtrace_quote(sh, &b, argv[i]);
    }
    sb_putc(&b, '\n');
    xtrace_emit(sh, &b);
    sb_free(&b);
}

/* ---------- assignments ---------- */

static void xtrace_assign(Shell *sh, const char *lhs, bool append, const char *val) {
    if (!sh->opt.xtrace) return;
    StrBuf b;
    sb_init(&b);
    sb_puts(&b, lhs);
    sb_puts(&b, append ? "+=" : "=");
    xtrace_quote(sh, &b, val);
    xtrace_line(sh, sb_cstr(&b));
    sb_free(&b);
}

/* The target of an assignment word ("a[1]" of "a[1]+=x"), allocated. */
static char *assignment_target(const char *aw) {
    size_t pl = assignment_prefix_len(aw);
    return xstrndup(aw, pl - 1 - (pl >= 2 && aw[pl - 2] == '+'));
}

static int do_assignment(Shell *sh, const char *w, bool local, int extra_flags) {
    if (!strncmp(w, "SHELLOPTS=", 10) || !strncmp(w, "BASHOPTS=", 9)) {
        shell_errorf(sh, "%.*s: readonly variable", (int)(strchr(w, '=') - w), w);
        return 1;
    }
    size_t pl = assignment_prefix_len(w);
    bool append = pl >= 2 && w[pl - 2] == '+';
    size_t nl = pl - (append ? 2 : 1);
    char *lhs = xstrndup(w, nl);
    const char *rhs = w + pl;
    char *br = strchr(lhs, '[');
    int st = 0;
    if (rhs[0] == '(' && rhs[strlen(rhs) - 1] == ')' && br) {
        shell_errorf(sh, "%s: cannot assign list to array member", lhs);
        free(lhs);
        return 1;
    }
    if (rhs[0] == '(' && rhs[strlen(rhs) - 1] == ')' && !br) {
        extern int assign_array_literal(Shell *sh, const char *name, const char *body, size_t n, bool append, bool local, int flags);
        xtrace_line(sh, w);
        st = assign_array_literal(sh, lhs, rhs + 1, strlen(rhs) - 2, append, local, extra_flags);
        free(lhs);
        return st;
    }
    char *val = NULL;
    if (expand_assign_value(sh, rhs, &val) != 0) { free(val); free(lhs); return 1; }
    if (!local || !(extra_flags & V_EXPORT)) xtrace_assign(sh, lhs, append, val);
    if (!br && !local && (!strcmp(lhs, "LINENO") || !strcmp(lhs, "RANDOM") || !strcmp(lhs, "SECONDS"))) {
        /* dynamic variables: LINENO follows the script, RANDOM=n seeds, SECONDS=n restarts the count */
        int64_t n = 0;
        parse_int64(val, &n);
        if (lhs[0] == 'R') sh->rand_state = (uint32_t)n;
        else if (lhs[0] == 'S') sh->start_time = (uint64_t)(time(NULL) - (time_t)n);
        free(val);
        free(lhs);
        return 0;
    }
    if (br) {
        *br = 0;
        char *sub = xstrndup(br + 1, strlen(br + 1) - 1);
        char *esub = NULL;
        Var *v = var_lookup(sh, lhs);
        expand_string(sh, sub, &esub);
        if (v && (v->flags & V_ASSOC) && !esub[0]) {
            /* bash names the subscript as written: m[""], m[$k] */
            shell_errorf(sh, "%s[%s]: bad array subscript", lhs, sub);
            st = 1;
        } else {
            if (local) var_create(sh, lhs, true);
            st = var_set_elem(sh, lhs, esub, val, append);
        }
        free(sub);
        free(esub);
    } else if (!local && var_lookup_raw(sh, lhs) && (var_lookup_raw(sh, lhs)->flags & V_NAMEREF) && !append) {
        st = var_set(sh, lhs, val); /* through the reference, also to an array element */
    } else {
        Var *v = local ? var_create(sh, lhs, true) : var_lookup(sh, lhs);
        if (!v) {
            Var *raw = var_lookup_raw(sh, lhs);
            if (raw && (raw->flags & V_NAMEREF)) st = var_set(sh, lhs, val);
            else {
                v = var_create(sh, lhs, false);
                v->flags |= extra_flags;
                st = var_assign(sh, v, val, append);
            }
        } else {
            v->flags |= extra_flags;
            st = var_assign(sh, v, val, append);
        }
    }
    free(val);
    free(lhs);
    return st;
}

/* The environment a simple command's prefix assignments give it, as
 * "NAME=VALUE" strings, without running the command: the assignments are made
 * in a scope that is dropped again (so `declare -i` and case attributes apply
 * as they would). Used by pipeline stages that stream (push utilities), which
 * outlive the scope. Returns nonzero after an expansion error (reported). */
int prefix_assignment_env(Shell *sh, const Node *n, StrList *env) {
    vars_push_scope(sh);
    int st = 0;
    for (int i = 0; i < n->u.simple.nassigns && !st; i++) {
        const char *aw = n->u.simple.assigns[i];
        st = do_assignment(sh, aw, true, V_EXPORT);
        if (st) break;
        char *nm = assignment_target(aw);
        Var *v = var_lookup(sh, nm);
        StrBuf b;
        sb_init(&b);
        sb_printf(&b, "%s=%s", nm, v && v->value ? v->value : "");
        sl_push_copy(env, sb_cstr(&b));
        sb_free(&b);
        free(nm);
    }
    vars_pop_scope(sh);
    return st;
}

/* ---------- command lookup and execution ---------- */

CommandTable *command_table_ref(CommandTable *t) {
    if (t) t->refs++;
    return t;
}

void command_table_unref(CommandTable *t) {
    if (!t || --t->refs > 0) return;
    free(t->v);
    free(t);
}

const UtilDef *sh_util_lookup(Shell *sh, const char *name, void **data) {
    if (data) *data = NULL;
    if (sh->extra) {
        for (size_t i = 0; i < sh->extra->n; i++) {
            if (strcmp(sh->extra->v[i].def->name, name) != 0) continue;
            if (data) *data = sh->extra->v[i].data;
            return sh->extra->v[i].def;
        }
    }
    return util_lookup(name);
}

int utility_run(Shell *sh, const char *name, int argc, char **argv) {
    void *data;
    const UtilDef *d = sh_util_lookup(sh, name, &data);
    if (!d) return 127;
    shell_flush(sh);
    UtilCtx *c = utilctx_new(sh, argv[0], false);
    utilctx_set_data(c, data);
    int st = d->main(c, argc, argv);
    if (utilctx_sigpipe(c)) st = SHELL_STATUS_SIGPIPE;
    utilctx_free(c);
    if (sh->run->stop_reason) sh->unwind = UW_ABORT;
    return st;
}

static const char *const fs_writers[] = {"rm", "rmdir", "mv", "cp", "mkdir", "touch", "tee", "ln", "chmod",
                                         "dd", "truncate", "install", "tar", "unzip", "zip", "gzip", "gunzip", "bzip2", "bunzip2",
                                         "split", "csplit", "patch", "mktemp", "chown", "chgrp", "sed", NULL};

static bool writes_fs(const char *name) {
    for (int i = 0; fs_writers[i]; i++)
        if (!strcmp(fs_writers[i], name)) return true;
    return false;
}

/* Whether the DEBUG trap runs before the next command (bash: at the top
 * level, and in functions with set -T). */
static bool debug_trap_due(Shell *sh) {
    return sh->traps[66] && !sh->in_trap && (sh->func_depth == 0 || sh->opt.functrace);
}

int exec_function(Shell *sh, FuncDef *f, char *const *argv, int argc) {
    const char *fn = var_get(sh, "FUNCNEST");
    int64_t nest = 0;
    if (fn && parse_int64(fn, &nest) && nest > 0 && sh->func_depth >= nest) {
        shell_errorf(sh, "%s: maximum function nesting level exceeded (%lld)", f->name, (long long)nest);
        sh->unwind = UW_ERROR;
        sh->exit_status = 1;
        return 1;
    }
    if (sh->run->lim.max_depth && (uint32_t)sh->func_depth >= sh->run->lim.max_depth) {
        shell_errorf(sh, "%s: maximum function nesting level exceeded (%d)", f->name, sh->func_depth);
        budget_stop(sh, "depth", "recursion depth limit exceeded");
        return 1;
    }
    if (!budget_check(sh)) return SHELL_STATUS_BUDGET;
    f->refs++;
    /* save positional parameters */
    char **old_pos = sh->pos;
    int old_npos = sh->npos;
    sh->pos = xmalloc((size_t)argc * sizeof *sh->pos + sizeof *sh->pos);
    for (int i = 1; i < argc; i++) sh->pos[i - 1] = xstrdup(argv[i]);
    sh->npos = argc - 1;
    if (sh->nframes == sh->frames_cap) {
        sh->frames_cap = sh->frames_cap ? sh->frames_cap * 2 : 16;
        sh->frames = xrealloc(sh->frames, (size_t)sh->frames_cap * sizeof *sh->frames);
    }
    sh->frames[sh->nframes++] = (CallFrame){f->name, sh->source_is_c ? "environment" : sh->source_name, sh->lineno};
    vars_push_scope(sh);
    sh->func_depth++;
    int saved_line = sh->lineno;
    int saved_loops = sh->loop_depth;
    sh->loop_depth = 0;
    char *return_trap_before = sh->traps[67] ? xstrdup(sh->traps[67]) : NULL;
    ShellOpts saved_opts = sh->opt;
    bool saved_local_opts = sh->local_opts;
    sh->local_opts = false;
    /* set -T: bash runs the DEBUG trap once on entry, in the function's
     * context (FUNCNAME is the function, BASH_COMMAND still the call) */
    int st = 0;
    if (debug_trap_due(sh)) run_trap(sh, 66);
    if (sh->unwind == UW_NONE) st = exec_node(sh, f->body);
    if (sh->unwind == UW_RETURN) {
        sh->unwind = UW_NONE;
        st = sh->status;
    }
    bool trap_set_here = sh->traps[67] && (!return_trap_before || strcmp(return_trap_before, sh->traps[67]));
    if (sh->traps[67] && (sh->opt.functrace || trap_set_here)) run_trap(sh, 67);
    free(return_trap_before);
    if (sh->local_opts) sh->opt = saved_opts;
    sh->local_opts = saved_local_opts;
    sh->func_depth--;
    sh->loop_depth = saved_loops;
    vars_pop_scope(sh);
    sh->nframes--;
    sh->lineno = saved_line;
    for (int i = 0; i < sh->npos; i++) free(sh->pos[i]);
    free(sh->pos);
    sh->pos = old_pos;
    sh->npos = old_npos;
    func_unref(f);
    return st;
}

static int command_not_found(Shell *sh, const char *name) {
    shell_errorf(sh, "%s: command not found", name);
    return 127;
}

/* bash calls command_not_found_handle NAME ARGS... when it is defined. */
static int not_found_handler(Shell *sh, char *const *argv, int argc) {
    FuncDef *h = func_get(sh, "command_not_found_handle");
    if (!h) return command_not_found(sh, argv[0]);
    StrList av;
    sl_init(&av);
    sl_push_copy(&av, "command_not_found_handle");
    for (int i = 0; i < argc; i++) sl_push_copy(&av, argv[i]);
    int st = exec_function(sh, h, av.v, (int)av.n);
    sl_free(&av);
    return st;
}

/* A command by name with the current fds (no redirections, no assignments).
 * with_functions is false for commands run as a separate program would be
 * (find -exec, xargs): those never see the shell's functions. */
/* The builtins that also exist as programs (in /usr/bin on Debian), so a
 * command run as a separate program (find -exec, xargs) can be one; cd or
 * export run that way are "No such file or directory", as with GNU tools. */
static bool builtin_is_program(const char *name) {
    static const char *const programs[] = {"[", "bash", "echo", "false", "kill", "printf", "pwd", "sh", "test", "true", NULL};
    for (int i = 0; programs[i]; i++)
        if (!strcmp(programs[i], name)) return true;
    return false;
}

static int exec_argv_lookup(Shell *sh, char *const *argv, int argc, bool with_functions) {
    if (argc == 0) return 0;
    const char *name = argv[0];
    FuncDef *f = with_functions ? func_get(sh, name) : NULL;
    if (f) return exec_function(sh, f, argv, argc);
    bool special;
    BuiltinFn b = with_functions || builtin_is_program(name) ? builtin_lookup(name, &special) : NULL;
    for (size_t i = 0; b && i < sh->disabled.n; i++)
        if (!strcmp(sh->disabled.v[i], name)) b = NULL;
    if (b) return b(sh, argc, (char **)argv);
    if (sh->run->lim.no_fs_writes && writes_fs(name)) return 126;
    if (sh_util_lookup(sh, name, NULL)) {
        extern void hash_note(Shell *sh, const char *name);
        hash_note(sh, name);
        return utility_run(sh, name, argc, (char **)argv);
    }
    if (strchr(name, '/')) {
        /* /bin/cat and /usr/bin/cat are our utilities, wherever the host keeps its own */
        const char *base = strrchr(name, '/') + 1;
        bool sysdir = !strncmp(name, "/bin/", 5) || !strncmp(name, "/usr/bin/", 9) || !strncmp(name, "/usr/local/bin/", 15);
        if (sysdir && (!strcmp(base, "bash") || !strcmp(base, "sh"))) {
            bool sp;
            return builtin_lookup(base, &sp)(sh, argc, (char **)argv);
        }
        if (sysdir && sh_util_lookup(sh, base, NULL)) {
            char **av = (char **)argv;
            const char *saved = av[0];
            av[0] = (char *)base;
            int st = utility_run(sh, base, argc, av);
            av[0] = (char *)saved;
            return st;
        }
        extern int run_script_file(Shell *sh, char *const *argv, int argc);
        return run_script_file(sh, argv, argc);
    }
    /* an executable script in a PATH directory */
    const char *path = var_get(sh, "PATH");
    if (path && *name) {
        const char *p = path;
        while (*p) {
            const char *e = strchr(p, ':');
            size_t l = e ? (size_t)(e - p) : strlen(p);
            StrBuf full;
            sb_init(&full);
            sb_put(&full, l ? p : ".", l ? l : 1);
            sb_putc(&full, '/');
            sb_puts(&full, name);
            struct stat stt;
            if (stat(full.s, &stt) == 0 && S_ISREG(stt.st_mode) && access(full.s, X_OK) == 0 &&
                strncmp(full.s, "/usr/", 5) != 0 && strncmp(full.s, "/bin/", 5) != 0) {
                StrList av;
                sl_init(&av);
                sl_push(&av, sb_take(&full));
                for (int i = 1; i < argc; i++) sl_push_copy(&av, argv[i]);
                extern int run_script_file(Shell *sh, char *const *argv, int argc);
                int st = run_script_file(sh, av.v, (int)av.n);
                sl_free(&av);
                return st;
            }
            sb_free(&full);
            if (!e) break;
            p = e + 1;
        }
    }
    if (sh->host.host_exec) {
        shell_flush(sh);
        return sh->host.host_exec(sh->host.ctx, sh, argv);
    }
    return not_found_handler(sh, argv, argc);
}

int exec_argv(Shell *sh, char *const *argv, int argc) { return exec_argv_lookup(sh, argv, argc, true); }

/* An executable regular file outside the system directories (whose programs
 * are our utilities): what exec_argv runs as a script. */
static int script_file_status(const char *path) {
    struct stat st;
    if (stat(path, &st) != 0) return errno;
    if (!S_ISREG(st.st_mode) || access(path, X_OK) != 0) return EACCES;
    return 0;
}

int command_resolve(Shell *sh, const char *name) {
    bool special;
    if (!*name) return ENOENT;
    BuiltinFn b = builtin_is_program(name) ? builtin_lookup(name, &special) : NULL;
    for (size_t i = 0; b && i < sh->disabled.n; i++)
        if (!strcmp(sh->disabled.v[i], name)) b = NULL;
    if (b || util_lookup(name) || sh->host.host_exec) return 0;
    if (strchr(name, '/')) {
        const char *base = strrchr(name, '/') + 1;
        bool sysdir = !strncmp(name, "/bin/", 5) || !strncmp(name, "/usr/bin/", 9) || !strncmp(name, "/usr/local/bin/", 15);
        if (sysdir && (!strcmp(base, "bash") || !strcmp(base, "sh") || util_lookup(base))) return 0;
        return script_file_status(name);
    }
    const char *path = var_get(sh, "PATH");
    int found = ENOENT;
    for (const char *p = path ? path : ""; path && found; p++) {
        const char *e = strchr(p, ':');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        StrBuf full;
        sb_init(&full);
        sb_put(&full, l ? p : ".", l ? l : 1);
        sb_putc(&full, '/');
        sb_puts(&full, name);
        if (strncmp(full.s, "/usr/", 5) != 0 && strncmp(full.s, "/bin/", 5) != 0) {
            int r = script_file_status(full.s);
            if (r == 0 || (r == EACCES && found == ENOENT)) found = r;
        }
        sb_free(&full);
        if (!e) break;
        p = e;
    }
    return found;
}

int exec_argv_external(Shell *sh, char *const *argv, int argc) { return exec_argv_lookup(sh, argv, argc, false); }

static bool is_decl_builtin(const char *w) {
    return !strcmp(w, "declare") || !strcmp(w, "typeset") || !strcmp(w, "local") || !strcmp(w, "export") ||
           !strcmp(w, "readonly");
}

/* Like expand_words, but arguments of declare/local/export/readonly that look
 * like assignments are expanded as assignments (no splitting or globbing), and
 * name=(...) is passed through for the builtin to parse. */
static int expand_command_words(Shell *sh, const char *const *words, int n, StrList *out) {
    if (n == 0 || !is_decl_builtin(words[0])) return expand_words(sh, words, n, out);
    for (int i = 0; i < n; i++) {
        const char *w = words[i];
        size_t pl = i > 0 ? assignment_prefix_len(w) : 0;
        if (!pl) {
            int st = expand_words(sh, &w, 1, out);
            if (st) return st;
            continue;
        }
        const char *rhs = w + pl;
        if (rhs[0] == '(' && rhs[strlen(rhs) - 1] == ')') {
            sl_push_copy(out, w);
            continue;
        }
        char *val = NULL;
        if (expand_assign_value(sh, rhs, &val)) { free(val); return 1; }
        StrBuf b;
        sb_init(&b);
        sb_put(&b, w, pl);
        sb_puts(&b, val);
        free(val);
        sl_push(out, sb_take(&b));
    }
    return 0;
}

/* Runs a simple command with temporary variables from prefix assignments. */
/* Closes the fds that <( ) and >( ) opened since mark: a >( ) consumer runs now. */
static void close_procsubst(Shell *sh, int mark) {
    while (sh->nprocsubst > mark) {
        int fd = sh->procsubst_fds[--sh->nprocsubst];
        Stream *s = sh->fds[fd];
        sh->fds[fd] = NULL;
        stream_unref(sh, s);
    }
}

static int exec_simple_inner(Shell *sh, const Node *n);

/* Whether a trap may read BASH_COMMAND (EXIT, ERR, DEBUG, RETURN): only
 * then is a compound command's text made. */
static bool command_text_wanted(Shell *sh) {
    return !sh->in_trap && (sh->traps[0] || sh->traps[65] || sh->traps[66] || sh->traps[67]);
}

/* Before a compound command bash sets BASH_COMMAND to its text and, for
 * [[ ]] (( )) for case (debug), runs the DEBUG trap. False when the trap
 * ended the run. Callers make the text only when command_text_wanted. */
static bool enter_compound(Shell *sh, const char *text, bool debug) {
    free(sh->bash_command);
    sh->bash_command = xstrdup(text);
    if (debug && debug_trap_due(sh)) {
        run_trap(sh, 66);
        if (sh->unwind != UW_NONE) return false;
    }
    return true;
}

/* enter_compound with a printf-made text: "case x in ", "((i++))". */
static bool enter_compound_fmt(Shell *sh, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool enter_compound_fmt(Shell *sh, const char *fmt, ...) {
    if (!command_text_wanted(sh)) return true;
    StrBuf b;
    sb_init(&b);
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&b, fmt, ap);
    va_end(ap);
    bool go = enter_compound(sh, sb_cstr(&b), true);
    sb_free(&b);
    return go;
}

/* enter_compound with the node's text (( exit 3 ), [[ ... ]], (( ... ))). */
static bool enter_compound_node(Shell *sh, const Node *n, bool debug) {
    if (!command_text_wanted(sh)) return true;
    StrBuf b;
    sb_init(&b);
    ast_print_command(&b, n);
    bool go = enter_compound(sh, sb_cstr(&b), debug);
    sb_free(&b);
    return go;
}

/* set -k: assignment words after the command name are prefix assignments
 * too (set -k; echo a KV=1 prints "a" with KV=1 in echo's environment; as in
 * bash, also for declare: set -k; declare x=1 lists the variables). */
static int exec_simple_keyword(Shell *sh, const Node *n) {
    int nw = n->u.simple.nwords, moved = 0;
    for (int i = 1; i < nw; i++) moved += assignment_prefix_len(n->u.simple.words[i]) > 0;
    if (!moved) return exec_simple_inner(sh, n);
    Node k = *n;
    const char **assigns = xmalloc(sizeof *assigns * (size_t)(n->u.simple.nassigns + moved));
    const char **words = xmalloc(sizeof *words * (size_t)nw);
    k.u.simple.assigns = assigns;
    k.u.simple.words = words;
    k.u.simple.nassigns = k.u.simple.nwords = 0;
    for (int i = 0; i < n->u.simple.nassigns; i++) assigns[k.u.simple.nassigns++] = n->u.simple.assigns[i];
    for (int i = 0; i < nw; i++) {
        const char *w = n->u.simple.words[i];
        if (i > 0 && assignment_prefix_len(w) > 0) assigns[k.u.simple.nassigns++] = w;
        else words[k.u.simple.nwords++] = w;
    }
    int st = exec_simple_inner(sh, &k);
    free(assigns);
    free(words);
    return st;
}

static int exec_simple(Shell *sh, const Node *n) {
    int mark = sh->nprocsubst;
    bool keyword = sh->opt.keyword && n->u.simple.nwords > 1;
    int st = keyword ? exec_simple_keyword(sh, n) : exec_simple_inner(sh, n);
    close_procsubst(sh, mark);
    return st;
}

static int exec_simple_inner(Shell *sh, const Node *n) {
    sh->lineno = n->line;
    if (!budget_check(sh)) return SHELL_STATUS_BUDGET;
    if (sh->opt.noexec) return 0;
    if (!sh->in_trap) {
        StrBuf bc;
        sb_init(&bc);
        for (int i = 0; i < n->u.simple.nassigns; i++) { if (bc.len) sb_putc(&bc, ' '); sb_puts(&bc, n->u.simple.assigns[i]); }
        for (int i = 0; i < n->u.simple.nwords; i++) { if (bc.len) sb_putc(&bc, ' '); sb_puts(&bc, n->u.simple.words[i]); }
        free(sh->bash_command);
        sh->bash_command = sb_take(&bc);
    }
    if (debug_trap_due(sh)) {
        run_trap(sh, 66);
        if (sh->unwind != UW_NONE) return sh->status;
    }
    StrList argv;
    sl_init(&argv);
    int st = expand_command_words(sh, n->u.simple.words, n->u.simple.nwords, &argv);
    if (st || sh->unwind != UW_NONE) {
        sl_free(&argv);
        return st ? st : sh->status;
    }
    if (argv.n == 0) {
        /* assignments only: they persist; status is that of the last cmdsubst */
        sh->cmdsubst_ran = false;
        for (int i = 0; i < n->u.simple.nassigns; i++) {
            if (do_assignment(sh, n->u.simple.assigns[i], false, 0)) {
                sl_free(&argv);
                if (sh->unwind == UW_NONE) { sh->unwind = UW_ERROR; sh->exit_status = 1; }
                return 1;
            }
            if (sh->unwind != UW_NONE) break;
        }
        int cs_status = sh->cmdsubst_ran ? sh->cmdsubst_status : 0;
        free(sh->last_arg);
        sh->last_arg = xstrdup("");
        RedirUndo undo = {0};
        int rst = 0;
        for (const Redir *r = n->redirs; r && !rst; r = r->next) rst = redir_apply(sh, r, &undo);
        redir_undo(sh, &undo);
        sl_free(&argv);
        return rst ? rst : cs_status;
    }
    if (sh->opt.xtrace) xtrace_words(sh, argv.v, (int)argv.n, n->u.simple.assigns, n->u.simple.nassigns);
    /* prefix assignments are temporary and exported for this command */
    bool temp_scope = n->u.simple.nassigns > 0;
    const char *name = argv.v[0];
    bool special = false;
    BuiltinFn b = builtin_lookup(name, &special);
    if (temp_scope && b && special && sh->opt.posix && !func_get(sh, name)) {
        /* POSIX: assignments before a special builtin persist */
        for (int i = 0; i < n->u.simple.nassigns; i++) do_assignment(sh, n->u.simple.assigns[i], false, 0);
        temp_scope = false;
    }
    FuncDef *f = func_get(sh, name);
    if (temp_scope) {
        vars_push_scope(sh);
        for (int i = 0; i < n->u.simple.nassigns && temp_scope; i++) {
            const char *aw = n->u.simple.assigns[i];
            char *nm = assignment_target(aw);
            char *br = strchr(nm, '[');
            if (br) *br = 0;
            Var *old = var_lookup(sh, nm);
            bool ro = old && (old->flags & V_READONLY);
            if (ro) shell_errorf(sh, "%s: readonly variable", nm);
            free(nm);
            if (ro) continue;
            if (do_assignment(sh, aw, true, V_EXPORT)) {
                vars_pop_scope(sh);
                sl_free(&argv);
                return 1;
            }
        }
    }
    RedirUndo undo = {0};
    int rst = 0;
    for (const Redir *r = n->redirs; r && !rst; r = r->next) rst = redir_apply(sh, r, &undo);
    if (rst) {
        redir_undo(sh, &undo);
        if (temp_scope) vars_pop_scope(sh);
        sl_free(&argv);
        return rst;
    }
    char *last = xstrdup(argv.v[argv.n - 1]);
    bool exec_special = b && !strcmp(name, "exec") && argv.n == 1;
    if (f && !(b && special)) st = exec_function(sh, f, argv.v, (int)argv.n);
    else st = exec_argv(sh, argv.v, (int)argv.n);
    if (exec_special) {
        /* `exec` with only redirections: they stay; the streams they replaced go */
        for (int i = 0; i < undo.n; i++) stream_unref(sh, undo.v[i].old);
        free(undo.v);
        undo.v = NULL;
        undo.n = 0;
    }
    redir_undo(sh, &undo);
    if (temp_scope) {
        /* a temp scope that a function/builtin turned into locals is ours to drop */
        vars_pop_scope(sh);
    }
    free(sh->last_arg);
    sh->last_arg = last;
    sl_free(&argv);
    return st;
}

/* ---------- [[ ]] ---------- */

static int cond_eval(Shell *sh, const CondNode *c);

/* The regex engine's stop hook: the run's deadline and budgets. */
static bool regex_should_stop(void *ctx) { return !budget_poll(ctx); }

static int cond_regex(Shell *sh, const char *s, const char *raw) {
    /* quoted parts of the regex match literally */
    StrBuf re;
    sb_init(&re);
    char *rx_text = NULL;
    if (expand_regex(sh, raw, &rx_text)) { free(rx_text); return 2; }
    sb_puts(&re, rx_text);
    free(rx_text);
    unsigned flags = RX_REGCOMP | (sh->opt.nocasematch ? RX_ICASE : 0) | (locale_utf8(sh) ? 0 : RX_BYTES);
    Regex *rx = rx_compile(re.s ? re.s : "", re.len, RX_ERE, flags, NULL);
    sb_free(&re);
    if (!rx) return 2;
    int ng = rx_ngroups(rx);
    RxSpan *m = xmalloc((size_t)(ng + 1) * sizeof *m);
    RxExec ex = {.should_stop = regex_should_stop, .stop_ctx = sh};
    int r = rx_search(rx, s, strlen(s), 0, &ex, m, (size_t)ng + 1);
    rx_free(rx);
    Var *v = var_create(sh, "BASH_REMATCH", false);
    if (v->flags & V_READONLY) { free(m); return r == RX_MATCH ? 0 : 1; }
    free(v->value);
    v->value = NULL;
    if (v->arr) arr_unref(v->arr);
    v->arr = arr_new();
    v->flags |= V_ARRAY;
    if (r == RX_MATCH) {
        for (int i = 0; i <= ng; i++) {
            if (m[i].so < 0) { arr_set(v->arr, (int64_t)i, ""); continue; }
            char *sub = xstrndup(s + m[i].so, (size_t)(m[i].eo - m[i].so));
            arr_set(v->arr, (int64_t)i, sub);
            free(sub);
        }
    }
    free(m);
    return r == RX_MATCH ? 0 : 1;
}

static int cond_int_op(Shell *sh, const char *a, const char *op, const char *b) {
    int64_t x = 0, y = 0;
    if (arith_eval_prefixed(sh, a, &x, "[[: ") || arith_eval_prefixed(sh, b, &y, "[[: ")) return 1;
    bool r = !strcmp(op, "-eq") ? x == y : !strcmp(op, "-ne") ? x != y : !strcmp(op, "-lt") ? x < y
           : !strcmp(op, "-le") ? x <= y : !strcmp(op, "-gt") ? x > y : x >= y;
    return r ? 0 : 1;
}

static int cond_eval(Shell *sh, const CondNode *c) {
    switch (c->kind) {
    case C_AND: {
        int l = cond_eval(sh, c->l);
        if (l != 0) return l;
        return cond_eval(sh, c->r);
    }
    case C_OR: {
        int l = cond_eval(sh, c->l);
        if (l == 0 || l == 2) return l;
        return cond_eval(sh, c->r);
    }
    case C_NOT: {
        int l = cond_eval(sh, c->l);
        return l == 2 ? 2 : !l;
    }
    case C_WORD: {
        char *s = NULL;
        if (expand_string(sh, c->a, &s)) { free(s); return 2; }
        int r = s[0] ? 0 : 1;
        free(s);
        return r;
    }
    case C_UNARY: {
        char *s = NULL;
        if (expand_string(sh, c->a, &s)) { free(s); return 2; }
        int r;
        if (!strcmp(c->op, "-v")) {
            char *br = strchr(s, '[');
            if (br && s[strlen(s) - 1] == ']') {
                *br = 0;
                Var *v = var_lookup(sh, s);
                bool bad = false;
                br[strlen(br + 1)] = 0;
                r = (v && var_get_elem(sh, v, br + 1, &bad)) ? 0 : 1;
            } else if (s[0] >= '0' && s[0] <= '9') {
                r = atoi(s) <= sh->npos ? 0 : 1;
            } else {
                r = var_is_set(sh, s) ? 0 : 1;
            }
        } else if (!strcmp(c->op, "-o")) {
            extern bool option_value(Shell *sh, const char *name, bool *valid);
            bool valid;
            r = option_value(sh, s, &valid) ? 0 : 1;
        } else if (!strcmp(c->op, "-R")) {
            Var *v = var_lookup_raw(sh, s);
            r = (v && (v->flags & V_NAMEREF)) ? 0 : 1;
        } else {
            int t = test_unary(c->op, s);
            r = t == 1 ? 0 : 1;
        }
        free(s);
        return r;
    }
    case C_BINARY: {
        char *a = NULL, *b = NULL;
        if (expand_string(sh, c->a, &a)) { free(a); return 2; }
        const char *op = c->op;
        int r;
        if (!strcmp(op, "=~")) {
            r = cond_regex(sh, a, c->b);
            free(a);
            return r;
        }
        if (!strcmp(op, "==") || !strcmp(op, "=") || !strcmp(op, "!=")) {
            if (expand_pattern(sh, c->b, &b)) { free(a); free(b); return 2; }
            int fl = (sh->opt.extglob ? PM_EXTGLOB : 0) | PM_EXTGLOB | (sh->opt.nocasematch ? PM_NOCASE : 0);
            bool m = pattern_match(b, a, fl);
            r = (op[0] == '!') ? (m ? 1 : 0) : (m ? 0 : 1);
            free(a);
            free(b);
            return r;
        }
        if (expand_string(sh, c->b, &b)) { free(a); free(b); return 2; }
        if (op[0] == '-' && strchr("eqnltg", op[1]) && strcmp(op, "-nt") && strcmp(op, "-ot") && strcmp(op, "-ef"))
            r = cond_int_op(sh, a, op, b);
        else if (!strcmp(op, "<")) r = strcmp(a, b) < 0 ? 0 : 1;
        else if (!strcmp(op, ">")) r = strcmp(a, b) > 0 ? 0 : 1;
        else r = test_binary_str_file(a, op, b) == 1 ? 0 : 1;
        free(a);
        free(b);
        return r;
    }
    }
    return 2;
}

static void cond_trace(Shell *sh, StrBuf *b, const CondNode *c) {
    char *s = NULL;
    switch (c->kind) {
    case C_AND: case C_OR:
        cond_trace(sh, b, c->l);
        sb_puts(b, c->kind == C_AND ? " && " : " || ");
        cond_trace(sh, b, c->r);
        return;
    case C_NOT: sb_puts(b, "! "); cond_trace(sh, b, c->l); return;
    case C_UNARY:
        sb_printf(b, "%s ", c->op);
        expand_string(sh, c->a, &s);
        sb_puts(b, s ? s : "");
        break;
    case C_BINARY:
        expand_string(sh, c->a, &s);
        sb_printf(b, "%s %s ", s ? s : "", c->op);
        free(s);
        s = NULL;
        expand_string(sh, c->b, &s);
        sb_puts(b, s ? s : "");
        break;
    case C_WORD:
        expand_string(sh, c->a, &s);
        sb_puts(b, s ? s : "");
        break;
    }
    free(s);
}

/* ---------- compound commands ---------- */

static int exec_body(Shell *sh, const Node *n) { return n ? exec_node(sh, n) : 0; }

static int exec_condition(Shell *sh, const Node *n) {
    sh->errexit_off++;
    int st = exec_body(sh, n);
    sh->errexit_off--;
    return st;
}

/* Handles break/continue at a loop boundary; returns true if the loop must end. */
static bool loop_control(Shell *sh) {
    if (sh->unwind == UW_BREAK) {
        if (--sh->unwind_n <= 0) sh->unwind = UW_NONE;
        return true;
    }
    if (sh->unwind == UW_CONTINUE) {
        if (--sh->unwind_n <= 0) { sh->unwind = UW_NONE; return false; }
        return true;
    }
    return sh->unwind != UW_NONE;
}

static int exec_while(Shell *sh, const Node *n, bool until) {
    int st = 0;
    sh->loop_depth++;
    for (;;) {
        if (!budget_check(sh)) { st = SHELL_STATUS_BUDGET; break; }
        int c = exec_condition(sh, n->u.loop.cond);
        if (sh->unwind != UW_NONE) { if (loop_control(sh)) break; else continue; }
        if ((c == 0) == until) break;
        st = exec_body(sh, n->u.loop.body);
        if (sh->unwind != UW_NONE && loop_control(sh)) break;
    }
    sh->loop_depth--;
    return st;
}

static int exec_for(Shell *sh, const Node *n) {
    sh->lineno = n->line;
    if (!is_name(n->u.forn.var, strlen(n->u.forn.var))) {
        shell_errorf(sh, "`%s': not a valid identifier", n->u.forn.var);
        return 1;
    }
    StrList items;
    sl_init(&items);
    if (n->u.forn.has_in) {
        int st = expand_words(sh, n->u.forn.words, n->u.forn.nwords, &items);
        if (st) { sl_free(&items); return st; }
    } else {
        for (int i = 0; i < sh->npos; i++) sl_push_copy(&items, sh->pos[i]);
    }
    int st = 0;
    sh->loop_depth++;
    StrBuf text; /* BASH_COMMAND before every iteration: the words as written */
    sb_init(&text);
    for (size_t i = 0; i < items.n; i++) {
        if (!budget_check(sh)) { st = SHELL_STATUS_BUDGET; break; }
        if (n->kind == N_FOR && command_text_wanted(sh)) {
            if (!text.len) {
                sb_printf(&text, "for %s", n->u.forn.var);
                if (n->u.forn.has_in) sb_puts(&text, " in");
                for (int k = 0; k < n->u.forn.nwords; k++) sb_printf(&text, " %s", n->u.forn.words[k]);
            }
            if (!enter_compound(sh, sb_cstr(&text), true)) { st = sh->status; break; }
        }
        if (sh->opt.xtrace) {
            StrBuf b;
            sb_init(&b);
            sb_printf(&b, "for %s in", n->u.forn.var);
            for (size_t k = 0; k < items.n; k++) { sb_putc(&b, ' '); xtrace_quote_plain(&b, items.v[k]); }
            xtrace_line(sh, sb_cstr(&b));
            sb_free(&b);
        }
        if (var_set(sh, n->u.forn.var, items.v[i])) { st = 1; break; }
        st = exec_body(sh, n->u.forn.body);
        if (sh->unwind != UW_NONE && loop_control(sh)) break;
    }
    sh->loop_depth--;
    sb_free(&text);
    sl_free(&items);
    return st;
}

static int eval_arith_text(Shell *sh, const char *text, int64_t *v) {
    if (!strpbrk(text, "$`\\")) return arith_eval_prefixed(sh, text, v, "((: "); /* nothing to expand */
    char *e = NULL;
    if (expand_heredoc(sh, text, &e)) { free(e); return 1; }
    int r = arith_eval_prefixed(sh, e, v, "((: ");
    free(e);
    return r;
}

/* One of for (( ; ; ))'s three parts as its own (( )) for BASH_COMMAND and DEBUG. */
static bool enter_arith_part(Shell *sh, const char *expr) { return enter_compound_fmt(sh, "((%s))", expr); }

static int exec_arith_for(Shell *sh, const Node *n) {
    int64_t v;
    int st = 0;
    if (!enter_arith_part(sh, n->u.afor.init)) return sh->status;
    if (n->u.afor.init[0] && eval_arith_text(sh, n->u.afor.init, &v)) return 1;
    sh->loop_depth++;
    for (;;) {
        if (!budget_check(sh)) { st = SHELL_STATUS_BUDGET; break; }
        if (!enter_arith_part(sh, n->u.afor.cond)) { st = sh->status; break; }
        if (n->u.afor.cond[strspn(n->u.afor.cond, " \t\n")]) {
            if (eval_arith_text(sh, n->u.afor.cond, &v)) { st = 1; break; }
            if (v == 0) break;
        }
        st = exec_body(sh, n->u.afor.body);
        if (sh->unwind != UW_NONE && loop_control(sh)) break;
        if (!enter_arith_part(sh, n->u.afor.step)) { st = sh->status; break; }
        if (n->u.afor.step[0] && eval_arith_text(sh, n->u.afor.step, &v)) { st = 1; break; }
    }
    sh->loop_depth--;
    return st;
}

static int exec_case(Shell *sh, const Node *n) {
    sh->lineno = n->line;
    if (!enter_compound_fmt(sh, "case %s in ", n->u.casen.word)) return sh->status;
    char *word = NULL;
    if (expand_string(sh, n->u.casen.word, &word)) { free(word); return 1; }
    if (sh->opt.xtrace) {
        StrBuf b;
        sb_init(&b);
        sb_puts(&b, "case ");
        xtrace_quote_plain(&b, word);
        sb_puts(&b, " in");
        xtrace_line(sh, sb_cstr(&b));
        sb_free(&b);
    }
    int st = 0;
    int fl = PM_EXTGLOB | (sh->opt.nocasematch ? PM_NOCASE : 0);
    bool fall = false;
    for (int i = 0; i < n->u.casen.nitems; i++) {
        const CaseItem *it = &n->u.casen.items[i];
        bool match = fall;
        for (int k = 0; k < it->npatterns && !match; k++) {
            char *pat = NULL;
            if (expand_pattern(sh, it->patterns[k], &pat)) { free(pat); free(word); return 1; }
            match = pattern_match(pat, word, fl);
            free(pat);
        }
        if (!match) continue;
        st = exec_body(sh, it->body);
        if (sh->unwind != UW_NONE) break;
        if (it->term == 0) break;
        fall = it->term == 1;
    }
    free(word);
    return st;
}

static int exec_select(Shell *sh, const Node *n) {
    StrList items;
    sl_init(&items);
    if (n->u.forn.has_in) {
        if (expand_words(sh, n->u.forn.words, n->u.forn.nwords, &items)) { sl_free(&items); return 1; }
    } else {
        for (int i = 0; i < sh->npos; i++) sl_push_copy(&items, sh->pos[i]);
    }
    int st = 0;
    sh->loop_depth++;
    bool show = true;
    for (;;) {
        if (!budget_check(sh)) break;
        if (show)
            for (size_t i = 0; i < items.n; i++) sh_printf(sh, 2, "%zu) %s\n", i + 1, items.v[i]);
        show = false;
        const char *ps3 = var_get(sh, "PS3");
        sh_puts(sh, 2, ps3 ? ps3 : "#? ");
        StrBuf line;
        sb_init(&line);
        int ch;
        bool got = false;
        while ((ch = stream_getc(sh, sh->fds[0])) >= 0) {
            got = true;
            if (ch == '\n') break;
            sb_putc(&line, (char)ch);
        }
        if (!got) { sb_free(&line); sh_puts(sh, 1, "\n"); st = 1; break; }
        if (!line.len) { sb_free(&line); show = true; continue; }
        var_set(sh, "REPLY", sb_cstr(&line));
        int64_t k = 0;
        const char *sel = "";
        if (parse_int64(sb_cstr(&line), &k) && k >= 1 && (size_t)k <= items.n) sel = items.v[k - 1];
        sb_free(&line);
        var_set(sh, n->u.forn.var, sel);
        st = exec_body(sh, n->u.forn.body);
        if (sh->unwind != UW_NONE && loop_control(sh)) break;
    }
    sh->loop_depth--;
    sl_free(&items);
    return st;
}

int run_subshell_node(Shell *sh, const Node *body) {
    if (sh->run->lim.max_depth && sh->run->depth >= sh->run->lim.max_depth) {
        budget_stop(sh, "depth", "subshell nesting limit exceeded");
        return SHELL_STATUS_BUDGET;
    }
    Shell *sub = shell_clone(sh);
    sh->run->depth++;
    int st = exec_body(sub, body);
    sh->run->depth--;
    if (sub->unwind == UW_EXIT || sub->unwind == UW_ERROR) st = sub->exit_status;
    else if (sub->unwind == UW_SIGPIPE) st = SHELL_STATUS_SIGPIPE;
    else if (sub->unwind == UW_ABORT) { st = sh->run->stop_status; sh->unwind = UW_ABORT; }
    sub->unwind = UW_NONE;
    sub->status = st;
    shell_clone_free(sub, sh);
    return st;
}

static int exec_compound(Shell *sh, const Node *n) {
    switch (n->kind) {
    case N_GROUP: return exec_body(sh, n->u.group.body);
    case N_SUBSHELL:
        if (!enter_compound_node(sh, n, false)) return sh->status;
        return run_subshell_node(sh, n->u.group.body);
    case N_IF: {
        int c = exec_condition(sh, n->u.ifn.cond);
        if (sh->unwind != UW_NONE) return c;
        if (c == 0) return exec_body(sh, n->u.ifn.then);
        if (n->u.ifn.els) return exec_body(sh, n->u.ifn.els);
        return 0;
    }
    case N_WHILE: return exec_while(sh, n, false);
    case N_UNTIL: return exec_while(sh, n, true);
    case N_FOR: return exec_for(sh, n);
    case N_ARITH_FOR: return exec_arith_for(sh, n);
    case N_CASE: return exec_case(sh, n);
    case N_SELECT: return exec_select(sh, n);
    case N_ARITH: {
        sh->lineno = n->line;
        if (!budget_check(sh)) return SHELL_STATUS_BUDGET;
        if (!enter_compound_node(sh, n, true)) return sh->status;
        int64_t v = 0;
        if (sh->opt.xtrace) {
            char *e = NULL;
            expand_heredoc(sh, n->u.arith.expr, &e);
            StrBuf b; sb_init(&b);
            sb_printf(&b, "(( %s ))", e ? e : "");
            free(e);
            xtrace_line(sh, sb_cstr(&b));
            sb_free(&b);
        }
        if (eval_arith_text(sh, n->u.arith.expr, &v)) return 1;
        return v ? 0 : 1;
    }
    case N_COND: {
        sh->lineno = n->line;
        if (!budget_check(sh)) return SHELL_STATUS_BUDGET;
        if (!enter_compound_node(sh, n, true)) return sh->status;
        if (sh->opt.xtrace) {
            StrBuf b; sb_init(&b);
            sb_puts(&b, "[[ ");
            cond_trace(sh, &b, n->u.cond.expr);
            sb_puts(&b, " ]]");
            xtrace_line(sh, sb_cstr(&b));
            sb_free(&b);
        }
        return cond_eval(sh, n->u.cond.expr);
    }
    case N_COPROC:
        shell_errorf(sh, "coproc: not supported in wasmsh (no concurrent processes)");
        return 1;
    default: return 0;
    }
}

static int exec_with_redirs(Shell *sh, const Node *n) {
    RedirUndo undo = {0};
    int rst = 0;
    int mark = sh->nprocsubst;
    for (const Redir *r = n->redirs; r && !rst; r = r->next) rst = redir_apply(sh, r, &undo);
    int st = rst ? rst : exec_compound(sh, n);
    redir_undo(sh, &undo);
    close_procsubst(sh, mark);
    return st;
}

/* `sleep N &` alone: the sleep utility leaves the waiting to wait (uc_defer_sleep). */
static bool is_plain_sleep(Shell *sh, const Node *n) {
    return n->kind == N_SIMPLE && !n->redirs && n->u.simple.nassigns == 0 && n->u.simple.nwords > 1 &&
           !strcmp(n->u.simple.words[0], "sleep") && !func_get(sh, "sleep");
}

bool job_running(Shell *sh, const Job *j) {
    return j->ends_at_ms && now_ms_of(sh) < j->ends_at_ms;
}

int job_wait(Shell *sh, Job *j) {
    while (job_running(sh, j)) {
        if (!budget_poll(sh)) return SHELL_STATUS_BUDGET;
        uint64_t left = j->ends_at_ms - now_ms_of(sh);
        if (left > 50) left = 50;
        struct timespec ts = {0, (long)left * 1000000L};
        nanosleep(&ts, NULL);
    }
    j->ends_at_ms = 0;
    return j->status;
}

static bool job_in_table(Shell *sh, const Job *j) { return !j->waited || job_running(sh, j); }

Job *job_lookup(Shell *sh, const char *spec) {
    bool jobspec = spec[0] == '%';
    bool current = !strcmp(spec, "%%") || !strcmp(spec, "%+") || !strcmp(spec, "%");
    int id = atoi(jobspec ? spec + 1 : spec);
    for (int k = sh->njobs - 1; k >= 0; k--) {
        Job *j = &sh->jobs[k];
        if (jobspec ? job_in_table(sh, j) && (current || j->number == id) : j->pid == id) return j;
    }
    return NULL;
}

/* Jobs only leave the table, so the newest one still in it has the highest number. */
static int next_job_number(Shell *sh) {
    for (int k = sh->njobs - 1; k >= 0; k--)
        if (job_in_table(sh, &sh->jobs[k])) return sh->jobs[k].number + 1;
    return 1;
}

static int exec_background(Shell *sh, const Node *n) {
    /* `&` jobs run to completion at once in a subshell copy, except a plain
     * `sleep N &`, which runs until its time (Job.ends_at_ms) */
    Shell *sub = shell_clone(sh);
    sub->in_background = true;
    sub->bg_sleep_deferrable = is_plain_sleep(sh, n);
    int pid = sub->bashpid;
    int st = exec_node(sub, n);
    uint64_t ends_at = sub->bg_sleep_ends_ms;
    if (sub->unwind == UW_EXIT || sub->unwind == UW_ERROR) st = sub->exit_status;
    else if (sub->unwind == UW_ABORT) sh->unwind = UW_ABORT;
    sub->unwind = UW_NONE;
    shell_clone_free(sub, sh);
    int number = next_job_number(sh);
    sh->jobs = xrealloc(sh->jobs, (size_t)(sh->njobs + 1) * sizeof *sh->jobs);
    sh->jobs[sh->njobs++] = (Job){pid, st, false, number, ends_at};
    sh->last_bg_pid = pid;
    return 0;
}

int exec_node(Shell *sh, const Node *n) {
    if (!n || sh->unwind != UW_NONE) return sh->status;
    int st = 0;
    switch (n->kind) {
    case N_SIMPLE:
        st = exec_simple(sh, n);
        sh->status = st;
        sh->pipestatus[0] = st;
        sh->npipestatus = 1;
        check_errexit(sh, st);
        return st;
    case N_PIPELINE:
        st = exec_pipeline(sh, n);
        sh->status = st;
        if (!n->u.pipe.bang) check_errexit(sh, st);
        return st;
    case N_AND: case N_OR: {
        sh->errexit_off++;
        st = exec_node(sh, n->u.andor.l);
        sh->errexit_off--;
        sh->status = st;
        if (sh->unwind != UW_NONE) return st;
        if ((n->kind == N_AND) == (st == 0)) {
            st = exec_node(sh, n->u.andor.r);
            sh->status = st;
        }
        return st;
    }
    case N_LIST:
        for (int i = 0; i < n->u.list.n && sh->unwind == UW_NONE; i++) {
            if (n->u.list.bg[i]) st = exec_background(sh, n->u.list.items[i]);
            else st = exec_node(sh, n->u.list.items[i]);
            sh->status = st;
        }
        return st;
    case N_FUNCDEF: {
        FuncDef *old = func_get(sh, n->u.func.name);
        if (old && old->readonly) {
            shell_error_line(sh, n->line, "%s: readonly function", n->u.func.name);
            sh->status = 1;
            return 1;
        }
        func_set(sh, n->u.func.name, n->u.func.body, n->u.func.arena, n->u.func.src);
        sh->status = 0;
        return 0;
    }
    default:
        st = exec_with_redirs(sh, n);
        sh->status = st;
        if (n->kind == N_SUBSHELL || n->kind == N_ARITH || n->kind == N_COND) {
            sh->pipestatus[0] = st;
            sh->npipestatus = 1;
        }
        if (n->kind == N_SUBSHELL || n->kind == N_ARITH || n->kind == N_COND) check_errexit(sh, st);
        return st;
    }
}

/* ---------- scripts ---------- */

static const char *alias_hook(void *ctx, const char *name) {
    Shell *sh = ctx;
    return sh->opt.expand_aliases ? alias_get(sh, name) : NULL;
}

static bool extglob_hook(void *ctx) { return ((Shell *)ctx)->opt.extglob; }

static void print_warnings(Shell *sh, Parser *p) {
    StrBuf w;
    sb_init(&w);
    if (parser_take_warnings(p, &w)) {
        const char *s = w.s;
        while (*s) {
            const char *e = strchr(s, '\n');
            StrBuf line;
            sb_init(&line);
            error_prefix(sh, &line, 0);
            sb_put(&line, s, (size_t)(e - s) + 1);
            sh_write(sh, 2, line.s, line.len);
            sb_free(&line);
            s = e + 1;
        }
    }
    sb_free(&w);
}

/* The "NAME: " (or "NAME: SOURCE: ") before a syntax error's two lines. */
static void syntax_error_prefix(Shell *sh, StrBuf *b, bool eval) {
    const char *pfx = (sh->source_is_c || !sh->source_name) ? sh->name : sh->source_name;
    if (eval) sb_printf(b, "%s: eval: ", pfx);
    else if (sh->source_is_c) sb_printf(b, "%s: %s: ", sh->name, sh->source_name ? sh->source_name : "-c");
    else sb_printf(b, "%s: ", pfx);
}

/* The parser's error as bash prints it: the message, then (with_source)
 * the offending source line, each after the prefix. */
static void print_syntax_error(Shell *sh, Parser *p, bool eval, bool with_source) {
    const char *msg = parser_error(p);
    const char *nl = strchr(msg, '\n');
    StrBuf b;
    sb_init(&b);
    syntax_error_prefix(sh, &b, eval);
    if (nl) {
        sb_put(&b, msg, (size_t)(nl - msg));
        if (with_source) {
            sb_putc(&b, '\n');
            syntax_error_prefix(sh, &b, eval);
            sb_puts(&b, nl + 1);
        }
    } else {
        sb_puts(&b, msg);
    }
    sb_putc(&b, '\n');
    sh_write(sh, 2, b.s, b.len);
    sb_free(&b);
}

static int exec_source(Shell *sh, const char *src, size_t len, const char *name, bool is_c, bool eval);

int exec_script(Shell *sh, const char *src, size_t len, const char *name, bool is_c) {
    return exec_source(sh, src, len, name, is_c, false);
}

int exec_eval(Shell *sh, const char *src, size_t len) {
    return exec_source(sh, src, len, NULL, false, true);
}

static int exec_source(Shell *sh, const char *src, size_t len, const char *name, bool is_c, bool eval) {
    Arena *a = arena_new();
    ParserHooks hooks = {sh, alias_hook, extglob_hook, false};
    /* bash reads a final newline into every script: it decides the line of
     * end-of-file errors and lets a trailing `cmd >` see `newline` */
    char *owned = NULL;
    if (len && src[len - 1] != '\n') {
        owned = xmalloc(len + 2);
        memcpy(owned, src, len);
        owned[len++] = '\n';
        owned[len] = 0;
        src = owned;
    }
    int first = sh->first_line > 0 ? sh->first_line : 1;
    sh->first_line = 0;
    Parser *p = parser_new(a, src, len, first, &hooks);
    const char *saved_name = sh->source_name;
    bool saved_c = sh->source_is_c;
    if (name) { sh->source_name = name; sh->source_is_c = is_c; }
    int st = 0;
    bool ran = false;
    sh->script_depth++;
    for (;;) {
        bool err = false;
        size_t start = parser_pos(p);
        Node *n = parser_next(p, &err);
        print_warnings(sh, p);
        if (sh->opt.verbose && !sh->in_trap) {
            size_t end = parser_pos(p);
            while (start < end && src[start] == '\n') start++;
            if (end > start) sh_write(sh, 2, src + start, end - start);
        }
        if (err) {
            /* bash goes on after an error in an a=(...) list, at the next
             * line with status 1; under set -e it stops as for any other,
             * and prints only the message line */
            bool recover = parser_error_recoverable(p) && !sh->opt.errexit;
            print_syntax_error(sh, p, eval, !parser_error_recoverable(p) || recover);
            if (recover) {
                parser_recover(p);
                st = sh->status = 1;
                continue;
            }
            st = 2;
            if (parser_error_in_cond(p) && sh->source_is_c && !sh->in_eval) st = 0;
            sh->status = st;
            if (sh->unwind == UW_NONE && sh->script_depth == 1 && !sh->in_eval) { sh->unwind = UW_EXIT; sh->exit_status = st; }
            break;
        }
        if (!n) break;
        ran = true;
        if (sh->opt.noexec) continue;
        st = exec_node(sh, n);
        if (sh->unwind == UW_ERROR && sh->script_depth == 1 && sh->subshell_level == 0) {
            sh->unwind = UW_NONE;
            st = sh->status = 1;
            continue;
        }
        if (sh->unwind != UW_NONE) break;
    }
    sh->script_depth--;
    (void)ran;
    parser_free(p);
    arena_unref(a);
    free(owned);
    sh->source_name = saved_name;
    sh->source_is_c = saved_c;
    return st;
}

/* Runs a script file named by a path (a command containing '/'). */
int run_script_file(Shell *sh, char *const *argv, int argc) {
    struct stat stt;
    const char *path = argv[0];
    if (stat(path, &stt) != 0) {
        shell_errorf(sh, "%s: No such file or directory", path);
        return 127;
    }
    if (S_ISDIR(stt.st_mode)) {
        shell_errorf(sh, "%s: Is a directory", path);
        return 126;
    }
    if (access(path, X_OK) != 0) {
        shell_errorf(sh, "%s: Permission denied", path);
        return 126;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        shell_errorf(sh, "%s: Permission denied", path);
        return 126;
    }
    StrBuf src;
    sb_init(&src);
    char buf[8192];
    size_t r;
    while ((r = fread(buf, 1, sizeof buf, f)) > 0) sb_put(&src, buf, r);
    fclose(f);
    const char *s = sb_cstr(&src);
    if (s[0] == '#' && s[1] == '!') {
        /* #!/usr/bin/env python3 and friends: dispatch to the named command */
        const char *e = strchr(s, '\n');
        char *line = xstrndup(s + 2, e ? (size_t)(e - s - 2) : strlen(s + 2));
        char *prog = strtok(line, " \t");
        char *arg = strtok(NULL, " \t");
        const char *base = prog ? strrchr(prog, '/') : NULL;
        base = base ? base + 1 : prog;
        if (base && !strcmp(base, "env") && arg) base = arg;
        if (base && strcmp(base, "bash") && strcmp(base, "sh") && strcmp(base, "dash") && strcmp(base, "wasmsh")) {
            StrList av;
            sl_init(&av);
            sl_push_copy(&av, base);
            for (int i = 0; i < argc; i++) sl_push_copy(&av, argv[i]);
            free(line);
            sb_free(&src);
            int st = exec_argv(sh, av.v, (int)av.n);
            sl_free(&av);
            return st;
        }
        free(line);
    }
    Shell *sub = shell_new_child(sh);
    for (int i = 0; i < sub->npos; i++) free(sub->pos[i]);
    free(sub->pos);
    sub->pos = xmalloc((size_t)argc * sizeof *sub->pos + sizeof *sub->pos);
    for (int i = 1; i < argc; i++) sub->pos[i - 1] = xstrdup(argv[i]);
    sub->npos = argc - 1;
    free(sub->arg0);
    sub->arg0 = xstrdup(path);
    sub->script_name = path;
    sub->source_is_c_top = false;
    /* a new shell: no functions or non-exported variables in bash, but keeping
     * them is harmless and cheap; only the positional parameters change */
    int st = exec_script(sub, src.s ? src.s : "", src.len, path, false);
    if (sub->unwind == UW_EXIT || sub->unwind == UW_ERROR) st = sub->exit_status;
    else if (sub->unwind == UW_ABORT) sh->unwind = UW_ABORT;
    sub->unwind = UW_NONE;
    shell_clone_free(sub, sh);
    sb_free(&src);
    return st;
}

/* $(< file) reads the file without running anything. Returns false if src is
 * not of that form. */
static bool read_file_subst(Shell *sh, const char *src, size_t len, char **out, int *st) {
    size_t i = 0;
    while (i < len && (src[i] == ' ' || src[i] == '\t' || src[i] == '\n')) i++;
    if (i >= len || src[i] != '<' || (i + 1 < len && (src[i + 1] == '<' || src[i + 1] == '(' || src[i + 1] == '&'))) return false;
    Arena *a = arena_new();
    StrBuf err;
    sb_init(&err);
    Node *n = parse_all(a, src, len, sh->lineno, NULL, &err);
    bool ok = n && n->kind == N_SIMPLE && n->u.simple.nwords == 0 && n->u.simple.nassigns == 0 && n->redirs &&
              !n->redirs->next && n->redirs->op == R_IN && n->redirs->fd < 0;
    if (ok) {
        char *path = NULL;
        *st = 1;
        StrBuf data;
        sb_init(&data);
        if (expand_redir_target(sh, n->redirs->target, &path) == 0) {
            int e = 0;
            Stream *s = open_path_stream(sh, path, O_RDONLY, 0, &e);
            if (!s) shell_errorf(sh, "%s: %s", path, strerror(e));
            else {
                char buf[8192];
                ssize_t r;
                while ((r = stream_read(sh, s, buf, sizeof buf)) > 0) sb_put(&data, buf, (size_t)r);
                stream_unref(sh, s);
                *st = 0;
            }
        }
        free(path);
        size_t m = data.len;
        while (m > 0 && data.s[m - 1] == '\n') m--;
        *out = xstrndup(data.s ? data.s : "", m);
        sb_free(&data);
    }
    sb_free(&err);
    arena_unref(a);
    return ok;
}

/* $( ... ): runs in a subshell copy whose stdout is a buffer. */
int command_subst(Shell *sh, const char *src, size_t len, char **out) {
    int fst = 0;
    if (sh->run->lim.max_depth && sh->run->depth >= sh->run->lim.max_depth) {
        budget_stop(sh, "depth", "command substitution nesting limit exceeded");
        *out = xstrdup("");
        return SHELL_STATUS_BUDGET;
    }
    if (read_file_subst(sh, src, len, out, &fst)) {
        sh->status = fst;
        sh->cmdsubst_ran = true;
        sh->cmdsubst_status = fst;
        return fst;
    }
    Shell *sub = shell_clone(sh);
    if (!sh->opt.inherit_errexit) sub->opt.errexit = false;
    Stream *buf = stream_new(ST_BUFFER);
    buf->writable = true;
    stream_unref(sub, sub->fds[1]);
    sub->fds[1] = stream_ref(buf);
    sub->in_cmdsubst++;
    sub->subshell_level = sh->subshell_level + 1;
    int line = sh->lineno;
    sh->run->depth++;
    int st = exec_script(sub, src, len, NULL, false);
    sh->run->depth--;
    if (sub->unwind == UW_EXIT || sub->unwind == UW_ERROR) st = sub->exit_status;
    else if (sub->unwind == UW_SIGPIPE) st = SHELL_STATUS_SIGPIPE;
    else if (sub->unwind == UW_ABORT) { st = sh->run->stop_status; sh->unwind = UW_ABORT; }
    sub->unwind = UW_NONE;
    shell_clone_free(sub, sh);
    sh->lineno = line;
    size_t n = buf->data.len;
    if (n && memchr(buf->data.s, 0, n)) {
        /* bash drops NUL bytes with a warning */
        size_t w = 0;
        for (size_t i = 0; i < n; i++)
            if (buf->data.s[i]) buf->data.s[w++] = buf->data.s[i];
        n = w;
        shell_errorf(sh, "warning: command substitution: ignored null byte in input");
    }
    while (n > 0 && buf->data.s[n - 1] == '\n') n--;
    *out = xstrndup(buf->data.s ? buf->data.s : "", n);
    stream_unref(sh, buf);
    sh->status = st;
    sh->cmdsubst_ran = true;
    sh->cmdsubst_status = st;
    return st;
}
