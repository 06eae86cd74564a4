/* main.c - awk's options (gawk's -F -v -f -e --posix ...), the setup of
 * the special variables, and the driver: BEGIN, the main loop over the
 * ARGV files with BEGINFILE/ENDFILE, END. The push ops run the same driver
 * with stdin fed by the pipeline, so `yes | awk 'NR==3{exit}'` stops the
 * producer at once; programs that use getline, or name input files, run
 * in pull mode instead. */
#include "awkint.h"
#include "ucommon.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const special_names[G_NSPECIAL] = {
    "NF", "NR", "FNR", "FS", "OFS", "ORS", "RS", "SUBSEP", "CONVFMT", "OFMT", "RSTART",
    "RLENGTH", "FILENAME", "FIELDWIDTHS", "FPAT", "IGNORECASE", "RT", "ENVIRON", "ARGV",
    "ARGC", "PROCINFO", "ERRNO", "BINMODE", "LINT", "TEXTDOMAIN"};

typedef struct Opts {
    StrList assigns;   /* -v */
    const char *fs;    /* -F */
    StrList progfiles; /* "f:NAME" or "e:TEXT" in order */
    StrList operands;
    bool posix, traditional, nondec, sandbox;
    bool help, version;
} Opts;

/* ---------------------------------------------------------------- options */

static void usage(UtilCtx *c, int fd) {
    const char *name = uc_name(c);
    uc_printf(c, fd, "Usage: %s [POSIX or GNU style options] -f progfile [--] file ...\n", name);
    uc_printf(c, fd, "Usage: %s [POSIX or GNU style options] [--] 'program' file ...\n", name);
    uc_puts(c, fd,
            "POSIX options:\t\tGNU long options: (standard)\n"
            "\t-f progfile\t\t--file=progfile\n"
            "\t-F fs\t\t\t--field-separator=fs\n"
            "\t-v var=val\t\t--assign=var=val\n"
            "Short options:\t\tGNU long options: (extensions)\n"
            "\t-b\t\t\t--characters-as-bytes\n"
            "\t-c\t\t\t--traditional\n"
            "\t-C\t\t\t--copyright\n"
            "\t-d[file]\t\t--dump-variables[=file]\n"
            "\t-D[file]\t\t--debug[=file]\n"
            "\t-e 'program-text'\t--source='program-text'\n"
            "\t-E file\t\t\t--exec=file\n"
            "\t-g\t\t\t--gen-pot\n"
            "\t-h\t\t\t--help\n"
            "\t-i includefile\t\t--include=includefile\n"
            "\t-I\t\t\t--trace\n"
            "\t-l library\t\t--load=library\n"
            "\t-L[fatal|invalid|no-ext]\t--lint[=fatal|invalid|no-ext]\n"
            "\t-M\t\t\t--bignum\n"
            "\t-N\t\t\t--use-lc-numeric\n"
            "\t-n\t\t\t--non-decimal-data\n"
            "\t-o[file]\t\t--pretty-print[=file]\n"
            "\t-O\t\t\t--optimize\n"
            "\t-p[file]\t\t--profile[=file]\n"
            "\t-P\t\t\t--posix\n"
            "\t-r\t\t\t--re-interval\n"
            "\t-s\t\t\t--no-optimize\n"
            "\t-S\t\t\t--sandbox\n"
            "\t-t\t\t\t--lint-old\n"
            "\t-V\t\t\t--version\n"
            "\n"
            "This is wasmsh's awk, compatible with GNU awk 5.2.\n"
            "Not supported here: -d -D -g -I -l -M -o -p (debugging,\n"
            "profiling, dynamic extensions and arbitrary precision).\n"
            "The other options behave as in gawk; see gawk's manual\n"
            "for the language. Output and number formatting follow\n"
            "gawk byte for byte; arrays iterate in gawk's order.\n"
            "Commands (system, pipes, getline) run in this shell.\n"
            "\n");
    uc_puts(c, fd, "gawk is a pattern scanning and processing language.\n");
    uc_puts(c, fd, "By default it reads standard input and writes standard output.\n\nExamples:\n");
    uc_printf(c, fd, "\t%s '{ sum += $1 }; END { print sum }' file\n", name);
    uc_printf(c, fd, "\t%s -F: '{ print $1 }' /etc/passwd\n", name);
}

