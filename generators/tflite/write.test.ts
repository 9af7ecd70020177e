/**
 * writeTflite against independent oracles:
 * - each of the seven real fixtures, read and written back, reads to the same IR and runs in the
 *   official TFLite runtime (and, int8, in ArmNN CpuRef) with outputs identical to the original
 *   file's on seeded random inputs;
 * - a float model with every IR op and asymmetric strides, filters, dilations and paddings gives,
 *   in the official runtime, what TF.js computes for the same ops (catches swapped h/w, wrong
 *   padding or options);
 * - an int8 model with every IR op (per-channel conv and depthwise, quantize, dequantize) loads in
 *   both the official runtime and ArmNN, which agree within 1 LSB (op versions both accept);
 * - the file's structure: identifier, schema version, empty buffer 0, 16-byte aligned data, both
 *   opcode fields, metadata entries.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ModelBuilder } from '../../core/model/builder.js';
import { elementCount, type ModelIR, type Quantization } from '../../core/model/ir.js';
import { constantData } from '../../core/model/tensor-data.js';
import { CheckedBuffer } from '../../core/model/tflite/flatbuffer.js';
import { readTflite } from '../../core/model/tflite/read.js';
import * as S from '../../core/model/tflite/schema.js';
import { armnnAvailable, runArmnn } from '../../test/oracles/armnn.js';
import { compareInt8 } from '../../test/oracles/compare.js';
import { skipWithoutTool } from '../../test/oracles/require-tool.js';
import { loadTfliteRuntime, type TfliteRuntime } from '../../test/oracles/tflite-runtime.js';
import { FIXTURES, fixtureBytes, fixturePath, INT8_FIXTURES, randomInputs, seeded } from '../../test/model/tflite-support.js';
import { writeTflite } from './write.js';

const ARMNN = 'ArmNN (Debian python3-pyarmnn under /usr/bin/python3)';

let runtime: TfliteRuntime;
let work: string;
beforeAll(async () => {
  runtime = await loadTfliteRuntime();
  await tf.setBackend('cpu');
  work = mkdtempSync(path.join(tmpdir(), 'impulse-tflite-write-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const runAll = (bytes: Uint8Array, xs: readonly (Int8Array | Float32Array)[]) => {
  const session = runtime.load(bytes);
  try {
    return { inputs: session.inputs, outputs: session.outputs, ys: xs.map((x) => Array.from(session.run([x])[0]!)) };
  } finally {
    session.dispose();
  }
};

describe.each(FIXTURES)('fixture %s written back', (file) => {
  const original = fixtureBytes(file);
  const model = readTflite(original, file);
  const written = writeTflite(model);

  test('reads to the same IR (tensors, ops, weight bytes, metadata)', () => {
    expect(readTflite(written, file)).toEqual(model);
  });

  test('runs in the official runtime with the same tensors and identical outputs', () => {
    const input = model.tensors[model.inputs[0]!]!;
    const xs = randomInputs(input.dtype, elementCount(input.shape), 10, 7);
    const want = runAll(original, xs);
    const got = runAll(written, xs);
    expect(got.inputs).toEqual(want.inputs);
    expect(got.outputs).toEqual(want.outputs);
    expect(got.ys).toEqual(want.ys);
  });
});

describe.each(INT8_FIXTURES)('fixture %s written back, under ArmNN', (file) => {
  test('ArmNN runs it with outputs identical to the original file', async ({ skip }) => {
    skipWithoutTool(skip, ARMNN, armnnAvailable);
    const model = readTflite(fixtureBytes(file), file);
    const out = path.join(work, file);
    writeFileSync(out, writeTflite(model));
    const input = model.tensors[model.inputs[0]!]!;
    const xs = randomInputs(input.dtype, elementCount(input.shape), 10, 11);
    const [want, got] = await Promise.all([runArmnn(fixturePath(file), xs), runArmnn(out, xs)]);
    expect(got.map((r) => Array.from(r[0]!))).toEqual(want.map((r) => Array.from(r[0]!)));
  }, 120_000);
});

// ---- hand-built models with every IR op --------------------------------------------------------

const next = seeded(424242);
const floats = (n: number, scale = 1) => Float32Array.from({ length: n }, () => (next() * 2 - 1) * scale);

/** A float model through every IR op, with asymmetric options; `tfjs` computes the same with TF.js. */
function floatModel() {
  const b = new ModelBuilder();
  const f32 = 'float32' as const;
  const x = b.tensor('x', [1, 12, 10, 3], f32);
  const w1 = floats(4 * 3 * 2 * 3);
  const b1 = floats(4);
  const c1 = b.tensor('conv', [1, 6, 10, 4], f32);
  b.op({ op: 'conv2d', inputs: [x, b.tensor('conv/w', [4, 3, 2, 3], f32, { data: w1 }), b.tensor('conv/b', [4], f32, { data: b1 })], outputs: [c1], stride: [2, 1], dilation: [1, 1], padding: 'same', activation: 'relu' });
  const mp = b.tensor('maxpool', [1, 6, 5, 4], f32);
  b.op({ op: 'maxPool2d', inputs: [c1], outputs: [mp], filter: [2, 3], stride: [1, 2], padding: 'same', activation: 'none' });
  const ap = b.tensor('avgpool', [1, 6, 5, 4], f32);
  b.op({ op: 'avgPool2d', inputs: [c1], outputs: [ap], filter: [3, 2], stride: [1, 2], padding: 'same', activation: 'none' });
  const cat = b.tensor('concat', [1, 6, 5, 8], f32);
  b.op({ op: 'concat', inputs: [mp, ap], outputs: [cat], axis: 3, activation: 'none' });
  const w2 = floats(3 * 3 * 8);
  const b2 = floats(8);
  const dw = b.tensor('depthwise', [1, 2, 3, 8], f32);
  b.op({ op: 'depthwiseConv2d', inputs: [cat, b.tensor('dw/w', [1, 3, 3, 8], f32, { data: w2 }), b.tensor('dw/b', [8], f32, { data: b2 })], outputs: [dw], stride: [1, 1], dilation: [2, 1], padding: 'valid', depthMultiplier: 1, activation: 'relu6' });
  const padded = b.tensor('pad', [1, 3, 5, 8], f32);
  const paddings = [[0, 0], [1, 0], [0, 2], [0, 0]] as const;
  b.op({ op: 'pad', inputs: [dw], outputs: [padded], paddings });
  const w3 = floats(8 * 8);
  const pw = b.tensor('pointwise', [1, 3, 5, 8], f32);
  b.op({ op: 'conv2d', inputs: [padded, b.tensor('pw/w', [8, 1, 1, 8], f32, { data: w3 }), -1], outputs: [pw], stride: [1, 1], dilation: [1, 1], padding: 'valid', activation: 'none' });
  const sum = b.tensor('add', [1, 3, 5, 8], f32);
  b.op({ op: 'add', inputs: [padded, pw], outputs: [sum], activation: 'relu6' });
  const gap = b.tensor('gap', [1, 8], f32);
  b.op({ op: 'globalAvgPool', inputs: [sum], outputs: [gap] });
  const w4 = floats(6 * 8);
  const b4 = floats(6);
  const fc = b.tensor('fc', [1, 6], f32);
  b.op({ op: 'fullyConnected', inputs: [gap, b.tensor('fc/w', [6, 8], f32, { data: w4 }), b.tensor('fc/b', [6], f32, { data: b4 })], outputs: [fc], activation: 'none' });
  const rs = b.tensor('reshape', [1, 2, 3], f32);
  b.op({ op: 'reshape', inputs: [fc], outputs: [rs] });
  const y = b.tensor('y', [1, 2, 3], f32);
  b.op({ op: 'softmax', inputs: [rs], outputs: [y], beta: 0.5 });
  const model = b.build([x], [y], { labels: ['a', 'b', 'c'], source: 'every op, float' });

  /** The same computation in TF.js (weights from IR layouts to TF's). */
  const tfjs = (input: Float32Array): Float32Array =>
    tf.tidy(() => {
      const xt = tf.tensor4d(input, [1, 12, 10, 3]);
      const ohwi = (w: Float32Array, o: number, h: number, wd: number, i: number) => tf.transpose(tf.tensor4d(w, [o, h, wd, i]), [1, 2, 3, 0]) as tf.Tensor4D;
      const conv = tf.relu(tf.add(tf.conv2d(xt, ohwi(w1, 4, 3, 2, 3), [2, 1], 'same'), tf.tensor1d(b1))) as tf.Tensor4D;
      const cat = tf.concat([tf.maxPool(conv, [2, 3], [1, 2], 'same'), tf.avgPool(conv, [3, 2], [1, 2], 'same')], 3);
      const dw = tf.clipByValue(tf.add(tf.depthwiseConv2d(cat, tf.tensor4d(w2, [3, 3, 8, 1]), [1, 1], 'valid', 'NHWC', [2, 1]), tf.tensor1d(b2)), 0, 6) as tf.Tensor4D;
      const padded = tf.pad(dw, paddings.map(([a, c]) => [a, c] as [number, number]));
      const pw = tf.conv2d(padded, ohwi(w3, 8, 1, 1, 8), 1, 'valid');
      const sum = tf.clipByValue(tf.add(padded, pw), 0, 6);
      const gap = tf.mean(sum, [1, 2]) as tf.Tensor2D;
      const fc = tf.add(tf.matMul(gap, tf.tensor2d(w4, [6, 8]), false, true), tf.tensor1d(b4));
      return tf.softmax(tf.mul(tf.reshape(fc, [1, 2, 3]), 0.5)).dataSync() as Float32Array;
    });
  return { model, tfjs };
}

