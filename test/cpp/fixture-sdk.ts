/** Shared by the SDK tests: the generated library of a fixture model, and seeded inputs for it. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ModelIR } from '../../core/model/ir.js';
import { readTflite } from '../../core/model/tflite/read.js';
import { generateSdk, type GeneratedSdk } from '../../generators/cpp/sdk/generate.js';
import { sdkSpecOfModel } from '../../generators/cpp/sdk/spec.js';
import { fixturesDir } from '../support/shared.js';

export const FIXTURE_MODELS = ['hello_world_int8', 'micro_speech_quantized', 'ad01_int8', 'kws_ref_model', 'pretrainedResnet_quant', 'vww_96_int8', 'kws_ref_model_float32'] as const;

export function fixtureModel(name: string): ModelIR {
  return readTflite(new Uint8Array(readFileSync(path.join(fixturesDir, 'tflite', `${name}.tflite`))), `${name}.tflite`);
}

export function fixtureSdk(model: ModelIR, name = 'fixture'): GeneratedSdk {
  return generateSdk(sdkSpecOfModel(model, name));
}

/** The library's .c files plus extra files (drivers), ready for compileC. */
export function withDriver(sdk: GeneratedSdk, driver: Record<string, string>): { files: Map<string, string | Uint8Array>; compile: string[] } {
  const files = new Map<string, string | Uint8Array>(sdk.files);
  for (const [name, text] of Object.entries(driver)) files.set(name, text);
  const compile = [...files.keys()].filter((f) => f.endsWith('.c') && (f.startsWith('src/') || Object.hasOwn(driver, f)));
  return { files, compile };
}

export const concatBytes = (xs: readonly (Int8Array | Float32Array)[]) => Buffer.concat(xs.map((x) => Buffer.from(x.buffer, x.byteOffset, x.byteLength)));

/** clang with AddressSanitizer and UndefinedBehaviorSanitizer, any finding fatal. */
export const SANITIZER_FLAGS = ['-std=c99', '-Wall', '-Wextra', '-Werror', '-pedantic', '-O1', '-g', '-fno-omit-frame-pointer', '-fsanitize=address,undefined', '-fno-sanitize-recover=all', '-ffp-contract=off'];
export const SANITIZER_LIBS = ['-lm', '-fsanitize=address,undefined'];

export { randomInputs } from '../../core/util/seeded-random.js';
