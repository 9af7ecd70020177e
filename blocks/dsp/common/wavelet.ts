import { symmetricIndex } from './cmvn.js';
import { f32 } from './f32.js';
import { mean, moments, rms, variance } from './stats.js';
import { WAVELET_FILTERS, type WaveletFilters } from './wavelet-filters.js';

export { WAVELET_NAMES } from './wavelet-filters.js';

export function waveletFilters(name: string): WaveletFilters | undefined {
  return Object.prototype.hasOwnProperty.call(WAVELET_FILTERS, name) ? WAVELET_FILTERS[name] : undefined;
}

/** Coefficients per level of pywt's `dwt` in 'symmetric' mode: floor((N + F − 1) / 2). */
export function dwtLength(n: number, filterLength: number): number {
  return Math.floor((n + filterLength - 1) / 2);
}

/**
 * One level of the discrete wavelet transform with half-sample symmetric extension
 * (pywt mode 'symmetric'): out[o] = Σ_f h[f]·x̃[2o + 1 − f]. `single`: float32 arithmetic
 * as pywt does for float32 arrays — float32 filters, each product and partial sum rounded,
 * and the terms added in pywt's order (ascending f, except past the right edge where the
 * mirrored terms come first, f = i − N down to 0). Sums that cancel (a near-constant
 * signal) depend on that order.
 */
export function dwtStep(x: ArrayLike<number>, lo: readonly number[], hi: readonly number[], single: boolean): { approx: Float64Array; detail: Float64Array } {
  const n = x.length;
  const F = lo.length;
  const len = dwtLength(n, F);
  const approx = new Float64Array(len);
  const detail = new Float64Array(len);
  const l = single ? lo.map(f32) : lo;
  const h = single ? hi.map(f32) : hi;
  const at = (k: number): number => (k >= 0 && k < n ? x[k] : x[symmetricIndex(k, n)]) as number;
  for (let o = 0; o < len; o++) {
    const i = 2 * o + 1;
    let a = 0;
    let d = 0;
    if (!single) {
      for (let j = 0; j < F; j++) {
        const v = at(i - j);
        a += (l[j] as number) * v;
        d += (h[j] as number) * v;
      }
    } else {
      const add = (j: number): void => {
        const v = at(i - j);
        a = f32(a + f32((l[j] as number) * v));
        d = f32(d + f32((h[j] as number) * v));
      };
      if (i >= n) {
        for (let j = i - n; j >= 0; j--) add(j);
        for (let j = i - n + 1; j < F; j++) add(j);
      } else {
        for (let j = 0; j < F; j++) add(j);
      }
    }
    approx[o] = a;
    detail[o] = d;
  }
  return { approx, detail };
}

/** pywt.wavedec: [cA_level, cD_level, …, cD_1]. */
export function wavedec(x: ArrayLike<number>, filters: WaveletFilters, level: number, single: boolean): Float64Array[] {
  const details: Float64Array[] = [];
  let a: ArrayLike<number> = x;
  for (let i = 0; i < level; i++) {
    const { approx, detail } = dwtStep(a, filters.decLo, filters.decHi, single);
    details.push(detail);
    a = approx;
  }
  return [Float64Array.from(a), ...details.reverse()];
}

/** Shortest window the reference accepts for a decomposition level: 32·2^level samples. */
export function minLengthForLevel(level: number): number {
  return 32 * 2 ** level;
}

export const WAVELET_FEATURE_NAMES = [
  'entropy', 'zcross', 'mcross', 'n5', 'n25', 'n75', 'n95', 'median', 'mean', 'std', 'var', 'rms', 'skew', 'kurtosis',
] as const;

/**
 * Shannon entropy (nats) of a 100-bin histogram of x (numpy.histogram edges, density
 * weighting by the float32/float64 bin widths, then normalised as scipy.stats.entropy does).
 */
export function histogramEntropy(x: ArrayLike<number>, single: boolean): number {
  const n = x.length;
  const bins = 100;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = x[i] as number;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const edges = new Float64Array(bins + 1);
  const step = (hi - lo) / bins;
  for (let i = 0; i <= bins; i++) edges[i] = i * step + lo;
  edges[bins] = hi;
  if (single) for (let i = 0; i <= bins; i++) edges[i] = f32(edges[i] as number);
  const counts = new Float64Array(bins);
  const first = edges[0] as number;
  const last = edges[bins] as number;
  for (let i = 0; i < n; i++) {
    const v = x[i] as number;
    if (v < first || v > last) continue;
    let b = Math.floor(((v - first) / (last - first)) * bins);
    if (b >= bins) b = bins - 1;
    if (b < 0) b = 0;
    while (b > 0 && v < (edges[b] as number)) b--;
    while (b < bins - 1 && v >= (edges[b + 1] as number)) b++;
    counts[b] = (counts[b] as number) + 1;
  }
  // density = count / width / n; entropy normalises it to sum 1
  let total = 0;
  const p = new Float64Array(bins);
  for (let b = 0; b < bins; b++) {
    const width = single ? f32((edges[b + 1] as number) - (edges[b] as number)) : (edges[b + 1] as number) - (edges[b] as number);
    const d = (counts[b] as number) / width / n;
    p[b] = d;
    total += d;
  }
  let h = 0;
  for (let b = 0; b < bins; b++) {
    const q = (p[b] as number) / total;
    if (q > 0) h -= q * Math.log(q);
  }
  return h;
}

function crossings(x: ArrayLike<number>, threshold: number): number {
  let c = 0;
  for (let i = 1; i < x.length; i++) if ((x[i - 1] as number) > threshold !== (x[i] as number) > threshold) c++;
  return c / x.length;
}

/** The 14 statistics the reference computes per coefficient array, in its order. */
export function coefficientFeatures(x: Float64Array, single: boolean, out: number[]): void {
  const n = x.length;
  out.push(histogramEntropy(x, single));
  out.push(crossings(x, 0));
  out.push(crossings(x, mean(x, single)));
  const sorted = Float64Array.from(x).sort();
  const pct = (p: number): number => sorted[Math.trunc(((n - 1) * p) / 100 + 0.5)] as number;
  out.push(pct(5), pct(25), pct(75), pct(95), pct(50));
  const scratch = new Float64Array(4 * n);
  // statistics run on the sorted array in the reference (sorted in place): the order changes float32 sums
  out.push(mean(sorted, single));
  out.push(single ? f32(Math.sqrt(variance(sorted, 0, single, scratch))) : Math.sqrt(variance(sorted, 0, single, scratch)));
  out.push(variance(sorted, 1, single, scratch));
  const r = rms(sorted, single, scratch);
  out.push(r);
  const m = moments(sorted, single, scratch);
  out.push(r === 0 ? 0 : m.skewness, r === 0 ? 0 : m.kurtosis);
}
