/**
 * `ImpulseDenseLayer`: a dense layer's forward pass — x · kernel + bias, then the activation — as
 * ONE kernel with one gradient, where TF.js records a matMul, a bias add and the activation (each
 * with its saved tensors and gradient kernels). Used by the training forward
 * (blocks/learn/common/nn/training-forward.ts).
 *
 * Inputs: x [B, K], kernel [K, N], bias [N]. Attr: activation ('linear' | 'relu').
 * - WASM: the backend's _FusedMatMul (XNNPACK applies bias and ReLU in the product).
 * - CPU: the registered BatchMatMul, then bias and activation in one loop.
 * Gradient: dz = activation'(y) ⊙ dy; x ← dz · kernelᵀ, kernel ← xᵀ · dz, bias ← Σ_rows dz.
 */
import type { GradConfig, KernelFunc, Tensor, TensorInfo } from '@tensorflow/tfjs-core';
import type { TfCore } from '../load.js';
import { kernelArrays, type JsBackendName } from './access.js';
import { activationGrad, addBiasActivate, type LayerActivation } from './layer-activation.js';

export const DENSE_LAYER = 'ImpulseDenseLayer';

export interface DenseLayerAttrs {
  readonly activation: LayerActivation;
}

export function makeDenseLayer(tf: TfCore, backendName: JsBackendName): KernelFunc {
  return (args) => {
    const { inputs, backend } = args;
    const { activation } = args.attrs as unknown as DenseLayerAttrs;
    const { x, kernel, bias } = inputs;
    if (x === undefined || kernel === undefined || bias === undefined) throw new Error(`${DENSE_LAYER}: needs inputs x, kernel, bias`);
    const [rows, k] = x.shape as [number, number];
    const n = kernel.shape[1] as number;
    // the backends' products take rank-3 operands: views of the same data
    const a: TensorInfo = { dataId: x.dataId, shape: [1, rows, k], dtype: x.dtype };
    const b: TensorInfo = { dataId: kernel.dataId, shape: [1, k, n], dtype: kernel.dtype };
    const product = { transposeA: false, transposeB: false };
    let out: TensorInfo;
    if (backendName === 'wasm') {
      const fused = tf.getKernel('_FusedMatMul', 'wasm');
      if (fused === undefined) throw new Error(`${DENSE_LAYER}: the wasm backend has no _FusedMatMul`);
      out = fused.kernelFunc({ inputs: { a, b, bias }, backend, attrs: { ...product, activation } as never }) as TensorInfo;
    } else {
      const plain = tf.getKernel('BatchMatMul', backendName);
      if (plain === undefined) throw new Error(`${DENSE_LAYER}: the ${backendName} backend has no BatchMatMul`);
      out = plain.kernelFunc({ inputs: { a, b }, backend, attrs: product as never }) as TensorInfo;
      const arrays = kernelArrays(backendName, backend);
      addBiasActivate(arrays.read(out), arrays.read(bias), activation);
    }
    return { dataId: out.dataId, shape: [rows, n], dtype: out.dtype };
  };
}

export function denseLayerGradConfig(tf: TfCore): GradConfig {
  return {
    kernelName: DENSE_LAYER,
    inputsToSave: ['x', 'kernel'],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const [x, kernel, y] = saved as [Tensor, Tensor, Tensor];
      const dz = activationGrad(tf, dy as Tensor, y, (attrs as unknown as DenseLayerAttrs).activation);
      return {
        x: () => tf.matMul(dz, kernel, false, true),
        kernel: () => tf.matMul(x, dz, true, false),
        bias: () => tf.sum(dz, 0),
      };
    },
  };
}
