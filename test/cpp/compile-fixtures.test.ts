/**
 * `impulse compile` on the seven real .tflite models other people converted (issue 11): the
 * generated library, compiled on the host with -Werror, against the TS interpreter on 100 seeded
 * random inputs each — int8 outputs bit-identical (with TFLite Micro's double rounding, the models'
 * default, and with single rounding), the float KWS within 1e-4.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { elementCount, type ModelIR, type Rounding } from '../../core/model/ir.js';
import { createRawRunner } from '../../core/model/run-model.js';
import { readTflite } from '../../core/model/tflite/read.js';
import { FLOAT_DRIVER, QUANTIZED_DRIVER } from '../../generators/cpp/sdk-harness.js';
import { generateSdk } from '../../generators/cpp/sdk/generate.js';
import { sdkSpecOfModel } from '../../generators/cpp/sdk/spec.js';
import { compareFloat } from '../oracles/compare.js';
import { compileC, haveCompiler, STRICT_C99_FLAGS } from '../support/compile-c.js';
import { fixturesDir } from '../support/shared.js';

const MODELS = ['hello_world_int8', 'micro_speech_quantized', 'ad01_int8', 'kws_ref_model', 'pretrainedResnet_quant', 'vww_96_int8', 'kws_ref_model_float32'];
const INPUTS = 100;

/** Seeded inputs over the input type's whole range (mulberry32). */
function randomInputs(dtype: string, n: number, count: number, seed: number): (Int8Array | Float32Array)[] {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  return Array.from({ length: count }, () =>
    dtype === 'int8' ? Int8Array.from({ length: n }, () => Math.floor(next() * 256) - 128) : Float32Array.from({ length: n }, () => next() * 2 - 1),
  );
}

const concat = (xs: readonly (Int8Array | Float32Array)[]) => Buffer.concat(xs.map((x) => Buffer.from(x.buffer, x.byteOffset, x.byteLength)));

async function runSdk(model: ModelIR, xs: readonly (Int8Array | Float32Array)[]): Promise<Buffer> {
  const sdk = generateSdk(sdkSpecOfModel(model, 'fixture'));
  const int8 = model.tensors[model.inputs[0]!]!.dtype === 'int8';
  const files = new Map<string, string | Uint8Array>(sdk.files);
  files.set('driver.c', int8 ? QUANTIZED_DRIVER : FLOAT_DRIVER);
  const compile = [...files.keys()].filter((f) => f.endsWith('.c') && f.startsWith('src/')).concat('driver.c');
  const prog = await compileC({ files, compile, includeDirs: ['src'], flags: [...STRICT_C99_FLAGS, '-O2', '-ffp-contract=off'] });
  try {
    return (await prog.run({ stdin: concat(xs), args: [String(xs.length)], timeoutMs: 600_000 })).stdout;
  } finally {
    prog.cleanup();
  }
}

describe.each(MODELS)('impulse compile %s.tflite', (name) => {
  const model = () => readTflite(new Uint8Array(readFileSync(path.join(fixturesDir, 'tflite', `${name}.tflite`))), `${name}.tflite`);

  const roundings: (Rounding | 'float')[] = name.includes('float32') ? ['float'] : ['double', 'single'];
  test.each(roundings)('host build equals the TS interpreter (%s)', async (rounding) => {
    if (!haveCompiler('gcc')) return;
    const base = model();
    const m: ModelIR = rounding === 'float' ? base : { ...base, metadata: { ...base.metadata, rounding } };
    const input = m.tensors[m.inputs[0]!]!;
    const output = m.tensors[m.outputs[0]!]!;
    const xs = randomInputs(input.dtype, elementCount(input.shape), INPUTS, 2024);
    const out = await runSdk(m, xs);
    const ts = createRawRunner(m);
    const per = elementCount(output.shape);
    if (rounding === 'float') {
      const c = new Float32Array(out.buffer, out.byteOffset, out.byteLength / 4);
      const got = xs.map((_, i) => c.subarray(i * per, (i + 1) * per));
      const cmp = compareFloat(got, xs.map((x) => ts(x)));
      console.log(`${name}: C float vs TS float: max relative difference ${cmp.maxError.toExponential(2)}`);
      expect(cmp.maxError).toBeLessThanOrEqual(1e-4);
    } else {
      const c = new Int8Array(out.buffer, out.byteOffset, out.byteLength);
      expect(c.length).toBe(per * INPUTS);
      const want = concat(xs.map((x) => ts(x)));
      let differing = 0;
      for (let i = 0; i < c.length; i++) if (c[i] !== (want[i]! << 24) >> 24) differing++;
      expect(differing).toBe(0);
    }
  }, 900_000);
});
