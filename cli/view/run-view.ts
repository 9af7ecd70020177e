/**
 * Renders executor events: on a TTY a live line per running stage (with a bar when the
 * stage reports progress), redrawn in place; otherwise plain lines; with --json, NDJSON.
 */
import pc from 'picocolors';
import type { RunEvent } from '../../core/run/events.js';

export type ViewMode = 'tty' | 'plain' | 'json';

export function chooseViewMode(json: boolean, stream: NodeJS.WriteStream = process.stderr): ViewMode {
  if (json) return 'json';
  return stream.isTTY && process.env['TERM'] !== 'dumb' && !process.env['CI'] ? 'tty' : 'plain';
}

const ms = (n: number) => (n < 1000 ? `${n} ms` : `${(n / 1000).toFixed(1)} s`);

function bar(done: number, total: number, width = 20): string {
  const f = total > 0 ? Math.min(1, done / total) : 0;
  const n = Math.round(f * width);
  return '█'.repeat(n) + '░'.repeat(width - n);
}

interface Running {
  readonly started: number;
  progress?: { done: number; total: number; unit: string };
  lastLog?: string;
  lastPrinted?: number;
  unprinted?: string;
}

const PLAIN_LOG_INTERVAL_MS = 3000;

export class RunView {
  private readonly running = new Map<string, Running>();
  private drawnLines = 0;
  private lastDraw = 0;
  private timer: NodeJS.Timeout | undefined;
  private lastPlainPct = new Map<string, number>();

  constructor(
    private readonly mode: ViewMode,
    private readonly out: NodeJS.WriteStream = process.stderr,
    private readonly jsonOut: NodeJS.WritableStream = process.stdout,
  ) {}

  handle = (e: RunEvent): void => {
    if (this.mode === 'json') {
      this.jsonOut.write(JSON.stringify(e) + '\n');
      return;
    }
    switch (e.type) {
      case 'run-start':
        this.print(pc.dim(`impulse ${e.impulse}: ${e.stages.length} stages, ${e.jobs} job(s)`));
        break;
      case 'stage-cached':
        this.print(`${pc.green('✓')} ${e.stage} ${pc.dim('cached')}`);
        break;
      case 'stage-start':
        this.running.set(e.stage, { started: e.at });
        if (this.mode === 'plain') this.print(`${pc.cyan('▶')} ${e.stage}`);
        break;
      case 'stage-progress': {
        const r = this.running.get(e.stage);
        if (r) r.progress = { done: e.done, total: e.total, unit: e.unit };
        if (this.mode === 'plain' && e.total > 0) {
          const pct = Math.floor((e.done / e.total) * 4) * 25;
          if (pct > (this.lastPlainPct.get(e.stage) ?? -1) && pct < 100) {
            this.lastPlainPct.set(e.stage, pct);
            this.print(pc.dim(`  ${e.stage}: ${e.done}/${e.total} ${e.unit}`));
          }
        }
        break;
      }
      case 'stage-log': {
        const r = this.running.get(e.stage);
        if (r) r.lastLog = e.message;
        // Plain output (logs, CI) gets at most one log line per stage every few seconds.
        const now = Date.now();
        if (!r || (this.mode === 'plain' && now - (r.lastPrinted ?? 0) >= PLAIN_LOG_INTERVAL_MS)) {
          if (r) {
            r.lastPrinted = now;
            r.unprinted = undefined;
          }
          this.print(pc.dim(`  ${e.stage}: ${e.message}`));
        } else if (this.mode === 'plain') r.unprinted = e.message;
        break;
      }
      case 'stage-done': {
        const r = this.running.get(e.stage);
        this.running.delete(e.stage);
        if (r?.unprinted) this.print(pc.dim(`  ${e.stage}: ${r.unprinted}`));
        this.print(`${pc.green('✓')} ${e.stage} ${pc.dim(ms(e.durationMs))}${r?.lastLog && this.mode === 'tty' ? pc.dim(` — ${r.lastLog}`) : ''}`);
        break;
      }
      case 'stage-failed':
        this.running.delete(e.stage);
        this.print(`${pc.red('✗')} ${e.stage} failed`);
        break;
      case 'cache-corrupt':
        this.print(`${pc.yellow('!')} ${e.stage}: corrupt cache entry ${e.key.slice(0, 12)} (${e.reason}); recomputing`);
        break;
      case 'run-done':
        this.stop();
        this.print(pc.dim(`done in ${ms(e.durationMs)}: ${e.ran.length} ran, ${e.cached.length} cached`));
        break;
    }
    if (this.mode === 'tty') {
      // Work on the main thread (training) can starve the timer: redraw on events too.
      if (Date.now() - this.lastDraw >= 100 && this.running.size > 0) {
        this.clear();
        this.drawLive();
      }
      this.schedule();
    }
  };

  private print(line: string): void {
    this.clear();
    this.out.write(line + '\n');
    this.drawLive();
  }

  private schedule(): void {
    if (this.timer || this.running.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.clear();
      this.drawLive();
      this.schedule();
    }, 100);
  }

  private clear(): void {
    if (this.mode !== 'tty' || this.drawnLines === 0) return;
    this.out.write(`\x1b[${this.drawnLines}A\x1b[0J`);
    this.drawnLines = 0;
  }

  private drawLive(): void {
    if (this.mode !== 'tty') return;
    const now = Date.now();
    this.lastDraw = now;
    const lines = [...this.running].map(([stage, r]) => {
      const p = r.progress;
      const elapsed = now - r.started;
      let eta = '';
      if (p && p.done > 0 && p.done < p.total) eta = ` ETA ${ms(Math.round((elapsed / p.done) * (p.total - p.done)))}`;
      const prog = p ? ` ${bar(p.done, p.total)} ${p.done}/${p.total} ${p.unit}${eta}` : '';
      const log = r.lastLog ? ` ${r.lastLog}` : '';
      // Truncate the visible text first: cutting a coloured string could split an escape code.
      const width = Math.max(20, (this.out.columns || 100) - 3);
      const text = `${stage}${prog} ${ms(elapsed)}${log}`;
      return `${pc.cyan('⠿')} ${text.length > width ? text.slice(0, width - 1) + '…' : text}`;
    });
    if (lines.length) this.out.write(lines.join('\n') + '\n');
    this.drawnLines = lines.length;
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.clear();
  }
}
