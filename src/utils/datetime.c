/* datetime.c - date parsing and formatting for date and touch (see datetime.h). */
#include "datetime.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Dt {
    bool have_date, have_time, have_zone;
    int year, mon, day, hour, min, sec;
    long nsec;
    long zone;              /* seconds east of UTC */
    long long rel_sec;
    int rel_day, rel_mon, rel_year;
    long long pending;      /* a number waiting for its unit */
    bool have_pending;
    long long last_rel[4];  /* the last relative item, for "ago": sec, day, mon, year */
} Dt;

static const char *const month_names[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                          "jul", "aug", "sep", "oct", "nov", "dec"};
static const char *const day_names[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

static int read_num(const char **p, int maxlen, long long *v) {
    int n = 0;
    *v = 0;
    while (isdigit((unsigned char)**p) && n < maxlen) *v = *v * 10 + (*(*p)++ - '0'), n++;
    return n;
}

static long read_frac(const char **p) {
    long ns = 0;
    int digits = 0;
    if (**p != '.' && **p != ',') return 0;
    for ((*p)++; isdigit((unsigned char)**p); (*p)++)
        if (digits < 9) ns = ns * 10 + (**p - '0'), digits++;
    while (digits++ < 9) ns *= 10;
    return ns;
}

/* "+HH", "+HHMM", "+HH:MM" at p. */
static bool read_zone(const char **p, Dt *d) {
    int sign = **p == '-' ? -1 : 1;
    const char *q = *p + 1;
    long long h, m = 0;
    int n = read_num(&q, 4, &h);
    if (n == 4) m = h % 100, h /= 100;
    else if (n == 0 || n > 2) return false;
    else if (*q == ':' && (q++, read_num(&q, 2, &m) != 2)) return false;
    d->zone = sign * (long)(h * 3600 + m * 60);
    d->have_zone = true;
    *p = q;
    return true;
}

static bool read_time(const char **p, Dt *d) {
    long long h, m, s = 0;
    if (!read_num(p, 2, &h) || **p != ':') return false;
    (*p)++;
    if (read_num(p, 2, &m) != 2) return false;
    if (**p == ':' && ((*p)++, read_num(p, 2, &s) != 2)) return false;
    d->nsec = read_frac(p);
    d->hour = (int)h, d->min = (int)m, d->sec = (int)s;
    d->have_time = true;
    if (**p == 'Z' || **p == 'z') (*p)++, d->have_zone = true, d->zone = 0;
    else if ((**p == '+' || **p == '-') && !read_zone(p, d)) return false;
    return true;
}

/* A token starting with a digit. */
static bool read_number_token(const char **p, Dt *d) {
    const char *start = *p;
    long long a, b, c;
    int n = read_num(p, 18, &a);
    if (**p == ':') {
        *p = start;
        return read_time(p, d);
    }
    if ((**p == '-' || **p == '/') && n == 4) {
        char sep = *(*p)++;
        if (!read_num(p, 2, &b) || *(*p)++ != sep || !read_num(p, 2, &c)) return false;
        d->year = (int)a, d->mon = (int)b, d->day = (int)c, d->have_date = true;
        if (**p == 'T' || **p == 't') return (*p)++, read_time(p, d);
        return true;
    }
    if (**p == '/' && n <= 2) {
        (*p)++;
        if (!read_num(p, 2, &b)) return false;
        d->mon = (int)a, d->day = (int)b, d->have_date = true;
        if (**p == '/') {
            (*p)++;
            if (read_num(p, 4, &c) != 4) return false;
            d->year = (int)c;
        }
        return true;
    }
    if (n == 8 && !d->have_date) {
        d->year = (int)(a / 10000), d->mon = (int)(a / 100 % 100), d->day = (int)(a % 100), d->have_date = true;
        return true;
    }
    if (d->mon && !d->day) return d->day = (int)a, d->have_date = true, true;
    if (d->mon && d->day && n == 4 && !d->year) return d->year = (int)a, true;
    d->pending = a;
    d->have_pending = true;
    return true;
}

static void add_relative(Dt *d, long long count, const char *unit) {
    static const char *const units[] = {"second", "sec", "minute", "min", "hour", "day", "week", "fortnight", "month", "year"};
    static const long long mult[] = {1, 1, 60, 60, 3600, 1, 7, 14, 1, 1};
    for (int i = 0; i < 10; i++) {
        size_t ul = strlen(units[i]);
        if (strncmp(unit, units[i], ul) || (unit[ul] && strcmp(unit + ul, "s"))) continue;
        long long v = count * mult[i];
        memset(d->last_rel, 0, sizeof d->last_rel);
        int slot = i < 5 ? 0 : i < 8 ? 1 : i == 8 ? 2 : 3;
        d->last_rel[slot] = v;
        if (slot == 0) d->rel_sec += v;
        else if (slot == 1) d->rel_day += (int)v;
        else if (slot == 2) d->rel_mon += (int)v;
        else d->rel_year += (int)v;
        return;
    }
}

static bool is_unit(const char *w) {
    static const char *const units[] = {"second", "sec", "minute", "min", "hour", "day", "week", "fortnight", "month", "year"};
    for (int i = 0; i < 10; i++) {
        size_t ul = strlen(units[i]);
        if (!strncmp(w, units[i], ul) && (!w[ul] || !strcmp(w + ul, "s"))) return true;
    }
    return false;
}

static bool read_word(const char *w, Dt *d) {
    long long n = d->have_pending ? d->pending : 1;
    if (is_unit(w)) {
        add_relative(d, n, w);
        d->have_pending = false;
        return true;
    }
    if (d->have_pending && (!strcmp(w, "am") || !strcmp(w, "pm")) && !d->have_time) {
        d->hour = (int)d->pending, d->min = d->sec = 0, d->nsec = 0;
        d->have_time = true;
        d->have_pending = false;
    }
    if (d->have_pending) {
        for (int i = 0; i < 12; i++)
            if (!strncmp(w, month_names[i], 3) && strlen(w) >= 3) {
                d->mon = i + 1, d->day = (int)d->pending, d->have_date = true;
                d->have_pending = false;
                return true;
            }
        return false;
    }
    if (!strcmp(w, "ago")) {
        d->rel_sec -= 2 * d->last_rel[0], d->rel_day -= (int)(2 * d->last_rel[1]);
        d->rel_mon -= (int)(2 * d->last_rel[2]), d->rel_year -= (int)(2 * d->last_rel[3]);
        return true;
    }
    if (!strcmp(w, "now") || !strcmp(w, "today") || !strcmp(w, "this")) return true;
    if (!strcmp(w, "yesterday")) return d->rel_day -= 1, true;
    if (!strcmp(w, "tomorrow")) return d->rel_day += 1, true;
    if (!strcmp(w, "next") || !strcmp(w, "last")) return d->pending = w[0] == 'n' ? 1 : -1, d->have_pending = true, true;
    if (!strcmp(w, "utc") || !strcmp(w, "gmt") || !strcmp(w, "z")) return d->have_zone = true, d->zone = 0, true;
    if (!strcmp(w, "am") || !strcmp(w, "pm")) {
        if (!d->have_time || d->hour > 12 || d->hour == 0) return false;
        d->hour = d->hour % 12 + (w[0] == 'p' ? 12 : 0);
        return true;
    }
    for (int i = 0; i < 12; i++)
        if (!strncmp(w, month_names[i], 3) && strlen(w) >= 3) return d->mon = i + 1, d->have_date = true, true;
    for (int i = 0; i < 7; i++)
        if (!strncmp(w, day_names[i], 3) && strlen(w) >= 3) return true;
    return false;
}

static bool tokenize(const char *s, Dt *d) {
    const char *p = s;
    while (*p) {
        if (isspace((unsigned char)*p) || *p == ',') {
            p++;
            continue;
        }
        if (isdigit((unsigned char)*p)) {
            if (!read_number_token(&p, d)) return false;
        } else if ((*p == '+' || *p == '-') && isdigit((unsigned char)p[1])) {
            if (d->have_time && !d->have_zone && !d->have_pending) {
                if (!read_zone(&p, d)) return false;
            } else {
                int sign = *p++ == '-' ? -1 : 1;
                long long v;
                read_num(&p, 18, &v);
                d->pending = sign * v;
                d->have_pending = true;
            }
        } else if (isalpha((unsigned char)*p)) {
            char w[32];
            size_t n = 0;
            while (isalpha((unsigned char)*p) || *p == '.') {
                if (n < sizeof w - 1 && *p != '.') w[n++] = (char)tolower((unsigned char)*p);
                p++;
            }
            w[n] = 0;
            if (!read_word(w, d)) return false;
        } else {
            return false;
        }
    }
    return !d->have_pending;
}

static int days_in_month(int year, int mon) {
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return mon == 2 && leap ? 29 : days[mon - 1];
}

static bool valid(const Dt *d) {
    if (d->have_date && (d->mon < 1 || d->mon > 12 || d->day < 1 || d->day > days_in_month(d->year, d->mon)))
        return false;
    if (d->have_time && (d->hour > 23 || d->min > 59 || d->sec > 60)) return false;
    return true;
}

static bool parse_epoch(const char *s, struct timespec *out) {
    char *end;
    long long v = strtoll(s + 1, &end, 10);
    if (end == s + 1 && *end != '.') return false;
    const char *p = end;
    long ns = read_frac(&p);
    while (isspace((unsigned char)*p)) p++;
    if (*p) return false;
    if (s[1] == '-' && ns) v--, ns = 1000000000L - ns;
    out->tv_sec = (time_t)v;
    out->tv_nsec = ns;
    return true;
}

bool u_parse_datetime(const char *s, const struct timespec *now, bool utc, struct timespec *out) {
    while (isspace((unsigned char)*s)) s++;
    if (*s == '@') return parse_epoch(s, out);
    Dt d;
    memset(&d, 0, sizeof d);
    if (!tokenize(s, &d) || !valid(&d)) return false;
    struct tm tm;
    bool zone_utc = utc || d.have_zone;
    time_t base = now->tv_sec + (d.have_zone ? d.zone : 0);
    zone_utc ? gmtime_r(&base, &tm) : localtime_r(&now->tv_sec, &tm);
    long nsec = now->tv_nsec;
    if (d.have_date) {
        tm.tm_year = (d.year ? d.year : tm.tm_year + 1900) - 1900, tm.tm_mon = d.mon - 1, tm.tm_mday = d.day;
        if (!d.have_time) tm.tm_hour = tm.tm_min = tm.tm_sec = 0, nsec = 0;
    }
    if (d.have_time) tm.tm_hour = d.hour, tm.tm_min = d.min, tm.tm_sec = d.sec, nsec = d.nsec;
    tm.tm_year += d.rel_year;
    tm.tm_mon += d.rel_mon;
    tm.tm_mday += d.rel_day;
    tm.tm_isdst = -1;
    time_t t = zone_utc ? timegm(&tm) - (d.have_zone ? d.zone : 0) : mktime(&tm);
    out->tv_sec = t + (time_t)d.rel_sec;
    out->tv_nsec = nsec;
    return true;
}

/* ================= formatting ================= */

static bool numeric_conv(char c) { return strchr("CdeGgHIjklmMNqsSuUVwWyY", c) != NULL; }
static bool space_padded(char c) { return c == 'e' || c == 'k' || c == 'l'; }

/* The text of one conversion without flags. */
static void conv_text(StrBuf *b, const char *spec, const struct tm *tm, const struct timespec *ts, bool utc, int width) {
    char c = spec[strlen(spec) - 1];
    char buf[128];
    if (c == 'N') {
        snprintf(buf, sizeof buf, "%09ld", ts->tv_nsec);
        sb_put(b, buf, width > 0 && width < 9 ? (size_t)width : 9);
    } else if (c == 's') {
        sb_printf(b, "%lld", (long long)ts->tv_sec);
    } else if (c == 'q') {
        sb_printf(b, "%d", tm->tm_mon / 3 + 1);
    } else if (c == 'z' && spec[1] == ':') {
        long off = tm->tm_gmtoff;
        char sign = off < 0 ? '-' : '+';
        off = labs(off);
        size_t colons = strspn(spec + 1, ":");
        if (colons == 1) sb_printf(b, "%c%02ld:%02ld", sign, off / 3600, off / 60 % 60);
        else if (colons == 2) sb_printf(b, "%c%02ld:%02ld:%02ld", sign, off / 3600, off / 60 % 60, off % 60);
        else if (off % 3600) sb_printf(b, "%c%02ld:%02ld", sign, off / 3600, off / 60 % 60);
        else sb_printf(b, "%c%02ld", sign, off / 3600);
    } else if (c == 'Z' && utc) {
        sb_puts(b, "UTC");
    } else if (c == 'k' || c == 'l') {
        /* GNU extensions Emscripten's strftime lacks */
        int h = tm->tm_hour;
        if (c == 'l') h = h % 12 ? h % 12 : 12;
        sb_printf(b, "%2d", h);
    } else if (c == 'P') {
        sb_puts(b, tm->tm_hour < 12 ? "am" : "pm");
    } else if (c == 'W') {
        /* Emscripten's %W is off by one in some years */
        sb_printf(b, "%02d", (tm->tm_yday + 7 - (tm->tm_wday + 6) % 7) / 7);
    } else {
        char f[4] = {'%', c, 0, 0};
        size_t n = strftime(buf, sizeof buf, f, tm);
        sb_put(b, buf, n);
    }
}

static void apply_flags(StrBuf *out, StrBuf *t, char conv, char flag, int width) {
    bool num = numeric_conv(conv);
    size_t skip = 0;
    if (num && conv != 'N' && (flag == '-' || flag == '_' || flag == '0'))
        while (skip + 1 < t->len && (t->s[skip] == '0' || t->s[skip] == ' ')) skip++;
    if (flag == '^')
        for (size_t i = 0; i < t->len; i++) t->s[i] = (char)toupper((unsigned char)t->s[i]);
    bool has_lower = false;
    for (size_t i = 0; i < t->len; i++) has_lower |= islower((unsigned char)t->s[i]) != 0;
    if (flag == '#')
        for (size_t i = 0; i < t->len; i++)
            t->s[i] = (char)(has_lower ? toupper((unsigned char)t->s[i]) : tolower((unsigned char)t->s[i]));
    size_t len = t->len - skip;
    size_t natural = flag == '-' ? len : t->len;
    size_t w = width > 0 ? (size_t)width : natural;
    char pad = flag == '_' ? ' ' : flag == '0' ? '0' : (num && !space_padded(conv)) ? '0' : ' ';
    if (flag == '-' || conv == 'N') w = len;
    for (size_t i = len; i < w; i++) sb_putc(out, pad);
    sb_put(out, t->s + skip, len);
}

void u_format_time(StrBuf *out, const char *fmt, const struct timespec *ts, bool utc) {
    struct tm tm;
    utc ? gmtime_r(&ts->tv_sec, &tm) : localtime_r(&ts->tv_sec, &tm);
    StrBuf t;
    sb_init(&t);
    for (const char *p = fmt; *p; p++) {
        if (*p != '%' || !p[1]) {
            sb_putc(out, *p);
            continue;
        }
        const char *start = p++;
        char flag = 0;
        while (*p && strchr("-_0^#", *p)) flag = *p++;
        int width = 0;
        while (isdigit((unsigned char)*p)) width = width * 10 + (*p++ - '0');
        while (*p == 'E' || *p == 'O') p++;
        char spec[8] = {'%', 0};
        size_t sl = 1;
        while (*p == ':' && sl < 5) spec[sl++] = *p++;
        if (!*p) {
            sb_puts(out, start);
            break;
        }
        spec[sl++] = *p;
        spec[sl] = 0;
        if (*p == '%') {
            sb_putc(out, '%');
            continue;
        }
        sb_clear(&t);
        conv_text(&t, spec, &tm, ts, utc, width);
        apply_flags(out, &t, *p, flag, *p == 'N' ? 0 : width);
    }
    sb_free(&t);
}
