/* awk.h - wasmsh's awk interpreter (gawk 5.2 compatible): the whole API.
 *
 * The utility entry points for awk and gawk. awk_main runs a program over
 * file operands or stdin; the push ops let it stream inside a pipeline
 * (`yes | awk 'NR==3{exit}'` ends at once) when the program does not read
 * the main input with getline itself. */
#ifndef WASMSH_AWK_H
#define WASMSH_AWK_H

#include "util.h"

int awk_main(UtilCtx *c, int argc, char **argv);
void *awk_push_start(UtilCtx *c, int argc, char **argv, int *status);
int awk_push_feed(void *state, const char *data, size_t n);
int awk_push_finish(void *state);

#endif
