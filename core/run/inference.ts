/**
 * Inference with a trained impulse outside a run: decode new samples with the impulse's input
 * block, map its DSP blocks over their windows, concatenate features as the learn stage does and
 * call each learn block's `predict` on the cached model. `impulse test`, `impulse classify` and
 * `impulse features` are thin views over this file. Nothing here writes into the cache.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { concatFeatures, rowsOfSplit } from '../artifact/concat.js';
import { readJson } from '../artifact/io.js';
import { rowSize, type Sample, type SampleIndex, type TensorSet } from '../artifact/types.js';
import { FileHashCache } from '../data/file-hashes.js';
import { scanDataFolder } from '../data/scan.js';
import { ImpulseError } from '../errors/impulse-error.js';
import { buildStageGraph, topologicalStages, withUpstream, type StageGraph, type StageNode } from '../graph/build.js';
import type { DspBlock, InputBlock, LearnBlock, LearnTask, SkippedSample, StageContext } from '../plugin/types.js';
import { anomalyMetrics, classificationMetrics, regressionMetrics } from '../report/metrics.js';
import { displayPath, type LoadedImpulse } from '../spec/load.js';
import { didYouMean } from '../util/suggest.js';
import { stateDirOf } from './executor.js';
import { mapRows } from './map-rows.js';
import type { StageResult } from './stage-runner.js';
import { signalInfoOf } from './stages/dsp.js';
import { featuresFor } from './stages/learn.js';
import { changedTopLabels } from './stages/evaluate.js';
import { INT8_MODEL } from './stages/quantize.js';
import { predictIR } from '../model/predict.js';
import { readModel } from '../model/serialize.js';
import type { ModelIR } from '../model/ir.js';
import { inspectStages, type StageStatus } from './status.js';

/** A learn block whose model is in the cache, up to date with the impulse as it is now. */
export interface TrainedLearn {
  /** Learn block id in the impulse. */
  readonly id: string;
  /** `learn:<id>`. */
  readonly stage: string;
  readonly block: LearnBlock;
  readonly params: Record<string, unknown>;
  readonly task: LearnTask;
  /** Cached model folder (read-only). */
  readonly modelDir: string;
  /** Label of each output column (classification), and the labels the model was trained with. */
  readonly labels: readonly string[];
  /** Row shape of the (concatenated) features the model takes. */
  readonly featureShape: readonly number[];
  /** The DSP stages it reads, in the order their features are concatenated. */
  readonly dspStages: readonly string[];
  /** Headline facts the block reported while training (parameters, backend …), if any. */
  readonly summary?: Readonly<Record<string, string | number>>;
}

/** Shape and attributes of the windows the impulse was trained on (the cached input stage's header). */
export interface TrainedInput {
  readonly kind: TensorSet['kind'];
  readonly shape: readonly number[];
  readonly attrs: Readonly<Record<string, unknown>>;
}

/** An impulse with what the cache knows about it. */
export interface InferenceImpulse {
  readonly impulse: LoadedImpulse;
  readonly graph: StageGraph;
  readonly status: readonly StageStatus[];
  /** Cached results of every stage whose key is known. */
  readonly known: ReadonlyMap<string, StageResult>;
  /** Undefined when the input stage is not cached (then new samples are decoded with the impulse's params as written). */
  readonly trainedInput: TrainedInput | undefined;
}

export interface TrainedImpulse extends InferenceImpulse {
  readonly learn: readonly TrainedLearn[];
}

/** Inspects the cache (computing every stage's key, as `impulse status` does) without running anything. */
export async function inspectForInference(impulse: LoadedImpulse): Promise<InferenceImpulse> {
  const graph = buildStageGraph(impulse.spec, impulse.registry, impulse.source);
  const { status, known } = await inspectStages(impulse, { persist: true });
  const input = known.get('input');
  return { impulse, graph, status, known, trainedInput: input ? readTensorHeader(input.dir) : undefined };
}

/**
 * The impulse's learn blocks (or those named in `only`) with their cached models. A learn block
 * that is not cached for the impulse as it is now is a user error telling to run `impulse run`.
 */
