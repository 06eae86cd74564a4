/* pipeline.c - pipelines without processes or threads.
 *
 * Stages run one after another, left to right. A stage whose command is a
 * utility with push operations is not run on its own: it is started first and
 * fed synchronously by the writes of the stage before it, so `yes | head -n 3`
 * ends as soon as head has its lines (the producer sees EPIPE and stops with
 * status 141). Any other stage reads the previous stage's output from an
 * in-memory buffer once that stage has finished. */
#include "state.h"
#include "util.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

typedef struct Stage {
    const Node *node;
    Stream *push;     /* non-NULL: a push stage */
    Stream *in;       /* for pulled stages: what they read */
    int status;
    bool done;
} Stage;

/* A literal first word naming a push-capable utility, with no function or
 * builtin of that name and no stdin redirection. */
/* Prefix assignments a streaming stage can take as an environment overlay:
 * plain NAME=value (no arrays, no +=, no $ or ` in the value: the stage runs
 * in the shell itself, where an expansion's side effect or error would not
 * stay in a subshell) to a writable variable other than PATH (which would
 * change what the command word finds); with xtrace the normal path runs,
 * which traces them as bash does. */
static bool overlay_assignments(Shell *sh, const Node *n) {
    if (n->u.simple.nassigns && sh->opt.xtrace) return false;
    for (int i = 0; i < n->u.simple.nassigns; i++) {
        const char *aw = n->u.simple.assigns[i];
        size_t pl = assignment_prefix_len(aw);
        if (pl < 2 || aw[pl - 2] == '+' || aw[pl] == '(' || memchr(aw, '[', pl) || strpbrk(aw + pl, "$`"))
            return false;
        if (pl == 5 && !strncmp(aw, "PATH", 4)) return false;
        char *nm = xstrndup(aw, pl - 1);
        Var *v = var_lookup_raw(sh, nm);
        free(nm);
        if (v && (v->flags & (V_READONLY | V_NAMEREF | V_ARRAY | V_ASSOC))) return false;
    }
    return true;
}

static const UtilDef *push_candidate(Shell *sh, const Node *n, void **data) {
    if (n->kind != N_SIMPLE || n->u.simple.nwords == 0 || !overlay_assignments(sh, n)) return NULL;
    const char *w = n->u.simple.words[0];
    if (strpbrk(w, "$`'\"\\{*?[~")) return NULL;
    for (const Redir *r = n->redirs; r; r = r->next) {
        bool input = r->op == R_IN || r->op == R_DUPIN || r->op == R_HEREDOC || r->op == R_HERESTR || r->op == R_RDWR;
        if ((r->fd < 0 && input) || r->fd == 0 || r->fd_var) return NULL;
    }
    const UtilDef *d = sh_util_lookup(sh, w, data);
    if (!d || !d->push) return NULL;
    bool special;
    if (func_get(sh, w) || builtin_lookup(w, &special)) return NULL;
    return d;
}

/* Simple commands that cannot change shell state run without a copy. */
static bool runs_in_place(Shell *sh, const Node *n) {
    if (n->kind != N_SIMPLE || n->u.simple.nwords == 0 || n->u.simple.nassigns) return false;
    const char *w = n->u.simple.words[0];
    if (strpbrk(w, "$`'\"\\{*?[~")) return false;
    if (func_get(sh, w)) return false;
    static const char *const pure[] = {"echo", "printf", "true", "false", ":", "test", "[", "pwd", "type", NULL};
    for (int i = 0; pure[i]; i++)
        if (!strcmp(w, pure[i])) return strcmp(w, "printf") != 0 || n->u.simple.nwords < 2 ||
                                            strcmp(n->u.simple.words[1], "-v") != 0;
    bool special;
    if (builtin_lookup(w, &special)) return false;
    return sh_util_lookup(sh, w, NULL) != NULL;
}

