import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { ERROR_CATALOGUE } from '../core/errors/catalogue.js';
import { repoRoot } from './support/shared.js';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return name === 'node_modules' || name === 'dist' ? [] : sources(p);
    return /\.ts$/.test(name) && !/\.test\.ts$/.test(name) ? [p] : [];
  });
}

test('every error code thrown in the sources is in the catalogue, and every catalogued code is used', () => {
  const used = new Set<string>();
  for (const dir of ['core', 'blocks', 'cli', 'pipelines', 'generators']) {
    for (const file of sources(path.join(repoRoot, dir))) {
      if (file.endsWith(path.join('errors', 'catalogue.ts'))) continue;
      for (const m of readFileSync(file, 'utf8').matchAll(/'(E_[A-Z0-9_]+)'/g)) used.add(m[1]!);
    }
  }
  const catalogued = new Set(Object.keys(ERROR_CATALOGUE));
  expect([...used].filter((c) => !catalogued.has(c)).sort()).toEqual([]);
  expect([...catalogued].filter((c) => !used.has(c)).sort()).toEqual([]);
});
