/* bcmain.c - bc's options (-l -q -s -w -i -h -v), BC_LINE_LENGTH, the
 * order of input (the file operands, then standard input), and read(). */
#include "bcint.h"
#include "ucommon.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool bc_stop(void *ctx) { return uc_should_stop((UtilCtx *)ctx); }

static void usage(UtilCtx *c) {
    uc_puts(c, 1,
            "usage: bc [options] [file ...]\n"
            "  -h  --help         print this usage and exit\n"
            "  -i  --interactive  force interactive mode\n"
            "  -l  --mathlib      use the predefined math routines\n"
            "  -q  --quiet        don't print initial banner\n"
            "  -s  --standard     non-standard bc constructs are errors\n"
            "  -w  --warn         warn about non-standard bc constructs\n"
            "  -v  --version      print version information and exit\n");
}

static void version(UtilCtx *c) {
    uc_puts(c, 1,
            "bc 1.07.1\n"
            "Copyright 1991-1994, 1997, 1998, 2000, 2004, 2006, 2008, 2012-2017 Free Software Foundation, Inc.\n");
}

void bc_out_char(Bc *b, char ch) { bc_out_str(b, &ch, 1); }

/* GNU's input_char for read(): digits as values, + - . as themselves,
 * anything up to a space as a space, other characters end the number. */
static int read_char(Bc *b, BcInput *in) {
    (void)b;
    int c = bc_input_getc(in);
    if (c == '\\') {
        c = bc_input_getc(in);
        if (c == '\n') c = bc_input_getc(in);
    }
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c + 10 - 'A';
    if (c >= 'a' && c <= 'f') return c + 10 - 'a';
    if (c == '.' || c == '+' || c == '-') return c;
    if (c >= 0 && c <= ' ') return ' ';
    return ':';
}

BcNum *bc_read_number(Bc *b) {
    if (!b->stdin_in) b->stdin_in = bc_input_file(b, uc_open(b->c, "-", "r"), "(standard_in)");
    BcInput *in = b->stdin_in;
    NumCtx *nc = &b->nc;
    int base = b->ibase;
    BcNum *build = num_from_long(0), *mult = num_from_long(base);
    bool negative = false;
    int ch = read_char(b, in);
    while (ch == ' ') ch = read_char(b, in);
    if (ch == '+') ch = read_char(b, in);
    else if (ch == '-') {
        negative = true;
        ch = read_char(b, in);
    }
    if (ch < 16) {
        int first = ch;
        ch = read_char(b, in);
        if (ch < 16 && first >= base) first = base - 1;
        num_free(build);
        build = num_from_long(first);
    }
    while (ch < 16) {
        if (ch >= base) ch = base - 1;
        BcNum *m = num_mul(nc, build, mult, 0), *d = num_from_long(ch);
        num_free(build);
        build = num_add(nc, m, d, 0);
        num_free(m);
        num_free(d);
        ch = read_char(b, in);
    }
    if (ch == '.') {
        ch = read_char(b, in);
        if (ch >= base && ch < 16) ch = base - 1;
        BcNum *res = num_from_long(0), *div = num_from_long(1);
        int digits = 0;
        while (ch < 16) {
            BcNum *m = num_mul(nc, res, mult, 0), *d = num_from_long(ch);
            num_free(res);
            res = num_add(nc, m, d, 0);
            num_free(m);
            num_free(d);
            BcNum *d2 = num_mul(nc, div, mult, 0);
            num_free(div);
            div = d2;
            digits++;
            ch = read_char(b, in);
            if (ch < 16 && ch >= base) ch = base - 1;
        }
        bool dz;
        BcNum *q = num_div(nc, res, div, digits, &dz);
        BcNum *s = num_add(nc, build, q, 0);
        num_free(build);
        num_free(q);
        num_free(res);
        num_free(div);
        build = s;
    }
    num_free(mult);
    if (negative) {
        BcNum *n = num_neg(build);
        num_free(build);
        build = n;
    }
    return build;
}

