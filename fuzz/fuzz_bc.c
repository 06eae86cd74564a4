/* fuzz_bc.c - libFuzzer target for bc: each input is a bc program, run
 * with and without the math library, under tight budgets. `make fuzz-bc`. */
#include "fuzz_lang.h"

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    fuzz_lang_chdir("bc");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fuzz_lang_run(data, size, "printf '%s\\n' \"$1\" | bc -l", "printf '%s\\n' \"$1\" | bc; echo $?");
    return 0;
}
