/* io.c - awk's input and output: record readers (RS as newline, one
 * character, "" paragraph mode or a regex, RT set), the main input over
 * ARGV (var=value operands applied when reached), getline in every form,
 * print redirections, close(), fflush() and system().
 *
 * Output is buffered as glibc buffers gawk's streams (4096-byte blocks), so
 * what reaches the shell interleaves with commands' output as gawk's does.
 * A pipe to a command (print | "cmd") collects its input and runs the
 * command when closed (close() or exit, newest pipe first, before stdout is
 * flushed); stdout is flushed when such a pipe opens, as gawk does before
 * popen. "cmd" | getline runs the command at once and reads its captured
 * output. */
#include "awkint.h"
#include "ucommon.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OBUF_BLOCK = 4096, READ_CHUNK = 65536 };

struct OutStream {
    OutStream *next;
    AwkStr *name;
    bool is_pipe;
    OBuf ob;        /* files */
    StrBuf pipe;    /* pipe: what the command will read */
};

struct InStream {
    InStream *next;
    AwkStr *name;
    bool is_cmd;
    Reader rd;
    int status;     /* command's exit status */
};

/* ---------------------------------------------------------------- output buffers */

static bool obuf_write(Awk *a, OBuf *o, const char *s, size_t n) {
    if (o->err || !n) return !o->err;
    int r = o->f ? uc_fwrite(o->f, s, n) : uc_write(a->c, o->fd, s, n);
    if (r < 0) o->err = true;
    return r >= 0;
}

bool awk_obuf_flush(Awk *a, OBuf *o) {
    if (o->b.len) {
        obuf_write(a, o, o->b.s, o->b.len);
        sb_clear(&o->b);
    }
    return !o->err;
}

void awk_obuf_put(Awk *a, OBuf *o, const char *s, size_t n) {
    if (o->unbuffered) {
        obuf_write(a, o, s, n);
        return;
    }
    while (n) {
        size_t room = OBUF_BLOCK - o->b.len;
        if (o->b.len == 0 && n >= OBUF_BLOCK) {
            size_t k = n - n % OBUF_BLOCK;
            obuf_write(a, o, s, k);
            s += k;
            n -= k;
            continue;
        }
        size_t k = n < room ? n : room;
        sb_put(&o->b, s, k);
        s += k;
        n -= k;
        if (o->b.len >= OBUF_BLOCK) awk_obuf_flush(a, o);
    }
}

/* ---------------------------------------------------------------- readers */

void awk_reader_init(Reader *r, UcFile *f) {
    memset(r, 0, sizeof *r);
    r->f = f;
    sb_init(&r->buf);
}

void awk_reader_free(Reader *r) {
    sb_free(&r->buf);
    if (r->f) uc_close(r->f);
    r->f = NULL;
}

/* Reads more data; false at EOF or on error. */
static bool reader_fill(Awk *a, Reader *r) {
    if (r->eof) return false;
    if (!r->f) return false;
    if (r->pos > 0 && r->pos >= r->buf.len / 2) {
        memmove(r->buf.s, r->buf.s + r->pos, r->buf.len - r->pos);
        r->buf.len -= r->pos;
        r->scan -= r->pos < r->scan ? r->pos : r->scan;
        r->pos = 0;
    }
    sb_reserve(&r->buf, READ_CHUNK);
    ssize_t n = uc_fread(r->f, r->buf.s + r->buf.len, READ_CHUNK);
    if (n < 0) {
        r->err = true;
        r->eof = true;
        return false;
    }
    if (n == 0) {
        r->eof = true;
        return false;
    }
    r->buf.len += (size_t)n;
    r->buf.s[r->buf.len] = 0;
    (void)a;
    return true;
}

void awk_set_rt(Awk *a, const char *s, size_t n) {
    Var *v = &a->g[G_RT];
    /* usually the same separator as the last record's: keep it */
    if (v->kind == K_SCALAR && v->v.type == V_STRNUM && v->v.str && v->v.str->len == n && (n == 0 || !memcmp(v->v.str->s, s, n)))
        return;
    awkv_free(&v->v);
    v->kind = K_SCALAR;
    v->v = awkv_strnum(n ? astr_new(s, n) : astr_ref(a->empty));
}

