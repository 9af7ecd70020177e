/**
 * The forward pass the training loop differentiates, built from a Sequential model's layers: conv
 * and dense layers with a ReLU or no activation run as one fused kernel each (ImpulseConvLayer,
 * ImpulseDenseLayer: convolution or product, bias and activation), conv1d layers and their pools
 * stay in a [N, T, 1, C] layout between layers instead of reshaping around every layer, and dropout
 * multiplies by a mask drawn from the layer's per-step seed. Every other layer runs as
 * `layer.apply(x, { training: true })`. The model — its layers, variables, saved form and
 * inference — is unchanged; only the recorded training graph is smaller: the spoken-digits net's step
 * went from 167 kernels to 79 (tf.profile of one step).
 *
 * Same arithmetic as `model.apply(x, { training: true })` up to float rounding (fused bias), except
 * dropout, whose masks come from our seeded generator instead of TF.js's
 * (blocks/learn/common/nn/training-forward.test.ts compares both, values and gradients).
 */
import type { Tensor, Tensor4D } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { LoadedTf } from '../tf/load.js';
import { CONV_LAYER, convFilterGrad, convInputGrad, type ConvLayerAttrs } from '../tf/kernels/conv-layer.js';
import { DENSE_LAYER } from '../tf/kernels/dense-layer.js';
import { LAYER_ACTIVATIONS, type LayerActivation } from '../tf/kernels/layer-activation.js';
import { Rng } from '../random.js';

type Layer = LayersModel['layers'][number];
type Variable = Tensor;

/** What one layer becomes in the training forward. `rows` = conv1d layout [N, T, 1, C]. */
export interface ConvStep {
  readonly kind: 'conv';
  readonly filter: () => Variable;
  readonly bias: () => Variable;
  readonly attrs: ConvLayerAttrs;
  readonly rows: boolean;
}
export interface PoolStep {
  readonly kind: 'maxPool';
  readonly pool: [number, number];
  readonly strides: [number, number];
  readonly pad: 'same' | 'valid';
  readonly rows: boolean;
}
export type Step =
  | ConvStep
  | PoolStep
  /** A ReLU conv and the max pool after it, differentiated together (see convPool). */
  | { readonly kind: 'convPool'; readonly conv: ConvStep; readonly pool: PoolStep; readonly inputGrad: boolean }
  | { readonly kind: 'dropout'; readonly layer: { seed?: number }; readonly rate: number }
  | { readonly kind: 'flatten' }
  | { readonly kind: 'dense'; readonly kernel: () => Variable; readonly bias: () => Variable; readonly activation: LayerActivation; readonly softmax: boolean }
  | { readonly kind: 'layer'; readonly layer: Layer };

export interface Planned {
  readonly step: Step;
  /** The layer's output shape without the batch axis (what `layer.apply` gives). */
  readonly outShape: readonly number[];
}

export type TrainingForward = (x: Tensor) => Tensor;

/** The layers of a Sequential model as training steps, and the model's input shape (no batch axis). */
export interface TrainingPlan {
  readonly inShape: readonly number[];
  readonly steps: readonly Planned[];
}

/** The training steps of `model`, or undefined when the backend lacks the fused kernels or the model is not Sequential. */
export function planTraining(loaded: LoadedTf, model: LayersModel): TrainingPlan | undefined {
  const { tf } = loaded;
  const backend = tf.getBackend();
  if (tf.getKernel(CONV_LAYER, backend) === undefined || tf.getKernel(DENSE_LAYER, backend) === undefined) return undefined;
  if (model.getClassName() !== 'Sequential') return undefined;
  const inShape = (model.inputs[0]!.shape as (number | null)[]).slice(1) as number[];
  let shape = inShape;
  // a Sequential given an explicit input layer lists it among its layers: nothing to run
  const layers = model.layers.filter((layer) => layer.getClassName() !== 'InputLayer');
  const steps: Planned[] = [];
  for (const layer of layers) {
    const step = planLayer(layer, shape);
    const outShape = (layer.outputShape as (number | null)[]).slice(1) as number[];
    shape = outShape;
    const previous = steps.at(-1);
    if (step.kind === 'maxPool' && previous?.step.kind === 'conv' && previous.step.attrs.activation === 'relu' && previous.step.rows === step.rows) {
      // the model's input needs no gradient: the first layer skips its input gradient
      steps[steps.length - 1] = { step: { kind: 'convPool', conv: previous.step, pool: step, inputGrad: steps.length > 1 }, outShape };
    } else {
      steps.push({ step, outShape });
    }
  }
  return { inShape, steps };
}

