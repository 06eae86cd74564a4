/* jq_main.c - the jq utility: jq 1.8's command line over the interpreter
 * of jq.h. Inputs are parsed one value at a time (a 50 MB array costs its
 * parsed size, not a copy of the text), outputs are buffered as stdio's. */
#include "jq.h"
#include "ucommon.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct JqCli {
    UtilCtx *c;
    /* options */
    bool null_input, raw_input, slurp, raw, join, raw0, ascii, sort_keys, color, tab, seq;
    bool stream, stream_errors, exit_status, compact;
    int indent;
    const char *filter;
    char *filter_text;   /* -f file contents */
    const char *filter_file;
    StrList files;
    StrList libdirs;
    StrList var_names;
    Jv var_values;       /* array, parallel to var_names */
    Jv named;            /* $ARGS.named */
    Jv positional;       /* $ARGS.positional */
    /* input state */
    size_t file_i;
    UcFile *cur;
    const char *cur_name;
    bool cur_stdin;
    JvParser *parser;
    char *buf;
    bool inputs_done;
    bool parser_at_end;
    long line;           /* newline-terminated lines read from the current file */
    StrBuf raw_line;     /* -R: partial line */
    Jv pending_stream;   /* --stream: events of the current value */
    size_t stream_i;
    /* output */
    UOut out;
    JvDumpOpts dump;
    int status;          /* exit status so far */
    bool any_output;
    Jv last;             /* -e: last output */
    bool input_error;    /* a parse error happened (exit 2) */
    bool open_error;
    JqSession *s;
    bool stopped;
    bool nul_error;      /* --raw-output0 met a string with NUL */
    bool uses_input;     /* the program names input/inputs */
    bool push_done;      /* push mode: no more values wanted */
    int halt_status;
    Jv slurped;          /* push mode -s: values so far */
} JqCli;

enum { JQ_BUF = 65536 };

/* ---------------------------------------------------------------- messages */

static void cli_err(JqCli *q, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void cli_err(JqCli *q, const char *fmt, ...) {
    StrBuf b;
    sb_init(&b);
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&b, fmt, ap);
    va_end(ap);
    uc_write(q->c, 2, b.s, b.len);
    sb_free(&b);
}

static void usage_hint(JqCli *q) {
    cli_err(q, "Use jq --help for help with command-line options,\nor see the jq manpage, or online docs at https://jqlang.org\n");
}

static const char usage_text[] =
    "Usage:\tjq [options] <jq filter> [file...]\n"
    "\tjq [options] --args <jq filter> [strings...]\n"
    "\tjq [options] --jsonargs <jq filter> [JSON_TEXTS...]\n"
    "\n"
    "jq applies the filter to each JSON input and writes the results as JSON\n"
    "on standard output (wasmsh's implementation of the jq 1.8 language).\n"
    "\n"
    "Options:\n"
    "  -n, --null-input          use null as the single input value\n"
    "  -R, --raw-input           read each line as a string\n"
    "  -s, --slurp               read all inputs into one array\n"
    "  -c, --compact-output      compact output\n"
    "  -r, --raw-output          write strings without quotes\n"
    "      --raw-output0         like -r, with a NUL after each output\n"
    "  -j, --join-output         like -r, without newlines\n"
    "  -a, --ascii-output        escape non-ASCII characters\n"
    "  -S, --sort-keys           sort object keys\n"
    "  -C, --color-output        colorize output\n"
    "  -M, --monochrome-output   no colors\n"
    "      --tab                 indent with tabs\n"
    "      --indent n            indent with n spaces (0 to 7)\n"
    "      --unbuffered          (accepted)\n"
    "      --stream              stream inputs as [path, leaf] events\n"
    "      --stream-errors       like --stream, reporting errors as values\n"
    "      --seq                 RS-separated output (RFC 7464)\n"
    "  -f, --from-file file      read the filter from a file\n"
    "  -L directory              search modules in directory\n"
    "  -e, --exit-status         status from the last output\n"
    "      --arg name value      $name is the string value\n"
    "      --argjson name text   $name is the JSON value\n"
    "      --slurpfile name file $name is the array of the file's values\n"
    "      --rawfile name file   $name is the file's text\n"
    "      --args                positional arguments are strings\n"
    "      --jsonargs            positional arguments are JSON texts\n"
    "  -h, --help                this help\n"
    "  -V, --version             the version\n";

