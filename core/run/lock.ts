/**
 * impulse.lock: YAML beside the impulse file, meant to be committed. Per stage: cache key,
 * output hash, duration and when it ran — a diff shows what changed between two runs.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';

export const LOCK_FORMAT = 1;

export interface LockedStage {
  readonly key: string;
  readonly outputHash: string;
  readonly durationMs: number;
  readonly ranAt: string;
}

export interface LockFile {
  readonly lockVersion: number;
  readonly impulse: string;
  readonly stages: Readonly<Record<string, LockedStage>>;
}

export function lockPath(impulseFile: string): string {
  return path.join(path.dirname(impulseFile), 'impulse.lock');
}

export function readLock(impulseFile: string): LockFile | undefined {
  const file = lockPath(impulseFile);
  if (!existsSync(file)) return undefined;
  try {
    const lock = parse(readFileSync(file, 'utf8')) as LockFile;
    if (lock?.lockVersion !== LOCK_FORMAT || typeof lock.stages !== 'object') return undefined;
    return lock;
  } catch {
    return undefined;
  }
}

/** Writes the lock only when a stage's key or output changed (a no-op run leaves it untouched). */
export function updateLock(impulseFile: string, impulse: string, stages: Record<string, LockedStage>): boolean {
  const prev = readLock(impulseFile);
  const merged: Record<string, LockedStage> = {};
  for (const [id, s] of Object.entries(stages)) {
    const old = prev?.stages[id];
    merged[id] = old && old.key === s.key && old.outputHash === s.outputHash ? old : s;
  }
  const next: LockFile = { lockVersion: LOCK_FORMAT, impulse, stages: Object.fromEntries(Object.entries(merged).sort(([a], [b]) => (a < b ? -1 : 1))) };
  const text = '# impulse.lock: written by impulse-kit; commit it. One entry per stage: cache key, output hash, duration, when it ran.\n' + stringify(next);
  const file = lockPath(impulseFile);
  if (existsSync(file) && readFileSync(file, 'utf8') === text) return false;
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
  return true;
}
