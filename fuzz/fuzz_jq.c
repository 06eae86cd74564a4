/* fuzz_jq.c - libFuzzer target for the jq interpreter: JSON reader and
 * printer, parser, binder, evaluator and builtins.
 *
 * An input is a jq program, a NUL byte, then JSON text. The program is
 * compiled; if it compiles, it runs on each JSON value of the text (at most
 * a few) with its outputs printed and discarded, under a step budget and a
 * small stack bound. `input`/`inputs` read the remaining values. The JSON
 * text alone is also parsed and printed in every output style. Build and run
 * with `make fuzz-jq` (FUZZ_SECONDS=N). */
#include "jq.h"
#include "jv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct FuzzRun {
    JvParser *parser;
    long polls;
    int values;
} FuzzRun;

static int next_value(FuzzRun *f, Jv *out) {
    if (f->values >= 16) return 0;
    char *err = NULL;
    int r = jvp_next(f->parser, out, &err);
    free(err);
    if (r == 1) f->values++;
    return r == 1;
}

static int hook_input(void *ctx, Jv *out, Jv *err) {
    (void)err;
    return next_value(ctx, out);
}

static void hook_message(void *ctx, const char *s, size_t n) {
    (void)ctx;
    (void)s;
    (void)n;
}

static bool hook_stop(void *ctx) {
    FuzzRun *f = ctx;
    return ++f->polls > 100; /* about 100000 evaluation steps */
}

static int discard(void *ctx, Jv v) {
    StrBuf b;
    sb_init(&b);
    JvDumpOpts o = {0};
    o.pretty = true;
    o.indent = 2;
    jv_dump(&b, v, &o);
    sb_free(&b);
    jv_free(v);
    FuzzRun *f = ctx;
    return ++f->polls > 100;
}

static void print_all_styles(Jv v) {
    static const char *const colors[8] = {"0;90", "0;39", "0;39", "0;39", "0;32", "1;39", "1;39", "1;34"};
    JvDumpOpts o = {0};
    StrBuf b;
    sb_init(&b);
    for (int style = 0; style < 4; style++) {
        o.pretty = style & 1;
        o.indent = 2;
        o.sort_keys = style & 2;
        o.ascii = style == 3;
        o.color = style == 2;
        for (int i = 0; i < 8; i++) o.colors[i] = colors[i];
        jv_dump(&b, v, &o);
        sb_clear(&b);
    }
    jv_dump_trunc(&b, v, 30);
    sb_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *text = (const char *)data;
    const char *nul = memchr(text, 0, size);
    size_t plen = nul ? (size_t)(nul - text) : size;
    const char *json = nul ? nul + 1 : "";
    size_t jlen = nul ? size - plen - 1 : 0;

    /* the JSON text on its own */
    JvParser *p = jvp_new(0);
    jvp_feed(p, json, jlen, true);
    Jv v;
    char *err = NULL;
    for (int i = 0; i < 16 && jvp_next(p, &v, &err) == 1; i++) {
        print_all_styles(v);
        jv_free(v);
    }
    free(err);
    jvp_free(p);

    /* the program on the values */
    FuzzRun f = {jvp_new(0), 0, 0};
    jvp_feed(f.parser, json, jlen, true);
    const char *names[] = {"x"};
    Jv vals[] = {jv_str_c("fuzz")};
    JqConfig cfg = {0};
    cfg.var_names = names;
    cfg.var_values = vals;
    cfg.nvars = 1;
    cfg.env = jv_invalid();
    cfg.ctx = &f;
    cfg.input = hook_input;
    cfg.message = hook_message;
    cfg.should_stop = hook_stop;
    cfg.max_stack = 512 * 1024;
    StrBuf errs;
    sb_init(&errs);
    JqSession *s = jq_session_new(text, plen, &cfg, &errs);
    sb_free(&errs);
    jv_free(vals[0]);
    if (s) {
        Jv in;
        int runs = 0;
        bool any = false;
        while (runs < 4 && next_value(&f, &in)) {
            JqRunResult res;
            int rc = jq_session_run(s, in, discard, &f, &res);
            jv_free(res.error);
            jv_free(res.halt_msg);
            runs++;
            any = true;
            if (rc == JQ_RUN_HALT || rc == JQ_RUN_STOPPED) break;
        }
        if (!any) {
            JqRunResult res;
            jq_session_run(s, jv_null(), discard, &f, &res);
            jv_free(res.error);
            jv_free(res.halt_msg);
        }
        jq_session_free(s);
    }
    jvp_free(f.parser);
    return 0;
}