typedef struct LongOpt {
    const char *name;
    int key;
    bool arg;
} LongOpt;

static const LongOpt long_opts[] = {
    {"assign", 'v', true}, {"characters-as-bytes", 'b', false}, {"exec", 'E', true},
    {"field-separator", 'F', true}, {"file", 'f', true}, {"help", 'h', false},
    {"lint", 'L', false}, {"non-decimal-data", 'n', false}, {"posix", 'P', false},
    {"re-interval", 'r', false}, {"sandbox", 'S', false}, {"source", 'e', true},
    {"traditional", 'c', false}, {"usage", 'h', false}, {"version", 'V', false},
    {"compat", 'c', false}, {"copyleft", 'C', false}, {"copyright", 'C', false},
    {NULL, 0, false}};

static int opt_error(UtilCtx *c, const char *fmt, const char *arg) {
    if (fmt) {
        StrBuf b;
        sb_init(&b);
        sb_printf(&b, "%s: ", uc_name(c));
        sb_printf(&b, fmt, arg);
        sb_putc(&b, '\n');
        uc_write(c, 2, b.s, b.len);
        sb_free(&b);
    }
    usage(c, 2);
    return 2;
}

static int apply_opt(UtilCtx *c, Opts *o, int key, const char *arg) {
    switch (key) {
    case 'F': o->fs = arg; break;
    case 'v': sl_push_copy(&o->assigns, arg); break;
    case 'f': case 'E': {
        StrBuf b;
        sb_init(&b);
        sb_printf(&b, "f:%s", arg);
        sl_push(&o->progfiles, sb_take(&b));
        break;
    }
    case 'e': {
        StrBuf b;
        sb_init(&b);
        sb_printf(&b, "e:%s", arg);
        sl_push(&o->progfiles, sb_take(&b));
        break;
    }
    case 'P': o->posix = true; break;
    case 'c': o->traditional = true; break;
    case 'n': o->nondec = true; break;
    case 'S': o->sandbox = true; break;
    case 'h': o->help = true; break;
    case 'V': case 'C': o->version = true; break;
    default: break; /* -b -r -L -O -s ... accepted, no effect */
    }
    (void)c;
    return 0;
}

/* gawk's getopt: options up to the first operand or "--". */
static int parse_opts(UtilCtx *c, int argc, char **argv, Opts *o) {
    memset(o, 0, sizeof *o);
    sl_init(&o->assigns);
    sl_init(&o->progfiles);
    sl_init(&o->operands);
    int i = 1;
    for (; i < argc; i++) {
        const char *s = argv[i];
        if (!strcmp(s, "--")) { i++; break; }
        if (s[0] != '-' || !s[1]) break;
        if (s[1] == '-') {
            const char *name = s + 2;
            const char *eq = strchr(name, '=');
            size_t nl = eq ? (size_t)(eq - name) : strlen(name);
            const LongOpt *hit = NULL;
            int nhits = 0;
            for (const LongOpt *l = long_opts; l->name; l++) {
                if (!strncmp(l->name, name, nl)) {
                    if (strlen(l->name) == nl) { hit = l; nhits = 1; break; }
                    if (!hit || hit->key != l->key) nhits++;
                    hit = l;
                }
            }
            if (!hit || nhits > 1) return opt_error(c, NULL, s);
            const char *arg = NULL;
            if (hit->arg) {
                if (eq) arg = eq + 1;
                else if (i + 1 < argc) arg = argv[++i];
                else return opt_error(c, "option '%s' requires an argument", s);
            } else if (eq) {
                return opt_error(c, "option '%s' doesn't allow an argument", s);
            }
            apply_opt(c, o, hit->key, arg);
            continue;
        }
        for (const char *p = s + 1; *p; p++) {
            char k = *p;
            if (strchr("Fvf eEilopxW", k) && k != ' ') {
                const char *arg = p[1] ? p + 1 : (i + 1 < argc ? argv[++i] : NULL);
                if (!arg) {
                    char opt[2] = {k, 0};
                    return opt_error(c, "option requires an argument -- %s", opt);
                }
                if (k == 'W') {
                    /* -W long-option (mawk / gawk compatibility) */
                    char *lo = xmalloc(strlen(arg) + 3);
                    sprintf(lo, "--%s", arg);
                    const LongOpt *hit = NULL;
                    for (const LongOpt *l = long_opts; l->name; l++)
                        if (!strncmp(l->name, arg, strlen(l->name))) hit = l;
                    free(lo);
                    if (hit) apply_opt(c, o, hit->key, NULL);
                } else if (k != 'i' && k != 'l' && k != 'o' && k != 'x') {
                    apply_opt(c, o, k, arg);
                }
                break;
            }
            if (!strchr("bcCdDghLMnNOPrsStVY", k)) return opt_error(c, NULL, NULL);
            apply_opt(c, o, k, NULL);
        }
    }
    for (; i < argc; i++) sl_push_copy(&o->operands, argv[i]);
    return -1;
}

