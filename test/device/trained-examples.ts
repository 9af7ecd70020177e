/**
 * The three example impulses trained briefly (fewer epochs than the examples: latency, RAM and
 * flash do not depend on the weights' values, only on the shapes), for the device tests and
 * bench/device. The tests start from a copy of the examples trained once per test run
 * (test/support/trained-example.ts) with a `device:` added, so `impulse run` runs only the profile
 * (and the report); bench/device trains its own. Uses the built CLI (`npm run build` first).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { builtinRegistry } from '../../cli/builtins.js';
import type { StageResult } from '../../core/run/stage-runner.js';
import { inspectForInference } from '../../core/run/inference.js';
import { loadImpulse, type LoadedImpulse } from '../../core/spec/load.js';
import { datasetsDir, repoRoot } from '../support/shared.js';
import { copyOfTrainedExample, TEST_EPOCHS, type ExampleName } from '../support/trained-example.js';

export const EXAMPLE_TRAINING = (['activity', 'spoken-digits', 'handwritten'] as const).map((name) => ({ name, epochs: TEST_EPOCHS[name] }));

export interface TrainedExample {
  readonly name: string;
  readonly dir: string;
  readonly impulse: LoadedImpulse;
  readonly known: ReadonlyMap<string, StageResult>;
  readonly epochs: number;
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

/** In tests: a copy of the shared trained example with `extraYaml` (a device) added, run again. */
export async function trainExample(name: ExampleName, epochs: number, extraYaml = ''): Promise<TrainedExample> {
  const dir = await copyOfTrainedExample(name, extraYaml);
  const r = await runCli(['run', '.'], dir);
  if (r.code !== 0) throw new Error(`impulse run of ${name} failed (exit ${r.code}):\n${r.output.slice(-3000)}`);
  // The data stage resolves dataset:<name> through IMPULSE_DATASETS, in this process too.
  process.env['IMPULSE_DATASETS'] ??= datasetsDir;
  const impulse = await loadImpulse(dir, builtinRegistry());
  const { known } = await inspectForInference(impulse);
  return { name, dir, impulse, known, epochs };
}
