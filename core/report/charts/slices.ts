/** Accuracy (or mean absolute error) per slice of the test split, worst first; int8 as a tick. */
import type { TopLevelSpec } from 'vega-lite';
import type { SliceRow } from '../report-data.js';

export function slicesChart(rows: readonly SliceRow[]): TopLevelSpec {
  const regression = rows.every((r) => r.accuracy === undefined);
  const values = rows.map((r) => ({ slice: r.name, windows: r.windows, value: regression ? r.mae : r.accuracy, int8: r.int8Accuracy }));
  const y = { field: 'slice', type: 'nominal' as const, sort: rows.map((r) => r.name), title: null, axis: { labelLimit: 400 } };
  const x = regression
    ? { field: 'value', type: 'quantitative' as const, title: 'mean absolute error (float32)' }
    : { field: 'value', type: 'quantitative' as const, title: 'accuracy (float32)', scale: { domain: [0, 1] }, axis: { format: '.0%' } };
  return {
    width: 380,
    height: { step: 16 },
    data: { values },
    encoding: { y },
    layer: [
      { mark: { type: 'bar', color: '#4c78a8' }, encoding: { x, tooltip: [{ field: 'windows' }] } },
      ...(values.some((v) => v.int8 !== undefined)
        ? [{ mark: { type: 'tick' as const, color: '#54a24b', thickness: 2 }, encoding: { x: { field: 'int8', type: 'quantitative' as const } } }]
        : []),
      { mark: { type: 'text', align: 'left', dx: 4, fontSize: 10, color: '#555' }, encoding: { x, text: { field: 'windows', type: 'quantitative', format: 'd' } } },
    ],
  } as TopLevelSpec;
}
