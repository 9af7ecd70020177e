/**
 * IR ops → TFLite operators, before any byte is written: for each op its builtin code, version
 * (as the converter would set it for these tensor types), input and output tensors and a function
 * that writes its builtin options table. Tensors TFLite needs beyond the IR's are appended after
 * the IR's own (so a file read back has the IR's tensors at the same indices):
 * - RESHAPE gets a constant int32 shape input (and ReshapeOptions.new_shape),
 * - PAD a constant int32 [rank, 2] paddings input,
 * - globalAvgPool becomes AVERAGE_POOL_2D over the whole plane (VALID) into a [1, 1, 1, c]
 *   tensor, then RESHAPE to [1, c]: the int8 runtimes compute it with average-pool arithmetic;
 * - conv, depthwise and fully connected ops without a bias get a zero one (float32, or int32 with
 *   scale input × weights per channel): the official runtime's CONV_2D refuses an absent bias, and
 *   older readers (ArmNN) expect three inputs.
 */
import type { Builder } from 'flatbuffers';
import type { DType, FusedActivation, ModelIR, Op, Padding, Quantization, TensorInfo } from '../ir.js';
import { isPerChannel } from '../ir.js';
import { writeVersion, type OpTypes } from './op-versions.js';
import * as S from './schema.js';
import { BuiltinOperator as B } from './schema.js';

/** A tensor to write: the IR's own, or one added for TFLite. */
export interface TensorSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly quant?: Quantization;
  /** Constant data. */
  readonly data?: Uint8Array;
}

export interface OpSpec {
  readonly code: number;
  readonly version: number;
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  readonly optionsType: number;
  /** Writes the options table (call before the Operator table is started). */
  readonly options: (b: Builder) => number;
}

export interface GraphPlan {
  readonly tensors: readonly TensorSpec[];
  readonly ops: readonly OpSpec[];
}

const ACTIVATION: Readonly<Record<FusedActivation, number>> = {
  none: S.ActivationFunctionType.NONE,
  relu: S.ActivationFunctionType.RELU,
  relu6: S.ActivationFunctionType.RELU6,
};
const PADDING: Readonly<Record<Padding, number>> = { same: S.Padding.SAME, valid: S.Padding.VALID };

/** A table of `count` field slots; each writer adds one field. */
export function table(b: Builder, count: number, fields: readonly ((b: Builder) => void)[]): number {
  b.startObject(count);
  for (const f of fields) f(b);
  return b.endObject();
}

export function int32Vector(b: Builder, values: readonly number[]): number {
  b.startVector(4, values.length, 4);
  for (let i = values.length - 1; i >= 0; i--) b.addInt32(values[i]!);
  return b.endVector();
}

const int32Bytes = (values: readonly number[]): Uint8Array => {
  const out = new Uint8Array(4 * values.length);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setInt32(4 * i, v, true));
  return out;
};

