/* float32 ln, log10 and exp that give the same bits on every target (see math32.h). */
#include <stdint.h>
#include <string.h>

#include "math32.h"

/* IEEE 754 binary32 bit patterns. */
#define BITS_PLUS_INFINITY   0x7f800000u
#define BITS_MINUS_INFINITY  0xff800000u
#define BITS_NAN             0x7fc00000u
#define BITS_MINUS_ZERO      0x80000000u
#define BITS_SMALLEST_NORMAL 0x00800000u
#define MANTISSA_MASK        0x007fffffu
#define EXPONENT_BIAS        127
/* Exponent fields that put a mantissa in [1, 2) or [0.5, 1). */
#define EXPONENT_OF_ONE      0x3f800000u
#define EXPONENT_OF_HALF     0x3f000000u
/* Mantissa field of √2 (0x3fb504f3): mantissas at or above it are halved, so m ∈ [√½, √2). */
#define MANTISSA_OF_SQRT2    0x003504f3u
/* 2^23: scales a subnormal into the normal range. */
#define TWO_POW_23           8388608.0f
/* Keeps the top 12 significant bits of a float. */
#define HEAD_12_BITS_MASK    0xfffff000u

/*
 * ln 2 and log10 2 split into a head with at most 16 significant bits and a tail: e·head is exact
 * for every binary exponent e of a float, so only the small tail product rounds. 1/ln 10 likewise,
 * with a 12-bit head: head·(a 12-bit number) is exact.
 */
#define LN2_HEAD      0.693145751953125f
#define LN2_TAIL      1.42860677e-06f
#define LOG10_2_HEAD  0.301025390625f
#define LOG10_2_TAIL  4.60503907e-06f
#define INV_LN10      0.434294492f
#define INV_LN10_HEAD 0.4342041015625f
#define INV_LN10_TAIL 9.03803375e-05f
#define INV_LN2       1.44269502f

/*
 * ln(1 + f) = 2·atanh(s), s = f / (2 + f), |s| ≤ 0.1716 for 1 + f ∈ [√½, √2):
 * 2·atanh(s) = 2s + s·R(s²), R(z) = 2z/3 + 2z²/5 + 2z³/7 + 2z⁴/9 + … (Taylor series; the first
 * omitted term is below 0.03 ulp of the result).
 */
#define ATANH_C1 0.666666687f /* 2/3 */
#define ATANH_C2 0.400000006f /* 2/5 */
#define ATANH_C3 0.285714298f /* 2/7 */
#define ATANH_C4 0.222222224f /* 2/9 */

/* e^r for |r| ≤ ½·ln 2 (+ rounding): Taylor series to r⁷/7! (the next term is below 0.1 ulp). */
#define EXP_C2 0.5f
#define EXP_C3 0.166666672f    /* 1/3! */
#define EXP_C4 0.0416666679f   /* 1/4! */
#define EXP_C5 0.00833333377f  /* 1/5! */
#define EXP_C6 0.00138888892f  /* 1/6! */
#define EXP_C7 0.000198412701f /* 1/7! */
/* Beyond these e^x overflows to +∞ or rounds to 0. */
#define EXP_OVERFLOW  88.7228394f
#define EXP_UNDERFLOW (-103.972084f)

