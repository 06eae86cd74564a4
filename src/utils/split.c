/* split.c - the split utility (GNU coreutils 9.1): split [OPTION]... [FILE
 * [PREFIX]] by -l LINES (default 1000, also the obsolete -N), -b BYTES,
 * -C BYTES (whole lines up to BYTES), -n CHUNKS (N, K/N, l/N, l/K/N, r/N,
 * r/K/N); -a LENGTH, -d / -x [FROM], --additional-suffix, -e, -t SEP, -u,
 * --verbose. Suffixes widen as GNU's do (..., xyz, xzaaa, ...) unless -a is
 * given. -n N and l/N need the input's size (a regular file); --filter is
 * not supported (no processes). */
#include "ucommon.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef enum { BY_LINES, BY_BYTES, BY_LINE_BYTES, BY_CHUNK_BYTES, BY_CHUNK_LINES, BY_RR } SplitType;

typedef struct Split {
    UtilCtx *c;
    SplitType type;
    bool type_set;
    uintmax_t n;          /* lines, bytes, or chunks */
    uintmax_t k;          /* -n K/N: only chunk K, to stdout */
    int delim;
    const char *alphabet;
    const char *numeric_start;
    size_t suffix_length;
    bool suffix_auto, elide, verbose;
    const char *additional;
    const char *input, *prefix;
    /* the file name being generated */
    char *name;
    size_t base_len;      /* prefix length (grows when suffixes widen) */
    size_t *index;        /* position in the alphabet of each suffix character */
    bool started;
    UcFile *out;
    UOut o;
    bool out_open;
    int status;
    StrList ops;
} Split;

/* ---- file names ---- */

static void init_name(Split *s, bool widen) {
    size_t alen = strlen(s->alphabet);
    if (widen) {
        /* the first suffix character becomes part of the prefix */
        s->base_len++;
        s->suffix_length++;
    }
    size_t addlen = s->additional ? strlen(s->additional) : 0;
    char *name = xmalloc(s->base_len + s->suffix_length + addlen + 1);
    if (widen) {
        memcpy(name, s->name, s->base_len - 1);
        name[s->base_len - 1] = s->alphabet[s->index[0]];
    } else {
        memcpy(name, s->prefix, s->base_len);
    }
    memset(name + s->base_len, s->alphabet[0], s->suffix_length);
    if (addlen) memcpy(name + s->base_len + s->suffix_length, s->additional, addlen);
    name[s->base_len + s->suffix_length + addlen] = 0;
    free(s->name);
    s->name = name;
    free(s->index);
    s->index = xcalloc(s->suffix_length, sizeof *s->index);
    if (s->numeric_start && !widen) {
        size_t i = strlen(s->numeric_start);
        memcpy(name + s->base_len + s->suffix_length - i, s->numeric_start, i);
        for (size_t j = 0; j < i; j++) s->index[s->suffix_length - i + j] = (size_t)(s->numeric_start[j] - '0');
    }
    (void)alen;
}

/* GNU's next_file_name; false when the suffixes are exhausted. */
static bool next_name(Split *s) {
    if (!s->started) {
        s->started = true;
        s->base_len = strlen(s->prefix);
        init_name(s, false);
        return true;
    }
    char *mid = s->name + s->base_len;
    for (size_t i = s->suffix_length; i-- > 0;) {
        s->index[i]++;
        if (s->suffix_auto && i == 0 && !s->alphabet[s->index[0] + 1]) {
            init_name(s, true);
            return true;
        }
        mid[i] = s->alphabet[s->index[i]];
        if (mid[i]) return true;
        s->index[i] = 0;
        mid[i] = s->alphabet[0];
    }
    uc_error(s->c, "output file suffixes exhausted");
    return false;
}

static bool close_out(Split *s) {
    if (!s->out_open) return true;
    s->out_open = false;
    int r = uout_close(&s->o);
    if (s->out != NULL) uc_close(s->out);
    s->out = NULL;
    if (r) s->status = 1;
    return !r;
}

