/** The saved GMM anomaly model (gmm.json) and scoring with it. */
import type { TensorSet } from '../../../core/artifact/types.js';
import { ikExpf, ikLogf } from '../../dsp/common/math32.js';

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

/** Version of the scores. 2: computed in float32 exactly as the C computes them, ikExpf / ikLogf (was float64). */
export const GMM_VERSION = 2;

/** The model as the C holds it: float32 tables (c.ts prints exactly these values). */
export interface GmmTables {
  readonly d: number;
  readonly k: number;
  readonly mean: Float32Array;
  readonly std: Float32Array;
  /** Per component: log w_j − ½·(d·log 2π + Σ_t log σ²_jt), computed in float64 then rounded. */
  readonly logPeak: Float32Array;
  /** k × d: component means and 1/σ², standardised units. */
  readonly means: Float32Array;
  readonly invVariances: Float32Array;
}

export function gmmTables(model: Pick<GmmModel, 'mean' | 'std' | 'weights' | 'means' | 'variances'>): GmmTables {
  const d = model.mean.length;
  const logPeak = model.weights.map((w, j) => {
    let logDet = 0;
    for (const v of model.variances[j] as number[]) logDet += Math.log(v);
    return Math.log(Math.max(w, 1e-300)) - 0.5 * (d * Math.log(2 * Math.PI) + logDet);
  });
  return {
    d,
    k: model.weights.length,
    mean: Float32Array.from(model.mean),
    std: Float32Array.from(model.std),
    logPeak: Float32Array.from(logPeak),
    means: Float32Array.from(model.means.flat()),
    invVariances: Float32Array.from(model.variances.flat(), (v) => 1 / v),
  };
}

/**
 * The anomaly score of row x[offset .. offset + d) — the TS twin of ik_gmm_score (c/gmm.c), float32:
 * −log Σ_j exp(logPeak_j − ½·Σ_t (z_t − μ_jt)²/σ²_jt), z = (x − mean)/std, the log-sum-exp taken
 * around its largest term, with ikExpf / ikLogf. scratch: d + k floats.
 */
export function gmmScore(t: GmmTables, x: ArrayLike<number>, offset: number, scratch: Float32Array): number {
  const f = Math.fround;
  const { d, k, mean, std, logPeak, means, invVariances } = t;
  for (let i = 0; i < d; i++) scratch[i] = f(f(x[offset + i] as number) - (mean[i] as number)) / (std[i] as number);
  let top = -Infinity;
  for (let j = 0; j < k; j++) {
    let q = 0;
    for (let i = 0; i < d; i++) {
      const v = f((scratch[i] as number) - (means[j * d + i] as number));
      q = f(q + f(f(v * v) * (invVariances[j * d + i] as number)));
    }
    const lp = f((logPeak[j] as number) - f(0.5 * q));
    scratch[d + j] = lp;
    if (lp > top) top = lp;
  }
  let sum = 0;
  for (let j = 0; j < k; j++) sum = f(sum + ikExpf(f((scratch[d + j] as number) - top)));
  return -f(top + ikLogf(sum));
}

/** Scores of n rows (n × d, back to back). */
export function gmmScores(t: GmmTables, x: ArrayLike<number>, n: number): Float32Array {
  const out = new Float32Array(n);
  const scratch = new Float32Array(t.d + t.k);
  for (let i = 0; i < n; i++) out[i] = gmmScore(t, x, i * t.d, scratch);
  return out;
}

export function scoreGmm(model: GmmModel, data: TensorSet): Float32Array {
  return gmmScores(gmmTables(model), data.data, data.rows.length);
}
