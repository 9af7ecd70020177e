/**
 * ADD of two tensors of the same shape. The int8 kernel is TFLite Micro's reference AddElementwise:
 * both inputs are shifted left by 20 bits, rescaled to twice the larger input scale, summed, and
 * the sum rescaled to the output. Twin C: add_s8.c and add_f32.c.
 *
 * Under rounding 'xnnpack' (no C twin: for comparing with desktop TFLite) it is XNNPACK's qs8 add:
 * each input times a multiplier of at most 21 bits, summed with one bias, one rounding shift.
 */
import { elementCount, type AddOp, type ModelIR, type Rounding } from '../ir.js';
import { clamp, frexp, quantizeMultiplier, roundHalfToEven, smallerThanOneRequantizer } from './fixed-point.js';
import { floatActivationRange, int8ActivationRange, roundingOf, scaleOf, zeroPointOf } from './quant-params.js';

/** TFLite's left shift of int8 ADD inputs (15 for int16). */
const ADD_LEFT_SHIFT = 20;

export interface AddFloatParams {
  readonly size: number;
  readonly actMin: number;
  readonly actMax: number;
}

export interface AddInt8Params {
  readonly size: number;
  readonly leftShift: number;
  readonly input1Offset: number;
  readonly input2Offset: number;
  readonly outputOffset: number;
  readonly input1Multiplier: number;
  readonly input1Shift: number;
  readonly input2Multiplier: number;
  readonly input2Shift: number;
  readonly outputMultiplier: number;
  readonly outputShift: number;
  readonly actMin: number;
  readonly actMax: number;
  readonly rounding: Rounding;
  /** Under rounding 'xnnpack', where XNNPACK takes the op: its parameters, used instead of the ones above. */
  readonly xnnpack?: XnnpackAddParams;
}

/** XNNPACK's qs8 add: output = ((bias + a·aMultiplier + b·bMultiplier) >> shift) + output zero point. */
export interface XnnpackAddParams {
  readonly aMultiplier: number;
  readonly bMultiplier: number;
  /** 2^(shift−1) (the rounding) − a zero point·aMultiplier − b zero point·bMultiplier. */
  readonly bias: number;
  readonly shift: number;
}

/** Each input-to-output scale ratio must lie in [2^-10, 2^8); outside it the delegate leaves the op to TFLite. */
const XNNPACK_ADD_MIN_RATIO = 2 ** -10;
const XNNPACK_ADD_MAX_RATIO = 2 ** 8;
/** Bits of the larger multiplier. */
const XNNPACK_ADD_MULTIPLIER_BITS = 20;

/**
 * XNNPACK's parameters for scales a, b → output: the ratios a/output and b/output in float32; a shift
 * that puts the larger ratio in [2^20, 2^21); each multiplier that ratio × 2^shift rounded to
 * nearest (ties to even, lrintf).
 */
export function xnnpackAddParams(aScale: number, bScale: number, outputScale: number, aZeroPoint: number, bZeroPoint: number): XnnpackAddParams | undefined {
  const f = Math.fround;
  const aRatio = f(f(aScale) / f(outputScale));
  const bRatio = f(f(bScale) / f(outputScale));
  const inRange = (r: number) => r >= XNNPACK_ADD_MIN_RATIO && r < XNNPACK_ADD_MAX_RATIO;
  if (!inRange(aRatio) || !inRange(bRatio)) return undefined;
  const largerExponent = frexp(Math.max(aRatio, bRatio)).exponent - 1; // floor(log2), exactly
  const shift = XNNPACK_ADD_MULTIPLIER_BITS - largerExponent;
  const aMultiplier = roundHalfToEven(aRatio * 2 ** shift);
  const bMultiplier = roundHalfToEven(bRatio * 2 ** shift);
  return { aMultiplier, bMultiplier, bias: 2 ** (shift - 1) - aMultiplier * aZeroPoint - bMultiplier * bZeroPoint, shift };
}

