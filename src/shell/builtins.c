/* builtins.c - the shell builtins that change or inspect shell state, and
 * the one table that names every builtin. */
#include "state.h"
#include "arith.h"
#include "format.h"
#include "testexpr.h"
#include "util.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int bi_usage(Shell *sh, const char *name, const char *msg) {
    shell_errorf(sh, "%s: %s", name, msg);
    return 2;
}

static int signal_index(const char *s);

/* ---------- trivial ---------- */

static int bi_true(Shell *sh, int argc, char **argv) { (void)sh; (void)argc; (void)argv; return 0; }
static int bi_false(Shell *sh, int argc, char **argv) { (void)sh; (void)argc; (void)argv; return 1; }

static int bi_echo(Shell *sh, int argc, char **argv) {
    bool nl = true, esc = sh->opt.xpg_echo;
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || !a[1] || strspn(a + 1, "neE") != strlen(a + 1)) break;
        for (const char *c = a + 1; *c; c++) {
            if (*c == 'n') nl = false;
            else if (*c == 'e') esc = true;
            else esc = false;
        }
    }
    StrBuf b;
    sb_init(&b);
    bool stop = false;
    for (; i < argc && !stop; i++) {
        if (b.len || (i > 1 && b.len == 0 && false)) {}
        if (esc) stop = format_echo_escapes(&b, argv[i], strlen(argv[i]));
        else sb_puts(&b, argv[i]);
        if (i + 1 < argc && !stop) sb_putc(&b, ' ');
    }
    if (nl && !stop) sb_putc(&b, '\n');
    int r = sh_write(sh, 1, sb_cstr(&b), b.len);
    sb_free(&b);
    if (r < 0) {
        if (sh->unwind == UW_SIGPIPE) return 1;
        shell_errorf(sh, "echo: write error: %s", strerror(errno));
        return 1;
    }
    return 0;
}

static int bi_printf(Shell *sh, int argc, char **argv) {
    int i = 1;
    const char *var = NULL;
    if (i < argc && !strcmp(argv[i], "-v")) {
        if (i + 1 >= argc) return bi_usage(sh, "printf", "-v: option requires an argument");
        var = argv[i + 1];
        i += 2;
        const char *br = strchr(var, '[');
        size_t vl = strlen(var);
        if (!is_name(var, br ? (size_t)(br - var) : vl) || (br && (vl < 2 || var[vl - 1] != ']' || br + 1 == var + vl - 1))) {
            shell_errorf(sh, "printf: `%s': not a valid identifier", var);
            return 2;
        }
    }
    if (i < argc && !strcmp(argv[i], "--")) i++;
    if (i >= argc) {
        sh_puts(sh, 2, "printf: usage: printf [-v var] format [arguments]\n");
        return 2;
    }
    StrBuf out, err;
    sb_init(&out);
    sb_init(&err);
    int st = format_printf_bounded(&out, argv[i], argv + i + 1, argc - i - 1, &err,
                                   (size_t)sh->run->lim.max_memory, locale_utf8(sh));
    if (st == FORMAT_TOO_LARGE) {
        sb_free(&out);
        sb_free(&err);
        budget_stop(sh, "memory", "memory limit exceeded (printf output)");
        return SHELL_STATUS_BUDGET;
    }
    if (err.len) {
        /* each line of err is "printf: ..." */
        const char *s = sb_cstr(&err);
        while (*s) {
            const char *e = strchr(s, '\n');
            size_t l = e ? (size_t)(e - s) : strlen(s);
            StrBuf line;
            sb_init(&line);
            sb_put(&line, s, l);
            shell_errorf(sh, "%s", sb_cstr(&line));
            sb_free(&line);
            s += l + (e ? 1 : 0);
        }
    }
    if (var) {
        char *br = strchr(var, '[');
        if (br) {
            char *name = xstrndup(var, (size_t)(br - var));
            char *sub = xstrndup(br + 1, strlen(br + 1) - 1);
            if (var_set_elem(sh, name, sub, sb_cstr(&out), false)) st = 1;
            free(name);
            free(sub);
        } else if (var_set(sh, var, sb_cstr(&out))) st = 1;
    } else if (out.len && sh_write(sh, 1, out.s, out.len) < 0) {
        st = 1;
    }
    sb_free(&out);
    sb_free(&err);
    return st;
}

/* ---------- test ---------- */

static bool hook_var_set(void *ctx, const char *name) { return var_is_set(ctx, name); }
bool option_value(Shell *sh, const char *name, bool *valid);
static bool hook_opt(void *ctx, const char *name, bool *valid) { return option_value(ctx, name, valid); }

static int bi_test(Shell *sh, int argc, char **argv) {
    const char *name = argv[0];
    if (!strcmp(name, "[")) {
        if (argc < 2 || strcmp(argv[argc - 1], "]") != 0) {
            shell_errorf(sh, "[: missing `]'");
            return 2;
        }
        argc--;
    }
    TestHooks h = {sh, hook_var_set, hook_opt};
    StrBuf err;
    sb_init(&err);
    int r = test_eval(name, argc - 1, argv + 1, &h, &err);
    while (err.len && err.s[err.len - 1] == '\n') err.s[--err.len] = 0;
    if (err.len) shell_errorf(sh, "%s", sb_cstr(&err));
    sb_free(&err);
    return r;
}

/* ---------- control ---------- */

static int parse_count(Shell *sh, const char *name, const char *arg, int *n) {
    int64_t v;
    if (!parse_int64(arg, &v)) {
        shell_errorf(sh, "%s: %s: numeric argument required", name, arg);
        if (strcmp(name, "shift") != 0) { sh->unwind = UW_EXIT; sh->exit_status = 128; }
        return 1;
    }
    *n = (int)v;
    return 0;
}

static int bi_break(Shell *sh, int argc, char **argv) {
    int n = 1;
    if (argc > 1 && parse_count(sh, argv[0], argv[1], &n)) return 1;
    if (n < 1) {
        shell_errorf(sh, "%s: %s: loop count out of range", argv[0], argv[1]);
        if (sh->loop_depth) { sh->unwind = UW_BREAK; sh->unwind_n = 1; }
        return 1;
    }
    if (sh->loop_depth == 0) {
        shell_errorf(sh, "%s: only meaningful in a `for', `while', or `until' loop", argv[0]);
        return 0;
    }
    sh->unwind = !strcmp(argv[0], "break") ? UW_BREAK : UW_CONTINUE;
    sh->unwind_n = n > sh->loop_depth ? sh->loop_depth : n;
    return 0;
}

static int exit_code_arg(Shell *sh, int argc, char **argv, int *code) {
    *code = sh->status;
    if (argc > 1) {
        int64_t v;
        if (!parse_int64(argv[1], &v)) {
            shell_errorf(sh, "%s: %s: numeric argument required", argv[0], argv[1]);
            *code = 2;
            return !strcmp(argv[0], "exit") ? 0 : 1;
        }
        *code = (int)(v & 255);
    }
    return 0;
}

static int bi_exit(Shell *sh, int argc, char **argv) {
    int code;
    if (argc > 2) {
        shell_errorf(sh, "exit: too many arguments");
        sh->unwind = UW_EXIT;
        sh->exit_status = 1;
        return 1;
    }
    exit_code_arg(sh, argc, argv, &code);
    sh->unwind = UW_EXIT;
    sh->exit_status = code;
    sh->status = code;
    return code;
}

static int bi_return(Shell *sh, int argc, char **argv) {
    int code;
    if (sh->func_depth == 0 && sh->source_depth == 0) {
        shell_errorf(sh, "return: can only `return' from a function or sourced script");
        return 2;
    }
    if (exit_code_arg(sh, argc, argv, &code)) code = 2;
    sh->unwind = UW_RETURN;
    sh->status = code;
    return code;
}

/* ---------- variables ---------- */

static void print_var_decl(Shell *sh, Var *v, bool with_declare);

static int assign_word(Shell *sh, const char *w, int flags, bool local, bool *bad) {
    size_t pl = assignment_prefix_len(w);
    *bad = false;
    if (!pl) {
        char *br = strchr(w, '[');
        size_t n = br ? (size_t)(br - w) : strlen(w);
        if (!is_name(w, n)) { *bad = true; return 1; }
        char *name = xstrndup(w, n);
        Var *v = local ? var_create(sh, name, true) : var_lookup(sh, name);
        if (!v) v = var_create(sh, name, false);
        if ((flags & V_READONLY) == 0 && (v->flags & V_READONLY) && (flags & ~V_EXPORT)) {}
        if ((flags & V_ASSOC) && (v->flags & V_ARRAY)) {
            shell_errorf(sh, "declare: %s: cannot convert indexed to associative array", name);
            free(name);
            return 1;
        }
        if ((flags & V_ARRAY) && (v->flags & V_ASSOC)) {
            shell_errorf(sh, "declare: %s: cannot convert associative to indexed array", name);
            free(name);
            return 1;
        }
        bool had_value = v->value != NULL;
        if ((flags & V_ARRAY) && !(v->flags & V_ASSOC)) {
            if (had_value) var_make_array(sh, v);
            else v->flags |= V_ARRAY;
        }
        if (flags & V_ASSOC) {
            if (had_value) var_make_assoc(sh, v);
            else v->flags |= V_ASSOC;
        }
        v->flags |= flags;
        free(name);
        return 0;
    }
    extern int assign_array_literal(Shell *sh, const char *name, const char *body, size_t n, bool append, bool local, int flags);
    bool append = w[pl - 2] == '+' && pl >= 2;
    char *lhs = xstrndup(w, pl - (append ? 2 : 1));
    const char *rhs = w + pl;
    int st = 0;
    if ((flags & V_NAMEREF) && !strcmp(lhs, rhs)) {
        shell_errorf(sh, "declare: %s: nameref variable self references not allowed", lhs);
        free(lhs);
        return 1;
    }
    char *br = strchr(lhs, '[');
    if (!br && rhs[0] == '(' && rhs[strlen(rhs) - 1] == ')') {
        st = assign_array_literal(sh, lhs, rhs + 1, strlen(rhs) - 2, append, local, flags);
    } else if (br) {
        *br = 0;
        char *sub = xstrndup(br + 1, strlen(br + 1) - 1);
        Var *v = local ? var_create(sh, lhs, true) : var_lookup(sh, lhs);
        if (!v) v = var_create(sh, lhs, false);
        v->flags |= flags;
        st = var_set_elem(sh, lhs, sub, rhs, append);
        free(sub);
    } else {
        Var *v = local ? var_create(sh, lhs, true) : var_lookup(sh, lhs);
        if (!v) {
            Var *raw = var_lookup_raw(sh, lhs);
            if (raw && (raw->flags & V_NAMEREF) && !(flags & V_NAMEREF)) { st = var_set(sh, lhs, rhs); free(lhs); return st; }
            v = var_create(sh, lhs, false);
        }
        if (v->flags & V_READONLY) {
            shell_errorf(sh, "%s%s: readonly variable", sh->cmd_prefix ? sh->cmd_prefix : "", lhs);
            free(lhs);
            return 1;
        }
        v->flags |= flags & ~V_READONLY;
        if ((flags & V_ARRAY) && !(v->flags & V_ASSOC)) var_make_array(sh, v);
        if (flags & V_ASSOC) var_make_assoc(sh, v);
        st = var_assign(sh, v, rhs, append);
        v->flags |= flags;
    }
    free(lhs);
    return st;
}

/* Applies -i/-l/-u to one element value. */
static char *transform_elem(Shell *sh, Var *v, const char *val) {
    if (v->flags & V_INTEGER) {
        int64_t n;
        if (arith_expand_eval(sh, val, &n)) return NULL;
        char buf[32];
        snprintf(buf, sizeof buf, "%lld", (long long)n);
        return xstrdup(buf);
    }
    char *r = xstrdup(val);
    for (char *c = r; *c; c++) {
        if (v->flags & V_UPPER) *c = (char)toupper((unsigned char)*c);
        else if (v->flags & V_LOWER) *c = (char)tolower((unsigned char)*c);
    }
    return r;
}

