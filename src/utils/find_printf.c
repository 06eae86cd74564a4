/* find_printf.c - find's -printf/-fprintf formats (every GNU directive,
 * with flags, width and precision as GNU applies them: most directives are
 * strings, %d %m %S are numbers) and the -ls/-fls long listing. */
#include "datetime.h"
#include "find.h"
#include "ident.h"
#include "modes.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <unistd.h>

enum { SEG_TEXT, SEG_DIRECTIVE, SEG_STOP };

static FSeg *seg_add(FNode *n, int kind, const char *text, size_t len) {
    n->segs = xrealloc(n->segs, (n->nsegs + 1) * sizeof *n->segs);
    FSeg *s = &n->segs[n->nsegs++];
    s->kind = kind;
    s->text = xstrndup(text, len);
    s->len = len;
    s->conv = s->aux = 0;
    return s;
}

/* Appends bytes to the node's trailing literal segment (or starts one). */
static void lit_add(FNode *n, const char *text, size_t len) {
    if (!len) return;
    FSeg *last = n->nsegs ? &n->segs[n->nsegs - 1] : NULL;
    if (!last || last->kind != SEG_TEXT) {
        seg_add(n, SEG_TEXT, text, len);
        return;
    }
    last->text = xrealloc(last->text, last->len + len + 1);
    memcpy(last->text + last->len, text, len);
    last->len += len;
    last->text[last->len] = '\0';
}

static int escape_value(char ch) {
    switch (ch) {
    case 'a': return '\a';
    case 'b': return '\b';
    case 'f': return '\f';
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    case 'v': return '\v';
    case '\\': return '\\';
    default: return -1;
    }
}

/* A backslash escape at s (s[0] == '\\'); returns the bytes consumed. */
static size_t parse_escape(Find *f, FNode *n, const char *s) {
    if (!s[1]) {
        uc_error(f->c, "warning: escape `\\' followed by nothing at all");
        lit_add(n, "\\", 1);
        return 1;
    }
    if (s[1] >= '0' && s[1] <= '7') {
        int v = 0;
        size_t i = 1;
        for (; i < 4 && s[i] >= '0' && s[i] <= '7'; i++) v = v * 8 + (s[i] - '0');
        char ch = (char)v;
        lit_add(n, &ch, 1);
        return i;
    }
    int v = escape_value(s[1]);
    if (v < 0) {
        uc_error(f->c, "warning: unrecognized escape `\\%c'", s[1]);
        lit_add(n, s, 2);
        return 2;
    }
    char ch = (char)v;
    lit_add(n, &ch, 1);
    return 2;
}

/* A % directive at s; returns the bytes consumed, 0 after a fatal error. */
static size_t parse_directive(Find *f, FNode *n, const char *s) {
    if (!s[1]) {
        uc_error(f->c, "error: %s at end of format string", s);
        return 0;
    }
    size_t i = 1;
    if (s[1] != '%') {
        while (s[i] && strchr("-+ #", s[i])) i++;
        while (s[i] >= '0' && s[i] <= '9') i++;
        if (s[i] == '.')
            for (i++; s[i] >= '0' && s[i] <= '9'; i++) {}
    }
    char conv = s[i];
    bool one = conv && strchr("abcdDfFgGhHiklmMnpPsStuUyYZ%", conv);
    bool two = conv && strchr("ABCT", conv) && s[i + 1];
    if (one || two) {
        FSeg *g = seg_add(n, SEG_DIRECTIVE, s + 1, i - 1);
        g->conv = conv;
        g->aux = two ? s[i + 1] : 0;
        return i + (two ? 2 : 1);
    }
    if (conv && strchr("{[(", conv)) {
        uc_error(f->c, "error: the format directive `%%%c' is reserved for future use", conv);
        return 0;
    }
    if (conv && strchr("ABCT", conv))
        uc_error(f->c, "warning: format directive `%%%c' should be followed by another character", conv);
    else
        uc_error(f->c, "warning: unrecognized format directive `%%%c'", conv);
    lit_add(n, s, conv ? i + 1 : i);
    return conv ? i + 1 : i;
}

bool find_printf_parse(Find *f, FNode *n, const char *fmt) {
    for (const char *s = fmt; *s;) {
        if (s[0] == '\\' && s[1] == 'c') {
            seg_add(n, SEG_STOP, "", 0);
            return true;
        }
        if (*s == '\\') {
            s += parse_escape(f, n, s);
        } else if (*s == '%') {
            size_t used = parse_directive(f, n, s);
            if (!used) return false;
            s += used;
        } else {
            const char *e = s;
            while (*e && *e != '\\' && *e != '%') e++;
            lit_add(n, s, (size_t)(e - s));
            s = e;
        }
    }
    return true;
}

