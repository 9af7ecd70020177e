/**
 * Scores of a model IR for every row of a feature set, on the reference interpreters: float
 * models on the float interpreter; int8 models get each row quantized with the input's params and
 * their outputs dequantized. Classification scores come in the data's label order (the model's
 * order is its metadata's labels).
 */
import type { TensorSet } from '../artifact/types.js';
import { rowSize } from '../artifact/types.js';
import { elementCount, type ModelIR } from './ir.js';
import { createRunner } from './run-model.js';

export function predictIR(model: ModelIR, data: TensorSet, onProgress?: (done: number, total: number) => void): Float32Array {
  const run = createRunner(model);
  const inLen = rowSize(data.shape);
  const outLen = elementCount(model.tensors[model.outputs[0]!]!.shape);
  const n = data.rows.length;
  const scores = new Float32Array(n * outLen);
  for (let r = 0; r < n; r++) {
    scores.set(run(data.data.subarray(r * inLen, (r + 1) * inLen)), r * outLen);
    if (onProgress && (r % 256 === 255 || r === n - 1)) onProgress(r + 1, n);
  }
  const labels = model.metadata.labels;
  return labels && labels.length === outLen ? inLabelOrder(scores, labels, data.labels) : scores;
}

/** Columns reordered from the model's label order to `wanted` (0 for a label the model lacks). */
export function inLabelOrder(scores: Float32Array, modelLabels: readonly string[], wanted: readonly string[]): Float32Array {
  if (modelLabels.length === wanted.length && modelLabels.every((l, i) => l === wanted[i])) return scores;
  const k = modelLabels.length;
  const rows = scores.length / k;
  const from = wanted.map((l) => modelLabels.indexOf(l));
  const out = new Float32Array(rows * wanted.length);
  for (let r = 0; r < rows; r++) from.forEach((j, i) => (out[r * wanted.length + i] = j < 0 ? 0 : scores[r * k + j]!));
  return out;
}
