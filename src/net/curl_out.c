/* curl_out.c - what curl prints around a transfer: the progress meter on
 * stderr (curl shows it whenever -s is not given and the output is not a
 * terminal, which it never is here; the broker hands over whole responses,
 * so the meter has its first and its last line) and -w's variables. */
#include "curl_opts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* curl's 5-character sizes: 12345, 1234k, 12.3M, 1234M, 12.3G. */
static void max5(char out[24], double bytes) {
    const double K = 1024, M = 1024 * 1024;
    long long b = (long long)bytes;
    if (b < 100000) snprintf(out, 24, "%5lld", b);
    else if (b < 10000 * K) snprintf(out, 24, "%4lldk", (long long)(b / K));
    else if (b < 100 * M) snprintf(out, 24, "%2lld.%0lldM", (long long)(b / M), (long long)((b % (long long)M) / (M / 10)));
    else if (b < 10000 * M) snprintf(out, 24, "%4lldM", (long long)(b / M));
    else snprintf(out, 24, "%2lld.%0lldG", (long long)(b / (M * 1024)), (long long)((b % (long long)(M * 1024)) / (M * 102.4)));
}

static void time2str(char out[32], long secs) {
    if (secs <= 0) {
        snprintf(out, 32, "--:--:--");
        return;
    }
    long h = secs / 3600;
    if (h <= 99) snprintf(out, 32, "%2ld:%02ld:%02ld", h, (secs % 3600) / 60, secs % 60);
    else snprintf(out, 32, "%3ldd %02ldh", h / 24, h % 24);
}

static void meter_line(StrBuf *b, int total_pct, double total, int dl_pct, double dl, int ul_pct, double ul,
                       double ms) {
    char t[24], d[24], u[24], ds[24], us[24], cs[24], tt[32], ts[32], tl[32];
    double secs = ms / 1000.0;
    double dspeed = secs > 0 ? dl / secs : dl;
    double uspeed = secs > 0 ? ul / secs : ul;
    max5(t, total);
    max5(d, dl);
    max5(u, ul);
    max5(ds, dspeed);
    max5(us, uspeed);
    max5(cs, dspeed > uspeed ? dspeed : uspeed);
    time2str(tt, total_pct == 100 && dl_pct == 100 ? (long)secs : 0);
    time2str(ts, (long)secs);
    time2str(tl, 0);
    sb_printf(b, "\r%3d %s  %3d %s  %3d %s  %s  %s %s %s %s %s", total_pct, t, dl_pct, d, ul_pct, u, ds, us, tt, ts,
              tl, cs);
}

void curl_meter(Curl *k, Transfer *t) {
    StrBuf b;
    sb_init(&b);
    double ul = t->rq.has_body ? (double)t->rq.body_len : 0;
    bool got = !t->exitcode || t->res.last.status;
    double dl = got ? (double)t->res.body_len : 0;
    if (k->progress_bar) {
        if (got) sb_puts(&b, "######################################################################## 100.0%\n");
        uc_puts(k->c, 2, sb_cstr(&b));
        sb_free(&b);
        return;
    }
    if (!t->meter_shown)
        sb_puts(&b, "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n"
                    "                                 Dload  Upload   Total   Spent    Left  Speed\n");
    t->meter_shown = true;
    meter_line(&b, 0, 0, 0, 0, 0, 0, 0);
    if (got && (dl || ul)) {
        bool known = net_header(&t->res.last, "content-length") != NULL;
        meter_line(&b, 100, dl + ul, known ? 100 : 0, dl, ul ? 100 : 0, ul, t->elapsed_ms);
    } else {
        meter_line(&b, 0, 0, 0, 0, 0, 0, 0); /* curl's last update, nothing transferred */
    }
    sb_putc(&b, '\n');
    uc_write(k->c, 2, b.s, b.len);
    sb_free(&b);
}

/* ---- -w */

static size_t head_size(const NetHop *h) {
    size_t n = strlen("HTTP/ \r\n") + strlen(h->http_version) + 4 + strlen(h->status_text) + 2;
    for (size_t i = 0; i < h->headers.names.n; i++) n += strlen(h->headers.names.v[i]) + strlen(h->headers.values.v[i]) + 4;
    return n;
}

