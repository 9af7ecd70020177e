import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
/** The compact table printed after `impulse run`: one block per evaluated learn block. */
import pc from 'picocolors';

interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** 12345 → '12,345' (toLocaleString would load ICU data: ~40 ms on the no-op path). */
function thousands(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `model: 1,033 parameters, trained with TF.js wasm` from what the learn block reported. */
export function formatLearnSummary(summary: Readonly<Record<string, string | number>> | undefined): string | undefined {
  if (!summary || Object.keys(summary).length === 0) return undefined;
  const parts: string[] = [];
  if (summary['parameters'] !== undefined) parts.push(`${thousands(Number(summary['parameters']))} parameters`);
  if (summary['backend'] !== undefined) parts.push(`trained with ${summary['backend']}`);
  for (const [k, v] of Object.entries(summary)) if (k !== 'parameters' && k !== 'backend') parts.push(`${k} ${v}`);
  return pc.dim(`  model: ${parts.join(', ')}`);
}

export function formatMetrics(learnId: string, m: Record<string, unknown>, summary?: Readonly<Record<string, string | number>>): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const lines: string[] = [];
  const summaryLine = formatLearnSummary(summary);
  if (m['task'] === 'classification') {
    lines.push(`${pc.bold(learnId)}: test accuracy ${pc.bold(pct(m['accuracy'] as number))} on ${m['rows']} windows (test split)`);
    const per = (m['perClass'] as ClassMetrics[] | undefined) ?? [];
    const w = Math.max(5, ...per.map((c) => c.label.length));
    lines.push(pc.dim(`  ${'label'.padEnd(w)}  precision  recall     f1  support`));
    for (const c of per) lines.push(`  ${c.label.padEnd(w)}  ${pct(c.precision).padStart(9)}  ${pct(c.recall).padStart(6)}  ${pct(c.f1).padStart(5)}  ${String(c.support).padStart(7)}`);
  } else if (m['task'] === 'regression') {
    lines.push(`${pc.bold(learnId)}: MAE ${(m['mae'] as number).toFixed(4)}, RMSE ${(m['rmse'] as number).toFixed(4)} on ${m['rows']} windows (test split)`);
  } else {
    lines.push(`${pc.bold(learnId)}: anomaly scores on ${m['rows']} test windows`);
    lines.push(pc.dim('  ' + JSON.stringify(m['perLabel'] ?? m)));
  }
  if (summaryLine) lines.splice(1, 0, summaryLine);
  return lines.join('\n');
}

/** The int8 model's line under the float32 metrics (the generated C library computes exactly these int8 scores). */
export function formatInt8(m: Record<string, unknown>, changedTopLabel: number | undefined): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  if (m['task'] === 'classification') {
    const changed = changedTopLabel !== undefined ? `; ${changedTopLabel} of ${m['rows']} windows changed their top label` : '';
    return `  int8: test accuracy ${pc.bold(pct(m['accuracy'] as number))}${changed}`;
  }
  if (m['task'] === 'regression') return `  int8: MAE ${(m['mae'] as number).toFixed(4)}, RMSE ${(m['rmse'] as number).toFixed(4)}`;
  return '';
}

/** The evaluate stage's results in `dir` (metrics.json, and metrics-int8.json / precision.json when quantized). */
export function formatEvaluation(learnId: string, dir: string, summary?: Readonly<Record<string, string | number>>): string {
  const read = (f: string) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as Record<string, unknown>;
  const text = formatMetrics(learnId, read('metrics.json'), summary);
  if (!existsSync(path.join(dir, 'metrics-int8.json'))) return text;
  const precision = existsSync(path.join(dir, 'precision.json')) ? (read('precision.json') as { changedTopLabel?: number }) : {};
  const int8 = formatInt8(read('metrics-int8.json'), precision.changedTopLabel);
  if (!int8) return text;
  // after the accuracy line and the model summary, before the per-class table
  const lines = text.split('\n');
  const at = summary && formatLearnSummary(summary) ? 2 : 1;
  lines.splice(at, 0, int8);
  return lines.join('\n');
}
