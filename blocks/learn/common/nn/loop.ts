/**
 * The custom training loop of the neural learn blocks. Deterministic for a seed and a backend:
 * our own seeded shuffle (model.fit's shuffle uses Math.random), seeded dropout masks that change
 * every step, per-row sample weights (class weights), a learning-rate schedule, validation on
 * rows held out from TRAINING, and early stopping that restores the best weights.
 */
import type { Scalar, Tensor, Variable } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { StageContext } from '../../../../core/plugin/types.js';
import type { LoadedTf } from '../tf/load.js';
import type { EarlyStoppingParams } from '../params.js';
import { Rng } from '../random.js';
import { learningRateAt, type Schedule } from '../schedule.js';
import { dropoutLayers } from './build.js';
import { makeOptimizer } from './optimizer.js';
import { ReplicaGroup } from './replicas.js';
import { CROSS_ENTROPY_EPSILON, ShardGradients, shardsSupported } from './shard-gradients.js';
import { trainingForward } from './training-forward.js';

/** Rows (n × rowSize), targets (n × outUnits) and optional per-row weights. */
export interface FitData {
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly n: number;
  readonly weights?: Float32Array;
}

export interface FitOptions {
  readonly rowShape: readonly number[];
  readonly outUnits: number;
  readonly loss: 'crossentropy' | 'mse';
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly optimizer: 'adam' | 'sgd';
  readonly schedule: Schedule;
  readonly earlyStopping: EarlyStoppingParams;
  readonly seed: number;
  /** Changes a batch in place (training batches only). */
  readonly augment?: (batch: Float32Array, count: number, rng: Rng) => void;
  /** Formats the loss for the log (e.g. MSE in target units). */
  readonly lossLabel?: string;
  /** Data-parallel training: each batch split over this many threads (default 1; see replicas.ts). */
  readonly replicas?: number;
}

export interface EpochRecord {
  readonly epoch: number;
  readonly loss: number;
  readonly acc?: number;
  readonly valLoss?: number;
  readonly valAcc?: number;
  readonly learningRate: number;
  readonly seconds: number;
}

export interface FitResult {
  readonly epochs: EpochRecord[];
  /** 1-based epoch whose weights the model holds at the end. */
  readonly bestEpoch: number;
  readonly stoppedEarly: boolean;
  readonly monitor: 'val_loss' | 'loss';
}

const EPS = CROSS_ENTROPY_EPSILON;

