/**
 * Benchmark: a no-op re-run of the example impulse (everything cached), measured as a whole
 * process from the shell, median of N runs; beside it, bare `node -e ''` startup on the same
 * machine in the same run (this shared machine's speed swings; the difference is ours).
 * Target (issue #2): median ≤ 150 ms.
 *   npx tsx bench/noop-rerun.ts [impulse] [runs]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packageRoot } from '../core/util/package-root.js';

const root = packageRoot();
const impulse = process.argv[2] ?? 'examples/activity';
const runs = Number(process.argv[3] ?? 15);
const env: NodeJS.ProcessEnv = { ...process.env, IMPULSE_DATASETS: process.env['IMPULSE_DATASETS'] ?? path.join(root, '../shared/datasets') };
const cli = path.join(root, 'dist/cli/impulse.js');

// This machine sets NODE_EXTRA_CA_CERTS, which makes every Node process parse a CA bundle at
// start (~45 ms here): measured both with the environment as it is and without that variable.
const { NODE_EXTRA_CA_CERTS: _certs, ...envNoCerts } = env;

function time(args: string[], e: NodeJS.ProcessEnv = env): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: root, env: e, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr.toString()}`);
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// Make sure everything is cached first (this may train).
const warm = spawnSync(process.execPath, [cli, 'run', impulse], { cwd: root, env, stdio: 'inherit' });
if (warm.status !== 0) process.exit(warm.status ?? 1);
time([cli, 'run', impulse]);

const bare: number[] = [];
const noop: number[] = [];
const bareNoCerts: number[] = [];
const noopNoCerts: number[] = [];
const full: number[] = [];
for (let i = 0; i < runs; i++) {
  bare.push(time(['-e', '']));
  noop.push(time([cli, 'run', impulse]));
  bareNoCerts.push(time(['-e', ''], envNoCerts));
  noopNoCerts.push(time([cli, 'run', impulse], envNoCerts));
  full.push(time([cli, 'status', impulse]));
}
const certsSet = env['NODE_EXTRA_CA_CERTS'] !== undefined;
const rows = [
  { what: "node -e '' (process start, for reference)", medianMs: median(bare), minMs: Math.min(...bare) },
  { what: `impulse run ${impulse} (no-op)`, medianMs: median(noop), minMs: Math.min(...noop) },
  ...(certsSet
    ? [
        { what: "node -e '', without NODE_EXTRA_CA_CERTS", medianMs: median(bareNoCerts), minMs: Math.min(...bareNoCerts) },
        { what: `impulse run ${impulse} (no-op), without NODE_EXTRA_CA_CERTS`, medianMs: median(noopNoCerts), minMs: Math.min(...noopNoCerts) },
      ]
    : []),
  { what: `impulse status ${impulse} (full spec + key path, for comparison)`, medianMs: median(full), minMs: Math.min(...full) },
];
console.log(`\nno-op re-run, ${runs} runs each, measured wall time of whole processes`);
console.log('| what | median ms | min ms |\n|---|---:|---:|');
for (const r of rows) console.log(`| ${r.what} | ${r.medianMs.toFixed(0)} | ${r.minMs.toFixed(0)} |`);
const ok = median(noop) <= 150;
console.log(`target ≤ 150 ms median: ${ok ? 'met' : 'NOT met'} (${median(noop).toFixed(0)} ms; ${(median(noop) - median(bare)).toFixed(0)} ms above bare node)`);
if (certsSet) console.log(`without NODE_EXTRA_CA_CERTS: ${median(noopNoCerts).toFixed(0)} ms (${median(noopNoCerts) <= 150 ? 'met' : 'NOT met'}); bare node ${median(bareNoCerts).toFixed(0)} ms`);
console.log(`load average ${os.loadavg()[0]?.toFixed(1)} on ${os.cpus().length} cores`);
mkdirSync(path.join(root, 'bench/results'), { recursive: true });
writeFileSync(path.join(root, 'bench/results/noop-rerun.json'), JSON.stringify({ impulse, runs, measured: 'wall time of whole processes, this machine', loadAverage: os.loadavg()[0], rows, targetMs: 150, met: ok, metWithoutExtraCaCerts: certsSet ? median(noopNoCerts) <= 150 : ok }, null, 2) + '\n');
