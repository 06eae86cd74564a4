/* pager.c - bat/batcat, less and more as they behave when stdout is not a
 * terminal (never a terminal here): they copy their input. bat keeps its
 * --line-range and -A (show non-printing characters); more puts a
 * "::::::::::::::" header before each named file, as util-linux more does
 * when not writing to a terminal. Options that only matter on a terminal
 * (paging, styles, themes, colours, -N, -S, -R) are accepted and ignored. */
#include "ucommon.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---------------- bat ---------------- */

typedef struct BatRange {
    long from, to; /* 1-based, inclusive; 0 = open end */
} BatRange;

static bool bat_range(const char *s, BatRange *r) {
    char *end;
    r->from = 1, r->to = 0;
    if (*s == ':') {
        r->to = strtol(s + 1, &end, 10);
        return *end == 0 && end != s + 1;
    }
    r->from = strtol(s, &end, 10);
    if (end == s) return false;
    if (!*end) return r->to = r->from, true;
    if (*end != ':') return false;
    if (!end[1]) return true;
    if (end[1] == '+') {
        char *e2;
        long n = strtol(end + 2, &e2, 10);
        r->to = r->from + n;
        return !*e2;
    }
    char *e2;
    r->to = strtol(end + 1, &e2, 10);
    return !*e2;
}

/* -A: bat's visible forms of whitespace and control characters. */
static void bat_show_all(UOut *out, const char *s, size_t n) {
    size_t col = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if ((ch & 0xc0) != 0x80) col++;
        if (ch == '\t') {
            /* the tab's cells up to the next stop of 4 */
            size_t w = 4 - (col - 1) % 4;
            col += w - 1;
            if (w == 1) {
                uout_puts(out, "\xe2\x86\xb9");
                continue;
            }
            uout_puts(out, "\xe2\x94\x9c");
            for (size_t j = 2; j < w; j++) uout_puts(out, "\xe2\x94\x80");
            uout_puts(out, "\xe2\x94\xa4");
        }
        else if (ch == ' ') uout_puts(out, "\xc2\xb7");
        else if (ch == '\n') uout_puts(out, "\xe2\x90\x8a\n");
        else if (ch == '\r') uout_puts(out, "\xe2\x90\x8d");
        else if (ch < 32) uout_printf(out, "\xe2\x90%c", (char)(0x80 + ch));
        else if (ch == 127) uout_puts(out, "\xe2\x90\xa1");
        else uout_putc(out, (char)ch);
    }
}

static bool bat_copy(UtilCtx *c, UOut *out, const char *path, const BatRange *ranges, size_t nr, bool show_all) {
    UcFile *f = uc_open(c, path, "r");
    if (!f) {
        uout_flush(out);
        uc_printf(c, 2, "\x1b[31m[bat error]\x1b[0m: '%s': %s (os error %d)\n", path, u_strerror(errno), errno);
        return false;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long lineno = 0;
    while ((n = uc_getdelim(f, &line, &cap, '\n')) >= 0) {
        lineno++;
        bool keep = !nr;
        for (size_t i = 0; i < nr && !keep; i++)
            keep = lineno >= ranges[i].from && (!ranges[i].to || lineno <= ranges[i].to);
        if (!keep) continue;
        if (show_all) bat_show_all(out, line, (size_t)n);
        else uout_put(out, line, (size_t)n);
        if ((lineno & 4095) == 0 && uc_should_stop(c)) break;
    }
    free(line);
    uc_close(f);
    return true;
}

static const UOptLong bat_longs[] = {
    {"plain", UO_NOARG, 'p'},        {"number", UO_NOARG, 'n'},        {"show-all", UO_NOARG, 'A'},
    {"language", UO_REQ, 'l'},       {"line-range", UO_REQ, 'r'},      {"paging", UO_REQ, 'P' + 0x100},
    {"style", UO_REQ, 's' + 0x100},  {"color", UO_REQ, 'c' + 0x100},   {"decorations", UO_REQ, 'd' + 0x100},
    {"theme", UO_REQ, 't' + 0x100},  {"wrap", UO_REQ, 'w' + 0x100},    {"tabs", UO_REQ, 'T' + 0x100},
    {"highlight-line", UO_REQ, 'H'}, {"file-name", UO_REQ, 'f' + 0x100}, {"unbuffered", UO_NOARG, 'u'},
    {"terminal-width", UO_REQ, 'W' + 0x100}, {"no-paging", UO_NOARG, 'P'}, {"chop-long-lines", UO_NOARG, 'S'},
    {"italic-text", UO_REQ, 'i' + 0x100}, {"map-syntax", UO_REQ, 'm'}, {"pager", UO_REQ, 'g' + 0x100},
    {NULL, 0, 0},
};

int util_bat_main(UtilCtx *c, int argc, char **argv) {
    UOpts o;
    uopt_init(&o, c, argc, argv, "pnAl:r:H:uPSm:", bat_longs);
    int k, r = -1;
    bool show_all = false;
    BatRange ranges[16];
    size_t nr = 0;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) {
        switch (k) {
        case 'A': show_all = true; break;
        case 'r':
            if (nr < 16 && !bat_range(o.arg, &ranges[nr])) {
                uc_printf(c, 2, "[bat error]: Invalid line range: %s\n", o.arg);
                r = 1;
            } else if (nr < 16) {
                nr++;
            }
            break;
        case UO_HELP: r = u_help(c, "[OPTIONS] [FILE]..."); break;
        case UO_VERSION: r = (uc_puts(c, 1, "bat 0.22.1\n"), 0); break;
        case UO_ERR: r = 1; break;
        default: break;
        }
    }
    if (r >= 0) {
        uopt_free(&o);
        return r;
    }
    if (!o.ops.n) sl_push_copy(&o.ops, "-");
    UOut out;
    uout_init(&out, c, 1);
    int status = 0;
    for (size_t i = 0; i < o.ops.n; i++)
        if (!bat_copy(c, &out, o.ops.v[i], ranges, nr, show_all)) status = 1;
    if (uout_close(&out)) status = 1;
    uopt_free(&o);
    return status;
}

