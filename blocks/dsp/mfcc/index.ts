import { Type, type Static } from '@sinclair/typebox';
import { defineBlock } from '../../../core/plugin/define.js';
import { cachedPlan } from '../common/plan-cache.js';
import { mfccC } from './c.js';
import { MFCC_VERSION, mfccInto, planMfcc, runMfcc, type MfccPlan } from './mfcc.js';

export const mfccParams = Type.Object(
  {
    numCepstral: Type.Integer({ description: 'Number of cepstral coefficients kept per frame.', default: 13, minimum: 1 }),
    frameLength: Type.Number({ description: 'Length of each frame, in seconds.', default: 0.02, exclusiveMinimum: 0 }),
    frameStride: Type.Number({ description: 'Step between the starts of successive frames, in seconds.', default: 0.02, exclusiveMinimum: 0 }),
    numFilters: Type.Integer({ description: 'Number of triangular filters in the mel filterbank.', default: 32, minimum: 2 }),
    fftLength: Type.Integer({ description: 'FFT points per frame (a power of two); frames are cropped or zero-padded to it.', default: 256, minimum: 2 }),
    winSize: Type.Integer({
      description: 'Frames in the sliding window of cepstral mean and variance normalisation (odd); 0 disables normalisation.',
      default: 101,
      minimum: 0,
    }),
    lowFrequency: Type.Number({ description: 'Lowest band edge of the mel filters, in Hz.', default: 0, minimum: 0 }),
    highFrequency: Type.Number({ description: 'Highest band edge of the mel filters, in Hz; 0 means half the sampling rate.', default: 0, minimum: 0 }),
    preCof: Type.Number({ description: 'Pre-emphasis coefficient c in y[i] = x[i] − c·x[i − shift]; 0 disables pre-emphasis.', default: 0.98 }),
    preShift: Type.Integer({ description: 'Pre-emphasis shift in samples (wraps around the window, as the reference does).', default: 1, minimum: 1 }),
  },
  { additionalProperties: false },
);

export type MfccBlockParams = Static<typeof mfccParams>;

const plan = cachedPlan<MfccBlockParams, MfccPlan>(planMfcc);

export default defineBlock({
  kind: 'dsp',
  type: 'mfcc',
  version: MFCC_VERSION,
  title: 'MFCC',
  description:
    'Mel-frequency cepstral coefficients of audio, per frame, with sliding-window mean and variance normalisation (Edge Impulse MFCC, implementation version 4). Input: one axis of raw int16-scale samples.',
  params: mfccParams,
  accepts: ['signal'],
  module: import.meta.url,
  shape(params, input) {
    const p = plan(params, input.shape, input.frequency);
    return [p.frames, p.numCepstral];
  },
  validate(params, input) {
    plan(params, input.shape, input.frequency);
  },
  process(params, window, input) {
    return runMfcc(plan(params, input.shape, input.frequency), window);
  },
  processInto(params, window, input, out) {
    mfccInto(plan(params, input.shape, input.frequency), window, out);
  },
  c(params, input, { fn }) {
    return mfccC(plan(params, input.shape, input.frequency), params, input.frequency ?? 0, fn);
  },
  cost(params, input) {
    const p = plan(params, input.shape, input.frequency);
    const n = params.fftLength;
    const fftMacs = 2 * n * Math.log2(n);
    let fbTaps = 0;
    for (const w of p.fb.weights) fbTaps += w.length;
    const perFrame = p.frameLength + fftMacs + 2 * p.fft.bins + fbTaps + params.numFilters * params.numCepstral;
    return {
      macs: p.samples + p.frames * perFrame + (params.winSize > 0 ? 6 * p.frames * params.numCepstral : 0),
      flops: p.frames * (params.numFilters + 1) + (params.winSize > 0 ? 2 * p.frames * params.numCepstral : 0),
      ramBytes: 4 * (p.samples + 2 * n + p.fft.bins + params.numFilters + 2 * p.frames * params.numCepstral),
      flashBytes: 4 * (fbTaps + params.numFilters * params.numCepstral),
    };
  },
});
