/** Params of the anomaly-gmm block. */
import { Type, type Static } from '@sinclair/typebox';
import { anomalyParams } from '../common/anomaly.js';

export const GmmParams = Type.Object(
  {
    components: Type.Integer({ minimum: 1, default: 8, description: 'Number of Gaussian components (capped at the number of training rows).' }),
    maxIterations: Type.Integer({ minimum: 1, default: 100, description: 'Upper bound on EM iterations.' }),
    tolerance: Type.Number({ exclusiveMinimum: 0, default: 1e-4, description: 'EM stops when the mean log-likelihood per row improves by less than this.' }),
    regularization: Type.Number({
      exclusiveMinimum: 0,
      default: 1e-3,
      description: 'Added to every variance (standardised units) so no component collapses onto a few rows.',
    }),
    ...anomalyParams,
  },
  { additionalProperties: false },
);
export type GmmParams = Static<typeof GmmParams>;
