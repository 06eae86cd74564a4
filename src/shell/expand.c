/* expand.c - word expansion in bash's order: brace expansion, then tilde,
 * parameter, command and arithmetic substitution (left to right), then word
 * splitting on IFS, pathname expansion and quote removal.
 *
 * While a word is expanded, every output byte carries a flag saying whether it
 * was quoted (literal for globbing, never split) or came from an unquoted
 * expansion (subject to splitting). Splitting and globbing read those flags. */
#include "state.h"
#include "arith.h"
#include "format.h"
#include "pattern.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { F_LIT = 0, F_QUOTED = 1, F_SPLIT = 2 };

typedef struct Field {
    StrBuf s, f; /* bytes and their flags */
    bool keep;   /* a quoted part was seen: keep even if empty */
} Field;

typedef struct Fields {
    Field *v;
    size_t n, cap;
} Fields;

typedef struct X {
    Shell *sh;
    Fields out;
    Field cur;
    bool error;
    int status;
    bool in_assign; /* tilde after ':' too */
    bool dq_word;   /* the word of ${v:-word} inside "...": nested quotes count */
    bool at_empty;  /* a quoted "$@" expanded to nothing */
    bool lit_split; /* unquoted ${v:-word}: literal characters of word split too */
    bool tilde_eq;  /* an argument that looks like name=value: tilde after = and : */
    bool no_tilde;  /* arithmetic text: ~ is an operator and '...' stays literal, as in bash */
} X;

static void field_init(Field *f) { sb_init(&f->s); sb_init(&f->f); f->keep = false; }
static void field_free(Field *f) { sb_free(&f->s); sb_free(&f->f); }

static void x_fail(X *x, int status);

static void emit(X *x, const char *s, size_t n, char flag) {
    uint64_t cap = x->sh->run->lim.max_memory;
    if (cap && x->cur.s.len + n > cap / 4) {
        /* one word may use a quarter of the memory budget (it is copied a few times) */
        if (!x->error) budget_stop(x->sh, "memory", "memory limit exceeded (word too long)");
        x_fail(x, SHELL_STATUS_BUDGET);
        return;
    }
    if (flag == F_LIT && x->lit_split) flag = F_SPLIT;
    sb_put(&x->cur.s, s, n);
    for (size_t i = 0; i < n; i++) sb_putc(&x->cur.f, flag);
}

static void emit_c(X *x, char c, char flag) { emit(x, &c, 1, flag); }

static void field_break(X *x) {
    if (x->out.n == x->out.cap) {
        x->out.cap = x->out.cap ? x->out.cap * 2 : 8;
        x->out.v = xrealloc(x->out.v, x->out.cap * sizeof *x->out.v);
    }
    x->out.v[x->out.n++] = x->cur;
    field_init(&x->cur);
}

static void x_init(X *x, Shell *sh) {
    memset(x, 0, sizeof *x);
    x->sh = sh;
    field_init(&x->cur);
}

static void x_free(X *x) {
    for (size_t i = 0; i < x->out.n; i++) field_free(&x->out.v[i]);
    free(x->out.v);
    field_free(&x->cur);
}

static void x_fail(X *x, int status) {
    x->error = true;
    if (!x->status) x->status = status;
}

static int expand_to_string(Shell *sh, const char *w, size_t n, bool dq, char **out);

/* The status of a fatal expansion error (set -u, ${v:?}, bad @ transform):
 * bash's -c mode exits with 127, a script file or stdin with 1, as does
 * errexit or a subshell. */
static int fatal_status(Shell *sh, bool in_subshell_too) {
    if (sh->opt.errexit || !sh->source_is_c_top || (in_subshell_too && sh->subshell_level > 0)) return 1;
    return 127;
}

/* Expansion errors end the script in a non-interactive bash. */
static void fatal_expansion(X *x, int status) {
    x_fail(x, status);
    Shell *sh = x->sh;
    sh->status = status;
    if (sh->unwind == UW_NONE) {
        sh->unwind = status == 127 ? UW_EXIT : UW_ERROR;
        sh->exit_status = status;
    }
}

static const char *ifs_value(Shell *sh) {
    const char *ifs = var_get(sh, "IFS");
    return ifs ? ifs : " \t\n";
}

/* ---------- parameters ---------- */

typedef struct PVal {
    bool list;   /* $@, $*, ${a[@]}, ${a[*]} */
    bool star;   /* joined with IFS[0] when quoted */
    bool set;    /* scalar is set */
    char *s;     /* scalar value */
    StrList l;
} PVal;

static void pval_free(PVal *v) {
    free(v->s);
    sl_free(&v->l);
}

static void positional_list(Shell *sh, StrList *l) {
    for (int i = 0; i < sh->npos; i++) sl_push_copy(l, sh->pos[i]);
}

static void option_flags(Shell *sh, StrBuf *b) {
    const ShellOpts *o = &sh->opt;
    if (o->allexport) sb_putc(b, 'a');
    if (o->notify) sb_putc(b, 'b');
    if (o->errexit) sb_putc(b, 'e');
    if (o->noglob) sb_putc(b, 'f');
    if (o->hashall) sb_putc(b, 'h');
    if (o->keyword) sb_putc(b, 'k');
    if (o->monitor) sb_putc(b, 'm');
    if (o->noexec) sb_putc(b, 'n');
    if (o->privileged) sb_putc(b, 'p');
    if (o->onecmd) sb_putc(b, 't');
    if (o->nounset) sb_putc(b, 'u');
    if (o->verbose) sb_putc(b, 'v');
    if (o->xtrace) sb_putc(b, 'x');
    if (o->braceexpand) sb_putc(b, 'B');
    if (o->noclobber) sb_putc(b, 'C');
    if (o->errtrace) sb_putc(b, 'E');
    if (o->histexpand) sb_putc(b, 'H');
    if (o->physical) sb_putc(b, 'P');
    if (o->functrace) sb_putc(b, 'T');
    if (sh->source_is_c) sb_putc(b, 'c');
}

/* Special and positional parameters. Returns false if `name` is not one. */
static bool special_param(Shell *sh, const char *name, PVal *v) {
    char buf[64];
    const char *s = NULL;
    if (isdigit((unsigned char)name[0])) {
        long n = strtol(name, NULL, 10);
        if (n == 0) s = sh->arg0;
        else if (n <= sh->npos) s = sh->pos[n - 1];
        if (s) { v->set = true; v->s = xstrdup(s); }
        return true;
    }
    if (name[1]) return false;
    switch (name[0]) {
    case '@': case '*':
        v->list = true;
        v->star = name[0] == '*';
        positional_list(sh, &v->l);
        return true;
    case '#': snprintf(buf, sizeof buf, "%d", sh->npos); s = buf; break;
    case '?': snprintf(buf, sizeof buf, "%d", sh->status); s = buf; break;
    case '$': snprintf(buf, sizeof buf, "%d", sh->pid); s = buf; break;
    case '!':
        if (!sh->last_bg_pid) return true;
        snprintf(buf, sizeof buf, "%d", sh->last_bg_pid);
        s = buf;
        break;
    case '-': {
        StrBuf b;
        sb_init(&b);
        option_flags(sh, &b);
        v->set = true;
        v->s = sb_take(&b);
        return true;
    }
    case '_': s = sh->last_arg ? sh->last_arg : ""; break;
    default: return false;
    }
    v->set = true;
    v->s = xstrdup(s);
    return true;
}

/* Looks up name[sub] (sub may be NULL, "@" or "*"). */
static bool get_param(X *x, const char *name, const char *sub, PVal *v) {
    Shell *sh = x->sh;
    memset(v, 0, sizeof *v);
    if (!sub && special_param(sh, name, v)) return true;
    if (!is_name(name, strlen(name))) return false;
    if (!sub) {
        /* a nameref to an array element: declare -n e='a[1]' */
        Var *raw = var_lookup_raw(sh, name);
        if (raw && (raw->flags & V_NAMEREF) && raw->value && strchr(raw->value, '[')) {
            const char *t = raw->value;
            const char *br = strchr(t, '[');
            size_t tl = strlen(t);
            if (tl > 2 && t[tl - 1] == ']' && is_name(t, (size_t)(br - t))) {
                char *tn = xstrndup(t, (size_t)(br - t));
                char *ts = xstrndup(br + 1, tl - (size_t)(br - t) - 2);
                bool r = get_param(x, tn, ts, v);
                free(tn);
                free(ts);
                return r;
            }
        }
    }
    Var *var = var_lookup(sh, name);
    if (!var && (name[0] == 'F' || name[0] == 'B' || name[0] == 'P' || name[0] == 'D')) {
        StrList cs;
        sl_init(&cs);
        if (var_call_stack(sh, name, &cs)) {
            if (sub && (!strcmp(sub, "@") || !strcmp(sub, "*"))) {
                v->list = true;
                v->star = sub[0] == '*';
                v->l = cs;
                return true;
            }
            long idx = 0;
            if (sub) {
                char *esub = NULL;
                expand_to_string(sh, sub, strlen(sub), false, &esub);
                int64_t k = 0;
                arith_expand_eval(sh, esub, &k);
                free(esub);
                idx = (long)k;
            }
            if (idx >= 0 && (size_t)idx < cs.n) { v->set = true; v->s = xstrdup(cs.v[idx]); }
            sl_free(&cs);
            return true;
        }
        sl_free(&cs);
    }
    if (sub && (!strcmp(sub, "@") || !strcmp(sub, "*"))) {
        v->list = true;
        v->star = sub[0] == '*';
        if (var) var_values(sh, var, &v->l);
        return true;
    }
    if (!var) {
        if (!sub) {
            StrBuf d;
            sb_init(&d);
            if (var_dynamic(sh, name, &d)) { v->set = true; v->s = sb_take(&d); return true; }
            sb_free(&d);
        }
        return true;
    }
    const char *val;
    if (sub) {
        char *esub = NULL;
        if (expand_to_string(sh, sub, strlen(sub), false, &esub) != 0) { free(esub); x_fail(x, 1); return true; }
        bool bad = false;
        val = var_get_elem(sh, var, esub, &bad);
        if (!bad && !val && (var->flags & V_ARRAY) && !(var->flags & V_ASSOC) && var->arr) {
            int64_t k = 0;
            if (arith_eval_prefixed(sh, esub, &k, "") == 0 && k < 0 && k + arr_max_index(var->arr) + 1 < 0)
                shell_errorf(sh, "%s: bad array subscript", name);
        }
        free(esub);
        if (bad) { fatal_expansion(x, 1); sh->unwind = UW_EXIT; return true; }
    } else {
        val = (var->flags & V_ASSOC) ? (var->assoc ? assoc_get(var->assoc, "0") : NULL)
              : (var->flags & V_ARRAY) ? (var->arr ? arr_get(var->arr, 0) : NULL) : var->value;
    }
    if (val) { v->set = true; v->s = xstrdup(val); }
    return true;
}

