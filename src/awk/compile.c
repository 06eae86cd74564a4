/* compile.c - the AST to bytecode for the stack machine in vm.c.
 *
 * Expressions leave one value on the stack. An assignment evaluates its
 * right side first, then the subscript or field number of its target (as
 * gawk does: `a[i++] = i` stores the old i). Lvalues that builtins write
 * (sub/gsub targets, getline variables) are pushed on a separate reference
 * stack. Loops keep lists of jumps to patch for break and continue. */
#include "awkint.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct Patch {
    size_t *v;
    size_t n, cap;
} Patch;

typedef struct Loop {
    Patch brk, cont;
    bool is_switch;
} Loop;

typedef struct Cc {
    Awk *a;
    Prog *p;
    Code *code;
    Loop loops[256];
    int nloops;
    bool err;
    int zero, one; /* constant slots */
} Cc;

static size_t emit(Cc *cc, int op, int a, int b, int line) {
    Code *c = cc->code;
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 64;
        c->v = xrealloc(c->v, c->cap * sizeof *c->v);
    }
    Insn *i = &c->v[c->n];
    i->op = (uint8_t)op;
    i->a = a;
    i->b = b;
    i->line = line;
    return c->n++;
}

static size_t here(Cc *cc) { return cc->code->n; }
static void patch_to(Cc *cc, size_t at, size_t target) { cc->code->v[at].a = (int32_t)target; }

static void patch_add(Patch *p, size_t at) {
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 8;
        p->v = xrealloc(p->v, p->cap * sizeof *p->v);
    }
    p->v[p->n++] = at;
}

static void patch_all(Cc *cc, Patch *p, size_t target) {
    for (size_t i = 0; i < p->n; i++) patch_to(cc, p->v[i], target);
    free(p->v);
    memset(p, 0, sizeof *p);
}

int awk_prog_const(Prog *p, Value v) {
    if (p->nconsts == p->cconsts) {
        p->cconsts = p->cconsts ? p->cconsts * 2 : 32;
        p->consts = xrealloc(p->consts, (size_t)p->cconsts * sizeof *p->consts);
    }
    p->consts[p->nconsts] = v;
    return p->nconsts++;
}

int awk_prog_global(Prog *p, const char *name) {
    for (int i = 0; i < p->nglobals; i++)
        if (!strcmp(p->gnames[i], name)) return i;
    if (p->nglobals == p->cglobals) {
        p->cglobals = p->cglobals ? p->cglobals * 2 : 64;
        p->gnames = xrealloc(p->gnames, (size_t)p->cglobals * sizeof *p->gnames);
    }
    p->gnames[p->nglobals] = xstrdup(name);
    return p->nglobals++;
}

int awk_prog_regex(Awk *a, Prog *p, const char *src, size_t n, int line, size_t pos, bool *ok) {
    (void)pos;
    for (int i = 0; i < p->nres; i++)
        if (p->res[i].srclen == n && !memcmp(p->res[i].src, src, n)) return i;
    int save = a->cur_line;
    a->cur_line = line;
    Regex *re = awk_regcomp(a, src, n, false, false);
    a->cur_line = save;
    if (!re) {
        *ok = false;
        return 0;
    }
    if (p->nres == p->cres) {
        p->cres = p->cres ? p->cres * 2 : 16;
        p->res = xrealloc(p->res, (size_t)p->cres * sizeof *p->res);
    }
    AwkRegex *r = &p->res[p->nres];
    r->re = re;
    r->re_icase = NULL;
    r->src = xstrndup(src, n);
    r->srclen = n;
    r->icase = false;
    return p->nres++;
}

static int num_const(Cc *cc, double d) { return awk_prog_const(cc->p, awkv_num(d)); }

static int str_const(Cc *cc, const char *s, size_t n) { return awk_prog_const(cc->p, awkv_str(astr_new(s, n))); }

/* A regex constant as a value for builtins: V_STR text + flag, num = index. */
static int regex_const(Cc *cc, const Node *n) {
    bool ok = true;
    int idx = awk_prog_regex(cc->a, cc->p, n->str, n->len, n->line, n->pos, &ok);
    if (!ok) {
        cc->err = true;
        return 0;
    }
    Value v = awkv_str(astr_new(n->str, n->len));
    v.type = V_REGEX;
    v.num = idx;
    return awk_prog_const(cc->p, v);
}

