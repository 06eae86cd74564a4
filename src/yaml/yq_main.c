/* yq_main.c - the yq utility in mikefarah yq v4's style: YAML (and JSON)
 * documents in, jq's evaluator for the expression (with yq's extra
 * builtins), YAML/JSON/props/csv/tsv out; eval and eval-all, -i in place. */
#include "jq.h"
#include "ucommon.h"
#include "yaml.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* yq's operators that jq lacks, or that differ (keys keep document order). */
static const char yq_prelude[] =
    "def keys: keys_unsorted;\n"
    "def sort_keys(f): (f) |= (if type == \"object\" then to_entries | sort_by(.key) | from_entries else . end);\n"
    "def explode(f): .;\n"
    "def downcase: ascii_downcase;\n"
    "def upcase: ascii_upcase;\n"
    "def to_string: tostring;\n"
    "def to_number: tonumber;\n"
    "def to_json: tojson;\n"
    "def from_json: fromjson;\n"
    "def tag: {\"object\": \"!!map\", \"array\": \"!!seq\", \"string\": \"!!str\", \"boolean\": \"!!bool\",\n"
    "  \"null\": \"!!null\"}[type] // (if . == (. | floor) then \"!!int\" else \"!!float\" end);\n"
    "def kind: if type == \"object\" then \"map\" elif type == \"array\" then \"seq\" else \"scalar\" end;\n"
    "def line_comment: \"\";\n"
    "def head_comment: \"\";\n"
    "def foot_comment: \"\";\n"
    "def splitDoc: .;\n"
    "def _yq_strenv($n): $ENV[$n];\n"
    "def _yq_env($n): $ENV[$n] | if . == null then null else (tonumber? // (if . == \"true\" then true\n"
    "  elif . == \"false\" then false else . end)) end;\n"
    "def type: tag;\n";

typedef enum { F_YAML, F_JSON, F_PROPS, F_CSV, F_TSV } Fmt;

typedef struct Yq {
    UtilCtx *c;
    bool eval_all, null_input, inplace, pretty, exit_status, no_doc;
    int unwrap; /* -1 default */
    int indent;
    Fmt out_fmt, in_fmt;
    const char *expr;
    char *expr_owned;
    StrList files;
    JqSession *s;
    UOut out;
    StrBuf buf;
    bool any_output, first_doc_out;
    Jv last;
    int status;
    const char *cur_file;
} Yq;

static void yq_err(Yq *q, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void yq_err(Yq *q, const char *fmt, ...) {
    StrBuf b;
    sb_init(&b);
    sb_puts(&b, "Error: ");
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&b, fmt, ap);
    va_end(ap);
    sb_putc(&b, '\n');
    uc_write(q->c, 2, b.s, b.len);
    sb_free(&b);
}

static bool parse_fmt(const char *s, Fmt *f) {
    if (!strcmp(s, "yaml") || !strcmp(s, "y") || !strcmp(s, "yml")) *f = F_YAML;
    else if (!strcmp(s, "json") || !strcmp(s, "j")) *f = F_JSON;
    else if (!strcmp(s, "props") || !strcmp(s, "p") || !strcmp(s, "properties")) *f = F_PROPS;
    else if (!strcmp(s, "csv") || !strcmp(s, "c")) *f = F_CSV;
    else if (!strcmp(s, "tsv") || !strcmp(s, "t")) *f = F_TSV;
    else if (!strcmp(s, "auto") || !strcmp(s, "a")) *f = F_YAML;
    else return false;
    return true;
}

