/* state.h - the shell's internal state and the API between its modules:
 * variables (vars.c), streams and virtual fds (io.c), expansion (expand.c),
 * execution (exec.c, pipeline.c, redir.c) and builtins (builtins*.c).
 * Hosts use shell.h, never this header. */
#ifndef WASMSH_STATE_H
#define WASMSH_STATE_H

#include "ast.h"
#include "common.h"
#include "shell.h"

#include <sys/types.h>

#define SH_MAXFD 256

/* ---------- variables (vars.c) ---------- */

enum {
    V_EXPORT = 1, V_READONLY = 2, V_INTEGER = 4, V_LOWER = 8, V_UPPER = 16,
    V_NAMEREF = 32, V_ARRAY = 64, V_ASSOC = 128, V_TRACE = 256, V_CAPITAL = 512,
    V_LOCAL = 1024,
};

typedef struct ArrayElem {
    int64_t idx;
    char *val;
} ArrayElem;

/* Indexed arrays: sorted by index, shared copy-on-write between subshells. */
typedef struct IndexedArray {
    int refs;
    ArrayElem *e;
    size_t n, cap;
} IndexedArray;

typedef struct AssocEntry {
    char *key, *val;
    uint32_t hash;
    struct AssocEntry *next;
} AssocEntry;

/* Associative arrays use bash's bucket layout so keys iterate in bash's order. */
typedef struct AssocArray {
    int refs;
    AssocEntry **b;
    size_t nb, n;
} AssocArray;

typedef struct Var {
    char *name;
    int flags;
    char *value;          /* scalar value; NULL = declared but unset */
    IndexedArray *arr;    /* V_ARRAY */
    AssocArray *assoc;    /* V_ASSOC */
    struct Var *next;     /* hash chain */
} Var;

typedef struct VarTable {
    Var **b;
    size_t nb, n;
} VarTable;

typedef struct Scope {
    VarTable vars;
    struct Scope *up;
} Scope;

typedef struct FuncDef {
    int refs;
    bool exported; /* export -f: a child shell (bash -c, scripts) gets it */
    bool readonly; /* readonly -f */
    char *name;
    Node *body;
    Arena *arena;
    char *src;
    struct FuncDef *next;
} FuncDef;

typedef struct Alias {
    char *name, *value;
    struct Alias *next;
} Alias;

/* ---------- streams (io.c) ---------- */

typedef enum {
    ST_HOST_OUT, ST_HOST_IN, ST_FILE, ST_BUFFER, ST_PUSH, ST_NULL, ST_ZERO, ST_RANDOM,
} StreamKind;

typedef struct PushStage PushStage;

typedef struct Stream {
    int refs;
    StreamKind kind;
    int fd;            /* ST_FILE: libc fd; ST_HOST_*: host fd number */
    bool readable, writable;
    StrBuf data;       /* ST_BUFFER contents; ST_FILE/HOST_IN read-ahead */
    size_t rpos;       /* read position in data */
    bool closed;       /* ST_PUSH: the consumer wants no more */
    bool is_pipe;      /* ST_BUFFER between pipeline stages: bounded by max_pipe_buffer */
    bool overflowed;   /* is_pipe: the writer was stopped at the bound */
    PushStage *push;
    char *path;        /* for messages */
} Stream;

Stream *stream_new(StreamKind k);
Stream *stream_ref(Stream *s);
void stream_unref(Shell *sh, Stream *s);
ssize_t stream_read(Shell *sh, Stream *s, void *buf, size_t n);
/* Reads one byte; -1 at EOF. */
int stream_getc(Shell *sh, Stream *s);
int stream_write(Shell *sh, Stream *s, const void *buf, size_t n);
void shell_flush(Shell *sh);

/* ---------- run context: budgets shared by a shell and its subshell copies ---------- */

