/**
 * The fixed-point helpers against values worked out by hand from their definitions in TFLite and
 * gemmlowp (the arithmetic is written out in each comment), including ties, saturation, the int32
 * wrap of a left shift and negative shifts; the fixed-point exp and reciprocal against Math.exp.
 */
import { describe, expect, test } from 'vitest';
import {
  INT32_MAX,
  INT32_MIN,
  expOnNegativeValues,
  frexp,
  multiplyByQuantizedMultiplier,
  multiplyByQuantizedMultiplierGreaterThanOne,
  multiplyByQuantizedMultiplierSingleRounding as singleRounding,
  multiplyByQuantizedMultiplierSmallerThanOneExp,
  oneOverOnePlusXForXIn01,
  quantizeMultiplier,
  reciprocal,
  requantizeFloat32,
  roundHalfAwayFromZero,
  roundHalfToEven,
  roundingDivideByPOT,
  roundingHalfSum,
  saturatingRoundingDoublingHighMul as srdhm,
  saturatingRoundingMultiplyByPOT,
} from './fixed-point.js';
import { quantizeValue } from './data-movement.js';

describe('quantizeMultiplier (frexp, significand rounded into Q0.31)', () => {
  test('powers of two and simple fractions', () => {
    expect(quantizeMultiplier(0.5)).toEqual({ multiplier: 2 ** 30, shift: 0 }); // 0.5 = 0.5·2^0
    expect(quantizeMultiplier(1)).toEqual({ multiplier: 2 ** 30, shift: 1 }); // 1 = 0.5·2^1
    expect(quantizeMultiplier(0.75)).toEqual({ multiplier: 1610612736, shift: 0 }); // 0.75·2^31
    expect(quantizeMultiplier(3)).toEqual({ multiplier: 1610612736, shift: 2 }); // 0.75·2^2
  });
  test('a scale of 0.003: 0.768·2^-8, 0.768·2^31 = 1649267441.664 → 1649267442', () => {
    expect(quantizeMultiplier(0.003)).toEqual({ multiplier: 1649267442, shift: -8 });
  });
  test('a significand that rounds up to 2^31 is halved and the shift raised', () => {
    // 1 − 2^-33 = (1 − 2^-33)·2^0; ×2^31 = 2^31 − 0.25 → rounds to 2^31 → 2^30, shift 1
    expect(quantizeMultiplier(1 - 2 ** -33)).toEqual({ multiplier: 2 ** 30, shift: 1 });
  });
  test('zero, and multipliers below 2^-31 flush to zero', () => {
    expect(quantizeMultiplier(0)).toEqual({ multiplier: 0, shift: 0 });
    expect(quantizeMultiplier(2 ** -40)).toEqual({ multiplier: 0, shift: 0 }); // frexp exponent −39 < −31
    expect(quantizeMultiplier(2 ** -31)).toEqual({ multiplier: 2 ** 30, shift: -30 }); // exponent −30: kept
  });
  test('frexp agrees with the definition on awkward values', () => {
    for (const x of [1e-30, 0.1, 1 / 3, 1, 2, 1000.5, 2 ** 40 - 1, 4.9e-324 * 2 ** 60]) {
      const { fraction, exponent } = frexp(x);
      expect(fraction).toBeGreaterThanOrEqual(0.5);
      expect(fraction).toBeLessThan(1);
      expect(fraction * 2 ** exponent).toBe(x);
    }
  });
});

