/* paste.c - the paste utility: merge lines of files side by side, or with
 * -s one file per line; -d LIST cycles delimiters (\n \t \\ \0 escapes);
 * -z uses NUL as the line delimiter. "-" may be given several times and
 * then takes successive lines of stdin. */
#include "ucommon.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct Paste {
    UtilCtx *c;
    UOut out;
    StrBuf delims;   /* decoded list; an empty list means no delimiter */
    char eol;
    UcFile **files;  /* one per operand; stdin shared */
    bool *eof;
    size_t n;
} Paste;

static bool decode_delims(Paste *p, const char *s) {
    const char *list = s;
    for (; *s; s++) {
        if (*s != '\\') {
            sb_putc(&p->delims, *s);
            continue;
        }
        if (!*++s) {
            uc_error(p->c, "delimiter list ends with an unescaped backslash: %s", list);
            return false;
        }
        switch (*s) {
        case 'n': sb_putc(&p->delims, '\n'); break;
        case 't': sb_putc(&p->delims, '\t'); break;
        case '0': sb_putc(&p->delims, '\0'); break;
        default: sb_putc(&p->delims, *s); break;
        }
    }
    return true;
}

/* Delimiter number i, or -1 for "none" (\0). */
static int delim_at(const Paste *p, size_t i) {
    if (!p->delims.len) return -1;
    char d = p->delims.s[i % p->delims.len];
    return d ? (unsigned char)d : -1;
}

static void put_delim(Paste *p, size_t i) {
    int d = delim_at(p, i);
    if (d >= 0) uout_putc(&p->out, (char)d);
}

/* Reads one line (without its delimiter) from file i; false at EOF. */
static bool next_line(Paste *p, size_t i, char **line, size_t *cap, size_t *len) {
    if (p->eof[i]) return false;
    ssize_t n = uc_getdelim(p->files[i], line, cap, p->eol);
    if (n < 0) {
        p->eof[i] = true;
        return false;
    }
    *len = (size_t)n;
    if (*len && (*line)[*len - 1] == p->eol) (*len)--;
    return true;
}

static void paste_parallel(Paste *p) {
    char *line = NULL;
    size_t cap = 0, len;
    StrBuf row;
    sb_init(&row);
    for (;;) {
        bool any = false;
        sb_clear(&row);
        for (size_t i = 0; i < p->n; i++) {
            if (next_line(p, i, &line, &cap, &len)) {
                any = true;
                sb_put(&row, line, len);
            }
            if (i + 1 < p->n && delim_at(p, i) >= 0) sb_putc(&row, (char)delim_at(p, i));
        }
        if (!any || p->out.err || uc_should_stop(p->c)) break;
        uout_put(&p->out, row.s, row.len);
        uout_putc(&p->out, p->eol);
    }
    sb_free(&row);
    free(line);
}

static void paste_serial(Paste *p) {
    char *line = NULL;
    size_t cap = 0, len;
    for (size_t i = 0; i < p->n && !p->out.err; i++) {
        size_t k = 0;
        while (next_line(p, i, &line, &cap, &len)) {
            if (k) put_delim(p, k - 1);
            uout_put(&p->out, line, len);
            k++;
        }
        uout_putc(&p->out, p->eol);
    }
    free(line);
}

static bool open_all(Paste *p, const StrList *ops) {
    UcFile *in = NULL;
    p->n = ops->n;
    p->files = xcalloc(p->n, sizeof *p->files);
    p->eof = xcalloc(p->n, sizeof *p->eof);
    for (size_t i = 0; i < p->n; i++) {
        bool is_stdin = !strcmp(ops->v[i], "-");
        if (is_stdin && in) {
            p->files[i] = in;
            continue;
        }
        p->files[i] = u_open_in(p->c, ops->v[i]);
        if (!p->files[i]) return false;
        if (is_stdin) in = p->files[i];
    }
    return true;
}

static void close_all(Paste *p, const StrList *ops) {
    bool closed_stdin = false;
    for (size_t i = 0; i < p->n; i++) {
        if (!p->files[i]) continue;
        bool is_stdin = !strcmp(ops->v[i], "-");
        if (is_stdin && closed_stdin) continue;
        closed_stdin |= is_stdin;
        uc_close(p->files[i]);
    }
    free(p->files);
    free(p->eof);
}

static const UOptLong paste_longs[] = {
    {"serial", UO_NOARG, 's'}, {"delimiters", UO_REQ, 'd'}, {"zero-terminated", UO_NOARG, 'z'}, {NULL, 0, 0},
};

int util_paste_main(UtilCtx *c, int argc, char **argv) {
    Paste p = {.c = c, .eol = '\n'};
    sb_init(&p.delims);
    bool serial = false, delims_set = false;
    UOpts o;
    uopt_init(&o, c, argc, argv, "d:sz", paste_longs);
    int k, r = -1;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) {
        switch (k) {
        case 's': serial = true; break;
        case 'z': p.eol = 0; break;
        case 'd': delims_set = true; sb_clear(&p.delims); if (!decode_delims(&p, o.arg)) r = 1; break;
        case UO_HELP: r = u_help(c, "[OPTION]... [FILE]..."); break;
        case UO_VERSION: r = u_version(c); break;
        default: r = 1; break;
        }
    }
    if (!delims_set) sb_putc(&p.delims, '\t');
    if (r < 0 && !o.ops.n) sl_push_copy(&o.ops, "-");
    uout_init(&p.out, c, 1);
    if (r < 0) {
        if (open_all(&p, &o.ops)) {
            serial ? paste_serial(&p) : paste_parallel(&p);
            r = 0;
        } else {
            r = 1;
        }
        close_all(&p, &o.ops);
    }
    r |= uout_close(&p.out);
    sb_free(&p.delims);
    uopt_free(&o);
    return r;
}
