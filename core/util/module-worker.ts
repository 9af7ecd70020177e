/**
 * Starts a worker thread whose body is a module next to the caller. Built code (dist/) runs in a
 * plain worker: registering tsx costs ~15% of DSP throughput even for JavaScript modules (measured
 * with bench/dsp.ts). Running from sources (tests, development) the body is TypeScript, so the
 * worker registers tsx first.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

const tsxApiUrl = import.meta.resolve('tsx/esm/api');

/** The URL of worker body `name` beside `callerUrl`, in the caller's own flavour (.ts or .js). */
export function siblingModuleUrl(callerUrl: string, name: string): URL {
  return new URL(`./${name}${callerUrl.endsWith('.ts') ? '.ts' : '.js'}`, callerUrl);
}

export function startModuleWorker(url: URL, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  const boot = url.pathname.endsWith('.ts')
    ? `import(${JSON.stringify(tsxApiUrl)}).then((api) => { api.register(); return import(${JSON.stringify(url.href)}); })`
    : `import(${JSON.stringify(url.href)})`;
  return new Worker(boot, { ...options, eval: true });
}
