/**
 * Gradient kernels vs an independent oracle, on both JS-hosted backends.
 *
 * For each op the analytic gradient comes from tf.grads through the real TF.js op on the backend
 * under test (so it runs whatever kernels are registered there: ours, or stock where we keep it).
 * The oracle is a float64 central difference of L = Σ op(x, w) ⊙ R computed by plain-JS forward
 * functions written here from the definitions (padding rules included), sharing no code with the
 * kernels. Convolutions are bilinear and the pools piecewise linear, so the central difference is
 * exact up to rounding (pool inputs are spread out so that no window changes its winner within ε).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Tensor } from '@tensorflow/tfjs-core';
import { switchBackend, type LoadedTf, type TfCore } from '../load.js';
import { gradientKernelSources, registerGradientKernels, unregisterGradientKernels } from './register.js';
import { seededRandom } from '../../../../../core/util/seeded-random.js';

// ───────────────────────────── oracle (float64, plain JS) ─────────────────────────────

type Pad2 = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

/** Output size and leading pad of one spatial axis, from the TF padding rules. */
function axis(size: number, k: number, stride: number, pad: 'same' | 'valid' | [number, number]): { out: number; before: number } {
  if (pad === 'same') {
    const out = Math.ceil(size / stride);
    const total = Math.max((out - 1) * stride + k - size, 0);
    return { out, before: Math.floor(total / 2) };
  }
  if (pad === 'valid') return { out: Math.floor((size - k) / stride) + 1, before: 0 };
  return { out: Math.floor((size + pad[0] + pad[1] - k) / stride) + 1, before: pad[0] };
}

function pads(pad: Pad2): ['same' | 'valid' | [number, number], 'same' | 'valid' | [number, number]] {
  return typeof pad === 'string' ? [pad, pad] : [pad[1], pad[2]];
}

interface Arr {
  data: Float64Array;
  shape: number[];
}

/** NHWC conv2d (depthwise when `mult` is given: filter [kh, kw, C, mult]). */
function conv2dRef(x: Arr, f: Arr, strides: [number, number], pad: Pad2, depthwise = false): Arr {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const [kh, kw, fc, fo] = f.shape as [number, number, number, number];
  expect(fc).toBe(c);
  const [ph, pw] = pads(pad);
  const ay = axis(h, kh, strides[0], ph);
  const ax = axis(w, kw, strides[1], pw);
  const co = depthwise ? c * fo : fo;
  const out = new Float64Array(n * ay.out * ax.out * co);
  for (let b = 0; b < n; b++)
    for (let oy = 0; oy < ay.out; oy++)
      for (let ox = 0; ox < ax.out; ox++)
        for (let o = 0; o < co; o++) {
          let s = 0;
          for (let i = 0; i < kh; i++)
            for (let j = 0; j < kw; j++) {
              const iy = oy * strides[0] - ay.before + i;
              const ix = ox * strides[1] - ax.before + j;
              if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
              if (depthwise) {
                const ci = Math.floor(o / fo);
                const q = o % fo;
                s += x.data[((b * h + iy) * w + ix) * c + ci]! * f.data[((i * kw + j) * c + ci) * fo + q]!;
              } else {
                for (let ci = 0; ci < c; ci++) s += x.data[((b * h + iy) * w + ix) * c + ci]! * f.data[((i * kw + j) * c + ci) * fo + o]!;
              }
            }
          out[((b * ay.out + oy) * ax.out + ox) * co + o] = s;
        }
  return { data: out, shape: [n, ay.out, ax.out, co] };
}

/** NWC conv1d, filter [k, C, CO]. */
function conv1dRef(x: Arr, f: Arr, stride: number, pad: 'same' | 'valid'): Arr {
  const [n, w, c] = x.shape as [number, number, number];
  const [k, , co] = f.shape as [number, number, number];
  const ax = axis(w, k, stride, pad);
  const out = new Float64Array(n * ax.out * co);
  for (let b = 0; b < n; b++)
    for (let ox = 0; ox < ax.out; ox++)
      for (let o = 0; o < co; o++) {
        let s = 0;
        for (let j = 0; j < k; j++) {
          const ix = ox * stride - ax.before + j;
          if (ix < 0 || ix >= w) continue;
          for (let ci = 0; ci < c; ci++) s += x.data[(b * w + ix) * c + ci]! * f.data[(j * c + ci) * co + o]!;
        }
        out[(b * ax.out + ox) * co + o] = s;
      }
  return { data: out, shape: [n, ax.out, co] };
}

