/**
 * Lower bounds on the arena of a set of buffers, whatever the packing: at any step every live
 * buffer needs its own bytes. Used to stop searching early (a packing at the bound is optimal)
 * and by tests as the floor no packing may beat.
 */
import { alignUp, type LiveBuffer } from './buffer.js';

/** The steps where the set of live buffers can be largest: a maximal live set starts at some buffer's first step. */
function candidateSteps(buffers: readonly LiveBuffer<unknown>[]): number[] {
  return [...new Set(buffers.map((b) => b.first))];
}

/** Largest sum of bytes of the buffers live at one step (0 when there are none). */
export function peakLiveBytes(buffers: readonly LiveBuffer<unknown>[]): number {
  let peak = 0;
  for (const s of candidateSteps(buffers)) {
    let sum = 0;
    for (const b of buffers) if (b.first <= s && s <= b.last) sum += b.bytes;
    peak = Math.max(peak, sum);
  }
  return peak;
}

/**
 * `peakLiveBytes` tightened for alignment: buffers live together are stacked at aligned offsets,
 * so each one but the topmost takes its size rounded up to the alignment; the topmost is best
 * chosen as the one that wastes the most padding.
 */
export function alignedLowerBound(buffers: readonly LiveBuffer<unknown>[], alignment: number): number {
  let bound = 0;
  for (const s of candidateSteps(buffers)) {
    let sum = 0;
    let maxPadding = 0;
    for (const b of buffers) {
      if (b.first > s || s > b.last) continue;
      const padded = alignUp(b.bytes, alignment);
      sum += padded;
      maxPadding = Math.max(maxPadding, padded - b.bytes);
    }
    bound = Math.max(bound, sum - maxPadding);
  }
  return bound;
}
