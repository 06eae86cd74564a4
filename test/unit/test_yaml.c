/* test_yaml.c - the YAML reader on inputs that once went wrong: every file
 * fuzz/regressions/yq-* is replayed through the fuzz target's own function
 * (fuzz/fuzz_yq.c) under a time limit, and the reader's caps are checked
 * directly (a map used as a flow key becomes its JSON text; nested such keys
 * grow exponentially, so a key text over the cap is an error, not a hang). */
#include "../../fuzz/fuzz_yq.c"

#include <dirent.h>
#include <stdio.h>
#include <time.h>

static int failures;

static void check(bool ok, const char *what) {
    if (!ok) {
        printf("FAIL: %s\n", what);
        failures++;
    }
}

static bool parses(const char *text, char **err) {
    YamlDocs docs = {0};
    *err = NULL;
    bool ok = yaml_parse(text, strlen(text), &docs, err);
    yaml_docs_free(&docs);
    return ok;
}

static void test_complex_keys(void) {
    char *err;
    check(parses("{[a, b]: 1, {x: y}: 2}\n", &err), "a list and a map as flow keys");
    free(err);
    StrBuf b;
    sb_init(&b);
    sb_puts(&b, "k: ");
    for (int i = 0; i < 40; i++) sb_putc(&b, '{');
    sb_puts(&b, "e");
    for (int i = 0; i < 40; i++) sb_putc(&b, '}');
    sb_putc(&b, '\n');
    clock_t t0 = clock();
    check(!parses(b.s, &err), "forty nested map keys are refused");
    check(err && strstr(err, "mapping key too large"), "the error names the key");
    check((double)(clock() - t0) / CLOCKS_PER_SEC < 2.0, "the refusal is quick");
    free(err);
    sb_free(&b);
}

static size_t replay_regressions(const char *dir, const char *prefix) {
    DIR *d = opendir(dir);
    if (!d) return 0;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, prefix, strlen(prefix))) continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "rb");
        if (!f) continue;
        char buf[1 << 16];
        size_t len = fread(buf, 1, sizeof buf, f);
        fclose(f);
        clock_t t0 = clock();
        LLVMFuzzerTestOneInput((const uint8_t *)buf, len);
        double s = (double)(clock() - t0) / CLOCKS_PER_SEC;
        if (s > 2.0) {
            printf("FAIL: %s took %.1f s\n", path, s);
            failures++;
        }
        n++;
    }
    closedir(d);
    return n;
}

int main(void) {
    test_complex_keys();
    size_t n = replay_regressions("fuzz/regressions", "yq-");
    check(n > 0, "fuzz/regressions holds yq inputs (run from the repository root)");
    printf("test_yaml: %zu regressions replayed, %d failures\n", n, failures);
    return failures ? 1 : 0;
}