/* ---------------------------------------------------------------- input */

static bool open_next(JqCli *q) {
    while (q->file_i < q->files.n || (q->files.n == 0 && q->file_i == 0)) {
        const char *name = q->files.n ? q->files.v[q->file_i] : "-";
        q->file_i++;
        if (q->files.n == 0) q->file_i = 1;
        UcFile *f = uc_open(q->c, name, "r");
        if (!f) {
            cli_err(q, "jq: error: Could not open %s: %s\n", name, strerror(errno));
            q->open_error = true;
            if (q->files.n == 0) return false;
            continue;
        }
        q->cur = f;
        q->cur_stdin = !strcmp(name, "-");
        q->cur_name = q->cur_stdin ? NULL : name;
        q->line = 0;
        return true;
    }
    return false;
}

/* Reads the next chunk into the parser; false when all input is consumed. */
static bool feed_more(JqCli *q) {
    for (;;) {
        if (!q->cur && !open_next(q)) {
            if (q->parser_at_end) return false;
            jvp_feed(q->parser, "", 0, true);
            q->parser_at_end = true;
            return true;
        }
        if (uc_should_stop(q->c)) {
            q->stopped = true;
            return false;
        }
        ssize_t n = uc_fread(q->cur, q->buf, JQ_BUF);
        if (n > 0) {
            for (ssize_t i = 0; i < n; i++)
                if (q->buf[i] == '\n') q->line++;
            jvp_feed(q->parser, q->buf, (size_t)n, false);
            return true;
        }
        if (n < 0) cli_err(q, "jq: error: %s: %s\n", q->cur_name ? q->cur_name : "<stdin>", strerror(errno));
        uc_close(q->cur);
        q->cur = NULL;
        bool more = q->file_i < q->files.n;
        if (!more) {
            jvp_feed(q->parser, "", 0, true);
            q->parser_at_end = true;
            return true;
        }
    }
}

static Jv stream_events(Jv v);

/* The raw reader bypasses the parser: read chunks directly. */
static int raw_next(JqCli *q, Jv *out) {
    for (;;) {
        char *nl = q->raw_line.s ? memchr(q->raw_line.s, '\n', q->raw_line.len) : NULL;
        if (nl) {
            size_t n = (size_t)(nl - q->raw_line.s);
            *out = jv_str_utf8(q->raw_line.s, n);
            memmove(q->raw_line.s, nl + 1, q->raw_line.len - n - 1);
            q->raw_line.len -= n + 1;
            if (q->raw_line.s) q->raw_line.s[q->raw_line.len] = 0;
            return 1;
        }
        if (!q->cur && !open_next(q)) {
            if (q->raw_line.len) {
                *out = jv_str_utf8(q->raw_line.s, q->raw_line.len);
                sb_clear(&q->raw_line);
                return 1;
            }
            return 0;
        }
        ssize_t n = uc_fread(q->cur, q->buf, JQ_BUF);
        if (n > 0) {
            sb_put(&q->raw_line, q->buf, (size_t)n);
            continue;
        }
        uc_close(q->cur);
        q->cur = NULL;
        if (q->file_i >= q->files.n) {
            if (q->raw_line.len) {
                *out = jv_str_utf8(q->raw_line.s, q->raw_line.len);
                sb_clear(&q->raw_line);
                return 1;
            }
            return 0;
        }
    }
}

/* Next JSON value: 1, 0 at the end, -1 after a parse error (reported). */
static int json_next(JqCli *q, Jv *out) {
    for (;;) {
        char *err = NULL;
        int r = jvp_next(q->parser, out, &err);
        if (r == 1) return 1;
        if (r < 0) {
            cli_err(q, "jq: parse error: %s\n", err);
            free(err);
            q->input_error = true;
            return -1;
        }
        if (q->parser_at_end) return 0;
        if (!feed_more(q)) return 0;
    }
}

