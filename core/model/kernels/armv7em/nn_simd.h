/*
 * nn_simd.h — the building blocks of impulse-kit's optimized int8 kernels for Armv7E-M
 * (Cortex-M4, M7, M33 with the DSP extension). The generator writes one function per network op,
 * with the op's shapes, offsets and multipliers as literals, and calls these helpers; everything
 * is static inline, so each call is compiled for the op's exact constants.
 *
 * On a core with the DSP extension (__ARM_FEATURE_DSP) the helpers use its SIMD instructions
 * through the ACLE intrinsics of arm_acle.h (SXTB16, SXTAB16, SMLAD, SMLABB/SMLATT, SSAT, SSUB8
 * and SEL); everywhere else they compile to plain C that computes the same bits, so the library
 * still builds and runs (and is tested) on a host.
 *
 * Data layouts the helpers agree on (the generator rearranges weights into them):
 *  - A "column" is one output pixel's window of input values plus the input offset, as int16, in
 *    groups of 4 k stored as two 32-bit words: (x[k], x[k+2]) and (x[k+1], x[k+3]) — what SXTAB16
 *    and SXTAB16 with ROR #8 make of 4 consecutive input bytes. Window taps outside the image
 *    are 0 (an input equal to the zero point), which is exactly skipping them.
 *  - Weights stay int8 in their natural k order: SXTB16 (and SXTB16 ROR #8) of a word of 4 weights
 *    pairs them with a column's two words.
 *  - Multi-byte loads and stores go through memcpy (the compiler emits single LDR/STR: Armv7-M
 *    reads unaligned words), never through a cast int8 pointer.
 *
 * The requantization helpers are bit-identical to fixed_point.h's
 * fp_multiply_by_quantized_multiplier under both roundings (IMPULSE_SINGLE_ROUNDING), within the
 * preconditions stated on each, which the generator proves for every op from its weights, bias
 * and multipliers before it uses them (else the op calls fixed_point.h's generic function).
 */
#ifndef IMPULSE_NN_SIMD_H
#define IMPULSE_NN_SIMD_H

/*
 * GCC's first instruction-scheduling pass hoists every load of the matrix-product loops to the top
 * of the loop body, which leaves too few registers for the four accumulators and spills them
 * (measured with arm-none-eabi-gcc 12 at -O2: 41 instead of 38 instructions per 32 MACs, 9% of a
 * ResNet's inference). The model's C file is compiled without that pass; the Cortex-M4 has no
 * load latency worth hiding that way. Before any function below, so all share the setting.
 */
#if defined(__GNUC__) && !defined(__clang__) && defined(__ARM_ARCH)
#pragma GCC optimize("no-schedule-insns")
#endif

#include <stdint.h>
#include <string.h>
#include "../fixed_point.h"

#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP
#include <arm_acle.h>
#define NN_SIMD_DSP 1
#else
#define NN_SIMD_DSP 0
#endif

/*
 * The generated function of each op is kept out of line (inlined into the invoke function, its
 * inner loops compete for registers with the caller's and GCC 12 spills them: 1.3x the
 * instructions measured on the ResNet).
 */
#if defined(__GNUC__)
#define NN_NOINLINE __attribute__((noinline))
#else
#define NN_NOINLINE
#endif

/* Every helper is inlined, also at -Os (where GCC would call the small ones and lose the constants). */
#if defined(__GNUC__)
#define NN_INLINE static inline __attribute__((always_inline))
#else
#define NN_INLINE static inline
#endif

/* ---- loads and stores ------------------------------------------------------------------------ */

NN_INLINE uint32_t nn_load32(const void *p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}

NN_INLINE void nn_store32(void *p, uint32_t v) { memcpy(p, &v, 4); }

NN_INLINE void nn_store16(void *p, int32_t v) {
  const int16_t h = (int16_t)v;
  memcpy(p, &h, 2);
}

/* ---- the DSP instructions, and their C equivalents -------------------------------------------- */

