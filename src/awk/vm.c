/* vm.c - the stack machine that runs compiled awk code.
 *
 * One loop runs a rule block and every user function it calls: a call
 * pushes a Frame (return address, the callee's own variables) instead of
 * recursing in C, so deep awk recursion only uses heap and is bounded by
 * a clear error. Errors set a->fatal and return RUN_FATAL; the frames of
 * the run are unwound by the caller of the loop. */
#include "awkint.h"

#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_CALL_DEPTH = 100000 };

/* ---------------------------------------------------------------- messages */

static void message_prefix(Awk *a, StrBuf *b) {
    awk_prog_where(a, b, a->cur_line ? a->cur_line : 1);
    if (a->main_rd || a->fnr > 0) {
        AwkStr *fn = awkv_tostr(a, &a->g[G_FILENAME].v);
        sb_printf(b, "(FILENAME=%s FNR=", fn->len ? fn->s : "-");
        awk_format_int(b, a->fnr);
        sb_puts(b, ") ");
    }
}

void awk_fatal(Awk *a, const char *fmt, ...) {
    if (a->fatal) return;
    awk_flush_all(a);
    StrBuf b;
    sb_init(&b);
    message_prefix(a, &b);
    sb_puts(&b, "fatal: ");
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&b, fmt, ap);
    va_end(ap);
    sb_putc(&b, '\n');
    uc_write(a->c, 2, b.s, b.len);
    sb_free(&b);
    a->fatal = true;
    a->exit_status = 2;
}

void awk_warning(Awk *a, const char *fmt, ...) {
    awk_obuf_flush(a, &a->out);
    StrBuf b;
    sb_init(&b);
    message_prefix(a, &b);
    sb_puts(&b, "warning: ");
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&b, fmt, ap);
    va_end(ap);
    sb_putc(&b, '\n');
    uc_write(a->c, 2, b.s, b.len);
    sb_free(&b);
}

bool awk_should_stop(Awk *a) {
    if (uc_should_stop(a->c)) {
        if (!a->fatal) {
            a->fatal = true;
            a->exit_status = 1;
        }
        return true;
    }
    return false;
}

/* ---------------------------------------------------------------- variables */

static const char *var_name(const Var *v) { return v->name ? v->name : "?"; }

/* The name of the variable that owns arr (for "a (from z)" in messages). */
static const char *array_origin(Awk *a, const Var *v) {
    if (v->owns) return NULL;
    for (int i = 0; i < a->ng; i++)
        if (a->g[i].kind == K_ARRAY && a->g[i].owns && a->g[i].arr == v->arr) return a->g[i].name;
    for (size_t f = 0; f < a->nframes; f++) {
        Frame *fr = &a->frames[f];
        for (int i = 0; i < fr->nlocals; i++)
            if (fr->locals[i].kind == K_ARRAY && fr->locals[i].owns && fr->locals[i].arr == v->arr) return fr->locals[i].name;
    }
    return NULL;
}

Var *awk_var_resolve(Var *v) {
    while (v->kind == K_REF) v = v->ref;
    return v;
}

Value *awk_var_scalar(Awk *a, Var *v) {
    switch (v->kind) {
    case K_SCALAR: return &v->v;
    case K_UNTYPED: case K_REF:
        v->kind = K_SCALAR;
        v->ref = NULL;
        v->v = awkv_uninit();
        return &v->v;
    default: {
        const char *from = array_origin(a, v);
        if (from) awk_fatal(a, "attempt to use array `%s (from %s)' in a scalar context", var_name(v), from);
        else awk_fatal(a, "attempt to use array `%s' in a scalar context", var_name(v));
        return NULL;
    }
    }
}

Array *awk_var_array(Awk *a, Var *v) {
    switch (v->kind) {
    case K_ARRAY: return v->arr;
    case K_UNTYPED:
        v->kind = K_ARRAY;
        v->arr = awka_new();
        v->owns = true;
        return v->arr;
    case K_REF: {
        Var *t = v->ref;
        Array *arr = awk_var_array(a, t);
        if (!arr) return NULL;
        v->kind = K_ARRAY;
        v->arr = arr;
        v->owns = false;
        v->from = t->from ? t->from : t->name;
        return arr;
    }
    default:
        awk_fatal(a, v->param ? "attempt to use scalar parameter `%s' as an array" : "attempt to use scalar `%s' as an array",
                  var_name(v));
        return NULL;
    }
}

static void var_release(Var *v) {
    if (v->kind == K_SCALAR) awkv_free(&v->v);
    else if (v->kind == K_ARRAY && v->owns) awka_free(v->arr);
    v->kind = K_UNTYPED;
}

void awk_set_num(Awk *a, int slot, double d) {
    Var *v = &a->g[slot];
    if (v->kind == K_SCALAR && v->v.type == V_NUM && !v->v.str) {
        v->v.num = d;
        return;
    }
    if (v->kind == K_SCALAR) awkv_free(&v->v);
    v->kind = K_SCALAR;
    v->v = awkv_num(d);
}

void awk_set_strv(Awk *a, int slot, const char *s, size_t n) {
    Var *v = &a->g[slot];
    if (v->kind == K_SCALAR) awkv_free(&v->v);
    v->kind = K_SCALAR;
    v->v = awkv_str(astr_new(s, n));
}

/* ---------------------------------------------------------------- special variables */

