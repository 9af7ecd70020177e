/** Test helpers for the learn blocks: a StageContext on a temp folder, and TensorSets from arrays. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RowMeta, Split, TensorSet } from '../../../core/artifact/types.js';
import type { StageContext } from '../../../core/plugin/types.js';

export interface TestContext extends StageContext {
  readonly logs: string[];
  readonly progressCalls: Array<[number, number, string | undefined]>;
  /** What the block reported (merged, as the learn stage does). */
  readonly reported: Record<string, string | number>;
}

export function testContext(seed = 7, outDir = mkdtempSync(path.join(tmpdir(), 'impulse-learn-'))): TestContext {
  const logs: string[] = [];
  const progressCalls: Array<[number, number, string | undefined]> = [];
  const reported: Record<string, string | number> = {};
  return {
    stageId: 'learn:test',
    seed,
    projectDir: outDir,
    outDir,
    jobs: 1,
    signal: new AbortController().signal,
    progress: (done, total, unit) => progressCalls.push([done, total, unit]),
    log: (m) => logs.push(m),
    report: (facts) => Object.assign(reported, facts),
    logs,
    progressCalls,
    reported,
  };
}

export interface TestRow {
  readonly label: string;
  readonly split: Split;
  readonly sample?: string;
  readonly values: ArrayLike<number>;
}

export function tensorSet(shape: readonly number[], rows: readonly TestRow[]): TensorSet {
  const size = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(rows.length * size);
  const meta: RowMeta[] = rows.map((r, i) => {
    if (r.values.length !== size) throw new Error(`row ${i} has ${r.values.length} values, shape needs ${size}`);
    data.set(Array.from(r.values), i * size);
    return { sample: r.sample ?? `${r.label}/${i}`, label: r.label, split: r.split, window: 0 };
  });
  const labels = [...new Set(rows.map((r) => r.label))].sort();
  return { kind: 'features', shape: [...shape], rows: meta, data, labels, attrs: {} };
}

/**
 * Rows of the shared sklearn 8×8 digits (`digits.csv`: 64 pixels 0..16, then the label), scaled to
 * 0..1; every 5th row of each label is a testing row.
 */
export function digitsRows(csvPath: string, labels: readonly string[]): TestRow[] {
  const lines = readFileSync(csvPath, 'utf8').trim().split('\n').slice(1);
  const seen = new Map<string, number>();
  const rows: TestRow[] = [];
  lines.forEach((line, i) => {
    const cells = line.split(',').map(Number);
    const label = String(cells.pop());
    if (!labels.includes(label)) return;
    const k = seen.get(label) ?? 0;
    seen.set(label, k + 1);
    rows.push({ label, split: k % 5 === 4 ? 'testing' : 'training', sample: `digits/${i}.csv`, values: cells.map((v) => v / 16) });
  });
  return rows;
}