describe('SaturatingRoundingDoublingHighMul: (a·b + nudge) / 2^31, truncated', () => {
  test('exact products', () => {
    expect(srdhm(2 ** 30, 2 ** 30)).toBe(2 ** 29); // (2^60 + 2^30) / 2^31 = 2^29 + 0.5 → 2^29
    expect(srdhm(0, INT32_MIN)).toBe(0);
    expect(srdhm(1, 2 ** 30)).toBe(1); // 0.5 → (2^30 + 2^30)/2^31 = 1
  });
  test('ties go up: 1.5 → 2 but −1.5 → −1, −2.5 → −2', () => {
    expect(srdhm(3, 2 ** 30)).toBe(2); // (3·2^30 + 2^30) / 2^31 = 2
    expect(srdhm(-3, 2 ** 30)).toBe(-1); // (−3·2^30 + 1 − 2^30) / 2^31 = −2 + 2^-31 → −1
    expect(srdhm(-5, 2 ** 30)).toBe(-2); // (−6·2^30 + 1) / 2^31 → −2
  });
  test('non-ties round to nearest', () => {
    expect(srdhm(-7, 2 ** 29)).toBe(-2); // −1.75: (−9·2^29 + 1)/2^31 = −2.25 + ε → −2
    expect(srdhm(7, 2 ** 29)).toBe(2); // 1.75: (9·2^29)/2^31 = 2.25 → 2
    expect(srdhm(5, 2 ** 29)).toBe(1); // 1.25: (7·2^29)/2^31 = 1.75 → 1
  });
  test('the only overflow saturates; extreme products are exact', () => {
    expect(srdhm(INT32_MIN, INT32_MIN)).toBe(INT32_MAX);
    // −2^31·(2^31 − 1) = −2^62 + 2^31; + 1 − 2^30 → /2^31 = −2^31 + ½ + 2^-31 → −2147483647
    expect(srdhm(INT32_MIN, INT32_MAX)).toBe(-2147483647);
    // (2^31 − 1)^2 = 2^62 − 2^32 + 1; + 2^30 → /2^31 = 2^31 − 2 + ½ + 2^-31 → 2147483646
    expect(srdhm(INT32_MAX, INT32_MAX)).toBe(2147483646);
  });
  test('agrees with BigInt arithmetic on 20,000 seeded random pairs', () => {
    let s = 12345;
    const next = () => {
      s = (Math.imul(s, 1103515245) + 12345) | 0;
      return s;
    };
    for (let i = 0; i < 20000; i++) {
      const a = next();
      const b = i % 3 === 0 ? next() >> (i % 31) : next();
      const ab = BigInt(a) * BigInt(b);
      const nudge = ab >= 0n ? 1n << 30n : 1n - (1n << 30n);
      const want = a === INT32_MIN && b === INT32_MIN ? INT32_MAX : Number((ab + nudge) / (1n << 31n)); // BigInt division truncates like C
      expect(srdhm(a, b)).toBe(want);
    }
  });
});

describe('RoundingDivideByPOT: x / 2^e, ties away from zero', () => {
  test('ties and non-ties of both signs', () => {
    expect(roundingDivideByPOT(5, 1)).toBe(3); // 2.5: 5 >> 1 = 2, remainder 1 > threshold 0
    expect(roundingDivideByPOT(-5, 1)).toBe(-3); // −2.5: −5 >> 1 = −3, remainder 1 ≤ threshold 1
    expect(roundingDivideByPOT(-6, 2)).toBe(-2); // −1.5: −6 >> 2 = −2, remainder 2 ≤ threshold 2
    expect(roundingDivideByPOT(7, 2)).toBe(2); // 1.75
    expect(roundingDivideByPOT(-7, 2)).toBe(-2); // −1.75: −7 >> 2 = −2, remainder 1 ≤ 2
    expect(roundingDivideByPOT(9, 0)).toBe(9);
  });
  test('a shift of 31', () => {
    expect(roundingDivideByPOT(INT32_MIN, 31)).toBe(-1); // exactly −1
    expect(roundingDivideByPOT(INT32_MAX, 31)).toBe(1); // 0.99999… → 1
    expect(roundingDivideByPOT(2 ** 30 - 1, 31)).toBe(0); // 0.4999… → 0
  });
});

