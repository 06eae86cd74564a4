/* wget.c - GNU Wget over the session's fetch broker: the options agents use
 * and wget 1.21's log (the "--DATE--  URL" lines, -S, the dot progress, the
 * final "saved" line) and exit codes (4 network, 5 TLS, 6 auth, 8 server
 * error, 3 file I/O, 2 usage).
 *
 * Like wget, it never overwrites a download it was not told to: the second
 * `wget URL` saves NAME.1 (-nc: not retrieved), -c continues with a Range
 * request, -O FILE concatenates every URL into FILE. */
#include "net_internal.h"
#include "ucommon.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

enum { W_NETWORK = 4, W_TLS = 5, W_AUTH = 6, W_PROTOCOL = 7, W_SERVER = 8, W_FILE = 3, W_USAGE = 2, W_GENERIC = 1 };

typedef struct Wget {
    UtilCtx *c;
    NetFetchFn *hook;
    bool quiet, no_verbose, server_response, cont, no_clobber, spider, insecure, content_disposition;
    bool retry_connrefused, utf8;
    const char *output, *prefix, *method, *body_data, *body_file, *post_data, *post_file, *user_agent;
    const char *user, *password, *log_file;
    bool log_append;
    double timeout_ms, connect_timeout_ms;
    int tries, max_redirect;
    StrList headers, urls;
    bool output_started;    /* -O FILE: the first URL truncates it, the rest append */
    StrBuf log;             /* everything wget says (stderr or -o FILE) */
} Wget;

static void wlog(Wget *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void wlog(Wget *w, const char *fmt, ...) {
    if (w->quiet) return;
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&w->log, fmt, ap);
    va_end(ap);
}

/* Verbose-only lines (not with -nv). */
static void vlog(Wget *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void vlog(Wget *w, const char *fmt, ...) {
    if (w->quiet || w->no_verbose) return;
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&w->log, fmt, ap);
    va_end(ap);
}

static void flush_log(Wget *w) {
    if (!w->log.len) return;
    if (w->log_file) {
        UcFile *f = uc_open(w->c, w->log_file, w->log_append ? "a" : "w");
        w->log_append = true;
        if (f) {
            uc_fwrite(f, w->log.s, w->log.len);
            uc_close(f);
        }
    } else {
        uc_write(w->c, 2, w->log.s, w->log.len);
    }
    sb_clear(&w->log);
}

static const char *lq(const Wget *w) { return w->utf8 ? "\xe2\x80\x98" : "'"; }
static const char *rq(const Wget *w) { return w->utf8 ? "\xe2\x80\x99" : "'"; }

static void stamp(char out[32]) {
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(out, 32, "%Y-%m-%d %H:%M:%S", &tm);
}

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* ---- URLs and names */

static char *with_scheme(const char *url) {
    if (strstr(url, "://")) return xstrdup(url);
    StrBuf b;
    sb_init(&b);
    sb_printf(&b, "http://%s", url);
    return sb_take(&b);
}

static char *hostport_of(const char *url) {
    const char *p = strstr(url, "://");
    p = p ? p + 3 : url;
    size_t n = strcspn(p, "/?#");
    const char *at = memchr(p, '@', n);
    if (at) {
        n -= (size_t)(at + 1 - p);
        p = at + 1;
    }
    char *hp = xstrndup(p, n);
    /* wget shows the port always */
    if (!strchr(hp[0] == '[' ? strchr(hp, ']') ? strchr(hp, ']') : hp : hp, ':')) {
        StrBuf b;
        sb_init(&b);
        sb_printf(&b, "%s:%d", hp, !strncasecmp(url, "https", 5) ? 443 : 80);
        free(hp);
        return sb_take(&b);
    }
    return hp;
}

static bool is_ip_literal(const char *hostport) {
    if (hostport[0] == '[') return true;
    for (const char *p = hostport; *p && *p != ':'; p++)
        if (!(*p == '.' || (*p >= '0' && *p <= '9'))) return false;
    return true;
}

static char *host_of(const char *hostport) {
    if (hostport[0] == '[') {
        const char *e = strchr(hostport, ']');
        return xstrndup(hostport, e ? (size_t)(e - hostport + 1) : strlen(hostport));
    }
    return xstrndup(hostport, strcspn(hostport, ":"));
}

/* The file name for a URL: its last path segment, else index.html. */
static char *local_name(const char *url) {
    const char *p = strstr(url, "://");
    p = p ? p + 3 : url;
    const char *path = p + strcspn(p, "/?#");
    if (*path != '/') return xstrdup("index.html");
    const char *end = path + strcspn(path, "?#");
    const char *last = end;
    while (last > path && last[-1] != '/') last--;
    if (last == end) return xstrdup("index.html");
    return xstrndup(last, (size_t)(end - last));
}

