/**
 * Test and benchmark support (not shipped): a generated SDK's network built into firmware for the
 * emulated Cortex-M4F (core/device/qemu) and run over many inputs in one QEMU run. The driver
 * copies each input into the arena, calls `<model>_invoke` between IMPULSE_PROBE_BEGIN(0)/END(0)
 * (so the region counts the network only, like TFLM's Invoke()), and appends the output to a
 * file; the caller gets every output and the instructions per invoke.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FileTree } from '../../../../../core/plugin/types.js';
import { buildFirmware, firmwareSizes, runOnQemu, type RegionMeasurement, type SectionSizes } from '../../../../../core/device/qemu/index.js';

/** The region probe id of one invoke. */
export const INVOKE_REGION = 0;

/** Streams int8 inputs from input.bin through `<name>_invoke`, outputs to output.bin; argv[1] = count. */
export function invokeDriver(name: string): string {
  const upper = name.toUpperCase();
  return `/* Runs ${name}_invoke over argv[1] inputs read from input.bin; outputs go to output.bin. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "probe.h"
#include "impulse_metadata.h"
#include "${name}.h"

static union {
  uint8_t bytes[IMPULSE_ARENA_BYTES];
  uint64_t align;
} arena;

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 0, i;
  FILE *in = fopen("input.bin", "rb");
  FILE *out = fopen("output.bin", "wb");
  if (in == NULL || out == NULL) return 2;
  for (i = 0; i < n; i++) {
    if (fread(arena.bytes + ${upper}_INPUT_OFFSET, 1, ${upper}_INPUT_SIZE, in) != ${upper}_INPUT_SIZE) return 3;
    IMPULSE_PROBE_BEGIN(0);
    ${name}_invoke(arena.bytes);
    IMPULSE_PROBE_END(0);
    if (fwrite(arena.bytes + ${upper}_OUTPUT_OFFSET, 1, ${upper}_OUTPUT_SIZE, out) != ${upper}_OUTPUT_SIZE) return 4;
  }
  fclose(out);
  fclose(in);
  return 0;
}
`;
}

export interface ModelFirmwareRun {
  /** One output per input. */
  readonly outputs: Int8Array[];
  /** The invoke region summed over all inputs (`entries` = inputs). */
  readonly invoke: RegionMeasurement;
  /** With `perOp`: op index → its region (the first 30 ops in execution order). */
  readonly ops: ReadonlyMap<number, RegionMeasurement>;
  /** Flash / RAM of the firmware, bytes (arm-none-eabi-size). */
  readonly elf: string;
  /** Code and constants of the network (everything compiled from the SDK's src/, linked, after --gc-sections). */
  readonly network: SectionSizes;
  readonly buildMs: number;
  readonly runMs: number;
}

export interface ModelFirmwareOptions {
  /** The network's name in the SDK (`model` for `impulse compile`). */
  readonly name?: string;
  /** Extra -D for the program sources. */
  readonly defines?: Readonly<Record<string, string | number | true>>;
  readonly cflags?: readonly string[];
  /** Kept (not deleted) when given. */
  readonly workDir?: string;
  readonly timeoutMs?: number;
  /** Also measure each op (probe regions 1..30 around the first 30 op calls of the invoke function). */
  readonly perOp?: boolean;
}

/**
 * The model source with IMPULSE_PROBE_BEGIN/END(1…30) around each op's statement in the invoke
 * function (after the op's comment); returns the text and probe id → op index.
 */
export function withOpProbes(source: string, name: string): { text: string; regions: Map<number, number> } {
  const start = source.indexOf(`void ${name}_invoke(uint8_t *arena) {`);
  if (start < 0) throw new Error(`no ${name}_invoke in the model source`);
  const regions = new Map<number, number>();
  const body = source.slice(start).replace(/(\n {2}\/\* op (\d+):[^]*?\*\/\n)( {2}[^]*?)(?=\n\n {2}\/\* op |\n\}\n)/g, (all, comment: string, op: string, stmt: string) => {
    const id = regions.size + 1;
    if (id > 30) return all;
    regions.set(id, Number(op));
    return `${comment}  IMPULSE_PROBE_BEGIN(${id});\n${stmt}\n  IMPULSE_PROBE_END(${id});`;
  });
  return { text: `#include "probe.h"\n${source.slice(0, start)}${body}`, regions };
}

