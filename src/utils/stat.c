/* stat.c - the stat utility (GNU coreutils 9.1): the default multi-line
 * report, -c/--format and --printf with every file directive (flags, width
 * and precision, %.3Y style fractions), -L, -t, and -f for file systems. */
#include "datetime.h"
#include "modes.h"
#include "ucommon.h"
#include "ident.h"

#include <errno.h>
#include <ctype.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#if defined(__linux__) && !defined(__EMSCRIPTEN__)
#include <sys/vfs.h>
#endif

typedef struct Stat {
    UtilCtx *c;
    UOut out;
    bool deref, fs, terse, interpret_escapes;
    const char *format;  /* NULL: the default */
    int status;
    bool fatal;          /* an invalid directive: stop at once */
    bool newline;        /* -c: a newline after each file's output */
} Stat;

/* One file being reported. */
typedef struct SFile {
    const char *name;
    struct stat st;
    bool have_birth;
    struct timespec birth;
    struct statvfs vfs;
    unsigned long fstype;
} SFile;

static const char default_regular[] =
    "  File: %N\n"
    "  Size: %-10s\tBlocks: %-10b IO Block: %-6o %F\n"
    "Device: %Hd,%Ld\tInode: %-10i  Links: %h\n"
    "Access: (%04a/%10.10A)  Uid: (%5u/%8U)   Gid: (%5g/%8G)\n"
    "Access: %x\nModify: %y\nChange: %z\n Birth: %w\n";
static const char default_device[] =
    "  File: %N\n"
    "  Size: %-10s\tBlocks: %-10b IO Block: %-6o %F\n"
    "Device: %Hd,%Ld\tInode: %-10i  Links: %-5h Device type: %Hr,%Lr\n"
    "Access: (%04a/%10.10A)  Uid: (%5u/%8U)   Gid: (%5g/%8G)\n"
    "Access: %x\nModify: %y\nChange: %z\n Birth: %w\n";
static const char terse_regular[] = "%n %s %b %f %u %g %D %i %h %t %T %X %Y %Z %W %o\n";
static const char default_fs[] =
    "  File: \"%n\"\n"
    "    ID: %-8i Namelen: %-7l Type: %T\n"
    "Block size: %-10s Fundamental block size: %S\n"
    "Blocks: Total: %-10b Free: %-10f Available: %a\n"
    "Inodes: Total: %-10c Free: %d\n";
static const char terse_fs[] = "%n %i %l %t %s %S %b %f %a %c %d\n";

/* ---------- output helpers ---------- */

/* printf-style numbers: spec holds the flags, width and precision. */
static void out_num(Stat *s, const char *spec, char conv, uintmax_t v, bool is_signed) {
    char fmt[80], buf[160];
    StrBuf f;
    sb_init(&f);
    for (const char *p = spec; *p; p++)
        if (*p != 'I') sb_putc(&f, *p);
    snprintf(fmt, sizeof fmt, "%%%.60sj%c", sb_cstr(&f), conv);
    sb_free(&f);
    if (is_signed) snprintf(buf, sizeof buf, fmt, (intmax_t)v);
    else snprintf(buf, sizeof buf, fmt, v);
    uout_puts(&s->out, buf);
}

static void out_str(Stat *s, const char *spec, const char *v) { uout_put_padded(&s->out, spec, v); }

static const char *file_type(const struct stat *st) {
    switch (st->st_mode & S_IFMT) {
    case S_IFREG: return st->st_size == 0 ? "regular empty file" : "regular file";
    case S_IFDIR: return "directory";
    case S_IFLNK: return "symbolic link";
    case S_IFIFO: return "fifo";
    case S_IFSOCK: return "socket";
    case S_IFCHR: return "character special file";
    case S_IFBLK: return "block special file";
    default: return "weird file";
    }
}

/* "2023-11-14 22:13:20.123456789 +0000" */
static void human_time(Stat *s, const char *spec, struct timespec ts) {
    StrBuf b;
    sb_init(&b);
    u_format_time(&b, "%Y-%m-%d %H:%M:%S.%N %z", &ts, false);
    out_str(s, spec, sb_cstr(&b));
    sb_free(&b);
}