static char *disposition_name(const NetHop *h) {
    const char *cd = net_header(h, "content-disposition");
    const char *f = cd ? strcasestr(cd, "filename=") : NULL;
    if (!f) return NULL;
    f += 9;
    bool quoted = *f == '"';
    if (quoted) f++;
    char *name = xstrndup(f, quoted ? strcspn(f, "\"") : strcspn(f, "; \t"));
    const char *base = strrchr(name, '/');
    char *out = xstrdup(base ? base + 1 : name);
    free(name);
    if (!*out || !strcmp(out, ".") || !strcmp(out, "..")) {
        free(out);
        return NULL;
    }
    return out;
}

static bool exists(const char *path) {
    struct stat st;
    return stat(path, &st) == 0;
}

static char *in_prefix(const Wget *w, const char *name) {
    if (!w->prefix) return xstrdup(name);
    StrBuf b;
    sb_init(&b);
    sb_printf(&b, "%s/%s", w->prefix, name);
    return sb_take(&b);
}

/* NAME, or NAME.1, NAME.2, ... when it exists (wget never clobbers). */
static char *unique_name(const char *path) {
    if (!exists(path)) return xstrdup(path);
    for (int i = 1; i < 100000; i++) {
        StrBuf b;
        sb_init(&b);
        sb_printf(&b, "%s.%d", path, i);
        if (!exists(sb_cstr(&b))) return sb_take(&b);
        sb_free(&b);
    }
    return xstrdup(path);
}

static int make_dirs(const char *dir) {
    char *p = xstrdup(dir);
    for (char *s = p + 1;; s++) {
        if (*s == '/' || !*s) {
            char save = *s;
            *s = 0;
            if (mkdir(p, 0777) != 0 && errno != EEXIST) {
                free(p);
                return -1;
            }
            *s = save;
            if (!save) break;
        }
    }
    free(p);
    return 0;
}

/* ---- sizes and rates as wget prints them */

static void human_size(StrBuf *b, double n) {
    static const char units[] = "KMGT";
    double v = n;
    int u = -1;
    while (v >= 1024 && u < 3) {
        v /= 1024;
        u++;
    }
    if (u < 0) return;
    sb_printf(b, " (%.*f%c)", v >= 10 ? 0 : 1, v, units[u]);
}

static void rate(double bytes, double ms, double *value, int *unit) {
    double secs = ms > 0 ? ms / 1000.0 : 0.001;
    double r = bytes / secs;
    int u = 0;
    while (r >= 1024 && u < 3) {
        r /= 1024;
        u++;
    }
    *value = r;
    *unit = u;
}

static int precision(double v) { return v >= 99.95 ? 0 : v >= 9.995 ? 1 : 2; }

static void human_time(StrBuf *b, double ms) {
    double s = ms / 1000.0;
    if (s < 0.05) sb_puts(b, "0s");
    else if (s < 10) sb_printf(b, "%.1fs", s);
    else if (s < 60) sb_printf(b, "%.0fs", s);
    else sb_printf(b, "%dm%ds", (int)(s / 60), (int)fmod(s, 60));
}

/* The dot progress: one dot per KiB, 10 to a group, 50 to a line. */
static void dots(Wget *w, size_t start, size_t n, size_t total, double ms) {
    if (w->quiet || w->no_verbose) return;
    static const char short_units[] = "BKMG";
    const size_t line = 50 * 1024;
    size_t done = 0;
    StrBuf *b = &w->log;
    double v;
    int u;
    rate((double)n, ms, &v, &u);
    sb_putc(b, '\n');
    for (size_t row = start / line * line;; row += line) {
        sb_printf(b, "%6zuK", row / 1024);
        size_t in_row = start + n > row ? start + n - row : 0;
        size_t ndots = in_row >= line ? 50 : in_row / 1024;
        for (size_t i = 0; i < 50; i++) {
            if (i % 10 == 0) sb_putc(b, ' ');
            sb_putc(b, i < ndots ? '.' : ' ');
        }
        done = row + line;
        bool last = done >= start + n;
        if (total) sb_printf(b, "%3d%%", (int)((last ? start + n : done) * 100 / total));
        sb_printf(b, " %4.*f%c", precision(v), v, short_units[u]);
        if (last) {
            sb_putc(b, '=');
            human_time(b, ms);
            sb_puts(b, "\n\n");
            break;
        }
        sb_putc(b, '\n');
    }
}

/* ---- one URL */

static void add_header_line(NetRequest *rq, const char *line) {
    const char *colon = strchr(line, ':');
    if (!colon) return;
    const char *v = colon + 1;
    while (*v == ' ' || *v == '\t') v++;
    long at = -1;
    for (size_t i = 0; i < rq->headers.names.n; i++)
        if (strlen(rq->headers.names.v[i]) == (size_t)(colon - line) &&
            !strncasecmp(rq->headers.names.v[i], line, (size_t)(colon - line))) at = (long)i;
    if (at >= 0) {
        free(rq->headers.values.v[at]);
        rq->headers.values.v[at] = xstrdup(v);
    } else {
        net_headers_add(&rq->headers, line, (size_t)(colon - line), v);
    }
}

