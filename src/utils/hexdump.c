/* hexdump.c - the hexdump utility (util-linux 2.38, Debian's bsdextrautils):
 * -b -c -C -d -o -x (and the default), -e FORMAT, -f FILE, -n LENGTH,
 * -s OFFSET, -v, files concatenated.
 *
 * Every option is a format in hexdump's language: units of the form
 * [iterations][/bytecount] "text with conversions" (%d %i %o %u %x %X %c
 * %e %E %f %g %G %s, %_a[dox] %_A[dox] addresses, %_c %_p %_u characters),
 * applied to each block of input in turn. The data runs out in the last
 * block: conversions past its end print as blanks of their width. A block
 * equal to the previous one becomes "*" unless -v. Formats are validated
 * and rebuilt here before use: only these conversions reach snprintf. */
#include "ucommon.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { F_TEXT, F_ADDRESS, F_INT, F_UINT, F_DBL, F_CHAR, F_STR, F_C, F_P, F_U };

typedef struct Conv {
    int kind;
    char fmt[48];     /* the rebuilt printf format (one conversion at most) */
    char pad_fmt[48]; /* the same width as %s, for blanks past the data */
    int bcnt;         /* bytes consumed */
    char radix;       /* addresses: d o x */
    bool end_address; /* %_A */
    bool nospace;     /* drop a trailing space on the last iteration */
    char *text;       /* F_TEXT: the literal text (may hold NUL bytes) */
    size_t tlen;
} Conv;

typedef struct Unit {
    int reps;
    bool reps_set;
    int bcnt;         /* the unit's byte count (0: from the conversions) */
    Conv *conv;
    size_t nconv;
} Unit;

typedef struct Fmt {
    Unit *units;
    size_t nunits;
    int bcnt;         /* bytes one pass over the units consumes */
} Fmt;

typedef struct Hexdump {
    UtilCtx *c;
    UOut out;
    Fmt *fmts;
    size_t nfmts;
    size_t blocksize;
    bool verbose;
    intmax_t length;  /* -n, -1 = all */
    uintmax_t skip;
    uintmax_t address, eaddress;
    bool have_end;
    int status;
    StrList ops;
} Hexdump;

/* ---- parsing the format language ---- */

static void bad(Hexdump *s, const char *what, const char *detail) {
    uc_error(s->c, "%s%s", what, detail ? detail : "");
    s->status = 1;
}

static void bad_format(Hexdump *s, const char *f) {
    uc_error(s->c, "bad format {%s}", f);
    s->status = 1;
}

/* Backslash escapes of format text. */
static void unescape(StrBuf *b, const char *p, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (p[i] != '\\' || i + 1 == n) {
            sb_putc(b, p[i]);
            continue;
        }
        char e = p[++i];
        const char *from = "abfnrtv0\\\"", *to = "\a\b\f\n\r\t\v\0\\\"";
        const char *q = strchr(from, e);
        if (q && e) sb_putc(b, to[q - from]);
        else sb_putc(b, '\\'), sb_putc(b, e);
    }
}

static void add_conv(Unit *u, const Conv *cv) {
    u->conv = xrealloc(u->conv, (u->nconv + 1) * sizeof *u->conv);
    u->conv[u->nconv++] = *cv;
}

static void add_text(Unit *u, const char *p, size_t n) {
    if (!n) return;
    Conv cv;
    memset(&cv, 0, sizeof cv);
    cv.kind = F_TEXT;
    /* literal text is written as data, never used as a format */
    cv.text = xstrndup(p, n);
    memcpy(cv.text, p, n);
    cv.tlen = n;
    add_conv(u, &cv);
}

