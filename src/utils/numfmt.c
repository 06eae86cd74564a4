/* numfmt.c - the numfmt utility (GNU coreutils 9.1): numbers to and from
 * human-readable units: --from=UNIT --to=UNIT (none auto si iec iec-i),
 * --from-unit --to-unit, --round=METHOD, --padding=N, --suffix=SUF,
 * --format=FMT, --field=FIELDS, -d CHAR, --header[=N], --invalid=MODE,
 * --grouping (no separator in the C locales), -z. Numbers come from the
 * operands or from the lines of standard input.
 *
 * GNU's conversions: input is parsed digit by digit into a long double
 * (precision = the digits after the point), scaled by its suffix; output
 * is scaled by powers of 1000 or 1024, rounded at one decimal below 10, and
 * printed with %.*Lf, so values and corner cases come out as GNU's. */
#include "ucommon.h"

#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_UNSCALED_DIGITS = 18, MAX_ACCEPTABLE_DIGITS = 27 };
typedef enum { SC_NONE, SC_AUTO, SC_SI, SC_IEC, SC_IEC_I } Scale;
typedef enum { R_UP, R_DOWN, R_FROM_ZERO, R_TOWARDS_ZERO, R_NEAREST } Round;
typedef enum { INV_ABORT, INV_FAIL, INV_WARN, INV_IGNORE } Invalid;
typedef enum { E_OK, E_PRECISION_LOSS, E_OVERFLOW, E_INVALID_NUMBER, E_INVALID_SUFFIX, E_FORBIDDEN_SUFFIX,
               E_MISSING_I } NumError;

typedef struct Numfmt {
    UtilCtx *c;
    UOut out;
    Scale from, to;
    long double from_unit, to_unit;
    Round round;
    Invalid invalid;
    uintmax_t padding_width;
    bool padding_left, auto_padding, grouping;
    const char *suffix;
    char *fmt_prefix, *fmt_suffix;
    int zero_padding;
    int user_precision;     /* -1: from the input */
    int delim;              /* -1: blanks */
    char *fields;           /* NULL: field 1; "-": all */
    uintmax_t header;
    int eol;
    bool fatal;             /* an abort-mode error happened */
    bool all_valid;
    StrList ops;
} Numfmt;

static const char suffixes[] = "KMGTPEZY";

static long double powerld(long double base, unsigned x) {
    long double r = 1;
    while (x--) r *= base;
    return r;
}

static long double absld(long double v) { return v < 0 ? -v : v; }

static long double expld(long double val, unsigned base, unsigned *x) {
    unsigned power = 0;
    if (val >= -LDBL_MAX && val <= LDBL_MAX)
        while (absld(val) >= base) {
            power++;
            val /= base;
        }
    if (x) *x = power;
    return val;
}

static long double round_int(long double val, Round r) {
    intmax_t iv = (intmax_t)val;
    switch (r) {
    case R_UP: return iv < val ? iv + 1 : iv;
    case R_DOWN: return iv > val ? iv - 1 : iv;
    case R_FROM_ZERO: return val < 0 ? (iv > val ? iv - 1 : iv) : (iv < val ? iv + 1 : iv);
    case R_TOWARDS_ZERO: return iv;
    default: return (intmax_t)(val < 0 ? val - 0.5L : val + 0.5L);
    }
}

static long double simple_round(long double val, Round r) {
    intmax_t mul = (intmax_t)(val / INTMAX_MAX);
    val -= (long double)INTMAX_MAX * mul;
    return (long double)INTMAX_MAX * mul + round_int(val, r);
}

static unsigned scale_base(Scale s) { return s == SC_IEC || s == SC_IEC_I ? 1024 : 1000; }

/* ---- parsing numbers ---- */

static NumError parse_int(const char *s, const char **end, long double *value, bool *negative) {
    NumError e = E_OK;
    long double v = 0;
    unsigned digits = 0;
    bool found = false;
    *negative = *s == '-';
    if (*negative) s++;
    *end = s;
    while (isdigit((unsigned char)**end)) {
        int d = **end - '0';
        found = true;
        if (v || d) digits++;
        if (digits > MAX_UNSCALED_DIGITS) e = E_PRECISION_LOSS;
        if (digits > MAX_ACCEPTABLE_DIGITS) return E_OVERFLOW;
        v = v * 10 + d;
        (*end)++;
    }
    if (!found && **end != '.') return E_INVALID_NUMBER;
    *value = *negative ? -v : v;
    return e;
}

