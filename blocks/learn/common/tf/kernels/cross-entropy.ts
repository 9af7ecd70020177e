/**
 * Categorical cross-entropy of softmax outputs as one kernel with one gradient kernel, for the
 * JS-hosted backends. The same loss as the ops the training loop used before —
 *   loss = Σ_b w_b · (−Σ_c y_bc · ln clip(p_bc, ε, 1−ε)) / D      (w_b = 1 without class weights)
 * — which cost ~30 kernels per step forward and backward, with the accuracy count and the epoch
 * sums on top: for a small dense net, more than the network itself. D is the batch's row count B,
 * or the attr `divisor` when the rows are one shard of a larger batch (data-parallel training: the
 * shards' losses and gradients then add up to the whole batch's).
 *
 * `ImpulseCrossEntropy`: inputs pred [B, C], y [B, C], w [B] (row weights), and acc [2], an accumulator
 * owned by the caller that the kernel UPDATES IN PLACE: acc[0] += B · loss, acc[1] += the rows whose
 * first argmax of pred equals that of y (what tf.argMax/equal count). Output: the scalar loss.
 * Gradient (pred only): −w_b · y_bc / (D · p_bc) where ε ≤ p_bc ≤ 1−ε, else 0 (clipByValue's rule).
 */
import type { GradConfig, KernelFunc, Tensor, TensorInfo } from '@tensorflow/tfjs-core';
import type { TfCore } from '../load.js';
import { kernelArrays, type JsBackendName } from './access.js';

export const CROSS_ENTROPY = 'ImpulseCrossEntropy';
export const CROSS_ENTROPY_GRAD = 'ImpulseCrossEntropyGrad';

export interface CrossEntropyAttrs {
  readonly epsilon: number;
  /** D, the rows of the whole batch; omitted (or 0): this tensor's rows. */
  readonly divisor?: number;
}

/** The weighted loss sum of pred against y over D = divisor; adds D·loss and the hit count to acc. */
export function crossEntropy(
  pred: Float32Array,
  y: Float32Array,
  w: Float32Array,
  rows: number,
  classes: number,
  eps: number,
  acc: Float32Array,
  divisor: number = rows,
): number {
  let total = 0;
  let hits = 0;
  for (let b = 0, o = 0; b < rows; b++, o += classes) {
    let row = 0;
    let predBest = 0;
    let trueBest = 0;
    for (let c = 0; c < classes; c++) {
      const p = pred[o + c] as number;
      const t = y[o + c] as number;
      if (t !== 0) row -= t * Math.log(p < eps ? eps : p > 1 - eps ? 1 - eps : p);
      if (p > (pred[o + predBest] as number)) predBest = c;
      if (t > (y[o + trueBest] as number)) trueBest = c;
    }
    total += row * (w[b] as number);
    if (predBest === trueBest) hits++;
  }
  const loss = total / divisor;
  acc[0] = (acc[0] as number) + loss * divisor;
  acc[1] = (acc[1] as number) + hits;
  return loss;
}

/** d loss / d pred, scaled by the upstream gradient dy. */
export function crossEntropyGrad(
  pred: Float32Array,
  y: Float32Array,
  w: Float32Array,
  rows: number,
  classes: number,
  eps: number,
  dy: number,
  out: Float32Array,
  divisor: number = rows,
): void {
  for (let b = 0, o = 0; b < rows; b++, o += classes) {
    const scale = (-dy * (w[b] as number)) / divisor;
    for (let c = 0; c < classes; c++) {
      const p = pred[o + c] as number;
      const t = y[o + c] as number;
      out[o + c] = t !== 0 && p >= eps && p <= 1 - eps ? (scale * t) / p : 0;
    }
  }
}

function shapeOf(pred: TensorInfo): { rows: number; classes: number } {
  if (pred.shape.length !== 2) throw new Error(`${CROSS_ENTROPY}: pred must be [rows, classes], got [${pred.shape.join(', ')}]`);
  return { rows: pred.shape[0] as number, classes: pred.shape[1] as number };
}

export function makeCrossEntropy(_tf: TfCore, backendName: JsBackendName): KernelFunc {
  return (args) => {
    const { inputs, backend } = args;
    const { epsilon, divisor } = args.attrs as unknown as CrossEntropyAttrs;
    const { pred, y, w, acc } = inputs;
    if (pred === undefined || y === undefined || w === undefined || acc === undefined) throw new Error(`${CROSS_ENTROPY}: needs inputs pred, y, w, acc`);
    const { rows, classes } = shapeOf(pred);
    const arrays = kernelArrays(backendName, backend);
    const out = arrays.alloc([]);
    const loss = crossEntropy(arrays.read(pred), arrays.read(y), arrays.read(w), rows, classes, epsilon, arrays.read(acc), divisor || rows);
    arrays.read(out)[0] = loss;
    return out;
  };
}

export function makeCrossEntropyGrad(_tf: TfCore, backendName: JsBackendName): KernelFunc {
  return (args) => {
    const { inputs, backend } = args;
    const { epsilon, divisor } = args.attrs as unknown as CrossEntropyAttrs;
    const { dy, pred, y, w } = inputs;
    if (dy === undefined || pred === undefined || y === undefined || w === undefined) throw new Error(`${CROSS_ENTROPY_GRAD}: needs inputs dy, pred, y, w`);
    const { rows, classes } = shapeOf(pred);
    const arrays = kernelArrays(backendName, backend);
    const out = arrays.alloc(pred.shape);
    crossEntropyGrad(arrays.read(pred), arrays.read(y), arrays.read(w), rows, classes, epsilon, arrays.read(dy)[0] as number, arrays.read(out), divisor || rows);
    return out;
  };
}

/** The gradient of ImpulseCrossEntropy with respect to pred (y, w and acc are not differentiated). */
export function crossEntropyGradConfig(tf: TfCore): GradConfig {
  return {
    kernelName: CROSS_ENTROPY,
    inputsToSave: ['pred', 'y', 'w'],
    gradFunc: (dy, saved, attrs) => {
      const [pred, y, w] = saved as [Tensor, Tensor, Tensor];
      return {
        pred: () => tf.engine().runKernel(CROSS_ENTROPY_GRAD, { dy: dy as Tensor, pred, y, w }, attrs as never) as Tensor,
      };
    },
  };
}