/* %X %Y %Z %W: seconds, with a precision giving that many fraction digits
 * ("%.Y" alone means 9). Width and '-' apply to the whole number. */
static void epoch_time(Stat *s, const char *spec, struct timespec ts) {
    const char *dot = strchr(spec, '.');
    StrBuf v, w;
    sb_init(&v);
    sb_init(&w);
    sb_printf(&v, "%jd", (intmax_t)ts.tv_sec);
    if (dot) {
        long prec = dot[1] >= '0' && dot[1] <= '9' ? strtol(dot + 1, NULL, 10) : 9;
        if (prec > 1000) prec = 1000;
        char ns[16];
        snprintf(ns, sizeof ns, "%09ld", ts.tv_nsec);
        if (prec) sb_putc(&v, '.');
        for (long i = 0; i < prec; i++) sb_putc(&v, i < 9 ? ns[i] : '0');
        sb_put(&w, spec, (size_t)(dot - spec));
        spec = sb_cstr(&w);
    }
    out_str(s, spec, sb_cstr(&v));
    sb_free(&v);
    sb_free(&w);
}

static void quoted_name(Stat *s, const char *spec, const SFile *f) {
    StrBuf b;
    sb_init(&b);
    char *q = u_quote_always(f->name);
    sb_puts(&b, q);
    free(q);
    if (S_ISLNK(f->st.st_mode)) {
        char target[PATH_MAX];
        ssize_t n = readlink(f->name, target, sizeof target - 1);
        if (n >= 0) {
            target[n] = '\0';
            q = u_quote_always(target);
            sb_printf(&b, " -> %s", q);
            free(q);
        }
    }
    out_str(s, spec, sb_cstr(&b));
    sb_free(&b);
}

/* The default report names files and link targets as they are. */
static void plain_name(Stat *s, const char *spec, const SFile *f) {
    StrBuf b;
    sb_init(&b);
    sb_puts(&b, f->name);
    if (S_ISLNK(f->st.st_mode)) {
        char target[PATH_MAX];
        ssize_t n = readlink(f->name, target, sizeof target - 1);
        if (n >= 0) sb_printf(&b, " -> %.*s", (int)n, target);
    }
    out_str(s, spec, sb_cstr(&b));
    sb_free(&b);
}

/* The mount point: the highest directory above the file on its device. */
static void mount_point(Stat *s, const char *spec, const SFile *f) {
    char *path = realpath(f->name, NULL);
    if (!path) {
        out_str(s, spec, "?");
        return;
    }
    if (!S_ISDIR(f->st.st_mode)) {
        char *slash = strrchr(path, '/');
        if (slash == path) slash[1] = '\0';
        else if (slash) *slash = '\0';
    }
    struct stat here;
    dev_t dev = stat(path, &here) == 0 ? here.st_dev : f->st.st_dev;
    while (strcmp(path, "/") != 0) {
        char *slash = strrchr(path, '/');
        char saved = slash[slash == path ? 1 : 0];
        slash[slash == path ? 1 : 0] = '\0';
        struct stat up;
        if (stat(path, &up) != 0 || up.st_dev != dev) {
            slash[slash == path ? 1 : 0] = saved;
            break;
        }
    }
    out_str(s, spec, path);
    free(path);
}

static void owner(Stat *s, const char *spec, const struct stat *st, bool group) {
    char buf[64];
    bool named = group ? u_group_name(st->st_gid, buf, sizeof buf) : u_user_name(st->st_uid, buf, sizeof buf);
    out_str(s, spec, named ? buf : "UNKNOWN");
}

/* ---------- file directives ---------- */

