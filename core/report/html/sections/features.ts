/** The feature explorer: a 2-D projection of each learn block's test features. */
import { explorerChart } from '../../charts/explorer.js';
import { renderSvg } from '../../charts/render-svg.js';
import { absent, esc, prose, notes } from '../escape.js';
import { count, pct } from '../format.js';
import { learnHeading, type Column, type Section } from '../section.js';

export function notComputed(column: Column): string {
  return column.role === 'baseline'
    ? `Not in the baseline: its report stage is not in the cache.${column.fillHint ? ` ${column.fillHint}` : ''}`
    : 'Not computed.';
}

export const featuresSection: Section = {
  id: 'features',
  title: 'Feature explorer',
  lede: 'The DSP features of every test window, projected on their two principal components (standardized features, computed when the report was generated). Colour is the true label; crosses are windows the float32 model gets wrong. Hover a point for its sample file and window.',
  async render(data, column) {
    if (data.learn.length === 0) return absent('The impulse has no learn block in the cache.');
    const parts: string[] = [];
    for (const l of data.learn) {
      parts.push(learnHeading(l.id, l.type));
      const e = l.windows?.explorer;
      if (!e) {
        parts.push(absent(prose(notComputed(column))));
        continue;
      }
      const wrong = e.points.filter((p) => p.wrong).length;
      const subset = e.points.length < e.total ? ` (an even subset of ${count(e.points.length)} drawn)` : '';
      parts.push(
        `<p>${count(e.total)} test windows${subset} × ${count(e.features)} features; PC1 and PC2 hold ${pct(e.explained[0] + e.explained[1])} of the variance.` +
          (l.task === 'classification' ? ` ${count(wrong)} drawn windows are misclassified.` : '') +
          '</p>',
      );
      parts.push(`<div class="chart" id="explorer-${esc(l.id)}">${await renderSvg(explorerChart(e, l.task, l.labels))}</div>`);
      parts.push(notes(l.windows!.notes));
    }
    return parts.join('\n');
  },
};
