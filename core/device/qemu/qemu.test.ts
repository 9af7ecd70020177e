/**
 * The QEMU harness end to end: build C for the Cortex-M4F, run it on the emulated board, and check
 * the numbers against what is known about the programs (test programs in testing/).
 * Needs arm-none-eabi-gcc/binutils, qemu-system-arm and gcc: skipped loudly without them, a
 * failure in CI.
 */
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { ImpulseError } from '../../errors/impulse-error.js';
import { skipWithoutTool } from '../../../test/oracles/require-tool.js';
import { type FirmwareBuild, type FirmwareBuildOptions, buildFirmware } from './build-firmware.js';
import { probeIncludeDir } from './board-files.js';
import { CORTEX_M4_CYCLES, estimateCycles } from './cycles.js';
import { emptyHistogram, emptyRegisterCounts } from './insn-classes.js';
import { runOnQemu } from './run-on-qemu.js';
import { firmwareSizes } from './sizes.js';
import { harnessToolsPresent, int8Sequence, runOnHost, scratchDir, testProgram, writeMatvecWeights, writeSource } from './testing/fixtures.js';

const TOOLS = 'arm-none-eabi-gcc, binutils-arm-none-eabi, qemu-system-arm and gcc';
const MEMORY = { flashBytes: 1024 * 1024, ramBytes: 256 * 1024 };

const scratch = scratchDir('main');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let counter = 0;
function build(options: Omit<FirmwareBuildOptions, 'outDir' | 'memory' | 'stackBytes'> & Partial<FirmwareBuildOptions>): Promise<FirmwareBuild> {
  return buildFirmware({ memory: MEMORY, stackBytes: 16 * 1024, outDir: path.join(scratch, `fw-${counter++}`), ...options });
}

/** Rejects with an ImpulseError of this code; returns it for more checks. */
async function impulseError(p: Promise<unknown>, code: string): Promise<ImpulseError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ImpulseError);
    expect((e as ImpulseError).code).toBe(code);
    return e as ImpulseError;
  }
  throw new Error(`expected ${code}, but it succeeded`);
}

const ROWS = 100;
const COLS = 1000;
let matvecBuild: Promise<{ fw: FirmwareBuild; dir: string; input: Uint8Array }> | undefined;
function matvec(): Promise<{ fw: FirmwareBuild; dir: string; input: Uint8Array }> {
  matvecBuild ??= (async () => {
    const dir = path.join(scratch, 'matvec');
    rmSync(dir, { recursive: true, force: true });
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir, { recursive: true });
    const weights = writeMatvecWeights(dir, ROWS, COLS);
    const fw = await buildFirmware({
      sources: [testProgram('matvec.c'), weights],
      defines: { ROWS, COLS },
      memory: MEMORY,
      stackBytes: 8 * 1024,
      outDir: path.join(dir, 'build'),
    });
    const input = new Uint8Array(int8Sequence(COLS, 99).buffer);
    return { fw, dir, input };
  })();
  return matvecBuild;
}

let regionsBuild: Promise<FirmwareBuild> | undefined;
const regionsFirmware = (): Promise<FirmwareBuild> => (regionsBuild ??= build({ sources: [testProgram('regions.c')] }));

