/**
 * Properties of the packer on many seeded random interval sets: every packing is valid (buffers
 * live at the same step never overlap, offsets aligned), no packing beats the lower bound, ours is
 * never larger than greedy by size, and on small sets it equals the true optimum found by trying
 * every placement order (lowest fit over all orders reaches the optimum: see exact.ts).
 */
import { describe, expect, test } from 'vitest';
import { alignedLowerBound, peakLiveBytes } from './bounds.js';
import { conflictLists, type LiveBuffer } from './buffer.js';
import { packingProblems } from './check.js';
import { packBuffers, packGreedyBySize } from './pack.js';
import { placeInOrder } from './place.js';
import { seededRandom } from './random.js';

function randomBuffers(random: () => number, n: number, span: number, maxBytes: number): LiveBuffer[] {
  return Array.from({ length: n }, (_, i) => {
    const first = Math.floor(random() * span);
    return { id: `b${i}`, bytes: 1 + Math.floor(random() * maxBytes), first, last: first + Math.floor(random() * 5) };
  });
}

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, k) => [...p.slice(0, k), n - 1, ...p.slice(k)]));
}

describe('packer properties', () => {
  test('valid, aligned, above the lower bound and never worse than greedy by size (1,000 random sets)', () => {
    const random = seededRandom(42);
    let better = 0;
    for (let k = 0; k < 1000; k++) {
      const alignment = [1, 4, 16][k % 3]!;
      const buffers = randomBuffers(random, 1 + Math.floor(random() * 40), 30, 1 + Math.floor(random() * 4000));
      const ours = packBuffers(buffers, { alignment });
      const greedy = packGreedyBySize(buffers, { alignment });
      expect(packingProblems(buffers, ours.offsets, ours.arenaBytes, alignment)).toEqual([]);
      expect(packingProblems(buffers, greedy.offsets, greedy.arenaBytes, alignment)).toEqual([]);
      expect(ours.arenaBytes).toBeGreaterThanOrEqual(peakLiveBytes(buffers));
      expect(ours.arenaBytes).toBeGreaterThanOrEqual(alignedLowerBound(buffers, alignment));
      expect(ours.arenaBytes).toBeLessThanOrEqual(greedy.arenaBytes);
      expect(ours.greedyBySizeBytes).toBe(greedy.arenaBytes);
      if (ours.arenaBytes < greedy.arenaBytes) better++;
    }
    // Not a property, a sanity check that the strategies beyond greedy matter at all.
    expect(better).toBeGreaterThan(50);
  });

  test('equals the optimum over every placement order on small sets (300 random sets of ≤ 7 buffers)', () => {
    const random = seededRandom(7);
    for (let k = 0; k < 300; k++) {
      const buffers = randomBuffers(random, 2 + Math.floor(random() * 6), 6, 100);
      const conflicts = conflictLists(buffers);
      let optimum = Infinity;
      for (const order of permutations(buffers.length)) optimum = Math.min(optimum, placeInOrder(buffers, conflicts, order, 'lowest', 16).arenaBytes);
      const ours = packBuffers(buffers, { localSearchIterations: 0 });
      expect(ours.arenaBytes).toBe(optimum);
      expect(ours.provenOptimal).toBe(true);
    }
  });

  test('the exact search proves optimality on sets of 12 buffers', () => {
    const random = seededRandom(99);
    for (let k = 0; k < 40; k++) {
      const buffers = randomBuffers(random, 12, 8, 500);
      const ours = packBuffers(buffers);
      expect(ours.provenOptimal).toBe(true);
      expect(packingProblems(buffers, ours.offsets, ours.arenaBytes, 16)).toEqual([]);
    }
  });

  test('deterministic: the same input gives the same offsets', () => {
    const buffers = randomBuffers(seededRandom(5), 60, 40, 3000);
    expect([...packBuffers(buffers).offsets]).toEqual([...packBuffers(buffers).offsets]);
  });
});
