/**
 * TF.js layers models → model IR, checked against TF.js itself: for every layer kind the
 * classifier, regression and expert blocks can train, the float interpreter over the converted IR
 * gives TF.js's predictions within 1e-5 (relative; absolute below 1). Batch norm gets random
 * statistics so folding it is really exercised.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { ImpulseError } from '../../../../core/errors/impulse-error.js';
import { createRunner } from '../../../../core/model/run-model.js';
import { switchBackend, type LoadedTf } from '../tf/load.js';
import { readNetworkIR, saveModel } from './model-io.js';
import { savedModelToIR, type SavedLayersModel } from './to-ir.js';
import { expectClose, wave } from './test-helpers.js';

type Build = (L: LoadedTf['layers']['layers']) => LayersModel['layers'][number][];

const NETS: Record<string, { input: number[]; build: Build }> = {
  'dense + relu6 + softmax': { input: [12], build: (L) => [L.dense({ units: 8, activation: 'relu6' }), L.dense({ units: 4, activation: 'softmax' })] },
  'conv1d same/valid, strides, max and avg pool 1d, flatten': {
    input: [20, 3],
    build: (L) => [
      L.conv1d({ filters: 5, kernelSize: 3, padding: 'same', activation: 'relu' }),
      L.maxPooling1d({ poolSize: 2, padding: 'same' }),
      L.conv1d({ filters: 4, kernelSize: 3, strides: 2, padding: 'valid', activation: 'relu' }),
      L.averagePooling1d({ poolSize: 2 }),
      L.flatten(),
      L.dense({ units: 3, activation: 'softmax' }),
    ],
  },
  'conv2d, depthwise (multiplier 2), separable, global average pool': {
    input: [9, 8, 2],
    build: (L) => [
      L.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
      L.depthwiseConv2d({ kernelSize: [3, 2], depthMultiplier: 2, padding: 'valid', activation: 'relu6' }),
      L.separableConv2d({ filters: 5, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
      L.maxPooling2d({ poolSize: 2, padding: 'same' }),
      L.globalAveragePooling2d({}),
      L.dense({ units: 3 }),
    ],
  },
  'batch norm folded (no activation before it) and as a scale-shift (after relu), dropout dropped': {
    input: [10, 4],
    build: (L) => [
      L.conv1d({ filters: 6, kernelSize: 3, padding: 'same' }),
      L.batchNormalization({}),
      L.dropout({ rate: 0.5 }),
      L.conv1d({ filters: 6, kernelSize: 3, padding: 'same', activation: 'relu' }),
      L.batchNormalization({}),
      L.flatten(),
      L.dense({ units: 7, activation: 'relu' }),
      L.batchNormalization({}),
      L.dense({ units: 2, activation: 'softmax' }),
    ],
  },
  'reshape of a flat vector to an image': {
    input: [16],
    build: (L) => [L.reshape({ targetShape: [4, 4, 1] }), L.conv2d({ filters: 2, kernelSize: 2, activation: 'relu' }), L.flatten(), L.dense({ units: 2 })],
  },
};

async function saved(loaded: LoadedTf, input: number[], build: Build): Promise<{ model: LayersModel; dir: string }> {
  const layers = build(loaded.layers.layers);
  const model = loaded.layers.sequential();
  layers.forEach((l, i) => {
    if (i === 0) (l as unknown as { batchInputShape: unknown }).batchInputShape = [null, ...input];
    model.add(l);
  });
  // Non-trivial weights everywhere, batch norm variance positive.
  model.setWeights(
    model.weights.map((w, k) => {
      const n = w.shape.reduce((a: number, b) => a * (b ?? 1), 1);
      const values = wave(n, k + 1).map((v) => (w.name.includes('moving_variance') ? 0.5 + Math.abs(v) : v));
      return loaded.tf.tensor(values, w.shape as number[]);
    }),
  );
  const dir = mkdtempSync(path.join(os.tmpdir(), 'to-ir-'));
  await saveModel(model, dir);
  return { model, dir };
}

describe('TF.js layers model → model IR → float interpreter equals TF.js', async () => {
  const loaded = (await switchBackend('cpu'))!;
  for (const [name, net] of Object.entries(NETS)) {
    test(name, async () => {
      const { model, dir } = await saved(loaded, net.input, net.build);
      try {
        const ir = await readNetworkIR(dir, 'test');
        expect(ir.ops.some((op) => JSON.stringify(op).includes('dropout'))).toBe(false);
        const run = createRunner(ir);
        const n = net.input.reduce((a, b) => a * b, 1);
        for (let s = 0; s < 5; s++) {
          const x = wave(n, 100 + s).map((v) => v * 3);
          const want = (model.predict(loaded.tf.tensor(x, [1, ...net.input])) as { dataSync(): Float32Array }).dataSync();
          expectClose(run(x), want, 1e-5, `${name} sample ${s}`);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  test('batch norm after an activation stays a per-channel scale-shift; directly after a linear conv it folds away', async () => {
    const { dir } = await saved(loaded, NETS['batch norm folded (no activation before it) and as a scale-shift (after relu), dropout dropped']!.input, NETS['batch norm folded (no activation before it) and as a scale-shift (after relu), dropout dropped']!.build);
    const ir = await readNetworkIR(dir, 'test');
    rmSync(dir, { recursive: true, force: true });
    // conv (+ folded bn), conv relu, bn → depthwise 1×1, reshape, dense relu, bn → reshape/depthwise/reshape, dense, softmax
    expect(ir.ops.map((o) => o.op)).toEqual(['conv2d', 'conv2d', 'depthwiseConv2d', 'reshape', 'fullyConnected', 'reshape', 'depthwiseConv2d', 'reshape', 'fullyConnected', 'softmax']);
  });

  test('a layer the IR cannot express is an error naming the layer, its index and what to use', async () => {
    const { dir } = await saved(loaded, [6], (L) => [L.dense({ units: 4, activation: 'tanh' }), L.dense({ units: 2, activation: 'softmax' })]);
    const json = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8')) as SavedLayersModel;
    const weights = new Uint8Array(await readFile(path.join(dir, 'weights.bin')));
    rmSync(dir, { recursive: true, force: true });
    let error: unknown;
    try {
      savedModelToIR(json, weights);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ImpulseError);
    expect((error as ImpulseError).code).toBe('E_MODEL_UNSUPPORTED_LAYER');
    expect((error as ImpulseError).message).toMatch(/^layers\[0\] \(Dense '.+'\): activation 'tanh' cannot be expressed in the model IR/);
    expect((error as ImpulseError).hint).toContain('relu');
  });
});
