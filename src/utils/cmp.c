/* cmp.c - the cmp utility (GNU diffutils 3.8): the first difference
 * ("differ: char N, line L"), -b (the bytes), -l (every difference, octal),
 * -s, -i SKIP[:SKIP2] or operands SKIP1 SKIP2, -n LIMIT, "-" for stdin,
 * EOF messages, exit statuses 0/1/2. */
#include "ucommon.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct Cmp {
    UtilCtx *c;
    UOut out;
    bool bytes, list, silent;
    uintmax_t skip[2], limit;
    bool have_limit;
} Cmp;

typedef struct Side {
    const char *name;
    UcFile *f;
    char buf[65536];
    size_t pos, len;
    bool eof;
} Side;

static int side_get(Cmp *m, Side *s) {
    if (s->pos == s->len) {
        if (s->eof || uc_should_stop(m->c)) return EOF;
        ssize_t n = uc_fread(s->f, s->buf, sizeof s->buf);
        if (n <= 0) {
            s->eof = true;
            return EOF;
        }
        s->pos = 0;
        s->len = (size_t)n;
    }
    return (unsigned char)s->buf[s->pos++];
}

/* cat -v's notation, as cmp -b prints bytes: ^X, M-x, M-^X. */
static void printable(char *out, int ch) {
    char *p = out;
    if (ch >= 128) {
        *p++ = 'M', *p++ = '-';
        ch -= 128;
    }
    if (ch < 32) *p++ = '^', *p++ = (char)(ch + 64);
    else if (ch == 127) *p++ = '^', *p++ = '?';
    else *p++ = (char)ch;
    *p = '\0';
}

static int offset_width(const Cmp *m, Side s[2]) {
    uintmax_t max = m->have_limit ? m->limit : UINTMAX_MAX;
    for (int i = 0; i < 2; i++) {
        struct stat st;
        if (strcmp(s[i].name, "-") != 0 && stat(s[i].name, &st) == 0 && S_ISREG(st.st_mode)) {
            uintmax_t left = (uintmax_t)st.st_size > m->skip[i] ? (uintmax_t)st.st_size - m->skip[i] : 0;
            if (left < max) max = left;
        }
    }
    int w = 1;
    while ((max /= 10) != 0) w++;
    return w;
}

static void eof_message(Cmp *m, const Side *s, uintmax_t byte, uintmax_t line) {
    if (m->silent) return;
    uout_flush(&m->out);
    char *q = u_quotef(s->name);
    if (byte == 0) uc_error(m->c, "EOF on %s which is empty", q);
    else if (m->list) uc_error(m->c, "EOF on %s after byte %ju", q, byte);
    else uc_error(m->c, "EOF on %s after byte %ju, in line %ju", q, byte, line);
    free(q);
}

static void first_difference(Cmp *m, Side s[2], uintmax_t byte, uintmax_t line, int a, int b) {
    if (m->silent) return;
    if (!m->bytes) {
        uout_printf(&m->out, "%s %s differ: char %ju, line %ju\n", s[0].name, s[1].name, byte, line);
        return;
    }
    char pa[8], pb[8];
    printable(pa, a);
    printable(pb, b);
    uout_printf(&m->out, "%s %s differ: byte %ju, line %ju is %3o %s %3o %s\n", s[0].name, s[1].name, byte, line,
                a, pa, b, pb);
}

static void list_difference(Cmp *m, int width, uintmax_t byte, int a, int b) {
    if (!m->bytes) {
        uout_printf(&m->out, "%*ju %3o %3o\n", width, byte, a, b);
        return;
    }
    char pa[8], pb[8];
    printable(pa, a);
    printable(pb, b);
    uout_printf(&m->out, "%*ju %3o %-4s %3o %s\n", width, byte, a, pa, b, pb);
}

static bool skip_bytes(Cmp *m, Side *s, uintmax_t n) {
    for (uintmax_t i = 0; i < n; i++)
        if (side_get(m, s) == EOF) return false;
    return true;
}

static int compare(Cmp *m, Side s[2]) {
    for (int i = 0; i < 2; i++) skip_bytes(m, &s[i], m->skip[i]);
    int width = m->list ? offset_width(m, s) : 0;
    uintmax_t byte = 0, line = 1;
    int status = 0;
    while (!m->have_limit || byte < m->limit) {
        int a = side_get(m, &s[0]), b = side_get(m, &s[1]);
        if (a == EOF || b == EOF) {
            if (a != b) {
                eof_message(m, &s[a == EOF ? 0 : 1], byte, line);
                status = 1;
            }
            break;
        }
        byte++;
        if (a != b) {
            status = 1;
            if (!m->list) {
                first_difference(m, s, byte, line, a, b);
                break;
            }
            list_difference(m, width, byte, a, b);
        }
        if (a == '\n') line++;
    }
    return status;
}

