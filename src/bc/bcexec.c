/* bcexec.c - bc's loader, machine, variable storage and number output.
 *
 * The loader turns the parser's code strings into byte code laid out as
 * GNU bc's (variable numbers take one byte below 128, labels two bytes,
 * constants their digits), so runtime errors report the same addresses.
 * Variables and arrays keep a stack of values each: a function's
 * parameters and autos shadow the caller's until it returns. */
#include "bcint.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { BC_DIM_MAX = 16777215 };

/* ---------------------------------------------------------------- output */

void bc_out_flush(Bc *b) {
    if (b->out.len) uc_write(b->c, 1, b->out.s, b->out.len);
    sb_clear(&b->out);
}

/* GNU's out_char: a backslash-newline before column line_size. */
static void out_char(Bc *b, char ch) {
    if (ch == '\n') {
        b->out_col = 0;
        sb_putc(&b->out, '\n');
    } else {
        b->out_col++;
        if (b->line_size != 0 && b->out_col == b->line_size - 1) {
            sb_puts(&b->out, "\\\n");
            b->out_col = 1;
        }
        sb_putc(&b->out, ch);
    }
    if (b->out.len >= 16384) bc_out_flush(b);
}

void bc_out_str(Bc *b, const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) out_char(b, s[i]);
}

static void out_cb(void *ctx, char ch) { out_char((Bc *)ctx, ch); }

static void out_num(Bc *b, const BcNum *num) { num_print(&b->nc, num, b->obase, out_cb, b); }

/* ---------------------------------------------------------------- errors */

static const char *func_name(Bc *b, int f) { return f == 0 ? "(main)" : b->funcs[f].name; }

static void rt_message(Bc *b, const char *kind, const char *fmt, va_list ap) {
    bc_out_flush(b);
    StrBuf m;
    sb_init(&m);
    sb_printf(&m, "%s (func=%s, adr=%ld): ", kind, func_name(b, b->pc_func), (long)b->pc_addr);
    sb_vprintf(&m, fmt, ap);
    sb_putc(&m, '\n');
    uc_write(b->c, 2, m.s, m.len);
    sb_free(&m);
}

void bc_rt_error(Bc *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    rt_message(b, "Runtime error", fmt, ap);
    va_end(ap);
    b->runtime_error = true;
}

void bc_rt_warn(Bc *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    rt_message(b, "Runtime warning", fmt, ap);
    va_end(ap);
}

/* ---------------------------------------------------------------- names */

static int add_name(char ***names, int *n, const char *name) {
    *names = xrealloc(*names, (size_t)(*n + 1) * sizeof **names);
    (*names)[*n] = xstrdup(name);
    return (*n)++;
}

int bc_lookup(Bc *b, const char *name, int kind) {
    if (kind == BC_SIMPLE) {
        for (int i = 5; i < b->nv; i++)
            if (b->vnames[i] && !strcmp(b->vnames[i], name)) return i;
        int v = add_name(&b->vnames, &b->nv, name);
        b->vars = xrealloc(b->vars, (size_t)b->nv * sizeof *b->vars);
        memset(&b->vars[v], 0, sizeof b->vars[v]);
        return v;
    }
    if (kind == BC_ARRAY) {
        for (int i = 1; i < b->na; i++)
            if (!strcmp(b->anames[i], name)) return -i;
        int a = add_name(&b->anames, &b->na, name);
        b->arrays = xrealloc(b->arrays, (size_t)b->na * sizeof *b->arrays);
        memset(&b->arrays[a], 0, sizeof b->arrays[a]);
        return -a;
    }
    for (int i = 1; i < b->nf; i++)
        if (!strcmp(b->funcs[i].name, name)) return i;
    b->funcs = xrealloc(b->funcs, (size_t)(b->nf + 1) * sizeof *b->funcs);
    memset(&b->funcs[b->nf], 0, sizeof *b->funcs);
    b->funcs[b->nf].name = xstrdup(name);
    return b->nf++;
}

