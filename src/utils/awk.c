/* awk.c - the awk utility (and its gawk, mawk, nawk names): the
 * interpreter lives in src/awk/ behind awk.h. */
#include "awk.h"

int util_awk_main(UtilCtx *c, int argc, char **argv) { return awk_main(c, argc, argv); }
int util_gawk_main(UtilCtx *c, int argc, char **argv) { return awk_main(c, argc, argv); }
int util_mawk_main(UtilCtx *c, int argc, char **argv) { return awk_main(c, argc, argv); }
int util_nawk_main(UtilCtx *c, int argc, char **argv) { return awk_main(c, argc, argv); }

const UtilPushOps util_awk_push = {awk_push_start, awk_push_feed, awk_push_finish};
const UtilPushOps util_gawk_push = {awk_push_start, awk_push_feed, awk_push_finish};
const UtilPushOps util_mawk_push = {awk_push_start, awk_push_feed, awk_push_finish};
const UtilPushOps util_nawk_push = {awk_push_start, awk_push_feed, awk_push_finish};
