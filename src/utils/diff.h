/* diff.h - the diff utility's pieces: diff.c reads files and directories
 * and runs the comparison (diff_algo.c), diff_print.c writes the formats.
 * Internal to diff. */
#ifndef WASMSH_DIFF_H
#define WASMSH_DIFF_H

#include "diff_algo.h"
#include "ucommon.h"

#include <stdbool.h>
#include <sys/stat.h>

enum DiffFormat { FMT_NORMAL, FMT_UNIFIED, FMT_CONTEXT, FMT_SIDE, FMT_ED, FMT_FORWARD_ED, FMT_RCS, FMT_IFDEF };

/* The kinds of line groups of the -D / --*-group-format output, in GNU's
 * order; the line formats use the first three. */
enum { G_UNCHANGED, G_OLD, G_NEW, G_CHANGED };

/* ed-like styles cannot mark a missing newline (GNU's "not robust" styles). */
static inline bool is_ed(int format) { return format == FMT_ED || format == FMT_FORWARD_ED; }

typedef struct DiffOpts {
    int format;
    bool format_given;         /* an output style option was used (they conflict) */
    bool brief;                /* -q: whether files differ, whatever the style */
    long context;              /* -U / -C lines */
    bool icase, ignore_all_space, ignore_space_change, ignore_tab_expansion, ignore_trailing_space;
    bool ignore_blank_lines, strip_cr, text, minimal, recursive, new_file, report_identical;
    bool expand_tabs, initial_tab, left_column, suppress_common, show_c_function;
    bool color;                /* --color=always (there is never a terminal for auto) */
    long width;                /* -W */
    const char *label[2];
    struct Regex *ignore_re;   /* -I */
    struct Regex *function_re; /* -F / -p */
    StrList excludes;          /* -x, and the lines of -X files */
    const char *starting_file; /* -S: names of the top directory before it are skipped */
    StrList switches;          /* the options as given, for "diff -r a/x b/x" headers */
    const char *line_fmt[3];   /* --unchanged/old/new-line-format (FMT_IFDEF) */
    const char *group_fmt[4];  /* --*-group-format, indexed by G_* (FMT_IFDEF) */
    StrList owned_fmts;        /* the formats built for -D and the defaults */
    const char *from_file, *to_file;
} DiffOpts;

/* One line: text without its newline. */
typedef struct DLine {
    const char *s;
    size_t len;
    bool newline;              /* ends with '\n' (false only for a last line) */
} DLine;

typedef struct DFile {
    const char *name;          /* as shown in messages and headers */
    char *data;
    size_t size;
    DLine *lines;
    size_t n;
    struct stat st;
    bool missing;              /* -N: compared as empty */
    bool missing_newline;      /* the last line had no newline (one was added to data) */
} DFile;

typedef struct DirId {
    dev_t dev;
    ino_t ino;
} DirId;

typedef struct Diff {
    UtilCtx *c;
    DiffOpts o;
    UOut out;
    int status;                /* 0 same, 1 different, 2 trouble */
    bool fatal;                /* a GNU fatal error: compare nothing more */
    DirId *open_dirs[2];       /* the directories being compared, outermost first (-r loops) */
    size_t nopen, capopen;
} Diff;

/* diff_print.c: writes the changes between a and b in the chosen format;
 * ignorable changes (-B, -I) are marked in ignore[]. */
void diff_print(Diff *d, DFile *a, DFile *b, const DiffChange *ch, const bool *ignore, size_t n);

/* diff_print.c: a line's text, tabs expanded under -t. */
void diff_put_text(Diff *d, const DLine *l);

/* diff_ifdef.c: the whole of a and b merged with the group and line
 * formats (-D, --*-group-format, --*-line-format). */
void diff_print_ifdef(Diff *d, const DFile *a, const DFile *b, const DiffChange *ch, const bool *ignore, size_t n);

/* Whether the formats print something even for identical files (GNU's
 * no_diff_means_no_output, negated). */
bool diff_ifdef_shows_same(const DiffOpts *o);

#endif