/* Joins a list value as "$*" does. */
static char *join_star(X *x, const StrList *l) {
    const char *ifs = ifs_value(x->sh);
    StrBuf b;
    sb_init(&b);
    for (size_t i = 0; i < l->n; i++) {
        if (i && ifs[0]) sb_putc(&b, ifs[0]);
        sb_puts(&b, l->v[i]);
    }
    return sb_take(&b);
}

/* Emits a parameter value into the current field(s). */
static void emit_value(X *x, PVal *v, bool dq) {
    if (v->list && x->in_assign) {
        /* no word splitting in assignments: $* joins with IFS[0], $@ with spaces */
        char *j = v->star ? join_star(x, &v->l) : NULL;
        if (!j) {
            StrBuf b;
            sb_init(&b);
            for (size_t i = 0; i < v->l.n; i++) { if (i) sb_putc(&b, ' '); sb_puts(&b, v->l.v[i]); }
            j = sb_take(&b);
        }
        emit(x, j, strlen(j), F_QUOTED);
        free(j);
        return;
    }
    if (!v->list) {
        if (v->s) emit(x, v->s, strlen(v->s), dq ? F_QUOTED : F_SPLIT);
        return;
    }
    if (dq && v->star) {
        char *j = join_star(x, &v->l);
        emit(x, j, strlen(j), F_QUOTED);
        free(j);
        return;
    }
    for (size_t i = 0; i < v->l.n; i++) {
        if (i) {
            field_break(x);
            if (dq) x->cur.keep = true;
        }
        emit(x, v->l.v[i], strlen(v->l.v[i]), dq ? F_QUOTED : F_SPLIT);
    }
    if (dq && v->l.n == 0) x->at_empty = true; /* "$@" with no args adds nothing */
}

/* ---------- sub-expansions into strings ---------- */

static void expand_part(X *x, const char *w, size_t n, bool dq);
static int expand_to_string(Shell *sh, const char *w, size_t n, bool dq, char **out);

/* Expands raw text (as if inside double quotes when dq) to one string. */
static int expand_to_string(Shell *sh, const char *w, size_t n, bool dq, char **out) {
    X x;
    x_init(&x, sh);
    x.dq_word = dq;
    expand_part(&x, w, n, dq);
    int st = x.error ? (x.status ? x.status : 1) : 0;
    /* join all fields with a space (only "$@"-style lists make several) */
    StrBuf b;
    sb_init(&b);
    for (size_t i = 0; i < x.out.n; i++) {
        sb_put(&b, x.out.v[i].s.s ? x.out.v[i].s.s : "", x.out.v[i].s.len);
        sb_putc(&b, ' ');
    }
    sb_put(&b, sb_cstr(&x.cur.s), x.cur.s.len);
    x_free(&x);
    *out = sb_take(&b);
    return st;
}

static bool is_pattern_special(char c) {
    return c == '*' || c == '?' || c == '[' || c == ']' || c == '\\' || c == '(' || c == ')' || c == '|' ||
           c == '@' || c == '!' || c == '+';
}

/* Converts an expanded field to pattern form: quoted specials get a backslash. */
static void field_to_pattern(const Field *f, StrBuf *out) {
    for (size_t i = 0; i < f->s.len; i++) {
        char c = f->s.s[i];
        if (f->f.s[i] == F_QUOTED && is_pattern_special(c)) sb_putc(out, '\\');
        sb_putc(out, c);
    }
}

static int expand_to_pattern(Shell *sh, const char *w, size_t n, bool dq, char **out) {
    X x;
    x_init(&x, sh);
    expand_part(&x, w, n, dq);
    int st = x.error ? (x.status ? x.status : 1) : 0;
    StrBuf b;
    sb_init(&b);
    for (size_t i = 0; i < x.out.n; i++) {
        field_to_pattern(&x.out.v[i], &b);
        sb_putc(&b, ' ');
    }
    field_to_pattern(&x.cur, &b);
    x_free(&x);
    *out = sb_take(&b);
    return st;
}

/* The replacement of ${v/p/r}: quoted '&' and '\\' are escaped so they stay literal. */
static int expand_to_replacement(Shell *sh, const char *w, size_t n, char **out) {
    X x;
    x_init(&x, sh);
    expand_part(&x, w, n, false);
    int st = x.error ? (x.status ? x.status : 1) : 0;
    field_break(&x);
    StrBuf b;
    sb_init(&b);
    for (size_t k = 0; k < x.out.n; k++) {
        Field *f = &x.out.v[k];
        if (k) sb_putc(&b, ' ');
        for (size_t i = 0; i < f->s.len; i++) {
            char c = f->s.s[i];
            if (f->f.s[i] == F_QUOTED && (c == '&' || c == '\\')) sb_putc(&b, '\\');
            sb_putc(&b, c);
        }
    }
    x_free(&x);
    *out = sb_take(&b);
    return st;
}

/* ---------- ${...} operators ---------- */

static int pmatch_flags(Shell *sh) {
    return sh->opt.extglob ? PM_EXTGLOB : 0;
}

/* A pattern without wildcards is a plain string: the common ${v#prefix},
 * ${v%.txt} and ${v//old/new} then need no pattern matching at all. Returns
 * the unescaped literal, or NULL when pat has magic. */
static char *literal_pattern(const char *pat, int fl) {
    if ((fl & PM_NOCASE) || pattern_has_magic(pat, fl)) return NULL;
    return pattern_unescape(pat);
}

/* ${v#pat} ${v##pat} ${v%pat} ${v%%pat} on one string. */
static char *remove_affix(Shell *sh, const char *s, const char *pat, bool suffix, bool longest) {
    size_t n = strlen(s);
    int fl = pmatch_flags(sh);
    char *lit = literal_pattern(pat, fl);
    if (lit) {
        size_t m = strlen(lit);
        char *r;
        if (m > n) r = xstrdup(s);
        else if (!suffix) r = xstrdup(memcmp(s, lit, m) ? s : s + m);
        else r = memcmp(s + n - m, lit, m) ? xstrdup(s) : xstrndup(s, n - m);
        free(lit);
        return r;
    }
    if (!suffix) {
        if (longest) {
            for (size_t i = n + 1; i-- > 0;)
                if (pattern_match_n(pat, s, i, fl)) return xstrdup(s + i);
        } else {
            for (size_t i = 0; i <= n; i++)
                if (pattern_match_n(pat, s, i, fl)) return xstrdup(s + i);
        }
    } else {
        if (longest) {
            for (size_t i = 0; i <= n; i++)
                if (pattern_match_n(pat, s + i, n - i, fl)) return xstrndup(s, i);
        } else {
            for (size_t i = n + 1; i-- > 0;)
                if (pattern_match_n(pat, s + i, n - i, fl)) return xstrndup(s, i);
        }
    }
    return xstrdup(s);
}

/* Longest match of pat starting at s[i]; returns its length or -1. */
static long match_at(const char *pat, const char *s, size_t i, size_t n, int fl, bool need_end) {
    if (need_end) return pattern_match_n(pat, s + i, n - i, fl) ? (long)(n - i) : -1;
    for (size_t e = n; e + 1 > i; e--) {
        if (pattern_match_n(pat, s + i, e - i, fl)) return (long)(e - i);
        if (e == i) break;
    }
    return -1;
}

/* Appends repl to b, replacing unquoted '&' with the match when
 * patsub_replacement is on (bash 5.2 default). repl arrives in pattern form:
 * backslash-escaped characters are literal. */
static void put_replacement(StrBuf *b, const char *repl, const char *m, size_t mlen, bool amp) {
    for (size_t i = 0; repl[i]; i++) {
        if (repl[i] == '\\' && repl[i + 1]) { sb_putc(b, repl[++i]); continue; }
        if (repl[i] == '&' && amp) { sb_put(b, m, mlen); continue; }
        sb_putc(b, repl[i]);
    }
}

