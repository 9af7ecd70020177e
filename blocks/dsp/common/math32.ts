/**
 * ln, log10 and exp in float32 — the TS twin of c/math32.c, operation for operation, so the DSP
 * blocks compute the same bits in TS (training features) as their C does on any target (libm's
 * logf / log10f / expf differ between glibc and newlib, and from Math.log rounded to float32).
 *
 * Every float32 +, −, ×, ÷ of the C is one `f` (Math.fround) here: a double operation on two
 * float32 values rounded once to float32 is the correctly rounded float32 result. Bits are read and
 * written through a shared Float32Array / Int32Array pair. Largest errors over the tested inputs: ln
 * 0.87, log10 0.92, exp 1.19 ulp (math32.test.ts checks against Math.log / log10 / exp, and bit
 * equality with the C on the host and on an emulated Cortex-M4F).
 */
const f = Math.fround;

const BITS_PLUS_INFINITY = 0x7f800000;
const BITS_MINUS_ZERO = -0x80000000; // 0x80000000 as a signed 32-bit value
const BITS_SMALLEST_NORMAL = 0x00800000;
const MANTISSA_MASK = 0x007fffff;
const EXPONENT_BIAS = 127;
const EXPONENT_OF_ONE = 0x3f800000;
const EXPONENT_OF_HALF = 0x3f000000;
const MANTISSA_OF_SQRT2 = 0x003504f3;
const TWO_POW_23 = 8388608;

// the same decimal literals as math32.c, rounded to float32 once
const LN2_HEAD = f(0.693145751953125);
const LN2_TAIL = f(1.42860677e-6);
const LOG10_2_HEAD = f(0.301025390625);
const LOG10_2_TAIL = f(4.60503907e-6);
const INV_LN10 = f(0.434294492);
const INV_LN10_HEAD = f(0.4342041015625);
const INV_LN10_TAIL = f(9.03803375e-5);
const HEAD_12_BITS_MASK = -0x1000; // 0xfffff000 as a signed 32-bit value
const INV_LN2 = f(1.44269502);
const ATANH_C1 = f(0.666666687);
const ATANH_C2 = f(0.400000006);
const ATANH_C3 = f(0.285714298);
const ATANH_C4 = f(0.222222224);
const EXP_C2 = 0.5;
const EXP_C3 = f(0.166666672);
const EXP_C4 = f(0.0416666679);
const EXP_C5 = f(0.00833333377);
const EXP_C6 = f(0.00138888892);
const EXP_C7 = f(0.000198412701);
const EXP_OVERFLOW = f(88.7228394);
const EXP_UNDERFLOW = f(-103.972084);

/** One float32 and its bits (signed: V8 keeps small integers unboxed; positive floats are < 2^31 anyway). */
const floatView = new Float32Array(1);
const bitView = new Int32Array(floatView.buffer);

function floatOf(u: number): number {
  bitView[0] = u;
  return floatView[0] as number;
}

/**
 * For x > 0 finite (bits u): x = 2^e·(1 + f) with 1 + f ∈ [√½, √2) (reduce() in math32.c). Writes
 * f (exact) to REDUCED[0] and returns e. (A Float32Array slot, not a module variable: cheaper in V8.)
 */
function reduce(u: number): number {
  let e = -EXPONENT_BIAS;
  if (u < BITS_SMALLEST_NORMAL) {
    floatView[0] = floatOf(u) * TWO_POW_23; // exact
    u = bitView[0] as number;
    e -= 23;
  }
  const mantissa = u & MANTISSA_MASK;
  e += u >> 23;
  if (mantissa >= MANTISSA_OF_SQRT2) {
    bitView[0] = mantissa | EXPONENT_OF_HALF;
    e += 1;
  } else {
    bitView[0] = mantissa | EXPONENT_OF_ONE;
  }
  REDUCED[0] = (floatView[0] as number) - 1;
  return e;
}

const REDUCED = new Float32Array(1);

/**
 * The special cases of a logarithm for the signed bits u of x: −∞ at ±0, NaN below 0 or NaN, +∞ at +∞;
 * undefined for a finite x > 0 (log_special in math32.c).
 */
function logSpecial(u: number): number | undefined {
  if (u <= 0) return u === 0 || u === BITS_MINUS_ZERO ? -Infinity : NaN; // +0; −0 and negatives (sign bit set)
  if (u >= BITS_PLUS_INFINITY) return u === BITS_PLUS_INFINITY ? Infinity : NaN;
  return undefined;
}

/** ln x, −∞ at ±0, NaN below 0, +∞ at +∞ (x a float32 value). */
export function ikLogf(x: number): number {
  floatView[0] = x;
  const u = bitView[0] as number;
  if (u <= 0 || u >= BITS_PLUS_INFINITY) return logSpecial(u) as number;
  const e = reduce(u);
  const r = REDUCED[0] as number;
  return f(f(e * LN2_HEAD) + f(f(r - log1pCorrection(r)) + f(e * LN2_TAIL)));
}

/** log10 x, with the special values of ikLogf. */
export function ikLog10f(x: number): number {
  floatView[0] = x;
  const u = bitView[0] as number;
  if (u <= 0 || u >= BITS_PLUS_INFINITY) return logSpecial(u) as number;
  const e = reduce(u);
  const r = REDUCED[0] as number;
  floatView[0] = r;
  bitView[0] = (bitView[0] as number) & HEAD_12_BITS_MASK;
  const head = floatView[0] as number;
  const tail = f(r - head);
  const a = f(e * LOG10_2_HEAD);
  const b = f(head * INV_LN10_HEAD);
  const large = f(a + b);
  const largeError = f(b - f(large - a));
  const small = f(f(f(f(tail * INV_LN10_HEAD) + f(r * INV_LN10_TAIL)) - f(log1pCorrection(r) * INV_LN10)) + f(e * LOG10_2_TAIL));
  return f(large + f(small + largeError));
}

/** c with ln(1 + x) = x − c: c = s·(x − R(s²)), s = x / (2 + x) (log1p_correction in math32.c). */
function log1pCorrection(x: number): number {
  const s = f(x / f(2 + x));
  const z = f(s * s);
  const r = f(z * f(ATANH_C1 + f(z * f(ATANH_C2 + f(z * f(ATANH_C3 + f(z * ATANH_C4)))))));
  return f(s * f(x - r));
}

/** 2^j for −126 ≤ j ≤ 127. */
function powerOfTwo(j: number): number {
  return floatOf((j + EXPONENT_BIAS) << 23);
}

/** e^x (x a float32 value): +∞ above 88.72284, 0 below −103.97208. */
export function ikExpf(x: number): number {
  if (x !== x) return NaN;
  if (x > EXP_OVERFLOW) return Infinity;
  if (x < EXP_UNDERFLOW) return 0;
  const t = f(x * INV_LN2);
  const k = Math.trunc(t < 0 ? f(t - 0.5) : f(t + 0.5));
  const r = f(f(x - f(k * LN2_HEAD)) - f(k * LN2_TAIL));
  const p = f(1 + f(r * f(1 + f(r * f(EXP_C2 + f(r * f(EXP_C3 + f(r * f(EXP_C4 + f(r * f(EXP_C5 + f(r * f(EXP_C6 + f(r * EXP_C7))))))))))))));
  const kHalf = Math.trunc(k / 2);
  return f(f(p * powerOfTwo(kHalf)) * powerOfTwo(k - kHalf));
}