/* Parses the body of name=( ... ) at run time: words, [k]=v and [k]+=v. */
int assign_array_literal(Shell *sh, const char *name, const char *body, size_t n, bool append, bool local, int flags) {
    Var *v = local ? var_create(sh, name, true) : var_lookup(sh, name);
    if (!v) v = var_create(sh, name, false);
    if (v->flags & V_READONLY) { shell_errorf(sh, "%s: readonly variable", name); return 1; }
    v->flags |= flags & ~V_READONLY;
    bool assoc = (v->flags & V_ASSOC) || (flags & V_ASSOC);
    if (assoc) var_make_assoc(sh, v); else var_make_array(sh, v);
    /* split the body into raw words with a throwaway parse */
    char *src = xstrndup(body, n);
    StrBuf cmd;
    sb_init(&cmd);
    sb_puts(&cmd, "_ ");
    sb_puts(&cmd, src);
    Arena *a = arena_new();
    StrBuf err;
    sb_init(&err);
    ParserHooks words_only = {.array_list = true};
    Node *node = parse_all(a, cmd.s, cmd.len, sh->lineno, &words_only, &err);
    int st = 0;
    StrList vals, keys;
    sl_init(&vals);
    sl_init(&keys);
    int64_t next = 0;
    /* Expand every element first: the values may read the array being assigned. */
    typedef struct Item { char *key; char *val; bool keyed, app; const char *word; } Item;
    Item *items = NULL;
    size_t nitems = 0, cap = 0;
    const Node *cmds[1];
    const Node *const *list = cmds;
    int ncmds = 0;
    if (node && node->kind == N_LIST) { list = (const Node *const *)node->u.list.items; ncmds = node->u.list.n; }
    else if (node) { cmds[0] = node; ncmds = 1; }
    for (int c = 0; c < ncmds && !st; c++) {
        const Node *sn = list[c];
        if (sn->kind != N_SIMPLE) continue;
        for (int i = (c == 0 ? 1 : 0); i < sn->u.simple.nwords && !st; i++) {
            const char *w = sn->u.simple.words[i];
            const char *close = NULL;
            if (w[0] == '[') {
                int depth = 0;
                for (const char *q = w; *q; q++) {
                    if (*q == '\\' && q[1]) { q++; continue; }
                    if (*q == '[') depth++;
                    else if (*q == ']' && --depth == 0) { close = q; break; }
                }
                if (close && !(close[1] == '=' || (close[1] == '+' && close[2] == '='))) close = NULL;
            }
            if (close) {
                bool app = close[1] == '+';
                char *kraw = xstrndup(w + 1, (size_t)(close - w - 1));
                char *key = NULL, *val = NULL;
                expand_string(sh, kraw, &key);
                expand_assign_value(sh, close + (app ? 3 : 2), &val);
                free(kraw);
                if (nitems == cap) items = xrealloc(items, (cap = cap ? cap * 2 : 8) * sizeof *items);
                items[nitems++] = (Item){key, val, true, app, w};
                continue;
            }
            StrList l;
            sl_init(&l);
            if (expand_words(sh, &w, 1, &l)) { sl_free(&l); st = 1; break; }
            for (size_t k = 0; k < l.n; k++) {
                if (nitems == cap) items = xrealloc(items, (cap = cap ? cap * 2 : 8) * sizeof *items);
                items[nitems++] = (Item){NULL, xstrdup(l.v[k]), false, false, w};
            }
            sl_free(&l);
        }
    }
    if (!st) {
        if (!append) {
            if (assoc) { assoc_unref(v->assoc); v->assoc = assoc_new(); }
            else { arr_unref(v->arr); v->arr = arr_new(); }
        } else if (!assoc) {
            next = arr_max_index(arr_own(v)) + 1;
        }
        /* bash 5.2: an associative list of plain words is key value key value */
        bool kv = assoc && nitems > 0 && !items[0].keyed;
        for (size_t k = 0; k < nitems; k++) {
            Item *it = &items[k];
            if (kv) {
                const char *val = k + 1 < nitems ? items[k + 1].val : "";
                assoc_set(assoc_own(v), it->val, val);
                k++;
                continue;
            }
            if (!it->keyed) {
                if (assoc) {
                    shell_errorf(sh, "%s: %s: must use subscript when assigning associative array", name, it->val);
                    continue;
                }
                char *nv = transform_elem(sh, v, it->val);
                if (nv) { arr_set(arr_own(v), next++, nv); free(nv); } else st = 1;
                continue;
            }
            if (assoc) {
                /* bash reports it and goes on with the list, status 0 */
                if (!it->key[0]) { shell_errorf(sh, "%s: bad array subscript", it->word); continue; }
                const char *old = assoc_get(assoc_own(v), it->key);
                StrBuf nv; sb_init(&nv);
                if (it->app && old) sb_puts(&nv, old);
                char *tv = transform_elem(sh, v, it->val);
                sb_puts(&nv, tv ? tv : "");
                free(tv);
                assoc_set(assoc_own(v), it->key, sb_cstr(&nv));
                sb_free(&nv);
            } else {
                bool bad;
                int64_t idx = arith_subscript(sh, it->key, &bad);
                if (bad) { st = 1; continue; }
                if (idx < 0) idx += arr_max_index(arr_own(v)) + 1;
                if (idx < 0) { shell_errorf(sh, "%s: bad array subscript", it->word); continue; }
                const char *old = arr_get(arr_own(v), idx);
                StrBuf nv; sb_init(&nv);
                if (it->app && old) sb_puts(&nv, old);
                char *tv = transform_elem(sh, v, it->val);
                sb_puts(&nv, tv ? tv : "");
                free(tv);
                arr_set(arr_own(v), idx, sb_cstr(&nv));
                sb_free(&nv);
                next = idx + 1;
            }
        }
    }
    for (size_t k = 0; k < nitems; k++) { free(items[k].key); free(items[k].val); }
    free(items);
    if (!node && err.len) st = 1;
    sl_free(&vals);
    sl_free(&keys);
    sb_free(&err);
    sb_free(&cmd);
    free(src);
    arena_unref(a);
    if (flags & V_READONLY) v->flags |= V_READONLY;
    return st;
}

static int flag_bit(char c) {
    switch (c) {
    case 'x': return V_EXPORT;
    case 'r': return V_READONLY;
    case 'i': return V_INTEGER;
    case 'l': return V_LOWER;
    case 'u': return V_UPPER;
    case 'n': return V_NAMEREF;
    case 'a': return V_ARRAY;
    case 'A': return V_ASSOC;
    case 't': return V_TRACE;
    case 'c': return V_CAPITAL;
    default: return -1;
    }
}

static void decl_flags(const Var *v, StrBuf *b) {
    int f = v->flags;
    size_t start = b->len;
    if (f & V_ARRAY) sb_putc(b, 'a');
    if (f & V_ASSOC) sb_putc(b, 'A');
    if (f & V_INTEGER) sb_putc(b, 'i');
    if (f & V_LOWER) sb_putc(b, 'l');
    if (f & V_NAMEREF) sb_putc(b, 'n');
    if (f & V_READONLY) sb_putc(b, 'r');
    if (f & V_TRACE) sb_putc(b, 't');
    if (f & V_UPPER) sb_putc(b, 'u');
    if (f & V_EXPORT) sb_putc(b, 'x');
    if (b->len == start) sb_putc(b, '-');
}

/* A value as bash quotes it in declare -p: "..." or $'...' with control characters. */
void quote_value(StrBuf *b, const char *s, bool utf8) {
    for (const char *c = s; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f) { quote_single(b, s, utf8); return; }
    quote_double(b, s, utf8);
}

void quote_key(StrBuf *b, const char *k, bool utf8) {
    bool lone_at = (k[0] == '@' || k[0] == '*') && !k[1]; /* m["@"] is not m[@] */
    if (*k && !lone_at && !quote_needed(k, utf8)) sb_puts(b, k);
    else quote_value(b, k, utf8);
}

static void print_var_decl(Shell *sh, Var *v, bool with_declare) {
    StrBuf b;
    sb_init(&b);
    var_format_decl(v, &b, with_declare, locale_utf8(sh));
    sb_putc(&b, '\n');
    sh_write(sh, 1, b.s, b.len);
    sb_free(&b);
}

void var_format_decl(Var *v, StrBuf *out, bool with_declare, bool utf8) {
    StrBuf b;
    sb_init(&b);
    if (with_declare) {
        sb_puts(&b, "declare -");
        decl_flags(v, &b);
        sb_putc(&b, ' ');
    }
    sb_puts(&b, v->name);
    if ((v->flags & V_ASSOC) && !v->assoc) {
        /* declared, never assigned */
    } else if (v->flags & V_ASSOC) {
        sb_puts(&b, "=(");
        StrList keys;
        sl_init(&keys);
        if (v->assoc) assoc_keys(v->assoc, &keys);
        for (size_t i = 0; i < keys.n; i++) {
            sb_putc(&b, '[');
            quote_key(&b, keys.v[i], utf8);
            sb_puts(&b, "]=");
            quote_value(&b, assoc_get(v->assoc, keys.v[i]), utf8);
            sb_putc(&b, ' ');
        }
        sl_free(&keys);
        sb_putc(&b, ')');
    } else if ((v->flags & V_ARRAY) && !v->arr) {
        /* declared, never assigned */
    } else if (v->flags & V_ARRAY) {
        sb_puts(&b, "=(");
        if (v->arr)
            for (size_t i = 0; i < v->arr->n; i++) {
                if (i) sb_putc(&b, ' ');
                sb_printf(&b, "[%lld]=", (long long)v->arr->e[i].idx);
                quote_value(&b, v->arr->e[i].val, utf8);
            }
        sb_putc(&b, ')');
    } else if (v->value) {
        sb_putc(&b, '=');
        if (with_declare) quote_value(&b, v->value, utf8);
        else quote_if_needed(&b, v->value, utf8);
    }
    sb_put(out, b.s ? b.s : "", b.len);
    sb_free(&b);
}

static void print_function(Shell *sh, FuncDef *f) {
    StrBuf b;
    sb_init(&b);
    ast_print_function(&b, f->name, f->body);
    sh_write(sh, 1, b.s, b.len);
    sb_free(&b);
}

static int bi_declare(Shell *sh, int argc, char **argv) {
    int set_flags = 0, clear_flags = 0;
    bool print = false, funcs = false, func_names = false, global = false;
    bool local = !strcmp(argv[0], "local");
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if ((a[0] != '-' && a[0] != '+') || !a[1]) break;
        if (!strcmp(a, "--")) { i++; break; }
        bool on = a[0] == '-';
        for (const char *c = a + 1; *c; c++) {
            if (*c == 'p') print = true;
            else if (*c == 'f') funcs = true;
            else if (*c == 'F') func_names = true;
            else if (*c == 'g') global = true;
            else {
                int b = flag_bit(*c);
                if (b < 0) {
                    shell_errorf(sh, "%s: -%c: invalid option", argv[0], *c);
                    sh_printf(sh, 2, "%s: usage: %s [-aAfFgiIlnrtux] [name[=value] ...] or %s -p [-aAfFilnrtux] [name ...]\n", argv[0], argv[0], argv[0]);
                    return 2;
                }
                if (on) set_flags |= b; else clear_flags |= b;
            }
        }
    }
    if ((set_flags & V_LOWER) && (set_flags & V_UPPER)) set_flags &= ~(V_LOWER | V_UPPER); /* as bash: neither */
    if (local && sh->func_depth == 0) {
        shell_errorf(sh, "local: can only be used in a function");
        return 1;
    }
    if (local && i < argc && !strcmp(argv[i], "-")) {
        sh->local_opts = true;
        i++;
        if (i >= argc) return 0;
    }
    if (!strcmp(argv[0], "declare") || !strcmp(argv[0], "typeset")) local = sh->func_depth > 0 && !global;
    if (funcs || func_names) {
        int st = 0;
        if (i >= argc) {
            FuncDef **all;
            size_t n;
            funcs_all(sh, &all, &n);
            for (size_t k = 0; k < n; k++) {
                if (func_names) sh_printf(sh, 1, "declare -f %s\n", all[k]->name);
                else print_function(sh, all[k]);
            }
            free(all);
            return 0;
        }
        for (; i < argc; i++) {
            FuncDef *f = func_get(sh, argv[i]);
            if (!f) { st = 1; continue; }
            if (func_names) sh_printf(sh, 1, "%s\n", argv[i]);
            else print_function(sh, f);
        }
        return st;
    }
    if (local && print && i >= argc && sh->scope) {
        Var **all;
        size_t n;
        vars_all(sh, &all, &n);
        for (size_t k = 0; k < n; k++)
            if (all[k]->flags & V_LOCAL) print_var_decl(sh, all[k], true);
        free(all);
        return 0;
    }
    if (print || (i >= argc && !set_flags && !clear_flags)) {
        int st = 0;
        if (i >= argc) {
            Var **all;
            size_t n;
            vars_all(sh, &all, &n);
            for (size_t k = 0; k < n; k++) {
                if (set_flags && !(all[k]->flags & set_flags)) continue;
                print_var_decl(sh, all[k], print || true);
            }
            free(all);
            return 0;
        }
        for (; i < argc; i++) {
            Var *v = var_lookup_raw(sh, argv[i]);
            StrList dyn;
            sl_init(&dyn);
            if (!v && var_call_stack(sh, argv[i], &dyn)) {
                StrBuf b;
                sb_init(&b);
                sb_printf(&b, "declare -a %s=(", argv[i]);
                for (size_t k = 0; k < dyn.n; k++) {
                    if (k) sb_putc(&b, ' ');
                    sb_printf(&b, "[%zu]=", k);
                    quote_double(&b, dyn.v[k], locale_utf8(sh));
                }
                sb_puts(&b, ")\n");
                sh_write(sh, 1, b.s, b.len);
                sb_free(&b);
                sl_free(&dyn);
                continue;
            }
            sl_free(&dyn);
            if (!v) {
                shell_errorf(sh, "declare: %s: not found", argv[i]);
                st = 1;
                continue;
            }
            print_var_decl(sh, v, true);
        }
        return st;
    }
    if (i >= argc) {
        Var **all;
        size_t n;
        vars_all(sh, &all, &n);
        for (size_t k = 0; k < n; k++)
            if (all[k]->flags & set_flags) print_var_decl(sh, all[k], true);
        free(all);
        return 0;
    }
    int st = 0;
    sh->cmd_prefix = "declare: ";
    for (; i < argc; i++) {
        bool bad;
        if (assign_word(sh, argv[i], set_flags, local, &bad)) {
            if (bad) shell_errorf(sh, "%s: `%s': not a valid identifier", argv[0], argv[i]);
            st = 1;
            continue;
        }
        if (clear_flags & (V_ARRAY | V_ASSOC)) {
            shell_errorf(sh, "declare: %s: cannot destroy array variables in this way", argv[i]);
            st = 1;
            continue;
        }
        if (clear_flags) {
            size_t pl = assignment_prefix_len(argv[i]);
            char *name = xstrndup(argv[i], pl ? pl - 1 - (argv[i][pl - 2] == '+') : strlen(argv[i]));
            char *br = strchr(name, '[');
            if (br) *br = 0;
            Var *v = var_lookup_raw(sh, name);
            if (v) v->flags &= ~(clear_flags & ~(V_READONLY | V_ARRAY | V_ASSOC));
            free(name);
        }
    }
    sh->cmd_prefix = NULL;
    return st;
}

