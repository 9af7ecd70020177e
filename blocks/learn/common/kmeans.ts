/** k-means (k-means++ seeding, Lloyd iterations) on rows of a flat Float64Array (n × d). Pure TS. */
import type { Rng } from './random.js';

function dist2(x: Float64Array, i: number, c: Float64Array, j: number, d: number): number {
  let s = 0;
  const a = i * d;
  const b = j * d;
  for (let t = 0; t < d; t++) {
    const v = x[a + t]! - c[b + t]!;
    s += v * v;
  }
  return s;
}

/** k-means++: first centre uniform, each next one with probability ∝ squared distance to the nearest chosen. */
export function kmeansPlusPlus(x: Float64Array, n: number, d: number, k: number, rng: Rng): Float64Array {
  const c = new Float64Array(k * d);
  const nearest = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  let pick = rng.int(n);
  for (let j = 0; j < k; j++) {
    c.set(x.subarray(pick * d, (pick + 1) * d), j * d);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const v = dist2(x, i, c, j, d);
      if (v < nearest[i]!) nearest[i] = v;
      total += nearest[i]!;
    }
    if (j + 1 === k) break;
    if (total <= 0) {
      pick = rng.int(n); // every point coincides with a centre: duplicates are unavoidable
      continue;
    }
    let r = rng.next() * total;
    pick = n - 1;
    for (let i = 0; i < n; i++) {
      r -= nearest[i]!;
      if (r < 0) {
        pick = i;
        break;
      }
    }
  }
  return c;
}

/** Index of the nearest centre of row `i` and its squared distance. */
export function nearestCentre(x: Float64Array, i: number, c: Float64Array, k: number, d: number): [number, number] {
  let best = 0;
  let bestD = Number.POSITIVE_INFINITY;
  for (let j = 0; j < k; j++) {
    const v = dist2(x, i, c, j, d);
    if (v < bestD) {
      bestD = v;
      best = j;
    }
  }
  return [best, bestD];
}

export interface KMeansResult {
  readonly centroids: Float64Array;
  readonly assignment: Int32Array;
  readonly iterations: number;
  /** Sum of squared distances to the nearest centre. */
  readonly inertia: number;
}

/** Lloyd iterations from `init` until no assignment changes (or maxIterations). An empty cluster takes the worst-fitting row. */
export function lloyd(x: Float64Array, n: number, d: number, init: Float64Array, k: number, maxIterations: number): KMeansResult {
  const c = Float64Array.from(init);
  const assignment = new Int32Array(n).fill(-1);
  const distance = new Float64Array(n);
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    let changed = 0;
    for (let i = 0; i < n; i++) {
      const [j, v] = nearestCentre(x, i, c, k, d);
      if (j !== assignment[i]) changed++;
      assignment[i] = j;
      distance[i] = v;
    }
    if (changed === 0) break;
    const sums = new Float64Array(k * d);
    const counts = new Int32Array(k);
    for (let i = 0; i < n; i++) {
      const j = assignment[i]!;
      counts[j]!++;
      for (let t = 0; t < d; t++) sums[j * d + t]! += x[i * d + t]!;
    }
    for (let j = 0; j < k; j++) {
      if (counts[j]! > 0) {
        for (let t = 0; t < d; t++) c[j * d + t] = sums[j * d + t]! / counts[j]!;
      } else {
        let worst = 0;
        for (let i = 1; i < n; i++) if (distance[i]! > distance[worst]!) worst = i;
        c.set(x.subarray(worst * d, (worst + 1) * d), j * d);
        distance[worst] = 0;
      }
    }
  }
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    const [j, v] = nearestCentre(x, i, c, k, d);
    assignment[i] = j;
    inertia += v;
  }
  return { centroids: c, assignment, iterations, inertia };
}