static NumError parse_float(const char *s, const char **end, long double *value, size_t *precision) {
    bool negative;
    *precision = 0;
    NumError e = parse_int(s, end, value, &negative);
    if (e != E_OK && e != E_PRECISION_LOSS) return e;
    if (**end == '.') {
        (*end)++;
        const char *p2;
        long double frac = 0;
        bool neg_frac;
        NumError e2 = parse_int(*end, &p2, &frac, &neg_frac);
        if (e2 != E_OK && e2 != E_PRECISION_LOSS) return e2;
        if (e2 == E_PRECISION_LOSS) e = e2;
        if (neg_frac) return E_INVALID_NUMBER;
        size_t exponent = (size_t)(p2 - *end);
        frac /= powerld(10, (unsigned)exponent);
        *value = negative ? *value - frac : *value + frac;
        *precision = exponent;
        *end = p2;
    }
    return e;
}

static NumError parse_human(Numfmt *s, const char *str, const char **end, long double *value, size_t *precision) {
    unsigned power = 0, base = scale_base(s->from);
    NumError e = parse_float(str, end, value, precision);
    if (e != E_OK && e != E_PRECISION_LOSS) return e;
    if (**end) {
        while (**end == ' ' || **end == '\t') (*end)++;
        const char *u = **end ? strchr(suffixes, **end) : NULL;
        if (!u) return E_INVALID_SUFFIX;
        if (s->from == SC_NONE) return E_FORBIDDEN_SUFFIX;
        power = (unsigned)(u - suffixes) + 1;
        (*end)++;
        if (s->from == SC_AUTO && **end == 'i') {
            base = 1024;
            (*end)++;
        } else if (s->from == SC_IEC_I) {
            if (**end != 'i') return E_MISSING_I;
            (*end)++;
        }
        *precision = 0;
    }
    *value *= powerld(base, power);
    return e;
}

/* ---- printing ---- */

static void human(Numfmt *s, long double val, int precision, StrBuf *out) {
    char fmt[32];
    int n = snprintf(fmt, sizeof fmt, "%%%s", s->grouping ? "'" : "");
    if (s->zero_padding) n += snprintf(fmt + n, sizeof fmt - (size_t)n, "0%d", s->zero_padding);
    if (s->to == SC_NONE) {
        val *= powerld(10, (unsigned)precision);
        val = simple_round(val, s->round);
        val /= powerld(10, (unsigned)precision);
        snprintf(fmt + n, sizeof fmt - (size_t)n, ".*Lf");
        sb_printf(out, fmt, precision, val);
        return;
    }
    unsigned base = scale_base(s->to), power = 0;
    val = expld(val, base, &power);
    unsigned adjust = 0;
    if (s->user_precision != -1) adjust = power * 3 < (unsigned)s->user_precision ? power * 3 : (unsigned)s->user_precision;
    else if (absld(val) < 10) adjust = 1;
    val *= powerld(10, adjust);
    val = simple_round(val, s->round);
    val /= powerld(10, adjust);
    if (absld(val) >= base) {
        val /= base;
        power++;
    }
    bool show_point = val != 0 && absld(val) < 10 && power > 0;
    int prec = s->user_precision == -1 ? show_point : s->user_precision;
    snprintf(fmt + n, sizeof fmt - (size_t)n, ".*Lf%%s");
    char suf[2] = {power ? suffixes[power - 1] : 0, 0};
    sb_printf(out, fmt, prec, val, suf);
    if (s->to == SC_IEC_I && power > 0) sb_putc(out, 'i');
}

/* Converts one number; false (after the message the --invalid mode wants)
 * when it is not one. On success the text to print is in out. */
