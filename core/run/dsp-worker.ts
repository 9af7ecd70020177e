/** Worker thread body: maps a DSP block's pure `process` over a batch of rows. */
import { parentPort } from 'node:worker_threads';
import type { DspBlock, SignalInfo } from '../plugin/types.js';
import type { MapTask } from './worker-pool.js';
import { mapRows } from './map-rows.js';

const modules = new Map<string, Promise<Record<string, unknown>>>();

/** The block of `type` among a module's exports (default, a default-exported list, { blocks }, or named). */
function findBlock(mod: Record<string, unknown>, type: string): DspBlock {
  const d = mod['default'] as unknown;
  const candidates: unknown[] = [d, ...(Array.isArray(d) ? d : []), ...((d as { blocks?: unknown[] } | undefined)?.blocks ?? []), ...Object.values(mod)];
  const found = candidates.find((c) => !!c && typeof c === 'object' && (c as DspBlock).kind === 'dsp' && (c as DspBlock).type === type);
  if (!found) throw new Error(`module does not export dsp block '${type}'`);
  return found as DspBlock;
}

parentPort!.on('message', async (task: MapTask) => {
  try {
    let m = modules.get(task.module);
    if (!m) {
      // A TS plugin loaded through tsx's tsImport carries a namespace query that only that
      // loader instance understands; this worker's own tsx registration loads the plain URL.
      const url = new URL(task.module);
      url.searchParams.delete('tsx-namespace');
      m = import(url.href) as Promise<Record<string, unknown>>;
      modules.set(task.module, m);
    }
    const block = findBlock(await m, task.type);
    const out = mapRows(block, task.params as never, task.info as SignalInfo, task.rows, task.rowLength, task.outLength);
    parentPort!.postMessage({ ok: true, out }, [out.buffer as ArrayBuffer]);
  } catch (e) {
    const err = e as Error;
    parentPort!.postMessage({ ok: false, error: err.message, stack: err.stack });
  }
});
