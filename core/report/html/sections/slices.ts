/** Per-slice accuracy: the test windows grouped by speaker, session or recording. */
import { renderSvg } from '../../charts/render-svg.js';
import { slicesChart } from '../../charts/slices.js';
import { absent, esc, prose, table } from '../escape.js';
import { count, num, pct } from '../format.js';
import { learnHeading, type Section } from '../section.js';
import { notComputed } from './features.js';

/** Slices in the chart, worst first. */
const CHARTED = 30;

export const slicesSection: Section = {
  id: 'slices',
  title: 'Per-slice accuracy',
  lede: 'Test windows grouped by the data\'s groups (data.split.groupBy, e.g. a speaker) or by sample file, worst first: where the model fails on a whole recording or speaker. Bars are float32, ticks int8; numbers are windows per slice.',
  async render(data, column) {
    if (data.learn.length === 0) return absent('The impulse has no learn block in the cache.');
    const parts: string[] = [];
    for (const l of data.learn) {
      parts.push(learnHeading(l.id, l.type));
      if (l.task === 'anomaly') {
        parts.push(absent('An anomaly block has no accuracy; its scores per label are in the anomaly section.'));
        continue;
      }
      if (!l.windows) {
        parts.push(absent(prose(notComputed(column))));
        continue;
      }
      const s = l.windows.slices;
      if (!s) {
        parts.push(absent('Most test samples are a single window: per-slice accuracy would be per-window accuracy. Set <code>data.split.groupBy</code> to slice by speaker, session …'));
        continue;
      }
      const shown = s.slices.slice(0, CHARTED);
      const perfect = s.slices.filter((r) => r.accuracy === 1).length;
      parts.push(
        `<p>Sliced by ${esc(s.by)}: ${count(s.total)} slices in the test split` +
          (l.task === 'classification' ? `, ${count(perfect)}${s.slices.length < s.total ? '+' : ''} of them without an error` : '') +
          `; the ${count(shown.length)} worst are drawn.</p>`,
      );
      parts.push(`<div class="chart">${await renderSvg(slicesChart(shown))}</div>`);
      const rows = s.slices.map((r) => [
        `<td><code>${esc(r.name)}</code></td>`,
        `<td class="n">${count(r.windows)}</td>`,
        `<td class="n">${r.accuracy !== undefined ? pct(r.accuracy) : r.mae !== undefined ? num(r.mae) : '—'}</td>`,
        ...(r.int8Accuracy !== undefined ? [`<td class="n">${pct(r.int8Accuracy)}</td>`] : []),
      ]);
      const head = ['slice', '<span class="n">windows</span>', `<span class="n">${l.task === 'regression' ? 'MAE' : 'float32 accuracy'}</span>`, ...(s.slices.some((r) => r.int8Accuracy !== undefined) ? ['<span class="n">int8 accuracy</span>'] : [])];
      parts.push(`<details><summary>all ${count(s.slices.length)} slices${s.slices.length < s.total ? ' kept (the worst)' : ''} as a table</summary>${table(head, rows)}</details>`);
    }
    return parts.join('\n');
  },
};
