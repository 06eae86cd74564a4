/* netcmd.c - minimal `curl` and `wget` over the host's fetch hook (the
 * session's fetch broker: allowlist, redirects, limits), registered with
 * shell_add_command() by bridge.c in the Pyodide and the standalone builds.
 *
 * This is the wiring the browser and Node sessions need to show the broker
 * at work; the sandbox issue writes the full utilities (their whole option
 * sets) and replaces this file. Supported here:
 *   curl [-s] [-S] [-f] [-L] [-i] [-I] [-o FILE] [-X METHOD] [-d DATA] [-H 'K: V'] [-A AGENT] URL...
 *   wget [-q] [-O FILE|-] URL...
 *
 * The hook takes a JSON request {"url", "method", "headers", "body" (base64),
 * "follow"} and answers a JSON header line {"status", "headers", "url"},
 * "\n", then the body; or -1 and a message the broker wrote (a host not in
 * allowedHosts, a CORS refusal in a browser, a size limit, ...). */
#include "bridge.h"
#include "common.h"
#include "ucommon.h"
#include "util.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { CURL_EXIT_CONNECT = 7, CURL_EXIT_HTTP = 22, CURL_EXIT_WRITE = 23, CURL_EXIT_USAGE = 2 };
enum { WGET_EXIT_NETWORK = 4, WGET_EXIT_SERVER = 8, WGET_EXIT_FILE = 3, WGET_EXIT_USAGE = 2 };

/* ---- JSON bits: escaping out, a tiny reader for the reply's header line */

static void json_string(StrBuf *b, const char *s, size_t n) {
    static const char hex[] = "0123456789abcdef";
    sb_putc(b, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '"' || ch == '\\') {
            sb_putc(b, '\\');
            sb_putc(b, (char)ch);
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

static void base64(StrBuf *b, const char *s, size_t n) {
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    for (; i + 2 < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];
        char q[4] = {tab[v >> 18], tab[(v >> 12) & 63], tab[(v >> 6) & 63], tab[v & 63]};
        sb_put(b, q, 4);
    }
    if (i < n) {
        unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0);
        char q[4] = {tab[v >> 18], tab[(v >> 12) & 63], i + 1 < n ? tab[(v >> 6) & 63] : '=', '='};
        sb_put(b, q, 4);
    }
}

typedef struct Json {
    const char *p, *end;
} Json;

static void js_ws(Json *j) {
    while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\r' || *j->p == '\n')) j->p++;
}

static bool js_lit(Json *j, char ch) {
    js_ws(j);
    if (j->p < j->end && *j->p == ch) {
        j->p++;
        return true;
    }
    return false;
}

static void utf8_put(StrBuf *b, unsigned cp) {
    if (cp < 0x80) {
        sb_putc(b, (char)cp);
    } else if (cp < 0x800) {
        sb_putc(b, (char)(0xc0 | cp >> 6));
        sb_putc(b, (char)(0x80 | (cp & 63)));
    } else {
        sb_putc(b, (char)(0xe0 | cp >> 12));
        sb_putc(b, (char)(0x80 | ((cp >> 6) & 63)));
        sb_putc(b, (char)(0x80 | (cp & 63)));
    }
}

/* A JSON string into out (cleared first). */
static bool js_str(Json *j, StrBuf *out) {
    sb_clear(out);
    if (!js_lit(j, '"')) return false;
    while (j->p < j->end && *j->p != '"') {
        char ch = *j->p++;
        if (ch != '\\') {
            sb_putc(out, ch);
            continue;
        }
        if (j->p >= j->end) return false;
        char e = *j->p++;
        switch (e) {
        case 'n': sb_putc(out, '\n'); break;
        case 't': sb_putc(out, '\t'); break;
        case 'r': sb_putc(out, '\r'); break;
        case 'b': sb_putc(out, '\b'); break;
        case 'f': sb_putc(out, '\f'); break;
        case 'u': {
            if (j->end - j->p < 4) return false;
            char hex[5] = {j->p[0], j->p[1], j->p[2], j->p[3], 0};
            j->p += 4;
            utf8_put(out, (unsigned)strtoul(hex, NULL, 16));
            break;
        }
        default: sb_putc(out, e); break;
        }
    }
    return js_lit(j, '"');
}

