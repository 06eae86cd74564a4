/* tabs.c - expand and unexpand (GNU coreutils 9.1): tabs to spaces and back,
 * with -t N / a list of stops ("2,5", "/N" repeating after the last, "+N"
 * stepping after it), -i (expand: leading blanks only), -a / --first-only
 * (unexpand), the obsolete -N; with push ops. Both work byte by byte with
 * the state carried across chunks and files (a file does not end a line),
 * exactly as GNU's loops. */
#include "ucommon.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct Tabs {
    UtilCtx *c;
    UOut out;
    bool unexpand;
    uintmax_t *list;       /* explicit stops */
    size_t nlist;
    uintmax_t extend, increment, tab_size;
    bool all;              /* expand: !-i; unexpand: -a */
    /* the state of the current line */
    bool convert, prev_blank, one_blank_before_stop;
    uintmax_t column;
    size_t tab_index;
    StrBuf pending;        /* unexpand: blanks not yet known to become a tab */
    StrList ops;
    int status;
} Tabs;

/* ---- tab stops (GNU's expand-common.c) ---- */

static bool add_stop(Tabs *s, uintmax_t v) {
    if (s->extend || s->increment) {
        uc_error(s->c, "'%c' specifier only allowed with the last value", s->extend ? '/' : '+');
        return false;
    }
    s->list = xrealloc(s->list, (s->nlist + 1) * sizeof *s->list);
    s->list[s->nlist++] = v;
    return true;
}

static bool set_last(Tabs *s, uintmax_t v, bool extend) {
    uintmax_t *slot = extend ? &s->extend : &s->increment;
    if (*slot) {
        uc_error(s->c, "'%c' specifier only allowed with the last value", extend ? '/' : '+');
        return false;
    }
    *slot = v;
    return true;
}

static bool end_value(Tabs *s, bool have, uintmax_t v, bool extend, bool increment) {
    if (!have) return true;
    if (extend || increment) return set_last(s, v, extend);
    return add_stop(s, v);
}

static bool parse_stops(Tabs *s, const char *p) {
    bool have = false, extend = false, increment = false;
    uintmax_t v = 0;
    for (; *p; p++) {
        if (*p == ',' || *p == ' ' || *p == '\t') {
            if (!end_value(s, have, v, extend, increment)) return false;
            have = extend = increment = false;
        } else if (*p == '/' || *p == '+') {
            if (have) {
                char *q = u_quote(p);
                uc_error(s->c, "'%c' specifier not at start of number: %s", *p, q);
                free(q);
                return false;
            }
            extend = *p == '/';
            increment = *p == '+';
        } else if (isdigit((unsigned char)*p)) {
            if (!have) v = 0, have = true;
            unsigned d = (unsigned)(*p - '0');
            if (v > (UINTMAX_MAX - d) / 10) {
                size_t len = strspn(p, "0123456789");
                char *num = xstrndup(p, len), *q = u_quote(num);
                uc_error(s->c, "tab stop is too large %s", q);
                free(q);
                free(num);
                return false;
            }
            v = v * 10 + d;
        } else {
            char *q = u_quote(p);
            uc_error(s->c, "tab size contains invalid character(s): %s", q);
            free(q);
            return false;
        }
    }
    return end_value(s, have, v, extend, increment);
}

static bool finalize_stops(Tabs *s) {
    uintmax_t prev = 0;
    for (size_t i = 0; i < s->nlist; i++) {
        if (s->list[i] == 0) {
            uc_error(s->c, "tab size cannot be 0");
            return false;
        }
        if (s->list[i] <= prev) {
            uc_error(s->c, "tab sizes must be ascending");
            return false;
        }
        prev = s->list[i];
    }
    if (s->increment && s->extend) {
        uc_error(s->c, "'/' specifier is mutually exclusive with '+'");
        return false;
    }
    if (s->nlist == 0)
        s->tab_size = s->extend ? s->extend : s->increment ? s->increment : 8;
    else if (s->nlist == 1 && !s->extend && !s->increment)
        s->tab_size = s->list[0];
    return true;
}

