/**
 * The packer's input: buffers with a size and a lifetime on a timeline of integer steps.
 * Two buffers conflict when their lifetimes share a step; conflicting buffers must not overlap
 * in memory. Nothing here knows about models, so the packer can be tested on bare intervals.
 */

/** A buffer of `bytes` (> 0) that is live — written or read — at every step from `first` to `last` inclusive. */
export interface LiveBuffer<Id = string> {
  readonly id: Id;
  readonly bytes: number;
  readonly first: number;
  readonly last: number;
}

/** Offsets are multiples of this (kernels read int32 bias / SIMD words from the arena). */
export const DEFAULT_ALIGNMENT = 16;

export function alignUp(n: number, alignment: number): number {
  return Math.ceil(n / alignment) * alignment;
}

/** Whether two lifetimes share a step. */
export function livesOverlap(a: { first: number; last: number }, b: { first: number; last: number }): boolean {
  return a.first <= b.last && b.first <= a.last;
}

/** Throws on input no packing can honour; the packer's callers are code, so these are bugs, not user errors. */
export function validateBuffers<Id>(buffers: readonly LiveBuffer<Id>[], alignment: number): void {
  if (!Number.isInteger(alignment) || alignment < 1) throw new RangeError(`alignment must be a positive integer, got ${alignment}`);
  const seen = new Set<Id>();
  for (const b of buffers) {
    if (!Number.isSafeInteger(b.bytes) || b.bytes <= 0) throw new RangeError(`buffer ${String(b.id)}: bytes must be a positive integer, got ${b.bytes}`);
    if (!Number.isSafeInteger(b.first) || !Number.isSafeInteger(b.last) || b.first > b.last) {
      throw new RangeError(`buffer ${String(b.id)}: lifetime ${b.first}..${b.last} is not an integer range with first ≤ last`);
    }
    if (seen.has(b.id)) throw new RangeError(`buffer id ${String(b.id)} is used twice`);
    seen.add(b.id);
  }
}

/**
 * For each buffer (by index), the indices of the buffers whose lifetimes overlap it.
 * Computed once per problem: every placement strategy only ever looks at these neighbours.
 */
export function conflictLists(buffers: readonly LiveBuffer<unknown>[]): number[][] {
  const lists: number[][] = buffers.map(() => []);
  // Sweep by first step: only buffers that start before b ends can overlap it.
  const byFirst = buffers.map((_, i) => i).sort((a, b) => buffers[a]!.first - buffers[b]!.first);
  for (let x = 0; x < byFirst.length; x++) {
    const i = byFirst[x]!;
    const bi = buffers[i]!;
    for (let y = x + 1; y < byFirst.length; y++) {
      const j = byFirst[y]!;
      if (buffers[j]!.first > bi.last) break;
      lists[i]!.push(j);
      lists[j]!.push(i);
    }
  }
  return lists;
}
