/* compile.c - sed script text to program, with GNU sed 4.9's error messages.
 *
 * All -e / -f pieces are joined with newlines into one text (that is how GNU
 * sed lets `a\` text and `{` blocks continue into the next -e), and a table of
 * pieces maps an error offset back to "-e expression #N, char M" or
 * "file F line L". Error offsets count the characters consumed, as GNU's do. */
#include "sed.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef SedPiece Piece;

typedef struct Block {
    size_t cmd;       /* index of the { command */
    size_t pos;       /* where it was (for "unmatched `{'") */
} Block;

typedef struct P {
    Sed *s;
    const char *t;
    size_t n, i;
    Piece *pieces;
    size_t npieces;
    Block *blocks;
    size_t nblocks, capblocks;
} P;

/* ---------------------------------------------------------------- errors */

static const Piece *piece_at(const P *p, size_t pos) {
    for (size_t k = 0; k < p->npieces; k++)
        if (pos <= p->pieces[k].start + p->pieces[k].len) return &p->pieces[k];
    return p->npieces ? &p->pieces[p->npieces - 1] : NULL;
}

static void err_at(P *p, size_t pos, bool char0, const char *msg) {
    const Piece *pc = piece_at(p, pos);
    if (!pc) {
        uc_error(p->s->c, "-e expression #1, char 0: %s", msg);
        return;
    }
    size_t off = pos > pc->start ? pos - pc->start : 0;
    if (off > pc->len) off = pc->len;
    if (pc->file) {
        size_t line = 1;
        for (size_t k = pc->start; k < pc->start + off; k++)
            if (p->t[k] == '\n') line++;
        uc_error(p->s->c, "file %s line %zu: %s", pc->file, line, msg);
    } else {
        uc_error(p->s->c, "-e expression #%d, char %zu: %s", pc->expr_no, char0 ? 0 : off, msg);
    }
}

/* Every compile error returns this. */
static int bad(P *p, const char *msg) {
    err_at(p, p->i, false, msg);
    return SED_EXIT_BAD_USAGE;
}

/* ---------------------------------------------------------------- reading */