static void header_json(StrBuf *o, const NetHop *h) {
    sb_putc(o, '{');
    bool first = true;
    for (size_t i = 0; i < h->headers.names.n; i++) {
        bool seen = false;
        for (size_t j = 0; j < i; j++)
            if (!strcasecmp(h->headers.names.v[j], h->headers.names.v[i])) seen = true;
        if (seen) continue;
        if (!first) sb_puts(o, ",\n");
        first = false;
        char *lower = xstrdup(h->headers.names.v[i]);
        for (char *p = lower; *p; p++) *p = (char)tolower((unsigned char)*p);
        json_put_string(o, lower, strlen(lower));
        free(lower);
        sb_puts(o, ":[");
        bool firstv = true;
        for (size_t j = i; j < h->headers.names.n; j++) {
            if (strcasecmp(h->headers.names.v[j], h->headers.names.v[i])) continue;
            if (!firstv) sb_putc(o, ',');
            firstv = false;
            json_put_string(o, h->headers.values.v[j], strlen(h->headers.values.v[j]));
        }
        sb_putc(o, ']');
    }
    sb_puts(o, "\n}");
}

static void redirect_url(StrBuf *o, const Transfer *t) {
    const NetResult *r = &t->res;
    int s = r->last.status;
    const char *loc = net_header(&r->last, "location");
    if (t->exitcode || !loc || !(s == 301 || s == 302 || s == 303 || s == 307 || s == 308)) return;
    if (strstr(loc, "://")) {
        sb_puts(o, loc);
        return;
    }
    const char *base = r->last.url;
    const char *hostend = strstr(base, "://");
    hostend = hostend ? hostend + 3 + strcspn(hostend + 3, "/?#") : base + strlen(base);
    if (loc[0] == '/') {
        sb_put(o, base, (size_t)(hostend - base));
        sb_puts(o, loc);
    } else {
        const char *q = base + strcspn(base, "?#");
        const char *slash = q;
        while (slash > hostend && slash[-1] != '/') slash--;
        if (slash <= hostend) {
            sb_put(o, base, (size_t)(hostend - base));
            sb_putc(o, '/');
        } else {
            sb_put(o, base, (size_t)(slash - base));
        }
        sb_puts(o, loc);
    }
}

