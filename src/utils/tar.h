/* tar.h - internals shared by the tar utility's files: tar.c (options,
 * dispatch), tar_archive.c (headers, the streaming reader, the block writer,
 * compression), tar_create.c (-c -r -u), tar_extract.c (-x -t),
 * tar_compare.c (-d) and tar_transform.c (--transform). */
#ifndef WASMSH_TAR_H
#define WASMSH_TAR_H

#include "deflate.h"
#include "ucommon.h"

#include <stdint.h>
#include <sys/types.h>

enum { TAR_BLOCK = 512 };

typedef enum TarFormat { TF_GNU, TF_OLDGNU, TF_USTAR, TF_PAX, TF_V7 } TarFormat;
typedef enum TarMode { TM_NONE, TM_CREATE, TM_EXTRACT, TM_LIST, TM_APPEND, TM_UPDATE, TM_DIFF } TarMode;
/* TZ_PROGRAM: -I PROG, --lzip, --lzop, none of which this build has (zip_prog names it). */
typedef enum TarZip { TZ_NONE, TZ_GZIP, TZ_BZIP2, TZ_XZ, TZ_LZMA, TZ_ZSTD, TZ_COMPRESS, TZ_PROGRAM } TarZip;
typedef enum TarSort { TS_NONE, TS_NAME, TS_INODE } TarSort;

/* One archive member, after long names and pax records were applied. */
typedef struct TarEntry {
    char *name;
    char *linkname;
    char type;              /* '0' file, '1' hard link, '2' symlink, '5' dir, '3' '4' '6' ... */
    unsigned mode;
    uintmax_t uid, gid;
    uint64_t size;
    int64_t mtime;
    char uname[33], gname[33];
    unsigned devmajor, devminor;
} TarEntry;

/* --transform: a list of sed-like s commands. */
typedef struct TarXform TarXform;
TarXform *tar_xform_parse(const char *expr, char **err);
void tar_xform_free(TarXform *x);
/* Applies the expressions to name; returns a heap string. kind: 'r' regular
 * names, 's' symlink targets, 'h' hard link targets. */
char *tar_xform_apply(const TarXform *x, const char *name, char kind);

typedef struct Tar {
    UtilCtx *c;
    TarMode mode;
    TarZip zip;
    char *zip_prog;       /* TZ_PROGRAM's command line */
    TarFormat format;
    TarSort sort;
    char *file;                 /* -f, default "-" */
    const char *dir;            /* -C for extraction (creation handles -C in order) */
    int verbose;
    bool keep_old, skip_old, overwrite, to_stdout, preserve, no_same_perms, touch, numeric;
    bool wildcards_given;      /* --wildcards or --no-wildcards (else GNU warns about pattern characters) */
    bool wildcards, absolute, dereference, no_recursion, null_names, remove_files, auto_compress;
    bool keep_newer;
    int strip;
    int blocking;               /* blocks per record */
    const char *owner, *group;  /* --owner / --group */
    uintmax_t owner_id, group_id;
    bool owner_set, group_set;
    bool mtime_set;
    char *mtime_text;           /* --mtime as given, for -v's note */
    int64_t mtime;
    StrList excludes;
    StrList vcs_excludes; /* --exclude-vcs: matched against a member's last component only */
    StrList names;              /* operands (and -T names); "-C DIR" pairs are kept as "\1DIR" */
    bool *name_used;
    TarXform *xform;
    char *xform_src;            /* every --transform, joined by ';' */
    bool probe, has_lists;      /* push start: -T/-X are not read, only noted */
    int status;                 /* 0, or 2 after an error */
    bool differs;               /* -d found a difference: status 1 unless an error */
    bool fatal;                 /* stop now */
    StrList warned_prefixes;    /* "Removing leading `X'" said once per X */
    uint64_t extracted;         /* bytes written to files, for the memory budget */
    bool listing_to_stderr;     /* -v output goes to stderr when the archive is stdout */
    int ugswidth;               /* -tv column width, grows as GNU's does */
    UOut out;                   /* stdout */
} Tar;

