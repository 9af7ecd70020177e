/**
 * Least-squares fits of the cost rows: cycles ≈ Σ coefficient · feature, coefficients ≥ 0,
 * minimising the *relative* error (each sample weighted by 1 / its measured cycles), because the
 * estimate is judged by its relative error per block. With few features the non-negative problem
 * is solved exactly by trying every subset of features (2^k small systems); a subset needs more
 * samples than features (one sample fits one coefficient), and among equally good fits the one
 * with fewer coefficients wins.
 */

export interface FitSample {
  /** Feature values (same order as the names). */
  readonly x: readonly number[];
  /** Measured value. */
  readonly y: number;
}

export interface LinearFit {
  readonly coefficients: readonly number[];
  readonly samples: number;
  readonly maxRelativeError: number;
  readonly meanRelativeError: number;
}

/** Solves A·c = b (small, dense) by Gaussian elimination with partial pivoting; undefined when singular. */
export function solve(a: number[][], b: number[]): number[] | undefined {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    const scale = Math.max(...m.map((row) => Math.abs(row[col]!)));
    if (Math.abs(m[pivot]![col]!) <= 1e-12 * (scale || 1)) return undefined;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = m[r]![col]! / m[col]![col]!;
      for (let c = col; c <= n; c++) m[r]![c]! -= f * m[col]![c]!;
    }
  }
  return m.map((row, i) => row[n]! / row[i]!);
}

function relativeErrors(samples: readonly FitSample[], coefficients: readonly number[]): number[] {
  return samples.map((s) => {
    const est = s.x.reduce((sum, v, i) => sum + v * coefficients[i]!, 0);
    return s.y === 0 ? (est === 0 ? 0 : 1) : Math.abs(est - s.y) / s.y;
  });
}

/** Weighted least squares on the features in `use` (the others fixed at 0). */
function fitSubset(samples: readonly FitSample[], use: readonly number[], k: number): number[] | undefined {
  const ata = use.map(() => use.map(() => 0));
  const atb = use.map(() => 0);
  for (const s of samples) {
    const w = s.y > 0 ? 1 / s.y : 1;
    for (let i = 0; i < use.length; i++) {
      const xi = s.x[use[i]!]! * w;
      atb[i]! += xi * s.y * w;
      for (let j = 0; j < use.length; j++) ata[i]![j]! += xi * s.x[use[j]!]! * w;
    }
  }
  const c = solve(ata, atb);
  if (!c || c.some((v) => !Number.isFinite(v) || v < 0)) return undefined;
  const full = new Array<number>(k).fill(0);
  use.forEach((f, i) => (full[f] = c[i]!));
  return full;
}

/**
 * Non-negative weighted least squares over every subset of the features. `prefer` orders ties
 * (and is what a single sample fits): the feature fitted alone when nothing better is possible.
 */
export function fitNonNegative(samples: readonly FitSample[], features: number, prefer = 0): LinearFit | undefined {
  const usable = samples.filter((s) => s.y > 0);
  if (usable.length === 0) return undefined;
  let best: { c: number[]; score: number; size: number } | undefined;
  for (let mask = 1; mask < 1 << features; mask++) {
    const use = Array.from({ length: features }, (_, i) => i).filter((i) => mask & (1 << i));
    if (use.length > 1 && usable.length <= use.length) continue;
    if (use.length === 1 && usable.length === 1 && use[0] !== prefer) continue;
    if (use.some((f) => usable.every((s) => s.x[f] === 0))) continue;
    const c = fitSubset(usable, use, features);
    if (!c) continue;
    const errs = relativeErrors(usable, c);
    const score = errs.reduce((a, e) => a + e * e, 0);
    // A coefficient must earn its place: 1% less squared error at least.
    if (!best || score < best.score * 0.99 || (score <= best.score * 1.01 && use.length < best.size)) best = { c, score, size: use.length };
  }
  if (!best) return undefined;
  const errs = relativeErrors(usable, best.c);
  return {
    coefficients: best.c,
    samples: usable.length,
    maxRelativeError: Math.max(...errs),
    meanRelativeError: errs.reduce((a, e) => a + e, 0) / errs.length,
  };
}
