/**
 * Where an op's output may overlap its input in the arena: the smallest gap (bytes by which the
 * output must start below the input) such that the op's portable C kernel never writes a byte of
 * output over an input byte it still has to read. The kernels' access order decides it:
 * - windowed ops (conv, depthwise, pooling) write output pixels in raster order; within a pixel,
 *   channel by channel, each after reading that channel's taps (the taps of the pixel's later
 *   channels are still pending);
 * - element-wise ops (add, quantize, dequantize, softmax) write element e after reading it, and
 *   read nothing below e afterwards;
 * - hybrid ops copy their whole input into scratch first: any overlap is safe.
 * Fully connected, concatenation and pad read all or scattered input: no overlap.
 */
import { bytesPerElement, elementCount, type ModelIR, type Op } from '../../../core/model/ir.js';
import { windowGeometry } from '../../../core/model/kernels/geometry.js';

function activationInput(model: ModelIR, op: Op): number | undefined {
  return op.inputs.find((t) => t >= 0 && model.tensors[t]!.data === undefined);
}

/** Gap for a windowed op: pixels in raster order, `channels` output elements per pixel. */
function windowedGap(model: ModelIR, op: Op, kernel: readonly [number, number], stride: readonly [number, number], dilation: readonly [number, number], padding: 'same' | 'valid'): number {
  const x = model.tensors[op.inputs[0]!]!;
  const y = model.tensors[op.outputs[0]!]!;
  const g = windowGeometry(x.shape, kernel, stride, dilation, padding);
  const inC = x.shape[3]!;
  const outC = y.shape[y.shape.length - 1]!;
  const inB = bytesPerElement(x.dtype);
  const outB = bytesPerElement(y.dtype);
  const pixels = g.outH * g.outW;
  // lowest input byte read by pixel p (its first in-image tap, a lower bound), then suffix minima
  const suffixMin = new Float64Array(pixels + 1);
  suffixMin[pixels] = Infinity;
  for (let p = pixels - 1; p >= 0; p--) {
    const oy = Math.floor(p / g.outW);
    const ox = p % g.outW;
    const first = (Math.max(0, oy * g.strideH - g.padTop) * g.inW + Math.max(0, ox * g.strideW - g.padLeft)) * inC * inB;
    suffixMin[p] = Math.min(first, suffixMin[p + 1]!);
  }
  let gap = 0;
  for (let p = 0; p < pixels; p++) {
    // every channel but the last: the pixel's own later channels still read from suffixMin[p]
    if (outC > 1) gap = Math.max(gap, (p * outC + outC - 1) * outB - suffixMin[p]!);
    gap = Math.max(gap, (p + 1) * outC * outB - suffixMin[p + 1]!);
  }
  return gap;
}

/** Gap for an element-wise op: element e written after it is read. */
function elementwiseGap(model: ModelIR, op: Op): number {
  const x = model.tensors[activationInput(model, op)!]!;
  const y = model.tensors[op.outputs[0]!]!;
  const n = elementCount(y.shape);
  const inB = bytesPerElement(x.dtype);
  const outB = bytesPerElement(y.dtype);
  // max over e of (e + 1)·outB − (e + 1)·inB, for e < n − 1 (nothing is read after the last)
  return n < 2 ? 0 : Math.max(0, (n - 1) * (outB - inB));
}

/** The gap for `op` if its portable kernel allows its output to overlap its input, else undefined. */
export function overlapGap(model: ModelIR, op: Op): number | undefined {
  const x = activationInput(model, op);
  if (x === undefined) return undefined;
  switch (op.op) {
    case 'conv2d': {
      if (model.tensors[x]!.dtype === 'float32' && model.tensors[op.inputs[1]!]!.dtype === 'int8') return 0; // hybrid
      const w = model.tensors[op.inputs[1]!]!.shape;
      return windowedGap(model, op, [w[1]!, w[2]!], op.stride, op.dilation, op.padding);
    }
    case 'depthwiseConv2d': {
      const w = model.tensors[op.inputs[1]!]!.shape;
      return windowedGap(model, op, [w[1]!, w[2]!], op.stride, op.dilation, op.padding);
    }
    case 'maxPool2d':
    case 'avgPool2d':
      return windowedGap(model, op, op.filter, op.stride, [1, 1], op.padding);
    case 'globalAvgPool': {
      const s = model.tensors[x]!.shape;
      return windowedGap(model, op, [s[1]!, s[2]!], [1, 1], [1, 1], 'valid');
    }
    case 'add':
    case 'quantize':
    case 'dequantize':
    case 'softmax':
      return elementwiseGap(model, op);
    default:
      return undefined;
  }
}

/** Gaps of every op of the model whose output may overlap its input. */
export function overlapGaps(model: ModelIR, ops: (index: number) => boolean = () => true): Map<number, number> {
  const gaps = new Map<number, number>();
  model.ops.forEach((op, i) => {
    if (!ops(i)) return;
    const gap = overlapGap(model, op);
    if (gap !== undefined) gaps.set(i, gap);
  });
  return gaps;
}
