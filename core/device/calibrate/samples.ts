/**
 * Calibration samples: what one measurement says about each part of the cost model — per op (or
 * per op kind) the work and the measured cycles, per DSP or anomaly block its cost() counts and
 * cycles, the network's input feed and impulse_run's own work (what the regions leave over), the
 * stack of each kind of block, and the compiled size of each SDK source.
 */
import type { SdkSpec } from '../../../generators/cpp/sdk/spec.js';
import { elementCount } from '../../model/ir.js';
import { anomalyWork, dspCostKey, dspWork } from '../estimate/blocks.js';
import { opWork, type OpWork } from '../estimate/op-work.js';
import { sdkOptimizedFamilies } from '../estimate/sdk-ops.js';
import type { MeasuredFootprint } from '../measure/footprint.js';
import type { MeasurementFirmware } from '../measure/firmware.js';
import type { MeasuredRun } from '../measure/run.js';
import type { ProfileSubject } from '../profile/subject.js';

/** An op's work (as the estimate counts it) beside what it measured. */
export interface OpSample extends Omit<OpWork, 'weightBytesRead'> {
  /** Measured Cortex-M4 cycles per inference. */
  readonly cycles: number;
  readonly origin: string;
}

export interface BlockSample {
  readonly family: 'dsp' | 'anomaly';
  /** The cost row: block type, or type/variant (dspCostKey). */
  readonly type: string;
  readonly macs: number;
  readonly flops: number;
  readonly inputs: number;
  readonly outputs: number;
  readonly cycles: number;
  readonly stackBytes: number;
  readonly origin: string;
}

export interface CalibrationSamples {
  readonly ops: OpSample[];
  readonly blocks: BlockSample[];
  /** Network region minus its op regions: the input feed (quantized elements or copied bytes) and the calls. */
  readonly networkInput: { quantized: number; copiedBytes: number; ops: number; cycles: number; origin: string }[];
  /** impulse_run minus its block regions. */
  readonly pipeline: { inputs: number; features: number; cycles: number; origin: string }[];
  readonly stack: { kind: 'network' | 'run'; bytes: number; deepestBlock: number; origin: string }[];
  readonly code: { origin: string; spec: SdkSpec; footprint: MeasuredFootprint; sources: ReadonlyMap<string, string | Uint8Array> }[];
}

export function emptySamples(): CalibrationSamples {
  return { ops: [], blocks: [], networkInput: [], pipeline: [], stack: [], code: [] };
}

/** Adds what one measured firmware says. `origin` names it (e.g. "fixture kws_ref_model"). */
export function collectSamples(into: CalibrationSamples, origin: string, subject: ProfileSubject, fw: MeasurementFirmware, run: MeasuredRun, footprint: MeasuredFootprint): void {
  const calls = run.count;
  const spec = fw.spec;
  const net = spec.network;
  const plan = fw.sdk.arena.plan;
  let opCycles = 0;
  for (const region of fw.opRegions) {
    const m = run.ops.get(region.name);
    if (!m || !net) continue;
    const w = { calls: 0, macs: 0, loops: 0, outputs: 0, columns: 0 };
    const optimized = sdkOptimizedFamilies(spec, fw.sdk);
    for (const i of region.ops) {
      const op = net.model.ops[i]!;
      const inPlace = op.op === 'reshape' && plan !== undefined && plan.offsets.get(op.inputs[0]!) === plan.offsets.get(op.outputs[0]!);
      const x = opWork(net.model, op, inPlace, optimized.get(i));
      w.calls += x.calls;
      w.macs += x.macs;
      w.loops += x.loops;
      w.outputs += x.outputs;
      w.columns += x.columns;
    }
    opCycles += m.cycles / calls;
    if (w.calls > 0) into.ops.push({ kind: region.kind, ...w, cycles: m.cycles / calls, origin: `${origin} | ${region.name}` });
  }
  let deepest = 0;
  let blockCycles = 0;
  for (const b of fw.blocks) {
    const m = run.blocks.get(b.id);
    if (!m || m.entries === 0) continue;
    const cycles = m.cycles / calls;
    blockCycles += cycles;
    deepest = Math.max(deepest, m.stackPeakBytes);
    if (b.kind === 'dsp') {
      const d = subject.dsp.find((x) => x.id === b.id)!;
      const w = dspWork(d.block, d.params, d.input);
      if (w) into.blocks.push({ family: 'dsp', type: dspCostKey(d.block.type, d.params), macs: w.macs, flops: w.flops, inputs: w.inputs, outputs: w.outputs, cycles, stackBytes: m.stackPeakBytes, origin: `${origin} | ${b.id}` });
    } else if (b.kind === 'anomaly') {
      const a = subject.anomalies.find((x) => x.id === b.id)!;
      const w = anomalyWork(a.type, a.params, a.features);
      into.blocks.push({ family: 'anomaly', type: a.type, ...w, cycles, stackBytes: m.stackPeakBytes, origin: `${origin} | ${b.id}` });
    } else if (net && fw.opRegions.length > 0) {
      const input = net.model.tensors[net.model.inputs[0]!]!;
      const quantizes = run.mode !== 'quantized' && input.dtype === 'int8';
      const n = elementCount(input.shape);
      into.networkInput.push({ quantized: quantizes ? n : 0, copiedBytes: quantizes ? 0 : n * (input.dtype === 'float32' ? 4 : 1), ops: net.model.ops.length, cycles: Math.max(0, cycles - opCycles), origin });
      into.stack.push({ kind: 'network', bytes: m.stackPeakBytes, deepestBlock: 0, origin });
    }
  }
  if (run.mode === 'signal') into.pipeline.push({ inputs: spec.input.kind === 'signal' ? spec.input.length : 0, features: spec.input.kind === 'signal' && spec.dsp.length > 0 ? spec.featureCount : 0, cycles: Math.max(0, run.run.cycles / calls - blockCycles), origin });
  into.stack.push({ kind: 'run', bytes: run.run.stackPeakBytes, deepestBlock: deepest, origin });
  into.code.push({ origin, spec, footprint, sources: fw.sdk.files });
}

/** The samples without those of one measured case (for held-out errors). */
export function withoutCase(samples: CalibrationSamples, name: string): CalibrationSamples {
  const keep = (s: { origin: string }) => s.origin !== name && !s.origin.startsWith(`${name} | `);
  return {
    ops: samples.ops.filter(keep),
    blocks: samples.blocks.filter(keep),
    networkInput: samples.networkInput.filter(keep),
    pipeline: samples.pipeline.filter(keep),
    stack: samples.stack.filter(keep),
    code: samples.code.filter(keep),
  };
}