static void expr_c(Cc *cc, Node *n);
static void stmt_c(Cc *cc, Node *n);

static int count_list(Node *n) {
    int c = 0;
    for (; n; n = n->next) c++;
    return c;
}

/* Pushes one subscript: several are joined with SUBSEP. */
static void subscript_c(Cc *cc, Node *list, int line) {
    int n = 0;
    for (Node *e = list; e; e = e->next, n++) expr_c(cc, e);
    if (n > 1) emit(cc, I_SUBSEP, n, 0, line);
}

static bool is_const_num(const Node *n) { return n->kind == N_NUM; }

static void store_c(Cc *cc, Node *lv, int op, int line) {
    switch (lv->kind) {
    case N_VAR:
        emit(cc, lv->scope == SC_GLOBAL ? I_STOREG : I_STOREL, lv->slot, op, line);
        break;
    case N_INDEX:
        subscript_c(cc, lv->a, line);
        emit(cc, lv->scope == SC_GLOBAL ? I_STOREAG : I_STOREAL, lv->slot, op, line);
        break;
    case N_FIELD:
        expr_c(cc, lv->a);
        emit(cc, I_STOREF, 0, op, line);
        break;
    default: cc->err = true;
    }
}

static void ref_c(Cc *cc, Node *lv, int line) {
    switch (lv->kind) {
    case N_VAR: emit(cc, lv->scope == SC_GLOBAL ? I_REFG : I_REFL, lv->slot, 0, line); break;
    case N_INDEX:
        subscript_c(cc, lv->a, line);
        emit(cc, lv->scope == SC_GLOBAL ? I_REFAG : I_REFAL, lv->slot, 0, line);
        break;
    case N_FIELD:
        expr_c(cc, lv->a);
        emit(cc, I_REFF, 0, 0, line);
        break;
    default: cc->err = true;
    }
}

static void array_arg_c(Cc *cc, Node *n, int line) {
    if (n->kind != N_VAR) {
        StrBuf b;
        sb_init(&b);
        awk_prog_where(cc->a, &b, line);
        sb_puts(&b, "fatal: attempt to use a scalar value as array\n");
        uc_write(cc->a->c, 2, b.s, b.len);
        sb_free(&b);
        cc->err = true;
        cc->a->exit_status = 2;
        return;
    }
    emit(cc, n->scope == SC_GLOBAL ? I_PUSHARRG : I_PUSHARRL, n->slot, 0, line);
}

static void name_arg_c(Cc *cc, Node *n, int line) {
    if (n->kind == N_VAR && !(n->scope == SC_GLOBAL && n->slot == G_NF))
        emit(cc, n->scope == SC_GLOBAL ? I_PUSHNAMEG : I_PUSHNAMEL, n->slot, 0, line);
    else
        expr_c(cc, n);
}

static void regex_or_value_c(Cc *cc, Node *n) {
    if (n->kind == N_REGEX) emit(cc, I_CONST, regex_const(cc, n), 0, n->line);
    else expr_c(cc, n);
}

static Node *nth(Node *l, int i) {
    while (l && i-- > 0) l = l->next;
    return l;
}