static bool read_file(Wget *w, const char *path, StrBuf *out) {
    UcFile *f = uc_open(w->c, path, "r");
    if (!f) return false;
    char buf[8192];
    ssize_t n;
    while ((n = uc_fread(f, buf, sizeof buf)) > 0) sb_put(out, buf, (size_t)n);
    uc_close(f);
    return n == 0;
}

typedef struct Job {
    char *url;
    NetRequest rq;
    StrBuf body;
    char *dest;            /* NULL: -O - */
    size_t have;           /* -c: bytes already there */
} Job;

static int build(Wget *w, Job *j) {
    net_request_init(&j->rq);
    sb_init(&j->body);
    j->rq.url = j->url;
    j->rq.follow = true;
    j->rq.max_redirects = w->max_redirect;
    j->rq.timeout_ms = w->timeout_ms;
    j->rq.connect_timeout_ms = w->connect_timeout_ms;
    j->rq.insecure = w->insecure;
    const char *data = w->post_data ? w->post_data : w->body_data;
    const char *file = w->post_file ? w->post_file : w->body_file;
    if (data) {
        sb_puts(&j->body, data);
    } else if (file && !read_file(w, file, &j->body)) {
        uc_printf(w->c, 2, "wget: %s: %s\n", file, strerror(errno));
        return W_FILE;
    }
    if (data || file) {
        j->rq.has_body = true;
        j->rq.body = j->body.s ? j->body.s : "";
        j->rq.body_len = j->body.len;
    }
    j->rq.method = w->method ? w->method : (data || file) ? "POST" : w->spider ? "HEAD" : "GET";
    net_headers_add(&j->rq.headers, "User-Agent", 10, w->user_agent ? w->user_agent : "Wget/1.21.3");
    net_headers_add(&j->rq.headers, "Accept", 6, "*/*");
    net_headers_add(&j->rq.headers, "Accept-Encoding", 15, "identity");
    if (w->user) {
        StrBuf cred, h;
        sb_init(&cred);
        sb_init(&h);
        sb_printf(&cred, "%s:%s", w->user, w->password ? w->password : "");
        sb_puts(&h, "Basic ");
        sb_put_base64(&h, cred.s, cred.len);
        net_headers_add(&j->rq.headers, "Authorization", 13, sb_cstr(&h));
        sb_free(&cred);
        sb_free(&h);
    }
    if (j->rq.has_body) net_headers_add(&j->rq.headers, "Content-Type", 12, "application/x-www-form-urlencoded");
    if (j->have) {
        char r[48];
        snprintf(r, sizeof r, "bytes=%zu-", j->have);
        net_headers_add(&j->rq.headers, "Range", 5, r);
    }
    for (size_t i = 0; i < w->headers.n; i++) add_header_line(&j->rq, w->headers.v[i]);
    return 0;
}

static void log_response(Wget *w, const NetHop *h) {
    if (w->server_response) {
        vlog(w, "HTTP request sent, awaiting response... \n");
        if (!w->quiet) {
            sb_printf(&w->log, "  HTTP/%s %d %s\n", h->http_version, h->status, h->status_text);
            for (size_t i = 0; i < h->headers.names.n; i++)
                sb_printf(&w->log, "  %s: %s\n", h->headers.names.v[i], h->headers.values.v[i]);
        }
    } else {
        vlog(w, "HTTP request sent, awaiting response... %d %s\n", h->status,
             *h->status_text ? h->status_text : net_reason_phrase(h->status));
    }
}

static void log_connect(Wget *w, const char *url, const char *prev_hostport) {
    char *hp = hostport_of(url);
    char *host = host_of(hp);
    if (prev_hostport && !strcmp(prev_hostport, hp)) {
        vlog(w, "Reusing existing connection to %s.\n", hp);
    } else if (is_ip_literal(hp)) {
        vlog(w, "Connecting to %s... connected.\n", hp);
    } else {
        vlog(w, "Resolving %s (%s)... ok\nConnecting to %s (%s)|%s|... connected.\n", host, host, host, host, hp);
    }
    free(hp);
    free(host);
}

/* The log of the redirects followed, and of the connection to the last URL
 * (not for a failure: that says how the connection failed). */
static void log_hops(Wget *w, const char *url, const NetResult *r, bool connect_last) {
    char *prev = NULL;
    const char *cur = url;
    for (size_t i = 0; i < r->nhops; i++) {
        log_connect(w, cur, prev);
        log_response(w, &r->hops[i]);
        const char *loc = net_header(&r->hops[i], "location");
        vlog(w, "Location: %s [following]\n", loc ? loc : "");
        free(prev);
        prev = hostport_of(cur);
        cur = i + 1 < r->nhops ? r->hops[i + 1].url : r->last.url && *r->last.url ? r->last.url : url;
        char ts[32];
        stamp(ts);
        vlog(w, "--%s--  %s\n", ts, cur);
    }
    if (connect_last) log_connect(w, cur, prev);
    free(prev);
}

