/**
 * `impulse run` when nothing changed: answered from .impulse/noop.json with stat calls only
 * (see core/run/noop-record.ts). Prints what the full path prints for an all-cached run.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import pc from 'picocolors';
import { checkNoopRecord } from '../core/run/noop-record.js';
import { packageRoot } from '../core/util/package-root.js';
import { PROFILE_FILE, type ProfileReport } from '../core/device/profile/report.js';
import { formatEvaluation } from './view/metrics-table.js';
import { formatProfile } from './view/profile-table.js';
import { formatSkipped } from './view/skipped.js';

export const IMPULSE_YAML_NAMES = ['impulse.yaml', 'impulse.yml'];

/**
 * impulse-kit's version and build: the package version, and the modification time of the CLI
 * bundle, which every `npm run build` rewrites. A rebuilt tool may have new block versions
 * (different cache keys), so it must not answer from a record the old build wrote.
 */
export function kitVersion(): string {
  const root = packageRoot();
  const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  const built = statSync(path.join(root, CLI_BUNDLE), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  return `${version} built ${built}`;
}

/** The bundled CLI, relative to the package root. */
export const CLI_BUNDLE = 'dist/cli/impulse.js';

function yamlImpulseFile(target: string): string | undefined {
  const abs = path.resolve(target);
  const st = statSync(abs, { throwIfNoEntry: false });
  if (!st) return undefined;
  if (st.isFile()) return /\.ya?ml$/.test(abs) ? abs : undefined;
  // Same preference as core/spec/load.ts: impulse.yaml, impulse.yml, then impulse.ts (not fast-pathed).
  return IMPULSE_YAML_NAMES.map((n) => path.join(abs, n)).find((f) => existsSync(f));
}

/** True when the run was a no-op and has been reported. */
export function tryNoopRun(target: string): boolean {
  const file = yamlImpulseFile(target);
  if (!file) return false;
  const record = checkNoopRecord(path.join(path.dirname(file), '.impulse'), file, kitVersion());
  if (!record) return false;
  for (const s of record.stages) if (!s.stage.startsWith('build:')) process.stderr.write(`${pc.green('✓')} ${s.stage} ${pc.dim('cached')}\n`);
  const input = record.stages.find((s) => s.stage === 'input');
  const skippedLine = input ? formatSkipped(path.join(input.dir, 'out')) : undefined;
  if (skippedLine) process.stdout.write(skippedLine + '\n');
  for (const s of record.stages) {
    if (s.stage.startsWith('evaluate:')) {
      const learnId = s.stage.slice('evaluate:'.length);
      const learn = record.stages.find((x) => x.stage === `learn:${learnId}`);
      const info = learn ? (JSON.parse(readFileSync(path.join(learn.dir, 'out/learn-info.json'), 'utf8')) as { summary?: Record<string, string | number> }) : undefined;
      process.stdout.write(formatEvaluation(learnId, path.join(s.dir, 'out'), info?.summary) + '\n');
    }
  }
  const profiled = record.stages.find((s) => s.stage === 'profile');
  if (profiled) process.stdout.write(formatProfile(JSON.parse(readFileSync(path.join(profiled.dir, 'out', PROFILE_FILE), 'utf8')) as ProfileReport, { compact: true }));
  for (const s of record.stages) if (s.stage.startsWith('build:')) process.stdout.write(`${s.stage.replace(/^build:/, '')}: ${path.relative(process.cwd(), s.dir)} ${pc.dim('(unchanged)')}\n`);
  if (record.stages.some((s) => s.stage === 'report')) {
    const page = path.join(path.dirname(file), 'build', 'report', 'index.html');
    const rel = path.relative(process.cwd(), page);
    process.stdout.write(`report: ${rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : page}\n`); // as displayPath
  }
  process.stdout.write(pc.dim('nothing to do: every stage is cached\n'));
  return true;
}
