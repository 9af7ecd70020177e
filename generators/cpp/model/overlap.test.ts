/**
 * Overlapping an op's output with its input (overlap.ts) is safe: for 60 seeded random single-op
 * int8 models (conv, depthwise, max/avg pool, global pool, add, requantize, softmax with random
 * shapes, strides and padding), the generated C with the output placed exactly `gap` bytes below
 * the input — overwriting the input as it goes — gives outputs bit-identical to the TS interpreter
 * (which keeps every tensor apart). And the gap is not slack: with a gap of 0 instead, some of
 * the windowed ops' outputs come out wrong.
 */
import { describe, expect, test } from 'vitest';
import { ModelBuilder } from '../../../core/model/builder.js';
import { elementCount, type ModelIR, type Op } from '../../../core/model/ir.js';
import { C_SOURCES as KERNELS } from '../../../core/model/kernels/c-sources.gen.js';
import { compileModel } from '../../../core/model/interpret/compile.js';
import { seededRandom } from '../../../core/util/seeded-random.js';
import { compileC, haveCompiler, STRICT_C99_FLAGS } from '../../../test/support/compile-c.js';
import { emitModel } from './emit-model.js';
import { overlapGap } from './overlap.js';


const q = (scale: number, zp: number) => ({ scale: [scale], zeroPoint: [zp], axis: 0 });
const KINDS = ['conv2d', 'depthwiseConv2d', 'maxPool2d', 'avgPool2d', 'globalAvgPool', 'add', 'quantize', 'softmax'] as const;

/** A one-op int8 model of kind `kind` with random geometry. */
function randomModel(kind: (typeof KINDS)[number], next: () => number): ModelIR {
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const b = new ModelBuilder();
  const h = int(3, 9);
  const w = int(3, 9);
  const c = int(1, 6);
  const x = b.tensor('x', [1, h, w, c], 'int8', { quant: q(0.05, int(-20, 20)) });
  const stride: [number, number] = [int(1, 2), int(1, 2)];
  const padding = next() < 0.5 ? 'same' : 'valid';
  const k: [number, number] = [int(1, Math.min(3, h)), int(1, Math.min(3, w))];
  const outHW = (n: number, f: number, s: number) => (padding === 'same' ? Math.ceil(n / s) : Math.floor((n - f) / s) + 1);
  const weights = (n: number) => Int8Array.from({ length: n }, () => int(-127, 127));
  let op: Op;
  if (kind === 'conv2d' || kind === 'depthwiseConv2d') {
    const outC = kind === 'conv2d' ? int(1, 7) : c * int(1, 3);
    const wShape = kind === 'conv2d' ? [outC, k[0], k[1], c] : [1, k[0], k[1], outC];
    const wq = { scale: Array.from({ length: outC }, () => 0.001 + next() * 0.02), zeroPoint: Array(outC).fill(0), axis: kind === 'conv2d' ? 0 : 3 };
    const wt = b.tensor('w', wShape, 'int8', { quant: wq, data: weights(elementCount(wShape)) });
    const bias = b.tensor('b', [outC], 'int32', { quant: { scale: wq.scale.map((s) => s * 0.05), zeroPoint: Array(outC).fill(0), axis: 0 }, data: Int32Array.from({ length: outC }, () => int(-500, 500)) });
    const y = b.tensor('y', [1, outHW(h, k[0], stride[0]), outHW(w, k[1], stride[1]), outC], 'int8', { quant: q(0.1, int(-10, 10)) });
    op = kind === 'conv2d'
      ? { op: 'conv2d', inputs: [x, wt, bias], outputs: [y], stride, dilation: [1, 1], padding, activation: next() < 0.5 ? 'relu' : 'none' }
      : { op: 'depthwiseConv2d', inputs: [x, wt, bias], outputs: [y], stride, dilation: [1, 1], padding, depthMultiplier: outC / c, activation: 'none' };
  } else if (kind === 'maxPool2d' || kind === 'avgPool2d') {
    const y = b.tensor('y', [1, outHW(h, k[0], stride[0]), outHW(w, k[1], stride[1]), c], 'int8', { quant: b.info(x).quant! });
    op = { op: kind, inputs: [x], outputs: [y], filter: k, stride, padding, activation: 'none' };
  } else if (kind === 'globalAvgPool') {
    const y = b.tensor('y', [1, c], 'int8', { quant: b.info(x).quant! });
    op = { op: 'globalAvgPool', inputs: [x], outputs: [y] };
  } else if (kind === 'add') {
    const other = b.tensor('z', [1, h, w, c], 'int8', { quant: q(0.07, 3) });
    const y = b.tensor('y', [1, h, w, c], 'int8', { quant: q(0.1, -5) });
    op = { op: 'add', inputs: [x, other], outputs: [y], activation: 'none' };
  } else if (kind === 'quantize') {
    const y = b.tensor('y', [1, h, w, c], 'int8', { quant: q(0.08, 7) });
    op = { op: 'quantize', inputs: [x], outputs: [y] };
  } else {
    const y = b.tensor('y', [1, h, w, c], 'int8', { quant: q(1 / 256, -128) });
    op = { op: 'softmax', inputs: [x], outputs: [y], beta: 1 };
  }
  b.op(op);
  const inputs = op.inputs.filter((t) => t >= 0 && !b.info(t).data);
  return b.build(inputs, op.outputs);
}

