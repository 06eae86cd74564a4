/* true_false.c - the true and false utilities. Arguments are ignored, except a
 * sole --help or --version, as GNU does. */
#include "ucommon.h"

#include <string.h>

static int true_false(UtilCtx *c, int argc, char **argv, int status) {
    if (argc == 2 && !strcmp(argv[1], "--help")) {
        u_help(c, "[ignored command line arguments]");
        return status;
    }
    if (argc == 2 && !strcmp(argv[1], "--version")) {
        u_version(c);
        return status;
    }
    return status;
}

int util_true_main(UtilCtx *c, int argc, char **argv) { return true_false(c, argc, argv, 0); }
int util_false_main(UtilCtx *c, int argc, char **argv) { return true_false(c, argc, argv, 1); }
