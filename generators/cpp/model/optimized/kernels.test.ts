/**
 * The optimized kernels against the portable ones, op by op, over odd shapes (channels not a
 * multiple of 4, stride 2, padding on one side, 1×N and N×1 windows, dilation, depth multipliers,
 * per-channel and per-tensor weights, no bias, the generic requantization, a dead channel), both
 * requantization roundings: each case's portable and optimized C run over the same seeded inputs
 * and must give identical bytes, also equal to the TS int8 interpreter —
 *  - on the host (the helpers' plain-C fallback), gcc -std=c99 -Wall -Wextra -Werror -pedantic;
 *  - on the emulated Cortex-M4F (QEMU mps2-an386, the DSP instructions), arm-none-eabi-gcc -O2 -Werror,
 *    also with every output planned to overlap its input as the planner allows;
 * and clang compiles all of it warning-free, for the host and for the Cortex-M4.
 * Plus the requantization helpers against fixed_point.h on random and edge values, on both.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { compileModel } from '../../../../core/model/interpret/compile.js';
import type { Rounding } from '../../../../core/model/ir.js';
import { C_SOURCES as KERNEL_SOURCES } from '../../../../core/model/kernels/c-sources.gen.js';
import { buildFirmware, runOnQemu } from '../../../../core/device/qemu/index.js';
import { harnessToolsPresent } from '../../../../core/device/qemu/testing/fixtures.js';
import { compileC, compileObjects, CORTEX_M4F_FLAGS, haveCompiler, STRICT_C99_FLAGS } from '../../../../test/support/compile-c.js';
import { SIMD_HEADER, simdFiles } from './common.js';
import { caseProgram, type CaseProgram, type OpCase } from './testing/op-cases.js';

const ROUNDS = 12;

const CASES: readonly OpCase[] = [
  // CONV_2D
  { name: 'conv 1×1, 8→16 channels, relu', kind: 'conv2d', input: [6, 5, 8], outC: 16, kernel: [1, 1], stride: [1, 1], padding: 'same', activation: 'relu' },
  { name: 'conv 1×1, 5→7 channels (not multiples of 4), valid', kind: 'conv2d', input: [5, 3, 5], outC: 7, kernel: [1, 1], stride: [1, 1], padding: 'valid' },
  { name: 'conv 1×1 stride 2', kind: 'conv2d', input: [7, 9, 12], outC: 10, kernel: [1, 1], stride: [2, 2], padding: 'same' },
  { name: 'conv 3×3 same, 3 input channels, 5 output channels, relu6', kind: 'conv2d', input: [9, 8, 3], outC: 5, kernel: [3, 3], stride: [1, 1], padding: 'same', activation: 'relu6' },
  { name: 'conv 3×3 stride 2 same, padding on one side only', kind: 'conv2d', input: [8, 8, 16], outC: 12, kernel: [3, 3], stride: [2, 2], padding: 'same' },
  { name: 'conv 3×3 stride 2 same, odd input', kind: 'conv2d', input: [7, 7, 8], outC: 8, kernel: [3, 3], stride: [2, 2], padding: 'same', activation: 'relu' },
  { name: 'conv 1×5 window', kind: 'conv2d', input: [6, 11, 4], outC: 6, kernel: [1, 5], stride: [1, 1], padding: 'same' },
  { name: 'conv 5×1 window, stride 2×1', kind: 'conv2d', input: [11, 6, 4], outC: 6, kernel: [5, 1], stride: [2, 1], padding: 'same' },
  { name: 'conv 10×4, 1 input channel, stride 2 (KWS first layer)', kind: 'conv2d', input: [19, 10, 1], outC: 8, kernel: [10, 4], stride: [2, 2], padding: 'same', activation: 'relu' },
  { name: 'conv 3×3 valid, per-tensor weights, no bias', kind: 'conv2d', input: [6, 7, 6], outC: 4, kernel: [3, 3], stride: [1, 1], padding: 'valid', perTensor: true, noBias: true },
  { name: 'conv 3×3 dilation 2', kind: 'conv2d', input: [9, 9, 4], outC: 6, kernel: [3, 3], stride: [1, 1], dilation: [2, 2], padding: 'same' },
  { name: 'conv 2×3 dilation 2×1, valid', kind: 'conv2d', input: [8, 8, 3], outC: 3, kernel: [2, 3], stride: [1, 1], dilation: [2, 1], padding: 'valid' },
  { name: 'conv, generic requantization (multipliers above 0.5)', kind: 'conv2d', input: [5, 5, 4], outC: 6, kernel: [3, 3], stride: [1, 1], padding: 'same', generic: 'shift' },
  { name: 'conv, generic requantization (bias beyond the fast bound)', kind: 'conv2d', input: [5, 5, 4], outC: 6, kernel: [1, 1], stride: [1, 1], padding: 'same', generic: 'bound' },
  { name: 'conv 1×1 with a dead channel (multiplier 0)', kind: 'conv2d', input: [4, 4, 8], outC: 4, kernel: [1, 1], stride: [1, 1], padding: 'same', deadChannel: true },
  { name: 'conv 3×3 valid to a single pixel, 27 taps', kind: 'conv2d', input: [3, 3, 3], outC: 3, kernel: [3, 3], stride: [1, 1], padding: 'valid' },
  // DEPTHWISE_CONV_2D
  { name: 'depthwise 3×3, 8 channels, relu', kind: 'depthwise', input: [6, 7, 8], multiplier: 1, kernel: [3, 3], stride: [1, 1], padding: 'same', activation: 'relu' },
  { name: 'depthwise 3×3 stride 2, 6 channels (not a multiple of 4)', kind: 'depthwise', input: [9, 8, 6], multiplier: 1, kernel: [3, 3], stride: [2, 2], padding: 'same' },
  { name: 'depthwise 3×3 stride 2, padding on one side only', kind: 'depthwise', input: [8, 8, 12], multiplier: 1, kernel: [3, 3], stride: [2, 2], padding: 'same' },
  { name: 'depthwise 10×8 stride 2, 1 input channel, depth multiplier 8 (micro_speech)', kind: 'depthwise', input: [25, 20, 1], multiplier: 8, kernel: [10, 8], stride: [2, 2], padding: 'same', activation: 'relu' },
  { name: 'depthwise depth multiplier 2, 3 input channels', kind: 'depthwise', input: [6, 6, 3], multiplier: 2, kernel: [3, 3], stride: [1, 1], padding: 'same' },
  { name: 'depthwise depth multiplier 3, 8 input channels, 2×2 valid', kind: 'depthwise', input: [5, 6, 8], multiplier: 3, kernel: [2, 2], stride: [1, 1], padding: 'valid' },
  { name: 'depthwise 1×5 window, 5 channels', kind: 'depthwise', input: [4, 9, 5], multiplier: 1, kernel: [1, 5], stride: [1, 1], padding: 'same' },
  { name: 'depthwise 5×1 window, 16 channels, relu6', kind: 'depthwise', input: [9, 4, 16], multiplier: 1, kernel: [5, 1], stride: [1, 1], padding: 'same', activation: 'relu6' },
  { name: 'depthwise 3×3 dilation 2', kind: 'depthwise', input: [9, 9, 8], multiplier: 1, kernel: [3, 3], stride: [1, 1], dilation: [2, 2], padding: 'same' },
  { name: 'depthwise 3×3 valid, per-tensor weights, no bias', kind: 'depthwise', input: [5, 5, 4], multiplier: 1, kernel: [3, 3], stride: [1, 1], padding: 'valid', perTensor: true, noBias: true },
  { name: 'depthwise 7×7 (a window too big to unroll)', kind: 'depthwise', input: [9, 9, 4], multiplier: 1, kernel: [7, 7], stride: [1, 1], padding: 'same' },
  { name: 'depthwise, generic requantization', kind: 'depthwise', input: [4, 4, 8], multiplier: 1, kernel: [3, 3], stride: [1, 1], padding: 'same', generic: 'shift' },
  // FULLY_CONNECTED
  { name: 'fully connected 1 → 16 (hello_world), relu', kind: 'fullyConnected', rows: 1, inUnits: 1, outUnits: 16, activation: 'relu' },
  { name: 'fully connected 16 → 1', kind: 'fullyConnected', rows: 1, inUnits: 16, outUnits: 1 },
  { name: 'fully connected 37 → 13 (input and unit tails)', kind: 'fullyConnected', rows: 1, inUnits: 37, outUnits: 13 },
  { name: 'fully connected per-channel, 2 rows, no bias', kind: 'fullyConnected', rows: 2, inUnits: 20, outUnits: 6, perChannel: true, noBias: true },
  { name: 'fully connected 160 → 36, relu', kind: 'fullyConnected', rows: 1, inUnits: 160, outUnits: 36, activation: 'relu' },
  { name: 'fully connected, generic requantization (bias beyond the bound)', kind: 'fullyConnected', rows: 1, inUnits: 64, outUnits: 8, generic: 'bound' },
  { name: 'fully connected, generic requantization (multiplier above 0.5)', kind: 'fullyConnected', rows: 1, inUnits: 9, outUnits: 5, generic: 'shift' },
  // pools
  { name: 'max pool 2×2 stride 2', kind: 'maxPool', input: [8, 8, 8], filter: [2, 2], stride: [2, 2], padding: 'valid' },
  { name: 'max pool 3×3 same, 6 channels, relu6', kind: 'maxPool', input: [5, 6, 6], filter: [3, 3], stride: [1, 1], padding: 'same', activation: 'relu6' },
  { name: 'max pool 3×3 stride 2 same, relu', kind: 'maxPool', input: [7, 7, 4], filter: [3, 3], stride: [2, 2], padding: 'same', activation: 'relu' },
  { name: 'average pool 3×3 same (clipped windows), 7 channels', kind: 'avgPool', input: [5, 5, 7], filter: [3, 3], stride: [1, 1], padding: 'same' },
  { name: 'average pool 2×2 stride 2', kind: 'avgPool', input: [6, 6, 8], filter: [2, 2], stride: [2, 2], padding: 'valid' },
  { name: 'average pool 25×5 (KWS)', kind: 'avgPool', input: [25, 5, 12], filter: [25, 5], stride: [25, 5], padding: 'valid' },
  { name: 'global average pool, 5 channels', kind: 'globalAvgPool', input: [4, 3, 5] },
  { name: 'global average pool of 289 taps (int32 sums)', kind: 'globalAvgPool', input: [17, 17, 8] },
  // ADD
  { name: 'add, relu', kind: 'add', shape: [1, 4, 5, 7], activation: 'relu' },
  { name: 'add, 33 values', kind: 'add', shape: [1, 33] },
];

/** Compares both outputs of every round with each other and with the TS interpreter; returns the problems. */
function problems(prog: CaseProgram, output: Uint8Array): string[] {
  const out: string[] = [];
  let at = 0;
  prog.models.forEach((model, i) => {
    const n = prog.outputBytes[i]!;
    const run = compileModel(model);
    if (prog.optimizedOps[i] !== 1) out.push(`${CASES[i]!.name}: the op did not run an optimized kernel`);
    prog.inputs[i]!.forEach((xs, k) => {
      const portable = new Int8Array(output.buffer, output.byteOffset + at, n);
      const optimized = new Int8Array(output.buffer, output.byteOffset + at + n, n);
      at += 2 * n;
      const ts = run.run(xs)[0]! as Int8Array;
      for (let j = 0; j < n; j++) {
        if (optimized[j] !== portable[j] || optimized[j] !== ts[j]) {
          out.push(`${CASES[i]!.name}, input ${k}, output ${j}: optimized ${optimized[j]}, portable ${portable[j]}, TS ${ts[j]}`);
          break;
        }
      }
    });
  });
  if (at !== output.byteLength) out.push(`the program wrote ${output.byteLength} bytes, expected ${at}`);
  return out;
}

