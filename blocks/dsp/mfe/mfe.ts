import { audioFraming, melBand } from '../common/audio.js';
import { requireInt, requireRange } from '../common/errors.js';
import { roundHalfEven } from '../common/f32.js';
import { powerSpectrumPlan, type PowerSpectrum } from '../common/fft.js';
import { applyFilterbank, melFilterbank, type MelFilterbank } from '../common/mel.js';

export interface MfeParams {
  frameLength: number;
  frameStride: number;
  numFilters: number;
  fftLength: number;
  lowFrequency: number;
  highFrequency: number;
  noiseFloorDb: number;
}

const BLOCK = 'mfe';

export interface MfePlan {
  readonly frames: number;
  readonly frameLength: number;
  readonly frameStride: number;
  readonly samples: number;
  readonly numFilters: number;
  readonly noiseFloorDb: number;
  readonly fft: PowerSpectrum;
  readonly fb: MelFilterbank;
  readonly pre: Float64Array;
  readonly power: Float64Array;
  readonly mel: Float64Array;
}

export function planMfe(p: MfeParams, shape: readonly number[], frequency: number | undefined): MfePlan {
  const { fs, samples, frames } = audioFraming(BLOCK, shape, frequency, p.frameLength, p.frameStride, p.fftLength);
  requireInt(BLOCK, 'numFilters', p.numFilters, 2, 512);
  requireRange(BLOCK, 'noiseFloorDb', p.noiseFloorDb, -200, 0, 'noiseFloorDb is in dB below full scale, e.g. -52');
  const { low, high } = melBand(BLOCK, fs, p.lowFrequency, p.highFrequency);
  const fb = melFilterbank(BLOCK, p.numFilters, p.fftLength, fs, low, high);
  const fft = powerSpectrumPlan(p.fftLength);
  return {
    frames: frames.count,
    frameLength: frames.length,
    frameStride: frames.stride,
    samples,
    numFilters: p.numFilters,
    noiseFloorDb: p.noiseFloorDb,
    fft,
    fb,
    pre: new Float64Array(samples),
    power: new Float64Array(fft.bins),
    mel: new Float64Array(p.numFilters),
  };
}

/**
 * Mel filterbank energies of one window, quantised like the reference (v4): samples / 2^15
 * in float32, pre-emphasis 0.98 (float32, wrap-around), power spectra, mel energies,
 * 10·log10, (dB − floor) / (−floor + 12) clipped to [0, 1], rounded to multiples of 1/256.
 * A value that rounds to 256/256 is clamped to 255/256 (numpy's uint8 cast in the
 * reference wraps it to 0; the C++ SDK clamps). Output [frames × numFilters].
 */
export function runMfe(plan: MfePlan, window: ArrayLike<number>): Float32Array {
  const out = new Float32Array(plan.frames * plan.numFilters);
  mfeInto(plan, window, out);
  return out;
}

/** runMfe into `out` (frames × numFilters values; every one is written). */
export function mfeInto(plan: MfePlan, window: ArrayLike<number>, out: Float32Array): void {
  const { frames, frameLength, frameStride, samples, numFilters, fft, fb, pre, power, mel } = plan;
  scaledPreemphasis(window, samples, pre);
  const nf = plan.noiseFloorDb;
  const range = -nf + 12;
  // energies below `floor` give 0 and above `ceil` give 255/256 whatever the rounding: no log needed
  const floor = 10 ** (nf / 10) * 0.999;
  const ceil = 10 ** ((nf + range) / 10) * 1.001;
  const gain = (10 / Math.LN10 / range) * 256;
  const offset = (-nf / range) * 256;
  const quantise = (e: number): number => {
    if (e < floor) return 0;
    if (e > ceil) return 255 / 256;
    // 256·(10·log10(e) − floor) / range, clipped to [0, 256], rounded half to even, 256 clamped to 255
    let v = Math.log(e) * gain + offset;
    v = v < 0 ? 0 : v > 256 ? 256 : v;
    const q = roundHalfEven(v);
    return (q > 255 ? 255 : q) / 256;
  };
  // a frame of digital silence has every mel energy at the zero-handling value 1e-10
  const silent = quantise(1e-10);
  for (let f = 0; f < frames; f++) {
    const o = f * numFilters;
    if (fft.compute(pre, f * frameStride, frameLength, power, 0) === 0) {
      out.fill(silent, o, o + numFilters);
      continue;
    }
    applyFilterbank(fb, power, 0, mel, 0);
    for (let i = 0; i < numFilters; i++) out[o + i] = quantise(mel[i] as number);
  }
}

/**
 * x / 2^15 rounded to float32, then pre-emphasis 0.98 with wrap-around in float32 (numpy
 * float32 arithmetic, as the reference), in one pass.
 */
function scaledPreemphasis(x: ArrayLike<number>, n: number, out: Float64Array): void {
  const f = Math.fround;
  const c = f(0.98);
  let prev = f((x[n - 1] as number) / 32768);
  for (let i = 0; i < n; i++) {
    const s = f((x[i] as number) / 32768);
    out[i] = f(s - f(c * prev));
    prev = s;
  }
}
