/* dc.c - wasmsh's dc (GNU dc 1.4.1 compatible), on bc's numbers.
 *
 * A stack of numbers and strings, 256 registers each holding a stack of
 * values (S L) with an array per entry (: ;), macros ([...] x, the
 * conditionals < > = !< !> !=, q and Q), k i o for scale and radices, and
 * GNU's messages ("dc: stack empty", "dc: 'w' (0167) unimplemented"). */
#include "bc.h"
#include "common.h"
#include "num.h"
#include "ucommon.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct DcVal {
    BcNum *num;   /* or */
    char *str;
    size_t len;
} DcVal;

typedef struct DcArr {
    DcVal *v;
    size_t n;
} DcArr;

typedef struct DcEntry {
    DcVal val;
    DcArr arr;
} DcEntry;

typedef struct DcReg {
    DcEntry *e;
    size_t n, cap;
} DcReg;

typedef struct Dc {
    UtilCtx *c;
    NumCtx nc;
    DcVal *st;
    size_t sp, cap;
    DcReg reg[256];
    int scale, ibase, obase;
    StrBuf out;
    int col, line_size;
    bool quit;
    int depth;
    UcFile *stdin_f;
} Dc;

enum { DC_OK, DC_QUIT, DC_RETURN };

/* ---------------------------------------------------------------- values */

static DcVal val_copy(const DcVal *v) {
    DcVal r = {0};
    if (v->num) r.num = num_copy(v->num);
    else {
        r.str = xmalloc(v->len + 1);
        memcpy(r.str, v->str, v->len);
        r.str[v->len] = 0;
        r.len = v->len;
    }
    return r;
}

static void val_free(DcVal *v) {
    num_free(v->num);
    free(v->str);
    memset(v, 0, sizeof *v);
}

static void push(Dc *d, DcVal v) {
    if (d->sp == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 64;
        d->st = xrealloc(d->st, d->cap * sizeof *d->st);
    }
    d->st[d->sp++] = v;
}

static void push_num(Dc *d, BcNum *n) {
    DcVal v = {n, NULL, 0};
    push(d, v);
}

static void flush(Dc *d) {
    if (d->out.len) uc_write(d->c, 1, d->out.s, d->out.len);
    sb_clear(&d->out);
}

static void err(Dc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void err(Dc *d, const char *fmt, ...) {
    flush(d);
    StrBuf b;
    sb_init(&b);
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&b, fmt, ap);
    va_end(ap);
    sb_putc(&b, '\n');
    uc_write(d->c, 2, b.s, b.len);
    sb_free(&b);
}

static bool need(Dc *d, size_t n) {
    if (d->sp < n) {
        err(d, "%s: stack empty", uc_name(d->c));
        return false;
    }
    return true;
}

static bool need_nums(Dc *d, size_t n) {
    if (!need(d, n)) return false;
    for (size_t i = 0; i < n; i++)
        if (!d->st[d->sp - 1 - i].num) {
            err(d, "%s: non-numeric value", uc_name(d->c));
            return false;
        }
    return true;
}

/* ---------------------------------------------------------------- output */

static void out_char(void *ctx, char ch) {
    Dc *d = ctx;
    if (ch == '\n') {
        d->col = 0;
    } else {
        d->col++;
        if (d->line_size && d->col == d->line_size - 1) {
            sb_puts(&d->out, "\\\n");
            d->col = 1;
        }
    }
    sb_putc(&d->out, ch);
    if (d->out.len >= 16384) flush(d);
}

static void print_val(Dc *d, const DcVal *v, bool newline) {
    if (v->num) {
        num_print(&d->nc, v->num, d->obase, out_char, d);
    } else {
        sb_put(&d->out, v->str, v->len);
        for (size_t i = 0; i < v->len; i++) d->col = v->str[i] == '\n' ? 0 : d->col + 1;
    }
    if (newline) {
        sb_putc(&d->out, '\n');
        d->col = 0;
    }
}

