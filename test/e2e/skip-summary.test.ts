/** Bad samples with data.onError: skip are skipped, counted and named in the run summary — never silently. */
import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { cliPath, makeProject } from '../support/project.js';

const csv = (k: number, i: number) => Array.from({ length: 20 }, (_, t) => String(k * 10 + ((t * 7 + i) % 3))).join('\n') + '\n';

describe('data.onError: skip', () => {
  test('the run summary counts and names the skipped samples; the no-op re-run says it again', () => {
    const files: Record<string, string> = {
      'impulse.yaml': `version: 1
name: skipping
data: { source: ./data, onError: skip }
input: { type: time-series, frequency: 10, axes: [x], window: { size: 1000ms, stride: 1000ms } }
dsp:
  stats: { type: flatten }
learn:
  anomaly: { type: anomaly-kmeans, params: { clusters: 2 } }
`,
      'data/a/broken.csv': '1\n2\nnot-a-number\n',
      'data/b/empty.csv': '',
    };
    for (let i = 0; i < 6; i++) {
      files[`data/a/a${i}.csv`] = csv(1, i);
      files[`data/b/b${i}.csv`] = csv(2, i);
    }
    const dir = makeProject(files);
    const run = () => execFileSync(process.execPath, [cliPath, 'run', '.'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const first = run();
    expect(first).toContain('skipped 2 bad samples (data.onError: skip):');
    expect(first).toMatch(/ {2}a\/broken\.csv: .*line 3/);
    expect(first).toMatch(/ {2}b\/empty\.csv: .*empty/);
    const second = run();
    expect(second).toContain('nothing to do');
    expect(second).toContain('skipped 2 bad samples (data.onError: skip):');
  });
});
