/**
 * ArmNN's CpuRef backend as a second, independent TFLite oracle (Debian python3-pyarmnn, driven by
 * armnn_run.py under /usr/bin/python3). One Python process per call runs all the samples: the
 * inputs go in as raw little-endian files (the samples back to back, one file per model input),
 * the outputs come back the same way, through a temporary folder.
 *
 *   if (!armnnAvailable()) skip(...);
 *   const outs = await runArmnn('model.tflite', samples);   // outs[i][k]: output k of sample i
 *
 * ArmNN may abort the whole process on models it cannot handle (per-channel quantized
 * FULLY_CONNECTED weights); that, like any refusal, rejects the promise with its stderr.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ARMNN_PYTHON = '/usr/bin/python3';
const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'armnn_run.py');

export type ArmnnArray = Int8Array | Uint8Array | Int16Array | Int32Array | Float32Array;
/** One sample: its single input, or one typed array per model input (in the model's order). */
export type ArmnnSample = ArmnnArray | readonly ArmnnArray[];

export interface ArmnnTensorInfo {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: 'int8' | 'uint8' | 'int16' | 'int32' | 'float32' | 'float16';
}

/** Thrown (as the rejection) when ArmNN refuses or crashes on a model. */
export class ArmnnError extends Error {
  constructor(
    message: string,
    readonly stderr: string,
    readonly exitCode: number | null,
    readonly signal: NodeJS.Signals | null,
  ) {
    super(message);
    this.name = 'ArmnnError';
  }
}

let available: boolean | undefined;

/** Whether /usr/bin/python3 can import pyarmnn and numpy (checked once per process). */
export function armnnAvailable(): boolean {
  if (available === undefined) {
    try {
      execFileSync(ARMNN_PYTHON, ['-c', 'import logging; logging.disable(logging.WARNING); import numpy, pyarmnn'], { stdio: 'ignore', timeout: 30_000 });
      available = true;
    } catch {
      available = false;
    }
  }
  return available;
}

const dtypeOf = (a: ArmnnArray): ArmnnTensorInfo['dtype'] =>
  a instanceof Int8Array ? 'int8' : a instanceof Uint8Array ? 'uint8' : a instanceof Int16Array ? 'int16' : a instanceof Int32Array ? 'int32' : 'float32';

function typedFrom(dtype: ArmnnTensorInfo['dtype'], bytes: Buffer): ArmnnArray {
  // copy into a fresh, aligned buffer (Node's Buffer may sit at any offset of a shared pool)
  const b = new Uint8Array(bytes).buffer;
  switch (dtype) {
    case 'int8':
      return new Int8Array(b);
    case 'uint8':
      return new Uint8Array(b);
    case 'int16':
      return new Int16Array(b);
    case 'int32':
      return new Int32Array(b);
    case 'float32':
      return new Float32Array(b);
    case 'float16':
      throw new Error('ArmNN returned a float16 output: not supported by this harness');
  }
}

export interface ArmnnRun {
  readonly inputs: readonly ArmnnTensorInfo[];
  readonly outputs: readonly ArmnnTensorInfo[];
  /** results[i][k]: output k of sample i. */
  readonly results: ArmnnArray[][];
}

/** Runs every sample through the model on ArmNN CpuRef; the model's tensor descriptions too. */
export async function runArmnnDetailed(modelPath: string, samples: readonly ArmnnSample[], options: { timeoutMs?: number } = {}): Promise<ArmnnRun> {
  const rows = samples.map((s) => (ArrayBuffer.isView(s) ? [s as ArmnnArray] : (s as readonly ArmnnArray[])));
  const nIn = rows[0]?.length ?? 0;
  if (rows.some((r) => r.length !== nIn)) throw new Error('runArmnn: samples differ in their number of inputs');
  const work = mkdtempSync(path.join(tmpdir(), 'impulse-armnn-'));
  try {
    const inputs = Array.from({ length: nIn }, (_, k) => {
      const dtype = dtypeOf(rows[0]![k]!);
      if (rows.some((r) => dtypeOf(r[k]!) !== dtype)) throw new Error(`runArmnn: input ${k} is not of one type across samples`);
      const file = `in${k}.bin`;
      writeFileSync(path.join(work, file), Buffer.concat(rows.map((r) => Buffer.from(r[k]!.buffer, r[k]!.byteOffset, r[k]!.byteLength))));
      return { file, dtype };
    });
    writeFileSync(path.join(work, 'request.json'), JSON.stringify({ samples: rows.length, inputs }));
    await runScript(path.resolve(modelPath), work, options.timeoutMs ?? 600_000);
    const response = JSON.parse(readFileSync(path.join(work, 'response.json'), 'utf8')) as {
      inputs: ArmnnTensorInfo[];
      outputs: (ArmnnTensorInfo & { file: string })[];
    };
    const whole = response.outputs.map((o) => typedFrom(o.dtype, readFileSync(path.join(work, o.file))));
    const results = rows.map((_, i) =>
      response.outputs.map((o, k) => {
        const per = o.shape.reduce((a, b) => a * b, 1);
        return whole[k]!.slice(i * per, (i + 1) * per);
      }),
    );
    return { inputs: response.inputs, outputs: response.outputs.map(({ name, shape, dtype }) => ({ name, shape, dtype })), results };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Runs every sample through the model on ArmNN CpuRef: result[i][k] is output k of sample i. */
export async function runArmnn(modelPath: string, samples: readonly ArmnnSample[], options: { timeoutMs?: number } = {}): Promise<ArmnnArray[][]> {
  return (await runArmnnDetailed(modelPath, samples, options)).results;
}

function runScript(model: string, work: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(ARMNN_PYTHON, [SCRIPT, model, work], { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs, killSignal: 'SIGKILL' });
    let stderr = '';
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', (e) => reject(new ArmnnError(`ArmNN: cannot start ${ARMNN_PYTHON}: ${e.message}`, stderr, null, null)));
    child.on('close', (code, signal) => {
      if (code === 0) return resolve();
      const how = signal ? `was killed by ${signal}${signal === 'SIGABRT' ? ' (ArmNN aborted)' : signal === 'SIGKILL' ? ` (timeout ${timeoutMs} ms?)` : ''}` : `exited with code ${code}`;
      const detail = (stderr + stdout).trim();
      reject(new ArmnnError(`ArmNN CpuRef on ${path.basename(model)} ${how}${detail ? `:\n${detail}` : ''}`, stderr, code, signal));
    });
  });
}
