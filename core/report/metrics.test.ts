import { describe, expect, it } from 'vitest';
import { anomalyMetrics, classificationMetrics, percentile, regressionMetrics } from './metrics.js';

describe('classificationMetrics', () => {
  it('matches a hand-computed 3-class case', () => {
    // truth:     a a a b b c
    // predicted: a a b b c c   (argmax of the scores below)
    const labels = ['a', 'b', 'c'];
    const truth = [0, 0, 0, 1, 1, 2];
    const scores = Float32Array.from([
      0.8, 0.1, 0.1, //
      0.6, 0.3, 0.1,
      0.2, 0.7, 0.1,
      0.1, 0.8, 0.1,
      0.1, 0.2, 0.7,
      0.0, 0.1, 0.9,
    ]);
    const m = classificationMetrics(labels, truth, scores);
    expect(m.accuracy).toBeCloseTo(4 / 6, 12);
    expect(m.confusion).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]);
    // a: tp 2, predicted 2, support 3 → p 1, r 2/3, f1 0.8
    // b: tp 1, predicted 2, support 2 → p 0.5, r 0.5, f1 0.5
    // c: tp 1, predicted 2, support 1 → p 0.5, r 1, f1 2/3
    const [a, b, c] = m.perClass;
    expect(a).toMatchObject({ label: 'a', support: 3, precision: 1 });
    expect(a!.recall).toBeCloseTo(2 / 3, 12);
    expect(a!.f1).toBeCloseTo(0.8, 12);
    expect(b).toMatchObject({ label: 'b', support: 2, precision: 0.5, recall: 0.5, f1: 0.5 });
    expect(c).toMatchObject({ label: 'c', support: 1, precision: 0.5, recall: 1 });
    expect(c!.f1).toBeCloseTo(2 / 3, 12);
    expect(m.macroF1).toBeCloseTo((0.8 + 0.5 + 2 / 3) / 3, 12);
  });

  it('gives 0 (not NaN) for a label never predicted and never present, and breaks ties to the first label', () => {
    const m = classificationMetrics(['x', 'y'], [0, 0], Float32Array.from([0.5, 0.5, 0.2, 0.8]));
    expect(m.confusion).toEqual([
      [1, 1],
      [0, 0],
    ]);
    expect(m.perClass[1]).toEqual({ label: 'y', precision: 0, recall: 0, f1: 0, support: 0 });
    expect(m.macroF1).toBeCloseTo(2 / 3, 12); // only x has support: p 1, r 0.5
  });

  it('rejects mismatched sizes and bad label indices', () => {
    expect(() => classificationMetrics(['a', 'b'], [0], Float32Array.from([1]))).toThrow(/scores/);
    expect(() => classificationMetrics(['a', 'b'], [2], Float32Array.from([1, 0]))).toThrow(/label index/);
  });
});

describe('regressionMetrics', () => {
  it('computes MAE and RMSE', () => {
    // errors: +1, -2, 0, +3 → MAE 6/4 = 1.5, RMSE sqrt(14/4)
    const m = regressionMetrics([1, 2, 3, 4], Float32Array.from([2, 0, 3, 7]));
    expect(m.count).toBe(4);
    expect(m.mae).toBeCloseTo(1.5, 12);
    expect(m.rmse).toBeCloseTo(Math.sqrt(3.5), 12);
  });
});

describe('anomalyMetrics', () => {
  it('summarises the score distribution per label', () => {
    const labels = ['normal', 'fault', 'unused'];
    const truth = [0, 0, 0, 0, 0, 1, 1];
    const scores = Float32Array.from([1, 2, 3, 4, 5, 10, 20]);
    const m = anomalyMetrics(labels, truth, scores);
    expect(m.perLabel).toHaveLength(2);
    const [normal, fault] = m.perLabel;
    // normal 1..5: p50 3, p95 at position 3.8 → 4 + 0.8 = 4.8
    expect(normal).toMatchObject({ label: 'normal', count: 5, min: 1, p50: 3, max: 5, mean: 3 });
    expect(normal!.p95).toBeCloseTo(4.8, 6);
    // fault 10, 20: p50 15, p95 19.5
    expect(fault).toMatchObject({ label: 'fault', count: 2, min: 10, p50: 15, max: 20, mean: 15 });
    expect(fault!.p95).toBeCloseTo(19.5, 6);
  });

  it('percentile interpolates like numpy', () => {
    expect(percentile([3, 1, 2], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4], 25)).toBeCloseTo(1.75, 12);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });
});
