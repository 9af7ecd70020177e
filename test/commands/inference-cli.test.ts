/**
 * `impulse test`, `impulse classify` and `impulse features` end to end on the local test plugin
 * (a tiny numbers input, DSP blocks that chain, a nearest-centroid learner: no TF.js, instant).
 * Spawns `node dist/cli/impulse.js` (run `npm run build` first).
 */
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { SampleIndex } from '../../core/artifact/types.js';
import type { DspBlock, InputBlock } from '../../core/plugin/types.js';
import testBlocks from '../support/plugins/test-blocks.js';
import { makeProject, numberFiles, testPlugin } from '../support/project.js';
import { expectOk, expectUserError, impulse, readJsonFile, stageDir } from '../support/cli.js';

function impulseYaml(opts: { gain?: number } = {}): string {
  return `version: 1
name: inference-test
seed: 3
plugins: [${JSON.stringify(testPlugin)}]
data: { source: ./data, split: { test: 0.25 } }
input: { type: test-numbers, frames: 4, axes: 2 }
dsp:
  mean: { type: test-mean, params: { gain: ${opts.gain ?? 1} } }
  clip: { type: test-clip, params: { max: 13 } }
  clip2: { type: test-clip, from: [clip], params: { max: 12 } }
learn:
  nc: { type: test-centroid, from: [mean, clip2] }
`;
}

interface Metrics {
  task: string;
  rows: number;
  accuracy: number;
  perClass: { label: string; precision: number; recall: number; f1: number; support: number }[];
  confusion: number[][];
}
interface TestJson {
  impulse: string;
  source: { kind: string; dir?: string; samples?: number };
  learn: Record<string, { float32?: Metrics; int8?: Metrics }>;
}