/* Parses one conversion at p (after '%'); fills cv; returns its length or 0. */
static size_t parse_conv(Hexdump *s, const Unit *u, const char *p, Conv *cv) {
    size_t i = 0;
    char flags[8];
    size_t nf = 0;
    while (p[i] && strchr("-+ #0", p[i]) && nf < sizeof flags - 1) flags[nf++] = p[i++];
    flags[nf] = 0;
    char width[8] = "", prec[8] = "";
    size_t w = 0;
    while (isdigit((unsigned char)p[i]) && w < sizeof width - 1) width[w++] = p[i++];
    width[w] = 0;
    bool has_prec = p[i] == '.';
    if (has_prec) {
        i++;
        size_t k = 0;
        while (isdigit((unsigned char)p[i]) && k < sizeof prec - 1) prec[k++] = p[i++];
        prec[k] = 0;
    }
    memset(cv, 0, sizeof *cv);
    char ch = p[i++];
    const char *len_mod = "";
    char conv = ch;
    int ubc = u->bcnt;
    switch (ch) {
    case '_': {
        char sub = p[i++];
        if (sub == 'a' || sub == 'A') {
            char r = p[i++];
            if (!r || !strchr("dox", r)) {
                bad(s, "bad conversion character %_", (char[]){sub, r, 0});
                return 0;
            }
            cv->kind = F_ADDRESS;
            cv->radix = r;
            cv->end_address = sub == 'A';
            len_mod = "j";
            conv = r;
        } else if (sub == 'c' || sub == 'p' || sub == 'u') {
            cv->kind = sub == 'c' ? F_C : sub == 'p' ? F_P : F_U;
            cv->bcnt = 1;
            conv = sub == 'p' ? 'c' : 's';
        } else {
            bad(s, "bad conversion character %_", (char[]){sub, 0});
            return 0;
        }
        break;
    }
    case 'c':
        cv->kind = F_CHAR;
        cv->bcnt = 1;
        break;
    case 'd': case 'i': case 'o': case 'u': case 'x': case 'X':
        cv->kind = ch == 'd' || ch == 'i' ? F_INT : F_UINT;
        cv->bcnt = ubc ? ubc : 4;
        if (cv->bcnt != 1 && cv->bcnt != 2 && cv->bcnt != 4 && cv->bcnt != 8) {
            bad(s, "bad byte count for conversion character ", (char[]){ch, 0});
            return 0;
        }
        len_mod = "j";
        break;
    case 'e': case 'E': case 'f': case 'g': case 'G':
        cv->kind = F_DBL;
        cv->bcnt = ubc ? ubc : 8;
        if (cv->bcnt != 4 && cv->bcnt != 8) {
            bad(s, "bad byte count for conversion character ", (char[]){ch, 0});
            return 0;
        }
        break;
    case 's':
        cv->kind = F_STR;
        cv->bcnt = has_prec && *prec ? atoi(prec) : ubc;
        if (!cv->bcnt) {
            bad(s, "%s requires a precision or a byte count", NULL);
            return 0;
        }
        break;
    default:
        bad(s, "bad conversion character %", (char[]){ch, 0});
        return 0;
    }
    snprintf(cv->fmt, sizeof cv->fmt, "%%%s%s%s%s%s%c", flags, width, has_prec ? "." : "", prec, len_mod, conv);
    snprintf(cv->pad_fmt, sizeof cv->pad_fmt, "%%%ss", width);
    return i;
}

/* One format string (-e): units separated by blanks. */
static bool parse_format(Hexdump *s, const char *f, Fmt *fmt) {
    memset(fmt, 0, sizeof *fmt);
    const char *p = f;
    for (;;) {
        while (isspace((unsigned char)*p)) p++;
        if (!*p) break;
        Unit u;
        memset(&u, 0, sizeof u);
        u.reps = 1;
        if (isdigit((unsigned char)*p)) {
            u.reps = atoi(p);
            u.reps_set = true;
            while (isdigit((unsigned char)*p)) p++;
            while (isspace((unsigned char)*p)) p++;
            if (*p != '/' && *p != '"') {
                bad_format(s, f);
                return false;
            }
        }
        if (*p == '/') {
            p++;
            while (isspace((unsigned char)*p)) p++;
            if (!isdigit((unsigned char)*p)) {
                bad_format(s, f);
                return false;
            }
            u.bcnt = atoi(p);
            while (isdigit((unsigned char)*p)) p++;
            while (isspace((unsigned char)*p)) p++;
        }
        if (*p != '"') {
            bad_format(s, f);
            return false;
        }
        const char *start = ++p;
        while (*p && !(*p == '"' && p[-1] != '\\')) p++;
        if (!*p) {
            bad_format(s, f);
            return false;
        }
        StrBuf text;
        sb_init(&text);
        unescape(&text, start, (size_t)(p - start));
        p++;
        /* split the text into literal pieces and conversions */
        const char *t = text.s ? text.s : "", *end = t + text.len, *lit = t;
        bool ok = true;
        while (t < end && ok) {
            if (*t != '%') {
                t++;
                continue;
            }
            if (t + 1 < end && t[1] == '%') {
                add_text(&u, lit, (size_t)(t - lit) + 1);
                t += 2;
                lit = t;
                continue;
            }
            add_text(&u, lit, (size_t)(t - lit));
            Conv cv;
            size_t n = parse_conv(s, &u, t + 1, &cv);
            if (!n) {
                ok = false;
                break;
            }
            add_conv(&u, &cv);
            t += 1 + n;
            lit = t;
        }
        if (ok) add_text(&u, lit, (size_t)(end - lit));
        sb_free(&text);
        size_t nconv = 0;
        for (size_t i = 0; i < u.nconv; i++) nconv += u.conv[i].kind != F_TEXT && u.conv[i].kind != F_ADDRESS;
        if (ok && u.bcnt && nconv > 1) {
            bad(s, "byte count with multiple conversion characters", NULL);
            ok = false;
        }
        fmt->units = xrealloc(fmt->units, (fmt->nunits + 1) * sizeof *fmt->units);
        fmt->units[fmt->nunits++] = u;
        if (!ok) return false;
    }
    return true;
}

