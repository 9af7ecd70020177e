/**
 * expert: classification with a network the user writes in TF.js (a model module next to the
 * impulse file, `params.model`), trained by the classifier's seeded loop or by the module's own
 * `train`. The module's content hash is part of the learn stage's cache key (`cacheInputs`).
 */
import { defineBlock } from '../../../core/plugin/define.js';
import { withDefaults } from '../common/params.js';
import { resolveModelFile } from './model-file.js';
import { ExpertParams } from './params.js';

export { ExpertParams } from './params.js';
export type { BuildModel, BuildModelArgs, TrainArgs, TrainHistory, TrainModel } from './api.js';

export default defineBlock({
  kind: 'learn',
  type: 'expert',
  // 2: fused Adam (float64 per element) and cross-entropy kernels; weights differ from version 1 in the last bits
  // 3: fused conv / dense layer kernels and our own dropout masks in the training forward (training-forward.ts)
  // 4: cross-entropy steps of covered nets without the tape (direct-backprop.ts); weights differ in the last bits
  // 5: the trained network is also stored as model IR (model-ir.json/.bin) for int8 and deployment
  version: 5,
  title: 'Expert mode classifier',
  description:
    'Trains a TF.js network built by your own module (params.model, default ./model.ts: export default function buildModel({ tf, layers, inputShape, labels, seed })) and predicts a probability per label. Optionally the module exports train() to replace the training loop.',
  task: 'classification',
  accepts: ['features'],
  params: ExpertParams,
  cacheInputs(params, projectDir) {
    const file = resolveModelFile(withDefaults(ExpertParams, params).model, projectDir);
    return { [file.rel]: file.sha256 };
  },
  async train(ctx, data, params) {
    const { trainExpert } = await import('./train.js');
    await trainExpert(ctx, data, params);
  },
  async predict(_ctx, modelDir, data) {
    const { predictClassifier } = await import('../classifier/predict.js');
    return predictClassifier(modelDir, data);
  },
  async toModel(modelDir) {
    const { readNetworkIR } = await import('../common/nn/model-io.js');
    return readNetworkIR(modelDir, 'impulse-kit expert');
  },
});
