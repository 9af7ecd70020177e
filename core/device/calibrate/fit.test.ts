/** The non-negative relative least-squares fit of the cost rows. */
import { describe, expect, test } from 'vitest';
import { fitNonNegative, solve } from './fit.js';

describe('fitting cost rows', () => {
  test('solves a small linear system', () => {
    expect(solve([[2, 1], [1, 3]], [5, 10])!.map((v) => Number(v.toFixed(9)))).toEqual([1, 3]);
    expect(solve([[1, 2], [2, 4]], [1, 2])).toBeUndefined();
  });

  test('recovers the coefficients of exact data, leaving an unused feature at 0', () => {
    const truth = [120, 9, 0, 35];
    const xs = [
      [1, 512000, 7, 8000],
      [1, 270720, 3, 270720],
      [1, 2262016, 11, 141376],
      [1, 16000, 2, 4],
      [1, 81920, 5, 128],
    ];
    const f = fitNonNegative(xs.map((x) => ({ x, y: x.reduce((s, v, i) => s + v * truth[i]!, 0) })), 4, 1)!;
    expect(f.coefficients.map((c) => Number(c.toFixed(6)))).toEqual(truth);
    expect(f.maxRelativeError).toBeLessThan(1e-9);
  });

  test('never returns a negative coefficient, and fits a single sample by the preferred feature', () => {
    const f = fitNonNegative([{ x: [1, 10], y: 5 }, { x: [1, 20], y: 4 }, { x: [1, 30], y: 3 }], 2, 1)!;
    expect(f.coefficients.every((c) => c >= 0)).toBe(true);
    const one = fitNonNegative([{ x: [1, 100, 7], y: 250 }], 3, 1)!;
    expect(one.coefficients).toEqual([0, 2.5, 0]);
  });
});
