/**
 * Evaluation metrics of learn blocks, computed from a block's `predict` scores on testing rows.
 * Pure functions; no I/O.
 */

export interface ClassMetrics {
  readonly label: string;
  /** Of the rows predicted as this label, the fraction that are (0 when none is predicted). */
  readonly precision: number;
  /** Of the rows of this label, the fraction predicted as it (0 when there are none). */
  readonly recall: number;
  /** Harmonic mean of precision and recall (0 when both are 0). */
  readonly f1: number;
  /** Rows whose true label this is. */
  readonly support: number;
}

export interface ClassificationMetrics {
  readonly accuracy: number;
  /** Unweighted mean F1 over labels with support > 0. */
  readonly macroF1: number;
  readonly perClass: ClassMetrics[];
  /** confusion[true][predicted], counts. */
  readonly confusion: number[][];
}

/**
 * `scores` holds rows × labels (e.g. softmax probabilities); a row's prediction is its highest
 * score (the first one on ties). `truth[i]` is the index of row i's label in `labels`.
 */
export function classificationMetrics(labels: readonly string[], truth: readonly number[], scores: Float32Array): ClassificationMetrics {
  const k = labels.length;
  const n = truth.length;
  if (k === 0) throw new Error('classificationMetrics: no labels');
  if (scores.length !== n * k) throw new Error(`classificationMetrics: ${scores.length} scores for ${n} rows × ${k} labels`);
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const t = truth[i]!;
    if (!Number.isInteger(t) || t < 0 || t >= k) throw new Error(`classificationMetrics: truth[${i}] = ${t} is not a label index`);
    let p = 0;
    for (let j = 1; j < k; j++) if (scores[i * k + j]! > scores[i * k + p]!) p = j;
    confusion[t]![p]!++;
    if (p === t) correct++;
  }
  const perClass = labels.map((label, c) => {
    const tp = confusion[c]![c]!;
    const support = confusion[c]!.reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((a, row) => a + row[c]!, 0);
    const precision = predicted > 0 ? tp / predicted : 0;
    const recall = support > 0 ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, precision, recall, f1, support };
  });
  const present = perClass.filter((c) => c.support > 0);
  return {
    accuracy: n > 0 ? correct / n : 0,
    macroF1: present.length > 0 ? present.reduce((a, c) => a + c.f1, 0) / present.length : 0,
    perClass,
    confusion,
  };
}

export interface RegressionMetrics {
  readonly count: number;
  /** Mean absolute error. */
  readonly mae: number;
  /** Root mean squared error. */
  readonly rmse: number;
}

/** `predicted` holds one value per row. */
export function regressionMetrics(truth: readonly number[], predicted: Float32Array): RegressionMetrics {
  const n = truth.length;
  if (predicted.length !== n) throw new Error(`regressionMetrics: ${predicted.length} predictions for ${n} rows`);
  let abs = 0;
  let sq = 0;
  for (let i = 0; i < n; i++) {
    const e = predicted[i]! - truth[i]!;
    abs += Math.abs(e);
    sq += e * e;
  }
  return { count: n, mae: n > 0 ? abs / n : 0, rmse: n > 0 ? Math.sqrt(sq / n) : 0 };
}

export interface ScoreDistribution {
  readonly label: string;
  readonly count: number;
  readonly min: number;
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
  readonly mean: number;
}

export interface AnomalyMetrics {
  /** Score distribution of each label's rows (labels without rows are left out). */
  readonly perLabel: ScoreDistribution[];
}

/** `scores` holds one anomaly score per row; `truth[i]` is the index of row i's label in `labels`. */
export function anomalyMetrics(labels: readonly string[], truth: readonly number[], scores: Float32Array): AnomalyMetrics {
  if (scores.length !== truth.length) throw new Error(`anomalyMetrics: ${scores.length} scores for ${truth.length} rows`);
  const byLabel = labels.map(() => [] as number[]);
  truth.forEach((t, i) => {
    const list = byLabel[t];
    if (!list) throw new Error(`anomalyMetrics: truth[${i}] = ${t} is not a label index`);
    list.push(scores[i]!);
  });
  const perLabel: ScoreDistribution[] = [];
  labels.forEach((label, c) => {
    const values = byLabel[c]!;
    if (values.length === 0) return;
    perLabel.push({
      label,
      count: values.length,
      min: percentile(values, 0),
      p50: percentile(values, 50),
      p95: percentile(values, 95),
      max: percentile(values, 100),
      mean: values.reduce((a, b) => a + b, 0) / values.length,
    });
  });
  return { perLabel };
}

/** Percentile with linear interpolation between order statistics (numpy's default); p in [0, 100]. */
export function percentile(values: ArrayLike<number>, p: number): number {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return Number.NaN;
  const pos = (Math.min(100, Math.max(0, p)) / 100) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}