/* env(NAME) and strenv(NAME) take a bare name: rewritten as string calls. */
static char *rewrite_env(const char *e) {
    StrBuf b;
    sb_init(&b);
    for (size_t i = 0; e[i];) {
        bool word_start = i == 0 || !(e[i - 1] == '_' || (e[i - 1] >= 'a' && e[i - 1] <= 'z') ||
                                      (e[i - 1] >= 'A' && e[i - 1] <= 'Z') || (e[i - 1] >= '0' && e[i - 1] <= '9'));
        size_t kw = !strncmp(e + i, "strenv(", 7) ? 7 : !strncmp(e + i, "env(", 4) ? 4 : 0;
        if (word_start && kw) {
            size_t j = i + kw;
            while (e[j] == ' ') j++;
            size_t s = j;
            while (e[j] == '_' || (e[j] >= 'a' && e[j] <= 'z') || (e[j] >= 'A' && e[j] <= 'Z') || (e[j] >= '0' && e[j] <= '9'))
                j++;
            size_t end = j;
            while (e[j] == ' ') j++;
            if (end > s && e[j] == ')') {
                sb_printf(&b, "%s(\"%.*s\")", kw == 7 ? "_yq_strenv" : "_yq_env", (int)(end - s), e + s);
                i = j + 1;
                continue;
            }
        }
        sb_putc(&b, e[i++]);
    }
    return sb_take(&b);
}

static Jv env_object(UtilCtx *c) {
    Jv o = jv_obj();
    char *const *env = uc_environ(c);
    for (size_t i = 0; env && env[i]; i++) {
        const char *eq = strchr(env[i], '=');
        if (eq) jv_obj_set(&o, jv_str_utf8(env[i], (size_t)(eq - env[i])), jv_str_utf8(eq + 1, strlen(eq + 1)));
    }
    return o;
}

/* ---------------------------------------------------------------- output */

typedef struct EmitCtx {
    Yq *q;
    const YamlDoc *doc;
    StrBuf *dst;
    bool preserve;
    bool sep_pending; /* a new input document began: "---" before its first output */
    bool first_of_doc;
} EmitCtx;

static void json_out(Yq *q, StrBuf *b, Jv v) {
    JvDumpOpts o = {0};
    o.pretty = q->indent > 0;
    o.indent = q->indent;
    jv_dump(b, v, &o);
    sb_putc(b, '\n');
}

static int on_output(void *ctx, Jv v) {
    EmitCtx *e = ctx;
    Yq *q = e->q;
    StrBuf *b = e->dst;
    bool unwrap = q->unwrap < 0 ? q->out_fmt != F_JSON : q->unwrap;
    if (e->sep_pending && q->out_fmt == F_YAML && !q->no_doc && q->first_doc_out) sb_puts(b, "---\n");
    else if (e->first_of_doc && e->doc && e->doc->explicit_start && e->preserve && q->out_fmt == F_YAML && !q->no_doc)
        sb_puts(b, "---\n"); /* an explicit document start is kept */
    e->sep_pending = false;
    e->first_of_doc = false;
    q->first_doc_out = true;
    bool empty_doc = e->doc && e->doc->empty && e->preserve && v.kind == JV_NULL && q->out_fmt == F_YAML;
    if (unwrap && !empty_doc && v.kind != JV_ARRAY && v.kind != JV_OBJECT && q->out_fmt != F_PROPS) {
        if (v.kind == JV_STRING && q->out_fmt == F_YAML && memchr(jv_strval(v), '\n', jv_strlen(v)) == NULL) {
            sb_put(b, jv_strval(v), jv_strlen(v));
            sb_putc(b, '\n');
        } else if (v.kind == JV_STRING) {
            sb_put(b, jv_strval(v), jv_strlen(v));
            sb_putc(b, '\n');
        } else if (q->out_fmt == F_YAML) {
            YamlOut o = {q->indent ? q->indent : 2, q->pretty, false, NULL, false};
            yaml_emit(b, v, &o);
        } else {
            json_out(q, b, v);
        }
    } else {
        switch (q->out_fmt) {
        case F_YAML: {
            YamlOut o = {q->indent ? q->indent : 2, q->pretty, e->doc != NULL, e->doc, e->preserve};
            yaml_emit(b, v, &o);
            break;
        }
        case F_JSON: json_out(q, b, v); break;
        case F_PROPS: yaml_emit_props(b, v); break;
        case F_CSV:
        case F_TSV: {
            char *err = NULL;
            if (!yaml_emit_csv(b, v, q->out_fmt == F_CSV ? ',' : '\t', &err)) {
                yq_err(q, "%s", err);
                free(err);
                q->status = 1;
            }
            break;
        }
        }
    }
    q->any_output = true;
    jv_free(q->last);
    q->last = v;
    if (b == &q->out.b && b->len >= 4096) uout_flush(&q->out);
    return uc_should_stop(q->c) ? 1 : 0;
}

