/* fetch.c - one request through the host's fetch hook: the request as JSON
 * out, the reply (a JSON header line and the body, or a JSON error) back
 * into a NetResult. */
#include "net_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void net_request_init(NetRequest *rq) {
    memset(rq, 0, sizeof *rq);
    rq->method = "GET";
    rq->max_redirects = -1;
}

void net_request_free(NetRequest *rq) {
    sl_free(&rq->headers.names);
    sl_free(&rq->headers.values);
}

void net_headers_add(NetHeaders *h, const char *name, size_t name_len, const char *value) {
    sl_push(&h->names, xstrndup(name, name_len));
    sl_push_copy(&h->values, value);
}

long net_headers_find(const NetHeaders *h, const char *name) {
    for (size_t i = 0; i < h->names.n; i++)
        if (!strcasecmp(h->names.v[i], name)) return (long)i;
    return -1;
}

const char *net_header(const NetHop *hop, const char *name) {
    long i = net_headers_find(&hop->headers, name);
    return i < 0 ? NULL : hop->headers.values.v[i];
}

static void hop_free(NetHop *h) {
    free(h->status_text);
    free(h->http_version);
    free(h->url);
    sl_free(&h->headers.names);
    sl_free(&h->headers.values);
}

void net_result_free(NetResult *res) {
    hop_free(&res->last);
    for (size_t i = 0; i < res->nhops; i++) hop_free(&res->hops[i]);
    free(res->hops);
    free(res->remote_ip);
    free(res->kind);
    free(res->message);
    free(res->host);
    free(res->raw.data);
    memset(res, 0, sizeof *res);
}

static void build_request(const NetRequest *rq, StrBuf *j) {
    sb_puts(j, "{\"url\":");
    json_put_string(j, rq->url, strlen(rq->url));
    sb_puts(j, ",\"method\":");
    json_put_string(j, rq->method, strlen(rq->method));
    sb_printf(j, ",\"follow\":%s,\"decompress\":%s,\"insecure\":%s", rq->follow ? "true" : "false",
              rq->decompress ? "true" : "false", rq->insecure ? "true" : "false");
    if (rq->max_redirects >= 0) sb_printf(j, ",\"maxRedirects\":%d", rq->max_redirects);
    if (rq->timeout_ms > 0) sb_printf(j, ",\"timeoutMs\":%.0f", rq->timeout_ms);
    if (rq->connect_timeout_ms > 0) sb_printf(j, ",\"connectTimeoutMs\":%.0f", rq->connect_timeout_ms);
    sb_puts(j, ",\"headers\":{");
    for (size_t i = 0; i < rq->headers.names.n; i++) {
        if (i) sb_putc(j, ',');
        json_put_string(j, rq->headers.names.v[i], strlen(rq->headers.names.v[i]));
        sb_putc(j, ':');
        json_put_string(j, rq->headers.values.v[i], strlen(rq->headers.values.v[i]));
    }
    sb_putc(j, '}');
    if (rq->has_body) {
        sb_puts(j, ",\"body\":\"");
        sb_put_base64(j, rq->body ? rq->body : "", rq->body_len);
        sb_putc(j, '"');
    }
    sb_putc(j, '}');
}

static void read_headers(const JNode *arr, NetHeaders *h) {
    if (!arr || arr->type != JN_ARR) return;
    for (size_t i = 0; i < arr->n; i++) {
        const JNode *pair = &arr->kids[i];
        if (pair->type != JN_ARR || pair->n != 2 || pair->kids[0].type != JN_STR || pair->kids[1].type != JN_STR) continue;
        net_headers_add(h, pair->kids[0].str, pair->kids[0].len, pair->kids[1].str);
    }
}

static void read_hop(const JNode *o, NetHop *h) {
    h->status = (int)json_num(o, "status");
    h->status_text = xstrdup(json_str(o, "statusText"));
    const char *v = json_str(o, "httpVersion");
    h->http_version = xstrdup(*v ? v : "1.1");
    h->url = xstrdup(json_str(o, "url"));
    read_headers(json_get(o, "headers"), &h->headers);
}

