/* tar.c - GNU tar 1.34's command line: old-style option letters
 * ("tar czvf x.tgz d"), short and long options in any order, the mode
 * (-c -x -t -r -u -d), -f (default "-"), -C DIR in order among the names, -T
 * lists, and the usage errors and exit statuses of GNU tar (2 after any
 * error, with "Exiting with failure status due to previous errors"; 64 for
 * an unknown option). Extraction and listing from stdin stream as a pipeline
 * stage. See tar.h for the files that do the work. */
#include "datetime.h"
#include "tar.h"

#include <errno.h>
#include <stdio.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

enum {
    O_BASE = 0x100, O_SKIP_OLD, O_OVERWRITE, O_KEEP_NEWER, O_STRIP, O_EXCLUDE, O_WILDCARDS, O_NO_WILDCARDS,
    O_ANCHORED, O_NO_ANCHORED, O_NULL, O_NO_NULL, O_TRANSFORM, O_OWNER, O_GROUP, O_NUMERIC, O_MTIME, O_SORT,
    O_POSIX, O_NO_SAME_PERMS, O_SAME_OWNER, O_NO_SAME_OWNER, O_NO_RECURSION, O_RECURSION, O_REMOVE_FILES,
    O_RECORD_SIZE, O_IGNORE, O_IGNORE_ARG, O_LZMA, O_ZSTD, O_DELETE, O_TOTALS, O_MODE, O_LZIP, O_LZOP, O_EXCLUDE_VCS,
};

static const UOptLong tar_longs[] = {
    {"create", UO_NOARG, 'c'}, {"extract", UO_NOARG, 'x'}, {"get", UO_NOARG, 'x'}, {"list", UO_NOARG, 't'},
    {"append", UO_NOARG, 'r'}, {"update", UO_NOARG, 'u'},
    {"diff", UO_NOARG, 'd'}, {"compare", UO_NOARG, 'd'}, {"file", UO_REQ, 'f'}, {"directory", UO_REQ, 'C'},
    {"verbose", UO_NOARG, 'v'}, {"gzip", UO_NOARG, 'z'}, {"gunzip", UO_NOARG, 'z'}, {"ungzip", UO_NOARG, 'z'},
    {"bzip2", UO_NOARG, 'j'}, {"xz", UO_NOARG, 'J'}, {"lzma", UO_NOARG, O_LZMA}, {"zstd", UO_NOARG, O_ZSTD},
    {"compress", UO_NOARG, 'Z'}, {"uncompress", UO_NOARG, 'Z'}, {"auto-compress", UO_NOARG, 'a'},
    {"to-stdout", UO_NOARG, 'O'}, {"keep-old-files", UO_NOARG, 'k'}, {"skip-old-files", UO_NOARG, O_SKIP_OLD},
    {"overwrite", UO_NOARG, O_OVERWRITE}, {"keep-newer-files", UO_NOARG, O_KEEP_NEWER},
    {"strip-components", UO_REQ, O_STRIP}, {"exclude", UO_REQ, O_EXCLUDE}, {"exclude-from", UO_REQ, 'X'},
    {"wildcards", UO_NOARG, O_WILDCARDS}, {"no-wildcards", UO_NOARG, O_NO_WILDCARDS},
    {"anchored", UO_NOARG, O_ANCHORED}, {"no-anchored", UO_NOARG, O_NO_ANCHORED},
    {"files-from", UO_REQ, 'T'}, {"null", UO_NOARG, O_NULL}, {"no-null", UO_NOARG, O_NO_NULL},
    {"transform", UO_REQ, O_TRANSFORM}, {"xform", UO_REQ, O_TRANSFORM}, {"owner", UO_REQ, O_OWNER},
    {"group", UO_REQ, O_GROUP}, {"numeric-owner", UO_NOARG, O_NUMERIC}, {"mtime", UO_REQ, O_MTIME},
    {"sort", UO_REQ, O_SORT}, {"format", UO_REQ, 'H'}, {"posix", UO_NOARG, O_POSIX},
    {"preserve-permissions", UO_NOARG, 'p'}, {"same-permissions", UO_NOARG, 'p'},
    {"no-same-permissions", UO_NOARG, O_NO_SAME_PERMS}, {"same-owner", UO_NOARG, O_SAME_OWNER},
    {"no-same-owner", UO_NOARG, O_NO_SAME_OWNER}, {"absolute-names", UO_NOARG, 'P'},
    {"dereference", UO_NOARG, 'h'}, {"no-recursion", UO_NOARG, O_NO_RECURSION},
    {"recursion", UO_NOARG, O_RECURSION}, {"touch", UO_NOARG, 'm'}, {"remove-files", UO_NOARG, O_REMOVE_FILES},
    {"blocking-factor", UO_REQ, 'b'}, {"record-size", UO_REQ, O_RECORD_SIZE},
    {"one-file-system", UO_NOARG, O_IGNORE}, {"totals", UO_OPT, O_TOTALS}, {"warning", UO_REQ, O_IGNORE_ARG},
    {"checkpoint", UO_OPT, O_IGNORE_ARG}, {"quoting-style", UO_REQ, O_IGNORE_ARG},
    {"show-transformed-names", UO_NOARG, O_IGNORE}, {"ignore-failed-read", UO_NOARG, O_IGNORE},
    {"verbatim-files-from", UO_NOARG, O_IGNORE}, {"no-verbatim-files-from", UO_NOARG, O_IGNORE},
    {"delay-directory-restore", UO_NOARG, O_IGNORE}, {"no-overwrite-dir", UO_NOARG, O_IGNORE},
    {"full-time", UO_NOARG, O_IGNORE}, {"utc", UO_NOARG, O_IGNORE}, {"delete", UO_NOARG, O_DELETE},
    {"mode", UO_REQ, O_MODE}, {"use-compress-program", UO_REQ, 'I'}, {"lzip", UO_NOARG, O_LZIP},
    {"lzop", UO_NOARG, O_LZOP}, {"exclude-vcs", UO_NOARG, O_EXCLUDE_VCS}, {"unlink-first", UO_NOARG, 'U'}, {"hard-dereference", UO_NOARG, O_IGNORE},
    {NULL, 0, 0},
};

