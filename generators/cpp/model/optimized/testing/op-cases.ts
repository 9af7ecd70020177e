/**
 * Test support (not shipped): single-op int8 models of odd shapes, and one C program that runs each
 * through both the portable and the optimized generated code over seeded random inputs, writing
 * both outputs, so a test can compare them with each other and with the TS interpreter — built for
 * the host (fallback C) or for the Cortex-M4F (DSP instructions).
 */
import { ModelBuilder } from '../../../../../core/model/builder.js';
import { elementCount, type FusedActivation, type ModelIR, type Padding, type Rounding } from '../../../../../core/model/ir.js';
import { C_SOURCES as KERNEL_SOURCES } from '../../../../../core/model/kernels/c-sources.gen.js';
import { planMemory } from '../../../../../core/model/plan/index.js';
import { emitModel, type KernelSet } from '../../emit-model.js';
import { kernelScratchBytes, type KernelFile } from '../../kernel-calls.js';
import { overlapGaps } from '../../overlap.js';
import { seededRandom as rng } from '../../../../../core/util/seeded-random.js';

export { rng };

type Triple = readonly [number, number, number];
type Pair = readonly [number, number];

interface Common {
  readonly name: string;
  /** 'shift': requantization multipliers above 0.5 (shift ≥ 0); 'bound': a bias that defeats the accumulator bound. Both force the generic requantization. */
  readonly generic?: 'shift' | 'bound';
}

export type OpCase = Common &
  (
    | { readonly kind: 'conv2d'; readonly input: Triple; readonly outC: number; readonly kernel: Pair; readonly stride: Pair; readonly padding: Padding; readonly dilation?: Pair; readonly activation?: FusedActivation; readonly perTensor?: boolean; readonly noBias?: boolean; readonly deadChannel?: boolean }
    | { readonly kind: 'depthwise'; readonly input: Triple; readonly multiplier: number; readonly kernel: Pair; readonly stride: Pair; readonly padding: Padding; readonly dilation?: Pair; readonly activation?: FusedActivation; readonly perTensor?: boolean; readonly noBias?: boolean }
    | { readonly kind: 'fullyConnected'; readonly rows: number; readonly inUnits: number; readonly outUnits: number; readonly activation?: FusedActivation; readonly perChannel?: boolean; readonly noBias?: boolean }
    | { readonly kind: 'maxPool' | 'avgPool'; readonly input: Triple; readonly filter: Pair; readonly stride: Pair; readonly padding: Padding; readonly activation?: FusedActivation }
    | { readonly kind: 'globalAvgPool'; readonly input: Triple }
    | { readonly kind: 'add'; readonly shape: readonly number[]; readonly activation?: FusedActivation }
  );

const int8s = (r: () => number, n: number, lo = -128, hi = 127) => Int8Array.from({ length: n }, () => lo + Math.floor(r() * (hi - lo + 1)));
const zp = (r: () => number) => Math.floor(r() * 256) - 128;

