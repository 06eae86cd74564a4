/* xargs.c - the xargs utility (GNU findutils 4.9): items from stdin or -a
 * FILE, split at blanks with quotes and backslashes (or at -0 / -d DELIM),
 * -n -L -l -I -i -s -x -r -t -p -E -e -P --process-slot-var. Commands run
 * in-process through uc_spawn with stdin from /dev/null, one at a time (-P
 * is accepted: the output is the same as with one process). Exit statuses
 * are GNU's: 123 when a command failed, 124 when one exited 255, 125 when
 * one was killed (SIGPIPE here), 126/127 when it could not be run. */
#include "ucommon.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* GNU's command buffer, and the POSIX limit it reports for -s. */
enum { XARGS_BUF = 131072, XARGS_ARG_MAX = 2097152 - 2048 };

typedef struct Input {
    UcFile *f;
    char buf[4096];
    size_t pos, len;
    bool eof;
} Input;

typedef struct Xargs {
    UtilCtx *c;
    /* options */
    int delim;                 /* -1: blanks and quotes; else -0 / -d */
    const char *eof_str;
    const char *replace;       /* -I */
    long max_args, max_lines, max_procs;
    size_t arg_max;            /* -s */
    bool always_run, trace, prompt, exit_if_exceeded, open_tty, keep_stdin;
    const char *input_file, *slot_var;
    /* the command being built */
    StrList argv;
    size_t initial_argc, initial_chars, chars;
    size_t item_base;          /* buffer taken before an item (GNU's cmd_initial_argv_chars) */
    StrList templ;             /* -I: the command and its arguments as given */
    /* reading */
    Input in;
    StrBuf item;
    long lineno;
    bool input_eof;
    bool null_warned;
    /* results */
    size_t runs;
    int status;                /* 0 or 123 */
    int fatal;                 /* >= 0: stop now with this status */
} Xargs;

/* ---------- input ---------- */

static int in_getc(Xargs *x) {
    Input *in = &x->in;
    if (in->pos == in->len) {
        if (in->eof || uc_should_stop(x->c)) return EOF;
        ssize_t n = uc_fread(in->f, in->buf, sizeof in->buf);
        if (n <= 0) {
            in->eof = true;
            return EOF;
        }
        in->pos = 0;
        in->len = (size_t)n;
    }
    return (unsigned char)in->buf[in->pos++];
}

/* ---------- running ---------- */

static void die(Xargs *x, int status, const char *msg) {
    if (msg) uc_error(x->c, "%s", msg);
    if (x->fatal < 0) x->fatal = status;
}

static void print_command(Xargs *x) {
    StrBuf b;
    sb_init(&b);
    for (size_t i = 0; i < x->argv.n; i++) {
        char *q = u_quotef(x->argv.v[i]);
        sb_puts(&b, q);
        sb_putc(&b, i + 1 < x->argv.n ? ' ' : '\0');
        free(q);
    }
    if (b.len && !b.s[b.len - 1]) b.len--;
    if (x->prompt) {
        uc_write(x->c, 2, b.s, b.len);
        /* there is no terminal to read the answer from, as GNU finds without one */
        die(x, 1, "failed to open /dev/tty for reading: No such device or address");
    } else {
        sb_putc(&b, '\n');
        uc_write(x->c, 2, b.s, b.len);
    }
    sb_free(&b);
}

static void reset_command(Xargs *x) {
    while (x->argv.n > x->initial_argc) free(x->argv.v[--x->argv.n]);
    x->argv.v[x->argv.n] = NULL;
    x->chars = x->initial_chars;
}

/* Runs the command built so far and resets it to the initial arguments. */
static void do_exec(Xargs *x) {
    if (x->fatal >= 0) return;
    if (x->trace || x->prompt) print_command(x);
    if (x->fatal >= 0) return;
    if (x->open_tty) {
        die(x, 1, "failed to open /dev/tty for reading: No such device or address");
        return;
    }
    char slot[64];
    const char *env[2] = {NULL, NULL};
    if (x->slot_var) {
        /* the slot GNU would use with -P N: commands run one at a time here,
         * so the first N get 0..N-1, as when none has finished yet */
        size_t n = x->max_procs ? x->runs % (size_t)x->max_procs : x->runs;
        snprintf(slot, sizeof slot, "%.40s=%zu", x->slot_var, n);
        env[0] = slot;
    }
    UcSpawn how = {NULL, !x->keep_stdin, env};
    int st = uc_spawn(x->c, x->argv.v, &how);
    x->runs++;
    const char *cmd = x->argv.v[0];
    if (st < 0) {
        int err = errno;
        uc_error(x->c, "%s: %s", cmd, strerror(err));
        die(x, err == ENOENT ? 127 : 126, NULL);
    } else if (st == 255) {
        uc_error(x->c, "%s: exited with status 255; aborting", cmd);
        die(x, 124, NULL);
    } else if (st == 128 + 13) {
        uc_error(x->c, "%s: terminated by signal 13", cmd);
        die(x, 125, NULL);
    } else if (st != 0) {
        x->status = 123;
    }
    reset_command(x);
}

