/**
 * TFLite operators → IR ops (tensor indices still the file's). Each mapping checks what the IR
 * and its consumers rely on — tensor types, ranks, channel counts, output sizes, options — so a
 * model that reads is one the interpreters and generators can run; anything the IR cannot
 * express is an unsupported-op error naming the operator, anything inconsistent a bad-file error.
 */
import type { Op, Pair, Padding } from '../ir.js';
import { elementCount } from '../ir.js';
import { OpContext, type FileOp, type Kind } from './op-context.js';
import { READABLE_VERSIONS } from './op-versions.js';
import type { FileTensor, TensorTable } from './read-tensors.js';
import * as S from './schema.js';
import { BuiltinOperator as B } from './schema.js';

const SUPPORTED_HINT = 'Supported ops: CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED, MAX_POOL_2D, AVERAGE_POOL_2D, RESHAPE, SOFTMAX, ADD, CONCATENATION, PAD, QUANTIZE, DEQUANTIZE.';

export function mapOp(op: FileOp, tensors: TensorTable, file: string): Op {
  const c = new OpContext(op, tensors, file);
  const support = READABLE_VERSIONS.get(op.code);
  if (!support) throw c.unsupported('this op is not supported: the model IR has no such op', SUPPORTED_HINT);
  if (!support.accepted.includes(op.version)) {
    const note = support.notes[op.version];
    throw c.unsupported(
      `version ${op.version} of ${c.name}${note ? ` (${note})` : ''} is not supported; versions ${support.accepted.join(', ')} are`,
      'Convert the model as float32 or with full-integer int8 quantization, with a converter of TensorFlow 2.x.',
    );
  }
  switch (op.code) {
    case B.CONV_2D:
      return conv2d(c);
    case B.DEPTHWISE_CONV_2D:
      return depthwise(c);
    case B.FULLY_CONNECTED:
      return fullyConnected(c);
    case B.MAX_POOL_2D:
    case B.AVERAGE_POOL_2D:
      return pool(c, op.code === B.MAX_POOL_2D ? 'maxPool2d' : 'avgPool2d');
    case B.RESHAPE:
      return reshape(c);
    case B.SOFTMAX:
      return softmax(c);
    case B.ADD:
      return add(c);
    case B.CONCATENATION:
      return concat(c);
    case B.PAD:
      return pad(c);
    case B.QUANTIZE:
    case B.DEQUANTIZE:
      return quantize(c, op.code === B.QUANTIZE ? 'quantize' : 'dequantize');
    default:
      throw c.unsupported('this op is not supported: the model IR has no such op', SUPPORTED_HINT);
  }
}

/** Output size of a window op along one axis (TFLite's SAME/VALID rules). */
function windowOut(input: number, filter: number, stride: number, dilation: number, padding: Padding): number {
  const effective = (filter - 1) * dilation + 1;
  return padding === 'same' ? Math.ceil(input / stride) : Math.floor((input - effective) / stride) + 1;
}

function checkSpatial(c: OpContext, x: readonly number[], y: readonly number[], filter: Pair, stride: Pair, dilation: Pair, padding: Padding): void {
  const h = windowOut(x[1]!, filter[0], stride[0], dilation[0], padding);
  const w = windowOut(x[2]!, filter[1], stride[1], dilation[1], padding);
  if (h < 1 || w < 1) throw c.bad(`a ${filter[0]}×${filter[1]} window does not fit the ${x[1]}×${x[2]} input with ${padding.toUpperCase()} padding`);
  if (y[1] !== h || y[2] !== w) throw c.bad(`its output is ${y[1]}×${y[2]}, but the options give ${h}×${w}`);
}

/**
 * The weights and bias of conv, depthwise and fully connected ops, and the kind of the op:
 * float, int8, or hybrid (float activations, int8 weights quantized per tensor, float bias).
 */