/* Skips any JSON value (numbers, literals, nested objects and arrays). */
static bool js_skip(Json *j) {
    js_ws(j);
    if (j->p >= j->end) return false;
    if (*j->p == '"') {
        StrBuf t;
        sb_init(&t);
        bool ok = js_str(j, &t);
        sb_free(&t);
        return ok;
    }
    if (*j->p == '{' || *j->p == '[') {
        char close = *j->p == '{' ? '}' : ']';
        j->p++;
        if (js_lit(j, close)) return true;
        do {
            if (close == '}' && !js_skip(j)) return false;
            if (close == '}' && !js_lit(j, ':')) return false;
            if (!js_skip(j)) return false;
        } while (js_lit(j, ','));
        return js_lit(j, close);
    }
    while (j->p < j->end && !strchr(",}] \t\r\n", *j->p)) j->p++;
    return true;
}

typedef struct Reply {
    int status;
    StrList header_names, header_values; /* as the broker gives them (lower case) */
    StrBuf url;
    const char *body;
    size_t body_len;
} Reply;

static void reply_free(Reply *r) {
    sl_free(&r->header_names);
    sl_free(&r->header_values);
    sb_free(&r->url);
}

static bool parse_headers(Json *j, Reply *r) {
    if (!js_lit(j, '{')) return false;
    if (js_lit(j, '}')) return true;
    StrBuf k, v;
    sb_init(&k);
    sb_init(&v);
    bool ok = true;
    do {
        if (!js_str(j, &k) || !js_lit(j, ':') || !js_str(j, &v)) {
            ok = false;
            break;
        }
        sl_push_copy(&r->header_names, sb_cstr(&k));
        sl_push_copy(&r->header_values, sb_cstr(&v));
    } while (js_lit(j, ','));
    sb_free(&k);
    sb_free(&v);
    return ok && js_lit(j, '}');
}

static bool parse_reply(const char *data, size_t n, Reply *r) {
    const char *nl = memchr(data, '\n', n);
    if (!nl) return false;
    Json j = {data, nl};
    r->body = nl + 1;
    r->body_len = n - (size_t)(nl + 1 - data);
    if (!js_lit(&j, '{')) return false;
    StrBuf key;
    sb_init(&key);
    bool ok = true;
    if (!js_lit(&j, '}')) {
        do {
            if (!js_str(&j, &key) || !js_lit(&j, ':')) {
                ok = false;
                break;
            }
            if (!strcmp(sb_cstr(&key), "status")) {
                js_ws(&j);
                r->status = (int)strtol(j.p, (char **)&j.p, 10);
            } else if (!strcmp(sb_cstr(&key), "headers")) {
                ok = parse_headers(&j, r);
            } else if (!strcmp(sb_cstr(&key), "url")) {
                ok = js_str(&j, &r->url);
            } else {
                ok = js_skip(&j);
            }
        } while (ok && js_lit(&j, ','));
    }
    sb_free(&key);
    return ok;
}

/* ---- one request through the hook */

typedef struct Request {
    const char *url;
    const char *method;
    StrList headers; /* "Name: value" */
    const char *body;
    size_t body_len;
    bool follow;
} Request;

/* 0 and *reply filled; or -1 with the broker's message in *err. */
static int do_fetch(Bridge *b, const Request *rq, WasmshBlob *raw, Reply *reply, StrBuf *err) {
    StrBuf j;
    sb_init(&j);
    sb_puts(&j, "{\"url\":");
    json_string(&j, rq->url, strlen(rq->url));
    sb_puts(&j, ",\"method\":");
    json_string(&j, rq->method, strlen(rq->method));
    sb_puts(&j, ",\"follow\":");
    sb_puts(&j, rq->follow ? "true" : "false");
    sb_puts(&j, ",\"headers\":{");
    for (size_t i = 0; i < rq->headers.n; i++) {
        const char *h = rq->headers.v[i];
        const char *colon = strchr(h, ':');
        if (!colon) continue;
        const char *val = colon + 1;
        while (*val == ' ') val++;
        if (i) sb_putc(&j, ',');
        json_string(&j, h, (size_t)(colon - h));
        sb_putc(&j, ':');
        json_string(&j, val, strlen(val));
    }
    sb_putc(&j, '}');
    if (rq->body) {
        sb_puts(&j, ",\"body\":\"");
        base64(&j, rq->body, rq->body_len);
        sb_putc(&j, '"');
    }
    sb_putc(&j, '}');
    raw->data = NULL;
    raw->len = 0;
    int rc = b->fetch ? b->fetch(j.s, j.len, raw) : -1;
    sb_free(&j);
    if (rc != 0) {
        sb_clear(err);
        if (raw->len) sb_put(err, raw->data, raw->len);
        else sb_puts(err, b->fetch ? "the request failed" : "this session has no network (no fetch broker)");
        return -1;
    }
    if (!parse_reply(raw->data ? raw->data : "", raw->len, reply)) {
        sb_clear(err);
        sb_puts(err, "malformed reply from the fetch broker");
        return -1;
    }
    return 0;
}

