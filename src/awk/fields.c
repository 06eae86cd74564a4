/* fields.c - records and fields. A record is split lazily, only as far as
 * the highest field asked for (`{ s += $2 }` never looks past field 2),
 * and fields become values only when used; the spans point into $0's text.
 * Assigning a field makes every field a value and $0 is rebuilt with OFS
 * when next needed; assigning NF truncates or extends and rebuilds.
 * Splitting modes: FS " " (runs of blanks, newlines), one character, a
 * regex, "" (each character), FIELDWIDTHS and FPAT (gawk). */
#include "awkint.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void awk_fields_init(Fields *f) {
    memset(f, 0, sizeof *f);
    sb_init(&f->rec);
}

static void release_fields(Fields *f) {
    for (size_t i = 1; i <= f->nf && i < f->cap; i++)
        if (f->made[i]) {
            awkv_free(&f->vals[i]);
            f->made[i] = false;
        }
}

void awk_fields_free(Fields *f) {
    release_fields(f);
    awkv_free(&f->rec_val);
    sb_free(&f->rec);
    free(f->spans);
    free(f->vals);
    free(f->made);
}

static void ensure_cap(Fields *f, size_t n) {
    if (n < f->cap) return;
    size_t cap = f->cap ? f->cap : 16;
    while (cap <= n) cap *= 2;
    f->spans = xrealloc(f->spans, cap * sizeof *f->spans);
    f->vals = xrealloc(f->vals, cap * sizeof *f->vals);
    f->made = xrealloc(f->made, cap * sizeof *f->made);
    memset(f->made + f->cap, 0, (cap - f->cap) * sizeof *f->made);
    f->cap = cap;
}

static void add_span(Fields *f, size_t off, size_t len) {
    ensure_cap(f, f->nf + 1);
    f->nf++;
    f->spans[f->nf].off = off;
    f->spans[f->nf].len = len;
    f->made[f->nf] = false;
}

static void sync_nf_var(Awk *a) {
    Var *v = &a->g[G_NF];
    awkv_free(&v->v);
    v->kind = K_SCALAR;
    v->v = awkv_num((double)a->fl.nf);
}

static void refresh_fs(Awk *a) {
    if (!a->fs_dirty) return;
    a->fs_dirty = false;
    awk_fs_free(&a->rec_fs);
    Value *fsv = &a->g[G_FS].v;
    if (!awk_fs_make(a, &a->rec_fs, awkv_tostr(a, fsv), false)) a->rec_fs.kind = FS_SPACE;
}

void awk_set_record(Awk *a, const char *s, size_t n) {
    Fields *f = &a->fl;
    release_fields(f);
    f->nf = 0;
    f->parse_pos = 0;
    f->split_done = false;
    f->all_made = false;
    f->rec_stale = false;
    sb_clear(&f->rec);
    sb_put(&f->rec, s, n);
    if (!f->rec.s) sb_put(&f->rec, "", 0);
    if (f->rec_val_ok) {
        awkv_free(&f->rec_val);
        f->rec_val_ok = false;
    }
    refresh_fs(a);
}

/* ---------------------------------------------------------------- splitting */

static bool is_fs_blank(char c) { return c == ' ' || c == '\t' || c == '\n'; }

static void split_space(Fields *f, size_t want) {
    const char *s = f->rec.s;
    size_t n = f->rec.len, i = f->parse_pos;
    while (f->nf < want) {
        while (i < n && is_fs_blank(s[i])) i++;
        if (i >= n) { f->split_done = true; break; }
        size_t st = i;
        while (i < n && !is_fs_blank(s[i])) i++;
        add_span(f, st, i - st);
    }
    f->parse_pos = i;
    if (!f->split_done) {
        size_t j = i;
        while (j < n && is_fs_blank(s[j])) j++;
        if (j >= n) f->split_done = true;
    }
}