/* Appends an argument (len counts its NUL), running the command first when
 * it would not fit or -n is reached, as GNU's bc_push_arg. */
static void push_arg(Xargs *x, const char *arg, size_t len, bool initial) {
    if (x->fatal >= 0) return;
    if (x->chars + len > x->arg_max) {
        /* GNU's -I commands have no initial arguments of their own */
        if (initial || (!x->replace && x->argv.n == x->initial_argc)) {
            die(x, 1, "cannot fit single argument within argument list size limit");
            return;
        }
        if (x->replace || (x->exit_if_exceeded && (x->max_lines || x->max_args))) {
            die(x, 1, "argument list too long");
            return;
        }
        do_exec(x);
        if (x->fatal >= 0) return;
    }
    if (!initial && x->max_args && (long)(x->argv.n - x->initial_argc) == x->max_args) do_exec(x);
    if (x->fatal >= 0) return;
    sl_push(&x->argv, xstrndup(arg, len - 1));
    x->chars += len;
}

/* ---------- reading items ---------- */

static bool is_eof_str(const Xargs *x, const StrBuf *b) {
    return x->eof_str && !strcmp(sb_cstr((StrBuf *)b), x->eof_str);
}

/* Stores a character of the current item; false when the item is too long. */
static bool item_add(Xargs *x, int ch) {
    size_t room = x->arg_max > x->item_base + 1 ? x->arg_max - x->item_base - 1 : 0;
    if (x->item.len >= room) {
        if (x->argv.n > x->initial_argc) do_exec(x);
        die(x, 1, "argument line too long");
        return false;
    }
    if (ch == 0 && !x->null_warned) {
        uc_error(x->c, "WARNING: a NUL character occurred in the input.  It cannot be passed through in the argument list.  Did you mean to use the --null option?");
        x->null_warned = true;
    }
    sb_putc(&x->item, (char)ch);
    return true;
}

/* The item is complete: push it unless -I collects whole lines. */
static long item_done(Xargs *x) {
    size_t len = strlen(sb_cstr(&x->item)) + 1;
    if (!x->replace) push_arg(x, sb_cstr(&x->item), len, false);
    return (long)len;
}

static void unmatched_quote(Xargs *x, int quote) {
    if (x->argv.n > x->initial_argc) do_exec(x);
    uc_error(x->c, "unmatched %s quote; by default quotes are special to xargs unless you use the -0 option",
             quote == '"' ? "double" : "single");
    die(x, 1, NULL);
}

enum { ST_NORM, ST_SPACE, ST_QUOTE, ST_BACKSLASH };

/* One blank-separated item (GNU's read_line): -1 at the end of input or
 * at the -E string, else the item's length with its NUL. With -I the item
 * is the whole line. */