async function runOnHost(prog: CaseProgram, compiler: string): Promise<Uint8Array> {
  const files = new Map<string, string | Uint8Array>(prog.files);
  files.set('input.bin', prog.input);
  const exe = await compileC({ files, compile: prog.sources, compiler, includeDirs: ['src'], flags: [...STRICT_C99_FLAGS, '-O2'] });
  try {
    await exe.run({ args: ['input.bin', 'output.bin'], timeoutMs: 120_000 });
    return new Uint8Array(readFileSync(path.join(exe.dir, 'output.bin')));
  } finally {
    exe.cleanup();
  }
}

function writeTree(dir: string, files: ReadonlyMap<string, string>): string[] {
  const written: string[] = [];
  for (const [rel, text] of files) {
    const abs = path.join(dir, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, text);
    written.push(abs);
  }
  return written;
}

async function runOnCortexM4(prog: CaseProgram): Promise<Uint8Array> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'impulse-nn-cases-'));
  try {
    writeTree(dir, prog.files);
    const fw = await buildFirmware({
      sources: prog.sources.map((s) => path.join(dir, s)),
      includeDirs: [path.join(dir, 'src')],
      cflags: [...STRICT_C99_FLAGS],
      memory: { flashBytes: 2 * 1024 * 1024, ramBytes: 1024 * 1024 },
      stackBytes: 16 * 1024,
      outDir: path.join(dir, 'build'),
    });
    const runDir = path.join(dir, 'run');
    const r = await runOnQemu(fw.elf, { inputs: { 'input.bin': prog.input }, cwd: runDir, timeoutMs: 120_000 });
    expect(r.exitCode).toBe(0);
    return new Uint8Array(readFileSync(path.join(runDir, 'output.bin')));
  } finally {
    if (process.env['IMPULSE_KEEP_C'] !== '1') rmSync(dir, { recursive: true, force: true });
  }
}

