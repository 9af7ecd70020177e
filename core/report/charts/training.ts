/** Loss and accuracy per epoch, training vs validation, with the epoch whose weights were kept. */
import type { TopLevelSpec } from 'vega-lite';
import type { HistoryReport } from '../report-data.js';

interface Point {
  readonly epoch: number;
  readonly set: string;
  readonly value: number;
}

function series(h: HistoryReport, train: 'loss' | 'acc', val: 'valLoss' | 'valAcc'): Point[] {
  return h.epochs.flatMap((e) => [
    ...(e[train] !== undefined ? [{ epoch: e.epoch, set: 'training', value: e[train]! }] : []),
    ...(e[val] !== undefined ? [{ epoch: e.epoch, set: 'validation', value: e[val]! }] : []),
  ]);
}

function panel(title: string, values: Point[], best: number, monitor: string) {
  return {
    title,
    width: 300,
    height: 180,
    layer: [
      {
        data: { values },
        mark: { type: 'line' as const, point: values.length <= 40 ? { size: 14 } : false },
        encoding: {
          x: { field: 'epoch', type: 'quantitative' as const, title: 'epoch' },
          y: { field: 'value', type: 'quantitative' as const, title, scale: { zero: false } },
          color: { field: 'set', type: 'nominal' as const, scale: { domain: ['training', 'validation'], range: ['#4c78a8', '#f58518'] }, title: null },
        },
      },
      {
        data: { values: [{ epoch: best, note: `kept epoch ${best} (best ${monitor})` }] },
        mark: { type: 'rule' as const, strokeDash: [4, 3], color: '#666' },
        encoding: { x: { field: 'epoch', type: 'quantitative' as const }, description: { field: 'note' } },
      },
    ],
  };
}

export function trainingChart(h: HistoryReport): TopLevelSpec {
  const loss = series(h, 'loss', 'valLoss');
  const acc = series(h, 'acc', 'valAcc');
  const panels = [panel('loss', loss, h.bestEpoch, h.monitor), ...(acc.length > 0 ? [panel('accuracy', acc, h.bestEpoch, h.monitor)] : [])];
  return { hconcat: panels, resolve: { scale: { color: 'shared' } } } as TopLevelSpec;
}
