/** Regression targets: each row's label parsed as a number, and their scaling for training. */
import type { TensorSet } from '../../../core/artifact/types.js';
import { ImpulseError } from '../../../core/errors/impulse-error.js';
import { LearnErrorCode } from '../common/errors.js';

/** The label of each row in `rows` as a number; ImpulseError naming the sample when one is not. */
export function parseTargets(data: TensorSet, rows: readonly number[]): Float64Array {
  return Float64Array.from(rows, (r) => {
    const meta = data.rows[r]!;
    const text = meta.label.trim();
    const v = text === '' ? Number.NaN : Number(text);
    if (!Number.isFinite(v)) {
      throw new ImpulseError({
        code: LearnErrorCode.badTarget,
        message: `regression needs numeric labels, but this sample's label is '${meta.label}'`,
        hint: 'Name the samples by their target value (e.g. 21.5.sample1.csv or 21.5/file.csv), or use a classifier.',
        location: { sample: meta.sample },
      });
    }
    return v;
  });
}

export interface TargetScale {
  readonly mean: number;
  readonly std: number;
}

/** Mean and standard deviation of targets (std 1 when they are all equal). */
export function targetScale(values: Float64Array): TargetScale {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
  const std = Math.sqrt(variance);
  return { mean, std: std > 1e-12 ? std : 1 };
}
