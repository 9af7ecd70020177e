import { audioFraming, melBand } from '../common/audio.js';
import { requireInt, requireRange } from '../common/errors.js';
import { ikLogf } from '../common/math32.js';
import { melEnergies, melFilterbank, sparseMel, type MelFilterbank, type SparseMel } from '../common/mel.js';
import { allZero, realFft, type RealFft } from '../common/rfft.js';

export interface MfeParams {
  frameLength: number;
  frameStride: number;
  numFilters: number;
  fftLength: number;
  lowFrequency: number;
  highFrequency: number;
  noiseFloorDb: number;
}

/** Version of the block's output. 2: float32 arithmetic identical to the C (ikLogf, the C's FFT and mel order). */
export const MFE_VERSION = 2;

const BLOCK = 'mfe';

export interface MfePlan {
  readonly frames: number;
  readonly frameLength: number;
  readonly frameStride: number;
  readonly samples: number;
  readonly numFilters: number;
  readonly noiseFloorDb: number;
  readonly fft: RealFft;
  readonly fb: MelFilterbank;
  readonly mel: SparseMel;
  readonly quantisation: MfeQuantisation;
  /** Scratch of one run, as the C's: the frame (n), its power spectrum (n/2 + 1). */
  readonly work: Float32Array;
  readonly power: Float32Array;
}

export function planMfe(p: MfeParams, shape: readonly number[], frequency: number | undefined): MfePlan {
  const { fs, samples, frames } = audioFraming(BLOCK, shape, frequency, p.frameLength, p.frameStride, p.fftLength);
  requireInt(BLOCK, 'numFilters', p.numFilters, 2, 512);
  requireRange(BLOCK, 'noiseFloorDb', p.noiseFloorDb, -200, 0, 'noiseFloorDb is in dB below full scale, e.g. -52');
  const { low, high } = melBand(BLOCK, fs, p.lowFrequency, p.highFrequency);
  const fb = melFilterbank(BLOCK, p.numFilters, p.fftLength, fs, low, high);
  const fft = realFft(p.fftLength);
  return {
    frames: frames.count,
    frameLength: frames.length,
    frameStride: frames.stride,
    samples,
    numFilters: p.numFilters,
    noiseFloorDb: p.noiseFloorDb,
    fft,
    fb,
    mel: sparseMel(fb),
    quantisation: mfeQuantisation(p.noiseFloorDb),
    work: new Float32Array(p.fftLength),
    power: new Float32Array(fft.bins),
  };
}

/** Pre-emphasis coefficient of MFE v4 (float32, as the reference computes it). */
const PRE_COF = Math.fround(0.98);
/** int16 full scale: samples are divided by it first (a power of two: exact). */
const FULL_SCALE = 1 / 32768;

/**
 * load_frame (mfe.c): work[0 .. n) ← the frame starting at `start` of y[i] = x[i]/2^15 − 0.98·x[i−1]/2^15
 * (float32, the window's first sample using its last: numpy.roll), cropped or zero-padded. Returns
 * false for a frame of digital silence.
 */
function loadFrame(plan: MfePlan, x: ArrayLike<number>, start: number): boolean {
  const f = Math.fround;
  const work = plan.work;
  const n = work.length;
  const len = Math.min(plan.frameLength, n);
  let i = 0;
  if (start === 0 && len > 0) {
    work[0] = f(f(x[0] as number) * FULL_SCALE) - f(PRE_COF * f(f(x[plan.samples - 1] as number) * FULL_SCALE));
    i = 1;
  }
  for (; i < len; i++) work[i] = f(f(x[start + i] as number) * FULL_SCALE) - f(PRE_COF * f(f(x[start + i - 1] as number) * FULL_SCALE));
  work.fill(0, len);
  return !allZero(work, 0, len);
}

/**
 * Mel filterbank energies of one window, quantised like the reference (v4) — the TS twin of c/mfe.c
 * (ik_mfe_run), float32 throughout: samples / 2^15, pre-emphasis 0.98 (wrap-around), power spectra,
 * mel energies, 10·log10 (as ln·gain + offset), (dB − floor) / (−floor + 12) clipped to [0, 1], rounded
 * to multiples of 1/256. A value that rounds to 256/256 is clamped to 255/256 (numpy's uint8 cast in
 * the reference wraps it to 0; the C++ SDK clamps). Output [frames × numFilters].
 */
export function runMfe(plan: MfePlan, window: ArrayLike<number>): Float32Array {
  const out = new Float32Array(plan.frames * plan.numFilters);
  mfeInto(plan, window, out);
  return out;
}

/** runMfe into `out` (frames × numFilters values; every one is written). */
export function mfeInto(plan: MfePlan, window: ArrayLike<number>, out: Float32Array): void {
  const { frames, frameStride, numFilters, fft, mel, work, power } = plan;
  const { quantise, silent } = plan.quantisation;
  for (let fr = 0; fr < frames; fr++) {
    const o = fr * numFilters;
    if (!loadFrame(plan, window, fr * frameStride)) {
      out.fill(silent, o, o + numFilters);
      continue;
    }
    fft.power(work, power);
    melEnergies(mel, power, out, o);
    for (let i = 0; i < numFilters; i++) out[o + i] = quantise(out[o + i] as number);
  }
}

/** The quantisation of a mel energy and its float32 constants (the C config holds the same). */
export interface MfeQuantisation {
  /** Energies below this give 0, above `ceil` 255/256, whatever the rounding: no log needed there. */
  readonly floor: number;
  readonly ceil: number;
  /** ln(e)·gain + offset = 256·(10·log10(e) − noiseFloorDb) / (−noiseFloorDb + 12). */
  readonly gain: number;
  readonly offset: number;
  /** quantise in mfe.c (e a float32 energy). */
  readonly quantise: (e: number) => number;
  /** The value of every bin of a frame of digital silence (mel energies at the zero-handling 1e-10). */
  readonly silent: number;
}

/** numpy.round of v ∈ [0, 256] in float32: halves to the even integer (round_half_even in mfe.c). */
function roundHalfEven(v: number): number {
  let whole = Math.trunc(v);
  const fraction = Math.fround(v - whole);
  if (fraction > 0.5 || (fraction === 0.5 && (whole & 1) !== 0)) whole++;
  return whole;
}

export function mfeQuantisation(noiseFloorDb: number): MfeQuantisation {
  const f = Math.fround;
  const nf = noiseFloorDb;
  const range = -nf + 12;
  const floor = f(10 ** (nf / 10) * 0.999);
  const ceil = f(10 ** ((nf + range) / 10) * 1.001);
  const gain = f((10 / Math.LN10 / range) * 256);
  const offset = f((-nf / range) * 256);
  const quantise = (e: number): number => {
    if (e < floor) return 0;
    if (e > ceil) return 255 / 256;
    let v = f(f(ikLogf(e) * gain) + offset);
    v = v < 0 ? 0 : v > 256 ? 256 : v;
    const q = roundHalfEven(v);
    return (q > 255 ? 255 : q) / 256;
  };
  return { floor, ceil, gain, offset, quantise, silent: quantise(f(1e-10)) };
}
