/* date.c - the date utility: date [-u] [-d STRING] [-r FILE] [-R] [-I[FMT]]
 * [--rfc-3339=FMT] [+FORMAT]. Setting the clock is refused. TZ values naming
 * UTC select UTC; other zones use the C library's local time. */
#include "datetime.h"
#include "ucommon.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { OPT_RFC3339 = 0x100, OPT_ISO };

static const UOptLong date_longs[] = {
    {"date", UO_REQ, 'd'},      {"reference", UO_REQ, 'r'}, {"rfc-email", UO_NOARG, 'R'},
    {"rfc-2822", UO_NOARG, 'R'}, {"iso-8601", UO_OPT, 'I'}, {"rfc-3339", UO_REQ, OPT_RFC3339},
    {"utc", UO_NOARG, 'u'},     {"universal", UO_NOARG, 'u'}, {"set", UO_REQ, 's'},
    {NULL, 0, 0},
};

static const char *iso_format(UtilCtx *c, const char *arg) {
    static const char *const names[] = {"date", "hours", "minutes", "seconds", "ns"};
    static const char *const fmts[] = {"%Y-%m-%d", "%Y-%m-%dT%H%:z", "%Y-%m-%dT%H:%M%:z",
                                       "%Y-%m-%dT%H:%M:%S%:z", "%Y-%m-%dT%H:%M:%S,%N%:z"};
    if (!arg) return fmts[0];
    size_t n = strlen(arg);
    for (int i = 0; i < 5; i++)
        if (n && !strncmp(names[i], arg, n)) return fmts[i];
    char *q = u_quote(arg);
    uc_error(c, "invalid argument %s for '--iso-8601'", q);
    free(q);
    uc_puts(c, 2, "Valid arguments are:\n  - 'hours'\n  - 'minutes'\n  - 'date'\n  - 'seconds'\n  - 'ns'\n");
    u_try_help(c);
    return NULL;
}

static const char *rfc3339_format(UtilCtx *c, const char *arg) {
    if (!strcmp(arg, "date")) return "%Y-%m-%d";
    if (!strcmp(arg, "seconds")) return "%Y-%m-%d %H:%M:%S%:z";
    if (!strcmp(arg, "ns")) return "%Y-%m-%d %H:%M:%S.%N%:z";
    char *q = u_quote(arg);
    uc_error(c, "invalid argument %s for '--rfc-3339'", q);
    free(q);
    uc_puts(c, 2, "Valid arguments are:\n  - 'date'\n  - 'seconds'\n  - 'ns'\n");
    u_try_help(c);
    return NULL;
}

static bool tz_is_utc(UtilCtx *c) {
    const char *tz = uc_getenv(c, "TZ");
    if (!tz) return false;
    if (*tz == ':') tz++;
    return !*tz || !strcmp(tz, "UTC") || !strcmp(tz, "UTC0") || !strcmp(tz, "GMT") || !strcmp(tz, "GMT0") ||
           !strcmp(tz, "Etc/UTC") || !strcmp(tz, "Z") || !strcmp(tz, "UCT");
}

typedef struct DateOpts {
    const char *date, *ref, *fmt;
    bool utc;
} DateOpts;

static int date_option(UtilCtx *c, DateOpts *d, int k, const char *arg) {
    switch (k) {
    case 'd': d->date = arg; return -1;
    case 'r': d->ref = arg; return -1;
    case 'R': d->fmt = "%a, %d %b %Y %H:%M:%S %z"; return -1;
    case 'I': return (d->fmt = iso_format(c, arg)) ? -1 : 1;
    case OPT_RFC3339: return (d->fmt = rfc3339_format(c, arg)) ? -1 : 1;
    case 'u': d->utc = true; return -1;
    case 's': uc_error(c, "cannot set date: Operation not permitted"); return 1;
    case UO_HELP: return u_help(c, "[OPTION]... [+FORMAT]");
    case UO_VERSION: return u_version(c);
    default: return 1;
    }
}

/* Works out the time to print; false after reporting an error. */
static bool date_time(UtilCtx *c, const DateOpts *d, struct timespec *ts) {
    clock_gettime(CLOCK_REALTIME, ts);
    if (d->ref) {
        struct stat st;
        if (stat(d->ref, &st) != 0) {
            u_err_file(c, d->ref, errno);
            return false;
        }
        *ts = st.st_mtim;
    }
    if (d->date) {
        struct timespec now = *ts;
        if (!u_parse_datetime(d->date, &now, d->utc, ts)) {
            char *q = u_quote(d->date);
            uc_error(c, "invalid date %s", q);
            free(q);
            return false;
        }
    }
    return true;
}

/* The +FORMAT operand; anything else would set the clock. */
static int date_operands(UtilCtx *c, DateOpts *d, const StrList *ops) {
    const char *a = ops->v[0];
    char *q = u_quote(ops->v[a[0] == '+' ? 1 : 0] ? ops->v[a[0] == '+' ? 1 : 0] : a);
    int r = -1;
    if (a[0] == '+' && ops->n == 1) {
        d->fmt = a + 1;
    } else if (a[0] == '+') {
        u_extra_operand(c, ops->v[1]);
        r = 1;
    } else if (d->date || d->ref) {
        uc_error(c, "the argument %s lacks a leading '+';\nwhen using an option to specify date(s), any non-option\nargument must be a format string beginning with '+'", q);
        u_try_help(c);
        r = 1;
    } else {
        uc_error(c, "invalid date %s", q);
        r = 1;
    }
    free(q);
    return r;
}

int util_date_main(UtilCtx *c, int argc, char **argv) {
    DateOpts d = {.utc = tz_is_utc(c)};
    UOpts o;
    uopt_init(&o, c, argc, argv, "d:r:RI::us:", date_longs);
    int k, r = -1;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) r = date_option(c, &d, k, o.arg);
    if (r < 0 && o.ops.n) r = date_operands(c, &d, &o.ops);
    struct timespec ts;
    if (r < 0 && !date_time(c, &d, &ts)) r = 1;
    if (r < 0) {
        StrBuf out;
        sb_init(&out);
        u_format_time(&out, d.fmt ? d.fmt : "%a %b %e %H:%M:%S %Z %Y", &ts, d.utc);
        sb_putc(&out, '\n');
        r = uc_write(c, 1, out.s, out.len) < 0;
        sb_free(&out);
    }
    uopt_free(&o);
    return r;
}