static const char *reason_phrase(int status) {
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    default: return "";
    }
}

/* Writes all of data to a file or stdout ("-" or NULL). */
static int write_out(UtilCtx *c, const char *path, const char *data, size_t n, bool append) {
    if (!path || !strcmp(path, "-")) return uc_write(c, 1, data, n);
    UcFile *f = uc_open(c, path, append ? "a" : "w");
    if (!f) return -1;
    int rc = uc_fwrite(f, data, n);
    if (uc_close(f) != 0) rc = -1;
    return rc;
}

/* ---- curl */

typedef struct CurlOpts {
    bool silent, show_error, fail, include, head;
    const char *output;
    Request rq;
    StrBuf data;
    bool has_data;
} CurlOpts;

static void curl_error(UtilCtx *c, const CurlOpts *o, int code, const char *msg) {
    if (!o->silent || o->show_error) uc_printf(c, 2, "curl: (%d) %s\n", code, msg);
}

static int curl_one(UtilCtx *c, CurlOpts *o, const char *url) {
    Bridge *b = uc_command_data(c);
    o->rq.url = url;
    WasmshBlob raw;
    Reply r;
    memset(&r, 0, sizeof r);
    sb_init(&r.url);
    StrBuf err;
    sb_init(&err);
    int status = 0;
    if (do_fetch(b, &o->rq, &raw, &r, &err) != 0) {
        curl_error(c, o, CURL_EXIT_CONNECT, sb_cstr(&err));
        status = CURL_EXIT_CONNECT;
        goto out;
    }
    if (o->fail && r.status >= 400) {
        char msg[96];
        snprintf(msg, sizeof msg, "The requested URL returned error: %d", r.status);
        curl_error(c, o, CURL_EXIT_HTTP, msg);
        status = CURL_EXIT_HTTP;
        goto out;
    }
    StrBuf out;
    sb_init(&out);
    if (o->include || o->head) {
        sb_printf(&out, "HTTP/1.1 %d %s\r\n", r.status, reason_phrase(r.status));
        for (size_t i = 0; i < r.header_names.n; i++)
            sb_printf(&out, "%s: %s\r\n", r.header_names.v[i], r.header_values.v[i]);
        sb_puts(&out, "\r\n");
    }
    if (!o->head) sb_put(&out, r.body, r.body_len);
    if (write_out(c, o->output, out.s ? out.s : "", out.len, false) != 0) {
        if (errno != EPIPE) {
            char msg[300];
            snprintf(msg, sizeof msg, "Failure writing output to destination: %s", strerror(errno));
            curl_error(c, o, CURL_EXIT_WRITE, msg);
        }
        status = CURL_EXIT_WRITE;
    }
    sb_free(&out);
out:
    free(raw.data);
    reply_free(&r);
    sb_free(&err);
    return status;
}

static const char CURL_USAGE[] =
    "Usage: curl [options...] <url>\n"
    " -d, --data <data>          HTTP POST data (@FILE reads a file)\n"
    " -f, --fail                 Fail fast with no output on HTTP errors\n"
    " -H, --header <header>      Pass custom header(s) to server\n"
    " -i, --include              Include response headers in output\n"
    " -I, --head                 Show document info only\n"
    " -L, --location             Follow redirects\n"
    " -o, --output <file>        Write to file instead of stdout\n"
    " -s, --silent               Silent mode\n"
    " -S, --show-error           Show error even when -s is used\n"
    " -A, --user-agent <name>    Send User-Agent <name> to server\n"
    " -X, --request <method>     Specify request method to use\n"
    "wasmsh: a minimal curl over the session's fetch broker (allowedHosts).\n";