static void set_cached_str(Awk *a, AwkStr **dst, int slot) {
    AwkStr *s = awkv_tostr(a, &a->g[slot].v);
    astr_unref(*dst);
    *dst = astr_ref(s);
}

static void set_fieldwidths(Awk *a) {
    AwkStr *s = awkv_tostr(a, &a->g[G_FIELDWIDTHS].v);
    free(a->fieldwidths);
    a->fieldwidths = NULL;
    a->nfieldwidths = 0;
    const char *p = s->s;
    size_t cap = 0;
    while (*p) {
        while (*p == ' ' || *p == '\t') p++;
        if (!*p) break;
        long skip = 0, w;
        if (*p == '*') {
            w = -1;
            p++;
        } else {
            char *end;
            long x = strtol(p, &end, 10);
            if (end == p) {
                awk_fatal(a, "invalid FIELDWIDTHS value, for field %zu, near `%s'", a->nfieldwidths + 1, p);
                return;
            }
            p = end;
            if (*p == ':') {
                skip = x;
                p++;
                if (*p == '*') { w = -1; p++; }
                else {
                    w = strtol(p, &end, 10);
                    if (end == p) {
                        awk_fatal(a, "invalid FIELDWIDTHS value, for field %zu, near `%s'", a->nfieldwidths + 1, p);
                        return;
                    }
                    p = end;
                }
            } else {
                w = x;
            }
        }
        if (a->nfieldwidths == cap) {
            cap = cap ? cap * 2 : 8;
            a->fieldwidths = xrealloc(a->fieldwidths, cap * 2 * sizeof *a->fieldwidths);
        }
        a->fieldwidths[2 * a->nfieldwidths] = skip;
        a->fieldwidths[2 * a->nfieldwidths + 1] = w;
        a->nfieldwidths++;
        if (w < 0) break;
    }
    a->fw_mode = 1;
    Array *pi = awk_var_array(a, &a->g[G_PROCINFO]);
    Value *e = awka_get_str(a, pi, "FS", 2, true);
    awkv_free(e);
    *e = awkv_str(astr_new("FIELDWIDTHS", 11));
}

static void set_procinfo_fs(Awk *a, const char *what) {
    Array *pi = awk_var_array(a, &a->g[G_PROCINFO]);
    if (!pi) return;
    Value *e = awka_get_str(a, pi, "FS", 2, true);
    awkv_free(e);
    *e = awkv_str(astr_new(what, strlen(what)));
}

void awk_special_set(Awk *a, int slot) {
    switch (slot) {
    case G_NF: awk_set_nf(a, awkv_tonum(a, &a->g[G_NF].v)); break;
    case G_NR: a->nr = awkv_tonum(a, &a->g[G_NR].v); break;
    case G_FNR: a->fnr = awkv_tonum(a, &a->g[G_FNR].v); break;
    case G_FS:
        a->fs_dirty = true;
        a->fw_mode = 0;
        set_procinfo_fs(a, "FS");
        if (!a->main_rd && !a->fl.rec.len) { /* before any record: applies at once */ }
        break;
    case G_RS: awk_set_rs(a); break;
    case G_OFS: set_cached_str(a, &a->ofs, G_OFS); break;
    case G_ORS: set_cached_str(a, &a->ors, G_ORS); break;
    case G_SUBSEP: set_cached_str(a, &a->subsep, G_SUBSEP); break;
    case G_CONVFMT: {
        AwkStr *s = awkv_tostr(a, &a->g[G_CONVFMT].v);
        free(a->convfmt);
        a->convfmt = xstrdup(s->s);
        a->convfmt_gen++;
        break;
    }
    case G_OFMT: {
        AwkStr *s = awkv_tostr(a, &a->g[G_OFMT].v);
        free(a->ofmt);
        a->ofmt = xstrdup(s->s);
        break;
    }
    case G_FIELDWIDTHS: set_fieldwidths(a); break;
    case G_FPAT: {
        AwkStr *s = awkv_tostr(a, &a->g[G_FPAT].v);
        if (a->fpat) rx_free(a->fpat);
        a->fpat = awk_regcomp(a, s->s, s->len, a->icase, true);
        a->fw_mode = 2;
        set_procinfo_fs(a, "FPAT");
        break;
    }
    case G_IGNORECASE: a->icase = awkv_truth(a, &a->g[G_IGNORECASE].v); break;
    default: break;
    }
}

static void sync_nf(Awk *a) { awk_nf(a); }

/* ---------------------------------------------------------------- lvalue refs */

bool awk_lref_get(Awk *a, LRef *r, Value *out) {
    switch (r->kind) {
    case 0: {
        if (r->slot == G_NF) sync_nf(a);
        Value *v = awk_var_scalar(a, r->var);
        if (!v) return false;
        *out = awkv_copy(v);
        return true;
    }
    case 1: {
        Value *v = awka_get_str(a, r->arr, r->key->s, r->key->len, true);
        *out = awkv_copy(v);
        return true;
    }
    case 2: *out = awkv_copy(awk_field_get(a, r->field)); return true;
    default: *out = awkv_copy(awk_field_get(a, 0)); return true;
    }
}

