/**
 * Sums of int8 weights per output channel, for the integer kernels' `offset × Σ w` term; computed
 * once per weights array (constant tensors keep their typed array for the life of a compiled model).
 */
const rows = new WeakMap<Int8Array, Float64Array>();
const columns = new WeakMap<Int8Array, Float64Array>();

/** Σ of each of `count` consecutive rows ([count, …] weights: conv, fully connected). */
export function rowSums(weights: Int8Array, count: number): Float64Array {
  let sums = rows.get(weights);
  if (!sums || sums.length !== count) {
    sums = new Float64Array(count);
    const n = weights.length / count;
    for (let r = 0; r < count; r++) for (let i = 0; i < n; i++) sums[r] = sums[r]! + weights[r * n + i]!;
    rows.set(weights, sums);
  }
  return sums;
}

/** Σ of each of `count` interleaved columns ([…, count] weights: depthwise). */
export function columnSums(weights: Int8Array, count: number): Float64Array {
  let sums = columns.get(weights);
  if (!sums || sums.length !== count) {
    sums = new Float64Array(count);
    for (let i = 0; i < weights.length; i++) sums[i % count] = sums[i % count]! + weights[i]!;
    columns.set(weights, sums);
  }
  return sums;
}
