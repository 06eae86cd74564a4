/* rg_json.c - ripgrep 13's --json output (rg_json.h). Messages are printed
 * as serde_json prints ripgrep's structs: fields in declaration order for
 * begin, match, context and end; sorted keys for the summary (ripgrep builds
 * it as a serde_json::Value, whose maps are ordered). */
#include "rg_json.h"

#include "mbchar.h"
#include "rg_multiline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* grep-searcher's DEFAULT_BUFFER_CAPACITY: a mapped file is checked for NUL
 * only this far. */
enum { BINARY_PREFIX = 64 * 1024 };

uint64_t rgj_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* ---------------- values ---------------- */

/* A string as serde_json escapes it. The tree's other JSON writers do not
 * print the same bytes: net's writes a newline as \u000a and jq's escapes
 * DEL, which serde_json leaves as it is. */
static void put_string(StrBuf *b, const char *s, size_t n) {
    static const char hex[] = "0123456789abcdef";
    sb_putc(b, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        const char *esc = ch == '"' ? "\\\"" : ch == '\\' ? "\\\\" : ch == '\n' ? "\\n" : ch == '\t' ? "\\t"
                        : ch == '\r' ? "\\r" : ch == '\b' ? "\\b" : ch == '\f' ? "\\f" : NULL;
        if (esc) {
            sb_puts(b, esc);
        } else if (ch < 0x20) {
            sb_puts(b, "\\u00");
            sb_putc(b, hex[ch >> 4]);
            sb_putc(b, hex[ch & 15]);
        } else {
            sb_putc(b, (char)ch);
        }
    }
    sb_putc(b, '"');
}

/* As Rust's str::from_utf8 decides (no code points past U+10FFFF). */
static bool valid_utf8(const char *s, size_t n) {
    for (size_t i = 0; i < n;) {
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        int k = mb_decode(s + i, n - i, &cp);
        if (k <= 0 || k > 4 || cp > 0x10FFFF) return false;
        i += (size_t)k;
    }
    return true;
}

/* ripgrep's Data: {"text":...} when UTF-8, else {"bytes":base64}. */
static void put_data(StrBuf *b, const char *s, size_t n) {
    if (valid_utf8(s, n)) {
        sb_puts(b, "{\"text\":");
        put_string(b, s, n);
    } else {
        sb_puts(b, "{\"bytes\":\"");
        sb_put_base64(b, s, n);
        sb_putc(b, '"');
    }
    sb_putc(b, '}');
}

/* A Duration; sorted: with the summary's key order. */
static void put_elapsed(StrBuf *b, uint64_t nanos, bool sorted) {
    unsigned long long secs = nanos / 1000000000u, sub = nanos % 1000000000u;
    char human[64];
    snprintf(human, sizeof human, "%.6fs", (double)secs + (double)sub / 1e9);
    if (sorted) sb_printf(b, "{\"human\":\"%s\",\"nanos\":%llu,\"secs\":%llu}", human, sub, secs);
    else sb_printf(b, "{\"secs\":%llu,\"nanos\":%llu,\"human\":\"%s\"}", secs, sub, human);
}

static void put_stats(StrBuf *b, const RgjStats *s) {
    sb_puts(b, "{\"elapsed\":");
    put_elapsed(b, s->nanos, false);
    sb_printf(b, ",\"searches\":%ju,\"searches_with_match\":%ju,\"bytes_searched\":%ju,\"bytes_printed\":%ju,"
                 "\"matched_lines\":%ju,\"matches\":%ju}",
              s->searches, s->searches_with_match, s->bytes_searched, s->bytes_printed, s->matched_lines, s->matches);
}

