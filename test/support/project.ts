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
