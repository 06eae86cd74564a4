/* dc.c - the dc utility: the interpreter lives in src/bc/dc.c behind bc.h. */
#include "bc.h"

int util_dc_main(UtilCtx *c, int argc, char **argv) { return dc_main(c, argc, argv); }
