/** ReportData made up for tests of the page: sizes chosen by the caller, values deterministic. */
import type { ClassificationMetrics } from '../metrics.js';
import { REPORT_DATA_FORMAT, type LearnReport, type ReportData } from '../report-data.js';

export interface SyntheticOptions {
  readonly labels: number;
  readonly points: number;
  readonly epochs: number;
  readonly slices: number;
  readonly changed: number;
  readonly skipped: number;
  readonly int8: boolean;
  readonly device: boolean;
  readonly anomalyScores?: number;
}

function metrics(labels: readonly string[], rows: number, offset: number): ClassificationMetrics & { task: 'classification'; rows: number } {
  const per = Math.floor(rows / labels.length);
  const confusion = labels.map((_, i) => labels.map((_, j) => (i === j ? per - 3 - offset : j === (i + 1) % labels.length ? 3 + offset : 0)));
  const perClass = labels.map((label, i) => {
    const tp = confusion[i]![i]!;
    const precision = tp / confusion.reduce((a, r) => a + r[i]!, 0);
    const recall = tp / per;
    return { label, precision, recall, f1: (2 * precision * recall) / (precision + recall), support: per };
  });
  const accuracy = perClass.reduce((a, c) => a + c.recall * c.support, 0) / (per * labels.length);
  return { task: 'classification', rows: per * labels.length, accuracy, macroF1: perClass.reduce((a, c) => a + c.f1, 0) / labels.length, perClass, confusion };
}

