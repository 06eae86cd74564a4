/* rg.c - ripgrep 13 as it prints when stdout is not a terminal: no line
 * numbers unless -n, "path:text" when more than one file can match, no
 * colour, no heading unless --heading. Patterns use the regex engine's Perl
 * dialect (Rust regex syntax is close to it). Files come from the sorted
 * walk of search.h (so the output order is that of --sort path). */
#include "search.h"

#include "bzip2.h"
#include "rg_json.h"
#include "rg_multiline.h"
#include "deflate.h"
#include "regex.h"
#include "ucommon.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---------------- file types (-t, -T) ---------------- */

typedef struct FileType {
    const char *name;
    const char *globs; /* space-separated */
} FileType;

static const FileType file_types[] = {
    {"c", "*.[chH] *.[chH].in *.cats"},
    {"cpp", "*.[ChH] *.cc *.[ch]pp *.[ch]xx *.hh *.inl *.[ChH].in *.cc.in *.[ch]pp.in *.[ch]xx.in *.hh.in"},
    {"cs", "*.cs"},
    {"css", "*.css *.scss *.sass *.less"},
    {"csv", "*.csv"},
    {"docker", "*Dockerfile*"},
    {"go", "*.go"},
    {"h", "*.h *.hpp"},
    {"html", "*.htm *.html *.ejs"},
    {"java", "*.java *.jsp *.jspx *.properties"},
    {"js", "*.js *.jsx *.vue *.cjs *.mjs"},
    {"json", "*.json composer.lock"},
    {"kotlin", "*.kt *.kts"},
    {"lua", "*.lua"},
    {"make", "[Gg][Nn][Uu]makefile [Mm]akefile [Gg][Nn][Uu]makefile.am [Mm]akefile.am [Gg][Nn][Uu]makefile.in [Mm]akefile.in *.mk *.mak"},
    {"markdown", "*.markdown *.md *.mdown *.mkdn"},
    {"md", "*.markdown *.md *.mdown *.mkdn"},
    {"php", "*.php *.php3 *.php4 *.php5 *.phtml"},
    {"py", "*.py *.pyi"},
    {"python", "*.py *.pyi"},
    {"rb", "Gemfile *.gemspec .irbrc Rakefile *.rb"},
    {"ruby", "Gemfile *.gemspec .irbrc Rakefile *.rb"},
    {"rs", "*.rs"},
    {"rust", "*.rs"},
    {"sh", "*.bash .bashrc .bash_profile .bash_login .bash_logout *.sh .profile .zshrc *.zsh"},
    {"sql", "*.sql *.psql"},
    {"swift", "*.swift"},
    {"toml", "*.toml Cargo.lock"},
    {"ts", "*.ts *.tsx *.cts *.mts"},
    {"typescript", "*.ts *.tsx *.cts *.mts"},
    {"txt", "*.txt"},
    {"xml", "*.xml *.xml.dist *.dtd *.xsl *.xslt *.xsd *.xjb *.rng *.sch *.xhtml"},
    {"yaml", "*.yaml *.yml"},
    {NULL, NULL},
};

static const FileType *find_type(const char *name) {
    for (const FileType *t = file_types; t->name; t++)
        if (!strcmp(t->name, name)) return t;
    return NULL;
}

static bool type_matches(const FileType *t, const char *base) {
    char *copy = xstrdup(t->globs);
    bool hit = false;
    for (char *g = strtok(copy, " "); g && !hit; g = strtok(NULL, " ")) hit = sw_glob_match(g, base);
    free(copy);
    return hit;
}

/* ---------------- options ---------------- */

typedef struct Rg {
    UtilCtx *c;
    UOut out;
    Regex *re;
    StrList patterns, globs_text, types, not_types, paths;
    SwGlob *globs;
    size_t nglobs;
    int case_mode; /* 's' sensitive, 'i' insensitive, 'S' smart */
    bool fixed, word, line_regexp, invert, line_numbers, column, byte_offset, only, count, count_matches;
    bool files_with, files_without, quiet, files_mode, null, heading, text, vimgrep, trim, passthru;
    bool with_filename_set, with_filename, no_messages, follow, hidden, max_count_set, stats;
    int no_ignore; /* 0, 1 (--no-ignore), counts -u */
    bool no_vcs, glob_icase, no_dot, one_fs, include_zero, crlf, binary, search_zip, max_columns_preview;
    char sort_key, path_sep; /* path_sep 0: '/' as is */
    bool sort_reverse;
    StrList ignore_files;
    StrBuf match_sep, context_sep; /* --field-{match,context}-separator, unescaped */
    bool match_sep_set, context_sep_set;
    long before, after, max_depth, max_columns;
    uintmax_t max_count;
    const char *replace;
    const char *ctx_sep;
    bool ctx_sep_none;
    int status;
    bool matched;
    bool printed_group; /* a context group was printed (for "--") */
    bool printed_file;  /* for blank lines between --heading blocks */
    bool json, count_flag; /* count_flag: -c itself (--count-matches sets count too) */
    bool no_line_number;   /* -N, which only --json's default of line numbers needs */
    bool mapped;           /* every path is a file, at most 10: ripgrep maps them (rg_json.h) */
    bool multiline, multiline_dotall; /* -U, --multiline-dotall */
    bool ml;               /* -U with a pattern that can match a newline: rg_multiline.h searches */
    bool listed_without;   /* --files-without-match printed a path: the exit status is 0 */
    RgJson jout;
} Rg;

enum {
    OPT_FILES = 0x100, OPT_HIDDEN, OPT_NO_IGNORE, OPT_NO_IGNORE_VCS, OPT_HEADING, OPT_NO_HEADING, OPT_COLOR,
    OPT_COUNT_MATCHES, OPT_FILES_WITHOUT, OPT_NO_MESSAGES, OPT_SORT, OPT_VIMGREP, OPT_TRIM, OPT_PASSTHRU,
    OPT_CTX_SEP, OPT_NO_CTX_SEP, OPT_MAX_DEPTH, OPT_IGLOB, OPT_COLUMN, OPT_NO_LINE, OPT_JSON, OPT_TYPE_LIST,
    OPT_WITH_FILENAME, OPT_STATS, OPT_NO_FILENAME, OPT_NO_CONFIG, OPT_ENGINE, OPT_NO_REQUIRE_GIT, OPT_IGNORE_CASE_LONG,
    OPT_GLOB_ICASE, OPT_MAX_COLUMNS_PREVIEW, OPT_NO_MAX_COLUMNS_PREVIEW, OPT_INCLUDE_ZERO, OPT_NO_IGNORE_DOT,
    OPT_IGNORE_DOT, OPT_ONE_FS, OPT_NO_ONE_FS, OPT_CRLF, OPT_NO_CRLF, OPT_BINARY, OPT_NO_BINARY, OPT_IGNORE_FILE,
    OPT_SORTR, OPT_FIELD_MATCH_SEP, OPT_FIELD_CONTEXT_SEP, OPT_PATH_SEP, OPT_NO_SEARCH_ZIP, OPT_NO_JSON,
    OPT_NO_MULTILINE, OPT_MULTILINE_DOTALL, OPT_NO_MULTILINE_DOTALL,
};

