/**
 * The fused cross-entropy kernel against independent oracles: its loss, gradient and accuracy count
 * against float64 formulas and central differences.
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { switchBackend, type TfCore } from '../load.js';
import { CROSS_ENTROPY } from './cross-entropy.js';

const EPS = 1e-7;

/** Softmax rows (float32-representable) and one-hot labels, with a tie and a clipped 0 / 1 row. */
function batch(): { pred: Float32Array; y: Float32Array; w: Float32Array; rows: number; classes: number } {
  const rows = 6;
  const classes = 4;
  const logits = [
    [0.3, 2.1, -1, 0.5],
    [1, 1, 0, -2], // tie in pred: the first maximum counts
    [-3, 0.2, 0.1, 4],
    [40, 0, 0, 0], // softmax saturates: 1 and ~0, clipped
    [0.5, 0.4, 0.3, 0.2],
    [-1, -1.5, 2, 0.7],
  ];
  const pred = new Float32Array(rows * classes);
  logits.forEach((l, r) => {
    const e = l.map((v) => Math.exp(v));
    const s = e.reduce((a, b) => a + b, 0);
    e.forEach((v, c) => (pred[r * classes + c] = v / s));
  });
  const labels = [1, 1, 2, 0, 3, 2];
  const y = new Float32Array(rows * classes);
  labels.forEach((l, r) => (y[r * classes + l] = 1));
  const w = Float32Array.from([1, 0.5, 2, 1, 1.5, 1]);
  return { pred, y, w, rows, classes };
}

/** The loss the training loop computed with ops before: weighted sum of −Σ y·ln clip(p) over `divisor` (default: the rows). */
function lossOracle(pred: ArrayLike<number>, y: ArrayLike<number>, w: ArrayLike<number>, rows: number, classes: number, divisor = rows): number {
  let total = 0;
  for (let r = 0; r < rows; r++) {
    let row = 0;
    for (let c = 0; c < classes; c++) row -= y[r * classes + c]! * Math.log(Math.min(Math.max(pred[r * classes + c]!, EPS), 1 - EPS));
    total += row * w[r]!;
  }
  return total / divisor;
}

describe.each(['wasm', 'cpu'] as const)('training kernels on %s', (backend) => {
  let tf: TfCore;
  beforeAll(async () => {
    const loaded = await switchBackend(backend);
    if (!loaded) throw new Error(`backend ${backend} unavailable`);
    tf = loaded.tf;
  });
  const on = async <T>(f: () => T): Promise<T> => {
    if (tf.getBackend() !== backend) await tf.setBackend(backend);
    return f();
  };

  // divisor: the rows are one shard of a 15-row batch (data-parallel training)
  it.each([{ divisor: undefined }, { divisor: 15 }])('ImpulseCrossEntropy (divisor $divisor): loss, accumulated loss and hits, gradient = float64 central differences', async ({ divisor }) => {
    const { pred, y, w, rows, classes } = batch();
    const attrs: Record<string, number> = divisor === undefined ? { epsilon: EPS } : { epsilon: EPS, divisor };
    const d = divisor ?? rows;
    const got = await on(() =>
      tf.tidy(() => {
        const acc = tf.tensor1d([10, 3]); // accumulates on top of what is there
        const ce = (p: Tensor) => tf.engine().runKernel(CROSS_ENTROPY, { pred: p, y: tf.tensor2d(y, [rows, classes]), w: tf.tensor1d(w), acc }, attrs) as Tensor;
        const p = tf.tensor2d(pred, [rows, classes]);
        const loss = ce(p).dataSync()[0]!;
        const accAfterOne = Array.from(acc.dataSync());
        const grad = tf.grad(ce)(p).dataSync();
        return { loss, accAfterOne, grad: Array.from(grad) };
      }),
    );
    const want = lossOracle(pred, y, w, rows, classes, d);
    expect(Math.abs(got.loss - want)).toBeLessThan(1e-5 * want);
    expect(got.accAfterOne[0]! - 10).toBeCloseTo(want * d, 3);
    // argmax hits: rows 0 (1=1), 1 (tie 0,1 → 0 ≠ 1: miss), 2 (3 ≠ 2: miss), 3 (0=0), 4 (0 ≠ 3: miss), 5 (2=2)
    expect(got.accAfterOne[1]).toBe(3 + 3);
    const h = 1e-4;
    for (let i = 0; i < pred.length; i++) {
      const up = Float64Array.from(pred);
      const down = Float64Array.from(pred);
      up[i]! += h;
      down[i]! -= h;
      const numeric = (lossOracle(up, y, w, rows, classes, d) - lossOracle(down, y, w, rows, classes, d)) / (2 * h);
      const clipped = pred[i]! < EPS || pred[i]! > 1 - EPS;
      expect(Math.abs(got.grad[i]! - (clipped ? 0 : numeric)), `d/dpred[${i}]`).toBeLessThan(1e-3 * Math.max(1, Math.abs(numeric)));
    }
  });
});
