import { dspParamError } from './errors.js';

/** Mel scale of the reference: 1127·ln(1 + f/700). */
export function hzToMel(f: number): number {
  return 1127 * Math.log(1 + f / 700);
}

export function melToHz(m: number): number {
  return 700 * (Math.exp(m / 1127) - 1);
}

/** numpy.linspace(start, stop, num) in float64: i·step + start, the last point exactly `stop`. */
export function linspace(start: number, stop: number, num: number): Float64Array {
  const out = new Float64Array(num);
  const div = num - 1;
  const step = (stop - start) / div;
  for (let i = 0; i < num; i++) out[i] = i * step + start;
  if (num > 1) out[num - 1] = stop;
  return out;
}

/**
 * Triangular mel filterbank, stored sparsely: filter i has weights[i] on FFT bins
 * start[i] .. start[i] + weights[i].length − 1.
 */
export interface MelFilterbank {
  readonly numFilters: number;
  readonly bins: number;
  readonly start: Int32Array;
  readonly weights: readonly Float64Array[];
  /** The same weights back to back (filter i at flatOffset[i], weights[i].length long): one array for the hot loop. */
  readonly flat: Float64Array;
  readonly flatOffset: Int32Array;
  /** Centre frequencies in Hz (for labels). */
  readonly centers: Float64Array;
}

/**
 * The reference's filterbank (implementation version 4): num_filters + 2 points equally
 * spaced in mel between low and high, the top edge lowered by 0.001 Hz, bin =
 * floor((fftLength + 1)·hz / fs), triangles rising from `left` to `middle` and falling to `right`.
 * Throws when a filter has no non-zero weight (too many filters for the FFT length).
 */
export function melFilterbank(block: string, numFilters: number, fftLength: number, fs: number, low: number, high: number): MelFilterbank {
  const bins = (fftLength >> 1) + 1;
  const mels = linspace(hzToMel(low), hzToMel(high), numFilters + 2);
  const hz = new Float64Array(mels.length);
  for (let i = 0; i < mels.length; i++) hz[i] = melToHz(mels[i] as number);
  hz[hz.length - 1] = (hz[hz.length - 1] as number) - 0.001;
  const idx = new Int32Array(hz.length);
  for (let i = 0; i < hz.length; i++) idx[i] = Math.floor(((fftLength + 1) * (hz[i] as number)) / fs);
  const start = new Int32Array(numFilters);
  const weights: Float64Array[] = [];
  for (let i = 0; i < numFilters; i++) {
    const left = idx[i] as number;
    const middle = idx[i + 1] as number;
    const right = idx[i + 2] as number;
    const w = new Float64Array(Math.max(0, right - left + 1));
    let any = false;
    for (let x = left; x <= right; x++) {
      let v = 0;
      if (x > left && x <= middle) v = (x - left) / (middle - left);
      if (x >= middle && x < right) v = (right - x) / (right - middle);
      if (x < 0 || x >= bins) v = 0;
      w[x - left] = v;
      if (v !== 0) any = true;
    }
    if (!any) {
      throw dspParamError(
        block,
        `mel filter ${i + 1} of ${numFilters} covers no FFT bin (fftLength ${fftLength} is too short for ${numFilters} filters between ${low} and ${high} Hz)`,
        `lower numFilters (e.g. to ${Math.floor(bins / 4)}) or raise fftLength`,
      );
    }
    start[i] = left;
    weights.push(w);
  }
  const flatOffset = new Int32Array(numFilters + 1);
  for (let i = 0; i < numFilters; i++) flatOffset[i + 1] = (flatOffset[i] as number) + (weights[i] as Float64Array).length;
  const flat = new Float64Array(flatOffset[numFilters] as number);
  weights.forEach((w, i) => flat.set(w, flatOffset[i] as number));
  return { numFilters, bins, start, weights, flat, flatOffset, centers: hz.slice(1, -1) };
}

/** out[i] = Σ_k power[k]·fb[i][k], zeros replaced by 1e-10 (the reference's zero handling). */
export function applyFilterbank(fb: MelFilterbank, power: Float64Array, pOffset: number, out: Float64Array, oOffset: number): void {
  const { flat, flatOffset, start } = fb;
  for (let i = 0; i < fb.numFilters; i++) {
    const from = flatOffset[i] as number;
    const to = flatOffset[i + 1] as number;
    const d = pOffset + (start[i] as number) - from;
    let acc = 0;
    for (let k = from; k < to; k++) acc += (power[d + k] as number) * (flat[k] as number);
    out[oOffset + i] = acc === 0 ? 1e-10 : acc;
  }
}