static bool read_data_file(UtilCtx *c, const char *path, StrBuf *out) {
    UcFile *f = uc_open(c, path, "r");
    if (!f) return false;
    char buf[8192];
    ssize_t n;
    while ((n = uc_fread(f, buf, sizeof buf)) > 0) sb_put(out, buf, (size_t)n);
    uc_close(f);
    return n == 0;
}

static int curl_main(UtilCtx *c, int argc, char **argv) {
    enum { K_DATA_RAW = 0x20000, K_COMPRESSED };
    static const UOptLong longs[] = {
        {"silent", UO_NOARG, 's'},   {"show-error", UO_NOARG, 'S'}, {"fail", UO_NOARG, 'f'},
        {"location", UO_NOARG, 'L'}, {"include", UO_NOARG, 'i'},    {"head", UO_NOARG, 'I'},
        {"output", UO_REQ, 'o'},     {"request", UO_REQ, 'X'},      {"data", UO_REQ, 'd'},
        {"data-raw", UO_REQ, K_DATA_RAW}, {"data-binary", UO_REQ, 'd'}, {"header", UO_REQ, 'H'},
        {"user-agent", UO_REQ, 'A'}, {"compressed", UO_NOARG, K_COMPRESSED}, {NULL, 0, 0},
    };
    CurlOpts o;
    memset(&o, 0, sizeof o);
    o.rq.method = NULL;
    sb_init(&o.data);
    UOpts op;
    uopt_init(&op, c, argc, argv, "sSfLiIo:X:d:H:A:", longs);
    int k, status = 0;
    while ((k = uopt_next(&op)) != UO_END) {
        switch (k) {
        case 's': o.silent = true; break;
        case 'S': o.show_error = true; break;
        case 'f': o.fail = true; break;
        case 'L': o.rq.follow = true; break;
        case 'i': o.include = true; break;
        case 'I': o.head = true; break;
        case 'o': o.output = op.arg; break;
        case 'X': o.rq.method = op.arg; break;
        case 'H': sl_push_copy(&o.rq.headers, op.arg); break;
        case 'A': {
            StrBuf h;
            sb_init(&h);
            sb_printf(&h, "User-Agent: %s", op.arg);
            sl_push(&o.rq.headers, sb_take(&h));
            break;
        }
        case 'd':
        case K_DATA_RAW:
            if (o.has_data) sb_putc(&o.data, '&');
            o.has_data = true;
            if (k == 'd' && op.arg[0] == '@') {
                if (!read_data_file(c, op.arg + 1, &o.data)) {
                    uc_printf(c, 2, "Warning: Couldn't read data from file \"%s\", this makes an empty POST.\n", op.arg + 1);
                }
            } else {
                sb_puts(&o.data, op.arg);
            }
            break;
        case K_COMPRESSED: break;
        case UO_HELP: status = u_help(c, CURL_USAGE); goto done;
        case UO_VERSION: uc_puts(c, 1, "curl (wasmsh minimal curl over the fetch broker)\n"); goto done;
        default: status = CURL_EXIT_USAGE; goto done;
        }
    }
    if (!op.ops.n) {
        uc_puts(c, 2, "curl: no URL specified\ncurl: try 'curl --help' for more information\n");
        status = CURL_EXIT_USAGE;
        goto done;
    }
    if (o.has_data) {
        o.rq.body = o.data.s ? o.data.s : "";
        o.rq.body_len = o.data.len;
        if (!o.rq.method) o.rq.method = "POST";
        sl_push_copy(&o.rq.headers, "Content-Type: application/x-www-form-urlencoded");
    }
    if (!o.rq.method) o.rq.method = o.head ? "HEAD" : "GET";
    for (size_t i = 0; i < op.ops.n && !uc_should_stop(c); i++) {
        int st = curl_one(c, &o, op.ops.v[i]);
        if (st) status = st;
    }
done:
    uopt_free(&op);
    sl_free(&o.rq.headers);
    sb_free(&o.data);
    return status;
}

