/**
 * `impulse compile` on the seven real .tflite models other people converted (issue 11): the
 * generated library, compiled on the host with -Werror, against the TS interpreter on 100 seeded
 * random inputs each — int8 outputs bit-identical (with TFLite Micro's double rounding, the models'
 * default, and with single rounding), the float KWS within 1e-4 — and the same runs under clang's
 * AddressSanitizer + UndefinedBehaviorSanitizer, plus 10,000 calls with garbage (wrong lengths,
 * NULL pointers, NaN, ±Inf, huge values) that must each return the right status, never crash.
 */
import { describe, expect, test } from 'vitest';
import { elementCount, type ModelIR, type Rounding } from '../../core/model/ir.js';
import { createRawRunner } from '../../core/model/run-model.js';
import { FLOAT_DRIVER, FUZZ_DRIVER, QUANTIZED_DRIVER } from '../../generators/cpp/sdk-harness.js';
import { compareFloat } from '../oracles/compare.js';
import { compileC, haveCompiler, STRICT_C99_FLAGS } from '../support/compile-c.js';
import { concatBytes, FIXTURE_MODELS, fixtureModel, fixtureSdk, randomInputs, SANITIZER_FLAGS, SANITIZER_LIBS, withDriver } from './fixture-sdk.js';

const INPUTS = 100;

async function runSdk(model: ModelIR, xs: readonly (Int8Array | Float32Array)[], sanitize: boolean): Promise<Buffer> {
  const int8 = model.tensors[model.inputs[0]!]!.dtype === 'int8';
  const { files, compile } = withDriver(fixtureSdk(model), { 'driver.c': int8 ? QUANTIZED_DRIVER : FLOAT_DRIVER });
  const prog = await compileC({
    files,
    compile,
    includeDirs: ['src'],
    ...(sanitize ? { compiler: 'clang', flags: SANITIZER_FLAGS, libs: SANITIZER_LIBS } : { flags: [...STRICT_C99_FLAGS, '-O2', '-ffp-contract=off'] }),
  });
  try {
    return (await prog.run({ stdin: concatBytes(xs), args: [String(xs.length)], timeoutMs: 600_000 })).stdout;
  } finally {
    prog.cleanup();
  }
}

/** Checks the library's outputs against the TS interpreter: bit for bit (int8) or within 1e-4 (float). */
function expectSameAsTs(name: string, model: ModelIR, xs: readonly (Int8Array | Float32Array)[], out: Buffer): void {
  const ts = createRawRunner(model);
  const per = elementCount(model.tensors[model.outputs[0]!]!.shape);
  if (model.tensors[model.inputs[0]!]!.dtype === 'float32') {
    const c = new Float32Array(out.buffer, out.byteOffset, out.byteLength / 4);
    expect(c.length).toBe(per * xs.length);
    const cmp = compareFloat(xs.map((_, i) => c.subarray(i * per, (i + 1) * per)), xs.map((x) => ts(x)));
    console.log(`${name}: C float vs TS float: max relative difference ${cmp.maxError.toExponential(2)}`);
    expect(cmp.maxError).toBeLessThanOrEqual(1e-4);
    return;
  }
  const c = new Int8Array(out.buffer, out.byteOffset, out.byteLength);
  expect(c.length).toBe(per * xs.length);
  const want = new Int8Array(concatBytes(xs.map((x) => ts(x))));
  let differing = 0;
  for (let i = 0; i < c.length; i++) if (c[i] !== want[i]) differing++;
  expect(differing).toBe(0);
}

describe.each(FIXTURE_MODELS)('impulse compile %s.tflite', (name) => {
  const roundings: (Rounding | 'float')[] = name.includes('float32') ? ['float'] : ['double', 'single'];

  test.each(roundings)('gcc -O2 build equals the TS interpreter (%s)', async (rounding) => {
    if (!haveCompiler('gcc')) return;
    const base = fixtureModel(name);
    const model: ModelIR = rounding === 'float' ? base : { ...base, metadata: { ...base.metadata, rounding } };
    const input = model.tensors[model.inputs[0]!]!;
    const xs = randomInputs(input.dtype, elementCount(input.shape), INPUTS, 2024);
    expectSameAsTs(name, model, xs, await runSdk(model, xs, false));
  }, 900_000);

  test('under ASan + UBSan: the same outputs, and 10,000 garbage calls each get the right status', async () => {
    if (!haveCompiler('clang')) return;
    const model = fixtureModel(name);
    const input = model.tensors[model.inputs[0]!]!;
    const xs = randomInputs(input.dtype, elementCount(input.shape), INPUTS, 77);
    expectSameAsTs(name, model, xs, await runSdk(model, xs, true));

    const { files, compile } = withDriver(fixtureSdk(model), { 'fuzz.c': FUZZ_DRIVER });
    const prog = await compileC({ files, compile, includeDirs: ['src'], compiler: 'clang', flags: SANITIZER_FLAGS, libs: SANITIZER_LIBS });
    try {
      const out = (await prog.run({ args: ['10000'], timeoutMs: 600_000 })).stdout.toString();
      console.log(`${name}: ${out.trim()}`);
      const counts = Object.fromEntries(out.trim().split(' ').map((kv) => kv.split('=')).map(([k, v]) => [k, Number(v)]));
      expect(counts['calls']).toBe(10000);
      // every kind of outcome was exercised
      for (const k of ['ok', 'null', 'length', 'input_not_finite']) expect(counts[k]).toBeGreaterThan(100);
    } finally {
      prog.cleanup();
    }
  }, 900_000);
});
