/**
 * Checks a packing against its buffers: what the tests assert and what a code generator can
 * assert before it bakes offsets into C. Returns the problems found (empty when the packing is valid).
 */
import { livesOverlap, type LiveBuffer } from './buffer.js';

export function packingProblems<Id>(buffers: readonly LiveBuffer<Id>[], offsets: ReadonlyMap<Id, number>, arenaBytes: number, alignment: number): string[] {
  const problems: string[] = [];
  for (const b of buffers) {
    const o = offsets.get(b.id);
    if (o === undefined) problems.push(`${String(b.id)}: no offset`);
    else if (!Number.isInteger(o) || o < 0 || o % alignment !== 0) problems.push(`${String(b.id)}: offset ${o} is not a non-negative multiple of ${alignment}`);
    else if (o + b.bytes > arenaBytes) problems.push(`${String(b.id)}: ends at ${o + b.bytes}, past the arena (${arenaBytes})`);
  }
  for (let i = 0; i < buffers.length; i++) {
    for (let j = i + 1; j < buffers.length; j++) {
      const a = buffers[i]!;
      const b = buffers[j]!;
      const oa = offsets.get(a.id);
      const ob = offsets.get(b.id);
      if (oa === undefined || ob === undefined || !livesOverlap(a, b)) continue;
      if (oa < ob + b.bytes && ob < oa + a.bytes) {
        problems.push(`${String(a.id)} [${oa}, ${oa + a.bytes}) and ${String(b.id)} [${ob}, ${ob + b.bytes}) overlap while both live`);
      }
    }
  }
  return problems;
}
