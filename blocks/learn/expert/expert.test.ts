/**
 * The expert block: a user's model.ts builds the network; the block trains it (its own seeded loop
 * or the module's train), saves and predicts; the module's content is part of the learn stage's key.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { builtinRegistry } from '../../../cli/builtins.js';
import { readJson, readTensorSet } from '../../../core/artifact/io.js';
import { ImpulseError } from '../../../core/errors/impulse-error.js';
import { runImpulse } from '../../../core/run/executor.js';
import { impulseStatus } from '../../../core/run/status.js';
import { loadImpulse } from '../../../core/spec/load.js';
import { makeProject, numberFiles, testPlugin } from '../../../test/support/project.js';
import { tensorSet, testContext, type TestRow } from '../common/testing.js';
import expert from './index.js';
import type { ExpertParams } from './params.js';

const MODEL = `
export default function buildModel({ layers, inputShape, labels, initializer }) {
  const L = layers.layers;
  const model = layers.sequential({ name: 'tiny' });
  if (inputShape.length > 1) model.add(L.flatten({ inputShape, name: 'flat' }));
  model.add(L.dense({ ...(inputShape.length > 1 ? {} : { inputShape }), units: 8, activation: 'relu', kernelInitializer: initializer(), name: 'hidden' }));
  model.add(L.dense({ units: labels.length, activation: 'softmax', kernelInitializer: initializer(), name: 'out' }));
  return model;
}
`;

const YAML = `version: 1
name: expert-test
seed: 5
plugins: [${JSON.stringify(testPlugin)}]
data: { source: ./data, split: { test: 0.25 } }
input: { type: test-numbers, frames: 4, axes: 2 }
dsp:
  mean: { type: test-mean, params: { gain: 0.1 } }
learn:
  nn: { type: expert, from: [mean], params: { model: ./model.ts, epochs: 40, learningRate: 0.05, validationSplit: 0 } }
`;

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function project(files: Record<string, string>): string {
  const d = makeProject(files);
  dirs.push(d);
  return d;
}
const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const P = (p: Partial<ExpertParams>) => p as ExpertParams;

/** 2 labels × 6 samples, [4, 2] rows around 0.2 and 1.2; the last 2 of each label are testing rows. */
function rows(): TestRow[] {
  return ['a', 'b'].flatMap((label, k) =>
    Array.from({ length: 6 }, (_, i) => ({ label, split: i >= 4 ? ('testing' as const) : ('training' as const), sample: `${label}/${i}`, values: Array.from({ length: 8 }, (_, j) => k + ((i + j) % 5) / 10) })),
  );
}

describe('expert block in an impulse', () => {
  test('trains the network of model.ts on numbers + a DSP block, evaluates and predicts; the key holds the file hash', async () => {
    const dir = project({ 'impulse.yaml': YAML, 'model.ts': MODEL, ...numberFiles(['a', 'b'], 8, 4, 2) });
    const impulse = await loadImpulse(dir, builtinRegistry());
    const summary = await runImpulse(impulse, { jobs: 1 });
    const learn = summary.results.get('learn:nn')!;
    const metrics = readJson<{ accuracy: number; rows: number }>(summary.results.get('evaluate:nn')!.dir, 'metrics.json');
    expect(metrics).toMatchObject({ accuracy: 1, rows: 4 });
    for (const f of ['model.json', 'weights.bin', 'labels.json', 'history.json', 'training.json', 'learn-info.json']) expect(existsSync(path.join(learn.dir, f)), f).toBe(true);
    const training = readJson<{ inputShape: number[]; modelFile: { path: string; sha256: string }; customTrain: boolean }>(learn.dir, 'training.json');
    expect(training).toMatchObject({ inputShape: [2], modelFile: { path: 'model.ts', sha256: sha(MODEL) }, customTrain: false });
    const manifest = JSON.parse(readFileSync(path.join(path.dirname(learn.dir), 'manifest.json'), 'utf8')) as { parts: { inputs: Record<string, string> } };
    expect(manifest.parts.inputs['file:model.ts']).toBe(sha(MODEL));

    // predict on the cached features: one probability per label
    const features = readTensorSet(summary.results.get('dsp:mean')!.dir);
    const scores = await expert.predict(testContext(), learn.dir, features, P({}));
    expect(scores.length).toBe(features.rows.length * 2);
    for (let i = 0; i < features.rows.length; i++) expect(scores[2 * i]! + scores[2 * i + 1]!).toBeCloseTo(1, 5);

    // Seeded: retraining gives the same weights.
    const again = await runImpulse(impulse, { jobs: 1, force: true, only: ['learn:nn'] });
    expect(readFileSync(path.join(again.results.get('learn:nn')!.dir, 'weights.bin')).equals(readFileSync(path.join(learn.dir, 'weights.bin')))).toBe(true);

    // Editing model.ts makes the learn stage stale, naming the file; restoring it makes it cached again.
    writeFileSync(path.join(dir, 'model.ts'), MODEL.replace('units: 8', 'units: 12'));
    const stale = (await impulseStatus(impulse)).find((s) => s.stage === 'learn:nn')!;
    expect(stale.state).toBe('stale');
    expect(stale.reasons.join('; ')).toContain('model.ts changed');
    writeFileSync(path.join(dir, 'model.ts'), MODEL);
    expect((await impulseStatus(impulse)).find((s) => s.stage === 'learn:nn')!.state).toBe('cached');
  });
});