describe('MultiplyByQuantizedMultiplier and its variants', () => {
  test('negative shift: rounding right shift after the high multiply', () => {
    expect(multiplyByQuantizedMultiplier(100, 2 ** 30, -1)).toBe(25); // 100 · ½ · ½
    expect(multiplyByQuantizedMultiplier(-100, 2 ** 30, -3)).toBe(-6); // −50 / 8 = −6.25
    expect(multiplyByQuantizedMultiplier(-100, 2 ** 30, -2)).toBe(-13); // −50 / 4 = −12.5 → −13 (RoundingDivideByPOT)
  });
  test('positive shift: left shift first, wrapping like int32 arithmetic', () => {
    expect(multiplyByQuantizedMultiplier(100, 2 ** 30, 2)).toBe(200); // (100·4)·½
    expect(multiplyByQuantizedMultiplier(2 ** 30, 2 ** 30, 2)).toBe(0); // 2^30·4 wraps to 0
    expect(multiplyByQuantizedMultiplier(2 ** 29 + 1, 2 ** 30, 2)).toBe(-(2 ** 30) + 2); // 2^31 + 4 wraps to −2^31 + 4; ·½
  });
  test('a huge accumulator times ~1 saturates only at INT32_MIN²', () => {
    expect(multiplyByQuantizedMultiplier(INT32_MAX, INT32_MAX, 0)).toBe(2147483646);
    expect(multiplyByQuantizedMultiplier(INT32_MAX, INT32_MAX, -31)).toBe(1);
  });
  test('the ADD and SOFTMAX forms', () => {
    expect(multiplyByQuantizedMultiplierSmallerThanOneExp(1000, 2 ** 30, -2)).toBe(125); // 1000·½ / 4
    expect(multiplyByQuantizedMultiplierGreaterThanOne(-3, 2 ** 30, 3)).toBe(-12); // (−3·8)·½
  });
});

describe('single rounding (TFLITE_SINGLE_ROUNDING): (x·m + 2^(k−1)) >> k, k = 31 − shift', () => {
  test('by hand', () => {
    expect(singleRounding(100, 2 ** 30, -1)).toBe(25); // 100·2^30 / 2^32 = 25
    expect(singleRounding(-5, 2 ** 30, 0)).toBe(-2); // −2.5 + ½ = −2 → floor −2 (ties upwards)
    expect(singleRounding(5, 2 ** 30, 0)).toBe(3); // 2.5 → 3
    expect(singleRounding(-100, 2 ** 30, -2)).toBe(-12); // −12.5 → −12 (double rounding gives −13)
    expect(multiplyByQuantizedMultiplier(-100, 2 ** 30, -2)).toBe(-13);
    expect(singleRounding(3, 2 ** 30, 30)).toBe(1610612736); // 3·2^30·2^30/2^31 = 3·2^29 (k = 1)
  });
  test('the multiplier of a shift above 30 saturates', () => {
    expect(quantizeMultiplier(2 ** 40, 'single')).toEqual({ multiplier: INT32_MAX, shift: 30 });
    expect(quantizeMultiplier(2 ** 40, 'double')).toEqual({ multiplier: 2 ** 30, shift: 41 });
  });
  test('agrees with BigInt arithmetic on 20,000 seeded random cases, every shift', () => {
    let s = 777;
    const next = () => {
      s = (Math.imul(s, 1103515245) + 12345) | 0;
      return s;
    };
    for (let i = 0; i < 20000; i++) {
      const shift = (i % 62) - 31; // −31 … 30
      const m = (next() >>> 1) | 0x40000000; // a normalised significand in [2^30, 2^31)
      const x = shift > 0 ? next() >> (shift + 1) : next(); // keep the result in int32 as TFLite requires
      const k = BigInt(31 - shift);
      const want = Number((BigInt(x) * BigInt(m) + (1n << (k - 1n))) >> k);
      expect(singleRounding(x, m, shift)).toBe(want);
    }
  });
});

