/* wc.c - the wc utility (-l -w -c -m -L), with push ops. Column width as GNU:
 * the digits of the total size of the regular input files, at least 7 when an
 * input is not a regular file, and 1 for a single count of a single input.
 * In a UTF-8 locale -m counts characters (invalid bytes are not counted), -L
 * uses character widths and -w also splits at Unicode spaces, as GNU wc 9.1;
 * otherwise counting is byte-based (-m equals -c). --files0-from=F reads the
 * NUL-separated names from F. */
#include "mbchar.h"
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
    bool utf8;             /* the locale is UTF-8 and -m, -w or -L asks for characters */
    char pend[8];          /* an incomplete character at the end of the last chunk */
    size_t npend;
    uintmax_t linepos;
    int width;
    const char *files0;    /* --files0-from */
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

/* One character of a UTF-8 input (GNU wc's multibyte branch). */
static void wc_wide(Wc *s, uint32_t cp) {
    s->cnt[WC_CHARS]++;
    if (cp < 0x80) {
        if (cp == '\n') s->cnt[WC_LINES]++;
        wc_byte(s, (unsigned char)cp);
        return;
    }
    int w = mb_width(cp);
    if (w < 0) return; /* not printable: neither part of a word nor a separator */
    s->linepos += (uintmax_t)w;
    if (mb_isspace(cp) || mb_isnbspace(cp)) {
        s->in_word = false;
    } else {
        if (!s->in_word) s->cnt[WC_WORDS]++;
        s->in_word = true;
    }
}

/* Decodes data (after any pending bytes); an incomplete character at the
 * end is kept for the next chunk, unless at_eof. */
static void wc_feed_mb(Wc *s, const char *data, size_t n, bool at_eof) {
    while (s->npend && n) {
        s->pend[s->npend++] = *data++;
        n--;
        uint32_t cp;
        int len = mb_decode(s->pend, s->npend, &cp);
        if (len == 0 && s->npend < 6) continue;
        if (len > 0) {
            wc_wide(s, cp);
            s->npend = 0;
            break;
        }
        /* invalid: drop the first pending byte, retry the rest as new input */
        char rest[8];
        size_t nrest = s->npend - 1;
        memcpy(rest, s->pend + 1, nrest);
        s->npend = 0;
        wc_feed_mb(s, rest, nrest, false);
    }
    size_t i = 0;
    while (i < n) {
        unsigned char b = (unsigned char)data[i];
        if (b < 0x80) {
            wc_wide(s, b);
            i++;
            continue;
        }
        uint32_t cp;
        int len = mb_decode(data + i, n - i, &cp);
        if (len > 0) {
            wc_wide(s, cp);
            i += (size_t)len;
        } else if (len == 0 && !at_eof) {
            memcpy(s->pend, data + i, n - i);
            s->npend = n - i;
            return;
        } else {
            i++;
        }
    }
}

#if defined(__SSE2__) || defined(__wasm_simd128__) || defined(__ARM_NEON)
/* Newlines in data with 16-byte vectors (GCC/Clang vector extensions, which
 * become SSE2, NEON or wasm SIMD): each matching lane compares as -1 and is
 * subtracted into a byte counter, emptied before it can overflow. */
typedef unsigned char ByteVec __attribute__((vector_size(16)));

static uintmax_t count_newlines(const char *data, size_t n) {
    ByteVec nl;
    memset(&nl, '\n', sizeof nl);
    uintmax_t count = 0;
    size_t i = 0;
    while (i + 64 <= n) {
        ByteVec acc = {0};
        for (int k = 0; k < 63 && i + 64 <= n; k++, i += 64) {
            ByteVec v[4];
            memcpy(v, data + i, 64);
            acc -= (ByteVec)(v[0] == nl) + (ByteVec)(v[1] == nl) + (ByteVec)(v[2] == nl) + (ByteVec)(v[3] == nl);
        }
        for (int l = 0; l < 16; l++) count += acc[l];
    }
    for (; i < n; i++) count += data[i] == '\n';
    return count;
}
#else
/* 1 in each byte of x that is zero, else 0: the high bit is set exactly for
 * zero bytes (no carries cross bytes), then moved down. */
