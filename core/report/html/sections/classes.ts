/** Precision, recall and F1 per label, float32 and int8. */
import { f1Chart } from '../../charts/classes.js';
import { renderSvg } from '../../charts/render-svg.js';
import type { ClassMetrics } from '../../metrics.js';
import { absent, esc, prose, table } from '../escape.js';
import { count, pct } from '../format.js';
import { learnHeading, metricAttr, type Column, type Section } from '../section.js';

const FIELDS = ['precision', 'recall', 'f1'] as const;

function cells(learnId: string, precision: string, c: ClassMetrics | undefined, column: Column): string[] {
  if (!c) return FIELDS.map(() => '<td class="n">—</td>');
  return FIELDS.map((f) => `<td class="n"${metricAttr(column, `${learnId}/${precision}/${c.label}/${f}`, c[f])}>${pct(c[f])}</td>`);
}

export const classesSection: Section = {
  id: 'per-class',
  title: 'Per-class precision, recall and F1',
  lede: 'Test split only, from the evaluate stage (metrics.json and metrics-int8.json). Support is the number of test windows of the label.',
  async render(data, column) {
    const classifiers = data.learn.filter((l) => l.float32?.task === 'classification');
    if (classifiers.length === 0) return absent(data.learn.length === 0 ? 'The impulse has no learn block in the cache.' : 'No classifier with test metrics: per-class figures apply to classifiers.');
    const parts: string[] = [];
    for (const l of classifiers) {
      const f = l.float32 as Extract<typeof l.float32, { task: 'classification' }>;
      const i = l.int8?.task === 'classification' ? l.int8 : undefined;
      parts.push(learnHeading(l.id, l.type));
      const head = ['label', ...FIELDS.map((x) => `<span class="n">float32 ${x}</span>`), ...(i ? FIELDS.map((x) => `<span class="n">int8 ${x}</span>`) : []), '<span class="n">support</span>'];
      const rows = f.perClass.map((c) => [
        `<td>${esc(c.label)}</td>`,
        ...cells(l.id, 'float32', c, column),
        ...(i ? cells(l.id, 'int8', i.perClass.find((x) => x.label === c.label), column) : []),
        `<td class="n"${metricAttr(column, `${l.id}/float32/${c.label}/support`, c.support)}>${count(c.support)}</td>`,
      ]);
      rows.push([
        '<td><b>accuracy</b></td>',
        `<td class="n" colspan="3"${metricAttr(column, `${l.id}/float32/table-accuracy`, f.accuracy)}><b>${pct(f.accuracy)}</b></td>`,
        ...(i ? [`<td class="n" colspan="3"${metricAttr(column, `${l.id}/int8/table-accuracy`, i.accuracy)}><b>${pct(i.accuracy)}</b></td>`] : []),
        `<td class="n">${count(f.rows)}</td>`,
      ]);
      rows.push([
        '<td>macro F1</td>',
        `<td class="n" colspan="3"${metricAttr(column, `${l.id}/float32/macroF1`, f.macroF1)}>${pct(f.macroF1)}</td>`,
        ...(i ? [`<td class="n" colspan="3"${metricAttr(column, `${l.id}/int8/macroF1`, i.macroF1)}>${pct(i.macroF1)}</td>`] : []),
        '<td></td>',
      ]);
      parts.push(`<div class="row">${table(head, rows, 'per-class')}<div class="chart">${await renderSvg(f1Chart(f.perClass, i?.perClass))}</div></div>`);
      if (!i) parts.push(absent(`No int8 column: ${prose(l.int8Absent ?? 'no int8 evaluation.')}`));
    }
    return parts.join('\n');
  },
};
