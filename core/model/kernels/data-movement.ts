/**
 * Ops that move values without arithmetic on them (or with only a requantization): RESHAPE (a
 * copy: the layout is unchanged), CONCATENATION along any axis, PAD with zero (or the zero point),
 * and QUANTIZE / DEQUANTIZE. Twin C: data_movement.c and quantize.c.
 */
import { elementCount, type ConcatOp, type ModelIR, type PadOp, type QuantizeOp, type Rounding } from '../ir.js';
import { clamp, requantizer, roundHalfAwayFromZero } from './fixed-point.js';
import { requantizeMultiplier, roundingOf, scaleOf, zeroPointOf } from './quant-params.js';

type Values = Float32Array | Int8Array;

export interface ConcatParams {
  /** Product of the dimensions before the axis. */
  readonly outer: number;
  /** Per input: its extent along the axis × the product of the dimensions after it. */
  readonly chunks: readonly number[];
  /** int8 inputs whose params differ from the output's are rescaled (TFLite's float formula); else undefined. */
  readonly rescale?: readonly ({ readonly scale: number; readonly bias: number; readonly outputZeroPoint: number } | undefined)[];
}

export function prepareConcat(model: ModelIR, op: ConcatOp): ConcatParams {
  const out = model.tensors[op.outputs[0]!]!;
  const axis = op.axis < 0 ? op.axis + out.shape.length : op.axis;
  const outer = elementCount(out.shape.slice(0, axis));
  const inner = elementCount(out.shape.slice(axis + 1));
  const inputs = op.inputs.map((t) => model.tensors[t]!);
  const chunks = inputs.map((t) => t.shape[axis]! * inner);
  if (out.dtype !== 'int8') return { outer, chunks };
  const rescale = inputs.map((t) => {
    if (scaleOf(t) === scaleOf(out) && zeroPointOf(t) === zeroPointOf(out)) return undefined;
    // TFLite ConcatenationWithScaling: round(q × s + b) + zp_out with s = in/out scale in float32.
    const scale = Math.fround(scaleOf(t) * Math.fround(1 / scaleOf(out)));
    return { scale, bias: Math.fround(-zeroPointOf(t) * scale), outputZeroPoint: zeroPointOf(out) };
  });
  return { outer, chunks, ...(rescale.some(Boolean) ? { rescale } : {}) };
}

export function concat(p: ConcatParams, inputs: readonly Values[], output: Values): void {
  const total = p.chunks.reduce((a, b) => a + b, 0);
  for (let o = 0; o < p.outer; o++) {
    let offset = o * total;
    inputs.forEach((x, k) => {
      const n = p.chunks[k]!;
      const from = o * n;
      const r = p.rescale?.[k];
      if (!r) output.set(x.subarray(from, from + n), offset);
      else for (let i = 0; i < n; i++) output[offset + i] = clamp(roundHalfAwayFromZero(Math.fround(Math.fround(x[from + i]! * r.scale) + r.bias)) + r.outputZeroPoint, -128, 127);
      offset += n;
    });
  }
}

export interface PadParams {
  readonly inShape: readonly number[];
  readonly outShape: readonly number[];
  readonly before: readonly number[];
  /** 0.0 for float, the zero point for int8. */
  readonly value: number;
}

export function preparePad(model: ModelIR, op: PadOp): PadParams {
  const input = model.tensors[op.inputs[0]!]!;
  const output = model.tensors[op.outputs[0]!]!;
  return { inShape: input.shape, outShape: output.shape, before: op.paddings.map((p) => p[0]), value: output.dtype === 'int8' ? zeroPointOf(output) : 0 };
}

export function pad(p: PadParams, input: Values, output: Values): void {
  output.fill(p.value);
  const rank = p.inShape.length;
  const inStrides = strides(p.inShape);
  const outStrides = strides(p.outShape);
  const n = elementCount(p.inShape);
  for (let i = 0; i < n; i++) {
    let o = 0;
    let rest = i;
    for (let d = 0; d < rank; d++) {
      const coord = Math.floor(rest / inStrides[d]!);
      rest -= coord * inStrides[d]!;
      o += (coord + p.before[d]!) * outStrides[d]!;
    }
    output[o] = input[i]!;
  }
}

function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    s[d] = acc;
    acc *= shape[d]!;
  }
  return s;
}

/** QUANTIZE float → int8 (TFLite AffineQuantize, float32 division) and int8 → int8 (Requantize); DEQUANTIZE int8 → float. */
export type QuantizeParams =
  | { readonly kind: 'quantize'; readonly size: number; readonly scale: number; readonly zeroPoint: number }
  | { readonly kind: 'requantize'; readonly size: number; readonly inputZeroPoint: number; readonly outputZeroPoint: number; readonly multiplier: number; readonly shift: number; readonly rounding: Rounding }
  | { readonly kind: 'dequantize'; readonly size: number; readonly scale: number; readonly zeroPoint: number };

export function prepareQuantize(model: ModelIR, op: QuantizeOp): QuantizeParams {
  const input = model.tensors[op.inputs[0]!]!;
  const output = model.tensors[op.outputs[0]!]!;
  const size = elementCount(input.shape);
  if (op.op === 'dequantize') return { kind: 'dequantize', size, scale: scaleOf(input), zeroPoint: zeroPointOf(input) };
  if (input.dtype === 'float32') return { kind: 'quantize', size, scale: scaleOf(output), zeroPoint: zeroPointOf(output) };
  const rounding = roundingOf(model);
  const m = requantizeMultiplier(input, output, rounding);
  return { kind: 'requantize', size, inputZeroPoint: zeroPointOf(input), outputZeroPoint: zeroPointOf(output), multiplier: m.multiplier, shift: m.shift, rounding };
}

/** One float → int8 value as TFLite quantizes it: round(x / scale) in float32, plus the zero point, saturated. NaN → the zero point. */
export function quantizeValue(x: number, scale: number, zeroPoint: number): number {
  if (Number.isNaN(x)) return zeroPoint;
  const q = roundHalfAwayFromZero(Math.fround(x / scale));
  return clamp(q + zeroPoint, -128, 127);
}

export function dequantizeValue(q: number, scale: number, zeroPoint: number): number {
  return Math.fround(scale * (q - zeroPoint));
}

export function quantize(p: QuantizeParams, input: Values, output: Values): void {
  const requantize = p.kind === 'requantize' ? requantizer(p.rounding) : undefined;
  for (let i = 0; i < p.size; i++) {
    const x = input[i]!;
    if (p.kind === 'quantize') output[i] = quantizeValue(x, p.scale, p.zeroPoint);
    else if (p.kind === 'dequantize') output[i] = dequantizeValue(x, p.scale, p.zeroPoint);
    else output[i] = clamp(requantize!(x - p.inputZeroPoint, p.multiplier, p.shift) + p.outputZeroPoint, -128, 127);
  }
}
