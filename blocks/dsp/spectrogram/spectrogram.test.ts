import { describe, expect, test } from 'vitest';
import { caseInput, extraCases } from '../testing/extra-reference.js';
import { asBlock, camelParams, defaultsOf, expectDocumentedParams, expectParamError, noise } from '../testing/helpers.js';
import spectrogramBlock from './index.js';

const spectrogram = asBlock(spectrogramBlock);
const defaults = defaultsOf(spectrogram);
const info = (n: number, fs = 8000) => ({ shape: [n, 1], frequency: fs, axes: ['audio'] });

describe('spectrogram', () => {
  test('params: every key documented, defaults = the reference defaults', () => {
    expectDocumentedParams(spectrogram);
    expect(defaults).toEqual({ frameLength: 0.02, frameStride: 0.01, fftLength: 128, noiseFloorDb: -52 });
  });

  test.each([
    [8000, {}],
    [5958, { fftLength: 256 }],
    [16000, { frameLength: 0.016, frameStride: 0.008, fftLength: 64 }],
    [300, { frameLength: 0.01, frameStride: 0.005, fftLength: 32 }],
  ])('shape() matches process() for %i samples %o', (n, over) => {
    const p: Record<string, unknown> = { ...defaults, ...over };
    const shape = spectrogram.shape(p, info(n));
    const out = spectrogram.process(p, noise(n, 11, 5000), info(n));
    expect(out.length).toBe(shape[0]! * shape[1]!);
    expect(shape[1]).toBe((p['fftLength'] as number) / 2 + 1);
  });

  test.each(extraCases('spectrogram').map((c) => [c.name, c] as const))('matches the reference: %s', (_name, c) => {
    const { window, info: i } = caseInput(c);
    const out = spectrogram.process(camelParams('spectrogram', c.params), window, i);
    expect(out.length).toBe(c.num_features);
    for (const [k, v] of Object.entries(c.features)) expect(Math.abs((out[Number(k)] as number) - v)).toBeLessThanOrEqual(1e-5);
  });

  test('v4: no upper clip (loud input exceeds 1), never below 0', () => {
    const w = noise(8000, 5, 30000);
    w.set(noise(4000, 6, 0.01), 4000); // loud first half, near-silent second half
    const out = spectrogram.process(defaults, w, info(8000));
    expect(Math.max(...out)).toBeGreaterThan(1);
    expect(Math.min(...out)).toBe(0);
    expect(Array.from(new Set(spectrogram.process(defaults, new Float32Array(8000), info(8000))))).toEqual([0]);
  });

  test('zero-padded window (silent tail, a silent gap, frames straddling the end) = a naive DFT spectrogram', () => {
    const w = new Float32Array(8000);
    w.set(noise(2000, 21, 8000));
    w.set(noise(3037, 22, 300), 2500); // a gap of digital silence, then signal ending mid-frame
    const out = spectrogram.process(defaults, w, info(8000));
    const n = 128;
    const bins = n / 2 + 1;
    const frames = out.length / bins;
    for (let f = 0; f < frames; f++) {
      for (let k = 0; k < bins; k++) {
        let re = 0;
        let im = 0;
        for (let j = 0; j < n; j++) {
          re += (w[f * 80 + j] as number) * Math.cos((2 * Math.PI * j * k) / n);
          im -= (w[f * 80 + j] as number) * Math.sin((2 * Math.PI * j * k) / n);
        }
        const db = 10 * Math.log10(Math.max((re * re + im * im) / n, 1e-30));
        const want = Math.max(0, (db + 52) / (52 + 12));
        expect(Math.abs((out[f * bins + k] as number) - want), `frame ${f} bin ${k}`).toBeLessThanOrEqual(1e-5);
      }
    }
  });

  test('bad params throw E_DSP_PARAMS with a clear message', () => {
    expectParamError(() => spectrogram.validate?.({ ...defaults, fftLength: 100 }, info(8000)), /fftLength must be a power of two/);
    expectParamError(() => spectrogram.validate?.({ ...defaults, frameLength: 0.0003 }, info(8000)), /at least 4 samples/);
    expectParamError(() => spectrogram.validate?.(defaults, info(120)), /longer than the window/);
    expectParamError(() => spectrogram.validate?.(defaults, { shape: [8000, 3], frequency: 8000 }), /one axis/);
  });
});