/* Runs the expression on one value; false on an error (reported). */
static bool run_value(Yq *q, Jv v, const YamlDoc *doc, StrBuf *dst, bool new_doc) {
    EmitCtx e = {q, doc, dst, jq_session_preserves_document(q->s), new_doc, true};
    JqRunResult res;
    int rc = jq_session_run(q->s, v, on_output, &e, &res);
    if (rc == JQ_RUN_ERROR) {
        StrBuf m;
        sb_init(&m);
        jq_error_text(&m, res.error);
        yq_err(q, "%s", sb_cstr(&m));
        sb_free(&m);
        jv_free(res.error);
        q->status = 1;
        return false;
    }
    if (rc == JQ_RUN_HALT) {
        jv_free(res.halt_msg);
        q->status = res.halt_status;
        return false;
    }
    return rc == JQ_RUN_OK;
}

/* ---------------------------------------------------------------- input */

static bool read_all(Yq *q, const char *path, StrBuf *text) {
    UcFile *f = uc_open(q->c, path, "r");
    if (!f) {
        yq_err(q, "open %s: %s", path, strerror(errno));
        return false;
    }
    char buf[65536];
    ssize_t n;
    while ((n = uc_fread(f, buf, sizeof buf)) > 0) sb_put(text, buf, (size_t)n);
    uc_close(f);
    return true;
}

static bool load_docs(Yq *q, const char *path, YamlDocs *docs) {
    StrBuf text;
    sb_init(&text);
    if (!read_all(q, path, &text)) {
        sb_free(&text);
        return false;
    }
    bool ok = true;
    if (q->in_fmt == F_JSON) {
        JvParser *p = jvp_new(0);
        jvp_feed(p, text.s ? text.s : "", text.len, true);
        Jv v;
        char *err = NULL;
        int r;
        while ((r = jvp_next(p, &v, &err)) == 1) {
            if (docs->n == docs->cap) {
                docs->cap = docs->cap ? docs->cap * 2 : 4;
                docs->v = xrealloc(docs->v, docs->cap * sizeof *docs->v);
            }
            docs->v[docs->n++] = (YamlDoc){v, jv_obj(), jv_invalid(), false, false};
        }
        jvp_free(p);
        if (r < 0) {
            yq_err(q, "bad file '%s': %s", path, err);
            free(err);
            ok = false;
        }
    } else {
        char *err = NULL;
        if (!yaml_parse(text.s ? text.s : "", text.len, docs, &err)) {
            yq_err(q, "bad file '%s': %s", path, err);
            free(err);
            ok = false;
        }
    }
    sb_free(&text);
    return ok;
}

/* ---------------------------------------------------------------- main */

static const char yq_usage[] =
    "Usage:\n  yq [eval|eval-all] [flags] EXPRESSION [files...]\n\n"
    "wasmsh's yq: mikefarah yq v4 style, expressions in the jq language.\n\n"
    "Flags:\n"
    "  -o, --output-format  yaml|json|props|csv|tsv\n"
    "  -p, --input-format   yaml|json\n"
    "  -P, --prettyPrint    block style everywhere\n"
    "  -i, --inplace        write the result back to the file\n"
    "  -n, --null-input     no input\n"
    "  -I, --indent N       indentation (default 2)\n"
    "  -r, --unwrapScalar   print scalars raw (default for yaml output)\n"
    "  -e, --exit-status    status 1 when the last result is false or null\n"
    "  -N, --no-doc         no '---' between documents\n";

static int parse_bool(const char *s) { return !strcmp(s, "false") || !strcmp(s, "0") ? 0 : 1; }

