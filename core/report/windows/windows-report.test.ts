import { describe, expect, test } from 'vitest';
import type { RowMeta } from '../../artifact/types.js';
import { slicing } from './slices.js';
import { windowsReport, type WindowsInput } from './windows-report.js';

const row = (sample: string, label: string, window: number): RowMeta => ({ sample, label, split: 'testing', window });

// Two recordings per label, two windows each; features separate the labels along one axis.
const rows = [row('a/1.csv', 'a', 0), row('a/1.csv', 'a', 1), row('a/2.csv', 'a', 0), row('a/2.csv', 'a', 1), row('b/1.csv', 'b', 0), row('b/1.csv', 'b', 1), row('b/2.csv', 'b', 0), row('b/2.csv', 'b', 1)];
const features = Float32Array.from(rows.flatMap((r, i) => {
  const x = r.label === 'a' ? -1 - i * 0.01 : 1 + i * 0.01;
  return [x, 2 * x + (i % 3) * 0.05];
}));
// float32 gets b/2.csv window 1 wrong; int8 also gets a/2.csv window 0 wrong.
const float32 = Float32Array.from([0.9, 0.1, 0.8, 0.2, 0.7, 0.3, 0.6, 0.4, 0.2, 0.8, 0.1, 0.9, 0.3, 0.7, 0.6, 0.4]);
const int8 = Float32Array.from([0.9, 0.1, 0.8, 0.2, 0.4, 0.6, 0.6, 0.4, 0.2, 0.8, 0.1, 0.9, 0.3, 0.7, 0.6, 0.4]);
const base: WindowsInput = { task: 'classification', labels: ['a', 'b'], rows, features, featureLength: 2, float32, int8, slicing: slicing(undefined, new Map()), confusion: [[4, 0], [1, 3]] };

describe('windowsReport', () => {
  test('classification: windows int8 moved, misclassified points, slices worst first', () => {
    const w = windowsReport(base);
    expect(w.rows).toBe(8);
    expect(w.changed).toEqual({ total: 1, shown: [{ sample: 'a/2.csv', window: 0, label: 'a', float32: 'a', int8: 'b' }] });
    expect(w.explorer!.points.filter((p) => p.wrong).map((p) => `${p.sample}#${p.window}`)).toEqual(['b/2.csv#1']);
    expect(w.explorer!.explained[0]).toBeGreaterThan(0.5);
    // the first axis separates the labels
    const xs = (label: string) => w.explorer!.points.filter((p) => p.label === label).map((p) => p.x);
    expect(Math.max(...xs('a')) < Math.min(...xs('b')) || Math.min(...xs('a')) > Math.max(...xs('b'))).toBe(true);
    expect(w.slices!.total).toBe(4);
    expect(w.slices!.slices[0]).toEqual({ name: 'b/2.csv', windows: 2, accuracy: 0.5, int8Accuracy: 0.5 });
    expect(w.slices!.slices.find((s) => s.name === 'a/2.csv')).toEqual({ name: 'a/2.csv', windows: 2, accuracy: 1, int8Accuracy: 0.5 });
    expect(w.notes).toEqual([]);
  });

  test('says so when the recomputed predictions do not reproduce metrics.json', () => {
    expect(windowsReport({ ...base, confusion: [[4, 0], [0, 4]] }).notes[0]).toMatch(/do not reproduce metrics\.json/);
  });

  test('slices by data.split.groupBy groups; single-window samples give no slices', () => {
    const groups = new Map(rows.map((r) => [r.sample, r.sample.endsWith('1.csv') ? 'one' : 'two']));
    const w = windowsReport({ ...base, slicing: slicing('(\\d)', groups) });
    expect(w.slices!.by).toBe("group (data.split.groupBy '(\\d)')");
    expect(w.slices!.slices.map((s) => [s.name, s.windows, s.accuracy])).toEqual([['two', 4, 0.75], ['one', 4, 1]]);
    const single = windowsReport({ ...base, rows: rows.map((r, i) => ({ ...r, sample: `s${i}` })) });
    expect(single.slices).toBeUndefined();
  });

  test('regression: error per slice; anomaly: scores per label and the threshold', () => {
    const values = rows.map((r, i) => ({ ...r, label: String(i) }));
    const reg = windowsReport({ task: 'regression', labels: [], rows: values, features, featureLength: 2, float32: Float32Array.from(values.map((_, i) => i + (i >= 6 ? 2 : 0))), slicing: slicing(undefined, new Map()) });
    expect(reg.slices!.slices[0]).toEqual({ name: 'b/2.csv', windows: 2, mae: 2 });
    expect(reg.explorer!.points[7]!.predicted).toBe(9);
    const an = windowsReport({ task: 'anomaly', labels: ['a', 'b'], rows, features, featureLength: 2, float32: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]), slicing: slicing(undefined, new Map()), threshold: { value: 4.5, percentile: 99 } });
    expect(an.anomaly).toEqual({ byLabel: [{ label: 'a', scores: [1, 2, 3, 4] }, { label: 'b', scores: [5, 6, 7, 8] }], threshold: { value: 4.5, percentile: 99 } });
    expect(an.slices).toBeUndefined();
  });
});
