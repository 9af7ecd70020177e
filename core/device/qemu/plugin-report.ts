/**
 * Reads the counts the QEMU plugin writes at exit (plugin/insn-count.c):
 *
 *   impulse-insn-count version=1 classes=alu,simd,…
 *   slot=total entries=1 taken=… insns=… alu=… … ldmRegs=…
 *   slot=<probe id> entries=… taken=… open=… unbalanced=… insns=… alu=… …
 *   mnemonic slot=<id|total> name=ldr.w count=…
 *   end
 */
import { INSN_CLASSES, type InsnHistogram, REGISTER_COUNTERS, type RegisterCounts, emptyHistogram, emptyRegisterCounts } from './insn-classes.js';

export interface SlotCounts {
  readonly entries: number;
  readonly instructions: number;
  readonly takenBranches: number;
  readonly histogram: InsnHistogram;
  readonly registers: RegisterCounts;
  /** Regions only: still entered at exit (BEGIN without END). */
  readonly open: number;
  /** Regions only: END calls that had no BEGIN. */
  readonly unbalancedEnds: number;
  /** Only when mnemonics were asked for. */
  readonly mnemonics?: Readonly<Record<string, number>>;
}

export interface PluginReport {
  readonly total: SlotCounts;
  /** By probe id. */
  readonly regions: ReadonlyMap<number, SlotCounts>;
}

function fields(line: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const part of line.trim().split(/\s+/)) {
    const eq = part.indexOf('=');
    if (eq > 0) m.set(part.slice(0, eq), part.slice(eq + 1));
  }
  return m;
}

function num(f: Map<string, string>, key: string, line: string): number {
  const v = f.get(key);
  if (v === undefined || !/^\d+$/.test(v)) throw new Error(`plugin report: no ${key}= in "${line}"`);
  return Number(v);
}

/** Throws (a plain Error: a bug, not a user error) when the text is not a complete report. */
export function parsePluginReport(text: string): PluginReport {
  const lines = text.split('\n').filter((l) => l.trim());
  const header = lines[0] ?? '';
  if (!header.startsWith('impulse-insn-count ')) throw new Error('plugin report: missing header');
  const classes = fields(header).get('classes')?.split(',') ?? [];
  if (classes.join(',') !== INSN_CLASSES.join(',')) {
    throw new Error(`plugin report: the plugin's classes (${classes.join(',')}) are not insn-classes.ts's`);
  }
  if (lines[lines.length - 1]?.trim() !== 'end') throw new Error('plugin report: truncated (no end line)');

  const slots = new Map<string, Omit<SlotCounts, 'mnemonics'>>();
  const mnemonics = new Map<string, Record<string, number>>();
  for (const line of lines.slice(1, -1)) {
    const f = fields(line);
    if (line.startsWith('mnemonic ')) {
      const slot = f.get('slot') ?? '';
      const table = mnemonics.get(slot) ?? {};
      table[f.get('name') ?? '?'] = num(f, 'count', line);
      mnemonics.set(slot, table);
      continue;
    }
    const slot = f.get('slot');
    if (slot === undefined) throw new Error(`plugin report: unexpected line "${line}"`);
    const histogram = emptyHistogram();
    for (const c of INSN_CLASSES) histogram[c] = num(f, c, line);
    const registers = emptyRegisterCounts();
    for (const r of REGISTER_COUNTERS) registers[r] = num(f, r, line);
    slots.set(slot, {
      entries: num(f, 'entries', line),
      instructions: num(f, 'insns', line),
      takenBranches: num(f, 'taken', line),
      histogram,
      registers,
      open: f.has('open') ? num(f, 'open', line) : 0,
      unbalancedEnds: f.has('unbalanced') ? num(f, 'unbalanced', line) : 0,
    });
  }
  const withMnemonics = (slot: string, counts: Omit<SlotCounts, 'mnemonics'>): SlotCounts => {
    const m = mnemonics.get(slot);
    return m ? { ...counts, mnemonics: m } : counts;
  };
  const total = slots.get('total');
  if (!total) throw new Error('plugin report: no total');
  const regions = new Map<number, SlotCounts>();
  for (const [slot, counts] of slots) if (slot !== 'total') regions.set(Number(slot), withMnemonics(slot, counts));
  return { total: withMnemonics('total', total), regions };
}
