/**
 * Estimated cycles of a network (model IR) on a Cortex-M4F: each op's work (op-work.ts) times its
 * kind's row of the cost tables, plus feeding the features into the network's input.
 */
import { elementCount, type ModelIR } from '../../model/ir.js';
import { M4F_TABLES, opCost, type Calibration } from './cost-model.js';
import { opWork, type OpWork } from './op-work.js';

export interface OpEstimate {
  readonly index: number;
  readonly work: OpWork;
  /** Estimated Cortex-M4F cycles (zero wait states). */
  readonly cycles: number;
  readonly calibrated: boolean;
}

export interface NetworkEstimate {
  readonly cycles: number;
  /** Cycles of the features → network input step (quantize or copy). */
  readonly inputCycles: number;
  readonly ops: readonly OpEstimate[];
  /** Cycles by op kind (the per-kind regions a measurement reports). */
  readonly byKind: ReadonlyMap<string, number>;
  readonly weightBytesRead: number;
  /** Whether every op kind had a calibrated cost row. */
  readonly calibrated: boolean;
  /** Fraction of the cycles spent in integer (vs floating-point) kernels. */
  readonly intShare: number;
}

export interface NetworkEstimateOptions {
  /** Op indices in the order they run (default: IR order). */
  readonly order?: readonly number[];
  /** Whether a reshape's input and output share storage (the memory plan says; default: yes). */
  readonly inPlace?: (input: number, output: number) => boolean;
  /** The network reads float features (impulse_run) rather than its own input type directly (impulse_run_quantized). */
  readonly floatFeatures?: boolean;
  /** Op index → the optimized kernel family the generated C calls (sdk-ops.ts); portable kernels otherwise. */
  readonly optimized?: ReadonlyMap<number, string>;
  readonly tables?: Calibration;
}

export function estimateNetwork(model: ModelIR, options: NetworkEstimateOptions = {}): NetworkEstimate {
  const tables = options.tables ?? M4F_TABLES;
  const order = options.order ?? model.ops.map((_, i) => i);
  const ops: OpEstimate[] = [];
  const byKind = new Map<string, number>();
  let calibrated = true;
  let intCycles = 0;
  for (const index of order) {
    const op = model.ops[index]!;
    const inPlace = op.op === 'reshape' && (options.inPlace?.(op.inputs[0]!, op.outputs[0]!) ?? true);
    const work = opWork(model, op, inPlace, options.optimized?.get(index));
    const { cost, calibrated: known } = opCost(work.kind, tables);
    const cycles = work.calls === 0 ? 0 : cost.perCall * work.calls + cost.perMac * work.macs + cost.perLoop * work.loops + cost.perOutput * work.outputs + cost.perColumn * work.columns;
    if (work.calls > 0 && !known) calibrated = false;
    if (work.kind.includes('.s8')) intCycles += cycles;
    ops.push({ index, work, cycles, calibrated: known || work.calls === 0 });
    byKind.set(work.kind, (byKind.get(work.kind) ?? 0) + cycles);
  }
  const input = model.tensors[model.inputs[0]!]!;
  const elements = elementCount(input.shape);
  const feed = tables.networkInput;
  const quantizes = (options.floatFeatures ?? true) && input.dtype === 'int8';
  const inputCycles = feed.perCall + (quantizes ? feed.perQuantized * elements : feed.perCopiedByte * elements * (input.dtype === 'float32' ? 4 : 1));
  const opCycles = ops.reduce((n, o) => n + o.cycles, 0);
  const cycles = inputCycles + opCycles;
  return {
    cycles,
    inputCycles,
    ops,
    byKind,
    weightBytesRead: ops.reduce((n, o) => n + o.work.weightBytesRead, 0),
    calibrated,
    intShare: cycles > 0 ? intCycles / cycles : 0,
  };
}
