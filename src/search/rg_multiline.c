/* rg_multiline.c - ripgrep 13's multi-line searcher (rg_multiline.h).
 *
 * It behaves as grep-searcher 0.1.8 does, quirks included, since that is
 * what rg -U prints:
 * - each search for the next match runs on the buffer from the position
 *   after the last match, as a subject of its own: `^` matches there even in
 *   the middle of a line;
 * - a match is widened to whole lines, except that a match ending with a
 *   newline ends on that line;
 * - a block is reported only once the next match is known not to touch it
 *   (so the -m limit is checked one block late), and the last block is
 *   reported whatever the printer said about the one before; after it the
 *   after-context is printed even when the printer asked to stop then, so a
 *   line can come out twice (rg -U -m1 -A1 on two blocks). */
#include "rg_multiline.h"

#include <string.h>

typedef struct Core {
    const RgmConfig *cfg;
    const RgmSink *sink;
    const char *buf;
    size_t n;
    size_t pos;          /* where the next search starts */
    size_t last_visited; /* end of the last line reported */
    size_t counted;      /* lines are counted up to here */
    long lineno;         /* the number of the line at counted */
    long after_left;
    bool has_sunk;       /* a line was reported */
    bool have_block;     /* a block waits to be reported */
    size_t block_so, block_eo;
    RxExec ex;
} Core;

static bool core_stop(void *ctx) { return uc_should_stop(ctx); }

static long line_at(Core *c, size_t upto) {
    for (const char *p = c->buf + c->counted, *e = c->buf + upto; p < e;) {
        const char *nl = memchr(p, '\n', (size_t)(e - p));
        if (!nl) break;
        c->lineno++;
        p = nl + 1;
    }
    c->counted = upto;
    return c->lineno;
}

/* The end of the line starting at pos, below end (its terminator included). */
static size_t line_end(const Core *c, size_t pos, size_t end) {
    const char *nl = memchr(c->buf + pos, '\n', end - pos);
    return nl ? (size_t)(nl - c->buf) + 1 : end;
}

static bool break_context(Core *c, size_t start) {
    if (!(c->cfg->before || c->cfg->after) || !c->has_sunk || c->last_visited >= start) return true;
    return c->sink->context_break(c->sink->ctx);
}

static bool report_context(Core *c, size_t so, size_t eo, char kind) {
    if (!c->sink->context(c->sink->ctx, so, eo, line_at(c, so), kind)) return false;
    c->last_visited = eo;
    c->has_sunk = true;
    return true;
}

static bool report_matched(Core *c, size_t so, size_t eo) {
    /* only a match right after a final newline gives no line: the end */
    if (so == eo) return false;
    if (!break_context(c, so)) return false;
    if (!c->sink->matched(c->sink->ctx, so, eo, line_at(c, so))) return false;
    c->last_visited = eo;
    c->after_left = c->cfg->after;
    c->has_sunk = true;
    return true;
}

static bool after_lines(Core *c, size_t upto) {
    if (c->after_left <= 0) return true;
    for (size_t p = c->last_visited; p < upto && c->after_left > 0;) {
        size_t e = line_end(c, p, upto);
        if (!report_context(c, p, e, 'a')) return false;
        c->after_left--;
        p = e;
    }
    return true;
}

static bool before_lines(Core *c, size_t upto) {
    size_t from = c->last_visited;
    if (c->cfg->before <= 0 || from >= upto) return true;
    /* the last `before` lines of [from, upto), which ends with a terminator */
    size_t start = upto - 1;
    for (long k = 0; k < c->cfg->before && start > from; k++) {
        while (start > from && c->buf[start - 1] != '\n') start--;
        if (k + 1 < c->cfg->before && start > from) start--;
    }
    for (size_t p = start; p < upto;) {
        size_t e = line_end(c, p, upto);
        if (!break_context(c, p) || !report_context(c, p, e, 'b')) return false;
        p = e;
    }
    return true;
}

static bool other_lines(Core *c, size_t upto) {
    for (size_t p = c->last_visited; p < upto;) {
        size_t e = line_end(c, p, upto);
        if (!report_context(c, p, e, 'o')) return false;
        p = e;
    }
    return true;
}

