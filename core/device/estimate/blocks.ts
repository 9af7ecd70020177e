/**
 * Estimated cycles of a DSP block (from its own `cost()`: multiply-accumulates and dearer float
 * operations per window) and of an anomaly block (from the size of its model), on a Cortex-M4F.
 */
import type { DspBlock, SignalInfo } from '../../plugin/types.js';
import { anomalyCost, dspCost, M4F_TABLES, type BlockCost, type Calibration } from './cost-model.js';

export interface BlockWork {
  readonly macs: number;
  readonly flops: number;
  /** Values in (the window, or the features scored) and out (features, or 1 score). */
  readonly inputs: number;
  readonly outputs: number;
}

export interface BlockEstimate {
  readonly cycles: number;
  readonly work: BlockWork;
  readonly calibrated: boolean;
  /** The block's own statement of its working memory and constant tables (bytes), when it makes one. */
  readonly ramBytes?: number;
  readonly flashBytes?: number;
}

function cyclesOf(cost: BlockCost, work: BlockWork): number {
  return cost.perCall + cost.perMac * work.macs + cost.perFlop * work.flops + cost.perInput * work.inputs + cost.perOutput * work.outputs;
}

/**
 * The cost row of a DSP block: its type, or `type/variant` where one block's modes spend
 * differently per counted operation (spectral analysis: its wavelet path's cost() counts are
 * about half of what the C spends, relative to its FFT path).
 */
export function dspCostKey(type: string, params: Readonly<Record<string, unknown>>): string {
  if (type === 'spectral-analysis' && params['analysisType'] === 'wavelet') return `${type}/wavelet`;
  return type;
}

/** The counts of one window of a DSP block (undefined without cost()). */
export function dspWork(block: DspBlock, params: Readonly<Record<string, unknown>>, input: SignalInfo): (BlockWork & { ramBytes?: number; flashBytes?: number }) | undefined {
  if (!block.cost) return undefined;
  const c = block.cost(params as never, input);
  const inputs = input.shape.reduce((a, b) => a * b, 1);
  const outputs = block.shape(params as never, input).reduce((a, b) => a * b, 1);
  return { macs: c.macs, flops: c.flops ?? 0, inputs, outputs, ...(c.ramBytes !== undefined ? { ramBytes: c.ramBytes } : {}), ...(c.flashBytes !== undefined ? { flashBytes: c.flashBytes } : {}) };
}

/** Undefined when the block has no cost model (a plugin block without `cost()`). */
export function estimateDsp(block: DspBlock, params: Readonly<Record<string, unknown>>, input: SignalInfo, tables: Calibration = M4F_TABLES): BlockEstimate | undefined {
  const w = dspWork(block, params, input);
  if (!w) return undefined;
  const { ramBytes, flashBytes, ...work } = w;
  const { cost, calibrated } = dspCost(dspCostKey(block.type, params), tables);
  return { cycles: cyclesOf(cost, work), work, calibrated, ...(ramBytes !== undefined ? { ramBytes } : {}), ...(flashBytes !== undefined ? { flashBytes } : {}) };
}

/**
 * Work of one anomaly score: standardising the row, then distances to each cluster (k-means) or
 * each Gaussian's exponent (GMM), for the number of clusters/components the params ask for (the
 * trained model may have fewer when there were fewer training rows).
 */
export function anomalyWork(type: string, params: Readonly<Record<string, unknown>>, features: number): BlockWork {
  if (type === 'anomaly-kmeans') {
    const k = Number(params['clusters'] ?? 32);
    return { macs: features * (k + 2), flops: 1, inputs: features, outputs: 1 };
  }
  if (type === 'anomaly-gmm') {
    const k = Number(params['components'] ?? 8);
    return { macs: features * (2 * k + 2), flops: k + 1, inputs: features, outputs: 1 };
  }
  return { macs: features, flops: 1, inputs: features, outputs: 1 };
}

export function estimateAnomaly(type: string, params: Readonly<Record<string, unknown>>, features: number, tables: Calibration = M4F_TABLES): BlockEstimate {
  const work = anomalyWork(type, params, features);
  const { cost, calibrated } = anomalyCost(type, tables);
  return { cycles: cyclesOf(cost, work), work, calibrated };
}
