/** Confusion matrices of the float32 and int8 models side by side, and the windows int8 moved. */
import { confusionChart } from '../../charts/confusion.js';
import { renderSvg } from '../../charts/render-svg.js';
import type { LearnReport, TaskMetrics } from '../../report-data.js';
import { absent, esc, prose, table } from '../escape.js';
import { count, num, pct } from '../format.js';
import { learnHeading, metricAttr, type Column, type Section } from '../section.js';

type Classification = Extract<TaskMetrics, { task: 'classification' }>;

/** The counts as a table too: exact numbers to copy, and what a screen reader reads. */
function countsTable(l: LearnReport, m: Classification, precision: string, column: Column): string {
  const head = ['true ↓ / predicted →', ...l.labels.map((p) => `<span class="n">${esc(p)}</span>`)];
  const rows = l.labels.map((t, i) => [
    `<td>${esc(t)}</td>`,
    ...l.labels.map((p, j) => `<td class="n"${metricAttr(column, `${l.id}/${precision}/confusion/${t}/${p}`, m.confusion[i]![j]!)}>${m.confusion[i]![j]!}</td>`),
  ]);
  return `<details><summary>${precision} counts as a table</summary>${table(head, rows)}</details>`;
}

async function matrix(l: LearnReport, m: Classification, precision: 'float32' | 'int8', column: Column): Promise<string> {
  const title = `${precision}: accuracy ${pct(m.accuracy)} on ${count(m.rows)} test windows`;
  const svg = await renderSvg(confusionChart(title, l.labels, m.confusion));
  return `<div class="chart" data-confusion="${precision}"><span${metricAttr(column, `${l.id}/${precision}/accuracy`, m.accuracy)} hidden>${pct(m.accuracy)}</span>${svg}${countsTable(l, m, precision, column)}</div>`;
}

function changedTable(l: LearnReport): string {
  const changed = l.windows?.changed;
  if (!changed) return l.changedTopLabel !== undefined ? `<p>${count(l.changedTopLabel)} test windows change their top label from float32 to int8.</p>` : '';
  if (changed.total === 0) return '<p id="changed-none">No test window changes its top label from float32 to int8.</p>';
  const rows = changed.shown.map((c) => [`<td><code>${esc(c.sample)}</code></td>`, `<td class="n">${c.window}</td>`, `<td>${esc(c.label)}</td>`, `<td>${esc(c.float32)}</td>`, `<td>${esc(c.int8)}</td>`]);
  return (
    `<h3>Windows whose top label changed with int8: ${count(changed.total)} of ${count(l.windows!.rows)}</h3>` +
    table(['sample file', '<span class="n">window</span>', 'true label', 'float32 says', 'int8 says'], rows, 'changed') +
    (changed.total > changed.shown.length ? `<p class="notes">… and ${count(changed.total - changed.shown.length)} more.</p>` : '')
  );
}

export const confusionSection: Section = {
  id: 'confusion',
  title: 'Confusion matrices: float32 and int8',
  lede: 'Test split only. float32 is the trained model; int8 the quantized model run by the int8 reference interpreter (the arithmetic of the generated C library). Rows are true labels, shaded by the share of their windows.',
  async render(data, column) {
    if (data.learn.length === 0) return absent('The impulse has no learn block in the cache.');
    const parts: string[] = [];
    for (const l of data.learn) {
      parts.push(learnHeading(l.id, l.type));
      if (!l.float32) {
        parts.push(absent(`evaluate:${esc(l.id)} is not in the cache: there are no test metrics.`));
        continue;
      }
      if (l.float32.task === 'regression') {
        const r = l.float32;
        const i8 = l.int8?.task === 'regression' ? l.int8 : undefined;
        parts.push(
          `<p>A regression block has no confusion matrix. float32: MAE <span${metricAttr(column, `${l.id}/float32/mae`, r.mae)}>${num(r.mae)}</span>, RMSE ${num(r.rmse)} on ${count(r.rows)} test windows` +
            (i8 ? `; int8: MAE <span${metricAttr(column, `${l.id}/int8/mae`, i8.mae)}>${num(i8.mae)}</span>, RMSE ${num(i8.rmse)}` : '') +
            '.</p>',
        );
        if (!i8) parts.push(absent(prose(l.int8Absent ?? 'No int8 evaluation.')));
        continue;
      }
      if (l.float32.task !== 'classification') {
        parts.push(absent(`${esc(l.type)} is an anomaly block: its scores are in the anomaly section, it predicts no label.`));
        continue;
      }
      const int8 = l.int8?.task === 'classification' ? l.int8 : undefined;
      const int8Part = int8 ? await matrix(l, int8, 'int8', column) : `<div class="chart" data-confusion="int8">${absent(`No int8 model: ${prose(l.int8Absent ?? 'the impulse has no quantize stage for it.')}`)}</div>`;
      parts.push(`<div class="row">${await matrix(l, l.float32, 'float32', column)}${int8Part}</div>`);
      if (int8) parts.push(changedTable(l));
    }
    return parts.join('\n');
  },
};
