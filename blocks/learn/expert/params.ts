/** Params of the expert-mode block: the user's model file plus the classifier's training params. */
import { Type, type Static } from '@sinclair/typebox';
import { Augmentation, ClassifierParams } from '../classifier/params.js';
import { trainingParams } from '../common/params.js';

export const ExpertParams = Type.Object(
  {
    model: Type.String({
      minLength: 1,
      default: './model.ts',
      description:
        "TypeScript or JavaScript module, relative to the impulse file and inside the project, whose default export builds the network: ({ tf, layers, inputShape, labels, seed, initializer }) → an uncompiled tf LayersModel ending in a softmax with one unit per label. It may also export train(...) to replace the training loop. Its content is part of the cache key.",
    }),
    ...trainingParams,
    classWeights: ClassifierParams.properties.classWeights,
    augmentation: Augmentation,
  },
  { additionalProperties: false },
);
export type ExpertParams = Static<typeof ExpertParams>;