typedef struct RunCtx {
    ShellLimits lim;
    uint64_t steps;
    uint64_t start_ms, deadline_ms;
    /* timeout(1): the innermost command deadline (0 = none); passing it
     * stops the run like the main deadline, but silently, and
     * uc_run_with_deadline turns it back into the command's status 124 */
    uint64_t cmd_deadline_ms;
    uint64_t out_bytes;
    uint64_t mem;
    bool truncated;
    const char *stop_reason;
    int stop_status;
    /* buffered host output */
    StrBuf outbuf;
    int outfd;
    uint32_t depth;
    /* uc_random draws counted here, shared by the run's subshells, so two
     * $(mktemp) in a row do not repeat each other's names */
    uint64_t rand_draws;
} RunCtx;

/* ---------- commands added by the embedder (shell_add_command) ---------- */

typedef struct ExtraCommand {
    const struct UtilDef *def;
    void *data;
} ExtraCommand;

/* Shared by a shell and all its copies and child shells; freed with the last. */
typedef struct CommandTable {
    int refs;
    ExtraCommand *v;
    size_t n;
} CommandTable;

/* ---------- the shell ---------- */

/* UW_ERROR: an expansion error; bash abandons the current top-level command
 * (or the subshell) and goes on with the next one, status 1. */
enum { UW_NONE, UW_BREAK, UW_CONTINUE, UW_RETURN, UW_EXIT, UW_ABORT, UW_SIGPIPE, UW_ERROR };

typedef struct ShellOpts {
    bool errexit, nounset, xtrace, pipefail, noglob, noclobber, allexport, noexec,
        verbose, errtrace, functrace, hashall, monitor, notify, onecmd, posix,
        ignoreeof, keyword, physical, privileged, emacs, vi, braceexpand, histexpand, history, interactive_comments;
    /* shopt */
    bool nullglob, failglob, dotglob, nocaseglob, globstar, extglob, nocasematch,
        expand_aliases, lastpipe, xpg_echo, inherit_errexit, globasciiranges, sourcepath,
        extquote, promptvars, shift_verbose, patsub_replacement, cmdhist, checkwinsize,
        localvar_inherit, nolog;
    /* shopt names bash has that change nothing here */
    bool autocd, assoc_expand_once, cdable_vars, cdspell, checkhash, checkjobs, compat31, compat32, compat40,
        compat41, compat42, compat43, compat44, complete_fullquote, direxpand, dirspell, execfail, extdebug,
        force_fignore, globskipdots, gnu_errfmt, histappend, histreedit, histverify, hostcomplete, huponexit,
        lithist, localvar_unset, login_shell, mailwarn, no_empty_cmd_completion, noexpand_translation, progcomp,
        progcomp_alias, restricted_shell, varredir_close, shopt_interactive_comments;
} ShellOpts;

typedef struct CallFrame {
    const char *funcname;
    const char *source;
    int call_line;
} CallFrame;

typedef struct Job {
    int pid;
    int status;
    bool waited;
    int number; /* %N: one more than the highest of the jobs still running or not waited for */
    /* A `sleep N &` job is not slept at once: it runs until this time
     * (now_ms_of; UINT64_MAX: sleep infinity), which wait waits for and kill
     * ends. 0 for every other job, which ran to completion at once. */
    uint64_t ends_at_ms;
} Job;

