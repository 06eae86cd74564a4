/* xxd.c - the xxd utility (Debian's xxd, vim 9.0, "xxd 2022-01-14"): hex dump
 * (-c -g -u -e -b -d -o -s -l -a), plain (-p), C include (-i -n -C) and
 * reverse (-r, -r -p, -r -s) modes; xxd [options] [infile [outfile]].
 * Options are parsed as xxd does (single dash, abbreviations like -ps,
 * -cols, numbers in C notation). -E (EBCDIC) is not supported. Reversing
 * into a pipe or new file fills forward gaps with zeros, as xxd does when it
 * cannot seek; going backwards is not possible here. */
#include "ucommon.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { HEX_NORMAL, HEX_PLAIN, HEX_INCLUDE, HEX_BITS, HEX_LITTLE };

typedef struct Xxd {
    UtilCtx *c;
    UOut out;
    int type;
    long cols, group;
    bool upper, autoskip, revert, decimal, capitalize;
    long long seek;
    int seek_mode;        /* 0 absolute, '+' relative, '-' from the end */
    bool seek_given;
    long long len;        /* -1: all */
    long long displace;
    const char *name;
    const char *in, *outname;
    /* autoskip state (xxd's xxdline) */
    char zline[2048];
    int zero_seen;
} Xxd;

static const char *usage_text =
    "Usage:\n"
    "       %s [options] [infile [outfile]]\n"
    "    or\n"
    "       %s -r [-s [-]offset] [-c cols] [-ps] [infile [outfile]]\n"
    "Options:\n"
    "    -a          toggle autoskip: A single '*' replaces nul-lines. Default off.\n"
    "    -b          binary digit dump (incompatible with -ps,-i,-r). Default hex.\n"
    "    -C          capitalize variable names in C include file style (-i).\n"
    "    -c cols     format <cols> octets per line. Default 16 (-i: 12, -ps: 30).\n"
    "    -E          show characters in EBCDIC. Default ASCII.\n"
    "    -e          little-endian dump (incompatible with -ps,-i,-r).\n"
    "    -g bytes    number of octets per group in normal output. Default 2 (-e: 4).\n"
    "    -h          print this summary.\n"
    "    -i          output in C include file style.\n"
    "    -l len      stop after <len> octets.\n"
    "    -n name     set the variable name used in C include output (-i).\n"
    "    -o off      add <off> to the displayed file position.\n"
    "    -ps         output in postscript plain hexdump style.\n"
    "    -r          reverse operation: convert (or patch) hexdump into binary.\n"
    "    -r -s off   revert with <off> added to file positions found in hexdump.\n"
    "    -d          show offset in decimal instead of hex.\n"
    "    -s [+][-]seek  start at <seek> bytes abs. (or +: rel.) infile offset.\n"
    "    -u          use upper case hex letters.\n"
    "    -v          show version: \"xxd 2022-01-14 by Juergen Weigert et al.\".\n";

static int usage(Xxd *s) {
    StrBuf b;
    sb_init(&b);
    sb_printf(&b, usage_text, uc_name(s->c), uc_name(s->c));
    uc_write(s->c, 2, b.s, b.len);
    sb_free(&b);
    return 1;
}

/* ---- option parsing as xxd's own loop ---- */

/* "-c8", "-c 8", "-cols 8": the value of an option taking one. */
static const char *opt_value(char **argv, int argc, int *i, const char *arg, size_t letters) {
    if (arg[letters]) return arg + letters;
    if (*i + 1 >= argc) return NULL;
    return argv[++*i];
}

static bool is_opt(const char *arg, const char *full, size_t min) {
    size_t n = strlen(arg + 1);
    return n >= min && !strncmp(arg + 1, full, n);
}

