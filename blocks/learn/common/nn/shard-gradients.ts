/**
 * The gradients of one shard of a training batch, for data-parallel training (replicas.ts): the
 * loss is the shard's weighted loss SUM divided by the rows of the WHOLE batch, so the shards'
 * gradients add up to the batch's gradient. The same class runs on the main thread (shard 0) and in
 * every replica worker (replica-worker.ts), so all shards compute alike.
 */
import type { NamedTensorMap, Scalar, Tensor, Variable } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { LoadedTf } from '../tf/load.js';
import { CROSS_ENTROPY } from '../tf/kernels/cross-entropy.js';
import { dropoutLayers } from './build.js';
import { DirectBackprop } from './direct-backprop.js';
import { trainingForward, type TrainingForward } from './training-forward.js';

export type LossKind = 'crossentropy' | 'mse';

/** Clip of probabilities in the cross-entropy (the loop's ε). */
export const CROSS_ENTROPY_EPSILON = 1e-7;

/** Rows of one shard in flat buffers (the first `count` rows are used). */
export interface ShardRows {
  readonly x: Float32Array;
  readonly y: Float32Array;
  /** Per-row loss weights (1 without class weights). */
  readonly w: Float32Array;
  readonly count: number;
}

/** Whether shards of `loss` can be trained on this backend (cross-entropy needs the fused kernel). */
export function shardsSupported(loaded: LoadedTf, loss: LossKind): boolean {
  return loss === 'mse' || loaded.tf.getKernel(CROSS_ENTROPY, loaded.tf.getBackend()) !== undefined;
}

export class ShardGradients {
  private readonly vars: Variable[];
  private readonly dropouts: Array<{ seed?: number }>;
  private readonly rowSize: number;
  private readonly forward: TrainingForward;
  /** Cross-entropy steps of nets it covers, without the tape (direct-backprop.ts). */
  private readonly direct: DirectBackprop | undefined;
  /** [loss sum, hits] of cross-entropy steps, updated in place by the kernel. */
  private acc: Tensor | undefined;
  private mseSum = 0;

  constructor(
    private readonly loaded: LoadedTf,
    model: LayersModel,
    private readonly loss: LossKind,
    private readonly rowShape: readonly number[],
    private readonly outUnits: number,
    options: { readonly tape?: boolean } = {},
  ) {
    if (!shardsSupported(loaded, loss)) throw new Error(`sharded cross-entropy needs the ${CROSS_ENTROPY} kernel, which backend '${loaded.backend}' does not have`);
    this.vars = model.trainableWeights.map((w) => w.read() as Variable);
    this.dropouts = dropoutLayers(model);
    this.rowSize = rowShape.reduce((a, b) => a * b, 1);
    this.forward = trainingForward(loaded, model) ?? ((x) => model.apply(x, { training: true }) as Tensor);
    this.direct = loss === 'crossentropy' && !options.tape ? DirectBackprop.for(loaded, model, outUnits, CROSS_ENTROPY_EPSILON) : undefined;
  }

  /** Whether steps run without TF.js's tape (direct-backprop.ts). */
  get isDirect(): boolean {
    return this.direct !== undefined;
  }

  get variables(): readonly Variable[] {
    return this.vars;
  }

  /** Dropout layers need this many seeds per shard and step. */
  get seedsPerStep(): number {
    return this.dropouts.length;
  }

  /**
   * Gradients of the shard's loss sum / `divisor`, by variable name; the caller disposes them.
   * `onGradient` sees each one as soon as it is computed (on the direct path, layer by layer from
   * the output; on the tape, all at the end in variable order).
   */
  compute(rows: ShardRows, divisor: number, dropoutSeeds: readonly number[], onGradient?: (name: string, grad: Tensor) => void): NamedTensorMap {
    const { tf } = this.loaded;
    const { count } = rows;
    this.dropouts.forEach((d, i) => (d.seed = dropoutSeeds[i]));
    if (this.direct) return this.direct.gradients(rows, divisor, (this.acc ??= tf.keep(tf.zeros([2]))), onGradient);
    const xb = tf.tensor(rows.x.slice(0, count * this.rowSize), [count, ...this.rowShape]);
    const yb = tf.tensor2d(rows.y.slice(0, count * this.outUnits), [count, this.outUnits]);
    const wb = tf.tensor1d(rows.w.slice(0, count));
    let acc: Tensor | undefined;
    if (this.loss === 'crossentropy') acc = this.acc ??= tf.keep(tf.zeros([2]));
    const { value, grads } = tf.variableGrads(() => {
      const pred = this.forward(xb);
      if (acc) return tf.engine().runKernel(CROSS_ENTROPY, { pred, y: yb, w: wb, acc }, { epsilon: CROSS_ENTROPY_EPSILON, divisor }) as Scalar;
      return tf.div(tf.sum(tf.mul(tf.mean(tf.square(tf.sub(pred, yb)), -1), wb)), divisor) as Scalar;
    }, this.vars);
    if (!acc) this.mseSum += value.dataSync()[0]! * divisor;
    tf.dispose([xb, yb, wb, value]);
    if (onGradient) for (const v of this.vars) if (grads[v.name]) onGradient(v.name, grads[v.name]!);
    return grads;
  }

  /** [weighted loss sum, hits] since the last call (hits: 0 for mse). */
  takeSums(): [number, number] {
    if (this.loss === 'mse') {
      const sums: [number, number] = [this.mseSum, 0];
      this.mseSum = 0;
      return sums;
    }
    if (!this.acc) return [0, 0];
    const [loss, hits] = this.acc.dataSync();
    this.acc.dispose();
    this.acc = undefined;
    return [loss!, hits!];
  }

  dispose(): void {
    this.acc?.dispose();
    this.acc = undefined;
  }
}