static int network_failure(Wget *w, const char *url, const NetResult *r) {
    char *hp = hostport_of(url);
    char *host = host_of(hp);
    const char *kind = r->kind ? r->kind : "failed";
    int code = W_NETWORK;
    if (!strcmp(kind, "resolve")) {
        vlog(w, "Resolving %s (%s)... failed: Name or service not known.\n", host, host);
        wlog(w, "wget: unable to resolve host address %s%s%s\n", lq(w), host, rq(w));
    } else if (!strcmp(kind, "connect")) {
        vlog(w, "Connecting to %s... failed: Connection refused.\n", hp);
    } else if (!strcmp(kind, "timeout")) {
        if (r->connected) vlog(w, "HTTP request sent, awaiting response... Read error (Connection timed out) in headers.\n");
        else vlog(w, "Connecting to %s... failed: Connection timed out.\n", hp);
    } else if (!strcmp(kind, "tls_cert") || !strcmp(kind, "tls")) {
        code = W_TLS;
        wlog(w, "ERROR: cannot verify %s's certificate: %s\nTo connect to %s insecurely, use `--no-check-certificate'.\n",
             host, r->message, host);
    } else if (!strcmp(kind, "redirects")) {
        code = W_SERVER;
        wlog(w, "%d redirections exceeded.\n", r->max);
    } else if (!strcmp(kind, "bad_url") || !strcmp(kind, "protocol")) {
        code = W_GENERIC;
        wlog(w, "%s: %s\n", url, !strcmp(kind, "protocol") ? "Unsupported scheme." : "Invalid URL.");
    } else if (!strcmp(kind, "empty") || !strcmp(kind, "recv")) {
        vlog(w, "HTTP request sent, awaiting response... No data received.\n");
    } else {
        /* denied, limits, ...: the broker's message says which rule */
        const char *m = r->message;
        const char *sep = !strncmp(m, "fetch ", 6) ? strstr(m, ": ") : NULL;
        vlog(w, "Connecting to %s... failed: %s.\n", hp, sep ? sep + 2 : m);
        if (w->no_verbose) wlog(w, "wget: %s\n", m);
    }
    free(hp);
    free(host);
    return code;
}

static bool retryable(const Wget *w, const NetResult *r) {
    if (!r->kind) return false;
    return !strcmp(r->kind, "timeout") || !strcmp(r->kind, "recv") || !strcmp(r->kind, "empty") ||
           (!strcmp(r->kind, "connect") && w->retry_connrefused);
}

static int save(Wget *w, Job *j, const NetResult *r, double ms) {
    const NetHop *h = &r->last;
    const char *ct = net_header(h, "content-type");
    const char *cl = net_header(h, "content-length");
    bool partial = h->status == 206 && j->have;
    size_t total = cl ? (size_t)strtoull(cl, NULL, 10) + (partial ? j->have : 0) : 0;
    StrBuf len;
    sb_init(&len);
    if (cl) {
        sb_printf(&len, "Length: %zu", total);
        human_size(&len, (double)total);
        if (partial) {
            sb_printf(&len, ", %zu", total - j->have);
            human_size(&len, (double)(total - j->have));
            sb_puts(&len, " remaining");
        }
    } else {
        sb_puts(&len, "Length: unspecified");
    }
    if (ct) sb_printf(&len, " [%s]", ct);
    vlog(w, "%s\n", sb_cstr(&len));
    sb_free(&len);
    if (w->spider) {
        vlog(w, "Remote file exists.\n\n");
        return 0;
    }
    const char *dest = j->dest;
    vlog(w, "Saving to: %s%s%s\n", lq(w), dest ? dest : "STDOUT", rq(w));
    int rc = 0;
    if (!dest) {
        rc = uc_write(w->c, 1, r->body, r->body_len);
    } else {
        bool append = partial || (w->output && w->output_started);
        UcFile *f = uc_open(w->c, dest, append ? "a" : "w");
        if (!f) {
            wlog(w, "%s: %s\n", dest, strerror(errno));
            return W_FILE;
        }
        rc = uc_fwrite(f, r->body, r->body_len);
        if (uc_close(f) != 0) rc = -1;
        if (w->output) w->output_started = true;
    }
    if (rc != 0 && errno != EPIPE) {
        wlog(w, "Cannot write to %s%s%s (%s).\n", lq(w), dest ? dest : "STDOUT", rq(w), strerror(errno));
        return W_FILE;
    }
    dots(w, partial ? j->have : 0, r->body_len, total, ms);
    char ts[32];
    stamp(ts);
    double v;
    int u;
    static const char *const units[] = {"B/s", "KB/s", "MB/s", "GB/s"};
    rate((double)r->body_len, ms, &v, &u);
    size_t got = (partial ? j->have : 0) + r->body_len;
    StrBuf size;
    sb_init(&size);
    if (cl) sb_printf(&size, "[%zu/%zu]", got, total);
    else sb_printf(&size, "[%zu]", got);
    if (w->no_verbose && !w->quiet) {
        sb_printf(&w->log, "%s URL:%s %s -> \"%s\" [1]\n", ts, h->url, sb_cstr(&size), dest ? dest : "-");
    } else if (dest) {
        vlog(w, "%s (%.*f %s) - %s%s%s saved %s\n\n", ts, precision(v), v, units[u], lq(w), dest, rq(w), sb_cstr(&size));
    } else {
        vlog(w, "%s (%.*f %s) - written to stdout %s\n\n", ts, precision(v), v, units[u], sb_cstr(&size));
    }
    sb_free(&size);
    return 0;
}