static const UOptLong rg_longs[] = {
    {"regexp", UO_REQ, 'e'},        {"file", UO_REQ, 'f'},            {"ignore-case", UO_NOARG, 'i'},
    {"case-sensitive", UO_NOARG, 's'}, {"smart-case", UO_NOARG, 'S'}, {"word-regexp", UO_NOARG, 'w'},
    {"line-regexp", UO_NOARG, 'x'}, {"fixed-strings", UO_NOARG, 'F'}, {"invert-match", UO_NOARG, 'v'},
    {"line-number", UO_NOARG, 'n'}, {"no-line-number", UO_NOARG, 'N'}, {"files-with-matches", UO_NOARG, 'l'},
    {"files-without-match", UO_NOARG, OPT_FILES_WITHOUT}, {"count", UO_NOARG, 'c'},
    {"count-matches", UO_NOARG, OPT_COUNT_MATCHES}, {"only-matching", UO_NOARG, 'o'}, {"replace", UO_REQ, 'r'},
    {"after-context", UO_REQ, 'A'}, {"before-context", UO_REQ, 'B'}, {"context", UO_REQ, 'C'},
    {"max-count", UO_REQ, 'm'},     {"glob", UO_REQ, 'g'},            {"iglob", UO_REQ, OPT_IGLOB},
    {"type", UO_REQ, 't'},          {"type-not", UO_REQ, 'T'},        {"hidden", UO_NOARG, OPT_HIDDEN},
    {"no-ignore", UO_NOARG, OPT_NO_IGNORE}, {"no-ignore-vcs", UO_NOARG, OPT_NO_IGNORE_VCS},
    {"unrestricted", UO_NOARG, 'u'}, {"follow", UO_NOARG, 'L'},       {"max-depth", UO_REQ, OPT_MAX_DEPTH},
    {"maxdepth", UO_REQ, OPT_MAX_DEPTH}, {"files", UO_NOARG, OPT_FILES}, {"null", UO_NOARG, '0'},
    {"heading", UO_NOARG, OPT_HEADING}, {"no-heading", UO_NOARG, OPT_NO_HEADING}, {"color", UO_REQ, OPT_COLOR},
    {"colour", UO_REQ, OPT_COLOR},  {"quiet", UO_NOARG, 'q'},         {"text", UO_NOARG, 'a'},
    {"no-messages", UO_NOARG, OPT_NO_MESSAGES}, {"sort", UO_REQ, OPT_SORT}, {"sort-files", UO_NOARG, OPT_SORT + 0x1000},
    {"vimgrep", UO_NOARG, OPT_VIMGREP}, {"trim", UO_NOARG, OPT_TRIM}, {"passthru", UO_NOARG, OPT_PASSTHRU},
    {"passthrough", UO_NOARG, OPT_PASSTHRU}, {"context-separator", UO_REQ, OPT_CTX_SEP},
    {"no-context-separator", UO_NOARG, OPT_NO_CTX_SEP}, {"column", UO_NOARG, OPT_COLUMN},
    {"byte-offset", UO_NOARG, 'b'}, {"with-filename", UO_NOARG, 'H'}, {"no-filename", UO_NOARG, 'I'},
    {"json", UO_NOARG, OPT_JSON},   {"no-json", UO_NOARG, OPT_NO_JSON}, {"type-list", UO_NOARG, OPT_TYPE_LIST}, {"stats", UO_NOARG, OPT_STATS},
    {"pretty", UO_NOARG, 'p'},      {"no-config", UO_NOARG, OPT_NO_CONFIG}, {"threads", UO_REQ, 'j'},
    {"engine", UO_REQ, OPT_ENGINE}, {"pcre2", UO_NOARG, 'P'},         {"no-require-git", UO_NOARG, OPT_NO_REQUIRE_GIT},
    {"max-filesize", UO_REQ, OPT_ENGINE}, {"encoding", UO_REQ, OPT_ENGINE}, {"mmap", UO_NOARG, OPT_NO_CONFIG}, {"no-mmap", UO_NOARG, OPT_NO_CONFIG},
    {"multiline", UO_NOARG, 'U'},   {"no-multiline", UO_NOARG, OPT_NO_MULTILINE},
    {"multiline-dotall", UO_NOARG, OPT_MULTILINE_DOTALL}, {"no-multiline-dotall", UO_NOARG, OPT_NO_MULTILINE_DOTALL},
    {"glob-case-insensitive", UO_NOARG, OPT_GLOB_ICASE},
    {"max-columns", UO_REQ, 'M'},   {"max-columns-preview", UO_NOARG, OPT_MAX_COLUMNS_PREVIEW},
    {"no-max-columns-preview", UO_NOARG, OPT_NO_MAX_COLUMNS_PREVIEW}, {"include-zero", UO_NOARG, OPT_INCLUDE_ZERO},
    {"no-ignore-dot", UO_NOARG, OPT_NO_IGNORE_DOT}, {"ignore-dot", UO_NOARG, OPT_IGNORE_DOT},
    /* ignore files of parent directories and global ones are never read here */
    {"no-ignore-parent", UO_NOARG, OPT_NO_CONFIG}, {"ignore-parent", UO_NOARG, OPT_NO_CONFIG},
    {"no-ignore-global", UO_NOARG, OPT_NO_CONFIG}, {"ignore-global", UO_NOARG, OPT_NO_CONFIG},
    {"one-file-system", UO_NOARG, OPT_ONE_FS}, {"no-one-file-system", UO_NOARG, OPT_NO_ONE_FS},
    {"crlf", UO_NOARG, OPT_CRLF},   {"no-crlf", UO_NOARG, OPT_NO_CRLF}, {"binary", UO_NOARG, OPT_BINARY},
    {"no-binary", UO_NOARG, OPT_NO_BINARY}, {"ignore-file", UO_REQ, OPT_IGNORE_FILE}, {"sortr", UO_REQ, OPT_SORTR},
    {"field-match-separator", UO_REQ, OPT_FIELD_MATCH_SEP}, {"field-context-separator", UO_REQ, OPT_FIELD_CONTEXT_SEP},
    {"path-separator", UO_REQ, OPT_PATH_SEP}, {"unicode", UO_NOARG, OPT_NO_CONFIG},
    {"no-unicode", UO_NOARG, OPT_NO_CONFIG}, {"search-zip", UO_NOARG, 'z'},
    {"no-search-zip", UO_NOARG, OPT_NO_SEARCH_ZIP}, {NULL, 0, 0},
};

static const char rg_usage[] = "USAGE:\n    \n    rg [OPTIONS] PATTERN [PATH ...]\n    rg [OPTIONS] -e PATTERN ... [PATH ...]\n"
                               "    rg [OPTIONS] -f PATTERNFILE ... [PATH ...]\n    rg [OPTIONS] --files [PATH ...]\n"
                               "    rg [OPTIONS] --type-list\n    command | rg [OPTIONS] PATTERN\n    rg [OPTIONS] --help\n"
                               "    rg [OPTIONS] --version\n\nFor more information try --help\n\n";

/* name: the option as clap names it in the message ("--max-columns"). */
static bool rg_number_for(Rg *r, const char *name, const char *arg, long *out) {
    uintmax_t v;
    if (!u_parse_uint(arg, &v)) {
        uc_printf(r->c, 2, "error: Invalid value for '%s <NUM>': invalid digit found in string\n\n", name);
        return false;
    }
    *out = (long)v;
    return true;
}

static bool rg_number(Rg *r, const char *arg, long *out) { return rg_number_for(r, "--context", arg, out); }

