/* fuzz_bc.c - libFuzzer target for bc and dc (they share src/bc/ and its
 * numbers): each input is run as a bc program with the math library, as a
 * dc program, and as a bc program without the library, under tight
 * budgets. `make fuzz-bc`. */
#include "fuzz_lang.h"

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    fuzz_lang_chdir("bc");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fuzz_lang_run(data, size, "printf '%s\\n' \"$1\" | bc -l; printf '%s\\n' \"$1\" | dc",
                  "printf '%s\\n' \"$1\" | bc; echo $?");
    return 0;
}
