/** core/run/inference.ts pieces that the CLI tests do not reach. */
import { describe, expect, test } from 'vitest';
import { builtinRegistry } from '../../cli/builtins.js';
import type { InferenceImpulse } from '../../core/run/inference.js';
import { inputParamsFor, metricsOf } from '../../core/run/inference.js';
import type { LoadedImpulse } from '../../core/spec/load.js';

function fake(params: Record<string, unknown>, attrs: Record<string, unknown> | undefined): InferenceImpulse {
  const impulse = { spec: { input: { type: 'time-series', params } }, registry: builtinRegistry() } as unknown as LoadedImpulse;
  return { impulse, graph: undefined as never, status: [], known: new Map(), trainedInput: attrs ? { kind: 'signal', shape: [16000, 1], attrs } : undefined };
}

describe('inputParamsFor', () => {
  test('what the impulse takes from the files (frequency 0, no axes) is pinned to what training resolved', () => {
    const window = { size: '1000ms', stride: '500ms', pad: 'zero' };
    expect(inputParamsFor(fake({ frequency: 0, axes: [], window }, { frequency: 16000, axes: ['audio'] }))).toEqual({ frequency: 16000, axes: ['audio'], window });
    // Set in the impulse: kept as written.
    expect(inputParamsFor(fake({ frequency: 8000, axes: ['x'], window }, { frequency: 16000, axes: ['audio'] }))).toEqual({ frequency: 8000, axes: ['x'], window });
    // Never trained: the params as written.
    expect(inputParamsFor(fake({ frequency: 0, axes: [], window }, undefined))).toEqual({ frequency: 0, axes: [], window });
  });
});

describe('metricsOf', () => {
  const rows = (labels: string[]) => labels.map((label, i) => ({ sample: `s${i}`, label, split: 'testing' as const, window: 0 }));

  test('classification against the model labels; regression parses labels; anomaly per label of the rows', () => {
    const c = metricsOf({ task: 'classification', labels: ['a', 'b'] }, rows(['a', 'b', 'b']), Float32Array.from([0.9, 0.1, 0.2, 0.8, 0.6, 0.4]));
    expect(c).toMatchObject({ task: 'classification', rows: 3, confusion: [[1, 0], [1, 1]] });
    expect(c['accuracy']).toBeCloseTo(2 / 3, 12);
    expect(metricsOf({ task: 'regression', labels: [] }, rows(['1', '3']), Float32Array.from([2, 3]))).toEqual({ task: 'regression', rows: 2, count: 2, mae: 0.5, rmse: Math.sqrt(0.5) });
    expect(() => metricsOf({ task: 'regression', labels: [] }, rows(['x']), Float32Array.from([2]))).toThrow(/numeric labels/);
    const a = metricsOf({ task: 'anomaly', labels: [] }, rows(['ok', 'bad', 'ok']), Float32Array.from([1, 9, 3]));
    expect((a['perLabel'] as { label: string; count: number }[]).map((p) => [p.label, p.count])).toEqual([['bad', 1], ['ok', 2]]);
  });
});