static bool convert(Numfmt *s, char *text, uintmax_t field, StrBuf *out) {
    if (s->suffix) {
        size_t tl = strlen(text), sl = strlen(s->suffix);
        if (tl > sl && !strcmp(text + tl - sl, s->suffix)) text[tl - sl] = 0;
    }
    const char *p = text;
    while (*p == ' ' || *p == '\t') p++;
    uintmax_t padding = s->padding_width;
    bool left = s->padding_left;
    if (s->auto_padding) padding = (text < p || field > 1) ? strlen(text) : 0, left = false;
    long double val = 0;
    size_t precision = 0;
    const char *end;
    NumError e = parse_human(s, p, &end, &val, &precision);
    bool report = s->invalid != INV_IGNORE;
    if (report) uout_flush(&s->out); /* what came before, earlier fields too, is printed first (as error() does) */
    char *q = u_quote(p);
    bool ok = false;
    if (e == E_OK || e == E_PRECISION_LOSS) {
        if (*end) {
            char *q2 = u_quote(end);
            if (report) uc_error(s->c, "invalid suffix in input %s: %s", q, q2);
            free(q2);
        } else {
            ok = true;
        }
    } else if (report) {
        switch (e) {
        case E_OVERFLOW: uc_error(s->c, "value too large to be converted: %s", q); break;
        case E_INVALID_NUMBER: uc_error(s->c, "invalid number: %s", q); break;
        case E_INVALID_SUFFIX: uc_error(s->c, "invalid suffix in input: %s", q); break;
        case E_FORBIDDEN_SUFFIX: uc_error(s->c, "rejecting suffix in input: %s (consider using --from)", q); break;
        case E_MISSING_I: uc_error(s->c, "missing 'i' suffix in input: %s (e.g Ki/Mi/Gi)", q); break;
        default: break;
        }
    }
    free(q);
    if (ok) {
        val = val * s->from_unit / s->to_unit;
        int prec = s->user_precision == -1 ? (int)precision : s->user_precision;
        unsigned x;
        expld(val, 10, &x);
        if (s->to == SC_NONE && x + (unsigned)prec > MAX_UNSCALED_DIGITS) {
            if (report) {
                if (prec)
                    uc_error(s->c, "value/precision too large to be printed: '%Lg/%d' (consider using --to)", val, prec);
                else
                    uc_error(s->c, "value too large to be printed: '%Lg' (consider using --to)", val);
            }
            ok = false;
        } else if (x > MAX_ACCEPTABLE_DIGITS - 1) {
            if (report) uc_error(s->c, "value too large to be printed: '%Lg' (cannot handle values > 999Y)", val);
            ok = false;
        }
    }
    if (!ok) {
        if (s->invalid == INV_ABORT) s->fatal = true;
        return false;
    }
    StrBuf num;
    sb_init(&num);
    human(s, val, s->user_precision == -1 ? (int)precision : s->user_precision, &num);
    if (s->suffix) sb_puts(&num, s->suffix);
    if (s->fmt_prefix) sb_puts(out, s->fmt_prefix);
    if (padding && num.len < padding) {
        size_t pad = (size_t)padding - num.len;
        if (!left) for (size_t i = 0; i < pad; i++) sb_putc(out, ' ');
        sb_put(out, num.s, num.len);
        if (left) for (size_t i = 0; i < pad; i++) sb_putc(out, ' ');
    } else {
        sb_put(out, num.s ? num.s : "", num.len);
    }
    if (s->fmt_suffix) sb_puts(out, s->fmt_suffix);
    sb_free(&num);
    return true;
}

/* --field: a cut-style list (N, N-M, -M, N-, "-" for all). */
static bool field_wanted(const Numfmt *s, uintmax_t f) {
    if (!s->fields) return f == 1;
    for (const char *p = s->fields; *p;) {
        size_t n = strcspn(p, ", ");
        char *item = xstrndup(p, n);
        uintmax_t lo = 1, hi = UINTMAX_MAX;
        char *dash = strchr(item, '-');
        if (dash) {
            *dash = 0;
            if (*item) lo = strtoumax(item, NULL, 10);
            if (dash[1]) hi = strtoumax(dash + 1, NULL, 10);
        } else {
            lo = hi = strtoumax(item, NULL, 10);
        }
        free(item);
        if (f >= lo && f <= hi) return true;
        p += n + (p[n] ? 1 : 0);
    }
    return false;
}

static bool is_blank_sep(char ch) { return ch == ' ' || ch == '\t' || ch == '\n'; }

/* GNU's process_line: fields keep their leading blanks; one separator
 * after each field is written back as a space (or the delimiter). */
