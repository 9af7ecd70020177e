/** regression: a neural network predicting a number (the label parsed as a number), MSE loss. */
import { defineBlock } from '../../../core/plugin/define.js';
import { checkLayersConvert } from '../common/layers/check-ir.js';
import { RegressionParams } from './params.js';

export { RegressionParams } from './params.js';

export default defineBlock({
  kind: 'learn',
  type: 'regression',
  // 2: fused Adam (float64 per element); weights differ from version 1 in the last bits
  // 3: fused conv / dense layer kernels and our own dropout masks in the training forward (training-forward.ts)
  // 4: the trained network is also stored as model IR (model-ir.json/.bin) for int8 and deployment
  version: 4,
  title: 'Neural network regression',
  description: 'Trains a neural network (dense by default) to predict a number: each sample\'s label parsed as a number. Mean squared error loss.',
  task: 'regression',
  accepts: ['features'],
  params: RegressionParams,
  async train(ctx, data, params) {
    const { trainRegression } = await import('./train.js');
    await trainRegression(ctx, data, params);
  },
  async predict(_ctx, modelDir, data) {
    const { predictRegression } = await import('./predict.js');
    return predictRegression(modelDir, data);
  },
  checkModel(params) {
    checkLayersConvert(params.layers);
  },
  async toModel(modelDir) {
    const { readNetworkIR } = await import('../common/nn/model-io.js');
    return readNetworkIR(modelDir, 'impulse-kit regression');
  },
});
