/** Worker thread body of a training replica (replicas.ts): computes one shard's gradients per step. */
import { parentPort } from 'node:worker_threads';
import type { Variable } from '@tensorflow/tfjs-core';
import { loadTf, type LoadedTf } from '../../../../core/tf/load.js';
import { elementCount, ReplicaIo, type ReplicaInit, type ReplicaReply, type ReplicaRequest, type ReplicaStep } from './replica-protocol.js';
import { ShardGradients } from './shard-gradients.js';

interface Replica {
  readonly loaded: LoadedTf;
  readonly shard: ShardGradients;
  readonly weights: Float32Array;
  readonly io: ReplicaIo;
}

let replica: Replica | undefined;

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
  const parameters = shapes.reduce((n, s) => n + elementCount(s), 0);
  const io = new ReplicaIo(msg.io, msg.shardCapacity, elementCount(msg.rowShape), msg.outUnits, parameters);
  return { loaded, shard, weights: new Float32Array(msg.weights), io };
}

function step(r: Replica, msg: ReplicaStep): void {
  const { tf } = r.loaded;
  const vars = r.shard.variables;
  loadWeights(r, vars);
  const grads = r.shard.compute({ x: r.io.x, y: r.io.y, w: r.io.w, count: msg.count }, msg.divisor, msg.seeds);
  let at = 0;
  for (const v of vars) {
    const g = grads[v.name];
    const size = elementCount(v.shape);
    if (g) r.io.grads.set(g.dataSync() as Float32Array, at);
    else r.io.grads.fill(0, at, at + size);
    at += size;
  }
  tf.dispose(Object.values(grads));
}

function loadWeights(r: Replica, vars: readonly Variable[]): void {
  const { tf } = r.loaded;
  let at = 0;
  for (const v of vars) {
    const size = elementCount(v.shape);
    // a copy: the CPU backend would keep a view of the shared buffer as the variable's storage
    const t = tf.tensor(r.weights.slice(at, at + size), v.shape);
    v.assign(t);
    t.dispose();
    at += size;
  }
}

parentPort!.on('message', async (msg: ReplicaRequest) => {
  let reply: ReplicaReply;
  try {
    if (msg.op === 'init') {
      replica = await init(msg);
      reply = { ok: true };
    } else if (!replica) {
      throw new Error(`replica got '${msg.op}' before 'init'`);
    } else if (msg.op === 'step') {
      step(replica, msg);
      reply = { ok: true };
    } else {
      reply = { ok: true, sums: replica.shard.takeSums() };
    }
  } catch (e) {
    const err = e as Error;
    reply = { ok: false, error: err?.message ?? String(e), ...(err?.stack ? { stack: err.stack } : {}) };
  }
  parentPort!.postMessage(reply);
});