static void process_line(Numfmt *s, char *line, bool newline) {
    StrBuf num;
    sb_init(&num);
    uintmax_t field = 0;
    bool valid = true;
    char *p = line;
    for (;;) {
        field++;
        char *start = p, *end = p;
        if (s->delim >= 0) {
            while (*end && *end != s->delim) end++;
        } else {
            while (*end && is_blank_sep(*end)) end++;
            while (*end && !is_blank_sep(*end)) end++;
        }
        bool last = !*end;
        *end = 0;
        sb_clear(&num);
        if (field_wanted(s, field)) {
            if (convert(s, start, field, &num)) {
                uout_put(&s->out, num.s ? num.s : "", num.len);
            } else {
                valid = false;
                if (s->fatal) break; /* GNU dies here, after the fields before it */
                uout_puts(&s->out, start);
            }
        } else {
            uout_puts(&s->out, start);
        }
        if (last) break;
        uout_putc(&s->out, s->delim >= 0 ? (char)s->delim : ' ');
        p = end + 1;
    }
    if (!s->fatal && newline) uout_putc(&s->out, (char)s->eol);
    if (!valid) s->all_valid = false;
    sb_free(&num);
}

/* ---- options ---- */

static bool word_arg(Numfmt *s, const char *opt, const char *arg, const char *const *words, int n, int *out) {
    for (int i = 0; i < n; i++)
        if (!strcmp(arg, words[i])) {
            *out = i;
            return true;
        }
    char *q = u_quote(arg);
    uc_error(s->c, "invalid argument %s for '--%s'", q, opt);
    free(q);
    StrBuf b;
    sb_init(&b);
    sb_puts(&b, "Valid arguments are:\n");
    for (int i = 0; i < n; i++) sb_printf(&b, "  - '%s'\n", words[i]);
    uc_write(s->c, 2, b.s, b.len);
    sb_free(&b);
    u_try_help(s->c);
    return false;
}

static bool parse_format(Numfmt *s, const char *f) {
    StrBuf pre;
    sb_init(&pre);
    size_t i = 0;
    for (; f[i]; i++) {
        if (f[i] == '%' && f[i + 1] == '%') {
            sb_putc(&pre, '%');
            i++;
        } else if (f[i] == '%') {
            break;
        } else {
            sb_putc(&pre, f[i]);
        }
    }
    bool ok = f[i] == '%';
    if (ok) i++;
    bool left = false, zero = false;
    while (ok && f[i] && strchr("'-0", f[i])) {
        if (f[i] == '\'') s->grouping = true;
        if (f[i] == '-') left = true;
        if (f[i] == '0') zero = true;
        i++;
    }
    uintmax_t width = 0;
    while (ok && isdigit((unsigned char)f[i])) width = width * 10 + (uintmax_t)(f[i++] - '0');
    if (ok && f[i] == '.') {
        i++;
        int prec = 0;
        while (isdigit((unsigned char)f[i])) prec = prec * 10 + (f[i++] - '0');
        s->user_precision = prec;
    }
    if (!ok || f[i] != 'f') {
        char *q = u_quote(f);
        uc_error(s->c, "invalid format %s, directive must be %%[0]['][-][N][.][N]f", q);
        free(q);
        sb_free(&pre);
        return false;
    }
    if (width) {
        if (zero && !left) s->zero_padding = (int)width;
        else s->padding_width = width, s->padding_left = left;
    }
    s->fmt_prefix = sb_take(&pre);
    s->fmt_suffix = xstrdup(f + i + 1);
    return true;
}

enum { OPT_FROM = 0x100, OPT_TO, OPT_FROM_UNIT, OPT_TO_UNIT, OPT_ROUND, OPT_PADDING, OPT_SUFFIX, OPT_FORMAT,
       OPT_FIELD, OPT_HEADER, OPT_INVALID, OPT_GROUPING, OPT_DEBUG };

static const UOptLong numfmt_longs[] = {
    {"from", UO_REQ, OPT_FROM}, {"to", UO_REQ, OPT_TO}, {"from-unit", UO_REQ, OPT_FROM_UNIT},
    {"to-unit", UO_REQ, OPT_TO_UNIT}, {"round", UO_REQ, OPT_ROUND}, {"padding", UO_REQ, OPT_PADDING},
    {"suffix", UO_REQ, OPT_SUFFIX}, {"format", UO_REQ, OPT_FORMAT}, {"field", UO_REQ, OPT_FIELD},
    {"delimiter", UO_REQ, 'd'}, {"header", UO_OPT, OPT_HEADER}, {"invalid", UO_REQ, OPT_INVALID},
    {"grouping", UO_NOARG, OPT_GROUPING}, {"zero-terminated", UO_NOARG, 'z'}, {"debug", UO_NOARG, OPT_DEBUG},
    {NULL, 0, 0},
};

