/** Params of the classifier block. */
import { Type, type Static } from '@sinclair/typebox';
import { layersParam } from '../common/layers/schema.js';
import { trainingParams } from '../common/params.js';

export const Augmentation = Type.Object(
  {
    noise: Type.Optional(Type.Number({ minimum: 0, default: 0, description: 'Standard deviation of Gaussian noise added to every feature value (feature units); 0 turns it off.' })),
    specAugment: Type.Union(
      [
        Type.Literal(false),
        Type.Object(
          {
            timeMasks: Type.Optional(Type.Integer({ minimum: 0, default: 1, description: 'Bands of frames set to 0 per row.' })),
            freqMasks: Type.Optional(Type.Integer({ minimum: 0, default: 1, description: 'Bands of coefficients set to 0 per row.' })),
            maxWidth: Type.Optional(Type.Integer({ minimum: 1, default: 2, description: 'Largest band width (frames or coefficients).' })),
          },
          { additionalProperties: false },
        ),
      ],
      { description: 'SpecAugment-style masking for [frames, coefficients] features (MFCC, MFE, spectrogram); false turns it off.', default: false },
    ),
    image: Type.Union(
      [
        Type.Literal(false),
        Type.Object(
          {
            flip: Type.Optional(Type.Boolean({ default: false, description: 'Mirror left-right with probability 0.5.' })),
            shift: Type.Optional(Type.Integer({ minimum: 0, default: 0, description: 'Largest shift in pixels, each axis (zero fill).' })),
            brightness: Type.Optional(Type.Number({ minimum: 0, maximum: 1, default: 0, description: 'Scale pixel values by a random factor in [1 - b, 1 + b].' })),
          },
          { additionalProperties: false },
        ),
      ],
      { description: 'Random image transforms for [height, width, channels] features; false turns it off.', default: false },
    ),
  },
  {
    additionalProperties: false,
    default: {},
    description: 'Random changes to training batches (never to validation or testing rows), seeded by the impulse seed. Off by default.',
  },
);
export type AugmentationParams = Static<typeof Augmentation>;

export const ClassifierParams = Type.Object(
  {
    layers: layersParam(
      'preset/dense-motion',
      'A dense softmax layer with one unit per label is appended, unless the list already ends in a dense layer with that many units.',
    ),
    ...trainingParams,
    classWeights: Type.Union([Type.Literal('none'), Type.Literal('auto')], {
      description: "'auto' weighs each label's training rows by inverse frequency (n / (labels × n_label)) so rare labels count as much; 'none' weighs all rows 1.",
      default: 'none',
    }),
    augmentation: Augmentation,
  },
  { additionalProperties: false },
);
export type ClassifierParams = Static<typeof ClassifierParams>;