void rgj_summary(RgJson *j) {
    const RgjStats *s = &j->total;
    StrBuf b;
    sb_init(&b);
    sb_puts(&b, "{\"data\":{\"elapsed_total\":");
    put_elapsed(&b, rgj_now() - j->start, true);
    sb_printf(&b, ",\"stats\":{\"bytes_printed\":%ju,\"bytes_searched\":%ju,\"elapsed\":", s->bytes_printed,
              s->bytes_searched);
    put_elapsed(&b, s->nanos, true);
    sb_printf(&b, ",\"matched_lines\":%ju,\"matches\":%ju,\"searches\":%ju,\"searches_with_match\":%ju}},"
                  "\"type\":\"summary\"}\n",
              s->matched_lines, s->matches, s->searches, s->searches_with_match);
    uout_put(j->out, b.s, b.len);
    sb_free(&b);
}

/* ---------------- one file: ripgrep's JSON sink ---------------- */

typedef struct Sink {
    RgJson *j;
    const RgjFile *f;
    const char *buf;
    size_t n;
    bool begun, quit;
    uintmax_t match_count;
    uintmax_t after_left; /* the sink's own after-context count, which decides when -m stops */
    size_t match_end;     /* where the last matching line ends */
    size_t quit_end;      /* where the line -m stopped at ends */
    bool quit_in_context; /* that line was a context line */
    size_t ml_pos;        /* -U: where the multi-line searcher stopped */
    RgjStats st;
    StrBuf msg;
    RxExec ex;
} Sink;

static bool sink_stop(void *ctx) { return uc_should_stop(ctx); }

/* Writes the message built in s->msg; counted: part of bytes_printed
 * (every message of the file but its end). */
static void sink_write(Sink *s, bool counted) {
    if (counted) s->st.bytes_printed += s->msg.len;
    uout_put(s->j->out, s->msg.s, s->msg.len);
    s->msg.len = 0;
}

static void put_path(Sink *s) {
    sb_puts(&s->msg, "\"path\":");
    put_data(&s->msg, s->f->shown, strlen(s->f->shown));
}

/* begin comes with the file's first line, so files without one print nothing. */
static void sink_begin(Sink *s) {
    if (s->begun) return;
    s->begun = true;
    sb_puts(&s->msg, "{\"type\":\"begin\",\"data\":{");
    put_path(s);
    sb_puts(&s->msg, "}}\n");
    sink_write(s, true);
}

/* The submatches of line (len bytes, then a terminator when term); returns
 * how many. As grep-matcher's find_iter: after an empty match the search
 * moves on a byte and an empty match where the previous match ended is
 * skipped; the printer drops an empty match after the line's last byte
 * (the terminator counts as one). */
static size_t put_submatches(Sink *s, const char *line, size_t len, bool term) {
    sb_puts(&s->msg, "\"submatches\":[");
    RxSpan cap;
    size_t at = 0, count = 0;
    long last_end = -1;
    while (at <= len && rx_search(s->j->re, line, len, at, &s->ex, &cap, 1) == RX_MATCH) {
        size_t so = (size_t)cap.so, eo = (size_t)cap.eo;
        if (so == eo) {
            at = eo + 1;
            if ((long)eo == last_end) continue;
            if (eo == len && !term) break;
        } else {
            at = eo;
        }
        last_end = (long)eo;
        if (count++) sb_putc(&s->msg, ',');
        sb_puts(&s->msg, "{\"match\":");
        put_data(&s->msg, line + so, eo - so);
        sb_printf(&s->msg, ",\"start\":%zu,\"end\":%zu}", so, eo);
    }
    sb_putc(&s->msg, ']');
    return count;
}

/* A match or context message up to its submatches: lines buf[start..+n). */
static void put_head(Sink *s, const char *type, size_t start, size_t n, long lineno) {
    sink_begin(s);
    StrBuf *m = &s->msg;
    sb_printf(m, "{\"type\":\"%s\",\"data\":{", type);
    put_path(s);
    sb_puts(m, ",\"lines\":");
    put_data(m, s->buf + start, n);
    if (s->j->line_numbers) sb_printf(m, ",\"line_number\":%ld", lineno);
    else sb_puts(m, ",\"line_number\":null");
    sb_printf(m, ",\"absolute_offset\":%zu,", start);
}

