/**
 * Training throughput of small conv nets with stock TF.js gradient kernels vs ours
 * (blocks/learn/common/tf/kernels), on the WASM and CPU backends.
 *
 *   npx tsx bench/train-kernels.ts            # full run (a few minutes)
 *   npx tsx bench/train-kernels.ts --quick    # shorter rounds
 *
 * Nets (batch 32, random data, Adam, categorical cross-entropy, tfjs-layers `model.fit`):
 *   2d: 49×13×1 → conv2d 8 (3×3, same, relu) → maxpool 2 → conv2d 16 (3×3, same, relu) → flatten → dense 4
 *   1d: 49×13   → conv1d 8 (k3, same, relu)  → maxpool 2 → conv1d 16 (k3, same, relu)  → flatten → dense 4
 *
 * Each timed round fits whole epochs of 1024 samples (32 steps, shuffled); throughput is the best
 * of several rounds (wall clock; the machine may be shared, so the median and the load average are
 * recorded too, and samples per CPU-second of the process). A second table times each gradient kernel alone
 * at the shapes these nets use. Writes bench/results/train-kernels.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Tensor } from '@tensorflow/tfjs-core';
import { switchBackend, type LoadedTf } from '../blocks/learn/common/tf/load.js';
import { gradientKernelSources, registerGradientKernels, unregisterGradientKernels } from '../blocks/learn/common/tf/kernels/register.js';

type Net = '2d' | '1d';
type Backend = 'wasm' | 'cpu';
type Kernels = 'stock' | 'ours';

const QUICK = process.argv.includes('--quick');
const BATCH = 32;
const ROUND_SECONDS = QUICK ? 1 : 2.5;
const ROUNDS = QUICK ? 2 : 4;
const DATASET = QUICK ? 256 : 1024;
/** PyTorch, 1 thread, same nets (figures given for orientation; not measured here). */
const PYTORCH_1T: Record<Net, number> = { '2d': 12_700, '1d': 36_500 };

interface TrainResult {
  net: Net;
  backend: Backend;
  kernels: Kernels;
  samplesPerSec?: number;
  medianSamplesPerSec?: number;
  /** samples per CPU-second of this process (all its threads): less sensitive to other load */
  samplesPerCpuSec?: number;
  msPerStep?: number;
  rounds?: number[];
  error?: string;
  kernelSources?: Record<string, string>;
}

interface KernelTiming {
  kernel: string;
  shape: string;
  backend: Backend;
  stockMs?: number;
  oursMs: number;
  stockNote?: string;
}

