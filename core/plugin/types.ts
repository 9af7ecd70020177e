/**
 * The plugin contract. Built-in blocks and targets use exactly this API; so do npm plugins.
 * A block is one folder exporting one `defineBlock(...)` value; core dispatches on `kind`
 * and never on a particular `type`.
 */
import type { Static, TObject } from '@sinclair/typebox';
import type { TensorSet, SampleIndex } from '../artifact/types.js';
import type { ModelIR } from '../model/ir.js';

/** What flows along an edge of the impulse graph. */
export type PortKind = 'samples' | 'signal' | 'image' | 'features' | 'model';

/** Analytic cost of one inference of a block (per window), for device estimates. */
export interface CostEstimate {
  /** Multiply-accumulates (or equivalent arithmetic ops). */
  readonly macs: number;
  /** Other floating point ops (log, sqrt, trig ...), counted separately: they are dearer on an MCU. */
  readonly flops?: number;
  /** Working memory needed while running, in bytes. */
  readonly ramBytes?: number;
  /** Constant tables (filter banks, DCT matrices ...) in bytes. */
  readonly flashBytes?: number;
}

/** Progress, logs and cancellation for the work of one stage. */
export interface StageContext {
  readonly stageId: string;
  readonly seed: number;
  /** Absolute folder holding the impulse file; user paths resolve against it. */
  readonly projectDir: string;
  /** Empty folder to write the stage's output files into (becomes the cache entry). */
  readonly outDir: string;
  /** Worker threads the stage may use. */
  readonly jobs: number;
  readonly signal: AbortSignal;
  progress(done: number, total: number, unit?: string): void;
  log(message: string): void;
  /** Headline facts for the run summary (e.g. { backend: 'wasm', parameters: 1033 }). */
  report?(facts: Readonly<Record<string, string | number>>): void;
}

/** Shape and meaning of the tensors a DSP block receives per window. */
export interface SignalInfo {
  /** Per-row shape: [frames, axes] for time series, [height, width, channels] for images, [n] for features. */
  readonly shape: readonly number[];
  /** Sampling frequency in Hz (time series only). */
  readonly frequency?: number;
  /** Axis names (time series only). */
  readonly axes?: readonly string[];
}

interface BlockBase<P extends TObject> {
  readonly type: string;
  /** Implementation version; part of every cache key, bump it when outputs change. */
  readonly version: number;
  readonly title: string;
  readonly description: string;
  /** TypeBox schema of `params`, with a description and a default for every key. */
  readonly params: P;
  /**
   * Content the block reads besides its inputs (e.g. a user's model.ts), as name → content
   * hash. Added to the stage's cache key so editing such a file reruns the stage.
   */
  cacheInputs?(params: Static<P>, projectDir: string): Record<string, string>;
}

/** Turns the data stage's samples into windows (time series) or images. */
export interface InputBlock<P extends TObject = TObject> extends BlockBase<P> {
  readonly kind: 'input';
  readonly output: 'signal' | 'image';
  /** Per-row info of the output without reading data (for graph checks and DSP shapes). */
  info(params: Static<P>): SignalInfo;
  run(ctx: StageContext, samples: SampleIndex, options: InputOptions, params: Static<P>): Promise<InputResult>;
}

export interface InputOptions {
  /** Absolute folder the sample ids are relative to. */
  readonly dataRoot: string;
  /** 'stop': the first bad sample throws an ImpulseError naming it; 'skip': it is skipped and reported. */
  readonly onError: 'stop' | 'skip';
}

/** A sample the input block could not use, with the user-facing reason. */
export interface SkippedSample {
  readonly sample: string;
  readonly reason: string;
}

export interface InputResult {
  readonly set: TensorSet;
  readonly skipped: readonly SkippedSample[];
}

/**
 * A DSP block is a pure function of one window. Core maps it over all windows in worker
 * threads, so `module` must be the URL of a module exporting this block (as its default
 * export, in a default-exported list, or by name): pass `import.meta.url`.
 */
export interface DspBlock<P extends TObject = TObject> extends BlockBase<P> {
  readonly kind: 'dsp';
  readonly accepts: readonly PortKind[];
  readonly module: string;
  /** Output shape for one window, e.g. [frames, coefficients]. */
  shape(params: Static<P>, input: SignalInfo): number[];
  process(params: Static<P>, window: Float32Array, input: SignalInfo): Float32Array;
  /**
   * Optional allocation-free form of `process`: writes the window's features into `out`
   * (exactly the shape's size; it may hold old values, so write every one). Core prefers it
   * when mapping many windows — a fresh array per window is a large share of a cheap block's time.
   */
  processInto?(params: Static<P>, window: Float32Array, input: SignalInfo, out: Float32Array): void;
  cost?(params: Static<P>, input: SignalInfo): CostEstimate;
  /**
   * The block's C implementation for the on-device SDK (the `cpp` target asks every block of the
   * impulse for it; a block without it cannot be deployed as C). `fn` is the name the instance's
   * function must have.
   */
  c?(params: Static<P>, input: SignalInfo, names: { readonly fn: string }): BlockCCode;
  /** Optional one-off check of params against the input (e.g. fftLength vs frame length); throws ImpulseError. */
  validate?(params: Static<P>, input: SignalInfo): void;
}

