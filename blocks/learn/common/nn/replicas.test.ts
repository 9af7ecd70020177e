/**
 * Data-parallel training (replicas.ts) against the whole-batch gradient computed by TF.js ops on
 * one thread: the shards' gradients, computed in worker threads on weights sent to them, must add
 * up to it — for cross-entropy with row weights and for MSE, for batches that do not split evenly.
 */
import type { NamedTensorMap, Scalar, Tensor, Variable } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImpulseError } from '../../../../core/errors/impulse-error.js';
import { switchBackend, type LoadedTf } from '../tf/load.js';
import { fit, type FitOptions } from './loop.js';
import { makeOptimizer } from './optimizer.js';
import { Ctrl } from './replica-protocol.js';
import { ReplicaError, ReplicaGroup } from './replicas.js';
import { CROSS_ENTROPY_EPSILON, type LossKind } from './shard-gradients.js';
import { expectClose, wave } from './test-helpers.js';

const ROW_SHAPE = [6, 2];
const ROW = 12;
const ROWS = 7;

function makeModel(loaded: LoadedTf, loss: LossKind, seed: number): LayersModel {
  const L = loaded.layers.layers;
  const init = (s: number) => loaded.layers.initializers.glorotUniform({ seed: seed * 10 + s });
  const model = loaded.layers.sequential();
  model.add(L.conv1d({ inputShape: ROW_SHAPE, filters: 4, kernelSize: 3, activation: 'relu', kernelInitializer: init(1), biasInitializer: 'ones' }));
  model.add(L.flatten());
  model.add(L.dense({ units: 3, activation: loss === 'crossentropy' ? 'softmax' : 'linear', kernelInitializer: init(2) }));
  return model;
}

function batchRows(loss: LossKind) {
  const x = wave(ROWS * ROW, 1);
  const y = new Float32Array(ROWS * 3);
  for (let r = 0; r < ROWS; r++) {
    if (loss === 'crossentropy') y[r * 3 + (r % 3)] = 1;
    else y.set(wave(3, r + 5), r * 3);
  }
  const w = Float32Array.from({ length: ROWS }, (_, r) => 0.5 + (r % 4) * 0.5);
  return { x, y, w, count: ROWS };
}

/** The whole batch's gradient by plain TF.js ops on this thread. */
function oracleGradients(loaded: LoadedTf, model: LayersModel, loss: LossKind, rows: ReturnType<typeof batchRows>): NamedTensorMap {
  const { tf } = loaded;
  const vars = model.trainableWeights.map((w) => w.read() as Variable);
  return tf.tidy(() => {
    const x = tf.tensor(rows.x, [ROWS, ...ROW_SHAPE]);
    const y = tf.tensor2d(rows.y, [ROWS, 3]);
    const w = tf.tensor1d(rows.w);
    return tf.variableGrads(() => {
      const pred = model.apply(x) as Tensor;
      const perRow =
        loss === 'crossentropy'
          ? tf.neg(tf.sum(tf.mul(y, tf.log(tf.clipByValue(pred, CROSS_ENTROPY_EPSILON, 1 - CROSS_ENTROPY_EPSILON))), -1))
          : tf.mean(tf.square(tf.sub(pred, y)), -1);
      return tf.div(tf.sum(tf.mul(perRow, w)), ROWS) as Scalar;
    }, vars).grads;
  });
}

function expectGradientsClose(got: NamedTensorMap, want: NamedTensorMap, vars: readonly Variable[]): void {
  for (const v of vars) expectClose(got[v.name]!.dataSync(), want[v.name]!.dataSync(), 1e-5, v.name);
}