/* "tar: message" on stderr; tar_error also sets the exit status to 2. */
void tar_msg(Tar *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tar_error(Tar *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "tar: NAME: WHAT: strerror" (GNU's "Cannot open" style). */
void tar_error_errno(Tar *t, const char *name, const char *what, int err);
/* The name as GNU tar prints it (--quoting-style=escape). Heap string. */
char *tar_quote(const char *s);
/* Strips a leading "/" or ".." prefix as GNU does (unless -P), with its
 * warning once per prefix. Returns a pointer into name. */
const char *tar_safer_name(Tar *t, const char *name, bool link_target);
bool tar_has_dotdot(const char *name);
bool tar_excluded(const Tar *t, const char *name);
/* -tv / -xvv line for e. */
void tar_list_long(Tar *t, UOut *o, const TarEntry *e);

/* ---- writing an archive: blocks -> optional gzip -> output ---- */
typedef struct TarWriter TarWriter;
/* fd >= 0: write there; else the utility's stdout. */
TarWriter *tar_writer_new(Tar *t, int fd, TarZip zip);
/* Writes the entry's header blocks (long name / pax records as needed). */
int tar_write_header(TarWriter *w, const TarEntry *e);
int tar_write_data(TarWriter *w, const void *p, size_t n);
/* Pads the data written since the last header to a block boundary. */
int tar_write_pad(TarWriter *w);
/* The two zero blocks, padding to a record, the compressor's trailer. */
int tar_writer_finish(TarWriter *w);
void tar_writer_free(TarWriter *w);
/* For -r: the start of the record the archive's end falls in, so the
 * writer's records stay aligned with the file's. */
void tar_writer_preload(TarWriter *w, const uint8_t *p, size_t n);
bool tar_writer_failed(const TarWriter *w);

/* ---- reading: bytes (any chunks) -> optional decompression -> entries ---- */
typedef enum TarAction { TA_SKIP, TA_DATA } TarAction;
typedef struct TarReadOps {
    /* A member begins; TA_DATA asks for its data through data(). */
    TarAction (*entry)(void *ctx, const TarEntry *e);
    int (*data)(void *ctx, const uint8_t *p, size_t n);   /* non-zero stops */
    void (*entry_end)(void *ctx, const TarEntry *e);
} TarReadOps;

typedef struct TarReader TarReader;
/* zip: TZ_NONE detects gzip/bzip2/xz from the first bytes when may_detect. */
TarReader *tar_reader_new(Tar *t, TarZip zip, bool may_detect, const TarReadOps *ops, void *ctx);
/* Returns false once nothing more is wanted (end of archive, fatal error). */
bool tar_reader_feed(TarReader *r, const uint8_t *p, size_t n);
/* The end of the input: reports a truncated archive. */
void tar_reader_finish(TarReader *r);
void tar_reader_free(TarReader *r);
/* Offset (in the uncompressed stream) of the end-of-archive marker, for -r. */
uint64_t tar_reader_end_offset(const TarReader *r);
bool tar_reader_saw_entries(const TarReader *r);

/* ---- the modes ---- */
int tar_create(Tar *t);
int tar_append(Tar *t);               /* -r and -u */
/* Hands the archive file (-f) to feed() in chunks until it wants no more;
 * a file that cannot be read is fatal. */
void tar_feed_file(Tar *t, bool (*feed)(void *state, const uint8_t *p, size_t n), void *state);
/* -x / -t over an input read from the archive file. */
int tar_extract_file(Tar *t);
/* Member selection and paths, shared by -x -t and -d. */
/* True when the member is selected by the operands (or there are none). */
bool tar_selected(Tar *t, const char *name);
/* Drops n leading components; NULL when there are not that many. */
const char *tar_strip_components(const char *name, int n);
/* name under -C DIR. Heap string. */
char *tar_join_dir(const Tar *t, const char *name);
/* "NAME: Not found in archive" for each operand no member matched. */
void tar_report_unmatched(Tar *t);
/* Push mode for -x / -t reading stdin. */
typedef struct TarExtract TarExtract;
TarExtract *tar_extract_begin(Tar *t);
bool tar_extract_feed(TarExtract *x, const uint8_t *p, size_t n);
int tar_extract_end(TarExtract *x);
/* -d: members compared with the file system, from the archive file or pushed. */
int tar_compare_file(Tar *t);
typedef struct TarCompare TarCompare;
TarCompare *tar_compare_begin(Tar *t);
bool tar_compare_feed(TarCompare *d, const uint8_t *p, size_t n);
int tar_compare_end(TarCompare *d);

#endif
