/**
 * One Adam step for one variable as a single kernel (`ImpulseAdamUpdate`), for the JS-hosted
 * backends. TF.js's own Adam runs ~12 kernels per variable per step; for a small dense net that
 * bookkeeping (not the arithmetic) was ~40% of a training step here.
 *
 * Inputs: param, grad, and the optimizer's moment slots m and v, which the kernel UPDATES IN PLACE
 * (they belong to the optimizer alone; see FusedAdam in blocks/learn/common/nn/optimizer.ts).
 * Output: the new parameter values (a new tensor: the variable's old values may be shared, e.g. by
 * a clone kept as the best weights). Same arithmetic as tf.train.adam, in float64 per element:
 *   m ← β1·m + (1−β1)·g      v ← β2·v + (1−β2)·g²
 *   p ← p − lr · (m / (1−β1^t)) / (√(v / (1−β2^t)) + ε)
 */
import type { KernelFunc } from '@tensorflow/tfjs-core';
import type { TfCore } from '../load.js';
import { kernelArrays, type JsBackendName } from './access.js';

export const ADAM_UPDATE = 'ImpulseAdamUpdate';

export interface AdamUpdateAttrs {
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** 1-based step count (bias correction). */
  readonly step: number;
}

/** The update on plain arrays: writes the new parameters to `out`, updates m and v. */
export function adamUpdate(p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, out: Float32Array, a: AdamUpdateAttrs): void {
  const { beta1: b1, beta2: b2, epsilon: eps } = a;
  const k1 = 1 - b1;
  const k2 = 1 - b2;
  // lr / (1 − β1^t) and 1 / (1 − β2^t), hoisted: the per-element divisions were a third of the time
  const stepSize = a.learningRate / (1 - b1 ** a.step);
  const unbias2 = 1 / (1 - b2 ** a.step);
  const n = p.length;
  for (let i = 0; i < n; i++) {
    const gi = g[i] as number;
    const mi = b1 * (m[i] as number) + k1 * gi;
    const vi = b2 * (v[i] as number) + k2 * gi * gi;
    m[i] = mi;
    v[i] = vi;
    out[i] = (p[i] as number) - (stepSize * mi) / (Math.sqrt(vi * unbias2) + eps);
  }
}

export function makeAdamUpdate(_tf: TfCore, backendName: JsBackendName): KernelFunc {
  return (args) => {
    const { inputs, backend } = args;
    const attrs = args.attrs as unknown as AdamUpdateAttrs;
    const { param, grad, m, v } = inputs;
    if (param === undefined || grad === undefined || m === undefined || v === undefined) throw new Error(`${ADAM_UPDATE}: needs inputs param, grad, m, v`);
    const arrays = kernelArrays(backendName, backend);
    const out = arrays.alloc(param.shape);
    // views after the allocation (a WASM heap may have grown)
    adamUpdate(arrays.read(param), arrays.read(grad), arrays.read(m), arrays.read(v), arrays.read(out), attrs);
    return out;
  };
}