bool awk_lref_set(Awk *a, LRef *r, Value v) {
    switch (r->kind) {
    case 0: {
        Value *dst = awk_var_scalar(a, r->var);
        if (!dst) {
            awkv_free(&v);
            return false;
        }
        awkv_free(dst);
        *dst = v;
        if (r->slot >= 0 && r->slot < G_NSPECIAL) awk_special_set(a, r->slot);
        return !a->fatal;
    }
    case 1: {
        Value *dst = awka_get_str(a, r->arr, r->key->s, r->key->len, true);
        awkv_free(dst);
        *dst = v;
        return true;
    }
    case 2: return awk_field_set(a, r->field, v);
    default: awkv_free(&v); return true;
    }
}

void awk_lref_release(LRef *r) {
    if (r->key) astr_unref(r->key);
    r->key = NULL;
}

/* ---------------------------------------------------------------- the stack */

static inline void push(Awk *a, Value v) {
    if (a->sp == a->scap) {
        a->scap = a->scap ? a->scap * 2 : 256;
        a->stack = xrealloc(a->stack, a->scap * sizeof *a->stack);
    }
    a->stack[a->sp++] = v;
}

static inline Value pop(Awk *a) { return a->stack[--a->sp]; }

static void pop_n(Awk *a, size_t n) {
    while (n--) {
        Value v = pop(a);
        awkv_free(&v);
    }
}

static void push_ref(Awk *a, LRef r) {
    if (a->nrefs == a->crefs) {
        a->crefs = a->crefs ? a->crefs * 2 : 16;
        a->refs = xrealloc(a->refs, a->crefs * sizeof *a->refs);
    }
    a->refs[a->nrefs++] = r;
}

bool awk_vm_init(Awk *a) {
    a->ranges = xcalloc((size_t)a->prog.nranges + 1, sizeof *a->ranges);
    a->scap = 256;
    a->stack = xmalloc(a->scap * sizeof *a->stack);
    return true;
}

static void free_locals(Var *l, int n) {
    for (int i = 0; i < n; i++) var_release(&l[i]);
    free(l);
}

/* Unwinds to the given depths (after next/exit/fatal inside functions). */
static void unwind(Awk *a, size_t frames, size_t sp, size_t iters, size_t refs) {
    while (a->nframes > frames) {
        Frame *f = &a->frames[--a->nframes];
        free_locals(f->locals, f->nlocals);
    }
    pop_n(a, a->sp > sp ? a->sp - sp : 0);
    while (a->niters > iters) awka_keys_free(&a->iters[--a->niters].keys);
    while (a->nrefs > refs) awk_lref_release(&a->refs[--a->nrefs]);
}

void awk_vm_free(Awk *a) {
    unwind(a, 0, 0, 0, 0);
    free(a->stack);
    free(a->frames);
    free(a->iters);
    free(a->refs);
    free(a->ranges);
}

/* ---------------------------------------------------------------- arithmetic */

static double pow_posint(double x, long long n) {
    double mult = 1;
    while (n > 1) {
        if (n % 2 == 1) mult *= x;
        x *= x;
        n /= 2;
    }
    return mult * x;
}

static double awk_pow(double x, double y) {
    if (y == trunc(y) && fabs(y) < 1e18) {
        long long n = (long long)y;
        if (n == 0) return 1;
        return n > 0 ? pow_posint(x, n) : 1.0 / pow_posint(x, -n);
    }
    return pow(x, y);
}

static bool arith(Awk *a, int op, double x, double y, double *r) {
    switch (op) {
    case OP_ADD: *r = x + y; return true;
    case OP_SUB: *r = x - y; return true;
    case OP_MUL: *r = x * y; return true;
    case OP_DIV:
        if (y == 0) {
            awk_fatal(a, "division by zero attempted");
            return false;
        }
        *r = x / y;
        return true;
    case OP_MOD:
        if (y == 0) {
            awk_fatal(a, "division by zero attempted in `%%'");
            return false;
        }
        *r = fmod(x, y);
        return true;
    case OP_POW: *r = awk_pow(x, y); return true;
    default: *r = y; return true;
    }
}

/* Stores rhs (taken over) into *dst with op; leaves a copy of the result on the stack. */
static bool assign_op(Awk *a, Value *dst, int op, Value rhs) {
    if (op == OP_NONE) {
        if (rhs.type == V_ARRAY || rhs.type == V_VARREF) rhs = awkv_uninit();
        awkv_free(dst);
        *dst = rhs;
    } else {
        double r;
        if (!arith(a, op, awkv_tonum(a, dst), awkv_tonum(a, &rhs), &r)) {
            awkv_free(&rhs);
            return false;
        }
        awkv_free(&rhs);
        awkv_free(dst);
        *dst = awkv_num(r);
    }
    push(a, awkv_copy(dst));
    return true;
}

static bool incdec(Awk *a, Value *dst, int code) {
    double old = awkv_tonum(a, dst);
    double nv = (code == 1 || code == 3) ? old + 1 : old - 1;
    awkv_free(dst);
    *dst = awkv_num(nv);
    push(a, awkv_num(code <= 2 ? nv : old));
    return true;
}

/* A field number as gawk computes it: truncated to a long the way x86-64
 * converts (NaN and values out of range become LONG_MIN), negative ones
 * fatal. Reading any field past NF is fine; storing is bounded (gawk would
 * allocate every field up to it). */
