/**
 * Data-parallel training steps: each batch is split into `replicas` shards of consecutive rows;
 * shard 0 runs on the calling thread, the others in worker threads with their own TF.js instance
 * (WASM and CPU compute on one thread each, so this is how training uses more than one core).
 * Each shard's loss is its share of the batch's loss (shard-gradients.ts), the gradients are added
 * in shard order on the calling thread, and its optimizer takes the step; the workers get the new
 * weights before the next step.
 *
 * Determinism: the weights depend on the number of replicas (shard sums are added in a fixed
 * order, but not in the order of one whole batch), never on how many cores run them.
 * Batch normalization normalizes over each shard (as in any data-parallel trainer without
 * synchronized batch norm); its moving statistics are those of shard 0.
 */
import type { NamedTensorMap, Tensor, Variable } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { Worker } from 'node:worker_threads';
import type { LoadedTf } from '../tf/load.js';
import { siblingModuleUrl, startModuleWorker } from '../../../../core/util/module-worker.js';
import { learnError, LearnErrorCode } from '../errors.js';
import { kernelArrays, sizeOf } from '../tf/kernels/access.js';
import type { TrainingOptimizer } from './optimizer.js';
import { Ctrl, Op, ReplicaIo, SPIN_MS, spinUntil, variableOffsets, type ReplicaInit, type ReplicaReply } from './replica-protocol.js';
import { ShardGradients, type LossKind, type ShardRows } from './shard-gradients.js';

const workerUrl = siblingModuleUrl(import.meta.url, 'replica-worker');

/** Atomics.waitAsync (Node ≥ 16; typed only from lib es2024). */
const waitAsync = (Atomics as unknown as {
  waitAsync(array: Int32Array, index: number, value: number): { async: false; value: string } | { async: true; value: Promise<string> };
}).waitAsync;

/** A replica worker died or failed; the message says which and why. */
export class ReplicaError extends Error {
  override readonly name = 'ReplicaError';
}

export interface ReplicaGroupOptions {
  readonly replicas: number;
  readonly loss: LossKind;
  readonly rowShape: readonly number[];
  readonly outUnits: number;
  /** Rows of a full batch. */
  readonly batchSize: number;
}

class ReplicaWorker {
  /** Replies (postMessage) not yet taken, and who waits for the next one. */
  private readonly replies: ReplicaReply[] = [];
  private waiting: { resolve: (r: ReplicaReply) => void; reject: (e: Error) => void } | undefined;
  private failure: Error | undefined;
  /** Rejects when the thread dies; raced against every sleep on the control block. */
  private readonly lost: Promise<never>;
  private request = 0;
  /** The error of a failed request, once its message has been taken. */
  private stepError: { readonly request: number; readonly error: ReplicaError } | undefined;

  constructor(
    readonly index: number,
    private readonly worker: Worker,
    readonly io: ReplicaIo,
  ) {
    let reject!: (e: Error) => void;
    this.lost = new Promise<never>((_, r) => (reject = r));
    this.lost.catch(() => {});
    worker.on('message', (reply: ReplicaReply) => {
      const w = this.waiting;
      this.waiting = undefined;
      if (w) w.resolve(reply);
      else this.replies.push(reply);
    });
    const lost = (e: Error) => {
      this.failure ??= new ReplicaError(`training replica ${index} stopped: ${e.message}`);
      reject(this.failure);
      const w = this.waiting;
      this.waiting = undefined;
      w?.reject(this.failure);
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`its thread exited (code ${code})`)));
  }

  /** The next postMessage reply of the worker. */
  private nextReply(): Promise<ReplicaReply> {
    const queued = this.replies.shift();
    if (queued) return Promise.resolve(queued);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  private errorOf(r: ReplicaReply): ReplicaError {
    return Object.assign(new ReplicaError(`training replica ${this.index}: ${r.ok ? 'failed' : r.error}`), r.ok ? {} : { stack: r.stack });
  }

  async init(msg: ReplicaInit): Promise<void> {
    this.worker.postMessage(msg);
    const reply = await this.nextReply();
    if (!reply.ok) throw this.errorOf(reply);
  }

  /** Publishes a request in the control block (its operands are already written). */
  post(op: Op, count = 0, divisor = 0, seeds: readonly number[] = []): void {
    if (this.failure) throw this.failure;
    const { ctrl } = this.io;
    ctrl[Ctrl.op] = op;
    ctrl[Ctrl.count] = count;
    ctrl[Ctrl.divisor] = divisor;
    ctrl.set(seeds, Ctrl.seeds);
    // the worker is idle now: no race with its counting
    Atomics.store(ctrl, Ctrl.published, 0);
    Atomics.store(ctrl, Ctrl.request, ++this.request);
    Atomics.notify(ctrl, Ctrl.request);
  }

  /** Waits for the answer to the last request. */
  async answer(): Promise<void> {
    await this.waitFor(() => this.answered(), Ctrl.answered);
    await this.throwIfFailed();
  }

  /** Waits until the worker has written the gradients of `count` variables of the current step (or has answered). */
  async published(count: number): Promise<void> {
    const { ctrl } = this.io;
    await this.waitFor(() => Atomics.load(ctrl, Ctrl.published) >= count || this.answered(), Ctrl.published);
    if (this.answered()) await this.throwIfFailed();
  }

  private answered(): boolean {
    return Atomics.load(this.io.ctrl, Ctrl.answered) === this.request;
  }

  /**
   * After an answer: the worker's error (sent as one message before the answer), if it failed.
   * Kept per request: a streamed step learns of it while waiting for a gradient and then waits
   * for the answer too, and the message must not be awaited a second time.
   */
  private async throwIfFailed(): Promise<void> {
    if (Atomics.load(this.io.ctrl, Ctrl.failed) !== 1) return;
    if (this.stepError?.request !== this.request) this.stepError = { request: this.request, error: this.errorOf(await this.nextReply()) };
    throw this.stepError.error;
  }

  /** Polls `done` first, then sleeps on the control word `word` until notified (or the thread dies). */
  private async waitFor(done: () => boolean, word: number): Promise<void> {
    const { ctrl } = this.io;
    while (!done()) {
      if (spinUntil(done, SPIN_MS)) return;
      const value = Atomics.load(ctrl, word);
      if (done()) return;
      const wait = waitAsync(ctrl, word, value);
      if (wait.async) await Promise.race([wait.value, this.lost]);
    }
  }

  async terminate(): Promise<void> {
    if (!this.failure) this.post(Op.stop);
    this.failure ??= new ReplicaError(`training replica ${this.index} was closed`);
    await this.worker.terminate();
  }
}

