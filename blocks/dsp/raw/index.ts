import { Type, type Static } from '@sinclair/typebox';
import { defineBlock } from '../../../core/plugin/define.js';
import { requireRange, timeSeriesShape } from '../common/errors.js';
import { RAW_VERSION, rawInto, runRaw } from './raw.js';
import { rawC } from './c.js';

export const rawParams = Type.Object(
  {
    scaleAxes: Type.Number({ description: 'Multiplies every value of the window.', default: 1 }),
  },
  { additionalProperties: false },
);

export type RawBlockParams = Static<typeof rawParams>;

function check(params: RawBlockParams, shape: readonly number[]): { frames: number; axes: number } {
  requireRange('raw', 'scaleAxes', params.scaleAxes, -1e12, 1e12);
  return timeSeriesShape('raw', shape);
}

export default defineBlock({
  kind: 'dsp',
  type: 'raw',
  version: RAW_VERSION,
  title: 'Raw data',
  description: 'The window as features, optionally scaled, keeping its [frames, axes] layout (Edge Impulse raw data). For networks that learn their own features.',
  params: rawParams,
  accepts: ['signal'],
  module: import.meta.url,
  shape(params, input) {
    const { frames, axes } = check(params, input.shape);
    return [frames, axes];
  },
  validate(params, input) {
    check(params, input.shape);
  },
  process(params, window) {
    return runRaw(window, params.scaleAxes);
  },
  processInto(params, window, _input, out) {
    rawInto(window, params.scaleAxes, out);
  },
  c(params, input, { fn }) {
    const { frames, axes } = check(params, input.shape);
    return rawC(frames, axes, params, fn);
  },
  cost(params, input) {
    const n = input.shape.reduce((a, b) => a * b, 1);
    return { macs: params.scaleAxes === 1 ? 0 : n, ramBytes: 4 * n, flashBytes: 0 };
  },
});
