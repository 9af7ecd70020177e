/**
 * A 2-D principal component projection of feature rows, for the feature explorer. Columns are
 * standardized first (features of different DSP blocks have very different scales); the plane of
 * the two leading components comes from orthogonal iteration on XᵀX without forming the d×d
 * covariance (memory stays n×d whatever d is), and a Rayleigh–Ritz step picks the axes in it.
 * Deterministic: a fixed start and a sign convention per axis.
 */

export interface Projection {
  /** x0, y0, x1, y1 … one pair per row. */
  readonly coords: Float64Array;
  /** Share of the standardized variance along each axis (0 for a missing axis). */
  readonly explained: readonly [number, number];
}

const MAX_ITERATIONS = 200;
/** Squared sine of the angle the plane may still turn per step: far finer than a picture shows. */
const TOLERANCE = 1e-8;

/** Standardized copy of `data` (n rows × d), float64; constant columns become 0. Returns it and how many columns vary. */
function standardize(data: Float32Array, n: number, d: number): { x: Float64Array; varying: number } {
  const x = new Float64Array(n * d);
  let varying = 0;
  for (let j = 0; j < d; j++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += data[i * d + j]!;
    mean /= n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (data[i * d + j]! - mean) ** 2;
    const std = Math.sqrt(ss / Math.max(1, n - 1));
    if (!(std > 1e-12) || !Number.isFinite(std)) continue;
    varying++;
    for (let i = 0; i < n; i++) x[i * d + j] = (data[i * d + j]! - mean) / std;
  }
  return { x, varying };
}

/** out (d) = Xᵀ (X v): one step of the power method for one vector. */
function gramTimes(x: Float64Array, n: number, d: number, v: Float64Array, out: Float64Array): void {
  out.fill(0);
  for (let i = 0; i < n; i++) {
    let s = 0;
    const row = i * d;
    for (let j = 0; j < d; j++) s += x[row + j]! * v[j]!;
    for (let j = 0; j < d; j++) out[j] = out[j]! + s * x[row + j]!;
  }
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function normalize(v: Float64Array): number {
  const norm = Math.sqrt(dot(v, v));
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i]! /= norm;
  return norm;
}

/** Makes the component's largest entry positive, so equal data always gives the same picture. */
function fixSign(v: Float64Array): void {
  let at = 0;
  for (let i = 1; i < v.length; i++) if (Math.abs(v[i]!) > Math.abs(v[at]!)) at = i;
  if (v[at]! < 0) for (let i = 0; i < v.length; i++) v[i] = -v[i]!;
}

/**
 * Gram–Schmidt: a unit, b unit and orthogonal to a (orthogonal iteration keeps the pair so). When
 * the data has a single direction, what is left of b is rounding noise: b becomes 0, no second axis.
 */
function orthonormalize(a: Float64Array, b: Float64Array): void {
  normalize(a);
  const before = Math.sqrt(dot(b, b));
  const overlap = dot(b, a);
  for (let j = 0; j < b.length; j++) b[j]! -= overlap * a[j]!;
  if (normalize(b) <= 1e-9 * before) b.fill(0);
}

export function projectPca(data: Float32Array, n: number, d: number): Projection {
  if (n === 0 || d === 0) return { coords: new Float64Array(2 * n), explained: [0, 0] };
  const { x, varying } = standardize(data, n, d);
  const v = [new Float64Array(d), new Float64Array(d)];
  // A fixed, non-degenerate start (no randomness: the report is deterministic).
  v.forEach((vec, k) => vec.forEach((_, j) => (vec[j] = Math.sin((j + 1) * (k + 1.7)) + 0.01 * k)));
  orthonormalize(v[0]!, v[1]!);
  const w = [new Float64Array(d), new Float64Array(d)];
  for (let it = 0; it < MAX_ITERATIONS; it++) {
    gramTimes(x, n, d, v[0]!, w[0]!);
    gramTimes(x, n, d, v[1]!, w[1]!);
    orthonormalize(w[0]!, w[1]!);
    // Converged when the plane stops turning: each new vector lies in the old plane. (The vectors
    // themselves may still turn inside it; the Rayleigh–Ritz step below settles them.)
    const outside = (q: Float64Array) => (dot(q, q) === 0 ? 0 : 1 - dot(q, v[0]!) ** 2 - dot(q, v[1]!) ** 2);
    const change = Math.max(outside(w[0]!), outside(w[1]!));
    v[0]!.set(w[0]!);
    v[1]!.set(w[1]!);
    if (change < TOLERANCE) break;
  }
  const axes = rayleighRitz(x, n, d, v[0]!, v[1]!);
  axes.forEach(fixSign);
  const coords = new Float64Array(2 * n);
  const variance = [0, 0];
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 2; k++) {
      const s = rowDot(x, i, d, axes[k]!);
      coords[2 * i + k] = s;
      variance[k]! += s * s;
    }
  }
  // With standardized columns the total variance is the number of columns that vary.
  const total = varying * Math.max(1, n - 1);
  const share = (k: number) => (total > 0 ? variance[k]! / total : 0);
  return { coords, explained: [share(0), share(1)] };
}

function rowDot(x: Float64Array, i: number, d: number, v: Float64Array): number {
  let s = 0;
  const row = i * d;
  for (let j = 0; j < d; j++) s += x[row + j]! * v[j]!;
  return s;
}

/**
 * The principal axes inside the plane of v1, v2: the eigenvectors of the 2×2 matrix [vᵢ·XᵀX vⱼ],
 * largest first — the plane's best pair, in the right order.
 */
function rayleighRitz(x: Float64Array, n: number, d: number, v1: Float64Array, v2: Float64Array): [Float64Array, Float64Array] {
  let b11 = 0;
  let b12 = 0;
  let b22 = 0;
  for (let i = 0; i < n; i++) {
    const u1 = rowDot(x, i, d, v1);
    const u2 = rowDot(x, i, d, v2);
    b11 += u1 * u1;
    b12 += u1 * u2;
    b22 += u2 * u2;
  }
  const theta = 0.5 * Math.atan2(2 * b12, b11 - b22);
  const c = Math.cos(theta);
  const s = Math.sin(theta);
  const first = new Float64Array(d);
  const second = new Float64Array(d);
  const hasSecond = dot(v2, v2) > 0;
  for (let j = 0; j < d; j++) {
    first[j] = c * v1[j]! + s * v2[j]!;
    second[j] = hasSecond ? -s * v1[j]! + c * v2[j]! : 0;
  }
  return [first, second];
}
