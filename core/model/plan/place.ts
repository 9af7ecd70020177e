/**
 * Places buffers one at a time, in a given order, each beside the already-placed buffers whose
 * lifetimes overlap it. Every ordering heuristic (greedy by size and the others) and the local
 * search share this; they differ only in the order they feed it and in the fit rule.
 */
import { alignUp, type LiveBuffer } from './buffer.js';

/**
 * - `lowest`: the lowest aligned offset where the buffer fits (first fit). Enough to reach the
 *   optimum: some order of the buffers yields an optimal packing under this rule.
 * - `tightest`: the smallest gap between neighbours that holds it (best fit), else on top;
 *   keeps large gaps for large buffers that come later.
 */
export type FitRule = 'lowest' | 'tightest';

/** Occupied byte ranges [start, end) of the placed neighbours, sorted by start. */
export function occupiedBy(neighbours: readonly number[], offsets: Int32Array | readonly number[], buffers: readonly LiveBuffer<unknown>[]): [number, number][] {
  const ranges: [number, number][] = [];
  for (const j of neighbours) {
    const o = offsets[j]!;
    if (o >= 0) ranges.push([o, o + buffers[j]!.bytes]);
  }
  return ranges.sort((a, b) => a[0] - b[0]);
}

/** The lowest aligned offset ≥ `from` where `bytes` fit between the sorted occupied ranges. */
export function lowestFit(occupied: readonly (readonly [number, number])[], bytes: number, from: number, alignment: number): number {
  let pos = alignUp(from, alignment);
  for (const [start, end] of occupied) {
    if (pos + bytes <= start) break;
    if (end > pos) pos = alignUp(end, alignment);
  }
  return pos;
}

/** The start of the smallest gap that holds `bytes` (the open space above everything counts as infinite). */
export function tightestFit(occupied: readonly (readonly [number, number])[], bytes: number, alignment: number): number {
  let pos = 0;
  let best = -1;
  let bestGap = Infinity;
  for (const [start, end] of occupied) {
    const gap = start - pos;
    if (gap >= bytes && gap < bestGap) {
      best = pos;
      bestGap = gap;
    }
    if (end > pos) pos = alignUp(end, alignment);
  }
  return best >= 0 ? best : pos;
}

/** Offsets (by buffer index) and arena size of placing the buffers in `order` with `rule`. */
export function placeInOrder(
  buffers: readonly LiveBuffer<unknown>[],
  conflicts: readonly (readonly number[])[],
  order: readonly number[],
  rule: FitRule,
  alignment: number,
): { offsets: Int32Array; arenaBytes: number } {
  const offsets = new Int32Array(buffers.length).fill(-1);
  let arenaBytes = 0;
  for (const i of order) {
    const b = buffers[i]!;
    const occupied = occupiedBy(conflicts[i]!, offsets, buffers);
    const o = rule === 'lowest' ? lowestFit(occupied, b.bytes, 0, alignment) : tightestFit(occupied, b.bytes, alignment);
    offsets[i] = o;
    arenaBytes = Math.max(arenaBytes, o + b.bytes);
  }
  return { offsets, arenaBytes };
}
