/**
 * Runs an impulse's stage DAG: each stage starts when its inputs are done, at most `jobs`
 * at a time (p-queue), and is served from the content-addressed cache when its key matches.
 */
import os from 'node:os';
import path from 'node:path';
import PQueue from 'p-queue';
import { buildStageGraph, topologicalStages, withUpstream, type StageGraph, type StageNode } from '../graph/build.js';
import { FileHashCache } from '../data/file-hashes.js';
import type { StageContext } from '../plugin/types.js';
import type { LoadedImpulse } from '../spec/load.js';
import { computeCacheKey } from './cache-key.js';
import type { EventSink } from './events.js';
import { readLock, updateLock, type LockedStage } from './lock.js';
import type { RunEnv, StageResult } from './stage-runner.js';
import { stageRunners } from './stages/index.js';
import { CacheStore } from './store.js';
import { WorkerPool } from './worker-pool.js';

export interface RunOptions {
  readonly jobs?: number;
  /** Recompute the selected stages even when cached. */
  readonly force?: boolean;
  /** Run only these stages (and what they need). */
  readonly only?: readonly string[];
  readonly onEvent?: EventSink;
  readonly signal?: AbortSignal;
}

export interface RunSummary {
  readonly results: ReadonlyMap<string, StageResult>;
  readonly ran: readonly string[];
  readonly cached: readonly string[];
  readonly graph: StageGraph;
  readonly lockChanged: boolean;
  /** Facts found while running (e.g. the resolved data folder). */
  readonly facts: ReadonlyMap<string, unknown>;
}

export function stateDirOf(impulse: LoadedImpulse): string {
  return path.join(impulse.dir, '.impulse');
}

export function selectStages(graph: StageGraph, only: readonly string[] | undefined): StageNode[] {
  const all = topologicalStages(graph);
  if (!only || only.length === 0) return all;
  const keep = withUpstream(graph, only);
  return all.filter((n) => keep.has(n.id));
}

export async function runImpulse(impulse: LoadedImpulse, options: RunOptions = {}): Promise<RunSummary> {
  const started = Date.now();
  const jobs = Math.max(1, options.jobs ?? os.availableParallelism());
  const emit: EventSink = options.onEvent ?? (() => {});
  const graph = buildStageGraph(impulse.spec, impulse.registry, impulse.source);
  const stages = selectStages(graph, options.only);
  const stateDir = stateDirOf(impulse);
  const store = new CacheStore(stateDir);
  store.sweepTemp();
  let pool: WorkerPool | undefined;
  const env: RunEnv = {
    impulse,
    stateDir,
    fileHashes: FileHashCache.open(stateDir),
    pool: () => (pool ??= new WorkerPool(jobs)),
    jobs,
    emit,
    facts: new Map(),
    mayDownload: true,
  };
  emit({ type: 'run-start', impulse: impulse.spec.name, stages: stages.map((s) => s.id), jobs, at: Date.now() });

  const queue = new PQueue({ concurrency: jobs });
  const results = new Map<string, StageResult>();
  const locked: Record<string, LockedStage> = {};
  const ran: string[] = [];
  const cached: string[] = [];
  const abort = new AbortController();
  options.signal?.addEventListener('abort', () => abort.abort(options.signal?.reason));
  const promises = new Map<string, Promise<StageResult>>();

  /** Serves a stage from the cache, or runs it into a temp folder and commits the entry. */
  const executeStage = async (node: StageNode): Promise<StageResult> => {
    abort.signal.throwIfAborted();
    const runner = stageRunners[node.kind];
    const parts = await runner.keyParts(node, env, results);
    const key = computeCacheKey(parts);
    if (!options.force) {
      const found = await store.lookup(key);
      if (found.status === 'hit') {
        const r: StageResult = { stage: node.id, key, outputHash: found.entry.manifest.outputHash, dir: found.entry.dir };
        results.set(node.id, r);
        cached.push(node.id);
        locked[node.id] = { key, outputHash: r.outputHash, durationMs: found.entry.manifest.durationMs, ranAt: found.entry.manifest.createdAt };
        emit({ type: 'stage-cached', stage: node.id, key, outputHash: r.outputHash, at: Date.now() });
        return r;
      }
      if (found.status === 'corrupt') emit({ type: 'cache-corrupt', stage: node.id, key, reason: found.reason });
    }
    const t0 = Date.now();
    emit({ type: 'stage-start', stage: node.id, key, at: t0 });
    const tmp = await store.begin(key);
    const ctx: StageContext = {
      stageId: node.id,
      seed: impulse.spec.seed,
      projectDir: impulse.dir,
      outDir: path.join(tmp, 'out'),
      jobs,
      signal: abort.signal,
      progress: (done, total, unit = 'items') => emit({ type: 'stage-progress', stage: node.id, done, total, unit }),
      log: (message) => emit({ type: 'stage-log', stage: node.id, message }),
    };
    try {
      await runner.run(node, env, results, ctx);
    } catch (e) {
      store.abort(tmp);
      throw e;
    }
    const durationMs = Date.now() - t0;
    const entry = await store.commit(tmp, key, parts, durationMs);
    const r: StageResult = { stage: node.id, key, outputHash: entry.manifest.outputHash, dir: entry.dir };
    results.set(node.id, r);
    ran.push(node.id);
    locked[node.id] = { key, outputHash: r.outputHash, durationMs, ranAt: entry.manifest.createdAt };
    emit({ type: 'stage-done', stage: node.id, key, outputHash: r.outputHash, durationMs, at: Date.now() });
    return r;
  };

  /** Waits for the stage's inputs, then takes a queue slot: waiting stages hold none. */
  const runStage = async (node: StageNode): Promise<StageResult> => {
    await Promise.all(node.deps.map((d) => promises.get(d)!));
    return (await queue.add(() => executeStage(node))) as StageResult;
  };

  let failure: unknown;
  for (const node of stages) {
    const p = runStage(node).catch((e: unknown) => {
      if (!failure) {
        failure = e;
        abort.abort(e);
        emit({ type: 'stage-failed', stage: node.id, error: (e as Error)?.message ?? String(e), at: Date.now() });
      }
      throw e;
    });
    p.catch(() => {});
    promises.set(node.id, p);
  }
  await Promise.allSettled(promises.values());
  await pool?.close();
  env.fileHashes.save();

  const previous = readLock(impulse.file);
  const allIds = new Set(topologicalStages(graph).map((n) => n.id));
  const keep: Record<string, LockedStage> = {};
  for (const [id, s] of Object.entries(previous?.stages ?? {})) if (allIds.has(id) && !locked[id]) keep[id] = s;
  const lockChanged = updateLock(impulse.file, impulse.spec.name, { ...keep, ...locked });

  emit({ type: 'run-done', ran, cached, durationMs: Date.now() - started, at: Date.now() });
  if (failure) throw failure;
  return { results, ran, cached, graph, lockChanged, facts: env.facts };
}
