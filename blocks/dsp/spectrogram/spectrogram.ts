import { audioFraming } from '../common/audio.js';
import { dspParamError, requireRange } from '../common/errors.js';
import { ikLogf } from '../common/math32.js';
import { allZero, realFft, type RealFft } from '../common/rfft.js';

export interface SpectrogramParams {
  frameLength: number;
  frameStride: number;
  fftLength: number;
  noiseFloorDb: number;
}

/**
 * Version of the block's output. 2: table-based log; 3: float32 arithmetic identical to the C
 * (ikLogf, the C's FFT).
 */
export const SPECTROGRAM_VERSION = 3;

const BLOCK = 'spectrogram';

/** The scaling of a power p to (10·log10(p) − noiseFloorDb) / (−noiseFloorDb + 12) = ln(p)·gain + offset, float32 (the C config holds the same). */
export interface SpectrogramScaling {
  /** Powers below this give 0 whatever the rounding: no log needed. */
  readonly floor: number;
  readonly gain: number;
  readonly offset: number;
}

export function spectrogramScaling(noiseFloorDb: number): SpectrogramScaling {
  const f = Math.fround;
  const range = -noiseFloorDb + 12;
  return { floor: f(10 ** (noiseFloorDb / 10) * 0.999), gain: f(10 / Math.LN10 / range), offset: f(-noiseFloorDb / range) };
}

export interface SpectrogramPlan {
  readonly frames: number;
  readonly frameLength: number;
  readonly frameStride: number;
  readonly bins: number;
  readonly noiseFloorDb: number;
  readonly scaling: SpectrogramScaling;
  readonly fft: RealFft;
  /** Scratch of one run, as the C's: the frame (n). */
  readonly work: Float32Array;
}

export function planSpectrogram(p: SpectrogramParams, shape: readonly number[], frequency: number | undefined): SpectrogramPlan {
  const { fs, frames } = audioFraming(BLOCK, shape, frequency, p.frameLength, p.frameStride, p.fftLength);
  if (p.frameLength < 4 / fs || p.frameStride < 4 / fs) {
    throw dspParamError(BLOCK, `frameLength and frameStride must be at least 4 samples (${4 / fs} s at ${fs} Hz)`, 'raise frameLength / frameStride');
  }
  requireRange(BLOCK, 'noiseFloorDb', p.noiseFloorDb, -200, 0, 'noiseFloorDb is in dB, e.g. -52');
  const fft = realFft(p.fftLength);
  return {
    frames: frames.count,
    frameLength: frames.length,
    frameStride: frames.stride,
    bins: fft.bins,
    noiseFloorDb: p.noiseFloorDb,
    scaling: spectrogramScaling(p.noiseFloorDb),
    fft,
    work: new Float32Array(p.fftLength),
  };
}

/**
 * Spectrogram of one window (reference v4) — the TS twin of c/spectrogram.c (ik_spectrogram_run),
 * float32: frames without window function, power spectrum |rfft(frame, n)|²/n of the raw values (no
 * /2^15 rescale in v4), (10·log10(p) − floor) / (−floor + 12) as ln(p)·gain + offset, clipped below
 * at 0 only (values above 1 occur for loud input). Output [frames × (fftLength/2 + 1)].
 */
export function runSpectrogram(plan: SpectrogramPlan, window: ArrayLike<number>): Float32Array {
  const out = new Float32Array(plan.frames * plan.bins);
  spectrogramInto(plan, window, out);
  return out;
}

/** runSpectrogram into `out` (frames × bins values; every one is written). */
export function spectrogramInto(plan: SpectrogramPlan, window: ArrayLike<number>, out: Float32Array): void {
  const f = Math.fround;
  const { frames, frameLength, frameStride, bins, fft, work } = plan;
  const { floor, gain, offset } = plan.scaling;
  const n = work.length;
  const len = Math.min(frameLength, n);
  for (let fr = 0; fr < frames; fr++) {
    const o = fr * bins;
    const start = fr * frameStride;
    for (let i = 0; i < len; i++) work[i] = window[start + i] as number;
    work.fill(0, len);
    if (allZero(work, 0, len)) {
      out.fill(0, o, o + bins);
      continue;
    }
    fft.power(work, out, o);
    for (let k = 0; k < bins; k++) {
      const p = out[o + k] as number;
      if (p < floor) {
        out[o + k] = 0;
        continue;
      }
      const v = f(f(ikLogf(p) * gain) + offset);
      out[o + k] = v < 0 ? 0 : v;
    }
  }
}
