/**
 * Bring your own model (the `pretrained` learn block) and `impulse test --precision`, end to end on
 * the real st_har data. The activity example, trained briefly (shared with the other tests), exports its
 * networks as .tflite; a second project uses those files instead of training. The oracle is the
 * first project itself: the same int8 model on the same features must give exactly the same int8
 * metrics, and the float model, quantized again by the second project, the same float32 metrics.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { expectOk, expectUserError, impulse, readJsonFile, stageDir } from '../support/cli.js';
import { makeProject } from '../support/project.js';
import { repoRoot } from '../support/shared.js';
import { trainedExample } from '../support/trained-example.js';

type Metrics = { accuracy: number; confusion: number[][]; rows: number };
type TestJson = { learn: Record<string, { float32: Metrics; int8?: Metrics; changedTopLabel?: number }> };

const example = readFileSync(path.join(repoRoot, 'examples/activity/impulse.yaml'), 'utf8');
const LABELS = '[running, stationary, walking]';

/** The activity impulse with its learn and deploy sections replaced. */
function withLearn(learn: string, deploy = '  - { target: cpp }'): string {
  return example.replace(/learn:\n[\s\S]*?\ndeploy:\n[\s\S]*$/, `learn:\n${learn}\ndeploy:\n${deploy}\n`);
}

describe('pretrained: a .tflite model instead of training', () => {
  let trained: string;
  beforeAll(async () => {
    trained = await trainedExample('activity');
  }, 900_000);

  test('impulse test --precision both: float32 and int8 metrics, as the evaluate stage stored them', async () => {
    const r = await impulse(trained, 'test', '.', '--json');
    expectOk(r);
    const out = JSON.parse(r.stdout) as TestJson;
    const evaluate = stageDir(trained, 'evaluate:classifier');
    expect(out.learn['classifier']!.float32).toEqual(readJsonFile(path.join(evaluate, 'metrics.json')));
    expect(out.learn['classifier']!.int8).toEqual(readJsonFile(path.join(evaluate, 'metrics-int8.json')));
    expect(typeof out.learn['classifier']!.changedTopLabel).toBe('number');
    const onlyInt8 = JSON.parse((await impulse(trained, 'test', '.', '--json', '--precision', 'int8')).stdout) as TestJson;
    expect(Object.keys(onlyInt8.learn['classifier']!)).not.toContain('float32');
  });

  test('the exported int8 model gives exactly the int8 metrics of the impulse that trained it, and deploys as C', async () => {
    const dir = makeProject({ 'impulse.yaml': withLearn(`  byom:\n    type: pretrained\n    from: [spectral]\n    params: { model: ./model-int8.tflite, labels: ${LABELS} }`) });
    copyFileSync(path.join(trained, 'build/tflite/classifier/model-int8.tflite'), path.join(dir, 'model-int8.tflite'));
    expectOk(await impulse(dir, 'run', '.'));
    const want = readJsonFile<Metrics>(path.join(stageDir(trained, 'evaluate:classifier'), 'metrics-int8.json'));
    const got = readJsonFile<Metrics>(path.join(stageDir(dir, 'evaluate:byom'), 'metrics-int8.json'));
    expect(got).toEqual(want);
    expect(readFileSync(path.join(dir, 'build/cpp/src/impulse_metadata.h'), 'utf8')).toContain('#define IMPULSE_LABEL_COUNT 3');
  });

  test('the exported float model is quantized by the new impulse and keeps the float32 metrics', async () => {
    const dir = makeProject({ 'impulse.yaml': withLearn(`  byom:\n    type: pretrained\n    from: [spectral]\n    params: { model: ./model-float32.tflite, labels: ${LABELS} }`) });
    copyFileSync(path.join(trained, 'build/tflite/classifier/model-float32.tflite'), path.join(dir, 'model-float32.tflite'));
    expectOk(await impulse(dir, 'run', '.'));
    const want = readJsonFile<Metrics>(path.join(stageDir(trained, 'evaluate:classifier'), 'metrics.json'));
    const got = readJsonFile<Metrics>(path.join(stageDir(dir, 'evaluate:byom'), 'metrics.json'));
    // TF.js (the trainer's predictions) and our float interpreter agree within 1e-5; no window's label flips
    expect(got.confusion).toEqual(want.confusion);
    const int8 = readJsonFile<Metrics>(path.join(stageDir(dir, 'evaluate:byom'), 'metrics-int8.json'));
    expect(Math.abs(int8.accuracy - got.accuracy)).toBeLessThanOrEqual(0.02);
  });

  test('a wrong label count, a model outside the project and a broken file are clear errors', async () => {
    const wrongLabels = makeProject({ 'impulse.yaml': withLearn(`  byom:\n    type: pretrained\n    params: { model: ./m.tflite, labels: [running, walking] }`) });
    copyFileSync(path.join(trained, 'build/tflite/classifier/model-int8.tflite'), path.join(wrongLabels, 'm.tflite'));
    const a = await impulse(wrongLabels, 'run', '.');
    expectUserError(a);
    expect(a.stderr).toMatch(/m\.tflite has 3 outputs, but params\.labels lists 2.*E_LEARN_BAD_PARAM/s);

    const outside = makeProject({ 'impulse.yaml': withLearn(`  byom:\n    type: pretrained\n    params: { model: ../elsewhere.tflite, labels: ${LABELS} }`) });
    const b = await impulse(outside, 'run', '.');
    expectUserError(b);
    expect(b.stderr).toContain('E_SPEC_PATH_ESCAPE');

    const broken = makeProject({ 'impulse.yaml': withLearn(`  byom:\n    type: pretrained\n    params: { model: ./m.tflite, labels: ${LABELS} }`) });
    writeFileSync(path.join(broken, 'm.tflite'), readFileSync(path.join(trained, 'build/tflite/classifier/model-int8.tflite')).subarray(0, 300));
    const c = await impulse(broken, 'run', '.');
    expectUserError(c);
    expect(c.stderr).toContain('E_MODEL_TFLITE');
  });
});
