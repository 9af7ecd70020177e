/**
 * CONV_2D, NHWC, batch 1. Weights [outC, kH, kW, inC]; optional bias [outC] (float32, or int32 with
 * scale input × weight). The int8 kernel follows TFLite Micro's reference ConvPerChannel:
 * acc = bias[c] + Σ weight × (input − inputZeroPoint) over the taps inside the image, then
 * requantized per output channel and clamped to the fused activation's bounds. The float kernel
 * accumulates in float32 from the bias, tap by tap (rows, then columns, then input channels), each
 * product and sum rounded as the C twin rounds them, so the two agree bit for bit.
 * Twin C: conv2d_s8.c and conv2d_f32.c.
 */
import type { Conv2dOp, ModelIR, Rounding } from '../ir.js';
import { clamp, requantizer } from './fixed-point.js';
import { rowSums } from './weight-sums.js';
import { windowGeometry, type WindowGeometry } from './geometry.js';
import { channelRequantizer, floatActivationRange, int8ActivationRange, roundingOf, perChannelMultipliers, zeroPointOf, type ChannelRequantization } from './quant-params.js';

export interface Conv2dShape extends WindowGeometry {
  readonly inC: number;
  readonly outC: number;
}

export interface Conv2dFloatParams extends Conv2dShape {
  readonly actMin: number;
  readonly actMax: number;
}

/** Requantization per output channel. */
export interface Conv2dInt8Params extends Conv2dShape, ChannelRequantization {
  /** −input zero point. */
  readonly inputOffset: number;
  /** Output zero point. */
  readonly outputOffset: number;
  readonly actMin: number;
  readonly actMax: number;
}

export function conv2dShape(model: ModelIR, op: Conv2dOp): Conv2dShape {
  const input = model.tensors[op.inputs[0]!]!;
  const [outC, kH, kW, inC] = model.tensors[op.inputs[1]!]!.shape as [number, number, number, number];
  const g = windowGeometry(input.shape, [kH, kW], op.stride, op.dilation, op.padding);
  return { ...g, inC, outC };
}

export function prepareConv2dFloat(model: ModelIR, op: Conv2dOp): Conv2dFloatParams {
  const act = floatActivationRange(op.activation);
  return { ...conv2dShape(model, op), actMin: act.min, actMax: act.max };
}

export function prepareConv2dInt8(model: ModelIR, op: Conv2dOp): Conv2dInt8Params {
  const [input, filter] = [model.tensors[op.inputs[0]!]!, model.tensors[op.inputs[1]!]!];
  const output = model.tensors[op.outputs[0]!]!;
  const shape = conv2dShape(model, op);
  const act = int8ActivationRange(op.activation, output);
  const rounding = roundingOf(model);
  return { ...shape, inputOffset: -zeroPointOf(input), outputOffset: zeroPointOf(output), actMin: act.min, actMax: act.max, ...perChannelMultipliers(input, filter, output, shape.outC, rounding) };
}

export function conv2dFloat(p: Conv2dFloatParams, input: Float32Array, filter: Float32Array, bias: Float32Array | undefined, output: Float32Array): void {
  const f = Math.fround;
  for (let oy = 0; oy < p.outH; oy++) {
    const inY0 = oy * p.strideH - p.padTop;
    for (let ox = 0; ox < p.outW; ox++) {
      const inX0 = ox * p.strideW - p.padLeft;
      const outBase = (oy * p.outW + ox) * p.outC;
      for (let oc = 0; oc < p.outC; oc++) {
        let acc = bias ? bias[oc]! : 0;
        for (let ky = 0; ky < p.kH; ky++) {
          const iy = inY0 + ky * p.dilationH;
          if (iy < 0 || iy >= p.inH) continue;
          for (let kx = 0; kx < p.kW; kx++) {
            const ix = inX0 + kx * p.dilationW;
            if (ix < 0 || ix >= p.inW) continue;
            const inBase = (iy * p.inW + ix) * p.inC;
            const fBase = ((oc * p.kH + ky) * p.kW + kx) * p.inC;
            for (let ic = 0; ic < p.inC; ic++) acc = f(acc + f(input[inBase + ic]! * filter[fBase + ic]!));
          }
        }
        output[outBase + oc] = clamp(acc, p.actMin, p.actMax);
      }
    }
  }
}

export function conv2dInt8(p: Conv2dInt8Params, input: Int8Array, filter: Int8Array, bias: Int32Array | undefined, output: Int8Array): void {
  const requantize = channelRequantizer(p);
  const { inH, inW, inC, outH, outW, outC, kH, kW, strideH, strideW, dilationH, dilationW, padTop, padLeft, inputOffset, outputOffset, actMin, actMax } = p;
  // Σ w·(x + offset) = Σ w·x + offset·Σ w over the taps inside the image: the inner loop is a plain
  // dot product (integers, exact in any order); the weight sum of a whole window is precomputed.
  const windowSum = rowSums(filter, outC);
  for (let oy = 0; oy < outH; oy++) {
    const inY0 = oy * strideH - padTop;
    const kyStart = inY0 >= 0 ? 0 : Math.ceil(-inY0 / dilationH);
    const kyEnd = Math.min(kH, Math.ceil((inH - inY0) / dilationH));
    for (let ox = 0; ox < outW; ox++) {
      const inX0 = ox * strideW - padLeft;
      const kxStart = inX0 >= 0 ? 0 : Math.ceil(-inX0 / dilationW);
      const kxEnd = Math.min(kW, Math.ceil((inW - inX0) / dilationW));
      const whole = kyStart === 0 && kxStart === 0 && kyEnd === kH && kxEnd === kW;
      const outBase = (oy * outW + ox) * outC;
      for (let oc = 0; oc < outC; oc++) {
        let dot = 0;
        let weights = 0;
        for (let ky = kyStart; ky < kyEnd; ky++) {
          const inRow = (inY0 + ky * dilationH) * inW;
          const fRow = (oc * kH + ky) * kW;
          for (let kx = kxStart; kx < kxEnd; kx++) {
            const ib = (inRow + inX0 + kx * dilationW) * inC;
            const fb = (fRow + kx) * inC;
            for (let ic = 0; ic < inC; ic++) dot += filter[fb + ic]! * input[ib + ic]!;
            if (!whole) for (let ic = 0; ic < inC; ic++) weights += filter[fb + ic]!;
          }
        }
        let acc = dot + inputOffset * (whole ? windowSum[oc]! : weights);
        if (bias) acc += bias[oc]!;
        acc = requantize(acc | 0, oc) + outputOffset;
        output[outBase + oc] = acc < actMin ? actMin : acc > actMax ? actMax : acc;
      }
    }
  }
}