static int bi_export(Shell *sh, int argc, char **argv) {
    bool ro = !strcmp(argv[0], "readonly");
    int flag = ro ? V_READONLY : V_EXPORT;
    bool unexport = false, print = false, funcs = false;
    int i = 1;
    int extra = 0;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (!strcmp(argv[i], "--")) { i++; break; }
        for (const char *c = argv[i] + 1; *c; c++) {
            if (*c == 'n') unexport = true;
            else if (*c == 'p') print = true;
            else if (*c == 'f') funcs = true;
            else if (*c == 'a') extra |= V_ARRAY;
            else if (*c == 'A') extra |= V_ASSOC;
            else {
                shell_errorf(sh, "%s: -%c: invalid option", argv[0], *c);
                return 2;
            }
        }
    }
    if (funcs && ro) {
        int st = 0;
        for (; i < argc; i++) {
            FuncDef *f = func_get(sh, argv[i]);
            if (!f) { shell_errorf(sh, "readonly: %s: not a function", argv[i]); st = 1; continue; }
            f->readonly = true;
        }
        return st;
    }
    if (funcs && !ro) {
        int st = 0;
        for (; i < argc; i++) {
            FuncDef *f = func_get(sh, argv[i]);
            if (!f) { shell_errorf(sh, "export: %s: not a function", argv[i]); st = 1; continue; }
            f->exported = !unexport;
        }
        return st;
    }
    if (i >= argc || print) {
        Var **all;
        size_t n;
        vars_all(sh, &all, &n);
        for (size_t k = 0; k < n; k++)
            if (all[k]->flags & flag) print_var_decl(sh, all[k], true);
        free(all);
        return 0;
    }
    int st = 0;
    for (; i < argc; i++) {
        if (unexport) {
            Var *v = var_lookup(sh, argv[i]);
            if (v) v->flags &= ~V_EXPORT;
            continue;
        }
        bool bad;
        Var *existing = NULL;
        size_t pl = assignment_prefix_len(argv[i]);
        if (pl) {
            char *nm = xstrndup(argv[i], pl - 1 - (argv[i][pl - 2] == '+'));
            existing = var_lookup(sh, nm);
            free(nm);
        }
        if (assign_word(sh, argv[i], (ro ? 0 : flag) | extra, false, &bad)) {
            if (bad) shell_errorf(sh, "%s: `%s': not a valid identifier", argv[0], argv[i]);
            st = 1;
            continue;
        }
        (void)existing;
        if (ro) {
            char *nm = xstrndup(argv[i], pl ? pl - 1 - (argv[i][pl - 2] == '+') : strlen(argv[i]));
            Var *v = var_lookup(sh, nm);
            if (!v) v = var_create(sh, nm, false);
            v->flags |= V_READONLY;
            free(nm);
        }
    }
    return st;
}

static int bi_unset(Shell *sh, int argc, char **argv) {
    bool funcs = false, vars = false, nameref = false;
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (!strcmp(argv[i], "--")) { i++; break; }
        for (const char *c = argv[i] + 1; *c; c++) {
            if (*c == 'f') funcs = true;
            else if (*c == 'v') vars = true;
            else if (*c == 'n') nameref = true;
            else {
                shell_errorf(sh, "unset: -%c: invalid option", *c);
                return 2;
            }
        }
    }
    int st = 0;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (funcs) {
            FuncDef *f = func_get(sh, a);
            if (f && f->readonly) { shell_errorf(sh, "unset: %s: cannot unset: readonly function", a); st = 1; continue; }
            func_unset(sh, a);
            continue;
        }
        const char *br = strchr(a, '[');
        if (br && a[strlen(a) - 1] == ']') {
            char *name = xstrndup(a, (size_t)(br - a));
            char *sub = xstrndup(br + 1, strlen(br + 1) - 1);
            Var *v = var_lookup(sh, name);
            if (v && (v->flags & V_READONLY)) { shell_errorf(sh, "unset: %s: cannot unset: readonly variable", name); st = 1; }
            else if (v && (!strcmp(sub, "@") || !strcmp(sub, "*"))) {
                if (v->flags & V_ASSOC) { assoc_unref(v->assoc); v->assoc = assoc_new(); }
                else if (v->flags & V_ARRAY) { arr_unref(v->arr); v->arr = arr_new(); }
                else var_unset(sh, name);
            }
            else if (v && (v->flags & V_ASSOC)) assoc_unset(assoc_own(v), sub);
            else if (v && (v->flags & V_ARRAY)) {
                bool bad;
                char *esub = NULL;
                expand_string(sh, sub, &esub);
                int64_t idx = arith_subscript(sh, esub ? esub : sub, &bad);
                free(esub);
                if (idx < 0) idx += arr_max_index(v->arr) + 1;
                arr_unset(arr_own(v), idx);
            } else if (v) {
                bool bad;
                if (arith_subscript(sh, sub, &bad) == 0) var_unset(sh, name);
            }
            free(name);
            free(sub);
            continue;
        }
        if (!is_name(a, strlen(a))) {
            /* without -v a word that is no variable name may still name a
             * function (bash unsets it, or does nothing, silently) */
            if (vars) { shell_errorf(sh, "unset: `%s': not a valid identifier", a); st = 1; }
            else func_unset(sh, a);
            continue;
        }
        if (nameref) {
            Var *v = var_lookup_raw(sh, a);
            if (v) { v->flags &= ~V_NAMEREF; var_unset(sh, a); }
            continue;
        }
        Var *v = var_lookup(sh, a);
        if (v || vars) { if (var_unset(sh, a)) st = 1; }
        else func_unset(sh, a);
    }
    return st;
}

static int bi_shift(Shell *sh, int argc, char **argv) {
    int n = 1;
    if (argc > 1 && parse_count(sh, "shift", argv[1], &n)) return 1;
    if (n < 0) { shell_errorf(sh, "shift: %s: shift count out of range", argv[1]); return 1; }
    if (n > sh->npos) {
        if (sh->opt.shift_verbose || sh->opt.posix) {
            if (argc > 1) shell_errorf(sh, "shift: %s: shift count out of range", argv[1]);
            else shell_errorf(sh, "shift: shift count out of range");
        }
        return 1;
    }
    for (int i = 0; i < n; i++) free(sh->pos[i]);
    memmove(sh->pos, sh->pos + n, (size_t)(sh->npos - n) * sizeof *sh->pos);
    sh->npos -= n;
    return 0;
}

/* ---------- set / shopt ---------- */

typedef struct OptName { const char *name; char letter; size_t off; bool shopt; } OptName;
#define O(n, l, f) {n, l, offsetof(ShellOpts, f), false}
#define S(n, f) {n, 0, offsetof(ShellOpts, f), true}
static const OptName opt_names[] = {
    O("allexport", 'a', allexport), O("braceexpand", 'B', braceexpand), O("emacs", 0, emacs),
    O("errexit", 'e', errexit), O("errtrace", 'E', errtrace), O("functrace", 'T', functrace),
    O("hashall", 'h', hashall), O("histexpand", 'H', histexpand), O("history", 0, history),
    O("ignoreeof", 0, ignoreeof), O("interactive-comments", 0, interactive_comments), O("keyword", 'k', keyword),
    O("monitor", 'm', monitor), O("noclobber", 'C', noclobber), O("noexec", 'n', noexec),
    O("noglob", 'f', noglob), O("nolog", 0, nolog), O("notify", 'b', notify), O("nounset", 'u', nounset),
    O("onecmd", 't', onecmd), O("physical", 'P', physical), O("pipefail", 0, pipefail), O("posix", 0, posix),
    O("privileged", 'p', privileged), O("verbose", 'v', verbose), O("vi", 0, vi), O("xtrace", 'x', xtrace),
    S("autocd", autocd),
    S("assoc_expand_once", assoc_expand_once),
    S("cdable_vars", cdable_vars),
    S("cdspell", cdspell),
    S("checkhash", checkhash),
    S("checkjobs", checkjobs),
    S("checkwinsize", checkwinsize),
    S("cmdhist", cmdhist),
    S("compat31", compat31),
    S("compat32", compat32),
    S("compat40", compat40),
    S("compat41", compat41),
    S("compat42", compat42),
    S("compat43", compat43),
    S("compat44", compat44),
    S("complete_fullquote", complete_fullquote),
    S("direxpand", direxpand),
    S("dirspell", dirspell),
    S("dotglob", dotglob),
    S("execfail", execfail),
    S("expand_aliases", expand_aliases),
    S("extdebug", extdebug),
    S("extglob", extglob),
    S("extquote", extquote),
    S("failglob", failglob),
    S("force_fignore", force_fignore),
    S("globasciiranges", globasciiranges),
    S("globskipdots", globskipdots),
    S("globstar", globstar),
    S("gnu_errfmt", gnu_errfmt),
    S("histappend", histappend),
    S("histreedit", histreedit),
    S("histverify", histverify),
    S("hostcomplete", hostcomplete),
    S("huponexit", huponexit),
    S("inherit_errexit", inherit_errexit),
    S("interactive_comments", shopt_interactive_comments),
    S("lastpipe", lastpipe),
    S("lithist", lithist),
    S("localvar_inherit", localvar_inherit),
    S("localvar_unset", localvar_unset),
    S("login_shell", login_shell),
    S("mailwarn", mailwarn),
    S("no_empty_cmd_completion", no_empty_cmd_completion),
    S("nocaseglob", nocaseglob),
    S("nocasematch", nocasematch),
    S("noexpand_translation", noexpand_translation),
    S("nullglob", nullglob),
    S("patsub_replacement", patsub_replacement),
    S("progcomp", progcomp),
    S("progcomp_alias", progcomp_alias),
    S("promptvars", promptvars),
    S("restricted_shell", restricted_shell),
    S("shift_verbose", shift_verbose),
    S("sourcepath", sourcepath),
    S("varredir_close", varredir_close),
    S("xpg_echo", xpg_echo),
};
#undef O
#undef S

static bool *opt_ptr(Shell *sh, const OptName *o) { return (bool *)((char *)&sh->opt + o->off); }

static const OptName *find_opt(const char *name, bool shopt) {
    for (size_t i = 0; i < sizeof opt_names / sizeof *opt_names; i++)
        if (opt_names[i].shopt == shopt && !strcmp(opt_names[i].name, name)) return &opt_names[i];
    return NULL;
}

void shopt_list_string(Shell *sh, StrBuf *out, bool shopt) {
    bool first = true;
    for (size_t i = 0; i < sizeof opt_names / sizeof *opt_names; i++) {
        const OptName *o = &opt_names[i];
        if (o->shopt != shopt || !*opt_ptr(sh, o)) continue;
        if (!first) sb_putc(out, ':');
        sb_puts(out, o->name);
        first = false;
    }
}

bool option_value(Shell *sh, const char *name, bool *valid) {
    const OptName *o = find_opt(name, false);
    *valid = o != NULL;
    return o ? *opt_ptr(sh, o) : false;
}

bool shell_set_option(Shell *sh, const char *name, bool on) {
    const OptName *o = find_opt(name, false);
    if (!o) o = find_opt(name, true);
    if (!o) return false;
    *opt_ptr(sh, o) = on;
    return true;
}

static void list_set_options(Shell *sh, bool plus) {
    for (size_t i = 0; i < sizeof opt_names / sizeof *opt_names; i++) {
        const OptName *o = &opt_names[i];
        if (o->shopt) continue;
        bool v = *opt_ptr(sh, o);
        if (plus) sh_printf(sh, 1, "set %co %s\n", v ? '-' : '+', o->name);
        else sh_printf(sh, 1, "%-15s\t%s\n", o->name, v ? "on" : "off");
    }
}

static int bi_set(Shell *sh, int argc, char **argv) {
    if (argc == 1) {
        Var **all;
        size_t n;
        vars_all(sh, &all, &n);
        for (size_t k = 0; k < n; k++) print_var_decl(sh, all[k], false);
        free(all);
        return 0;
    }
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--")) { i++; goto positional; }
        if (!strcmp(a, "-")) { sh->opt.xtrace = sh->opt.verbose = false; i++; goto positional; }
        if ((a[0] != '-' && a[0] != '+') || !a[1]) break;
        bool on = a[0] == '-';
        for (const char *c = a + 1; *c; c++) {
            if (*c == 'o') {
                if (i + 1 >= argc) { list_set_options(sh, !on); continue; }
                const OptName *o = find_opt(argv[++i], false);
                if (!o) {
                    shell_errorf(sh, "set: %s: invalid option name", argv[i]);
                    return 2;
                }
                *opt_ptr(sh, o) = on;
                continue;
            }
            const OptName *o = NULL;
            for (size_t k = 0; k < sizeof opt_names / sizeof *opt_names; k++)
                if (opt_names[k].letter == *c) o = &opt_names[k];
            if (!o) {
                shell_errorf(sh, "set: %c%c: invalid option", a[0], *c);
                sh_printf(sh, 2, "set: usage: set [-abefhkmnptuvxBCEHPT] [-o option-name] [--] [-] [arg ...]\n");
                return 2;
            }
            *opt_ptr(sh, o) = on;
        }
    }
    if (i >= argc) return 0;
