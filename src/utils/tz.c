/* tz.c - time zones from TZ strings and TZif files (see tz.h). Computed
 * here rather than with localtime_r/mktime because those read the process
 * environment, which a session's utilities must not depend on. */
#include "tz.h"

#include "common.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A DST switch of a POSIX rule: Mm.w.d, Jn or n, at secs after local midnight. */
typedef struct TzRule {
    char kind; /* 'M', 'J' or 'n' */
    int mon, week, wday, day;
    long secs;
} TzRule;

typedef struct TzType {
    long off; /* seconds east */
    bool dst;
    char abbr[16];
} TzType;

struct UTz {
    /* the POSIX part: the whole zone, or the TZif file's footer */
    TzType std, dst;
    bool has_dst, has_rule;
    TzRule start, end;
    /* TZif transitions */
    size_t ntrans, ntypes;
    int64_t *trans;
    unsigned char *idx;
    TzType *types;
};

/* ---------------- calendar arithmetic ---------------- */

long long u_days_from_civil(long long y, int mon, long long day) {
    /* months out of range are folded into the year */
    long long m = mon - 1;
    y += m >= 0 ? m / 12 : -((11 - m) / 12);
    m = ((m % 12) + 12) % 12 + 1;
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400;
    long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + 1 - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468 + day - 1;
}