/* Where a URL goes: -O, or a fresh name in -P's directory; NULL with *skip for -nc. */
static int destination(Wget *w, Job *j, bool *skip) {
    *skip = false;
    if (w->output) {
        j->dest = strcmp(w->output, "-") ? xstrdup(w->output) : NULL;
        return 0;
    }
    if (w->prefix && make_dirs(w->prefix) != 0) {
        wlog(w, "Cannot create directory %s%s%s (%s).\n", lq(w), w->prefix, rq(w), strerror(errno));
        return W_FILE;
    }
    char *name = local_name(j->url);
    char *path = in_prefix(w, name);
    free(name);
    struct stat st;
    if (w->cont && stat(path, &st) == 0) {
        j->have = (size_t)st.st_size;
        j->dest = path;
    } else if (w->no_clobber && exists(path)) {
        wlog(w, "File %s%s%s already there; not retrieving.\n\n", lq(w), path, rq(w));
        free(path);
        *skip = true;
    } else {
        j->dest = w->spider ? path : unique_name(path);
        if (!w->spider) free(path);
    }
    return 0;
}

static int status_failure(Wget *w, const NetHop *h) {
    char ts[32];
    stamp(ts);
    if (h->status == 401) {
        wlog(w, "Username/Password Authentication Failed.\n");
        return W_AUTH;
    }
    if (h->status == 416) {
        vlog(w, "\n    The file is already fully retrieved; nothing to do.\n\n");
        return 0;
    }
    wlog(w, "%s ERROR %d: %s.\n\n", ts, h->status, *h->status_text ? h->status_text : net_reason_phrase(h->status));
    return W_SERVER;
}

static int fetch_one(Wget *w, const char *url_arg) {
    Job j;
    memset(&j, 0, sizeof j);
    j.url = with_scheme(url_arg);
    bool skip;
    int rc = destination(w, &j, &skip);
    if (!rc && !skip) rc = build(w, &j);
    if (rc || skip) goto out;
    for (int attempt = 1;; attempt++) {
        char ts[32];
        stamp(ts);
        if (attempt > 1) vlog(w, "--%s--  (try:%2d)  %s\n", ts, attempt, j.url);
        else vlog(w, "--%s--  %s\n", ts, j.url);
        NetResult r;
        double t0 = now_ms();
        int frc = net_fetch(w->hook, &j.rq, &r);
        double ms = now_ms() - t0;
        if (frc != 0) {
            if (r.nhops) log_hops(w, j.url, &r, false);
            rc = network_failure(w, r.last.url && *r.last.url ? r.last.url : j.url, &r);
            bool again = retryable(w, &r) && (w->tries == 0 || attempt < w->tries) && !uc_should_stop(w->c);
            if (retryable(w, &r)) vlog(w, again ? "Retrying.\n\n" : "Giving up.\n\n");
            net_result_free(&r);
            flush_log(w);
            if (again) continue;
            break;
        }
        log_hops(w, j.url, &r, true);
        log_response(w, &r.last);
        if (!j.dest && !w->output) j.dest = NULL;
        if (w->content_disposition && !w->output) {
            char *cd = disposition_name(&r.last);
            if (cd) {
                char *p = in_prefix(w, cd);
                free(j.dest);
                j.dest = unique_name(p);
                free(p);
                free(cd);
            }
        }
        rc = r.last.status >= 400 ? status_failure(w, &r.last) : save(w, &j, &r, ms);
        net_result_free(&r);
        break;
    }
out:
    flush_log(w);
    net_request_free(&j.rq);
    sb_free(&j.body);
    free(j.dest);
    free(j.url);
    return rc;
}

/* ---- the command line (GNU getopt_long rules, wget's messages) */

