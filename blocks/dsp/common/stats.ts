import { f32, sumF32, sumF64 } from './f32.js';

/**
 * Statistics of one vector as numpy / scipy.stats compute them, in float32 (`single`) or
 * float64 arithmetic. The reference computes accelerometer statistics on float32 arrays;
 * matching its rounding keeps small results (a skewness near 0, a mean that cancels)
 * within 1e-5 relative.
 */
export interface Moments {
  readonly mean: number;
  /** Biased (population) second central moment. */
  readonly m2: number;
  readonly skewness: number;
  /** Fisher (excess) kurtosis, biased. */
  readonly kurtosis: number;
}

function roundFn(single: boolean): (v: number) => number {
  return single ? f32 : (v: number) => v;
}

export function sum(a: ArrayLike<number>, single: boolean): number {
  return single ? sumF32(a) : sumF64(a);
}

export function mean(a: ArrayLike<number>, single: boolean): number {
  const n = a.length;
  return single ? f32(sumF32(a) / n) : sumF64(a) / n;
}

/** sqrt(mean(x²)). */
export function rms(a: ArrayLike<number>, single: boolean, scratch?: Float64Array): number {
  const r = roundFn(single);
  const n = a.length;
  const sq = scratch && scratch.length >= n ? scratch : new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = a[i] as number;
    sq[i] = r(v * v);
  }
  const s = single ? sumF32(sq, 0, n) : sumF64(sq, 0, n);
  return r(Math.sqrt(r(s / n)));
}

/** numpy std/var: sqrt(Σ(x − mean)² / (n − ddof)). */
export function variance(a: ArrayLike<number>, ddof: number, single: boolean, scratch?: Float64Array): number {
  const r = roundFn(single);
  const n = a.length;
  const m = mean(a, single);
  const sq = scratch && scratch.length >= n ? scratch : new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const d = r((a[i] as number) - m);
    sq[i] = r(d * d);
  }
  const s = single ? sumF32(sq, 0, n) : sumF64(sq, 0, n);
  const div = Math.max(n - ddof, 0);
  return r(s / div);
}

export function std(a: ArrayLike<number>, single: boolean, scratch?: Float64Array): number {
  const r = roundFn(single);
  return r(Math.sqrt(variance(a, 0, single, scratch)));
}

/**
 * scipy.stats skew / kurtosis (bias=True, Fisher). Where scipy returns NaN — the second
 * moment is zero or lost in rounding, i.e. a constant window — we return 0: a model or a
 * firmware port must never see NaN (documented deviation from the reference).
 */
export function moments(a: ArrayLike<number>, single: boolean, scratch?: Float64Array): Moments {
  const r = roundFn(single);
  const n = a.length;
  const buf = scratch && scratch.length >= 4 * n ? scratch : new Float64Array(4 * n);
  const m = mean(a, single);
  for (let i = 0; i < n; i++) {
    const z = r((a[i] as number) - m);
    const z2 = r(z * z);
    buf[i] = z2;
    buf[n + i] = r(z2 * z);
    buf[2 * n + i] = r(z2 * z2);
  }
  const s2 = single ? sumF32(buf, 0, n) : sumF64(buf, 0, n);
  const s3 = single ? sumF32(buf, n, n) : sumF64(buf, n, n);
  const s4 = single ? sumF32(buf, 2 * n, n) : sumF64(buf, 2 * n, n);
  const m2 = r(s2 / n);
  const m3 = r(s3 / n);
  const m4 = r(s4 / n);
  const resolution = single ? 1e-6 : 1e-15;
  const degenerate = !(m2 > (resolution * m) ** 2) || n === 0;
  let skewness = degenerate ? 0 : m3 / m2 ** 1.5;
  let kurtosis = degenerate ? 0 : m4 / (m2 * m2) - 3;
  if (!Number.isFinite(skewness)) skewness = 0;
  if (!Number.isFinite(kurtosis)) kurtosis = 0;
  return { mean: m, m2, skewness, kurtosis };
}
