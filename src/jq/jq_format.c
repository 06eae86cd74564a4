/* jq_format.c - the @format string conversions: @text @json @html @uri
 * @csv @tsv @sh @base64 @base64d @base32 @base32d. */
#include "jq_int.h"

#include <stdio.h>
#include <string.h>

static Jv fmt_fail(Run *r, Jv v, const char *what) {
    StrBuf m;
    sb_init(&m);
    jq_describe(&m, v);
    sb_printf(&m, " %s", what);
    jv_free(v);
    return jq_fail(r, jv_str_take(&m));
}

static Jv html(Jv s) {
    StrBuf b;
    sb_init(&b);
    const char *p = jv_strval(s);
    for (size_t i = 0; i < jv_strlen(s); i++) {
        switch (p[i]) {
        case '<': sb_puts(&b, "&lt;"); break;
        case '>': sb_puts(&b, "&gt;"); break;
        case '&': sb_puts(&b, "&amp;"); break;
        case '\'': sb_puts(&b, "&apos;"); break;
        case '"': sb_puts(&b, "&quot;"); break;
        default: sb_putc(&b, p[i]);
        }
    }
    jv_free(s);
    return jv_str_take(&b);
}

static Jv uri(Jv s) {
    StrBuf b;
    sb_init(&b);
    const unsigned char *p = (const unsigned char *)jv_strval(s);
    for (size_t i = 0; i < jv_strlen(s); i++) {
        unsigned c = p[i];
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
            c == '.' || c == '~')
            sb_putc(&b, (char)c);
        else
            sb_printf(&b, "%%%02X", c);
    }
    jv_free(s);
    return jv_str_take(&b);
}

static bool csv_field(Run *r, StrBuf *b, Jv x, bool tsv) {
    switch (x.kind) {
    case JV_NULL: return true;
    case JV_TRUE: sb_puts(b, "true"); return true;
    case JV_FALSE: sb_puts(b, "false"); return true;
    case JV_NUMBER: jv_num_text(b, x); return true;
    case JV_STRING: {
        const char *p = jv_strval(x);
        if (!tsv) sb_putc(b, '"');
        for (size_t i = 0; i < jv_strlen(x); i++) {
            char c = p[i];
            if (!tsv) {
                if (c == '"') sb_puts(b, "\"\"");
                else sb_putc(b, c);
            } else if (c == '\\') sb_puts(b, "\\\\");
            else if (c == '\t') sb_puts(b, "\\t");
            else if (c == '\n') sb_puts(b, "\\n");
            else if (c == '\r') sb_puts(b, "\\r");
            else sb_putc(b, c);
        }
        if (!tsv) sb_putc(b, '"');
        return true;
    }
    default: fmt_fail(r, jv_copy(x), "is not valid in a csv row"); return false;
    }
}

static Jv csv(Run *r, Jv v, bool tsv) {
    if (v.kind != JV_ARRAY) return fmt_fail(r, v, tsv ? "cannot be tsv-formatted, only array" : "cannot be csv-formatted, only array");
    StrBuf b;
    sb_init(&b);
    for (size_t i = 0; i < jv_arr_len(v); i++) {
        if (i) sb_putc(&b, tsv ? '\t' : ',');
        if (!csv_field(r, &b, jv_arr_at(v, i), tsv)) {
            sb_free(&b);
            jv_free(v);
            return jv_invalid();
        }
    }
    jv_free(v);
    return jv_str_take(&b);
}

static void sh_quote(StrBuf *b, const char *p, size_t n) {
    sb_putc(b, '\'');
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '\'') sb_puts(b, "'\\''");
        else sb_putc(b, p[i]);
    }
    sb_putc(b, '\'');
}

static bool sh_item(Run *r, StrBuf *b, Jv x) {
    if (x.kind == JV_STRING) {
        sh_quote(b, jv_strval(x), jv_strlen(x));
        return true;
    }
    if (x.kind == JV_ARRAY || x.kind == JV_OBJECT) {
        fmt_fail(r, jv_copy(x), "can not be escaped for shell");
        return false;
    }
    jv_dump_compact(b, x);
    return true;
}

static Jv sh(Run *r, Jv v) {
    StrBuf b;
    sb_init(&b);
    bool ok = true;
    if (v.kind == JV_ARRAY) {
        for (size_t i = 0; ok && i < jv_arr_len(v); i++) {
            if (i) sb_putc(&b, ' ');
            ok = sh_item(r, &b, jv_arr_at(v, i));
        }
    } else {
        ok = sh_item(r, &b, v);
    }
    jv_free(v);
    if (!ok) {
        sb_free(&b);
        return jv_invalid();
    }
    return jv_str_take(&b);
}

