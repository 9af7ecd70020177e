/**
 * Regression training (imported lazily: pulls in TF.js). The network learns standardised targets
 * (mean 0, std 1 over the training rows); afterwards the scaling is folded into the last dense
 * layer, so the saved model outputs values in target units and needs no post-processing on device.
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import type { TensorSet } from '../../../core/artifact/types.js';
import type { StageContext } from '../../../core/plugin/types.js';
import { trainNetwork } from '../common/nn/train-network.js';
import { withDefaults } from '../common/params.js';
import { trainingRows } from '../common/rows.js';
import { RegressionParams } from './params.js';
import { parseTargets, targetScale } from './targets.js';

export async function trainRegression(ctx: StageContext, data: TensorSet, raw: RegressionParams): Promise<void> {
  const p = withDefaults(RegressionParams, raw);
  const scale = targetScale(parseTargets(data, trainingRows(data)));
  ctx.log(`targets: mean ${scale.mean.toPrecision(4)}, std ${scale.std.toPrecision(4)} (the loss is the MSE of standardised targets)`);
  await trainNetwork(ctx, data, p, {
    name: 'regression',
    output: { units: 1, activation: 'linear', what: 'one linear unit' },
    loss: 'mse',
    targets: (rows) => Float32Array.from(parseTargets(data, rows), (v) => (v - scale.mean) / scale.std),
    finish(model, { tf }) {
      const last = model.layers[model.layers.length - 1]!;
      const [kernel, bias] = last.getWeights() as [Tensor, Tensor];
      const folded = tf.tidy(() => [tf.mul(kernel, scale.std), tf.add(tf.mul(bias, scale.std), scale.mean)]);
      last.setWeights(folded);
      tf.dispose(folded);
    },
    info: { target: scale },
  });
}
