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
  return { numFilters, bins, start, weights, centers: hz.slice(1, -1) };
}

/**
 * The filterbank as the C stores and applies it (ik_mel_bank): each filter's non-zero weights only,
 * rounded to float32. Filter i has weights[offset[i] .. offset[i+1]) on FFT bins firstBin[i] ….
 */
export interface SparseMel {
  readonly numFilters: number;
  readonly firstBin: Int32Array;
  /** numFilters + 1 entries. */
  readonly offset: Int32Array;
  readonly weights: Float32Array;
}

export function sparseMel(fb: MelFilterbank): SparseMel {
  const firstBin = new Int32Array(fb.numFilters);
  const offset = new Int32Array(fb.numFilters + 1);
  const weights: number[] = [];
  for (let i = 0; i < fb.numFilters; i++) {
    const w = fb.weights[i] as Float64Array;
    let a = 0;
    let b = w.length - 1;
    while (a <= b && w[a] === 0) a++;
    while (b >= a && w[b] === 0) b--;
    firstBin[i] = (fb.start[i] as number) + a;
    for (let k = a; k <= b; k++) weights.push(w[k] as number);
    offset[i + 1] = weights.length;
  }
  return { numFilters: fb.numFilters, firstBin, offset, weights: Float32Array.from(weights) };
}

/** 1e-10 in float32: the reference's value for a zero energy (so its log is finite). */
export const ZERO_ENERGY = Math.fround(1e-10);

/**
 * ik_mel_energies (float32, the C's order): out[i] = Σ_k power[firstBin[i] + k]·weights[offset[i] + k],
 * a zero energy replaced by 1e-10.
 */
export function melEnergies(bank: SparseMel, power: Float32Array, out: Float32Array, outOffset = 0): void {
  const f = Math.fround;
  const { firstBin, offset, weights } = bank;
  for (let i = 0; i < bank.numFilters; i++) {
    const from = offset[i] as number;
    const to = offset[i + 1] as number;
    const d = (firstBin[i] as number) - from;
    let acc = 0;
    for (let k = from; k < to; k++) acc = f(acc + f((power[d + k] as number) * (weights[k] as number)));
    out[outOffset + i] = acc === 0 ? ZERO_ENERGY : acc;
  }
}
