/**
 * Runs a measurement firmware on the emulated Cortex-M4F over a batch of inputs and returns, per
 * block and per op kind, the instructions executed (measured), the estimated cycles (Cortex-M4
 * cost table), the stack used, and the outputs the firmware wrote.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { cannotMeasure } from '../errors.js';
import { runOnQemu, type RegionMeasurement } from '../qemu/index.js';
import type { MeasurementFirmware } from './firmware.js';
import { INPUT_FILE, OUTPUT_FILE, type MeasureMode } from './harness-c.js';
import { QUANTIZED_NETWORK_PROBE, RUN_PROBE } from './probes.js';
import { scoreCount } from '../../../generators/cpp/sdk/emit-metadata.js';
import { elementCount } from '../../model/ir.js';

export type MeasureInputs =
  /** Raw windows (impulse_run) or feature rows (impulse_run_features). */
  | { readonly mode: 'signal' | 'features'; readonly rows: readonly Float32Array[] }
  /** int8 network inputs of a bare int8 model (impulse_run_quantized). */
  | { readonly mode: 'quantized'; readonly rows: readonly Int8Array[] };

export interface MeasuredRun {
  readonly mode: MeasureMode;
  readonly count: number;
  /** Block id → its region, summed over the calls (entries = calls). */
  readonly blocks: ReadonlyMap<string, RegionMeasurement>;
  /** Op region name (see OpRegion) → its counts, summed over its ops and the calls. */
  readonly ops: ReadonlyMap<string, RegionMeasurement>;
  /** Each whole call of the impulse (impulse_run …), summed. */
  readonly run: RegionMeasurement;
  /** Per call: the scores and the anomaly score (float modes), or the raw int8 outputs (quantized). */
  readonly outputs: readonly (Float32Array | Int8Array)[];
  readonly wallMs: number;
}

function toBytes(rows: readonly (Float32Array | Int8Array)[]): Uint8Array {
  return Buffer.concat(rows.map((r) => Buffer.from(r.buffer, r.byteOffset, r.byteLength)));
}

/** QEMU runs ~10^8 instructions a second here; allow for a slow machine. */
function timeoutFor(instructionsGuess: number): number {
  return Math.max(60_000, Math.ceil(instructionsGuess / 2e7) * 1000);
}

export async function runMeasurement(fw: MeasurementFirmware, inputs: MeasureInputs, options: { instructionsGuess?: number } = {}): Promise<MeasuredRun> {
  const regions: Record<string, number> = { run: RUN_PROBE };
  if (inputs.mode === 'quantized') {
    if (fw.mode !== 'quantized') throw new TypeError('runMeasurement: quantized inputs need a bare int8 model');
    regions['block:' + fw.blocks.find((b) => b.kind === 'network')!.id] = QUANTIZED_NETWORK_PROBE;
  } else {
    if (fw.mode === 'quantized') throw new TypeError('runMeasurement: this firmware takes quantized inputs');
    for (const b of fw.blocks) regions['block:' + b.id] = b.probe;
  }
  for (const r of fw.opRegions) regions['op:' + r.name] = r.probe;

  const cwd = await mkdtemp(path.join(os.tmpdir(), 'impulse-measure-'));
  try {
    const r = await runOnQemu(fw.build.elf, {
      regions,
      args: [inputs.mode, String(inputs.rows.length)],
      inputs: { [INPUT_FILE]: toBytes(inputs.rows) },
      cwd,
      timeoutMs: timeoutFor(options.instructionsGuess ?? 1e8),
    });
    if (r.exitCode !== 0) {
      throw cannotMeasure(
        `the impulse failed on the emulated Cortex-M4F (harness exit ${r.exitCode}${r.stderr.trim() ? `: ${r.stderr.trim()}` : ''})`,
        'Exit 4 means the inputs file was short, 10 + n a call returned status −n (impulse.h lists them): check the windows are finite and of the impulse\'s length.',
      );
    }
    const bytes = await readFile(path.join(cwd, OUTPUT_FILE));
    const outputs: (Float32Array | Int8Array)[] = [];
    if (inputs.mode === 'quantized') {
      const net = fw.spec.network!.model;
      const per = elementCount(net.tensors[net.outputs[0]!]!.shape);
      for (let i = 0; i < inputs.rows.length; i++) outputs.push(Int8Array.from(bytes.subarray(i * per, (i + 1) * per), (b) => (b << 24) >> 24));
    } else {
      const per = scoreCount(fw.spec) + 1;
      const floats = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
      for (let i = 0; i < inputs.rows.length; i++) outputs.push(floats.slice(i * per, (i + 1) * per));
    }
    if (outputs.length !== inputs.rows.length || outputs.some((o) => o.length === 0)) throw cannotMeasure(`the measurement firmware wrote ${bytes.length} bytes of outputs for ${inputs.rows.length} inputs`, 'This is a bug in impulse-kit\'s measurement harness.');
    const blocks = new Map<string, RegionMeasurement>();
    const ops = new Map<string, RegionMeasurement>();
    for (const [name, m] of Object.entries(r.regions)) {
      if (name.startsWith('block:')) blocks.set(name.slice(6), m);
      else if (name.startsWith('op:')) ops.set(name.slice(3), m);
    }
    return { mode: inputs.mode, count: inputs.rows.length, blocks, ops, run: r.regions['run']!, outputs, wallMs: r.wallMs };
  } finally {
    await rm(cwd, { recursive: true, force: true });
  }
}