/* The next stop after column; *last when there is none. */
static uintmax_t next_stop(Tabs *s, uintmax_t column, bool *last) {
    *last = false;
    if (s->tab_size) return column + (s->tab_size - column % s->tab_size);
    for (; s->tab_index < s->nlist; s->tab_index++)
        if (column < s->list[s->tab_index]) return s->list[s->tab_index];
    if (s->extend) return column + (s->extend - column % s->extend);
    if (s->increment) {
        uintmax_t lastpos = s->list[s->nlist - 1];
        return lastpos + s->increment * ((column - lastpos) / s->increment + 1);
    }
    *last = true;
    return 0;
}

static void new_line(Tabs *s) {
    s->convert = true;
    s->column = 0;
    s->tab_index = 0;
    s->prev_blank = true;
    s->one_blank_before_stop = false;
    sb_clear(&s->pending);
}

/* ---- expand ---- */

static void expand_byte(Tabs *s, unsigned char ch) {
    if (s->convert) {
        if (ch == '\t') {
            bool last;
            uintmax_t next = next_stop(s, s->column, &last);
            if (last) next = s->column + 1;
            while (++s->column < next) uout_putc(&s->out, ' ');
            ch = ' ';
        } else if (ch == '\b') {
            s->column -= s->column > 0;
            s->tab_index -= s->tab_index > 0;
        } else {
            s->column++;
        }
        s->convert = s->convert && (s->all || ch == ' ' || ch == '\t');
    }
    uout_putc(&s->out, (char)ch);
    if (ch == '\n') new_line(s);
}

/* ---- unexpand ---- */

static void flush_pending(Tabs *s) {
    if (!s->pending.len) return;
    if (s->pending.len > 1 && s->one_blank_before_stop) s->pending.s[0] = '\t';
    uout_put(&s->out, s->pending.s, s->pending.len);
    sb_clear(&s->pending);
    s->one_blank_before_stop = false;
}

/* GNU's unexpand loop for one character; false when ch was held back. */
static bool unexpand_convert(Tabs *s, unsigned char *ch) {
    bool blank = *ch == ' ' || *ch == '\t';
    if (blank) {
        bool last;
        uintmax_t next = next_stop(s, s->column, &last);
        if (last) s->convert = false;
        if (s->convert) {
            if (*ch == '\t') {
                s->column = next;
                if (s->pending.len) s->pending.s[0] = '\t';
            } else {
                s->column++;
                if (!(s->prev_blank && s->column == next)) {
                    if (s->column == next) s->one_blank_before_stop = true;
                    sb_putc(&s->pending, (char)*ch);
                    s->prev_blank = true;
                    return false;
                }
                *ch = '\t';
                if (s->pending.len) s->pending.s[0] = '\t';
            }
            /* discard pending blanks, unless one blank just before the previous stop */
            if (!s->one_blank_before_stop) sb_clear(&s->pending);
            else s->pending.len = 1, s->pending.s[1] = 0;
        }
    } else if (*ch == '\b') {
        s->column -= s->column > 0;
        s->tab_index -= s->tab_index > 0;
    } else {
        s->column++;
    }
    flush_pending(s);
    s->prev_blank = blank;
    s->convert = s->convert && (s->all || blank);
    return true;
}

static void unexpand_byte(Tabs *s, unsigned char ch) {
    if (s->convert && !unexpand_convert(s, &ch)) return;
    uout_putc(&s->out, (char)ch);
    if (ch == '\n') new_line(s);
}

/* ---- the utilities ---- */

static int tabs_feed(void *st, const char *data, size_t n) {
    Tabs *s = st;
    for (size_t i = 0; i < n; i++)
        s->unexpand ? unexpand_byte(s, (unsigned char)data[i]) : expand_byte(s, (unsigned char)data[i]);
    return uout_flush(&s->out) < 0;
}

enum { OPT_FIRST_ONLY = 0x100 };

