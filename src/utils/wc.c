/* wc.c - the wc utility (-l -w -c -m -L), with push ops. Column width as GNU:
 * the digits of the total size of the regular input files, at least 7 when an
 * input is not a regular file, and 1 for a single count of a single input.
 * Counting is byte-based (-m equals -c, as in the C locale). */
#include "ucommon.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { WC_LINES, WC_WORDS, WC_CHARS, WC_BYTES, WC_MAXLEN, WC_N };

typedef struct Wc {
    UtilCtx *c;
    UOut out;
    bool show[WC_N];
    uintmax_t cnt[WC_N];   /* current input */
    uintmax_t total[WC_N];
    bool in_word;
    uintmax_t linepos;
    int width;
    StrList ops;
    int status;
} Wc;

static void wc_byte(Wc *s, unsigned char ch) {
    if (ch == '\n' || ch == '\r' || ch == '\f') {
        if (s->linepos > s->cnt[WC_MAXLEN]) s->cnt[WC_MAXLEN] = s->linepos;
        s->linepos = 0;
        s->in_word = false;
        return;
    }
    if (ch == '\t') {
        s->linepos += 8 - s->linepos % 8;
        s->in_word = false;
    } else if (isspace(ch)) {
        s->in_word = false;
        if (ch == ' ') s->linepos++;
    } else if (isprint(ch)) {
        s->linepos++;
        if (!s->in_word) s->cnt[WC_WORDS]++;
        s->in_word = true;
    }
}

static int wc_feed(void *st, const char *data, size_t n) {
    Wc *s = st;
    s->cnt[WC_BYTES] += n;
    s->cnt[WC_CHARS] += n;
    if (!s->show[WC_WORDS] && !s->show[WC_MAXLEN]) {
        for (const char *p = data, *end = data + n; (p = memchr(p, '\n', (size_t)(end - p))); p++)
            s->cnt[WC_LINES]++;
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        if (data[i] == '\n') s->cnt[WC_LINES]++;
        wc_byte(s, (unsigned char)data[i]);
    }
    return 0;
}

static void wc_print(Wc *s, const uintmax_t *cnt, const char *name) {
    const char *sep = "";
    for (int i = 0; i < WC_N; i++) {
        if (!s->show[i]) continue;
        uout_printf(&s->out, "%s%*ju", sep, s->width, cnt[i]);
        sep = " ";
    }
    if (name) uout_printf(&s->out, " %s", name);
    uout_putc(&s->out, '\n');
}

/* Prints the counts of the input just read and adds them to the totals. */
static void wc_end_input(Wc *s, const char *name) {
    if (s->linepos > s->cnt[WC_MAXLEN]) s->cnt[WC_MAXLEN] = s->linepos;
    wc_print(s, s->cnt, name);
    for (int i = 0; i < WC_N; i++) {
        if (i == WC_MAXLEN)
            s->total[i] = s->cnt[i] > s->total[i] ? s->cnt[i] : s->total[i];
        else
            s->total[i] += s->cnt[i];
        s->cnt[i] = 0;
    }
    s->linepos = 0;
    s->in_word = false;
}

static const UOptLong wc_longs[] = {
    {"bytes", UO_NOARG, 'c'}, {"chars", UO_NOARG, 'm'}, {"lines", UO_NOARG, 'l'},
    {"words", UO_NOARG, 'w'}, {"max-line-length", UO_NOARG, 'L'}, {NULL, 0, 0},
};

static Wc *wc_parse(UtilCtx *c, int argc, char **argv, int *status) {
    Wc *s = xcalloc(1, sizeof *s);
    UOpts o;
    uopt_init(&o, c, argc, argv, "clmwL", wc_longs);
    int k, r = -1;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) {
        switch (k) {
        case 'c': s->show[WC_BYTES] = true; break;
        case 'm': s->show[WC_CHARS] = true; break;
        case 'l': s->show[WC_LINES] = true; break;
        case 'w': s->show[WC_WORDS] = true; break;
        case 'L': s->show[WC_MAXLEN] = true; break;
        case UO_HELP: r = u_help(c, "[OPTION]... [FILE]..."); break;
        case UO_VERSION: r = u_version(c); break;
        default: r = 1; break;
        }
    }
    if (r >= 0) {
        *status = r;
        uopt_free(&o);
        free(s);
        return NULL;
    }
    if (!s->show[WC_BYTES] && !s->show[WC_CHARS] && !s->show[WC_LINES] && !s->show[WC_WORDS] &&
        !s->show[WC_MAXLEN])
        s->show[WC_LINES] = s->show[WC_WORDS] = s->show[WC_BYTES] = true;
    s->c = c;
    s->ops = o.ops;
    uout_init(&s->out, c, 1);
    return s;
}

static int wc_nshown(const Wc *s) {
    int n = 0;
    for (int i = 0; i < WC_N; i++) n += s->show[i];
    return n;
}

/* GNU's column width for the given inputs. */
static int wc_width(const Wc *s) {
    size_t nfiles = s->ops.n ? s->ops.n : 1;
    if (nfiles == 1 && wc_nshown(s) == 1) return 1;
    uintmax_t total = 0;
    int width = 1, minimum = 1;
    for (size_t i = 0; i < nfiles; i++) {
        const char *name = s->ops.n ? s->ops.v[i] : "-";
        struct stat st;
        if (!strcmp(name, "-") || !strncmp(name, "/dev/", 5))
            minimum = 7;
        else if (stat(name, &st) == 0)
            S_ISREG(st.st_mode) ? (void)(total += (uintmax_t)st.st_size) : (void)(minimum = 7);
    }
    for (; total >= 10; total /= 10) width++;
    return width < minimum ? minimum : width;
}

static int wc_free(Wc *s) {
    int status = s->status | uout_close(&s->out);
    sl_free(&s->ops);
    free(s);
    return status;
}

static void *wc_start(UtilCtx *c, int argc, char **argv, int *status) {
    Wc *s = wc_parse(c, argc, argv, status);
    if (s && !u_push_ok(&s->ops)) {
        *status = -1;
        wc_free(s);
        return NULL;
    }
    if (s) s->width = wc_width(s);
    return s;
}

static int wc_finish(void *st) {
    Wc *s = st;
    wc_end_input(s, s->ops.n ? "-" : NULL);
    return wc_free(s);
}

static void wc_file(Wc *s, const char *name) {
    UcFile *f = uc_open(s->c, name, "r");
    if (!f) {
        int e = errno;
        uout_flush(&s->out);
        u_err_file(s->c, name, e);
        s->status = 1;
        return;
    }
    if (u_pump(s->c, f, wc_feed, s) < 0) {
        int e = errno;
        uout_flush(&s->out);
        u_err_file(s->c, name, e);
        s->status = 1;
    }
    uc_close(f);
    wc_end_input(s, s->ops.n ? name : NULL);
}

int util_wc_main(UtilCtx *c, int argc, char **argv) {
    int status = 0;
    Wc *s = wc_parse(c, argc, argv, &status);
    if (!s) return status;
    s->width = wc_width(s);
    for (size_t i = 0; i < (s->ops.n ? s->ops.n : 1) && !s->out.err; i++)
        wc_file(s, s->ops.n ? s->ops.v[i] : "-");
    if (s->ops.n > 1) wc_print(s, s->total, "total");
    return wc_free(s);
}

const UtilPushOps util_wc_push = {wc_start, wc_feed, wc_finish};
