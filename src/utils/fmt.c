/* fmt.c - the fmt utility (GNU coreutils 9.1): fill paragraphs to -w WIDTH
 * (default 75) aiming at -g GOAL (default 93% of it), with -c (crown
 * margin), -t (tagged), -s (split only), -u (uniform spacing), -p PREFIX and
 * the obsolete -WIDTH.
 *
 * GNU's algorithm, so the line breaks are the same: a paragraph is read
 * into words (a word ending in .?! followed by a line end or two spaces ends
 * a sentence), then the breaks are chosen by dynamic programming over a cost
 * of each line's shortfall from the goal, raggedness against the next line,
 * and bonuses and penalties for breaking after sentences, punctuation and
 * around widows and orphans. Very long paragraphs are flushed in parts. */
#include "ucommon.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAXWORDS = 1000, MAXCHARS = 5000, TABWIDTH = 8, DEF_INDENT = 3, LEEWAY = 7 };

typedef long Cost;
#define MAXCOST LONG_MAX
#define SQR(n) ((n) * (n))
#define EQUIV(n) SQR((Cost)(n))
#define SHORT_COST(n) EQUIV((n) * 10)
#define RAGGED_COST(n) (SHORT_COST(n) / 2)
#define LINE_COST EQUIV(70)
#define WIDOW_COST(n) (EQUIV(200) / ((n) + 2))
#define ORPHAN_COST(n) (EQUIV(150) / ((n) + 2))
#define SENTENCE_BONUS EQUIV(50)
#define NOBREAK_COST EQUIV(600)
#define PAREN_BONUS EQUIV(40)
#define PUNCT_BONUS EQUIV(40)
#define LINE_CREDIT EQUIV(3)

typedef struct Word {
    char *text;
    int length, space;
    bool paren, period, punct, final;
    int line_length;
    Cost best_cost;
    struct Word *next_break;
} Word;

typedef struct Fmt {
    UtilCtx *c;
    UOut out;
    bool crown, tagged, split, uniform;
    const char *prefix;
    int prefix_full_length, prefix_lead_space, prefix_length;
    int max_width, goal_width;
    /* input */
    UcFile *f;
    unsigned char *buf;
    ssize_t blen, bpos;
    /* state (GNU's globals) */
    int in_column, out_column;
    bool tabs;
    int next_char, next_prefix_indent, last_line_length;
    int other_indent, first_indent, prefix_indent;
    char parabuf[MAXCHARS];
    char *wptr;
    Word word[MAXWORDS];
    Word *word_limit;
    StrList ops;
    int status;
} Fmt;

static int next_c(Fmt *s) {
    if (s->bpos == s->blen) {
        if (uc_should_stop(s->c)) return EOF;
        s->blen = uc_fread(s->f, s->buf, 65536);
        s->bpos = 0;
        if (s->blen <= 0) {
            s->blen = 0;
            return EOF;
        }
    }
    return s->buf[s->bpos++];
}

static void put_space(Fmt *s, int space) {
    int space_target = s->out_column + space;
    if (s->tabs) {
        int tab_target = space_target / TABWIDTH * TABWIDTH;
        if (s->out_column + 1 < tab_target)
            while (s->out_column < tab_target) {
                uout_putc(&s->out, '\t');
                s->out_column = (s->out_column / TABWIDTH + 1) * TABWIDTH;
            }
    }
    while (s->out_column < space_target) {
        uout_putc(&s->out, ' ');
        s->out_column++;
    }
}

static int get_space(Fmt *s, int c) {
    for (;;) {
        if (c == ' ') {
            s->in_column++;
        } else if (c == '\t') {
            s->tabs = true;
            s->in_column = (s->in_column / TABWIDTH + 1) * TABWIDTH;
        } else {
            return c;
        }
        c = next_c(s);
    }
}

static int get_prefix(Fmt *s) {
    s->in_column = 0;
    int c = get_space(s, next_c(s));
    if (s->prefix_length == 0) {
        s->next_prefix_indent = s->prefix_lead_space < s->in_column ? s->prefix_lead_space : s->in_column;
    } else {
        s->next_prefix_indent = s->in_column;
        for (const char *p = s->prefix; *p; p++) {
            if (c != (unsigned char)*p) return c;
            s->in_column++;
            c = next_c(s);
        }
        c = get_space(s, c);
    }
    return c;
}