/**
 * Builds the SDK (every .c under src/, warnings as errors) with the invoke
 * driver for QEMU mps2-an386, and runs all inputs through it.
 */
export async function runModelFirmware(files: FileTree, inputs: readonly Int8Array[], outputSize: number, options: ModelFirmwareOptions = {}): Promise<ModelFirmwareRun> {
  const name = options.name ?? 'model';
  const dir = options.workDir ?? mkdtempSync(path.join(os.tmpdir(), 'impulse-nn-fw-'));
  try {
    const srcFiles: string[] = [];
    let opRegions = new Map<number, number>();
    for (const [rel, original] of files) {
      if (!rel.startsWith('src/')) continue;
      let text = original;
      if (options.perOp && rel === `src/${name}.c`) {
        const probed = withOpProbes(String(original), name);
        text = probed.text;
        opRegions = probed.regions;
      }
      const abs = path.join(dir, rel);
      mkdirSync(path.dirname(abs), { recursive: true });
      writeFileSync(abs, text);
      if (rel.endsWith('.c')) srcFiles.push(abs);
    }
    const driver = path.join(dir, 'driver.c');
    writeFileSync(driver, invokeDriver(name));
    const t0 = Date.now();
    const fw = await buildFirmware({
      sources: [...srcFiles, driver],
      includeDirs: [path.join(dir, 'src')],
      ...(options.defines ? { defines: options.defines } : {}),
      cflags: ['-std=c99', '-Wall', '-Wextra', '-Werror', '-pedantic', ...(options.cflags ?? [])],
      memory: { flashBytes: 4 * 1024 * 1024, ramBytes: 2 * 1024 * 1024 },
      stackBytes: 16 * 1024,
      outDir: path.join(dir, 'build'),
    });
    const t1 = Date.now();
    const runDir = path.join(dir, 'run');
    mkdirSync(runDir, { recursive: true });
    const run = await runOnQemu(fw.elf, {
      regions: { invoke: 0, ...Object.fromEntries([...opRegions.keys()].map((id) => [`op${opRegions.get(id)}`, id])) },
      inputs: { 'input.bin': Buffer.concat(inputs.map((x) => Buffer.from(x.buffer, x.byteOffset, x.byteLength))) },
      args: [String(inputs.length)],
      cwd: runDir,
      timeoutMs: options.timeoutMs ?? 600_000,
    });
    if (run.exitCode !== 0) throw new Error(`the model firmware exited with ${run.exitCode}: ${run.stderr}`);
    const out = readFileSync(path.join(runDir, 'output.bin'));
    const all = new Int8Array(out.buffer, out.byteOffset, out.byteLength);
    if (all.length !== outputSize * inputs.length) throw new Error(`the model firmware wrote ${all.length} bytes, expected ${outputSize * inputs.length}`);
    const outputs = inputs.map((_, i) => all.slice(i * outputSize, (i + 1) * outputSize));
    const ops = new Map([...opRegions.values()].map((op) => [op, run.regions[`op${op}`]!]));
    const sizes = await firmwareSizes(fw.elf, fw.map, { objects: fw.objects, rules: [{ group: 'network', origin: /[\\/]src[\\/]/ }] });
    const network = sizes.byGroup['network'] ?? { text: 0, rodata: 0, data: 0, bss: 0 };
    return { outputs, invoke: run.regions['invoke']!, ops, elf: fw.elf, network, buildMs: t1 - t0, runMs: Date.now() - t1 };
  } finally {
    if (!options.workDir && process.env['IMPULSE_KEEP_C'] !== '1') rmSync(dir, { recursive: true, force: true });
  }
}
