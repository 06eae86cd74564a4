/* main.c - the sed utility: GNU sed 4.9 options, the input files (with one
 * byte of look-ahead for `$`, and across files for `$` of the last one), -i
 * in-place editing (a temp file renamed over the original, with its mode, an
 * optional backup), and push ops so that sed streams inside a pipeline. */
#include "sed.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { READ_CHUNK = 64 * 1024 };

static const char USAGE[] =
    "Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...\n"
    "\n"
    "  -n, --quiet, --silent\n"
    "                 suppress automatic printing of pattern space\n"
    "      --debug\n"
    "                 annotate program execution\n"
    "  -e script, --expression=script\n"
    "                 add the script to the commands to be executed\n"
    "  -f script-file, --file=script-file\n"
    "                 add the contents of script-file to the commands to be executed\n"
    "  --follow-symlinks\n"
    "                 follow symlinks when processing in place\n"
    "  -i[SUFFIX], --in-place[=SUFFIX]\n"
    "                 edit files in place (makes backup if SUFFIX supplied)\n"
    "  -l N, --line-length=N\n"
    "                 specify the desired line-wrap length for the `l' command\n"
    "  --posix\n"
    "                 disable all GNU extensions.\n"
    "  -E, -r, --regexp-extended\n"
    "                 use extended regular expressions in the script\n"
    "                 (for portability use POSIX -E).\n"
    "  -s, --separate\n"
    "                 consider files as separate rather than as a single,\n"
    "                 continuous long stream.\n"
    "      --sandbox\n"
    "                 operate in sandbox mode (disable e/r/w commands).\n"
    "  -u, --unbuffered\n"
    "                 load minimal amounts of data from the input files and flush\n"
    "                 the output buffers more often\n"
    "  -z, --null-data\n"
    "                 separate lines by NUL characters\n"
    "      --help     display this help and exit\n"
    "      --version  output version information and exit\n"
    "\n"
    "If no -e, --expression, -f, or --file option is given, then the first\n"
    "non-option argument is taken as the sed script to interpret.  All\n"
    "remaining arguments are names of input files; if no input files are\n"
    "specified, then the standard input is read.\n"
    "\n"
    "GNU sed home page: <https://www.gnu.org/software/sed/>.\n"
    "General help using GNU software: <https://www.gnu.org/gethelp/>.\n";

static const char BUG_LINE[] = "E-mail bug reports to: <bug-sed@gnu.org>.\n";

static int usage_error(Sed *s) {
    uc_puts(s->c, 2, USAGE);
    return SED_EXIT_BAD_USAGE;
}

/* ---------------------------------------------------------------- input */

bool sed_in_fill(Sed *s) {
    SedIn *in = &s->in;
    if (in->push || in->eof) return false;
    if (in->pos && (in->pos == in->buf.len || in->pos > in->buf.len / 2)) {
        memmove(in->buf.s, in->buf.s + in->pos, in->buf.len - in->pos);
        in->buf.len -= in->pos;
        in->scanned -= in->scanned > in->pos ? in->pos : in->scanned;
        in->pos = 0;
    }
    sb_reserve(&in->buf, READ_CHUNK);
    errno = 0;
    ssize_t n = in->f ? uc_fread(in->f, in->buf.s + in->buf.len, READ_CHUNK) : 0;
    if (n < 0) {
        uc_error(s->c, "read error on %s: %s", in->name, strerror(errno ? errno : EIO));
        s->status = SED_EXIT_PANIC;
        s->fatal = true;
        n = 0;
    }
    if (n == 0) in->eof = true;
    in->buf.len += (size_t)n;
    return true;
}

/* The next line of the current file: 1 with *p, *n (without its newline),
 * 0 when the file has no more, -1 when more data must arrive first. A line is
 * handed out only once the byte after it (or the end) is known, so `$` never
 * has to wait. */
