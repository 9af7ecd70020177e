/**
 * The baseline of `impulse report --compare <ref>`: the impulse as it was at another commit, from
 * that commit's impulse.lock and the cache entries it names (the cache is content-addressed, so
 * entries of both versions live side by side in .impulse/cache). Its stored report.json when the
 * report stage of that commit is in the cache, else the same data read from its stages' outputs.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ImpulseError } from '../../errors/impulse-error.js';
import { describeChange, diffKeyParts } from '../../run/cache-key.js';
import { LOCK_FORMAT, lockPath, type LockFile } from '../../run/lock.js';
import { CacheStore } from '../../run/store.js';
import { collectReportData } from '../collect/collect.js';
import type { StageEntry } from '../collect/entries.js';
import type { StageNodeLike } from '../collect/stages.js';
import type { BaselineView, StageChange } from '../html/baseline.js';
import { REPORT_DATA_FORMAT, type ReportData } from '../report-data.js';
import { gitRoot, resolveCommit, showFile } from './git.js';

export interface BaselineRequest {
  readonly ref: string;
  /** The impulse file: its lock is beside it. */
  readonly impulseFile: string;
}

/** The baseline's lock, read before anything runs (a wrong ref fails at once). */
export interface BaselineLock {
  readonly ref: string;
  readonly commit: string;
  readonly lock: LockFile;
}

export interface BaselineContext {
  /** The impulse's state folder (.impulse): the cache both versions share. */
  readonly stateDir: string;
  /** This impulse's lock as it is now (after the report ran). */
  readonly currentLock: LockFile | undefined;
  /** How the user names the impulse on the command line, for the hint. */
  readonly shownPath: string;
}

/** The report stage's files (core/run/stages/report.ts). */
const REPORT_STAGE = 'report';
const REPORT_JSON = 'report.json';

/** Stage kind from its id (data, input, dsp:x, learn:x, quantize:x, evaluate:x, profile, deploy:x, report). */
const kindOf = (id: string) => id.split(':')[0]!;

export function readBaselineLock(request: BaselineRequest): BaselineLock {
  const root = gitRoot(path.dirname(request.impulseFile));
  const commit = resolveCommit(root, request.ref);
  const file = lockPath(request.impulseFile);
  const text = showFile(root, commit, file);
  const shown = path.relative(root, file).split(path.sep).join('/');
  if (text === undefined) {
    throw new ImpulseError({
      code: 'E_REPORT_NO_LOCK',
      message: `--compare: commit ${commit.slice(0, 10)} (${request.ref}) has no ${shown}`,
      hint: 'impulse.lock is written by `impulse run` and meant to be committed; compare with a commit that has it.',
    });
  }
  let lock: LockFile;
  try {
    lock = parseYaml(text) as LockFile;
  } catch (e) {
    throw new ImpulseError({ code: 'E_REPORT_NO_LOCK', message: `--compare: ${shown} at ${request.ref} is not valid YAML (${(e as Error).message.split('\n')[0]})`, hint: 'Compare with a commit whose impulse.lock impulse-kit wrote.' });
  }
  if (lock?.lockVersion !== LOCK_FORMAT || typeof lock.stages !== 'object' || lock.stages === null) {
    throw new ImpulseError({ code: 'E_REPORT_NO_LOCK', message: `--compare: ${shown} at ${request.ref} is not an impulse.lock of format ${LOCK_FORMAT}`, hint: 'Compare with a commit whose impulse.lock this version of impulse-kit wrote.' });
  }
  return { ref: request.ref, lock, commit };
}

/** Each stage of the lock, added, removed or changed since, with why its key differs. */
function stageChanges(then: LockFile, now: LockFile | undefined, store: CacheStore): StageChange[] {
  const ids = [...new Set([...Object.keys(now?.stages ?? {}), ...Object.keys(then.stages)])].sort();
  return ids.map((stage): StageChange => {
    const a = then.stages[stage];
    const b = now?.stages[stage];
    if (!a) return { stage, change: 'added', reasons: [] };
    if (!b) return { stage, change: 'removed', reasons: [] };
    if (a.key === b.key) return { stage, change: 'unchanged', reasons: [] };
    const pa = store.peek(a.key)?.parts;
    const pb = store.peek(b.key)?.parts;
    return { stage, change: 'changed', reasons: pa && pb ? diffKeyParts(pa, pb).map(describeChange) : ['(the baseline\'s cache entry is not here: no details)'] };
  });
}

function storedReport(entry: StageEntry | undefined): ReportData | undefined {
  if (!entry) return undefined;
  const file = path.join(entry.dir, REPORT_JSON);
  if (!existsSync(file)) return undefined;
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as ReportData;
    return data.format === REPORT_DATA_FORMAT ? data : undefined;
  } catch {
    return undefined;
  }
}

export function loadBaseline(baseline: BaselineLock, context: BaselineContext): BaselineView {
  const { lock, commit, ref } = baseline;
  const store = new CacheStore(context.stateDir);
  const entries = new Map<string, StageEntry>();
  const missing: string[] = [];
  for (const [id, s] of Object.entries(lock.stages)) {
    const manifest = store.peek(s.key);
    const dir = path.join(store.entryDir(s.key), 'out');
    if (manifest && existsSync(dir)) entries.set(id, { id, dir, parts: manifest.parts });
    else if (kindOf(id) !== 'deploy') missing.push(id);
  }
  const ids = new Set(Object.keys(lock.stages));
  const nodes: StageNodeLike[] = Object.keys(lock.stages).map((id) => ({
    id,
    kind: entries.get(id)?.parts?.kind ?? kindOf(id),
    deps: Object.keys(entries.get(id)?.parts?.inputs ?? {}).filter((d) => ids.has(d)),
  }));
  const ordered = dependencyOrder(nodes);
  const short = commit.slice(0, 10);
  const stored = storedReport(entries.get(REPORT_STAGE));
  const data =
    stored ??
    collectReportData({
      name: lock.impulse,
      nodes: ordered,
      entries,
      noDevice: `The impulse had no device at ${ref}: there was no profile stage.`,
    });
  const fillHint = `To fill the cache, run the impulse as it was at ${ref} in this folder and come back, e.g. \`git switch --detach ${ref} && impulse run ${context.shownPath} && git switch -\`.`;
  return { ref, commit: short, data, fromReport: stored !== undefined, missing: missing.sort(), fillHint, changes: stageChanges(lock, context.currentLock, store) };
}

/** Lock entries are sorted by id: put each stage after its inputs, as the graph would. */
function dependencyOrder(nodes: readonly StageNodeLike[]): StageNodeLike[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const done = new Set<string>();
  const out: StageNodeLike[] = [];
  const visit = (n: StageNodeLike): void => {
    if (done.has(n.id)) return;
    done.add(n.id);
    for (const d of n.deps) if (byId.has(d)) visit(byId.get(d)!);
    out.push(n);
  };
  nodes.forEach(visit);
  return out;
}
