/**
 * Buffers with lifetimes for one execution order: a tensor buffer is live from the step that writes
 * it (step 0, or earlier if asked, for model inputs) to its last reader, and to the end of the
 * timeline for model outputs; an op's scratch only at that op's step; extra buffers where the
 * caller put them.
 */
import type { LiveBuffer } from './buffer.js';
import type { NetworkGraph } from './graph.js';
import { lastStep, stepOf, type ExtraBuffer, type Timeline } from './timeline.js';

/** What an arena buffer holds. */
export type BufferContents =
  | { readonly kind: 'tensors'; readonly tensors: readonly number[]; readonly relOffsets: readonly number[] }
  | { readonly kind: 'scratch'; readonly op: number }
  | { readonly kind: 'extra'; readonly id: string };

export interface ArenaBuffer extends LiveBuffer<string> {
  readonly holds: BufferContents;
}

export interface LifetimeInputs {
  readonly graph: NetworkGraph;
  readonly timeline: Timeline;
  /** Scratch bytes per op index (only ops that need some). */
  readonly scratch: ReadonlyMap<number, number>;
  readonly extras: readonly ExtraBuffer[];
  /** Steps before the network at which the caller writes the model inputs (0: at the first op). */
  readonly inputsBefore: number;
}

/** `order[p]` is the op run at step p. */
export function arenaBuffers(inputs: LifetimeInputs, order: readonly number[]): ArenaBuffer[] {
  const { graph, timeline } = inputs;
  const stepOfOp = new Int32Array(graph.opCount);
  order.forEach((op, p) => (stepOfOp[op] = p));
  const end = lastStep(timeline);
  const buffers: ArenaBuffer[] = [];
  for (const g of graph.groups) {
    const first = g.producer === 'input' ? 0 - inputs.inputsBefore : stepOfOp[g.producer]!; // 0 − n, not −n: no −0 for n = 0
    let last = first;
    for (const c of g.consumers) last = Math.max(last, stepOfOp[c]!);
    if (g.isOutput) last = Math.max(last, end);
    buffers.push({ id: `tensor:${g.tensors[0]}`, bytes: g.bytes, first, last, holds: { kind: 'tensors', tensors: g.tensors, relOffsets: g.relOffsets } });
  }
  for (const [op, bytes] of inputs.scratch) {
    const step = stepOfOp[op]!;
    buffers.push({ id: `scratch:${op}`, bytes, first: step, last: step, holds: { kind: 'scratch', op } });
  }
  for (const x of inputs.extras) {
    buffers.push({ id: `extra:${x.id}`, bytes: x.bytes, first: stepOf(timeline, x.from), last: stepOf(timeline, x.to), holds: { kind: 'extra', id: x.id } });
  }
  return buffers;
}
