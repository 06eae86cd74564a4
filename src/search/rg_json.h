/* rg_json.h - ripgrep 13's --json printer (JSON Lines: begin, match,
 * context and end messages per file, then a summary). rg.c parses the
 * options and walks the files; this file searches each file's contents the
 * way ripgrep's searcher and JSON sink do, which differs from the standard
 * printer in how -m ends a file and what bytes_searched reports. */
#ifndef WASMSH_RG_JSON_H
#define WASMSH_RG_JSON_H

#include "regex.h"
#include "ucommon.h"

#include <stdbool.h>
#include <stdint.h>

/* ripgrep's grep_printer::Stats. */
typedef struct RgjStats {
    uint64_t nanos; /* time spent searching, summed over the files */
    uintmax_t searches, searches_with_match, bytes_searched, bytes_printed, matched_lines, matches;
} RgjStats;

typedef struct RgJson {
    UtilCtx *c;
    UOut *out;
    Regex *re;
    bool invert, passthru, line_numbers, max_count_set;
    bool multiline; /* -U with a pattern that can match a newline: rg_multiline.h searches */
    uintmax_t max_count;
    long before, after;
    uint64_t start; /* rgj_now() when rg started, for elapsed_total */
    RgjStats total;
} RgJson;

/* How one file is read, which decides what happens to NUL bytes: ripgrep
 * maps explicit files into memory when every path named is a file (at most
 * 10 of them) and reads everything else through a buffer. */
typedef struct RgjFile {
    const char *shown;  /* the path as printed */
    bool mapped;        /* searched as is; binary_offset from the first 64 KiB */
    bool detect_binary; /* false with -a: NUL is an ordinary byte */
} RgjFile;

/* Searches buf (one file's contents) and prints its messages; true when a
 * line matched. */
bool rgj_search(RgJson *j, const RgjFile *f, const char *buf, size_t n);
/* The final summary message. */
void rgj_summary(RgJson *j);
/* A monotonic clock in nanoseconds. */
uint64_t rgj_now(void);

#endif
