import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { Registry } from '../../core/plugin/registry.js';
import { loadImpulse } from '../../core/spec/load.js';
import { readTensorSet } from '../../core/artifact/io.js';
import { runImpulse } from '../../core/run/executor.js';
import type { RunEvent } from '../../core/run/events.js';
import { impulseStatus } from '../../core/run/status.js';
import { makeProject, numberFiles, testPlugin } from '../support/project.js';

function impulseYaml(opts: { gain?: number; max?: number; extra?: string } = {}): string {
  return `version: 1
name: exec-test
seed: 3
plugins: [${JSON.stringify(testPlugin)}]
data: { source: ./data, split: { test: 0.25 } }
input: { type: test-numbers, frames: 4, axes: 2 }
dsp:
  mean: { type: test-mean, params: { gain: ${opts.gain ?? 1} } }
  clip: { type: test-clip, params: { max: ${opts.max ?? 1e9} } }
${opts.extra ?? ''}learn:
  nc: { type: test-centroid, from: [mean, clip] }
`;
}

async function run(dir: string, opts: Parameters<typeof runImpulse>[1] = {}) {
  const events: RunEvent[] = [];
  const impulse = await loadImpulse(dir, new Registry());
  const summary = await runImpulse(impulse, { ...opts, onEvent: (e) => events.push(e) });
  return { summary, events, impulse };
}