static bool open_next(Split *s) {
    if (!close_out(s) || !next_name(s)) return false;
    if (s->verbose) {
        char *q = u_quote(s->name);
        uc_printf(s->c, 1, "creating file %s\n", q);
        free(q);
    }
    errno = 0;
    s->out = uc_open(s->c, s->name, "w");
    if (!s->out) {
        u_err_file(s->c, s->name, errno ? errno : EIO);
        return false;
    }
    uout_init_file(&s->o, s->c, s->out);
    s->out_open = true;
    return true;
}

/* GNU's cwrite: a new file first when asked (an empty one is skipped with -e). */
static bool cwrite(Split *s, bool new_file, const char *p, size_t n) {
    if (new_file) {
        if (!p && n == 0 && s->elide) return true;
        if (!open_next(s)) return false;
    }
    uout_put(&s->o, p, n);
    return !s->o.err;
}

/* ---- the modes ---- */

typedef struct Reader {
    Split *s;
    UcFile *f;
    char buf[65536];
} Reader;

static ssize_t rd(Reader *r) { return uc_should_stop(r->s->c) ? -1 : uc_fread(r->f, r->buf, sizeof r->buf); }

static bool split_bytes(Split *s, Reader *r, uintmax_t size, uintmax_t max_files, uintmax_t total) {
    uintmax_t left = 0, opened = 0, done = 0;
    ssize_t n = 0;
    while ((!max_files || done < total) && (n = rd(r)) > 0) {
        const char *p = r->buf;
        size_t len = (size_t)n;
        while (len) {
            bool new_file = !left && !(max_files && opened == max_files);
            if (new_file) {
                opened++;
                left = (max_files && opened == max_files) ? UINTMAX_MAX : size;
            }
            size_t k = left < len ? (size_t)left : len;
            if (!cwrite(s, new_file, p, k)) return false;
            if (left != UINTMAX_MAX) left -= k;
            p += k, len -= k, done += k;
        }
    }
    for (; max_files && opened < max_files; opened++)
        if (!cwrite(s, true, NULL, 0)) return false;
    return n >= 0;
}

static bool split_lines(Split *s, Reader *r) {
    uintmax_t lines = 0;
    bool new_file = true;
    ssize_t n;
    while ((n = rd(r)) > 0) {
        const char *p = r->buf, *end = r->buf + n;
        while (p < end) {
            const char *nl = memchr(p, s->delim, (size_t)(end - p));
            const char *e = nl ? nl + 1 : end;
            if (!cwrite(s, new_file, p, (size_t)(e - p))) return false;
            new_file = false;
            if (nl && ++lines == s->n) lines = 0, new_file = true;
            p = e;
        }
    }
    return n >= 0;
}

/* -C: each file holds whole lines up to n bytes; a longer line is cut at n
 * bytes. Undecided bytes are kept in pend (at most n plus a read). */
static bool split_line_bytes(Split *s, Reader *r) {
    StrBuf pend;
    sb_init(&pend);
    uintmax_t used = 0;
    ssize_t n;
    bool ok = true, eof = false;
    while (ok && !eof) {
        n = rd(r);
        if (n < 0) ok = false;
        if (n <= 0) eof = true;
        else sb_put(&pend, r->buf, (size_t)n);
        size_t off = 0;
        while (ok) {
            size_t avail = pend.len - off;
            uintmax_t window = s->n - used;
            if (avail == 0) break;
            if (avail < window && !eof) {
                /* complete lines fit in the current file */
                const char *last = memrchr(pend.s + off, s->delim, avail);
                if (!last) break;
                size_t k = (size_t)(last - (pend.s + off)) + 1;
                ok = cwrite(s, used == 0, pend.s + off, k);
                used += k, off += k;
                continue;
            }
            if (avail < window) { /* end of input: the rest fits */
                ok = cwrite(s, used == 0, pend.s + off, avail);
                off += avail;
                break;
            }
            const char *last = memrchr(pend.s + off, s->delim, (size_t)window);
            if (last) {
                size_t k = (size_t)(last - (pend.s + off)) + 1;
                ok = cwrite(s, used == 0, pend.s + off, k);
                off += k;
            } else if (used == 0) {
                ok = cwrite(s, true, pend.s + off, (size_t)window);
                off += (size_t)window;
            }
            used = 0;
        }
        memmove(pend.s, pend.s + off, pend.len - off);
        pend.len -= off;
    }
    sb_free(&pend);
    return ok;
}

