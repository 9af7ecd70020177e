/**
 * `impulse status` and `impulse explain`: computes every stage's key without running anything
 * and compares it with the cache and with the last run recorded in impulse.lock.
 */
import os from 'node:os';
import path from 'node:path';
import { buildStageGraph, topologicalStages } from '../graph/build.js';
import { FileHashCache } from '../data/file-hashes.js';
import type { LoadedImpulse } from '../spec/load.js';
import { computeCacheKey, describeChange, diffKeyParts, type KeyParts } from './cache-key.js';
import { stateDirOf } from './executor.js';
import { readLock } from './lock.js';
import type { RunEnv, StageResult } from './stage-runner.js';
import { stageRunners } from './stages/index.js';
import { DatasetNotLocalError } from '../data/datasets/resolve.js';
import { CacheStore } from './store.js';

export interface StageStatus {
  readonly stage: string;
  readonly state: 'cached' | 'stale';
  /** Unknown when an upstream stage must run first. */
  readonly key?: string;
  readonly reasons: readonly string[];
  readonly lastRun?: { readonly key: string; readonly ranAt: string; readonly durationMs: number };
}

export async function impulseStatus(impulse: LoadedImpulse): Promise<StageStatus[]> {
  return (await inspectStages(impulse, { persist: true })).status;
}

/** Status per stage, plus the cached results (and run environment) of every stage whose key is known. */
/** `persist`: keep the source file hashes computed on the way (not for --dry-run, which writes nothing). */
export async function inspectStages(impulse: LoadedImpulse, options: { persist: boolean }): Promise<{ status: StageStatus[]; known: ReadonlyMap<string, StageResult>; env: RunEnv }> {
  const graph = buildStageGraph(impulse.spec, impulse.registry, impulse.source);
  const stateDir = stateDirOf(impulse);
  const store = new CacheStore(stateDir);
  const lock = readLock(impulse.file);
  const env: RunEnv = {
    impulse,
    stateDir,
    fileHashes: FileHashCache.open(stateDir),
    pool: () => {
      throw new Error('status runs nothing');
    },
    jobs: os.availableParallelism(),
    emit: () => {},
    facts: new Map(),
    mayDownload: false,
  };
  const known = new Map<string, StageResult>();
  const out: StageStatus[] = [];
  for (const node of topologicalStages(graph)) {
    const last = lock?.stages[node.id];
    const lastRun = last ? { key: last.key, ranAt: last.ranAt, durationMs: last.durationMs } : undefined;
    const staleDeps = node.deps.filter((d) => !known.has(d));
    if (staleDeps.length > 0) {
      out.push({ stage: node.id, state: 'stale', reasons: staleDeps.map((d) => `upstream ${d} will rerun`), ...(lastRun ? { lastRun } : {}) });
      continue;
    }
    let parts;
    try {
      parts = await stageRunners[node.kind].keyParts(node, env, known);
    } catch (e) {
      if (e instanceof DatasetNotLocalError) {
        out.push({ stage: node.id, state: 'stale', reasons: [e.message], ...(lastRun ? { lastRun } : {}) });
        continue;
      }
      throw e;
    }
    const key = computeCacheKey(parts);
    const manifest = store.peek(key);
    if (manifest) {
      known.set(node.id, { stage: node.id, key, outputHash: manifest.outputHash, dir: path.join(store.entryDir(key), 'out') });
      out.push({ stage: node.id, state: 'cached', key, reasons: [], ...(lastRun ? { lastRun } : {}) });
      continue;
    }
    out.push({ stage: node.id, state: 'stale', key, reasons: whyStale(parts, last?.key, store), ...(lastRun ? { lastRun } : {}) });
  }
  if (options.persist) env.fileHashes.save();
  return { status: out, known, env };
}

function whyStale(parts: KeyParts, lastKey: string | undefined, store: CacheStore): string[] {
  if (!lastKey) return ['never run'];
  const previous = store.peek(lastKey);
  if (!previous) return ['the last run\u2019s cache entry is gone (cleaned or corrupt)'];
  const changes = diffKeyParts(previous.parts, parts);
  return changes.length > 0 ? changes.map(describeChange) : ['not in the cache'];
}
