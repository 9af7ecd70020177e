/**
 * readTflite: the seven real fixture models read, with the inputs and outputs the official TFLite
 * runtime reports and the quantization ArmNN's own parser reads; hand-made files with an op,
 * version, activation or type outside the IR are one E_MODEL_UNSUPPORTED_OP naming it; broken
 * files (truncated, wrong identifier, indices out of range, ≥ 1000 seeded random mutations) are
 * one E_MODEL_TFLITE — or, for mutations that leave a valid model, a ModelIR — never another
 * exception and never a hang.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { ImpulseError } from '../../core/errors/impulse-error.js';
import { elementCount, type ModelIR } from '../../core/model/ir.js';
import { constantData } from '../../core/model/tensor-data.js';
import { readTflite } from '../../core/model/tflite/read.js';
import * as S from '../../core/model/tflite/schema.js';
import { armnnAvailable } from '../oracles/armnn.js';
import { skipWithoutTool } from '../oracles/require-tool.js';
import { loadTfliteRuntime, type TfliteRuntime } from '../oracles/tflite-runtime.js';
import { buildTflite, softmaxOptions, unaryModel, type TinyModel } from './tflite-tiny.js';
import { armnnTensors, FIXTURES, fixtureBytes, fixturePath, INT8_FIXTURES, seeded } from './tflite-support.js';

const ARMNN = 'ArmNN (Debian python3-pyarmnn under /usr/bin/python3)';

let runtime: TfliteRuntime;
beforeAll(async () => {
  runtime = await loadTfliteRuntime();
});

/** The ImpulseError `fn` throws (fails the test when it throws anything else or nothing). */
function impulseError(fn: () => unknown): ImpulseError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ImpulseError) return e;
    throw new Error(`expected an ImpulseError, got ${String(e)}`, { cause: e });
  }
  throw new Error('expected an ImpulseError, but it read');
}

describe.each(FIXTURES)('fixture %s', (file) => {
  test('reads; inputs and outputs are what the official runtime reports', () => {
    const bytes = fixtureBytes(file);
    const model = readTflite(bytes, file);
    const session = runtime.load(bytes);
    const describe = (ids: readonly number[]) => ids.map((i) => ({ name: model.tensors[i]!.name, shape: [...model.tensors[i]!.shape], dtype: model.tensors[i]!.dtype }));
    expect(describe(model.inputs)).toEqual(session.inputs.map((t) => ({ ...t, shape: [...t.shape] })));
    expect(describe(model.outputs)).toEqual(session.outputs.map((t) => ({ ...t, shape: [...t.shape] })));
    session.dispose();
    expect(model.metadata).toEqual({ source: file });
    // every constant's data has the size its shape and type need, and every op's tensors exist
    for (const [i, t] of model.tensors.entries()) if (t.data) expect(constantData(model, i).length).toBe(elementCount(t.shape));
    for (const op of model.ops) for (const t of [...op.inputs, ...op.outputs]) expect(t === -1 || model.tensors[t] !== undefined).toBe(true);
  });
});

describe.each(INT8_FIXTURES)('fixture %s under ArmNN', (file) => {
  test("input and output quantization equal what ArmNN's parser reads", ({ skip }) => {
    skipWithoutTool(skip, ARMNN, armnnAvailable);
    const model = readTflite(fixtureBytes(file), file);
    const theirs = armnnTensors(fixturePath(file));
    const ours = (ids: readonly number[]) =>
      ids.map((i) => {
        const t = model.tensors[i]!;
        // ArmNN reports the scale as a double converted from the file's float32: equal exactly
        return { name: t.name, shape: [...t.shape], scale: t.quant!.scale[0], zeroPoint: t.quant!.zeroPoint[0] };
      });
    expect(ours(model.inputs)).toEqual(theirs.inputs);
    expect(ours(model.outputs)).toEqual(theirs.outputs);
  });
});

