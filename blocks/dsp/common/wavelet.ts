import { symmetricIndex } from './cmvn.js';
import { f32 } from './f32.js';
import { ikLogf } from './math32.js';
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
 * ik_dwt_step: one level of the discrete wavelet transform with half-sample symmetric extension
 * (pywt mode 'symmetric'), approx[o] = Σ_f lo[f]·x̃[2o + 1 − f] (detail likewise with hi), in float32
 * as pywt does for float32 arrays: float32 filters, each product and partial sum rounded, the terms
 * added in pywt's order (ascending f, except past the right edge where the mirrored terms come
 * first, f = i − n down to 0). Sums that cancel (a near-constant signal) depend on that order.
 * approx, detail: dwtLength(n, taps) floats each.
 */
export function dwtStep(x: Float32Array, n: number, lo: Float32Array, hi: Float32Array, approx: Float32Array, detail: Float32Array): void {
  const taps = lo.length;
  const len = dwtLength(n, taps);
  const at = (k: number): number => (k >= 0 && k < n ? x[k] : x[symmetricIndex(k, n)]) as number;
  for (let o = 0; o < len; o++) {
    const i = 2 * o + 1;
    let a = 0;
    let d = 0;
    const add = (j: number): void => {
      const v = at(i - j);
      a = f32(a + f32((lo[j] as number) * v));
      d = f32(d + f32((hi[j] as number) * v));
    };
    if (i >= n) {
      for (let j = i - n; j >= 0; j--) add(j);
      for (let j = i - n + 1; j < taps; j++) add(j);
    } else {
      for (let j = 0; j < taps; j++) add(j);
    }
    approx[o] = a;
    detail[o] = d;
  }
}

/** pywt.wavedec in float32: [cA_level, cD_level, …, cD_1]. */
export function wavedec(x: Float32Array, filters: WaveletFilters, level: number): Float32Array[] {
  const lo = Float32Array.from(filters.decLo);
  const hi = Float32Array.from(filters.decHi);
  const details: Float32Array[] = [];
  let a = x;
  for (let i = 0; i < level; i++) {
    const len = dwtLength(a.length, lo.length);
    const approx = new Float32Array(len);
    const detail = new Float32Array(len);
    dwtStep(a, a.length, lo, hi, approx, detail);
    details.push(detail);
    a = approx;
  }
  return [a, ...details.reverse()];
}

/** Shortest window the reference accepts for a decomposition level: 32·2^level samples. */
export function minLengthForLevel(level: number): number {
  return 32 * 2 ** level;
}

export const WAVELET_FEATURE_NAMES = [
  'entropy', 'zcross', 'mcross', 'n5', 'n25', 'n75', 'n95', 'median', 'mean', 'std', 'var', 'rms', 'skew', 'kurtosis',
] as const;

/** Bins of the entropy histogram (IK_WAVELET_BINS). */
const BINS = 100;
/** The reference's percentiles, in its output order. */
export const PERCENTILES = [5, 25, 75, 95, 50] as const;

/** Sorted position of the p-th percentile of n values (the reference's rounding); the C gets these as a table. */
export function percentileIndex(n: number, p: number): number {
  return Math.trunc(((n - 1) * p) / 100 + 0.5);
}

/**
 * histogram_entropy (wavelet.c): Shannon entropy (nats) of numpy.histogram(x, 100) with density
 * weighting, normalised as scipy.stats.entropy does. The bin edges are computed in float64 and
 * rounded to float32 as numpy does (a quantised sensor puts many values exactly on an edge, so an
 * edge one ulp off moves them); the rest is float32 with ikLogf.
 */
