import { Type, type Static } from '@sinclair/typebox';
import { defineBlock } from '../../../core/plugin/define.js';
import { cachedPlan } from '../common/plan-cache.js';
import { WAVELET_NAMES } from '../common/wavelet.js';
import { spectralC } from './c.js';
import { planSpectral, runSpectral, SPECTRAL_VERSION, spectralInto, type SpectralPlan } from './spectral.js';

export const spectralParams = Type.Object(
  {
    analysisType: Type.Union([Type.Literal('fft'), Type.Literal('wavelet')], {
      description: "'fft': RMS, skewness, kurtosis and the log power spectrum per axis; 'wavelet': statistics of a wavelet decomposition.",
      default: 'fft',
    }),
    fftLength: Type.Integer({ description: 'FFT points (a power of two); gives fftLength/2 spectral power bins per axis (DC skipped).', default: 16, minimum: 2 }),
    scaleAxes: Type.Number({ description: 'Multiplies every input value before processing.', default: 1 }),
    inputDecimationRatio: Type.Union([1, 3, 10, 30, 100, 1000].map((r) => Type.Literal(r)), {
      description: 'Decimates the input by this ratio (Chebyshev anti-alias filter) before everything else.',
      default: 1,
    }),
    filterType: Type.Union([Type.Literal('none'), Type.Literal('low'), Type.Literal('high')], {
      description: "Butterworth filter applied before analysis: 'low'-pass, 'high'-pass or 'none'; also masks the FFT bins outside the pass band.",
      default: 'none',
    }),
    filterCutoff: Type.Number({ description: 'Cut-off frequency of the filter, in Hz (below Nyquist).', default: 3, exclusiveMinimum: 0 }),
    filterOrder: Type.Integer({ description: 'Order of the Butterworth filter (even, 2..8); 0 only masks FFT bins.', default: 6, minimum: 0, maximum: 8 }),
    doLog: Type.Boolean({ description: 'Take log10 of the spectral power bins.', default: true }),
    doFftOverlap: Type.Boolean({ description: 'Overlap successive FFT segments by half (Welch max-hold).', default: true }),
    waveletLevel: Type.Integer({ description: 'Wavelet decomposition level (needs 32·2^level samples per axis).', default: 1, minimum: 0, maximum: 10 }),
    wavelet: Type.Union(WAVELET_NAMES.map((w) => Type.Literal(w)), { description: 'Wavelet of the decomposition.', default: 'db4' }),
    extraLowFrequency: Type.Boolean({
      description: 'Also analyse the signal decimated by 10 (better low-frequency resolution); features appended after all axes.',
      default: false,
    }),
  },
  { additionalProperties: false },
);

export type SpectralBlockParams = Static<typeof spectralParams>;

const plan = cachedPlan<SpectralBlockParams, SpectralPlan>(planSpectral);

/** Feature names of the block's output, in order (for reports and feature importance). */
export function spectralLabels(params: SpectralBlockParams, shape: readonly number[], frequency: number): readonly string[] {
  return plan(params, shape, frequency).labels;
}

export default defineBlock({
  kind: 'dsp',
  type: 'spectral-analysis',
  version: SPECTRAL_VERSION,
  title: 'Spectral analysis',
  description:
    'Frequency and power characteristics of motion-like signals per axis: filter, then FFT power bins with RMS / skewness / kurtosis, or wavelet statistics (Edge Impulse spectral analysis, implementation version 4).',
  params: spectralParams,
  accepts: ['signal'],
  module: import.meta.url,
  shape(params, input) {
    return [plan(params, input.shape, input.frequency).total];
  },
  validate(params, input) {
    plan(params, input.shape, input.frequency);
  },
  process(params, window, input) {
    return runSpectral(plan(params, input.shape, input.frequency), window);
  },
  processInto(params, window, input, out) {
    spectralInto(plan(params, input.shape, input.frequency), window, out);
  },
  c(params, input, { fn }) {
    return spectralC(plan(params, input.shape, input.frequency), params, input.frequency ?? 0, fn);
  },
  cost(params, input) {
    const p = plan(params, input.shape, input.frequency);
    const n = params.fftLength;
    const sections = p.sos?.length ?? 0;
    const perAxis =
      p.samples * (2 + 5 * sections) +
      (params.analysisType === 'fft'
        ? Math.ceil(p.length / (params.doFftOverlap ? n / 2 : n)) * (2 * n * Math.log2(n) + n) + 8 * p.length
        : (params.waveletLevel + 1) * (p.length * ((p.wavelet?.decLo.length ?? 8) + 20)));
    return {
      macs: p.axes * perAxis,
      flops: p.axes * (p.featuresPerAxis + 4),
      ramBytes: 4 * (p.samples * p.axes + 4 * p.length + 2 * n),
      flashBytes: 4 * (6 * sections + (p.wavelet ? 2 * p.wavelet.decLo.length : 0)),
    };
  },
});