/* A match or context message for the line at start; find: list its
 * matches (ripgrep looks for them in matching lines, and with -v in
 * context lines). Returns how many there were. */
static size_t sink_line(Sink *s, const char *type, size_t start, size_t len, bool term, long lineno, bool find) {
    StrBuf *m = &s->msg;
    put_head(s, type, start, len + term, lineno);
    size_t k = find ? put_submatches(s, s->buf + start, len, term) : (sb_puts(m, "\"submatches\":[]"), 0);
    sb_puts(m, "}}\n");
    sink_write(s, true);
    return k;
}

/* ripgrep's should_quit: the -m limit reached and its after-context done;
 * end and context: the line just printed. */
static void sink_check_quit(Sink *s, size_t end, bool context) {
    s->quit = s->j->max_count_set && s->match_count >= s->j->max_count && s->after_left == 0;
    s->quit_end = end, s->quit_in_context = context;
}

static void sink_matched(Sink *s, size_t start, size_t len, bool term, long lineno) {
    RgJson *j = s->j;
    s->match_count++;
    /* past the limit, a matching line in the after-context counts down
     * that context instead of starting a new one */
    if (j->max_count_set && s->match_count > j->max_count) s->after_left -= s->after_left > 0;
    else s->after_left = (uintmax_t)j->after;
    s->st.matches += sink_line(s, "match", start, len, term, lineno, !j->invert);
    s->st.matched_lines++;
    s->match_end = start + len + term;
    sink_check_quit(s, s->match_end, false);
}

static void sink_context(Sink *s, size_t start, size_t len, bool term, long lineno, bool after) {
    if (after) s->after_left -= s->after_left > 0;
    sink_line(s, "context", start, len, term, lineno, s->j->invert);
    sink_check_quit(s, start + len + term, true);
}

/* The before-context of the line at pos (number lineno): up to j->before
 * lines after the last one printed. */
static void put_before(Sink *s, size_t pos, long lineno, long last_printed) {
    long want = s->j->before;
    if (want > lineno - 1 - last_printed) want = lineno - 1 - last_printed;
    if (want <= 0) return;
    size_t start = pos;
    for (long k = 0; k < want; k++) {
        start--; /* the terminator of the line before */
        while (start > 0 && s->buf[start - 1] != '\n') start--;
    }
    for (long ln = lineno - want; ln < lineno; ln++) {
        size_t len = (size_t)((const char *)memchr(s->buf + start, '\n', pos - start) - (s->buf + start));
        sink_context(s, start, len, true, ln, false);
        start += len + 1;
    }
}

/* Line by line as grep-searcher goes: before-context, the matching line,
 * after-context (every other line with --passthru), until -m stops it. */
static void sink_search(Sink *s) {
    RgJson *j = s->j;
    long lineno = 0, last_printed = 0, after_window = 0;
    size_t pos = 0;
    while (pos < s->n && !s->quit) {
        if ((lineno & 1023) == 0 && uc_should_stop(j->c)) break;
        const char *nl = memchr(s->buf + pos, '\n', s->n - pos);
        size_t len = nl ? (size_t)(nl - (s->buf + pos)) : s->n - pos;
        lineno++;
        bool hit = rx_search(j->re, s->buf + pos, len, 0, &s->ex, NULL, 0) == RX_MATCH;
        if (hit != j->invert) {
            put_before(s, pos, lineno, last_printed);
            sink_matched(s, pos, len, nl != NULL, lineno);
            last_printed = lineno, after_window = j->after;
        } else if (after_window > 0 || j->passthru) {
            sink_context(s, pos, len, nl != NULL, lineno, after_window > 0);
            after_window -= after_window > 0;
            last_printed = lineno;
        }
        pos += len + (nl != NULL);
    }
}

/* Finds the first line at or after pos that matches the pattern (want) or
 * does not; false when there is none, else *end is where it ends. */