/** NHWC max / average pool; windows ignore padded positions (the average divides by their count). */
function poolRef(kind: 'max' | 'avg', x: Arr, size: [number, number], strides: [number, number], pad: 'same' | 'valid'): Arr {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const ay = axis(h, size[0], strides[0], pad);
  const ax = axis(w, size[1], strides[1], pad);
  const out = new Float64Array(n * ay.out * ax.out * c);
  for (let b = 0; b < n; b++)
    for (let oy = 0; oy < ay.out; oy++)
      for (let ox = 0; ox < ax.out; ox++)
        for (let ci = 0; ci < c; ci++) {
          let best = -Infinity;
          let sum = 0;
          let count = 0;
          for (let i = 0; i < size[0]; i++)
            for (let j = 0; j < size[1]; j++) {
              const iy = oy * strides[0] - ay.before + i;
              const ix = ox * strides[1] - ax.before + j;
              if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
              const v = x.data[((b * h + iy) * w + ix) * c + ci]!;
              best = Math.max(best, v);
              sum += v;
              count++;
            }
          out[((b * ay.out + oy) * ax.out + ox) * c + ci] = kind === 'max' ? best : sum / count;
        }
  return { data: out, shape: [n, ay.out, ax.out, c] };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** ∂/∂args[which] of Σ f(args) ⊙ r, by float64 central differences. */
function numericGrad(f: (args: Arr[]) => Arr, args: Arr[], which: number, r: Float64Array, eps: number): Float64Array {
  const target = args[which]!;
  const g = new Float64Array(target.data.length);
  for (let i = 0; i < g.length; i++) {
    const keep = target.data[i]!;
    target.data[i] = keep + eps;
    const up = dot(f(args).data, r);
    target.data[i] = keep - eps;
    const down = dot(f(args).data, r);
    target.data[i] = keep;
    g[i] = (up - down) / (2 * eps);
  }
  return g;
}

// ───────────────────────────── helpers ─────────────────────────────

/** Seeded values in [-1, 1). */
function rng(seed: number): () => number {
  const next = seededRandom(seed);
  return () => next() * 2 - 1;
}

function randArr(shape: number[], rand: () => number): Arr {
  const size = shape.reduce((a, b) => a * b, 1);
  // float32-representable values, so TF.js sees exactly what the oracle sees
  return { data: Float64Array.from(Float32Array.from({ length: size }, rand)), shape };
}

/** Distinct values at least 1/size apart, in random order (no near-ties for max pooling). */
function spreadArr(shape: number[], rand: () => number): Arr {
  const size = shape.reduce((a, b) => a * b, 1);
  const vals = Array.from({ length: size }, (_, i) => (i - size / 2) / (size / 4));
  for (let i = size - 1; i > 0; i--) {
    const j = Math.floor(((rand() + 1) / 2) * (i + 1));
    [vals[i], vals[j]] = [vals[j]!, vals[i]!];
  }
  return { data: Float64Array.from(Float32Array.from(vals)), shape };
}

interface Compared {
  maxAbsErr: number;
  scale: number;
}

function compare(analytic: Float32Array, numeric: Float64Array): Compared {
  expect(analytic.length).toBe(numeric.length);
  let scale = 0;
  for (const v of numeric) scale = Math.max(scale, Math.abs(v));
  let maxAbsErr = 0;
  for (let i = 0; i < numeric.length; i++) maxAbsErr = Math.max(maxAbsErr, Math.abs(analytic[i]! - numeric[i]!));
  return { maxAbsErr, scale };
}

/** float32 analytic vs float64 numeric: within 1e-3 of the gradient's magnitude (and not all zero). */
function expectClose(analytic: Float32Array, numeric: Float64Array, what: string): void {
  const { maxAbsErr, scale } = compare(analytic, numeric);
  expect(scale, `${what}: degenerate test (zero gradient)`).toBeGreaterThan(1e-6);
  expect(maxAbsErr / scale, `${what}: max |analytic - numeric| / max |numeric|`).toBeLessThan(1e-3);
  // element-wise too: each entry within 1e-3 relative, with a floor at 1e-4 of the scale
  for (let i = 0; i < numeric.length; i++) {
    const tol = 1e-3 * Math.abs(numeric[i]!) + 1e-4 * scale;
    if (Math.abs(analytic[i]! - numeric[i]!) > tol) {
      expect.fail(`${what}: element ${i}: analytic ${analytic[i]} vs numeric ${numeric[i]}`);
    }
  }
}

// ───────────────────────────── cases ─────────────────────────────

interface Conv2dCase {
  x: number[];
  f: number[];
  strides: [number, number];
  pad: Pad2;
}
const CONV2D: Conv2dCase[] = [
  { x: [2, 7, 6, 3], f: [3, 3, 3, 4], strides: [1, 1], pad: 'same' },
  { x: [2, 7, 6, 3], f: [3, 3, 3, 4], strides: [1, 1], pad: 'valid' },
  { x: [2, 8, 7, 2], f: [3, 3, 2, 3], strides: [2, 2], pad: 'same' },
  { x: [2, 9, 8, 2], f: [3, 2, 2, 3], strides: [2, 1], pad: 'valid' },
  { x: [2, 5, 5, 3], f: [1, 1, 3, 4], strides: [1, 1], pad: 'valid' },
  { x: [2, 6, 5, 1], f: [5, 3, 1, 2], strides: [3, 3], pad: 'same' },
  { x: [1, 4, 4, 2], f: [2, 2, 2, 3], strides: [2, 2], pad: 'same' },
  { x: [2, 9, 7, 1], f: [3, 3, 1, 5], strides: [1, 1], pad: 'same' },
  { x: [2, 7, 5, 2], f: [3, 1, 2, 3], strides: [1, 1], pad: 'valid' },
  { x: [1, 6, 7, 2], f: [2, 3, 2, 2], strides: [1, 2], pad: [[0, 0], [1, 0], [2, 1], [0, 0]] },
  { x: [1, 5, 6, 2], f: [3, 3, 2, 3], strides: [1, 1], pad: [[0, 0], [0, 2], [1, 1], [0, 0]] },
  // pads wider than the window (WASM input gradient falls back to loops)
  { x: [1, 4, 5, 2], f: [2, 2, 2, 3], strides: [1, 1], pad: [[0, 0], [2, 3], [0, 2], [0, 0]] },
];

interface Conv1dCase {
  x: number[];
  f: number[];
  stride: number;
  pad: 'same' | 'valid';
}
const CONV1D: Conv1dCase[] = [
  { x: [2, 11, 3], f: [3, 3, 4], stride: 1, pad: 'same' },
  { x: [2, 11, 3], f: [5, 3, 2], stride: 2, pad: 'valid' },
  { x: [2, 10, 2], f: [4, 2, 3], stride: 2, pad: 'same' },
  { x: [3, 9, 1], f: [3, 1, 8], stride: 1, pad: 'valid' },
];

interface DepthwiseCase {
  x: number[];
  f: number[];
  strides: [number, number];
  pad: Pad2;
}
const DEPTHWISE: DepthwiseCase[] = [
  { x: [2, 7, 6, 3], f: [3, 3, 3, 1], strides: [1, 1], pad: 'same' },
  { x: [2, 7, 6, 3], f: [3, 3, 3, 2], strides: [2, 2], pad: 'same' },
  { x: [2, 8, 7, 2], f: [2, 3, 2, 2], strides: [1, 2], pad: 'valid' },
  { x: [1, 6, 5, 4], f: [3, 1, 4, 1], strides: [2, 1], pad: 'valid' },
  { x: [1, 5, 6, 2], f: [3, 2, 2, 2], strides: [1, 1], pad: [[0, 0], [1, 0], [0, 1], [0, 0]] },
  // pads wider than the window (WASM input gradient falls back to loops)
  { x: [1, 4, 5, 2], f: [2, 2, 2, 2], strides: [1, 1], pad: [[0, 0], [2, 3], [0, 2], [0, 0]] },
];

interface PoolCase {
  x: number[];
  size: [number, number];
  strides: [number, number];
  pad: 'same' | 'valid';
}
const POOLS: PoolCase[] = [
  { x: [2, 6, 7, 3], size: [2, 2], strides: [2, 2], pad: 'valid' },
  { x: [2, 7, 7, 2], size: [3, 3], strides: [2, 2], pad: 'same' },
  { x: [2, 6, 5, 2], size: [3, 2], strides: [1, 1], pad: 'same' },
  { x: [1, 9, 4, 3], size: [2, 1], strides: [2, 1], pad: 'valid' },
  { x: [2, 5, 5, 1], size: [2, 2], strides: [2, 2], pad: 'same' },
];

function padName(pad: Pad2): string {
  return typeof pad === 'string' ? pad : `explicit ${JSON.stringify([pad[1], pad[2]])}`;
}

// ───────────────────────────── suites ─────────────────────────────

const BACKENDS = ['wasm', 'cpu'] as const;

describe.each(BACKENDS)('gradient kernels on %s', (backend) => {
  let tf: TfCore;

  beforeAll(async () => {
    const got = await switchBackend(backend);
    if (got === undefined) throw new Error(`backend ${backend} unavailable`);
    tf = got.tf;
    expect(tf.getBackend()).toBe(backend);
  });

  /** Runs f on the backend under test even if another suite switched meanwhile. */
  async function on<T>(f: () => T): Promise<T> {
    if (tf.getBackend() !== backend) await tf.setBackend(backend);
    return f();
  }

  function gradsOf(op: (a: Tensor, b: Tensor) => Tensor, a: Arr, b: Arr, r: Arr): [Float32Array, Float32Array] {
    return tf.tidy(() => {
      const ta = tf.tensor(Float32Array.from(a.data), a.shape);
      const tb = tf.tensor(Float32Array.from(b.data), b.shape);
      const tr = tf.tensor(Float32Array.from(r.data), r.shape);
      const [ga, gb] = tf.grads((p: Tensor, q: Tensor) => tf.sum(tf.mul(op(p, q), tr)))([ta, tb]);
      return [ga!.dataSync() as Float32Array, gb!.dataSync() as Float32Array];
    });
  }

  it('registers our kernels where stock is missing, wrong or slow', async () => {
    await on(() => undefined);
    // stock 4.22 has each of these missing, wrong or slower than ours on both backends
    expect(gradientKernelSources(tf, backend)).toEqual({
      Conv2DBackpropFilter: 'ours',
      Conv2DBackpropInput: 'ours',
      DepthwiseConv2dNativeBackpropFilter: 'ours',
      DepthwiseConv2dNativeBackpropInput: 'ours',
      MaxPoolGrad: 'ours',
      AvgPoolGrad: 'ours',
      Sum: 'ours',
      Conv2D: backend === 'cpu' ? 'ours' : 'stock',
      Identity: backend === 'wasm' ? 'ours' : 'stock',
      Relu: backend === 'cpu' ? 'ours' : 'stock',
      Step: backend === 'cpu' ? 'ours' : 'stock',
      Add: backend === 'cpu' ? 'ours' : 'stock',
      Multiply: backend === 'cpu' ? 'ours' : 'stock',
      BatchMatMul: backend === 'wasm' ? 'ours' : 'stock',
      ImpulseAdamUpdate: 'ours',
      ImpulseCrossEntropy: 'ours',
      ImpulseCrossEntropyGrad: 'ours',
      ImpulseConvLayer: 'ours',
      ImpulseDenseLayer: 'ours',
    });
  });

  it.each([
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ])('matMul with transposeA %s, transposeB %s (batched) = float64 products', async (ta, tb) => {
    const rand = rng(91 + Number(ta) * 2 + Number(tb));
    const [batch, m, k, n] = [3, 5, 7, 4];
    const a = randArr(ta ? [batch, k, m] : [batch, m, k], rand);
    const b = randArr(tb ? [batch, n, k] : [batch, k, n], rand);
    const got = await on(() => tf.tidy(() => tf.matMul(tf.tensor(Float32Array.from(a.data), a.shape) as never, tf.tensor(Float32Array.from(b.data), b.shape) as never, ta, tb).dataSync()));
    for (let q = 0; q < batch; q++)
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++) {
          let want = 0;
          for (let l = 0; l < k; l++) want += a.data[q * m * k + (ta ? l * m + i : i * k + l)]! * b.data[q * k * n + (tb ? j * k + l : l * n + j)]!;
          expect(Math.abs(got[(q * m + i) * n + j]! - want), `[${q},${i},${j}]`).toBeLessThan(1e-5 * Math.max(1, Math.abs(want)));
        }
  });

  const sums: [number[], number[] | undefined, boolean][] = [
    [[32, 26, 26, 32], [0, 1, 2], false],
    [[7, 5], [0], true],
    [[3, 4, 6], [1, 0], false],
    [[3, 4, 6], [-3, -2], true],
    [[3, 4, 6], [1, 2], false], // not leading: the stock kernel
    [[3, 4, 6], [0], false],
    [[3, 4, 6], undefined, true], // everything
  ];
  it.each(sums)('Sum of %j over %j (keepDims %s) = float64 sums', async (shape, axes, keepDims) => {
    const rand = rng(shape.length * 17 + (axes?.length ?? 9));
    const x = randArr(shape, rand);
    const got = await on(() => tf.tidy(() => tf.sum(tf.tensor(Float32Array.from(x.data), shape), axes, keepDims)));
    const norm = axes === undefined ? shape.map((_, i) => i) : axes.map((a) => (a + shape.length) % shape.length);
    const outShape = shape.map((d, i) => (norm.includes(i) ? 1 : d));
    const want = new Float64Array(outShape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < x.data.length; i++) {
      let rest = i;
      let o = 0;
      for (let d = shape.length - 1, ostride = 1; d >= 0; d--) {
        const idx = rest % shape[d]!;
        rest = Math.floor(rest / shape[d]!);
        if (!norm.includes(d)) o += idx * ostride;
        ostride *= outShape[d]!;
      }
      want[o] = want[o]! + x.data[i]!;
    }
    expect(got.shape).toEqual(keepDims ? outShape : outShape.filter((_, i) => !norm.includes(i)));
    const data = got.dataSync();
    got.dispose();
    for (let i = 0; i < want.length; i++) expect(Math.abs(data[i]! - want[i]!), `[${i}]`).toBeLessThan(1e-4 * Math.max(1, Math.abs(want[i]!)));
  });

  it('registration is idempotent and reversible', async () => {
    await on(() => undefined);
    const before = gradientKernelSources(tf, backend);
    const filterKernel = tf.getKernel('Conv2DBackpropFilter', backend);
    registerGradientKernels(tf, backend);
    registerGradientKernels(tf, backend);
    expect(tf.getKernel('Conv2DBackpropFilter', backend)).toBe(filterKernel);
    unregisterGradientKernels(tf, backend);
    const stock = gradientKernelSources(tf, backend);
    expect(Object.values(stock)).not.toContain('ours');
    if (backend === 'wasm') expect(stock['Conv2DBackpropFilter']).toBe('missing');
    if (backend === 'cpu') expect(stock['Conv2DBackpropFilter']).toBe('stock');
    registerGradientKernels(tf, backend);
    expect(gradientKernelSources(tf, backend)).toEqual(before);
  });

  describe('conv2d', () => {
    it.each(CONV2D.map((c) => [`x ${c.x} f ${c.f} s ${c.strides} ${padName(c.pad)}`, c] as const))('%s', async (_name, c) => {
      const rand = rng(11 + c.x.length * 7 + c.f[0]! * 3 + c.strides[0]);
      const x = randArr(c.x, rand);
      const f = randArr(c.f, rand);
      const ref = (args: Arr[]) => conv2dRef(args[0]!, args[1]!, c.strides, c.pad);
      const out = ref([x, f]);
      const r = randArr(out.shape, rand);
      // the forward op must agree with the oracle too (CPU runs our Conv2D)
      const y = await on(() =>
        tf.tidy(() => (tf.conv2d(tf.tensor(Float32Array.from(x.data), x.shape) as never, tf.tensor(Float32Array.from(f.data), f.shape) as never, c.strides, c.pad) as unknown as Tensor).dataSync()),
      );
      expectClose(y as Float32Array, out.data, 'y');
      const [gx, gf] = await on(() =>
        gradsOf((a, b) => tf.conv2d(a as never, b as never, c.strides, c.pad), x, f, r),
      );
      expectClose(gx, numericGrad(ref, [x, f], 0, r.data, 1e-2), 'dL/dx');
      expectClose(gf, numericGrad(ref, [x, f], 1, r.data, 1e-2), 'dL/dfilter');
    });
  });

  describe('conv1d', () => {
    it.each(CONV1D.map((c) => [`x ${c.x} f ${c.f} s ${c.stride} ${c.pad}`, c] as const))('%s', async (_name, c) => {
      const rand = rng(5 + c.f[0]! * 13 + c.stride);
      const x = randArr(c.x, rand);
      const f = randArr(c.f, rand);
      const ref = (args: Arr[]) => conv1dRef(args[0]!, args[1]!, c.stride, c.pad);
      const r = randArr(ref([x, f]).shape, rand);
      const [gx, gf] = await on(() => gradsOf((a, b) => tf.conv1d(a as never, b as never, c.stride, c.pad), x, f, r));
      expectClose(gx, numericGrad(ref, [x, f], 0, r.data, 1e-2), 'dL/dx');
      expectClose(gf, numericGrad(ref, [x, f], 1, r.data, 1e-2), 'dL/dfilter');
    });
  });

  describe('depthwise conv2d', () => {
    it.each(DEPTHWISE.map((c) => [`x ${c.x} f ${c.f} s ${c.strides} ${padName(c.pad)}`, c] as const))('%s', async (_name, c) => {
      const rand = rng(3 + c.f[3]! * 17 + c.strides[0] * 5);
      const x = randArr(c.x, rand);
      const f = randArr(c.f, rand);
      const ref = (args: Arr[]) => conv2dRef(args[0]!, args[1]!, c.strides, c.pad, true);
      const r = randArr(ref([x, f]).shape, rand);
      const [gx, gf] = await on(() =>
        gradsOf((a, b) => tf.depthwiseConv2d(a as never, b as never, c.strides, c.pad), x, f, r),
      );
      expectClose(gx, numericGrad(ref, [x, f], 0, r.data, 1e-2), 'dL/dx');
      expectClose(gf, numericGrad(ref, [x, f], 1, r.data, 1e-2), 'dL/dfilter');
    });
  });

  describe.each(['max', 'avg'] as const)('%s pool', (kind) => {
    it.each(POOLS.map((c) => [`x ${c.x} size ${c.size} s ${c.strides} ${c.pad}`, c] as const))('%s', async (_name, c) => {
      const rand = rng(29 + c.size[0] * 3 + c.x[1]!);
      const x = spreadArr(c.x, rand);
      const ref = (args: Arr[]) => poolRef(kind, args[0]!, c.size, c.strides, c.pad);
      const out = ref([x]);
      const r = randArr(out.shape, rand);
      const gx = await on(() =>
        tf.tidy(() => {
          const tx = tf.tensor(Float32Array.from(x.data), x.shape);
          const tr = tf.tensor(Float32Array.from(r.data), r.shape);
          const pool = (p: Tensor): Tensor =>
            kind === 'max' ? tf.maxPool(p as never, c.size, c.strides, c.pad) : tf.avgPool(p as never, c.size, c.strides, c.pad);
          const fwd = pool(tx);
          // the forward op must agree with the oracle too, or the comparison means nothing
          const got = fwd.dataSync();
          for (let i = 0; i < out.data.length; i++) expect(Math.abs(got[i]! - out.data[i]!)).toBeLessThan(1e-5);
          return tf.grad((p: Tensor) => tf.sum(tf.mul(pool(p), tr)))(tx).dataSync() as Float32Array;
        }),
      );
      // the spacing between values is ≥ 4/size; ε well below it keeps every window's winner
      expectClose(gx, numericGrad(ref, [x], 0, r.data, 1e-3), 'dL/dx');
    });
  });

  it('max pool: an all-zero window (as after ReLU) passes its gradient to its first element', async () => {
    const dx = await on(() =>
      tf.tidy(() => {
        const x = tf.tensor4d([5, 1, 0, 0, 2, 3, 0, 0], [1, 2, 4, 1]);
        const dy = tf.tensor4d([0.5, 2], [1, 1, 2, 1]);
        return tf.grad((p: Tensor) => tf.sum(tf.mul(tf.maxPool(p as never, 2, 2, 'valid'), dy)))(x).dataSync() as Float32Array;
      }),
    );
    expect(Array.from(dx)).toEqual([0.5, 0, 2, 0, 0, 0, 0, 0]);
  });

  it('kernels free their temporaries', async () => {
    await on(() => undefined);
    const engineBackend = tf.engine().backend as { numDataIds(): number };
    const run = () =>
      tf.tidy(() => {
        const x = tf.randomNormal([2, 9, 7, 3]);
        const f = tf.randomNormal([3, 3, 3, 4]);
        const d = tf.randomNormal([3, 3, 3, 2]);
        const [gx, gf] = tf.grads((a: Tensor, b: Tensor) => tf.sum(tf.conv2d(a as never, b as never, 2, 'same')))([x, f]);
        const [hx, hf] = tf.grads((a: Tensor, b: Tensor) => tf.sum(tf.depthwiseConv2d(a as never, b as never, 1, 'same')))([x, d]);
        const px = tf.grad((a: Tensor) => tf.sum(tf.maxPool(a as never, 2, 2, 'same')))(x);
        const ax = tf.grad((a: Tensor) => tf.sum(tf.avgPool(a as never, 3, 1, 'same')))(x);
        return [gx!, gf!, hx!, hf!, px, ax].map((t) => tf.sum(t).dataSync()[0]);
      });
    run();
    const tensors = tf.memory().numTensors;
    const ids = engineBackend.numDataIds();
    run();
    run();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(engineBackend.numDataIds()).toBe(ids);
  });
});

