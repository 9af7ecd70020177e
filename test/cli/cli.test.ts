/**
 * The `impulse` command end to end: spawns `node dist/cli/impulse.js …` (run `npm run build`
 * first) in temporary projects built on the local test plugin (no TF.js training).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { cliPath, makeProject, numberFiles, testPlugin } from '../support/project.js';
import { expectUserError, impulse, STACK_LINE } from '../support/cli.js';

const projects: string[] = [];
afterAll(() => {
  for (const d of projects) rmSync(d, { recursive: true, force: true });
});
function project(files: Record<string, string>): string {
  const dir = makeProject(files);
  projects.push(dir);
  return dir;
}

function impulseYaml(opts: { gain?: number } = {}): string {
  return `version: 1
name: cli-test
seed: 3
plugins: [${JSON.stringify(testPlugin)}]
data: { source: ./data, split: { test: 0.25 } }
input: { type: test-numbers, frames: 4, axes: 1 }
dsp:
  mean: { type: test-mean, params: { gain: ${opts.gain ?? 1} } }
learn:
  nc: { type: test-centroid, from: [mean] }
deploy:
  - { target: tfjs }
`;
}

const STAGES = ['data', 'input', 'dsp:mean', 'learn:nc', 'evaluate:nc', 'deploy:tfjs', 'report'];

/** Built-in blocks only (no plugin to compile, no TF.js): cheaper to spawn, and eligible for the no-op fast path. */
function builtinYaml(opts: { source?: string; clusters?: number } = {}): string {
  return `version: 1
name: builtin-test
seed: 3
data: { source: ${opts.source ?? './data'}, split: { test: 0.25 } }
input: { type: time-series, frequency: 1, window: { size: 4000ms, stride: 4000ms } }
dsp:
  raw: { type: raw }
learn:
  k: { type: anomaly-kmeans, params: { clusters: ${opts.clusters ?? 2} } }
deploy:
  - { target: tfjs }
`;
}

const BUILTIN_STAGES = ['data', 'input', 'dsp:raw', 'learn:k', 'evaluate:k', 'deploy:tfjs', 'report'];