static int xxd_parse(Xxd *s, int argc, char **argv) {
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || !a[1]) break;
        if (!strcmp(a, "--")) {
            i++;
            break;
        }
        const char *v;
        if (is_opt(a, "autoskip", 1)) s->autoskip = !s->autoskip;
        else if (is_opt(a, "bits", 1)) s->type = HEX_BITS;
        else if (!strcmp(a, "-C") || !strcmp(a, "-capitalize")) s->capitalize = true;
        else if (!strcmp(a, "-d")) s->decimal = true;
        else if (!strcmp(a, "-e")) s->type = HEX_LITTLE;
        else if (!strcmp(a, "-E")) uc_error(s->c, "-E (EBCDIC) is not supported; showing ASCII");
        else if (is_opt(a, "upper", 1)) s->upper = true;
        else if (is_opt(a, "ps", 1) || is_opt(a, "postscript", 2) || is_opt(a, "plain", 2)) s->type = HEX_PLAIN;
        else if (is_opt(a, "include", 1)) s->type = HEX_INCLUDE;
        else if (is_opt(a, "revert", 1)) s->revert = true;
        else if (is_opt(a, "version", 1)) {
            uc_puts(s->c, 2, "xxd 2022-01-14 by Juergen Weigert et al.\n");
            return 0;
        } else if (is_opt(a, "help", 1)) {
            return usage(s);
        } else if (a[1] == 'c' && (v = opt_value(argv, argc, &i, a, strncmp(a, "-cols", 5) ? 2 : 5))) {
            s->cols = strtol(v, NULL, 0);
        } else if (a[1] == 'g' && (v = opt_value(argv, argc, &i, a, strncmp(a, "-groupsize", 10) ? 2 : 10))) {
            s->group = strtol(v, NULL, 0);
        } else if (a[1] == 'l' && (v = opt_value(argv, argc, &i, a, strncmp(a, "-len", 4) ? 2 : 4))) {
            s->len = strtoll(v, NULL, 0);
        } else if (a[1] == 'o' && (v = opt_value(argv, argc, &i, a, 2))) {
            s->displace = strtoll(v, NULL, 0);
        } else if (a[1] == 'n' && (v = opt_value(argv, argc, &i, a, strncmp(a, "-name", 5) ? 2 : 5))) {
            s->name = v;
        } else if (a[1] == 's' && (v = opt_value(argv, argc, &i, a, strncmp(a, "-skip", 5) && strncmp(a, "-seek", 5) ? 2 : 5))) {
            s->seek_given = true;
            if (*v == '+') s->seek_mode = '+', v++;
            if (*v == '-') s->seek_mode = s->seek_mode ? s->seek_mode : '-', v++;
            s->seek = strtoll(v, NULL, 0);
        } else {
            return usage(s);
        }
    }
    if (i < argc) s->in = argv[i++];
    if (i < argc) s->outname = argv[i++];
    if (i < argc) return usage(s);
    return -1;
}

/* ---- dumping ---- */

static void xxdline(Xxd *s, const char *l, int nz) {
    if (!nz && s->zero_seen == 1) snprintf(s->zline, sizeof s->zline, "%s", l);
    if (nz || !s->zero_seen++) {
        if (nz) {
            if (nz < 0) s->zero_seen--;
            if (s->zero_seen == 2) uout_puts(&s->out, s->zline);
            if (s->zero_seen > 2) uout_puts(&s->out, "*\n");
        }
        if (nz >= 0 || s->zero_seen > 0) uout_puts(&s->out, l);
        if (nz) s->zero_seen = 0;
    }
}

/* One line of the normal, bits or little-endian dump. */
static void dump_line(Xxd *s, long long addr, const unsigned char *b, long n, char *l, size_t cap) {
    const char *hex = s->upper ? "0123456789ABCDEF" : "0123456789abcdef";
    long grp = s->group > 0 && s->group <= s->cols ? s->group : s->cols;
    long ngroups = (s->cols + grp - 1) / grp;
    int digit_w = s->type == HEX_BITS ? 8 : 2;
    int pos = snprintf(l, cap, s->decimal ? "%08lld:" : "%08llx:", addr + s->displace);
    long hexw = digit_w * s->cols + ngroups;
    memset(l + pos, ' ', (size_t)hexw + 2);
    for (long p = 0; p < n; p++) {
        long g = p / grp, j = p % grp;
        long slot = s->type == HEX_LITTLE ? grp - 1 - j : j;
        char *d = l + pos + g * (digit_w * grp + 1) + 1 + slot * digit_w;
        if (s->type == HEX_BITS)
            for (int k = 0; k < 8; k++) d[k] = (char)('0' + ((b[p] >> (7 - k)) & 1));
        else
            d[0] = hex[b[p] >> 4], d[1] = hex[b[p] & 15];
    }
    int ascii = pos + (int)hexw + 2;
    for (long p = 0; p < n; p++) l[ascii + p] = b[p] >= 0x20 && b[p] < 0x7F ? (char)b[p] : '.';
    l[ascii + n] = '\n';
    l[ascii + n + 1] = 0;
}

