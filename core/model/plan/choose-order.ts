/**
 * Chooses the op order: packs the IR's own order and the candidates the order search proposes
 * (every topological order of a small graph; else the min-peak order), keeps the smallest arena,
 * and says how sure that is (the lower bound over all orders, and whether it is reached).
 */
import { alignedLowerBound, peakLiveBytes } from './bounds.js';
import { arenaBuffers, type ArenaBuffer, type LifetimeInputs } from './lifetimes.js';
import { checkOrder, minPeakOrder, topologicalOrders } from './order.js';
import type { Packing } from './pack.js';
import { firstStep, lastStep } from './timeline.js';

/** How far the search went for the order. */
export type OrderSearch =
  | 'given' // the caller's order (or the IR's, with `as-is`)
  | 'all-orders' // every topological order was considered (packed, or bounded when it could not win or the packing budget was spent)
  | 'min-peak' // the IR's order and the one with the smallest peak of live bytes (exact)
  | 'beam'; // the IR's order and a beam search's (heuristic)

export interface Evaluated {
  readonly order: readonly number[];
  readonly buffers: ArenaBuffer[];
  readonly packing: Packing<string>;
}

export interface ChoiceOptions {
  readonly alignment: number;
  readonly order: 'search' | 'as-is' | readonly number[];
  readonly maxEnumeratedOrders: number;
  readonly maxPackedOrders: number;
  readonly beamWidth: number;
}

/** Signature of a buffer set: orders that give every buffer the same lifetime pack the same way. */
function lifetimeKey(buffers: readonly ArenaBuffer[]): string {
  return buffers.map((b) => `${b.first},${b.last}`).join(';');
}

/** Bytes every order must hold at each op's step: what the op reads and writes, its scratch, and the extra buffers spanning the network. */
function perOpBound(inputs: LifetimeInputs): number {
  const { graph, timeline } = inputs;
  const spanning = inputs.extras.filter((x) => 'before' in x.from && 'after' in x.to).reduce((s, x) => s + x.bytes, 0);
  const atOp = new Float64Array(graph.opCount);
  for (const g of graph.groups) {
    if (g.producer !== 'input') atOp[g.producer]! += g.bytes;
    for (const c of g.consumers) atOp[c]! += g.bytes;
  }
  for (const [op, b] of inputs.scratch) atOp[op]! += b;
  // Outside the network nothing depends on the order: the IR's order gives those steps exactly.
  const outside = arenaBuffers(inputs, graph.dependsOn.map((_, i) => i));
  let bound = 0;
  for (let s = firstStep(timeline); s <= lastStep(timeline); s++) {
    if (s >= 0 && s < graph.opCount) continue;
    bound = Math.max(bound, peakLiveBytes(outside.filter((b) => b.first <= s && s <= b.last)));
  }
  return Math.max(bound, ...Array.from(atOp, (b) => b + spanning));
}

export interface Choice {
  readonly best: Evaluated;
  readonly orderSearch: OrderSearch;
  readonly lowerBoundBytes: number;
  readonly provenOptimal: boolean;
}

/**
 * Packs the IR's order first (it is kept on ties: generated code then follows the graph), then the
 * other candidates in increasing order of their lower bound, stopping once a bound reaches the
 * best arena found (no later candidate can beat it).
 */
export function chooseOrder(
  inputs: LifetimeInputs,
  irOrder: readonly number[],
  pack: (buffers: readonly ArenaBuffer[]) => Packing<string>,
  options: ChoiceOptions,
): Choice {
  const { graph } = inputs;
  const { alignment } = options;
  const evaluate = (order: readonly number[]): Evaluated => {
    const buffers = arenaBuffers(inputs, order);
    return { order, buffers, packing: pack(buffers) };
  };
  const requested = options.order;
  if (requested !== 'search') {
    const order = requested === 'as-is' ? irOrder : requested;
    checkOrder(graph.dependsOn, order);
    const only = evaluate(order);
    return { best: only, orderSearch: 'given', lowerBoundBytes: only.packing.lowerBoundBytes, provenOptimal: only.packing.provenOptimal };
  }

  const all = topologicalOrders(graph.dependsOn, options.maxEnumeratedOrders);
  const peak = all ? undefined : minPeakOrder(graph, inputs.scratch, options.beamWidth);
  const candidates = all ?? [peak!.order];

  let best = evaluate(irOrder);
  // What each order is known to need at least: its optimum when its packing is proven, else its bound.
  const floors = [best.packing.provenOptimal ? best.packing.arenaBytes : best.packing.lowerBoundBytes];
  const seen = new Set([lifetimeKey(best.buffers)]);
  const pending = candidates
    .map((order) => ({ order, buffers: arenaBuffers(inputs, order) }))
    .filter((c) => {
      const key = lifetimeKey(c.buffers);
      return !seen.has(key) && seen.add(key);
    })
    .map((c) => ({ ...c, bound: alignedLowerBound(c.buffers, alignment) }))
    .sort((a, b) => a.bound - b.bound);
  let packed = 0;
  for (const c of pending) {
    if (c.bound >= best.packing.arenaBytes || packed++ === options.maxPackedOrders) {
      // Sorted by bound: every later candidate needs at least this much.
      floors.push(c.bound);
      break;
    }
    const packing = pack(c.buffers);
    floors.push(packing.provenOptimal ? packing.arenaBytes : packing.lowerBoundBytes);
    if (packing.arenaBytes < best.packing.arenaBytes) best = { order: c.order, buffers: c.buffers, packing };
  }

  const arena = best.packing.arenaBytes;
  if (all) {
    // Orders with the same lifetimes as one considered share its floor; the rest were cut off at a bound ≥ the last floor.
    const lowerBoundBytes = Math.min(arena, ...floors);
    return { best, orderSearch: 'all-orders', lowerBoundBytes, provenOptimal: arena <= lowerBoundBytes };
  }
  // Every order holds at least the smallest network peak (when exact) plus the buffers spanning the network.
  const spanning = inputs.extras.filter((x) => 'before' in x.from && 'after' in x.to).reduce((s, x) => s + x.bytes, 0);
  const lowerBoundBytes = Math.min(arena, Math.max(perOpBound(inputs), peak!.exact ? peak!.peakBytes + spanning : 0));
  return { best, orderSearch: peak!.exact ? 'min-peak' : 'beam', lowerBoundBytes, provenOptimal: arena <= lowerBoundBytes };
}