int bc_main(UtilCtx *c, int argc, char **argv) {
    Bc *b = xcalloc(1, sizeof *b);
    b->c = c;
    b->nc.stop = bc_stop;
    b->nc.stop_ctx = c;
    b->nc.max_digits = 50000000;
    b->ibase = b->obase = 10;
    b->scale = 0;
    b->last = num_from_long(0);
    b->line_size = 70;
    const char *ll = uc_getenv(c, "BC_LINE_LENGTH");
    if (ll && *ll) {
        long v = strtol(ll, NULL, 10);
        b->line_size = v == 0 ? 0 : v < 3 ? 70 : (v > 65535 ? 65535 : (int)v);
    }
    sb_init(&b->gen);
    sb_init(&b->out);
    /* names 0-4 are ibase obase scale history last */
    for (int i = 0; i < 5; i++) {
        b->vnames = xrealloc(b->vnames, (size_t)(b->nv + 1) * sizeof *b->vnames);
        b->vnames[b->nv++] = NULL;
    }
    b->vars = xcalloc(5, sizeof *b->vars);
    b->anames = xcalloc(1, sizeof *b->anames);
    b->anames[0] = xstrdup("");
    b->na = 1;
    b->arrays = xcalloc(1, sizeof *b->arrays);
    b->funcs = xcalloc(1, sizeof *b->funcs);
    b->funcs[0].name = xstrdup("(main)");
    b->nf = 1;

    int status = 0;
    StrList files;
    sl_init(&files);
    int i = 1;
    bool opts_done = false;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (opts_done || a[0] != '-' || !a[1]) {
            sl_push_copy(&files, a);
            continue;
        }
        if (!strcmp(a, "--")) { opts_done = true; continue; }
        if (a[1] == '-') {
            if (!strcmp(a, "--mathlib")) b->mathlib = true;
            else if (!strcmp(a, "--quiet")) b->quiet = true;
            else if (!strcmp(a, "--standard") || !strcmp(a, "--warn") || !strcmp(a, "--interactive")) {}
            else if (!strcmp(a, "--help")) { usage(c); goto done; }
            else if (!strcmp(a, "--version")) { version(c); goto done; }
            else {
                uc_printf(c, 2, "%s: unrecognized option '%s'\n", uc_name(c), a);
                usage(c);
                status = 1;
                goto done;
            }
            continue;
        }
        for (const char *p = a + 1; *p; p++) {
            switch (*p) {
            case 'l': b->mathlib = true; break;
            case 'q': b->quiet = true; break;
            case 's': case 'w': case 'i': break;
            case 'h': usage(c); goto done;
            case 'v': version(c); goto done;
            default:
                uc_printf(c, 2, "%s: invalid option -- '%c'\n", uc_name(c), *p);
                usage(c);
                status = 1;
                goto done;
            }
        }
    }
    if (b->mathlib) bc_define_mathlib(b);
    for (size_t k = 0; k < files.n && !b->halted; k++) {
        UcFile *f = uc_open(c, files.v[k], "r");
        if (!f) {
            bc_out_flush(b);
            uc_printf(c, 2, "File %s is unavailable.\n", files.v[k]);
            status = 1;
            goto done;
        }
        BcInput *in = bc_input_file(b, f, files.v[k]);
        bool more = bc_run_source(b, in);
        bc_input_free(in);
        if (!more) goto done;
    }
    if (!b->halted) {
        if (!b->stdin_in) b->stdin_in = bc_input_file(b, uc_open(c, "-", "r"), "(standard_in)");
        bc_run_source(b, b->stdin_in);
    }
done:
    bc_input_free(b->stdin_in);
    bc_out_flush(b);
    if (b->exit_status) status = b->exit_status;
    sl_free(&files);
    bc_storage_free(b);
    sb_free(&b->gen);
    sb_free(&b->out);
    free(b);
    return status;
}
