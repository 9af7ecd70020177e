/**
 * The planner on many seeded random graphs (branches, joins, reshapes, several inputs and outputs),
 * checked against brute force: every topological order, each packed exactly. The plan must be
 * valid (independent check), never above greedy by size nor above the IR's own order, and — these
 * graphs being small enough for the planner to try every order — equal to the true optimum.
 */
import { describe, expect, test } from 'vitest';
import type { ModelIR } from '../ir.js';
import type { LiveBuffer } from './buffer.js';
import { packBuffers } from './pack.js';
import { planMemory } from './plan.js';
import { seededRandom } from './random.js';
import { GraphSketch, planProblems } from './test-helpers.js';

function randomGraph(random: () => number): ModelIR {
  const g = new GraphSketch();
  const size = () => (random() < 0.5 ? 16 * (1 + Math.floor(random() * 32)) : 1 + Math.floor(random() * 500));
  const inputs = Array.from({ length: 1 + Math.floor(random() * 2) }, (_, i) => g.tensor(`in${i}`, size()));
  const made = [...inputs];
  const read = new Set<number>();
  const pick = () => made[Math.floor(random() * made.length)]!;
  const ops = 3 + Math.floor(random() * 5);
  for (let k = 0; k < ops; k++) {
    const kind = random();
    if (kind < 0.2) {
      const x = pick();
      read.add(x);
      made.push(g.reshape(x, `r${k}`));
    } else if (kind < 0.5 && made.length > 1) {
      const a = pick();
      let b = pick();
      while (b === a) b = pick();
      read.add(a).add(b);
      const y = g.tensor(`t${k}`, size());
      g.concat([a, b], y);
      made.push(y);
    } else {
      const x = pick();
      read.add(x);
      const y = g.tensor(`t${k}`, size());
      g.dense(x, y);
      made.push(y);
    }
  }
  const outputs = made.filter((t) => !read.has(t) && !inputs.includes(t));
  return g.build(inputs, outputs.length ? outputs : [made[made.length - 1]!]);
}

function topologicalOrders(model: ModelIR): number[][] {
  const writer = new Map<number, number>();
  model.ops.forEach((op, i) => op.outputs.forEach((t) => writer.set(t, i)));
  const deps = model.ops.map((op) => op.inputs.filter((t) => writer.has(t)).map((t) => writer.get(t)!));
  const orders: number[][] = [];
  const extend = (order: number[]) => {
    if (order.length === model.ops.length) return void orders.push(order);
    model.ops.forEach((_, i) => {
      if (!order.includes(i) && deps[i]!.every((d) => order.includes(d))) extend([...order, i]);
    });
  };
  extend([]);
  return orders;
}

/** Buffers for one order, computed here from the model (in-place reshapes joined), not by the planner. */
function buffersOf(model: ModelIR, order: readonly number[], inPlaceReshapes: readonly number[]): LiveBuffer[] {
  const life = new Map<number, { first: number; last: number; bytes: number }>();
  const bytes = (t: number) => model.tensors[t]!.shape.reduce((a, b) => a * b, 1);
  for (const t of model.inputs) life.set(t, { first: 0, last: 0, bytes: bytes(t) });
  const root = new Map<number, number>();
  const rootOf = (t: number): number => (root.has(t) ? rootOf(root.get(t)!) : t);
  order.forEach((i, s) => {
    const op = model.ops[i]!;
    for (const t of op.inputs) {
      const l = life.get(rootOf(t));
      if (l) l.last = Math.max(l.last, s);
    }
    const y = op.outputs[0]!;
    if (inPlaceReshapes.includes(i)) root.set(y, rootOf(op.inputs[0]!));
    else life.set(y, { first: s, last: s, bytes: bytes(y) });
  });
  for (const t of model.outputs) life.get(rootOf(t))!.last = model.ops.length;
  return [...life].map(([t, l]) => ({ id: `t${t}`, ...l }));
}