static void split_char(Fields *f, size_t want, char ch, bool nl) {
    const char *s = f->rec.s;
    size_t n = f->rec.len, i = f->parse_pos;
    if (n == 0) { f->split_done = true; return; }
    while (f->nf < want) {
        size_t e = i;
        if (nl) {
            while (e < n && s[e] != ch && s[e] != '\n') e++;
        } else {
            const char *p = memchr(s + i, ch, n - i);
            e = p ? (size_t)(p - s) : n;
        }
        add_span(f, i, e - i);
        if (e >= n) { f->split_done = true; i = n; break; }
        i = e + 1;
    }
    f->parse_pos = i;
}

typedef struct SpanCtx {
    Fields *f;
    const char *base;
} SpanCtx;

static void emit_span(void *ctx, const char *p, size_t n, bool is_sep) {
    if (is_sep) return;
    SpanCtx *c = ctx;
    add_span(c->f, (size_t)(p - c->base), n);
}

static void split_fieldwidths(Awk *a, Fields *f) {
    const char *s = f->rec.s;
    size_t n = f->rec.len, i = 0;
    for (size_t k = 0; k < a->nfieldwidths && i < n; k++) {
        long skip = a->fieldwidths[2 * k], w = a->fieldwidths[2 * k + 1];
        size_t sk = awk_char_offset(a, s + i, n - i, (size_t)skip);
        i += sk;
        if (i > n) i = n;
        size_t len = w < 0 ? n - i : awk_char_offset(a, s + i, n - i, (size_t)w);
        if (i + len > n) len = n - i;
        add_span(f, i, len);
        i += len;
    }
}

static void split_fpat(Awk *a, Fields *f) {
    const char *s = f->rec.s;
    size_t n = f->rec.len, i = 0;
    bool last_nonempty_end = false;
    size_t last_end = (size_t)-1;
    while (i <= n && a->fpat) {
        RxSpan m[1];
        int r = awk_search(a, a->fpat, s, n, i, i > 0, m, 1);
        if (r != RX_MATCH) break;
        if (m[0].eo == m[0].so && (size_t)m[0].so == last_end && last_nonempty_end) {
            /* an empty match right after a field is not a field */
            i = (size_t)m[0].so + 1;
            last_nonempty_end = false;
            continue;
        }
        add_span(f, (size_t)m[0].so, (size_t)(m[0].eo - m[0].so));
        last_end = (size_t)m[0].eo;
        last_nonempty_end = m[0].eo > m[0].so;
        i = m[0].eo > m[0].so ? (size_t)m[0].eo : (size_t)m[0].eo + 1;
    }
    (void)last_nonempty_end;
}

static void split_upto(Awk *a, size_t want) {
    Fields *f = &a->fl;
    if (f->split_done) return;
    if (a->fw_mode == 1) {
        split_fieldwidths(a, f);
        f->split_done = true;
    } else if (a->fw_mode == 2) {
        split_fpat(a, f);
        f->split_done = true;
    } else {
        const FsSpec *fs = &a->rec_fs;
        switch (fs->kind) {
        case FS_SPACE: split_space(f, want); break;
        case FS_CHAR: case FS_TAB: split_char(f, want, fs->ch, fs->newline_too); break;
        default: {
            SpanCtx ctx = {f, f->rec.s};
            awk_fs_split(a, fs, f->rec.s, f->rec.len, emit_span, &ctx);
            f->split_done = true;
        }
        }
    }
    if (f->split_done) sync_nf_var(a);
}

/* ---------------------------------------------------------------- access */

size_t awk_nf(Awk *a) {
    if (!a->fl.split_done) split_upto(a, (size_t)-1);
    return a->fl.nf;
}

static Value *make_field(Awk *a, size_t i) {
    Fields *f = &a->fl;
    if (!f->made[i]) {
        f->vals[i] = awkv_strnum(astr_new(f->rec.s + f->spans[i].off, f->spans[i].len));
        f->made[i] = true;
    }
    return &f->vals[i];
}

static void rebuild_record(Awk *a);