/* ---------------------------------------------------------------- the stack */

static void push(Bc *b, BcNum *n) {
    if (b->sp == b->scap) {
        b->scap = b->scap ? b->scap * 2 : 64;
        b->stack = xrealloc(b->stack, b->scap * sizeof *b->stack);
    }
    b->stack[b->sp++] = n;
}

static void pop(Bc *b) {
    if (b->sp) num_free(b->stack[--b->sp]);
}

static bool check_stack(Bc *b, size_t n) {
    if (b->sp < n) {
        bc_rt_error(b, "Stack error.");
        return false;
    }
    return true;
}

#define TOS (b->stack[b->sp - 1])
#define NOS (b->stack[b->sp - 2])

/* ---------------------------------------------------------------- variables */

static void vs_push(VarStack *s, BcNum *v) {
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 4;
        s->v = xrealloc(s->v, s->cap * sizeof *s->v);
    }
    s->v[s->n++] = v;
}

static BcArray *array_new(void) {
    BcArray *a = xcalloc(1, sizeof *a);
    a->refs = 1;
    return a;
}

static void array_unref(BcArray *a) {
    if (!a || --a->refs > 0) return;
    for (size_t i = 0; i < a->n; i++) num_free(a->v[i]);
    free(a->v);
    free(a);
}

static void as_push(ArrStack *s, BcArray *a) {
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 4;
        s->v = xrealloc(s->v, s->cap * sizeof *s->v);
    }
    s->v[s->n++] = a;
}

static BcArray *array_top(Bc *b, int an) {
    ArrStack *s = &b->arrays[an];
    if (!s->n) as_push(s, array_new());
    return s->v[s->n - 1];
}

static BcNum **array_elem(Bc *b, int an, long idx) {
    BcArray *a = array_top(b, an);
    if ((size_t)idx >= a->n) {
        size_t nn = a->n ? a->n : 16;
        while (nn <= (size_t)idx) nn *= 2;
        a->v = xrealloc(a->v, nn * sizeof *a->v);
        memset(a->v + a->n, 0, (nn - a->n) * sizeof *a->v);
        a->n = nn;
    }
    return &a->v[idx];
}

static void load_var(Bc *b, int v) {
    switch (v) {
    case 0: push(b, num_from_long(b->ibase)); return;
    case 1: push(b, num_from_long(b->obase)); return;
    case 2: push(b, num_from_long(b->scale)); return;
    case 3: push(b, num_from_long(0)); return;
    case 4: push(b, num_copy(b->last)); return;
    default: {
        VarStack *s = &b->vars[v];
        push(b, s->n && s->v[s->n - 1] ? num_copy(s->v[s->n - 1]) : num_from_long(0));
    }
    }
}

/* Stores TOS in variable v (TOS stays). */
static void store_var(Bc *b, int v) {
    if (v >= 5) {
        VarStack *s = &b->vars[v];
        if (!s->n) vs_push(s, NULL);
        num_free(s->v[s->n - 1]);
        s->v[s->n - 1] = num_copy(TOS);
        return;
    }
    if (v == 4) {
        num_free(b->last);
        b->last = num_copy(TOS);
        return;
    }
    if (v == 3) return;
    long long t = num_to_long(TOS);
    bool toobig = !num_is_zero(TOS) && t == 0 && num_len(TOS) > 1;
    if (v == 2) {
        if (toobig || t > 2147483647LL) {
            b->scale = 2147483647;
            bc_rt_warn(b, "scale too large, set to %d", 2147483647);
        } else if (t < 0) {
            b->scale = 0;
            bc_rt_warn(b, "negative scale, set to 0");
        } else {
            b->scale = (int)t;
        }
    } else if (v == 0) {
        if (toobig) t = 36 + 1;
        if (t < 2) {
            b->ibase = 2;
            bc_rt_warn(b, "ibase too small, set to 2");
        } else if (t > 36) {
            b->ibase = 36;
            bc_rt_warn(b, "ibase too large, set to 36");
        } else {
            b->ibase = (int)t;
        }
    } else {
        if (toobig) t = 2147483647LL + 1LL;
        if (t < 2) {
            b->obase = 2;
            bc_rt_warn(b, "obase too small, set to 2");
        } else if (t > 2147483647LL) {
            b->obase = 2147483647;
            bc_rt_warn(b, "obase too large, set to %d", 2147483647);
        } else {
            b->obase = (int)t;
        }
    }
}

