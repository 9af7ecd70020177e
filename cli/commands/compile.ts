/**
 * `impulse compile model.tflite [--out DIR] [--name NAME] [--rounding single|double]`: the C
 * library generator on a bare .tflite model (no impulse needed): the model's input in, its scores
 * out, and for int8 models impulse_run_quantized on raw int8 values.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pc from 'picocolors';
import { ImpulseError } from '../../core/errors/impulse-error.js';
import type { Rounding } from '../../core/model/ir.js';
import { readTflite } from '../../core/model/tflite/read.js';
import { writeTree } from '../../core/run/stages/deploy.js';
import { displayPath } from '../../core/spec/load.js';
import { describeReport } from '../../generators/cpp/index.js';
import { generateSdk } from '../../generators/cpp/sdk/generate.js';
import { sdkSpecOfModel } from '../../generators/cpp/sdk/spec.js';
import { cIdentifier } from '../../generators/cpp/c-syntax.js';
import { printJson } from '../load.js';

export async function compileCommand(modelFile: string, opts: { out?: string; name?: string; rounding?: string; kernels?: string; json?: boolean }): Promise<void> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(modelFile));
  } catch (e) {
    throw new ImpulseError({ code: 'E_CLI_NOT_FOUND', message: `cannot read ${modelFile}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`, hint: 'Give the path of a .tflite model.', location: { file: modelFile } });
  }
  if (opts.rounding !== undefined && opts.rounding !== 'single' && opts.rounding !== 'double') {
    throw new ImpulseError({ code: 'E_CLI_BAD_OPTION', message: `--rounding ${opts.rounding}: expected single or double`, hint: 'double: TensorFlow Lite Micro (the default for imported models); single: the TFLite runtime.' });
  }
  if (opts.kernels !== undefined && opts.kernels !== 'optimized' && opts.kernels !== 'portable') {
    throw new ImpulseError({ code: 'E_CLI_BAD_OPTION', message: `--kernels ${opts.kernels}: expected optimized or portable`, hint: 'optimized: Armv7E-M SIMD where an op allows it (the default); portable: generic C99 only.' });
  }
  const name = opts.name ?? cIdentifier(path.basename(modelFile).replace(/\.tflite$/i, ''));
  const read = readTflite(bytes, displayPath(path.resolve(modelFile)));
  const model = opts.rounding ? { ...read, metadata: { ...read.metadata, rounding: opts.rounding as Rounding } } : read;
  const sdk = generateSdk(sdkSpecOfModel(model, name), (opts.kernels as 'optimized' | 'portable' | undefined) ?? 'optimized');
  const out = path.resolve(opts.out ?? path.join('build', name));
  await writeTree(sdk.files, out);
  if (opts.json) {
    printJson({ model: modelFile, out, files: [...sdk.files.keys()].sort(), report: sdk.report });
    return;
  }
  process.stdout.write(`${name}: ${model.ops.length} ops; ${describeReport(sdk.report)}\n`);
  process.stdout.write(`${pc.green('✓')} ${sdk.files.size} files in ${displayPath(out)} (make -C ${displayPath(out)} builds it)\n`);
}
