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

/**
 * Pre-emphasis y[i] = x[i] − c·x[i − shift] where indices wrap around (numpy.roll):
 * the first `shift` samples use the last ones. Writes into `out` (float64).
 */
export function preemphasis(x: ArrayLike<number>, n: number, cof: number, shift: number, out: Float64Array): void {
  const head = Math.min(shift, n);
  for (let i = 0; i < head; i++) out[i] = (x[i] as number) - cof * (x[wrap(i - shift, n)] as number);
  for (let i = head; i < n; i++) out[i] = (x[i] as number) - cof * (x[i - shift] as number);
}

function wrap(j: number, n: number): number {
  return ((j % n) + n) % n;
}

/** The same in float32 arithmetic (numpy float32 array times a Python float stays float32). */
export function preemphasisF32(x: ArrayLike<number>, n: number, cof: number, shift: number, out: Float64Array): void {
  const c = Math.fround(cof);
  const f = Math.fround;
  const head = Math.min(shift, n);
  for (let i = 0; i < head; i++) out[i] = f((x[i] as number) - f(c * (x[wrap(i - shift, n)] as number)));
  for (let i = head; i < n; i++) out[i] = f((x[i] as number) - f(c * (x[i - shift] as number)));
}

/**
 * One past the last non-zero sample of x[0, n) (0 for all-zero input). Frames starting at or
 * after it are digital silence: zero-padded windows (short clips) end in long runs of them,
 * and scanning the tail once is cheaper than copying and checking every frame in it.
 */
export function signalEnd(x: ArrayLike<number>, n: number): number {
  let i = n;
  while (i > 0 && x[i - 1] === 0) i--;
  return i;
}