static int run_stage(Shell *sh, Stage *st, Stream *out, bool stderr_too, bool last) {
    const Node *n = st->node;
    if (runs_in_place(sh, n) || (last && sh->opt.lastpipe)) {
        RedirUndo undo = {0};
        fd_set_stream(sh, 0, stream_ref(st->in), &undo);
        fd_set_stream(sh, 1, stream_ref(out), &undo);
        if (stderr_too) fd_set_stream(sh, 2, stream_ref(out), &undo);
        int errexit_saved = sh->errexit_off;
        sh->errexit_off++;
        int s = exec_node(sh, n);
        sh->errexit_off = errexit_saved;
        redir_undo(sh, &undo);
        if (sh->unwind == UW_SIGPIPE) { sh->unwind = UW_NONE; s = SHELL_STATUS_SIGPIPE; }
        else if (sh->unwind == UW_EXIT) { sh->unwind = UW_NONE; s = sh->exit_status; }
        return s;
    }
    Shell *sub = shell_clone(sh);
    stream_unref(sub, sub->fds[0]);
    sub->fds[0] = stream_ref(st->in);
    stream_unref(sub, sub->fds[1]);
    sub->fds[1] = stream_ref(out);
    if (stderr_too) {
        stream_unref(sub, sub->fds[2]);
        sub->fds[2] = stream_ref(out);
    }
    int s = exec_node(sub, n);
    if (sub->unwind == UW_EXIT || sub->unwind == UW_ERROR) s = sub->exit_status;
    else if (sub->unwind == UW_SIGPIPE) s = SHELL_STATUS_SIGPIPE;
    else if (sub->unwind == UW_ABORT) { s = sh->run->stop_status; sh->unwind = UW_ABORT; }
    sub->unwind = UW_NONE;
    shell_clone_free(sub, sh);
    return s;
}

/* `time`: bash's report format, from wall-clock and CPU time. */
static void report_time(Shell *sh, const Node *n, uint64_t t0_ms, clock_t c0) {
    double real = (double)(now_ms_of(sh) - t0_ms) / 1000.0;
    double user = (double)(clock() - c0) / CLOCKS_PER_SEC;
    StrBuf b;
    sb_init(&b);
    if (n->u.pipe.timed_posix) {
        sb_printf(&b, "real %.2f\nuser %.2f\nsys %.2f\n", real, user, 0.0);
    } else {
        sb_printf(&b, "\nreal\t%dm%.3fs\nuser\t%dm%.3fs\nsys\t0m0.000s\n", (int)(real / 60), real - 60 * (int)(real / 60),
                  (int)(user / 60), user - 60 * (int)(user / 60));
    }
    sh_write(sh, 2, b.s, b.len);
    sb_free(&b);
}

static void set_pipestatus(Shell *sh, const Stage *stages, int n) {
    sh->npipestatus = n < 1024 ? n : 1024;
    for (int i = 0; i < sh->npipestatus; i++) sh->pipestatus[i] = stages[i].status;
    sh->pipestatus_set = true;
}

