/** Milliseconds per block on the device, estimated beside measured. */
import type { TopLevelSpec } from 'vega-lite';
import type { DeviceReport } from '../report-data.js';

export function deviceChart(d: DeviceReport): TopLevelSpec | undefined {
  const values = d.blocks.flatMap((b) => [
    ...(b.estimated ? [{ block: b.id, basis: 'estimated', ms: b.estimated.ms }] : []),
    ...(b.measured ? [{ block: b.id, basis: 'measured', ms: b.measured.ms }] : []),
  ]);
  if (values.length === 0) return undefined;
  const bases = ['estimated', 'measured'].filter((b) => values.some((v) => v.basis === b));
  return {
    width: 380,
    height: { step: 14 },
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'block', type: 'nominal', sort: d.blocks.map((b) => b.id), title: null },
      yOffset: { field: 'basis', type: 'nominal', sort: bases },
      x: { field: 'ms', type: 'quantitative', title: `ms per window on ${d.device.name}` },
      color: { field: 'basis', type: 'nominal', scale: { domain: bases, range: bases.map((b) => (b === 'estimated' ? '#9ecae9' : '#4c78a8')) }, title: null },
    },
  } as TopLevelSpec;
}
