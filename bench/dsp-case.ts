/**
 * One case of bench/dsp.ts, run in a fresh plain-node process (bench/dsp.ts bundles this file with
 * esbuild: the tsx loader alone costs ~15% of DSP throughput). Prints one JSON line.
 *
 *   node <bundle> --case spectrogram     (or --list: the case names, one per line)
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DspBlock, SignalInfo } from '../core/plugin/types.js';
import mfcc from '../dist/blocks/dsp/mfcc/index.js';
import mfe from '../dist/blocks/dsp/mfe/index.js';
import spectralAnalysis from '../dist/blocks/dsp/spectral-analysis/index.js';
import spectrogram from '../dist/blocks/dsp/spectrogram/index.js';
import { decodeCsv } from '../dist/blocks/input/formats/csv.js';
import { decodeWav } from '../dist/blocks/input/formats/wav.js';
import { mapFilePooled } from '../dist/core/run/map-file-pooled.js';
import { WorkerPool } from '../dist/core/run/worker-pool.js';

export interface CaseResult {
  readonly block: string;
  readonly windows: number;
  /** Windows per wall-clock second through the dsp stage's worker pool (file in, file out), 1 worker. */
  readonly oneWorker: number;
  /** The same with 2 workers. */
  readonly twoWorkers: number;
  /** Windows per CPU-second calling the block's `process()` per window on the main thread (a new array per window): the per-core figure. */
  readonly processPerCpuSecond: number;
  /** WAV files decoded per second (audio cases). */
  readonly wavDecodePerSecond?: number;
  readonly reference: number;
  readonly target: number;
}

const datasets = path.resolve(process.env['IMPULSE_DATASETS'] ?? '../shared/datasets');
const WINDOW = 8000;

interface Input {
  readonly windows: Float32Array[];
  readonly info: SignalInfo;
  readonly wavDecodePerSecond?: number;
}

/** Every FSDD recording, decoded by the product's WAV reader, cut or zero-padded to 1 s; or (padded = false) consecutive 1 s windows of all recordings concatenated. */
function fsdd(padded: boolean): Input {
  const files: string[] = [];
  for (let d = 0; d <= 9; d++) {
    const dir = path.join(datasets, 'fsdd', String(d));
    for (const f of readdirSync(dir).filter((f) => f.endsWith('.wav')).sort()) files.push(path.join(dir, f));
  }
  const buffers = files.map((f) => readFileSync(f));
  const t = performance.now();
  const decoded = buffers.map((b) => decodeWav(new Uint8Array(b.buffer, b.byteOffset, b.byteLength)).data);
  const wavDecodePerSecond = files.length / ((performance.now() - t) / 1000);
  const info: SignalInfo = { shape: [WINDOW, 1], frequency: 8000, axes: ['audio'] };
  if (padded) {
    const windows = decoded.map((s) => {
      const w = new Float32Array(WINDOW);
      w.set(s.subarray(0, WINDOW));
      return w;
    });
    return { windows, info, wavDecodePerSecond };
  }
  const total = decoded.reduce((a, s) => a + s.length, 0);
  const all = new Float32Array(total);
  let o = 0;
  for (const s of decoded) {
    all.set(s, o);
    o += s.length;
  }
  const windows: Float32Array[] = [];
  for (let s = 0; s + WINDOW <= total; s += WINDOW) windows.push(all.slice(s, s + WINDOW));
  return { windows, info };
}

/** st_har 2 s windows (52 rows × 3 axes at 26 Hz), 1 s stride. */
function stHar(): Input {
  const windows: Float32Array[] = [];
  for (const cls of ['running', 'stationary', 'walking']) {
    const dir = path.join(datasets, 'st_har', cls);
    for (const f of readdirSync(dir).filter((f) => f.endsWith('.csv')).sort()) {
      // the product's CSV reader (headerless: 3 values per row)
      const all = decodeCsv(new Uint8Array(readFileSync(path.join(dir, f)))).data;
      const rows = all.length / 3;
      for (let s = 0; s + 52 <= rows; s += 26) windows.push(all.slice(s * 3, (s + 52) * 3));
    }
  }
  return { windows, info: { shape: [52, 3], frequency: 26, axes: ['accX', 'accY', 'accZ'] } };
}