static void incr_var(Bc *b, int v, bool up) {
    load_var(b, v);
    BcNum *one = num_from_long(1);
    BcNum *r = up ? num_add(&b->nc, TOS, one, 0) : num_sub(&b->nc, TOS, one, 0);
    num_free(one);
    pop(b);
    if (!r) { b->runtime_error = true; return; }
    push(b, r);
    store_var(b, v);
    pop(b);
}

static bool array_index(Bc *b, BcNum *n, int an, long *idx) {
    long long i = num_to_long(n);
    if (i < 0 || i > BC_DIM_MAX || (i == 0 && !num_is_zero(n) && num_len(n) > 1)) {
        bc_rt_error(b, "Array %s subscript out of bounds.", b->anames[an]);
        return false;
    }
    *idx = (long)i;
    return true;
}

static void load_array(Bc *b, int an) {
    long i;
    if (!check_stack(b, 1) || !array_index(b, TOS, an, &i)) return;
    BcNum **e = array_elem(b, an, i);
    pop(b);
    push(b, *e ? num_copy(*e) : num_from_long(0));
}

/* TOS value, NOS index: stores, leaves the value. */
static void store_array(Bc *b, int an) {
    long i;
    if (!check_stack(b, 2) || !array_index(b, NOS, an, &i)) return;
    BcNum **e = array_elem(b, an, i);
    num_free(*e);
    *e = num_copy(TOS);
    BcNum *v = b->stack[--b->sp];
    pop(b);
    push(b, v);
}

/* TOS index: increments a[index], pops the index. */
static void incr_array(Bc *b, int an, bool up) {
    long i;
    if (!check_stack(b, 1) || !array_index(b, TOS, an, &i)) return;
    BcNum **e = array_elem(b, an, i);
    BcNum *zero = num_from_long(0), *one = num_from_long(1);
    BcNum *cur = *e ? *e : zero;
    BcNum *r = up ? num_add(&b->nc, cur, one, 0) : num_sub(&b->nc, cur, one, 0);
    num_free(*e);
    *e = r;
    num_free(zero);
    num_free(one);
    pop(b);
}

static void auto_var(Bc *b, int name) {
    if (name > 0) vs_push(&b->vars[name], NULL);
    else as_push(&b->arrays[-name], array_new());
}

static void pop_var(Bc *b, int name) {
    if (name > 0) {
        VarStack *s = &b->vars[name];
        if (s->n) num_free(s->v[--s->n]);
    } else {
        ArrStack *s = &b->arrays[-name];
        if (s->n) array_unref(s->v[--s->n]);
    }
}

static BcArray *array_copy(const BcArray *a) {
    BcArray *r = array_new();
    if (a && a->n) {
        r->v = xcalloc(a->n, sizeof *r->v);
        r->n = a->n;
        for (size_t i = 0; i < a->n; i++) r->v[i] = a->v[i] ? num_copy(a->v[i]) : NULL;
    }
    return r;
}

