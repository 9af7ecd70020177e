/**
 * DSP throughput, single thread: windows per second of MFCC, MFE and spectrogram over every
 * FSDD WAV (cut or zero-padded to 1 s = 8000 samples), and of spectral analysis over st_har
 * 2 s windows (52 rows × 3 axes, 1 s stride). WAV decoding is timed separately.
 * Compared with the Python reference (edgeimpulse/processing-blocks, one thread).
 *
 *   npx tsx bench/dsp.ts            (IMPULSE_DATASETS overrides ../shared/datasets)
 *
 * Measures the built code in dist/ (what ships; `npm run bench` builds first): the same code run
 * from sources through tsx measured ~10% slower here.
 *
 * Prints a table and writes bench/results/dsp.json.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DspBlock, SignalInfo } from '../core/plugin/types.js';
import mfcc from '../dist/blocks/dsp/mfcc/index.js';
import mfe from '../dist/blocks/dsp/mfe/index.js';
import spectralAnalysis from '../dist/blocks/dsp/spectral-analysis/index.js';
import spectrogram from '../dist/blocks/dsp/spectrogram/index.js';
import { decodeWav } from '../dist/blocks/input/formats/wav.js';
import { WorkerPool } from '../dist/core/run/worker-pool.js';
import { mapRows } from '../dist/core/run/map-rows.js';
import { readCsvWindow } from '../blocks/dsp/testing/extra-reference.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..');
const datasets = path.resolve(process.env['IMPULSE_DATASETS'] ?? path.join(repoRoot, '../shared/datasets'));

const WINDOW = 8000;
const now = (): number => performance.now();

interface Row {
  block: string;
  windows: number;
  /** CPU seconds of the best pass. */
  seconds: number;
  /** Windows per CPU second (one core). */
  perSecond: number;
  /** Windows per wall-clock second (lower when other processes share the core). */
  perWallSecond: number;
  /** Windows per CPU-second through mapRows, as the dsp stage runs them (features kept). */
  stagePathPerSecond: number;
  reference: number;
  ratio: number;
  target: number;
  met: boolean;
}

// ---- inputs -------------------------------------------------------------------------------
const wavFiles: string[] = [];
for (let d = 0; d <= 9; d++) {
  const dir = path.join(datasets, 'fsdd', String(d));
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.wav')).sort()) wavFiles.push(path.join(dir, f));
}
const t0 = now();
const buffers = wavFiles.map((f) => readFileSync(f));
const tRead = (now() - t0) / 1000;
const t1 = now();
// The product's WAV decoder (mono 16-bit here: values stay on the int16 scale).
const decoded = buffers.map((b) => ({ samples: decodeWav(new Uint8Array(b.buffer, b.byteOffset, b.byteLength)).data }));
const tDecode = (now() - t1) / 1000;
const audio = decoded.map((w) => {
  const out = new Float32Array(WINDOW);
  out.set(w.samples.subarray(0, WINDOW));
  return out;
});
// the same audio without zero padding: consecutive 1 s windows of all files concatenated
// (every frame has signal, so the silent-frame fast path never triggers)
const dense: Float32Array[] = [];
{
  const total = decoded.reduce((a, w) => a + w.samples.length, 0);
  const all = new Float32Array(total);
  let o = 0;
  for (const w of decoded) {
    all.set(w.samples, o);
    o += w.samples.length;
  }
  for (let s = 0; s + WINDOW <= total; s += WINDOW) dense.push(all.slice(s, s + WINDOW));
}
const audioInfo: SignalInfo = { shape: [WINDOW, 1], frequency: 8000, axes: ['audio'] };

const harWindows: Float32Array[] = [];
for (const cls of ['running', 'stationary', 'walking']) {
  const dir = path.join(datasets, 'st_har', cls);
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.csv')).sort()) {
    const all = readCsvWindow(path.join('st_har', cls, f), 0, 1_000_000);
    const rows = all.length / 3;
    for (let s = 0; s + 52 <= rows; s += 26) harWindows.push(all.slice(s * 3, (s + 52) * 3));
  }
}
const harInfo: SignalInfo = { shape: [52, 3], frequency: 26, axes: ['accX', 'accY', 'accZ'] };

// ---- timing -------------------------------------------------------------------------------
/** CPU seconds used by this process (user + system): robust to other processes sharing the cores. */
const cpuSeconds = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/**
 * Best of `repeats` passes over all windows, after a warm-up pass, calling the block's
 * `process` per window (like-for-like with the reference's per-window figure): CPU time of
 * this (single-threaded) process, and wall time.
 */