describe('measuring C on the emulated Cortex-M4F', () => {
  test('an int8 mat-vec computes on the emulated core exactly what the same C computes on the host', async ({ skip }) => {
    skipWithoutTool(skip, TOOLS, harnessToolsPresent);
    const { fw, dir, input } = await matvec();
    const run = await runOnQemu(fw.elf, { regions: { matvec: 0 }, inputs: { 'input.bin': input } });
    writeFileSync(path.join(dir, 'input.bin'), input);
    const host = runOnHost([testProgram('matvec.c'), path.join(dir, 'matvec_weights.c')], [probeIncludeDir()], [`ROWS=${ROWS}`, `COLS=${COLS}`], dir, dir);
    expect(run.exitCode).toBe(0);
    expect(run.stdout.split('\n').filter(Boolean)).toHaveLength(ROWS);
    expect(run.stdout).toBe(host);
    // Not all outputs saturated: the comparison compares something.
    expect(new Set(host.split('\n')).size).toBeGreaterThan(20);

    const m = run.regions['matvec']!;
    console.log(`int8 mat-vec ${ROWS}x${COLS}: ${m.instructions} instructions, ${m.cycles} estimated cycles (CPI ${(m.cycles / m.instructions).toFixed(2)}), ` +
      `stack ${run.stackPeakBytes} B, ${run.wallMs.toFixed(0)} ms in QEMU`);
    expect(m.entries).toBe(1);
    // A plain-C inner loop at -O2 is about 5 instructions per multiply-accumulate.
    expect(m.instructions).toBeGreaterThan(3 * ROWS * COLS);
    expect(m.instructions).toBeLessThan(8 * ROWS * COLS);
    expect(Object.values(m.histogram).reduce((a, b) => a + b, 0)).toBe(m.instructions);
    expect(m.cycles).toBe(estimateCycles(m, CORTEX_M4_CYCLES).cycles);
    expect(run.total.instructions).toBeGreaterThan(m.instructions);
  });

  test('the same firmware and input measured twice give identical numbers', async ({ skip }) => {
    skipWithoutTool(skip, TOOLS, harnessToolsPresent);
    const { fw, input } = await matvec();
    const a = await runOnQemu(fw.elf, { regions: { matvec: 0 }, inputs: { 'input.bin': input } });
    const b = await runOnQemu(fw.elf, { regions: { matvec: 0 }, inputs: { 'input.bin': input } });
    expect(b.regions).toEqual(a.regions);
    expect(b.total).toEqual(a.total);
    expect(b.stackPeakBytes).toBe(a.stackPeakBytes);
    expect(b.heapPeakBytes).toBe(a.heapPeakBytes);
    expect(b.stdout).toBe(a.stdout);
  });

  test('counts grow linearly with the work, and each region gets only its own instructions', async ({ skip }) => {
    skipWithoutTool(skip, TOOLS, harnessToolsPresent);
    const fw = await regionsFirmware();
    const regions = { once: 0, thrice: 1 };
    const [r1, r2, r3] = await Promise.all([1000, 2000, 3000].map((n) => runOnQemu(fw.elf, { regions, args: [String(n)] })));
    const once = (r: typeof r1) => r!.regions['once']!;
    const thrice = (r: typeof r1) => r!.regions['thrice']!;
    // Region 'once' runs work(N): N → 2N → 3N adds the same instructions each step.
    const step = once(r2).instructions - once(r1).instructions;
    expect(step).toBeGreaterThan(1000);
    expect(once(r3).instructions - once(r2).instructions).toBe(step);
    expect(once(r2).cycles - once(r1).cycles).toBe(once(r3).cycles - once(r2).cycles);
    // Region 'thrice' runs work(3N): exactly what 'once' counts at 3N, although the work outside
    // the regions (work(10N) before them) differs between those runs.
    expect(thrice(r1)).toEqual(once(r3));
    // Outside work is in the total, not in the regions.
    expect(r1!.total.instructions - once(r1).instructions - thrice(r1).instructions).toBeGreaterThan(9 * step);
  });

  test('a known instruction sequence is classified and priced as the cycle table says', async ({ skip }) => {
    skipWithoutTool(skip, TOOLS, harnessToolsPresent);
    const fw = await build({ sources: [testProgram('known-sequence.c')] });
    const run = await runOnQemu(fw.elf, { regions: { loads: 0, mixed: 1, outer: 2, inner: 3 } });
    // known-sequence.c runs every region twice: each figure below is twice one pass.
    const twice = <T extends Record<string, number>>(o: T): T => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, 2 * v])) as T;
    const loads = run.regions['loads']!;
    expect(loads.entries).toBe(2);
    expect(loads.histogram).toEqual(twice({ ...emptyHistogram(), alu: 2, ldr: 3, ldrPipelined: 2, strPipelined: 1, system: 1, ldrd: 1, stm: 1, ldm: 1 }));
    expect(loads.registers).toEqual(twice({ ...emptyRegisterCounts(), ldmRegs: 4, stmRegs: 4 }));
    expect(loads.instructions).toBe(2 * 12);
    expect(loads.takenBranches).toBe(0);
    expect(loads.cycles).toBe(2 * (2 * 1 + 3 * 2 + 2 * 1 + 1 * 1 + 1 + 3 + (1 + 4) + (1 + 4)));

    const mixed = run.regions['mixed']!;
    expect(mixed.histogram).toEqual(
      twice({ ...emptyHistogram(), alu: 6, vmisc: 1, vadd: 1, vmul: 1, vmac: 1, vdiv: 1, vsqrt: 1, mul: 1, smlad: 1, div: 1, branch: 4 }),
    );
    expect(mixed.instructions).toBe(2 * 19);
    expect(mixed.takenBranches).toBe(2 * 3);
    const t = CORTEX_M4_CYCLES.perClass;
    expect(mixed.cycles).toBe(2 * (6 + 1 + 1 + 1 + t.vmac + t.vdiv + t.vsqrt + 1 + 1 + t.div + 4 + 3 * CORTEX_M4_CYCLES.takenBranchRefill));
    expect(mixed.cycles).toBe(2 * 59);

    // Nested: the inner region has its two instructions; the outer one has its own two, the inner
    // ones, and the two calls to the inner markers (taken transfers), but not the marker bodies.
    const inner = run.regions['inner']!;
    const outer = run.regions['outer']!;
    expect(inner.histogram).toEqual(twice({ ...emptyHistogram(), alu: 2 }));
    expect(inner.takenBranches).toBe(0);
    expect(outer.histogram).toEqual(twice({ ...emptyHistogram(), alu: 4, branch: 2 }));
    expect(outer.takenBranches).toBe(2 * 2);
  });

  test('mnemonic counts, when asked for, add up to the instructions', async ({ skip }) => {
    skipWithoutTool(skip, TOOLS, harnessToolsPresent);
    const fw = await regionsFirmware();
    const run = await runOnQemu(fw.elf, { regions: { once: 0, thrice: 1 }, args: ['500'], mnemonics: true });
    for (const m of [run.regions['once']!, run.regions['thrice']!, run.total]) {
      expect(Object.values(m.mnemonics ?? {}).reduce((a, b) => a + b, 0)).toBe(m.instructions);
    }
  });

  test('stack painting measures a known stack use within a small margin, for the run and per region', async ({ skip }) => {
    skipWithoutTool(skip, TOOLS, harnessToolsPresent);
    const [small, large] = await Promise.all(
      [2000, 6000].map(async (bytes) => {
        const fw = await build({ sources: [testProgram('stack.c')], defines: { STACK_USE: bytes } });
        return runOnQemu(fw.elf, { regions: { deep: 0, shallow: 1 } });
      }),
    );
    expect(large!.stackPeakBytes).toBeGreaterThanOrEqual(6000);
    expect(large!.stackPeakBytes).toBeLessThanOrEqual(6000 + 256);
    expect(large!.stackPeakBytes - small!.stackPeakBytes).toBeGreaterThanOrEqual(4000 - 8);
    expect(large!.stackPeakBytes - small!.stackPeakBytes).toBeLessThanOrEqual(4000 + 8);
    expect(large!.stackBytes).toBe(16 * 1024);
    expect(large!.total.stackPeakBytes).toBe(large!.stackPeakBytes);
    // Per region: the array plus deep()'s saved registers, below the caller's stack pointer.
    const deep = large!.regions['deep']!.stackPeakBytes;
    expect(deep).toBeGreaterThanOrEqual(6000);
    expect(deep).toBeLessThanOrEqual(6000 + 32);
    expect(deep - small!.regions['deep']!.stackPeakBytes).toBe(4000);
    expect(large!.regions['shallow']!.stackPeakBytes).toBeLessThanOrEqual(16);
  });

  test('a stack that overflows its reservation is an error, not a number', async ({ skip }) => {
    skipWithoutTool(skip, TOOLS, harnessToolsPresent);
    const fw = await build({ sources: [testProgram('stack.c')], defines: { STACK_USE: 3000 }, stackBytes: 2048 });
    const e = await impulseError(runOnQemu(fw.elf), 'E_QEMU_STACK_OVERFLOW');
    expect(e.message).toMatch(/2048 bytes/);
  });

  test('sizes split into groups that add up to the section totals; weights are their own group', async ({ skip }) => {
    skipWithoutTool(skip, TOOLS, harnessToolsPresent);
    const { fw } = await matvec();
    const sizes = await firmwareSizes(fw.elf, fw.map, {
      objects: fw.objects,
      rules: [
        { group: 'weights', origin: /matvec_weights\.c$/, kinds: ['rodata'] },
        { group: 'impulse', origin: /matvec\.c$/ },
      ],
    });
    for (const kind of ['text', 'rodata', 'data', 'bss'] as const) {
      expect(Object.values(sizes.byGroup).reduce((sum, g) => sum + g[kind], 0)).toBe(sizes[kind]);
    }
    expect(sizes.byGroup['weights']!.rodata).toBe(ROWS * COLS + 4 * ROWS);
    expect(sizes.byGroup['impulse']!.text).toBeGreaterThan(50);
    expect(sizes.byGroup['libc']!.text).toBeGreaterThan(5000); // printf, fopen
    expect(sizes.byGroup['board']!.text).toBeGreaterThan(0);
    expect(sizes.flash).toBe(sizes.text + sizes.rodata + sizes.data);
    expect(sizes.ram).toBe(sizes.data + sizes.bss + 8 * 1024);
    expect(sizes.byObject[0]!.origin).toMatch(/matvec_weights\.c$/);
  });

  test('firmware too big for the flash is a typed error naming the region and the overflow', async ({ skip }) => {
    skipWithoutTool(skip, TOOLS, harnessToolsPresent);
    const dir = scratchDir('big');
    const weights = writeMatvecWeights(dir, 300, 1000);
    const sources = [testProgram('matvec.c'), weights];
    const defines = { ROWS: 300, COLS: 1000 };
    const fits = await build({ sources, defines, memory: { flashBytes: 1024 * 1024, ramBytes: 256 * 1024 } });
    const needed = (await firmwareSizes(fits.elf, fits.map)).flash;
    const flashBytes = 256 * 1024;
    const e = await impulseError(build({ sources, defines, memory: { flashBytes, ramBytes: 256 * 1024 } }), 'E_FIRMWARE_TOO_BIG');
    const overflow = Number(/flash by (\d+) bytes/.exec(e.message)?.[1]);
    expect(overflow).toBeGreaterThanOrEqual(needed - flashBytes);
    expect(overflow).toBeLessThanOrEqual(needed - flashBytes + 16);
    expect(e.message).toContain(`${flashBytes} bytes`);
    rmSync(dir, { recursive: true, force: true });
  });

  test('static data plus the stack beyond the RAM is a typed error naming RAM', async ({ skip }) => {
    skipWithoutTool(skip, TOOLS, harnessToolsPresent);
    const src = writeSource(scratch, 'big-ram.c', 'static volatile unsigned char buffer[200000];\nint main(void) { buffer[7] = 1; return buffer[7] - 1; }\n');
    const e = await impulseError(build({ sources: [src], stackBytes: 64 * 1024 }), 'E_FIRMWARE_TOO_BIG');
    expect(e.message).toMatch(/RAM \(static data \+ the 65536-byte stack\) by \d+ bytes/);
    const overflow = Number(/by (\d+) bytes/.exec(e.message)?.[1]);
    expect(overflow).toBeGreaterThan(200000 + 65536 - 256 * 1024);
    expect(overflow).toBeLessThan(200000 + 65536 - 256 * 1024 + 4096);
  });

  test("a compile error is a typed error carrying the compiler's message", async ({ skip }) => {
    skipWithoutTool(skip, TOOLS, harnessToolsPresent);
    const src = writeSource(scratch, 'broken.c', 'int main(void) {\n  int x = 1\n  return x;\n}\n');
    const e = await impulseError(build({ sources: [src] }), 'E_FIRMWARE_COMPILE');
    expect(e.message).toContain('broken.c');
    expect(e.message).toMatch(/error: expected ['‘]?[,;]/);
  });

  test("a link error (undefined function) is a typed error carrying the linker's message", async ({ skip }) => {
    skipWithoutTool(skip, TOOLS, harnessToolsPresent);
    const src = writeSource(scratch, 'undefined.c', 'int not_defined_anywhere(int);\nint main(void) { return not_defined_anywhere(3); }\n');
    const e = await impulseError(build({ sources: [src] }), 'E_FIRMWARE_COMPILE');
    expect(e.message).toMatch(/undefined reference to [`']not_defined_anywhere/);
  });

  test('a firmware that hangs is stopped at the time limit', async ({ skip }) => {
    skipWithoutTool(skip, TOOLS, harnessToolsPresent);
    const src = writeSource(scratch, 'hang.c', '#include <stdio.h>\nint main(void) { printf("started\\n"); fflush(stdout); for (volatile int i = 0; ; i++) {} }\n');
    const fw = await build({ sources: [src] });
    const started = Date.now();
    const e = await impulseError(runOnQemu(fw.elf, { timeoutMs: 1500 }), 'E_QEMU_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(e.message).toContain('1500 ms');
    expect(e.message).toContain('started');
  });

  test("main's return code, stdin and stderr come back; a fault names its function", async ({ skip }) => {
    skipWithoutTool(skip, TOOLS, harnessToolsPresent);
    const src = writeSource(
      scratch,
      'io.c',
      [
        '#include <stdio.h>',
        '#include <string.h>',
        '__attribute__((noinline)) static void crash_here(void) { __builtin_trap(); }',
        'int main(int argc, char **argv) {',
        '  char line[64] = {0};',
        '  if (argc > 1 && strcmp(argv[1], "crash") == 0) crash_here();',
        '  if (!fgets(line, sizeof line, stdin)) return 9;',
        '  fprintf(stderr, "to stderr\\n");',
        '  printf("argc=%d got=%s", argc, line);',
        '  return 3;',
        '}',
        '',
      ].join('\n'),
    );
    const fw = await build({ sources: [src] });
    const run = await runOnQemu(fw.elf, { args: ['a', 'b'], stdin: 'hello board\n' });
    expect(run.exitCode).toBe(3);
    expect(run.stdout).toBe('argc=3 got=hello board\n');
    expect(run.stderr).toContain('to stderr');
    expect(run.heapPeakBytes).toBeGreaterThan(0); // newlib's stdio buffers

    const e = await impulseError(runOnQemu(fw.elf, { args: ['crash'] }), 'E_QEMU_FAULT');
    expect(e.message).toMatch(/HardFault at crash_here\+0x/);
    expect(e.message).toContain('undefined instruction');
  });

  test('a region the firmware does not have is a typed error', async ({ skip }) => {
    skipWithoutTool(skip, TOOLS, harnessToolsPresent);
    const fw = await regionsFirmware();
    const e = await impulseError(runOnQemu(fw.elf, { regions: { nn: 5 } }), 'E_QEMU_PROBE');
    expect(e.message).toContain("'nn' (probe 5)");
  });

  test('a region whose BEGIN and END do not pair up is a typed error', async ({ skip }) => {
    skipWithoutTool(skip, TOOLS, harnessToolsPresent);
    const src = writeSource(
      scratch,
      'unbalanced.c',
      [
        '#include "probe.h"',
        'int main(int argc, char **argv) {',
        '  (void)argv;',
        '  IMPULSE_PROBE_BEGIN(4);',
        '  if (argc > 5) IMPULSE_PROBE_END(4); /* linked, never run */',
        '  IMPULSE_PROBE_END(5);',
        '  IMPULSE_PROBE_END(5);',
        '  IMPULSE_PROBE_BEGIN(6);',
        '  IMPULSE_PROBE_END(7);',
        '  IMPULSE_PROBE_BEGIN(7);',
        '  IMPULSE_PROBE_END(7);',
        '  return 0;',
        '}',
        '',
      ].join('\n'),
    );
    const fw = await build({ sources: [src] });
    const open = await impulseError(runOnQemu(fw.elf, { regions: { a: 4 } }), 'E_QEMU_PROBE');
    expect(open.message).toMatch(/'a' \(probe 4\) is unbalanced: 0 .* and 1 BEGIN still open/);
    const ends = await impulseError(runOnQemu(fw.elf, { regions: { b: 5 } }), 'E_QEMU_PROBE');
    expect(ends.message).toMatch(/'b' \(probe 5\) is not in the firmware: it never calls IMPULSE_PROBE_BEGIN\(5\)/);
    const never = await impulseError(runOnQemu(fw.elf, { regions: { c: 6 } }), 'E_QEMU_PROBE');
    expect(never.message).toContain('never calls IMPULSE_PROBE_END(6)');
    const early = await impulseError(runOnQemu(fw.elf, { regions: { d: 7 } }), 'E_QEMU_PROBE');
    expect(early.message).toMatch(/'d' \(probe 7\) is unbalanced: 1 IMPULSE_PROBE_END\(7\) without a BEGIN, and 0/);
  });

  test('10^8 instructions measure in seconds', async ({ skip }) => {
    skipWithoutTool(skip, TOOLS, harnessToolsPresent);
    const fw = await regionsFirmware();
    const run = await runOnQemu(fw.elf, { regions: { once: 0, thrice: 1 }, args: ['1200000'] });
    expect(run.total.instructions).toBeGreaterThan(1e8);
    console.log(`${run.total.instructions} instructions in ${run.wallMs.toFixed(0)} ms of QEMU`);
    expect(run.wallMs).toBeLessThan(30_000);
  });
});