describe('a float model with every IR op', () => {
  const { model, tfjs } = floatModel();

  test('gives in the official runtime what TF.js computes', () => {
    const written = writeTflite(model);
    const xs = randomInputs('float32', 12 * 10 * 3, 10, 3);
    const { ys } = runAll(written, xs);
    xs.forEach((x, i) => {
      const want = tfjs(x as Float32Array);
      ys[i]!.forEach((v, k) => expect(Math.abs(v - want[k]!)).toBeLessThan(1e-5));
    });
  });

  test('reads back to the same IR, except globalAvgPool, which TFLite spells AVERAGE_POOL_2D + RESHAPE', () => {
    const back = readTflite(writeTflite(model), 'every-op.tflite');
    expect(back.metadata).toEqual(model.metadata);
    expect(back.ops.map((o) => o.op)).toEqual(model.ops.flatMap((o) => (o.op === 'globalAvgPool' ? ['avgPool2d', 'reshape'] : [o.op])));
    // the IR's tensors keep their indices, data and names; after them come the pointwise conv's
    // zero bias (TFLite's CONV_2D needs one) and the pooled [1, 1, 1, 8] tensor
    expect(back.tensors.slice(0, model.tensors.length)).toEqual(model.tensors);
    expect(back.tensors.slice(model.tensors.length).map((t) => [t.name, t.shape])).toEqual([
      ['pointwise/zero_bias', [8]],
      ['gap/pooled', [1, 1, 1, 8]],
    ]);
    expect(Array.from(constantData(back, model.tensors.length))).toEqual(new Array(8).fill(0));
    expect(back.weights.subarray(0, model.weights.length)).toEqual(model.weights);
    const pool = back.ops.find((o) => o.op === 'avgPool2d' && o.inputs[0] === model.ops.find((m) => m.op === 'globalAvgPool')!.inputs[0]);
    expect(pool).toMatchObject({ filter: [3, 5], stride: [1, 1], padding: 'valid', activation: 'none' });
  });
});