static inline uint64_t zero_bytes(uint64_t x) {
    const uint64_t low7 = 0x7F7F7F7F7F7F7F7Full;
    return (~(((x & low7) + low7) | x | low7)) >> 7;
}

/* Newlines in data, 32 bytes per step: per-byte counts are summed in a
 * 64-bit accumulator (8 lanes of one byte, emptied before they overflow). */
static uintmax_t count_newlines(const char *data, size_t n) {
    const uint64_t ones = 0x0101010101010101ull, nl = ones * '\n';
    const uint64_t even = 0x00FF00FF00FF00FFull;
    uintmax_t count = 0;
    size_t i = 0;
    while (i + 32 <= n) {
        uint64_t acc = 0;
        for (int k = 0; k < 63 && i + 32 <= n; k++, i += 32) {
            uint64_t w[4];
            memcpy(w, data + i, 32);
            acc += zero_bytes(w[0] ^ nl) + zero_bytes(w[1] ^ nl) + zero_bytes(w[2] ^ nl) + zero_bytes(w[3] ^ nl);
        }
        /* lanes hold <= 252: pair them into 16-bit lanes, then add those up */
        uint64_t pairs = (acc & even) + ((acc >> 8) & even);
        count += (pairs * 0x0001000100010001ull) >> 48;
    }
    for (; i < n; i++) count += data[i] == '\n';
    return count;
}
#endif

