/**
 * Diagonal-covariance Gaussian mixture fitted with EM (initialised by seeded k-means++ and a few
 * Lloyd iterations). Pure TS, log-space throughout. Score of a row = −log p(row).
 */
import { kmeansPlusPlus, lloyd } from '../common/kmeans.js';
import type { Rng } from '../common/random.js';

export interface Gmm {
  readonly k: number;
  readonly d: number;
  readonly weights: Float64Array;
  /** k × d */
  readonly means: Float64Array;
  /** k × d */
  readonly variances: Float64Array;
}

export interface GmmOptions {
  readonly maxIterations: number;
  readonly tolerance: number;
  readonly regularization: number;
  readonly rng: Rng;
}

export interface GmmFit {
  readonly gmm: Gmm;
  readonly iterations: number;
  readonly converged: boolean;
  /** Mean log-likelihood per training row at the end. */
  readonly logLikelihood: number;
}

const LOG_2PI = Math.log(2 * Math.PI);

/** log w_j + log N(x_i | μ_j, diag σ²_j) for every row and component (n × k). */
function componentLogDensities(g: Gmm, x: Float64Array, n: number, out: Float64Array): void {
  const { k, d } = g;
  const constant = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    let logDet = 0;
    for (let t = 0; t < d; t++) logDet += Math.log(g.variances[j * d + t]!);
    constant[j] = Math.log(Math.max(g.weights[j]!, 1e-300)) - 0.5 * (d * LOG_2PI + logDet);
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      let q = 0;
      for (let t = 0; t < d; t++) {
        const v = x[i * d + t]! - g.means[j * d + t]!;
        q += (v * v) / g.variances[j * d + t]!;
      }
      out[i * k + j] = constant[j]! - 0.5 * q;
    }
  }
}

/** Turns row log-densities (n × k) into responsibilities in place; returns each row's log-likelihood. */
function normalize(logp: Float64Array, n: number, k: number): Float64Array {
  const ll = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let max = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < k; j++) max = Math.max(max, logp[i * k + j]!);
    let s = 0;
    for (let j = 0; j < k; j++) s += Math.exp(logp[i * k + j]! - max);
    const lse = max + Math.log(s);
    ll[i] = lse;
    for (let j = 0; j < k; j++) logp[i * k + j] = Math.exp(logp[i * k + j]! - lse);
  }
  return ll;
}

/** M step: weights, means and variances from responsibilities (n × k). */
function maximize(x: Float64Array, n: number, d: number, k: number, resp: Float64Array, reg: number, prev?: Gmm): Gmm {
  const weights = new Float64Array(k);
  const means = new Float64Array(k * d);
  const variances = new Float64Array(k * d);
  for (let j = 0; j < k; j++) {
    let nk = 0;
    for (let i = 0; i < n; i++) nk += resp[i * k + j]!;
    if (nk < 1e-10) {
      // A component that owns no rows keeps its place with a negligible weight.
      weights[j] = 1e-10 / n;
      if (prev) means.set(prev.means.subarray(j * d, (j + 1) * d), j * d);
      variances.fill(1 + reg, j * d, (j + 1) * d);
      continue;
    }
    weights[j] = nk / n;
    for (let i = 0; i < n; i++) {
      const r = resp[i * k + j]!;
      if (r === 0) continue;
      for (let t = 0; t < d; t++) means[j * d + t]! += r * x[i * d + t]!;
    }
    for (let t = 0; t < d; t++) means[j * d + t]! /= nk;
    for (let i = 0; i < n; i++) {
      const r = resp[i * k + j]!;
      if (r === 0) continue;
      for (let t = 0; t < d; t++) {
        const v = x[i * d + t]! - means[j * d + t]!;
        variances[j * d + t]! += r * v * v;
      }
    }
    for (let t = 0; t < d; t++) variances[j * d + t] = variances[j * d + t]! / nk + reg;
  }
  return { k, d, weights, means, variances };
}

export function fitGmm(x: Float64Array, n: number, d: number, components: number, o: GmmOptions): GmmFit {
  const k = Math.min(components, n);
  const init = lloyd(x, n, d, kmeansPlusPlus(x, n, d, k, o.rng), k, 10);
  const resp = new Float64Array(n * k);
  for (let i = 0; i < n; i++) resp[i * k + init.assignment[i]!] = 1;
  let gmm = maximize(x, n, d, k, resp, o.regularization);
  let previous = Number.NEGATIVE_INFINITY;
  let mean = Number.NEGATIVE_INFINITY;
  let iterations = 0;
  let converged = false;
  while (iterations < o.maxIterations) {
    iterations++;
    componentLogDensities(gmm, x, n, resp);
    const ll = normalize(resp, n, k);
    mean = ll.reduce((a, b) => a + b, 0) / n;
    if (Math.abs(mean - previous) < o.tolerance) {
      converged = true;
      break;
    }
    previous = mean;
    gmm = maximize(x, n, d, k, resp, o.regularization, gmm);
  }
  return { gmm, iterations, converged, logLikelihood: mean };
}