int sed_in_line(Sed *s, const char **p, size_t *n, bool *chomped) {
    SedIn *in = &s->in;
    for (;;) {
        size_t avail = in->buf.len - in->pos;
        size_t from = in->scanned > in->pos ? in->scanned : in->pos;
        const char *b = in->buf.s ? in->buf.s + in->pos : "";
        const char *nl = in->buf.len > from ? mem_find(in->buf.s + from, s->delim, in->buf.len - from) : NULL;
        if (nl) {
            size_t len = (size_t)(nl - b);
            if (len + 1 < avail || in->eof) {
                *p = b;
                *n = len;
                *chomped = true;
                in->pos += len + 1;
                in->scanned = in->pos;
                return 1;
            }
            in->scanned = in->pos + len; /* found, waiting for the look-ahead byte */
        } else {
            if (in->eof) {
                if (!avail) return 0;
                *p = b;
                *n = avail;
                *chomped = false;
                in->pos = in->scanned = in->buf.len;
                return 1;
            }
            in->scanned = in->buf.len;
        }
        if (!s->fatal && sed_too_big(s, in->buf.len - in->pos)) return 0;
        if (s->fatal || !sed_in_fill(s)) return s->fatal ? 0 : -1;
    }
}

/* ---- -i ---- */

static char *dir_of(const char *name) {
    const char *sl = strrchr(name, '/');
    if (!sl) return xstrdup(".");
    if (sl == name) return xstrdup("/");
    return xstrndup(name, (size_t)(sl - name));
}

static char *backup_name(Sed *s, const char *name) {
    if (!strchr(s->suffix, '*')) {
        StrBuf b;
        sb_init(&b);
        sb_printf(&b, "%s%s", name, s->suffix);
        return sb_take(&b);
    }
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    StrBuf b;
    sb_init(&b);
    for (const char *p = s->suffix; *p; p++) {
        if (*p == '*') sb_puts(&b, base);
        else sb_putc(&b, *p);
    }
    if (!strchr(b.s, '/') && base != name) {
        char *d = dir_of(name);
        StrBuf full;
        sb_init(&full);
        sb_printf(&full, "%s/%s", d, b.s);
        free(d);
        sb_free(&b);
        return sb_take(&full);
    }
    return sb_take(&b);
}

static bool start_inplace(Sed *s, const char *name) {
    SedIn *in = &s->in;
    if (!in->f || stat(name, &in->st) < 0 || !S_ISREG(in->st.st_mode)) {
        uc_error(s->c, "couldn't edit %s: not a regular file", name);
        s->status = SED_EXIT_PANIC;
        s->fatal = true;
        return false;
    }
    char *d = dir_of(name);
    StrBuf t;
    sb_init(&t);
    sb_printf(&t, "%s/sedXXXXXX", d);
    free(d);
    int fd = mkstemp(t.s);
    if (fd < 0) {
        uc_error(s->c, "couldn't open temporary file %s: %s", t.s, strerror(errno));
        sb_free(&t);
        s->status = SED_EXIT_PANIC;
        s->fatal = true;
        return false;
    }
    close(fd);
    in->tmp_name = sb_take(&t);
    in->tmp_f = uc_open(s->c, in->tmp_name, "w");
    uout_init_file(&s->tmp_uo, s->c, in->tmp_f);
    s->main_out.uo = &s->tmp_uo;
    s->main_out.missing_newline = false;
    return true;
}

static void finish_inplace(Sed *s) {
    SedIn *in = &s->in;
    if (!in->tmp_name) return;
    uout_close(&s->tmp_uo);
    uc_close(in->tmp_f);
    in->tmp_f = NULL;
    s->main_out.uo = &s->stdout_uo;
    chmod(in->tmp_name, in->st.st_mode & 07777);
    const char *target = in->target ? in->target : in->name;
    if (s->suffix && strcmp(s->suffix, "*")) {
        char *bk = backup_name(s, target);
        if (rename(target, bk) < 0) {
            uc_error(s->c, "cannot rename %s: %s", target, strerror(errno));
            s->status = SED_EXIT_PANIC;
            s->fatal = true;
            unlink(in->tmp_name);
            free(bk);
            goto out;
        }
        free(bk);
    }
    if (rename(in->tmp_name, target) < 0) {
        uc_error(s->c, "cannot rename %s: %s", in->tmp_name, strerror(errno));
        s->status = SED_EXIT_PANIC;
        s->fatal = true;
        unlink(in->tmp_name);
    }
out:
    free(in->tmp_name);
    in->tmp_name = NULL;
}

void sed_in_close(Sed *s) {
    SedIn *in = &s->in;
    if (!in->open) return;
    if (s->inplace) finish_inplace(s);
    if (in->f && !in->push) uc_close(in->f);
    in->f = NULL;
    in->open = false;
    free(in->target);
    in->target = NULL;
}

/* Opens the next file of the list (an unreadable one is reported and is an
 * empty one). False when there is none. */
