/**
 * The three example impulses trained briefly in fresh projects (fewer epochs than the examples:
 * latency, RAM and flash do not depend on the weights' values, only on the shapes), for the device
 * tests and bench/device. Trains with the built CLI (dist/cli/impulse.js: `npm run build` first),
 * as test/e2e/exports-vs-runtimes.test.ts does.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { builtinRegistry } from '../../cli/builtins.js';
import type { StageResult } from '../../core/run/stage-runner.js';
import { inspectForInference } from '../../core/run/inference.js';
import { loadImpulse, type LoadedImpulse } from '../../core/spec/load.js';
import { datasetsDir, repoRoot } from '../support/shared.js';

export const EXAMPLE_TRAINING = [
  { name: 'activity', epochs: 5 },
  { name: 'spoken-digits', epochs: 1 },
  { name: 'handwritten', epochs: 1 },
] as const;

export interface TrainedExample {
  readonly name: string;
  readonly dir: string;
  readonly impulse: LoadedImpulse;
  readonly known: ReadonlyMap<string, StageResult>;
  readonly epochs: number;
}

/** The example's impulse.yaml with fewer epochs, one training thread, no deploy targets, and `extra` appended. */
export function briefImpulseYaml(name: string, epochs: number, extra = ''): string {
  return (
    readFileSync(path.join(repoRoot, 'examples', name, 'impulse.yaml'), 'utf8')
      .replace(/epochs: \d+/, `epochs: ${epochs}`)
      .replace(/replicas: \d+/, 'replicas: 1')
      .replace(/\ndeploy:\n(\s+- .*\n?)+/, '\ndeploy: []\n') + extra
  );
}

function runCli(args: string[], cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'dist/cli/impulse.js'), ...args], { cwd, env: { ...process.env, IMPULSE_DATASETS: datasetsDir, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

export async function trainExample(name: string, epochs: number, extraYaml = ''): Promise<TrainedExample> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `impulse-device-${name}-`));
  writeFileSync(path.join(dir, 'impulse.yaml'), briefImpulseYaml(name, epochs, extraYaml));
  const r = await runCli(['run', '.'], dir);
  if (r.code !== 0) throw new Error(`impulse run of ${name} failed (exit ${r.code}):\n${r.output.slice(-3000)}`);
  // The data stage resolves dataset:<name> through IMPULSE_DATASETS, in this process too.
  process.env['IMPULSE_DATASETS'] ??= datasetsDir;
  const impulse = await loadImpulse(dir, builtinRegistry());
  const { known } = await inspectForInference(impulse);
  return { name, dir, impulse, known, epochs };
}