/* P of a number: its integer part as base-256 bytes. */
static void print_bytes(Dc *d, const BcNum *n) {
    if (num_is_neg(n)) return;
    BcNum *t = num_trunc(&d->nc, n, 0);
    BcNum *b256 = num_from_long(256);
    char *bytes = NULL;
    size_t nb = 0;
    while (!num_is_zero(t)) {
        bool dz;
        BcNum *q = num_div(&d->nc, t, b256, 0, &dz);
        BcNum *m = num_mul(&d->nc, q, b256, 0);
        BcNum *r = num_sub(&d->nc, t, m, 0);
        bytes = xrealloc(bytes, nb + 1);
        bytes[nb++] = (char)num_to_long(r);
        num_free(m);
        num_free(r);
        num_free(t);
        t = q;
    }
    for (size_t i = nb; i-- > 0;) sb_putc(&d->out, bytes[i]);
    free(bytes);
    num_free(t);
    num_free(b256);
}

/* ---------------------------------------------------------------- registers */

static DcReg *reg(Dc *d, int r) { return &d->reg[(unsigned char)r]; }

static void reg_push(DcReg *g, DcVal v) {
    if (g->n == g->cap) {
        g->cap = g->cap ? g->cap * 2 : 4;
        g->e = xrealloc(g->e, g->cap * sizeof *g->e);
    }
    memset(&g->e[g->n], 0, sizeof g->e[g->n]);
    g->e[g->n++].val = v;
}

static void arr_free(DcArr *a) {
    for (size_t i = 0; i < a->n; i++) val_free(&a->v[i]);
    free(a->v);
    memset(a, 0, sizeof *a);
}

static DcArr *reg_arr(DcReg *g) {
    if (!g->n) reg_push(g, (DcVal){num_from_long(0), NULL, 0});
    return &g->e[g->n - 1].arr;
}

/* ---------------------------------------------------------------- numbers */

static bool is_digit(int ch) { return (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'F'); }

/* Reads a number at s[*i] (after an optional '_'), in ibase. */
static BcNum *read_number(Dc *d, const char *s, size_t n, size_t *i) {
    bool neg = false;
    if (s[*i] == '_') { neg = true; (*i)++; }
    StrBuf ip, fp;
    sb_init(&ip);
    sb_init(&fp);
    while (*i < n && is_digit(s[*i])) sb_putc(&ip, s[(*i)++]);
    if (*i < n && s[*i] == '.') {
        (*i)++;
        while (*i < n && is_digit(s[*i])) sb_putc(&fp, s[(*i)++]);
    }
    BcNum *r;
    int base = d->ibase;
    if (base == 10) {
        bool letters = false;
        for (size_t k = 0; k < ip.len; k++) letters |= ip.s[k] > '9';
        for (size_t k = 0; k < fp.len; k++) letters |= fp.s[k] > '9';
        if (!letters) {
            StrBuf t;
            sb_init(&t);
            sb_put(&t, ip.s ? ip.s : "", ip.len);
            if (fp.len) { sb_putc(&t, '.'); sb_put(&t, fp.s, fp.len); }
            r = num_from_decimal(t.s ? t.s : "0", t.len);
            sb_free(&t);
            goto done;
        }
    }
    {
        NumCtx *nc = &d->nc;
        BcNum *mult = num_from_long(base);
        r = num_from_long(0);
        for (size_t k = 0; k < ip.len; k++) {
            int dg = ip.s[k] <= '9' ? ip.s[k] - '0' : ip.s[k] - 'A' + 10;
            BcNum *m = num_mul(nc, r, mult, 0), *dn = num_from_long(dg);
            num_free(r);
            r = num_add(nc, m, dn, 0);
            num_free(m);
            num_free(dn);
        }
        if (fp.len) {
            BcNum *res = num_from_long(0), *div = num_from_long(1);
            for (size_t k = 0; k < fp.len; k++) {
                int dg = fp.s[k] <= '9' ? fp.s[k] - '0' : fp.s[k] - 'A' + 10;
                BcNum *m = num_mul(nc, res, mult, 0), *dn = num_from_long(dg);
                num_free(res);
                res = num_add(nc, m, dn, 0);
                num_free(m);
                num_free(dn);
                BcNum *d2 = num_mul(nc, div, mult, 0);
                num_free(div);
                div = d2;
            }
            bool dz;
            BcNum *q = num_div(nc, res, div, (int)fp.len, &dz);
            BcNum *sum = num_add(nc, r, q, 0);
            num_free(r);
            num_free(q);
            num_free(res);
            num_free(div);
            r = sum;
        }
        num_free(mult);
    }
done:
    sb_free(&ip);
    sb_free(&fp);
    if (neg) {
        BcNum *t = num_neg(r);
        num_free(r);
        r = t;
    }
    return r;
}

