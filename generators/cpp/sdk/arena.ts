/**
 * The one static arena of the SDK: the features buffer, the DSP blocks' scratch, the network's
 * tensors and scratch, and the anomaly block's scratch, placed by the memory planner over one
 * timeline — DSP (step before:2), features → network input (before:1), the network's ops, the
 * anomaly score (after:1) — so memory of a finished phase is reused by the next.
 */
import { planMemory, type MemoryPlan } from '../../../core/model/plan/index.js';
import type { ExtraBuffer } from '../../../core/model/plan/index.js';
import { kernelScratchBytes } from '../model/kernel-calls.js';
import type { KernelSet } from '../model/emit-model.js';
import { overlapGaps } from '../model/overlap.js';
import type { SdkSpec } from './spec.js';

const ALIGN = 16;
const align = (n: number) => Math.ceil(n / ALIGN) * ALIGN;

export interface ArenaLayout {
  readonly bytes: number;
  readonly featuresOffset: number;
  readonly dspScratchOffset: number;
  readonly anomalyScratchOffset: number;
  /** The network's plan (tensor offsets within the arena). */
  readonly plan?: MemoryPlan;
  /** Every buffer in memory of its own, and greedy-by-size on the network's IR order (network impulses). */
  readonly sumBytes: number;
  readonly greedyBytes?: number;
}

/** A bare model (no DSP, no anomaly block) reads the caller's input directly: no features buffer. */
export function hasFeaturesBuffer(spec: SdkSpec): boolean {
  return spec.dsp.length > 0 || spec.anomaly !== undefined;
}

/**
 * `kernels`: the kernel set the network is generated with (optimized convolutions need im2col
 * scratch). Outputs overlap inputs only where the kernels' access order allows it
 * (../model/overlap.ts); the optimized kernels keep the portable ones' order where it matters
 * (tested in ../model/optimized/kernels.test.ts), so both sets use the same gaps.
 */
export function layoutArena(spec: SdkSpec, kernels: KernelSet = 'optimized'): ArenaLayout {
  const featuresBytes = hasFeaturesBuffer(spec) ? spec.featureCount * 4 : 0;
  const dspScratch = Math.max(0, ...spec.dsp.map((d) => d.code.scratchFloats * 4));
  const anomalyScratch = (spec.anomaly?.code.scratchFloats ?? 0) * 4;
  if (!spec.network) {
    // No network: the features stay, DSP scratch and then the anomaly scratch share the rest.
    return {
      bytes: align(featuresBytes) + align(Math.max(dspScratch, anomalyScratch)),
      featuresOffset: 0,
      dspScratchOffset: align(featuresBytes),
      anomalyScratchOffset: align(featuresBytes),
      sumBytes: align(featuresBytes) + align(dspScratch) + align(anomalyScratch),
    };
  }
  const extra: ExtraBuffer[] = [];
  if (featuresBytes > 0) extra.push({ id: 'features', bytes: featuresBytes, from: { before: 2 }, to: spec.anomaly ? { after: 1 } : { before: 1 } });
  if (dspScratch > 0) extra.push({ id: 'dsp-scratch', bytes: dspScratch, from: { before: 2 }, to: { before: 2 } });
  if (anomalyScratch > 0) extra.push({ id: 'anomaly-scratch', bytes: anomalyScratch, from: { after: 1 }, to: { after: 1 } });
  const model = spec.network.model;
  const overlaps = overlapGaps(model);
  const plan = planMemory(model, { alignment: ALIGN, scratch: (op) => kernelScratchBytes(model, op, kernels), extraBuffers: extra, inputsWrittenBefore: 1, overlaps });
  return {
    bytes: plan.arenaBytes,
    featuresOffset: plan.extraOffsets.get('features') ?? 0,
    dspScratchOffset: plan.extraOffsets.get('dsp-scratch') ?? 0,
    anomalyScratchOffset: plan.extraOffsets.get('anomaly-scratch') ?? 0,
    plan,
    sumBytes: plan.sumBytes,
    greedyBytes: plan.greedyBytes,
  };
}
