/* curl_opts.h - the pieces of curl: its options (curl_opts.c), the request
 * body (-d, --data-*, --json, -F, -T, in curl_body.c), -w and the progress
 * meter (curl_out.c), the transfers (curl.c). */
#ifndef WASMSH_CURL_OPTS_H
#define WASMSH_CURL_OPTS_H

#include "net_internal.h"

#include <ctype.h>
#include <stdarg.h>

#define CURL_USER_AGENT "curl/7.88.1"
#define CURL_REMOTE_NAME "\x01remote" /* an -O in the list of outputs */

typedef struct Curl {
    UtilCtx *c;
    NetFetchFn *hook;
    bool silent, show_error, fail, fail_with_body, location, include, head, verbose, get;
    bool compressed, insecure, create_dirs, remote_header_name, remote_name_all, no_meter, progress_bar;
    bool retry_all, retry_connrefused, user_agent_set, json;
    int max_redirs, retry;
    double max_time_ms, connect_timeout_ms, retry_delay_ms, retry_max_time_ms;
    const char *method, *user, *user_agent, *referer, *dump_header, *output_dir, *upload_file;
    const char *range, *continue_at, *cookie;
    char *write_out;       /* owned (may come from a file) */
    StrList custom;        /* -H lines in order */
    StrBuf data;           /* -d & co., joined with '&' */
    bool has_data, data_binary_only;
    StrList forms;         /* -F specs; a leading '\x02' marks --form-string */
    StrList urls;
    StrList outputs;       /* -o FILE or CURL_REMOTE_NAME, paired with urls in order */
    StrBuf stdin_cache;    /* "-" read once */
    StrBuf pending;        /* error messages of the transfer, printed after its progress meter */
    bool defer;
    bool stdin_read;
} Curl;

typedef struct Transfer {
    char *url;
    const char *method;
    NetRequest rq;
    NetResult res;
    char *body_owned;
    const char *dest;      /* NULL: stdout */
    char *dest_owned;
    bool want_remote_name, append;
    bool meter_shown;      /* the meter's two header lines are printed once per URL */
    int exitcode;
    char *errormsg;
    double elapsed_ms;
} Transfer;

void curl_init(Curl *k, UtilCtx *c);
void curl_free(Curl *k);
/* 0, a curl exit code for a usage error, or -1 when done (--help, --version). */
int curl_parse(Curl *k, int argc, char **argv);
/* Sets t->rq's body and *content_type; 0 or an exit code (t->exitcode set). */
int curl_body(Curl *k, Transfer *t, const char **content_type);
/* Reads a file ("-" = stdin) for -d @FILE and the like; false if it cannot be read. */
bool curl_read_file(Curl *k, const char *path, StrBuf *out);
void curl_write_out(Curl *k, Transfer *t);
void curl_meter(Curl *k, Transfer *t);
void curl_error(Curl *k, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* A whole message line for stderr (deferred like errors). */
void curl_say(Curl *k, const char *text);
void curl_warn(Curl *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int curl_main(UtilCtx *c, int argc, char **argv);

#endif
