/**
 * The steps every neural learn block shares: pick TRAINING rows, hold out validation samples,
 * expand the layer list, build, fit, save (model.json + weights.bin, history.json, training.json).
 * Loaded lazily (imports TF.js through blocks/learn/common/tf/load.ts only when called).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { TensorSet } from '../../../../core/artifact/types.js';
import type { StageContext } from '../../../../core/plugin/types.js';
import { loadTf, type LoadedTf } from '../tf/load.js';
import { expandLayers, type ExpandedModel, type OutputSpec } from '../layers/expand.js';
import { earlyStoppingOf } from '../params.js';
import { checkTensorSet, gatherRows, trainingRows } from '../rows.js';
import type { Schedule } from '../schedule.js';
import { validationSplit } from '../split.js';
import { buildModel, summary } from './build.js';
import { fit, type FitData, type FitOptions, type FitResult } from './loop.js';
import { saveModel } from './model-io.js';

export interface NetworkParams {
  readonly layers: unknown;
  readonly epochs: number;
  readonly learningRate: number;
  readonly batchSize: number;
  readonly optimizer: 'adam' | 'sgd';
  readonly schedule: Schedule;
  readonly validationSplit: number;
  /** false, or { patience?, minDelta? } (filled in here). */
  readonly earlyStopping: unknown;
  readonly replicas: number;
}

export interface NetworkTask {
  /** Model name in model.json. */
  readonly name: string;
  readonly output: OutputSpec;
  readonly loss: FitOptions['loss'];
  /** Targets of rows (n × output.units). */
  targets(rows: readonly number[]): Float32Array;
  /** Per-row loss weights, or undefined for all 1. */
  weights?(rows: readonly number[]): Float32Array | undefined;
  readonly augment?: FitOptions['augment'];
  /** Runs after training, before saving (e.g. folding target scaling into the last layer). */
  finish?(model: LayersModel, loaded: LoadedTf): void;
  /** Extra fields of training.json. */
  readonly info?: Record<string, unknown>;
}

export interface TrainedNetwork {
  readonly expanded: ExpandedModel;
  readonly result: FitResult;
  readonly trainRows: readonly number[];
  readonly validationRows: readonly number[];
}

export async function trainNetwork(ctx: StageContext, data: TensorSet, p: NetworkParams, task: NetworkTask): Promise<TrainedNetwork> {
  checkTensorSet(data);
  const rows = trainingRows(data);
  const split = validationSplit(data, rows, p.validationSplit, ctx.seed);
  const expanded = expandLayers(p.layers, data.shape, task.output);
  ctx.log(
    `${rows.length} training rows: ${split.train.length} to train on, ${split.validation.length} for validation` +
      ` (${new Set(split.validation.map((r) => data.rows[r]!.sample)).size} samples); testing rows are not used`,
  );
  for (const note of expanded.notes) ctx.log(note);

  const loaded = await loadTf();
  const model = buildModel(loaded, expanded, ctx.seed, task.name);
  try {
    ctx.log(`backend ${loaded.backend}; ${model.countParams()} parameters`);
    ctx.report?.({ backend: `TF.js ${loaded.backend}`, parameters: model.countParams() });
    for (const line of summary(model)) ctx.log(line);
    const data_ = (idx: readonly number[]): FitData => {
      const w = task.weights?.(idx);
      return { x: gatherRows(data, idx), y: task.targets(idx), n: idx.length, ...(w ? { weights: w } : {}) };
    };
    const result = await fit(
      loaded,
      model,
      data_(split.train),
      split.validation.length > 0 ? data_(split.validation) : undefined,
      {
        rowShape: data.shape,
        outUnits: task.output.units,
        loss: task.loss,
        epochs: p.epochs,
        batchSize: p.batchSize,
        learningRate: p.learningRate,
        optimizer: p.optimizer,
        schedule: p.schedule,
        earlyStopping: earlyStoppingOf(p.earlyStopping),
        seed: ctx.seed,
        replicas: p.replicas,
        ...(task.augment ? { augment: task.augment } : {}),
      },
      ctx,
    );
    task.finish?.(model, loaded);
    await saveModel(model, ctx.outDir);
    await writeJson(ctx.outDir, 'history.json', {
      monitor: result.monitor,
      bestEpoch: result.bestEpoch,
      stoppedEarly: result.stoppedEarly,
      epochs: result.epochs.map(({ seconds: _s, ...e }) => e),
    });
    await writeJson(ctx.outDir, 'training.json', {
      inputShape: expanded.inputShape,
      outputShape: expanded.outputShape,
      ...(expanded.preset ? { preset: expanded.preset } : {}),
      layers: expanded.layers,
      rows: { training: split.train.length, validation: split.validation.length },
      ...task.info,
    });
    return { expanded, result, trainRows: split.train, validationRows: split.validation };
  } finally {
    model.dispose();
  }
}

/** Writes `value` as JSON (stable: no timestamps, no absolute paths). */
export async function writeJson(dir: string, name: string, value: unknown): Promise<void> {
  await writeFile(path.join(dir, name), JSON.stringify(value, null, 2) + '\n');
}