static void builtin_c(Cc *cc, Node *n) {
    int id = n->op, nargs = (int)n->num, line = n->line;
    Node *args = n->a;
    switch (id) {
    case B_LENGTH:
        if (nargs == 0) {
            emit(cc, I_FIELDC, 0, 0, line);
            nargs = 1;
        } else {
            name_arg_c(cc, args, line);
        }
        break;
    case B_SPLIT: case B_PATSPLIT:
        if (nargs < 2 || nargs > 4) goto bad_count;
        expr_c(cc, args);
        array_arg_c(cc, nth(args, 1), line);
        if (nargs >= 3) regex_or_value_c(cc, nth(args, 2));
        if (nargs == 4) array_arg_c(cc, nth(args, 3), line);
        break;
    case B_SUB: case B_GSUB:
        if (nargs < 2 || nargs > 3) goto bad_count;
        regex_or_value_c(cc, args);
        expr_c(cc, nth(args, 1));
        if (nargs == 3) {
            Node *t = nth(args, 2);
            if (t->kind == N_GROUP && t->num == 1) t = t->a;
            if (t->kind == N_VAR || t->kind == N_INDEX || t->kind == N_FIELD) {
                ref_c(cc, t, line);
            } else {
                /* gawk: a non-lvalue target is a warning; the result is dropped */
                expr_c(cc, t);
                emit(cc, I_POP, 0, 0, line);
                emit(cc, I_CONST, num_const(cc, 0), 0, line);
                emit(cc, I_REFF, 0, 1, line); /* a scratch ref */
            }
        } else {
            emit(cc, I_CONST, num_const(cc, 0), 0, line);
            emit(cc, I_REFF, 0, 0, line);
        }
        nargs = 2;
        break;
    case B_MATCH:
        if (nargs < 2 || nargs > 3) goto bad_count;
        expr_c(cc, args);
        regex_or_value_c(cc, nth(args, 1));
        if (nargs == 3) array_arg_c(cc, nth(args, 2), line);
        break;
    case B_GENSUB:
        if (nargs < 3 || nargs > 4) goto bad_count;
        regex_or_value_c(cc, args);
        expr_c(cc, nth(args, 1));
        expr_c(cc, nth(args, 2));
        if (nargs == 4) expr_c(cc, nth(args, 3));
        else emit(cc, I_FIELDC, 0, 0, line);
        nargs = 4;
        break;
    case B_ASORT: case B_ASORTI:
        if (nargs < 1 || nargs > 3) goto bad_count;
        array_arg_c(cc, args, line);
        if (nargs >= 2) array_arg_c(cc, nth(args, 1), line);
        if (nargs == 3) expr_c(cc, nth(args, 2));
        break;
    case B_ISARRAY: case B_TYPEOF:
        if (nargs != 1) goto bad_count;
        name_arg_c(cc, args, line);
        break;
    default:
        for (Node *e = args; e; e = e->next) {
            if (e->kind == N_REGEX && (id == B_SPRINTF)) expr_c(cc, e);
            else expr_c(cc, e);
        }
        break;
    }
    emit(cc, I_BUILTIN, id, nargs, line);
    return;
bad_count: {
    StrBuf b;
    sb_init(&b);
    static const char *const names[] = {"length", "substr", "index", "split", "sub", "gsub", "match", "sprintf", "sin", "cos",
                                        "atan2", "exp", "log", "sqrt", "int", "rand", "srand", "tolower", "toupper", "system",
                                        "close", "fflush", "gensub", "patsplit", "strftime", "systime", "mktime", "asort",
                                        "asorti", "and", "or", "xor", "lshift", "rshift", "compl", "strtonum", "isarray",
                                        "typeof", "mkbool"};
    awk_prog_where(cc->a, &b, line);
    sb_printf(&b, "error: %d is invalid as number of arguments for %s\n", nargs, names[id]);
    uc_write(cc->a->c, 2, b.s, b.len);
    sb_free(&b);
    cc->err = true;
}
}

static void concat_collect(Cc *cc, Node *n, int *count) {
    if (n->kind == N_CONCAT) {
        concat_collect(cc, n->a, count);
        concat_collect(cc, n->b, count);
        return;
    }
    expr_c(cc, n);
    (*count)++;
}

/* An operand whose value is only used as a number: a constant field is
 * read as a number straight from the record (no string is made). */
static void num_operand_c(Cc *cc, Node *n) {
    if (n->kind == N_FIELD && is_const_num(n->a) && n->a->num >= 1 && n->a->num < 1e9 && n->a->num == floor(n->a->num)) {
        emit(cc, I_FIELDNUMC, (int)n->a->num, 0, n->line);
        return;
    }
    expr_c(cc, n);
}

static void div_zero_error(Cc *cc, int line, bool mod) {
    StrBuf b;
    sb_init(&b);
    awk_prog_where(cc->a, &b, line);
    sb_puts(&b, mod ? "error: division by zero attempted in `%'\n" : "error: division by zero attempted\n");
    uc_write(cc->a->c, 2, b.s, b.len);
    sb_free(&b);
    cc->err = true;
}

