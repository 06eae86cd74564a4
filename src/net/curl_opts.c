/* curl_opts.c - curl's command line, parsed as curl does (its own parser:
 * options anywhere, exact long names, --no-NAME for switches, short
 * clusters with an attached or following argument). */
#include "curl_opts.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum CurlOptId {
    O_SILENT = 1, O_SHOW_ERROR, O_FAIL, O_FAIL_BODY, O_LOCATION, O_MAX_REDIRS, O_OUTPUT, O_REMOTE_NAME,
    O_REMOTE_NAME_ALL, O_REMOTE_HEADER_NAME, O_OUTPUT_DIR, O_CREATE_DIRS, O_INCLUDE, O_HEAD, O_DUMP_HEADER,
    O_HEADER, O_USER_AGENT, O_REFERER, O_USER, O_REQUEST, O_DATA, O_DATA_BINARY, O_DATA_RAW, O_DATA_URLENCODE,
    O_JSON, O_FORM, O_FORM_STRING, O_GET, O_UPLOAD, O_WRITE_OUT, O_MAX_TIME, O_CONNECT_TIMEOUT, O_RETRY,
    O_RETRY_DELAY, O_RETRY_MAX_TIME, O_RETRY_ALL, O_RETRY_CONNREFUSED, O_COMPRESSED, O_INSECURE, O_VERBOSE,
    O_PROGRESS_BAR, O_NO_METER, O_URL, O_RANGE, O_CONTINUE_AT, O_COOKIE, O_IGNORED, O_IGNORED_ARG, O_HELP,
    O_VERSION, O_PROXY, O_LOCATION_TRUSTED,
};

enum { A_NONE, A_REQ, A_BOOL }; /* A_BOOL: a switch that --no-NAME turns off */

typedef struct CurlOpt {
    const char *name;
    char short_name;
    int arg;
    int id;
} CurlOpt;