static int peekc(const P *p) { return p->i < p->n ? (unsigned char)p->t[p->i] : EOF; }
static int getc_(P *p) { return p->i < p->n ? (unsigned char)p->t[p->i++] : EOF; }
static bool is_blank(int ch) { return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\v' || ch == '\f'; }
static bool is_space(int ch) { return is_blank(ch) || ch == '\n'; }
static void skip_blanks(P *p) {
    while (is_blank(peekc(p))) p->i++;
}

/* After a command: blanks, then ; newline # } or the end. */
static int end_of_cmd(P *p) {
    skip_blanks(p);
    int ch = peekc(p);
    if (ch == EOF || ch == '}' || ch == '#') return 0;
    p->i++;
    if (ch == '\n' || ch == ';') return 0;
    return bad(p, "extra characters after command");
}

static bool read_number(P *p, uintmax_t *out) {
    if (!isdigit(peekc(p))) return false;
    uintmax_t v = 0;
    while (isdigit(peekc(p))) {
        unsigned d = (unsigned)(getc_(p) - '0');
        v = v > (UINTMAX_MAX - d) / 10 ? UINTMAX_MAX : v * 10 + d;
    }
    *out = v;
    return true;
}

/* Characters a \-escape stands for in GNU sed text (\a \f \n \r \t \v \cX
 * \dNNN \oNNN \xHH), at t[*i] just after the backslash. Returns -1 when it is
 * not such an escape; advances *i past it otherwise. */
static int escape_char(const char *t, size_t n, size_t *i) {
    size_t k = *i;
    if (k >= n) return -1;
    int base = 0, maxd = 0;
    switch (t[k]) {
    case 'a': *i = k + 1; return '\a';
    case 'f': *i = k + 1; return '\f';
    case 'n': *i = k + 1; return '\n';
    case 'r': *i = k + 1; return '\r';
    case 't': *i = k + 1; return '\t';
    case 'v': *i = k + 1; return '\v';
    case 'c':
        if (k + 1 >= n) return -1;
        *i = k + 2;
        return toupper((unsigned char)t[k + 1]) ^ 0x40;
    case 'd': base = 10, maxd = 3; break;
    case 'o': base = 8, maxd = 3; break;
    case 'x': base = 16, maxd = 2; break;
    default: return -1;
    }
    int v = 0, nd = 0;
    size_t j = k + 1;
    for (; j < n && nd < maxd; j++, nd++) {
        int ch = (unsigned char)t[j], d;
        if (isdigit(ch)) d = ch - '0';
        else if (base == 16 && isxdigit(ch)) d = tolower(ch) - 'a' + 10;
        else break;
        if (d >= base) break;
        v = v * base + d;
    }
    if (!nd) return -1;
    *i = j;
    return v & 0xff;
}

/* Reads text up to an unescaped delimiter, as GNU's match_slash: \delim is
 * the delimiter itself, \ newline a newline, \n a newline in a regex; other
 * escapes are kept for the next stage. A regex's bracket expressions are
 * copied whole (the delimiter is literal there). Returns false at the end of
 * the text or at an unescaped newline. */
static bool read_delimited(P *p, int delim, bool regex, StrBuf *out) {
    sb_clear(out);
    for (;;) {
        int ch = peekc(p);
        if (ch == EOF) return false;
        if (ch == '\n' && delim != '\n') {
            if (regex) return false;
            /* a newline in a replacement must be escaped (GNU: unterminated) */
            return false;
        }
        p->i++;
        if (ch == delim) return true;
        if (ch == '\\') {
            int nx = getc_(p);
            if (nx == EOF) return false;
            if (nx == delim) sb_putc(out, (char)nx);
            else if (nx == '\n') sb_putc(out, '\n');
            else if (nx == 'n' && regex) sb_putc(out, '\n');
            else {
                sb_putc(out, '\\');
                sb_putc(out, (char)nx);
            }
            continue;
        }
        sb_putc(out, (char)ch);
        if (ch == '[' && regex) {
            /* a bracket expression: [ ^? ]? ... ] with [: :] [= =] [. .] inside */
            if (peekc(p) == '^') sb_putc(out, (char)getc_(p));
            if (peekc(p) == ']') sb_putc(out, (char)getc_(p));
            for (;;) {
                int b = peekc(p);
                if (b == EOF || b == '\n') return false;
                p->i++;
                if (b == ']') {
                    sb_putc(out, ']');
                    break;
                }
                if (b == '\\' && peekc(p) == 'n') { /* GNU: [\n] is a newline */
                    p->i++;
                    sb_putc(out, '\n');
                    continue;
                }
                sb_putc(out, (char)b);
                if (b == '[' && (peekc(p) == ':' || peekc(p) == '=' || peekc(p) == '.')) {
                    int kind = getc_(p);
                    sb_putc(out, (char)kind);
                    while (peekc(p) != EOF && !(p->t[p->i] == kind && p->i + 1 < p->n && p->t[p->i + 1] == ']')) {
                        if (peekc(p) == '\n') return false;
                        sb_putc(out, (char)getc_(p));
                    }
                    if (peekc(p) == EOF) return false;
                    sb_putc(out, (char)getc_(p));
                    sb_putc(out, (char)getc_(p));
                }
            }
        }
    }
}

/* GNU converts \t \n \xHH ... in a regex to the characters before compiling
 * (a produced character keeps its special meaning, except a backslash). */
static void convert_regex_escapes(StrBuf *b) {
    StrBuf o;
    sb_init(&o);
    for (size_t i = 0; i < b->len; i++) {
        char ch = b->s[i];
        if (ch != '\\' || i + 1 >= b->len) {
            sb_putc(&o, ch);
            continue;
        }
        size_t k = i + 1;
        int v = escape_char(b->s, b->len, &k);
        if (v < 0) {
            sb_putc(&o, '\\');
            sb_putc(&o, b->s[i + 1]);
            i++;
            continue;
        }
        if (v == '\\') sb_putc(&o, '\\');
        sb_putc(&o, (char)v);
        i = k - 1;
    }
    sb_free(b);
    *b = o;
}

/* ---------------------------------------------------------------- regexes */

static SedRe *new_re(Sed *s, Regex *re) {
    SedRe *r = xcalloc(1, sizeof *r);
    r->re = re;
    r->ngroups = re ? rx_ngroups(re) : 9;
    if (s->nres == s->capres) {
        s->capres = s->capres ? s->capres * 2 : 8;
        s->res = xrealloc(s->res, s->capres * sizeof *s->res);
    }
    s->res[s->nres++] = r;
    return r;
}

/* A pattern without operators matches itself: sed finds it with memmem (the
 * same leftmost match, no groups). Only ASCII in UTF-8 locales. */
static bool plain_literal(const Sed *s, const StrBuf *pat) {
    const char *special = s->ere ? "\\.[*^$+?(){}|" : "\\.[*^$";
    for (size_t i = 0; i < pat->len; i++) {
        unsigned char ch = (unsigned char)pat->s[i];
        if (strchr(special, ch) || !ch || (s->utf8 && ch >= 0x80)) return false;
    }
    return true;
}

/* Compiles pattern text (already read); an empty one means "the last regex". */
static int compile_re(P *p, StrBuf *pat, bool icase, bool mline, SedRe **out) {
    Sed *s = p->s;
    if (!pat->len) {
        if (!s->have_re) {
            err_at(p, p->i, true, "no previous regular expression");
            return SED_EXIT_BAD_USAGE;
        }
        *out = new_re(s, NULL);
        return 0;
    }
    convert_regex_escapes(pat);
    unsigned fl = 0;
    if (icase) fl |= RX_ICASE;
    if (mline) fl |= RX_MULTILINE;
    if (!s->utf8) fl |= RX_BYTES;
    RxError e = {0};
    Regex *re = rx_compile(pat->s ? pat->s : "", pat->len, s->ere ? RX_ERE : RX_BRE, fl, &e);
    if (!re) return bad(p, e.msg ? e.msg : "Invalid regular expression");
    s->have_re = true;
    *out = new_re(s, re);
    if (!icase && plain_literal(s, pat)) {
        (*out)->lit = xstrndup(pat->s, pat->len);
        (*out)->litlen = pat->len;
    }
    return 0;
}

/* ---------------------------------------------------------------- addresses */

/* Returns 0 (addr->kind AD_NONE when there is none) or an exit status. */
static int read_addr(P *p, SedAddr *a, bool second) {
    memset(a, 0, sizeof *a);
    int ch = peekc(p);
    if (ch == '/' || ch == '\\') {
        p->i++;
        int delim = '/';
        if (ch == '\\') {
            delim = getc_(p);
            if (delim == EOF) return bad(p, "unterminated address regex");
        }
        StrBuf pat;
        sb_init(&pat);
        if (!read_delimited(p, delim, true, &pat)) {
            sb_free(&pat);
            return bad(p, "unterminated address regex");
        }
        bool icase = false, mline = false;
        for (;;) {
            skip_blanks(p);
            if (peekc(p) == 'I') icase = true;
            else if (peekc(p) == 'M') mline = true;
            else break;
            p->i++;
        }
        a->kind = AD_RE;
        int r = compile_re(p, &pat, icase, mline, &a->re);
        sb_free(&pat);
        return r;
    }
    if (isdigit(ch)) {
        read_number(p, &a->n1);
        a->kind = AD_LINE;
        skip_blanks(p);
        if (peekc(p) == '~') {
            p->i++;
            skip_blanks(p);
            uintmax_t step = 0;
            read_number(p, &step);
            if (step > 0) {
                a->kind = AD_STEP;
                a->n2 = step;
            }
        }
        return 0;
    }
    if (ch == '+' || ch == '~') {
        p->i++;
        uintmax_t n = 0;
        if (!read_number(p, &n) || !second) {
            if (!second) return bad(p, "invalid usage of +N or ~N as first address");
            return bad(p, "expected newer version of sed");
        }
        a->kind = ch == '+' ? AD_PLUS : AD_MULT;
        a->n2 = n;
        return 0;
    }
    if (ch == '$') {
        p->i++;
        a->kind = AD_LAST;
    }
    return 0;
}

/* ---------------------------------------------------------------- commands */

static SedCmd *new_cmd(Sed *s) {
    if (s->ncmds == s->capcmds) {
        s->capcmds = s->capcmds ? s->capcmds * 2 : 16;
        s->cmds = xrealloc(s->cmds, s->capcmds * sizeof *s->cmds);
    }
    SedCmd *c = &s->cmds[s->ncmds++];
    memset(c, 0, sizeof *c);
    c->num = -1;
    return c;
}

static SedOut *get_out(Sed *s, const char *name) {
    for (size_t k = 0; k < s->nouts; k++)
        if (!strcmp(s->outs[k]->name, name)) return s->outs[k];
    SedOut *o = xcalloc(1, sizeof *o);
    o->name = xstrdup(name);
    if (!strcmp(name, "/dev/stdout")) {
        o->uo = &s->stdout_uo;
    } else {
        errno = 0;
        o->f = uc_open(s->c, name, "w");
        if (!o->f) {
            uc_error(s->c, "couldn't open file %s: %s", name, strerror(errno ? errno : ENOENT));
            free(o->name);
            free(o);
            return NULL;
        }
        uout_init_file(&o->own, s->c, o->f);
        o->uo = &o->own;
        o->unbuffered = !strcmp(name, "/dev/stderr");
    }
    s->outs = xrealloc(s->outs, (s->nouts + 1) * sizeof *s->outs);
    s->outs[s->nouts++] = o;
    return o;
}

/* File name of r R w W and s///w: the rest of the line. */
static int read_filename(P *p, StrBuf *out) {
    skip_blanks(p);
    sb_clear(out);
    while (peekc(p) != EOF && peekc(p) != '\n') sb_putc(out, (char)getc_(p));
    if (!out->len) return bad(p, "missing filename in r/R/w/W commands");
    return 0;
}

/* A label of : b t T v: ends at whitespace, ; or }. */
static void read_label(P *p, StrBuf *out) {
    skip_blanks(p);
    sb_clear(out);
    while (peekc(p) != EOF && !is_space(peekc(p)) && peekc(p) != ';' && peekc(p) != '}')
        sb_putc(out, (char)getc_(p));
}

/* Text of a i c: GNU one-liner `a text` or `a\` newline text; backslash
 * removes itself (\ newline continues the text). Stored with a final newline. */
static int read_text(P *p, SedCmd *c) {
    skip_blanks(p);
    int ch = peekc(p);
    if (ch == EOF) return bad(p, "expected \\ after `a', `c' or `i'");
    bool nl_form = ch == '\n'; /* `1a` then a newline: one empty line */
    if (ch == '\\') {
        p->i++;
        if (peekc(p) == '\n') {
            p->i++;
            nl_form = true;
        }
    }
    StrBuf *t = &c->text;
    while (p->i < p->n) {
        ch = getc_(p);
        if (ch == '\n') break;
        if (ch == '\\') {
            if (p->i >= p->n) break;
            size_t k = p->i;
            int v = escape_char(p->t, p->n, &k);
            if (v >= 0) {
                sb_putc(t, (char)v);
                p->i = k;
            } else {
                sb_putc(t, (char)getc_(p));
            }
            continue;
        }
        sb_putc(t, (char)ch);
    }
    /* `a\` at the very end has no text at all (GNU prints nothing for it) */
    if (t->len || nl_form) sb_putc(t, '\n');
    return 0;
}

/* ---- s ---- */

static void add_part(SedSubst *sub, int kind, size_t off, size_t len, int n) {
    sub->parts = xrealloc(sub->parts, (sub->nparts + 1) * sizeof *sub->parts);
    sub->parts[sub->nparts++] = (SedRepl){kind, off, len, n};
}

static void add_lit(SedSubst *sub, const char *s, size_t n) {
    if (sub->nparts && sub->parts[sub->nparts - 1].kind == RP_LIT &&
        sub->parts[sub->nparts - 1].off + sub->parts[sub->nparts - 1].len == sub->text.len) {
        sub->parts[sub->nparts - 1].len += n;
    } else {
        add_part(sub, RP_LIT, sub->text.len, n, 0);
    }
    sb_put(&sub->text, s, n);
}

static void parse_replacement(SedSubst *sub, const StrBuf *r) {
    sub->max_ref = -1;
    for (size_t i = 0; i < r->len; i++) {
        char ch = r->s[i];
        if (ch == '&') {
            add_part(sub, RP_GROUP, 0, 0, 0);
            if (sub->max_ref < 0) sub->max_ref = 0;
            continue;
        }
        if (ch != '\\' || i + 1 >= r->len) {
            add_lit(sub, &ch, 1);
            continue;
        }
        char nx = r->s[++i];
        if (nx >= '0' && nx <= '9') {
            add_part(sub, RP_GROUP, 0, 0, nx - '0');
            if (nx - '0' > sub->max_ref) sub->max_ref = nx - '0';
            continue;
        }
        int cs = nx == 'U' ? CASE_UPPER : nx == 'L' ? CASE_LOWER : nx == 'E' ? CASE_END
               : nx == 'u' ? CASE_UPPER1 : nx == 'l' ? CASE_LOWER1 : CASE_NONE;
        if (cs != CASE_NONE) {
            add_part(sub, RP_CASE, 0, 0, cs);
            continue;
        }
        size_t k = i;
        int v = escape_char(r->s, r->len, &k);
        if (v >= 0) {
            char c = (char)v;
            add_lit(sub, &c, 1);
            i = k - 1;
            continue;
        }
        add_lit(sub, &nx, 1);
    }
}

/* Flags after s///: g p N i I m M e w FILE. */
static int subst_flags(P *p, SedSubst *sub, bool *icase, bool *mline) {
    bool have_num = false;
    for (;;) {
        int ch = getc_(p);
        switch (ch) {
        case 'i': case 'I': *icase = true; break;
        case 'm': case 'M': *mline = true; break;
        case 'e':
            if (p->s->sandbox) return bad(p, "e/r/w commands disabled in sandbox mode");
            sub->eval = true;
            break;
        case 'p':
            if (sub->print) return bad(p, "multiple `p' options to `s' command");
            sub->print |= sub->eval ? 2 : 1;
            break;
        case 'g':
            if (sub->global) return bad(p, "multiple `g' options to `s' command");
            sub->global = true;
            break;
        case 'w': {
            if (p->s->sandbox) return bad(p, "e/r/w commands disabled in sandbox mode");
            StrBuf name;
            sb_init(&name);
            int r = read_filename(p, &name);
            if (!r) {
                sub->wout = get_out(p->s, name.s);
                if (!sub->wout) r = SED_EXIT_PANIC;
            }
            sb_free(&name);
            return r;
        }
        case '0': case '1': case '2': case '3': case '4':
        case '5': case '6': case '7': case '8': case '9': {
            if (have_num) return bad(p, "multiple number options to `s' command");
            p->i--;
            uintmax_t n = 0;
            read_number(p, &n);
            if (!n) return bad(p, "number option to `s' command may not be zero");
            sub->numb = n;
            have_num = true;
            break;
        }
        case '}': case '#': p->i--; return 0;
        case EOF: case '\n': case ';': return 0;
        case ' ': case '\t': case '\r': break;
        default: return bad(p, "unknown option to `s'");
        }
    }
}

static int cmd_s(P *p, SedCmd *c) {
    int delim = getc_(p);
    StrBuf pat, rep;
    sb_init(&pat);
    sb_init(&rep);
    int r = 0;
    if (delim == EOF || delim == '\n' || delim == '\\' || !read_delimited(p, delim, true, &pat) ||
        !read_delimited(p, delim, false, &rep)) {
        r = bad(p, "unterminated `s' command");
        goto out;
    }
    SedSubst *sub = xcalloc(1, sizeof *sub);
    c->s = sub;
    sub->numb = 1;
    parse_replacement(sub, &rep);
    bool icase = false, mline = false;
    if ((r = subst_flags(p, sub, &icase, &mline))) goto out;
    if ((r = compile_re(p, &pat, icase, mline, &sub->re))) goto out;
    if (sub->max_ref > sub->re->ngroups) {
        char msg[64];
        snprintf(msg, sizeof msg, "invalid reference \\%d on `s' command's RHS", sub->max_ref);
        r = bad(p, msg);
    }
out:
    sb_free(&pat);
    sb_free(&rep);
    return r;
}

/* ---- y ---- */

/* y strings: \\ is a backslash, \n a newline (\delim was done by read_delimited). */
static void y_unescape(StrBuf *b) {
    size_t w = 0;
    for (size_t i = 0; i < b->len; i++) {
        if (b->s[i] == '\\' && i + 1 < b->len) {
            size_t k = i + 1;
            int v = b->s[i + 1] == '\\' ? '\\' : escape_char(b->s, b->len, &k);
            if (v >= 0) {
                b->s[w++] = (char)v;
                i = b->s[i + 1] == '\\' ? i + 1 : k - 1;
                continue;
            }
        }
        b->s[w++] = b->s[i];
    }
    b->len = w;
}

static size_t utf8_len(const char *s, size_t n) {
    unsigned char c = (unsigned char)s[0];
    size_t want = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    if (want > n) return 1;
    for (size_t k = 1; k < want; k++)
        if (((unsigned char)s[k] & 0xC0) != 0x80) return 1;
    return want;
}

static void split_chars(Sed *s, const StrBuf *b, StrList *out) {
    for (size_t i = 0; i < b->len;) {
        size_t l = s->utf8 ? utf8_len(b->s + i, b->len - i) : 1;
        sl_push(out, xstrndup(b->s + i, l));
        i += l;
    }
}

static int cmd_y(P *p, SedCmd *c) {
    int delim = getc_(p);
    StrBuf a, b;
    sb_init(&a);
    sb_init(&b);
    int r = 0;
    if (delim == EOF || delim == '\n' || delim == '\\' || !read_delimited(p, delim, false, &a) ||
        !read_delimited(p, delim, false, &b)) {
        r = bad(p, "unterminated `y' command");
        goto out;
    }
    y_unescape(&a);
    y_unescape(&b);
    split_chars(p->s, &a, &c->yfrom);
    split_chars(p->s, &b, &c->yto);
    if (c->yfrom.n != c->yto.n) {
        r = bad(p, "strings for `y' command are different lengths");
        goto out;
    }
    bool bytes = true;
    for (size_t k = 0; k < c->yfrom.n; k++)
        if (strlen(c->yfrom.v[k]) != 1 || strlen(c->yto.v[k]) != 1) bytes = false;
    if (bytes) {
        c->ymap = xmalloc(256);
        for (int k = 0; k < 256; k++) c->ymap[k] = (unsigned char)k;
        for (size_t k = c->yfrom.n; k-- > 0;) c->ymap[(unsigned char)c->yfrom.v[k][0]] = (unsigned char)c->yto.v[k][0];
        /* the first mapping of a character wins */
        for (size_t k = c->yfrom.n; k-- > 0;) c->ymap[(unsigned char)c->yfrom.v[k][0]] = (unsigned char)c->yto.v[k][0];
    }
    r = end_of_cmd(p);
out:
    sb_free(&a);
    sb_free(&b);
    return r;
}

/* ---- the rest ---- */

static int cmd_args(P *p, SedCmd *c) {
    Sed *s = p->s;
    if (s->sandbox && strchr("erRwW", c->cmd)) return bad(p, "e/r/w commands disabled in sandbox mode");
    switch (c->cmd) {
    case '{': {
        if (p->nblocks == p->capblocks) {
            p->capblocks = p->capblocks ? p->capblocks * 2 : 8;
            p->blocks = xrealloc(p->blocks, p->capblocks * sizeof *p->blocks);
        }
        p->blocks[p->nblocks++] = (Block){(size_t)(c - s->cmds), p->i - 1};
        return 0;
    }
    case '}':
        if (!p->nblocks) return bad(p, "unexpected `}'");
        if (c->a1.kind != AD_NONE) return bad(p, "`}' doesn't want any addresses");
        s->cmds[p->blocks[--p->nblocks].cmd].jump = (size_t)(c - s->cmds);
        return end_of_cmd(p);
    case '#':
        if (c->a1.kind != AD_NONE) return bad(p, "comments don't accept any addresses");
        while (peekc(p) != EOF && peekc(p) != '\n') p->i++;
        return 0;
    case ':':
        if (c->a1.kind != AD_NONE) return bad(p, ": doesn't want any addresses");
        read_label(p, &c->text);
        if (!c->text.len) return bad(p, "\":\" lacks a label");
        return 0;
    case 'b': case 't': case 'T':
        read_label(p, &c->text);
        return 0;
    case 'v': {
        read_label(p, &c->text);
        if (c->text.len && strverscmp(c->text.s, "4.9") > 0) return bad(p, "expected newer version of sed");
        return 0;
    }
    case 'a': case 'i': case 'c':
        return read_text(p, c);
    case 'e':
        skip_blanks(p);
        while (peekc(p) != EOF && peekc(p) != '\n') sb_putc(&c->text, (char)getc_(p));
        if (peekc(p) == '\n') p->i++;
        return 0;
    case 'q': case 'Q': case 'l': case 'L': {
        if ((c->cmd == 'q' || c->cmd == 'Q') && c->a2.kind != AD_NONE) return bad(p, "command only uses one address");
        skip_blanks(p);
        uintmax_t n;
        if (read_number(p, &n)) c->num = n > 0x7fffffff ? 0x7fffffff : (long)n;
        return end_of_cmd(p);
    }
    case 'r': case 'R': case 'w': case 'W': {
        int r = read_filename(p, &c->text);
        if (r) return r;
        if (c->cmd == 'w' || c->cmd == 'W') {
            c->out = get_out(s, c->text.s);
            if (!c->out) return SED_EXIT_PANIC;
        } else if (c->cmd == 'R') {
            c->rfile = uc_open(s->c, c->text.s, "r");
        }
        return 0;
    }
    case 's': return cmd_s(p, c);
    case 'y': return cmd_y(p, c);
    case '=': case 'd': case 'D': case 'F': case 'g': case 'G': case 'h': case 'H':
    case 'n': case 'N': case 'p': case 'P': case 'x': case 'z':
        return end_of_cmd(p);
    default: {
        char msg[40];
        snprintf(msg, sizeof msg, "unknown command: `%c'", c->cmd);
        return bad(p, msg);
    }
    }
}

static bool line0_ok(const SedCmd *c) {
    if (c->a1.kind == AD_LINE && c->a1.n1 == 0) return c->a2.kind == AD_RE;
    return true;
}

static int compile_cmd(P *p) {
    Sed *s = p->s;
    SedAddr a1, a2;
    memset(&a2, 0, sizeof a2);
    int r = read_addr(p, &a1, false);
    if (r) return r;
    if (a1.kind != AD_NONE) {
        skip_blanks(p);
        if (peekc(p) == ',') {
            p->i++;
            skip_blanks(p);
            if ((r = read_addr(p, &a2, true))) return r;
            if (a2.kind == AD_NONE) {
                if (p->i < p->n) p->i++;
                return bad(p, "unexpected `,'");
            }
        }
    }
    skip_blanks(p);
    bool bang = false;
    if (peekc(p) == '!') {
        p->i++;
        bang = true;
        skip_blanks(p);
        if (peekc(p) == '!') {
            p->i++;
            return bad(p, "multiple `!'s");
        }
    }
    int ch = getc_(p);
    if (ch == EOF || (ch == '\n' && a1.kind != AD_NONE))
        return bad(p, "missing command");
    SedCmd *c = new_cmd(s);
    c->a1 = a1;
    c->a2 = a2;
    c->bang = bang;
    c->cmd = (char)ch;
    c->pos = (int)p->i;
    if (!line0_ok(c)) return bad(p, "invalid usage of line address 0");
    if (c->a1.kind == AD_LINE && c->a1.n1 == 0) c->range = RANGE_ACTIVE;
    return cmd_args(p, c);
}

/* ---------------------------------------------------------------- driver */

int sed_add_script(Sed *s, const char *text, size_t len, int expr_no, const char *file) {
    if (s->script.len || s->npieces) sb_putc(&s->script, '\n');
    s->pieces = xrealloc(s->pieces, (s->npieces + 1) * sizeof *s->pieces);
    s->pieces[s->npieces++] = (SedPiece){s->script.len, len, expr_no, file};
    sb_put(&s->script, text, len);
    return 0;
}

static int resolve_labels(Sed *s) {
    for (size_t k = 0; k < s->ncmds; k++) {
        SedCmd *c = &s->cmds[k];
        if (c->cmd != 'b' && c->cmd != 't' && c->cmd != 'T') continue;
        if (!c->text.len) {
            c->jump = s->ncmds;
            continue;
        }
        size_t j = 0;
        for (; j < s->ncmds; j++)
            if (s->cmds[j].cmd == ':' && !strcmp(s->cmds[j].text.s, c->text.s)) break;
        if (j == s->ncmds) {
            uc_error(s->c, "can't find label for jump to `%s'", c->text.s);
            return SED_EXIT_PANIC;
        }
        c->jump = j;
    }
    return 0;
}

int sed_finish_program(Sed *s) {
    P p = {0};
    p.s = s;
    p.t = s->script.s ? s->script.s : "";
    p.n = s->script.len;
    p.pieces = s->pieces;
    p.npieces = s->npieces;
    /* GNU: a first script piece starting with "#n" is -n */
    if (s->npieces && s->pieces[0].len >= 2 && !memcmp(p.t, "#n", 2)) s->quiet = true;
    int r = 0;
    for (;;) {
        while (p.i < p.n && (is_space(peekc(&p)) || peekc(&p) == ';')) p.i++;
        if (p.i >= p.n) break;
        if ((r = compile_cmd(&p))) break;
    }
    if (!r && p.nblocks) {
        err_at(&p, p.blocks[p.nblocks - 1].pos, true, "unmatched `{'");
        r = SED_EXIT_BAD_USAGE;
    }
    free(p.blocks);
    if (!r) r = resolve_labels(s);
    return r;
}

static void free_out(SedOut *o) {
    if (o->f) {
        uout_close(&o->own);
        uc_close(o->f);
    }
    free(o->name);
    free(o);
}

void sed_free_program(Sed *s) {
    for (size_t k = 0; k < s->ncmds; k++) {
        SedCmd *c = &s->cmds[k];
        sb_free(&c->text);
        if (c->s) {
            sb_free(&c->s->text);
            free(c->s->parts);
            free(c->s);
        }
        if (c->rfile) uc_close(c->rfile);
        free(c->ymap);
        sl_free(&c->yfrom);
        sl_free(&c->yto);
    }
    free(s->cmds);
    for (size_t k = 0; k < s->nres; k++) {
        if (s->res[k]->re) rx_free(s->res[k]->re);
        free(s->res[k]->lit);
        free(s->res[k]);
    }
    free(s->res);
    for (size_t k = 0; k < s->nouts; k++) free_out(s->outs[k]);
    free(s->outs);
    free(s->pieces);
    sb_free(&s->script);
}
