/**
 * ADD of two int8 tensors (TFLite's AddElementwise arithmetic): each input + its offset, shifted
 * left by 20, rescaled to twice the larger input scale; the sum rescaled to the output. Each of the
 * three rescalings is chosen at generation time: a shift of 0 is one high multiply
 * (nn_high_mul, the same for both roundings), a shift in −31…−1 with the values' proven bound is
 * nn_requantize, anything else fixed_point.h's generic form.
 */
import type { AddOp, ModelIR } from '../../../../core/model/ir.js';
import { prepareAddInt8 } from '../../../../core/model/kernels/add.js';
import type { CallContext } from '../kernel-calls.js';
import { boundsComment, FAST_REQUANT_BOUND, outputExpr, plus, simdFiles } from './common.js';
import type { OptimizedCall } from './index.js';

/** C of x × multiplier × 2^shift / 2^31 as fp_multiply_by_quantized_multiplier_smaller_than_one computes it, for |x| ≤ bound. */
function rescale(x: string, multiplier: number, shift: number, bound: number): string {
  if (multiplier >= 0 && bound <= FAST_REQUANT_BOUND) {
    if (shift === 0) return `nn_high_mul(${x}, ${multiplier})`;
    if (shift <= -1 && shift >= -31) return `nn_requantize(${x}, ${multiplier}, ${-shift})`;
  }
  return `fp_multiply_by_quantized_multiplier_smaller_than_one(${x}, ${multiplier}, ${shift})`;
}

/** A bound of |x × multiplier × 2^shift / 2^31| (+1 for the rounding). */
function scaledBound(bound: number, multiplier: number, shift: number): number {
  return Math.ceil((bound * multiplier * 2 ** shift) / 2 ** 31) + 1;
}

export function addCall(ctx: CallContext, op: AddOp, model: ModelIR): OptimizedCall {
  const { prefix } = ctx;
  const p = prepareAddInt8(model, op);
  const scale = 2 ** p.leftShift;
  const in1 = (128 + Math.abs(p.input1Offset)) * scale;
  const in2 = (128 + Math.abs(p.input2Offset)) * scale;
  const sum = scaledBound(in1, p.input1Multiplier, p.input1Shift) + scaledBound(in2, p.input2Multiplier, p.input2Shift);
  const fn = `/*
 * ${prefix}: ADD (optimized kernel, nn_simd.h) of ${p.size} int8 values: (a${plus(p.input1Offset)}) and (b${plus(p.input2Offset)}), each · 2^${p.leftShift} and
 * rescaled, summed, rescaled to the output (offset ${p.outputOffset}, ${boundsComment(p.actMin, p.actMax)}).
 */
NN_NOINLINE static void ${prefix}_add(const int8_t *a, const int8_t *b, int8_t *output) {
  int32_t i;
  for (i = 0; i < ${p.size}; i++) {
    const int32_t x1 = ${rescale(`(a[i]${plus(p.input1Offset)}) * ${scale}`, p.input1Multiplier, p.input1Shift, in1)};
    const int32_t x2 = ${rescale(`(b[i]${plus(p.input2Offset)}) * ${scale}`, p.input2Multiplier, p.input2Shift, in2)};
    output[i] = ${outputExpr(rescale('x1 + x2', p.outputMultiplier, p.outputShift, sum), p.outputOffset, p.actMin, p.actMax)};
  }
}`;
  return {
    definitions: [fn],
    call: `${prefix}_add(${ctx.tensor(op.inputs[0]!)}, ${ctx.tensor(op.inputs[1]!)}, ${ctx.tensor(op.outputs[0]!)});`,
    files: simdFiles(),
  };
}
