/**
 * Training throughput of the three example networks, on each TF.js backend available here, side by
 * side with the same network in PyTorch on one thread (when Debian's python3-torch is installed).
 *
 *   npx tsx bench/train.ts            # full run (a few minutes)
 *   npx tsx bench/train.ts --quick    # shorter rounds
 *
 * Nets: the classifier layer list, batch size and learning rate of examples/<name>/impulse.yaml,
 * expanded at the example's real feature shape (activity [39] dense; spoken-digits MFCC [50, 13]
 * conv1d; handwritten [28, 28, 1] conv2d). Data: random rows and labels (the speed does not
 * depend on the values). Augmentation is off on both sides: this times the network.
 *
 * Ours: the project's own training path — `buildModel` + the seeded training loop `fit`
 * (blocks/learn/common/nn), Adam, one host sync per step for the loss, as `impulse run` trains.
 * PyTorch: the same layers (channels-first; same parameter count, checked), Adam, cross-entropy,
 * `loss.item()` per step, one thread (ATen, OpenMP and OpenBLAS), large allocations kept off mmap
 * (see timeTorch), run after the TF.js rounds (never at the same time).
 *
 * Each round is one epoch of a random set sized to take ~ROUND_SECONDS; samples/s is the best
 * round (wall clock; the machine may be shared, so the median and load average are kept too).
 * Writes bench/results/train.json.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expandLayers, type ExpandedModel } from '../blocks/learn/common/layers/expand.js';
import { buildModel } from '../blocks/learn/common/nn/build.js';
import { fit } from '../blocks/learn/common/nn/loop.js';
import { builtinRegistry } from '../cli/builtins.js';
import type { StageContext } from '../core/plugin/types.js';
import { loadImpulse } from '../core/spec/load.js';
import { switchBackend, type BackendName, type LoadedTf } from '../core/tf/load.js';

const QUICK = process.argv.includes('--quick');
const ROUND_SECONDS = QUICK ? 1 : 3;
const ROUNDS = QUICK ? 2 : 4;
const PYTHON = '/usr/bin/python3';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The example networks at their real feature shapes (test/e2e/examples-config.test.ts checks these shapes). */
const NETS = [
  { name: 'activity', kind: 'dense', featureShape: [39], labels: 3 },
  { name: 'spoken-digits', kind: 'conv1d', featureShape: [50, 13], labels: 10 },
  { name: 'handwritten', kind: 'conv2d', featureShape: [28, 28, 1], labels: 10 },
] as const;

interface Net {
  readonly name: string;
  readonly kind: string;
  readonly expanded: ExpandedModel;
  readonly labels: number;
  readonly batch: number;
  readonly learningRate: number;
  /** Filled in from the first TF.js model built (TF.js countParams). */
  params: number;
}

interface Timing {
  samplesPerSec: number;
  medianSamplesPerSec: number;
  rounds: number[];
  rowsPerRound: number;
}

interface Row {
  net: string;
  backend: BackendName;
  samplesPerSec?: number;
  medianSamplesPerSec?: number;
  msPerStep?: number;
  rounds?: number[];
  rowsPerRound?: number;
  error?: string;
}

