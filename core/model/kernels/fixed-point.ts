/**
 * The integer arithmetic of TFLite's int8 kernels (TensorFlow Lite Micro's reference kernels and
 * gemmlowp's fixed-point helpers), on JS numbers holding int32 values.
 *
 * Every function returns exactly what its C counterpart in `fixed_point.h` returns for the same
 * int32 arguments — including the wrap-around of an int32 left shift and the saturating cases —
 * because the generated C is compared with this file bit for bit.
 *
 * 64-bit products are never formed: a product of two int32 values can need 62 bits, more than a
 * double holds exactly, so SaturatingRoundingDoublingHighMul splits one factor in 16-bit halves.
 */

import type { Rounding } from '../ir.js';

export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;
const TWO_POW_31 = 2147483648;
const TWO_POW_16 = 65536;
const TWO_POW_15 = 32768;

/** A real multiplier as TFLite represents it: `multiplier × 2^shift / 2^31`, multiplier in [2^30, 2^31). */
export interface QuantizedMultiplier {
  readonly multiplier: number;
  readonly shift: number;
}

/** Round half away from zero (C's round/roundf, TFLite's TfLiteRound). */
export function roundHalfAwayFromZero(x: number): number {
  return x < 0 ? -Math.floor(-x + 0.5) : Math.floor(x + 0.5);
}

/** frexp: x = fraction × 2^exponent with |fraction| in [0.5, 1) (both 0 for x = 0). */
export function frexp(x: number): { fraction: number; exponent: number } {
  if (x === 0 || !Number.isFinite(x)) return { fraction: x, exponent: 0 };
  let exponent = Math.max(-1073, Math.floor(Math.log2(Math.abs(x))) + 1);
  let fraction = x * 2 ** -exponent;
  // log2 may be off by one near powers of two; settle it exactly (scaling by 2 is exact).
  while (Math.abs(fraction) < 0.5) {
    fraction *= 2;
    exponent--;
  }
  while (Math.abs(fraction) >= 1) {
    fraction /= 2;
    exponent++;
  }
  return { fraction, exponent };
}

/**
 * TFLite's QuantizeMultiplier: the int32 significand of `real` in Q0.31, rounded half away from
 * zero, and its power-of-two exponent. Multipliers below 2^-31 flush to 0; with single rounding a
 * shift above 30 saturates (the 64-bit product must keep a rounding bit).
 */
export function quantizeMultiplier(real: number, rounding: Rounding = 'double'): QuantizedMultiplier {
  if (real === 0) return { multiplier: 0, shift: 0 };
  const { fraction, exponent } = frexp(real);
  let q = roundHalfAwayFromZero(fraction * TWO_POW_31);
  let shift = exponent;
  if (q === TWO_POW_31) {
    q /= 2;
    shift++;
  }
  if (shift < -31) return { multiplier: 0, shift: 0 };
  if (usesSingleRounding(rounding) && shift > 30) return { multiplier: INT32_MAX, shift: 30 };
  return { multiplier: q, shift };
}

/**
 * gemmlowp SaturatingRoundingDoublingHighMul: a × b / 2^31 rounded to nearest, ties upwards
 * (1.5 → 2, −1.5 → −1: the nudge ±(2^30 − ½) then C's truncating division), the one overflow
 * (INT32_MIN × INT32_MIN) saturating to INT32_MAX. a, b: int32.
 */
export function saturatingRoundingDoublingHighMul(a: number, b: number): number {
  if (a === INT32_MIN && b === INT32_MIN) return INT32_MAX;
  // a·b = a·bHigh·2^16 + a·bLow, each partial product exact in a double (< 2^47 in magnitude).
  const bLow = b & 0xffff;
  const bHigh = (b - bLow) / TWO_POW_16;
  const p1 = a * bHigh;
  const p2 = a * bLow;
  // Rounded, this sum may be inexact, but never of the wrong sign: enough to choose the nudge.
  const nudge = p1 * TWO_POW_16 + p2 >= 0 ? 1 << 30 : 1 - (1 << 30);
  // (ab + nudge) / 2^31, truncated towards zero, computed exactly: p1 = h·2^15 + r, 0 ≤ r < 2^15.
  const h = Math.floor(p1 / TWO_POW_15);
  const r = p1 - h * TWO_POW_15;
  const s = r * TWO_POW_16 + p2 + nudge; // exact: |s| < 2^48
  const sFloor = Math.floor(s / TWO_POW_31);
  const floorQuotient = h + sFloor;
  const remainder = s - sFloor * TWO_POW_31;
  return floorQuotient < 0 && remainder !== 0 ? floorQuotient + 1 : floorQuotient;
}