/* ---- wget */

static const char WGET_USAGE[] =
    "Usage: wget [OPTION]... [URL]...\n"
    "  -q,  --quiet                    quiet (no output)\n"
    "  -O,  --output-document=FILE     write documents to FILE ('-' for stdout)\n"
    "wasmsh: a minimal wget over the session's fetch broker (allowedHosts).\n";

/* The local name wget gives a download: the last path segment, else index.html. */
static char *wget_name(const char *url) {
    const char *p = strstr(url, "://");
    p = p ? p + 3 : url;
    const char *path = strchr(p, '/');
    if (!path) return xstrdup("index.html");
    const char *end = path + strcspn(path, "?#");
    const char *last = end;
    while (last > path && last[-1] != '/') last--;
    if (last == end) return xstrdup("index.html");
    return xstrndup(last, (size_t)(end - last));
}

static int wget_one(UtilCtx *c, const char *url, const char *output, bool quiet) {
    Bridge *b = uc_command_data(c);
    Request rq;
    memset(&rq, 0, sizeof rq);
    rq.url = url;
    rq.method = "GET";
    rq.follow = true;
    WasmshBlob raw;
    Reply r;
    memset(&r, 0, sizeof r);
    sb_init(&r.url);
    StrBuf err;
    sb_init(&err);
    int status = 0;
    char *name = output ? NULL : wget_name(url);
    const char *dest = output ? output : name;
    if (do_fetch(b, &rq, &raw, &r, &err) != 0) {
        if (!quiet) uc_printf(c, 2, "wget: %s\n", sb_cstr(&err));
        status = WGET_EXIT_NETWORK;
        goto out;
    }
    if (r.status >= 400) {
        if (!quiet) uc_printf(c, 2, "wget: %s: ERROR %d: %s.\n", url, r.status, reason_phrase(r.status));
        status = WGET_EXIT_SERVER;
        goto out;
    }
    if (write_out(c, dest, r.body, r.body_len, false) != 0) {
        if (errno != EPIPE) uc_printf(c, 2, "wget: %s: %s\n", dest, strerror(errno));
        status = WGET_EXIT_FILE;
        goto out;
    }
    if (!quiet && strcmp(dest, "-") != 0)
        uc_printf(c, 2, "'%s' saved [%zu/%zu]\n", dest, r.body_len, r.body_len);
out:
    free(name);
    free(raw.data);
    reply_free(&r);
    sb_free(&err);
    return status;
}

static int wget_main(UtilCtx *c, int argc, char **argv) {
    static const UOptLong longs[] = {
        {"quiet", UO_NOARG, 'q'}, {"output-document", UO_REQ, 'O'}, {NULL, 0, 0},
    };
    UOpts op;
    uopt_init(&op, c, argc, argv, "qO:", longs);
    bool quiet = false;
    const char *output = NULL;
    int k, status = 0;
    while ((k = uopt_next(&op)) != UO_END) {
        switch (k) {
        case 'q': quiet = true; break;
        case 'O': output = op.arg; break;
        case UO_HELP: status = u_help(c, WGET_USAGE); goto done;
        case UO_VERSION: uc_puts(c, 1, "GNU Wget (wasmsh minimal wget over the fetch broker)\n"); goto done;
        default: status = WGET_EXIT_USAGE; goto done;
        }
    }
    if (!op.ops.n) {
        uc_puts(c, 2, "wget: missing URL\nUsage: wget [OPTION]... [URL]...\n\nTry `wget --help' for more options.\n");
        status = WGET_EXIT_USAGE;
        goto done;
    }
    for (size_t i = 0; i < op.ops.n && !uc_should_stop(c); i++) {
        int st = wget_one(c, op.ops.v[i], output, quiet);
        if (st) status = st;
    }
done:
    uopt_free(&op);
    return status;
}

static const UtilDef net_defs[] = {
    {"curl", curl_main, NULL},
    {"wget", wget_main, NULL},
};

void netcmd_register(Bridge *b) {
    for (size_t i = 0; i < sizeof net_defs / sizeof net_defs[0]; i++) shell_add_command(b->sh, &net_defs[i], b);
}
