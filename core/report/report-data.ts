/**
 * What the impulse report shows, as plain JSON: the report stage stores it as report.json beside
 * index.html, so `impulse report --compare` can put another commit's report beside this one
 * without recomputing anything. Everything here comes from cached stage outputs (see ./collect/)
 * or is computed once by the report stage from them (./windows/); the page (./html/) only draws it.
 */
import type { ClassificationMetrics, RegressionMetrics, AnomalyMetrics } from './metrics.js';

/** Bump when the shape of ReportData changes: a stored report.json of another format is not reused. */
export const REPORT_DATA_FORMAT = 1;

export interface ReportData {
  readonly format: typeof REPORT_DATA_FORMAT;
  readonly impulse: { readonly name: string; readonly description?: string };
  /** Every stage of the impulse in dependency order, with the params its cache key holds. */
  readonly stages: readonly StageInfo[];
  readonly dataset?: DatasetReport;
  readonly learn: readonly LearnReport[];
  /** The profile stage's figures, or why there are none. */
  readonly device: DeviceReport | { readonly absent: string };
  /** Things the reader should know that belong to no one section. */
  readonly notes: readonly string[];
}

export interface StageInfo {
  readonly id: string;
  readonly kind: string;
  readonly block?: { readonly type: string; readonly version: number };
  /** The params that matter to a reader (as in the stage's cache key; long device parts left out). */
  readonly params: Readonly<Record<string, unknown>>;
  readonly deps: readonly string[];
}

export interface LabelSplitCount {
  readonly label: string;
  readonly training: number;
  readonly testing: number;
}

export interface DatasetReport {
  /** data.source as the impulse writes it (absent for a baseline read from the cache alone). */
  readonly source?: string;
  readonly split?: { readonly test?: number; readonly groupBy?: string };
  readonly onError?: 'stop' | 'skip';
  readonly labels: readonly string[];
  /** Sample files per label and split. */
  readonly samples: readonly LabelSplitCount[];
  /** Windows (or images) per label and split: what the models see. */
  readonly windows?: readonly LabelSplitCount[];
  readonly windowShape?: readonly number[];
  readonly kind?: 'signal' | 'image' | 'features';
  readonly frequency?: number;
  /** Samples the input block skipped (data.onError: skip), with the reason. */
  readonly skipped: readonly { readonly sample: string; readonly reason: string }[];
}

export interface EpochPoint {
  readonly epoch: number;
  readonly loss: number;
  readonly acc?: number;
  readonly valLoss?: number;
  readonly valAcc?: number;
}

export interface HistoryReport {
  readonly epochs: readonly EpochPoint[];
  readonly bestEpoch: number;
  readonly stoppedEarly: boolean;
  readonly monitor: string;
}

export type TaskMetrics =
  | ({ readonly task: 'classification'; readonly rows: number } & ClassificationMetrics)
  | ({ readonly task: 'regression'; readonly rows: number } & RegressionMetrics)
  | ({ readonly task: 'anomaly'; readonly rows: number } & AnomalyMetrics);

export interface LearnReport {
  readonly id: string;
  readonly type: string;
  readonly task: 'classification' | 'regression' | 'anomaly';
  readonly labels: readonly string[];
  readonly featureShape: readonly number[];
  /** Headline facts the block reported while training (parameters, backend …). */
  readonly summary: Readonly<Record<string, string | number>>;
  readonly history?: HistoryReport;
  /** Why there is no training curve (an anomaly block fits in one pass, an imported model …). */
  readonly noHistory?: string;
  /** The evaluate stage's metrics.json (float32, test split). */
  readonly float32?: TaskMetrics;
  /** metrics-int8.json: the int8 model on the int8 reference interpreter. */
  readonly int8?: TaskMetrics;
  /** Why there is no int8 evaluation. */
  readonly int8Absent?: string;
  /** precision.json: test windows whose top label differs between float32 and int8. */
  readonly changedTopLabel?: number;
  readonly quantize?: { readonly method?: string; readonly rounding?: string; readonly calibrationSamples?: number };
  /** Bytes of the model IR's weights buffer. */
  readonly modelBytes?: { readonly float32?: number; readonly int8?: number };
  /** Per test window: computed by the report stage (absent in a baseline read from the cache alone). */
  readonly windows?: WindowsReport;
}

