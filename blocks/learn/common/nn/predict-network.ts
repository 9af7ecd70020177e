/** Loads a saved network and scores every row of a tensor set (loaded lazily, imports TF.js). */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { TensorSet } from '../../../../core/artifact/types.js';
import { loadTf } from '../tf/load.js';
import { learnError, LearnErrorCode } from '../errors.js';
import { checkTensorSet } from '../rows.js';
import { predictRows } from './loop.js';
import { loadModel } from './model-io.js';

/** Model outputs for every row (rows × units, flat). */
export async function predictNetwork(modelDir: string, data: TensorSet): Promise<Float32Array> {
  checkTensorSet(data);
  const info = await readJson<{ inputShape: number[] }>(modelDir, 'training.json');
  if (JSON.stringify(info.inputShape) !== JSON.stringify(data.shape)) {
    throw learnError(
      LearnErrorCode.badModel,
      `the model was trained on rows of shape [${info.inputShape.join(', ')}], but these rows are [${data.shape.join(', ')}]`,
      'Retrain the learn block after changing the DSP blocks it reads (impulse run).',
    );
  }
  const loaded = await loadTf();
  const model = await loadModel(loaded, modelDir);
  try {
    return await predictRows(loaded, model, data.data, data.rows.length, data.shape);
  } finally {
    model.dispose();
  }
}

export async function readJson<T>(dir: string, name: string): Promise<T> {
  try {
    return JSON.parse(await readFile(path.join(dir, name), 'utf8')) as T;
  } catch (e) {
    throw learnError(LearnErrorCode.badModel, `cannot read ${name} of the trained model in ${dir} (${(e as Error).message})`, 'Run the learn stage again (impulse run).');
  }
}
