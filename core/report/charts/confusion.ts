/** A confusion matrix: true label down, predicted across, shaded by the share of the true label's windows. */
import type { TopLevelSpec } from 'vega-lite';

export function confusionChart(title: string, labels: readonly string[], confusion: readonly (readonly number[])[]): TopLevelSpec {
  const values = labels.flatMap((t, i) => {
    const support = confusion[i]!.reduce((a, b) => a + b, 0);
    return labels.map((p, j) => {
      const count = confusion[i]![j]!;
      const share = support > 0 ? count / support : 0;
      return { true: t, predicted: p, count, share, tip: `true ${t}, predicted ${p}: ${count} window${count === 1 ? '' : 's'} (${(share * 100).toFixed(1)}% of ${t})` };
    });
  });
  const step = Math.max(22, Math.min(48, Math.floor(360 / Math.max(1, labels.length))));
  const axis = { sort: labels as string[], type: 'nominal' as const };
  return {
    title,
    width: { step },
    height: { step },
    data: { values },
    encoding: {
      x: { field: 'predicted', ...axis, title: 'predicted', axis: { labelAngle: -40, orient: 'top' } },
      y: { field: 'true', ...axis, title: 'true label' },
    },
    layer: [
      { mark: { type: 'rect' }, encoding: { color: { field: 'share', type: 'quantitative', scale: { scheme: 'blues', domain: [0, 1] }, title: 'share of row', legend: null }, description: { field: 'tip' } } },
      {
        // The counts are the rect's hover text already; big matrices leave zero cells blank.
        ...(labels.length > 12 ? { transform: [{ filter: 'datum.count > 0' }] } : {}),
        mark: { type: 'text', fontSize: labels.length > 12 ? 9 : 11, aria: false },
        encoding: {
          text: { field: 'count', type: 'quantitative' },
          color: { condition: { test: 'datum.share > 0.55', value: 'white' }, value: '#222' },
        },
      },
    ],
  } as TopLevelSpec;
}