static long field_index(Awk *a, Value *v, bool store) {
    double d = awkv_tonum(a, v);
    int64_t i = awk_d2l(d);
    if (i < 0 || (store && i > 100000000)) {
        awk_fatal(a, "attempt to access field %" PRId64, i);
        return -1;
    }
    return i > 1000000000 ? 1000000000 : (long)i; /* reading far past NF: all the same */
}

/* ---------------------------------------------------------------- printing */

/* stdout went away (a closed pipe): gawk dies of SIGPIPE; we stop quietly
 * and the shell reports status 141. */
static bool output_ok(Awk *a) {
    if (!a->out.err) return true;
    a->fatal = true;
    if (!a->exit_status) a->exit_status = 2;
    return false;
}

static bool do_print(Awk *a, int nargs, int redir) {
    Value target = awkv_uninit();
    if (redir != R_NONE) target = pop(a);
    Value *args = &a->stack[a->sp - (size_t)nargs];
    bool ok = true;
    if (redir == R_NONE) {
        OBuf *o = &a->out;
        if (nargs == 0) {
            const StrBuf *r = awk_record(a);
            awk_obuf_put(a, o, r->s, r->len);
        }
        for (int i = 0; i < nargs; i++) {
            if (i) awk_obuf_put(a, o, a->ofs->s, a->ofs->len);
            Value *v = &args[i];
            if (v->type == V_STR || v->type == V_STRNUM) {
                awk_obuf_put(a, o, v->str->s, v->str->len);
            } else {
                AwkStr *s = awkv_tostr_out(a, v);
                awk_obuf_put(a, o, s->s, s->len);
                astr_unref(s);
            }
        }
        awk_obuf_put(a, o, a->ors->s, a->ors->len);
    } else {
        StrBuf *b = &a->tmp;
        StrBuf out;
        sb_init(&out);
        (void)b;
        if (nargs == 0) {
            const StrBuf *r = awk_record(a);
            sb_put(&out, r->s, r->len);
        }
        for (int i = 0; i < nargs; i++) {
            if (i) sb_put(&out, a->ofs->s, a->ofs->len);
            AwkStr *s = awkv_tostr_out(a, &args[i]);
            sb_put(&out, s->s, s->len);
            astr_unref(s);
        }
        sb_put(&out, a->ors->s, a->ors->len);
        AwkStr *t = astr_ref(awkv_tostr(a, &target));
        ok = awk_print_to(a, redir, t, out.s ? out.s : "", out.len);
        astr_unref(t);
        sb_free(&out);
    }
    pop_n(a, (size_t)nargs);
    awkv_free(&target);
    return ok && output_ok(a);
}

static bool do_printf(Awk *a, int nargs, int redir) {
    if (nargs == 0) {
        awk_fatal(a, "printf: no arguments");
        return false;
    }
    Value target = awkv_uninit();
    if (redir != R_NONE) target = pop(a);
    Value *args = &a->stack[a->sp - (size_t)nargs];
    StrBuf out;
    sb_init(&out);
    AwkStr *fmt = astr_ref(awkv_tostr(a, &args[0]));
    bool ok = awk_format(a, &out, fmt->s, fmt->len, args + 1, nargs - 1, "printf");
    astr_unref(fmt);
    if (ok) {
        if (redir == R_NONE) {
            awk_obuf_put(a, &a->out, out.s ? out.s : "", out.len);
        } else {
            AwkStr *t = astr_ref(awkv_tostr(a, &target));
            ok = awk_print_to(a, redir, t, out.s ? out.s : "", out.len);
            astr_unref(t);
        }
    }
    sb_free(&out);
    pop_n(a, (size_t)nargs);
    awkv_free(&target);
    return ok && output_ok(a);
}

/* ---------------------------------------------------------------- calls */

static bool do_call(Awk *a, Func *fn, int nargs, const Code **code, size_t *pc, Var **locals) {
    if (a->nframes >= MAX_CALL_DEPTH) {
        awk_fatal(a, "function `%s': call nesting too deep (more than %d levels)", fn->name, MAX_CALL_DEPTH);
        return false;
    }
    int nl = fn->nparams;
    Var *l = xcalloc((size_t)(nl ? nl : 1), sizeof *l);
    Value *args = &a->stack[a->sp - (size_t)nargs];
    for (int i = 0; i < nl; i++) {
        l[i].name = fn->pnames[i];
        l[i].param = true;
    }
    for (int i = nl; i < nargs; i++) awkv_free(&args[i]); /* extra arguments (gawk warned) */
    for (int i = 0; i < nargs && i < nl; i++) {
        Value *v = &args[i];
        if (v->type == V_ARRAY) {
            l[i].kind = K_ARRAY;
            l[i].arr = v->arr;
            l[i].owns = false;
        } else if (v->type == V_VARREF) {
            l[i].kind = K_REF;
            l[i].ref = v->var;
        } else {
            l[i].kind = K_SCALAR;
            l[i].v = *v;
        }
        v->type = V_UNINIT;
        v->str = NULL;
    }
    a->sp -= (size_t)nargs;
    if (a->nframes == a->cframes) {
        a->cframes = a->cframes ? a->cframes * 2 : 16;
        a->frames = xrealloc(a->frames, a->cframes * sizeof *a->frames);
    }
    Frame *f = &a->frames[a->nframes++];
    f->code = *code;
    f->pc = *pc;
    f->ret_locals = *locals;
    f->locals = l;
    f->nlocals = nl;
    f->sp_base = a->sp;
    f->iter_base = a->niters;
    f->ref_base = a->nrefs;
    f->func = fn;
    *code = &fn->code;
    *pc = 0;
    *locals = l;
    return true;
}