describe('expert block: cacheInputs and the model module', () => {
  test('cacheInputs is the sha256 of the model file by its project-relative path, and changes with it', () => {
    const dir = project({ 'nets/model.ts': MODEL });
    const a = expert.cacheInputs!(P({ model: './nets/model.ts' }), dir);
    expect(a).toEqual({ 'nets/model.ts': sha(MODEL) });
    writeFileSync(path.join(dir, 'nets/model.ts'), MODEL + '\n// tweak\n');
    const b = expert.cacheInputs!(P({ model: 'nets/model.ts' }), dir);
    expect(b['nets/model.ts']).toBe(sha(MODEL + '\n// tweak\n'));
    expect(b['nets/model.ts']).not.toBe(a['nets/model.ts']);
  });

  test('a model path outside the project, or a missing file, is a user error', () => {
    const dir = project({ 'model.ts': MODEL });
    const err = (model: string) => {
      try {
        expert.cacheInputs!(P({ model }), dir);
      } catch (e) {
        return e as ImpulseError;
      }
      throw new Error('no error');
    };
    expect(err('../model.ts')).toMatchObject({ code: 'E_SPEC_PATH_ESCAPE', message: "learn block model file '../model.ts' is outside the project folder" });
    expect(err('/etc/hostname').code).toBe('E_SPEC_PATH_ESCAPE');
    expect(err('./nope.ts')).toMatchObject({ code: 'E_LEARN_MODEL_FILE', message: "learn block model file './nope.ts' does not exist" });
    expect(err('./nope.ts')).toBeInstanceOf(ImpulseError);
  });

  test('networks that do not fit are refused before training, naming the file', async () => {
    const data = tensorSet([4, 2], rows());
    const cases: [string, string, RegExp][] = [
      ['export default 3;', 'E_LEARN_MODEL_FILE', /has no default export function/],
      ['export default function () { return 1; }', 'E_LEARN_EXPERT_MODEL', /must return a tf LayersModel/],
      [MODEL.replace("L.flatten({ inputShape, name: 'flat' })", "L.flatten({ inputShape: [2, 4], name: 'flat' })"), 'E_LEARN_EXPERT_MODEL', /takes rows of \[2, 4\], but the features are rows of \[4, 2\]/],
      [MODEL.replace('units: labels.length', 'units: 3'), 'E_LEARN_EXPERT_MODEL', /outputs \[3\], but it must output one probability per label: \[2\] \(a, b\)/],
      [MODEL.replace("activation: 'softmax'", "activation: 'sigmoid'"), 'E_LEARN_EXPERT_MODEL', /last layer has activation 'sigmoid', but it must be 'softmax'/],
      ['export default function () { throw new Error("boom"); }', 'E_LEARN_EXPERT_MODEL', /buildModel failed: boom/],
      ['export default function ( {', 'E_LEARN_MODEL_FILE', /could not load model\.ts/],
    ];
    for (const [source, code, message] of cases) {
      const dir = project({ 'model.ts': source });
      const ctx = { ...testContext(), projectDir: dir };
      const e = (await expert.train(ctx, data, P({ epochs: 1 })).catch((x: unknown) => x)) as ImpulseError;
      expect(e, source).toBeInstanceOf(ImpulseError);
      expect(e.code, source).toBe(code);
      expect(e.message, source).toMatch(message);
      expect(e.location?.file).toBe('model.ts');
      expect(existsSync(path.join(ctx.outDir, 'model.json'))).toBe(false);
    }
  });

  test('a train export replaces the loop; it can call the built-in fit and its result goes to history.json', async () => {
    const source = `${MODEL}
export async function train({ fit, log, model, train, labels }) {
  log('custom training on ' + train.n + ' rows of ' + labels.join('/'));
  const h = await fit();
  return { ...h, note: 'custom', layers: model.layers.length };
}
`;
    const dir = project({ 'model.ts': source });
    const ctx = { ...testContext(9), projectDir: dir };
    const data = tensorSet([4, 2], rows());
    await expert.train(ctx, data, P({ epochs: 30, learningRate: 0.05, validationSplit: 0 }));
    expect(ctx.logs).toContain('custom training on 8 rows of a/b');
    const history = JSON.parse(readFileSync(path.join(ctx.outDir, 'history.json'), 'utf8'));
    expect(history).toMatchObject({ note: 'custom', layers: 3, monitor: 'loss' });
    expect(history.epochs).toHaveLength(30);
    expect(history.epochs[0]).not.toHaveProperty('seconds');
    expect(JSON.parse(readFileSync(path.join(ctx.outDir, 'training.json'), 'utf8')).customTrain).toBe(true);
    const scores = await expert.predict(ctx, ctx.outDir, data, P({}));
    const testing = data.rows.flatMap((r, i) => (r.split === 'testing' ? [i] : []));
    for (const i of testing) expect(scores[2 * i + (data.rows[i]!.label === 'a' ? 0 : 1)]!).toBeGreaterThan(0.5);
  });
});
