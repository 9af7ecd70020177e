/**
 * Outputs overlapping inputs (PlanOptions.overlaps): the output sits `gap` bytes below its input
 * in one buffer when that lowers the arena, and not when it does not.
 */
import { describe, expect, test } from 'vitest';
import { ModelBuilder } from '../builder.js';
import type { ModelIR } from '../ir.js';
import { planMemory } from './plan.js';

/** x [1000 B] → op 0 → y [2000 B] → op 1 → z [16 B]; ops are 1×1 convs (only shapes matter here). */
function chain(): ModelIR {
  const b = new ModelBuilder();
  const x = b.tensor('x', [1, 1, 100, 10], 'int8');
  const w1 = b.tensor('w1', [20, 1, 1, 10], 'int8', { data: new Int8Array(200) });
  const y = b.tensor('y', [1, 1, 100, 20], 'int8');
  const w2 = b.tensor('w2', [16, 100, 20], 'int8', { data: new Int8Array(32000) });
  const z = b.tensor('z', [1, 16], 'int8');
  b.op({ op: 'conv2d', inputs: [x, w1], outputs: [y], stride: [1, 1], dilation: [1, 1], padding: 'valid', activation: 'none' });
  b.op({ op: 'fullyConnected', inputs: [y, w2], outputs: [z], activation: 'none' });
  return b.build([x], [z]);
}

describe('overlaps', () => {
  test('a chain: x and y overlap by the allowed gap, saving the input', () => {
    // Apart: x and y live together at op 0: y at 0 (2000 B, a multiple of 16), x above it → 3000 B.
    // Overlapping with gap 1200 (y starts 1200 B below x): one buffer of max(1200 + 1000, 2000) = 2200 B;
    // at op 1 that buffer and z (16 B): z at 0 and the buffer above it at 16 → 2216 B.
    const model = chain();
    const apart = planMemory(model, { alignment: 16 });
    const together = planMemory(model, { alignment: 16, overlaps: new Map([[0, 1200]]) });
    expect(apart.arenaBytes).toBe(3000);
    expect(together.arenaBytes).toBe(2216);
    const [x, y] = [0, 2];
    expect(together.offsets.get(x)! - together.offsets.get(y)!).toBe(1200);
  });

  test('a gap so large the overlap saves nothing is not taken', () => {
    const model = chain();
    const plan = planMemory(model, { alignment: 16, overlaps: new Map([[0, 5000]]) });
    expect(plan.arenaBytes).toBe(planMemory(model, { alignment: 16 }).arenaBytes);
    const [x, y] = [0, 2];
    expect(plan.offsets.get(x)! - plan.offsets.get(y)!).not.toBe(5000);
  });

  test('no overlap when the input is read again by another op', () => {
    const b = new ModelBuilder();
    const x = b.tensor('x', [1, 1, 100, 10], 'int8');
    const w = b.tensor('w', [10, 1, 1, 10], 'int8', { data: new Int8Array(100) });
    const y = b.tensor('y', [1, 1, 100, 10], 'int8');
    const z = b.tensor('z', [1, 1, 100, 10], 'int8');
    b.op({ op: 'conv2d', inputs: [x, w], outputs: [y], stride: [1, 1], dilation: [1, 1], padding: 'valid', activation: 'none' });
    b.op({ op: 'add', inputs: [x, y], outputs: [z], activation: 'none' });
    const model = b.build([x], [z]);
    const plan = planMemory(model, { alignment: 16, overlaps: new Map([[0, 0]]) });
    // x is read by the add after the conv wrote y: they must not share bytes
    const [ox, oy] = [plan.offsets.get(x)!, plan.offsets.get(y)!];
    expect(ox + 1000 <= oy || oy + 1000 <= ox).toBe(true);
  });
});
