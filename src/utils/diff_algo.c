/* diff_algo.c - GNU diffutils' comparison, reimplemented: discarding of
 * confusing lines (analyze.c), the bidirectional middle-snake search of
 * Myers' "An O(ND) Difference Algorithm" with GNU's cost cutoff, and the
 * shifting of change boundaries. Matching GNU step for step is what makes
 * the hunks identical to GNU diff's whenever several minimal diffs exist. */
#include "diff_algo.h"
#include "common.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef ptrdiff_t off;

typedef struct Seq {
    const int *xv, *yv;      /* undiscarded classes */
    const size_t *xreal, *yreal; /* their indexes in the region */
    char *xchanged, *ychanged;   /* per region line */
    off *fd, *bd;            /* furthest-reaching paths per diagonal */
    off too_expensive;
} Seq;

typedef struct Partition {
    off xmid, ymid;
    bool lo_minimal, hi_minimal;
} Partition;

/* The furthest forward and backward paths have met: split there. */
static bool snake_met(Partition *p, off x, off y) {
    p->xmid = x;
    p->ymid = y;
    p->lo_minimal = p->hi_minimal = true;
    return true;
}

/* Gave up on a minimal answer: split at the best diagonal found so far. */
static void cutoff(const Seq *s, off xoff, off xlim, off yoff, off ylim, off fmin, off fmax, off bmin, off bmax,
                   Partition *p) {
    off fxybest = -1, fxbest = 0, bxybest = PTRDIFF_MAX, bxbest = 0;
    for (off d = fmax; d >= fmin; d -= 2) {
        off x = s->fd[d] < xlim ? s->fd[d] : xlim, y = x - d;
        if (ylim < y) x = ylim + d, y = ylim;
        if (fxybest < x + y) fxybest = x + y, fxbest = x;
    }
    for (off d = bmax; d >= bmin; d -= 2) {
        off x = s->bd[d] > xoff ? s->bd[d] : xoff, y = x - d;
        if (y < yoff) x = yoff + d, y = yoff;
        if (x + y < bxybest) bxybest = x + y, bxbest = x;
    }
    if ((xlim + ylim) - bxybest < fxybest - (xoff + yoff)) {
        p->xmid = fxbest;
        p->ymid = fxybest - fxbest;
        p->lo_minimal = true;
        p->hi_minimal = false;
    } else {
        p->xmid = bxbest;
        p->ymid = bxybest - bxbest;
        p->lo_minimal = false;
        p->hi_minimal = true;
    }
}

/* One forward step of cost c on every active diagonal; true when it met
 * the backward search. */
static bool forward_step(Seq *s, off xlim, off ylim, off dmin, off dmax, off *fmin, off *fmax, off bmin,
                         off bmax, bool odd, Partition *p) {
    off *fd = s->fd;
    if (*fmin > dmin) fd[--*fmin - 1] = -1;
    else ++*fmin;
    if (*fmax < dmax) fd[++*fmax + 1] = -1;
    else --*fmax;
    for (off d = *fmax; d >= *fmin; d -= 2) {
        off tlo = fd[d - 1], thi = fd[d + 1];
        off x = tlo < thi ? thi : tlo + 1, y = x - d;
        while (x < xlim && y < ylim && s->xv[x] == s->yv[y]) x++, y++;
        fd[d] = x;
        if (odd && bmin <= d && d <= bmax && s->bd[d] <= x) return snake_met(p, x, y);
    }
    return false;
}

static bool backward_step(Seq *s, off xoff, off yoff, off dmin, off dmax, off fmin, off fmax, off *bmin,
                          off *bmax, bool odd, Partition *p) {
    off *bd = s->bd;
    if (*bmin > dmin) bd[--*bmin - 1] = PTRDIFF_MAX;
    else ++*bmin;
    if (*bmax < dmax) bd[++*bmax + 1] = PTRDIFF_MAX;
    else --*bmax;
    for (off d = *bmax; d >= *bmin; d -= 2) {
        off tlo = bd[d - 1], thi = bd[d + 1];
        off x = tlo < thi ? tlo : thi - 1, y = x - d;
        while (xoff < x && yoff < y && s->xv[x - 1] == s->yv[y - 1]) x--, y--;
        bd[d] = x;
        if (!odd && fmin <= d && d <= fmax && x <= s->fd[d]) return snake_met(p, x, y);
    }
    return false;
}

/* Finds the midpoint of the shortest edit script for x[xoff..xlim) and
 * y[yoff..ylim), as GNU's diag(). */
