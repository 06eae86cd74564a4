/* regex.c - the public API: compiling, choosing a matcher for each search
 * (literal scan, lazy DFA, Pike VM, backtracker) and grep's record search. */
#include "rx.h"

#include "common.h"

#include <stdlib.h>
#include <string.h>

struct Regex {
    RxProg prog;
    RxSyntax syn;
    unsigned flags;
    int ngroups;
    char **names;
    const char *warnings[8];
    int nwarnings;
    RxDfa *dfa;     /* built on first use; NULL when unusable */
    bool dfa_tried;
    RxDfa *ldfa;    /* the same for grep's records, ended by ldfa_eol */
    int ldfa_eol;
    bool nl_match, nl_literal; /* rx_can_match_newline, rx_has_newline_literal */
};

/* Where node i can consume a newline (*can), and whether it holds one that
 * is a literal or a class of the newline alone (*lit). */
static void newline_use(const RxTree *t, int i, bool *can, bool *lit) {
    const RxNode *nd = &t->nodes[i];
    if (nd->kind == N_CHAR) {
        if (nd->cp == '\n') *can = *lit = true;
    } else if (nd->kind == N_ANY) {
        *can |= nd->dotnl;
    } else if (nd->kind == N_CLASS) {
        bool has = false, other = false;
        for (int k = 0; k < nd->cls.n; k++) {
            bool in = nd->cls.v[k].lo <= '\n' && nd->cls.v[k].hi >= '\n';
            has |= in;
            other |= !in || nd->cls.v[k].lo < '\n' || nd->cls.v[k].hi > '\n';
        }
        *can |= has, *lit |= has && !other;
    } else {
        for (int k = 0; k < nd->nkids; k++) newline_use(t, nd->kids[k], can, lit);
    }
}

Regex *rx_compile(const char *pat, size_t len, RxSyntax syn, unsigned flags, RxError *err) {
    RxError dummy;
    if (!err) err = &dummy;
    if (flags & RX_NEWLINE) flags |= RX_MULTILINE;
    RxTree t;
    if (!rx_parse(&t, pat, len, syn, flags, err)) {
        rx_tree_free(&t);
        return NULL;
    }
    Regex *re = xcalloc(1, sizeof *re);
    if (!rx_compile_prog(&re->prog, &t, flags, err)) {
        rx_tree_free(&t);
        rx_prog_free(&re->prog);
        free(re);
        return NULL;
    }
    re->syn = syn;
    re->flags = flags;
    re->ngroups = t.ngroups;
    re->names = t.names;
    t.names = NULL;
    re->nwarnings = t.nwarnings;
    memcpy(re->warnings, t.warnings, sizeof re->warnings);
    if (t.n) newline_use(&t, t.root, &re->nl_match, &re->nl_literal);
    rx_tree_free(&t);
    return re;
}

void rx_free(Regex *re) {
    if (!re) return;
    rx_prog_free(&re->prog);
    if (re->names) {
        for (int i = 0; i < re->ngroups; i++) free(re->names[i]);
        free(re->names);
    }
    if (re->dfa) rx_dfa_free(re->dfa);
    if (re->ldfa) rx_dfa_free(re->ldfa);
    free(re);
}

int rx_ngroups(const Regex *re) { return re->ngroups; }

int rx_group_index(const Regex *re, const char *name, size_t len) {
    if (!re->names) return -1;
    for (int i = 0; i < re->ngroups; i++)
        if (re->names[i] && strlen(re->names[i]) == len && !memcmp(re->names[i], name, len)) return i + 1;
    return -1;
}

const char *rx_warning(const Regex *re, int i) { return i >= 0 && i < re->nwarnings ? re->warnings[i] : NULL; }

bool rx_needs_backtracking(const Regex *re) { return re->prog.needs_bt; }

bool rx_can_match_newline(const Regex *re) { return re->nl_match; }

bool rx_has_newline_literal(const Regex *re) { return re->nl_literal; }

/* ---- shared by the matchers ---- */

bool rx_poll_stop(RxCtx *c) {
    if (c->stopped) return true;
    if (c->ex && c->ex->should_stop && c->ex->should_stop(c->ex->stop_ctx)) c->stopped = true;
    return c->stopped;
}

