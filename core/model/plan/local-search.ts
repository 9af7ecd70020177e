/**
 * Improves a placement order by small random moves (move one buffer earlier or later in the order),
 * keeping a move when the lowest-fit packing gets no larger. Sideways moves are kept too, so the
 * search can cross plateaus where many orders give the same arena. Seeded: the same input gives
 * the same result.
 */
import { placeInOrder } from './place.js';
import type { LiveBuffer } from './buffer.js';
import { seededRandom } from './random.js';

export function improveOrder(
  buffers: readonly LiveBuffer<unknown>[],
  conflicts: readonly (readonly number[])[],
  start: readonly number[],
  options: { readonly alignment: number; readonly iterations: number; readonly seed: number; readonly lowerBound: number },
): { order: number[]; offsets: Int32Array; arenaBytes: number } {
  const random = seededRandom(options.seed);
  let order = [...start];
  let best = placeInOrder(buffers, conflicts, order, 'lowest', options.alignment);
  const n = order.length;
  if (n < 3) return { order, ...best };
  for (let it = 0; it < options.iterations && best.arenaBytes > options.lowerBound; it++) {
    const from = Math.floor(random() * n);
    let to = Math.floor(random() * (n - 1));
    if (to >= from) to++;
    const candidate = [...order];
    const [moved] = candidate.splice(from, 1);
    candidate.splice(to, 0, moved!);
    const placed = placeInOrder(buffers, conflicts, candidate, 'lowest', options.alignment);
    if (placed.arenaBytes <= best.arenaBytes) {
      order = candidate;
      best = placed;
    }
  }
  return { order, ...best };
}
