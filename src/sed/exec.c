/* exec.c - running a compiled sed program over the input, cycle by cycle,
 * as GNU sed 4.9's execute.c does: addresses and ranges, the append queue,
 * the missing-newline rule for a last line without one, s with its flags and
 * case conversion, and the commands that read input (n N) suspending the run
 * when a pipeline has not delivered the next line yet. */
#include "sed.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { POLL_EVERY = 4096 };

bool sed_stop_hook(void *ctx) { return uc_should_stop(((Sed *)ctx)->c); }

/* ---------------------------------------------------------------- output */

void sed_output(Sed *s, SedOut *o, const char *text, size_t len, bool nl) {
    if (o->missing_newline) {
        uout_putc(o->uo, s->delim);
        o->missing_newline = false;
    }
    uout_put(o->uo, text, len);
    if (nl) uout_putc(o->uo, s->delim);
    else o->missing_newline = true;
    if (s->unbuffered || o->unbuffered) uout_flush(o->uo);
}

static void missing_newline(Sed *s, SedOut *o) {
    if (o->missing_newline) {
        uout_putc(o->uo, s->delim);
        o->missing_newline = false;
    }
}

static void put_ps(Sed *s, SedOut *o) { sed_output(s, o, s->ps.s ? s->ps.s : "", s->ps.len, s->ps_chomped); }

int sed_flush(Sed *s) {
    int r = uout_flush(s->main_out.uo);
    if (s->main_out.uo != &s->stdout_uo && uout_flush(&s->stdout_uo) < 0) r = -1;
    for (size_t k = 0; k < s->nouts; k++)
        if (s->outs[k]->f) uout_flush(&s->outs[k]->own);
    return r;
}

/* ---------------------------------------------------------------- append queue */

static void aq_push(Sed *s, SedAppend a) {
    if (s->naq == s->capaq) {
        s->capaq = s->capaq ? s->capaq * 2 : 8;
        s->aq = xrealloc(s->aq, s->capaq * sizeof *s->aq);
    }
    s->aq[s->naq++] = a;
}

static void copy_file(Sed *s, const char *name) {
    UcFile *f = uc_open(s->c, name, "r");
    if (!f) return; /* POSIX: an unreadable file is an empty one */
    char buf[16384];
    ssize_t n;
    while ((n = uc_fread(f, buf, sizeof buf)) > 0) uout_put(s->main_out.uo, buf, (size_t)n);
    uc_close(f);
}

static void dump_append(Sed *s) {
    missing_newline(s, &s->main_out);
    for (size_t k = 0; k < s->naq; k++) {
        SedAppend *a = &s->aq[k];
        if (a->text) uout_put(s->main_out.uo, a->text, a->len);
        if (a->rname) copy_file(s, a->rname);
        if (a->owned) free((char *)a->text);
    }
    s->naq = 0;
    if (s->unbuffered) uout_flush(s->main_out.uo);
}

/* ---------------------------------------------------------------- input */

static void reset_ranges(Sed *s) {
    for (size_t k = 0; k < s->ncmds; k++) {
        SedCmd *c = &s->cmds[k];
        c->range = (c->a1.kind == AD_LINE && c->a1.n1 == 0) ? RANGE_ACTIVE : RANGE_INACTIVE;
    }
}

static void rewind_rfiles(Sed *s) {
    for (size_t k = 0; k < s->ncmds; k++) {
        SedCmd *c = &s->cmds[k];
        if (c->cmd != 'R') continue;
        if (c->rfile) uc_close(c->rfile);
        c->rfile = uc_open(s->c, c->text.s, "r");
        c->rfile_eof = false;
    }
}

/* Reads the next line into the pattern space (appended after a newline for
 * N). 1: read; 0: no more input; -1: wait for more data. */
static int read_ps(Sed *s, bool append) {
    if (s->naq) dump_append(s);
    s->replaced = false;
    for (;;) {
        if (s->in.open) {
            const char *p;
            size_t n;
            bool chomped;
            int r = sed_in_line(s, &p, &n, &chomped);
            if (r < 0) return -1;
            if (r > 0) {
                if (append) sb_putc(&s->ps, s->delim);
                else sb_clear(&s->ps);
                sb_put(&s->ps, p, n);
                s->ps_chomped = chomped;
                s->lineno++;
                return 1;
            }
            sed_in_close(s);
        }
        if (s->fatal || s->in.next >= s->in.nfiles) return 0;
        if (s->in.reset_next) {
            s->lineno = 0;
            sb_clear(&s->hold);
            reset_ranges(s);
            rewind_rfiles(s);
            if (s->inplace) s->main_out.missing_newline = false;
            s->in.reset_next = s->separate;
        }
        sed_in_open_next(s);
    }
}

