/* cat.c - the cat utility (-A -b -e -E -n -s -t -T -u -v), with push ops.
 * Without formatting options data is passed through untouched; otherwise it
 * is transformed byte by byte with state carried across chunks and files. */
#include "ucommon.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct Cat {
    UtilCtx *c;
    UOut out;
    bool number, nonblank, squeeze, ends, tabs, nonprint;
    bool at_bol;
    int blanks;     /* consecutive empty lines just seen */
    uintmax_t line; /* last line number printed */
    StrList ops;
    int status;
} Cat;

static const UOptLong cat_longs[] = {
    {"show-all", UO_NOARG, 'A'},         {"number-nonblank", UO_NOARG, 'b'},
    {"show-ends", UO_NOARG, 'E'},        {"number", UO_NOARG, 'n'},
    {"squeeze-blank", UO_NOARG, 's'},    {"show-tabs", UO_NOARG, 'T'},
    {"show-nonprinting", UO_NOARG, 'v'}, {NULL, 0, 0},
};

static void cat_opt(Cat *s, int k) {
    switch (k) {
    case 'A': s->nonprint = s->ends = s->tabs = true; break;
    case 'b': s->number = s->nonblank = true; break;
    case 'e': s->nonprint = s->ends = true; break;
    case 'E': s->ends = true; break;
    case 'n': s->number = true; break;
    case 's': s->squeeze = true; break;
    case 't': s->nonprint = s->tabs = true; break;
    case 'T': s->tabs = true; break;
    case 'v': s->nonprint = true; break;
    default: break; /* -u: ignored */
    }
}

/* Parses argv into a new state, or returns NULL with *status set. */
static Cat *cat_parse(UtilCtx *c, int argc, char **argv, int *status) {
    UOpts o;
    uopt_init(&o, c, argc, argv, "AbeEnstTuv", cat_longs);
    Cat *s = xcalloc(1, sizeof *s);
    int k;
    while ((k = uopt_next(&o)) != UO_END) {
        if (k == UO_ERR || k == UO_HELP || k == UO_VERSION) {
            *status = k == UO_ERR ? 1 : k == UO_HELP ? u_help(c, "[OPTION]... [FILE]...") : u_version(c);
            uopt_free(&o);
            free(s);
            return NULL;
        }
        cat_opt(s, k);
    }
    s->c = c;
    s->ops = o.ops;
    s->at_bol = true;
    uout_init(&s->out, c, 1);
    return s;
}

static void put_visible(Cat *s, unsigned char ch) {
    if (s->nonprint && ch >= 128) {
        uout_put(&s->out, "M-", 2);
        ch -= 128;
    }
    if (ch == '\t' && s->tabs)
        uout_put(&s->out, "^I", 2);
    else if (s->nonprint && ch == 127)
        uout_put(&s->out, "^?", 2);
    else if (s->nonprint && ch < 32 && ch != '\t' && ch != '\n') {
        uout_putc(&s->out, '^');
        uout_putc(&s->out, (char)(ch + 64));
    } else
        uout_putc(&s->out, (char)ch);
}

static void cat_byte(Cat *s, unsigned char ch) {
    if (s->at_bol) {
        if (ch == '\n') {
            if (s->squeeze && s->blanks >= 1) return;
            s->blanks++;
            if (s->number && !s->nonblank) uout_printf(&s->out, "%6ju\t", ++s->line);
        } else {
            s->blanks = 0;
            if (s->number) uout_printf(&s->out, "%6ju\t", ++s->line);
        }
        s->at_bol = false;
    }
    if (ch == '\n') {
        if (s->ends) uout_putc(&s->out, '$');
        uout_putc(&s->out, '\n');
        s->at_bol = true;
        return;
    }
    put_visible(s, ch);
}

static int cat_feed(void *st, const char *data, size_t n) {
    Cat *s = st;
    if (!(s->number || s->squeeze || s->ends || s->tabs || s->nonprint)) {
        uout_put(&s->out, data, n);
    } else {
        for (size_t i = 0; i < n; i++) cat_byte(s, (unsigned char)data[i]);
    }
    return uout_flush(&s->out) < 0;
}

static int cat_finish(void *st) {
    Cat *s = st;
    int status = s->status | uout_close(&s->out);
    sl_free(&s->ops);
    free(s);
    return status;
}

static void *cat_start(UtilCtx *c, int argc, char **argv, int *status) {
    Cat *s = cat_parse(c, argc, argv, status);
    if (s && !u_push_ok(&s->ops)) {
        /* file operands: main() does the work; release this state */
        cat_finish(s);
        *status = -1;
        return NULL;
    }
    return s;
}

/* The output as a regular file (dev, ino), to refuse copying a file onto
 * itself; false when stdout is not a regular file. */
static bool output_file_id(UtilCtx *c, struct stat *out) {
    UcFile *o = uc_open(c, "-", "w");
    if (!o) return false;
    bool ok = uc_fstat(o, out) == 0 && S_ISREG(out->st_mode);
    uc_close(o);
    return ok;
}

/* Copies one file to the output; false when output failed. */
static bool cat_file(Cat *s, const char *name, const struct stat *out) {
    UcFile *f = u_open_in(s->c, name);
    if (!f) {
        s->status = 1;
        return true;
    }
    struct stat in;
    if (out && uc_fstat(f, &in) == 0 && in.st_dev == out->st_dev && in.st_ino == out->st_ino &&
        in.st_size > 0) {
        /* GNU cat: copying a nonempty file onto itself would only fill the disk */
        uout_flush(&s->out);
        char *q = u_quotef(name);
        uc_error(s->c, "%s: input file is output file", q);
        free(q);
        uc_close(f);
        s->status = 1;
        return true;
    }
    int r = u_pump(s->c, f, cat_feed, s);
    if (r < 0) {
        u_err_file(s->c, name, errno);
        s->status = 1;
    }
    uc_close(f);
    return r != 1;
}

int util_cat_main(UtilCtx *c, int argc, char **argv) {
    int status = 0;
    Cat *s = cat_parse(c, argc, argv, &status);
    if (!s) return status;
    if (!s->ops.n) sl_push_copy(&s->ops, "-");
    struct stat out;
    bool out_reg = output_file_id(c, &out);
    for (size_t i = 0; i < s->ops.n; i++)
        if (!cat_file(s, s->ops.v[i], out_reg ? &out : NULL)) break;
    if (uc_should_stop(c)) s->status = 1;
    return cat_finish(s);
}

const UtilPushOps util_cat_push = {cat_start, cat_feed, cat_finish};