static char *substitute(Shell *sh, const char *s, const char *pat, const char *repl, char mode) {
    /* mode: '/' first, 'g' all, '#' anchored start, '%' anchored end */
    size_t n = strlen(s);
    /* nocasematch applies to ${v/pat/rep}, not to ${v#pat} (bash 5.2) */
    int fl = pmatch_flags(sh) | (sh->opt.nocasematch ? PM_NOCASE : 0);
    bool amp = sh->opt.patsub_replacement;
    StrBuf b;
    sb_init(&b);
    if (mode == '#') {
        long l = -1;
        for (size_t e = n + 1; e-- > 0;)
            if (pattern_match_n(pat, s, e, fl)) { l = (long)e; break; }
        if (l < 0) { sb_puts(&b, s); return sb_take(&b); }
        put_replacement(&b, repl, s, (size_t)l, amp);
        sb_puts(&b, s + l);
        return sb_take(&b);
    }
    if (mode == '%') {
        for (size_t i = 0; i <= n; i++)
            if (pattern_match_n(pat, s + i, n - i, fl)) {
                sb_put(&b, s, i);
                put_replacement(&b, repl, s + i, n - i, amp);
                return sb_take(&b);
            }
        sb_puts(&b, s);
        return sb_take(&b);
    }
    if (!pat[0]) { sb_puts(&b, s); return sb_take(&b); }
    char *lit = literal_pattern(pat, fl);
    if (lit) {
        size_t m = strlen(lit), i = 0;
        const char *hit;
        while (m && i <= n && (hit = memmem(s + i, n - i, lit, m))) {
            size_t at = (size_t)(hit - s);
            sb_put(&b, s + i, at - i);
            put_replacement(&b, repl, hit, m, amp);
            i = at + m;
            if (mode != 'g') break;
        }
        sb_puts(&b, s + i);
        free(lit);
        return sb_take(&b);
    }
    size_t i = 0;
    bool done = false;
    while (i <= n) {
        long l = done ? -1 : match_at(pat, s, i, n, fl, false);
        if (l > 0 || (l == 0 && false)) {
            put_replacement(&b, repl, s + i, (size_t)l, amp);
            i += (size_t)l;
            if (mode != 'g') done = true;
            continue;
        }
        if (i == n) break;
        sb_putc(&b, s[i]);
        i++;
    }
    return sb_take(&b);
}

static char *case_convert(Shell *sh, const char *s, const char *pat, int op) {
    /* op: 'U' ^^, 'u' ^, 'L' ,,, 'l' , */
    StrBuf b;
    sb_init(&b);
    int fl = pmatch_flags(sh);
    for (size_t i = 0; s[i]; i++) {
        unsigned char c = (unsigned char)s[i];
        bool applies = (op == 'U' || op == 'L' || op == 'T') || i == 0;
        if (applies && pat && pat[0]) {
            char one[2] = {(char)c, 0};
            applies = pattern_match(pat, one, fl);
        }
        if (applies) {
            if (op == 'T' || op == 't') c = (unsigned char)(isupper(c) ? tolower(c) : toupper(c));
            else c = (unsigned char)((op == 'U' || op == 'u') ? toupper(c) : tolower(c));
        }
        sb_putc(&b, (char)c);
    }
    return sb_take(&b);
}

/* Character semantics follow LC_ALL / LC_CTYPE / LANG as bash does: UTF-8
 * locales count characters, anything else (C, POSIX, unset) counts bytes. */
bool locale_utf8(Shell *sh) {
    const char *names[] = {"LC_ALL", "LC_CTYPE", "LANG"};
    for (int i = 0; i < 3; i++) {
        const char *v = var_get(sh, names[i]);
        if (v && *v) return strcasestr(v, "utf-8") || strcasestr(v, "utf8");
    }
    return false;
}

static size_t utf8_len(const char *s) {
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}

/* Byte offset of character index ci in s. */
static size_t utf8_offset(const char *s, size_t ci) {
    size_t i = 0, c = 0;
    while (s[i] && c < ci) {
        i++;
        while (s[i] && ((unsigned char)s[i] & 0xC0) == 0x80) i++;
        c++;
    }
    return i;
}

static char *transform_at(X *x, const char *s, char op, const char *name, Var *var) {
    StrBuf b;
    sb_init(&b);
    switch (op) {
    case 'Q': quote_single(&b, s, locale_utf8(x->sh)); break;
    case 'E': format_ansi_c(&b, s, strlen(s)); break;
    case 'P': { char *p = expand_prompt(x->sh, s); sb_puts(&b, p); free(p); break; }
    case 'U': for (; *s; s++) sb_putc(&b, (char)toupper((unsigned char)*s)); break;
    case 'L': for (; *s; s++) sb_putc(&b, (char)tolower((unsigned char)*s)); break;
    case 'u': sb_puts(&b, s); if (b.len) b.s[0] = (char)toupper((unsigned char)b.s[0]); break;
    case 'K': quote_single(&b, s, locale_utf8(x->sh)); break;
    case 'A':
        if (name) {
            sb_puts(&b, name);
            sb_putc(&b, '=');
            quote_single(&b, s, locale_utf8(x->sh));
        }
        break;
    case 'a': {
        int f = var ? var->flags : 0;
        if (f & V_ARRAY) sb_putc(&b, 'a');
        if (f & V_ASSOC) sb_putc(&b, 'A');
        if (f & V_INTEGER) sb_putc(&b, 'i');
        if (f & V_LOWER) sb_putc(&b, 'l');
        if (f & V_NAMEREF) sb_putc(&b, 'n');
        if (f & V_READONLY) sb_putc(&b, 'r');
        if (f & V_TRACE) sb_putc(&b, 't');
        if (f & V_UPPER) sb_putc(&b, 'u');
        if (f & V_EXPORT) sb_putc(&b, 'x');
        break;
    }
    default: break;
    }
    return sb_take(&b);
}

/* Applies a per-element operator to a scalar or each list element. */
typedef char *(*ElemFn)(X *x, const char *s, void *arg);

static void map_value(X *x, PVal *v, ElemFn fn, void *arg) {
    if (!v->list) {
        if (v->set || v->s) {
            char *r = fn(x, v->s ? v->s : "", arg);
            free(v->s);
            v->s = r;
        }
        return;
    }
    for (size_t i = 0; i < v->l.n; i++) {
        char *r = fn(x, v->l.v[i], arg);
        free(v->l.v[i]);
        v->l.v[i] = r;
    }
}

typedef struct AffixArg { const char *pat; bool suffix, longest; } AffixArg;
static char *affix_fn(X *x, const char *s, void *a) {
    AffixArg *aa = a;
    return remove_affix(x->sh, s, aa->pat, aa->suffix, aa->longest);
}
typedef struct SubstArg { const char *pat, *repl; char mode; } SubstArg;
static char *subst_fn(X *x, const char *s, void *a) {
    SubstArg *sa = a;
    return substitute(x->sh, s, sa->pat, sa->repl, sa->mode);
}
typedef struct CaseArg { const char *pat; int op; } CaseArg;
static char *case_fn(X *x, const char *s, void *a) {
    CaseArg *ca = a;
    return case_convert(x->sh, s, ca->pat, ca->op);
}
typedef struct AtArg { char op; const char *name; Var *var; } AtArg;
static char *at_fn(X *x, const char *s, void *a) {
    AtArg *aa = a;
    return transform_at(x, s, aa->op, aa->name, aa->var);
}

static bool value_is_null(const PVal *v, bool colon) {
    if (v->list) return v->l.n == 0 || (colon && v->l.n == 1 && !v->l.v[0][0] && !v->star) ||
                        (colon && v->star && v->l.n == 1 && !v->l.v[0][0]);
    if (!v->set) return true;
    return colon && v->s[0] == 0;
}

static void bad_subst(X *x, const char *body, size_t n) {
    StrBuf b;
    sb_init(&b);
    sb_put(&b, body, n);
    shell_errorf(x->sh, "${%s}: bad substitution", sb_cstr(&b));
    sb_free(&b);
    fatal_expansion(x, 1);
}

static void unbound(X *x, const char *name) {
    shell_errorf(x->sh, "%s: unbound variable", name);
    fatal_expansion(x, fatal_status(x->sh, false));
    x->sh->unwind = UW_EXIT;
}