static uint32_t bits_of(float x)
{
    uint32_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

static float float_of(uint32_t u)
{
    float x;
    memcpy(&x, &u, sizeof x);
    return x;
}

/*
 * The special cases of a logarithm: returns 1 and sets *result for x ≤ 0, +∞ and NaN;
 * returns 0 for a finite x > 0 (normal or subnormal).
 */
static int log_special(float x, float *result)
{
    uint32_t u = bits_of(x);
    if (u == 0u || u == BITS_MINUS_ZERO) {
        *result = float_of(BITS_MINUS_INFINITY);
        return 1;
    }
    if (u == BITS_PLUS_INFINITY) {
        *result = x;
        return 1;
    }
    if (u > BITS_PLUS_INFINITY) { /* NaN, or the sign bit set: negative */
        *result = float_of(BITS_NAN);
        return 1;
    }
    return 0;
}

/*
 * For a finite x > 0: x = 2^e·(1 + f) with 1 + f ∈ [√½, √2). Returns f (exact: 1 + f and 1 are
 * within a factor 2 of each other) and writes e.
 */
static float reduce(float x, int32_t *e)
{
    uint32_t u = bits_of(x);
    int32_t shift = 0;
    uint32_t mantissa;
    if (u < BITS_SMALLEST_NORMAL) {
        u = bits_of(x * TWO_POW_23); /* exact */
        shift = -23;
    }
    *e = (int32_t)(u >> 23) - EXPONENT_BIAS + shift;
    mantissa = u & MANTISSA_MASK;
    if (mantissa >= MANTISSA_OF_SQRT2) {
        *e += 1;
        return float_of(mantissa | EXPONENT_OF_HALF) - 1.0f;
    }
    return float_of(mantissa | EXPONENT_OF_ONE) - 1.0f;
}

/*
 * c with ln(1 + f) = f − c for 1 + f ∈ [√½, √2): c = s·(f − R(s²)), since 2s = f − s·f.
 * |c| ≤ 0.07: rounding it costs far less than an ulp of the logarithm.
 */
static float log1p_correction(float f)
{
    float s = f / (2.0f + f);
    float z = s * s;
    float r = z * (ATANH_C1 + z * (ATANH_C2 + z * (ATANH_C3 + z * ATANH_C4)));
    return s * (f - r);
}

float ik_logf(float x)
{
    float special, f, e_float;
    int32_t e;
    if (log_special(x, &special)) {
        return special;
    }
    f = reduce(x, &e);
    e_float = (float)e;
    return e_float * LN2_HEAD + ((f - log1p_correction(f)) + e_float * LN2_TAIL);
}

/*
 * log10 x = e·log10 2 + (f − c)/ln 10. f = f_head + f_tail with a 12-bit f_head, so the two large
 * products e·LOG10_2_HEAD and f_head·INV_LN10_HEAD are exact; their sum is rounded with its rounding
 * error kept (|e·LOG10_2_HEAD| ≥ |f_head·INV_LN10_HEAD| unless e = 0: Fast2Sum is exact) and added
 * back with the small terms. Within 1 ulp; a plain ln(x)·(1/ln 10) would be up to 2.4 ulp off.
 */
float ik_log10f(float x)
{
    float special, f, f_head, f_tail, e_float, a, b, large, large_error, small;
    int32_t e;
    if (log_special(x, &special)) {
        return special;
    }
    f = reduce(x, &e);
    e_float = (float)e;
    f_head = float_of(bits_of(f) & HEAD_12_BITS_MASK);
    f_tail = f - f_head; /* exact */
    a = e_float * LOG10_2_HEAD;
    b = f_head * INV_LN10_HEAD;
    large = a + b;
    large_error = b - (large - a);
    small = ((f_tail * INV_LN10_HEAD + f * INV_LN10_TAIL) - log1p_correction(f) * INV_LN10) + e_float * LOG10_2_TAIL;
    return large + (small + large_error);
}

/* 2^j for −126 ≤ j ≤ 127, from its bits. */
static float power_of_two(int32_t j)
{
    return float_of((uint32_t)(j + EXPONENT_BIAS) << 23);
}

float ik_expf(float x)
{
    float t, k_float, r, p;
    int32_t k, k_half;
    if (x != x) {
        return float_of(BITS_NAN);
    }
    if (x > EXP_OVERFLOW) {
        return float_of(BITS_PLUS_INFINITY);
    }
    if (x < EXP_UNDERFLOW) {
        return 0.0f;
    }
    /* x = k·ln 2 + r, k the integer nearest x / ln 2 (halves away from 0): |k| ≤ 150 */
    t = x * INV_LN2;
    k = (int32_t)(t < 0.0f ? t - 0.5f : t + 0.5f);
    k_float = (float)k;
    r = (x - k_float * LN2_HEAD) - k_float * LN2_TAIL;
    p = 1.0f + r * (1.0f + r * (EXP_C2 + r * (EXP_C3 + r * (EXP_C4 + r * (EXP_C5 + r * (EXP_C6 + r * EXP_C7))))));
    /* ·2^k in two exact steps of at most 2^±75 each, so a subnormal result rounds once, at the end */
    k_half = k / 2;
    return p * power_of_two(k_half) * power_of_two(k - k_half);
}
