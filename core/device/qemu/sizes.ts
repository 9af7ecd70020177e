/**
 * Flash and RAM of a linked firmware: section totals from the ELF (arm-none-eabi-size -A), and a
 * breakdown by object file and by group (impulse code, weights, libc …) from the linker map.
 *
 * Kinds of section:
 *   text   – code (.text, including the vector table)                      flash
 *   rodata – constants (.rodata; also the small .ARM.exidx/.ARM.extab and
 *            .init_array tables)                                             flash
 *   data   – initialised variables (.data)                                   RAM, initial values in flash
 *   bss    – zero-initialised variables (.bss)                               RAM
 * flash = text + rodata + data; ram = data + bss + the stack reservation. The heap (newlib's
 * malloc, used by printf and fopen) takes what RAM is left and is measured at run time.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { TOOLS } from './board-files.js';
import type { FirmwareObject } from './build-firmware.js';
import { compileFailed } from './errors.js';
import { FILL_ORIGIN, parseLinkerMap } from './linker-map.js';
import { runProcess } from './process.js';

export type SectionKind = 'text' | 'rodata' | 'data' | 'bss';

export interface SectionSizes {
  readonly text: number;
  readonly rodata: number;
  readonly data: number;
  readonly bss: number;
}

export interface ObjectSizes extends SectionSizes {
  /** A source path (the firmware's own objects), `libc.a(lib_a-memcpy.o)`, or `*fill*`. */
  readonly origin: string;
  readonly group: string;
}

export interface FirmwareSizes extends SectionSizes {
  /** Bytes of flash the image occupies: text + rodata + data. */
  readonly flash: number;
  /** Bytes of RAM reserved statically: data + bss + stack. */
  readonly ram: number;
  /** The stack reservation (.stack). */
  readonly stack: number;
  readonly byGroup: Readonly<Record<string, SectionSizes>>;
  /** Largest first. */
  readonly byObject: readonly ObjectSizes[];
}

/**
 * Puts an origin (and optionally only some kinds of its sections) into a group. The first rule
 * that matches wins; the caller's rules come before DEFAULT_SIZE_RULES.
 */
export interface SizeRule {
  readonly group: string;
  /** Tested against the origin: a source path, or `archive.a(member.o)`. */
  readonly origin: RegExp;
  /** Only these kinds (e.g. weights: `['rodata']` of the weights file); all kinds when absent. */
  readonly kinds?: readonly SectionKind[];
}

/** Groups every firmware has: board support, the C library, libm, the compiler's runtime, padding. */
export const DEFAULT_SIZE_RULES: readonly SizeRule[] = [
  { group: 'board', origin: /core[\\/]device[\\/]qemu[\\/]board[\\/][^\\/]+\.c$/ },
  { group: 'libc', origin: /^lib(c|c_nano|g|g_nano|rdimon|rdimon_nano|nosys)\.a\(/ },
  { group: 'libm', origin: /^libm\.a\(/ },
  { group: 'libgcc', origin: /^(libgcc\.a\(|crt[^/\\]*\.o$)/ },
  { group: 'padding', origin: /^\*fill\*$/ },
];

/** Group of origins no rule matches. */
export const OTHER_GROUP = 'other';

export function kindOfOutputSection(name: string): SectionKind | undefined {
  if (name === '.text') return 'text';
  if (name === '.rodata' || name.startsWith('.ARM.ex') || /^\.(pre)?init_array$|^\.fini_array$/.test(name)) return 'rodata';
  if (name === '.data') return 'data';
  if (name === '.bss') return 'bss';
  return undefined;
}

/** `/usr/lib/…/libc.a(lib_a-memcpy.o)` → `libc.a(lib_a-memcpy.o)`; the firmware's objects → their source. */
export function originName(mapOrigin: string, objects: readonly FirmwareObject[]): string {
  if (mapOrigin === FILL_ORIGIN) return mapOrigin;
  const member = /^(.*)\(([^()]+)\)$/.exec(mapOrigin);
  if (member) return `${path.basename(member[1]!)}(${member[2]})`;
  const own = objects.find((o) => path.resolve(o.object) === path.resolve(mapOrigin));
  return own ? own.source : path.basename(mapOrigin);
}

function groupOf(origin: string, kind: SectionKind, rules: readonly SizeRule[]): string {
  for (const r of rules) if (r.origin.test(origin) && (!r.kinds || r.kinds.includes(kind))) return r.group;
  return OTHER_GROUP;
}

/** `arm-none-eabi-size -A` → section name → size. */
export function parseSizeA(text: string): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^(\.\S+)\s+(\d+)\s+(\d+)\s*$/.exec(line.trim());
    if (m) sizes.set(m[1]!, Number(m[2]));
  }
  return sizes;
}

function zero(): { text: number; rodata: number; data: number; bss: number } {
  return { text: 0, rodata: 0, data: 0, bss: 0 };
}

export interface FirmwareSizesOptions {
  /** The build's objects (buildFirmware's `objects`), to name the firmware's own objects by source. */
  readonly objects?: readonly FirmwareObject[];
  /** Groups, before DEFAULT_SIZE_RULES (e.g. `{ group: 'weights', origin: /model_weights\.c$/, kinds: ['rodata'] }`). */
  readonly rules?: readonly SizeRule[];
}

/** Sizes from the ELF's sections and the map's input sections (pure: the texts of both). */
export function sizesFromTexts(sizeA: string, mapText: string, options: FirmwareSizesOptions = {}): FirmwareSizes {
  const sections = parseSizeA(sizeA);
  const totals = zero();
  for (const [name, size] of sections) {
    const kind = kindOfOutputSection(name);
    if (kind) totals[kind] += size;
  }
  const stack = sections.get('.stack') ?? 0;

  const rules = [...(options.rules ?? []), ...DEFAULT_SIZE_RULES];
  const objects = options.objects ?? [];
  const byOrigin = new Map<string, ReturnType<typeof zero>>();
  const byGroup: Record<string, ReturnType<typeof zero>> = {};
  const groupOfOrigin = new Map<string, string>();
  for (const s of parseLinkerMap(mapText)) {
    const kind = kindOfOutputSection(s.outputSection);
    if (!kind) continue;
    const origin = originName(s.origin, objects);
    const o = byOrigin.get(origin) ?? zero();
    o[kind] += s.size;
    byOrigin.set(origin, o);
    const group = groupOf(origin, kind, rules);
    (byGroup[group] ??= zero())[kind] += s.size;
    if (!groupOfOrigin.has(origin) || group !== OTHER_GROUP) groupOfOrigin.set(origin, group);
  }
  const byObject = [...byOrigin]
    .map(([origin, k]) => ({ origin, group: groupOfOrigin.get(origin) ?? OTHER_GROUP, ...k }))
    .sort((a, b) => b.text + b.rodata + b.data + b.bss - (a.text + a.rodata + a.data + a.bss));
  return {
    ...totals,
    flash: totals.text + totals.rodata + totals.data,
    ram: totals.data + totals.bss + stack,
    stack,
    byGroup,
    byObject,
  };
}

/** Sizes of a linked firmware (its ELF and linker map, as buildFirmware wrote them). */
export async function firmwareSizes(elf: string, map: string, options: FirmwareSizesOptions = {}): Promise<FirmwareSizes> {
  const r = await runProcess(TOOLS.armSize, ['-A', elf], { purpose: 'read the sections of the firmware' });
  if (r.code !== 0) throw compileFailed(`Cannot read the sections of ${elf}`, r.stderr.toString('utf8'));
  return sizesFromTexts(r.stdout.toString('utf8'), await readFile(map, 'utf8'), options);
}
