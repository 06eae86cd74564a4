/* zipfmt.h - the .zip container as zip and unzip use it: the central
 * directory, local headers, DOS times and the Info-ZIP extra fields
 * ("UT" extended timestamp, "ux" Unix owner). Not zip64 (archives and members
 * below 4 GiB), no encryption. */
#ifndef WASMSH_ZIPFMT_H
#define WASMSH_ZIPFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

enum {
    ZIP_LOCAL_SIG = 0x04034b50,
    ZIP_CENTRAL_SIG = 0x02014b50,
    ZIP_END_SIG = 0x06054b50,
    ZIP_DESC_SIG = 0x08074b50,
    ZIP_STORED = 0,
    ZIP_DEFLATED = 8,
};

typedef struct ZipEntry {
    char *name;
    uint16_t made_by, needed, flags, method, dos_time, dos_date, internal;
    uint32_t crc, external;
    uint64_t csize, usize, offset;  /* offset: of the local header */
    int64_t mtime;                  /* from "UT" when present, else the DOS time (local) */
    bool has_ut;
    uint8_t *extra;                 /* the central extra field, kept for copying */
    uint16_t extra_len;
} ZipEntry;

typedef struct ZipDir {
    ZipEntry *v;
    size_t n;
    uint64_t cd_offset, cd_size;
} ZipDir;

/* Reads the central directory of the archive open on fd. 0, or -1 when the
 * end record is missing (not a zip file), -2 when the directory is corrupt. */
int zipdir_read(int fd, ZipDir *d);
void zipdir_free(ZipDir *d);
/* Offset of an entry's data (after its local header), or -1. */
int64_t zip_data_offset(int fd, const ZipEntry *e);
/* Length of the local header + data (+ data descriptor) of an entry, or -1. */
int64_t zip_local_span(int fd, const ZipEntry *e);

void zip_to_dos(time_t t, uint16_t *dtime, uint16_t *ddate);
time_t zip_from_dos(uint16_t dtime, uint16_t ddate);
/* Unix mode of an entry: from the external attributes when made on Unix,
 * else 0644 (0755 for directories). */
unsigned zip_unix_mode(const ZipEntry *e);
bool zip_is_dir(const ZipEntry *e);
bool zip_is_symlink(const ZipEntry *e);

/* Little-endian helpers for building headers. */
void zip_put16(uint8_t *p, unsigned v);
void zip_put32(uint8_t *p, uint32_t v);
unsigned zip_get16(const uint8_t *p);
uint32_t zip_get32(const uint8_t *p);

/* Info-ZIP's integer percentage of saving from n bytes to m. */
int zip_percent(uint64_t n, uint64_t m);

#endif