static UcFile *open_input(Xxd *s) {
    errno = 0;
    UcFile *f = uc_open(s->c, s->in ? s->in : "-", "r");
    if (!f) uc_error(s->c, "%s: %s", s->in, u_strerror(errno ? errno : ENOENT));
    return f;
}

/* Skips to -s; false (after a message) when that is impossible. */
static bool do_seek(Xxd *s, UcFile *f, long long *pos) {
    *pos = 0;
    if (!s->seek_given) return true;
    long long target = s->seek;
    if (s->seek_mode == '-') {
        struct stat st;
        if (uc_fstat(f, &st) != 0 || !S_ISREG(st.st_mode)) {
            uc_error(s->c, "sorry cannot seek.");
            return false;
        }
        target = (long long)st.st_size - s->seek;
        if (target < 0) target = 0;
    }
    char buf[4096];
    while (*pos < target) {
        size_t want = target - *pos < (long long)sizeof buf ? (size_t)(target - *pos) : sizeof buf;
        ssize_t n = uc_fread(f, buf, want);
        if (n <= 0) break;
        *pos += n;
    }
    return true;
}

/* The C name of a file for -i: other characters than alnum become '_', a
 * leading digit gets "__" first; -C capitalizes. */
static char *c_name(const Xxd *s, const char *from) {
    StrBuf b;
    sb_init(&b);
    if (isdigit((unsigned char)from[0])) sb_puts(&b, "__");
    for (const char *p = from; *p; p++) {
        char ch = isalnum((unsigned char)*p) ? *p : '_';
        sb_putc(&b, s->capitalize ? (char)toupper((unsigned char)ch) : ch);
    }
    return sb_take(&b);
}

static int dump(Xxd *s, UcFile *f) {
    long long pos;
    if (!do_seek(s, f, &pos)) return 1;
    long cols = s->cols;
    unsigned char *buf = xmalloc((size_t)cols + 1);
    char *line = xmalloc((size_t)cols * 10 + 64);
    char *name = NULL;
    long long total = 0;
    if (s->type == HEX_INCLUDE && s->in && strcmp(s->in, "-")) {
        name = s->name ? xstrdup(s->name) : c_name(s, s->in);
        uout_printf(&s->out, "unsigned char %s[] = {\n", name);
    }
    long p = 0;
    int nonzero = 0;
    unsigned char in[65536];
    ssize_t have = 0, at = 0;
    for (;;) {
        if (s->len >= 0 && total >= s->len) break;
        if (at == have) {
            have = uc_fread(f, in, sizeof in);
            at = 0;
            if (have <= 0) break;
        }
        unsigned char ch = in[at++];
        total++;
        if (s->type == HEX_PLAIN) {
            uout_printf(&s->out, s->upper ? "%02X" : "%02x", ch);
            if (++p == cols) uout_putc(&s->out, '\n'), p = 0;
            continue;
        }
        if (s->type == HEX_INCLUDE) {
            uout_puts(&s->out, total == 1 ? "  " : p == 0 ? ",\n  " : ", ");
            uout_printf(&s->out, s->upper ? "0X%02X" : "0x%02x", ch);
            if (++p == cols) p = 0;
            continue;
        }
        buf[p++] = ch;
        nonzero += ch != 0;
        if (p == cols) {
            dump_line(s, pos, buf, p, line, (size_t)cols * 10 + 64);
            xxdline(s, line, s->autoskip ? nonzero : 1);
            pos += p;
            p = 0;
            nonzero = 0;
        }
        if ((total & 65535) == 0 && (uout_flush(&s->out) < 0 || uc_should_stop(s->c))) break;
    }
    if (s->type == HEX_PLAIN) {
        if (p) uout_putc(&s->out, '\n');
    } else if (s->type == HEX_INCLUDE) {
        if (total) uout_putc(&s->out, '\n');
        if (name) uout_printf(&s->out, "};\nunsigned int %s_len = %lld;\n", name, total);
    } else if (p) {
        dump_line(s, pos, buf, p, line, (size_t)cols * 10 + 64);
        xxdline(s, line, 1);
    } else if (s->autoskip) {
        xxdline(s, line, -1);
    }
    free(name);
    free(buf);
    free(line);
    return 0;
}

