/* datetime.c - date parsing and formatting for date, touch and the rest
 * (see datetime.h). The parser follows GNU parse-datetime's grammar and the
 * order in which it applies the items: the calendar date and time of day,
 * then the day of the week, then relative years/months/days, then the zone,
 * then relative hours/minutes/seconds. */
#include "datetime.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Dt {
    int dates, times, zones, days, rels; /* how many of each item were seen */
    long long year;
    int year_digits, mon, day;
    int hour, min, sec;
    long nsec;
    int meridian; /* 0, 'a' or 'p' */
    long zone;    /* seconds east of UTC */
    int day_ordinal, day_number;
    long long rel_year, rel_mon, rel_day, rel_sec;
    long long last[4]; /* the last relative item (year, month, day, seconds), for "ago" */
    long long ordinal; /* a pending "next", "last", "third" */
    bool have_ordinal;
} Dt;

typedef struct Num {
    long long v;
    int digits;
    int sign; /* 0 unsigned, else +1/-1 */
} Num;

static const char *const month_names[] = {"january", "february", "march",     "april",   "may",      "june",
                                          "july",    "august",   "september", "october", "november", "december"};
static const char *const day_names[] = {"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"};

/* ---------------- words ---------------- */

/* A month or weekday: the full name or its first three letters (also
 * "sept", "tues", "wednes", "thur", "thurs"), as GNU's table. */
static int name_index(const char *w, const char *const *names, int n) {
    size_t len = strlen(w);
    for (int i = 0; i < n; i++) {
        if (!strcmp(w, names[i])) return i;
        if (len == 3 && !strncmp(w, names[i], 3)) return i;
    }
    if (!strcmp(w, "sept") && names == month_names) return 8;
    if (names == day_names) {
        if (!strcmp(w, "tues")) return 2;
        if (!strcmp(w, "wednes")) return 3;
        if (!strcmp(w, "thur") || !strcmp(w, "thurs")) return 4;
    }
    return -1;
}

/* Relative units: the slot (0 year, 1 month, 2 day, 3 seconds) and multiplier. */
static bool unit_of(const char *w, int *slot, long long *mult) {
    static const struct { const char *name; int slot; long long mult; } units[] = {
        {"year", 0, 1},   {"month", 1, 1},  {"fortnight", 2, 14}, {"week", 2, 7},     {"day", 2, 1},
        {"hour", 3, 3600}, {"minute", 3, 60}, {"min", 3, 60},       {"second", 3, 1},   {"sec", 3, 1},
    };
    size_t len = strlen(w);
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        size_t ul = strlen(units[i].name);
        if (!strncmp(w, units[i].name, ul) && (len == ul || (len == ul + 1 && w[ul] == 's'))) {
            *slot = units[i].slot, *mult = units[i].mult;
            return true;
        }
    }
    return false;
}

static bool ordinal_of(const char *w, long long *v) {
    static const char *const words[] = {"last", "this", "next", "first", "third", "fourth", "fifth",
                                        "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth"};
    static const int values[] = {-1, 0, 1, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (!strcmp(w, words[i])) return *v = values[i], true;
    return false;
}

/* Zone abbreviations GNU knows (seconds east), with a dst flag adding an hour. */
static bool zone_of(const char *w, long *off) {
    static const struct { const char *name; int hours; int mins; } zones[] = {
        {"gmt", 0, 0},   {"ut", 0, 0},    {"utc", 0, 0},   {"z", 0, 0},     {"wet", 0, 0},   {"west", 1, 0},
        {"bst", 1, 0},   {"art", -3, 0},  {"brt", -3, 0},  {"brst", -2, 0}, {"nst", -3, -30}, {"ndt", -2, -30},
        {"ast", -4, 0},  {"adt", -3, 0},  {"clt", -4, 0},  {"clst", -3, 0}, {"est", -5, 0},  {"edt", -4, 0},
        {"cst", -6, 0},  {"cdt", -5, 0},  {"mst", -7, 0},  {"mdt", -6, 0},  {"pst", -8, 0},  {"pdt", -7, 0},
        {"akst", -9, 0}, {"akdt", -8, 0}, {"hst", -10, 0}, {"hast", -10, 0}, {"hadt", -9, 0}, {"sst", -11, 0},
        {"wat", 1, 0},   {"cet", 1, 0},   {"cest", 2, 0},  {"met", 1, 0},   {"mez", 1, 0},   {"mest", 2, 0},
        {"mesz", 2, 0},  {"eet", 2, 0},   {"eest", 3, 0},  {"cat", 2, 0},   {"sast", 2, 0},  {"eat", 3, 0},
        {"msk", 3, 0},   {"msd", 4, 0},   {"ist", 5, 30},  {"sgt", 8, 0},   {"kst", 9, 0},   {"jst", 9, 0},
        {"gst", 10, 0},  {"nzst", 12, 0}, {"nzdt", 13, 0},
    };
    for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++)
        if (!strcmp(w, zones[i].name)) return *off = zones[i].hours * 3600L + zones[i].mins * 60L, true;
    return false;
}

