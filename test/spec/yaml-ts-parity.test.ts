import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { builtinRegistry } from '../../cli/builtins.js';
import { loadImpulse } from '../../core/spec/load.js';
import { impulseStatus } from '../../core/run/status.js';
import { repoRoot } from '../support/shared.js';

describe('YAML and TypeScript forms of an impulse', () => {
  test('examples/activity: impulse.yaml and impulse.ts normalize to equal specs and equal stage keys', async () => {
    const yaml = await loadImpulse(path.join(repoRoot, 'examples/activity/impulse.yaml'), builtinRegistry());
    const ts = await loadImpulse(path.join(repoRoot, 'examples/activity/impulse.ts'), builtinRegistry());
    expect(ts.spec).toEqual(yaml.spec);
    const keys = async (i: typeof yaml) => (await impulseStatus(i)).map((s) => [s.stage, s.key]);
    const yamlKeys = await keys(yaml);
    expect(yamlKeys.find(([stage]) => stage === 'dsp:spectral')?.[1]).toMatch(/^[0-9a-f]{64}$/);
    expect(await keys(ts)).toEqual(yamlKeys);
  });

  test('a TS impulse error names the file; a wrong param is reported like in YAML', async () => {
    const { makeProject } = await import('../support/project.js');
    const dir = makeProject({
      'impulse.ts': `import { impulse, timeSeries, flatten } from 'impulse-kit';
export default impulse({ name: 'bad-ts' }).data({ source: 'dataset:st_har' }).input(timeSeries({ frequency: 26 }))
  .dsp('f', flatten({ averag: true } as never));
`,
    });
    // As in a user's project with impulse-kit installed.
    const { mkdirSync, symlinkSync } = await import('node:fs');
    mkdirSync(path.join(dir, 'node_modules'));
    symlinkSync(repoRoot, path.join(dir, 'node_modules/impulse-kit'));
    const err = (await loadImpulse(dir, builtinRegistry()).then(() => new Error("no error"), (e: unknown) => e)) as Error;
    expect(err.message).toMatch(/impulse\.ts: unknown key 'averag' in dsp\.f\.params \(did you mean 'average'\?\)/);
  });
});
