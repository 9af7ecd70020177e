/**
 * Runs a firmware (built by buildFirmware) on QEMU's emulated Cortex-M4F and measures it:
 *
 *   qemu-system-arm -M mps2-an386 -nographic -monitor none -serial none
 *     -semihosting-config enable=on,target=native,arg=firmware,arg=… -icount shift=0
 *     -kernel app.elf -plugin insn-count.so,out=…,region=ID:BEGIN:END,…
 *
 * in a working folder holding the input files (semihosting opens files relative to it, so
 * `fopen("input.bin", "rb")` in the firmware reads inputs["input.bin"]). Returns main's exit code,
 * stdout/stderr, per-region instruction counts with their class histogram and estimated cycles,
 * and the stack and heap peaks. Deterministic: -icount makes the run independent of host timing,
 * and the counts depend only on the binary and its input.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TOOLS } from './board-files.js';
import { BOARD_REPORT_FILE, type BoardReport, describeCfsr, parseBoardReport } from './board-report.js';
import { qemuPluginPath } from './build-plugin.js';
import { CORTEX_M4_CYCLES, type CycleTable, estimateCycles } from './cycles.js';
import { type ElfSymbol, describeAddress, probeAddresses, probeCodeRange, readElfSymbols } from './elf-symbols.js';
import { clipToolOutput, pluginProblem, probeProblem, qemuFault, qemuTimeout, stackOverflow } from './errors.js';
import type { InsnHistogram, RegisterCounts } from './insn-classes.js';
import { type PluginReport, type SlotCounts, parsePluginReport } from './plugin-report.js';
import { type ProcessResult, runProcess } from './process.js';

/** Probe ids the probe.h macros provide (IMPULSE_PROBE_BEGIN(0) … (31)). */
export const MAX_PROBE_ID = 31;

const PLUGIN_OUTPUT_FILE = '.impulse-insn-count';

export interface QemuRunOptions {
  /** Region name → probe id (the k of IMPULSE_PROBE_BEGIN(k)/END(k) in the C code). */
  readonly regions?: Readonly<Record<string, number>>;
  /** argv[1…] of main (argv[0] is "firmware"); no whitespace inside an argument. */
  readonly args?: readonly string[];
  /** What the firmware reads from stdin. */
  readonly stdin?: string | Uint8Array;
  /** Files written into the working folder before the run, by relative name. */
  readonly inputs?: Readonly<Record<string, string | Uint8Array>>;
  /** Working folder (created if needed, kept, with the run's .impulse-board-report and
   * .impulse-insn-count in it); default: a fresh temporary folder, removed after. */
  readonly cwd?: string;
  /** Stop the firmware after this long (default 60 s). */
  readonly timeoutMs?: number;
  /** Also count disassembler mnemonics per region (for looking at kernels; slower to translate). */
  readonly mnemonics?: boolean;
  /** Cycle costs (default: Cortex-M4). */
  readonly cycleTable?: CycleTable;
}

export interface RegionMeasurement {
  /** Times the region was entered (BEGIN calls at depth 0); counts below are summed over them. */
  readonly entries: number;
  /** Instructions executed (measured, exact). */
  readonly instructions: number;
  /** Control transfers taken: branches taken, calls, returns, loads into PC (measured). */
  readonly takenBranches: number;
  /** Instructions by class; sums to `instructions`. */
  readonly histogram: InsnHistogram;
  /** Registers moved by LDM/STM/PUSH/POP and VLDM/VSTM/VPUSH/VPOP. */
  readonly registers: RegisterCounts;
  /** Estimated cycles (cycle table × histogram + refills); see cycles.ts for what it ignores. */
  readonly cycles: number;
  /**
   * Deepest stack the region used, in bytes below the stack pointer at IMPULSE_PROBE_BEGIN (the
   * most over its entries; stack painting). For `total`: the whole run's stack peak.
   */
  readonly stackPeakBytes: number;
  /** Only with `mnemonics: true`: executed instructions by mnemonic (e.g. `ldrsb.w`). */
  readonly mnemonics?: Readonly<Record<string, number>>;
}

