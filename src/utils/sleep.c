/* sleep.c - the sleep utility: sleep NUMBER[smhd]... (the sum), sleeping in
 * short slices so a stop request (deadline, cancel) ends it promptly. */
#include "ucommon.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static bool parse_interval(const char *s, double *out) {
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || v < 0 || isnan(v)) return false;
    double mult = 1;
    if (*end) {
        if (end[1]) return false;
        switch (*end) {
        case 's': break;
        case 'm': mult = 60; break;
        case 'h': mult = 3600; break;
        case 'd': mult = 86400; break;
        default: return false;
        }
    }
    *out = v * mult;
    return true;
}

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int util_sleep_main(UtilCtx *c, int argc, char **argv) {
    UOpts o;
    uopt_init(&o, c, argc, argv, "", NULL);
    int k, r = -1;
    while (r < 0 && (k = uopt_next(&o)) != UO_END)
        r = k == UO_HELP ? u_help(c, "NUMBER[SUFFIX]...") : k == UO_VERSION ? u_version(c) : 1;
    if (r < 0 && !o.ops.n) r = (u_missing_operand(c, NULL), 1);
    double total = 0;
    for (size_t i = 0; r < 0 && i < o.ops.n; i++) {
        double v = 0;
        if (!parse_interval(o.ops.v[i], &v)) {
            char *q = u_quote(o.ops.v[i]);
            uc_error(c, "invalid time interval %s", q);
            free(q);
            r = -2;
        }
        total += v;
    }
    if (r == -2) u_try_help(c), r = 1;
    uopt_free(&o);
    if (r >= 0) return r;
    if (uc_defer_sleep(c, total)) return 0;
    double end = now_seconds() + total;
    for (double left = total; left > 0; left = end - now_seconds()) {
        if (uc_should_stop(c)) return 1;
        double slice = left < 0.05 ? left : 0.05;
        struct timespec ts = {(time_t)slice, (long)((slice - (double)(time_t)slice) * 1e9)};
        nanosleep(&ts, NULL);
    }
    return 0;
}
