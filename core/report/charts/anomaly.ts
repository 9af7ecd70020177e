/** Anomaly scores of the test windows per label, with the block's suggested threshold. */
import type { TopLevelSpec } from 'vega-lite';
import type { AnomalyScores } from '../report-data.js';

export function anomalyChart(a: AnomalyScores): TopLevelSpec {
  const values = a.byLabel.flatMap((l) => l.scores.map((score) => ({ label: l.label, score })));
  const layers: unknown[] = [
    {
      data: { values },
      mark: { type: 'bar', opacity: 0.85 },
      encoding: {
        x: { field: 'score', type: 'quantitative', bin: { maxbins: 40 }, title: 'anomaly score' },
        y: { aggregate: 'count', type: 'quantitative', title: 'test windows', stack: 'zero' },
        color: { field: 'label', type: 'nominal', title: 'label' },
      },
    },
  ];
  if (a.threshold) {
    const note = `suggested threshold ${a.threshold.value.toPrecision(4)}${a.threshold.percentile !== undefined ? ` (p${a.threshold.percentile} of the training scores)` : ''}`;
    layers.push({ data: { values: [{ score: a.threshold.value, note }] }, mark: { type: 'rule', color: '#d62728', strokeDash: [5, 3], strokeWidth: 2 }, encoding: { x: { field: 'score', type: 'quantitative' }, description: { field: 'note' } } });
  }
  return { width: 480, height: 200, layer: layers } as TopLevelSpec;
}
