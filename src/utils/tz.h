/* tz.h - time zones for the utilities, from the session's TZ variable (never
 * the process environment): UTC, POSIX TZ strings ("EST5", "UTC-3",
 * "CET-1CEST,M3.5.0,M10.5.0/3"), and named zones read from the TZif files
 * under /usr/share/zoneinfo when they are readable. With TZ unset the zone is
 * /etc/localtime's, or UTC when there is none (as under Emscripten's MEMFS). */
#ifndef WASMSH_TZ_H
#define WASMSH_TZ_H

#include "util.h"

#include <stdbool.h>
#include <time.h>

typedef struct UTz UTz;

/* The zone TZ names (NULL: unset, i.e. /etc/localtime). Never fails: an
 * unusable name gives UTC with that name's letters as abbreviation, as glibc does. */
UTz *u_tz_new(const char *tz);
/* The zone of the command's TZ variable. */
UTz *u_tz_session(UtilCtx *c);
/* A fixed offset (seconds east of UTC) named name ("UTC"). */
UTz *u_tz_fixed(long offset, const char *name);
void u_tz_free(UTz *z);

/* Broken-down local time of t in z, with tm_gmtoff, tm_isdst and tm_zone
 * (tm_zone points into z). False when t is out of range. */
bool u_tz_local(const UTz *z, time_t t, struct tm *tm);
/* The inverse: normalises tm (fields may be out of range) and returns its
 * time; tm_isdst < 0 lets the zone decide. */
time_t u_tz_mktime(const UTz *z, struct tm *tm);

/* Days since 1970-01-01 of a proleptic Gregorian date (mon 1..12; day may
 * be out of range). */
long long u_days_from_civil(long long y, int mon, long long day);

#endif