/* Substring ${v:off:len}. */
static void substring(X *x, PVal *v, const char *spec, size_t n, const char *pname, Var *var) {
    /* split spec on a top-level ':' */
    size_t colon = n;
    int depth = 0;
    for (size_t i = 0; i < n; i++) {
        if (spec[i] == '(' || spec[i] == '[' || spec[i] == '{') depth++;
        else if (spec[i] == ')' || spec[i] == ']' || spec[i] == '}') depth--;
        else if (spec[i] == ':' && depth == 0) {
            /* a ?: inside the offset expression */
            bool ternary = false;
            for (size_t k = 0; k < i; k++) if (spec[k] == '?') ternary = true;
            if (!ternary) { colon = i; break; }
        }
    }
    char *offs = NULL, *lens = NULL;
    if (expand_to_string(x->sh, spec, colon, true, &offs)) { free(offs); x_fail(x, 1); return; }
    int64_t off = 0, len = 0;
    bool has_len = colon < n;
    if (arith_expand_eval(x->sh, offs, &off)) { free(offs); fatal_expansion(x, 1); return; }
    free(offs);
    if (has_len) {
        if (expand_to_string(x->sh, spec + colon + 1, n - colon - 1, true, &lens)) { free(lens); x_fail(x, 1); return; }
        if (arith_expand_eval(x->sh, lens, &len)) { free(lens); fatal_expansion(x, 1); return; }
        free(lens);
    }
    if (v->list) {
        bool positional = pname && (!strcmp(pname, "@") || !strcmp(pname, "*"));
        if (!positional && var && (var->flags & V_ARRAY) && !(var->flags & V_ASSOC)) {
            /* indexed arrays: the offset is an index; elements at or after it */
            if (has_len && len < 0) {
                shell_errorf(x->sh, "%.*s: substring expression < 0", (int)(n - colon - 1), spec + colon + 1);
                fatal_expansion(x, 1);
                return;
            }
            sl_clear(&v->l);
            if (var->arr) {
                int64_t start = off < 0 ? arr_max_index(var->arr) + 1 + off : off;
                int64_t taken = 0;
                for (size_t i = 0; i < var->arr->n && start >= 0; i++) {
                    if (var->arr->e[i].idx < start) continue;
                    if (has_len && taken >= len) break;
                    sl_push_copy(&v->l, var->arr->e[i].val);
                    taken++;
                }
            }
            return;
        }
        /* positional parameters count $0 at offset 0 for $@ */
        StrList l;
        sl_init(&l);
        if (positional) sl_push_copy(&l, x->sh->arg0 ? x->sh->arg0 : "");
        for (size_t i = 0; i < v->l.n; i++) sl_push_copy(&l, v->l.v[i]);
        int64_t cnt = (int64_t)l.n;
        if (off < 0) off += cnt;
        if (off < 0 || (!positional && off > cnt)) off = cnt;
        if (positional && off == 0 && false) off = 1;
        int64_t end = has_len ? (len < 0 ? -1 : off + len) : cnt;
        if (has_len && len < 0) {
            shell_errorf(x->sh, "%s: substring expression < 0", spec);
            sl_free(&l);
            fatal_expansion(x, 1);
            return;
        }
        if (end > cnt) end = cnt;
        sl_clear(&v->l);
        for (int64_t i = off; i < end; i++) sl_push_copy(&v->l, l.v[i]);
        sl_free(&l);
        return;
    }
    if (!v->s) return;
    bool utf8 = locale_utf8(x->sh);
    size_t clen = utf8 ? utf8_len(v->s) : strlen(v->s);
    if (off < 0) off += (int64_t)clen;
    if (off < 0 || off > (int64_t)clen) { free(v->s); v->s = xstrdup(""); return; }
    int64_t end = (int64_t)clen;
    if (has_len) {
        end = len < 0 ? (int64_t)clen + len : off + len;
        if (len < 0 && end < off) {
            shell_errorf(x->sh, "%.*s: substring expression < 0", (int)(n - colon - 1), spec + colon + 1);
            fatal_expansion(x, 1);
            return;
        }
        if (end > (int64_t)clen) end = (int64_t)clen;
    }
    size_t bo = utf8 ? utf8_offset(v->s, (size_t)off) : (size_t)off;
    size_t be = utf8 ? utf8_offset(v->s, (size_t)end) : (size_t)end;
    char *r = xstrndup(v->s + bo, be > bo ? be - bo : 0);
    free(v->s);
    v->s = r;
}

/* ${!prefix*} and ${!prefix@} */
static void names_with_prefix(X *x, const char *prefix, PVal *v) {
    Var **all;
    size_t n;
    vars_all(x->sh, &all, &n);
    v->list = true;
    size_t pl = strlen(prefix);
    for (size_t i = 0; i < n; i++)
        if (strncmp(all[i]->name, prefix, pl) == 0 &&
            (all[i]->value || all[i]->arr || all[i]->assoc))
            sl_push_copy(&v->l, all[i]->name);
    free(all);
}