interface TorchRow extends Partial<Timing> {
  net: string;
  params?: number;
  error?: string;
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function loadNets(): Promise<Net[]> {
  return Promise.all(
    NETS.map(async ({ name, kind, featureShape, labels }) => {
      const impulse = await loadImpulse(path.join(root, 'examples', name, 'impulse.yaml'), builtinRegistry());
      const p = impulse.spec.learn['classifier']!.params as { layers: unknown; batchSize: number; learningRate: number };
      const expanded = expandLayers(p.layers, featureShape, { units: labels, activation: 'softmax', what: `${labels} labels` });
      return { name, kind, expanded, labels, batch: p.batchSize, learningRate: p.learningRate, params: 0 };
    }),
  );
}

const quietContext = (): StageContext => ({
  stageId: 'bench',
  seed: 1,
  projectDir: root,
  outDir: os.tmpdir(),
  jobs: 1,
  signal: new AbortController().signal,
  progress: () => {},
  log: () => {},
});

/** Rows of random features and one-hot labels. */
function randomData(net: Net, n: number): { x: Float32Array; y: Float32Array; n: number } {
  const size = net.expanded.inputShape.reduce((a, b) => a * b, 1);
  const x = new Float32Array(n * size);
  for (let i = 0; i < x.length; i++) x[i] = Math.random() * 2 - 1;
  const y = new Float32Array(n * net.labels);
  for (let r = 0; r < n; r++) y[r * net.labels + Math.floor(Math.random() * net.labels)] = 1;
  return { x, y, n };
}

async function timeOurs(loaded: LoadedTf, net: Net): Promise<Timing & { params: number }> {
  const { tf } = loaded;
  tf.engine().startScope();
  const model = buildModel(loaded, net.expanded, 1, net.name);
  try {
    const options = (n: number) => ({
      rowShape: net.expanded.inputShape,
      outUnits: net.labels,
      loss: 'crossentropy' as const,
      epochs: 1,
      batchSize: net.batch,
      learningRate: net.learningRate,
      optimizer: 'adam' as const,
      schedule: 'constant' as const,
      earlyStopping: false as const,
      seed: n,
    });
    const run = async (data: ReturnType<typeof randomData>) => {
      const t = performance.now();
      await fit(loaded, model, data, undefined, options(data.n), quietContext());
      return (performance.now() - t) / 1000;
    };
    // Probe: a few steps to size the rounds.
    const probe = randomData(net, net.batch * 4);
    await run(probe);
    const stepSeconds = (await run(probe)) / 4;
    const steps = Math.max(2, Math.min(256, Math.round(ROUND_SECONDS / stepSeconds)));
    const data = randomData(net, steps * net.batch);
    await run(data);
    const rounds: number[] = [];
    for (let r = 0; r < ROUNDS; r++) rounds.push(data.n / (await run(data)));
    return { samplesPerSec: Math.max(...rounds), medianSamplesPerSec: median(rounds), rounds: rounds.map(Math.round), rowsPerRound: data.n, params: model.countParams() };
  } finally {
    model.dispose();
    tf.engine().endScope();
  }
}

/** The same networks in PyTorch, one thread. Reads the resolved layer lists as JSON on stdin. */
const TORCH_SCRIPT = String.raw`
import json, math, sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
try:
    torch.set_num_interop_threads(1)
except RuntimeError:
    pass
cfg = json.load(sys.stdin)

def act(name, last):
    if last or name == 'linear':
        return None  # the output softmax is inside the cross-entropy loss
    return {'relu': nn.ReLU(), 'relu6': nn.ReLU6(), 'sigmoid': nn.Sigmoid(), 'tanh': nn.Tanh(), 'softmax': nn.Softmax(dim=1)}[name]

def same_pad(n, k, s):
    out = math.ceil(n / s)
    total = max((out - 1) * s + k - n, 0)
    return total // 2, total - total // 2

class Lambda(nn.Module):
    def __init__(self, f):
        super().__init__()
        self.f = f
    def forward(self, x):
        return self.f(x)

def to_last(x):
    return x.permute(0, 2, 1) if x.dim() == 3 else x.permute(0, 2, 3, 1) if x.dim() == 4 else x

def to_first(x):
    return x.permute(0, 2, 1) if x.dim() == 3 else x.permute(0, 3, 1, 2) if x.dim() == 4 else x

def build(input_shape, layers):
    # shapes are tracked channels-last, like TF.js; tensors are channels-first, like PyTorch.
    mods, shape = [], list(input_shape)
    for i, l in enumerate(layers):
        t, last = l['type'], i == len(layers) - 1
        c = shape[-1]
        if t == 'dense':
            mods.append(nn.Linear(c, l['units']))
        elif t in ('conv1d', 'conv2d', 'depthwiseConv2d', 'separableConv2d'):
            two = t != 'conv1d'
            k = l['kernel'] if two else [l['kernel']]
            s = l['strides'] if two else [l['strides']]
            if l['padding'] == 'same':
                pads = [same_pad(n, kk, ss) for n, kk, ss in zip(shape[:-1], k, s)]
                mods.append(nn.ConstantPad2d((pads[1][0], pads[1][1], pads[0][0], pads[0][1]), 0.0) if two else nn.ConstantPad1d(pads[0], 0.0))
            if t == 'conv1d':
                mods.append(nn.Conv1d(c, l['filters'], k[0], stride=s[0]))
            elif t == 'conv2d':
                mods.append(nn.Conv2d(c, l['filters'], k, stride=s))
            elif t == 'depthwiseConv2d':
                mods.append(nn.Conv2d(c, c * l['depthMultiplier'], k, stride=s, groups=c))
            else:
                mods.append(nn.Conv2d(c, c * l['depthMultiplier'], k, stride=s, groups=c, bias=False))
                mods.append(nn.Conv2d(c * l['depthMultiplier'], l['filters'], 1))
        elif t in ('maxPool1d', 'avgPool1d', 'maxPool2d', 'avgPool2d'):
            k, s = l['poolSize'], l['strides']
            if k != s and l['padding'] == 'same':
                raise ValueError(t + ": 'same' padding with strides != poolSize is not mapped to PyTorch")
            ceil = l['padding'] == 'same'
            cls = {'maxPool1d': nn.MaxPool1d, 'avgPool1d': nn.AvgPool1d, 'maxPool2d': nn.MaxPool2d, 'avgPool2d': nn.AvgPool2d}[t]
            mods.append(cls(k, stride=s, ceil_mode=ceil))
        elif t == 'globalAvgPool1d':
            mods.append(Lambda(lambda x: x.mean(dim=2)))
        elif t == 'globalAvgPool2d':
            mods.append(Lambda(lambda x: x.mean(dim=(2, 3))))
        elif t == 'flatten':
            mods.append(nn.Flatten())
        elif t == 'reshape':
            target = l['targetShape']
            mods.append(Lambda(lambda x, target=target: to_first(to_last(x).reshape(x.shape[0], *target))))
        elif t == 'dropout':
            mods.append(nn.Dropout(l['rate']))
        elif t == 'batchNorm':
            mods.append((nn.BatchNorm1d if len(shape) <= 2 else nn.BatchNorm2d)(c, eps=l['epsilon'], momentum=1 - l['momentum']))
        else:
            raise ValueError('layer ' + t + ' is not mapped to PyTorch')
        if 'activation' in l:
            a = act(l['activation'], last)
            if a is not None:
                mods.append(a)
        shape = list(l['shape'])
    return nn.Sequential(*mods)

def channels_first(shape):
    return [shape[-1]] + list(shape[:-1]) if len(shape) > 1 else list(shape)

def epoch(model, opt, x, y, batch):
    model.train()
    perm = torch.randperm(x.shape[0])
    for start in range(0, x.shape[0], batch):
        idx = perm[start:start + batch]
        opt.zero_grad()
        loss = F.cross_entropy(model(x[idx]), y[idx])
        loss.backward()
        opt.step()
        loss.item()

out = []
for net in cfg['nets']:
    try:
        torch.manual_seed(1)
        model = build(net['inputShape'], net['layers'])
        # Keras counts batch-norm moving statistics too.
        params = sum(p.numel() for p in model.parameters()) + sum(b.numel() for k, b in model.named_buffers() if k.endswith(('running_mean', 'running_var')))
        opt = torch.optim.Adam(model.parameters(), lr=net['learningRate'])
        batch = net['batch']
        shape = channels_first(net['inputShape'])
        rand = lambda n: (torch.randn(n, *shape), torch.randint(0, net['labels'], (n,)))
        x, y = rand(batch * 4)
        epoch(model, opt, x, y, batch)
        t = time.perf_counter(); epoch(model, opt, x, y, batch); step = (time.perf_counter() - t) / 4
        steps = max(2, min(1024, round(cfg['roundSeconds'] / step)))
        x, y = rand(steps * batch)
        epoch(model, opt, x, y, batch)
        rounds = []
        for _ in range(cfg['rounds']):
            t = time.perf_counter(); epoch(model, opt, x, y, batch); rounds.append(x.shape[0] / (time.perf_counter() - t))
        rounds_sorted = sorted(rounds)
        mid = len(rounds) // 2
        med = rounds_sorted[mid] if len(rounds) % 2 else (rounds_sorted[mid - 1] + rounds_sorted[mid]) / 2
        out.append({'net': net['name'], 'params': params, 'samplesPerSec': max(rounds), 'medianSamplesPerSec': med, 'rounds': [round(r) for r in rounds], 'rowsPerRound': x.shape[0]})
    except Exception as e:
        out.append({'net': net['name'], 'error': str(e)})
print(json.dumps({'torch': torch.__version__, 'threads': torch.get_num_threads(), 'results': out}))
`;

function torchAvailable(): boolean {
  return existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
}

function timeTorch(nets: readonly Net[]): { version: string; threads: number; results: TorchRow[] } {
  const input = JSON.stringify({
    roundSeconds: ROUND_SECONDS,
    rounds: ROUNDS,
    nets: nets.map((n) => ({ name: n.name, inputShape: n.expanded.inputShape, layers: n.expanded.layers, labels: n.labels, batch: n.batch, learningRate: n.learningRate })),
  });
  const env = {
    ...process.env,
    // One thread everywhere: ATen (set in the script), OpenMP, and Debian's OpenBLAS (pthreads build: its own pool).
    OMP_NUM_THREADS: '1',
    MKL_NUM_THREADS: '1',
    OPENBLAS_NUM_THREADS: '1',
    // glibc serves each large tensor (> 128 KB) with a fresh mmap; the page faults made the conv2d net
    // 3-4× slower and its speed depend on what ran before in the process (measured: 600 vs 2,450
    // samples/s). Keeping large blocks in the heap gives PyTorch's steady-state speed.
    MALLOC_MMAP_THRESHOLD_: String(32 << 20),
    MALLOC_TRIM_THRESHOLD_: String(1 << 30),
  };
  const r = spawnSync(PYTHON, ['-c', TORCH_SCRIPT], { input, encoding: 'utf8', env, maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`PyTorch run failed: ${(r.stderr || r.stdout).trim().split('\n').pop()}`);
  const parsed = JSON.parse(r.stdout.trim().split('\n').pop()!) as { torch: string; threads: number; results: TorchRow[] };
  return { version: parsed.torch, threads: parsed.threads, results: parsed.results };
}

function fmt(n: number | undefined, digits = 0): string {
  return n === undefined ? '—' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(headers), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const loadBefore = os.loadavg();
  const nets = await loadNets();
  const rows: Row[] = [];
  const backends: BackendName[] = [];
  for (const backend of ['tensorflow', 'wasm', 'cpu'] as const) {
    const loaded = await switchBackend(backend);
    if (!loaded) continue;
    backends.push(backend);
    for (const net of nets) {
      process.stderr.write(`timing ${net.name} on ${backend}…\n`);
      try {
        const t = await timeOurs(loaded, net);
        net.params = t.params;
        rows.push({ net: net.name, backend, samplesPerSec: t.samplesPerSec, medianSamplesPerSec: t.medianSamplesPerSec, msPerStep: (1000 * net.batch) / t.samplesPerSec, rounds: t.rounds, rowsPerRound: t.rowsPerRound });
      } catch (e) {
        rows.push({ net: net.name, backend, error: e instanceof Error ? e.message.split('\n')[0]! : String(e) });
      }
    }
  }

  let torch: ReturnType<typeof timeTorch> | { error: string } | undefined;
  if (torchAvailable()) {
    process.stderr.write('timing the same nets in PyTorch (1 thread)…\n');
    try {
      torch = timeTorch(nets);
    } catch (e) {
      torch = { error: (e as Error).message };
    }
  }
  const torchRows = torch && 'results' in torch ? torch.results : [];
  const torchOf = (net: string) => torchRows.find((t) => t.net === net);
  for (const t of torchRows) {
    const ours = nets.find((n) => n.name === t.net)!;
    if (t.params !== undefined && t.params !== ours.params) t.error = `PyTorch net has ${t.params} parameters, ours ${ours.params}: not the same network`;
  }

  const ratio = (r: Row) => {
    const t = torchOf(r.net);
    return r.samplesPerSec && t?.samplesPerSec && !t.error ? t.samplesPerSec / r.samplesPerSec : undefined;
  };
  console.log(`Training throughput, example networks, random data (${QUICK ? 'quick' : 'full'}; best of ${ROUNDS} rounds of ~${ROUND_SECONDS}s)`);
  console.log(
    table(
      ['net', 'backend', 'params', 'batch', 'samples/s', 'ms/step', 'PyTorch 1T samples/s', 'ratio (PyTorch/ours)'],
      rows.map((r) => {
        const net = nets.find((n) => n.name === r.net)!;
        const t = torchOf(r.net);
        const q = ratio(r);
        return [
          `${r.net} (${net.kind})`,
          r.backend,
          fmt(net.params),
          String(net.batch),
          r.error ? `error: ${r.error}` : fmt(r.samplesPerSec),
          fmt(r.msPerStep, 1),
          t?.error ? `error: ${t.error}` : fmt(t?.samplesPerSec),
          q === undefined ? '—' : `${q.toFixed(2)}×${q <= 2 ? '' : ' (>2×)'}`,
        ];
      }),
    ),
  );
  if (!torch) console.log(`PyTorch: not measured (${PYTHON} cannot import torch; Debian: apt-get install python3-torch)`);
  else if ('error' in torch) console.log(`PyTorch: ${torch.error}`);
  else console.log(`PyTorch ${torch.version}, ${torch.threads} thread; ratio = PyTorch samples/s ÷ ours (target ≤ 2)`);
  const loadAfter = os.loadavg();
  console.log(`load average before/after: ${loadBefore.map((l) => l.toFixed(2)).join(' ')} / ${loadAfter.map((l) => l.toFixed(2)).join(' ')} on ${os.cpus().length} cores`);

  const outDir = path.join(root, 'bench/results');
  mkdirSync(outDir, { recursive: true });
  const result = {
    benchmark: 'train',
    date: new Date().toISOString(),
    quick: QUICK,
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    loadAvgBefore: loadBefore,
    loadAvgAfter: loadAfter,
    method:
      'examples/<name> classifier layers at the real feature shape, random data; ours = buildModel + fit (blocks/learn/common/nn), PyTorch = same layers, Adam, cross-entropy, 1 thread; samples/s = best round (wall clock), each round one epoch of ~ROUND_SECONDS',
    roundSeconds: ROUND_SECONDS,
    rounds: ROUNDS,
    backends,
    nets: nets.map((n) => ({ name: n.name, kind: n.kind, inputShape: n.expanded.inputShape, params: n.params, batch: n.batch, learningRate: n.learningRate, layers: n.expanded.layers.map((l) => l.name) })),
    training: rows.map((r) => ({ ...r, pytorchSamplesPerSec: torchOf(r.net)?.samplesPerSec, ratioPytorchOverOurs: ratio(r) })),
    pytorch: torch ?? { error: `${PYTHON} cannot import torch` },
  };
  writeFileSync(path.join(outDir, 'train.json'), JSON.stringify(result, null, 2) + '\n');
  console.log(`wrote ${path.relative(process.cwd(), path.join(outDir, 'train.json'))}`);
}

await main();
