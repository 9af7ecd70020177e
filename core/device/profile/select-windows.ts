/** Which test windows a measurement runs: all of them, or `max` spread evenly over the split (deterministic). */
export function spreadIndices(count: number, max: number): number[] {
  if (count <= max) return Array.from({ length: count }, (_, i) => i);
  return Array.from({ length: max }, (_, i) => Math.floor((i * count) / max));
}

/** "all 1095 test windows" / "25 of 1095 test windows, evenly spread (every 43rd)". */
export function describeSelection(chosen: number, of: number, what = 'test windows'): string {
  if (chosen === of) return `all ${of} ${what}`;
  return `${chosen} of ${of} ${what}, evenly spread (one in about ${Math.round(of / chosen)})`;
}
