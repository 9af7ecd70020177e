/**
 * Streamed downloads with checksums: each file is fetched with the global `fetch` (or an
 * injected one), written to disk while its sha256 is computed, and checked against the pin.
 * Network failures (connection errors, 5xx/429/408, truncated bodies, stalls) are retried
 * (2 retries by default, with backoff); a checksum mismatch is not — the bytes the server
 * sends are then simply not the pinned ones.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { PinnedFile } from './registry.js';

export type ProgressUnit = 'bytes' | 'files';
/** `(doneBytes | doneFiles, total, unit)`; for bytes, `total` is 0 when the size is unknown. */
export type ProgressCallback = (done: number, total: number, unit: ProgressUnit) => void;
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** The file could not be fetched (network, HTTP status, truncation, stall). */
export class DownloadError extends Error {
  readonly url: string;
  readonly status: number | undefined;
  readonly retryable: boolean;
  constructor(url: string, reason: string, opts: { status?: number; retryable: boolean; cause?: unknown }) {
    super(reason, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'DownloadError';
    this.url = url;
    this.status = opts.status;
    this.retryable = opts.retryable;
  }
}

/** The file was fetched completely but its bytes are not the pinned ones. */
export class ChecksumError extends Error {
  readonly url: string;
  readonly algorithm: string;
  readonly expected: string;
  readonly actual: string;
  constructor(url: string, algorithm: string, expected: string, actual: string) {
    super(`${algorithm} mismatch for ${url}: expected ${expected}, got ${actual}`);
    this.name = 'ChecksumError';
    this.url = url;
    this.algorithm = algorithm;
    this.expected = expected;
    this.actual = actual;
  }
}

export interface DownloadOptions {
  readonly fetchImpl?: FetchLike;
  /** Retries after the first attempt for retryable failures (default 2). */
  readonly retries?: number;
  /** First backoff delay; doubled each retry (default 500 ms). */
  readonly retryDelayMs?: number;
  /** Abort an attempt when no bytes arrive for this long (default 30 s). */
  readonly idleTimeoutMs?: number;
  readonly signal?: AbortSignal;
}

export interface DownloadedFile {
  readonly bytes: number;
  readonly sha256: string;
}

const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

function describe(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  // undici wraps the system error ("fetch failed" ← ECONNREFUSED …): show the root cause.
  const parts = [e.message];
  let c: unknown = e.cause;
  for (let i = 0; i < 3 && c instanceof Error; i++, c = c.cause) {
    const code = (c as { code?: unknown }).code;
    parts.push(typeof code === 'string' && !c.message.includes(code) ? `${code}: ${c.message}` : c.message);
  }
  return [...new Set(parts.filter(Boolean))].join(': ');
}

/** Parses an SRI string `sha512-<base64>` into a node:crypto algorithm and a hex digest. */
function parseIntegrity(sri: string): { algorithm: string; hex: string } {
  const m = /^(sha256|sha384|sha512)-([A-Za-z0-9+/=]+)$/.exec(sri);
  if (!m) throw new Error(`unsupported integrity string ${sri}`);
  return { algorithm: m[1]!, hex: Buffer.from(m[2]!, 'base64').toString('hex') };
}

/**
 * Downloads `file.url` to `dest` (created or overwritten), verifying `file.sha256` (and
 * `file.integrity` when present). On any failure `dest` is removed.
 * `onBytes(done, total)` reports progress (total 0 when unknown).
 */
export async function downloadFile(
  file: Pick<PinnedFile, 'url' | 'sha256' | 'integrity' | 'size'>,
  dest: string,
  opts: DownloadOptions & { onBytes?: (done: number, total: number) => void } = {},
): Promise<DownloadedFile> {
  const retries = opts.retries ?? 2;
  const baseDelay = opts.retryDelayMs ?? 500;
  let lastError: unknown;
  for (let attempt = 0; attempt <= retries; attempt++) {
    if (opts.signal?.aborted) break;
    if (attempt > 0) await sleep(baseDelay * 2 ** (attempt - 1), opts.signal);
    try {
      return await attemptOnce(file, dest, opts);
    } catch (e) {
      await fs.rm(dest, { force: true });
      lastError = e;
      if (!(e instanceof DownloadError) || !e.retryable) throw e;
    }
  }
  if (lastError === undefined) throw new DownloadError(file.url, 'aborted', { retryable: false });
  throw lastError;
}

async function attemptOnce(
  file: Pick<PinnedFile, 'url' | 'sha256' | 'integrity' | 'size'>,
  dest: string,
  opts: DownloadOptions & { onBytes?: (done: number, total: number) => void },
): Promise<DownloadedFile> {
  const url = file.url;
  const fetchImpl: FetchLike = opts.fetchImpl ?? ((u, init) => fetch(u, init));
  const ctl = new AbortController();
  const idleMs = opts.idleTimeoutMs ?? 30_000;
  let stalled = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      stalled = true;
      ctl.abort(new Error(`no data for ${idleMs} ms`));
    }, idleMs);
  };
  const onOuterAbort = (): void => ctl.abort(opts.signal?.reason);
  opts.signal?.addEventListener('abort', onOuterAbort, { once: true });
  arm();
  try {
    // Every wait below is raced against the abort: a fetch implementation or body stream that
    // does not settle on abort (seen with undici when a pooled connection is aborted mid-body)
    // must not hang the download.
    const aborted = new Promise<never>((_, reject) => {
      const fire = (): void => reject(ctl.signal.reason instanceof Error ? ctl.signal.reason : new Error('aborted'));
      if (ctl.signal.aborted) fire();
      else ctl.signal.addEventListener('abort', fire, { once: true });
    });
    aborted.catch(() => undefined);
    let res: Response;
    try {
      res = await Promise.race([fetchImpl(url, { signal: ctl.signal, redirect: 'follow' }), aborted]);
    } catch (e) {
      if (opts.signal?.aborted) throw new DownloadError(url, 'aborted', { retryable: false, cause: e });
      throw new DownloadError(url, stalled ? `timed out (no response in ${idleMs} ms)` : describe(e), { retryable: true, cause: e });
    }
    if (!res.ok || !res.body) {
      res.body?.cancel().catch(() => undefined); // not awaited: see above
      const status = res.status;
      throw new DownloadError(url, `HTTP ${status}${res.statusText ? ` ${res.statusText}` : ''}`, { status, retryable: RETRYABLE_STATUS.has(status) });
    }
    const lenHeader = res.headers.get('content-length');
    const declared = lenHeader !== null && /^\d+$/.test(lenHeader) ? Number(lenHeader) : undefined;
    const total = declared ?? file.size ?? 0;
    const sha256 = createHash('sha256');
    const sri = file.integrity ? parseIntegrity(file.integrity) : undefined;
    const sriHash = sri ? createHash(sri.algorithm) : undefined;
    await fs.mkdir(path.dirname(dest), { recursive: true });
    const fh = await fs.open(dest, 'w');
    let done = 0;
    try {
      const reader = res.body.getReader();
      let complete = false;
      try {
        for (;;) {
          let chunk: Awaited<ReturnType<typeof reader.read>>;
          try {
            chunk = await Promise.race([reader.read(), aborted]);
          } catch (e) {
            if (opts.signal?.aborted) throw new DownloadError(url, 'aborted', { retryable: false, cause: e });
            throw new DownloadError(url, stalled ? `stalled (no data for ${idleMs} ms)` : `connection lost: ${describe(e)}`, { retryable: true, cause: e });
          }
          if (chunk.done) {
            complete = true;
            break;
          }
          arm();
          const bytes = chunk.value;
          sha256.update(bytes);
          sriHash?.update(bytes);
          await fh.write(bytes);
          done += bytes.byteLength;
          opts.onBytes?.(done, total);
        }
      } finally {
        if (!complete) reader.cancel().catch(() => undefined); // not awaited: see above
        try {
          reader.releaseLock();
        } catch {
          // a read is still pending on a body that ignored the abort; it is cancelled above
        }
      }
    } finally {
      await fh.close();
    }
    if (declared !== undefined && done !== declared) {
      throw new DownloadError(url, `truncated: got ${done} of ${declared} bytes`, { retryable: true });
    }
    const actual = sha256.digest('hex');
    if (actual !== file.sha256) throw new ChecksumError(url, 'sha256', file.sha256, actual);
    if (sri && sriHash) {
      const got = sriHash.digest('hex');
      if (got !== sri.hex) throw new ChecksumError(url, sri.algorithm, sri.hex, got);
    }
    return { bytes: done, sha256: actual };
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onOuterAbort);
  }
}