function time(block: DspBlock, params: Record<string, unknown>, windows: readonly Float32Array[], info: SignalInfo, repeats = 5): { cpu: number; wall: number } {
  block.validate?.(params, info);
  let sink = 0;
  for (const w of windows) sink += block.process(params, w, info)[0] ?? 0;
  let cpu = Infinity;
  let wall = Infinity;
  for (let r = 0; r < repeats; r++) {
    const c = cpuSeconds();
    const s = now();
    for (const w of windows) sink += block.process(params, w, info)[0] ?? 0;
    wall = Math.min(wall, (now() - s) / 1000);
    cpu = Math.min(cpu, cpuSeconds() - c);
  }
  if (Number.isNaN(sink)) console.warn('NaN in output');
  return { cpu, wall };
}

/**
 * The same windows through `mapRows` in batches of 256, as the dsp stage runs them in each
 * worker: every window's features kept in the batch output (allocation-free blocks write there
 * directly). Windows per CPU-second, best of `repeats`.
 */
function timeStagePath(block: DspBlock, params: Record<string, unknown>, windows: readonly Float32Array[], info: SignalInfo, repeats = 5): number {
  const inLen = windows[0]!.length;
  const outLen = block.process(params, windows[0]!, info).length;
  const batches: Float32Array[] = [];
  for (let s = 0; s < windows.length; s += 256) {
    const chunk = windows.slice(s, s + 256);
    const flat = new Float32Array(chunk.length * inLen);
    chunk.forEach((w, i) => flat.set(w, i * inLen));
    batches.push(flat);
  }
  let sink = 0;
  const pass = () => {
    for (const b of batches) sink += mapRows(block, params as never, info, b, inLen, outLen)[0] ?? 0;
  };
  pass();
  let cpu = Infinity;
  for (let r = 0; r < repeats; r++) {
    const c = cpuSeconds();
    pass();
    cpu = Math.min(cpu, cpuSeconds() - c);
  }
  if (Number.isNaN(sink)) console.warn('NaN in output');
  return windows.length / cpu;
}

const defaults = (b: DspBlock): Record<string, unknown> => {
  const props = (b.params as unknown as { properties: Record<string, { default: unknown }> }).properties;
  return Object.fromEntries(Object.entries(props).map(([k, v]) => [k, v.default]));
};

const cases: { name: string; block: DspBlock; windows: Float32Array[]; info: SignalInfo; reference: number; target: number }[] = [
  { name: 'MFCC', block: mfcc as unknown as DspBlock, windows: audio, info: audioInfo, reference: 400, target: 2000 },
  { name: 'MFE', block: mfe as unknown as DspBlock, windows: audio, info: audioInfo, reference: 790, target: 4000 },
  { name: 'spectrogram', block: spectrogram as unknown as DspBlock, windows: audio, info: audioInfo, reference: 2500, target: 12500 },
  { name: 'spectral analysis', block: spectralAnalysis as unknown as DspBlock, windows: harWindows, info: harInfo, reference: 256, target: 1300 },
  // informational: no zero padding (the reference figures are for the padded FSDD windows)
  { name: 'MFCC, unpadded audio', block: mfcc as unknown as DspBlock, windows: dense, info: audioInfo, reference: 400, target: 2000 },
  { name: 'MFE, unpadded audio', block: mfe as unknown as DspBlock, windows: dense, info: audioInfo, reference: 790, target: 4000 },
  { name: 'spectrogram, unpadded audio', block: spectrogram as unknown as DspBlock, windows: dense, info: audioInfo, reference: 2500, target: 12500 },
];

function measure(c: (typeof cases)[number]): Row {
  const { cpu: seconds, wall } = time(c.block, defaults(c.block), c.windows, c.info);
  const perSecond = c.windows.length / seconds;
  const stagePath = timeStagePath(c.block, defaults(c.block), c.windows, c.info);
  return {
    block: c.name,
    windows: c.windows.length,
    seconds,
    perSecond,
    perWallSecond: c.windows.length / wall,
    stagePathPerSecond: stagePath,
    reference: c.reference,
    ratio: perSecond / c.reference,
    target: c.target,
    met: perSecond >= c.target,
  };
}