static int next_input(JqCli *q, Jv *out) {
    if (q->inputs_done) return 0;
    if (q->stream) {
        for (;;) {
            if (jv_valid(q->pending_stream) && q->stream_i < jv_arr_len(q->pending_stream)) {
                *out = jv_copy(jv_arr_at(q->pending_stream, q->stream_i++));
                return 1;
            }
            jv_free(q->pending_stream);
            q->pending_stream = jv_invalid();
            Jv v;
            int r = json_next(q, &v);
            if (r <= 0) {
                if (r < 0) q->inputs_done = true;
                return r;
            }
            q->pending_stream = stream_events(v);
            q->stream_i = 0;
        }
    }
    int r = q->raw_input ? raw_next(q, out) : json_next(q, out);
    if (r < 0) q->inputs_done = true;
    if (r == 0) q->inputs_done = true;
    return r;
}

/* --stream: [path, leaf] for each scalar or empty container, and [path]
 * closing each container after its last element, as jq's tostream. */
static void stream_rec(Jv v, Jv path, Jv *out, bool top) {
    bool container = v.kind == JV_ARRAY || v.kind == JV_OBJECT;
    size_t n = v.kind == JV_ARRAY ? jv_arr_len(v) : v.kind == JV_OBJECT ? jv_obj_len(v) : 0;
    if (!container || n == 0) {
        Jv ev = jv_arr();
        jv_arr_push(&ev, jv_copy(path));
        jv_arr_push(&ev, jv_copy(v));
        jv_arr_push(out, ev);
    } else {
        Jv lastp = jv_invalid();
        for (size_t i = 0; i < n; i++) {
            Jv p = jv_copy(path);
            jv_arr_push(&p, v.kind == JV_ARRAY ? jv_num((double)i) : jv_copy(jv_obj_key_at(v, i)));
            stream_rec(v.kind == JV_ARRAY ? jv_arr_at(v, i) : jv_obj_val_at(v, i), jv_copy(p), out, false);
            jv_free(lastp);
            lastp = p;
        }
        Jv ev = jv_arr();
        jv_arr_push(&ev, lastp);
        jv_arr_push(out, ev);
    }
    (void)top;
    jv_free(path);
}

static Jv stream_events(Jv v) {
    Jv out = jv_arr();
    stream_rec(v, jv_arr(), &out, true);
    jv_free(v);
    return out;
}

static int session_input(void *ctx, Jv *out, Jv *err) {
    JqCli *q = ctx;
    int r = next_input(q, out);
    if (r < 0) {
        *err = jv_str_c("parse error");
        return 0;
    }
    (void)err;
    return r;
}

static void session_message(void *ctx, const char *s, size_t n) {
    JqCli *q = ctx;
    uc_write(q->c, 2, s, n);
}

static const char *session_filename(void *ctx) {
    JqCli *q = ctx;
    if (q->cur_name) return q->cur_name;
    return q->file_i ? "<stdin>" : NULL;
}

static bool session_stop(void *ctx) {
    JqCli *q = ctx;
    return uc_should_stop(q->c);
}

/* ---------------------------------------------------------------- output */

static int emit(void *ctx, Jv v) {
    JqCli *q = ctx;
    if (q->seq) uout_putc(&q->out, '\x1e');
    if ((q->raw || q->join || q->raw0) && v.kind == JV_STRING) {
        if (q->raw0 && memchr(jv_strval(v), 0, jv_strlen(v))) {
            jv_free(v);
            q->nul_error = true;
            return 1;
        }
        uout_put(&q->out, jv_strval(v), jv_strlen(v));
    } else {
        jv_dump(&q->out.b, v, &q->dump);
    }
    if (q->raw0) uout_putc(&q->out, '\0');
    else if (!q->join) uout_putc(&q->out, '\n');
    q->any_output = true;
    jv_free(q->last);
    q->last = v;
    if (q->out.b.len >= 4096) uout_flush(&q->out);
    if (q->out.err) return 1;
    if (uc_should_stop(q->c)) {
        q->stopped = true;
        return 1;
    }
    return 0;
}

static void report_error(JqCli *q, Jv err) {
    StrBuf b;
    sb_init(&b);
    sb_puts(&b, "jq: error (at ");
    if (q->null_input && !q->cur && !q->file_i) sb_puts(&b, "<unknown>");
    else sb_printf(&b, "%s:%ld", q->cur_name ? q->cur_name : "<stdin>", q->line);
    sb_puts(&b, ")");
    if (err.kind == JV_STRING) {
        sb_puts(&b, ": ");
        sb_put(&b, jv_strval(err), jv_strlen(err));
    } else {
        sb_puts(&b, " (not a string): ");
        jv_dump_compact(&b, err);
    }
    sb_putc(&b, '\n');
    uc_write(q->c, 2, b.s, b.len);
    sb_free(&b);
}

