/* bc.h - wasmsh's bc (GNU bc 1.07 compatible): the whole API. */
#ifndef WASMSH_BC_H
#define WASMSH_BC_H

#include "util.h"

int bc_main(UtilCtx *c, int argc, char **argv);

/* dc (GNU dc 1.4.1 compatible), on the same numbers. */
int dc_main(UtilCtx *c, int argc, char **argv);

#endif