static int take_record(Reader *r, size_t end, size_t next, const char **rec, size_t *len) {
    *rec = r->buf.s + r->pos;
    *len = end - r->pos;
    r->pos = next;
    r->scan = next;
    return 1;
}

static int next_char_record(Awk *a, Reader *r, char ch, const char **rec, size_t *len) {
    for (;;) {
        size_t from = r->scan > r->pos ? r->scan : r->pos;
        const char *p = from < r->buf.len ? mem_find(r->buf.s + from, ch, r->buf.len - from) : NULL;
        if (p) {
            size_t e = (size_t)(p - r->buf.s);
            awk_set_rt(a, p, 1);
            return take_record(r, e, e + 1, rec, len);
        }
        r->scan = r->buf.len;
        if (!reader_fill(a, r)) {
            if (r->err) return -1;
            if (!r->eof) return 2;
            if (r->pos >= r->buf.len) return 0;
            awk_set_rt(a, "", 0);
            return take_record(r, r->buf.len, r->buf.len, rec, len);
        }
    }
}

static int next_para_record(Awk *a, Reader *r, const char **rec, size_t *len) {
    /* leading newlines are skipped */
    for (;;) {
        while (r->pos < r->buf.len && r->buf.s[r->pos] == '\n') r->pos++;
        if (r->pos < r->buf.len) break;
        if (!reader_fill(a, r)) {
            if (r->err) return -1;
            return r->eof ? 0 : 2;
        }
    }
    for (;;) {
        size_t from = r->scan > r->pos ? r->scan : r->pos;
        const char *s = r->buf.s;
        size_t n = r->buf.len, i = from;
        while (i + 1 < n && !(s[i] == '\n' && s[i + 1] == '\n')) i++;
        if (i + 1 < n) {
            size_t e = i, j = i;
            while (j < n && s[j] == '\n') j++;
            if (j < n || r->eof || !r->f) {
                if (j >= n && !r->eof && !r->f) {
                    r->scan = e;
                    return 2; /* push mode: more newlines may follow */
                }
                awk_set_rt(a, s + e, j - e);
                return take_record(r, e, j, rec, len);
            }
            r->scan = e;
        } else {
            r->scan = i > r->pos ? i : r->pos;
        }
        if (!reader_fill(a, r)) {
            if (r->err) return -1;
            if (!r->eof) return 2;
            if (r->pos >= r->buf.len) return 0;
            size_t e = r->buf.len;
            while (e > r->pos && r->buf.s[e - 1] == '\n') e--;
            awk_set_rt(a, r->buf.s + e, r->buf.len - e);
            return take_record(r, e, r->buf.len, rec, len);
        }
    }
}

static int next_regex_record(Awk *a, Reader *r, const char **rec, size_t *len) {
    for (;;) {
        size_t from = r->pos;
        while (from <= r->buf.len) {
            RxSpan m[1];
            int res = awk_search(a, a->rs_re, r->buf.s ? r->buf.s : "", r->buf.len, from, from > 0, m, 1);
            if (res < 0) return -1;
            if (res != RX_MATCH) break;
            if (m[0].eo == m[0].so) {
                from = (size_t)m[0].so + 1;
                continue;
            }
            if ((size_t)m[0].eo < r->buf.len || r->eof) {
                awk_set_rt(a, r->buf.s + m[0].so, (size_t)(m[0].eo - m[0].so));
                return take_record(r, (size_t)m[0].so, (size_t)m[0].eo, rec, len);
            }
            break;
        }
        if (!reader_fill(a, r)) {
            if (r->err) return -1;
            if (!r->eof) return 2;
            if (r->pos >= r->buf.len) return 0;
            /* the final separator may touch the end */
            size_t f2 = r->pos;
            while (f2 <= r->buf.len) {
                RxSpan m[1];
                int res = awk_search(a, a->rs_re, r->buf.s, r->buf.len, f2, f2 > 0, m, 1);
                if (res != RX_MATCH) break;
                if (m[0].eo == m[0].so) { f2 = (size_t)m[0].so + 1; continue; }
                awk_set_rt(a, r->buf.s + m[0].so, (size_t)(m[0].eo - m[0].so));
                return take_record(r, (size_t)m[0].so, (size_t)m[0].eo, rec, len);
            }
            awk_set_rt(a, "", 0);
            return take_record(r, r->buf.len, r->buf.len, rec, len);
        }
    }
}