/* ---------------------------------------------------------------- arithmetic */

static void binop(Dc *d, int op) {
    if (!need_nums(d, 2)) return;
    BcNum *b = d->st[d->sp - 1].num, *a = d->st[d->sp - 2].num;
    NumCtx *nc = &d->nc;
    BcNum *r = NULL, *r2 = NULL;
    bool dz = false;
    switch (op) {
    case '+': r = num_add(nc, a, b, 0); break;
    case '-': r = num_sub(nc, a, b, 0); break;
    case '*': r = num_mul(nc, a, b, d->scale); break;
    case '/': r = num_div(nc, a, b, d->scale, &dz); break;
    case '%':
        if (num_is_zero(b)) dz = true;
        else r = num_mod(nc, a, b, d->scale, &dz);
        break;
    case '~':
        if (num_is_zero(b)) dz = true;
        else {
            r = num_div(nc, a, b, d->scale, &dz);
            r2 = num_mod(nc, a, b, d->scale, &dz);
        }
        break;
    case '^': {
        int warn;
        bool too;
        if (b->scale) {
            flush(d);
            uc_puts(d->c, 2, "Runtime warning: non-zero scale in exponent\n");
        }
        r = num_raise(nc, a, b, d->scale, &warn, &too);
        if (too) {
            err(d, "%s: exponent too large in raise", uc_name(d->c));
            num_free(r);
            return;
        }
        if (!r && num_is_zero(a)) dz = true;
        break;
    }
    }
    if (dz) {
        err(d, "%s: %s", uc_name(d->c), op == '%' || op == '~' ? "remainder by zero" : "divide by zero");
        num_free(r);
        num_free(r2);
        return;
    }
    if (!r) return; /* stopped */
    val_free(&d->st[--d->sp]);
    val_free(&d->st[--d->sp]);
    push_num(d, r);
    if (r2) push_num(d, r2);
}

/* | : (a^b) mod c with integers, GNU's bc_raisemod. */
static void modexp(Dc *d) {
    if (!need_nums(d, 3)) return;
    BcNum *m = d->st[d->sp - 1].num, *e = d->st[d->sp - 2].num, *b = d->st[d->sp - 3].num;
    NumCtx *nc = &d->nc;
    if (num_is_zero(m)) {
        err(d, "%s: remainder by zero", uc_name(d->c));
        return;
    }
    if (num_is_neg(e)) {
        err(d, "%s: negative exponent", uc_name(d->c));
        return;
    }
    int rscale = d->scale > b->scale ? d->scale : b->scale;
    BcNum *power = num_copy(b), *expo = num_trunc(nc, e, 0), *temp = num_from_long(1), *two = num_from_long(2);
    bool dz;
    while (!num_is_zero(expo)) {
        if (uc_should_stop(d->c)) break;
        BcNum *q = num_div(nc, expo, two, 0, &dz);
        BcNum *par = num_mod(nc, expo, two, 0, &dz);
        num_free(expo);
        expo = q;
        if (!num_is_zero(par)) {
            BcNum *t = num_mul(nc, temp, power, rscale);
            num_free(temp);
            temp = num_mod(nc, t, m, d->scale, &dz);
            num_free(t);
        }
        num_free(par);
        BcNum *p2 = num_mul(nc, power, power, rscale);
        num_free(power);
        power = num_mod(nc, p2, m, d->scale, &dz);
        num_free(p2);
    }
    num_free(power);
    num_free(expo);
    num_free(two);
    for (int i = 0; i < 3; i++) val_free(&d->st[--d->sp]);
    push_num(d, temp);
}

static bool pop_int(Dc *d, long long *out) {
    if (!need_nums(d, 1)) return false;
    *out = num_to_long(d->st[d->sp - 1].num);
    val_free(&d->st[--d->sp]);
    return true;
}

/* ---------------------------------------------------------------- the interpreter */

static int run(Dc *d, const char *s, size_t n);

