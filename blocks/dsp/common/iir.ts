/**
 * IIR filters as second-order sections, designed the way scipy.signal does it
 * (analog prototype → frequency transform → bilinear transform → sections ordered with the
 * poles closest to the unit circle last, gain in the first section) in float64, and filtered in
 * direct form II transposed like `sosfilt`, in float32 with float32 coefficients — the TS twin of
 * c/iir.c, operation for operation.
 */

/** One biquad: b0 b1 b2 a0(=1) a1 a2, like a row of scipy's `sos`. */
export type Section = [number, number, number, number, number, number];

interface Complex {
  re: number;
  im: number;
}

const cmul = (a: Complex, b: Complex): Complex => ({ re: a.re * b.re - a.im * b.im, im: a.re * b.im + a.im * b.re });

/** numpy's complex division (Smith's algorithm). */
function cdiv(a: Complex, b: Complex): Complex {
  const br = Math.abs(b.re);
  const bi = Math.abs(b.im);
  if (br >= bi) {
    const rat = b.im / b.re;
    const scl = 1 / (b.re + b.im * rat);
    return { re: (a.re + a.im * rat) * scl, im: (a.im - a.re * rat) * scl };
  }
  const rat = b.re / b.im;
  const scl = 1 / (b.im + b.re * rat);
  return { re: (a.re * rat + a.im) * scl, im: (a.im * rat - a.re) * scl };
}

function cprod(list: readonly Complex[]): Complex {
  let acc: Complex = { re: 1, im: 0 };
  for (const c of list) acc = cmul(acc, c);
  return acc;
}

interface Zpk {
  /** Digital zeros (all equal, real, for the filters designed here). */
  zero: number;
  poles: Complex[];
  gain: number;
}

/** Analog → digital (bilinear, fs = 2 as scipy's normalised design). */
function bilinear(analogZeros: readonly Complex[], poles: readonly Complex[], k: number): { poles: Complex[]; gain: number } {
  const fs2 = 4;
  const pz = poles.map((p) => cdiv({ re: fs2 + p.re, im: p.im }, { re: fs2 - p.re, im: -p.im }));
  const num = cprod(analogZeros.map((z) => ({ re: fs2 - z.re, im: -z.im })));
  const den = cprod(poles.map((p) => ({ re: fs2 - p.re, im: -p.im })));
  return { poles: pz, gain: k * cdiv(num, den).re };
}

function butterAnalog(order: number): Complex[] {
  const p: Complex[] = [];
  for (let m = -order + 1; m < order; m += 2) {
    const t = Math.PI * m * (1 / (2 * order)); // numpy: (1j·π·m) / (2N) as a complex division
    p.push({ re: -Math.cos(t), im: -Math.sin(t) });
  }
  return p;
}

function cheby1Analog(order: number, rippleDb: number): { poles: Complex[]; k: number } {
  const eps = Math.sqrt(10 ** (0.1 * rippleDb) - 1);
  const mu = (1 / order) * Math.asinh(1 / eps);
  const poles: Complex[] = [];
  for (let m = -order + 1; m < order; m += 2) {
    const theta = (Math.PI * m) / (2 * order);
    // −sinh(mu + iθ) = −(sinh mu cos θ + i cosh mu sin θ)
    poles.push({ re: -(Math.sinh(mu) * Math.cos(theta)), im: -(Math.cosh(mu) * Math.sin(theta)) });
  }
  let k = cprod(poles.map((p) => ({ re: -p.re, im: -p.im }))).re;
  if (order % 2 === 0) k = k / Math.sqrt(1 + eps * eps);
  return { poles, k };
}