describe('what the fixtures hold', () => {
  test('micro_speech: per-channel depthwise weights along dimension 3, per-channel int32 bias along 0', () => {
    const model = readTflite(fixtureBytes('micro_speech_quantized.tflite'), 'micro_speech');
    const dw = model.ops.find((o) => o.op === 'depthwiseConv2d')!;
    if (dw.op !== 'depthwiseConv2d') throw new Error('no depthwise conv');
    const w = model.tensors[dw.inputs[1]!]!;
    const b = model.tensors[dw.inputs[2]!]!;
    // the filter is [1, 10, 8, 8] on a one-channel input: 8 channels, depth multiplier 8
    expect(w.shape).toEqual([1, 10, 8, 8]);
    expect(dw.depthMultiplier).toBe(8);
    expect(w.quant!.scale).toHaveLength(8);
    expect(w.quant!.axis).toBe(3);
    expect(b.dtype).toBe('int32');
    expect(b.quant!.scale).toHaveLength(8);
    expect(b.quant!.axis).toBe(0);
    // TFLite's bias scale is input scale × weight scale per channel (rounded to float32 in the file)
    const x = model.tensors[dw.inputs[0]!]!;
    w.quant!.scale.forEach((s, c) => expect(b.quant!.scale[c]).toBeCloseTo(Math.fround(x.quant!.scale[0]! * s), 12));
  });

  test('the float KWS is hybrid: float activations, int8 conv weights quantized per tensor', () => {
    const model = readTflite(fixtureBytes('kws_ref_model_float32.tflite'), 'kws float');
    const convs = model.ops.filter((o) => o.op === 'conv2d');
    expect(convs).toHaveLength(5);
    for (const c of convs) {
      expect(model.tensors[c.inputs[0]!]!.dtype).toBe('float32');
      expect(model.tensors[c.inputs[1]!]!.dtype).toBe('int8');
      expect(model.tensors[c.inputs[1]!]!.quant!.scale).toHaveLength(1);
      expect(model.tensors[c.inputs[2]!]!.dtype).toBe('float32');
    }
  });
});

describe('models outside the IR: one E_MODEL_UNSUPPORTED_OP naming the op', () => {
  const unsupported = (bytes: Uint8Array, ...parts: string[]) => {
    const e = impulseError(() => readTflite(bytes, 'tiny.tflite'));
    expect(e.code).toBe('E_MODEL_UNSUPPORTED_OP');
    for (const p of parts) expect(e.message).toContain(p);
    expect(e.hint).toBeTruthy();
    expect(e.location?.file).toBe('tiny.tflite');
    return e;
  };

  test('a valid tiny model (the reference for the cases below) loads in the runtime and reads', () => {
    const bytes = unaryModel(S.BuiltinOperator.SOFTMAX, 1, 4, { op: { optionsType: S.BuiltinOptions.SoftmaxOptions, options: softmaxOptions(0.5) } });
    const session = runtime.load(bytes);
    expect(session.run([Float32Array.of(0, 0, 0, 0)])[0]).toEqual(Float32Array.of(0.25, 0.25, 0.25, 0.25));
    session.dispose();
    const model = readTflite(bytes, 'tiny.tflite');
    expect(model.ops).toEqual([{ op: 'softmax', inputs: [0], outputs: [1], beta: 0.5 }]);
  });

  test('an op the IR lacks (LOGISTIC), though the official runtime runs it', () => {
    const bytes = unaryModel(S.BuiltinOperator.LOGISTIC, 1);
    runtime.load(bytes).dispose();
    unsupported(bytes, 'operator 0 (LOGISTIC v1)', 'not supported');
  });

  test('an op code beyond the byte range (only in builtin_code), and one no schema has', () => {
    unsupported(unaryModel(150, 1), 'operator 0 (GELU v1)');
    unsupported(unaryModel(999, 1), 'builtin operator 999');
  });

  test('an op version we do not read (SOFTMAX v3: int16)', () => {
    unsupported(unaryModel(S.BuiltinOperator.SOFTMAX, 3), 'version 3 of SOFTMAX', 'int16');
  });

  test('a custom op', () => {
    const bytes = buildTflite({ ...tinyGraph(), opcodes: [{ code: S.BuiltinOperator.CUSTOM, version: 1, custom: 'MyOp' }] });
    unsupported(bytes, "custom op 'MyOp'");
  });

  test('a fused activation other than NONE/RELU/RELU6 (TANH on ADD)', () => {
    const bytes = buildTflite({
      opcodes: [{ code: S.BuiltinOperator.ADD, version: 1 }],
      tensors: [0, 1, 2].map((i) => ({ name: `t${i}`, shape: [1, 4], type: S.TensorType.FLOAT32 })),
      ops: [
        {
          opcode: 0,
          inputs: [0, 1],
          outputs: [2],
          optionsType: S.BuiltinOptions.AddOptions,
          options: (b) => {
            b.startObject(S.AddOptions.COUNT);
            b.addFieldInt8(S.AddOptions.fused_activation_function, S.ActivationFunctionType.TANH, 0);
            return b.endObject();
          },
        },
      ],
      inputs: [0, 1],
      outputs: [2],
    });
    runtime.load(bytes).dispose();
    unsupported(bytes, 'operator 0 (ADD v1)', 'TANH');
  });

  test('uint8 activations', () => {
    const q = { scale: [0.5], zeroPoint: [128] };
    const bytes = buildTflite({
      ...tinyGraph(),
      tensors: [
        { name: 'x', shape: [1, 4], type: S.TensorType.UINT8, quant: q },
        { name: 'y', shape: [1, 4], type: S.TensorType.UINT8, quant: q },
      ],
    });
    unsupported(bytes, "tensor 0 'x' is UINT8");
  });

  test('two subgraphs', () => {
    unsupported(buildTflite({ ...tinyGraph(), subgraphs: 2 }), '2 subgraphs');
  });

  test('a dynamic dimension other than the batch', () => {
    unsupported(unaryModel(S.BuiltinOperator.SOFTMAX, 1, 4, { tensors: [{ name: 'x', shape: [1, -1], type: S.TensorType.FLOAT32 }, { name: 'y', shape: [1, 4], type: S.TensorType.FLOAT32 }] }), "tensor 0 'x'", 'unknown');
  });
});

