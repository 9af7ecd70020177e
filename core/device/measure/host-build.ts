/**
 * The same SDK and harness main built for the host (gcc, the SDK's flags: C99, -O2, no FP
 * contraction) and run over the same inputs: the reference the emulated core's outputs must
 * equal bit for bit where the TS interpreter is not the oracle (the DSP blocks' C, anomaly scores).
 * The main reads input.bin and writes output.bin in its working folder, as under QEMU.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { probeIncludeDir, TOOLS } from '../qemu/board-files.js';
import { runProcess } from '../qemu/process.js';
import { cannotMeasure } from '../errors.js';
import type { MeasurementFirmware } from './firmware.js';
import { INPUT_FILE, OUTPUT_FILE } from './harness-c.js';

export async function runOnHost(fw: MeasurementFirmware, mode: string, rows: readonly (Float32Array | Int8Array)[]): Promise<Buffer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'impulse-host-'));
  try {
    const sources = fw.build.objects.filter((o) => !o.board).map((o) => o.source);
    const exe = path.join(dir, 'harness');
    const r = await runProcess(TOOLS.hostCc, ['-std=c99', '-O2', '-ffp-contract=off', `-I${path.join(fw.sdkDir, 'src')}`, `-I${probeIncludeDir()}`, ...sources, '-lm', '-o', exe], {
      purpose: 'build the SDK for the host (the reference of the emulated run)',
    });
    if (r.code !== 0) throw cannotMeasure(`The SDK does not build for the host:\n${r.stderr.toString('utf8').slice(0, 3000)}`, 'This is a bug in the generated C: please report it with the impulse.');
    await writeFile(path.join(dir, INPUT_FILE), Buffer.concat(rows.map((x) => Buffer.from(x.buffer, x.byteOffset, x.byteLength))));
    const run = await runProcess(exe, [mode, String(rows.length)], { cwd: dir, purpose: 'run the host build', timeoutMs: 600_000 });
    if (run.code !== 0) throw cannotMeasure(`The host build of the SDK exited with ${run.code ?? run.signal}: ${run.stderr.toString('utf8').trim()}`, 'This is a bug in the generated C: please report it with the impulse.');
    return await readFile(path.join(dir, OUTPUT_FILE));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

