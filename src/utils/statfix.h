/* statfix.h - what stat() says, made to say what Linux says where the wasm
 * builds' MEMFS differs: st_blocks there counts 4096-byte blocks (POSIX: 512),
 * symbolic links occupy blocks (Linux: fast symlinks have none), and every
 * directory has one link (Linux: 2 plus one per subdirectory). A no-op in
 * native builds. Used by ls, du and tree, whose output shows these fields. */
#ifndef WASMSH_STATFIX_H
#define WASMSH_STATFIX_H

#include <sys/stat.h>

/* Adjusts st, filled by stat or lstat of path: blocks and links. */
void u_stat_fix(const char *path, struct stat *st);
/* Only st_blocks (no directory read). */
void u_stat_fix_blocks(struct stat *st);

#endif