static int yq_args(Yq *q, int argc, char **argv) {
    int i = 1;
    if (i < argc && (!strcmp(argv[i], "eval") || !strcmp(argv[i], "e"))) i++;
    else if (i < argc && (!strcmp(argv[i], "eval-all") || !strcmp(argv[i], "ea"))) q->eval_all = true, i++;
    StrList pos;
    sl_init(&pos);
    bool done = false;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (done || a[0] != '-' || !a[1]) {
            sl_push_copy(&pos, a);
            continue;
        }
        if (!strcmp(a, "--")) {
            done = true;
            continue;
        }
        const char *val = NULL;
        char name[64];
        if (a[1] == '-') {
            const char *eq = strchr(a, '=');
            size_t n = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
            if (n >= sizeof name) n = sizeof name - 1;
            memcpy(name, a + 2, n);
            name[n] = 0;
            if (eq) val = eq + 1;
        } else {
            name[0] = a[1];
            name[1] = 0;
            if (a[2]) val = a + 2;
            if (val && val[0] == '=') val++;
        }
#define NEED_VAL()                                                                                       \
    do {                                                                                                 \
        if (!val) {                                                                                      \
            if (i + 1 >= argc) {                                                                         \
                yq_err(q, "flag needs an argument: %s", a);                                              \
                sl_free(&pos);                                                                           \
                return 1;                                                                                \
            }                                                                                            \
            val = argv[++i];                                                                             \
        }                                                                                                \
    } while (0)
        if (!strcmp(name, "o") || !strcmp(name, "output-format")) {
            NEED_VAL();
            if (!parse_fmt(val, &q->out_fmt)) {
                yq_err(q, "unknown output format %s", val);
                sl_free(&pos);
                return 1;
            }
        } else if (!strcmp(name, "p") || !strcmp(name, "input-format")) {
            NEED_VAL();
            if (!parse_fmt(val, &q->in_fmt)) {
                yq_err(q, "unknown input format %s", val);
                sl_free(&pos);
                return 1;
            }
        } else if (!strcmp(name, "I") || !strcmp(name, "indent")) {
            NEED_VAL();
            q->indent = atoi(val);
        } else if (!strcmp(name, "P") || !strcmp(name, "prettyPrint")) q->pretty = true;
        else if (!strcmp(name, "i") || !strcmp(name, "inplace")) q->inplace = true;
        else if (!strcmp(name, "n") || !strcmp(name, "null-input")) q->null_input = true;
        else if (!strcmp(name, "e") || !strcmp(name, "exit-status")) q->exit_status = true;
        else if (!strcmp(name, "N") || !strcmp(name, "no-doc")) q->no_doc = true;
        else if (!strcmp(name, "M") || !strcmp(name, "no-colors") || !strcmp(name, "C") || !strcmp(name, "colors")) {
        } else if (!strcmp(name, "j") || !strcmp(name, "tojson")) q->out_fmt = F_JSON;
        else if (!strcmp(name, "r") || !strcmp(name, "unwrapScalar")) q->unwrap = val ? parse_bool(val) : 1;
        else if (!strcmp(name, "h") || !strcmp(name, "help")) {
            uc_puts(q->c, 1, yq_usage);
            sl_free(&pos);
            return 0;
        } else if (!strcmp(name, "V") || !strcmp(name, "version")) {
            uc_puts(q->c, 1, "yq (https://github.com/mikefarah/yq/) version v4.44.6\n");
            sl_free(&pos);
            return 0;
        } else {
            yq_err(q, "unknown flag: %s", a);
            sl_free(&pos);
            return 1;
        }
    }
    /* the expression, unless the only operand is a file */
    size_t first = 0;
    struct stat st;
    if (pos.n == 1 && !q->null_input && stat(pos.v[0], &st) == 0 && S_ISREG(st.st_mode)) q->expr = ".";
    if (!q->expr) {
        q->expr = pos.n ? (q->expr_owned = xstrdup(pos.v[0])) : ".";
        if (pos.n) first = 1;
    } else {
        q->expr = ".";
    }
    for (size_t k = first; k < pos.n; k++) sl_push_copy(&q->files, pos.v[k]);
    sl_free(&pos);
    return -1;
}

