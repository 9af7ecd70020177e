/** What the anomaly blocks share: their training matrix, model file io and threshold suggestion. */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Type } from '@sinclair/typebox';
import { rowSize, type TensorSet } from '../../../core/artifact/types.js';
import { learnError, LearnErrorCode } from './errors.js';
import { checkTensorSet, gatherRows, trainingRows } from './rows.js';
import { fitStandardizer, percentile, standardize, type Standardizer } from './stats.js';

export const anomalyParams = {
  labels: Type.Array(Type.String(), {
    default: [],
    description: 'Labels whose training rows are normal data to learn from; empty means every label. Testing rows are never used.',
  }),
  thresholdPercentile: Type.Number({
    minimum: 0,
    maximum: 100,
    default: 99,
    description: 'The suggested threshold is this percentile of the training rows\' scores (scores above it are anomalies).',
  }),
};

export interface AnomalyTraining {
  /** The rows standardised (float64, for fitting). */
  readonly x: Float64Array;
  /** The same rows as given (n × d), for scoring them as predict() would. */
  readonly raw: Float32Array;
  readonly n: number;
  readonly d: number;
  readonly scaler: Standardizer;
}

/** Standardised training rows (chosen labels only) and the per-feature training statistics. */
export function anomalyTrainingData(data: TensorSet, labels: readonly string[]): AnomalyTraining {
  checkTensorSet(data);
  const rows = trainingRows(data, labels);
  const d = rowSize(data.shape);
  const raw = gatherRows(data, rows);
  const scaler = fitStandardizer(raw, rows.length, d);
  return { x: standardize(raw, scaler), raw, n: rows.length, d, scaler };
}

/** Suggested threshold and the training score distribution. */
export function thresholdOf(scores: ArrayLike<number>, p: number) {
  return {
    threshold: percentile(scores, p),
    thresholdPercentile: p,
    trainingScores: { min: percentile(scores, 0), p50: percentile(scores, 50), p95: percentile(scores, 95), max: percentile(scores, 100) },
  };
}

export async function writeModelJson(dir: string, file: string, value: unknown): Promise<void> {
  await writeFile(path.join(dir, file), JSON.stringify(value) + '\n');
}

export async function readModelJson<T extends { format: string; inputShape: number[] }>(dir: string, file: string, format: string, data: TensorSet): Promise<T> {
  const model = await loadModel<T>(dir, file, format);
  checkTensorSet(data);
  checkModelShape(model, data.shape);
  return model;
}

/** The model file of an anomaly block, checked: its format, and that it was trained on rows of `shape`. */
export async function readModelFile<T extends { format: string; inputShape: number[] }>(dir: string, file: string, format: string, shape: readonly number[]): Promise<T> {
  const model = await loadModel<T>(dir, file, format);
  checkModelShape(model, shape);
  return model;
}

async function loadModel<T extends { format: string }>(dir: string, file: string, format: string): Promise<T> {
  let model: T;
  try {
    model = JSON.parse(await readFile(path.join(dir, file), 'utf8')) as T;
  } catch (e) {
    throw learnError(LearnErrorCode.badModel, `no trained model in ${dir} (${(e as Error).message})`, 'Run the learn stage again (impulse run).');
  }
  if (model.format !== format) throw learnError(LearnErrorCode.badModel, `${file} in ${dir} is not a ${format} model`);
  return model;
}

function checkModelShape(model: { inputShape: number[] }, shape: readonly number[]): void {
  if (JSON.stringify(model.inputShape) !== JSON.stringify(shape)) {
    throw learnError(
      LearnErrorCode.badModel,
      `the model was trained on rows of shape [${model.inputShape.join(', ')}], but these rows are [${shape.join(', ')}]`,
      'Retrain the learn block after changing the DSP blocks it reads (impulse run).',
    );
  }
}
