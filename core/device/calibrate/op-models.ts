/**
 * Small int8 models of one op each, over a spread of shapes (channels, kernel sizes, strides,
 * padding), so the op cost rows are fitted on more than the few shapes the real models happen to
 * have. Weights are seeded random, quantization per-channel as TFLite writes it.
 */
import { elementCount, type ModelIR, type Padding, type Pair } from '../../model/ir.js';
import { ModelBuilder } from '../../model/builder.js';
import { outputSize } from '../../model/kernels/geometry.js';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) >>> 24) - 128;
}

const perTensor = (scale: number, zp = 0) => ({ scale: [scale], zeroPoint: [zp], axis: 0 });
const perChannel = (n: number, scale: number, axis: number) => ({ scale: Array.from({ length: n }, (_, i) => scale * (1 + (i % 5) / 10)), zeroPoint: new Array<number>(n).fill(0), axis });

interface WindowSpec {
  readonly h: number;
  readonly w: number;
  readonly c: number;
  readonly k: Pair;
  readonly stride: Pair;
  readonly padding: Padding;
}

function convLike(kind: 'conv2d' | 'depthwiseConv2d', s: WindowSpec, outC: number, seed: number): ModelIR {
  const next = lcg(seed);
  const b = new ModelBuilder();
  const x = b.tensor('x', [1, s.h, s.w, s.c], 'int8', { quant: perTensor(0.05, -3) });
  const shape = kind === 'conv2d' ? [outC, s.k[0], s.k[1], s.c] : [1, s.k[0], s.k[1], outC];
  const w = b.tensor('w', shape, 'int8', { quant: perChannel(outC, 0.004, kind === 'conv2d' ? 0 : 3), data: Int8Array.from({ length: elementCount(shape) }, next) });
  const bias = b.tensor('b', [outC], 'int32', { quant: perChannel(outC, 0.0002, 0), data: Int32Array.from({ length: outC }, (_, i) => (i * 37) % 200 - 100) });
  const oh = outputSize(s.padding, s.h, s.k[0], s.stride[0], 1);
  const ow = outputSize(s.padding, s.w, s.k[1], s.stride[1], 1);
  const y = b.tensor('y', [1, oh, ow, outC], 'int8', { quant: perTensor(0.08, -128) });
  if (kind === 'conv2d') b.op({ op: 'conv2d', inputs: [x, w, bias], outputs: [y], stride: s.stride, dilation: [1, 1], padding: s.padding, activation: 'relu' });
  else b.op({ op: 'depthwiseConv2d', inputs: [x, w, bias], outputs: [y], stride: s.stride, dilation: [1, 1], padding: s.padding, depthMultiplier: outC / s.c, activation: 'relu' });
  return b.build([x], [y], { source: 'impulse-kit calibration' });
}

function fullyConnected(inUnits: number, units: number, seed: number): ModelIR {
  const next = lcg(seed);
  const b = new ModelBuilder();
  const x = b.tensor('x', [1, inUnits], 'int8', { quant: perTensor(0.05, 2) });
  const w = b.tensor('w', [units, inUnits], 'int8', { quant: perChannel(units, 0.003, 0), data: Int8Array.from({ length: units * inUnits }, next) });
  const bias = b.tensor('b', [units], 'int32', { quant: perChannel(units, 0.00015, 0), data: Int32Array.from({ length: units }, (_, i) => i * 11 - 50) });
  const y = b.tensor('y', [1, units], 'int8', { quant: perTensor(0.1, 0) });
  b.op({ op: 'fullyConnected', inputs: [x, w, bias], outputs: [y], activation: 'none' });
  return b.build([x], [y], { source: 'impulse-kit calibration' });
}