/* -n l/N and l/K/N: GNU's lines_chunk_split, which starts a new chunk at the
 * first line end at or after each chunk boundary (empty chunks for lines
 * that span several). */
static bool split_chunk_lines(Split *s, Reader *r, uintmax_t file_size) {
    uintmax_t chunk_size = file_size / s->n, chunk_no = 1, n_written = 0;
    intmax_t chunk_end = (intmax_t)chunk_size - 1;
    bool new_file = true, truncated = false;
    UOut so;
    uout_init(&so, s->c, 1);
    ssize_t nr;
    while (n_written < file_size && (nr = rd(r)) > 0) {
        char *bp = r->buf, *eob = r->buf + nr;
        size_t n_read = (size_t)nr;
        while (bp != eob) {
            intmax_t d = chunk_end - (intmax_t)n_written;
            size_t skip = d < 0 ? 0 : (uintmax_t)d < n_read ? (size_t)d : n_read;
            char *out_end = memchr(bp + skip, s->delim, n_read - skip);
            bool next = out_end != NULL;
            out_end = next ? out_end + 1 : eob;
            size_t to_write = (size_t)(out_end - bp);
            if (s->k == chunk_no) uout_put(&so, bp, to_write);
            else if (!s->k && !cwrite(s, new_file, bp, to_write)) return uout_close(&so), false;
            n_written += to_write;
            bp += to_write;
            n_read -= to_write;
            new_file = next;
            while (next || chunk_end <= (intmax_t)n_written - 1) {
                if (!next && bp == eob) {
                    truncated = true;
                    break;
                }
                chunk_no++;
                if (s->k && chunk_no > s->k) return uout_close(&so) == 0;
                chunk_end = chunk_no == s->n ? (intmax_t)file_size - 1 : chunk_end + (intmax_t)chunk_size;
                if (chunk_end <= (intmax_t)n_written - 1) {
                    if (!s->k && !cwrite(s, true, NULL, 0)) return uout_close(&so), false;
                } else {
                    next = false;
                }
            }
        }
    }
    if (truncated) chunk_no++;
    while (!s->k && chunk_no++ <= s->n)
        if (!cwrite(s, true, NULL, 0)) return uout_close(&so), false;
    return uout_close(&so) == 0;
}

/* -n K/N: only bytes [(K-1)*size/N, K*size/N) (to the end for the last). */
static bool extract_chunk_bytes(Split *s, Reader *r, uintmax_t file_size) {
    uintmax_t start = (s->k - 1) * (file_size / s->n);
    uintmax_t end = s->k == s->n ? file_size : s->k * (file_size / s->n);
    uintmax_t pos = 0;
    UOut so;
    uout_init(&so, s->c, 1);
    ssize_t n;
    while (pos < end && (n = rd(r)) > 0) {
        uintmax_t b = pos, e = pos + (uintmax_t)n;
        uintmax_t from = b > start ? b : start, to = e < end ? e : end;
        if (from < to) uout_put(&so, r->buf + (from - b), (size_t)(to - from));
        pos = e;
    }
    return uout_close(&so) == 0;
}