// Each case is timed in a fresh process (`--case NAME`), so the garbage and JIT state of earlier
// cases do not weigh on later ones.
const caseArg = process.argv.indexOf('--case');
if (caseArg >= 0) {
  const c = cases.find((x) => x.name === process.argv[caseArg + 1]);
  if (!c) throw new Error(`no case ${process.argv[caseArg + 1]}`);
  process.stdout.write(JSON.stringify(measure(c)) + '\n');
  process.exit(0);
}
const rows: Row[] = cases.map((c) => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--case', c.name], { encoding: 'utf8', env: process.env });
  if (r.status !== 0) throw new Error(`case ${c.name} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Row;
});

// ---- both cores: the executor's worker pool -----------------------------------------------
/** Wall-clock windows/s through a WorkerPool of `workers` threads, batches of 256 as the dsp stage sends them. */
async function pooled(c: (typeof cases)[number], workers: number): Promise<number> {
  const pool = new WorkerPool(workers);
  const params = defaults(c.block);
  const inLen = c.windows[0]!.length;
  const outLen = c.block.process(params, c.windows[0]!, c.info).length;
  const flat = new Float32Array(c.windows.length * inLen);
  c.windows.forEach((w, i) => flat.set(w, i * inLen));
  const pass = async () => {
    const jobs: Promise<Float32Array>[] = [];
    for (let s = 0; s < c.windows.length; s += 256) {
      const e = Math.min(c.windows.length, s + 256);
      jobs.push(pool.run({ module: c.block.module, type: c.block.type, params, info: c.info, rows: flat.slice(s * inLen, e * inLen), rowLength: inLen, outLength: outLen }));
    }
    await Promise.all(jobs);
  };
  await pass(); // start the workers and warm them up
  let best = Infinity;
  for (let r = 0; r < 3; r++) {
    const t = now();
    await pass();
    best = Math.min(best, (now() - t) / 1000);
  }
  await pool.close();
  return c.windows.length / best;
}

const parallel: { block: string; oneWorker: number; twoWorkers: number; speedup: number }[] = [];
for (const c of cases.slice(0, 4)) {
  const one = await pooled(c, 1);
  const two = await pooled(c, 2);
  parallel.push({ block: c.name, oneWorker: one, twoWorkers: two, speedup: two / one });
}

// ---- report -------------------------------------------------------------------------------
const fmt = (v: number, d = 0): string => v.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const table = [
  ['block', 'windows', 'cpu s', 'windows/s', '(wall)', 'stage path/s', 'reference/s', 'ratio', 'target/s', 'met'],
  ...rows.map((r) => [
    r.block,
    String(r.windows),
    fmt(r.seconds, 3),
    fmt(r.perSecond),
    `(${fmt(r.perWallSecond)})`,
    fmt(r.stagePathPerSecond),
    fmt(r.reference),
    `${fmt(r.ratio, 1)}×`,
    fmt(r.target),
    r.met ? 'yes' : 'NO',
  ]),
];
const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
for (const [i, row] of table.entries()) {
  console.log(row.map((c, j) => (j === 0 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!))).join('  '));
  if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
}
console.log('\n"unpadded audio": 1 s windows cut from all FSDD files concatenated, so no frame is silent (the silent-frame fast path never applies).');
console.log(
  `WAV: ${wavFiles.length} files, read ${fmt(tRead, 3)} s, decode ${fmt(tDecode, 3)} s (${fmt(wavFiles.length / tDecode)} files/s), not included above.`,
);
console.log(`single thread, node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown cpu'}, load average ${os.loadavg()[0]?.toFixed(1)} on ${os.cpus().length} cores`);
console.log('each row timed in a fresh process; windows/s = windows per CPU-second, process() per window (best of 5 passes); (wall) = per wall-clock second;');
console.log('stage path/s = the same through mapRows in batches of 256 as the dsp stage runs them, every feature kept (CPU-second).');
console.log('\nworker pool (what the dsp stage uses), wall-clock windows/s, best of 3 passes, incl. transfer to and from the workers:');
console.log('block              1 worker   2 workers   speedup');
for (const p of parallel) console.log(`${p.block.padEnd(17)} ${fmt(p.oneWorker).padStart(9)}  ${fmt(p.twoWorkers).padStart(10)}   ${fmt(p.speedup, 2)}×`);
console.log(`(${os.cpus().length} cores, load average ${os.loadavg()[0]?.toFixed(1)}: other processes on this machine lower the 2-worker figure)`);

const resultsDir = path.join(here, 'results');
mkdirSync(resultsDir, { recursive: true });
writeFileSync(
  path.join(resultsDir, 'dsp.json'),
  JSON.stringify(
    {
      bench: 'dsp',
      date: new Date().toISOString(),
      node: process.version,
      cpu: os.cpus()[0]?.model,
      threads: 1,
      loadAverage: os.loadavg()[0],
      cores: os.cpus().length,
      timing: 'best of 5 passes after a warm-up; perSecond = windows per CPU-second of this process (process.cpuUsage), perWallSecond = per wall-clock second',
      window: { audio: '8000 samples @ 8 kHz (FSDD, cut or zero-padded)', motion: '52 rows × 3 axes @ 26 Hz (st_har, 26-row stride)' },
      wav: { files: wavFiles.length, readSeconds: tRead, decodeSeconds: tDecode, decodePerSecond: wavFiles.length / tDecode },
      results: rows,
      workerPool: parallel,
    },
    null,
    2,
  ) + '\n',
);
console.log(`wrote ${path.relative(process.cwd(), path.join(resultsDir, 'dsp.json'))}`);
