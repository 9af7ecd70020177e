/**
 * Shapes and padding of windowed ops (conv, depthwise, pooling) as TFLite computes them:
 * 'same' pads so that out = ceil(in / stride), the extra row/column going after (bottom/right);
 * 'valid' does not pad. Out-of-image taps are skipped by the kernels (which equals zero padding for
 * float and zero-point padding for int8, and makes average pools count only real taps).
 */
import type { Padding } from '../ir.js';

export interface WindowGeometry {
  readonly inH: number;
  readonly inW: number;
  readonly outH: number;
  readonly outW: number;
  readonly kH: number;
  readonly kW: number;
  readonly strideH: number;
  readonly strideW: number;
  readonly dilationH: number;
  readonly dilationW: number;
  readonly padTop: number;
  readonly padLeft: number;
}

/** TFLite ComputeOutSize. */
export function outputSize(padding: Padding, inSize: number, filter: number, stride: number, dilation: number): number {
  const effective = (filter - 1) * dilation + 1;
  return padding === 'same' ? Math.floor((inSize + stride - 1) / stride) : Math.floor((inSize + stride - effective) / stride);
}

/** TFLite ComputePadding: the padding before (top or left). */
export function paddingBefore(inSize: number, filter: number, stride: number, dilation: number, outSize: number): number {
  const effective = (filter - 1) * dilation + 1;
  const total = (outSize - 1) * stride + effective - inSize;
  return Math.max(0, Math.trunc(total / 2));
}

export function windowGeometry(
  input: readonly number[],
  kernel: readonly [number, number],
  stride: readonly [number, number],
  dilation: readonly [number, number],
  padding: Padding,
): WindowGeometry {
  const [, inH, inW] = input as [number, number, number, number];
  const [kH, kW] = kernel;
  const [strideH, strideW] = stride;
  const [dilationH, dilationW] = dilation;
  const outH = outputSize(padding, inH, kH, strideH, dilationH);
  const outW = outputSize(padding, inW, kW, strideW, dilationW);
  return {
    inH,
    inW,
    outH,
    outW,
    kH,
    kW,
    strideH,
    strideW,
    dilationH,
    dilationW,
    padTop: padding === 'same' ? paddingBefore(inH, kH, strideH, dilationH, outH) : 0,
    padLeft: padding === 'same' ? paddingBefore(inW, kW, strideW, dilationW, outW) : 0,
  };
}
