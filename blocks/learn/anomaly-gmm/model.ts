/** The saved GMM anomaly model (gmm.json) and scoring with it. */
import type { TensorSet } from '../../../core/artifact/types.js';
import { standardize } from '../common/stats.js';
import { negativeLogLikelihood, type Gmm } from './gmm.js';

export const GMM_FILE = 'gmm.json';
export const GMM_FORMAT = 'impulse-gmm/1';

export interface GmmModel {
  readonly format: typeof GMM_FORMAT;
  readonly inputShape: number[];
  /** Per-feature training mean and standard deviation (features are standardised before scoring). */
  readonly mean: number[];
  readonly std: number[];
  readonly weights: number[];
  /** components × features, standardised units. */
  readonly means: number[][];
  readonly variances: number[][];
  readonly threshold: number;
  readonly thresholdPercentile: number;
  readonly trainingScores: { min: number; p50: number; p95: number; max: number };
  readonly labels: string[];
  readonly iterations: number;
  readonly converged: boolean;
}

export function toRows(flat: Float64Array, k: number, d: number): number[][] {
  return Array.from({ length: k }, (_, j) => Array.from(flat.subarray(j * d, (j + 1) * d)));
}

export function gmmOf(model: GmmModel): Gmm {
  return {
    k: model.weights.length,
    d: model.mean.length,
    weights: Float64Array.from(model.weights),
    means: Float64Array.from(model.means.flat()),
    variances: Float64Array.from(model.variances.flat()),
  };
}

export function scoreGmm(model: GmmModel, data: TensorSet): Float32Array {
  return negativeLogLikelihood(gmmOf(model), standardize(data.data, model), data.rows.length);
}
