/** Worker thread body: maps a DSP block over a range of rows of a file (see map-file.ts). */
import { parentPort } from 'node:worker_threads';
import { defaultExport, importModule } from '../util/import-module.js';
import type { DspBlock, SignalInfo } from '../plugin/types.js';
import type { MapTask } from './worker-pool.js';
import { BatchBuffers, mapFileRange } from './map-file.js';

const modules = new Map<string, Promise<Record<string, unknown>>>();
const buffers = new BatchBuffers();

/**
 * Imports a block module. Built workers run without tsx (registering it slows them down); a
 * TypeScript module (a plugin written in TS) goes through tsx's tsImport, loaded on first use.
 * Running from sources, the worker was booted with tsx and imports everything directly.
 */
function importBlockModule(url: URL): Promise<Record<string, unknown>> {
  if (import.meta.url.endsWith('.ts')) return import(url.href) as Promise<Record<string, unknown>>;
  return importModule(url.href);
}

/** The block of `type` among a module's exports (default, a default-exported list, { blocks }, or named). */
function findBlock(mod: Record<string, unknown>, type: string): DspBlock {
  const d = defaultExport(mod);
  const candidates: unknown[] = [d, ...(Array.isArray(d) ? d : []), ...((d as { blocks?: unknown[] } | undefined)?.blocks ?? []), ...Object.values(mod)];
  const found = candidates.find((c) => !!c && typeof c === 'object' && (c as DspBlock).kind === 'dsp' && (c as DspBlock).type === type);
  if (!found) throw new Error(`module does not export dsp block '${type}'`);
  return found as DspBlock;
}

parentPort!.on('message', async ({ id, task }: { id: number; task: MapTask }) => {
  const fail = (err: Error) => parentPort!.postMessage({ id, ok: false, error: err.message, stack: err.stack });
  try {
    let m = modules.get(task.module);
    if (!m) {
      // A TS plugin loaded through tsx's tsImport carries a namespace query that only that
      // loader instance understands; this worker's own tsx registration loads the plain URL.
      const url = new URL(task.module);
      url.searchParams.delete('tsx-namespace');
      m = importBlockModule(url);
      modules.set(task.module, m);
    }
    const block = findBlock(await m, task.type);
    mapFileRange(block, task.params as never, task.info as SignalInfo, task, buffers, (error) => {
      if (error) fail(error);
      else parentPort!.postMessage({ id, ok: true });
    });
  } catch (e) {
    fail(e as Error);
  }
});