enum {
    WO_OUTPUT = 1, WO_QUIET, WO_NV, WO_VERBOSE, WO_SERVER, WO_HEADER, WO_POST_DATA, WO_POST_FILE, WO_METHOD,
    WO_BODY_DATA, WO_BODY_FILE, WO_CONTINUE, WO_PREFIX, WO_TIMEOUT, WO_CONNECT_TIMEOUT, WO_READ_TIMEOUT, WO_TRIES,
    WO_UA, WO_USER, WO_PASSWORD, WO_NO_CHECK, WO_MAX_REDIRECT, WO_NC, WO_SPIDER, WO_CD, WO_LOG, WO_APPEND_LOG,
    WO_INPUT, WO_RETRY_CONNREFUSED, WO_IGNORED, WO_IGNORED_ARG, WO_HELP, WO_VERSION,
};

typedef struct WgetOpt {
    const char *name;
    char short_name;
    bool arg;
    int id;
} WgetOpt;

static const WgetOpt WOPTS[] = {
    {"output-document", 'O', true, WO_OUTPUT}, {"quiet", 'q', false, WO_QUIET}, {"no-verbose", 0, false, WO_NV},
    {"verbose", 'v', false, WO_VERBOSE}, {"server-response", 'S', false, WO_SERVER}, {"header", 0, true, WO_HEADER},
    {"post-data", 0, true, WO_POST_DATA}, {"post-file", 0, true, WO_POST_FILE}, {"method", 0, true, WO_METHOD},
    {"body-data", 0, true, WO_BODY_DATA}, {"body-file", 0, true, WO_BODY_FILE}, {"continue", 'c', false, WO_CONTINUE},
    {"directory-prefix", 'P', true, WO_PREFIX}, {"timeout", 'T', true, WO_TIMEOUT},
    {"connect-timeout", 0, true, WO_CONNECT_TIMEOUT}, {"read-timeout", 0, true, WO_READ_TIMEOUT},
    {"dns-timeout", 0, true, WO_IGNORED_ARG}, {"tries", 't', true, WO_TRIES}, {"user-agent", 'U', true, WO_UA},
    {"user", 0, true, WO_USER}, {"http-user", 0, true, WO_USER}, {"password", 0, true, WO_PASSWORD},
    {"http-password", 0, true, WO_PASSWORD}, {"no-check-certificate", 0, false, WO_NO_CHECK},
    {"max-redirect", 0, true, WO_MAX_REDIRECT}, {"no-clobber", 0, false, WO_NC}, {"spider", 0, false, WO_SPIDER},
    {"content-disposition", 0, false, WO_CD}, {"output-file", 'o', true, WO_LOG}, {"append-output", 'a', true, WO_APPEND_LOG},
    {"input-file", 'i', true, WO_INPUT}, {"retry-connrefused", 0, false, WO_RETRY_CONNREFUSED},
    {"waitretry", 0, true, WO_IGNORED_ARG}, {"wait", 'w', true, WO_IGNORED_ARG}, {"no-cache", 0, false, WO_IGNORED},
    {"no-dns-cache", 0, false, WO_IGNORED}, {"inet4-only", '4', false, WO_IGNORED}, {"inet6-only", '6', false, WO_IGNORED},
    {"progress", 0, true, WO_IGNORED_ARG}, {"show-progress", 0, false, WO_IGNORED}, {"no-hsts", 0, false, WO_IGNORED},
    {"compression", 0, true, WO_IGNORED_ARG}, {"help", 'h', false, WO_HELP}, {"version", 'V', false, WO_VERSION},
};

static const char WGET_TRY[] = "Usage: wget [OPTION]... [URL]...\n\nTry `wget --help' for more options.\n";

static const char WGET_HELP[] =
    "GNU Wget 1.21.3, a non-interactive network retriever.\n"
    "Usage: wget [OPTION]... [URL]...\n\n"
    "Mandatory arguments to long options are mandatory for short options too.\n\n"
    "  -V,  --version                   display the version of Wget and exit\n"
    "  -h,  --help                      print this help\n"
    "  -o,  --output-file=FILE          log messages to FILE\n"
    "  -a,  --append-output=FILE        append messages to FILE\n"
    "  -q,  --quiet                     quiet (no output)\n"
    "  -nv, --no-verbose                turn off verboseness, without being quiet\n"
    "  -i,  --input-file=FILE           download URLs found in local or external FILE\n"
    "  -t,  --tries=NUMBER              set number of retries to NUMBER (0 unlimits)\n"
    "  -O,  --output-document=FILE      write documents to FILE\n"
    "  -nc, --no-clobber                skip downloads that would download to existing files\n"
    "  -c,  --continue                  resume getting a partially-downloaded file\n"
    "  -S,  --server-response           print server response\n"
    "       --spider                    don't download anything\n"
    "  -T,  --timeout=SECONDS           set all timeout values to SECONDS\n"
    "  -P,  --directory-prefix=PREFIX   save files to PREFIX/..\n"
    "       --user=USER                 set both ftp and http user to USER\n"
    "       --password=PASS             set both ftp and http password to PASS\n"
    "       --header=STRING             insert STRING among the headers\n"
    "       --max-redirect              maximum redirections allowed per page\n"
    "  -U,  --user-agent=AGENT          identify as AGENT instead of Wget/VERSION\n"
    "       --post-data=STRING          use the POST method; send STRING as the data\n"
    "       --post-file=FILE            use the POST method; send contents of FILE\n"
    "       --method=HTTPMethod         use method \"HTTPMethod\" in the request\n"
    "       --body-data=STRING          send STRING as data. --method MUST be set\n"
    "       --body-file=FILE            send contents of FILE. --method MUST be set\n"
    "       --content-disposition       honor the Content-Disposition header when\n"
    "                                     choosing local file names\n"
    "       --no-check-certificate      don't validate the server's certificate\n"
    "\nwasmsh: every request goes through the session's fetch broker (allowedHosts).\n";

