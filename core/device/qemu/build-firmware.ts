/**
 * Builds C sources into a Cortex-M4F firmware for QEMU's mps2-an386 board: each source compiled
 * with arm-none-eabi-gcc (-O2, function/data sections), linked with the board support
 * (board/startup.c, board/probe.c), newlib with semihosting (rdimon) and libm, into flash and RAM
 * sized like the device. A firmware that does not fit is E_FIRMWARE_TOO_BIG naming the region and
 * the overflow; a compiler or linker error is E_FIRMWARE_COMPILE with the compiler's message.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { CORTEX_M4F_FLAGS, TOOLS, boardSources, linkerScriptTemplate, probeIncludeDir } from './board-files.js';
import { compileFailed, firmwareTooBig } from './errors.js';
import { parseRegionOverflows } from './link-errors.js';
import { type FirmwareMemory, checkMemory, renderLinkerScript, stackReservation } from './linker-script.js';
import { runProcess } from './process.js';

export interface FirmwareBuildOptions {
  /** The program's C files (one of them defines main). */
  readonly sources: readonly string[];
  readonly includeDirs?: readonly string[];
  /** -D definitions: `true` defines the name alone. IMPULSE_PROBES=1 is always defined. */
  readonly defines?: Readonly<Record<string, string | number | true>>;
  /** Extra flags for the program's sources (not the board support), after the defaults (so `-O3`
   * or `-Os` override `-O2`); also passed to the link. */
  readonly cflags?: readonly string[];
  readonly memory: FirmwareMemory;
  /** Stack reserved in RAM (rounded up to 8 bytes); painted at reset and measured after the run. */
  readonly stackBytes: number;
  /** Where objects, the linker script, the ELF and the map go (created if needed). */
  readonly outDir: string;
  /** Base name of the ELF and map (default `firmware`). */
  readonly name?: string;
}

export interface FirmwareObject {
  /** The C file as given (or a board-support file). */
  readonly source: string;
  readonly object: string;
  /** True for the harness's own board support (startup, probes). */
  readonly board: boolean;
}

export interface FirmwareBuild {
  readonly elf: string;
  readonly map: string;
  readonly linkerScript: string;
  readonly objects: readonly FirmwareObject[];
  readonly memory: FirmwareMemory;
  /** The stack reservation actually linked (stackBytes rounded up to 8). */
  readonly stackBytes: number;
  /** Compiler and linker warnings, empty when there were none. */
  readonly warnings: string;
}

/** The compiler flags every firmware object is built with (before the caller's cflags). */
export const FIRMWARE_CFLAGS: readonly string[] = [...CORTEX_M4F_FLAGS, '-O2', '-ffunction-sections', '-fdata-sections'];

function defineFlags(defines: Readonly<Record<string, string | number | true>> = {}): string[] {
  const all: Record<string, string | number | true> = { IMPULSE_PROBES: 1, ...defines };
  return Object.entries(all).map(([k, v]) => (v === true ? `-D${k}` : `-D${k}=${v}`));
}

/** Object file names: numbered so that two main.c in different folders do not collide. */
function objectPath(objDir: string, source: string, index: number): string {
  return path.join(objDir, `${String(index).padStart(3, '0')}-${path.basename(source).replace(/\.[^.]+$/, '')}.o`);
}

/** Runs fn over items, at most `limit` at a time, keeping order of results. */
async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export async function buildFirmware(options: FirmwareBuildOptions): Promise<FirmwareBuild> {
  checkMemory(options.memory, options.stackBytes);
  if (options.sources.length === 0) throw compileFailed('No C sources were given to build the firmware from', '(empty source list)');
  const outDir = path.resolve(options.outDir);
  const objDir = path.join(outDir, 'obj');
  await mkdir(objDir, { recursive: true });
  const name = options.name ?? 'firmware';

  const includeFlags = [probeIncludeDir(), ...(options.includeDirs ?? [])].map((d) => `-I${path.resolve(d)}`);
  const programFlags = [...FIRMWARE_CFLAGS, ...defineFlags(options.defines), ...includeFlags, ...(options.cflags ?? [])];
  // The board support is built the same way whatever the program asks for (-Werror, -O3 …).
  const boardFlags = [...FIRMWARE_CFLAGS, ...defineFlags(), `-I${probeIncludeDir()}`];
  const units = [
    ...boardSources().map((source) => ({ source, board: true, flags: boardFlags })),
    ...options.sources.map((source) => ({ source: path.resolve(source), board: false, flags: programFlags })),
  ];
  const warnings: string[] = [];

  const objects = await mapLimited(units, Math.max(1, Math.min(4, availableParallelism())), async (unit, i): Promise<FirmwareObject> => {
    const object = objectPath(objDir, unit.source, i);
    const r = await runProcess(TOOLS.armGcc, [...unit.flags, '-c', unit.source, '-o', object], { purpose: 'compile C for the Cortex-M4' });
    const diagnostics = r.stderr.toString('utf8');
    if (r.code !== 0) throw compileFailed(`${unit.source} does not compile for the Cortex-M4F`, diagnostics);
    if (diagnostics.trim()) warnings.push(diagnostics.trim());
    return { source: unit.source, object, board: unit.board };
  });

  const linkerScript = path.join(outDir, `${name}.ld`);
  await writeFile(linkerScript, renderLinkerScript(await readFile(linkerScriptTemplate(), 'utf8'), options.memory, options.stackBytes));
  const elf = path.join(outDir, `${name}.elf`);
  const map = path.join(outDir, `${name}.map`);
  const linkArgs = [
    ...CORTEX_M4F_FLAGS,
    ...(options.cflags ?? []),
    '--specs=rdimon.specs',
    '-nostartfiles',
    '-Wl,--gc-sections',
    `-Wl,-Map=${map}`,
    '-T',
    linkerScript,
    ...objects.map((o) => o.object),
    '-lm',
    '-o',
    elf,
  ];
  const link = await runProcess(TOOLS.armGcc, linkArgs, { purpose: 'link Cortex-M4 firmware' });
  const linkOutput = link.stderr.toString('utf8');
  if (link.code !== 0) {
    const overflows = parseRegionOverflows(linkOutput);
    if (overflows.length > 0) {
      throw firmwareTooBig(
        overflows.map((o) => ({ ...o, sizeBytes: o.region === 'RAM' ? options.memory.ramBytes : options.memory.flashBytes })),
        stackReservation(options.stackBytes),
      );
    }
    throw compileFailed('The firmware does not link', linkOutput);
  }
  if (linkOutput.trim()) warnings.push(linkOutput.trim());
  return {
    elf,
    map,
    linkerScript,
    objects,
    memory: options.memory,
    stackBytes: stackReservation(options.stackBytes),
    warnings: warnings.join('\n'),
  };
}
