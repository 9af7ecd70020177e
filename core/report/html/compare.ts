/** The compare summary: what changed between the baseline commit and this impulse. */
import { isDeviceReport, type LearnReport, type ReportData } from '../report-data.js';
import type { BaselineView } from './baseline.js';
import { absent, esc, notes, prose, table } from './escape.js';
import { bytes, count, ms, num, pct, ppDelta, relDelta } from './format.js';

interface Row {
  readonly what: string;
  readonly now?: number;
  readonly then?: number;
  readonly show: (v: number) => string;
  /** 'pp' for shares (difference in percentage points), 'rel' for sizes and times. */
  readonly delta: 'pp' | 'rel' | 'abs';
}

function learnRows(id: string, now: LearnReport | undefined, then: LearnReport | undefined): Row[] {
  const acc = (l: LearnReport | undefined, p: 'float32' | 'int8') => {
    const m = l?.[p];
    return m?.task === 'classification' ? m.accuracy : undefined;
  };
  const macro = (l: LearnReport | undefined) => (l?.float32?.task === 'classification' ? l.float32.macroF1 : undefined);
  const mae = (l: LearnReport | undefined) => (l?.float32?.task === 'regression' ? l.float32.mae : undefined);
  const params = (l: LearnReport | undefined) => (typeof l?.summary['parameters'] === 'number' ? (l.summary['parameters'] as number) : undefined);
  const rows: Row[] = [
    { what: `${id}: float32 accuracy`, now: acc(now, 'float32'), then: acc(then, 'float32'), show: pct, delta: 'pp' },
    { what: `${id}: int8 accuracy`, now: acc(now, 'int8'), then: acc(then, 'int8'), show: pct, delta: 'pp' },
    { what: `${id}: macro F1 (float32)`, now: macro(now), then: macro(then), show: pct, delta: 'pp' },
    { what: `${id}: windows changed by int8`, now: now?.changedTopLabel, then: then?.changedTopLabel, show: count, delta: 'abs' },
    { what: `${id}: MAE (float32)`, now: mae(now), then: mae(then), show: num, delta: 'rel' },
    { what: `${id}: parameters`, now: params(now), then: params(then), show: count, delta: 'rel' },
    { what: `${id}: float32 weights`, now: now?.modelBytes?.float32, then: then?.modelBytes?.float32, show: bytes, delta: 'rel' },
    { what: `${id}: int8 weights`, now: now?.modelBytes?.int8, then: then?.modelBytes?.int8, show: bytes, delta: 'rel' },
  ];
  return rows.filter((r) => r.now !== undefined || r.then !== undefined);
}

function deviceRows(now: ReportData, then: ReportData): Row[] {
  const dn = isDeviceReport(now.device) ? now.device : undefined;
  const dt = isDeviceReport(then.device) ? then.device : undefined;
  const rows: Row[] = [
    { what: 'latency per window, estimated (ms)', now: dn?.total?.estimated?.ms, then: dt?.total?.estimated?.ms, show: ms, delta: 'rel' },
    { what: 'latency per window, measured (ms)', now: dn?.total?.measured?.ms, then: dt?.total?.measured?.ms, show: ms, delta: 'rel' },
    { what: `RAM needed (${dn?.fit?.basis ?? dt?.fit?.basis ?? 'estimated'})`, now: dn?.fit?.ramBytes, then: dt?.fit?.ramBytes, show: bytes, delta: 'rel' },
    { what: `flash needed (${dn?.fit?.basis ?? dt?.fit?.basis ?? 'estimated'})`, now: dn?.fit?.flashBytes, then: dt?.fit?.flashBytes, show: bytes, delta: 'rel' },
  ];
  return rows.filter((r) => r.now !== undefined || r.then !== undefined);
}

function datasetRows(now: ReportData, then: ReportData): Row[] {
  const files = (d: ReportData) => d.dataset?.samples.reduce((a, c) => a + c.training + c.testing, 0);
  const test = (d: ReportData) => d.dataset?.windows?.reduce((a, c) => a + c.testing, 0);
  const skipped = (d: ReportData) => d.dataset?.skipped.length;
  return [
    { what: 'sample files', now: files(now), then: files(then), show: count, delta: 'abs' as const },
    { what: 'test windows', now: test(now), then: test(then), show: count, delta: 'abs' as const },
    { what: 'skipped files', now: skipped(now), then: skipped(then), show: count, delta: 'abs' as const },
  ].filter((r) => r.now !== undefined || r.then !== undefined);
}

function deltaText(r: Row): string {
  if (r.now === undefined || r.then === undefined) return '—';
  if (r.delta === 'pp') return ppDelta(r.now, r.then);
  if (r.delta === 'rel') return relDelta(r.now, r.then);
  const d = r.now - r.then;
  return d === 0 ? '±0' : `${d > 0 ? '+' : '−'}${count(Math.abs(d))}`;
}

export function compareSummary(now: ReportData, baseline: BaselineView): string {
  const then = baseline.data;
  const ids = [...new Set([...now.learn.map((l) => l.id), ...then.learn.map((l) => l.id)])];
  const rows = [...ids.flatMap((id) => learnRows(id, now.learn.find((l) => l.id === id), then.learn.find((l) => l.id === id))), ...deviceRows(now, then), ...datasetRows(now, then)];
  const figures = table(
    ['', '<span class="n">this impulse</span>', `<span class="n">${esc(baseline.ref)}</span>`, '<span class="n">change</span>'],
    rows.map((r) => [`<td>${esc(r.what)}</td>`, `<td class="n">${r.now !== undefined ? r.show(r.now) : '—'}</td>`, `<td class="n">${r.then !== undefined ? r.show(r.then) : '—'}</td>`, `<td class="n" data-delta="${esc(r.what)}">${deltaText(r)}</td>`]),
    'compare-figures',
  );
  const changed = baseline.changes.filter((c) => c.change !== 'unchanged');
  const stages =
    changed.length === 0
      ? '<p>Every stage has the same cache key as at the baseline: nothing that the pipeline computes changed.</p>'
      : table(
          ['stage', 'change', 'why (cache key parts)'],
          changed.map((c) => [`<td>${esc(c.stage)}</td>`, `<td>${c.change}</td>`, `<td>${c.reasons.map(esc).join('<br>') || '—'}</td>`]),
          'compare-stages',
        );
  const missing =
    baseline.missing.length === 0
      ? ''
      : absent(`${count(baseline.missing.length)} stage${baseline.missing.length === 1 ? '' : 's'} of ${esc(baseline.ref)} ${baseline.missing.length === 1 ? 'is' : 'are'} not in this cache: ${baseline.missing.map(esc).join(', ')}. Their figures are left out. ${prose(baseline.fillHint)}`);
  const partial = baseline.fromReport ? '' : `<p class="notes">The baseline column is read from ${esc(baseline.ref)}'s stage outputs (its report stage is not in the cache): the feature explorer, slices and changed windows are shown for this impulse only.</p>`;
  return `<p>Compared with <b>${esc(baseline.ref)}</b> (commit <code>${esc(baseline.commit)}</code>): its impulse.lock names the cache entries of the right-hand column.</p>${missing}${notes(then.notes)}${partial}<h3>Figures</h3>${figures}<h3>Stages</h3>${stages}`;
}