/** The case as a one-op model IR (inputs, weights, scales and zero points seeded by `seed`). */
export function caseModel(c: OpCase, seed: number, rounding: Rounding): ModelIR {
  const r = rng(seed);
  const b = new ModelBuilder();
  const inScale = 0.02 + r() * 0.05;
  const q = (scale: number, zeroPoint: number) => ({ quant: { scale: [scale], zeroPoint: [zeroPoint], axis: 0 } });
  const meta = { rounding };
  switch (c.kind) {
    case 'conv2d':
    case 'depthwise': {
      const [h, w, inC] = c.input;
      const outC = c.kind === 'conv2d' ? c.outC : inC * c.multiplier;
      const [kh, kw] = c.kernel;
      const taps = kh * kw * (c.kind === 'conv2d' ? inC : 1);
      const x = b.tensor('x', [1, h, w, inC], 'int8', q(inScale, zp(r)));
      const wShape = c.kind === 'conv2d' ? [outC, kh, kw, inC] : [1, kh, kw, outC];
      const scales = Array.from({ length: c.perTensor ? 1 : outC }, () => 0.002 + r() * 0.01);
      if (c.kind === 'conv2d' && c.deadChannel) scales[Math.min(1, scales.length - 1)] = 1e-20;
      const weights = b.tensor('w', wShape, 'int8', { quant: { scale: scales, zeroPoint: scales.map(() => 0), axis: c.kind === 'conv2d' ? 0 : 3 }, data: int8s(r, elementCount(wShape), -127, 127) });
      const biasScales = Array.from({ length: outC }, (_, i) => inScale * scales[c.perTensor ? 0 : i]!);
      const biasRange = c.generic === 'bound' ? 2 ** 30 : 20000;
      const bias = c.noBias
        ? -1
        : b.tensor('b', [outC], 'int32', { quant: { scale: biasScales, zeroPoint: biasScales.map(() => 0), axis: 0 }, data: Int32Array.from({ length: outC }, () => Math.floor((r() * 2 - 1) * biasRange)) });
      const typical = 0.012 * inScale * 5400 * Math.sqrt(taps);
      const outScale = c.generic === 'shift' ? inScale * 0.006 * 0.8 : typical / 60;
      const y = b.tensor('y', [1, 0, 0, outC], 'int8', q(outScale, zp(r)));
      const common = { stride: c.stride, dilation: c.dilation ?? ([1, 1] as const), padding: c.padding, activation: c.activation ?? 'none' };
      if (c.kind === 'conv2d') b.op({ op: 'conv2d', inputs: [x, weights, bias], outputs: [y], ...common });
      else b.op({ op: 'depthwiseConv2d', inputs: [x, weights, bias], outputs: [y], depthMultiplier: c.multiplier, ...common });
      return withOutputShape(b.build([x], [y], meta));
    }
    case 'fullyConnected': {
      const x = b.tensor('x', [c.rows, c.inUnits], 'int8', q(inScale, zp(r)));
      const scales = Array.from({ length: c.perChannel ? c.outUnits : 1 }, () => 0.002 + r() * 0.01);
      const weights = b.tensor('w', [c.outUnits, c.inUnits], 'int8', { quant: { scale: scales, zeroPoint: scales.map(() => 0), axis: 0 }, data: int8s(r, c.outUnits * c.inUnits, -127, 127) });
      const biasScales = Array.from({ length: c.outUnits }, (_, i) => inScale * scales[c.perChannel ? i : 0]!);
      const bias = c.noBias
        ? -1
        : b.tensor('b', [c.outUnits], 'int32', { quant: { scale: biasScales, zeroPoint: biasScales.map(() => 0), axis: 0 }, data: Int32Array.from({ length: c.outUnits }, () => Math.floor((r() * 2 - 1) * (c.generic === 'bound' ? 2 ** 30 : 20000))) });
      const typical = 0.012 * inScale * 5400 * Math.sqrt(c.inUnits);
      const y = b.tensor('y', [c.rows, c.outUnits], 'int8', q(c.generic === 'shift' ? inScale * 0.006 * 0.8 : typical / 60, zp(r)));
      b.op({ op: 'fullyConnected', inputs: [x, weights, bias], outputs: [y], activation: c.activation ?? 'none' });
      return b.build([x], [y], meta);
    }
    case 'maxPool':
    case 'avgPool':
    case 'globalAvgPool': {
      const [h, w, ch] = c.input;
      const zero = zp(r);
      const x = b.tensor('x', [1, h, w, ch], 'int8', q(inScale, zero));
      if (c.kind === 'globalAvgPool') {
        const y = b.tensor('y', [1, ch], 'int8', q(inScale, zero));
        b.op({ op: 'globalAvgPool', inputs: [x], outputs: [y] });
        return b.build([x], [y], meta);
      }
      const y = b.tensor('y', [1, 0, 0, ch], 'int8', q(inScale, zero));
      b.op({ op: c.kind === 'maxPool' ? 'maxPool2d' : 'avgPool2d', inputs: [x], outputs: [y], filter: c.filter, stride: c.stride, padding: c.padding, activation: c.activation ?? 'none' });
      return withOutputShape(b.build([x], [y], meta));
    }
    case 'add': {
      const x1 = b.tensor('a', c.shape, 'int8', q(inScale, zp(r)));
      const x2 = b.tensor('b', c.shape, 'int8', q(0.01 + r() * 0.1, zp(r)));
      const y = b.tensor('y', c.shape, 'int8', q(0.03 + r() * 0.1, zp(r)));
      b.op({ op: 'add', inputs: [x1, x2], outputs: [y], activation: c.activation ?? 'none' });
      return b.build([x1, x2], [y], meta);
    }
  }
}

