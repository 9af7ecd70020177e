/**
 * Layer list → resolved layers with every option filled in and the shape after each layer.
 * Pure (no TF.js): validates the list, expands presets, adapts the input shape (e.g. [n] → [n, 1]
 * for conv1d, [h, w] → [h, w, 1] for conv2d), flattens before dense, and appends the output layer.
 * Problems are ImpulseErrors naming the layer (`layers[2] (conv1d)`) and what to do.
 */
import { didYouMean, learnError, LearnErrorCode } from '../errors.js';
import { PRESET_NAMES, PRESETS } from './presets.js';
import { ACTIVATIONS, LAYER_NAMES, type Activation, type LayerName, type Padding } from './schema.js';

type Pair = [number, number];

export type ResolvedLayer = { name: string; shape: number[]; auto?: string } & (
  | { type: 'dense'; units: number; activation: Activation }
  | { type: 'conv1d'; filters: number; kernel: number; strides: number; padding: Padding; activation: Activation }
  | { type: 'conv2d'; filters: number; kernel: Pair; strides: Pair; padding: Padding; activation: Activation }
  | { type: 'depthwiseConv2d'; depthMultiplier: number; kernel: Pair; strides: Pair; padding: Padding; activation: Activation }
  | { type: 'separableConv2d'; filters: number; depthMultiplier: number; kernel: Pair; strides: Pair; padding: Padding; activation: Activation }
  | { type: 'maxPool1d' | 'avgPool1d'; poolSize: number; strides: number; padding: Padding }
  | { type: 'maxPool2d' | 'avgPool2d'; poolSize: Pair; strides: Pair; padding: Padding }
  | { type: 'globalAvgPool1d' | 'globalAvgPool2d' }
  | { type: 'flatten' }
  | { type: 'reshape'; targetShape: number[] }
  | { type: 'dropout'; rate: number }
  | { type: 'batchNorm'; momentum: number; epsilon: number }
);

/** Distributes over the union so each member keeps its own fields. */
type WithoutCommon<T> = T extends unknown ? Omit<T, 'name' | 'shape' | 'auto'> : never;
type LayerBody = WithoutCommon<ResolvedLayer>;

export interface OutputSpec {
  readonly units: number;
  readonly activation: 'softmax' | 'linear';
  /** For messages: "one unit per label (3)". */
  readonly what: string;
}

export interface ExpandedModel {
  readonly inputShape: number[];
  readonly layers: ResolvedLayer[];
  readonly outputShape: number[];
  /** What was adapted automatically, for the log. */
  readonly notes: string[];
  /** The preset the list came from, if any. */
  readonly preset?: string;
}

/** Resolves a preset name to its layer list; ImpulseError with a suggestion for an unknown one. */
export function presetLayers(name: string): readonly unknown[] {
  const layers = (PRESETS as Record<string, readonly unknown[]>)[name];
  if (!layers) {
    throw learnError(
      LearnErrorCode.unknownPreset,
      `unknown layers preset '${name}'`,
      `Use one of ${PRESET_NAMES.join(', ')}, or a list of layers.${didYouMean(name, PRESET_NAMES)}`,
    );
  }
  return layers;
}

