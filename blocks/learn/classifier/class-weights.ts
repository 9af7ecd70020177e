/** Targets and class weights of the classifier. */
import type { TensorSet } from '../../../core/artifact/types.js';

/** Index of each row's label in `labels`. */
export function labelIndices(data: TensorSet, rows: readonly number[], labels: readonly string[]): number[] {
  const index = new Map(labels.map((l, i) => [l, i]));
  return rows.map((r) => {
    const meta = data.rows[r]!;
    const i = index.get(meta.label);
    if (i === undefined) throw new Error(`row of sample ${meta.sample} has label '${meta.label}', which is not in the tensor set's labels`);
    return i;
  });
}

/** One-hot rows (n × k). */
export function oneHot(indices: readonly number[], k: number): Float32Array {
  const out = new Float32Array(indices.length * k);
  indices.forEach((c, i) => (out[i * k + c] = 1));
  return out;
}

export function countPerClass(indices: readonly number[], k: number): number[] {
  const counts = new Array<number>(k).fill(0);
  for (const c of indices) counts[c]!++;
  return counts;
}

/**
 * 'auto': inverse frequency, n / (present × n_c), as scikit-learn's 'balanced' (mean weight per row
 * is 1); labels with no rows get 0. 'none': all 1.
 */
export function classWeights(counts: readonly number[], mode: 'none' | 'auto'): number[] {
  if (mode === 'none') return counts.map(() => 1);
  const n = counts.reduce((a, b) => a + b, 0);
  const present = counts.filter((c) => c > 0).length;
  return counts.map((c) => (c > 0 ? n / (present * c) : 0));
}