/* ---------------------------------------------------------------- for-in */

static bool forin_start(Awk *a, Array *arr) {
    if (a->niters == a->citers) {
        a->citers = a->citers ? a->citers * 2 : 8;
        a->iters = xrealloc(a->iters, a->citers * sizeof *a->iters);
    }
    ForIter *it = &a->iters[a->niters++];
    it->i = 0;
    awka_keys(a, arr, &it->keys);
    return awk_sort_keys(a, arr, &it->keys);
}

/* ---------------------------------------------------------------- the loop */

static Var *gvar(Awk *a, int slot) { return &a->g[slot]; }

int awk_vm_run(Awk *a, const Code *start) {
    const Code *code = start;
    size_t pc = 0;
    Var *locals = NULL;
    size_t base_frames = a->nframes, base_sp = a->sp, base_iters = a->niters, base_refs = a->nrefs;
    int result = RUN_OK;
    for (;;) {
        const Insn *in = &code->v[pc++];
        a->cur_line = in->line;
        switch (in->op) {
        case I_NOP: break;
        case I_CONST: push(a, awkv_copy(&a->prog.consts[in->a])); break;
        case I_POP: { Value v = pop(a); awkv_free(&v); break; }
        case I_DUP: push(a, awkv_copy(&a->stack[a->sp - 1])); break;
        case I_GETG: case I_GETL: {
            Var *v = in->op == I_GETG ? gvar(a, in->a) : &locals[in->a];
            Value *s = v->kind == K_SCALAR ? &v->v : awk_var_scalar(a, v);
            if (!s) goto fatal;
            push(a, awkv_copy(s));
            break;
        }
        case I_GETNF: push(a, awkv_num((double)awk_nf(a))); break;
        case I_FIELDC: push(a, awkv_copy(awk_field_get(a, (size_t)in->a))); break;
        case I_FIELD: {
            Value v = pop(a);
            long i = field_index(a, &v, false);
            awkv_free(&v);
            if (i < 0) goto fatal;
            push(a, awkv_copy(awk_field_get(a, (size_t)i)));
            break;
        }
        case I_FIELDNUMC: push(a, awkv_num(awk_field_num(a, (size_t)in->a))); break;
        case I_AGETG: case I_AGETL: {
            Var *v = in->op == I_AGETG ? gvar(a, in->a) : &locals[in->a];
            Array *arr = v->kind == K_ARRAY ? v->arr : awk_var_array(a, v);
            if (!arr) goto fatal;
            Value sub = pop(a);
            Value *e = awka_get(a, arr, &sub, true);
            awkv_free(&sub);
            push(a, awkv_copy(e));
            break;
        }
        case I_ING: case I_INL: {
            Var *v = in->op == I_ING ? gvar(a, in->a) : &locals[in->a];
            Array *arr = v->kind == K_ARRAY ? v->arr : awk_var_array(a, v);
            if (!arr) goto fatal;
            Value sub = pop(a);
            bool found = awka_get(a, arr, &sub, false) != NULL;
            awkv_free(&sub);
            push(a, awkv_num(found));
            break;
        }
        case I_SUBSEP: {
            int n = in->a;
            StrBuf b;
            sb_init(&b);
            Value *args = &a->stack[a->sp - (size_t)n];
            for (int i = 0; i < n; i++) {
                if (i) sb_put(&b, a->subsep->s, a->subsep->len);
                AwkStr *s = awkv_tostr(a, &args[i]);
                sb_put(&b, s->s, s->len);
            }
            pop_n(a, (size_t)n);
            push(a, awkv_str(astr_new(b.s ? b.s : "", b.len)));
            sb_free(&b);
            break;
        }
        case I_STOREG: case I_STOREL: {
            Var *v = in->op == I_STOREG ? gvar(a, in->a) : &locals[in->a];
            bool special = in->op == I_STOREG && in->a < G_NSPECIAL;
            if (special && in->a == G_NF && in->b != OP_NONE) sync_nf(a);
            Value *dst = v->kind == K_SCALAR ? &v->v : awk_var_scalar(a, v);
            if (!dst) goto fatal;
            if (!assign_op(a, dst, in->b, pop(a))) goto fatal;
            if (special) {
                awk_special_set(a, in->a);
                if (a->fatal) goto fatal;
            }
            break;
        }
        case I_STOREAG: case I_STOREAL: {
            Var *v = in->op == I_STOREAG ? gvar(a, in->a) : &locals[in->a];
            Array *arr = v->kind == K_ARRAY ? v->arr : awk_var_array(a, v);
            if (!arr) goto fatal;
            Value sub = pop(a);
            Value rhs = pop(a);
            Value *e = awka_get(a, arr, &sub, true);
            awkv_free(&sub);
            if (!assign_op(a, e, in->b, rhs)) goto fatal;
            break;
        }
        case I_STOREF: {
            Value iv = pop(a);
            Value rhs = pop(a);
            long i = field_index(a, &iv, true);
            awkv_free(&iv);
            if (i < 0) { awkv_free(&rhs); goto fatal; }
            Value nv;
            if (in->b == OP_NONE) {
                nv = rhs;
                if (nv.type == V_ARRAY || nv.type == V_VARREF) nv = awkv_uninit();
            } else {
                double r;
                Value *cur = awk_field_get(a, (size_t)i);
                if (!arith(a, in->b, awkv_tonum(a, cur), awkv_tonum(a, &rhs), &r)) { awkv_free(&rhs); goto fatal; }
                awkv_free(&rhs);
                nv = awkv_num(r);
            }
            Value res = awkv_copy(&nv);
            if (!awk_field_set(a, (size_t)i, nv)) { awkv_free(&res); goto fatal; }
            push(a, res);
            break;
        }
        case I_INCG: case I_INCL: {
            Var *v = in->op == I_INCG ? gvar(a, in->a) : &locals[in->a];
            bool special = in->op == I_INCG && in->a < G_NSPECIAL;
            if (special && in->a == G_NF) sync_nf(a);
            Value *dst = v->kind == K_SCALAR ? &v->v : awk_var_scalar(a, v);
            if (!dst) goto fatal;
            incdec(a, dst, in->b);
            if (special) {
                awk_special_set(a, in->a);
                if (a->fatal) goto fatal;
            }
            break;
        }
        case I_INCAG: case I_INCAL: {
            Var *v = in->op == I_INCAG ? gvar(a, in->a) : &locals[in->a];
            Array *arr = v->kind == K_ARRAY ? v->arr : awk_var_array(a, v);
            if (!arr) goto fatal;
            Value sub = pop(a);
            Value *e = awka_get(a, arr, &sub, true);
            awkv_free(&sub);
            incdec(a, e, in->b);
            break;
        }
        case I_INCF: {
            Value iv = pop(a);
            long i = field_index(a, &iv, true);
            awkv_free(&iv);
            if (i < 0) goto fatal;
            double old = awkv_tonum(a, awk_field_get(a, (size_t)i));
            double nv = (in->b == 1 || in->b == 3) ? old + 1 : old - 1;
            if (!awk_field_set(a, (size_t)i, awkv_num(nv))) goto fatal;
            push(a, awkv_num(in->b <= 2 ? nv : old));
            break;
        }
        case I_ADD: case I_SUB: case I_MUL: case I_DIV: case I_MOD: case I_POW: {
            Value y = pop(a);
            Value *x = &a->stack[a->sp - 1];
            double r;
            static const int ops[] = {[I_ADD] = OP_ADD, [I_SUB] = OP_SUB, [I_MUL] = OP_MUL,
                                      [I_DIV] = OP_DIV, [I_MOD] = OP_MOD, [I_POW] = OP_POW};
            bool ok = arith(a, ops[in->op], awkv_tonum(a, x), awkv_tonum(a, &y), &r);
            awkv_free(&y);
            if (!ok) goto fatal;
            awkv_free(x);
            *x = awkv_num(r);
            break;
        }
        case I_NEG: case I_UPLUS: {
            Value *x = &a->stack[a->sp - 1];
            double d = awkv_tonum(a, x);
            awkv_free(x);
            *x = awkv_num(in->op == I_NEG ? -d : d);
            break;
        }
        case I_NOT: case I_TOBOOL: {
            Value *x = &a->stack[a->sp - 1];
            bool t = awkv_truth(a, x);
            awkv_free(x);
            *x = awkv_num(in->op == I_NOT ? !t : t);
            break;
        }
        case I_CONCAT: {
            int n = in->a;
            Value *args = &a->stack[a->sp - (size_t)n];
            size_t total = 0;
            for (int i = 0; i < n; i++) total += awkv_tostr(a, &args[i])->len;
            if (total > AWK_MAX_STRING) {
                awk_fatal(a, "string too long (%zu bytes; the limit is %d)", total, AWK_MAX_STRING);
                goto fatal;
            }
            AwkStr *r = astr_alloc(total);
            size_t off = 0;
            for (int i = 0; i < n; i++) {
                AwkStr *s = awkv_tostr(a, &args[i]);
                memcpy(r->s + off, s->s, s->len);
                off += s->len;
            }
            pop_n(a, (size_t)n);
            push(a, awkv_str(r));
            break;
        }
        case I_CMP: {
            Value y = pop(a);
            Value *x = &a->stack[a->sp - 1];
            int c = awkv_compare(a, x, &y);
            bool r;
            switch (in->a) {
            case CMP_LT: r = c < 0; break;
            case CMP_LE: r = c <= 0; break;
            case CMP_GT: r = c > 0; break;
            case CMP_GE: r = c >= 0; break;
            case CMP_EQ: r = c == 0; break;
            default: r = c != 0; break;
            }
            awkv_free(&y);
            awkv_free(x);
            *x = awkv_num(r);
            break;
        }
        case I_MATCH: {
            Value rv = pop(a);
            Value *x = &a->stack[a->sp - 1];
            Regex *re = rv.type == V_REGEX ? awk_const_re(a, (int)rv.num) : awk_dynregex(a, awkv_tostr(a, &rv));
            awkv_free(&rv);
            if (!re) goto fatal;
            AwkStr *s = awkv_tostr(a, x);
            int r = awk_search(a, re, s->s, s->len, 0, false, NULL, 0);
            if (r < 0) goto fatal;
            awkv_free(x);
            *x = awkv_num((r == RX_MATCH) != (in->a != 0));
            break;
        }
        case I_MATCHRE: {
            Value *x = &a->stack[a->sp - 1];
            AwkStr *s = awkv_tostr(a, x);
            int r = awk_search(a, awk_const_re(a, in->a), s->s, s->len, 0, false, NULL, 0);
            if (r < 0) goto fatal;
            awkv_free(x);
            *x = awkv_num((r == RX_MATCH) != (in->b != 0));
            break;
        }
        case I_REGEX0: {
            const StrBuf *rec = awk_record(a);
            int r = awk_search(a, awk_const_re(a, in->a), rec->s ? rec->s : "", rec->len, 0, false, NULL, 0);
            if (r < 0) goto fatal;
            push(a, awkv_num(r == RX_MATCH));
            break;
        }
        case I_JMP:
            if ((size_t)in->a < pc && ++a->steps >= 1024) {
                a->steps = 0;
                if (awk_should_stop(a)) goto fatal;
            }
            pc = (size_t)in->a;
            break;
        case I_JFALSE: case I_JTRUE: {
            Value v = pop(a);
            bool t = awkv_truth(a, &v);
            awkv_free(&v);
            if (t == (in->op == I_JTRUE)) {
                if ((size_t)in->a < pc && ++a->steps >= 1024) {
                    a->steps = 0;
                    if (awk_should_stop(a)) goto fatal;
                }
                pc = (size_t)in->a;
            }
            break;
        }
        case I_PRINT: if (!do_print(a, in->a, in->b)) goto fatal; break;
        case I_PRINTF: if (!do_printf(a, in->a, in->b)) goto fatal; break;
        case I_NEXT: case I_NEXTFILE:
            if (a->in_begin || a->in_end) {
                awk_fatal(a, "`%s' cannot be called from a `%s' rule", in->op == I_NEXT ? "next" : "nextfile",
                          a->in_begin ? "BEGIN" : "END");
                goto fatal;
            }
            result = in->op == I_NEXT ? RUN_NEXT : RUN_NEXTFILE;
            goto done;
        case I_EXIT: {
            Value v = pop(a);
            double ed = awkv_tonum(a, &v);
            a->exit_status = ed >= -2147483648.0 && ed <= 2147483647.0 ? (int)ed : 0;
            awkv_free(&v);
            a->exiting = true;
            result = RUN_EXIT;
            goto done;
        }
        case I_EXIT0:
            a->exiting = true;
            result = RUN_EXIT;
            goto done;
        case I_RETURN: case I_RETURN0: {
            Value rv = in->op == I_RETURN ? pop(a) : awkv_uninit();
            if (rv.type == V_ARRAY) {
                awk_fatal(a, "attempt to return an array in a scalar context");
                goto fatal;
            }
            if (rv.type == V_VARREF) rv = awkv_uninit();
            Frame *f = &a->frames[a->nframes - 1];
            unwind(a, a->nframes, f->sp_base, f->iter_base, f->ref_base);
            a->nframes--;
            free_locals(f->locals, f->nlocals);
            code = f->code;
            pc = f->pc;
            locals = f->ret_locals;
            push(a, rv);
            break;
        }
        case I_CALL: {
            Func *fn = &a->prog.funcs[in->a];
            if (++a->steps >= 1024) {
                a->steps = 0;
                if (awk_should_stop(a)) goto fatal;
            }
            if (!do_call(a, fn, in->b, &code, &pc, &locals)) goto fatal;
            break;
        }
        case I_BUILTIN: {
            int n = in->b;
            Value ret = awkv_uninit();
            Value *args = &a->stack[a->sp - (size_t)n];
            bool ok = awk_builtin_call(a, in->a, n, args, &ret);
            pop_n(a, (size_t)n);
            if (!ok) {
                awkv_free(&ret);
                goto fatal;
            }
            push(a, ret);
            break;
        }
        case I_PUSHARRG: case I_PUSHARRL: {
            Var *v = in->op == I_PUSHARRG ? gvar(a, in->a) : &locals[in->a];
            Array *arr = awk_var_array(a, v);
            if (!arr) goto fatal;
            Value av = {.type = V_ARRAY};
            av.arr = arr;
            push(a, av);
            break;
        }
        case I_PUSHNAMEG: case I_PUSHNAMEL: {
            Var *v = in->op == I_PUSHNAMEG ? gvar(a, in->a) : &locals[in->a];
            Var *t = awk_var_resolve(v);
            if (v->kind == K_ARRAY) {
                Value av = {.type = V_ARRAY};
                av.arr = v->arr;
                push(a, av);
            } else if (v->kind == K_SCALAR) {
                push(a, awkv_copy(&v->v));
            } else if (t->kind == K_ARRAY) {
                Value av = {.type = V_ARRAY};
                av.arr = t->arr;
                push(a, av);
            } else if (t->kind == K_SCALAR) {
                push(a, awkv_uninit());
            } else {
                Value rv = {.type = V_VARREF};
                rv.var = v;
                push(a, rv);
            }
            break;
        }
        case I_REFG: case I_REFL: {
            LRef r = {.kind = 0, .slot = in->op == I_REFG ? in->a : -1};
            r.var = in->op == I_REFG ? gvar(a, in->a) : &locals[in->a];
            if (!awk_var_scalar(a, r.var)) goto fatal;
            push_ref(a, r);
            break;
        }
        case I_REFAG: case I_REFAL: {
            Var *v = in->op == I_REFAG ? gvar(a, in->a) : &locals[in->a];
            Array *arr = awk_var_array(a, v);
            if (!arr) goto fatal;
            Value sub = pop(a);
            LRef r = {.kind = 1, .arr = arr, .slot = -1};
            if (sub.type == V_NUM) {
                Value tmp = sub;
                r.key = astr_ref(awkv_tostr(a, &tmp));
                sub = tmp;
            } else {
                r.key = astr_ref(awkv_tostr(a, &sub));
            }
            awkv_free(&sub);
            push_ref(a, r);
            break;
        }
        case I_REFF: {
            Value iv = pop(a);
            long i = field_index(a, &iv, true);
            awkv_free(&iv);
            if (i < 0) goto fatal;
            LRef r = {.kind = in->b ? 3 : 2, .field = (size_t)i, .slot = -1};
            push_ref(a, r);
            break;
        }
        case I_GETLINE: {
            AwkStr *src = NULL;
            if (in->a != GL_MAIN) {
                Value sv = pop(a);
                src = astr_ref(awkv_tostr(a, &sv));
                awkv_free(&sv);
            }
            LRef *target = in->b ? &a->refs[a->nrefs - 1] : NULL;
            int r = awk_getline(a, in->a, src, target);
            if (src) astr_unref(src);
            if (target) awk_lref_release(&a->refs[--a->nrefs]);
            if (r == -2 || a->fatal) goto fatal;
            push(a, awkv_num(r));
            break;
        }
        case I_DELG: case I_DELL: {
            Var *v = in->op == I_DELG ? gvar(a, in->a) : &locals[in->a];
            Array *arr = awk_var_array(a, v);
            if (!arr) goto fatal;
            Value sub = pop(a);
            awka_delete(a, arr, &sub);
            awkv_free(&sub);
            break;
        }
        case I_DELALLG: case I_DELALLL: {
            Var *v = in->op == I_DELALLG ? gvar(a, in->a) : &locals[in->a];
            Array *arr = awk_var_array(a, v);
            if (!arr) goto fatal;
            awka_clear(arr);
            break;
        }
        case I_FORIN_START: {
            Var *v = in->b == SC_GLOBAL ? gvar(a, in->a) : &locals[in->a];
            Array *arr = awk_var_array(a, v);
            if (!arr) goto fatal;
            if (!forin_start(a, arr)) goto fatal;
            break;
        }
        case I_FORIN_NEXT: {
            ForIter *it = &a->iters[a->niters - 1];
            if (it->i >= it->keys.n) {
                pc = (size_t)in->a;
                break;
            }
            push(a, awkv_str(astr_ref(it->keys.v[it->i++])));
            if (++a->steps >= 1024) {
                a->steps = 0;
                if (awk_should_stop(a)) goto fatal;
            }
            break;
        }
        case I_FORIN_POP: awka_keys_free(&a->iters[--a->niters].keys); break;
        case I_RANGE_CHECK: if (a->ranges[in->b]) pc = (size_t)in->a; break;
        case I_RANGE_SET: a->ranges[in->a] = in->b != 0; break;
        case I_SWITCH_EQ: {
            Value *x = &a->stack[a->sp - 1];
            Value *c = &a->prog.consts[in->a];
            bool eq;
            if (c->type == V_REGEX) {
                AwkStr *s = awkv_tostr(a, x);
                int r = awk_search(a, awk_const_re(a, (int)c->num), s->s, s->len, 0, false, NULL, 0);
                if (r < 0) goto fatal;
                eq = r == RX_MATCH;
            } else {
                Value cv = awkv_copy(c);
                eq = awkv_compare(a, x, &cv) == 0;
                awkv_free(&cv);
            }
            if (eq) {
                Value v = pop(a);
                awkv_free(&v);
                pc = (size_t)in->b;
            }
            break;
        }
        case I_HALT: result = RUN_OK; goto done;
        default: awk_fatal(a, "internal error: bad instruction %d", in->op); goto fatal;
        }
    }
fatal:
    result = RUN_FATAL;
done:
    unwind(a, base_frames, base_sp, base_iters, base_refs);
    return result;
}

/* Calls user function fidx with (k1, v1, k2, v2) for a sort comparison. */
bool awk_vm_call_cmp(Awk *a, int fidx, AwkStr *k1, Value *v1, AwkStr *k2, Value *v2, double *out) {
    Func *fn = &a->prog.funcs[fidx];
    int n = fn->nparams < 4 ? fn->nparams : 4;
    Value args[4] = {awkv_str(astr_ref(k1)), awkv_copy(v1), awkv_str(astr_ref(k2)), awkv_copy(v2)};
    for (int i = 0; i < 4; i++) {
        if (i < n) push(a, args[i]);
        else awkv_free(&args[i]);
    }
    Insn ins[2] = {{I_CALL, fidx, n, a->cur_line}, {I_HALT, 0, 0, a->cur_line}};
    Code tiny = {ins, 2, 2};
    size_t sp0 = a->sp - (size_t)n;
    int r = awk_vm_run(a, &tiny);
    if (r == RUN_FATAL || a->fatal) return false;
    if (a->sp > sp0) {
        Value rv = pop(a);
        *out = awkv_tonum(a, &rv);
        awkv_free(&rv);
    }
    return true;
}