/** Low/high-pass from an analog low-pass prototype with no zeros, at normalised frequency wn (0..1, 1 = Nyquist). */
function designDigital(prototype: Complex[], k: number, wn: number, type: 'low' | 'high'): Zpk {
  const warped = 4 * Math.tan((Math.PI * wn) / 2);
  const n = prototype.length;
  if (type === 'low') {
    const p = prototype.map((q) => ({ re: warped * q.re, im: warped * q.im }));
    const { poles, gain } = bilinear([], p, k * warped ** n);
    return { zero: -1, poles, gain };
  }
  const p = prototype.map((q) => cdiv({ re: warped, im: 0 }, q));
  const kHp = k * cdiv({ re: 1, im: 0 }, cprod(prototype.map((q) => ({ re: -q.re, im: -q.im })))).re;
  const zeros: Complex[] = new Array<Complex>(n).fill({ re: 0, im: 0 });
  const { poles, gain } = bilinear(zeros, p, kHp);
  return { zero: 1, poles, gain };
}

/** zpk → sections for even orders (conjugate pole pairs, repeated real zero). */
function toSections(zpk: Zpk): Section[] {
  const upper = zpk.poles.filter((p) => p.im > 0);
  // scipy places the "worst" pole (closest to the unit circle) last
  upper.sort((a, b) => Math.abs(1 - Math.hypot(b.re, b.im)) - Math.abs(1 - Math.hypot(a.re, a.im)));
  const z = zpk.zero;
  const sections = upper.map((p): Section => [1, -2 * z, z * z, 1, -2 * p.re, p.re * p.re + p.im * p.im]);
  const first = sections[0];
  if (first) {
    first[0] *= zpk.gain;
    first[1] *= zpk.gain;
    first[2] *= zpk.gain;
  }
  return sections;
}

/** scipy.signal.butter(order, wn, type, output='sos') for even orders. */
export function butterSos(order: number, wn: number, type: 'low' | 'high'): Section[] {
  return toSections(designDigital(butterAnalog(order), 1, wn, type));
}

/** scipy.signal.cheby1(order, rippleDb, wn, output='sos') low-pass, even orders. */
export function cheby1Sos(order: number, rippleDb: number, wn: number): Section[] {
  const { poles, k } = cheby1Analog(order, rippleDb);
  return toSections(designDigital(poles, k, wn, 'low'));
}

/** Coefficients rounded to float32 (the reference stores its Butterworth sections as float32). */
export function toFloat32Sections(sos: readonly Section[]): Section[] {
  return sos.map((s) => s.map((v) => Math.fround(v)) as Section);
}

/** Largest pole magnitude over all sections (< 1: stable). */
export function maxPoleMagnitude(sos: readonly Section[]): number {
  let max = 0;
  for (const s of sos) {
    const a1 = s[4];
    const a2 = s[5];
    const disc = a1 * a1 - 4 * a2;
    if (disc < 0) max = Math.max(max, Math.sqrt(Math.abs(a2)));
    else {
      const r = Math.sqrt(disc);
      max = Math.max(max, Math.abs((-a1 + r) / 2), Math.abs((-a1 - r) / 2));
    }
  }
  return max;
}

const coefficientCache = new WeakMap<readonly Section[], Float32Array>();

/** b0 b1 b2 a1 a2 of every section as float32 (ik_biquad rows). */
function float32Coefficients(sos: readonly Section[]): Float32Array {
  let c = coefficientCache.get(sos);
  if (!c) {
    c = new Float32Array(5 * sos.length);
    sos.forEach((s, i) => (c as Float32Array).set([s[0], s[1], s[2], s[4], s[5]], 5 * i));
    coefficientCache.set(sos, c);
  }
  return c;
}

/**
 * ik_sosfilt (float32, the C's order): in place, x[i] ← the cascade's output for x[0 .. n), every
 * section starting from rest, direct form II transposed like scipy.signal.sosfilt. The coefficients
 * are used as float32 (the C's tables).
 */
