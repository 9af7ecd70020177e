import { dspParamError, requireRange, timeSeriesShape } from '../common/errors.js';
import { mean, moments, rms } from '../common/stats.js';

export interface FlattenParams {
  average: boolean;
  minimum: boolean;
  maximum: boolean;
  rms: boolean;
  stdev: boolean;
  skewness: boolean;
  kurtosis: boolean;
  scaleAxes: number;
}

const BLOCK = 'flatten';
export const FLATTEN_STATS = ['average', 'minimum', 'maximum', 'rms', 'stdev', 'skewness', 'kurtosis'] as const;

/** Version of the block's output. 2: float32 arithmetic identical to the C (was float64). */
export const FLATTEN_VERSION = 2;

export interface FlattenPlan {
  readonly axes: number;
  readonly frames: number;
  readonly stats: readonly (typeof FLATTEN_STATS)[number][];
  readonly scale: number;
  /** Scratch of one run, as the C's: (x − x[0])·scale of one axis, and the scaled axis / terms of sums. */
  readonly centred: Float32Array;
  readonly tmp: Float32Array;
}

export function planFlatten(p: FlattenParams, shape: readonly number[]): FlattenPlan {
  const { frames, axes } = timeSeriesShape(BLOCK, shape);
  requireRange(BLOCK, 'scaleAxes', p.scaleAxes, -1e12, 1e12);
  const stats = FLATTEN_STATS.filter((s) => p[s]);
  if (stats.length === 0) {
    throw dspParamError(BLOCK, 'no statistic is enabled', `enable at least one of ${FLATTEN_STATS.join(', ')}`);
  }
  return { axes, frames, stats, scale: Math.fround(p.scaleAxes), centred: new Float32Array(frames), tmp: new Float32Array(frames) };
}

/**
 * Per axis, in this order, the enabled statistics of the scaled values — the TS twin of
 * c/flatten.c (ik_flatten_run), float32 with numpy's summation order: mean, min, max, RMS,
 * population standard deviation, skewness and Fisher kurtosis (biased). The central moments are
 * computed on (x − x[0])·scale: a sensor's small variations on a large offset (gravity, a
 * temperature) keep float32's full precision there, as they do in the reference's float64; the
 * shift changes no central moment. A constant axis gives skewness = kurtosis = 0 (the reference: NaN).
 */
export function runFlatten(plan: FlattenPlan, window: ArrayLike<number>): Float32Array {
  const out = new Float32Array(plan.axes * plan.stats.length);
  flattenInto(plan, window, out);
  return out;
}

/** runFlatten into `out` (axes × statistics values; every one is written). */
export function flattenInto(plan: FlattenPlan, window: ArrayLike<number>, out: Float32Array): void {
  const f = Math.fround;
  const { axes, frames, stats, scale, centred, tmp } = plan;
  const needMoments = stats.includes('stdev') || stats.includes('skewness') || stats.includes('kurtosis');
  let k = 0;
  for (let a = 0; a < axes; a++) {
    const first = f(window[a] as number);
    for (let i = 0; i < frames; i++) {
      const x = f(window[i * axes + a] as number);
      tmp[i] = x * scale;
      centred[i] = f(x - first) * scale;
    }
    let lo = tmp[0] as number;
    let hi = tmp[0] as number;
    for (let i = 1; i < frames; i++) {
      const v = tmp[i] as number;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const average = mean(tmp);
    const r = rms(tmp, tmp);
    const m = needMoments ? moments(centred, tmp) : { mean: 0, m2: 0, skewness: 0, kurtosis: 0 };
    for (const s of stats) {
      switch (s) {
        case 'average':
          out[k++] = average;
          break;
        case 'minimum':
          out[k++] = lo;
          break;
        case 'maximum':
          out[k++] = hi;
          break;
        case 'rms':
          out[k++] = r;
          break;
        case 'stdev':
          out[k++] = Math.sqrt(m.m2);
          break;
        case 'skewness':
          out[k++] = m.skewness;
          break;
        case 'kurtosis':
          out[k++] = m.kurtosis;
          break;
      }
    }
  }
}