static void middle_snake(Seq *s, off xoff, off xlim, off yoff, off ylim, bool minimal, Partition *p) {
    off dmin = xoff - ylim, dmax = xlim - yoff;
    off fmid = xoff - yoff, bmid = xlim - ylim;
    off fmin = fmid, fmax = fmid, bmin = bmid, bmax = bmid;
    bool odd = (fmid - bmid) & 1;
    s->fd[fmid] = xoff;
    s->bd[bmid] = xlim;
    for (off c = 1;; ++c) {
        if (forward_step(s, xlim, ylim, dmin, dmax, &fmin, &fmax, bmin, bmax, odd, p)) return;
        if (backward_step(s, xoff, yoff, dmin, dmax, fmin, fmax, &bmin, &bmax, odd, p)) return;
        if (!minimal && c >= s->too_expensive) {
            cutoff(s, xoff, xlim, yoff, ylim, fmin, fmax, bmin, bmax, p);
            return;
        }
    }
}

static void compare(Seq *s, off xoff, off xlim, off yoff, off ylim, bool minimal) {
    while (xoff < xlim && yoff < ylim && s->xv[xoff] == s->yv[yoff]) xoff++, yoff++;
    while (xoff < xlim && yoff < ylim && s->xv[xlim - 1] == s->yv[ylim - 1]) xlim--, ylim--;
    if (xoff == xlim) {
        while (yoff < ylim) s->ychanged[s->yreal[yoff++]] = 1;
    } else if (yoff == ylim) {
        while (xoff < xlim) s->xchanged[s->xreal[xoff++]] = 1;
    } else {
        Partition p;
        middle_snake(s, xoff, xlim, yoff, ylim, minimal, &p);
        compare(s, xoff, p.xmid, yoff, p.ymid, p.lo_minimal);
        compare(s, p.xmid, xlim, p.ymid, ylim, p.hi_minimal);
    }
}

/* ---------- discarding lines with no counterpart ---------- */

/* GNU's refinement of a run of discardable lines starting at i: provisional
 * discards (lines matching many others) survive only inside long runs. */
static size_t refine_run(char *dis, size_t i, size_t end) {
    size_t j = i, provisional = 0;
    for (; j < end && dis[j]; j++)
        if (dis[j] == 2) provisional++;
    while (j > i && dis[j - 1] == 2) dis[--j] = 0, provisional--;
    size_t length = j - i;
    if (provisional * 4 > length) {
        while (j > i)
            if (dis[--j] == 2) dis[j] = 0;
        return i;
    }
    size_t minimum = 1;
    for (size_t tem = length >> 2; (tem >>= 2) > 0;) minimum <<= 1;
    minimum++;
    size_t consec = 0;
    for (j = 0; j < length; j++) {
        if (dis[i + j] != 2) consec = 0;
        else if (minimum == ++consec) j -= consec;
        else if (minimum < consec) dis[i + j] = 0;
    }
    consec = 0;
    for (j = 0; j < length; j++) {
        if (j >= 8 && dis[i + j] == 1) break;
        if (dis[i + j] == 2) consec = 0, dis[i + j] = 0;
        else if (dis[i + j] == 0) consec = 0;
        else consec++;
        if (consec == 3) break;
    }
    i += length - 1;
    consec = 0;
    for (j = 0; j < length; j++) {
        if (j >= 8 && dis[i - j] == 1) break;
        if (dis[i - j] == 2) consec = 0, dis[i - j] = 0;
        else if (dis[i - j] == 0) consec = 0;
        else consec++;
        if (consec == 3) break;
    }
    return i;
}

static void mark_discards(const int *eq, size_t n, const size_t *other_count, char *dis) {
    size_t many = 5;
    for (size_t tem = n / 64; (tem >>= 2) > 0;) many *= 2;
    for (size_t i = 0; i < n; i++) {
        size_t nmatch = other_count[eq[i]];
        if (nmatch == 0) dis[i] = 1;
        else if (nmatch > many) dis[i] = 2;
    }
    for (size_t i = 0; i < n; i++) {
        if (dis[i] == 2) dis[i] = 0;
        else if (dis[i]) i = refine_run(dis, i, n);
    }
}

/* ---------- shifting runs of changes ---------- */

/* changed and other have a zero before index 0 and at index n, so the
 * scans below stop there (indexes are signed: j may reach -1). */