static bool seconds(const char *s, double *ms) {
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end || !(v >= 0) || !isfinite(v)) return false;
    *ms = v * 1000.0;
    return true;
}

static int bad_number(Wget *w, const char *name, const char *v) {
    uc_printf(w->c, 2, "wget: --%s: Invalid time period %s%s%s\n", name, lq(w), v, rq(w));
    return W_USAGE;
}

static void read_input_file(Wget *w, const char *path) {
    StrBuf f;
    sb_init(&f);
    if (!read_file(w, path, &f)) uc_printf(w->c, 2, "%s: %s\nNo URLs found in %s.\n", path, strerror(errno), path);
    const char *p = sb_cstr(&f);
    while (*p) {
        p += strspn(p, " \t\r\n");
        size_t n = strcspn(p, " \t\r\n");
        if (n) sl_push(&w->urls, xstrndup(p, n));
        p += n;
    }
    sb_free(&f);
}

static int wset(Wget *w, const WgetOpt *o, const char *arg) {
    switch (o->id) {
    case WO_OUTPUT: w->output = arg; break;
    case WO_QUIET: w->quiet = true; break;
    case WO_NV: w->no_verbose = true; break;
    case WO_VERBOSE: w->no_verbose = false; break;
    case WO_SERVER: w->server_response = true; break;
    case WO_HEADER: sl_push_copy(&w->headers, arg); break;
    case WO_POST_DATA: w->post_data = arg; break;
    case WO_POST_FILE: w->post_file = arg; break;
    case WO_METHOD: w->method = arg; break;
    case WO_BODY_DATA: w->body_data = arg; break;
    case WO_BODY_FILE: w->body_file = arg; break;
    case WO_CONTINUE: w->cont = true; break;
    case WO_PREFIX: w->prefix = arg; break;
    case WO_TIMEOUT: case WO_READ_TIMEOUT:
        if (!seconds(arg, &w->timeout_ms)) return bad_number(w, o->name, arg);
        if (o->id == WO_TIMEOUT) w->connect_timeout_ms = w->timeout_ms;
        break;
    case WO_CONNECT_TIMEOUT:
        if (!seconds(arg, &w->connect_timeout_ms)) return bad_number(w, o->name, arg);
        break;
    case WO_TRIES: {
        char *end;
        long v = strtol(arg, &end, 10);
        if (!strcasecmp(arg, "inf")) v = 0;
        else if (end == arg || *end || v < 0) {
            uc_printf(w->c, 2, "wget: --tries: Invalid number %s%s%s.\n", lq(w), arg, rq(w));
            return W_USAGE;
        }
        w->tries = (int)v;
        break;
    }
    case WO_UA: w->user_agent = arg; break;
    case WO_USER: w->user = arg; break;
    case WO_PASSWORD: w->password = arg; break;
    case WO_NO_CHECK: w->insecure = true; break;
    case WO_MAX_REDIRECT: w->max_redirect = atoi(arg); break;
    case WO_NC: w->no_clobber = true; break;
    case WO_SPIDER: w->spider = true; break;
    case WO_CD: w->content_disposition = true; break;
    case WO_LOG: w->log_file = arg; w->log_append = false; break;
    case WO_APPEND_LOG: w->log_file = arg; w->log_append = true; break;
    case WO_INPUT: read_input_file(w, arg); break;
    case WO_RETRY_CONNREFUSED: w->retry_connrefused = true; break;
    case WO_HELP: uc_puts(w->c, 1, WGET_HELP); return -1;
    case WO_VERSION: uc_puts(w->c, 1, "GNU Wget 1.21.3 built on wasmsh (over the session's fetch broker).\n"); return -1;
    default: break;
    }
    return 0;
}

