/**
 * The inference commands on the real activity example (ST HAR accelerometer recordings, time-series
 * windows → spectral analysis → TF.js classifier), on a few files to stay fast: decoding and
 * featurizing a file outside a run gives exactly the features and metrics the stages computed.
 */
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readTensorSet } from '../../core/artifact/io.js';
import { rowOf, type SampleIndex } from '../../core/artifact/types.js';
import { spectralAnalysis } from '../../blocks/dsp/index.js';
import { loadForCli } from '../../cli/load.js';
import { makeProject } from '../support/project.js';
import { datasetsDir, repoRoot, requireShared } from '../support/shared.js';
import { expectOk, impulse, readJsonFile, stageDir } from '../support/cli.js';

const LABELS = ['running', 'stationary', 'walking'];
let dir: string;

beforeAll(async () => {
  requireShared();
  const yaml = readFileSync(path.join(repoRoot, 'examples/activity/impulse.yaml'), 'utf8').replace('source: dataset:st_har', 'source: ./data').replace('epochs: 60', 'epochs: 5');
  expect(yaml).toContain('source: ./data');
  dir = makeProject({ 'impulse.yaml': yaml });
  for (const label of LABELS) {
    const from = path.join(datasetsDir, 'st_har', label);
    mkdirSync(path.join(dir, 'data', label), { recursive: true });
    for (const f of readdirSync(from).sort().slice(0, 4)) cpSync(path.join(from, f), path.join(dir, 'data', label, f));
  }
  expectOk(await impulse(dir, 'run'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('inference on the activity example (4 recordings per label)', () => {
  test('test --data on the test split\'s files gives the evaluate stage\'s metrics exactly', async () => {
    const metrics = readJsonFile<Record<string, unknown>>(path.join(stageDir(dir, 'evaluate:classifier'), 'metrics.json'));
    const testing = readJsonFile<SampleIndex>(path.join(stageDir(dir, 'data'), 'samples.json')).samples.filter((s) => s.split === 'testing');
    expect(testing.length).toBe(3);
    for (const s of testing) {
      mkdirSync(path.join(dir, 'testset', s.label), { recursive: true });
      cpSync(path.join(dir, 'data', s.id), path.join(dir, 'testset', s.id));
    }
    const [split, folder] = await Promise.all([impulse(dir, 'test', '--json'), impulse(dir, 'test', '--data', 'testset', '--json')]);
    expectOk(split);
    expectOk(folder);
    expect(JSON.parse(split.stdout).learn.classifier.float32).toEqual(metrics);
    expect(JSON.parse(folder.stdout).learn.classifier.float32).toEqual(metrics);
  });

  test('classify and features: one row per window, starts every 500 ms, features equal the dsp stage\'s', async () => {
    const id = 'walking/' + readdirSync(path.join(dir, 'data/walking')).sort()[0];
    const file = path.join('data', id);
    const [c, f] = await Promise.all([impulse(dir, 'classify', '.', file, '--json'), impulse(dir, 'features', '.', file, '--json')]);
    expectOk(c);
    expectOk(f);
    const windows = JSON.parse(c.stdout) as { window: number; startMs: number; learn: { classifier: { scores: Record<string, number>; top: string } } }[];
    const feats = JSON.parse(f.stdout) as { input: { shape: number[]; attrs: { frequency: number; axes: string[] } }; windows: { window: number; startMs: number }[]; dsp: Record<string, { shape: number[]; features: number[][] }> };

    const cached = readTensorSet(stageDir(dir, 'dsp:spectral'));
    const rows = cached.rows.flatMap((r, i) => (r.sample === id ? [i] : []));
    expect(rows.length).toBeGreaterThan(10);
    expect(windows.map((w) => w.window)).toEqual(rows.map((i) => cached.rows[i]!.window));
    expect(windows.map((w) => w.startMs)).toEqual(windows.map((w) => w.window * 500)); // 500 ms = 13 frames at 26 Hz
    expect(feats.windows).toEqual(windows.map((w) => ({ window: w.window, startMs: w.startMs })));
    for (const w of windows) {
      expect(Object.keys(w.learn.classifier.scores)).toEqual(LABELS);
      expect(Object.values(w.learn.classifier.scores).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    }

    expect(feats.input).toEqual({ type: 'time-series', kind: 'signal', shape: [52, 3], attrs: { frequency: 26, axes: ['x', 'y', 'z'] } });
    const params = (await loadForCli(dir)).spec.dsp['spectral']!.params;
    const spectral = spectralAnalysis as unknown as { shape(p: unknown, info: unknown): number[] };
    expect(feats.dsp['spectral']!.shape).toEqual(spectral.shape(params, { shape: [52, 3], frequency: 26, axes: ['x', 'y', 'z'] }));
    expect(feats.dsp['spectral']!.shape).toEqual(cached.shape);
    rows.forEach((r, k) => expect(feats.dsp['spectral']!.features[k]).toEqual(Array.from(rowOf(cached, r))));

    const text = await impulse(dir, 'classify', '.', file);
    expectOk(text);
    expect(text.stdout).toContain(`${file}: ${windows.length} windows of [52×3]`);
    expect(text.stdout).toMatch(/^\s+1\s+500 ms\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+\w+$/m);
    expect(text.stdout).toMatch(/most windows: \w+ \(\d+ of \d+\)/);
  });
});

