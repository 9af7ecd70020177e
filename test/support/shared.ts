/** Where the shared real datasets and fixtures live, and how tests require system tools. */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const datasetsDir = path.resolve(process.env['IMPULSE_DATASETS'] ?? path.join(repoRoot, '../shared/datasets'));
export const fixturesDir = path.resolve(repoRoot, '../shared/fixtures');

export const inCI = process.env['CI'] === 'true';

/** True when `cmd` runs. In CI a missing tool throws (a failure, not a skip); elsewhere it warns loudly. */
export function haveTool(cmd: string, args: readonly string[] = ['--version']): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
    return true;
  } catch {
    const msg = `system tool '${cmd}' not found: tests that need it are SKIPPED (run scripts/install-system-deps.sh)`;
    if (inCI) throw new Error(`${msg}; in CI a missing tool is a failure`);
    console.warn(`\n*** ${msg} ***\n`);
    return false;
  }
}

export function requireShared(): void {
  if (!existsSync(datasetsDir)) throw new Error(`shared datasets not found at ${datasetsDir}; set IMPULSE_DATASETS`);
}