static int copy_rest(Fmt *s, int c) {
    s->out_column = 0;
    if (s->in_column > s->next_prefix_indent || (c != '\n' && c != EOF)) {
        put_space(s, s->next_prefix_indent);
        for (const char *p = s->prefix; s->out_column != s->in_column && *p; s->out_column++) uout_putc(&s->out, *p++);
        if (c != EOF && c != '\n') put_space(s, s->in_column - s->out_column);
        if (c == EOF && s->in_column >= s->next_prefix_indent + s->prefix_length) uout_putc(&s->out, '\n');
    }
    while (c != '\n' && c != EOF) {
        uout_putc(&s->out, (char)c);
        c = next_c(s);
    }
    return c;
}

static bool same_para(const Fmt *s, int c) {
    return s->next_prefix_indent == s->prefix_indent && s->in_column >= s->next_prefix_indent + s->prefix_full_length &&
           c != '\n' && c != EOF;
}

static void set_other_indent(Fmt *s, bool same_paragraph) {
    if (s->split) {
        s->other_indent = s->first_indent;
    } else if (s->crown) {
        s->other_indent = same_paragraph ? s->in_column : s->first_indent;
    } else if (s->tagged) {
        if (same_paragraph && s->in_column != s->first_indent)
            s->other_indent = s->in_column;
        else if (s->other_indent == s->first_indent)
            s->other_indent = s->first_indent == 0 ? DEF_INDENT : 0;
    } else {
        s->other_indent = s->first_indent;
    }
}

/* ---- choosing the breaks ---- */

static Cost base_cost(Fmt *s, Word *w) {
    Cost cost = LINE_COST;
    if (w > s->word) {
        if ((w - 1)->period) {
            if ((w - 1)->final) cost -= SENTENCE_BONUS;
            else cost += NOBREAK_COST;
        } else if ((w - 1)->punct) {
            cost -= PUNCT_BONUS;
        } else if (w > s->word + 1 && (w - 2)->final) {
            cost += WIDOW_COST((w - 1)->length);
        }
    }
    if (w->paren) cost -= PAREN_BONUS;
    else if (w->final) cost += ORPHAN_COST(w->length);
    return cost;
}

static Cost line_cost(Fmt *s, Word *next, int len) {
    if (next == s->word_limit) return 0;
    int n = s->goal_width - len;
    Cost cost = SHORT_COST(n);
    if (next->next_break != s->word_limit) {
        n = len - next->line_length;
        cost += RAGGED_COST(n);
    }
    return cost;
}

static void fmt_paragraph(Fmt *s) {
    s->word_limit->best_cost = 0;
    int saved_length = s->word_limit->length;
    s->word_limit->length = s->max_width; /* sentinel */
    for (Word *start = s->word_limit - 1; start >= s->word; start--) {
        Cost best = MAXCOST;
        int len = start == s->word ? s->first_indent : s->other_indent;
        Word *w = start;
        len += w->length;
        do {
            w++;
            Cost wcost = line_cost(s, w, len) + w->best_cost;
            if (start == s->word && s->last_line_length > 0) wcost += RAGGED_COST(len - s->last_line_length);
            if (wcost < best) {
                best = wcost;
                start->next_break = w;
                start->line_length = len;
            }
            if (w == s->word_limit) break;
            len += (w - 1)->space + w->length;
        } while (len < s->max_width);
        start->best_cost = best + base_cost(s, start);
    }
    s->word_limit->length = saved_length;
}

/* ---- output ---- */

static void put_word(Fmt *s, const Word *w) {
    uout_put(&s->out, w->text, (size_t)w->length);
    s->out_column += w->length;
}

static void put_line(Fmt *s, Word *w, int indent) {
    s->out_column = 0;
    put_space(s, s->prefix_indent);
    uout_puts(&s->out, s->prefix);
    s->out_column += s->prefix_length;
    put_space(s, indent - s->out_column);
    Word *endline = w->next_break - 1;
    for (; w != endline; w++) {
        put_word(s, w);
        put_space(s, w->space);
    }
    put_word(s, w);
    s->last_line_length = s->out_column;
    uout_putc(&s->out, '\n');
}

static void put_paragraph(Fmt *s, Word *finish) {
    put_line(s, s->word, s->first_indent);
    for (Word *w = s->word->next_break; w != finish; w = w->next_break) put_line(s, w, s->other_indent);
}