void bc_storage_free(Bc *b) {
    while (b->sp) pop(b);
    for (int i = 0; i < b->nv; i++) {
        for (size_t k = 0; k < b->vars[i].n; k++) num_free(b->vars[i].v[k]);
        free(b->vars[i].v);
        free(b->vnames[i]);
    }
    for (int i = 0; i < b->na; i++) {
        for (size_t k = 0; k < b->arrays[i].n; k++) array_unref(b->arrays[i].v[k]);
        free(b->arrays[i].v);
        free(b->anames[i]);
    }
    for (int i = 0; i < b->nf; i++) {
        free(b->funcs[i].name);
        free(b->funcs[i].body);
        free(b->funcs[i].labels);
        free(b->funcs[i].params);
        free(b->funcs[i].autos);
    }
    free(b->vars);
    free(b->vnames);
    free(b->arrays);
    free(b->anames);
    free(b->funcs);
    free(b->stack);
    free(b->frames);
    num_free(b->last);
}

/* ---------------------------------------------------------------- loader */

static void addbyte(Bc *b, int byte) {
    if (b->had_error) return;
    BcFunc *f = &b->funcs[b->load_func];
    if (b->load_addr >= f->cap) {
        f->cap = f->cap ? f->cap * 2 : 256;
        f->body = xrealloc(f->body, f->cap);
    }
    f->body[b->load_addr++] = (unsigned char)byte;
    if (b->load_addr > f->size) f->size = b->load_addr;
}

static long long_val(const char **s) {
    long v = 0;
    bool neg = false;
    if (**s == '-') { neg = true; (*s)++; }
    while (**s >= '0' && **s <= '9') v = v * 10 + (*(*s)++ - '0');
    return neg ? -v : v;
}

static void def_label(Bc *b, long lab) {
    BcFunc *f = &b->funcs[b->load_func];
    if ((size_t)lab >= f->nlabels) {
        size_t n = f->nlabels ? f->nlabels : 16;
        while (n <= (size_t)lab) n *= 2;
        f->labels = xrealloc(f->labels, n * sizeof *f->labels);
        for (size_t i = f->nlabels; i < n; i++) f->labels[i] = 0;
        f->nlabels = n;
    }
    f->labels[lab] = (long)b->load_addr;
}

static void add_num_byte(Bc *b, long v) {
    if (v < 128) addbyte(b, (int)v);
    else {
        addbyte(b, (int)(((v >> 8) & 0xff) | 0x80));
        addbyte(b, (int)(v & 0xff));
    }
}

static void clear_func(Bc *b, int fn) {
    BcFunc *f = &b->funcs[fn];
    f->size = 0;
    f->defined = false;
    f->native = 0;
    free(f->params);
    free(f->autos);
    f->params = f->autos = NULL;
    f->nparams = f->nautos = 0;
    if (f->labels) memset(f->labels, 0, f->nlabels * sizeof *f->labels);
}

static void add_arg(BcArg **list, int *n, long num, bool ref) {
    *list = xrealloc(*list, (size_t)(*n + 1) * sizeof **list);
    (*list)[*n].num = (int)num;
    (*list)[*n].ref = ref;
    (*n)++;
}

void bc_reset_main(Bc *b) {
    clear_func(b, 0);
    b->load_func = 0;
    b->load_addr = 0;
}

