/**
 * The no-op fast path. After a complete successful run, `.impulse/noop.json` records a
 * fingerprint of everything the stage keys were computed from (the impulse file's bytes,
 * impulse-kit's version, the declared environment, the data files' sizes and mtimes) and the
 * files of every cache entry used. If all of that is unchanged, the next `impulse run` is a
 * no-op without loading the spec machinery, the blocks or TF.js — only stat calls.
 * Anything it cannot vouch for (plugins, TS impulses) is not recorded: the full path runs.
 */
import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { IGNORED } from '../data/ignored.js';

export const NOOP_FILE = 'noop.json';
/** Environment variables that change what a run resolves or computes. */
const DECLARED_ENV = ['IMPULSE_DATASETS', 'IMPULSE_CACHE_DIR', 'XDG_CACHE_HOME', 'IMPULSE_TF_BACKEND'] as const;

interface RecordedFile {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
}

export interface NoopStage {
  readonly stage: string;
  readonly key: string;
  /** Output folder of the cache entry. */
  readonly dir: string;
  readonly files: readonly RecordedFile[];
}

export interface NoopRecord {
  readonly format: 1;
  readonly fingerprint: string;
  readonly dataRoot: string;
  readonly stages: readonly NoopStage[];
}

/** One line per data file: relative path, size, mtime. */
function statLines(root: string): string {
  const lines: string[] = [];
  const walk = (dir: string, rel: string): void => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (IGNORED.test(e.name)) continue;
      const abs = dir + path.sep + e.name; // path.join's normalisation is measurable on this path
      const r = `${rel}/${e.name}`;
      if (e.isDirectory()) walk(abs, r);
      else if (e.isFile()) {
        const st = statSync(abs);
        lines.push(`${r}|${st.size}|${st.mtimeMs}`);
      }
    }
  };
  walk(root, '');
  return lines.join('\n');
}

/**
 * Everything the stage keys were computed from, as one string. Kept verbatim (not hashed):
 * comparing strings needs no crypto module, whose loading alone costs more than the compare.
 */
export function computeFingerprint(impulseFile: string, dataRoot: string, kitVersion: string): string {
  const env = DECLARED_ENV.map((k) => `${k}=${process.env[k] ?? ''}`).join('\0');
  return [readFileSync(impulseFile, 'utf8'), kitVersion, process.version, env, dataRoot, statLines(dataRoot)].join('\0\n');
}

function recordPath(stateDir: string): string {
  return path.join(stateDir, NOOP_FILE);
}

export function writeNoopRecord(stateDir: string, record: NoopRecord): void {
  const file = recordPath(stateDir);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(record));
  renameSync(tmp, file);
}

export function entryFiles(dir: string): RecordedFile[] {
  const out: RecordedFile[] = [];
  const walk = (d: string, rel: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(d, e.name), r);
      else {
        const st = statSync(path.join(d, e.name));
        out.push({ path: r, size: st.size, mtimeMs: st.mtimeMs });
      }
    }
  };
  walk(dir, '');
  return out;
}

/** The record when nothing has changed since it was written; undefined otherwise. */
export function checkNoopRecord(stateDir: string, impulseFile: string, kitVersion: string): NoopRecord | undefined {
  const file = recordPath(stateDir);
  if (!existsSync(file)) return undefined;
  let record: NoopRecord;
  try {
    record = JSON.parse(readFileSync(file, 'utf8')) as NoopRecord;
    if (record.format !== 1 || !existsSync(record.dataRoot)) return undefined;
    if (computeFingerprint(impulseFile, record.dataRoot, kitVersion) !== record.fingerprint) return undefined;
    for (const s of record.stages) {
      for (const f of s.files) {
        const st = statSync(s.dir + path.sep + f.path, { throwIfNoEntry: false });
        if (!st || st.size !== f.size || st.mtimeMs !== f.mtimeMs) return undefined;
      }
    }
  } catch {
    return undefined;
  }
  return record;
}
