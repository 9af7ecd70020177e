/** image input block: PNG / JPEG files → [height, width, channels] rows of raw 0..255 values. */
import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { RowMeta, SampleIndex } from '../../../core/artifact/types.js';
import { defineBlock } from '../../../core/plugin/define.js';
import type { InputOptions, InputResult, SignalInfo, StageContext } from '../../../core/plugin/types.js';
import { decodeImage, resizeImage, toGrayscale, type Image } from '../formats/image.js';
import { checkNoEmptyClass, extensionOf, readSamples, unsupportedType } from '../read-samples.js';

export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg'] as const;

export const ImageParams = Type.Object(
  {
    width: Type.Integer({ minimum: 1, maximum: 4096, default: 96, description: 'Width in pixels every image is resized to.' }),
    height: Type.Integer({ minimum: 1, maximum: 4096, default: 96, description: 'Height in pixels every image is resized to.' }),
    resizeMode: Type.Union([Type.Literal('fit-short'), Type.Literal('fit-long'), Type.Literal('squash')], {
      default: 'fit-short',
      description: "How the aspect ratio is handled: 'fit-short' scales the shorter side to fit and crops the centre, 'fit-long' scales the longer side to fit and pads with black, 'squash' stretches.",
    }),
    colorDepth: Type.Union([Type.Literal('RGB'), Type.Literal('Grayscale')], {
      default: 'RGB',
      description: "'RGB': 3 channels; 'Grayscale': 1 channel (ITU-R BT.601 luma).",
    }),
  },
  { additionalProperties: false },
);

type Params = typeof ImageParams.static;

function resolve(params: Partial<Params> | undefined): Params {
  return Value.Default(ImageParams, structuredClone(params ?? {})) as Params;
}

function shapeOf(p: Params): [number, number, number] {
  return [p.height, p.width, p.colorDepth === 'RGB' ? 3 : 1];
}

export default defineBlock({
  kind: 'input',
  type: 'image',
  version: 1,
  title: 'Images',
  description: 'Reads PNG and JPEG files, resizes them and outputs [height, width, channels] rows of raw 0..255 values.',
  output: 'image',
  params: ImageParams,

  info(params): SignalInfo {
    return { shape: shapeOf(resolve(params)) };
  },

  async run(ctx: StageContext, index: SampleIndex, options: InputOptions, params): Promise<InputResult> {
    const p = resolve(params);
    const shape = shapeOf(p);
    const rowLen = shape[0] * shape[1] * shape[2];
    let out = new Float32Array(index.samples.length * rowLen);
    const rows: RowMeta[] = [];

    const skipped = await readSamples(ctx, index, options, (sample, bytes) => {
      if (!(IMAGE_EXTENSIONS as readonly string[]).includes(extensionOf(sample.id))) throw unsupportedType(sample.id, IMAGE_EXTENSIONS);
      let img: Image = resizeImage(decodeImage(bytes), p.width, p.height, p.resizeMode);
      if (p.colorDepth === 'Grayscale') img = toGrayscale(img);
      out.set(img.data, rows.length * rowLen);
      rows.push({ sample: sample.id, label: sample.label, split: sample.split, window: 0 });
    });
    checkNoEmptyClass(index, rows, skipped);

    if (rows.length * rowLen < out.length) out = out.slice(0, rows.length * rowLen);
    ctx.log(`${rows.length} images → ${shape.join('×')}${skipped.length ? `; ${skipped.length} skipped` : ''}`);
    return {
      set: { kind: 'image', shape, rows, data: out, labels: index.labels, attrs: { width: p.width, height: p.height, channels: shape[2], colorDepth: p.colorDepth } },
      skipped,
    };
  },
});