describe('optimized kernels against the portable kernels and the TS interpreter', () => {
  const roundings: Rounding[] = ['double', 'single'];

  test.each(roundings)('on the host, gcc (plain-C fallback), %s rounding', async (rounding) => {
    if (!haveCompiler('gcc')) return;
    const prog = caseProgram(CASES, rounding, ROUNDS);
    expect(problems(prog, await runOnHost(prog, 'gcc'))).toEqual([]);
  });

  test('clang (host) compiles every case warning-free', async () => {
    if (!haveCompiler('clang')) return;
    const prog = caseProgram(CASES, 'double', 1);
    const objects = await compileObjects({ files: prog.files, compile: prog.sources, compiler: 'clang', includeDirs: ['src'], flags: [...STRICT_C99_FLAGS, '-O2'] });
    expect(objects.size).toBe(prog.sources.length);
  });

  test.each(roundings)('on the emulated Cortex-M4F (DSP instructions), %s rounding', async (rounding) => {
    if (!harnessToolsPresent()) return;
    const prog = caseProgram(CASES, rounding, ROUNDS);
    expect(problems(prog, await runOnCortexM4(prog))).toEqual([]);
  });

  // The optimized kernels keep the portable ones' access order where overlap.ts relies on it
  // (pixels in raster order; a pixel's outputs written after its window is read — a convolution
  // copies the windows of two pixels into its columns before it writes either), so the planner's
  // overlapping outputs are safe for them too.
  test('with each output overlapping its input as far as overlap.ts allows, on the Cortex-M4F', async () => {
    const prog = caseProgram(CASES, 'double', 4, { seed: 5, overlap: true });
    expect(prog.overlapping.filter(Boolean).length).toBeGreaterThan(25);
    if (harnessToolsPresent()) expect(problems(prog, await runOnCortexM4(prog))).toEqual([]);
  });
});

