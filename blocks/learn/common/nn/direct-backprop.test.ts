/**
 * The direct training step (direct-backprop.ts) against TF.js's own layers and autodiff: the
 * model's layers applied one by one (dropout as the seeded mask it is defined to use), the
 * weighted cross-entropy written as TF.js ops, and tf.variableGrads — for conv1d, conv2d and dense
 * nets on both JS backends, with row weights and a divisor that is not the shard's row count.
 */
import type { Scalar, Tensor, Variable } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { switchBackend, type LoadedTf } from '../tf/load.js';
import { DirectBackprop } from './direct-backprop.js';
import { CROSS_ENTROPY_EPSILON, ShardGradients } from './shard-gradients.js';
import { dropoutMask } from './training-forward.js';
import { expectClose, wave } from './test-helpers.js';

type L = LoadedTf['layers']['layers'];
type Init = (s: number) => ReturnType<LoadedTf['layers']['initializers']['glorotUniform']>;

const CLASSES = 4;

const NETS: Record<string, { inputShape: number[]; layers: (L: L, init: Init) => unknown[] }> = {
  'conv1d: relu conv + pool (same), strided valid conv, linear conv + separate pool, dropout, dense relu': {
    inputShape: [16, 3],
    layers: (L, init) => [
      L.conv1d({ inputShape: [16, 3], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(1), biasInitializer: init(2) }),
      L.maxPooling1d({ poolSize: 2, padding: 'same' }),
      L.conv1d({ filters: 5, kernelSize: 3, strides: 2, padding: 'valid', activation: 'relu', kernelInitializer: init(3), biasInitializer: init(4) }),
      L.conv1d({ filters: 3, kernelSize: 2, padding: 'same', activation: 'linear', kernelInitializer: init(5), biasInitializer: init(6) }),
      L.maxPooling1d({ poolSize: 2, strides: 1, padding: 'valid' }),
      L.dropout({ rate: 0.3 }),
      L.flatten(),
      L.dense({ units: 6, activation: 'relu', kernelInitializer: init(7), biasInitializer: init(8) }),
      L.dense({ units: CLASSES, activation: 'softmax', kernelInitializer: init(9), biasInitializer: init(10) }),
    ],
  },
  'conv2d: relu conv + pool with edge windows, 3×2 conv with strides [2, 1], dropout': {
    inputShape: [9, 7, 2],
    layers: (L, init) => [
      L.conv2d({ inputShape: [9, 7, 2], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(1), biasInitializer: init(2) }),
      L.maxPooling2d({ poolSize: 2, padding: 'same' }),
      L.conv2d({ filters: 3, kernelSize: [3, 2], strides: [2, 1], padding: 'valid', activation: 'relu', kernelInitializer: init(3), biasInitializer: init(4) }),
      L.dropout({ rate: 0.5 }),
      L.flatten(),
      L.dense({ units: CLASSES, activation: 'softmax', kernelInitializer: init(5), biasInitializer: init(6) }),
    ],
  },
  'dense: relu, linear, dropout, softmax': {
    inputShape: [7],
    layers: (L, init) => [
      L.dense({ inputShape: [7], units: 8, activation: 'relu', kernelInitializer: init(1), biasInitializer: init(2) }),
      L.dense({ units: 5, activation: 'linear', kernelInitializer: init(3), biasInitializer: init(4) }),
      L.dropout({ rate: 0.25 }),
      L.dense({ units: CLASSES, activation: 'softmax', kernelInitializer: init(5), biasInitializer: init(6) }),
    ],
  },
};

