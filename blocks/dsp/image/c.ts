/** C implementation of one image instance (no tables). */
import type { BlockCCode } from '../../../core/plugin/types.js';
import { checkInstanceName, dspDefinition, dspPrototype, instanceBanner, pickSources } from '../common/c-emit.js';
import { C_SOURCES as COMMON_C } from '../common/c-sources.gen.js';
import { C_SOURCES as IMAGE_C } from './c-sources.gen.js';
import { IMAGE_VERSION, type ImageChannels } from './image.js';

const SOURCES = ['common/dsp.h', 'image/image.h', 'image/image.c'];

export function imageC(
  shape: { height: number; width: number; channels: number },
  params: { channels: ImageChannels } & Readonly<Record<string, unknown>>,
  fn: string,
): BlockCCode {
  checkInstanceName('image', fn);
  const { height, width, channels } = shape;
  const gray = params.channels === 'Grayscale';
  const instance = [
    instanceBanner({
      block: 'image',
      version: IMAGE_VERSION,
      fn,
      params,
      lines: [
        `input:   ${height} × ${width} × ${channels} (0..255)`,
        `output:  ${height} × ${width} × ${gray ? 1 : 3} = ${height * width * (gray ? 1 : 3)} floats (0..1)`,
        'scratch: 0 floats',
        'flash:   12 bytes (configuration)',
      ],
    }),
    '#include "image/image.h"\n',
    dspPrototype(fn),
    `static const ik_image_config ${fn}_config = { .pixels = ${height * width}u, .channels = ${channels}u, .grayscale = ${gray ? 1 : 0} };\n`,
    dspDefinition(fn, `ik_image_run(&${fn}_config, input, output)`, false),
  ].join('\n');
  return { sources: pickSources([COMMON_C, IMAGE_C], SOURCES), instance, scratchFloats: 0 };
}
