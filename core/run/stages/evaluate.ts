/** `evaluate:<id>`: scores the test split with the trained model and stores metrics.json. */
import { rowsOfSplit } from '../../artifact/concat.js';
import { writeJson } from '../../artifact/io.js';
import { ImpulseError } from '../../errors/impulse-error.js';
import { anomalyMetrics, classificationMetrics, regressionMetrics } from '../../report/metrics.js';
import { inputsOf, type StageRunner } from '../stage-runner.js';
import { featuresFor, learnBlockOf } from './learn.js';

const VERSION = 1;

export const evaluateStage: StageRunner = {
  async keyParts(node, env, deps) {
    const { block } = learnBlockOf(node.ref!, env);
    return { stage: node.id, kind: 'evaluate', block: { type: block.type, version: VERSION }, params: { task: block.task }, inputs: inputsOf(node, deps) };
  },
  async run(node, env, deps, ctx) {
    const { block, params } = learnBlockOf(node.ref!, env);
    const [learnId, ...featureDeps] = node.deps;
    const test = rowsOfSplit(featuresFor(featureDeps, deps), 'testing');
    if (test.rows.length === 0) {
      throw new ImpulseError({ code: 'E_DATA_NO_TEST', message: 'the test split is empty: nothing to evaluate on', hint: 'Raise data.split.test or add a testing/ folder.' });
    }
    const scores = await block.predict(ctx, deps.get(learnId!)!.dir, test, params as never);
    const truth = test.rows.map((r) => test.labels.indexOf(r.label));
    const metrics =
      block.task === 'classification'
        ? { task: block.task, rows: test.rows.length, ...classificationMetrics([...test.labels], truth, scores) }
        : block.task === 'regression'
          ? { task: block.task, rows: test.rows.length, ...regressionMetrics(test.rows.map((r) => Number(r.label)), scores) }
          : { task: block.task, rows: test.rows.length, ...anomalyMetrics([...test.labels], truth, scores) };
    await writeJson(ctx.outDir, 'metrics.json', metrics);
  },
};
