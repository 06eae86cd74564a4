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
#include <sys/stat.h>

typedef struct DcVal {
    BcNum *num;   /* or */
    char *str;
    size_t len;
} DcVal;

/* A register level's array: sparse, sorted by index (indices go up to
 * 2^31 - 1 as GNU's). */
typedef struct DcElem {
    int idx;
    DcVal val;
} DcElem;

typedef struct DcArr {
    DcElem *e;
    size_t n, cap;
} DcArr;

typedef struct DcEntry {
    DcVal val;
    DcArr arr;
} DcEntry;

typedef struct DcReg {
    DcEntry *e;
    size_t n, cap;
} DcReg;

/* A macro being executed, or the top-level text (a file, standard input or
 * an -e string). */
typedef struct DcFrame {
    char *s;
    size_t n, i;
    int tail;   /* evaluations folded into this frame by tail calls (GNU's tail_depth) */
    bool owned; /* s is ours to free (every macro; the top text is borrowed) */
} DcFrame;

typedef struct Dc {
    UtilCtx *c;
    NumCtx nc;
    DcVal *st;
    size_t sp, cap;
    DcReg reg[256];
    int scale, ibase, obase;
    StrBuf out;
    int col, line_size;
    DcFrame *fr;
    size_t nfr, capfr;
    size_t frame_bytes; /* text held by the frames (their macros are copies) */
    bool top_file;  /* the top text is read as GNU's dc_evalfile reads (a file, stdin) */
    bool top_stdin; /* ... and it is standard input, whose rest of line ? reads */
    DcVal eval;     /* what CMD_EVAL is to evaluate */
    int unwind;     /* levels q/Q still has to leave (GNU's unwind_depth) */
    bool noexit;    /* the quit came from Q, which never ends the program */
    bool quit;      /* the program ends */
    int status;
    UcFile *stdin_f;
} Dc;

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
        if (d->line_size && d->col == d->line_size) {
            sb_puts(&d->out, "\\\n");
            d->col = 1;
        }
    }
    sb_putc(&d->out, ch);
    if (d->out.len >= 16384) flush(d);
}

static void print_val(Dc *d, const DcVal *v, bool newline) {
    if (v->num) {
        d->col = 0; /* GNU counts the columns of each number from its start */
        num_print(&d->nc, v->num, d->obase, out_char, d);
    } else {
        sb_put(&d->out, v->str, v->len);
    }
    if (newline) sb_putc(&d->out, '\n');
}

/* P of a number: its integer part as base-256 bytes. */
static void print_bytes(Dc *d, const BcNum *n) {
    BcNum *t = num_trunc(&d->nc, n, 0);
    if (t) t->neg = false; /* GNU writes |n|, and a zero as one NUL byte */
    BcNum *b256 = num_from_long(256);
    char *bytes = NULL;
    size_t nb = 0;
    while (t && !num_is_zero(t)) {
        bool dz;
        BcNum *q = num_div(&d->nc, t, b256, 0, &dz);
        BcNum *m = q ? num_mul(&d->nc, q, b256, 0) : NULL;
        BcNum *r = m ? num_sub(&d->nc, t, m, 0) : NULL;
        if (!r) { /* stopped */
            num_free(q);
            num_free(m);
            break;
        }
        bytes = xrealloc(bytes, nb + 1);
        bytes[nb++] = (char)num_to_long(r);
        num_free(m);
        num_free(r);
        num_free(t);
        t = q;
    }
    if (nb == 0 && t) sb_putc(&d->out, 0);
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
    for (size_t i = 0; i < a->n; i++) val_free(&a->e[i].val);
    free(a->e);
    memset(a, 0, sizeof *a);
}

/* The position of idx in a, or where it would go. */
static size_t arr_find(const DcArr *a, int idx) {
    size_t lo = 0, hi = a->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a->e[mid].idx < idx) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