static const char b64chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char b32chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

static Jv base64(Jv s) {
    StrBuf b;
    sb_init(&b);
    const unsigned char *p = (const unsigned char *)jv_strval(s);
    size_t n = jv_strlen(s);
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0) | (i + 2 < n ? p[i + 2] : 0);
        sb_putc(&b, b64chars[(v >> 18) & 63]);
        sb_putc(&b, b64chars[(v >> 12) & 63]);
        sb_putc(&b, i + 1 < n ? b64chars[(v >> 6) & 63] : '=');
        sb_putc(&b, i + 2 < n ? b64chars[v & 63] : '=');
    }
    jv_free(s);
    return jv_str_take(&b);
}

static Jv base64d(Run *r, Jv s) {
    StrBuf b;
    sb_init(&b);
    const char *p = jv_strval(s);
    size_t n = jv_strlen(s);
    unsigned acc = 0;
    int bits = 0;
    size_t valid = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '=') break;
        const char *q = strchr(b64chars, p[i]);
        if (!q || !p[i]) {
            sb_free(&b);
            return fmt_fail(r, s, "is not valid base64 data");
        }
        acc = acc << 6 | (unsigned)(q - b64chars);
        bits += 6;
        valid++;
        if (bits >= 8) {
            bits -= 8;
            sb_putc(&b, (char)((acc >> bits) & 0xFF));
        }
    }
    if (valid % 4 == 1) {
        sb_free(&b);
        return fmt_fail(r, s, "trailing base64 byte found");
    }
    jv_free(s);
    return jv_str_take(&b);
}

static Jv base32(Jv s) {
    StrBuf b;
    sb_init(&b);
    const unsigned char *p = (const unsigned char *)jv_strval(s);
    size_t n = jv_strlen(s);
    for (size_t i = 0; i < n; i += 5) {
        unsigned long long v = 0;
        size_t k = n - i < 5 ? n - i : 5;
        for (size_t j = 0; j < 5; j++) v = v << 8 | (j < k ? p[i + j] : 0);
        size_t out = (k * 8 + 4) / 5;
        for (size_t j = 0; j < 8; j++) sb_putc(&b, j < out ? b32chars[(v >> (35 - 5 * j)) & 31] : '=');
    }
    jv_free(s);
    return jv_str_take(&b);
}

static Jv base32d(Run *r, Jv s) {
    StrBuf b;
    sb_init(&b);
    const char *p = jv_strval(s);
    unsigned long long acc = 0;
    int bits = 0;
    for (size_t i = 0; i < jv_strlen(s); i++) {
        if (p[i] == '=') break;
        const char *q = p[i] ? strchr(b32chars, p[i]) : NULL;
        if (!q) {
            sb_free(&b);
            return fmt_fail(r, s, "is not valid base32 data");
        }
        acc = acc << 5 | (unsigned long long)(q - b32chars);
        bits += 5;
        if (bits >= 8) {
            bits -= 8;
            sb_putc(&b, (char)((acc >> bits) & 0xFF));
        }
    }
    jv_free(s);
    return jv_str_take(&b);
}

Jv jq_format(Run *r, const char *fmt, Jv v) {
    if (!strcmp(fmt, "text")) return jq_tostring(v);
    if (!strcmp(fmt, "json")) {
        StrBuf b;
        sb_init(&b);
        jv_dump_compact(&b, v);
        jv_free(v);
        return jv_str_take(&b);
    }
    if (!strcmp(fmt, "csv")) return csv(r, v, false);
    if (!strcmp(fmt, "tsv")) return csv(r, v, true);
    if (!strcmp(fmt, "sh")) return sh(r, v);
    if (!strcmp(fmt, "html")) return html(jq_tostring(v));
    if (!strcmp(fmt, "uri")) return uri(jq_tostring(v));
    if (!strcmp(fmt, "base64")) return base64(jq_tostring(v));
    if (!strcmp(fmt, "base64d")) return base64d(r, jq_tostring(v));
    if (!strcmp(fmt, "base32")) return base32(jq_tostring(v));
    if (!strcmp(fmt, "base32d")) return base32d(r, jq_tostring(v));
    jv_free(v);
    StrBuf m;
    sb_init(&m);
    sb_printf(&m, "%s is not a valid format", fmt);
    return jq_fail(r, jv_str_take(&m));
}