describe.each(['wasm', 'cpu'] as const)('replicas on %s', (backend) => {
  let loaded: LoadedTf;
  beforeAll(async () => {
    const l = await switchBackend(backend);
    if (!l) throw new Error(`backend ${backend} unavailable`);
    loaded = l;
  });
  afterAll(async () => {
    await loaded.tf.setBackend(backend);
  });

  it.each([
    { loss: 'crossentropy' as const, replicas: 2 },
    { loss: 'crossentropy' as const, replicas: 3 },
    { loss: 'mse' as const, replicas: 2 },
  ])('$replicas shards of a $loss batch add up to its gradient, also after the weights change', async ({ loss, replicas }) => {
    const { tf } = loaded;
    await tf.setBackend(backend);
    const model = makeModel(loaded, loss, replicas);
    const group = await ReplicaGroup.start(loaded, model, { replicas, loss, rowShape: ROW_SHAPE, outUnits: 3, batchSize: ROWS });
    try {
      const rows = batchRows(loss);
      const seeds = Array.from({ length: group.seedsPerStep }, (_, i) => i);
      let tensorsBetweenSteps: number | undefined;
      for (let round = 0; round < 2; round++) {
        if (round === 1) {
          // the workers must compute on the new weights, not on those of their first step
          for (const v of group.variables) {
            const next = tf.tensor(wave(v.size, v.size + 3), v.shape);
            v.assign(next);
            next.dispose();
          }
        }
        const got = await group.gradients(rows, seeds);
        const want = oracleGradients(loaded, model, loss, rows);
        expectGradientsClose(got, want, group.variables);
        tf.dispose([...Object.values(got), ...Object.values(want)]);
        tensorsBetweenSteps ??= tf.memory().numTensors;
        expect(tf.memory().numTensors, 'tensors leaked by a step').toBe(tensorsBetweenSteps);
      }
      const [lossSum, hits] = await group.takeSums();
      expect(lossSum).toBeGreaterThan(0);
      if (loss === 'mse') expect(hits).toBe(0);
    } finally {
      await group.dispose();
      model.dispose();
    }
  });

  it('trains the same weights twice from one seed (dropout seeded per shard), and different ones than a single thread', async () => {
    const { tf } = loaded;
    await tf.setBackend(backend);
    const n = 40;
    const x = wave(n * ROW, 9);
    const y = new Float32Array(n * 3);
    for (let r = 0; r < n; r++) y[r * 3 + (x[r * ROW]! > 0 ? 0 : x[r * ROW + 1]! > 0 ? 1 : 2)] = 1;
    const ctx = { stageId: 't', seed: 3, projectDir: '.', outDir: '.', jobs: 1, signal: new AbortController().signal, progress: () => {}, log: () => {} };
    const train = async (replicas: number) => {
      const model = makeModel(loaded, 'crossentropy', 1);
      const L = loaded.layers.layers;
      const withDropout = loaded.layers.sequential({ layers: [L.inputLayer({ inputShape: ROW_SHAPE }), ...model.layers.slice(0, 2), L.dropout({ rate: 0.3 }), model.layers[2]!] });
      const opts: FitOptions = {
        rowShape: ROW_SHAPE,
        outUnits: 3,
        loss: 'crossentropy',
        epochs: 3,
        batchSize: 8,
        learningRate: 0.01,
        optimizer: 'adam',
        schedule: 'constant',
        earlyStopping: false,
        seed: 5,
        replicas,
      };
      const result = await fit(loaded, withDropout, { x, y, n }, undefined, opts, ctx);
      const weights = withDropout.getWeights().map((t) => Array.from(t.dataSync()));
      withDropout.dispose();
      return { weights, loss: result.epochs.map((e) => e.loss) };
    };
    const a = await train(2);
    const b = await train(2);
    expect(b.weights).toEqual(a.weights);
    expect(b.loss).toEqual(a.loss);
    expect(a.loss.every((l) => Number.isFinite(l) && l > 0)).toBe(true);
    const single = await train(1);
    expect(single.weights).not.toEqual(a.weights);
  });

  it.each([2, 3])('a streamed step on %i replicas (each variable updated once its shards are in) gives the weights of gradients + apply, bit for bit', async (replicas) => {
    const { tf } = loaded;
    await tf.setBackend(backend);
    const rows = batchRows('crossentropy');
    const run = async (streamed: boolean) => {
      const model = makeModel(loaded, 'crossentropy', 7);
      const group = await ReplicaGroup.start(loaded, model, { replicas, loss: 'crossentropy', rowShape: ROW_SHAPE, outUnits: 3, batchSize: ROWS });
      const optimizer = makeOptimizer(loaded, 'adam', 0.05);
      expect(optimizer.beginStep, 'the fused Adam takes one variable at a time').toBeDefined();
      try {
        for (let step = 0; step < 3; step++) {
          if (streamed) {
            await group.trainStep(rows, [], optimizer);
          } else {
            const grads = await group.gradients(rows, []);
            optimizer.apply(grads, group.variables);
            tf.dispose(Object.values(grads));
          }
        }
        return group.variables.map((v) => Array.from(v.dataSync()));
      } finally {
        optimizer.dispose();
        await group.dispose();
        model.dispose();
      }
    };
    const before = tf.memory().numTensors;
    const streamed = await run(true);
    expect(tf.memory().numTensors, 'tensors leaked by streamed steps').toBe(before);
    const collected = await run(false);
    expect(streamed).toEqual(collected);
    const initial = makeModel(loaded, 'crossentropy', 7);
    expect(streamed).not.toEqual(initial.trainableWeights.map((w) => Array.from(w.read().dataSync())));
    initial.dispose();
  });

  it('a replica thread that dies fails the next step with a ReplicaError, not a hang', async () => {
    const { tf } = loaded;
    await tf.setBackend(backend);
    const model = makeModel(loaded, 'crossentropy', 4);
    const group = await ReplicaGroup.start(loaded, model, { replicas: 2, loss: 'crossentropy', rowShape: ROW_SHAPE, outUnits: 3, batchSize: ROWS });
    try {
      const rows = batchRows('crossentropy');
      tf.dispose(Object.values(await group.gradients(rows, [])));
      // the worker thread goes away (as after a crash); the group learns it from the thread's exit
      const thread = (group as unknown as { workers: { worker: { terminate(): Promise<number> } }[] }).workers[0]!.worker;
      await thread.terminate();
      await expect(group.gradients(rows, [])).rejects.toThrow(ReplicaError);
      await expect(group.gradients(rows, [])).rejects.toThrow(/training replica 1 stopped: its thread exited/);
      const optimizer = makeOptimizer(loaded, 'adam', 0.01);
      await expect(group.trainStep(rows, [], optimizer)).rejects.toThrow(/training replica 1 stopped: its thread exited/);
      optimizer.dispose();
    } finally {
      await group.dispose();
      model.dispose();
    }
  });

  it("a step that fails in a worker is reported each time it is asked for (waiting for a gradient, then for the answer), not a hang", async () => {
    const { tf } = loaded;
    await tf.setBackend(backend);
    const model = makeModel(loaded, 'crossentropy', 5);
    const group = await ReplicaGroup.start(loaded, model, { replicas: 2, loss: 'crossentropy', rowShape: ROW_SHAPE, outUnits: 3, batchSize: ROWS });
    try {
      // what the worker does when a step throws (replica-worker.ts, serve): the error message,
      // then the control block marks the request failed and answered. The real worker stays idle.
      type Internals = { request: number; io: { ctrl: Int32Array }; worker: { emit(event: string, value: unknown): boolean }; published(n: number): Promise<void>; answer(): Promise<void> };
      const w = (group as unknown as { workers: Internals[] }).workers[0]!;
      w.request = 1;
      w.worker.emit('message', { ok: false, error: 'the step threw: boom' });
      Atomics.store(w.io.ctrl, Ctrl.failed, 1);
      Atomics.store(w.io.ctrl, Ctrl.answered, 1);
      await expect(w.published(1)).rejects.toThrow(/training replica 1: the step threw: boom/);
      await expect(w.answer()).rejects.toThrow(/training replica 1: the step threw: boom/);
    } finally {
      await group.dispose();
      model.dispose();
    }
  });

  it('a model the threads cannot rebuild (a custom layer) is a clear error, not a hang', async () => {
    const { tf } = loaded;
    await tf.setBackend(backend);
    const L = loaded.layers;
    class TimesTwo extends L.layers.Layer {
      static className = `TimesTwo${backend}`;
      override call(inputs: Tensor | Tensor[]): Tensor {
        return tf.mul(Array.isArray(inputs) ? inputs[0]! : inputs, 2);
      }
    }
    tf.serialization.registerClass(TimesTwo);
    const model = L.sequential();
    model.add(new TimesTwo({ inputShape: [4] }));
    model.add(L.layers.dense({ units: 2, activation: 'softmax' }));
    const started = ReplicaGroup.start(loaded, model, { replicas: 2, loss: 'crossentropy', rowShape: [4], outUnits: 2, batchSize: 4 });
    await expect(started).rejects.toThrow(ImpulseError);
    await expect(started).rejects.toThrow(/replicas: 2 .*could not rebuild the model: .*TimesTwo/);
    model.dispose();
  });
});