static int hex_digit(char ch) {
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

/* Separators as ripgrep unescapes them: \t \n \r \\ and \xHH; any other
 * backslash stays as written. */
static void rg_unescape(StrBuf *out, const char *s) {
    sb_init(out);
    sb_putc(out, 0), out->len = 0; /* an empty separator is still set */
    for (; *s; s++) {
        int hi, lo;
        if (*s != '\\' || !s[1]) {
            sb_putc(out, *s);
        } else if (strchr("tnr\\", s[1])) {
            sb_putc(out, s[1] == 't' ? '\t' : s[1] == 'n' ? '\n' : s[1] == 'r' ? '\r' : '\\'), s++;
        } else if (s[1] == 'x' && (hi = hex_digit(s[2])) >= 0 && (lo = hex_digit(s[3])) >= 0) {
            sb_putc(out, (char)(hi * 16 + lo)), s += 3;
        } else {
            sb_putc(out, '\\');
        }
    }
}

/* --sort / --sortr SORTBY. created: no portable birth time, so name order. */
static bool rg_sort(Rg *r, const char *arg, bool reverse) {
    static const char *const keys[] = {"path", "modified", "accessed", "created", "none"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (!strcmp(arg, keys[i])) {
            r->sort_key = "pmapp"[i], r->sort_reverse = reverse;
            return true;
        }
    uc_printf(r->c, 2, "error: '%s' isn't a valid value for '--%s <SORTBY>'\n\t[possible values: accessed, created, "
                       "modified, none, path]\n\n\n%s", arg, reverse ? "sortr" : "sort", rg_usage);
    return false;
}

static int rg_path_separator(Rg *r, const char *arg) {
    StrBuf b;
    rg_unescape(&b, arg);
    int st = -1;
    if (b.len > 1) {
        uc_printf(r->c, 2, "A path separator must be exactly one byte, but the given separator is %zu bytes: %s\n"
                           "In some shells on Windows '/' is automatically expanded. Use '//' instead.\n", b.len, arg);
        st = 2;
    } else {
        r->path_sep = b.len ? b.s[0] : 0;
    }
    sb_free(&b);
    return st;
}

/* The options added for ripgrep 13's less common flags (rg_option's tail). */
static int rg_option_more(Rg *r, int k, const char *arg) {
    long v;
    switch (k) {
    case 'M': if (!rg_number_for(r, "--max-columns", arg, &v)) return 2; r->max_columns = v; return -1;
    case OPT_MAX_COLUMNS_PREVIEW: r->max_columns_preview = true; return -1;
    case OPT_NO_MAX_COLUMNS_PREVIEW: r->max_columns_preview = false; return -1;
    case OPT_INCLUDE_ZERO: r->include_zero = true; return -1;
    case OPT_NO_IGNORE_DOT: r->no_dot = true; return -1;
    case OPT_IGNORE_DOT: r->no_dot = false; return -1;
    case OPT_ONE_FS: r->one_fs = true; return -1;
    case OPT_NO_ONE_FS: r->one_fs = false; return -1;
    case OPT_CRLF: r->crlf = true; return -1;
    case OPT_NO_CRLF: r->crlf = false; return -1;
    case OPT_BINARY: r->binary = true; return -1;
    case OPT_NO_BINARY: r->binary = false; return -1;
    case 'z': r->search_zip = true; return -1;
    case OPT_NO_SEARCH_ZIP: r->search_zip = false; return -1;
    case OPT_IGNORE_FILE: sl_push_copy(&r->ignore_files, arg); return -1;
    case OPT_SORT: return rg_sort(r, arg, false) ? -1 : 2;
    case OPT_SORTR: return rg_sort(r, arg, true) ? -1 : 2;
    case OPT_FIELD_MATCH_SEP:
        if (r->match_sep_set) sb_free(&r->match_sep);
        rg_unescape(&r->match_sep, arg), r->match_sep_set = true;
        return -1;
    case OPT_FIELD_CONTEXT_SEP:
        if (r->context_sep_set) sb_free(&r->context_sep);
        rg_unescape(&r->context_sep, arg), r->context_sep_set = true;
        return -1;
    case OPT_PATH_SEP: return rg_path_separator(r, arg);
    case 'U': r->multiline = true; return -1;
    case OPT_NO_MULTILINE: r->multiline = false; return -1;
    case OPT_MULTILINE_DOTALL: r->multiline_dotall = true; return -1;
    case OPT_NO_MULTILINE_DOTALL: r->multiline_dotall = false; return -1;
    default: return 2;
    }
}

static int rg_option(Rg *r, int k, const char *arg) {
    long v;
    switch (k) {
    case 'e': sl_push_copy(&r->patterns, arg); return -1;
    case 'f': {
        UcFile *f = uc_open(r->c, arg, "r");
        if (!f) {
            uc_printf(r->c, 2, "rg: %s: %s (os error %d)\n", arg, u_strerror(errno), sw_linux_errno(errno));
            return 2;
        }
        char *line = NULL;
        size_t cap = 0;
        ssize_t n;
        while ((n = uc_getdelim(f, &line, &cap, '\n')) >= 0) {
            if (n && line[n - 1] == '\n') line[--n] = 0;
            if (n && line[n - 1] == '\r') line[--n] = 0;
            sl_push_copy(&r->patterns, line);
        }
        free(line);
        uc_close(f);
        return -1;
    }
    case 'i': r->case_mode = 'i'; return -1;
    case 's': r->case_mode = 's'; return -1;
    case 'S': r->case_mode = 'S'; return -1;
    case 'w': r->word = true; return -1;
    case 'x': r->line_regexp = true; return -1;
    case 'F': r->fixed = true; return -1;
    case 'v': r->invert = true; return -1;
    case 'n': r->line_numbers = true, r->no_line_number = false; return -1;
    case 'N': case OPT_NO_LINE: r->line_numbers = false, r->no_line_number = true; return -1;
    case 'l': r->files_with = true; return -1;
    case OPT_FILES_WITHOUT: r->files_without = true; return -1;
    case 'c': r->count = r->count_flag = true; return -1;
    case OPT_COUNT_MATCHES: r->count = r->count_matches = true; return -1;
    case 'o': r->only = true; return -1;
    case 'r': r->replace = arg; return -1;
    /* --passthru and the context flags override each other: the last wins */
    case 'A': if (!rg_number_for(r, "--after-context", arg, &v)) return 2; r->after = v, r->passthru = false; return -1;
    case 'B': if (!rg_number_for(r, "--before-context", arg, &v)) return 2; r->before = v, r->passthru = false; return -1;
    case 'C': if (!rg_number(r, arg, &v)) return 2; r->before = r->after = v, r->passthru = false; return -1;
    case 'm': if (!rg_number_for(r, "--max-count", arg, &v)) return 2; r->max_count = (uintmax_t)v, r->max_count_set = true; return -1;
    case 'g': sl_push_copy(&r->globs_text, arg); return -1;
    case OPT_GLOB_ICASE: r->glob_icase = true; return -1;
    case OPT_IGLOB: { /* marked with a leading \1: matched without case */
        StrBuf b;
        sb_init(&b);
        sb_putc(&b, '\1');
        sb_puts(&b, arg);
        sl_push(&r->globs_text, sb_take(&b));
        return -1;
    }
    case 't':
    case 'T':
        if (!find_type(arg)) {
            uc_printf(r->c, 2, "unrecognized file type: %s\n", arg);
            return 2;
        }
        sl_push_copy(k == 't' ? &r->types : &r->not_types, arg);
        return -1;
    case OPT_HIDDEN: r->hidden = true; return -1;
    case OPT_NO_IGNORE: r->no_ignore = 1; return -1;
    case OPT_NO_IGNORE_VCS: r->no_vcs = true; return -1;
    case 'u':
        if (r->no_ignore) r->hidden = true;
        r->no_ignore = 1;
        return -1;
    case 'L': r->follow = true; return -1;
    case OPT_MAX_DEPTH: if (!rg_number_for(r, "--max-depth", arg, &v)) return 2; r->max_depth = v; return -1;
    case OPT_FILES: r->files_mode = true; return -1;
    case '0': r->null = true; return -1;
    case OPT_HEADING: r->heading = true; return -1;
    case OPT_NO_HEADING: r->heading = false; return -1;
    case 'p': r->heading = true, r->line_numbers = true; return -1;
    case 'q': r->quiet = true; return -1;
    case 'a': r->text = true; return -1;
    case OPT_NO_MESSAGES: r->no_messages = true; return -1;
    case OPT_VIMGREP: r->vimgrep = true, r->line_numbers = r->column = true; return -1;
    case OPT_TRIM: r->trim = true; return -1;
    case OPT_PASSTHRU: r->passthru = true, r->before = r->after = 0; return -1;
    case OPT_CTX_SEP: r->ctx_sep = arg; return -1;
    case OPT_NO_CTX_SEP: r->ctx_sep_none = true; return -1;
    case OPT_COLUMN: r->column = r->line_numbers = true; return -1;
    case 'b': r->byte_offset = true; return -1;
    case 'H': r->with_filename_set = true, r->with_filename = true; return -1;
    case 'I': r->with_filename_set = true, r->with_filename = false; return -1;
    case OPT_JSON: r->json = true; return -1;
    case OPT_NO_JSON: r->json = false; return -1;
    case OPT_TYPE_LIST: {
        for (const FileType *t = file_types; t->name; t++) {
            StrBuf b;
            sb_init(&b);
            sb_printf(&b, "%s: ", t->name);
            char *copy = xstrdup(t->globs);
            bool first = true;
            for (char *g = strtok(copy, " "); g; g = strtok(NULL, " ")) sb_printf(&b, "%s%s", first ? "" : ", ", g), first = false;
            free(copy);
            sb_putc(&b, '\n');
            uc_write(r->c, 1, b.s, b.len);
            sb_free(&b);
        }
        return 0;
    }
    case OPT_STATS: r->stats = true; return -1;
    case OPT_COLOR: case OPT_SORT + 0x1000: case OPT_NO_CONFIG: case 'j': case OPT_ENGINE:
    case 'P': case OPT_NO_REQUIRE_GIT:
        return -1;
    case UO_HELP: return u_help(r->c, "[OPTIONS] PATTERN [PATH ...]");
    case UO_VERSION: return (uc_puts(r->c, 1, "ripgrep 13.0.0\n"), 0);
    default: return rg_option_more(r, k, arg);
    }
}

/* ---------------- matching ---------------- */

static bool rg_stop(void *ctx) { return uc_should_stop(ctx); }

static bool has_upper_literal(const char *p) {
    for (; *p; p++) {
        if (*p == '\\' && p[1]) {
            p++;
            continue;
        }
        if (*p >= 'A' && *p <= 'Z') return true;
    }
    return false;
}

/* --crlf: ripgrep's rewrite of each '$' (outside classes and escapes) to
 * "(?:\r??$)", so '$' matches before a CR ending the line. */
static void crlf_dollars(StrBuf *out, const char *p) {
    sb_init(out);
    bool in_class = false;
    for (; *p; p++) {
        if (*p == '\\' && p[1]) {
            sb_put(out, p, 2), p++;
        } else if (in_class) {
            if (*p == '[' && p[1] == ':') {
                const char *e = strstr(p + 2, ":]");
                size_t n = e ? (size_t)(e + 2 - p) : 1;
                sb_put(out, p, n), p += n - 1;
                continue;
            }
            in_class = *p != ']';
            sb_putc(out, *p);
        } else if (*p == '[') {
            in_class = true;
            sb_putc(out, *p);
            if (p[1] == '^') sb_putc(out, *++p);
            if (p[1] == ']') sb_putc(out, *++p); /* a leading ']' is literal */
        } else if (*p == '$') {
            sb_puts(out, "(?:\r??$)");
        } else {
            sb_putc(out, *p);
        }
    }
}

/* -F under -U: the pattern as a regex, so that a newline in it is one to
 * match rather than a separator of patterns. */
static void put_escaped(StrBuf *b, const char *s) {
    for (; *s; s++) {
        if (strchr("\\^$.|?*+()[]{}", *s)) sb_putc(b, '\\');
        sb_putc(b, *s);
    }
}

/* The patterns as one: -e A -e B is (?:A)|(?:B); -F without -U keeps them
 * literal, one a line (RX_LITERAL | RX_NL_ALT). True when one of them has
 * an upper-case letter (smart case). */
static bool join_patterns(const Rg *r, StrBuf *pat) {
    bool literal = r->fixed && !r->multiline, wrap = !literal && r->patterns.n > 1, upper = false;
    for (size_t i = 0; i < r->patterns.n; i++) {
        const char *p = r->patterns.v[i];
        if (i) sb_putc(pat, literal ? '\n' : '|');
        if (wrap) sb_puts(pat, "(?:");
        if (r->fixed && !literal) put_escaped(pat, p);
        else sb_puts(pat, p);
        if (wrap) sb_putc(pat, ')');
        upper |= has_upper_literal(p);
    }
    return upper;
}

/* -x spelled out as ^(?:...)$ and/or --crlf's rewrite of '$'. */
static void rewrite_pattern(StrBuf *pat, bool spell_x, bool crlf) {
    StrBuf in;
    sb_init(&in);
    if (spell_x) sb_printf(&in, "^(?:%s)$", sb_cstr(pat));
    else sb_puts(&in, sb_cstr(pat));
    sb_free(pat);
    if (!crlf) {
        *pat = in;
        return;
    }
    crlf_dollars(pat, sb_cstr(&in));
    sb_free(&in);
}

static void newline_error(Rg *r) {
    uc_puts(r->c, 2, "the literal '\"\\n\"' is not allowed in a regex\n\n"
                     "Consider enabling multiline mode with the --multiline flag (or -U for short).\n"
                     "When multiline mode is enabled, new line characters can be matched.\n");
}

static void compile_error(Rg *r, StrBuf *pat, const RxError *err) {
    StrBuf m;
    sb_init(&m);
    sb_printf(&m, "regex parse error:\n    %s\n    ", sb_cstr(pat));
    for (long i = 0; i < err->offset && i < (long)pat->len; i++) sb_putc(&m, ' ');
    sb_printf(&m, "^\nerror: %s\n", err->msg);
    uc_write(r->c, 2, m.s, m.len);
    sb_free(&m);
}

/* ripgrep's regex: with -U '^' and '$' match at every line, '.' matches a
 * newline with --multiline-dotall, and a pattern that can match a newline
 * is searched over the whole buffer (r->ml); without -U a literal newline
 * in the pattern (or a class of the newline alone) is an error. */
static bool rg_compile(Rg *r) {
    bool literal = r->fixed && !r->multiline;
    for (size_t i = 0; literal && i < r->patterns.n; i++)
        if (strchr(r->patterns.v[i], '\n')) {
            newline_error(r);
            return false;
        }
    StrBuf pat;
    sb_init(&pat);
    bool upper = join_patterns(r, &pat);
    unsigned flags = 0;
    if (r->case_mode == 'i' || (r->case_mode == 'S' && !upper)) flags |= RX_ICASE;
    if (literal) flags |= RX_LITERAL | RX_NL_ALT;
    if (r->word) flags |= RX_WORDS;
    if (r->multiline) flags |= RX_MULTILINE | (r->multiline_dotall ? RX_DOTALL : 0);
    bool crlf = r->crlf && !literal;
    /* -x: spelled out when its '$' is rewritten or a line is not a subject */
    bool spell_x = r->line_regexp && (crlf || r->multiline);
    if (r->line_regexp && !spell_x) flags |= RX_LINES;
    if (spell_x || crlf) rewrite_pattern(&pat, spell_x, crlf);
    RxError err;
    r->re = rx_compile(pat.s ? pat.s : "", pat.len, RX_PERL, flags, &err);
    if (!r->re) compile_error(r, &pat, &err);
    sb_free(&pat);
    if (!r->re) return false;
    if (!r->multiline && rx_has_newline_literal(r->re)) {
        newline_error(r);
        return false;
    }
    r->ml = r->multiline && rx_can_match_newline(r->re);
    return true;
}

/* Expands $1 ${name} $$ of -r for the match in caps. */
static void expand_replace(Rg *r, StrBuf *out, const char *line, const RxSpan *caps, int ncaps) {
    for (const char *p = r->replace; *p; p++) {
        if (*p != '$') {
            sb_putc(out, *p);
            continue;
        }
        if (p[1] == '$') {
            sb_putc(out, '$'), p++;
            continue;
        }
        const char *s = p + 1, *e;
        bool braced = *s == '{';
        if (braced) s++;
        e = s;
        while ((*e >= '0' && *e <= '9') || (*e >= 'a' && *e <= 'z') || (*e >= 'A' && *e <= 'Z') || *e == '_') e++;
        if (e == s || (braced && *e != '}')) {
            sb_putc(out, '$');
            continue;
        }
        int g;
        if (strspn(s, "0123456789") >= (size_t)(e - s)) g = atoi(s);
        else g = rx_group_index(r->re, s, (size_t)(e - s));
        if (g >= 0 && g < ncaps && caps[g].so >= 0) sb_put(out, line + caps[g].so, (size_t)(caps[g].eo - caps[g].so));
        p = braced ? e : e - 1;
    }
}

typedef struct FileCtx {
    const char *shown; /* path as printed */
    bool with_name;
} FileCtx;

/* sep ':' after the fields of a matching line, '-' of a context line. */
static void put_sep(Rg *r, char sep) {
    const StrBuf *b = sep == ':' ? (r->match_sep_set ? &r->match_sep : NULL) : (r->context_sep_set ? &r->context_sep : NULL);
    if (b) uout_put(&r->out, b->s, b->len);
    else uout_putc(&r->out, sep);
}

static void put_prefix(Rg *r, const FileCtx *f, long lineno, long col, size_t off, char sep) {
    if (f->with_name && !r->heading) {
        uout_puts(&r->out, f->shown);
        if (r->null) uout_putc(&r->out, '\0');
        else put_sep(r, sep);
    }
    if (r->line_numbers) uout_printf(&r->out, "%ld", lineno), put_sep(r, sep);
    if (r->column && col >= 0) uout_printf(&r->out, "%ld", col), put_sep(r, sep);
    if (r->byte_offset) uout_printf(&r->out, "%zu", off), put_sep(r, sep);
}

static void put_text(Rg *r, const char *s, size_t n) {
    if (r->trim)
        while (n && (*s == ' ' || *s == '\t')) s++, n--;
    uout_put(&r->out, s, n);
    uout_putc(&r->out, '\n');
}

/* What is printed after a line's fields, for -M: a line longer than that
 * many bytes (its terminator counted) is replaced by a note. */
typedef struct Piece {
    const char *s;
    size_t n;
    bool term; /* a line terminator follows s in the file */
    /* 'c' context line, 'l' matching line whose matches were not looked
     * for, 'o' one -o match, 'm' a line whose matches are in starts */
    char kind;
    const size_t *starts; /* kind 'm': where each match starts in s */
    size_t nstarts;
    size_t nmatches; /* kind 'm': the count for the note when not nstarts (-U: the block's) */
} Piece;

/* The first n characters of s (ripgrep counts graphemes; code points here). */
static size_t preview_end(const char *s, size_t len, long n) {
    size_t i = 0;
    for (long k = 0; k < n && i < len; k++) {
        i++;
        while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80) i++;
    }
    return i;
}

static void put_long_piece(Rg *r, const Piece *p) {
    if (!r->max_columns_preview) {
        if (p->kind == 'm') uout_printf(&r->out, "[Omitted long line with %zu matches]\n", p->nmatches ? p->nmatches : p->nstarts);
        else uout_puts(&r->out, p->kind == 'c' ? "[Omitted long context line]\n" : "[Omitted long matching line]\n");
        return;
    }
    size_t end = preview_end(p->s, p->n, r->max_columns);
    uout_put(&r->out, p->s, end);
    if (p->kind == 'c' || p->kind == 'l') {
        uout_puts(&r->out, " [... omitted end of long line]\n");
        return;
    }
    size_t more = 0;
    for (size_t i = 0; i < p->nstarts; i++) more += p->starts[i] >= end && p->starts[i] < p->n;
    uout_printf(&r->out, " [... %zu more %s]\n", more, more == 1 ? "match" : "matches");
}

static void put_piece(Rg *r, const Piece *p) {
    if (r->max_columns > 0 && p->n + p->term > (size_t)r->max_columns) put_long_piece(r, p);
    else put_text(r, p->s, p->n);
}

static void put_context(Rg *r, const char *s, size_t n, bool term) {
    Piece p = {s, n, term, 'c', NULL, 0, 0};
    put_piece(r, &p);
}

/* Where each match of line starts (for -M notes that count them). */
static size_t *match_starts(Rg *r, const char *line, size_t len, size_t *count) {
    RxSpan cap;
    RxExec ex = {0, rg_stop, r->c};
    size_t n = 0, cap_n = 8, at = 0;
    size_t *v = xmalloc(cap_n * sizeof *v);
    while (at <= len && rx_search(r->re, line, len, at, &ex, &cap, 1) == RX_MATCH) {
        if (n == cap_n) v = xrealloc(v, (cap_n *= 2) * sizeof *v);
        v[n++] = (size_t)cap.so;
        at = (size_t)(cap.eo > cap.so ? cap.eo : cap.eo + 1);
    }
    *count = n;
    return v;
}

/* A matching line: the whole line (with -r replaced) or each match (-o). */
static void print_match_line(Rg *r, const FileCtx *f, const char *line, size_t len, long lineno, size_t off, bool term) {
    int ng = rx_ngroups(r->re) + 1;
    RxSpan *caps = xcalloc((size_t)ng, sizeof *caps);
    RxExec ex = {0, rg_stop, r->c};
    /* --vimgrep and --column look for the matches, so -M notes count them */
    Piece whole = {line, len, term, 'l', NULL, 0, 0};
    size_t *starts = NULL;
    if (r->max_columns > 0 && (r->vimgrep || r->column) && !r->only)
        whole.kind = 'm', whole.starts = starts = match_starts(r, line, len, &whole.nstarts);
    if (r->only || r->vimgrep) {
        size_t at = 0;
        while (at <= len && rx_search(r->re, line, len, at, &ex, caps, (size_t)ng) == RX_MATCH) {
            size_t so = (size_t)caps[0].so, eo = (size_t)caps[0].eo;
            if (eo == so && r->only) {
                at = eo + 1;
                continue;
            }
            put_prefix(r, f, lineno, (long)so + 1, off + so, ':');
            if (r->only) {
                StrBuf b;
                sb_init(&b);
                if (r->replace) expand_replace(r, &b, line, caps, ng);
                else sb_put(&b, line + so, eo - so);
                Piece p = {b.s ? b.s : "", b.len, false, 'o', NULL, 0, 0};
                put_piece(r, &p);
                sb_free(&b);
            } else {
                put_piece(r, &whole);
            }
            at = eo > so ? eo : eo + 1;
        }
    } else {
        long col = -1;
        if (r->column && rx_search(r->re, line, len, 0, &ex, caps, 1) == RX_MATCH) col = caps[0].so + 1;
        put_prefix(r, f, lineno, col, off, ':');
        if (r->replace) {
            StrBuf b;
            sb_init(&b);
            size_t at = 0, last = 0, nrep = 0, cap_n = 8;
            size_t *reps = xmalloc(cap_n * sizeof *reps); /* where replacements start, for -M */
            while (at <= len && rx_search(r->re, line, len, at, &ex, caps, (size_t)ng) == RX_MATCH) {
                size_t so = (size_t)caps[0].so, eo = (size_t)caps[0].eo;
                sb_put(&b, line + last, so - last);
                if (nrep == cap_n) reps = xrealloc(reps, (cap_n *= 2) * sizeof *reps);
                reps[nrep++] = b.len;
                expand_replace(r, &b, line, caps, ng);
                last = eo;
                at = eo > so ? eo : eo + 1;
            }
            if (last < len) sb_put(&b, line + last, len - last);
            Piece p = {b.s ? b.s : "", b.len, term, 'm', reps, nrep, 0};
            put_piece(r, &p);
            free(reps);
            sb_free(&b);
        } else {
            put_piece(r, &whole);
        }
    }
    free(starts);
    free(caps);
}

static size_t count_matches_in(Rg *r, const char *line, size_t len) {
    RxSpan cap;
    RxExec ex = {0, rg_stop, r->c};
    size_t n = 0, at = 0;
    while (at <= len && rx_search(r->re, line, len, at, &ex, &cap, 1) == RX_MATCH) {
        if (cap.eo > cap.so || !r->only) n++;
        at = (size_t)(cap.eo > cap.so ? cap.eo : cap.eo + 1);
        if (cap.eo == cap.so && (size_t)cap.eo >= len) break;
    }
    return n;
}

/* What is printed once a file is searched: the note on a binary file
 * (binary_at: its first NUL, or SIZE_MAX), -l, --files-without-match, -c. */
static void finish_file(Rg *r, const FileCtx *f, size_t binary_at, uintmax_t nmatch, uintmax_t count) {
    if (binary_at != SIZE_MAX && nmatch && !(r->count || r->files_with || r->files_without)) {
        if (f->with_name) uout_printf(&r->out, "%s: ", f->shown);
        uout_printf(&r->out, "binary file matches (found \"\\0\" byte around offset %zu)\n", binary_at);
        return;
    }
    if (r->files_with && nmatch) uout_printf(&r->out, "%s%c", f->shown, r->null ? '\0' : '\n');
    if (r->files_without && !nmatch) {
        uout_printf(&r->out, "%s%c", f->shown, r->null ? '\0' : '\n');
        r->listed_without = true;
    }
    if (r->count && !r->files_with && !r->files_without && (count || r->include_zero)) {
        if (f->with_name) uout_printf(&r->out, "%s%c", f->shown, r->null ? '\0' : ':');
        uout_printf(&r->out, "%ju\n", count);
    }
}

static void search_multiline(Rg *r, const FileCtx *f, const char *buf, size_t n, bool explicit_file);

/* Searches one buffer. explicit: named on the command line (binary files
 * are reported rather than skipped). */
static void search_buffer(Rg *r, const FileCtx *f, const char *buf, size_t n, bool explicit_file) {
    if (r->ml) {
        search_multiline(r, f, buf, n, explicit_file);
        return;
    }
    const char *nul = r->text ? NULL : memchr(buf, 0, n);
    if (nul && !explicit_file) return;
    RxExec ex = {0, rg_stop, r->c};
    uintmax_t nmatch = 0, nmatches = 0;
    long last_printed = 0; /* line number of the last line printed */
    long after_left = 0;
    size_t nlines = 0;
    /* line starts, for before-context */
    size_t cap = 64;
    size_t *starts = r->before ? xmalloc(cap * sizeof *starts) : NULL;
    bool stop_file = false;
    size_t pos = 0;
    long lineno = 0;
    bool header_done = false;
    while (pos < n && !stop_file) {
        if ((lineno & 1023) == 0 && uc_should_stop(r->c)) break;
        const char *nl = memchr(buf + pos, '\n', n - pos);
        size_t end = nl ? (size_t)(nl - buf) : n;
        size_t len = end - pos;
        lineno++;
        if (starts) {
            if (nlines == cap) starts = xrealloc(starts, (cap *= 2) * sizeof *starts);
            starts[nlines] = pos;
        }
        nlines++;
        const char *line = buf + pos;
        size_t llen = len && line[len - 1] == '\r' && false ? len - 1 : len;
        bool hit = rx_search(r->re, line, llen, 0, &ex, NULL, 0) == RX_MATCH;
        if (r->invert) hit = !hit;
        if (hit && r->max_count_set && nmatch >= r->max_count) {
            stop_file = true;
            break;
        }
        if (hit) {
            nmatch++;
            if (r->count_matches) nmatches += r->invert ? 1 : count_matches_in(r, line, llen);
            r->matched = true;
            if (r->quiet) {
                free(starts);
                return;
            }
            if (nul) break;
            if (r->count || r->files_with || r->files_without) {
                pos = nl ? end + 1 : n;
                continue;
            }
            if (r->heading && !header_done) {
                if (r->printed_file) uout_putc(&r->out, '\n');
                if (f->with_name) uout_printf(&r->out, "%s\n", f->shown);
                header_done = true;
                r->printed_file = true;
            }
            /* separator and before-context */
            long first_ctx = lineno - r->before;
            if (first_ctx <= last_printed) first_ctx = last_printed + 1;
            if (first_ctx < 1) first_ctx = 1;
            /* "--" between groups, and before a file's first one after another
             * file's lines (a blank line does that with --heading) */
            bool sep = last_printed ? first_ctx > last_printed + 1 : !r->heading;
            if ((r->before || r->after) && r->printed_group && sep && !r->ctx_sep_none)
                uout_printf(&r->out, "%s\n", r->ctx_sep ? r->ctx_sep : "--");
            for (long ln = first_ctx; ln < lineno; ln++) {
                size_t s = starts[ln - 1], e = starts[ln] - 1;
                put_prefix(r, f, ln, -1, s, '-');
                put_context(r, buf + s, e - s, true);
            }
            if (r->invert) {
                put_prefix(r, f, lineno, -1, pos, ':');
                Piece p = {line, len, nl != NULL, 'l', NULL, 0, 0};
                put_piece(r, &p);
            } else {
                print_match_line(r, f, line, len, lineno, pos, nl != NULL);
            }
            last_printed = lineno;
            after_left = r->after;
            r->printed_group = true;
        } else if (after_left > 0 || r->passthru) {
            if (!(r->count || r->files_with || r->files_without || r->quiet)) {
                if (r->heading && !header_done && r->passthru) {
                    if (r->printed_file) uout_putc(&r->out, '\n');
                    if (f->with_name) uout_printf(&r->out, "%s\n", f->shown);
                    header_done = true;
                    r->printed_file = true;
                }
                put_prefix(r, f, lineno, -1, pos, '-');
                put_context(r, line, len, nl != NULL);
                last_printed = lineno;
            }
            after_left--;
        }
        pos = nl ? end + 1 : n;
    }
    free(starts);
    finish_file(r, f, nul ? (size_t)(nul - buf) : SIZE_MAX, nmatch, r->count_matches ? nmatches : nmatch);
}

/* ---------------- -U: the standard printer over rg_multiline.h ---------------- */

typedef struct MlPrint {
    Rg *r;
    const FileCtx *f;
    const char *buf;
    size_t n;
    bool binary;          /* an explicit file with a NUL: the first line reported stops the search */
    bool summary;         /* -c --count-matches -l --files-without-match -q: counted, not printed */
    bool started;         /* this file has printed something */
    uintmax_t count;      /* blocks reported (the standard printer), or matches in them (summary) */
    uintmax_t after_left; /* the printer's own after-context count, which decides when -m stops */
} MlPrint;

/* A block as printed: its bytes (or their replacement with -r), where it
 * starts in the file, the number of its first line and the matches in it. */
typedef struct MlBlock {
    const char *s;
    size_t len, off;
    long lineno;
    const RxSpan *m;
    size_t nm;
} MlBlock;

/* The first output of a file: its heading, or "--" after another file's
 * lines when context is asked for. */
static void ml_start(MlPrint *mp) {
    Rg *r = mp->r;
    if (mp->started) return;
    mp->started = true;
    if (r->heading) {
        if (r->printed_file) uout_putc(&r->out, '\n');
        if (mp->f->with_name) uout_printf(&r->out, "%s\n", mp->f->shown);
        r->printed_file = true;
    } else if ((r->before || r->after) && r->printed_group && !r->ctx_sep_none) {
        uout_printf(&r->out, "%s\n", r->ctx_sep ? r->ctx_sep : "--");
    }
    r->printed_group = true;
}

static bool ml_should_quit(const MlPrint *mp) {
    return mp->r->max_count_set && mp->count >= mp->r->max_count && mp->after_left == 0;
}

static void span_push(RxSpan **v, size_t *n, size_t *cap, size_t so, size_t eo) {
    if (*n == *cap) *v = xrealloc(*v, (*cap = *cap ? *cap * 2 : 8) * sizeof **v);
    (*v)[(*n)++] = (RxSpan){(long)so, (long)eo};
}

/* The matches grep-printer finds in the block [so, eo): from its start, with
 * a little of what follows visible to the regex; offsets from so. out may be
 * NULL to count them only. */
static size_t ml_find(const MlPrint *mp, size_t so, size_t eo, RxSpan **out) {
    RxExec ex = {0, rg_stop, mp->r->c};
    RgmIter it;
    RxSpan m;
    size_t k = 0, cap = 0;
    rgm_iter_init(&it, mp->r->re, &ex, mp->buf, rgm_context_end(mp->n, eo), so);
    while (rgm_iter_next(&it, &m, 1) && (size_t)m.so < eo) {
        if (out) span_push(out, &k, &cap, (size_t)m.so - so, (size_t)m.eo - so);
        else k++;
    }
    return k;
}

/* -r over a block as ripgrep 13 does it: every match from the block's start
 * to the end of what the printer sees is replaced, and all of that is
 * printed, so lines after the block can come out too. */
static size_t ml_replace(const MlPrint *mp, size_t so, size_t eo, StrBuf *dst, RxSpan **out) {
    Rg *r = mp->r;
    int ng = rx_ngroups(r->re) + 1;
    RxSpan *caps = xcalloc((size_t)ng, sizeof *caps);
    RxExec ex = {0, rg_stop, r->c};
    size_t end = rgm_context_end(mp->n, eo), last = so, k = 0, cap = 0;
    RgmIter it;
    rgm_iter_init(&it, r->re, &ex, mp->buf, end, so);
    while (rgm_iter_next(&it, caps, (size_t)ng)) {
        sb_put(dst, mp->buf + last, (size_t)caps[0].so - last);
        size_t start = dst->len;
        expand_replace(r, dst, mp->buf, caps, ng);
        span_push(out, &k, &cap, start, dst->len);
        last = (size_t)caps[0].eo;
    }
    sb_put(dst, mp->buf + last, end - last);
    free(caps);
    return k;
}

/* One line of a block: s[p..p+len), then a terminator when term; for -M,
 * the matches m[0..nm) whose starts count in a preview's note. True when
 * -M omitted it. */
static bool ml_put_line(MlPrint *mp, const MlBlock *b, size_t p, size_t len, bool term, const RxSpan *m, size_t nm) {
    Rg *r = mp->r;
    Piece pc = {b->s + p, len, term, b->nm ? 'm' : 'l', NULL, 0, b->nm};
    bool omitted = r->max_columns > 0 && len + term > (size_t)r->max_columns;
    size_t *starts = NULL;
    if (omitted && nm) {
        starts = xmalloc(nm * sizeof *starts);
        for (size_t i = 0; i < nm; i++)
            if ((size_t)m[i].so >= p) starts[pc.nstarts++] = (size_t)m[i].so - p;
        pc.starts = starts;
    }
    put_piece(r, &pc);
    free(starts);
    return omitted;
}

/* Every line of a block, each with its own number and offset; --column
 * gives each the column of the block's first match. */
static void ml_put_lines(MlPrint *mp, const MlBlock *b) {
    long count = 0;
    for (size_t p = 0; p < b->len; count++) {
        const char *nl = memchr(b->s + p, '\n', b->len - p);
        size_t e = nl ? (size_t)(nl - b->s) : b->len;
        put_prefix(mp->r, mp->f, b->lineno + count, b->nm ? b->m[0].so + 1 : -1, b->off + p, ':');
        ml_put_line(mp, b, p, e - p, nl != NULL, b->m, b->nm);
        p = e + (nl != NULL);
    }
}

/* -o: each match, a line of it at a time (--trim trims the line first). */
static void ml_put_only(MlPrint *mp, const MlBlock *b) {
    Rg *r = mp->r;
    size_t mi = 0;
    long count = 0;
    for (size_t p = 0; p < b->len; count++) {
        const char *nl = memchr(b->s + p, '\n', b->len - p);
        size_t e = nl ? (size_t)(nl - b->s) : b->len, at = p;
        if (r->trim)
            while (at < e && (b->s[at] == ' ' || b->s[at] == '\t')) at++;
        while (at < e) {
            size_t ms = (size_t)b->m[mi].so, me = (size_t)b->m[mi].eo;
            if (me <= at) {
                if (mi + 1 >= b->nm) break;
                mi++;
            } else if (at < ms) {
                at = ms < e ? ms : e;
            } else {
                size_t upto = me < e ? me : e;
                put_prefix(r, mp->f, b->lineno + count, (long)ms + 1, b->off + ms, ':');
                Piece pc = {b->s + at, upto - at, false, 'o', NULL, 0, 0};
                if (r->max_columns > 0 && pc.n > (size_t)r->max_columns) put_long_piece(r, &pc);
                else uout_put(&r->out, pc.s, pc.n), uout_putc(&r->out, '\n');
                at = upto;
            }
        }
        p = e + (nl != NULL);
    }
}

/* --vimgrep: each match on the first line it touches (and the lines after
 * that while -M omits them). */
static void ml_put_per_match(MlPrint *mp, const MlBlock *b) {
    for (size_t i = 0; i < b->nm; i++) {
        size_t ms = (size_t)b->m[i].so, me = (size_t)b->m[i].eo;
        long count = 0;
        for (size_t p = 0; p < b->len && p < me; count++) {
            const char *nl = memchr(b->s + p, '\n', b->len - p);
            size_t e = nl ? (size_t)(nl - b->s) : b->len, next = e + (nl != NULL);
            if (next > ms) {
                put_prefix(mp->r, mp->f, b->lineno + count, (long)(ms > p ? ms - p : 0) + 1, b->off + p, ':');
                if (!ml_put_line(mp, b, p, e - p, nl != NULL, &b->m[i], 1)) break;
            }
            p = next;
        }
    }
}

static void ml_print_block(MlPrint *mp, size_t so, size_t eo, long lineno) {
    Rg *r = mp->r;
    MlBlock b = {mp->buf + so, eo - so, so, lineno, NULL, 0};
    RxSpan *m = NULL;
    StrBuf rep;
    sb_init(&rep);
    if (r->replace) {
        b.nm = ml_replace(mp, so, eo, &rep, &m);
        b.s = rep.s ? rep.s : "", b.len = rep.len;
    } else if (r->column || r->only || r->vimgrep) {
        b.nm = ml_find(mp, so, eo, &m);
    }
    b.m = m;
    ml_start(mp);
    if (b.nm && r->only) ml_put_only(mp, &b);
    else if (b.nm && r->vimgrep) ml_put_per_match(mp, &b);
    else ml_put_lines(mp, &b);
    free(m);
    sb_free(&rep);
}

/* The summary printers count the matches in each block; -l, -q and
 * --files-without-match stop at the first block. */
static bool ml_counted(MlPrint *mp, size_t so, size_t eo) {
    Rg *r = mp->r;
    mp->count += ml_find(mp, so, eo, NULL);
    if (mp->count) r->matched = true;
    if (r->files_with || r->files_without || r->quiet) return false;
    return !(r->max_count_set && mp->count >= r->max_count);
}

static bool ml_matched(void *ctx, size_t so, size_t eo, long lineno) {
    MlPrint *mp = ctx;
    Rg *r = mp->r;
    if (mp->summary) return ml_counted(mp, so, eo);
    mp->count++;
    /* past the limit, a block in the after-context counts that context down */
    if (r->max_count_set && mp->count > r->max_count) mp->after_left -= mp->after_left > 0;
    else mp->after_left = (uintmax_t)r->after;
    r->matched = true;
    if (mp->binary) return false;
    ml_print_block(mp, so, eo, lineno);
    return !ml_should_quit(mp);
}

static bool ml_context(void *ctx, size_t so, size_t eo, long lineno, char kind) {
    MlPrint *mp = ctx;
    if (mp->summary) return true;
    if (mp->binary) return false;
    if (kind == 'a') mp->after_left -= mp->after_left > 0;
    ml_start(mp);
    bool term = eo > so && mp->buf[eo - 1] == '\n';
    put_prefix(mp->r, mp->f, lineno, -1, so, '-');
    put_context(mp->r, mp->buf + so, eo - so - term, term);
    return !ml_should_quit(mp);
}

static bool ml_break(void *ctx) {
    MlPrint *mp = ctx;
    Rg *r = mp->r;
    if (!mp->summary && !r->ctx_sep_none) uout_printf(&r->out, "%s\n", r->ctx_sep ? r->ctx_sep : "--");
    return true;
}

/* -U with a pattern that can match a newline: the whole buffer is searched
 * at once (rg_multiline.h). */
static void search_multiline(Rg *r, const FileCtx *f, const char *buf, size_t n, bool explicit_file) {
    const char *nul = r->text ? NULL : memchr(buf, 0, n);
    if ((nul && !explicit_file) || (r->max_count_set && !r->max_count)) return;
    MlPrint mp = {.r = r, .f = f, .buf = buf, .n = n, .binary = nul != NULL,
                  .summary = r->count || r->files_with || r->files_without || r->quiet};
    RgmConfig cfg = {r->c, r->re, r->invert, r->passthru, r->before, r->after};
    RgmSink sink = {&mp, ml_matched, ml_context, ml_break};
    rgm_search(&cfg, buf, n, &sink);
    if (!r->quiet) finish_file(r, f, nul ? (size_t)(nul - buf) : SIZE_MAX, mp.count, mp.count);
}

/* A message that leaves the exit status alone (an unreadable --ignore-file). */
static void rg_error_keep(Rg *r, const char *path, int err) {
    if (!r->no_messages) uc_printf(r->c, 2, "%s: %s (os error %d)\n", path, u_strerror(err), sw_linux_errno(err));
}

static void rg_error(Rg *r, const char *path, int err) {
    rg_error_keep(r, path, err);
    r->status = 2;
}

/* ---------------- -z: compressed files ---------------- */

static bool has_suffix(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcmp(s + n - m, suffix);
}

/* 'g' gzip, 'b' bzip2, 0 searched as is. ripgrep also runs xz, lz4, zstd,
 * brotli and uncompress for their names; without decoders for them here,
 * those files are searched as they are (as ripgrep does when the program
 * is missing). */
static char zip_kind(const char *path) {
    if (has_suffix(path, ".gz") || has_suffix(path, ".tgz")) return 'g';
    if (has_suffix(path, ".bz2") || has_suffix(path, ".tbz2") || has_suffix(path, ".tbz")) return 'b';
    return 0;
}

static int zip_sink(void *ctx, const uint8_t *data, size_t n) {
    sb_put(ctx, (const char *)data, n);
    return 0;
}

/* gzip -d -c: every member; NULL when decoded, else gzip's message. */
static const char *gunzip_all(const StrBuf *in, StrBuf *out) {
    DflInflater *z = dfl_inflate_new(DFL_GZIP);
    if (!z) return dfl_strerror(DFL_ENOMEM);
    const uint8_t *p = (const uint8_t *)in->s;
    size_t n = in->len;
    const char *msg = NULL;
    if (!n) msg = "unexpected end of file";
    while (n && !msg) {
        size_t used = 0;
        DflStatus st = dfl_inflate(z, p, n, &used, zip_sink, out);
        p += used, n -= used;
        if (st == DFL_END) dfl_inflate_reset(z);
        else if (st != DFL_OK) msg = dfl_strerror(st);
        else if (dfl_inflate_pending(z) || dfl_inflate_in_header(z)) msg = "unexpected end of file";
    }
    dfl_inflate_free(z);
    return msg;
}

/* bzip2 -d -c: every stream; NULL when decoded, else a message. */
static const char *bunzip_all(const StrBuf *in, StrBuf *out) {
    BzDecoder *d = bz_decoder_new();
    if (!d) return "out of memory";
    const uint8_t *p = (const uint8_t *)in->s;
    size_t n = in->len;
    const char *msg = n ? NULL : "file ends unexpectedly";
    while (n && !msg) {
        size_t used = 0;
        BzStatus st = bz_decode(d, p, n, 1, &used, zip_sink, out);
        p += used, n -= used;
        if (st == BZ_END) bz_decoder_reset(d);
        else if (st == BZ_EMAGIC) msg = "is not a bzip2 file.";
        else if (st != BZ_OK) msg = st == BZ_ECRC ? "data integrity (CRC) error in data" : "file ends unexpectedly";
        else if (bz_decoder_pending(d)) msg = "file ends unexpectedly";
    }
    bz_decoder_free(d);
    return msg;
}

/* Replaces b by its decoded contents; false (after ripgrep's report of the
 * decompressor's stderr) when it is not valid. */
static bool rg_unzip(Rg *r, const char *path, const char *shown, StrBuf *b) {
    char kind = zip_kind(path);
    if (!kind) return true;
    StrBuf out;
    sb_init(&out);
    const char *msg = kind == 'g' ? gunzip_all(b, &out) : bunzip_all(b, &out);
    sb_free(b);
    *b = out;
    if (!msg) return true;
    if (!r->no_messages) {
        static const char rule[] = "-------------------------------------------------------------------------------";
        const char *prog = kind == 'g' ? "gzip" : "bzip2";
        uc_printf(r->c, 2, "%s: \n%s\n%s: %s%s%s\n%s\n", shown, rule, prog, path, kind == 'b' && msg[0] == 'i' ? " " : ": ",
                  msg, rule);
    }
    r->status = 2;
    return false;
}

/* --json: one file's messages (rg_json.c). Binary files found by the walk
 * are skipped, as for the standard printer. */
static void rg_json_file(Rg *r, const char *path, const char *shown, const StrBuf *b, bool explicit_file) {
    const char *buf = b->s ? b->s : "";
    if (!explicit_file && !r->text && memchr(buf, 0, b->len)) return;
    /* the path as found, without --path-separator's changes; a decompressed
     * file comes from a pipe, so it is read through a buffer */
    RgjFile f = {strcmp(path, "-") ? path : shown, r->mapped && !(r->search_zip && zip_kind(path)), !r->text};
    if (rgj_search(&r->jout, &f, buf, b->len)) r->matched = true;
}

static void search_file(Rg *r, const char *path, const char *shown, bool with_name, bool explicit_file) {
    UcFile *f = uc_open(r->c, path, "r");
    if (!f) {
        rg_error(r, shown, errno);
        return;
    }
    StrBuf b;
    sb_init(&b);
    char chunk[65536];
    ssize_t n;
    while ((n = uc_fread(f, chunk, sizeof chunk)) > 0) sb_put(&b, chunk, (size_t)n);
    uc_close(f);
    if (r->search_zip && !rg_unzip(r, path, shown, &b)) {
        sb_free(&b);
        return;
    }
    FileCtx fc = {shown, with_name};
    if (r->json && !r->quiet) rg_json_file(r, path, shown, &b, explicit_file);
    else search_buffer(r, &fc, b.s ? b.s : "", b.len, explicit_file);
    sb_free(&b);
}

static bool type_allows(Rg *r, const char *rel) {
    const char *base = strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel;
    for (size_t i = 0; i < r->not_types.n; i++)
        if (type_matches(find_type(r->not_types.v[i]), base)) return false;
    if (!r->types.n) return true;
    for (size_t i = 0; i < r->types.n; i++)
        if (type_matches(find_type(r->types.v[i]), base)) return true;
    return false;
}

typedef struct WalkCtx {
    Rg *r;
    bool implicit; /* searching "." without naming it: paths without "./" */
} WalkCtx;

/* path as printed: with --path-separator, its '/' replaced. */
static char *rg_shown(const Rg *r, const char *path) {
    char *s = xstrdup(path);
    if (r->path_sep)
        for (char *p = s; *p; p++)
            if (*p == '/') *p = r->path_sep;
    return s;
}

static void rg_list_file(Rg *r, const char *path) {
    char *shown = rg_shown(r, path);
    uout_printf(&r->out, "%s%c", shown, r->null ? '\0' : '\n');
    free(shown);
}

static int rg_visit(void *ctx, const char *path, const char *rel, const struct stat *st, int depth) {
    (void)depth;
    Rg *r = ((WalkCtx *)ctx)->r;
    if (((WalkCtx *)ctx)->implicit) path = rel;
    if (S_ISDIR(st->st_mode) || !S_ISREG(st->st_mode)) return 0;
    if (!type_allows(r, rel)) return 0;
    if (r->files_mode) {
        rg_list_file(r, path);
        r->matched = true;
        return 0;
    }
    bool with_name = r->with_filename_set ? r->with_filename : true;
    char *shown = rg_shown(r, path);
    /* --binary: found files are searched as named ones are */
    search_file(r, path, shown, with_name, r->binary);
    free(shown);
    return r->quiet && r->matched ? 1 : 0;
}

static void walk_err(void *ctx, const char *path, int err) { rg_error(((WalkCtx *)ctx)->r, path, err); }

/* ripgrep maps files into memory when at most 10 paths are named and all
 * of them are files (stdin is not). */
static bool rg_all_files(const Rg *r) {
    if (r->paths.n > 10) return false;
    for (size_t i = 0; i < r->paths.n; i++) {
        struct stat st;
        if (!strcmp(r->paths.v[i], "-") || stat(r->paths.v[i], &st) != 0 || !S_ISREG(st.st_mode)) return false;
    }
    return true;
}

static void rg_json_init(Rg *r) {
    r->jout = (RgJson){.c = r->c, .out = &r->out, .re = r->re, .invert = r->invert, .passthru = r->passthru,
                       .line_numbers = !r->no_line_number, .max_count_set = r->max_count_set,
                       .max_count = r->max_count, .before = r->before, .after = r->after, .start = rgj_now(),
                       .multiline = r->ml};
    r->mapped = rg_all_files(r);
}

static void rg_run(Rg *r) {
    SwOpts so = {.hidden = r->hidden, .no_ignore = r->no_ignore > 0, .no_vcs = r->no_vcs, .follow = r->follow,
                 .max_depth = r->max_depth, .tool_ignore = ".rgignore", .no_dot = r->no_dot,
                 .one_file_system = r->one_fs, .sort_key = r->sort_key, .reverse = r->sort_reverse,
                 .ignore_files = (const char *const *)r->ignore_files.v, .nignore_files = r->ignore_files.n};
    for (size_t i = 0; i < r->ignore_files.n; i++)
        if (access(r->ignore_files.v[i], R_OK) != 0) rg_error_keep(r, r->ignore_files.v[i], errno);
    r->globs = xcalloc(r->globs_text.n + 1, sizeof *r->globs);
    for (size_t i = 0; i < r->globs_text.n; i++) {
        const char *g = r->globs_text.v[i];
        r->globs[i].icase = g[0] == '\1' || r->glob_icase;
        g += g[0] == '\1';
        r->globs[i].negated = g[0] == '!';
        r->globs[i].glob = g + (g[0] == '!');
    }
    so.globs = r->globs;
    so.nglobs = r->globs_text.n;
    WalkCtx wc = {r, false};
    bool implicit = !r->paths.n;
    if (implicit && !r->files_mode && uc_stdin_has_data(r->c)) sl_push_copy(&r->paths, "-"), implicit = false;
    else if (implicit) sl_push_copy(&r->paths, ".");
    bool multi = r->paths.n > 1;
    /* ripgrep does not search at all with -m 0 (SearchNever): no summary */
    if (r->json && r->max_count_set && !r->max_count) return;
    if (r->json) rg_json_init(r);
    for (size_t i = 0; i < r->paths.n && !(r->quiet && r->matched); i++) {
        const char *p = r->paths.v[i];
        struct stat st;
        if (!strcmp(p, "-")) {
            bool with_name = r->with_filename_set ? r->with_filename : multi || r->vimgrep;
            search_file(r, "-", "<stdin>", with_name, true);
            continue;
        }
        if (uc_stat(r->c, p, &st) != 0) {
            rg_error(r, p, errno);
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            wc.implicit = implicit;
            sw_walk(r->c, &so, p, rg_visit, walk_err, &wc);
        } else if (r->files_mode) {
            rg_list_file(r, p);
        } else {
            bool with_name = r->with_filename_set ? r->with_filename : multi || r->vimgrep;
            char *shown = rg_shown(r, p);
            search_file(r, p, shown, with_name, true);
            free(shown);
        }
    }
    if (r->json && !r->quiet) rgj_summary(&r->jout);
}

/* The flags ripgrep's --json conflicts with, in the order clap checks them. */
static int rg_json_conflicts(Rg *r) {
    static const char *const names[] = {"count", "count-matches", "files", "files-with-matches", "files-without-match"};
    const bool set[] = {r->count_flag, r->count_matches, r->files_mode, r->files_with, r->files_without};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (set[i]) {
            uc_printf(r->c, 2, "error: The argument '--%s' cannot be used with '--json'\n\n%s", names[i], rg_usage);
            return 2;
        }
    return -1;
}

int util_rg_main(UtilCtx *c, int argc, char **argv) {
    Rg r = {.c = c, .case_mode = 's', .max_depth = -1};
    sl_init(&r.patterns), sl_init(&r.globs_text), sl_init(&r.types), sl_init(&r.not_types), sl_init(&r.paths);
    sl_init(&r.ignore_files);
    UOpts o;
    uopt_init(&o, c, argc, argv, "e:f:isSwxFvnNlcor:A:B:C:m:g:t:T:uL0qabHIpj:PUM:z", rg_longs);
    int k, st = -1;
    while (st < 0 && (k = uopt_next(&o)) != UO_END) st = rg_option(&r, k, o.arg);
    if (st < 0 && r.json) st = rg_json_conflicts(&r);
    size_t first = 0;
    if (st < 0 && !r.patterns.n && !r.files_mode) {
        if (!o.ops.n) {
            uc_printf(c, 2, "error: The following required arguments were not provided:\n    <PATTERN>\n\n%s", rg_usage);
            st = 2;
        } else {
            sl_push_copy(&r.patterns, o.ops.v[0]);
            first = 1;
        }
    }
    for (size_t i = first; st < 0 && i < o.ops.n; i++) sl_push_copy(&r.paths, o.ops.v[i]);
    if (st < 0 && !r.files_mode && !rg_compile(&r)) st = 2;
    if (st < 0) {
        uout_init(&r.out, c, 1);
        rg_run(&r);
        int w = uout_close(&r.out);
        st = r.status ? 2 : w ? 2 : (r.files_without ? r.listed_without : r.matched) ? 0 : 1;
        if (r.status && r.quiet && r.matched) st = 0;
    }
    if (r.re) rx_free(r.re);
    free(r.globs);
    sl_free(&r.patterns), sl_free(&r.globs_text), sl_free(&r.types), sl_free(&r.not_types), sl_free(&r.paths);
    sl_free(&r.ignore_files);
    if (r.match_sep_set) sb_free(&r.match_sep);
    if (r.context_sep_set) sb_free(&r.context_sep);
    uopt_free(&o);
    return st;
}
