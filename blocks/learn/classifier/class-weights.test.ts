import { describe, expect, it } from 'vitest';
import { ImpulseError } from '../../../core/errors/impulse-error.js';
import { Rng } from '../common/random.js';
import { makeAugmenter } from './augment.js';
import { classWeights, countPerClass, oneHot } from './class-weights.js';

describe('class weights', () => {
  it("'auto' is inverse frequency n / (labels × n_label)", () => {
    // 100 rows: 10, 30, 60 → 100/30, 100/90, 100/180
    const w = classWeights([10, 30, 60], 'auto');
    expect(w[0]).toBeCloseTo(10 / 3, 12);
    expect(w[1]).toBeCloseTo(10 / 9, 12);
    expect(w[2]).toBeCloseTo(5 / 9, 12);
    // the weighted row count equals the row count
    expect(10 * w[0]! + 30 * w[1]! + 60 * w[2]!).toBeCloseTo(100, 9);
    expect(classWeights([10, 30, 60], 'none')).toEqual([1, 1, 1]);
    expect(classWeights([5, 0, 15], 'auto')).toEqual([2, 0, 20 / 30]);
  });

  it('counts and one-hot', () => {
    expect(countPerClass([0, 2, 2, 1, 2], 4)).toEqual([1, 1, 3, 0]);
    expect(Array.from(oneHot([1, 0], 3))).toEqual([0, 1, 0, 1, 0, 0]);
  });
});

describe('augmentation', () => {
  const off = { noise: 0, specAugment: false, image: false } as const;

  it('is off by default', () => {
    expect(makeAugmenter(off, [10])).toBeUndefined();
  });

  it('noise is seeded', () => {
    const f = makeAugmenter({ ...off, noise: 0.1 }, [4])!;
    const a = new Float32Array(8);
    const b = new Float32Array(8);
    f(a, 2, Rng.for(1, 'aug'));
    f(b, 2, Rng.for(1, 'aug'));
    expect(a).toEqual(b);
    expect(a.some((v) => v !== 0)).toBe(true);
  });

  it('specAugment zeroes bands of frames and coefficients', () => {
    const f = makeAugmenter({ ...off, specAugment: { timeMasks: 1, freqMasks: 1, maxWidth: 3 } }, [10, 6])!;
    const row = new Float32Array(60).fill(1);
    for (let seed = 0; seed < 20; seed++) {
      row.fill(1);
      f(row, 1, Rng.for(seed, 'aug'));
      const zeros = row.filter((v) => v === 0).length;
      expect(zeros).toBeLessThanOrEqual(3 * 6 + 3 * 10);
    }
    expect(() => makeAugmenter({ ...off, specAugment: { timeMasks: 1, freqMasks: 1, maxWidth: 2 } }, [10])).toThrow(ImpulseError);
  });

  it('image flip and shift move pixels', () => {
    const f = makeAugmenter({ ...off, image: { flip: true, shift: 0, brightness: 0 } }, [1, 3, 1])!;
    const seen = new Set<string>();
    for (let seed = 0; seed < 10; seed++) {
      const row = Float32Array.from([1, 2, 3]);
      f(row, 1, Rng.for(seed, 'aug'));
      seen.add(Array.from(row).join(','));
    }
    expect(seen).toEqual(new Set(['1,2,3', '3,2,1']));
    const g = makeAugmenter({ ...off, image: { flip: false, shift: 1, brightness: 0 } }, [1, 3])!;
    const sums = new Set<number>();
    for (let seed = 0; seed < 20; seed++) {
      const row = Float32Array.from([1, 2, 3]);
      g(row, 1, Rng.for(seed, 'aug'));
      sums.add(row.reduce((a, b) => a + b, 0));
    }
    expect([...sums].every((s) => [6, 5, 3, 0].includes(s))).toBe(true); // dx 0, +1 (drops 3), -1 (drops 1); dy ≠ 0 empties the single row
    expect(sums.has(5) || sums.has(3)).toBe(true);
    expect(() => makeAugmenter({ ...off, image: { flip: true, shift: 0, brightness: 0 } }, [64])).toThrow(ImpulseError);
  });
});
