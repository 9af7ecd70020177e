import { describe, expect, it } from 'vitest';
import { Rng } from './random.js';
import { learningRateAt } from './schedule.js';
import { validationSplit } from './split.js';
import { fitStandardizer, percentile, standardize } from './stats.js';
import { tensorSet, type TestRow } from './testing.js';
import { trainingRows } from './rows.js';
import { ImpulseError } from '../../../core/errors/impulse-error.js';

describe('Rng', () => {
  it('is deterministic per seed and purpose', () => {
    const a = Rng.for(7, 'shuffle');
    const b = Rng.for(7, 'shuffle');
    const c = Rng.for(7, 'split');
    const xs = [a.next(), a.next(), a.next()];
    expect([b.next(), b.next(), b.next()]).toEqual(xs);
    expect(c.next()).not.toBe(xs[0]);
    expect(Rng.for(8, 'shuffle').next()).not.toBe(xs[0]);
    const p = Rng.for(1, 'p').permutation(50);
    expect([...p].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('fillBernoulli(out, p, v) is v where the same draws of next() are < p, else 0, and advances past them', () => {
    for (const [seed, p] of [[7, 0.75], [0xfffffff0, 0.5], [123456789, 0.1]] as const) {
      const fast = new Rng(seed);
      const slow = new Rng(seed);
      const out = new Float32Array(5000);
      fast.fillBernoulli(out, p, 2.5);
      const want = Array.from({ length: out.length }, () => (slow.next() < p ? 2.5 : 0));
      expect(Array.from(out)).toEqual(want);
      expect(fast.next()).toBe(slow.next());
      const kept = want.filter((x) => x !== 0).length / want.length;
      expect(Math.abs(kept - p)).toBeLessThan(0.03);
    }
  });

  it('normal() has mean ~0 and sd ~1', () => {
    const r = Rng.for(3, 'n');
    const v = Array.from({ length: 20000 }, () => r.normal());
    const mean = v.reduce((s, x) => s + x, 0) / v.length;
    const sd = Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / v.length);
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(sd - 1)).toBeLessThan(0.03);
  });
});

describe('validation split', () => {
  // 3 labels × 10 samples × 4 windows, plus testing rows interleaved
  const rows: TestRow[] = [];
  for (const label of ['a', 'b', 'c'])
    for (let s = 0; s < 12; s++)
      for (let w = 0; w < 4; w++) rows.push({ label, split: s >= 10 ? 'testing' : 'training', sample: `${label}/s${s}`, values: [s, w] });
  const data = tensorSet([2], rows);

  it('holds out whole TRAINING samples of every label, never testing rows', () => {
    const train = trainingRows(data);
    const split = validationSplit(data, train, 0.2, 7);
    expect(split.train.length + split.validation.length).toBe(train.length);
    const valSamples = new Set(split.validation.map((r) => data.rows[r]!.sample));
    const trainSamples = new Set(split.train.map((r) => data.rows[r]!.sample));
    for (const s of valSamples) expect(trainSamples.has(s)).toBe(false);
    expect(valSamples.size).toBe(6); // 2 of 10 samples per label
    for (const r of [...split.train, ...split.validation]) expect(data.rows[r]!.split).toBe('training');
    expect(new Set(split.validation.map((r) => data.rows[r]!.label))).toEqual(new Set(['a', 'b', 'c']));
    expect(validationSplit(data, train, 0.2, 7)).toEqual(split);
    expect(validationSplit(data, train, 0.2, 8)).not.toEqual(split);
    expect(validationSplit(data, train, 0, 7).validation).toEqual([]);
  });

  it('no training rows is a user error', () => {
    const only = tensorSet([1], [{ label: 'a', split: 'testing', values: [1] }]);
    expect(() => trainingRows(only)).toThrow(ImpulseError);
    expect(() => trainingRows(data, ['d'])).toThrow(/not in the data/);
  });
});

describe('schedules and stats', () => {
  it('learning rate schedules', () => {
    expect(learningRateAt('constant', 0.01, 5, 10)).toBe(0.01);
    expect(learningRateAt('cosine', 0.01, 0, 10)).toBeCloseTo(0.01, 12);
    expect(learningRateAt('cosine', 0.01, 9, 10)).toBeCloseTo(0.0001, 12);
    expect([0, 4, 5, 10, 15, 19].map((e) => learningRateAt('step', 1, e, 20))).toEqual([1, 1, 0.5, 0.25, 0.125, 0.125]);
  });

  it('standardizer and percentile', () => {
    const x = Float32Array.from([1, 10, 3, 10, 5, 10]); // feature 0: 1,3,5; feature 1 constant
    const s = fitStandardizer(x, 3, 2);
    expect(s.mean).toEqual([3, 10]);
    expect(s.std[0]).toBeCloseTo(Math.sqrt(8 / 3), 12);
    expect(s.std[1]).toBe(1);
    const z = standardize(x, s);
    expect(z[0]).toBeCloseTo(-2 / Math.sqrt(8 / 3), 12);
    expect(z[1]).toBe(0);
    expect(percentile([1, 2, 3, 4, 5], 95)).toBeCloseTo(4.8, 12);
  });
});