positional:
    for (int k = 0; k < sh->npos; k++) free(sh->pos[k]);
    free(sh->pos);
    sh->npos = argc - i;
    sh->pos = xmalloc((size_t)(sh->npos + 1) * sizeof *sh->pos);
    for (int k = 0; k < sh->npos; k++) sh->pos[k] = xstrdup(argv[i + k]);
    return 0;
}

static int bi_shopt(Shell *sh, int argc, char **argv) {
    int mode = 0; /* 's' 'u' */
    bool quiet = false, print = false, oset = false;
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        for (const char *c = argv[i] + 1; *c; c++) {
            if (*c == 's' || *c == 'u') mode = *c;
            else if (*c == 'q') quiet = true;
            else if (*c == 'p') print = true;
            else if (*c == 'o') oset = true;
            else { shell_errorf(sh, "shopt: -%c: invalid option", *c); return 2; }
        }
    }
    int st = 0;
    if (i >= argc) {
        for (size_t k = 0; k < sizeof opt_names / sizeof *opt_names; k++) {
            const OptName *o = &opt_names[k];
            if (o->shopt == oset) continue;
            bool v = *opt_ptr(sh, o);
            if (mode == 's' && !v) continue;
            if (mode == 'u' && v) continue;
            if (print) {
                if (oset) sh_printf(sh, 1, "set %co %s\n", v ? '-' : '+', o->name);
                else sh_printf(sh, 1, "shopt -%c %s\n", v ? 's' : 'u', o->name);
            } else sh_printf(sh, 1, "%-15s\t%s\n", o->name, v ? "on" : "off");
        }
        return 0;
    }
    for (; i < argc; i++) {
        const OptName *o = find_opt(argv[i], !oset);
        if (!o) {
            shell_errorf(sh, "shopt: %s: invalid shell option name", argv[i]);
            st = 1;
            continue;
        }
        bool *p = opt_ptr(sh, o);
        if (mode == 's') *p = true;
        else if (mode == 'u') *p = false;
        else {
            if (!*p) st = 1;
            if (!quiet) {
                if (print && oset) sh_printf(sh, 1, "set %co %s\n", *p ? '-' : '+', o->name);
                else if (print) sh_printf(sh, 1, "shopt -%c %s\n", *p ? 's' : 'u', o->name);
                else sh_printf(sh, 1, "%-15s\t%s\n", o->name, *p ? "on" : "off");
            }
        }
    }
    return st;
}

/* ---------- eval / source ---------- */

static int bi_eval(Shell *sh, int argc, char **argv) {
    StrBuf b;
    sb_init(&b);
    for (int i = 1; i < argc; i++) {
        if (i > 1) sb_putc(&b, ' ');
        sb_puts(&b, argv[i]);
    }
    if (sh->run->lim.max_depth && ++sh->run->depth > sh->run->lim.max_depth) {
        sh->run->depth--;
        sb_free(&b);
        budget_stop(sh, "depth", "eval nesting limit exceeded");
        return 1;
    }
    int line = sh->lineno;
    sh->first_line = line;
    sh->in_eval++;
    int st = exec_eval(sh, sb_cstr(&b), b.len);
    sh->in_eval--;
    sh->lineno = line;
    sh->run->depth--;
    sb_free(&b);
    if (sh->unwind == UW_EXIT && sh->exit_status == 2 && st == 2) {}
    return st;
}

static int bi_source(Shell *sh, int argc, char **argv) {
    if (argc < 2) {
        shell_errorf(sh, "%s: filename argument required", argv[0]);
        sh_printf(sh, 2, "%s: usage: %s filename [arguments]\n", argv[0], argv[0]);
        return 2;
    }
    const char *path = argv[1];
    /* a script that sources itself would recurse until the native stack
     * ends (bash crashes): nesting counts against the depth budget, as eval */
    if (sh->run->lim.max_depth && sh->run->depth >= sh->run->lim.max_depth) {
        budget_stop(sh, "depth", "source nesting limit exceeded");
        return 1;
    }
    struct stat dst;
    if (stat(path, &dst) == 0 && S_ISDIR(dst.st_mode)) {
        shell_errorf(sh, "%s: %s: is a directory", argv[0], path);
        return 1;
    }
    int err = 0;
    Stream *in = open_path_stream(sh, path, O_RDONLY, 0, &err);
    if (!in) {
        shell_errorf(sh, "%s: %s", path, strerror(err));
        return 1;
    }
    StrBuf src;
    sb_init(&src);
    char buf[8192];
    ssize_t r;
    while ((r = stream_read(sh, in, buf, sizeof buf)) > 0) sb_put(&src, buf, (size_t)r);
    stream_unref(sh, in);
    char **old_pos = NULL;
    int old_n = 0;
    if (argc > 2) {
        old_pos = sh->pos;
        old_n = sh->npos;
        sh->npos = argc - 2;
        sh->pos = xmalloc((size_t)(sh->npos + 1) * sizeof *sh->pos);
        for (int i = 0; i < sh->npos; i++) sh->pos[i] = xstrdup(argv[i + 2]);
    }
    sh->source_depth++;
    sh->run->depth++;
    sh->in_eval++;
    int line = sh->lineno;
    if (sh->nframes == sh->frames_cap) {
        sh->frames_cap = sh->frames_cap ? sh->frames_cap * 2 : 16;
        sh->frames = xrealloc(sh->frames, (size_t)sh->frames_cap * sizeof *sh->frames);
    }
    char *kept_path = xstrdup(path);
    sh->frames[sh->nframes++] = (CallFrame){"source", kept_path, line};
    int st = exec_script(sh, sb_cstr(&src), src.len, kept_path, false);
    sh->nframes--;
    sh->lineno = line;
    sh->in_eval--;
    sh->run->depth--;
    sh->source_depth--;
    if (sh->unwind == UW_RETURN) { sh->unwind = UW_NONE; st = sh->status; }
    if (sh->traps[67] && sh->unwind == UW_NONE) run_trap(sh, 67);
    free(kept_path);
    if (old_pos) {
        for (int i = 0; i < sh->npos; i++) free(sh->pos[i]);
        free(sh->pos);
        sh->pos = old_pos;
        sh->npos = old_n;
    }
    sb_free(&src);
    return st;
}

/* ---------- cd / pwd ---------- */

static void set_cwd(Shell *sh, const char *path) {
    free(sh->cwd);
    sh->cwd = xstrdup(path);
}

/* Canonicalises a logical path: resolves . and .. textually. */
static char *logical_path(const char *base, const char *rel) {
    StrBuf full;
    sb_init(&full);
    if (rel[0] != '/') { sb_puts(&full, base); sb_putc(&full, '/'); }
    sb_puts(&full, rel);
    StrList parts;
    sl_init(&parts);
    char *tmp = sb_take(&full);
    for (char *t = strtok(tmp, "/"); t; t = strtok(NULL, "/")) {
        if (!strcmp(t, ".")) continue;
        if (!strcmp(t, "..")) {
            if (parts.n) { free(parts.v[--parts.n]); parts.v[parts.n] = NULL; }
            continue;
        }
        sl_push_copy(&parts, t);
    }
    free(tmp);
    StrBuf out;
    sb_init(&out);
    for (size_t i = 0; i < parts.n; i++) { sb_putc(&out, '/'); sb_puts(&out, parts.v[i]); }
    if (!out.len) sb_putc(&out, '/');
    sl_free(&parts);
    return sb_take(&out);
}

static int bi_cd(Shell *sh, int argc, char **argv) {
    int i = 1;
    bool physical = sh->opt.physical;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (!strcmp(argv[i], "--")) { i++; break; }
        if (!strcmp(argv[i], "-P")) physical = true;
        else if (!strcmp(argv[i], "-L")) physical = false;
        else if (!strcmp(argv[i], "-e") || !strcmp(argv[i], "-@")) {}
        else if (!strcmp(argv[i], "-")) break;
        else {
            shell_errorf(sh, "cd: %s: invalid option", argv[i]);
            sh_puts(sh, 2, "cd: usage: cd [-L|[-P [-e]] [-@]] [dir]\n");
            return 2;
        }
    }
    if (argc - i > 1) { shell_errorf(sh, "cd: too many arguments"); return 1; }
    const char *target;
    bool print = false;
    if (i >= argc) {
        target = var_get(sh, "HOME");
        if (!target) { shell_errorf(sh, "cd: HOME not set"); return 1; }
    } else if (!strcmp(argv[i], "-")) {
        target = var_get(sh, "OLDPWD");
        if (!target) { shell_errorf(sh, "cd: OLDPWD not set"); return 1; }
        print = true;
    } else target = argv[i];
    if (!target[0]) return 0;
    const char *cdpath = var_get(sh, "CDPATH");
    if (cdpath && target[0] != '/' && strncmp(target, "./", 2) && strncmp(target, "../", 3) && strcmp(target, ".") &&
        strcmp(target, "..")) {
        const char *p = cdpath;
        while (*p) {
            const char *e = strchr(p, ':');
            size_t l = e ? (size_t)(e - p) : strlen(p);
            StrBuf cand;
            sb_init(&cand);
            if (l) { sb_put(&cand, p, l); sb_putc(&cand, '/'); }
            sb_puts(&cand, target);
            char *full = logical_path(sh->cwd, cand.s);
            struct stat cst;
            if (stat(full, &cst) == 0 && S_ISDIR(cst.st_mode)) {
                if (l) print = true;
                char *cdargv[] = {"cd", full, NULL};
                int r = bi_cd(sh, 2, cdargv);
                free(full);
                sb_free(&cand);
                if (!r && print) sh_printf(sh, 1, "%s\n", sh->cwd);
                return r;
            }
            free(full);
            sb_free(&cand);
            if (!e) break;
            p = e + 1;
        }
    }
    char *dest = logical_path(sh->cwd, target);
    if (chdir(physical ? target : dest) != 0) {
        shell_errorf(sh, "cd: %s: %s", target, strerror(errno));
        free(dest);
        return 1;
    }
    if (physical) {
        char buf[PATH_MAX];
        if (getcwd(buf, sizeof buf)) { free(dest); dest = xstrdup(buf); }
    }
    var_set(sh, "OLDPWD", sh->cwd);
    set_cwd(sh, dest);
    Var *pwd = var_lookup(sh, "PWD");
    if (!pwd || !(pwd->flags & V_READONLY)) var_set_flags(sh, "PWD", dest, 0);
    if (print) sh_printf(sh, 1, "%s\n", dest);
    free(dest);
    return 0;
}

static int bi_pwd(Shell *sh, int argc, char **argv) {
    bool physical = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-P")) physical = true;
        else if (!strcmp(argv[i], "-L")) physical = false;
        else { shell_errorf(sh, "pwd: %s: invalid option", argv[i]); return 2; }
    }
    if (physical) {
        char buf[PATH_MAX];
        if (getcwd(buf, sizeof buf)) { sh_printf(sh, 1, "%s\n", buf); return 0; }
    }
    sh_printf(sh, 1, "%s\n", sh->cwd);
    return 0;
}

/* ---------- read / mapfile ---------- */

static int bi_read(Shell *sh, int argc, char **argv) {
    bool raw = false, silent = false;
    const char *array = NULL, *prompt = NULL;
    int delim = '\n', nchars = -1, fd = 0;
    bool exact = false;
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (!strcmp(argv[i], "--")) { i++; break; }
        for (const char *c = argv[i] + 1; *c; c++) {
            const char *arg = NULL;
            if (strchr("adnNptui", *c)) {
                if (c[1]) arg = c + 1;
                else if (i + 1 < argc) arg = argv[++i];
                else { shell_errorf(sh, "read: -%c: option requires an argument", *c); return 2; }
            }
            switch (*c) {
            case 'r': raw = true; break;
            case 's': silent = true; break;
            case 'e': break;
            case 'a': array = arg; break;
            case 'd': delim = arg[0] ? (unsigned char)arg[0] : 0; break;
            case 'n': nchars = atoi(arg); break;
            case 'N': nchars = atoi(arg); exact = true; break;
            case 'p': prompt = arg; break;
            case 't': {
                double t = atof(arg);
                if (t == 0) {
                    /* -t 0: is input available? */
                    Stream *s = sh->fds[fd];
                    return (s && (s->kind != ST_BUFFER || s->rpos < s->data.len)) ? 0 : 1;
                }
                break;
            }
            case 'u': fd = atoi(arg); break;
            case 'i': break;
            default:
                shell_errorf(sh, "read: -%c: invalid option", *c);
                sh_puts(sh, 2, "read: usage: read [-ers] [-a array] [-d delim] [-i text] [-n nchars] [-N nchars] [-p prompt] [-t timeout] [-u fd] [name ...]\n");
                return 2;
            }
            if (arg) break;
        }
    }
    (void)silent;
    if (fd < 0 || fd >= SH_MAXFD || !sh->fds[fd]) {
        shell_errorf(sh, "read: %d: invalid file descriptor: Bad file descriptor", fd);
        return 1;
    }
    for (int k = i; k < argc; k++) {
        if (!is_name(argv[k], strlen(argv[k]))) {
            shell_errorf(sh, "read: `%s': not a valid identifier", argv[k]);
            return 1;
        }
    }
    (void)prompt; /* shown only when reading from a terminal, which a sandbox never is */
    Stream *s = sh->fds[fd];
    StrBuf line, mask;
    sb_init(&line);
    sb_init(&mask); /* 1 = escaped by backslash: not an IFS separator */
    bool got_delim = false;
    int count = 0;
    for (;;) {
        if (nchars >= 0 && count >= nchars) break;
        int c = stream_getc(sh, s);
        if (c < 0) break;
        if (!exact && c == delim) { got_delim = true; break; }
        if (!raw && c == '\\' && !exact) {
            int d = stream_getc(sh, s);
            if (d < 0) break;
            if (d == '\n') continue;
            sb_putc(&line, (char)d);
            sb_putc(&mask, 1);
            count++;
            continue;
        }
        sb_putc(&line, (char)c);
        sb_putc(&mask, 0);
        count++;
    }
    int st = (got_delim || (nchars >= 0 && count >= nchars && count > 0)) ? 0 : 1;
    if (nchars == 0) st = 0;
    const char *ifs = var_get(sh, "IFS");
    if (!ifs) ifs = " \t\n";
    StrList names;
    sl_init(&names);
    for (; i < argc; i++) sl_push_copy(&names, argv[i]);
    const char *text = sb_cstr(&line);
    size_t n = line.len;
    const char *m = sb_cstr(&mask);
    if (exact || (names.n == 0 && !array)) {
        var_set(sh, names.n ? names.v[0] : "REPLY", text);
        if (names.n > 1) for (size_t k = 1; k < names.n; k++) var_set(sh, names.v[k], "");
        sl_free(&names);
        sb_free(&line);
        sb_free(&mask);
        return st;
    }
    /* split on IFS */
    StrList fields;
    sl_init(&fields);
    size_t p = 0;