function buildModel(tfl: LoadedTf['layers'], tf: LoadedTf['tf'], net: Net) {
  const model = tfl.sequential();
  if (net === '2d') {
    model.add(tfl.layers.conv2d({ inputShape: [49, 13, 1], filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }));
    model.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
    model.add(tfl.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }));
  } else {
    model.add(tfl.layers.conv1d({ inputShape: [49, 13], filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }));
    model.add(tfl.layers.maxPooling1d({ poolSize: 2 }));
    model.add(tfl.layers.conv1d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }));
  }
  model.add(tfl.layers.flatten());
  model.add(tfl.layers.dense({ units: 4, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  return model;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function trainThroughput(loaded: LoadedTf, net: Net, backend: Backend, kernels: Kernels): Promise<TrainResult> {
  const { tf, layers: tfl } = loaded;
  await tf.setBackend(backend);
  if (kernels === 'stock') unregisterGradientKernels(tf, backend);
  else registerGradientKernels(tf, backend);
  const result: TrainResult = { net, backend, kernels, kernelSources: gradientKernelSources(tf, backend) };
  tf.engine().startScope();
  try {
    const model = buildModel(tfl, tf, net);
    const make = (n: number) => {
      const xs = tf.randomNormal(net === '2d' ? [n, 49, 13, 1] : [n, 49, 13]);
      const ys = tf.oneHot(tf.randomUniform([n], 0, 4, 'int32'), 4);
      return { xs, ys };
    };
    // One step to see whether it trains at all and how slow it is.
    const probe = make(BATCH);
    let t = performance.now();
    await model.fit(probe.xs, probe.ys, { batchSize: BATCH, epochs: 1, verbose: 0 });
    await model.fit(probe.xs, probe.ys, { batchSize: BATCH, epochs: 1, verbose: 0 });
    const stepMs = (performance.now() - t) / 2;
    // Epochs of DATASET samples (fit has a per-epoch cost, so tiny epochs understate throughput);
    // two steps when a step takes most of a second (stock CPU).
    const steps = stepMs > 400 ? 2 : DATASET / BATCH;
    const data = make(steps * BATCH);
    await model.fit(data.xs, data.ys, { batchSize: BATCH, epochs: 1, verbose: 0 });
    const epochs = Math.max(1, Math.round((ROUND_SECONDS * 1000) / (stepMs * steps)));
    const rounds: number[] = [];
    const perCpu: number[] = [];
    const nRounds = stepMs > 400 ? 1 : ROUNDS;
    for (let r = 0; r < nRounds; r++) {
      t = performance.now();
      const c0 = process.cpuUsage();
      await model.fit(data.xs, data.ys, { batchSize: BATCH, epochs, verbose: 0 });
      const s = (performance.now() - t) / 1000;
      const c = process.cpuUsage(c0);
      rounds.push((epochs * steps * BATCH) / s);
      perCpu.push((epochs * steps * BATCH) / ((c.user + c.system) / 1e6));
    }
    result.rounds = rounds.map((v) => Math.round(v));
    result.samplesPerCpuSec = Math.max(...perCpu);
    result.samplesPerSec = Math.max(...rounds);
    result.medianSamplesPerSec = median(rounds);
    result.msPerStep = (1000 * BATCH) / result.samplesPerSec;
    model.dispose();
  } catch (e) {
    result.error = e instanceof Error ? e.message.split('\n')[0] : String(e);
  } finally {
    tf.engine().endScope();
    registerGradientKernels(tf, backend);
  }
  return result;
}

/** Best-of timing of one gradient kernel call (ms). */
function timeKernel(loaded: LoadedTf, run: () => Tensor | Tensor[], budgetMs: number): number {
  const { tf } = loaded;
  tf.dispose(run());
  let best = Infinity;
  const start = performance.now();
  let n = 0;
  while (n < 3 || (performance.now() - start < budgetMs && n < 200)) {
    const t = performance.now();
    const out = run();
    const list = Array.isArray(out) ? out : [out];
    for (const o of list) o.dataSync();
    best = Math.min(best, performance.now() - t);
    tf.dispose(out);
    n++;
  }
  return best;
}

async function kernelTimings(loaded: LoadedTf, backend: Backend): Promise<KernelTiming[]> {
  const { tf } = loaded;
  await tf.setBackend(backend);
  const out: KernelTiming[] = [];
  const cases: { kernel: string; shape: string; make: () => () => Tensor }[] = [];
  const conv = (x: number[], f: number[]) => {
    const dyShape = [x[0]!, x[1]!, x[2]!, f[3]!];
    cases.push({
      kernel: 'Conv2DBackpropFilter',
      shape: `x ${x.join('×')} f ${f.join('×')}`,
      make: () => {
        const xt = tf.randomNormal(x);
        const dy = tf.randomNormal(dyShape);
        return () => tf.engine().runKernel('Conv2DBackpropFilter', { x: xt, dy }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: f }) as Tensor;
      },
    });
    cases.push({
      kernel: 'Conv2DBackpropInput',
      shape: `dy ${dyShape.join('×')} f ${f.join('×')}`,
      make: () => {
        const w = tf.randomNormal(f);
        const dy = tf.randomNormal(dyShape);
        return () => tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, { strides: 1, pad: 'same', dataFormat: 'NHWC', inputShape: x }) as Tensor;
      },
    });
  };
  conv([32, 49, 13, 1], [3, 3, 1, 8]);
  conv([32, 24, 6, 8], [3, 3, 8, 16]);
  conv([32, 1, 49, 13], [1, 3, 13, 8]);
  conv([32, 1, 24, 8], [1, 3, 8, 16]);
  for (const [x, size] of [
    [[32, 49, 13, 8], [2, 2]],
    [[32, 1, 49, 8], [1, 2]],
  ] as [number[], [number, number]][]) {
    for (const kernel of ['MaxPoolGrad', 'AvgPoolGrad']) {
      cases.push({
        kernel,
        shape: `x ${x.join('×')} pool ${size.join('×')}`,
        make: () => {
          const xt = tf.randomNormal(x);
          const y: Tensor = tf.maxPool(xt as never, size, size, 'valid');
          const dy = tf.randomNormal(y.shape);
          const inputs: Record<string, Tensor> = kernel === 'MaxPoolGrad' ? { dy, input: xt, output: y } : { dy, input: xt };
          return () => tf.engine().runKernel(kernel, inputs, { filterSize: size, strides: size, pad: 'valid' }) as Tensor;
        },
      });
    }
  }
  for (const [x, f] of [[[32, 24, 6, 8], [3, 3, 8, 1]]] as [number[], number[]][]) {
    const dyShape = [x[0]!, x[1]!, x[2]!, f[2]! * f[3]!];
    cases.push({
      kernel: 'DepthwiseConv2dNativeBackpropFilter',
      shape: `x ${x.join('×')} f ${f.join('×')}`,
      make: () => {
        const xt = tf.randomNormal(x);
        const dy = tf.randomNormal(dyShape);
        return () => tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x: xt, dy }, { strides: 1, pad: 'same', dilations: 1, filterShape: f }) as Tensor;
      },
    });
    cases.push({
      kernel: 'DepthwiseConv2dNativeBackpropInput',
      shape: `dy ${dyShape.join('×')} f ${f.join('×')}`,
      make: () => {
        const w = tf.randomNormal(f);
        const dy = tf.randomNormal(dyShape);
        return () => tf.engine().runKernel('DepthwiseConv2dNativeBackpropInput', { dy, filter: w }, { strides: 1, pad: 'same', dilations: 1, inputShape: x }) as Tensor;
      },
    });
  }
  for (const c of cases) {
    tf.engine().startScope();
    try {
      const run = c.make();
      registerGradientKernels(tf, backend);
      const oursMs = timeKernel(loaded, run, QUICK ? 150 : 400);
      unregisterGradientKernels(tf, backend);
      const timing: KernelTiming = { kernel: c.kernel, shape: c.shape, backend, oursMs };
      if (tf.getKernel(c.kernel, backend) === undefined) timing.stockNote = 'missing';
      else timing.stockMs = timeKernel(loaded, run, QUICK ? 150 : 400);
      out.push(timing);
    } finally {
      registerGradientKernels(tf, backend);
      tf.engine().endScope();
    }
  }
  return out;
}