static void expr_c(Cc *cc, Node *n) {
    if (cc->err || !n) return;
    int line = n->line;
    switch (n->kind) {
    case N_NUM: emit(cc, I_CONST, num_const(cc, n->num), 0, line); break;
    case N_STR: emit(cc, I_CONST, str_const(cc, n->str, n->len), 0, line); break;
    case N_REGEX: {
        bool ok = true;
        int k = awk_prog_regex(cc->a, cc->p, n->str, n->len, line, n->pos, &ok);
        if (!ok) { cc->err = true; return; }
        emit(cc, I_REGEX0, k, 0, line);
        break;
    }
    case N_VAR:
        if (n->scope == SC_GLOBAL && n->slot == G_NF) emit(cc, I_GETNF, 0, 0, line);
        else emit(cc, n->scope == SC_GLOBAL ? I_GETG : I_GETL, n->slot, 0, line);
        break;
    case N_FIELD:
        if (is_const_num(n->a) && n->a->num >= 0 && n->a->num < 1e9 && n->a->num == floor(n->a->num)) {
            emit(cc, I_FIELDC, (int)n->a->num, 0, line);
        } else {
            expr_c(cc, n->a);
            emit(cc, I_FIELD, 0, 0, line);
        }
        break;
    case N_INDEX:
        subscript_c(cc, n->a, line);
        emit(cc, n->scope == SC_GLOBAL ? I_AGETG : I_AGETL, n->slot, 0, line);
        break;
    case N_GROUP:
        if (n->num > 1) subscript_c(cc, n->a, line);
        else expr_c(cc, n->a);
        break;
    case N_ASSIGN:
        if (n->op != OP_NONE) num_operand_c(cc, n->b);
        else expr_c(cc, n->b);
        store_c(cc, n->a, n->op, line);
        break;
    case N_COND: {
        expr_c(cc, n->a);
        size_t jf = emit(cc, I_JFALSE, 0, 0, line);
        expr_c(cc, n->b);
        size_t je = emit(cc, I_JMP, 0, 0, line);
        patch_to(cc, jf, here(cc));
        expr_c(cc, n->c);
        patch_to(cc, je, here(cc));
        break;
    }
    case N_AND: case N_OR: {
        expr_c(cc, n->a);
        size_t j1 = emit(cc, n->kind == N_AND ? I_JFALSE : I_JTRUE, 0, 0, line);
        expr_c(cc, n->b);
        emit(cc, I_TOBOOL, 0, 0, line);
        size_t j2 = emit(cc, I_JMP, 0, 0, line);
        patch_to(cc, j1, here(cc));
        emit(cc, I_CONST, n->kind == N_AND ? cc->zero : cc->one, 0, line);
        patch_to(cc, j2, here(cc));
        break;
    }
    case N_NOT: expr_c(cc, n->a); emit(cc, I_NOT, 0, 0, line); break;
    case N_NEG:
        if (n->a->kind == N_NUM) emit(cc, I_CONST, num_const(cc, -n->a->num), 0, line);
        else { num_operand_c(cc, n->a); emit(cc, I_NEG, 0, 0, line); }
        break;
    case N_UPLUS: num_operand_c(cc, n->a); emit(cc, I_UPLUS, 0, 0, line); break;
    case N_BINARY: {
        if ((n->op == OP_DIV || n->op == OP_MOD) && n->b->kind == N_NUM && n->b->num == 0 &&
            (n->a->kind == N_NUM || n->a->kind == N_NEG)) {
            div_zero_error(cc, line, n->op == OP_MOD);
            return;
        }
        num_operand_c(cc, n->a);
        num_operand_c(cc, n->b);
        static const int ops[] = {I_NOP, I_ADD, I_SUB, I_MUL, I_DIV, I_MOD, I_POW};
        emit(cc, ops[n->op], 0, 0, line);
        break;
    }
    case N_CMP:
        expr_c(cc, n->a);
        expr_c(cc, n->b);
        emit(cc, I_CMP, n->op, 0, line);
        break;
    case N_MATCH:
        expr_c(cc, n->a);
        if (n->b->kind == N_REGEX) {
            bool ok = true;
            int k = awk_prog_regex(cc->a, cc->p, n->b->str, n->b->len, line, n->b->pos, &ok);
            if (!ok) { cc->err = true; return; }
            emit(cc, I_MATCHRE, k, n->op, line);
        } else {
            expr_c(cc, n->b);
            emit(cc, I_MATCH, n->op, 0, line);
        }
        break;
    case N_CONCAT: {
        int count = 0;
        concat_collect(cc, n, &count);
        emit(cc, I_CONCAT, count, 0, line);
        break;
    }
    case N_IN:
        subscript_c(cc, n->a, line);
        emit(cc, n->scope == SC_GLOBAL ? I_ING : I_INL, n->slot, 0, line);
        break;
    case N_INCDEC: {
        Node *lv = n->a;
        if (lv->kind == N_GROUP) lv = lv->a;
        switch (lv->kind) {
        case N_VAR: emit(cc, lv->scope == SC_GLOBAL ? I_INCG : I_INCL, lv->slot, n->op, line); break;
        case N_INDEX:
            subscript_c(cc, lv->a, line);
            emit(cc, lv->scope == SC_GLOBAL ? I_INCAG : I_INCAL, lv->slot, n->op, line);
            break;
        case N_FIELD:
            expr_c(cc, lv->a);
            emit(cc, I_INCF, 0, n->op, line);
            break;
        default: cc->err = true;
        }
        break;
    }
    case N_CALL: {
        Func *f = &cc->p->funcs[n->func];
        if ((int)n->num > f->nparams) {
            StrBuf b;
            sb_init(&b);
            awk_prog_where(cc->a, &b, line);
            sb_printf(&b, "warning: function `%s' called with more arguments than declared\n", f->name);
            uc_write(cc->a->c, 2, b.s, b.len);
            sb_free(&b);
        }
        for (Node *e = n->a; e; e = e->next) name_arg_c(cc, e, line);
        emit(cc, I_CALL, n->func, (int)n->num, line);
        break;
    }
    case N_BUILTIN:
        builtin_c(cc, n);
        break;
    case N_GETLINE:
        if (n->a) ref_c(cc, n->a, line);
        if (n->b) expr_c(cc, n->b);
        emit(cc, I_GETLINE, n->op, n->a != NULL, line);
        break;
    default: cc->err = true;
    }
}

