/** The anomaly score distribution of each anomaly block, per label, with its suggested threshold. */
import { anomalyChart } from '../../charts/anomaly.js';
import { renderSvg } from '../../charts/render-svg.js';
import { absent, esc, prose, table } from '../escape.js';
import { count, num } from '../format.js';
import { learnHeading, metricAttr, type Section } from '../section.js';
import { notComputed } from './features.js';

export const anomalySection: Section = {
  id: 'anomaly',
  title: 'Anomaly scores',
  lede: 'Scores of the test windows per label (higher is more anomalous), from the anomaly blocks; the red line is the threshold the block suggests from its training scores.',
  async render(data, column) {
    const blocks = data.learn.filter((l) => l.task === 'anomaly');
    if (blocks.length === 0) return absent('The impulse has no anomaly block (anomaly-kmeans, anomaly-gmm): there are no anomaly scores.');
    const parts: string[] = [];
    for (const l of blocks) {
      parts.push(learnHeading(l.id, l.type));
      const m = l.float32?.task === 'anomaly' ? l.float32 : undefined;
      if (m) {
        const rows = m.perLabel.map((d) => [
          `<td>${esc(d.label)}</td>`,
          `<td class="n">${count(d.count)}</td>`,
          ...(['min', 'p50', 'p95', 'max', 'mean'] as const).map((k) => `<td class="n"${metricAttr(column, `${l.id}/anomaly/${d.label}/${k}`, d[k])}>${num(d[k])}</td>`),
        ]);
        parts.push(table(['label', '<span class="n">windows</span>', ...['min', 'median', 'p95', 'max', 'mean'].map((h) => `<span class="n">${h}</span>`)], rows));
      }
      const a = l.windows?.anomaly;
      parts.push(a ? `<div class="chart">${await renderSvg(anomalyChart(a))}</div>` : absent(prose(notComputed(column))));
    }
    return parts.join('\n');
  },
};
