/**
 * Every int8 model of ../shared/fixtures/tflite through `impulse compile --kernels optimized`
 * (generateSdk(…, 'optimized')), built for the Cortex-M4F with arm-none-eabi-gcc -O2 -Werror and
 * run on the emulated board (QEMU mps2-an386) over 100 seeded random inputs per model, in one
 * firmware per model: every output byte-identical to the TS int8 interpreter's — with the models'
 * own (TFLite Micro's double) rounding, and with single rounding over 20; and the same library on the host
 * (the helpers' plain-C fallback) under clang -Werror with AddressSanitizer and
 * UndefinedBehaviorSanitizer. The float KWS model has no int8 op and keeps the portable kernels.
 */
import { describe, expect, test } from 'vitest';
import { compileModel } from '../../../../core/model/interpret/compile.js';
import { elementCount, type ModelIR, type DeployableRounding } from '../../../../core/model/ir.js';
import { harnessToolsPresent } from '../../../../core/device/qemu/testing/fixtures.js';
import { concatBytes, fixtureModel, randomInputs, SANITIZER_FLAGS, SANITIZER_LIBS, withDriver } from '../../../../test/cpp/fixture-sdk.js';
import { compileC, haveCompiler } from '../../../../test/support/compile-c.js';
import { QUANTIZED_DRIVER } from '../../sdk-harness.js';
import { generateSdk } from '../../sdk/generate.js';
import { sdkSpecOfModel } from '../../sdk/spec.js';
import { runModelFirmware } from './testing/model-firmware.js';

const INT8_MODELS = ['hello_world_int8', 'micro_speech_quantized', 'ad01_int8', 'kws_ref_model', 'pretrainedResnet_quant', 'vww_96_int8'] as const;
/** The models' own rounding over 100 inputs; single rounding (also covered op by op in kernels.test.ts) over 20. */
const INPUTS: Record<DeployableRounding, number> = { double: 100, single: 20 };

/** Ops of each model that must run optimized kernels (all but RESHAPE and SOFTMAX). */
const expectedOptimized = (model: ModelIR) => model.ops.filter((op) => op.op !== 'reshape' && op.op !== 'softmax').length;

describe.each(INT8_MODELS)('%s.tflite with the optimized kernels on the emulated Cortex-M4F', (name) => {
  test.each(['double', 'single'] as DeployableRounding[])('seeded inputs bit-identical to the TS int8 interpreter (%s rounding)', async (rounding) => {
    if (!harnessToolsPresent()) return;
    const base = fixtureModel(name);
    const model: ModelIR = { ...base, metadata: { ...base.metadata, rounding } };
    const sdk = generateSdk(sdkSpecOfModel(model, 'model'), 'optimized');
    expect(sdk.report.optimizedOps).toBe(expectedOptimized(model));
    const n = elementCount(model.tensors[model.inputs[0]!]!.shape);
    const xs = randomInputs('int8', n, INPUTS[rounding], 2024) as Int8Array[];
    const run = await runModelFirmware(sdk.files, xs, elementCount(model.tensors[model.outputs[0]!]!.shape));
    const ts = compileModel(model);
    let differing = 0;
    xs.forEach((x, i) => {
      const want = ts.run([x])[0]! as Int8Array;
      const got = run.outputs[i]!;
      for (let j = 0; j < want.length; j++) if (got[j] !== want[j]) differing++;
    });
    console.log(`${name} (${rounding}): ${Math.round(run.invoke.instructions / run.invoke.entries)} instructions per invoke; build ${run.buildMs} ms, ${xs.length} inferences ${run.runMs} ms`);
    expect(differing).toBe(0);
  }, 600_000);

  test('on the host under clang -Werror with ASan + UBSan (the plain-C fallback): 20 inputs bit-identical', async () => {
    if (!haveCompiler('clang')) return;
    const model = fixtureModel(name);
    const sdk = generateSdk(sdkSpecOfModel(model, 'model'), 'optimized');
    const xs = randomInputs('int8', elementCount(model.tensors[model.inputs[0]!]!.shape), 20, 99) as Int8Array[];
    const { files, compile } = withDriver(sdk, { 'driver.c': QUANTIZED_DRIVER });
    const prog = await compileC({ files, compile, includeDirs: ['src'], compiler: 'clang', flags: SANITIZER_FLAGS, libs: SANITIZER_LIBS, timeoutMs: 600_000 });
    try {
      const out = (await prog.run({ stdin: concatBytes(xs), args: [String(xs.length)], timeoutMs: 600_000 })).stdout;
      const got = new Int8Array(out.buffer, out.byteOffset, out.byteLength);
      const ts = compileModel(model);
      const want = new Int8Array(concatBytes(xs.map((x) => (ts.run([x])[0]! as Int8Array).slice())));
      expect(got.length).toBe(want.length);
      let differing = 0;
      for (let i = 0; i < want.length; i++) if (got[i] !== want[i]) differing++;
      expect(differing).toBe(0);
    } finally {
      prog.cleanup();
    }
  }, 600_000);
});

test('the float KWS model keeps the portable kernels', () => {
  const sdk = generateSdk(sdkSpecOfModel(fixtureModel('kws_ref_model_float32'), 'model'), 'optimized');
  expect(sdk.report.optimizedOps).toBe(0);
  expect([...sdk.files.keys()].some((f) => f.includes('armv7em'))).toBe(false);
});