static Loop *push_loop(Cc *cc, bool is_switch) {
    if (cc->nloops == 256) {
        cc->err = true;
        return NULL;
    }
    Loop *l = &cc->loops[cc->nloops++];
    memset(l, 0, sizeof *l);
    l->is_switch = is_switch;
    return l;
}

static void stmts_c(Cc *cc, Node *n) {
    for (; n && !cc->err; n = n->next) stmt_c(cc, n);
}

static Loop *innermost(Cc *cc, bool for_continue) {
    for (int i = cc->nloops - 1; i >= 0; i--)
        if (!for_continue || !cc->loops[i].is_switch) return &cc->loops[i];
    return NULL;
}

static void switch_c(Cc *cc, Node *n) {
    int line = n->line;
    expr_c(cc, n->a);
    int ncases = count_list(n->b);
    size_t *jumps = xcalloc((size_t)ncases + 1, sizeof *jumps);
    Node *def = NULL;
    int i = 0;
    for (Node *c = n->b; c; c = c->next, i++) {
        if (!c->a) { def = c; continue; }
        int k;
        if (c->a->kind == N_REGEX) k = regex_const(cc, c->a);
        else if (c->a->kind == N_NUM) k = num_const(cc, c->a->num);
        else k = str_const(cc, c->a->str, c->a->len);
        jumps[i] = emit(cc, I_SWITCH_EQ, k, 0, c->line);
    }
    emit(cc, I_POP, 0, 0, line);
    size_t to_default = emit(cc, I_JMP, 0, 0, line);
    Loop *l = push_loop(cc, true);
    if (!l) { free(jumps); return; }
    i = 0;
    size_t def_at = 0;
    for (Node *c = n->b; c; c = c->next, i++) {
        if (c->a) cc->code->v[jumps[i]].b = (int32_t)here(cc);
        else def_at = here(cc);
        stmts_c(cc, c->b);
    }
    size_t end = here(cc);
    patch_to(cc, to_default, def ? def_at : end);
    patch_all(cc, &l->brk, end);
    cc->nloops--;
    free(jumps);
}

