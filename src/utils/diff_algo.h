/* diff_algo.h - the line comparison behind diff: given each file's lines as
 * equivalence classes (equal lines, under the chosen options, share a
 * class), marks which lines changed the way GNU diffutils 3.8 does, so the
 * hunks come out the same: lines without a counterpart discarded, Myers'
 * O(ND) middle-snake divide and conquer, then runs of changes shifted to
 * GNU's canonical places. */
#ifndef WASMSH_DIFF_ALGO_H
#define WASMSH_DIFF_ALGO_H

#include <stdbool.h>
#include <stddef.h>

/* One hunk of the edit script: lines [line0, line0+deleted) of the first
 * file are replaced by [line1, line1+inserted) of the second (0-based). */
typedef struct DiffChange {
    size_t line0, line1, deleted, inserted;
} DiffChange;

/* eq0/eq1 are the lines' classes (equal lines under the options share one;
 * classes are >= 1). Only lines [lo0, hi0) and
 * [lo1, hi1) are compared: outside them the files are identical (GNU's
 * prefix and suffix, see diff.c). Returns the number of changes, in order,
 * in *out (free with free()). */
size_t diff_compute(const int *eq0, const int *eq1, size_t lo0, size_t hi0, size_t lo1, size_t hi1, bool minimal,
                    DiffChange **out);

#endif
