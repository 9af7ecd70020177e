import { Type, type Static } from '@sinclair/typebox';
import { defineBlock } from '../../../core/plugin/define.js';
import { IMAGE_VERSION, imageInto, imageShape, runImage } from './image.js';
import { imageC } from './c.js';

export const imageParams = Type.Object(
  {
    channels: Type.Union([Type.Literal('RGB'), Type.Literal('Grayscale')], {
      description: "Colour depth of the output: 'RGB' (3 channels) or 'Grayscale' (1 channel, ITU-R 601-2 luma). Values are scaled to 0..1.",
      default: 'RGB',
    }),
  },
  { additionalProperties: false },
);

export type ImageBlockParams = Static<typeof imageParams>;

export default defineBlock({
  kind: 'dsp',
  type: 'image',
  version: IMAGE_VERSION,
  title: 'Image',
  description: 'Normalises pixels to 0..1 and optionally converts to grayscale (Edge Impulse image block). Input: [height, width, channels] with values 0..255.',
  params: imageParams,
  accepts: ['image'],
  module: import.meta.url,
  shape(params, input) {
    const { height, width } = imageShape(input.shape);
    return [height, width, params.channels === 'RGB' ? 3 : 1];
  },
  validate(_params, input) {
    imageShape(input.shape);
  },
  process(params, window, input) {
    return runImage(window, input.shape, params.channels);
  },
  processInto(params, window, input, out) {
    imageInto(window, input.shape, params.channels, out);
  },
  c(params, input, { fn }) {
    return imageC(imageShape(input.shape), params, fn);
  },
  cost(params, input) {
    const { height, width } = imageShape(input.shape);
    const n = height * width;
    return { macs: 3 * n, ramBytes: 4 * n * (params.channels === 'RGB' ? 3 : 1), flashBytes: 0 };
  },
});
