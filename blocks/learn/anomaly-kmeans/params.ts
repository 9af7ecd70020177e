/** Params of the anomaly-kmeans block. */
import { Type, type Static } from '@sinclair/typebox';
import { anomalyParams } from '../common/anomaly.js';

export const KMeansParams = Type.Object(
  {
    clusters: Type.Integer({ minimum: 1, default: 32, description: 'Number of clusters (capped at the number of training rows).' }),
    maxIterations: Type.Integer({ minimum: 1, default: 100, description: 'Upper bound on k-means iterations (it stops earlier when no row changes cluster).' }),
    ...anomalyParams,
  },
  { additionalProperties: false },
);
export type KMeansParams = Static<typeof KMeansParams>;
