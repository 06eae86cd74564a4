/* curl_body.c - the body of curl's request: -d and friends (already joined
 * by curl_opts.c), --json, -F (multipart/form-data as curl builds it) and
 * -T (the file, PUT; a URL ending in '/' gets the file's name). */
#include "curl_opts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *content_type_for(const char *name) {
    static const struct { const char *ext, *type; } table[] = {
        {".gif", "image/gif"}, {".jpg", "image/jpeg"}, {".jpeg", "image/jpeg"}, {".png", "image/png"},
        {".svg", "image/svg+xml"}, {".txt", "text/plain"}, {".htm", "text/html"}, {".html", "text/html"},
        {".pdf", "application/pdf"}, {".xml", "application/xml"},
    };
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && i < sizeof table / sizeof table[0]; i++)
        if (!strcasecmp(dot, table[i].ext)) return table[i].type;
    return "application/octet-stream";
}

static const char *base_name(const char *path) {
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* "name=value;type=T;filename=F" split into its parts (the value keeps
 * what follows ';' unless that is type= or filename=). */
typedef struct FormPart {
    char *name, *value, *type, *filename;
} FormPart;

static void form_part(const char *spec, bool literal, FormPart *p) {
    memset(p, 0, sizeof *p);
    const char *eq = strchr(spec, '=');
    p->name = eq ? xstrndup(spec, (size_t)(eq - spec)) : xstrdup(spec);
    const char *v = eq ? eq + 1 : "";
    if (literal || (*v != '@' && *v != '<')) {
        p->value = xstrdup(v);
        return;
    }
    size_t n = strcspn(v, ";");
    p->value = xstrndup(v, n);
    for (const char *q = v + n; *q == ';';) {
        q++;
        size_t m = strcspn(q, ";");
        if (!strncasecmp(q, "type=", 5)) p->type = xstrndup(q + 5, m - 5);
        else if (!strncasecmp(q, "filename=", 9)) p->filename = xstrndup(q + 9, m - 9);
        q += m;
    }
}

static void form_part_free(FormPart *p) {
    free(p->name);
    free(p->value);
    free(p->type);
    free(p->filename);
}

static int multipart(Curl *k, Transfer *t, StrBuf *body, char **ctype) {
    char boundary[64];
    snprintf(boundary, sizeof boundary, "------------------------%08x%08x", uc_random(k->c), uc_random(k->c));
    for (size_t i = 0; i < k->forms.n; i++) {
        const char *spec = k->forms.v[i];
        bool literal = spec[0] == '\x02';
        FormPart p;
        form_part(literal ? spec + 1 : spec, literal, &p);
        sb_printf(body, "--%s\r\nContent-Disposition: form-data; name=\"%s\"", boundary, p.name);
        if (!literal && (p.value[0] == '@' || p.value[0] == '<')) {
            bool upload = p.value[0] == '@';
            const char *path = p.value + 1;
            StrBuf data;
            sb_init(&data);
            if (!curl_read_file(k, path, &data)) {
                sb_free(&data);
                curl_error(k, 26, "Failed to open/read local data from file/application");
                form_part_free(&p);
                t->exitcode = 26;
                return 26;
            }
            if (upload) sb_printf(body, "; filename=\"%s\"", p.filename ? p.filename : base_name(path));
            sb_puts(body, "\r\n");
            if (upload || p.type) sb_printf(body, "Content-Type: %s\r\n", p.type ? p.type : content_type_for(path));
            sb_puts(body, "\r\n");
            sb_put(body, data.s ? data.s : "", data.len);
            sb_free(&data);
        } else {
            sb_puts(body, "\r\n\r\n");
            sb_puts(body, p.value);
        }
        sb_puts(body, "\r\n");
        form_part_free(&p);
    }
    sb_printf(body, "--%s--\r\n", boundary);
    StrBuf ct;
    sb_init(&ct);
    sb_printf(&ct, "multipart/form-data; boundary=%s", boundary);
    *ctype = sb_take(&ct);
    return 0;
}

static int upload(Curl *k, Transfer *t, StrBuf *body) {
    if (!curl_read_file(k, k->upload_file, body)) {
        curl_error(k, 26, "Failed to open/read local data from file/application");
        t->exitcode = 26;
        return 26;
    }
    size_t n = strlen(t->url);
    if (n && t->url[n - 1] == '/' && strcmp(k->upload_file, "-") != 0) {
        StrBuf u;
        sb_init(&u);
        sb_printf(&u, "%s%s", t->url, base_name(k->upload_file));
        free(t->url);
        t->url = sb_take(&u);
        t->rq.url = t->url;
    }
    return 0;
}

/* The Content-Type lives as long as the transfer: kept in body_owned's tail. */
int curl_body(Curl *k, Transfer *t, const char **content_type) {
    StrBuf body;
    sb_init(&body);
    char *ctype = NULL;
    int rc = 0;
    if (k->upload_file) {
        rc = upload(k, t, &body);
    } else if (k->forms.n) {
        rc = multipart(k, t, &body, &ctype);
    } else if (k->has_data && !k->get) {
        sb_put(&body, k->data.s ? k->data.s : "", k->data.len);
        ctype = xstrdup(k->json ? "application/json" : "application/x-www-form-urlencoded");
    } else {
        sb_free(&body);
        return 0;
    }
    if (rc) {
        sb_free(&body);
        free(ctype);
        return rc;
    }
    t->rq.has_body = true;
    t->rq.body_len = body.len;
    size_t clen = ctype ? strlen(ctype) + 1 : 0;
    sb_reserve(&body, clen + 1);
    if (ctype) sb_put(&body, ctype, clen); /* after the body, NUL included */
    t->body_owned = sb_take(&body);
    t->rq.body = t->body_owned;
    *content_type = ctype ? t->body_owned + t->rq.body_len : NULL;
    free(ctype);
    return 0;
}
