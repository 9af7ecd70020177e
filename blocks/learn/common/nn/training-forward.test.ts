/**
 * The fused training forward (training-forward.ts, with the ImpulseConvLayer / ImpulseDenseLayer
 * kernels) against TF.js's own layers: `model.apply(x, { training: true })` and its gradients by
 * TF.js's autodiff are the oracle, for conv1d, conv2d and dense nets (same / valid padding,
 * strides, relu / linear / softmax) and for nets whose other layers fall back to `layer.apply`.
 */
import type { Scalar, Tensor, Variable } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { switchBackend, type LoadedTf } from '../tf/load.js';
import { dropoutMask, trainingForward } from './training-forward.js';
import { expectClose, wave } from './test-helpers.js';

type Build = (L: LoadedTf['layers']['layers'], init: (s: number) => ReturnType<LoadedTf['layers']['initializers']['glorotUniform']>) => { inputShape: number[]; layers: unknown[] };

const NETS: Record<string, Build> = {
  'conv1d (same, valid + stride 2, relu and linear) → dense': (L, init) => ({
    inputShape: [12, 3],
    layers: [
      L.conv1d({ inputShape: [12, 3], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(1), biasInitializer: init(2) }),
      L.maxPooling1d({ poolSize: 2, padding: 'same' }),
      L.conv1d({ filters: 5, kernelSize: 3, strides: 2, padding: 'valid', activation: 'linear', kernelInitializer: init(3), biasInitializer: init(4) }),
      L.maxPooling1d({ poolSize: 2, strides: 1, padding: 'valid' }),
      L.flatten(),
      L.dense({ units: 6, activation: 'relu', kernelInitializer: init(5), biasInitializer: init(6) }),
      L.dense({ units: 3, activation: 'softmax', kernelInitializer: init(7) }),
    ],
  }),
  'conv2d (same, valid + strides [2, 1], 3×2 kernel, pools with edge windows) → dense': (L, init) => ({
    inputShape: [8, 7, 2],
    layers: [
      L.conv2d({ inputShape: [8, 7, 2], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(1), biasInitializer: init(2) }),
      L.maxPooling2d({ poolSize: 2, padding: 'same' }),
      L.conv2d({ filters: 3, kernelSize: [3, 2], strides: [2, 1], padding: 'valid', activation: 'relu', kernelInitializer: init(3), biasInitializer: init(4) }),
      // a conv + pool pair after the first: its input gradient flows to the first layer
      L.maxPooling2d({ poolSize: [1, 2], padding: 'same' }),
      L.flatten(),
      L.dense({ units: 3, activation: 'softmax', kernelInitializer: init(5) }),
    ],
  }),
  'fused layers next to layers that run as layer.apply (batch norm, avg pool, tanh conv, global pool, sigmoid dense)': (L, init) => ({
    inputShape: [10, 2],
    layers: [
      L.conv1d({ inputShape: [10, 2], filters: 4, kernelSize: 3, activation: 'relu', padding: 'same', kernelInitializer: init(1), biasInitializer: init(2) }),
      L.batchNormalization({}),
      L.averagePooling1d({ poolSize: 2 }),
      L.conv1d({ filters: 3, kernelSize: 3, activation: 'tanh', padding: 'same', kernelInitializer: init(3) }),
      L.maxPooling1d({ poolSize: 2 }),
      L.conv1d({ filters: 4, kernelSize: 2, activation: 'relu', padding: 'same', kernelInitializer: init(4), biasInitializer: init(5) }),
      L.globalAveragePooling1d({}),
      L.dense({ units: 5, activation: 'sigmoid', kernelInitializer: init(6) }),
      L.dense({ units: 3, activation: 'softmax', kernelInitializer: init(7) }),
    ],
  }),
};

