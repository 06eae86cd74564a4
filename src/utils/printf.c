/* printf.c - the printf utility: printf FORMAT [ARGUMENT]..., using the
 * shell's format engine (format_printf), so it behaves as the builtin. */
#include "format.h"
#include "ucommon.h"

#include <string.h>

int util_printf_main(UtilCtx *c, int argc, char **argv) {
    if (argc == 2 && !strcmp(argv[1], "--help")) return u_help(c, "FORMAT [ARGUMENT]...");
    if (argc == 2 && !strcmp(argv[1], "--version")) return u_version(c);
    int first = argc > 1 && !strcmp(argv[1], "--") ? 2 : 1;
    if (argc <= first) {
        u_missing_operand(c, NULL);
        return 1;
    }
    StrBuf out, err;
    sb_init(&out);
    sb_init(&err);
    int status = format_printf(&out, argv[first], argv + first + 1, argc - first - 1, &err);
    if (out.len && uc_write(c, 1, out.s, out.len) < 0) status = 1;
    if (err.len) uc_write(c, 2, err.s, err.len);
    sb_free(&out);
    sb_free(&err);
    return status;
}
