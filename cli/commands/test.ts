/**
 * `impulse test [impulse] [--data DIR]`: metrics of the trained learn blocks on the test split
 * (the evaluate stage's cached results), or on any folder of labelled samples, which are decoded,
 * windowed and featurized exactly as in training (core/run/inference.ts).
 */
import path from 'node:path';
import pc from 'picocolors';
import type { SkippedSample } from '../../core/plugin/types.js';
import {
  checkKnownLabels,
  decodeSamples,
  infer,
  labelledFolder,
  loadTrained,
  metricsOf,
  testSplitMetrics,
  type LearnMetrics,
} from '../../core/run/inference.js';
import { displayPath } from '../../core/spec/load.js';
import { loadForCli, printJson } from '../load.js';
import { formatMetrics } from '../view/metrics-table.js';

export interface TestCliOptions {
  data?: string;
  json?: boolean;
}

export type TestSource = { kind: 'test-split' } | { kind: 'folder'; dir: string; samples: number; skipped: readonly SkippedSample[] };

export interface TestReport {
  readonly impulse: string;
  readonly source: TestSource;
  /** Per learn block: the evaluate stage's metrics.json format ({ task, rows, accuracy, macroF1, perClass, confusion } for classification). */
  readonly learn: Record<string, LearnMetrics>;
}

export async function testCommand(target: string, opts: TestCliOptions): Promise<void> {
  const impulse = await loadForCli(target);
  const x = await loadTrained(impulse);
  const learn: Record<string, LearnMetrics> = {};
  let source: TestSource;
  if (opts.data !== undefined) {
    const { index, dataRoot } = await labelledFolder(impulse, opts.data);
    for (const l of x.learn) if (l.task === 'classification') checkKnownLabels(index.samples, l);
    const { set, skipped } = await decodeSamples(x, index, dataRoot, impulse.spec.data.onError);
    const { scores } = await infer(x, set);
    for (const l of x.learn) learn[l.id] = metricsOf(l, set.rows, scores.get(l.id)!);
    source = { kind: 'folder', dir: displayPath(path.resolve(opts.data)), samples: index.samples.length - skipped.length, skipped };
  } else {
    for (const l of x.learn) learn[l.id] = (await testSplitMetrics(x, l)).metrics;
    source = { kind: 'test-split' };
  }
  const report: TestReport = { impulse: impulse.spec.name, source, learn };
  if (opts.json) {
    printJson(report);
    return;
  }
  process.stdout.write(formatTestReport(report, Object.fromEntries(x.learn.flatMap((l) => (l.summary ? [[l.id, l.summary]] : [])))));
}

/** The metrics tables (as after `impulse run`) with the confusion matrices; `summaries`: what each learn block reported. */
export function formatTestReport(report: TestReport, summaries: Record<string, Readonly<Record<string, string | number>>> = {}): string {
  const { source } = report;
  const where = source.kind === 'test-split' ? 'test split' : `${source.dir}: ${source.samples} sample${source.samples === 1 ? '' : 's'}`;
  const out: string[] = [];
  for (const [id, m] of Object.entries(report.learn)) {
    const lines = formatMetrics(id, m, summaries[id]).split('\n');
    lines[0] = lines[0]!.replace('(test split)', `(${where})`).replace(' test windows', ` windows (${where})`);
    out.push(...lines);
    if (m.task === 'classification') out.push(...formatConfusion(m['perClass'] as { label: string }[], m['confusion'] as number[][]));
    out.push('');
  }
  if (source.kind === 'folder' && source.skipped.length > 0) {
    out.push(pc.yellow(`skipped ${source.skipped.length} bad sample(s) (data.onError: skip):`));
    for (const s of source.skipped) out.push(`  ${s.sample}: ${s.reason}`);
  }
  return out.join('\n').replace(/\n+$/, '') + '\n';
}

/** The confusion matrix: one row per true label, one column per predicted label. */
export function formatConfusion(perClass: readonly { label: string }[], confusion: readonly (readonly number[])[]): string[] {
  const labels = perClass.map((c) => c.label);
  const w0 = Math.max(4, ...labels.map((l) => l.length));
  const widths = labels.map((l, j) => Math.max(l.length, ...confusion.map((row) => String(row[j] ?? 0).length)));
  const lines = [pc.dim(`  confusion: rows are the true label, columns the predicted one`)];
  lines.push(pc.dim(`  ${''.padEnd(w0)}  ${labels.map((l, j) => l.padStart(widths[j]!)).join('  ')}`));
  confusion.forEach((row, i) => {
    const cells = row.map((n, j) => {
      const s = String(n).padStart(widths[j]!);
      return i === j ? pc.bold(s) : n > 0 ? pc.yellow(s) : pc.dim(s);
    });
    lines.push(`  ${labels[i]!.padEnd(w0)}  ${cells.join('  ')}`);
  });
  return lines;
}