static bool unit_size(Numfmt *s, const char *arg, long double *out) {
    long double v;
    size_t prec;
    const char *end;
    Scale save = s->from;
    s->from = SC_AUTO;
    NumError e = parse_human(s, arg, &end, &v, &prec);
    s->from = save;
    if ((e != E_OK && e != E_PRECISION_LOSS) || *end || v <= 0) {
        char *q = u_quote(arg);
        uc_error(s->c, "invalid unit size: %s", q);
        free(q);
        return false;
    }
    *out = v;
    return true;
}

static int numfmt_option(Numfmt *s, int k, const char *arg) {
    static const char *const scales[] = {"none", "auto", "si", "iec", "iec-i"};
    static const char *const rounds[] = {"up", "down", "from-zero", "towards-zero", "nearest"};
    static const char *const invalids[] = {"abort", "fail", "warn", "ignore"};
    int w;
    switch (k) {
    case OPT_FROM: if (!word_arg(s, "from", arg, scales, 5, &w)) return 1; s->from = (Scale)w; return -1;
    case OPT_TO:
        if (!strcmp(arg, "auto")) {
            char *q = u_quote(arg);
            uc_error(s->c, "invalid argument %s for '--to'", q);
            free(q);
            uc_puts(s->c, 2, "Valid arguments are:\n  - 'none'\n  - 'si'\n  - 'iec'\n  - 'iec-i'\n");
            u_try_help(s->c);
            return 1;
        }
        if (!word_arg(s, "to", arg, scales, 5, &w)) return 1;
        s->to = (Scale)w;
        return -1;
    case OPT_FROM_UNIT: return unit_size(s, arg, &s->from_unit) ? -1 : 1;
    case OPT_TO_UNIT: return unit_size(s, arg, &s->to_unit) ? -1 : 1;
    case OPT_ROUND: if (!word_arg(s, "round", arg, rounds, 5, &w)) return 1; s->round = (Round)w; return -1;
    case OPT_INVALID: if (!word_arg(s, "invalid", arg, invalids, 4, &w)) return 1; s->invalid = (Invalid)w; return -1;
    case OPT_PADDING: {
        char *end;
        long v = strtol(arg, &end, 10);
        if (end == arg || *end || v == 0) {
            char *q = u_quote(arg);
            uc_error(s->c, "invalid padding value %s", q);
            free(q);
            return 1;
        }
        s->padding_left = v < 0;
        s->padding_width = (uintmax_t)(v < 0 ? -v : v);
        return -1;
    }
    case OPT_SUFFIX: s->suffix = arg; return -1;
    case OPT_FORMAT: return parse_format(s, arg) ? -1 : 1;
    case OPT_FIELD: free(s->fields); s->fields = xstrdup(arg); return -1;
    case 'd':
        if (strlen(arg) != 1) {
            uc_error(s->c, "the delimiter must be a single character");
            return 1;
        }
        s->delim = (unsigned char)arg[0];
        return -1;
    case OPT_HEADER:
        s->header = 1;
        if (arg && (!u_parse_uint(arg, &s->header) || !s->header)) {
            char *q = u_quote(arg);
            uc_error(s->c, "invalid header value %s", q);
            free(q);
            return 1;
        }
        return -1;
    case OPT_GROUPING: s->grouping = true; return -1;
    case OPT_DEBUG: return -1;
    case 'z': s->eol = 0; return -1;
    case UO_HELP: return u_help(s->c, "[OPTION]... [NUMBER]...");
    case UO_VERSION: return u_version(s->c);
    default: return 1;
    }
}

