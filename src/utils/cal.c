/* cal.c - cal as Debian's ncal package prints it when stdout is not a
 * terminal (no highlighting): a month, three months (-3, -A, -B), or a
 * year (cal YEAR, -y), Sunday first, -j day-of-year numbering, -m MONTH.
 * Proleptic Gregorian throughout (ncal switches to Julian before 1752:
 * deliberately not reproduced). "Today" comes from the session's TZ. */
#include "tz.h"
#include "ucommon.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const months[] = {"January", "February", "March",     "April",   "May",      "June",
                                     "July",    "August",   "September", "October", "November", "December"};

typedef struct Cal {
    bool julian;
    int width; /* of one month: 20, or 27 with -j */
} Cal;

static bool leap(long y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int month_days(long y, int m) {
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : d[m - 1];
}

/* Appends s centred in width w (left padding (w-len)/2), padded to w when pad. */
static void center(StrBuf *b, const char *s, int w, bool pad) {
    int len = (int)strlen(s), left = (w - len) / 2;
    for (int i = 0; i < left; i++) sb_putc(b, ' ');
    sb_puts(b, s);
    for (int i = left + len; pad && i < w; i++) sb_putc(b, ' ');
}

/* Line `row` of a month block (0 title, 1 weekdays, 2..7 weeks), width c->width. */
static void month_line(const Cal *c, StrBuf *b, long y, int m, int row, bool with_year) {
    size_t start = b->len;
    if (row == 0) {
        char t[64];
        if (with_year) snprintf(t, sizeof t, "%s %ld", months[m - 1], y);
        else snprintf(t, sizeof t, "%s", months[m - 1]);
        center(b, t, c->width, true);
    } else if (row == 1) {
        sb_puts(b, c->julian ? " Su  Mo  Tu  We  Th  Fr  Sa" : "Su Mo Tu We Th Fr Sa");
    } else {
        long long first = u_days_from_civil(y, m, 1);
        int wd = (int)(((first + 4) % 7 + 7) % 7);
        int yday0 = (int)(first - u_days_from_civil(y, 1, 1));
        int nd = month_days(y, m);
        for (int col = 0; col < 7; col++) {
            int day = (row - 2) * 7 + col - wd + 1;
            if (col) sb_putc(b, ' ');
            if (day < 1 || day > nd) sb_puts(b, c->julian ? "   " : "  ");
            else if (c->julian) sb_printf(b, "%3d", yday0 + day);
            else sb_printf(b, "%2d", day);
        }
    }
    while ((int)(b->len - start) < c->width) sb_putc(b, ' ');
    sb_puts(b, "  ");
}

/* Months side by side, from (y, m), n of them, with years in the titles. */
static void month_row(const Cal *c, StrBuf *b, long y, int m, int n, bool with_year) {
    for (int row = 0; row < 8; row++) {
        long yy = y;
        int mm = m;
        for (int i = 0; i < n; i++) {
            month_line(c, b, yy, mm, row, with_year);
            if (++mm > 12) mm = 1, yy++;
        }
        sb_putc(b, '\n');
    }
}

/* n months from January (12 for a year) under a year heading. */
static void year_view(const Cal *c, StrBuf *b, long y, int n) {
    int per = c->julian ? 2 : 3;
    char t[16];
    snprintf(t, sizeof t, "%ld", y);
    center(b, t, c->width * per, false);
    sb_putc(b, '\n');
    for (int m = 1; m <= n; m += per) {
        if (m > 1) sb_putc(b, '\n');
        month_row(c, b, y, m, n - m + 1 < per ? n - m + 1 : per, false);
    }
}

static int parse_month(const char *s) {
    if (*s && strspn(s, "0123456789") == strlen(s)) {
        long v = strtol(s, NULL, 10);
        return v >= 1 && v <= 12 ? (int)v : -1;
    }
    size_t n = strlen(s);
    for (int i = 0; i < 12 && n >= 3; i++)
        if (!strncasecmp(months[i], s, n)) return i + 1;
    return -1;
}

static bool parse_year(UtilCtx *c, const char *s, long *y) {
    if (!*s || strspn(s, "0123456789") != strlen(s)) {
        uc_error(c, "not a valid year %s", s);
        return false;
    }
    *y = strtol(s, NULL, 10);
    if (*y < 1 || *y > 9999) {
        uc_error(c, "year `%s' not in range 1..9999", s);
        return false;
    }
    return true;
}

static void cal_usage(UtilCtx *c) {
    uc_puts(c, 2, "Usage: cal [general options] [-jy] [[month] year]\n"
                  "       cal [general options] [-j] [-m month] [year]\n"
                  "       ncal -C [general options] [-jy] [[month] year]\n"
                  "       ncal -C [general options] [-j] [-m month] [year]\n"
                  "       ncal [general options] [-bhJjpwySM] [-H yyyy-mm-dd] [-s country_code] [-W number of days] [[month] year]\n"
                  "       ncal [general options] [-Jeo] [year]\n"
                  "General options: [-31] [-A months] [-B months] [-d yyyy-mm]\n");
}

int util_cal_main(UtilCtx *c, int argc, char **argv) {
    Cal cal = {.width = 20};
    UOpts o;
    uopt_init(&o, c, argc, argv, "13hjym:A:B:d:", NULL);
    int k, r = -1, before = 0, after = 0, month_opt = 0;
    bool whole_year = false;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) {
        switch (k) {
        case '1': before = after = 0; break;
        case '3': before = after = 1; break;
        case 'h': break;
        case 'j': cal.julian = true, cal.width = 27; break;
        case 'y': whole_year = true; break;
        case 'm':
            if ((month_opt = parse_month(o.arg)) < 0) uc_error(c, "%s is neither a month number (1..12) nor a name", o.arg), r = 64;
            break;
        case 'A': after = atoi(o.arg); break;
        case 'B': before = atoi(o.arg); break;
        case 'd': break;
        default: cal_usage(c), r = 64; break;
        }
    }
    struct tm now;
    UTz *z = u_tz_session(c);
    u_tz_local(z, time(NULL), &now);
    u_tz_free(z);
    long y = now.tm_year + 1900L;
    int m = now.tm_mon + 1;
    if (r < 0 && o.ops.n > 2) cal_usage(c), r = 64;
    if (r < 0 && o.ops.n == 2) {
        if ((m = parse_month(o.ops.v[0])) < 0) uc_error(c, "%s is neither a month number (1..12) nor a name", o.ops.v[0]), r = 64;
        else if (!parse_year(c, o.ops.v[1], &y)) r = 64;
    } else if (r < 0 && o.ops.n == 1) {
        if (!parse_year(c, o.ops.v[0], &y)) r = 64;
        else if (!month_opt && !before && !after) whole_year = true;
    }
    if (r < 0 && month_opt) m = month_opt, whole_year = false;
    StrBuf b;
    sb_init(&b);
    if (r < 0) {
        int n = before + after + 1, per = cal.julian ? 2 : 3;
        if (whole_year) {
            year_view(&cal, &b, y, 12);
        } else if (((m - before - 1) % 12 + 12) % per == 0 && n >= per) {
            /* ranges starting at a band boundary print year-style, as ncal does:
             * a year heading at the start and at each January */
            long yy = y;
            int mm = m - before;
            while (mm < 1) mm += 12, yy--;
            for (int done = 0; done < n; done += per) {
                if (done) sb_putc(&b, '\n');
                if (!done || mm == 1) {
                    char t[16];
                    snprintf(t, sizeof t, "%ld", yy);
                    center(&b, t, cal.width * per, false);
                    sb_putc(&b, '\n');
                }
                int cnt = n - done < per ? n - done : per;
                if (mm + cnt - 1 > 12) cnt = 13 - mm;
                month_row(&cal, &b, yy, mm, cnt, false);
                done -= per - cnt;
                mm += cnt;
                while (mm > 12) mm -= 12, yy++;
            }
        } else {
            long yy = y;
            int mm = m - before;
            while (mm < 1) mm += 12, yy--;
            for (int done = 0; done < n; done += per) {
                if (done) sb_putc(&b, '\n');
                int cnt = n - done < per ? n - done : per;
                month_row(&cal, &b, yy, mm, cnt, true);
                mm += cnt;
                while (mm > 12) mm -= 12, yy++;
            }
        }
        r = uc_write(c, 1, b.s, b.len) < 0;
    }
    sb_free(&b);
    uopt_free(&o);
    return r;
}