static bool leap_year(long long y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/* Fills the date fields of tm from seconds since the epoch (UTC). */
static void civil_from_secs(long long t, struct tm *tm) {
    long long days = t >= 0 ? t / 86400 : -((86399 - t) / 86400);
    long long rem = t - days * 86400;
    tm->tm_hour = (int)(rem / 3600), tm->tm_min = (int)(rem / 60 % 60), tm->tm_sec = (int)(rem % 60);
    tm->tm_wday = (int)(((days + 4) % 7 + 7) % 7);
    long long z = days + 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    long long doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long y = yoe + era * 400;
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153;
    int d = (int)(doy - (153 * mp + 2) / 5 + 1);
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    y += m <= 2;
    tm->tm_year = (int)(y - 1900), tm->tm_mon = m - 1, tm->tm_mday = d;
    tm->tm_yday = (int)(days - u_days_from_civil(y, 1, 1));
}

/* ---------------- POSIX TZ strings ---------------- */

static const char *parse_name(const char *p, char *out) {
    size_t n = 0;
    if (*p == '<') {
        for (p++; *p && *p != '>'; p++)
            if (n < 15) out[n++] = *p;
        if (*p != '>') return NULL;
        p++;
    } else {
        while (isalpha((unsigned char)*p)) {
            if (n < 15) out[n++] = *p;
            p++;
        }
    }
    out[n] = 0;
    return n >= 3 ? p : NULL;
}

/* [+-]hh[:mm[:ss]] into seconds; hours up to 167 for rule times. */
static const char *parse_hms(const char *p, long *out) {
    int sign = 1;
    if (*p == '+' || *p == '-') sign = *p++ == '-' ? -1 : 1;
    if (!isdigit((unsigned char)*p)) return NULL;
    long v[3] = {0, 0, 0};
    for (int i = 0; i < 3; i++) {
        if (i && *p != ':') break;
        if (i) p++;
        if (!isdigit((unsigned char)*p)) return NULL;
        while (isdigit((unsigned char)*p)) v[i] = v[i] * 10 + (*p++ - '0');
        if (v[i] > 167) return NULL;
    }
    *out = sign * (v[0] * 3600 + v[1] * 60 + v[2]);
    return p;
}

static const char *parse_rule(const char *p, TzRule *r) {
    char *end;
    r->secs = 7200;
    if (*p == 'M') {
        r->kind = 'M';
        r->mon = (int)strtol(p + 1, &end, 10);
        if (*end != '.') return NULL;
        r->week = (int)strtol(end + 1, &end, 10);
        if (*end != '.') return NULL;
        r->wday = (int)strtol(end + 1, &end, 10);
        if (r->mon < 1 || r->mon > 12 || r->week < 1 || r->week > 5 || r->wday < 0 || r->wday > 6) return NULL;
    } else {
        r->kind = *p == 'J' ? 'J' : 'n';
        if (*p == 'J') p++;
        if (!isdigit((unsigned char)*p)) return NULL;
        r->day = (int)strtol(p, &end, 10);
    }
    p = end;
    if (*p == '/' && !(p = parse_hms(p + 1, &r->secs))) return NULL;
    return p;
}

/* "STDoffset[DST[offset][,start[/time],end[/time]]]"; false if malformed. */
static bool parse_posix(UTz *z, const char *s) {
    const char *p = parse_name(s, z->std.abbr);
    long off;
    if (!p || !(p = parse_hms(p, &off))) return false;
    z->std.off = -off;
    if (!*p) return true;
    if (!(p = parse_name(p, z->dst.abbr))) return false;
    z->has_dst = true;
    z->dst.dst = true;
    z->dst.off = z->std.off + 3600;
    if (*p && *p != ',') {
        if (!(p = parse_hms(p, &off))) return false;
        z->dst.off = -off;
    }
    if (!*p) {
        /* no rule: the US rules, as glibc assumes */
        z->start = (TzRule){'M', 3, 2, 0, 0, 7200};
        z->end = (TzRule){'M', 11, 1, 0, 0, 7200};
        z->has_rule = true;
        return true;
    }
    if (*p++ != ',' || !(p = parse_rule(p, &z->start)) || *p++ != ',' || !(p = parse_rule(p, &z->end)))
        return false;
    z->has_rule = true;
    return !*p;
}

/* UTC time of a rule's switch in year y, the local clock being off east. */
static long long rule_time(const TzRule *r, long long y, long off) {
    long long day;
    if (r->kind == 'M') {
        long long first = u_days_from_civil(y, r->mon, 1);
        int wd = (int)(((first + 4) % 7 + 7) % 7);
        long long d = first + (r->wday - wd + 7) % 7 + 7 * (r->week - 1);
        static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        int len = mdays[r->mon - 1] + (r->mon == 2 && leap_year(y));
        while (d >= first + len) d -= 7;
        day = d;
    } else if (r->kind == 'J') {
        day = u_days_from_civil(y, 1, 1) + r->day - 1 + (leap_year(y) && r->day >= 60);
    } else {
        day = u_days_from_civil(y, 1, 1) + r->day;
    }
    return day * 86400 + r->secs - off;
}

static const TzType *posix_type(const UTz *z, long long t) {
    if (!z->has_dst || !z->has_rule) return &z->std;
    struct tm tm;
    civil_from_secs(t + z->std.off, &tm);
    long long y = tm.tm_year + 1900LL;
    long long a = rule_time(&z->start, y, z->std.off), b = rule_time(&z->end, y, z->dst.off);
    bool in_dst = a < b ? (t >= a && t < b) : !(t >= b && t < a);
    return in_dst ? &z->dst : &z->std;
}

/* ---------------- TZif files ---------------- */

static int64_t be(const unsigned char *p, int n) {
    uint64_t v = 0;
    for (int i = 0; i < n; i++) v = v << 8 | p[i];
    if (n == 4) return (int32_t)(uint32_t)v;
    return (int64_t)v;
}

static bool load_tzif(UTz *z, const unsigned char *d, size_t n) {
    if (n < 44 || memcmp(d, "TZif", 4)) return false;
    int version = d[4];
    size_t pos = 0;
    int tsize = 4;
    for (int pass = 0; pass < 2; pass++) {
        if (pos + 44 > n) return false;
        const unsigned char *h = d + pos + 20;
        size_t isut = (size_t)be(h, 4), isstd = (size_t)be(h + 4, 4), leap = (size_t)be(h + 8, 4);
        size_t timecnt = (size_t)be(h + 12, 4), typecnt = (size_t)be(h + 16, 4), charcnt = (size_t)be(h + 20, 4);
        size_t body = timecnt * (size_t)tsize + timecnt + typecnt * 6 + charcnt + leap * (size_t)(tsize + 4) + isstd + isut;
        if (pos + 44 + body > n || typecnt == 0 || typecnt > 256) return false;
        if (pass == 0 && version >= '2') {
            pos += 44 + body;
            tsize = 8;
            continue;
        }
        const unsigned char *p = d + pos + 44;
        z->trans = xmalloc((timecnt + 1) * sizeof *z->trans);
        z->idx = xmalloc(timecnt + 1);
        z->types = xmalloc(typecnt * sizeof *z->types);
        for (size_t i = 0; i < timecnt; i++) z->trans[i] = be(p + i * (size_t)tsize, tsize);
        p += timecnt * (size_t)tsize;
        for (size_t i = 0; i < timecnt; i++) z->idx[i] = p[i] < typecnt ? p[i] : 0;
        p += timecnt;
        const unsigned char *chars = p + typecnt * 6;
        for (size_t i = 0; i < typecnt; i++) {
            z->types[i].off = (long)be(p + i * 6, 4);
            z->types[i].dst = p[i * 6 + 4] != 0;
            size_t ai = p[i * 6 + 5];
            size_t k = 0;
            while (ai + k < charcnt && chars[ai + k] && k < 15) z->types[i].abbr[k] = (char)chars[ai + k], k++;
            z->types[i].abbr[k] = 0;
        }
        z->ntrans = timecnt, z->ntypes = typecnt;
        z->std = z->types[0];
        const unsigned char *foot = d + pos + 44 + body;
        if (tsize == 8 && foot < d + n && *foot == '\n') {
            const unsigned char *e = memchr(foot + 1, '\n', (size_t)(d + n - foot - 1));
            if (e && e > foot + 1) {
                char *s = xstrndup((const char *)foot + 1, (size_t)(e - foot - 1));
                UTz tmp = {0};
                if (parse_posix(&tmp, s)) {
                    z->std = tmp.std, z->dst = tmp.dst, z->has_dst = tmp.has_dst, z->has_rule = tmp.has_rule;
                    z->start = tmp.start, z->end = tmp.end;
                } else {
                    z->std = z->types[timecnt ? z->idx[timecnt - 1] : 0];
                }
                free(s);
            }
        } else if (timecnt) {
            z->std = z->types[z->idx[timecnt - 1]];
        }
        return true;
    }
    return false;
}

static bool read_tzif(UTz *z, const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return false;
    StrBuf b;
    sb_init(&b);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0 && b.len < (1u << 20)) sb_put(&b, buf, n);
    fclose(f);
    bool ok = load_tzif(z, (const unsigned char *)b.s, b.len);
    sb_free(&b);
    return ok;
}