static const UOptLong expand_longs[] = {{"initial", UO_NOARG, 'i'}, {"tabs", UO_REQ, 't'}, {NULL, 0, 0}};
static const UOptLong unexpand_longs[] = {
    {"all", UO_NOARG, 'a'}, {"first-only", UO_NOARG, OPT_FIRST_ONLY}, {"tabs", UO_REQ, 't'}, {NULL, 0, 0}};

static int tabs_free(Tabs *s) {
    int status = s->status | uout_close(&s->out);
    free(s->list);
    sb_free(&s->pending);
    sl_free(&s->ops);
    free(s);
    return status;
}

static Tabs *tabs_parse(UtilCtx *c, int argc, char **argv, bool unexpand, int *status) {
    Tabs *s = xcalloc(1, sizeof *s);
    s->c = c;
    s->unexpand = unexpand;
    s->all = !unexpand;
    sb_init(&s->pending);
    uout_init(&s->out, c, 1);
    bool first_only = false;
    UOpts o;
    uopt_init(&o, c, argc, argv, unexpand ? "at:0123456789," : "it:0123456789,", unexpand ? unexpand_longs : expand_longs);
    int k, r = -1;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) {
        if ((k >= '0' && k <= '9') || k == ',') {
            /* obsolete -N[,M]: the rest of the cluster is a tab list */
            const char *start = o.cluster ? o.cluster - 1 : NULL;
            if (start) {
                if (!parse_stops(s, start)) r = 1;
                o.cluster = NULL;
            } else {
                char one[2] = {(char)k, 0};
                if (!parse_stops(s, one)) r = 1;
            }
            continue;
        }
        switch (k) {
        case 'i': s->all = false; break;
        case 'a': s->all = true; break;
        case OPT_FIRST_ONLY: first_only = true; break;
        case 't':
            if (unexpand) s->all = true;
            if (!parse_stops(s, o.arg)) r = 1;
            break;
        case UO_HELP: r = u_help(c, "[OPTION]... [FILE]..."); break;
        case UO_VERSION: r = u_version(c); break;
        default: r = 1; break;
        }
    }
    s->ops = o.ops;
    if (first_only) s->all = false;
    if (r < 0 && !finalize_stops(s)) r = 1;
    if (r >= 0) {
        *status = r;
        tabs_free(s);
        return NULL;
    }
    new_line(s);
    return s;
}

static int tabs_finish(void *st) {
    Tabs *s = st;
    flush_pending(s);
    return tabs_free(s);
}

static int tabs_main(UtilCtx *c, int argc, char **argv, bool unexpand) {
    int status = 0;
    Tabs *s = tabs_parse(c, argc, argv, unexpand, &status);
    if (!s) return status;
    if (!s->ops.n) sl_push_copy(&s->ops, "-");
    for (size_t i = 0; i < s->ops.n && !s->out.err; i++) {
        UcFile *f = u_open_in(c, s->ops.v[i]);
        if (!f) {
            s->status = 1;
            continue;
        }
        if (u_pump(c, f, tabs_feed, s) < 0) {
            u_err_file(c, s->ops.v[i], errno);
            s->status = 1;
        }
        uc_close(f);
    }
    return tabs_finish(s);
}

static void *tabs_start(UtilCtx *c, int argc, char **argv, int *status, bool unexpand) {
    Tabs *s = tabs_parse(c, argc, argv, unexpand, status);
    if (s && !u_push_ok(&s->ops)) {
        *status = -1;
        tabs_free(s);
        return NULL;
    }
    return s;
}

static void *expand_start(UtilCtx *c, int argc, char **argv, int *status) {
    return tabs_start(c, argc, argv, status, false);
}
static void *unexpand_start(UtilCtx *c, int argc, char **argv, int *status) {
    return tabs_start(c, argc, argv, status, true);
}

int util_expand_main(UtilCtx *c, int argc, char **argv) { return tabs_main(c, argc, argv, false); }
int util_unexpand_main(UtilCtx *c, int argc, char **argv) { return tabs_main(c, argc, argv, true); }

const UtilPushOps util_expand_push = {expand_start, tabs_feed, tabs_finish};
const UtilPushOps util_unexpand_push = {unexpand_start, tabs_feed, tabs_finish};
