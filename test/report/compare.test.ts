/**
 * `impulse report --compare <ref>` in a temporary git repository: the page gets a second column for
 * the impulse as it was at the other commit, says which stages changed and why, names the cache
 * entries the other lock names that are missing here, and a wrong ref or a commit without a lock is
 * a user error before anything runs.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { expectOk, expectUserError, impulse } from '../support/cli.js';
import { makeProject, numberFiles } from '../support/project.js';

const yaml = (clusters: number) => `version: 1
name: compared
seed: 2
data: { source: ./data, split: { test: 0.25 } }
input: { type: time-series, frequency: 1, axes: [x], window: { size: 4000ms, stride: 4000ms } }
dsp:
  flat: { type: flatten }
learn:
  k: { type: anomaly-kmeans, params: { clusters: ${clusters} } }
`;

const git = (dir: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=impulse-test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

const page = (dir: string) => readFileSync(path.join(dir, 'build/report/index.html'), 'utf8');

describe('impulse report --compare', () => {
  let dir: string;
  let baseCommit: string;

  beforeAll(async () => {
    dir = makeProject({ 'impulse.yaml': yaml(2), '.gitignore': '.impulse/\nbuild/\n', ...numberFiles(['a', 'b'], 8) });
    git(dir, 'init', '-q');
    // A first commit without impulse.lock, for the "no lock at that commit" case.
    git(dir, 'add', '.gitignore');
    git(dir, 'commit', '-qm', 'ignore rules');
    git(dir, 'tag', 'no-lock');
    expectOk(await impulse(dir, 'report', '.'));
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'two clusters');
    baseCommit = git(dir, 'rev-parse', 'HEAD').trim();
    writeFileSync(path.join(dir, 'impulse.yaml'), yaml(3));
  });

  test('a second column for the other commit, and what changed with the cache key parts that say why', async () => {
    const r = await impulse(dir, 'report', '.', '--compare', 'HEAD');
    expectOk(r);
    expect(r.stdout).toContain(`compared with HEAD (${baseCommit.slice(0, 10)})`);
    const html = page(dir);
    expect(html).toContain('<body class="compare">');
    expect(html).toContain('<h2>What changed since HEAD</h2>');
    expect(html).toContain(`(commit <code>${baseCommit.slice(0, 10)}</code>)`);
    expect(html).toMatch(/<td>learn:k<\/td><td>changed<\/td><td>params\.clusters 2 → 3<\/td>/);
    expect(html).not.toMatch(/<td>dsp:flat<\/td><td>changed/); // unchanged stages are not listed
    // every section has both columns
    const columns = html.match(/<div class="col-title">[^<]*<\/div>/g)!;
    expect(columns.filter((c) => c.includes('this impulse'))).toHaveLength(9);
    expect(columns.filter((c) => c.includes(`HEAD (${baseCommit.slice(0, 10)})`))).toHaveLength(9);
    // the baseline's own report stage was in the cache: its column has the per-window sections too
    expect(html).not.toContain('its report stage is not in the cache');
    expect(html).toContain('<td class="n" data-delta="sample files">±0</td>');
  });

  test('entries of the other lock missing from the cache are named, with what to run', async () => {
    const lock = parseYaml(git(dir, 'show', 'HEAD:impulse.lock')) as { stages: Record<string, { key: string }> };
    for (const stage of ['learn:k', 'evaluate:k', 'report']) rmSync(path.join(dir, '.impulse/cache', lock.stages[stage]!.key), { recursive: true, force: true });
    const r = await impulse(dir, 'report', '.', '--compare', baseCommit.slice(0, 12));
    expectOk(r);
    expect(r.stdout).toMatch(/baseline [0-9a-f]{12}: 3 stage\(s\) not in the cache \(evaluate:k, learn:k, report\)/);
    expect(r.stdout).toContain('git switch --detach');
    const html = page(dir);
    expect(html).toContain('3 stages of');
    expect(html).toContain('not in this cache: evaluate:k, learn:k, report. Their figures are left out.');
    expect(html).toContain("stage outputs (its report stage is not in the cache)");
    expect(html).toContain('learn:k is not in the cache: its section is left out.');
  });

  test('a ref that names no commit, a commit without impulse.lock, a folder outside git: user errors before anything runs', async () => {
    const bad = await impulse(dir, 'report', '.', '--compare', 'no-such-branch');
    expectUserError(bad);
    expect(bad.stderr).toContain("'no-such-branch' names no commit");
    expect(bad.stderr).toContain('[E_REPORT_GIT_REF]');
    expect(bad.stderr).not.toContain('▶');
    const noLock = await impulse(dir, 'report', '.', '--compare', 'no-lock');
    expectUserError(noLock);
    expect(noLock.stderr).toContain('has no impulse.lock');
    expect(noLock.stderr).toContain('[E_REPORT_NO_LOCK]');
    const outside = makeProject({ 'impulse.yaml': yaml(2), ...numberFiles(['a', 'b'], 8) });
    const notGit = await impulse(outside, 'report', '.', '--compare', 'HEAD');
    expectUserError(notGit);
    expect(notGit.stderr).toContain('[E_REPORT_GIT]');
  });
});