/* ---------- values ---------- */

static void put_number(UOut *o, const char *flags, char conv, uintmax_t v) {
    char fmt[64];
    snprintf(fmt, sizeof fmt, "%%%.40sj%c", flags, conv);
    char buf[128];
    if (conv == 'd') snprintf(buf, sizeof buf, fmt, (intmax_t)v);
    else snprintf(buf, sizeof buf, fmt, v);
    uout_puts(o, buf);
}

static void put_double(UOut *o, const char *flags, double v) {
    char fmt[64], buf[512];
    snprintf(fmt, sizeof fmt, "%%%.40sg", flags);
    snprintf(buf, sizeof buf, fmt, v);
    uout_puts(o, buf);
}

static const char *file_type(mode_t m) {
    switch (m & S_IFMT) {
    case S_IFREG: return "f";
    case S_IFDIR: return "d";
    case S_IFLNK: return "l";
    case S_IFSOCK: return "s";
    case S_IFBLK: return "b";
    case S_IFCHR: return "c";
    case S_IFIFO: return "p";
    default: return "U";
    }
}

static struct timespec stat_time(const struct stat *st, char which) {
    switch (which) {
    case 'a': case 'A': return st->st_atim;
    case 'c': case 'C': return st->st_ctim;
    default: return st->st_mtim;
    }
}

static void ns_suffix(StrBuf *b, long ns) { sb_printf(b, ".%09ld0", ns); }

/* GNU find's time formats: %A@ is seconds since the epoch, %A+ is
 * date+time; seconds (%S %T %X %+ %@) get the nanoseconds and a 0. */
static void format_date(StrBuf *b, struct timespec ts, char kind) {
    if (kind == '@') {
        sb_printf(b, "%jd", (intmax_t)ts.tv_sec);
        ns_suffix(b, ts.tv_nsec);
        return;
    }
    char fmt[4] = {'%', kind, 0, 0};
    u_format_time(b, kind == '+' ? "%Y-%m-%d+%H:%M:%S" : fmt, &ts, false);
    if (kind == '+' || kind == 'S' || kind == 'T' || kind == 'X') ns_suffix(b, ts.tv_nsec);
}

static void ctime_format(StrBuf *b, struct timespec ts) {
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    struct tm tm;
    if (!localtime_r(&ts.tv_sec, &tm)) {
        format_date(b, ts, '@');
        return;
    }
    sb_printf(b, "%3s %3s %2d %02d:%02d:%02d.%09ld0 %04d", days[tm.tm_wday], months[tm.tm_mon], tm.tm_mday,
              tm.tm_hour, tm.tm_min, tm.tm_sec, (long)ts.tv_nsec, 1900 + tm.tm_year);
}

/* %h: the leading directories, GNU's way ("." without a slash). */
static void dir_part(StrBuf *b, const char *path) {
    size_t n = strlen(path);
    size_t s = n;
    while (s > 0 && path[s - 1] == '/') s--;
    /* s: length without trailing slashes; GNU keeps them when only one char is left */
    size_t keep = s > 1 ? s : n;
    size_t slash = keep;
    while (slash > 0 && path[slash - 1] != '/') slash--;
    if (!slash) sb_puts(b, ".");
    else sb_put(b, path, slash - 1);
}

/* %f: the last component with at most one trailing slash. */
static void base_part(StrBuf *b, const char *path) {
    size_t n = strlen(path);
    size_t end = n;
    while (end > 0 && path[end - 1] == '/') end--;
    if (!end) {
        sb_puts(b, n ? "/" : "");
        return;
    }
    size_t start = end;
    while (start > 0 && path[start - 1] != '/') start--;
    sb_put(b, path + start, end - start + (end < n ? 1 : 0));
}

static void link_target(Find *f, StrBuf *b, const FFile *ff) {
    if (!S_ISLNK(ff->st.st_mode)) return;
    char buf[4096];
    ssize_t len = readlink(ff->path, buf, sizeof buf);
    if (len < 0) {
        find_error_file(f, ff->path, errno);
        return;
    }
    sb_put(b, buf, (size_t)len);
}

/* %Y: the type of what a symlink points to (N: nothing, L: a loop). */
static const char *target_type(Find *f, const FFile *ff) {
    if (!S_ISLNK(ff->st.st_mode)) return file_type(ff->st.st_mode);
    struct stat st;
    if (stat(ff->path, &st) == 0) return file_type(st.st_mode);
    if (errno == ENOENT || errno == ENOTDIR) return "N";
    if (errno == ELOOP) return "L";
    int err = errno;
    char *q = u_quote(ff->path);
    uc_error(f->c, "%s: %s", q, strerror(err));
    free(q);
    return "?";
}