/* -n r/N and r/K/N: lines dealt round robin. */
static bool split_rr(Split *s, Reader *r) {
    size_t nf = s->k ? 0 : (size_t)s->n;
    UcFile **files = xcalloc(nf + 1, sizeof *files);
    char **names = xcalloc(nf + 1, sizeof *names);
    UOut so;
    uout_init(&so, s->c, 1);
    bool ok = true;
    for (size_t i = 0; i < nf && ok; i++) {
        ok = next_name(s);
        if (ok) names[i] = xstrdup(s->name);
    }
    uintmax_t line = 0;
    bool at_start = true;
    ssize_t n;
    while (ok && (n = rd(r)) > 0) {
        const char *p = r->buf, *end = r->buf + n;
        while (p < end && ok) {
            const char *nl = memchr(p, s->delim, (size_t)(end - p));
            const char *e = nl ? nl + 1 : end;
            uintmax_t which = line % s->n;
            if (s->k) {
                if (which == s->k - 1) uout_put(&so, p, (size_t)(e - p));
            } else {
                if (!files[which]) {
                    if (s->verbose) {
                        char *q = u_quote(names[which]);
                        uc_printf(s->c, 1, "creating file %s\n", q);
                        free(q);
                    }
                    files[which] = uc_open(s->c, names[which], "w");
                    if (!files[which]) {
                        u_err_file(s->c, names[which], errno ? errno : EIO);
                        ok = false;
                        break;
                    }
                }
                if (uc_fwrite(files[which], p, (size_t)(e - p)) < 0) ok = false;
            }
            at_start = nl != NULL;
            if (nl) line++;
            p = e;
        }
    }
    (void)at_start;
    for (size_t i = 0; i < nf; i++) {
        if (!files[i] && ok && !s->elide) {
            if (s->verbose) {
                char *q = u_quote(names[i]);
                uc_printf(s->c, 1, "creating file %s\n", q);
                free(q);
            }
            files[i] = uc_open(s->c, names[i], "w");
        }
        if (files[i]) uc_close(files[i]);
        free(names[i]);
    }
    free(files);
    free(names);
    return uout_close(&so) == 0 && ok;
}

/* ---- options ---- */

static bool set_type(Split *s, SplitType t) {
    if (s->type_set) {
        uc_error(s->c, "cannot split in more than one way");
        u_try_help(s->c);
        return false;
    }
    s->type = t;
    s->type_set = true;
    return true;
}

static bool number(Split *s, const char *arg, const char *what, uintmax_t *out) {
    int e = u_parse_size(arg, out);
    if (!e && *out) return true;
    char *q = u_quote(arg);
    if (e == EINVAL)
        uc_error(s->c, "invalid number of %s: %s", what, q);
    else
        uc_error(s->c, "invalid number of %s: %s: %s", what, q, u_strerror(e ? EOVERFLOW : ERANGE));
    free(q);
    return false;
}

static bool parse_chunks(Split *s, const char *arg) {
    const char *p = arg;
    SplitType t = BY_CHUNK_BYTES;
    if (!strncmp(p, "l/", 2)) t = BY_CHUNK_LINES, p += 2;
    else if (!strncmp(p, "r/", 2)) t = BY_RR, p += 2;
    if (!set_type(s, t)) return false;
    const char *slash = strchr(p, '/');
    if (slash) {
        char *kk = xstrndup(p, (size_t)(slash - p));
        bool ok = u_parse_uint(kk, &s->k) && s->k;
        free(kk);
        if (!ok) {
            char *q = u_quote(p);
            uc_error(s->c, "invalid chunk number: %s", q);
            free(q);
            return false;
        }
        p = slash + 1;
    }
    if (!u_parse_uint(p, &s->n) || s->n == 0) {
        char *q = u_quote(p);
        uc_error(s->c, "invalid number of chunks: %s%s", q, *p && u_parse_uint(p, &s->n) ? ": Numerical result out of range" : "");
        free(q);
        return false;
    }
    if (s->k > s->n) {
        char *q = u_quote(arg);
        uc_error(s->c, "invalid chunk number: %s", q);
        free(q);
        return false;
    }
    return true;
}