struct Shell {
    ShellHost host;
    char *name;          /* for messages: "bash", "wasmsh" */
    RunCtx *run;
    bool owns_run;
    VarTable globals;
    Scope *scope;        /* innermost function scope, NULL at top level */
    FuncDef **funcs;
    size_t nfuncs_b;
    Alias *aliases;
    char **pos;          /* positional parameters $1.. */
    int npos;
    char *arg0;
    int status;          /* $? */
    int last_bg_pid;
    int next_pid;
    int pid;             /* $$ */
    int bashpid;
    ShellOpts opt;
    char *traps[70];     /* 0 = EXIT, 1..64 signals, 65 ERR, 66 DEBUG, 67 RETURN */
    bool in_trap;
    Stream *fds[SH_MAXFD];
    int fd_cloexec_from; /* fds >= this opened by {var} */
    char *cwd;
    int unwind, unwind_n;
    bool exited;
    int exit_status;
    int loop_depth;
    int func_depth;
    int subshell_level;
    bool in_background;  /* inside an `&` job (run to completion at once): uc_in_background */
    bool bg_sleep_deferrable; /* this `&` job is a plain `sleep N`: uc_defer_sleep may take it */
    uint64_t bg_sleep_ends_ms; /* ... and when it took it, the job's end (else 0) */
    int source_depth;
    int script_depth;
    bool source_is_c_top;   /* the run is a -c string: no "main" frame */
    bool source_is_stdin_top; /* the top-level script came from stdin (bash -s) */
    const char *script_name;
    const char *cmd_prefix; /* "declare: " while a builtin assigns */
    int xtrace_fd;
    int lineno;
    const char *source_name; /* "-c" style name for syntax errors, or script path */
    bool source_is_c;
    CallFrame *frames;
    int nframes, frames_cap;
    StrList dirstack;
    uint32_t rand_state;
    int errexit_off;     /* >0 where set -e is ignored (conditions, && lhs, !) */
    int pipestatus[1024];
    int npipestatus;
    Job *jobs;
    int njobs;
    char *last_arg;      /* $_ */
    uint64_t start_time;
    int getopts_sp;      /* position inside a clustered option */
    int in_cmdsubst;
    bool restore_cwd_pending;
    int umask_value;  /* set with sh_apply_umask */
    int niceness;     /* uc_niceness */
    StrList hash_names;   /* "hits path" pairs: name, then path, then hit count */
    StrList disabled;     /* builtins turned off with enable -n */
    char *bash_command;   /* $BASH_COMMAND */
    int first_line;       /* line number the next exec_script starts at */
    int in_eval;          /* eval/source nesting: syntax errors there are not fatal */
    bool cmdsubst_ran;    /* a command substitution ran while expanding this command */
    int cmdsubst_status;
    int procsubst_fds[32]; /* fds opened by <( ) / >( ) for the command being run */
    int nprocsubst;
    int funcnest_limit;
    bool pipestatus_set;
    bool local_opts;
    CommandTable *extra;  /* shell_add_command; NULL when none */
    bool arith_failed;    /* a subscript inside an arithmetic expression was bad */      /* `local -` ran in this function: options restored on return */  /* the last pipeline recorded PIPESTATUS itself */
};

/* ---------- vars.c ---------- */
void vt_init(VarTable *t);
void vt_free(VarTable *t);
void vt_copy(VarTable *dst, const VarTable *src);
Var *var_lookup(Shell *sh, const char *name);          /* follows namerefs */
Var *var_lookup_raw(Shell *sh, const char *name);      /* no nameref resolution */
Var *var_create(Shell *sh, const char *name, bool local); /* in the current scope */
/* True when LC_ALL / LC_CTYPE / LANG name a UTF-8 locale (bash's character semantics). */
bool locale_utf8(Shell *sh);
const char *var_get(Shell *sh, const char *name);      /* scalar (element 0 of arrays), NULL if unset */
/* Sets a scalar; returns 0, or 1 after reporting a readonly error. */
int var_set(Shell *sh, const char *name, const char *value);
int var_set_flags(Shell *sh, const char *name, const char *value, int flags);
int var_assign(Shell *sh, Var *v, const char *value, bool append);
int var_unset(Shell *sh, const char *name);
bool var_is_set(Shell *sh, const char *name);
/* Arrays */
IndexedArray *arr_new(void);
IndexedArray *arr_own(Var *v);                          /* make writable (COW) */
const char *arr_get(const IndexedArray *a, int64_t idx);
void arr_set(IndexedArray *a, int64_t idx, const char *val);
void arr_unset(IndexedArray *a, int64_t idx);
void arr_clear(IndexedArray *a);
int64_t arr_max_index(const IndexedArray *a);
void arr_unref(IndexedArray *a);
AssocArray *assoc_new(void);
AssocArray *assoc_own(Var *v);
const char *assoc_get(const AssocArray *a, const char *key);
void assoc_set(AssocArray *a, const char *key, const char *val);
void assoc_unset(AssocArray *a, const char *key);
void assoc_unref(AssocArray *a);
/* Keys in bash's order (owned strings appended to out). */
void assoc_keys(const AssocArray *a, StrList *out);
void var_make_array(Shell *sh, Var *v);
void var_make_assoc(Shell *sh, Var *v);
/* Element access by subscript text (already expanded): handles indexed/assoc/scalar. */
const char *var_get_elem(Shell *sh, Var *v, const char *sub, bool *bad);
int var_set_elem(Shell *sh, const char *name, const char *sub, const char *value, bool append);
/* Values of an array or scalar as a list ("${a[@]}"). */
void var_values(Shell *sh, Var *v, StrList *out);
void var_indices(Shell *sh, Var *v, StrList *out);
/* Exported variables as K=V (for utilities and host exec). */
void vars_environ(Shell *sh, StrList *out);
void vars_push_scope(Shell *sh);
void vars_pop_scope(Shell *sh);
/* All visible variables, sorted by name, for `set` / `declare -p`. */
void vars_all(Shell *sh, Var ***out, size_t *n);
/* Functions */
FuncDef *func_get(Shell *sh, const char *name);
void func_set(Shell *sh, const char *name, Node *body, Arena *arena, const char *src);
bool func_unset(Shell *sh, const char *name);
void func_unref(FuncDef *f);
void func_release_impl(FuncDef *f);
void funcs_all(Shell *sh, FuncDef ***out, size_t *n);
/* Aliases */
const char *alias_get(Shell *sh, const char *name);
void alias_set(Shell *sh, const char *name, const char *value);
bool alias_unset(Shell *sh, const char *name);
/* Dynamic variables */
bool var_dynamic(Shell *sh, const char *name, StrBuf *out);
bool var_call_stack(Shell *sh, const char *name, StrList *out);
int64_t arith_subscript(Shell *sh, const char *sub, bool *bad);