bool sed_in_open_next(Sed *s) {
    SedIn *in = &s->in;
    if (s->fatal || in->next >= in->nfiles) return false;
    const char *name = in->files[in->next++];
    in->name = name;
    in->open = true;
    if (in->push) return true; /* the pushed data is the file */
    in->eof = false;
    in->pos = in->scanned = 0;
    sb_clear(&in->buf);
    if (s->inplace && !strcmp(name, "-")) {
        uc_error(s->c, "couldn't edit %s: not a regular file", name);
        s->status = SED_EXIT_PANIC;
        s->fatal = true;
        in->eof = true;
        return true;
    }
    errno = 0;
    in->f = uc_open(s->c, name, "r");
    if (!in->f) {
        uc_error(s->c, "can't read %s: %s", name, strerror(errno ? errno : ENOENT));
        in->bad++;
        in->eof = true;
        return true;
    }
    if (s->inplace) {
        if (s->follow) {
            char *real = realpath(name, NULL);
            if (real) in->target = real;
        }
        if (!start_inplace(s, in->target ? in->target : name)) in->eof = true;
    }
    return true;
}

/* GNU's test_eof: is the current line the last one (of this file with -s)? */
bool sed_in_last(Sed *s) {
    SedIn *in = &s->in;
    for (;;) {
        if (in->open) {
            if (in->pos < in->buf.len) return false;
            if (!in->eof) {
                if (!sed_in_fill(s)) return false;
                continue;
            }
        }
        if (s->separate || in->push) return true;
        /* the last line of this file: is there a later file with data? */
        sed_in_close(s);
        if (!sed_in_open_next(s)) return true;
    }
}

/* ---------------------------------------------------------------- options */

enum { OPT_POSIX = 0x100, OPT_DEBUG, OPT_SANDBOX, OPT_FOLLOW, OPT_HELP, OPT_VERSION };

typedef struct LongOpt {
    const char *name;
    int has_arg; /* 0 none, 1 required, 2 optional */
    int key;
} LongOpt;

static const LongOpt longs[] = {
    {"binary", 0, 'b'},          {"debug", 0, OPT_DEBUG},        {"expression", 1, 'e'},
    {"file", 1, 'f'},            {"follow-symlinks", 0, OPT_FOLLOW}, {"help", 0, OPT_HELP},
    {"in-place", 2, 'i'},        {"line-length", 1, 'l'},        {"null-data", 0, 'z'},
    {"posix", 0, OPT_POSIX},     {"quiet", 0, 'n'},              {"regexp-extended", 0, 'E'},
    {"sandbox", 0, OPT_SANDBOX}, {"separate", 0, 's'},           {"silent", 0, 'n'},
    {"unbuffered", 0, 'u'},      {"version", 0, OPT_VERSION},    {"zero-terminated", 0, 'z'},
    {NULL, 0, 0},
};

typedef struct Args {
    Sed *s;
    int argc;
    char **argv;
    int i;
    StrList ops;
    int expr_no;
    bool have_script;
    int status; /* -1 go on */
} Args;

static int add_script_file(Args *a, const char *name) {
    Sed *s = a->s;
    errno = 0;
    UcFile *f = uc_open(s->c, name, "r");
    if (!f) {
        uc_error(s->c, "couldn't open file %s: %s", name, strerror(errno ? errno : ENOENT));
        return SED_EXIT_PANIC;
    }
    StrBuf b;
    sb_init(&b);
    char buf[8192];
    ssize_t n;
    while ((n = uc_fread(f, buf, sizeof buf)) > 0) sb_put(&b, buf, (size_t)n);
    uc_close(f);
    if (b.len && b.s[b.len - 1] == '\n') b.len--;
    sl_push_copy(&s->owned, name);
    sed_add_script(s, b.s ? b.s : "", b.len, 0, s->owned.v[s->owned.n - 1]);
    sb_free(&b);
    a->have_script = true;
    return -1;
}