/* Parses and expands ${body}. */
static void expand_brace_param(X *x, const char *body, size_t n, bool dq) {
    size_t i = 0;
    bool length = false, indirect = false;
    if (n == 0) { bad_subst(x, body, n); return; }
    if (body[0] == '#' && n > 1 && !(n >= 2 && strchr(":-=+?", body[1]) && n > 2 && body[1] != '}')) {
        /* ${#name} unless it is ${#-...}/${#:-..} style operators on $# */
        length = true;
        i = 1;
    } else if (body[0] == '#' && n > 1 && (body[1] == '-' || body[1] == '?' || body[1] == '@' || body[1] == '*' ||
                                         body[1] == '$' || body[1] == '!' || body[1] == '#') && n == 2) {
        length = true;
        i = 1;
    } else if (body[0] == '!' && n > 1 && !strchr("-=+?:", body[1])) {
        indirect = true;
        i = 1;
    }
    /* parameter name */
    size_t ns = i;
    if (i < n && (isalpha((unsigned char)body[i]) || body[i] == '_')) {
        while (i < n && (isalnum((unsigned char)body[i]) || body[i] == '_')) i++;
    } else if (i < n && isdigit((unsigned char)body[i])) {
        while (i < n && isdigit((unsigned char)body[i])) i++;
    } else if (i < n && strchr("@*#?-$!0_", body[i])) {
        i++;
    } else {
        bad_subst(x, body, n);
        return;
    }
    char *name = xstrndup(body + ns, i - ns);
    char *sub = NULL;
    if (i < n && body[i] == '[') {
        int depth = 0;
        size_t s = i + 1, k = i;
        for (; k < n; k++) {
            if (body[k] == '[') depth++;
            else if (body[k] == ']' && --depth == 0) break;
        }
        if (k >= n) { free(name); bad_subst(x, body, n); return; }
        sub = xstrndup(body + s, k - s);
        i = k + 1;
    }
    PVal v;
    memset(&v, 0, sizeof v);
    Var *var = NULL;
    /* ${!prefix*} / ${!arr[@]} / ${!name} */
    if (indirect) {
        if (i < n && (body[i] == '*' || body[i] == '@') && i + 1 == n && !sub) {
            names_with_prefix(x, name, &v);
            v.star = body[i] == '*';
            emit_value(x, &v, dq);
            pval_free(&v);
            free(name);
            return;
        }
        if (sub && (!strcmp(sub, "@") || !strcmp(sub, "*"))) {
            var = var_lookup(x->sh, name);
            v.list = true;
            v.star = sub[0] == '*';
            if (var) var_indices(x->sh, var, &v.l);
            free(name);
            free(sub);
            if (i < n) { pval_free(&v); bad_subst(x, body, n); return; }
            emit_value(x, &v, dq);
            pval_free(&v);
            return;
        }
        PVal ref;
        get_param(x, name, sub, &ref);
        Var *rv = sub ? NULL : var_lookup_raw(x->sh, name);
        free(name);
        free(sub);
        sub = NULL;
        if (rv && (rv->flags & V_NAMEREF)) {
            name = xstrdup(rv->value ? rv->value : "");
        } else {
            if (!ref.set || !ref.s) {
                pval_free(&ref);
                if (x->sh->opt.nounset) { unbound(x, body + 1); return; }
                name = NULL;
            } else {
                name = xstrdup(ref.s);
            }
            pval_free(&ref);
        }
        if (!name) { /* ${!unset}: empty */
            if (i < n) name = xstrdup(""); else return;
        }
        /* name may itself be "arr[3]" */
        char *br = strchr(name, '[');
        if (br && name[strlen(name) - 1] == ']') {
            sub = xstrndup(br + 1, strlen(br + 1) - 1);
            *br = 0;
        }
        if (!name[0] || !get_param(x, name, sub, &v)) {
            shell_errorf(x->sh, "%s: invalid variable name", name);
            free(name); free(sub);
            fatal_expansion(x, 1);
            return;
        }
    } else {
        get_param(x, name, sub, &v);
    }
    if (x->error) { pval_free(&v); free(name); free(sub); return; }
    var = is_name(name, strlen(name)) ? var_lookup(x->sh, name) : NULL;
    const char *pname = name;

    if (length) {
        if (i != n) { pval_free(&v); free(name); free(sub); bad_subst(x, body, n); return; }
        if (!v.list && !v.set && x->sh->opt.nounset && strcmp(name, "#") != 0) {
            unbound(x, name);
        } else {
            char buf[32];
            size_t len = v.list ? v.l.n : (v.s ? (locale_utf8(x->sh) ? utf8_len(v.s) : strlen(v.s)) : 0);
            snprintf(buf, sizeof buf, "%zu", len);
            emit(x, buf, strlen(buf), dq ? F_QUOTED : F_SPLIT);
        }
        pval_free(&v); free(name); free(sub);
        return;
    }
    if (i == n) {
        if (x->sh->opt.nounset && !v.list && !v.set) {
            StrBuf nm; sb_init(&nm);
            sb_puts(&nm, name);
            if (sub) sb_printf(&nm, "[%s]", sub);
            unbound(x, sb_cstr(&nm));
            sb_free(&nm);
        } else if (x->sh->opt.nounset && v.list && v.l.n == 0 && sub == NULL && false) {
            unbound(x, name);
        } else {
            emit_value(x, &v, dq);
        }
        pval_free(&v); free(name); free(sub);
        return;
    }
    /* operators */
    const char *op = body + i;
    size_t rest = n - i;
    bool colon = op[0] == ':' && rest > 1 && strchr("-=+?", op[1]);
    char opc = colon ? op[1] : op[0];
    const char *arg = op + (colon ? 2 : 1);
    size_t argn = rest - (size_t)(colon ? 2 : 1);
    switch (opc) {
    case '-': case '=': case '+': case '?': {
        bool null = value_is_null(&v, colon);
        bool saved_word = x->dq_word, saved_split = x->lit_split;
        x->dq_word = dq;
        x->lit_split = !dq;
        if (opc == '+') {
            if (!null) expand_part(x, arg, argn, dq);
            if (dq && null && v.list && !v.star && v.l.n == 0) x->at_empty = true;
            else if (dq) x->cur.keep = true;
        } else if (!null) {
            emit_value(x, &v, dq);
        } else if (opc == '-') {
            expand_part(x, arg, argn, dq);
            if (dq) x->cur.keep = true;
        } else if (opc == '=') {
            char *val = NULL;
            expand_to_string(x->sh, arg, argn, true, &val);
            if (sub && (!strcmp(sub, "@") || !strcmp(sub, "*"))) {
                shell_errorf(x->sh, "%s[%s]: bad array subscript", name, sub);
                free(val);
                fatal_expansion(x, 1);
            } else if (!is_name(name, strlen(name))) {
                shell_errorf(x->sh, "$%s: cannot assign in this way", name);
                free(val);
                fatal_expansion(x, 1);
            } else {
                int r = sub ? var_set_elem(x->sh, name, sub, val, false) : var_set(x->sh, name, val);
                if (r) fatal_expansion(x, 1);
                else emit(x, val, strlen(val), dq ? F_QUOTED : F_SPLIT);
                free(val);
            }
        } else { /* ? */
            char *msg = NULL;
            expand_to_string(x->sh, arg, argn, true, &msg);
            StrBuf nm;
            sb_init(&nm);
            sb_puts(&nm, name);
            if (sub) sb_printf(&nm, "[%s]", sub);
            if (argn) shell_errorf(x->sh, "%s: %s", nm.s, msg);
            else shell_errorf(x->sh, "%s: %s", nm.s, colon ? "parameter null or not set" : "parameter not set");
            sb_free(&nm);
            free(msg);
            fatal_expansion(x, fatal_status(x->sh, true));
            x->sh->unwind = UW_EXIT;
        }
        x->dq_word = saved_word;
        x->lit_split = saved_split;
        break;
    }
    case '#': case '%': {
        bool longest = argn > 0 && arg[0] == opc;
        const char *pa = arg + (longest ? 1 : 0);
        size_t pn = argn - (longest ? 1 : 0);
        if (x->sh->opt.nounset && !v.list && !v.set) { unbound(x, name); break; }
        char *pat = NULL;
        expand_to_pattern(x->sh, pa, pn, false, &pat);
        AffixArg aa = {pat, opc == '%', longest};
        map_value(x, &v, affix_fn, &aa);
        free(pat);
        emit_value(x, &v, dq);
        break;
    }
    case '/': {
        char mode = '/';
        const char *pa = arg;
        size_t pn = argn;
        if (pn && (pa[0] == '/' || pa[0] == '#' || pa[0] == '%')) {
            mode = pa[0] == '/' ? 'g' : pa[0];
            pa++;
            pn--;
        }
        size_t slash = pn;
        for (size_t k = 0; k < pn; k++) {
            if (pa[k] == '\\') { k++; continue; }
            if (pa[k] == '\'') { while (k + 1 < pn && pa[k + 1] != '\'') k++; k++; continue; }
            if (pa[k] == '"') { while (k + 1 < pn && pa[k + 1] != '"') { if (pa[k + 1] == '\\') k++; k++; } k++; continue; }
            if (pa[k] == '/') { slash = k; break; }
        }
        if (x->sh->opt.nounset && !v.list && !v.set) { unbound(x, name); break; }
        char *pat = NULL, *repl = NULL;
        expand_to_pattern(x->sh, pa, slash, false, &pat);
        if (slash < pn) expand_to_replacement(x->sh, pa + slash + 1, pn - slash - 1, &repl);
        else repl = xstrdup("");
        SubstArg sa = {pat, repl, mode};
        map_value(x, &v, subst_fn, &sa);
        free(pat);
        free(repl);
        emit_value(x, &v, dq);
        break;
    }
    case '^': case ',': case '~': {
        bool all = argn > 0 && arg[0] == opc;
        char *pat = NULL;
        expand_to_pattern(x->sh, arg + (all ? 1 : 0), argn - (all ? 1 : 0), false, &pat);
        CaseArg ca = {pat, opc == '^' ? (all ? 'U' : 'u') : opc == ',' ? (all ? 'L' : 'l') : (all ? 'T' : 't')};
        map_value(x, &v, case_fn, &ca);
        free(pat);
        emit_value(x, &v, dq);
        break;
    }
    case ':':
        if (x->sh->opt.nounset && !v.list && !v.set) { unbound(x, name); break; }
        substring(x, &v, op + 1, rest - 1, pname, var);
        if (!x->error) emit_value(x, &v, dq);
        break;
    case '@': {
        if (argn != 1 || !strchr("QEPAKaULuk", arg[0])) {
            bad_subst(x, body, n);
            x->sh->unwind = UW_EXIT;
            x->sh->exit_status = fatal_status(x->sh, false);
            break;
        }
        if (arg[0] == 'K' && var && (var->flags & (V_ARRAY | V_ASSOC)) && v.list) {
            /* key/value pairs */
            StrList keys;
            sl_init(&keys);
            var_indices(x->sh, var, &keys);
            StrBuf b;
            sb_init(&b);
            bool utf8 = locale_utf8(x->sh);
            for (size_t k = 0; k < keys.n && k < v.l.n; k++) {
                if (k) sb_putc(&b, ' ');
                quote_key(&b, keys.v[k], utf8);
                sb_putc(&b, ' ');
                quote_value(&b, v.l.v[k], utf8);
            }
            if ((var->flags & V_ASSOC) && keys.n) sb_putc(&b, ' ');
            if (!keys.n && dq && !v.star) { x->at_empty = true; sl_free(&keys); sb_free(&b); break; }
            sl_free(&keys);
            emit(x, b.s ? b.s : "", b.len, dq ? F_QUOTED : F_SPLIT);
            sb_free(&b);
            break;
        }
        if (arg[0] == 'a' && !v.set && !v.list && var) { v.set = true; v.s = xstrdup(""); }
        if (arg[0] == 'A' && v.list && (!strcmp(name, "@") || !strcmp(name, "*"))) {
            /* ${@@A}: the `set --` command that recreates the parameters */
            if (v.l.n == 0) {
                if (dq && !v.star) x->at_empty = true;
                break;
            }
            StrBuf b;
            sb_init(&b);
            bool utf8 = locale_utf8(x->sh);
            if (dq && !v.star) {
                emit(x, "set", 3, F_QUOTED);
                field_break(x); x->cur.keep = true;
                emit(x, "--", 2, F_QUOTED);
                for (size_t k = 0; k < v.l.n; k++) {
                    field_break(x); x->cur.keep = true;
                    sb_clear(&b);
                    quote_single(&b, v.l.v[k], utf8);
                    emit(x, b.s, b.len, F_QUOTED);
                }
            } else {
                sb_puts(&b, "set --");
                for (size_t k = 0; k < v.l.n; k++) { sb_putc(&b, ' '); quote_single(&b, v.l.v[k], utf8); }
                emit(x, b.s, b.len, dq ? F_QUOTED : F_SPLIT);
            }
            sb_free(&b);
            break;
        }
        if (arg[0] == 'A' && var) {
            Var *target = var;
            StrBuf fl;
            sb_init(&fl);
            int f = target->flags;
            if (f & V_ARRAY) sb_putc(&fl, 'a');
            if (f & V_ASSOC) sb_putc(&fl, 'A');
            if (f & V_INTEGER) sb_putc(&fl, 'i');
            if (f & V_LOWER) sb_putc(&fl, 'l');
            if (f & V_READONLY) sb_putc(&fl, 'r');
            if (f & V_TRACE) sb_putc(&fl, 't');
            if (f & V_UPPER) sb_putc(&fl, 'u');
            if (f & V_EXPORT) sb_putc(&fl, 'x');
            StrBuf b;
            sb_init(&b);
            if ((f & (V_ARRAY | V_ASSOC)) && v.list) {
                StrBuf d;
                sb_init(&d);
                var_format_decl(target, &d, true, locale_utf8(x->sh));
                if (dq && !v.star) {
                    /* three words: declare -a a=(...) */
                    const char *sp1 = strchr(d.s, ' ');
                    const char *sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
                    if (sp1 && sp2) {
                        emit(x, d.s, (size_t)(sp1 - d.s), F_QUOTED);
                        field_break(x); x->cur.keep = true;
                        emit(x, sp1 + 1, (size_t)(sp2 - sp1 - 1), F_QUOTED);
                        field_break(x); x->cur.keep = true;
                        const char *rest = sp2 + 1;
                        emit(x, rest, strlen(rest), F_QUOTED);
                        if (!strchr(rest, '=')) emit(x, "=()", 3, F_QUOTED);
                    }
                } else {
                    sb_puts(&b, d.s);
                    if (!strchr(d.s, '=')) sb_puts(&b, "=()");
                    emit(x, b.s, b.len, dq ? F_QUOTED : F_SPLIT);
                }
                sb_free(&d);
            } else if (v.set || v.list) {
                const char *val = v.list ? (v.l.n ? v.l.v[0] : "") : v.s;
                if (fl.len) sb_printf(&b, "declare -%s ", fl.s);
                sb_puts(&b, target->name);
                sb_putc(&b, '=');
                quote_single(&b, val, locale_utf8(x->sh));
                emit(x, b.s, b.len, dq ? F_QUOTED : F_SPLIT);
            }
            sb_free(&b);
            sb_free(&fl);
            break;
        }
        if (!v.set && !v.list) break;
        AtArg aa = {arg[0], name, var};
        map_value(x, &v, at_fn, &aa);
        emit_value(x, &v, dq);
        break;
    }
    default:
        bad_subst(x, body, n);
        break;
    }
    pval_free(&v);
    free(name);
    free(sub);
}

