/*
 * fixed_point.h — the integer arithmetic of TFLite's int8 kernels (TensorFlow Lite Micro's
 * reference kernels, gemmlowp's fixed-point helpers). Twin of fixed-point.ts: every function
 * returns the same int32 as its TS counterpart for the same arguments.
 *
 * Signed overflow is undefined behaviour in C, so additions that may wrap and left shifts of
 * negative values go through uint32_t (two's complement wrap, as the TS twin computes them).
 */
#ifndef IMPULSE_FIXED_POINT_H
#define IMPULSE_FIXED_POINT_H

#include <stdint.h>
#include "impulse_config.h" /* IMPULSE_SINGLE_ROUNDING: 1 for TFLite's single-rounding requantization, 0 for TFLite Micro's default */

/* int32 addition / subtraction / left shift with two's complement wrap-around. */
static inline int32_t fp_add_wrap(int32_t a, int32_t b) { return (int32_t)((uint32_t)a + (uint32_t)b); }
static inline int32_t fp_sub_wrap(int32_t a, int32_t b) { return (int32_t)((uint32_t)a - (uint32_t)b); }
static inline int32_t fp_shl_wrap(int32_t x, int shift) { return (int32_t)((uint32_t)x << shift); }

static inline int32_t fp_clamp(int32_t x, int32_t lo, int32_t hi) { return x < lo ? lo : (x > hi ? hi : x); }

/* a * b / 2^31 rounded to nearest (ties upwards); INT32_MIN * INT32_MIN saturates to INT32_MAX. */
static inline int32_t fp_saturating_rounding_doubling_high_mul(int32_t a, int32_t b) {
  if (a == INT32_MIN && b == INT32_MIN) return INT32_MAX;
  {
    const int64_t ab = (int64_t)a * (int64_t)b;
    const int32_t nudge = ab >= 0 ? (1 << 30) : (1 - (1 << 30));
    return (int32_t)((ab + nudge) / ((int64_t)1 << 31));
  }
}

/* x / 2^exponent rounded to nearest, ties away from zero; exponent in 0..31. */
static inline int32_t fp_rounding_divide_by_pot(int32_t x, int exponent) {
  const int32_t mask = (int32_t)((((int64_t)1) << exponent) - 1);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

#if IMPULSE_SINGLE_ROUNDING
/* x * multiplier * 2^shift / 2^31 with one rounding of the 64-bit product (ties upwards). */
static inline int32_t fp_multiply_by_quantized_multiplier(int32_t x, int32_t multiplier, int shift) {
  const int total_shift = 31 - shift;
  const int64_t round = (int64_t)1 << (total_shift - 1);
  const int64_t product = (int64_t)x * (int64_t)multiplier + round;
  /* Arithmetic shift of a negative int64 rounds towards -infinity on every compiler we target. */
  return (int32_t)(product >> total_shift);
}

/* With single rounding ADD's and SOFTMAX's forms are the plain requantization. */
static inline int32_t fp_multiply_by_quantized_multiplier_smaller_than_one(int32_t x, int32_t multiplier, int left_shift) {
  return fp_multiply_by_quantized_multiplier(x, multiplier, left_shift);
}

static inline int32_t fp_multiply_by_quantized_multiplier_greater_than_one(int32_t x, int32_t multiplier, int left_shift) {
  return fp_multiply_by_quantized_multiplier(x, multiplier, left_shift);
}
#else
/* x * multiplier * 2^shift / 2^31 (TFLite MultiplyByQuantizedMultiplier, double rounding). */
static inline int32_t fp_multiply_by_quantized_multiplier(int32_t x, int32_t multiplier, int shift) {
  const int left_shift = shift > 0 ? shift : 0;
  const int right_shift = shift > 0 ? 0 : -shift;
  return fp_rounding_divide_by_pot(fp_saturating_rounding_doubling_high_mul(fp_shl_wrap(x, left_shift), multiplier), right_shift);
}

/* ADD's form: rounding right shift by -left_shift after the high multiply. */
static inline int32_t fp_multiply_by_quantized_multiplier_smaller_than_one(int32_t x, int32_t multiplier, int left_shift) {
  return fp_rounding_divide_by_pot(fp_saturating_rounding_doubling_high_mul(x, multiplier), -left_shift);
}

/* SOFTMAX's form: left shift, then the high multiply. */
static inline int32_t fp_multiply_by_quantized_multiplier_greater_than_one(int32_t x, int32_t multiplier, int left_shift) {
  return fp_saturating_rounding_doubling_high_mul(fp_shl_wrap(x, left_shift), multiplier);
}
#endif

/* x * 2^exponent: saturating for exponent > 0, rounding for exponent < 0 (gemmlowp). */
static inline int32_t fp_saturating_rounding_multiply_by_pot(int32_t x, int exponent) {
  if (exponent == 0) return x;
  if (exponent < 0) return fp_rounding_divide_by_pot(x, -exponent);
  {
    const int32_t threshold = (int32_t)((1u << (31 - exponent)) - 1u);
    if (x > threshold) return INT32_MAX;
    if (x < -threshold) return INT32_MIN;
    return fp_shl_wrap(x, exponent);
  }
}

/* Change of format Q(src).(31-src) -> Q(dst).(31-dst). */
static inline int32_t fp_rescale(int32_t raw, int src_integer_bits, int dst_integer_bits) {
  return fp_saturating_rounding_multiply_by_pot(raw, src_integer_bits - dst_integer_bits);
}

#endif /* IMPULSE_FIXED_POINT_H */
