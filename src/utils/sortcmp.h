/* sortcmp.h - line comparison for sort: key fields (-k, -t, -b) and the
 * orderings (text with -d -f -i, -n, -g, -h, -M, -V, -R), C locale. */
#ifndef WASMSH_SORTCMP_H
#define WASMSH_SORTCMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct SortKey {
    size_t sword, schar;      /* start: fields to skip, then characters */
    size_t eword, echar;      /* end: field (SIZE_MAX = end of line), char (0 = end of field) */
    bool skipsblanks, skipeblanks;
    bool numeric, general, human, month, random, version;
    bool reverse, fold, dict, nonprint;
} SortKey;

typedef struct SortCfg {
    SortKey *keys;
    size_t nkeys;
    int tab;            /* field separator, or -1 for blank-separated fields */
    bool stable, unique, reverse;
    uint32_t salt;      /* for -R */
} SortCfg;

/* Compares by the keys only (what -u uses for equality). */
int sort_keys_cmp(const SortCfg *cfg, const char *a, size_t alen, const char *b, size_t blen);
/* Full comparison: keys, then the whole line bytewise unless -s or -u. */
int sort_line_cmp(const SortCfg *cfg, const char *a, size_t alen, const char *b, size_t blen);
/* Where key k of a line starts and ends (offsets), and the comparison of two
 * such spans by k's ordering: sort computes the first key's span once per
 * line instead of once per comparison. */
void sort_key_span(const SortCfg *cfg, const SortKey *k, const char *line, size_t len, size_t *b, size_t *e);
int sort_key_compare(const SortCfg *cfg, const SortKey *k, const char *ab, const char *ae, const char *bb,
                     const char *be);
/* True for a key that is the whole line compared bytewise (plain sort, -r). */
bool sort_plain_whole_line(const SortKey *k);
/* Bytewise order of two strings (memcmp's, the shorter first on a tie). */
int sort_bytes_cmp(const char *a, size_t alen, const char *b, size_t blen);
/* GNU filevercmp-style version comparison (also used by ls -v). */
int sort_version_cmp(const char *a, size_t alen, const char *b, size_t blen);

#endif
