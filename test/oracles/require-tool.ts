/**
 * Tests that need a system tool (gcc, ArmNN, …): without it the test is SKIPPED with a loud reason
 * (console.warn), except in CI (`CI=true`), where a missing tool is a failure. The same rule as
 * `haveTool` in test/support/shared.ts (re-exported here), for tools that are not a command to
 * run with `--version` (e.g. a Python module: pass a check function).
 *
 *   test('…', async ({ skip }) => {
 *     skipWithoutTool(skip, 'ArmNN (python3-pyarmnn)', armnnAvailable);
 *     …
 *   });
 */
import { inCI } from '../support/shared.js';

export { haveTool, inCI } from '../support/shared.js';

const INSTALL_HINT = 'run scripts/install-system-deps.sh';

/**
 * True when the tool is present. When it is not: in CI throws (a failure, not a skip); elsewhere
 * warns loudly and returns false.
 */
export function requireTool(what: string, present: boolean | (() => boolean), hint = INSTALL_HINT): boolean {
  if (typeof present === 'function' ? present() : present) return true;
  const msg = `${what} not found: tests that need it are SKIPPED (${hint})`;
  if (inCI) throw new Error(`${msg}; in CI a missing tool is a failure`);
  console.warn(`\n*** ${msg} ***\n`);
  return false;
}

/** Inside a test: skips it (vitest's `context.skip`) with the reason when the tool is missing; throws in CI. */
export function skipWithoutTool(skip: (note?: string) => void, what: string, present: boolean | (() => boolean), hint = INSTALL_HINT): void {
  if (!requireTool(what, present, hint)) skip(`${what} not found (${hint})`);
}
