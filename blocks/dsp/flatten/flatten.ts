import { dspParamError, requireRange, timeSeriesShape } from '../common/errors.js';
import { moments, rms, sum } from '../common/stats.js';

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

export interface FlattenPlan {
  readonly axes: number;
  readonly frames: number;
  readonly stats: readonly (typeof FLATTEN_STATS)[number][];
  readonly scale: number;
  readonly column: Float64Array;
  readonly scratch: Float64Array;
}

export function planFlatten(p: FlattenParams, shape: readonly number[]): FlattenPlan {
  const { frames, axes } = timeSeriesShape(BLOCK, shape);
  requireRange(BLOCK, 'scaleAxes', p.scaleAxes, -1e12, 1e12);
  const stats = FLATTEN_STATS.filter((s) => p[s]);
  if (stats.length === 0) {
    throw dspParamError(BLOCK, 'no statistic is enabled', `enable at least one of ${FLATTEN_STATS.join(', ')}`);
  }
  return { axes, frames, stats, scale: p.scaleAxes, column: new Float64Array(frames), scratch: new Float64Array(4 * frames) };
}

/**
 * Per axis, in this order, the enabled statistics of the scaled values (float64, numpy /
 * scipy definitions): mean, min, max, RMS, population standard deviation, skewness and
 * Fisher kurtosis (biased). A constant axis gives skewness = kurtosis = 0 (the reference: NaN).
 */
export function runFlatten(plan: FlattenPlan, window: ArrayLike<number>): Float32Array {
  const { axes, frames, stats, scale, column, scratch } = plan;
  const out = new Float32Array(axes * stats.length);
  let k = 0;
  for (let a = 0; a < axes; a++) {
    let mn = Infinity;
    let mx = -Infinity;
    for (let i = 0; i < frames; i++) {
      const v = (window[i * axes + a] as number) * scale;
      column[i] = v;
      if (v < mn) mn = v;
      if (v > mx) mx = v;
    }
    const m = stats.includes('skewness') || stats.includes('kurtosis') || stats.includes('stdev') ? moments(column, false, scratch) : undefined;
    for (const s of stats) {
      switch (s) {
        case 'average':
          out[k++] = sum(column, false) / frames;
          break;
        case 'minimum':
          out[k++] = mn;
          break;
        case 'maximum':
          out[k++] = mx;
          break;
        case 'rms':
          out[k++] = rms(column, false, scratch);
          break;
        case 'stdev':
          out[k++] = Math.sqrt(m?.m2 ?? 0);
          break;
        case 'skewness':
          out[k++] = m?.skewness ?? 0;
          break;
        case 'kurtosis':
          out[k++] = m?.kurtosis ?? 0;
          break;
      }
    }
  }
  return out;
}
