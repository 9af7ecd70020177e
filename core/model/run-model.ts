/**
 * Running a model IR on the reference interpreter, one input at a time:
 * - `createRawRunner`: inputs and outputs in the model's own types (int8 values for an int8
 *   model), as the official runtimes and the generated C take them;
 * - `createRunner`: float in, float out — an int8 model's input is quantized with its params and
 *   its output dequantized, as the pipeline scores windows.
 */
import { compileModel, type Values } from './interpret/compile.js';
import type { ModelIR, TensorInfo } from './ir.js';
import { dequantizeValue, quantizeValue } from './kernels/data-movement.js';
import { scaleOf, zeroPointOf } from './kernels/quant-params.js';

export type { Values } from './interpret/compile.js';

/** One inference on the model's first input; returns a copy of its first output, in the model's types. */
export function createRawRunner(model: ModelIR): (input: ArrayLike<number>) => Values {
  const compiled = compileModel(model);
  return (input) => compiled.run([input])[0]!.slice();
}

/** float32 window → float32 scores, whatever the model's types. */
export function createRunner(model: ModelIR): (input: Float32Array) => Float32Array {
  const raw = createRawRunner(model);
  const input = model.tensors[model.inputs[0]!]!;
  const output = model.tensors[model.outputs[0]!]!;
  return (x) => {
    const y = raw(input.dtype === 'int8' ? quantizeInput(model, x) : x);
    return output.dtype === 'int8' ? dequantize(output, y) : (y as Float32Array);
  };
}

/** A float window quantized with the model input's params (TFLite's AffineQuantize). */
export function quantizeInput(model: ModelIR, x: ArrayLike<number>): Int8Array {
  const t = model.tensors[model.inputs[0]!]!;
  const scale = scaleOf(t);
  const zp = zeroPointOf(t);
  return Int8Array.from(x, (v) => quantizeValue(v, scale, zp));
}

/** int8 values of a tensor back to float: scale × (q − zeroPoint). */
export function dequantize(t: TensorInfo, q: ArrayLike<number>): Float32Array {
  const scale = scaleOf(t);
  const zp = zeroPointOf(t);
  return Float32Array.from(q as ArrayLike<number>, (v) => dequantizeValue(v, scale, zp));
}
