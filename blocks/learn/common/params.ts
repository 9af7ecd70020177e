/** Params shared by the neural learn blocks (classifier, regression), and default filling. */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

export const EarlyStopping = Type.Union(
  [
    Type.Literal(false),
    Type.Object(
      {
        patience: Type.Optional(Type.Integer({ minimum: 1, default: 10, description: 'Epochs without improvement of the validation loss before stopping.' })),
        minDelta: Type.Optional(Type.Number({ minimum: 0, default: 0.001, description: 'Smallest decrease of the validation loss that counts as an improvement.' })),
      },
      { additionalProperties: false },
    ),
  ],
  {
    description:
      'Stop when the validation loss stops improving and restore the weights of the best epoch; false to train all epochs. Without validation rows the training loss is watched.',
    default: false,
  },
);
/** Early stopping with every option filled in. */
export type EarlyStoppingParams = false | { readonly patience: number; readonly minDelta: number };

export const trainingParams = {
  epochs: Type.Integer({ minimum: 1, default: 30, description: 'Passes over the training rows.' }),
  learningRate: Type.Number({ exclusiveMinimum: 0, default: 0.005, description: 'Initial learning rate of the optimizer.' }),
  batchSize: Type.Integer({ minimum: 1, default: 32, description: 'Rows per gradient step.' }),
  optimizer: Type.Union([Type.Literal('adam'), Type.Literal('sgd')], {
    description: "'adam', or 'sgd' (stochastic gradient descent with momentum 0.9).",
    default: 'adam',
  }),
  schedule: Type.Union([Type.Literal('constant'), Type.Literal('cosine'), Type.Literal('step')], {
    description: "Learning rate over epochs: 'constant'; 'cosine' decay to 1% of it; 'step' halves it after each quarter of the epochs.",
    default: 'constant',
  }),
  validationSplit: Type.Number({
    minimum: 0,
    maximum: 0.9,
    default: 0.2,
    description:
      'Fraction of the TRAINING samples held out for validation (windows of one sample stay together; each label is represented). Testing rows are never used. 0 for none.',
  }),
  earlyStopping: EarlyStopping,
  replicas: Type.Integer({
    minimum: 1,
    maximum: 16,
    default: 1,
    description:
      'Data-parallel training: each batch is split into this many shards whose gradients are computed on as many threads and added. ' +
      'Uses more cores on the WASM and CPU backends (which compute on one thread each). The weights depend on this number, not on the machine; ' +
      'batch normalization normalizes over each shard.',
  }),
};

/** A copy of `params` with schema defaults filled in (the spec loader does this too; the DSL may not). */
export function withDefaults<S extends TSchema>(schema: S, params: unknown): Static<S> {
  return Value.Default(schema, structuredClone(params ?? {})) as Static<S>;
}

/** `earlyStopping: true` (not in the schema, but what a user means) → the default patience and minDelta. */
export function earlyStoppingOf(value: unknown): EarlyStoppingParams {
  if (value === true) return { patience: 10, minDelta: 0.001 };
  if (value && typeof value === 'object') {
    const v = value as Partial<{ patience: number; minDelta: number }>;
    return { patience: v.patience ?? 10, minDelta: v.minDelta ?? 0.001 };
  }
  return false;
}
