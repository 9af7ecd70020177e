/** The harness's pure parts: reading tool output, the layout template, the cycle model. No tools needed. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { ImpulseError } from '../../errors/impulse-error.js';
import { describeCfsr, parseBoardReport } from './board-report.js';
import { buildFirmware } from './build-firmware.js';
import { CORTEX_M4_CYCLES, estimateCycles } from './cycles.js';
import { describeAddress, parseNm, probeAddresses } from './elf-symbols.js';
import { INSN_CLASSES, REGISTER_COUNTERS, emptyHistogram, emptyRegisterCounts } from './insn-classes.js';
import { parseRegionOverflows } from './link-errors.js';
import { parseLinkerMap } from './linker-map.js';
import { BOARD_LIMITS, renderLinkerScript } from './linker-script.js';
import { parsePluginReport } from './plugin-report.js';
import { sizesFromTexts } from './sizes.js';
import { testingDir } from './testing/fixtures.js';

const harness = path.resolve(testingDir, '..');

describe('instruction classes', () => {
  test('the plugin (thumb-classify.h) and insn-classes.ts list the same classes in the same order', () => {
    const header = readFileSync(path.join(harness, 'plugin', 'thumb-classify.h'), 'utf8');
    expect([...header.matchAll(/^\s*X\((\w+)\)/gm)].map((m) => m[1])).toEqual([...INSN_CLASSES]);
    const source = readFileSync(path.join(harness, 'plugin', 'thumb-classify.c'), 'utf8');
    expect(/thumb_reg_counter_names\[[^\]]*\] = \{([^}]*)\}/.exec(source)?.[1]?.match(/\w+/g)).toEqual([...REGISTER_COUNTERS]);
  });
});

describe('cycle model', () => {
  test('every class has a cost, and the estimate is the table applied to the counts', () => {
    for (const c of INSN_CLASSES) expect(CORTEX_M4_CYCLES.perClass[c]).toBeGreaterThanOrEqual(1);
    const histogram = { ...emptyHistogram(), alu: 10, ldr: 4, ldrPipelined: 6, ldm: 2, vmac: 3, vdiv: 1, branch: 5 };
    const registers = { ...emptyRegisterCounts(), ldmRegs: 9 };
    const e = estimateCycles({ histogram, registers, takenBranches: 4 });
    expect(e.cycles).toBe(10 + 4 * 2 + 6 + 2 + 9 + 3 * 3 + 14 + 5 + 4 * 2);
    expect(e.breakdown.branchRefill).toBe(8);
    expect(e.breakdown.registers).toBe(9);
    expect(Object.values(e.breakdown).reduce((a, b) => a + b, 0)).toBe(e.cycles);
  });
});

describe('linker script and link errors', () => {
  const template = readFileSync(path.join(harness, 'board', 'mps2-an386.ld'), 'utf8');

  test('the template gets the device sizes; the stack rounds up to 8 bytes', () => {
    const text = renderLinkerScript(template, { flashBytes: 1048576, ramBytes: 262144 }, 4001);
    expect(text).toContain('LENGTH = 1048576');
    expect(text).toContain('LENGTH = 262144');
    expect(text).toContain('__stack_size = 4008;');
    expect(text).not.toMatch(/@[A-Z_]+@/);
  });

  test('sizes the board cannot hold are a typed error', () => {
    const bad = [
      () => renderLinkerScript(template, { flashBytes: BOARD_LIMITS.flashBytes + 1, ramBytes: 65536 }, 1024),
      () => renderLinkerScript(template, { flashBytes: 65536, ramBytes: 65536 }, 65536),
      () => renderLinkerScript(template, { flashBytes: 1.5, ramBytes: 65536 }, 1024),
    ];
    for (const f of bad) {
      expect(f).toThrow(ImpulseError);
      try {
        f();
      } catch (e) {
        expect((e as ImpulseError).code).toBe('E_FIRMWARE_MEMORY');
      }
    }
  });

  test("ld's overflow messages give each region's overflow once", () => {
    const out = [
      "/usr/bin/ld: fw.elf section `.rodata' will not fit in region `FLASH'",
      "/usr/bin/ld: region `FLASH' overflowed by 123456 bytes",
      "/usr/bin/ld: region `RAM' overflowed by 77 bytes",
      "/usr/bin/ld: region `FLASH' overflowed by 123460 bytes",
      'collect2: error: ld returned 1 exit status',
    ].join('\n');
    expect(parseRegionOverflows(out)).toEqual([
      { region: 'FLASH', overflowBytes: 123460 },
      { region: 'RAM', overflowBytes: 77 },
    ]);
    expect(parseRegionOverflows("undefined reference to `foo'")).toEqual([]);
  });
});

describe('symbols', () => {
  const nm = [
    '00000488 0000000c T impulse_probe_begin_0',
    '00000495 0000000c T impulse_probe_end_0',
    '000004d8 00000050 T main',
    '20000aa0 00000004 B sink',
    '00004000 A __stack_size',
  ].join('\n');

  test('nm -S output: addresses without the Thumb bit, probe pairs, pc → function', () => {
    const symbols = parseNm(nm);
    expect(symbols).toHaveLength(5);
    expect(probeAddresses(symbols, 0)).toEqual({ begin: 0x488, end: 0x494 });
    expect(probeAddresses(symbols, 1)).toEqual({});
    expect(describeAddress(symbols, 0x4e0)).toBe('main+0x8 (0x4e0)');
    expect(describeAddress(symbols, 0x9000)).toBe('0x9000');
  });
});

describe('reports', () => {
  const header = `impulse-insn-count version=1 classes=${INSN_CLASSES.join(',')}`;
  const slot = (prefix: string, insns: number): string =>
    `${prefix} insns=${insns} ${INSN_CLASSES.map((c) => `${c}=${c === 'alu' ? insns : 0}`).join(' ')} ${REGISTER_COUNTERS.map((r) => `${r}=0`).join(' ')}`;

  test('the plugin report: total, regions by probe id, mnemonics', () => {
    const text = [
      header,
      slot('slot=total entries=1 taken=5', 100),
      slot('slot=3 entries=2 taken=1 open=0 unbalanced=0', 40),
      'mnemonic slot=3 name=adds count=40',
      'end',
      '',
    ].join('\n');
    const r = parsePluginReport(text);
    expect(r.total.instructions).toBe(100);
    expect(r.total.takenBranches).toBe(5);
    expect(r.regions.get(3)).toMatchObject({ entries: 2, instructions: 40, takenBranches: 1, open: 0, unbalancedEnds: 0, mnemonics: { adds: 40 } });
    expect(r.regions.get(3)!.histogram.alu).toBe(40);
  });

  test('a truncated report or one with other classes is refused', () => {
    expect(() => parsePluginReport([header, slot('slot=total entries=1 taken=5', 100)].join('\n'))).toThrow(/truncated/);
    expect(() => parsePluginReport(['impulse-insn-count version=1 classes=alu,ldr', 'end'].join('\n'))).toThrow(/classes/);
  });

  test('the board report: exit with peaks, or a fault', () => {
    expect(parseBoardReport('stack_peak 524\nstack_size 8192\nheap_peak 1100\nheap_size 1000\n')).toEqual({
      kind: 'exit',
      stackPeakBytes: 524,
      stackBytes: 8192,
      heapPeakBytes: 1100,
      heapBytes: 1000,
      regionStackPeakBytes: new Map(),
    });
    const withRegions = parseBoardReport('stack_peak 524\nstack_size 8192\nheap_peak 0\nheap_size 1000\nregion_stack_3 96\n');
    expect(withRegions?.kind === 'exit' && withRegions.regionStackPeakBytes.get(3)).toBe(96);
    expect(parseBoardReport('fault HardFault\npc 0x1a2\nlr 0x301\ncfsr 0x10000\nhfsr 0x40000000\n')).toEqual({
      kind: 'fault',
      exception: 'HardFault',
      pc: 0x1a2,
      lr: 0x301,
      cfsr: 0x10000,
      hfsr: 0x40000000,
      stackOverflowed: false,
    });
    expect(parseBoardReport('stack_peak 5\n')).toBeUndefined();
    expect(describeCfsr(0x10000)).toEqual(['undefined instruction']);
  });
});

describe('sizes from the linker map', () => {
  const map = [
    'Archive member included to satisfy reference by file (symbol)',
    '',
    'Linker script and memory map',
    '',
    'LOAD /b/obj/000-startup.o',
    '.text           0x00000000      0x140',
    ' *(.vectors)',
    ' .vectors       0x00000000       0xc0 /b/obj/000-startup.o',
    '                0x00000000                impulse_board_vectors',
    ' .text.a_function_with_a_long_name',
    '                0x000000c0       0x40 /b/obj/002-model.o',
    '                0x000000c0                a_function_with_a_long_name',
    ' *fill*         0x00000100        0x4 ',
    ' .text          0x00000104       0x3c /usr/lib/arm-none-eabi/lib/libc.a(lib_a-memcpy.o)',
    '',
    '.rodata         0x00000140       0x30',
    ' .rodata.str1.4',
    '                0x00000140       0x10 /b/obj/002-model.o',
    ' .rodata.str1.4',
    '                0x0000014c       0x14 /usr/lib/arm-none-eabi/lib/libc.a(lib_a-vfprintf.o)',
    ' .rodata.weights',
    '                0x00000160       0x10 /b/obj/003-weights.o',
    '',
    '.data           0x20000000        0x8 load address 0x00000170',
    ' .data.x        0x20000000        0x8 /b/obj/002-model.o',
    '',
    '.bss            0x20000008       0x10 load address 0x00000178',
    ' COMMON         0x20000008       0x10 /b/obj/002-model.o',
    '',
    '.stack          0x20000018      0x800 load address 0x00000178',
    '                0x20000018                __stack_bottom = .',
    '',
    '.debug_info     0x00000000      0x100',
    ' .debug_info    0x00000000      0x100 /b/obj/002-model.o',
  ].join('\n');
  const sizeA = ['firmware.elf  :', 'section   size   addr', '.text   320   0', '.rodata  48  320', '.data   8   536870912', '.bss  16  536870920', '.stack 2048 536870936', '.debug_info 256 0'].join('\n');
  const objects = [
    { source: '/src/startup.c', object: '/b/obj/000-startup.o', board: true },
    { source: '/src/model.c', object: '/b/obj/002-model.o', board: false },
    { source: '/src/weights.c', object: '/b/obj/003-weights.o', board: false },
  ];

  test('input sections with long names, fill, merged strings clipped to the next section', () => {
    const sections = parseLinkerMap(map);
    expect(sections.find((s) => s.inputSection === '.text.a_function_with_a_long_name')).toMatchObject({ size: 0x40, origin: '/b/obj/002-model.o' });
    // 0x10 listed, but the next string section starts 0xc later (strings merged by ld).
    expect(sections.find((s) => s.outputSection === '.rodata' && s.origin.endsWith('002-model.o'))!.size).toBe(0xc);
    expect(sections.filter((s) => s.outputSection === '.rodata').reduce((a, s) => a + s.size, 0)).toBe(0x30);
  });

  test('groups by the caller\'s rules first, then board/libc/padding; groups add up to the sections', () => {
    const sizes = sizesFromTexts(sizeA, map, {
      objects,
      rules: [
        { group: 'weights', origin: /weights\.c$/, kinds: ['rodata'] },
        { group: 'impulse', origin: /model\.c$/ },
      ],
    });
    expect(sizes).toMatchObject({ text: 320, rodata: 48, data: 8, bss: 16, stack: 2048, flash: 376, ram: 2072 });
    expect(sizes.byGroup['weights']).toEqual({ text: 0, rodata: 16, data: 0, bss: 0 });
    expect(sizes.byGroup['impulse']).toEqual({ text: 64, rodata: 12, data: 8, bss: 16 });
    expect(sizes.byGroup['libc']).toEqual({ text: 60, rodata: 20, data: 0, bss: 0 });
    expect(sizes.byGroup['padding']).toEqual({ text: 4, rodata: 0, data: 0, bss: 0 });
    expect(sizes.byGroup['other']).toEqual({ text: 192, rodata: 0, data: 0, bss: 0 }); // startup.c is not under board/ here
    for (const k of ['text', 'rodata', 'data', 'bss'] as const) {
      expect(Object.values(sizes.byGroup).reduce((a, g) => a + g[k], 0)).toBe(sizes[k]);
    }
    expect(sizes.byObject.map((o) => o.origin)).toContain('libc.a(lib_a-memcpy.o)');
  });
});

describe('tools', () => {
  test('a missing compiler is E_FIRMWARE_TOOL_MISSING naming it', async () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'impulse-no-tools-'));
    const saved = process.env['PATH'];
    process.env['PATH'] = empty;
    try {
      const p = buildFirmware({ sources: ['main.c'], memory: { flashBytes: 65536, ramBytes: 65536 }, stackBytes: 1024, outDir: empty });
      await expect(p).rejects.toMatchObject({ code: 'E_FIRMWARE_TOOL_MISSING', message: expect.stringContaining('arm-none-eabi-gcc is not installed') });
    } finally {
      process.env['PATH'] = saved;
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
