/**
 * Training throughput of the three example networks, on each TF.js backend available here, side by
 * side with the same network in PyTorch on one thread (when Debian's python3-torch is installed).
 *
 *   npx tsx bench/train.ts            # full run (a few minutes)
 *   npx tsx bench/train.ts --quick    # shorter rounds
 *   npx tsx bench/train.ts --net activity --backend wasm   # one net / one backend (repeatable)
 *   npx tsx bench/train.ts --replicas 1                     # every net on one thread
 *
 * Nets: the classifier layer list, batch size and learning rate of examples/<name>/impulse.yaml,
 * expanded at the example's real feature shape (activity [39] dense; spoken-digits MFCC [50, 13]
 * conv1d; handwritten [28, 28, 1] conv2d). Data: random rows and labels (the speed does not
 * depend on the values). Augmentation is off on both sides: this times the network.
 *
 * Ours: the project's own training path — `buildModel` + the seeded training loop `fit`
 * (blocks/learn/common/nn), Adam, the loss read once per epoch, as `impulse run` trains.
 * PyTorch: the same layers (channels-first; same parameter count, checked), Adam, cross-entropy,
 * `loss.item()` per step, one thread (ATen, OpenMP and OpenBLAS), large allocations kept off mmap
 * (see TorchSession), in its own process, never running at the same time as ours.
 *
 * Ours with `replicas` > 1 (data-parallel threads, see blocks/learn/common/nn/replicas.ts) uses
 * that many cores; the table's `threads` column says so, and the ratio still compares with PyTorch
 * on ONE thread (PyTorch's own threading is slower here: ~5,000 vs ~12,700 samples/s with 2).
 *
 * Each round is one epoch of a random set sized to take ~ROUND_SECONDS. Rounds alternate — one of
 * ours, one of PyTorch's — so both sides see the same machine: on this shared machine absolute
 * speeds swing by 1.5–2× within minutes, which made a PyTorch-after-ours comparison meaningless.
 * samples/s is the best round (wall clock; the medians and load average are kept too).
 * Writes bench/results/train.json. Exits 1 when a net misses the target (≤ 2× PyTorch's
 * single-thread samples/s) on the training backend — the first measured of tensorflow, wasm, cpu.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { expandLayers, type ExpandedModel } from '../blocks/learn/common/layers/expand.js';
import { buildModel } from '../blocks/learn/common/nn/build.js';
import { fit } from '../blocks/learn/common/nn/loop.js';
import { builtinRegistry } from '../cli/builtins.js';
import type { StageContext } from '../core/plugin/types.js';
import { loadImpulse } from '../core/spec/load.js';
import { switchBackend, type BackendName, type LoadedTf } from '../blocks/learn/common/tf/load.js';

const QUICK = process.argv.includes('--quick');
const argValue = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const ONLY_NET = argValue('--net');
const ONLY_BACKEND = argValue('--backend');
/** Overrides the examples' `replicas` (data-parallel threads of our training). */
const REPLICAS = argValue('--replicas') === undefined ? undefined : Number(argValue('--replicas'));
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
  /** Threads our training uses (the example's `replicas`: data-parallel shards of each batch). */
  readonly replicas: number;
  /** Filled in from the first TF.js model built (TF.js countParams). */
  params: number;
}