int awk_reader_next(Awk *a, Reader *r, const char **rec, size_t *len) {
    if (r->buf.len == 0 && !r->eof && r->f) reader_fill(a, r);
    switch (a->rs_mode) {
    case RS_NEWLINE: return next_char_record(a, r, '\n', rec, len);
    case RS_CHAR: return next_char_record(a, r, a->rs_char, rec, len);
    case RS_PARA: return next_para_record(a, r, rec, len);
    default: return next_regex_record(a, r, rec, len);
    }
}

void awk_set_rs(Awk *a) {
    AwkStr *rs = awkv_tostr(a, &a->g[G_RS].v);
    bool was_para = a->rs_mode == RS_PARA;
    if (a->rs_re) {
        rx_free(a->rs_re);
        a->rs_re = NULL;
    }
    if (rs->len == 0) a->rs_mode = RS_PARA;
    else if (rs->len == 1 && rs->s[0] == '\n') a->rs_mode = RS_NEWLINE;
    else if (rs->len == 1) {
        a->rs_mode = RS_CHAR;
        a->rs_char = rs->s[0];
    } else {
        a->rs_re = awk_regcomp(a, rs->s, rs->len, a->icase, true);
        a->rs_mode = a->rs_re ? RS_REGEX : RS_NEWLINE;
    }
    if (was_para != (a->rs_mode == RS_PARA)) a->fs_dirty = true; /* the newline rule of single-char FS */
}

/* ---------------------------------------------------------------- main input */

bool awk_is_assignment(const char *arg) {
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg) return false;
    if (!((arg[0] >= 'a' && arg[0] <= 'z') || (arg[0] >= 'A' && arg[0] <= 'Z') || arg[0] == '_')) return false;
    for (const char *p = arg + 1; p < eq; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_' || (*p >= '0' && *p <= '9'))) return false;
    return true;
}

static void set_filename(Awk *a, const char *name) {
    Var *v = &a->g[G_FILENAME];
    awkv_free(&v->v);
    v->kind = K_SCALAR;
    v->v = awkv_str(astr_new(name, strlen(name)));
}

/* Opens the next file of ARGV (applying var=value operands on the way);
 * false when there is none left. */
static bool open_next_main(Awk *a) {
    for (;;) {
        double argc = awkv_tonum(a, awk_var_scalar(a, &a->g[G_ARGC]));
        if (a->argi >= argc || a->fatal) break;
        Array *argv = awk_var_array(a, &a->g[G_ARGV]);
        char idx[24];
        int il = snprintf(idx, sizeof idx, "%d", a->argi++);
        Value *e = awka_get_str(a, argv, idx, (size_t)il, false);
        if (!e) continue;
        AwkStr *s = astr_ref(awkv_tostr(a, e));
        if (s->len == 0) { astr_unref(s); continue; }
        if (awk_is_assignment(s->s)) {
            awk_apply_assignment(a, s->s);
            astr_unref(s);
            continue;
        }
        a->main_named = true;
        UcFile *f = uc_open(a->c, s->s, "r");
        if (!f) {
            int err = errno;
            StrBuf b;
            sb_init(&b);
            awk_flush_all(a);
            sb_printf(&b, "%s: fatal: cannot open file `%s' for reading: %s\n", a->name, s->s, strerror(err));
            uc_write(a->c, 2, b.s, b.len);
            sb_free(&b);
            a->fatal = true;
            a->exit_status = 2;
            astr_unref(s);
            return false;
        }
        a->main_rd = xmalloc(sizeof *a->main_rd);
        awk_reader_init(a->main_rd, f);
        set_filename(a, s->s);
        astr_unref(s);
        return true;
    }
    if (!a->main_named && !a->main_stdin_used) {
        a->main_stdin_used = true;
        a->main_rd = xmalloc(sizeof *a->main_rd);
        awk_reader_init(a->main_rd, a->push_mode ? NULL : uc_open(a->c, "-", "r"));
        set_filename(a, "-");
        return true;
    }
    return false;
}