export function sosfiltF32(sos: readonly Section[], x: Float32Array, n: number): void {
  const f = Math.fround;
  const ns = sos.length;
  const coef = float32Coefficients(sos);
  const z = new Float32Array(2 * ns);
  for (let i = 0; i < n; i++) {
    let v = x[i] as number;
    for (let s = 0; s < ns; s++) {
      const b0 = coef[5 * s] as number, b1 = coef[5 * s + 1] as number, b2 = coef[5 * s + 2] as number;
      const a1 = coef[5 * s + 3] as number, a2 = coef[5 * s + 4] as number;
      const y = f(f(b0 * v) + (z[2 * s] as number));
      z[2 * s] = f(f(b1 * v) - f(a1 * y)) + (z[2 * s + 1] as number);
      z[2 * s + 1] = f(b2 * v) - f(a2 * y);
      v = y;
    }
    x[i] = v;
  }
}

/** scipy.signal.sosfilt_zi: the steady-state initial conditions for a unit step input. */
export function sosfiltZi(sos: readonly Section[]): Float64Array {
  const zi = new Float64Array(2 * sos.length);
  let scale = 1;
  sos.forEach((s, k) => {
    const [b0, b1, b2, , a1, a2] = s;
    // solve [[1 + a1, −1], [a2, 1]]·z = [b1 − a1·b0, b2 − a2·b0] (lfilter_zi for one biquad)
    const B1 = b1 - a1 * b0;
    const B2 = b2 - a2 * b0;
    const p = 1 + a1;
    let z0: number;
    let z1: number;
    if (Math.abs(p) >= Math.abs(a2)) {
      const l = a2 * (1 / p);
      z1 = (B2 - l * B1) / (1 + l);
      z0 = (B1 + z1) / p;
    } else {
      const l = p * (1 / a2);
      z1 = (B1 - l * B2) / (-1 - l);
      z0 = (B2 - z1) / a2;
    }
    zi[2 * k] = scale * z0;
    zi[2 * k + 1] = scale * z1;
    scale *= (b0 + b1 + b2) / (1 + a1 + a2);
  });
  return zi;
}

/** The reference's decimation filter by `ratio` and its gain at 0 Hz (ik_decimator; decimatorTables prints the same). */
export interface Decimator {
  readonly ratio: number;
  readonly sos: readonly Section[];
  /** float32: an even-order Chebyshev I is 1/√(1 + ε²) at 0 Hz, not 1. */
  readonly dcGain: number;
}

const decimators = new Map<number, Decimator>();

/** Chebyshev I, order 8, 0.05 dB ripple, cut-off 0.8/ratio of Nyquist (the reference's decimate_simple). */
export function decimator(ratio: number): Decimator {
  let d = decimators.get(ratio);
  if (!d) {
    const sos = cheby1Sos(8, 0.05, 0.8 / ratio);
    let dcGain = 1;
    for (const s of sos) dcGain *= (s[0] + s[1] + s[2]) / (1 + s[4] + s[5]);
    d = { ratio, sos, dcGain: Math.fround(dcGain) };
    decimators.set(ratio, d);
  }
  return d;
}

/**
 * ik_decimate (float32): in place on a signal given as x + offset.value; afterwards x[0 .. returned
 * length) + offset.value is the reference's decimate() of it (ceil(n / ratio) samples).
 *
 * The filter runs from rest on x − x[0]; by linearity the reference's steady-state start adds the
 * constant dcGain·(offset + x[0]), which goes to offset.value instead of into x: in float32 a signal
 * on a large constant (gravity on an accelerometer axis) would otherwise lose its small variations
 * to rounding inside the filter.
 */
export function decimateF32(d: Decimator, x: Float32Array, n: number, offset: { value: number }): number {
  const f = Math.fround;
  if (n === 0) return 0;
  const first = x[0] as number;
  for (let i = 0; i < n; i++) x[i] = (x[i] as number) - first;
  sosfiltF32(d.sos, x, n);
  let j = 0;
  for (let i = 0; i < n; i += d.ratio, j++) x[j] = x[i] as number;
  offset.value = f(d.dcGain * f(offset.value + first));
  return j;
}
