import { Type, type Static } from '@sinclair/typebox';
import { defineBlock } from '../../../core/plugin/define.js';
import { cachedPlan } from '../common/plan-cache.js';
import { spectrogramC } from './c.js';
import { planSpectrogram, runSpectrogram, SPECTROGRAM_VERSION, spectrogramInto, type SpectrogramPlan } from './spectrogram.js';

export const spectrogramParams = Type.Object(
  {
    frameLength: Type.Number({ description: 'Length of each frame, in seconds (at least 4 samples).', default: 0.02, exclusiveMinimum: 0 }),
    frameStride: Type.Number({ description: 'Step between the starts of successive frames, in seconds (at least 4 samples).', default: 0.01, exclusiveMinimum: 0 }),
    fftLength: Type.Integer({
      description: 'FFT points per frame (a power of two); frames are cropped or zero-padded to it. Gives fftLength/2 + 1 frequency bins.',
      default: 128,
      minimum: 2,
    }),
    noiseFloorDb: Type.Number({ description: 'Bins below this level (dB) become 0.', default: -52, maximum: 0 }),
  },
  { additionalProperties: false },
);

export type SpectrogramBlockParams = Static<typeof spectrogramParams>;

const plan = cachedPlan<SpectrogramBlockParams, SpectrogramPlan>(planSpectrogram);

export default defineBlock({
  kind: 'dsp',
  type: 'spectrogram',
  version: SPECTROGRAM_VERSION,
  title: 'Spectrogram',
  description:
    'Log power spectrum per frame above a noise floor (Edge Impulse spectrogram, implementation version 4). Input: one axis of raw int16-scale samples (or any single-axis signal).',
  params: spectrogramParams,
  accepts: ['signal'],
  module: import.meta.url,
  shape(params, input) {
    const p = plan(params, input.shape, input.frequency);
    return [p.frames, p.bins];
  },
  validate(params, input) {
    plan(params, input.shape, input.frequency);
  },
  process(params, window, input) {
    return runSpectrogram(plan(params, input.shape, input.frequency), window);
  },
  c(params, input, { fn }) {
    return spectrogramC(plan(params, input.shape, input.frequency), params, input.frequency ?? 0, input.shape[0] ?? 0, fn);
  },
  processInto(params, window, input, out) {
    spectrogramInto(plan(params, input.shape, input.frequency), window, out);
  },
  cost(params, input) {
    const p = plan(params, input.shape, input.frequency);
    const n = params.fftLength;
    return {
      macs: p.frames * (p.frameLength + 2 * n * Math.log2(n) + 4 * p.bins),
      flops: p.frames * p.bins,
      ramBytes: 4 * (2 * n + p.bins + p.frames * p.bins),
      flashBytes: 0,
    };
  },
});
