/* tee.c - the tee utility: copy input to stdout and to FILEs (-a append,
 * -i ignored, -p keep going when stdout goes away), with push ops. As in GNU
 * tee, a FILE named "-" is a file of that name, not stdout. */
#include "ucommon.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct Tee {
    UtilCtx *c;
    UcFile **files;
    char **names;
    size_t n;
    bool stdout_ok;
    bool keep_going; /* -p */
    int status;
} Tee;

static int tee_feed(void *st, const char *data, size_t n) {
    Tee *t = st;
    if (t->stdout_ok && uc_write(t->c, 1, data, n) < 0) {
        if (errno != EPIPE) uc_error(t->c, "standard output: %s", strerror(errno));
        t->stdout_ok = false;
        t->status = 1;
        if (!t->keep_going) return 1;
    }
    size_t live = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (!t->files[i]) continue;
        if (uc_fwrite(t->files[i], data, n) < 0) {
            u_err_file(t->c, t->names[i], errno);
            uc_close(t->files[i]);
            t->files[i] = NULL;
            t->status = 1;
            continue;
        }
        live++;
    }
    return !t->stdout_ok && !live;
}

static int tee_finish(void *st) {
    Tee *t = st;
    for (size_t i = 0; i < t->n; i++) {
        if (t->files[i]) uc_close(t->files[i]);
        free(t->names[i]);
    }
    int status = t->status;
    free(t->files);
    free(t->names);
    free(t);
    return status;
}

static const UOptLong tee_longs[] = {
    {"append", UO_NOARG, 'a'}, {"ignore-interrupts", UO_NOARG, 'i'}, {"output-error", UO_OPT, 'p'},
    {NULL, 0, 0},
};

static void open_outputs(Tee *t, const StrList *ops, bool append) {
    t->n = ops->n;
    t->files = xcalloc(t->n ? t->n : 1, sizeof *t->files);
    t->names = xcalloc(t->n ? t->n : 1, sizeof *t->names);
    for (size_t i = 0; i < t->n; i++) {
        const char *name = ops->v[i];
        t->names[i] = xstrdup(name);
        errno = 0;
        t->files[i] = uc_open(t->c, strcmp(name, "-") ? name : "./-", append ? "a" : "w");
        if (!t->files[i]) {
            u_err_file(t->c, name, errno ? errno : ENOENT);
            t->status = 1;
        }
    }
}

static void *tee_start(UtilCtx *c, int argc, char **argv, int *status) {
    Tee *t = xcalloc(1, sizeof *t);
    t->c = c;
    t->stdout_ok = true;
    bool append = false;
    UOpts o;
    uopt_init(&o, c, argc, argv, "aip", tee_longs);
    int k, r = -1;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) {
        switch (k) {
        case 'a': append = true; break;
        case 'i': break;
        case 'p': t->keep_going = true; break;
        case UO_HELP: r = u_help(c, "[OPTION]... [FILE]..."); break;
        case UO_VERSION: r = u_version(c); break;
        default: r = 1; break;
        }
    }
    if (r < 0) open_outputs(t, &o.ops, append);
    uopt_free(&o);
    if (r < 0) return t;
    *status = r;
    free(t);
    return NULL;
}

int util_tee_main(UtilCtx *c, int argc, char **argv) {
    int status = 0;
    Tee *t = tee_start(c, argc, argv, &status);
    if (!t) return status;
    UcFile *in = uc_open(c, "-", "r");
    if (in && u_pump(c, in, tee_feed, t) < 0) {
        uc_error(c, "read error: %s", strerror(errno));
        t->status = 1;
    }
    if (in) uc_close(in);
    return tee_finish(t);
}

const UtilPushOps util_tee_push = {tee_start, tee_feed, tee_finish};
