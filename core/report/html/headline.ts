/** The figures at the top of the page: what a reviewer looks at first. */
import { isDeviceReport, type ReportData } from '../report-data.js';
import { esc } from './escape.js';
import { bytes, count, ms, num, pct } from './format.js';

function figure(value: string, caption: string, attr = ''): string {
  return `<div><b${attr}>${value}</b><span>${caption}</span></div>`;
}

export function headline(data: ReportData): string {
  const items: string[] = [];
  for (const l of data.learn) {
    const f = l.float32;
    if (f?.task === 'classification') {
      items.push(figure(pct(f.accuracy), `${esc(l.id)}: float32 test accuracy (${count(f.rows)} windows)`, ` data-headline="${esc(l.id)}/float32/accuracy" data-value="${f.accuracy}"`));
      if (l.int8?.task === 'classification') items.push(figure(pct(l.int8.accuracy), `${esc(l.id)}: int8 test accuracy`, ` data-headline="${esc(l.id)}/int8/accuracy" data-value="${l.int8.accuracy}"`));
      else items.push(figure('—', `${esc(l.id)}: no int8 model`));
      if (l.changedTopLabel !== undefined) items.push(figure(count(l.changedTopLabel), 'windows change label with int8'));
    } else if (f?.task === 'regression') {
      items.push(figure(num(f.mae), `${esc(l.id)}: float32 test MAE`));
    } else if (f?.task === 'anomaly') {
      items.push(figure(count(f.rows), `${esc(l.id)}: test windows scored`));
    }
    const params = l.summary['parameters'];
    if (typeof params === 'number') items.push(figure(count(params), `${esc(l.id)}: parameters`));
    if (l.modelBytes?.int8 !== undefined) items.push(figure(bytes(l.modelBytes.int8), `${esc(l.id)}: int8 weights`));
  }
  const d = data.device;
  if (isDeviceReport(d)) {
    const latency = d.total?.measured ? `${ms(d.total.measured.ms)} ms` : d.total?.estimated ? `${ms(d.total.estimated.ms)} ms` : undefined;
    if (latency) items.push(figure(latency, `per window on ${esc(d.device.name)} (${d.total?.measured ? 'measured' : 'estimated'})`));
    if (d.fit) items.push(figure(d.fit.fitsRam !== false && d.fit.fitsFlash !== false ? 'fits' : 'does not fit', `${d.fit.ramBytes !== undefined ? `${bytes(d.fit.ramBytes)} RAM, ` : ''}${d.fit.flashBytes !== undefined ? `${bytes(d.fit.flashBytes)} flash` : ''}`));
  } else {
    items.push(figure('—', 'no device profile'));
  }
  if (data.dataset && data.dataset.skipped.length > 0) items.push(figure(count(data.dataset.skipped.length), 'files skipped (see dataset)'));
  return `<div class="headline">${items.join('')}</div>`;
}