function checkWeights(c: OpContext, x: FileTensor, w: FileTensor, bias: FileTensor | undefined, y: FileTensor, channelAxis: number): Kind | 'hybrid' {
  const io = c.sameKind([
    { t: x, role: 'input' },
    { t: y, role: 'output' },
  ]);
  const hint = 'Convert the model as float32, or with full-integer int8 quantization (int8 activations, int8 weights, int32 biases).';
  if (w.dtype !== 'float32' && w.dtype !== 'int8') throw c.unsupported(`weights tensor ${w.index} '${w.name}' is ${S.tensorTypeName(w.type)}`, hint);
  if (!w.data) throw c.unsupported(`weights tensor ${w.index} '${w.name}' is computed at run time; only constant weights are supported`, 'Convert the model with constant (frozen) weights.');
  if (w.dtype === 'int8') {
    if (!w.quant) throw c.unsupported(`weights tensor ${w.index} '${w.name}' is INT8 without quantization parameters`, hint);
    if (w.quant.zeroPoint.some((z) => z !== 0)) throw c.unsupported(`weights tensor ${w.index} '${w.name}' is quantized asymmetrically (zero point ≠ 0)`, 'TFLite int8 weights are symmetric: re-quantize with the TFLite converter.');
    if (w.quant.scale.length > 1 && w.quant.axis !== channelAxis) {
      throw c.unsupported(`weights tensor ${w.index} '${w.name}' is quantized per channel along dimension ${w.quant.axis}, not the output channels (${channelAxis})`, hint);
    }
  }
  const kind: Kind | 'hybrid' = io === 'float32' && w.dtype === 'int8' ? 'hybrid' : io;
  if (kind === 'int8' && w.dtype !== 'int8') throw c.unsupported(`int8 activations with ${S.tensorTypeName(w.type)} weights`, hint);
  if (kind === 'hybrid' && w.quant!.scale.length > 1) throw c.unsupported('float activations with per-channel int8 weights (hybrid per-channel) are not supported', hint);
  if (bias) {
    const want = kind === 'int8' ? 'int32' : 'float32';
    if (bias.dtype !== want) throw c.unsupported(`bias tensor ${bias.index} '${bias.name}' is ${S.tensorTypeName(bias.type)}, expected ${want.toUpperCase()} for ${kind} ${c.name}`, hint);
    if (!bias.data) throw c.unsupported(`bias tensor ${bias.index} '${bias.name}' is computed at run time; only a constant bias is supported`, 'Convert the model with constant (frozen) weights.');
    if (kind === 'int8' && !bias.quant) throw c.unsupported(`bias tensor ${bias.index} '${bias.name}' is INT32 without quantization parameters`, hint);
    const channels = w.shape[channelAxis];
    if (bias.shape.length !== 1 || bias.shape[0] !== channels) throw c.bad(`bias tensor ${bias.index} '${bias.name}' has shape [${bias.shape.join(', ')}], expected [${channels}]`);
  }
  return kind;
}

function conv2d(c: OpContext): Op {
  c.arity(2, 3);
  const x = c.in(0);
  const w = c.in(1);
  const bias = c.input(2);
  const y = c.out();
  const xs = c.nhwc(x, 'input');
  const ys = c.nhwc(y, 'output');
  if (w.shape.length !== 4) throw c.bad(`weights tensor ${w.index} '${w.name}' has shape [${w.shape.join(', ')}], expected [out channels, height, width, in channels]`);
  const [outC, kh, kw, inC] = w.shape as [number, number, number, number];
  if (inC !== xs[3]) throw c.unsupported(`the input has ${xs[3]} channels but the filter ${inC}: grouped convolution is not supported`, 'Use groups=1 (or a depthwise convolution).');
  if (ys[3] !== outC) throw c.bad(`its output has ${ys[3]} channels, but the filter ${outC}`);
  checkWeights(c, x, w, bias, y, 0);
  const o = c.options(S.BuiltinOptions.Conv2DOptions, S.Conv2DOptions, 'Conv2DOptions');
  const biasType = o?.int8(S.Conv2DOptions.quantized_bias_type, 0) ?? 0;
  if (biasType !== 0 && biasType !== S.TensorType.INT32) throw c.unsupported(`quantized_bias_type ${S.tensorTypeName(biasType)} is not supported`, 'Use int32 biases.');
  const padding = c.padding(o?.int8(S.Conv2DOptions.padding, S.Padding.SAME) ?? S.Padding.SAME);
  const stride: Pair = [c.positive(o?.int32(S.Conv2DOptions.stride_h, 0) ?? 0, 'stride_h'), c.positive(o?.int32(S.Conv2DOptions.stride_w, 0) ?? 0, 'stride_w')];
  const dilation: Pair = [c.positive(o?.int32(S.Conv2DOptions.dilation_h_factor, 1) ?? 1, 'dilation_h_factor'), c.positive(o?.int32(S.Conv2DOptions.dilation_w_factor, 1) ?? 1, 'dilation_w_factor')];
  checkSpatial(c, xs, ys, [kh, kw], stride, dilation, padding);
  const activation = c.activation(o?.int8(S.Conv2DOptions.fused_activation_function, 0) ?? 0);
  return { op: 'conv2d', inputs: [x.index, w.index, bias?.index ?? -1], outputs: [y.index], stride, dilation, padding, activation };
}

