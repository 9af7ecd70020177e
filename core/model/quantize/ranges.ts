/**
 * Activation ranges from calibration: each float activation tensor's values over the
 * representative samples, reduced to a [min, max] the int8 params are derived from.
 *
 * - minmax: the observed extremes (what most toolchains do).
 * - percentile: the 0.01st / 99.99th percentiles: a few outliers no longer stretch the scale.
 * - mse: the clipping range whose int8 rounding + clipping error (over the observed histogram)
 *   is smallest.
 * Percentile and mse read a histogram per tensor, built in a second pass over the samples.
 */
export type CalibrationMethod = 'minmax' | 'percentile' | 'mse';

export interface Range {
  min: number;
  max: number;
}

const BINS = 2048;
const PERCENTILE = 1e-4;

/** Extremes of every observed tensor (pass 1). */
export class RangeObserver {
  readonly ranges = new Map<number, Range>();

  observe(tensor: number, values: Float32Array): void {
    let r = this.ranges.get(tensor);
    if (!r) this.ranges.set(tensor, (r = { min: Infinity, max: -Infinity }));
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v < r.min) r.min = v;
      if (v > r.max) r.max = v;
    }
  }
}

/** Histograms over each tensor's [min, max] (pass 2). */
export class HistogramObserver {
  readonly histograms = new Map<number, { range: Range; counts: Float64Array }>();

  constructor(ranges: ReadonlyMap<number, Range>) {
    for (const [t, r] of ranges) this.histograms.set(t, { range: r, counts: new Float64Array(BINS) });
  }

  observe(tensor: number, values: Float32Array): void {
    const h = this.histograms.get(tensor);
    if (!h) return;
    const { min, max } = h.range;
    const width = (max - min) / BINS || 1;
    for (let i = 0; i < values.length; i++) {
      const bin = Math.min(BINS - 1, Math.max(0, Math.floor((values[i]! - min) / width)));
      h.counts[bin]!++;
    }
  }
}

/** Always includes zero (an int8 zero point must represent 0.0 exactly). */
export function withZero(r: Range): Range {
  return { min: Math.min(0, r.min), max: Math.max(0, r.max) };
}

export function percentileRange(range: Range, counts: Float64Array): Range {
  const total = counts.reduce((a, b) => a + b, 0);
  const width = (range.max - range.min) / counts.length;
  let lo = 0;
  for (let acc = 0; lo < counts.length && acc + counts[lo]! <= total * PERCENTILE; lo++) acc += counts[lo]!;
  let hi = counts.length - 1;
  for (let acc = 0; hi > 0 && acc + counts[hi]! <= total * PERCENTILE; hi--) acc += counts[hi]!;
  return { min: range.min + lo * width, max: range.min + (hi + 1) * width };
}

/** Expected squared error of quantizing the histogram's values to 256 levels over [lo, hi]. */
function quantizationError(range: Range, counts: Float64Array, lo: number, hi: number): number {
  const width = (range.max - range.min) / counts.length;
  const step = (hi - lo) / 255;
  let err = 0;
  for (let b = 0; b < counts.length; b++) {
    const n = counts[b]!;
    if (n === 0) continue;
    const v = range.min + (b + 0.5) * width;
    if (v < lo) err += n * (lo - v) ** 2;
    else if (v > hi) err += n * (v - hi) ** 2;
    else err += (n * step * step) / 12; // uniform rounding error inside the range
  }
  return err;
}

/** Searches clipping ranges that shrink both ends towards zero; keeps the one of least error. */
export function mseRange(range: Range, counts: Float64Array): Range {
  const full = withZero(range);
  let best = full;
  let bestErr = quantizationError(range, counts, full.min, full.max);
  for (let lowCut = 0; lowCut <= 40; lowCut++) {
    for (let highCut = 0; highCut <= 40; highCut++) {
      const lo = full.min * (1 - lowCut / 50);
      const hi = full.max * (1 - highCut / 50);
      const err = quantizationError(range, counts, lo, hi);
      if (err < bestErr) {
        bestErr = err;
        best = { min: lo, max: hi };
      }
    }
  }
  return best;
}
