/**
 * Anomaly blocks on held-back classes of the shared sklearn 8×8 digits: trained on the features of
 * digits 0, 1, 2 (training rows only), a digit never seen (7) must score higher on average than
 * the testing rows of the normal digits.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TensorSet } from '../../core/artifact/types.js';
import type { LearnBlock } from '../../core/plugin/types.js';
import { anomalyMetrics } from '../../core/report/metrics.js';
import { datasetsDir, requireShared } from '../../test/support/shared.js';
import anomalyGmm from './anomaly-gmm/index.js';
import anomalyKmeans from './anomaly-kmeans/index.js';
import { digitsRows, tensorSet, testContext } from './common/testing.js';

const csv = path.join(datasetsDir, 'sklearn_digits8x8', 'digits.csv');

describe.each([
  ['anomaly-kmeans', anomalyKmeans as unknown as LearnBlock, { clusters: 8 }, 'kmeans.json'],
  ['anomaly-gmm', anomalyGmm as unknown as LearnBlock, { components: 4 }, 'gmm.json'],
] as const)('%s on held-back digits', (_name, block, params, file) => {
  let data: TensorSet;
  beforeAll(() => {
    requireShared();
    // The unseen digit's rows are all testing rows: the block must not see them anyway.
    const rows = digitsRows(csv, ['0', '1', '2', '7']).map((r) => (r.label === '7' ? { ...r, split: 'testing' as const } : r));
    data = tensorSet([64], rows);
  });

  it('scores an unseen class higher than normal testing rows, and is deterministic', async () => {
    const ctx = testContext(7);
    const p = { ...params, labels: ['0', '1', '2'] } as never;
    await block.train(ctx, data, p);
    const model = JSON.parse(readFileSync(path.join(ctx.outDir, file), 'utf8'));
    expect(model.threshold).toBeGreaterThan(model.trainingScores.p50);
    expect(model.thresholdPercentile).toBe(99);

    const scores = await block.predict(ctx, ctx.outDir, data, p);
    expect(scores.length).toBe(data.rows.length);
    const test = data.rows.flatMap((r, i) => (r.split === 'testing' ? [i] : []));
    const m = anomalyMetrics(
      data.labels,
      test.map((i) => data.labels.indexOf(data.rows[i]!.label)),
      Float32Array.from(test, (i) => scores[i]!),
    );
    const byLabel = Object.fromEntries(m.perLabel.map((d) => [d.label, d]));
    const normalMean = (byLabel['0']!.mean * byLabel['0']!.count + byLabel['1']!.mean * byLabel['1']!.count + byLabel['2']!.mean * byLabel['2']!.count) /
      (byLabel['0']!.count + byLabel['1']!.count + byLabel['2']!.count);
    expect(byLabel['7']!.mean).toBeGreaterThan(normalMean * 1.2);
    // most unseen rows score above the 95th percentile of the normal testing rows
    const normal = test.filter((i) => data.rows[i]!.label !== '7').map((i) => scores[i]!).sort((a, b) => a - b);
    const p95 = normal[Math.floor(0.95 * (normal.length - 1))]!;
    const flagged = test.filter((i) => data.rows[i]!.label === '7' && scores[i]! > p95).length;
    expect(flagged / byLabel['7']!.count).toBeGreaterThan(0.5);

    const again = testContext(7);
    await block.train(again, data, p);
    expect(readFileSync(path.join(again.outDir, file), 'utf8')).toBe(readFileSync(path.join(ctx.outDir, file), 'utf8'));
  });
});
