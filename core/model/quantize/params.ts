/**
 * int8 quantization parameters per the TFLite quantization spec: asymmetric per-tensor
 * activations (zero point in [-128, 127] representing 0.0 exactly), symmetric weights in
 * [-127, 127] (zero point 0), int32 biases with scale = input scale × weight scale.
 */
import type { Quantization } from '../ir.js';
import type { Range } from './ranges.js';
import { withZero } from './ranges.js';

/** Params of an int8 activation covering `range` (widened to include 0). */
export function activationParams(range: Range): Quantization {
  const { min, max } = withZero(range);
  if (max - min < 1e-30) return { scale: [1], zeroPoint: [0], axis: 0 };
  const scale = Math.fround((max - min) / 255);
  const zeroPoint = Math.max(-128, Math.min(127, Math.round(-128 - min / scale)));
  return { scale: [scale], zeroPoint: [zeroPoint], axis: 0 };
}

/**
 * Symmetric int8 weights, per channel along `axis` (or per tensor when `axis` is undefined).
 * Returns the quantized values and their params.
 */
export function quantizeWeights(values: Float32Array, shape: readonly number[], axis: number | undefined): { data: Int8Array; quant: Quantization } {
  const channels = axis === undefined ? 1 : shape[axis]!;
  const inner = axis === undefined ? 1 : shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const channelOf = (i: number) => (axis === undefined ? 0 : Math.floor(i / inner) % channels);
  const maxAbs = new Float64Array(channels);
  values.forEach((v, i) => {
    const c = channelOf(i);
    maxAbs[c] = Math.max(maxAbs[c]!, Math.abs(v));
  });
  // A channel of zeros still needs a positive scale (runtimes divide by it).
  const scale = Array.from(maxAbs, (m) => Math.fround(m > 0 ? m / 127 : 1));
  const data = Int8Array.from(values, (v, i) => Math.max(-127, Math.min(127, Math.round(v / scale[channelOf(i)]!))));
  return { data, quant: { scale, zeroPoint: scale.map(() => 0), axis: axis ?? 0 } };
}

/** int32 bias with scale input × weight (per weight channel when the weights are per channel). */
export function quantizeBias(values: Float32Array, inputScale: number, weightScales: readonly number[]): { data: Int32Array; quant: Quantization } {
  // float32, as a .tflite file stores it
  const scale = weightScales.map((s) => Math.fround(inputScale * s));
  const scaleOf = (i: number) => scale[scale.length === 1 ? 0 : i]!;
  const data = Int32Array.from(values, (v, i) => Math.max(-2147483647, Math.min(2147483647, Math.round(v / scaleOf(i)))));
  return { data, quant: { scale, zeroPoint: scale.map(() => 0), axis: 0 } };
}