/* ---------------- scanning ---------------- */

static void skip_space(const char **p) {
    while (isspace((unsigned char)**p) || **p == ',') (*p)++;
}

static Num read_unsigned(const char **p) {
    Num n = {0, 0, 0};
    while (isdigit((unsigned char)**p)) {
        if (n.digits < 18) n.v = n.v * 10 + (**p - '0');
        n.digits++, (*p)++;
    }
    return n;
}

static size_t read_word(const char **p, char *w, size_t cap) {
    size_t n = 0;
    while (isalpha((unsigned char)**p) || (**p == '.' && n && isalpha((unsigned char)(*p)[1]))) {
        if (**p != '.' && n + 1 < cap) w[n++] = (char)tolower((unsigned char)**p);
        (*p)++;
    }
    if (**p == '.' && n) (*p)++; /* "a.m." */
    w[n] = 0;
    return n;
}

static long read_frac(const char **p) {
    long ns = 0;
    int digits = 0;
    if ((**p != '.' && **p != ',') || !isdigit((unsigned char)(*p)[1])) return 0;
    for ((*p)++; isdigit((unsigned char)**p); (*p)++)
        if (digits < 9) ns = ns * 10 + (**p - '0'), digits++;
    while (digits++ < 9) ns *= 10;
    return ns;
}

/* A signed offset after a time or zone word: +H, +HH, +HHMM, +HH:MM. */
static bool read_offset(const char **p, long *off) {
    int sign = **p == '-' ? -1 : 1;
    const char *q = *p + 1;
    Num h = read_unsigned(&q);
    long long hh = h.v, mm = 0;
    if (!h.digits) return false;
    if (*q == ':') {
        q++;
        Num m = read_unsigned(&q);
        if (m.digits != 2 || h.digits > 2) return false;
        mm = m.v;
    } else if (h.digits > 2) {
        if (h.digits > 4) return false;
        mm = h.v % 100, hh = h.v / 100;
    }
    if (hh > 24 || mm > 59) return false;
    *off = sign * (long)(hh * 3600 + mm * 60);
    *p = q;
    return true;
}

static bool set_zone(Dt *d, long off) {
    d->zone = off;
    return ++d->zones <= 1;
}

/* After a time of day: am/pm and a zone offset may follow. */
static bool time_suffix(const char **p, Dt *d) {
    const char *q = *p;
    while (isspace((unsigned char)*q)) q++;
    if (isalpha((unsigned char)*q)) {
        char w[8];
        const char *r = q;
        read_word(&r, w, sizeof w);
        if (!strcmp(w, "am") || !strcmp(w, "pm")) d->meridian = w[0], *p = q = r;
    }
    q = *p;
    while (isspace((unsigned char)*q)) q++;
    if ((*q == '+' || *q == '-') && isdigit((unsigned char)q[1])) {
        long off;
        if (!read_offset(&q, &off) || !set_zone(d, off)) return false;
        *p = q;
    } else if (**p == 'z' || **p == 'Z') {
        if (!set_zone(d, 0)) return false;
        (*p)++;
    }
    return true;
}

/* HH:MM[:SS[.frac]] with h already read. */
static bool read_clock(const char **p, Dt *d, Num h) {
    (*p)++; /* ':' */
    Num m = read_unsigned(p), s = {0, 0, 0};
    if (!m.digits || m.digits > 2 || h.digits > 2) return false;
    if (**p == ':') {
        (*p)++;
        s = read_unsigned(p);
        if (!s.digits || s.digits > 2) return false;
        d->nsec = read_frac(p);
    }
    d->hour = (int)h.v, d->min = (int)m.v, d->sec = (int)s.v;
    d->times++;
    return time_suffix(p, d);
}