interface Case {
  readonly name: string;
  readonly model: ModelIR;
  readonly gap: number;
  readonly inputs: Int8Array[];
}

/** A driver running each case's model on its arena with the output `gap` (or 0) bytes below the input. */
function driver(cases: readonly Case[]): string {
  return `#include <stdio.h>
#include <string.h>
${cases.map((c) => `#include "${c.name}.h"`).join('\n')}

static union { unsigned char bytes[65536]; float f; int i; } arena;

int main(void) {
  int8_t input[4096];
${cases
  .map((c) => {
    const out = elementCount(c.model.tensors[c.model.outputs[0]!]!.shape);
    const feeds = c.inputs.map((x, k) => `  { static const int8_t v[${x.length}] = {${Array.from(x).join(',')}}; memcpy(arena.bytes + ${c.name.toUpperCase()}_IN${k}, v, ${x.length}); }`).join('\n');
    return `  memset(arena.bytes, 0x55, sizeof arena.bytes);
${feeds}
  ${c.name}_invoke(arena.bytes);
  fwrite(arena.bytes + ${c.name.toUpperCase()}_OUTPUT_OFFSET, 1, ${out}, stdout);`;
  })
  .join('\n')}
  (void)input;
  return 0;
}
`;
}

async function runCases(cases: readonly Case[], gapOf: (c: Case) => number): Promise<Int8Array> {
  const files = new Map<string, string>();
  for (const c of cases) {
    const [x, ...others] = c.model.inputs;
    const base = 32768;
    const offsets = new Map<number, number>([
      [x!, base],
      [c.model.outputs[0]!, base - gapOf(c)],
    ]);
    others.forEach((t, k) => offsets.set(t, 512 + k * 4096)); // a second input far away
    const emitted = emitModel(c.model, c.name, { order: [0], offsets, scratchOffsets: new Map() }, c.name);
    for (const [f, text] of emitted.files) {
      const withInputs = f.endsWith('.h') && !f.endsWith('_weights.h') ? text.replace('#endif', `${c.model.inputs.map((t, k) => `#define ${c.name.toUpperCase()}_IN${k} ${offsets.get(t)}`).join('\n')}\n#endif`) : text;
      files.set(f, withInputs);
    }
  }
  for (const [k, v] of KERNELS) files.set(k, v);
  files.set('kernels/impulse_config.h', '#define IMPULSE_SINGLE_ROUNDING 0\n');
  files.set('driver.c', driver(cases));
  const compile = [...files.keys()].filter((f) => f.endsWith('.c') && !f.includes('_f32') && !f.includes('hybrid') && !f.includes('data_movement'));
  const prog = await compileC({ files, compile, includeDirs: ['.'], flags: [...STRICT_C99_FLAGS, '-O1', '-ffp-contract=off', '-Wno-overlength-strings'] });
  try {
    const out = (await prog.run()).stdout;
    return new Int8Array(out.buffer, out.byteOffset, out.byteLength);
  } finally {
    prog.cleanup();
  }
}

describe('outputs overlapping inputs', () => {
  const next = seededRandom(4242);
  const cases: Case[] = Array.from({ length: 60 }, (_, i) => {
    const kind = KINDS[i % KINDS.length]!;
    const model = randomModel(kind, next);
    const inputs = model.inputs.map((t) => Int8Array.from({ length: elementCount(model.tensors[t]!.shape) }, () => Math.floor(next() * 256) - 128));
    return { name: `m${i}_${kind}`, model, gap: overlapGap(model, model.ops[0]!)!, inputs };
  });
  test('every op kind has a gap', () => {
    for (const c of cases) expect(c.gap, c.name).toBeGreaterThanOrEqual(0);
  });

  test('placed `gap` bytes below the input, the C output is bit-identical to the TS interpreter', async () => {
    if (!haveCompiler('gcc')) return;
    const want = new Int8Array(cases.flatMap((c) => Array.from(tsOutput(c))));
    expect(Array.from(await runCases(cases, (c) => c.gap))).toEqual(Array.from(want));
  });

  test('with no gap at all, windowed ops overwrite input they still need', async () => {
    if (!haveCompiler('gcc')) return;
    const windowed = cases.filter((c) => c.gap > 0);
    expect(windowed.length).toBeGreaterThan(10);
    const want = new Int8Array(windowed.flatMap((c) => Array.from(tsOutput(c))));
    const got = await runCases(windowed, () => 0);
    expect(Array.from(got)).not.toEqual(Array.from(want));
  });

});

/** The TS interpreter's output of a case (every tensor in memory of its own). */
function tsOutput(c: Case): Int8Array {
  return (compileModel(c.model).run(c.inputs)[0] as Int8Array).slice();
}
