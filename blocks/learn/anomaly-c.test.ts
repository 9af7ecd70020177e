/**
 * The C anomaly scores of anomaly-kmeans and anomaly-gmm equal their `predict()` bit for bit (compared
 * as Uint32): models trained on real features (sklearn 8×8 digits; spectral-analysis features of
 * st_har windows), every row — and hard rows: all zeros, far outliers whose every Gaussian term
 * underflows but the largest, ±1e12 — scored by host programs built with gcc and clang (-O2, and gcc
 * -O3 -march=native; -ffp-contract=off, as the SDK builds; several instances linked together, NaN canaries past the
 * declared scratch), and the same C compiled warning-free for the host and for a Cortex-M4F, where
 * (arm-none-eabi-gcc -O2, newlib, QEMU mps2-an386) it gives the same bits too.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TensorSet } from '../../core/artifact/types.js';
import type { BlockCCode, DspBlock, LearnBlock } from '../../core/plugin/types.js';
import { bufferToFloats, compileC, compileObjects, CORTEX_M4F_FLAGS, EXACT_FLOAT_FLAGS, floatsToBuffer, haveCompiler, STRICT_C99_FLAGS, type CompiledProgram } from '../../test/support/compile-c.js';
import { datasetsDir, haveTool, requireShared } from '../../test/support/shared.js';
import { buildDeviceProgram } from '../dsp/testing/device-harness.js';
import spectralAnalysis from '../dsp/spectral-analysis/index.js';
import { defaultsOf } from '../dsp/testing/helpers.js';
import { cutWindows, stHarRecordings } from '../dsp/testing/real-windows.js';
import anomalyGmm from './anomaly-gmm/index.js';
import anomalyKmeans from './anomaly-kmeans/index.js';
import { digitsRows, tensorSet, testContext } from './common/testing.js';

const kmeans = anomalyKmeans as unknown as LearnBlock;
const gmm = anomalyGmm as unknown as LearnBlock;
const CANARY_FLOATS = 64;

interface Scored {
  readonly name: string;
  readonly fn: string;
  readonly code: BlockCCode;
  readonly data: TensorSet;
  /** The dataset's rows, then the hard rows. */
  readonly rows: Float32Array;
  readonly expected: Float32Array;
}

/** Rows no model was trained on: zeros, the training rows scaled by 1000 (far outliers), ±1e12. */
function hardRows(data: TensorSet): Float32Array {
  const d = data.shape.reduce((a, b) => a * b, 1);
  const far = Float32Array.from(data.data.subarray(0, 5 * d), (v) => v * 1000 + 7);
  const huge = Float32Array.from({ length: 2 * d }, (_, i) => (i % 2 ? -1e12 : 1e12));
  const out = new Float32Array(d + far.length + huge.length);
  out.set(far, d);
  out.set(huge, d + far.length);
  return out;
}

function driver(instances: readonly Scored[]): string {
  const d = (s: Scored): number => s.data.shape.reduce((a, b) => a * b, 1);
  return `/* Test driver: feature rows on stdin → anomaly scores on stdout, canaries past the scratch. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

${instances.map((s) => `float ${s.fn}(const float *features, float *scratch);`).join('\n')}

typedef float (*score_fn)(const float *features, float *scratch);

typedef struct {
    score_fn fn;
    uint32_t features;
    uint32_t scratch;
} instance;

static const instance INSTANCES[] = {
${instances.map((s) => `    { ${s.fn}, ${d(s)}u, ${s.code.scratchFloats}u },`).join('\n')}
};

static const uint32_t CANARY = 0x7fc0de5du;

int main(int argc, char **argv)
{
    const instance *in;
    float *row, *scratch;
    uint32_t i;
    if (argc < 2) {
        return 2;
    }
    in = &INSTANCES[atoi(argv[1])];
    row = malloc(sizeof(float) * in->features);
    scratch = malloc(sizeof(float) * (in->scratch + ${CANARY_FLOATS}u));
    if (row == NULL || scratch == NULL) {
        return 2;
    }
    while (fread(row, sizeof(float), in->features, stdin) == in->features) {
        float score;
        for (i = 0; i < in->scratch + ${CANARY_FLOATS}u; i++) {
            memcpy(&scratch[i], &CANARY, sizeof CANARY);
        }
        score = in->fn(row, scratch);
        for (i = in->scratch; i < in->scratch + ${CANARY_FLOATS}u; i++) {
            if (memcmp(&scratch[i], &CANARY, sizeof CANARY) != 0) {
                fprintf(stderr, "wrote past the %u declared scratch floats\\n", (unsigned)in->scratch);
                return 3;
            }
        }
        fwrite(&score, sizeof score, 1, stdout);
    }
    free(row);
    free(scratch);
    return 0;
}
`;
}

