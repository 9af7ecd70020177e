/**
 * Small hand-made graphs for the planner's tests: every activation is an int8 vector of the given
 * byte size, so a test reads as a list of sizes; ops carry a constant weight where a real one would,
 * to show constants take no arena.
 */
import { ModelBuilder } from '../builder.js';
import { bytesPerElement, elementCount, type ModelIR } from '../ir.js';

export class GraphSketch {
  private readonly builder = new ModelBuilder();

  /** An activation tensor of `bytes` int8 elements. */
  tensor(name: string, bytes: number): number {
    return this.builder.tensor(name, [1, bytes], 'int8');
  }

  /** A fully connected layer (with constant weights): x → out. */
  dense(x: number, out: number): void {
    const n = this.builder.info(out).shape[1]!;
    const w = this.builder.tensor(`w${out}`, [n, this.builder.info(x).shape[1]!], 'int8', { data: new Int8Array(n * this.builder.info(x).shape[1]!) });
    this.builder.op({ op: 'fullyConnected', inputs: [x, w, -1], outputs: [out], activation: 'none' });
  }

  /** A reshape: same bytes under another shape. */
  reshape(x: number, name: string): number {
    const y = this.builder.tensor(name, [1, 1, elementCount(this.builder.info(x).shape)], 'int8');
    this.builder.op({ op: 'reshape', inputs: [x], outputs: [y] });
    return y;
  }

  add(a: number, b: number, out: number): void {
    this.builder.op({ op: 'add', inputs: [a, b], outputs: [out], activation: 'none' });
  }

  concat(parts: readonly number[], out: number): void {
    this.builder.op({ op: 'concat', inputs: parts, outputs: [out], axis: 1, activation: 'none' });
  }

  build(inputs: readonly number[], outputs: readonly number[]): ModelIR {
    return this.builder.build(inputs, outputs);
  }
}

/**
 * Problems of a plan, checked from the model alone (not from the planner's own lifetimes): the order
 * runs every op once after its inputs are written, every non-constant tensor has an aligned offset
 * inside the arena, and two tensors live at the same step never overlap in memory unless an in-place
 * reshape made them one buffer. Model outputs count as live to the end; inputs from the first op.
 */
export function planProblems(model: ModelIR, plan: { order: readonly number[]; offsets: ReadonlyMap<number, number>; arenaBytes: number; alignment: number; inPlaceReshapes: readonly number[] }): string[] {
  const problems: string[] = [];
  const step = new Map<number, number>();
  plan.order.forEach((op, s) => step.set(op, s));
  if (step.size !== model.ops.length || plan.order.length !== model.ops.length) problems.push('the order does not run every op once');
  const constant = (t: number) => model.tensors[t]!.data !== undefined;
  const life = new Map<number, { first: number; last: number }>();
  for (const t of model.inputs) if (!constant(t)) life.set(t, { first: 0, last: 0 });
  plan.order.forEach((op, s) => {
    for (const t of model.ops[op]!.inputs) {
      if (t < 0 || constant(t)) continue;
      const l = life.get(t);
      if (!l) problems.push(`op ${op} at step ${s} reads tensor ${t} before it is written`);
      else l.last = Math.max(l.last, s);
    }
    for (const t of model.ops[op]!.outputs) life.set(t, { first: s, last: s });
  });
  for (const t of model.outputs) life.get(t)!.last = Infinity;

  // Tensors an in-place reshape joined: one buffer, so they may overlap.
  const root = new Map<number, number>();
  const rootOf = (t: number): number => (root.has(t) ? rootOf(root.get(t)!) : t);
  for (const op of plan.inPlaceReshapes) root.set(model.ops[op]!.outputs[0]!, rootOf(model.ops[op]!.inputs[0]!));

  const bytes = (t: number) => elementCount(model.tensors[t]!.shape) * bytesPerElement(model.tensors[t]!.dtype);
  const tensors = [...life.keys()];
  for (const t of tensors) {
    const o = plan.offsets.get(t);
    if (o === undefined) problems.push(`tensor ${t} has no offset`);
    else if (o % plan.alignment !== 0 || o < 0 || o + bytes(t) > plan.arenaBytes) problems.push(`tensor ${t} at ${o} is misaligned or outside the arena`);
  }
  for (const a of tensors) {
    for (const b of tensors) {
      if (a >= b || rootOf(a) === rootOf(b)) continue;
      const la = life.get(a)!;
      const lb = life.get(b)!;
      const oa = plan.offsets.get(a)!;
      const ob = plan.offsets.get(b)!;
      if (la.first <= lb.last && lb.first <= la.last && oa < ob + bytes(b) && ob < oa + bytes(a)) problems.push(`tensors ${a} and ${b} overlap while both live`);
    }
  }
  return problems;
}
