/* linebuf.h - splits a stream fed in arbitrary chunks into complete lines.
 * Used by every line-oriented utility, in both its push (feed) and pull
 * (main) paths. Complete lines inside a chunk are handed out without copying;
 * only a line split across chunks is accumulated. */
#ifndef WASMSH_LINEBUF_H
#define WASMSH_LINEBUF_H

#include "common.h"

#include <stdbool.h>
#include <stddef.h>

/* Called for each line. len includes the delimiter when terminated is true.
 * Return nonzero to stop: lb_feed then returns that value at once. */
typedef int (*LineFn)(void *arg, const char *line, size_t len, bool terminated);

typedef struct LineBuf {
    StrBuf part; /* the unterminated tail seen so far */
    int delim;   /* '\n', or '\0' for -z */
} LineBuf;

void lb_init(LineBuf *lb, int delim);
void lb_free(LineBuf *lb);
int lb_feed(LineBuf *lb, const char *data, size_t n, LineFn fn, void *arg);
/* Hands out the pending unterminated line, if any (terminated = false). */
int lb_flush(LineBuf *lb, LineFn fn, void *arg);
/* True when a partial line is pending. */
bool lb_pending(const LineBuf *lb);

#endif