void bc_load(Bc *b, const char *code) {
    const char *s = code;
    bool in_str = false, in_const = false;
    int save_func = 0;
    size_t save_addr = 0;
    while (*s) {
        if (b->had_error) return;
        if (in_str) {
            if (*s == '"') in_str = false;
            addbyte(b, *s++);
            continue;
        }
        if (in_const) {
            if (*s == '\n') s++;
            else if (*s == ':') { in_const = false; addbyte(b, *s++); }
            else if (*s == '.') addbyte(b, *s++);
            else if (*s >= 'A') addbyte(b, *s++ + 10 - 'A');
            else addbyte(b, *s++ - '0');
            continue;
        }
        switch (*s) {
        case '"': in_str = true; break;
        case 'N': s++; def_label(b, long_val(&s)); break;
        case 'B': case 'J': case 'Z': {
            addbyte(b, *s++);
            long lab = long_val(&s);
            addbyte(b, (int)(lab & 0xff));
            addbyte(b, (int)((lab >> 8) & 0xff));
            break;
        }
        case 'F': {
            s++;
            long fn = long_val(&s);
            clear_func(b, (int)fn);
            BcFunc *f = &b->funcs[fn];
            while (*s++ != '.') {
                if (*s == '.') { s++; break; }
                bool ref = false;
                if (*s == '*') { ref = true; s++; }
                add_arg(&f->params, &f->nparams, long_val(&s), ref);
            }
            while (*s != '[') {
                if (*s == ',') s++;
                if (*s == '[') break;
                add_arg(&f->autos, &f->nautos, long_val(&s), false);
            }
            save_func = b->load_func;
            save_addr = b->load_addr;
            b->load_func = (int)fn;
            b->load_addr = 0;
            break;
        }
        case ']':
            b->funcs[b->load_func].defined = true;
            b->load_func = save_func;
            b->load_addr = save_addr;
            break;
        case 'C': {
            addbyte(b, *s++);
            add_num_byte(b, long_val(&s));
            if (*s == ',') s++;
            while (*s && *s != ':') addbyte(b, *s++);
            addbyte(b, ':');
            break;
        }
        case 'c':
            addbyte(b, *s++);
            addbyte(b, *s);
            break;
        case 'K':
            addbyte(b, *s);
            in_const = true;
            break;
        case 'd': case 'i': case 'l': case 's': case 'A': case 'M': case 'L': case 'S':
            addbyte(b, *s++);
            add_num_byte(b, long_val(&s));
            break;
        case '\n': break;
        default: addbyte(b, *s);
        }
        s++;
    }
}

/* ---------------------------------------------------------------- the machine */

static int fetch(Bc *b) {
    BcFunc *f = &b->funcs[b->pc_func];
    if (b->pc_addr >= f->size) return -1;
    return f->body[b->pc_addr++];
}

static int fetch_num(Bc *b) {
    int v = fetch(b);
    if (v & 0x80) v = ((v & 0x7f) << 8) + fetch(b);
    return v;
}

/* A constant in the code: digits (values) up to ':', in base `base`. */
static BcNum *code_constant(Bc *b, int base) {
    StrBuf t;
    sb_init(&t);
    int ch;
    while ((ch = fetch(b)) != ':' && ch >= 0) sb_putc(&t, (char)ch);
    BcNum *r;
    if (base == 10) {
        StrBuf d;
        sb_init(&d);
        for (size_t i = 0; i < t.len; i++) sb_putc(&d, t.s[i] == '.' ? '.' : (char)('0' + (t.s[i] > 9 ? 9 : t.s[i])));
        r = num_from_decimal(d.s ? d.s : "0", d.len);
        sb_free(&d);
    } else {
        /* GNU push_constant: a digit not below the base counts as base-1 */
        NumCtx *nc = &b->nc;
        BcNum *build = num_from_long(0), *mult = num_from_long(base);
        size_t i = 0;
        if (i < t.len && t.s[i] != '.') {
            int first = t.s[i++];
            if (first >= base) first = base - 1;
            num_free(build);
            build = num_from_long(first);
            while (i < t.len && t.s[i] != '.') {
                int dgt = t.s[i++];
                if (dgt >= base) dgt = base - 1;
                BcNum *m = num_mul(nc, build, mult, 0);
                BcNum *dn = num_from_long(dgt);
                num_free(build);
                build = num_add(nc, m, dn, 0);
                num_free(m);
                num_free(dn);
            }
        }
        if (i < t.len && t.s[i] == '.') {
            i++;
            BcNum *res = num_from_long(0), *div = num_from_long(1);
            int digits = 0;
            while (i < t.len) {
                int dgt = t.s[i++];
                if (dgt >= base) dgt = base - 1;
                BcNum *m = num_mul(nc, res, mult, 0);
                BcNum *dn = num_from_long(dgt);
                num_free(res);
                res = num_add(nc, m, dn, 0);
                num_free(m);
                num_free(dn);
                BcNum *d2 = num_mul(nc, div, mult, 0);
                num_free(div);
                div = d2;
                digits++;
            }
            bool dz;
            BcNum *q = num_div(nc, res, div, digits, &dz);
            BcNum *sum = num_add(nc, build, q, 0);
            num_free(build);
            num_free(q);
            num_free(res);
            num_free(div);
            build = sum;
        }
        num_free(mult);
        r = build;
    }
    sb_free(&t);
    return r;
}