enum { OPT_ADDSUF = 0x100, OPT_VERBOSE, OPT_FILTER, OPT_NUMSUF, OPT_HEXSUF };

static const UOptLong split_longs[] = {
    {"suffix-length", UO_REQ, 'a'}, {"additional-suffix", UO_REQ, OPT_ADDSUF}, {"bytes", UO_REQ, 'b'},
    {"line-bytes", UO_REQ, 'C'},    {"numeric-suffixes", UO_OPT, OPT_NUMSUF},  {"hex-suffixes", UO_OPT, OPT_HEXSUF},
    {"elide-empty-files", UO_NOARG, 'e'}, {"filter", UO_REQ, OPT_FILTER}, {"lines", UO_REQ, 'l'},
    {"number", UO_REQ, 'n'},        {"separator", UO_REQ, 't'}, {"unbuffered", UO_NOARG, 'u'},
    {"verbose", UO_NOARG, OPT_VERBOSE}, {NULL, 0, 0},
};

static bool set_suffixes(Split *s, const char *alphabet, const char *from) {
    s->alphabet = alphabet;
    if (!from) return true;
    if (!*from || strspn(from, alphabet) != strlen(from)) {
        char *q = u_quote(from);
        uc_error(s->c, "invalid start value for %s suffix: %s", alphabet[10] ? "hexadecimal" : "numerical", q);
        free(q);
        return false;
    }
    while (from[0] == '0' && from[1]) from++;
    s->numeric_start = from;
    return true;
}

static int split_option(Split *s, int k, const char *arg, int *digits_at, int argi) {
    uintmax_t v;
    if (k >= '0' && k <= '9') {
        if (*digits_at < 0 && !set_type(s, BY_LINES)) return 1;
        if (*digits_at != argi) s->n = 0;
        *digits_at = argi;
        s->n = s->n * 10 + (uintmax_t)(k - '0');
        return -1;
    }
    switch (k) {
    case 'a':
        if (!u_parse_uint(arg, &v)) {
            char *q = u_quote(arg);
            uc_error(s->c, "invalid suffix length: %s", q);
            free(q);
            return 1;
        }
        if (v) s->suffix_length = v > 1000 ? 1000 : (size_t)v, s->suffix_auto = false;
        return -1;
    case OPT_ADDSUF:
        if (strchr(arg, '/')) {
            char *q = u_quote(arg);
            uc_error(s->c, "invalid suffix %s, contains directory separator", q);
            free(q);
            u_try_help(s->c);
            return 1;
        }
        s->additional = arg;
        return -1;
    case 'b': return set_type(s, BY_BYTES) && number(s, arg, "bytes", &s->n) ? -1 : 1;
    case 'C': return set_type(s, BY_LINE_BYTES) && number(s, arg, "bytes", &s->n) ? -1 : 1;
    case 'l': return set_type(s, BY_LINES) && number(s, arg, "lines", &s->n) ? -1 : 1;
    case 'n': return parse_chunks(s, arg) ? -1 : 1;
    case 'd': case OPT_NUMSUF: return set_suffixes(s, "0123456789", arg) ? -1 : 1;
    case 'x': case OPT_HEXSUF: return set_suffixes(s, "0123456789abcdef", arg) ? -1 : 1;
    case 'e': s->elide = true; return -1;
    case 'u': return -1;
    case 't':
        if (arg[0] && arg[1] && strcmp(arg, "\\0")) {
            char *q = u_quote(arg);
            uc_error(s->c, "multi-character separator %s", q);
            free(q);
            return 1;
        }
        if (!arg[0]) {
            uc_error(s->c, "empty record separator");
            return 1;
        }
        s->delim = arg[1] ? 0 : (unsigned char)arg[0];
        return -1;
    case OPT_VERBOSE: s->verbose = true; return -1;
    case OPT_FILTER: uc_error(s->c, "--filter is not supported (no processes in wasmsh)"); return 1;
    case UO_HELP: return u_help(s->c, "[OPTION]... [FILE [PREFIX]]");
    case UO_VERSION: return u_version(s->c);
    default: return 1;
    }
}