/* Letters of the old-style first argument that take the next word. */
static const char old_with_arg[] = "fCTXbHIKNVgL";
static const char tar_shortopts[] = "Acdtxruf:C:vzjJZaOkpPhmT:X:b:H:I:UwWBiGSlMnoqsRK:N:V:g:L:";

/* --exclude-vcs: GNU tar's table of version-control files and directories.
 * They match a name's last component only: a listing or an extraction skips
 * the directory's own entry but not the members below it, as GNU's does. */
static void exclude_vcs(Tar *t) {
    static const char *const vcs[] = {"CVS", ".cvsignore", "RCS", "SCCS", ".svn", ".git", ".gitignore",
                                      ".gitattributes", ".gitmodules", ".arch-ids", "{arch}", "=RELEASE-ID",
                                      "=meta-update", "=update", ".bzr", ".bzrignore", ".bzrtags", ".hg",
                                      ".hgignore", ".hgtags", "_darcs", NULL};
    for (int i = 0; vcs[i]; i++) sl_push_copy(&t->vcs_excludes, vcs[i]);
}

static void try_line(Tar *t) {
    uc_puts(t->c, 2, "Try 'tar --help' or 'tar --usage' for more information.\n");
}

/* The program a compression option stands for, as GNU tar records it. */
static const char *compressor_of(int k, const char *arg) {
    switch (k) {
    case 'z': return "gzip";
    case 'j': return "bzip2";
    case 'J': return "xz";
    case O_LZMA: return "lzma";
    case O_ZSTD: return "zstd";
    case 'Z': return "compress";
    case O_LZIP: return "lzip";
    case O_LZOP: return "lzop";
    default: return arg; /* -I PROG */
    }
}

/* A compression option: gzip and bzip2 (and their parallel twins) are built
 * in, whatever their arguments; any other program is missing, as
 * zip_available says. Two different programs conflict, as in GNU tar. */