export function histogramEntropy(x: Float32Array, n: number): number {
  const f = Math.fround;
  let lo = x[0] as number;
  let hi = x[0] as number;
  for (let i = 1; i < n; i++) {
    const v = x[i] as number;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  let loEdge = lo;
  let hiEdge = hi;
  if (lo === hi) {
    loEdge -= 0.5;
    hiEdge += 0.5;
  }
  const step = (hiEdge - loEdge) / BINS;
  const edges = new Float32Array(BINS + 1);
  for (let b = 0; b < BINS; b++) edges[b] = b * step + loEdge;
  edges[BINS] = hiEdge;
  const counts = new Float32Array(BINS);
  const first = edges[0] as number;
  const last = edges[BINS] as number;
  const width = f(last - first);
  for (let i = 0; i < n; i++) {
    const v = x[i] as number;
    if (v < first || v > last) continue;
    // a first guess (truncation = floor: the quotient is ≥ 0); the edges decide, as in numpy
    const guess = f(f(f(v - first) / width) * BINS);
    let b = guess < 0 ? 0 : guess >= BINS ? BINS - 1 : Math.trunc(guess);
    while (b > 0 && v < (edges[b] as number)) b--;
    while (b < BINS - 1 && v >= (edges[b + 1] as number)) b++;
    counts[b] = (counts[b] as number) + 1;
  }
  // density = count / width / n, then normalised to sum 1
  let total = 0;
  for (let b = 0; b < BINS; b++) {
    counts[b] = f((counts[b] as number) / f((edges[b + 1] as number) - (edges[b] as number))) / n;
    total = f(total + (counts[b] as number));
  }
  let h = 0;
  for (let b = 0; b < BINS; b++) {
    const q = f((counts[b] as number) / total);
    if (q > 0) h = f(h - f(q * ikLogf(q)));
  }
  return h;
}

/** Fraction of neighbouring samples on different sides of `threshold` (crossings in wavelet.c). */
function crossings(x: Float32Array, n: number, threshold: number): number {
  let c = 0;
  for (let i = 1; i < n; i++) if ((x[i - 1] as number) > threshold !== (x[i] as number) > threshold) c++;
  return Math.fround(c / n);
}

/** In-place ascending heapsort, as wavelet.c sorts (same order for equal keys of different sign: ±0). */
export function heapSort(a: Float32Array, n: number): void {
  const siftDown = (root: number, end: number): void => {
    for (;;) {
      let child = 2 * root + 1;
      if (child >= end) return;
      if (child + 1 < end && (a[child + 1] as number) > (a[child] as number)) child++;
      if (!((a[child] as number) > (a[root] as number))) return;
      const t = a[root] as number;
      a[root] = a[child] as number;
      a[child] = t;
      root = child;
    }
  };
  for (let i = n >> 1; i-- > 0; ) siftDown(i, n);
  for (let i = n; i-- > 1; ) {
    const t = a[0] as number;
    a[0] = a[i] as number;
    a[i] = t;
    siftDown(0, i);
  }
}

/**
 * ik_wavelet_features: the 14 statistics the reference computes per coefficient array, in its order,
 * into out[o .. o + 14): entropy, zero and mean crossings, the 5th/25th/75th/95th percentiles and the
 * median, mean, std, var (ddof 1), RMS, skewness, kurtosis. The statistics after the percentiles run
 * on the sorted array, as in the reference (sorted in place): the order changes float32 sums.
 */
export function coefficientFeatures(x: Float32Array, n: number, out: Float32Array, o: number): void {
  const sorted = x.slice(0, n);
  const tmp = new Float32Array(n);
  out[o] = histogramEntropy(x, n);
  out[o + 1] = crossings(x, n, 0);
  out[o + 2] = crossings(x, n, mean(x, 0, n));
  heapSort(sorted, n);
  PERCENTILES.forEach((p, i) => {
    out[o + 3 + i] = sorted[percentileIndex(n, p)] as number;
  });
  out[o + 8] = mean(sorted);
  out[o + 9] = Math.sqrt(variance(sorted, 0, tmp));
  out[o + 10] = variance(sorted, 1, tmp);
  const r = rms(sorted, tmp);
  out[o + 11] = r;
  const m = moments(sorted, tmp);
  out[o + 12] = r === 0 ? 0 : m.skewness;
  out[o + 13] = r === 0 ? 0 : m.kurtosis;
}