/** An int8 model with every IR op: quantize, per-channel conv and depthwise, pools, pad, concat, add, FC, softmax, dequantize. */
function int8Model(): ModelIR {
  const b = new ModelBuilder();
  // scales as a file holds them: float32
  const q = (scale: number, zeroPoint: number): Quantization => ({ scale: [Math.fround(scale)], zeroPoint: [zeroPoint], axis: 0 });
  const int8s = (n: number) => Int8Array.from({ length: n }, () => Math.floor(next() * 255) - 127);
  const perChannel = (n: number, axis: number): Quantization => ({ scale: Array.from({ length: n }, () => Math.fround(0.004 + 0.004 * next())), zeroPoint: new Array<number>(n).fill(0), axis });
  const bias = (inScale: number, w: Quantization) => {
    const data = Int32Array.from(w.scale, () => Math.floor(next() * 2000) - 1000);
    return { data, quant: { scale: w.scale.map((s) => Math.fround(inScale * s)), zeroPoint: w.scale.map(() => 0), axis: 0 } };
  };
  const x = b.tensor('x', [1, 8, 8, 2], 'float32');
  const qx = b.tensor('x/int8', [1, 8, 8, 2], 'int8', { quant: q(0.02, -3) });
  b.op({ op: 'quantize', inputs: [x], outputs: [qx] });
  const wq1 = perChannel(4, 0);
  const b1 = bias(0.02, wq1);
  const c1 = b.tensor('conv', [1, 8, 8, 4], 'int8', { quant: q(0.05, -128) });
  b.op({ op: 'conv2d', inputs: [qx, b.tensor('conv/w', [4, 3, 3, 2], 'int8', { data: int8s(72), quant: wq1 }), b.tensor('conv/b', [4], 'int32', b1)], outputs: [c1], stride: [1, 1], dilation: [1, 1], padding: 'same', activation: 'relu' });
  const wq2 = perChannel(4, 3);
  const b2 = bias(0.05, wq2);
  // zero point 0 from here to the pad: ArmNN 20.08 pads int8 with 0, the official runtime (rightly) with the zero point
  const dw = b.tensor('depthwise', [1, 4, 4, 4], 'int8', { quant: q(0.04, 0) });
  b.op({ op: 'depthwiseConv2d', inputs: [c1, b.tensor('dw/w', [1, 3, 3, 4], 'int8', { data: int8s(36), quant: wq2 }), b.tensor('dw/b', [4], 'int32', b2)], outputs: [dw], stride: [2, 2], dilation: [1, 1], padding: 'same', depthMultiplier: 1, activation: 'none' });
  const same = q(0.04, 0);
  const mp = b.tensor('maxpool', [1, 2, 2, 4], 'int8', { quant: same });
  b.op({ op: 'maxPool2d', inputs: [dw], outputs: [mp], filter: [2, 2], stride: [2, 2], padding: 'valid', activation: 'none' });
  const ap = b.tensor('avgpool', [1, 2, 2, 4], 'int8', { quant: same });
  b.op({ op: 'avgPool2d', inputs: [dw], outputs: [ap], filter: [2, 2], stride: [2, 2], padding: 'valid', activation: 'none' });
  const cat = b.tensor('concat', [1, 2, 2, 8], 'int8', { quant: same });
  b.op({ op: 'concat', inputs: [mp, ap], outputs: [cat], axis: 3, activation: 'none' });
  const padded = b.tensor('pad', [1, 3, 3, 8], 'int8', { quant: same });
  b.op({ op: 'pad', inputs: [cat], outputs: [padded], paddings: [[0, 0], [1, 0], [0, 1], [0, 0]] });
  const sum = b.tensor('add', [1, 3, 3, 8], 'int8', { quant: q(0.06, -10) });
  b.op({ op: 'add', inputs: [padded, padded], outputs: [sum], activation: 'none' });
  const gap = b.tensor('gap', [1, 8], 'int8', { quant: q(0.06, -10) });
  b.op({ op: 'globalAvgPool', inputs: [sum], outputs: [gap] });
  const wq4 = q(0.01, 0);
  const b4 = bias(0.06, wq4);
  const fc = b.tensor('fc', [1, 3], 'int8', { quant: q(0.08, 4) });
  b.op({ op: 'fullyConnected', inputs: [gap, b.tensor('fc/w', [3, 8], 'int8', { data: int8s(24), quant: wq4 }), b.tensor('fc/b', [3], 'int32', { data: Int32Array.from({ length: 3 }, () => Math.floor(next() * 2000) - 1000), quant: b4.quant })], outputs: [fc], activation: 'none' });
  const sm = b.tensor('softmax', [1, 3], 'int8', { quant: q(1 / 256, -128) });
  b.op({ op: 'softmax', inputs: [fc], outputs: [sm], beta: 1 });
  const y = b.tensor('y', [1, 3], 'float32');
  b.op({ op: 'dequantize', inputs: [sm], outputs: [y] });
  return b.build([x], [y], { source: 'every op, int8' });
}