Value *awk_field_get(Awk *a, size_t i) {
    Fields *f = &a->fl;
    if (i == 0) return awk_record_value(a);
    if (i > f->nf && !f->split_done) split_upto(a, i);
    if (i > f->nf) return &a->nullfield;
    return make_field(a, i);
}

double awk_field_num(Awk *a, size_t i) {
    Fields *f = &a->fl;
    if (i == 0) return awkv_tonum(a, awk_record_value(a));
    if (i > f->nf && !f->split_done) split_upto(a, i);
    if (i > f->nf) return 0;
    if (f->made[i]) return awkv_tonum(a, &f->vals[i]);
    size_t end;
    return awk_str_to_num(f->rec.s + f->spans[i].off, f->spans[i].len, &end);
}

/* Every field becomes a value: the spans are about to go stale. */
static void make_all(Awk *a) {
    Fields *f = &a->fl;
    if (f->all_made) return;
    split_upto(a, (size_t)-1);
    for (size_t i = 1; i <= f->nf; i++) make_field(a, i);
    f->all_made = true;
}

static void rebuild_record(Awk *a) {
    Fields *f = &a->fl;
    sb_clear(&f->rec);
    for (size_t i = 1; i <= f->nf; i++) {
        if (i > 1) sb_put(&f->rec, a->ofs->s, a->ofs->len);
        AwkStr *s = awkv_tostr_out(a, &f->vals[i]);
        sb_put(&f->rec, s->s, s->len);
        astr_unref(s);
    }
    if (!f->rec.s) sb_put(&f->rec, "", 0);
    f->rec_stale = false;
    if (f->rec_val_ok) {
        awkv_free(&f->rec_val);
        f->rec_val_ok = false;
    }
}

const StrBuf *awk_record(Awk *a) {
    if (a->fl.rec_stale) rebuild_record(a);
    return &a->fl.rec;
}

Value *awk_record_value(Awk *a) {
    Fields *f = &a->fl;
    if (f->rec_stale) rebuild_record(a);
    if (!f->rec_val_ok) {
        f->rec_val = awkv_strnum(astr_new(f->rec.s ? f->rec.s : "", f->rec.len));
        f->rec_val_ok = true;
    }
    return &f->rec_val;
}

bool awk_field_set(Awk *a, size_t i, Value v) {
    Fields *f = &a->fl;
    if (i == 0) {
        AwkStr *s = awkv_tostr(a, &v);
        AwkStr *keep = astr_ref(s);
        awk_set_record(a, keep->s, keep->len);
        astr_unref(keep);
        awkv_free(&v);
        return true;
    }
    make_all(a);
    if (i > f->nf) {
        ensure_cap(f, i);
        for (size_t k = f->nf + 1; k <= i; k++) {
            f->vals[k] = awkv_str(astr_ref(a->empty));
            f->vals[k].type = V_STRNUM;
            f->made[k] = true;
        }
        f->nf = i;
        sync_nf_var(a);
    }
    awkv_free(&f->vals[i]);
    /* a number stays a number; its text is made with OFMT when $0 is rebuilt */
    f->vals[i] = v;
    f->rec_stale = true;
    if (f->rec_val_ok) {
        awkv_free(&f->rec_val);
        f->rec_val_ok = false;
    }
    return true;
}

bool awk_set_nf(Awk *a, double d) {
    Fields *f = &a->fl;
    if (d < 0 || d != d) { /* NaN: gawk's long conversion makes it negative */
        awk_fatal(a, "NF set to negative value");
        return false;
    }
    if (d > 10000000) {
        awk_fatal(a, "NF set to too large a value");
        return false;
    }
    size_t n = (size_t)d;
    make_all(a);
    if (n > f->nf) {
        ensure_cap(f, n);
        for (size_t k = f->nf + 1; k <= n; k++) {
            f->vals[k] = awkv_str(astr_ref(a->empty));
            f->vals[k].type = V_STRNUM;
            f->made[k] = true;
        }
    } else {
        for (size_t k = n + 1; k <= f->nf; k++) {
            awkv_free(&f->vals[k]);
            f->made[k] = false;
        }
    }
    f->nf = n;
    sync_nf_var(a);
    f->rec_stale = true;
    if (f->rec_val_ok) {
        awkv_free(&f->rec_val);
        f->rec_val_ok = false;
    }
    return true;
}

