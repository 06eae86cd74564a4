/* fuzz_yq.c - libFuzzer target for the YAML reader and writer of yq: the
 * input is YAML text; every document is written back in each style (kept
 * comments and styles, -P, JSON, props, csv) and the YAML output is read
 * again. Build and run with `make fuzz-yq` (FUZZ_SECONDS=N). */
#include "yaml.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    YamlDocs docs = {0};
    char *err = NULL;
    if (!yaml_parse((const char *)data, size, &docs, &err)) {
        free(err);
        yaml_docs_free(&docs);
        return 0;
    }
    StrBuf b;
    sb_init(&b);
    for (size_t i = 0; i < docs.n && i < 8; i++) {
        for (int style = 0; style < 2; style++) {
            YamlOut o = {style ? 4 : 2, style == 1, true, &docs.v[i], true};
            yaml_emit(&b, docs.v[i].value, &o);
            /* what we write must read back */
            YamlDocs again = {0};
            char *e2 = NULL;
            yaml_parse(b.s ? b.s : "", b.len, &again, &e2);
            free(e2);
            yaml_docs_free(&again);
            sb_clear(&b);
        }
        jv_dump_compact(&b, docs.v[i].value);
        sb_clear(&b);
        yaml_emit_props(&b, docs.v[i].value);
        sb_clear(&b);
        char *e3 = NULL;
        yaml_emit_csv(&b, docs.v[i].value, ',', &e3);
        free(e3);
        sb_clear(&b);
    }
    sb_free(&b);
    yaml_docs_free(&docs);
    return 0;
}
