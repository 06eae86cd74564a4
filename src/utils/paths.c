/* paths.c - the basename (-a -s -z) and dirname (-z) utilities: pure string
 * operations on their operands. */
#include "ucommon.h"

#include <string.h>

/* Appends the last component of name (minus suffix) to out. */
static void base_of(StrBuf *out, const char *name, const char *suffix) {
    size_t len = strlen(name);
    while (len > 1 && name[len - 1] == '/') len--;
    if (len == 1 && name[0] == '/') {
        sb_putc(out, '/');
        return;
    }
    size_t start = len;
    while (start > 0 && name[start - 1] != '/') start--;
    size_t n = len - start;
    size_t sl = suffix ? strlen(suffix) : 0;
    if (sl && sl < n && !memcmp(name + start + n - sl, suffix, sl)) n -= sl;
    sb_put(out, name + start, n);
}

static void dir_of(StrBuf *out, const char *name) {
    size_t len = strlen(name);
    while (len > 1 && name[len - 1] == '/') len--;
    while (len > 0 && name[len - 1] != '/') len--;
    if (len == 0) {
        sb_putc(out, '.');
        return;
    }
    while (len > 1 && name[len - 1] == '/') len--;
    sb_put(out, name, len);
}

static const UOptLong base_longs[] = {
    {"multiple", UO_NOARG, 'a'}, {"suffix", UO_REQ, 's'}, {"zero", UO_NOARG, 'z'}, {NULL, 0, 0},
};

static int finish(UtilCtx *c, StrBuf *out, UOpts *o, int status) {
    if (!status && uc_write(c, 1, out->s ? out->s : "", out->len) < 0) status = 1;
    sb_free(out);
    uopt_free(o);
    return status;
}

int util_basename_main(UtilCtx *c, int argc, char **argv) {
    UOpts o;
    uopt_init(&o, c, argc, argv, "+as:z", base_longs);
    bool multiple = false;
    char eol = '\n';
    const char *suffix = NULL;
    StrBuf out;
    sb_init(&out);
    int k;
    while ((k = uopt_next(&o)) != UO_END) {
        switch (k) {
        case 'a': multiple = true; break;
        case 's': suffix = o.arg; multiple = true; break;
        case 'z': eol = 0; break;
        case UO_HELP: return finish(c, &out, &o, u_help(c, "NAME [SUFFIX]\n  or:  basename OPTION... NAME..."));
        case UO_VERSION: return finish(c, &out, &o, u_version(c));
        default: return finish(c, &out, &o, 1);
        }
    }
    if (!o.ops.n) return u_missing_operand(c, NULL), finish(c, &out, &o, 1);
    if (!multiple && o.ops.n > 2) return u_extra_operand(c, o.ops.v[2]), finish(c, &out, &o, 1);
    if (!multiple && o.ops.n == 2) {
        base_of(&out, o.ops.v[0], o.ops.v[1]);
        sb_putc(&out, eol);
        return finish(c, &out, &o, 0);
    }
    for (size_t i = 0; i < o.ops.n; i++) {
        base_of(&out, o.ops.v[i], suffix);
        sb_putc(&out, eol);
    }
    return finish(c, &out, &o, 0);
}

static const UOptLong dir_longs[] = {{"zero", UO_NOARG, 'z'}, {NULL, 0, 0}};

int util_dirname_main(UtilCtx *c, int argc, char **argv) {
    UOpts o;
    uopt_init(&o, c, argc, argv, "z", dir_longs);
    char eol = '\n';
    StrBuf out;
    sb_init(&out);
    int k;
    while ((k = uopt_next(&o)) != UO_END) {
        switch (k) {
        case 'z': eol = 0; break;
        case UO_HELP: return finish(c, &out, &o, u_help(c, "[OPTION] NAME..."));
        case UO_VERSION: return finish(c, &out, &o, u_version(c));
        default: return finish(c, &out, &o, 1);
        }
    }
    if (!o.ops.n) return u_missing_operand(c, NULL), finish(c, &out, &o, 1);
    for (size_t i = 0; i < o.ops.n; i++) {
        dir_of(&out, o.ops.v[i]);
        sb_putc(&out, eol);
    }
    return finish(c, &out, &o, 0);
}
