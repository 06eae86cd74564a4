/* curl.c - curl over the session's fetch broker: the options agents use,
 * curl 7.88's messages and exit codes (docs/network.md lists them).
 *
 * curl parses its command line itself (not getopt): options and URLs mix in
 * any order, -o/-O pair with the URLs in order, short options cluster (-sSL,
 * -sLo FILE, -ofile). Each URL is one request through the broker, which
 * follows redirects (with -L) and reports every hop, so -i and -v show each
 * response as curl does. */
#include "curl_opts.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

enum { CURL_WRITE_CHUNK = 16384 };

/* ---- small helpers */

static bool curl_says(const Curl *k) { return !k->silent || k->show_error; }

void curl_error(Curl *k, int code, const char *fmt, ...) {
    if (!curl_says(k)) return;
    va_list ap;
    va_start(ap, fmt);
    StrBuf m;
    sb_init(&m);
    sb_vprintf(&m, fmt, ap);
    va_end(ap);
    StrBuf line;
    sb_init(&line);
    sb_printf(&line, "curl: (%d) %s\n", code, sb_cstr(&m));
    curl_say(k, sb_cstr(&line));
    sb_free(&line);
    sb_free(&m);
}

void curl_say(Curl *k, const char *text) {
    if (k->defer) sb_puts(&k->pending, text);
    else uc_puts(k->c, 2, text);
}

void curl_warn(Curl *k, const char *fmt, ...) {
    if (k->silent) return;
    va_list ap;
    va_start(ap, fmt);
    StrBuf m;
    sb_init(&m);
    sb_vprintf(&m, fmt, ap);
    va_end(ap);
    uc_printf(k->c, 2, "Warning: %s\n", sb_cstr(&m));
    sb_free(&m);
}

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* Sleeps `ms`, in slices, stopping early when the run must stop. */
static void pause_ms(UtilCtx *c, double ms) {
    double until = now_ms() + ms;
    while (!uc_should_stop(c)) {
        double left = until - now_ms();
        if (left <= 0) break;
        struct timespec ts = {0, (long)((left > 50 ? 50 : left) * 1e6)};
        nanosleep(&ts, NULL);
    }
}