function depthwise(c: OpContext): Op {
  c.arity(2, 3);
  const x = c.in(0);
  const w = c.in(1);
  const bias = c.input(2);
  const y = c.out();
  const xs = c.nhwc(x, 'input');
  const ys = c.nhwc(y, 'output');
  if (w.shape.length !== 4 || w.shape[0] !== 1) throw c.bad(`weights tensor ${w.index} '${w.name}' has shape [${w.shape.join(', ')}], expected [1, height, width, channels]`);
  const [, kh, kw, outC] = w.shape as [number, number, number, number];
  // depth_multiplier in the options is redundant (current kernels ignore it): the shapes decide
  if (outC % xs[3] !== 0) throw c.bad(`the filter has ${outC} channels, not a multiple of the input's ${xs[3]}`);
  if (ys[3] !== outC) throw c.bad(`its output has ${ys[3]} channels, but the filter ${outC}`);
  checkWeights(c, x, w, bias, y, 3);
  const o = c.options(S.BuiltinOptions.DepthwiseConv2DOptions, S.DepthwiseConv2DOptions, 'DepthwiseConv2DOptions');
  const padding = c.padding(o?.int8(S.DepthwiseConv2DOptions.padding, S.Padding.SAME) ?? S.Padding.SAME);
  const stride: Pair = [c.positive(o?.int32(S.DepthwiseConv2DOptions.stride_h, 0) ?? 0, 'stride_h'), c.positive(o?.int32(S.DepthwiseConv2DOptions.stride_w, 0) ?? 0, 'stride_w')];
  const dilation: Pair = [
    c.positive(o?.int32(S.DepthwiseConv2DOptions.dilation_h_factor, 1) ?? 1, 'dilation_h_factor'),
    c.positive(o?.int32(S.DepthwiseConv2DOptions.dilation_w_factor, 1) ?? 1, 'dilation_w_factor'),
  ];
  checkSpatial(c, xs, ys, [kh, kw], stride, dilation, padding);
  const activation = c.activation(o?.int8(S.DepthwiseConv2DOptions.fused_activation_function, 0) ?? 0);
  return { op: 'depthwiseConv2d', inputs: [x.index, w.index, bias?.index ?? -1], outputs: [y.index], stride, dilation, padding, depthMultiplier: outC / xs[3], activation };
}

function fullyConnected(c: OpContext): Op {
  c.arity(2, 3);
  const x = c.in(0);
  const w = c.in(1);
  const bias = c.input(2);
  const y = c.out();
  if (w.shape.length !== 2) throw c.bad(`weights tensor ${w.index} '${w.name}' has shape [${w.shape.join(', ')}], expected [out units, in units]`);
  const [outUnits, inUnits] = w.shape as [number, number];
  const inElements = elementCount(x.shape);
  if (inElements % inUnits !== 0) throw c.bad(`its input has ${inElements} values, not a multiple of the weights' ${inUnits} inputs`);
  const rows = inElements / inUnits;
  if (elementCount(y.shape) !== rows * outUnits) throw c.bad(`its output has shape [${y.shape.join(', ')}], expected ${rows} × ${outUnits} values`);
  const kind = checkWeights(c, x, w, bias, y, 0);
  const o = c.options(S.BuiltinOptions.FullyConnectedOptions, S.FullyConnectedOptions, 'FullyConnectedOptions');
  const format = o?.int8(S.FullyConnectedOptions.weights_format, S.FullyConnectedWeightsFormat.DEFAULT) ?? 0;
  if (format !== S.FullyConnectedWeightsFormat.DEFAULT) throw c.unsupported(`weights_format ${format} (shuffled weights) is not supported`, 'Convert the model with the default weights format.');
  const keepDims = o?.bool(S.FullyConnectedOptions.keep_num_dims, false) ?? false;
  if (keepDims && !(y.shape.length === 2 && y.shape[0] === rows && y.shape[1] === outUnits)) {
    throw c.unsupported(`keep_num_dims keeps the output at [${y.shape.join(', ')}] instead of [${rows}, ${outUnits}]`, 'Flatten the input before the dense layer.');
  }
  if (kind === 'hybrid' && (o?.bool(S.FullyConnectedOptions.asymmetric_quantize_inputs, false) ?? false)) {
    throw c.unsupported('asymmetric_quantize_inputs (hybrid with asymmetric inputs) is not supported', 'Convert the model as float32 or with full-integer int8 quantization.');
  }
  const biasType = o?.int8(S.FullyConnectedOptions.quantized_bias_type, 0) ?? 0;
  if (biasType !== 0 && biasType !== S.TensorType.INT32) throw c.unsupported(`quantized_bias_type ${S.tensorTypeName(biasType)} is not supported`, 'Use int32 biases.');
  const activation = c.activation(o?.int8(S.FullyConnectedOptions.fused_activation_function, 0) ?? 0);
  return { op: 'fullyConnected', inputs: [x.index, w.index, bias?.index ?? -1], outputs: [y.index], activation };
}