static void stmt_c(Cc *cc, Node *n) {
    if (cc->err || !n) return;
    int line = n->line;
    switch (n->kind) {
    case S_EXPR: {
        Node *e = n->a;
        if (e->kind == N_INCDEC && (e->op == 3 || e->op == 4)) e->op -= 2; /* value unused: pre is cheaper */
        expr_c(cc, e);
        emit(cc, I_POP, 0, 0, line);
        break;
    }
    case S_PRINT: case S_PRINTF: {
        for (Node *e = n->a; e; e = e->next) expr_c(cc, e);
        if (n->b) expr_c(cc, n->b);
        emit(cc, n->kind == S_PRINT ? I_PRINT : I_PRINTF, (int)n->num, n->op, line);
        break;
    }
    case S_IF: {
        expr_c(cc, n->a);
        size_t jf = emit(cc, I_JFALSE, 0, 0, line);
        stmt_c(cc, n->b);
        if (n->c) {
            size_t je = emit(cc, I_JMP, 0, 0, line);
            patch_to(cc, jf, here(cc));
            stmt_c(cc, n->c);
            patch_to(cc, je, here(cc));
        } else {
            patch_to(cc, jf, here(cc));
        }
        break;
    }
    case S_WHILE: {
        size_t top = here(cc);
        expr_c(cc, n->a);
        size_t jf = emit(cc, I_JFALSE, 0, 0, line);
        Loop *l = push_loop(cc, false);
        if (!l) return;
        stmt_c(cc, n->b);
        emit(cc, I_JMP, (int)top, 0, line);
        patch_to(cc, jf, here(cc));
        patch_all(cc, &l->brk, here(cc));
        patch_all(cc, &l->cont, top);
        cc->nloops--;
        break;
    }
    case S_DO: {
        size_t top = here(cc);
        Loop *l = push_loop(cc, false);
        if (!l) return;
        stmt_c(cc, n->b);
        size_t cont = here(cc);
        expr_c(cc, n->a);
        emit(cc, I_JTRUE, (int)top, 0, line);
        patch_all(cc, &l->brk, here(cc));
        patch_all(cc, &l->cont, cont);
        cc->nloops--;
        break;
    }
    case S_FOR: {
        stmt_c(cc, n->a);
        size_t top = here(cc);
        size_t jf = 0;
        bool has_cond = n->b != NULL;
        if (has_cond) {
            expr_c(cc, n->b);
            jf = emit(cc, I_JFALSE, 0, 0, line);
        }
        Loop *l = push_loop(cc, false);
        if (!l) return;
        stmt_c(cc, n->d);
        size_t cont = here(cc);
        stmt_c(cc, n->c);
        emit(cc, I_JMP, (int)top, 0, line);
        if (has_cond) patch_to(cc, jf, here(cc));
        patch_all(cc, &l->brk, here(cc));
        patch_all(cc, &l->cont, cont);
        cc->nloops--;
        break;
    }
    case S_FORIN: {
        emit(cc, I_FORIN_START, n->slot, n->scope, line);
        size_t next = emit(cc, I_FORIN_NEXT, 0, 0, line);
        Node *v = n->a;
        if (v->scope == SC_GLOBAL && v->slot == G_NF) emit(cc, I_STOREG, v->slot, OP_NONE, line);
        else emit(cc, v->scope == SC_GLOBAL ? I_STOREG : I_STOREL, v->slot, OP_NONE, line);
        emit(cc, I_POP, 0, 0, line);
        Loop *l = push_loop(cc, false);
        if (!l) return;
        stmt_c(cc, n->b);
        emit(cc, I_JMP, (int)next, 0, line);
        size_t cleanup = here(cc);
        patch_to(cc, next, cleanup);
        emit(cc, I_FORIN_POP, 0, 0, line);
        patch_all(cc, &l->brk, cleanup);
        patch_all(cc, &l->cont, next);
        cc->nloops--;
        break;
    }
    case S_BLOCK: stmts_c(cc, n->a); break;
    case S_NEXT: emit(cc, I_NEXT, 0, 0, line); break;
    case S_NEXTFILE: emit(cc, I_NEXTFILE, 0, 0, line); break;
    case S_EXIT:
        if (n->a) {
            expr_c(cc, n->a);
            emit(cc, I_EXIT, 0, 0, line);
        } else {
            emit(cc, I_EXIT0, 0, 0, line);
        }
        break;
    case S_RETURN:
        if (n->a) {
            expr_c(cc, n->a);
            emit(cc, I_RETURN, 0, 0, line);
        } else {
            emit(cc, I_RETURN0, 0, 0, line);
        }
        break;
    case S_BREAK: case S_CONTINUE: {
        Loop *l = innermost(cc, n->kind == S_CONTINUE);
        if (!l) { cc->err = true; return; }
        size_t j = emit(cc, I_JMP, 0, 0, line);
        patch_add(n->kind == S_BREAK ? &l->brk : &l->cont, j);
        break;
    }
    case S_DELETE:
        if (n->a) {
            subscript_c(cc, n->a, line);
            emit(cc, n->scope == SC_GLOBAL ? I_DELG : I_DELL, n->slot, 0, line);
        } else {
            emit(cc, n->scope == SC_GLOBAL ? I_DELALLG : I_DELALLL, n->slot, 0, line);
        }
        break;
    case S_SWITCH: switch_c(cc, n); break;
    default: cc->err = true;
    }
}

