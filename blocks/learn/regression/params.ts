/** Params of the regression block. */
import { Type, type Static } from '@sinclair/typebox';
import { layersParam } from '../common/layers/schema.js';
import { trainingParams } from '../common/params.js';

export const RegressionParams = Type.Object(
  {
    layers: layersParam(
      'preset/dense-motion',
      'A dense layer with one linear unit (the predicted value) is appended, unless the list already ends in a dense layer with 1 unit.',
    ),
    ...trainingParams,
  },
  { additionalProperties: false },
);
export type RegressionParams = Static<typeof RegressionParams>;
