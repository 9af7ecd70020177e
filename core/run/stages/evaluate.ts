/**
 * `evaluate:<id>`: scores the test split with the trained model (float32) and, when the block has
 * a quantized network, with the int8 model through the int8 reference interpreter; stores
 * metrics.json (float32), metrics-int8.json and precision.json (how many windows changed label).
 */
import { rowsOfSplit } from '../../artifact/concat.js';
import { writeJson } from '../../artifact/io.js';
import type { TensorSet } from '../../artifact/types.js';
import { ImpulseError } from '../../errors/impulse-error.js';
import { predictIR } from '../../model/predict.js';
import { readModel } from '../../model/serialize.js';
import type { LearnTask } from '../../plugin/types.js';
import { anomalyMetrics, classificationMetrics, regressionMetrics } from '../../report/metrics.js';
import { inputsOf, type StageRunner } from '../stage-runner.js';
import { featureDeps, featuresFor, learnBlockOf } from './learn.js';
import { INT8_MODEL } from './quantize.js';

const VERSION = 2;

export function metricsFor(task: LearnTask, test: TensorSet, scores: Float32Array): Record<string, unknown> {
  const truth = test.rows.map((r) => test.labels.indexOf(r.label));
  return task === 'classification'
    ? { task, rows: test.rows.length, ...classificationMetrics([...test.labels], truth, scores) }
    : task === 'regression'
      ? { task, rows: test.rows.length, ...regressionMetrics(test.rows.map((r) => Number(r.label)), scores) }
      : { task, rows: test.rows.length, ...anomalyMetrics([...test.labels], truth, scores) };
}

/** Windows whose top label differs between two score matrices (rows × k). */
export function changedTopLabels(a: Float32Array, b: Float32Array, k: number): number {
  let changed = 0;
  for (let r = 0; r < a.length / k; r++) {
    let ia = 0;
    let ib = 0;
    for (let j = 1; j < k; j++) {
      if (a[r * k + j]! > a[r * k + ia]!) ia = j;
      if (b[r * k + j]! > b[r * k + ib]!) ib = j;
    }
    if (ia !== ib) changed++;
  }
  return changed;
}

export const evaluateStage: StageRunner = {
  async keyParts(node, env, deps) {
    const { block } = learnBlockOf(node.ref!, env);
    return { stage: node.id, kind: 'evaluate', block: { type: block.type, version: VERSION }, params: { task: block.task }, inputs: inputsOf(node, deps) };
  },
  async run(node, env, deps, ctx) {
    const { block, params } = learnBlockOf(node.ref!, env);
    const [learnId] = node.deps;
    const quantizeId = node.deps.find((d) => d.startsWith('quantize:'));
    const test = rowsOfSplit(featuresFor(featureDeps(node.deps), deps), 'testing');
    if (test.rows.length === 0) {
      throw new ImpulseError({ code: 'E_DATA_NO_TEST', message: 'the test split is empty: nothing to evaluate on', hint: 'Raise data.split.test or add a testing/ folder.' });
    }
    const scores = await block.predict(ctx, deps.get(learnId!)!.dir, test, params as never);
    await writeJson(ctx.outDir, 'metrics.json', metricsFor(block.task, test, scores));
    if (!quantizeId) return;
    const int8 = await readModel(deps.get(quantizeId)!.dir, INT8_MODEL);
    const int8Scores = predictIR(int8, test, (done, total) => ctx.progress(done, total, 'windows'));
    await writeJson(ctx.outDir, 'metrics-int8.json', metricsFor(block.task, test, int8Scores));
    const k = scores.length / test.rows.length;
    await writeJson(ctx.outDir, 'precision.json', {
      rows: test.rows.length,
      ...(block.task === 'classification' ? { changedTopLabel: changedTopLabels(scores, int8Scores, k) } : {}),
      maxAbsScoreDifference: scores.reduce((m, v, i) => Math.max(m, Math.abs(v - int8Scores[i]!)), 0),
    });
  },
};