/** gemmlowp RoundingDivideByPOT: x / 2^exponent rounded to nearest, ties away from zero. x int32, exponent 0..31. */
export function roundingDivideByPOT(x: number, exponent: number): number {
  if (exponent === 0) return x;
  const mask = exponent === 31 ? 0x7fffffff : (1 << exponent) - 1;
  const remainder = x & mask;
  const threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/** int32 × 2^shift with C's int32 wrap-around (what `x * (1 << shift)` does on every target we build for). */
export function shiftLeftWrapping(x: number, shift: number): number {
  return (x << shift) | 0;
}

/**
 * TFLite MultiplyByQuantizedMultiplier (double rounding): x × multiplier × 2^shift / 2^31.
 * A positive shift is applied before the high multiply (wrapping like the C), a negative one after
 * it with rounding.
 */
export function multiplyByQuantizedMultiplier(x: number, multiplier: number, shift: number): number {
  const leftShift = shift > 0 ? shift : 0;
  const rightShift = shift > 0 ? 0 : -shift;
  return roundingDivideByPOT(saturatingRoundingDoublingHighMul(shiftLeftWrapping(x, leftShift), multiplier), rightShift);
}

/**
 * TFLite's single-rounding MultiplyByQuantizedMultiplier: (x × multiplier + 2^(k−1)) >> k with
 * k = 31 − shift, on the exact 64-bit product. multiplier ≥ 0, shift in −31..30.
 *
 * Exactly, without 64-bit integers: with multiplier = mh·2^16 + ml, x·multiplier = c·2^16 + r
 * where c = x·mh + floor(x·ml / 2^16) and 0 ≤ r < 2^16 (all exact in doubles); the rounding
 * constant and the shift then act on c alone (r cannot carry into the result when k > 16).
 */
export function multiplyByQuantizedMultiplierSingleRounding(x: number, multiplier: number, shift: number): number {
  const k = 31 - shift;
  const ml = multiplier & 0xffff;
  const mh = (multiplier - ml) / TWO_POW_16;
  const low = x * ml;
  const carry = Math.floor(low / TWO_POW_16);
  const r = low - carry * TWO_POW_16;
  const c = x * mh + carry;
  if (k > 16) return Math.floor((c + 2 ** (k - 17)) / 2 ** (k - 16));
  if (k === 16) return c + Math.floor((r + 2 ** 15) / TWO_POW_16);
  // k < 16 (multipliers ≥ 2^15): the result is c·2^(16−k) + the rounded low part; TFLite requires it to fit int32.
  return c * 2 ** (16 - k) + Math.floor((r + 2 ** (k - 1)) / 2 ** k);
}

/** The requantization of an accumulator under a rounding mode: x × multiplier × 2^shift / 2^31. */
export type Requantize = (x: number, multiplier: number, shift: number) => number;

/** 'single', and 'xnnpack' for the ops TFLite's XNNPACK delegate leaves to TFLite's builtin kernels. */
export function usesSingleRounding(rounding: Rounding): boolean {
  return rounding !== 'double';
}

export function requantizer(rounding: Rounding = 'double'): Requantize {
  return usesSingleRounding(rounding) ? multiplyByQuantizedMultiplierSingleRounding : multiplyByQuantizedMultiplier;
}

/** Round to nearest, ties to even (IEEE 754's default; lrintf, and XNNPACK's magic-bias trick). */
export function roundHalfToEven(x: number): number {
  const floor = Math.floor(x);
  const fraction = x - floor; // exact for |x| < 2^52
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * XNNPACK's fp32 requantization (rounding 'xnnpack'): the int32 accumulator converted to float32,
 * times the float32 scale in float32, rounded to nearest with ties to even. Clamping afterwards
 * gives what XNNPACK's clamp-then-round gives (rounding is monotonic).
 */
export function requantizeFloat32(acc: number, scale: number): number {
  return roundHalfToEven(Math.fround(Math.fround(acc) * scale));
}

/** TFLite MultiplyByQuantizedMultiplierSmallerThanOneExp (used by ADD): rounding right shift after the high multiply. */
export function multiplyByQuantizedMultiplierSmallerThanOneExp(x: number, multiplier: number, leftShift: number): number {
  return roundingDivideByPOT(saturatingRoundingDoublingHighMul(x, multiplier), -leftShift);
}

/** TFLite MultiplyByQuantizedMultiplierGreaterThanOne (used by SOFTMAX). */
export function multiplyByQuantizedMultiplierGreaterThanOne(x: number, multiplier: number, leftShift: number): number {
  return saturatingRoundingDoublingHighMul(shiftLeftWrapping(x, leftShift), multiplier);
}

/** ADD's and SOFTMAX's requantization: with single rounding both are the plain single-rounding multiply. */
export function smallerThanOneRequantizer(rounding: Rounding = 'double'): Requantize {
  return usesSingleRounding(rounding) ? multiplyByQuantizedMultiplierSingleRounding : multiplyByQuantizedMultiplierSmallerThanOneExp;
}

export function greaterThanOneRequantizer(rounding: Rounding = 'double'): Requantize {
  return usesSingleRounding(rounding) ? multiplyByQuantizedMultiplierSingleRounding : multiplyByQuantizedMultiplierGreaterThanOne;
}

/** Clamp to [lo, hi]. */
export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

// ---- gemmlowp fixed-point math for the int8 softmax ----------------------------------------------
// A FixedPoint<int32, I> value is raw / 2^(31 − I). Only the operations softmax needs.

/** int32 wrap-around addition and subtraction (gemmlowp's Add/Sub on int32). */
const add32 = (a: number, b: number): number => (a + b) | 0;
const sub32 = (a: number, b: number): number => (a - b) | 0;

/** gemmlowp SaturatingRoundingMultiplyByPOT<exponent> on a raw int32. */
export function saturatingRoundingMultiplyByPOT(x: number, exponent: number): number {
  if (exponent === 0) return x;
  if (exponent < 0) return roundingDivideByPOT(x, -exponent);
  const threshold = (1 << (31 - exponent)) - 1;
  if (x > threshold) return INT32_MAX;
  if (x < -threshold) return INT32_MIN;
  return shiftLeftWrapping(x, exponent);
}

/** gemmlowp Rescale<dst>(FixedPoint<src>): changes the integer bits, saturating/rounding. */
export function rescale(raw: number, srcIntegerBits: number, dstIntegerBits: number): number {
  return saturatingRoundingMultiplyByPOT(raw, srcIntegerBits - dstIntegerBits);
}

/** gemmlowp RoundingHalfSum on int32: (a + b) / 2 rounded away from zero. */
export function roundingHalfSum(a: number, b: number): number {
  const sum = a + b; // exact in a double
  return Math.trunc((sum + (sum >= 0 ? 1 : -1)) / 2);
}

const ONE_Q0 = INT32_MAX; // FixedPoint<int32, 0>::One()
const EXP_MINUS_ONE_EIGHTH_Q0 = 1895147668; // exp(-1/8) in Q0.31
const ONE_THIRD_Q0 = 715827883; // 1/3 in Q0.31
/** exp(−2^k) in Q0.31 for k = −2 … 4, the barrel shifter of exp_on_negative_values. */
const EXP_OF_MINUS_POT: readonly (readonly [number, number])[] = [
  [-2, 1672461947],
  [-1, 1302514674],
  [0, 790015084],
  [1, 290630308],
  [2, 39332535],
  [3, 720401],
  [4, 242],
];

/** exp(a) for a in [−1/4, 0), a and result in Q0.31 (Taylor expansion around −1/8). */
export function expOnIntervalBetweenNegativeOneQuarterAnd0Excl(a: number): number {
  const mul = saturatingRoundingDoublingHighMul;
  const x = add32(a, 1 << 28); // a + 1/8
  const x2 = mul(x, x);
  const x3 = mul(x2, x);
  const x4 = mul(x2, x2);
  const x4Over4 = saturatingRoundingMultiplyByPOT(x4, -2);
  const poly = saturatingRoundingMultiplyByPOT(add32(mul(add32(x4Over4, x3), ONE_THIRD_Q0), x2), -1);
  return add32(EXP_MINUS_ONE_EIGHTH_Q0, mul(EXP_MINUS_ONE_EIGHTH_Q0, add32(x, poly)));
}

/** exp(a) for a ≤ 0; a in Q(integerBits).(31 − integerBits), the result in Q0.31. */
export function expOnNegativeValues(a: number, integerBits: number): number {
  const fractionalBits = 31 - integerBits;
  const oneQuarter = 1 << (fractionalBits - 2);
  const mask = oneQuarter - 1;
  const aModQuarterMinusOneQuarter = sub32(a & mask, oneQuarter);
  let result = expOnIntervalBetweenNegativeOneQuarterAnd0Excl(rescale(aModQuarterMinusOneQuarter, integerBits, 0));
  const remainder = sub32(aModQuarterMinusOneQuarter, a);
  for (const [exponent, multiplier] of EXP_OF_MINUS_POT) {
    if (integerBits > exponent) {
      const bit = fractionalBits + exponent;
      if ((remainder & (1 << bit)) !== 0) result = saturatingRoundingDoublingHighMul(result, multiplier);
    }
  }
  if (integerBits > 5) {
    const clampAt = -(1 << (36 - integerBits)); // −32 in this format
    if (a < clampAt) result = 0;
  }
  return a === 0 ? ONE_Q0 : result;
}

/** 1 / (1 + a) for a in [0, 1), a and result in Q0.31 (Newton–Raphson, three steps). */
export function oneOverOnePlusXForXIn01(a: number): number {
  const mul = saturatingRoundingDoublingHighMul;
  const halfDenominator = roundingHalfSum(a, ONE_Q0);
  const constant48Over17 = 1515870810; // Q2.29
  const constantNeg32Over17 = -1010580540; // Q2.29
  const oneQ2 = 1 << 29;
  let x = add32(constant48Over17, mul(halfDenominator, constantNeg32Over17));
  for (let i = 0; i < 3; i++) {
    const halfDenominatorTimesX = mul(halfDenominator, x);
    const oneMinus = sub32(oneQ2, halfDenominatorTimesX);
    x = add32(x, rescale(mul(x, oneMinus), 4, 2));
  }
  // Rescale<0>(ExactMulByPot<-1>(x)): x read as Q1.30, then to Q0.31.
  return rescale(x, 1, 0);
}

/** Count of leading zero bits of an int32 read as uint32 (32 for 0). */
export function countLeadingZeros(x: number): number {
  return Math.clz32(x);
}

/**
 * TFLite GetReciprocal: 1 / x for x in Q(integerBits), as a Q0.31 value and the number of bits
 * the true reciprocal lies above it (the caller shifts by it).
 */
export function reciprocal(x: number, integerBits: number): { raw: number; bitsOverUnit: number } {
  const headroomPlusOne = countLeadingZeros(x);
  const bitsOverUnit = integerBits - headroomPlusOne;
  const shiftedSumMinusOne = (((x >>> 0) * 2 ** headroomPlusOne) % 2 ** 32) - TWO_POW_31; // (uint32(x) << h) − 2^31
  return { raw: oneOverOnePlusXForXIn01(shiftedSumMinusOne | 0), bitsOverUnit };
}
