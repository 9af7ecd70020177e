/**
 * What the report shows per test window, from the features and the scores of the float32 and
 * int8 models: the windows int8 moved to another label, the feature explorer's points, per-slice
 * accuracy and the anomaly scores. Pure: the report stage computes the scores and passes them in.
 */
import type { RowMeta } from '../../artifact/types.js';
import type { AnomalyScores, ChangedWindow, ExplorerPoint, WindowsReport } from '../report-data.js';
import { projectPca } from './pca.js';
import { sliceReport } from './slices.js';

/** Changed windows listed by name (the count is always exact). */
export const CHANGED_SHOWN = 100;
/** Points drawn in the feature explorer: an even subset beyond this (the page says so). */
export const EXPLORER_POINTS = 2000;

export interface WindowsInput {
  readonly task: 'classification' | 'regression' | 'anomaly';
  /** Score column labels (classification). */
  readonly labels: readonly string[];
  readonly rows: readonly RowMeta[];
  /** Test rows × featureLength, as the learn block reads them. */
  readonly features: Float32Array;
  readonly featureLength: number;
  /** rows × labels (classification), rows (regression: values; anomaly: scores). */
  readonly float32: Float32Array;
  readonly int8?: Float32Array;
  readonly slicing: { readonly by: string; readonly sliceOf: (sample: string) => string };
  readonly threshold?: AnomalyScores['threshold'];
  /** The evaluate stage's confusion matrix: the recomputed predictions are checked against it. */
  readonly confusion?: readonly (readonly number[])[];
}

function argmaxRows(scores: Float32Array, k: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < scores.length / k; r++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (scores[r * k + j]! > scores[r * k + best]!) best = j;
    out.push(best);
  }
  return out;
}

/** Four significant digits: enough for a chart, and report.json stays small. */
const round = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(4)) : v);

function evenSubset(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: max }, (_, i) => Math.floor((i * n) / max));
}

export function windowsReport(input: WindowsInput): WindowsReport {
  const { rows, labels, task } = input;
  const n = rows.length;
  const notes: string[] = [];
  const truth = rows.map((r) => labels.indexOf(r.label));
  const k = labels.length;
  const predicted = task === 'classification' ? argmaxRows(input.float32, k) : undefined;
  const predictedInt8 = task === 'classification' && input.int8 ? argmaxRows(input.int8, k) : undefined;

  if (predicted && input.confusion) {
    const recomputed = labels.map(() => new Array<number>(k).fill(0));
    predicted.forEach((p, i) => {
      if (truth[i]! >= 0) recomputed[truth[i]!]![p]!++;
    });
    if (JSON.stringify(recomputed) !== JSON.stringify(input.confusion)) {
      notes.push('The per-window predictions recomputed for this page do not reproduce metrics.json\'s confusion matrix: the explorer and slices may disagree with the tables (the tables are metrics.json\'s).');
    }
  }

  let changed: WindowsReport['changed'];
  if (predicted && predictedInt8) {
    const all: ChangedWindow[] = [];
    predicted.forEach((p, i) => {
      if (p !== predictedInt8[i]) all.push({ sample: rows[i]!.sample, window: rows[i]!.window, label: rows[i]!.label, float32: labels[p]!, int8: labels[predictedInt8[i]!]! });
    });
    changed = { total: all.length, shown: all.slice(0, CHANGED_SHOWN) };
  }

  const projection = projectPca(input.features, n, input.featureLength);
  const points: ExplorerPoint[] = evenSubset(n, EXPLORER_POINTS).map((i) => {
    const r = rows[i]!;
    const pred = predicted ? labels[predicted[i]!] : task === 'regression' ? round(input.float32[i]!) : undefined;
    return {
      x: round(projection.coords[2 * i]!),
      y: round(projection.coords[2 * i + 1]!),
      label: r.label,
      ...(pred !== undefined ? { predicted: pred } : {}),
      sample: r.sample,
      window: r.window,
      wrong: predicted ? predicted[i] !== truth[i] : false,
    };
  });

  const slices = sliceReport({
    samples: rows.map((r) => r.sample),
    ...input.slicing,
    ...(predicted ? { correct: predicted.map((p, i) => p === truth[i]) } : {}),
    ...(predictedInt8 ? { int8Correct: predictedInt8.map((p, i) => p === truth[i]) } : {}),
    ...(task === 'regression' ? { absError: rows.map((r, i) => Math.abs(input.float32[i]! - Number(r.label))) } : {}),
  });

  let anomaly: AnomalyScores | undefined;
  if (task === 'anomaly') {
    const byLabel = [...new Set(rows.map((r) => r.label))].sort().map((label) => ({ label, scores: rows.flatMap((r, i) => (r.label === label ? [round(input.float32[i]!)] : [])) }));
    anomaly = { byLabel, ...(input.threshold ? { threshold: input.threshold } : {}) };
  }

  return {
    rows: n,
    ...(changed ? { changed } : {}),
    explorer: { method: 'pca', explained: projection.explained, features: input.featureLength, total: n, points },
    ...(slices && task !== 'anomaly' ? { slices } : {}),
    ...(anomaly ? { anomaly } : {}),
    notes,
  };
}
