/** Windows (or samples) per label, training and testing stacked. */
import type { TopLevelSpec } from 'vega-lite';
import type { DatasetReport } from '../report-data.js';

export function datasetChart(d: DatasetReport): TopLevelSpec {
  const counts = d.windows ?? d.samples;
  const unit = d.windows ? (d.kind === 'image' ? 'images' : 'windows') : 'samples';
  const values = counts.flatMap((c) => [
    { label: c.label, split: 'training', count: c.training },
    { label: c.label, split: 'testing', count: c.testing },
  ]);
  return {
    width: 420,
    height: { step: 22 },
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'label', type: 'nominal', sort: d.labels as string[], title: null },
      x: { field: 'count', type: 'quantitative', stack: 'zero', title: unit },
      color: { field: 'split', type: 'nominal', scale: { domain: ['training', 'testing'], range: ['#4c78a8', '#f58518'] }, title: null },
      order: { field: 'split', sort: 'descending' },
    },
  };
}