/* ---------- expand.c ---------- */
/* Full expansion of words into fields (brace, tilde, parameters, command and
 * arithmetic substitution, splitting, globbing, quote removal). Returns 0, or
 * a non-zero status after an expansion error was reported. */
int expand_words(Shell *sh, const char *const *words, int n, StrList *out);
/* Single-string expansion without splitting or globbing (assignments,
 * here-strings, case words, redirection targets when `glob` is false). */
int expand_string(Shell *sh, const char *word, char **out);
/* Redirection target: expansion with globbing that must give one word. */
int expand_redir_target(Shell *sh, const char *word, char **out);
/* A pattern word for case / [[ == ]] / ${v#pat}: quoted parts escaped. */
int expand_pattern(Shell *sh, const char *word, char **out);
/* A regex word for [[ =~ ]]: quoted characters that are special in an ERE get a backslash. */
int expand_regex(Shell *sh, const char *word, char **out);
/* Here-document body with $, ` and \ processing. */
int expand_heredoc(Shell *sh, const char *body, char **out);
/* Assignment value: tilde after = and :, no splitting or globbing. */
int expand_assign_value(Shell *sh, const char *word, char **out);
/* Runs a command substitution body and returns its output with trailing newlines removed. */
int command_subst(Shell *sh, const char *src, size_t len, char **out);
/* The expansion of $'..' and "$@"-style helpers used by builtins */
char *expand_prompt(Shell *sh, const char *s);   /* ${v@P} / PS4 */
int arith_expand_eval(Shell *sh, const char *expr, int64_t *out);
/* The same, with a message prefix such as "((: " or "let: ". */
int arith_eval_prefixed(Shell *sh, const char *expr, int64_t *out, const char *prefix);

/* ---------- exec.c ---------- */
int exec_node(Shell *sh, const Node *n);
int exec_script(Shell *sh, const char *src, size_t len, const char *name, bool is_c_string);
/* eval's text: run as part of the current source (its name stays the
 * script's or -c's); only a syntax error in it is reported as "eval: line N". */