/* Runs the program on one input; false when the run must end (halt). */
static bool run_one(JqCli *q, Jv input, int *halt_status) {
    JqRunResult res;
    int rc = jq_session_run(q->s, input, emit, q, &res);
    if (q->nul_error) {
        q->nul_error = false;
        Jv msg = jv_str_c("Cannot dump a string containing NUL with --raw-output0 option");
        report_error(q, msg);
        jv_free(msg);
        q->status = 5;
        return true;
    }
    if (rc == JQ_RUN_ERROR) {
        report_error(q, res.error);
        jv_free(res.error);
        q->status = 5;
        return true;
    }
    q->status = 0; /* jq's status comes from the last input */
    if (rc == JQ_RUN_HALT) {
        uout_flush(&q->out);
        if (jv_valid(res.halt_msg)) {
            if (res.halt_msg.kind == JV_STRING) {
                uc_write(q->c, 2, jv_strval(res.halt_msg), jv_strlen(res.halt_msg));
            } else {
                StrBuf b;
                sb_init(&b);
                jv_dump_compact(&b, res.halt_msg);
                sb_putc(&b, '\n');
                uc_write(q->c, 2, b.s, b.len);
                sb_free(&b);
            }
        }
        jv_free(res.halt_msg);
        *halt_status = res.halt_status;
        return false;
    }
    if (rc == JQ_RUN_STOPPED) {
        q->stopped = true;
        return false;
    }
    return !q->stopped && !q->out.err;
}

/* ---------------------------------------------------------------- options */

static bool read_whole(JqCli *q, const char *path, StrBuf *out) {
    UcFile *f = uc_open(q->c, path, "r");
    if (!f) {
        cli_err(q, "jq: error: Could not open %s: %s\n", path, strerror(errno));
        return false;
    }
    char buf[8192];
    ssize_t n;
    while ((n = uc_fread(f, buf, sizeof buf)) > 0) sb_put(out, buf, (size_t)n);
    uc_close(f);
    return true;
}

static void add_named(JqCli *q, const char *name, Jv v) {
    sl_push_copy(&q->var_names, name);
    jv_arr_push(&q->var_values, jv_copy(v));
    jv_obj_set(&q->named, jv_str_c(name), v);
}

static void set_colors(JqCli *q) {
    static const char *const defaults[8] = {"0;90", "0;39", "0;39", "0;39", "0;32", "1;39", "1;39", "1;34"};
    for (int i = 0; i < 8; i++) q->dump.colors[i] = defaults[i];
}

/* Parses argv as jq does: options anywhere, the first operand is the filter
 * (unless -f), then files or positional arguments. Returns -1 to go on, or
 * an exit status. */