/** A [1, 4] softmax with its options: the base the broken and unsupported variants change. */
function tinyGraph(): TinyModel {
  return {
    opcodes: [{ code: S.BuiltinOperator.SOFTMAX, version: 1 }],
    tensors: [
      { name: 'x', shape: [1, 4], type: S.TensorType.FLOAT32 },
      { name: 'y', shape: [1, 4], type: S.TensorType.FLOAT32 },
    ],
    ops: [{ opcode: 0, inputs: [0], outputs: [1], optionsType: S.BuiltinOptions.SoftmaxOptions, options: softmaxOptions(1) }],
    inputs: [0],
    outputs: [1],
  };
}

describe('broken files: one E_MODEL_TFLITE, which the official runtime refuses too', () => {
  const bad = (bytes: Uint8Array, ...parts: string[]) => {
    const e = impulseError(() => readTflite(bytes, 'broken.tflite'));
    expect(e.code).toBe('E_MODEL_TFLITE');
    for (const p of parts) expect(e.message).toContain(p);
    expect(e.location?.file).toBe('broken.tflite');
    expect(() => runtime.load(bytes).dispose()).toThrow();
    return e;
  };

  test('a tensor pointing at a buffer out of range', () => {
    // FULLY_CONNECTED reads its weights' buffer: make it index 99 of 2
    const bytes = buildTflite({
      opcodes: [{ code: S.BuiltinOperator.FULLY_CONNECTED, version: 1 }],
      tensors: [
        { name: 'x', shape: [1, 2], type: S.TensorType.FLOAT32 },
        { name: 'w', shape: [2, 2], type: S.TensorType.FLOAT32, buffer: 99 },
        { name: 'y', shape: [1, 2], type: S.TensorType.FLOAT32 },
      ],
      buffers: [{ data: new Uint8Array(16) }],
      ops: [{ opcode: 0, inputs: [0, 1, -1], outputs: [2] }],
      inputs: [0],
      outputs: [2],
    });
    bad(bytes, "tensor 1 'w' refers to buffer 99", '2 buffers');
  });

  test('an operator input out of range', () => {
    bad(buildTflite({ ...tinyGraph(), ops: [{ ...tinyGraph().ops[0]!, inputs: [7] }] }), 'operator 0 (SOFTMAX v1) input 0 refers to tensor 7', '2 tensors');
  });

  test('a subgraph output out of range', () => {
    bad(buildTflite({ ...tinyGraph(), outputs: [5] }), 'refers to tensor 5');
  });

  test('an operator code index out of range', () => {
    bad(buildTflite({ ...tinyGraph(), ops: [{ ...tinyGraph().ops[0]!, opcode: 3 }] }), 'operator code 3', 'has 1');
  });

  test('the wrong file identifier', () => {
    bad(buildTflite({ ...tinyGraph(), identifier: 'TFL2' }), 'file identifier', '"TFL2"', 'expected "TFL3"');
    const fixture = fixtureBytes('hello_world_int8.tflite');
    fixture.set([0x50, 0x4b, 0x03, 0x04], 4);
    bad(fixture, 'file identifier');
  });

  test('garbage and empty files', () => {
    bad(new Uint8Array(0), 'too short');
    bad(Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251), 'file identifier');
  });

  test.each(FIXTURES)('%s truncated at 80 cut points', (file) => {
    const bytes = fixtureBytes(file);
    const cuts = [...Array.from({ length: 75 }, (_, k) => Math.floor((k / 75) * bytes.length)), bytes.length - 1, bytes.length - 2, bytes.length - 4, bytes.length - 8, bytes.length - 16];
    for (const cut of cuts) {
      const e = impulseError(() => readTflite(bytes.subarray(0, cut), file));
      expect(e.code, `cut at ${cut}`).toBe('E_MODEL_TFLITE');
    }
  });
});

