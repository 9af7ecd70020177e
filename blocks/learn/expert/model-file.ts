/**
 * The user's model module of an expert block: where it is (inside the project), its content hash
 * (part of the learn stage's cache key through `cacheInputs`) and loading it. No TF.js here.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ImpulseError } from '../../../core/errors/impulse-error.js';
import { defaultExport, importModule } from '../../../core/util/import-module.js';
import type { BuildModel, TrainModel } from './api.js';

export const ExpertErrorCode = {
  /** The model file is missing, outside the project, fails to load or exports no function. */
  modelFile: 'E_LEARN_MODEL_FILE',
  /** buildModel failed or returned a network that does not fit the features and labels. */
  expertModel: 'E_LEARN_EXPERT_MODEL',
} as const;

export interface ModelFile {
  readonly abs: string;
  /** Relative to the project folder, forward slashes: the name users see and the cache key uses. */
  readonly rel: string;
  readonly sha256: string;
}

/** Resolves `model` against the project folder; it must stay inside it and be a readable file. */
export function resolveModelFile(model: string, projectDir: string): ModelFile {
  const abs = path.resolve(projectDir, model);
  const relNative = path.relative(projectDir, abs);
  if (relNative === '' || relNative.startsWith('..') || path.isAbsolute(relNative)) {
    throw new ImpulseError({
      code: 'E_SPEC_PATH_ESCAPE',
      message: `learn block model file '${model}' is outside the project folder`,
      hint: 'Put the model module inside the project (next to the impulse file) and give its relative path, e.g. model: ./model.ts.',
    });
  }
  const rel = relNative.split(path.sep).join('/');
  let bytes: Buffer;
  try {
    if (!statSync(abs).isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
    bytes = readFileSync(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ImpulseError({
      code: ExpertErrorCode.modelFile,
      message: code === 'ENOENT' ? `learn block model file '${model}' does not exist` : `cannot read learn block model file '${model}': ${(e as Error).message}`,
      hint: `Create ${rel} exporting \`default function buildModel({ tf, layers, inputShape, labels, seed })\`, or fix params.model (relative to the impulse file).`,
      location: { file: rel },
    });
  }
  return { abs, rel, sha256: createHash('sha256').update(bytes).digest('hex') };
}

export interface ModelModule {
  readonly buildModel: BuildModel;
  readonly train?: TrainModel;
}

/** Imports the model module (TypeScript through tsx); its default export must be a function. */
export async function loadModelModule(file: ModelFile): Promise<ModelModule> {
  let mod: Record<string, unknown>;
  try {
    mod = await importModule(pathToFileURL(file.abs).href);
  } catch (e) {
    throw new ImpulseError(
      {
        code: ExpertErrorCode.modelFile,
        message: `could not load ${file.rel}: ${(e as Error).message.split('\n')[0]}`,
        hint: 'Fix the error in the model module (run with --verbose for the stack).',
        location: { file: file.rel },
      },
      { cause: e },
    );
  }
  // A TS module compiled as CommonJS (no "type": "module" around it) nests its exports under `default`.
  const d = defaultExport(mod);
  const inner = d && typeof d === 'object' ? (d as Record<string, unknown>) : undefined;
  const pick = (name: string): unknown => (typeof mod[name] === 'function' ? mod[name] : inner?.[name]);
  const build = typeof d === 'function' ? d : typeof inner?.['default'] === 'function' ? inner['default'] : pick('buildModel') ?? d;
  if (typeof build !== 'function') {
    throw new ImpulseError({
      code: ExpertErrorCode.modelFile,
      message: `${file.rel} has no default export function (got ${build === undefined ? 'nothing' : typeof build})`,
      hint: 'Export the builder: `export default function buildModel({ tf, layers, inputShape, labels, seed, initializer }) { … return model; }`.',
      location: { file: file.rel },
    });
  }
  const train = pick('train');
  if (train !== undefined && typeof train !== 'function') {
    throw new ImpulseError({ code: ExpertErrorCode.modelFile, message: `${file.rel} exports 'train', but it is a ${typeof train}, not a function`, hint: 'Export train as an async function, or remove it to use the built-in training loop.', location: { file: file.rel } });
  }
  return { buildModel: build as BuildModel, ...(train ? { train: train as TrainModel } : {}) };
}
