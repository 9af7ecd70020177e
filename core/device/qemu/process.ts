/**
 * Runs the external tools of the harness (arm-none-eabi-*, qemu-system-arm, gcc): collects their
 * output, feeds stdin, stops them at a time limit, and turns "not installed" into a typed error.
 */
import { spawn } from 'node:child_process';
import { toolMissing } from './errors.js';

export interface ProcessResult {
  /** Exit code, or null when the process was killed by a signal. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: Buffer;
  readonly stderr: Buffer;
  /** True when the time limit stopped it. */
  readonly timedOut: boolean;
  readonly wallMs: number;
}

export interface ProcessOptions {
  readonly cwd?: string;
  readonly stdin?: string | Uint8Array;
  /** Kill (SIGKILL) after this long; no limit when absent. */
  readonly timeoutMs?: number;
  /** What the tool is needed for, for the "not installed" message. */
  readonly purpose: string;
}

export function runProcess(command: string, args: readonly string[], options: ProcessOptions): Promise<ProcessResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
          }, options.timeoutMs);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (timer) clearTimeout(timer);
      reject(e.code === 'ENOENT' ? toolMissing(command, options.purpose) : e);
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out), stderr: Buffer.concat(err), timedOut, wallMs: performance.now() - started });
    });
    // A tool that exits without reading its stdin makes the write fail with EPIPE: not our error.
    child.stdin.on('error', () => undefined);
    if (options.stdin !== undefined) child.stdin.end(options.stdin);
    else child.stdin.end();
  });
}