static int parse_args(JqCli *q, int argc, char **argv) {
    enum { POS_FILES, POS_ARGS, POS_JSONARGS } pos_mode = POS_FILES;
    bool no_more_opts = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        /* jq: an option is "-" followed by a letter or "-" ("-1" is a program) */
        bool is_opt = a[0] == '-' && (a[1] == '-' || (a[1] >= 'a' && a[1] <= 'z') || (a[1] >= 'A' && a[1] <= 'Z'));
        if (no_more_opts || !is_opt) {
            if (!q->filter && !q->filter_file) {
                q->filter = a;
                continue;
            }
            if (pos_mode == POS_FILES) sl_push_copy(&q->files, a);
            else if (pos_mode == POS_ARGS) jv_arr_push(&q->positional, jv_str_c(a));
            else {
                char *err = NULL;
                Jv v = jv_parse(a, strlen(a), &err);
                if (!jv_valid(v)) {
                    cli_err(q, "jq: Invalid JSON text passed to --jsonargs\n");
                    usage_hint(q);
                    free(err);
                    return 2;
                }
                jv_arr_push(&q->positional, v);
            }
            continue;
        }
        if (!strcmp(a, "--")) {
            no_more_opts = true;
            continue;
        }
        if (a[1] == '-') {
            const char *o = a + 2;
            if (!strcmp(o, "null-input")) q->null_input = true;
            else if (!strcmp(o, "raw-input")) q->raw_input = true;
            else if (!strcmp(o, "slurp")) q->slurp = true;
            else if (!strcmp(o, "compact-output")) q->compact = true;
            else if (!strcmp(o, "raw-output")) q->raw = true;
            else if (!strcmp(o, "raw-output0")) q->raw0 = true;
            else if (!strcmp(o, "join-output")) q->join = true;
            else if (!strcmp(o, "ascii-output")) q->ascii = true;
            else if (!strcmp(o, "sort-keys")) q->sort_keys = true;
            else if (!strcmp(o, "color-output")) q->color = true;
            else if (!strcmp(o, "monochrome-output")) q->color = false;
            else if (!strcmp(o, "tab")) q->tab = true;
            else if (!strcmp(o, "unbuffered") || !strcmp(o, "binary")) {
            } else if (!strcmp(o, "stream")) q->stream = true;
            else if (!strcmp(o, "stream-errors")) q->stream = q->stream_errors = true;
            else if (!strcmp(o, "seq")) q->seq = true;
            else if (!strcmp(o, "exit-status")) q->exit_status = true;
            else if (!strcmp(o, "args")) pos_mode = POS_ARGS;
            else if (!strcmp(o, "jsonargs")) pos_mode = POS_JSONARGS;
            else if (!strcmp(o, "help")) {
                uc_puts(q->c, 1, usage_text);
                return 0;
            } else if (!strcmp(o, "version")) {
                uc_puts(q->c, 1, "jq-1.8.2\n");
                return 0;
            } else if (!strcmp(o, "indent")) {
                if (i + 1 >= argc) {
                    cli_err(q, "jq: --indent takes one parameter\n");
                    usage_hint(q);
                    return 2;
                }
                char *end;
                long n = strtol(argv[++i], &end, 10);
                if (*end || n < -1 || n > 7) {
                    cli_err(q, "jq: --indent takes a number between -1 and 7\n");
                    usage_hint(q);
                    return 2;
                }
                q->indent = (int)n;
            } else if (!strcmp(o, "arg") || !strcmp(o, "argjson") || !strcmp(o, "slurpfile") ||
                       !strcmp(o, "rawfile")) {
                if (i + 2 >= argc) {
                    cli_err(q, "jq: --%s takes two parameters (e.g. --%s varname %s)\n", o, o,
                            !strcmp(o, "arg") ? "value" : !strcmp(o, "argjson") ? "text" : "filename");
                    usage_hint(q);
                    return 2;
                }
                const char *name = argv[i + 1], *val = argv[i + 2];
                i += 2;
                if (!strcmp(o, "arg")) {
                    add_named(q, name, jv_str_utf8(val, strlen(val)));
                } else if (!strcmp(o, "argjson")) {
                    char *err = NULL;
                    Jv v = jv_parse(val, strlen(val), &err);
                    if (!jv_valid(v)) {
                        cli_err(q, "jq: Invalid JSON text passed to --argjson\n");
                        usage_hint(q);
                        free(err);
                        return 2;
                    }
                    add_named(q, name, v);
                } else {
                    StrBuf text;
                    sb_init(&text);
                    if (!read_whole(q, val, &text)) {
                        sb_free(&text);
                        return 2;
                    }
                    if (!strcmp(o, "rawfile")) {
                        add_named(q, name, jv_str_take(&text));
                    } else {
                        JvParser *p = jvp_new(0);
                        jvp_feed(p, text.s ? text.s : "", text.len, true);
                        Jv arr = jv_arr(), v;
                        char *err = NULL;
                        int r;
                        while ((r = jvp_next(p, &v, &err)) == 1) jv_arr_push(&arr, v);
                        jvp_free(p);
                        sb_free(&text);
                        if (r < 0) {
                            cli_err(q, "jq: Bad JSON in --slurpfile %s %s: %s\n", name, val, err);
                            free(err);
                            jv_free(arr);
                            return 2;
                        }
                        add_named(q, name, arr);
                    }
                }
            } else if (!strcmp(o, "from-file")) {
                if (i + 1 >= argc) {
                    cli_err(q, "jq: -f takes a parameter\n");
                    return 2;
                }
                if (q->filter) sl_push_copy(&q->files, q->filter), q->filter = NULL;
                q->filter_file = argv[++i];
            } else if (!strcmp(o, "library-path")) {
                if (i + 1 >= argc) return 2;
                sl_push_copy(&q->libdirs, argv[++i]);
            } else {
                cli_err(q, "jq: Unknown option %s\n", a);
                usage_hint(q);
                return 2;
            }
            continue;
        }
        /* short options, clustered */
        for (const char *p = a + 1; *p; p++) {
            switch (*p) {
            case 'n': q->null_input = true; break;
            case 'R': q->raw_input = true; break;
            case 's': q->slurp = true; break;
            case 'c': q->compact = true; break;
            case 'r': q->raw = true; break;
            case 'j': q->join = true; break;
            case 'a': q->ascii = true; break;
            case 'S': q->sort_keys = true; break;
            case 'C': q->color = true; break;
            case 'M': q->color = false; break;
            case 'e': q->exit_status = true; break;
            case 'h': uc_puts(q->c, 1, usage_text); return 0;
            case 'V': uc_puts(q->c, 1, "jq-1.8.2\n"); return 0;
            case 'f':
                if (i + 1 >= argc) {
                    cli_err(q, "jq: -f takes a parameter\n");
                    return 2;
                }
                if (q->filter) sl_push_copy(&q->files, q->filter), q->filter = NULL;
                q->filter_file = argv[++i];
                break;
            case 'L':
                if (p[1]) {
                    sl_push_copy(&q->libdirs, p + 1);
                    p += strlen(p) - 1;
                } else if (i + 1 < argc) {
                    sl_push_copy(&q->libdirs, argv[++i]);
                } else {
                    cli_err(q, "jq: -L takes a parameter: (e.g. -L /search/path or -L/search/path)\n");
                    usage_hint(q);
                    return 2;
                }
                break;
            default:
                cli_err(q, "jq: Unknown option %s\n", a);
                usage_hint(q);
                return 2;
            }
        }
    }
    return -1;
}

