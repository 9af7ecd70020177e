/**
 * `ImpulseConvLayer`: a conv layer's forward pass — convolution, bias and activation — as ONE
 * kernel, with one gradient. TF.js records a conv1d layer as ~10 kernels (reshapes of input, filter
 * and output, the convolution, a bias reshape and add, the activation) and its gradient as ~15; for
 * the small nets of embedded audio that bookkeeping cost more than the arithmetic. The training
 * forward (blocks/learn/common/nn/training-forward.ts) runs conv1d layers as height-… conv2d on
 * [N, T, 1, C] with this kernel; the model itself (its layers and variables) is unchanged.
 *
 * Inputs: x [N, H, W, C] (NHWC), filter (the layer's variable, any shape holding `filterShape`
 * [kh, kw, C, CO]), bias [CO]. Attrs: strides, pad ('same' | 'valid'), activation ('linear' |
 * 'relu'), filterShape. Dilation 1 only (TF.js has no conv gradients for larger dilations).
 * - WASM: the backend's FusedConv2D (XNNPACK applies bias and ReLU inside the convolution).
 * - CPU: the registered Conv2D (ours, conv2d-forward.ts), then bias and activation in one loop.
 * Gradient: dz = activation'(y) ⊙ dy; x ← Conv2DBackpropInput, filter ← Conv2DBackpropFilter
 * (reshaped to the variable's shape), bias ← Σ dz over N, H, W — the registered kernels.
 */
import type { GradConfig, KernelFunc, Tensor, TensorInfo } from '@tensorflow/tfjs-core';
import type { TfCore } from '../load.js';
import { kernelArrays, type JsBackendName } from './access.js';
import { activationGrad, addBiasActivate, type LayerActivation } from './layer-activation.js';

export const CONV_LAYER = 'ImpulseConvLayer';

export interface ConvLayerAttrs {
  readonly strides: [number, number];
  readonly pad: 'same' | 'valid';
  readonly activation: LayerActivation;
  readonly filterShape: [number, number, number, number];
}

export function makeConvLayer(tf: TfCore, backendName: JsBackendName): KernelFunc {
  return (args) => {
    const { inputs, backend } = args;
    const a = args.attrs as unknown as ConvLayerAttrs;
    const { x, filter, bias } = inputs;
    if (x === undefined || filter === undefined || bias === undefined) throw new Error(`${CONV_LAYER}: needs inputs x, filter, bias`);
    const filter4: TensorInfo = { dataId: filter.dataId, shape: [...a.filterShape], dtype: filter.dtype };
    const conv = { strides: a.strides, pad: a.pad, dilations: [1, 1], dataFormat: 'NHWC', dimRoundingMode: undefined };
    if (backendName === 'wasm') {
      const fused = tf.getKernel('FusedConv2D', 'wasm');
      if (fused === undefined) throw new Error(`${CONV_LAYER}: the wasm backend has no FusedConv2D`);
      return fused.kernelFunc({ inputs: { x, filter: filter4, bias }, backend, attrs: { ...conv, activation: a.activation } as never }) as TensorInfo;
    }
    const plain = tf.getKernel('Conv2D', backendName);
    if (plain === undefined) throw new Error(`${CONV_LAYER}: the ${backendName} backend has no Conv2D`);
    const out = plain.kernelFunc({ inputs: { x, filter: filter4 }, backend, attrs: conv as never }) as TensorInfo;
    const arrays = kernelArrays(backendName, backend);
    addBiasActivate(arrays.read(out), arrays.read(bias), a.activation);
    return out;
  };
}

const backpropAttrs = (a: ConvLayerAttrs) => ({ strides: a.strides, pad: a.pad, dataFormat: 'NHWC', dimRoundingMode: undefined, dilations: [1, 1] });

/** d loss / d x of a conv layer from dz (the gradient before the activation). */
export function convInputGrad(tf: TfCore, dz: Tensor, filter: Tensor, xShape: readonly number[], a: ConvLayerAttrs): Tensor {
  return tf.engine().runKernel('Conv2DBackpropInput', { dy: dz, filter: tf.reshape(filter, a.filterShape) }, { ...backpropAttrs(a), inputShape: xShape } as never) as Tensor;
}

/** d loss / d filter of a conv layer from dz, in the shape of the layer's variable. */
export function convFilterGrad(tf: TfCore, x: Tensor, dz: Tensor, filter: Tensor, a: ConvLayerAttrs): Tensor {
  return tf.reshape(tf.engine().runKernel('Conv2DBackpropFilter', { x, dy: dz }, { ...backpropAttrs(a), filterShape: a.filterShape } as never) as Tensor, filter.shape);
}

export function convLayerGradConfig(tf: TfCore): GradConfig {
  return {
    kernelName: CONV_LAYER,
    inputsToSave: ['x', 'filter'],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const [x, filter, y] = saved as [Tensor, Tensor, Tensor];
      const a = attrs as unknown as ConvLayerAttrs;
      const dz = activationGrad(tf, dy as Tensor, y, a.activation);
      return {
        x: () => convInputGrad(tf, dz, filter, x.shape, a),
        filter: () => convFilterGrad(tf, x, dz, filter, a),
        bias: () => tf.sum(dz, [0, 1, 2]),
      };
    },
  };
}