/**
 * C code of one block instance for the generated SDK (C99, no heap, no globals written at run time).
 * - `sources`: shared files (the same for every instance and params), path → content, paths relative
 *   to the SDK's `blocks/` folder (e.g. `mfcc/mfcc.c`, `common/fft.c`); the generator writes each
 *   path once (two blocks giving one path must give the same content) and compiles every `.c`.
 * - `instance`: one C file for this instance. It defines
 *   DSP:   `int <fn>(const float *input, float *output, float *scratch)` — input: one window exactly
 *          as the TS block receives it (row-major); output: the features (the shape's element count);
 *          scratch: `scratchFloats` floats of the SDK's arena. Returns 0, or non-zero on failure.
 *   learn: `float <fn>(const float *features, float *scratch)` — the anomaly score of one row.
 *   Its constants (tables, config) are `static const` (flash); names it exports start with `fn`.
 */
export interface BlockCCode {
  readonly sources: ReadonlyMap<string, string>;
  readonly instance: string;
  readonly scratchFloats: number;
}

/** What a learn block's evaluation is about: decides which metrics core computes. */
export type LearnTask = 'classification' | 'regression' | 'anomaly';

/** Trains on features; writes its model into ctx.outDir. */
export interface LearnBlock<P extends TObject = TObject> extends BlockBase<P> {
  readonly kind: 'learn';
  readonly task: LearnTask;
  readonly accepts: readonly PortKind[];
  train(ctx: StageContext, data: TensorSet, params: Static<P>): Promise<void>;
  /** Scores per row: class probabilities (rows × labels), a value, or an anomaly score. */
  predict(ctx: StageContext, modelDir: string, data: TensorSet, params: Static<P>): Promise<Float32Array>;
  /**
   * The trained network as model IR — float32 (quantized by the `quantize:<id>` stage) or, for an
   * imported model, as it came. Core stores it beside the model; it feeds int8 evaluation and
   * every deployment target. Blocks without a network (k-means, GMM) leave this out.
   */
  toModel?(modelDir: string, params: Static<P>): Promise<ModelIR>;
  /** Checks at `impulse validate` time that the block's network will convert to the IR (throws ImpulseError). */
  checkModel?(params: Static<P>): void;
  /** C for blocks without a network (anomaly scores): the trained model in `modelDir` as a BlockCCode. */
  c?(modelDir: string, params: Static<P>, featureShape: readonly number[], names: { readonly fn: string }): Promise<BlockCCode>;
}

export type Block = InputBlock | DspBlock | LearnBlock;
export type BlockKind = Block['kind'];

/** A file tree a target generates in memory; core writes it out (or lists it with --dry-run). */
export type FileTree = Map<string, string | Uint8Array>;

/** The input block of the impulse as a target sees it. */
export interface TargetImpulseInput {
  readonly type: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** Per-window shape (and frequency, axes for time series) the input block produces. */
  readonly info: SignalInfo;
}

/** A DSP block of the impulse, with what it reads and the shape it writes per window. */
export interface TargetDsp {
  readonly id: string;
  readonly block: DspBlock;
  readonly params: Readonly<Record<string, unknown>>;
  /** 'input' or other DSP block ids. */
  readonly from: readonly string[];
  readonly inputInfo: SignalInfo;
  readonly outputShape: readonly number[];
}

/** A learn block with its trained model(s). */
export interface TargetLearn {
  readonly id: string;
  readonly block: LearnBlock;
  readonly params: Readonly<Record<string, unknown>>;
  /** DSP block ids whose features (concatenated, in this order) the model reads. */
  readonly from: readonly string[];
  readonly modelDir: string;
  readonly labels: readonly string[];
  readonly featureShape: readonly number[];
  /** The network as IR: float32 (or as imported), and int8 when quantized. Absent for blocks without a network (anomaly models: read modelDir). */
  readonly float?: ModelIR;
  readonly int8?: ModelIR;
}

/** Everything a target generates from: the whole impulse, not only its models. */
export interface TargetImpulse {
  readonly name: string;
  readonly input: TargetImpulseInput;
  readonly dsp: readonly TargetDsp[];
  /** The learn blocks named by the deploy entry's `from`. */
  readonly learn: readonly TargetLearn[];
}

export interface Target<P extends TObject = TObject> {
  readonly kind: 'target';
  readonly type: string;
  readonly version: number;
  readonly title: string;
  readonly description: string;
  readonly params: P;
  generate(ctx: StageContext, impulse: TargetImpulse, params: Static<P>): Promise<FileTree>;
}
