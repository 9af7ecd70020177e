/**
 * How much work one op of a model IR does, in the terms the generated C kernels spend their time
 * on (core/model/kernels/*.c): multiply-accumulates (or pooling taps) in the innermost loop, how
 * often that loop is entered, and the output elements each of which is requantized, clamped and
 * stored. Pure: counts from the shapes alone (taps outside the image are skipped, as the kernels do).
 */
import { elementCount, type ModelIR, type Op, type TensorInfo } from '../../model/ir.js';
import { windowGeometry, type WindowGeometry } from '../../model/kernels/geometry.js';

/** The kernel variant an op runs as: int8, float32, or float activations with int8 weights. */
export type OpVariant = 's8' | 'f32' | 'hybrid';

export interface OpWork {
  /** e.g. `conv2d.s8`, or `conv2d.s8/simd-conv` on an optimized kernel: the cost table's row. */
  readonly kind: string;
  /** Kernel calls (0 for a reshape done in place). */
  readonly calls: number;
  /** Multiply-accumulates (pooling: taps; data movement: 0). */
  readonly macs: number;
  /** Entries into the innermost loop. */
  readonly loops: number;
  /** Output elements written (data movement: bytes). */
  readonly outputs: number;
  /** Convolutions: values of the im2col columns, output positions × kernel taps × input channels (padding included). */
  readonly columns: number;
  /** Bytes of constant tensors read per inference (weights are re-read once per output position). */
  readonly weightBytesRead: number;
}

export const ZERO_WORK: Omit<OpWork, 'kind'> = { calls: 0, macs: 0, loops: 0, outputs: 0, columns: 0, weightBytesRead: 0 };

/** Sum over output positions of the taps inside the image along one axis. */
function validTaps(inSize: number, outSize: number, k: number, stride: number, dilation: number, padBefore: number): number {
  let taps = 0;
  for (let o = 0; o < outSize; o++) {
    const start = o * stride - padBefore;
    for (let t = 0; t < k; t++) {
      const i = start + t * dilation;
      if (i >= 0 && i < inSize) taps++;
    }
  }
  return taps;
}

function taps(g: WindowGeometry): { rows: number; cols: number } {
  return { rows: validTaps(g.inH, g.outH, g.kH, g.strideH, g.dilationH, g.padTop), cols: validTaps(g.inW, g.outW, g.kW, g.strideW, g.dilationW, g.padLeft) };
}

function variantOf(model: ModelIR, op: Op): OpVariant {
  const t = (i: number): TensorInfo => model.tensors[i]!;
  if ((op.op === 'conv2d' || op.op === 'fullyConnected') && t(op.inputs[0]!).dtype === 'float32' && t(op.inputs[1]!).dtype === 'int8') return 'hybrid';
  if (op.op === 'quantize') return 's8';
  if (op.op === 'dequantize') return 'f32';
  return t(op.outputs[0]!).dtype === 'float32' ? 'f32' : 's8';
}

function bytesOf(t: TensorInfo): number {
  return elementCount(t.shape) * (t.dtype === 'int8' || t.dtype === 'uint8' ? 1 : t.dtype === 'int16' ? 2 : 4);
}

/**
 * The work of `op`. `inPlace` says whether a reshape's input and output share storage (the
 * memory plan decides; then the generated C does nothing); `optimized` names the optimized
 * (Armv7E-M) kernel family the generated C calls for it, if any (sdk-ops.ts).
 */
export function opWork(model: ModelIR, op: Op, inPlace = false, optimized?: string): OpWork {
  const t = (i: number): TensorInfo => model.tensors[i]!;
  const kind = `${op.op}.${variantOf(model, op)}${optimized ? `/simd-${optimized}` : ''}`;
  const out = t(op.outputs[0]!);
  const outputs = elementCount(out.shape);
  const weights = op.inputs.filter((i) => i >= 0 && t(i).data !== undefined).reduce((n, i) => n + bytesOf(t(i)), 0);
  switch (op.op) {
    case 'conv2d': {
      const w = t(op.inputs[1]!).shape as [number, number, number, number];
      const g = windowGeometry(t(op.inputs[0]!).shape, [w[1], w[2]], op.stride, op.dilation, op.padding);
      const { rows, cols } = taps(g);
      const positions = rows * cols;
      return { kind, calls: 1, macs: positions * w[3] * w[0], loops: positions * w[0], outputs, columns: g.outH * g.outW * w[1] * w[2] * w[3], weightBytesRead: weights * g.outH * g.outW };
    }
    case 'depthwiseConv2d': {
      const w = t(op.inputs[1]!).shape as [number, number, number, number];
      const g = windowGeometry(t(op.inputs[0]!).shape, [w[1], w[2]], op.stride, op.dilation, op.padding);
      const { rows, cols } = taps(g);
      const outC = w[3];
      // Innermost loop: kx over the valid columns, entered once per valid row of each output.
      return { kind, calls: 1, macs: rows * cols * outC, loops: rows * g.outW * outC, outputs, columns: g.outH * g.outW * w[1] * w[2] * (t(op.inputs[0]!).shape[3] ?? 1), weightBytesRead: weights * g.outH * g.outW };
    }
    case 'fullyConnected': {
      const [units, inUnits] = t(op.inputs[1]!).shape as [number, number];
      const rows = elementCount(t(op.inputs[0]!).shape) / inUnits;
      return { kind, calls: 1, macs: rows * units * inUnits, loops: rows * units, outputs, columns: 0, weightBytesRead: weights * rows };
    }
    case 'maxPool2d':
    case 'avgPool2d':
    case 'globalAvgPool': {
      const input = t(op.inputs[0]!).shape;
      const channels = input[3] ?? 1;
      const g =
        op.op === 'globalAvgPool'
          ? windowGeometry(input, [input[1]!, input[2]!], [1, 1], [1, 1], 'valid')
          : windowGeometry(input, op.filter, op.stride, [1, 1], op.padding);
      const { rows, cols } = taps(g);
      return { kind, calls: 1, macs: rows * cols * channels, loops: rows * g.outW * channels, outputs, columns: 0, weightBytesRead: 0 };
    }
    case 'softmax': {
      const depth = out.shape[out.shape.length - 1] ?? 1;
      return { kind, calls: 1, macs: 0, loops: outputs / depth, outputs, columns: 0, weightBytesRead: 0 };
    }
    case 'reshape':
      return inPlace ? { kind, ...ZERO_WORK } : { kind, calls: 1, macs: 0, loops: 0, outputs: bytesOf(out), columns: 0, weightBytesRead: 0 };
    case 'concat':
    case 'pad':
      return { kind, calls: 1, macs: 0, loops: 0, outputs: bytesOf(out), columns: 0, weightBytesRead: 0 };
    case 'add':
    case 'quantize':
    case 'dequantize':
      return { kind, calls: 1, macs: 0, loops: 0, outputs, columns: 0, weightBytesRead: weights };
  }
}