static long bc_random(Bc *b) {
    uint32_t *st = b->rstate;
    if (!b->rinit) {
        b->rinit = true;
        int32_t word = 1;
        st[0] = 1;
        for (int i = 1; i < 31; i++) {
            int32_t hi = word / 127773, lo = word % 127773;
            word = 16807 * lo - 2836 * hi;
            if (word < 0) word += 2147483647;
            st[i] = (uint32_t)word;
        }
        b->rf = 3;
        b->rr = 0;
        for (int i = 0; i < 310; i++) bc_random(b);
    }
    st[b->rf] += st[b->rr];
    uint32_t r = (st[b->rf] >> 1) & 0x7fffffff;
    if (++b->rf >= 31) {
        b->rf = 0;
        ++b->rr;
    } else if (++b->rr >= 31) {
        b->rr = 0;
    }
    return (long)r;
}

static void print_string(Bc *b, bool escapes) {
    int ch;
    while ((ch = fetch(b)) != '"' && ch >= 0) {
        if (!escapes || ch != '\\') {
            out_char(b, (char)ch);
            continue;
        }
        ch = fetch(b);
        if (ch == '"') break;
        switch (ch) {
        case 'a': out_char(b, 7); break;
        case 'b': out_char(b, '\b'); break;
        case 'f': out_char(b, '\f'); break;
        case 'n': out_char(b, '\n'); break;
        case 'q': out_char(b, '"'); break;
        case 'r': out_char(b, '\r'); break;
        case 't': out_char(b, '\t'); break;
        case '\\': out_char(b, '\\'); break;
        default: break;
        }
    }
}

static void process_params(Bc *b, int fn) {
    BcFunc *f = &b->funcs[fn];
    int pi = f->nparams - 1; /* the last argument is on top */
    int ch;
    while ((ch = fetch(b)) != ':' && ch >= 0) {
        if (pi < 0) {
            bc_rt_error(b, "Parameter number mismatch");
            return;
        }
        BcArg *p = &f->params[pi];
        if (ch == '0' && p->num > 0) {
            vs_push(&b->vars[p->num], b->stack[--b->sp]);
            pi--;
            continue;
        }
        if (ch == '1' && p->num < 0) {
            long long src = num_to_long(TOS);
            int dst = -p->num;
            BcArray *sa = src < b->na ? array_top(b, (int)src) : NULL;
            if (src == dst && b->arrays[dst].n) sa = b->arrays[dst].v[b->arrays[dst].n - 1];
            if (p->ref) {
                sa->refs++;
                as_push(&b->arrays[dst], sa);
            } else {
                as_push(&b->arrays[dst], array_copy(sa));
            }
            pop(b);
            pi--;
            continue;
        }
        if (p->num < 0) bc_rt_error(b, "Parameter type mismatch parameter %s.", b->anames[-p->num]);
        else bc_rt_error(b, "Parameter type mismatch, parameter %s.", b->vnames[p->num]);
        pop(b);
        pi--;
    }
    if (pi >= 0) bc_rt_error(b, "Parameter number mismatch");
}

static void call_native(Bc *b, int fn) {
    BcFunc *f = &b->funcs[fn];
    int ch, nargs = 0;
    while ((ch = fetch(b)) != ':' && ch >= 0) {
        if (ch != '0') {
            bc_rt_error(b, "Parameter type mismatch, parameter %s.", "x");
            return;
        }
        nargs++;
    }
    if (nargs != f->nparams) {
        bc_rt_error(b, "Parameter number mismatch");
        return;
    }
    BcNum *args[2] = {NULL, NULL};
    for (int i = nargs - 1; i >= 0; i--) args[i] = b->stack[--b->sp];
    BcNum *r = bc_native(b, f->native, args);
    for (int i = 0; i < nargs; i++) num_free(args[i]);
    if (!r) {
        b->runtime_error = true;
        return;
    }
    push(b, r);
}

