/**
 * DEPTHWISE_CONV_2D, NHWC, batch 1. Weights [1, kH, kW, outC] with outC = inC × depthMultiplier;
 * output channel oc = ic × depthMultiplier + m reads input channel ic. The int8 kernel follows
 * TFLite Micro's reference DepthwiseConvPerChannel (per-output-channel requantization). The float
 * kernel accumulates in float32 from the bias, column by column and down each column — the order
 * of XNNPACK's depthwise kernels, which run float depthwise convolutions in the official TFLite
 * runtime: measured bit-identical there — and the C twin rounds alike.
 * Twin C: depthwise_conv2d_s8.c and depthwise_conv2d_f32.c.
 */
import type { DepthwiseConv2dOp, ModelIR, Rounding } from '../ir.js';
import { clamp, requantizer } from './fixed-point.js';
import { columnSums } from './weight-sums.js';
import { windowGeometry, type WindowGeometry } from './geometry.js';
import { channelRequantizer, floatActivationRange, int8ActivationRange, roundingOf, perChannelMultipliers, zeroPointOf, type ChannelRequantization } from './quant-params.js';

export interface DepthwiseShape extends WindowGeometry {
  readonly inC: number;
  readonly outC: number;
  readonly depthMultiplier: number;
}

export interface DepthwiseFloatParams extends DepthwiseShape {
  readonly actMin: number;
  readonly actMax: number;
}

/** Requantization per output channel. */
export interface DepthwiseInt8Params extends DepthwiseShape, ChannelRequantization {
  readonly inputOffset: number;
  readonly outputOffset: number;
  readonly actMin: number;
  readonly actMax: number;
}

export function depthwiseShape(model: ModelIR, op: DepthwiseConv2dOp): DepthwiseShape {
  const input = model.tensors[op.inputs[0]!]!;
  const [, kH, kW, outC] = model.tensors[op.inputs[1]!]!.shape as [number, number, number, number];
  const inC = input.shape[3]!;
  return { ...windowGeometry(input.shape, [kH, kW], op.stride, op.dilation, op.padding), inC, outC, depthMultiplier: outC / inC };
}

export function prepareDepthwiseFloat(model: ModelIR, op: DepthwiseConv2dOp): DepthwiseFloatParams {
  const act = floatActivationRange(op.activation);
  return { ...depthwiseShape(model, op), actMin: act.min, actMax: act.max };
}

export function prepareDepthwiseInt8(model: ModelIR, op: DepthwiseConv2dOp): DepthwiseInt8Params {
  const [input, filter] = [model.tensors[op.inputs[0]!]!, model.tensors[op.inputs[1]!]!];
  const output = model.tensors[op.outputs[0]!]!;
  const shape = depthwiseShape(model, op);
  const act = int8ActivationRange(op.activation, output);
  const rounding = roundingOf(model);
  return { ...shape, inputOffset: -zeroPointOf(input), outputOffset: zeroPointOf(output), actMin: act.min, actMax: act.max, ...perChannelMultipliers(input, filter, output, shape.outC, rounding) };
}

export function depthwiseFloat(p: DepthwiseFloatParams, input: Float32Array, filter: Float32Array, bias: Float32Array | undefined, output: Float32Array): void {
  const f = Math.fround;
  for (let oy = 0; oy < p.outH; oy++) {
    const inY0 = oy * p.strideH - p.padTop;
    for (let ox = 0; ox < p.outW; ox++) {
      const inX0 = ox * p.strideW - p.padLeft;
      const outBase = (oy * p.outW + ox) * p.outC;
      for (let ic = 0; ic < p.inC; ic++) {
        for (let m = 0; m < p.depthMultiplier; m++) {
          const oc = ic * p.depthMultiplier + m;
          let acc = bias ? bias[oc]! : 0;
          for (let kx = 0; kx < p.kW; kx++) {
            const ix = inX0 + kx * p.dilationW;
            if (ix < 0 || ix >= p.inW) continue;
            for (let ky = 0; ky < p.kH; ky++) {
              const iy = inY0 + ky * p.dilationH;
              if (iy < 0 || iy >= p.inH) continue;
              acc = f(acc + f(input[(iy * p.inW + ix) * p.inC + ic]! * filter[(ky * p.kW + kx) * p.outC + oc]!));
            }
          }
          output[outBase + oc] = clamp(acc, p.actMin, p.actMax);
        }
      }
    }
  }
}

export function depthwiseInt8(p: DepthwiseInt8Params, input: Int8Array, filter: Int8Array, bias: Int32Array | undefined, output: Int8Array): void {
  const requantize = channelRequantizer(p);
  const { inH, inW, inC, outH, outW, outC, depthMultiplier, kH, kW, strideH, strideW, dilationH, dilationW, padTop, padLeft, inputOffset, outputOffset, actMin, actMax } = p;
  // As conv2dInt8: a plain dot product, plus offset × the weights of the taps inside the image.
  const windowSum = columnSums(filter, outC);
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
      for (let ic = 0; ic < inC; ic++) {
        for (let m = 0; m < depthMultiplier; m++) {
          const oc = ic * depthMultiplier + m;
          let dot = 0;
          let weights = 0;
          for (let ky = kyStart; ky < kyEnd; ky++) {
            const inRow = (inY0 + ky * dilationH) * inW;
            for (let kx = kxStart; kx < kxEnd; kx++) {
              const w = filter[(ky * kW + kx) * outC + oc]!;
              dot += w * input[(inRow + inX0 + kx * dilationW) * inC + ic]!;
              weights += w;
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
}
