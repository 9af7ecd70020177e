/**
 * What an expert block's model module sees. A model module (default: ./model.ts next to the
 * impulse file) exports
 *
 *   export default function buildModel(args: BuildModelArgs): LayersModel   // uncompiled
 *   export async function train(args: TrainArgs): Promise<TrainHistory | void>   // optional
 *
 * Type-only: importing this file does not load TF.js.
 */
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { TfCore, TfLayers } from '../common/tf/load.js';
import type { FitData, FitResult } from '../common/nn/loop.js';
import type { ExpertParams } from './params.js';

export interface BuildModelArgs {
  /** @tensorflow/tfjs-core as loaded by impulse-kit (the backend in use). */
  readonly tf: TfCore;
  /** @tensorflow/tfjs-layers: `layers.sequential()`, `layers.layers.dense(…)`, `layers.model(…)`. */
  readonly layers: TfLayers;
  /** Shape of one feature row, e.g. [39] or [49, 13]: the model's input shape (without the batch dimension). */
  readonly inputShape: number[];
  /** Labels in output-unit order: the last layer must have this many units and a softmax. */
  readonly labels: string[];
  /** The impulse seed. */
  readonly seed: number;
  /** A new seeded Glorot-uniform initializer on every call (calls in the same order give the same weights). */
  initializer(): ReturnType<TfLayers['initializers']['glorotUniform']>;
  /** The block's params (epochs, learningRate, … and anything the model wants to read). */
  readonly params: ExpertParams;
}

/** Builds the network; may be async. Do not compile it: the block trains it with its own loop. */
export type BuildModel = (args: BuildModelArgs) => LayersModel | Promise<LayersModel>;

export interface TrainArgs extends BuildModelArgs {
  /** The model buildModel returned. Train it in place; the block saves it afterwards. */
  readonly model: LayersModel;
  /** Training rows (x: n × inputShape, flat) and one-hot targets (y: n × labels); weights when classWeights: auto. */
  readonly train: FitData;
  /** Rows held out for validation (validationSplit), if any. Testing rows are never here. */
  readonly validation: FitData | undefined;
  log(message: string): void;
  progress(done: number, total: number, unit?: string): void;
  readonly signal: AbortSignal;
  /** The block's own seeded training loop with the block's params: call it to wrap it. */
  fit(): Promise<FitResult>;
}

/** What a custom train may return: per-epoch records for history.json. */
export interface TrainHistory {
  readonly epochs?: readonly Record<string, number>[];
  readonly [key: string]: unknown;
}

export type TrainModel = (args: TrainArgs) => Promise<TrainHistory | void> | TrainHistory | void;