/* Two int16 lanes: (lo, hi) as a word. */
NN_INLINE uint32_t nn_pack16(int32_t lo, int32_t hi) { return ((uint32_t)lo & 0xFFFFu) | ((uint32_t)hi << 16); }
NN_INLINE int32_t nn_lo16(uint32_t x) { return (int32_t)(int16_t)(x & 0xFFFFu); }
NN_INLINE int32_t nn_hi16(uint32_t x) { return (int32_t)(int16_t)(x >> 16); }
NN_INLINE int32_t nn_byte(uint32_t x, int i) { return (int32_t)(int8_t)((x >> (8 * i)) & 0xFFu); }

/* SXTB16: bytes 0 and 2 of x sign-extended into the two int16 lanes. */
NN_INLINE uint32_t nn_sxtb16(uint32_t x) {
#if NN_SIMD_DSP
  return (uint32_t)__sxtb16((int8x4_t)x);
#else
  return nn_pack16(nn_byte(x, 0), nn_byte(x, 2));
#endif
}

/* SXTB16 with ROR #8: bytes 1 and 3. (ACLE has no rotated form; GCC would emit ROR + SXTB16.) */
NN_INLINE uint32_t nn_sxtb16_ror8(uint32_t x) {
#if NN_SIMD_DSP && defined(__GNUC__)
  uint32_t r;
  __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(x));
  return r;
#else
  return nn_pack16(nn_byte(x, 1), nn_byte(x, 3));
#endif
}

/* SXTAB16: lanes of a plus bytes 0 and 2 of x (each lane wraps mod 2^16). */
NN_INLINE uint32_t nn_sxtab16(uint32_t a, uint32_t x) {
#if NN_SIMD_DSP
  return (uint32_t)__sxtab16((int16x2_t)a, (int8x4_t)x);
#else
  return nn_pack16(nn_lo16(a) + nn_byte(x, 0), nn_hi16(a) + nn_byte(x, 2));
#endif
}

/* SXTAB16 with ROR #8: lanes of a plus bytes 1 and 3 of x. */
NN_INLINE uint32_t nn_sxtab16_ror8(uint32_t a, uint32_t x) {
#if NN_SIMD_DSP && defined(__GNUC__)
  uint32_t r;
  __asm__("sxtab16 %0, %1, %2, ror #8" : "=r"(r) : "r"(a), "r"(x));
  return r;
#else
  return nn_pack16(nn_lo16(a) + nn_byte(x, 1), nn_hi16(a) + nn_byte(x, 3));
#endif
}

/* SMLAD: acc + lo(x) * lo(y) + hi(x) * hi(y), wrapping mod 2^32. */
NN_INLINE int32_t nn_smlad(uint32_t x, uint32_t y, int32_t acc) {
#if NN_SIMD_DSP
  return __smlad((int16x2_t)x, (int16x2_t)y, acc);
#else
  return (int32_t)((uint32_t)acc + (uint32_t)(nn_lo16(x) * nn_lo16(y)) + (uint32_t)(nn_hi16(x) * nn_hi16(y)));
#endif
}

/* SMLABB / SMLATT: acc + lo(x) * lo(y), acc + hi(x) * hi(y), wrapping mod 2^32. */
NN_INLINE int32_t nn_smlabb(uint32_t x, uint32_t y, int32_t acc) {
#if NN_SIMD_DSP
  return __smlabb((int32_t)x, (int32_t)y, acc);
#else
  return (int32_t)((uint32_t)acc + (uint32_t)(nn_lo16(x) * nn_lo16(y)));
#endif
}

NN_INLINE int32_t nn_smlatt(uint32_t x, uint32_t y, int32_t acc) {
#if NN_SIMD_DSP
  return __smlatt((int32_t)x, (int32_t)y, acc);
#else
  return (int32_t)((uint32_t)acc + (uint32_t)(nn_hi16(x) * nn_hi16(y)));
#endif
}

