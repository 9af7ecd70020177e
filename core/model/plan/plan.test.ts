/**
 * The planner on hand-made graphs whose optimal arena is worked out in the comment of each case.
 * Every activation is an int8 vector whose length is its size in bytes; sizes are multiples of 16
 * (the default alignment) so the arithmetic is plain sums. "Step p" is the p-th op run; a tensor
 * is live from the step that writes it (step 0 for the model input) to its last reader, a model
 * output to the end.
 */
import { describe, expect, test } from 'vitest';
import { planMemory } from './plan.js';
import { planSummary } from './summary.js';
import { GraphSketch, planProblems } from './test-helpers.js';

describe('planMemory on hand-made graphs', () => {
  test('a chain: the optimum is the largest pair of adjacent tensors', () => {
    // x 1024 → a 640 → b 800 → c 208 → y 96.
    // Live: step 0 x+a = 1664, step 1 a+b = 1440, step 2 b+c = 1008, step 3 c+y = 304.
    // 1664 is reachable (alternate tensors at the bottom and the top of the arena), so it is optimal.
    const g = new GraphSketch();
    const [x, a, b, c, y] = [g.tensor('x', 1024), g.tensor('a', 640), g.tensor('b', 800), g.tensor('c', 208), g.tensor('y', 96)];
    g.dense(x, a);
    g.dense(a, b);
    g.dense(b, c);
    g.dense(c, y);
    const model = g.build([x], [y]);
    const plan = planMemory(model);
    expect(plan.arenaBytes).toBe(1664);
    expect(plan.sumBytes).toBe(1024 + 640 + 800 + 208 + 96);
    expect(plan.lowerBoundBytes).toBe(1664);
    expect(plan.provenOptimal).toBe(true);
    expect(plan.order).toEqual([0, 1, 2, 3]);
    expect(plan.steps.map((s) => s.liveBytes)).toEqual([1664, 1440, 1008, 304]);
    // Weights are constants: in flash, never in the arena.
    expect([...plan.offsets.keys()].sort((p, q) => p - q)).toEqual([x, a, b, c, y].sort((p, q) => p - q));
    expect(planProblems(model, plan)).toEqual([]);
  });

  test('a chain where greedy by size is not optimal and the planner is', () => {
    // C 48 (input) → A 32 → B 16 → D 64 → E 16 (output).
    // Live: step 0 C+A = 80, step 1 A+B = 48, step 2 B+D = 80, step 3 D+E = 80: nothing fits below 80.
    // Greedy by size: D → 0; C (not live with D) → 0; A (live with C) → 48; B (live with A at
    // [48,80) and D at [0,64)) → 80; E (live with D) → 64. Arena 96.
    // Optimum 80: D 0, B 64, A 0, C 32, E 64 — A and B, live together at step 1, are apart.
    const g = new GraphSketch();
    const [c, a, b, d, e] = [g.tensor('C', 48), g.tensor('A', 32), g.tensor('B', 16), g.tensor('D', 64), g.tensor('E', 16)];
    g.dense(c, a);
    g.dense(a, b);
    g.dense(b, d);
    g.dense(d, e);
    const model = g.build([c], [e]);
    const plan = planMemory(model);
    expect(plan.greedyBytes).toBe(96);
    expect(plan.greedySameBuffersBytes).toBe(96);
    expect(plan.arenaBytes).toBe(80);
    expect(plan.provenOptimal).toBe(true);
    expect(planProblems(model, plan)).toEqual([]);
  });

  test('a chain with an in-place reshape', () => {
    // x 256 → a 1024 → reshape → a' 1024 → b 160 → y 160.
    // Sharing a and a': step 0 x+a = 1280, step 1 (reshape) a = 1024, step 2 a'+b = 1184, step 3 b+y = 320 → 1280.
    // Copying instead: step 1 holds a and a' = 2048 (and greedy by size on that gets exactly 2048).
    const g = new GraphSketch();
    const [x, a] = [g.tensor('x', 256), g.tensor('a', 1024)];
    g.dense(x, a);
    const a2 = g.reshape(a, "a'");
    const [b, y] = [g.tensor('b', 160), g.tensor('y', 160)];
    g.dense(a2, b);
    g.dense(b, y);
    const model = g.build([x], [y]);
    const plan = planMemory(model);
    expect(plan.arenaBytes).toBe(1280);
    expect(plan.offsets.get(a2)).toBe(plan.offsets.get(a));
    expect(plan.inPlaceReshapes).toEqual([1]);
    expect(plan.steps.map((s) => s.liveBytes)).toEqual([1280, 1024, 1184, 320]);
    expect(plan.greedyBytes).toBe(2048);
    expect(plan.provenOptimal).toBe(true);
    expect(planProblems(model, plan)).toEqual([]);

    const copied = planMemory(model, { inPlaceReshape: false });
    expect(copied.arenaBytes).toBe(2048);
    expect(copied.inPlaceReshapes).toEqual([]);
    expect(copied.offsets.get(a2)).not.toBe(copied.offsets.get(a));
  });

  test('a chain of reshapes is one buffer, even when the first tensor is read again later', () => {
    // x 256 → a 512 → reshape → r1 → reshape → r2; add(r2, a) → y 512.
    // a, r1 and r2 are one buffer live over steps 0..3; step 0 x+a = 768, step 3 a+y = 1024 → 1024.
    const g = new GraphSketch();
    const [x, a] = [g.tensor('x', 256), g.tensor('a', 512)];
    g.dense(x, a);
    const r1 = g.reshape(a, 'r1');
    const r2 = g.reshape(r1, 'r2');
    const y = g.tensor('y', 512);
    g.add(r2, a, y);
    const model = g.build([x], [y]);
    const plan = planMemory(model);
    expect(plan.inPlaceReshapes).toEqual([1, 2]);
    expect(new Set([a, r1, r2].map((t) => plan.offsets.get(t))).size).toBe(1);
    expect(plan.arenaBytes).toBe(1024);
    expect(planProblems(model, plan)).toEqual([]);
  });

  test('two branches joined by a concat: finishing one branch first halves the arena', () => {
    // x 64 feeds two branches, A: x → a1 1024 → a2 32 and C: x → c1 1024 → c2 32; concat(a2, c2) → y 64.
    // The IR runs A1, C1, A2, C2, concat (ops 0, 1, 2, 3, 4), so both big tensors live together:
    //   step 1 holds x + a1 + c1 = 2112, and that packs (a1 0, c1 1024, x 2048, a2 2048, c2 0, y 32).
    // Running A1, A2, C1, C2, concat (ops 0, 2, 1, 3, 4): step 0 x+a1 = 1088, step 1 x+a1+a2 = 1120,
    //   step 2 x+a2+c1 = 1120, step 3 a2+c1+c2 = 1088, step 4 a2+c2+y = 128 → at least 1120, and
    //   x 0, a1 64, a2 1088, c1 64, c2 0, y 32 reaches it. No order does better: whichever big
    //   tensor comes first is live with x and the next op's output (≥ 1088 + 32).
    const g = new GraphSketch();
    const [x, a1, c1, a2, c2, y] = [g.tensor('x', 64), g.tensor('a1', 1024), g.tensor('c1', 1024), g.tensor('a2', 32), g.tensor('c2', 32), g.tensor('y', 64)];
    g.dense(x, a1);
    g.dense(x, c1);
    g.dense(a1, a2);
    g.dense(c1, c2);
    g.concat([a2, c2], y);
    const model = g.build([x], [y]);

    const naive = planMemory(model, { order: 'as-is' });
    expect(naive.order).toEqual([0, 1, 2, 3, 4]);
    expect(naive.arenaBytes).toBe(2112);
    expect(naive.orderSearch).toBe('given');

    const plan = planMemory(model);
    expect(plan.order).toEqual([0, 2, 1, 3, 4]);
    expect(plan.arenaBytes).toBe(1120);
    expect(plan.orderSearch).toBe('all-orders');
    expect(plan.lowerBoundBytes).toBe(1120);
    expect(plan.provenOptimal).toBe(true);
    expect(plan.greedyBytes).toBe(2112);
    expect(plan.sumBytes).toBe(64 + 1024 + 1024 + 32 + 32 + 64);
    expect(planSummary(plan)).toBe('arena 1,120 B (optimal) · sum of tensors 2,240 B (50%) · greedy by size 2,112 B (53%)');
    expect(planProblems(model, plan)).toEqual([]);
  });

  test('a residual add: x → conv → conv → add(x)', () => {
    // x 512 → h1 1024 → h2 512; add(h2, x) → y 512. x stays live until the add.
    // Live: step 0 x+h1 = 1536, step 1 x+h1+h2 = 2048, step 2 x+h2+y = 1536 → at least 2048, reached
    // by x 0, h1 512, h2 1536, y 512 (h1 is dead at the add). Only one order is valid.
    const g = new GraphSketch();
    const [x, h1, h2, y] = [g.tensor('x', 512), g.tensor('h1', 1024), g.tensor('h2', 512), g.tensor('y', 512)];
    g.dense(x, h1);
    g.dense(h1, h2);
    g.add(h2, x, y);
    const model = g.build([x], [y]);
    const plan = planMemory(model);
    expect(plan.arenaBytes).toBe(2048);
    expect(plan.sumBytes).toBe(2560);
    expect(plan.provenOptimal).toBe(true);
    expect(plan.offsets.get(y)).not.toBe(plan.offsets.get(x));
    expect(planProblems(model, plan)).toEqual([]);
  });

  test("per-op scratch is live only at its op's step", () => {
    // x 256 → a 512 → y 128, the second op needing 1024 B of scratch.
    // Live: step 0 x+a = 768, step 1 a+y+scratch = 1664 → 1664.
    const g = new GraphSketch();
    const [x, a, y] = [g.tensor('x', 256), g.tensor('a', 512), g.tensor('y', 128)];
    g.dense(x, a);
    g.dense(a, y);
    const model = g.build([x], [y]);
    const plan = planMemory(model, { scratch: (_op, i) => (i === 1 ? 1024 : 0) });
    expect(plan.arenaBytes).toBe(1664);
    expect([...plan.scratchOffsets.keys()]).toEqual([1]);
    const s = plan.scratchOffsets.get(1)!;
    for (const t of [a, y]) {
      const o = plan.offsets.get(t)!;
      expect(o + model.tensors[t]!.shape[1]! <= s || s + 1024 <= o).toBe(true);
    }
  });

  test('extra buffers before and after the network share the arena with it', () => {
    // The DSP runs 2 steps before the network with 512 B of scratch, writing 256 B of features;
    // 1 step before it the features are quantized into the input x 128; a 32 B result lives from
    // then until the step after the network. The network: x → y 64.
    // Live: before 2: scratch+features = 768; before 1: features+x+result = 416;
    //       op: x+y+result = 224; after 1: y+result = 96 → 768, the DSP's step.
    const g = new GraphSketch();
    const [x, y] = [g.tensor('x', 128), g.tensor('y', 64)];
    g.dense(x, y);
    const model = g.build([x], [y]);
    const plan = planMemory(model, {
      inputsWrittenBefore: 1,
      extraBuffers: [
        { id: 'dsp-scratch', bytes: 512, from: { before: 2 }, to: { before: 2 } },
        { id: 'features', bytes: 256, from: { before: 2 }, to: { before: 1 } },
        { id: 'result', bytes: 32, from: { before: 1 }, to: { after: 1 } },
      ],
    });
    expect(plan.steps).toEqual([
      { kind: 'before', before: 2, liveBytes: 768 },
      { kind: 'before', before: 1, liveBytes: 416 },
      { kind: 'op', op: 0, liveBytes: 224 },
      { kind: 'after', after: 1, liveBytes: 96 },
    ]);
    expect(plan.arenaBytes).toBe(768);
    expect(plan.sumBytes).toBe(128 + 64 + 512 + 256 + 32);
    expect(plan.provenOptimal).toBe(true);
    expect([...plan.extraOffsets.keys()].sort()).toEqual(['dsp-scratch', 'features', 'result']);
    const buffers = plan.buffers;
    for (const p of buffers) {
      for (const q of buffers) {
        if (p === q || p.first > q.last || q.first > p.last) continue;
        expect(p.offset + p.bytes <= q.offset || q.offset + q.bytes <= p.offset).toBe(true);
      }
    }
  });

  test('an explicit order is checked; a wrong one is refused', () => {
    const g = new GraphSketch();
    const [x, a, b] = [g.tensor('x', 16), g.tensor('a', 16), g.tensor('b', 16)];
    g.dense(x, a);
    g.dense(a, b);
    const model = g.build([x], [b]);
    expect(planMemory(model, { order: [0, 1] }).order).toEqual([0, 1]);
    expect(() => planMemory(model, { order: [1, 0] })).toThrow(/ordered before op 0/);
    expect(() => planMemory(model, { order: [0] })).toThrow(/exactly once/);
  });

  test('a graph whose ops are out of execution order is refused', () => {
    const g = new GraphSketch();
    const [x, a, b] = [g.tensor('x', 16), g.tensor('a', 16), g.tensor('b', 16)];
    g.dense(a, b);
    g.dense(x, a);
    expect(() => planMemory(g.build([x], [b]))).toThrow(/before op 1 writes it/);
  });

  test('extra buffers cannot run backwards or sit inside the network', () => {
    const g = new GraphSketch();
    const [x, y] = [g.tensor('x', 16), g.tensor('y', 16)];
    g.dense(x, y);
    const model = g.build([x], [y]);
    expect(() => planMemory(model, { extraBuffers: [{ id: 'e', bytes: 16, from: { after: 1 }, to: { before: 1 } }] })).toThrow(/ends before it starts/);
    expect(() => planMemory(model, { extraBuffers: [{ id: 'e', bytes: 16, from: { before: 0 }, to: { before: 0 } }] })).toThrow(/counted from 1/);
  });
});
