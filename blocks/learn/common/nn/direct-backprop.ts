/**
 * A training step's forward and backward pass by direct calls of the backend's kernels, for the
 * nets the fused training forward covers end to end (training-forward.ts: conv / dense layers with
 * ReLU or no activation, max pools, dropout, flatten, and a softmax dense layer last) under the
 * fused cross-entropy. Gradients are written out layer by layer in reverse, as the tape would
 * produce them, but without TF.js's engine: no tape, no saved-tensor clones, no scopes, no
 * gradient bookkeeping — on the example nets that bookkeeping was ~20% of a step (spoken-digits,
 * 16 rows: ~0.9 of ~4.3 ms outside the kernels). The arithmetic is the tape path's
 * (training-forward.ts and the kernels' gradients): the same kernels in the same order; the
 * elementwise gradient steps (softmax, ReLU masks, dropout, bias sums) are typed-array loops.
 *
 * Nets with any other layer, and the MSE loss, keep the tape path (ShardGradients decides).
 * The oracle in direct-backprop.test.ts is TF.js's own layers and autodiff.
 */
import type { NamedTensorMap, Tensor, TensorInfo, Variable } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { LoadedTf } from '../tf/load.js';
import { kernelArrays, sizeOf, type JsBackendName } from '../tf/kernels/access.js';
import { CONV_LAYER, type ConvLayerAttrs } from '../tf/kernels/conv-layer.js';
import { CROSS_ENTROPY, crossEntropyGrad } from '../tf/kernels/cross-entropy.js';
import { DENSE_LAYER } from '../tf/kernels/dense-layer.js';
import { columnSums } from '../tf/kernels/sum-leading-axes.js';
import type { ShardRows } from './shard-gradients.js';
import { dropoutMask, planTraining, type ConvStep, type Planned, type PoolStep, type Step } from './training-forward.js';

/** What the backward pass of one step needs from its forward pass. */
type StepRecord =
  | { readonly kind: 'conv'; readonly step: ConvStep; readonly input: TensorInfo; readonly y: TensorInfo }
  | { readonly kind: 'maxPool'; readonly step: PoolStep; readonly input: TensorInfo; readonly p: TensorInfo }
  | { readonly kind: 'convPool'; readonly step: Extract<Step, { kind: 'convPool' }>; readonly input: TensorInfo; readonly y: TensorInfo; readonly p: TensorInfo }
  | { readonly kind: 'dropout'; readonly mask: Float32Array }
  | { readonly kind: 'flatten'; readonly input: TensorInfo }
  | { readonly kind: 'dense'; readonly step: Extract<Step, { kind: 'dense' }>; readonly input: TensorInfo; readonly y: TensorInfo; readonly p?: TensorInfo };

const view = (t: TensorInfo, shape: readonly number[]): TensorInfo => ({ dataId: t.dataId, shape: [...shape], dtype: t.dtype });

const convAttrs = (a: ConvLayerAttrs) => ({ strides: a.strides, pad: a.pad, dataFormat: 'NHWC', dimRoundingMode: undefined, dilations: [1, 1] });
const poolAttrs = (s: PoolStep) => ({ filterSize: s.pool, strides: s.strides, pad: s.pad, dimRoundingMode: undefined });

export class DirectBackprop {
  private constructor(
    private readonly loaded: LoadedTf,
    private readonly steps: readonly Planned[],
    private readonly inShape: readonly number[],
    private readonly outUnits: number,
    private readonly epsilon: number,
  ) {}

  /**
   * The direct step for `model`, or undefined when a layer needs the tape (anything but the
   * planned conv / pool / dropout / flatten / dense steps, or a softmax anywhere but last).
   */
  static for(loaded: LoadedTf, model: LayersModel, outUnits: number, epsilon: number): DirectBackprop | undefined {
    const backend = loaded.tf.getBackend();
    if (backend !== 'wasm' && backend !== 'cpu') return undefined;
    const plan = planTraining(loaded, model);
    if (plan === undefined || plan.steps.length === 0) return undefined;
    const last = plan.steps.length - 1;
    const covered = plan.steps.every(({ step }, i) => step.kind !== 'layer' && (step.kind !== 'dense' || step.softmax === (i === last)));
    const final = plan.steps[last]!;
    if (!covered || final.step.kind !== 'dense' || final.outShape.length !== 1 || final.outShape[0] !== outUnits) return undefined;
    return new DirectBackprop(loaded, plan.steps, plan.inShape, outUnits, epsilon);
  }