bool awk_main_open(Awk *a) {
    if (a->main_rd) return true;
    if (a->main_done) return false;
    if (!open_next_main(a)) {
        a->main_done = true;
        return false;
    }
    a->fnr = 0;
    awk_set_num(a, G_FNR, 0);
    return true;
}

void awk_main_close(Awk *a) {
    if (!a->main_rd) return;
    awk_reader_free(a->main_rd);
    free(a->main_rd);
    a->main_rd = NULL;
}

int awk_main_next(Awk *a, const char **rec, size_t *len) {
    for (;;) {
        if (!a->main_rd && !awk_main_open(a)) return 0;
        int r = awk_reader_next(a, a->main_rd, rec, len);
        if (r == 1 || r == 2) return r;
        if (r < 0) {
            awk_warning(a, "error reading input file `%s': %s", "-", strerror(EIO));
        }
        awk_main_close(a);
    }
}

/* ---------------------------------------------------------------- getline */

static InStream *find_in(Awk *a, AwkStr *name, bool is_cmd) {
    for (InStream *s = a->ins; s; s = s->next)
        if (s->is_cmd == is_cmd && s->name->len == name->len && !memcmp(s->name->s, name->s, name->len)) return s;
    return NULL;
}

static void set_errno_var(Awk *a, int err) {
    awk_set_strv(a, G_ERRNO, strerror(err), strlen(strerror(err)));
}

static InStream *open_in(Awk *a, AwkStr *name, bool is_cmd) {
    InStream *s = find_in(a, name, is_cmd);
    if (s) return s;
    if (is_cmd) {
        char *out = NULL;
        size_t outlen = 0;
        int st = uc_run_script_io(a->c, name->s, NULL, 0, &out, &outlen);
        s = xcalloc(1, sizeof *s);
        awk_reader_init(&s->rd, NULL);
        sb_put(&s->rd.buf, out ? out : "", outlen);
        free(out);
        s->rd.eof = true;
        s->status = st;
    } else {
        UcFile *f = uc_open(a->c, name->s, "r");
        if (!f) {
            set_errno_var(a, errno);
            return NULL;
        }
        s = xcalloc(1, sizeof *s);
        awk_reader_init(&s->rd, f);
    }
    s->name = astr_ref(name);
    s->is_cmd = is_cmd;
    s->next = a->ins;
    a->ins = s;
    return s;
}

static bool store_getline(Awk *a, LRef *target, const char *rec, size_t len) {
    if (target) {
        Value v = awkv_strnum(astr_new(rec, len));
        return awk_lref_set(a, target, v);
    }
    awk_set_record(a, rec, len);
    return true;
}

int awk_getline(Awk *a, int kind, AwkStr *src, LRef *target) {
    const char *rec;
    size_t len;
    if (kind == GL_MAIN) {
        int r = awk_main_next(a, &rec, &len);
        if (r != 1) return r == 0 ? 0 : -1;
        a->nr++;
        a->fnr++;
        awk_set_num(a, G_NR, a->nr);
        awk_set_num(a, G_FNR, a->fnr);
        return store_getline(a, target, rec, len) ? 1 : -2;
    }
    InStream *s = open_in(a, src, kind == GL_CMD);
    if (!s) return -1;
    int r = awk_reader_next(a, &s->rd, &rec, &len);
    if (r != 1) return r == 0 || r == 2 ? 0 : -1;
    return store_getline(a, target, rec, len) ? 1 : -2;
}

/* ---------------------------------------------------------------- print redirections */

static OutStream *find_out(Awk *a, AwkStr *name) {
    for (OutStream *s = a->outs; s; s = s->next)
        if (s->name->len == name->len && !memcmp(s->name->s, name->s, name->len)) return s;
    return NULL;
}

