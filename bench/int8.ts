/**
 * int8 against float32, measured (issue 10's benchmark):
 * - each example impulse trained at full size in a fresh project (as bench/examples.ts), then its
 *   float IR quantized with every calibration method (minmax, percentile, mse) on the same 500
 *   training windows: float32 vs int8 test accuracy, windows whose top label changed;
 * - per example and per fixture model (../shared/fixtures/tflite): weight bytes float vs int8 and
 *   inferences/s of our int8 interpreter beside the official TFLite runtime (XNNPACK, 1 thread) on
 *   the same model, same inputs, same run.
 *
 *   npx tsx bench/int8.ts                 # examples + fixtures (~6 min here: trains the examples)
 *   npx tsx bench/int8.ts --fixtures-only
 *
 * Prints tables, writes bench/results/int8.json; exits 1 when the default method's int8 accuracy is
 * more than 1 percentage point below float32 on an example.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtinRegistry } from '../cli/builtins.js';
import { rowsOfSplit } from '../core/artifact/concat.js';
import { rowOf } from '../core/artifact/types.js';
import { bytesPerElement, elementCount, type ModelIR, type Rounding } from '../core/model/ir.js';
import { predictIR } from '../core/model/predict.js';
import { observeFloat } from '../core/model/quantize/observe.js';
import { calibrateRanges, quantizeModel } from '../core/model/quantize/quantize.js';
import type { CalibrationMethod } from '../core/model/quantize/ranges.js';
import { seededSubset } from '../core/model/quantize/subset.js';
import { createRawRunner, quantizeInput } from '../core/model/run-model.js';
import { readModel } from '../core/model/serialize.js';
import { readTflite } from '../core/model/tflite/read.js';
import { classificationMetrics } from '../core/report/metrics.js';
import { inspectForInference } from '../core/run/inference.js';
import { changedTopLabels } from '../core/run/stages/evaluate.js';
import { featuresFor, LEARN_MODEL } from '../core/run/stages/learn.js';
import { loadImpulse } from '../core/spec/load.js';
import { QuantizeSpec } from '../core/spec/schema.js';
import { writeTflite } from '../generators/tflite/write.js';
import { loadTfliteRuntime, type TfliteRuntime } from '../test/oracles/tflite-runtime.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist/cli/impulse.js');
const datasets = path.resolve(process.env['IMPULSE_DATASETS'] ?? path.join(root, '../shared/datasets'));
process.env['IMPULSE_DATASETS'] = datasets; // this process reads the trained projects' caches too
const fixtures = path.resolve(root, '../shared/fixtures/tflite');
const METHODS: CalibrationMethod[] = ['minmax', 'percentile', 'mse'];
const DEFAULT_METHOD = (QuantizeSpec.properties.calibration as { default: CalibrationMethod }).default;
const DEFAULT_ROUNDING = (QuantizeSpec.properties.rounding as { default: Rounding }).default;

function weightBytes(m: ModelIR): number {
  return m.tensors.reduce((n, t) => n + (t.data ? elementCount(t.shape) * bytesPerElement(t.dtype) : 0), 0);
}

/** Inferences per second of `run` over `inputs`, at least 1 s of work. */
function speed(run: (x: Int8Array | Float32Array) => unknown, inputs: readonly (Int8Array | Float32Array)[]): number {
  let n = 0;
  const started = performance.now();
  while (performance.now() - started < 1000 || n < 5) run(inputs[n++ % inputs.length]!);
  return n / ((performance.now() - started) / 1000);
}

function speeds(runtime: TfliteRuntime, int8: ModelIR, inputs: readonly (Int8Array | Float32Array)[]) {
  const session = runtime.load(writeTflite(int8));
  const ours = createRawRunner(int8);
  const result = { oursPerSecond: speed(ours, inputs), runtimePerSecond: speed((x) => session.run([x]), inputs) };
  session.dispose();
  return result;
}

interface ExampleRow {
  example: string;
  float32: number;
  int8: Record<CalibrationMethod, { accuracy: number; changedTopLabel: number }>;
  testRows: number;
  floatWeightBytes: number;
  int8WeightBytes: number;
  oursPerSecond: number;
  runtimePerSecond: number;
}

