/**
 * The feature explorer: test windows on the first two principal components of their features,
 * coloured by label, misclassified ones drawn as crosses; hovering a point names its sample file
 * and window (the SVG carries it as the point's aria-label; the page's few lines of script show it).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ExplorerReport } from '../report-data.js';

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

export function explorerChart(e: ExplorerReport, task: 'classification' | 'regression' | 'anomaly', labels: readonly string[]): TopLevelSpec {
  const values = e.points.map((p) => ({
    x: p.x,
    y: p.y,
    label: task === 'regression' ? Number(p.label) : p.label,
    outcome: p.wrong ? 'misclassified' : 'correct',
    tip: `${p.sample} · window ${p.window} · ${task === 'regression' ? 'value' : 'label'} ${p.label}${p.predicted !== undefined ? ` · predicted ${p.predicted}` : ''}`,
  }));
  const color =
    task === 'regression'
      ? { field: 'label', type: 'quantitative' as const, scale: { scheme: 'viridis' }, title: 'value' }
      : { field: 'label', type: 'nominal' as const, scale: { domain: labels as string[] }, title: 'label' };
  return {
    width: 520,
    height: 380,
    data: { values },
    mark: { type: 'point', filled: true, opacity: 0.75 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: `PC1 (${pct(e.explained[0])} of the variance)`, scale: { zero: false } },
      y: { field: 'y', type: 'quantitative', title: `PC2 (${pct(e.explained[1])})`, scale: { zero: false } },
      color,
      shape: { field: 'outcome', type: 'nominal', scale: { domain: ['correct', 'misclassified'], range: ['circle', 'cross'] }, title: null },
      size: { condition: { test: "datum.outcome === 'misclassified'", value: 70 }, value: 22 },
      order: { field: 'outcome', sort: 'ascending' },
      description: { field: 'tip' },
    },
  } as TopLevelSpec;
}
