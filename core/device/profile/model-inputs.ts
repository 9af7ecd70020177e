/**
 * Inputs for measuring a bare model (no data comes with a .tflite): seeded random values over the
 * input type's whole range (mulberry32), int8 for int8 models and [-1, 1) floats otherwise.
 * A plain C kernel's instruction count does not depend on the values, except through branches
 * (ReLU clamps, max pooling), so these are representative for latency.
 */
import { elementCount, type ModelIR } from '../../model/ir.js';

function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

export function randomModelInputs(model: ModelIR, count: number, seed = 2024): { quantized?: Int8Array[]; windows?: Float32Array[] } {
  const t = model.tensors[model.inputs[0]!]!;
  const n = elementCount(t.shape);
  const next = mulberry32(seed);
  if (t.dtype === 'int8') return { quantized: Array.from({ length: count }, () => Int8Array.from({ length: n }, () => Math.floor(next() * 256) - 128)) };
  return { windows: Array.from({ length: count }, () => Float32Array.from({ length: n }, () => next() * 2 - 1)) };
}