static void opts_free(Opts *o) {
    sl_free(&o->assigns);
    sl_free(&o->progfiles);
    sl_free(&o->operands);
}

/* ---------------------------------------------------------------- program text */

static bool read_source_file(Awk *a, const char *path, StrBuf *out) {
    UcFile *f = uc_open(a->c, path, "r");
    if (!f) {
        int err = errno;
        StrBuf b;
        sb_init(&b);
        sb_printf(&b, "%s: fatal: cannot open source file `%s' for reading: %s\n", a->name, path, strerror(err));
        uc_write(a->c, 2, b.s, b.len);
        sb_free(&b);
        return false;
    }
    char buf[16384];
    ssize_t n;
    while ((n = uc_fread(f, buf, sizeof buf)) > 0) sb_put(out, buf, (size_t)n);
    uc_close(f);
    return true;
}

static void add_source(Prog *p, const char *name, int first_line) {
    p->srcs = xrealloc(p->srcs, (size_t)(p->nsrcs + 1) * sizeof *p->srcs);
    p->srcs[p->nsrcs].name = xstrdup(name);
    p->srcs[p->nsrcs].first_line = first_line;
    p->nsrcs++;
}

static int count_lines(const char *s, size_t n) {
    int l = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '\n') l++;
    return l;
}

/* Joins the -f / -e sources (or the first operand) into p->text. */
static bool load_program(Awk *a, Opts *o) {
    Prog *p = &a->prog;
    StrBuf text;
    sb_init(&text);
    int line = 1;
    if (o->progfiles.n == 0) {
        if (o->operands.n == 0) {
            usage(a->c, 2);
            sb_free(&text);
            return false;
        }
        char *prog = o->operands.v[0];
        add_source(p, "cmd. line", 1);
        sb_puts(&text, prog);
        /* drop the program from the operands */
        free(prog);
        memmove(o->operands.v, o->operands.v + 1, o->operands.n * sizeof *o->operands.v);
        o->operands.n--;
    } else {
        for (size_t i = 0; i < o->progfiles.n; i++) {
            const char *spec = o->progfiles.v[i];
            size_t before = text.len;
            if (spec[0] == 'f') {
                add_source(p, spec + 2, line);
                if (!read_source_file(a, spec + 2, &text)) {
                    sb_free(&text);
                    return false;
                }
            } else {
                add_source(p, "cmd. line", line);
                sb_puts(&text, spec + 2);
            }
            if (text.len == before || text.s[text.len - 1] != '\n') sb_putc(&text, '\n');
            line += count_lines(text.s + before, text.len - before);
        }
    }
    p->textlen = text.len;
    p->text = text.s ? sb_take(&text) : xstrdup("");
    return true;
}

/* ---------------------------------------------------------------- variables */

static void set_special_str(Awk *a, int slot, const char *s) {
    Var *v = &a->g[slot];
    v->kind = K_SCALAR;
    v->v = awkv_str(astr_new(s, strlen(s)));
}