static bool use_program(Tar *t, const char *prog) {
    if (t->zip_prog && strcmp(t->zip_prog, prog)) {
        tar_msg(t, "Conflicting compression options");
        try_line(t);
        return false;
    }
    static const struct {
        const char *name;
        TarZip zip;
    } known[] = {{"gzip", TZ_GZIP}, {"pigz", TZ_GZIP}, {"bzip2", TZ_BZIP2}, {"pbzip2", TZ_BZIP2},
                 {"lbzip2", TZ_BZIP2}, {"xz", TZ_XZ}, {"lzma", TZ_LZMA}, {"zstd", TZ_ZSTD},
                 {"compress", TZ_COMPRESS}};
    size_t n = strcspn(prog, " \t");
    const char *base = prog;
    for (const char *p = prog; p < prog + n; p++)
        if (*p == '/') base = p + 1;
    size_t bn = (size_t)(prog + n - base);
    t->zip = TZ_PROGRAM;
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        if (bn == strlen(known[i].name) && !strncmp(base, known[i].name, bn)) t->zip = known[i].zip;
    if (t->zip != TZ_GZIP && t->zip != TZ_BZIP2) t->zip = TZ_PROGRAM; /* named as given in messages */
    free(t->zip_prog);
    t->zip_prog = xstrdup(prog);
    return true;
}

/* "tar cvf x d" -> "tar -c -v -f x d". Returns a new argv (caller frees the array). */
static char **expand_old_style(Tar *t, int argc, char **argv, int *nargc, bool *bad) {
    char **v = xcalloc((size_t)argc * 3 + 2, sizeof *v);
    int n = 0, i = 1;
    v[n++] = argv[0];
    *bad = false;
    if (argc > 1 && argv[1][0] != '-') {
        const char *letters = argv[1];
        i = 2;
        for (const char *p = letters; *p; p++) {
            char opt[3] = {'-', *p, 0};
            v[n++] = xstrdup(opt);
            if (strchr(old_with_arg, *p)) {
                if (i >= argc) {
                    tar_msg(t, "Old option '%c' requires an argument.", *p);
                    try_line(t);
                    *bad = true;
                    break;
                }
                v[n++] = xstrdup(argv[i++]);
            }
        }
    }
    for (; i < argc; i++) v[n++] = xstrdup(argv[i]);
    v[n] = NULL;
    *nargc = n;
    return v;
}

static void free_expanded(char **v, int n) {
    for (int i = 1; i < n; i++) free(v[i]);
    free(v);
}

static bool set_mode(Tar *t, TarMode m) {
    if (t->mode != TM_NONE && t->mode != m) {
        tar_msg(t, "You may not specify more than one '-Acdtrux', '--delete' or  '--test-label' option");
        try_line(t);
        return false;
    }
    t->mode = m;
    return true;
}

/* --owner=NAME[:ID] and --group=NAME[:ID]. */
static bool parse_id(Tar *t, const char *arg, bool is_owner) {
    const char *colon = strchr(arg, ':');
    char *name = colon ? xstrndup(arg, (size_t)(colon - arg)) : xstrdup(arg);
    uintmax_t id;
    const char *num = name[0] == '+' ? name + 1 : name;
    bool ok = true;
    if (colon) {
        if (!u_parse_uint(colon + 1, &id)) ok = false;
    } else if (u_parse_uint(num, &id)) {
        /* a number: the stored name is looked up, as GNU does */
        free(name);
        name = NULL;
        char buf[1024];
        if (is_owner) {
            struct passwd pw, *r;
            if (getpwuid_r((uid_t)id, &pw, buf, sizeof buf, &r) == 0 && r) name = xstrdup(pw.pw_name);
            else if (id == 0) name = xstrdup("root");
        } else {
            struct group gr, *r;
            if (getgrgid_r((gid_t)id, &gr, buf, sizeof buf, &r) == 0 && r) name = xstrdup(gr.gr_name);
            else if (id == 0) name = xstrdup("root");
        }
        if (!name) name = xstrdup("");
    } else {
        char buf[1024];
        if (is_owner) {
            struct passwd pw, *r;
            if (getpwnam_r(name, &pw, buf, sizeof buf, &r) == 0 && r) id = pw.pw_uid;
            else if (!strcmp(name, "root")) id = 0; /* no user database (wasm) */
            else ok = false;
        } else {
            struct group gr, *r;
            if (getgrnam_r(name, &gr, buf, sizeof buf, &r) == 0 && r) id = gr.gr_gid;
            else if (!strcmp(name, "root")) id = 0;
            else ok = false;
        }
    }
    if (!ok) {
        tar_msg(t, "%s: Invalid %s", arg, is_owner ? "owner" : "group");
        free(name);
        return false;
    }
    if (is_owner) t->owner = name, t->owner_id = id, t->owner_set = true;
    else t->group = name, t->group_id = id, t->group_set = true;
    return true;
}