/* ---------- $name, $(..), $((..)), `..` ---------- */

static void expand_simple_param(X *x, const char *name, bool dq) {
    PVal v;
    get_param(x, name, NULL, &v);
    if (x->sh->opt.nounset && !v.list && !v.set && strcmp(name, "@") && strcmp(name, "*")) {
        if (isdigit((unsigned char)name[0])) {
            char buf[32];
            snprintf(buf, sizeof buf, "$%s", name);
            unbound(x, buf);
        } else unbound(x, name);
    } else {
        emit_value(x, &v, dq);
    }
    pval_free(&v);
}

static void emit_cmdsubst(X *x, const char *src, size_t n, bool dq) {
    char *out = NULL;
    command_subst(x->sh, src, n, &out);
    emit(x, out, strlen(out), dq ? F_QUOTED : F_SPLIT);
    free(out);
    if (x->sh->unwind == UW_ABORT) x_fail(x, x->sh->run->stop_status);
}

/* `...`: backslash keeps its meaning only before $ ` \ (and " inside "..."). */
static void emit_backquote(X *x, const char *src, size_t n, bool dq) {
    StrBuf b;
    sb_init(&b);
    for (size_t i = 0; i < n; i++) {
        if (src[i] == '\\' && i + 1 < n && (src[i + 1] == '$' || src[i + 1] == '`' || src[i + 1] == '\\' ||
                                            (dq && src[i + 1] == '"'))) {
            sb_putc(&b, src[++i]);
            continue;
        }
        sb_putc(&b, src[i]);
    }
    emit_cmdsubst(x, b.s ? b.s : "", b.len, dq);
    sb_free(&b);
}

static void emit_arith(X *x, const char *src, size_t n, bool dq) {
    char *e = NULL;
    if (!memchr(src, '$', n) && !memchr(src, '`', n) && !memchr(src, '\\', n) && !memchr(src, '"', n) &&
        !memchr(src, '\'', n)) {
        /* nothing to expand: evaluate the text as it is (the common, hot case) */
        e = xstrndup(src, n);
        int64_t v = 0;
        if (arith_expand_eval(x->sh, e, &v)) {
            free(e);
            fatal_expansion(x, 1);
            return;
        }
        free(e);
        char buf[32];
        snprintf(buf, sizeof buf, "%lld", (long long)v);
        emit(x, buf, strlen(buf), dq ? F_QUOTED : F_SPLIT);
        return;
    }
    X ax;
    x_init(&ax, x->sh);
    ax.no_tilde = true;
    expand_part(&ax, src, n, false);
    bool failed = ax.error;
    field_break(&ax);
    StrBuf eb;
    sb_init(&eb);
    for (size_t k = 0; k < ax.out.n; k++) {
        if (k) sb_putc(&eb, ' ');
        sb_put(&eb, sb_cstr(&ax.out.v[k].s), ax.out.v[k].s.len);
    }
    x_free(&ax);
    e = sb_take(&eb);
    if (failed) { free(e); x_fail(x, 1); return; }
    int64_t v = 0;
    if (arith_expand_eval(x->sh, e, &v)) {
        free(e);
        fatal_expansion(x, 1);
        return;
    }
    free(e);
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", (long long)v);
    emit(x, buf, strlen(buf), dq ? F_QUOTED : F_SPLIT);
}

static void emit_procsubst(X *x, const char *src, size_t n, bool input);

/* Handles a '$' at w[*i]; advances *i past the construct. */
static void expand_dollar(X *x, const char *w, size_t n, size_t *i, bool dq) {
    size_t p = *i + 1;
    if (p >= n) { emit_c(x, '$', dq ? F_QUOTED : F_LIT); *i = p; return; }
    char c = w[p];
    if (c == '(') {
        if (p + 1 < n && w[p + 1] == '(') {
            long e = scan_arith_end(w, n, p + 2);
            if (e >= 0) {
                emit_arith(x, w + p + 2, (size_t)e - 1 - (p + 2), dq);
                *i = (size_t)e + 1;
                return;
            }
        }
        long e = scan_cmdsubst_end(w, n, p + 1);
        if (e < 0) e = (long)n; /* unterminated (only in here-documents): take the rest */
        emit_cmdsubst(x, w + p + 1, (size_t)e - (p + 1), dq);
        *i = (size_t)e + 1;
        return;
    }
    if (c == '[') {
        size_t k = p + 1;
        int depth = 1;
        for (; k < n; k++) {
            if (w[k] == '[') depth++;
            else if (w[k] == ']' && --depth == 0) break;
        }
        if (k < n) {
            emit_arith(x, w + p + 1, k - p - 1, dq);
            *i = k + 1;
            return;
        }
    }
    if (c == '{') {
        long e = scan_brace_param_end(w, n, p + 1);
        if (e < 0) e = (long)n; /* unterminated: take the rest */
        expand_brace_param(x, w + p + 1, (size_t)e - (p + 1), dq);
        *i = (size_t)e + 1;
        return;
    }
    if (c == '\'' && !dq) {
        size_t s = p + 1, k = s;
        while (k < n && w[k] != '\'') { if (w[k] == '\\') k++; k++; }
        StrBuf b;
        sb_init(&b);
        format_ansi_c(&b, w + s, (k < n ? k : n) - s);
        emit(x, b.s ? b.s : "", b.len, F_QUOTED);
        x->cur.keep = true;
        sb_free(&b);
        *i = k + 1;
        return;
    }
    if (c == '"' && !dq) { *i = p; return; } /* $"..." is "..." */
    if (isalpha((unsigned char)c) || c == '_') {
        size_t s = p;
        while (p < n && (isalnum((unsigned char)w[p]) || w[p] == '_')) p++;
        char *name = xstrndup(w + s, p - s);
        expand_simple_param(x, name, dq);
        free(name);
        *i = p;
        return;
    }
    if (isdigit((unsigned char)c) || strchr("@*#?-$!_", c)) {
        char name[2] = {c, 0};
        expand_simple_param(x, name, dq);
        *i = p + 1;
        return;
    }
    emit_c(x, '$', dq ? F_QUOTED : F_LIT);
    *i = p;
}

static void expand_tilde(X *x, const char *w, size_t n, size_t *i) {
    size_t e = *i + 1;
    while (e < n && w[e] != '/' && !(x->in_assign && w[e] == ':')) e++;
    char *user = xstrndup(w + *i + 1, e - *i - 1);
    const char *val = NULL;
    bool ok = true;
    for (size_t k = 0; user[k]; k++)
        if (strchr("\\'\"$`", user[k])) ok = false;
    if (ok) {
        if (!user[0]) val = var_get(x->sh, "HOME");
        else if (!strcmp(user, "+")) val = var_get(x->sh, "PWD");
        else if (!strcmp(user, "-")) val = var_get(x->sh, "OLDPWD");
        else if (!strcmp(user, "root")) val = "/root";
        else if (isdigit((unsigned char)user[0]) || ((user[0] == '+' || user[0] == '-') && isdigit((unsigned char)user[1]))) {
            /* ~N ~+N ~-N: the directory stack as `dirs` lists it */
            long k = atol(user[0] == '+' || user[0] == '-' ? user + 1 : user);
            size_t n = x->sh->dirstack.n + 1;
            long idx = user[0] == '-' ? (long)n - 1 - k : k;
            if (idx == 0) val = x->sh->cwd;
            else if (idx > 0 && (size_t)idx < n) val = x->sh->dirstack.v[n - 1 - (size_t)idx];
        }
        else if (!strcmp(user, "user") || (var_get(x->sh, "USER") && !strcmp(user, var_get(x->sh, "USER"))))
            val = var_get(x->sh, "HOME");
    }
    free(user);
    if (!val) { emit_c(x, '~', F_LIT); (*i)++; return; }
    emit(x, val, strlen(val), F_QUOTED);
    *i = e;
}

