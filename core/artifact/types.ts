/** The typed artifacts that flow between stages. Their on-disk form is in ./tensor-set.ts and ./samples.ts. */

export type Split = 'training' | 'testing';

/** One source file found by the data stage. */
export interface Sample {
  /** Path relative to the data root, with forward slashes; the sample id users see in errors. */
  readonly id: string;
  readonly label: string;
  readonly split: Split;
  /** Samples of one group (recording, speaker ...) always land on the same side of the split. */
  readonly group: string;
  readonly size: number;
  readonly sha256: string;
}

export interface SampleIndex {
  readonly samples: readonly Sample[];
  /** Sorted, unique. */
  readonly labels: readonly string[];
}

/** Per-row provenance of a tensor set (a window, an image or a feature vector). */
export interface RowMeta {
  readonly sample: string;
  readonly label: string;
  readonly split: Split;
  /** Window index inside its sample (0 for images). */
  readonly window: number;
}

/**
 * N rows of equal shape, row-major float32. Windows of a time series are [frames, axes]
 * with axes interleaved per frame (x0 y0 z0 x1 y1 z1 ...), images [height, width, channels].
 */
export interface TensorSet {
  readonly kind: 'signal' | 'image' | 'features';
  readonly shape: readonly number[];
  readonly rows: readonly RowMeta[];
  readonly data: Float32Array;
  readonly labels: readonly string[];
  /** Sampling frequency and axis names of time series, and what else downstream needs. */
  readonly attrs: Readonly<Record<string, unknown>>;
}

export function rowSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** A view of row `i` (no copy). */
export function rowOf(set: TensorSet, i: number): Float32Array {
  const n = rowSize(set.shape);
  return set.data.subarray(i * n, (i + 1) * n);
}