/* SKIP and LIMIT values: decimal, 0x hex or 0 octal, with size suffixes. */
static bool parse_count(const char *s, uintmax_t *out) {
    if ((s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) || (s[0] == '0' && s[1] >= '0' && s[1] <= '7')) {
        char *end;
        errno = 0;
        uintmax_t v = strtoumax(s, &end, 0);
        if (errno || *end) return false;
        *out = v;
        return true;
    }
    return u_parse_size(s, out) == 0;
}

static void try_help(UtilCtx *c) { uc_error(c, "Try '%s --help' for more information.", uc_name(c)); }

static int invalid(UtilCtx *c, const char *what, const char *arg) {
    char *q = u_quote(arg);
    uc_error(c, "invalid %s value %s", what, q);
    free(q);
    try_help(c);
    return 2;
}

static int parse_skip(Cmp *m, const char *arg) {
    const char *colon = strchr(arg, ':');
    char *first = colon ? xstrndup(arg, (size_t)(colon - arg)) : xstrdup(arg);
    bool ok = parse_count(first, &m->skip[0]) && parse_count(colon ? colon + 1 : first, &m->skip[1]);
    free(first);
    return ok ? -1 : invalid(m->c, "--ignore-initial", arg);
}

static const UOptLong cmp_longs[] = {
    {"print-bytes", UO_NOARG, 'b'}, {"ignore-initial", UO_REQ, 'i'}, {"verbose", UO_NOARG, 'l'},
    {"bytes", UO_REQ, 'n'},         {"quiet", UO_NOARG, 's'},        {"silent", UO_NOARG, 's'},
    {NULL, 0, 0},
};

static int parse(Cmp *m, UOpts *o) {
    int k;
    while ((k = uopt_next(o)) != UO_END) {
        switch (k) {
        case 'b': case 'c': m->bytes = true; break;
        case 'l': m->list = true; break;
        case 's': m->silent = true; break;
        case 'i': {
            int r = parse_skip(m, o->arg);
            if (r >= 0) return r;
            break;
        }
        case 'n':
            if (!parse_count(o->arg, &m->limit)) return invalid(m->c, "--bytes", o->arg);
            m->have_limit = true;
            break;
        case UO_HELP: u_help(m->c, "[OPTION]... FILE1 [FILE2 [SKIP1 [SKIP2]]]"); return 0;
        case UO_VERSION: uc_puts(m->c, 1, "cmp (GNU diffutils) 3.8 (wasmsh)\n"); return 0;
        default: try_help(m->c); return 2;
        }
    }
    if (m->list && m->silent) {
        uc_error(m->c, "options -l and -s are incompatible");
        try_help(m->c);
        return 2;
    }
    if (!o->ops.n) {
        uc_error(m->c, "missing operand after '%s'", uc_name(m->c));
        try_help(m->c);
        return 2;
    }
    if (o->ops.n > 4) {
        char *q = u_quote(o->ops.v[4]);
        uc_error(m->c, "extra operand %s", q);
        free(q);
        try_help(m->c);
        return 2;
    }
    for (size_t i = 2; i < o->ops.n; i++)
        if (!parse_count(o->ops.v[i], &m->skip[i - 2])) return invalid(m->c, "--ignore-initial", o->ops.v[i]);
    return -1;
}

int util_cmp_main(UtilCtx *c, int argc, char **argv) {
    Cmp m;
    memset(&m, 0, sizeof m);
    m.c = c;
    UOpts o;
    uopt_init(&o, c, argc, argv, "bci:ln:sv", cmp_longs);
    o.own_try_help = true;
    int r = parse(&m, &o);
    if (r < 0) {
        Side *s = xcalloc(2, sizeof *s);
        s[0].name = o.ops.v[0];
        s[1].name = o.ops.n > 1 ? o.ops.v[1] : "-";
        r = 2;
        for (int i = 0; i < 2; i++) {
            s[i].f = uc_open(c, s[i].name, "r");
            if (!s[i].f) {
                u_err_file(c, s[i].name, errno);
                break;
            }
            if (i == 1) r = -1;
        }
        if (r < 0) {
            uout_init(&m.out, c, 1);
            r = compare(&m, s);
            if (uout_close(&m.out)) r = 2;
        }
        for (int i = 0; i < 2; i++)
            if (s[i].f) uc_close(s[i].f);
        free(s);
    }
    uopt_free(&o);
    return r;
}
