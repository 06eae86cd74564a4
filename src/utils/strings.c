/* strings.c - the strings utility (GNU binutils 2.40): printable runs of at
 * least -n N (default 4) characters, the whole file scanned (-a, the
 * default; -d is the same here: no object-file sections), -t o|d|x / -o
 * offsets, -f file names, -w whitespace, -s SEP, -e s|S|b|l|B|L encodings;
 * with push ops. A character is a byte 0x20-0x7E or a tab (-e S: also bytes
 * from 0x80; -w: also \n \r \f \v); b l B L read 16- and 32-bit units whose
 * other bytes are zero. */
#include "ucommon.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct Strings {
    UtilCtx *c;
    UOut out;
    uintmax_t min;
    char radix;          /* 0, 'o', 'd', 'x' */
    bool print_name, whitespace;
    char encoding;       /* s S b l B L */
    const char *sep;     /* NULL: newline */
    const char *name;    /* current file */
    StrBuf run;          /* the current run of characters */
    uintmax_t run_start, pos;
    unsigned char unit[4];
    int nunit;
    StrList ops;
    int status;
} Strings;

static bool is_char(const Strings *s, unsigned ch) {
    if (ch == '\t' || (ch >= 0x20 && ch < 0x7F)) return true;
    if (s->whitespace && (ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v')) return true;
    return s->encoding == 'S' && ch >= 0x80 && ch <= 0xFF;
}

static void end_run(Strings *s) {
    if (s->run.len >= s->min) {
        if (s->print_name) uout_printf(&s->out, "%s: ", s->name);
        if (s->radix == 'o') uout_printf(&s->out, "%7jo ", s->run_start);
        else if (s->radix == 'd') uout_printf(&s->out, "%7ju ", s->run_start);
        else if (s->radix == 'x') uout_printf(&s->out, "%7jx ", s->run_start);
        uout_put(&s->out, s->run.s, s->run.len);
        if (s->sep) uout_puts(&s->out, s->sep);
        else uout_putc(&s->out, '\n');
    }
    sb_clear(&s->run);
}

static int unit_size(char enc) { return enc == 'b' || enc == 'l' ? 2 : enc == 'B' || enc == 'L' ? 4 : 1; }

/* The character of one unit, or -1 when it is not one (other bytes nonzero). */
static int unit_char(const Strings *s, const unsigned char *u) {
    int n = unit_size(s->encoding);
    if (n == 1) return u[0];
    bool little = s->encoding == 'l' || s->encoding == 'L';
    unsigned long v = 0;
    for (int i = 0; i < n; i++) v |= (unsigned long)u[little ? i : n - 1 - i] << (8 * i);
    return v > 0xFF ? -1 : (int)v;
}

static int strings_feed(void *st, const char *data, size_t n) {
    Strings *s = st;
    int size = unit_size(s->encoding);
    for (size_t i = 0; i < n; i++) {
        s->unit[s->nunit++] = (unsigned char)data[i];
        if (s->nunit < size) continue;
        s->nunit = 0;
        int ch = unit_char(s, s->unit);
        if (ch >= 0 && is_char(s, (unsigned)ch)) {
            if (!s->run.len) s->run_start = s->pos;
            sb_putc(&s->run, (char)ch);
        } else if (s->run.len) {
            end_run(s);
        }
        s->pos += (uintmax_t)size;
    }
    return uout_flush(&s->out) < 0;
}

static void end_file(Strings *s) {
    if (s->run.len) end_run(s);
    s->pos = 0;
    s->nunit = 0;
}

static const UOptLong strings_longs[] = {
    {"all", UO_NOARG, 'a'}, {"data", UO_NOARG, 'd'}, {"print-file-name", UO_NOARG, 'f'},
    {"bytes", UO_REQ, 'n'}, {"radix", UO_REQ, 't'}, {"include-all-whitespace", UO_NOARG, 'w'},
    {"encoding", UO_REQ, 'e'}, {"output-separator", UO_REQ, 's'}, {"target", UO_REQ, 'T'},
    {NULL, 0, 0},
};

static bool set_min(Strings *s, const char *arg) {
    uintmax_t v;
    if (!u_parse_uint(arg, &v) || v == 0) {
        uc_error(s->c, "invalid minimum string length %s", arg);
        return false;
    }
    s->min = v;
    return true;
}

static int strings_option(Strings *s, int k, const char *arg, UOpts *o) {
    if (k >= '0' && k <= '9') {
        /* the obsolete -N: the rest of the cluster is the number */
        const char *num = o->cluster ? o->cluster - 1 : "";
        o->cluster = NULL;
        return set_min(s, num) ? -1 : 1;
    }
    switch (k) {
    case 'a': case 'd': case 'T': return -1;
    case 'f': s->print_name = true; return -1;
    case 'n': return set_min(s, arg) ? -1 : 1;
    case 'o': s->radix = 'o'; return -1;
    case 't':
        if (arg[0] && !arg[1] && strchr("odx", arg[0])) {
            s->radix = arg[0];
            return -1;
        }
        uc_error(s->c, "invalid radix");
        return 1;
    case 'w': s->whitespace = true; return -1;
    case 'e':
        if (arg[0] && !arg[1] && strchr("sSblBL", arg[0])) {
            s->encoding = arg[0];
            return -1;
        }
        uc_error(s->c, "invalid encoding");
        return 1;
    case 's': s->sep = arg; return -1;
    case 'h': case UO_HELP: return u_help(s->c, "[option(s)] [file(s)]");
    case 'v': case 'V': case UO_VERSION: return u_version(s->c);
    default: return 1;
    }
}

static int strings_free(Strings *s) {
    int status = s->status | uout_close(&s->out);
    sb_free(&s->run);
    sl_free(&s->ops);
    free(s);
    return status;
}

static Strings *strings_parse(UtilCtx *c, int argc, char **argv, int *status) {
    Strings *s = xcalloc(1, sizeof *s);
    s->c = c;
    s->min = 4;
    s->encoding = 's';
    s->name = "{standard input}";
    sb_init(&s->run);
    uout_init(&s->out, c, 1);
    UOpts o;
    uopt_init(&o, c, argc, argv, "0123456789adfhn:ot:vVwe:s:T:", strings_longs);
    int k, r = -1;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) r = strings_option(s, k, o.arg, &o);
    s->ops = o.ops;
    if (r < 0) return s;
    *status = r;
    strings_free(s);
    return NULL;
}

static int strings_finish(void *st) {
    end_file(st);
    return strings_free(st);
}

static void *strings_start(UtilCtx *c, int argc, char **argv, int *status) {
    Strings *s = strings_parse(c, argc, argv, status);
    if (s && s->ops.n) {
        *status = -1;
        strings_free(s);
        return NULL;
    }
    return s;
}

int util_strings_main(UtilCtx *c, int argc, char **argv) {
    int status = 0;
    Strings *s = strings_parse(c, argc, argv, &status);
    if (!s) return status;
    if (!s->ops.n) {
        UcFile *f = uc_open(c, "-", "r");
        if (f) {
            u_pump(c, f, strings_feed, s);
            uc_close(f);
        }
        end_file(s);
    }
    for (size_t i = 0; i < s->ops.n && !s->out.err; i++) {
        errno = 0;
        UcFile *f = uc_open(c, s->ops.v[i], "r");
        if (!f) {
            char *q = u_quote(s->ops.v[i]);
            uc_error(c, "%s: No such file", q);
            free(q);
            s->status = 1;
            continue;
        }
        s->name = s->ops.v[i];
        if (u_pump(c, f, strings_feed, s) < 0) {
            uc_error(c, "%s: %s", s->ops.v[i], u_strerror(errno));
            s->status = 1;
        }
        uc_close(f);
        end_file(s);
    }
    return strings_free(s);
}

const UtilPushOps util_strings_push = {strings_start, strings_feed, strings_finish};