/* ---------------------------------------------------------------- FS specs, split() */

void awk_fs_free(FsSpec *s) {
    if (s->own_re && s->re) rx_free(s->re);
    memset(s, 0, sizeof *s);
}

bool awk_fs_make(Awk *a, FsSpec *out, AwkStr *fs, bool for_split) {
    memset(out, 0, sizeof *out);
    (void)for_split;
    bool para = a->rs_mode == RS_PARA;
    if (fs->len == 1 && fs->s[0] == ' ') {
        out->kind = FS_SPACE;
        return true;
    }
    if (fs->len == 0) {
        out->kind = FS_NULL;
        return true;
    }
    if (fs->len == 1 && fs->s[0] != '\\') {
        char c = fs->s[0];
        if (c == '\t') out->kind = FS_TAB;
        else out->kind = FS_CHAR;
        out->ch = c;
        out->newline_too = para && !for_split;
        return true; /* literal and case-sensitive even with IGNORECASE, as gawk */
    }
    Regex *re = awk_dynregex(a, fs);
    if (!re) return false;
    /* the cache owns it; compile a private copy so FS outlives cache eviction */
    re = awk_regcomp(a, fs->s, fs->len, a->icase, true);
    if (!re) return false;
    out->kind = FS_REGEX;
    out->re = re;
    out->own_re = true;
    return true;
}

bool awk_fs_split(Awk *a, const FsSpec *spec, const char *s, size_t n, SplitEmit emit, void *ctx) {
    switch (spec->kind) {
    case FS_SPACE: {
        size_t i = 0;
        while (i < n && is_fs_blank(s[i])) i++;
        if (i > 0) emit(ctx, s, i, true);
        while (i < n) {
            size_t st = i;
            while (i < n && !is_fs_blank(s[i])) i++;
            emit(ctx, s + st, i - st, false);
            size_t bs = i;
            while (i < n && is_fs_blank(s[i])) i++;
            if (i > bs) emit(ctx, s + bs, i - bs, true);
        }
        return true;
    }
    case FS_CHAR: case FS_TAB: {
        if (n == 0) return true;
        size_t i = 0;
        for (;;) {
            size_t e = i;
            while (e < n && s[e] != spec->ch && !(spec->newline_too && s[e] == '\n')) e++;
            emit(ctx, s + i, e - i, false);
            if (e >= n) break;
            emit(ctx, s + e, 1, true);
            i = e + 1;
        }
        return true;
    }
    case FS_NULL: {
        size_t i = 0;
        while (i < n) {
            size_t k = awk_char_offset(a, s + i, n - i, 1);
            if (k == 0) k = 1;
            emit(ctx, s + i, k, false);
            i += k;
        }
        return true;
    }
    case FS_REGEX: {
        if (n == 0) return true;
        size_t i = 0, fstart = 0;
        while (i <= n) {
            RxSpan m[1];
            int r = awk_search(a, spec->re, s, n, i, i > 0, m, 1);
            if (r < 0) return false;
            if (r != RX_MATCH) break;
            if (m[0].eo == m[0].so) {
                /* a null match separates nothing; look one further */
                if ((size_t)m[0].so >= n) break;
                i = (size_t)m[0].so + 1;
                continue;
            }
            emit(ctx, s + fstart, (size_t)m[0].so - fstart, false);
            emit(ctx, s + m[0].so, (size_t)(m[0].eo - m[0].so), true);
            fstart = i = (size_t)m[0].eo;
        }
        emit(ctx, s + fstart, n - fstart, false);
        return true;
    }
    }
    return true;
}
