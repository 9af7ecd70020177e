/**
 * FULLY_CONNECTED: output[r, o] = Σ_i input[r, i] × weights[o, i] + bias[o], for each of the rows
 * the input flattens to (inUnits = weights' second dimension). The int8 kernel follows TFLite
 * Micro's reference FullyConnected: one multiplier for the layer (per-tensor weights), or one per
 * output unit when the weights are quantized per channel. The float kernel accumulates in float32
 * from the bias, in input order, rounding as the C twin does.
 * Twin C: fully_connected_s8.c and fully_connected_f32.c.
 */
import { elementCount, isPerChannel, type FullyConnectedOp, type ModelIR, type Rounding } from '../ir.js';
import { clamp, requantizer } from './fixed-point.js';
import { rowSums } from './weight-sums.js';
import { channelRequantizer, floatActivationRange, fullyConnectedRequantization, int8ActivationRange, perChannelMultipliers, roundingOf, zeroPointOf, type ChannelRequantization } from './quant-params.js';

export interface FullyConnectedShape {
  readonly rows: number;
  readonly inUnits: number;
  readonly outUnits: number;
}

export interface FullyConnectedFloatParams extends FullyConnectedShape {
  readonly actMin: number;
  readonly actMax: number;
}

/** Requantization: one for the layer, or one per output unit. */
export interface FullyConnectedInt8Params extends FullyConnectedShape, ChannelRequantization {
  readonly inputOffset: number;
  /** −weights zero point (0 for the symmetric weights of the spec; kept for imported models). */
  readonly filterOffset: number;
  readonly outputOffset: number;
  readonly actMin: number;
  readonly actMax: number;
}

export function fullyConnectedShape(model: ModelIR, op: FullyConnectedOp): FullyConnectedShape {
  const [outUnits, inUnits] = model.tensors[op.inputs[1]!]!.shape as [number, number];
  return { rows: elementCount(model.tensors[op.inputs[0]!]!.shape) / inUnits, inUnits, outUnits };
}

export function prepareFullyConnectedFloat(model: ModelIR, op: FullyConnectedOp): FullyConnectedFloatParams {
  const act = floatActivationRange(op.activation);
  return { ...fullyConnectedShape(model, op), actMin: act.min, actMax: act.max };
}

export function prepareFullyConnectedInt8(model: ModelIR, op: FullyConnectedOp): FullyConnectedInt8Params {
  const [input, filter] = [model.tensors[op.inputs[0]!]!, model.tensors[op.inputs[1]!]!];
  const output = model.tensors[op.outputs[0]!]!;
  const shape = fullyConnectedShape(model, op);
  const act = int8ActivationRange(op.activation, output);
  const rounding = roundingOf(model);
  const requant = isPerChannel(filter) ? perChannelMultipliers(input, filter, output, shape.outUnits, rounding) : fullyConnectedRequantization(input, filter, output, rounding);
  return { ...shape, inputOffset: -zeroPointOf(input), filterOffset: -zeroPointOf(filter), outputOffset: zeroPointOf(output), actMin: act.min, actMax: act.max, ...requant };
}

export function fullyConnectedFloat(p: FullyConnectedFloatParams, input: Float32Array, weights: Float32Array, bias: Float32Array | undefined, output: Float32Array): void {
  const f = Math.fround;
  for (let r = 0; r < p.rows; r++) {
    const inBase = r * p.inUnits;
    for (let o = 0; o < p.outUnits; o++) {
      const wBase = o * p.inUnits;
      let acc = bias ? bias[o]! : 0;
      for (let i = 0; i < p.inUnits; i++) acc = f(acc + f(input[inBase + i]! * weights[wBase + i]!));
      output[r * p.outUnits + o] = clamp(acc, p.actMin, p.actMax);
    }
  }
}

export function fullyConnectedInt8(p: FullyConnectedInt8Params, input: Int8Array, weights: Int8Array, bias: Int32Array | undefined, output: Int8Array): void {
  const { rows, inUnits, outUnits, inputOffset, filterOffset, outputOffset, actMin, actMax } = p;
  const perUnit = p.multipliers.length > 1;
  const requantize = channelRequantizer(p);
  // Σ (w + fo)(x + io) = Σ w·x + io·Σ w + fo·Σ x + n·fo·io: a plain dot product in the loop.
  const weightSum = rowSums(weights, outUnits);
  for (let r = 0; r < rows; r++) {
    const inBase = r * inUnits;
    let inputSum = 0;
    if (filterOffset !== 0) for (let i = 0; i < inUnits; i++) inputSum += input[inBase + i]!;
    for (let o = 0; o < outUnits; o++) {
      const wBase = o * inUnits;
      let dot = 0;
      for (let i = 0; i < inUnits; i++) dot += weights[wBase + i]! * input[inBase + i]!;
      let acc = dot + inputOffset * weightSum[o]! + filterOffset * inputSum + inUnits * filterOffset * inputOffset;
      if (bias) acc += bias[o]!;
      const k = perUnit ? o : 0;
      acc = requantize(acc | 0, k) + outputOffset;
      output[r * outUnits + o] = acc < actMin ? actMin : acc > actMax ? actMax : acc;
    }
  }
}
