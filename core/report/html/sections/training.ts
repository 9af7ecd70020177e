/** Training curves per learn block: loss and accuracy per epoch, training vs validation. */
import { renderSvg } from '../../charts/render-svg.js';
import { trainingChart } from '../../charts/training.js';
import { absent, esc, prose } from '../escape.js';
import { count, num, pct } from '../format.js';
import { learnHeading, type Section } from '../section.js';

export const trainingSection: Section = {
  id: 'training',
  title: 'Training',
  lede: 'Loss and accuracy per epoch on the training windows and on the validation windows held out from them (never the test split); the dashed line is the epoch whose weights were kept.',
  async render(data) {
    if (data.learn.length === 0) return absent('The impulse has no learn block in the cache.');
    const parts: string[] = [];
    for (const l of data.learn) {
      parts.push(learnHeading(l.id, l.type));
      const facts = Object.entries(l.summary).map(([k, v]) => `${esc(k)} ${esc(typeof v === 'number' ? count(v) : v)}`);
      if (facts.length > 0) parts.push(`<p>${facts.join(' · ')}</p>`);
      if (!l.history) {
        parts.push(absent(prose(l.noHistory ?? 'No training history.')));
        continue;
      }
      const h = l.history;
      const last = h.epochs[h.epochs.length - 1]!;
      const best = h.epochs.find((e) => e.epoch === h.bestEpoch) ?? last;
      const bestText = [`loss ${num(best.loss)}`, best.valLoss !== undefined ? `validation loss ${num(best.valLoss)}` : '', best.acc !== undefined ? `accuracy ${pct(best.acc)}` : '', best.valAcc !== undefined ? `validation accuracy ${pct(best.valAcc)}` : '']
        .filter(Boolean)
        .join(', ');
      parts.push(`<p>${h.epochs.length} epochs${h.stoppedEarly ? ' (stopped early)' : ''}; kept epoch ${h.bestEpoch} (by ${esc(h.monitor)}): ${bestText}.</p>`);
      parts.push(`<div class="chart">${await renderSvg(trainingChart(h))}</div>`);
    }
    return parts.join('\n');
  },
};
