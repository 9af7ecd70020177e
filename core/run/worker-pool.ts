/**
 * A pool of worker threads shared by every stage of a run (so --jobs bounds the CPU work as
 * a whole). A task names a module URL whose default export is a DSP block, and a range of rows
 * of a file; the worker writes the features into the output file. Workers start lazily.
 */
import type { Worker } from 'node:worker_threads';
import os from 'node:os';
import { siblingModuleUrl, startModuleWorker } from '../util/module-worker.js';
import type { FileRange } from './map-file.js';

/** A DSP block (the default export of `module`, or one it lists) over a range of a row file. */
export interface MapTask extends FileRange {
  readonly module: string;
  readonly type: string;
  readonly params: unknown;
  readonly info: unknown;
}

interface Pending {
  readonly task: MapTask;
  readonly resolve: () => void;
  readonly reject: (e: Error) => void;
}

/** A worker and the tasks it has been sent and not yet answered, by id. */
interface Slot {
  readonly worker: Worker;
  readonly pending: Map<number, Pending>;
}

type Reply = { id: number; ok: true } | { id: number; ok: false; error: string; stack?: string };

const workerUrl = siblingModuleUrl(import.meta.url, 'dsp-worker');

/**
 * Tasks in flight per worker. A worker writes a batch's features asynchronously (in libuv's
 * threads) and computes the next batch meanwhile: writing fresh file pages is slow on some machines
 * (~2.8 ms per MB on the VMs measured here, as long as computing the spectrogram of 2,400 windows),
 * and with one task at a time that time added to the computing instead of overlapping it.
 */
const IN_FLIGHT_PER_WORKER = 2;

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 0;
  private closed = false;

  constructor(readonly size: number = os.availableParallelism()) {}

  run(task: MapTask): Promise<void> {
    if (this.closed) return Promise.reject(new Error('worker pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ task, resolve, reject });
      this.pump();
    });
  }

  private spawn(): Slot {
    // A TS plugin module is loaded through tsx on demand (see dsp-worker.ts).
    const worker: Worker = startModuleWorker(workerUrl);
    worker.unref();
    const slot: Slot = { worker, pending: new Map() };
    worker.on('message', (msg: Reply) => {
      const job = slot.pending.get(msg.id);
      if (!job) return;
      slot.pending.delete(msg.id);
      if (msg.ok) job.resolve();
      else job.reject(Object.assign(new Error(msg.error), { stack: msg.stack }));
      this.pump();
    });
    // the worker is gone (an uncaught error, or it exited): fail what it held, let a new one take the queue
    const lost = (e: Error) => {
      const at = this.slots.indexOf(slot);
      if (at < 0) return;
      this.slots.splice(at, 1);
      for (const job of slot.pending.values()) job.reject(e);
      slot.pending.clear();
      if (!this.closed) this.pump();
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`a DSP worker thread exited (code ${code}) while mapping a batch`)));
    this.slots.push(slot);
    return slot;
  }

  /** Sends queued tasks to the least busy worker, starting workers up to `size`. */
  private pump(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.reduce<Slot | undefined>((best, s) => (best === undefined || s.pending.size < best.pending.size ? s : best), undefined);
      if (slot === undefined || (slot.pending.size > 0 && this.slots.length < this.size)) slot = this.spawn();
      if (slot.pending.size >= IN_FLIGHT_PER_WORKER) return;
      const job = this.queue.shift()!;
      const id = this.nextId++;
      slot.pending.set(id, job);
      slot.worker.postMessage({ id, task: job.task });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const slots = this.slots.splice(0);
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}
