/** Regression inference (imported lazily: pulls in TF.js). One value per row, in target units. */
import type { TensorSet } from '../../../core/artifact/types.js';
import { predictNetwork } from '../common/nn/predict-network.js';

export async function predictRegression(modelDir: string, data: TensorSet): Promise<Float32Array> {
  return predictNetwork(modelDir, data);
}