  /**
   * Gradients of the rows' cross-entropy sum / `divisor` by variable name (the caller disposes
   * them); adds the loss sum and the hit count to `acc` in place, as the fused kernel does.
   * `onGradient` sees each gradient as soon as it exists (from the last layer back).
   */
  gradients(rows: ShardRows, divisor: number, acc: Tensor, onGradient?: (name: string, grad: Tensor) => void): NamedTensorMap {
    const { tf } = this.loaded;
    const backendName = tf.getBackend() as JsBackendName;
    const backend = tf.backend();
    const arrays = kernelArrays(backendName, backend);
    const run = (name: string, inputs: Record<string, TensorInfo>, attrs: object): TensorInfo => {
      const kernel = tf.getKernel(name, backendName);
      if (kernel === undefined) throw new Error(`direct backprop: backend '${backendName}' has no ${name} kernel`);
      return kernel.kernelFunc({ inputs, backend, attrs: attrs as never }) as TensorInfo;
    };
    const owned: TensorInfo[] = [];
    const own = (t: TensorInfo) => (owned.push(t), t);
    const grads: NamedTensorMap = {};
    const n = rows.count;
    const classes = this.outUnits;
    try {
      const x = own(arrays.alloc([n, ...this.inShape]));
      arrays.read(x).set(rows.x.subarray(0, n * sizeOf(this.inShape)));
      const records: StepRecord[] = [];
      let h = x;
      let logical = this.inShape;
      for (const { step, outShape } of this.steps) {
        const rowsView = () => (h.shape.length === 4 ? h : view(h, [n, logical[0]!, 1, logical[1]!]));
        switch (step.kind) {
          case 'conv': {
            const input = step.rows ? rowsView() : h;
            h = own(run(CONV_LAYER, { x: input, filter: step.filter(), bias: step.bias() }, step.attrs));
            records.push({ kind: 'conv', step, input, y: h });
            break;
          }
          case 'maxPool': {
            const input = step.rows ? rowsView() : h;
            h = own(run('MaxPool', { x: input }, poolAttrs(step)));
            records.push({ kind: 'maxPool', step, input, p: h });
            break;
          }
          case 'convPool': {
            const input = step.conv.rows ? rowsView() : h;
            const y = own(run(CONV_LAYER, { x: input, filter: step.conv.filter(), bias: step.conv.bias() }, step.conv.attrs));
            h = own(run('MaxPool', { x: y }, poolAttrs(step.pool)));
            records.push({ kind: 'convPool', step, input, y, p: h });
            break;
          }
          case 'dropout': {
            const mask = dropoutMask(sizeOf(h.shape), step.rate, step.layer.seed);
            const out = own(arrays.alloc(h.shape));
            multiplyInto(arrays.read(out), arrays.read(h), mask);
            records.push({ kind: 'dropout', mask });
            h = out;
            break;
          }
          case 'flatten':
            records.push({ kind: 'flatten', input: h });
            h = view(h, [n, sizeOf(outShape)]);
            break;
          case 'dense': {
            const input = view(h, [n, sizeOf(logical)]);
            const y = own(run(DENSE_LAYER, { x: input, kernel: step.kernel(), bias: step.bias() }, { activation: step.activation }));
            const p = step.softmax ? own(run('Softmax', { logits: y }, { dim: 1 })) : undefined;
            records.push({ kind: 'dense', step, input, y, ...(p ? { p } : {}) });
            h = p ?? y;
            break;
          }
          case 'layer':
            throw new Error('direct backprop: a layer that needs the tape (DirectBackprop.for should have refused this net)');
        }
        logical = outShape;
      }

      const pred = view(h, [n, classes]);
      const y = own(arrays.alloc([n, classes]));
      arrays.read(y).set(rows.y.subarray(0, n * classes));
      const w = own(arrays.alloc([n]));
      arrays.read(w).set(rows.w.subarray(0, n));
      own(run(CROSS_ENTROPY, { pred, y, w, acc }, { epsilon: this.epsilon, divisor }));
      let g = own(arrays.alloc([n, classes]));
      crossEntropyGrad(arrays.read(pred), arrays.read(y), arrays.read(w), n, classes, this.epsilon, 1, arrays.read(g), divisor);

      const result = (variable: Variable, t: TensorInfo) => {
        const grad = tf.engine().makeTensorFromTensorInfo(view(t, variable.shape));
        grads[variable.name] = grad;
        onGradient?.(variable.name, grad);
      };
      /** A bias's gradient: the sum of `dz` over all but its last axis. */
      const biasGrad = (bias: Variable, dz: TensorInfo) => {
        const units = dz.shape.at(-1)!;
        result(bias, arrays.output([units], columnSums(arrays.read(dz), sizeOf(dz.shape) / units, units)));
      };
      /** A conv layer's filter gradient from dz; returns dx (dz itself when no input gradient is needed). */
      const convGrads = (step: ConvStep, input: TensorInfo, dz: TensorInfo, inputGrad: boolean): TensorInfo => {
        const filter = step.filter() as Variable;
        const a = step.attrs;
        const dx = inputGrad ? own(run('Conv2DBackpropInput', { dy: dz, filter: view(filter, a.filterShape) }, { ...convAttrs(a), inputShape: input.shape })) : dz;
        result(filter, run('Conv2DBackpropFilter', { x: input, dy: dz }, { ...convAttrs(a), filterShape: a.filterShape }));
        return dx;
      };
      // steps before the first layer with variables need no gradient, and that layer none for its input
      const first = records.findIndex((r) => r.kind === 'conv' || r.kind === 'convPool' || r.kind === 'dense');
      for (let i = records.length - 1; i >= first; i--) {
        const r = records[i]!;
        const inputGrad = i > first;
        switch (r.kind) {
          case 'dense': {
            g = view(g, r.y.shape);
            if (r.p) softmaxGradInPlace(arrays.read(g), arrays.read(r.p), classes);
            if (r.step.activation === 'relu') reluGradInPlace(arrays.read(g), arrays.read(r.y));
            const [k, units] = [r.input.shape[1]!, r.y.shape[1]!];
            const kernel = r.step.kernel() as Variable;
            result(kernel, run('BatchMatMul', { a: view(r.input, [1, n, k]), b: view(g, [1, n, units]) }, { transposeA: true, transposeB: false }));
            biasGrad(r.step.bias() as Variable, g);
            if (inputGrad) g = own(view(run('BatchMatMul', { a: view(g, [1, n, units]), b: view(kernel, [1, k, units]) }, { transposeA: false, transposeB: true }), [n, k]));
            break;
          }
          case 'dropout':
            multiplyInto(arrays.read(g), arrays.read(g), r.mask);
            break;
          case 'flatten':
            g = view(g, r.input.shape);
            break;
          case 'maxPool':
            g = own(run('MaxPoolGrad', { dy: view(g, r.p.shape), input: r.input, output: r.p }, poolAttrs(r.step)));
            break;
          case 'conv': {
            g = view(g, r.y.shape);
            if (r.step.attrs.activation === 'relu') reluGradInPlace(arrays.read(g), arrays.read(r.y));
            biasGrad(r.step.bias() as Variable, g);
            g = convGrads(r.step, r.input, g, inputGrad);
            break;
          }
          case 'convPool': {
            // the ReLU mask on the pooled output (see makeConvPool in training-forward.ts)
            const dp = view(g, r.p.shape);
            reluGradInPlace(arrays.read(dp), arrays.read(r.p));
            biasGrad(r.step.conv.bias() as Variable, dp);
            const dz = own(run('MaxPoolGrad', { dy: dp, input: r.y, output: r.p }, poolAttrs(r.step.pool)));
            g = convGrads(r.step.conv, r.input, dz, inputGrad);
            break;
          }
        }
      }
      return grads;
    } catch (e) {
      tf.dispose(Object.values(grads));
      throw e;
    } finally {
      for (const t of owned) arrays.dispose(t);
    }
  }
}

/** out[i] = a[i] · mask[i] (out may be a). */
function multiplyInto(out: Float32Array, a: Float32Array, mask: Float32Array): void {
  for (let i = 0; i < mask.length; i++) out[i] = (a[i] as number) * (mask[i] as number);
}

/**
 * ReLU's gradient from the layer's output y, as TF.js computes it: g ← g · step(y) (step(y) = 1
 * where y > 0, else 0). A product, not a branch: after ReLU, y > 0 is a coin flip the branch
 * predictor loses.
 */
function reluGradInPlace(g: Float32Array, y: Float32Array): void {
  for (let i = 0; i < g.length; i++) g[i] = (g[i] as number) * +((y[i] as number) > 0);
}

/** Softmax's gradient from its output p, row by row: g ← p ⊙ (g − Σ g·p) (TF.js's formula). */
function softmaxGradInPlace(g: Float32Array, p: Float32Array, classes: number): void {
  for (let o = 0; o < g.length; o += classes) {
    let dot = 0;
    for (let c = 0; c < classes; c++) dot += (g[o + c] as number) * (p[o + c] as number);
    for (let c = 0; c < classes; c++) g[o + c] = (p[o + c] as number) * ((g[o + c] as number) - dot);
  }
}
