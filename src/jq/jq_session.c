/* jq_session.c - compiling a program: the builtin prelude, modules
 * (include/import with -L directories), name resolution (the binder), and
 * running the program on inputs. */
#include "jq_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Nesting of jq function calls. Each level costs a few hundred bytes of C
 * stack natively; in wasm it also costs engine stack that C cannot measure,
 * and a browser gives about 1 MB of it. */
#ifdef __EMSCRIPTEN__
#define JQ_DEFAULT_MAX_DEPTH 1000
#define JQ_DEFAULT_MAX_STACK ((size_t)5 << 20)
#else
#define JQ_DEFAULT_MAX_DEPTH 100000
#define JQ_DEFAULT_MAX_STACK ((size_t)6 << 20)
#endif

typedef struct GDef {
    const char *name;
    int arity;
    Node *def;
    int owner; /* 0: visible everywhere; module number: only inside that module */
} GDef;

typedef struct Source {
    JqArena *arena;
    ParseCtx pc;
    char *text;
    char *file;
    struct Source *next;
} Source;

struct JqSession {
    Source *sources;     /* prelude, modules, program (all parsed text and nodes) */
    Node *root;
    GDef *g;
    int ng, capg;
    char **gvar_names;
    Jv *gvals;
    int ngvars;
    JqConfig cfg;
    Jv env;
    StrBuf *errs;
    int nerrs;
    int nmodules;
    int nprelude;     /* globals from the prelude */
};

/* ---------------------------------------------------------------- binder */

typedef struct Scope {
    const struct Scope *up;
    uint8_t kind;       /* R_FRAME_FN, R_FRAME_CLOSURE, R_FRAME_VAR, R_LABEL */
    const char *name;
    int arity;
} Scope;

typedef struct Binder {
    JqSession *s;
    ParseCtx *pc;
    int horizon; /* globals visible: g[0 .. horizon) */
    int owner;
    const char *file;
} Binder;

static void bind(Binder *b, Node *n, const Scope *sc);

static void undefined(Binder *b, const Node *n, const char *fmt, const char *name, int arity, int len) {
    char buf[512];
    snprintf(buf, sizeof buf, fmt, name, arity);
    jq_compile_error(b->pc, n->pos, len, "%s", buf);
}

static void resolve_call(Binder *b, Node *n, const Scope *sc) {
    int up = 0;
    for (const Scope *s = sc; s; s = s->up, up++) {
        if (s->kind == R_FRAME_FN && s->arity == n->nargs && !strcmp(s->name, n->name)) {
            n->rkind = R_FRAME_FN;
            n->up = up;
            return;
        }
        if (s->kind == R_FRAME_CLOSURE && n->nargs == 0 && !strcmp(s->name, n->name)) {
            n->rkind = R_FRAME_CLOSURE;
            n->up = up;
            return;
        }
    }
    for (int i = b->horizon; i-- > 0;) {
        GDef *g = &b->s->g[i];
        if (g->owner && g->owner != b->owner) continue;
        if (g->arity == n->nargs && !strcmp(g->name, n->name)) {
            n->rkind = R_GLOBAL_FN;
            n->def = g->def;
            return;
        }
    }
    int k = jq_native_find(n->name, n->nargs);
    if (k >= 0) {
        n->rkind = R_NATIVE;
        n->native = k;
        return;
    }
    undefined(b, n, "%s/%d is not defined", n->name, n->nargs, (int)strlen(n->name));
}

static void resolve_var(Binder *b, Node *n, const Scope *sc) {
    int up = 0;
    for (const Scope *s = sc; s; s = s->up, up++) {
        if (s->kind == R_FRAME_VAR && !strcmp(s->name, n->name)) {
            n->rkind = R_FRAME_VAR;
            n->up = up;
            return;
        }
    }
    for (int i = b->s->ngvars; i-- > 0;) {
        if (!strcmp(b->s->gvar_names[i], n->name)) {
            n->rkind = R_GLOBAL_VAR;
            n->native = i;
            return;
        }
    }
    char buf[300];
    snprintf(buf, sizeof buf, "$%s is not defined", n->name);
    jq_compile_error(b->pc, n->pos, (int)strlen(n->name) + 1, "%s", buf);
}

