/* comm.c - the comm utility (GNU coreutils 9.1): -1 -2 -3, --check-order,
 * --nocheck-order, --output-delimiter=STR (empty: a NUL byte), --total, -z.
 * Reads both inputs a line at a time, comparing bytewise (the C and C.UTF-8
 * collations). As GNU, the order of an input is checked only once a line
 * could not be paired (unless --check-order), a disorder is reported once
 * per file, and the status is then 1 ("input is not in sorted order").
 * A new line is checked against the one before it when it is read, and at
 * the end of a file the last two again, which is when GNU 9.1 reports. */
#include "ucommon.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum { ORDER_DEFAULT, ORDER_CHECK, ORDER_NOCHECK };

/* An input's current line and the two before it (each with its delimiter):
 * at the end of a file GNU checks the order of the last two lines again. */
typedef struct CommLine {
    char *s;
    size_t len, cap;
    bool valid;
} CommLine;

typedef struct CommIn {
    UcFile *f;
    CommLine l[3];     /* current, previous, the one before */
    bool have;
    bool warned;
} CommIn;

typedef struct Comm {
    UtilCtx *c;
    UOut out;
    bool show[3];
    int order;
    const char *sep;
    size_t seplen;
    bool total;
    int delim;
    bool seen_unpairable;
    bool fatal;
    uintmax_t counts[3];
    CommIn in[2];
} Comm;

static int line_cmp(const char *a, size_t al, const char *b, size_t bl) {
    int d = memcmp(a, b, al < bl ? al : bl);
    return d ? d : al < bl ? -1 : al > bl;
}

static void check_order(Comm *s, int which, const CommLine *prev, const CommLine *cur) {
    CommIn *in = &s->in[which];
    if (!prev->valid || !cur->valid) return;
    if (s->order == ORDER_NOCHECK || (s->order == ORDER_DEFAULT && !s->seen_unpairable) || in->warned) return;
    if (line_cmp(prev->s, prev->len - 1, cur->s, cur->len - 1) > 0) {
        uout_flush(&s->out);
        uc_error(s->c, "file %d is not in sorted order", which + 1);
        in->warned = true;
        if (s->order == ORDER_CHECK) s->fatal = true;
    }
}

/* Reads the next line of input `which` (the delimiter is added when the
 * last line lacks it) and checks the order as GNU does: the new line against
 * the previous one, or at the end of the file the last two lines again,
 * since an unpairable line may have been seen after they were read. */
static void next_line(Comm *s, int which, bool check) {
    CommIn *in = &s->in[which];
    CommLine t = in->l[2];
    in->l[2] = in->l[1];
    in->l[1] = in->l[0];
    in->l[0] = t;
    CommLine *cur = &in->l[0];
    ssize_t n = uc_getdelim(in->f, &cur->s, &cur->cap, s->delim);
    in->have = cur->valid = n > 0;
    if (!in->have) {
        if (check) check_order(s, which, &in->l[2], &in->l[1]);
        return;
    }
    cur->len = (size_t)n;
    if (cur->s[n - 1] != (char)s->delim) {
        if (cur->len + 1 >= cur->cap) cur->s = xrealloc(cur->s, cur->cap = cur->len + 2);
        cur->s[cur->len++] = (char)s->delim;
    }
    if (check) check_order(s, which, &in->l[1], cur);
}

static void write_line(Comm *s, const CommIn *in, int column) {
    if (!s->show[column]) return;
    for (int i = 0; i < column; i++)
        if (s->show[i]) uout_put(&s->out, s->sep, s->seplen);
    uout_put(&s->out, in->l[0].s, in->l[0].len);
}

