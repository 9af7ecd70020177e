/** The dataset section's data: samples and windows per label and split, and the skipped files. */
import type { DatasetReport, LabelSplitCount } from '../report-data.js';
import { readOptionalJson, type StageEntries } from './entries.js';

interface SamplesJson {
  readonly samples: readonly { readonly id: string; readonly label: string; readonly split: 'training' | 'testing'; readonly group: string }[];
  readonly labels: readonly string[];
}

interface TensorsJson {
  readonly kind: 'signal' | 'image' | 'features';
  readonly shape: readonly number[];
  readonly labels: readonly string[];
  readonly attrs: Readonly<Record<string, unknown>>;
  readonly rows: { readonly label: readonly number[]; readonly split: readonly ('training' | 'testing')[] };
}

function countBy(labels: readonly string[], items: Iterable<{ label: string; split: string }>): LabelSplitCount[] {
  const counts = new Map(labels.map((l) => [l, { label: l, training: 0, testing: 0 }]));
  for (const { label, split } of items) {
    const c = counts.get(label) ?? counts.set(label, { label, training: 0, testing: 0 }).get(label)!;
    if (split === 'training') c.training++;
    else if (split === 'testing') c.testing++;
  }
  return [...counts.values()];
}

/** The spec's data settings, when the report is of this impulse (a baseline has its cache alone). */
export interface DataSettings {
  readonly source?: string;
  readonly split?: { readonly test?: number; readonly groupBy?: string };
  readonly onError?: 'stop' | 'skip';
}

export function datasetReport(entries: StageEntries, settings: DataSettings = {}): DatasetReport | undefined {
  const data = entries.get('data');
  const samples = readOptionalJson<SamplesJson>(data, 'samples.json');
  if (!samples) return undefined;
  const input = entries.get('input');
  const header = readOptionalJson<TensorsJson>(input, 'tensors.json');
  const skipped = readOptionalJson<{ sample: string; reason: string }[]>(input, 'skipped.json') ?? [];
  const split = settings.split ?? ((data?.parts?.params as { split?: DataSettings['split'] } | undefined)?.split);
  const onError = settings.onError ?? (input?.parts?.params as { onError?: 'stop' | 'skip' } | undefined)?.onError;
  const windows = header
    ? countBy(
        samples.labels,
        header.rows.split.map((s, i) => ({ label: header.labels[header.rows.label[i]!] ?? '', split: s })),
      )
    : undefined;
  const frequency = header?.attrs['frequency'];
  return {
    ...(settings.source !== undefined ? { source: settings.source } : {}),
    ...(split ? { split } : {}),
    ...(onError ? { onError } : {}),
    labels: samples.labels,
    samples: countBy(samples.labels, samples.samples),
    ...(windows ? { windows } : {}),
    ...(header ? { windowShape: header.shape, kind: header.kind } : {}),
    ...(typeof frequency === 'number' ? { frequency } : {}),
    skipped,
  };
}
