/** Selecting and gathering rows of a TensorSet: training rows only, never testing. */
import { rowSize, type TensorSet } from '../../../core/artifact/types.js';
import { didYouMean, learnError, LearnErrorCode } from './errors.js';

/** Indices of rows with split 'training', optionally only of some labels. Throws when there are none. */
export function trainingRows(data: TensorSet, onlyLabels: readonly string[] = []): number[] {
  for (const l of onlyLabels) {
    if (!data.labels.includes(l)) {
      throw learnError(
        LearnErrorCode.unknownLabel,
        `label '${l}' is not in the data (labels: ${data.labels.join(', ') || 'none'})`,
        `Use one of the data's labels.${didYouMean(l, data.labels)}`,
      );
    }
  }
  const keep = onlyLabels.length > 0 ? new Set(onlyLabels) : undefined;
  const out: number[] = [];
  data.rows.forEach((r, i) => {
    if (r.split === 'training' && (!keep || keep.has(r.label))) out.push(i);
  });
  if (out.length === 0) {
    throw learnError(
      LearnErrorCode.noTrainingData,
      keep ? `no training rows with label ${[...keep].join(', ')}` : 'no training rows: every row is in the testing split',
      "Add training data, or check data.split and the source's training/ and testing/ folders.",
    );
  }
  return out;
}

/** Copies rows `indices` of `data` into one contiguous Float32Array (rows × rowSize). */
export function gatherRows(data: TensorSet, indices: readonly number[], into?: Float32Array): Float32Array {
  const size = rowSize(data.shape);
  const out = into ?? new Float32Array(indices.length * size);
  indices.forEach((row, k) => out.set(data.data.subarray(row * size, (row + 1) * size), k * size));
  return out;
}

/** Every row, checked for size against the shape. */
export function checkTensorSet(data: TensorSet): void {
  const size = rowSize(data.shape);
  if (data.data.length !== data.rows.length * size) {
    throw new Error(`tensor set holds ${data.data.length} values, expected ${data.rows.length} rows × ${size}`);
  }
}
