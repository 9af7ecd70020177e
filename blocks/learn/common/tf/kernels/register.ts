import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import type { BackendName, TfCore } from '../load.js';
import type { JsBackendName } from './access.js';
import { ADAM_UPDATE, makeAdamUpdate } from './adam-update.js';
import { makeAvgPoolGrad } from './avg-pool-grad.js';
import { makeBatchMatMulTransposed } from './batch-matmul-transposed.js';
import { CROSS_ENTROPY, CROSS_ENTROPY_GRAD, crossEntropyGradConfig, makeCrossEntropy, makeCrossEntropyGrad } from './cross-entropy.js';
import { makeConv2DBackpropFilter } from './conv2d-backprop-filter.js';
import { makeConv2DForward } from './conv2d-forward.js';
import { makeAddCpu, makeMultiplyCpu, makeReluCpu, makeStepCpu } from './cpu-elementwise.js';
import { makeConv2DBackpropInput } from './conv2d-backprop-input.js';
import { CONV_LAYER, convLayerGradConfig, makeConvLayer } from './conv-layer.js';
import { DENSE_LAYER, denseLayerGradConfig, makeDenseLayer } from './dense-layer.js';
import { makeDepthwiseBackpropFilter } from './depthwise-backprop-filter.js';
import { makeDepthwiseBackpropInput } from './depthwise-backprop-input.js';
import { makeIdentityShared } from './identity-shared.js';
import { makeMaxPoolGrad } from './max-pool-grad.js';
import { makeSumLeadingAxes } from './sum-leading-axes.js';

/**
 * Training kernels (gradients and friends) that stock TF.js 4.22 lacks, gets wrong or runs slowly on the JS-hosted backends
 * (measured here; see blocks/learn/common/tf/kernels/gradients.test.ts and bench/train-kernels.ts):
 *
 * | kernel                               | wasm stock                          | cpu stock                  |
 * |--------------------------------------|-------------------------------------|----------------------------|
 * | Conv2DBackpropFilter                 | missing (conv nets cannot train)    | ~150–250× slower than ours |
 * | Conv2DBackpropInput                  | 2–10× slower than ours              | 1.3–2.5× slower            |
 * | DepthwiseConv2dNativeBackpropFilter  | missing                             | ~70× slower                |
 * | DepthwiseConv2dNativeBackpropInput   | missing                             | ~1.5× slower               |
 * | MaxPoolGrad                          | wrong (1); ~4× slower               | 50–80× slower              |
 * | AvgPoolGrad                          | wrong at padded borders (2)         | wrong at padded borders (2)|
 * | Sum over leading axes (bias grads)   | ~4× slower (transposes first)       | transposes first           |
 * | Conv2D (forward)                     | (stock kept: XNNPACK)               | ~3–4× slower than ours     |
 * | Relu, Step, Add, Multiply (float32)  | (stock kept: SIMD)                  | ~5–10× slower than a loop  |
 * | Identity (clones saved for backprop) | copies the tensor                   | shares (stock kept)        |
 * | BatchMatMul with a transposed operand| ~5× slower than transpose + plain   | (stock kept)               |
 * | ImpulseAdamUpdate (ours, fused Adam) | ~12 kernels per variable            | ~12 kernels per variable   |
 * | ImpulseCrossEntropy (+ its gradient) | ~30 kernels per step                | ~30 kernels per step       |
 * | ImpulseConvLayer, ImpulseDenseLayer  | a layer is ~10 kernels (+ ~15 back) | the same                   |
 *
 * (1) windows whose values are all ≤ 0 (e.g. all-zero after ReLU) lose their gradient: the running
 *     maximum starts at FLT_MIN instead of -∞.
 * (2) the forward AvgPool divides by the number of window positions inside the input; stock
 *     AvgPoolGrad divides by the full window size ('same' or explicit padding).
 *
 * 'replace' kernels take the place of the stock one (kept for configurations ours does not handle,
 * e.g. NCHW, and restorable with `unregisterGradientKernels`); 'missing' kernels are registered only
 * where the backend has none (should a later TF.js ship a native one, it is used); 'stock' leaves the
 * backend's own. The native 'tensorflow' backend needs nothing.
 */
type Policy = 'replace' | 'missing' | 'stock';
interface Entry {
  readonly kernelName: string;
  readonly make: (tf: TfCore, backend: JsBackendName, fallback?: KernelFunc) => KernelFunc;
  readonly policy: Record<JsBackendName, Policy>;
}