function files(instances: readonly Scored[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of instances) {
    for (const [p, text] of s.code.sources) out.set(`blocks/${p}`, text);
    out.set(`instances/${s.fn}.c`, s.code.instance);
  }
  out.set('main.c', driver(instances));
  return out;
}

/** Spectral-analysis features (activity example params) of every 2 s st_har window, as a features TensorSet. */
function stHarFeatures(): TensorSet {
  const block = spectralAnalysis as unknown as DspBlock;
  const params = { ...defaultsOf(spectralAnalysis), scaleAxes: 0.001 };
  const info = { shape: [52, 3], frequency: 26, axes: ['x', 'y', 'z'] };
  const rows = stHarRecordings().flatMap((r, i) =>
    cutWindows(r.data, 3, 52, 26).map((w) => ({
      label: r.name.split('/')[0] as string,
      split: (i % 5 === 4 ? 'testing' : 'training') as 'testing' | 'training',
      sample: r.name,
      values: block.process(params, w, info),
    })),
  );
  return tensorSet(block.shape(params, info), rows);
}

const haveGcc = haveCompiler('gcc');
let scored: Scored[] = [];
const programs = new Map<string, CompiledProgram>();

beforeAll(async () => {
  if (!haveGcc) return;
  requireShared();
  const digits = tensorSet([64], digitsRows(path.join(datasetsDir, 'sklearn_digits8x8', 'digits.csv'), ['0', '1', '2', '7']));
  const har = stHarFeatures();
  const setups: [string, LearnBlock, Record<string, unknown>, TensorSet][] = [
    ['kmeans · digits, 8 clusters', kmeans, { clusters: 8, labels: ['0', '1', '2'] }, digits],
    ['kmeans · st_har spectral features, 32 clusters', kmeans, { clusters: 32 }, har],
    ['gmm · digits, 4 components', gmm, { components: 4, labels: ['0', '1', '2'] }, digits],
    ['gmm · st_har spectral features, 8 components', gmm, { components: 8, labels: ['stationary', 'walking'] }, har],
  ];
  scored = [];
  for (const [name, block, params, data] of setups) {
    const ctx = testContext(7);
    await block.train(ctx, data, params as never);
    const fn = `anomaly${scored.length}_${block.type.replace(/-/g, '_')}`;
    const code = await block.c!(ctx.outDir, params as never, data.shape, { fn });
    const hard = hardRows(data);
    const all = new Float32Array(data.data.length + hard.length);
    all.set(data.data);
    all.set(hard, data.data.length);
    const d = data.shape.reduce((a, b) => a * b, 1);
    const withHard: TensorSet = { ...data, data: all, rows: [...data.rows, ...Array.from({ length: hard.length / d }, () => data.rows[0]!)] };
    scored.push({ name, fn, code, data, rows: all, expected: await block.predict(ctx, ctx.outDir, withHard, params as never) });
  }
  const builds = [
    ['gcc', 'gcc', ['-O2']],
    ['clang', 'clang', ['-O2']],
    ['gcc -O3 -march=native', 'gcc', ['-O3', '-march=native']],
  ] as const;
  for (const [name, compiler, opt] of builds.filter((b) => haveCompiler(b[1]))) {
    programs.set(name, await compileC({ files: files(scored), compiler, includeDirs: ['blocks'], flags: [...STRICT_C99_FLAGS, ...EXACT_FLOAT_FLAGS, ...opt] }));
  }
}, 300_000);

afterAll(() => {
  for (const p of programs.values()) p.cleanup();
});