static long read_line(Xargs *x) {
    if (x->input_eof) return -1;
    int state = ST_SPACE, quote = 0, c = EOF, prev;
    bool first = true, seen = false;
    sb_clear(&x->item);
    for (;;) {
        if (x->fatal >= 0) return -1;
        prev = c;
        c = in_getc(x);
        if (c == EOF) {
            x->input_eof = true;
            if (!x->item.len) return -1;
            if (state == ST_QUOTE) {
                unmatched_quote(x, quote);
                return -1;
            }
            if (first && is_eof_str(x, &x->item)) return -1;
            return item_done(x);
        }
        switch (state) {
        case ST_SPACE:
            if (isspace(c)) continue;
            state = ST_NORM;
            /* fall through */
        case ST_NORM:
            if (c == '\n') {
                if (prev != ' ' && prev != '\t') x->lineno++;
                if (!x->item.len && !seen) {
                    state = ST_SPACE;
                    continue;
                }
                if (is_eof_str(x, &x->item)) {
                    x->input_eof = true;
                    return first ? -1 : (long)x->item.len + 1;
                }
                return item_done(x);
            }
            seen = true;
            if (!x->replace && (c == ' ' || c == '\t')) {
                if (is_eof_str(x, &x->item)) {
                    x->input_eof = true;
                    return first ? -1 : (long)x->item.len + 1;
                }
                item_done(x);
                sb_clear(&x->item);
                state = ST_SPACE;
                first = false;
                continue;
            }
            if (c == '\\') {
                state = ST_BACKSLASH;
                continue;
            }
            if (c == '\'' || c == '"') {
                state = ST_QUOTE;
                quote = c;
                continue;
            }
            break;
        case ST_QUOTE:
            if (c == '\n') {
                unmatched_quote(x, quote);
                return -1;
            }
            if (c == quote) {
                state = ST_NORM;
                seen = true;
                continue;
            }
            break;
        case ST_BACKSLASH: state = ST_NORM; break;
        }
        if (!item_add(x, c)) return -1;
    }
}

/* One delimited item (-0, -d): GNU's read_string. */
static long read_string(Xargs *x) {
    if (x->input_eof) return -1;
    sb_clear(&x->item);
    for (;;) {
        if (x->fatal >= 0) return -1;
        int c = in_getc(x);
        if (c == EOF) {
            x->input_eof = true;
            if (!x->item.len) return -1;
            return item_done(x);
        }
        if (c == x->delim) {
            x->lineno++;
            return item_done(x);
        }
        if (!item_add(x, c)) return -1;
    }
}

static long read_item(Xargs *x) { return x->delim < 0 ? read_line(x) : read_string(x); }

/* ---------- -I ---------- */

static char *replace_all(const char *s, const char *pat, const char *with) {
    StrBuf b;
    sb_init(&b);
    size_t pl = strlen(pat);
    for (const char *p = s; *p;) {
        const char *at = pl ? strstr(p, pat) : NULL;
        if (!at) {
            sb_puts(&b, p);
            break;
        }
        sb_put(&b, p, (size_t)(at - p));
        sb_puts(&b, with);
        p = at + pl;
    }
    return sb_take(&b);
}

static void run_replacing(Xargs *x) {
    while (x->fatal < 0 && read_item(x) >= 0) {
        reset_command(x);
        for (size_t i = 1; i < x->templ.n; i++) {
            char *arg = replace_all(x->templ.v[i], x->replace, sb_cstr(&x->item));
            push_arg(x, arg, strlen(arg) + 1, false);
            free(arg);
        }
        do_exec(x);
    }
}

static void run_batches(Xargs *x) {
    while (x->fatal < 0 && read_item(x) >= 0) {
        if (x->max_lines && x->lineno >= x->max_lines) {
            do_exec(x);
            x->lineno = 0;
        }
    }
    if (x->fatal < 0 && (x->argv.n != x->initial_argc || (x->always_run && x->runs == 0))) do_exec(x);
}

/* ---------- options ---------- */

/* GNU's parse_num: a number in [min, max] (max < 0: none); out of range is
 * fatal, or clamped with a message when fatal is false. */
static bool parse_num(Xargs *x, const char *s, char opt, long min, long max, bool fatal, long *out) {
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || *end) {
        uc_error(x->c, "invalid number \"%s\" for -%c option", s, opt);
        u_try_help(x->c);
        return false;
    }
    if (v < min || (max >= 0 && v > max)) {
        bool low = v < min;
        uc_error(x->c, "value %s for -%c option should be %s %ld", s, opt, low ? ">=" : "<=", low ? min : max);
        if (fatal) {
            u_try_help(x->c);
            return false;
        }
        v = low ? min : max;
    }
    *out = v;
    return true;
}

static int escape_delim(Xargs *x, const char *s) {
    int base = s[1] == 'x' ? 16 : 8;
    const char *p = s + (base == 16 ? 2 : 1);
    if (base == 8 && !isdigit((unsigned char)s[1])) {
        uc_error(x->c, "Invalid escape sequence %s in input delimiter specification.", s);
        return -1;
    }
    char *end;
    unsigned long v = strtoul(p, &end, base);
    if (v > UCHAR_MAX) {
        uc_error(x->c, "Invalid escape sequence %s in input delimiter specification; character values must not exceed %s.", s, base == 16 ? "ff" : "377");
        return -1;
    }
    if (*end) {
        uc_error(x->c, "Invalid escape sequence %s in input delimiter specification; trailing characters %s not recognised.", s, end);
        return -1;
    }
    return (int)v;
}

