/**
 * classifier: a neural network (Keras-like layer list or preset) trained with TF.js on the
 * features of TRAINING rows; predicts softmax probabilities per label.
 */
import { defineBlock } from '../../../core/plugin/define.js';
import { checkLayersConvert } from '../common/layers/check-ir.js';
import { ClassifierParams } from './params.js';

export { ClassifierParams } from './params.js';

export default defineBlock({
  kind: 'learn',
  type: 'classifier',
  // 2: fused Adam (float64 per element) and cross-entropy kernels; weights differ from version 1 in the last bits
  // 3: fused conv / dense layer kernels and our own dropout masks in the training forward (training-forward.ts)
  // 4: cross-entropy steps of covered nets without the tape (direct-backprop.ts); weights differ in the last bits
  // 5: the trained network is also stored as model IR (model-ir.json/.bin) for int8 and deployment
  version: 5,
  title: 'Neural network classifier',
  description:
    'Trains a neural network (dense, conv1d, conv2d, depthwise and separable convolutions, pooling, dropout, batch norm; or a preset) on features and predicts a probability per label.',
  task: 'classification',
  accepts: ['features'],
  params: ClassifierParams,
  async train(ctx, data, params) {
    const { trainClassifier } = await import('./train.js');
    await trainClassifier(ctx, data, params);
  },
  async predict(_ctx, modelDir, data) {
    const { predictClassifier } = await import('./predict.js');
    return predictClassifier(modelDir, data);
  },
  checkModel(params) {
    checkLayersConvert(params.layers);
  },
  async toModel(modelDir) {
    const { readNetworkIR } = await import('../common/nn/model-io.js');
    return readNetworkIR(modelDir, 'impulse-kit classifier');
  },
});
