/**
 * The memory planner for a model: chooses the op order and the arena offset of every tensor
 * (plus per-op scratch and the caller's extra buffers), at generation time, so the generated C
 * needs no allocator. See README.md for the algorithm and what the reported numbers mean.
 */
import { bytesPerElement, elementCount, type ModelIR, type Op } from '../ir.js';
import { DEFAULT_ALIGNMENT } from './buffer.js';
import { chooseOrder, type Evaluated, type OrderSearch } from './choose-order.js';
import { analyzeGraph } from './graph.js';
import { arenaBuffers, type ArenaBuffer, type BufferContents, type LifetimeInputs } from './lifetimes.js';
import { packBuffers, packGreedyBySize, type PackOptions } from './pack.js';
import { firstStep, lastStep, timelineFor, validateExtraBuffer, type ExtraBuffer, type Timeline } from './timeline.js';

export type { OrderSearch } from './choose-order.js';

export interface PlanOptions {
  /** Every offset is a multiple of this; default 16. */
  readonly alignment?: number;
  /** Temporary bytes a kernel needs while its op runs (0 or absent: none). `index` is the op's index in `model.ops`. */
  readonly scratch?: (op: Op, index: number) => number;
  /** Buffers of the impulse around the network (DSP scratch, the features buffer …), on steps before or after it. */
  readonly extraBuffers?: readonly ExtraBuffer[];
  /** The caller writes the model inputs this many steps before the first op (default 0: they are live from the first op). */
  readonly inputsWrittenBefore?: number;
  /** A reshape's output shares its input's buffer (default true). */
  readonly inPlaceReshape?: boolean;
  /**
   * Ops whose output may overlap their input, starting `gap` bytes below it (see GraphOptions):
   * each is tried and kept when it makes the arena smaller.
   */
  readonly overlaps?: ReadonlyMap<number, number>;
  /**
   * `search` (default): the order with the smallest arena among those tried (see README);
   * `as-is`: the IR's order; or an explicit order of op indices (checked to be valid).
   */
  readonly order?: 'search' | 'as-is' | readonly number[];
  /** Graphs with at most this many topological orders have every order considered; default 5,000. */
  readonly maxEnumeratedOrders?: number;
  /** Of those, at most this many are packed (the most promising first, by lower bound); default 200. */
  readonly maxPackedOrders?: number;
  /** Sets of run ops kept per step by the min-peak order search; default 2,000. */
  readonly beamWidth?: number;
  /** Options of the packer run on each candidate order. */
  readonly packing?: Omit<PackOptions, 'alignment'>;
}

/** One step of the timeline and the bytes live at it. */
export type PlanStep =
  | { readonly kind: 'before'; readonly before: number; readonly liveBytes: number }
  | { readonly kind: 'op'; readonly op: number; readonly liveBytes: number }
  | { readonly kind: 'after'; readonly after: number; readonly liveBytes: number };

export interface PlannedBuffer {
  readonly holds: BufferContents;
  readonly bytes: number;
  readonly offset: number;
  /** Live steps on the timeline: negative before the network, p for the p-th op of `order`. */
  readonly first: number;
  readonly last: number;
}

export interface MemoryPlan {
  /** Op indices in execution order. */
  readonly order: readonly number[];
  /** Arena offset of every non-constant tensor the graph uses (tensors of an in-place reshape share one; empty tensors get 0). */
  readonly offsets: ReadonlyMap<number, number>;
  /** Arena offset of each op's scratch, by op index. */
  readonly scratchOffsets: ReadonlyMap<number, number>;
  /** Arena offset of each extra buffer, by id. */
  readonly extraOffsets: ReadonlyMap<string, number>;
  /** Reshape ops that run in place (no copy). */
  readonly inPlaceReshapes: readonly number[];
  /** The arena this plan needs. */
  readonly arenaBytes: number;
  /** Every tensor, scratch and extra buffer in memory of its own (no reuse). */
  readonly sumBytes: number;
  /** Greedy by size on the IR's order without in-place reshapes: what a typical runtime planner gets. */
  readonly greedyBytes: number;
  /** Greedy by size on this plan's order and buffers: isolates what the packer adds. */
  readonly greedySameBuffersBytes: number;
  /** No order the planner may choose, packed in any way, needs less (for `given` orders: no packing of that order). */
  readonly lowerBoundBytes: number;
  /** True when `arenaBytes` is proven minimal in that same sense. */
  readonly provenOptimal: boolean;
  readonly orderSearch: OrderSearch;
  readonly alignment: number;
  readonly steps: readonly PlanStep[];
  readonly buffers: readonly PlannedBuffer[];
}

function scratchBytes(model: ModelIR, scratch: PlanOptions['scratch']): Map<number, number> {
  const bytes = new Map<number, number>();
  if (!scratch) return bytes;
  model.ops.forEach((op, i) => {
    const b = scratch(op, i);
    if (!Number.isSafeInteger(b) || b < 0) throw new RangeError(`scratch of op ${i} (${op.op}) must be a non-negative integer, got ${b}`);
    if (b > 0) bytes.set(i, b);
  });
  return bytes;
}