static int unit_bcnt(const Unit *u) {
    if (u->bcnt) return u->bcnt;
    int n = 0;
    for (size_t i = 0; i < u->nconv; i++)
        if (u->conv[i].kind != F_TEXT && u->conv[i].kind != F_ADDRESS) n += u->conv[i].bcnt;
    return n;
}

/* GNU/BSD rules after parsing: block size, the last unit repeating to fill
 * the block, and no trailing blank on a unit's last iteration. */
static void finish_formats(Hexdump *s) {
    s->blocksize = 0;
    for (size_t f = 0; f < s->nfmts; f++) {
        Fmt *fm = &s->fmts[f];
        fm->bcnt = 0;
        for (size_t i = 0; i < fm->nunits; i++) fm->bcnt += unit_bcnt(&fm->units[i]) * fm->units[i].reps;
        if ((size_t)fm->bcnt > s->blocksize) s->blocksize = (size_t)fm->bcnt;
    }
    for (size_t f = 0; f < s->nfmts; f++) {
        Fmt *fm = &s->fmts[f];
        for (size_t i = 0; i < fm->nunits; i++) {
            Unit *u = &fm->units[i];
            int ub = unit_bcnt(u);
            if (i + 1 == fm->nunits && (size_t)fm->bcnt < s->blocksize && !u->reps_set && ub)
                u->reps += (int)((s->blocksize - (size_t)fm->bcnt) / (size_t)ub);
            if (u->reps > 1 && u->nconv) {
                Conv *last = &u->conv[u->nconv - 1];
                if (last->kind == F_TEXT && last->tlen && isspace((unsigned char)last->text[last->tlen - 1]))
                    last->nospace = true;
            }
        }
    }
}

/* ---- output ---- */

