/** Small helpers shared by the DSP block tests. */
import { expect } from 'vitest';
import { ImpulseError } from '../../../core/errors/impulse-error.js';
import type { DspBlock } from '../../../core/plugin/types.js';

/** Runs `fn`, expects an ImpulseError E_DSP_PARAMS whose message matches `message`; returns it. */
export function expectParamError(fn: () => unknown, message: RegExp): ImpulseError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, 'expected an ImpulseError').toBeInstanceOf(ImpulseError);
  const err = caught as ImpulseError;
  expect(err.code).toBe('E_DSP_PARAMS');
  expect(err.message).toMatch(message);
  expect(err.hint ?? '').not.toBe('');
  return err;
}

/** The defaults of a block's params schema (every key has one). */
export function defaultsOf(block: { params: unknown }): Record<string, unknown> {
  const props = (block.params as { properties: Record<string, { default?: unknown; description?: string }> }).properties;
  return Object.fromEntries(Object.entries(props).map(([k, v]) => [k, v.default]));
}

/** Every key of the schema has a description and a default. */
export function expectDocumentedParams(block: { params: unknown }): void {
  const props = (block.params as { properties: Record<string, { default?: unknown; description?: string }> }).properties;
  for (const [k, v] of Object.entries(props)) {
    expect(v.description, `${k}.description`).toBeTruthy();
    expect(v.default, `${k}.default`).not.toBeUndefined();
  }
}

export const asBlock = (b: unknown): DspBlock => b as DspBlock;

/** Deterministic pseudo-random values in [-1, 1) (xorshift). */
export function noise(n: number, seed = 1, scale = 1): Float32Array {
  let s = seed >>> 0 || 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = ((s / 0x100000000) * 2 - 1) * scale;
  }
  return out;
}

/** Reference-style mapping of the extra reference cases' snake_case params. */
export function camelParams(block: string, p: Record<string, unknown>): Record<string, unknown> {
  const n = (k: string): number => Number(p[k]);
  switch (block) {
    case 'mfcc':
      return {
        numCepstral: n('num_cepstral'), frameLength: n('frame_length'), frameStride: n('frame_stride'), numFilters: n('num_filters'),
        fftLength: n('fft_length'), winSize: n('win_size'), lowFrequency: n('low_frequency'), highFrequency: n('high_frequency'),
        preCof: n('pre_cof'), preShift: n('pre_shift'),
      };
    case 'mfe':
      return {
        frameLength: n('frame_length'), frameStride: n('frame_stride'), numFilters: n('num_filters'), fftLength: n('fft_length'),
        lowFrequency: n('low_frequency'), highFrequency: n('high_frequency'), noiseFloorDb: n('noise_floor_db'),
      };
    case 'spectrogram':
      return { frameLength: n('frame_length'), frameStride: n('frame_stride'), fftLength: n('fft_length'), noiseFloorDb: n('noise_floor_db') };
    default:
      return {
        analysisType: String(p['analysis_type']).toLowerCase(), fftLength: n('fft_length'), scaleAxes: n('scale_axes'),
        inputDecimationRatio: n('input_decimation_ratio'), filterType: p['filter_type'], filterCutoff: n('filter_cutoff'),
        filterOrder: n('filter_order'), doLog: p['do_log'], doFftOverlap: p['do_fft_overlap'], waveletLevel: n('wavelet_level'),
        wavelet: p['wavelet'], extraLowFrequency: p['extra_low_freq'],
      };
  }
}