describe('constant data after the flatbuffer (Buffer.offset/size, schema 3c)', () => {
  const weights = Float32Array.of(1, 2, 3, 4);
  const model = (tailOffset?: number) =>
    buildTflite({
      opcodes: [{ code: S.BuiltinOperator.FULLY_CONNECTED, version: 1 }],
      tensors: [
        { name: 'x', shape: [1, 2], type: S.TensorType.FLOAT32 },
        { name: 'w', shape: [2, 2], type: S.TensorType.FLOAT32, buffer: 1 },
        { name: 'y', shape: [1, 2], type: S.TensorType.FLOAT32 },
      ],
      buffers: [{ tail: new Uint8Array(weights.buffer), ...(tailOffset !== undefined ? { tailOffset } : {}) }],
      ops: [{ opcode: 0, inputs: [0, 1, -1], outputs: [2] }],
      inputs: [0],
      outputs: [2],
    });

  test('is read from the offset', () => {
    const ir: ModelIR = readTflite(model(), 'large.tflite');
    expect(Array.from(constantData(ir, 1))).toEqual([1, 2, 3, 4]);
  });

  test('past the end of the file is E_MODEL_TFLITE', () => {
    const e = impulseError(() => readTflite(model(1 << 20), 'large.tflite'));
    expect(e.code).toBe('E_MODEL_TFLITE');
    expect(e.message).toContain('past the end of the file');
  });
});

describe('seeded random mutations of the fixtures', () => {
  test('1400 mutated files: each a ModelIR or one E_MODEL_TFLITE / E_MODEL_UNSUPPORTED_OP, each read fast', () => {
    const files = FIXTURES.map((f) => ({ file: f, bytes: fixtureBytes(f) }));
    const next = seeded(20261205);
    const outcomes: Record<string, number> = {};
    let slowest = 0;
    const started = performance.now();
    for (let k = 0; k < 1400; k++) {
      const { file, bytes } = files[k % files.length]!;
      const m = bytes.slice();
      const view = new DataView(m.buffer);
      // The converter puts the tables (offsets, vtables, indices) after the weights, at the end:
      // most mutations go there; the rest anywhere.
      const tail = Math.min(m.length, Math.max(4096, Math.floor(m.length * 0.15)));
      for (let j = 1 + Math.floor(next() * 4); j > 0; j--) {
        const pos = next() < 0.75 ? m.length - 1 - Math.floor(next() * tail) : Math.floor(next() * m.length);
        const kind = next();
        if (kind < 0.3) m[pos] = Math.floor(next() * 256);
        else if (kind < 0.6) m[pos]! ^= 1 << Math.floor(next() * 8);
        else if (pos + 4 <= m.length) view.setInt32(pos, kind < 0.8 ? Math.floor(next() * 2 ** 32) | 0 : Math.floor(next() * 64) - 8, true);
      }
      const t0 = performance.now();
      let outcome: string;
      try {
        readTflite(m, file);
        outcome = 'ModelIR';
      } catch (e) {
        if (!(e instanceof ImpulseError)) throw new Error(`mutation ${k} of ${file}: ${String(e)}`, { cause: e });
        outcome = e.code;
      }
      slowest = Math.max(slowest, performance.now() - t0);
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    }
    console.log(`mutations: ${JSON.stringify(outcomes)}; slowest read ${slowest.toFixed(1)} ms, all ${((performance.now() - started) / 1000).toFixed(1)} s`);
    expect(Object.keys(outcomes).sort()).toEqual(['E_MODEL_TFLITE', 'E_MODEL_UNSUPPORTED_OP', 'ModelIR']);
    expect(slowest).toBeLessThan(2000);
  }, 60_000);
});