int util_batcat_main(UtilCtx *c, int argc, char **argv) { return util_bat_main(c, argc, argv); }

/* ---------------- less, more ---------------- */

/* Copies each file (or stdin); more adds its header per named file. */
static int page_files(UtilCtx *c, int argc, char **argv, bool more) {
    StrList files;
    sl_init(&files);
    bool opts_done = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!opts_done && !strcmp(a, "--")) {
            opts_done = true;
            continue;
        }
        if (!opts_done && !strcmp(a, "--help")) {
            sl_free(&files);
            return u_help(c, "[options] <file>...");
        }
        if (!opts_done && !strcmp(a, "--version")) {
            sl_free(&files);
            return uc_puts(c, 1, more ? "more from util-linux 2.38.1\n" : "less 590\n"), 0;
        }
        if (!opts_done && (a[0] == '-' || a[0] == '+') && a[1]) continue; /* terminal options */
        sl_push_copy(&files, a);
    }
    UOut out;
    uout_init(&out, c, 1);
    int status = 0;
    if (!files.n) sl_push_copy(&files, "-");
    for (size_t i = 0; i < files.n; i++) {
        const char *path = files.v[i];
        struct stat st;
        if (strcmp(path, "-") && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
            /* both say so on stdout, as they do when it is not a terminal */
            if (more) uout_printf(&out, "\n*** %s: directory ***\n\n", path);
            else uout_printf(&out, "%s is a directory\n", path);
            continue;
        }
        UcFile *f = uc_open(c, path, "r");
        if (!f) {
            int err = errno;
            uout_flush(&out);
            if (more) uc_printf(c, 2, "more: cannot open %s: %s\n", path, u_strerror(err));
            else uout_printf(&out, "%s: %s\n", path, u_strerror(err)); /* less: on stdout */
            continue;
        }
        if (more && strcmp(path, "-")) uout_printf(&out, "::::::::::::::\n%s\n::::::::::::::\n", path);
        char buf[65536];
        ssize_t n;
        while ((n = uc_fread(f, buf, sizeof buf)) > 0 && !uc_should_stop(c)) uout_put(&out, buf, (size_t)n);
        uc_close(f);
    }
    if (uout_close(&out)) status = 1;
    sl_free(&files);
    return status;
}

int util_less_main(UtilCtx *c, int argc, char **argv) { return page_files(c, argc, argv, false); }
int util_more_main(UtilCtx *c, int argc, char **argv) { return page_files(c, argc, argv, true); }
