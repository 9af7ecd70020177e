/** Reads GNU ld's complaints about memory regions, which mean "the firmware does not fit". */

export interface LinkerOverflow {
  readonly region: string;
  readonly overflowBytes: number;
}

/**
 * Each region ld reports as overflowed (`region `FLASH' overflowed by 1234 bytes`), once, with the
 * largest figure ld gives for it.
 */
export function parseRegionOverflows(linkerOutput: string): LinkerOverflow[] {
  const byRegion = new Map<string, number>();
  for (const m of linkerOutput.matchAll(/region [`'"]?([A-Za-z0-9_]+)['"]? overflowed by (\d+) bytes?/g)) {
    const region = m[1]!;
    byRegion.set(region, Math.max(byRegion.get(region) ?? 0, Number(m[2])));
  }
  return [...byRegion].map(([region, overflowBytes]) => ({ region, overflowBytes }));
}