export interface DownloadAllOptions extends DownloadOptions {
  /** Files fetched at once (default 8). */
  readonly concurrency?: number;
  /** Bytes for a single file, else files completed. */
  readonly onProgress?: ProgressCallback;
}

/** Error of one file of a batch, with the pinned file it concerns. */
export class FileFailure extends Error {
  readonly file: PinnedFile;
  constructor(file: PinnedFile, cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'FileFailure';
    this.file = file;
  }
}

/**
 * Downloads every file into `dir/<file.path>`. Stops at the first failure (the others are
 * aborted and awaited, so nothing is still writing when this rejects) and rejects with a
 * FileFailure whose `cause` is a DownloadError or ChecksumError.
 */
export async function downloadAll(files: readonly PinnedFile[], dir: string, opts: DownloadAllOptions = {}): Promise<void> {
  const ctl = new AbortController();
  const onOuterAbort = (): void => ctl.abort(opts.signal?.reason);
  opts.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const single = files.length === 1;
  let next = 0;
  let completed = 0;
  let failure: FileFailure | undefined;
  if (!single) opts.onProgress?.(0, files.length, 'files');
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < files.length) {
      const file = files[next++]!;
      try {
        await downloadFile(file, path.join(dir, ...file.path.split('/')), {
          ...opts,
          signal: ctl.signal,
          ...(single && opts.onProgress ? { onBytes: (d: number, t: number) => opts.onProgress!(d, t, 'bytes') } : {}),
        });
        completed++;
        if (!single) opts.onProgress?.(completed, files.length, 'files');
      } catch (e) {
        if (failure === undefined) {
          failure = new FileFailure(file, e);
          ctl.abort(failure);
        }
      }
    }
  };
  const n = Math.max(1, Math.min(opts.concurrency ?? 8, files.length));
  try {
    await Promise.all(Array.from({ length: n }, worker));
  } finally {
    opts.signal?.removeEventListener('abort', onOuterAbort);
  }
  if (failure) throw failure;
}