let dir: string;
beforeAll(() => {
  dir = makeProject({ 'impulse.yaml': impulseYaml(), ...numberFiles(['a', 'b'], 8, 4, 2) });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Copies samples of the data folder (ids relative to it) into `folder` of the project. */
function copySamples(folder: string, ids: readonly string[], as?: (id: string) => string): string {
  for (const id of ids) {
    const to = path.join(dir, folder, as ? as(id) : id);
    mkdirSync(path.dirname(to), { recursive: true });
    cpSync(path.join(dir, 'data', id), to);
  }
  return folder;
}

describe.sequential('impulse test / classify / features', () => {
  test('before training: test and classify say the impulse is not trained and to run `impulse run` first', async () => {
    const [t, c, j] = await Promise.all([impulse(dir, 'test'), impulse(dir, 'classify', '.', 'data/a/a_0.csv'), impulse(dir, 'test', '--json')]);
    for (const r of [t, c]) {
      expectUserError(r);
      expect(r.stderr).toContain('impulse.yaml: error learn:nc has not been trained yet [E_CLI_NOT_TRAINED]');
      expect(r.stderr).toContain('hint: Run `impulse run` first');
    }
    expect(j.code).toBe(1);
    expect(JSON.parse(j.stdout)).toMatchObject({ ok: false, problems: [{ code: 'E_CLI_NOT_TRAINED' }] });
  });

  test('impulse run trains it', async () => {
    expectOk(await impulse(dir, 'run'));
  });

  test('test on the test split: the evaluate stage metrics.json, with the per-class table and the confusion matrix', async () => {
    const metrics = readJsonFile<Metrics>(path.join(stageDir(dir, 'evaluate:nc'), 'metrics.json'));
    const [text, json] = await Promise.all([impulse(dir, 'test'), impulse(dir, 'test', '.', '--json')]);
    expectOk(json);
    const out = JSON.parse(json.stdout) as TestJson;
    expect(out.source).toEqual({ kind: 'test-split' });
    expect(out.learn['nc']!.float32).toEqual(metrics);
    expect(Object.keys(out.learn['nc']!.float32!)).toEqual(expect.arrayContaining(['task', 'accuracy', 'perClass', 'confusion', 'rows']));
    expectOk(text);
    expect(text.stdout).toContain('nc: test accuracy 100.0% on 4 windows (test split)');
    expect(text.stdout).toMatch(/^\s+a\s+100\.0%\s+100\.0%\s+100\.0%\s+2$/m);
    expect(text.stdout).toContain('confusion: rows are the true label, columns the predicted one');
    const lines = text.stdout.split('\n').map((l) => l.trim().replace(/\s+/g, ' '));
    expect(lines).toContain('a b');
    expect(lines).toContain('a 2 0');
    expect(lines).toContain('b 0 2');
  });

  test('--data on a copy of the test split decodes, featurizes and predicts from the files: same metrics as the evaluate stage', async () => {
    const samples = readJsonFile<SampleIndex>(path.join(stageDir(dir, 'data'), 'samples.json')).samples;
    const testing = samples.filter((s) => s.split === 'testing').map((s) => s.id);
    expect(testing).toHaveLength(4);
    copySamples('testset', testing);
    const r = await impulse(dir, 'test', '--data', 'testset', '--json');
    expectOk(r);
    const out = JSON.parse(r.stdout) as TestJson;
    expect(out.source).toMatchObject({ kind: 'folder', dir: 'testset', samples: 4 });
    expect(out.learn['nc']!.float32).toEqual(readJsonFile<Metrics>(path.join(stageDir(dir, 'evaluate:nc'), 'metrics.json')));
  });

  test('--data on a folder with a subset (one label, <label>.<id>.<ext> names): every sample counts', async () => {
    copySamples('subset', ['a/a_0.csv', 'a/a_5.csv', 'a/a_6.csv'], (id) => `a.${path.basename(id)}`);
    const [json, text] = await Promise.all([impulse(dir, 'test', '--data', 'subset', '--json'), impulse(dir, 'test', '--data', 'subset')]);
    expectOk(json);
    const m = (JSON.parse(json.stdout) as TestJson).learn['nc']!.float32!;
    expect(m).toMatchObject({ task: 'classification', rows: 3, accuracy: 1, confusion: [[3, 0], [0, 0]] });
    expect(m.perClass.map((c) => [c.label, c.support])).toEqual([['a', 3], ['b', 0]]);
    expectOk(text);
    expect(text.stdout).toContain('nc: test accuracy 100.0% on 3 windows (subset: 3 samples)');
  });

  test('--data with labels the model does not know: one error naming them, a sample, and the known labels', async () => {
    copySamples('unknown', ['a/a_1.csv', 'b/b_1.csv', 'b/b_2.csv'], (id) => id.replace(/^b\//, 'bee/'));
    const r = await impulse(dir, 'test', '--data', 'unknown');
    expectUserError(r);
    expect(r.stderr).toContain("sample unknown/bee/b_1.csv: error nc does not know label 'bee' (2 samples, e.g. unknown/bee/b_1.csv); the labels it was trained on: a, b");
    expect(r.stderr).toContain('[E_DATA_UNKNOWN_LABEL]');
    expect(r.stderr).toContain('hint: Keep only samples of a, b');
    const missing = await impulse(dir, 'test', '--data', 'no-such-folder');
    expectUserError(missing);
    expect(missing.stderr).toContain('no such folder: no-such-folder');
  });

  test('classify: scores per window of one file, the top label; --json is an array of windows', async () => {
    const [json, text] = await Promise.all([impulse(dir, 'classify', '.', 'data/b/b_3.csv', '--json'), impulse(dir, 'classify', 'impulse.yaml', 'data/b/b_3.csv')]);
    expectOk(json);
    const windows = JSON.parse(json.stdout) as { window: number; startMs: number | null; learn: Record<string, { task: string; scores: Record<string, number>; top: string; score: number }> }[];
    expect(windows).toHaveLength(1); // test-numbers: one window per file
    const w = windows[0]!;
    expect(w.window).toBe(0);
    expect(w.startMs).toBeNull(); // no time windowing in this input block
    const nc = w.learn['nc']!;
    expect(nc.task).toBe('classification');
    expect(Object.keys(nc.scores)).toEqual(['a', 'b']);
    expect(nc.scores['a']! + nc.scores['b']!).toBeCloseTo(1, 5);
    expect(nc.top).toBe('b');
    expect(nc.score).toBe(nc.scores['b']);
    expectOk(text);
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('data/b/b_3.csv: 1 window of [4×2]');
    expect(lines).toContain('nc (test-centroid, classification)');
    expect(lines.find((l) => l.trim().startsWith('window'))!.trim().split(/\s+/)).toEqual(['window', 'start', 'a', 'b', 'top']);
    const row = lines.at(-1)!.trim().split(/\s+/);
    expect(row).toEqual(['0', '-', nc.scores['a']!.toFixed(3), nc.scores['b']!.toFixed(3), 'b']);
  });

  test('classify: a missing file and a folder are user errors naming them', async () => {
    const [missing, folder] = await Promise.all([impulse(dir, 'classify', '.', 'nope.csv'), impulse(dir, 'classify', '.', 'data')]);
    expectUserError(missing);
    expect(missing.stderr).toContain('nope.csv: error no such sample file: nope.csv [E_CLI_NOT_FOUND]');
    expectUserError(folder);
    expect(folder.stderr).toContain('data is a folder, not a sample file');
    expect(folder.stderr).toContain('impulse test --data');
  });

  test('features: the windows and every DSP block\'s features; shapes are the blocks\' shape()', async () => {
    const [json, text, one] = await Promise.all([
      impulse(dir, 'features', '.', 'data/a/a_2.csv', '--json'),
      impulse(dir, 'features', '.', 'data/a/a_2.csv'),
      impulse(dir, 'features', '.', 'data/a/a_2.csv', '--block', 'clip2', '--json'),
    ]);
    expectOk(json);
    const out = JSON.parse(json.stdout) as { sample: string; input: { shape: number[]; attrs: { frequency: number } }; windows: { window: number }[]; dsp: Record<string, { type: string; shape: number[]; features: number[][] }> };
    expect(out.sample).toBe('data/a/a_2.csv');
    expect(out.input.shape).toEqual([4, 2]);
    expect(out.windows).toEqual([{ window: 0, startMs: null }]);
    expect(Object.keys(out.dsp)).toEqual(['mean', 'clip', 'clip2']);

    // Shapes: what each block's shape() says for its source.
    const blocks = testBlocks as unknown as (DspBlock | InputBlock)[];
    const dsp = (type: string) => blocks.find((b) => b.type === type) as DspBlock;
    const info = (blocks.find((b) => b.type === 'test-numbers') as InputBlock).info({ frames: 4, axes: 2 } as never);
    expect(out.dsp['mean']!.shape).toEqual(dsp('test-mean').shape({ gain: 1 } as never, info));
    expect(out.dsp['clip']!.shape).toEqual(dsp('test-clip').shape({ max: 13 } as never, info));
    expect(out.dsp['clip2']!.shape).toEqual(dsp('test-clip').shape({ max: 12 } as never, { shape: out.dsp['clip']!.shape }));
    for (const f of Object.values(out.dsp)) expect(f.features[0]).toHaveLength(f.shape.reduce((a, b) => a * b, 1));

    // Values: computed from the file by hand.
    const values = readFileSync(path.join(dir, 'data/a/a_2.csv'), 'utf8').trim().split(/[\n,]/).map(Number);
    const mean = [0, 1].map((a) => values.filter((_, i) => i % 2 === a).reduce((s, v) => s + v, 0) / 4);
    out.dsp['mean']!.features[0]!.forEach((v, i) => expect(v).toBeCloseTo(mean[i]!, 5));
    expect(out.dsp['clip']!.features[0]).toEqual(values.map((v) => Math.min(v, 13)));

    expectOk(one);
    expect(Object.keys((JSON.parse(one.stdout) as typeof out).dsp)).toEqual(['clip2']);

    expectOk(text);
    expect(text.stdout).toContain('data/a/a_2.csv: 1 window of [4×2] (input test-numbers)');
    expect(text.stdout).toContain('clip (test-clip): [4×2] = 8 values per window');
    expect(text.stdout).toContain('mean (test-mean): [2] = 2 values per window');
    expect(text.stdout).toContain('window 0\n');
    expect(text.stdout).toContain(`    ${values.map((v) => Math.min(v, 13).toFixed(3)).join(' ')}\n`);
  });

  test('features --block with an unknown id suggests the closest', async () => {
    const r = await impulse(dir, 'features', '.', 'data/a/a_2.csv', '--block', 'cilp');
    expectUserError(r);
    expect(r.stderr).toContain("--block: no DSP block 'cilp' (did you mean 'clip'?)");
    expect(r.stderr).toContain('hint: DSP blocks: mean, clip, clip2.');
  });

  test('after a param change the model is out of date: the error says what changed', async () => {
    writeFileSync(path.join(dir, 'impulse.yaml'), impulseYaml({ gain: 2 }));
    const r = await impulse(dir, 'classify', '.', 'data/a/a_0.csv');
    expectUserError(r);
    expect(r.stderr).toContain('error the trained model of learn:nc is out of date (dsp:mean: params.gain 1 → 2) [E_CLI_NOT_TRAINED]');
    expect(r.stderr).toContain('hint: Run `impulse run` first');
    // features needs no model
    expectOk(await impulse(dir, 'features', '.', 'data/a/a_0.csv'));
  });
});