/* SMMULR: the high word of a * b, rounded: floor((a * b + 2^31) / 2^32). (No ACLE intrinsic.) */
NN_INLINE int32_t nn_smmulr(int32_t a, int32_t b) {
#if NN_SIMD_DSP && defined(__GNUC__)
  int32_t r;
  __asm__("smmulr %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
  return r;
#else
  return (int32_t)(((int64_t)a * b + ((int64_t)1 << 31)) >> 32);
#endif
}

/* SMMUL: the high word of a * b, floor(a * b / 2^32). */
NN_INLINE int32_t nn_smmul(int32_t a, int32_t b) { return (int32_t)(((int64_t)a * b) >> 32); }

/* SSAT #8: v clamped to [-128, 127]. */
NN_INLINE int32_t nn_ssat8(int32_t v) {
#if NN_SIMD_DSP
  return __ssat(v, 8);
#else
  return v < -128 ? -128 : (v > 127 ? 127 : v);
#endif
}

/* The bytewise maximum of four int8 lanes (SSUB8 sets the GE flags, SEL picks by them). */
NN_INLINE uint32_t nn_max_s8x4(uint32_t a, uint32_t b) {
#if NN_SIMD_DSP
  (void)__ssub8((int8x4_t)a, (int8x4_t)b);
  return __sel(a, b);
#else
  uint32_t r = 0;
  int i;
  for (i = 0; i < 4; i++) {
    const int32_t x = nn_byte(a, i), y = nn_byte(b, i);
    r |= (uint32_t)(uint8_t)(int8_t)(x > y ? x : y) << (8 * i);
  }
  return r;
#endif
}

/* The bytewise minimum of four int8 lanes. */
NN_INLINE uint32_t nn_min_s8x4(uint32_t a, uint32_t b) {
#if NN_SIMD_DSP
  (void)__ssub8((int8x4_t)a, (int8x4_t)b);
  return __sel(b, a);
#else
  uint32_t r = 0;
  int i;
  for (i = 0; i < 4; i++) {
    const int32_t x = nn_byte(a, i), y = nn_byte(b, i);
    r |= (uint32_t)(uint8_t)(int8_t)(x < y ? x : y) << (8 * i);
  }
  return r;
#endif
}

/* ---- requantization -------------------------------------------------------------------------- */

/*
 * acc * multiplier * 2^-right_shift / 2^31, rounded as fp_multiply_by_quantized_multiplier rounds
 * it under the build's IMPULSE_SINGLE_ROUNDING, for 1 <= right_shift <= 31 (shift = -right_shift),
 * 0 <= multiplier < 2^31 and |acc| <= 2^30 - 2 (the generator proves the bound per op):
 *  - double rounding: v = floor((acc * m + 2^30) / 2^31) is gemmlowp's
 *    SaturatingRoundingDoublingHighMul (its nudge-and-truncate equals this floor for every sign),
 *    = SMMULR(2 acc, m) since 2 acc fits in 32 bits; then RoundingDivideByPOT (half away from
 *    zero) = floor((v + 2^(rs-1) - [v < 0]) / 2^rs);
 *  - single rounding: floor((acc * m + 2^(30+rs)) / 2^(31+rs)) = floor((v + 2^(rs-1)) / 2^rs)
 *    with v = floor(acc * m / 2^31) = SMMUL(2 acc, m).
 * |v| <= |acc| + 1, so the additions cannot overflow. About six instructions.
 */
NN_INLINE int32_t nn_requantize(int32_t acc, int32_t multiplier, int32_t right_shift) {
#if IMPULSE_SINGLE_ROUNDING
  const int32_t v = nn_smmul(acc * 2, multiplier);
  return (v + (1 << (right_shift - 1))) >> right_shift;
#else
  const int32_t v = nn_smmulr(acc * 2, multiplier);
  return (v + (1 << (right_shift - 1)) - (int32_t)((uint32_t)v >> 31)) >> right_shift;
#endif
}

/*
 * x * multiplier / 2^31 rounded half up, for 0 <= multiplier < 2^31: what both roundings compute
 * for a shift of 0 (SaturatingRoundingDoublingHighMul; single rounding's 64-bit form is the same
 * floor((x * m + 2^30) / 2^31)).
 */
NN_INLINE int32_t nn_high_mul(int32_t x, int32_t multiplier) {
  return (int32_t)(((int64_t)x * multiplier + (1 << 30)) >> 31);
}

/* sum / count rounded half away from zero (TFLite's AveragePool), count > 0. */
NN_INLINE int32_t nn_div_round(int32_t sum, int32_t count) {
  return sum > 0 ? (sum + count / 2) / count : (sum - count / 2) / count;
}

/* ---- columns (im2col) ------------------------------------------------------------------------ */

/* Byte offset of entry k of a column (groups of 4 stored as (k, k+2), (k+1, k+3)). */
NN_INLINE int32_t nn_col_at(int32_t k) {
  return 2 * ((k & ~3) | ((k & 1) << 1) | ((k & 2) >> 1));
}

/* Column entries k .. k+n-1 = src[0 .. n-1] + offset, offset2 = the offset in both int16 lanes. */
NN_INLINE void nn_col_put(uint8_t *col, int32_t k, const int8_t *src, int32_t n, uint32_t offset2) {
  const int32_t offset = nn_lo16(offset2);
  int32_t i = 0, groups_end;
  for (; i < n && ((k + i) & 3) != 0; i++) nn_store16(col + nn_col_at(k + i), src[i] + offset);
  groups_end = i + ((n - i) & ~3);
  for (; i < groups_end; i += 4) {
    const uint32_t x = nn_load32(src + i);
    nn_store32(col + 2 * (k + i), nn_sxtab16(offset2, x));
    nn_store32(col + 2 * (k + i) + 4, nn_sxtab16_ror8(offset2, x));
  }
  for (; i < n; i++) nn_store16(col + nn_col_at(k + i), src[i] + offset);
}

/* Column entries k .. k+n-1 = 0 (window taps outside the image). */
NN_INLINE void nn_col_zero(uint8_t *col, int32_t k, int32_t n) {
  int32_t i = 0, groups_end;
  for (; i < n && ((k + i) & 3) != 0; i++) nn_store16(col + nn_col_at(k + i), 0);
  groups_end = i + ((n - i) & ~3);
  if (groups_end > i) memset(col + 2 * (k + i), 0, (size_t)(2 * (groups_end - i)));
  for (i = groups_end; i < n; i++) nn_store16(col + nn_col_at(k + i), 0);
}

/* ---- matrix products over columns -------------------------------------------------------------- */

/*
 * One group of 4 k of two columns (c0 and c0 + stride bytes) and two output channels (8 weight
 * bytes: 4 of channel a, then 4 of channel b): 4 loads, 4 SXTB16, 8 SMLAD for 16 MACs.
 */
NN_INLINE void nn_mac_2x2(const uint8_t *c0, int32_t stride, const int8_t *w, int32_t *a0, int32_t *b0, int32_t *a1, int32_t *b1) {
  const uint32_t x0e = nn_load32(c0), x0o = nn_load32(c0 + 4);
  const uint32_t x1e = nn_load32(c0 + stride), x1o = nn_load32(c0 + stride + 4);
  const uint32_t wa = nn_load32(w), wb = nn_load32(w + 4);
  uint32_t we = nn_sxtb16(wa), wo = nn_sxtb16_ror8(wa);
  *a0 = nn_smlad(x0o, wo, nn_smlad(x0e, we, *a0));
  *a1 = nn_smlad(x1o, wo, nn_smlad(x1e, we, *a1));
  we = nn_sxtb16(wb);
  wo = nn_sxtb16_ror8(wb);
  *b0 = nn_smlad(x0o, wo, nn_smlad(x0e, we, *b0));
  *b1 = nn_smlad(x1o, wo, nn_smlad(x1e, we, *b1));
}

/*
 * Columns col and col + stride times two output channels' weights (groups of 4 k interleaved:
 * 4 bytes of channel a, 4 of channel b), over `groups` groups: a0/b0 for the first column,
 * a1/b1 for the second. Two groups per iteration.
 */
NN_INLINE void nn_gemm_2x2(const uint8_t *col, int32_t stride, const int8_t *w, int32_t groups, int32_t *a0, int32_t *b0, int32_t *a1, int32_t *b1) {
  int32_t sa0 = *a0, sb0 = *b0, sa1 = *a1, sb1 = *b1;
  const uint8_t *const end = col + 8 * (groups & ~3);
  for (; col != end; col += 32, w += 32) {
    nn_mac_2x2(col, stride, w, &sa0, &sb0, &sa1, &sb1);
    nn_mac_2x2(col + 8, stride, w + 8, &sa0, &sb0, &sa1, &sb1);
    nn_mac_2x2(col + 16, stride, w + 16, &sa0, &sb0, &sa1, &sb1);
    nn_mac_2x2(col + 24, stride, w + 24, &sa0, &sb0, &sa1, &sb1);
  }
  if (groups & 2) {
    nn_mac_2x2(col, stride, w, &sa0, &sb0, &sa1, &sb1);
    nn_mac_2x2(col + 8, stride, w + 8, &sa0, &sb0, &sa1, &sb1);
    col += 16;
    w += 16;
  }
  if (groups & 1) nn_mac_2x2(col, stride, w, &sa0, &sb0, &sa1, &sb1);
  *a0 = sa0;
  *b0 = sb0;
  *a1 = sa1;
  *b1 = sb1;
}

/* One column times two output channels (weights interleaved as for nn_gemm_2x2). */
NN_INLINE void nn_gemm_1x2(const uint8_t *col, const int8_t *w, int32_t groups, int32_t *a, int32_t *b) {
  int32_t sa = *a, sb = *b, g;
  for (g = 0; g < groups; g++, col += 8, w += 8) {
    const uint32_t xe = nn_load32(col), xo = nn_load32(col + 4);
    const uint32_t wa = nn_load32(w), wb = nn_load32(w + 4);
    sa = nn_smlad(xo, nn_sxtb16_ror8(wa), nn_smlad(xe, nn_sxtb16(wa), sa));
    sb = nn_smlad(xo, nn_sxtb16_ror8(wb), nn_smlad(xe, nn_sxtb16(wb), sb));
  }
  *a = sa;
  *b = sb;
}

/* Columns col and col + stride times one output channel's weights (4 bytes per group). */
NN_INLINE void nn_gemm_2x1(const uint8_t *col, int32_t stride, const int8_t *w, int32_t groups, int32_t *a0, int32_t *a1) {
  int32_t s0 = *a0, s1 = *a1, g;
  for (g = 0; g < groups; g++, col += 8, w += 4) {
    const uint32_t wa = nn_load32(w);
    const uint32_t we = nn_sxtb16(wa), wo = nn_sxtb16_ror8(wa);
    s0 = nn_smlad(nn_load32(col + 4), wo, nn_smlad(nn_load32(col), we, s0));
    s1 = nn_smlad(nn_load32(col + stride + 4), wo, nn_smlad(nn_load32(col + stride), we, s1));
  }
  *a0 = s0;
  *a1 = s1;
}

/* One column times one output channel's weights. */
NN_INLINE int32_t nn_gemm_1x1(const uint8_t *col, const int8_t *w, int32_t groups, int32_t acc) {
  int32_t g;
  for (g = 0; g < groups; g++, col += 8, w += 4) {
    const uint32_t wa = nn_load32(w);
    acc = nn_smlad(nn_load32(col + 4), nn_sxtb16_ror8(wa), nn_smlad(nn_load32(col), nn_sxtb16(wa), acc));
  }
  return acc;
}

/* ---- fully connected: int8 inputs read directly --------------------------------------------------- */

/* One group of 4 inputs (extended: xe, xo) times the next word of weights of one unit. */
NN_INLINE int32_t nn_mac_unit(uint32_t xe, uint32_t xo, const int8_t *w, int32_t acc) {
  const uint32_t wv = nn_load32(w);
  return nn_smlad(xo, nn_sxtb16_ror8(wv), nn_smlad(xe, nn_sxtb16(wv), acc));
}

/* One group of 4 inputs times the 4 units' words of weights that follow each other at w. */
NN_INLINE void nn_mac_4units(const int8_t *x, const int8_t *w, uint32_t offset2, int32_t *a0, int32_t *a1, int32_t *a2, int32_t *a3) {
  const uint32_t xw = nn_load32(x);
  const uint32_t xe = nn_sxtab16(offset2, xw), xo = nn_sxtab16_ror8(offset2, xw);
  *a0 = nn_mac_unit(xe, xo, w, *a0);
  *a1 = nn_mac_unit(xe, xo, w + 4, *a1);
  *a2 = nn_mac_unit(xe, xo, w + 8, *a2);
  *a3 = nn_mac_unit(xe, xo, w + 12, *a3);
}

/*
 * Four output units at once: a[u] += sum over `groups` groups of 4 inputs of w * (x + offset),
 * the weights of the 4 units interleaved by groups (4 bytes of unit 0, of unit 1, …). The input is
 * extended once per group and used by the 4 units. Two groups per iteration.
 */
NN_INLINE void nn_dot_4units(const int8_t *x, const int8_t *w, int32_t groups, uint32_t offset2, int32_t *a0, int32_t *a1, int32_t *a2, int32_t *a3) {
  int32_t s0 = *a0, s1 = *a1, s2 = *a2, s3 = *a3;
  const int8_t *const end = x + 4 * (groups & ~1);
  for (; x != end; x += 8, w += 32) {
    nn_mac_4units(x, w, offset2, &s0, &s1, &s2, &s3);
    nn_mac_4units(x + 4, w + 16, offset2, &s0, &s1, &s2, &s3);
  }
  if (groups & 1) nn_mac_4units(x, w, offset2, &s0, &s1, &s2, &s3);
  *a0 = s0;
  *a1 = s1;
  *a2 = s2;
  *a3 = s3;
}

/* One output unit: acc + sum over `groups` groups of 4 of w * (x + offset). */
NN_INLINE int32_t nn_dot_1unit(const int8_t *x, const int8_t *w, int32_t groups, uint32_t offset2, int32_t acc) {
  const int8_t *const end = x + 4 * groups;
  for (; x != end; x += 4, w += 4) {
    const uint32_t xw = nn_load32(x), wv = nn_load32(w);
    acc = nn_smlad(nn_sxtab16_ror8(offset2, xw), nn_sxtb16_ror8(wv), nn_smlad(nn_sxtab16(offset2, xw), nn_sxtb16(wv), acc));
  }
  return acc;
}

/* ---- depthwise: four channels of one tap -------------------------------------------------------- */

/*
 * a[j] += w[j] * (x[j] + offset) for the 4 channels at x and w: the input and weight words are
 * split into even and odd channels and multiplied lane by lane (SMLABB, SMLATT).
 */
NN_INLINE void nn_dw_tap4(const int8_t *x, const int8_t *w, uint32_t offset2, int32_t *a0, int32_t *a1, int32_t *a2, int32_t *a3) {
  const uint32_t xw = nn_load32(x), wv = nn_load32(w);
  const uint32_t xe = nn_sxtab16(offset2, xw), xo = nn_sxtab16_ror8(offset2, xw);
  const uint32_t we = nn_sxtb16(wv), wo = nn_sxtb16_ror8(wv);
  *a0 = nn_smlabb(xe, we, *a0);
  *a2 = nn_smlatt(xe, we, *a2);
  *a1 = nn_smlabb(xo, wo, *a1);
  *a3 = nn_smlatt(xo, wo, *a3);
}

/* ---- average pooling: four channels summed in int16 lanes ------------------------------------------ */

/* Adds the 4 int8 channels at x to the lane sums even (channels 0, 2) and odd (1, 3). */
NN_INLINE void nn_sum_s8x4(const int8_t *x, uint32_t *even, uint32_t *odd) {
  const uint32_t xw = nn_load32(x);
  *even = nn_sxtab16(*even, xw);
  *odd = nn_sxtab16_ror8(*odd, xw);
}

#endif /* IMPULSE_NN_SIMD_H */