describe('executor and cache', () => {
  test('a second run with the same inputs is served entirely from the cache', async () => {
    const dir = makeProject({ 'impulse.yaml': impulseYaml(), ...numberFiles(['a', 'b'], 8, 4, 2) });
    const first = await run(dir);
    expect(first.summary.ran).toEqual(expect.arrayContaining(['data', 'input', 'dsp:mean', 'dsp:clip', 'learn:nc', 'evaluate:nc']));
    const metrics = JSON.parse(readFileSync(path.join(first.summary.results.get('evaluate:nc')!.dir, 'metrics.json'), 'utf8'));
    expect(metrics.accuracy).toBe(1);
    const lock = readFileSync(path.join(dir, 'impulse.lock'), 'utf8');
    const second = await run(dir);
    expect(second.summary.ran).toEqual([]);
    expect(second.summary.cached).toHaveLength(7);
    expect(second.summary.lockChanged).toBe(false);
    expect(readFileSync(path.join(dir, 'impulse.lock'), 'utf8')).toBe(lock);
  });

  test('a changed param reruns only that stage and downstream; explain names the param', async () => {
    const dir = makeProject({ 'impulse.yaml': impulseYaml(), ...numberFiles(['a', 'b'], 8, 4, 2) });
    await run(dir);
    writeFileSync(path.join(dir, 'impulse.yaml'), impulseYaml({ gain: 2 }));
    const status = await impulseStatus(await loadImpulse(dir, new Registry()));
    const byStage = Object.fromEntries(status.map((s) => [s.stage, s]));
    expect(byStage['dsp:mean']!.state).toBe('stale');
    expect(byStage['dsp:mean']!.reasons).toEqual(['params.gain 1 → 2']);
    expect(byStage['dsp:clip']!.state).toBe('cached');
    expect(byStage['learn:nc']!.reasons).toEqual(['upstream dsp:mean will rerun']);
    const { summary } = await run(dir);
    expect([...summary.ran].sort()).toEqual(['dsp:mean', 'evaluate:nc', 'learn:nc', 'report']);
    expect([...summary.cached].sort()).toEqual(['data', 'dsp:clip', 'input']);
  });

  test('an upstream change with identical output leaves downstream cached (early cutoff)', async () => {
    const dir = makeProject({ 'impulse.yaml': impulseYaml({ max: 1e9 }), ...numberFiles(['a', 'b'], 8, 4, 2) });
    await run(dir);
    writeFileSync(path.join(dir, 'impulse.yaml'), impulseYaml({ max: 2e9 }));
    const { summary } = await run(dir);
    // The report draws the impulse's params, so it is redrawn; nothing that computes reruns.
    expect(summary.ran).toEqual(['dsp:clip', 'report']);
    expect(summary.cached).toEqual(expect.arrayContaining(['learn:nc', 'evaluate:nc']));
  });

  test('a changed data file reruns from data on; an unchanged touch does not', async () => {
    const files = numberFiles(['a', 'b'], 8, 4, 2);
    const dir = makeProject({ 'impulse.yaml': impulseYaml(), ...files });
    await run(dir);
    const f = path.join(dir, 'data/a/a_0.csv');
    writeFileSync(f, readFileSync(f)); // same bytes, new mtime
    expect((await run(dir)).summary.ran).toEqual([]);
    writeFileSync(f, '1,1\n2,2\n3,3\n4,4\n');
    expect((await run(dir)).summary.ran).toEqual(expect.arrayContaining(['data', 'input']));
  });

  test('a corrupt cache entry is reported and recomputed', async () => {
    const dir = makeProject({ 'impulse.yaml': impulseYaml(), ...numberFiles(['a', 'b'], 8, 4, 2) });
    const first = await run(dir);
    const featureFile = path.join(first.summary.results.get('dsp:mean')!.dir, 'tensors.bin');
    const bytes = readFileSync(featureFile);
    bytes[0] = bytes[0]! ^ 0xff;
    writeFileSync(featureFile, bytes);
    const second = await run(dir);
    const corrupt = second.events.filter((e) => e.type === 'cache-corrupt');
    expect(corrupt.map((e) => e.type === 'cache-corrupt' && e.stage)).toEqual(['dsp:mean']);
    expect(second.summary.ran).toEqual(['dsp:mean']); // same output again: downstream stays cached
    expect(readFileSync(featureFile)).toEqual((() => (bytes[0] = bytes[0]! ^ 0xff, bytes))());
  });

  test('--only runs the stage and its upstream; --force recomputes', async () => {
    const dir = makeProject({ 'impulse.yaml': impulseYaml(), ...numberFiles(['a', 'b'], 8, 4, 2) });
    const only = await run(dir, { only: ['dsp:mean'] });
    expect([...only.summary.ran].sort()).toEqual(['data', 'dsp:mean', 'input']);
    const forced = await run(dir, { only: ['dsp:mean'], force: true });
    expect([...forced.summary.ran].sort()).toEqual(['data', 'dsp:mean', 'input']);
    expect(existsSync(path.join(dir, '.impulse/tmp')) ? readdirSync(path.join(dir, '.impulse/tmp')) : []).toEqual([]);
  });

  test('a dsp stage big enough for the worker pool stores its features as binary float32, each row in its place', async () => {
    // 40 files × 2000 frames × 2 axes = 160k input values: mapped by worker threads, not in-process
    const dir = makeProject({ 'impulse.yaml': impulseYaml().replace('frames: 4', 'frames: 2000'), ...numberFiles(['a', 'b'], 20, 2000, 2) });
    const { summary } = await run(dir, { jobs: 2, only: ['dsp:mean'] });
    const inputSet = readTensorSet(summary.results.get('input')!.dir);
    const featureDir = summary.results.get('dsp:mean')!.dir;
    const bin = readFileSync(path.join(featureDir, 'tensors.bin'));
    expect(bin.length).toBe(40 * 2 * 4);
    // the header holds shape and rows, not the values
    expect(readFileSync(path.join(featureDir, 'tensors.json'), 'utf8').length).toBeLessThan(4000);
    const features = new Float32Array(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength));
    for (let r = 0; r < 40; r++) {
      for (let a = 0; a < 2; a++) {
        let sum = 0;
        for (let f = 0; f < 2000; f++) sum += inputSet.data[r * 4000 + f * 2 + a]!;
        // test-mean sums 2000 terms in float32
        expect(features[r * 2 + a], `row ${r} axis ${a}`).toBeCloseTo(sum / 2000, 3);
      }
    }
  });

  test('two independent slow stages overlap with jobs 2 and not with jobs 1', async () => {
    const extra = `  slowA: { type: test-slow, params: { ms: 4, tag: a } }\n  slowB: { type: test-slow, params: { ms: 4, tag: b } }\n`;
    // 40 files × 2000 frames: large enough to go through the worker pool.
    const dir = makeProject({
      'impulse.yaml': impulseYaml({ extra }).replace('frames: 4', 'frames: 2000').replace('learn:\n  nc: { type: test-centroid, from: [mean, clip] }', 'learn:\n  nc: { type: test-centroid, from: [mean] }'),
      ...numberFiles(['a', 'b'], 20, 2000, 2),
    });
    const interval = (events: RunEvent[], stage: string) => {
      const s = events.find((e) => e.type === 'stage-start' && e.stage === stage) as { at: number };
      const d = events.find((e) => e.type === 'stage-done' && e.stage === stage) as { at: number };
      return [s.at, d.at] as const;
    };
    const overlaps = (a: readonly [number, number], b: readonly [number, number]) => a[0] < b[1] && b[0] < a[1];
    const serial = await run(dir, { jobs: 1, force: true, only: ['dsp:slowA', 'dsp:slowB'] });
    expect(overlaps(interval(serial.events, 'dsp:slowA'), interval(serial.events, 'dsp:slowB'))).toBe(false);
    const parallel = await run(dir, { jobs: 2, force: true, only: ['dsp:slowA', 'dsp:slowB'] });
    expect(overlaps(interval(parallel.events, 'dsp:slowA'), interval(parallel.events, 'dsp:slowB'))).toBe(true);
  });
});
