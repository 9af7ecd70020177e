/**
 * A saved TF.js layers model (model.json topology + weights.bin) → the float32 model IR.
 *
 * Keras layouts become TFLite layouts (dense [in, out] → [out, in]; conv [kh, kw, in, out] →
 * [out, kh, kw, in]; depthwise [kh, kw, in, m] → [1, kh, kw, in·m]); conv1d/pool1d become their 2-D
 * forms with height 1 ([frames, channels] is [1, 1, frames, channels]); batch norm is folded into
 * the conv or dense before it when that layer has no activation, else it becomes a 1×1 depthwise
 * conv (a per-channel scale and shift); dropout is dropped; softmax/relu/relu6 are fused or
 * separate ops. Anything else is an error naming the layer and what to use instead.
 */
import { ModelBuilder } from '../../../../core/model/builder.js';
import { unsupportedLayer } from '../../../../core/model/errors.js';
import type { FusedActivation, ModelIR, ModelMetadata, Pair, Padding } from '../../../../core/model/ir.js';

interface KerasLayer {
  readonly class_name: string;
  readonly config: Record<string, unknown> & { name: string };
  readonly inbound_nodes?: unknown[];
}

export interface SavedLayersModel {
  readonly modelTopology: { class_name: string; config: { layers: KerasLayer[] } | KerasLayer[] };
  readonly weightsManifest: ReadonlyArray<{ weights: ReadonlyArray<{ name: string; shape: number[]; dtype: string }> }>;
}

const FUSABLE: Record<string, FusedActivation> = { linear: 'none', relu: 'relu', relu6: 'relu6' };

/** Where the converter is, for messages: `layers[3] (Conv1D 'conv1d_2')`. */
function where(i: number, l: KerasLayer): string {
  return `layers[${i}] (${l.class_name} '${l.config.name}')`;
}

const pair = (v: unknown): Pair => {
  const a = Array.isArray(v) ? (v as number[]) : [v as number];
  return a.length === 1 ? [1, a[0]!] : [a[0]!, a[1]!];
};