static double sparseness(const struct stat *st) {
    if (st->st_size == 0) return st->st_blocks == 0 ? 1.0 : HUGE_VAL;
    return 512.0 * (double)st->st_blocks / (double)st->st_size;
}

static void owner(StrBuf *b, const struct stat *st, bool group) {
    char buf[64];
    if (group) u_group_name(st->st_gid, buf, sizeof buf); /* the number when it has no name */
    else u_user_name(st->st_uid, buf, sizeof buf);
    sb_puts(b, buf);
}

/* The string value of a directive that prints as a string. */
static void string_value(Find *f, const FSeg *g, const FFile *ff, StrBuf *b) {
    const struct stat *st = &ff->st;
    char buf[256];
    switch (g->conv) {
    case 'a': case 'c': case 't': ctime_format(b, stat_time(st, g->conv)); break;
    case 'A': case 'C': case 'T': format_date(b, stat_time(st, g->conv), g->aux); break;
    case 'B':
        /* no birth times (GNU's stat() has none either): %B@ prints the
         * "unknown" timespec {-1, -1} as findutils 4.9 does, the rest nothing */
        if (g->aux == '@') sb_puts(b, "-1.-000000010");
        break;
    case 'b': sb_printf(b, "%ju", (uintmax_t)st->st_blocks); break;
    case 'k': sb_printf(b, "%ju", ((uintmax_t)st->st_blocks + 1) / 2); break;
    case 'D': sb_printf(b, "%ju", (uintmax_t)st->st_dev); break;
    case 'f': base_part(b, ff->path); break;
    case 'F': sb_puts(b, find_fstype(st->st_dev, buf)); break;
    case 'g': owner(b, st, true); break;
    case 'G': sb_printf(b, "%ju", (uintmax_t)st->st_gid); break;
    case 'h': dir_part(b, ff->path); break;
    case 'H': sb_put(b, ff->path, f->start_len); break;
    case 'i': sb_printf(b, "%ju", (uintmax_t)st->st_ino); break;
    case 'l': link_target(f, b, ff); break;
    case 'M': u_mode_string(st->st_mode, buf); sb_puts(b, buf); break;
    case 'n': sb_printf(b, "%ju", (uintmax_t)st->st_nlink); break;
    case 'p': sb_puts(b, ff->path); break;
    case 'P': {
        const char *p = f->cur_depth > 0 ? ff->path + f->start_len : "";
        sb_puts(b, *p == '/' ? p + 1 : p);
        break;
    }
    case 's': sb_printf(b, "%jd", (intmax_t)st->st_size); break;
    case 'u': owner(b, st, false); break;
    case 'U': sb_printf(b, "%ju", (uintmax_t)st->st_uid); break;
    case 'y': sb_puts(b, file_type(st->st_mode)); break;
    case 'Y': sb_puts(b, target_type(f, ff)); break;
    default: break; /* %Z: no security contexts here */
    }
}

static void run_directive(Find *f, UOut *o, const FSeg *g, const FFile *ff) {
    switch (g->conv) {
    case '%':
        uout_putc(o, '%');
        uout_put(o, g->text, g->len);
        return;
    case 'd': put_number(o, g->text, 'd', (uintmax_t)f->cur_depth); return;
    case 'm': put_number(o, g->text, 'o', (uintmax_t)(ff->st.st_mode & 07777)); return;
    case 'S': put_double(o, g->text, sparseness(&ff->st)); return;
    default: break;
    }
    StrBuf b;
    sb_init(&b);
    string_value(f, g, ff, &b);
    /* GNU prints these through %s: only -, width and precision matter */
    uout_put_padded(o, g->text, sb_cstr(&b));
    sb_free(&b);
}

void find_printf_run(Find *f, FNode *n, FFile *ff) {
    UOut *o = &n->out->out;
    for (size_t i = 0; i < n->nsegs; i++) {
        const FSeg *g = &n->segs[i];
        if (g->kind == SEG_TEXT) uout_put(o, g->text, g->len);
        else if (g->kind == SEG_DIRECTIVE) run_directive(f, o, g, ff);
        else {
            uout_flush(o);
            return;
        }
    }
}

/* ---------- -ls ---------- */

enum { LW_INODE, LW_BLOCKS, LW_NLINK, LW_OWNER, LW_GROUP, LW_SIZE, LW_TIME, LW_MAJOR, LW_MINOR, LW_N };