/* ---------------------------------------------------------------- addresses */

static int search(Sed *s, SedRe *r, const char *subj, size_t len, size_t start, RxSpan *caps,
                  size_t ncaps) {
    Regex *re = r->re ? r->re : s->last_re;
    if (!re) {
        uc_error(s->c, "no previous regular expression");
        return -2;
    }
    s->last_re = re;
    if (r->lit) {
        const char *f = start > len ? NULL
                      : r->litlen == 1 ? mem_find(subj + start, r->lit[0], len - start)
                                       : memmem(subj + start, len - start, r->lit, r->litlen);
        if (!f) return RX_NOMATCH;
        for (size_t k = 0; k < ncaps; k++) caps[k].so = caps[k].eo = -1;
        if (ncaps) {
            caps[0].so = f - subj;
            caps[0].eo = caps[0].so + (long)r->litlen;
        }
        return RX_MATCH;
    }
    int m = rx_search(re, subj, len, start, &s->ex, caps, ncaps);
    if (m == RX_ENOMEM) uc_error(s->c, "memory exhausted");
    return m;
}

/* 1 match, 0 no, <0 stop */
static int match_one(Sed *s, SedAddr *a) {
    switch (a->kind) {
    case AD_NONE: return 1;
    case AD_RE: {
        int m = search(s, a->re, s->ps.s ? s->ps.s : "", s->ps.len, 0, NULL, 0);
        return m < 0 ? m : m == RX_MATCH;
    }
    case AD_STEP: return s->lineno >= a->n1 && (s->lineno - a->n1) % a->n2 == 0;
    case AD_PLUS: case AD_MULT: return a->n1 <= s->lineno;
    case AD_LAST: return sed_in_last(s);
    case AD_LINE: return a->n1 == s->lineno;
    }
    return 0;
}

/* GNU's match_address_p: ranges, with line-number ends handled absolutely. */
static int match_addr(Sed *s, SedCmd *c) {
    if (c->a1.kind == AD_NONE) return 1;
    if (c->range != RANGE_ACTIVE) {
        if (c->a2.kind == AD_NONE) return match_one(s, &c->a1);
        if (c->a1.kind == AD_LINE) {
            if (c->range == RANGE_CLOSED || s->lineno < c->a1.n1) return 0;
        } else {
            int m = match_one(s, &c->a1);
            if (m <= 0) return m;
        }
        c->range = RANGE_ACTIVE;
        switch (c->a2.kind) {
        case AD_RE: return 1;
        case AD_LINE:
            if (s->lineno >= c->a2.n1) c->range = RANGE_CLOSED;
            return s->lineno <= c->a2.n1 ? 1 : match_one(s, &c->a1);
        case AD_PLUS:
            c->a2.n1 = s->lineno + c->a2.n2;
            if (c->a2.n1 <= s->lineno) c->range = RANGE_CLOSED;
            return 1;
        case AD_MULT:
            c->a2.n1 = c->a2.n2 ? s->lineno + c->a2.n2 - s->lineno % c->a2.n2 : s->lineno;
            if (c->a2.n1 <= s->lineno) c->range = RANGE_CLOSED;
            return 1;
        default: break;
        }
    }
    if (c->a2.kind == AD_LINE) {
        if (s->lineno >= c->a2.n1) c->range = RANGE_CLOSED;
        return s->lineno <= c->a2.n1;
    }
    int m = match_one(s, &c->a2);
    if (m < 0) return m;
    if (m) c->range = RANGE_CLOSED;
    return 1;
}

/* ---------------------------------------------------------------- s */

typedef struct CaseState {
    int persist; /* CASE_NONE / CASE_UPPER / CASE_LOWER */
    int once;    /* CASE_NONE / CASE_UPPER1 / CASE_LOWER1 */
} CaseState;

static uint32_t conv(uint32_t cp, int how) {
    return (how == CASE_UPPER || how == CASE_UPPER1) ? rx_upper(cp) : rx_lower(cp);
}