static void put_elem(Awk *a, Array *arr, const char *key, Value v) {
    Value *e = awka_get_str(a, arr, key, strlen(key), true);
    awkv_free(e);
    *e = v;
}

static void init_globals(Awk *a, Opts *o) {
    Prog *p = &a->prog;
    a->ng = p->nglobals;
    a->g = xcalloc((size_t)(a->ng ? a->ng : 1), sizeof *a->g);
    for (int i = 0; i < a->ng; i++) a->g[i].name = p->gnames[i];
    set_special_str(a, G_FS, " ");
    set_special_str(a, G_OFS, " ");
    set_special_str(a, G_ORS, "\n");
    set_special_str(a, G_RS, "\n");
    set_special_str(a, G_SUBSEP, "\034");
    set_special_str(a, G_CONVFMT, "%.6g");
    set_special_str(a, G_OFMT, "%.6g");
    set_special_str(a, G_FIELDWIDTHS, "");
    set_special_str(a, G_FPAT, "[^[:space:]]+");
    set_special_str(a, G_ERRNO, "");
    set_special_str(a, G_TEXTDOMAIN, "messages");
    set_special_str(a, G_FILENAME, "");
    a->g[G_FILENAME].v.type = V_UNINIT;
    astr_unref(a->g[G_FILENAME].v.str);
    a->g[G_FILENAME].v.str = NULL;
    set_special_str(a, G_RT, "");
    awk_set_num(a, G_NF, 0);
    awk_set_num(a, G_NR, 0);
    awk_set_num(a, G_FNR, 0);
    awk_set_num(a, G_RSTART, 0);
    awk_set_num(a, G_RLENGTH, 0);
    awk_set_num(a, G_IGNORECASE, 0);
    awk_set_num(a, G_BINMODE, 0);
    awk_set_num(a, G_LINT, 0);
    a->ofs = astr_ref(a->g[G_OFS].v.str);
    a->ors = astr_ref(a->g[G_ORS].v.str);
    a->subsep = astr_ref(a->g[G_SUBSEP].v.str);
    a->convfmt = xstrdup("%.6g");
    a->ofmt = xstrdup("%.6g");
    a->rs_mode = RS_NEWLINE;
    a->rec_fs.kind = FS_SPACE;

    Array *env = awk_var_array(a, &a->g[G_ENVIRON]);
    char *const *ev = uc_environ(a->c);
    for (size_t i = 0; ev && ev[i]; i++) {
        const char *eq = strchr(ev[i], '=');
        if (!eq) continue;
        Value *e = awka_get_str(a, env, ev[i], (size_t)(eq - ev[i]), true);
        awkv_free(e);
        *e = awkv_strnum(astr_new(eq + 1, strlen(eq + 1)));
    }
    Array *av = awk_var_array(a, &a->g[G_ARGV]);
    Value k0 = awkv_num(0);
    Value *e0 = awka_get(a, av, &k0, true);
    *e0 = awkv_str(astr_new(a->name, strlen(a->name)));
    for (size_t i = 0; i < o->operands.n; i++) {
        Value k = awkv_num((double)(i + 1));
        Value *e = awka_get(a, av, &k, true);
        *e = awkv_strnum(astr_new(o->operands.v[i], strlen(o->operands.v[i])));
    }
    awk_set_num(a, G_ARGC, (double)(o->operands.n + 1));
    Array *pi = awk_var_array(a, &a->g[G_PROCINFO]);
    put_elem(a, pi, "version", awkv_str(astr_new("5.2.1", 5)));
    put_elem(a, pi, "FS", awkv_str(astr_new("FS", 2)));
    put_elem(a, pi, "strftime", awkv_str(astr_new("%a %b %e %H:%M:%S %Z %Y", 23)));
    put_elem(a, pi, "platform", awkv_str(astr_new("posix", 5)));
    put_elem(a, pi, "api_major", awkv_num(3));
    put_elem(a, pi, "api_minor", awkv_num(2));
    put_elem(a, pi, "pid", awkv_num(2));
    put_elem(a, pi, "ppid", awkv_num(1));
    put_elem(a, pi, "uid", awkv_num(0));
    put_elem(a, pi, "gid", awkv_num(0));
    put_elem(a, pi, "euid", awkv_num(0));
    put_elem(a, pi, "egid", awkv_num(0));
    put_elem(a, pi, "pgrpid", awkv_num(2));
    a->argi = 1;
}