export function savedModelToIR(saved: SavedLayersModel, weightBytes: Uint8Array, metadata: ModelMetadata = {}): ModelIR {
  const weights = readWeights(saved, weightBytes);
  const topology = saved.modelTopology.config;
  const layers = (Array.isArray(topology) ? topology : topology.layers).filter((l) => l.class_name !== 'InputLayer');
  const inputLayer = (Array.isArray(topology) ? topology : topology.layers)[0]!;
  const batchShape = inputLayer.config['batch_input_shape'] as (number | null)[] | undefined;
  if (!batchShape) throw unsupportedLayer('the saved model has no input shape', 'Retrain the learn block (impulse run --force).');
  for (const [i, l] of layers.entries()) {
    // Functional models convert when they are a chain (every layer has one inbound tensor).
    const inbound = (l.inbound_nodes ?? []) as unknown[][];
    if (inbound.length > 1 || (inbound[0]?.length ?? 0) > 1) {
      throw unsupportedLayer(`${where(i, l)} has more than one input: only layer chains convert to the model IR`, 'Use a Sequential model in model.ts.');
    }
  }

  const b = new ModelBuilder();
  const keras = batchShape.slice(1) as number[];
  let shape = irShape(keras);
  let x = b.tensor('input', shape, 'float32');
  const input = x;
  /** The last op when it is a conv/dense without activation, so a following batch norm can fold into it. */
  let foldable: { op: 'conv2d' | 'depthwiseConv2d' | 'fullyConnected'; weights: Float32Array; bias: Float32Array; output: number } | undefined;
  const ops: Parameters<ModelBuilder['op']>[0][] = [];

  const weightOf = (l: KerasLayer, i: number, name: string): { data: Float32Array; shape: number[] } => {
    const w = weights.get(`${l.config.name}/${name}`);
    if (!w) throw unsupportedLayer(`${where(i, l)}: weight '${name}' is missing from weights.bin`, 'Retrain the learn block (impulse run --force).');
    return w;
  };
  const activationOf = (l: KerasLayer, i: number): { fused: FusedActivation; softmax: boolean } => {
    const a = (l.config['activation'] as string | undefined) ?? 'linear';
    if (a === 'softmax') return { fused: 'none', softmax: true };
    const fused = FUSABLE[a];
    if (!fused) {
      throw unsupportedLayer(
        `${where(i, l)}: activation '${a}' cannot be expressed in the model IR (it has relu, relu6 and softmax)`,
        `Use activation: relu or relu6 on this layer.`,
      );
    }
    return { fused, softmax: false };
  };
  const out = (name: string, s: number[]) => b.tensor(name, s, 'float32');
  const finish = (l: KerasLayer, y: number, softmax: boolean) => {
    if (!softmax) return y;
    const z = out(`${l.config.name}/softmax`, b.info(y).shape as number[]);
    ops.push({ op: 'softmax', inputs: [y], outputs: [z], beta: 1 });
    return z;
  };

  for (const [i, l] of layers.entries()) {
    const c = l.config;
    const next = foldable;
    foldable = undefined;
    switch (l.class_name) {
      case 'Dense': {
        if (shape.length !== 2) throw unsupportedLayer(`${where(i, l)} receives [${shape.slice(1).join(', ')}]: dense layers must follow a flat tensor`, 'Put a flatten layer before it.');
        const k = weightOf(l, i, 'kernel');
        const [inU, outU] = k.shape as [number, number];
        const w = transpose2(k.data, inU, outU);
        const bias = c['use_bias'] === false ? new Float32Array(outU) : weightOf(l, i, 'bias').data.slice();
        const { fused, softmax } = activationOf(l, i);
        const wt = b.tensor(`${c.name}/weights`, [outU, inU], 'float32', { data: w });
        const bt = b.tensor(`${c.name}/bias`, [outU], 'float32', { data: bias });
        shape = [1, outU];
        const y = out(`${c.name}/out`, shape);
        ops.push({ op: 'fullyConnected', inputs: [x, wt, bt], outputs: [y], activation: fused });
        if (fused === 'none' && !softmax) foldable = { op: 'fullyConnected', weights: w, bias, output: ops.length - 1 };
        x = finish(l, y, softmax);
        break;
      }
      case 'Conv1D':
      case 'Conv2D': {
        const k = weightOf(l, i, 'kernel');
        const is1d = l.class_name === 'Conv1D';
        const [kh, kw, inC, outC] = (is1d ? [1, ...k.shape] : k.shape) as [number, number, number, number];
        const w = kerasConvToOhwi(k.data, kh, kw, inC, outC);
        const bias = c['use_bias'] === false ? new Float32Array(outC) : weightOf(l, i, 'bias').data.slice();
        const { fused, softmax } = activationOf(l, i);
        const stride = pair(c['strides']);
        const dilation = pair(c['dilation_rate'] ?? 1);
        const padding = c['padding'] as Padding;
        const wt = b.tensor(`${c.name}/weights`, [outC, kh, kw, inC], 'float32', { data: w });
        const bt = b.tensor(`${c.name}/bias`, [outC], 'float32', { data: bias });
        shape = [1, convOut(shape[1]!, kh, stride[0], dilation[0], padding), convOut(shape[2]!, kw, stride[1], dilation[1], padding), outC];
        const y = out(`${c.name}/out`, shape);
        ops.push({ op: 'conv2d', inputs: [x, wt, bt], outputs: [y], stride, dilation, padding, activation: fused });
        if (fused === 'none' && !softmax) foldable = { op: 'conv2d', weights: w, bias, output: ops.length - 1 };
        x = finish(l, y, softmax);
        break;
      }
      case 'DepthwiseConv2D':
      case 'SeparableConv2D': {
        const k = weightOf(l, i, 'depthwise_kernel');
        const [kh, kw, inC, mult] = k.shape as [number, number, number, number];
        // Keras [kh, kw, in, m] in row-major order is already [1, kh, kw, in·m] with channel c·m + j.
        const w = k.data.slice();
        const stride = pair(c['strides']);
        const dilation = pair(c['dilation_rate'] ?? 1);
        const padding = c['padding'] as Padding;
        const separable = l.class_name === 'SeparableConv2D';
        const dwC = inC * mult;
        const dwBias = !separable && c['use_bias'] !== false ? weightOf(l, i, 'bias').data.slice() : new Float32Array(dwC);
        const { fused, softmax } = activationOf(l, i);
        const wt = b.tensor(`${c.name}/depthwise_weights`, [1, kh, kw, dwC], 'float32', { data: w });
        const bt = b.tensor(`${c.name}/depthwise_bias`, [dwC], 'float32', { data: dwBias });
        shape = [1, convOut(shape[1]!, kh, stride[0], dilation[0], padding), convOut(shape[2]!, kw, stride[1], dilation[1], padding), dwC];
        let y = out(`${c.name}/${separable ? 'depthwise' : 'out'}`, shape);
        ops.push({ op: 'depthwiseConv2d', inputs: [x, wt, bt], outputs: [y], stride, dilation, padding, depthMultiplier: mult, activation: separable ? 'none' : fused });
        if (separable) {
          const pk = weightOf(l, i, 'pointwise_kernel');
          const outC = pk.shape[3]!;
          const pw = kerasConvToOhwi(pk.data, 1, 1, dwC, outC);
          const pb = c['use_bias'] === false ? new Float32Array(outC) : weightOf(l, i, 'bias').data.slice();
          const pwt = b.tensor(`${c.name}/pointwise_weights`, [outC, 1, 1, dwC], 'float32', { data: pw });
          const pbt = b.tensor(`${c.name}/pointwise_bias`, [outC], 'float32', { data: pb });
          shape = [1, shape[1]!, shape[2]!, outC];
          const z = out(`${c.name}/out`, shape);
          ops.push({ op: 'conv2d', inputs: [y, pwt, pbt], outputs: [z], stride: [1, 1], dilation: [1, 1], padding: 'valid', activation: fused });
          if (fused === 'none' && !softmax) foldable = { op: 'conv2d', weights: pw, bias: pb, output: ops.length - 1 };
          y = z;
        } else if (fused === 'none' && !softmax) {
          foldable = { op: 'depthwiseConv2d', weights: w, bias: dwBias, output: ops.length - 1 };
        }
        x = finish(l, y, softmax);
        break;
      }
      case 'MaxPooling1D':
      case 'MaxPooling2D':
      case 'AveragePooling1D':
      case 'AveragePooling2D': {
        const filter = pair(c['pool_size']);
        const stride = pair(c['strides'] ?? c['pool_size']);
        const padding = c['padding'] as Padding;
        shape = [1, convOut(shape[1]!, filter[0], stride[0], 1, padding), convOut(shape[2]!, filter[1], stride[1], 1, padding), shape[3]!];
        const y = out(`${c.name}/out`, shape);
        ops.push({ op: l.class_name.startsWith('Max') ? 'maxPool2d' : 'avgPool2d', inputs: [x], outputs: [y], filter, stride, padding, activation: 'none' });
        x = y;
        break;
      }
      case 'GlobalAveragePooling1D':
      case 'GlobalAveragePooling2D': {
        shape = [1, shape[3]!];
        const y = out(`${c.name}/out`, shape);
        ops.push({ op: 'globalAvgPool', inputs: [x], outputs: [y] });
        x = y;
        break;
      }
      case 'Flatten':
      case 'Reshape': {
        const target = l.class_name === 'Flatten' ? [shape.slice(1).reduce((p, q) => p * q, 1)] : (c['target_shape'] as number[]);
        const next = irShape(resolveReshape(target, shape.slice(1).reduce((p, q) => p * q, 1)));
        if (JSON.stringify(next) === JSON.stringify(shape)) break;
        shape = next;
        const y = out(`${c.name}/out`, shape);
        ops.push({ op: 'reshape', inputs: [x], outputs: [y] });
        x = y;
        break;
      }
      case 'Dropout':
      case 'SpatialDropout1D':
      case 'GaussianNoise':
        foldable = next;
        break;
      case 'BatchNormalization': {
        const eps = Number(c['epsilon'] ?? 1e-3);
        const channels = shape[shape.length - 1]!;
        const gamma = c['scale'] === false ? new Float32Array(channels).fill(1) : weightOf(l, i, 'gamma').data;
        const beta = c['center'] === false ? new Float32Array(channels) : weightOf(l, i, 'beta').data;
        const mean = weightOf(l, i, 'moving_mean').data;
        const variance = weightOf(l, i, 'moving_variance').data;
        const scale = Float32Array.from(gamma, (g, ch) => g / Math.sqrt(variance[ch]! + eps));
        const shift = Float32Array.from(beta, (bt, ch) => bt - mean[ch]! * scale[ch]!);
        if (next) {
          foldBatchNorm(next, scale, shift);
          break;
        }
        // Not foldable (an activation sits between): a 1×1 depthwise conv applies scale and shift.
        const flat = shape.length === 2;
        let src = x;
        if (flat) {
          src = out(`${c.name}/as_image`, [1, 1, 1, channels]);
          ops.push({ op: 'reshape', inputs: [x], outputs: [src] });
        }
        const wt = b.tensor(`${c.name}/scale`, [1, 1, 1, channels], 'float32', { data: scale });
        const bt = b.tensor(`${c.name}/shift`, [channels], 'float32', { data: shift });
        let y = out(`${c.name}/out`, flat ? [1, 1, 1, channels] : shape);
        ops.push({ op: 'depthwiseConv2d', inputs: [src, wt, bt], outputs: [y], stride: [1, 1], dilation: [1, 1], padding: 'valid', depthMultiplier: 1, activation: 'none' });
        if (flat) {
          const z = out(`${c.name}/flat`, shape);
          ops.push({ op: 'reshape', inputs: [y], outputs: [z] });
          y = z;
        }
        x = y;
        break;
      }
      case 'Activation':
      case 'ReLU': {
        const a = l.class_name === 'ReLU' ? (c['max_value'] === 6 ? 'relu6' : 'relu') : (c['activation'] as string);
        throw unsupportedLayer(`${where(i, l)}: a separate ${a} activation layer cannot be expressed in the model IR`, `Set activation: ${a} on the layer before it instead.`);
      }
      default:
        throw unsupportedLayer(
          `${where(i, l)}: this layer type cannot be expressed in the model IR`,
          'Use dense, conv1d, conv2d, depthwise or separable conv, max/average pooling, global average pooling, flatten, reshape, dropout or batch norm.',
        );
    }
  }
  for (const op of ops) b.op(op);
  return b.build([input], [x], metadata);
}