/* The word or character buffer is full: output the paragraph up to a good
 * break near its end and keep the rest. */
static void flush_paragraph(Fmt *s) {
    if (s->word_limit == s->word) {
        uout_put(&s->out, s->parabuf, (size_t)(s->wptr - s->parabuf));
        s->wptr = s->parabuf;
        return;
    }
    fmt_paragraph(s);
    Word *split_point = s->word_limit;
    Cost best_break = MAXCOST;
    for (Word *w = s->word->next_break; w != s->word_limit; w = w->next_break) {
        if (w->best_cost - w->next_break->best_cost < best_break) {
            split_point = w;
            best_break = w->best_cost - w->next_break->best_cost;
        }
        if (best_break <= MAXCOST - LINE_CREDIT) best_break += LINE_CREDIT;
    }
    put_paragraph(s, split_point);
    memmove(s->parabuf, split_point->text, (size_t)(s->wptr - split_point->text));
    long shift = split_point->text - s->parabuf;
    s->wptr -= shift;
    for (Word *w = split_point; w <= s->word_limit; w++) w->text -= shift;
    memmove(s->word, split_point, (size_t)(s->word_limit - split_point + 1) * sizeof *s->word);
    s->word_limit -= split_point - s->word;
}

/* ---- reading a paragraph ---- */

static void check_punctuation(Word *w) {
    const char *start = w->text, *finish = start + (w->length - 1);
    unsigned char fin = (unsigned char)*finish;
    w->paren = *start && strchr("(['`\"", *start);
    w->punct = ispunct(fin) != 0;
    while (start < finish && *finish && strchr(")]'\"", *finish)) finish--;
    w->period = *finish && strchr(".?!", *finish);
}

static int get_line(Fmt *s, int c) {
    char *end_of_parabuf = &s->parabuf[MAXCHARS];
    Word *end_of_word = &s->word[MAXWORDS - 2];
    do {
        s->word_limit->text = s->wptr;
        do {
            if (s->wptr == end_of_parabuf) {
                set_other_indent(s, true);
                flush_paragraph(s);
            }
            *s->wptr++ = (char)c;
            c = next_c(s);
        } while (c != EOF && !isspace(c));
        s->in_column += s->word_limit->length = (int)(s->wptr - s->word_limit->text);
        check_punctuation(s->word_limit);
        int start = s->in_column;
        c = get_space(s, c);
        s->word_limit->space = s->in_column - start;
        s->word_limit->final = c == EOF || (s->word_limit->period && (c == '\n' || s->word_limit->space > 1));
        if (c == '\n' || c == EOF || s->uniform) s->word_limit->space = s->word_limit->final ? 2 : 1;
        if (s->word_limit == end_of_word) {
            set_other_indent(s, true);
            flush_paragraph(s);
        }
        s->word_limit++;
    } while (c != '\n' && c != EOF);
    return get_prefix(s);
}

static bool get_paragraph(Fmt *s) {
    s->last_line_length = 0;
    int c = s->next_char;
    while (c == '\n' || c == EOF || s->next_prefix_indent < s->prefix_lead_space ||
           s->in_column < s->next_prefix_indent + s->prefix_full_length) {
        c = copy_rest(s, c);
        if (c == EOF) {
            s->next_char = EOF;
            return false;
        }
        uout_putc(&s->out, '\n');
        c = get_prefix(s);
    }
    s->prefix_indent = s->next_prefix_indent;
    s->first_indent = s->in_column;
    s->wptr = s->parabuf;
    s->word_limit = s->word;
    c = get_line(s, c);
    set_other_indent(s, same_para(s, c));
    if (s->split) {
        /* one line is one paragraph */
    } else if (s->crown) {
        if (same_para(s, c)) do c = get_line(s, c);
            while (same_para(s, c) && s->in_column == s->other_indent);
    } else if (s->tagged) {
        if (same_para(s, c) && s->in_column != s->first_indent) do c = get_line(s, c);
            while (same_para(s, c) && s->in_column == s->other_indent);
    } else {
        while (same_para(s, c) && s->in_column == s->other_indent) c = get_line(s, c);
    }
    (s->word_limit - 1)->period = (s->word_limit - 1)->final = true;
    s->next_char = c;
    return true;
}