static void put_conv(Hexdump *s, const Conv *cv, const unsigned char *bp, size_t left, bool past_end, bool last_rep) {
    if (cv->kind == F_TEXT) {
        size_t n = cv->tlen;
        if (last_rep && cv->nospace) n--;
        uout_put(&s->out, cv->text, n);
        return;
    }
    if (cv->kind == F_ADDRESS) {
        uout_printf(&s->out, cv->fmt, (uintmax_t)s->address);
        return;
    }
    if (past_end) {
        uout_printf(&s->out, cv->pad_fmt, "");
        return;
    }
    static const char *const names[] = {"nul", "soh", "stx", "etx", "eot", "enq", "ack", "bel", "bs", "ht", "lf",
                                        "vt", "ff", "cr", "so", "si", "dle", "dc1", "dc2", "dc3", "dc4", "nak",
                                        "syn", "etb", "can", "em", "sub", "esc", "fs", "gs", "rs", "us"};
    switch (cv->kind) {
    case F_CHAR: uout_printf(&s->out, cv->fmt, bp[0]); break;
    case F_P: uout_printf(&s->out, cv->fmt, isprint(bp[0]) ? bp[0] : '.'); break;
    case F_C: {
        unsigned char ch = bp[0];
        const char *esc = ch == 0 ? "\\0" : ch == '\a' ? "\\a" : ch == '\b' ? "\\b" : ch == '\f' ? "\\f"
                        : ch == '\n' ? "\\n" : ch == '\r' ? "\\r" : ch == '\t' ? "\\t" : ch == '\v' ? "\\v" : NULL;
        char buf[8];
        if (esc) snprintf(buf, sizeof buf, "%s", esc);
        else if (isprint(ch)) snprintf(buf, sizeof buf, "%c", ch);
        else snprintf(buf, sizeof buf, "%03o", ch);
        uout_printf(&s->out, cv->fmt, buf);
        break;
    }
    case F_U: {
        unsigned char ch = bp[0];
        char buf[8];
        if (ch <= 0x1F) snprintf(buf, sizeof buf, "%s", names[ch]);
        else if (ch == 0x7F) snprintf(buf, sizeof buf, "del");
        else if (isprint(ch)) snprintf(buf, sizeof buf, "%c", ch);
        else snprintf(buf, sizeof buf, "%x", ch);
        uout_printf(&s->out, cv->fmt, buf);
        break;
    }
    case F_STR: {
        /* as BSD: the string runs to a NUL or the end of the block */
        char *str = xstrndup((const char *)bp, left);
        uout_printf(&s->out, cv->fmt, str);
        free(str);
        break;
    }
    case F_DBL: {
        double d;
        if (cv->bcnt == 4) {
            float f;
            memcpy(&f, bp, 4);
            d = f;
        } else {
            memcpy(&d, bp, 8);
        }
        uout_printf(&s->out, cv->fmt, d);
        break;
    }
    default: {
        uint64_t v = 0;
        memcpy(&v, bp, (size_t)cv->bcnt); /* little-endian, as the reference host */
        if (cv->kind == F_INT) {
            int bits = 8 * cv->bcnt;
            intmax_t sv = bits == 64 ? (intmax_t)(int64_t)v
                          : (v & (1ull << (bits - 1))) ? (intmax_t)v - (intmax_t)(1ull << bits) : (intmax_t)v;
            uout_printf(&s->out, cv->fmt, sv);
        } else {
            uout_printf(&s->out, cv->fmt, (uintmax_t)v);
        }
        break;
    }
    }
}

static bool unit_has_end(const Unit *u) {
    for (size_t k = 0; k < u->nconv; k++)
        if (u->conv[k].kind == F_ADDRESS && u->conv[k].end_address) return true;
    return false;
}

static void display_block(Hexdump *s, const unsigned char *blk) {
    uintmax_t saved = s->address;
    for (size_t f = 0; f < s->nfmts; f++) {
        const unsigned char *bp = blk;
        s->address = saved;
        Fmt *fm = &s->fmts[f];
        for (size_t i = 0; i < fm->nunits; i++) {
            Unit *u = &fm->units[i];
            if (unit_has_end(u)) break; /* printed once at the end (BSD's F_IGNORE) */
            for (int rep = u->reps; rep > 0; rep--) {
                for (size_t k = 0; k < u->nconv; k++) {
                    Conv *cv = &u->conv[k];
                    bool past = s->have_end && s->address >= s->eaddress;
                    size_t left = (size_t)(blk + s->blocksize - bp);
                    put_conv(s, cv, bp, bp <= blk + s->blocksize ? left : 0, past, rep == 1);
                    if (cv->kind != F_TEXT && cv->kind != F_ADDRESS) {
                        s->address += (uintmax_t)cv->bcnt;
                        bp += cv->bcnt;
                    }
                }
            }
        }
    }
    s->address = saved;
}

/* The last unit with %_A, printed once after the data (BSD's endfu). */
static void display_end(Hexdump *s) {
    Unit *end = NULL;
    for (size_t f = 0; f < s->nfmts; f++)
        for (size_t i = 0; i < s->fmts[f].nunits; i++)
            if (unit_has_end(&s->fmts[f].units[i])) end = &s->fmts[f].units[i];
    if (!end) return;
    if (!s->have_end) {
        if (!s->address) return;
        s->eaddress = s->address;
    }
    for (size_t k = 0; k < end->nconv; k++) {
        Conv *cv = &end->conv[k];
        if (cv->kind == F_ADDRESS) uout_printf(&s->out, cv->fmt, (uintmax_t)s->eaddress);
        else if (cv->kind == F_TEXT) uout_put(&s->out, cv->text, cv->tlen);
    }
}

/* ---- input: blocks, with duplicate suppression (hexdump's get()) ---- */

typedef struct Input {
    Hexdump *s;
    size_t next;     /* next operand */
    UcFile *f;
    bool eof_all;
    bool any;        /* an input could be opened */
} Input;