static void put_cased(Sed *s, StrBuf *o, const char *p, size_t n, CaseState *cs) {
    if (cs->persist == CASE_NONE && cs->once == CASE_NONE) {
        sb_put(o, p, n);
        return;
    }
    for (size_t i = 0; i < n;) {
        int how = cs->once != CASE_NONE ? cs->once : cs->persist;
        cs->once = CASE_NONE;
        unsigned char ch = (unsigned char)p[i];
        if (!s->utf8 || ch < 0x80) {
            if (how != CASE_NONE && ch < 0x80) ch = (unsigned char)conv(ch, how);
            sb_putc(o, (char)ch);
            i++;
            continue;
        }
        uint32_t cp;
        int l = rx_utf8_decode((const unsigned char *)p + i, n - i, &cp);
        if (l <= 0 || how == CASE_NONE) {
            size_t k = l <= 0 ? 1 : (size_t)l;
            sb_put(o, p + i, k);
            i += k;
            continue;
        }
        unsigned char enc[4];
        int el = rx_utf8_encode(conv(cp, how), enc);
        sb_put(o, (const char *)enc, (size_t)el);
        i += (size_t)l;
    }
}

static void append_replacement(Sed *s, SedSubst *sub, StrBuf *o, const char *line, const RxSpan *caps) {
    CaseState cs = {CASE_NONE, CASE_NONE};
    for (size_t k = 0; k < sub->nparts; k++) {
        const SedRepl *r = &sub->parts[k];
        switch (r->kind) {
        case RP_LIT: put_cased(s, o, sub->text.s + r->off, r->len, &cs); break;
        case RP_GROUP:
            if (caps[r->n].so >= 0 && caps[r->n].eo > caps[r->n].so)
                put_cased(s, o, line + caps[r->n].so, (size_t)(caps[r->n].eo - caps[r->n].so), &cs);
            break;
        case RP_CASE:
            if (r->n == CASE_UPPER1 || r->n == CASE_LOWER1) {
                cs.once = r->n;
            } else {
                cs.persist = r->n == CASE_END ? CASE_NONE : r->n;
                cs.once = CASE_NONE;
            }
            break;
        }
    }
}

static void ensure_caps(Sed *s, size_t n) {
    if (s->ncaps >= n) return;
    s->caps = xrealloc(s->caps, n * sizeof *s->caps);
    s->ncaps = n;
}

/* Runs a command for e / s///e; its output replaces the pattern space (minus
 * one final newline) or, for `e command`, goes to the output. */
static void run_capture(Sed *s, const char *cmd, StrBuf *into) {
    sed_flush(s);
    char *out = NULL;
    size_t n = 0;
    uc_run_script_capture(s->c, cmd, &out, &n);
    sb_clear(into);
    if (out) sb_put(into, out, n);
    free(out);
}

/* Returns 0, or <0 to stop the run. */
static int do_subst(Sed *s, SedSubst *sub) {
    size_t ncap = (size_t)(sub->max_ref < 0 ? 0 : sub->max_ref) + 1;
    ensure_caps(s, ncap);
    const char *line = s->ps.s ? s->ps.s : "";
    size_t len = s->ps.len, start = 0, last_end = 0;
    uintmax_t count = 0;
    int m = search(s, sub->re, line, len, 0, s->caps, ncap);
    if (m < 0) return m;
    if (m != RX_MATCH) return 0;
    StrBuf *acc = &s->accum;
    sb_clear(acc);
    bool again = true, did = false;
    do {
        size_t off = (size_t)s->caps[0].so, matched = (size_t)(s->caps[0].eo - s->caps[0].so);
        if (start < off) sb_put(acc, line + start, off - start);
        /* an empty match right after a match is not replaced (baaac, s/a*\/x/g -> xbxcx) */
        if ((matched > 0 || count == 0 || off > last_end) && ++count >= sub->numb) {
            did = true;
            append_replacement(s, sub, acc, line, s->caps);
            again = sub->global;
        } else {
            if (matched == 0) {
                if (start >= len) break;
                matched = 1; /* GNU steps one byte, even inside a UTF-8 character */
            }
            sb_put(acc, line + off, matched);
        }
        start = off + matched;
        last_end = (size_t)s->caps[0].eo;
        if (!again || start > len) break;
        if (s->c && ((count & 1023) == 1023) && uc_should_stop(s->c)) return -1;
        m = search(s, sub->re, line, len, start, s->caps, ncap);
        if (m < 0) return m;
    } while (m == RX_MATCH);
    if (start < len) sb_put(acc, line + start, len - start);
    if (!did) return 0;
    StrBuf t = s->ps;
    s->ps = *acc;
    *acc = t;
    s->replaced = true;
    if (sub->print & 1) put_ps(s, &s->main_out);
    if (sub->eval) {
        sb_putc(&s->ps, 0);
        s->ps.len--;
        run_capture(s, s->ps.s, &s->accum);
        t = s->ps;
        s->ps = s->accum;
        s->accum = t;
        if (s->ps.len && s->ps.s[s->ps.len - 1] == s->delim) s->ps.len--;
    }
    if (sub->print & 2) put_ps(s, &s->main_out);
    if (sub->wout) put_ps(s, sub->wout);
    return 0;
}