#define ISIFS(k) (!m[k] && text[k] && strchr(ifs, text[k]))
#define ISWS(k) (ISIFS(k) && (text[k] == ' ' || text[k] == '\t' || text[k] == '\n'))
    while (p < n && ISWS(p)) p++;
    size_t want = array ? (size_t)-1 : names.n;
    while (p < n) {
        if (fields.n + 1 == want) {
            /* last variable takes the rest, minus trailing IFS whitespace and,
             * when the rest is a single field, its one trailing delimiter */
            size_t e = n;
            while (e > p && ISWS(e - 1)) e--;
            if (e > p && ISIFS(e - 1) && !ISWS(e - 1)) {
                size_t e2 = e - 1;
                while (e2 > p && ISWS(e2 - 1)) e2--;
                bool single = true;
                for (size_t q = p; q < e2 && single; q++) single = !ISIFS(q);
                if (single) e = e2;
            }
            sl_push(&fields, xstrndup(text + p, e - p));
            p = n;
            break;
        }
        size_t s0 = p;
        while (p < n && !ISIFS(p)) p++;
        sl_push(&fields, xstrndup(text + s0, p - s0));
        if (p < n) {
            bool ws = ISWS(p);
            p++;
            while (p < n && ISWS(p)) p++;
            if (ws && p < n && ISIFS(p) && !ISWS(p)) { p++; while (p < n && ISWS(p)) p++; }
        }
    }
#undef ISIFS
#undef ISWS
    if (array) {
        Var *v = var_lookup(sh, array);
        if (!v) v = var_create(sh, array, false);
        if (v->flags & V_READONLY) { shell_errorf(sh, "%s: readonly variable", array); st = 1; }
        else {
            var_make_array(sh, v);
            arr_unref(v->arr);
            v->arr = arr_new();
            for (size_t k = 0; k < fields.n; k++) arr_set(v->arr, (int64_t)k, fields.v[k]);
        }
    } else {
        for (size_t k = 0; k < names.n; k++) {
            if (var_set(sh, names.v[k], k < fields.n ? fields.v[k] : "")) st = 1;
        }
    }
    sl_free(&fields);
    sl_free(&names);
    sb_free(&line);
    sb_free(&mask);
    return st;
}

static int bi_mapfile(Shell *sh, int argc, char **argv) {
    bool strip = false;
    int delim = '\n', fd = 0;
    long count = 0, origin = 0, skip = 0, quantum = 5000;
    const char *callback = NULL;
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        const char *o = argv[i] + 1;
        if (!strcmp(o, "t")) { strip = true; continue; }
        if (i + 1 >= argc && strchr("dnOsuCc", o[0])) { shell_errorf(sh, "%s: -%c: option requires an argument", argv[0], o[0]); return 2; }
        switch (o[0]) {
        case 'd': delim = argv[++i][0] ? (unsigned char)argv[i][0] : 0; break;
        case 'n':
            count = atol(argv[++i]);
            if (count < 0) { shell_errorf(sh, "%s: %s: invalid line count", argv[0], argv[i]); return 1; }
            break;
        case 'O': origin = atol(argv[++i]); break;
        case 's': skip = atol(argv[++i]); break;
        case 'u': fd = atoi(argv[++i]); break;
        case 'C': callback = argv[++i]; break;
        case 'c': quantum = atol(argv[++i]); break;
        default: shell_errorf(sh, "%s: -%c: invalid option", argv[0], o[0]); return 2;
        }
    }
    const char *name = i < argc ? argv[i] : "MAPFILE";
    Var *v = var_lookup(sh, name);
    if (!v) v = var_create(sh, name, false);
    var_make_array(sh, v);
    if (origin == 0 && !(i < argc && 0)) { arr_unref(v->arr); v->arr = arr_new(); }
    Stream *s = (fd >= 0 && fd < SH_MAXFD) ? sh->fds[fd] : NULL;
    if (!s) { shell_errorf(sh, "%s: %d: invalid file descriptor: Bad file descriptor", argv[0], fd); return 1; }
    StrBuf line;
    sb_init(&line);
    long idx = origin, n = 0, skipped = 0;
    for (;;) {
        if (count && n >= count) break;
        int c;
        sb_clear(&line);
        bool any = false;
        while ((c = stream_getc(sh, s)) >= 0) {
            any = true;
            if (c == delim) { if (!strip) sb_putc(&line, (char)c); break; }
            sb_putc(&line, (char)c);
        }
        if (!any) break;
        if (skipped < skip) { skipped++; continue; }
        if (callback && quantum > 0 && (n + 1) % quantum == 0) {
            StrBuf cb;
            sb_init(&cb);
            sb_printf(&cb, "%s %ld ", callback, idx);
            extern void quote_backslash(StrBuf *out, const char *s, bool utf8);
            quote_backslash(&cb, sb_cstr(&line), locale_utf8(sh));
            exec_script(sh, cb.s, cb.len, NULL, false);
            sb_free(&cb);
        }
        arr_set(arr_own(v), idx++, sb_cstr(&line));
        n++;
        if (c < 0) break;
    }
    sb_free(&line);
    return 0;
}

/* ---------- let ---------- */

static int bi_let(Shell *sh, int argc, char **argv) {
    if (argc < 2) { shell_errorf(sh, "let: expression expected"); return 1; }
    int64_t v = 0;
    for (int i = 1; i < argc; i++)
        if (arith_eval_prefixed(sh, argv[i], &v, "let: ")) return 1;
    return v ? 0 : 1;
}

/* ---------- type / command ---------- */

static const char *const keywords[] = {"if", "then", "else", "elif", "fi", "case", "esac", "for", "select",
                                       "while", "until", "do", "done", "in", "function", "time", "{", "}",
                                       "!", "[[", "]]", "coproc", NULL};

static bool is_keyword(const char *w) {
    for (int i = 0; keywords[i]; i++)
        if (!strcmp(keywords[i], w)) return true;
    return false;
}

/* Describes a name; returns false if unknown. mode: 'v' (command -v), 'V', 't' (type -t), 'T' (type) */
static bool describe(Shell *sh, const char *name, int mode, bool all) {
    bool found = false;
    const char *al = alias_get(sh, name);
    if (al && sh->opt.expand_aliases) {
        found = true;
        if (mode == 't') sh_puts(sh, 1, "alias\n");
        else if (mode == 'v') { StrBuf b; sb_init(&b); sb_printf(&b, "alias %s=", name); quote_single(&b, al, locale_utf8(sh)); sb_putc(&b, '\n'); sh_write(sh, 1, b.s, b.len); sb_free(&b); }
        else sh_printf(sh, 1, "%s is aliased to `%s'\n", name, al);
        if (!all) return true;
    }
    if (is_keyword(name)) {
        found = true;
        if (mode == 't') sh_puts(sh, 1, "keyword\n");
        else if (mode == 'v') sh_printf(sh, 1, "%s\n", name);
        else sh_printf(sh, 1, "%s is a shell keyword\n", name);
        if (!all) return true;
    }
    if (mode == 'p') {
        bool sp;
        if (is_keyword(name) || func_get(sh, name) || builtin_lookup(name, &sp)) return true;
        if (sh_util_lookup(sh, name, NULL)) { sh_printf(sh, 1, "/usr/bin/%s\n", name); return true; }
        return false;
    }
    FuncDef *f = func_get(sh, name);
    if (f) {
        found = true;
        if (mode == 't') sh_puts(sh, 1, "function\n");
        else if (mode == 'v') sh_printf(sh, 1, "%s\n", name);
        else {
            sh_printf(sh, 1, "%s is a function\n", name);
            StrBuf b; sb_init(&b);
            ast_print_function(&b, name, f->body);
            sh_write(sh, 1, b.s, b.len);
            sb_free(&b);
        }
        if (!all) return true;
    }
    bool special, disabled = false;
    for (size_t d = 0; d < sh->disabled.n; d++) disabled = disabled || !strcmp(sh->disabled.v[d], name);
    if (!disabled && builtin_lookup(name, &special)) {
        found = true;
        if (mode == 't') sh_puts(sh, 1, "builtin\n");
        else if (mode == 'v') sh_printf(sh, 1, "%s\n", name);
        else sh_printf(sh, 1, "%s is a shell builtin\n", name);
        if (!all) return true;
    }
    if (sh_util_lookup(sh, name, NULL)) {
        found = true;
        /* utilities present as if installed in /usr/bin */
        if (mode == 't') sh_puts(sh, 1, "file\n");
        else if (mode == 'v') sh_printf(sh, 1, "/usr/bin/%s\n", name);
        else sh_printf(sh, 1, "%s is /usr/bin/%s\n", name, name);
        return true;
    }
    if (strchr(name, '/') && access(name, X_OK) == 0) {
        found = true;
        if (mode == 't') sh_puts(sh, 1, "file\n");
        else if (mode == 'v') sh_printf(sh, 1, "%s\n", name);
        else sh_printf(sh, 1, "%s is %s\n", name, name);
    }
    return found;
}

static int bi_type(Shell *sh, int argc, char **argv) {
    int mode = 'T';
    bool all = false;
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        for (const char *c = argv[i] + 1; *c; c++) {
            if (*c == 't') mode = 't';
            else if (*c == 'p' || *c == 'P') mode = 'p';
            else if (*c == 'a') all = true;
            else if (*c == 'f') {}
        }
    }
    int st = 0;
    for (; i < argc; i++) {
        if (!describe(sh, argv[i], mode, all)) {
            if (mode != 't' && mode != 'v' && mode != 'p') shell_errorf(sh, "type: %s: not found", argv[i]);
            st = 1;
        }
    }
    return st;
}

static int bi_command(Shell *sh, int argc, char **argv) {
    int i = 1, mode = 0;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (!strcmp(argv[i], "--")) { i++; break; }
        for (const char *c = argv[i] + 1; *c; c++) {
            if (*c == 'v') mode = 'v';
            else if (*c == 'V') mode = 'V';
            else if (*c == 'p') {}
            else { shell_errorf(sh, "command: -%c: invalid option", *c); return 2; }
        }
    }
    if (i >= argc) return 0;
    if (mode) {
        int st = 0;
        for (; i < argc; i++)
            if (!describe(sh, argv[i], mode == 'v' ? 'v' : 'T', false)) {
                if (mode == 'V') shell_errorf(sh, "command: %s: not found", argv[i]);
                st = 1;
            }
        return st;
    }
    /* skip functions */
    bool special;
    BuiltinFn b = builtin_lookup(argv[i], &special);
    if (b) return b(sh, argc - i, argv + i);
    if (sh_util_lookup(sh, argv[i], NULL)) return utility_run(sh, argv[i], argc - i, argv + i);
    return exec_argv(sh, argv + i, argc - i);
}

static int bi_builtin(Shell *sh, int argc, char **argv) {
    if (argc < 2) return 0;
    bool special;
    BuiltinFn b = builtin_lookup(argv[1], &special);
    if (!b) {
        shell_errorf(sh, "builtin: %s: not a shell builtin", argv[1]);
        return 1;
    }
    return b(sh, argc - 1, argv + 1);
}

/* ---------- alias ---------- */

static int bi_alias(Shell *sh, int argc, char **argv) {
    int i = 1;
    if (i < argc && !strcmp(argv[i], "-p")) i++;
    if (i >= argc) {
        for (Alias *a = sh->aliases; a; a = a->next) {
            StrBuf b; sb_init(&b);
            sb_printf(&b, "alias %s=", a->name);
            quote_single(&b, a->value, locale_utf8(sh));
            sb_putc(&b, '\n');
            sh_write(sh, 1, b.s, b.len);
            sb_free(&b);
        }
        return 0;
    }
    int st = 0;
    for (; i < argc; i++) {
        const char *eq = strchr(argv[i], '=');
        if (eq) {
            char *name = xstrndup(argv[i], (size_t)(eq - argv[i]));
            alias_set(sh, name, eq + 1);
            free(name);
        } else {
            const char *v = alias_get(sh, argv[i]);
            if (!v) { shell_errorf(sh, "alias: %s: not found", argv[i]); st = 1; continue; }
            StrBuf b; sb_init(&b);
            sb_printf(&b, "alias %s=", argv[i]);
            quote_single(&b, v, locale_utf8(sh));
            sb_putc(&b, '\n');
            sh_write(sh, 1, b.s, b.len);
            sb_free(&b);
        }
    }
    return st;
}