static void cli_free(JqCli *q) {
    if (q->cur) uc_close(q->cur);
    jvp_free(q->parser);
    free(q->buf);
    free(q->filter_text);
    sl_free(&q->files);
    sl_free(&q->libdirs);
    sl_free(&q->var_names);
    jv_free(q->var_values);
    jv_free(q->named);
    jv_free(q->positional);
    jv_free(q->pending_stream);
    jv_free(q->last);
    jv_free(q->slurped);
    sb_free(&q->raw_line);
    jq_session_free(q->s);
}

static Jv env_object(UtilCtx *c) {
    Jv o = jv_obj();
    char *const *env = uc_environ(c);
    for (size_t i = 0; env && env[i]; i++) {
        const char *eq = strchr(env[i], '=');
        if (!eq) continue;
        jv_obj_set(&o, jv_str_utf8(env[i], (size_t)(eq - env[i])), jv_str_utf8(eq + 1, strlen(eq + 1)));
    }
    return o;
}

static void cli_init(JqCli *q, UtilCtx *c) {
    memset(q, 0, sizeof *q);
    q->c = c;
    q->indent = 2;
    sl_init(&q->files);
    sl_init(&q->libdirs);
    sl_init(&q->var_names);
    q->var_values = jv_arr();
    q->named = jv_obj();
    q->positional = jv_arr();
    q->pending_stream = jv_invalid();
    q->last = jv_invalid();
    q->slurped = jv_invalid();
    sb_init(&q->raw_line);
    uout_init(&q->out, c, 1);
}