static void resolve_label(Binder *b, Node *n, const Scope *sc) {
    int up = 0;
    for (const Scope *s = sc; s; s = s->up, up++) {
        if (s->kind == R_LABEL && !strcmp(s->name, n->name)) {
            n->rkind = R_LABEL;
            n->up = up;
            return;
        }
    }
    char buf[300];
    snprintf(buf, sizeof buf, "$*label-%s is not defined", n->name);
    jq_compile_error(b->pc, n->pos, n->len, "%s", buf);
}

/* Variables bound by a pattern, in order of first appearance. */
static void pattern_vars(const Node *p, StrList *out) {
    if (!p) return;
    if (p->kind == P_VAR) {
        for (size_t i = 0; i < out->n; i++)
            if (!strcmp(out->v[i], p->name)) return;
        sl_push_copy(out, p->name);
        return;
    }
    for (int i = 0; i < p->nargs; i++) {
        const Node *e = p->args[i];
        if (p->kind == P_ARR) {
            pattern_vars(e, out);
            continue;
        }
        if (!e->a) {
            bool seen = false;
            for (size_t j = 0; j < out->n && !seen; j++) seen = !strcmp(out->v[j], e->name);
            if (!seen) sl_push_copy(out, e->name);
        }
        pattern_vars(e->b, out);
    }
}

/* Key expressions inside object patterns run in the outer scope. */
static void bind_pattern_exprs(Binder *b, Node *p, const Scope *sc) {
    if (!p) return;
    for (int i = 0; i < p->nargs; i++) {
        Node *e = p->args[i];
        if (p->kind == P_ARR) {
            bind_pattern_exprs(b, e, sc);
            continue;
        }
        if (p->kind == P_OBJ) {
            if (e->a) bind(b, e->a, sc);
            bind_pattern_exprs(b, e->b, sc);
        }
    }
}

/* Sets n->vars and returns the scope with one frame per variable (frames
 * are allocated in the arena; the binder is done before they are dropped). */
static const Scope *bind_vars(Binder *b, Node *n, const Scope *sc) {
    StrList vars;
    sl_init(&vars);
    for (int i = 0; i < n->nargs; i++) pattern_vars(n->args[i], &vars);
    n->nvars = (int)vars.n;
    n->vars = jqa_alloc(b->pc->arena, (vars.n + 1) * sizeof(char *));
    for (size_t i = 0; i < vars.n; i++) {
        n->vars[i] = jqa_strdup(b->pc->arena, vars.v[i], strlen(vars.v[i]));
        Scope *s = jqa_alloc(b->pc->arena, sizeof *s);
        s->up = sc;
        s->kind = R_FRAME_VAR;
        s->name = n->vars[i];
        sc = s;
    }
    sl_free(&vars);
    for (int i = 0; i < n->nargs; i++) bind_pattern_exprs(b, n->args[i], n->kind == N_AS ? sc : sc);
    return sc;
}

static const Scope *push_scope(Binder *b, const Scope *up, uint8_t kind, const char *name, int arity) {
    Scope *s = jqa_alloc(b->pc->arena, sizeof *s);
    s->up = up;
    s->kind = kind;
    s->name = name;
    s->arity = arity;
    return s;
}

/* Parameters of a def: closures for all, then a variable for each $param. */
static const Scope *param_scope(Binder *b, Node *d, const Scope *sc) {
    int nv = 0;
    for (int i = 0; i < d->nparams; i++) {
        const char *p = d->params[i];
        sc = push_scope(b, sc, R_FRAME_CLOSURE, p[0] == '$' ? p + 1 : p, 0);
    }
    for (int i = 0; i < d->nparams; i++)
        if (d->params[i][0] == '$') {
            sc = push_scope(b, sc, R_FRAME_VAR, d->params[i] + 1, 0);
            nv++;
        }
    d->nvars = nv;
    return sc;
}

static int line_of(ParseCtx *pc, int pos) {
    int line = 1;
    for (int i = 0; i < pos && (size_t)i < pc->len; i++)
        if (pc->src[i] == '\n') line++;
    return line;
}

