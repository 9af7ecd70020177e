/** Human-readable descriptions of IR tensors and ops, for the comments of the generated C. */
import { isPerChannel, type ModelIR, type Op, type TensorInfo } from '../../../core/model/ir.js';
import { shortNumber } from '../c-syntax.js';

const TFLITE_NAME: Record<Op['op'], string> = {
  conv2d: 'CONV_2D',
  depthwiseConv2d: 'DEPTHWISE_CONV_2D',
  fullyConnected: 'FULLY_CONNECTED',
  maxPool2d: 'MAX_POOL_2D',
  avgPool2d: 'AVERAGE_POOL_2D',
  globalAvgPool: 'global AVERAGE_POOL_2D',
  reshape: 'RESHAPE',
  softmax: 'SOFTMAX',
  add: 'ADD',
  concat: 'CONCATENATION',
  pad: 'PAD',
  quantize: 'QUANTIZE',
  dequantize: 'DEQUANTIZE',
};

export function describeTensor(t: TensorInfo): string {
  const q = t.quant;
  let quant = '';
  if (q && isPerChannel(t)) quant = `, per-channel scales (axis ${q.axis}, ${q.scale.length} channels)`;
  else if (q && t.dtype !== 'float32') quant = `, scale ${shortNumber(q.scale[0]!)} zero point ${q.zeroPoint[0]}`;
  return `[${t.shape.join('×')}] ${t.dtype}${quant}`;
}

export function describeOp(model: ModelIR, op: Op): string {
  const parts: string[] = [TFLITE_NAME[op.op]];
  if ('filter' in op) parts.push(`${op.filter[0]}×${op.filter[1]}`);
  if (op.op === 'conv2d' || op.op === 'depthwiseConv2d') {
    const w = model.tensors[op.inputs[1]!]!.shape;
    parts.push(`${w[1]}×${w[2]}`);
  }
  if ('stride' in op) parts.push(`stride ${op.stride[0]}×${op.stride[1]}`);
  if ('dilation' in op && (op.dilation[0] !== 1 || op.dilation[1] !== 1)) parts.push(`dilation ${op.dilation[0]}×${op.dilation[1]}`);
  if ('padding' in op) parts.push(`padding ${op.padding}`);
  if (op.op === 'depthwiseConv2d') parts.push(`depth multiplier ${op.depthMultiplier}`);
  if (op.op === 'concat') parts.push(`axis ${op.axis}`);
  if (op.op === 'softmax' && op.beta !== 1) parts.push(`beta ${op.beta}`);
  if ('activation' in op && op.activation !== 'none') parts.push(`fused ${op.activation.toUpperCase()}`);
  return parts.join(', ');
}
