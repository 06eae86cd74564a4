/* bits/stat.h - struct stat as Emscripten 4.0.9 (Pyodide 0.29.5) lays it out,
 * found before musl's own header by -I order. 3.1.6 still has three padding
 * fields that 4.0.9 dropped; with them st_size would read the mtime and
 * st_mode 0. 96 bytes; offsets: dev 0, mode 4, nlink 8, uid 12, gid 16,
 * rdev 20, size 24, blksize 32, blocks 36, atim 40, mtim 56, ctim 72, ino 88.
 * test/js/abi.test.mjs checks this against Python's os.stat at run time. */
struct stat {
    dev_t st_dev;
    mode_t st_mode;
    nlink_t st_nlink;
    uid_t st_uid;
    gid_t st_gid;
    dev_t st_rdev;
    off_t st_size;
    blksize_t st_blksize;
    blkcnt_t st_blocks;
    struct timespec st_atim;
    struct timespec st_mtim;
    struct timespec st_ctim;
    ino_t st_ino;
};