export class ReplicaGroup {
  /** Where each variable starts in the flat weights and gradients, and the variables by name. */
  private readonly offsets: ReadonlyMap<string, number>;
  private readonly byName: ReadonlyMap<string, Variable>;

  private constructor(
    private readonly loaded: LoadedTf,
    private readonly shard0: ShardGradients,
    private readonly workers: readonly ReplicaWorker[],
    private readonly weights: Float32Array,
    private readonly opts: ReplicaGroupOptions,
  ) {
    this.offsets = variableOffsets(shard0.variables);
    this.byName = new Map(shard0.variables.map((v) => [v.name, v]));
  }

  /** Starts `replicas − 1` workers, each building `model`'s layers on the same backend. */
  static async start(loaded: LoadedTf, model: LayersModel, opts: ReplicaGroupOptions): Promise<ReplicaGroup> {
    const shard0 = new ShardGradients(loaded, model, opts.loss, opts.rowShape, opts.outUnits);
    const shapes = shard0.variables.map((v) => v.shape);
    const parameters = shapes.reduce((n, s) => n + sizeOf(s), 0);
    const shardCapacity = Math.ceil(opts.batchSize / opts.replicas);
    const rowSize = sizeOf(opts.rowShape);
    const layout = { seeds: shard0.seedsPerStep, shardCapacity, rowSize, outUnits: opts.outUnits, parameters };
    const weights = new SharedArrayBuffer(4 * parameters);
    const topology = model.toJSON(null, false);
    const workers: ReplicaWorker[] = [];
    try {
      for (let i = 1; i < opts.replicas; i++) {
        const io = ReplicaIo.allocate(layout);
        const thread = startModuleWorker(workerUrl);
        thread.unref();
        workers.push(new ReplicaWorker(i, thread, io));
      }
      await Promise.all(
        workers.map((w) =>
          w.init({
            op: 'init',
            backend: loaded.backend,
            topology,
            shapes,
            loss: opts.loss,
            rowShape: opts.rowShape,
            outUnits: opts.outUnits,
            layout,
            weights,
            io: w.io.buffer,
          }),
        ),
      );
    } catch (e) {
      await Promise.all(workers.map((w) => w.terminate()));
      shard0.dispose();
      throw learnError(
        LearnErrorCode.badParam,
        `replicas: ${opts.replicas} — a training thread could not rebuild the model: ${(e as Error).message}`,
        'Each replica rebuilds the model from its layer config, so custom layer classes (expert mode) cannot be used there. Set replicas: 1.',
      );
    }
    return new ReplicaGroup(loaded, shard0, workers, new Float32Array(weights), opts);
  }

  get variables(): readonly Variable[] {
    return this.shard0.variables;
  }

  /** Dropout seeds each step needs (for all shards, shard 0's first). */
  get seedsPerStep(): number {
    return this.shard0.seedsPerStep * this.opts.replicas;
  }

  /**
   * The gradient of the batch's loss, by variable name: shard 0 computed here while the workers
   * compute theirs, then added in shard order. The caller applies and disposes it; the weights
   * are assumed to change before the next call.
   */
  async gradients(batch: ShardRows, seeds: readonly number[]): Promise<NamedTensorMap> {
    const { tf } = this.loaded;
    const busy = this.postStep(batch, seeds);
    const grads = await this.computeShard0(batch, seeds, busy);
    try {
      await this.answers(busy);
      for (const v of this.variables) {
        const own = grads[v.name];
        if (own) grads[v.name] = this.addShards(v, own, busy);
      }
    } catch (e) {
      tf.dispose(Object.values(grads));
      throw e;
    }
    return grads;
  }