static const CurlOpt OPTS[] = {
    {"silent", 's', A_BOOL, O_SILENT}, {"show-error", 'S', A_BOOL, O_SHOW_ERROR}, {"fail", 'f', A_BOOL, O_FAIL},
    {"fail-with-body", 0, A_BOOL, O_FAIL_BODY}, {"location", 'L', A_BOOL, O_LOCATION},
    {"location-trusted", 0, A_BOOL, O_LOCATION_TRUSTED}, {"max-redirs", 0, A_REQ, O_MAX_REDIRS},
    {"output", 'o', A_REQ, O_OUTPUT}, {"remote-name", 'O', A_NONE, O_REMOTE_NAME},
    {"remote-name-all", 0, A_BOOL, O_REMOTE_NAME_ALL}, {"remote-header-name", 'J', A_BOOL, O_REMOTE_HEADER_NAME},
    {"output-dir", 0, A_REQ, O_OUTPUT_DIR}, {"create-dirs", 0, A_BOOL, O_CREATE_DIRS},
    {"include", 'i', A_BOOL, O_INCLUDE}, {"head", 'I', A_BOOL, O_HEAD}, {"dump-header", 'D', A_REQ, O_DUMP_HEADER},
    {"header", 'H', A_REQ, O_HEADER}, {"user-agent", 'A', A_REQ, O_USER_AGENT}, {"referer", 'e', A_REQ, O_REFERER},
    {"user", 'u', A_REQ, O_USER}, {"request", 'X', A_REQ, O_REQUEST}, {"data", 'd', A_REQ, O_DATA},
    {"data-ascii", 0, A_REQ, O_DATA}, {"data-binary", 0, A_REQ, O_DATA_BINARY}, {"data-raw", 0, A_REQ, O_DATA_RAW},
    {"data-urlencode", 0, A_REQ, O_DATA_URLENCODE}, {"json", 0, A_REQ, O_JSON}, {"form", 'F', A_REQ, O_FORM},
    {"form-string", 0, A_REQ, O_FORM_STRING}, {"get", 'G', A_BOOL, O_GET}, {"upload-file", 'T', A_REQ, O_UPLOAD},
    {"write-out", 'w', A_REQ, O_WRITE_OUT}, {"max-time", 'm', A_REQ, O_MAX_TIME},
    {"connect-timeout", 0, A_REQ, O_CONNECT_TIMEOUT}, {"retry", 0, A_REQ, O_RETRY},
    {"retry-delay", 0, A_REQ, O_RETRY_DELAY}, {"retry-max-time", 0, A_REQ, O_RETRY_MAX_TIME},
    {"retry-all-errors", 0, A_BOOL, O_RETRY_ALL}, {"retry-connrefused", 0, A_BOOL, O_RETRY_CONNREFUSED},
    {"compressed", 0, A_BOOL, O_COMPRESSED}, {"insecure", 'k', A_BOOL, O_INSECURE}, {"verbose", 'v', A_BOOL, O_VERBOSE},
    {"progress-bar", '#', A_BOOL, O_PROGRESS_BAR}, {"no-progress-meter", 0, A_NONE, O_NO_METER},
    {"url", 0, A_REQ, O_URL}, {"range", 'r', A_REQ, O_RANGE}, {"continue-at", 'C', A_REQ, O_CONTINUE_AT},
    {"cookie", 'b', A_REQ, O_COOKIE}, {"cookie-jar", 'c', A_REQ, O_IGNORED_ARG}, {"globoff", 'g', A_BOOL, O_IGNORED},
    {"http1.1", 0, A_NONE, O_IGNORED}, {"http1.0", '0', A_NONE, O_IGNORED}, {"http2", 0, A_NONE, O_IGNORED},
    {"tlsv1.2", 0, A_NONE, O_IGNORED}, {"tlsv1.3", 0, A_NONE, O_IGNORED}, {"ipv4", '4', A_NONE, O_IGNORED},
    {"ipv6", '6', A_NONE, O_IGNORED}, {"post301", 0, A_BOOL, O_IGNORED}, {"post302", 0, A_BOOL, O_IGNORED},
    {"post303", 0, A_BOOL, O_IGNORED}, {"raw", 0, A_BOOL, O_IGNORED}, {"buffer", 'N', A_BOOL, O_IGNORED},
    {"fail-early", 0, A_BOOL, O_IGNORED}, {"styled-output", 0, A_BOOL, O_IGNORED}, {"parallel", 'Z', A_BOOL, O_IGNORED},
    {"path-as-is", 0, A_BOOL, O_IGNORED}, {"disable", 'q', A_NONE, O_IGNORED}, {"basic", 0, A_BOOL, O_IGNORED},
    {"keepalive", 0, A_BOOL, O_IGNORED}, {"tcp-nodelay", 0, A_BOOL, O_IGNORED}, {"ssl-reqd", 0, A_BOOL, O_IGNORED},
    {"proto", 0, A_REQ, O_IGNORED_ARG}, {"proto-redir", 0, A_REQ, O_IGNORED_ARG},
    {"oauth2-bearer", 0, A_REQ, O_IGNORED_ARG}, {"proxy", 'x', A_REQ, O_PROXY}, {"noproxy", 0, A_REQ, O_IGNORED_ARG},
    {"help", 'h', A_NONE, O_HELP}, {"version", 'V', A_NONE, O_VERSION}, {"manual", 'M', A_NONE, O_HELP},
};

static const char CURL_HELP[] =
    "Usage: curl [options...] <url>\n"
    " -d, --data <data>          HTTP POST data\n"
    " -f, --fail                 Fail fast with no output on HTTP errors\n"
    " -h, --help <category>      Get help for commands\n"
    " -i, --include              Include protocol response headers in the output\n"
    " -o, --output <file>        Write to file instead of stdout\n"
    " -O, --remote-name          Write output to a file named as the remote file\n"
    " -s, --silent               Silent mode\n"
    " -T, --upload-file <file>   Transfer local FILE to destination\n"
    " -u, --user <user:password> Server user and password\n"
    " -A, --user-agent <name>    Send User-Agent <name> to server\n"
    " -v, --verbose              Make the operation more talkative\n"
    " -V, --version              Show version number and quit\n"
    "\n"
    "This is not the full help, this menu is stripped into categories.\n"
    "Use \"--help category\" to get an overview of all categories.\n"
    "For all options use the manual or \"--help all\".\n"
    "wasmsh: every request goes through the session's fetch broker (allowedHosts).\n";

