/**
 * The impulse file's envelope schema (TypeBox: schema and TS type from one source).
 * Block parameters are validated per block against the block's own schema
 * (see ./validate.ts); the published JSON Schema splices them in (see ./json-schema.ts).
 */
import { Type, type Static } from '@sinclair/typebox';
import { DeviceSchema, DevicesSchema } from '../device/spec-schema.js';

export const SPEC_VERSION = 1;

const Id = Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_-]*$', description: 'Identifier: a letter, then letters, digits, - or _.' });

export const BlockParams = Type.Record(Type.String(), Type.Unknown(), {
  description: "The block's parameters; see the block's README for each key.",
  default: {},
});

export const DataSchema = Type.Object(
  {
    source: Type.String({
      minLength: 1,
      description:
        'Folder of samples (<label>/<file> or <label>.<id>.<ext>; training/ and testing/ subfolders honoured), relative to the impulse file, or dataset:<name> for a known public dataset (st_har, fsdd, mnist10k).',
    }),
    split: Type.Object(
      {
        test: Type.Number({ minimum: 0, maximum: 0.9, default: 0.2, description: 'Fraction of groups held out for testing when the source has no training/ and testing/ folders.' }),
        groupBy: Type.Optional(
          Type.String({
            minLength: 1,
            description:
              'Regular expression over the file name; samples whose match (first capture group if any) is equal stay on one side of the split, e.g. "_([a-z]+)_" keeps one speaker together. Default: each file is its own group.',
          }),
        ),
      },
      { additionalProperties: false, default: {}, description: 'How samples are split into training and testing.' },
    ),
    onError: Type.Union([Type.Literal('stop'), Type.Literal('skip')], {
      default: 'stop',
      description: "What to do with a bad sample: 'stop' before training, or 'skip' it and report the count.",
    }),
  },
  { additionalProperties: false, description: 'Where the samples come from and how they are split.' },
);

export const InputSchema = Type.Object(
  { type: Type.String({ description: 'Input block: time-series or image (or a plugin input block).' }) },
  { additionalProperties: true, description: "How samples become windows or images; the other keys are the input block's parameters." },
);

export const DspEntry = Type.Object(
  {
    type: Type.String({ description: 'DSP block type, e.g. mfcc, mfe, spectrogram, spectral-analysis, flatten, raw, image.' }),
    from: Type.Optional(Type.Array(Type.String(), { minItems: 1, description: "What this block reads: 'input' (default) or other DSP block ids." })),
    params: BlockParams,
  },
  { additionalProperties: false },
);

export const QuantizeSpec = Type.Object(
  {
    type: Type.Union([Type.Literal('int8'), Type.Literal('none')], { default: 'int8', description: "int8: post-training quantization (TFLite spec) after training; none: float32 only." }),
    calibrationSamples: Type.Integer({ minimum: 1, default: 500, description: 'Training windows (a seeded random subset) the activation ranges are calibrated on.' }),
    calibration: Type.Union([Type.Literal('minmax'), Type.Literal('percentile'), Type.Literal('mse')], {
      default: 'minmax',
      description:
        'How activation ranges are chosen: minmax (observed extremes), percentile (0.01%/99.99%), mse (least int8 rounding + clipping error). minmax measured best or equal on the three examples (bench/int8: within 0.2 points of float32, no worse than the others).',
    }),
    rounding: Type.Union([Type.Literal('single'), Type.Literal('double')], {
      default: 'single',
      description:
        "How int8 requantization rounds (TFLite's TFLITE_SINGLE_ROUNDING): single — one rounding, as the TFLite runtime and ArmNN compute it (exported .tflite files give the same outputs there) and fewer instructions on a Cortex-M; double — TensorFlow Lite Micro's default (gemmlowp), for bit-exact agreement with a stock TFLM build. The evaluation and the generated C follow it.",
    }),
  },
  { additionalProperties: false, description: 'int8 quantization of the trained network (networks only; ignored by anomaly blocks without one).' },
);
export type QuantizeSpec = Static<typeof QuantizeSpec>;

export const LearnEntry = Type.Object(
  {
    type: Type.String({ description: 'Learn block type, e.g. classifier, regression, anomaly-kmeans, anomaly-gmm, pretrained.' }),
    from: Type.Optional(Type.Array(Type.String(), { minItems: 1, description: 'DSP block ids whose features are concatenated as input; default: every DSP block.' })),
    params: BlockParams,
    quantize: Type.Optional(QuantizeSpec),
  },
  { additionalProperties: false },
);

export const DeployEntry = Type.Object(
  {
    target: Type.String({ description: 'Deployment target, e.g. tfjs (or a plugin target).' }),
    from: Type.Optional(Type.Array(Type.String(), { minItems: 1, description: 'Learn block ids to deploy; default: every learn block.' })),
    params: BlockParams,
  },
  { additionalProperties: false },
);

export const ImpulseSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String({ description: 'JSON Schema reference for editors.' })),
    version: Type.Literal(SPEC_VERSION, { description: 'Impulse file format version.' }),
    name: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]*$', description: 'Impulse name: lower case letters, digits, ., _ or -.' }),
    description: Type.Optional(Type.String({ description: 'What this impulse is for.' })),
    seed: Type.Integer({ minimum: 0, default: 1, description: 'Seed for everything random (initialisation, shuffling, augmentation).' }),
    plugins: Type.Array(Type.String({ minLength: 1 }), {
      default: [],
      description: 'Plugins providing extra blocks or targets: npm package names or paths relative to the impulse file.',
    }),
    data: DataSchema,
    input: InputSchema,
    dsp: Type.Record(Type.String(), DspEntry, { default: {}, description: 'DSP blocks by id: each turns windows into features.' }),
    learn: Type.Record(Type.String(), LearnEntry, { default: {}, description: 'Learn blocks by id: each trains a model on features.' }),
    device: Type.Optional(DeviceSchema),
    devices: Type.Optional(DevicesSchema),
    deploy: Type.Array(DeployEntry, { default: [], description: 'Deployables to generate.' }),
  },
  { additionalProperties: false, description: 'An impulse: input → DSP → learning → deployment.' },
);

export type ImpulseFile = Static<typeof ImpulseSchema>;
export type DataSpec = Static<typeof DataSchema>;
export type IdPattern = Static<typeof Id>;
export const ID_PATTERN = /^[A-Za-z][A-Za-z0-9_-]*$/;
