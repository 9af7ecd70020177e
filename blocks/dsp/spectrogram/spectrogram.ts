import { audioFraming } from '../common/audio.js';
import { dspParamError, requireRange } from '../common/errors.js';
import { powerSpectrumPlan, type PowerSpectrum } from '../common/fft.js';
import { signalEnd } from '../common/framing.js';
import { LogTable } from '../common/log-table.js';

export interface SpectrogramParams {
  frameLength: number;
  frameStride: number;
  fftLength: number;
  noiseFloorDb: number;
}

const BLOCK = 'spectrogram';

export interface SpectrogramPlan {
  readonly frames: number;
  readonly frameLength: number;
  readonly frameStride: number;
  readonly bins: number;
  readonly noiseFloorDb: number;
  readonly fft: PowerSpectrum;
  /** One frame's power spectrum, with fast logs of it. */
  readonly power: LogTable;
}

export function planSpectrogram(p: SpectrogramParams, shape: readonly number[], frequency: number | undefined): SpectrogramPlan {
  const { fs, frames } = audioFraming(BLOCK, shape, frequency, p.frameLength, p.frameStride, p.fftLength);
  if (p.frameLength < 4 / fs || p.frameStride < 4 / fs) {
    throw dspParamError(BLOCK, `frameLength and frameStride must be at least 4 samples (${4 / fs} s at ${fs} Hz)`, 'raise frameLength / frameStride');
  }
  requireRange(BLOCK, 'noiseFloorDb', p.noiseFloorDb, -200, 0, 'noiseFloorDb is in dB, e.g. -52');
  const fft = powerSpectrumPlan(p.fftLength);
  return {
    frames: frames.count,
    frameLength: frames.length,
    frameStride: frames.stride,
    bins: fft.bins,
    noiseFloorDb: p.noiseFloorDb,
    fft,
    power: new LogTable(fft.bins),
  };
}

/**
 * Spectrogram of one window (reference v4): frames without window function, power
 * spectrum |rfft(frame, n)|²/n of the raw values (no /2^15 rescale in v4), 10·log10
 * (floored at 1e-30), (dB − floor) / (−floor + 12), clipped below at 0 only (values above 1
 * occur for loud input). Output [frames × (fftLength/2 + 1)].
 */
export function runSpectrogram(plan: SpectrogramPlan, window: ArrayLike<number>): Float32Array {
  const out = new Float32Array(plan.frames * plan.bins);
  spectrogramInto(plan, window, out);
  return out;
}

/** runSpectrogram into `out` (frames × bins values; every one is written). */
export function spectrogramInto(plan: SpectrogramPlan, window: ArrayLike<number>, out: Float32Array): void {
  const { frames, frameLength, frameStride, bins, fft, power } = plan;
  const nf = plan.noiseFloorDb;
  const range = -nf + 12;
  // below this power the result is clipped to 0 anyway: skip the log (the margin keeps it exact)
  const floor = 10 ** (nf / 10) * 0.999;
  const gain = 10 / Math.LN10 / range;
  const offset = -nf / range;
  const end = signalEnd(window, window.length);
  for (let f = 0; f < frames; f++) {
    const o = f * bins;
    if (f * frameStride >= end) {
      out.fill(0, o, frames * bins);
      break;
    }
    if (fft.compute(window, f * frameStride, frameLength, power.values, 0) === 0) {
      out.fill(0, o, o + bins);
      continue;
    }
    for (let k = 0; k < bins; k++) {
      const e = power.values[k] as number;
      if (e < floor) {
        out[o + k] = 0;
        continue;
      }
      // (10·log10(e) − floor) / range
      const v = power.ln(k) * gain + offset;
      out[o + k] = v < 0 ? 0 : v;
    }
  }
}