static bool word_before(const RxCtx *c, size_t pos) {
    if (pos == 0) return false;
    if (c->prog->bytes || c->s[pos - 1] < 0x80) return rx_is_word_cp(c->s[pos - 1], c->prog->bytes);
    size_t st = pos - 1;
    while (st > 0 && pos - st < 4 && (c->s[st] & 0xC0) == 0x80) st--;
    uint32_t cp;
    int n = rx_utf8_decode(c->s + st, pos - st, &cp);
    if (n == 0 || st + (size_t)n != pos) return false;
    return rx_is_word_cp(cp, false);
}

static bool word_after(const RxCtx *c, size_t pos) {
    if (pos >= c->len) return false;
    if (c->prog->bytes || c->s[pos] < 0x80) return rx_is_word_cp(c->s[pos], c->prog->bytes);
    uint32_t cp;
    if (rx_utf8_decode(c->s + pos, c->len - pos, &cp) == 0) return false;
    return rx_is_word_cp(cp, false);
}

bool rx_assert_at(const RxCtx *c, int kind, size_t pos) {
    bool bol = pos == 0 && !(c->eflags & RX_NOTBOL);
    bool eol = pos == c->len && !(c->eflags & RX_NOTEOL);
    switch (kind) {
    case A_BOL: return bol;
    case A_EOL: return eol;
    case A_MBOL: return bol || (pos > 0 && c->s[pos - 1] == '\n');
    case A_MEOL: return eol || (pos < c->len && c->s[pos] == '\n');
    case A_PEOL: return eol || (pos + 1 == c->len && c->s[pos] == '\n');
    case A_BOT: return pos == 0;
    case A_EOT: return pos == c->len;
    case A_EOT_NL: return pos == c->len || (pos + 1 == c->len && c->s[pos] == '\n');
    default: break;
    }
    bool wb = word_before(c, pos), wa = word_after(c, pos);
    switch (kind) {
    case A_WORDB: return wb != wa;
    case A_NWORDB: return wb == wa;
    case A_WSTART: return !wb && wa;
    case A_WEND: return wb && !wa;
    case A_NOTWBEF: return !wb;
    case A_NOTWAFT: return !wa;
    default: return false;
    }
}

/* ---- searching ---- */

static RxDfa *get_dfa(Regex *re) {
    if (!re->dfa_tried) {
        re->dfa_tried = true;
        if (!re->prog.needs_bt) re->dfa = rx_dfa_new(&re->prog, (re->flags & RX_MULTILINE) != 0, -1);
    }
    return re->dfa;
}

static void ctx_init(RxCtx *c, const Regex *re, const char *s, size_t len, const RxExec *ex) {
    memset(c, 0, sizeof *c);
    c->prog = &re->prog;
    c->s = (const unsigned char *)s;
    c->len = len;
    c->eflags = ex ? ex->flags : 0;
    c->multiline = (re->flags & RX_MULTILINE) != 0;
    c->ex = ex;
}

/* Finds the match; slots has prog.nslots entries. */
static int search_slots(Regex *re, RxCtx *c, size_t start, bool want_groups, long *slots) {
    bool anchored = (c->eflags & RX_ANCHORED) != 0;
    bool posix = re->syn != RX_PERL;
    if (re->prog.needs_bt) return rx_backtrack(c, start, anchored, posix, -1, slots);
    RxDfa *d = (c->eflags & RX_NOTEMPTY) || anchored ? NULL : get_dfa(re);
    if (d) {
        int r = rx_dfa_match(d, c, start);
        if (r == RX_NOMATCH || r < 0) return r;
    }
    if (!posix) return rx_pike(c, start, anchored, false, -1, slots);
    int r = rx_pike(c, start, anchored, true, -1, slots);
    if (r != RX_MATCH || !want_groups || re->ngroups == 0) return r;
    long so = slots[0], eo = slots[1];
    r = rx_pike(c, (size_t)so, true, false, eo, slots);
    if (r == RX_NOMATCH) {
        /* cannot happen; keep the span at least */
        for (int k = 0; k < re->prog.nslots; k++) slots[k] = -1;
        slots[0] = so, slots[1] = eo;
        r = RX_MATCH;
    }
    return r;
}