/** The fused training forward of `model`, or undefined when the backend lacks the kernels or the model is not Sequential. */
export function trainingForward(loaded: LoadedTf, model: LayersModel): TrainingForward | undefined {
  const planned = planTraining(loaded, model);
  if (planned === undefined) return undefined;
  const convPool = makeConvPool(loaded);
  return (x) => run(loaded, planned.steps, planned.inShape, x, convPool);
}

function run(loaded: LoadedTf, plan: readonly Planned[], inShape: readonly number[], x: Tensor, convPool: ConvPool): Tensor {
  const { tf } = loaded;
  const n = x.shape[0]!;
  let h = x;
  let logical = inShape;
  // the tensor as the next layer wants it: the logical shape, or the conv1d rows layout
  const asLogical = () => (h.rank === logical.length + 1 ? h : tf.reshape(h, [n, ...logical]));
  const asRows = () => (h.rank === 4 ? h : tf.reshape(h, [n, logical[0]!, 1, logical[1]!]));
  for (const { step, outShape } of plan) {
    switch (step.kind) {
      case 'conv':
        h = tf.engine().runKernel(CONV_LAYER, { x: step.rows ? asRows() : h, filter: step.filter(), bias: step.bias() }, step.attrs as never) as Tensor;
        break;
      case 'maxPool':
        h = tf.maxPool((step.rows ? asRows() : h) as Tensor4D, step.pool, step.strides, step.pad);
        break;
      case 'convPool':
        h = convPool(step, step.conv.rows ? asRows() : h);
        break;
      case 'dropout':
        h = tf.mul(h, tf.tensor(dropoutMask(h.size, step.rate, step.layer.seed), h.shape));
        break;
      case 'flatten':
        h = tf.reshape(h, [n, -1]);
        break;
      case 'dense': {
        const z = tf.engine().runKernel(DENSE_LAYER, { x: asLogical(), kernel: step.kernel(), bias: step.bias() }, { activation: step.activation }) as Tensor;
        h = step.softmax ? tf.softmax(z) : z;
        break;
      }
      case 'layer':
        h = step.layer.apply(asLogical(), { training: true }) as Tensor;
        break;
    }
    logical = outShape;
  }
  return asLogical();
}

type ConvPool = (step: Extract<Step, { kind: 'convPool' }>, x: Tensor) => Tensor;

/**
 * A ReLU conv layer and the max pool after it as one differentiated op. The separate gradients
 * scatter the pool's gradient back to the full-size conv output, then multiply it by ReLU's
 * mask (Step, Multiply) and sum it for the bias: three more passes over the largest tensors of a
 * conv net. Here the mask is taken on the POOLED output — a window's maximum is > 0 exactly
 * where the tap it came from is — so those passes run on a tensor a pool-window smaller:
 *   dp' = dp ⊙ step(p);  dz = MaxPoolGrad(dp', y, p);  d bias = Σ dp'
 * (the same values as the separate gradients). The conv's input gradient is skipped for the
 * first layer (the model's input needs none; a zero tensor stands for it).
 */
function makeConvPool(loaded: LoadedTf): ConvPool {
  const { tf } = loaded;
  return (step, x) => {
    const { conv, pool, inputGrad } = step;
    const a = conv.attrs;
    const op = tf.customGrad((...args: unknown[]) => {
      const [input, filter, bias] = args as [Tensor, Tensor, Tensor];
      const save = args[3] as (tensors: Tensor[]) => void;
      const y = tf.engine().runKernel(CONV_LAYER, { x: input, filter, bias }, a as never) as Tensor;
      const p = tf.maxPool(y as Tensor4D, pool.pool, pool.strides, pool.pad);
      save([input, filter, y, p]);
      return {
        value: p,
        gradFunc: (dp: Tensor, saved: Tensor[]) => {
          const [xs, filterS, ys, ps] = saved as [Tensor, Tensor, Tensor, Tensor];
          const dpm = tf.mul(dp, tf.step(ps));
          const dz = tf.engine().runKernel('MaxPoolGrad', { dy: dpm, input: ys, output: ps }, { filterSize: pool.pool, strides: pool.strides, pad: pool.pad } as never) as Tensor;
          const dx = inputGrad ? convInputGrad(tf, dz, filterS, xs.shape, a) : tf.zerosLike(xs);
          return [dx, convFilterGrad(tf, xs, dz, filterS, a), tf.sum(dpm, [0, 1, 2])];
        },
      };
    });
    return op(x, conv.filter(), conv.bias());
  };
}