static void bind(Binder *b, Node *n, const Scope *sc) {
    if (!n) return;
    switch ((NodeKind)n->kind) {
    case N_CALL:
        resolve_call(b, n, sc);
        for (int i = 0; i < n->nargs; i++) bind(b, n->args[i], sc);
        return;
    case N_VAR: resolve_var(b, n, sc); return;
    case N_LOC:
        n->line = line_of(b->pc, n->pos);
        n->file = b->file;
        return;
    case N_BREAK: resolve_label(b, n, sc); return;
    case N_DEF: {
        const Scope *fs = push_scope(b, sc, R_FRAME_FN, n->name, n->nparams);
        bind(b, n->a, param_scope(b, n, fs));
        bind(b, n->b, fs);
        return;
    }
    case N_AS: {
        bind(b, n->a, sc);
        const Scope *vs = bind_vars(b, n, sc);
        bind(b, n->b, vs);
        return;
    }
    case N_REDUCE:
    case N_FOREACH: {
        bind(b, n->a, sc);
        bind(b, n->b, sc);
        const Scope *vs = bind_vars(b, n, sc);
        bind(b, n->c, vs);
        bind(b, n->d, vs);
        return;
    }
    case N_LABEL: bind(b, n->a, push_scope(b, sc, R_LABEL, n->name, 0)); return;
    default:
        bind(b, n->a, sc);
        bind(b, n->b, sc);
        bind(b, n->c, sc);
        bind(b, n->d, sc);
        for (int i = 0; i < n->nargs; i++) bind(b, n->args[i], sc);
        return;
    }
}

static void add_global(JqSession *s, const char *name, int arity, Node *def, int owner) {
    if (s->ng == s->capg) {
        s->capg = s->capg ? s->capg * 2 : 256;
        s->g = xrealloc(s->g, (size_t)s->capg * sizeof *s->g);
    }
    s->g[s->ng++] = (GDef){name, arity, def, owner};
}

/* The chain of top-level defs becomes globals; returns the final expression. */
static Node *bind_toplevel(Binder *b, Node *n) {
    while (n && n->kind == N_DEF) {
        n->rkind = R_GLOBAL_FN;
        add_global(b->s, n->name, n->nparams, n, b->owner);
        b->horizon = b->s->ng;
        bind(b, n->a, param_scope(b, n, NULL));
        n = n->b;
    }
    bind(b, n, NULL);
    return n;
}

/* ---------------------------------------------------------------- sources */

static Source *add_source(JqSession *s, const char *text, size_t len, const char *file) {
    Source *src = xcalloc(1, sizeof *src);
    src->arena = jqa_new();
    src->text = xmalloc(len + 1);
    memcpy(src->text, text, len);
    src->text[len] = 0;
    src->file = file ? xstrdup(file) : NULL;
    src->pc.arena = src->arena;
    src->pc.src = src->text;
    src->pc.len = len;
    src->pc.file = src->file;
    src->pc.errs = s->errs;
    sl_init(&src->pc.imports);
    sl_init(&src->pc.import_alias);
    sl_init(&src->pc.import_kind);
    src->next = s->sources;
    s->sources = src;
    return src;
}

static void free_sources(Source *src) {
    while (src) {
        Source *n = src->next;
        for (size_t i = 0; i < src->pc.nlit; i++) jv_free(src->pc.literals[i]);
        free(src->pc.literals);
        sl_free(&src->pc.imports);
        sl_free(&src->pc.import_alias);
        sl_free(&src->pc.import_kind);
        jqa_free(src->arena);
        free(src->text);
        free(src->file);
        free(src);
        src = n;
    }
}

static void add_gvar(JqSession *s, const char *name, Jv v) {
    s->gvar_names = xrealloc(s->gvar_names, (size_t)(s->ngvars + 1) * sizeof(char *));
    s->gvals = xrealloc(s->gvals, (size_t)(s->ngvars + 1) * sizeof(Jv));
    s->gvar_names[s->ngvars] = xstrdup(name);
    s->gvals[s->ngvars] = v;
    s->ngvars++;
}

