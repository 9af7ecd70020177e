import { describe, expect, test } from 'vitest';
import { projectPca } from './pca.js';

/** A deterministic pseudo-random stream in [-0.5, 0.5). */
function noise(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) - 0.5;
}

describe('projectPca', () => {
  test('finds the direction of most variance first and reports its share', () => {
    // 3 columns of equal scale after standardizing; columns 0 and 1 move together (one strong
    // direction), column 2 is independent noise: PC1 ≈ 2/3 of the variance, PC2 ≈ 1/3.
    const n = 400;
    const r = noise(1);
    const data = new Float32Array(n * 3);
    for (let i = 0; i < n; i++) {
      const t = r();
      data.set([t, t * 100 + r() * 0.01, r()], i * 3);
    }
    const { coords, explained } = projectPca(data, n, 3);
    expect(explained[0]).toBeGreaterThan(0.6);
    expect(explained[0]).toBeLessThan(0.72);
    expect(explained[1]).toBeGreaterThan(0.28);
    expect(explained[0] + explained[1]).toBeLessThanOrEqual(1 + 1e-9);
    // PC1 orders the rows as the shared column does.
    const pc1 = Array.from({ length: n }, (_, i) => coords[2 * i]!);
    const corr = correlation(pc1, Array.from({ length: n }, (_, i) => data[i * 3]!));
    expect(Math.abs(corr)).toBeGreaterThan(0.99);
  });

  test('finds the two largest eigenvalues of the covariance, even when they are close', () => {
    // 12 columns from 4 hidden factors of similar strength, plus noise
    const n = 300;
    const d = 12;
    const r = noise(7);
    const data = new Float32Array(n * d);
    for (let i = 0; i < n; i++) {
      const f = [r(), r() * 0.95, r() * 0.9, r() * 0.5];
      for (let j = 0; j < d; j++) data[i * d + j] = f[j % 4]! * (1 + j / 10) + r() * 0.2;
    }
    const { explained } = projectPca(data, n, d);
    const want = topEigenvalues(data, n, d);
    expect(explained[0]).toBeCloseTo(want[0]!, 6);
    expect(explained[1]).toBeCloseTo(want[1]!, 6);
  });

  test('is deterministic, and copes with constant columns, one column and no rows', () => {
    const data = Float32Array.from([1, 5, 2, 2, 5, 4, 3, 5, 6, 4, 5, 8]);
    const a = projectPca(data, 4, 3);
    expect(projectPca(data, 4, 3)).toEqual(a);
    expect(a.explained[0]).toBeCloseTo(1, 6); // columns 0 and 2 are one direction; column 1 is constant
    expect(a.explained[1]).toBeCloseTo(0, 6);
    expect([...a.coords].every(Number.isFinite)).toBe(true);
    const one = projectPca(Float32Array.from([1, 2, 3]), 3, 1);
    expect(one.explained).toEqual([1, 0]);
    expect(projectPca(new Float32Array(0), 0, 5).coords).toHaveLength(0);
  });
});

/** Shares of variance of the two largest eigenvalues, by power iteration with deflation on the full covariance. */
function topEigenvalues(data: Float32Array, n: number, d: number): number[] {
  const x = new Float64Array(n * d);
  for (let j = 0; j < d; j++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += data[i * d + j]! / n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (data[i * d + j]! - mean) ** 2;
    const sd = Math.sqrt(ss / (n - 1));
    for (let i = 0; i < n; i++) x[i * d + j] = (data[i * d + j]! - mean) / sd;
  }
  const cov = Array.from({ length: d }, (_, a) => Array.from({ length: d }, (_, b) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[i * d + a]! * x[i * d + b]!;
    return s / (n - 1);
  }));
  const found: number[][] = [];
  const values: number[] = [];
  for (let k = 0; k < 2; k++) {
    let v = Array.from({ length: d }, (_, j) => Math.cos(j + k));
    for (let it = 0; it < 5000; it++) {
      const w = cov.map((row) => row.reduce((s, c, b) => s + c * v[b]!, 0));
      for (const u of found) {
        const o = w.reduce((s, q, a) => s + q * u[a]!, 0);
        u.forEach((q, a) => (w[a]! -= o * q));
      }
      const norm = Math.hypot(...w);
      v = w.map((q) => q / norm);
    }
    values.push(cov.reduce((s, row, a) => s + v[a]! * row.reduce((t, c, b) => t + c * v[b]!, 0), 0) / d);
    found.push(v);
  }
  return values;
}

function correlation(a: number[], b: number[]): number {
  const ma = a.reduce((s, v) => s + v, 0) / a.length;
  const mb = b.reduce((s, v) => s + v, 0) / b.length;
  let ab = 0;
  let aa = 0;
  let bb = 0;
  a.forEach((v, i) => {
    ab += (v - ma) * (b[i]! - mb);
    aa += (v - ma) ** 2;
    bb += (b[i]! - mb) ** 2;
  });
  return ab / Math.sqrt(aa * bb);
}