/* Applies one option; -1 to go on, else an exit status. */
static int apply_opt(Args *a, int key, const char *arg) {
    Sed *s = a->s;
    switch (key) {
    case 'n': s->quiet = true; return -1;
    case 'e':
        sed_add_script(s, arg, strlen(arg), ++a->expr_no, NULL);
        a->have_script = true;
        return -1;
    case 'f': return add_script_file(a, arg);
    case 'E': case 'r': s->ere = true; return -1;
    case 'i':
        s->inplace = s->separate = true;
        free(s->suffix);
        s->suffix = arg && *arg ? xstrdup(arg) : NULL;
        return -1;
    case 'l': s->line_len = atol(arg); return -1;
    case 's': s->separate = true; return -1;
    case 'u': s->unbuffered = true; return -1;
    case 'z': s->delim = '\0'; return -1;
    case 'b': return -1;
    case OPT_POSIX: s->posix = true; return -1;
    case OPT_DEBUG: s->debug = true; return -1;
    case OPT_SANDBOX: s->sandbox = true; return -1;
    case OPT_FOLLOW: s->follow = true; return -1;
    case OPT_HELP:
        uc_puts(s->c, 1, USAGE);
        uc_puts(s->c, 1, BUG_LINE);
        return 0;
    case OPT_VERSION:
        uc_puts(s->c, 1, "sed (GNU sed) 4.9\nwasmsh's implementation of GNU sed 4.9 (not GNU code).\n");
        return 0;
    }
    return usage_error(s);
}

static int long_option(Args *a, const char *opt) {
    const char *name = opt + 2, *eq = strchr(name, '=');
    size_t len = eq ? (size_t)(eq - name) : strlen(name);
    const LongOpt *found = NULL;
    int matches = 0;
    for (const LongOpt *p = longs; p->name; p++) {
        if (strncmp(p->name, name, len)) continue;
        if (strlen(p->name) == len) {
            found = p;
            matches = 1;
            break;
        }
        if (!found || found->key != p->key) matches++;
        if (!found) found = p;
    }
    Sed *s = a->s;
    if (!found) {
        uc_error(s->c, "unrecognized option '%s'", opt);
        return usage_error(s);
    }
    if (matches > 1) {
        StrBuf b;
        sb_init(&b);
        sb_printf(&b, "option '%.*s' is ambiguous; possibilities:", (int)len + 2, opt);
        for (const LongOpt *p = longs; p->name; p++)
            if (!strncmp(p->name, name, len)) sb_printf(&b, " '--%s'", p->name);
        uc_error(s->c, "%s", b.s);
        sb_free(&b);
        return usage_error(s);
    }
    if (eq && !found->has_arg) {
        uc_error(s->c, "option '--%s' doesn't allow an argument", found->name);
        return usage_error(s);
    }
    const char *arg = eq ? eq + 1 : NULL;
    if (!arg && found->has_arg == 1) {
        if (a->i >= a->argc) {
            uc_error(s->c, "option '--%s' requires an argument", found->name);
            return usage_error(s);
        }
        arg = a->argv[a->i++];
    }
    return apply_opt(a, found->key, arg);
}

static int short_options(Args *a, const char *cl) {
    Sed *s = a->s;
    for (; *cl; cl++) {
        char ch = *cl;
        if (!strchr("nrsuzEbe:f:l:i", ch) || ch == ':') {
            uc_error(s->c, "invalid option -- '%c'", ch);
            return usage_error(s);
        }
        if (ch == 'i') return apply_opt(a, 'i', cl + 1);
        if (ch == 'e' || ch == 'f' || ch == 'l') {
            const char *arg = cl + 1;
            if (!*arg) {
                if (a->i >= a->argc) {
                    uc_error(s->c, "option requires an argument -- '%c'", ch);
                    return usage_error(s);
                }
                arg = a->argv[a->i++];
            }
            return apply_opt(a, ch, arg);
        }
        int r = apply_opt(a, ch, NULL);
        if (r >= 0) return r;
    }
    return -1;
}

/* Options may follow operands (GNU getopt permutes); "--" ends them. */
static int parse_args(Args *a) {
    bool done = false;
    while (a->i < a->argc) {
        const char *arg = a->argv[a->i++];
        int r = -1;
        if (done || arg[0] != '-' || !arg[1]) sl_push_copy(&a->ops, arg);
        else if (!strcmp(arg, "--")) done = true;
        else if (arg[1] == '-') r = long_option(a, arg);
        else r = short_options(a, arg + 1);
        if (r >= 0) return r;
    }
    return -1;
}

/* ---------------------------------------------------------------- setup */

static Sed *sed_new(UtilCtx *c) {
    Sed *s = xcalloc(1, sizeof *s);
    s->c = c;
    s->delim = '\n';
    s->line_len = 70;
    s->utf8 = u_locale_utf8(c);
    uout_init(&s->stdout_uo, c, 1);
    s->main_out.uo = &s->stdout_uo;
    return s;
}

