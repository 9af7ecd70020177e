import { dspParamError, requireFftLength, requireFrequency, requireRange, timeSeriesShape } from './errors.js';
import { framing, type Framing } from './framing.js';

/** Checks shared by the audio blocks (one axis, frames that fit, FFT length); returns the framing. */
export function audioFraming(
  block: string,
  shape: readonly number[],
  frequency: number | undefined,
  frameLength: number,
  frameStride: number,
  fftLength: number,
): { fs: number; samples: number; frames: Framing } {
  const fs = requireFrequency(block, frequency);
  const { frames: samples, axes } = timeSeriesShape(block, shape);
  if (axes !== 1) {
    throw dspParamError(block, `works on one axis, the input has ${axes}`, `add one ${block} block per axis, or select a single axis in the input`);
  }
  requireFftLength(block, 'fftLength', fftLength);
  requireRange(block, 'frameLength', frameLength, 1e-6, 3600, 'frameLength is in seconds, e.g. 0.02');
  requireRange(block, 'frameStride', frameStride, 1e-6, 3600, 'frameStride is in seconds, e.g. 0.01');
  const fr = framing(samples, fs, frameLength, frameStride);
  if (fr.length < 1 || fr.stride < 1) {
    throw dspParamError(block, `frameLength ${frameLength} s / frameStride ${frameStride} s is less than one sample at ${fs} Hz`, 'raise frameLength and frameStride');
  }
  if (fr.count < 1) {
    throw dspParamError(
      block,
      `frame length (${fr.length} samples = ${frameLength} s) is longer than the window (${samples} samples)`,
      'use a shorter frameLength or a longer input window',
    );
  }
  return { fs, samples, frames: fr };
}

/** lowFrequency / highFrequency (0 = fs/2) → the band in Hz, checked against Nyquist. */
export function melBand(block: string, fs: number, lowFrequency: number, highFrequency: number): { low: number; high: number } {
  const nyquist = fs / 2;
  const high = highFrequency === 0 ? nyquist : highFrequency;
  requireRange(block, 'lowFrequency', lowFrequency, 0, nyquist, `lowFrequency must be below Nyquist (${nyquist} Hz)`);
  if (!(high <= nyquist) || high < 0) {
    throw dspParamError(block, `highFrequency ${highFrequency} Hz is above Nyquist (${nyquist} Hz at ${fs} Hz)`, `set highFrequency ≤ ${nyquist}, or 0 for fs/2`);
  }
  if (!(high > lowFrequency)) {
    throw dspParamError(block, `highFrequency (${high} Hz) must be above lowFrequency (${lowFrequency} Hz)`, 'widen the band');
  }
  return { low: lowFrequency, high };
}