function sizeOf(model: ModelIR, op: AddOp): number {
  const [a, b] = [model.tensors[op.inputs[0]!]!, model.tensors[op.inputs[1]!]!];
  if (elementCount(a.shape) !== elementCount(b.shape)) throw new Error(`add '${model.tensors[op.outputs[0]!]!.name}': inputs of different sizes (broadcasting is not supported)`);
  return elementCount(a.shape);
}

export function prepareAddFloat(model: ModelIR, op: AddOp): AddFloatParams {
  const act = floatActivationRange(op.activation);
  return { size: sizeOf(model, op), actMin: act.min, actMax: act.max };
}

export function prepareAddInt8(model: ModelIR, op: AddOp): AddInt8Params {
  const [a, b] = [model.tensors[op.inputs[0]!]!, model.tensors[op.inputs[1]!]!];
  const output = model.tensors[op.outputs[0]!]!;
  const rounding = roundingOf(model);
  const twiceMaxInputScale = 2 * Math.max(scaleOf(a), scaleOf(b));
  const m1 = quantizeMultiplier(scaleOf(a) / twiceMaxInputScale, rounding);
  const m2 = quantizeMultiplier(scaleOf(b) / twiceMaxInputScale, rounding);
  const mOut = quantizeMultiplier(twiceMaxInputScale / (2 ** ADD_LEFT_SHIFT * scaleOf(output)), rounding);
  const act = int8ActivationRange(op.activation, output);
  return {
    size: sizeOf(model, op),
    leftShift: ADD_LEFT_SHIFT,
    input1Offset: -zeroPointOf(a),
    input2Offset: -zeroPointOf(b),
    outputOffset: zeroPointOf(output),
    input1Multiplier: m1.multiplier,
    input1Shift: m1.shift,
    input2Multiplier: m2.multiplier,
    input2Shift: m2.shift,
    outputMultiplier: mOut.multiplier,
    outputShift: mOut.shift,
    actMin: act.min,
    actMax: act.max,
    rounding,
    xnnpack: rounding === 'xnnpack' ? xnnpackAddParams(scaleOf(a), scaleOf(b), scaleOf(output), zeroPointOf(a), zeroPointOf(b)) : undefined,
  };
}

export function addFloat(p: AddFloatParams, a: Float32Array, b: Float32Array, output: Float32Array): void {
  for (let i = 0; i < p.size; i++) output[i] = clamp(Math.fround(a[i]! + b[i]!), p.actMin, p.actMax);
}

export function addInt8(p: AddInt8Params, a: Int8Array, b: Int8Array, output: Int8Array): void {
  if (p.xnnpack) return addInt8Xnnpack(p, p.xnnpack, a, b, output);
  const scale = 2 ** p.leftShift; // the shifted int8 values are < 2^28: no wrap-around
  const requantize = smallerThanOneRequantizer(p.rounding);
  for (let i = 0; i < p.size; i++) {
    const x1 = requantize((a[i]! + p.input1Offset) * scale, p.input1Multiplier, p.input1Shift);
    const x2 = requantize((b[i]! + p.input2Offset) * scale, p.input2Multiplier, p.input2Shift);
    const raw = requantize((x1 + x2) | 0, p.outputMultiplier, p.outputShift) + p.outputOffset;
    output[i] = clamp(raw, p.actMin, p.actMax);
  }
}

/** |bias + a·aMultiplier + b·bMultiplier| < 2^30 (multipliers < 2^21, |int8| ≤ 128): exact int32, an arithmetic shift. */
function addInt8Xnnpack(p: AddInt8Params, x: XnnpackAddParams, a: Int8Array, b: Int8Array, output: Int8Array): void {
  for (let i = 0; i < p.size; i++) {
    const acc = x.bias + a[i]! * x.aMultiplier + b[i]! * x.bMultiplier;
    output[i] = clamp((acc >> x.shift) + p.outputOffset, p.actMin, p.actMax);
  }
}