int exec_eval(Shell *sh, const char *src, size_t len);
int exec_argv(Shell *sh, char *const *argv, int argc);  /* run a command by name */
/* exec_argv without shell functions, as a program run by find -exec or xargs. */
int exec_argv_external(Shell *sh, char *const *argv, int argc);
/* Whether exec_argv_external can run name: 0, ENOENT or EACCES. */
int command_resolve(Shell *sh, const char *name);
int exec_function(Shell *sh, FuncDef *f, char *const *argv, int argc);
Shell *shell_clone(Shell *sh);
Shell *shell_new_child(Shell *parent);
void shell_clone_free(Shell *sub, Shell *parent);
int run_subshell_node(Shell *sh, const Node *n);
bool budget_check(Shell *sh);     /* false when the run must stop */
bool budget_poll(Shell *sh);      /* deadline/cancel only, for utilities */
/* Background jobs: whether a deferred `sleep N &` job is still running, and
 * waiting for one (its status, or SHELL_STATUS_BUDGET when the run stops). */
bool job_running(Shell *sh, const Job *j);
int job_wait(Shell *sh, Job *j);
/* The job a kill/wait operand names: a pid, or %N, %% or %+ among the jobs
 * still running or not waited for (NULL if none). */
Job *job_lookup(Shell *sh, const char *spec);
uint64_t now_ms_of(Shell *sh);    /* the host's monotonic clock */
void budget_stop(Shell *sh, const char *reason, const char *message);
void run_trap(Shell *sh, int which);
void shell_errorf(Shell *sh, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void shell_error_line(Shell *sh, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int sh_write(Shell *sh, int fd, const void *buf, size_t n);
int sh_puts(Shell *sh, int fd, const char *s);
void xtrace_line(Shell *sh, const char *text);
int sh_printf(Shell *sh, int fd, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
bool errexit_active(Shell *sh);
void sh_chdir_restore(Shell *sh);

/* ---------- redirections (redir.c) ---------- */
typedef struct RedirSave {
    int fd;
    Stream *old;
} RedirSave;
typedef struct RedirUndo {
    RedirSave *v;
    int n, cap;
} RedirUndo;
int redir_apply(Shell *sh, const Redir *r, RedirUndo *undo);
void redir_undo(Shell *sh, RedirUndo *undo);
void fd_set_stream(Shell *sh, int fd, Stream *s, RedirUndo *undo);
Stream *open_path_stream(Shell *sh, const char *path, int flags, int mode, int *err);

/* ---------- pipeline.c ---------- */
int exec_pipeline(Shell *sh, const Node *n);

/* ---------- builtins ---------- */
typedef int (*BuiltinFn)(Shell *sh, int argc, char **argv);
BuiltinFn builtin_lookup(const char *name, bool *special);
bool builtin_exists(const char *name);
void builtin_names(StrList *out);
int utility_run(Shell *sh, const char *name, int argc, char **argv);
/* A utility by name: the embedder's commands first, then the shell's own
 * (util_lookup). *data (when non-NULL) gets the command's registration data. */
const struct UtilDef *sh_util_lookup(Shell *sh, const char *name, void **data);
CommandTable *command_table_ref(CommandTable *t);
void command_table_unref(CommandTable *t);
/* `declare -p` text of a variable (no newline); with_declare false = `set` style. */
void var_format_decl(Var *v, StrBuf *out, bool with_declare, bool utf8);
void quote_value(StrBuf *b, const char *s, bool utf8);
/* An associative array's key as declare -p and ${m[@]@K} print it: as is, or quote_value's form. */
void quote_key(StrBuf *b, const char *k, bool utf8);

/* ---------- utilities glue (io.c) ---------- */
typedef struct UtilCtx UtilCtx;
struct UtilDef;
UtilCtx *utilctx_new(Shell *sh, const char *name, bool snapshot);
void utilctx_set_data(UtilCtx *c, void *data);
void utilctx_free(UtilCtx *c);
bool utilctx_sigpipe(UtilCtx *c);
/* env: the stage's prefix assignments as NAME=VALUE (NULL if none); they
 * override the shell's exported variables for the utility's whole life. */
Stream *push_stream_new(Shell *sh, const struct UtilDef *def, void *data, int argc, char **argv,
                        const StrList *env, int *status);
int prefix_assignment_env(Shell *sh, const Node *n, StrList *env);
int push_stream_finish(Shell *sh, Stream *s);

/* Makes m the process umask and, in the standalone wasm builds, the mask
 * their MEMFS applies to new files (Emscripten's FS ignores the umask;
 * js/emlib/memfs.js). */
void sh_apply_umask(int m);

#endif
