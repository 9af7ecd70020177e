/**
 * Validation split taken from TRAINING rows only, grouped by sample (windows of one sample stay on
 * one side) and stratified by label (each label with ≥ 2 samples gets at least one in validation).
 */
import type { TensorSet } from '../../../core/artifact/types.js';
import { Rng } from './random.js';

export interface ValidationSplit {
  readonly train: number[];
  readonly validation: number[];
}

/** Splits `rows` (indices of training rows of `data`) into train and validation. */
export function validationSplit(data: TensorSet, rows: readonly number[], fraction: number, seed: number): ValidationSplit {
  if (!(fraction > 0)) return { train: [...rows], validation: [] };
  // label -> sample -> row indices, in first-seen order (deterministic given the data).
  const byLabel = new Map<string, Map<string, number[]>>();
  for (const i of rows) {
    const r = data.rows[i]!;
    let samples = byLabel.get(r.label);
    if (!samples) byLabel.set(r.label, (samples = new Map()));
    let list = samples.get(r.sample);
    if (!list) samples.set(r.sample, (list = []));
    list.push(i);
  }
  const rng = Rng.for(seed, 'validation-split');
  const inValidation = new Set<number>();
  for (const label of [...byLabel.keys()].sort()) {
    const samples = byLabel.get(label)!;
    const names = rng.shuffle([...samples.keys()].sort());
    if (names.length < 2) continue;
    const take = Math.min(names.length - 1, Math.max(1, Math.round(names.length * fraction)));
    for (const name of names.slice(0, take)) for (const i of samples.get(name)!) inValidation.add(i);
  }
  const train: number[] = [];
  const validation: number[] = [];
  for (const i of rows) (inValidation.has(i) ? validation : train).push(i);
  return { train, validation };
}
