/** Classifier inference (imported lazily: pulls in TF.js). Softmax probabilities, rows × labels. */
import type { TensorSet } from '../../../core/artifact/types.js';
import { predictNetwork, readJson } from '../common/nn/predict-network.js';

export async function predictClassifier(modelDir: string, data: TensorSet): Promise<Float32Array> {
  const labels = await readJson<string[]>(modelDir, 'labels.json');
  const scores = await predictNetwork(modelDir, data);
  if (scores.length !== data.rows.length * labels.length) {
    throw new Error(`model outputs ${scores.length / Math.max(1, data.rows.length)} scores per row, labels.json lists ${labels.length}`);
  }
  return scores;
}
