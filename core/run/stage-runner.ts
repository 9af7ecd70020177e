/** The contract between the executor and the code that runs one kind of stage. */
import type { StageNode } from '../graph/build.js';
import type { StageContext } from '../plugin/types.js';
import type { LoadedImpulse } from '../spec/load.js';
import type { KeyParts } from './cache-key.js';
import type { EventSink } from './events.js';
import type { FileHashCache } from '../data/file-hashes.js';
import type { WorkerPool } from './worker-pool.js';

/** A finished upstream stage as its consumers see it. */
export interface StageResult {
  readonly stage: string;
  readonly key: string;
  readonly outputHash: string;
  /** Folder of its output files (inside the cache: read-only). */
  readonly dir: string;
}

/** Shared by all stages of one run. */
export interface RunEnv {
  readonly impulse: LoadedImpulse;
  readonly stateDir: string;
  readonly fileHashes: FileHashCache;
  readonly pool: () => WorkerPool;
  readonly jobs: number;
  readonly emit: EventSink;
  /** Facts found at run time that are not outputs (e.g. where a dataset was resolved). */
  readonly facts: Map<string, unknown>;
  /** false when only looking (status, explain, dry runs): nothing is downloaded. */
  readonly mayDownload: boolean;
}

export interface StageRunner {
  /** Parts of the cache key: cheap, no training; the data stage scans (hashes) its source here. */
  keyParts(node: StageNode, env: RunEnv, deps: ReadonlyMap<string, StageResult>): Promise<KeyParts>;
  /** Does the work, writing output files into ctx.outDir. */
  run(node: StageNode, env: RunEnv, deps: ReadonlyMap<string, StageResult>, ctx: StageContext): Promise<void>;
}

/** Upstream output hashes, plus any files the block declares it reads (`cacheInputs`). */
export function inputsOf(node: StageNode, deps: ReadonlyMap<string, StageResult>, extra?: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of node.deps) out[d] = deps.get(d)!.outputHash;
  for (const [name, hash] of Object.entries(extra ?? {})) out[`file:${name}`] = hash;
  return out;
}