export async function fit(
  loaded: LoadedTf,
  model: LayersModel,
  train: FitData,
  val: FitData | undefined,
  opts: FitOptions,
  ctx: StageContext,
): Promise<FitResult> {
  const { tf } = loaded;
  const rowSize = opts.rowShape.reduce((a, b) => a * b, 1);
  const classification = opts.loss === 'crossentropy';
  const rng = Rng.for(opts.seed, 'training');
  const dropouts = dropoutLayers(model);
  const vars = model.trainableWeights.map((w) => w.read() as Variable);
  const optimizer = makeOptimizer(loaded, opts.optimizer, opts.learningRate);

  const perRowLoss = (pred: Tensor, y: Tensor): Tensor =>
    classification ? tf.neg(tf.sum(tf.mul(y, tf.log(tf.clipByValue(pred, EPS, 1 - EPS))), -1)) : tf.mean(tf.square(tf.sub(pred, y)), -1);

  const batch = Math.min(opts.batchSize, train.n);
  const xBuf = new Float32Array(batch * rowSize);
  const yBuf = new Float32Array(batch * opts.outUnits);
  const wBuf = new Float32Array(batch);
  const group = await startReplicas(loaded, model, opts, batch, ctx);
  // cross-entropy, its gradient, the accuracy count and the epoch sums in one kernel where the
  // backend has it (WASM, CPU): the sharded step, on this thread alone without replicas
  const shard = !group && classification && shardsSupported(loaded, opts.loss) ? new ShardGradients(loaded, model, opts.loss, opts.rowShape, opts.outUnits) : undefined;
  // the tape step of the other cases (MSE, or backends without the fused loss)
  const forward = group || shard ? undefined : (trainingForward(loaded, model) ?? ((x: Tensor) => model.apply(x, { training: true }) as Tensor));

  const history: EpochRecord[] = [];
  const monitor = val && val.n > 0 ? 'val_loss' : 'loss';
  let best = Number.POSITIVE_INFINITY;
  let bestEpoch = 0;
  let bestWeights: Tensor[] | undefined;
  let wait = 0;
  let stoppedEarly = false;
  const started = Date.now();

  try {
    for (let epoch = 0; epoch < opts.epochs; epoch++) {
      const t0 = Date.now();
      const lr = learningRateAt(opts.schedule, opts.learningRate, epoch, opts.epochs);
      optimizer.setLearningRate(lr);
      const order = rng.permutation(train.n);
      // Summed on the backend and read once per epoch: reading every step forces a sync.
      let lossSum: Tensor = tf.scalar(0);
      let correct: Tensor = tf.scalar(0);
      for (let start = 0; start < train.n; start += batch) {
        if (ctx.signal.aborted) throw ctx.signal.reason ?? new Error('aborted');
        const count = Math.min(batch, train.n - start);
        for (let k = 0; k < count; k++) {
          const r = order[start + k]!;
          xBuf.set(train.x.subarray(r * rowSize, (r + 1) * rowSize), k * rowSize);
          yBuf.set(train.y.subarray(r * opts.outUnits, (r + 1) * opts.outUnits), k * opts.outUnits);
          wBuf[k] = train.weights ? train.weights[r]! : 1;
        }
        opts.augment?.(xBuf.subarray(0, count * rowSize), count, rng);
        const sharded = group ?? shard;
        if (sharded) {
          const seeds = Array.from({ length: sharded.seedsPerStep }, () => rng.seed());
          const rows = { x: xBuf, y: yBuf, w: wBuf, count };
          if (group) {
            await group.trainStep(rows, seeds, optimizer);
          } else {
            // the single-thread step stays synchronous: an await per step is measurable on small nets
            const grads = shard!.compute(rows, count, seeds);
            optimizer.apply(grads, vars);
            tf.dispose(Object.values(grads));
          }
        } else {
          for (const d of dropouts) d.seed = rng.seed();
          const xb = tf.tensor(xBuf.slice(0, count * rowSize), [count, ...opts.rowShape]);
          const yb = tf.tensor2d(yBuf.slice(0, count * opts.outUnits), [count, opts.outUnits]);
          const wb = train.weights ? tf.tensor1d(wBuf.slice(0, count)) : undefined;
          let hits: Tensor | undefined;
          const cost = optimizer.minimize(() => {
            const pred = forward!(xb);
            if (classification) hits = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(pred, -1), tf.argMax(yb, -1)), 'float32')));
            const rows = perRowLoss(pred, yb);
            return (wb ? tf.mean(tf.mul(rows, wb)) : tf.mean(rows)) as Scalar;
          }, vars);
          const nextLoss = tf.add(lossSum, tf.mul(cost, count));
          const nextCorrect = hits ? tf.add(correct, hits) : correct;
          tf.dispose([xb, yb, cost, lossSum, ...(hits ? [correct, hits] : []), ...(wb ? [wb] : [])]);
          lossSum = nextLoss;
          correct = nextCorrect;
        }
        // Let the event loop breathe (progress view, cancellation) without a device sync.
        if ((start / batch) % 16 === 15) await new Promise((r) => setImmediate(r));
      }
      const sums = group ? await group.takeSums() : shard ? shard.takeSums() : [(await lossSum.data())[0]!, (await correct.data())[0]!];
      const loss = sums[0]! / train.n;
      const correctCount = sums[1]!;
      tf.dispose([lossSum, correct]);
      const v = val && val.n > 0 ? await evaluate(loaded, model, val, opts, perRowLoss) : undefined;
      const record: EpochRecord = {
        epoch: epoch + 1,
        loss,
        ...(classification ? { acc: correctCount / train.n } : {}),
        ...(v ? { valLoss: v.loss, ...(classification ? { valAcc: v.acc } : {}) } : {}),
        learningRate: lr,
        seconds: (Date.now() - t0) / 1000,
      };
      history.push(record);

      const watched = monitor === 'val_loss' ? record.valLoss! : loss;
      const minDelta = opts.earlyStopping ? opts.earlyStopping.minDelta : 0;
      if (watched < best - minDelta || bestEpoch === 0) {
        best = watched;
        bestEpoch = epoch + 1;
        wait = 0;
        if (opts.earlyStopping) {
          tf.dispose(bestWeights ?? []);
          bestWeights = model.getWeights().map((t) => t.clone());
        }
      } else {
        wait++;
      }
      const elapsed = (Date.now() - started) / 1000;
      const eta = (elapsed / (epoch + 1)) * (opts.epochs - epoch - 1);
      ctx.progress(epoch + 1, opts.epochs, 'epochs');
      ctx.log(formatEpoch(record, opts.epochs, eta));
      if (opts.earlyStopping && wait >= opts.earlyStopping.patience && epoch + 1 < opts.epochs) {
        stoppedEarly = true;
        ctx.log(`early stopping: ${monitor} has not improved for ${wait} epochs; restoring epoch ${bestEpoch} (${monitor} ${fmt(best)})`);
        break;
      }
    }
    if (opts.earlyStopping && bestWeights) {
      model.setWeights(bestWeights);
      if (!stoppedEarly && bestEpoch !== history.length) ctx.log(`restoring the best epoch ${bestEpoch} (${monitor} ${fmt(best)})`);
    } else {
      bestEpoch = history.length;
    }
  } finally {
    tf.dispose(bestWeights ?? []);
    optimizer.dispose();
    shard?.dispose();
    await group?.dispose();
  }
  return { epochs: history, bestEpoch, stoppedEarly, monitor };
}

