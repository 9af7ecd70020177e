import { Type, type Static } from '@sinclair/typebox';
import { defineBlock } from '../../../core/plugin/define.js';
import { cachedPlan } from '../common/plan-cache.js';
import { flattenC } from './c.js';
import { FLATTEN_VERSION, flattenInto, planFlatten, runFlatten, type FlattenPlan } from './flatten.js';

export const flattenParams = Type.Object(
  {
    average: Type.Boolean({ description: 'Mean of each axis over the window.', default: true }),
    minimum: Type.Boolean({ description: 'Minimum of each axis.', default: true }),
    maximum: Type.Boolean({ description: 'Maximum of each axis.', default: true }),
    rms: Type.Boolean({ description: 'Root mean square of each axis.', default: true }),
    stdev: Type.Boolean({ description: 'Population standard deviation of each axis.', default: true }),
    skewness: Type.Boolean({ description: 'Skewness of each axis (0 for a constant axis).', default: true }),
    kurtosis: Type.Boolean({ description: 'Excess (Fisher) kurtosis of each axis (0 for a constant axis).', default: true }),
    scaleAxes: Type.Number({ description: 'Multiplies every input value before the statistics.', default: 1 }),
  },
  { additionalProperties: false },
);

export type FlattenBlockParams = Static<typeof flattenParams>;

const plan = cachedPlan<FlattenBlockParams, FlattenPlan>((p, shape) => planFlatten(p, shape));

export default defineBlock({
  kind: 'dsp',
  type: 'flatten',
  version: FLATTEN_VERSION,
  title: 'Flatten',
  description: 'Summary statistics of each axis over the window (mean, min, max, RMS, stdev, skewness, kurtosis); for slow-moving signals (Edge Impulse flatten).',
  params: flattenParams,
  accepts: ['signal'],
  module: import.meta.url,
  shape(params, input) {
    const p = plan(params, input.shape);
    return [p.axes * p.stats.length];
  },
  validate(params, input) {
    plan(params, input.shape);
  },
  process(params, window, input) {
    return runFlatten(plan(params, input.shape), window);
  },
  processInto(params, window, input, out) {
    flattenInto(plan(params, input.shape), window, out);
  },
  c(params, input, { fn }) {
    return flattenC(plan(params, input.shape), params, fn);
  },
  cost(params, input) {
    const p = plan(params, input.shape);
    return { macs: p.axes * p.frames * 8, flops: p.axes * 3, ramBytes: 8 * p.frames, flashBytes: 0 };
  },
});