static bool open_next_input(Input *in) {
    Hexdump *s = in->s;
    while (in->next < s->ops.n) {
        const char *name = s->ops.v[in->next++];
        in->f = u_open_in(s->c, name);
        if (in->f) return in->any = true;
        s->status = 1;
    }
    return false;
}

static size_t read_bytes(Input *in, unsigned char *buf, size_t want) {
    size_t got = 0;
    while (got < want && !in->eof_all) {
        if (!in->f && !open_next_input(in)) {
            in->eof_all = true;
            break;
        }
        ssize_t n = uc_fread(in->f, buf + got, want - got);
        if (n <= 0) {
            uc_close(in->f);
            in->f = NULL;
            continue;
        }
        got += (size_t)n;
    }
    return got;
}

/* Skips n bytes; returns how many there were. */
static uintmax_t skip_input(Input *in, uintmax_t n) {
    unsigned char buf[4096];
    uintmax_t done = 0;
    while (done < n) {
        size_t k = n - done < sizeof buf ? (size_t)(n - done) : sizeof buf;
        size_t got = read_bytes(in, buf, k);
        if (!got) break;
        done += got;
    }
    return done;
}

static void hexdump_run(Hexdump *s) {
    Input in = {s, 0, NULL, false, false};
    s->address = skip_input(&in, s->skip);
    unsigned char *cur = xcalloc(1, s->blocksize), *prev = xcalloc(1, s->blocksize);
    bool first = true, dup = false;
    uintmax_t blocks = 0;
    for (;;) {
        size_t want = s->blocksize;
        if (s->length >= 0 && (uintmax_t)s->length < want) want = (size_t)s->length;
        size_t got = want ? read_bytes(&in, cur, want) : 0;
        if (s->length >= 0) s->length -= (intmax_t)got;
        if (got < s->blocksize) {
            if (!got) break;
            memset(cur + got, 0, s->blocksize - got);
            s->have_end = true;
            s->eaddress = s->address + got;
            display_block(s, cur);
            s->address += got;
            break;
        }
        if (!s->verbose && !first && !memcmp(cur, prev, s->blocksize)) {
            if (!dup) uout_puts(&s->out, "*\n");
            dup = true;
        } else {
            dup = false;
            display_block(s, cur);
        }
        first = false;
        s->address += s->blocksize;
        unsigned char *t = prev;
        prev = cur;
        cur = t;
        if (s->out.err || ((++blocks & 1023) == 0 && (uout_flush(&s->out) < 0 || uc_should_stop(s->c)))) break;
    }
    if (!in.any) {
        uc_error(s->c, "all input file arguments failed");
        s->status = 1;
    }
    display_end(s);
    if (in.f) uc_close(in.f);
    free(cur);
    free(prev);
}

/* ---- options ---- */

static const char *const canned[] = {
    /* b */ "\"%07.7_Ax\\n\"\n\"%07.7_ax \" 16/1 \"%03o \" \"\\n\"",
    /* c */ "\"%07.7_Ax\\n\"\n\"%07.7_ax \" 16/1 \"%3_c \" \"\\n\"",
    /* C */ "\"%08.8_Ax\\n\"\n\"%08.8_ax  \" 8/1 \"%02x \" \"  \" 8/1 \"%02x \"\n\"  |\" 16/1 \"%_p\" \"|\\n\"",
    /* d */ "\"%07.7_Ax\\n\"\n\"%07.7_ax \" 8/2 \"  %05u \" \"\\n\"",
    /* o */ "\"%07.7_Ax\\n\"\n\"%07.7_ax \" 8/2 \" %06o \" \"\\n\"",
    /* x */ "\"%07.7_Ax\\n\"\n\"%07.7_ax \" 8/2 \"   %04x \" \"\\n\"",
    /* default */ "\"%07.7_Ax\\n\"\n\"%07.7_ax \" 8/2 \"%04x \" \"\\n\"",
};

static bool add_formats(Hexdump *s, const char *text) {
    /* each line of a format file (or canned set) is one format */
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, "\n");
        char *line = xstrndup(p, n);
        const char *q = line;
        while (isspace((unsigned char)*q)) q++;
        bool ok = true;
        if (*q && *q != '#') {
            s->fmts = xrealloc(s->fmts, (s->nfmts + 1) * sizeof *s->fmts);
            ok = parse_format(s, line, &s->fmts[s->nfmts]);
            s->nfmts++;
        }
        free(line);
        if (!ok) return false;
        p += n + (p[n] ? 1 : 0);
    }
    return true;
}