static int yq_run(Yq *q) {
    char *expr = rewrite_env(q->expr);
    Jv env = env_object(q->c);
    JqConfig cfg = {0};
    cfg.env = env;
    cfg.yq = true;
    cfg.extra_prelude = yq_prelude;
    StrBuf errs;
    sb_init(&errs);
    q->s = jq_session_new(expr, strlen(expr), &cfg, &errs);
    jv_free(env);
    free(expr);
    if (!q->s) {
        /* jq's compile messages, as one yq error */
        const char *m = errs.s ? errs.s : "invalid expression";
        const char *nl = strchr(m, '\n');
        const char *start = !strncmp(m, "jq: error: ", 11) ? m + 11 : m;
        yq_err(q, "%.*s", (int)(nl ? nl - start : (long)strlen(start)), start);
        sb_free(&errs);
        return 1;
    }
    sb_free(&errs);
    if (q->inplace && q->files.n == 0) {
        yq_err(q, "write inplace flag only applicable when giving an expression and at least one file");
        return 1;
    }
    if (q->null_input) {
        run_value(q, jv_null(), NULL, &q->out.b, false);
        return 0;
    }
    if (q->files.n == 0) sl_push_copy(&q->files, "-");
    if (q->eval_all) {
        YamlDocs all = {0};
        for (size_t f = 0; f < q->files.n; f++)
            if (!load_docs(q, q->files.v[f], &all)) {
                yaml_docs_free(&all);
                return 1;
            }
        if (jq_session_reduce_all(q->s)) {
            Jv arr = jv_arr();
            for (size_t d = 0; d < all.n; d++) jv_arr_push(&arr, jv_copy(all.v[d].value));
            run_value(q, arr, all.n ? &all.v[0] : NULL, &q->out.b, false);
        } else {
            for (size_t d = 0; d < all.n; d++)
                if (!run_value(q, jv_copy(all.v[d].value), &all.v[d], &q->out.b, d > 0)) break;
        }
        yaml_docs_free(&all);
        return 0;
    }
    bool first = true;
    for (size_t f = 0; f < q->files.n; f++) {
        YamlDocs docs = {0};
        q->cur_file = q->files.v[f];
        if (!load_docs(q, q->files.v[f], &docs)) {
            yaml_docs_free(&docs);
            return 1;
        }
        StrBuf file_out;
        sb_init(&file_out);
        StrBuf *dst = q->inplace ? &file_out : &q->out.b;
        if (q->inplace) q->first_doc_out = false;
        for (size_t d = 0; d < docs.n; d++) {
            if (!run_value(q, jv_copy(docs.v[d].value), &docs.v[d], dst, !first)) {
                yaml_docs_free(&docs);
                sb_free(&file_out);
                return 1;
            }
            first = false;
        }
        if (q->inplace) {
            UcFile *o = uc_open(q->c, q->files.v[f], "w");
            if (!o) {
                yq_err(q, "open %s: %s", q->files.v[f], strerror(errno));
                q->status = 1;
            } else {
                uc_fwrite(o, file_out.s ? file_out.s : "", file_out.len);
                uc_close(o);
            }
            first = true;
        }
        sb_free(&file_out);
        yaml_docs_free(&docs);
    }
    return 0;
}

int util_yq_main(UtilCtx *c, int argc, char **argv) {
    Yq q;
    memset(&q, 0, sizeof q);
    q.c = c;
    q.unwrap = -1;
    q.indent = 2;
    q.last = jv_invalid();
    sl_init(&q.files);
    uout_init(&q.out, c, 1);
    int st = yq_args(&q, argc, argv);
    if (st < 0) {
        st = yq_run(&q);
        if (!st) st = q.status;
        if (st == 0 && q.exit_status && (!q.any_output || q.last.kind == JV_NULL || q.last.kind == JV_FALSE)) {
            uout_flush(&q.out);
            yq_err(&q, "no matches found");
            st = 1;
        }
    }
    free(q.expr_owned);
    uout_close(&q.out);
    jv_free(q.last);
    sl_free(&q.files);
    jq_session_free(q.s);
    return st;
}