/* ---------------------------------------------------------------- other commands */

static void do_list(Sed *s, long width) {
    SedOut *o = &s->main_out;
    missing_newline(s, o);
    StrBuf *b = &s->tmp;
    sb_clear(b);
    size_t col = 0;
    for (size_t i = 0; i < s->ps.len; i++) {
        unsigned char ch = (unsigned char)s->ps.s[i];
        char ob[8];
        size_t ol;
        if (ch == '\\') ol = (size_t)snprintf(ob, sizeof ob, "\\\\");
        else if (ch >= 32 && ch < 127) ob[0] = (char)ch, ol = 1;
        else {
            const char *esc = ch == '\a' ? "\\a" : ch == '\b' ? "\\b" : ch == '\f' ? "\\f" : ch == '\n' ? "\\n"
                            : ch == '\r' ? "\\r" : ch == '\t' ? "\\t" : ch == '\v' ? "\\v" : NULL;
            ol = esc ? (size_t)snprintf(ob, sizeof ob, "%s", esc) : (size_t)snprintf(ob, sizeof ob, "\\%03o", ch);
        }
        if (width > 0 && col + ol >= (size_t)width) {
            sb_puts(b, "\\\n");
            col = 0;
        }
        sb_put(b, ob, ol);
        col += ol;
    }
    sb_putc(b, '$');
    sb_putc(b, s->delim);
    uout_put(o->uo, b->s, b->len);
    if (s->unbuffered) uout_flush(o->uo);
}

static void do_y(Sed *s, SedCmd *c) {
    if (c->ymap) {
        unsigned char *p = (unsigned char *)s->ps.s;
        for (size_t i = 0; i < s->ps.len; i++) p[i] = c->ymap[p[i]];
        return;
    }
    StrBuf *o = &s->accum;
    sb_clear(o);
    for (size_t i = 0; i < s->ps.len;) {
        uint32_t cp;
        int l = rx_utf8_decode((const unsigned char *)s->ps.s + i, s->ps.len - i, &cp);
        size_t cl = l <= 0 ? 1 : (size_t)l;
        size_t k = 0;
        for (; k < c->yfrom.n; k++)
            if (strlen(c->yfrom.v[k]) == cl && !memcmp(c->yfrom.v[k], s->ps.s + i, cl)) break;
        if (k < c->yfrom.n) sb_puts(o, c->yto.v[k]);
        else sb_put(o, s->ps.s + i, cl);
        i += cl;
    }
    StrBuf t = s->ps;
    s->ps = *o;
    *o = t;
}

static void do_R(Sed *s, SedCmd *c) {
    if (!c->rfile || c->rfile_eof) return;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = uc_getdelim(c->rfile, &line, &cap, s->delim);
    if (n < 0) {
        c->rfile_eof = true;
        free(line);
        return;
    }
    aq_push(s, (SedAppend){line, (size_t)n, true, NULL});
}

static void swap_buf(StrBuf *a, StrBuf *b) {
    StrBuf t = *a;
    *a = *b;
    *b = t;
}

static void put_first_line(Sed *s, SedOut *o) {
    const char *p = s->ps.len ? memchr(s->ps.s, s->delim, s->ps.len) : NULL;
    if (p) sed_output(s, o, s->ps.s, (size_t)(p - s->ps.s), true);
    else put_ps(s, o);
}

/* ---------------------------------------------------------------- the cycle */

enum { X_NEXT, X_JUMP, X_END_CYCLE, X_END_NOPRINT, X_QUIT, X_NEED, X_STOP, X_RESTART };