static void fmt_file(Fmt *s, UcFile *f) {
    s->f = f;
    s->blen = s->bpos = 0;
    s->tabs = false;
    s->other_indent = 0;
    s->next_char = get_prefix(s);
    while (get_paragraph(s) && !s->out.err) {
        fmt_paragraph(s);
        put_paragraph(s, s->word_limit);
        if (uout_flush(&s->out) < 0) break;
    }
}

/* ---- options ---- */

static void set_prefix(Fmt *s, const char *p) {
    s->prefix_lead_space = 0;
    while (*p == ' ') s->prefix_lead_space++, p++;
    s->prefix_full_length = (int)strlen(p);
    size_t n = strlen(p);
    while (n && p[n - 1] == ' ') n--;
    s->prefix = xstrndup(p, n);
    s->prefix_length = (int)n;
}

static bool width_arg(Fmt *s, const char *arg, int max, int *out) {
    uintmax_t v;
    bool number = u_parse_uint(arg, &v);
    if (!number || v > (uintmax_t)max) {
        char *q = u_quote(arg);
        uc_error(s->c, "invalid width: %s%s", q, number ? ": Numerical result out of range" : "");
        free(q);
        return false;
    }
    *out = (int)v;
    return true;
}

static const UOptLong fmt_longs[] = {
    {"crown-margin", UO_NOARG, 'c'}, {"prefix", UO_REQ, 'p'}, {"split-only", UO_NOARG, 's'},
    {"tagged-paragraph", UO_NOARG, 't'}, {"uniform-spacing", UO_NOARG, 'u'}, {"width", UO_REQ, 'w'},
    {"goal", UO_REQ, 'g'}, {NULL, 0, 0},
};

int util_fmt_main(UtilCtx *c, int argc, char **argv) {
    Fmt *s = xcalloc(1, sizeof *s);
    s->c = c;
    s->prefix = xstrdup("");
    const char *width = NULL, *goal = NULL;
    int first = 1;
    if (argc > 1 && argv[1][0] == '-' && isdigit((unsigned char)argv[1][1])) {
        width = argv[1] + 1; /* the obsolete -WIDTH */
        first = 2;
    }
    UOpts o;
    uopt_init(&o, c, argc - first + 1, argv + first - 1, "0123456789cstuw:p:g:", fmt_longs);
    int k, r = -1;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) {
        switch (k) {
        case 'c': s->crown = true; break;
        case 's': s->split = true; break;
        case 't': s->tagged = true; break;
        case 'u': s->uniform = true; break;
        case 'w': width = o.arg; break;
        case 'g': goal = o.arg; break;
        case 'p': free((char *)s->prefix), set_prefix(s, o.arg); break;
        case UO_HELP: r = u_help(c, "[-WIDTH] [OPTION]... [FILE]..."); break;
        case UO_VERSION: r = u_version(c); break;
        default:
            if (k >= '0' && k <= '9') {
                uc_error(c, "invalid option -- %c; -WIDTH is recognized only when it is the first\n"
                            "option; use -w N instead", k);
                u_try_help(c);
            }
            r = 1;
            break;
        }
    }
    s->ops = o.ops;
    s->max_width = 75;
    if (r < 0 && width && !width_arg(s, width, MAXCHARS / 2, &s->max_width)) r = 1;
    if (r < 0 && goal) {
        if (!width_arg(s, goal, s->max_width, &s->goal_width)) r = 1;
        else if (!width) s->max_width = s->goal_width + 10;
    } else if (r < 0) {
        s->goal_width = s->max_width * (2 * (100 - LEEWAY) + 1) / 200;
    }
    if (r < 0) {
        uout_init(&s->out, c, 1);
        s->buf = xmalloc(65536);
        if (!s->ops.n) sl_push_copy(&s->ops, "-");
        for (size_t i = 0; i < s->ops.n && !s->out.err; i++) {
            errno = 0;
            UcFile *f = uc_open(c, s->ops.v[i], "r");
            if (!f) {
                u_err_open(c, s->ops.v[i], errno ? errno : ENOENT);
                s->status = 1;
                continue;
            }
            fmt_file(s, f);
            uc_close(f);
        }
        r = s->status | uout_close(&s->out);
        free(s->buf);
    }
    sl_free(&s->ops);
    free((char *)s->prefix);
    free(s);
    return r;
}