void awk_apply_assignment(Awk *a, const char *arg) {
    const char *eq = strchr(arg, '=');
    char *name = xstrndup(arg, (size_t)(eq - arg));
    int slot = -1;
    for (int i = 0; i < a->ng; i++)
        if (!strcmp(a->prog.gnames[i], name)) { slot = i; break; }
    for (int i = 0; slot < 0 && i < a->prog.nfuncs; i++) {
        if (!strcmp(a->prog.funcs[i].name, name)) {
            awk_fatal(a, "cannot use function `%s' as variable name", name);
            free(name);
            return;
        }
    }
    free(name);
    if (slot < 0) return; /* the program never names it */
    Var *v = &a->g[slot];
    Value *dst = awk_var_scalar(a, v);
    if (!dst) return;
    AwkStr *s = awk_unescape(a, eq + 1, strlen(eq + 1), true);
    awkv_free(dst);
    *dst = awkv_strnum(s);
    if (slot < G_NSPECIAL) awk_special_set(a, slot);
}

/* ---------------------------------------------------------------- setup */

static Awk *awk_new(UtilCtx *c) {
    Awk *a = xcalloc(1, sizeof *a);
    a->c = c;
    a->name = xstrdup(uc_name(c));
    a->utf8 = u_locale_utf8(c);
    a->empty = astr_new("", 0);
    sb_init(&a->tmp);
    awk_fields_init(&a->fl);
    a->nullfield = awkv_strnum(astr_ref(a->empty));
    a->nullfield.flags = VF_NULLFIELD;
    sb_init(&a->out.b);
    a->out.fd = 1;
    for (int i = 0; i < G_NSPECIAL; i++) awk_prog_global(&a->prog, special_names[i]);
    awk_srand_init(a);
    return a;
}

static void awk_free(Awk *a) {
    awk_io_free(a);
    awk_vm_free(a);
    for (int i = 0; i < a->ng; i++) {
        Var *v = &a->g[i];
        if (v->kind == K_SCALAR) awkv_free(&v->v);
        else if (v->kind == K_ARRAY && v->owns) awka_free(v->arr);
    }
    free(a->g);
    for (int i = 0; i < AWK_RECACHE; i++) {
        if (a->recache[i].key) {
            astr_unref(a->recache[i].key);
            rx_free(a->recache[i].re);
        }
    }
    awk_fs_free(&a->rec_fs);
    if (a->rs_re) rx_free(a->rs_re);
    if (a->fpat) rx_free(a->fpat);
    free(a->fieldwidths);
    awk_fields_free(&a->fl);
    awkv_free(&a->nullfield);
    astr_unref(a->ofs);
    astr_unref(a->ors);
    astr_unref(a->subsep);
    free(a->convfmt);
    free(a->ofmt);
    astr_unref(a->empty);
    sb_free(&a->tmp);
    awk_prog_free(&a->prog);
    free(a->name);
    free(a);
}

/* Parses options and the program and sets up the variables. Returns -1 on
 * success, else the exit status (messages printed). */