const ENTRIES: readonly Entry[] = [
  { kernelName: 'Conv2DBackpropFilter', make: makeConv2DBackpropFilter, policy: { cpu: 'replace', wasm: 'missing' } },
  { kernelName: 'Conv2DBackpropInput', make: makeConv2DBackpropInput, policy: { cpu: 'replace', wasm: 'replace' } },
  { kernelName: 'DepthwiseConv2dNativeBackpropFilter', make: makeDepthwiseBackpropFilter, policy: { cpu: 'replace', wasm: 'missing' } },
  { kernelName: 'DepthwiseConv2dNativeBackpropInput', make: makeDepthwiseBackpropInput, policy: { cpu: 'replace', wasm: 'missing' } },
  { kernelName: 'MaxPoolGrad', make: makeMaxPoolGrad, policy: { cpu: 'replace', wasm: 'replace' } },
  { kernelName: 'AvgPoolGrad', make: makeAvgPoolGrad, policy: { cpu: 'replace', wasm: 'replace' } },
  { kernelName: 'Sum', make: makeSumLeadingAxes, policy: { cpu: 'replace', wasm: 'replace' } },
  { kernelName: 'Conv2D', make: makeConv2DForward, policy: { cpu: 'replace', wasm: 'stock' } },
  { kernelName: 'Identity', make: makeIdentityShared, policy: { cpu: 'stock', wasm: 'replace' } },
  { kernelName: 'Relu', make: makeReluCpu, policy: { cpu: 'replace', wasm: 'stock' } },
  { kernelName: 'Step', make: makeStepCpu, policy: { cpu: 'replace', wasm: 'stock' } },
  { kernelName: 'Add', make: makeAddCpu, policy: { cpu: 'replace', wasm: 'stock' } },
  { kernelName: 'Multiply', make: makeMultiplyCpu, policy: { cpu: 'replace', wasm: 'stock' } },
  { kernelName: 'BatchMatMul', make: makeBatchMatMulTransposed, policy: { cpu: 'stock', wasm: 'replace' } },
  // not a TF.js kernel: one Adam step per variable (see adam-update.ts)
  { kernelName: ADAM_UPDATE, make: makeAdamUpdate, policy: { cpu: 'missing', wasm: 'missing' } },
  // not a TF.js kernel: softmax cross-entropy with the accuracy count, and its gradient (see cross-entropy.ts)
  { kernelName: CROSS_ENTROPY, make: makeCrossEntropy, policy: { cpu: 'missing', wasm: 'missing' } },
  { kernelName: CROSS_ENTROPY_GRAD, make: makeCrossEntropyGrad, policy: { cpu: 'missing', wasm: 'missing' } },
  // not TF.js kernels: a conv / dense layer's forward pass (+ bias + activation) as one kernel (see conv-layer.ts)
  { kernelName: CONV_LAYER, make: makeConvLayer, policy: { cpu: 'missing', wasm: 'missing' } },
  { kernelName: DENSE_LAYER, make: makeDenseLayer, policy: { cpu: 'missing', wasm: 'missing' } },
];

/** Marks our kernel functions (global symbol: survives duplicate module instances). */
const OURS = Symbol.for('impulse-kit.gradient-kernel');
interface Marked {
  [OURS]?: { stock: KernelConfig | undefined };
}

function ours(config: KernelConfig | undefined): { stock: KernelConfig | undefined } | undefined {
  return config === undefined ? undefined : (config.kernelFunc as Marked)[OURS];
}

function isJsBackend(name: string): name is JsBackendName {
  return name === 'cpu' || name === 'wasm';
}

/**
 * Registers gradient kernels that stock TF.js lacks or runs slowly on a backend
 * (conv filter gradients on WASM and CPU, depthwise gradients on WASM). Idempotent.
 * Call after the backend's module has been imported (its stock kernels must already be registered).
 */
export function registerGradientKernels(tf: TfCore, backend: BackendName): void {
  if (!isJsBackend(backend)) return;
  // a gradient is registered once for every backend (a backend without the kernel never records it)
  if (tf.getGradient(CROSS_ENTROPY) === undefined) tf.registerGradient(crossEntropyGradConfig(tf));
  if (tf.getGradient(CONV_LAYER) === undefined) tf.registerGradient(convLayerGradConfig(tf));
  if (tf.getGradient(DENSE_LAYER) === undefined) tf.registerGradient(denseLayerGradConfig(tf));
  for (const entry of ENTRIES) {
    const current = tf.getKernel(entry.kernelName, backend);
    if (ours(current) !== undefined || entry.policy[backend] === 'stock') continue;
    if (current !== undefined && entry.policy[backend] === 'missing') continue;
    const stock = current;
    const kernelFunc = entry.make(tf, backend, stock?.kernelFunc);
    Object.defineProperty(kernelFunc, OURS, { value: { stock }, enumerable: false });
    if (stock !== undefined) tf.unregisterKernel(entry.kernelName, backend);
    tf.registerKernel({ kernelName: entry.kernelName, backendName: backend, kernelFunc });
  }
}

/** Undoes `registerGradientKernels` for a backend: stock kernels come back, missing ones go again. */
export function unregisterGradientKernels(tf: TfCore, backend: BackendName): void {
  if (!isJsBackend(backend)) return;
  for (const entry of ENTRIES) {
    const mark = ours(tf.getKernel(entry.kernelName, backend));
    if (mark === undefined) continue;
    tf.unregisterKernel(entry.kernelName, backend);
    if (mark.stock !== undefined) tf.registerKernel(mark.stock);
  }
}

export type KernelSource = 'ours' | 'stock' | 'missing';

/** Which implementation each gradient kernel of a backend currently resolves to. */
export function gradientKernelSources(tf: TfCore, backend: string): Record<string, KernelSource> {
  const out: Record<string, KernelSource> = {};
  for (const entry of ENTRIES) {
    const config = tf.getKernel(entry.kernelName, backend);
    out[entry.kernelName] = config === undefined ? 'missing' : ours(config) !== undefined ? 'ours' : 'stock';
  }
  return out;
}
