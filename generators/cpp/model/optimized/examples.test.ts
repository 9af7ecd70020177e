/**
 * The int8 networks of the three examples (trained once per test run, shared with the e2e tests:
 * test/support/trained-example.ts) with the optimized kernels on the emulated Cortex-M4F: every
 * test window's features, quantized, through the network in one firmware per example — outputs
 * bit-identical to the TS int8 interpreter. (The whole C library of each example, DSP included, is
 * compared on the host in test/e2e/examples-deployed.test.ts, with the cpp target's default
 * kernels: these.)
 */
import { describe, expect, test } from 'vitest';
import { builtinRegistry } from '../../../../cli/builtins.js';
import { rowsOfSplit } from '../../../../core/artifact/concat.js';
import { rowOf } from '../../../../core/artifact/types.js';
import { harnessToolsPresent } from '../../../../core/device/qemu/testing/fixtures.js';
import { elementCount } from '../../../../core/model/ir.js';
import { createRawRunner, quantizeInput } from '../../../../core/model/run-model.js';
import { readModel } from '../../../../core/model/serialize.js';
import { inspectForInference } from '../../../../core/run/inference.js';
import { featuresFor } from '../../../../core/run/stages/learn.js';
import { INT8_MODEL } from '../../../../core/run/stages/quantize.js';
import { loadImpulse } from '../../../../core/spec/load.js';
import { requireShared } from '../../../../test/support/shared.js';
import { trainedExample, type ExampleName } from '../../../../test/support/trained-example.js';
import { generateSdk } from '../../sdk/generate.js';
import { sdkSpecOfModel } from '../../sdk/spec.js';
import { runModelFirmware } from './testing/model-firmware.js';

const EXAMPLES: readonly ExampleName[] = ['activity', 'spoken-digits', 'handwritten'];

describe.each(EXAMPLES)('examples/%s', (name) => {
  test('the int8 network with the optimized kernels on the emulated Cortex-M4F: every test window bit-identical to the TS interpreter', async () => {
    requireShared();
    if (!harnessToolsPresent()) return;
    const dir = await trainedExample(name);
    const loaded = await loadImpulse(dir, builtinRegistry());
    const x = await inspectForInference(loaded);
    const test = rowsOfSplit(featuresFor(x.graph.getNodeAttributes('learn:classifier').deps, x.known), 'testing');
    const model = await readModel(x.known.get('quantize:classifier')!.dir, INT8_MODEL);
    const inputs = test.rows.map((_, i) => quantizeInput(model, rowOf(test, i)));
    const sdk = generateSdk(sdkSpecOfModel(model, 'model'), 'optimized');
    expect(sdk.report.optimizedOps).toBeGreaterThan(0);
    const run = await runModelFirmware(sdk.files, inputs, elementCount(model.tensors[model.outputs[0]!]!.shape));
    const ts = createRawRunner(model);
    let differing = 0;
    inputs.forEach((q, i) => {
      const want = ts(q) as Int8Array;
      want.forEach((v, k) => (v === run.outputs[i]![k] ? 0 : differing++));
    });
    console.log(`examples/${name}: ${inputs.length} test windows, ${sdk.report.optimizedOps} of ${model.ops.length} ops optimized, ${Math.round(run.invoke.instructions / run.invoke.entries)} instructions per inference, ${differing} outputs differ`);
    expect(differing).toBe(0);
  }, 1_800_000);
});