static void binary(Bc *b, int inst) {
    if (!check_stack(b, 2)) return;
    NumCtx *nc = &b->nc;
    BcNum *r = NULL;
    bool dz = false;
    switch (inst) {
    case '+': r = num_add(nc, NOS, TOS, 0); break;
    case '-': r = num_sub(nc, NOS, TOS, 0); break;
    case '*': r = num_mul(nc, NOS, TOS, b->scale); break;
    case '/':
        r = num_div(nc, NOS, TOS, b->scale, &dz);
        if (dz) { bc_rt_error(b, "Divide by zero"); return; }
        break;
    case '%':
        if (num_is_zero(TOS)) { bc_rt_error(b, "Modulo by zero"); return; }
        r = num_mod(nc, NOS, TOS, b->scale, &dz);
        break;
    case '^': {
        int warn;
        bool too;
        if (TOS->scale != 0) bc_rt_warn(b, "non-zero scale in exponent");
        r = num_raise(nc, NOS, TOS, b->scale, &warn, &too);
        if (too) {
            bc_rt_error(b, "exponent too large in raise");
            num_free(r);
            return;
        }
        if (num_is_zero(NOS) && num_is_neg(TOS)) {
            bc_rt_error(b, "divide by zero");
            num_free(r);
            return;
        }
        break;
    }
    }
    if (!r) {
        b->runtime_error = true;
        return;
    }
    pop(b);
    pop(b);
    push(b, r);
}

static void compare(Bc *b, int inst) {
    if (!check_stack(b, 2)) return;
    int c = num_cmp(NOS, TOS);
    bool r;
    switch (inst) {
    case '=': r = c == 0; break;
    case '#': r = c != 0; break;
    case '<': r = c < 0; break;
    case '{': r = c <= 0; break;
    case '>': r = c > 0; break;
    default: r = c >= 0; break;
    }
    pop(b);
    pop(b);
    push(b, num_from_long(r));
}

static void do_return(Bc *b) {
    BcFunc *f = &b->funcs[b->pc_func];
    for (int i = 0; i < f->nautos; i++) pop_var(b, f->autos[i].num);
    for (int i = 0; i < f->nparams; i++) pop_var(b, f->params[i].num);
    BcFrame *fr = &b->frames[--b->nframes];
    b->pc_func = fr->func;
    b->pc_addr = fr->addr;
}

static bool jump(Bc *b, long lab) {
    BcFunc *f = &b->funcs[b->pc_func];
    if ((size_t)lab >= f->nlabels) return false;
    b->pc_addr = (size_t)f->labels[lab];
    return true;
}