describe.each(['wasm', 'cpu'] as const)('direct backprop on %s', (backend) => {
  let loaded: LoadedTf;
  beforeAll(async () => {
    const l = await switchBackend(backend);
    if (!l) throw new Error(`backend ${backend} unavailable`);
    loaded = l;
  });

  const build = (name: string): LayersModel => {
    const init: Init = (s) => loaded.layers.initializers.randomUniform({ minval: -0.7, maxval: 0.7, seed: s });
    return loaded.layers.sequential({ layers: NETS[name]!.layers(loaded.layers.layers, init) as never });
  };

  it.each(Object.keys(NETS))('%s: the gradients, loss sum and hits of TF.js autodiff', async (name) => {
    const { tf } = loaded;
    await tf.setBackend(backend);
    const model = build(name);
    const { inputShape } = NETS[name]!;
    const n = 6;
    const divisor = 10; // these rows are one shard of a batch of 10
    const size = inputShape.reduce((a, b) => a * b, 1);
    const x = wave(n * size, 1);
    const y = new Float32Array(n * CLASSES);
    for (let r = 0; r < n; r++) y[r * CLASSES + ((r * 3) % CLASSES)] = 1;
    const w = Float32Array.from({ length: n }, (_, r) => 0.5 + 0.25 * r);
    const seed = 1234;
    for (const layer of model.layers) if (layer.getClassName() === 'Dropout') (layer as unknown as { seed?: number }).seed = seed;

    const direct = DirectBackprop.for(loaded, model, CLASSES, CROSS_ENTROPY_EPSILON);
    expect(direct, 'the net is covered').toBeDefined();
    const acc = tf.zeros([2]);
    const idsBefore = tf.backend().numDataIds();
    const grads = direct!.gradients({ x, y, w, count: n }, divisor, acc);

    // the oracle: the layers one by one, TF.js ops for the loss, TF.js autodiff
    const vars = model.trainableWeights.map((v) => v.read() as Variable);
    const xt = tf.tensor(x, [n, ...inputShape]);
    const yt = tf.tensor2d(y, [n, CLASSES]);
    const wt = tf.tensor1d(w);
    let pred: Tensor | undefined;
    const { value, grads: want } = tf.variableGrads(() => {
      let h: Tensor = xt;
      for (const layer of model.layers) {
        h = layer.getClassName() === 'Dropout' ? tf.mul(h, tf.tensor(dropoutMask(h.size, (layer.getConfig() as { rate: number }).rate, seed), h.shape)) : (layer.apply(h) as Tensor);
      }
      pred = tf.keep(h);
      const rowLoss = tf.neg(tf.sum(tf.mul(yt, tf.log(tf.clipByValue(h, CROSS_ENTROPY_EPSILON, 1 - CROSS_ENTROPY_EPSILON))), -1));
      return tf.div(tf.sum(tf.mul(rowLoss, wt)), divisor) as Scalar;
    }, vars);

    expect(Object.keys(grads).sort()).toEqual(vars.map((v) => v.name).sort());
    for (const v of vars) {
      expect(grads[v.name]!.shape, v.name).toEqual(v.shape);
      expectClose(grads[v.name]!.dataSync(), want[v.name]!.dataSync(), 2e-4, `d/d ${v.name}`);
    }
    const hits = tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(pred!, -1), tf.argMax(yt, -1)), 'float32')).dataSync()[0]!);
    const [lossSum, counted] = acc.dataSync();
    expectClose([lossSum!], [value.dataSync()[0]! * divisor], 1e-5, 'loss sum');
    expect(counted).toBe(hits);

    tf.dispose([...Object.values(grads), ...Object.values(want), value, pred!, xt, yt, wt]);
    // every intermediate the step made is freed (acc and the weights stay)
    expect(tf.backend().numDataIds()).toBe(idsBefore);
    acc.dispose();
    model.dispose();
  });

  it('ShardGradients runs covered nets directly and others on the tape', async () => {
    const { tf, layers } = loaded;
    await tf.setBackend(backend);
    const L = layers.layers;
    const covered = build('dense: relu, linear, dropout, softmax');
    expect(new ShardGradients(loaded, covered, 'crossentropy', [7], CLASSES).isDirect).toBe(true);
    expect(new ShardGradients(loaded, covered, 'crossentropy', [7], CLASSES, { tape: true }).isDirect).toBe(false);
    expect(new ShardGradients(loaded, covered, 'mse', [7], CLASSES).isDirect).toBe(false);
    const withBatchNorm = layers.sequential({ layers: [L.dense({ inputShape: [7], units: 5 }), L.batchNormalization({}), L.dense({ units: CLASSES, activation: 'softmax' })] });
    expect(DirectBackprop.for(loaded, withBatchNorm, CLASSES, CROSS_ENTROPY_EPSILON)).toBeUndefined();
    const softmaxInside = layers.sequential({ layers: [L.dense({ inputShape: [7], units: 5, activation: 'softmax' }), L.dense({ units: CLASSES, activation: 'softmax' })] });
    expect(DirectBackprop.for(loaded, softmaxInside, CLASSES, CROSS_ENTROPY_EPSILON)).toBeUndefined();
    const linearOut = layers.sequential({ layers: [L.dense({ inputShape: [7], units: CLASSES })] });
    expect(DirectBackprop.for(loaded, linearOut, CLASSES, CROSS_ENTROPY_EPSILON)).toBeUndefined();
    for (const m of [covered, withBatchNorm, softmaxInside, linearOut]) m.dispose();
  });
});