export function planGraph(model: ModelIR): GraphPlan {
  const tensors: TensorSpec[] = model.tensors.map((t) => irTensor(model, t));
  const ops: OpSpec[] = [];
  const info = (i: number): TensorInfo => {
    const t = model.tensors[i];
    if (!t) throw new Error(`writeTflite: an op refers to tensor ${i}, but the IR has ${model.tensors.length}`);
    return t;
  };
  const addTensor = (t: TensorSpec): number => tensors.push(t) - 1;
  const typesOf = (op: Op): OpTypes => {
    const w = op.inputs[1] !== undefined && op.inputs[1] >= 0 ? info(op.inputs[1]) : undefined;
    return {
      input: info(op.inputs[0]!).dtype,
      output: info(op.outputs[0]!).dtype,
      ...(w ? { weights: w.dtype, perChannelWeights: isPerChannel(w) } : {}),
      ...('dilation' in op ? { dilated: op.dilation[0] !== 1 || op.dilation[1] !== 1 } : {}),
    };
  };
  const push = (code: number, op: Op, inputs: readonly number[], outputs: readonly number[], optionsType: number, options: (b: Builder) => number, types = typesOf(op)) =>
    ops.push({ code, version: writeVersion(code, types), inputs, outputs, optionsType, options });
  /** The op's bias, or a zero bias appended for it. */
  const bias = (op: Op): number => {
    const given = op.inputs[2];
    if (given !== undefined && given >= 0) return given;
    const x = info(op.inputs[0]!);
    const w = info(op.inputs[1]!);
    const y = info(op.outputs[0]!);
    const channels = op.op === 'depthwiseConv2d' ? w.shape[3]! : w.shape[0]!;
    if (x.dtype === 'int8' && w.quant && x.quant) {
      const scale = w.quant.scale.map((s) => x.quant!.scale[0]! * s);
      return addTensor({ name: `${y.name}/zero_bias`, shape: [channels], dtype: 'int32', quant: { scale, zeroPoint: scale.map(() => 0), axis: 0 }, data: new Uint8Array(4 * channels) });
    }
    return addTensor({ name: `${y.name}/zero_bias`, shape: [channels], dtype: 'float32', data: new Uint8Array(4 * channels) });
  };
  const reshapeTo = (op: Op, x: number, y: number, shape: readonly number[]) => {
    const shapeTensor = addTensor({ name: `${info(y).name}/shape`, shape: [shape.length], dtype: 'int32', data: int32Bytes(shape) });
    push(B.RESHAPE, op, [x, shapeTensor], [y], S.BuiltinOptions.ReshapeOptions, (b) => {
      const newShape = int32Vector(b, shape);
      return table(b, S.ReshapeOptions.COUNT, [(b) => b.addFieldOffset(S.ReshapeOptions.new_shape, newShape, 0)]);
    }, { input: tensors[x]!.dtype, output: tensors[y]!.dtype });
  };

  for (const op of model.ops) {
    const x = op.inputs[0]!;
    const y = op.outputs[0]!;
    switch (op.op) {
      case 'conv2d':
        push(B.CONV_2D, op, [x, op.inputs[1]!, bias(op)], [y], S.BuiltinOptions.Conv2DOptions, (b) =>
          table(b, S.Conv2DOptions.COUNT, [
            (b) => b.addFieldInt8(S.Conv2DOptions.padding, PADDING[op.padding], S.Padding.SAME),
            (b) => b.addFieldInt32(S.Conv2DOptions.stride_w, op.stride[1], 0),
            (b) => b.addFieldInt32(S.Conv2DOptions.stride_h, op.stride[0], 0),
            (b) => b.addFieldInt8(S.Conv2DOptions.fused_activation_function, ACTIVATION[op.activation], S.ActivationFunctionType.NONE),
            (b) => b.addFieldInt32(S.Conv2DOptions.dilation_w_factor, op.dilation[1], 1),
            (b) => b.addFieldInt32(S.Conv2DOptions.dilation_h_factor, op.dilation[0], 1),
          ]),
        );
        break;
      case 'depthwiseConv2d':
        push(B.DEPTHWISE_CONV_2D, op, [x, op.inputs[1]!, bias(op)], [y], S.BuiltinOptions.DepthwiseConv2DOptions, (b) =>
          table(b, S.DepthwiseConv2DOptions.COUNT, [
            (b) => b.addFieldInt8(S.DepthwiseConv2DOptions.padding, PADDING[op.padding], S.Padding.SAME),
            (b) => b.addFieldInt32(S.DepthwiseConv2DOptions.stride_w, op.stride[1], 0),
            (b) => b.addFieldInt32(S.DepthwiseConv2DOptions.stride_h, op.stride[0], 0),
            (b) => b.addFieldInt32(S.DepthwiseConv2DOptions.depth_multiplier, op.depthMultiplier, 0),
            (b) => b.addFieldInt8(S.DepthwiseConv2DOptions.fused_activation_function, ACTIVATION[op.activation], S.ActivationFunctionType.NONE),
            (b) => b.addFieldInt32(S.DepthwiseConv2DOptions.dilation_w_factor, op.dilation[1], 1),
            (b) => b.addFieldInt32(S.DepthwiseConv2DOptions.dilation_h_factor, op.dilation[0], 1),
          ]),
        );
        break;
      case 'fullyConnected':
        push(B.FULLY_CONNECTED, op, [x, op.inputs[1]!, bias(op)], [y], S.BuiltinOptions.FullyConnectedOptions, (b) =>
          table(b, S.FullyConnectedOptions.COUNT, [
            (b) => b.addFieldInt8(S.FullyConnectedOptions.fused_activation_function, ACTIVATION[op.activation], S.ActivationFunctionType.NONE),
          ]),
        );
        break;
      case 'maxPool2d':
      case 'avgPool2d':
        push(op.op === 'maxPool2d' ? B.MAX_POOL_2D : B.AVERAGE_POOL_2D, op, [x], [y], S.BuiltinOptions.Pool2DOptions, (b) =>
          pool2dOptions(b, op.padding, op.stride, op.filter, op.activation),
        );
        break;
      case 'globalAvgPool': {
        const [, h, w, c] = info(x).shape as [number, number, number, number];
        const out = info(y);
        const pooled = addTensor({ name: `${out.name}/pooled`, shape: [1, 1, 1, c], dtype: out.dtype, ...(out.quant ? { quant: out.quant } : {}) });
        push(B.AVERAGE_POOL_2D, op, [x], [pooled], S.BuiltinOptions.Pool2DOptions, (b) => pool2dOptions(b, 'valid', [1, 1], [h, w], 'none'));
        reshapeTo(op, pooled, y, out.shape);
        break;
      }
      case 'reshape':
        reshapeTo(op, x, y, info(y).shape);
        break;
      case 'softmax':
        push(B.SOFTMAX, op, [x], [y], S.BuiltinOptions.SoftmaxOptions, (b) =>
          table(b, S.SoftmaxOptions.COUNT, [(b) => b.addFieldFloat32(S.SoftmaxOptions.beta, op.beta, 0)]),
        );
        break;
      case 'add':
        push(B.ADD, op, op.inputs, [y], S.BuiltinOptions.AddOptions, (b) =>
          table(b, S.AddOptions.COUNT, [(b) => b.addFieldInt8(S.AddOptions.fused_activation_function, ACTIVATION[op.activation], S.ActivationFunctionType.NONE)]),
        );
        break;
      case 'concat':
        push(B.CONCATENATION, op, op.inputs, [y], S.BuiltinOptions.ConcatenationOptions, (b) =>
          table(b, S.ConcatenationOptions.COUNT, [
            (b) => b.addFieldInt32(S.ConcatenationOptions.axis, op.axis, 0),
            (b) => b.addFieldInt8(S.ConcatenationOptions.fused_activation_function, ACTIVATION[op.activation], S.ActivationFunctionType.NONE),
          ]),
        );
        break;
      case 'pad': {
        const paddings = addTensor({ name: `${info(y).name}/paddings`, shape: [op.paddings.length, 2], dtype: 'int32', data: int32Bytes(op.paddings.flat()) });
        push(B.PAD, op, [x, paddings], [y], S.BuiltinOptions.PadOptions, (b) => table(b, S.EMPTY_OPTIONS_COUNT, []));
        break;
      }
      case 'quantize':
      case 'dequantize':
        push(op.op === 'quantize' ? B.QUANTIZE : B.DEQUANTIZE, op, [x], [y], op.op === 'quantize' ? S.BuiltinOptions.QuantizeOptions : S.BuiltinOptions.DequantizeOptions, (b) =>
          table(b, S.EMPTY_OPTIONS_COUNT, []),
        );
        break;
      default:
        throw new Error(`writeTflite: IR op '${(op as Op).op}' has no TFLite mapping`);
    }
  }
  return { tensors, ops };
}

function pool2dOptions(b: Builder, padding: Padding, stride: readonly [number, number], filter: readonly [number, number], activation: FusedActivation): number {
  return table(b, S.Pool2DOptions.COUNT, [
    (b) => b.addFieldInt8(S.Pool2DOptions.padding, PADDING[padding], S.Padding.SAME),
    (b) => b.addFieldInt32(S.Pool2DOptions.stride_w, stride[1], 0),
    (b) => b.addFieldInt32(S.Pool2DOptions.stride_h, stride[0], 0),
    (b) => b.addFieldInt32(S.Pool2DOptions.filter_width, filter[1], 0),
    (b) => b.addFieldInt32(S.Pool2DOptions.filter_height, filter[0], 0),
    (b) => b.addFieldInt8(S.Pool2DOptions.fused_activation_function, ACTIVATION[activation], S.ActivationFunctionType.NONE),
  ]);
}

function irTensor(model: ModelIR, t: TensorInfo): TensorSpec {
  const data = t.data ? model.weights.subarray(t.data.offset, t.data.offset + t.data.bytes) : undefined;
  return { name: t.name, shape: t.shape, dtype: t.dtype, ...(t.quant ? { quant: t.quant } : {}), ...(data && data.length > 0 ? { data } : {}) };
}