const CASES = [
  { name: 'MFCC', block: mfcc, input: () => fsdd(true), reference: 400, target: 2000 },
  { name: 'MFE', block: mfe, input: () => fsdd(true), reference: 790, target: 4000 },
  { name: 'spectrogram', block: spectrogram, input: () => fsdd(true), reference: 2500, target: 12500 },
  { name: 'spectral analysis', block: spectralAnalysis, input: stHar, reference: 256, target: 1300 },
  // informational: no zero padding (the reference figures are for the padded FSDD windows)
  { name: 'MFCC, unpadded audio', block: mfcc, input: () => fsdd(false), reference: 400, target: 2000 },
  { name: 'MFE, unpadded audio', block: mfe, input: () => fsdd(false), reference: 790, target: 4000 },
  { name: 'spectrogram, unpadded audio', block: spectrogram, input: () => fsdd(false), reference: 2500, target: 12500 },
] as const;

const defaults = (b: DspBlock): Record<string, unknown> => {
  const props = (b.params as unknown as { properties: Record<string, { default: unknown }> }).properties;
  return Object.fromEntries(Object.entries(props).map(([k, v]) => [k, v.default]));
};

const cpuSeconds = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/** `process()` per window on this thread: windows per CPU-second, best of `repeats` passes after a warm-up. */
function timeProcess(block: DspBlock, params: Record<string, unknown>, input: Input, repeats = 5): number {
  let sink = 0;
  for (const w of input.windows) sink += block.process(params, w, input.info)[0] ?? 0;
  let best = Infinity;
  for (let r = 0; r < repeats; r++) {
    const c = cpuSeconds();
    for (const w of input.windows) sink += block.process(params, w, input.info)[0] ?? 0;
    best = Math.min(best, cpuSeconds() - c);
  }
  if (Number.isNaN(sink)) console.error('NaN in output');
  return input.windows.length / best;
}

/**
 * The dsp stage's path: the windows as a row file, mapped into a features file by `mapFilePooled`
 * in a pool of `workers` threads. Wall-clock windows/s, best of `repeats` passes after a warm-up
 * pass (which also starts the workers).
 */
async function timeStage(block: DspBlock, params: Record<string, unknown>, input: Input, workers: number, repeats = 5): Promise<number> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'impulse-bench-dsp-'));
  try {
    const rowLength = input.windows[0]!.length;
    const outLength = block.process(params, input.windows[0]!, input.info).length;
    const flat = new Float32Array(input.windows.length * rowLength);
    input.windows.forEach((w, i) => flat.set(w, i * rowLength));
    const inputFile = path.join(dir, 'in.bin');
    writeFileSync(inputFile, new Uint8Array(flat.buffer));
    const pool = new WorkerPool(workers);
    const shape = { rows: input.windows.length, rowLength, outLength };
    const pass = () => mapFilePooled(pool, block, params, input.info, { inputFile, outputFile: path.join(dir, 'out.bin') }, shape);
    await pass();
    let best = Infinity;
    for (let r = 0; r < repeats; r++) {
      const t = performance.now();
      await pass();
      best = Math.min(best, (performance.now() - t) / 1000);
    }
    await pool.close();
    return input.windows.length / best;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv.includes('--list')) {
  process.stdout.write(CASES.map((x) => x.name).join('\n') + '\n');
  process.exit(0);
}
const caseArg = process.argv.indexOf('--case');
const c = CASES.find((x) => x.name === process.argv[caseArg + 1]);
if (caseArg < 0 || !c) throw new Error(`usage: --case <${CASES.map((x) => x.name).join('|')}>`);
const block = c.block as unknown as DspBlock;
const params = defaults(block);
const input = c.input();
block.validate?.(params, input.info);
const oneWorker = await timeStage(block, params, input, 1);
const twoWorkers = await timeStage(block, params, input, 2);
const result: CaseResult = {
  block: c.name,
  windows: input.windows.length,
  oneWorker,
  twoWorkers,
  processPerCpuSecond: timeProcess(block, params, input),
  ...(input.wavDecodePerSecond !== undefined ? { wavDecodePerSecond: input.wavDecodePerSecond } : {}),
  reference: c.reference,
  target: c.target,
};
process.stdout.write(JSON.stringify(result) + '\n');
