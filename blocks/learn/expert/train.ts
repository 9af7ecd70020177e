/** Expert-mode training (imported lazily by index.ts: pulls in TF.js). */
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { TensorSet } from '../../../core/artifact/types.js';
import { ImpulseError } from '../../../core/errors/impulse-error.js';
import type { StageContext } from '../../../core/plugin/types.js';
import { loadTf } from '../common/tf/load.js';
import { makeAugmenter } from '../classifier/augment.js';
import { classWeights, countPerClass, labelIndices, oneHot } from '../classifier/class-weights.js';
import { learnError, LearnErrorCode } from '../common/errors.js';
import { summary } from '../common/nn/build.js';
import { fit, type FitData, type FitResult } from '../common/nn/loop.js';
import { saveModel } from '../common/nn/model-io.js';
import { writeJson } from '../common/nn/train-network.js';
import { earlyStoppingOf, withDefaults } from '../common/params.js';
import { Rng } from '../common/random.js';
import { checkTensorSet, gatherRows, trainingRows } from '../common/rows.js';
import { validationSplit } from '../common/split.js';
import type { BuildModelArgs, TrainHistory } from './api.js';
import { ExpertErrorCode, loadModelModule, resolveModelFile, type ModelFile } from './model-file.js';
import { ExpertParams } from './params.js';

export async function trainExpert(ctx: StageContext, data: TensorSet, raw: ExpertParams): Promise<void> {
  const p = withDefaults(ExpertParams, raw);
  const file = resolveModelFile(p.model, ctx.projectDir);
  const mod = await loadModelModule(file);
  checkTensorSet(data);
  const labels = [...data.labels];
  if (labels.length < 2) {
    throw learnError(
      LearnErrorCode.noTrainingData,
      `an expert classifier needs at least 2 labels, the data has ${labels.length} (${labels.join(', ') || 'none'})`,
      'Add data of other labels, or use an anomaly block (anomaly-kmeans, anomaly-gmm) to learn what is normal.',
    );
  }
  const k = labels.length;
  const rows = trainingRows(data);
  const counts = countPerClass(labelIndices(data, rows, labels), k);
  const weights = classWeights(counts, p.classWeights);
  labels.forEach((l, i) => {
    if (counts[i] === 0) ctx.log(`warning: label '${l}' has no training rows; the model cannot learn it`);
  });
  const augment = makeAugmenter(p.augmentation, data.shape);
  const split = validationSplit(data, rows, p.validationSplit, ctx.seed);
  ctx.log(
    `${rows.length} training rows: ${split.train.length} to train on, ${split.validation.length} for validation` +
      ` (${new Set(split.validation.map((r) => data.rows[r]!.sample)).size} samples); testing rows are not used`,
  );

  const loaded = await loadTf();
  const rng = Rng.for(ctx.seed, 'initialisers');
  const args: BuildModelArgs = {
    tf: loaded.tf,
    layers: loaded.layers,
    inputShape: [...data.shape],
    labels,
    seed: ctx.seed,
    initializer: () => loaded.layers.initializers.glorotUniform({ seed: rng.seed() }),
    params: p,
  };
  let model: LayersModel;
  try {
    model = await mod.buildModel(args);
  } catch (e) {
    if (e instanceof ImpulseError) throw e;
    throw modelError(file, `buildModel failed: ${(e as Error)?.message ?? String(e)}`, 'Fix the model module (run with --verbose for the stack).', e);
  }
  checkModel(model, file, data.shape, labels);

  try {
    ctx.log(`${file.rel} (sha256 ${file.sha256.slice(0, 12)}): backend ${loaded.backend}; ${model.countParams()} parameters`);
    ctx.report?.({ backend: `TF.js ${loaded.backend}`, parameters: model.countParams() });
    for (const line of summary(model)) ctx.log(line);
    const rowsOf = (idx: readonly number[]): FitData => ({
      x: gatherRows(data, idx),
      y: oneHot(labelIndices(data, idx, labels), k),
      n: idx.length,
      ...(p.classWeights === 'auto' ? { weights: Float32Array.from(labelIndices(data, idx, labels), (c) => weights[c]!) } : {}),
    });
    const train = rowsOf(split.train);
    const validation = split.validation.length > 0 ? rowsOf(split.validation) : undefined;
    const builtin = (): Promise<FitResult> =>
      fit(
        loaded,
        model,
        train,
        validation,
        {
          rowShape: data.shape,
          outUnits: k,
          loss: 'crossentropy',
          epochs: p.epochs,
          batchSize: p.batchSize,
          learningRate: p.learningRate,
          optimizer: p.optimizer,
          schedule: p.schedule,
          earlyStopping: earlyStoppingOf(p.earlyStopping),
          seed: ctx.seed,
          replicas: p.replicas,
          ...(augment ? { augment } : {}),
        },
        ctx,
      );
    let history: TrainHistory | FitResult | void;
    if (mod.train) {
      ctx.log(`training with train() of ${file.rel}`);
      try {
        history = await mod.train({ ...args, model, train, validation, log: ctx.log, progress: ctx.progress, signal: ctx.signal, fit: builtin });
      } catch (e) {
        if (e instanceof ImpulseError || ctx.signal.aborted) throw e;
        throw modelError(file, `train() failed: ${(e as Error)?.message ?? String(e)}`, 'Fix train() in the model module, or remove it to use the built-in loop (run with --verbose for the stack).', e);
      }
    } else {
      history = await builtin();
    }
    try {
      await saveModel(model, ctx.outDir);
    } catch (e) {
      throw modelError(file, `the model cannot be saved as a TF.js layers model: ${(e as Error).message}`, 'Use built-in tf.layers layers (custom layer classes cannot be serialized).', e);
    }
    await writeJson(ctx.outDir, 'history.json', historyJson(history));
    await writeJson(ctx.outDir, 'training.json', {
      inputShape: [...data.shape],
      outputShape: [k],
      modelFile: { path: file.rel, sha256: file.sha256 },
      customTrain: mod.train !== undefined,
      parameters: model.countParams(),
      rows: { training: split.train.length, validation: split.validation.length },
      labels,
      trainingRowsPerLabel: Object.fromEntries(labels.map((l, i) => [l, counts[i]])),
      classWeights: weights,
    });
    await writeJson(ctx.outDir, 'labels.json', labels);
  } finally {
    model.dispose();
  }
}

