/** F1 per label, float32 beside int8. */
import type { TopLevelSpec } from 'vega-lite';
import type { ClassMetrics } from '../metrics.js';

export function f1Chart(float32: readonly ClassMetrics[], int8: readonly ClassMetrics[] | undefined): TopLevelSpec {
  const values = [...float32.map((c) => ({ label: c.label, model: 'float32', f1: c.f1 })), ...(int8 ?? []).map((c) => ({ label: c.label, model: 'int8', f1: c.f1 }))];
  return {
    width: 360,
    height: { step: int8 ? 11 : 18 },
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'label', type: 'nominal', sort: float32.map((c) => c.label), title: null },
      yOffset: { field: 'model', type: 'nominal', sort: ['float32', 'int8'] },
      x: { field: 'f1', type: 'quantitative', scale: { domain: [0, 1] }, title: 'F1', axis: { format: '.0%' } },
      color: { field: 'model', type: 'nominal', scale: { domain: ['float32', 'int8'], range: ['#4c78a8', '#54a24b'] }, title: null },
    },
  } as TopLevelSpec;
}