/** Fills in the output shape [1, outH, outW, c] of a windowed op built with a placeholder. */
function withOutputShape(model: ModelIR): ModelIR {
  const op = model.ops[0]!;
  if (!('padding' in op)) return model;
  const x = model.tensors[op.inputs[0]!]!.shape;
  const y = model.tensors[op.outputs[0]!]!;
  const [kh, kw] = op.op === 'maxPool2d' || op.op === 'avgPool2d' ? op.filter : (model.tensors[op.inputs[1]!]!.shape.slice(1, 3) as unknown as Pair);
  const dil = 'dilation' in op ? op.dilation : ([1, 1] as const);
  const size = (n: number, k: number, s: number, d: number) => (op.padding === 'same' ? Math.floor((n + s - 1) / s) : Math.floor((n + s - ((k - 1) * d + 1)) / s));
  const shape = [1, size(x[1]!, kh, op.stride[0], dil[0]), size(x[2]!, kw, op.stride[1], dil[1]), y.shape[3]!];
  const tensors = model.tensors.map((t, i) => (i === op.outputs[0] ? { ...t, shape } : t));
  return { ...model, tensors };
}

export interface CaseProgram {
  /** Files to compile (relative paths): sources under src/, the driver main.c. */
  readonly files: Map<string, string>;
  /** The .c files. */
  readonly sources: string[];
  /** Input file bytes: for every case, `inputs` rounds of each model input, in order. */
  readonly input: Uint8Array;
  /** Per case: the bytes of one output (the driver writes portable then optimized, per round). */
  readonly outputBytes: readonly number[];
  readonly models: readonly ModelIR[];
  /** Per case, per round, the model inputs. */
  readonly inputs: readonly (readonly Int8Array[])[][];
  /** Ops running an optimized kernel, per case. */
  readonly optimizedOps: readonly number[];
  /** With `overlap`: per case, whether the optimized model's output does overlap its input. */
  readonly overlapping: readonly boolean[];
}

interface Emitted {
  readonly name: string;
  readonly files: Map<string, string>;
  readonly kernels: ReadonlySet<KernelFile>;
  readonly arenaBytes: number;
  readonly inputOffsets: number[];
  readonly outputOffset: number;
  readonly optimizedOps: number;
}

function emitCase(model: ModelIR, name: string, set: KernelSet, overlap: boolean): Emitted {
  const plan = planMemory(model, { alignment: 16, scratch: (op) => kernelScratchBytes(model, op, set), ...(overlap ? { overlaps: overlapGaps(model) } : {}) });
  const e = emitModel(model, name, { order: plan.order, offsets: plan.offsets, scratchOffsets: plan.scratchOffsets }, name, set);
  const files = new Map<string, string>();
  for (const [f, t] of e.files) files.set(`src/${f}`, t);
  for (const [f, t] of e.extraFiles) files.set(`src/${f}`, t);
  return {
    name,
    files,
    kernels: e.kernels,
    arenaBytes: plan.arenaBytes,
    inputOffsets: model.inputs.map((t) => plan.offsets.get(t)!),
    outputOffset: plan.offsets.get(model.outputs[0]!)!,
    optimizedOps: e.optimizedOps,
  };
}

/** The portable kernel files (and fixed_point.h) the emitted models call. */
function kernelFiles(kernels: ReadonlySet<KernelFile>): Map<string, string> {
  const files = new Map<string, string>();
  const add = (f: string) => {
    const text = KERNEL_SOURCES.get(`kernels/${f}`);
    if (text === undefined) throw new Error(`no embedded kernels/${f}`);
    files.set(`src/kernels/${f}`, text);
  };
  add('fixed_point.h');
  for (const k of kernels) {
    add(`${k}.h`);
    add(`${k}.c`);
  }
  return files;
}

/**
 * One program for all cases: `main input.bin output.bin` runs, for each case, `rounds` inputs
 * through the portable and the optimized model and appends both outputs. With `overlap`, each
 * model's arena is planned with the outputs overlapping the inputs as far as overlap.ts allows.
 */