/* Parses argv into s; -1 to go on, else the exit status. */
static int numfmt_setup(Numfmt *s, UtilCtx *c, int argc, char **argv) {
    memset(s, 0, sizeof *s);
    s->c = c;
    s->from_unit = s->to_unit = 1;
    s->round = R_FROM_ZERO;
    s->user_precision = -1;
    s->delim = -1;
    s->eol = '\n';
    s->all_valid = true;
    UOpts o;
    uopt_init(&o, c, argc, argv, "d:z", numfmt_longs);
    int k, r = -1;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) r = numfmt_option(s, k, o.arg);
    s->ops = o.ops;
    if (r < 0 && s->ops.n && s->header) {
        uc_error(c, "--header ignored with command-line input");
        s->header = 0;
    }
    s->auto_padding = s->padding_width == 0 && s->delim < 0;
    uout_init(&s->out, c, 1);
    return r;
}

static void numfmt_free(Numfmt *s) {
    free(s->fields);
    free(s->fmt_prefix);
    free(s->fmt_suffix);
    sl_free(&s->ops);
}

/* One input line (without its delimiter): a header line or numbers. */
static void input_line(Numfmt *s, char *line, size_t n, bool nl) {
    if (s->header) {
        s->header--;
        uout_put(&s->out, line, n);
        if (nl) uout_putc(&s->out, (char)s->eol);
        return;
    }
    process_line(s, line, nl);
}

static int numfmt_end(Numfmt *s) {
    int r = uout_close(&s->out);
    if (s->fatal || (!s->all_valid && s->invalid == INV_FAIL)) r = 2;
    numfmt_free(s);
    return r;
}

int util_numfmt_main(UtilCtx *c, int argc, char **argv) {
    Numfmt s;
    int r = numfmt_setup(&s, c, argc, argv);
    if (r >= 0) {
        uout_close(&s.out);
        numfmt_free(&s);
        return r;
    }
    if (s.ops.n) {
        for (size_t i = 0; i < s.ops.n && !s.fatal; i++) {
            char *copy = xstrdup(s.ops.v[i]);
            process_line(&s, copy, true);
            free(copy);
        }
    } else {
        UcFile *f = uc_open(c, "-", "r");
        char *line = NULL;
        size_t cap = 0;
        ssize_t n;
        while (f && !s.fatal && (n = uc_getdelim(f, &line, &cap, s.eol)) > 0) {
            bool nl = line[n - 1] == (char)s.eol;
            if (nl) line[--n] = 0;
            input_line(&s, line, (size_t)n, nl);
            if (uc_should_stop(c)) break;
        }
        free(line);
        if (f) uc_close(f);
    }
    return numfmt_end(&s);
}

/* ---- push ops: lines of a pipeline, converted as they come ---- */

typedef struct NumfmtPush {
    Numfmt s;
    StrBuf part;   /* an incomplete last line */
} NumfmtPush;

static void *numfmt_start(UtilCtx *c, int argc, char **argv, int *status) {
    NumfmtPush *p = xcalloc(1, sizeof *p);
    int r = numfmt_setup(&p->s, c, argc, argv);
    if (r < 0 && !p->s.ops.n) {
        sb_init(&p->part);
        return p;
    }
    uout_close(&p->s.out);
    numfmt_free(&p->s);
    free(p);
    *status = r; /* -1 with numbers as operands: main prints them */
    return NULL;
}

static int numfmt_feed(void *st, const char *data, size_t n) {
    NumfmtPush *p = st;
    Numfmt *s = &p->s;
    const char *end = data + n;
    while (data < end && !s->fatal) {
        const char *nl = memchr(data, s->eol, (size_t)(end - data));
        if (!nl) {
            sb_put(&p->part, data, (size_t)(end - data));
            break;
        }
        sb_put(&p->part, data, (size_t)(nl - data));
        char *line = sb_take(&p->part);
        size_t len = strlen(line); /* lines with NUL bytes are cut there, as getline-based GNU does */
        sb_init(&p->part);
        input_line(s, line, len, true);
        free(line);
        data = nl + 1;
    }
    return uout_flush(&s->out) < 0 || s->fatal;
}

static int numfmt_finish(void *st) {
    NumfmtPush *p = st;
    if (p->part.len && !p->s.fatal) {
        char *line = sb_take(&p->part);
        input_line(&p->s, line, strlen(line), false);
        free(line);
    }
    sb_free(&p->part);
    int r = numfmt_end(&p->s);
    free(p);
    return r;
}

const UtilPushOps util_numfmt_push = {numfmt_start, numfmt_feed, numfmt_finish};