export async function loadTrained(impulse: LoadedImpulse, only?: readonly string[]): Promise<TrainedImpulse> {
  const ids = Object.keys(impulse.spec.learn);
  if (ids.length === 0) {
    throw new ImpulseError({
      code: 'E_CLI_NO_LEARN',
      message: `${displayPath(impulse.file)} has no learn blocks: there is no model to run`,
      hint: 'Add a learn block (e.g. a classifier) under `learn:` and run `impulse run`.',
    });
  }
  for (const id of only ?? []) {
    if (!ids.includes(id)) {
      throw new ImpulseError({ code: 'E_CLI_UNKNOWN_BLOCK', message: `no learn block '${id}'${didYouMean(id, ids)}`, hint: `Learn blocks: ${ids.join(', ')}.` });
    }
  }
  const base = await inspectForInference(impulse);
  const wanted = only && only.length > 0 ? ids.filter((id) => only.includes(id)) : ids;
  const missing = wanted.filter((id) => !base.known.has(`learn:${id}`));
  if (missing.length > 0) {
    const never = missing.filter((id) => !base.status.find((s) => s.stage === `learn:${id}`)?.lastRun);
    const stale = missing.filter((id) => !never.includes(id));
    // What changed: stale stages upstream of the learn blocks that are stale for their own reasons.
    const upstream = withUpstream(base.graph, stale.map((id) => `learn:${id}`));
    const causes = base.status
      .filter((s) => upstream.has(s.stage) && s.state === 'stale' && !s.reasons.every((r) => r.startsWith('upstream ')))
      .map((s) => `${s.stage}: ${s.reasons.join('; ')}`);
    const parts = [
      ...(never.length > 0 ? [`${never.map((id) => `learn:${id}`).join(', ')} ${never.length === 1 ? 'has' : 'have'} not been trained yet`] : []),
      ...(stale.length > 0 ? [`the trained model${stale.length === 1 ? '' : 's'} of ${stale.map((id) => `learn:${id}`).join(', ')} ${stale.length === 1 ? 'is' : 'are'} out of date (${causes.join(', ') || 'not in the cache'})`] : []),
    ];
    throw new ImpulseError({
      code: 'E_CLI_NOT_TRAINED',
      message: parts.join('; '),
      hint: `Run \`impulse run${path.resolve(impulse.dir) === process.cwd() ? '' : ` ${displayPath(impulse.file)}`}\` first; \`impulse status\` shows what is stale and why.`,
      location: { file: displayPath(impulse.file) },
    });
  }
  const learn = wanted.map((id): TrainedLearn => {
    const stage = `learn:${id}`;
    const node = base.graph.getNodeAttributes(stage);
    const use = impulse.spec.learn[id]!;
    const block = impulse.registry.block('learn', use.type)!;
    const dir = base.known.get(stage)!.dir;
    const info = readJson<{ labels: string[]; featureShape: number[]; summary?: Record<string, string | number> }>(dir, 'learn-info.json');
    return {
      id,
      stage,
      block,
      params: use.params as Record<string, unknown>,
      task: block.task,
      modelDir: dir,
      labels: info.labels,
      featureShape: info.featureShape,
      dspStages: node.deps,
      ...(info.summary ? { summary: info.summary } : {}),
    };
  });
  return { ...base, learn };
}

function readTensorHeader(dir: string): TrainedInput {
  const h = JSON.parse(readFileSync(path.join(dir, 'tensors.json'), 'utf8')) as TrainedInput;
  return { kind: h.kind, shape: h.shape, attrs: h.attrs };
}

/** A quiet StageContext for the blocks' code (nothing is written: outDir is the null device). */
export function inferenceContext(impulse: LoadedImpulse, stageId: string, log: (message: string) => void = () => {}): StageContext {
  return {
    stageId,
    seed: impulse.spec.seed,
    projectDir: impulse.dir,
    outDir: os.devNull,
    jobs: 1,
    signal: new AbortController().signal,
    progress: () => {},
    log,
  };
}

// ---------------------------------------------------------------------------------------------
// Samples

