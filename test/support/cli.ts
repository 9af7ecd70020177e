/** Spawning `node dist/cli/impulse.js …` (run `npm run build` first) with plain output, and user-error checks. */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { cliPath } from './project.js';
import { datasetsDir } from './shared.js';

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `impulse <args>` in `cwd` with plain (uncoloured, non-TTY) output. */
export function impulse(cwd: string, ...args: string[]): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, IMPULSE_DATASETS: datasetsDir, NO_COLOR: '1' };
  delete env['FORCE_COLOR'];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export const STACK_LINE = /^\s+at /m;

/** A user error: exit 1, no stack trace, the message on stderr. */
export function expectUserError(r: CliResult): void {
  expect(r.code, `stdout:\n${r.stdout}\nstderr:\n${r.stderr}`).toBe(1);
  expect(r.stderr).not.toMatch(STACK_LINE);
  expect(r.stdout).not.toMatch(STACK_LINE);
  expect(r.stderr).not.toContain('internal error');
}

/** Exit 0, with the output in the message otherwise. */
export function expectOk(r: CliResult): void {
  expect(r.code, `stdout:\n${r.stdout}\nstderr:\n${r.stderr}`).toBe(0);
}

/** The cached output folder of a stage, from impulse.lock. */
export function stageDir(project: string, stage: string): string {
  const lock = parseYaml(readFileSync(path.join(project, 'impulse.lock'), 'utf8')) as { stages: Record<string, { key: string }> };
  return path.join(project, '.impulse/cache', lock.stages[stage]!.key, 'out');
}

export function readJsonFile<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}