static void file_directive(Stat *s, const char *spec, char mod, char conv, const SFile *f, bool plain) {
    const struct stat *st = &f->st;
    char buf[16];
    switch (conv) {
    case 'n': out_str(s, spec, f->name); break;
    case 'N': plain ? plain_name(s, spec, f) : quoted_name(s, spec, f); break;
    case 'd':
        if (mod) out_num(s, spec, 'u', mod == 'H' ? major(st->st_dev) : minor(st->st_dev), false);
        else out_num(s, spec, 'u', st->st_dev, false);
        break;
    case 'D': out_num(s, spec, 'x', st->st_dev, false); break;
    case 'i': out_num(s, spec, 'u', st->st_ino, false); break;
    case 'a': out_num(s, spec, 'o', st->st_mode & 07777, false); break;
    case 'A': u_mode_string(st->st_mode, buf); out_str(s, spec, buf); break;
    case 'f': out_num(s, spec, 'x', st->st_mode, false); break;
    case 'F': out_str(s, spec, file_type(st)); break;
    case 'h': out_num(s, spec, 'u', st->st_nlink, false); break;
    case 'u': out_num(s, spec, 'u', st->st_uid, false); break;
    case 'U': owner(s, spec, st, false); break;
    case 'g': out_num(s, spec, 'u', st->st_gid, false); break;
    case 'G': owner(s, spec, st, true); break;
    case 'm': mount_point(s, spec, f); break;
    case 's': out_num(s, spec, 'd', (uintmax_t)st->st_size, true); break;
    case 'r':
        if (mod) out_num(s, spec, 'u', mod == 'H' ? major(st->st_rdev) : minor(st->st_rdev), false);
        else out_num(s, spec, 'u', st->st_rdev, false);
        break;
    case 'R': out_num(s, spec, 'x', st->st_rdev, false); break;
    case 't': out_num(s, spec, 'x', major(st->st_rdev), false); break;
    case 'T': out_num(s, spec, 'x', minor(st->st_rdev), false); break;
    case 'B': out_num(s, spec, 'u', 512, false); break;
    case 'b': out_num(s, spec, 'u', (uintmax_t)st->st_blocks, false); break;
    case 'o': out_num(s, spec, 'u', (uintmax_t)st->st_blksize, false); break;
    case 'x': human_time(s, spec, st->st_atim); break;
    case 'y': human_time(s, spec, st->st_mtim); break;
    case 'z': human_time(s, spec, st->st_ctim); break;
    case 'X': epoch_time(s, spec, st->st_atim); break;
    case 'Y': epoch_time(s, spec, st->st_mtim); break;
    case 'Z': epoch_time(s, spec, st->st_ctim); break;
    case 'w':
        if (f->have_birth) human_time(s, spec, f->birth);
        else out_str(s, spec, "-");
        break;
    case 'W':
        if (f->have_birth) epoch_time(s, spec, f->birth);
        else out_num(s, spec, 'd', 0, true);
        break;
    case 'C': out_str(s, spec, "?"); break;
    default: uout_putc(&s->out, '?'); break;
    }
}

/* ---------- file system directives ---------- */

static const char *fs_type_name(unsigned long t) {
    switch (t) {
    case 0xEF53: return "ext2/ext3";
    case 0x01021994: return "tmpfs";
    case 0x794c7630: return "overlayfs";
    case 0x9fa0: return "proc";
    case 0x62656572: return "sysfs";
    case 0x9123683e: return "btrfs";
    case 0x58465342: return "xfs";
    case 0x6969: return "nfs";
    case 0x1cd1: return "devpts";
    case 0x63677270: return "cgroup2fs";
    case 0x858458f6: return "ramfs";
    case 0x65735546: return "fuseblk";
    case 0x2fc12fc1: return "zfs";
    default: return NULL;
    }
}

static void fs_directive(Stat *s, const char *spec, char conv, const SFile *f) {
    const struct statvfs *v = &f->vfs;
    switch (conv) {
    case 'n': out_str(s, spec, f->name); break;
    case 'i': out_num(s, spec, 'x', (uintmax_t)v->f_fsid, false); break;
    case 'l': out_num(s, spec, 'u', v->f_namemax, false); break;
    case 't': out_num(s, spec, 'x', f->fstype, false); break;
    case 'T': {
        const char *name = fs_type_name(f->fstype);
        char buf[40];
        if (!name) snprintf(buf, sizeof buf, "UNKNOWN (0x%lx)", f->fstype), name = buf;
        out_str(s, spec, name);
        break;
    }
    case 'b': out_num(s, spec, 'u', v->f_blocks, false); break;
    case 'f': out_num(s, spec, 'u', v->f_bfree, false); break;
    case 'a': out_num(s, spec, 'u', v->f_bavail, false); break;
    case 's': out_num(s, spec, 'u', v->f_bsize, false); break;
    case 'S': out_num(s, spec, 'u', v->f_frsize ? v->f_frsize : v->f_bsize, false); break;
    case 'c': out_num(s, spec, 'u', v->f_files, false); break;
    case 'd': out_num(s, spec, 'u', v->f_ffree, false); break;
    default: uout_putc(&s->out, '?'); break;
    }
}

