/**
 * The plugin's bit-level Thumb decoder (plugin/thumb-classify.c) against objdump's disassembly,
 * through an independent text-based oracle (testing/mnemonic-class.ts): every instruction newlib,
 * libm and libgcc contain for the Cortex-M4F (real compiler output), every 16-bit encoding, and a
 * fixed random sample of 32-bit encodings. Needs gcc and arm-none-eabi-objdump.
 */
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { skipWithoutTool } from '../../../test/oracles/require-tool.js';
import { CORTEX_M4F_FLAGS, harnessDir } from './board-files.js';
import { classOfDisassembly, registerWords } from './testing/mnemonic-class.js';
import { harnessToolsPresent, objdumpPresent, scratchDir, testProgram } from './testing/fixtures.js';

const TOOLS = 'gcc and arm-none-eabi-objdump';
const present = (): boolean => harnessToolsPresent() && objdumpPresent();
const scratch = scratchDir('decode');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Insn {
  readonly hex: string;
  readonly mnemonic: string;
  readonly operands: string;
}

function disassembly(args: readonly string[]): Insn[] {
  const text = execFileSync('arm-none-eabi-objdump', args, { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] });
  const out: Insn[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s+[0-9a-f]+:\t([0-9a-f]{4}(?: [0-9a-f]{4})?)\s*\t(\S+)\s*(.*)$/.exec(line);
    if (m) out.push({ hex: m[1]!, mnemonic: m[2]!, operands: m[3]! });
  }
  return out;
}

let cli: string | undefined;
function classify(insns: readonly Insn[]): Array<{ cls: string; regs: number }> {
  cli ??= (() => {
    const exe = path.join(scratch, 'classify-cli');
    execFileSync('gcc', ['-O2', '-Wall', '-Wextra', '-o', exe, testProgram('classify-cli.c'), path.join(harnessDir(), 'plugin', 'thumb-classify.c')]);
    return exe;
  })();
  const out = execFileSync(cli, { input: insns.map((i) => i.hex).join('\n') + '\n', encoding: 'utf8', maxBuffer: 1 << 28 }).trim().split('\n');
  return out.map((l) => {
    const [cls, regs] = l.split(' ');
    return { cls: cls!, regs: Number(regs) };
  });
}

/** Instructions where the decoder and the oracle disagree (at most a few, for the message). */
function disagreements(insns: readonly Insn[]): { checked: number; wrong: string[] } {
  const got = classify(insns);
  const wrong: string[] = [];
  let checked = 0;
  insns.forEach((insn, i) => {
    const want = classOfDisassembly(insn.hex, insn.mnemonic, insn.operands);
    if (!want) return;
    const multi = ['ldm', 'stm', 'vldm', 'vstm'].includes(want);
    const imm8 = parseInt(insn.hex.split(' ')[1] ?? '0', 16) & 0xff;
    if (multi && want.startsWith('v') && imm8 > 32) return; // more than 32 words: UNPREDICTABLE, objdump wraps
    checked++;
    const { cls, regs } = got[i]!;
    const pipelinedOk = cls === `${want}Pipelined`;
    if ((cls !== want && !pipelinedOk) || (multi && regs !== registerWords(insn.operands))) {
      wrong.push(`${insn.hex} ${insn.mnemonic} ${insn.operands}: decoder says ${cls}/${regs}, objdump implies ${want}`);
    }
  });
  return { checked, wrong: wrong.slice(0, 20) };
}

function libraryDir(): string {
  return path.dirname(execFileSync('arm-none-eabi-gcc', [...CORTEX_M4F_FLAGS, '-print-file-name=libc.a'], { encoding: 'utf8' }).trim());
}

test('every instruction of newlib, libm and libgcc for the Cortex-M4F is classified as objdump implies', ({ skip }) => {
  skipWithoutTool(skip, TOOLS, present);
  const libgcc = execFileSync('arm-none-eabi-gcc', [...CORTEX_M4F_FLAGS, '-print-libgcc-file-name'], { encoding: 'utf8' }).trim();
  const insns = disassembly(['-d', path.join(libraryDir(), 'libc.a'), path.join(libraryDir(), 'libm.a'), libgcc]);
  const { checked, wrong } = disagreements(insns);
  expect(checked).toBeGreaterThan(50_000);
  expect(wrong).toEqual([]);
});

test('every 16-bit encoding and a sample of 32-bit encodings are classified as objdump implies', ({ skip }) => {
  skipWithoutTool(skip, TOOLS, present);
  const halfwords: number[] = [];
  for (let h = 0; h < 0x10000; h++) if (![0x1d, 0x1e, 0x1f].includes(h >> 11)) halfwords.push(h);
  let s = 12345;
  const rand = (): number => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 16;
  for (let i = 0; i < 60_000; i++) halfwords.push(((0x1d + (rand() % 3)) << 11) | (rand() & 0x7ff), rand());
  const bin = path.join(scratch, 'encodings.bin');
  writeFileSync(bin, Buffer.from(new Uint16Array(halfwords).buffer));
  const insns = disassembly(['-D', '-b', 'binary', '-m', 'armv7e-m', '-M', 'force-thumb', bin]);
  const { checked, wrong } = disagreements(insns);
  expect(checked).toBeGreaterThan(70_000);
  expect(wrong).toEqual([]);
});
