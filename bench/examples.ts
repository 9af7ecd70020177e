/**
 * The three example impulses end to end, full size, on the real datasets, against the test
 * accuracy targets of the learn-blocks issue — the figures the examples' READMEs quote. Each
 * example's impulse.yaml is copied into a fresh temporary project (nothing cached) and run with
 * the built CLI; the accuracy is read back with `impulse test --json` (test split only).
 *
 *   npx tsx bench/examples.ts                       # all three (~4 min here, handwritten ~3 of them)
 *   npx tsx bench/examples.ts activity spoken-digits
 *
 * Prints a table, writes bench/results/examples.json, and exits 1 when an example misses its target.
 * Needs `npm run build` (dist/cli/impulse.js) and IMPULSE_DATASETS (default ../shared/datasets).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist/cli/impulse.js');
const datasets = path.resolve(process.env['IMPULSE_DATASETS'] ?? path.join(root, '../shared/datasets'));

/** Test accuracy targets (issue: learning blocks, "Must show"). */
const TARGETS: Record<string, number> = { activity: 0.95, 'spoken-digits': 0.97, handwritten: 0.98 };

interface Row {
  example: string;
  accuracy: number;
  target: number;
  met: boolean;
  testRows: number;
  learnSeconds: number | undefined;
  runSeconds: number;
}

function runExample(example: string): Row {
  const dir = mkdtempSync(path.join(os.tmpdir(), `impulse-bench-${example}-`));
  try {
    copyFileSync(path.join(root, 'examples', example, 'impulse.yaml'), path.join(dir, 'impulse.yaml'));
    const env = { ...process.env, IMPULSE_DATASETS: datasets, NO_COLOR: '1' };
    const started = performance.now();
    const run = spawnSync(process.execPath, [cli, 'run', dir], { env, encoding: 'utf8', maxBuffer: 64 << 20 });
    if (run.status !== 0) throw new Error(`impulse run examples/${example} failed:\n${run.stderr}${run.stdout}`);
    const runSeconds = (performance.now() - started) / 1000;
    const report = JSON.parse(execFileSync(process.execPath, [cli, 'test', dir, '--json'], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })) as {
      learn: Record<string, { float32?: { accuracy?: number; rows: number } }>;
    };
    const metrics = report.learn['classifier']?.float32;
    if (metrics?.accuracy === undefined) throw new Error(`examples/${example}: no classifier accuracy in 'impulse test --json'`);
    // the stage line on stderr: "✓ learn:classifier 12.1 s"
    const learn = /learn:classifier ([\d.]+) s\b/.exec(run.stderr)?.[1];
    const target = TARGETS[example]!;
    return {
      example,
      accuracy: metrics.accuracy,
      target,
      met: metrics.accuracy >= target,
      testRows: metrics.rows,
      learnSeconds: learn === undefined ? undefined : Number(learn),
      runSeconds,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = wanted.filter((w) => !(w in TARGETS));
if (unknown.length) {
  console.error(`unknown example(s): ${unknown.join(', ')} (have: ${Object.keys(TARGETS).join(', ')})`);
  process.exit(2);
}
const examples = wanted.length ? wanted : Object.keys(TARGETS);
const rows: Row[] = [];
for (const example of examples) {
  process.stderr.write(`running examples/${example} (fresh project, full size)…\n`);
  rows.push(runExample(example));
}

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
console.log('Example impulses end to end, test split (full size, fresh project, real data)');
console.log(['example'.padEnd(14), 'test acc'.padStart(9), 'target'.padStart(7), 'met'.padStart(4), 'test rows'.padStart(10), 'learn s'.padStart(8), 'run s'.padStart(7)].join('  '));
for (const r of rows) {
  console.log([r.example.padEnd(14), pct(r.accuracy).padStart(9), `≥${pct(r.target)}`.padStart(7), (r.met ? 'yes' : 'NO').padStart(4), String(r.testRows).padStart(10), (r.learnSeconds?.toFixed(1) ?? '?').padStart(8), r.runSeconds.toFixed(0).padStart(7)].join('  '));
}
console.log(`datasets: ${datasets}`);
mkdirSync(path.join(root, 'bench/results'), { recursive: true });
writeFileSync(
  path.join(root, 'bench/results/examples.json'),
  JSON.stringify({ benchmark: 'examples', date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, datasets, rows }, null, 1) + '\n',
);
console.log('wrote bench/results/examples.json');
process.exit(rows.every((r) => r.met) ? 0 : 1);