describe('an int8 model with every IR op', () => {
  const model = int8Model();
  const written = writeTflite(model);

  test('reads back to the same IR but for globalAvgPool', () => {
    const back = readTflite(written, 'int8.tflite');
    expect(back.tensors.slice(0, model.tensors.length)).toEqual(model.tensors);
    expect(back.ops.length).toBe(model.ops.length + 1);
  });

  test('loads in the official runtime and in ArmNN, which agree within 1 LSB', async ({ skip }) => {
    const xs = randomInputs('float32', 8 * 8 * 2, 20, 5).map((x) => x.map((v) => v * 2.5) as Float32Array);
    const official = runAll(written, xs).ys;
    skipWithoutTool(skip, ARMNN, armnnAvailable);
    const file = path.join(work, 'every-op-int8.tflite');
    writeFileSync(file, written);
    const armnn = (await runArmnn(file, xs)).map((r) => Array.from(r[0]!));
    // the dequantized softmax: one LSB is 1/256
    const lsb = (ys: number[][]) => ys.map((y) => y.map((v) => Math.round(v * 256)));
    const c = compareInt8(lsb(armnn), lsb(official));
    // Average pooling rounds halves differently in XNNPACK and ArmNN's reference kernel (1 LSB),
    // and the add and softmax after it can widen that to a few LSB; an encoding error (a wrong
    // per-channel axis, scale or zero point) would put them tens of LSB apart.
    console.log(`int8 every-op model, ArmNN vs official: ${(c.withinOneLsb * 100).toFixed(1)}% within 1 LSB, max ${c.maxLsb} LSB, same top ${(c.sameTop * 100).toFixed(0)}%`);
    expect(c.withinOneLsb).toBeGreaterThanOrEqual(0.9);
    expect(c.maxLsb).toBeLessThanOrEqual(4);
    expect(c.sameTop).toBeGreaterThanOrEqual(0.9);
  }, 120_000);
});