export interface ChangedWindow {
  readonly sample: string;
  readonly window: number;
  readonly label: string;
  readonly float32: string;
  readonly int8: string;
}

export interface ExplorerPoint {
  readonly x: number;
  readonly y: number;
  readonly label: string;
  /** Top label (classification) or value (regression) of the float32 model. */
  readonly predicted?: string | number;
  readonly sample: string;
  readonly window: number;
  /** Classification: the float32 model's top label is not the true one. */
  readonly wrong: boolean;
}

export interface ExplorerReport {
  readonly method: 'pca';
  /** Share of the (standardized) features' variance along each axis. */
  readonly explained: readonly [number, number];
  readonly features: number;
  /** Test windows projected; `points` may hold an even subset of them. */
  readonly total: number;
  readonly points: readonly ExplorerPoint[];
}

export interface SliceRow {
  readonly name: string;
  readonly windows: number;
  /** Classification: share of windows the float32 model gets right. */
  readonly accuracy?: number;
  readonly int8Accuracy?: number;
  /** Regression: mean absolute error. */
  readonly mae?: number;
}

export interface SliceReport {
  /** What a slice is, e.g. "sample file" or "group of data.split.groupBy '_([a-z]+)_'". */
  readonly by: string;
  /** Worst first (lowest accuracy, or highest error); at most SLICES_KEPT of them. */
  readonly slices: readonly SliceRow[];
  /** Slices in the test split. */
  readonly total: number;
}

export interface AnomalyScores {
  readonly byLabel: readonly { readonly label: string; readonly scores: readonly number[] }[];
  /** The block's suggested threshold (its model file), if it stores one. */
  readonly threshold?: { readonly value: number; readonly percentile?: number };
}

export interface WindowsReport {
  readonly rows: number;
  /** Windows whose top label changed between float32 and int8 (at most CHANGED_SHOWN of them). */
  readonly changed?: { readonly total: number; readonly shown: readonly ChangedWindow[] };
  readonly explorer?: ExplorerReport;
  readonly slices?: SliceReport;
  readonly anomaly?: AnomalyScores;
  /** What went wrong or differs while computing them (shown on the page, never swallowed). */
  readonly notes: readonly string[];
}

/** profile.json as the report reads it: only the fields shown, every one optional (written by core/device). */
export interface DeviceReport {
  readonly device: { readonly name: string; readonly description?: string; readonly clockHz?: number; readonly ramBytes?: number; readonly flashBytes?: number };
  readonly blocks: readonly {
    readonly id: string;
    readonly kind?: string;
    readonly type?: string;
    readonly estimated?: { readonly ms: number; readonly cycles?: number; readonly calibrated?: boolean };
    readonly measured?: { readonly ms: number; readonly cycles?: number; readonly instructions?: number; readonly stackBytes?: number };
  }[];
  readonly total?: { readonly estimated?: { readonly ms: number; readonly msWithWaitStates?: number }; readonly measured?: { readonly ms: number } };
  readonly ram?: { readonly estimated?: MemoryFigures; readonly measured?: MemoryFigures };
  readonly flash?: { readonly estimated?: MemoryFigures; readonly measured?: MemoryFigures };
  readonly fit?: { readonly basis?: string; readonly ramBytes?: number; readonly flashBytes?: number; readonly fitsRam?: boolean; readonly fitsFlash?: boolean };
  readonly measurement?: { readonly windows?: number; readonly source?: string; readonly outputCheck?: string };
  readonly notes: readonly string[];
}

/** RAM (arena, staticData, stack, total) or flash (code, constants, weights, libc, total) in bytes. */
export type MemoryFigures = Readonly<Record<string, number>>;

export const isDeviceReport = (d: ReportData['device']): d is DeviceReport => !('absent' in d);
