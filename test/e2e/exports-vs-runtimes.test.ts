/**
 * The exported .tflite files of the three examples, against runtimes no one here wrote (issue 10,
 * must-show 1 and 2). Each example trains briefly on its real data (fewer epochs than the
 * example: the point is the export, not the accuracy), deploys the `tflite` target, and every test
 * window runs through
 * - the official TFLite runtime (the emscripten build of @tensorflow/tfjs-tflite, XNNPACK), and
 * - ArmNN's CpuRef backend (Debian python3-pyarmnn, in a subprocess),
 * beside our int8 and float reference interpreters on the IR the files were written from.
 * int8: within 1 LSB on ≥ 99.9% of values and the same top label on ≥ 99.5% of windows;
 * float32: within 1e-5 (absolute on these probabilities ≤ 1; relative above 1).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { builtinRegistry } from '../../cli/builtins.js';
import { rowsOfSplit } from '../../core/artifact/concat.js';
import { rowOf } from '../../core/artifact/types.js';
import { createRawRunner, quantizeInput } from '../../core/model/run-model.js';
import { readModel } from '../../core/model/serialize.js';
import { inspectForInference } from '../../core/run/inference.js';
import { featuresFor, LEARN_MODEL } from '../../core/run/stages/learn.js';
import { INT8_MODEL } from '../../core/run/stages/quantize.js';
import { loadImpulse } from '../../core/spec/load.js';
import { armnnAvailable, runArmnn } from '../oracles/armnn.js';
import { compareFloat, compareInt8 } from '../oracles/compare.js';
import { loadTfliteRuntime, type TfliteRuntime } from '../oracles/tflite-runtime.js';
import { expectOk, impulse } from '../support/cli.js';
import { makeProject } from '../support/project.js';
import { repoRoot, requireShared } from '../support/shared.js';

const EXAMPLES = [
  { name: 'activity', epochs: 20 },
  { name: 'spoken-digits', epochs: 2 },
  { name: 'handwritten', epochs: 1 },
] as const;

interface Trained {
  dir: string;
  windows: Float32Array[];
  float: Awaited<ReturnType<typeof readModel>>;
  int8: Awaited<ReturnType<typeof readModel>>;
}

async function trainExample(name: string, epochs: number): Promise<Trained> {
  const yaml = readFileSync(path.join(repoRoot, 'examples', name, 'impulse.yaml'), 'utf8')
    .replace(/epochs: \d+/, `epochs: ${epochs}`)
    .replace(/replicas: \d+/, 'replicas: 1')
    .replace(/deploy:\n(  - .*\n?)+/, 'deploy:\n  - { target: tflite }\n');
  const dir = makeProject({ 'impulse.yaml': yaml });
  expectOk(await impulse(dir, 'run', '.'));
  const loaded = await loadImpulse(dir, builtinRegistry());
  const x = await inspectForInference(loaded);
  const learn = x.graph.getNodeAttributes('learn:classifier');
  const test = rowsOfSplit(featuresFor(learn.deps, x.known), 'testing');
  return {
    dir,
    windows: test.rows.map((_, i) => rowOf(test, i)),
    float: await readModel(x.known.get('learn:classifier')!.dir, LEARN_MODEL),
    int8: await readModel(x.known.get('quantize:classifier')!.dir, INT8_MODEL),
  };
}

describe.sequential.each(EXAMPLES)('examples/$name exported to .tflite', ({ name, epochs }) => {
  let trained: Trained;
  let runtime: TfliteRuntime;
  beforeAll(async () => {
    requireShared();
    [trained, runtime] = await Promise.all([trainExample(name, epochs), loadTfliteRuntime()]);
  }, 600_000);

  test('int8: the official TFLite runtime agrees with our int8 interpreter', () => {
    const bytes = new Uint8Array(readFileSync(path.join(trained.dir, 'build/tflite/classifier/model-int8.tflite')));
    const session = runtime.load(bytes);
    const ours = createRawRunner(trained.int8);
    const inputs = trained.windows.map((w) => quantizeInput(trained.int8, w));
    const got = inputs.map((q) => session.run([q])[0] as Int8Array);
    const want = inputs.map((q) => ours(q) as Int8Array);
    session.dispose();
    const c = compareInt8(got, want);
    console.log(`${name} int8 vs official runtime: ${(c.withinOneLsb * 100).toFixed(3)}% of values within 1 LSB (${(c.exact * 100).toFixed(3)}% exact), top label ${(c.sameTop * 100).toFixed(2)}% of ${inputs.length} windows`);
    expect(c.withinOneLsb).toBeGreaterThanOrEqual(0.999);
    expect(c.sameTop).toBeGreaterThanOrEqual(0.995);
  });

  test('float32: the official TFLite runtime agrees with our float interpreter', () => {
    const bytes = new Uint8Array(readFileSync(path.join(trained.dir, 'build/tflite/classifier/model-float32.tflite')));
    const session = runtime.load(bytes);
    const ours = createRawRunner(trained.float);
    const got = trained.windows.map((w) => session.run([w])[0] as Float32Array);
    const want = trained.windows.map((w) => ours(w) as Float32Array);
    session.dispose();
    const c = compareFloat(got, want);
    console.log(`${name} float32 vs official runtime: max difference ${c.maxError.toExponential(2)} over ${got.length} windows`);
    expect(c.maxError).toBeLessThanOrEqual(1e-5);
  });

  test('int8: ArmNN CpuRef agrees with our int8 interpreter', async ({ skip }) => {
    if (!armnnAvailable()) skip('ArmNN (python3-pyarmnn) is not installed: run scripts/install-system-deps.sh');
    const file = path.join(trained.dir, 'build/tflite/classifier/model-int8.tflite');
    const ours = createRawRunner(trained.int8);
    const inputs = trained.windows.map((w) => quantizeInput(trained.int8, w));
    const got = (await runArmnn(file, inputs)).map((o) => o[0] as Int8Array);
    const c = compareInt8(got, inputs.map((q) => ours(q) as Int8Array));
    console.log(`${name} int8 vs ArmNN CpuRef: ${(c.withinOneLsb * 100).toFixed(3)}% within 1 LSB (${(c.exact * 100).toFixed(3)}% exact), top label ${(c.sameTop * 100).toFixed(2)}%`);
    expect(c.withinOneLsb).toBeGreaterThanOrEqual(0.999);
    expect(c.sameTop).toBeGreaterThanOrEqual(0.995);
  }, 600_000); // CpuRef, ArmNN's reference backend, needs ~90 ms per window of the handwritten conv net
});