int exec_pipeline(Shell *sh, const Node *n) {
    int count = n->u.pipe.n;
    uint64_t t0 = now_ms_of(sh);
    clock_t c0 = clock();
    if (count == 0) {
        if (n->u.pipe.timed) report_time(sh, n, t0, c0);
        return n->u.pipe.bang ? 1 : 0;
    }
    if (count == 1) {
        /* `! cmd` or `time cmd` */
        sh->errexit_off += n->u.pipe.bang;
        int st = exec_node(sh, n->u.pipe.cmds[0]);
        sh->errexit_off -= n->u.pipe.bang;
        Stage one = {.status = st};
        set_pipestatus(sh, &one, 1);
        if (n->u.pipe.timed) report_time(sh, n, t0, c0);
        return n->u.pipe.bang ? !st : st;
    }
    Stage *stages = xcalloc((size_t)count, sizeof *stages);
    for (int i = 0; i < count; i++) stages[i].node = n->u.pipe.cmds[i];
    /* Right to left: decide where each stage's output goes. */
    Stream **outs = xcalloc((size_t)count, sizeof *outs);
    outs[count - 1] = stream_ref(sh->fds[1]);
    for (int i = count - 1; i >= 1; i--) {
        void *data = NULL;
        const UtilDef *d = push_candidate(sh, stages[i].node, &data);
        if (d) {
            StrList argv;
            sl_init(&argv);
            const Node *sn = stages[i].node;
            if (expand_words(sh, sn->u.simple.words, sn->u.simple.nwords, &argv) == 0 && argv.n) {
                if (sh->opt.xtrace) {
                    StrBuf tb;
                    sb_init(&tb);
                    for (size_t k = 0; k < argv.n; k++) { if (k) sb_putc(&tb, ' '); sb_puts(&tb, argv.v[k]); }
                    xtrace_line(sh, sb_cstr(&tb));
                    sb_free(&tb);
                }
                RedirUndo undo = {0};
                fd_set_stream(sh, 1, stream_ref(outs[i]), &undo);
                if (i < count - 1 && n->u.pipe.stderr_too[i]) fd_set_stream(sh, 2, stream_ref(outs[i]), &undo);
                int status = -1, rst = 0;
                for (const Redir *r = sn->redirs; r && !rst; r = r->next) rst = redir_apply(sh, r, &undo);
                StrList env;
                sl_init(&env);
                if (!rst && prefix_assignment_env(sh, sn, &env)) rst = 1;
                Stream *ps = rst ? NULL : push_stream_new(sh, d, data, (int)argv.n, argv.v, &env, &status);
                sl_free(&env);
                if (rst) status = rst;
                redir_undo(sh, &undo);
                if (ps) {
                    stages[i].push = ps;
                    outs[i - 1] = stream_ref(ps);
                    sl_free(&argv);
                    continue;
                }
                if (status >= 0) {
                    /* finished during start (usage error): later writes are dropped */
                    stages[i].status = status;
                    stages[i].done = true;
                    Stream *closed = stream_new(ST_PUSH);
                    closed->closed = true;
                    outs[i - 1] = closed;
                    sl_free(&argv);
                    continue;
                }
            }
            sl_free(&argv);
        }
        Stream *buf = stream_new(ST_BUFFER);
        buf->readable = buf->writable = true;
        buf->is_pipe = true;
        stages[i].in = buf;
        outs[i - 1] = stream_ref(buf);
    }
    stages[0].in = stream_ref(sh->fds[0]);
    for (int i = 0; i < count; i++) {
        if (stages[i].done) continue;
        if (stages[i].push) {
            /* always finished, even after a budget stop, so its state is freed */
            int pst = push_stream_finish(sh, stages[i].push);
            stages[i].status = sh->unwind == UW_ABORT ? sh->run->stop_status : pst;
            continue;
        }
        if (sh->unwind == UW_ABORT) { stages[i].status = sh->run->stop_status; continue; }
        bool err_too = i < count - 1 && n->u.pipe.stderr_too[i];
        stages[i].status = run_stage(sh, &stages[i], outs[i], err_too, i == count - 1);
        /* release what this stage wrote into, so >(..) and buffers settle */
    }
    for (int i = 0; i < count; i++) {
        stream_unref(sh, outs[i]);
        stream_unref(sh, stages[i].in);
        stream_unref(sh, stages[i].push);
    }
    free(outs);
    set_pipestatus(sh, stages, count);
    int st = stages[count - 1].status;
    if (sh->opt.pipefail)
        for (int i = count - 1; i >= 0; i--)
            if (stages[i].status) { st = stages[i].status; break; }
    free(stages);
    if (n->u.pipe.timed) report_time(sh, n, t0, c0);
    return n->u.pipe.bang ? !st : st;
}