static const TzType *zone_type(const UTz *z, long long t) {
    if (!z->ntrans || t >= z->trans[z->ntrans - 1]) return posix_type(z, t);
    if (t < z->trans[0]) {
        for (size_t i = 0; i < z->ntypes; i++)
            if (!z->types[i].dst) return &z->types[i];
        return &z->types[0];
    }
    size_t lo = 0, hi = z->ntrans - 1; /* trans[lo] <= t < trans[hi] */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (z->trans[mid] <= t) lo = mid;
        else hi = mid;
    }
    return &z->types[z->idx[lo]];
}

/* ---------------- the API ---------------- */

static UTz *tz_utc(const char *abbr) {
    UTz *z = xcalloc(1, sizeof *z);
    snprintf(z->std.abbr, sizeof z->std.abbr, "%s", abbr);
    return z;
}

UTz *u_tz_fixed(long offset, const char *name) {
    UTz *z = tz_utc(name);
    z->std.off = offset;
    return z;
}

UTz *u_tz_new(const char *tz) {
    UTz *z = xcalloc(1, sizeof *z);
    if (!tz) {
        if (!read_tzif(z, "/etc/localtime")) snprintf(z->std.abbr, sizeof z->std.abbr, "UTC");
        return z;
    }
    if (*tz == ':') tz++;
    if (!*tz) {
        snprintf(z->std.abbr, sizeof z->std.abbr, "UTC");
        return z;
    }
    if (parse_posix(z, tz)) return z;
    memset(z, 0, sizeof *z);
    if (!strstr(tz, "..")) {
        char path[512];
        if (*tz == '/') snprintf(path, sizeof path, "%s", tz);
        else snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", tz);
        if (read_tzif(z, path)) return z;
    }
    u_tz_free(z);
    /* glibc: an unknown zone is UTC, abbreviated by its leading letters */
    char abbr[16];
    size_t n = 0;
    while (isalpha((unsigned char)tz[n]) && n < 15) abbr[n] = tz[n], n++;
    abbr[n] = 0;
    return tz_utc(n >= 3 ? abbr : "UTC");
}

UTz *u_tz_session(UtilCtx *c) { return u_tz_new(uc_getenv(c, "TZ")); }

void u_tz_free(UTz *z) {
    if (!z) return;
    free(z->trans);
    free(z->idx);
    free(z->types);
    free(z);
}

bool u_tz_local(const UTz *z, time_t t, struct tm *tm) {
    const TzType *ty = zone_type(z, (long long)t);
    long long lt = (long long)t + ty->off;
    if (lt / 86400 / 366 > 2147483647LL - 2000 || lt / 86400 / 366 < -2147483647LL + 2000) return false;
    memset(tm, 0, sizeof *tm);
    civil_from_secs(lt, tm);
    tm->tm_isdst = ty->dst;
    tm->tm_gmtoff = ty->off;
    tm->tm_zone = ty->abbr;
    return true;
}

time_t u_tz_mktime(const UTz *z, struct tm *tm) {
    long long days = u_days_from_civil(tm->tm_year + 1900LL, tm->tm_mon + 1, tm->tm_mday);
    long long local = days * 86400 + tm->tm_hour * 3600LL + tm->tm_min * 60LL + tm->tm_sec;
    /* the offset in force at the local time: try the offsets around it */
    const TzType *a = zone_type(z, local - 86400), *b = zone_type(z, local + 86400);
    long long t = local - a->off;
    const TzType *ty = zone_type(z, t);
    if (ty->off != a->off) {
        long long t2 = local - b->off;
        if (zone_type(z, t2)->off == b->off) t = t2;
        else t = local - ty->off; /* in a gap: GNU moves forward */
    }
    if (tm->tm_isdst >= 0 && a->off != b->off) {
        /* an ambiguous hour: honour the requested isdst */
        const TzType *want = tm->tm_isdst ? (a->dst ? a : b) : (a->dst ? b : a);
        long long t2 = local - want->off;
        if (zone_type(z, t2)->off == want->off) t = t2;
    }
    u_tz_local(z, (time_t)t, tm);
    return (time_t)t;
}
