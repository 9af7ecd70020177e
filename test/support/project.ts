/** Temporary impulse projects for tests: an impulse file plus generated data files. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './shared.js';

export const testPlugin = path.join(repoRoot, 'test/support/plugins/test-blocks.ts');
export const cliPath = path.join(repoRoot, 'dist/cli/impulse.js');

export function makeProject(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'impulse-test-'));
  for (const [rel, content] of Object.entries(files)) {
    const f = path.join(dir, rel);
    mkdirSync(path.dirname(f), { recursive: true });
    writeFileSync(f, content);
  }
  return dir;
}

/** `count` files per label of `frames` lines × `axes` values; label k has values around k·10. */
export function numberFiles(labels: readonly string[], count: number, frames = 4, axes = 1): Record<string, string> {
  const files: Record<string, string> = {};
  labels.forEach((label, k) => {
    for (let i = 0; i < count; i++) {
      const lines = Array.from({ length: frames }, (_, f) => Array.from({ length: axes }, (_, a) => (k * 10 + ((i * 7 + f * 3 + a) % 5)).toString()).join(','));
      files[`data/${label}/${label}_${i}.csv`] = lines.join('\n') + '\n';
    }
  });
  return files;
}

/**
 * A project with `data.onError: skip` and two bad files (data/a/broken.csv: a value that is not a
 * number; data/b/empty.csv: empty) beside six good recordings per label, and a flatten → k-means impulse.
 */
export function projectWithBadFiles(): Record<string, string> {
  const csv = (k: number, i: number) => Array.from({ length: 20 }, (_, t) => String(k * 10 + ((t * 7 + i) % 3))).join('\n') + '\n';
  const files: Record<string, string> = {
    'impulse.yaml': `version: 1
name: skipping
data: { source: ./data, onError: skip }
input: { type: time-series, frequency: 10, axes: [x], window: { size: 1000ms, stride: 1000ms } }
dsp:
  flat: { type: flatten }
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
  return files;
}