static bool read_file(const char *path, StrBuf *out) {
    FILE *f = fopen(path, "rb");
    if (!f) return false;
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) sb_put(out, buf, n);
    fclose(f);
    return true;
}

/* Finds NAME.EXT in the -L directories (also NAME/BASENAME.EXT). */
static char *find_module(JqSession *s, const char *name, const char *ext, const char *reldir) {
    StrBuf p;
    sb_init(&p);
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    int n = s->cfg.nlibdirs;
    for (int i = -1; i < n; i++) {
        const char *dir = i < 0 ? reldir : s->cfg.libdirs[i];
        if (!dir) continue;
        for (int form = 0; form < 2; form++) {
            sb_clear(&p);
            if (form == 0) sb_printf(&p, "%s/%s.%s", dir, name, ext);
            else sb_printf(&p, "%s/%s/%s.%s", dir, name, base, ext);
            FILE *f = fopen(sb_cstr(&p), "rb");
            if (f) {
                fclose(f);
                return sb_take(&p);
            }
        }
    }
    sb_free(&p);
    return NULL;
}

static bool load_imports(JqSession *s, Source *src, int depth);

/* Parses and binds a module; its globals belong to a new owner, and for
 * `import ... as NAME` get NAME:: aliases visible to the importer. */
static bool load_module(JqSession *s, const char *path, const char *alias, int depth) {
    StrBuf text;
    sb_init(&text);
    if (!read_file(path, &text)) {
        sb_free(&text);
        return false;
    }
    Source *src = add_source(s, text.s ? text.s : "", text.len, path);
    sb_free(&text);
    Node *root = jq_parse_program(&src->pc);
    if (!root) {
        s->nerrs += src->pc.nerrs;
        return false;
    }
    if (!load_imports(s, src, depth + 1)) return false;
    int owner = ++s->nmodules;
    int first = s->ng;
    Binder b = {s, &src->pc, s->ng, *alias ? owner : 0, path};
    bind_toplevel(&b, root);
    s->nerrs += src->pc.nerrs;
    if (src->pc.nerrs) return false;
    if (*alias) {
        int last = s->ng;
        for (int i = first; i < last; i++) {
            if (s->g[i].owner != owner) continue;
            StrBuf nm;
            sb_init(&nm);
            sb_printf(&nm, "%s::%s", alias, s->g[i].name);
            char *name = jqa_strdup(src->arena, nm.s, nm.len);
            sb_free(&nm);
            add_global(s, name, s->g[i].arity, s->g[i].def, 0);
        }
    }
    return true;
}

static char *dir_of(const char *file) {
    if (!file) return NULL;
    const char *sl = strrchr(file, '/');
    if (!sl) return xstrdup(".");
    return xstrndup(file, (size_t)(sl - file));
}

static bool load_imports(JqSession *s, Source *src, int depth) {
    if (depth > 16) {
        jq_compile_error(&src->pc, 0, 1, "module nesting too deep");
        s->nerrs++;
        return false;
    }
    char *rel = dir_of(src->file);
    bool ok = true;
    for (size_t i = 0; ok && i < src->pc.imports.n; i++) {
        const char *name = src->pc.imports.v[i];
        const char *alias = src->pc.import_alias.v[i];
        bool data = src->pc.import_kind.v[i][0] == 'd';
        char *path = find_module(s, name, data ? "json" : "jq", rel);
        if (!path) {
            if (s->errs)
                sb_printf(s->errs, "jq: error: module not found: %s\n", name);
            s->nerrs++;
            ok = false;
            break;
        }
        if (data) {
            StrBuf text;
            sb_init(&text);
            read_file(path, &text);
            /* all values of the file, as an array */
            JvParser *p = jvp_new(0);
            jvp_feed(p, text.s ? text.s : "", text.len, true);
            Jv arr = jv_arr(), v;
            char *err = NULL;
            int rc;
            while ((rc = jvp_next(p, &v, &err)) == 1) jv_arr_push(&arr, v);
            jvp_free(p);
            sb_free(&text);
            if (rc < 0) {
                if (s->errs) sb_printf(s->errs, "jq: error: %s: %s\n", path, err);
                free(err);
                jv_free(arr);
                s->nerrs++;
                ok = false;
            } else {
                StrBuf nm;
                sb_init(&nm);
                sb_printf(&nm, "%s::%s", alias, alias);
                add_gvar(s, sb_cstr(&nm), jv_copy(arr));
                sb_free(&nm);
                add_gvar(s, alias, arr);
            }
        } else {
            ok = load_module(s, path, alias, depth);
        }
        free(path);
    }
    free(rel);
    return ok;
}