/* -d: one character or a backslash escape; -1 after the message. */
static int parse_delim(Xargs *x, const char *s) {
    if (strlen(s) == 1) return (unsigned char)s[0];
    if (s[0] != '\\') {
        uc_error(x->c, "Invalid input delimiter specification %s: the delimiter must be either a single character or an escape sequence starting with \\.", s);
        return -1;
    }
    switch (s[1]) {
    case 'a': return '\a';
    case 'b': return '\b';
    case 'f': return '\f';
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    case 'v': return '\v';
    case '\\': return '\\';
    default: return escape_delim(x, s);
    }
}

enum { OPT_SLOT = 0x100, OPT_SHOW_LIMITS };

static const UOptLong xargs_longs[] = {
    {"null", UO_NOARG, '0'},          {"arg-file", UO_REQ, 'a'},       {"delimiter", UO_REQ, 'd'},
    {"eof", UO_OPT, 'e'},             {"replace", UO_OPT, 'i'},        {"max-lines", UO_OPT, 'l'},
    {"max-args", UO_REQ, 'n'},        {"open-tty", UO_NOARG, 'o'},     {"interactive", UO_NOARG, 'p'},
    {"no-run-if-empty", UO_NOARG, 'r'}, {"max-chars", UO_REQ, 's'},    {"verbose", UO_NOARG, 't'},
    {"show-limits", UO_NOARG, OPT_SHOW_LIMITS}, {"exit", UO_NOARG, 'x'}, {"max-procs", UO_REQ, 'P'},
    {"process-slot-var", UO_REQ, OPT_SLOT}, {NULL, 0, 0},
};

static size_t env_size(Xargs *x) {
    size_t env = 0;
    char *const *e = uc_environ(x->c);
    for (size_t i = 0; e && e[i]; i++) env += strlen(e[i]) + 1;
    return env;
}

/* GNU's POSIX limit: ARG_MAX less 2 KiB of headroom and the environment. */
static size_t posix_arg_max(Xargs *x) {
    size_t env = env_size(x);
    return env < XARGS_ARG_MAX ? XARGS_ARG_MAX - env : 4096;
}

/* GNU warns when -n, -L/-l and -I override each other. */
enum { LAST_NONE, LAST_ARGS, LAST_LINES, LAST_REPLACE };

static void exclusive(Xargs *x, int *last, int now, const char *now_name) {
    static const char *const prev_names[] = {"", "--max-args", "--max-lines", "--replace"};
    if (*last != LAST_NONE && *last != now)
        uc_error(x->c, "warning: options %s and %s are mutually exclusive, ignoring previous %s value",
                 prev_names[*last], now_name, prev_names[*last]);
    *last = now;
}

static int xargs_option(Xargs *x, UOpts *o, int k, int *last) {
    long v;
    switch (k) {
    case '0': x->delim = 0; break;
    case 'd':
        if ((x->delim = parse_delim(x, o->arg)) < 0) return 1;
        break;
    case 'E': case 'e': x->eof_str = o->arg && *o->arg ? o->arg : NULL; break;
    case 'I': case 'i':
        exclusive(x, last, LAST_REPLACE, "--replace/-I/-i");
        x->replace = o->arg ? o->arg : "{}";
        x->max_args = x->max_lines = 0;
        break;
    case 'L': case 'l':
        if (o->arg && !parse_num(x, o->arg, (char)k, 1, -1, true, &v)) return 1;
        exclusive(x, last, LAST_LINES, k == 'L' ? "-L" : "--max-lines/-l");
        x->max_lines = o->arg ? v : 1;
        x->max_args = 0;
        x->replace = NULL;
        break;
    case 'n':
        if (!parse_num(x, o->arg, 'n', 1, -1, true, &v)) return 1;
        if (v == 1 && x->replace) break; /* -i -n1: the -n1 is ignored */
        exclusive(x, last, LAST_ARGS, "--max-args/-n");
        x->max_args = v;
        x->max_lines = 0;
        x->replace = NULL;
        break;
    case 's':
        if (!parse_num(x, o->arg, 's', 1, (long)posix_arg_max(x), false, &v)) return 1;
        x->arg_max = (size_t)v;
        break;
    case 'P':
        if (!parse_num(x, o->arg, 'P', 0, INT_MAX, true, &v)) return 1;
        x->max_procs = v;
        break;
    case 'a': x->input_file = o->arg; break;
    case 'o': x->open_tty = true; break;
    case 'p': x->prompt = true; break;
    case 'r': x->always_run = false; break;
    case 't': x->trace = true; break;
    case 'x': x->exit_if_exceeded = true; break;
    case OPT_SHOW_LIMITS: x->fatal = -2; break;
    case OPT_SLOT:
        if (strchr(o->arg, '=')) {
            uc_error(x->c, "option --process-slot-var may not be set to a value which includes `='");
            return 1;
        }
        x->slot_var = o->arg;
        break;
    case UO_HELP: return u_help(x->c, "[OPTION]... COMMAND [INITIAL-ARGS]...") + 256;
    case UO_VERSION: return u_version(x->c) + 256;
    default: return 1;
    }
    return 0;
}