static int sed_free(Sed *s) {
    int st = s->status;
    sed_in_close(s);
    if (uout_close(&s->stdout_uo) && !st) st = SED_EXIT_PANIC;
    sed_free_program(s);
    sed_free_run(s);
    sb_free(&s->in.buf);
    sl_free(&s->in_files);
    sl_free(&s->owned);
    free(s->suffix);
    free(s);
    return st;
}

/* Parses argv and compiles the program. NULL with *status when done. */
static Sed *sed_setup(UtilCtx *c, int argc, char **argv, int *status) {
    Sed *s = sed_new(c);
    Args a = {0};
    a.s = s;
    a.argc = argc;
    a.argv = argv;
    a.i = 1;
    int r = parse_args(&a);
    if (r < 0 && !a.have_script) {
        if (!a.ops.n) {
            r = usage_error(s);
        } else {
            sed_add_script(s, a.ops.v[0], strlen(a.ops.v[0]), 1, NULL);
            free(a.ops.v[0]);
            memmove(a.ops.v, a.ops.v + 1, a.ops.n * sizeof *a.ops.v);
            a.ops.n--;
        }
    }
    if (r < 0 && (r = sed_finish_program(s)) == 0) r = -1;
    s->in_files = a.ops;
    if (r < 0) {
        if (!s->inplace || s->in_files.n) return s;
        uc_error(c, "no input files");
        r = SED_EXIT_PANIC;
    }
    *status = r;
    sed_free(s);
    return NULL;
}

static void setup_input(Sed *s, bool push) {
    static char *const stdin_list[] = {"-"};
    SedIn *in = &s->in;
    in->push = push;
    if (s->in_files.n) {
        in->files = s->in_files.v;
        in->nfiles = s->in_files.n;
    } else {
        in->files = (char **)stdin_list;
        in->nfiles = 1;
    }
    in->reset_next = true;
    sed_init_run(s);
}

static int sed_end(Sed *s, int r) {
    if (r == SR_QUIT && s->quit_status > 0) s->status = s->quit_status;
    if (s->in.bad) s->status = SED_EXIT_BAD_INPUT;
    if (r == SR_END) sed_end_input(s);
    return sed_free(s);
}

/* ---------------------------------------------------------------- push ops */

static void *sed_start(UtilCtx *c, int argc, char **argv, int *status) {
    Sed *s = sed_setup(c, argc, argv, status);
    if (!s) return NULL;
    if (s->inplace || s->in_files.n > 1 || (s->in_files.n == 1 && strcmp(s->in_files.v[0], "-"))) {
        *status = -1;
        sed_free(s);
        return NULL;
    }
    setup_input(s, true);
    return s;
}

static int sed_feed(void *st, const char *data, size_t n) {
    Sed *s = st;
    if (s->done) return 1;
    SedIn *in = &s->in;
    if (in->pos && in->pos > in->buf.len / 2) {
        memmove(in->buf.s, in->buf.s + in->pos, in->buf.len - in->pos);
        in->buf.len -= in->pos;
        in->scanned -= in->scanned > in->pos ? in->pos : in->scanned;
        in->pos = 0;
    }
    sb_put(&in->buf, data, n);
    int r = sed_run(s);
    bool wrote = s->stdout_uo.b.len > 0;
    sed_flush(s);
    if (r != SR_NEED) {
        s->done = true;
        s->result = r;
        return 1;
    }
    /* a reader that went away stops us even when we print nothing */
    if (s->stdout_uo.err || (!wrote && !s->nouts && uc_write(s->c, 1, "", 0) < 0)) {
        s->done = true;
        s->result = SR_STOP;
        return 1;
    }
    return 0;
}

static int sed_finish(void *st) {
    Sed *s = st;
    int r = s->result;
    if (!s->done) {
        s->in.eof = true;
        r = sed_run(s);
    }
    return sed_end(s, r);
}

int util_sed_main(UtilCtx *c, int argc, char **argv) {
    int status = 0;
    Sed *s = sed_setup(c, argc, argv, &status);
    if (!s) return status;
    setup_input(s, false);
    int r = sed_run(s);
    return sed_end(s, r);
}

const UtilPushOps util_sed_push = {sed_start, sed_feed, sed_finish};
