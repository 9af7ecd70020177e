/**
 * int8 post-training quantization of a float32 IR, per the TFLite quantization spec:
 * per-channel symmetric weights for conv (axis 0) and depthwise (axis 3), per-tensor for fully
 * connected, int32 biases (scale = input × weight), per-tensor asymmetric activations calibrated
 * on representative samples, int8 model input and output.
 *
 * Ops that TFLite (Micro) runs with equal input and output params — pooling, reshape, pad — keep
 * their input's params; softmax outputs 1/256 with zero point -128; concatenated inputs share
 * the output's params (so concatenation is a copy).
 */
import { ModelBuilder } from '../builder.js';
import type { ModelIR, Op, Quantization, TensorInfo } from '../ir.js';
import { floatData } from '../tensor-data.js';
import { activationParams, quantizeBias, quantizeWeights } from './params.js';
import { HistogramObserver, mseRange, percentileRange, RangeObserver, type CalibrationMethod, type Range } from './ranges.js';

/** Runs the float model on one input, reporting every activation tensor's values. */
export type ObserveActivations = (input: Float32Array, observe: (tensor: number, values: Float32Array) => void) => void;

export interface QuantizeOptions {
  readonly method: CalibrationMethod;
  /** Progress per pass over the samples. */
  readonly onProgress?: (done: number, total: number) => void;
}

const SAME_PARAMS: ReadonlySet<Op['op']> = new Set(['maxPool2d', 'avgPool2d', 'globalAvgPool', 'reshape', 'pad']);
const SOFTMAX_OUTPUT: Quantization = { scale: [1 / 256], zeroPoint: [-128], axis: 0 };

export function isQuantized(model: ModelIR): boolean {
  return model.tensors[model.inputs[0]!]!.dtype !== 'float32' || model.ops.some((op) => op.op === 'quantize' || op.op === 'dequantize');
}

export function calibrateRanges(model: ModelIR, samples: readonly Float32Array[], run: ObserveActivations, options: QuantizeOptions): Map<number, Range> {
  const minmax = new RangeObserver();
  samples.forEach((s, i) => {
    run(s, (t, v) => minmax.observe(t, v));
    options.onProgress?.(i + 1, samples.length);
  });
  if (options.method === 'minmax') return minmax.ranges;
  const hist = new HistogramObserver(minmax.ranges);
  samples.forEach((s, i) => {
    run(s, (t, v) => hist.observe(t, v));
    options.onProgress?.(i + 1, samples.length);
  });
  const pick = options.method === 'percentile' ? percentileRange : mseRange;
  return new Map([...hist.histograms].map(([t, h]) => [t, pick(h.range, h.counts)]));
}

/** Activation params per tensor, in op order (an op's input params are known before its output's). */
function activationQuant(model: ModelIR, ranges: ReadonlyMap<number, Range>): Map<number, Quantization> {
  const quant = new Map<number, Quantization>();
  const fromRange = (t: number) => activationParams(ranges.get(t) ?? { min: 0, max: 0 });
  for (const t of model.inputs) quant.set(t, fromRange(t));
  for (const op of model.ops) {
    const out = op.outputs[0]!;
    if (SAME_PARAMS.has(op.op)) quant.set(out, quant.get(op.inputs[0]!) ?? fromRange(op.inputs[0]!));
    else if (op.op === 'softmax') quant.set(out, SOFTMAX_OUTPUT);
    else if (op.op === 'concat') {
      const union = op.inputs.map((t) => ranges.get(t) ?? { min: 0, max: 0 }).reduce((a, b) => ({ min: Math.min(a.min, b.min), max: Math.max(a.max, b.max) }));
      const q = activationParams(union);
      for (const t of [...op.inputs, out]) quant.set(t, q);
    } else quant.set(out, fromRange(out));
  }
  return quant;
}

/** The quantized model; `ranges` from calibrateRanges. */
export function quantizeModel(model: ModelIR, ranges: ReadonlyMap<number, Range>): ModelIR {
  const act = activationQuant(model, ranges);
  const b = new ModelBuilder();
  const weightQuant = new Map<number, Quantization>();
  const consumer = new Map<number, { op: Op; slot: number }>();
  for (const op of model.ops) op.inputs.forEach((t, slot) => t >= 0 && model.tensors[t]!.data && consumer.set(t, { op, slot }));

  // Weights first (biases need their scales), then every tensor in its original index order.
  const quantized = new Map<number, { data: Int8Array | Int32Array; quant: Quantization }>();
  for (const [t, { op, slot }] of consumer) {
    if (slot !== 1) continue;
    const info = model.tensors[t]!;
    const axis = op.op === 'conv2d' ? 0 : op.op === 'depthwiseConv2d' ? 3 : undefined;
    const q = quantizeWeights(floatData(model, t), info.shape, axis);
    quantized.set(t, q);
    weightQuant.set(t, q.quant);
  }
  for (const [t, { op, slot }] of consumer) {
    if (slot !== 2) continue;
    const inputScale = act.get(op.inputs[0]!)!.scale[0]!;
    quantized.set(t, quantizeBias(floatData(model, t), inputScale, weightQuant.get(op.inputs[1]!)!.scale));
  }
  model.tensors.forEach((info: TensorInfo, t) => {
    const q = quantized.get(t);
    if (q) b.tensor(info.name, info.shape, q.data instanceof Int8Array ? 'int8' : 'int32', { quant: q.quant, data: q.data });
    else if (info.data) b.tensor(info.name, info.shape, info.dtype, { data: floatData(model, t) });
    else b.tensor(info.name, info.shape, 'int8', { quant: act.get(t) ?? activationParams({ min: 0, max: 0 }) });
  });
  for (const op of model.ops) b.op(op);
  return b.build(model.inputs, model.outputs, model.metadata);
}