static bool add_rel(Dt *d, int slot, long long v) {
    long long *acc[] = {&d->rel_year, &d->rel_mon, &d->rel_day, &d->rel_sec};
    *acc[slot] += v;
    memset(d->last, 0, sizeof d->last);
    d->last[slot] = v;
    d->rels++;
    return true;
}

/* A word at p, the number n (if any) standing before it. */
static bool word_item(const char **p, Dt *d, const Num *n) {
    char w[32];
    read_word(p, w, sizeof w);
    int slot;
    long long mult, ord;
    long off;
    int i;
    if (unit_of(w, &slot, &mult)) {
        long long count = n ? (n->sign ? n->sign * n->v : n->v) : d->have_ordinal ? d->ordinal : 1;
        d->have_ordinal = false;
        return add_rel(d, slot, count * mult);
    }
    if (n) {
        if (n->sign) return false;
        if (!strcmp(w, "am") || !strcmp(w, "pm")) {
            if (n->digits > 2) return false;
            d->hour = (int)n->v, d->min = d->sec = 0, d->nsec = 0, d->meridian = w[0], d->times++;
            return time_suffix(p, d);
        }
        if ((i = name_index(w, month_names, 12)) >= 0) {
            /* "2 Jan [2024]" */
            d->day = (int)n->v, d->mon = i + 1, d->dates++;
            const char *q = *p;
            skip_space(&q);
            if (*q == '-') q++;
            if (isdigit((unsigned char)*q)) {
                Num y = read_unsigned(&q);
                if (*q != ':') d->year = y.v, d->year_digits = y.digits, *p = q;
            }
            return true;
        }
        return false;
    }
    if (d->have_ordinal) {
        d->have_ordinal = false;
        if ((i = name_index(w, day_names, 7)) < 0) return false;
        d->day_number = i, d->day_ordinal = (int)d->ordinal, d->days++;
        return true;
    }
    if (ordinal_of(w, &ord)) return d->ordinal = ord, d->have_ordinal = true, true;
    if (!strcmp(w, "ago")) {
        if (!d->rels) return false;
        d->rel_year -= 2 * d->last[0], d->rel_mon -= 2 * d->last[1];
        d->rel_day -= 2 * d->last[2], d->rel_sec -= 2 * d->last[3];
        memset(d->last, 0, sizeof d->last);
        return true;
    }
    if (!strcmp(w, "now") || !strcmp(w, "today")) return add_rel(d, 3, 0);
    if (!strcmp(w, "yesterday")) return add_rel(d, 2, -1);
    if (!strcmp(w, "tomorrow")) return add_rel(d, 2, 1);
    if (!strcmp(w, "dst")) return true;
    if (zone_of(w, &off)) {
        const char *q = *p;
        if ((*q == '+' || *q == '-') && isdigit((unsigned char)q[1])) {
            long extra;
            if (!read_offset(&q, &extra)) return false;
            off += extra, *p = q;
        }
        return set_zone(d, off);
    }
    if ((i = name_index(w, month_names, 12)) >= 0) {
        /* "Jan 2 [2024]", "Jan 2, 2024", "Jan-02-2024", "Jan" */
        d->mon = i + 1, d->day = 1, d->dates++;
        const char *q = *p;
        skip_space(&q);
        if (*q == '-') q++;
        if (isdigit((unsigned char)*q)) {
            const char *r = q;
            Num day = read_unsigned(&r);
            if (*r != ':') {
                d->day = (int)day.v, *p = q = r;
                skip_space(&q);
                if (*q == '-') q++;
                r = q;
                Num y = read_unsigned(&r);
                if (y.digits >= 3 || (y.digits && *r == '-')) d->year = y.v, d->year_digits = y.digits, *p = r;
            }
        }
        return true;
    }
    if ((i = name_index(w, day_names, 7)) >= 0) {
        d->day_number = i, d->day_ordinal = 0, d->days++;
        return true;
    }
    return false;
}