static const char CURL_VERSION[] =
    "curl 7.88.1 (wasm32-unknown-wasmsh) libcurl/7.88.1 (the wasmsh fetch broker)\n"
    "Release-Date: 2023-02-20\n"
    "Protocols: http https\n"
    "Features: IPv6 Largefile libz brotli\n";

void curl_init(Curl *k, UtilCtx *c) {
    memset(k, 0, sizeof *k);
    k->c = c;
    k->hook = uc_command_data(c);
    k->max_redirs = -1;
    sb_init(&k->data);
    sb_init(&k->stdin_cache);
    sb_init(&k->pending);
}

void curl_free(Curl *k) {
    sl_free(&k->custom);
    sl_free(&k->forms);
    sl_free(&k->urls);
    sl_free(&k->outputs);
    sb_free(&k->data);
    sb_free(&k->stdin_cache);
    sb_free(&k->pending);
    free(k->write_out);
}

static int usage_error(Curl *k, const char *opt, const char *what) {
    uc_printf(k->c, 2, "curl: option %s: %s\ncurl: try 'curl --help' or 'curl --manual' for more information\n",
              opt, what);
    return 2;
}

bool curl_read_file(Curl *k, const char *path, StrBuf *out) {
    if (!strcmp(path, "-")) {
        if (!k->stdin_read) {
            char buf[8192];
            ssize_t n;
            while ((n = uc_read(k->c, 0, buf, sizeof buf)) > 0) sb_put(&k->stdin_cache, buf, (size_t)n);
            k->stdin_read = true;
        }
        sb_put(out, k->stdin_cache.s ? k->stdin_cache.s : "", k->stdin_cache.len);
        return true;
    }
    UcFile *f = uc_open(k->c, path, "r");
    if (!f) return false;
    char buf[8192];
    ssize_t n;
    while ((n = uc_fread(f, buf, sizeof buf)) > 0) sb_put(out, buf, (size_t)n);
    uc_close(f);
    return n == 0;
}

/* curl's URL encoding for --data-urlencode (space as '+'). */
static void urlencode(StrBuf *b, const char *s, size_t n) {
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (isalnum(ch) || ch == '-' || ch == '.' || ch == '_' || ch == '~') {
            sb_putc(b, (char)ch);
        } else if (ch == ' ') {
            sb_putc(b, '+');
        } else {
            sb_putc(b, '%');
            sb_putc(b, hex[ch >> 4]);
            sb_putc(b, hex[ch & 15]);
        }
    }
}

static void add_data(Curl *k, int id, const char *arg) {
    StrBuf piece;
    sb_init(&piece);
    if ((id == O_DATA || id == O_DATA_BINARY || id == O_JSON) && arg[0] == '@') {
        if (!curl_read_file(k, arg + 1, &piece))
            curl_warn(k, "Couldn't read data from file \"%s\", this makes an empty POST.", arg + 1);
        if (id == O_DATA) { /* -d @FILE drops carriage returns and newlines */
            size_t w = 0;
            for (size_t i = 0; i < piece.len; i++)
                if (piece.s[i] != '\r' && piece.s[i] != '\n') piece.s[w++] = piece.s[i];
            piece.len = w;
        }
    } else if (id == O_DATA_URLENCODE) {
        const char *eq = strchr(arg, '=');
        const char *at = strchr(arg, '@');
        if (at && (!eq || at < eq)) {
            StrBuf file;
            sb_init(&file);
            if (!curl_read_file(k, at + 1, &file))
                curl_warn(k, "Couldn't read data from file \"%s\", this makes an empty POST.", at + 1);
            if (at > arg) {
                sb_put(&piece, arg, (size_t)(at - arg));
                sb_putc(&piece, '=');
            }
            urlencode(&piece, file.s ? file.s : "", file.len);
            sb_free(&file);
        } else if (eq) {
            if (eq > arg) sb_put(&piece, arg, (size_t)(eq - arg + 1));
            urlencode(&piece, eq + 1, strlen(eq + 1));
        } else {
            urlencode(&piece, arg, strlen(arg));
        }
    } else {
        sb_puts(&piece, arg);
    }
    if (k->has_data && id != O_JSON) sb_putc(&k->data, '&');
    k->has_data = true;
    sb_put(&k->data, piece.s ? piece.s : "", piece.len);
    sb_free(&piece);
}