export interface QemuRunResult {
  /** main's return value (or exit()'s argument). */
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly regions: Readonly<Record<string, RegionMeasurement>>;
  /** The whole run, reset to exit (start-up, newlib, semihosting calls included). */
  readonly total: RegionMeasurement;
  /** Deepest stack use over the whole run, from stack painting (bytes below the stack top). */
  readonly stackPeakBytes: number;
  /** The stack reserved by the build. */
  readonly stackBytes: number;
  /** Heap (malloc, e.g. by printf or fopen) at its largest. */
  readonly heapPeakBytes: number;
  /** Host time QEMU took. */
  readonly wallMs: number;
}

function checkRegions(regions: Readonly<Record<string, number>>): void {
  const seen = new Map<number, string>();
  for (const [name, id] of Object.entries(regions)) {
    if (!Number.isInteger(id) || id < 0 || id > MAX_PROBE_ID) {
      throw probeProblem(`Region '${name}' has probe id ${id}; probe ids are 0 to ${MAX_PROBE_ID}.`, 'Use IMPULSE_PROBE_BEGIN(k)/IMPULSE_PROBE_END(k) with k from 0 to 31.');
    }
    const other = seen.get(id);
    if (other !== undefined) throw probeProblem(`Regions '${other}' and '${name}' both use probe id ${id}.`, 'Give each region its own probe id.');
    seen.set(id, name);
  }
}

/** The stack reservation, from the linker-script symbols (the report of a crashed run lacks it). */
function stackBytesOf(symbols: readonly ElfSymbol[]): number {
  const at = (name: string): number | undefined => symbols.find((s) => s.name === name)?.address;
  const top = at('__stack_top');
  const bottom = at('__stack_bottom');
  return top !== undefined && bottom !== undefined ? top - bottom : 0;
}

function checkArgs(args: readonly string[]): void {
  for (const a of args) {
    if (a === '' || /\s/.test(a)) {
      // A caller's mistake, not a user's: semihosting passes one command line, split at spaces.
      throw new TypeError(`runOnQemu: the firmware argument ${JSON.stringify(a)} is empty or has whitespace; pass such data through inputs or stdin`);
    }
  }
}

function measurement(counts: SlotCounts, table: CycleTable, stackPeakBytes: number): RegionMeasurement {
  const { cycles } = estimateCycles(counts, table);
  const m: RegionMeasurement = {
    entries: counts.entries,
    instructions: counts.instructions,
    takenBranches: counts.takenBranches,
    histogram: counts.histogram,
    registers: counts.registers,
    cycles,
    stackPeakBytes,
  };
  return counts.mnemonics ? { ...m, mnemonics: counts.mnemonics } : m;
}

/** QEMU's option syntax doubles commas inside a value. */
function qemuOptValue(v: string): string {
  return v.replace(/,/g, ',,');
}

async function readIfExists(file: string): Promise<string | undefined> {
  return existsSync(file) ? readFile(file, 'utf8') : undefined;
}

/**
 * The board's report of a run that ended on its own: a fault, a missing report (abort, QEMU
 * failure) and a stack overflow are errors; otherwise the exit report with the stack figures.
 */
