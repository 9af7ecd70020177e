import { f32, sumF32 } from './f32.js';

/**
 * Statistics of a float32 vector as numpy / scipy.stats compute them on float32 arrays (pairwise
 * sums, every intermediate rounded to float32) — the TS twin of c/stats.c, operation for operation.
 * The reference computes accelerometer statistics on float32 arrays; matching its rounding keeps
 * small results (a skewness near 0, a mean that cancels) within 1e-5 relative of it, and the C gives
 * the same bits.
 */
export interface Moments {
  readonly mean: number;
  /** Biased (population) second central moment. */
  readonly m2: number;
  readonly skewness: number;
  /** Fisher (excess) kurtosis, biased. */
  readonly kurtosis: number;
}

/** ik_sum: numpy.sum of a float32 vector (a[start .. start + n)). */
export function sum(a: ArrayLike<number>, start = 0, n = a.length - start): number {
  return sumF32(a, start, n);
}

/** ik_mean: sum / n. */
export function mean(a: ArrayLike<number>, start = 0, n = a.length - start): number {
  return f32(sumF32(a, start, n) / n);
}

/** ik_rms: sqrt(mean(a²)); tmp: ≥ n floats. */
export function rms(a: ArrayLike<number>, tmp: Float32Array, start = 0, n = a.length - start): number {
  for (let i = 0; i < n; i++) {
    const v = a[start + i] as number;
    tmp[i] = v * v;
  }
  return f32(Math.sqrt(f32(sumF32(tmp, 0, n) / n)));
}

/** ik_variance: Σ(a − mean)² / (n − ddof); tmp: ≥ n floats. */
export function variance(a: ArrayLike<number>, ddof: number, tmp: Float32Array, start = 0, n = a.length - start): number {
  const m = mean(a, start, n);
  for (let i = 0; i < n; i++) {
    const d = f32((a[start + i] as number) - m);
    tmp[i] = d * d;
  }
  return f32(sumF32(tmp, 0, n) / (n > ddof ? n - ddof : 0));
}

/** Σ (a − m)^power for power 2, 3 or 4, terms rounded as numpy rounds z², z²·z and z²·z² (central_sum). */
function centralSum(a: ArrayLike<number>, start: number, n: number, m: number, power: 2 | 3 | 4, tmp: Float32Array): number {
  for (let i = 0; i < n; i++) {
    const z = f32((a[start + i] as number) - m);
    const z2 = f32(z * z);
    tmp[i] = power === 2 ? z2 : power === 3 ? z2 * z : z2 * z2;
  }
  return sumF32(tmp, 0, n);
}

const RESOLUTION = f32(1e-6);

/**
 * ik_moments_of: scipy.stats skew / kurtosis (bias=True, Fisher). Where scipy returns NaN — the
 * second moment is zero or lost in rounding (m2 ≤ (1e-6·mean)², a constant vector) — skewness and
 * kurtosis are 0: a model or a firmware port must never see NaN (documented deviation).
 * m3 / m2^1.5 and m4 / m2² − 3 are divided step by step, so a tiny m2 does not underflow.
 * tmp: ≥ n floats.
 */
export function moments(a: ArrayLike<number>, tmp: Float32Array, start = 0, n = a.length - start): Moments {
  const m = n > 0 ? mean(a, start, n) : 0;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  if (n > 0) {
    m2 = f32(centralSum(a, start, n, m, 2, tmp) / n);
    m3 = f32(centralSum(a, start, n, m, 3, tmp) / n);
    m4 = f32(centralSum(a, start, n, m, 4, tmp) / n);
  }
  const resolution = f32(RESOLUTION * m);
  if (n === 0 || !(m2 > f32(resolution * resolution))) return { mean: m, m2, skewness: 0, kurtosis: 0 };
  let skewness = f32(f32(m3 / m2) / f32(Math.sqrt(m2)));
  let kurtosis = f32(f32(f32(m4 / m2) / m2) - 3);
  if (!Number.isFinite(skewness)) skewness = 0;
  if (!Number.isFinite(kurtosis)) kurtosis = 0;
  return { mean: m, m2, skewness, kurtosis };
}
