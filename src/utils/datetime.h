/* datetime.h - date strings for date and touch: parsing a useful subset of
 * GNU date's input syntax, and formatting with GNU's strftime extensions
 * (flags - _ 0 ^ #, widths, %N, %s, %:z, %q). */
#ifndef WASMSH_DATETIME_H
#define WASMSH_DATETIME_H

#include "common.h"

#include <stdbool.h>
#include <time.h>

/* Parses: @EPOCH[.frac]; YYYY-MM-DD, YYYY/MM/DD, MM/DD/YYYY, YYYYMMDD;
 * [T ]HH:MM[:SS[.frac]] [am|pm]; zones Z UTC GMT +HH[:MM] -HHMM; month and
 * weekday names ("Jan 2 2024", "Tue, 02 Jan 2024"); now today yesterday
 * tomorrow; relative items "[+-]N unit", "next/last unit", "... ago".
 * Times without a zone are local, or UTC when utc is set. */
bool u_parse_datetime(const char *s, const struct timespec *now, bool utc, struct timespec *out);

/* Appends ts formatted by fmt (GNU date conversions) to out. */
void u_format_time(StrBuf *out, const char *fmt, const struct timespec *ts, bool utc);

#endif