/** A SampleIndex for one file (any path); its id is the path as the user sees it (relative to the cwd when inside it). */
export function singleSample(file: string, label = ''): { index: SampleIndex; dataRoot: string } {
  const abs = path.resolve(file);
  const bytes = readFileOrThrow(abs, file);
  const rel = path.relative(process.cwd(), abs);
  const inside = rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  const dataRoot = inside ? process.cwd() : path.dirname(abs);
  const id = (inside ? rel : path.basename(abs)).split(path.sep).join('/');
  const sample: Sample = { id, label, split: 'testing', group: id, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
  return { index: { samples: [sample], labels: [label] }, dataRoot };
}

function readFileOrThrow(abs: string, shown: string): Buffer {
  try {
    return readFileSync(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ImpulseError({
      code: 'E_CLI_NOT_FOUND',
      message: code === 'ENOENT' ? `no such sample file: ${shown}` : code === 'EISDIR' ? `${shown} is a folder, not a sample file` : `cannot read ${shown}: ${(e as Error).message}`,
      hint: code === 'EISDIR' ? 'Give one sample file; to score a folder of labelled samples use `impulse test --data <folder>`.' : 'Give the path of one sample file (e.g. a .wav or .csv).',
      location: { file: shown },
    });
  }
}

/**
 * Every file of a folder of labelled samples, with the data stage's label rules (`<label>/<file>`,
 * `<label>.<id>.<ext>`, info.labels); all of them count as testing samples.
 */
export async function labelledFolder(impulse: LoadedImpulse, dir: string): Promise<{ index: SampleIndex; dataRoot: string }> {
  const root = path.resolve(dir);
  let isDir = false;
  try {
    isDir = statSync(root).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) {
    throw new ImpulseError({ code: 'E_CLI_NOT_FOUND', message: `no such folder: ${dir}`, hint: 'Give a folder of labelled samples: <label>/<file> or <label>.<id>.<ext>.', location: { file: dir } });
  }
  const hashes = FileHashCache.open(stateDirOf(impulse));
  const files = await scanDataFolder(root, hashes);
  hashes.save();
  // Ids relative to the cwd when the folder is inside it, so messages name paths the user can open.
  const rel = path.relative(process.cwd(), root);
  const inCwd = !rel.startsWith('..') && !path.isAbsolute(rel);
  const idOf = (id: string) => (inCwd && rel !== '' ? `${rel.split(path.sep).join('/')}/${id}` : id);
  const samples: Sample[] = files.map((f) => ({ id: idOf(f.id), label: f.label, split: 'testing', group: f.sha256, size: f.size, sha256: f.sha256 }));
  return { index: { samples, labels: [...new Set(samples.map((s) => s.label))].sort() }, dataRoot: inCwd ? process.cwd() : root };
}

/** Throws one error naming every label of `samples` that the classification model does not know. */
export function checkKnownLabels(samples: readonly Sample[], learn: TrainedLearn): void {
  const known = new Set(learn.labels);
  const unknown = new Map<string, string[]>();
  for (const s of samples) if (!known.has(s.label)) unknown.set(s.label, [...(unknown.get(s.label) ?? []), s.id]);
  if (unknown.size === 0) return;
  const list = [...unknown].map(([label, ids]) => `'${label}' (${ids.length} sample${ids.length === 1 ? '' : 's'}, e.g. ${ids[0]})`);
  const first = [...unknown.values()][0]![0]!;
  const suggest = [...unknown.keys()].filter((l) => l.length >= 3).map((l) => didYouMean(l, learn.labels)).filter(Boolean);
  throw new ImpulseError({
    code: 'E_DATA_UNKNOWN_LABEL',
    message: `${learn.id} does not know label${unknown.size === 1 ? '' : 's'} ${list.join(', ')}; the labels it was trained on: ${learn.labels.join(', ')}${suggest.length === 1 ? suggest[0] : ''}`,
    hint: `Keep only samples of ${learn.labels.join(', ')} in the folder (or rename the label folders), or add the new label to the training data and run \`impulse run\`.`,
    location: { sample: first },
  });
}

// ---------------------------------------------------------------------------------------------
// Decoding, DSP, prediction

/**
 * The input params used for new samples. What the impulse leaves to the files (frequency 0,
 * no axes: taken from the first file) is pinned to what training resolved, so a new file is
 * read as the training files were and a mismatch is reported instead of silently followed.
 */
export function inputParamsFor(x: InferenceImpulse): Record<string, unknown> {
  const params = { ...(x.impulse.spec.input.params as Record<string, unknown>) };
  const block = inputBlockOf(x.impulse);
  const props = (block.params as { properties?: Record<string, unknown> }).properties ?? {};
  const attrs = x.trainedInput?.attrs ?? {};
  if ('frequency' in props && params['frequency'] === 0 && typeof attrs['frequency'] === 'number') params['frequency'] = attrs['frequency'];
  if ('axes' in props && Array.isArray(params['axes']) && params['axes'].length === 0 && Array.isArray(attrs['axes'])) params['axes'] = attrs['axes'];
  return params;
}

function inputBlockOf(impulse: LoadedImpulse): InputBlock {
  return impulse.registry.block('input', impulse.spec.input.type)!;
}

export interface Decoded {
  /** Windows (or images) of the samples, rows in sample order. */
  readonly set: TensorSet;
  readonly skipped: readonly SkippedSample[];
}

/** Runs the impulse's input block on `index` and checks its rows have the shape the impulse was trained on. */
export async function decodeSamples(x: InferenceImpulse, index: SampleIndex, dataRoot: string, onError: 'stop' | 'skip' = 'stop'): Promise<Decoded> {
  const { impulse } = x;
  const block = inputBlockOf(impulse);
  const ctx = inferenceContext(impulse, 'input');
  const { set, skipped } = await block.run(ctx, index, { dataRoot, onError }, inputParamsFor(x) as never);
  const ids = index.samples.map((s) => s.id);
  if (set.rows.length === 0) {
    throw new ImpulseError({
      code: 'E_DATA_NO_WINDOWS',
      message: `the input block produced no windows from ${ids.length === 1 ? ids[0] : `${ids.length} samples`}${skipped.length ? ` (${skipped.length} skipped: ${skipped[0]!.sample}: ${skipped[0]!.reason})` : ''}`,
      hint: 'Check the sample against the window size, or use input.window.pad: zero.',
      ...(ids.length === 1 ? { location: { sample: ids[0]! } } : {}),
    });
  }
  const t = x.trainedInput;
  if (t) {
    const problems: string[] = [];
    if (JSON.stringify(set.shape) !== JSON.stringify(t.shape)) problems.push(`rows of [${set.shape.join('×')}], the impulse was trained on [${t.shape.join('×')}]`);
    const f = set.attrs['frequency'];
    const tf = t.attrs['frequency'];
    if (typeof f === 'number' && typeof tf === 'number' && Math.abs(f - tf) > 1e-3 * tf) problems.push(`${f} Hz, the impulse was trained at ${tf} Hz`);
    const axes = set.attrs['axes'];
    const taxes = t.attrs['axes'];
    if (Array.isArray(axes) && Array.isArray(taxes) && JSON.stringify(axes) !== JSON.stringify(taxes)) problems.push(`axes ${axes.join(', ')}, the impulse was trained on ${taxes.join(', ')}`);
    if (problems.length > 0) {
      throw new ImpulseError({
        code: 'E_DATA_INPUT_MISMATCH',
        message: `${ids.length === 1 ? ids[0] : 'the samples'} decode${ids.length === 1 ? 's' : ''} to ${problems.join('; and ')}`,
        hint: 'Give samples recorded like the training data (same frequency and axes), or set input.resample: true and retrain.',
        ...(ids.length === 1 ? { location: { sample: ids[0]! } } : {}),
      });
    }
  }
  return { set, skipped };
}

/** One DSP block's features for every row of its source. */
export interface DspFeatures {
  /** DSP block id in the impulse. */
  readonly id: string;
  /** `dsp:<id>`. */
  readonly stage: string;
  readonly block: DspBlock;
  readonly params: Record<string, unknown>;
  readonly set: TensorSet;
}

/**
 * Maps the DSP blocks over the decoded rows, in dependency order (a DSP block may read another's
 * features). `stages` limits the work to these DSP stages and what they read; default: all.
 */
export function computeFeatures(x: InferenceImpulse, input: TensorSet, stages?: readonly string[]): Map<string, DspFeatures> {
  const { impulse } = x;
  const needed = stages ? upstreamDsp(x.graph, stages) : undefined;
  const out = new Map<string, DspFeatures>();
  const sourceOf = (stage: string): TensorSet => (stage === 'input' ? input : out.get(stage)!.set);
  for (const node of topologicalStages(x.graph)) {
    if (node.kind !== 'dsp' || (needed && !needed.has(node.id))) continue;
    const use = impulse.spec.dsp[node.ref!]!;
    const block = impulse.registry.block('dsp', use.type)!;
    const params = use.params as Record<string, unknown>;
    const source = sourceOf(node.deps[0]!);
    const info = signalInfoOf(source);
    block.validate?.(params as never, info);
    const shape = block.shape(params as never, info);
    const data = mapRows(block, params as never, info, source.data, rowSize(source.shape), rowSize(shape));
    out.set(node.id, { id: node.ref!, stage: node.id, block, params, set: { kind: 'features', shape, rows: source.rows, labels: source.labels, data, attrs: { block: block.type } } });
  }
  return out;
}

function upstreamDsp(graph: StageGraph, stages: readonly string[]): Set<string> {
  const keep = new Set<string>();
  const visit = (id: string): void => {
    if (keep.has(id) || !graph.hasNode(id)) return;
    const node: StageNode = graph.getNodeAttributes(id);
    if (node.kind !== 'dsp') return;
    keep.add(id);
    node.deps.forEach(visit);
  };
  stages.forEach(visit);
  return keep;
}

/** The learn block's features, concatenated as the learn stage does, checked against the shape it was trained on. */
export function learnFeatures(learn: TrainedLearn, features: ReadonlyMap<string, DspFeatures>): TensorSet {
  const set = concatFeatures(learn.dspStages.map((d) => features.get(d)!.set));
  if (JSON.stringify(set.shape) !== JSON.stringify(learn.featureShape)) {
    // The learn stage is cached for these DSP params and versions: a different shape is a block bug.
    throw new Error(`${learn.id} was trained on features of [${learn.featureShape.join('×')}], but the DSP blocks give [${set.shape.join('×')}] (a DSP block changed its output without a version bump?)`);
  }
  return { ...set, labels: learn.labels };
}

/** `predict` of the learn block on its cached model: rows × labels (classification) or one value per row. */
export async function predictWith(x: InferenceImpulse, learn: TrainedLearn, features: TensorSet): Promise<Float32Array> {
  const scores = await learn.block.predict(inferenceContext(x.impulse, learn.stage), learn.modelDir, features, learn.params as never);
  const per = learn.task === 'classification' ? learn.labels.length : 1;
  if (scores.length !== features.rows.length * per) {
    throw new Error(`learn block '${learn.block.type}' returned ${scores.length} scores for ${features.rows.length} rows (expected ${per} per row)`);
  }
  return scores;
}

/** Decode + DSP + predict for every learn block of `x`: each block's scores for the rows of the decoded set. */
export async function infer(x: TrainedImpulse, decoded: TensorSet): Promise<{ features: Map<string, DspFeatures>; scores: Map<string, Float32Array> }> {
  const features = computeFeatures(x, decoded, [...new Set(x.learn.flatMap((l) => l.dspStages))]);
  const scores = new Map<string, Float32Array>();
  for (const l of x.learn) scores.set(l.id, await predictWith(x, l, learnFeatures(l, features)));
  return { features, scores };
}

// ---------------------------------------------------------------------------------------------
// Metrics

/** The metrics the evaluate stage stores (metrics.json), for any rows and their scores. */
export type LearnMetrics = { readonly task: LearnTask; readonly rows: number } & Record<string, unknown>;

export function metricsOf(learn: Pick<TrainedLearn, 'task' | 'labels'>, rows: TensorSet['rows'], scores: Float32Array): LearnMetrics {
  if (learn.task === 'classification') {
    const truth = rows.map((r) => learn.labels.indexOf(r.label));
    return { task: learn.task, rows: rows.length, ...classificationMetrics([...learn.labels], truth, scores) };
  }
  if (learn.task === 'regression') {
    const truth = rows.map((r) => {
      const v = r.label.trim() === '' ? Number.NaN : Number(r.label);
      if (!Number.isFinite(v)) {
        throw new ImpulseError({
          code: 'E_LEARN_BAD_TARGET',
          message: `regression needs numeric labels, but this sample's label is '${r.label}'`,
          hint: 'Name the samples by their target value (e.g. 21.5/file.csv).',
          location: { sample: r.sample },
        });
      }
      return v;
    });
    return { task: learn.task, rows: rows.length, ...regressionMetrics(truth, scores) };
  }
  const labels = [...new Set(rows.map((r) => r.label))].sort();
  return { task: learn.task, rows: rows.length, ...anomalyMetrics(labels, rows.map((r) => labels.indexOf(r.label)), scores) };
}

/**
 * Metrics of the learn block on the impulse's own test split: the cached evaluate results when
 * there are any, else computed from the cached DSP features (exactly as the evaluate stage does).
 */
export async function testSplitMetrics(x: TrainedImpulse, learn: TrainedLearn): Promise<{ metrics: LearnMetrics; from: 'cache' | 'features' }> {
  const evaluated = x.known.get(`evaluate:${learn.id}`);
  if (evaluated) return { metrics: readJson<LearnMetrics>(evaluated.dir, 'metrics.json'), from: 'cache' };
  const test = rowsOfSplit(featuresFor(learn.dspStages, x.known), 'testing');
  if (test.rows.length === 0) {
    throw new ImpulseError({ code: 'E_DATA_NO_TEST', message: 'the test split is empty: nothing to evaluate on', hint: 'Raise data.split.test, add a testing/ folder, or pass --data <folder>.' });
  }
  const scores = await predictWith(x, learn, { ...test, labels: learn.labels });
  return { metrics: metricsOf(learn, test.rows, scores), from: 'features' };
}

/** The learn block's int8 model IR (the cached quantize stage), if it has one. */
export async function int8ModelOf(x: InferenceImpulse, learn: TrainedLearn): Promise<ModelIR | undefined> {
  const q = x.known.get(`quantize:${learn.id}`);
  return q ? readModel(q.dir, INT8_MODEL) : undefined;
}

/**
 * Float32 and int8 metrics of the learn block on the test split: the evaluate stage's cached
 * metrics.json / metrics-int8.json / precision.json when there are any, else computed from the
 * cached DSP features as the evaluate stage does.
 */
export async function testSplitPrecisions(x: TrainedImpulse, learn: TrainedLearn): Promise<{ float32: LearnMetrics; int8?: LearnMetrics; changedTopLabel?: number }> {
  const evaluated = x.known.get(`evaluate:${learn.id}`);
  const int8Model = await int8ModelOf(x, learn);
  if (evaluated) {
    const float32 = readJson<LearnMetrics>(evaluated.dir, 'metrics.json');
    if (!int8Model) return { float32 };
    const precision = readJson<{ changedTopLabel?: number }>(evaluated.dir, 'precision.json');
    return { float32, int8: readJson<LearnMetrics>(evaluated.dir, 'metrics-int8.json'), ...(precision.changedTopLabel !== undefined ? { changedTopLabel: precision.changedTopLabel } : {}) };
  }
  const { metrics: float32 } = await testSplitMetrics(x, learn);
  if (!int8Model) return { float32 };
  const test = rowsOfSplit(featuresFor(learn.dspStages, x.known), 'testing');
  const set = { ...test, labels: learn.labels };
  const scores = predictIR(int8Model, set);
  const floatScores = await predictWith(x, learn, set);
  return {
    float32,
    int8: metricsOf(learn, test.rows, scores),
    ...(learn.task === 'classification' ? { changedTopLabel: changedTopLabels(floatScores, scores, learn.labels.length) } : {}),
  };
}
