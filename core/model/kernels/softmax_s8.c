/*
 * softmax_s8 — TFLite Micro's reference int8 softmax: x - max(x) scaled into Q5.26, exp in fixed
 * point (gemmlowp exp_on_negative_values), sum in Q12.19, multiplied by the fixed-point reciprocal
 * of the sum.
 */
#include "softmax_s8.h"
#include "fixed_point.h"

#define SCALED_DIFF_INTEGER_BITS 5   /* Q5.26 input differences */
#define ACCUMULATION_INTEGER_BITS 12 /* Q12.19 sum of exps */

/* exp(a) for a in [-1/4, 0), Q0.31 in and out: Taylor expansion around -1/8. */
static int32_t exp_on_interval_between_negative_one_quarter_and_0_excl(int32_t a) {
  const int32_t exp_minus_one_eighth = 1895147668; /* exp(-1/8) in Q0.31 */
  const int32_t one_third = 715827883;             /* 1/3 in Q0.31 */
  const int32_t x = fp_add_wrap(a, 1 << 28);       /* a + 1/8 */
  const int32_t x2 = fp_saturating_rounding_doubling_high_mul(x, x);
  const int32_t x3 = fp_saturating_rounding_doubling_high_mul(x2, x);
  const int32_t x4 = fp_saturating_rounding_doubling_high_mul(x2, x2);
  const int32_t x4_over_4 = fp_saturating_rounding_multiply_by_pot(x4, -2);
  const int32_t poly = fp_saturating_rounding_multiply_by_pot(
      fp_add_wrap(fp_saturating_rounding_doubling_high_mul(fp_add_wrap(x4_over_4, x3), one_third), x2), -1);
  return fp_add_wrap(exp_minus_one_eighth, fp_saturating_rounding_doubling_high_mul(exp_minus_one_eighth, fp_add_wrap(x, poly)));
}

/* exp(a) for a <= 0 in Q5.26; result in Q0.31. */
static int32_t exp_on_negative_values(int32_t a) {
  /* exp(-2^k) in Q0.31 for k = -2 .. 4: applied once per set bit of a's integer part. */
  static const int32_t exp_of_minus_pot[7] = {1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242};
  const int fractional_bits = 31 - SCALED_DIFF_INTEGER_BITS;
  const int32_t one_quarter = (int32_t)1 << (fractional_bits - 2);
  const int32_t a_mod_quarter_minus_one_quarter = fp_sub_wrap(a & (one_quarter - 1), one_quarter);
  const int32_t remainder = fp_sub_wrap(a_mod_quarter_minus_one_quarter, a);
  int32_t result = exp_on_interval_between_negative_one_quarter_and_0_excl(fp_rescale(a_mod_quarter_minus_one_quarter, SCALED_DIFF_INTEGER_BITS, 0));
  int k;
  for (k = 0; k < 7; k++) {
    const int exponent = k - 2;
    if (SCALED_DIFF_INTEGER_BITS > exponent && (remainder & ((int32_t)1 << (fractional_bits + exponent))) != 0) {
      result = fp_saturating_rounding_doubling_high_mul(result, exp_of_minus_pot[k]);
    }
  }
  return a == 0 ? INT32_MAX : result;
}

/* 1 / (1 + a) for a in [0, 1), Q0.31: Newton-Raphson in Q2.29. */
static int32_t one_over_one_plus_x_for_x_in_0_1(int32_t a) {
  const int64_t sum = (int64_t)a + INT32_MAX;
  const int32_t half_denominator = (int32_t)((sum + (sum >= 0 ? 1 : -1)) / 2);
  const int32_t constant_48_over_17 = 1515870810;      /* Q2.29 */
  const int32_t constant_neg_32_over_17 = -1010580540; /* Q2.29 */
  int32_t x = fp_add_wrap(constant_48_over_17, fp_saturating_rounding_doubling_high_mul(half_denominator, constant_neg_32_over_17));
  int i;
  for (i = 0; i < 3; i++) {
    const int32_t half_denominator_times_x = fp_saturating_rounding_doubling_high_mul(half_denominator, x);
    const int32_t one_minus = fp_sub_wrap((int32_t)1 << 29, half_denominator_times_x);
    x = fp_add_wrap(x, fp_rescale(fp_saturating_rounding_doubling_high_mul(x, one_minus), 4, 2));
  }
  return fp_rescale(x, 1, 0);
}

static int count_leading_zeros(uint32_t x) {
  int n = 0;
  if (x == 0) return 32;
  while ((x & 0x80000000u) == 0) {
    x <<= 1;
    n++;
  }
  return n;
}

void softmax_s8(const softmax_s8_params_t *p, const int8_t *input, int8_t *output) {
  int32_t r, c;
  for (r = 0; r < p->rows; r++) {
    const int8_t *x = input + r * p->depth;
    int8_t *y = output + r * p->depth;
    int32_t max = -128;
    int32_t sum_of_exps = 0;
    int headroom_plus_one, bits_over_unit;
    int32_t reciprocal;
    for (c = 0; c < p->depth; c++) if (x[c] > max) max = x[c];
    for (c = 0; c < p->depth; c++) {
      const int32_t diff = (int32_t)x[c] - max;
      if (diff >= p->diff_min) {
        const int32_t scaled = fp_multiply_by_quantized_multiplier_greater_than_one(diff, p->input_multiplier, p->input_left_shift);
        sum_of_exps = fp_add_wrap(sum_of_exps, fp_rescale(exp_on_negative_values(scaled), 0, ACCUMULATION_INTEGER_BITS));
      }
    }
    headroom_plus_one = count_leading_zeros((uint32_t)sum_of_exps);
    bits_over_unit = ACCUMULATION_INTEGER_BITS - headroom_plus_one;
    reciprocal = one_over_one_plus_x_for_x_in_0_1((int32_t)(((uint32_t)sum_of_exps << headroom_plus_one) - (1u << 31)));
    for (c = 0; c < p->depth; c++) {
      const int32_t diff = (int32_t)x[c] - max;
      if (diff >= p->diff_min) {
        const int32_t scaled = fp_multiply_by_quantized_multiplier_greater_than_one(diff, p->input_multiplier, p->input_left_shift);
        const int32_t unsaturated = fp_rounding_divide_by_pot(
            fp_saturating_rounding_doubling_high_mul(reciprocal, exp_on_negative_values(scaled)), bits_over_unit + 31 - 8);
        y[c] = (int8_t)fp_clamp(unsaturated - 128, -128, 127);
      } else {
        y[c] = -128;
      }
    }
  }
}