static void read_hops(const JNode *o, NetResult *res) {
    const JNode *hops = json_get(o, "hops");
    if (!hops || hops->type != JN_ARR || !hops->n) return;
    res->hops = xcalloc(hops->n, sizeof *res->hops);
    for (size_t i = 0; i < hops->n; i++) read_hop(&hops->kids[i], &res->hops[res->nhops++]);
}

static int fail(NetResult *res, const char *kind, const char *message) {
    free(res->kind);
    free(res->message);
    res->kind = xstrdup(kind);
    res->message = xstrdup(message);
    return -1;
}

static int read_failure(NetResult *res) {
    JNode j;
    bool parsed = json_parse(res->raw.data ? res->raw.data : "", res->raw.len, &j);
    if (!parsed || j.type != JN_OBJ) {
        if (parsed) json_free(&j);
        res->last.url = xstrdup("");
        res->last.status_text = xstrdup("");
        res->last.http_version = xstrdup("1.1");
        StrBuf m;
        sb_init(&m);
        sb_put(&m, res->raw.data ? res->raw.data : "", res->raw.len);
        fail(res, "failed", m.len ? sb_cstr(&m) : "the request failed");
        sb_free(&m);
        return -1;
    }
    fail(res, json_str(&j, "error"), json_str(&j, "message"));
    res->last.url = xstrdup(json_str(&j, "url")); /* the URL that failed (after the hops) */
    res->last.status_text = xstrdup("");
    res->last.http_version = xstrdup("1.1");
    res->host = xstrdup(json_str(&j, "host"));
    res->port = (int)json_num(&j, "port");
    res->ms = json_num(&j, "ms");
    res->received = json_num(&j, "received");
    res->max = (int)json_num(&j, "max");
    res->connected = json_num(&j, "connected") != 0;
    read_hops(&j, res);
    json_free(&j);
    return -1;
}

static int read_reply(NetResult *res) {
    const char *data = res->raw.data ? res->raw.data : "";
    const char *nl = memchr(data, '\n', res->raw.len);
    JNode j;
    if (!nl || !json_parse(data, (size_t)(nl - data), &j) || j.type != JN_OBJ) {
        if (nl) json_free(&j);
        return fail(res, "failed", "malformed reply from the fetch broker");
    }
    read_hop(&j, &res->last);
    read_hops(&j, res);
    res->remote_ip = xstrdup(json_str(&j, "remoteIp"));
    res->remote_port = (int)json_num(&j, "remotePort");
    res->ms = json_num(&j, "ms");
    json_free(&j);
    res->body = nl + 1;
    res->body_len = res->raw.len - (size_t)(nl + 1 - data);
    return 0;
}

int net_fetch(NetFetchFn *hook, const NetRequest *rq, NetResult *res) {
    memset(res, 0, sizeof *res);
    if (!hook || !*hook) return fail(res, "denied", "this session has no network (no fetch broker)");
    StrBuf j;
    sb_init(&j);
    build_request(rq, &j);
    int rc = (*hook)(sb_cstr(&j), j.len, &res->raw);
    sb_free(&j);
    return rc == 0 ? read_reply(res) : read_failure(res);
}

const char *net_reason_phrase(int status) {
    static const struct { int code; const char *text; } table[] = {
        {100, "Continue"}, {200, "OK"}, {201, "Created"}, {202, "Accepted"}, {204, "No Content"},
        {206, "Partial Content"}, {301, "Moved Permanently"}, {302, "Found"}, {303, "See Other"},
        {304, "Not Modified"}, {307, "Temporary Redirect"}, {308, "Permanent Redirect"}, {400, "Bad Request"},
        {401, "Unauthorized"}, {403, "Forbidden"}, {404, "Not Found"}, {405, "Method Not Allowed"},
        {409, "Conflict"}, {410, "Gone"}, {413, "Payload Too Large"}, {416, "Range Not Satisfiable"},
        {418, "I'm a Teapot"}, {429, "Too Many Requests"}, {500, "Internal Server Error"}, {501, "Not Implemented"},
        {502, "Bad Gateway"}, {503, "Service Unavailable"}, {504, "Gateway Timeout"},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (table[i].code == status) return table[i].text;
    return "";
}