/** Keep-and-scale mask of TF.js dropout (kept with probability 1 − rate, scaled by 1 / (1 − rate)), from our seeded generator. */
export function dropoutMask(size: number, rate: number, seed: number | undefined): Float32Array {
  const keep = 1 - rate;
  const mask = new Float32Array(size);
  new Rng(seed ?? 1).fillBernoulli(mask, keep, 1 / keep);
  return mask;
}

function pair(v: unknown, fallback: number): [number, number] {
  const a = Array.isArray(v) ? v : [v ?? fallback];
  return [Number(a[0] ?? fallback), Number(a[1] ?? a[0] ?? fallback)];
}

function isActivation(a: unknown): a is LayerActivation {
  return LAYER_ACTIVATIONS.includes(a as LayerActivation);
}

/** How one layer runs in the training forward (fused where it can, `layer.apply` otherwise). */
function planLayer(layer: Layer, inShape: readonly number[]): Step {
  const cls = layer.getClassName();
  const cfg = layer.getConfig() as Record<string, unknown>;
  const weights = layer.trainableWeights;
  const channelsLast = cfg['dataFormat'] === undefined || cfg['dataFormat'] === 'channelsLast';
  const oneDilation = [cfg['dilationRate'] ?? 1].flat().every((d) => d === 1);
  const padding = cfg['padding'];
  const samePad = padding === 'same' || padding === 'valid';
  const fallback: Step = { kind: 'layer', layer };
  if ((cls === 'Conv1D' || cls === 'Conv2D') && cfg['useBias'] === true && isActivation(cfg['activation']) && channelsLast && oneDilation && samePad && weights.length === 2) {
    const [kernel, bias] = weights as unknown as [{ read(): Variable; shape: (number | null)[] }, { read(): Variable }];
    const s = kernel.shape as number[];
    const rows = cls === 'Conv1D';
    const filterShape: ConvLayerAttrs['filterShape'] = rows ? [s[0]!, 1, s[1]!, s[2]!] : [s[0]!, s[1]!, s[2]!, s[3]!];
    const strides: [number, number] = rows ? [pair(cfg['strides'], 1)[0], 1] : pair(cfg['strides'], 1);
    return {
      kind: 'conv',
      filter: () => kernel.read(),
      bias: () => bias.read(),
      attrs: { strides, pad: padding as 'same' | 'valid', activation: cfg['activation'] as LayerActivation, filterShape },
      rows,
    };
  }
  if ((cls === 'MaxPooling1D' || cls === 'MaxPooling2D') && channelsLast && samePad) {
    const rows = cls === 'MaxPooling1D';
    const pool = rows ? ([pair(cfg['poolSize'], 2)[0], 1] as [number, number]) : pair(cfg['poolSize'], 2);
    const strides = rows ? ([pair(cfg['strides'] ?? cfg['poolSize'], 2)[0], 1] as [number, number]) : pair(cfg['strides'] ?? cfg['poolSize'], 2);
    return { kind: 'maxPool', pool, strides, pad: padding as 'same' | 'valid', rows };
  }
  if (cls === 'Dropout' && (cfg['noiseShape'] === undefined || cfg['noiseShape'] === null)) {
    const rate = Number(cfg['rate']);
    if (rate > 0 && rate < 1) return { kind: 'dropout', layer: layer as unknown as { seed?: number }, rate };
    return fallback;
  }
  if (cls === 'Flatten' && channelsLast) return { kind: 'flatten' };
  if (cls === 'Dense' && cfg['useBias'] === true && weights.length === 2 && inShape.length === 1) {
    const softmax = cfg['activation'] === 'softmax';
    if (!softmax && !isActivation(cfg['activation'])) return fallback;
    const [kernel, bias] = weights as unknown as [{ read(): Variable }, { read(): Variable }];
    return { kind: 'dense', kernel: () => kernel.read(), bias: () => bias.read(), activation: softmax ? 'linear' : (cfg['activation'] as LayerActivation), softmax };
  }
  return fallback;
}
