/**
 * The k-means anomaly model: centroids of standardised TRAINING features; the score of a row is
 * the Euclidean distance (in standardised units) to its nearest centroid.
 */
import { rowSize, type TensorSet } from '../../../core/artifact/types.js';
import { kmeansPlusPlus, lloyd, nearestCentre } from '../common/kmeans.js';
import { Rng } from '../common/random.js';
import { standardize } from '../common/stats.js';
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

/** Distance to the nearest centroid of each row of standardised `x` (n × d). */
export function distances(x: Float64Array, n: number, d: number, centroids: Float64Array, k: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.sqrt(nearestCentre(x, i, centroids, k, d)[1]);
  return out;
}

export function scoreKMeans(model: KMeansModel, data: TensorSet): Float32Array {
  const d = rowSize(data.shape);
  const x = standardize(data.data, model);
  const c = Float64Array.from(model.centroids.flat());
  return distances(x, data.rows.length, d, c, model.centroids.length);
}