/** Every file under `dir` with its size and mtime: what "nothing was written" is checked against. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const abs = path.join(d, e.name);
      if (e.isDirectory()) {
        out[path.relative(dir, abs) + '/'] = 'dir';
        walk(abs);
      } else {
        const st = statSync(abs);
        out[path.relative(dir, abs)] = `${st.size}@${st.mtimeMs}`;
      }
    }
  };
  walk(dir);
  return out;
}

function lockOf(dir: string): Record<string, { key: string; outputHash: string }> {
  return (parseYaml(readFileSync(path.join(dir, 'impulse.lock'), 'utf8')) as { stages: Record<string, { key: string; outputHash: string }> }).stages;
}

describe.concurrent('user errors: one clear message, exit 1, no stack trace', () => {
  const bad = `version: 1
name: bad
data: { source: ./data }
bogus: 1
input: { type: time-series, frequency: 1, window: { size: 4000ms, stride: 4000ms } }
dsp:
  raw: { type: rwa }
learn:
  k: { type: anomaly-kmeans }
`;
  let dir: string;
  let untouched: string; // for checks that nothing was written (other tests here may create .impulse/ in `dir`)
  beforeAll(() => {
    untouched = project({ 'impulse.yaml': builtinYaml(), ...numberFiles(['a', 'b'], 4) });
    dir = project({ 'impulse.yaml': builtinYaml(), 'bad.yaml': bad, ...numberFiles(['a', 'b'], 4) });
  });

  test('an impulse with an unknown key and an unknown block type: every problem with file:line:col, the line, a hint', async () => {
    const r = await impulse(dir, 'validate', 'bad.yaml');
    expectUserError(r);
    expect(r.stderr).toContain("bad.yaml:4:1: error unknown key 'bogus'");
    expect(r.stderr).toContain('[E_SPEC_UNKNOWN_KEY]');
    expect(r.stderr).toContain('  4 | bogus: 1');
    expect(r.stderr).toMatch(/hint: Valid keys here: .*\binput\b/);
    // The unknown block type names the closest valid one, with a caret under it.
    expect(r.stderr).toContain("bad.yaml:7:16: error unknown dsp block type 'rwa' (did you mean 'raw'?) [E_SPEC_UNKNOWN_BLOCK]");
    expect(r.stderr).toContain('  7 |   raw: { type: rwa }\n    |                ^');
    expect(r.stderr).toMatch(/hint: Known dsp blocks: .*\braw\b/);
    expect(r.stderr).toContain('2 problems');
    expect(r.stdout).toBe('');
  });

  test('--verbose shows the stack of a user error', async () => {
    const r = await impulse(dir, '--verbose', 'validate', 'bad.yaml');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("bad.yaml:4:1: error unknown key 'bogus'");
    expect(r.stderr).toMatch(STACK_LINE);
  });

  test('validate --json on a bad file: { ok: false, problems: [{ code, message, line, col, … }] } on stdout', async () => {
    const r = await impulse(dir, 'validate', 'bad.yaml', '--json');
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(STACK_LINE);
    const out = JSON.parse(r.stdout) as { ok: boolean; problems: { code: string; message: string; hint?: string; file?: string; line?: number; col?: number }[] };
    expect(out.ok).toBe(false);
    expect(out.problems.length).toBe(2);
    for (const p of out.problems) {
      expect(p.code).toMatch(/^E_[A-Z_]+$/);
      expect(typeof p.message).toBe('string');
      expect(p.file).toBe('bad.yaml');
      expect(Number.isInteger(p.line)).toBe(true);
      expect(Number.isInteger(p.col)).toBe(true);
    }
    expect(out.problems[0]).toMatchObject({ code: 'E_SPEC_UNKNOWN_KEY', line: 4, col: 1 });
    expect(out.problems[1]).toMatchObject({ code: 'E_SPEC_UNKNOWN_BLOCK', line: 7, col: 16 });
    expect(out.problems[1]!.hint).toContain('raw');
  });

  test('a missing data folder names impulse.yaml:line:col and says what to do', async () => {
    writeFileSync(path.join(untouched, 'missing.yaml'), builtinYaml({ source: './nope' }));
    const r = await impulse(untouched, 'run', 'missing.yaml');
    expectUserError(r);
    expect(r.stderr).toContain("missing.yaml:4:17: error data folder './nope' does not exist [E_SPEC_DATA_MISSING]");
    expect(r.stderr).toContain('  4 | data: { source: ./nope');
    expect(r.stderr).toMatch(/hint: Create nope/);
    expect(existsSync(path.join(untouched, '.impulse'))).toBe(false);
  });

  test('a missing impulse file or folder', async () => {
    const r = await impulse(dir, 'validate', 'no-such-folder');
    expectUserError(r);
    expect(r.stderr).toContain('no such file or folder: no-such-folder');
    expect(r.stderr).toContain('[E_IMPULSE_NOT_FOUND]');
    expect(r.stderr).toContain('hint:');
  });

  test('--jobs 0 is refused with the rule and the usage', async () => {
    const r = await impulse(untouched, 'run', '--jobs', '0');
    expectUserError(r);
    expect(r.stderr).toContain("--jobs takes a whole number ≥ 1, got '0'");
    expect(r.stderr).toContain('Usage: impulse run');
    expect(existsSync(path.join(untouched, '.impulse'))).toBe(false); // nothing ran
  });

  test('explain with an unknown stage suggests the closest and lists the stages', async () => {
    const r = await impulse(dir, 'explain', 'dsp:rwa');
    expectUserError(r);
    expect(r.stderr).toContain("no stage 'dsp:rwa'");
    expect(r.stderr).toContain("did you mean 'dsp:raw'?");
    expect(r.stderr).toContain('[E_CLI_UNKNOWN_STAGE]');
    expect(r.stderr).toContain(`hint: Stages: ${BUILTIN_STAGES.join(', ')}.`);
  });

  test('run --only with an unknown stage', async () => {
    const r = await impulse(dir, 'run', '--only', 'learn:kk');
    expectUserError(r);
    expect(r.stderr).toContain("--only: no stage 'learn:kk'");
    expect(r.stderr).toContain('hint: Stages:');
  });

  test('init with an unknown template suggests one and lists the templates', async () => {
    const r = await impulse(dir, 'init', 'activty', 'x');
    expectUserError(r);
    expect(r.stderr).toContain("no template 'activty'");
    expect(r.stderr).toContain("did you mean 'activity'?");
    expect(r.stderr).toMatch(/hint: Templates: .*activity/);
    expect(existsSync(path.join(dir, 'x'))).toBe(false);
  });

  test('a data problem found while running names the sample', async () => {
    const d = project({ 'impulse.yaml': builtinYaml(), ...numberFiles(['a', 'b'], 4), 'data/stray.csv': '1\n2\n3\n4\n' });
    const r = await impulse(d, 'run');
    expectUserError(r);
    expect(r.stderr).toContain('sample stray.csv: error cannot tell the label of stray.csv [E_DATA_NO_LABEL]');
    expect(r.stderr).toContain('hint:');
  });
});

describe.concurrent('validate and graph', () => {
  let dir: string;
  beforeAll(() => {
    dir = project({ 'impulse.yaml': builtinYaml(), ...numberFiles(['a', 'b'], 4) });
  });

  test('validate: text and --json', async () => {
    const text = await impulse(dir, 'validate');
    expect(text.code).toBe(0);
    expect(text.stdout).toBe('✓ impulse.yaml is valid: 7 stages\n');
    const json = await impulse(dir, 'validate', 'impulse.yaml', '--json');
    expect(json.code).toBe(0);
    const out = JSON.parse(json.stdout) as { ok: boolean; file: string; stages: number; spec: { name: string; dsp: Record<string, { type: string }>; learn: Record<string, { params: { clusters: number } }> } };
    expect(out).toMatchObject({ ok: true, file: 'impulse.yaml', stages: 7 });
    expect(out.spec.name).toBe('builtin-test');
    expect(out.spec.dsp['raw']!.type).toBe('raw');
    expect(out.spec.learn['k']!.params.clusters).toBe(2);
  });

  test('graph: text, one line per stage with its inputs', async () => {
    const r = await impulse(dir, 'graph');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n').map((l) => l.replace(/\s+/g, ' '));
    expect(lines).toEqual(['data ← (source)', 'input ← data', 'dsp:raw ← input', 'learn:k ← dsp:raw', 'evaluate:k ← learn:k, dsp:raw', 'deploy:tfjs ← input, learn:k', 'report ← data, input, dsp:raw, learn:k, evaluate:k']);
  });

  test('graph --json, --format mermaid and --format dot agree on stages and edges', async () => {
    const [json, mermaid, dot] = await Promise.all([impulse(dir, 'graph', '--json'), impulse(dir, 'graph', '--format', 'mermaid'), impulse(dir, 'graph', '--format', 'dot')]);
    expect([json.code, mermaid.code, dot.code]).toEqual([0, 0, 0]);
    const { stages } = JSON.parse(json.stdout) as { stages: { id: string; kind: string; output: string; deps: string[] }[] };
    expect(stages.map((s) => s.id)).toEqual(BUILTIN_STAGES);
    expect(stages.find((s) => s.id === 'evaluate:k')!.deps.sort()).toEqual(['dsp:raw', 'learn:k']);
    const edges = stages.flatMap((s) => s.deps.map((d) => [d, s.id] as const));
    expect(edges).toHaveLength(12);

    const m = mermaid.stdout.split('\n');
    expect(m[0]).toBe('flowchart LR');
    const safe = (id: string) => id.replace(/[^A-Za-z0-9_]/g, '_');
    for (const s of stages) expect(mermaid.stdout).toContain(`${safe(s.id)}["${s.id}`);
    const mEdges = m.filter((l) => l.includes('-->')).map((l) => l.trim());
    expect(mEdges.sort()).toEqual(edges.map(([a, b]) => `${safe(a)} --> ${safe(b)}`).sort());

    const d = dot.stdout.trim();
    expect(d).toMatch(/^digraph \w+ \{/);
    expect(d.endsWith('}')).toBe(true);
    expect(d.split('{').length).toBe(d.split('}').length);
    for (const s of stages) expect(d).toMatch(new RegExp(`^\\s*"${s.id}" \\[label=`, 'm'));
    const dEdges = d.split('\n').filter((l) => l.includes('->')).map((l) => l.trim());
    expect(dEdges.sort()).toEqual(edges.map(([a, b]) => `"${a}" -> "${b}";`).sort());
  });
});

describe('run, status, explain on a plugin-based project', () => {
  let dir: string;
  beforeAll(() => {
    dir = project({ 'impulse.yaml': impulseYaml(), ...numberFiles(['a', 'b'], 8) });
  });

  test('first run: exit 0, every stage runs, the metrics table is printed, tfjs files land in build/tfjs/<learnId>/', async () => {
    const r = await impulse(dir, 'run');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('nc: test accuracy 100.0% on 4 windows (test split)');
    expect(r.stdout).toMatch(/label\s+precision\s+recall\s+f1\s+support/);
    expect(r.stdout).toMatch(/^\s+a\s+100\.0%\s+100\.0%\s+100\.0%\s+2$/m);
    expect(r.stdout).toContain('deploy:tfjs: build/tfjs\n');
    expect(r.stdout).not.toContain('nothing to do');
    for (const s of STAGES) expect(r.stderr).toContain(`✓ ${s} `);
    expect(r.stderr).toContain('done in');
    expect(r.stderr).toContain('7 ran, 0 cached');
    expect(r.stderr).not.toMatch(STACK_LINE);

    // The tfjs target copies every file of the learn block's model folder (here the
    // nearest-centroid learner's centroids.json; model.json + weights.bin for the TF.js
    // classifier), except learn-info.json, and adds metadata.json.
    const lock = lockOf(dir);
    const modelDir = path.join(dir, '.impulse/cache', lock['learn:nc']!.key, 'out');
    const modelFiles = readdirSync(modelDir).filter((f) => f !== 'learn-info.json');
    expect(modelFiles).toEqual(['centroids.json']);
    const out = path.join(dir, 'build/tfjs/nc');
    expect(readdirSync(out).sort()).toEqual([...modelFiles, 'metadata.json'].sort());
    for (const f of modelFiles) expect(readFileSync(path.join(out, f))).toEqual(readFileSync(path.join(modelDir, f)));
    expect(JSON.parse(readFileSync(path.join(out, 'metadata.json'), 'utf8'))).toEqual({ learnBlock: 'test-centroid', task: 'classification', labels: ['a', 'b'], featureShape: [1] });
    expect(Object.keys(lock).sort()).toEqual([...STAGES].sort());
  });

  test('second run: nothing to do, every stage cached, the metrics still shown', async () => {
    const lockBefore = readFileSync(path.join(dir, 'impulse.lock'), 'utf8');
    const r = await impulse(dir, 'run');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('nothing to do');
    expect(r.stdout).toContain('nc: test accuracy 100.0%');
    expect(r.stdout).toContain('deploy:tfjs: build/tfjs (unchanged)');
    for (const s of STAGES) expect(r.stderr).toContain(`✓ ${s} cached`);
    expect(r.stderr).not.toContain('▶');
    expect(readFileSync(path.join(dir, 'impulse.lock'), 'utf8')).toBe(lockBefore);
  });

  test('run --json: NDJSON on stdout, every line an event, from run-start to run-done', async () => {
    const r = await impulse(dir, 'run', '--json');
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    const events = lines.map((l) => JSON.parse(l) as { type: string; stage?: string; stages?: string[]; ran?: string[]; cached?: string[] });
    expect(events[0]!.type).toBe('run-start');
    expect(events[0]!.stages).toEqual(STAGES);
    expect(events.at(-1)!.type).toBe('run-done');
    expect(events.filter((e) => e.type === 'stage-cached' || e.type === 'stage-done').map((e) => e.stage).sort()).toEqual([...STAGES].sort());
    expect(events.at(-1)!.cached!.sort()).toEqual([...STAGES].sort());
    expect(r.stdout).not.toContain('test accuracy'); // no table mixed into the NDJSON
  });

  test('a corrupted cache entry is reported and recomputed; the run succeeds', async () => {
    const key = lockOf(dir)['learn:nc']!.key;
    const file = path.join(dir, '.impulse/cache', key, 'out/centroids.json');
    const good = readFileSync(file);
    writeFileSync(file, Buffer.alloc(good.length, 0x7a)); // same size, other bytes
    const r = await impulse(dir, 'run');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`learn:nc: corrupt cache entry ${key.slice(0, 12)} \\(centroids\\.json checksum mismatch\\); recomputing`));
    expect(r.stderr).toContain('✓ learn:nc ');
    expect(r.stderr).not.toContain('✓ learn:nc cached');
    expect(r.stderr).toContain('✓ evaluate:nc cached'); // same output again: downstream stays cached
    expect(r.stdout).toContain('nc: test accuracy 100.0%');
    expect(readFileSync(file)).toEqual(good);
  });

  test('status after a param change: dsp:mean is stale because params.gain 1 → 2', async () => {
    writeFileSync(path.join(dir, 'impulse.yaml'), impulseYaml({ gain: 2 }));
    const r = await impulse(dir, 'status');
    expect(r.code, r.stderr).toBe(0);
    const line = (stage: string) => r.stdout.split('\n').find((l) => l.startsWith(stage + ' '))?.replace(/\s+/g, ' ').trim();
    expect(line('data')).toBe('data cached');
    expect(line('input')).toBe('input cached');
    expect(line('dsp:mean')).toBe('dsp:mean stale params.gain 1 → 2');
    expect(line('learn:nc')).toBe('learn:nc stale upstream dsp:mean will rerun');
    expect(r.stdout).toContain('5 stage(s) would run: impulse run');
  });

  test('explain dsp:mean names the change; explain data says cached', async () => {
    const [mean, data] = await Promise.all([impulse(dir, 'explain', 'dsp:mean'), impulse(dir, 'explain', 'data')]);
    expect(mean.code, mean.stderr).toBe(0);
    expect(mean.stdout).toBe('dsp:mean: will run\n  dsp:mean: params.gain 1 → 2\n');
    expect(data.code, data.stderr).toBe(0);
    expect(data.stdout).toMatch(/^data: cached \(key [0-9a-f]{12}, ran /);
  });

  test('run --dry-run lists what would run and writes nothing', async () => {
    const before = snapshot(dir);
    const r = await impulse(dir, 'run', '--dry-run');
    expect(r.code, r.stderr).toBe(0);
    const plan = r.stdout.split('\n').map((l) => l.replace(/\s+/g, ' ').trim());
    expect(plan).toContain('cached data');
    expect(plan).toContain('cached input');
    expect(plan).toContain('would run dsp:mean params.gain 1 → 2');
    expect(plan.filter((l) => l.startsWith('would run')).map((l) => l.split(' ')[2])).toEqual(['dsp:mean', 'learn:nc', 'evaluate:nc', 'deploy:tfjs', 'report']);
    expect(r.stdout).toMatch(/^deploy:? ?tfjs → build\/tfjs\//m);
    expect(r.stdout).toContain('dry run: nothing was written');
    expect(snapshot(dir)).toEqual(before);
  });

  test('run --only dsp:mean runs only it and what it needs', async () => {
    const r = await impulse(dir, 'run', '--only', 'dsp:mean', '--json');
    expect(r.code, r.stderr).toBe(0);
    const events = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string; stage?: string; stages?: string[]; key?: string; ran?: string[]; cached?: string[] });
    expect(events[0]).toMatchObject({ type: 'run-start', stages: ['data', 'input', 'dsp:mean'] });
    expect(events.at(-1)).toMatchObject({ type: 'run-done', ran: ['dsp:mean'] });
    expect(events.at(-1)!.cached!.sort()).toEqual(['data', 'input']);
    const touched = new Set(events.map((e) => e.stage).filter(Boolean));
    for (const s of ['learn:nc', 'evaluate:nc', 'deploy:tfjs']) expect(touched.has(s), s).toBe(false);
    // The lock records the new dsp:mean; downstream is still stale.
    const done = events.find((e) => e.type === 'stage-done' && e.stage === 'dsp:mean')!;
    expect(lockOf(dir)['dsp:mean']!.key).toBe(done.key);
    const status = await impulse(dir, 'status', '--json');
    const stages = (JSON.parse(status.stdout) as { stages: { stage: string; state: string; reasons: string[] }[] }).stages;
    const byStage = Object.fromEntries(stages.map((s) => [s.stage, s]));
    expect(byStage['dsp:mean']!.state).toBe('cached');
    expect(byStage['learn:nc']!.state).toBe('stale');
    expect(byStage['learn:nc']!.reasons[0]).toMatch(/^dsp:mean output changed [0-9a-f]{12} → [0-9a-f]{12}$/);
  });
});

test('run --dry-run on a never-run project writes nothing', async () => {
  const dir = project({ 'impulse.yaml': builtinYaml(), ...numberFiles(['a', 'b'], 4) });
  const before = snapshot(dir);
  const r = await impulse(dir, 'run', '--dry-run');
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toMatch(/would run\s+data\s+never run/);
  expect(r.stdout).toContain('dry run: nothing was written');
  expect(snapshot(dir)).toEqual(before); // no .impulse/ (file-hashes.json), no build/, no impulse.lock
});

describe('run on a built-in-only YAML impulse (the no-op fast path)', () => {
  let dir: string;
  beforeAll(() => {
    dir = project({ 'impulse.yaml': builtinYaml(), ...numberFiles(['a', 'b'], 8) });
  });

  test('first run, then an unchanged run answered from the no-op record prints what the full path prints', async () => {
    const first = await impulse(dir, 'run');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('k: anomaly scores on 4 test windows');
    expect(readdirSync(path.join(dir, 'build/tfjs/k')).sort()).toEqual(['kmeans.json', 'metadata.json']);
    expect(existsSync(path.join(dir, '.impulse/noop.json'))).toBe(true);
    const fast = await impulse(dir, 'run');
    expect(fast.code, fast.stderr).toBe(0);
    const full = await impulse(dir, 'run', '--jobs', '1'); // any option takes the full path
    expect(full.code, full.stderr).toBe(0);
    expect(fast.stdout).toContain('nothing to do');
    expect(fast.stdout).toContain('deploy:tfjs: build/tfjs (unchanged)');
    expect(fast.stdout).toBe(full.stdout);
    for (const s of BUILTIN_STAGES) expect(fast.stderr).toContain(`✓ ${s} cached`);
  });

  test('after a rebuild of impulse-kit (its blocks may have new versions) the run takes the full path', async () => {
    const noop = path.join(dir, '.impulse/noop.json');
    const before = readFileSync(noop, 'utf8');
    const bundle = cliPath;
    const built = statSync(bundle);
    utimesSync(bundle, built.atime, new Date(built.mtimeMs + 10_000));
    try {
      const r = await impulse(dir, 'run');
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('nothing to do');
      // only the full path writes the record (with the new build in its fingerprint)
      expect(readFileSync(noop, 'utf8')).not.toBe(before);
    } finally {
      utimesSync(bundle, built.atime, built.mtime);
    }
  });

  test('a corrupted cache file is reported and recomputed, not served by the fast path', async () => {
    const key = lockOf(dir)['learn:k']!.key;
    const file = path.join(dir, '.impulse/cache', key, 'out/kmeans.json');
    const good = readFileSync(file);
    writeFileSync(file, Buffer.alloc(good.length, 0x20));
    const r = await impulse(dir, 'run');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`learn:k: corrupt cache entry ${key.slice(0, 12)} (kmeans.json checksum mismatch); recomputing`);
    expect(r.stdout).toContain('k: anomaly scores on 4 test windows');
    expect(readFileSync(file)).toEqual(good);
  });

  test('a deleted build/ folder is written again by the next run', async () => {
    rmSync(path.join(dir, 'build'), { recursive: true });
    const r = await impulse(dir, 'run');
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(path.join(dir, 'build/tfjs/k')).sort()).toEqual(['kmeans.json', 'metadata.json']);
    expect(r.stdout).toContain('deploy:tfjs: build/tfjs\n');
  });
});

describe('init', () => {
  let cwd: string;
  beforeAll(() => {
    cwd = project({});
  });

  test('init activity <dir> creates <dir>/impulse.yaml that validate accepts', async () => {
    const r = await impulse(cwd, 'init', 'activity', 'har');
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(path.join(cwd, 'har/impulse.yaml'))).toBe(true);
    expect(r.stdout).toContain('har/impulse.yaml');
    const v = await impulse(cwd, 'validate', 'har');
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout).toMatch(/^✓ har\/impulse\.yaml is valid: \d+ stages\n$/);
  });

  test('init into a non-empty folder fails without --force and leaves it alone; --force writes', async () => {
    mkdirSync(path.join(cwd, 'busy'));
    writeFileSync(path.join(cwd, 'busy/notes.txt'), 'mine');
    const r = await impulse(cwd, 'init', 'activity', 'busy');
    expectUserError(r);
    expect(r.stderr).toContain('exists and is not empty');
    expect(r.stderr).toContain('--force');
    expect(readdirSync(path.join(cwd, 'busy'))).toEqual(['notes.txt']);
    const forced = await impulse(cwd, 'init', 'activity', 'busy', '--force');
    expect(forced.code, forced.stderr).toBe(0);
    expect(existsSync(path.join(cwd, 'busy/impulse.yaml'))).toBe(true);
    expect(readFileSync(path.join(cwd, 'busy/notes.txt'), 'utf8')).toBe('mine');
  });
});

test('doctor --json reports the Node version and a TF.js backend', async () => {
  const r = await impulse(project({}), 'doctor', '--json');
  expect(r.code, r.stderr).toBe(0);
  const report = JSON.parse(r.stdout) as { node: string; platform: string; tfjs: { version: string; backend: string; native: boolean }; tools: { name: string; found: boolean }[] };
  expect(report.node).toBe(process.version);
  expect(report.platform).toBe(`${process.platform}-${process.arch}`);
  expect(['tensorflow', 'wasm', 'cpu']).toContain(report.tfjs.backend);
  expect(report.tfjs.native).toBe(report.tfjs.backend === 'tensorflow');
  expect(report.tfjs.version).toMatch(/^\d+\.\d+\.\d+/);
  expect(report.tools.map((t) => t.name)).toEqual(expect.arrayContaining(['gcc', 'arm-none-eabi-gcc', 'qemu-system-arm']));
});