static void show_limits(Xargs *x) {
    size_t env = env_size(x);
    uc_printf(x->c, 2, "Your environment variables take up %zu bytes\n", env);
    uc_printf(x->c, 2, "POSIX upper limit on argument length (this system): %zu\n", posix_arg_max(x));
    uc_printf(x->c, 2, "POSIX smallest allowable upper limit on argument length (all systems): 4096\n");
    uc_printf(x->c, 2, "Maximum length of command we could actually use: %zu\n", posix_arg_max(x) - env);
    uc_printf(x->c, 2, "Size of command buffer we are actually using: %zu\n", x->arg_max);
    uc_printf(x->c, 2, "Maximum parallelism (--max-procs must be no greater): %d\n", INT_MAX);
}

static int parse_options(Xargs *x, UOpts *o) {
    int k, last = LAST_NONE;
    while ((k = uopt_next(o)) != UO_END) {
        int r = xargs_option(x, o, k, &last);
        if (r >= 256) return r - 256;
        if (r) return 1;
    }
    if (x->eof_str && x->delim >= 0)
        uc_error(x->c, "warning: the -E option has no effect if -0 or -d is used.\n");
    return -1;
}

static int run(Xargs *x, UOpts *o) {
    bool limits = x->fatal == -2;
    x->fatal = -1;
    if (x->input_file && strcmp(x->input_file, "-") != 0) {
        x->keep_stdin = true;
        if (!(x->in.f = uc_open(x->c, x->input_file, "r"))) {
            char *q = u_quote(x->input_file);
            uc_error(x->c, "Cannot open input file %s: %s", q, strerror(errno));
            free(q);
            return 1;
        }
    } else if (!(x->in.f = uc_open(x->c, "-", "r"))) {
        return 1;
    }
    if (x->replace || x->max_lines) x->exit_if_exceeded = true;
    if (!o->ops.n) sl_push_copy(&o->ops, "echo");
    if (limits) show_limits(x);
    if (x->replace) {
        for (size_t i = 0; i < o->ops.n; i++) sl_push_copy(&x->templ, o->ops.v[i]);
        push_arg(x, o->ops.v[0], strlen(o->ops.v[0]) + 1, true);
    } else {
        for (size_t i = 0; i < o->ops.n; i++) push_arg(x, o->ops.v[i], strlen(o->ops.v[i]) + 1, true);
    }
    x->initial_argc = x->argv.n;
    x->initial_chars = x->chars;
    /* GNU leaves -I lines the whole buffer: its commands are built afresh */
    x->item_base = x->replace ? 0 : x->initial_chars;
    if (x->fatal < 0) x->replace ? run_replacing(x) : run_batches(x);
    uc_close(x->in.f);
    return x->fatal >= 0 ? x->fatal : x->status;
}

int util_xargs_main(UtilCtx *c, int argc, char **argv) {
    Xargs *x = xcalloc(1, sizeof *x);
    x->c = c;
    x->delim = -1;
    x->arg_max = XARGS_BUF;
    x->always_run = true;
    x->fatal = -1;
    x->max_procs = 1;
    sl_init(&x->argv);
    sl_init(&x->templ);
    sb_init(&x->item);
    UOpts o;
    uopt_init(&o, c, argc, argv, "+0a:E:e::i::I:l::L:n:oprs:txP:d:", xargs_longs);
    int r = parse_options(x, &o);
    if (r < 0) r = run(x, &o);
    uopt_free(&o);
    sl_free(&x->argv);
    sl_free(&x->templ);
    sb_free(&x->item);
    free(x);
    return r;
}