  /**
   * One training step of `optimizer` on the batch. Where the optimizer takes one variable at a time
   * (FusedAdam), each variable is added and updated as soon as every worker has written its
   * gradient — from the last layer back, while the workers still compute the first layers' — so
   * the serial part of a step overlaps the slower shard. The same sums and updates as
   * `gradients` + `optimizer.apply`, bit for bit.
   */
  async trainStep(batch: ShardRows, seeds: readonly number[], optimizer: TrainingOptimizer): Promise<void> {
    const { tf } = this.loaded;
    const update = optimizer.beginStep?.();
    if (update === undefined) {
      const grads = await this.gradients(batch, seeds);
      optimizer.apply(grads, this.variables);
      tf.dispose(Object.values(grads));
      return;
    }
    const busy = this.postStep(batch, seeds);
    const order: string[] = [];
    const grads = await this.computeShard0(batch, seeds, busy, (name) => order.push(name));
    try {
      for (let i = 0; i < order.length; i++) {
        await Promise.all(this.workers.map((w, k) => (busy[k] ? w.published(i + 1) : undefined)));
        const v = this.byName.get(order[i]!)!;
        const sum = this.addShards(v, grads[v.name]!, busy);
        delete grads[v.name];
        update(v, sum);
        sum.dispose();
      }
      await this.answers(busy);
    } catch (e) {
      await this.answers(busy).catch(() => {});
      throw e;
    } finally {
      tf.dispose(Object.values(grads));
    }
  }

  /** Writes the weights and each worker's rows, and posts their steps; which workers got rows. */
  private postStep(batch: ShardRows, seeds: readonly number[]): boolean[] {
    const rowSize = sizeOf(this.opts.rowShape);
    const { outUnits } = this.opts;
    const per = this.shard0.seedsPerStep;
    this.copyWeights();
    return this.workers.map((w, k) => {
      const [from, to] = this.bounds(k + 1, batch.count);
      if (to === from) return false;
      w.io.x.set(batch.x.subarray(from * rowSize, to * rowSize));
      w.io.y.set(batch.y.subarray(from * outUnits, to * outUnits));
      w.io.w.set(batch.w.subarray(from, to));
      w.post(Op.step, to - from, batch.count, seeds.slice((k + 1) * per, (k + 2) * per));
      return true;
    });
  }

  /** Rows [from, to) of shard i of a batch of `count`. */
  private bounds(i: number, count: number): readonly [number, number] {
    return [Math.floor((i * count) / this.opts.replicas), Math.floor(((i + 1) * count) / this.opts.replicas)];
  }

  /** Shard 0's gradients, on this thread; on failure waits for the workers first (their buffers are rewritten next step). */
  private async computeShard0(batch: ShardRows, seeds: readonly number[], busy: readonly boolean[], onGradient?: (name: string) => void): Promise<NamedTensorMap> {
    const [, to0] = this.bounds(0, batch.count);
    try {
      return this.shard0.compute({ x: batch.x, y: batch.y, w: batch.w, count: to0 }, batch.count, seeds.slice(0, this.shard0.seedsPerStep), onGradient);
    } catch (e) {
      await this.answers(busy).catch(() => {});
      throw e;
    }
  }

  private answers(busy: readonly boolean[]): Promise<unknown> {
    return Promise.all(this.workers.map((w, k) => (busy[k] ? w.answer() : undefined)));
  }

  /**
   * Shard 0's gradient of `v` plus the workers' in shard order (`own` is consumed). On typed
   * arrays — each store rounds to float32 as tf.add would — and in place in `own`'s storage where
   * the backend keeps it in JS-visible memory and no other tensor shares it (otherwise a copy).
   */
  private addShards(v: Variable, own: Tensor, busy: readonly boolean[]): Tensor {
    const { tf } = this.loaded;
    const at = this.offsets.get(v.name)!;
    const size = sizeOf(v.shape);
    const backendName = tf.getBackend();
    const inPlace = (backendName === 'wasm' || backendName === 'cpu') && own.dtype === 'float32' && tf.backend().refCount(own.dataId) === 1;
    const sum = inPlace ? kernelArrays(backendName, tf.backend()).read(own) : new Float32Array(own.dataSync() as Float32Array);
    this.workers.forEach((w, k) => {
      if (!busy[k]) return;
      const other = w.io.grads;
      for (let i = 0; i < size; i++) sum[i] = (sum[i] as number) + (other[at + i] as number);
    });
    if (inPlace) return own;
    own.dispose();
    return tf.tensor(sum, v.shape);
  }

  /** [weighted loss sum, hits] of every shard since the last call. */
  async takeSums(): Promise<[number, number]> {
    const sums = this.shard0.takeSums();
    for (const w of this.workers) {
      w.post(Op.sums);
      await w.answer();
      sums[0] += w.io.sums[0]!;
      sums[1] += w.io.sums[1]!;
    }
    return sums;
  }

  async dispose(): Promise<void> {
    this.shard0.dispose();
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private copyWeights(): void {
    for (const v of this.variables) this.weights.set(v.dataSync() as Float32Array, this.offsets.get(v.name)!);
  }
}
