/**
 * The cached stage outputs a report is made from: one folder per stage, and the key parts its
 * manifest records (the params shown in the impulse diagram). The report reads files only, so the
 * same code serves this impulse (the report stage's inputs) and another commit's (its impulse.lock).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { KeyParts } from '../../run/cache-key.js';

export interface StageEntry {
  readonly id: string;
  /** The stage's output folder (read-only). */
  readonly dir: string;
  /** Key parts from the entry's manifest, when it has one. */
  readonly parts?: KeyParts;
}

export type StageEntries = ReadonlyMap<string, StageEntry>;

/** A JSON output file of a stage, or undefined when the stage did not write it. */
export function readOptionalJson<T>(entry: StageEntry | undefined, name: string): T | undefined {
  if (!entry) return undefined;
  const file = path.join(entry.dir, name);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** The manifest beside a cache entry's out/ folder. */
export function partsOfEntryDir(outDir: string): KeyParts | undefined {
  const file = path.join(path.dirname(outDir), 'manifest.json');
  if (!existsSync(file)) return undefined;
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { parts?: KeyParts }).parts;
  } catch {
    return undefined;
  }
}