static int wget_long(Wget *w, int argc, char **argv, int *i) {
    const char *a = argv[*i] + 2;
    size_t n = strcspn(a, "=");
    const WgetOpt *o = NULL;
    int matches = 0;
    for (size_t k = 0; k < sizeof WOPTS / sizeof WOPTS[0]; k++) {
        if (strncmp(WOPTS[k].name, a, n)) continue;
        if (strlen(WOPTS[k].name) == n) {
            o = &WOPTS[k];
            matches = 1;
            break;
        }
        o = &WOPTS[k];
        matches++;
    }
    if (matches != 1) {
        uc_printf(w->c, 2, matches ? "wget: option '%s' is ambiguous\n" : "wget: unrecognized option '%s'\n", argv[*i]);
        uc_puts(w->c, 2, WGET_TRY);
        return W_USAGE;
    }
    const char *arg = a[n] == '=' ? a + n + 1 : NULL;
    if (o->arg && !arg) {
        if (*i + 1 >= argc) {
            uc_printf(w->c, 2, "wget: option '--%s' requires an argument\n%s", o->name, WGET_TRY);
            return W_USAGE;
        }
        arg = argv[++*i];
    } else if (!o->arg && arg) {
        uc_printf(w->c, 2, "wget: option '--%s' doesn't allow an argument\n%s", o->name, WGET_TRY);
        return W_USAGE;
    }
    return wset(w, o, arg);
}

static int wget_short(Wget *w, int argc, char **argv, int *i) {
    const char *a = argv[*i];
    if (!strcmp(a, "-nv")) return wset(w, &(WgetOpt){"no-verbose", 0, false, WO_NV}, NULL);
    if (!strcmp(a, "-nc")) return wset(w, &(WgetOpt){"no-clobber", 0, false, WO_NC}, NULL);
    if (!strcmp(a, "-nH") || !strcmp(a, "-nd")) return 0;
    for (const char *p = a + 1; *p; p++) {
        const WgetOpt *o = NULL;
        for (size_t k = 0; k < sizeof WOPTS / sizeof WOPTS[0]; k++)
            if (WOPTS[k].short_name == *p) o = &WOPTS[k];
        if (!o) {
            uc_printf(w->c, 2, "wget: invalid option -- '%c'\n%s", *p, WGET_TRY);
            return W_USAGE;
        }
        if (!o->arg) {
            int rc = wset(w, o, NULL);
            if (rc) return rc;
            continue;
        }
        const char *arg = p[1] ? p + 1 : NULL;
        if (!arg) {
            if (*i + 1 >= argc) {
                uc_printf(w->c, 2, "wget: option requires an argument -- '%c'\n%s", *p, WGET_TRY);
                return W_USAGE;
            }
            arg = argv[++*i];
        }
        return wset(w, o, arg);
    }
    return 0;
}

static int wget_parse(Wget *w, int argc, char **argv) {
    bool only_urls = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int rc = 0;
        if (only_urls || a[0] != '-' || !a[1]) sl_push_copy(&w->urls, a);
        else if (!strcmp(a, "--")) only_urls = true;
        else if (a[1] == '-') rc = wget_long(w, argc, argv, &i);
        else rc = wget_short(w, argc, argv, &i);
        if (rc) return rc;
    }
    return 0;
}

/* wget's exit status over several URLs: the lowest code but 0 and 1 wins. */
static int combine(int a, int b) {
    if (!a) return b;
    if (!b) return a;
    if (a == W_GENERIC) return b;
    if (b == W_GENERIC) return a;
    return a < b ? a : b;
}

static int wget_main(UtilCtx *c, int argc, char **argv) {
    Wget w;
    memset(&w, 0, sizeof w);
    w.c = c;
    w.hook = uc_command_data(c);
    w.tries = 20;
    w.max_redirect = 20;
    w.utf8 = u_locale_utf8(c);
    sb_init(&w.log);
    int status = wget_parse(&w, argc, argv);
    if (status < 0) {
        status = 0;
    } else if (!status && !w.urls.n) {
        uc_printf(c, 2, "wget: missing URL\n%s", WGET_TRY);
        status = W_GENERIC;
    } else if (!status) {
        for (size_t i = 0; i < w.urls.n && !uc_should_stop(c); i++) status = combine(status, fetch_one(&w, w.urls.v[i]));
        uc_should_stop(c); /* a fetch may have used up the run's time: let the shell see it now */
    }
    sl_free(&w.headers);
    sl_free(&w.urls);
    sb_free(&w.log);
    return status;
}

/* ---- registration */

int curl_main(UtilCtx *c, int argc, char **argv);

static const UtilDef NET_COMMANDS[] = {
    {"curl", curl_main, NULL},
    {"wget", wget_main, NULL},
};

void net_register(Shell *sh, NetFetchFn *hook) {
    for (size_t i = 0; i < sizeof NET_COMMANDS / sizeof NET_COMMANDS[0]; i++) shell_add_command(sh, &NET_COMMANDS[i], hook);
}