function pool(c: OpContext, op: 'maxPool2d' | 'avgPool2d'): Op {
  c.arity(1, 1);
  const x = c.in(0);
  const y = c.out();
  c.sameKind([
    { t: x, role: 'input' },
    { t: y, role: 'output' },
  ]);
  const xs = c.nhwc(x, 'input');
  const ys = c.nhwc(y, 'output');
  if (xs[3] !== ys[3]) throw c.bad(`its input has ${xs[3]} channels but its output ${ys[3]}`);
  const o = c.options(S.BuiltinOptions.Pool2DOptions, S.Pool2DOptions, 'Pool2DOptions');
  const padding = c.padding(o?.int8(S.Pool2DOptions.padding, S.Padding.SAME) ?? S.Padding.SAME);
  const stride: Pair = [c.positive(o?.int32(S.Pool2DOptions.stride_h, 0) ?? 0, 'stride_h'), c.positive(o?.int32(S.Pool2DOptions.stride_w, 0) ?? 0, 'stride_w')];
  const filter: Pair = [c.positive(o?.int32(S.Pool2DOptions.filter_height, 0) ?? 0, 'filter_height'), c.positive(o?.int32(S.Pool2DOptions.filter_width, 0) ?? 0, 'filter_width')];
  checkSpatial(c, xs, ys, filter, stride, [1, 1], padding);
  const activation = c.activation(o?.int8(S.Pool2DOptions.fused_activation_function, 0) ?? 0);
  return { op, inputs: [x.index], outputs: [y.index], filter, stride, padding, activation };
}

/** RESHAPE: the output tensor's shape is the new shape; the shape input and new_shape are dropped. */
function reshape(c: OpContext): Op {
  c.arity(1, 2);
  const x = c.in(0);
  const y = c.out();
  c.sameKind([
    { t: x, role: 'input' },
    { t: y, role: 'output' },
  ]);
  if (elementCount(x.shape) !== elementCount(y.shape)) throw c.bad(`reshapes [${x.shape.join(', ')}] to [${y.shape.join(', ')}], a different number of values`);
  c.options(S.BuiltinOptions.ReshapeOptions, S.ReshapeOptions, 'ReshapeOptions');
  return { op: 'reshape', inputs: [x.index], outputs: [y.index] };
}

function softmax(c: OpContext): Op {
  c.arity(1, 1);
  const x = c.in(0);
  const y = c.out();
  c.sameKind([
    { t: x, role: 'input' },
    { t: y, role: 'output' },
  ]);
  if (x.shape.join() !== y.shape.join()) throw c.bad(`its input [${x.shape.join(', ')}] and output [${y.shape.join(', ')}] differ in shape`);
  const o = c.options(S.BuiltinOptions.SoftmaxOptions, S.SoftmaxOptions, 'SoftmaxOptions');
  // without options the runtime's beta is 0 (its parameters start zeroed)
  const beta = o?.float32(S.SoftmaxOptions.beta, 0) ?? 0;
  if (!Number.isFinite(beta)) throw c.bad(`beta is ${beta}`);
  return { op: 'softmax', inputs: [x.index], outputs: [y.index], beta };
}

function add(c: OpContext): Op {
  c.arity(2, 2);
  const a = c.in(0);
  const b = c.in(1);
  const y = c.out();
  c.sameKind([
    { t: a, role: 'input 0' },
    { t: b, role: 'input 1' },
    { t: y, role: 'output' },
  ]);
  if (a.shape.join() !== y.shape.join() || b.shape.join() !== y.shape.join()) {
    throw c.unsupported(`adds [${a.shape.join(', ')}] and [${b.shape.join(', ')}] into [${y.shape.join(', ')}]: broadcasting is not supported`, 'Add tensors of equal shapes (residual connections).');
  }
  const o = c.options(S.BuiltinOptions.AddOptions, S.AddOptions, 'AddOptions');
  const activation = c.activation(o?.int8(S.AddOptions.fused_activation_function, 0) ?? 0);
  return { op: 'add', inputs: [a.index, b.index], outputs: [y.index], activation };
}