/* The core walker: interprets quoting and expansions of raw text. */
static void expand_part(X *x, const char *w, size_t n, bool dq) {
    size_t i = 0;
    while (i < n && !x->error) {
        char c = w[i];
        if (dq && x->dq_word && c == '\\' && i + 1 < n && w[i + 1] == '}') {
            emit_c(x, '}', F_QUOTED);
            i += 2;
            continue;
        }
        if (dq && x->dq_word && c == '"') {
            /* a nested "..." inside ${v:-word} within double quotes */
            size_t k = i + 1;
            for (; k < n && w[k] != '"'; k++) if (w[k] == '\\') k++;
            x->dq_word = false;
            x->cur.keep = true;
            expand_part(x, w + i + 1, (k < n ? k : n) - i - 1, true);
            x->dq_word = true;
            i = k + 1;
            continue;
        }
        if (dq && x->dq_word && c == '$' && i + 1 < n && w[i + 1] == '\'') {
            expand_dollar(x, w, n, &i, false);
            continue;
        }
        if (c == '\\') {
            if (i + 1 >= n) { emit_c(x, '\\', dq ? F_QUOTED : F_LIT); i++; continue; }
            char d = w[i + 1];
            if (!dq || d == '$' || d == '`' || d == '"' || d == '\\' || d == '\n') {
                if (d != '\n') emit_c(x, d, F_QUOTED);
            } else {
                emit_c(x, '\\', F_QUOTED);
                emit_c(x, d, F_QUOTED);
            }
            i += 2;
            continue;
        }
        if (c == '\'' && !dq && !x->no_tilde) {
            size_t e = i + 1;
            while (e < n && w[e] != '\'') e++;
            emit(x, w + i + 1, e - i - 1, F_QUOTED);
            x->cur.keep = true;
            i = e + 1;
            continue;
        }
        if (c == '"' && !dq) {
            size_t e = (size_t)(i + 1);
            long end = -1;
            /* find the matching quote, skipping nested constructs */
            {
                size_t k = i + 1;
                for (; k < n; k++) {
                    if (w[k] == '\\') { k++; continue; }
                    if (w[k] == '"') { end = (long)k; break; }
                    if (w[k] == '$' && k + 1 < n) {
                        long q = -1;
                        if (w[k + 1] == '(') {
                            if (k + 2 < n && w[k + 2] == '(') q = scan_arith_end(w, n, k + 3);
                            if (q < 0) q = scan_cmdsubst_end(w, n, k + 2);
                        } else if (w[k + 1] == '{') q = scan_brace_param_end(w, n, k + 2);
                        if (q > 0) k = (size_t)q;
                    } else if (w[k] == '`') {
                        long q = scan_backquote_end(w, n, k + 1);
                        if (q > 0) k = (size_t)q;
                    }
                }
            }
            e = end < 0 ? n : (size_t)end;
            bool keep_before = x->cur.keep, at_before = x->at_empty;
            size_t len_before = x->cur.s.len, fields_before = x->out.n;
            x->at_empty = false;
            x->cur.keep = true;
            expand_part(x, w + i + 1, e - i - 1, true);
            if (x->at_empty && x->cur.s.len == len_before && x->out.n == fields_before) x->cur.keep = keep_before;
            x->at_empty = at_before || x->at_empty;
            i = e + 1;
            continue;
        }
        if (c == '$') {
            if (!dq && i + 1 < n && w[i + 1] == '"') { i++; continue; }
            expand_dollar(x, w, n, &i, dq);
            continue;
        }
        if (c == '`') {
            long e = scan_backquote_end(w, n, i + 1);
            if (e < 0) e = (long)n;
            emit_backquote(x, w + i + 1, (size_t)e - i - 1, dq);
            i = (size_t)e + 1;
            continue;
        }
        if (c == '~' && !dq && !x->no_tilde && (i == 0 || ((x->in_assign || x->tilde_eq) && (w[i - 1] == ':' || w[i - 1] == '=')))) {
            expand_tilde(x, w, n, &i);
            continue;
        }
        if ((c == '<' || c == '>') && !dq && i + 1 < n && w[i + 1] == '(') {
            long e = scan_cmdsubst_end(w, n, i + 2);
            if (e > 0) {
                emit_procsubst(x, w + i + 2, (size_t)e - i - 2, c == '<');
                i = (size_t)e + 1;
                continue;
            }
        }
        emit_c(x, c, dq ? F_QUOTED : F_LIT);
        i++;
    }
}

/* ---------- splitting and globbing ---------- */

static bool is_ifs(const char *ifs, char c) { return c && strchr(ifs, c) != NULL; }
static bool is_ifs_ws(char c) { return c == ' ' || c == '\t' || c == '\n'; }

static void push_field_str(Fields *dst, const char *s, size_t n, const char *f, bool keep) {
    if (dst->n == dst->cap) {
        dst->cap = dst->cap ? dst->cap * 2 : 8;
        dst->v = xrealloc(dst->v, dst->cap * sizeof *dst->v);
    }
    Field *nf = &dst->v[dst->n++];
    field_init(nf);
    sb_put(&nf->s, s, n);
    sb_put(&nf->f, f, n);
    nf->keep = keep;
}

static void split_field(const Field *fl, const char *ifs, Fields *dst) {
    const char *s = fl->s.s ? fl->s.s : "";
    const char *f = fl->f.s ? fl->f.s : "";
    size_t n = fl->s.len;
    bool any_split = false;
    for (size_t i = 0; i < n; i++)
        if (f[i] == F_SPLIT && is_ifs(ifs, s[i])) { any_split = true; break; }
    if (!any_split) {
        if (n || fl->keep) push_field_str(dst, s, n, f, fl->keep);
        return;
    }
    size_t i = 0;
    /* leading IFS whitespace */
    while (i < n && f[i] == F_SPLIT && is_ifs(ifs, s[i]) && is_ifs_ws(s[i])) i++;
    StrBuf cs, cf;
    sb_init(&cs);
    sb_init(&cf);
    bool have = false; /* current field has content or was started by a delimiter */
    bool keep = false;
    while (i < n) {
        if (f[i] == F_SPLIT && is_ifs(ifs, s[i])) {
            push_field_str(dst, sb_cstr(&cs), cs.len, sb_cstr(&cf), true);
            sb_clear(&cs);
            sb_clear(&cf);
            have = false;
            keep = false;
            bool ws = is_ifs_ws(s[i]);
            i++;
            while (i < n && f[i] == F_SPLIT && is_ifs(ifs, s[i]) && is_ifs_ws(s[i])) i++;
            if (ws && i < n && f[i] == F_SPLIT && is_ifs(ifs, s[i]) && !is_ifs_ws(s[i])) {
                i++;
                while (i < n && f[i] == F_SPLIT && is_ifs(ifs, s[i]) && is_ifs_ws(s[i])) i++;
            }
            continue;
        }
        sb_putc(&cs, s[i]);
        sb_putc(&cf, f[i]);
        if (f[i] == F_QUOTED) keep = true;
        have = true;
        i++;
    }
    if (have || keep) push_field_str(dst, sb_cstr(&cs), cs.len, sb_cstr(&cf), true);
    sb_free(&cs);
    sb_free(&cf);
}

static int glob_flags(Shell *sh) {
    const char *gi = var_get(sh, "GLOBIGNORE");
    return (sh->opt.dotglob || (gi && *gi) ? GL_DOTGLOB : 0) | (sh->opt.nocaseglob ? GL_NOCASE : 0) |
           (sh->opt.extglob ? GL_EXTGLOB : 0) | (sh->opt.globstar ? GL_GLOBSTAR : 0);
}

static bool field_has_glob_chars(const Field *f) {
    for (size_t i = 0; i < f->s.len; i++) {
        if (f->f.s[i] == F_QUOTED) continue;
        char c = f->s.s[i];
        if (c == '*' || c == '?' || c == '[') return true;
        if (c == '(' ) return true;
    }
    return false;
}

/* Returns 0, or 1 on failglob. */
static int glob_field(Shell *sh, const Field *f, StrList *out) {
    if (sh->opt.noglob || !field_has_glob_chars(f)) {
        sl_push(out, xstrndup(f->s.s ? f->s.s : "", f->s.len));
        return 0;
    }
    StrBuf pat;
    sb_init(&pat);
    field_to_pattern(f, &pat);
    int gf = glob_flags(sh);
    if (!pattern_has_magic(sb_cstr(&pat), sh->opt.extglob ? PM_EXTGLOB : 0)) {
        sl_push(out, xstrndup(f->s.s ? f->s.s : "", f->s.len));
        sb_free(&pat);
        return 0;
    }
    size_t before = out->n;
    long r = glob_expand(sb_cstr(&pat), gf, sh->run->lim.max_expansion, out);
    const char *gi = var_get(sh, "GLOBIGNORE");
    if (r > 0 && gi && *gi) {
        /* drop matches of any GLOBIGNORE pattern (and . and .. always) */
        size_t w = before;
        for (size_t k = before; k < out->n; k++) {
            const char *m = out->v[k];
            const char *base = strrchr(m, '/');
            base = base ? base + 1 : m;
            bool drop = !strcmp(base, ".") || !strcmp(base, "..");
            char *list = xstrdup(gi);
            for (char *tok = strtok(list, ":"); tok && !drop; tok = strtok(NULL, ":"))
                drop = pattern_match(tok, m, PM_PATHNAME | (sh->opt.extglob ? PM_EXTGLOB : 0));
            free(list);
            if (drop) free(out->v[k]);
            else out->v[w++] = out->v[k];
        }
        out->n = w;
        out->v[w] = NULL;
    }
    if (r < 0) {
        budget_stop(sh, "expansion", "glob expansion limit exceeded");
        sb_free(&pat);
        return 1;
    }
    if (out->n == before) {
        if (sh->opt.failglob) {
            shell_errorf(sh, "no match: %s", f->s.s ? f->s.s : "");
            sb_free(&pat);
            return 1;
        }
        if (!sh->opt.nullglob) sl_push(out, xstrndup(f->s.s ? f->s.s : "", f->s.len));
    }
    sb_free(&pat);
    return 0;
}

