/**
 * SOFTMAX over the last dimension. The int8 kernel is TFLite Micro's reference int8 softmax:
 * input differences to the row maximum are scaled by β × input scale into Q5.26, exponentiated
 * in fixed point (gemmlowp exp_on_negative_values), summed in Q12.19, and each exp is multiplied
 * by the fixed-point reciprocal of the sum; the output has scale 1/256 and zero point −128.
 * Twin C: softmax_s8.c and softmax_f32.c.
 */
import { elementCount, type ModelIR, type Rounding, type SoftmaxOp } from '../ir.js';
import {
  clamp,
  expOnNegativeValues,
  greaterThanOneRequantizer,
  usesSingleRounding,
  quantizeMultiplier,
  reciprocal,
  rescale,
  roundingDivideByPOT,
  saturatingRoundingDoublingHighMul,
} from './fixed-point.js';
import { roundingOf, scaleOf, zeroPointOf } from './quant-params.js';

/** Integer bits of the scaled input differences (Q5.26) and of the sum of exps (Q12.19), as TFLite. */
const SCALED_DIFF_INTEGER_BITS = 5;
const ACCUMULATION_INTEGER_BITS = 12;

export interface SoftmaxFloatParams {
  readonly rows: number;
  readonly depth: number;
  readonly beta: number;
}

export interface SoftmaxInt8Params {
  readonly rows: number;
  readonly depth: number;
  readonly inputMultiplier: number;
  readonly inputLeftShift: number;
  /** Differences below this (very negative) contribute exp = 0. */
  readonly diffMin: number;
  readonly rounding: Rounding;
}

function rowsAndDepth(model: ModelIR, op: SoftmaxOp): { rows: number; depth: number } {
  const shape = model.tensors[op.inputs[0]!]!.shape;
  const depth = shape[shape.length - 1]!;
  return { rows: elementCount(shape) / depth, depth };
}

export function prepareSoftmaxFloat(model: ModelIR, op: SoftmaxOp): SoftmaxFloatParams {
  return { ...rowsAndDepth(model, op), beta: op.beta };
}

/** TFLite PreprocessSoftmaxScaling + CalculateInputRadius (double arithmetic, β read as float32; single rounding caps the multiplier at 2^30 − 1). */
export function prepareSoftmaxInt8(model: ModelIR, op: SoftmaxOp): SoftmaxInt8Params {
  const input = model.tensors[op.inputs[0]!]!;
  const output = model.tensors[op.outputs[0]!]!;
  if (zeroPointOf(output) !== -128 || scaleOf(output) !== 1 / 256) {
    throw new Error(`softmax output '${output.name}' must have scale 1/256 and zero point -128 (has ${scaleOf(output)}, ${zeroPointOf(output)})`);
  }
  const rounding = roundingOf(model);
  const maxReal = usesSingleRounding(rounding) ? 2 ** 30 - 1 : 2 ** 31 - 1;
  const real = Math.min(Math.fround(op.beta) * scaleOf(input) * 2 ** (31 - SCALED_DIFF_INTEGER_BITS), maxReal);
  const q = quantizeMultiplier(real, rounding);
  const maxInputRescaled = ((2 ** SCALED_DIFF_INTEGER_BITS - 1) * 2 ** (31 - SCALED_DIFF_INTEGER_BITS)) / 2 ** q.shift;
  return { ...rowsAndDepth(model, op), inputMultiplier: q.multiplier, inputLeftShift: q.shift, diffMin: -Math.floor(maxInputRescaled), rounding };
}

export function softmaxFloat(p: SoftmaxFloatParams, input: Float32Array, output: Float32Array): void {
  for (let r = 0; r < p.rows; r++) {
    const base = r * p.depth;
    let max = -Infinity;
    for (let c = 0; c < p.depth; c++) max = Math.max(max, input[base + c]!);
    let sum = 0;
    for (let c = 0; c < p.depth; c++) sum += Math.exp((input[base + c]! - max) * p.beta);
    for (let c = 0; c < p.depth; c++) output[base + c] = Math.exp((input[base + c]! - max) * p.beta) / sum;
  }
}

export function softmaxInt8(p: SoftmaxInt8Params, input: Int8Array, output: Int8Array): void {
  const scaleDiff = greaterThanOneRequantizer(p.rounding);
  const expOfDiff = (diff: number): number => expOnNegativeValues(scaleDiff(diff, p.inputMultiplier, p.inputLeftShift), SCALED_DIFF_INTEGER_BITS);
  for (let r = 0; r < p.rows; r++) {
    const base = r * p.depth;
    let max = -128;
    for (let c = 0; c < p.depth; c++) max = Math.max(max, input[base + c]!);
    let sumOfExps = 0; // Q12.19
    for (let c = 0; c < p.depth; c++) {
      const diff = input[base + c]! - max;
      if (diff >= p.diffMin) sumOfExps = (sumOfExps + rescale(expOfDiff(diff), 0, ACCUMULATION_INTEGER_BITS)) | 0;
    }
    const { raw: scale, bitsOverUnit } = reciprocal(sumOfExps, ACCUMULATION_INTEGER_BITS);
    for (let c = 0; c < p.depth; c++) {
      const diff = input[base + c]! - max;
      if (diff >= p.diffMin) {
        const unsaturated = roundingDivideByPOT(saturatingRoundingDoublingHighMul(scale, expOfDiff(diff)), bitsOverUnit + 31 - 8);
        output[base + c] = clamp(unsaturated - 128, -128, 127);
      } else output[base + c] = -128;
    }
  }
}
