/**
 * Function symbols of a firmware ELF (arm-none-eabi-nm): the addresses of the probe markers that
 * the QEMU plugin watches, and pc → function name for fault reports.
 */
import { TOOLS } from './board-files.js';
import { compileFailed } from './errors.js';
import { runProcess } from './process.js';

export interface ElfSymbol {
  readonly name: string;
  /** Address with the Thumb bit cleared. */
  readonly address: number;
  readonly size: number;
  /** nm's type letter (T/t: code, D/d: data, B/b: bss, R/r: read-only data …). */
  readonly type: string;
}

/** Parses `nm -S` output: `address [size] type name`. */
export function parseNm(text: string): ElfSymbol[] {
  const symbols: ElfSymbol[] = [];
  for (const line of text.split('\n')) {
    const m = /^([0-9a-fA-F]+)\s+(?:([0-9a-fA-F]+)\s+)?([A-Za-z])\s+(\S+)$/.exec(line.trim());
    if (!m) continue;
    const raw = parseInt(m[1]!, 16);
    symbols.push({ name: m[4]!, address: raw - (raw % 2), size: m[2] ? parseInt(m[2], 16) : 0, type: m[3]! });
  }
  return symbols;
}

export async function readElfSymbols(elf: string): Promise<ElfSymbol[]> {
  const r = await runProcess(TOOLS.armNm, ['-S', elf], { purpose: 'read symbol addresses from the firmware' });
  if (r.code !== 0) throw compileFailed(`Cannot read the symbols of ${elf}`, r.stderr.toString('utf8'));
  return parseNm(r.stdout.toString('utf8'));
}

export interface ProbeAddresses {
  readonly begin: number;
  readonly end: number;
}

/** impulse_probe_begin_<id> / impulse_probe_end_<id>, each when it is in the firmware. */
export function probeAddresses(symbols: readonly ElfSymbol[], probeId: number): Partial<ProbeAddresses> {
  const find = (name: string): number | undefined => symbols.find((s) => s.name === name && /[Tt]/.test(s.type))?.address;
  const begin = find(`impulse_probe_begin_${probeId}`);
  const end = find(`impulse_probe_end_${probeId}`);
  return { ...(begin === undefined ? {} : { begin }), ...(end === undefined ? {} : { end }) };
}

/** `function+0x12` for a code address, or the bare hex address when no function covers it. */
export function describeAddress(symbols: readonly ElfSymbol[], address: number): string {
  const hex = `0x${address.toString(16)}`;
  const fn = symbols.find((s) => /[Tt]/.test(s.type) && s.size > 0 && address >= s.address && address < s.address + s.size);
  return fn ? `${fn.name}+0x${(address - fn.address).toString(16)} (${hex})` : hex;
}

/** Where the markers' code lies (linker-script symbols around the .impulse_probe sections). */
export function probeCodeRange(symbols: readonly ElfSymbol[]): { start: number; end: number } | undefined {
  const start = symbols.find((s) => s.name === '__impulse_probe_start')?.address;
  const end = symbols.find((s) => s.name === '__impulse_probe_end')?.address;
  return start === undefined || end === undefined ? undefined : { start, end };
}
