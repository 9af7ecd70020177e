/** Small numeric helpers shared by the anomaly blocks. */

export interface Standardizer {
  readonly mean: number[];
  readonly std: number[];
}

/** Per-feature mean and standard deviation of rows (n × d); a constant feature gets std 1. */
export function fitStandardizer(x: Float32Array | Float64Array, n: number, d: number): Standardizer {
  const mean = new Float64Array(d);
  const sq = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += x[i * d + j]!;
  for (let j = 0; j < d; j++) mean[j]! /= n;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < d; j++) {
      const v = x[i * d + j]! - mean[j]!;
      sq[j]! += v * v;
    }
  const std = Array.from(sq, (s) => {
    const v = Math.sqrt(s / n);
    return v > 1e-8 ? v : 1;
  });
  return { mean: Array.from(mean), std };
}

/** (x - mean) / std, as a new Float64Array. */
export function standardize(x: Float32Array | Float64Array, s: Standardizer): Float64Array {
  const d = s.mean.length;
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const j = i % d;
    out[i] = (x[i]! - s.mean[j]!) / s.std[j]!;
  }
  return out;
}

/** Percentile with linear interpolation between order statistics (numpy's default); p in [0, 100]. */
export function percentile(values: ArrayLike<number>, p: number): number {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return Number.NaN;
  const pos = (Math.min(100, Math.max(0, p)) / 100) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}
