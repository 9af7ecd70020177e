/**
 * The activity example end to end through the CLI, on the real st_har recordings
 * (fewer epochs than the example, to keep the suite fast): it trains, prints test accuracy,
 * writes the deployable, and a second run is a no-op.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { cliPath, makeProject } from '../support/project.js';
import { datasetsDir, repoRoot } from '../support/shared.js';

const cli = (cwd: string, ...args: string[]) =>
  execFileSync(process.execPath, [cliPath, ...args], { cwd, env: { ...process.env, IMPULSE_DATASETS: datasetsDir, NO_COLOR: '1' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('examples/activity', () => {
  test('runs end to end, reports test accuracy, and re-runs as a no-op', async () => {
    const example = readFileSync(path.join(repoRoot, 'examples/activity/impulse.yaml'), 'utf8');
    const yaml = example.replace(/epochs: \d+/, 'epochs: 25');
    expect(yaml, 'the example sets epochs (the test trains fewer)').not.toBe(example);
    const dir = makeProject({ 'impulse.yaml': yaml });
    const first = cli(dir, 'run', '.');
    const accuracy = Number(/test accuracy ([\d.]+)%/.exec(first)?.[1]);
    expect(accuracy).toBeGreaterThanOrEqual(85);
    expect(existsSync(path.join(dir, 'build/tfjs/classifier/model.json'))).toBe(true);
    expect(existsSync(path.join(dir, 'impulse.lock'))).toBe(true);
    const lock = readFileSync(path.join(dir, 'impulse.lock'), 'utf8');

    const second = cli(dir, 'run', '.');
    expect(second).toContain('nothing to do');
    expect(second).toContain(`test accuracy ${accuracy.toFixed(1)}%`);
    expect(readFileSync(path.join(dir, 'impulse.lock'), 'utf8')).toBe(lock);
    const status = JSON.parse(cli(dir, 'status', '--json')) as { stages: { stage: string; state: string }[] };
    expect(status.stages.every((s) => s.state === 'cached')).toBe(true);

    // An edit that changes nothing the stages see (a comment) is still a no-op on the full path.
    writeFileSync(path.join(dir, 'impulse.yaml'), yaml + '\n# a comment\n');
    expect(cli(dir, 'run', '.')).toContain('nothing to do');
  });
});
