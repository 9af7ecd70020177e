/** On the device: per block latency, RAM and flash, estimated and measured, and whether it fits. */
import { deviceChart } from '../../charts/device.js';
import { renderSvg } from '../../charts/render-svg.js';
import { isDeviceReport, type MemoryFigures } from '../../report-data.js';
import { absent, esc, prose, notes, table } from '../escape.js';
import { bytes, count, ms } from '../format.js';
import type { Section } from '../section.js';

const cell = (v: string | undefined) => `<td class="n">${v ?? '—'}</td>`;

/** profile.json's memory kinds in words; a kind not listed here is shown by its key. */
const MEMORY_KINDS: Readonly<Record<string, string>> = {
  arena: 'arena (activations)',
  staticData: 'static data (.data + .bss, arena included)',
  stack: 'stack',
  total: 'total',
  code: 'code',
  constants: 'constants (tables)',
  weights: 'weights',
  libc: 'C library',
};

function memoryRows(what: string, figures: { estimated?: MemoryFigures; measured?: MemoryFigures } | undefined): string[][] {
  if (!figures) return [];
  const keys = [...new Set([...Object.keys(figures.estimated ?? {}), ...Object.keys(figures.measured ?? {})])];
  return keys.map((k) => [`<td>${what} ${esc(MEMORY_KINDS[k] ?? k)}</td>`, cell(figures.estimated?.[k] !== undefined ? bytes(figures.estimated[k]!) : undefined), cell(figures.measured?.[k] !== undefined ? bytes(figures.measured[k]!) : undefined)]);
}

export const deviceSection: Section = {
  id: 'device',
  title: 'On the device',
  lede: 'From the profile stage: estimated figures come from the cost model (instant); measured ones from running the generated C library on an emulated Cortex-M4F (QEMU, counted instructions). Each number says which it is.',
  async render(data) {
    const d = data.device;
    if (!isDeviceReport(d)) return absent(prose(d.absent));
    const dev = d.device;
    const parts: string[] = [];
    const capacity = [dev.clockHz ? `${count(dev.clockHz / 1e6)} MHz` : '', dev.ramBytes ? `${bytes(dev.ramBytes)} RAM` : '', dev.flashBytes ? `${bytes(dev.flashBytes)} flash` : ''].filter(Boolean).join(', ');
    parts.push(`<p><b>${esc(dev.name)}</b>${capacity ? ` (${capacity})` : ''}${dev.description ? ` — ${esc(dev.description)}` : ''}</p>`);
    if (d.fit) {
      const ok = d.fit.fitsRam !== false && d.fit.fitsFlash !== false;
      const what = [d.fit.ramBytes !== undefined ? `${bytes(d.fit.ramBytes)} RAM` : '', d.fit.flashBytes !== undefined ? `${bytes(d.fit.flashBytes)} flash` : ''].filter(Boolean).join(' and ');
      parts.push(
        `<p id="device-fit" class="${ok ? 'good' : 'bad'}"><b>${ok ? 'Fits' : 'Does not fit'}</b>: the impulse needs ${what}` +
          `${d.fit.basis ? ` (${esc(d.fit.basis)})` : ''}${d.fit.fitsRam === false ? ' — more RAM than the device has' : ''}${d.fit.fitsFlash === false ? ' — more flash than the device has' : ''}.</p>`,
      );
    }
    const blockRows = d.blocks.map((b) => [
      `<td>${esc(b.id)}</td>`,
      `<td>${esc([b.kind, b.type].filter(Boolean).join(' · '))}</td>`,
      cell(b.estimated ? `${ms(b.estimated.ms)}${b.estimated.calibrated === false ? '*' : ''}` : undefined),
      cell(b.measured ? ms(b.measured.ms) : undefined),
      cell(b.measured?.instructions !== undefined ? count(b.measured.instructions) : undefined),
      cell(b.measured?.stackBytes !== undefined ? bytes(b.measured.stackBytes) : undefined),
    ]);
    if (d.total) blockRows.push(['<td><b>total</b></td>', '<td></td>', cell(d.total.estimated ? `<b>${ms(d.total.estimated.ms)}</b>${d.total.estimated.msWithWaitStates !== undefined ? ` (${ms(d.total.estimated.msWithWaitStates)} with flash wait states)` : ''}` : undefined), cell(d.total.measured ? `<b>${ms(d.total.measured.ms)}</b>` : undefined), '<td></td>', '<td></td>']);
    parts.push(`<div class="row">${table(['block', 'kind', '<span class="n">ms estimated</span>', '<span class="n">ms measured</span>', '<span class="n">instructions (measured)</span>', '<span class="n">stack (measured)</span>'], blockRows, 'device-blocks')}`);
    const chart = deviceChart(d);
    parts.push(chart ? `<div class="chart">${await renderSvg(chart)}</div></div>` : '</div>');
    if (d.blocks.some((b) => b.estimated?.calibrated === false)) parts.push('<p class="notes">* estimated with a default cost row (not calibrated for this operation).</p>');
    const memory = [...memoryRows('RAM', d.ram), ...memoryRows('flash', d.flash)];
    if (memory.length > 0) {
      parts.push('<p>RAM and flash are figures of the whole library (the profile does not split them per block): by kind of memory, estimated and measured (from the linked firmware and stack painting).</p>');
      parts.push(table(['memory', '<span class="n">estimated</span>', '<span class="n">measured</span>'], memory, 'device-memory'));
    }
    if (d.measurement) parts.push(`<p>Measured on ${esc(d.measurement.source ?? `${d.measurement.windows ?? '?'} windows`)}${d.measurement.outputCheck ? `; ${esc(d.measurement.outputCheck)}` : ''}.</p>`);
    else parts.push('<p class="notes">Not measured (estimates only): set <code>device: { name: …, measure: true }</code> to measure on an emulated Cortex-M4F.</p>');
    parts.push(notes(d.notes));
    return parts.join('\n');
  },
};
