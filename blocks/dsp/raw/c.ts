/** C implementation of one raw-data instance (no tables: a copy or a scale). */
import type { BlockCCode } from '../../../core/plugin/types.js';
import { checkInstanceName, cFloat, dspDefinition, dspPrototype, instanceBanner, pickSources } from '../common/c-emit.js';
import { C_SOURCES as COMMON_C } from '../common/c-sources.gen.js';
import { C_SOURCES as RAW_C } from './c-sources.gen.js';
import { RAW_VERSION } from './raw.js';

const SOURCES = ['common/dsp.h', 'raw/raw.h', 'raw/raw.c'];

export function rawC(frames: number, axes: number, params: { scaleAxes: number } & Readonly<Record<string, unknown>>, fn: string): BlockCCode {
  checkInstanceName('raw', fn);
  const values = frames * axes;
  const instance = [
    instanceBanner({
      block: 'raw',
      version: RAW_VERSION,
      fn,
      params,
      lines: [`input:   ${frames} frames × ${axes} axes`, `output:  ${frames} × ${axes} = ${values} floats`, 'scratch: 0 floats', 'flash:   8 bytes (configuration)'],
    }),
    '#include "raw/raw.h"\n',
    dspPrototype(fn),
    `static const ik_raw_config ${fn}_config = { .values = ${values}u, .scale = ${cFloat(params.scaleAxes)} };\n`,
    dspDefinition(fn, `ik_raw_run(&${fn}_config, input, output)`, false),
  ].join('\n');
  return { sources: pickSources([COMMON_C, RAW_C], SOURCES), instance, scratchFloats: 0 };
}