/* ---------- the format ---------- */

static int escape_char(char ch) {
    switch (ch) {
    case 'a': return '\a';
    case 'b': return '\b';
    case 'e': return 0x1b;
    case 'f': return '\f';
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    case 'v': return '\v';
    case '\\': return '\\';
    case '"': return '"';
    default: return -1;
    }
}

/* A --printf backslash escape at p; returns the bytes used. */
static size_t put_escape(Stat *s, const char *p) {
    if (p[1] >= '0' && p[1] <= '7') {
        int v = 0;
        size_t i = 1;
        for (; i < 4 && p[i] >= '0' && p[i] <= '7'; i++) v = v * 8 + (p[i] - '0');
        uout_putc(&s->out, (char)v);
        return i;
    }
    if (p[1] == 'x' && isxdigit((unsigned char)p[2])) {
        int v = 0;
        size_t i = 2;
        for (; i < 4 && isxdigit((unsigned char)p[i]); i++)
            v = v * 16 + (isdigit((unsigned char)p[i]) ? p[i] - '0' : (tolower((unsigned char)p[i]) - 'a' + 10));
        uout_putc(&s->out, (char)v);
        return i;
    }
    int e = p[1] ? escape_char(p[1]) : -1;
    if (e >= 0) {
        uout_putc(&s->out, (char)e);
        return 2;
    }
    if (!p[1]) {
        uout_putc(&s->out, '\\');
        return 1;
    }
    uout_flush(&s->out);
    uc_error(s->c, "warning: unrecognized escape '\\%c'", p[1]);
    uout_putc(&s->out, p[1]);
    return 2;
}

/* Runs the format for one file. False after a fatal format error. */
static bool print_format(Stat *s, const char *fmt, const SFile *f, bool plain) {
    for (const char *p = fmt; *p;) {
        if (*p == '\\' && s->interpret_escapes) {
            p += put_escape(s, p);
            continue;
        }
        if (*p != '%') {
            uout_putc(&s->out, *p++);
            continue;
        }
        const char *start = p + 1, *q = start;
        q += strspn(q, "'-+ #0I");
        while (*q >= '0' && *q <= '9') q++;
        if (*q == '.')
            for (q++; *q >= '0' && *q <= '9'; q++) {}
        char *spec = xstrndup(start, (size_t)(q - start));
        char conv = *q, mod = 0;
        if (!s->fs && (conv == 'H' || conv == 'L') && (q[1] == 'd' || q[1] == 'r')) mod = conv, conv = *++q;
        if (conv == '%' || !conv) {
            if (q != start) {
                char *bad = xstrndup(p, (size_t)(q - p) + (conv ? 1 : 0)), *qb = u_quote(bad);
                uout_flush(&s->out);
                uc_error(s->c, "%s: invalid directive", qb);
                free(bad);
                free(qb);
                free(spec);
                s->fatal = true;
                return false;
            }
            uout_putc(&s->out, '%');
        } else if (s->fs) {
            fs_directive(s, spec, conv, f);
        } else {
            file_directive(s, spec, mod, conv, f, plain);
        }
        free(spec);
        p = conv ? q + 1 : q;
    }
    return true;
}

/* ---------- files ---------- */