static int exec_value(Dc *d, DcVal v) {
    if (v.num) {
        push(d, v);
        return DC_OK;
    }
    if (d->depth > 1000) {
        err(d, "%s: recursion too deep", uc_name(d->c));
        val_free(&v);
        return DC_OK;
    }
    d->depth++;
    int r = run(d, v.str, v.len);
    d->depth--;
    val_free(&v);
    return r;
}

static int read_line_exec(Dc *d) {
    if (!d->stdin_f) d->stdin_f = uc_open(d->c, "-", "r");
    if (!d->stdin_f) return DC_OK;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = uc_getdelim(d->stdin_f, &line, &cap, '\n');
    int r = DC_OK;
    if (n > 0) r = run(d, line, (size_t)n);
    free(line);
    return r;
}

static void rotate(Dc *d) {
    long long n;
    if (!pop_int(d, &n)) return;
    bool neg = n < 0;
    size_t k = (size_t)(neg ? -n : n);
    if (k > d->sp) k = d->sp;
    if (k < 2) return;
    DcVal *base = &d->st[d->sp - k];
    if (!neg) {
        DcVal first = base[0];
        memmove(base, base + 1, (k - 1) * sizeof *base);
        base[k - 1] = first;
    } else {
        DcVal last = base[k - 1];
        memmove(base + 1, base, (k - 1) * sizeof *base);
        base[0] = last;
    }
}

static int conditional(Dc *d, int op, bool negate, int r) {
    if (!need(d, 2)) return DC_OK;
    DcVal a = d->st[--d->sp], b = d->st[--d->sp];
    bool run_it = false;
    if (!a.num || !b.num) {
        err(d, "%s: non-numeric value", uc_name(d->c));
    } else {
        int c = num_cmp(a.num, b.num);
        run_it = op == '<' ? c < 0 : op == '>' ? c > 0 : c == 0;
        if (negate) run_it = !run_it;
    }
    val_free(&a);
    val_free(&b);
    if (!run_it) return DC_OK;
    DcReg *g = reg(d, r);
    if (!g->n) return DC_OK;
    return exec_value(d, val_copy(&g->e[g->n - 1].val));
}