function historyJson(h: TrainHistory | FitResult | void): unknown {
  if (!h || typeof h !== 'object') return { epochs: [] };
  const epochs = Array.isArray(h.epochs) ? h.epochs.map((e) => Object.fromEntries(Object.entries(e as object).filter(([k]) => k !== 'seconds'))) : [];
  return { ...h, epochs };
}

function modelError(file: ModelFile, message: string, hint: string, cause?: unknown): ImpulseError {
  return new ImpulseError({ code: ExpertErrorCode.expertModel, message, hint, location: { file: file.rel } }, { cause });
}

/** The network must take one feature row and give one softmax probability per label. */
function checkModel(model: unknown, file: ModelFile, shape: readonly number[], labels: readonly string[]): asserts model is LayersModel {
  const m = model as Partial<LayersModel> | undefined;
  if (!m || typeof m !== 'object' || typeof m.predict !== 'function' || !Array.isArray(m.inputs) || !Array.isArray(m.outputs)) {
    throw modelError(
      file,
      `buildModel must return a tf LayersModel, got ${m === null ? 'null' : Array.isArray(m) ? 'an array' : typeof m}`,
      'Return the model: `const model = layers.sequential(); model.add(…); return model;` (or layers.model({ inputs, outputs })).',
    );
  }
  const dims = (s: readonly (number | null)[]) => `[${s.slice(1).map((d) => d ?? '?').join(', ')}]`;
  if (m.inputs.length !== 1 || JSON.stringify(m.inputs[0]!.shape.slice(1)) !== JSON.stringify(shape)) {
    throw modelError(
      file,
      `the model takes ${m.inputs.length === 1 ? `rows of ${dims(m.inputs[0]!.shape)}` : `${m.inputs.length} inputs`}, but the features are rows of [${shape.join(', ')}]`,
      'Give the first layer `inputShape` from the arguments (e.g. layers.layers.dense({ inputShape, units: 16 })).',
    );
  }
  const k = labels.length;
  if (m.outputs.length !== 1 || JSON.stringify(m.outputs[0]!.shape.slice(1)) !== JSON.stringify([k])) {
    throw modelError(
      file,
      `the model outputs ${m.outputs.length === 1 ? dims(m.outputs[0]!.shape) : `${m.outputs.length} tensors`}, but it must output one probability per label: [${k}] (${labels.join(', ')})`,
      'End with layers.layers.dense({ units: labels.length, activation: "softmax" }).',
    );
  }
  const last = (m as unknown as { outputLayers?: { getConfig(): Record<string, unknown> }[] }).outputLayers?.[0] ?? m.layers?.at(-1);
  const activation = last?.getConfig()['activation'];
  if (activation !== 'softmax') {
    throw modelError(
      file,
      `the model's last layer has activation '${String(activation ?? 'none')}', but it must be 'softmax' (the block trains with cross-entropy on probabilities)`,
      'End with layers.layers.dense({ units: labels.length, activation: "softmax" }), or add layers.layers.softmax() / an activation layer.',
    );
  }
}