describe('gemmlowp helpers', () => {
  test('SaturatingRoundingMultiplyByPOT saturates on the left, rounds on the right', () => {
    expect(saturatingRoundingMultiplyByPOT(2 ** 28, 2)).toBe(2 ** 30);
    expect(saturatingRoundingMultiplyByPOT(2 ** 29, 2)).toBe(INT32_MAX); // > threshold 2^29 − 1
    expect(saturatingRoundingMultiplyByPOT(-(2 ** 29), 2)).toBe(INT32_MIN);
    expect(saturatingRoundingMultiplyByPOT(-(2 ** 29) + 1, 2)).toBe(-(2 ** 31) + 4);
    expect(saturatingRoundingMultiplyByPOT(-5, -1)).toBe(-3);
  });
  test('RoundingHalfSum rounds half away from zero', () => {
    expect(roundingHalfSum(1, 2)).toBe(2);
    expect(roundingHalfSum(-1, -2)).toBe(-2);
    expect(roundingHalfSum(INT32_MAX, INT32_MAX)).toBe(INT32_MAX); // no overflow: the sum is taken in 64 bits
  });
  test('exp on negative values (Q5.26 in, Q0.31 out): exp(0) = One, and Math.exp within the Taylor polynomial\'s 2.5e-7', () => {
    // gemmlowp: exp on [−¼, 0) by a 4th-order Taylor polynomial around −⅛ (error ≈ (⅛)^5/5! = 2.5e-7),
    // then one constant exp(−2^k) per set bit of the integer part (a barrel shifter).
    expect(expOnNegativeValues(0, 5)).toBe(INT32_MAX);
    let worst = 0;
    for (let a = -31 * 2 ** 26; a < 0; a += 123457) worst = Math.max(worst, Math.abs(expOnNegativeValues(a, 5) / 2 ** 31 - Math.exp(a / 2 ** 26)));
    expect(worst).toBeLessThan(2.5e-7);
    expect(worst).toBeGreaterThan(1e-8); // it is the polynomial, not an exact exp
  });
  test('1 / (1 + x) on [0, 1) and the reciprocal of a Q12.19 sum', () => {
    for (let x = 0; x < 2 ** 31 - 1; x += 98765432) {
      expect(Math.abs(oneOverOnePlusXForXIn01(x) / 2 ** 31 - 1 / (1 + x / 2 ** 31))).toBeLessThan(3e-9);
    }
    // sum = 3.0 in Q12.19; clz = 32 − 21 = 11 → bitsOverUnit 12 − 11 = 1: 1/3 = (result/2^31) / 2^1
    const r = reciprocal(3 * 2 ** 19, 12);
    expect(r.bitsOverUnit).toBe(1);
    expect(Math.abs(r.raw / 2 ** 31 / 2 - 1 / 3)).toBeLessThan(3e-9);
  });
});

describe('rounding of float to int8 (TFLite AffineQuantize)', () => {
  test('half away from zero, saturated, NaN to the zero point', () => {
    expect(roundHalfAwayFromZero(2.5)).toBe(3);
    expect(roundHalfAwayFromZero(-2.5)).toBe(-3);
    expect(quantizeValue(2.5, 1, 0)).toBe(3);
    expect(quantizeValue(-2.5, 1, 0)).toBe(-3);
    expect(quantizeValue(0.25, 0.5, -128)).toBe(-127); // 0.5 → 1, −128 + 1
    expect(quantizeValue(1e9, 0.1, 5)).toBe(127);
    expect(quantizeValue(-Infinity, 0.1, 5)).toBe(-128);
    expect(quantizeValue(Number.NaN, 0.1, 5)).toBe(5);
  });
});

describe("XNNPACK's float32 requantization (rounding 'xnnpack')", () => {
  test('ties to even, on both sides of zero', () => {
    expect([2.5, 3.5, -2.5, -3.5, -0.5, 0.5, 2.4999, -2.5001].map(roundHalfToEven)).toEqual([2, 4, -2, -4, 0, 0, 2, -3]);
  });
  test('the accumulator times the scale, both float32, the product rounded to float32', () => {
    expect(requantizeFloat32(3, 0.5)).toBe(2); // 1.5 → 2
    expect(requantizeFloat32(5, 0.5)).toBe(2); // 2.5 → 2 (TFLite's integer kernels: 3)
    expect(requantizeFloat32(-7, 0.5)).toBe(-4); // −3.5 → −4
    // 0.1 in float32 is 0.100000001490116…; 25 × that = 2.5000000372… in double (→ 3), but the
    // float32 product rounds to 2.5 (float32 spacing there is 2.4e-7), and 2.5 ties to 2.
    expect(requantizeFloat32(25, Math.fround(0.1))).toBe(2);
    // 2^24 + 1 has no float32: it converts to 2^24 (a tie, to the even significand) before the product.
    expect(requantizeFloat32(2 ** 24 + 1, 1)).toBe(2 ** 24);
  });
});
