/* bc.c - the bc utility: the interpreter lives in src/bc/ behind bc.h. */
#include "bc.h"

int util_bc_main(UtilCtx *c, int argc, char **argv) { return bc_main(c, argc, argv); }