export function caseProgram(cases: readonly OpCase[], rounding: Rounding, rounds: number, options: { seed?: number; overlap?: boolean } = {}): CaseProgram {
  const seed = options.seed ?? 1;
  const overlap = options.overlap ?? false;
  const files = new Map<string, string>();
  const kernels = new Set<KernelFile>();
  const models: ModelIR[] = [];
  const allInputs: Int8Array[][][] = [];
  const outputBytes: number[] = [];
  const optimizedOps: number[] = [];
  const overlapping: boolean[] = [];
  const driverCases: string[] = [];
  const includes: string[] = [];
  const chunks: Uint8Array[] = [];
  let arenaMax = 16;
  cases.forEach((c, i) => {
    const model = caseModel(c, seed * 1000 + i, rounding);
    models.push(model);
    const portable = emitCase(model, `case${i}_p`, 'portable', overlap);
    const optimized = emitCase(model, `case${i}_o`, 'optimized', overlap);
    if (overlap) {
      const [x, y] = [optimized.inputOffsets[0]!, optimized.outputOffset];
      const [xn, yn] = [elementCount(model.tensors[model.inputs[0]!]!.shape), elementCount(model.tensors[model.outputs[0]!]!.shape)];
      overlapping.push(x < y + yn && y < x + xn);
    }
    optimizedOps.push(optimized.optimizedOps);
    for (const e of [portable, optimized]) {
      for (const [f, t] of e.files) {
        if (files.has(f) && files.get(f) !== t) throw new Error(`two cases bring different ${f}`);
        files.set(f, t);
      }
      e.kernels.forEach((k) => kernels.add(k));
      includes.push(`#include "${e.name}.h"`);
    }
    const r = rng(seed * 7919 + i);
    const inputSizes = model.inputs.map((t) => elementCount(model.tensors[t]!.shape));
    const rounds_: Int8Array[][] = [];
    for (let k = 0; k < rounds; k++) {
      const xs = inputSizes.map((n) => int8s(r, n));
      rounds_.push(xs);
      xs.forEach((x) => chunks.push(new Uint8Array(x.buffer)));
    }
    allInputs.push(rounds_);
    const out = elementCount(model.tensors[model.outputs[0]!]!.shape);
    outputBytes.push(out);
    const reads = (e: Emitted, arena: string) => inputSizes.map((n, j) => `memcpy(${arena} + ${e.inputOffsets[j]}, x${j}, ${n});`).join(' ');
    driverCases.push(`  /* case ${i}: ${c.name} */
  {
${inputSizes.map((n, j) => `    static int8_t x${j}[${n}];`).join('\n')}
    for (k = 0; k < ${rounds}; k++) {
${inputSizes.map((n, j) => `      if (fread(x${j}, 1, ${n}, in) != ${n}) return 3;`).join('\n')}
      memset(arena_p.bytes, 0x5A, sizeof arena_p.bytes);
      memset(arena_o.bytes, 0xA5, sizeof arena_o.bytes);
      ${reads(portable, 'arena_p.bytes')}
      ${reads(optimized, 'arena_o.bytes')}
      ${portable.name}_invoke(arena_p.bytes);
      ${optimized.name}_invoke(arena_o.bytes);
      if (fwrite(arena_p.bytes + ${portable.outputOffset}, 1, ${out}, outf) != ${out}) return 4;
      if (fwrite(arena_o.bytes + ${optimized.outputOffset}, 1, ${out}, outf) != ${out}) return 4;
    }
  }`);
    arenaMax = Math.max(arenaMax, portable.arenaBytes, optimized.arenaBytes);
  });
  for (const [f, t] of kernelFiles(kernels)) files.set(f, t);
  files.set('src/kernels/impulse_config.h', `#ifndef IMPULSE_CONFIG_H\n#define IMPULSE_CONFIG_H\n#define IMPULSE_SINGLE_ROUNDING ${rounding === 'single' ? 1 : 0}\n#endif\n`);
  files.set(
    'main.c',
    `/* Runs every case through its portable and optimized model (see op-cases.ts). */
#include <stdio.h>
#include <string.h>
#include <stdint.h>
${includes.join('\n')}

static union {
  uint8_t bytes[${arenaMax}];
  uint64_t align;
} arena_p, arena_o;

int main(int argc, char **argv) {
  FILE *in = fopen(argc > 1 ? argv[1] : "input.bin", "rb");
  FILE *outf = fopen(argc > 2 ? argv[2] : "output.bin", "wb");
  int k;
  if (in == NULL || outf == NULL) return 2;
${driverCases.join('\n')}
  fclose(outf);
  fclose(in);
  return 0;
}
`,
  );
  const sources = [...files.keys()].filter((f) => f.endsWith('.c'));
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const input = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    input.set(c, at);
    at += c.length;
  }
  return { files, sources, input, outputBytes, models, inputs: allInputs, optimizedOps, overlapping };
}
