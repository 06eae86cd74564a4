/* date.c - the date utility: date [-u] [-d STRING | -f FILE | -r FILE] [-R]
 * [-I[FMT]] [--rfc-3339=FMT] [+FORMAT]. Setting the clock (-s, or an
 * MMDDhhmm operand) is refused. The zone is the session's TZ (tz.h). */
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
    {"utc", UO_NOARG, 'u'}, {"file", UO_REQ, 'f'},     {"universal", UO_NOARG, 'u'}, {"set", UO_REQ, 's'},
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

typedef struct DateOpts {
    const char *date, *ref, *fmt, *set, *file;
    bool utc;
    UTz *tz;
} DateOpts;

static int date_option(UtilCtx *c, DateOpts *d, int k, const char *arg) {
    switch (k) {
    case 'd': d->date = arg; return -1;
    case 'r': d->ref = arg; return -1;
    case 'R': d->fmt = "%a, %d %b %Y %H:%M:%S %z"; return -1;
    case 'I': return (d->fmt = iso_format(c, arg)) ? -1 : 1;
    case OPT_RFC3339: return (d->fmt = rfc3339_format(c, arg)) ? -1 : 1;
    case 'u': d->utc = true; return -1;
    case 's': d->set = arg; return -1;
    case 'f': d->file = arg; return -1;
    case UO_HELP: return u_help(c, "[OPTION]... [+FORMAT]");
    case UO_VERSION: return u_version(c);
    default: return 1;
    }
}

/* Works out the time to print; false after reporting an error. */
static bool date_time(UtilCtx *c, const DateOpts *d, struct timespec *ts) {
    clock_gettime(CLOCK_REALTIME, ts);
    if ((d->date != NULL) + (d->ref != NULL) + (d->set != NULL) + (d->file != NULL) > 1) {
        uc_error(c, "the options to specify dates for printing are mutually exclusive");
        u_try_help(c);
        return false;
    }
    if (d->set) {
        struct timespec now = *ts;
        if (!u_parse_datetime_tz(d->set, &now, d->tz, ts)) {
            char *q = u_quote(d->set);
            uc_error(c, "invalid date %s", q);
            free(q);
            return false;
        }
        /* the sandbox's clock is the host's: never set */
        uc_error(c, "cannot set date: Operation not permitted");
        return false;
    }
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
        if (!u_parse_datetime_tz(d->date, &now, d->tz, ts)) {
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
    } else if (d->date || d->ref || d->set || d->file) {
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

/* -f FILE: one date per line, each printed or reported. */
static int date_file(UtilCtx *c, const DateOpts *d, const char *fmt, UOut *out) {
    UcFile *f = u_open_in(c, d->file);
    if (!f) return 1;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int status = 0;
    StrBuf b;
    sb_init(&b);
    while ((n = uc_getdelim(f, &line, &cap, '\n')) >= 0) {
        if (n && line[n - 1] == '\n') line[--n] = 0;
        struct timespec ts;
        if (!u_parse_datetime_tz(line, &now, d->tz, &ts)) {
            char *q = u_quote(line);
            uout_flush(out);
            uc_error(c, "invalid date %s", q);
            free(q);
            status = 1;
            continue;
        }
        sb_clear(&b);
        u_format_time_tz(&b, fmt, &ts, d->tz);
        sb_putc(&b, '\n');
        uout_put(out, b.s, b.len);
    }
    sb_free(&b);
    free(line);
    uc_close(f);
    return status;
}

int util_date_main(UtilCtx *c, int argc, char **argv) {
    DateOpts d = {0};
    UOpts o;
    uopt_init(&o, c, argc, argv, "d:f:r:RI::us:", date_longs);
    int k, r = -1;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) r = date_option(c, &d, k, o.arg);
    if (r < 0 && o.ops.n) r = date_operands(c, &d, &o.ops);
    d.tz = d.utc ? u_tz_fixed(0, "UTC") : u_tz_session(c);
    const char *fmt = d.fmt ? d.fmt : "%a %b %e %H:%M:%S %Z %Y";
    struct timespec ts;
    if (r < 0 && d.file && !d.date && !d.ref && !d.set) {
        UOut out;
        uout_init(&out, c, 1);
        r = date_file(c, &d, fmt, &out);
        if (uout_close(&out)) r = 1;
    }
    if (r < 0 && !date_time(c, &d, &ts)) r = 1;
    if (r < 0) {
        StrBuf out;
        sb_init(&out);
        u_format_time_tz(&out, fmt, &ts, d.tz);
        sb_putc(&out, '\n');
        r = uc_write(c, 1, out.s, out.len) < 0;
        sb_free(&out);
    }
    u_tz_free(d.tz);
    uopt_free(&o);
    return r;
}