function concat(c: OpContext): Op {
  if (c.op.inputs.length < 1) throw c.bad('has no inputs');
  c.arity(1, c.op.inputs.length);
  const xs = c.op.inputs.map((_, i) => c.in(i));
  const y = c.out();
  c.sameKind([...xs.map((t, i) => ({ t, role: `input ${i}` })), { t: y, role: 'output' }]);
  const o = c.options(S.BuiltinOptions.ConcatenationOptions, S.ConcatenationOptions, 'ConcatenationOptions');
  const rank = y.shape.length;
  const fileAxis = o?.int32(S.ConcatenationOptions.axis, 0) ?? 0;
  const axis = fileAxis < 0 ? fileAxis + rank : fileAxis;
  if (axis < 0 || axis >= rank) throw c.bad(`axis ${fileAxis} is outside the output's ${rank} dimensions`);
  let total = 0;
  for (const [i, x] of xs.entries()) {
    if (x.shape.length !== rank || x.shape.some((d, k) => k !== axis && d !== y.shape[k])) {
      throw c.bad(`input ${i} [${x.shape.join(', ')}] does not fit output [${y.shape.join(', ')}] along axis ${axis}`);
    }
    total += x.shape[axis]!;
  }
  if (total !== y.shape[axis]) throw c.bad(`the inputs add up to ${total} along axis ${axis}, the output has ${y.shape[axis]}`);
  const activation = c.activation(o?.int8(S.ConcatenationOptions.fused_activation_function, 0) ?? 0);
  return { op: 'concat', inputs: xs.map((x) => x.index), outputs: [y.index], axis, activation };
}

function pad(c: OpContext): Op {
  c.arity(2, 2);
  const x = c.in(0);
  const p = c.in(1);
  const y = c.out();
  c.sameKind([
    { t: x, role: 'input' },
    { t: y, role: 'output' },
  ]);
  const rank = x.shape.length;
  if (p.shape.length !== 2 || p.shape[0] !== rank || p.shape[1] !== 2) throw c.bad(`paddings tensor ${p.index} '${p.name}' has shape [${p.shape.join(', ')}], expected [${rank}, 2]`);
  const values = c.constantInts(p, 'paddings');
  const paddings = x.shape.map((_, d): Pair => [values[2 * d]!, values[2 * d + 1]!]);
  paddings.forEach(([before, after], d) => {
    if (before < 0 || after < 0) throw c.bad(`paddings of dimension ${d} are negative (${before}, ${after})`);
    if (y.shape[d] !== x.shape[d]! + before + after) throw c.bad(`pads dimension ${d} of ${x.shape[d]} by ${before} + ${after}, but the output has ${y.shape[d]}`);
  });
  if (y.shape.length !== rank) throw c.bad(`its output has rank ${y.shape.length}, its input ${rank}`);
  c.options(S.BuiltinOptions.PadOptions, {}, 'PadOptions');
  return { op: 'pad', inputs: [x.index], outputs: [y.index], paddings };
}

function quantize(c: OpContext, op: 'quantize' | 'dequantize'): Op {
  c.arity(1, 1);
  const x = c.in(0);
  const y = c.out();
  const from = c.kind(x, 'input');
  const to = c.kind(y, 'output');
  if (op === 'quantize' && to !== 'int8') throw c.unsupported(`quantizes to ${to}; only to INT8`, 'Convert with int8 quantization.');
  if (op === 'dequantize' && (from !== 'int8' || to !== 'float32')) throw c.unsupported(`dequantizes ${from} to ${to}; only INT8 to FLOAT32`, 'Convert with int8 quantization.');
  if (x.shape.join() !== y.shape.join()) throw c.bad(`its input [${x.shape.join(', ')}] and output [${y.shape.join(', ')}] differ in shape`);
  c.options(op === 'quantize' ? S.BuiltinOptions.QuantizeOptions : S.BuiltinOptions.DequantizeOptions, {}, op === 'quantize' ? 'QuantizeOptions' : 'DequantizeOptions');
  return { op, inputs: [x.index], outputs: [y.index] };
}
