/**
 * A pool of worker threads shared by every stage of a run (so --jobs bounds the CPU work as
 * a whole). A task names a module URL whose default export is a DSP block, and a batch of
 * rows; the worker returns the processed rows. Workers start lazily.
 */
import { Worker } from 'node:worker_threads';
import os from 'node:os';

export interface MapTask {
  readonly module: string;
  readonly type: string;
  readonly params: unknown;
  readonly info: unknown;
  readonly rows: Float32Array;
  readonly rowLength: number;
  readonly outLength: number;
}

interface Pending {
  readonly task: MapTask;
  readonly resolve: (out: Float32Array) => void;
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

  run(task: MapTask): Promise<Float32Array> {
    if (this.closed) return Promise.reject(new Error('worker pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ task, resolve, reject });
      this.pump();
    });
  }

  private spawn(): Worker {
    // tsx lets workers load TypeScript (our sources in development, plugins written in TS);
    // it is registered before the worker body is imported.
    const boot = `import(${JSON.stringify(tsxApiUrl)}).then((api) => { api.register(); return import(${JSON.stringify(workerUrl.href)}); })`;
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
    const onMessage = (msg: { ok: true; out: Float32Array } | { ok: false; error: string; stack?: string }) => {
      w.off('error', onError);
      this.idle.push(w);
      if (msg.ok) job.resolve(msg.out);
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
    w.postMessage(job.task, [job.task.rows.buffer as ArrayBuffer]);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.all.map((w) => w.terminate()));
    this.all.length = 0;
    this.idle.length = 0;
  }
}