static void ls_field(UOut *o, int *width, bool left, const char *v) {
    int len = (int)strlen(v);
    if (len > *width) *width = len;
    uout_printf(o, left ? "%-*s" : "%*s", *width, v);
}

/* Names as GNU's -ls prints them: C-like escapes for blanks, quotes,
 * backslashes and unprintable bytes. */
static void ls_name(UOut *o, const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        switch (ch) {
        case '\\': uout_puts(o, "\\\\"); break;
        case '\n': uout_puts(o, "\\n"); break;
        case '\b': uout_puts(o, "\\b"); break;
        case '\r': uout_puts(o, "\\r"); break;
        case '\t': uout_puts(o, "\\t"); break;
        case '\f': uout_puts(o, "\\f"); break;
        case ' ': uout_puts(o, "\\ "); break;
        case '"': uout_puts(o, "\\\""); break;
        default:
            if (ch > 040 && ch < 0177) uout_putc(o, (char)ch);
            else uout_printf(o, "\\%03o", ch);
        }
    }
}

static void ls_time(Find *f, const struct stat *st, char *buf, size_t cap) {
    struct tm tm;
    time_t t = st->st_mtim.tv_sec, now = f->start.tv_sec;
    if (!localtime_r(&t, &tm)) {
        snprintf(buf, cap, "%jd", (intmax_t)t);
        return;
    }
    bool recent = now - 6L * 30 * 24 * 60 * 60 <= t && t <= now + 60 * 60;
    StrBuf b;
    sb_init(&b);
    struct timespec ts = st->st_mtim;
    u_format_time(&b, recent ? "%b %e %H:%M" : "%b %e  %Y", &ts, false);
    snprintf(buf, cap, "%s", sb_cstr(&b));
    sb_free(&b);
}

static void ls_size(Find *f, UOut *o, const struct stat *st) {
    char buf[96];
    if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode)) {
        char maj[32], min[32];
        snprintf(maj, sizeof maj, "%*u", f->ls_w[LW_MAJOR], major(st->st_rdev));
        snprintf(min, sizeof min, "%*u", f->ls_w[LW_MINOR], minor(st->st_rdev));
        if ((int)strlen(maj) > f->ls_w[LW_MAJOR]) f->ls_w[LW_MAJOR] = (int)strlen(maj);
        if ((int)strlen(min) > f->ls_w[LW_MINOR]) f->ls_w[LW_MINOR] = (int)strlen(min);
        snprintf(buf, sizeof buf, "%s, %s", maj, min);
    } else {
        snprintf(buf, sizeof buf, "%jd", (intmax_t)st->st_size);
    }
    ls_field(o, &f->ls_w[LW_SIZE], false, buf);
}

void find_ls(Find *f, FOutput *out, FFile *ff) {
    static const int initial[LW_N] = {9, 6, 3, 8, 8, 8, 12, 3, 3};
    if (!f->ls_w[0]) memcpy(f->ls_w, initial, sizeof initial);
    UOut *o = &out->out;
    const struct stat *st = &ff->st;
    char buf[256];
    snprintf(buf, sizeof buf, "%ju", (uintmax_t)st->st_ino);
    ls_field(o, &f->ls_w[LW_INODE], false, buf);
    snprintf(buf, sizeof buf, "%ju", ((uintmax_t)st->st_blocks + 1) / 2);
    uout_putc(o, ' ');
    ls_field(o, &f->ls_w[LW_BLOCKS], false, buf);
    u_mode_string(st->st_mode, buf);
    uout_printf(o, " %-10s ", buf);
    snprintf(buf, sizeof buf, "%ju", (uintmax_t)st->st_nlink);
    ls_field(o, &f->ls_w[LW_NLINK], false, buf);
    uout_putc(o, ' ');
    StrBuf b;
    sb_init(&b);
    owner(&b, st, false);
    ls_field(o, &f->ls_w[LW_OWNER], true, b.s);
    uout_putc(o, ' ');
    sb_clear(&b);
    owner(&b, st, true);
    ls_field(o, &f->ls_w[LW_GROUP], true, b.s);
    uout_putc(o, ' ');
    ls_size(f, o, st);
    uout_putc(o, ' ');
    ls_time(f, st, buf, sizeof buf);
    ls_field(o, &f->ls_w[LW_TIME], false, buf);
    uout_putc(o, ' ');
    ls_name(o, ff->path, strlen(ff->path));
    if (S_ISLNK(st->st_mode)) {
        sb_clear(&b);
        link_target(f, &b, ff);
        uout_puts(o, " -> ");
        ls_name(o, b.s ? b.s : "", b.len);
    }
    sb_free(&b);
    uout_putc(o, '\n');
}