static int bi_unalias(Shell *sh, int argc, char **argv) {
    int st = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-a")) { while (sh->aliases) alias_unset(sh, sh->aliases->name); continue; }
        if (!alias_unset(sh, argv[i])) { shell_errorf(sh, "unalias: %s: not found", argv[i]); st = 1; }
    }
    return st;
}

/* ---------- trap ---------- */

static const char *const sig_names[] = {"EXIT", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL",
                                        "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT",
                                        "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF",
                                        "WINCH", "IO", "PWR", "SYS", NULL};

static int signal_index(const char *s) {
    if (isdigit((unsigned char)s[0])) {
        int n = atoi(s);
        return n >= 0 && n < 65 ? n : -1;
    }
    const char *n = s;
    if (!strncasecmp(n, "SIG", 3)) n += 3;
    if (!strcasecmp(n, "ERR")) return 65;
    if (!strcasecmp(n, "DEBUG")) return 66;
    if (!strcasecmp(n, "RETURN")) return 67;
    for (int i = 0; sig_names[i]; i++)
        if (!strcasecmp(sig_names[i], n)) return i;
    return -1;
}

static const char *signal_name(int i, char *buf) {
    if (i == 65) return "ERR";
    if (i == 66) return "DEBUG";
    if (i == 67) return "RETURN";
    if (i == 0) return "EXIT";
    if (i < 32) { snprintf(buf, 16, "SIG%s", sig_names[i]); return buf; }
    snprintf(buf, 16, "%d", i);
    return buf;
}

static int bi_trap(Shell *sh, int argc, char **argv) {
    int i = 1;
    bool list = false;
    if (i < argc && !strcmp(argv[i], "-l")) {
        for (int k = 1; k < 32; k++) sh_printf(sh, 1, "%2d) SIG%s%s", k, sig_names[k], k % 5 == 0 ? "\n" : "\t");
        sh_puts(sh, 1, "\n");
        return 0;
    }
    if (i < argc && !strcmp(argv[i], "-p")) { list = true; i++; }
    if (i < argc && !strcmp(argv[i], "--")) i++;
    if (i >= argc || list) {
        for (int k = 0; k < 70; k++) {
            if (!sh->traps[k]) continue;
            if (list && i < argc) {
                bool want = false;
                for (int j = i; j < argc; j++) if (signal_index(argv[j]) == k) want = true;
                if (!want) continue;
            }
            char buf[16];
            StrBuf b; sb_init(&b);
            sb_puts(&b, "trap -- ");
            quote_single(&b, sh->traps[k], locale_utf8(sh));
            sb_printf(&b, " %s\n", signal_name(k, buf));
            sh_write(sh, 1, b.s, b.len);
            sb_free(&b);
        }
        return 0;
    }
    const char *action = argv[i];
    int first = i + 1;
    bool reset = false;
    if (argc - i == 1 || (signal_index(action) >= 0 && isdigit((unsigned char)action[0]) && 0)) {
        reset = true;
        first = i;
    }
    if (!strcmp(action, "-")) reset = true;
    int st = 0;
    for (int k = first; k < argc; k++) {
        int idx = signal_index(argv[k]);
        if (idx < 0) {
            shell_errorf(sh, "trap: %s: invalid signal specification", argv[k]);
            st = 1;
            continue;
        }
        free(sh->traps[idx]);
        sh->traps[idx] = reset ? NULL : xstrdup(action);
    }
    return st;
}

/* ---------- jobs-ish ---------- */

/* wait -n: the first job that has ended, else the running one that ends first. */
static Job *next_job_to_end(Shell *sh) {
    Job *best = NULL;
    for (int k = 0; k < sh->njobs; k++) {
        Job *j = &sh->jobs[k];
        if (j->waited) continue;
        if (!job_running(sh, j)) return j;
        if (!best || j->ends_at_ms < best->ends_at_ms) best = j;
    }
    return best;
}

static int bi_wait(Shell *sh, int argc, char **argv) {
    int st = 0;
    if (argc < 2) {
        /* every job; then they are forgotten (wait PID: "not a child") */
        for (int k = 0; k < sh->njobs; k++) {
            job_wait(sh, &sh->jobs[k]);
            if (sh->unwind != UW_NONE) return SHELL_STATUS_BUDGET;
        }
        sh->njobs = 0;
        return 0;
    }
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-n")) {
            Job *j = next_job_to_end(sh);
            if (!j) return 127;
            st = job_wait(sh, j);
            j->waited = true;
            return st;
        }
        if (!strcmp(argv[i], "-f")) continue;
        Job *j = job_lookup(sh, argv[i]);
        if (j) {
            st = job_wait(sh, j);
            j->waited = true; /* out of the table; wait PID again still gives st */
        }
        if (sh->unwind != UW_NONE) return st;
        if (!j) {
            if (argv[i][0] == '%') shell_errorf(sh, "wait: %s: no such job", argv[i]);
            else shell_errorf(sh, "wait: pid %s is not a child of this shell", argv[i]);
            st = 127;
        }
    }
    return st;
}

/* kill -l [SIG|STATUS] */
static int kill_list(Shell *sh, int argc, char **argv) {
    if (argc > 2 && !(argv[2][0] >= '0' && argv[2][0] <= '9')) {
        int k = signal_index(argv[2]);
        if (k <= 0 || k >= 65) { shell_errorf(sh, "kill: %s: invalid signal specification", argv[2]); return 1; }
        sh_printf(sh, 1, "%d\n", k);
        return 0;
    }
    if (argc > 2) {
        int n = atoi(argv[2]);
        if (n > 128) n -= 128;
        if (n > 0 && n < 32) sh_printf(sh, 1, "%s\n", sig_names[n]);
        return 0;
    }
    for (int k = 1; k < 32; k++) sh_printf(sh, 1, "%2d) SIG%s%s", k, sig_names[k], k % 5 == 0 ? "\n" : "\t");
    sh_puts(sh, 1, "\n");
    return 0;
}

static int bi_kill(Shell *sh, int argc, char **argv) {
    if (argc < 2) {
        sh_puts(sh, 2, "kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n");
        return 2;
    }
    if (!strcmp(argv[1], "-l")) return kill_list(sh, argc, argv);
    int sig = 15;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] == '-' && a[1]) {
            const char *sn = a + 1;
            if (!strcmp(a, "-s") || !strcmp(a, "-n")) { if (i + 1 < argc) sn = argv[++i]; else break; }
            int k = signal_index(sn);
            if (k < 0 || k >= 65) { shell_errorf(sh, "kill: %s: invalid signal specification", sn); return 1; }
            sig = k;
            continue;
        }
        Job *j = job_lookup(sh, a);
        if (j && job_running(sh, j)) {
            /* a `sleep N &` job: ended by any signal it does not ignore */
            if (sig != 0 && sig != 17 && sig != 23 && sig != 28) {
                j->status = 128 + sig;
                j->ends_at_ms = 0;
            }
            continue;
        }
        if (j || a[0] == '%') {
            /* every other job has already finished */
            if (a[0] == '%') shell_errorf(sh, "kill: %s: no such job", a);
            else shell_errorf(sh, "kill: (%s) - No such process", a);
            return 1;
        }
        if (atoi(a) == sh->pid || atoi(a) == sh->bashpid) {
            if (sig == 0) return 0;
            if (sh->traps[sig]) { run_trap(sh, sig); return 0; }
            if (sig == 28 || sig == 17 || sig == 23) return 0; /* ignored by default */
            shell_flush(sh);
            sh->unwind = UW_EXIT;
            sh->exit_status = 128 + sig;
            return 0;
        }
        shell_errorf(sh, "kill: (%s) - No such process", a);
        return 1;
    }
    return 0;
}

static int bi_noninteractive(Shell *sh, int argc, char **argv) {
    (void)argc;
    const char *n = argv[0];
    if (!strcmp(n, "disown") && argc < 2 && sh->njobs == 0) { shell_errorf(sh, "disown: current: no such job"); return 1; }
    if (!strcmp(n, "jobs") || !strcmp(n, "disown") || !strcmp(n, "history") || !strcmp(n, "bind")) return 0;
    if (!strcmp(n, "fg") || !strcmp(n, "bg")) { shell_errorf(sh, "%s: no job control", n); return 1; }
    if (!strcmp(n, "fc")) { shell_errorf(sh, "fc: history specification out of range"); return 1; }
    if (!strcmp(n, "suspend")) { shell_errorf(sh, "suspend: cannot suspend a login shell"); return 1; }
    if (!strcmp(n, "logout")) { shell_errorf(sh, "logout: not login shell: use `exit'"); return 1; }
    return 0;
}

static int bi_umask(Shell *sh, int argc, char **argv) {
    int i = 1;
    bool sym = false, print = false;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (!strcmp(argv[i], "-S")) sym = true;
        else if (!strcmp(argv[i], "-p")) print = true;
        else break;
    }
    int m = sh->umask_value;
    if (i >= argc) {
        if (sym) {
            const char *w = "ugo";
            StrBuf b; sb_init(&b);
            for (int k = 0; k < 3; k++) {
                int bits = (~m >> (6 - 3 * k)) & 7;
                sb_printf(&b, "%s%c=%s%s%s", k ? "," : "", w[k], bits & 4 ? "r" : "", bits & 2 ? "w" : "", bits & 1 ? "x" : "");
            }
            sb_putc(&b, '\n');
            sh_write(sh, 1, b.s, b.len);
            sb_free(&b);
        } else sh_printf(sh, 1, print ? "umask %04o\n" : "%04o\n", m);
        return 0;
    }
    const char *a = argv[i];
    if (a[0] >= '0' && a[0] <= '9') {
        char *end;
        long v = strtol(a, &end, 8);
        if (*end || v < 0 || v > 0777) { shell_errorf(sh, "umask: %s: octal number out of range", a); return 1; }
        m = (int)v;
    } else {
        /* symbolic: operate on the permissions the mask allows */
        int perm = ~m & 0777;
        const char *p = a;
        while (*p) {
            int who = 0;
            for (; *p && strchr("ugoa", *p); p++)
                who |= *p == 'u' ? 0700 : *p == 'g' ? 0070 : *p == 'o' ? 0007 : 0777;
            if (!who) who = 0777;
            if (!*p || !strchr("=+-", *p)) { shell_errorf(sh, "umask: `%c': invalid symbolic mode operator", *p ? *p : ' '); return 1; }
            char op = *p++;
            int bits = 0;
            for (; *p && strchr("rwx", *p); p++) bits |= *p == 'r' ? 0444 : *p == 'w' ? 0222 : 0111;
            bits &= who;
            if (op == '=') perm = (perm & ~who) | bits;
            else if (op == '+') perm |= bits;
            else perm &= ~bits;
            if (*p == ',') p++;
            else if (*p) { shell_errorf(sh, "umask: `%c': invalid symbolic mode character", *p); return 1; }
        }
        m = ~perm & 0777;
    }
    sh->umask_value = m;
    sh_apply_umask(m);
    return 0;
}

/* The hash table records utilities as if found in /usr/bin. Entries are
 * triples in hash_names: name, path, hit count. */
void hash_note(Shell *sh, const char *name) {
    for (size_t i = 0; i + 2 < sh->hash_names.n + 1 && i < sh->hash_names.n; i += 3)
        if (!strcmp(sh->hash_names.v[i], name)) {
            char buf[16];
            snprintf(buf, sizeof buf, "%d", atoi(sh->hash_names.v[i + 2]) + 1);
            free(sh->hash_names.v[i + 2]);
            sh->hash_names.v[i + 2] = xstrdup(buf);
            return;
        }
    sl_push_copy(&sh->hash_names, name);
    StrBuf p; sb_init(&p);
    sb_printf(&p, "/usr/bin/%s", name);
    sl_push(&sh->hash_names, sb_take(&p));
    sl_push_copy(&sh->hash_names, "1");
}

static long hash_find(Shell *sh, const char *name) {
    for (size_t i = 0; i < sh->hash_names.n; i += 3)
        if (!strcmp(sh->hash_names.v[i], name)) return (long)i;
    return -1;
}