static void arr_set(DcArr *a, int idx, DcVal v) {
    size_t at = arr_find(a, idx);
    if (at < a->n && a->e[at].idx == idx) {
        val_free(&a->e[at].val);
        a->e[at].val = v;
        return;
    }
    if (a->n == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 8;
        a->e = xrealloc(a->e, a->cap * sizeof *a->e);
    }
    memmove(a->e + at + 1, a->e + at, (a->n - at) * sizeof *a->e);
    a->e[at] = (DcElem){idx, v};
    a->n++;
}

static const DcVal *arr_get(const DcArr *a, int idx) {
    size_t at = arr_find(a, idx);
    return at < a->n && a->e[at].idx == idx ? &a->e[at].val : NULL;
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
        if (!r && num_is_zero(a) && !d->nc.stopped && !d->nc.too_big)
            r = num_from_long(0); /* GNU's bc_raise leaves 0 when 1/0 fails */
        break;
    }
    }
    if (dz) {
        err(d, "%s: %s", uc_name(d->c), op == '%' ? "remainder by zero" : "divide by zero");
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
    if (num_is_neg(e)) return; /* GNU's bc_raisemod fails silently */
    static const char *const warn[3] = {"base", "exponent", "modulus"};
    const BcNum *args[3] = {b, e, m};
    for (int i = 0; i < 3; i++)
        if (args[i]->scale) {
            flush(d);
            uc_printf(d->c, 2, "Runtime warning: non-zero scale in %s\n", warn[i]);
        }
    int rscale = d->scale > b->scale ? d->scale : b->scale;
    BcNum *power = num_copy(b), *expo = num_trunc(nc, e, 0), *temp = num_from_long(1), *two = num_from_long(2);
    bool dz;
    /* an operation gives NULL when the run is stopped or a number too big */
    while (power && expo && temp && !num_is_zero(expo)) {
        if (uc_should_stop(d->c)) break;
        BcNum *q = num_div(nc, expo, two, 0, &dz);
        BcNum *par = num_mod(nc, expo, two, 0, &dz);
        num_free(expo);
        expo = q;
        if (par && !num_is_zero(par)) {
            BcNum *t = num_mul(nc, temp, power, rscale);
            num_free(temp);
            temp = t ? num_mod(nc, t, m, d->scale, &dz) : NULL;
            num_free(t);
        }
        num_free(par);
        BcNum *p2 = num_mul(nc, power, power, rscale);
        num_free(power);
        power = p2 ? num_mod(nc, p2, m, d->scale, &dz) : NULL;
        num_free(p2);
    }
    bool done = power && expo && temp && num_is_zero(expo);
    num_free(power);
    num_free(expo);
    num_free(two);
    if (!done) {
        num_free(temp);
        return;
    }
    for (int i = 0; i < 3; i++) val_free(&d->st[--d->sp]);
    push_num(d, temp);
}

/* GNU's dc_num2int: the integer part as a C int, wrapping as its cast does;
 * beyond what its bc_num2long converts (and, by the same test, for a
 * nonzero number whose integer part is 0) it warns and gives -1. */
static int num_to_int(Dc *d, const BcNum *n) {
    long long v = num_to_long(n);
    if (v > 2147483649LL || v < -2147483649LL) v = 0;
    if (v == 0 && !num_is_zero(n)) {
        err(d, "%s: value overflows simple integer; punting...", uc_name(d->c));
        v = -1;
    }
    return (int)(uint32_t)(unsigned long long)v;
}

/* Pops a value as an int (dflt for a string). */
static bool pop_int(Dc *d, int dflt, int *out) {
    if (!need(d, 1)) return false;
    DcVal v = d->st[--d->sp];
    *out = v.num ? num_to_int(d, v.num) : dflt;
    val_free(&v);
    return true;
}

/* ---------------------------------------------------------------- the interpreter
 *
 * As GNU dc 1.4.1 runs macros, but without C recursion: a stack of frames
 * over the top-level text. An evaluation (x, a conditional, ?) that is the
 * last command of its macro, blanks and comments aside, replaces the macro
 * instead of nesting, so loops written as tail calls run in constant space;
 * the frame counts the evaluations it stands for, which q and Q take into
 * account exactly as GNU's tail_depth (`[[q]x]x` leaves nothing). */

