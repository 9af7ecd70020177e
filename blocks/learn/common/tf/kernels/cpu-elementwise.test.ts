import type { Tensor } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { switchBackend, type TfCore } from '../load.js';
import { gradientKernelSources } from './register.js';

/** Values with negatives, zeros (±0), NaN and ∞. */
const values = (n: number, seed: number): Float32Array =>
  Float32Array.from({ length: n }, (_, i) => (i % 17 === 3 ? Number.NaN : i % 19 === 5 ? Number.NEGATIVE_INFINITY : i % 7 === 0 ? 0 : Math.sin(i * 1.7 + seed) * 3));

describe('CPU element-wise kernels', () => {
  let tf: TfCore;
  beforeAll(async () => {
    const loaded = await switchBackend('cpu');
    if (!loaded) throw new Error('cpu backend unavailable');
    tf = loaded.tf;
  });
  const run = async (f: () => Tensor): Promise<{ shape: number[]; data: number[] }> => {
    if (tf.getBackend() !== 'cpu') await tf.setBackend('cpu');
    return tf.tidy(() => {
      const t = f();
      return { shape: t.shape, data: Array.from(t.dataSync()) };
    });
  };

  it('are ours on CPU', async () => {
    const sources = gradientKernelSources(tf, 'cpu');
    expect([sources['Relu'], sources['Step'], sources['Add'], sources['Multiply']]).toEqual(['ours', 'ours', 'ours', 'ours']);
  });

  it('Relu and Step (ReLU’s gradient, with its alpha) follow their definitions, NaN included', async () => {
    const x = values(64, 1);
    const relu = await run(() => tf.relu(tf.tensor(x, [4, 16])));
    expect(relu.shape).toEqual([4, 16]);
    expect(relu.data).toEqual(Array.from(x, (v) => (Number.isNaN(v) ? Number.NaN : Math.max(v, 0))));
    for (const alpha of [0, 0.25]) {
      const step = await run(() => tf.step(tf.tensor(x), alpha));
      expect(step.data).toEqual(Array.from(x, (v) => (Number.isNaN(v) ? Number.NaN : v > 0 ? 1 : alpha)));
    }
  });

  it.each([
    ['same shape', [3, 4, 5], [3, 4, 5]],
    ['bias [C] on the right', [3, 4, 5], [5]],
    ['bias [1, 1, C] on the left', [1, 1, 5], [3, 4, 5]],
    ['vector [C] against [1, C]', [5], [1, 5]],
    ['middle-axis broadcast (stock)', [3, 4, 5], [4, 1]],
    ['scalar (stock)', [3, 4], []],
  ])('Add and Multiply, %s: each element from the broadcast definition', async (_name, sa, sb) => {
    const shape = sa.length >= sb.length ? [...sa] : [...sb];
    const rank = shape.length;
    const pa = [...new Array(rank - sa.length).fill(1), ...sa];
    const pb = [...new Array(rank - sb.length).fill(1), ...sb];
    const out = shape.map((_, i) => Math.max(pa[i]!, pb[i]!));
    const a = values(sa.reduce((x, y) => x * y, 1), 2);
    const b = values(sb.reduce((x, y) => x * y, 1), 3);
    const at = (data: Float32Array, p: number[], idx: number[]) => data[idx.reduce((o, v, i) => o * p[i]! + (p[i] === 1 ? 0 : v), 0)]!;
    const size = out.reduce((x, y) => x * y, 1);
    for (const [op, f] of [
      ['add', (x: number, y: number) => Math.fround(x + y)],
      ['mul', (x: number, y: number) => Math.fround(x * y)],
    ] as const) {
      const got = await run(() => (op === 'add' ? tf.add : tf.mul)(tf.tensor(a, sa), tf.tensor(b, sb)));
      expect(got.shape).toEqual(out);
      for (let k = 0; k < size; k++) {
        const idx: number[] = [];
        for (let d = rank - 1, r = k; d >= 0; d--) {
          idx.unshift(r % out[d]!);
          r = Math.floor(r / out[d]!);
        }
        expect(got.data[k], `${op} [${idx}]`).toEqual(f(at(a, pa, idx), at(b, pb, idx)));
      }
    }
  });

  it('int32 tensors keep the stock kernels (dtype preserved)', async () => {
    const got = await run(() => tf.add(tf.tensor1d([1, 2, 3], 'int32'), tf.tensor1d([4, 5, 6], 'int32')));
    expect(got.data).toEqual([5, 7, 9]);
    expect(tf.tidy(() => tf.mul(tf.tensor1d([2], 'int32'), tf.tensor1d([3], 'int32')).dtype)).toBe('int32');
  });
});