static int bi_hash(Shell *sh, int argc, char **argv) {
    int i = 1;
    char mode = 0;
    const char *path = NULL;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        const char *o = argv[i] + 1;
        if (*o == 'r') { sl_clear(&sh->hash_names); if (i + 1 >= argc) return 0; continue; }
        if (*o == 'p' && i + 1 < argc) { path = argv[++i]; continue; }
        if (*o == 'd' || *o == 't' || *o == 'l') { mode = *o; continue; }
    }
    if (i >= argc) {
        if (!sh->hash_names.n) { sh_printf(sh, 1, "hash: hash table empty\n"); return 0; }
        sh_puts(sh, 1, "hits\tcommand\n");
        for (size_t k = 0; k < sh->hash_names.n; k += 3)
            sh_printf(sh, 1, "%4s\t%s\n", sh->hash_names.v[k + 2], sh->hash_names.v[k + 1]);
        return 0;
    }
    int st = 0;
    for (; i < argc; i++) {
        long k = hash_find(sh, argv[i]);
        if (path) {
            if (k < 0) { hash_note(sh, argv[i]); k = hash_find(sh, argv[i]); }
            free(sh->hash_names.v[k + 1]);
            sh->hash_names.v[k + 1] = xstrdup(path);
            free(sh->hash_names.v[k + 2]);
            sh->hash_names.v[k + 2] = xstrdup("0");
            continue;
        }
        if (mode == 'd') {
            if (k < 0) { shell_errorf(sh, "hash: %s: not found", argv[i]); st = 1; continue; }
            for (int j = 0; j < 3; j++) free(sh->hash_names.v[k + j]);
            memmove(sh->hash_names.v + k, sh->hash_names.v + k + 3, (sh->hash_names.n - (size_t)k - 3 + 1) * sizeof(char *));
            sh->hash_names.n -= 3;
            continue;
        }
        if (mode == 't') {
            if (k < 0) { shell_errorf(sh, "hash: %s: not found", argv[i]); st = 1; continue; }
            sh_printf(sh, 1, "%s\n", sh->hash_names.v[k + 1]);
            continue;
        }
        bool special;
        if (builtin_lookup(argv[i], &special) || func_get(sh, argv[i])) continue;
        if (!sh_util_lookup(sh, argv[i], NULL)) { shell_errorf(sh, "hash: %s: not found", argv[i]); st = 1; continue; }
        if (k < 0) { hash_note(sh, argv[i]); k = hash_find(sh, argv[i]); free(sh->hash_names.v[k + 2]); sh->hash_names.v[k + 2] = xstrdup("0"); }
    }
    return st;
}

static int bi_caller(Shell *sh, int argc, char **argv) {
    int k = argc > 1 ? atoi(argv[1]) : 0;
    int idx = sh->nframes - 1 - k;
    if (idx < 0) return 1;
    CallFrame *f = &sh->frames[idx];
    const char *outer = idx > 0 ? sh->frames[idx - 1].funcname : (sh->source_is_c_top ? NULL : "main");
    const char *src = idx > 0 ? sh->frames[idx - 1].source : (sh->source_is_c_top ? NULL : (sh->script_name ? sh->script_name : "main"));
    if (argc > 1) {
        if (!outer) return 1;
        sh_printf(sh, 1, "%d %s %s\n", f->call_line, outer, src ? src : "main");
    } else {
        sh_printf(sh, 1, "%d %s\n", f->call_line, src ? src : "NULL");
    }
    return 0;
}

/* exec CMD: runs CMD and ends the shell with its status (execfail keeps the
 * shell when CMD is not found); -a NAME gives CMD that argv[0]. */
static int bi_exec(Shell *sh, int argc, char **argv) {
    int i = 1;
    const char *aname = NULL;
    while (i < argc && argv[i][0] == '-' && argv[i][1]) {
        if (!strcmp(argv[i], "--")) { i++; break; }
        if (!strcmp(argv[i], "-a") && i + 1 < argc) { aname = argv[i + 1]; i += 2; continue; }
        i++;
    }
    if (i >= argc) return 0;
    const char *name = argv[i];
    bool special;
    BuiltinFn b = builtin_lookup(name, &special);
    FuncDef *f = func_get(sh, name);
    bool known = b || f || sh_util_lookup(sh, name, NULL) || strchr(name, '/');
    if (!known) {
        shell_errorf(sh, "exec: %s: not found", name);
        if (!sh->opt.execfail) { sh->unwind = UW_EXIT; sh->exit_status = 127; }
        return 127;
    }
    char **av = argv + i;
    const char *saved = av[0];
    if (aname) av[0] = (char *)aname;
    int st;
    if (b) st = b(sh, argc - i, av);
    else if (f) st = exec_function(sh, f, av, argc - i);
    else if (sh_util_lookup(sh, name, NULL)) st = utility_run(sh, name, argc - i, av);
    else { av[0] = (char *)saved; st = exec_argv(sh, av, argc - i); }
    av[0] = (char *)saved;
    sh->unwind = UW_EXIT;
    sh->exit_status = st;
    return st;
}

static int bi_times(Shell *sh, int argc, char **argv) {
    (void)argc; (void)argv;
    sh_puts(sh, 1, "0m0.000s 0m0.000s\n0m0.000s 0m0.000s\n");
    return 0;
}

static int bi_ulimit(Shell *sh, int argc, char **argv) {
    (void)argc; (void)argv;
    sh_puts(sh, 1, "unlimited\n");
    return 0;
}

static int bi_enable(Shell *sh, int argc, char **argv) {
    int i = 1;
    bool off = false, print = false, all = false;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        for (const char *c = argv[i] + 1; *c; c++) {
            if (*c == 'n') off = true;
            else if (*c == 'p') print = true;
            else if (*c == 'a') all = true;
        }
    }
    if (i >= argc) {
        StrList names;
        sl_init(&names);
        builtin_names(&names);
        for (size_t k = 0; k < names.n; k++) {
            bool dis = false;
            for (size_t d = 0; d < sh->disabled.n; d++) dis = dis || !strcmp(sh->disabled.v[d], names.v[k]);
            if (dis != off && !all) continue;
            sh_printf(sh, 1, "enable %s%s\n", dis ? "-n " : "", names.v[k]);
        }
        sl_free(&names);
        (void)print;
        return 0;
    }
    int st = 0;
    for (; i < argc; i++) {
        if (!builtin_exists(argv[i])) {
            shell_errorf(sh, "enable: %s: not a shell builtin", argv[i]);
            st = 1;
            continue;
        }
        for (size_t d = 0; d < sh->disabled.n; d++)
            if (!strcmp(sh->disabled.v[d], argv[i])) {
                free(sh->disabled.v[d]);
                sh->disabled.v[d] = sh->disabled.v[--sh->disabled.n];
                sh->disabled.v[sh->disabled.n] = NULL;
                break;
            }
        if (off) sl_push_copy(&sh->disabled, argv[i]);
    }
    return st;
}

static int bi_help(Shell *sh, int argc, char **argv) {
    (void)argc; (void)argv;
    sh_puts(sh, 1, "wasmsh, a bash-compatible shell. Builtins:\n");
    StrList names;
    sl_init(&names);
    builtin_names(&names);
    for (size_t i = 0; i < names.n; i++) sh_printf(sh, 1, " %s\n", names.v[i]);
    sl_free(&names);
    return 0;
}

static int bi_getopts(Shell *sh, int argc, char **argv) {
    if (argc < 3) { sh_puts(sh, 2, "getopts: usage: getopts optstring name [arg ...]\n"); return 2; }
    const char *spec = argv[1], *name = argv[2];
    char **args = sh->pos;
    int nargs = sh->npos;
    if (argc > 3) { args = argv + 3; nargs = argc - 3; }
    bool silent = spec[0] == ':';
    const char *oi = var_get(sh, "OPTIND");
    int optind = oi ? atoi(oi) : 1;
    if (optind < 1) optind = 1;
    if (optind == 1 && sh->getopts_sp > 1 && 0) sh->getopts_sp = 1;
    if (sh->getopts_sp < 1) sh->getopts_sp = 1;
    char buf[32];
    snprintf(buf, sizeof buf, "%d", optind);
    if (optind > nargs) { var_set(sh, name, "?"); var_set(sh, "OPTIND", buf); return 1; }
    const char *arg = args[optind - 1];
    if (sh->getopts_sp == 1) {
        if (arg[0] != '-' || !arg[1]) { var_set(sh, name, "?"); var_set(sh, "OPTIND", buf); return 1; }
        if (!strcmp(arg, "--")) {
            snprintf(buf, sizeof buf, "%d", optind + 1);
            var_set(sh, "OPTIND", buf);
            var_set(sh, name, "?");
            return 1;
        }
    }
    char c = arg[sh->getopts_sp];
    const char *p = strchr(spec + silent, c);
    bool last = !arg[sh->getopts_sp + 1];
    char opt[2] = {c, 0};
    var_unset(sh, "OPTARG");
    if (!p || c == ':') {
        if (silent) { var_set(sh, "OPTARG", opt); }
        else if (!var_get(sh, "OPTERR") || strcmp(var_get(sh, "OPTERR"), "0")) sh_printf(sh, 2, "%s: illegal option -- %c\n", sh->name, c);
        var_set(sh, name, "?");
    } else if (p[1] == ':') {
        if (!last) {
            var_set(sh, "OPTARG", arg + sh->getopts_sp + 1);
        } else if (optind < nargs) {
            var_set(sh, "OPTARG", args[optind]);
            optind++;
        } else {
            if (silent) { var_set(sh, name, ":"); var_set(sh, "OPTARG", opt); }
            else {
                if (!var_get(sh, "OPTERR") || strcmp(var_get(sh, "OPTERR"), "0")) sh_printf(sh, 2, "%s: option requires an argument -- %c\n", sh->name, c);
                var_set(sh, name, "?");
            }
            sh->getopts_sp = 1;
            snprintf(buf, sizeof buf, "%d", optind + 1);
            var_set(sh, "OPTIND", buf);
            return 0;
        }
        last = true;
        var_set(sh, name, opt);
    } else {
        var_set(sh, name, opt);
    }
    if (last) { sh->getopts_sp = 1; optind++; }
    else sh->getopts_sp++;
    snprintf(buf, sizeof buf, "%d", optind);
    var_set(sh, "OPTIND", buf);
    return 0;
}

/* The directory stack as bash shows it: entry 0 is the cwd, then the pushed
 * directories, most recent first (kept in sh->dirstack with the most recent last). */
static void dirs_list(Shell *sh, StrList *l) {
    sl_push_copy(l, sh->cwd);
    for (size_t i = sh->dirstack.n; i-- > 0;) sl_push_copy(l, sh->dirstack.v[i]);
}

static void dirs_store(Shell *sh, StrList *l) {
    sl_clear(&sh->dirstack);
    for (size_t i = l->n; i-- > 1;) sl_push_copy(&sh->dirstack, l->v[i]);
}

static int dirs_cd(Shell *sh, const char *dir) {
    char *cdargv[] = {"cd", (char *)dir, NULL};
    return bi_cd(sh, 2, cdargv);
}

static void dirs_print(Shell *sh, bool verbose, bool longform, bool lines) {
    StrList l;
    sl_init(&l);
    dirs_list(sh, &l);
    const char *home = var_get(sh, "HOME");
    size_t hl = home ? strlen(home) : 0;
    StrBuf b;
    sb_init(&b);
    for (size_t i = 0; i < l.n; i++) {
        const char *d = l.v[i];
        if (verbose) sb_printf(&b, "%2zu  ", i);
        else if (i && !lines) sb_putc(&b, ' ');
        if (!longform && hl && !strncmp(d, home, hl) && (d[hl] == '/' || !d[hl])) { sb_putc(&b, '~'); sb_puts(&b, d + hl); }
        else sb_puts(&b, d);
        if (verbose || lines) sb_putc(&b, '\n');
    }
    if (!verbose && !lines) sb_putc(&b, '\n');
    sh_write(sh, 1, b.s, b.len);
    sb_free(&b);
    sl_free(&l);
}

static bool dirs_index(const char *a, size_t n, size_t *out) {
    if ((a[0] != '+' && a[0] != '-') || !isdigit((unsigned char)a[1])) return false;
    long k = atol(a + 1);
    if ((size_t)k >= n) return false;
    *out = a[0] == '+' ? (size_t)k : n - 1 - (size_t)k;
    return true;
}

static int bi_dirs(Shell *sh, int argc, char **argv) {
    const char *n = argv[0];
    StrList l;
    sl_init(&l);
    dirs_list(sh, &l);
    int st = 0;
    bool quiet = false;
    int i = 1;
    if (i < argc && !strcmp(argv[i], "-n")) { quiet = true; i++; }
    if (!strcmp(n, "pushd")) {
        size_t k;
        if (i >= argc) {
            if (l.n < 2) { shell_errorf(sh, "pushd: no other directory"); sl_free(&l); return 1; }
            char *t = l.v[0]; l.v[0] = l.v[1]; l.v[1] = t;
            if (!quiet && dirs_cd(sh, l.v[0])) { sl_free(&l); return 1; }
        } else if (dirs_index(argv[i], l.n, &k)) {
            StrList r;
            sl_init(&r);
            for (size_t j = 0; j < l.n; j++) sl_push_copy(&r, l.v[(k + j) % l.n]);
            sl_free(&l);
            l = r;
            if (!quiet && dirs_cd(sh, l.v[0])) { sl_free(&l); return 1; }
        } else {
            if (dirs_cd(sh, argv[i])) { sl_free(&l); return 1; }
            StrList r;
            sl_init(&r);
            sl_push_copy(&r, sh->cwd);
            for (size_t j = 0; j < l.n; j++) sl_push_copy(&r, l.v[j]);
            sl_free(&l);
            l = r;
        }
        free(l.v[0]);
        l.v[0] = xstrdup(sh->cwd);
        dirs_store(sh, &l);
        sl_free(&l);
        dirs_print(sh, false, false, false);
        return 0;
    }
    if (!strcmp(n, "popd")) {
        size_t k = 0;
        if (l.n < 2) { shell_errorf(sh, "popd: directory stack empty"); sl_free(&l); return 1; }
        if (i < argc && !dirs_index(argv[i], l.n, &k)) {
            shell_errorf(sh, "popd: %s: invalid argument", argv[i]);
            sl_free(&l);
            return 1;
        }
        free(l.v[k]);
        memmove(l.v + k, l.v + k + 1, (l.n - k) * sizeof *l.v);
        l.n--;
        if (k == 0 && !quiet && dirs_cd(sh, l.v[0])) { sl_free(&l); return 1; }
        dirs_store(sh, &l);
        sl_free(&l);
        dirs_print(sh, false, false, false);
        return 0;
    }
    bool verbose = false, longform = false, lines = false;
    for (; i < argc; i++) {
        size_t k;
        if (dirs_index(argv[i], l.n, &k)) {
            bool lf = false;
            for (int j = 1; j < argc; j++) lf = lf || !strcmp(argv[j], "-l");
            const char *home = var_get(sh, "HOME");
            size_t hl = home ? strlen(home) : 0;
            const char *d = l.v[k];
            if (!lf && hl && !strncmp(d, home, hl) && (d[hl] == '/' || !d[hl])) sh_printf(sh, 1, "~%s\n", d + hl);
            else sh_printf(sh, 1, "%s\n", d);
            sl_free(&l);
            return 0;
        }
        if (!strcmp(argv[i], "-c")) { sl_clear(&sh->dirstack); sl_free(&l); return 0; }
        for (const char *c = argv[i] + 1; argv[i][0] == '-' && *c; c++) {
            if (*c == 'v') verbose = lines = true;
            else if (*c == 'l') longform = true;
            else if (*c == 'p') lines = true;
        }
    }
    dirs_print(sh, verbose, longform, lines);
    sl_free(&l);
    return st;
}

