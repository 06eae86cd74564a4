/* linebuf.c - chunk-to-line splitting shared by the utilities (see linebuf.h). */
#include "linebuf.h"

#include <string.h>

void lb_init(LineBuf *lb, int delim) {
    sb_init(&lb->part);
    lb->delim = delim;
}

void lb_free(LineBuf *lb) { sb_free(&lb->part); }

bool lb_pending(const LineBuf *lb) { return lb->part.len > 0; }

int lb_feed(LineBuf *lb, const char *data, size_t n, LineFn fn, void *arg) {
    const char *end = data + n;
    while (data < end) {
        const char *nl = mem_find(data, lb->delim, (size_t)(end - data));
        if (!nl) {
            sb_put(&lb->part, data, (size_t)(end - data));
            return 0;
        }
        size_t len = (size_t)(nl - data) + 1;
        int r;
        if (lb->part.len) {
            sb_put(&lb->part, data, len);
            r = fn(arg, lb->part.s, lb->part.len, true);
            sb_clear(&lb->part);
        } else {
            r = fn(arg, data, len, true);
        }
        if (r) return r;
        data += len;
    }
    return 0;
}

int lb_flush(LineBuf *lb, LineFn fn, void *arg) {
    if (!lb->part.len) return 0;
    int r = fn(arg, lb->part.s, lb->part.len, false);
    sb_clear(&lb->part);
    return r;
}