describe('planner properties on random graphs', () => {
  test('valid, never worse than greedy or the IR order, and optimal where every order was tried (150 graphs)', () => {
    const random = seededRandom(2024);
    let orderHelped = 0;
    let allOrders = 0;
    for (let k = 0; k < 150; k++) {
      const model = randomGraph(random);
      const plan = planMemory(model);
      expect(planProblems(model, plan)).toEqual([]);
      expect(plan.arenaBytes).toBeLessThanOrEqual(plan.greedyBytes);
      expect(plan.arenaBytes).toBeLessThanOrEqual(plan.sumBytes);
      expect(plan.arenaBytes).toBeGreaterThanOrEqual(plan.lowerBoundBytes);
      const asIs = planMemory(model, { order: 'as-is' });
      expect(plan.arenaBytes).toBeLessThanOrEqual(asIs.arenaBytes);
      if (plan.arenaBytes < asIs.arenaBytes) orderHelped++;

      let optimum = Infinity;
      for (const order of topologicalOrders(model)) {
        const exact = packBuffers(buffersOf(model, order, plan.inPlaceReshapes), { exactMaxBuffers: 16, exactNodeBudget: 5_000_000 });
        expect(exact.provenOptimal).toBe(true);
        optimum = Math.min(optimum, exact.arenaBytes);
      }
      expect(plan.arenaBytes).toBeGreaterThanOrEqual(optimum);
      expect(plan.lowerBoundBytes).toBeLessThanOrEqual(optimum);
      if (plan.provenOptimal) expect(plan.arenaBytes).toBe(optimum);
      if (plan.orderSearch === 'all-orders') {
        allOrders++;
        expect(plan.arenaBytes).toBe(optimum);
        expect(plan.provenOptimal).toBe(true);
      }
    }
    expect(orderHelped).toBeGreaterThan(5);
    expect(allOrders).toBeGreaterThan(100);
  });

  /** `branches` chains of 3 ops (512, 256, 32 B) from one input x (64 B), joined by a concat (256 B), breadth first in the IR. */
  function branches(count: number): ModelIR {
    const g = new GraphSketch();
    const x = g.tensor('x', 64);
    const ends: number[] = [];
    for (let b = 0; b < count; b++) {
      const [t1, t2, t3] = [g.tensor(`b${b}a`, 512), g.tensor(`b${b}b`, 256), g.tensor(`b${b}c`, 32)];
      g.dense(x, t1);
      g.dense(t1, t2);
      g.dense(t2, t3);
      ends.push(t3);
    }
    const y = g.tensor('y', 256);
    g.concat(ends, y);
    const model = g.build([x], [y]);
    // The IR runs every branch's first op, then every second op, then every third (the worst order).
    const breadthFirst = [0, 1, 2].flatMap((step) => Array.from({ length: count }, (_, b) => 3 * b + step));
    return { ...model, ops: [...breadthFirst, 3 * count].map((i) => model.ops[i]!) };
  }

  // Optimum for n branches: branch by branch, the peak is at the second-to-last branch's second op:
  // x (still needed by the last branch) + 512 + 256 + (n − 2)·32 for the finished branches' ends.
  // No order does better. Let F be the step of the last first op to run (its branch L; x is live
  // until F), and s the step of the last second op among the other branches (branch M).
  // If s < F: at s, x + M's 768 + ≥ 32 for each of the n − 2 others (their second ops ran) —
  // exactly the bound. If s > F: at F, x + L's 512 + M's 512 (not yet consumed) + ≥ 32 for each of
  // the other n − 2 already exceeds it.
  const optimum = (n: number) => 64 + 768 + (n - 2) * 32;

  test('too many orders to list: the exact min-peak order search', () => {
    // 5 branches: 15!/(3!)^5 ≈ 1.7·10^8 orders, but only 4^5 sets of ops run, so the search is exact.
    // Breadth first (the IR) holds x + 5·512 = 2624 at the fifth first op.
    const model = branches(5);
    const plan = planMemory(model);
    expect(plan.orderSearch).toBe('min-peak');
    expect(plan.lowerBoundBytes).toBe(optimum(5));
    expect(plan.arenaBytes).toBe(optimum(5));
    expect(plan.provenOptimal).toBe(true);
    expect(planMemory(model, { order: 'as-is' }).arenaBytes).toBeGreaterThanOrEqual(64 + 5 * 512);
    expect(planProblems(model, plan)).toEqual([]);
  });

  test('wider still: the beam search (a heuristic) stays valid and still finds the optimum here', () => {
    // 8 branches: 4^8 sets of ops run, more than the beam keeps.
    const model = branches(8);
    const plan = planMemory(model);
    expect(plan.orderSearch).toBe('beam');
    expect(planProblems(model, plan)).toEqual([]);
    expect(plan.arenaBytes).toBe(optimum(8));
    const listScheduled = planMemory(model, { beamWidth: 1 });
    expect(planProblems(model, listScheduled)).toEqual([]);
    expect(listScheduled.arenaBytes).toBeLessThan(64 + 8 * 512);
  });
});