describe.each(['wasm', 'cpu'] as const)('training forward on %s', (backend) => {
  let loaded: LoadedTf;
  beforeAll(async () => {
    const l = await switchBackend(backend);
    if (!l) throw new Error(`backend ${backend} unavailable`);
    loaded = l;
  });

  it.each(Object.keys(NETS))('%s: same outputs and gradients as the layers', async (name) => {
    const { tf, layers } = loaded;
    await tf.setBackend(backend);
    const init = (s: number) => layers.initializers.randomUniform({ minval: -0.8, maxval: 0.8, seed: s });
    const spec = NETS[name]!(layers.layers, init);
    const model: LayersModel = layers.sequential({ layers: spec.layers as never });
    const forward = trainingForward(loaded, model);
    expect(forward, 'the fused forward is available on this backend').toBeDefined();
    const n = 5;
    const size = spec.inputShape.reduce((a, b) => a * b, 1);
    const x = tf.tensor(wave(n * size, 1), [n, ...spec.inputShape]);
    const r = tf.tensor(wave(n * 3, 2), [n, 3]);
    const vars = model.trainableWeights.map((w) => w.read() as Variable);
    const run = (f: () => Tensor) => {
      const out = tf.tidy(f);
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(f(), r)) as Scalar, vars);
      const result = { out: out.dataSync(), loss: value.dataSync()[0]!, grads: vars.map((v) => grads[v.name]!.dataSync()) };
      tf.dispose([out, value, ...Object.values(grads)]);
      return result;
    };
    const ours = run(() => forward!(x));
    const theirs = run(() => model.apply(x, { training: true }) as Tensor);
    expectClose(ours.out, theirs.out, 1e-5, 'output');
    expectClose([ours.loss], [theirs.loss], 1e-5, 'loss');
    vars.forEach((v, i) => expectClose(ours.grads[i]!, theirs.grads[i]!, 1e-4, `d/d ${v.name}`));

    // the fused kernels did the conv and dense layers
    const kernels = new Set((await tf.profile(() => tf.dispose(forward!(x)))).kernels.map((k) => k.name));
    expect(kernels.has('ImpulseConvLayer')).toBe(true);
    expect(kernels.has('ImpulseDenseLayer')).toBe(true);
    tf.dispose([x, r]);
    model.dispose();
  });

  it('dropout multiplies by the mask of the layer seed (kept with 1 − rate, scaled), a new mask per seed', async () => {
    const { tf, layers } = loaded;
    await tf.setBackend(backend);
    const L = layers.layers;
    const init = (s: number) => layers.initializers.randomUniform({ minval: -0.8, maxval: 0.8, seed: s });
    const model = layers.sequential({
      layers: [L.dense({ inputShape: [4], units: 8, activation: 'relu', kernelInitializer: init(1), biasInitializer: init(2) }), L.dropout({ rate: 0.5 }), L.dense({ units: 3, activation: 'linear', kernelInitializer: init(3) })],
    });
    const dropout = model.layers[1] as unknown as { seed?: number };
    const forward = trainingForward(loaded, model)!;
    const x = tf.tensor(wave(6 * 4, 3), [6, 4]);
    const [d1, d2] = [model.layers[0]!, model.layers[2]!];
    const expected = (seed: number) =>
      tf.tidy(() => {
        const h = d1.apply(x) as Tensor;
        return (d2.apply(tf.mul(h, tf.tensor(dropoutMask(h.size, 0.5, seed), h.shape))) as Tensor).dataSync();
      });
    dropout.seed = 11;
    const a = tf.tidy(() => forward(x).dataSync());
    expectClose(a, expected(11), 1e-5, 'seed 11');
    dropout.seed = 12;
    const b = tf.tidy(() => forward(x).dataSync());
    expectClose(b, expected(12), 1e-5, 'seed 12');
    expect(Array.from(b)).not.toEqual(Array.from(a));
    tf.dispose(x);
    model.dispose();
  });
});

describe('dropoutMask', () => {
  it('keeps 1 − rate of the values, scaled by 1 / (1 − rate); one seed, one mask', () => {
    const mask = dropoutMask(20000, 0.25, 7);
    const kept = mask.filter((v) => v !== 0);
    expect(kept.length / mask.length).toBeGreaterThan(0.74);
    expect(kept.length / mask.length).toBeLessThan(0.76);
    expect(kept.every((v) => Math.abs(v - 1 / 0.75) < 1e-6)).toBe(true);
    expect(Array.from(dropoutMask(100, 0.25, 7))).toEqual(Array.from(mask.subarray(0, 100)));
    expect(Array.from(dropoutMask(100, 0.25, 8))).not.toEqual(Array.from(mask.subarray(0, 100)));
  });
});
