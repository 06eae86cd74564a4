/* statfix.c - MEMFS's stat fields as Linux reports them (see statfix.h). */
#include "statfix.h"

#ifdef __EMSCRIPTEN__
#include <dirent.h>
#include <stdio.h>
#include <string.h>

/* 2 plus the number of subdirectories, as ext4 and tmpfs count. Entries
 * whose type MEMFS does not report are checked with lstat. */
static nlink_t dir_links(const char *path) {
    DIR *d = opendir(path);
    if (!d) return 2;
    nlink_t n = 2;
    struct dirent *e;
    char sub[4096];
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        if (e->d_type == DT_DIR) {
            n++;
        } else if (e->d_type == DT_UNKNOWN) {
            struct stat st;
            int len = snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
            if (len > 0 && (size_t)len < sizeof sub && lstat(sub, &st) == 0 && S_ISDIR(st.st_mode)) n++;
        }
    }
    closedir(d);
    return n;
}

void u_stat_fix_blocks(struct stat *st) {
    if (S_ISLNK(st->st_mode)) {
        st->st_blocks = 0;
    } else if (st->st_blksize > 512) {
        st->st_blocks *= st->st_blksize / 512;
    }
}

void u_stat_fix(const char *path, struct stat *st) {
    u_stat_fix_blocks(st);
    if (S_ISDIR(st->st_mode) && st->st_nlink < 2) st->st_nlink = dir_links(path);
}
#else
void u_stat_fix_blocks(struct stat *st) { (void)st; }

void u_stat_fix(const char *path, struct stat *st) {
    (void)path;
    (void)st;
}
#endif