/** Keras per-row shape → IR shape: [n] → [1, n]; [frames, ch] → [1, 1, frames, ch]; [h, w, c] → [1, h, w, c]. */
function irShape(keras: readonly number[]): number[] {
  if (keras.length === 1) return [1, keras[0]!];
  if (keras.length === 2) return [1, 1, keras[0]!, keras[1]!];
  if (keras.length === 3) return [1, ...keras];
  throw unsupportedLayer(`a tensor of shape [${keras.join(', ')}] cannot be expressed in the model IR (rank 1 to 3 per row)`, 'Reshape to at most [height, width, channels].');
}

function resolveReshape(target: readonly number[], total: number): number[] {
  const known = target.filter((d) => d !== -1).reduce((p, q) => p * q, 1);
  return target.map((d) => (d === -1 ? total / known : d));
}

function convOut(size: number, k: number, stride: number, dilation: number, padding: Padding): number {
  const eff = (k - 1) * dilation + 1;
  return padding === 'same' ? Math.ceil(size / stride) : Math.floor((size - eff) / stride) + 1;
}

function transpose2(src: Float32Array, rows: number, cols: number): Float32Array {
  const dst = new Float32Array(src.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) dst[c * rows + r] = src[r * cols + c]!;
  return dst;
}

/** Keras conv kernel [kh, kw, in, out] → [out, kh, kw, in]. */
function kerasConvToOhwi(src: Float32Array, kh: number, kw: number, inC: number, outC: number): Float32Array {
  const dst = new Float32Array(src.length);
  for (let o = 0; o < outC; o++)
    for (let y = 0; y < kh; y++)
      for (let x = 0; x < kw; x++) for (let i = 0; i < inC; i++) dst[((o * kh + y) * kw + x) * inC + i] = src[((y * kw + x) * inC + i) * outC + o]!;
  return dst;
}