/* Nesting bounds: GNU recurses in C until it crashes; we refuse instead. */
enum { MAX_FRAMES = 100000 };
#define MAX_FRAME_BYTES ((size_t)64 << 20)

typedef enum { CMD_OK, CMD_EVAL, CMD_QUIT, CMD_EOF } CmdStatus;

static DcFrame *cur(Dc *d) { return &d->fr[d->nfr - 1]; }

static void frame_push(Dc *d, char *s, size_t n, bool owned) {
    if (d->nfr == d->capfr) {
        d->capfr = d->capfr ? d->capfr * 2 : 16;
        d->fr = xrealloc(d->fr, d->capfr * sizeof *d->fr);
    }
    d->fr[d->nfr++] = (DcFrame){s, n, 0, 1, owned};
    if (owned) d->frame_bytes += n;
}

static void frame_pop(Dc *d) {
    DcFrame *f = &d->fr[--d->nfr];
    if (f->owned) {
        d->frame_bytes -= f->n;
        free(f->s);
    }
}

static bool file_top(Dc *d) { return d->nfr == 1 && d->top_file; }

/* GNU's dc_show_id: 'c' (0143) for printable characters, else the octal code. */
static void show_id(char *buf, size_t n, int ch) {
    if (ch > 32 && ch < 127) snprintf(buf, n, "'%c' (%#o)", ch, ch);
    else snprintf(buf, n, "%#o", ch);
}

/* The register name after a command; false at the end of the text. */
static bool next_reg(DcFrame *f, int *r) {
    if (f->i >= f->n) return false;
    *r = (unsigned char)f->s[f->i++];
    return true;
}

/* A line for ?: the rest of standard input's current line when that is the
 * top-level text (GNU reads it from the same FILE), else the next line. */
static DcVal input_line(Dc *d) {
    DcFrame *top = &d->fr[0];
    DcVal v = {0};
    if (d->top_stdin && top->i < top->n) {
        size_t st = top->i;
        while (top->i < top->n && top->s[top->i] != '\n') top->i++;
        v.len = top->i - st;
        v.str = xstrndup(top->s + st, v.len);
        if (top->i < top->n) top->i++;
        return v;
    }
    if (!d->stdin_f) d->stdin_f = uc_open(d->c, "-", "r");
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = d->stdin_f ? uc_getdelim(d->stdin_f, &line, &cap, '\n') : -1;
    if (n > 0 && line[n - 1] == '\n') n--;
    v.len = n > 0 ? (size_t)n : 0;
    v.str = xstrndup(n > 0 ? line : "", v.len);
    free(line);
    return v;
}