/** newlib's headers, for compiling the Cortex-M4 code with clang too. */
const NEWLIB_INCLUDE = '/usr/lib/arm-none-eabi/include';

test('clang builds the Cortex-M4 code (DSP instructions, inline assembly) warning-free too', async () => {
  if (!haveCompiler('clang') || !existsSync(NEWLIB_INCLUDE)) return;
  const prog = caseProgram(CASES, 'double', 1);
  const objects = await compileObjects({
    files: prog.files,
    compile: prog.sources.filter((f) => f.includes('_o.c')),
    compiler: 'clang',
    includeDirs: ['src'],
    flags: ['--target=armv7em-none-eabi', ...CORTEX_M4F_FLAGS, '-isystem', NEWLIB_INCLUDE, ...STRICT_C99_FLAGS, '-O2'],
  });
  expect(objects.size).toBe(CASES.length);
});

/** nn_simd.h's requantization and SIMD helpers against fixed_point.h and plain C definitions. */
const HELPERS_CHECK = `#include <stdio.h>
#include "${SIMD_HEADER}"

static uint32_t state = 2463534242u;
static uint32_t next(void) { state ^= state << 13; state ^= state >> 17; state ^= state << 5; return state; }
static int32_t byte_of(uint32_t x, int i) { return (int32_t)(int8_t)(uint8_t)(x >> (8 * i)); }
static uint32_t lanes(int32_t lo, int32_t hi) { return ((uint32_t)lo & 0xFFFFu) | ((uint32_t)hi << 16); }

int main(void) {
  static const int32_t edge_acc[] = {0, 1, -1, 2, -2, 1073741822, -1073741822, 1073741821, -1073741821, 65535, -65536, 12345678, -12345678};
  static const int32_t edge_m[] = {0, 1, 1073741824, 1073741825, 2147483647, 2147483646, 1518500250};
  long bad = 0, n;
  size_t a, m;
  int32_t rs;
  for (a = 0; a < sizeof edge_acc / sizeof edge_acc[0]; a++)
    for (m = 0; m < sizeof edge_m / sizeof edge_m[0]; m++)
      for (rs = 1; rs <= 31; rs++)
        if (nn_requantize(edge_acc[a], edge_m[m], rs) != fp_multiply_by_quantized_multiplier(edge_acc[a], edge_m[m], -rs)) bad++;
  for (n = 0; n < 300000; n++) {
    const int32_t m_ = (int32_t)(next() >> 1);
    const int32_t acc = (int32_t)(next() % 2147483645u) - 1073741822;
    const int32_t small = (int32_t)(next() % 2000001u) - 1000000;
    const int32_t r = (int32_t)(next() % 31u) + 1;
    const uint32_t x = next(), y = next();
    if (nn_requantize(acc, m_, r) != fp_multiply_by_quantized_multiplier(acc, m_, -r)) bad++;
    if (nn_requantize(small, m_, r) != fp_multiply_by_quantized_multiplier(small, m_, -r)) bad++;
    if (nn_high_mul(acc >> 1, m_) != fp_multiply_by_quantized_multiplier(acc >> 1, m_, 0)) bad++;
    if (nn_sxtb16(x) != lanes(byte_of(x, 0), byte_of(x, 2))) bad++;
    if (nn_sxtb16_ror8(x) != lanes(byte_of(x, 1), byte_of(x, 3))) bad++;
    if (nn_sxtab16(y, x) != lanes((int16_t)y + byte_of(x, 0), (int16_t)(y >> 16) + byte_of(x, 2))) bad++;
    if (nn_sxtab16_ror8(y, x) != lanes((int16_t)y + byte_of(x, 1), (int16_t)(y >> 16) + byte_of(x, 3))) bad++;
    if (nn_smlad(x, y, (int32_t)n) != (int32_t)((uint32_t)n + (uint32_t)((int16_t)x * (int16_t)y) + (uint32_t)((int16_t)(x >> 16) * (int16_t)(y >> 16)))) bad++;
    if (nn_smlabb(x, y, (int32_t)n) != (int32_t)((uint32_t)n + (uint32_t)((int16_t)x * (int16_t)y))) bad++;
    if (nn_smlatt(x, y, (int32_t)n) != (int32_t)((uint32_t)n + (uint32_t)((int16_t)(x >> 16) * (int16_t)(y >> 16)))) bad++;
    {
      int i;
      uint32_t mx = 0, mn = 0;
      for (i = 0; i < 4; i++) {
        const int32_t p = byte_of(x, i), q = byte_of(y, i);
        mx |= (uint32_t)(uint8_t)(p > q ? p : q) << (8 * i);
        mn |= (uint32_t)(uint8_t)(p < q ? p : q) << (8 * i);
      }
      if (nn_max_s8x4(x, y) != mx || nn_min_s8x4(x, y) != mn) bad++;
    }
    if (nn_ssat8(acc) != (acc < -128 ? -128 : acc > 127 ? 127 : acc)) bad++;
  }
  printf("helpers: %ld mismatches (%s rounding)\\n", bad, IMPULSE_SINGLE_ROUNDING ? "single" : "double");
  return bad != 0;
}
`;

