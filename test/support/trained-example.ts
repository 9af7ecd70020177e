/**
 * The three example impulses trained once per test run and shared by every test file that needs
 * them (tests run in several worker processes): each example is trained briefly (fewer epochs than
 * the example — the tests check deployment and arithmetic, not accuracy) in a folder under the
 * system's temp dir named by the hash of its impulse file and impulse-kit's build, with
 * `deploy: [tflite, cpp]`. The first caller trains it, holding a lock folder; later callers wait for
 * it and reuse the trained project (`impulse run` on it is then a no-op answered from the cache).
 *
 *   const dir = await trainedExample('activity');   // a project folder with build/tflite, build/cpp
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expectOk, impulse } from './cli.js';
import { cliPath } from './project.js';
import { repoRoot, requireShared } from './shared.js';

export type ExampleName = 'activity' | 'spoken-digits' | 'handwritten';

/** Epochs per example in the tests (the examples train 100 / 60 / 30). */
export const TEST_EPOCHS: Record<ExampleName, number> = { activity: 20, 'spoken-digits': 2, handwritten: 1 };

/** The example's impulse file as the tests train it. */
export function testImpulseYaml(name: ExampleName): string {
  const yaml = readFileSync(path.join(repoRoot, 'examples', name, 'impulse.yaml'), 'utf8');
  return yaml
    .replace(/epochs: \d+/, `epochs: ${TEST_EPOCHS[name]}`)
    .replace(/replicas: \d+/, 'replicas: 1')
    .replace(/deploy:\n(  - .*\n?)+/, 'deploy:\n  - { target: tflite }\n  - { target: cpp }\n');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function trainedExample(name: ExampleName): Promise<string> {
  requireShared();
  const yaml = testImpulseYaml(name);
  const build = statSync(cliPath).mtimeMs.toString();
  const key = createHash('sha256').update(yaml).update(build).digest('hex').slice(0, 16);
  const dir = path.join(os.tmpdir(), 'impulse-kit-test-examples', `${name}-${key}`);
  const done = path.join(dir, '.trained');
  const lock = `${dir}.lock`;
  mkdirSync(path.dirname(dir), { recursive: true });
  for (;;) {
    if (existsSync(done)) return dir;
    try {
      mkdirSync(lock); // atomic: exactly one process trains
    } catch {
      // another worker is training it; a lock older than 30 minutes is from a killed run
      if (Date.now() - statSync(lock).mtimeMs > 30 * 60_000) rmSync(lock, { recursive: true, force: true });
      await sleep(1000);
      continue;
    }
    try {
      if (existsSync(done)) return dir;
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'impulse.yaml'), yaml);
      expectOk(await impulse(dir, 'run', '.'));
      writeFileSync(done, new Date().toISOString());
      return dir;
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}

/**
 * A project of its own holding the trained example (its cache and lock copied): tests that change
 * the impulse (a `device:`, a report) run only the stages their change touches.
 */
export async function copyOfTrainedExample(name: ExampleName, extraYaml = ''): Promise<string> {
  const from = await trainedExample(name);
  const dir = mkdtempSync(path.join(os.tmpdir(), `impulse-test-${name}-`));
  cpSync(from, dir, { recursive: true, filter: (src) => path.basename(src) !== '.trained' });
  if (extraYaml) writeFileSync(path.join(dir, 'impulse.yaml'), testImpulseYaml(name) + extraYaml);
  return dir;
}