/** Scales output channel c of a conv/depthwise/dense by scale[c] and shifts its bias, in place (the builder copies constants at build()). */
function foldBatchNorm(target: { op: 'conv2d' | 'depthwiseConv2d' | 'fullyConnected'; weights: Float32Array; bias: Float32Array; output: number }, scale: Float32Array, shift: Float32Array): void {
  const channels = scale.length;
  const { weights, bias } = target;
  if (target.op === 'depthwiseConv2d') {
    for (let k = 0; k < weights.length; k++) weights[k]! *= scale[k % channels]!;
  } else {
    const per = weights.length / channels;
    for (let k = 0; k < weights.length; k++) weights[k]! *= scale[Math.floor(k / per)]!;
  }
  for (let ch = 0; ch < channels; ch++) bias[ch] = bias[ch]! * scale[ch]! + shift[ch]!;
}

function readWeights(saved: SavedLayersModel, bytes: Uint8Array): Map<string, { data: Float32Array; shape: number[] }> {
  const map = new Map<string, { data: Float32Array; shape: number[] }>();
  let at = 0;
  for (const group of saved.weightsManifest) {
    for (const w of group.weights) {
      const n = w.shape.reduce((p, q) => p * q, 1);
      if (w.dtype !== 'float32') throw unsupportedLayer(`weight ${w.name} is ${w.dtype}`, 'Retrain the learn block (impulse run --force).');
      const data = new Float32Array(n);
      new Uint8Array(data.buffer).set(bytes.subarray(at, at + n * 4));
      at += n * 4;
      map.set(w.name, { data, shape: w.shape });
    }
  }
  return map;
}