/** One net on one backend: our rounds and, interleaved with them, PyTorch's. */
interface Row {
  net: string;
  backend: BackendName;
  /** Ours: best round, median round (samples/s), each round, rows per round. */
  samplesPerSec?: number;
  medianSamplesPerSec?: number;
  msPerStep?: number;
  /** Per training, outside the epochs: starting the replica threads (0 without replicas). */
  setupMs?: number;
  rounds?: number[];
  rowsPerRound?: number;
  error?: string;
  /** PyTorch, 1 thread, rounds interleaved with ours (each ours-round is followed by a PyTorch round). */
  pytorch?: { samplesPerSec: number; medianSamplesPerSec: number; rounds: number[]; rowsPerRound: number } | { error: string };
  /** Best PyTorch round ÷ best round of ours. */
  ratioPytorchOverOurs?: number;
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
      const p = impulse.spec.learn['classifier']!.params as { layers: unknown; batchSize: number; learningRate: number; replicas: number };
      const expanded = expandLayers(p.layers, featureShape, { units: labels, activation: 'softmax', what: `${labels} labels` });
      return { name, kind, expanded, labels, batch: p.batchSize, learningRate: p.learningRate, replicas: REPLICAS ?? p.replicas, params: 0 };
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

/** Our training path for one net, ready to time: `round()` trains one epoch of a random set sized to ~ROUND_SECONDS. */
async function prepareOurs(
  loaded: LoadedTf,
  net: Net,
): Promise<{ round(): Promise<number>; rowsPerRound: number; params: number; setupSeconds(): number; dispose(): void }> {
  const { tf } = loaded;
  tf.engine().startScope();
  const model = buildModel(loaded, net.expanded, 1, net.name);
  // Replica threads start with each fit() and run their first steps cold (JIT, WASM memory growth):
  // their fits train one extra epoch first, and the round is the last epoch, as in a long training.
  const warmEpochs = net.replicas > 1 ? 1 : 0;
  const options = (n: number) => ({
    rowShape: net.expanded.inputShape,
    outUnits: net.labels,
    loss: 'crossentropy' as const,
    epochs: 1 + warmEpochs,
    batchSize: net.batch,
    learningRate: net.learningRate,
    replicas: net.replicas,
    optimizer: 'adam' as const,
    schedule: 'constant' as const,
    earlyStopping: false as const,
    seed: n,
  });
  // A round is timed by fit's own per-epoch clock: starting replica threads happens once per
  // training, not per epoch, and is kept apart as setupSeconds.
  let setupSeconds = 0;
  const run = async (data: ReturnType<typeof randomData>) => {
    const t = performance.now();
    const result = await fit(loaded, model, data, undefined, options(data.n), quietContext());
    setupSeconds = (performance.now() - t) / 1000 - result.epochs.reduce((sum, e) => sum + e.seconds, 0);
    return result.epochs.at(-1)!.seconds;
  };
  // Probe: a few steps to size the rounds.
  const probe = randomData(net, net.batch * 4);
  await run(probe);
  const stepSeconds = (await run(probe)) / 4;
  const steps = Math.max(2, Math.min(1024, Math.round(ROUND_SECONDS / stepSeconds)));
  const data = randomData(net, steps * net.batch);
  await run(data);
  return {
    round: async () => data.n / (await run(data)),
    rowsPerRound: data.n,
    params: model.countParams(),
    setupSeconds: () => setupSeconds,
    dispose() {
      model.dispose();
      tf.engine().endScope();
    },
  };
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

# A line protocol on stdin/stdout, so the bench can interleave PyTorch rounds with its own:
#   {"cmd": "setup", "net": {...}} -> {"params", "rowsPerRound"}     {"cmd": "round", "net": name} -> {"samplesPerSec"}
print(json.dumps({'torch': torch.__version__, 'threads': torch.get_num_threads()}), flush=True)
nets = {}
for line in sys.stdin:
    cmd = json.loads(line)
    try:
        if cmd['cmd'] == 'setup':
            net = cmd['net']
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
            steps = max(2, min(1024, round(cmd['roundSeconds'] / step)))
            x, y = rand(steps * batch)
            epoch(model, opt, x, y, batch)
            nets[net['name']] = (model, opt, x, y, batch)
            reply = {'params': params, 'rowsPerRound': x.shape[0]}
        else:
            model, opt, x, y, batch = nets[cmd['net']]
            t = time.perf_counter(); epoch(model, opt, x, y, batch)
            reply = {'samplesPerSec': x.shape[0] / (time.perf_counter() - t)}
    except Exception as e:
        reply = {'error': str(e)}
    print(json.dumps(reply), flush=True)
`;

function torchAvailable(): boolean {
  return existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
}

/** A PyTorch process (one thread) that builds the nets and times rounds on request. */
class TorchSession {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: AsyncIterator<string>;
  private constructor(child: ChildProcessWithoutNullStreams) {
    this.child = child;
    this.lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  }

  static async start(): Promise<{ session: TorchSession; version: string; threads: number }> {
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
    const session = new TorchSession(spawn(PYTHON, ['-c', TORCH_SCRIPT], { env }));
    const hello = (await session.next()) as { torch: string; threads: number };
    return { session, version: hello.torch, threads: hello.threads };
  }

  private async next(): Promise<Record<string, unknown>> {
    const line = await this.lines.next();
    if (line.done) throw new Error('the PyTorch process ended');
    return JSON.parse(line.value) as Record<string, unknown>;
  }

  private async request<T>(cmd: Record<string, unknown>): Promise<T> {
    this.child.stdin.write(JSON.stringify(cmd) + '\n');
    const reply = await this.next();
    if (typeof reply['error'] === 'string') throw new Error(reply['error']);
    return reply as T;
  }

  setup(net: Net): Promise<{ params: number; rowsPerRound: number }> {
    const spec = { name: net.name, inputShape: net.expanded.inputShape, layers: net.expanded.layers, labels: net.labels, batch: net.batch, learningRate: net.learningRate };
    return this.request({ cmd: 'setup', net: spec, roundSeconds: ROUND_SECONDS });
  }

  async round(net: Net): Promise<number> {
    return (await this.request<{ samplesPerSec: number }>({ cmd: 'round', net: net.name })).samplesPerSec;
  }

  close(): void {
    this.child.stdin.end();
  }
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
  let torch: Awaited<ReturnType<typeof TorchSession.start>> | { error: string } | undefined;
  if (torchAvailable()) {
    try {
      torch = await TorchSession.start();
    } catch (e) {
      torch = { error: (e as Error).message };
    }
  }
  const torchReady = new Map<string, Promise<{ params: number; rowsPerRound: number }>>();
  for (const backend of ['tensorflow', 'wasm', 'cpu'] as const) {
    if (ONLY_BACKEND !== undefined && backend !== ONLY_BACKEND) continue;
    const loaded = await switchBackend(backend);
    if (!loaded) continue;
    backends.push(backend);
    for (const net of nets) {
      if (ONLY_NET !== undefined && net.name !== ONLY_NET) continue;
      process.stderr.write(`timing ${net.name} on ${backend}${torch && 'session' in torch ? ', interleaved with PyTorch' : ''}…\n`);
      const row: Row = { net: net.name, backend };
      rows.push(row);
      let ours: Awaited<ReturnType<typeof prepareOurs>> | undefined;
      try {
        ours = await prepareOurs(loaded, net);
        net.params = ours.params;
        let torchRows: number | undefined;
        if (torch && 'session' in torch) {
          try {
            if (!torchReady.has(net.name)) torchReady.set(net.name, torch.session.setup(net));
            const setup = await torchReady.get(net.name)!;
            if (setup.params !== net.params) throw new Error(`PyTorch net has ${setup.params} parameters, ours ${net.params}: not the same network`);
            torchRows = setup.rowsPerRound;
          } catch (e) {
            row.pytorch = { error: (e as Error).message };
          }
        }
        // Alternate: one round of ours, one of PyTorch, so both see the same machine (it is shared).
        const oursRounds: number[] = [];
        const torchRounds: number[] = [];
        for (let r = 0; r < ROUNDS; r++) {
          oursRounds.push(await ours.round());
          if (torchRows !== undefined && torch && 'session' in torch) torchRounds.push(await torch.session.round(net));
        }
        Object.assign(row, { samplesPerSec: Math.max(...oursRounds), medianSamplesPerSec: median(oursRounds), msPerStep: (1000 * net.batch) / Math.max(...oursRounds), rounds: oursRounds.map(Math.round), rowsPerRound: ours.rowsPerRound, setupMs: Math.round(1000 * ours.setupSeconds()) });
        if (torchRounds.length > 0) {
          row.pytorch = { samplesPerSec: Math.max(...torchRounds), medianSamplesPerSec: median(torchRounds), rounds: torchRounds.map(Math.round), rowsPerRound: torchRows! };
          row.ratioPytorchOverOurs = Math.max(...torchRounds) / Math.max(...oursRounds);
        }
      } catch (e) {
        row.error = e instanceof Error ? e.message.split('\n')[0]! : String(e);
      } finally {
        ours?.dispose();
      }
    }
  }
  if (torch && 'session' in torch) torch.session.close();

  console.log(`Training throughput, example networks, random data (${QUICK ? 'quick' : 'full'}; best of ${ROUNDS} rounds of ~${ROUND_SECONDS}s, PyTorch rounds interleaved)`);
  console.log(
    table(
      ['net', 'backend', 'params', 'batch', 'threads', 'samples/s', 'ms/step', 'PyTorch 1T samples/s', 'ratio (PyTorch/ours)'],
      rows.map((r) => {
        const net = nets.find((n) => n.name === r.net)!;
        const q = r.ratioPytorchOverOurs;
        return [
          `${r.net} (${net.kind})`,
          r.backend,
          fmt(net.params),
          String(net.batch),
          String(net.replicas),
          r.error ? `error: ${r.error}` : fmt(r.samplesPerSec),
          fmt(r.msPerStep, 1),
          r.pytorch === undefined ? '—' : 'error' in r.pytorch ? `error: ${r.pytorch.error}` : fmt(r.pytorch.samplesPerSec),
          q === undefined ? '—' : `${q.toFixed(2)}×${q <= 2 ? '' : ' (>2×)'}`,
        ];
      }),
    ),
  );
  if (!torch) console.log(`PyTorch: not measured (${PYTHON} cannot import torch; Debian: apt-get install python3-torch, or scripts/install-bench-deps.sh)`);
  else if ('error' in torch) console.log(`PyTorch: ${torch.error}`);
  else console.log(`PyTorch ${torch.version}, ${torch.threads} thread; ratio = best PyTorch round ÷ best round of ours (target ≤ 2)`);
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
      'examples/<name> classifier layers at the real feature shape, random data; ours = buildModel + fit (blocks/learn/common/nn), PyTorch = same layers, Adam, cross-entropy, 1 thread, in its own process; rounds alternate ours / PyTorch; samples/s = best round (wall clock), each round one epoch of ~ROUND_SECONDS',
    roundSeconds: ROUND_SECONDS,
    rounds: ROUNDS,
    backends,
    pytorch: torch === undefined ? { error: `${PYTHON} cannot import torch` } : 'error' in torch ? torch : { version: torch.version, threads: torch.threads },
    nets: nets.map((n) => ({ name: n.name, kind: n.kind, inputShape: n.expanded.inputShape, params: n.params, batch: n.batch, learningRate: n.learningRate, replicas: n.replicas, layers: n.expanded.layers.map((l) => l.name) })),
    training: rows,
  };
  writeFileSync(path.join(outDir, 'train.json'), JSON.stringify(result, null, 2) + '\n');
  console.log(`wrote ${path.relative(process.cwd(), path.join(outDir, 'train.json'))}`);

  // The target applies on the backend impulse-kit trains with: the first of those measured, in
  // its order of preference (tensorflow, wasm, cpu). The pure-JS fallback's rows are informational.
  const trainingBackend = backends[0];
  const judged = rows.filter((r) => r.backend === trainingBackend);
  if (trainingBackend === undefined || judged.some((r) => r.ratioPytorchOverOurs === undefined)) {
    console.log('target (≤ 2× PyTorch 1 thread): not checked (PyTorch or a net not measured)');
    return;
  }
  const missed = judged.filter((r) => r.ratioPytorchOverOurs! > 2);
  console.log(
    missed.length === 0
      ? `target (≤ 2× PyTorch 1 thread) on ${trainingBackend} (the first measured of tensorflow, wasm, cpu: impulse-kit trains on the first available): met for ${judged.map((r) => r.net).join(', ')}`
      : `target (≤ 2× PyTorch 1 thread) on ${trainingBackend} (the first measured of tensorflow, wasm, cpu: impulse-kit trains on the first available): MISSED for ${missed.map((r) => `${r.net} (${r.ratioPytorchOverOurs!.toFixed(2)}×)`).join(', ')}`,
  );
  if (missed.length > 0) process.exitCode = 1;
}

await main();