/* Options, program and session; -1 to go on, else the exit status. */
static int jq_setup(JqCli *q, int argc, char **argv) {
    int st = parse_args(q, argc, argv);
    if (st >= 0) return st;
    if (!q->filter && !q->filter_file) q->filter = "."; /* jq's default when not on a terminal */
    StrBuf prog;
    sb_init(&prog);
    if (q->filter_file) {
        if (!read_whole(q, q->filter_file, &prog)) {
            sb_free(&prog);
            return 2;
        }
    } else {
        sb_puts(&prog, q->filter);
    }
    if (q->raw0 || q->join) q->raw = true;
    q->dump.indent = q->compact ? 0 : q->indent;
    q->dump.tab = q->tab && !q->compact;
    q->dump.pretty = !q->compact && q->indent >= 0;
    q->dump.sort_keys = q->sort_keys;
    q->dump.ascii = q->ascii;
    q->dump.color = q->color;
    set_colors(q);

    /* $ARGS and the named variables */
    Jv args = jv_obj();
    jv_obj_set(&args, jv_str_c("positional"), jv_copy(q->positional));
    jv_obj_set(&args, jv_str_c("named"), jv_copy(q->named));
    add_named(q, "ARGS", args);
    /* "ARGS" must not appear in $ARGS.named */
    Jv args_key = jv_str_c("ARGS");
    jv_obj_del(&q->named, args_key);
    jv_free(args_key);
    Jv *vals = xmalloc((q->var_names.n + 1) * sizeof *vals);
    for (size_t i = 0; i < q->var_names.n; i++) vals[i] = jv_arr_at(q->var_values, i);
    Jv env = env_object(q->c);
    JqConfig cfg = {0};
    cfg.file = NULL;
    cfg.libdirs = (const char *const *)q->libdirs.v;
    cfg.nlibdirs = (int)q->libdirs.n;
    cfg.var_names = (const char *const *)q->var_names.v;
    cfg.var_values = vals;
    cfg.nvars = (int)q->var_names.n;
    cfg.env = env;
    cfg.ctx = q;
    cfg.input = session_input;
    cfg.message = session_message;
    cfg.filename = session_filename;
    cfg.should_stop = session_stop;
    StrBuf errs;
    sb_init(&errs);
    q->uses_input = strstr(prog.s ? prog.s : "", "input") != NULL;
    q->s = jq_session_new(prog.s ? prog.s : "", prog.len, &cfg, &errs);
    free(vals);
    jv_free(env);
    sb_free(&prog);
    if (!q->s) {
        uc_write(q->c, 2, errs.s, errs.len);
        sb_free(&errs);
        return 3;
    }
    sb_free(&errs);

    q->parser = jvp_new(q->seq ? JVP_SEQ : 0);
    q->buf = xmalloc(JQ_BUF);
    return -1;
}

/* The exit status at the end, as jq computes it. */
static int final_status(JqCli *q, int halt_status) {
    int close_st = uout_flush(&q->out) < 0 && q->out.err != EPIPE;
    if (halt_status >= 0) return halt_status;
    if (q->stopped) return 1;
    if (q->input_error) return 2 + 3; /* jq 1.8 exits 5 */
    if (close_st && q->status == 0) q->status = 2;
    if (q->open_error && q->status == 0) q->status = 2;
    if (q->exit_status && q->status == 0) {
        if (!q->any_output) return 4;
        if (q->last.kind == JV_NULL || q->last.kind == JV_FALSE) return 1;
    }
    return q->status;
}

static int jq_cli(JqCli *q, int argc, char **argv) {
    int st = jq_setup(q, argc, argv);
    if (st >= 0) return st;
    int halt_status = -1;
    if (q->null_input) {
        run_one(q, jv_null(), &halt_status);
    } else if (q->slurp) {
        Jv all;
        if (q->raw_input) {
            StrBuf text;
            sb_init(&text);
            while (q->cur || open_next(q)) {
                ssize_t n;
                while ((n = uc_fread(q->cur, q->buf, JQ_BUF)) > 0) sb_put(&text, q->buf, (size_t)n);
                uc_close(q->cur);
                q->cur = NULL;
                if (q->file_i >= q->files.n) break;
            }
            all = jv_str_take(&text);
        } else {
            all = jv_arr();
            Jv v;
            int r;
            while ((r = next_input(q, &v)) == 1) jv_arr_push(&all, v);
            if (r < 0) {
                jv_free(all);
                all = jv_invalid();
            }
        }
        if (jv_valid(all)) run_one(q, all, &halt_status);
    } else {
        Jv v;
        while (next_input(q, &v) == 1) {
            if (!run_one(q, v, &halt_status)) break;
        }
    }
    return final_status(q, halt_status);
}

/* ---------------------------------------------------------------- push mode */