/** The worker replicas of data-parallel training, or undefined to train on this thread alone. */
async function startReplicas(loaded: LoadedTf, model: LayersModel, opts: FitOptions, batch: number, ctx: StageContext): Promise<ReplicaGroup | undefined> {
  const replicas = Math.min(opts.replicas ?? 1, batch);
  if (replicas <= 1) return undefined;
  if (!shardsSupported(loaded, opts.loss)) {
    ctx.log(`replicas: ${replicas} needs the fused cross-entropy kernel, which backend '${loaded.backend}' lacks; training on one thread`);
    return undefined;
  }
  ctx.log(`data-parallel training: each batch of ${batch} split over ${replicas} replicas (threads)`);
  ctx.report?.({ threads: replicas });
  return ReplicaGroup.start(loaded, model, { replicas, loss: opts.loss, rowShape: opts.rowShape, outUnits: opts.outUnits, batchSize: batch });
}

/** Mean (unweighted) loss and accuracy of `data`, in inference mode. */
async function evaluate(
  loaded: LoadedTf,
  model: LayersModel,
  data: FitData,
  opts: FitOptions,
  perRowLoss: (pred: Tensor, y: Tensor) => Tensor,
): Promise<{ loss: number; acc: number }> {
  const { tf } = loaded;
  const rowSize = opts.rowShape.reduce((a, b) => a * b, 1);
  let loss = 0;
  let correct = 0;
  const step = 256;
  for (let start = 0; start < data.n; start += step) {
    const count = Math.min(step, data.n - start);
    const [l, c] = tf.tidy(() => {
      const x = tf.tensor(data.x.subarray(start * rowSize, (start + count) * rowSize), [count, ...opts.rowShape]);
      const y = tf.tensor2d(data.y.subarray(start * opts.outUnits, (start + count) * opts.outUnits), [count, opts.outUnits]);
      const pred = model.predict(x) as Tensor;
      return [tf.sum(perRowLoss(pred, y)), tf.sum(tf.cast(tf.equal(tf.argMax(pred, -1), tf.argMax(y, -1)), 'float32'))];
    });
    loss += (await l.data())[0]!;
    correct += (await c.data())[0]!;
    tf.dispose([l, c]);
  }
  return { loss: loss / data.n, acc: correct / data.n };
}

/** Runs the model over `x` (n rows) in batches; returns the flat outputs. */
export async function predictRows(loaded: LoadedTf, model: LayersModel, x: Float32Array, n: number, rowShape: readonly number[]): Promise<Float32Array> {
  const { tf } = loaded;
  const rowSize = rowShape.reduce((a, b) => a * b, 1);
  const outUnits = (model.outputs[0]!.shape[1] as number | null) ?? 1;
  const out = new Float32Array(n * outUnits);
  const step = 256;
  for (let start = 0; start < n; start += step) {
    const count = Math.min(step, n - start);
    const pred = tf.tidy(() => model.predict(tf.tensor(x.subarray(start * rowSize, (start + count) * rowSize), [count, ...rowShape])) as Tensor);
    out.set(await pred.data(), start * outUnits);
    pred.dispose();
  }
  return out;
}

function fmt(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(1) : v.toFixed(4);
}

function formatEpoch(r: EpochRecord, epochs: number, eta: number): string {
  const parts = [`epoch ${r.epoch}/${epochs}`, `loss ${fmt(r.loss)}`];
  if (r.acc !== undefined) parts.push(`acc ${r.acc.toFixed(3)}`);
  if (r.valLoss !== undefined) parts.push(`val_loss ${fmt(r.valLoss)}`);
  if (r.valAcc !== undefined) parts.push(`val_acc ${r.valAcc.toFixed(3)}`);
  parts.push(`lr ${r.learningRate.toPrecision(3)}`, `ETA ${eta < 60 ? `${Math.round(eta)}s` : `${Math.floor(eta / 60)}m${Math.round(eta % 60)}s`}`);
  return parts.join(' ');
}
