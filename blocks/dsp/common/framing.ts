/**
 * Framing of audio windows, as the reference (speechpy fork, implementation version ≥ 2)
 * does it: no zero padding, trailing samples that do not fill a frame are dropped.
 */

/** Seconds → samples: ceil(fs·t), unless fs·t is within 0.001 above an integer (then floor). */
export function secondsToSamples(fs: number, seconds: number): number {
  const v = fs * seconds;
  const fl = Math.floor(v);
  if (v > fl && v - fl < 0.001) return fl;
  return Math.ceil(v);
}

export interface Framing {
  /** Samples per frame. */
  readonly length: number;
  /** Samples between frame starts. */
  readonly stride: number;
  /** Number of whole frames in the signal (may be ≤ 0 when the frame is longer than the signal). */
  readonly count: number;
}

/** floor((N − (L − S)) / S) frames of L samples every S samples. */
export function framing(signalLength: number, fs: number, frameLength: number, frameStride: number): Framing {
  const length = secondsToSamples(fs, frameLength);
  const stride = secondsToSamples(fs, frameStride);
  const count = stride > 0 ? Math.floor((signalLength - (length - stride)) / stride) : 0;
  return { length, stride, count };
}
