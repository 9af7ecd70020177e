/**
 * Test helpers for the QEMU harness: which tools are present, a scratch folder, the test C
 * programs, and generated weights for the int8 mat-vec.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { haveTool } from '../../../../test/support/shared.js';

export const testingDir = path.dirname(fileURLToPath(import.meta.url));

export function testProgram(name: string): string {
  return path.join(testingDir, name);
}

let present: boolean | undefined;
/** The cross toolchain, QEMU and a host C compiler (haveTool warns loudly, and throws in CI, when one is missing). */
export function harnessToolsPresent(): boolean {
  present ??= ['arm-none-eabi-gcc', 'arm-none-eabi-nm', 'arm-none-eabi-size', 'qemu-system-arm', 'gcc'].map((t) => haveTool(t)).every(Boolean);
  return present;
}

export function objdumpPresent(): boolean {
  return haveTool('arm-none-eabi-objdump');
}

export function scratchDir(label: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `impulse-qemu-test-${label}-`));
}

/** Deterministic bytes (a 32-bit LCG), as signed int8 values. */
export function int8Sequence(n: number, seed: number): Int8Array {
  const out = new Int8Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s >>> 24) - 128;
  }
  return out;
}

/** Writes matvec_weights.c (weights and bias of an int8 mat-vec) into dir; returns its path. */
export function writeMatvecWeights(dir: string, rows: number, cols: number, seed = 1): string {
  const w = int8Sequence(rows * cols, seed);
  const b = int8Sequence(rows, seed + 1);
  const lines: string[] = ['#include <stdint.h>', `const int8_t matvec_weights[${rows * cols}] = {`];
  for (let i = 0; i < w.length; i += 32) lines.push(`  ${Array.from(w.subarray(i, i + 32)).join(', ')},`);
  lines.push('};', `const int32_t matvec_bias[${rows}] = {${Array.from(b, (v) => v * 97).join(', ')}};`, '');
  const file = path.join(dir, 'matvec_weights.c');
  writeFileSync(file, lines.join('\n'));
  return file;
}

/** Writes a C file with the given text into dir; returns its path. */
export function writeSource(dir: string, name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** Compiles C for the host with gcc and runs it in cwd; returns its stdout. */
export function runOnHost(sources: readonly string[], includeDirs: readonly string[], defines: readonly string[], outDir: string, cwd: string): string {
  const exe = path.join(outDir, 'host-program');
  execFileSync('gcc', ['-O2', '-std=c11', '-Wall', ...includeDirs.map((d) => `-I${d}`), ...defines.map((d) => `-D${d}`), ...sources, '-o', exe], { stdio: 'pipe' });
  return execFileSync(exe, { cwd, encoding: 'utf8' });
}