static bool parse_mtime(Tar *t, const char *arg) {
    struct stat st;
    if ((arg[0] == '/' || arg[0] == '.') && stat(arg, &st) == 0) {
        t->mtime = (int64_t)st.st_mtime;
        t->mtime_set = true;
        return true;
    }
    struct timespec now, ts;
    clock_gettime(CLOCK_REALTIME, &now);
    if (!u_parse_datetime(arg, &now, false, &ts)) {
        tar_msg(t, "Substituting -9223372036854775807 for unknown date format '%s'", arg);
        t->mtime = 0;
        t->mtime_set = true;
        return true;
    }
    t->mtime = (int64_t)ts.tv_sec;
    t->mtime_set = true;
    free(t->mtime_text);
    t->mtime_text = xstrdup(arg);
    return true;
}

/* With -v, GNU tells how a --mtime date was understood, when that reads differently. */
static void report_mtime(Tar *t) {
    if (!t->verbose || !t->mtime_text) return;
    time_t tt = (time_t)t->mtime;
    struct tm tm;
    char buf[64];
    if (!localtime_r(&tt, &tm)) return;
    strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
    if (strcmp(buf, t->mtime_text)) tar_msg(t, "Option --mtime: Treating date '%s' as %s", t->mtime_text, buf);
}

