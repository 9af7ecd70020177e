/**
 * A device profile as text (after `impulse run` and by `impulse profile`): per block the
 * estimated cycles and ms, and the measured instructions, cycles, ms and stack when measured;
 * RAM and flash split into their parts; whether it fits, and the notes. Every figure is in a
 * column or a line that says "estimated" or "measured".
 */
import pc from 'picocolors';
import { formatBytes, formatCount, formatMs } from '../../core/util/format-numbers.js';
import type { FlashFigures, ProfileReport, RamFigures } from '../../core/device/profile/report.js';

function table(rows: readonly (readonly string[])[], rightAligned: ReadonlySet<number>): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => `  ${r.map((cell, c) => (rightAligned.has(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd()}`);
}

function ramLine(r: RamFigures): string {
  return `${formatBytes(r.total)} (arena ${formatBytes(r.arena)}, other statics ${formatBytes(r.staticData - r.arena)}, stack ${formatBytes(r.stack)})`;
}

function flashLine(f: FlashFigures): string {
  return `${formatBytes(f.total)} (code ${formatBytes(f.code)}, constants ${formatBytes(f.constants)}, weights ${formatBytes(f.weights)}, libc ${formatBytes(f.libc)})`;
}

export function formatProfile(r: ProfileReport, options: { compact?: boolean } = {}): string {
  const d = r.device;
  const measured = r.measurement !== undefined;
  const out: string[] = [];
  out.push(`${pc.bold(`${r.subject} on ${d.name}`)}: ${pc.dim(d.description)}`);
  const head = measured
    ? ['block', 'kind', 'est. cycles', 'est. ms', 'meas. instructions', 'meas. cycles', 'meas. ms', 'stack']
    : ['block', 'kind', 'est. cycles', 'est. ms'];
  const rows: string[][] = [head];
  const cell = (v: number | undefined, f: (n: number) => string) => (v === undefined ? '–' : f(v));
  for (const b of r.blocks) {
    const e = b.estimated;
    const m = b.measured;
    const row = [b.id, b.kind === 'dsp' ? b.type : b.kind, cell(e?.cycles, formatCount) + (e && !e.calibrated ? '*' : ''), cell(e?.ms, formatMs)];
    if (measured) row.push(cell(m?.instructions, formatCount), cell(m?.cycles, formatCount), cell(m?.ms, formatMs), cell(m?.stackBytes, formatBytes));
    rows.push(row);
  }
  const te = r.total.estimated;
  const tm = r.total.measured;
  const totalRow = ['total', 'impulse_run', cell(te?.cycles, formatCount), cell(te?.ms, formatMs)];
  if (measured) totalRow.push(cell(tm?.instructions, formatCount), cell(tm?.cycles, formatCount), cell(tm?.ms, formatMs), '');
  rows.push(totalRow);
  out.push(...table(rows, new Set([2, 3, 4, 5, 6, 7])));
  if (!options.compact) {
    for (const b of r.blocks) {
      if (!b.ops || b.ops.length === 0) continue;
      out.push(pc.dim(`  ${b.id} by op kind (cycles per inference): ${b.ops.filter((o) => o.estimatedCycles > 0 || (o.measured?.cycles ?? 0) > 0).map((o) => `${o.kind}×${o.ops} est. ${formatCount(o.estimatedCycles)}${o.measured ? ` / meas. ${formatCount(o.measured.cycles)}` : ''}`).join(', ')}`));
    }
  }
  if (te) out.push(pc.dim(`  ms at ${d.clockHz / 1e6} MHz with zero flash wait states${te.waitStateCycles > 0 ? `; with ${d.flashWaitStates} wait states about ${formatMs(te.msWithWaitStates)} ms (estimated)` : ''}`));
  if (r.ram.estimated) out.push(`  RAM   estimated ${ramLine(r.ram.estimated)}`);
  if (r.ram.measured) out.push(`  RAM   measured  ${ramLine(r.ram.measured)}`);
  if (r.flash.estimated) out.push(`  flash estimated ${flashLine(r.flash.estimated)}`);
  if (r.flash.measured) out.push(`  flash measured  ${flashLine(r.flash.measured)}`);
  const f = r.fit;
  const fitText = `RAM ${formatBytes(f.ramBytes)} of ${formatBytes(d.ramBytes)} (with the caller's ${formatBytes(r.inputBufferBytes)} input window), flash ${formatBytes(f.flashBytes)} of ${formatBytes(d.flashBytes)} (${f.basis})`;
  if (f.fitsRam && f.fitsFlash) out.push(`  ${pc.green('fits')} ${d.name}: ${fitText}`);
  else {
    const over = [!f.fitsRam ? `RAM by ${formatBytes(f.ramBytes - d.ramBytes)}` : '', !f.fitsFlash ? `flash by ${formatBytes(f.flashBytes - d.flashBytes)}` : ''].filter(Boolean).join(' and ');
    out.push(`  ${pc.yellow(`warning: does not fit ${d.name}`)} (over ${over}): ${fitText}`);
  }
  if (r.measurement) out.push(pc.dim(`  measured on QEMU mps2-an386 (Cortex-M4F) over ${r.measurement.source}; instructions counted, cycles from the Cortex-M4 cost table; ${r.measurement.outputCheck}`));
  else out.push(pc.dim('  estimated from the cost tables (core/device/README.md); measure with `impulse profile --measure`'));
  if (r.blocks.some((b) => b.estimated && !b.estimated.calibrated)) out.push(pc.dim('  * no calibrated cost row for part of this block: default costs used'));
  for (const n of r.notes) if (!options.compact || n.startsWith('Not measured')) out.push(pc.dim(`  note: ${n}`));
  return out.join('\n') + '\n';
}
