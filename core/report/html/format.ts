/** Numbers as the page prints them (the tests read them back with the same functions). */

/** 0.9712 → "97.1%" */
export function pct(v: number): string {
  return `${(v * 100).toFixed(1)}%`;
}

/** A signed difference in percentage points: +1.3 pp, −0.4 pp, ±0.0 pp. */
export function ppDelta(after: number, before: number): string {
  const d = (after - before) * 100;
  if (Math.abs(d) < 0.05) return '±0.0 pp';
  return `${d > 0 ? '+' : '−'}${Math.abs(d).toFixed(1)} pp`;
}

/** Bytes ("1.2 KB"), milliseconds ("1.52") and counts ("12,345") as the terminal tables print them. */
export { formatBytes as bytes, formatCount as count, formatMs as ms } from '../../util/format-numbers.js';

/** Four significant digits for errors and scores. */
export function num(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(4))) : String(v);
}

/** A relative change: +12.0 %, −3.1 %, or "new" / "—". */
export function relDelta(after: number | undefined, before: number | undefined): string {
  if (after === undefined || before === undefined) return '—';
  if (before === 0) return after === 0 ? '±0' : 'new';
  const d = ((after - before) / before) * 100;
  if (Math.abs(d) < 0.05) return '±0.0 %';
  return `${d > 0 ? '+' : '−'}${Math.abs(d).toFixed(1)} %`;
}