static OutStream *open_out(Awk *a, int redir, AwkStr *name) {
    OutStream *s = find_out(a, name);
    if (s) return s;
    s = xcalloc(1, sizeof *s);
    s->name = astr_ref(name);
    if (redir == R_PIPE) {
        s->is_pipe = true;
        sb_init(&s->pipe);
        awk_obuf_flush(a, &a->out);
    } else {
        sb_init(&s->ob.b);
        s->ob.fd = -1;
        if (!strcmp(name->s, "/dev/stderr")) {
            s->ob.fd = 2;
            s->ob.unbuffered = true;
        } else {
            UcFile *f = uc_open(a->c, name->s, redir == R_APPEND ? "a" : "w");
            if (!f) {
                int err = errno;
                astr_unref(s->name);
                free(s);
                awk_fatal(a, "cannot redirect to `%s': %s", name->s, strerror(err));
                return NULL;
            }
            s->ob.f = f;
        }
    }
    /* newest first: that is the order gawk closes them at exit */
    s->next = a->outs;
    a->outs = s;
    return s;
}

bool awk_print_to(Awk *a, int redir, AwkStr *target, const char *data, size_t n) {
    if (redir == R_NONE || (redir != R_PIPE && (!strcmp(target->s, "/dev/stdout") || !strcmp(target->s, "-")))) {
        awk_obuf_put(a, &a->out, data, n);
        return true;
    }
    OutStream *s = open_out(a, redir, target);
    if (!s) return false;
    if (s->is_pipe) sb_put(&s->pipe, data, n);
    else awk_obuf_put(a, &s->ob, data, n);
    return true;
}

static int close_out(Awk *a, OutStream *s) {
    int st = 0;
    if (s->is_pipe) {
        st = uc_run_script_io(a->c, s->name->s, s->pipe.s ? s->pipe.s : "", s->pipe.len, NULL, NULL);
        sb_free(&s->pipe);
    } else {
        if (!awk_obuf_flush(a, &s->ob)) st = -1;
        sb_free(&s->ob.b);
        if (s->ob.f) uc_close(s->ob.f);
    }
    astr_unref(s->name);
    free(s);
    return st;
}

static void free_in(InStream *s) {
    awk_reader_free(&s->rd);
    astr_unref(s->name);
    free(s);
}

int awk_close(Awk *a, AwkStr *name, const char *how) {
    int result = -1;
    bool found = false;
    bool want_to = !how || !strcmp(how, "to");
    bool want_from = !how || !strcmp(how, "from");
    if (want_to) {
        for (OutStream **pp = &a->outs; *pp; pp = &(*pp)->next) {
            OutStream *s = *pp;
            if (s->name->len == name->len && !memcmp(s->name->s, name->s, name->len)) {
                *pp = s->next;
                result = close_out(a, s);
                found = true;
                break;
            }
        }
    }
    if (want_from) {
        for (InStream **pp = &a->ins; *pp; pp = &(*pp)->next) {
            InStream *s = *pp;
            if (s->name->len == name->len && !memcmp(s->name->s, name->s, name->len)) {
                *pp = s->next;
                int st = s->is_cmd ? s->status : 0;
                if (!found) result = st;
                found = true;
                free_in(s);
                break;
            }
        }
    }
    if (!found) set_errno_var(a, ENOENT);
    return result;
}

int awk_fflush(Awk *a, AwkStr *name, bool all) {
    if (all) {
        awk_flush_all(a);
        return 0;
    }
    if (!strcmp(name->s, "/dev/stdout")) {
        awk_obuf_flush(a, &a->out);
        return 0;
    }
    OutStream *s = find_out(a, name);
    if (!s) {
        awk_warning(a, "fflush: `%s' is not an open file, pipe or co-process", name->s);
        return -1;
    }
    if (!s->is_pipe) awk_obuf_flush(a, &s->ob);
    return 0;
}

void awk_flush_all(Awk *a) {
    awk_obuf_flush(a, &a->out);
    for (OutStream *s = a->outs; s; s = s->next)
        if (!s->is_pipe) awk_obuf_flush(a, &s->ob);
}

void awk_close_all(Awk *a) {
    while (a->outs) {
        OutStream *s = a->outs;
        a->outs = s->next;
        close_out(a, s);
    }
    while (a->ins) {
        InStream *s = a->ins;
        a->ins = s->next;
        free_in(s);
    }
    awk_obuf_flush(a, &a->out);
}

int awk_system(Awk *a, AwkStr *cmd) {
    awk_flush_all(a);
    return uc_run_script(a->c, cmd->s);
}

void awk_io_free(Awk *a) {
    awk_close_all(a);
    awk_main_close(a);
    sb_free(&a->out.b);
}