static int awk_setup(Awk *a, Opts *o, int argc, char **argv) {
    int st = parse_opts(a->c, argc, argv, o);
    if (st >= 0) return st;
    if (o->help) {
        usage(a->c, 1);
        return 0;
    }
    if (o->version) {
        uc_puts(a->c, 1, "GNU Awk 5.2.1, API 3.2 (wasmsh awk)\nCopyright (C) 1989, 1991-2022 Free Software Foundation.\n");
        return 0;
    }
    a->posix = o->posix;
    a->traditional = o->traditional;
    a->nondec = o->nondec;
    a->sandbox = o->sandbox;
    if (!load_program(a, o)) return 2;
    if (!awk_parse(a, &a->prog)) return a->exit_status ? a->exit_status : 1;
    init_globals(a, o);
    awk_vm_init(a);
    if (o->fs) {
        AwkStr *fs = awk_unescape(a, o->fs, strlen(o->fs), true);
        if (o->traditional && !strcmp(o->fs, "t")) {
            astr_unref(fs);
            fs = astr_new("\t", 1);
        }
        Var *v = &a->g[G_FS];
        awkv_free(&v->v);
        v->v = awkv_strnum(fs);
        awk_special_set(a, G_FS);
    }
    for (size_t i = 0; i < o->assigns.n; i++) {
        if (!awk_is_assignment(o->assigns.v[i])) {
            const char *arg = o->assigns.v[i];
            const char *eq = strchr(arg, '=');
            StrBuf b;
            sb_init(&b);
            if (!eq) sb_printf(&b, "%s: `%s' argument to `-v' not in `var=value' form\n\n", a->name, arg);
            else sb_printf(&b, "%s: fatal: `%.*s' is not a legal variable name\n", a->name, (int)(eq - arg), arg);
            uc_write(a->c, 2, b.s, b.len);
            sb_free(&b);
            if (!eq) usage(a->c, 2);
            return eq ? 2 : 1;
        }
        awk_apply_assignment(a, o->assigns.v[i]);
        if (a->fatal) return 2;
    }
    /* FS from -F / -v applies to the first record */
    a->fs_dirty = true;
    return -1;
}

/* ---------------------------------------------------------------- the driver */

static void run_block(Awk *a, const Code *code, bool begin, bool end) {
    a->in_begin = begin;
    a->in_end = end;
    int r = awk_vm_run(a, code);
    a->in_begin = a->in_end = false;
    (void)r;
}

static bool has_input_rules(Awk *a) {
    Prog *p = &a->prog;
    return p->has_main || p->has_end || p->has_beginfile || p->has_endfile;
}

static void end_file(Awk *a) {
    if (a->prog.has_endfile && !a->fatal) run_block(a, &a->prog.endfile, false, false);
    awk_main_close(a);
}

/* Runs the main rules on one record. Returns false when input must stop. */
static bool process_record(Awk *a, const char *rec, size_t len) {
    a->nr++;
    a->fnr++;
    awk_set_num(a, G_NR, a->nr);
    awk_set_num(a, G_FNR, a->fnr);
    awk_set_record(a, rec, len);
    if (!a->prog.has_main) return true;
    int r = awk_vm_run(a, &a->prog.main);
    if (r == RUN_NEXTFILE) {
        a->nextfile_pending = true;
        return true;
    }
    return r != RUN_FATAL && r != RUN_EXIT && !a->fatal && !a->exiting;
}

static bool start_file(Awk *a) {
    if (!awk_main_open(a)) return false;
    if (a->prog.has_beginfile && !a->fatal) run_block(a, &a->prog.beginfile, false, false);
    return !a->fatal;
}

/* The pull loop over all remaining input. */
static void main_loop(Awk *a) {
    while (!a->exiting && !a->fatal) {
        if (!a->main_rd && !start_file(a)) break;
        const char *rec;
        size_t len;
        int r = awk_reader_next(a, a->main_rd, &rec, &len);
        if (r == 1) {
            bool more = process_record(a, rec, len);
            if (a->nextfile_pending) {
                a->nextfile_pending = false;
                end_file(a);
            }
            if (!more) break;
            continue;
        }
        if (r < 0) {
            awk_warning(a, "error reading input file `%s': %s", awkv_tostr(a, &a->g[G_FILENAME].v)->s, strerror(EIO));
        }
        end_file(a);
    }
}

static void finish_program(Awk *a) {
    if (!a->fatal && !(a->exiting && a->in_end)) {
        bool was_exiting = a->exiting;
        a->exiting = false;
        if (a->prog.has_end) run_block(a, &a->prog.end, false, true);
        if (was_exiting) a->exiting = true;
    }
    awk_close_all(a);
}

static int exit_code(Awk *a) { return (a->fatal && a->exit_status == 0 ? 2 : a->exit_status) & 255; }

