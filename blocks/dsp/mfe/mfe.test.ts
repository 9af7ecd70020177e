import { describe, expect, test } from 'vitest';
import { caseInput, extraCases } from '../testing/extra-reference.js';
import { asBlock, camelParams, defaultsOf, expectDocumentedParams, expectParamError, noise } from '../testing/helpers.js';
import mfeBlock from './index.js';

const mfe = asBlock(mfeBlock);
const defaults = defaultsOf(mfe);
const info = (n: number, fs = 8000) => ({ shape: [n, 1], frequency: fs, axes: ['audio'] });

describe('mfe', () => {
  test('params: every key documented, defaults = the reference defaults', () => {
    expectDocumentedParams(mfe);
    expect(defaults).toEqual({ frameLength: 0.02, frameStride: 0.01, numFilters: 40, fftLength: 256, lowFrequency: 0, highFrequency: 0, noiseFloorDb: -52 });
  });

  test.each([
    [8000, {}],
    [5958, { numFilters: 32 }],
    [16000, { frameLength: 0.032, frameStride: 0.016, fftLength: 512, numFilters: 64 }],
    [400, { frameLength: 0.025, frameStride: 0.025 }],
  ])('shape() matches process() for %i samples %o', (n, over) => {
    const p: Record<string, unknown> = { ...defaults, ...over };
    const shape = mfe.shape(p, info(n));
    const out = mfe.process(p, noise(n, 7, 8000), info(n));
    expect(out.length).toBe(shape[0]! * shape[1]!);
    expect(shape[1]).toBe(p['numFilters']);
  });

  test.each(extraCases('mfe').map((c) => [c.name, c] as const))('matches the reference exactly: %s', (_name, c) => {
    const { window, info: i } = caseInput(c);
    const out = mfe.process(camelParams('mfe', c.params), window, i);
    expect(out.length).toBe(c.num_features);
    for (const [k, v] of Object.entries(c.features)) expect(out[Number(k)]).toBe(v);
  });

  test('values are multiples of 1/256 in [0, 255/256]', () => {
    const out = mfe.process(defaults, noise(8000, 3, 20000), info(8000));
    for (const v of out) {
      expect(v * 256).toBe(Math.round(v * 256));
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(255 / 256);
    }
  });

  test('full-scale input saturates at 255/256 (the reference would wrap 256 to 0; we clamp like the C++ SDK)', () => {
    const w = new Float32Array(8000);
    for (let i = 0; i < w.length; i++) w[i] = Math.sin((2 * Math.PI * 1000 * i) / 8000) >= 0 ? 32767 : -32768;
    const out = mfe.process(defaults, w, info(8000));
    const max = Math.max(...out);
    expect(max).toBe(255 / 256);
    // the loud band is saturated in every frame, never wrapped to 0
    const frames = out.length / 40;
    for (let f = 0; f < frames; f++) expect(Math.max(...out.subarray(f * 40, f * 40 + 40))).toBe(255 / 256);
  });

  test('silence gives zeros', () => {
    expect(Array.from(new Set(mfe.process(defaults, new Float32Array(8000), info(8000))))).toEqual([0]);
  });

  test('bad params throw E_DSP_PARAMS with a clear message', () => {
    expectParamError(() => mfe.validate?.({ ...defaults, fftLength: 300 }, info(8000)), /fftLength must be a power of two/);
    expectParamError(() => mfe.validate?.({ ...defaults, frameLength: 2 }, info(8000)), /longer than the window/);
    expectParamError(() => mfe.validate?.({ ...defaults, numFilters: 1 }, info(8000)), /numFilters/);
    expectParamError(() => mfe.validate?.({ ...defaults, highFrequency: 4001 }, info(8000)), /above Nyquist/);
    expectParamError(() => mfe.validate?.({ ...defaults, noiseFloorDb: 10 }, info(8000)), /noiseFloorDb/);
    expectParamError(() => mfe.validate?.(defaults, { shape: [8000, 2], frequency: 8000 }), /one axis/);
  });
});