static int run(Dc *d, const char *s, size_t n) {
    size_t i = 0;
    unsigned steps = 0;
    while (i < n && !d->quit) {
        if ((++steps & 1023) == 0 && uc_should_stop(d->c)) {
            d->quit = true;
            return DC_QUIT;
        }
        unsigned char ch = (unsigned char)s[i];
        if (is_digit(ch) || ch == '_' || ch == '.') {
            push_num(d, read_number(d, s, n, &i));
            continue;
        }
        i++;
        switch (ch) {
        case ' ': case '\t': case '\n': case '\r': case '\f': case '\v': break;
        case '#':
            while (i < n && s[i] != '\n') i++;
            break;
        case '[': {
            int lvl = 1;
            size_t st = i;
            while (i < n) {
                if (s[i] == '[') lvl++;
                else if (s[i] == ']' && --lvl == 0) break;
                i++;
            }
            DcVal v = {NULL, xstrndup(s + st, i - st), i - st};
            push(d, v);
            if (i < n) i++;
            break;
        }
        case 'p':
            if (need(d, 1)) print_val(d, &d->st[d->sp - 1], true);
            break;
        case 'n':
            if (need(d, 1)) {
                print_val(d, &d->st[d->sp - 1], false);
                val_free(&d->st[--d->sp]);
            }
            break;
        case 'P':
            if (need(d, 1)) {
                DcVal *v = &d->st[d->sp - 1];
                if (v->num) print_bytes(d, v->num);
                else sb_put(&d->out, v->str, v->len);
                val_free(&d->st[--d->sp]);
            }
            break;
        case 'f':
            for (size_t k = d->sp; k-- > 0;) print_val(d, &d->st[k], true);
            break;
        case '+': case '-': case '*': case '/': case '%': case '~': case '^': binop(d, ch); break;
        case '|': modexp(d); break;
        case 'v':
            if (need_nums(d, 1)) {
                bool neg;
                BcNum *r = num_sqrt(&d->nc, d->st[d->sp - 1].num, d->scale, &neg);
                if (neg) err(d, "%s: square root of negative number", uc_name(d->c));
                else if (r) {
                    val_free(&d->st[--d->sp]);
                    push_num(d, r);
                }
            }
            break;
        case 'c':
            while (d->sp) val_free(&d->st[--d->sp]);
            break;
        case 'd':
            if (need(d, 1)) push(d, val_copy(&d->st[d->sp - 1]));
            break;
        case 'r':
            if (d->sp >= 2) {
                DcVal t = d->st[d->sp - 1];
                d->st[d->sp - 1] = d->st[d->sp - 2];
                d->st[d->sp - 2] = t;
            }
            break;
        case 'R': rotate(d); break;
        case 'z': push_num(d, num_from_long((long long)d->sp)); break;
        case 'Z':
            if (need(d, 1)) {
                DcVal v = d->st[--d->sp];
                push_num(d, num_from_long(v.num ? (num_is_zero(v.num) ? 0 : num_length(v.num)) : (long long)v.len));
                val_free(&v);
            }
            break;
        case 'X':
            if (need(d, 1)) {
                DcVal v = d->st[--d->sp];
                push_num(d, num_from_long(v.num ? v.num->scale : 0));
                val_free(&v);
            }
            break;
        case 'k': {
            if (!need_nums(d, 1)) break;
            long long k = num_to_long(d->st[d->sp - 1].num);
            if (num_is_neg(d->st[d->sp - 1].num) || k > 2147483647LL) {
                err(d, "%s: scale must be a nonnegative number", uc_name(d->c));
                break;
            }
            val_free(&d->st[--d->sp]);
            d->scale = (int)k;
            break;
        }
        case 'i': {
            if (!need_nums(d, 1)) break;
            long long k = num_to_long(d->st[d->sp - 1].num);
            val_free(&d->st[--d->sp]);
            if (k < 2 || k > 16) err(d, "%s: input base must be a number between 2 and 16 (inclusive)", uc_name(d->c));
            else d->ibase = (int)k;
            break;
        }
        case 'o': {
            if (!need_nums(d, 1)) break;
            long long k = num_to_long(d->st[d->sp - 1].num);
            val_free(&d->st[--d->sp]);
            if (k < 2 || k > 2147483647LL) err(d, "%s: output base must be a number greater than 1", uc_name(d->c));
            else d->obase = (int)k;
            break;
        }
        case 'K': push_num(d, num_from_long(d->scale)); break;
        case 'I': push_num(d, num_from_long(d->ibase)); break;
        case 'O': push_num(d, num_from_long(d->obase)); break;
        case 'a':
            if (need(d, 1)) {
                DcVal v = d->st[--d->sp];
                char c0;
                if (v.num) {
                    BcNum *t = num_trunc(&d->nc, v.num, 0);
                    BcNum *b256 = num_from_long(256);
                    bool dz;
                    BcNum *m = num_mod(&d->nc, t, b256, 0, &dz);
                    c0 = (char)num_to_long(m);
                    num_free(t);
                    num_free(b256);
                    num_free(m);
                } else {
                    c0 = v.len ? v.str[0] : 0;
                }
                size_t len = v.num || v.len ? 1 : 0;
                val_free(&v);
                DcVal r = {NULL, xstrndup(&c0, len), len};
                push(d, r);
            }
            break;
        case 'x':
            if (need(d, 1)) {
                int r = exec_value(d, d->st[--d->sp]);
                if (r == DC_QUIT) return DC_QUIT;
                if (r > DC_RETURN) return r - 1;
            }
            break;
        case '?': {
            int r = read_line_exec(d);
            if (r == DC_QUIT) return r;
            break;
        }
        case 'q':
            if (d->depth <= 1) {
                d->quit = true;
                return DC_QUIT;
            }
            return DC_RETURN + 1; /* this macro and its caller */
        case 'Q': {
            long long k;
            if (!pop_int(d, &k)) break;
            if (k <= 0) break;
            if (k > d->depth) {
                err(d, "%s: Q command argument exceeded string execution depth", uc_name(d->c));
                break;
            }
            return DC_RETURN + (int)k - 1;
        }
        case 's': case 'S': case 'l': case 'L': case ':': case ';': {
            if (i >= n) {
                err(d, "%s: stack register '%c' end of input", uc_name(d->c), ch);
                break;
            }
            int r = (unsigned char)s[i++];
            DcReg *g = reg(d, r);
            if (ch == 's') {
                if (!need(d, 1)) break;
                DcVal v = d->st[--d->sp];
                if (g->n) {
                    val_free(&g->e[g->n - 1].val);
                    g->e[g->n - 1].val = v;
                } else {
                    reg_push(g, v);
                }
            } else if (ch == 'S') {
                if (!need(d, 1)) break;
                reg_push(g, d->st[--d->sp]);
            } else if (ch == 'l') {
                push(d, g->n ? val_copy(&g->e[g->n - 1].val) : (DcVal){num_from_long(0), NULL, 0});
            } else if (ch == 'L') {
                if (!g->n) {
                    err(d, "%s: stack register '%c' (%04o) is empty", uc_name(d->c), r, r);
                    break;
                }
                DcEntry *e = &g->e[--g->n];
                arr_free(&e->arr);
                push(d, e->val);
            } else if (ch == ':') {
                if (!need(d, 2)) break;
                long long idx;
                if (!pop_int(d, &idx)) break;
                DcVal v = d->st[--d->sp];
                if (idx < 0 || idx > 16777215) {
                    err(d, "%s: array index must be a nonnegative integer", uc_name(d->c));
                    val_free(&v);
                    break;
                }
                DcArr *a = reg_arr(g);
                if ((size_t)idx >= a->n) {
                    a->v = xrealloc(a->v, (size_t)(idx + 1) * sizeof *a->v);
                    memset(a->v + a->n, 0, ((size_t)idx + 1 - a->n) * sizeof *a->v);
                    a->n = (size_t)idx + 1;
                }
                val_free(&a->v[idx]);
                a->v[idx] = v;
            } else {
                long long idx;
                if (!pop_int(d, &idx)) break;
                DcArr *a = g->n ? &g->e[g->n - 1].arr : NULL;
                if (a && idx >= 0 && (size_t)idx < a->n && (a->v[idx].num || a->v[idx].str)) push(d, val_copy(&a->v[idx]));
                else push_num(d, num_from_long(0));
            }
            break;
        }
        case '<': case '>': case '=': {
            if (i >= n) break;
            int r = (unsigned char)s[i++];
            int res = conditional(d, ch, false, r);
            if (res == DC_QUIT) return res;
            if (res > DC_RETURN) return res - 1;
            break;
        }
        case '!': {
            if (i < n && (s[i] == '<' || s[i] == '>' || s[i] == '=')) {
                char op = s[i++];
                if (i >= n) break;
                int r = (unsigned char)s[i++];
                int res = conditional(d, op, true, r);
                if (res == DC_QUIT) return res;
                if (res > DC_RETURN) return res - 1;
                break;
            }
            size_t st = i;
            while (i < n && s[i] != '\n') i++;
            char *cmd = xstrndup(s + st, i - st);
            flush(d);
            uc_run_script(d->c, cmd);
            free(cmd);
            break;
        }
        default:
            err(d, "%s: '%c' (%04o) unimplemented", uc_name(d->c), ch, ch);
            break;
        }
    }
    return DC_OK;
}