static bool parse_seconds(const char *s, double *ms) {
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end || !(v >= 0) || !isfinite(v)) return false;
    *ms = v * 1000.0;
    return true;
}

static bool parse_count(const char *s, int *out) {
    char *end;
    long v = strtol(s, &end, 10);
    if (end == s || *end || v < -1 || v > 1000000) return false;
    *out = (int)v;
    return true;
}

static int set_switch(Curl *k, int id, bool on) {
    switch (id) {
    case O_SILENT: k->silent = on; break;
    case O_SHOW_ERROR: k->show_error = on; break;
    case O_FAIL: k->fail = on; break;
    case O_FAIL_BODY: k->fail_with_body = on; k->fail = on; break;
    case O_LOCATION: case O_LOCATION_TRUSTED: k->location = on; break;
    case O_REMOTE_NAME_ALL: k->remote_name_all = on; break;
    case O_REMOTE_HEADER_NAME: k->remote_header_name = on; break;
    case O_CREATE_DIRS: k->create_dirs = on; break;
    case O_INCLUDE: k->include = on; break;
    case O_HEAD: k->head = on; break;
    case O_GET: k->get = on; break;
    case O_RETRY_ALL: k->retry_all = on; break;
    case O_RETRY_CONNREFUSED: k->retry_connrefused = on; break;
    case O_COMPRESSED: k->compressed = on; break;
    case O_INSECURE: k->insecure = on; break;
    case O_VERBOSE: k->verbose = on; break;
    case O_PROGRESS_BAR: k->progress_bar = on; break;
    default: break;
    }
    return 0;
}

static int with_arg(Curl *k, const CurlOpt *o, const char *shown, const char *arg) {
    switch (o->id) {
    case O_MAX_REDIRS:
        if (!parse_count(arg, &k->max_redirs)) return usage_error(k, shown, "expected a proper numerical parameter");
        break;
    case O_OUTPUT: sl_push_copy(&k->outputs, arg); break;
    case O_OUTPUT_DIR: k->output_dir = arg; break;
    case O_DUMP_HEADER: k->dump_header = arg; break;
    case O_HEADER:
        if (arg[0] == '@') {
            StrBuf f;
            sb_init(&f);
            if (curl_read_file(k, arg + 1, &f)) {
                const char *p = sb_cstr(&f);
                while (*p) {
                    size_t n = strcspn(p, "\r\n");
                    if (n) sl_push(&k->custom, xstrndup(p, n));
                    p += n;
                    p += strspn(p, "\r\n");
                }
            }
            sb_free(&f);
        } else {
            sl_push_copy(&k->custom, arg);
        }
        break;
    case O_USER_AGENT: k->user_agent = arg; k->user_agent_set = *arg != 0; break;
    case O_REFERER: k->referer = arg; break;
    case O_USER: k->user = arg; break;
    case O_REQUEST: k->method = arg; break;
    case O_DATA: case O_DATA_BINARY: case O_DATA_RAW: case O_DATA_URLENCODE: add_data(k, o->id, arg); break;
    case O_JSON: k->json = true; add_data(k, O_JSON, arg); break;
    case O_FORM: sl_push_copy(&k->forms, arg); break;
    case O_FORM_STRING: {
        StrBuf s;
        sb_init(&s);
        sb_printf(&s, "\x02%s", arg);
        sl_push(&k->forms, sb_take(&s));
        break;
    }
    case O_UPLOAD: k->upload_file = arg; break;
    case O_WRITE_OUT: {
        free(k->write_out);
        if (arg[0] == '@') {
            StrBuf f;
            sb_init(&f);
            curl_read_file(k, arg + 1, &f);
            k->write_out = sb_take(&f);
        } else {
            k->write_out = xstrdup(arg);
        }
        break;
    }
    case O_MAX_TIME:
        if (!parse_seconds(arg, &k->max_time_ms)) return usage_error(k, shown, "expected a proper numerical parameter");
        break;
    case O_CONNECT_TIMEOUT:
        if (!parse_seconds(arg, &k->connect_timeout_ms)) return usage_error(k, shown, "expected a proper numerical parameter");
        break;
    case O_RETRY:
        if (!parse_count(arg, &k->retry) || k->retry < 0) return usage_error(k, shown, "expected a proper numerical parameter");
        break;
    case O_RETRY_DELAY:
        if (!parse_seconds(arg, &k->retry_delay_ms)) return usage_error(k, shown, "expected a proper numerical parameter");
        break;
    case O_RETRY_MAX_TIME:
        if (!parse_seconds(arg, &k->retry_max_time_ms)) return usage_error(k, shown, "expected a proper numerical parameter");
        break;
    case O_URL: sl_push_copy(&k->urls, arg); break;
    case O_RANGE: k->range = arg; break;
    case O_CONTINUE_AT: k->continue_at = arg; break;
    case O_COOKIE: if (strchr(arg, '=')) k->cookie = arg; break;
    case O_PROXY:
        uc_printf(k->c, 2, "curl: option %s: proxies are not used in wasmsh: every request goes through the "
                  "session's fetch broker\n", shown);
        return 2;
    default: break;
    }
    return 0;
}

