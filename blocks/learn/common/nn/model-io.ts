/**
 * Saving and loading TF.js layers models as `model.json` + `weights.bin` (the standard TF.js
 * layers format, readable by tf.loadLayersModel) through a custom IOHandler on the file system.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { io } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { LoadedTf } from '../tf/load.js';
import { learnError, LearnErrorCode } from '../errors.js';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

function concat(data: io.WeightData | undefined): Uint8Array {
  if (data === undefined) return new Uint8Array(0);
  const parts = Array.isArray(data) ? data : [data];
  const out = new Uint8Array(parts.reduce((n, b) => n + b.byteLength, 0));
  let at = 0;
  for (const b of parts) {
    out.set(new Uint8Array(b), at);
    at += b.byteLength;
  }
  return out;
}

/** An IOHandler that writes model.json and weights.bin into `dir`. */
export function fileSaver(dir: string): io.IOHandler {
  return {
    async save(artifacts: io.ModelArtifacts): Promise<io.SaveResult> {
      const weights = concat(artifacts.weightData);
      const json = {
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs ?? [] }],
      };
      const text = JSON.stringify(json);
      await writeFile(path.join(dir, MODEL_JSON), text);
      await writeFile(path.join(dir, WEIGHTS_BIN), weights);
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(0),
          modelTopologyType: 'JSON',
          modelTopologyBytes: text.length,
          weightDataBytes: weights.byteLength,
        },
      };
    },
  };
}

export async function saveModel(model: LayersModel, dir: string): Promise<void> {
  await model.save(fileSaver(dir));
}

export async function loadModel(loaded: LoadedTf, dir: string): Promise<LayersModel> {
  let json: { modelTopology?: object; weightsManifest?: Array<{ weights: io.WeightsManifestEntry[] }>; format?: string };
  let weights: Buffer;
  try {
    json = JSON.parse(await readFile(path.join(dir, MODEL_JSON), 'utf8')) as typeof json;
    weights = await readFile(path.join(dir, WEIGHTS_BIN));
  } catch (e) {
    throw learnError(LearnErrorCode.badModel, `no trained model in ${dir} (${(e as Error).message})`, 'Run the learn stage again (impulse run).');
  }
  const weightSpecs = (json.weightsManifest ?? []).flatMap((g) => g.weights);
  const weightData = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
  const artifacts: io.ModelArtifacts = { modelTopology: json.modelTopology ?? {}, weightSpecs, weightData, format: json.format ?? 'layers-model' };
  return loaded.layers.loadLayersModel({ load: async () => artifacts });
}

/** The saved network of `dir` as float32 model IR (labels into its metadata when there is a labels.json). */
export async function readNetworkIR(dir: string, source: string): Promise<import('../../../../core/model/ir.js').ModelIR> {
  const { savedModelToIR } = await import('./to-ir.js');
  let saved: import('./to-ir.js').SavedLayersModel;
  let weights: Buffer;
  try {
    saved = JSON.parse(await readFile(path.join(dir, MODEL_JSON), 'utf8')) as typeof saved;
    weights = await readFile(path.join(dir, WEIGHTS_BIN));
  } catch (e) {
    throw learnError(LearnErrorCode.badModel, `no trained model in ${dir} (${(e as Error).message})`, 'Run the learn stage again (impulse run).');
  }
  const labels = await readFile(path.join(dir, 'labels.json'), 'utf8').then((t) => JSON.parse(t) as string[], () => undefined);
  return savedModelToIR(saved, new Uint8Array(weights), { source, ...(labels ? { labels } : {}) });
}
