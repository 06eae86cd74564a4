/* rg_multiline.h - ripgrep 13's multi-line searcher, which -U uses when the
 * pattern can match a newline (rx_can_match_newline): the pattern is run
 * over the whole buffer and every match is widened to the lines it touches.
 * Matches whose lines touch or are adjacent are reported as one block, the
 * context lines between blocks one line at a time, as grep-searcher does.
 * The printers (rg.c's standard one, rg_json.c's) receive these reports and
 * look for the matches inside a block themselves with rgm_iter, as
 * grep-printer does. */
#ifndef WASMSH_RG_MULTILINE_H
#define WASMSH_RG_MULTILINE_H

#include "regex.h"
#include "ucommon.h"

#include <stdbool.h>
#include <stddef.h>

/* What the searcher reports. Each returns false to stop the search. so/eo:
 * the lines' bytes in the buffer, terminators included; lineno: the number
 * of the first line. kind of a context line: 'b' before, 'a' after, 'o'
 * another line of --passthru. */
typedef struct RgmSink {
    void *ctx;
    bool (*matched)(void *ctx, size_t so, size_t eo, long lineno);
    bool (*context)(void *ctx, size_t so, size_t eo, long lineno, char kind);
    bool (*context_break)(void *ctx); /* a gap between printed lines ("--") */
} RgmSink;

typedef struct RgmConfig {
    UtilCtx *c;
    Regex *re;
    bool invert, passthru;
    long before, after;
} RgmConfig;

/* Searches buf[0..n) and returns the searcher's position when it stopped
 * (what ripgrep counts as the bytes searched). */
size_t rgm_search(const RgmConfig *cfg, const char *buf, size_t n, const RgmSink *sink);

/* grep-matcher's find_iter: successive matches of re in s[0..len) from at;
 * after an empty match the search moves on a byte, and an empty match where
 * the previous match ended is skipped. */
typedef struct RgmIter {
    Regex *re;
    const RxExec *ex;
    const char *s;
    size_t len, at;
    long last_end;
} RgmIter;

void rgm_iter_init(RgmIter *it, Regex *re, const RxExec *ex, const char *s, size_t len, size_t at);
/* The next match in caps[0..ncaps) (ncaps >= 1); false when there is none. */
bool rgm_iter_next(RgmIter *it, RxSpan *caps, size_t ncaps);

/* How far a printer looks past a block of eo for its matches: grep-printer
 * lets the regex see at most 128 bytes beyond it. */
size_t rgm_context_end(size_t n, size_t eo);

#endif
