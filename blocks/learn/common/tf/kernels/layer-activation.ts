/**
 * The activations the fused layer kernels (conv-layer.ts, dense-layer.ts) apply themselves: a
 * layer's bias and ReLU in the same pass over its output, and ReLU's gradient from that output.
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import type { TfCore } from '../load.js';

export type LayerActivation = 'linear' | 'relu';

export const LAYER_ACTIVATIONS: readonly LayerActivation[] = ['linear', 'relu'];

/** y[r, c] = act(y[r, c] + bias[c]) in place, for y of [rows, bias.length]. */
export function addBiasActivate(y: Float32Array, bias: Float32Array, activation: LayerActivation): void {
  const cols = bias.length;
  if (activation === 'relu') {
    for (let o = 0; o < y.length; o += cols) {
      for (let c = 0; c < cols; c++) {
        const v = (y[o + c] as number) + (bias[c] as number);
        y[o + c] = v > 0 ? v : 0;
      }
    }
  } else {
    for (let o = 0; o < y.length; o += cols) for (let c = 0; c < cols; c++) y[o + c] = (y[o + c] as number) + (bias[c] as number);
  }
}

/**
 * d loss / d (pre-activation) from dy and the layer's OUTPUT y: ReLU passes dy where y > 0 (where
 * the input was > 0: TF.js's rule, step(0) = 0). Two backend kernels (Step, Multiply).
 */
export function activationGrad(tf: TfCore, dy: Tensor, y: Tensor, activation: LayerActivation): Tensor {
  return activation === 'relu' ? tf.mul(dy, tf.step(y)) : dy;
}