function fmt(n: number | undefined, digits = 0): string {
  return n === undefined ? '' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(headers), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const loadBefore = os.loadavg();
  const backends: Backend[] = [];
  let loaded: LoadedTf | undefined;
  for (const b of ['wasm', 'cpu'] as const) {
    const got = await switchBackend(b);
    if (got !== undefined) {
      backends.push(b);
      loaded = got;
    }
  }
  if (loaded === undefined) throw new Error('neither the wasm nor the cpu backend could be initialised');
  const tfVersion = loaded.tf.version_core;

  const results: TrainResult[] = [];
  for (const net of ['2d', '1d'] as const) {
    for (const backend of backends) {
      for (const kernels of ['ours', 'stock'] as const) {
        const r = await trainThroughput(loaded, net, backend, kernels);
        results.push(r);
        const what = r.error !== undefined ? `fails: ${r.error}` : `${fmt(r.samplesPerSec)} samples/s (rounds ${r.rounds?.join(', ')})`;
        console.error(`  ${net} ${backend} ${kernels}: ${what}`);
      }
    }
  }
  const timings: KernelTiming[] = [];
  for (const backend of backends) timings.push(...(await kernelTimings(loaded, backend)));
  const loadAfter = os.loadavg();

  const errors = [...new Set(results.flatMap((r) => (r.error === undefined ? [] : [r.error])))];
  const rows = results.map((r) => {
    const stock = results.find((s) => s.net === r.net && s.backend === r.backend && s.kernels === 'stock');
    const speedup =
      r.kernels === 'ours' && stock?.samplesPerSec !== undefined && r.samplesPerSec !== undefined ? `${fmt(r.samplesPerSec / stock.samplesPerSec, 1)}×` : '';
    return [
      r.net,
      r.backend,
      r.kernels,
      r.error !== undefined ? `fails (${errors.indexOf(r.error) + 1})` : fmt(r.samplesPerSec),
      fmt(r.medianSamplesPerSec),
      fmt(r.samplesPerCpuSec),
      fmt(r.msPerStep, 1),
      speedup,
      r.samplesPerSec !== undefined ? `${fmt((100 * r.samplesPerSec) / PYTORCH_1T[r.net], 1)}%` : '',
    ];
  });
  console.log(`\nTraining throughput, batch ${BATCH}, tfjs ${tfVersion}, node ${process.version}, load avg ${loadBefore.map((l) => l.toFixed(1)).join(' ')}`);
  console.log(table(['net', 'backend', 'kernels', 'samples/s (best)', 'median', 'per cpu-s', 'ms/step', 'vs stock', 'of PyTorch 1T'], rows));
  errors.forEach((e, i) => console.log(`(${i + 1}) ${e}`));
  console.log(`PyTorch 1 thread (reference): 2d ${fmt(PYTORCH_1T['2d'])}, 1d ${fmt(PYTORCH_1T['1d'])} samples/s`);

  console.log('\nGradient kernels alone (best of repeated calls, ms)');
  console.log(
    table(
      ['kernel', 'shape', 'backend', 'stock ms', 'ours ms', 'speedup'],
      timings.map((t) => [
        t.kernel,
        t.shape,
        t.backend,
        t.stockNote ?? fmt(t.stockMs, 3),
        fmt(t.oursMs, 3),
        t.stockMs !== undefined ? `${fmt(t.stockMs / t.oursMs, 1)}×` : '',
      ]),
    ),
  );

  const here = path.dirname(fileURLToPath(import.meta.url));
  const outDir = path.join(here, 'results');
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, 'train-kernels.json');
  writeFileSync(
    file,
    JSON.stringify(
      {
        benchmark: 'train-kernels',
        date: new Date().toISOString(),
        quick: QUICK,
        node: process.version,
        tfjs: tfVersion,
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model,
        loadAvgBefore: loadBefore,
        loadAvgAfter: loadAfter,
        batch: BATCH,
        method: 'tfjs-layers model.fit on random data, Adam; samples/s = best of timed rounds (wall clock)',
        pytorchOneThreadReference: PYTORCH_1T,
        training: results,
        kernels: timings,
      },
      null,
      2,
    ) + '\n',
  );
  console.log(`\nwrote ${path.relative(process.cwd(), file)}`);
}

await main();