/* Executes cmds[pc]; X_* says what follows. */
static int exec_cmd(Sed *s, SedCmd *c) {
    switch (c->cmd) {
    case '{': return X_NEXT;
    case '}': case '#': case ':': return X_NEXT;
    case 'a': aq_push(s, (SedAppend){c->text.s, c->text.len, false, NULL}); return X_NEXT;
    case 'b': s->pc = c->jump; return X_JUMP;
    case 'c':
        if ((c->a2.kind == AD_NONE || c->range != RANGE_ACTIVE) && c->text.len)
            sed_output(s, &s->main_out, c->text.s, c->text.len - 1, true);
        return X_END_NOPRINT;
    case 'd': return X_END_NOPRINT;
    case 'D': {
        const char *p = s->ps.len ? memchr(s->ps.s, s->delim, s->ps.len) : NULL;
        if (!p) return X_END_NOPRINT;
        size_t cut = (size_t)(p - s->ps.s) + 1;
        memmove(s->ps.s, s->ps.s + cut, s->ps.len - cut);
        s->ps.len -= cut;
        s->ps.s[s->ps.len] = 0;
        return X_RESTART;
    }
    case 'e':
        if (c->text.len) {
            missing_newline(s, &s->main_out);
            run_capture(s, c->text.s, &s->tmp);
            uout_put(s->main_out.uo, s->tmp.s, s->tmp.len);
        } else {
            sb_putc(&s->ps, 0);
            s->ps.len--;
            run_capture(s, s->ps.s, &s->accum);
            swap_buf(&s->ps, &s->accum);
            if (s->ps.len && s->ps.s[s->ps.len - 1] == s->delim) s->ps.len--;
        }
        return X_NEXT;
    case 'F':
        missing_newline(s, &s->main_out);
        uout_puts(s->main_out.uo, s->in.name ? s->in.name : "-");
        uout_putc(s->main_out.uo, s->delim);
        return X_NEXT;
    case 'g': sb_clear(&s->ps); sb_put(&s->ps, s->hold.s, s->hold.len); s->ps_chomped = s->hold_chomped; return X_NEXT;
    case 'G':
        sb_putc(&s->ps, s->delim);
        sb_put(&s->ps, s->hold.s, s->hold.len);
        s->ps_chomped = s->hold_chomped;
        return X_NEXT;
    case 'h': sb_clear(&s->hold); sb_put(&s->hold, s->ps.s, s->ps.len); s->hold_chomped = s->ps_chomped; return X_NEXT;
    case 'H':
        sb_putc(&s->hold, s->delim);
        sb_put(&s->hold, s->ps.s, s->ps.len);
        s->hold_chomped = s->ps_chomped;
        return X_NEXT;
    case 'i':
        if (c->text.len) sed_output(s, &s->main_out, c->text.s, c->text.len - 1, true);
        return X_NEXT;
    case 'l': do_list(s, c->num >= 0 ? c->num : s->line_len); return X_NEXT;
    case 'n':
        if (!s->quiet) put_ps(s, &s->main_out);
        if (sed_in_last(s)) return X_END_NOPRINT;
        s->pend = PEND_n;
        return X_NEED;
    case 'N':
        if (sed_in_last(s)) {
            if (!s->posix && !s->quiet) put_ps(s, &s->main_out);
            return X_END_NOPRINT;
        }
        s->pend = PEND_N;
        return X_NEED;
    case 'p': put_ps(s, &s->main_out); return X_NEXT;
    case 'P': put_first_line(s, &s->main_out); return X_NEXT;
    case 'q':
        if (!s->quiet) put_ps(s, &s->main_out);
        dump_append(s);
        s->quit_status = c->num < 0 ? 0 : (int)c->num;
        return X_QUIT;
    case 'Q': s->quit_status = c->num < 0 ? 0 : (int)c->num; return X_QUIT;
    case 'r': aq_push(s, (SedAppend){NULL, 0, false, c->text.s}); return X_NEXT;
    case 'R': do_R(s, c); return X_NEXT;
    case 's': return do_subst(s, c->s) < 0 ? X_STOP : X_NEXT;
    case 't':
        if (s->replaced) {
            s->replaced = false;
            s->pc = c->jump;
            return X_JUMP;
        }
        return X_NEXT;
    case 'T':
        if (!s->replaced) {
            s->pc = c->jump;
            return X_JUMP;
        }
        s->replaced = false;
        return X_NEXT;
    case 'v': return X_NEXT;
    case 'w': put_ps(s, c->out); return X_NEXT;
    case 'W': put_first_line(s, c->out); return X_NEXT;
    case 'x': {
        swap_buf(&s->ps, &s->hold);
        bool t = s->ps_chomped;
        s->ps_chomped = s->hold_chomped;
        s->hold_chomped = t;
        return X_NEXT;
    }
    case 'y': do_y(s, c); return X_NEXT;
    case 'z': sb_clear(&s->ps); return X_NEXT;
    case '=':
        missing_newline(s, &s->main_out);
        uout_printf(s->main_out.uo, "%ju%c", s->lineno, s->delim);
        return X_NEXT;
    }
    return X_NEXT;
}

