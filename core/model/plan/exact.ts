/**
 * Exact packing by branch and bound, for small problems (a dozen buffers).
 *
 * Why placing buffers one by one at their lowest fit can reach the optimum: take an optimal
 * packing and re-place its buffers in increasing offset order, each at the lowest offset that fits
 * beside those already re-placed. Each buffer's old offset still fits (everything below it only
 * moved down), so no buffer moves up and the arena does not grow. Repeating this reaches a packing
 * that the rule reproduces when fed its own buffers in order of (offset, index). So it is enough
 * to search sequences in which the lowest-fit offsets never decrease and equal offsets come in
 * index order — far fewer than all n! orders.
 *
 * Bounds, both from the fact that every buffer not yet placed ends up at or above the last placed
 * offset: (1) each one ends no lower than the lowest offset above it where it fits beside what is
 * placed now (more buffers only push it up), plus its size; (2) at any step, the unplaced buffers
 * live then, and the parts above that offset of the placed ones live then, are disjoint and all
 * above that offset, so the arena holds their sum on top of it (padding as in bounds.ts).
 */
import { alignUp, type LiveBuffer } from './buffer.js';
import { lowestFit, occupiedBy } from './place.js';

export interface ExactSearch {
  /** Offsets of a packing smaller than the `upperBound` given, when one was found. */
  readonly offsets: Int32Array | undefined;
  /** The smallest arena found (the `upperBound` given when none was smaller). */
  readonly arenaBytes: number;
  /** True when the search ran to the end: `arenaBytes` is then the optimum. */
  readonly complete: boolean;
  readonly nodes: number;
}

export interface ExactOptions {
  readonly alignment: number;
  /** Arena of the best packing known; only smaller ones are searched for. */
  readonly upperBound: number;
  /** Stop as soon as a packing reaches this (it cannot be beaten). */
  readonly lowerBound: number;
  /** Search nodes before giving up (the result is then the best found, not proven optimal). */
  readonly nodeBudget: number;
}

interface Child {
  readonly buffer: number;
  readonly offset: number;
  readonly height: number;
}

export function exactPacking(buffers: readonly LiveBuffer<unknown>[], conflicts: readonly (readonly number[])[], options: ExactOptions): ExactSearch {
  const { alignment, lowerBound, nodeBudget } = options;
  const n = buffers.length;
  const offsets = new Int32Array(n).fill(-1);
  const steps = [...new Set(buffers.map((b) => b.first))];

  /** Bound (2): the most bytes that must fit above `floor` at one step. */
  const stackedAbove = (floor: number): number => {
    let bound = 0;
    for (const s of steps) {
      let sum = 0;
      let maxPadding = 0;
      for (let i = 0; i < n; i++) {
        const b = buffers[i]!;
        if (b.first > s || s > b.last) continue;
        const o = offsets[i]!;
        if (o < 0) {
          const padded = alignUp(b.bytes, alignment);
          sum += padded;
          maxPadding = Math.max(maxPadding, padded - b.bytes);
        } else sum += Math.max(0, o + b.bytes - Math.max(o, floor));
      }
      bound = Math.max(bound, sum - maxPadding);
    }
    return floor + bound;
  };
  let best = options.upperBound;
  let bestOffsets: Int32Array | undefined;
  let nodes = 0;
  let aborted = false;

  const search = (placed: number, lastOffset: number, lastBuffer: number, height: number): void => {
    if (placed === n) {
      if (height < best) {
        best = height;
        bestOffsets = offsets.slice();
      }
      return;
    }
    if (++nodes > nodeBudget) {
      aborted = true;
      return;
    }
    const children: Child[] = [];
    let bound = height;
    for (let r = 0; r < n; r++) {
      if (offsets[r]! >= 0) continue;
      const bytes = buffers[r]!.bytes;
      const occupied = occupiedBy(conflicts[r]!, offsets, buffers);
      // Equal offsets come in index order, so a lower index must sit strictly above the last one.
      const minOffset = r > lastBuffer ? lastOffset : lastOffset + 1;
      const fit = lowestFit(occupied, bytes, 0, alignment);
      const floor = fit >= minOffset ? fit : lowestFit(occupied, bytes, minOffset, alignment);
      bound = Math.max(bound, floor + bytes);
      if (fit >= minOffset) children.push({ buffer: r, offset: fit, height: Math.max(height, fit + bytes) });
    }
    if (bound >= best || stackedAbove(lastOffset) >= best) return;
    children.sort((a, b) => a.height - b.height || a.offset - b.offset || a.buffer - b.buffer);
    for (const c of children) {
      if (c.height >= best) break;
      offsets[c.buffer] = c.offset;
      search(placed + 1, c.offset, c.buffer, c.height);
      offsets[c.buffer] = -1;
      if (aborted || best <= lowerBound) return;
    }
  };

  search(0, 0, -1, 0);
  return { offsets: bestOffsets, arenaBytes: best, complete: !aborted, nodes };
}
