import { Type, type Static } from '@sinclair/typebox';
import { defineBlock } from '../../../core/plugin/define.js';
import { cachedPlan } from '../common/plan-cache.js';
import { mfeC } from './c.js';
import { MFE_VERSION, mfeInto, planMfe, runMfe, type MfePlan } from './mfe.js';

export const mfeParams = Type.Object(
  {
    frameLength: Type.Number({ description: 'Length of each frame, in seconds.', default: 0.02, exclusiveMinimum: 0 }),
    frameStride: Type.Number({ description: 'Step between the starts of successive frames, in seconds.', default: 0.01, exclusiveMinimum: 0 }),
    numFilters: Type.Integer({ description: 'Number of triangular filters in the mel filterbank (features per frame).', default: 40, minimum: 2 }),
    fftLength: Type.Integer({ description: 'FFT points per frame (a power of two); frames are cropped or zero-padded to it.', default: 256, minimum: 2 }),
    lowFrequency: Type.Number({ description: 'Lowest band edge of the mel filters, in Hz.', default: 0, minimum: 0 }),
    highFrequency: Type.Number({ description: 'Highest band edge of the mel filters, in Hz; 0 means half the sampling rate.', default: 0, minimum: 0 }),
    noiseFloorDb: Type.Number({ description: 'Energies below this level (dB re full scale) become 0.', default: -52, maximum: 0 }),
  },
  { additionalProperties: false },
);

export type MfeBlockParams = Static<typeof mfeParams>;

const plan = cachedPlan<MfeBlockParams, MfePlan>(planMfe);

export default defineBlock({
  kind: 'dsp',
  type: 'mfe',
  version: MFE_VERSION,
  title: 'MFE',
  description:
    'Mel filterbank energies of audio per frame, in dB above a noise floor, scaled to 0..1 and quantised to 1/256 (Edge Impulse MFE, implementation version 4). Input: one axis of raw int16-scale samples.',
  params: mfeParams,
  accepts: ['signal'],
  module: import.meta.url,
  shape(params, input) {
    const p = plan(params, input.shape, input.frequency);
    return [p.frames, p.numFilters];
  },
  validate(params, input) {
    plan(params, input.shape, input.frequency);
  },
  process(params, window, input) {
    return runMfe(plan(params, input.shape, input.frequency), window);
  },
  c(params, input, { fn }) {
    return mfeC(plan(params, input.shape, input.frequency), params, input.frequency ?? 0, fn);
  },
  processInto(params, window, input, out) {
    mfeInto(plan(params, input.shape, input.frequency), window, out);
  },
  cost(params, input) {
    const p = plan(params, input.shape, input.frequency);
    const n = params.fftLength;
    let fbTaps = 0;
    for (const w of p.fb.weights) fbTaps += w.length;
    return {
      macs: 2 * p.samples + p.frames * (p.frameLength + 2 * n * Math.log2(n) + 2 * p.fft.bins + fbTaps + 3 * params.numFilters),
      flops: p.frames * params.numFilters,
      ramBytes: 4 * (2 * p.samples + 2 * n + p.fft.bins + p.frames * params.numFilters),
      flashBytes: 4 * fbTaps,
    };
  },
});