void bc_execute(Bc *b) {
    b->pc_func = 0;
    b->pc_addr = 0;
    b->runtime_error = false;
    unsigned steps = 0;
    while (!b->runtime_error && !b->halted && b->pc_addr < b->funcs[b->pc_func].size) {
        if ((++steps & 1023) == 0 && uc_should_stop(b->c)) {
            b->runtime_error = true;
            b->halted = true;
            b->exit_status = 1;
            break;
        }
        int inst = fetch(b);
        switch (inst) {
        case 'A': case 'M': incr_array(b, fetch_num(b), inst == 'A'); break;
        case 'B': case 'Z': case 'J': {
            bool take = true;
            if (inst != 'J') {
                if (!check_stack(b, 1)) break;
                bool nz = !num_is_zero(TOS);
                pop(b);
                take = inst == 'B' ? nz : !nz;
            }
            int lo = fetch(b);
            int hi = fetch(b);
            if (take) jump(b, lo + (hi << 8));
            break;
        }
        case 'C': {
            int fn = fetch_num(b);
            BcFunc *f = &b->funcs[fn];
            if (!f->defined) {
                bc_rt_error(b, "Function %s not defined.", f->name);
                break;
            }
            if (f->native) {
                call_native(b, fn);
                break;
            }
            if (b->nframes >= 100000) {
                bc_rt_error(b, "Function call nesting too deep.");
                break;
            }
            process_params(b, fn);
            for (int i = 0; i < f->nautos; i++) auto_var(b, f->autos[i].num);
            if (b->nframes == b->cframes) {
                b->cframes = b->cframes ? b->cframes * 2 : 16;
                b->frames = xrealloc(b->frames, b->cframes * sizeof *b->frames);
            }
            b->frames[b->nframes++] = (BcFrame){b->pc_func, b->pc_addr, b->ibase};
            b->pc_func = fn;
            b->pc_addr = 0;
            break;
        }
        case 'D': if (check_stack(b, 1)) push(b, num_copy(TOS)); break;
        case 'K': {
            int base = b->nframes ? b->frames[b->nframes - 1].ibase : b->ibase;
            push(b, code_constant(b, base));
            break;
        }
        case 'L': load_array(b, fetch_num(b)); break;
        case 'O': print_string(b, true); break;
        case 'R':
            if (b->pc_func == 0) bc_rt_error(b, "Return from main program.");
            else do_return(b);
            break;
        case 'S': store_array(b, fetch_num(b)); break;
        case 'T': case '!':
            if (check_stack(b, 1)) {
                bool z = num_is_zero(TOS);
                pop(b);
                push(b, num_from_long(z));
            }
            break;
        case 'W': case 'P':
            if (!check_stack(b, 1)) break;
            out_num(b, TOS);
            if (inst == 'W') out_char(b, '\n');
            num_free(b->last);
            b->last = num_copy(TOS);
            pop(b);
            break;
        case 'c': {
            int which = fetch(b);
            if (which == 'I') {
                push(b, bc_read_number(b));
                break;
            }
            if (which == 'X') {
                push(b, num_from_long(bc_random(b)));
                break;
            }
            if (!check_stack(b, 1)) break;
            BcNum *r = NULL;
            if (which == 'L') r = num_from_long(num_length(TOS));
            else if (which == 'S') r = num_from_long(TOS->scale);
            else if (which == 'R') {
                bool negative;
                r = num_sqrt(&b->nc, TOS, b->scale, &negative);
                if (negative) {
                    bc_rt_error(b, "Square root of a negative number");
                    break;
                }
                if (!r) { b->runtime_error = true; break; }
            } else {
                r = num_from_long(0);
            }
            pop(b);
            push(b, r);
            break;
        }
        case 'd': case 'i': incr_var(b, fetch_num(b), inst == 'i'); break;
        case 'h': b->halted = true; break;
        case 'l': load_var(b, fetch_num(b)); break;
        case 'n':
            if (check_stack(b, 1)) {
                BcNum *r = num_neg(TOS);
                pop(b);
                push(b, r);
            }
            break;
        case 'p': pop(b); break;
        case 's': if (check_stack(b, 1)) store_var(b, fetch_num(b)); break;
        case 'w': print_string(b, false); break;
        case 'x':
            if (check_stack(b, 2)) {
                BcNum *t = TOS;
                TOS = NOS;
                NOS = t;
            }
            break;
        case '0': push(b, num_from_long(0)); break;
        case '1': push(b, num_from_long(1)); break;
        case '+': case '-': case '*': case '/': case '%': case '^': binary(b, inst); break;
        case '=': case '#': case '<': case '{': case '>': case '}': compare(b, inst); break;
        default: bc_rt_error(b, "bad instruction: inst=%c", inst); break;
        }
    }
    while (b->nframes) do_return(b);
    while (b->sp) pop(b);
    bc_out_flush(b);
}
