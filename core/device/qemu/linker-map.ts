/**
 * Reads a GNU ld map file: which input section of which object (or archive member) went into
 * which output section, with its size. Only the "Linker script and memory map" part is read.
 *
 *   .text           0x00000000     0x8508                        ← output section
 *    .text.main     0x00000488       0xe0 obj/003-main.o         ← input section
 *    .text.a_long_function_name                                  ← input section, name alone …
 *                   0x000000e8       0x7c obj/000-startup.o      ← … then its address, size, origin
 *                   0x000000e8                main               ← a symbol (ignored)
 *    *fill*         0x000019f4        0xc                        ← alignment padding
 */

export interface MapInputSection {
  /** The output section it was placed in (.text, .rodata, .data, .bss …). */
  readonly outputSection: string;
  readonly inputSection: string;
  readonly address: number;
  readonly size: number;
  /** Object file or `archive.a(member.o)` as ld printed it; `*fill*` for padding. */
  readonly origin: string;
}

export const FILL_ORIGIN = '*fill*';

/**
 * Mergeable sections (string literals, `.rodata.str1.4`) are listed with their size before ld
 * merged duplicate strings across objects, so listed sizes can overlap. Each section is clipped to
 * where the next one starts (or its output section ends): the sizes then add up to the image.
 */
function clipOverlaps(sections: MapInputSection[], outputEnds: ReadonlyMap<string, number>): MapInputSection[] {
  const byOutput = new Map<string, MapInputSection[]>();
  for (const s of sections) byOutput.set(s.outputSection, [...(byOutput.get(s.outputSection) ?? []), s]);
  const clipped: MapInputSection[] = [];
  for (const [output, list] of byOutput) {
    const sorted = [...list].sort((a, b) => a.address - b.address);
    sorted.forEach((s, i) => {
      const limit = i + 1 < sorted.length ? sorted[i + 1]!.address : (outputEnds.get(output) ?? s.address + s.size);
      clipped.push({ ...s, size: Math.max(0, Math.min(s.size, limit - s.address)) });
    });
  }
  return clipped;
}

export function parseLinkerMap(text: string): MapInputSection[] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith('Linker script and memory map'));
  const out: MapInputSection[] = [];
  let output: string | undefined;
  let pendingName: string | undefined;
  const outputEnds = new Map<string, number>();
  for (const raw of start < 0 ? [] : lines.slice(start + 1)) {
    const line = raw.replace(/\r$/, '');
    const outputHeader = /^(\.[^\s]+|\/DISCARD\/)(?:\s+0x([0-9a-fA-F]+)\s+0x([0-9a-fA-F]+).*)?$/.exec(line);
    if (outputHeader) {
      output = outputHeader[1]!;
      if (outputHeader[2] !== undefined) outputEnds.set(output, parseInt(outputHeader[2], 16) + parseInt(outputHeader[3]!, 16));
      pendingName = undefined;
      continue;
    }
    if (!output) continue;
    const fill = /^ \*fill\*\s+0x([0-9a-fA-F]+)\s+0x([0-9a-fA-F]+)/.exec(line);
    if (fill) {
      out.push({ outputSection: output, inputSection: FILL_ORIGIN, address: parseInt(fill[1]!, 16), size: parseInt(fill[2]!, 16), origin: FILL_ORIGIN });
      continue;
    }
    const full = /^ ([^\s*][^\s]*)\s+0x([0-9a-fA-F]+)\s+0x([0-9a-fA-F]+)\s+(\S.*)$/.exec(line);
    if (full) {
      out.push({ outputSection: output, inputSection: full[1]!, address: parseInt(full[2]!, 16), size: parseInt(full[3]!, 16), origin: full[4]!.trim() });
      pendingName = undefined;
      continue;
    }
    const nameOnly = /^ ([^\s*][^\s]*)$/.exec(line);
    if (nameOnly) {
      pendingName = nameOnly[1];
      continue;
    }
    const continuation = /^\s+0x([0-9a-fA-F]+)\s+0x([0-9a-fA-F]+)\s+(\S.*)$/.exec(line);
    if (continuation && pendingName) {
      out.push({
        outputSection: output,
        inputSection: pendingName,
        address: parseInt(continuation[1]!, 16),
        size: parseInt(continuation[2]!, 16),
        origin: continuation[3]!.trim(),
      });
    }
    pendingName = undefined;
  }
  return clipOverlaps(out.filter((s) => s.size > 0 && s.outputSection !== '/DISCARD/'), outputEnds).filter((s) => s.size > 0);
}