async function finishedRun(
  r: ProcessResult,
  symbols: readonly ElfSymbol[],
  elfPath: string,
  boardOut: string,
  pluginOut: string,
  plugin: string,
): Promise<Extract<BoardReport, { kind: 'exit' }>> {
  const stdout = r.stdout.toString('utf8');
  const stderr = r.stderr.toString('utf8');
  const boardText = await readIfExists(boardOut);
  const board = boardText === undefined ? undefined : parseBoardReport(boardText);
  if (board?.kind === 'fault') {
    const causes = describeCfsr(board.cfsr);
    const fault =
      `${board.exception} at ${describeAddress(symbols, board.pc)}, called from ${describeAddress(symbols, board.lr)}` +
      `${causes.length ? `: ${causes.join(', ')}` : ''} (CFSR 0x${board.cfsr.toString(16)}, HFSR 0x${board.hfsr.toString(16)})`;
    if (board.stackOverflowed) throw stackOverflow(stackBytesOf(symbols), `it crashed with a ${fault}`);
    throw qemuFault(
      `The firmware stopped with a ${fault}.` + (stdout.trim() ? `\nOutput before the fault:\n${clipToolOutput(stdout.slice(-800))}` : ''),
      `Find the faulting line with: arm-none-eabi-addr2line -f -e ${elfPath} 0x${board.pc.toString(16)} (build with -g for line numbers).`,
    );
  }
  if (r.code === null || board === undefined) {
    const qemuSaid = stderr.trim() ? `\n${clipToolOutput(stderr)}` : '';
    if (/plugin/i.test(stderr) && !existsSync(pluginOut)) {
      throw pluginProblem(`QEMU could not load the instruction-counting plugin (${plugin}):${qemuSaid}`, 'QEMU must be built with TCG plugin support and plugin API version 1 (Debian 12 qemu-system-arm 7.2 is).');
    }
    throw qemuFault(
      `The firmware did not finish main normally (QEMU exit ${r.code ?? r.signal}): it called abort() or _exit(), failed an assert, or QEMU could not run it.${qemuSaid}`,
      "Check the firmware's stderr above (an assert prints its condition there); a firmware must return from main or call exit(). A stack overflow can also corrupt the program this way: try a larger stackBytes.",
    );
  }
  if (board.stackPeakBytes >= board.stackBytes) throw stackOverflow(board.stackBytes);
  return board;
}

async function readPluginReport(pluginOut: string, stderr: string): Promise<PluginReport> {
  const text = await readIfExists(pluginOut);
  if (text === undefined) {
    throw pluginProblem(
      `The instruction-counting plugin wrote no counts (${pluginOut}).${stderr.trim() ? `\n${clipToolOutput(stderr)}` : ''}`,
      'Run again; if it persists, QEMU may not call plugin exit callbacks on this build.',
    );
  }
  try {
    return parsePluginReport(text);
  } catch (e) {
    throw pluginProblem(`The plugin's counts cannot be read: ${(e as Error).message}`, 'The cached plugin may be stale or damaged: delete the impulse-kit qemu-plugin cache folder and run again.');
  }
}

function regionMeasurements(
  regions: Readonly<Record<string, number>>,
  report: PluginReport,
  board: Extract<BoardReport, { kind: 'exit' }>,
  table: CycleTable,
): Record<string, RegionMeasurement> {
  const measured: Record<string, RegionMeasurement> = {};
  for (const [name, id] of Object.entries(regions)) {
    const counts = report.regions.get(id);
    if (!counts) throw pluginProblem(`The plugin reported no counts for region '${name}' (probe ${id}).`, 'This is a bug in impulse-kit.');
    if (counts.unbalancedEnds > 0 || counts.open > 0) {
      throw probeProblem(
        `Region '${name}' (probe ${id}) is unbalanced: ${counts.unbalancedEnds} IMPULSE_PROBE_END(${id}) without a BEGIN, and ${counts.open} BEGIN still open at exit.`,
        `Pair every IMPULSE_PROBE_BEGIN(${id}) with one IMPULSE_PROBE_END(${id}) on every path (early returns too).`,
      );
    }
    measured[name] = measurement(counts, table, board.regionStackPeakBytes.get(id) ?? 0);
  }
  return measured;
}