/* ---- reverse (xxd's huntype) ---- */

static int hexval(int ch) {
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

/* The state of xxd's huntype loop, fed one character at a time. */
typedef struct Hunt {
    int n1, n2, n3;
    long p;
    bool ign_garb, skipping;
    long long have, want, base;
} Hunt;

static void hunt_char(Xxd *s, Hunt *h, int c) {
    bool plain = s->type == HEX_PLAIN;
    if (h->skipping) { /* skip_to_eol */
        if (c != '\n') return;
        h->skipping = false;
    } else {
        if (c == '\r') return;
        if (plain && (c == ' ' || c == '\n' || c == '\t')) return;
        h->n3 = h->n2;
        h->n2 = h->n1;
        h->n1 = hexval(c);
        if (h->n1 == -1 && h->ign_garb) return;
        h->ign_garb = false;
        if (!plain && h->p >= s->cols) {
            if (h->n1 < 0) h->p = 0;
            else h->want = (h->want << 4) | h->n1;
            return;
        }
        if (h->base + h->want != h->have) {
            /* cannot seek: fill a forward gap with zeros */
            for (; h->have < h->base + h->want; h->have++) uout_putc(&s->out, 0);
            h->have = h->base + h->want;
        }
        if (h->n2 >= 0 && h->n1 >= 0) {
            uout_putc(&s->out, (char)(h->n2 << 4 | h->n1));
            h->have++;
            h->want++;
            h->n1 = -1;
            if (!plain && ++h->p >= s->cols) h->skipping = c != '\n';
        } else if (h->n1 < 0 && h->n2 < 0 && h->n3 < 0) {
            h->skipping = c != '\n';
        }
        if (h->skipping) return;
    }
    if (c == '\n') {
        if (!plain) h->want = 0;
        h->p = s->cols;
        h->ign_garb = true;
    }
}

static int revert(Xxd *s, UcFile *f) {
    Hunt h = {-1, 0, 0, s->cols, true, false, 0, 0, 0};
    if (s->seek_given) h.base = s->seek_mode == '-' ? -s->seek : s->seek;
    char buf[65536];
    ssize_t n;
    while ((n = uc_fread(f, buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < n; i++) hunt_char(s, &h, (unsigned char)buf[i]);
        if (uout_flush(&s->out) < 0 || uc_should_stop(s->c)) break;
    }
    return 0;
}

int util_xxd_main(UtilCtx *c, int argc, char **argv) {
    Xxd s;
    memset(&s, 0, sizeof s);
    s.c = c;
    s.len = -1;
    s.group = -1;
    int r = xxd_parse(&s, argc, argv);
    if (r >= 0) return r;
    if (s.cols < 0 || s.cols > 256) {
        uc_error(c, "invalid number of columns (max. 256).");
        return 1;
    }
    if (!s.cols) s.cols = s.type == HEX_PLAIN ? 30 : s.type == HEX_INCLUDE ? 12 : s.type == HEX_BITS ? 6 : 16;
    if (s.group < 0) s.group = s.type == HEX_BITS ? 1 : s.type == HEX_LITTLE ? 4 : 2;
    if (s.type == HEX_LITTLE && (s.group & (s.group - 1))) {
        uc_error(c, "number of octets per group must be a power of 2 with -e.");
        return 1;
    }
    if (s.in && !strcmp(s.in, "-")) s.in = NULL;
    UcFile *f = open_input(&s);
    if (!f) return 2;
    UcFile *of = NULL;
    if (s.outname && strcmp(s.outname, "-")) {
        errno = 0;
        of = uc_open(c, s.outname, "w");
        if (!of) {
            uc_error(c, "%s: %s", s.outname, u_strerror(errno ? errno : EIO));
            uc_close(f);
            return 3;
        }
        uout_init_file(&s.out, c, of);
    } else {
        uout_init(&s.out, c, 1);
    }
    r = s.revert ? revert(&s, f) : dump(&s, f);
    r |= uout_close(&s.out);
    uc_close(f);
    if (of) uc_close(of);
    return r;
}
