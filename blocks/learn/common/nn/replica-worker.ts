/**
 * Worker thread body of a training replica (replicas.ts): set up by one ReplicaInit message, then
 * it serves steps from the shared control block (replica-protocol.ts) until told to stop.
 */
import { parentPort } from 'node:worker_threads';
import type { Tensor, Variable } from '@tensorflow/tfjs-core';
import { loadTf, type LoadedTf } from '../tf/load.js';
import { sizeOf } from '../tf/kernels/access.js';
import { Ctrl, Op, ReplicaIo, SPIN_MS, spinWhileEquals, variableOffsets, type ReplicaInit, type ReplicaReply } from './replica-protocol.js';
import { ShardGradients } from './shard-gradients.js';

interface Replica {
  readonly loaded: LoadedTf;
  readonly shard: ShardGradients;
  /** Where each variable's values start in the flat weights and gradients. */
  readonly offsets: ReadonlyMap<string, number>;
  readonly weights: Float32Array;
  readonly io: ReplicaIo;
}

async function init(msg: ReplicaInit): Promise<Replica> {
  // the same backend as the main thread, or the shards would not compute alike
  process.env['IMPULSE_TF_BACKEND'] = msg.backend;
  const loaded = await loadTf();
  if (loaded.backend !== msg.backend) throw new Error(`the replica got TF.js backend '${loaded.backend}', the main thread has '${msg.backend}'`);
  const model = await loaded.layers.models.modelFromJSON(msg.topology as never);
  const shard = new ShardGradients(loaded, model, msg.loss, msg.rowShape, msg.outUnits);
  const shapes = shard.variables.map((v) => v.shape);
  if (JSON.stringify(shapes) !== JSON.stringify(msg.shapes)) {
    throw new Error(`the rebuilt model has variables ${JSON.stringify(shapes)}, the trained one ${JSON.stringify(msg.shapes)}`);
  }
  const io = new ReplicaIo(msg.io, msg.layout);
  const offsets = variableOffsets(shard.variables);
  return { loaded, shard, offsets, weights: new Float32Array(msg.weights), io };
}

function step(r: Replica): void {
  const { ctrl } = r.io;
  const vars = r.shard.variables;
  loadWeights(r, vars);
  const seeds = Array.from(ctrl.subarray(Ctrl.seeds, Ctrl.seeds + r.shard.seedsPerStep));
  // each gradient goes out as soon as the backward pass has it: the main thread adds and applies
  // it while this thread computes the rest
  const written = new Set<string>();
  const publish = (name: string, grad: Tensor) => {
    const at = r.offsets.get(name);
    if (at === undefined || written.has(name)) return;
    r.io.grads.set(grad.dataSync() as Float32Array, at);
    written.add(name);
    Atomics.store(ctrl, Ctrl.published, written.size);
    Atomics.notify(ctrl, Ctrl.published);
  };
  const grads = r.shard.compute({ x: r.io.x, y: r.io.y, w: r.io.w, count: ctrl[Ctrl.count]! }, ctrl[Ctrl.divisor]!, seeds, publish);
  r.loaded.tf.dispose(Object.values(grads));
  // a variable without a gradient (possible on the tape) counts as zeros
  for (const v of vars) {
    if (written.has(v.name)) continue;
    const at = r.offsets.get(v.name)!;
    r.io.grads.fill(0, at, at + sizeOf(v.shape));
    written.add(v.name);
    Atomics.store(ctrl, Ctrl.published, written.size);
  }
}

function loadWeights(r: Replica, vars: readonly Variable[]): void {
  const { tf } = r.loaded;
  for (const v of vars) {
    const at = r.offsets.get(v.name)!;
    // a copy: the CPU backend would keep a view of the shared buffer as the variable's storage
    const t = tf.tensor(r.weights.slice(at, at + sizeOf(v.shape)), v.shape);
    v.assign(t);
    t.dispose();
  }
}

/** Answers requests from the control block until Op.stop. Blocks this thread (it has nothing else to do). */
function serve(r: Replica): void {
  const { ctrl } = r.io;
  // 0, not a fresh load: the first request may already be there (posted right after the init reply)
  let last = 0;
  for (;;) {
    if (!spinWhileEquals(ctrl, Ctrl.request, last, SPIN_MS)) Atomics.wait(ctrl, Ctrl.request, last);
    const request = Atomics.load(ctrl, Ctrl.request);
    if (request === last) continue;
    last = request;
    const op = ctrl[Ctrl.op];
    let failed = 0;
    try {
      if (op === Op.step) step(r);
      else if (op === Op.sums) r.io.sums.set(r.shard.takeSums());
    } catch (e) {
      failed = 1;
      const err = e as Error;
      // sent before the answer is published: the main thread reads it after seeing `failed`
      parentPort!.postMessage({ ok: false, error: err?.message ?? String(e), ...(err?.stack ? { stack: err.stack } : {}) } satisfies ReplicaReply);
    }
    Atomics.store(ctrl, Ctrl.failed, failed);
    Atomics.store(ctrl, Ctrl.answered, request);
    Atomics.notify(ctrl, Ctrl.answered);
    // the main thread may sleep on either word (a failed step publishes no more gradients)
    Atomics.notify(ctrl, Ctrl.published);
    if (op === Op.stop) return;
  }
}

parentPort!.once('message', async (msg: ReplicaInit) => {
  let replica: Replica;
  try {
    replica = await init(msg);
  } catch (e) {
    const err = e as Error;
    parentPort!.postMessage({ ok: false, error: err?.message ?? String(e), ...(err?.stack ? { stack: err.stack } : {}) } satisfies ReplicaReply);
    return;
  }
  parentPort!.postMessage({ ok: true } satisfies ReplicaReply);
  serve(replica);
  parentPort!.close();
});
