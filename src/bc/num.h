/* num.h - arbitrary-precision decimal numbers for bc (and dc), with GNU
 * bc's rules for the scale of results: a number is a big integer of
 * base-10^9 limbs times 10^-scale, and every operation truncates toward
 * zero at the digit GNU bc's digit-by-digit arithmetic would. Internal to
 * src/bc/. */
#ifndef WASMSH_BC_NUM_H
#define WASMSH_BC_NUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct BcNum {
    uint32_t *d;  /* limbs, least significant first, base 10^9 */
    int n;        /* limbs in use (0 for zero) */
    int cap;
    int scale;    /* decimal digits after the point */
    bool neg;
} BcNum;

/* Polled during long operations; true = stop (the result is then garbage). */
typedef bool (*NumStopFn)(void *ctx);

typedef struct NumCtx {
    NumStopFn stop;
    void *stop_ctx;
    bool stopped;
    size_t max_digits; /* a result longer than this is refused (memory budget) */
    bool too_big;
} NumCtx;

BcNum *num_new(void);
BcNum *num_from_long(long long v);
BcNum *num_copy(const BcNum *a);
void num_free(BcNum *a);
void num_set(BcNum *dst, const BcNum *src);

bool num_is_zero(const BcNum *a);
bool num_is_neg(const BcNum *a);
/* -1, 0, 1 */
int num_cmp(const BcNum *a, const BcNum *b);
/* The integer part as a long; 0 when it does not fit (as GNU's bc_num2long). */
long long num_to_long(const BcNum *a);
/* Digits before the point (at least 1). */
int num_len(const BcNum *a);
/* bc's length(): significant digits. */
int num_length(const BcNum *a);
/* GNU's bc_is_near_zero: zero or one unit in the last place at `scale`. */
bool num_is_near_zero(const BcNum *a, int scale);

/* The results are new numbers (NULL when ctx stopped or the size budget was hit). */
BcNum *num_add(NumCtx *c, const BcNum *a, const BcNum *b, int scale_min);
BcNum *num_sub(NumCtx *c, const BcNum *a, const BcNum *b, int scale_min);
BcNum *num_mul(NumCtx *c, const BcNum *a, const BcNum *b, int scale);
/* NULL and *divzero set when b is zero. */
BcNum *num_div(NumCtx *c, const BcNum *a, const BcNum *b, int scale, bool *divzero);
BcNum *num_mod(NumCtx *c, const BcNum *a, const BcNum *b, int scale, bool *divzero);
/* Truncates a to `scale` digits (never adds digits). */
BcNum *num_trunc(NumCtx *c, const BcNum *a, int scale);
/* Sets a's scale to s, exactly (adds zero digits or truncates). */
BcNum *num_rescale(NumCtx *c, const BcNum *a, int s);
/* base^expo (integer part of expo), GNU's bc_raise; *err: 0 ok, 1 exponent too
 * large, 2 non-integer exponent warning (result still set). */
BcNum *num_raise(NumCtx *c, const BcNum *base, const BcNum *expo, int scale, int *warn, bool *too_large);
/* NULL when a is negative. */
BcNum *num_sqrt(NumCtx *c, const BcNum *a, int scale, bool *negative);
BcNum *num_neg(const BcNum *a);

/* Decimal digits of |a| without point: the integer part (at least "0") and
 * the fraction (scale digits). Caller frees. */
char *num_int_digits(const BcNum *a);
char *num_frac_digits(const BcNum *a);
/* A base-10 constant: digits with an optional point (no sign). */
BcNum *num_from_decimal(const char *s, size_t n);

/* Writes a in base obase as GNU's bc_out_num does (digit groups above base
 * 16), one character at a time through out. */
typedef void (*NumOut)(void *ctx, char ch);
void num_print(NumCtx *c, const BcNum *a, int obase, NumOut out, void *ctx);

#endif