static int bi_compgen(Shell *sh, int argc, char **argv) {
    StrList cand;
    sl_init(&cand);
    int want_files = 0;
    const char *prefix = "";
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-W") && i + 1 < argc) {
            StrList l;
            sl_init(&l);
            const char *w = argv[++i];
            expand_words(sh, &w, 1, &l);
            /* split the expansion on IFS */
            for (size_t k = 0; k < l.n; k++) {
                char *copy = xstrdup(l.v[k]);
                for (char *t = strtok(copy, " \t\n"); t; t = strtok(NULL, " \t\n")) sl_push_copy(&cand, t);
                free(copy);
            }
            sl_free(&l);
        } else if (!strcmp(argv[i], "-A") && i + 1 < argc && strcmp(argv[i + 1], "export") && strcmp(argv[i + 1], "arrayvar")) {
            const char *what = argv[++i];
            if (!strcmp(what, "variable")) {
                Var **all; size_t n;
                vars_all(sh, &all, &n);
                for (size_t k = 0; k < n; k++) sl_push_copy(&cand, all[k]->name);
                free(all);
            } else if (!strcmp(what, "function")) {
                FuncDef **all; size_t n;
                funcs_all(sh, &all, &n);
                for (size_t k = 0; k < n; k++) sl_push_copy(&cand, all[k]->name);
                free(all);
            } else if (!strcmp(what, "builtin")) builtin_names(&cand);
        } else if (!strcmp(argv[i], "-f") || !strcmp(argv[i], "-d")) {
            bool dirs = argv[i][1] == 'd';
            want_files = dirs ? 2 : 1;
        } else if (!strcmp(argv[i], "-k")) {
            static const char *const kw[] = {"if", "then", "else", "elif", "fi", "case", "esac", "for", "select", "while",
                                             "until", "do", "done", "in", "function", "time", "{", "}", "!", "[[", "]]", "coproc", NULL};
            for (int k = 0; kw[k]; k++) sl_push_copy(&cand, kw[k]);
        } else if (!strcmp(argv[i], "-a")) {
            for (Alias *al = sh->aliases; al; al = al->next) sl_push_copy(&cand, al->name);
        } else if (!strcmp(argv[i], "-A") && i + 1 < argc && (!strcmp(argv[i + 1], "export") || !strcmp(argv[i + 1], "arrayvar"))) {
            bool exp = !strcmp(argv[++i], "export");
            Var **all; size_t n;
            vars_all(sh, &all, &n);
            for (size_t k = 0; k < n; k++)
                if (exp ? (all[k]->flags & V_EXPORT) != 0 : (all[k]->flags & (V_ARRAY | V_ASSOC)) != 0) sl_push_copy(&cand, all[k]->name);
            free(all);
        } else if (!strcmp(argv[i], "-v")) {
            Var **all; size_t n;
            vars_all(sh, &all, &n);
            for (size_t k = 0; k < n; k++) sl_push_copy(&cand, all[k]->name);
            free(all);
        } else if (!strcmp(argv[i], "-b")) builtin_names(&cand);
        else if (argv[i][0] != '-') prefix = argv[i];
    }
    if (want_files) {
        /* names in the directory of the prefix, as bash lists them (directory order) */
        const char *slash = strrchr(prefix, '/');
        char *dir = slash ? xstrndup(prefix, (size_t)(slash - prefix) + 1) : xstrdup("");
        DIR *d = opendir(dir[0] ? dir : ".");
        if (d) {
            struct dirent *de;
            while ((de = readdir(d)) != NULL) {
                if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
                StrBuf full;
                sb_init(&full);
                sb_puts(&full, dir);
                sb_puts(&full, de->d_name);
                struct stat fst;
                bool isdir = stat(full.s, &fst) == 0 && S_ISDIR(fst.st_mode);
                if (want_files == 2 && !isdir) { sb_free(&full); continue; }
                sl_push(&cand, sb_take(&full));
            }
            closedir(d);
        }
        free(dir);
    }
    int st = 1;
    size_t pl = strlen(prefix);
    for (size_t k = 0; k < cand.n; k++)
        if (!strncmp(cand.v[k], prefix, pl)) { sh_printf(sh, 1, "%s\n", cand.v[k]); st = 0; }
    sl_free(&cand);
    return st;
}

static int bi_bash(Shell *sh, int argc, char **argv) {
    /* bash / sh as commands: a new shell copy runs the script */
    int i = 1;
    Shell *sub = shell_new_child(sh);
    int st = 0;
    bool cmd = false, from_stdin = false, check_only = false;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (!strcmp(argv[i], "-c")) { cmd = true; continue; }
        if (!strcmp(argv[i], "--")) { i++; break; }
        if (!strcmp(argv[i], "-o") && i + 1 < argc) { shell_set_option(sub, argv[++i], true); continue; }
        for (const char *c = argv[i] + 1; *c; c++) {
            if (*c == 'c') cmd = true;
            else if (*c == 's') from_stdin = true;
            else if (*c == 'n') check_only = true;
            else if (*c == 'e') sub->opt.errexit = true;
            else if (*c == 'u') sub->opt.nounset = true;
            else if (*c == 'x') sub->opt.xtrace = true;
            else if (*c == 'v') sub->opt.verbose = true;
        }
    }
    sub->opt.noexec = check_only;
    if (from_stdin && !cmd) {
        /* bash -s ARGS: the script comes from stdin, the operands are $1... */
        for (int k = 0; k < sub->npos; k++) free(sub->pos[k]);
        sub->npos = argc - i;
        sub->pos = xrealloc(sub->pos, (size_t)(sub->npos + 1) * sizeof *sub->pos);
        for (int k = 0; k < sub->npos; k++) sub->pos[k] = xstrdup(argv[i + k]);
        i = argc;
    }
    if (cmd) {
        if (i >= argc) { shell_errorf(sh, "-c: option requires an argument"); shell_clone_free(sub, sh); return 2; }
        const char *script = argv[i++];
        free(sub->arg0);
        sub->arg0 = xstrdup(i < argc ? argv[i++] : argv[0]);
        for (int k = 0; k < sub->npos; k++) free(sub->pos[k]);
        sub->npos = argc - i;
        sub->pos = xrealloc(sub->pos, (size_t)(sub->npos + 1) * sizeof *sub->pos);
        for (int k = 0; k < sub->npos; k++) sub->pos[k] = xstrdup(argv[i + k]);
        /* a new shell does not see non-exported state: functions stay out */
        sub->source_is_c_top = true;
        st = exec_script(sub, script, strlen(script), "-c", true);
    } else if (i < argc) {
        bool noexec = sub->opt.noexec;
        shell_clone_free(sub, sh);
        char **av = argv + i;
        /* run_script_file needs X_OK; read it directly instead, through the
         * shell's streams so that `bash <(...)` reads the substitution */
        struct stat stt;
        if (stat(av[0], &stt) == 0 && S_ISDIR(stt.st_mode)) {
            sh_printf(sh, 2, "%s: %s: Is a directory\n", av[0], av[0]); /* the new shell's $0 is the script */
            return 126;
        }
        int err = 0;
        Stream *in = open_path_stream(sh, av[0], O_RDONLY, 0, &err);
        if (!in) {
            if (err == ENOENT) {
                sh_printf(sh, 2, "%s: %s: No such file or directory\n", sh->name, av[0]);
                return 127;
            }
            shell_errorf(sh, "%s: %s", av[0], strerror(err));
            return 126;
        }
        StrBuf src; sb_init(&src);
        char buf[8192]; ssize_t r;
        while ((r = stream_read(sh, in, buf, sizeof buf)) > 0) sb_put(&src, buf, (size_t)r);
        stream_unref(sh, in);
        Shell *s2 = shell_new_child(sh);
        s2->opt.noexec = noexec;
        s2->source_is_c_top = false;
        free(s2->arg0);
        s2->arg0 = xstrdup(av[0]);
        for (int k = 0; k < s2->npos; k++) free(s2->pos[k]);
        s2->npos = argc - i - 1;
        s2->pos = xrealloc(s2->pos, (size_t)(s2->npos + 1) * sizeof *s2->pos);
        for (int k = 0; k < s2->npos; k++) s2->pos[k] = xstrdup(av[k + 1]);
        st = exec_script(s2, sb_cstr(&src), src.len, av[0], false);
        if (s2->unwind == UW_EXIT || s2->unwind == UW_ERROR) st = s2->exit_status;
        else if (s2->unwind == UW_ABORT) sh->unwind = UW_ABORT;
        s2->unwind = UW_NONE;
        shell_clone_free(s2, sh);
        sb_free(&src);
        return st;
    } else {
        /* script on stdin */
        StrBuf src; sb_init(&src);
        int c;
        while ((c = stream_getc(sh, sh->fds[0])) >= 0) sb_putc(&src, (char)c);
        sub->source_is_c_top = false;
        sub->source_is_stdin_top = true;
        st = exec_script(sub, sb_cstr(&src), src.len, "-c", true);
        sb_free(&src);
    }
    if (sub->unwind == UW_EXIT || sub->unwind == UW_ERROR) st = sub->exit_status;
    else if (sub->unwind == UW_ABORT) sh->unwind = UW_ABORT;
    sub->unwind = UW_NONE;
    shell_clone_free(sub, sh);
    return st;
}

/* ---------- the table ---------- */

typedef struct BuiltinDef { const char *name; BuiltinFn fn; bool special; } BuiltinDef;

static const BuiltinDef builtins[] = {
    {".", bi_source, true}, {":", bi_true, true}, {"[", bi_test, false}, {"alias", bi_alias, false},
    {"bash", bi_bash, false}, {"bg", bi_noninteractive, false}, {"bind", bi_noninteractive, false},
    {"break", bi_break, true}, {"builtin", bi_builtin, false}, {"caller", bi_caller, false}, {"cd", bi_cd, false},
    {"command", bi_command, false}, {"compgen", bi_compgen, false}, {"complete", bi_true, false},
    {"compopt", bi_true, false}, {"continue", bi_break, true}, {"declare", bi_declare, false},
    {"dirs", bi_dirs, false}, {"disown", bi_noninteractive, false}, {"echo", bi_echo, false},
    {"enable", bi_enable, false}, {"eval", bi_eval, true}, {"exec", bi_exec, true}, {"exit", bi_exit, true},
    {"export", bi_export, true}, {"false", bi_false, false}, {"fc", bi_noninteractive, false},
    {"fg", bi_noninteractive, false}, {"getopts", bi_getopts, false}, {"hash", bi_hash, false},
    {"help", bi_help, false}, {"history", bi_noninteractive, false}, {"jobs", bi_noninteractive, false},
    {"kill", bi_kill, false}, {"let", bi_let, false}, {"local", bi_declare, false},
    {"logout", bi_noninteractive, false}, {"mapfile", bi_mapfile, false}, {"popd", bi_dirs, false},
    {"printf", bi_printf, false}, {"pushd", bi_dirs, false}, {"pwd", bi_pwd, false}, {"read", bi_read, false},
    {"readarray", bi_mapfile, false}, {"readonly", bi_export, true}, {"return", bi_return, true},
    {"set", bi_set, true}, {"sh", bi_bash, false}, {"shift", bi_shift, true}, {"shopt", bi_shopt, false},
    {"source", bi_source, true}, {"suspend", bi_noninteractive, false}, {"test", bi_test, false},
    {"times", bi_times, true}, {"trap", bi_trap, true}, {"true", bi_true, false}, {"type", bi_type, false},
    {"typeset", bi_declare, false}, {"ulimit", bi_ulimit, false}, {"umask", bi_umask, false},
    {"unalias", bi_unalias, false}, {"unset", bi_unset, true}, {"wait", bi_wait, false},
};

BuiltinFn builtin_lookup(const char *name, bool *special) {
    size_t lo = 0, hi = sizeof builtins / sizeof *builtins;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(builtins[mid].name, name);
        if (c == 0) {
            *special = builtins[mid].special;
            return builtins[mid].fn;
        }
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    *special = false;
    return NULL;
}

bool builtin_exists(const char *name) {
    bool s;
    return builtin_lookup(name, &s) != NULL;
}

void builtin_names(StrList *out) {
    for (size_t i = 0; i < sizeof builtins / sizeof *builtins; i++) sl_push_copy(out, builtins[i].name);
}