/* A number at p (sign already consumed into n.sign by the caller when set). */
static bool number_item(const char **p, Dt *d, Num n) {
    if (!n.sign && **p == ':') return read_clock(p, d, n);
    if (!n.sign && (**p == '-') && isdigit((unsigned char)(*p)[1])) {
        /* ISO 8601: Y-M-D[Thh:mm...] */
        (*p)++;
        Num m = read_unsigned(p);
        if (**p != '-' || !isdigit((unsigned char)(*p)[1])) return false;
        (*p)++;
        Num dd = read_unsigned(p);
        d->year = n.v, d->year_digits = n.digits, d->mon = (int)m.v, d->day = (int)dd.v, d->dates++;
        if ((**p == 'T' || **p == 't') && isdigit((unsigned char)(*p)[1])) {
            (*p)++;
            Num h = read_unsigned(p);
            if (**p == ':') return read_clock(p, d, h);
            if (h.digits > 2 && h.digits != 4 && h.digits != 6) return false;
            return false;
        }
        return true;
    }
    if (!n.sign && **p == '-' && isalpha((unsigned char)(*p)[1])) {
        /* 2-Jan-2024 */
        (*p)++;
        return word_item(p, d, &n);
    }
    if (!n.sign && **p == '/') {
        (*p)++;
        Num b = read_unsigned(p);
        if (!b.digits) return false;
        if (**p == '/') {
            (*p)++;
            Num c = read_unsigned(p);
            if (!c.digits) return false;
            if (n.digits >= 4) d->year = n.v, d->year_digits = n.digits, d->mon = (int)b.v, d->day = (int)c.v;
            else d->mon = (int)n.v, d->day = (int)b.v, d->year = c.v, d->year_digits = c.digits;
        } else {
            d->mon = (int)n.v, d->day = (int)b.v;
        }
        d->dates++;
        return true;
    }
    const char *q = *p;
    while (isspace((unsigned char)*q)) q++;
    if (isalpha((unsigned char)*q)) {
        char w[32];
        const char *r = q;
        read_word(&r, w, sizeof w);
        int slot;
        long long mult;
        if (unit_of(w, &slot, &mult) || (!n.sign && (!strcmp(w, "am") || !strcmp(w, "pm") ||
                                                     name_index(w, month_names, 12) >= 0))) {
            *p = q;
            return word_item(p, d, &n);
        }
    }
    if (n.sign) {
        /* a signed number with no unit: a zone offset after a time */
        return false;
    }
    if (d->dates && !d->year_digits && !d->rels && (d->times || n.digits > 2)) {
        d->year = n.v, d->year_digits = n.digits;
    } else if (n.digits > 4) {
        d->day = (int)(n.v % 100), d->mon = (int)(n.v / 100 % 100), d->year = n.v / 10000;
        d->year_digits = n.digits - 4, d->dates++;
    } else {
        if (n.digits <= 2) d->hour = (int)n.v, d->min = 0;
        else d->hour = (int)(n.v / 100), d->min = (int)(n.v % 100);
        d->sec = 0, d->nsec = 0, d->times++;
        return time_suffix(p, d);
    }
    return true;
}

static bool tokenize(const char *s, Dt *d) {
    const char *p = s;
    for (;;) {
        skip_space(&p);
        if (!*p) break;
        bool ok;
        if (isdigit((unsigned char)*p)) {
            Num n = read_unsigned(&p);
            ok = number_item(&p, d, n);
        } else if ((*p == '+' || *p == '-') && isdigit((unsigned char)p[1])) {
            if (d->times && !d->zones && !d->rels) {
                long off;
                const char *q = p;
                if (read_offset(&q, &off)) {
                    /* "10:00 +0200": a zone unless a unit follows */
                    const char *r = q;
                    while (isspace((unsigned char)*r)) r++;
                    char w[32];
                    read_word(&r, w, sizeof w);
                    int slot;
                    long long mult;
                    if (!unit_of(w, &slot, &mult)) {
                        p = q;
                        if (!set_zone(d, off)) return false;
                        continue;
                    }
                }
            }
            int sign = *p++ == '-' ? -1 : 1;
            Num n = read_unsigned(&p);
            n.sign = sign;
            ok = number_item(&p, d, n);
        } else if (isalpha((unsigned char)*p)) {
            ok = word_item(&p, d, NULL);
        } else {
            ok = false;
        }
        if (!ok) return false;
    }
    return !d->have_ordinal && d->dates <= 1 && d->times <= 1 && d->zones <= 1 && d->days <= 1;
}

static int days_in_month(long long year, int mon) {
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return mon == 2 && leap ? 29 : days[mon - 1];
}

static bool fix_fields(Dt *d) {
    if (d->meridian) {
        if (d->hour < 1 || d->hour > 12) return false;
        d->hour = d->hour % 12 + (d->meridian == 'p' ? 12 : 0);
    }
    if (d->times && (d->hour > 23 || d->min > 59 || d->sec > 60)) return false;
    if (d->dates && d->year_digits == 2) d->year += d->year < 69 ? 2000 : 1900;
    return true;
}