/* One option; *i moves past an argument taken from the next word. */
static int apply(Curl *k, const CurlOpt *o, bool on, const char *shown, const char *attached, int argc, char **argv, int *i) {
    if (o->arg != A_REQ) {
        switch (o->id) {
        case O_REMOTE_NAME: sl_push_copy(&k->outputs, CURL_REMOTE_NAME); return 0;
        case O_NO_METER: k->no_meter = true; return 0;
        case O_HELP: uc_puts(k->c, 1, CURL_HELP); return -1;
        case O_VERSION: uc_puts(k->c, 1, CURL_VERSION); return -1;
        default: return set_switch(k, o->id, on);
        }
    }
    const char *arg = attached;
    if (!arg) {
        if (*i + 1 >= argc) return usage_error(k, shown, "requires parameter");
        arg = argv[++*i];
    }
    return with_arg(k, o, shown, arg);
}

static const CurlOpt *find_long(const char *name) {
    for (size_t i = 0; i < sizeof OPTS / sizeof OPTS[0]; i++)
        if (!strcmp(OPTS[i].name, name)) return &OPTS[i];
    return NULL;
}

static const CurlOpt *find_short(char ch) {
    for (size_t i = 0; i < sizeof OPTS / sizeof OPTS[0]; i++)
        if (OPTS[i].short_name == ch) return &OPTS[i];
    return NULL;
}

static int parse_long(Curl *k, int argc, char **argv, int *i) {
    const char *a = argv[*i];
    const char *name = a + 2;
    bool on = true;
    const CurlOpt *o = find_long(name);
    if (!o && !strncmp(name, "no-", 3)) {
        o = find_long(name + 3);
        if (o && o->arg != A_BOOL) o = NULL;
        on = false;
    }
    if (!o) return usage_error(k, a, "is unknown");
    return apply(k, o, on, a, NULL, argc, argv, i);
}

static int parse_cluster(Curl *k, int argc, char **argv, int *i) {
    const char *a = argv[*i];
    for (const char *p = a + 1; *p; p++) {
        char shown[4] = {'-', *p, 0, 0};
        const CurlOpt *o = find_short(*p);
        if (!o) return usage_error(k, shown, "is unknown");
        if (o->arg == A_REQ) return apply(k, o, true, shown, p[1] ? p + 1 : NULL, argc, argv, i);
        int rc = apply(k, o, true, shown, NULL, argc, argv, i);
        if (rc) return rc;
    }
    return 0;
}

int curl_parse(Curl *k, int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int rc = 0;
        if (a[0] == '-' && a[1] == '-' && a[2]) rc = parse_long(k, argc, argv, &i);
        else if (a[0] == '-' && a[1]) rc = parse_cluster(k, argc, argv, &i);
        else sl_push_copy(&k->urls, a);
        if (rc) return rc;
    }
    return 0;
}
