/**
 * The packer on hand-made interval sets whose optimum is worked out below each case.
 * Sizes are multiples of 16 (the default alignment), so no padding blurs the arithmetic.
 */
import { describe, expect, test } from 'vitest';
import { alignedLowerBound, peakLiveBytes } from './bounds.js';
import type { LiveBuffer } from './buffer.js';
import { packingProblems } from './check.js';
import { packBuffers, packGreedyBySize } from './pack.js';

const buf = (id: string, bytes: number, first: number, last: number): LiveBuffer => ({ id, bytes, first, last });

describe('packBuffers', () => {
  test('greedy by size is not optimal here; the packer finds the optimum', () => {
    // A: 32 B live 0..1, B: 16 B live 1..2, C: 48 B live 0..0, D: 64 B live 2..3.
    // Live bytes per step: 0: A+C = 80, 1: A+B = 48, 2: B+D = 80, 3: D = 64 → no packing below 80.
    // Greedy by size (largest first, lowest offset that fits beside overlapping placed buffers):
    //   D(64) → 0; C(48) does not overlap D in time → 0; A(32) overlaps C → 48;
    //   B(16) overlaps D [0,64) and A [48,80): no gap below 80 → 80. Arena 96.
    // Optimum 80: D [0,64), B [64,80), A [0,32), C [32,80) — A and B (both live at step 1) are apart.
    const buffers = [buf('A', 32, 0, 1), buf('B', 16, 1, 2), buf('C', 48, 0, 0), buf('D', 64, 2, 3)];
    const greedy = packGreedyBySize(buffers);
    expect(greedy.arenaBytes).toBe(96);
    expect(Object.fromEntries(greedy.offsets)).toEqual({ D: 0, C: 0, A: 48, B: 80 });
    const ours = packBuffers(buffers);
    expect(ours.arenaBytes).toBe(80);
    expect(ours.greedyBySizeBytes).toBe(96);
    expect(ours.lowerBoundBytes).toBe(80);
    expect(ours.provenOptimal).toBe(true);
    expect(packingProblems(buffers, ours.offsets, ours.arenaBytes, 16)).toEqual([]);
  });

  test('buffers never live together share the same bytes', () => {
    // Three 256 B buffers one after another: one slot of 256 is enough.
    const buffers = [buf('a', 256, 0, 0), buf('b', 256, 1, 1), buf('c', 256, 2, 2)];
    const p = packBuffers(buffers);
    expect(p.arenaBytes).toBe(256);
    expect([...p.offsets.values()]).toEqual([0, 0, 0]);
  });

  test('buffers all live together are stacked: the arena is their padded sum', () => {
    // 10, 20 and 30 B live at once. Every buffer but the topmost is followed by padding up to a
    // multiple of 16 (10 → 16, 20 → 32, 30 → 32); the best on top is the one that would waste most
    // (20, 12 B of padding): 16 + 32 + 20 = 68.
    const buffers = [buf('a', 10, 0, 3), buf('b', 20, 0, 3), buf('c', 30, 0, 3)];
    const p = packBuffers(buffers);
    expect(alignedLowerBound(buffers, 16)).toBe(68);
    expect(peakLiveBytes(buffers)).toBe(60);
    expect(p.arenaBytes).toBe(68);
    expect(p.provenOptimal).toBe(true);
  });

  test('alignment 1 packs bytes tight', () => {
    const buffers = [buf('a', 10, 0, 3), buf('b', 20, 0, 3), buf('c', 30, 0, 3)];
    expect(packBuffers(buffers, { alignment: 1 }).arenaBytes).toBe(60);
  });

  test('no buffers: an empty arena', () => {
    const p = packBuffers([]);
    expect(p.arenaBytes).toBe(0);
    expect(p.offsets.size).toBe(0);
  });

  test('rejects what no packing can honour', () => {
    expect(() => packBuffers([buf('a', 0, 0, 1)])).toThrow(/bytes must be a positive integer/);
    expect(() => packBuffers([buf('a', 16, 2, 1)])).toThrow(/first ≤ last/);
    expect(() => packBuffers([buf('a', 16, 0, 1), buf('a', 16, 0, 1)])).toThrow(/used twice/);
    expect(() => packBuffers([buf('a', 16, 0, 1)], { alignment: 0 })).toThrow(/alignment/);
  });
});