static void get_birth(SFile *f, bool deref) {
    f->have_birth = false;
#if defined(__GLIBC__) && defined(STATX_BTIME)
    struct statx x;
    if (statx(AT_FDCWD, f->name, deref ? 0 : AT_SYMLINK_NOFOLLOW, STATX_BTIME, &x) == 0 && (x.stx_mask & STATX_BTIME)) {
        f->have_birth = true;
        f->birth.tv_sec = x.stx_btime.tv_sec;
        f->birth.tv_nsec = x.stx_btime.tv_nsec;
    }
#else
    (void)deref;
#endif
}

static bool load_fs(Stat *s, SFile *f) {
    if (statvfs(f->name, &f->vfs) != 0) {
        char *q = u_quote_always(f->name);
        uc_error(s->c, "cannot read file system information for %s: %s", q, strerror(errno));
        free(q);
        return false;
    }
    f->fstype = 0;
#if defined(__linux__) && !defined(__EMSCRIPTEN__)
    struct statfs sf;
    if (statfs(f->name, &sf) == 0) f->fstype = (unsigned long)sf.f_type;
#endif
    return true;
}

static bool stat_one(Stat *s, const char *name) {
    SFile f;
    memset(&f, 0, sizeof f);
    f.name = name;
    if (s->fs) {
        if (!load_fs(s, &f)) return false;
        const char *fmt = s->format ? s->format : s->terse ? terse_fs : default_fs;
        bool ok = print_format(s, fmt, &f, false);
        if (ok && s->format && s->newline) uout_putc(&s->out, '\n');
        return ok;
    }
    if ((s->deref ? stat(name, &f.st) : u_lstat(name, &f.st)) != 0) {
        char *q = u_quote_always(name);
        uc_error(s->c, "cannot statx %s: %s", q, strerror(errno));
        free(q);
        return false;
    }
    get_birth(&f, s->deref);
    const char *fmt = s->format;
    bool plain = !fmt && !s->terse;
    if (!fmt) {
        bool dev = S_ISCHR(f.st.st_mode) || S_ISBLK(f.st.st_mode);
        fmt = s->terse ? terse_regular : dev ? default_device : default_regular;
    }
    bool ok = print_format(s, fmt, &f, plain);
    if (ok && s->format && s->newline) uout_putc(&s->out, '\n');
    return ok;
}

enum { OPT_PRINTF = 0x100, OPT_CACHED };

static const UOptLong stat_longs[] = {
    {"dereference", UO_NOARG, 'L'}, {"file-system", UO_NOARG, 'f'}, {"format", UO_REQ, 'c'},
    {"printf", UO_REQ, OPT_PRINTF}, {"terse", UO_NOARG, 't'},     {"cached", UO_REQ, OPT_CACHED},
    {NULL, 0, 0},
};

int util_stat_main(UtilCtx *c, int argc, char **argv) {
    Stat s;
    memset(&s, 0, sizeof s);
    s.c = c;
    UOpts o;
    uopt_init(&o, c, argc, argv, "Lfc:tZ", stat_longs);
    int k, r = -1;
    char *fmt_owned = NULL;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) {
        switch (k) {
        case 'L': s.deref = true; break;
        case 'f': s.fs = true; break;
        case 't': s.terse = true; break;
        case 'Z': case OPT_CACHED: break;
        case 'c':
            free(fmt_owned);
            s.format = fmt_owned = xstrdup(o.arg);
            s.interpret_escapes = false;
            s.newline = true;
            break;
        case OPT_PRINTF:
            free(fmt_owned);
            s.format = fmt_owned = xstrdup(o.arg);
            s.interpret_escapes = true;
            s.newline = false;
            break;
        case UO_HELP: r = u_help(c, "[OPTION]... FILE..."); break;
        case UO_VERSION: r = u_version(c); break;
        default: r = 1; break;
        }
    }
    if (r < 0 && !o.ops.n) r = (u_missing_operand(c, NULL), 1);
    uout_init(&s.out, c, 1);
    for (size_t i = 0; r < 0 && i < o.ops.n; i++) {
        if (!stat_one(&s, o.ops.v[i])) s.status = 1;
        if (s.fatal || uc_should_stop(c)) break;
    }
    if (uout_close(&s.out) && s.status == 0) s.status = 1;
    uopt_free(&o);
    free(fmt_owned);
    return r >= 0 ? r : s.status;
}
