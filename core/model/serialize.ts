/**
 * A ModelIR on disk: `<name>.json` (the graph) + `<name>.bin` (the weights buffer). The hash of
 * both is the model's identity in the cache keys of everything downstream.
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ImpulseError } from '../errors/impulse-error.js';
import { IR_VERSION, type ModelIR } from './ir.js';

type ModelJson = Omit<ModelIR, 'weights'> & { weightsFile: string; weightsBytes: number };

export async function writeModel(dir: string, name: string, model: ModelIR): Promise<void> {
  const { weights, ...graph } = model;
  const json: ModelJson = { ...graph, weightsFile: `${name}.bin`, weightsBytes: weights.byteLength };
  await writeFile(path.join(dir, `${name}.json`), JSON.stringify(json) + '\n');
  await writeFile(path.join(dir, `${name}.bin`), weights);
}

export async function readModel(dir: string, name: string): Promise<ModelIR> {
  const file = path.join(dir, `${name}.json`);
  let json: ModelJson;
  let weights: Buffer;
  try {
    json = JSON.parse(await readFile(file, 'utf8')) as ModelJson;
    weights = await readFile(path.join(dir, json.weightsFile));
  } catch (e) {
    throw new ImpulseError({ code: 'E_MODEL_MISSING', message: `no model IR at ${file} (${(e as Error).message})`, hint: 'Run the learn stage again (impulse run).' });
  }
  if (json.version !== IR_VERSION) {
    throw new ImpulseError({ code: 'E_MODEL_MISSING', message: `${file} is model IR version ${json.version}, this impulse-kit reads ${IR_VERSION}`, hint: 'Run the learn stage again (impulse run --force).' });
  }
  const { weightsFile: _f, weightsBytes: _b, ...graph } = json;
  // Copy into a fresh, aligned buffer (Buffer slices of the pool may be unaligned).
  return { ...graph, weights: new Uint8Array(weights) };
}

/** Content hash of a model (graph + weights), for cache keys. */
export function modelHash(model: ModelIR): string {
  const { weights, ...graph } = model;
  return createHash('sha256').update(JSON.stringify(graph)).update(weights).digest('hex');
}
