/**
 * The orders in which the heuristics feed buffers to the placer. Greedy by size is the classic
 * one (TFLite Micro's planner works this way); the others win on other shapes of problem: long-lived
 * buffers first keeps them from splitting the arena, early buffers first mimics the program's own
 * order, and "most crowded first" places the buffers that compete with the most bytes before the rest.
 * Ties are broken by the next keys and finally by index, so every result is deterministic.
 */
import type { LiveBuffer } from './buffer.js';

export type OrderingName = 'size' | 'lifetime' | 'area' | 'first-use' | 'crowded';

export const ORDERINGS: readonly OrderingName[] = ['size', 'lifetime', 'area', 'first-use', 'crowded'];

function length(b: LiveBuffer<unknown>): number {
  return b.last - b.first + 1;
}

/** Buffer indices sorted by descending keys (then ascending index). */
function sortedBy(buffers: readonly LiveBuffer<unknown>[], keys: (b: LiveBuffer<unknown>, i: number) => number[]): number[] {
  const k = buffers.map(keys);
  return buffers
    .map((_, i) => i)
    .sort((a, b) => {
      const ka = k[a]!;
      const kb = k[b]!;
      for (let x = 0; x < ka.length; x++) if (ka[x] !== kb[x]) return kb[x]! - ka[x]!;
      return a - b;
    });
}

export function orderBuffers(name: OrderingName, buffers: readonly LiveBuffer<unknown>[], conflicts: readonly (readonly number[])[]): number[] {
  switch (name) {
    case 'size':
      // Largest first; among equals the one that starts first (a stable, order-of-program tie-break).
      return sortedBy(buffers, (b) => [b.bytes, -b.first]);
    case 'lifetime':
      return sortedBy(buffers, (b) => [length(b), b.bytes, -b.first]);
    case 'area':
      return sortedBy(buffers, (b) => [length(b) * b.bytes, b.bytes, -b.first]);
    case 'first-use':
      return sortedBy(buffers, (b) => [-b.first, b.bytes, length(b)]);
    case 'crowded':
      return sortedBy(buffers, (b, i) => [b.bytes + conflicts[i]!.reduce((s, j) => s + buffers[j]!.bytes, 0), b.bytes, -b.first]);
  }
}