/* The URL with http:// in front when it has no scheme (as curl does). */
static char *with_scheme(const char *url) {
    const char *p = url;
    while (*p && (isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.')) p++;
    if (p > url && !strncmp(p, "://", 3)) return xstrdup(url);
    StrBuf b;
    sb_init(&b);
    sb_printf(&b, "http://%s", url);
    return sb_take(&b);
}

static char *url_scheme(const char *url) {
    const char *p = strstr(url, "://");
    return p ? xstrndup(url, (size_t)(p - url)) : xstrdup("");
}

/* The part of a URL after "scheme://host" ("/" when there is none), without a fragment. */
static char *url_path(const char *url) {
    const char *p = strstr(url, "://");
    p = p ? p + 3 : url;
    p += strcspn(p, "/?#");
    size_t n = strcspn(p, "#");
    if (!n) return xstrdup("/");
    if (*p == '?') {
        StrBuf b;
        sb_init(&b);
        sb_putc(&b, '/');
        sb_put(&b, p, n);
        return sb_take(&b);
    }
    return xstrndup(p, n);
}

static char *url_hostport(const char *url) {
    const char *p = strstr(url, "://");
    p = p ? p + 3 : url;
    size_t n = strcspn(p, "/?#");
    const char *at = memchr(p, '@', n);
    if (at) {
        n -= (size_t)(at + 1 - p);
        p = at + 1;
    }
    return xstrndup(p, n);
}

/* The host of a host[:port] or [v6]:port, for messages. */
static char *host_only(const char *hostport) {
    if (hostport[0] == '[') {
        const char *e = strchr(hostport, ']');
        return e ? xstrndup(hostport + 1, (size_t)(e - hostport - 1)) : xstrdup(hostport);
    }
    return xstrndup(hostport, strcspn(hostport, ":"));
}

/* ---- the request */

static void set_header(NetHeaders *h, const char *name, const char *value) {
    long i = net_headers_find(h, name);
    if (i >= 0) {
        free(h->values.v[i]);
        h->values.v[i] = xstrdup(value);
    } else {
        net_headers_add(h, name, strlen(name), value);
    }
}

static void remove_header(NetHeaders *h, long i) {
    free(h->names.v[i]);
    free(h->values.v[i]);
    for (size_t j = (size_t)i; j + 1 < h->names.n; j++) {
        h->names.v[j] = h->names.v[j + 1];
        h->values.v[j] = h->values.v[j + 1];
    }
    h->names.n--;
    h->values.n--;
}

/* -H lines over the defaults: "Name: value" replaces, "Name:" removes, "Name;" sends it empty. */
static void apply_custom_headers(const Curl *k, NetHeaders *h) {
    for (size_t i = 0; i < k->custom.n; i++) {
        const char *line = k->custom.v[i];
        size_t nlen = strcspn(line, ":;");
        if (!nlen || !line[nlen]) continue;
        char *name = xstrndup(line, nlen);
        const char *val = line + nlen + 1;
        while (*val == ' ' || *val == '\t') val++;
        long at = net_headers_find(h, name);
        if (line[nlen] == ';') {
            if (!*val) set_header(h, name, "");
        } else if (!*val) {
            if (at >= 0) remove_header(h, at);
        } else if (at >= 0 && strcasecmp(name, "cookie") != 0) {
            set_header(h, name, val);
        } else {
            net_headers_add(h, name, nlen, val);
        }
        free(name);
    }
}

static void basic_auth(const char *user, StrBuf *out) {
    StrBuf cred;
    sb_init(&cred);
    sb_puts(&cred, user);
    if (!strchr(user, ':')) sb_putc(&cred, ':');
    sb_puts(out, "Basic ");
    sb_put_base64(out, cred.s ? cred.s : "", cred.len);
    sb_free(&cred);
}

/* The URL to request: -G moves the data into the query. */
static char *request_url(const Curl *k, const char *url) {
    char *u = with_scheme(url);
    if (!k->get || !k->has_data) return u;
    StrBuf b;
    sb_init(&b);
    size_t frag = strcspn(u, "#");
    sb_put(&b, u, frag);
    sb_putc(&b, strchr(u, '?') && strchr(u, '?') < u + frag ? '&' : '?');
    sb_put(&b, k->data.s ? k->data.s : "", k->data.len);
    free(u);
    return sb_take(&b);
}

static const char *request_method(const Curl *k) {
    if (k->method) return k->method;
    if (k->head) return "HEAD";
    if (k->upload_file) return "PUT";
    if ((k->has_data && !k->get) || k->forms.n) return "POST";
    return "GET";
}

static void default_headers(Curl *k, NetHeaders *h, const char *content_type) {
    if (k->user) {
        StrBuf a;
        sb_init(&a);
        basic_auth(k->user, &a);
        net_headers_add(h, "Authorization", 13, sb_cstr(&a));
        sb_free(&a);
    }
    net_headers_add(h, "User-Agent", 10, k->user_agent ? k->user_agent : CURL_USER_AGENT);
    net_headers_add(h, "Accept", 6, k->json ? "application/json" : "*/*");
    if (k->referer) net_headers_add(h, "Referer", 7, k->referer);
    if (k->range) {
        StrBuf r;
        sb_init(&r);
        sb_printf(&r, "bytes=%s", k->range);
        net_headers_add(h, "Range", 5, sb_cstr(&r));
        sb_free(&r);
    }
    if (k->cookie) net_headers_add(h, "Cookie", 6, k->cookie);
    if (k->compressed) net_headers_add(h, "Accept-Encoding", 15, "deflate, gzip, br");
    if (content_type) net_headers_add(h, "Content-Type", 12, content_type);
    if (!k->user_agent_set && k->user_agent && !*k->user_agent) remove_header(h, net_headers_find(h, "User-Agent"));
}

/* ---- output of one transfer */

static void hop_head(const NetHop *h, StrBuf *out) {
    sb_printf(out, "HTTP/%s %d", h->http_version, h->status);
    if (*h->status_text || strcmp(h->http_version, "2") != 0) sb_printf(out, " %s", h->status_text);
    sb_puts(out, "\r\n");
    for (size_t i = 0; i < h->headers.names.n; i++)
        sb_printf(out, "%s: %s\r\n", h->headers.names.v[i], h->headers.values.v[i]);
    sb_puts(out, "\r\n");
}

/* Every response's header block, the redirects first. */
static void all_heads(const NetResult *r, StrBuf *out) {
    for (size_t i = 0; i < r->nhops; i++) hop_head(&r->hops[i], out);
    hop_head(&r->last, out);
}

static void verbose_request(Curl *k, const Transfer *t, const char *url, const NetHop *hop, const NetResult *r) {
    char *hp = url_hostport(url);
    char *host = host_only(hp);
    char *path = url_path(url);
    const char *ip = r->remote_ip && *r->remote_ip ? r->remote_ip : host;
    int port = r->remote_port ? r->remote_port : (!strncasecmp(url, "https", 5) ? 443 : 80);
    StrBuf v;
    sb_init(&v);
    sb_printf(&v, "*   Trying %s:%d...\n* Connected to %s (%s) port %d (#0)\n", ip, port, host, ip, port);
    sb_printf(&v, "> %s %s HTTP/1.1\r\n> Host: %s\r\n", t->method, path, hp);
    for (size_t i = 0; i < t->rq.headers.names.n; i++)
        sb_printf(&v, "> %s: %s\r\n", t->rq.headers.names.v[i], t->rq.headers.values.v[i]);
    if (t->rq.has_body && t->rq.body_len) sb_printf(&v, "> Content-Length: %zu\r\n", t->rq.body_len);
    sb_puts(&v, "> \r\n");
    if (hop) {
        StrBuf h;
        sb_init(&h);
        hop_head(hop, &h);
        const char *p = h.s;
        while (p && *p) {
            const char *e = strchr(p, '\n');
            size_t n = e ? (size_t)(e - p + 1) : strlen(p);
            sb_puts(&v, "< ");
            sb_put(&v, p, n);
            p += n;
        }
        sb_free(&h);
    }
    uc_write(k->c, 2, v.s ? v.s : "", v.len);
    sb_free(&v);
    free(hp);
    free(host);
    free(path);
}

static void verbose_transfer(Curl *k, const Transfer *t, const NetResult *r) {
    for (size_t i = 0; i < r->nhops; i++) {
        const char *url = *r->hops[i].url ? r->hops[i].url : t->url;
        verbose_request(k, t, url, &r->hops[i], r);
        char *hp = url_hostport(url);
        char *host = host_only(hp);
        const char *next = i + 1 < r->nhops ? r->hops[i + 1].url : r->last.url;
        uc_printf(k->c, 2, "* Connection #0 to host %s left intact\n* Issue another request to this URL: '%s'\n",
                  host, next);
        free(hp);
        free(host);
    }
    const char *url = *r->last.url ? r->last.url : t->url;
    verbose_request(k, t, url, &r->last, r);
    char *hp = url_hostport(url);
    char *host = host_only(hp);
    if (r->body_len) uc_printf(k->c, 2, "{ [%zu bytes data]\n", r->body_len);
    uc_printf(k->c, 2, "* Connection #0 to host %s left intact\n", host);
    free(hp);
    free(host);
}

/* ---- output files */

static int make_dirs(const char *path) {
    char *p = xstrdup(path);
    for (char *s = strchr(p + 1, '/'); s; s = strchr(s + 1, '/')) {
        *s = 0;
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            free(p);
            return -1;
        }
        *s = '/';
    }
    free(p);
    return 0;
}

/* The local name for -O: the last segment of the URL's path, or with -J
 * the file name of Content-Disposition (its last path component only). */
static char *remote_name(const Curl *k, const char *url, const NetResult *r) {
    if (k->remote_header_name && r) {
        const char *cd = net_header(&r->last, "content-disposition");
        const char *f = cd ? strcasestr(cd, "filename=") : NULL;
        if (f) {
            f += 9;
            bool quoted = *f == '"';
            if (quoted) f++;
            size_t n = quoted ? strcspn(f, "\"") : strcspn(f, "; \t");
            char *name = xstrndup(f, n);
            char *base = strrchr(name, '/');
            char *bs = strrchr(base ? base : name, '\\');
            const char *last = bs ? bs + 1 : base ? base + 1 : name;
            char *out = *last ? xstrdup(last) : NULL;
            free(name);
            if (out) return out;
        }
    }
    char *path = url_path(url);
    path[strcspn(path, "?")] = 0;
    const char *slash = strrchr(path, '/');
    char *out = xstrdup(slash ? slash + 1 : path);
    free(path);
    return out;
}

static char *in_output_dir(const Curl *k, const char *name) {
    if (!k->output_dir || name[0] == '/') return xstrdup(name);
    StrBuf b;
    sb_init(&b);
    sb_printf(&b, "%s/%s", k->output_dir, name);
    return sb_take(&b);
}

/* Writes data to the transfer's destination; 0, or a curl exit code (23). */
static int deliver(Curl *k, Transfer *t, const char *data, size_t n) {
    if (!t->dest) {
        /* in curl's 16 KiB pieces: a reader that is done makes the next one fail, as with curl */
        for (size_t at = 0; at < n || !n; at += CURL_WRITE_CHUNK) {
            size_t len = n - at < CURL_WRITE_CHUNK ? n - at : CURL_WRITE_CHUNK;
            if (uc_write(k->c, 1, data + at, len) != 0) {
                if (errno != EPIPE) curl_error(k, 23, "Failure writing output to destination");
                return 23;
            }
            if (!n) break;
        }
        return 0;
    }
    if (k->create_dirs && make_dirs(t->dest) != 0) {
        curl_error(k, 23, "Failed to create the file %s: %s", t->dest, strerror(errno));
        return 23;
    }
    UcFile *f = uc_open(k->c, t->dest, t->append ? "a" : "w");
    if (!f) {
        curl_warn(k, "Failed to open the file %s: %s", t->dest, strerror(errno));
        curl_error(k, 23, "Failure writing output to destination");
        return 23;
    }
    int rc = uc_fwrite(f, data, n);
    if (uc_close(f) != 0 || rc != 0) {
        curl_error(k, 23, "Failure writing output to destination");
        return 23;
    }
    return 0;
}

static int dump_headers(Curl *k, const NetResult *r) {
    StrBuf h;
    sb_init(&h);
    all_heads(r, &h);
    int rc = 0;
    if (!strcmp(k->dump_header, "-")) {
        rc = uc_write(k->c, 1, h.s ? h.s : "", h.len);
    } else {
        UcFile *f = uc_open(k->c, k->dump_header, "w");
        rc = f ? uc_fwrite(f, h.s ? h.s : "", h.len) : -1;
        if (f && uc_close(f) != 0) rc = -1;
        if (!f) curl_warn(k, "Failed to open %s", k->dump_header);
    }
    sb_free(&h);
    return rc ? 23 : 0;
}

/* ---- failures: the broker's kinds as curl's codes and messages */

static int fail_transfer(Transfer *t, const NetResult *r) {
    const char *kind = r->kind ? r->kind : "failed";
    char *hp = url_hostport(t->url);
    char *host = host_only(hp);
    int port = r->port ? r->port : (!strncasecmp(t->url, "https", 5) ? 443 : 80);
    int code = 7;
    StrBuf m;
    sb_init(&m);
    if (!strcmp(kind, "denied")) {
        code = 7;
        sb_puts(&m, r->message);
    } else if (!strcmp(kind, "resolve")) {
        code = 6;
        sb_printf(&m, "Could not resolve host: %s", *r->host ? r->host : host);
    } else if (!strcmp(kind, "connect")) {
        code = 7;
        sb_printf(&m, "Failed to connect to %s port %d after %.0f ms: Couldn't connect to server",
                  *r->host ? r->host : host, port, r->ms);
    } else if (!strcmp(kind, "timeout")) {
        code = 28;
        if (r->connected || r->received)
            sb_printf(&m, "Operation timed out after %.0f milliseconds with %.0f bytes received", r->ms, r->received);
        else
            sb_printf(&m, "Connection timed out after %.0f milliseconds", r->ms);
    } else if (!strcmp(kind, "redirects")) {
        code = 47;
        sb_printf(&m, "Maximum (%d) redirects followed", r->max);
    } else if (!strcmp(kind, "too_large")) {
        code = 63;
        const char *why = strstr(r->message, ": the response");
        sb_printf(&m, "Maximum file size exceeded%s", why ? why : "");
    } else if (!strcmp(kind, "request_too_large")) {
        code = 55;
        const char *why = strstr(r->message, ": the request");
        sb_printf(&m, "Failed sending data to the peer%s", why ? why : "");
    } else if (!strcmp(kind, "bad_url")) {
        code = 3;
        sb_puts(&m, "URL using bad/illegal format or missing URL");
    } else if (!strcmp(kind, "protocol")) {
        code = 1;
        char *s = url_scheme(t->url);
        sb_printf(&m, "Protocol \"%s\" not supported or disabled in libcurl", s);
        free(s);
    } else if (!strcmp(kind, "tls_cert")) {
        code = 60;
        const char *why = strrchr(r->message, ':');
        sb_printf(&m, "SSL certificate problem: %s\nMore details here: https://curl.se/docs/sslcerts.html\n\n"
                  "curl failed to verify the legitimacy of the server and therefore could not\n"
                  "establish a secure connection to it. To learn more about this situation and\n"
                  "how to fix it, please visit the web page mentioned above.", why ? why + 2 : r->message);
    } else if (!strcmp(kind, "tls")) {
        code = 35;
        sb_puts(&m, r->message);
    } else if (!strcmp(kind, "empty")) {
        code = 52;
        sb_puts(&m, "Empty reply from server");
    } else if (!strcmp(kind, "recv")) {
        code = 56;
        sb_puts(&m, "Recv failure: Connection reset by peer");
    } else if (!strcmp(kind, "send")) {
        code = 55;
        sb_puts(&m, "Failed sending data to the peer");
    } else if (!strcmp(kind, "bad_reply")) {
        code = 8;
        sb_puts(&m, "Weird server reply");
    } else if (!strcmp(kind, "decode")) {
        code = 61;
        sb_puts(&m, "Unrecognized content encoding type. libcurl understands deflate, gzip, br content encodings.");
    } else if (!strcmp(kind, "cancelled")) {
        code = 42;
        sb_puts(&m, "Operation was aborted by an application callback");
    } else {
        code = 7;
        sb_puts(&m, r->message);
    }
    free(t->errormsg);
    t->errormsg = xstrdup(sb_cstr(&m));
    t->exitcode = code;
    sb_free(&m);
    free(hp);
    free(host);
    return code;
}

/* Whether a failed attempt is worth another with --retry. */
static const char *retry_reason(const Curl *k, const NetResult *r, int rc, int status) {
    if (k->retry_all && (rc || status >= 400)) return NULL;
    if (rc && r->kind && !strcmp(r->kind, "timeout")) return "timeout";
    if (rc && r->kind && !strcmp(r->kind, "connect") && k->retry_connrefused) return "connection refused";
    if (!rc && (status == 408 || status == 429 || status == 500 || status == 502 || status == 503 || status == 504))
        return "HTTP error";
    return "";
}

static bool will_retry(Curl *k, const NetResult *r, int rc, int status, int left) {
    if (left <= 0 || uc_should_stop(k->c)) return false;
    const char *why = retry_reason(k, r, rc, status);
    return !why || *why;
}

static void retry_warning(Curl *k, const NetResult *r, int rc, int status, int left, double delay) {
    const char *why = retry_reason(k, r, rc, status);
    if (why) curl_warn(k, "Problem : %s. Will retry in %.0f seconds. %d retries left.", why, delay / 1000, left);
    else curl_warn(k, "Problem (retrying all errors). Will retry in %.0f seconds. %d retries left.", delay / 1000, left);
}

/* ---- one URL */

static int output_body(Curl *k, Transfer *t, const NetResult *r) {
    if (t->want_remote_name) {
        char *name = remote_name(k, t->url, r);
        if (!*name) {
            free(name);
            if (curl_says(k)) curl_say(k, "curl: Remote file name has no length!\n");
            t->exitcode = 23;
            return 23;
        }
        free(t->dest_owned);
        t->dest_owned = in_output_dir(k, name);
        t->dest = t->dest_owned;
        free(name);
    }
    StrBuf out;
    sb_init(&out);
    if (k->include || k->head) all_heads(r, &out);
    if (!k->head) sb_put(&out, r->body, r->body_len);
    int rc = deliver(k, t, out.s ? out.s : "", out.len);
    sb_free(&out);
    if (rc) t->exitcode = rc;
    return rc;
}

static int finish_response(Curl *k, Transfer *t, const NetResult *r) {
    int status = r->last.status;
    if (k->verbose) verbose_transfer(k, t, r);
    if (k->dump_header && dump_headers(k, r) != 0) return 23;
    if (k->fail && status >= 400 && !k->fail_with_body) {
        t->exitcode = 22;
        free(t->errormsg);
        StrBuf m;
        sb_init(&m);
        sb_printf(&m, "The requested URL returned error: %d", status);
        t->errormsg = sb_take(&m);
        curl_error(k, 22, "%s", t->errormsg);
        return 22;
    }
    int rc = output_body(k, t, r);
    if (rc) return rc;
    if (k->fail_with_body && status >= 400) {
        t->exitcode = 22;
        StrBuf m;
        sb_init(&m);
        sb_printf(&m, "The requested URL returned error: %d", status);
        free(t->errormsg);
        t->errormsg = sb_take(&m);
        curl_error(k, 22, "%s", t->errormsg);
        return 22;
    }
    return 0;
}

static int transfer(Curl *k, Transfer *t) {
    int left = k->retry;
    double delay = k->retry_delay_ms > 0 ? k->retry_delay_ms : 1000;
    double started = now_ms();
    for (;;) {
        net_result_free(&t->res);
        double t0 = now_ms();
        int rc = net_fetch(k->hook, &t->rq, &t->res);
        t->elapsed_ms = now_ms() - t0;
        int status = rc ? 0 : t->res.last.status;
        bool retry_time_ok = !(k->retry_max_time_ms > 0) || now_ms() - started + delay <= k->retry_max_time_ms;
        if ((rc || status >= 400) && retry_time_ok && will_retry(k, &t->res, rc, status, left)) {
            if (!k->silent && !k->no_meter) curl_meter(k, t); /* this attempt's, before the warning */
            retry_warning(k, &t->res, rc, status, left, delay);
            /* curl has already written the body to stdout; a file it truncates */
            if (!rc && !k->fail && !t->dest && !t->want_remote_name) output_body(k, t, &t->res);
            else if (!rc && !k->silent && t->res.body_len) uc_printf(k->c, 2, "Throwing away %zu bytes\n", t->res.body_len);
            pause_ms(k->c, delay);
            if (!(k->retry_delay_ms > 0)) delay *= 2;
            left--;
            continue;
        }
        if (rc) {
            int code = fail_transfer(t, &t->res);
            curl_error(k, code, "%s", t->errormsg);
            return code;
        }
        return finish_response(k, t, &t->res);
    }
}

static int prepare(Curl *k, Transfer *t, const char *url, size_t index) {
    t->url = request_url(k, url);
    t->method = request_method(k);
    net_request_init(&t->rq);
    t->rq.url = t->url;
    t->rq.method = t->method;
    t->rq.follow = k->location;
    t->rq.max_redirects = k->location ? k->max_redirs : -1;
    t->rq.timeout_ms = k->max_time_ms;
    t->rq.connect_timeout_ms = k->connect_timeout_ms;
    t->rq.decompress = k->compressed;
    t->rq.insecure = k->insecure;
    const char *ctype = NULL;
    if (curl_body(k, t, &ctype) != 0) return t->exitcode;
    default_headers(k, &t->rq.headers, ctype);
    apply_custom_headers(k, &t->rq.headers);
    if (index < k->outputs.n) {
        const char *o = k->outputs.v[index];
        if (!strcmp(o, CURL_REMOTE_NAME)) {
            t->want_remote_name = true;
        } else if (strcmp(o, "-") != 0) {
            t->dest_owned = in_output_dir(k, o);
            t->dest = t->dest_owned;
        }
    } else if (k->remote_name_all) {
        t->want_remote_name = true;
    }
    if (k->continue_at && t->dest) {
        struct stat st;
        long long from = 0;
        if (!strcmp(k->continue_at, "-")) from = stat(t->dest, &st) == 0 ? (long long)st.st_size : 0;
        else from = atoll(k->continue_at);
        if (from > 0) {
            StrBuf r;
            sb_init(&r);
            sb_printf(&r, "bytes=%lld-", from);
            set_header(&t->rq.headers, "Range", sb_cstr(&r));
            sb_free(&r);
            t->append = true;
        }
    }
    return 0;
}

static void transfer_free(Transfer *t) {
    net_request_free(&t->rq);
    net_result_free(&t->res);
    free(t->url);
    free(t->dest_owned);
    free(t->errormsg);
    free(t->body_owned);
}

int curl_main(UtilCtx *c, int argc, char **argv) {
    uc_keep_status(c); /* curl ignores SIGPIPE: a closed pipe is its exit status 23 */
    Curl k;
    curl_init(&k, c);
    int status = curl_parse(&k, argc, argv);
    if (status < 0) {
        status = 0;
        goto done;
    }
    if (status) goto done;
    if (!k.urls.n) {
        uc_puts(c, 2, "curl: no URL specified!\ncurl: try 'curl --help' or 'curl --manual' for more information\n");
        status = 2;
        goto done;
    }
    for (size_t i = 0; i < k.urls.n && !uc_should_stop(c); i++) {
        Transfer t;
        memset(&t, 0, sizeof t);
        k.defer = true;
        int st = prepare(&k, &t, k.urls.v[i], i);
        if (!st) st = transfer(&k, &t);
        t.exitcode = st;
        k.defer = false;
        if (!k.silent && !k.no_meter) curl_meter(&k, &t);
        curl_say(&k, sb_cstr(&k.pending));
        sb_clear(&k.pending);
        if (k.write_out) curl_write_out(&k, &t);
        if (st) status = st;
        transfer_free(&t);
        if (uc_should_stop(c)) break; /* a fetch may have used up the run's time: let the shell see it now */
    }
done:
    curl_free(&k);
    return status;
}
