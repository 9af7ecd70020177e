/** The user's .tflite file: inside the project, readable, hashed for the cache key. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ImpulseError } from '../../../core/errors/impulse-error.js';

export interface TfliteFile {
  readonly abs: string;
  readonly rel: string;
  readonly bytes: Uint8Array;
  readonly sha256: string;
}

export function resolveTfliteFile(model: string, projectDir: string): TfliteFile {
  const abs = path.resolve(projectDir, model);
  const relNative = path.relative(projectDir, abs);
  if (relNative === '' || relNative.startsWith('..') || path.isAbsolute(relNative)) {
    throw new ImpulseError({
      code: 'E_SPEC_PATH_ESCAPE',
      message: `pretrained model '${model}' is outside the project folder`,
      hint: 'Copy the .tflite file into the project (next to the impulse file) and give its relative path, e.g. model: ./model.tflite.',
    });
  }
  const rel = relNative.split(path.sep).join('/');
  let bytes: Buffer;
  try {
    bytes = readFileSync(abs);
  } catch (e) {
    throw new ImpulseError({
      code: 'E_LEARN_MODEL_FILE',
      message: (e as NodeJS.ErrnoException).code === 'ENOENT' ? `pretrained model '${model}' does not exist` : `cannot read pretrained model '${model}': ${(e as Error).message}`,
      hint: 'Fix params.model (relative to the impulse file).',
      location: { file: rel },
    });
  }
  return { abs, rel, bytes: new Uint8Array(bytes), sha256: createHash('sha256').update(bytes).digest('hex') };
}
