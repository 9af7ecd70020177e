import type { Scalar, Tensor, Variable } from '@tensorflow/tfjs-core';
import { describe, expect, test } from 'vitest';
import { switchBackend } from '../tf/load.js';
import { FusedAdam, makeOptimizer } from './optimizer.js';

describe.each(['wasm', 'cpu'] as const)('FusedAdam on %s', (backend) => {
  test('follows tf.train.adam step for step (weights, moments and bias correction), and leaks nothing', async () => {
    const loaded = await switchBackend(backend);
    if (!loaded) throw new Error(`backend ${backend} unavailable`);
    const { tf } = loaded;
    await tf.setBackend(backend);
    const init = (seed: number) => Float32Array.from({ length: 24 }, (_, i) => Math.sin(seed * 7 + i * 1.3));
    const makeVars = (): Variable[] => [tf.variable(tf.tensor2d(init(1), [6, 4]), true, `w${Math.random()}`), tf.variable(tf.tensor1d(init(2).slice(0, 4)), true, `b${Math.random()}`)];
    const x = tf.tensor2d(init(3).map((v) => v * 2), [4, 6]);
    const y = tf.tensor2d(init(4).slice(0, 16), [4, 4]);
    const lossOf = (vars: Variable[]) => () => tf.mean(tf.square(tf.sub(tf.tanh(tf.add(tf.matMul(x, vars[0]!), vars[1]!)), y))) as Scalar;

    const ours = makeVars();
    const theirs = makeVars();
    const fused = makeOptimizer(loaded, 'adam', 0.05);
    expect(fused).toBeInstanceOf(FusedAdam);
    const stock = tf.train.adam(0.05, 0.9, 0.999, 1e-7);
    let afterFirstStep = 0;
    for (let step = 0; step < 25; step++) {
      if (step === 1) afterFirstStep = tf.memory().numTensors;
      if (step === 10) {
        fused.setLearningRate(0.01);
        (stock as unknown as { learningRate: number }).learningRate = 0.01;
      }
      fused.minimize(lossOf(ours), ours).dispose();
      stock.minimize(lossOf(theirs), false, theirs);
    }
    // the moment slots are made on the first step and reused: no tensor more per step
    expect(tf.memory().numTensors).toBe(afterFirstStep);
    for (let i = 0; i < ours.length; i++) {
      const a = (ours[i] as Tensor).dataSync();
      const b = (theirs[i] as Tensor).dataSync();
      for (let j = 0; j < a.length; j++) expect(Math.abs(a[j]! - b[j]!), `var ${i}[${j}]`).toBeLessThan(2e-5);
    }
    fused.dispose();
    stock.dispose();
    tf.dispose([...ours, ...theirs, x, y]);
  });
});
