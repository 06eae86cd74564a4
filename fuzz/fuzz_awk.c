/* fuzz_awk.c - libFuzzer target for the awk interpreter: each input is an
 * awk program, run over a fixed input text, in push mode (from a pipe) and
 * in pull mode (a here-string), under tight budgets. `make fuzz-awk`. */
#include "fuzz_lang.h"

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    fuzz_lang_chdir("awk");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fuzz_lang_run(data, size,
                  "printf 'a b c\\n1 2 3.5\\nfoo,bar:baz\\n\\n  x  \\n' | awk -- \"$1\"",
                  "awk -F, -v v=1 -- \"$1\" - <<< $'x,y\\nz'; echo $?");
    return 0;
}
