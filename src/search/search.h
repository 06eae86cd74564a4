/* search.h - directory walking for rg and fd, as the Rust `ignore` crate
 * does it: hidden entries skipped unless asked, .gitignore rules (only inside
 * a git repository: a .git found in the search root or above), .ignore and
 * the tool's own ignore file (.rgignore / .fdignore) always, plus
 * command-line globs (rg -g, fd -E). Entries are visited in byte order of
 * their names, so output is stable (the real tools search in parallel and
 * print in no fixed order). */
#ifndef WASMSH_SEARCH_H
#define WASMSH_SEARCH_H

#include "util.h"

#include <stdbool.h>
#include <sys/stat.h>

/* A gitignore-style glob (*, ?, [...], ** across directories) against a
 * whole path (components separated by '/'). */
bool sw_glob_match(const char *glob, const char *path);
/* The same, ignoring ASCII case when icase (rg --iglob, fd -g without capitals). */
bool sw_glob_match_case(const char *glob, const char *path, bool icase);

typedef struct SwGlob {
    const char *glob;
    bool negated; /* "!glob" */
    bool icase;   /* rg --iglob, --glob-case-insensitive */
} SwGlob;

typedef struct SwOpts {
    bool hidden;          /* visit names starting with '.' */
    bool no_ignore;       /* no ignore files at all */
    bool no_vcs;          /* no .gitignore / .git/info/exclude */
    bool follow;          /* follow symlinks to directories */
    long max_depth;       /* -1: no limit; the root's entries are depth 1 */
    const char *tool_ignore; /* ".rgignore" or ".fdignore" */
    /* rg -g: with any non-negated glob, files must match one; negated globs
     * exclude files and directories. Later globs win. fd -E: exclude globs. */
    const SwGlob *globs;
    size_t nglobs;
    bool globs_exclude_only; /* fd -E: every glob excludes */
    bool no_dot;             /* rg --no-ignore-dot: no .ignore files */
    bool one_file_system;    /* do not descend into directories on another device */
    /* Order of a directory's entries: 0 or 'p' by name, 'm' by modification
     * time, 'a' by access time; reverse for rg --sortr. */
    char sort_key;
    bool reverse;
    /* rg --ignore-file: gitignore files below every other ignore rule, their
     * globs relative to the walk root. */
    const char *const *ignore_files;
    size_t nignore_files;
} SwOpts;

/* Called for every entry below the root (not the root itself). rel is the
 * path relative to the root; path is root joined with rel as the user will
 * see it. Returning 1 stops the walk; for a directory, 2 skips its contents. */
typedef int (*SwVisit)(void *ctx, const char *path, const char *rel, const struct stat *st, int depth);

/* Walks root (a directory). Returns 1 when visit stopped it, 0 otherwise;
 * unreadable directories are reported through err (path, errno) if set. */
typedef void (*SwError)(void *ctx, const char *path, int err);
int sw_walk(UtilCtx *c, const SwOpts *o, const char *root, SwVisit visit, SwError err, void *ctx);

/* err as Linux numbers it, for Rust's "(os error N)" (the wasm builds' libc
 * numbers errors differently). */
int sw_linux_errno(int err);

#endif