export async function runOnQemu(elf: string, options: QemuRunOptions = {}): Promise<QemuRunResult> {
  const regions = options.regions ?? {};
  const args = options.args ?? [];
  const timeoutMs = options.timeoutMs ?? 60_000;
  const table = options.cycleTable ?? CORTEX_M4_CYCLES;
  checkRegions(regions);
  checkArgs(args);
  const elfPath = path.resolve(elf);

  const symbols = await readElfSymbols(elfPath);
  const regionArgs: string[] = [];
  for (const [name, id] of Object.entries(regions)) {
    const { begin, end } = probeAddresses(symbols, id);
    if (begin === undefined || end === undefined) {
      const missing = begin === undefined && end === undefined ? `neither IMPULSE_PROBE_BEGIN(${id}) nor IMPULSE_PROBE_END(${id})` : `IMPULSE_PROBE_${begin === undefined ? 'BEGIN' : 'END'}(${id})`;
      throw probeProblem(
        `Region '${name}' (probe ${id}) is not in the firmware: it never calls ${missing} (${path.basename(elfPath)} has no impulse_probe_${begin === undefined ? 'begin' : 'end'}_${id}).`,
        `Call IMPULSE_PROBE_BEGIN(${id}) and IMPULSE_PROBE_END(${id}) (probe.h) around the measured code, and build it with buildFirmware (which defines IMPULSE_PROBES and links the markers).`,
      );
    }
    regionArgs.push(`region=${id}:${begin.toString(16)}:${end.toString(16)}`);
  }
  const probeCode = probeCodeRange(symbols);
  if (probeCode) regionArgs.push(`probe_code=${probeCode.start.toString(16)}:${probeCode.end.toString(16)}`);
  const plugin = await qemuPluginPath();

  const ownCwd = options.cwd === undefined;
  const cwd = ownCwd ? await mkdtemp(path.join(os.tmpdir(), 'impulse-qemu-')) : path.resolve(options.cwd!);
  try {
    await mkdir(cwd, { recursive: true });
    for (const [name, content] of Object.entries(options.inputs ?? {})) {
      const file = path.resolve(cwd, name);
      if (!file.startsWith(cwd + path.sep)) throw new TypeError(`runOnQemu: input file name ${JSON.stringify(name)} leads outside the working folder`);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, content);
    }
    const pluginOut = path.join(cwd, PLUGIN_OUTPUT_FILE);
    const boardOut = path.join(cwd, BOARD_REPORT_FILE);
    await rm(pluginOut, { force: true });
    await rm(boardOut, { force: true });

    const pluginSpec = [plugin, `out=${pluginOut}`, ...regionArgs, ...(options.mnemonics ? ['mnemonics=on'] : [])];
    if (pluginSpec.some((p) => p.includes(','))) throw pluginProblem(`A path has a comma, which QEMU's -plugin option cannot carry: ${pluginSpec.join(' ')}`, 'Use a working folder and cache folder without commas.');
    const semihosting = ['enable=on', 'target=native', ...['firmware', ...args].map((a) => `arg=${qemuOptValue(a)}`)].join(',');
    const qemuArgs = [
      '-M', 'mps2-an386',
      '-nographic', '-monitor', 'none', '-serial', 'none',
      '-semihosting-config', semihosting,
      '-icount', 'shift=0',
      '-kernel', elfPath,
      '-plugin', pluginSpec.join(','),
    ];
    const r = await runProcess(TOOLS.qemu, qemuArgs, {
      cwd,
      timeoutMs,
      ...(options.stdin !== undefined ? { stdin: options.stdin } : {}),
      purpose: 'run Cortex-M4 firmware on an emulated board',
    });
    const stdout = r.stdout.toString('utf8');
    const stderr = r.stderr.toString('utf8');
    if (r.timedOut) throw qemuTimeout(timeoutMs, stdout);
    const board = await finishedRun(r, symbols, elfPath, boardOut, pluginOut, plugin);
    const report = await readPluginReport(pluginOut, stderr);
    const measured = regionMeasurements(regions, report, board, table);

    return {
      exitCode: r.code!, // finishedRun refused a QEMU killed by a signal
      stdout,
      stderr,
      regions: measured,
      total: measurement(report.total, table, board.stackPeakBytes),
      stackPeakBytes: board.stackPeakBytes,
      stackBytes: board.stackBytes,
      heapPeakBytes: board.heapPeakBytes,
      wallMs: r.wallMs,
    };
  } finally {
    if (ownCwd) await rm(cwd, { recursive: true, force: true });
  }
}
