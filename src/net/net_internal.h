/* net_internal.h - what curl.c and wget.c share inside src/net/: a small
 * JSON reader and writer (json.c) and one request through the hook
 * (fetch.c). */
#ifndef WASMSH_NET_INTERNAL_H
#define WASMSH_NET_INTERNAL_H

#include "common.h"
#include "net.h"
#include "util.h"

#include <stdbool.h>
#include <stddef.h>

/* ---- json.c */
typedef enum { JN_NULL, JN_BOOL, JN_NUM, JN_STR, JN_ARR, JN_OBJ } JNodeType;

typedef struct JNode {
    JNodeType type;
    double num;           /* JN_NUM, JN_BOOL (0/1) */
    char *str;            /* JN_STR (NUL-terminated; may hold NULs, see len) */
    size_t len;
    struct JNode *kids;   /* JN_ARR, JN_OBJ */
    char **keys;          /* JN_OBJ */
    size_t n;
} JNode;

/* Parses data[0..n); false on malformed input (out is then empty). */
bool json_parse(const char *data, size_t n, JNode *out);
void json_free(JNode *j);
const JNode *json_get(const JNode *obj, const char *key);     /* NULL if absent */
const char *json_str(const JNode *obj, const char *key);      /* "" if absent */
double json_num(const JNode *obj, const char *key);           /* 0 if absent */
void json_put_string(StrBuf *b, const char *s, size_t n);     /* a quoted JSON string */

/* ---- fetch.c */
typedef struct NetHeaders {
    StrList names, values;
} NetHeaders;

/* One response of a chain: a redirect hop or the final one. */
typedef struct NetHop {
    int status;
    char *status_text, *http_version, *url;
    NetHeaders headers;
} NetHop;

typedef struct NetRequest {
    const char *url;
    const char *method;
    NetHeaders headers;     /* sent in this order; an empty value is sent as is */
    const char *body;
    size_t body_len;
    bool has_body;
    bool follow;
    int max_redirects;      /* -1: the session's limit */
    double timeout_ms, connect_timeout_ms; /* 0: the session's */
    bool decompress, insecure;
} NetRequest;

typedef struct NetResult {
    NetHop last;            /* the final response */
    NetHop *hops;           /* redirects followed (also on failures) */
    size_t nhops;
    char *remote_ip;
    int remote_port;
    double ms;
    const char *body;       /* into raw */
    size_t body_len;
    /* a failure: kind is "denied", "resolve", "connect", "timeout", ... */
    char *kind, *message, *host;
    int port, max;
    double received;
    bool connected;
    NetReply raw;
} NetResult;

void net_request_init(NetRequest *rq);
void net_request_free(NetRequest *rq);
void net_headers_add(NetHeaders *h, const char *name, size_t name_len, const char *value);
/* Index of a header (case-insensitive), or -1. */
long net_headers_find(const NetHeaders *h, const char *name);
const char *net_header(const NetHop *hop, const char *name); /* NULL if absent */
/* 0, or -1 with res->kind and res->message set. */
int net_fetch(NetFetchFn *hook, const NetRequest *rq, NetResult *res);
void net_result_free(NetResult *res);
const char *net_reason_phrase(int status);

#endif
