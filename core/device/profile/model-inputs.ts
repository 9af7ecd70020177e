/**
 * Inputs for measuring a bare model (no data comes with a .tflite): seeded random values over the
 * input type's whole range (mulberry32), int8 for int8 models and [-1, 1) floats otherwise.
 * A plain C kernel's instruction count does not depend on the values, except through branches
 * (ReLU clamps, max pooling), so these are representative for latency.
 */
import { elementCount, type ModelIR } from '../../model/ir.js';
import { seededRandom } from '../../util/seeded-random.js';

export function randomModelInputs(model: ModelIR, count: number, seed = 2024): { quantized?: Int8Array[]; windows?: Float32Array[] } {
  const t = model.tensors[model.inputs[0]!]!;
  const n = elementCount(t.shape);
  const next = seededRandom(seed);
  if (t.dtype === 'int8') return { quantized: Array.from({ length: count }, () => Int8Array.from({ length: n }, () => Math.floor(next() * 256) - 128)) };
  return { windows: Array.from({ length: count }, () => Float32Array.from({ length: n }, () => next() * 2 - 1)) };
}