static bool next_line(Sink *s, size_t pos, bool want, size_t *end) {
    while (pos < s->n) {
        const char *nl = memchr(s->buf + pos, '\n', s->n - pos);
        size_t len = nl ? (size_t)(nl - (s->buf + pos)) : s->n - pos;
        bool hit = rx_search(s->j->re, s->buf + pos, len, 0, &s->ex, NULL, 0) == RX_MATCH;
        pos += len + (nl != NULL);
        if (hit == want) {
            *end = pos;
            return true;
        }
    }
    return false;
}

/* Where grep-searcher's position is when -m stops it. It looks for the
 * next line that matches the pattern and moves past it before it reports
 * the lines in between, and reports after-context lazily: so without -v,
 * the end of the last matching line; with -v, the end of the first line
 * matching the pattern after the stopping line (or, when that was a context
 * line, after the next inverted run); --passthru goes line by line. */
static size_t quit_pos(Sink *s) {
    if (s->j->passthru) return s->quit_end;
    if (!s->j->invert) return s->match_end;
    size_t pos = s->quit_end;
    if (s->quit_in_context && !next_line(s, pos, false, &pos)) return s->n;
    return next_line(s, pos, true, &pos) ? pos : s->n;
}

/* bytes_searched as grep-searcher counts it: a mapped file up to its
 * position or the NUL byte before that; a buffered one entirely, or when -m
 * stopped it, up to the start of its buffer (a file is one buffer here, so
 * 0: files past 64 KiB would say more in ripgrep). With -U, mapped or not,
 * where the multi-line searcher stopped, or the NUL byte before that. */
static uintmax_t bytes_searched(Sink *s, long binary_offset) {
    if (!s->f->mapped && !s->j->multiline) return s->quit ? 0 : s->n;
    size_t pos = s->j->multiline ? s->ml_pos : s->quit ? quit_pos(s) : s->n;
    return binary_offset >= 0 && (size_t)binary_offset < pos ? (uintmax_t)binary_offset : pos;
}

static void sink_end(Sink *s, long binary_offset, uint64_t t0) {
    s->st.nanos = rgj_now() - t0;
    s->st.searches = 1;
    s->st.searches_with_match = s->match_count > 0;
    s->st.bytes_searched = bytes_searched(s, binary_offset);
    sb_puts(&s->msg, "{\"type\":\"end\",\"data\":{");
    put_path(s);
    if (binary_offset >= 0) sb_printf(&s->msg, ",\"binary_offset\":%ld", binary_offset);
    else sb_puts(&s->msg, ",\"binary_offset\":null");
    sb_puts(&s->msg, ",\"stats\":");
    put_stats(&s->msg, &s->st);
    sb_puts(&s->msg, "}}\n");
    sink_write(s, false);
    RgjStats *t = &s->j->total;
    t->nanos += s->st.nanos;
    t->searches += s->st.searches, t->searches_with_match += s->st.searches_with_match;
    t->bytes_searched += s->st.bytes_searched, t->bytes_printed += s->st.bytes_printed;
    t->matched_lines += s->st.matched_lines, t->matches += s->st.matches;
}

/* A buffered read replaces every NUL by a line terminator (grep-searcher's
 * BinaryDetection::convert); a mapped file is searched as it is. */
static char *convert_nul(const char *buf, size_t n) {
    char *copy = xmalloc(n);
    for (size_t i = 0; i < n; i++) copy[i] = buf[i] ? buf[i] : '\n';
    return copy;
}

/* ---------------- -U: blocks of the multi-line searcher ---------------- */

/* The submatches grep-printer finds in subj[0..len) from `from` that start
 * before `to`, with offsets from `from`; returns how many. */
static size_t put_found(Sink *s, const char *subj, size_t len, size_t from, size_t to) {
    sb_puts(&s->msg, "\"submatches\":[");
    RgmIter it;
    RxSpan m;
    size_t count = 0;
    rgm_iter_init(&it, s->j->re, &s->ex, subj, len, from);
    while (rgm_iter_next(&it, &m, 1) && (size_t)m.so < to) {
        if (count++) sb_putc(&s->msg, ',');
        sb_puts(&s->msg, "{\"match\":");
        put_data(&s->msg, subj + m.so, (size_t)(m.eo - m.so));
        sb_printf(&s->msg, ",\"start\":%zu,\"end\":%zu}", (size_t)m.so - from, (size_t)m.eo - from);
    }
    sb_putc(&s->msg, ']');
    return count;
}

