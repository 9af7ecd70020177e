import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { builtinRegistry } from '../../cli/builtins.js';
import { loadImpulse } from '../../core/spec/load.js';
import { impulseStatus } from '../../core/run/status.js';
import { runImpulse } from '../../core/run/executor.js';
import { makeProject } from '../support/project.js';
import { repoRoot } from '../support/shared.js';

describe('YAML and TypeScript forms of an impulse', () => {
  test('examples/activity: impulse.yaml and impulse.ts normalize to equal specs and equal stage keys', async () => {
    // A copy of the example whose data, input and DSP stages have run, so that the keys of
    // every stage up to training are known.
    const dir = makeProject({
      'impulse.yaml': readFileSync(path.join(repoRoot, 'examples/activity/impulse.yaml'), 'utf8'),
      'impulse.ts': readFileSync(path.join(repoRoot, 'examples/activity/impulse.ts'), 'utf8'),
    });
    mkdirSync(path.join(dir, 'node_modules'));
    symlinkSync(repoRoot, path.join(dir, 'node_modules/impulse-kit'));
    const yaml = await loadImpulse(path.join(dir, 'impulse.yaml'), builtinRegistry());
    const ts = await loadImpulse(path.join(dir, 'impulse.ts'), builtinRegistry());
    expect(ts.spec).toEqual(yaml.spec);
    await runImpulse(yaml, { only: ['dsp:spectral'] });
    const keys = async (i: typeof yaml) => (await impulseStatus(i)).map((s) => [s.stage, s.key]);
    const yamlKeys = await keys(yaml);
    expect(yamlKeys.find(([stage]) => stage === 'learn:classifier')?.[1]).toMatch(/^[0-9a-f]{64}$/);
    expect(await keys(ts)).toEqual(yamlKeys);
  });

  test('a TS impulse error names the file; a wrong param is reported like in YAML', async () => {
    const dir = makeProject({
      'impulse.ts': `import { impulse, timeSeries, flatten } from 'impulse-kit';
export default impulse({ name: 'bad-ts' }).data({ source: 'dataset:st_har' }).input(timeSeries({ frequency: 26 }))
  .dsp('f', flatten({ averag: true } as never));
`,
    });
    // As in a user's project with impulse-kit installed.
    mkdirSync(path.join(dir, 'node_modules'));
    symlinkSync(repoRoot, path.join(dir, 'node_modules/impulse-kit'));
    const err = (await loadImpulse(dir, builtinRegistry()).then(() => new Error("no error"), (e: unknown) => e)) as Error;
    expect(err.message).toMatch(/impulse\.ts: unknown key 'averag' in dsp\.f\.params \(did you mean 'average'\?\)/);
  });
});
