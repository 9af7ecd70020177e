import { ImpulseError } from '../errors/impulse-error.js';
import { rowSize, type TensorSet } from './types.js';

/**
 * Features of several DSP blocks for the same windows, side by side. One set keeps its shape;
 * several are flattened and concatenated per row (shape [sum of row sizes]).
 */
export function concatFeatures(sets: readonly TensorSet[]): TensorSet {
  if (sets.length === 1) return sets[0]!;
  const first = sets[0]!;
  for (const s of sets) {
    if (s.rows.length !== first.rows.length) {
      throw new ImpulseError({ code: 'E_GRAPH_ROWS', message: `cannot concatenate features with ${s.rows.length} and ${first.rows.length} rows`, hint: 'Every DSP block a learn block reads must see the same windows.' });
    }
  }
  const sizes = sets.map((s) => rowSize(s.shape));
  const total = sizes.reduce((a, b) => a + b, 0);
  const n = first.rows.length;
  const data = new Float32Array(n * total);
  for (let i = 0; i < n; i++) {
    let off = i * total;
    sets.forEach((s, k) => {
      data.set(s.data.subarray(i * sizes[k]!, (i + 1) * sizes[k]!), off);
      off += sizes[k]!;
    });
  }
  return { kind: 'features', shape: [total], rows: first.rows, labels: first.labels, data, attrs: { blocks: sets.map((s) => s.attrs['block']) } };
}

/** Only the rows of one split (a copy). */
export function rowsOfSplit(set: TensorSet, split: 'training' | 'testing'): TensorSet {
  const idx = set.rows.flatMap((r, i) => (r.split === split ? [i] : []));
  const n = rowSize(set.shape);
  const data = new Float32Array(idx.length * n);
  idx.forEach((src, dst) => data.set(set.data.subarray(src * n, (src + 1) * n), dst * n));
  return { ...set, rows: idx.map((i) => set.rows[i]!), data };
}