static bool read_format_file(Hexdump *s, const char *name) {
    UcFile *f = u_open_in(s->c, name);
    if (!f) return false;
    StrBuf b;
    sb_init(&b);
    char buf[4096];
    ssize_t n;
    while ((n = uc_fread(f, buf, sizeof buf)) > 0) sb_put(&b, buf, (size_t)n);
    uc_close(f);
    bool ok = add_formats(s, sb_cstr(&b));
    sb_free(&b);
    return ok;
}

static bool parse_count(Hexdump *s, const char *arg, const char *what, uintmax_t *out) {
    char *end;
    errno = 0;
    uintmax_t v = strtoumax(arg, &end, 0);
    uintmax_t mult = 1;
    if (*end == 'b' && !end[1]) mult = 512;
    else if ((*end == 'k' || *end == 'K') && !end[1]) mult = 1024;
    else if ((*end == 'm' || *end == 'M') && !end[1]) mult = 1048576;
    else if (*end) mult = 0;
    if (end == arg || errno || !mult || *arg == '-') {
        char *q = u_quote(arg);
        uc_error(s->c, "failed to parse %s: %s: %s", what, q, u_strerror(EINVAL));
        free(q);
        return false;
    }
    *out = v * mult;
    return true;
}

static const UOptLong hexdump_longs[] = {
    {"one-byte-octal", UO_NOARG, 'b'}, {"one-byte-char", UO_NOARG, 'c'}, {"canonical", UO_NOARG, 'C'},
    {"two-bytes-decimal", UO_NOARG, 'd'}, {"two-bytes-octal", UO_NOARG, 'o'}, {"two-bytes-hex", UO_NOARG, 'x'},
    {"format", UO_REQ, 'e'}, {"format-file", UO_REQ, 'f'}, {"length", UO_REQ, 'n'}, {"skip", UO_REQ, 's'},
    {"no-squeezing", UO_NOARG, 'v'}, {NULL, 0, 0},
};

static void hexdump_free(Hexdump *s) {
    for (size_t f = 0; f < s->nfmts; f++) {
        for (size_t i = 0; i < s->fmts[f].nunits; i++) {
            for (size_t k = 0; k < s->fmts[f].units[i].nconv; k++) free(s->fmts[f].units[i].conv[k].text);
            free(s->fmts[f].units[i].conv);
        }
        free(s->fmts[f].units);
    }
    free(s->fmts);
    sl_free(&s->ops);
}

int util_hexdump_main(UtilCtx *c, int argc, char **argv) {
    Hexdump s;
    memset(&s, 0, sizeof s);
    s.c = c;
    s.length = -1;
    UOpts o;
    uopt_init(&o, c, argc, argv, "bcCde:f:n:os:vxhV", hexdump_longs);
    int k, r = -1;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) {
        const char *canned_opts = "bcCdox";
        const char *p = k > 0 && k < 256 ? strchr(canned_opts, k) : NULL;
        uintmax_t v;
        if (p && k) {
            if (!add_formats(&s, canned[p - canned_opts])) r = 1;
            continue;
        }
        switch (k) {
        case 'e': if (!add_formats(&s, o.arg)) r = 1; break;
        case 'f': if (!read_format_file(&s, o.arg)) r = 1; break;
        case 'n':
            if (parse_count(&s, o.arg, "length", &v)) s.length = v > INTMAX_MAX ? INTMAX_MAX : (intmax_t)v;
            else r = 1;
            break;
        case 's': if (!parse_count(&s, o.arg, "offset", &s.skip)) r = 1; break;
        case 'v': s.verbose = true; break;
        case 'h': case UO_HELP: r = u_help(c, "[options] <file>..."); break;
        case 'V': case UO_VERSION: r = u_version(c); break;
        default: r = 1; break;
        }
    }
    s.ops = o.ops;
    if (r >= 0) {
        hexdump_free(&s);
        return r;
    }
    if (!s.nfmts) add_formats(&s, canned[6]);
    finish_formats(&s);
    if (s.blocksize == 0) { /* formats that read no data print nothing */
        hexdump_free(&s);
        return 0;
    }
    if (!s.ops.n) sl_push_copy(&s.ops, "-");
    uout_init(&s.out, c, 1);
    hexdump_run(&s);
    int st = s.status | uout_close(&s.out);
    hexdump_free(&s);
    return st;
}
