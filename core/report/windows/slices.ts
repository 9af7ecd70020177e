/**
 * Per-slice accuracy: test windows grouped by the sample's group (data.split.groupBy: a speaker, a
 * session …) or, without one, by sample file (a recording). A model that is right on average can
 * be wrong on one speaker; this is where a reviewer sees it.
 */
import type { SliceReport, SliceRow } from '../report-data.js';

/** Slices kept in report.json (worst first): enough for the chart and a table. */
export const SLICES_KEPT = 200;

export interface SliceInput {
  /** Sample id of each test window. */
  readonly samples: readonly string[];
  /** Slice of each sample id. */
  readonly sliceOf: (sample: string) => string;
  readonly by: string;
  /** Classification: whether float32 (and int8) gets each window right. */
  readonly correct?: readonly boolean[];
  readonly int8Correct?: readonly boolean[];
  /** Regression: absolute error per window. */
  readonly absError?: readonly number[];
}

/**
 * Undefined when most slices hold a single window (an image, a one-second clip): per-slice
 * accuracy would then be per-window, a bar of 0 or 100% for each.
 */
export function sliceReport(input: SliceInput): SliceReport | undefined {
  const bySlice = new Map<string, number[]>();
  input.samples.forEach((s, i) => {
    const name = input.sliceOf(s);
    const list = bySlice.get(name) ?? bySlice.set(name, []).get(name)!;
    list.push(i);
  });
  const sizes = [...bySlice.values()].map((rows) => rows.length).sort((a, b) => a - b);
  if (sizes.length === 0 || sizes[Math.floor(sizes.length / 2)]! < 2) return undefined;
  const share = (flags: readonly boolean[], rows: readonly number[]) => rows.filter((i) => flags[i]).length / rows.length;
  const rows: SliceRow[] = [...bySlice].map(([name, idx]) => ({
    name,
    windows: idx.length,
    ...(input.correct ? { accuracy: share(input.correct, idx) } : {}),
    ...(input.int8Correct ? { int8Accuracy: share(input.int8Correct, idx) } : {}),
    ...(input.absError ? { mae: idx.reduce((a, i) => a + input.absError![i]!, 0) / idx.length } : {}),
  }));
  const badness = (r: SliceRow) => (r.accuracy !== undefined ? -r.accuracy : (r.mae ?? 0));
  rows.sort((a, b) => badness(b) - badness(a) || b.windows - a.windows || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { by: input.by, slices: rows.slice(0, SLICES_KEPT), total: rows.length };
}

/**
 * How test windows are sliced: by the data stage's group when data.split.groupBy names one (files
 * it does not match are their own group: their sample id), else by sample file.
 */
export function slicing(groupBy: string | undefined, groupOfSample: ReadonlyMap<string, string>): { by: string; sliceOf: (sample: string) => string } {
  if (groupBy === undefined) return { by: 'sample file (each file is its own group; set data.split.groupBy to slice by speaker, session …)', sliceOf: (s) => s };
  return {
    by: `group (data.split.groupBy '${groupBy}')`,
    sliceOf: (s) => {
      const g = groupOfSample.get(s);
      return g === undefined || g.startsWith('file:') ? s : g;
    },
  };
}
