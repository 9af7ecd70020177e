/**
 * The Keras-like layer list of the neural learn blocks: a list of one-key objects, e.g.
 * `[{ conv1d: { filters: 8, kernel: 3 } }, { maxPool1d: 2 }, { dropout: 0.25 }, { flatten: {} }, { dense: { units: 10 } }]`,
 * or a preset name such as `preset/conv1d-audio`.
 *
 * The schema is one object with an optional key per layer type and exactly one key present, so a
 * typo (`dens`) is reported as an unknown key with the closest valid name by the spec validator.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { PRESET_NAMES } from './presets.js';

export const ACTIVATIONS = ['relu', 'relu6', 'softmax', 'sigmoid', 'tanh', 'linear'] as const;
export type Activation = (typeof ACTIVATIONS)[number];
export type Padding = 'same' | 'valid';

const Activation = Type.Union(
  ACTIVATIONS.map((a) => Type.Literal(a)),
  { description: 'Activation function. Hidden layers: relu when omitted; the output layer: softmax (classifier) or linear (regression).' },
);
const Padding = Type.Union([Type.Literal('same'), Type.Literal('valid')], {
  description: "'same' keeps the length (zero padding), 'valid' uses only full windows.",
  default: 'same',
});
const Size1 = (description: string, dflt?: number) =>
  Type.Integer({ minimum: 1, description, ...(dflt === undefined ? {} : { default: dflt }) });
const Size2 = (description: string, dflt?: number) =>
  Type.Union([Type.Integer({ minimum: 1 }), Type.Array(Type.Integer({ minimum: 1 }), { minItems: 2, maxItems: 2 })], {
    description: `${description} One number for both axes, or [height, width].`,
    ...(dflt === undefined ? {} : { default: dflt }),
  });
const Empty = (description: string) =>
  Type.Union([Type.Object({}, { additionalProperties: false }), Type.Null(), Type.Literal(true)], { description });

const Dense = Type.Object(
  { units: Size1('Number of neurons.'), activation: Type.Optional(Activation) },
  { additionalProperties: false, description: 'Fully connected layer. A multi-dimensional input is flattened first.' },
);
const Conv1d = Type.Object(
  {
    filters: Size1('Number of filters (output channels).'),
    kernel: Type.Optional(Size1('Kernel length in frames.', 3)),
    strides: Type.Optional(Size1('Step between kernel positions.', 1)),
    padding: Type.Optional(Padding),
    activation: Type.Optional(Activation),
  },
  { additionalProperties: false, description: '1-D convolution over [frames, features]; a feature vector [n] becomes [n, 1].' },
);
const conv2dKeys = {
  kernel: Type.Optional(Size2('Kernel size.', 3)),
  strides: Type.Optional(Size2('Step between kernel positions.', 1)),
  padding: Type.Optional(Padding),
  activation: Type.Optional(Activation),
};
const Conv2d = Type.Object(
  { filters: Size1('Number of filters (output channels).'), ...conv2dKeys },
  { additionalProperties: false, description: '2-D convolution over [height, width, channels]; [h, w] becomes [h, w, 1].' },
);
const DepthwiseConv2d = Type.Object(
  { depthMultiplier: Type.Optional(Size1('Output channels per input channel.', 1)), ...conv2dKeys },
  { additionalProperties: false, description: 'Depthwise 2-D convolution (one filter per input channel).' },
);
const SeparableConv2d = Type.Object(
  {
    filters: Size1('Number of output channels of the pointwise convolution.'),
    depthMultiplier: Type.Optional(Size1('Depthwise output channels per input channel.', 1)),
    ...conv2dKeys,
  },
  { additionalProperties: false, description: 'Depthwise 2-D convolution followed by a 1×1 convolution.' },
);
const Pool1d = (what: string) =>
  Type.Union(
    [
      Size1('Pool size.'),
      Type.Object(
        {
          poolSize: Type.Optional(Size1('Pool size.', 2)),
          strides: Type.Optional(Size1('Step; default the pool size.')),
          padding: Type.Optional(Padding),
        },
        { additionalProperties: false },
      ),
    ],
    { description: `1-D ${what} pooling over frames: a pool size, or { poolSize, strides, padding }.` },
  );
const Pool2d = (what: string) =>
  Type.Union(
    [
      Size2('Pool size.'),
      Type.Object(
        {
          poolSize: Type.Optional(Size2('Pool size.', 2)),
          strides: Type.Optional(Size2('Step; default the pool size.')),
          padding: Type.Optional(Padding),
        },
        { additionalProperties: false },
      ),
    ],
    { description: `2-D ${what} pooling: a pool size, or { poolSize, strides, padding }.` },
  );
const Reshape = Type.Union(
  [
    Type.Object(
      { shape: Type.Array(Type.Integer({ minimum: -1 }), { minItems: 1, description: 'New per-row shape; one -1 is inferred.' }) },
      { additionalProperties: false },
    ),
    Type.Array(Type.Integer({ minimum: -1 }), { minItems: 1 }),
  ],
  { description: 'Reshape each row, e.g. { shape: [8, 8, 1] } to feed a flat feature vector to conv2d.' },
);
const Dropout = Type.Union(
  [
    Type.Number({ minimum: 0, exclusiveMaximum: 1 }),
    Type.Object({ rate: Type.Number({ minimum: 0, exclusiveMaximum: 1, description: 'Fraction of inputs zeroed.' }) }, { additionalProperties: false }),
  ],
  { description: 'Dropout rate during training (seeded), e.g. 0.25.' },
);
const BatchNorm = Type.Union(
  [
    Type.Object(
      {
        momentum: Type.Optional(Type.Number({ minimum: 0, maximum: 1, default: 0.99, description: 'Moving average momentum.' })),
        epsilon: Type.Optional(Type.Number({ exclusiveMinimum: 0, default: 0.001, description: 'Added to the variance.' })),
      },
      { additionalProperties: false },
    ),
    Type.Null(),
    Type.Literal(true),
  ],
  { description: 'Batch normalization (folded into the previous layer for deployment).' },
);

const layerSchemas = {
  dense: Dense,
  conv1d: Conv1d,
  conv2d: Conv2d,
  depthwiseConv2d: DepthwiseConv2d,
  separableConv2d: SeparableConv2d,
  maxPool1d: Pool1d('max'),
  maxPool2d: Pool2d('max'),
  avgPool1d: Pool1d('average'),
  avgPool2d: Pool2d('average'),
  globalAvgPool: Empty('Average over all positions (1-D or 2-D, from the input rank).'),
  flatten: Empty('Flatten to a vector.'),
  reshape: Reshape,
  dropout: Dropout,
  batchNorm: BatchNorm,
} satisfies Record<string, TSchema>;

export type LayerName = keyof typeof layerSchemas;
export const LAYER_NAMES = Object.keys(layerSchemas) as LayerName[];

/** One item of a layer list. */
export const LayerItem = Type.Object(
  {
    dense: Type.Optional(layerSchemas.dense),
    conv1d: Type.Optional(layerSchemas.conv1d),
    conv2d: Type.Optional(layerSchemas.conv2d),
    depthwiseConv2d: Type.Optional(layerSchemas.depthwiseConv2d),
    separableConv2d: Type.Optional(layerSchemas.separableConv2d),
    maxPool1d: Type.Optional(layerSchemas.maxPool1d),
    maxPool2d: Type.Optional(layerSchemas.maxPool2d),
    avgPool1d: Type.Optional(layerSchemas.avgPool1d),
    avgPool2d: Type.Optional(layerSchemas.avgPool2d),
    globalAvgPool: Type.Optional(layerSchemas.globalAvgPool),
    flatten: Type.Optional(layerSchemas.flatten),
    reshape: Type.Optional(layerSchemas.reshape),
    dropout: Type.Optional(layerSchemas.dropout),
    batchNorm: Type.Optional(layerSchemas.batchNorm),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    maxProperties: 1,
    description: `One layer: an object with one key, the layer type (${LAYER_NAMES.join(', ')}).`,
  },
);

