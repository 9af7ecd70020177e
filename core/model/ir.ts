/**
 * The model IR: one small, versioned, serializable graph that every consumer reads (the float
 * and int8 interpreters, the TFLite writer, the C generator, the cost model).
 *
 * Conventions follow TFLite so that reading and writing `.tflite` files is a field-for-field copy:
 * - activations are NHWC with batch 1 (`[1, h, w, c]`; a vector is `[1, n]`);
 * - conv weights are `[outC, kh, kw, inC]`, depthwise `[1, kh, kw, outC]`, fully connected `[outUnits, inUnits]`;
 * - quantized values are `real = scale × (q − zeroPoint)`; per-channel when `scale` has more than
 *   one entry, along `axis` (0 for conv and bias, 3 for depthwise, as TFLite writes them).
 * Constant tensors point into one binary buffer (`weights`), each aligned to 16 bytes.
 */

export const IR_VERSION = 1;

export type DType = 'float32' | 'int8' | 'uint8' | 'int16' | 'int32';

export interface Quantization {
  readonly scale: readonly number[];
  readonly zeroPoint: readonly number[];
  /** The quantized dimension for per-channel params (0 when per-tensor). */
  readonly axis: number;
}

export interface TensorInfo {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly quant?: Quantization;
  /** Constant data: a byte range of the model's weights buffer. */
  readonly data?: { readonly offset: number; readonly bytes: number };
}

/** Activation fused into the op that produces a tensor. */
export type FusedActivation = 'none' | 'relu' | 'relu6';
export type Padding = 'same' | 'valid';
export type Pair = readonly [number, number];

interface OpBase {
  /** Tensor indices (-1: an optional input that is absent, e.g. no bias). */
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
}

/** inputs: [x, weights, bias?] */
export interface Conv2dOp extends OpBase {
  readonly op: 'conv2d';
  readonly stride: Pair;
  readonly dilation: Pair;
  readonly padding: Padding;
  readonly activation: FusedActivation;
}

/** inputs: [x, weights [1, kh, kw, inC × depthMultiplier], bias?] */
export interface DepthwiseConv2dOp extends OpBase {
  readonly op: 'depthwiseConv2d';
  readonly stride: Pair;
  readonly dilation: Pair;
  readonly padding: Padding;
  readonly depthMultiplier: number;
  readonly activation: FusedActivation;
}

/** inputs: [x (flattened to [rows, inUnits]), weights [outUnits, inUnits], bias?] */
export interface FullyConnectedOp extends OpBase {
  readonly op: 'fullyConnected';
  readonly activation: FusedActivation;
}

export interface Pool2dOp extends OpBase {
  readonly op: 'maxPool2d' | 'avgPool2d';
  readonly filter: Pair;
  readonly stride: Pair;
  readonly padding: Padding;
  readonly activation: FusedActivation;
}

/** Mean over height and width: [1, h, w, c] → [1, c] (an average pool with the whole plane as window). */
export interface GlobalAvgPoolOp extends OpBase {
  readonly op: 'globalAvgPool';
}

/** The output tensor's shape is the new shape (same element count). */
export interface ReshapeOp extends OpBase {
  readonly op: 'reshape';
}

export interface SoftmaxOp extends OpBase {
  readonly op: 'softmax';
  readonly beta: number;
}

export interface AddOp extends OpBase {
  readonly op: 'add';
  readonly activation: FusedActivation;
}

export interface ConcatOp extends OpBase {
  readonly op: 'concat';
  readonly axis: number;
  readonly activation: FusedActivation;
}

/** Zero padding (or the zero point when quantized); `paddings[d] = [before, after]` per dimension. */
export interface PadOp extends OpBase {
  readonly op: 'pad';
  readonly paddings: readonly Pair[];
}

/** float → int8 (or int8 → int8 with new params), and int8 → float. */
export interface QuantizeOp extends OpBase {
  readonly op: 'quantize' | 'dequantize';
}

export type Op =
  | Conv2dOp
  | DepthwiseConv2dOp
  | FullyConnectedOp
  | Pool2dOp
  | GlobalAvgPoolOp
  | ReshapeOp
  | SoftmaxOp
  | AddOp
  | ConcatOp
  | PadOp
  | QuantizeOp;

export type OpType = Op['op'];

/**
 * How int8 requantization rounds — TFLite's TFLITE_SINGLE_ROUNDING build option, which every
 * consumer of an int8 model (interpreter, generated C) follows so their outputs agree bit for bit:
 * - 'double': TensorFlow Lite Micro's default — gemmlowp SaturatingRoundingDoublingHighMul, then
 *   RoundingDivideByPOT (two roundings);
 * - 'single': one rounding of the 64-bit product, as TFLite's builtin kernels on desktop and mobile
 *   (ruy) and single-rounding TFLM/CMSIS-NN builds compute it;
 * - 'xnnpack': what TFLite computes with its default XNNPACK delegate (desktop, mobile, the
 *   official runtime in Node): conv, depthwise and fully connected requantize in float32
 *   (accumulator × float32 scale, ties to even), ADD uses XNNPACK's 21-bit multipliers, every
 *   other op is 'single'. For comparing with that runtime only: no generated C implements it.
 */
export type Rounding = 'double' | 'single' | 'xnnpack';

/** The roundings the generated C implements (TFLite's two integer arithmetics). */
export type DeployableRounding = Exclude<Rounding, 'xnnpack'>;

/** What the model is for, carried into exported files (TFLite metadata, C headers). */
export interface ModelMetadata {
  /** int8 requantization rounding; absent means 'double' (TFLite Micro's default). */
  readonly rounding?: Rounding;
  readonly labels?: readonly string[];
  /** Window length in ms and sampling frequency in Hz of the impulse the model belongs to. */
  readonly windowMs?: number;
  readonly frequency?: number;
  /** Where it came from, e.g. "impulse-kit classifier" or the imported file's name. */
  readonly source?: string;
}

export interface ModelIR {
  readonly version: typeof IR_VERSION;
  readonly tensors: readonly TensorInfo[];
  /** In execution order. */
  readonly ops: readonly Op[];
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  readonly weights: Uint8Array;
  readonly metadata: ModelMetadata;
}

/** Element count of a shape. */
export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function bytesPerElement(dtype: DType): number {
  return dtype === 'int8' || dtype === 'uint8' ? 1 : dtype === 'int16' ? 2 : 4;
}

/** Whether a tensor is quantized per channel (more than one scale). */
export function isPerChannel(t: TensorInfo): boolean {
  return (t.quant?.scale.length ?? 0) > 1;
}