describe('file structure', () => {
  const model: ModelIR = { ...readTflite(fixtureBytes('micro_speech_quantized.tflite'), 'micro_speech'), metadata: { labels: ['silence', 'unknown', 'yes', 'no'], windowMs: 1000, frequency: 16000, source: 'test', rounding: 'single' } };
  const bytes = writeTflite(model);
  const buf = new CheckedBuffer(bytes);
  const root = buf.root(S.Model, 'Model');

  test('identifier TFL3, schema version 3, buffer 0 empty, constant data 16-byte aligned', () => {
    expect(new TextDecoder().decode(bytes.subarray(4, 8))).toBe('TFL3');
    expect(root.uint32(S.Model.version, 0)).toBe(3);
    const buffers = root.tables(S.Model.buffers, S.Buffer, (i) => `buffer ${i}`)!;
    expect(buffers[0]!.bytes(S.Buffer.data) ?? new Uint8Array()).toHaveLength(0);
    const withData = buffers.map((t) => t.vector(S.Buffer.data, 1)).filter((v) => v && v.length > 0);
    expect(withData.length).toBeGreaterThan(0);
    for (const v of withData) expect(v!.start % 16).toBe(0);
  });

  test('operator codes carry builtin_code and deprecated_builtin_code', () => {
    const codes = root.tables(S.Model.operator_codes, S.OperatorCode, (i) => `code ${i}`)!;
    const pairs = codes.map((c) => [c.int32(S.OperatorCode.builtin_code, 0), c.int8(S.OperatorCode.deprecated_builtin_code, 0)]);
    expect(pairs.map(([code]) => code).sort()).toEqual([S.BuiltinOperator.DEPTHWISE_CONV_2D, S.BuiltinOperator.FULLY_CONNECTED, S.BuiltinOperator.RESHAPE, S.BuiltinOperator.SOFTMAX].sort());
    for (const [code, deprecated] of pairs) expect(deprecated).toBe(Math.min(code!, 127));
  });

  test('metadata: min_runtime_version and our entry, read back by readTflite', () => {
    const entries = root.tables(S.Model.metadata, S.Metadata, (i) => `metadata ${i}`)!;
    const buffers = root.tables(S.Model.buffers, S.Buffer, (i) => `buffer ${i}`)!;
    const text = (i: number) => new TextDecoder().decode(buffers[entries[i]!.uint32(S.Metadata.buffer, 0)]!.bytes(S.Buffer.data)).replace(/\0+$/, '');
    expect(entries.map((e) => e.string(S.Metadata.name))).toEqual(['min_runtime_version', 'impulse_kit']);
    // depthwise and fully connected int8 need 1.14 (TFLite's runtime_version table)
    expect(text(0)).toBe('1.14.0');
    expect(JSON.parse(text(1))).toEqual(model.metadata);
    expect(readTflite(bytes, 'm.tflite').metadata).toEqual(model.metadata);
    expect(root.string(S.Model.description)).toContain('test');
    runtime.load(bytes).dispose();
  });

  test('a damaged entry of ours is E_MODEL_TFLITE naming it; the runtime ignores metadata', () => {
    const damaged = bytes.slice();
    const at = Buffer.from(damaged).indexOf('{"rounding"');
    expect(at).toBeGreaterThan(0);
    damaged[at] = 0x5b; // '[' : no longer a JSON object
    expect(() => readTflite(damaged, 'm.tflite')).toThrow(expect.objectContaining({ code: 'E_MODEL_TFLITE', message: expect.stringContaining("metadata 'impulse_kit'") }));
    runtime.load(damaged).dispose();
  });
});