/* ---------------------------------------------------------------- public API */

JqSession *jq_session_new(const char *prog, size_t len, const JqConfig *cfg, StrBuf *errs) {
    JqSession *s = xcalloc(1, sizeof *s);
    s->cfg = *cfg;
    s->errs = errs;
    s->env = jv_valid(cfg->env) ? jv_copy(cfg->env) : jv_obj();
    if (s->cfg.max_depth <= 0) s->cfg.max_depth = JQ_DEFAULT_MAX_DEPTH;
    add_gvar(s, "ENV", jv_copy(s->env));
    for (int i = 0; i < cfg->nvars; i++) add_gvar(s, cfg->var_names[i], jv_copy(cfg->var_values[i]));

    Source *pre = add_source(s, jq_prelude, strlen(jq_prelude), NULL);
    Node *proot = jq_parse_program(&pre->pc);
    if (!proot) {
        if (errs) sb_puts(errs, "jq: error: the builtin prelude does not parse\n");
        jq_session_free(s);
        return NULL;
    }
    Binder pb = {s, &pre->pc, 0, 0, NULL};
    bind_toplevel(&pb, proot);
    s->nprelude = s->ng;
    if (pre->pc.nerrs) {
        if (errs) sb_puts(errs, "jq: error: the builtin prelude does not bind\n");
        jq_session_free(s);
        return NULL;
    }

    if (cfg->extra_prelude) {
        Source *ex = add_source(s, cfg->extra_prelude, strlen(cfg->extra_prelude), NULL);
        ex->pc.yq = cfg->yq;
        Node *eroot = jq_parse_program(&ex->pc);
        if (!eroot) {
            if (errs) sb_puts(errs, "jq: error: the extra prelude does not parse\n");
            jq_session_free(s);
            return NULL;
        }
        Binder eb = {s, &ex->pc, s->ng, 0, NULL};
        bind_toplevel(&eb, eroot);
        if (ex->pc.nerrs) {
            jq_session_free(s);
            return NULL;
        }
    }
    Source *src = add_source(s, prog, len, cfg->file);
    src->pc.yq = cfg->yq;
    Node *root = jq_parse_program(&src->pc);
    s->nerrs += src->pc.nerrs;
    if (root && load_imports(s, src, 0)) {
        int before = src->pc.nerrs;
        Binder b = {s, &src->pc, s->ng, 0, cfg->file ? cfg->file : "<top-level>"};
        s->root = bind_toplevel(&b, root);
        s->nerrs += src->pc.nerrs - before;
        if (s->root && s->root->kind == N_IDENT && s->root->opt == 2 && !s->nerrs) {
            if (errs) sb_puts(errs, "jq: error: Top-level program not given (try \".\")\n");
            s->nerrs++;
        }
    }
    if (s->nerrs || !s->root) {
        if (!s->nerrs) s->nerrs = 1;
        if (errs) sb_printf(errs, "jq: %d compile error%s\n", s->nerrs, s->nerrs == 1 ? "" : "s");
        jq_session_free(s);
        return NULL;
    }
    return s;
}

void jq_session_free(JqSession *s) {
    if (!s) return;
    free_sources(s->sources);
    free(s->g);
    for (int i = 0; i < s->ngvars; i++) {
        free(s->gvar_names[i]);
        jv_free(s->gvals[i]);
    }
    free(s->gvar_names);
    free(s->gvals);
    jv_free(s->env);
    free(s);
}

typedef struct OutCtx {
    JqOut out;
    void *octx;
} OutCtx;

enum { STOP_ID = -2 };

