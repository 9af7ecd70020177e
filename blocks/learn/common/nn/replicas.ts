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
import type { LoadedTf } from '../../../../core/tf/load.js';
import { siblingModuleUrl, startModuleWorker } from '../../../../core/util/module-worker.js';
import { learnError, LearnErrorCode } from '../errors.js';
import { elementCount, ReplicaIo, type ReplicaReply, type ReplicaRequest } from './replica-protocol.js';
import { ShardGradients, type LossKind, type ShardRows } from './shard-gradients.js';

const workerUrl = siblingModuleUrl(import.meta.url, 'replica-worker');

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

/** A batch in flat buffers: rows [0, count) of x, y and w. */
export type BatchRows = ShardRows;

class ReplicaWorker {
  private waiting: { resolve: (r: ReplicaReply) => void; reject: (e: Error) => void } | undefined;
  private failure: Error | undefined;

  constructor(
    readonly index: number,
    private readonly worker: Worker,
    readonly io: ReplicaIo,
  ) {
    worker.on('message', (reply: ReplicaReply) => {
      const w = this.waiting;
      this.waiting = undefined;
      w?.resolve(reply);
    });
    const lost = (e: Error) => {
      this.failure ??= new ReplicaError(`training replica ${index} stopped: ${e.message}`);
      const w = this.waiting;
      this.waiting = undefined;
      w?.reject(this.failure);
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`its thread exited (code ${code})`)));
  }

  /** Sends `msg` and resolves with the reply (one request at a time). */
  request(msg: ReplicaRequest): Promise<ReplicaReply & { ok: true }> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting = {
        resolve: (r) => (r.ok ? resolve(r) : reject(Object.assign(new ReplicaError(`training replica ${this.index}: ${r.error}`), { stack: r.stack }))),
        reject,
      };
      this.worker.postMessage(msg);
    });
  }

  terminate(): Promise<number> {
    this.failure ??= new ReplicaError(`training replica ${this.index} was closed`);
    return this.worker.terminate();
  }
}

export class ReplicaGroup {
  private constructor(
    private readonly loaded: LoadedTf,
    private readonly shard0: ShardGradients,
    private readonly workers: readonly ReplicaWorker[],
    private readonly weights: Float32Array,
    private readonly opts: ReplicaGroupOptions,
  ) {}

  /** Starts `replicas − 1` workers, each building `model`'s layers on the same backend. */
  static async start(loaded: LoadedTf, model: LayersModel, opts: ReplicaGroupOptions): Promise<ReplicaGroup> {
    const shard0 = new ShardGradients(loaded, model, opts.loss, opts.rowShape, opts.outUnits);
    const shapes = shard0.variables.map((v) => v.shape);
    const parameters = shapes.reduce((n, s) => n + elementCount(s), 0);
    const shardCapacity = Math.ceil(opts.batchSize / opts.replicas);
    const rowSize = elementCount(opts.rowShape);
    const weights = new SharedArrayBuffer(4 * parameters);
    const topology = model.toJSON(null, false);
    const workers: ReplicaWorker[] = [];
    try {
      for (let i = 1; i < opts.replicas; i++) {
        const io = new ReplicaIo(new SharedArrayBuffer(ReplicaIo.bytes(shardCapacity, rowSize, opts.outUnits, parameters)), shardCapacity, rowSize, opts.outUnits, parameters);
        const thread = startModuleWorker(workerUrl);
        thread.unref();
        workers.push(new ReplicaWorker(i, thread, io));
      }
      await Promise.all(
        workers.map((w) =>
          w.request({
            op: 'init',
            backend: loaded.backend,
            topology,
            shapes,
            loss: opts.loss,
            rowShape: opts.rowShape,
            outUnits: opts.outUnits,
            shardCapacity,
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

  get replicas(): number {
    return this.opts.replicas;
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
  async gradients(batch: BatchRows, seeds: readonly number[]): Promise<NamedTensorMap> {
    const { tf } = this.loaded;
    const { count } = batch;
    const rowSize = elementCount(this.opts.rowShape);
    const { outUnits } = this.opts;
    const per = this.shard0.seedsPerStep;
    const bounds = (i: number) => [Math.floor((i * count) / this.opts.replicas), Math.floor(((i + 1) * count) / this.opts.replicas)] as const;
    this.copyWeights();
    const pending: Array<Promise<unknown> | undefined> = this.workers.map((w, k) => {
      const [from, to] = bounds(k + 1);
      if (to === from) return undefined;
      w.io.x.set(batch.x.subarray(from * rowSize, to * rowSize));
      w.io.y.set(batch.y.subarray(from * outUnits, to * outUnits));
      w.io.w.set(batch.w.subarray(from, to));
      return w.request({ op: 'step', count: to - from, divisor: count, seeds: seeds.slice((k + 1) * per, (k + 2) * per) });
    });
    const [, to0] = bounds(0);
    let grads: NamedTensorMap;
    try {
      grads = this.shard0.compute({ x: batch.x, y: batch.y, w: batch.w, count: to0 }, count, seeds.slice(0, per));
    } finally {
      // a failed shard 0 must not leave a worker's reply unobserved
      await Promise.allSettled(pending);
    }
    try {
      await Promise.all(pending);
    } catch (e) {
      tf.dispose(Object.values(grads));
      throw e;
    }
    let at = 0;
    for (const v of this.variables) {
      const size = elementCount(v.shape);
      const own = grads[v.name];
      if (own) {
        let sum: Tensor = own;
        this.workers.forEach((w, k) => {
          if (pending[k] === undefined) return;
          const other = tf.tensor(w.io.grads.slice(at, at + size), v.shape);
          const next = tf.add(sum, other);
          tf.dispose([other, sum]);
          sum = next;
        });
        grads[v.name] = sum;
      }
      at += size;
    }
    return grads;
  }

  /** [weighted loss sum, hits] of every shard since the last call. */
  async takeSums(): Promise<[number, number]> {
    const sums = this.shard0.takeSums();
    for (const w of this.workers) {
      const reply = await w.request({ op: 'sums' });
      sums[0] += reply.sums![0];
      sums[1] += reply.sums![1];
    }
    return sums;
  }

  async dispose(): Promise<void> {
    this.shard0.dispose();
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private copyWeights(): void {
    let at = 0;
    for (const v of this.variables) {
      this.weights.set(v.dataSync() as Float32Array, at);
      at += elementCount(v.shape);
    }
  }
}