static void comm_run(Comm *s) {
    next_line(s, 0, false);
    next_line(s, 1, false);
    while ((s->in[0].have || s->in[1].have) && !s->fatal && !s->out.err) {
        int order = !s->in[0].have ? 1 : !s->in[1].have ? -1
                  : line_cmp(s->in[0].l[0].s, s->in[0].l[0].len - 1, s->in[1].l[0].s, s->in[1].l[0].len - 1);
        if (order == 0) {
            s->counts[2]++;
            write_line(s, &s->in[1], 2);
        } else {
            s->seen_unpairable = true;
            int which = order < 0 ? 0 : 1;
            s->counts[which]++;
            write_line(s, &s->in[which], which);
        }
        for (int i = 0; i < 2; i++)
            if (i == 0 ? order <= 0 : order >= 0) next_line(s, i, true);
        if (uc_should_stop(s->c)) break;
    }
}

enum { OPT_CHECK = 0x100, OPT_NOCHECK, OPT_DELIM, OPT_TOTAL };

static const UOptLong comm_longs[] = {
    {"check-order", UO_NOARG, OPT_CHECK}, {"nocheck-order", UO_NOARG, OPT_NOCHECK},
    {"output-delimiter", UO_REQ, OPT_DELIM}, {"total", UO_NOARG, OPT_TOTAL},
    {"zero-terminated", UO_NOARG, 'z'}, {NULL, 0, 0},
};

static int comm_option(Comm *s, int k, const char *arg) {
    switch (k) {
    case '1': case '2': case '3': s->show[k - '1'] = false; return -1;
    case 'z': s->delim = 0; return -1;
    case OPT_CHECK: s->order = ORDER_CHECK; return -1;
    case OPT_NOCHECK: s->order = ORDER_NOCHECK; return -1;
    case OPT_TOTAL: s->total = true; return -1;
    case OPT_DELIM:
        if (s->sep && strcmp(s->sep, arg)) {
            uc_error(s->c, "multiple output delimiters specified");
            return 1;
        }
        s->sep = arg;
        s->seplen = *arg ? strlen(arg) : 1; /* "" writes a NUL byte, as GNU */
        return -1;
    case UO_HELP: return u_help(s->c, "[OPTION]... FILE1 FILE2");
    case UO_VERSION: return u_version(s->c);
    default: return 1;
    }
}

static int comm_operands(UtilCtx *c, const StrList *ops) {
    if (ops->n < 2) {
        u_missing_operand(c, ops->n ? ops->v[0] : NULL);
        return 1;
    }
    if (ops->n > 2) {
        u_extra_operand(c, ops->v[2]);
        return 1;
    }
    return -1;
}

int util_comm_main(UtilCtx *c, int argc, char **argv) {
    Comm s;
    memset(&s, 0, sizeof s);
    s.c = c;
    s.show[0] = s.show[1] = s.show[2] = true;
    s.sep = NULL;
    s.delim = '\n';
    UOpts o;
    uopt_init(&o, c, argc, argv, "123z", comm_longs);
    int k, r = -1;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) r = comm_option(&s, k, o.arg);
    if (r < 0) r = comm_operands(c, &o.ops);
    if (!s.sep) s.sep = "\t", s.seplen = 1;
    for (int i = 0; r < 0 && i < 2; i++) {
        s.in[i].f = u_open_in(c, o.ops.v[i]);
        if (!s.in[i].f) r = 1;
    }
    if (r < 0) {
        uout_init(&s.out, c, 1);
        comm_run(&s);
        for (int i = 0; s.total && !s.fatal && i < 3; i++) {
            uout_printf(&s.out, "%ju", s.counts[i]);
            uout_put(&s.out, s.sep, s.seplen);
        }
        if (s.total && !s.fatal) {
            uout_puts(&s.out, "total");
            uout_putc(&s.out, (char)s.delim);
        }
        r = uout_close(&s.out);
        if (!r && (s.in[0].warned || s.in[1].warned)) {
            if (!s.fatal) uc_error(c, "input is not in sorted order");
            r = 1;
        }
    }
    for (int i = 0; i < 2; i++) {
        if (s.in[i].f) uc_close(s.in[i].f);
        for (int j = 0; j < 3; j++) free(s.in[i].l[j].s);
    }
    uopt_free(&o);
    return r;
}
