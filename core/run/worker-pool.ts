/**
 * A pool of worker threads shared by every stage of a run (so --jobs bounds the CPU work as
 * a whole). A task names a module URL whose default export is a DSP block, and a range of rows
 * of a file; the worker writes the features into the output file. Workers start lazily.
 */
import { Worker } from 'node:worker_threads';
import os from 'node:os';
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

const tsxApiUrl = import.meta.resolve('tsx/esm/api');
const workerUrl = new URL(`./dsp-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

export class WorkerPool {
  private readonly idle: Worker[] = [];
  private readonly all: Worker[] = [];
  private readonly queue: Pending[] = [];
  private closed = false;

  constructor(readonly size: number = os.availableParallelism()) {}

  run(task: MapTask): Promise<void> {
    if (this.closed) return Promise.reject(new Error('worker pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ task, resolve, reject });
      this.pump();
    });
  }

  private spawn(): Worker {
    // Built code runs in a plain worker: registering tsx costs ~15% of DSP throughput even for
    // JavaScript modules (measured with bench/dsp.ts). Running from sources (tests, development),
    // the worker body itself is TypeScript and needs tsx first; a TS plugin module asks the worker
    // to register it on first use (see dsp-worker.ts).
    const boot = workerUrl.pathname.endsWith('.ts')
      ? `import(${JSON.stringify(tsxApiUrl)}).then((api) => { api.register(); return import(${JSON.stringify(workerUrl.href)}); })`
      : `import(${JSON.stringify(workerUrl.href)})`;
    const w = new Worker(boot, { eval: true });
    w.unref();
    this.all.push(w);
    return w;
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let w = this.idle.pop();
      if (!w) {
        if (this.all.length >= this.size) return;
        w = this.spawn();
      }
      const job = this.queue.shift()!;
      this.dispatch(w, job);
    }
  }

  private dispatch(w: Worker, job: Pending): void {
    const onMessage = (msg: { ok: true } | { ok: false; error: string; stack?: string }) => {
      w.off('error', onError);
      this.idle.push(w);
      if (msg.ok) job.resolve();
      else job.reject(Object.assign(new Error(msg.error), { stack: msg.stack }));
      this.pump();
    };
    const onError = (e: Error) => {
      w.off('message', onMessage);
      this.all.splice(this.all.indexOf(w), 1);
      job.reject(e);
      this.pump();
    };
    w.once('message', onMessage);
    w.once('error', onError);
    w.postMessage(job.task);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.all.map((w) => w.terminate()));
    this.all.length = 0;
    this.idle.length = 0;
  }
}
