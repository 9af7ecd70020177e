/**
 * The k-means anomaly model: centroids of standardised TRAINING features; the score of a row is
 * the Euclidean distance (in standardised units) to its nearest centroid.
 */
import type { TensorSet } from '../../../core/artifact/types.js';
import { kmeansPlusPlus, lloyd } from '../common/kmeans.js';
import { Rng } from '../common/random.js';
import type { AnomalyTraining } from '../common/anomaly.js';

export const KMEANS_FILE = 'kmeans.json';
export const KMEANS_FORMAT = 'impulse-kmeans/1';

export interface KMeansModel {
  readonly format: typeof KMEANS_FORMAT;
  readonly inputShape: number[];
  /** Per-feature training mean and standard deviation (features are standardised before scoring). */
  readonly mean: number[];
  readonly std: number[];
  /** clusters × features, standardised units. */
  readonly centroids: number[][];
  readonly threshold: number;
  readonly thresholdPercentile: number;
  readonly trainingScores: { min: number; p50: number; p95: number; max: number };
  readonly labels: string[];
  readonly iterations: number;
}

export interface FittedKMeans {
  readonly centroids: Float64Array;
  readonly k: number;
  readonly iterations: number;
}

export function fitKMeans(t: AnomalyTraining, clusters: number, maxIterations: number, seed: number): FittedKMeans {
  const k = Math.min(clusters, t.n);
  const init = kmeansPlusPlus(t.x, t.n, t.d, k, Rng.for(seed, 'kmeans++'));
  const r = lloyd(t.x, t.n, t.d, init, k, maxIterations);
  return { centroids: r.centroids, k, iterations: r.iterations };
}

/** Version of the scores. 2: computed in float32 exactly as the C computes them (was float64). */
export const KMEANS_VERSION = 2;

/** The model as the C holds it: float32 tables (c.ts prints exactly these values). */
export interface KMeansTables {
  readonly d: number;
  readonly k: number;
  readonly mean: Float32Array;
  readonly std: Float32Array;
  /** k × d, standardised units. */
  readonly centroids: Float32Array;
}

export function kmeansTables(model: Pick<KMeansModel, 'mean' | 'std' | 'centroids'>): KMeansTables {
  return {
    d: model.mean.length,
    k: model.centroids.length,
    mean: Float32Array.from(model.mean),
    std: Float32Array.from(model.std),
    centroids: Float32Array.from(model.centroids.flat()),
  };
}

/**
 * The anomaly score of row x[offset .. offset + d) — the TS twin of ik_kmeans_score (c/kmeans.c),
 * float32: min over centres of ‖(x − mean) / std − centre‖, the squares summed in feature order.
 * z: d floats of scratch.
 */
export function kmeansScore(t: KMeansTables, x: ArrayLike<number>, offset: number, z: Float32Array): number {
  const f = Math.fround;
  const { d, k, mean, std, centroids } = t;
  for (let i = 0; i < d; i++) z[i] = f(f(x[offset + i] as number) - (mean[i] as number)) / (std[i] as number);
  let best = Infinity;
  for (let j = 0; j < k; j++) {
    let dist2 = 0;
    for (let i = 0; i < d; i++) {
      const v = f((z[i] as number) - (centroids[j * d + i] as number));
      dist2 = f(dist2 + f(v * v));
    }
    if (dist2 < best) best = dist2;
  }
  return f(Math.sqrt(best));
}

/** Scores of n rows (n × d, back to back). */
export function kmeansScores(t: KMeansTables, x: ArrayLike<number>, n: number): Float32Array {
  const out = new Float32Array(n);
  const z = new Float32Array(t.d);
  for (let i = 0; i < n; i++) out[i] = kmeansScore(t, x, i * t.d, z);
  return out;
}

export function scoreKMeans(model: KMeansModel, data: TensorSet): Float32Array {
  return kmeansScores(kmeansTables(model), data.data, data.rows.length);
}
