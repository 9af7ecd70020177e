import { ImpulseError } from '../../../core/errors/impulse-error.js';

/** Error code of every bad-parameter problem a DSP block reports. */
export const E_DSP_PARAMS = 'E_DSP_PARAMS';

/** A user error about a DSP block's params (or params that do not fit the input), with a hint. */
export function dspParamError(block: string, message: string, hint: string): ImpulseError {
  return new ImpulseError({ code: E_DSP_PARAMS, message: `${block}: ${message}`, hint });
}

/** Throws unless `v` is a finite number in [min, max]. */
export function requireRange(block: string, name: string, v: number, min: number, max: number, hint?: string): void {
  if (!Number.isFinite(v) || v < min || v > max) {
    throw dspParamError(block, `${name} must be between ${min} and ${max}, got ${v}`, hint ?? `set ${name} to a value in [${min}, ${max}]`);
  }
}

/** Throws unless `v` is an integer in [min, max]. */
export function requireInt(block: string, name: string, v: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(v) || v < min || v > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `between ${min} and ${max}`;
    throw dspParamError(block, `${name} must be an integer ${range}, got ${v}`, `set ${name} to an integer ${range}`);
  }
}

export function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && (n & (n - 1)) === 0;
}

/** FFT lengths must be powers of two (our real FFT, twinned in C, and the reference both require it), at least 2. */
export function requireFftLength(block: string, name: string, n: number): void {
  if (!isPowerOfTwo(n) || n < 2 || n > 1 << 16) {
    let lower = 2;
    while (lower * 2 <= n) lower *= 2;
    throw dspParamError(
      block,
      `${name} must be a power of two between 2 and 65536, got ${n}`,
      Number.isFinite(n) && n > 2 ? `use ${lower} or ${lower * 2}` : 'use e.g. 16, 128 or 256',
    );
  }
}

/** Sampling frequency of a time-series input, or an error naming the block. */
export function requireFrequency(block: string, frequency: number | undefined): number {
  if (frequency === undefined || !Number.isFinite(frequency) || frequency <= 0) {
    throw dspParamError(block, 'the input has no sampling frequency', 'use a time-series input with `frequency` set');
  }
  return frequency;
}

/** [frames, axes] of a time-series input. */
export function timeSeriesShape(block: string, shape: readonly number[]): { frames: number; axes: number } {
  const frames = shape[0];
  const axes = shape.length >= 2 ? shape[1] : 1;
  if (frames === undefined || axes === undefined || shape.length > 2 || frames < 1 || axes < 1) {
    throw dspParamError(block, `expects a time-series window [frames, axes], got [${shape.join(', ')}]`, 'connect the block to a time-series input');
  }
  return { frames, axes };
}
