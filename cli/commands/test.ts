/**
 * `impulse test [impulse] [--data DIR] [--precision float32|int8|both] [--json]`: metrics of the
 * trained learn blocks on the test split (the evaluate stage's cached results), or on any folder of
 * labelled samples, which are decoded, windowed and featurized exactly as in training
 * (core/run/inference.ts). float32 is the trained model; int8 the quantized IR on the int8
 * reference interpreter (for blocks with a network).
 */
import path from 'node:path';
import pc from 'picocolors';
import type { SkippedSample } from '../../core/plugin/types.js';
import { ImpulseError } from '../../core/errors/impulse-error.js';
import { predictIR } from '../../core/model/predict.js';
import {
  checkKnownLabels,
  computeFeatures,
  decodeSamples,
  int8ModelOf,
  labelledFolder,
  learnFeatures,
  loadTrained,
  metricsOf,
  predictWith,
  testSplitPrecisions,
  type LearnMetrics,
} from '../../core/run/inference.js';
import { changedTopLabels } from '../../core/run/stages/evaluate.js';
import { displayPath } from '../../core/spec/load.js';
import { loadForCli, printJson } from '../load.js';
import { formatMetrics } from '../view/metrics-table.js';

export type Precision = 'float32' | 'int8' | 'both';

export interface TestCliOptions {
  data?: string;
  json?: boolean;
  precision?: string;
}

/** Metrics of one learn block per precision; int8 only for blocks with a quantized network. */
export interface PrecisionMetrics {
  readonly float32?: LearnMetrics;
  readonly int8?: LearnMetrics;
  /** Windows whose top label differs between float32 and int8 (classification, both precisions). */
  readonly changedTopLabel?: number;
}

export type TestSource = { kind: 'test-split' } | { kind: 'folder'; dir: string; samples: number; skipped: readonly SkippedSample[] };

export interface TestReport {
  readonly impulse: string;
  readonly source: TestSource;
  /** Per learn block and precision: the evaluate stage's metrics.json format ({ task, rows, accuracy, macroF1, perClass, confusion } for classification). */
  readonly learn: Record<string, PrecisionMetrics>;
}

function parsePrecision(value: string | undefined): Precision {
  if (value === undefined || value === 'both' || value === 'float32' || value === 'int8') return value ?? 'both';
  throw new ImpulseError({ code: 'E_CLI_BAD_OPTION', message: `--precision must be float32, int8 or both, not '${value}'`, hint: 'e.g. impulse test --precision int8' });
}

export async function testCommand(target: string, opts: TestCliOptions): Promise<void> {
  const precision = parsePrecision(opts.precision);
  const impulse = await loadForCli(target);
  const x = await loadTrained(impulse);
  const learn: Record<string, PrecisionMetrics> = {};
  const wantFloat = precision !== 'int8';
  const wantInt8 = precision !== 'float32';
  let source: TestSource;
  if (opts.data !== undefined) {
    const { index, dataRoot } = await labelledFolder(impulse, opts.data);
    for (const l of x.learn) if (l.task === 'classification') checkKnownLabels(index.samples, l);
    const { set, skipped } = await decodeSamples(x, index, dataRoot, impulse.spec.data.onError);
    const features = computeFeatures(x, set);
    for (const l of x.learn) {
      const rows = learnFeatures(l, features);
      const int8 = wantInt8 ? await int8ModelOf(x, l) : undefined;
      const float = wantFloat || int8 ? await predictWith(x, l, rows) : undefined;
      const int8Scores = int8 ? predictIR(int8, { ...rows, labels: l.labels }) : undefined;
      learn[l.id] = {
        ...(wantFloat && float ? { float32: metricsOf(l, rows.rows, float) } : {}),
        ...(int8Scores ? { int8: metricsOf(l, rows.rows, int8Scores) } : {}),
        ...(float && int8Scores && l.task === 'classification' ? { changedTopLabel: changedTopLabels(float, int8Scores, l.labels.length) } : {}),
      };
    }
    source = { kind: 'folder', dir: displayPath(path.resolve(opts.data)), samples: index.samples.length - skipped.length, skipped };
  } else {
    for (const l of x.learn) {
      const split = await testSplitPrecisions(x, l);
      learn[l.id] = {
        ...(wantFloat ? { float32: split.float32 } : {}),
        ...(wantInt8 && split.int8 ? { int8: split.int8 } : {}),
        ...(precision === 'both' && split.changedTopLabel !== undefined ? { changedTopLabel: split.changedTopLabel } : {}),
      };
    }
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
  for (const [id, byPrecision] of Object.entries(report.learn)) {
    const both = byPrecision.float32 !== undefined && byPrecision.int8 !== undefined;
    for (const [name, m] of [['float32', byPrecision.float32], ['int8', byPrecision.int8]] as const) {
      if (!m) continue;
      const lines = formatMetrics(both || name === 'int8' ? `${id} (${name})` : id, m, name === 'float32' ? summaries[id] : undefined).split('\n');
      lines[0] = lines[0]!.replace('(test split)', `(${where})`).replace(' test windows', ` windows (${where})`);
      out.push(...lines);
      if (m.task === 'classification') out.push(...formatConfusion(m['perClass'] as { label: string }[], m['confusion'] as number[][]));
      out.push('');
    }
    if (byPrecision.changedTopLabel !== undefined && byPrecision.float32) {
      out.push(pc.dim(`${id}: int8 changed the top label of ${byPrecision.changedTopLabel} of ${byPrecision.float32.rows} windows`), '');
    }
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