static void pattern_c(Cc *cc, Node *p) {
    expr_c(cc, p);
}

static void rules_c(Cc *cc, Node *rules) {
    for (Node *r = rules; r && !cc->err; r = r->next) {
        int line = r->line;
        if (!r->a) {
            stmt_c(cc, r->c);
            continue;
        }
        size_t jnext;
        if (r->op == 1) {
            int id = cc->p->nranges++;
            size_t jact = emit(cc, I_RANGE_CHECK, 0, id, line);
            pattern_c(cc, r->a);
            jnext = emit(cc, I_JFALSE, 0, 0, line);
            emit(cc, I_RANGE_SET, id, 1, line);
            patch_to(cc, jact, here(cc));
            pattern_c(cc, r->b);
            size_t jdo = emit(cc, I_JFALSE, 0, 0, line);
            emit(cc, I_RANGE_SET, id, 0, line);
            patch_to(cc, jdo, here(cc));
        } else {
            pattern_c(cc, r->a);
            jnext = emit(cc, I_JFALSE, 0, 0, line);
        }
        if (r->c) stmt_c(cc, r->c);
        else emit(cc, I_PRINT, 0, R_NONE, line);
        patch_to(cc, jnext, here(cc));
    }
    emit(cc, I_HALT, 0, 0, 0);
}

static void blocks_c(Cc *cc, Code *code, Node *blocks) {
    cc->code = code;
    for (Node *b = blocks; b && !cc->err; b = b->next) stmt_c(cc, b);
    emit(cc, I_HALT, 0, 0, 0);
}

bool awk_compile(Awk *a, Prog *p, Node *begin, Node *main, Node *end, Node *bfile, Node *efile) {
    Cc cc;
    memset(&cc, 0, sizeof cc);
    cc.a = a;
    cc.p = p;
    cc.zero = awk_prog_const(p, awkv_num(0));
    cc.one = awk_prog_const(p, awkv_num(1));
    blocks_c(&cc, &p->begin, begin);
    blocks_c(&cc, &p->end, end);
    blocks_c(&cc, &p->beginfile, bfile);
    blocks_c(&cc, &p->endfile, efile);
    cc.code = &p->main;
    rules_c(&cc, main);
    p->has_main = main != NULL;
    p->has_end = end != NULL;
    p->has_beginfile = bfile != NULL;
    p->has_endfile = efile != NULL;
    for (int i = 0; i < p->nfuncs && !cc.err; i++) {
        cc.code = &p->funcs[i].code;
        cc.nloops = 0;
        stmt_c(&cc, p->funcs[i].body);
        emit(&cc, I_RETURN0, 0, 0, p->funcs[i].line);
    }
    if (cc.err && !a->exit_status) a->exit_status = 1;
    return !cc.err;
}

void awk_prog_free(Prog *p) {
    free(p->begin.v);
    free(p->main.v);
    free(p->end.v);
    free(p->beginfile.v);
    free(p->endfile.v);
    for (int i = 0; i < p->nfuncs; i++) {
        free(p->funcs[i].name);
        for (int j = 0; j < p->funcs[i].nparams; j++) free(p->funcs[i].pnames[j]);
        free(p->funcs[i].pnames);
        free(p->funcs[i].code.v);
    }
    free(p->funcs);
    for (int i = 0; i < p->nconsts; i++) {
        Value *v = &p->consts[i];
        awkv_free(v);
    }
    free(p->consts);
    for (int i = 0; i < p->nres; i++) {
        rx_free(p->res[i].re);
        if (p->res[i].re_icase) rx_free(p->res[i].re_icase);
        free(p->res[i].src);
    }
    free(p->res);
    for (int i = 0; i < p->nglobals; i++) free(p->gnames[i]);
    free(p->gnames);
    for (int i = 0; i < p->nsrcs; i++) free(p->srcs[i].name);
    free(p->srcs);
    free(p->text);
    memset(p, 0, sizeof *p);
}