static void shift_boundaries(const int *eq, char *changed, off n, const char *other) {
    off i = 0, j = 0;
    for (;;) {
        while (i < n && !changed[i]) {
            while (other[j++]) {}
            i++;
        }
        if (i == n) break;
        off start = i, runlength, corresponding;
        while (changed[++i]) {}
        while (other[j]) j++;
        do {
            runlength = i - start;
            /* move the run back while the line before it equals its last line */
            while (start && eq[start - 1] == eq[i - 1]) {
                changed[--start] = 1;
                changed[--i] = 0;
                while (changed[start - 1]) start--;
                while (other[--j]) {}
            }
            corresponding = other[j - 1] ? i : n;
            /* then forward while its first line equals the line after it */
            while (i != n && eq[start] == eq[i]) {
                changed[start++] = 0;
                changed[i++] = 1;
                while (changed[i]) i++;
                while (other[++j]) corresponding = i;
            }
        } while (runlength != i - start);
        /* and back to where it lines up with a run in the other file */
        while (corresponding < i) {
            changed[--start] = 1;
            changed[--i] = 0;
            while (other[--j]) {}
        }
    }
}

/* ---------- the script ---------- */

static size_t build_script(const char *c0, size_t n0, const char *c1, size_t n1, size_t lo0, size_t lo1,
                           DiffChange **out) {
    size_t cap = 16, n = 0;
    DiffChange *v = xmalloc(cap * sizeof *v);
    size_t i0 = 0, i1 = 0;
    while (i0 < n0 || i1 < n1) {
        if (c0[i0] || c1[i1]) {
            size_t s0 = i0, s1 = i1;
            while (c0[i0]) i0++;
            while (c1[i1]) i1++;
            if (n == cap) v = xrealloc(v, (cap *= 2) * sizeof *v);
            v[n++] = (DiffChange){lo0 + s0, lo1 + s1, i0 - s0, i1 - s1};
        }
        i0++, i1++;
    }
    *out = v;
    return n;
}

size_t diff_compute(const int *eq0, const int *eq1, size_t lo0, size_t hi0, size_t lo1, size_t hi1, bool minimal,
                    DiffChange **out) {
    size_t m0 = hi0 - lo0, m1 = hi1 - lo1;
    const int *r0 = eq0 + lo0, *r1 = eq1 + lo1;
    int maxclass = 0;
    for (size_t i = 0; i < m0; i++) maxclass = r0[i] > maxclass ? r0[i] : maxclass;
    for (size_t i = 0; i < m1; i++) maxclass = r1[i] > maxclass ? r1[i] : maxclass;
    size_t *count0 = xcalloc((size_t)maxclass + 1, sizeof *count0);
    size_t *count1 = xcalloc((size_t)maxclass + 1, sizeof *count1);
    for (size_t i = 0; i < m0; i++) count0[r0[i]]++;
    for (size_t i = 0; i < m1; i++) count1[r1[i]]++;
    char *dis0 = xcalloc(m0 + 1, 1), *dis1 = xcalloc(m1 + 1, 1);
    if (!minimal) {
        mark_discards(r0, m0, count1, dis0);
        mark_discards(r1, m1, count0, dis1);
    }
    free(count0);
    free(count1);
    /* changed arrays with a zero on each side */
    char *ch0 = xcalloc(m0 + 2, 1) + 1, *ch1 = xcalloc(m1 + 2, 1) + 1;
    int *x = xmalloc((m0 + 1) * sizeof *x), *y = xmalloc((m1 + 1) * sizeof *y);
    size_t *xr = xmalloc((m0 + 1) * sizeof *xr), *yr = xmalloc((m1 + 1) * sizeof *yr);
    size_t nx = 0, ny = 0;
    for (size_t i = 0; i < m0; i++) {
        if (dis0[i]) ch0[i] = 1;
        else x[nx] = r0[i], xr[nx++] = i;
    }
    for (size_t i = 0; i < m1; i++) {
        if (dis1[i]) ch1[i] = 1;
        else y[ny] = r1[i], yr[ny++] = i;
    }
    free(dis0);
    free(dis1);
    size_t diags = nx + ny + 3;
    off *diag = xmalloc(2 * diags * sizeof *diag);
    Seq s = {x, y, xr, yr, ch0, ch1, diag + ny + 1, diag + ny + 1 + diags, 1};
    for (size_t d = diags; d; d >>= 2) s.too_expensive <<= 1;
    if (s.too_expensive < 4096) s.too_expensive = 4096;
    compare(&s, 0, (off)nx, 0, (off)ny, minimal);
    free(diag);
    free(x);
    free(y);
    free(xr);
    free(yr);
    shift_boundaries(r0, ch0, (off)m0, ch1);
    shift_boundaries(r1, ch1, (off)m1, ch0);
    size_t n = build_script(ch0, m0, ch1, m1, lo0, lo1, out);
    free(ch0 - 1);
    free(ch1 - 1);
    return n;
}