describe.skipIf(!haveGcc)('anomaly scores in C', () => {
  test.each([0, 1, 2, 3])('model %i: every row scores exactly as predict() does (gcc, clang, gcc -O3 -march=native), within the declared scratch', async (i) => {
    const s = scored[i] as Scored;
    expect(s.expected.every(Number.isFinite)).toBe(true);
    const want = new Uint32Array(s.expected.buffer);
    for (const [compiler, program] of programs) {
      const r = await program.run({ stdin: floatsToBuffer(s.rows), args: [String(i)] });
      const got = bufferToFloats(r.stdout);
      expect(got.length).toBe(s.expected.length);
      const bits = new Uint32Array(got.buffer);
      const differ = want.reduce((n, w, k) => n + (bits[k] === w ? 0 : 1), 0);
      const at = want.findIndex((w, k) => bits[k] !== w);
      expect(differ, `${compiler}: ${differ} of ${want.length} scores differ; row ${at}: C ${got[at]}, TS ${s.expected[at]}`).toBe(0);
    }
    console.log(`  ${s.name}: ${s.expected.length} rows (${s.data.rows.length} real), C = TS bit for bit with ${[...programs.keys()].join(', ')}, scratch ${s.code.scratchFloats} floats`);
  });

  test.each([
    ['gcc', []],
    ['clang', []],
    ['arm-none-eabi-gcc', [...CORTEX_M4F_FLAGS]],
  ] as const)('%s: warning-free (C99, -Wall -Wextra -Werror -pedantic), instances export only their function', async (compiler, target) => {
    if (!haveCompiler(compiler)) return;
    const f = files(scored);
    f.delete('main.c');
    const objects = await compileObjects({
      files: f,
      compiler,
      includeDirs: ['blocks'],
      flags: [...STRICT_C99_FLAGS, '-Wdouble-promotion', '-Wshadow', '-Wconversion', '-Wmissing-prototypes', ...EXACT_FLOAT_FLAGS, ...target, '-O2'],
      nm: compiler === 'arm-none-eabi-gcc' ? 'arm-none-eabi-nm' : 'nm',
    });
    for (const s of scored) expect(objects.get(`instances/${s.fn}.c`)?.globals).toEqual([s.fn]);
  });

  test('on an emulated Cortex-M4F (arm-none-eabi-gcc -O2, newlib, QEMU): the same bits for every row', async ({ skip }) => {
    if (!['arm-none-eabi-gcc', 'arm-none-eabi-nm', 'arm-none-eabi-size', 'qemu-system-arm'].every((t) => haveTool(t))) skip('no Cortex-M toolchain / QEMU');
    // each score function behind the DSP harness's signature: one row in, its score out
    const instances = scored.map((s) => {
      const d = s.data.shape.reduce((a, b) => a * b, 1);
      const adapter = `\nint ${s.fn}_row(const float *input, float *output, float *scratch);\nint ${s.fn}_row(const float *input, float *output, float *scratch)\n{\n    output[0] = ${s.fn}(input, scratch);\n    return 0;\n}\n`;
      return { fn: `${s.fn}_row`, code: { ...s.code, instance: s.code.instance + adapter }, inputFloats: d, outputFloats: 1 };
    });
    const device = await buildDeviceProgram(instances);
    try {
      for (const [i, s] of scored.entries()) {
        const d = instances[i]!.inputFloats;
        const rows = Array.from({ length: s.rows.length / d }, (_, k) => s.rows.subarray(k * d, (k + 1) * d));
        const { outputs } = await device.run(i, rows);
        expect(Array.from(new Uint32Array(outputs.buffer)), s.name).toEqual(Array.from(new Uint32Array(s.expected.buffer)));
      }
    } finally {
      device.cleanup();
    }
  }, 600_000);

  test('a model trained on other rows is refused', async () => {
    const ctx = testContext(7);
    const data = scored[0]?.data as TensorSet;
    await kmeans.train(ctx, data, { clusters: 2 } as never);
    await expect(kmeans.c!(ctx.outDir, {} as never, [65], { fn: 'x' })).rejects.toThrow(/trained on rows of shape \[64\]/);
    await expect(gmm.c!(ctx.outDir, {} as never, [64], { fn: 'x' })).rejects.toThrow(/no trained model/);
  });
});