static int top_k(Run *r, void *vc, Jv v, Jv p) {
    OutCtx *c = vc;
    jv_free(p);
    if (c->out(c->octx, v)) {
        r->brk = STOP_ID;
        return JQ_BREAK;
    }
    return JQ_OK;
}

int jq_session_run(JqSession *s, Jv input, JqOut out, void *octx, JqRunResult *res) {
    Run r;
    memset(&r, 0, sizeof r);
    r.s = s;
    r.err = jv_invalid();
    r.halt_msg = jv_invalid();
    r.max_depth = s->cfg.max_depth;
    char base;
    r.stack_base = (uintptr_t)&base;
    r.stack_limit = s->cfg.max_stack ? s->cfg.max_stack : JQ_DEFAULT_MAX_STACK;
    r.globals = s->gvals;
    OutCtx c = {out, octx};
    res->error = jv_invalid();
    res->halt_msg = jv_invalid();
    res->halt_status = 0;
    int rc = jq_eval(&r, s->root, NULL, input, jv_invalid(), top_k, &c);
    switch (rc) {
    case JQ_OK:
    case JQ_BREAK: return JQ_RUN_OK;
    case JQ_ERR:
        res->error = jv_valid(r.err) ? r.err : jv_null();
        return JQ_RUN_ERROR;
    case JQ_HALT:
        jv_free(r.err);
        res->halt_status = r.halt_status;
        res->halt_msg = r.halt_msg;
        return JQ_RUN_HALT;
    default:
        jv_free(r.err);
        jv_free(r.halt_msg);
        return JQ_RUN_STOPPED;
    }
}

/* ---------------------------------------------------------------- hooks */

int jq_session_input(JqSession *s, Jv *out, Jv *err) {
    if (!s->cfg.input) return 0;
    return s->cfg.input(s->cfg.ctx, out, err);
}

void jq_session_stderr(JqSession *s, const char *msg, size_t n) {
    if (s->cfg.message) s->cfg.message(s->cfg.ctx, msg, n);
}

Jv jq_session_env(JqSession *s) { return jv_copy(s->env); }

const char *jq_session_filename(JqSession *s) {
    return s->cfg.filename ? s->cfg.filename(s->cfg.ctx) : NULL;
}

bool jq_session_should_stop(JqSession *s) { return s->cfg.should_stop && s->cfg.should_stop(s->cfg.ctx); }

void jq_session_builtin_names(JqSession *s, Jv *list) {
    /* the prelude's globals (owner 0, defined before the first module or program) */
    for (int i = 0; i < s->ng; i++) {
        GDef *g = &s->g[i];
        if (g->owner || g->name[0] == '_' || strstr(g->name, "::")) continue;
        if (!g->def || g->def->pos < 0) continue;
        if (i >= s->nprelude) break;
        char buf[128];
        snprintf(buf, sizeof buf, "%s/%d", g->name, g->arity);
        jv_arr_push(list, jv_str_c(buf));
    }
}

/* ---------------------------------------------------------------- yq helpers */

static bool doc_preserving(const Node *n) {
    if (!n) return false;
    switch (n->kind) {
    case N_IDENT: return true;
    case N_ASSIGN: return true;
    case N_PIPE: return doc_preserving(n->a) && doc_preserving(n->b);
    case N_CALL:
        return !strcmp(n->name, "del") || !strcmp(n->name, "sort_keys") || !strcmp(n->name, "with_entries") ||
               !strcmp(n->name, "map_values") || !strcmp(n->name, "explode") || !strcmp(n->name, "pick");
    default: return false;
    }
}

bool jq_session_preserves_document(const JqSession *s) { return doc_preserving(s->root); }

bool jq_session_reduce_all(JqSession *s) {
    Node *n = s->root;
    if (!n || n->kind != N_REDUCE || !n->a || n->a->kind != N_IDENT) return false;
    /* the source `.` becomes `.[]` over the array of all documents */
    Node *it = jqa_alloc(s->sources->arena, sizeof *it);
    *it = *n->a;
    it->kind = N_ITER;
    it->a = n->a;
    n->a = it;
    return true;
}