const prod = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
const fmt = (s: readonly number[]) => `[${s.join(', ')}]`;
const snake = (t: string) => t.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export function expandLayers(spec: unknown, inputShape: readonly number[], output: OutputSpec): ExpandedModel {
  let list: readonly unknown[];
  let preset: string | undefined;
  if (typeof spec === 'string') {
    preset = spec;
    list = presetLayers(spec);
  } else if (Array.isArray(spec)) {
    list = spec;
  } else {
    throw learnError(
      LearnErrorCode.badLayer,
      `layers must be a list of layers or a preset name, got ${JSON.stringify(spec)}`,
      `e.g. layers: [{ dense: { units: 20 } }, { dense: { units: 10 } }], or one of ${PRESET_NAMES.join(', ')}`,
    );
  }
  if (inputShape.length === 0 || inputShape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new Error(`bad feature shape ${fmt(inputShape)}`);
  }

  const out: ResolvedLayer[] = [];
  const notes: string[] = [];
  let shape = [...inputShape];
  let atInput = true; // no shape-changing layer yet: the input may still be adapted
  const push = (body: LayerBody, next: number[], auto?: string) => {
    const layer = { ...body, name: `${snake(body.type)}_${out.length + 1}`, shape: next } as ResolvedLayer;
    if (auto) {
      layer.auto = auto;
      notes.push(`${layer.name}: ${auto}`);
    }
    out.push(layer);
    shape = next;
  };
  const flattenIfNeeded = (why: string) => {
    if (shape.length > 1) push({ type: 'flatten' }, [prod(shape)], `flatten ${fmt(shape)} before ${why}`);
  };

  list.forEach((item, i) => {
    const where = preset ? `${preset} layers[${i}]` : `layers[${i}]`;
    const { type, opts } = parseItem(item, where);
    const at = `${where} (${type})`;
    let options: Options | undefined;
    const o = () => (options ??= new Options(opts, at));
    const needRank = (rank: 2 | 3) => {
      if (shape.length === rank) return;
      const from = [...shape];
      let to: number[] | undefined;
      if (atInput && rank === 2 && shape.length === 1) to = [shape[0]!, 1];
      else if (atInput && rank === 2 && shape.length === 3) to = [shape[0]!, shape[1]! * shape[2]!];
      else if (atInput && rank === 3 && shape.length === 2) to = [shape[0]!, shape[1]!, 1];
      if (to) {
        push({ type: 'reshape', targetShape: to }, to, `input ${fmt(from)} reshaped to ${fmt(to)} for ${type}`);
        return;
      }
      const side = Math.round(Math.sqrt(prod(shape)));
      const example = rank === 3 && side * side === prod(shape) ? ` e.g. { reshape: { shape: [${side}, ${side}, 1] } }` : '';
      throw learnError(
        LearnErrorCode.badLayer,
        `${at} needs a ${rank === 2 ? '[length, channels]' : '[height, width, channels]'} input, but receives ${fmt(shape)}`,
        `Add a reshape layer before it${example}, or use a ${rank === 2 ? '2-D' : '1-D'} layer.`,
      );
    };

    switch (type) {
      case 'dense': {
        o().check(['units', 'activation']);
        const units = o().int('units');
        const activation = o().activation('activation') ?? 'relu';
        flattenIfNeeded(`${type}`);
        push({ type, units, activation }, [units]);
        break;
      }
      case 'conv1d': {
        o().check(['filters', 'kernel', 'strides', 'padding', 'activation']);
        const filters = o().int('filters');
        const kernel = o().int('kernel', 3);
        const strides = o().int('strides', 1);
        const padding = o().padding('padding', 'same');
        const activation = o().activation('activation') ?? 'relu';
        needRank(2);
        const len = outLen(shape[0]!, kernel, strides, padding, at, 'kernel');
        push({ type, filters, kernel, strides, padding, activation }, [len, filters]);
        break;
      }
      case 'conv2d':
      case 'depthwiseConv2d':
      case 'separableConv2d': {
        const keys = ['kernel', 'strides', 'padding', 'activation'];
        if (type !== 'depthwiseConv2d') keys.push('filters');
        if (type !== 'conv2d') keys.push('depthMultiplier');
        o().check(keys);
        const filters = type === 'depthwiseConv2d' ? 0 : o().int('filters');
        const depthMultiplier = type === 'conv2d' ? 1 : o().int('depthMultiplier', 1);
        const kernel = o().pair('kernel', 3);
        const strides = o().pair('strides', 1);
        const padding = o().padding('padding', 'same');
        const activation = o().activation('activation') ?? 'relu';
        needRank(3);
        const h = outLen(shape[0]!, kernel[0], strides[0], padding, at, 'kernel');
        const w = outLen(shape[1]!, kernel[1], strides[1], padding, at, 'kernel');
        const common = { kernel, strides, padding, activation };
        if (type === 'conv2d') push({ type, filters, ...common }, [h, w, filters]);
        else if (type === 'depthwiseConv2d') push({ type, depthMultiplier, ...common }, [h, w, shape[2]! * depthMultiplier]);
        else push({ type, filters, depthMultiplier, ...common }, [h, w, filters]);
        break;
      }
      case 'maxPool1d':
      case 'avgPool1d': {
        const p = typeof opts === 'number' ? { poolSize: opts } : opts;
        const po = new Options(p, at);
        po.check(['poolSize', 'strides', 'padding']);
        const poolSize = po.int('poolSize', 2);
        const strides = po.int('strides', poolSize);
        const padding = po.padding('padding', 'same');
        needRank(2);
        push({ type, poolSize, strides, padding }, [outLen(shape[0]!, poolSize, strides, padding, at, 'pool'), shape[1]!]);
        break;
      }
      case 'maxPool2d':
      case 'avgPool2d': {
        const p = typeof opts === 'number' || Array.isArray(opts) ? { poolSize: opts } : opts;
        const po = new Options(p, at);
        po.check(['poolSize', 'strides', 'padding']);
        const poolSize = po.pair('poolSize', 2);
        const strides = po.pair('strides', poolSize);
        const padding = po.padding('padding', 'same');
        needRank(3);
        const h = outLen(shape[0]!, poolSize[0], strides[0], padding, at, 'pool');
        const w = outLen(shape[1]!, poolSize[1], strides[1], padding, at, 'pool');
        push({ type, poolSize, strides, padding }, [h, w, shape[2]!]);
        break;
      }
      case 'globalAvgPool': {
        o().check([]);
        if (shape.length === 2) push({ type: 'globalAvgPool1d' }, [shape[1]!]);
        else if (shape.length === 3) push({ type: 'globalAvgPool2d' }, [shape[2]!]);
        else {
          throw learnError(
            LearnErrorCode.badLayer,
            `${at} needs a [length, channels] or [height, width, channels] input, but receives ${fmt(shape)}`,
            'Use it after a convolution; a feature vector has nothing to pool.',
          );
        }
        break;
      }
      case 'flatten': {
        o().check([]);
        if (shape.length > 1) push({ type }, [prod(shape)]);
        break;
      }
      case 'reshape': {
        const target = Array.isArray(opts) ? opts : new Options(opts, at).check(['shape']).get('shape');
        push({ type, targetShape: reshapeTarget(target, shape, at) }, reshapeTarget(target, shape, at));
        break;
      }
      case 'dropout': {
        const rate = typeof opts === 'number' ? opts : new Options(opts, at).check(['rate']).get('rate');
        if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) {
          throw learnError(LearnErrorCode.badLayer, `${at}: rate must be a number in [0, 1), got ${JSON.stringify(rate)}`, 'e.g. { dropout: 0.25 }');
        }
        push({ type, rate }, [...shape]);
        break;
      }
      case 'batchNorm': {
        o().check(['momentum', 'epsilon']);
        push({ type, momentum: o().num('momentum', 0.99), epsilon: o().num('epsilon', 0.001) }, [...shape]);
        break;
      }
    }
    if (type !== 'dropout' && type !== 'batchNorm') atInput = false;
  });

  // The output layer: the user's last layer when it is a dense with the right number of units.
  const last = out[out.length - 1];
  const lastItem = list[list.length - 1];
  if (last?.type === 'dense' && last.units === output.units) {
    const given = parseItem(lastItem, '').opts as { activation?: unknown };
    if (given.activation !== undefined && given.activation !== output.activation) {
      throw learnError(
        LearnErrorCode.badLayer,
        `the last layer (dense, ${output.units} units) is the output layer and must use activation '${output.activation}', not '${String(given.activation)}'`,
        `Remove its activation (it becomes '${output.activation}'), or end with another layer and let the block append the output layer.`,
      );
    }
    last.activation = output.activation;
  } else {
    flattenIfNeeded('the output layer');
    push({ type: 'dense', units: output.units, activation: output.activation }, [output.units], `output layer, ${output.what}`);
  }
  return { inputShape: [...inputShape], layers: out, outputShape: shape, notes, ...(preset ? { preset } : {}) };
}

