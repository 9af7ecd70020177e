/** C implementation of one flatten instance (no tables). */
import type { BlockCCode } from '../../../core/plugin/types.js';
import { checkInstanceName, cFloat, dspDefinition, dspPrototype, instanceBanner, pickSources } from '../common/c-emit.js';
import { C_SOURCES as COMMON_C } from '../common/c-sources.gen.js';
import { C_SOURCES as FLATTEN_C } from './c-sources.gen.js';
import { FLATTEN_VERSION, type FlattenPlan } from './flatten.js';

const SOURCES = ['common/dsp.h', 'common/stats.h', 'common/stats.c', 'flatten/flatten.h', 'flatten/flatten.c'];

const BITS: Record<FlattenPlan['stats'][number], string> = {
  average: 'IK_FLATTEN_AVERAGE',
  minimum: 'IK_FLATTEN_MINIMUM',
  maximum: 'IK_FLATTEN_MAXIMUM',
  rms: 'IK_FLATTEN_RMS',
  stdev: 'IK_FLATTEN_STDEV',
  skewness: 'IK_FLATTEN_SKEWNESS',
  kurtosis: 'IK_FLATTEN_KURTOSIS',
};

/** 2·frames: one scaled axis and the terms of its sums. */
export function flattenScratchFloats(plan: FlattenPlan): number {
  return 2 * plan.frames;
}

export function flattenC(plan: FlattenPlan, params: Readonly<Record<string, unknown>>, fn: string): BlockCCode {
  checkInstanceName('flatten', fn);
  const scratch = flattenScratchFloats(plan);
  const instance = [
    instanceBanner({
      block: 'flatten',
      version: FLATTEN_VERSION,
      fn,
      params,
      lines: [
        `input:   ${plan.frames} frames × ${plan.axes} axes`,
        `output:  ${plan.axes} axes × ${plan.stats.length} statistics (${plan.stats.join(', ')}) = ${plan.axes * plan.stats.length} floats`,
        `scratch: ${scratch} floats = 2·frames`,
        'flash:   16 bytes (configuration)',
      ],
    }),
    '#include "flatten/flatten.h"\n',
    dspPrototype(fn),
    `static const ik_flatten_config ${fn}_config = {
    .frames = ${plan.frames}u,
    .axes = ${plan.axes}u,
    .scale = ${cFloat(plan.scale)},
    .stats = ${plan.stats.map((s) => BITS[s]).join(' | ')},
};
`,
    dspDefinition(fn, `ik_flatten_run(&${fn}_config, input, output, scratch)`),
  ].join('\n');
  return { sources: pickSources([COMMON_C, FLATTEN_C], SOURCES), instance, scratchFloats: scratch };
}