int awk_main(UtilCtx *c, int argc, char **argv) {
    Awk *a = awk_new(c);
    Opts o;
    int st = awk_setup(a, &o, argc, argv);
    if (st < 0) {
        run_block(a, &a->prog.begin, true, false);
        if (!a->fatal && !a->exiting && has_input_rules(a)) main_loop(a);
        if (!a->fatal) finish_program(a);
        else awk_close_all(a);
        st = exit_code(a);
    }
    opts_free(&o);
    awk_free(a);
    return st;
}

/* ---------------------------------------------------------------- push ops */

typedef struct PushState {
    Awk *a;
    Opts o;
    bool done;
    int status;
} PushState;

/* Whether the program can run fed by the pipeline: no getline anywhere
 * (checked on the text, before anything is printed) and no file operands. */
static bool push_eligible(UtilCtx *c, int argc, char **argv) {
    Opts o;
    if (parse_opts(c, argc, argv, &o) >= 0 || o.help || o.version) {
        opts_free(&o);
        return false;
    }
    bool ok = o.progfiles.n == 0 && o.operands.n >= 1;
    if (ok) {
        if (strstr(o.operands.v[0], "getline")) ok = false;
        for (size_t i = 1; ok && i < o.operands.n; i++)
            if (!awk_is_assignment(o.operands.v[i]) && o.operands.v[i][0]) ok = false;
    }
    opts_free(&o);
    return ok;
}

static void push_drain(PushState *ps) {
    Awk *a = ps->a;
    while (!ps->done) {
        const char *rec;
        size_t len;
        int r = awk_reader_next(a, a->main_rd, &rec, &len);
        if (r == 2) return;
        if (r == 1) {
            bool more = process_record(a, rec, len);
            if (a->nextfile_pending) {
                a->nextfile_pending = false;
                /* nextfile on stdin: skip the rest of the input */
                a->main_rd->eof = true;
                a->main_rd->pos = a->main_rd->buf.len;
            }
            if (more) continue;
        } else if (r == 0) {
            end_file(a);
        }
        finish_program(a);
        ps->done = true;
        ps->status = exit_code(a);
    }
}

void *awk_push_start(UtilCtx *c, int argc, char **argv, int *status) {
    if (!push_eligible(c, argc, argv)) {
        *status = -1;
        return NULL;
    }
    PushState *ps = xcalloc(1, sizeof *ps);
    Awk *a = ps->a = awk_new(c);
    a->push_mode = true;
    int st = awk_setup(a, &ps->o, argc, argv);
    if (st >= 0) {
        *status = st;
        opts_free(&ps->o);
        awk_free(a);
        free(ps);
        return NULL;
    }
    run_block(a, &a->prog.begin, true, false);
    if (!a->fatal && !a->exiting && has_input_rules(a)) {
        if (start_file(a) && a->main_rd && a->main_rd->f) {
            /* BEGIN named input files in ARGV: read them, ignore the pipe */
            main_loop(a);
        } else if (!a->fatal && a->main_rd) {
            return ps;
        }
    }
    if (!a->fatal) finish_program(a);
    else awk_close_all(a);
    *status = exit_code(a);
    opts_free(&ps->o);
    awk_free(a);
    free(ps);
    return NULL;
}

int awk_push_feed(void *state, const char *data, size_t n) {
    PushState *ps = state;
    if (ps->done) return 1;
    Reader *r = ps->a->main_rd;
    if (r->pos > 0 && r->pos >= r->buf.len / 2) {
        memmove(r->buf.s, r->buf.s + r->pos, r->buf.len - r->pos);
        r->buf.len -= r->pos;
        r->scan -= r->pos < r->scan ? r->pos : r->scan;
        r->pos = 0;
    }
    sb_put(&r->buf, data, n);
    push_drain(ps);
    return ps->done ? 1 : 0;
}

int awk_push_finish(void *state) {
    PushState *ps = state;
    if (!ps->done) {
        ps->a->main_rd->eof = true;
        push_drain(ps);
    }
    int st = ps->status;
    opts_free(&ps->o);
    awk_free(ps->a);
    free(ps);
    return st;
}