/** `layers` param: a layer list or a preset name. */
export function layersParam(dflt: string | readonly unknown[], outputNote: string) {
  return Type.Union(
    [
      Type.Union(
        PRESET_NAMES.map((p) => Type.Literal(p)),
        { description: 'A built-in architecture.' },
      ),
      Type.Array(LayerItem, { description: 'Layers in order, Keras-like.' }),
    ],
    {
      description: `Network architecture: a list of layers (e.g. [{ conv1d: { filters: 8, kernel: 3 } }, { flatten: {} }, { dense: { units: 16 } }]) or a preset name (${PRESET_NAMES.join(', ')}). The input is reshaped from the feature shape automatically. ${outputNote}`,
      default: dflt,
    },
  );
}

// Friendly TS types for the typed DSL (`layers as L`): one key per item.
export type Size2 = number | readonly [number, number];
export interface DenseOptions { units: number; activation?: Activation }
export interface Conv1dOptions { filters: number; kernel?: number; strides?: number; padding?: Padding; activation?: Activation }
export interface Conv2dOptions { filters: number; kernel?: Size2; strides?: Size2; padding?: Padding; activation?: Activation }
export interface DepthwiseConv2dOptions { depthMultiplier?: number; kernel?: Size2; strides?: Size2; padding?: Padding; activation?: Activation }
export interface SeparableConv2dOptions extends Conv2dOptions { depthMultiplier?: number }
export type Pool1dOptions = number | { poolSize?: number; strides?: number; padding?: Padding };
export type Pool2dOptions = Size2 | { poolSize?: Size2; strides?: Size2; padding?: Padding };
export type EmptyOptions = Record<string, never> | null | true;
export type LayerSpec =
  | { dense: DenseOptions }
  | { conv1d: Conv1dOptions }
  | { conv2d: Conv2dOptions }
  | { depthwiseConv2d: DepthwiseConv2dOptions }
  | { separableConv2d: SeparableConv2dOptions }
  | { maxPool1d: Pool1dOptions }
  | { maxPool2d: Pool2dOptions }
  | { avgPool1d: Pool1dOptions }
  | { avgPool2d: Pool2dOptions }
  | { globalAvgPool: EmptyOptions }
  | { flatten: EmptyOptions }
  | { reshape: { shape: readonly number[] } | readonly number[] }
  | { dropout: number | { rate: number } }
  | { batchNorm: { momentum?: number; epsilon?: number } | null | true };