async function benchExample(example: string, runtime: TfliteRuntime): Promise<ExampleRow> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `impulse-bench-int8-${example}-`));
  try {
    copyFileSync(path.join(root, 'examples', example, 'impulse.yaml'), path.join(dir, 'impulse.yaml'));
    process.stderr.write(`training examples/${example} (full size)…\n`);
    const run = spawnSync(process.execPath, [cli, 'run', dir], { env: { ...process.env, IMPULSE_DATASETS: datasets, NO_COLOR: '1' }, encoding: 'utf8', maxBuffer: 64 << 20 });
    if (run.status !== 0) throw new Error(`impulse run examples/${example} failed:\n${run.stderr}${run.stdout}`);
    const impulse = await loadImpulse(dir, builtinRegistry());
    const x = await inspectForInference(impulse);
    const learnDir = x.known.get('learn:classifier')!.dir;
    const float = await readModel(learnDir, LEARN_MODEL);
    const data = featuresFor(x.graph.getNodeAttributes('learn:classifier').deps, x.known);
    const test = rowsOfSplit(data, 'testing');
    const truth = test.rows.map((r) => test.labels.indexOf(r.label));
    const floatScores = predictIR(float, test);
    const training = data.rows.flatMap((r, i) => (r.split === 'training' ? [i] : []));
    const calibration = seededSubset(training, 500, impulse.spec.seed).map((i) => rowOf(data, i));
    const int8 = {} as ExampleRow['int8'];
    let defaultModel: ModelIR | undefined;
    for (const method of METHODS) {
      const quantized = quantizeModel(float, calibrateRanges(float, calibration, observeFloat(float), { method }));
      const q = { ...quantized, metadata: { ...quantized.metadata, rounding: DEFAULT_ROUNDING } };
      if (method === DEFAULT_METHOD) defaultModel = q;
      const scores = predictIR(q, test);
      int8[method] = { accuracy: classificationMetrics([...test.labels], truth, scores).accuracy, changedTopLabel: changedTopLabels(floatScores, scores, test.labels.length) };
    }
    const inputs = test.rows.slice(0, 50).map((_, i) => quantizeInput(defaultModel!, rowOf(test, i)));
    return {
      example,
      float32: classificationMetrics([...test.labels], truth, floatScores).accuracy,
      int8,
      testRows: test.rows.length,
      floatWeightBytes: weightBytes(float),
      int8WeightBytes: weightBytes(defaultModel!),
      ...speeds(runtime, defaultModel!, inputs),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function benchFixture(file: string, runtime: TfliteRuntime) {
  const model = readTflite(new Uint8Array(readFileSync(path.join(fixtures, file))), file);
  const input = model.tensors[model.inputs[0]!]!;
  const n = elementCount(input.shape);
  const inputs = Array.from({ length: 8 }, (_, k) =>
    input.dtype === 'int8' ? Int8Array.from({ length: n }, (_, i) => ((i * 37 + k * 101) % 256) - 128) : Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37 + k)),
  );
  return { model: file, precision: input.dtype, weightBytes: weightBytes(model), ...speeds(runtime, model, inputs) };
}

const runtime = await loadTfliteRuntime();
const fixturesOnly = process.argv.includes('--fixtures-only');
const examples: ExampleRow[] = [];
if (!fixturesOnly) for (const e of ['activity', 'spoken-digits', 'handwritten']) examples.push(await benchExample(e, runtime));
const models = readdirSync(fixtures).filter((f) => f.endsWith('.tflite')).sort().map((f) => benchFixture(f, runtime));

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;
if (examples.length > 0) {
  console.log('Examples, full size, test split: float32 vs int8 accuracy per calibration method (500 training windows)');
  console.log(['example'.padEnd(14), 'float32'.padStart(8), ...METHODS.map((m) => `int8 ${m}`.padStart(16)), 'weights f32'.padStart(12), 'int8'.padStart(9), 'ours inf/s'.padStart(11), 'tflite inf/s'.padStart(13)].join('  '));
  for (const r of examples) {
    console.log(
      [
        r.example.padEnd(14),
        pct(r.float32).padStart(8),
        ...METHODS.map((m) => `${pct(r.int8[m].accuracy)} (${r.int8[m].changedTopLabel} chg)`.padStart(16)),
        kb(r.floatWeightBytes).padStart(12),
        kb(r.int8WeightBytes).padStart(9),
        r.oursPerSecond.toFixed(0).padStart(11),
        r.runtimePerSecond.toFixed(0).padStart(13),
      ].join('  '),
    );
  }
  console.log(`default calibration: ${DEFAULT_METHOD}; speeds are of the ${DEFAULT_METHOD} int8 model`);
}
console.log('\nFixture models (../shared/fixtures/tflite): our interpreter vs the official TFLite runtime, same inputs, same run');
console.log(['model'.padEnd(34), 'type'.padStart(8), 'weights'.padStart(10), 'ours inf/s'.padStart(11), 'tflite inf/s'.padStart(13)].join('  '));
for (const m of models) console.log([m.model.padEnd(34), m.precision.padStart(8), kb(m.weightBytes).padStart(10), m.oursPerSecond.toFixed(1).padStart(11), m.runtimePerSecond.toFixed(1).padStart(13)].join('  '));
mkdirSync(path.join(root, 'bench/results'), { recursive: true });
writeFileSync(
  path.join(root, 'bench/results/int8.json'),
  JSON.stringify({ benchmark: 'int8', date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, defaultCalibration: DEFAULT_METHOD, examples, models }, null, 1) + '\n',
);
console.log('wrote bench/results/int8.json');
const missed = examples.filter((r) => r.float32 - r.int8[DEFAULT_METHOD].accuracy > 0.01);
for (const r of missed) console.error(`${r.example}: int8 (${DEFAULT_METHOD}) ${pct(r.int8[DEFAULT_METHOD].accuracy)} is more than 1 point below float32 ${pct(r.float32)}`);
process.exit(missed.length > 0 ? 1 : 0);
