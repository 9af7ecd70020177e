/** Bad samples with data.onError: skip are skipped, counted and named in the run summary — never silently. */
import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { cliPath, makeProject, projectWithBadFiles } from '../support/project.js';

describe('data.onError: skip', () => {
  test('the run summary counts and names the skipped samples; the no-op re-run says it again', () => {
    const files = projectWithBadFiles();
    const dir = makeProject(files);
    const run = () => execFileSync(process.execPath, [cliPath, 'run', '.'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const first = run();
    expect(first).toContain('skipped 2 bad samples (data.onError: skip):');
    expect(first).toMatch(/ {2}a\/broken\.csv: .*line 3/);
    expect(first).toMatch(/ {2}b\/empty\.csv: .*empty/);
    const second = run();
    expect(second).toContain('nothing to do');
    expect(second).toContain('skipped 2 bad samples (data.onError: skip):');
  });
});