static bool parse_epoch(const char *s, struct timespec *out) {
    const char *p = s + 1;
    while (isspace((unsigned char)*p)) p++;
    int sign = 1;
    if (*p == '-' || *p == '+') sign = *p++ == '-' ? -1 : 1;
    if (!isdigit((unsigned char)*p)) return false;
    Num n = read_unsigned(&p);
    if (n.digits > 18) return false;
    long ns = read_frac(&p);
    while (isspace((unsigned char)*p)) p++;
    if (*p) return false;
    long long v = sign * n.v;
    if (sign < 0 && ns) v--, ns = 1000000000L - ns;
    out->tv_sec = (time_t)v;
    out->tv_nsec = ns;
    return true;
}

/* TZ="ZONE" at the start of s: that zone for the rest. */
static const char *leading_tz(const char *s, UTz **own) {
    if (strncmp(s, "TZ=\"", 4)) return s;
    const char *e = strchr(s + 4, '"');
    if (!e) return s;
    char *name = xstrndup(s + 4, (size_t)(e - s - 4));
    *own = u_tz_new(name);
    free(name);
    return e + 1;
}

static bool compute(const Dt *d, const struct timespec *now, const UTz *z, struct timespec *out) {
    struct tm tm;
    if (!u_tz_local(z, now->tv_sec, &tm)) return false;
    long nsec = now->tv_nsec;
    if (d->dates) {
        if (d->year_digits) tm.tm_year = (int)(d->year - 1900);
        if (d->mon < 1 || d->mon > 12 || d->day < 1 || d->day > days_in_month(tm.tm_year + 1900LL, d->mon))
            return false;
        tm.tm_mon = d->mon - 1, tm.tm_mday = d->day;
    }
    if (d->times) {
        tm.tm_hour = d->hour, tm.tm_min = d->min, tm.tm_sec = d->sec, nsec = d->nsec;
    } else if (d->dates || d->days) {
        tm.tm_hour = tm.tm_min = tm.tm_sec = 0, nsec = 0;
    }
    tm.tm_isdst = -1;
    UTz *fixed = d->zones ? u_tz_fixed(d->zone, "") : NULL;
    const UTz *zz = fixed ? fixed : z;
    time_t t = u_tz_mktime(zz, &tm);
    if (d->times && (tm.tm_hour != d->hour || tm.tm_min != d->min)) {
        /* a local time that does not exist (skipped by a DST change) */
        u_tz_free(fixed);
        return false;
    }
    if (d->days && !d->dates) {
        int ord = d->day_ordinal - (d->day_ordinal > 0 && tm.tm_wday != d->day_number);
        tm.tm_mday += (d->day_number - tm.tm_wday + 7) % 7 + 7 * ord;
        tm.tm_isdst = -1;
        t = u_tz_mktime(zz, &tm);
    }
    if (d->rel_year || d->rel_mon || d->rel_day) {
        int h = tm.tm_hour, mi = tm.tm_min, s = tm.tm_sec;
        tm.tm_year += (int)d->rel_year, tm.tm_mon += (int)d->rel_mon, tm.tm_mday += (int)d->rel_day;
        tm.tm_hour = h, tm.tm_min = mi, tm.tm_sec = s, tm.tm_isdst = -1;
        t = u_tz_mktime(zz, &tm);
    }
    u_tz_free(fixed);
    out->tv_sec = t + (time_t)d->rel_sec;
    out->tv_nsec = nsec;
    return true;
}

bool u_parse_datetime_tz(const char *s, const struct timespec *now, const UTz *z, struct timespec *out) {
    while (isspace((unsigned char)*s)) s++;
    UTz *own = NULL;
    s = leading_tz(s, &own);
    while (isspace((unsigned char)*s)) s++;
    bool ok;
    if (*s == '@') {
        ok = parse_epoch(s, out);
    } else {
        Dt d;
        memset(&d, 0, sizeof d);
        ok = tokenize(s, &d) && fix_fields(&d) && compute(&d, now, own ? own : z, out);
    }
    u_tz_free(own);
    return ok;
}

bool u_parse_datetime(const char *s, const struct timespec *now, bool utc, struct timespec *out) {
    UTz *z = utc ? u_tz_fixed(0, "UTC") : u_tz_new(NULL);
    bool ok = u_parse_datetime_tz(s, now, z, out);
    u_tz_free(z);
    return ok;
}