/* The context lines that come before the lines starting at start. */
static bool context_before(Core *c, size_t start) {
    if (c->cfg->passthru) return other_lines(c, start);
    return after_lines(c, start) && before_lines(c, start);
}

static bool find(Core *c, size_t *so, size_t *eo) {
    RxSpan m;
    if (rx_search(c->cfg->re, c->buf + c->pos, c->n - c->pos, 0, &c->ex, &m, 1) != RX_MATCH) return false;
    *so = c->pos + (size_t)m.so, *eo = c->pos + (size_t)m.eo;
    return true;
}

static void advance(Core *c, size_t so, size_t eo) {
    c->pos = eo;
    if (so == eo && c->pos < c->n) c->pos++;
}

/* The lines a match touches. */
static void locate(const Core *c, size_t so, size_t eo, size_t *lso, size_t *leo) {
    const char *nl = so ? memrchr(c->buf, '\n', so) : NULL;
    *lso = nl ? (size_t)(nl - c->buf) + 1 : 0;
    if (eo > *lso && c->buf[eo - 1] == '\n') *leo = eo;
    else *leo = line_end(c, eo, c->n);
}

/* -v: the lines between the position and the next match are the matches. */
static bool step_inverted(Core *c) {
    size_t so, eo, from = c->pos, to;
    if (!find(c, &so, &eo)) {
        to = c->pos = c->n;
    } else {
        size_t lso, leo;
        locate(c, so, eo, &lso, &leo);
        to = lso;
        advance(c, lso, leo);
    }
    if (from >= to) return true;
    if (!context_before(c, from)) return false;
    for (size_t p = from; p < to;) {
        size_t e = line_end(c, p, to);
        if (!report_matched(c, p, e)) return false;
        p = e;
    }
    return true;
}

static bool step(Core *c) {
    if (c->cfg->invert) return step_inverted(c);
    size_t so, eo, lso, leo;
    if (!find(c, &so, &eo)) {
        c->pos = c->n;
        return true;
    }
    advance(c, so, eo);
    locate(c, so, eo, &lso, &leo);
    if (c->have_block && c->block_eo >= lso) {
        c->block_eo = leo;
        return true;
    }
    bool had = c->have_block;
    size_t bso = c->block_so, beo = c->block_eo;
    c->have_block = true, c->block_so = lso, c->block_eo = leo;
    return !had || (context_before(c, bso) && report_matched(c, bso, beo));
}

size_t rgm_search(const RgmConfig *cfg, const char *buf, size_t n, const RgmSink *sink) {
    Core c = {.cfg = cfg, .sink = sink, .buf = buf, .n = n, .lineno = 1, .ex = {0, core_stop, cfg->c}};
    bool going = true;
    while (going && c.pos < n) {
        if (uc_should_stop(cfg->c)) return c.pos;
        going = step(&c);
    }
    if (!going) return c.pos;
    /* the last block: what the printer answers does not matter here */
    if (c.have_block && context_before(&c, c.block_so)) report_matched(&c, c.block_so, c.block_eo);
    if (cfg->passthru) other_lines(&c, n);
    else after_lines(&c, n);
    return c.pos;
}

void rgm_iter_init(RgmIter *it, Regex *re, const RxExec *ex, const char *s, size_t len, size_t at) {
    *it = (RgmIter){re, ex, s, len, at, -1};
}

bool rgm_iter_next(RgmIter *it, RxSpan *caps, size_t ncaps) {
    while (it->at <= it->len) {
        if (rx_search(it->re, it->s, it->len, it->at, it->ex, caps, ncaps) != RX_MATCH) break;
        size_t so = (size_t)caps[0].so, eo = (size_t)caps[0].eo;
        if (so == eo) {
            it->at = eo + 1;
            if ((long)eo == it->last_end) continue;
        } else {
            it->at = eo;
        }
        it->last_end = (long)eo;
        return true;
    }
    it->at = it->len + 1;
    return false;
}

size_t rgm_context_end(size_t n, size_t eo) { return n - eo >= 128 ? eo + 128 : n; }