/* ---------------------------------------------------------------- main */

static bool dc_stop(void *ctx) { return uc_should_stop((UtilCtx *)ctx); }

static int run_file(Dc *d, const char *path) {
    UcFile *f = uc_open(d->c, path, "r");
    if (!f) {
        int e = errno;
        err(d, "%s: Could not open file %s: %s", uc_name(d->c), path, strerror(e));
        return 1;
    }
    StrBuf b;
    sb_init(&b);
    char buf[16384];
    ssize_t n;
    while ((n = uc_fread(f, buf, sizeof buf)) > 0) sb_put(&b, buf, (size_t)n);
    uc_close(f);
    d->depth = 1;
    run(d, b.s ? b.s : "", b.len);
    sb_free(&b);
    return 0;
}

int dc_main(UtilCtx *c, int argc, char **argv) {
    Dc *d = xcalloc(1, sizeof *d);
    d->c = c;
    d->nc.stop = dc_stop;
    d->nc.stop_ctx = c;
    d->nc.max_digits = 50000000;
    d->ibase = d->obase = 10;
    d->line_size = 70;
    const char *ll = uc_getenv(c, "DC_LINE_LENGTH");
    if (ll && *ll) {
        long v = strtol(ll, NULL, 10);
        d->line_size = v == 0 ? 0 : v < 3 ? 70 : (v > 65535 ? 65535 : (int)v);
    }
    sb_init(&d->out);
    int status = 0;
    bool did_input = false;
    for (int i = 1; i < argc && !d->quit; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-e") || !strcmp(a, "--expression") || !strncmp(a, "--expression=", 13) || (a[0] == '-' && a[1] == 'e' && a[2])) {
            const char *e = !strncmp(a, "--expression=", 13) ? a + 13 : a[2] && a[1] == 'e' ? a + 2 : (i + 1 < argc ? argv[++i] : NULL);
            if (!e) {
                err(d, "%s: option requires an argument -- 'e'", uc_name(c));
                status = 1;
                break;
            }
            d->depth = 1;
            run(d, e, strlen(e));
            did_input = true;
        } else if (!strcmp(a, "-f") || !strcmp(a, "--file")) {
            if (i + 1 >= argc) {
                err(d, "%s: option requires an argument -- 'f'", uc_name(c));
                status = 1;
                break;
            }
            status |= run_file(d, argv[++i]);
            did_input = true;
        } else if (!strcmp(a, "-V") || !strcmp(a, "--version")) {
            uc_puts(c, 1, "dc (GNU bc 1.07.1) 1.4.1\n\nCopyright 1994, 1997, 1998, 2000, 2001, 2003-2006, 2008, 2010, 2012-2017 Free Software Foundation, Inc.\n");
            goto done;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            uc_printf(c, 1, "Usage: %s [OPTION] [file ...]\n  -e, --expression=EXPR    evaluate expression\n"
                            "  -f, --file=FILE          evaluate contents of file\n  -h, --help               display this help and exit\n"
                            "  -V, --version            output version information and exit\n\n", uc_name(c));
            goto done;
        } else if (a[0] == '-' && a[1] && strcmp(a, "-")) {
            err(d, "%s: invalid option -- '%c'", uc_name(c), a[1]);
            status = 1;
            goto done;
        } else {
            if (!strcmp(a, "-")) {
                d->stdin_f = d->stdin_f ? d->stdin_f : uc_open(c, "-", "r");
                StrBuf b;
                sb_init(&b);
                char buf[16384];
                ssize_t n;
                while (d->stdin_f && (n = uc_fread(d->stdin_f, buf, sizeof buf)) > 0) sb_put(&b, buf, (size_t)n);
                d->depth = 1;
                run(d, b.s ? b.s : "", b.len);
                sb_free(&b);
            } else {
                status |= run_file(d, a);
            }
            did_input = true;
        }
    }
    if (!did_input && !d->quit) {
        /* standard input, a line at a time so `?` reads what follows */
        if (!d->stdin_f) d->stdin_f = uc_open(c, "-", "r");
        char *line = NULL;
        size_t cap = 0;
        ssize_t n;
        StrBuf pending;
        sb_init(&pending);
        while (!d->quit && d->stdin_f && (n = uc_getdelim(d->stdin_f, &line, &cap, '\n')) > 0) {
            sb_put(&pending, line, (size_t)n);
            /* a [string] may span lines: wait for its end */
            int lvl = 0;
            for (size_t k = 0; k < pending.len; k++) {
                if (pending.s[k] == '[') lvl++;
                else if (pending.s[k] == ']' && lvl > 0) lvl--;
                else if (pending.s[k] == '#' && lvl == 0) {
                    while (k < pending.len && pending.s[k] != '\n') k++;
                }
            }
            if (lvl > 0) continue;
            d->depth = 1;
            run(d, pending.s, pending.len);
            sb_clear(&pending);
        }
        if (pending.len && !d->quit) {
            d->depth = 1;
            run(d, pending.s, pending.len);
        }
        sb_free(&pending);
        free(line);
    }
done:
    flush(d);
    if (d->stdin_f) uc_close(d->stdin_f);
    while (d->sp) val_free(&d->st[--d->sp]);
    free(d->st);
    for (int r = 0; r < 256; r++) {
        for (size_t k = 0; k < d->reg[r].n; k++) {
            val_free(&d->reg[r].e[k].val);
            arr_free(&d->reg[r].e[k].arr);
        }
        free(d->reg[r].e);
    }
    sb_free(&d->out);
    free(d);
    return status;
}