/* -n: the suffix length the number of chunks needs (GNU's set_suffix_length). */
static bool chunk_suffix_length(Split *s) {
    size_t needed = 0;
    if (s->type == BY_CHUNK_BYTES || s->type == BY_CHUNK_LINES || s->type == BY_RR) {
        uintmax_t end = s->n - 1;
        if (s->numeric_start) {
            uintmax_t start;
            if (u_parse_uint(s->numeric_start, &start) && start < s->n) end += start;
        }
        size_t alen = strlen(s->alphabet);
        do needed++;
        while (end /= alen);
        s->suffix_auto = false;
    }
    if (s->numeric_start) s->suffix_auto = false;
    if (s->suffix_length) {
        if (s->suffix_length < needed) {
            uc_error(s->c, "the suffix length needs to be at least %zu", needed);
            return false;
        }
        return true;
    }
    s->suffix_length = needed > 2 ? needed : 2;
    return true;
}

static int split_run(Split *s) {
    errno = 0;
    UcFile *f = uc_open(s->c, s->input, "r");
    if (!f) {
        u_err_open(s->c, s->input, errno ? errno : ENOENT);
        return 1;
    }
    Reader *r = xmalloc(sizeof *r);
    r->s = s;
    r->f = f;
    bool ok = true;
    uintmax_t size = 0;
    if (s->type == BY_CHUNK_BYTES || s->type == BY_CHUNK_LINES) {
        struct stat st;
        if (uc_fstat(f, &st) != 0 || !S_ISREG(st.st_mode)) {
            char *q = u_quotef(s->input);
            uc_error(s->c, "%s: cannot determine file size", q);
            free(q);
            ok = false;
        } else {
            size = (uintmax_t)st.st_size;
        }
    }
    if (ok) {
        switch (s->type) {
        case BY_LINES: ok = split_lines(s, r); break;
        case BY_BYTES: ok = split_bytes(s, r, s->n, 0, 0); break;
        case BY_LINE_BYTES: ok = split_line_bytes(s, r); break;
        case BY_CHUNK_BYTES:
            ok = s->k ? extract_chunk_bytes(s, r, size) : split_bytes(s, r, size / s->n, s->n, size);
            break;
        case BY_CHUNK_LINES: ok = split_chunk_lines(s, r, size); break;
        case BY_RR: ok = split_rr(s, r); break;
        }
    }
    if (!close_out(s)) ok = false;
    free(r);
    uc_close(f);
    return ok && !s->status ? 0 : 1;
}

int util_split_main(UtilCtx *c, int argc, char **argv) {
    Split s;
    memset(&s, 0, sizeof s);
    s.c = c;
    s.type = BY_LINES;
    s.n = 1000;
    s.delim = '\n';
    s.alphabet = "abcdefghijklmnopqrstuvwxyz";
    s.suffix_auto = true;
    UOpts o;
    uopt_init(&o, c, argc, argv, "0123456789C:a:b:del:n:t:ux", split_longs);
    int k, r = -1, digits_at = -1;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) r = split_option(&s, k, o.arg, &digits_at, o.cluster ? o.i : o.i - 1);
    s.ops = o.ops;
    if (r < 0 && s.ops.n > 2) {
        u_extra_operand(c, s.ops.v[2]);
        r = 1;
    }
    if (r < 0 && s.type == BY_LINES && s.n == 0) {
        uc_error(c, "invalid number of lines: '0': %s", u_strerror(ERANGE));
        r = 1;
    }
    if (r < 0 && !chunk_suffix_length(&s)) r = 1;
    if (r < 0) {
        s.input = s.ops.n ? s.ops.v[0] : "-";
        s.prefix = s.ops.n > 1 ? s.ops.v[1] : "x";
        r = split_run(&s);
    }
    free(s.name);
    free(s.index);
    sl_free(&s.ops);
    return r;
}