/* The pattern and hold spaces (and a line being read) stay within the run's
 * memory budget: past it sed stops as GNU does when memory runs out. */
bool sed_too_big(Sed *s, size_t extra) {
    uint64_t lim = s->mem_limit;
    if (!lim || (uint64_t)s->ps.len + s->hold.len + s->accum.len + extra <= lim) return false;
    uc_error(s->c, "couldn't re-allocate memory");
    s->status = SED_EXIT_PANIC;
    s->fatal = true;
    return true;
}

/* Runs the program from s->pc to the end of the cycle (or a suspension). */
static int run_cycle(Sed *s) {
    unsigned polls = 0;
    while (s->pc < s->ncmds) {
        if (++polls >= POLL_EVERY) {
            polls = 0;
            if (uc_should_stop(s->c)) return X_STOP;
            if (s->stdout_uo.err) return X_STOP;
        }
        SedCmd *c = &s->cmds[s->pc];
        int m = match_addr(s, c);
        if (m < 0) return X_STOP;
        if ((m != 0) == c->bang) {
            s->pc = c->cmd == '{' ? c->jump + 1 : s->pc + 1;
            continue;
        }
        int x = exec_cmd(s, c);
        if (sed_too_big(s, 0)) return X_STOP;
        switch (x) {
        case X_NEXT: s->pc++; break;
        case X_JUMP: break;
        case X_RESTART: s->pc = 0; break;
        default: return x;
        }
    }
    if (!s->quiet) put_ps(s, &s->main_out);
    return X_END_CYCLE;
}

void sed_init_run(Sed *s) {
    s->ps_chomped = s->hold_chomped = true;
    s->pend = PEND_CYCLE;
    s->quit_status = -1;
    s->ex.should_stop = sed_stop_hook;
    s->ex.stop_ctx = s;
    s->mem_limit = uc_memory_limit(s->c);
    reset_ranges(s);
}

/* Runs cycles until the input ends (SR_END), the script quits (SR_QUIT), the
 * run must stop (SR_STOP) or more input is needed (SR_NEED). */
int sed_run(Sed *s) {
    for (unsigned cycles = 0;; cycles++) {
        if ((cycles & 63) == 0 && uc_should_stop(s->c)) return SR_STOP;
        if (s->stdout_uo.err || s->fatal) return SR_STOP;
        int r;
        switch (s->pend) {
        case PEND_CYCLE:
            r = read_ps(s, false);
            if (r < 0) return SR_NEED;
            if (r == 0) return SR_END;
            s->pc = 0;
            break;
        case PEND_n:
        case PEND_N:
            r = read_ps(s, s->pend == PEND_N);
            if (r < 0) return SR_NEED;
            if (r == 0) { /* the files after this one could not be read */
                if (s->pend == PEND_N && !s->posix && !s->quiet) put_ps(s, &s->main_out);
                s->pend = PEND_CYCLE;
                continue;
            }
            s->pc++;
            break;
        default: return SR_END;
        }
        s->pend = PEND_NONE;
        int x = run_cycle(s);
        if (x == X_NEED) continue; /* s->pend says what to read */
        if (x == X_QUIT) return SR_QUIT;
        if (x == X_STOP) return SR_STOP;
        s->pend = PEND_CYCLE;
    }
}

/* At the end of the input: what read_ps would write before failing. */
void sed_end_input(Sed *s) {
    if (s->naq) dump_append(s);
}

void sed_free_run(Sed *s) {
    for (size_t k = 0; k < s->naq; k++)
        if (s->aq[k].owned) free((char *)s->aq[k].text);
    free(s->aq);
    free(s->caps);
    sb_free(&s->ps);
    sb_free(&s->hold);
    sb_free(&s->accum);
    sb_free(&s->tmp);
}