static void rotate(Dc *d) {
    int n;
    if (!pop_int(d, 0, &n)) return;
    bool neg = n < 0;
    size_t k = neg ? (size_t)-(long long)n : (size_t)n;
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

/* < > = and their ! forms: pops two numbers; when the relation holds, the
 * register's value is to be evaluated (0 for an empty register, as GNU). */
static CmdStatus conditional(Dc *d, int op, bool negate) {
    int r;
    if (!next_reg(cur(d), &r)) return CMD_EOF;
    if (!need(d, 2)) return CMD_OK;
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
    if (!run_it) return CMD_OK;
    DcReg *g = reg(d, r);
    d->eval = g->n ? val_copy(&g->e[g->n - 1].val) : (DcVal){num_from_long(0), NULL, 0};
    return CMD_EVAL;
}

/* s S l L : ; */
static CmdStatus register_cmd(Dc *d, int ch) {
    int r;
    if (!next_reg(cur(d), &r)) return CMD_EOF;
    DcReg *g = reg(d, r);
    if (ch == 's' || ch == 'S') {
        if (!need(d, 1)) return CMD_OK;
        DcVal v = d->st[--d->sp];
        if (ch == 'S' || !g->n) {
            reg_push(g, v);
        } else {
            val_free(&g->e[g->n - 1].val);
            g->e[g->n - 1].val = v;
        }
    } else if (ch == 'l') {
        push(d, g->n ? val_copy(&g->e[g->n - 1].val) : (DcVal){num_from_long(0), NULL, 0});
    } else if (ch == 'L') {
        if (!g->n) {
            char id[32];
            show_id(id, sizeof id, r);
            err(d, "%s: stack register %s is empty", uc_name(d->c), id);
            return CMD_OK;
        }
        DcEntry *e = &g->e[--g->n];
        arr_free(&e->arr);
        push(d, e->val);
    } else {
        int idx;
        if (!pop_int(d, -1, &idx)) return CMD_OK;
        if (ch == ':' && !need(d, 1)) return CMD_OK;
        if (idx < 0) {
            if (ch == ':') val_free(&d->st[--d->sp]);
            err(d, "%s: array index must be a nonnegative integer", uc_name(d->c));
            return CMD_OK;
        }
        if (ch == ':') {
            arr_set(reg_arr(g), idx, d->st[--d->sp]);
        } else {
            const DcVal *v = g->n ? arr_get(&g->e[g->n - 1].arr, idx) : NULL;
            push(d, v ? val_copy(v) : (DcVal){num_from_long(0), NULL, 0});
        }
    }
    return CMD_OK;
}

static void set_param(Dc *d, int ch) {
    int k;
    if (!pop_int(d, -1, &k)) return;
    if (ch == 'k') {
        if (k < 0) err(d, "%s: scale must be a nonnegative number", uc_name(d->c));
        else d->scale = k;
    } else if (ch == 'i') {
        if (k < 2 || k > 16) err(d, "%s: input base must be a number between 2 and 16 (inclusive)", uc_name(d->c));
        else d->ibase = k;
    } else {
        if (k < 2) err(d, "%s: output base must be a number greater than 1", uc_name(d->c));
        else d->obase = k;
    }
}

/* Z: digits of a number as GNU's dc_numlen counts them (leading zeros of a
 * fraction below 1 do not count, zero has one), or a string's length. */
static long long value_length(const DcVal *v) {
    if (!v->num) return (long long)v->len;
    if (num_is_zero(v->num)) return 1;
    char *ip = num_int_digits(v->num);
    long long len;
    if (strcmp(ip, "0") != 0) {
        len = (long long)strlen(ip) + v->num->scale;
    } else {
        char *fp = num_frac_digits(v->num);
        size_t z = strspn(fp, "0");
        len = (long long)(strlen(fp) - z);
        free(fp);
    }
    free(ip);
    return len;
}

/* a: a number's lowest byte (integer part mod 256) or a string's first
 * character, as a one-character string. */
static void to_char(Dc *d) {
    if (!need(d, 1)) return;
    DcVal v = d->st[--d->sp];
    char c0 = 0;
    size_t len = 1;
    if (v.num) c0 = (char)(unsigned char)num_to_int(d, v.num);
    else if (v.len) c0 = v.str[0];
    else len = 0;
    val_free(&v);
    DcVal r = {NULL, xmalloc(len + 1), len};
    r.str[0] = c0;
    r.str[len] = 0;
    push(d, r);
}

static void print_cmd(Dc *d, int ch) {
    if (!need(d, 1)) return;
    if (ch == 'p') {
        print_val(d, &d->st[d->sp - 1], true);
        return;
    }
    DcVal *v = &d->st[d->sp - 1];
    if (ch == 'n') print_val(d, v, false);
    else if (v->num) print_bytes(d, v->num);
    else sb_put(&d->out, v->str, v->len);
    val_free(&d->st[--d->sp]);
}

static void sqrt_cmd(Dc *d) {
    if (!need(d, 1)) return;
    DcVal v = d->st[--d->sp];
    if (!v.num) {
        err(d, "%s: square root of nonnumeric attempted", uc_name(d->c));
    } else {
        bool neg;
        BcNum *r = num_sqrt(&d->nc, v.num, d->scale > v.num->scale ? d->scale : v.num->scale, &neg);
        if (neg) err(d, "%s: square root of negative number", uc_name(d->c));
        else if (r) push_num(d, r);
    }
    val_free(&v);
}

static void string_literal(Dc *d, DcFrame *f) {
    int lvl = 1;
    size_t st = f->i;
    while (f->i < f->n) {
        if (f->s[f->i] == '[') lvl++;
        else if (f->s[f->i] == ']' && --lvl == 0) break;
        f->i++;
    }
    push(d, (DcVal){NULL, xstrndup(f->s + st, f->i - st), f->i - st});
    if (f->i < f->n) f->i++;
}

/* ! at the start of a command: a comparison (!< !> !=) or a shell command
 * line, run in the session's shell. */
static CmdStatus bang(Dc *d, DcFrame *f) {
    if (f->i < f->n && (f->s[f->i] == '<' || f->s[f->i] == '>' || f->s[f->i] == '=')) {
        char op = f->s[f->i++];
        return conditional(d, op, true);
    }
    size_t st = f->i;
    while (f->i < f->n && f->s[f->i] != '\n') f->i++;
    char *cmd = xstrndup(f->s + st, f->i - st);
    flush(d);
    uc_run_script(d->c, cmd);
    free(cmd);
    return CMD_OK;
}

static CmdStatus quit_cmd(Dc *d, int ch) {
    if (ch == 'q') {
        d->unwind = 1;
        d->noexit = false;
        return CMD_QUIT;
    }
    int k;
    if (!pop_int(d, 0, &k)) return CMD_OK;
    if (k <= 0) {
        err(d, "%s: Q command requires a number >= 1", uc_name(d->c));
        return CMD_OK;
    }
    d->unwind = k - 1;
    d->noexit = true;
    return CMD_QUIT;
}

/* Runs the command at the current frame's position. */
static CmdStatus command(Dc *d) {
    DcFrame *f = cur(d);
    unsigned char ch = (unsigned char)f->s[f->i];
    if (is_digit(ch) || ch == '_' || ch == '.') {
        push_num(d, read_number(d, f->s, f->n, &f->i));
        return CMD_OK;
    }
    f->i++;
    switch (ch) {
    case ' ': case '\t': case '\n': case '\r': case '\f': case '\v': break;
    case '#':
        while (f->i < f->n && f->s[f->i] != '\n') f->i++;
        break;
    case '[': string_literal(d, f); break;
    case 'p': case 'n': case 'P': print_cmd(d, ch); break;
    case 'f':
        for (size_t k = d->sp; k-- > 0;) print_val(d, &d->st[k], true);
        break;
    case '+': case '-': case '*': case '/': case '%': case '~': case '^': binop(d, ch); break;
    case '|': modexp(d); break;
    case 'v': sqrt_cmd(d); break;
    case 'c':
        while (d->sp) val_free(&d->st[--d->sp]);
        break;
    case 'd':
        if (need(d, 1)) push(d, val_copy(&d->st[d->sp - 1]));
        break;
    case 'r': /* silent with fewer than two values, as GNU's */
        if (d->sp >= 2) {
            DcVal t = d->st[d->sp - 1];
            d->st[d->sp - 1] = d->st[d->sp - 2];
            d->st[d->sp - 2] = t;
        }
        break;
    case 'R': rotate(d); break;
    case 'z': push_num(d, num_from_long((long long)d->sp)); break;
    case 'Z': case 'X':
        if (need(d, 1)) {
            DcVal v = d->st[--d->sp];
            long long len = ch == 'Z' ? value_length(&v) : v.num ? v.num->scale : 0;
            val_free(&v);
            push_num(d, num_from_long(len));
        }
        break;
    case 'k': case 'i': case 'o': set_param(d, ch); break;
    case 'K': push_num(d, num_from_long(d->scale)); break;
    case 'I': push_num(d, num_from_long(d->ibase)); break;
    case 'O': push_num(d, num_from_long(d->obase)); break;
    case 'a': to_char(d); break;
    case 'x':
        if (!need(d, 1)) break;
        d->eval = d->st[--d->sp];
        return CMD_EVAL;
    case '?':
        d->eval = input_line(d);
        return CMD_EVAL;
    case 'q': case 'Q': return quit_cmd(d, ch);
    case 's': case 'S': case 'l': case 'L': case ':': case ';': return register_cmd(d, ch);
    case '<': case '>': case '=': return conditional(d, ch, false);
    case '!': return bang(d, f);
    default: { /* GNU writes the prefix to stderr and the rest to stdout */
        char id[48];
        show_id(id, sizeof id, ch);
        flush(d);
        uc_printf(d->c, 2, "%s: ", uc_name(d->c));
        sb_puts(&d->out, id);
        sb_puts(&d->out, " unimplemented\n");
        break;
    }
    }
    return CMD_OK;
}

/* Evaluates d->eval: a number goes back on the stack; a string runs as a
 * macro, in place of the current one when nothing follows (a tail call). */
static void begin_eval(Dc *d) {
    DcVal v = d->eval;
    d->eval = (DcVal){0};
    if (v.num) {
        push(d, v);
        return;
    }
    DcFrame *f = cur(d);
    if (!file_top(d)) {
        while (f->i < f->n && (f->s[f->i] == ' ' || f->s[f->i] == '\t' || f->s[f->i] == '\n' || f->s[f->i] == '#')) {
            if (f->s[f->i++] == '#')
                while (f->i < f->n && f->s[f->i++] != '\n') {}
        }
        if (f->i >= f->n) {
            if (f->owned) {
                d->frame_bytes -= f->n;
                free(f->s);
            }
            *f = (DcFrame){v.str, v.len, 0, f->tail < 2147483647 ? f->tail + 1 : f->tail, true};
            d->frame_bytes += v.len;
            return;
        }
    }
    if (d->nfr >= MAX_FRAMES || d->frame_bytes + v.len > MAX_FRAME_BYTES) {
        err(d, "%s: recursion too deep", uc_name(d->c));
        val_free(&v);
        return;
    }
    frame_push(d, v.str, v.len, true);
}

/* A quit reached the top of a file or standard input: q ends the program
 * (status 1, as GNU's), Q only complains. */
static void quit_at_file_top(Dc *d) {
    if (d->noexit) {
        err(d, "%s: Q command argument exceeded string execution depth", uc_name(d->c));
        return;
    }
    d->quit = true;
    d->status = 1;
}

/* The evaluation just popped returned GNU's DC_QUIT to the current frame. */
static void quit_returned(Dc *d) {
    for (;;) {
        if (d->nfr == 0) { /* out of an -e string: q ends the program */
            if (!d->noexit) d->quit = true;
            return;
        }
        if (file_top(d)) {
            quit_at_file_top(d);
            return;
        }
        bool more = d->unwind > 0;
        if (more) d->unwind--;
        frame_pop(d); /* this macro returns: quitting further, or done */
        if (!more) return;
    }
}

/* q or Q ran in the current frame. */
static void quit_here(Dc *d) {
    if (file_top(d)) {
        quit_at_file_top(d);
        return;
    }
    DcFrame *f = cur(d);
    if (d->unwind < f->tail) return; /* GNU goes on with the macro */
    d->unwind -= f->tail;
    frame_pop(d);
    quit_returned(d);
}

/* A command missing its register at the end of the text: a macro or -e
 * string is abandoned ("unexpected EOS"), a file ends the program. */
static void unexpected_end(Dc *d) {
    if (file_top(d)) {
        err(d, "%s: unexpected EOF", uc_name(d->c));
        d->quit = true;
        d->status = 1;
        return;
    }
    err(d, "%s: unexpected EOS", uc_name(d->c));
    frame_pop(d);
}

static void run_top(Dc *d, const char *s, size_t n, bool as_file, bool is_stdin) {
    d->top_file = as_file;
    d->top_stdin = is_stdin;
    frame_push(d, (char *)s, n, false);
    unsigned steps = 0;
    while (d->nfr && !d->quit) {
        DcFrame *f = cur(d);
        if (f->i >= f->n) {
            frame_pop(d);
            continue;
        }
        if (((++steps & 1023) == 0 && uc_should_stop(d->c)) || d->nc.stopped) {
            d->quit = true;
            break;
        }
        switch (command(d)) {
        case CMD_OK: break;
        case CMD_EVAL: begin_eval(d); break;
        case CMD_QUIT: quit_here(d); break;
        case CMD_EOF: unexpected_end(d); break;
        }
    }
    while (d->nfr) frame_pop(d);
}

/* ---------------------------------------------------------------- main */

static bool dc_stop(void *ctx) { return uc_should_stop((UtilCtx *)ctx); }

static bool is_directory(Dc *d, UcFile *f) {
    struct stat st;
    (void)d;
    return uc_fstat(f, &st) == 0 && S_ISDIR(st.st_mode);
}

static void run_file(Dc *d, const char *path) {
    UcFile *f = uc_open(d->c, path, "r");
    if (!f) {
        err(d, "%s: Could not open file %s", uc_name(d->c), path);
        return;
    }
    if (is_directory(d, f)) {
        uc_close(f);
        err(d, "%s: Will not attempt to process directory %s", uc_name(d->c), path);
        return;
    }
    StrBuf b;
    sb_init(&b);
    char buf[16384];
    ssize_t n;
    while ((n = uc_fread(f, buf, sizeof buf)) > 0) sb_put(&b, buf, (size_t)n);
    uc_close(f);
    run_top(d, b.s ? b.s : "", b.len, true, false);
    sb_free(&b);
}

/* True when a [string] is still open at the end of s (it continues on the
 * next line); comments outside strings do not count. */
static bool string_open(const char *s, size_t n) {
    int lvl = 0;
    for (size_t k = 0; k < n; k++) {
        if (s[k] == '[') lvl++;
        else if (s[k] == ']' && lvl > 0) lvl--;
        else if (s[k] == '#' && lvl == 0)
            while (k + 1 < n && s[k + 1] != '\n') k++;
    }
    return lvl > 0;
}

/* Standard input, a line at a time so that ? reads the rest of the line and
 * a q stops reading at once. */
static void run_stdin(Dc *d) {
    if (!d->stdin_f) d->stdin_f = uc_open(d->c, "-", "r");
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    StrBuf pending;
    sb_init(&pending);
    while (!d->quit && d->stdin_f && (n = uc_getdelim(d->stdin_f, &line, &cap, '\n')) > 0) {
        sb_put(&pending, line, (size_t)n);
        if (string_open(pending.s, pending.len)) continue;
        run_top(d, pending.s, pending.len, true, true);
        sb_clear(&pending);
    }
    if (pending.len && !d->quit) run_top(d, pending.s, pending.len, true, true);
    sb_free(&pending);
    free(line);
}

static const char dc_usage[] =
    "Usage: %s [OPTION] [file ...]\n"
    "  -e, --expression=EXPR    evaluate expression\n"
    "  -f, --file=FILE          evaluate contents of file\n"
    "  -h, --help               display this help and exit\n"
    "  -V, --version            output version information and exit\n\n";
static const char dc_bugs[] = "Email bug reports to:  bug-dc@gnu.org .\n";

/* A bad option: GNU writes the bug address to stdout, the rest to stderr. */
static int usage_error(Dc *d, const char *msg, const char *arg) {
    flush(d);
    uc_printf(d->c, 2, msg, uc_name(d->c), arg);
    uc_printf(d->c, 2, dc_usage, uc_name(d->c));
    uc_puts(d->c, 1, dc_bugs);
    return 1;
}

/* The expression of -e/--expression, or the file of -f/--file (attached,
 * after '=', or the next argument); NULL when a is not that option. */
static const char *option_value(int argc, char **argv, int *i, char shrt, const char *lng, bool *missing) {
    const char *a = argv[*i];
    size_t ll = strlen(lng);
    *missing = false;
    if (a[0] == '-' && a[1] == shrt) {
        if (a[2]) return a + 2;
    } else if (!strncmp(a, lng, ll) && a[ll] == '=') {
        return a + ll + 1;
    } else if (strcmp(a, lng) != 0) {
        return NULL;
    }
    if (*i + 1 >= argc) {
        *missing = true;
        return NULL;
    }
    return argv[++*i];
}

static void dc_free(Dc *d) {
    while (d->nfr) frame_pop(d);
    free(d->fr);
    val_free(&d->eval);
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
}

static Dc *dc_new(UtilCtx *c) {
    Dc *d = xcalloc(1, sizeof *d);
    d->c = c;
    d->nc.stop = dc_stop;
    d->nc.stop_ctx = c;
    d->nc.max_digits = 50000000;
    d->ibase = d->obase = 10;
    d->line_size = 70;
    /* DC_LINE_LENGTH: 0 turns wrapping off; a value below 2 or not a
     * number keeps the default */
    const char *ll = uc_getenv(c, "DC_LINE_LENGTH");
    if (ll && *ll) {
        char *end;
        long v = strtol(ll, &end, 10);
        if (*end == 0 && v == 0) d->line_size = 0;
        else if (*end == 0 && v >= 2) d->line_size = v > 1000000000L ? 1000000000 : (int)v;
    }
    sb_init(&d->out);
    return d;
}

/* Options act in order as getopt finds them (permuting): -e and -f run at
 * once, file operands after all options. */
int dc_main(UtilCtx *c, int argc, char **argv) {
    Dc *d = dc_new(c);
    bool did_input = false, only_operands = false, done = false;
    int nops = 0;
    const char **ops = xcalloc((size_t)argc + 1, sizeof *ops);
    for (int i = 1; i < argc && !d->quit && !done; i++) {
        const char *a = argv[i];
        bool missing;
        const char *v;
        if (only_operands || a[0] != '-' || !a[1]) {
            ops[nops++] = a;
        } else if (!strcmp(a, "--")) {
            only_operands = true;
        } else if ((v = option_value(argc, argv, &i, 'e', "--expression", &missing)) || missing) {
            if (missing) {
                d->status = usage_error(d, "%s: option requires an argument -- '%s'\n", "e");
                done = true;
            } else {
                run_top(d, v, strlen(v), false, false);
                did_input = true;
            }
        } else if ((v = option_value(argc, argv, &i, 'f', "--file", &missing)) || missing) {
            if (missing) {
                d->status = usage_error(d, "%s: option requires an argument -- '%s'\n", "f");
                done = true;
            } else {
                if (!strcmp(v, "-")) run_stdin(d);
                else run_file(d, v);
                did_input = true;
            }
        } else if (!strcmp(a, "-V") || !strcmp(a, "--version")) {
            flush(d);
            uc_puts(c, 1, "dc (GNU bc 1.07.1) 1.4.1\n\n"
                          "Copyright 1994, 1997, 1998, 2000, 2001, 2003-2006, 2008, 2010, 2012-2017 Free Software Foundation, Inc.\n"
                          "This is free software; see the source for copying conditions.  There is NO\n"
                          "warranty; not even for MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE,\n"
                          "to the extent permitted by law.\n");
            done = true;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            flush(d);
            uc_printf(c, 1, dc_usage, uc_name(c));
            uc_puts(c, 1, dc_bugs);
            done = true;
        } else if (a[1] == '-') {
            d->status = usage_error(d, "%s: unrecognized option '%s'\n", a);
            done = true;
        } else {
            char opt[2] = {a[1], 0};
            d->status = usage_error(d, "%s: invalid option -- '%s'\n", opt);
            done = true;
        }
    }
    for (int k = 0; k < nops && !d->quit && !done; k++) {
        if (!strcmp(ops[k], "-")) run_stdin(d);
        else run_file(d, ops[k]);
        did_input = true;
    }
    if (!did_input && !d->quit && !done) run_stdin(d);
    free(ops);
    flush(d);
    int status = d->status;
    dc_free(d);
    return status;
}
