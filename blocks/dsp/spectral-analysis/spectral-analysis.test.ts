import { describe, expect, test } from 'vitest';
import { caseInput, extraCases, readCsvWindow } from '../testing/extra-reference.js';
import { asBlock, camelParams, defaultsOf, expectDocumentedParams, expectParamError, noise } from '../testing/helpers.js';
import spectralBlock, { spectralLabels } from './index.js';

const spectral = asBlock(spectralBlock);
const defaults = defaultsOf(spectral);
const info = (rows: number, axes = 3, fs = 26) => ({ shape: [rows, axes], frequency: fs, axes: ['x', 'y', 'z'].slice(0, axes) });

describe('spectral-analysis', () => {
  test('params: every key documented, defaults = the reference defaults', () => {
    expectDocumentedParams(spectral);
    expect(defaults).toEqual({
      analysisType: 'fft', fftLength: 16, scaleAxes: 1, inputDecimationRatio: 1, filterType: 'none', filterCutoff: 3, filterOrder: 6,
      doLog: true, doFftOverlap: true, waveletLevel: 1, wavelet: 'db4', extraLowFrequency: false,
    });
  });

  test.each([
    [52, 3, {}, 39],
    [52, 3, { filterType: 'low' }, 21],
    [52, 1, { filterType: 'high', filterCutoff: 5, fftLength: 64 }, 5 + 21], // bins 12..32 (reference: 26 per axis)
    [78, 3, { analysisType: 'wavelet' }, 84],
    [130, 2, { analysisType: 'wavelet', wavelet: 'sym8', waveletLevel: 2 }, 2 * 42],
    [260, 3, { extraLowFrequency: true }, 78],
    [156, 3, { inputDecimationRatio: 3, filterType: 'low', filterCutoff: 1, filterOrder: 2 }, 21],
    [40, 3, { doFftOverlap: false, doLog: false, fftLength: 8 }, 27],
  ])('shape() matches process() for %i rows × %i axes %o', (rows, axes, over, expected) => {
    const p: Record<string, unknown> = { ...defaults, ...over };
    const i = info(rows, axes);
    const shape = spectral.shape(p, i);
    expect(shape).toEqual([expected]);
    const out = spectral.process(p, noise(rows * axes, rows, 1000), i);
    expect(out.length).toBe(expected);
    expect(out.every(Number.isFinite)).toBe(true);
    expect(spectralLabels(p as never, i.shape, 26)).toHaveLength(expected);
  });

  /**
   * Cases where float32 — the block's arithmetic, identical to its C — cannot reach 1e-5 relative: the
   * reference decimates in float64 with float64 coefficients. The order-8 Chebyshev decimation
   * filter (cut-off 0.08 of Nyquist for a ratio of 10) has poles within 0.02 of z = 1: float32
   * coefficients shift them (a slightly different filter) and float32 states lose precision, so the
   * features of the decimated signal move by up to 2.3e-4 relative (the spectral kurtosis of the
   * extra low-frequency part: 0.40763 vs 0.40772). The worst measured relative error, rounded up, is
   * the bound (see README.md, "Parity with the reference").
   */
  const FLOAT32_LIMITS: Readonly<Record<string, number>> = { decim3_low1hz: 3.1e-5, decim10_none: 2.1e-5, extra_low_freq: 2.31e-4 };

  test.each(extraCases('spectral_analysis').map((c) => [c.name, c] as const))('matches the reference (1e-5 relative): %s', (name, c) => {
    const { window, info: i } = caseInput(c);
    const out = spectral.process(camelParams('spectral_analysis', c.params), window, i);
    expect(out.length).toBe(c.num_features);
    const tolerance = FLOAT32_LIMITS[name] ?? 1e-5;
    for (const [k, v] of Object.entries(c.features)) {
      const got = out[Number(k)] as number;
      expect(Math.abs(got - v), `feature ${k}: ${got} vs ${v}`).toBeLessThanOrEqual(tolerance * Math.abs(v));
    }
  });

  test('labels follow the reference', () => {
    const labels = spectralLabels(defaults as never, [52, 1], 26);
    expect(labels.slice(0, 6)).toEqual(['RMS', 'Skewness', 'Kurtosis', 'Spectral Skewness', 'Spectral Kurtosis', 'Spectral Power 0.81 - 2.44 Hz']);
  });

  describe('NaN hazard: constant and near-constant windows', () => {
    test('a constant axis gives skewness = kurtosis = 0 (the reference gives NaN)', () => {
      // st_har stationary_05, rows 52..103: the y axis is constant (the reference returns NaN there)
      const w = readCsvWindow('st_har/stationary/stationary_05_26Hz_4g_mg.csv', 52, 52);
      const out = spectral.process(defaults, w, info(52));
      expect(out.every(Number.isFinite)).toBe(true);
      const y = out.subarray(13, 26);
      expect(y[0]).toBe(0); // RMS of a constant after mean removal
      expect(Array.from(y.subarray(1, 5))).toEqual([0, 0, 0, 0]); // skewness, kurtosis, spectral skewness, spectral kurtosis
      expect(Array.from(y.subarray(5))).toEqual(new Array(8).fill(-10)); // log10 of the zero-handled 1e-10
    });

    test('all-constant and all-zero windows are finite for every analysis', () => {
      for (const over of [{}, { filterType: 'low' }, { filterType: 'high', filterCutoff: 5 }, { analysisType: 'wavelet' }, { analysisType: 'wavelet', wavelet: 'haar', waveletLevel: 0 }]) {
        const p: Record<string, unknown> = { ...defaults, ...over };
        for (const w of [new Float32Array(78 * 3), new Float32Array(78 * 3).fill(1039)]) {
          expect(spectral.process(p, w, info(78)).every(Number.isFinite)).toBe(true);
        }
      }
    });

    test('near-constant windows (±1 mg of noise on 1 g) stay finite', () => {
      const w = Float32Array.from(noise(52 * 3, 9, 1), (v) => 1000 + Math.round(v));
      expect(spectral.process(defaults, w, info(52)).every(Number.isFinite)).toBe(true);
      expect(spectral.process({ ...defaults, analysisType: 'wavelet' }, Float32Array.from(noise(78 * 3, 4, 1), (v) => 1000 + Math.round(v)), info(78)).every(Number.isFinite)).toBe(true);
    });
  });

  test('bad params throw E_DSP_PARAMS with a clear message', () => {
    expectParamError(() => spectral.validate?.({ ...defaults, fftLength: 12 }, info(52)), /fftLength must be a power of two/);
    expectParamError(() => spectral.validate?.({ ...defaults, filterType: 'low', filterCutoff: 13 }, info(52)), /at or above Nyquist \(13 Hz/);
    expectParamError(() => spectral.validate?.({ ...defaults, filterType: 'high', filterCutoff: 20 }, info(52)), /above Nyquist/);
    expectParamError(() => spectral.validate?.({ ...defaults, filterType: 'low', filterOrder: 5 }, info(52)), /filterOrder must be even/);
    expectParamError(() => spectral.validate?.({ ...defaults, analysisType: 'wavelet', wavelet: 'db42' }, info(78)), /unknown wavelet 'db42'/);
    expectParamError(() => spectral.validate?.({ ...defaults, analysisType: 'wavelet', waveletLevel: 2 }, info(78)), /needs at least 128 samples/);
    expectParamError(() => spectral.validate?.({ ...defaults, inputDecimationRatio: 7 }, info(52)), /inputDecimationRatio must be one of/);
    expectParamError(() => spectral.validate?.({ ...defaults, inputDecimationRatio: 3, filterType: 'low', filterCutoff: 4 }, info(156)), /after decimation/);
    expectParamError(() => spectral.validate?.({ ...defaults, extraLowFrequency: true }, info(52)), /extraLowFrequency needs at least 80 samples/);
    expectParamError(() => spectral.validate?.({ ...defaults, filterType: 'low', filterCutoff: 0.1, filterOrder: 0 }, info(52)), /masks every FFT bin/);
    expectParamError(() => spectral.validate?.(defaults, { shape: [52, 3] }), /sampling frequency/);
  });
});
