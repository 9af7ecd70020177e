import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImpulseError } from '../../../core/errors/impulse-error.js';
import { regressionMetrics } from '../../../core/report/metrics.js';
import { Rng } from '../common/random.js';
import { tensorSet, testContext, type TestRow } from '../common/testing.js';
import regression from './index.js';
import type { RegressionParams } from './params.js';

const P = (p: Partial<RegressionParams>) => p as RegressionParams;

describe('regression', () => {
  it('learns a linear target and predicts in target units', async () => {
    const rng = Rng.for(1, 'data');
    const rows: TestRow[] = Array.from({ length: 360 }, (_, i) => {
      const x = [rng.next(), rng.next(), rng.next(), rng.next()];
      const y = 100 + 30 * x[0]! - 20 * x[1]! + 5 * x[2]! + 0.1 * rng.normal();
      return { label: y.toFixed(4), split: i % 6 === 5 ? 'testing' : 'training', values: x };
    });
    const data = tensorSet([4], rows);
    const ctx = testContext(3);
    await regression.train(ctx, data, P({ layers: [{ dense: { units: 16 } }], epochs: 40, learningRate: 0.01, earlyStopping: { patience: 8, minDelta: 0.0001 } }));
    const training = JSON.parse(readFileSync(path.join(ctx.outDir, 'training.json'), 'utf8'));
    expect(training.target.mean).toBeGreaterThan(100);
    const scores = await regression.predict(ctx, ctx.outDir, data, P({}));
    expect(scores.length).toBe(rows.length);
    const test = rows.flatMap((r, i) => (r.split === 'testing' ? [i] : []));
    const m = regressionMetrics(
      test.map((i) => Number(rows[i]!.label)),
      Float32Array.from(test, (i) => scores[i]!),
    );
    // target std ≈ 10.6; a constant guess would give RMSE ≈ 10.6
    expect(m.rmse).toBeLessThan(1.5);
    expect(m.mae).toBeLessThan(1.2);
  });

  it('a label that is not a number is a user error naming the sample', async () => {
    const data = tensorSet([1], [
      { label: '1.5', split: 'training', values: [1] },
      { label: 'warm', split: 'training', sample: 'warm/3.csv', values: [2] },
    ]);
    const err = await regression.train(testContext(), data, P({ epochs: 1 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImpulseError);
    expect((err as ImpulseError).location?.sample).toBe('warm/3.csv');
    expect((err as ImpulseError).code).toBe('E_LEARN_BAD_TARGET');
  });
});
