/**
 * The seven real .tflite models other people trained and converted (../shared/fixtures/tflite:
 * MLPerf Tiny KWS, VWW, IC, AD, a float KWS, TFLM micro_speech and hello_world), read into our IR
 * and run by our interpreters beside the official TFLite runtime on ≥ 100 seeded random inputs
 * each (issue 10, must-show 3). Each model written back by our writer loads in the official
 * runtime and gives outputs identical to the original file's.
 *
 * The official runtime requantizes int8 with TFLite's single rounding (ruy / XNNPACK); TensorFlow
 * Lite Micro's reference kernels, and our default, round twice (gemmlowp). Both are TFLite
 * arithmetic (the TFLITE_SINGLE_ROUNDING build option) and our interpreter implements both:
 * - with single rounding it must agree with the official runtime within 1 LSB on ≥ 99.9% of values
 *   (the float KWS, whose convolutions are hybrid, within 1e-5). On deep nets fed random inputs
 *   the official runtime's XNNPACK kernels (float32 requantization) and TFLite's integer kernels
 *   part by a rounding now and then, which grows through the layers; there the bar is the
 *   agreement of the two independent runtimes with each other — the official one and ArmNN
 *   CpuRef, measured on the same inputs in the same test — and ours must be at least as close;
 * - with double rounding every op must be within 1 LSB of the single-rounding op on the same
 *   input (the two differ only where a value lies at a rounding boundary); the whole-model
 *   agreement with the official runtime, where these 1-LSB steps compound through the layers,
 *   is printed.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { compileModel } from '../../core/model/interpret/compile.js';
import { elementCount, type ModelIR, type Rounding } from '../../core/model/ir.js';
import { createRawRunner } from '../../core/model/run-model.js';
import { readTflite } from '../../core/model/tflite/read.js';
import { writeTflite } from '../../generators/tflite/write.js';
import { armnnAvailable, runArmnn } from '../oracles/armnn.js';
import { compareFloat, compareInt8 } from '../oracles/compare.js';
import { skipWithoutTool } from '../oracles/require-tool.js';
import { loadTfliteRuntime, type TfliteRuntime } from '../oracles/tflite-runtime.js';
import { randomInputs } from '../../core/util/seeded-random.js';
import { fixturesDir } from '../support/shared.js';

const MODELS = [
  { file: 'kws_ref_model.tflite', inputs: 100 },
  { file: 'kws_ref_model_float32.tflite', inputs: 100 },
  { file: 'vww_96_int8.tflite', inputs: 100 },
  { file: 'pretrainedResnet_quant.tflite', inputs: 100 },
  { file: 'ad01_int8.tflite', inputs: 100 },
  { file: 'micro_speech_quantized.tflite', inputs: 100 },
  { file: 'hello_world_int8.tflite', inputs: 100 },
] as const;

describe.each(MODELS)('fixture $file', ({ file, inputs: count }) => {
  let runtime: TfliteRuntime;
  const bytes = new Uint8Array(readFileSync(path.join(fixturesDir, 'tflite', file)));
  beforeAll(async () => {
    runtime = await loadTfliteRuntime();
  });

  const withRounding = (model: ModelIR, rounding: Rounding): ModelIR => ({ ...model, metadata: { ...model.metadata, rounding } });

  test('our interpreter with the official runtime\'s (single) rounding agrees with it', async ({ skip }) => {
    const model = readTflite(bytes, file);
    const input = model.tensors[model.inputs[0]!]!;
    const xs = randomInputs(input.dtype, elementCount(input.shape), count, 1234);
    const session = runtime.load(bytes);
    const single = createRawRunner(withRounding(model, 'single'));
    const double = createRawRunner(model);
    const want = xs.map((x) => session.run([x])[0]!);
    session.dispose();
    if (input.dtype === 'float32') {
      const c = compareFloat(xs.map((x) => single(x)), want);
      console.log(`${file}: max difference ${c.maxError.toExponential(2)} over ${count} inputs`);
      expect(c.maxError).toBeLessThanOrEqual(1e-5);
    } else {
      const c = compareInt8(xs.map((x) => single(x)), want);
      const d = compareInt8(xs.map((x) => double(x)), want);
      console.log(
        `${file} vs official runtime over ${count} inputs: single rounding ${(c.withinOneLsb * 100).toFixed(3)}% within 1 LSB (${(c.exact * 100).toFixed(3)}% exact, max ${c.maxLsb}); ` +
          `TFLM double rounding ${(d.withinOneLsb * 100).toFixed(3)}% within 1 LSB (${(d.exact * 100).toFixed(3)}% exact, max ${d.maxLsb}, top label ${(d.sameTop * 100).toFixed(1)}%)`,
      );
      if (c.withinOneLsb >= 0.999) return;
      // Below the bar: it holds only if the two independent runtimes agree even less with each other.
      skipWithoutTool(skip, 'ArmNN (Debian python3-pyarmnn under /usr/bin/python3)', armnnAvailable);
      const armnn = (await runArmnn(path.join(fixturesDir, 'tflite', file), xs as Int8Array[])).map((o) => o[0]!);
      const r = compareInt8(armnn, want);
      console.log(`${file}: ArmNN CpuRef vs official runtime on the same inputs: ${(r.withinOneLsb * 100).toFixed(3)}% within 1 LSB (max ${r.maxLsb})`);
      expect(c.withinOneLsb).toBeGreaterThanOrEqual(r.withinOneLsb);
    }
  }, 300_000);

  test('with TFLite Micro\'s double rounding, every op is within 1 LSB of the single-rounding op on the same input', ({ skip }) => {
    const model = readTflite(bytes, file);
    const input = model.tensors[model.inputs[0]!]!;
    if (input.dtype !== 'int8') skip('a float model: no requantization');
    const xs = randomInputs(input.dtype, elementCount(input.shape), 10, 4321);
    const full = compileModel(model);
    let worst = 0;
    let differing = 0;
    let values = 0;
    for (const x of xs) {
      const seen = new Map<number, Int8Array | Float32Array>();
      full.run([x], (t, v) => seen.set(t, v.slice()));
      model.ops.forEach((op) => {
        const activations = op.inputs.filter((t) => t >= 0 && !model.tensors[t]!.data);
        const single = { ...model, ops: [op], inputs: activations, outputs: [...op.outputs] };
        const feed = activations.map((t) => seen.get(t)!);
        const a = compileModel(single).run(feed)[0]!;
        const b = compileModel(withRounding(single, 'single')).run(feed)[0]!;
        for (let i = 0; i < a.length; i++) {
          const diff = Math.abs(a[i]! - b[i]!);
          worst = Math.max(worst, diff);
          if (diff !== 0) differing++;
          values++;
        }
      });
    }
    console.log(`${file}: double vs single rounding per op: ${((differing / values) * 100).toFixed(3)}% of ${values} values differ, max ${worst} LSB`);
    expect(worst).toBeLessThanOrEqual(1);
  }, 300_000);

  test('written back by our writer, it loads in the official runtime and gives identical outputs', () => {
    const model = readTflite(bytes, file);
    const input = model.tensors[model.inputs[0]!]!;
    const xs = randomInputs(input.dtype, elementCount(input.shape), 20, 99);
    const original = runtime.load(bytes);
    const rewritten = runtime.load(writeTflite(model));
    for (const x of xs) expect(Array.from(rewritten.run([x])[0]!)).toEqual(Array.from(original.run([x])[0]!));
    original.dispose();
    rewritten.dispose();
  }, 120_000);
});