int rx_search(Regex *re, const char *subj, size_t len, size_t start, const RxExec *ex, RxSpan *caps,
              size_t ncaps) {
    if (start > len) return RX_NOMATCH;
    RxCtx c;
    ctx_init(&c, re, subj, len, ex);
    if (!caps || ncaps == 0) {
        if (!re->prog.needs_bt && !(c.eflags & (RX_NOTEMPTY | RX_ANCHORED))) {
            RxDfa *d = get_dfa(re);
            if (d) {
                int r = rx_dfa_match(d, &c, start);
                if (r != 2) return r;
            }
        }
        long *slots = malloc((size_t)re->prog.nslots * sizeof *slots);
        if (!slots) return RX_ENOMEM;
        int r = re->prog.needs_bt
                    ? rx_backtrack(&c, start, (c.eflags & RX_ANCHORED) != 0, false, -1, slots)
                    : rx_pike(&c, start, (c.eflags & RX_ANCHORED) != 0, false, -1, slots);
        free(slots);
        return r;
    }
    long *slots = malloc((size_t)re->prog.nslots * sizeof *slots);
    if (!slots) return RX_ENOMEM;
    int r = search_slots(re, &c, start, ncaps > 1, slots);
    if (r == RX_MATCH) {
        for (size_t i = 0; i < ncaps; i++) {
            if ((int)i <= re->ngroups && (i == 0 || ncaps > 1)) {
                caps[i].so = slots[2 * i];
                caps[i].eo = slots[2 * i + 1];
                if (caps[i].so < 0 || caps[i].eo < 0) caps[i].so = caps[i].eo = -1;
            } else {
                caps[i].so = caps[i].eo = -1;
            }
        }
    }
    free(slots);
    return r;
}

/* Record by record, with the required literal (if any) to skip records that
 * cannot match. */
static int lines_slow(Regex *re, const char *buf, size_t len, size_t start, char eol, bool invert,
                      const RxExec *ex, size_t *so, size_t *eo) {
    const RxProg *p = &re->prog;
    size_t pos = start;
    unsigned long n = 0;
    while (pos < len) {
        if (!invert && p->req_len) {
            const char *f = memmem(buf + pos, len - pos, p->req, p->req_len);
            if (!f) return RX_NOMATCH;
            const char *ls = f;
            while (ls > buf + pos && ls[-1] != eol) ls--;
            pos = (size_t)(ls - buf);
        }
        const char *e = mem_find(buf + pos, eol, len - pos);
        size_t end = e ? (size_t)(e - buf) : len;
        int r = rx_search(re, buf + pos, end - pos, 0, ex, NULL, 0);
        if (r < 0) return r;
        if ((r == RX_MATCH) != invert) {
            *so = pos;
            *eo = end;
            return RX_MATCH;
        }
        pos = end + 1;
        if ((++n & 1023) == 0 && ex && ex->should_stop && ex->should_stop(ex->stop_ctx)) return RX_BUDGET;
    }
    return RX_NOMATCH;
}

int rx_search_lines(Regex *re, const char *buf, size_t len, size_t start, char eol, bool invert,
                    const RxExec *ex, size_t *rec_so, size_t *rec_eo) {
    if (start >= len) return RX_NOMATCH;
    RxDfa *d = NULL;
    if (!re->prog.needs_bt && !(re->flags & RX_MULTILINE)) {
        if (re->ldfa && re->ldfa_eol != (unsigned char)eol) rx_dfa_free(re->ldfa), re->ldfa = NULL;
        if (!re->ldfa) re->ldfa = rx_dfa_new(&re->prog, false, (unsigned char)eol), re->ldfa_eol = (unsigned char)eol;
        d = re->ldfa;
    }
    if (d && !(ex && (ex->flags & (RX_NOTEMPTY | RX_ANCHORED)))) {
        RxCtx c;
        ctx_init(&c, re, buf, len, ex);
        int r = rx_dfa_lines(d, &c, start, (unsigned char)eol, invert, rec_so, rec_eo);
        if (r != 2) return r;
        start = *rec_so; /* the DFA gave up here (e.g. \b before a non-ASCII letter) */
    }
    return lines_slow(re, buf, len, start, eol, invert, ex, rec_so, rec_eo);
}