/* In a pipeline jq is fed each chunk the producer writes: values are run as
 * soon as they are complete, so input of any size streams through (the
 * pulled form would wait for the producer's whole output). Programs that
 * read with input/inputs, file operands, -n and -R -s use the pulled form. */
static void push_value(JqCli *q, Jv v) {
    if (q->push_done) {
        jv_free(v);
        return;
    }
    if (q->slurp) {
        jv_arr_push(&q->slurped, v);
        return;
    }
    if (q->stream) {
        Jv evs = stream_events(v);
        for (size_t i = 0; i < jv_arr_len(evs) && !q->push_done; i++)
            if (!run_one(q, jv_copy(jv_arr_at(evs, i)), &q->halt_status)) q->push_done = true;
        jv_free(evs);
        return;
    }
    if (!run_one(q, v, &q->halt_status)) q->push_done = true;
}

static void push_drain(JqCli *q) {
    if (q->raw_input) {
        char *nl;
        while (!q->push_done && q->raw_line.len && (nl = memchr(q->raw_line.s, '\n', q->raw_line.len))) {
            size_t n = (size_t)(nl - q->raw_line.s);
            Jv line = jv_str_utf8(q->raw_line.s, n);
            memmove(q->raw_line.s, nl + 1, q->raw_line.len - n - 1);
            q->raw_line.len -= n + 1;
            q->raw_line.s[q->raw_line.len] = 0;
            push_value(q, line);
        }
        return;
    }
    for (;;) {
        Jv v;
        char *err = NULL;
        int r = jvp_next(q->parser, &v, &err);
        if (r == 1) {
            push_value(q, v);
            if (q->push_done) return;
            continue;
        }
        if (r < 0) {
            cli_err(q, "jq: parse error: %s\n", err);
            free(err);
            q->input_error = true;
            q->push_done = true;
        }
        return;
    }
}

static void *jq_push_start(UtilCtx *c, int argc, char **argv, int *status) {
    JqCli *q = xcalloc(1, sizeof *q);
    cli_init(q, c);
    int st = jq_setup(q, argc, argv);
    if (st >= 0) {
        *status = st;
        uout_close(&q->out);
        cli_free(q);
        free(q);
        return NULL;
    }
    bool only_stdin = q->files.n == 0 || (q->files.n == 1 && !strcmp(q->files.v[0], "-"));
    if (!only_stdin || q->null_input || q->uses_input || (q->raw_input && q->slurp)) {
        *status = -1;
        uout_close(&q->out);
        cli_free(q);
        free(q);
        return NULL;
    }
    q->file_i = 1; /* input_filename: "<stdin>" */
    q->cur_stdin = true;
    q->halt_status = -1;
    q->slurped = jv_arr();
    return q;
}

static int jq_push_feed(void *st, const char *data, size_t n) {
    JqCli *q = st;
    if (q->push_done) return 1;
    for (size_t i = 0; i < n; i++)
        if (data[i] == '\n') q->line++;
    if (q->raw_input) sb_put(&q->raw_line, data, n);
    else jvp_feed(q->parser, data, n, false);
    push_drain(q);
    return q->push_done ? 1 : 0;
}

static int jq_push_finish(void *st) {
    JqCli *q = st;
    if (!q->push_done) {
        if (q->raw_input) {
            push_drain(q);
            if (q->raw_line.len && !q->push_done) {
                Jv line = jv_str_utf8(q->raw_line.s, q->raw_line.len);
                sb_clear(&q->raw_line);
                push_value(q, line);
            }
        } else {
            jvp_feed(q->parser, "", 0, true);
            push_drain(q);
        }
    }
    if (q->slurp && !q->push_done && !q->input_error) {
        Jv all = q->slurped;
        q->slurped = jv_arr();
        run_one(q, all, &q->halt_status);
    }
    int status = final_status(q, q->halt_status);
    uout_close(&q->out);
    cli_free(q);
    free(q);
    return status;
}

const UtilPushOps util_jq_push = {jq_push_start, jq_push_feed, jq_push_finish};

int util_jq_main(UtilCtx *c, int argc, char **argv) {
    JqCli q;
    cli_init(&q, c);
    int st = jq_cli(&q, argc, argv);
    uout_close(&q.out);
    cli_free(&q);
    return st;
}
