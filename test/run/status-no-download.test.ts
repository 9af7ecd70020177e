import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { builtinRegistry } from '../../cli/builtins.js';
import { loadImpulse } from '../../core/spec/load.js';
import { impulseStatus } from '../../core/run/status.js';
import { makeProject } from '../support/project.js';

describe('status never downloads', () => {
  afterEach(() => vi.unstubAllEnvs());

  test('a public dataset with no local copy is reported as such, without a request', async () => {
    vi.stubEnv('IMPULSE_DATASETS', '');
    vi.stubEnv('IMPULSE_CACHE_DIR', mkdtempSync(path.join(os.tmpdir(), 'impulse-cache-')));
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const dir = makeProject({
      'impulse.yaml': `version: 1
name: offline
data: { source: dataset:st_har }
input: { type: time-series, frequency: 26 }
dsp: { f: { type: flatten } }
learn: { a: { type: anomaly-kmeans } }
`,
    });
    const status = await impulseStatus(await loadImpulse(dir, builtinRegistry()));
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(status[0]).toMatchObject({ stage: 'data', state: 'stale', reasons: ['dataset:st_har has no local copy yet (it is downloaded by impulse run)'] });
    expect(status.slice(1).every((s) => s.state === 'stale')).toBe(true);
  });
});
