/* jv.h - JSON values for jq and yq: immutable, reference counted, with
 * copy-on-write updates when a value has a single owner.
 *
 * Ownership: functions taking a Jv by value consume it unless documented as
 * borrowing; a returned Jv belongs to the caller. jv_copy adds an owner.
 * null, booleans and plain numbers are immediate (no allocation).
 *
 * Numbers remember the canonical decimal text of a literal (jq 1.7+ keeps
 * 100000000000000000001 and 1.10 as written until arithmetic touches them);
 * only literals that the double would not print the same way carry it. */
#ifndef WASMSH_JV_H
#define WASMSH_JV_H

#include "common.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum JvKind {
    JV_INVALID, /* "no value" (absent path, end marker) */
    JV_NULL,
    JV_FALSE,
    JV_TRUE,
    JV_NUMBER,
    JV_STRING,
    JV_ARRAY,
    JV_OBJECT,
} JvKind;

typedef struct JvStr JvStr;
typedef struct JvArr JvArr;
typedef struct JvObj JvObj;
typedef struct JvLit JvLit;

typedef struct Jv {
    uint8_t kind;
    uint8_t lit; /* JV_NUMBER: u.l holds a literal */
    union {
        double n;
        JvStr *s;
        JvArr *a;
        JvObj *o;
        JvLit *l;
    } u;
} Jv;

struct JvStr {
    uint32_t rc;
    uint32_t hash; /* 0: not computed yet */
    size_t len, cap;
    char s[]; /* NUL-terminated, valid UTF-8 */
};

struct JvArr {
    uint32_t rc;
    size_t len, cap;
    Jv *v;
};

typedef struct JvSlot {
    Jv key; /* a string */
    Jv val;
} JvSlot;

struct JvObj {
    uint32_t rc;
    size_t len, cap;
    JvSlot *slot;   /* insertion order */
    uint32_t *idx;  /* hash index of slot numbers + 1 (0 = empty), when len > 8 */
    size_t idx_cap; /* power of two, 0 when no index */
};

struct JvLit {
    uint32_t rc;
    double d;
    char text[]; /* canonical decimal text (decNumber style) */
};

/* ---- constructors ---- */
static inline Jv jv_invalid(void) { Jv v = {JV_INVALID, 0, {0}}; return v; }
static inline Jv jv_null(void) { Jv v = {JV_NULL, 0, {0}}; return v; }
static inline Jv jv_bool(bool b) { Jv v = {b ? JV_TRUE : JV_FALSE, 0, {0}}; return v; }
static inline Jv jv_num(double d) { Jv v = {JV_NUMBER, 0, {0}}; v.u.n = d; return v; }
/* A number from literal text (JSON syntax, already validated). */
Jv jv_num_literal(const char *text, size_t len);
Jv jv_str(const char *s, size_t len);      /* s must be valid UTF-8 */
Jv jv_str_c(const char *s);
Jv jv_str_utf8(const char *s, size_t len); /* invalid bytes become U+FFFD */
Jv jv_str_take(StrBuf *b);                 /* b's text, sanitized; b is reset */
Jv jv_arr(void);
Jv jv_arr_sized(size_t cap);
Jv jv_obj(void);

static inline bool jv_is(Jv v, JvKind k) { return v.kind == k; }
static inline bool jv_valid(Jv v) { return v.kind != JV_INVALID; }
static inline bool jv_truthy(Jv v) { return v.kind != JV_NULL && v.kind != JV_FALSE && v.kind != JV_INVALID; }

Jv jv_copy(Jv v);
void jv_free(Jv v);
const char *jv_kind_name(JvKind k);

/* ---- numbers ---- */
static inline double jv_numval(Jv v) { return v.lit ? v.u.l->d : v.u.n; }
const char *jv_num_literal_text(Jv v); /* NULL when not a literal */
/* Shortest round-trip text as jq prints computed doubles (17 digits at most). */
void jv_fmt_double(double d, char out[48]);
/* Appends jq's text of the number (literal text, or the double; inf as DBL_MAX, nan as null). */
void jv_num_text(StrBuf *b, Jv v);

