/**
 * The arena packer: gives each buffer an aligned offset so that buffers live at the same step
 * never overlap, and makes the arena (the highest end) as small as it can.
 *
 * It runs greedy by size (the baseline every comparison is against), the other orderings with
 * both fit rules, a seeded local search from the best of them, and — for small problems — an exact
 * branch and bound; it returns the smallest packing found, so never a larger one than greedy by
 * size. It stops early once a packing meets the lower bound (the most bytes live at one step,
 * padded for alignment), which then proves it optimal.
 */
import { alignedLowerBound } from './bounds.js';
import { conflictLists, DEFAULT_ALIGNMENT, validateBuffers, type LiveBuffer } from './buffer.js';
import { exactPacking } from './exact.js';
import { improveOrder } from './local-search.js';
import { ORDERINGS, orderBuffers, type OrderingName } from './orderings.js';
import { placeInOrder, type FitRule } from './place.js';

export type PackStrategy = `${OrderingName}/${FitRule}` | 'local-search' | 'branch-and-bound' | 'empty';

export interface Packing<Id> {
  readonly offsets: ReadonlyMap<Id, number>;
  /** Highest end of any buffer: the arena these offsets need. */
  readonly arenaBytes: number;
  /** Arena of greedy by size on the same buffers (the baseline; ≥ arenaBytes). */
  readonly greedyBySizeBytes: number;
  /** No packing of these buffers can be smaller (see bounds.ts). */
  readonly lowerBoundBytes: number;
  /** True when no packing of these buffers is smaller: at the lower bound, or the exact search completed. */
  readonly provenOptimal: boolean;
  /** Which strategy produced the offsets (the first one to reach the final size). */
  readonly strategy: PackStrategy;
}

export interface PackOptions {
  /** Every offset is a multiple of this; default 16. */
  readonly alignment?: number;
  /** Run the exact search when there are at most this many buffers; default 12 (0 turns it off). */
  readonly exactMaxBuffers?: number;
  /** Search nodes the exact search may visit before settling for the best found; default 200,000. */
  readonly exactNodeBudget?: number;
  /** Moves the local search tries; default 30 per buffer, at most 3,000 (0 turns it off). */
  readonly localSearchIterations?: number;
  /** Seed of the local search. */
  readonly seed?: number;
}

interface Candidate {
  readonly offsets: Int32Array;
  readonly arenaBytes: number;
  readonly strategy: PackStrategy;
}

function toPacking<Id>(buffers: readonly LiveBuffer<Id>[], best: Candidate, greedyBySizeBytes: number, lowerBoundBytes: number, exactComplete: boolean): Packing<Id> {
  return {
    offsets: new Map(buffers.map((b, i) => [b.id, best.offsets[i]!])),
    arenaBytes: best.arenaBytes,
    greedyBySizeBytes,
    lowerBoundBytes,
    provenOptimal: exactComplete || best.arenaBytes <= lowerBoundBytes,
    strategy: best.strategy,
  };
}

/** Greedy by size alone: largest buffer first, each at the lowest offset that fits. The baseline. */
export function packGreedyBySize<Id>(buffers: readonly LiveBuffer<Id>[], options: { readonly alignment?: number } = {}): Packing<Id> {
  const alignment = options.alignment ?? DEFAULT_ALIGNMENT;
  validateBuffers(buffers, alignment);
  const conflicts = conflictLists(buffers);
  const placed = placeInOrder(buffers, conflicts, orderBuffers('size', buffers, conflicts), 'lowest', alignment);
  const lowerBound = alignedLowerBound(buffers, alignment);
  return toPacking(buffers, { ...placed, strategy: buffers.length ? 'size/lowest' : 'empty' }, placed.arenaBytes, lowerBound, false);
}

/** The smallest packing the strategies find (never larger than greedy by size). */
export function packBuffers<Id>(buffers: readonly LiveBuffer<Id>[], options: PackOptions = {}): Packing<Id> {
  const alignment = options.alignment ?? DEFAULT_ALIGNMENT;
  validateBuffers(buffers, alignment);
  const n = buffers.length;
  if (n === 0) return { offsets: new Map(), arenaBytes: 0, greedyBySizeBytes: 0, lowerBoundBytes: 0, provenOptimal: true, strategy: 'empty' };

  const conflicts = conflictLists(buffers);
  const lowerBound = alignedLowerBound(buffers, alignment);

  // Greedy by size first: it is the baseline and the candidate every other strategy must beat.
  const sizeOrder = orderBuffers('size', buffers, conflicts);
  const greedy = placeInOrder(buffers, conflicts, sizeOrder, 'lowest', alignment);
  let best: Candidate = { ...greedy, strategy: 'size/lowest' };
  // The local search walks lowest-fit orders, so it starts from the best of those.
  let bestLowest = { order: sizeOrder, arenaBytes: greedy.arenaBytes };
  const done = () => best.arenaBytes <= lowerBound;

  for (const ordering of ORDERINGS) {
    const order = ordering === 'size' ? sizeOrder : orderBuffers(ordering, buffers, conflicts);
    for (const rule of ['lowest', 'tightest'] as const) {
      if (done()) break;
      if (ordering === 'size' && rule === 'lowest') continue;
      const placed = placeInOrder(buffers, conflicts, order, rule, alignment);
      if (placed.arenaBytes < best.arenaBytes) best = { ...placed, strategy: `${ordering}/${rule}` };
      if (rule === 'lowest' && placed.arenaBytes < bestLowest.arenaBytes) bestLowest = { order, arenaBytes: placed.arenaBytes };
    }
  }

  const iterations = options.localSearchIterations ?? Math.min(3000, 30 * n);
  if (!done() && iterations > 0) {
    const improved = improveOrder(buffers, conflicts, bestLowest.order, { alignment, iterations, seed: options.seed ?? 1, lowerBound });
    if (improved.arenaBytes < best.arenaBytes) best = { offsets: improved.offsets, arenaBytes: improved.arenaBytes, strategy: 'local-search' };
  }

  let exactComplete = false;
  if (!done() && n <= (options.exactMaxBuffers ?? 12)) {
    const exact = exactPacking(buffers, conflicts, {
      alignment,
      upperBound: best.arenaBytes,
      lowerBound,
      nodeBudget: options.exactNodeBudget ?? 200_000,
    });
    if (exact.offsets) best = { offsets: exact.offsets, arenaBytes: exact.arenaBytes, strategy: 'branch-and-bound' };
    exactComplete = exact.complete;
  }

  return toPacking(buffers, best, greedy.arenaBytes, lowerBound, exactComplete);
}