function stepsOf(timeline: Timeline, order: readonly number[], buffers: readonly ArenaBuffer[]): PlanStep[] {
  const steps: PlanStep[] = [];
  for (let s = firstStep(timeline); s <= lastStep(timeline); s++) {
    let liveBytes = 0;
    for (const b of buffers) if (b.first <= s && s <= b.last) liveBytes += b.bytes;
    if (s < 0) steps.push({ kind: 'before', before: -s, liveBytes });
    else if (s < order.length) steps.push({ kind: 'op', op: order[s]!, liveBytes });
    else steps.push({ kind: 'after', after: s - order.length + 1, liveBytes });
  }
  return steps;
}

export function planMemory(model: ModelIR, options: PlanOptions = {}): MemoryPlan {
  const candidates = [...(options.overlaps ?? [])];
  if (candidates.length === 0) return planWith(model, options, new Map());
  // Greedy: keep each overlap (largest input first) that lowers the arena.
  const size = (op: number) => {
    const x = model.ops[op]!.inputs.find((t) => t >= 0 && model.tensors[t]!.data === undefined);
    return x === undefined ? 0 : elementCount(model.tensors[x]!.shape) * bytesPerElement(model.tensors[x]!.dtype);
  };
  candidates.sort((a, b) => size(b[0]) - size(a[0]) || a[0] - b[0]);
  let kept = new Map<number, number>();
  let best = planWith(model, options, kept);
  for (const [op, gap] of candidates) {
    const trial = new Map(kept).set(op, gap);
    const plan = planWith(model, options, trial);
    if (plan.arenaBytes < best.arenaBytes) {
      best = plan;
      kept = trial;
    }
  }
  return best;
}

function planWith(model: ModelIR, options: PlanOptions, overlaps: ReadonlyMap<number, number>): MemoryPlan {
  const alignment = options.alignment ?? DEFAULT_ALIGNMENT;
  const extras = options.extraBuffers ?? [];
  extras.forEach(validateExtraBuffer);
  const inputsBefore = options.inputsWrittenBefore ?? 0;
  if (!Number.isInteger(inputsBefore) || inputsBefore < 0) throw new RangeError(`inputsWrittenBefore must be a non-negative integer, got ${inputsBefore}`);

  const graph = analyzeGraph(model, { inPlaceReshape: options.inPlaceReshape ?? true, overlaps, alignment });
  const inputs: LifetimeInputs = { graph, timeline: timelineFor(model.ops.length, extras, inputsBefore), scratch: scratchBytes(model, options.scratch), extras, inputsBefore };
  const irOrder = model.ops.map((_, i) => i);
  const packOptions: PackOptions = { ...options.packing, alignment };
  const pack = (buffers: readonly ArenaBuffer[]) => packBuffers(buffers, packOptions);

  const chosen = chooseOrder(inputs, irOrder, pack, {
    alignment,
    order: options.order ?? 'search',
    maxEnumeratedOrders: options.maxEnumeratedOrders ?? 5000,
    maxPackedOrders: options.maxPackedOrders ?? 200,
    beamWidth: options.beamWidth ?? 2000,
  });

  // Baselines: every tensor on its own, and greedy by size as a runtime would do it (IR order, reshapes copied).
  const naive = arenaBuffers({ ...inputs, graph: analyzeGraph(model, { inPlaceReshape: false }) }, irOrder);
  const greedy = packGreedyBySize(naive, { alignment });
  // The promise is "never worse than greedy by size". Sharing reshape buffers cannot raise the bytes
  // live at any step, but packing is not monotone, so the baseline itself is the fallback.
  const fallback = chosen.best.packing.arenaBytes > greedy.arenaBytes;
  const best: Evaluated = fallback ? { order: irOrder, buffers: naive, packing: greedy } : chosen.best;
  const { orderSearch } = chosen;
  const lowerBoundBytes = Math.min(chosen.lowerBoundBytes, best.packing.arenaBytes);
  const provenOptimal = chosen.provenOptimal && !fallback;

  const offsetOf = best.packing.offsets;
  const offsets = new Map<number, number>(graph.emptyTensors.map((t) => [t, 0]));
  const scratchOffsets = new Map<number, number>();
  const extraOffsets = new Map<string, number>();
  for (const b of best.buffers) {
    const o = offsetOf.get(b.id)!;
    const holds = b.holds;
    if (holds.kind === 'tensors') holds.tensors.forEach((t, k) => offsets.set(t, o + holds.relOffsets[k]!));
    else if (holds.kind === 'scratch') scratchOffsets.set(holds.op, o);
    else extraOffsets.set(holds.id, o);
  }
  return {
    order: best.order,
    offsets,
    scratchOffsets,
    extraOffsets,
    inPlaceReshapes: fallback ? [] : graph.inPlaceReshapes,
    arenaBytes: best.packing.arenaBytes,
    sumBytes: naive.reduce((s, b) => s + b.bytes, 0),
    greedyBytes: greedy.arenaBytes,
    greedySameBuffersBytes: best.packing.greedyBySizeBytes,
    lowerBoundBytes,
    provenOptimal,
    orderSearch,
    alignment,
    steps: stepsOf(inputs.timeline, best.order, best.buffers),
    buffers: best.buffers.map((b) => ({ holds: b.holds, bytes: b.bytes, offset: offsetOf.get(b.id)!, first: b.first, last: b.last })),
  };
}
