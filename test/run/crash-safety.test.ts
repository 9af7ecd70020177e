import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { Registry } from '../../core/plugin/registry.js';
import { loadImpulse } from '../../core/spec/load.js';
import { runImpulse } from '../../core/run/executor.js';
import type { RunEvent } from '../../core/run/events.js';
import { CacheStore } from '../../core/run/store.js';
import { makeProject, numberFiles, testPlugin } from '../support/project.js';
import { repoRoot } from '../support/shared.js';

const yaml = (learners: number) => `version: 1
name: crash-test
plugins: [${JSON.stringify(testPlugin)}]
data: { source: ./data }
input: { type: test-numbers, frames: 4, axes: 2 }
dsp:
  mean: { type: test-mean }
learn:
${Array.from({ length: learners }, (_, i) => `  w${i}: { type: test-slow-writer, params: { files: 6, pauseMs: ${30 + i * 7} } }`).join('\n')}
`;

interface KillPoint {
  /** Kill `delayMs` after this event of this stage: tied to progress, not to the machine's speed. */
  readonly on: 'stage-start' | 'stage-done';
  readonly stage: string;
  readonly delayMs: number;
}

/** Starts the run in a child process and SIGKILLs it at `point`; resolves the event types seen (+ 'finished' if it was not killed). */
function runAndKill(dir: string, point: KillPoint): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'test/support/run-child.ts'), dir], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    const seen: string[] = [];
    let timer: NodeJS.Timeout | undefined;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of chunk.split('\n').filter(Boolean)) {
        const e = JSON.parse(line) as RunEvent;
        seen.push(e.type);
        if (!timer && e.type === point.on && 'stage' in e && e.stage === point.stage) timer = setTimeout(() => child.kill('SIGKILL'), point.delayMs);
      }
    });
    child.on('exit', (_code, signal) => {
      if (timer) clearTimeout(timer);
      resolve(signal === 'SIGKILL' ? seen : [...seen, 'finished']);
    });
    child.on('error', reject);
  });
}

describe('crash safety', () => {
  test('a run killed with SIGKILL at several points leaves no corrupt entry; the next run completes', async () => {
    // Each learner writes 6 files of 256 KiB with pauses of 30+ ms: these points fall inside writes.
    const points: KillPoint[] = [
      { on: 'stage-start', stage: 'learn:w0', delayMs: 40 },
      { on: 'stage-start', stage: 'learn:w1', delayMs: 110 },
      { on: 'stage-done', stage: 'learn:w0', delayMs: 0 },
      { on: 'stage-start', stage: 'learn:w2', delayMs: 75 },
    ];
    for (const point of points) {
      const dir = makeProject({ 'impulse.yaml': yaml(3), ...numberFiles(['a', 'b'], 6, 4, 2) });
      const seen = await runAndKill(dir, point);
      expect(seen, `killed at ${JSON.stringify(point)}`).not.toContain('finished');
      // Every entry that made it into the cache verifies in full.
      const store = new CacheStore(path.join(dir, '.impulse'));
      const keys = existsSync(store.cacheDir) ? readdirSync(store.cacheDir) : [];
      for (const key of keys) expect((await store.lookup(key)).status).toBe('hit');
      const events: RunEvent[] = [];
      const impulse = await loadImpulse(dir, new Registry());
      const summary = await runImpulse(impulse, { onEvent: (e) => events.push(e) });
      expect(events.filter((e) => e.type === 'cache-corrupt')).toEqual([]);
      expect(summary.results.size).toBe(2 + 1 + 3 * 2 + 1); // data, input; dsp; learn and evaluate per learner; the report
      expect(readdirSync(store.tmpDir)).toEqual([]); // the killed run's temp folders were swept
    }
  });
});
