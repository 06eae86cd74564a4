/* yes.c - the yes utility: repeats its arguments (or "y") forever, until the
 * reader goes away (uc_write fails: status 1, the shell reports 141) or the
 * run must stop. */
#include "ucommon.h"

#include <string.h>

enum { YES_BUF = 8192 };

/* Fills b with as many whole copies of line as fit in about YES_BUF bytes. */
static void fill_lines(StrBuf *b, const char *line, size_t len) {
    do
        sb_put(b, line, len);
    while (b->len + len <= YES_BUF);
}

int util_yes_main(UtilCtx *c, int argc, char **argv) {
    UOpts o;
    uopt_init(&o, c, argc, argv, "", NULL);
    int k;
    while ((k = uopt_next(&o)) != UO_END) {
        int r = k == UO_HELP ? u_help(c, "[STRING]...") : k == UO_VERSION ? u_version(c) : 1;
        uopt_free(&o);
        return r;
    }
    StrBuf line, buf;
    sb_init(&line);
    sb_init(&buf);
    for (size_t i = 0; i < o.ops.n; i++) {
        if (i) sb_putc(&line, ' ');
        sb_puts(&line, o.ops.v[i]);
    }
    if (!o.ops.n) sb_putc(&line, 'y');
    sb_putc(&line, '\n');
    fill_lines(&buf, line.s, line.len);
    uopt_free(&o);
    int status = 0;
    while (!uc_should_stop(c)) {
        if (uc_write(c, 1, buf.s, buf.len) < 0) {
            status = 1;
            break;
        }
    }
    sb_free(&line);
    sb_free(&buf);
    return status;
}