function helperFiles(rounding: Rounding): Map<string, string> {
  const files = new Map<string, string>();
  for (const [f, t] of simdFiles()) files.set(`src/${f}`, t);
  files.set('src/kernels/fixed_point.h', KERNEL_SOURCES.get('kernels/fixed_point.h')!);
  files.set('src/kernels/impulse_config.h', `#define IMPULSE_SINGLE_ROUNDING ${rounding === 'single' ? 1 : 0}\n`);
  files.set('check.c', HELPERS_CHECK);
  return files;
}

describe('the helpers of nn_simd.h', () => {
  test.each(['double', 'single'] as const)('equal fixed_point.h and their C definitions on the host and on the Cortex-M4F (%s rounding)', async (rounding) => {
    const files = helperFiles(rounding);
    if (haveCompiler('gcc')) {
      const exe = await compileC({ files, compile: ['check.c'], includeDirs: ['src'] });
      try {
        expect((await exe.run()).stdout.toString()).toContain('helpers: 0 mismatches');
      } finally {
        exe.cleanup();
      }
    }
    if (!harnessToolsPresent()) return;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'impulse-nn-helpers-'));
    try {
      writeTree(dir, files);
      const fw = await buildFirmware({
        sources: [path.join(dir, 'check.c')],
        includeDirs: [path.join(dir, 'src')],
        cflags: [...STRICT_C99_FLAGS],
        memory: { flashBytes: 256 * 1024, ramBytes: 128 * 1024 },
        stackBytes: 8 * 1024,
        outDir: path.join(dir, 'build'),
      });
      const r = await runOnQemu(fw.elf, { timeoutMs: 120_000 });
      expect(r.stdout).toContain('helpers: 0 mismatches');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('every case generates C files only under src/, and the optimized ones bring nn_simd.h', () => {
  const prog = caseProgram(CASES.slice(0, 3), 'double', 1);
  expect([...prog.files.keys()].filter((f) => !f.startsWith('src/') && f !== 'main.c')).toEqual([]);
  expect(prog.files.has(`src/${SIMD_HEADER}`)).toBe(true);
});