// ───────────────────────────── training on WASM ─────────────────────────────

describe('tfjs-layers conv models train on wasm', () => {
  let loaded: LoadedTf;
  beforeAll(async () => {
    const got = await switchBackend('wasm');
    if (got === undefined) throw new Error('wasm backend unavailable');
    loaded = got;
  });

  async function trainLoss(kind: '1d' | '2d'): Promise<[number, number]> {
    const { tf, layers: tfl } = loaded;
    if (tf.getBackend() !== 'wasm') await tf.setBackend('wasm');
    tf.engine().startScope();
    try {
      const rand = rng(kind === '1d' ? 101 : 202);
      const n = 48;
      const shape = kind === '1d' ? [n, 20, 4] : [n, 12, 8, 1];
      const size = shape.reduce((a, b) => a * b, 1);
      const xs = tf.tensor(Float32Array.from({ length: size }, rand), shape);
      const labels = Int32Array.from({ length: n }, (_, i) => i % 3);
      const ys = tf.oneHot(tf.tensor1d(labels, 'int32'), 3);
      const model = tfl.sequential();
      if (kind === '1d') {
        model.add(tfl.layers.conv1d({ inputShape: [20, 4], filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }));
        model.add(tfl.layers.maxPooling1d({ poolSize: 2 }));
        model.add(tfl.layers.conv1d({ filters: 8, kernelSize: 3, strides: 2, activation: 'relu' }));
      } else {
        model.add(tfl.layers.conv2d({ inputShape: [12, 8, 1], filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }));
        model.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
        model.add(tfl.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same', activation: 'relu' }));
        model.add(tfl.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }));
      }
      model.add(tfl.layers.flatten());
      model.add(tfl.layers.dense({ units: 3, activation: 'softmax' }));
      model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
      const h = await model.fit(xs, ys, { epochs: 40, batchSize: 16, verbose: 0, shuffle: false });
      const loss = h.history['loss'] as number[];
      return [loss[0]!, loss[loss.length - 1]!];
    } finally {
      tf.engine().endScope();
    }
  }

  it('conv1d model: loss drops', async () => {
    const [first, last] = await trainLoss('1d');
    expect(Number.isFinite(last)).toBe(true);
    expect(last).toBeLessThan(first * 0.5);
  });

  it('conv2d (+ depthwise) model: loss drops', async () => {
    const [first, last] = await trainLoss('2d');
    expect(Number.isFinite(last)).toBe(true);
    expect(last).toBeLessThan(first * 0.5);
  });
});
