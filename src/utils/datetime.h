/* datetime.h - date strings for date, touch and the rest: parsing GNU
 * date's input syntax (parse-datetime), and formatting with GNU's strftime
 * extensions (flags - _ 0 ^ #, widths, %N, %s, %:z %::z %:::z, %q, %P). */
#ifndef WASMSH_DATETIME_H
#define WASMSH_DATETIME_H

#include "common.h"
#include "tz.h"

#include <stdbool.h>
#include <time.h>

/* Parses the GNU date grammar: @EPOCH[.frac]; ISO 8601 dates and times (T,
 * Z, offsets, fractions), YYYY/MM/DD, MM/DD[/YY[YY]], YYYYMMDD, month and
 * weekday names ("Jan 2 2024", "2 January", "Tue, 02 Jan 2024",
 * "next monday", "last friday"); HH:MM[:SS[.frac]] [am|pm], 9am; zones
 * (UTC GMT Z EST ... +HH[:MM] -HHMM, UTC+3); now today yesterday tomorrow;
 * relative items ("[+-]N unit", "next week", "2 days ago", "hour");
 * an optional leading TZ="ZONE". Local times are in zone z. */
bool u_parse_datetime_tz(const char *s, const struct timespec *now, const UTz *z, struct timespec *out);

/* Appends ts formatted by fmt (GNU date conversions) in zone z to out. */
void u_format_time_tz(StrBuf *out, const char *fmt, const struct timespec *ts, const UTz *z);

/* The same with the zone being UTC (utc) or /etc/localtime's (not the
 * session's TZ: callers with a UtilCtx should use the _tz forms with
 * u_tz_session). */
bool u_parse_datetime(const char *s, const struct timespec *now, bool utc, struct timespec *out);
void u_format_time(StrBuf *out, const char *fmt, const struct timespec *ts, bool utc);

#endif
