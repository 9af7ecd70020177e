/**
 * What the planner needs to know about a model, independent of the order its ops run in:
 * which tensors need arena memory, which of them share one buffer (in-place reshapes), who
 * writes and who reads each buffer, and which ops must run before which.
 */
import { bytesPerElement, elementCount, type ModelIR, type TensorInfo } from '../ir.js';

/**
 * One arena buffer holding one tensor, or a chain of tensors that are reshapes of one another, or
 * an op's input and its output overlapping where the op's kernel allows it (see `overlaps`).
 */
export interface TensorGroup {
  /** The tensors in it, the one that is written first leading. */
  readonly tensors: readonly number[];
  /** Byte offset of each tensor (same order) within the group's buffer. */
  readonly relOffsets: readonly number[];
  readonly bytes: number;
  /** The op that writes it, or `input` for a model input (written by the caller before the network runs). */
  readonly producer: number | 'input';
  /** Ops that read any of its tensors (each once), including in-place reshapes. */
  readonly consumers: readonly number[];
  /** Holds a model output: live until the end, because the caller reads it after the network. */
  readonly isOutput: boolean;
}

export interface NetworkGraph {
  readonly opCount: number;
  /** For each op, the ops whose outputs it reads (each once). */
  readonly dependsOn: readonly (readonly number[])[];
  /** Buffers with a size > 0. */
  readonly groups: readonly TensorGroup[];
  /** Non-constant tensors with no elements: they need no memory (any offset will do). */
  readonly emptyTensors: readonly number[];
  /** Reshape ops whose output shares its input's buffer: the generator emits no copy for them. */
  readonly inPlaceReshapes: readonly number[];
}

function tensorBytes(t: TensorInfo, index: number): number {
  if (t.shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new RangeError(`tensor ${index} (${t.name}) has shape [${t.shape.join(', ')}]: the planner needs a static shape`);
  }
  return elementCount(t.shape) * bytesPerElement(t.dtype);
}

/**
 * Reads the model's dataflow. Throws when the graph is not something a program can run: a tensor
 * read before anything writes it, written twice, or an op list that is not in execution order.
 */
export interface GraphOptions {
  readonly inPlaceReshape: boolean;
  /**
   * Ops whose output may start `gap` bytes below their (first) input and overlap it: the kernel
   * writes no byte of its output over input bytes it still has to read (the caller works the gap
   * out from the kernel's access order). Applied when the input is read by no other op.
   */
  readonly overlaps?: ReadonlyMap<number, number>;
  /** Offsets within a group are multiples of this. */
  readonly alignment?: number;
}