static bool ml_quit(const Sink *s) {
    return s->j->max_count_set && s->match_count >= s->j->max_count && s->after_left == 0;
}

/* A block of matching lines: its matches are looked for in the file, with
 * a little of what follows the block visible (grep-printer's look-ahead). */
static bool ml_matched(void *ctx, size_t so, size_t eo, long lineno) {
    Sink *s = ctx;
    RgJson *j = s->j;
    s->match_count++;
    if (j->max_count_set && s->match_count > j->max_count) s->after_left -= s->after_left > 0;
    else s->after_left = (uintmax_t)j->after;
    put_head(s, "match", so, eo - so, lineno);
    s->st.matches += put_found(s, s->buf, rgm_context_end(s->n, eo), so, eo);
    sb_puts(&s->msg, "}}\n");
    sink_write(s, true);
    for (size_t p = so; p < eo; s->st.matched_lines++) {
        const char *nl = memchr(s->buf + p, '\n', eo - p);
        p = nl ? (size_t)(nl - s->buf) + 1 : eo;
    }
    return !ml_quit(s);
}

/* A context line; with -v its matches are looked for in the line alone,
 * terminator included. */
static bool ml_context(void *ctx, size_t so, size_t eo, long lineno, char kind) {
    Sink *s = ctx;
    if (kind == 'a') s->after_left -= s->after_left > 0;
    put_head(s, "context", so, eo - so, lineno);
    if (s->j->invert) put_found(s, s->buf + so, eo - so, 0, eo - so);
    else sb_puts(&s->msg, "\"submatches\":[]");
    sb_puts(&s->msg, "}}\n");
    sink_write(s, true);
    return !ml_quit(s);
}

static bool ml_break(void *ctx) {
    (void)ctx;
    return true;
}

/* The whole buffer at once: NUL bytes are not converted, and only the first
 * 64 KiB are looked at for them, mapped or not. */
static bool ml_search(RgJson *j, const RgjFile *f, const char *buf, size_t n) {
    uint64_t t0 = rgj_now();
    const char *nul = f->detect_binary ? memchr(buf, 0, n > BINARY_PREFIX ? BINARY_PREFIX : n) : NULL;
    Sink s = {.j = j, .f = f, .buf = buf, .n = n, .ex = {0, sink_stop, j->c}};
    sb_init(&s.msg);
    RgmConfig cfg = {j->c, j->re, j->invert, j->passthru, j->before, j->after};
    RgmSink sink = {&s, ml_matched, ml_context, ml_break};
    s.ml_pos = rgm_search(&cfg, buf, n, &sink);
    if (s.begun) sink_end(&s, nul ? (long)(nul - buf) : -1, t0);
    sb_free(&s.msg);
    return s.match_count > 0;
}

bool rgj_search(RgJson *j, const RgjFile *f, const char *buf, size_t n) {
    if (j->max_count_set && !j->max_count) return false; /* ripgrep does not search at all */
    if (j->multiline) return ml_search(j, f, buf, n);
    uint64_t t0 = rgj_now();
    const char *nul = NULL;
    if (f->detect_binary) nul = memchr(buf, 0, f->mapped && n > BINARY_PREFIX ? BINARY_PREFIX : n);
    char *copy = nul && !f->mapped ? convert_nul(buf, n) : NULL;
    Sink s = {.j = j, .f = f, .buf = copy ? copy : buf, .n = n, .ex = {0, sink_stop, j->c}};
    sb_init(&s.msg);
    sink_search(&s);
    if (s.begun) sink_end(&s, nul ? (long)(nul - buf) : -1, t0);
    sb_free(&s.msg);
    free(copy);
    return s.match_count > 0;
}