/* ---------- public entry points ---------- */

static int expand_one_word(Shell *sh, const char *w, StrList *out) {
    X x;
    x_init(&x, sh);
    x.tilde_eq = strchr(w, '~') && assignment_prefix_len(w) > 0;
    expand_part(&x, w, strlen(w), false);
    if (x.error) {
        int st = x.status ? x.status : 1;
        x_free(&x);
        return st;
    }
    field_break(&x);
    Fields split = {0};
    const char *ifs = ifs_value(sh);
    for (size_t i = 0; i < x.out.n; i++) split_field(&x.out.v[i], ifs, &split);
    int st = 0;
    for (size_t i = 0; i < split.n && !st; i++) st = glob_field(sh, &split.v[i], out);
    for (size_t i = 0; i < split.n; i++) field_free(&split.v[i]);
    free(split.v);
    x_free(&x);
    return st;
}

static bool word_may_brace(const char *w) { return strchr(w, '{') != NULL; }

int expand_words(Shell *sh, const char *const *words, int n, StrList *out) {
    for (int i = 0; i < n; i++) {
        const char *w = words[i];
        if (sh->opt.braceexpand && word_may_brace(w)) {
            StrList b;
            sl_init(&b);
            long r = brace_expand(w, sh->run->lim.max_expansion, &b);
            if (r < 0) {
                sl_free(&b);
                budget_stop(sh, "expansion", "brace expansion limit exceeded");
                return 1;
            }
            for (size_t k = 0; k < b.n; k++) {
                /* thousands of brace words, each with its own substitutions,
                 * take long without a step: keep the deadline in sight */
                if ((k & 63) == 63 && !budget_poll(sh)) { sl_free(&b); return 1; }
                int st = expand_one_word(sh, b.v[k], out);
                if (st) { sl_free(&b); return st; }
            }
            sl_free(&b);
            continue;
        }
        int st = expand_one_word(sh, w, out);
        if (st) return st;
        if (sh->run->lim.max_expansion && out->n > sh->run->lim.max_expansion * 10) {
            budget_stop(sh, "expansion", "expansion limit exceeded");
            return 1;
        }
    }
    return 0;
}

int expand_string(Shell *sh, const char *word, char **out) {
    return expand_to_string(sh, word, strlen(word), false, out);
}

int expand_assign_value(Shell *sh, const char *word, char **out) {
    X x;
    x_init(&x, sh);
    x.in_assign = true;
    expand_part(&x, word, strlen(word), false);
    int st = x.error ? (x.status ? x.status : 1) : 0;
    StrBuf b;
    sb_init(&b);
    for (size_t i = 0; i < x.out.n; i++) {
        sb_put(&b, sb_cstr(&x.out.v[i].s), x.out.v[i].s.len);
        sb_putc(&b, ' ');
    }
    sb_put(&b, sb_cstr(&x.cur.s), x.cur.s.len);
    x_free(&x);
    *out = sb_take(&b);
    return st;
}

int expand_pattern(Shell *sh, const char *word, char **out) {
    return expand_to_pattern(sh, word, strlen(word), false, out);
}

int expand_regex(Shell *sh, const char *word, char **out) {
    X x;
    x_init(&x, sh);
    expand_part(&x, word, strlen(word), false);
    int st = x.error ? (x.status ? x.status : 1) : 0;
    field_break(&x);
    StrBuf b;
    sb_init(&b);
    for (size_t k = 0; k < x.out.n; k++) {
        Field *f = &x.out.v[k];
        if (k) sb_putc(&b, ' ');
        for (size_t i = 0; i < f->s.len; i++) {
            char c = f->s.s[i];
            if (f->f.s[i] == F_QUOTED && strchr(".[]()*+?{}|^$\\", c)) sb_putc(&b, '\\');
            sb_putc(&b, c);
        }
    }
    x_free(&x);
    *out = sb_take(&b);
    return st;
}

int expand_redir_target(Shell *sh, const char *word, char **out) {
    StrList l;
    sl_init(&l);
    int st = expand_words(sh, &word, 1, &l);
    if (st) { sl_free(&l); *out = NULL; return st; }
    if (l.n != 1) {
        shell_errorf(sh, "%s: ambiguous redirect", word);
        sl_free(&l);
        *out = NULL;
        return 1;
    }
    *out = xstrdup(l.v[0]);
    sl_free(&l);
    return 0;
}

int expand_heredoc(Shell *sh, const char *body, char **out) {
    /* Like double quotes, but a " is literal. */
    X x;
    x_init(&x, sh);
    size_t n = strlen(body), i = 0, start = 0;
    while (i < n && !x.error) {
        char c = body[i];
        if (c == '\\' && i + 1 < n && (body[i + 1] == '$' || body[i + 1] == '`' || body[i + 1] == '\\' || body[i + 1] == '\n')) {
            if (body[i + 1] != '\n') emit_c(&x, body[i + 1], F_QUOTED);
            i += 2;
            start = i;
            continue;
        }
        if (c == '$') { expand_dollar(&x, body, n, &i, true); continue; }
        if (c == '`') {
            long e = scan_backquote_end(body, n, i + 1);
            if (e < 0) e = (long)n;
            emit_backquote(&x, body + i + 1, (size_t)e - i - 1, true);
            i = (size_t)e + 1;
            continue;
        }
        emit_c(&x, c, F_QUOTED);
        i++;
    }
    (void)start;
    int st = x.error ? (x.status ? x.status : 1) : 0;
    StrBuf b;
    sb_init(&b);
    for (size_t k = 0; k < x.out.n; k++) {
        sb_put(&b, sb_cstr(&x.out.v[k].s), x.out.v[k].s.len);
        sb_putc(&b, ' ');
    }
    sb_put(&b, sb_cstr(&x.cur.s), x.cur.s.len);
    x_free(&x);
    *out = sb_take(&b);
    return st;
}

/* ---------- process substitution ---------- */

static void emit_procsubst(X *x, const char *src, size_t n, bool input) {
    Shell *sh = x->sh;
    int fd = -1;
    for (int k = 63; k >= 10; k--)
        if (!sh->fds[k]) { fd = k; break; }
    if (fd < 0) { shell_errorf(sh, "process substitution: too many open files"); x_fail(x, 1); return; }
    Stream *buf = stream_new(ST_BUFFER);
    if (input) {
        /* Run it now; its output is what the reader will see. */
        Shell *sub = shell_clone(sh);
        stream_unref(sub, sub->fds[1]);
        sub->fds[1] = stream_ref(buf);
        exec_script(sub, src, n, NULL, false);
        shell_clone_free(sub, sh);
        buf->readable = true;
    } else {
        /* >(cmd): collect what is written; cmd runs when the fd is closed. */
        buf->writable = true;
        buf->path = xstrndup(src, n);
    }
    sh->fds[fd] = buf;
    if (sh->nprocsubst < 32) sh->procsubst_fds[sh->nprocsubst++] = fd;
    char path[32];
    snprintf(path, sizeof path, "/dev/fd/%d", fd);
    emit(x, path, strlen(path), F_QUOTED);
}

/* ---------- prompts (${v@P}, PS4) ---------- */

char *expand_prompt(Shell *sh, const char *s) {
    StrBuf b;
    sb_init(&b);
    for (size_t i = 0; s[i]; i++) {
        if (s[i] != '\\' || !s[i + 1]) { sb_putc(&b, s[i]); continue; }
        char c = s[++i];
        switch (c) {
        case 'u': sb_puts(&b, var_get(sh, "USER") ? var_get(sh, "USER") : "user"); break;
        case 'h': case 'H': sb_puts(&b, "wasmsh"); break;
        case 'w': case 'W': {
            const char *pwd = var_get(sh, "PWD");
            pwd = pwd ? pwd : "";
            if (c == 'W') { const char *sl = strrchr(pwd, '/'); if (sl && sl[1]) pwd = sl + 1; }
            sb_puts(&b, pwd);
            break;
        }
        case 's': sb_puts(&b, sh->name); break;
        case 'v': sb_puts(&b, "5.2"); break;
        case 'V': sb_puts(&b, "5.2.15"); break;
        case '$': sb_putc(&b, '$'); break;
        case 'n': sb_putc(&b, '\n'); break;
        case 'e': sb_putc(&b, 27); break;
        case 'a': sb_putc(&b, 7); break;
        case '\\': sb_putc(&b, '\\'); break;
        case '[': case ']': break;
        case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
            /* \nnn: an octal character code */
            int v = c - '0', k = 1;
            while (k < 3 && s[i + 1] >= '0' && s[i + 1] <= '7') { v = v * 8 + (s[++i] - '0'); k++; }
            sb_putc(&b, (char)v);
            break;
        }
        default: sb_putc(&b, '\\'); sb_putc(&b, c); break;
        }
    }
    char *once = sb_take(&b);
    char *r = NULL;
    if (expand_to_string(sh, once, strlen(once), true, &r)) { free(r); r = once; }
    else free(once);
    return r;
}