static int wc_feed(void *st, const char *data, size_t n) {
    Wc *s = st;
    if (s->utf8) {
        s->cnt[WC_BYTES] += n;
        wc_feed_mb(s, data, n, false);
        return 0;
    }
    s->cnt[WC_BYTES] += n;
    s->cnt[WC_CHARS] += n;
    if (!s->show[WC_WORDS] && !s->show[WC_MAXLEN]) {
        s->cnt[WC_LINES] += count_newlines(data, n);
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
    if (s->npend) {
        /* a truncated character at the end: its bytes are invalid */
        char rest[8];
        size_t nrest = s->npend - 1;
        memcpy(rest, s->pend + 1, nrest);
        s->npend = 0;
        wc_feed_mb(s, rest, nrest, true);
    }
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

enum { OPT_FILES0 = 0x100 };

static const UOptLong wc_longs[] = {
    {"bytes", UO_NOARG, 'c'}, {"chars", UO_NOARG, 'm'}, {"lines", UO_NOARG, 'l'},
    {"words", UO_NOARG, 'w'}, {"max-line-length", UO_NOARG, 'L'},
    {"files0-from", UO_REQ, OPT_FILES0}, {NULL, 0, 0},
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
        case OPT_FILES0: s->files0 = o.arg; break;
        case UO_HELP: r = u_help(c, "[OPTION]... [FILE]..."); break;
        case UO_VERSION: r = u_version(c); break;
        default: r = 1; break;
        }
    }
    if (r < 0 && s->files0 && o.ops.n) {
        char *q = u_quote(o.ops.v[0]);
        uc_error(c, "extra operand %s", q);
        free(q);
        uc_puts(c, 2, "file operands cannot be combined with --files0-from\n");
        u_try_help(c);
        r = 1;
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
    s->utf8 = (s->show[WC_CHARS] || s->show[WC_WORDS] || s->show[WC_MAXLEN]) && mb_utf8_locale(c);
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

/* stat of an input as GNU's get_input_fstatus: "-" and the /dev/ names
 * (which may be the shell's own fds) through uc_open. */
static bool input_stat(Wc *s, const char *name, struct stat *st) {
    if (strcmp(name, "-") && strncmp(name, "/dev/", 5)) return stat(name, st) == 0;
    UcFile *f = uc_open(s->c, name, "r");
    if (!f) return false;
    bool ok = uc_fstat(f, st) == 0;
    uc_close(f);
    return ok;
}

/* GNU's column width: 1 for a single count of a single input or when the
 * first input cannot be stat'ed; else the digits of the total size of the
 * regular files, at least 7 when an input is not a regular file. */
static int wc_width(Wc *s, char *const *names, size_t n) {
    if (n == 0 || (n == 1 && wc_nshown(s) == 1)) return 1;
    uintmax_t total = 0;
    int width = 1, minimum = 1;
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (!input_stat(s, names[i], &st)) {
            if (i == 0) return 1;
            continue;
        }
        if (S_ISREG(st.st_mode))
            total += (uintmax_t)st.st_size;
        else
            minimum = 7;
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
    if (s && (s->files0 || !u_push_ok(&s->ops))) {
        *status = -1;
        wc_free(s);
        return NULL;
    }
    if (s) {
        char *dash = "-";
        s->width = s->ops.n ? wc_width(s, &dash, 1) : wc_nshown(s) == 1 ? 1 : 7;
    }
    return s;
}

static int wc_finish(void *st) {
    Wc *s = st;
    wc_end_input(s, s->ops.n ? "-" : NULL);
    return wc_free(s);
}

static void wc_file(Wc *s, const char *name, bool named) {
    UcFile *f = uc_open(s->c, name, "r");
    if (!f) {
        int e = errno;
        uout_flush(&s->out);
        u_err_file(s->c, name, e);
        s->status = 1;
        return;
    }
    int r = u_pump(s->c, f, wc_feed, s);
    if (r < 0) {
        int e = errno;
        uout_flush(&s->out);
        u_err_file(s->c, name, e);
        s->status = 1;
    }
    uc_close(f);
    wc_end_input(s, named ? name : NULL);
}

/* Reads the NUL-separated names of --files0-from. Returns false (after a
 * message) when the list cannot be read. */
static bool read_names(Wc *s, StrList *names) {
    UcFile *f = uc_open(s->c, s->files0, "r");
    if (!f) {
        int e = errno ? errno : ENOENT;
        char *q = u_quote(s->files0);
        uc_error(s->c, "cannot open %s for reading: %s", q, u_strerror(e));
        free(q);
        return false;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = uc_getdelim(f, &line, &cap, 0)) > 0) {
        if (line[n - 1] == 0) n--;
        line[n] = 0;
        sl_push_copy(names, line);
    }
    free(line);
    uc_close(f);
    return true;
}

/* A name of --files0-from that cannot be used: reported, as GNU does. */
static bool bad_listed_name(Wc *s, const char *name, size_t index) {
    bool from_stdin = !strcmp(s->files0, "-");
    if (from_stdin && !strcmp(name, "-")) {
        uc_error(s->c, "when reading file names from stdin, no file name of '-' allowed");
        return true;
    }
    if (*name) return false;
    char *q = u_quotef(s->files0);
    uc_error(s->c, "%s:%zu: invalid zero-length file name", q, index + 1);
    free(q);
    return true;
}

int util_wc_main(UtilCtx *c, int argc, char **argv) {
    int status = 0;
    Wc *s = wc_parse(c, argc, argv, &status);
    if (!s) return status;
    StrList names;
    sl_init(&names);
    if (s->files0 && !read_names(s, &names)) {
        sl_free(&names);
        s->status = 1;
        return wc_free(s);
    }
    StrList *list = s->files0 ? &names : &s->ops;
    bool named = s->files0 || s->ops.n;
    if (!s->files0 && !s->ops.n) sl_push_copy(&s->ops, "-");
    s->width = wc_width(s, list->v, list->n);
    for (size_t i = 0; i < list->n && !s->out.err && !uc_should_stop(c); i++) {
        if (s->files0 && bad_listed_name(s, list->v[i], i)) {
            s->status = 1;
            continue;
        }
        wc_file(s, list->v[i], named);
    }
    if (list->n > 1) wc_print(s, s->total, "total");
    sl_free(&names);
    return wc_free(s);
}

const UtilPushOps util_wc_push = {wc_start, wc_feed, wc_finish};