function parseItem(item: unknown, where: string): { type: LayerName; opts: unknown } {
  if (typeof item !== 'object' || item === null || Array.isArray(item) || Object.keys(item).length !== 1) {
    throw learnError(
      LearnErrorCode.badLayer,
      `${where} must be an object with one key, the layer type; got ${JSON.stringify(item)}`,
      `e.g. { dense: { units: 16 } }. Layer types: ${LAYER_NAMES.join(', ')}.`,
    );
  }
  const [key, opts] = Object.entries(item)[0]!;
  if (!(LAYER_NAMES as string[]).includes(key)) {
    throw learnError(
      LearnErrorCode.unknownLayer,
      `${where}: unknown layer type '${key}'`,
      `Layer types: ${LAYER_NAMES.join(', ')}.${didYouMean(key, LAYER_NAMES)}`,
    );
  }
  return { type: key as LayerName, opts: opts === true || opts === null || opts === undefined ? {} : opts };
}

/** Output length of a convolution or pooling window over `n`. */
function outLen(n: number, k: number, s: number, padding: Padding, at: string, what: 'kernel' | 'pool'): number {
  if (padding === 'same') return Math.ceil(n / s);
  const len = Math.floor((n - k) / s) + 1;
  if (len < 1) {
    throw learnError(
      LearnErrorCode.badLayer,
      `${at}: ${what} size ${k} is larger than its input (${n})`,
      `Use a smaller ${what === 'kernel' ? 'kernel' : 'pool size'}, padding: 'same', or fewer pooling layers before it.`,
    );
  }
  return len;
}