/* One %{name}; false when the name is unknown. */
static bool variable(Curl *k, const Transfer *t, const char *name, StrBuf *o) {
    const NetResult *r = &t->res;
    bool ok = !t->exitcode || r->last.status;
    double secs = t->elapsed_ms / 1000.0;
    size_t heads = 0;
    for (size_t i = 0; ok && i < r->nhops; i++) heads += head_size(&r->hops[i]);
    if (ok) heads += head_size(&r->last);
    double ul = t->rq.has_body ? (double)t->rq.body_len : 0;
    const char *ct = ok ? net_header(&r->last, "content-type") : NULL;
    if (!strcmp(name, "http_code") || !strcmp(name, "response_code")) sb_printf(o, "%03d", ok ? r->last.status : 0);
    else if (!strcmp(name, "http_connect")) sb_puts(o, "000");
    else if (!strcmp(name, "url_effective")) sb_puts(o, ok && *r->last.url ? r->last.url : t->url);
    else if (!strcmp(name, "url")) sb_puts(o, t->url);
    else if (!strcmp(name, "size_download")) sb_printf(o, "%zu", ok ? r->body_len : 0);
    else if (!strcmp(name, "size_upload")) sb_printf(o, "%.0f", ul);
    else if (!strcmp(name, "size_header") || !strcmp(name, "header_size")) sb_printf(o, "%zu", heads);
    else if (!strcmp(name, "size_request") || !strcmp(name, "request_size")) {
        size_t n = strlen(t->method) + strlen(t->url) + 20;
        for (size_t i = 0; i < t->rq.headers.names.n; i++)
            n += strlen(t->rq.headers.names.v[i]) + strlen(t->rq.headers.values.v[i]) + 4;
        sb_printf(o, "%zu", n);
    } else if (!strcmp(name, "content_type")) sb_puts(o, ct ? ct : "");
    else if (!strcmp(name, "num_redirects")) sb_printf(o, "%zu", r->nhops);
    else if (!strcmp(name, "num_connects")) sb_printf(o, "%zu", ok ? r->nhops + 1 : 0);
    else if (!strcmp(name, "num_headers")) sb_printf(o, "%zu", ok ? r->last.headers.names.n : 0);
    else if (!strcmp(name, "redirect_url")) redirect_url(o, t);
    else if (!strcmp(name, "method")) sb_puts(o, t->method);
    else if (!strcmp(name, "scheme")) {
        const char *e = strstr(t->url, "://");
        for (const char *p = t->url; e && p < e; p++) sb_putc(o, (char)toupper((unsigned char)*p));
    } else if (!strcmp(name, "exitcode")) sb_printf(o, "%d", t->exitcode);
    else if (!strcmp(name, "errormsg")) sb_puts(o, t->errormsg ? t->errormsg : "");
    else if (!strcmp(name, "remote_ip")) sb_puts(o, ok && r->remote_ip ? r->remote_ip : "");
    else if (!strcmp(name, "remote_port")) sb_printf(o, "%d", ok ? r->remote_port : 0);
    else if (!strcmp(name, "local_ip")) sb_puts(o, "");
    else if (!strcmp(name, "local_port")) sb_puts(o, "0");
    else if (!strcmp(name, "filename_effective")) sb_puts(o, t->dest ? t->dest : "");
    else if (!strcmp(name, "http_version")) sb_puts(o, ok ? r->last.http_version : "0");
    else if (!strcmp(name, "ssl_verify_result") || !strcmp(name, "proxy_ssl_verify_result")) sb_puts(o, "0");
    else if (!strcmp(name, "speed_download")) sb_printf(o, "%.0f", secs > 0 ? (double)r->body_len / secs : 0);
    else if (!strcmp(name, "speed_upload")) sb_printf(o, "%.0f", secs > 0 ? ul / secs : 0);
    else if (!strcmp(name, "time_total") || !strcmp(name, "time_starttransfer")) sb_printf(o, "%.6f", secs);
    else if (!strcmp(name, "time_namelookup") || !strcmp(name, "time_connect") || !strcmp(name, "time_appconnect") ||
             !strcmp(name, "time_pretransfer") || !strcmp(name, "time_redirect")) sb_printf(o, "%.6f", 0.0);
    else if (!strcmp(name, "header_json")) header_json(o, &r->last);
    else if (!strcmp(name, "urlnum")) sb_puts(o, "0");
    else return false;
    (void)k;
    return true;
}

static void flush_to(Curl *k, int fd, StrBuf *o) {
    if (o->len) uc_write(k->c, fd, o->s, o->len);
    sb_clear(o);
}

void curl_write_out(Curl *k, Transfer *t) {
    StrBuf o;
    sb_init(&o);
    int fd = 1;
    for (const char *p = k->write_out; *p; p++) {
        if (*p == '\\' && p[1]) {
            char e = *++p;
            sb_putc(&o, e == 'n' ? '\n' : e == 'r' ? '\r' : e == 't' ? '\t' : e);
            if (e != 'n' && e != 'r' && e != 't' && e != '\\') { /* unknown escapes stay as written */
                o.len--;
                sb_putc(&o, '\\');
                sb_putc(&o, e);
            }
            continue;
        }
        if (*p != '%') {
            sb_putc(&o, *p);
            continue;
        }
        if (p[1] == '%') {
            sb_putc(&o, '%');
            p++;
            continue;
        }
        bool header = !strncmp(p + 1, "header{", 7);
        if (p[1] != '{' && !header) {
            sb_putc(&o, '%');
            continue;
        }
        const char *open = header ? p + 8 : p + 2;
        const char *close = strchr(open, '}');
        if (!close) {
            sb_puts(&o, p);
            break;
        }
        char *name = xstrndup(open, (size_t)(close - open));
        p = close;
        if (header) {
            const char *v = net_header(&t->res.last, name);
            if (v && (!t->exitcode || t->res.last.status)) sb_puts(&o, v);
        } else if (!strcmp(name, "stdout") || !strcmp(name, "stderr")) {
            flush_to(k, fd, &o);
            fd = name[3] == 'o' ? 1 : 2;
        } else if (!strcmp(name, "onerror")) {
            if (!t->exitcode) {
                free(name);
                break;
            }
        } else if (!variable(k, t, name, &o)) {
            flush_to(k, fd, &o);
            uc_printf(k->c, 2, "curl: unknown --write-out variable: '%s'\n", name);
        }
        free(name);
    }
    flush_to(k, fd, &o);
    sb_free(&o);
}