export function syntheticReport(o: SyntheticOptions): ReportData {
  const labels = Array.from({ length: o.labels }, (_, i) => `label_${String(i).padStart(2, '0')}`);
  const sample = (i: number) => `${labels[i % o.labels]}/speaker_${i % 40}_recording_${String(i).padStart(5, '0')}.wav`;
  const classifier: LearnReport = {
    id: 'classifier',
    type: 'classifier',
    task: 'classification',
    labels,
    featureShape: [49, 13],
    summary: { backend: 'TF.js wasm', parameters: 24330 },
    history: {
      epochs: Array.from({ length: o.epochs }, (_, e) => ({ epoch: e + 1, loss: 2 / (e + 1), acc: 1 - 0.5 / (e + 1), valLoss: 2.2 / (e + 1), valAcc: 1 - 0.6 / (e + 1) })),
      bestEpoch: o.epochs,
      stoppedEarly: false,
      monitor: 'val_loss',
    },
    float32: metrics(labels, 2000, 0),
    ...(o.int8 ? { int8: metrics(labels, 2000, 1), changedTopLabel: o.changed } : { int8Absent: 'learn.classifier.quantize.type is none: the impulse keeps this model in float32 only.' }),
    modelBytes: { float32: 97320, ...(o.int8 ? { int8: 24330 } : {}) },
    windows: {
      rows: 2000,
      ...(o.int8 ? { changed: { total: o.changed, shown: Array.from({ length: Math.min(100, o.changed) }, (_, i) => ({ sample: sample(i), window: i % 7, label: labels[i % o.labels]!, float32: labels[i % o.labels]!, int8: labels[(i + 1) % o.labels]! })) } } : {}),
      explorer: {
        method: 'pca',
        explained: [0.41, 0.17],
        features: 637,
        total: o.points,
        points: Array.from({ length: o.points }, (_, i) => ({ x: Number(Math.sin(i).toPrecision(4)) * 10, y: Number(Math.cos(i * 1.3).toPrecision(4)) * 7, label: labels[i % o.labels]!, predicted: labels[(i + (i % 13 === 0 ? 1 : 0)) % o.labels]!, sample: sample(i), window: i % 9, wrong: i % 13 === 0 })),
      },
      slices: { by: "group (data.split.groupBy '_([a-z]+)_')", total: o.slices, slices: Array.from({ length: Math.min(200, o.slices) }, (_, i) => ({ name: `speaker_${i}`, windows: 10 + (i % 30), accuracy: 0.5 + i / (2 * o.slices), ...(o.int8 ? { int8Accuracy: 0.49 + i / (2 * o.slices) } : {}) })) },
      notes: [],
    },
  };
  const learn: LearnReport[] = [classifier];
  if (o.anomalyScores) {
    learn.push({
      id: 'anomaly',
      type: 'anomaly-kmeans',
      task: 'anomaly',
      labels,
      featureShape: [637],
      summary: {},
      noHistory: 'anomaly-kmeans fits its model in one pass over the training windows: there are no epochs to plot.',
      float32: { task: 'anomaly', rows: o.anomalyScores, perLabel: labels.map((label) => ({ label, count: Math.floor(o.anomalyScores! / o.labels), min: 0.1, p50: 1, p95: 2, max: 3, mean: 1.1 })) },
      int8Absent: 'anomaly-kmeans has no network: int8 quantization applies to networks only.',
      windows: { rows: o.anomalyScores, anomaly: { byLabel: labels.map((label, k) => ({ label, scores: Array.from({ length: Math.floor(o.anomalyScores! / o.labels) }, (_, i) => Number((k * 0.1 + (i % 50) / 17).toPrecision(4))) })), threshold: { value: 2.5, percentile: 99 } }, notes: [] },
    });
  }
  return {
    format: REPORT_DATA_FORMAT,
    impulse: { name: 'synthetic' },
    stages: [
      { id: 'data', kind: 'data', block: { type: 'folder', version: 1 }, params: { split: { test: 0.2 } }, deps: [] },
      { id: 'input', kind: 'input', block: { type: 'time-series', version: 1 }, params: { frequency: 8000 }, deps: ['data'] },
      { id: 'dsp:mfcc', kind: 'dsp', block: { type: 'mfcc', version: 3 }, params: { coefficients: 13 }, deps: ['input'] },
      { id: 'learn:classifier', kind: 'learn', block: { type: 'classifier', version: 5 }, params: { epochs: o.epochs }, deps: ['dsp:mfcc'] },
      { id: 'report', kind: 'report', block: { type: 'html-report', version: 1 }, params: {}, deps: ['learn:classifier'] },
    ],
    dataset: {
      source: './data',
      split: { test: 0.2 },
      onError: 'skip',
      labels,
      samples: labels.map((label) => ({ label, training: 160, testing: 40 })),
      windows: labels.map((label) => ({ label, training: 800, testing: 200 })),
      windowShape: [8000, 1],
      kind: 'signal',
      frequency: 8000,
      skipped: Array.from({ length: o.skipped }, (_, i) => ({ sample: `bad/broken_${i}.wav`, reason: `not a WAV file (no RIFF header) #${i}` })),
    },
    learn,
    device: o.device
      ? {
          device: { name: 'cortex-m4f-80mhz', description: 'Cortex-M4F at 80 MHz', clockHz: 80e6, ramBytes: 262144, flashBytes: 1048576 },
          blocks: [
            { id: 'mfcc', kind: 'dsp', type: 'mfcc', estimated: { ms: 12.5, cycles: 1e6, calibrated: true }, measured: { ms: 11.9, cycles: 952000, instructions: 800000, stackBytes: 512 } },
            { id: 'classifier', kind: 'network', type: 'classifier', estimated: { ms: 30.1, cycles: 2.4e6, calibrated: false }, measured: { ms: 28.7, cycles: 2.3e6, instructions: 2e6, stackBytes: 256 } },
          ],
          total: { estimated: { ms: 42.6, msWithWaitStates: 47.1 }, measured: { ms: 40.6 } },
          ram: { estimated: { arena: 20000, staticData: 24000, stack: 1024, total: 25024 }, measured: { arena: 20000, staticData: 24100, stack: 768, total: 24868 } },
          flash: { estimated: { code: 30000, constants: 5000, weights: 24330, libc: 4000, total: 63330 } },
          fit: { basis: 'measured', ramBytes: 57000, flashBytes: 63330, fitsRam: true, fitsFlash: true },
          measurement: { windows: 25, source: 'test split windows 1–25 of 2000', outputCheck: 'int8 outputs identical to the TS interpreter on 25 of 25 windows' },
          notes: ['The classifier ran with a default cost row.'],
        }
      : { absent: 'The impulse names no device, so there is no profile stage: add e.g. `device: cortex-m4f-80mhz`.' },
    notes: [],
  };
}
