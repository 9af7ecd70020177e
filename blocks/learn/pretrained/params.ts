/** Params of the bring-your-own-model block. */
import { Type, type Static } from '@sinclair/typebox';

export const PretrainedParams = Type.Object(
  {
    model: Type.String({
      minLength: 1,
      description: 'A .tflite model (float32 or int8), relative to the impulse file and inside the project. Its input must take the features of the blocks in `from` (same number of values); its content is part of the cache key.',
    }),
    labels: Type.Array(Type.String({ minLength: 1 }), {
      minItems: 2,
      description: "One label per model output, in the model's output order; each must be a label of the data.",
    }),
  },
  { additionalProperties: false },
);
export type PretrainedParams = Static<typeof PretrainedParams>;
