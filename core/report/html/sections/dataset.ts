/** The dataset: samples and windows per label and split, and every skipped file with its reason. */
import { datasetChart } from '../../charts/dataset.js';
import { renderSvg } from '../../charts/render-svg.js';
import { absent, esc, table } from '../escape.js';
import { count } from '../format.js';
import type { Section } from '../section.js';

/** Skipped files listed by name; the count is always exact. */
const SKIPPED_SHOWN = 200;

export const datasetSection: Section = {
  id: 'dataset',
  title: 'Dataset',
  lede: 'Sample files and the windows cut from them, per label and split; files the input block could not use.',
  async render(data) {
    const d = data.dataset;
    if (!d) return absent('The data stage is not in the cache.');
    const facts = [
      d.source !== undefined ? `source <code>${esc(d.source)}</code>` : undefined,
      d.split?.test !== undefined ? `test share ${d.split.test}` : undefined,
      d.split?.groupBy ? `grouped by <code>${esc(d.split.groupBy)}</code>` : undefined,
      d.windowShape ? `${d.kind === 'image' ? 'images' : 'windows'} of [${d.windowShape.join('×')}]${d.frequency ? ` at ${d.frequency} Hz` : ''}` : undefined,
      d.onError ? `data.onError: ${d.onError}` : undefined,
    ].filter(Boolean);
    const rows = d.labels.map((label) => {
      const s = d.samples.find((c) => c.label === label);
      const w = d.windows?.find((c) => c.label === label);
      return [`<td>${esc(label)}</td>`, ...[s?.training, s?.testing, w?.training, w?.testing].map((v) => `<td class="n">${v === undefined ? '—' : count(v)}</td>`)];
    });
    const total = (pick: (c: { training: number; testing: number }) => number, list?: readonly { training: number; testing: number }[]) => (list ? count(list.reduce((a, c) => a + pick(c), 0)) : '—');
    rows.push([
      '<td><b>total</b></td>',
      ...[total((c) => c.training, d.samples), total((c) => c.testing, d.samples), total((c) => c.training, d.windows), total((c) => c.testing, d.windows)].map((v) => `<td class="n"><b>${v}</b></td>`),
    ]);
    const unit = d.kind === 'image' ? 'images' : 'windows';
    const counts = table(['label', 'files: training', 'files: testing', `${unit}: training`, `${unit}: testing`].map((h, i) => (i === 0 ? h : `<span class="n">${h}</span>`)), rows, 'counts');
    const chart = `<div class="chart">${await renderSvg(datasetChart(d))}</div>`;
    const skipped =
      d.skipped.length === 0
        ? `<p id="skipped-none">No file was skipped${d.onError === 'stop' ? ' (data.onError: stop: a bad file stops the run)' : ''}.</p>`
        : `<h3 id="skipped">Skipped: ${count(d.skipped.length)} file${d.skipped.length === 1 ? '' : 's'} (data.onError: skip)</h3>` +
          table(
            ['file', 'reason'],
            d.skipped.slice(0, SKIPPED_SHOWN).map((s) => [`<td data-skipped="${esc(s.sample)}"><code>${esc(s.sample)}</code></td>`, `<td>${esc(s.reason)}</td>`]),
          ) +
          (d.skipped.length > SKIPPED_SHOWN ? `<p class="notes">… and ${count(d.skipped.length - SKIPPED_SHOWN)} more.</p>` : '');
    return `<p>${facts.join(' · ')}</p><div class="row">${counts}${chart}</div>${skipped}`;
  },
};