/* ---- strings ---- */
static inline const char *jv_strval(Jv v) { return v.u.s->s; }
static inline size_t jv_strlen(Jv v) { return v.u.s->len; }
Jv jv_str_cat(Jv a, Jv b);
void jv_str_append(Jv *s, const char *p, size_t n); /* p valid UTF-8 */
uint32_t jv_str_hash(Jv s);
bool jv_str_eq(Jv a, Jv b);
size_t jv_utf8_count(const char *s, size_t n);
/* Decodes one code point at s (valid UTF-8); returns bytes used. */
int jv_utf8_decode(const char *s, size_t n, uint32_t *cp);
void jv_utf8_encode(StrBuf *b, uint32_t cp);

/* ---- arrays ---- */
static inline size_t jv_arr_len(Jv a) { return a.u.a->len; }
static inline Jv jv_arr_at(Jv a, size_t i) { return a.u.a->v[i]; } /* borrowed */
Jv jv_arr_get(Jv a, long i); /* owned copy; null when out of range */
void jv_arr_push(Jv *a, Jv v);
void jv_arr_set(Jv *a, size_t i, Jv v); /* pads with null */
Jv jv_arr_slice(Jv a, size_t from, size_t to); /* borrows a */
Jv jv_arr_concat(Jv a, Jv b);

/* ---- objects ---- */
static inline size_t jv_obj_len(Jv o) { return o.u.o->len; }
static inline Jv jv_obj_key_at(Jv o, size_t i) { return o.u.o->slot[i].key; }
static inline Jv jv_obj_val_at(Jv o, size_t i) { return o.u.o->slot[i].val; }
const Jv *jv_obj_find(Jv o, Jv key); /* borrowed; NULL when absent */
const Jv *jv_obj_find_c(Jv o, const char *key, size_t len);
Jv jv_obj_get(Jv o, Jv key);          /* borrows both; owned copy or invalid */
void jv_obj_set(Jv *o, Jv key, Jv v); /* consumes key and v */
void jv_obj_del(Jv *o, Jv key);       /* borrows key */
Jv jv_obj_merge(Jv a, Jv b);          /* b's keys override a's */
Jv jv_obj_merge_deep(Jv a, Jv b);
/* Keys sorted (borrows o): an array of strings. */
Jv jv_obj_keys_sorted(Jv o);

/* Makes *v the single owner of its top-level container (copying if shared). */
void jv_unshare(Jv *v);

/* ---- ordering ---- */
/* Recursive value operations stop descending below this depth (values built
 * by reduce can be deeper than any parsed text). */
enum { JV_MAX_DEPTH = 10000 };
int jv_cmp(Jv a, Jv b); /* jq's total order; borrows */
bool jv_equal(Jv a, Jv b);
/* Sorts an array of values in place (stable), with parallel keys when keys != NULL. */
void jv_sort_values(Jv *vals, size_t n);
bool jv_contains(Jv a, Jv b);

/* ---- JSON text ---- */
typedef struct JvDumpOpts {
    bool pretty;       /* newlines and indentation (jq's default; --indent 0 keeps newlines) */
    int indent;        /* spaces per level */
    bool tab;          /* indent with tabs */
    bool sort_keys;
    bool ascii;        /* \uXXXX for non-ASCII */
    bool color;
    const char *colors[8]; /* escape codes per kind (null false true numbers strings arrays objects keys) */
} JvDumpOpts;

void jv_dump(StrBuf *b, Jv v, const JvDumpOpts *o); /* borrows v */
void jv_dump_compact(StrBuf *b, Jv v);
/* jq's error-message form: JSON text cut to at most max bytes with "..." */
void jv_dump_trunc(StrBuf *b, Jv v, size_t max);
void jv_dump_string(StrBuf *b, const char *s, size_t n, bool ascii);

/* Incremental JSON reader: feed text, take values one at a time. */
typedef struct JvParser JvParser;
enum { JVP_SEQ = 1, JVP_STREAM = 2 };
JvParser *jvp_new(int flags);
void jvp_free(JvParser *p);
/* Adds text (borrowed until the next call); at_end marks the end of input. */
void jvp_feed(JvParser *p, const char *data, size_t n, bool at_end);
/* 1: *out is a value; 0: needs more input (or done at end); -1: error, *err
 * holds the message (owned string). */
int jvp_next(JvParser *p, Jv *out, char **err);
/* Parses one complete text (fromjson, --argjson). Error message in *err. */
Jv jv_parse(const char *s, size_t n, char **err);

#endif