export function analyzeGraph(model: ModelIR, options: GraphOptions): NetworkGraph {
  const tensorCount = model.tensors.length;
  const check = (t: number, what: string) => {
    if (!Number.isInteger(t) || t < 0 || t >= tensorCount) throw new RangeError(`${what} refers to tensor ${t}, which does not exist`);
  };
  const isConstant = (t: number) => model.tensors[t]!.data !== undefined;

  const producer = new Map<number, number | 'input'>();
  for (const t of model.inputs) {
    check(t, 'model input');
    if (!isConstant(t)) producer.set(t, 'input');
  }
  const readers = new Map<number, number[]>();
  const dependsOn: number[][] = [];
  model.ops.forEach((op, i) => {
    const deps = new Set<number>();
    for (const t of op.inputs) {
      if (t === -1) continue;
      check(t, `op ${i} (${op.op})`);
      if (isConstant(t)) continue;
      const p = producer.get(t);
      if (p === undefined) {
        const late = model.ops.findIndex((o, j) => j > i && o.outputs.includes(t));
        throw new Error(
          late >= 0
            ? `op ${i} (${op.op}) reads tensor ${t} (${model.tensors[t]!.name}) before op ${late} writes it: the ops are not in execution order`
            : `op ${i} (${op.op}) reads tensor ${t} (${model.tensors[t]!.name}), which no op writes and is not a model input`,
        );
      }
      if (p !== 'input') deps.add(p);
      const r = readers.get(t) ?? [];
      if (!r.includes(i)) r.push(i);
      readers.set(t, r);
    }
    for (const t of op.outputs) {
      check(t, `op ${i} (${op.op}) output`);
      if (isConstant(t)) throw new Error(`op ${i} (${op.op}) writes tensor ${t} (${model.tensors[t]!.name}), which is constant`);
      if (producer.has(t)) throw new Error(`tensor ${t} (${model.tensors[t]!.name}) is written twice (model input or two ops)`);
      producer.set(t, i);
    }
    dependsOn.push([...deps].sort((a, b) => a - b));
  });
  for (const t of model.outputs) {
    check(t, 'model output');
    if (!isConstant(t) && !producer.has(t)) throw new Error(`model output ${t} (${model.tensors[t]!.name}) is written by no op`);
  }

  // In-place reshape: the output is the input's bytes under another shape, and no kernel writes
  // into its inputs, so the two can be one buffer whether or not the input is read again later
  // (the shared buffer then simply lives until that later read).
  const leader = new Map<number, number>();
  const leaderOf = (t: number): number => {
    let l = t;
    while (leader.has(l)) l = leader.get(l)!;
    return l;
  };
  const inPlaceReshapes: number[] = [];
  if (options.inPlaceReshape) {
    model.ops.forEach((op, i) => {
      const [x] = op.inputs;
      const [y] = op.outputs;
      if (op.op !== 'reshape' || x === undefined || y === undefined || x < 0 || isConstant(x)) return;
      if (tensorBytes(model.tensors[x]!, x) !== tensorBytes(model.tensors[y]!, y)) return;
      leader.set(y, leaderOf(x));
      inPlaceReshapes.push(i);
    });
  }

  const outputs = new Set(model.outputs);
  const members = new Map<number, number[]>();
  for (const t of producer.keys()) {
    const l = leaderOf(t);
    members.set(l, [...(members.get(l) ?? []), t]);
  }
  const relOffset = new Map<number, number>([...producer.keys()].map((t) => [t, 0]));
  const groupReaders = (lead: number) => new Set((members.get(lead) ?? []).flatMap((t) => readers.get(t) ?? []));
  const inPlaceSet = new Set(inPlaceReshapes);

  // Overlapping outputs: y joins x's group `gap` bytes below x, when the op is x's only reader
  // (in-place reshapes of x aside) and y starts a group of its own.
  const align = options.alignment ?? 1;
  for (const [op, gap] of options.overlaps ?? []) {
    const x = model.ops[op]!.inputs.find((t) => t >= 0 && !isConstant(t));
    const y = model.ops[op]!.outputs[0];
    if (x === undefined || y === undefined || !Number.isInteger(gap) || gap < 0) continue;
    const lx = leaderOf(x);
    const ly = leaderOf(y);
    if (lx === ly || members.get(ly)!.length !== 1 || outputs.has(x) || producer.get(lx) === 'input' && model.inputs.length > 1) continue;
    const otherReaders = [...groupReaders(lx)].filter((r) => r !== op && !inPlaceSet.has(r));
    if (otherReaders.length > 0) continue;
    const gapAligned = Math.ceil(gap / align) * align;
    relOffset.set(y, relOffset.get(x)! - gapAligned);
    const all = [...members.get(lx)!, y];
    const lowest = Math.min(...all.map((t) => relOffset.get(t)!));
    for (const t of all) relOffset.set(t, relOffset.get(t)! - lowest);
    members.set(lx, all);
    members.delete(ly);
    leader.set(ly, lx);
  }

  const groups: TensorGroup[] = [];
  const emptyTensors: number[] = [];
  for (const [lead, tensors] of members) {
    const bytes = Math.max(...tensors.map((t) => (tensorBytes(model.tensors[t]!, t) === 0 ? 0 : relOffset.get(t)! + tensorBytes(model.tensors[t]!, t))));
    if (bytes === 0) {
      emptyTensors.push(...tensors);
      continue;
    }
    const consumers = [...new Set(tensors.flatMap((t) => readers.get(t) ?? []))].sort((a, b) => a - b);
    const ordered = [lead, ...tensors.filter((t) => t !== lead)];
    groups.push({ tensors: ordered, relOffsets: ordered.map((t) => relOffset.get(t)!), bytes, producer: producer.get(lead)!, consumers, isOutput: tensors.some((t) => outputs.has(t)) });
  }
  groups.sort((a, b) => a.tensors[0]! - b.tensors[0]!);
  return { opCount: model.ops.length, dependsOn, groups, emptyTensors: emptyTensors.sort((a, b) => a - b), inPlaceReshapes };
}