/* ================= formatting ================= */

typedef struct Conv {
    bool number;      /* v is printed with at least `digits` digits */
    long long v;
    int digits;
    char pad;         /* default padding: '0' or '_' */
    const char *str;  /* otherwise the text */
    bool swap_upper;  /* '#' makes it upper case (names); else lower (%p, %Z) */
} Conv;

static const char *const wday_abbr[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char *const wday_full[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
static const char *const mon_abbr[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
static const char *const mon_full[] = {"January", "February", "March",     "April",   "May",      "June",
                                       "July",    "August",   "September", "October", "November", "December"};

/* ISO 8601 week-based year and week of tm. */
static void iso_week(const struct tm *tm, long long *year, int *week) {
    long long y = tm->tm_year + 1900LL;
    int wday = (tm->tm_wday + 6) % 7; /* Monday = 0 */
    int yday = tm->tm_yday;
    int w = (yday - wday + 10) / 7;
    if (w < 1) {
        y--;
        int len = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 366 : 365;
        w = (yday + len - wday + 10) / 7;
    } else {
        int len = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 366 : 365;
        if (w == 53 && yday - wday + 3 >= len) w = 1, y++;
    }
    *year = y, *week = w;
}

static Conv num(long long v, int digits) { return (Conv){.number = true, .v = v, .digits = digits, .pad = '0'}; }
static Conv spnum(long long v, int digits) { return (Conv){.number = true, .v = v, .digits = digits, .pad = '_'}; }
static Conv text(const char *s, bool swap_upper) { return (Conv){.str = s, .swap_upper = swap_upper}; }

static void zone_offset(StrBuf *b, long off, int colons) {
    char sign = off < 0 ? '-' : '+';
    long a = labs(off);
    if (colons == 0) sb_printf(b, "%c%02ld%02ld", sign, a / 3600, a / 60 % 60);
    else if (colons == 1) sb_printf(b, "%c%02ld:%02ld", sign, a / 3600, a / 60 % 60);
    else if (colons == 2) sb_printf(b, "%c%02ld:%02ld:%02ld", sign, a / 3600, a / 60 % 60, a % 60);
    else if (a % 60) sb_printf(b, "%c%02ld:%02ld:%02ld", sign, a / 3600, a / 60 % 60, a % 60);
    else if (a % 3600) sb_printf(b, "%c%02ld:%02ld", sign, a / 3600, a / 60 % 60);
    else sb_printf(b, "%c%02ld", sign, a / 3600);
}

static void format_tm(StrBuf *out, const char *fmt, const struct tm *tm, const struct timespec *ts);

/* The conversion c (with `colons` colons before it); composite ones are
 * expanded into tmp. False for an unknown conversion. */
static bool conv_of(char c, int colons, const struct tm *tm, const struct timespec *ts, StrBuf *tmp, Conv *cv) {
    int h12 = tm->tm_hour % 12 ? tm->tm_hour % 12 : 12;
    long long year = tm->tm_year + 1900LL, iso_year;
    int week;
    const char *composite = NULL;
    if (colons && c != 'z') return false;
    switch (c) {
    case 'a': *cv = text(wday_abbr[tm->tm_wday], true); return true;
    case 'A': *cv = text(wday_full[tm->tm_wday], true); return true;
    case 'b': case 'h': *cv = text(mon_abbr[tm->tm_mon], true); return true;
    case 'B': *cv = text(mon_full[tm->tm_mon], true); return true;
    case 'c': composite = "%a %b %e %H:%M:%S %Y"; break;
    case 'C': *cv = num(year / 100 - (year < 0 && year % 100), 2); return true;
    case 'd': *cv = num(tm->tm_mday, 2); return true;
    case 'D': case 'x': composite = "%m/%d/%y"; break;
    case 'e': *cv = spnum(tm->tm_mday, 2); return true;
    case 'F': composite = "%Y-%m-%d"; break;
    case 'g': iso_week(tm, &iso_year, &week); *cv = num(((iso_year % 100) + 100) % 100, 2); return true;
    case 'G': iso_week(tm, &iso_year, &week); *cv = num(iso_year, 4); return true;
    case 'H': *cv = num(tm->tm_hour, 2); return true;
    case 'I': *cv = num(h12, 2); return true;
    case 'j': *cv = num(tm->tm_yday + 1, 3); return true;
    case 'k': *cv = spnum(tm->tm_hour, 2); return true;
    case 'l': *cv = spnum(h12, 2); return true;
    case 'm': *cv = num(tm->tm_mon + 1, 2); return true;
    case 'M': *cv = num(tm->tm_min, 2); return true;
    case 'n': *cv = text("\n", false); return true;
    case 'N': *cv = num(ts->tv_nsec, 9); return true;
    case 'p': *cv = text(tm->tm_hour < 12 ? "AM" : "PM", false); return true;
    case 'P': *cv = text(tm->tm_hour < 12 ? "am" : "pm", false); return true;
    case 'q': *cv = num(tm->tm_mon / 3 + 1, 1); return true;
    case 'r': composite = "%I:%M:%S %p"; break;
    case 'R': composite = "%H:%M"; break;
    case 's': *cv = num((long long)ts->tv_sec, 1); return true;
    case 'S': *cv = num(tm->tm_sec, 2); return true;
    case 't': *cv = text("\t", false); return true;
    case 'T': case 'X': composite = "%H:%M:%S"; break;
    case 'u': *cv = num(tm->tm_wday ? tm->tm_wday : 7, 1); return true;
    case 'U': *cv = num((tm->tm_yday + 7 - tm->tm_wday) / 7, 2); return true;
    case 'V': iso_week(tm, &iso_year, &week); *cv = num(week, 2); return true;
    case 'w': *cv = num(tm->tm_wday, 1); return true;
    case 'W': *cv = num((tm->tm_yday + 7 - (tm->tm_wday + 6) % 7) / 7, 2); return true;
    case 'y': *cv = num(((year % 100) + 100) % 100, 2); return true;
    case 'Y': *cv = num(year, 4); return true;
    case 'z':
        zone_offset(tmp, tm->tm_gmtoff, colons);
        *cv = text(tmp->s, false);
        return true;
    case 'Z': *cv = text(tm->tm_zone ? tm->tm_zone : "", false); return true;
    default: return false;
    }
    format_tm(tmp, composite, tm, ts);
    *cv = text(tmp->s, false);
    return true;
}

/* %N: a width is the number of digits shown (default 9, more digits are
 * zeros); '-' and '_' drop leading zeros, '_' padding on the right. */
static void emit_nanos(StrBuf *t, long long ns, char pad, int width) {
    int keep = width > 0 ? width : 9;
    char buf[32];
    snprintf(buf, sizeof buf, "%09lld", ns);
    StrBuf d;
    sb_init(&d);
    bool strip = pad == '_' || (pad == '-' && width > 0);
    sb_put(&d, buf, keep < 9 ? (size_t)keep : 9);
    for (int i = 9; i < keep && !strip; i++) sb_putc(&d, '0');
    size_t skip = 0;
    while (strip && skip + 1 < d.len && d.s[skip] == '0') skip++;
    sb_put(t, d.s + skip, d.len - skip);
    if (pad == '_')
        for (size_t i = d.len - skip; i < (size_t)keep; i++) sb_putc(t, ' ');
    sb_free(&d);
}

/* A number: an explicit width replaces the natural number of digits. */
static void emit_number(StrBuf *t, long long v, int digits, char pad, int width) {
    bool neg = v < 0;
    unsigned long long a = neg ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    char buf[32];
    int n = snprintf(buf, sizeof buf, "%llu", a);
    int w = width > 0 ? width : digits;
    if (pad == '-') w = 0;
    int fill = w - n - neg;
    if (pad == '_')
        for (int i = 0; i < fill; i++) sb_putc(t, ' ');
    if (neg) sb_putc(t, '-');
    if (pad != '_')
        for (int i = 0; i < fill; i++) sb_putc(t, '0');
    sb_put(t, buf, (size_t)n);
}

/* %z %:z %::z %:::z: the hours are a padded number after the sign. */
static void emit_zone(StrBuf *t, long off, int colons, char pad, int width) {
    char sign = off < 0 ? '-' : '+';
    long a = labs(off), h = a / 3600, m = a / 60 % 60, sec = a % 60;
    char rest[16];
    if (colons == 0) h = h * 100 + m, rest[0] = 0;
    else if (colons == 1) snprintf(rest, sizeof rest, ":%02ld", m);
    else if (colons == 2 || sec) snprintf(rest, sizeof rest, ":%02ld:%02ld", m, sec);
    else if (m) snprintf(rest, sizeof rest, ":%02ld", m);
    else rest[0] = 0;
    int w = (width > 0 ? width : (colons ? 3 : 5) + (int)strlen(rest)) - (int)strlen(rest);
    char hb[16];
    int n = snprintf(hb, sizeof hb, "%ld", h);
    int fill = pad == '-' ? 0 : w - 1 - n;
    if (pad == '_')
        for (int i = 0; i < fill; i++) sb_putc(t, ' ');
    sb_putc(t, sign);
    if (pad != '_')
        for (int i = 0; i < fill; i++) sb_putc(t, '0');
    sb_puts(t, hb);
    sb_puts(t, rest);
}

/* Writes a conversion with GNU's flags: '-' no padding, '_' spaces, '0'
 * zeros, '^' upper case, '#' swapped case; width pads on the left. */
static void emit(StrBuf *out, const Conv *cv, char conv, char flag, bool upper, int width) {
    StrBuf t;
    sb_init(&t);
    char pad = flag && flag != '#' ? flag : cv->number ? cv->pad : 0;
    if (cv->number) {
        if (conv == 'N') emit_nanos(&t, cv->v, pad, width);
        else emit_number(&t, cv->v, cv->digits, pad, width);
        width = 0;
    } else {
        sb_puts(&t, cv->str);
        bool has_lower = false;
        for (size_t i = 0; i < t.len; i++) has_lower |= islower((unsigned char)t.s[i]) != 0;
        bool fixed_case = conv == 'P' || strchr("cDFrRTxX", conv);
        for (size_t i = 0; i < t.len && conv != 'P'; i++) {
            unsigned char ch = (unsigned char)t.s[i];
            if (upper || (flag == '#' && cv->swap_upper)) t.s[i] = (char)toupper(ch);
            else if (flag == '#' && !fixed_case && !cv->swap_upper && !has_lower) t.s[i] = (char)tolower(ch);
        }
    }
    if (pad != '-')
        for (int i = (int)t.len; i < width; i++) sb_putc(out, pad == '0' ? '0' : ' ');
    sb_put(out, t.s, t.len);
    sb_free(&t);
}

static void format_tm(StrBuf *out, const char *fmt, const struct tm *tm, const struct timespec *ts) {
    StrBuf tmp;
    sb_init(&tmp);
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            sb_putc(out, *p);
            continue;
        }
        const char *start = p++;
        char flag = 0;
        bool upper = false;
        for (; *p && strchr("-_0^#+", *p); p++) {
            if (*p == '^') upper = true;
            else if (*p == '#') flag = flag ? flag : '#';
            else flag = *p == '+' ? '0' : *p;
        }
        int width = 0;
        while (isdigit((unsigned char)*p)) width = width * 10 + (*p++ - '0');
        while (*p == 'E' || *p == 'O') p++;
        int colons = 0;
        while (*p == ':' && colons < 4) colons++, p++;
        if (!*p) {
            sb_puts(out, start);
            break;
        }
        if (*p == '%' && !colons) {
            /* with flags or a width GNU prints the spec as it is */
            size_t len = (size_t)(p - start + 1);
            if (p == start + 1) len = 1;
            for (int i = (int)len - 1; i < width && flag != '-'; i++) sb_putc(out, flag == '0' ? '0' : ' ');
            sb_put(out, start, len);
            continue;
        }
        if (*p == 'z') {
            char pad = flag && flag != '#' ? flag : '0';
            emit_zone(out, tm->tm_gmtoff, colons, pad, width);
            continue;
        }
        Conv cv;
        sb_clear(&tmp);
        if (!conv_of(*p, colons, tm, ts, &tmp, &cv)) {
            sb_put(out, start, (size_t)(p - start + 1));
            continue;
        }
        emit(out, &cv, *p, flag, upper, width);
    }
    sb_free(&tmp);
}

void u_format_time_tz(StrBuf *out, const char *fmt, const struct timespec *ts, const UTz *z) {
    struct tm tm;
    if (!u_tz_local(z, ts->tv_sec, &tm)) {
        memset(&tm, 0, sizeof tm);
        tm.tm_mday = 1, tm.tm_year = 70;
    }
    format_tm(out, fmt, &tm, ts);
}

void u_format_time(StrBuf *out, const char *fmt, const struct timespec *ts, bool utc) {
    UTz *z = utc ? u_tz_fixed(0, "UTC") : u_tz_new(NULL);
    u_format_time_tz(out, fmt, ts, z);
    u_tz_free(z);
}