function pool(kind: 'maxPool2d' | 'avgPool2d', s: WindowSpec): ModelIR {
  const b = new ModelBuilder();
  const q = perTensor(0.05, -1);
  const x = b.tensor('x', [1, s.h, s.w, s.c], 'int8', { quant: q });
  const oh = outputSize(s.padding, s.h, s.k[0], s.stride[0], 1);
  const ow = outputSize(s.padding, s.w, s.k[1], s.stride[1], 1);
  const y = b.tensor('y', [1, oh, ow, s.c], 'int8', { quant: q });
  b.op({ op: kind, inputs: [x], outputs: [y], filter: s.k, stride: s.stride, padding: s.padding, activation: 'none' });
  return b.build([x], [y], { source: 'impulse-kit calibration' });
}

function softmax(depth: number): ModelIR {
  const b = new ModelBuilder();
  const x = b.tensor('x', [1, depth], 'int8', { quant: perTensor(0.1, 3) });
  const y = b.tensor('y', [1, depth], 'int8', { quant: perTensor(1 / 256, -128) });
  b.op({ op: 'softmax', inputs: [x], outputs: [y], beta: 1 });
  return b.build([x], [y], { source: 'impulse-kit calibration' });
}

const win = (h: number, w: number, c: number, k: number | Pair, stride: number | Pair, padding: Padding): WindowSpec => ({
  h, w, c,
  k: typeof k === 'number' ? [k, k] : k,
  stride: typeof stride === 'number' ? [stride, stride] : stride,
  padding,
});

/** The op models, named for the reports. */
export function opModels(): { name: string; model: ModelIR }[] {
  return [
    { name: 'op conv2d 32x32x1 k3 s1 same →8', model: convLike('conv2d', win(32, 32, 1, 3, 1, 'same'), 8, 1) },
    { name: 'op conv2d 16x16x3 k3 s2 same →16', model: convLike('conv2d', win(16, 16, 3, 3, 2, 'same'), 16, 2) },
    { name: 'op conv2d 12x12x8 k5 s1 valid →16', model: convLike('conv2d', win(12, 12, 8, 5, 1, 'valid'), 16, 3) },
    { name: 'op conv2d 8x8x32 k1 s1 valid →32', model: convLike('conv2d', win(8, 8, 32, 1, 1, 'valid'), 32, 4) },
    { name: 'op conv2d 1x48x13 k1x3 s1 valid →24', model: convLike('conv2d', win(1, 48, 13, [1, 3], 1, 'valid'), 24, 5) },
    { name: 'op depthwise 16x16x8 k3 s1 same', model: convLike('depthwiseConv2d', win(16, 16, 8, 3, 1, 'same'), 8, 6) },
    { name: 'op depthwise 24x24x16 k3 s2 same', model: convLike('depthwiseConv2d', win(24, 24, 16, 3, 2, 'same'), 16, 7) },
    { name: 'op depthwise 10x10x32 k5 s1 valid', model: convLike('depthwiseConv2d', win(10, 10, 32, 5, 1, 'valid'), 32, 8) },
    { name: 'op depthwise 20x10x2 k4 s2 same dm4', model: convLike('depthwiseConv2d', win(20, 10, 2, 4, 2, 'same'), 8, 9) },
    { name: 'op fully connected 64→16', model: fullyConnected(64, 16, 10) },
    { name: 'op fully connected 400→100', model: fullyConnected(400, 100, 11) },
    { name: 'op fully connected 7→64', model: fullyConnected(7, 64, 12) },
    { name: 'op max pool 24x24x8 k2 s2', model: pool('maxPool2d', win(24, 24, 8, 2, 2, 'valid')) },
    { name: 'op max pool 13x13x16 k3 s2 same', model: pool('maxPool2d', win(13, 13, 16, 3, 2, 'same')) },
    { name: 'op avg pool 16x16x8 k2 s2', model: pool('avgPool2d', win(16, 16, 8, 2, 2, 'valid')) },
    { name: 'op avg pool 6x6x32 k3 s1 same', model: pool('avgPool2d', win(6, 6, 32, 3, 1, 'same')) },
    { name: 'op softmax 4', model: softmax(4) },
    { name: 'op softmax 64', model: softmax(64) },
  ];
}
