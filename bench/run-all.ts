/**
 * `npm run bench`: runs every benchmark in this folder, one after another (they each print a
 * table and write bench/results/<name>.json). Pass names to run a subset: `npm run bench -- dsp`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../core/util/package-root.js';

const root = packageRoot();
const ALL = ['noop-rerun', 'dsp', 'train-kernels', 'train', 'examples', 'int8', 'cpp', 'kernels', 'device'];
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length ? wanted : ALL;
const env = { ...process.env, IMPULSE_DATASETS: process.env['IMPULSE_DATASETS'] ?? path.join(root, '../shared/datasets') };
let failed = 0;
for (const name of names) {
  const file = path.join(root, 'bench', `${name}.ts`);
  if (!existsSync(file)) {
    console.error(`no benchmark bench/${name}.ts (have: ${ALL.join(', ')})`);
    failed++;
    continue;
  }
  console.log(`\n=== bench/${name} ===`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', file], { cwd: root, env, stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