/* Adds the names listed in a -T or -X file. */
static bool read_list(Tar *t, const char *file, StrList *into) {
    UcFile *f = uc_open(t->c, file, "r");
    if (!f) {
        tar_error_errno(t, file, "Cannot open", errno);
        tar_error(t, "Error is not recoverable: exiting now");
        return false;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int delim = t->null_names ? 0 : '\n';
    while ((n = uc_getdelim(f, &line, &cap, delim)) > 0) {
        if (line[n - 1] == delim) line[--n] = 0;
        if (n) sl_push_copy(into, line);
    }
    free(line);
    uc_close(f);
    return true;
}

typedef struct Pending {
    size_t at;          /* operands seen before it */
    char *name;         /* "\1DIR" or a -T name */
} Pending;

static TarFormat format_named(const char *s, bool *ok) {
    *ok = true;
    if (!strcmp(s, "gnu")) return TF_GNU;
    if (!strcmp(s, "oldgnu")) return TF_OLDGNU;
    if (!strcmp(s, "ustar")) return TF_USTAR;
    if (!strcmp(s, "posix") || !strcmp(s, "pax")) return TF_PAX;
    if (!strcmp(s, "v7")) return TF_V7;
    *ok = false;
    return TF_GNU;
}

static bool need_int(Tar *t, const char *arg, uintmax_t *v, const char *what) {
    if (!u_parse_uint(arg, v)) {
        tar_msg(t, "%s: Invalid %s", arg, what);
        try_line(t);
        return false;
    }
    return true;
}

/* Returns -1 to go on, or an exit status. */
static int tar_parse(Tar *t, int argc, char **argv) {
    int nargc;
    bool bad;
    char **av = expand_old_style(t, argc, argv, &nargc, &bad);
    if (bad) {
        free_expanded(av, nargc);
        return 2;
    }
    UOpts o;
    uopt_init(&o, t->c, nargc, av, tar_shortopts, tar_longs);
    o.try_line = "Try 'tar --help' or 'tar --usage' for more information.\n";
    Pending *pend = NULL;
    size_t npend = 0;
    int st = -1, k;
    uintmax_t v;
    while (st < 0 && (k = uopt_next(&o)) != UO_END) {
        switch (k) {
        case 'c': if (!set_mode(t, TM_CREATE)) st = 2; break;
        case 'x': if (!set_mode(t, TM_EXTRACT)) st = 2; break;
        case 't': if (!set_mode(t, TM_LIST)) st = 2; break;
        case 'r': if (!set_mode(t, TM_APPEND)) st = 2; break;
        case 'u': if (!set_mode(t, TM_UPDATE)) st = 2; break;
        case 'd': if (!set_mode(t, TM_DIFF)) st = 2; break;
        case 'A':
        case O_DELETE:
            tar_msg(t, "This tar does not support %s", k == 'A' ? "--catenate" : "--delete");
            st = 2;
            break;
        case 'f': free(t->file), t->file = xstrdup(o.arg); break;
        case 'C':
        case 'T': {
            StrList list;
            sl_init(&list);
            if (k == 'C') {
                StrBuf b;
                sb_init(&b);
                sb_putc(&b, '\1');
                sb_puts(&b, o.arg);
                sl_push(&list, sb_take(&b));
            } else if (t->probe) {
                t->has_lists = true;
            } else if (!read_list(t, o.arg, &list)) {
                st = 2;
            }
            for (size_t i = 0; i < list.n; i++) {
                pend = xrealloc(pend, (npend + 1) * sizeof *pend);
                pend[npend++] = (Pending){o.ops.n, list.v[i]};
                list.v[i] = NULL;
            }
            sl_free(&list);
            break;
        }
        case 'v': t->verbose++; break;
        case 'z': case 'j': case 'J': case O_LZMA: case O_ZSTD: case 'Z': case 'I': case O_LZIP: case O_LZOP:
            if (!use_program(t, compressor_of(k, o.arg))) st = 2;
            break;
        case O_EXCLUDE_VCS: exclude_vcs(t); break;
        case 'a': t->auto_compress = true; break;
        case 'O': t->to_stdout = true; break;
        case 'k': t->keep_old = true; break;
        case O_SKIP_OLD: t->skip_old = true; break;
        case O_OVERWRITE: case 'U': t->overwrite = true; break;
        case O_KEEP_NEWER: t->keep_newer = true; break;
        case O_STRIP:
            if (!need_int(t, o.arg, &v, "number of elements to strip")) st = 2;
            else t->strip = v > 1000000 ? 1000000 : (int)v;
            break;
        case O_EXCLUDE: sl_push_copy(&t->excludes, o.arg); break;
        case 'X':
            if (t->probe) t->has_lists = true;
            else if (!read_list(t, o.arg, &t->excludes)) st = 2;
            break;
        case O_WILDCARDS: t->wildcards = t->wildcards_given = true; break;
        case O_NO_WILDCARDS: t->wildcards = false, t->wildcards_given = true; break;
        case O_NULL: t->null_names = true; break;
        case O_NO_NULL: t->null_names = false; break;
        case O_TRANSFORM: {
            char *err;
            TarXform *x = tar_xform_parse(o.arg, &err);
            if (!x) {
                tar_msg(t, "%s", err);
                free(err);
                st = 2;
                break;
            }
            if (t->xform) {
                /* several --transform options apply in order: join them */
                tar_xform_free(x);
                StrBuf b;
                sb_init(&b);
                sb_printf(&b, "%s;%s", t->xform_src, o.arg);
                tar_xform_free(t->xform);
                free(t->xform_src);
                t->xform_src = sb_take(&b);
                t->xform = tar_xform_parse(t->xform_src, &err);
            } else {
                t->xform = x;
                t->xform_src = xstrdup(o.arg);
            }
            break;
        }
        case O_OWNER: if (!parse_id(t, o.arg, true)) st = 2; break;
        case O_GROUP: if (!parse_id(t, o.arg, false)) st = 2; break;
        case O_NUMERIC: t->numeric = true; break;
        case O_MTIME: parse_mtime(t, o.arg); break;
        case O_SORT:
            if (!strcmp(o.arg, "name")) t->sort = TS_NAME;
            else if (!strcmp(o.arg, "none")) t->sort = TS_NONE;
            else if (!strcmp(o.arg, "inode")) t->sort = TS_INODE;
            else {
                tar_msg(t, "invalid argument '%s' for '--sort'", o.arg);
                try_line(t);
                st = 2;
            }
            break;
        case 'H': {
            bool ok;
            t->format = format_named(o.arg, &ok);
            if (!ok) {
                tar_msg(t, "%s: Invalid archive format", o.arg);
                try_line(t);
                st = 2;
            }
            break;
        }
        case O_POSIX: t->format = TF_PAX; break;
        case 'p': t->preserve = true; break;
        case O_NO_SAME_PERMS: t->no_same_perms = true; break;
        case 'P': t->absolute = true; break;
        case 'h': t->dereference = true; break;
        case O_NO_RECURSION: t->no_recursion = true; break;
        case O_RECURSION: t->no_recursion = false; break;
        case 'm': t->touch = true; break;
        case O_REMOVE_FILES: t->remove_files = true; break;
        case 'b':
            if (!need_int(t, o.arg, &v, "blocking factor") || v == 0 || v > 4096) st = st < 0 ? 2 : st;
            else t->blocking = (int)v;
            break;
        case O_RECORD_SIZE:
            if (!need_int(t, o.arg, &v, "record size") || v == 0 || v % TAR_BLOCK) st = st < 0 ? 2 : st;
            else t->blocking = (int)(v / TAR_BLOCK);
            break;
        case O_SAME_OWNER: case O_NO_SAME_OWNER: case O_IGNORE: case O_IGNORE_ARG: case O_TOTALS: case O_MODE:
        case 'w': case 'W': case 'B': case 'i': case 'G': case 'S': case 'l': case 'M': case 'n': case 'o':
        case 'q': case 's': case 'R': case 'K': case 'N': case 'V': case 'g': case 'L':
            break;
        case UO_HELP:
            uc_puts(t->c, 1, "Usage: tar [OPTION...] [FILE]...\nGNU 'tar' saves many files together into a single tape or disk archive,\nand can restore individual files from the archive.\n");
            st = 0;
            break;
        case UO_VERSION: uc_puts(t->c, 1, "tar (GNU tar) 1.34 (wasmsh)\n"); st = 0; break;
        default: st = 64; break;
        }
    }
    if (st < 0) {
        /* names in order, with -C and -T entries where they appeared */
        size_t pi = 0;
        for (size_t i = 0; i <= o.ops.n; i++) {
            while (pi < npend && pend[pi].at == i) {
                sl_push(&t->names, pend[pi].name);
                pend[pi++].name = NULL;
            }
            if (i < o.ops.n) sl_push_copy(&t->names, o.ops.v[i]);
        }
    }
    for (size_t i = 0; i < npend; i++) free(pend[i].name);
    free(pend);
    uopt_free(&o);
    free_expanded(av, nargc);
    return st;
}

static TarZip zip_for_suffix(const char *name) {
    static const struct {
        const char *suf;
        TarZip z;
    } sufs[] = {{".gz", TZ_GZIP}, {".tgz", TZ_GZIP}, {".taz", TZ_GZIP}, {".bz2", TZ_BZIP2}, {".tbz", TZ_BZIP2},
                {".tbz2", TZ_BZIP2}, {".tz2", TZ_BZIP2}, {".xz", TZ_XZ}, {".txz", TZ_XZ}, {".lzma", TZ_LZMA},
                {".zst", TZ_ZSTD}, {".tzst", TZ_ZSTD}, {".Z", TZ_COMPRESS}, {".taZ", TZ_COMPRESS}};
    size_t n = strlen(name);
    for (size_t i = 0; i < sizeof sufs / sizeof *sufs; i++) {
        size_t s = strlen(sufs[i].suf);
        if (n > s && !strcmp(name + n - s, sufs[i].suf)) return sufs[i].z;
    }
    return TZ_NONE;
}

/* Compressors this build has; the others fail as a missing program does in
 * GNU tar: a reading child execs the program ("Cannot exec"), a writing one
 * runs it through sh ("not found", status 127). */
static bool zip_available(Tar *t) {
    if (t->zip == TZ_NONE || t->zip == TZ_GZIP || t->zip == TZ_BZIP2) return true;
    static const char *const prog[] = {"", "gzip", "bzip2", "xz", "lzma", "zstd", "compress", ""};
    const char *name = t->zip_prog ? t->zip_prog : prog[t->zip]; /* -a picks by suffix */
    if (t->mode == TM_CREATE) { /* sh names the command word only */
        uc_printf(t->c, 2, "/bin/sh: 1: %.*s: not found\n", (int)strcspn(name, " \t"), name);
        tar_msg(t, "Child returned status 127");
    } else {
        uc_printf(t->c, 2, "tar (child): %s: Cannot exec: No such file or directory\n"
                           "tar (child): Error is not recoverable: exiting now\n", name);
        tar_msg(t, "Child returned status 2");
    }
    tar_msg(t, "Error is not recoverable: exiting now");
    return false;
}

static Tar *tar_new(UtilCtx *c) {
    Tar *t = xcalloc(1, sizeof *t);
    t->c = c;
    t->file = xstrdup("-");
    t->blocking = 20;
    t->ugswidth = 19;
    sl_init(&t->excludes);
    sl_init(&t->vcs_excludes);
    sl_init(&t->names);
    sl_init(&t->warned_prefixes);
    uout_init(&t->out, c, 1);
    const char *tape = uc_getenv(c, "TAPE");
    if (tape && *tape) free(t->file), t->file = xstrdup(tape);
    return t;
}

static int tar_free(Tar *t, int status) {
    if (uout_close(&t->out) && !status) status = 2;
    sl_free(&t->excludes);
    sl_free(&t->vcs_excludes);
    free(t->zip_prog);
    sl_free(&t->names);
    sl_free(&t->warned_prefixes);
    free(t->name_used);
    free(t->file);
    free(t->mtime_text);
    tar_xform_free(t->xform);
    free(t->xform_src);
    free((char *)t->owner);
    free((char *)t->group);
    free(t);
    return status;
}

/* Checks the mode and what it needs; -1 to go on. */
static int tar_prepare(Tar *t) {
    if (t->mode == TM_NONE) {
        tar_msg(t, "You must specify one of the '-Acdtrux', '--delete' or '--test-label' options");
        try_line(t);
        return 2;
    }
    t->name_used = xcalloc(t->names.n + 1, sizeof *t->name_used);
    if (t->mode == TM_EXTRACT || t->mode == TM_LIST || t->mode == TM_DIFF) {
        /* -C applies to extraction (and comparison) as a whole */
        for (size_t i = 0; i < t->names.n; i++)
            if (t->names.v[i][0] == '\1') t->dir = t->names.v[i] + 1;
    }
    if (t->mode == TM_CREATE && t->auto_compress && t->zip == TZ_NONE) t->zip = zip_for_suffix(t->file);
    if (!zip_available(t)) return 2;
    t->listing_to_stderr = t->mode == TM_CREATE && !strcmp(t->file, "-");
    report_mtime(t);
    return -1;
}

static int tar_done(Tar *t, int status) {
    if (status == 2 && !t->fatal) tar_msg(t, "Exiting with failure status due to previous errors");
    return status;
}

int util_tar_main(UtilCtx *c, int argc, char **argv) {
    Tar *t = tar_new(c);
    int st = tar_parse(t, argc, argv);
    if (st < 0) st = tar_prepare(t);
    if (st < 0) {
        switch (t->mode) {
        case TM_CREATE: st = tar_create(t); break;
        case TM_APPEND:
        case TM_UPDATE: st = tar_append(t); break;
        case TM_DIFF: st = tar_compare_file(t); break;
        default: st = tar_extract_file(t); break;
        }
        st = tar_done(t, st ? st : t->status);
    }
    return tar_free(t, st);
}

/* ---------------------------------------------------------------- push */

typedef struct TarPush {
    Tar *t;
    TarExtract *x;      /* -x / -t */
    TarCompare *d;      /* -d */
} TarPush;

static void *tar_start(UtilCtx *c, int argc, char **argv, int *status) {
    Tar *t = tar_new(c);
    t->probe = true; /* -T lists are not read here: they may name stdin */
    int st = tar_parse(t, argc, argv);
    if (st >= 0) {
        *status = tar_free(t, st);
        return NULL;
    }
    if ((t->mode != TM_EXTRACT && t->mode != TM_LIST && t->mode != TM_DIFF) || strcmp(t->file, "-") || t->has_lists) {
        tar_free(t, 0);
        *status = -1;
        return NULL;
    }
    st = tar_prepare(t);
    if (st >= 0) {
        *status = tar_free(t, st);
        return NULL;
    }
    TarPush *p = xcalloc(1, sizeof *p);
    p->t = t;
    if (t->mode == TM_DIFF) p->d = tar_compare_begin(t);
    else p->x = tar_extract_begin(t);
    return p;
}

static int tar_feed(void *state, const char *data, size_t n) {
    TarPush *p = state;
    if (p->t->fatal) return 0; /* keep reading, as a failed tar would not close the pipe early */
    if (p->d) tar_compare_feed(p->d, (const uint8_t *)data, n);
    else tar_extract_feed(p->x, (const uint8_t *)data, n);
    return 0;
}

static int tar_finish(void *state) {
    TarPush *p = state;
    Tar *t = p->t;
    int st = p->d ? tar_compare_end(p->d) : tar_extract_end(p->x);
    st = tar_done(t, st ? st : t->status);
    free(p);
    return tar_free(t, st);
}

const UtilPushOps util_tar_push = {tar_start, tar_feed, tar_finish};