function reshapeTarget(target: unknown, shape: readonly number[], at: string): number[] {
  const size = prod(shape);
  const bad = (why: string) =>
    learnError(LearnErrorCode.badLayer, `${at}: ${why}`, `The input has ${fmt(shape)} = ${size} values; give a shape with the same number, e.g. [${size}, 1].`);
  if (!Array.isArray(target) || target.length === 0 || target.some((d) => !Number.isInteger(d) || (d < 1 && d !== -1))) {
    throw bad(`shape must be a list of positive integers (one may be -1), got ${JSON.stringify(target)}`);
  }
  const dims = target as number[];
  const unknown = dims.filter((d) => d === -1).length;
  if (unknown > 1) throw bad('only one dimension may be -1');
  const known = prod(dims.filter((d) => d !== -1));
  if (unknown === 1) {
    if (size % known !== 0) throw bad(`cannot reshape ${fmt(shape)} to ${fmt(dims)}`);
    return dims.map((d) => (d === -1 ? size / known : d));
  }
  if (known !== size) throw bad(`cannot reshape ${fmt(shape)} (${size} values) to ${fmt(dims)} (${known} values)`);
  return [...dims];
}

/** Reads and checks the options object of one layer. */
class Options {
  private readonly o: Record<string, unknown>;
  constructor(
    opts: unknown,
    private readonly at: string,
  ) {
    if (opts === undefined || opts === null || opts === true) this.o = {};
    else if (typeof opts === 'object' && !Array.isArray(opts)) this.o = opts as Record<string, unknown>;
    else throw learnError(LearnErrorCode.badLayer, `${at}: options must be an object, got ${JSON.stringify(opts)}`);
  }
  check(known: readonly string[]): this {
    for (const k of Object.keys(this.o)) {
      if (!known.includes(k)) {
        throw learnError(
          LearnErrorCode.badLayer,
          `${this.at}: unknown option '${k}'`,
          known.length ? `Options: ${known.join(', ')}.${didYouMean(k, known)}` : 'This layer takes no options: use {}.',
        );
      }
    }
    return this;
  }
  get(key: string): unknown {
    return this.o[key];
  }
  int(key: string, dflt?: number): number {
    const v = this.o[key] ?? dflt;
    if (v === undefined) throw learnError(LearnErrorCode.badLayer, `${this.at}: '${key}' is required`, `e.g. ${key}: 16`);
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
      throw learnError(LearnErrorCode.badLayer, `${this.at}: '${key}' must be a positive integer, got ${JSON.stringify(v)}`);
    }
    return v;
  }
  num(key: string, dflt: number): number {
    const v = this.o[key] ?? dflt;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw learnError(LearnErrorCode.badLayer, `${this.at}: '${key}' must be a non-negative number, got ${JSON.stringify(v)}`);
    }
    return v;
  }
  pair(key: string, dflt: number | Pair): Pair {
    const v = this.o[key] ?? dflt;
    const ok = (x: unknown) => typeof x === 'number' && Number.isInteger(x) && x >= 1;
    if (ok(v)) return [v as number, v as number];
    if (Array.isArray(v) && v.length === 2 && v.every(ok)) return [v[0] as number, v[1] as number];
    throw learnError(LearnErrorCode.badLayer, `${this.at}: '${key}' must be a positive integer or [height, width], got ${JSON.stringify(v)}`);
  }
  padding(key: string, dflt: Padding): Padding {
    const v = this.o[key] ?? dflt;
    if (v !== 'same' && v !== 'valid') {
      throw learnError(LearnErrorCode.badLayer, `${this.at}: padding must be 'same' or 'valid', got ${JSON.stringify(v)}`);
    }
    return v;
  }
  activation(key: string): Activation | undefined {
    const v = this.o[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || !(ACTIVATIONS as readonly string[]).includes(v)) {
      throw learnError(
        LearnErrorCode.badLayer,
        `${this.at}: unknown activation ${JSON.stringify(v)}`,
        `Activations: ${ACTIVATIONS.join(', ')}.${typeof v === 'string' ? didYouMean(v, ACTIVATIONS) : ''}`,
      );
    }
    return v as Activation;
  }
}
