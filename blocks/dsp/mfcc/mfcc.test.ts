import { describe, expect, test } from 'vitest';
import { caseInput, extraCases } from '../testing/extra-reference.js';
import { asBlock, camelParams, defaultsOf, expectDocumentedParams, expectParamError, noise } from '../testing/helpers.js';
import mfccBlock from './index.js';

const mfcc = asBlock(mfccBlock);
const defaults = defaultsOf(mfcc);
const info = (n: number, fs = 8000) => ({ shape: [n, 1], frequency: fs, axes: ['audio'] });

describe('mfcc', () => {
  test('params: every key documented, defaults = the reference defaults', () => {
    expectDocumentedParams(mfcc);
    expect(defaults).toEqual({
      numCepstral: 13, frameLength: 0.02, frameStride: 0.02, numFilters: 32, fftLength: 256, winSize: 101,
      lowFrequency: 0, highFrequency: 0, preCof: 0.98, preShift: 1,
    });
  });

  test.each([
    [8000, {}],
    [5958, {}],
    [16000, { frameLength: 0.025, frameStride: 0.01, fftLength: 512, numFilters: 40, numCepstral: 20 }],
    [1234, { frameLength: 0.032, frameStride: 0.016, winSize: 0 }],
    [161, {}],
  ])('shape() matches process() for %i samples %o', (n, over) => {
    const p: Record<string, unknown> = { ...defaults, ...over };
    const shape = mfcc.shape(p, info(n));
    const out = mfcc.process(p, noise(n, n, 3000), info(n));
    expect(out.length).toBe(shape[0]! * shape[1]!);
    expect(shape[1]).toBe(p['numCepstral']);
    expect(out.every(Number.isFinite)).toBe(true);
  });

  test.each(extraCases('mfcc').map((c) => [c.name, c] as const))('matches the reference: %s', (_name, c) => {
    const { window, info: i } = caseInput(c);
    const out = mfcc.process(camelParams('mfcc', c.params), window, i);
    expect(out.length).toBe(c.num_features);
    for (const [k, v] of Object.entries(c.features)) expect(Math.abs((out[Number(k)] as number) - v)).toBeLessThanOrEqual(1e-4);
  });

  test('silence and constant windows give finite features (no NaN / -Infinity)', () => {
    for (const w of [new Float32Array(8000), new Float32Array(8000).fill(1000)]) {
      const out = mfcc.process(defaults, w, info(8000));
      expect(out.every(Number.isFinite)).toBe(true);
    }
  });

  test('outputs are fresh arrays (a cached plan never aliases results)', () => {
    const a = mfcc.process(defaults, noise(8000, 1, 1000), info(8000));
    const b = mfcc.process(defaults, noise(8000, 2, 1000), info(8000));
    expect(a).not.toBe(b);
    expect(Array.from(a)).not.toEqual(Array.from(b));
    expect(Array.from(mfcc.process(defaults, noise(8000, 1, 1000), info(8000)))).toEqual(Array.from(a));
  });

  test('bad params throw E_DSP_PARAMS with a clear message', () => {
    expectParamError(() => mfcc.validate?.({ ...defaults, fftLength: 200 }, info(8000)), /fftLength must be a power of two/);
    expectParamError(() => mfcc.validate?.(defaults, info(100)), /frame length .* is longer than the window/);
    expectParamError(() => mfcc.validate?.({ ...defaults, numFilters: 120 }, info(8000)), /covers no FFT bin/);
    expectParamError(() => mfcc.validate?.({ ...defaults, winSize: 100 }, info(8000)), /winSize must be odd/);
    expectParamError(() => mfcc.validate?.({ ...defaults, highFrequency: 5000 }, info(8000)), /above Nyquist/);
    expectParamError(() => mfcc.validate?.({ ...defaults, numCepstral: 40 }, info(8000)), /numCepstral/);
    expectParamError(() => mfcc.validate?.(defaults, { shape: [8000, 3], frequency: 8000 }), /one axis/);
    expectParamError(() => mfcc.validate?.(defaults, { shape: [8000, 1] }), /sampling frequency/);
    // process checks too (it builds the same plan)
    expectParamError(() => mfcc.process({ ...defaults, fftLength: 100 }, new Float32Array(8000), info(8000)), /power of two/);
  });

  test('cost is positive and grows with the window', () => {
    const a = mfcc.cost?.(defaults, info(8000));
    const b = mfcc.cost?.(defaults, info(16000));
    expect(a?.macs).toBeGreaterThan(0);
    expect(b?.macs).toBeGreaterThan(a?.macs ?? 0);
  });
});
