/**
 * Choosing the op order. Any topological order of the ops computes the same result, but which
 * tensors are alive together — and so the arena — depends on it (e.g. finishing one branch before
 * starting the other frees its tensors sooner).
 *
 * - `topologicalOrders` lists every valid order of a small graph, so the planner can pack each.
 * - `minPeakOrder` finds the order with the smallest peak of live bytes by dynamic programming over
 *   the sets of ops already run (the bytes live after a set of ops depend only on the set, not on
 *   the order that ran them, so for each set only the smallest peak so far matters). For wide
 *   graphs the number of sets explodes; it then keeps the `beamWidth` most promising sets per step
 *   (a beam search), which is a heuristic — reported as not exact. Width 1 is list scheduling:
 *   always run the ready op that needs the least memory now.
 */
import type { NetworkGraph } from './graph.js';

/** Every topological order of the ops, in lexicographic order; undefined when there are more than `limit`. */
export function topologicalOrders(dependsOn: readonly (readonly number[])[], limit: number): number[][] | undefined {
  const n = dependsOn.length;
  const dependents: number[][] = dependsOn.map(() => []);
  const waiting = new Int32Array(n);
  dependsOn.forEach((deps, op) => {
    waiting[op] = deps.length;
    for (const d of deps) dependents[d]!.push(op);
  });
  const orders: number[][] = [];
  const order: number[] = [];
  const done = new Uint8Array(n);
  let overflow = false;
  const visit = (): void => {
    if (order.length === n) {
      if (orders.length === limit) overflow = true;
      else orders.push([...order]);
      return;
    }
    for (let op = 0; op < n && !overflow; op++) {
      if (done[op] || waiting[op]! > 0) continue;
      done[op] = 1;
      order.push(op);
      for (const d of dependents[op]!) waiting[d]!--;
      visit();
      for (const d of dependents[op]!) waiting[d]!++;
      order.pop();
      done[op] = 0;
    }
  };
  visit();
  return overflow ? undefined : orders;
}

export interface PeakOrder {
  readonly order: number[];
  /** Largest live bytes at any op step (tensors and scratch; extra buffers not included). */
  readonly peakBytes: number;
  /** True when no set was dropped from the beam: no order has a smaller peak. */
  readonly exact: boolean;
}

interface State {
  readonly mask: bigint;
  readonly remainingReaders: Int32Array;
  readonly liveBytes: number;
  readonly peakBytes: number;
  readonly parent: number;
  readonly op: number;
}

export function minPeakOrder(graph: NetworkGraph, scratch: ReadonlyMap<number, number>, beamWidth: number): PeakOrder {
  const n = graph.opCount;
  const { groups } = graph;
  const depMask = graph.dependsOn.map((deps) => deps.reduce((m, d) => m | (1n << BigInt(d)), 0n));
  const started: number[][] = Array.from({ length: n }, () => []);
  const read: number[][] = Array.from({ length: n }, () => []);
  let inputBytes = 0;
  // Model inputs nobody reads are live at the first step only.
  let unreadInputBytes = 0;
  groups.forEach((g, i) => {
    if (g.producer === 'input') {
      inputBytes += g.bytes;
      if (g.consumers.length === 0 && !g.isOutput) unreadInputBytes += g.bytes;
    } else started[g.producer]!.push(i);
    for (const c of g.consumers) read[c]!.push(i);
  });

  let layer: State[] = [
    { mask: 0n, remainingReaders: Int32Array.from(groups, (g) => g.consumers.length), liveBytes: inputBytes, peakBytes: 0, parent: -1, op: -1 },
  ];
  const layers: State[][] = [layer];
  let exact = true;
  for (let k = 0; k < n; k++) {
    const next = new Map<bigint, State>();
    layer.forEach((s, parent) => {
      for (let op = 0; op < n; op++) {
        const bit = 1n << BigInt(op);
        if (s.mask & bit || (s.mask & depMask[op]!) !== depMask[op]) continue;
        let startedBytes = 0;
        for (const g of started[op]!) startedBytes += groups[g]!.bytes;
        const peakBytes = Math.max(s.peakBytes, s.liveBytes + startedBytes + (scratch.get(op) ?? 0));
        const mask = s.mask | bit;
        const existing = next.get(mask);
        if (existing && existing.peakBytes <= peakBytes) continue;
        const remainingReaders = s.remainingReaders.slice();
        let liveBytes = s.liveBytes + startedBytes - (k === 0 ? unreadInputBytes : 0);
        for (const g of read[op]!) if (--remainingReaders[g]! === 0 && !groups[g]!.isOutput) liveBytes -= groups[g]!.bytes;
        for (const g of started[op]!) if (groups[g]!.consumers.length === 0 && !groups[g]!.isOutput) liveBytes -= groups[g]!.bytes;
        next.set(mask, { mask, remainingReaders, liveBytes, peakBytes, parent, op });
      }
    });
    layer = [...next.values()];
    if (layer.length > beamWidth) {
      exact = false;
      layer = layer.sort((a, b) => a.peakBytes - b.peakBytes || a.liveBytes - b.liveBytes).slice(0, beamWidth);
    }
    layers.push(layer);
  }

  const order: number[] = [];
  let s = layer[0]!;
  for (let k = n; k > 0; k--) {
    order.push(s.op);
    s = layers[k - 1]![s.parent]!;
  }
  return { order: order.reverse(), peakBytes: layer[0]!.peakBytes, exact };
}

/** Throws unless `order` runs every op once, each after the ops it reads from. */
export function checkOrder(dependsOn: readonly (readonly number[])[], order: readonly number[]): void {
  const position = new Map<number, number>();
  order.forEach((op, p) => position.set(op, p));
  if (order.length !== dependsOn.length || position.size !== order.length || order.some((op) => !(op >= 0 && op < dependsOn.length))) {
    throw new RangeError(`the order must list each of the ${dependsOn.length} ops exactly once`);
  }
  dependsOn.forEach((deps, op) => {
    for (const d of deps) if (position.get(d)! > position.get(op)!) throw new RangeError(`op ${op} is ordered before op ${d}, whose output it reads`);
  });
}
